//! Object emission: the compiled module as one relocatable ELF object.
//!
//! The object defines, besides the functions' code:
//!
//! ```text
//! wasi_aot_module_info  ModuleInfo (exported; the runtime's only way in)
//!   ├─ vmctx ──────────▶ wasi_aot_vmctx       VMContext (memory 0, builtins)
//!   ├─ memories ───────▶ wasi_aot_memory_info [MemoryInfo; nmemories]
//!   ├─ memory_states ──▶ wasi_aot_memory_states [*mut VMMemory; nmemories]
//!   │                      ─▶ VMContext::memory, wasi_aot_memories[i], or an
//!   │                         imported memory's (the loader writes those)
//!   ├─ tables[i].state ▶ wasi_aot_tables      [VMTable; ntables]
//!   ├─ funcs ──────────▶ wasi_aot_funcs       [FuncInfo; ndefined] ─▶ code, names
//!   ├─ traps ──────────▶ wasi_aot_traps       [TrapSite]  (per function, by offset)
//!   ├─ handlers ───────▶ wasi_aot_handlers    [HandlerSite] (by function, offset)
//!   ├─ func_imports ───▶ wasi_aot_imports     [FuncImport]
//!   ├─ func_import_slots▶ wasi_aot_import_slots [usize; nimports] (runtime fills)
//!   ├─ data / elems ───▶ segment descriptors ─▶ bytes / funcref words
//!   └─ caps ───────────▶ granted dirs, env, sockets
//! wasi_aot_globals      16-byte slot per global, initial values in place
//! wasi_aot_funcrefs     [VMFuncRef; nfuncs]
//! wasi_aot_type_ids     [u32; ntypes]
//! wasi_aot_memories     [VMMemory; nmemories] (defined memories but memory 0)
//! wasi_aot_tags         [usize; ntags] tag identities (imported: loader writes)
//! wasi_aot_global_imports / table_imports
//!                       pointers to imported state (library objects only)
//! ```
//!
//! Every structure is written field by field at `offset_of!` offsets of the
//! `wasi_aot_abi` types, so the object and the runtime cannot disagree.
//! Besides the wasm functions the emitter generates three kinds of glue
//! function: `init` (segments, then the start function), `entry` (calls
//! `_start`), and one `tail`-convention thunk per imported function, which is
//! what a funcref to an import points at. Library objects
//! ([`compile_library`]) add one array-call trampoline per function type.

use crate::codegen::{self, CompiledFunc, TargetCpu};
use crate::env::{
    self, ConstBinOp, ConstValue, DeferredConst, ElemKind, FuncIndex, GlobalInit, HOST_CALL_CONV,
    ModuleEnv, Symbols, WASM_CALL_CONV, abi_signature, wasm_signature,
};
use crate::error::{CompileError, Result};
use crate::parse::{self, Features, signature_matches};
use cranelift_codegen::ir::{self, InstBuilder, MemFlagsData, types};
use cranelift_codegen::isa::TargetFrontendConfig;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module};
use cranelift_object::{ObjectBuilder, ObjectModule};
use rayon::prelude::*;
use std::collections::HashSet;
use std::mem::{offset_of, size_of};
use wasi_aot_abi::{
    self as abi, Builtin, Capabilities, DataSegment, DirGrant, ElemSegment, EnvGrant, FuncImport,
    FuncInfo, HandlerSite, MemoryInfo, ModuleInfo, RefKind, Slice, Str, TableInfo, TrapSite,
    VMContext, VMFuncRef,
};
use wasmparser::{ExternalKind, FuncToValidate, ValidatorResources};

/// Capabilities to bake into the executable.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Grants {
    /// `(host, guest)` directory pairs.
    pub dirs: Vec<(String, String)>,
    /// `(name, value)`; `None` copies the host's value at start-up.
    pub env: Vec<(String, Option<String>)>,
    pub inherit_env: bool,
    /// Addresses of listening sockets to grant.
    pub tcp_listen: Vec<String>,
}

/// Build options that change the object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Options {
    pub cpu: TargetCpu,
    pub grants: Grants,
    pub features: Features,
}

/// What the object is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// An executable: WASI imports only, `_start` called by `entry`.
    Command,
    /// A library object loaded in-process (the spec test harness): any
    /// imports, plus one array-call trampoline per function type.
    Library,
}

/// Compiles a WASI command module to an object file.
pub fn compile_command(wasm: &[u8], options: &Options) -> Result<Vec<u8>> {
    compile(wasm, options, Kind::Command)
}

/// Compiles any module to an object meant to be loaded in-process, once per
/// instance, by a loader that resolves its imports itself (the spec test
/// harness). It is an executable's object plus:
/// - imports of any kind: a non-WASI function import's slot holds the code
///   of another instance's wasm function (`tail` convention); imported
///   globals, tables and memories are reached through the pointers in the
///   `wasi_aot_global_imports`, `wasi_aot_table_imports` and
///   `wasi_aot_memory_states` data objects, which the loader fills (the
///   entries of imported memories; `ModuleInfo::memories` says which);
/// - for each function type `T` (type-section index of the first
///   equal type) an array-call trampoline
///   `wasi_aot_trampoline[T]`, of C type
///   `void (*)(const void *code, u128 *args_and_results)`: it reads the
///   parameters from 16-byte slots, calls `code` in the `tail` convention
///   and writes the results back to the slots from the first.
///
/// The loader finds these and the other data objects (`wasi_aot_funcrefs`,
/// `wasi_aot_globals`, `wasi_aot_tables`, `wasi_aot_type_ids`,
/// `wasi_aot_import_slots`) by name in the object's symbol table.
pub fn compile_library(wasm: &[u8], options: &Options) -> Result<Vec<u8>> {
    compile(wasm, options, Kind::Library)
}

fn compile(wasm: &[u8], options: &Options, kind: Kind) -> Result<Vec<u8>> {
    compile_module(wasm, options, kind).map_err(|e| parse::unsupported_feature(wasm, e))
}

