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
    /// The module imports something the runtime cannot provide. The names
    /// come from the module: control characters are shown escaped. The
    /// message always ends saying what an executable may import.
    #[error(
        "unknown import `{}::{}` at offset {offset}{detail}; {}",
        printable(module),
        printable(name),
        wasi_aot_abi::EXECUTABLE_IMPORTS
    )]
    UnknownImport {
        module: String,
        name: String,
        offset: usize,
        detail: String,
    },
    /// The input is a WebAssembly component (the WASI preview 2 format),
    /// not a core module.
    #[error(
        "a WebAssembly component (WASI preview 2), not a core module (version field at offset 4): \
         only modules using WASI preview 1 are supported"
    )]
    Component,
    /// The module cannot become an executable (e.g. no `_start`).
    #[error("{0}")]
    NotCommand(String),
    /// The module cannot become a static library (a name clash in its C
    /// API, a bad library name).
    #[error("{0}")]
    NotLibrary(String),
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
            message: one_line(e.message()),
        }
    }
}

/// `text` with its control characters escaped (`\n`, `\u{1b}`), so that a
/// name taken from the module can neither break the error line nor drive
/// the terminal.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `message` with every run of whitespace, line breaks included, made one
/// space: a few wasmparser messages span lines (a bad magic number prints
/// both byte arrays in Rust's pretty debug format), and every error must be
/// one line.
fn one_line(message: &str) -> String {
    printable(&message.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The compiler's result type.
pub type Result<T, E = CompileError> = std::result::Result<T, E>;
