//! aarch64: AAPCS64, `svc #0` with the number in `x8`, the frame pointer
//! in `x29` and the return address in the link register `x30`.
#![cfg_attr(
    not(feature = "executable"),
    allow(
        dead_code,
        reason = "the entry and stack switch serve executables only"
    )
)]

use core::arch::{asm, naked_asm};

use wasi_aot_abi::VMContext;

/// System call numbers (the generic table aarch64 uses).
pub const SYS_RT_SIGACTION: usize = 134;
pub const SYS_RT_SIGRETURN: usize = 139;
pub const SYS_SIGALTSTACK: usize = 132;
pub const SYS_EXIT_GROUP: usize = 94;

/// Offsets in the aarch64 Linux kernel's signal frame that the fault
/// handler reads (`siginfo_t`, `ucontext_t`).
pub mod signal_frame {
    /// `siginfo_t::si_addr`: the faulting address.
    pub const SI_ADDR: usize = 16;
    /// `ucontext_t::uc_mcontext` (a `struct sigcontext`, 16-byte aligned
    /// after the 128-byte signal mask area): `fault_address`, then
    /// `regs[31]`, `sp`, `pc`, `pstate`.
    pub const UC_MCONTEXT: usize = 176;
    /// Byte offsets in `ucontext_t` of the interrupted program counter and
    /// frame pointer (`x29`).
    pub const UC_PC: usize = UC_MCONTEXT + 8 + 8 * 32;
    pub const UC_FP: usize = UC_MCONTEXT + 8 + 8 * 29;
}

/// The process entry: hands the initial stack pointer (16-byte aligned by
/// the kernel) to `start_rust` with zero frame pointer and link register.
///
/// # Safety
/// Only the kernel calls this, with the initial process stack.
#[cfg(all(feature = "executable", not(test)))]
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _start() -> ! {
    naked_asm!(
        "mov x0, sp",
        "mov x29, xzr",
        "mov x30, xzr",
        "bl {entry}",
        "udf #0",
        entry = sym crate::start::start_rust,
    )
}

/// Switches to the stack whose top is `top` and calls `f` there with a zeroed
/// frame pointer, so frame-pointer walks end at `f`'s frame.
///
/// # Safety
/// `top` must be the 16-byte aligned end of a mapped read-write stack.
#[unsafe(naked)]
pub unsafe extern "C" fn switch_stack(top: *mut u8, f: extern "C" fn() -> !) -> ! {
    naked_asm!("mov sp, x0", "mov x29, xzr", "blr x1", "udf #0")
}

/// The caller's frame pointer (the runtime is built with frame pointers).
#[inline(always)]
pub fn frame_pointer() -> usize {
    let fp: usize;
    // SAFETY: reads a register.
    unsafe { asm!("mov {}, x29", out(reg) fp, options(nomem, nostack, preserves_flags)) };
    fp
}

/// `Throw`: captures the return address into the throwing wasm function
/// (the link register) and that function's frame pointer (this entry
/// saves nothing), then searches from there.
///
/// # Safety
/// Only compiled code calls this, through `VMContext::builtins`, with an
/// exception from `exn_alloc`.
#[unsafe(naked)]
pub unsafe extern "C" fn throw(vmctx: *mut VMContext, exn: usize) {
    naked_asm!(
        "mov x2, x30",
        "mov x3, x29",
        "b {search}",
        search = sym crate::exception::search,
    )
}

/// Continues at `pc` with the stack and frame pointers of a handler's
/// frame and the exception in the first payload register (`x0`; `x1`, the
/// second, zero).
///
/// # Safety
/// `pc`, `sp` and `fp` must be a handler and its frame's state.
#[unsafe(naked)]
pub unsafe extern "C" fn resume(pc: usize, sp: usize, fp: usize, exn: usize) -> ! {
    naked_asm!(
        "mov sp, x1",
        "mov x29, x2",
        "mov x16, x0",
        "mov x0, x3",
        "mov x1, xzr",
        "br x16",
    )
}