fn compile_module(wasm: &[u8], options: &Options, kind: Kind) -> Result<Vec<u8>> {
    let parse::Parsed { env, funcs } = parse::parse_with(wasm, options.features)?;
    if kind == Kind::Command {
        check_command(&env)?;
    }
    let isa = codegen::target_isa(options.cpu)?;
    let builder = ObjectBuilder::new(
        isa.clone(),
        "wasm-module",
        cranelift_module::default_libcall_names(),
    )
    .map_err(|e| CompileError::Object(e.to_string()))?;
    let mut module = ObjectModule::new(builder);
    let syms = declare_symbols(&mut module, &env)?;

    // Translate and compile every function in parallel; collecting an
    // indexed parallel iterator keeps function-index order.
    let num_imported = env.num_imported_funcs();
    let bodies: Vec<(usize, FuncToValidate<ValidatorResources>)> =
        funcs.into_iter().enumerate().collect();
    let compiled: Vec<Result<CompiledFunc>> = bodies
        .into_par_iter()
        .map(|(i, to_validate)| {
            let index = num_imported + i as u32;
            let mut validator = to_validate.into_validator(Default::default());
            let func = crate::translate::translate_function(
                &env,
                &syms,
                &*isa,
                index,
                &env.bodies[i],
                &mut validator,
            )?;
            codegen::compile_function(&*isa, syms.funcs[index as usize], index, func)
        })
        .collect();

    let mut glue = Vec::new();
    for import in 0..num_imported {
        glue.push(codegen::compile_function(
            &*isa,
            syms.funcs[import as usize],
            import,
            import_thunk(&env, &syms, isa.frontend_config(), import),
        )?);
    }
    let start = match kind {
        Kind::Command => start_export(&env),
        Kind::Library => None,
    };
    let (init_id, entry_id) = declare_glue(&mut module, start.is_some())?;
    let plan = InitPlan::new(&env);
    plan.define_table(&mut module, syms.segment_inits)?;
    glue.push(codegen::compile_function(
        &*isa,
        init_id,
        u32::MAX,
        init_function(&env, &syms, &plan, isa.frontend_config()),
    )?);
    if let (Some(start), Some(entry_id)) = (start, entry_id) {
        let func = entry_function(&syms, isa.frontend_config(), start);
        glue.push(codegen::compile_function(&*isa, entry_id, u32::MAX, func)?);
    }
    if kind == Kind::Library {
        for (ty, id) in declare_trampolines(&mut module, &env)? {
            let func = trampoline(&env, isa.frontend_config(), id, ty);
            glue.push(codegen::compile_function(&*isa, id, u32::MAX, func)?);
        }
    }

    let mut defined = Vec::with_capacity(compiled.len());
    for result in compiled {
        let func = result?;
        define_function(&mut module, &func)?;
        defined.push(func);
    }
    for func in &glue {
        define_function(&mut module, func)?;
    }

    let emitter = DataEmitter {
        env: &env,
        syms: &syms,
    };
    emitter.emit(&mut module, &defined, init_id, entry_id, &options.grants)?;

    let product = module.finish();
    product
        .emit()
        .map_err(|e| CompileError::Object(e.to_string()))
}

/// Checks that the module can become an executable: every import is a WASI
/// function with the right signature, WASI functions get a 32-bit memory 0
/// (WASI preview 1 has 32-bit pointers), and `_start` exists with type
/// `[] -> []`.
pub fn check_command(env: &ModuleEnv) -> Result<()> {
    if let Some(import) = env.other_imports.first() {
        return Err(CompileError::UnknownImport {
            module: import.module.clone(),
            name: import.name.clone(),
            offset: import.offset,
            detail: ": an executable can import only WASI functions".into(),
        });
    }
    for import in &env.func_imports {
        if import.wasi.is_none() {
            let ty = &env.types[import.type_index as usize];
            let detail = match abi::WasiFunc::from_name(&import.name) {
                Some(f)
                    if abi::WASI_MODULES.contains(&import.module.as_str())
                        && !signature_matches(f.signature(), ty) =>
                {
                    format!(": its type {ty} is not the WASI function's")
                }
                _ => String::new(),
            };
            return Err(CompileError::UnknownImport {
                module: import.module.clone(),
                name: import.name.clone(),
                offset: import.offset,
                detail,
            });
        }
    }
    if let (Some(import), Some(memory)) = (env.func_imports.first(), env.memories.first())
        && memory.memory64
    {
        return Err(CompileError::unsupported(
            "WASI with a 64-bit memory 0 (WASI preview 1 addresses a 32-bit memory)",
            import.offset,
        ));
    }
    match start_export(env) {
        Some(f) => {
            let ty = env.func_type(f);
            if !ty.params().is_empty() || !ty.results().is_empty() {
                return Err(CompileError::NotCommand(format!(
                    "the `_start` export has type {ty}, expected [] -> []"
                )));
            }
            Ok(())
        }
        None => Err(CompileError::NotCommand(
            "not a WASI command: the module exports no `_start` function".into(),
        )),
    }
}

fn start_export(env: &ModuleEnv) -> Option<FuncIndex> {
    env.exports
        .iter()
        .find(|e| e.name == "_start" && e.kind == ExternalKind::Func)
        .map(|e| e.index)
}

fn object_err(e: impl std::fmt::Display) -> CompileError {
    CompileError::Object(e.to_string())
}

/// A symbol name for function `index`: its name-section name when that is
/// unique and cannot be confused with the runtime's symbols, else
/// [`fallback_symbol`]. `used` must hold every function's fallback already,
/// so that a name-section name cannot take another function's.
fn function_symbol(env: &ModuleEnv, index: FuncIndex, used: &mut HashSet<String>) -> String {
    if let Some(name) = env.func_names.get(&index) {
        let clean = symbol_chars(name);
        if !clean.is_empty() && !clean.starts_with(abi::sym::PREFIX) && used.insert(clean.clone()) {
            return clean;
        }
    }
    fallback_symbol(index)
}

/// The symbol name of a function without a usable name.
fn fallback_symbol(index: FuncIndex) -> String {
    format!("wasm-function[{index}]")
}

/// `name` with every character but printable ASCII replaced by `_`: names
/// come from the module, and an object's symbols cannot hold a NUL.
fn symbol_chars(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_graphic() { c } else { '_' })
        .collect()
}

