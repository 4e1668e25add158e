//! The few system calls rustix does not expose under a stable API, plus thin
//! helpers over rustix for anonymous mappings and unbuffered stderr output.
//!
//! rustix's `runtime` module has `sigaction`/`sigaltstack`, but it is
//! documented as experimental and hidden; the three raw calls used here
//! (`rt_sigaction`, `sigaltstack`, `exit_group`) are small enough to write
//! once, with the kernel's own structure layouts (the same on x86-64 and
//! aarch64), in this one module over `arch::syscall4`.
//!
//! Without the `executable` feature only the mapping helpers are used.
#![cfg_attr(
    not(feature = "executable"),
    allow(dead_code, reason = "signals, exit and stderr serve executables only")
)]

use core::ptr;

use rustix::mm::{MapFlags, MprotectFlags, ProtFlags};

use crate::arch::{self, SYS_RT_SIGACTION, SYS_SIGALTSTACK, restore_rt, syscall4};

pub const SIGILL: i32 = 4;
pub const SIGBUS: i32 = 7;
pub const SIGFPE: i32 = 8;
pub const SIGSEGV: i32 = 11;

const SA_SIGINFO: u64 = 0x4;
const SA_ONSTACK: u64 = 0x0800_0000;
const SA_RESTORER: u64 = 0x0400_0000;

/// The kernel's `struct sigaction` on x86-64 and aarch64 (not libc's).
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct KernelSigaction {
    handler: usize,
    flags: u64,
    restorer: usize,
    mask: u64,
}

/// The kernel's `stack_t`.
#[repr(C)]
struct StackT {
    sp: *mut u8,
    flags: i32,
    size: usize,
}

/// Signature of an `SA_SIGINFO` handler.
pub type SigHandler = unsafe extern "C" fn(i32, *mut u8, *mut u8);

/// Ends the process with `code` (all threads).
pub fn exit(code: i32) -> ! {
    arch::exit_group(code)
}

/// Size of the kernel's signal set, the last argument of `rt_sigaction`.
const SIGSET_SIZE: usize = 8;

/// Installs `handler` for `sig` with `SA_SIGINFO | SA_ONSTACK`. The signal
/// stays blocked while the handler runs, so a fault inside the handler kills
/// the process instead of recursing. Returns the negated errno on failure.
pub fn install_handler(sig: i32, handler: SigHandler) -> Result<(), isize> {
    let act = KernelSigaction {
        handler: handler as *const () as usize,
        flags: SA_SIGINFO | SA_ONSTACK | SA_RESTORER,
        restorer: restore_rt as *const () as usize,
        mask: 0,
    };
    // SAFETY: `act` is a valid kernel sigaction that lives across the call;
    // the old-action pointer is null. The handler and restorer are
    // functions of this program that stay mapped.
    let ret = unsafe {
        syscall4(
            SYS_RT_SIGACTION,
            sig as isize as usize,
            &act as *const KernelSigaction as usize,
            0,
            SIGSET_SIZE,
        )
    };
    if ret < 0 { Err(ret) } else { Ok(()) }
}

#[cfg(feature = "library")]
/// Calls `rt_sigaction(sig, new, old)`; either may be null. Returns the
/// negated errno on failure.
///
/// # Safety
/// A handler in `new` must be a function that stays mapped.
unsafe fn sigaction(
    sig: i32,
    new: *const KernelSigaction,
    old: *mut KernelSigaction,
) -> Result<(), isize> {
    // SAFETY: the pointers are null or valid for the call (caller).
    let ret = unsafe {
        syscall4(
            SYS_RT_SIGACTION,
            sig as isize as usize,
            new as usize,
            old as usize,
            SIGSET_SIZE,
        )
    };
    if ret < 0 { Err(ret) } else { Ok(()) }
}

#[cfg(feature = "library")]
/// Installs `handler` for `sig` as [`install_handler`] does, and returns
/// the action it replaces.
pub fn swap_handler(sig: i32, handler: SigHandler) -> Result<KernelSigaction, isize> {
    let act = KernelSigaction {
        handler: handler as *const () as usize,
        flags: SA_SIGINFO | SA_ONSTACK | SA_RESTORER,
        restorer: restore_rt as *const () as usize,
        mask: 0,
    };
    let mut old = KernelSigaction::default();
    // SAFETY: `act` and `old` live across the call; the handler and the
    // restorer are functions of this program.
    unsafe { sigaction(sig, &act, &mut old) }?;
    Ok(old)
}

