//! Whether a module can become an executable.

use crate::env::{FuncIndex, ModuleEnv};
use crate::error::{CompileError, Result};
use crate::parse::signature_matches;
use wasi_aot_abi::{self as abi};
use wasmparser::ExternalKind;

/// Checks that the module can become an executable: every import is a WASI
/// function with the right signature, WASI functions get a 32-bit memory 0
/// (WASI preview 1 has 32-bit pointers), and it has an entry point
/// ([`command_calls`]) whose functions all have type `[] -> []`.
pub fn check_command(env: &ModuleEnv) -> Result<()> {
    if let Some(import) = env.other_imports.first() {
        return Err(CompileError::UnknownImport {
            module: import.module.clone(),
            name: import.name.clone(),
            offset: import.offset,
            detail: ": not a function".into(),
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
                _ if abi::WASI_MODULES.contains(&import.module.as_str()) => {
                    ": not a WASI function".into()
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
    let calls = command_calls(env);
    if !calls.iter().any(|&(name, _)| name != INITIALIZE) {
        return Err(CompileError::NotCommand(
            "not a WASI command: the module exports no `_start` function (nor the default \
             export `\"\"`)"
                .into(),
        ));
    }
    for (name, f) in calls {
        let ty = env.func_type(f);
        if !ty.params().is_empty() || !ty.results().is_empty() {
            return Err(CompileError::NotCommand(format!(
                "the `{name}` export has type {ty}, expected (func)"
            )));
        }
    }
    Ok(())
}

/// The export a reactor-style module initialises itself with.
const INITIALIZE: &str = "_initialize";

/// The exported functions an executable calls, in order, each with the name
/// errors show it by, as wasmtime runs a
/// module: `_initialize` when exported, then the default export `""` when
/// exported, else `_start`. (ITK-Wasm's tools are shaped `_initialize` +
/// `""`; C and Rust programs export `_start`.) Without `_start` or `""`
/// there is no entry point, which [`check_command`] refuses.
pub(super) fn command_calls(env: &ModuleEnv) -> Vec<(&'static str, FuncIndex)> {
    let export = |name: &str| {
        env.exports
            .iter()
            .find(|e| e.name == name && e.kind == ExternalKind::Func)
            .map(|e| e.index)
    };
    let mut calls = Vec::new();
    if let Some(f) = export(INITIALIZE) {
        calls.push((INITIALIZE, f));
    }
    if let Some(f) = export("") {
        calls.push((r#""""#, f));
    } else if let Some(f) = export("_start") {
        calls.push(("_start", f));
    }
    calls
}