fn declare_symbols(module: &mut ObjectModule, env: &ModuleEnv) -> Result<Symbols> {
    let mut used: HashSet<String> = (0..env.funcs.len() as u32).map(fallback_symbol).collect();
    let mut funcs = Vec::with_capacity(env.funcs.len());
    for index in 0..env.funcs.len() as u32 {
        let sig = wasm_signature(env.func_type(index), WASM_CALL_CONV);
        let name = if env.is_imported(index) {
            let import = &env.func_imports[index as usize];
            format!(
                "{}import_thunk[{}::{}]",
                abi::sym::PREFIX,
                symbol_chars(&import.module),
                symbol_chars(&import.name)
            )
        } else {
            function_symbol(env, index, &mut used)
        };
        let name = if used.insert(name.clone()) || !env.is_imported(index) {
            name
        } else {
            format!("{name}#{index}")
        };
        funcs.push(
            module
                .declare_function(&name, Linkage::Local, &sig)
                .map_err(object_err)?,
        );
    }
    let mut data = |name: &str, linkage: Linkage| {
        module
            .declare_data(&format!("{}{name}", abi::sym::PREFIX), linkage, true, false)
            .map_err(object_err)
    };
    Ok(Symbols {
        funcs,
        vmctx: data("vmctx", Linkage::Export)?,
        globals: data("globals", Linkage::Local)?,
        tables: data("tables", Linkage::Local)?,
        funcrefs: data("funcrefs", Linkage::Local)?,
        type_ids: data("type_ids", Linkage::Local)?,
        import_slots: data("import_slots", Linkage::Local)?,
        global_imports: data("global_imports", Linkage::Local)?,
        table_imports: data("table_imports", Linkage::Local)?,
        memory_states: data("memory_states", Linkage::Local)?,
        memories: data("memories", Linkage::Local)?,
        tags: data("tags", Linkage::Local)?,
        segment_inits: module
            .declare_data(
                &format!("{}segment_inits", abi::sym::PREFIX),
                Linkage::Local,
                false,
                false,
            )
            .map_err(object_err)?,
    })
}

/// Declares `init`, and `entry` when the object calls `_start` (every
/// declared function must be defined).
fn declare_glue(module: &mut ObjectModule, with_entry: bool) -> Result<(FuncId, Option<FuncId>)> {
    let mut sig = ir::Signature::new(HOST_CALL_CONV);
    sig.params.push(ir::AbiParam::new(types::I64));
    let init = module
        .declare_function("wasi_aot_init", Linkage::Local, &sig)
        .map_err(object_err)?;
    let entry = if with_entry {
        Some(
            module
                .declare_function("wasi_aot_entry", Linkage::Local, &sig)
                .map_err(object_err)?,
        )
    } else {
        None
    };
    Ok((init, entry))
}

/// Declares one trampoline per module-canonical function type.
fn declare_trampolines(module: &mut ObjectModule, env: &ModuleEnv) -> Result<Vec<(u32, FuncId)>> {
    let mut out = Vec::new();
    for (i, canonical) in env.canonical_types.iter().enumerate() {
        if *canonical != i as u32 {
            continue;
        }
        let id = module
            .declare_function(
                &format!("{}trampoline[{i}]", abi::sym::PREFIX),
                Linkage::Local,
                &trampoline_signature(),
            )
            .map_err(object_err)?;
        out.push((i as u32, id));
    }
    Ok(out)
}

fn trampoline_signature() -> ir::Signature {
    let mut sig = ir::Signature::new(HOST_CALL_CONV);
    sig.params.push(ir::AbiParam::new(types::I64));
    sig.params.push(ir::AbiParam::new(types::I64));
    sig
}

/// Size of one argument/result slot of a trampoline's array.
const TRAMPOLINE_SLOT: i32 = 16;

/// The array-call trampoline of function type `ty` (see [`compile_library`]).
fn trampoline(env: &ModuleEnv, config: TargetFrontendConfig, id: FuncId, ty: u32) -> ir::Function {
    let ty = &env.types[ty as usize];
    let mut func = ir::Function::with_name_signature(
        ir::UserFuncName::user(0, id.as_u32()),
        trampoline_signature(),
    );
    let mut ctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut ctx);
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    let (code, slots) = (b.block_params(block)[0], b.block_params(block)[1]);
    let flags = MemFlagsData::trusted();
    let args: Vec<ir::Value> = ty
        .params()
        .iter()
        .enumerate()
        .map(|(i, t)| {
            b.ins()
                .load(env::clif_type(*t), flags, slots, i as i32 * TRAMPOLINE_SLOT)
        })
        .collect();
    let sig = b.import_signature(wasm_signature(ty, WASM_CALL_CONV));
    let call = b.ins().call_indirect(sig, code, &args);
    let results = b.inst_results(call).to_vec();
    for (i, v) in results.into_iter().enumerate() {
        b.ins().store(flags, v, slots, i as i32 * TRAMPOLINE_SLOT);
    }
    b.ins().return_(&[]);
    b.finalize(config);
    func
}

fn define_function(module: &mut ObjectModule, func: &CompiledFunc) -> Result<()> {
    module
        .define_function_bytes(func.id, func.alignment, &func.code, &func.relocs)
        .map_err(object_err)
}

// ---------------------------------------------------------------------------
// Glue functions

fn user_func(func: &mut ir::Function, id: FuncId, sig: ir::Signature) -> ir::FuncRef {
    let name = func.declare_imported_user_function(ir::UserExternalName::new(0, id.as_u32()));
    let signature = func.import_signature(sig);
    func.import_function(ir::ExtFuncData {
        name: ir::ExternalName::user(name),
        signature,
        colocated: true,
        patchable: false,
    })
}

fn user_data(builder: &mut FunctionBuilder, id: DataId) -> ir::Value {
    let name = builder
        .func
        .declare_imported_user_function(ir::UserExternalName::new(1, id.as_u32()));
    let gv = builder
        .func
        .create_global_value(ir::GlobalValueData::Symbol {
            name: ir::ExternalName::user(name),
            offset: ir::immediates::Imm64::new(0),
            colocated: true,
            tls: false,
        });
    builder.ins().symbol_value(types::I64, gv)
}

fn readonly() -> MemFlagsData {
    MemFlagsData::trusted().with_readonly().with_can_move()
}

/// The code a funcref to imported function `import` points at: a `tail` →
/// C thunk for a WASI import, a tail call through the slot for a wasm one.
fn import_thunk(
    env: &ModuleEnv,
    syms: &Symbols,
    config: TargetFrontendConfig,
    import: FuncIndex,
) -> ir::Function {
    let ty = env.func_type(import);
    let mut func = ir::Function::with_name_signature(
        ir::UserFuncName::user(0, syms.funcs[import as usize].as_u32()),
        wasm_signature(ty, WASM_CALL_CONV),
    );
    let mut ctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut ctx);
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    let args = b.block_params(block).to_vec();
    let slots = user_data(&mut b, syms.import_slots);
    let callee = b.ins().load(
        types::I64,
        readonly(),
        slots,
        Symbols::import_slot_offset(import),
    );
    if env.func_imports[import as usize].is_host() {
        let sig = b.import_signature(wasm_signature(ty, HOST_CALL_CONV));
        let call = b.ins().call_indirect(sig, callee, &args);
        let results = b.inst_results(call).to_vec();
        b.ins().return_(&results);
    } else {
        let sig = b.import_signature(wasm_signature(ty, WASM_CALL_CONV));
        b.ins().return_call_indirect(sig, callee, &args);
    }
    b.finalize(config);
    func
}

