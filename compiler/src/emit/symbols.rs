//! The object's symbols, declared before translation so that functions can
//! be compiled in parallel.

use super::glue::trampoline_signature;
use super::object_err;
use crate::env::{FuncIndex, HOST_CALL_CONV, ModuleEnv, Symbols, WASM_CALL_CONV, wasm_signature};
use crate::error::Result;
use cranelift_codegen::ir::{self, types};
use cranelift_module::{FuncId, Linkage, Module};
use cranelift_object::ObjectModule;
use std::collections::HashSet;
use wasi_aot_abi::{self as abi};

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

pub(super) fn declare_symbols(module: &mut ObjectModule, env: &ModuleEnv) -> Result<Symbols> {
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
            .declare_data(name, linkage, true, false)
            .map_err(object_err)
    };
    Ok(Symbols {
        funcs,
        vmctx: data(abi::sym::VMCTX, Linkage::Export)?,
        globals: data(abi::sym::GLOBALS, Linkage::Local)?,
        tables: data(abi::sym::TABLES, Linkage::Local)?,
        funcrefs: data(abi::sym::FUNCREFS, Linkage::Local)?,
        type_ids: data(abi::sym::TYPE_IDS, Linkage::Local)?,
        import_slots: data(abi::sym::IMPORT_SLOTS, Linkage::Local)?,
        global_imports: data(abi::sym::GLOBAL_IMPORTS, Linkage::Local)?,
        table_imports: data(abi::sym::TABLE_IMPORTS, Linkage::Local)?,
        memory_states: data(abi::sym::MEMORY_STATES, Linkage::Local)?,
        memories: data(abi::sym::MEMORIES, Linkage::Local)?,
        tags: data(abi::sym::TAGS, Linkage::Local)?,
        segment_inits: module
            .declare_data(abi::sym::SEGMENT_INITS, Linkage::Local, false, false)
            .map_err(object_err)?,
        instance: None,
        memory0_at: None,
    })
}

/// Declares `init`, and `entry` when the object calls `_start` (every
/// declared function must be defined).
pub(super) fn declare_glue(
    module: &mut ObjectModule,
    with_entry: bool,
) -> Result<(FuncId, Option<FuncId>)> {
    let mut sig = ir::Signature::new(HOST_CALL_CONV);
    sig.params.push(ir::AbiParam::new(types::I64));
    let init = module
        .declare_function(abi::sym::INIT, Linkage::Local, &sig)
        .map_err(object_err)?;
    let entry = if with_entry {
        Some(
            module
                .declare_function(abi::sym::ENTRY, Linkage::Local, &sig)
                .map_err(object_err)?,
        )
    } else {
        None
    };
    Ok((init, entry))
}

/// Declares one trampoline per module-canonical function type.
pub(super) fn declare_trampolines(
    module: &mut ObjectModule,
    env: &ModuleEnv,
) -> Result<Vec<(u32, FuncId)>> {
    let mut out = Vec::new();
    for (i, canonical) in env.canonical_types.iter().enumerate() {
        if *canonical != i as u32 {
            continue;
        }
        let id = module
            .declare_function(
                &format!("{}{i}]", abi::sym::TRAMPOLINE),
                Linkage::Local,
                &trampoline_signature(),
            )
            .map_err(object_err)?;
        out.push((i as u32, id));
    }
    Ok(out)
}
