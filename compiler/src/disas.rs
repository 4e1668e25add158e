//! CLIF text of a module's functions, for reading and for golden tests.
//!
//! [`clif_text`] runs the real parser and translator over every defined
//! function and prints the Cranelift IR it produces, and optionally the IR
//! after Cranelift's mid-end (unreachable-code removal and the e-graph
//! pass: GVN, LICM, constant folding, algebraic rewrites), which is what
//! instruction selection then sees; with [`DisasOptions::inline`], after
//! inlining as a build does it first. Each function is checked by the
//! Cranelift verifier before it is printed.
//!
//! The text is deterministic: functions in index order, symbols numbered
//! by index rather than by address. Names in the text:
//!
//! - `u0:N` is wasm function `N` (imports included), as in the object;
//! - `u1:K` is one of the module's data objects (`vmctx`, `globals`, ...);
//!   the printer shows data symbols as a per-function `userextnameN`, so
//!   each function is preceded by what its `userextnameN` stand for;
//! - `@XXXX` before an instruction is the byte offset in the module of the
//!   wasm operator it came from.
//!
//! Objects are not built from this: `emit` runs the same translator but
//! declares the object's real symbols.

use crate::codegen::{self, TargetCpu};
use crate::env::{ModuleEnv, Symbols};
use crate::error::{CompileError, Result};
use crate::inline::{Candidates, Inliner};
use crate::parse;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::{Context, ir, isa::TargetIsa, verify_function};
use cranelift_module::{DataId, FuncId};

/// Which stages of each function [`clif_text`] prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Stages {
    /// The IR as the translator emits it.
    Translated,
    /// The IR after Cranelift's mid-end optimisations.
    Optimized,
    /// Both, the translated IR first.
    #[default]
    Both,
}

/// Options of [`clif_text`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DisasOptions {
    /// The target whose settings the mid-end uses.
    pub cpu: TargetCpu,
    pub stages: Stages,
    /// Memory 0 at the executable's fixed address
    /// (`wasi_aot_abi::MEMORY0_ADDRESS`) instead of a loaded base.
    pub memory0_fixed: bool,
    /// Inline calls of small leaf functions before the mid-end, as a build
    /// does ([`crate::inline`]); off, the optimized IR is the mid-end's
    /// alone.
    pub inline: bool,
}

/// The data objects in the order of their `u1:K` numbers.
const DATA_OBJECTS: [&str; 12] = [
    "vmctx",
    "globals",
    "tables",
    "funcrefs",
    "type_ids",
    "import_slots",
    "global_imports",
    "table_imports",
    "memory_states",
    "memories",
    "tags",
    "segment_inits",
];

/// Symbols numbered by index: function `N` is `u0:N`, data object `K` is
/// `u1:K`, `K` being its position in [`DATA_OBJECTS`].
pub(crate) fn index_symbols(num_funcs: usize) -> Symbols {
    Symbols {
        funcs: (0..num_funcs as u32).map(FuncId::from_u32).collect(),
        vmctx: DataId::from_u32(0),
        globals: DataId::from_u32(1),
        tables: DataId::from_u32(2),
        funcrefs: DataId::from_u32(3),
        type_ids: DataId::from_u32(4),
        import_slots: DataId::from_u32(5),
        global_imports: DataId::from_u32(6),
        table_imports: DataId::from_u32(7),
        memory_states: DataId::from_u32(8),
        memories: DataId::from_u32(9),
        tags: DataId::from_u32(10),
        segment_inits: DataId::from_u32(11),
        instance: None,
        memory0_at: None,
    }
}

/// Parses `wasm` and returns the CLIF of every defined function, in index
/// order, at the stages `options` asks for.
pub fn clif_text(wasm: &[u8], options: &DisasOptions) -> Result<String> {
    module_clif(wasm, options).map_err(|e| parse::unsupported_feature(wasm, e))
}

