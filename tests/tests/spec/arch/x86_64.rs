//! x86-64: System V, `rbp` the frame pointer; the SSE4 and the AVX
//! lowerings are both run.

use std::arch::naked_asm;

use wasi_aot_compiler::TargetCpu;

use super::JmpBuf;

/// The CPU levels to run at: both, so the SSE4 and the AVX code paths of
/// the SIMD lowering are both checked; the x86-64-v3 pass is left out,
/// with a note, on a CPU without AVX2.
pub fn cpu_levels() -> Vec<TargetCpu> {
    let v3 = is_x86_feature_detected!("avx2")
        && is_x86_feature_detected!("bmi1")
        && is_x86_feature_detected!("bmi2")
        && is_x86_feature_detected!("fma")
        && is_x86_feature_detected!("lzcnt");
    if v3 {
        vec![TargetCpu::X86_64V2, TargetCpu::X86_64V3]
    } else {
        println!("spec: this CPU is not x86-64-v3, running the x86-64-v2 pass only");
        vec![TargetCpu::X86_64V2]
    }
}

/// Every CPU level of this architecture, for `WASI_AOT_SPEC_CPU`.
pub const ALL_CPUS: &[TargetCpu] = &[TargetCpu::X86_64V2, TargetCpu::X86_64V3];

/// Saves callee-saved registers and the stack pointer in `jmp`, switches
/// to the stack ending at `top` and calls `f(a0, a1)` with a zero frame
/// pointer (where frame walks end); returns 0 when it returns, or the code
/// passed to [`unwind`].
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
        "push rbp",
        "mov rbp, rsp",
        "push rbx",
        "push r12",
        "push r13",
        "push r14",
        "push r15",
        "sub rsp, 8",
        "mov [rdi], rsp",
        "mov rbx, rdi",
        "mov rsp, rsi",
        "xor ebp, ebp",
        "mov rax, rdx",
        "mov rdi, rcx",
        "mov rsi, r8",
        "call rax",
        "mov rsp, [rbx]",
        "xor eax, eax",
        "add rsp, 8",
        "pop r15",
        "pop r14",
        "pop r13",
        "pop r12",
        "pop rbx",
        "pop rbp",
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
        "mov rsp, [rdi]",
        "mov rax, rsi",
        "add rsp, 8",
        "pop r15",
        "pop r14",
        "pop r13",
        "pop r12",
        "pop rbx",
        "pop rbp",
        "ret",
    )
}

/// The interrupted program counter.
pub fn fault_pc(uc: &libc::ucontext_t) -> usize {
    uc.uc_mcontext.gregs[libc::REG_RIP as usize] as usize
}

/// Makes the interrupted thread resume in `f(a0, a1)` (C convention)
/// when the signal handler returns.
pub fn resume_in(uc: &mut libc::ucontext_t, f: usize, a0: usize, a1: usize) {
    let gregs = &mut uc.uc_mcontext.gregs;
    gregs[libc::REG_RIP as usize] = f as i64;
    gregs[libc::REG_RDI as usize] = a0 as i64;
    gregs[libc::REG_RSI as usize] = a1 as i64;
}

/// Nothing to do: x86-64 keeps instruction fetch coherent with stores.
pub fn sync_icache(_start: *const u8, _len: usize) {}
