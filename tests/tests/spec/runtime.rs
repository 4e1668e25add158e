//! What the spec harness adds to the runtime library to host compiled
//! modules in its own process: image mappings, the registry of loaded code,
//! and trap recovery.
//!
//! Memories, tables, per-instance state and the builtins are the runtime's
//! (`wasi_aot_runtime::instance`, used without its `executable` feature),
//! exactly the code executables run. An executable ends the process on a
//! trap; here a trap must return to the harness, so:
//! - every call into wasm goes through [`call_wasm`], which switches to a
//!   dedicated stack (with a guard region below it) after saving the
//!   harness's callee-saved registers and stack pointer;
//! - a trap jumps back there: the signal handler (a fault or `ud2` at a
//!   trap site, found with the runtime's trap-table lookup, or a hit on the
//!   stack guard) rewrites the interrupted context to resume in [`arch::unwind`];
//!   a builtin raising a trap calls the runtime's trap hook, which this
//!   module sets to jump back directly. An exception no `try_table` catches
//!   is such a trap (`UncaughtException`, for `assert_exception`); the
//!   runtime's `Throw` builtin finds handlers in any loaded image through
//!   [`handler_at`].
//!
//! Compiled frames have no unwind information and hold no resources, and the
//! runtime's builtins hold none across a raise, so abandoning the frames is
//! all a trap needs.

use std::cell::Cell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use wasi_aot_abi::{ModuleInfo, Trap};
use wasi_aot_runtime::trap::{WASM_STACK_GUARD as STACK_GUARD, WASM_STACK_SIZE as STACK_SIZE};

use crate::arch::{self, JmpBuf};

/// Size of the signal handler's alternate stack.
const ALT_STACK_SIZE: usize = 256 << 10;
/// The code [`arch::unwind`] reports for a fault that is not a wasm trap.
const CRASH: u64 = u64::MAX;

/// An anonymous mapping, unmapped on drop.
pub struct Mapping {
    pub ptr: *mut u8,
    pub len: usize,
}

impl Mapping {
    /// Maps `len` bytes: read-write when `rw`, else reserved `PROT_NONE`.
    pub fn new(len: usize, rw: bool) -> Result<Mapping, String> {
        let prot = if rw {
            libc::PROT_READ | libc::PROT_WRITE
        } else {
            libc::PROT_NONE
        };
        // SAFETY: an anonymous private mapping at an address of the kernel's
        // choosing touches no existing memory.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len.max(1),
                prot,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(format!(
                "mmap of {len} bytes failed: {}",
                std::io::Error::last_os_error()
            ));
        }
        Ok(Mapping {
            ptr: ptr.cast(),
            len: len.max(1),
        })
    }

    /// Changes the protection of `[offset, offset + len)`.
    pub fn protect(&self, offset: usize, len: usize, prot: i32) -> bool {
        if len == 0 {
            return true;
        }
        debug_assert!(offset + len <= self.len);
        // SAFETY: the range lies inside this mapping, which the harness owns
        // and only compiled code of its instances accesses.
        unsafe { libc::mprotect(self.ptr.add(offset).cast(), len, prot) == 0 }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: the mapping was created by `new` and nothing refers to it
        // any more (instances are dropped together at the end of a file).
        unsafe { libc::munmap(self.ptr.cast(), self.len) };
    }
}

// ---------------------------------------------------------------------------
// Code registry: which images are loaded, to find a faulting PC's module.

/// One loaded image: its address range and its module description.
struct Code {
    start: usize,
    end: usize,
    info: usize,
}

/// All live images, sorted by start address. Only modified while no wasm
/// runs; the signal handler only reads it.
static CODE: Mutex<Vec<Code>> = Mutex::new(Vec::new());

/// Records a freshly loaded image `[start, end)` whose module description
/// is `info`.
///
/// # Safety
/// `info` must stay valid until [`unregister_code`] forgets the image.
pub unsafe fn register_code(start: usize, end: usize, info: *const ModuleInfo) {
    let mut code = CODE.lock().unwrap_or_else(|e| e.into_inner());
    code.push(Code {
        start,
        end,
        info: info as usize,
    });
    code.sort_by_key(|c| c.start);
}