#[cfg(feature = "library")]
/// The action installed for `sig`.
pub fn current_handler(sig: i32) -> Result<KernelSigaction, isize> {
    let mut old = KernelSigaction::default();
    // SAFETY: `old` lives across the call; nothing is installed.
    unsafe { sigaction(sig, ptr::null(), &mut old) }?;
    Ok(old)
}

#[cfg(feature = "library")]
/// Puts back an action [`swap_handler`] returned.
pub fn restore_handler(sig: i32, old: &KernelSigaction) {
    // SAFETY: `old` came from the kernel: its handler is whatever the
    // program had installed, still mapped.
    let _ = unsafe { sigaction(sig, old, ptr::null_mut()) };
}

#[cfg(feature = "library")]
impl KernelSigaction {
    /// `SIG_DFL` with no flags.
    pub const EMPTY: KernelSigaction = KernelSigaction {
        handler: 0,
        flags: 0,
        restorer: 0,
        mask: 0,
    };
    /// `SIG_DFL` or `SIG_IGN`: no function to call.
    pub fn is_default_or_ignore(&self) -> bool {
        self.handler <= 1
    }
    /// Whether the handler takes `(sig, siginfo, ucontext)`.
    pub fn takes_siginfo(&self) -> bool {
        self.flags & SA_SIGINFO != 0
    }
    pub fn handler(&self) -> usize {
        self.handler
    }
}

#[cfg(feature = "library")]
/// This thread's alternate signal stack (base and size), if it has one.
pub fn altstack() -> Option<(*mut u8, usize)> {
    let mut st = StackT {
        sp: ptr::null_mut(),
        flags: 0,
        size: 0,
    };
    // SAFETY: `st` is a valid stack_t to write for the duration of the call.
    let ret = unsafe { sigaltstack(ptr::null(), &mut st) };
    (ret == 0 && st.flags & SS_DISABLE == 0).then_some((st.sp, st.size))
}

#[cfg(feature = "library")]
/// Takes this thread's alternate signal stack away.
///
/// # Safety
/// No handler may be running on it.
pub unsafe fn disable_altstack() {
    let st = StackT {
        sp: ptr::null_mut(),
        flags: SS_DISABLE,
        size: 0,
    };
    // SAFETY: `st` is valid for the call; the caller guarantees the stack
    // is unused.
    let _ = unsafe { sigaltstack(&st, ptr::null_mut()) };
}

#[cfg(feature = "library")]
const SS_DISABLE: i32 = 2;

/// Calls `sigaltstack(new, old)`; either may be null.
///
/// # Safety
/// The pointers are null or valid for the call; a new stack must be mapped
/// read-write and used by nothing else while it is registered.
unsafe fn sigaltstack(new: *const StackT, old: *mut StackT) -> isize {
    // SAFETY: as the caller promises.
    unsafe { syscall4(SYS_SIGALTSTACK, new as usize, old as usize, 0, 0) }
}

/// Sets `SIGPIPE` to be ignored, so a write to a closed pipe or socket fails
/// with `EPIPE` instead of ending the process.
pub fn ignore_sigpipe() {
    const SIGPIPE: usize = 13;
    const SIG_IGN: usize = 1;
    let act = KernelSigaction {
        handler: SIG_IGN,
        flags: SA_RESTORER,
        restorer: restore_rt as *const () as usize,
        mask: 0,
    };
    // SAFETY: as in `install_handler`; `SIG_IGN` installs no code.
    unsafe {
        syscall4(
            SYS_RT_SIGACTION,
            SIGPIPE,
            &act as *const KernelSigaction as usize,
            0,
            SIGSET_SIZE,
        )
    };
}

/// Registers `[base, base + size)` as this thread's alternate signal stack.
///
/// # Safety
/// The region must be mapped read-write and stay so while it is
/// registered, used by nothing else.
pub unsafe fn set_altstack(base: *mut u8, size: usize) -> Result<(), isize> {
    let st = StackT {
        sp: base,
        flags: 0,
        size,
    };
    // SAFETY: `st` is a valid stack_t for the duration of the call; the
    // caller guarantees the region it describes.
    let ret = unsafe { sigaltstack(&st, ptr::null_mut()) };
    if ret < 0 { Err(ret) } else { Ok(()) }
}

