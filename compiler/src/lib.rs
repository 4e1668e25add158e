//! wasi-aot's compiler: WebAssembly (WASI preview 1) module → native object.
//!
//! The pipeline, one module per arrow (see ARCHITECTURE.md):
//! `parse` (wasmparser → [`env::ModuleEnv`]) → `translate` (CLIF per
//! function) → `codegen` (Cranelift, functions in parallel) → `emit`
//! (cranelift-object: code, data, trap table, metadata) → `link` (system
//! linker + the runtime library).
#![forbid(unsafe_code)]

pub mod codegen;
pub mod disas;
pub mod emit;
pub mod env;
pub mod error;
pub mod inline;
pub mod parse;
pub mod progress;
pub mod translate;

pub use error::{CompileError, Result};

pub use codegen::{Arch, TargetCpu};
pub use disas::{DisasOptions, Stages, clif_text};
pub use emit::{
    Embed, Grants, Object, Options, StaticLib, c_identifier, compile_command,
    compile_command_with_progress, compile_library, compile_staticlib,
};
pub use parse::Features;
pub use progress::{Phase, Progress};
