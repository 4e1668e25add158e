//! The runtime of wasi-aot executables, also usable as a library.
//!
//! A `#![no_std]` crate with no libc, on Linux system calls (rustix's raw
//! backend). With the `executable` feature (the default) it is the static
//! library linked into every executable: the process entry (`_start`), the
//! C memory functions, the panic handler, the fault handler and trap report,
//! and WASI preview 1. The compiled module object defines
//! `wasi_aot_module_info` and `wasi_aot_vmctx` and references no runtime
//! symbol: everything is reached through the tables the runtime fills at
//! start-up (see the `wasi-aot-abi` crate).
//!
//! What does not depend on owning the process is public, and is all there
//! is without the feature, for a host running compiled modules in its own
//! process (the spec test harness):
//! - [`instance`]: memories, tables, per-instance state behind
//!   `VMContext::runtime_state`, and the builtins compiled code calls;
//! - [`trap`]: the lookup of a compiled instruction's trap in the module's
//!   trap tables, and the hook raising a trap from a builtin goes to;
//! - [`exception`]: the exception builtins, and the lookup of handlers in
//!   the module's handler table.
//!
//! `unsafe` lives only in the modules that need it, each explaining why:
//! `arch` (everything per architecture: entry, stack switch, system call
//! instructions, exception resumption), `sys` (raw system calls), `libc` (memory functions), `module` (the
//! compiled module's static), `start` (entry and stack switch), `globals`, `heap` (free lists), `instance`, `meta`, `trap`, `exception` (resuming at
//! a handler), `fault`, `library` (a static library's entry routine,
//! instance blocks and fault handler), `wasi::guest`,
//! `wasi::fdtable`, `wasi::config` (a library instance's grants, copied from
//! the application's configuration), `wasi::poll` (host descriptors and scratch memory for
//! `ppoll`), `wasi::embedded` (the embedded trees' images, read in place)
//! and start-up in `wasi`.
//!
//! With the `library` feature instead of `executable`, it is the runtime of
//! a static library (`wasi-aot build --emit staticlib`): `library` hosts
//! instances for the application that links it (see that module), and
//! `wasi` serves their WASI imports with each instance's own state.
//!
//! Unit tests build the crate with `std` (`cargo test`); the process entry,
//! memory functions and panic handler are then left out.
#![cfg_attr(not(test), no_std)]
#![cfg_attr(
    test,
    allow(dead_code, reason = "start-up paths are not linked into unit tests")
)]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

mod arch;
pub mod exception;
#[cfg(feature = "executable")]
mod fault;
#[cfg(any(feature = "executable", feature = "library"))]
mod globals;
mod heap;
pub mod instance;
#[cfg(all(any(feature = "executable", feature = "library"), not(test)))]
mod libc;
#[cfg(feature = "library")]
mod library;
#[cfg(all(feature = "library", not(target_arch = "x86_64")))]
compile_error!("the static libraries' host (`library`) is x86-64 only");
pub mod meta;
#[cfg(feature = "executable")]
mod module;
#[cfg(feature = "executable")]
mod start;
mod sys;
pub mod trap;
#[cfg(any(feature = "executable", feature = "library"))]
mod wasi;

/// Internal errors end the process with status 70 (`EX_SOFTWARE`).
#[cfg(all(any(feature = "executable", feature = "library"), not(test)))]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    sys::fatal(
        70,
        format_args!("wasi-aot runtime: internal error: {}", info.message()),
    )
}