fn module_clif(wasm: &[u8], options: &DisasOptions) -> Result<String> {
    let parse::Parsed { env, funcs } = parse::parse(wasm)?;
    let mut syms = index_symbols(env.funcs.len());
    if options.memory0_fixed {
        syms.memory0_at = Some(wasi_aot_abi::MEMORY0_ADDRESS);
    }
    let isa = codegen::target_isa(options.cpu)?;
    let num_imported = env.num_imported_funcs();

    let candidates = if options.inline {
        Candidates::collect(&env, &syms, &*isa, &funcs)
    } else {
        Candidates::none()
    };
    let mut text = String::new();
    for (i, to_validate) in funcs.into_iter().enumerate() {
        let index = num_imported + i as u32;
        let body = env.bodies.get(i).ok_or_else(|| CompileError::Codegen {
            func: index,
            message: "function body missing".into(),
        })?;
        let mut validator = to_validate.into_validator(Default::default());
        let func =
            crate::translate::translate_function(&env, &syms, &*isa, index, body, &mut validator)?;
        verify(&func, &*isa, index)?;

        if options.stages != Stages::Optimized {
            section(&mut text, &env, index, "translated", &func);
        }
        if options.stages != Stages::Translated {
            let optimized = optimize(func, &*isa, index, candidates.inliner())?;
            section(&mut text, &env, index, "optimized", &optimized);
        }
    }
    Ok(text)
}

fn verify(func: &ir::Function, isa: &dyn TargetIsa, index: u32) -> Result<()> {
    verify_function(func, isa).map_err(|errors| CompileError::Codegen {
        func: index,
        message: format!("verifier errors:\n{errors}"),
    })
}

/// Inlines what `inliner` picks into `func`, then runs Cranelift's mid-end
/// over it.
fn optimize(
    func: ir::Function,
    isa: &dyn TargetIsa,
    index: u32,
    inliner: Inliner,
) -> Result<ir::Function> {
    let mut ctx = Context::for_function(func);
    inliner.run(&mut ctx, index)?;
    ctx.optimize(isa, &mut ControlPlane::default())
        .map_err(|e| CompileError::Codegen {
            func: index,
            message: format!("mid-end: {e}"),
        })?;
    Ok(ctx.func)
}

/// Prints `func` under a heading naming it and `stage`, followed by what its
/// `userextnameK` symbols are (the CLIF printer shows a data symbol only by
/// that per-function number).
fn section(text: &mut String, env: &ModuleEnv, index: u32, stage: &str, func: &ir::Function) {
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(&format!(
        "; function {index}{} ({stage})\n",
        wasm_name(env, index)
    ));
    // Every function declares all data objects' names
    // (`Symbols::data_objects`); only those it uses are listed.
    let mut used = std::collections::BTreeSet::new();
    let symbols = func.global_values.values().filter_map(|gv| match gv {
        ir::GlobalValueData::Symbol { name, .. } => Some(name),
        _ => None,
    });
    for name in symbols.chain(func.dfg.ext_funcs.values().map(|f| &f.name)) {
        if let ir::ExternalName::User(r) = name {
            used.insert(*r);
        }
    }
    for (k, name) in func.params.user_named_funcs() {
        if !used.contains(&k) {
            continue;
        }
        let what = match name.namespace {
            0 => format!("function {}{}", name.index, wasm_name(env, name.index)),
            _ => DATA_OBJECTS
                .get(name.index as usize)
                .map_or_else(|| "?".to_string(), |d| d.to_string()),
        };
        text.push_str(&format!(
            "; userextname{} = u{}:{} {what}\n",
            k.as_u32(),
            name.namespace,
            name.index
        ));
    }
    text.push_str(&func.display().to_string());
}

/// ` $name` from the name section, or nothing.
fn wasm_name(env: &ModuleEnv, index: u32) -> String {
    env.func_names
        .get(&index)
        .map(|n| format!(" ${n}"))
        .unwrap_or_default()
}