/// Forgets the image `[start, end)` (being unmapped).
pub fn unregister_code(start: usize, end: usize) {
    let mut code = CODE.lock().unwrap_or_else(|e| e.into_inner());
    code.retain(|c| c.start != start || c.end != end);
}

/// The module description of the loaded image whose code contains `pc`.
fn module_at(pc: usize) -> Option<&'static ModuleInfo> {
    // Never contended: the lock is only taken while no wasm code runs.
    let code = CODE.try_lock().ok()?;
    let i = code.partition_point(|c| c.start <= pc).checked_sub(1)?;
    let c = &code[i];
    if pc >= c.end {
        return None;
    }
    // SAFETY: a registered image's module description is valid until it
    // is unregistered (`register_code`'s contract), which happens only
    // while no wasm code runs, so not while a fault is being handled.
    Some(unsafe { &*(c.info as *const ModuleInfo) })
}

/// The handler of the call returning to `ret` (address, frame offset), if
/// `ret` is in loaded code and that call is inside a `try_table`: the
/// runtime's `Throw` builtin asks this while it walks the frames.
fn handler_at(ret: usize) -> Option<(usize, u32)> {
    // Never contended: the lock is only taken while no wasm code runs.
    let code = CODE.try_lock().ok()?;
    let i = code.partition_point(|c| c.start < ret).checked_sub(1)?;
    let c = &code[i];
    if ret > c.end {
        return None;
    }
    // SAFETY: as in `module_at`.
    let info = unsafe { &*(c.info as *const ModuleInfo) };
    wasi_aot_runtime::exception::handler_in(info, ret)
}

// ---------------------------------------------------------------------------
// Calling wasm and coming back from traps.

/// The harness frame of the wasm call in progress, saved by
/// [`arch::enter`] and returned to by [`arch::unwind`].
static mut JMP: JmpBuf = JmpBuf { sp: 0 };

/// The wasm stack and the alternate signal stack, created on first use.
struct Stacks {
    wasm: Mapping,
    _alt: Mapping,
}

thread_local! {
    static STACKS: Cell<Option<&'static Stacks>> = const { Cell::new(None) };
    static IN_WASM: Cell<bool> = const { Cell::new(false) };
}

/// Bounds of the wasm stack's guard region, read by the signal handler.
static GUARD: Mutex<(usize, usize)> = Mutex::new((0, 0));

fn stacks() -> Result<&'static Stacks, String> {
    if let Some(s) = STACKS.get() {
        return Ok(s);
    }
    let wasm = Mapping::new(STACK_GUARD + STACK_SIZE, false)?;
    if !wasm.protect(STACK_GUARD, STACK_SIZE, libc::PROT_READ | libc::PROT_WRITE) {
        return Err("cannot map the wasm stack".into());
    }
    let alt = Mapping::new(ALT_STACK_SIZE, true)?;
    let ss = libc::stack_t {
        ss_sp: alt.ptr.cast(),
        ss_flags: 0,
        ss_size: ALT_STACK_SIZE,
    };
    // SAFETY: `ss` describes a live mapping that is never freed (leaked
    // below), so the kernel may use it for the rest of the thread's life.
    if unsafe { libc::sigaltstack(&ss, std::ptr::null_mut()) } != 0 {
        return Err("sigaltstack failed".into());
    }
    *GUARD.lock().unwrap_or_else(|e| e.into_inner()) =
        (wasm.ptr as usize, wasm.ptr as usize + STACK_GUARD);
    install_handlers()?;
    wasi_aot_runtime::trap::set_trap_hook(raise);
    wasi_aot_runtime::exception::set_handler_lookup(handler_at);
    let s: &'static Stacks = Box::leak(Box::new(Stacks { wasm, _alt: alt }));
    STACKS.set(Some(s));
    Ok(s)
}

fn install_handlers() -> Result<(), String> {
    for sig in [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE] {
        // SAFETY: a zeroed sigaction is a valid starting point; the handler
        // has the SA_SIGINFO signature.
        let ok = unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_fault as *const () as usize;
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut()) == 0
        };
        if !ok {
            return Err(format!("sigaction({sig}) failed"));
        }
    }
    Ok(())
}

