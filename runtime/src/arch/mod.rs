//! Everything the runtime does differently per processor architecture, in
//! one module per architecture with the same items: the process entry and
//! the stack switch, reading the frame pointer, the exception builtin's
//! entry and the resumption at a handler, raw system calls and their
//! numbers, the kernel's signal-frame offsets, and the byte loops under the
//! C memory functions.
//!
//! The rest of the runtime is written once over these items; a `cfg` on
//! the target architecture appears nowhere else (the static libraries'
//! host, `library.rs`, is x86-64 only for now).
//!
//! ⚠ Sandbox-critical: the signal-frame offsets decide which registers the
//! fault handler reads, and the entry and resumption code which stack and
//! frame pointer wasm code runs with.

#[cfg(target_arch = "aarch64")]
mod aarch64;
#[cfg(target_arch = "x86_64")]
mod x86_64;

#[cfg(target_arch = "aarch64")]
pub use aarch64::*;
#[cfg(target_arch = "x86_64")]
pub use x86_64::*;

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
compile_error!("the wasi-aot runtime supports x86-64 and aarch64 Linux");
