//! The compiler's error type.
//!
//! Every error that bad input can cause carries the byte offset in the wasm
//! binary it refers to, so the CLI can print one line: `FILE: offset N: ...`.
//! Nothing in the compiler panics on bad input; a panic is a compiler bug.

use thiserror::Error;

/// What went wrong while compiling a module.
#[derive(Debug, Error)]
pub enum CompileError {
    /// The text format could not be parsed.
    #[error("{0}")]
    Wat(String),
    /// The binary is malformed or fails validation.
    #[error("invalid module at offset {offset}: {message}")]
    Invalid { offset: usize, message: String },
    /// The module uses a feature or instruction the compiler does not support.
    #[error("unsupported: {what} at offset {offset}")]
    Unsupported { what: String, offset: usize },
    /// The module imports something the runtime cannot provide.
    #[error("unknown import `{module}::{name}` at offset {offset}{detail}")]
    UnknownImport {
        module: String,
        name: String,
        offset: usize,
        detail: String,
    },
    /// The module cannot become an executable (e.g. no `_start`).
    #[error("{0}")]
    NotCommand(String),
    /// Cranelift rejected a function: a compiler bug, reported with the
    /// function it happened in.
    #[error("internal compiler error in function {func}: {message}")]
    Codegen { func: u32, message: String },
    /// The object file could not be written.
    #[error("cannot write object: {0}")]
    Object(String),
}

impl CompileError {
    /// An "unsupported" error for `what` at `offset`.
    pub fn unsupported(what: impl Into<String>, offset: usize) -> Self {
        CompileError::Unsupported {
            what: what.into(),
            offset,
        }
    }
}

impl From<wasmparser::BinaryReaderError> for CompileError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        CompileError::Invalid {
            offset: e.offset() as usize,
            message: e.message().to_string(),
        }
    }
}

/// The compiler's result type.
pub type Result<T, E = CompileError> = std::result::Result<T, E>;