fn call_builtin(b: &mut FunctionBuilder, vmctx: ir::Value, builtin: Builtin, args: &[ir::Value]) {
    let offset = offset_of!(VMContext, builtins) + 8 * builtin as usize;
    let callee = b.ins().load(types::I64, readonly(), vmctx, offset as i32);
    let sig = b.import_signature(abi_signature(builtin.signature()));
    let mut all = vec![vmctx];
    all.extend_from_slice(args);
    b.ins().call_indirect(sig, callee, &all);
}

/// The value of imported global `global` (type `ty`).
fn imported_global(
    b: &mut FunctionBuilder,
    syms: &Symbols,
    global: u32,
    ty: ir::Type,
) -> ir::Value {
    let slots = user_data(b, syms.global_imports);
    let ptr = b.ins().load(
        types::I64,
        readonly(),
        slots,
        Symbols::import_pointer_offset(global),
    );
    b.ins().load(ty, MemFlagsData::trusted(), ptr, 0)
}

/// A segment offset as an `i64` (32-bit offsets zero-extended).
fn offset_value(
    b: &mut FunctionBuilder,
    env: &ModuleEnv,
    syms: &Symbols,
    value: &ConstValue,
) -> ir::Value {
    match value {
        ConstValue::I32(v) => b.ins().iconst(types::I64, i64::from(*v as u32)),
        ConstValue::I64(v) => b.ins().iconst(types::I64, *v),
        _ => match env.deferred_const(*value) {
            Some(deferred) => {
                let v = deferred_value(b, env, syms, &deferred);
                if b.func.dfg.value_type(v) == types::I32 {
                    b.ins().uextend(types::I64, v)
                } else {
                    v
                }
            }
            None => b.ins().iconst(types::I64, 0),
        },
    }
}

/// Computes a constant initializer known only at instantiation: loads of
/// imported globals, constants, and wrapping `iadd`, `isub`, `imul` at the
/// operands' width.
fn deferred_value(
    b: &mut FunctionBuilder,
    env: &ModuleEnv,
    syms: &Symbols,
    value: &DeferredConst,
) -> ir::Value {
    match value {
        DeferredConst::I32(v) => b.ins().iconst(types::I32, i64::from(*v)),
        DeferredConst::I64(v) => b.ins().iconst(types::I64, *v),
        DeferredConst::ImportedGlobal(g) => {
            let ty = env::clif_type(env.globals[*g as usize].ty.content_type);
            imported_global(b, syms, *g, ty)
        }
        DeferredConst::Binary(op, x, y) => {
            let x = deferred_value(b, env, syms, x);
            let y = deferred_value(b, env, syms, y);
            match op {
                ConstBinOp::Add => b.ins().iadd(x, y),
                ConstBinOp::Sub => b.ins().isub(x, y),
                ConstBinOp::Mul => b.ins().imul(x, y),
            }
        }
    }
}

/// One entry of the `segment_inits` table: an active segment whose offset is
/// a constant, applied by a loop in `init`.
mod seg_init {
    /// Table (element segments) or memory (data segments) index: `u32`.
    pub const TARGET: usize = 0;
    /// Segment index: `u32`.
    pub const SEGMENT: usize = 4;
    /// Offset in the table or memory: `u64`.
    pub const OFFSET: usize = 8;
    /// Segment length: `u32`.
    pub const LEN: usize = 16;
    pub const SIZE: usize = 24;
}

/// What `init` does with the segments, in the spec's order.
struct InitPlan {
    steps: Vec<InitStep>,
    /// The `segment_inits` table's entries: `(target, segment, offset, len)`.
    entries: Vec<(u32, u32, u64, u32)>,
}

enum InitStep {
    /// `count` entries of the table from `start`: per entry, the builtin
    /// (`TableInit` or `MemoryInit`) and the matching drop.
    Run {
        builtin: Builtin,
        start: usize,
        count: usize,
    },
    /// An active segment whose offset is known only at instantiation (it
    /// reads an imported global), applied by code of its own:
    /// `builtin(target, seg, offset, 0, len)`, then the segment's drop.
    Call {
        builtin: Builtin,
        target: u32,
        seg: u32,
        offset: ConstValue,
        len: usize,
    },
    /// A declarative element segment: only dropped.
    ElemDrop(u32),
}

/// The drop builtin matching a segment's init builtin.
fn drop_builtin(init: Builtin) -> Builtin {
    match init {
        Builtin::TableInit => Builtin::ElemDrop,
        _ => Builtin::DataDrop,
    }
}

impl InitPlan {
    /// Active segments with constant offsets go into the table, consecutive
    /// ones sharing one loop, so `init` stays small however many segments a
    /// module has; the others (offsets read from imported globals, only in
    /// library objects) get code of their own, in order.
    fn new(env: &ModuleEnv) -> InitPlan {
        let mut plan = InitPlan {
            steps: Vec::new(),
            entries: Vec::new(),
        };
        for (i, elem) in env.elems.iter().enumerate() {
            match &elem.kind {
                ElemKind::Active { table, offset } => {
                    plan.push(Builtin::TableInit, *table, i, *offset, elem.items.len())
                }
                ElemKind::Declared => plan.steps.push(InitStep::ElemDrop(i as u32)),
                ElemKind::Passive => {}
            }
        }
        for (i, data) in env.data.iter().enumerate() {
            if let Some((memory, offset)) = data.active {
                plan.push(Builtin::MemoryInit, memory, i, offset, data.bytes.len());
            }
        }
        plan
    }

    /// One active segment: a table entry when its offset is a constant,
    /// else a call of its own.
    fn push(&mut self, builtin: Builtin, target: u32, seg: usize, offset: ConstValue, len: usize) {
        let seg = seg as u32;
        let Some(at) = constant_offset(&offset) else {
            self.steps.push(InitStep::Call {
                builtin,
                target,
                seg,
                offset,
                len,
            });
            return;
        };
        // A segment is at most a module's size, far below 4 GiB; a longer
        // one could not have been parsed.
        let len = u32::try_from(len).unwrap_or(u32::MAX);
        self.entries.push((target, seg, at, len));
        if let Some(InitStep::Run {
            builtin: b, count, ..
        }) = self.steps.last_mut()
            && *b == builtin
        {
            *count += 1;
            return;
        }
        self.steps.push(InitStep::Run {
            builtin,
            start: self.entries.len() - 1,
            count: 1,
        });
    }