/// Maps `len` bytes of fresh zeroed read-write memory (never freed).
pub fn map_zeroed(len: usize) -> Option<*mut u8> {
    if len == 0 {
        return Some(ptr::NonNull::<u64>::dangling().as_ptr().cast());
    }
    // SAFETY: an anonymous mapping at an address of the kernel's choosing
    // cannot alias any existing Rust object.
    unsafe {
        rustix::mm::mmap_anonymous(
            ptr::null_mut(),
            len,
            ProtFlags::READ | ProtFlags::WRITE,
            MapFlags::PRIVATE,
        )
    }
    .ok()
    .map(|p| p.cast())
}

/// Start-up arena for small arrays that live as long as the process.
static ARENA_NEXT: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);
static ARENA_END: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);
const ARENA_SIZE: usize = 64 << 10;

/// Zeroed, 16-byte aligned read-write memory that is never freed or
/// resized: small requests share one mapping (fewer system calls at
/// start-up), large ones get their own.
pub fn alloc_static(len: usize) -> Option<*mut u8> {
    use core::sync::atomic::Ordering::Relaxed;
    let len = len.div_ceil(16) * 16;
    if len > ARENA_SIZE / 4 {
        return map_zeroed(len);
    }
    let mut next = ARENA_NEXT.load(Relaxed);
    if next == 0 || next + len > ARENA_END.load(Relaxed) {
        next = map_zeroed(ARENA_SIZE)? as usize;
        ARENA_END.store(next + ARENA_SIZE, Relaxed);
    }
    ARENA_NEXT.store(next + len, Relaxed);
    Some(next as *mut u8)
}

/// Reserves `len` bytes of address space with no access (`PROT_NONE`,
/// `MAP_NORESERVE`): nothing is committed until [`protect_rw`].
pub fn reserve(len: usize) -> Option<*mut u8> {
    // SAFETY: as in `map_zeroed`; the mapping is fresh.
    unsafe {
        rustix::mm::mmap_anonymous(
            ptr::null_mut(),
            len,
            ProtFlags::empty(),
            MapFlags::PRIVATE | MapFlags::NORESERVE,
        )
    }
    .ok()
    .map(|p| p.cast())
}

/// Reserves `len` bytes of address space, `PROT_NONE`, exactly at `at`.
/// `EEXIST` when any of the range is already mapped (also when the
/// kernel, older than 4.17, placed the mapping elsewhere, which is
/// undone); `ENOMEM` when the address space is exhausted or limited.
pub fn reserve_at(at: *mut u8, len: usize) -> Result<*mut u8, rustix::io::Errno> {
    // SAFETY: `MAP_FIXED_NOREPLACE` never replaces an existing mapping, so
    // nothing the program uses can be affected.
    let p: *mut u8 = unsafe {
        rustix::mm::mmap_anonymous(
            at.cast(),
            len,
            ProtFlags::empty(),
            MapFlags::PRIVATE | MapFlags::NORESERVE | MapFlags::FIXED_NOREPLACE,
        )
    }?
    .cast();
    if p != at {
        // SAFETY: the mapping was just made, elsewhere, and is not used.
        unsafe { unmap(p, len) };
        return Err(rustix::io::Errno::EXIST);
    }
    Ok(p)
}

/// Asks for transparent huge pages on `[ptr, ptr + len)` (a hint: ignored
/// where the kernel does not offer them).
///
/// # Safety
/// The range must be a mapping this program owns.
pub unsafe fn advise_huge_pages(ptr: *mut u8, len: usize) {
    // SAFETY: the caller guarantees the range is ours; the advice changes
    // no contents and no protection.
    let _ = unsafe { rustix::mm::madvise(ptr.cast(), len, rustix::mm::Advice::LinuxHugepage) };
}

/// Unmaps `[ptr, ptr + len)`.
///
/// # Safety
/// The range must be a mapping this program owns that nothing uses any more.
pub unsafe fn unmap(ptr: *mut u8, len: usize) {
    // SAFETY: guaranteed by the caller. A failure (only possible for a
    // range that is not a mapping) leaves the range mapped, which is safe.
    let _ = unsafe { rustix::mm::munmap(ptr.cast(), len) };
}