/// How a call into wasm ended.
#[derive(Debug)]
pub enum Outcome {
    Returned,
    Trapped(Trap),
    /// A fault that is not a wasm trap (a compiler or harness bug), with a
    /// description of the signal.
    Crashed(String),
}

/// Signal number, pc and fault address of the last crash, recorded by the
/// signal handler (which must not format or allocate).
static CRASH_INFO: [AtomicUsize; 3] = [const { AtomicUsize::new(0) }; 3];

fn crash_description() -> String {
    let [sig, pc, addr] = CRASH_INFO.each_ref().map(|a| a.load(Ordering::Relaxed));
    format!("signal {sig} at pc {pc:#x}, address {addr:#x}, outside any trap site")
}

/// Calls `f(a0, a1)` (C convention) on the wasm stack, catching traps.
///
/// # Safety
/// `f` must be compiled code (a trampoline or an `init` function) expecting
/// these arguments, from a live image whose imports are all resolved.
pub unsafe fn call_wasm(f: usize, a0: usize, a1: usize) -> Result<Outcome, String> {
    let stacks = stacks()?;
    let top = stacks.wasm.ptr as usize + stacks.wasm.len;
    IN_WASM.set(true);
    CRASH_INFO[0].store(0, Ordering::Relaxed);
    // SAFETY: `top` is the 16-byte aligned end of the read-write wasm stack;
    // the caller guarantees `f`. Traps come back through `unwind` with the
    // registers `enter` saved.
    let code = unsafe { arch::enter(&raw mut JMP, top, f, a0, a1) };
    IN_WASM.set(false);
    Ok(match code {
        0 => Outcome::Returned,
        CRASH => Outcome::Crashed(crash_description()),
        c => Trap::from_code(c as u32)
            .map_or_else(|| Outcome::Crashed(crash_description()), Outcome::Trapped),
    })
}

/// The runtime's trap hook here: a builtin raising `trap` abandons the
/// wasm frames and returns to [`call_wasm`].
fn raise(trap: Trap) -> ! {
    // SAFETY: builtins only run inside `call_wasm`, so `JMP` holds the saved
    // stack of the harness frame waiting in `enter`; the frames in between
    // (wasm and the builtin's) own nothing that needs dropping.
    unsafe { arch::unwind(&raw mut JMP, trap as u64) }
}

/// The fault handler: maps a fault in wasm code to a trap (the runtime's
/// `trap::classify`, the rule executables use) and makes the interrupted
/// thread resume in [`arch::unwind`].
extern "C" fn on_fault(sig: i32, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    let in_wasm = IN_WASM.try_with(Cell::get).unwrap_or(false);
    // SAFETY: the kernel passes a valid siginfo and ucontext.
    let (addr, pc) = unsafe {
        (
            (*info).si_addr() as usize,
            arch::fault_pc(&*(ctx as *const libc::ucontext_t)),
        )
    };
    if !in_wasm {
        // Not ours: restore the default action and let the fault recur.
        // SAFETY: resetting a signal's disposition is always allowed.
        unsafe { libc::signal(sig, libc::SIG_DFL) };
        return;
    }
    let (lo, hi) = GUARD.try_lock().map(|g| *g).unwrap_or((0, 0));
    let code = wasi_aot_runtime::trap::classify(module_at(pc), sig, pc, addr, lo..hi)
        .map_or(CRASH, |t| t as u64);
    if code == CRASH {
        for (slot, v) in CRASH_INFO.iter().zip([sig as usize, pc, addr]) {
            slot.store(v, Ordering::Relaxed);
        }
    }
    // SAFETY: the kernel passes a valid ucontext, which this handler may
    // rewrite: the thread resumes in `unwind(&JMP, code)`, which needs no
    // valid stack (it loads the saved harness stack pointer first).
    let uc = unsafe { &mut *(ctx as *mut libc::ucontext_t) };
    arch::resume_in(
        uc,
        arch::unwind as *const () as usize,
        (&raw mut JMP) as usize,
        code as usize,
    );
}