    /// The table as a data object (nothing when it is empty).
    fn define_table(&self, module: &mut ObjectModule, id: DataId) -> Result<()> {
        let mut table = Blob::new(self.entries.len() * seg_init::SIZE, 8);
        for (k, &(target, seg, offset, len)) in self.entries.iter().enumerate() {
            let at = k * seg_init::SIZE;
            table.put_u32(at + seg_init::TARGET, target);
            table.put_u32(at + seg_init::SEGMENT, seg);
            table.put_u64(at + seg_init::OFFSET, offset);
            table.put_u32(at + seg_init::LEN, len);
        }
        table.define(module, id)
    }
}

/// The offset of an active segment when it is a constant (32-bit offsets
/// zero-extended).
fn constant_offset(value: &ConstValue) -> Option<u64> {
    match value {
        ConstValue::I32(v) => Some(u64::from(*v as u32)),
        ConstValue::I64(v) => Some(*v as u64),
        _ => None,
    }
}

/// A loop over `count` entries of the `segment_inits` table from `start`:
/// `builtin(target, segment, offset, 0, len)`, then the segment's drop.
fn init_loop(
    b: &mut FunctionBuilder,
    vmctx: ir::Value,
    syms: &Symbols,
    builtin: Builtin,
    start: usize,
    count: usize,
) {
    let table = user_data(b, syms.segment_inits);
    let first = b.ins().iadd_imm_u(table, (start * seg_init::SIZE) as i64);
    let end = b
        .ins()
        .iadd_imm_u(table, ((start + count) * seg_init::SIZE) as i64);
    let body = b.create_block();
    let done = b.create_block();
    let entry = b.append_block_param(body, types::I64);
    b.ins().jump(body, &[first.into()]);
    b.switch_to_block(body);
    let flags = MemFlagsData::trusted().with_readonly();
    let target = b
        .ins()
        .load(types::I32, flags, entry, seg_init::TARGET as i32);
    let seg = b
        .ins()
        .load(types::I32, flags, entry, seg_init::SEGMENT as i32);
    let offset = b
        .ins()
        .load(types::I64, flags, entry, seg_init::OFFSET as i32);
    let len = b.ins().load(types::I32, flags, entry, seg_init::LEN as i32);
    let zero = b.ins().iconst(types::I32, 0);
    call_builtin(b, vmctx, builtin, &[target, seg, offset, zero, len]);
    call_builtin(b, vmctx, drop_builtin(builtin), &[seg]);
    let next = b.ins().iadd_imm_u(entry, seg_init::SIZE as i64);
    let more = b
        .ins()
        .icmp(ir::condcodes::IntCC::UnsignedLessThan, next, end);
    b.ins().brif(more, body, &[next.into()], done, &[]);
    b.seal_block(body);
    b.switch_to_block(done);
    b.seal_block(done);
}

/// Instantiation, as the spec orders it: globals initialised from imported
/// globals, element segments (active ones are `table.init` + `elem.drop`,
/// declarative ones dropped), then data segments (`memory.init` +
/// `data.drop`), then the start function. Segments with constant offsets
/// are applied by loops over the `segment_inits` table ([`InitPlan`]).
fn init_function(
    env: &ModuleEnv,
    syms: &Symbols,
    plan: &InitPlan,
    config: TargetFrontendConfig,
) -> ir::Function {
    let mut sig = ir::Signature::new(HOST_CALL_CONV);
    sig.params.push(ir::AbiParam::new(types::I64));
    let mut func = ir::Function::with_name_signature(ir::UserFuncName::user(0, u32::MAX), sig);
    let mut ctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut ctx);
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    let vmctx = b.block_params(block)[0];
    for (i, global) in env.globals.iter().enumerate() {
        if let GlobalInit::Const(value) = global.init
            && let Some(deferred) = env.deferred_const(value)
        {
            let v = deferred_value(&mut b, env, syms, &deferred);
            let globals = user_data(&mut b, syms.globals);
            b.ins().store(
                MemFlagsData::trusted(),
                v,
                globals,
                Symbols::global_offset(i as u32),
            );
        }
    }
    // Element items reading imported globals, through the segment
    // descriptors `ModuleInfo::elems` points to.
    for (i, elem) in env.elems.iter().enumerate() {
        for &(item, global) in &elem.global_items {
            let info = b.ins().load(
                types::I64,
                readonly(),
                vmctx,
                offset_of!(VMContext, info) as i32,
            );
            let descs = b.ins().load(
                types::I64,
                readonly(),
                info,
                (offset_of!(ModuleInfo, elems) + offset_of!(Slice<ElemSegment>, ptr)) as i32,
            );
            let items = b.ins().load(
                types::I64,
                readonly(),
                descs,
                (i * size_of::<ElemSegment>() + offset_of!(ElemSegment, items)) as i32,
            );
            let v = imported_global(&mut b, syms, global, types::I64);
            b.ins()
                .store(MemFlagsData::trusted(), v, items, item as i32 * 8);
        }
    }
    for step in &plan.steps {
        match *step {
            InitStep::Run {
                builtin,
                start,
                count,
            } => {
                init_loop(&mut b, vmctx, syms, builtin, start, count);
            }
            InitStep::Call {
                builtin,
                target,
                seg,
                offset,
                len,
            } => {
                let target = b.ins().iconst(types::I32, i64::from(target));
                let seg = b.ins().iconst(types::I32, i64::from(seg));
                let dst = offset_value(&mut b, env, syms, &offset);
                let zero = b.ins().iconst(types::I32, 0);
                let len = b.ins().iconst(types::I32, len as i64);
                call_builtin(&mut b, vmctx, builtin, &[target, seg, dst, zero, len]);
                call_builtin(&mut b, vmctx, drop_builtin(builtin), &[seg]);
            }
            InitStep::ElemDrop(i) => {
                let seg = b.ins().iconst(types::I32, i64::from(i));
                call_builtin(&mut b, vmctx, Builtin::ElemDrop, &[seg]);
            }
        }
    }
    if let Some(start) = env.start {
        let callee = user_func(
            b.func,
            syms.funcs[start as usize],
            wasm_signature(env.func_type(start), WASM_CALL_CONV),
        );
        b.ins().call(callee, &[]);
    }
    b.ins().return_(&[]);
    b.finalize(config);
    func
}

/// C-convention entry that calls the `_start` export.
fn entry_function(syms: &Symbols, config: TargetFrontendConfig, start: FuncIndex) -> ir::Function {
    let mut sig = ir::Signature::new(HOST_CALL_CONV);
    sig.params.push(ir::AbiParam::new(types::I64));
    let mut func = ir::Function::with_name_signature(ir::UserFuncName::user(0, u32::MAX - 1), sig);
    let mut ctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut ctx);
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    let callee = user_func(
        b.func,
        syms.funcs[start as usize],
        ir::Signature::new(WASM_CALL_CONV),
    );
    b.ins().call(callee, &[]);
    b.ins().return_(&[]);
    b.finalize(config);
    func
}

