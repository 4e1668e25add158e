//! aarch64: AAPCS64, `x29` the frame pointer, `x30` the link register;
//! run as a cross-built process under an emulator (tests/README.md).

use std::arch::{asm, naked_asm};

use wasi_aot_compiler::TargetCpu;

use super::JmpBuf;

/// The CPU levels to run at: the ARMv8.0 baseline, the only level the
/// compiler has for aarch64.
pub fn cpu_levels() -> Vec<TargetCpu> {
    vec![TargetCpu::Armv8]
}

/// Every CPU level of this architecture, for `WASI_AOT_SPEC_CPU`.
pub const ALL_CPUS: &[TargetCpu] = &[TargetCpu::Armv8];

/// Saves the callee-saved registers (`x19`–`x30`, `d8`–`d15`) in a frame
/// on the harness stack and its address in `jmp`, switches to the stack
/// ending at `top` and calls `f(a0, a1)` with a zero frame pointer (where
/// frame walks end); returns 0 when it returns, or the code passed to
/// [`unwind`].
///
/// # Safety
/// `top` must be the 16-byte aligned end of a read-write stack and `f`
/// code taking these two arguments (C convention).
#[unsafe(naked)]
pub unsafe extern "C" fn enter(
    jmp: *mut JmpBuf,
    top: usize,
    f: usize,
    a0: usize,
    a1: usize,
) -> u64 {
    naked_asm!(
        "stp x29, x30, [sp, #-160]!",
        "mov x29, sp",
        "stp x19, x20, [sp, #16]",
        "stp x21, x22, [sp, #32]",
        "stp x23, x24, [sp, #48]",
        "stp x25, x26, [sp, #64]",
        "stp x27, x28, [sp, #80]",
        "stp d8, d9, [sp, #96]",
        "stp d10, d11, [sp, #112]",
        "stp d12, d13, [sp, #128]",
        "stp d14, d15, [sp, #144]",
        "mov x9, sp",
        "str x9, [x0]",
        "mov x19, x0",
        "mov sp, x1",
        "mov x29, xzr",
        "mov x9, x2",
        "mov x0, x3",
        "mov x1, x4",
        "blr x9",
        "ldr x9, [x19]",
        "mov sp, x9",
        "mov x0, xzr",
        "ldp x19, x20, [sp, #16]",
        "ldp x21, x22, [sp, #32]",
        "ldp x23, x24, [sp, #48]",
        "ldp x25, x26, [sp, #64]",
        "ldp x27, x28, [sp, #80]",
        "ldp d8, d9, [sp, #96]",
        "ldp d10, d11, [sp, #112]",
        "ldp d12, d13, [sp, #128]",
        "ldp d14, d15, [sp, #144]",
        "ldp x29, x30, [sp], #160",
        "ret",
    )
}

/// Returns `code` from the [`enter`] that saved `jmp`, restoring the
/// registers it saved. Needs no valid stack: it loads the saved one first.
///
/// # Safety
/// `jmp` must be the buffer of an [`enter`] still waiting for its call.
#[unsafe(naked)]
pub unsafe extern "C" fn unwind(jmp: *mut JmpBuf, code: u64) -> ! {
    naked_asm!(
        "ldr x9, [x0]",
        "mov sp, x9",
        "mov x0, x1",
        "ldp x19, x20, [sp, #16]",
        "ldp x21, x22, [sp, #32]",
        "ldp x23, x24, [sp, #48]",
        "ldp x25, x26, [sp, #64]",
        "ldp x27, x28, [sp, #80]",
        "ldp d8, d9, [sp, #96]",
        "ldp d10, d11, [sp, #112]",
        "ldp d12, d13, [sp, #128]",
        "ldp d14, d15, [sp, #144]",
        "ldp x29, x30, [sp], #160",
        "ret",
    )
}

/// The interrupted program counter.
pub fn fault_pc(uc: &libc::ucontext_t) -> usize {
    uc.uc_mcontext.pc as usize
}

/// Makes the interrupted thread resume in `f(a0, a1)` (C convention)
/// when the signal handler returns.
pub fn resume_in(uc: &mut libc::ucontext_t, f: usize, a0: usize, a1: usize) {
    let mc = &mut uc.uc_mcontext;
    mc.pc = f as u64;
    mc.regs[0] = a0 as u64;
    mc.regs[1] = a1 as u64;
}

/// Makes code written to `[start, start + len)` visible to instruction
/// fetch: clean the data cache lines to the point of unification,
/// invalidate the instruction cache lines, then synchronise (the sequence
/// the Arm architecture prescribes for self-modifying code; only this
/// thread runs wasm, so its own `isb` suffices).
pub fn sync_icache(start: *const u8, len: usize) {
    let ctr: u64;
    // SAFETY: CTR_EL0 is readable from user space on Linux (the kernel
    // enables or emulates the access); reading it has no effect.
    unsafe { asm!("mrs {}, ctr_el0", out(reg) ctr, options(nomem, nostack, preserves_flags)) };
    let dline = 4usize << ((ctr >> 16) & 0xf);
    let iline = 4usize << (ctr & 0xf);
    let (start, end) = (start as usize, start as usize + len);
    let mut line = start & !(dline - 1);
    while line < end {
        // SAFETY: cleaning a cache line of a mapped range changes no data.
        unsafe { asm!("dc cvau, {}", in(reg) line, options(nostack, preserves_flags)) };
        line += dline;
    }
    // SAFETY: barriers have no operands.
    unsafe { asm!("dsb ish", options(nostack, preserves_flags)) };
    let mut line = start & !(iline - 1);
    while line < end {
        // SAFETY: invalidating instruction cache lines changes no data.
        unsafe { asm!("ic ivau, {}", in(reg) line, options(nostack, preserves_flags)) };
        line += iline;
    }
    // SAFETY: barriers have no operands.
    unsafe { asm!("dsb ish", "isb", options(nostack, preserves_flags)) };
}
