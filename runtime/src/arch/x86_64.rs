//! x86-64: System V calling convention, `syscall` with the number in `rax`,
//! the frame pointer in `rbp`.
#![cfg_attr(
    not(feature = "executable"),
    allow(
        dead_code,
        reason = "the entry and stack switch serve executables only"
    )
)]

use core::arch::{asm, naked_asm};

use wasi_aot_abi::VMContext;

/// System call numbers.
pub const SYS_RT_SIGACTION: usize = 13;
pub const SYS_RT_SIGRETURN: usize = 15;
pub const SYS_SIGALTSTACK: usize = 131;
pub const SYS_EXIT_GROUP: usize = 231;

/// Offsets in the x86-64 Linux kernel's signal frame that fault handlers
/// read and write (`siginfo_t`, `ucontext_t`); the tests compare them with
/// the C library's definitions.
pub mod signal_frame {
    /// `siginfo_t::si_addr`: the faulting address.
    pub const SI_ADDR: usize = 16;
    /// `ucontext_t::uc_mcontext`, which starts with the general registers
    /// (`gregs`, 8 bytes each).
    pub const UC_MCONTEXT_GREGS: usize = 40;
    /// Indices in `gregs`.
    pub const REG_R15: usize = 7;
    pub const REG_RDI: usize = 8;
    pub const REG_RSI: usize = 9;
    pub const REG_RBP: usize = 10;
    pub const REG_RIP: usize = 16;
    /// Byte offsets in `ucontext_t` of the interrupted program counter and
    /// frame pointer.
    pub const UC_PC: usize = UC_MCONTEXT_GREGS + 8 * REG_RIP;
    pub const UC_FP: usize = UC_MCONTEXT_GREGS + 8 * REG_RBP;
}