// ---------------------------------------------------------------------------
// Data

/// What a pointer-sized word in a data object points at.
#[derive(Clone, Copy)]
enum Target {
    Func(FuncId),
    Data(DataId, i64),
}

/// A data object under construction: zero-initialised bytes plus relocations.
struct Blob {
    bytes: Vec<u8>,
    relocs: Vec<(usize, Target)>,
    align: u64,
}

impl Blob {
    fn new(size: usize, align: u64) -> Blob {
        Blob {
            bytes: vec![0; size],
            relocs: Vec::new(),
            align,
        }
    }
    fn put_u32(&mut self, at: usize, v: u32) {
        self.bytes[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }
    fn put_u64(&mut self, at: usize, v: u64) {
        self.bytes[at..at + 8].copy_from_slice(&v.to_le_bytes());
    }
    fn put_bytes(&mut self, at: usize, v: &[u8]) {
        self.bytes[at..at + v.len()].copy_from_slice(v);
    }
    fn put_ptr(&mut self, at: usize, target: Target) {
        self.relocs.push((at, target));
    }
    /// A `Slice<T>`/`Str` at `at`: pointer to `target` (null when empty).
    fn put_slice(&mut self, at: usize, target: Option<Target>, len: u64) {
        const _: () = assert!(offset_of!(Str, len) == 8 && offset_of!(Slice<u8>, len) == 8);
        if let (Some(target), true) = (target, len > 0) {
            self.put_ptr(at, target);
        }
        self.put_u64(at + 8, len);
    }
    fn define(self, module: &mut ObjectModule, id: DataId) -> Result<()> {
        let mut desc = DataDescription::new();
        let mut bytes = self.bytes;
        if bytes.is_empty() {
            bytes.resize(8, 0);
        }
        desc.define(bytes.into_boxed_slice());
        desc.set_align(self.align);
        for (at, target) in self.relocs {
            match target {
                Target::Func(f) => {
                    let r = module.declare_func_in_data(f, &mut desc);
                    desc.write_function_addr(at as u32, r);
                }
                Target::Data(d, addend) => {
                    let gv = module.declare_data_in_data(d, &mut desc);
                    desc.write_data_addr(at as u32, gv, addend);
                }
            }
        }
        module.define_data(id, &desc).map_err(object_err)
    }
}

/// Strings referenced by the metadata, in one blob.
struct Strings {
    bytes: Vec<u8>,
}

impl Strings {
    fn add(&mut self, s: &str) -> (i64, u64) {
        let at = self.bytes.len() as i64;
        self.bytes.extend_from_slice(s.as_bytes());
        (at, s.len() as u64)
    }
}

struct DataEmitter<'a, 'data> {
    env: &'a ModuleEnv<'data>,
    syms: &'a Symbols,
}

impl DataEmitter<'_, '_> {
    fn declare(module: &mut ObjectModule, name: &str, writable: bool) -> Result<DataId> {
        module
            .declare_data(
                &format!("{}{name}", abi::sym::PREFIX),
                Linkage::Local,
                writable,
                false,
            )
            .map_err(object_err)
    }

