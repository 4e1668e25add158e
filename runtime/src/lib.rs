//! The runtime linked into every wasi-aot executable.
//!
//! A `#![no_std]` static library with no libc: it provides the process entry
//! (`_start`), the C memory functions, linear memory and tables, the
//! builtins compiled code calls, trap handling, and WASI preview 1 on top of
//! Linux system calls (rustix's raw backend). The compiled module object
//! defines `wasi_aot_module_info` and `wasi_aot_vmctx` and references no
//! runtime symbol: everything is reached through the tables the runtime
//! fills at start-up (see the `wasi-aot-abi` crate).
//!
//! `unsafe` lives only in the modules that need it, each explaining why:
//! `sys` (raw system calls), `libc` (memory functions), `start` (entry and
//! stack switch), `globals`, `instance`, `trap`, `wasi::guest`,
//! `wasi::fdtable`, `wasi::poll` (host descriptors and scratch memory for
//! `ppoll`) and start-up in `wasi`.
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

mod globals;
mod instance;
#[cfg(not(test))]
mod libc;
mod start;
mod sys;
mod trap;
mod wasi;

/// Internal errors end the process with status 70 (`EX_SOFTWARE`).
#[cfg(not(test))]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    sys::fatal(
        70,
        format_args!("wasi-aot runtime: internal error: {}", info.message()),
    )
}