/// A system call with up to four arguments; returns the kernel's result
/// (a negated errno on failure).
///
/// # Safety
/// The arguments must be valid for system call `nr`.
#[inline(always)]
pub unsafe fn syscall4(nr: usize, a0: usize, a1: usize, a2: usize, a3: usize) -> isize {
    let ret: isize;
    // SAFETY: the caller vouches for the call; `svc` preserves every
    // register but `x0`.
    unsafe {
        asm!("svc #0",
            in("x8") nr,
            inlateout("x0") a0 as isize => ret,
            in("x1") a1, in("x2") a2, in("x3") a3,
            options(nostack));
    }
    ret
}

/// Ends the process with `code` (all threads).
pub fn exit_group(code: i32) -> ! {
    // SAFETY: exit_group takes one integer argument and never returns; no
    // memory is read or written.
    unsafe {
        asm!("svc #0", in("x8") SYS_EXIT_GROUP, in("x0") code as isize as usize, options(noreturn, nostack));
    }
}

/// Returns to the interrupted context after a signal handler (installed as
/// the `sa_restorer`, so no vDSO trampoline is needed).
///
/// # Safety
/// Only the kernel's signal return path jumps here.
#[unsafe(naked)]
pub unsafe extern "C" fn restore_rt() {
    naked_asm!("mov x8, {nr}", "svc #0", "udf #0", nr = const SYS_RT_SIGRETURN);
}

/// Copies `n` bytes forwards, 16 at a time then byte by byte (written in
/// assembly so that it can never be turned back into a `memcpy` call).
///
/// # Safety
/// Valid ranges; when they overlap, `dst` must not be after `src`.
#[inline(always)]
pub unsafe fn copy_forward(dst: *mut u8, src: *const u8, n: usize) {
    // SAFETY: the caller guarantees both ranges; unaligned pair loads and
    // stores are allowed on normal memory.
    unsafe {
        asm!(
            "2:",
            "cmp {n}, #16",
            "b.lo 3f",
            "ldp {a}, {b}, [{src}], #16",
            "stp {a}, {b}, [{dst}], #16",
            "sub {n}, {n}, #16",
            "b 2b",
            "3:",
            "cbz {n}, 4f",
            "ldrb {a:w}, [{src}], #1",
            "strb {a:w}, [{dst}], #1",
            "sub {n}, {n}, #1",
            "b 3b",
            "4:",
            n = inout(reg) n => _,
            dst = inout(reg) dst => _,
            src = inout(reg) src => _,
            a = out(reg) _,
            b = out(reg) _,
            options(nostack),
        );
    }
}

/// Copies `n > 0` bytes backwards, from the end down.
///
/// # Safety
/// Valid ranges, `n > 0`.
#[inline(always)]
pub unsafe fn copy_backward(dst: *mut u8, src: *const u8, n: usize) {
    // SAFETY: as in `copy_forward`; the pointers start one past the end.
    unsafe {
        asm!(
            "2:",
            "cmp {n}, #16",
            "b.lo 3f",
            "ldp {a}, {b}, [{src}, #-16]!",
            "stp {a}, {b}, [{dst}, #-16]!",
            "sub {n}, {n}, #16",
            "b 2b",
            "3:",
            "cbz {n}, 4f",
            "ldrb {a:w}, [{src}, #-1]!",
            "strb {a:w}, [{dst}, #-1]!",
            "sub {n}, {n}, #1",
            "b 3b",
            "4:",
            n = inout(reg) n => _,
            dst = inout(reg) dst.add(n) => _,
            src = inout(reg) src.add(n) => _,
            a = out(reg) _,
            b = out(reg) _,
            options(nostack),
        );
    }
}

/// Sets `n` bytes at `dst` to `c`.
///
/// # Safety
/// `dst` valid for `n` bytes.
#[inline(always)]
pub unsafe fn fill(dst: *mut u8, c: u8, n: usize) {
    let word = u64::from(c) * 0x0101_0101_0101_0101;
    // SAFETY: the caller guarantees `dst` is valid for `n` bytes.
    unsafe {
        asm!(
            "2:",
            "cmp {n}, #16",
            "b.lo 3f",
            "stp {w}, {w}, [{dst}], #16",
            "sub {n}, {n}, #16",
            "b 2b",
            "3:",
            "cbz {n}, 4f",
            "strb {w:w}, [{dst}], #1",
            "sub {n}, {n}, #1",
            "b 3b",
            "4:",
            n = inout(reg) n => _,
            dst = inout(reg) dst => _,
            w = in(reg) word,
            options(nostack),
        );
    }
}
