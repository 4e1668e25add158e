//! What the harness does differently per processor architecture, one file
//! each with the same items (as the runtime's `arch/`): entering wasm on
//! its own stack and coming back from a trap ([`enter`], [`unwind`]), the
//! interrupted context a fault handler reads and rewrites ([`fault_pc`],
//! [`resume_in`]), making freshly written code visible to instruction
//! fetch ([`sync_icache`]), and the CPU levels the suite runs at
//! ([`cpu_levels`]).
//!
//! The harness runs as a process of the architecture it tests: for aarch64
//! it is cross-built and run under an emulator (tests/README.md).

#[cfg(target_arch = "aarch64")]
mod aarch64;
#[cfg(target_arch = "x86_64")]
mod x86_64;

#[cfg(target_arch = "aarch64")]
pub use aarch64::*;
#[cfg(target_arch = "x86_64")]
pub use x86_64::*;

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
compile_error!("the spec harness runs on x86-64 and aarch64 Linux");

/// Where [`enter`] saves the harness's stack pointer (the callee-saved
/// registers are on the harness stack just above it).
#[repr(C)]
pub struct JmpBuf {
    pub sp: usize,
}