/// Makes `[ptr, ptr + len)` readable and writable.
///
/// # Safety
/// The range must lie in a reservation this program owns.
pub unsafe fn protect_rw(ptr: *mut u8, len: usize) -> bool {
    if len == 0 {
        return true;
    }
    // SAFETY: the caller guarantees the range is ours; making it accessible
    // cannot invalidate any reference.
    unsafe { rustix::mm::mprotect(ptr.cast(), len, MprotectFlags::READ | MprotectFlags::WRITE) }
        .is_ok()
}

/// Moves the pages `[from, from + len)` to `to` (replacing what was
/// mapped there), readable and writable: a private file mapping stays
/// one, so the pages are read from the file only when touched and copied
/// only when written. They are made writable before the move, so that
/// `false` (the kernel refused either step) always leaves them at `from`,
/// readable, and `to` as it was.
///
/// # Safety
/// `from`, `to` and `len` must be multiples of the page size; the `len`
/// bytes at `from` must be a private mapping nothing else uses, and those
/// at `to` a part of a reservation this program owns that holds nothing
/// yet.
pub unsafe fn move_pages(from: *const u8, len: usize, to: *mut u8) -> bool {
    let from = from.cast_mut();
    // SAFETY: guaranteed by the caller: both ranges are whole pages that
    // no reference points into; a private mapping may be made writable
    // whatever the file's mode.
    unsafe {
        rustix::mm::mprotect(from.cast(), len, MprotectFlags::READ | MprotectFlags::WRITE).is_ok()
            && rustix::mm::mremap_fixed(
                from.cast(),
                len,
                len,
                rustix::mm::MremapFlags::MAYMOVE,
                to.cast(),
            )
            .is_ok_and(|p| p == to.cast())
    }
}

/// Writes all of `bytes` to host fd `fd`, retrying on short writes and
/// `EINTR`; gives up silently on other errors (used for diagnostics).
pub fn write_all_fd(fd: i32, mut bytes: &[u8]) {
    // SAFETY: the descriptor is only borrowed for the duration of the write.
    let fd = unsafe { rustix::fd::BorrowedFd::borrow_raw(fd) };
    while !bytes.is_empty() {
        match rustix::io::write(fd, bytes) {
            Ok(0) => return,
            Ok(n) => bytes = &bytes[n..],
            Err(rustix::io::Errno::INTR) => {}
            Err(_) => return,
        }
    }
}

/// A `core::fmt::Write` sink for stderr with a fixed stack buffer, so
/// diagnostics never allocate (they may run in a signal handler).
pub struct Stderr {
    buf: [u8; 1024],
    len: usize,
}

impl Stderr {
    pub const fn new() -> Self {
        Stderr {
            buf: [0; 1024],
            len: 0,
        }
    }

    pub fn flush(&mut self) {
        write_all_fd(2, &self.buf[..self.len]);
        self.len = 0;
    }
}

impl core::fmt::Write for Stderr {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        for chunk in s.as_bytes().chunks(self.buf.len()) {
            if self.len + chunk.len() > self.buf.len() {
                self.flush();
            }
            self.buf[self.len..self.len + chunk.len()].copy_from_slice(chunk);
            self.len += chunk.len();
        }
        Ok(())
    }
}

impl Drop for Stderr {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Exit status of an executable whose runtime cannot start the module.
pub const CANNOT_START_STATUS: i32 = 70;

/// Ends the process before the module runs, because the runtime cannot set
/// it up (no address space for a memory or the stack, a granted directory
/// or socket unavailable, a limit exceeded): one line on stderr,
/// `error: cannot start: REASON`, and [`CANNOT_START_STATUS`].
pub fn cannot_start(reason: core::fmt::Arguments<'_>) -> ! {
    fatal(
        CANNOT_START_STATUS,
        format_args!("error: cannot start: {reason}"),
    )
}

/// Prints `args` to stderr and exits with `code`.
pub fn fatal(code: i32, args: core::fmt::Arguments<'_>) -> ! {
    let mut err = Stderr::new();
    let _ = core::fmt::Write::write_fmt(&mut err, args);
    let _ = core::fmt::Write::write_str(&mut err, "\n");
    err.flush();
    exit(code)
}