/// The process entry: hands the initial stack pointer to `start_rust` with
/// a zero frame pointer and an aligned stack.
///
/// # Safety
/// Only the kernel calls this, with the initial process stack.
#[cfg(all(feature = "executable", not(test)))]
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _start() -> ! {
    naked_asm!(
        "mov rdi, rsp",
        "xor ebp, ebp",
        "and rsp, -16",
        "call {entry}",
        "ud2",
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
    naked_asm!("mov rsp, rdi", "xor ebp, ebp", "call rsi", "ud2")
}

/// The caller's frame pointer (the runtime is built with frame pointers).
#[inline(always)]
pub fn frame_pointer() -> usize {
    let fp: usize;
    // SAFETY: reads a register.
    unsafe { asm!("mov {}, rbp", out(reg) fp, options(nomem, nostack, preserves_flags)) };
    fp
}

/// `Throw`: captures the return address into the throwing wasm function
/// and that function's frame pointer (wasm code keeps `rbp` as its frame
/// pointer, and this entry pushes nothing), then searches from there.
///
/// # Safety
/// Only compiled code calls this, through `VMContext::builtins`, with an
/// exception from `exn_alloc`.
#[unsafe(naked)]
pub unsafe extern "C" fn throw(vmctx: *mut VMContext, exn: usize) {
    naked_asm!(
        "mov rdx, [rsp]",
        "mov rcx, rbp",
        "jmp {search}",
        search = sym crate::exception::search,
    )
}

/// Continues at `pc` with the stack and frame pointers of a handler's
/// frame and the exception in the first payload register (`rax`; `rdx`,
/// the second, zero).
///
/// # Safety
/// `pc`, `sp` and `fp` must be a handler and its frame's state.
#[unsafe(naked)]
pub unsafe extern "C" fn resume(pc: usize, sp: usize, fp: usize, exn: usize) -> ! {
    naked_asm!(
        "mov rsp, rsi",
        "mov rbp, rdx",
        "mov rax, rcx",
        "xor edx, edx",
        "jmp rdi",
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
    // SAFETY: the caller vouches for the call; `syscall` clobbers rcx, r11.
    unsafe {
        asm!("syscall",
            inlateout("rax") nr as isize => ret,
            in("rdi") a0, in("rsi") a1, in("rdx") a2, in("r10") a3,
            lateout("rcx") _, lateout("r11") _,
            options(nostack));
    }
    ret
}

/// Ends the process with `code` (all threads).
pub fn exit_group(code: i32) -> ! {
    // SAFETY: exit_group takes one integer argument and never returns; no
    // memory is read or written.
    unsafe {
        asm!("syscall", in("rax") SYS_EXIT_GROUP, in("rdi") code as isize as usize, options(noreturn, nostack));
    }
}

/// Returns to the interrupted context after a signal handler (installed as
/// the `sa_restorer`, which the x86-64 kernel requires).
///
/// # Safety
/// Only the kernel's signal return path jumps here.
#[unsafe(naked)]
pub unsafe extern "C" fn restore_rt() {
    naked_asm!("mov rax, {nr}", "syscall", "ud2", nr = const SYS_RT_SIGRETURN);
}

/// Copies `n` bytes forwards (`rep movsb`, fast on every x86-64 since Ivy
/// Bridge, "ERMSB", and never turned back into a `memcpy` call).
///
/// # Safety
/// Valid ranges; when they overlap, `dst` must not be after `src`.
#[inline(always)]
pub unsafe fn copy_forward(dst: *mut u8, src: *const u8, n: usize) {
    // SAFETY: the caller guarantees both ranges; the direction flag is
    // clear per the ABI.
    unsafe {
        asm!("rep movsb", inout("rcx") n => _, inout("rdi") dst => _, inout("rsi") src => _, options(nostack, preserves_flags));
    }
}

/// Copies `n >= 16` bytes backwards: 64 bytes (four 16-byte blocks, all
/// loaded before any is stored) at a time from the end down, then 16-byte
/// blocks while more than 16 bytes are left, then the first 16 bytes,
/// loaded before anything is stored (they overlap the last block copied,
/// with the same values). `std; rep movsb` would be shorter, but a
/// backward string copy has no fast microcode: it moves a byte at a time;
/// and one 16-byte block per step spent more on the loop than on the copy.
///
/// # Safety
/// Valid ranges, `n >= 16`; when they overlap, `dst` must be after `src`
/// (or equal).
#[inline(always)]
pub unsafe fn copy_backward(dst: *mut u8, src: *const u8, n: usize) {
    // SAFETY: both ranges are valid for `n >= 16` bytes (caller); every
    // block is loaded before the store that could overwrite it, since the
    // stores run from the end down, a step's four loads come before its
    // stores, and `dst` is not before `src`.
    unsafe {
        asm!(
            "movdqu {head}, [{src}]",
            "2:",
            "cmp {n}, 64",
            "jbe 3f",
            "movdqu {a}, [{src} + {n} - 16]",
            "movdqu {b}, [{src} + {n} - 32]",
            "movdqu {c}, [{src} + {n} - 48]",
            "movdqu {d}, [{src} + {n} - 64]",
            "movdqu [{dst} + {n} - 16], {a}",
            "movdqu [{dst} + {n} - 32], {b}",
            "movdqu [{dst} + {n} - 48], {c}",
            "movdqu [{dst} + {n} - 64], {d}",
            "sub {n}, 64",
            "jmp 2b",
            "3:",
            "cmp {n}, 16",
            "jbe 4f",
            "movdqu {a}, [{src} + {n} - 16]",
            "movdqu [{dst} + {n} - 16], {a}",
            "sub {n}, 16",
            "jmp 3b",
            "4:",
            "movdqu [{dst}], {head}",
            n = inout(reg) n => _,
            dst = in(reg) dst,
            src = in(reg) src,
            head = out(xmm_reg) _,
            a = out(xmm_reg) _,
            b = out(xmm_reg) _,
            c = out(xmm_reg) _,
            d = out(xmm_reg) _,
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
    // SAFETY: the caller guarantees `dst` is valid for `n` bytes.
    unsafe {
        asm!("rep stosb", inout("rcx") n => _, inout("rdi") dst => _, in("al") c, options(nostack, preserves_flags));
    }
}