    fn emit(
        &self,
        module: &mut ObjectModule,
        defined: &[CompiledFunc],
        init: FuncId,
        entry: Option<FuncId>,
        grants: &Grants,
    ) -> Result<()> {
        let env = self.env;
        let syms = self.syms;
        let info_id = module
            .declare_data(abi::sym::MODULE_INFO, Linkage::Export, false, false)
            .map_err(object_err)?;
        let strings_id = Self::declare(module, "strings", false)?;
        let mut strings = Strings { bytes: Vec::new() };
        let str_target = |(at, _): (i64, u64)| Some(Target::Data(strings_id, at));

        // VMContext: everything zero but the back pointer to the module info.
        let mut vmctx = Blob::new(size_of::<VMContext>(), 16);
        vmctx.put_ptr(offset_of!(VMContext, info), Target::Data(info_id, 0));
        vmctx.define(module, syms.vmctx)?;

        // Globals with their initial values.
        let mut globals = Blob::new(env.globals.len() * env::GLOBAL_SLOT as usize, 16);
        for (i, global) in env.globals.iter().enumerate() {
            let at = Symbols::global_offset(i as u32) as usize;
            let GlobalInit::Const(value) = &global.init else {
                continue;
            };
            match *value {
                ConstValue::I32(v) => globals.put_u32(at, v as u32),
                ConstValue::I64(v) => globals.put_u64(at, v as u64),
                ConstValue::F32(v) => globals.put_u32(at, v),
                ConstValue::F64(v) => globals.put_u64(at, v),
                ConstValue::V128(v) => globals.put_bytes(at, &v.to_le_bytes()),
                ConstValue::RefNull | ConstValue::ImportedGlobal(_) | ConstValue::Computed(_) => {}
                ConstValue::RefFunc(f) => globals.put_ptr(
                    at,
                    Target::Data(syms.funcrefs, i64::from(Symbols::funcref_offset(f))),
                ),
            }
        }
        globals.define(module, syms.globals)?;

        Blob::new(env.tables.len() * size_of::<abi::VMTable>(), 16).define(module, syms.tables)?;
        Blob::new(env.func_imports.len() * 8, 8).define(module, syms.import_slots)?;
        let imported_globals = env
            .globals
            .iter()
            .filter(|g| matches!(g.init, GlobalInit::Import))
            .count();
        Blob::new(imported_globals * 8, 8).define(module, syms.global_imports)?;
        Blob::new(env.num_imported_tables as usize * 8, 8).define(module, syms.table_imports)?;
        Blob::new(env.memories.len() * size_of::<abi::VMMemory>(), 16)
            .define(module, syms.memories)?;
        let mut memory_states = Blob::new(env.memories.len() * 8, 8);
        for i in 0..env.memories.len() as u32 {
            let at = Symbols::import_pointer_offset(i) as usize;
            if env.is_imported_memory(i) {
                continue;
            }
            let target = if i == 0 {
                Target::Data(syms.vmctx, offset_of!(VMContext, memory) as i64)
            } else {
                Target::Data(syms.memories, i64::from(Symbols::memory_offset(i)))
            };
            memory_states.put_ptr(at, target);
        }
        memory_states.define(module, syms.memory_states)?;

        // Tag identities: a defined tag's slot holds its own address.
        let mut tags = Blob::new(env.tags.len() * 8, 8);
        for t in env.num_imported_tags..env.tags.len() as u32 {
            let at = Symbols::tag_offset(t);
            tags.put_ptr(at as usize, Target::Data(syms.tags, i64::from(at)));
        }
        tags.define(module, syms.tags)?;

        let mut type_ids = Blob::new(env.types.len() * 4, 4);
        for (i, id) in env.canonical_types.iter().enumerate() {
            type_ids.put_u32(Symbols::type_id_offset(i as u32) as usize, *id);
        }
        type_ids.define(module, syms.type_ids)?;

        let mut funcrefs = Blob::new(env.funcs.len() * size_of::<VMFuncRef>(), 16);
        for (i, ty) in env.funcs.iter().enumerate() {
            let at = Symbols::funcref_offset(i as u32) as usize;
            funcrefs.put_ptr(
                at + offset_of!(VMFuncRef, code),
                Target::Func(syms.funcs[i]),
            );
            funcrefs.put_u32(
                at + offset_of!(VMFuncRef, type_id),
                env.canonical_types[*ty as usize],
            );
        }
        funcrefs.define(module, syms.funcrefs)?;

        // Functions and their trap sites.
        let funcs_id = Self::declare(module, "funcs", false)?;
        let traps_id = Self::declare(module, "traps", false)?;
        let mut funcs = Blob::new(defined.len() * size_of::<FuncInfo>(), 8);
        let all_traps: usize = defined.iter().map(|f| f.traps.len()).sum();
        let mut traps = Blob::new(all_traps * size_of::<TrapSite>(), 4);
        let mut trap_at = 0usize;
        for (i, func) in defined.iter().enumerate() {
            let index = env.num_imported_funcs() + i as u32;
            let at = i * size_of::<FuncInfo>();
            funcs.put_ptr(at + offset_of!(FuncInfo, addr), Target::Func(func.id));
            funcs.put_u32(at + offset_of!(FuncInfo, len), func.code.len() as u32);
            funcs.put_u32(at + offset_of!(FuncInfo, traps_start), trap_at as u32);
            funcs.put_u32(
                at + offset_of!(FuncInfo, traps_len),
                func.traps.len() as u32,
            );
            let name = env.func_names.get(&index).map(String::as_str).unwrap_or("");
            let s = strings.add(name);
            funcs.put_slice(at + offset_of!(FuncInfo, name), str_target(s), s.1);
            for site in &func.traps {
                let t = trap_at * size_of::<TrapSite>();
                traps.put_u32(t + offset_of!(TrapSite, offset), site.offset);
                traps.put_u32(t + offset_of!(TrapSite, code), site.code);
                trap_at += 1;
            }
        }
        funcs.define(module, funcs_id)?;
        traps.define(module, traps_id)?;

        // Exception handlers, by function then return offset.
        let handlers_id = Self::declare(module, "handlers", false)?;
        let all_handlers: usize = defined.iter().map(|f| f.handlers.len()).sum();
        let mut handlers = Blob::new(all_handlers * size_of::<HandlerSite>(), 4);
        let mut at = 0;
        for (i, func) in defined.iter().enumerate() {
            for site in &func.handlers {
                handlers.put_u32(at + offset_of!(HandlerSite, func), i as u32);
                handlers.put_u32(at + offset_of!(HandlerSite, ret_offset), site.ret_offset);
                handlers.put_u32(
                    at + offset_of!(HandlerSite, handler_offset),
                    site.handler_offset,
                );
                handlers.put_u32(
                    at + offset_of!(HandlerSite, frame_offset),
                    site.frame_offset,
                );
                at += size_of::<HandlerSite>();
            }
        }
        handlers.define(module, handlers_id)?;

        // Imports.
        let imports_id = Self::declare(module, "imports", false)?;
        let mut imports = Blob::new(env.func_imports.len() * size_of::<FuncImport>(), 8);
        for (i, import) in env.func_imports.iter().enumerate() {
            let at = i * size_of::<FuncImport>();
            let m = strings.add(&import.module);
            imports.put_slice(at + offset_of!(FuncImport, module), str_target(m), m.1);
            let n = strings.add(&import.name);
            imports.put_slice(at + offset_of!(FuncImport, name), str_target(n), n.1);
            imports.put_u32(
                at + offset_of!(FuncImport, wasi_id),
                import.wasi.map_or(u32::MAX, |w| w as u32),
            );
            imports.put_u32(at + offset_of!(FuncImport, type_index), import.type_index);
        }
        imports.define(module, imports_id)?;

        // Tables.
        let tables_info_id = Self::declare(module, "table_info", false)?;
        let mut tables = Blob::new(env.tables.len() * size_of::<TableInfo>(), 8);
        for (i, table) in env.tables.iter().enumerate() {
            let at = i * size_of::<TableInfo>();
            tables.put_ptr(
                at + offset_of!(TableInfo, state),
                Target::Data(syms.tables, i64::from(Symbols::table_offset(i as u32))),
            );
            tables.put_u64(at + offset_of!(TableInfo, min), table.initial);
            tables.put_u64(
                at + offset_of!(TableInfo, max),
                table.maximum.unwrap_or(u64::MAX),
            );
            let kind = if table.element_type.is_func_ref() {
                RefKind::Func
            } else {
                RefKind::Extern
            };
            tables.put_u32(at + offset_of!(TableInfo, kind), kind as u32);
        }
        tables.define(module, tables_info_id)?;

        // Memories.
        let memory_info_id = Self::declare(module, "memory_info", false)?;
        let mut memories = Blob::new(env.memories.len() * size_of::<MemoryInfo>(), 8);
        for (i, memory) in env.memories.iter().enumerate() {
            let at = i * size_of::<MemoryInfo>();
            let max_pages = if memory.memory64 {
                abi::MEMORY64_MAX_PAGES
            } else {
                abi::MEMORY32_MAX_PAGES
            };
            memories.put_u64(at + offset_of!(MemoryInfo, min_pages), memory.initial);
            memories.put_u64(
                at + offset_of!(MemoryInfo, max_pages),
                memory.maximum.unwrap_or(max_pages).min(max_pages),
            );
            memories.put_u32(
                at + offset_of!(MemoryInfo, index64),
                u32::from(memory.memory64),
            );
            memories.put_u32(
                at + offset_of!(MemoryInfo, imported),
                u32::from(env.is_imported_memory(i as u32)),
            );
        }
        memories.define(module, memory_info_id)?;

        // Data segments: descriptors pointing into one blob of all their
        // bytes (one symbol however many segments there are).
        let data_id = Self::declare(module, "data_segments", false)?;
        let bytes_id = Self::declare(module, "data_bytes", false)?;
        let mut data = Blob::new(env.data.len() * size_of::<DataSegment>(), 8);
        let mut bytes = Blob::new(0, 1);
        for (i, seg) in env.data.iter().enumerate() {
            let at = i * size_of::<DataSegment>();
            if !seg.bytes.is_empty() {
                data.put_ptr(
                    at + offset_of!(DataSegment, bytes),
                    Target::Data(bytes_id, bytes.bytes.len() as i64),
                );
                bytes.bytes.extend_from_slice(seg.bytes);
            }
            data.put_u64(at + offset_of!(DataSegment, len), seg.bytes.len() as u64);
        }
        data.define(module, data_id)?;
        bytes.define(module, bytes_id)?;

        // Element segments: funcref words.
        let elems_id = Self::declare(module, "elem_segments", false)?;
        let mut elems = Blob::new(env.elems.len() * size_of::<ElemSegment>(), 8);
        for (i, seg) in env.elems.iter().enumerate() {
            let at = i * size_of::<ElemSegment>();
            if !seg.items.is_empty() {
                let writable = !seg.global_items.is_empty();
                let items_id = Self::declare(module, &format!("elem[{i}]"), writable)?;
                let mut items = Blob::new(seg.items.len() * 8, 8);
                for (k, item) in seg.items.iter().enumerate() {
                    if let Some(f) = item {
                        items.put_ptr(
                            k * 8,
                            Target::Data(syms.funcrefs, i64::from(Symbols::funcref_offset(*f))),
                        );
                    }
                }
                items.define(module, items_id)?;
                elems.put_ptr(
                    at + offset_of!(ElemSegment, items),
                    Target::Data(items_id, 0),
                );
            }
            elems.put_u64(at + offset_of!(ElemSegment, len), seg.items.len() as u64);
        }
        elems.define(module, elems_id)?;

        // Capabilities.
        let dirs_id = Self::declare(module, "grant_dirs", false)?;
        let mut dirs = Blob::new(grants.dirs.len() * size_of::<DirGrant>(), 8);
        for (i, (host, guest)) in grants.dirs.iter().enumerate() {
            let at = i * size_of::<DirGrant>();
            let h = strings.add(host);
            dirs.put_slice(at + offset_of!(DirGrant, host), str_target(h), h.1);
            let g = strings.add(guest);
            dirs.put_slice(at + offset_of!(DirGrant, guest), str_target(g), g.1);
        }
        dirs.define(module, dirs_id)?;
        let envs_id = Self::declare(module, "grant_env", false)?;
        let mut envs = Blob::new(grants.env.len() * size_of::<EnvGrant>(), 8);
        for (i, (name, value)) in grants.env.iter().enumerate() {
            let at = i * size_of::<EnvGrant>();
            let n = strings.add(name);
            envs.put_slice(at + offset_of!(EnvGrant, name), str_target(n), n.1);
            if let Some(value) = value {
                let v = strings.add(value);
                envs.put_slice(at + offset_of!(EnvGrant, value), str_target(v), v.1);
                envs.put_u32(at + offset_of!(EnvGrant, has_value), 1);
            }
        }
        envs.define(module, envs_id)?;
        let tcp_id = Self::declare(module, "grant_tcp", false)?;
        let mut tcp = Blob::new(grants.tcp_listen.len() * size_of::<Str>(), 8);
        for (i, addr) in grants.tcp_listen.iter().enumerate() {
            let a = strings.add(addr);
            tcp.put_slice(i * size_of::<Str>(), str_target(a), a.1);
        }
        tcp.define(module, tcp_id)?;

        // The module info itself.
        let mut info = Blob::new(size_of::<ModuleInfo>(), 8);
        info.put_u32(offset_of!(ModuleInfo, abi_version), abi::ABI_VERSION);
        info.put_u32(
            offset_of!(ModuleInfo, num_imported_funcs),
            env.num_imported_funcs(),
        );
        info.put_ptr(offset_of!(ModuleInfo, vmctx), Target::Data(syms.vmctx, 0));
        info.put_ptr(offset_of!(ModuleInfo, init), Target::Func(init));
        if let Some(entry) = entry {
            info.put_ptr(offset_of!(ModuleInfo, entry), Target::Func(entry));
        }
        let slice = |id: DataId| Some(Target::Data(id, 0));
        info.put_slice(
            offset_of!(ModuleInfo, memories),
            slice(memory_info_id),
            env.memories.len() as u64,
        );
        info.put_ptr(
            offset_of!(ModuleInfo, memory_states),
            Target::Data(syms.memory_states, 0),
        );
        info.put_slice(
            offset_of!(ModuleInfo, tables),
            slice(tables_info_id),
            env.tables.len() as u64,
        );
        info.put_slice(
            offset_of!(ModuleInfo, func_imports),
            slice(imports_id),
            env.func_imports.len() as u64,
        );
        info.put_ptr(
            offset_of!(ModuleInfo, func_import_slots),
            Target::Data(syms.import_slots, 0),
        );
        info.put_slice(
            offset_of!(ModuleInfo, funcs),
            slice(funcs_id),
            defined.len() as u64,
        );
        info.put_slice(
            offset_of!(ModuleInfo, traps),
            slice(traps_id),
            all_traps as u64,
        );
        info.put_slice(
            offset_of!(ModuleInfo, data),
            slice(data_id),
            env.data.len() as u64,
        );
        info.put_slice(
            offset_of!(ModuleInfo, elems),
            slice(elems_id),
            env.elems.len() as u64,
        );
        info.put_slice(
            offset_of!(ModuleInfo, handlers),
            slice(handlers_id),
            all_handlers as u64,
        );
        let caps = offset_of!(ModuleInfo, caps);
        info.put_slice(
            caps + offset_of!(Capabilities, dirs),
            slice(dirs_id),
            grants.dirs.len() as u64,
        );
        info.put_slice(
            caps + offset_of!(Capabilities, env),
            slice(envs_id),
            grants.env.len() as u64,
        );
        info.put_u32(
            caps + offset_of!(Capabilities, inherit_env),
            u32::from(grants.inherit_env),
        );
        info.put_slice(
            caps + offset_of!(Capabilities, tcp_listen),
            slice(tcp_id),
            grants.tcp_listen.len() as u64,
        );
        info.define(module, info_id)?;

        let mut blob = Blob::new(strings.bytes.len(), 1);
        blob.put_bytes(0, &strings.bytes);
        blob.define(module, strings_id)
    }
}
