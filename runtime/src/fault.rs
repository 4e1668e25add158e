//! An executable's trap handling: the fault signal handler, the trap report
//! with its wasm backtrace, and the exit with status 134.
//!
//! ⚠ Sandbox-critical: this code runs in a signal handler after an arbitrary
//! fault. It allocates nothing, takes no locks, touches no [`Global`] state
//! and only reads memory it has bounds-checked against the wasm stack.
//!
//! A fault is attributed by [`trap::classify`]; one that is no wasm trap is
//! a runtime bug: an internal error, exit 70.
//!
//! Builtins raise traps through [`trap::raise`]; start-up installs
//! [`raise_exit`] as the trap hook, so both paths report the same way.
//!
//! [`Global`]: crate::globals::Global

use core::fmt::Write;
use core::sync::atomic::{AtomicUsize, Ordering};

use wasi_aot_abi::Trap;

use crate::module;
use crate::sys::{self, Stderr};
use crate::trap::WASM_STACK_GUARD as STACK_GUARD;
use crate::trap::signal_frame::{SI_ADDR, UC_FP, UC_PC};
use crate::{arch, exception, trap};

/// Exit status after a trap, as wasmtime's CLI (128 + SIGABRT).
pub const TRAP_EXIT_STATUS: i32 = 134;
const ALTSTACK_SIZE: usize = 64 << 10;
const MAX_FRAMES: usize = 1000;

/// Lowest address of the wasm stack mapping (start of its guard).
static STACK_LOW: AtomicUsize = AtomicUsize::new(0);
/// One past the highest address of the wasm stack.
static STACK_HIGH: AtomicUsize = AtomicUsize::new(0);

/// Records the wasm stack bounds, maps the alternate signal stack,
/// installs the fault handlers and the trap hook.
pub fn install(stack_low: usize, stack_high: usize) {
    STACK_LOW.store(stack_low, Ordering::Relaxed);
    STACK_HIGH.store(stack_high, Ordering::Relaxed);
    let Some(alt) = sys::map_zeroed(ALTSTACK_SIZE) else {
        sys::cannot_start(format_args!("cannot map the signal stack"));
    };
    // SAFETY: `alt` is a fresh read-write mapping used for nothing else and
    // never unmapped.
    if unsafe { sys::set_altstack(alt, ALTSTACK_SIZE) }.is_err() {
        sys::cannot_start(format_args!("sigaltstack failed"));
    }
    for sig in [sys::SIGSEGV, sys::SIGBUS, sys::SIGILL, sys::SIGFPE] {
        if sys::install_handler(sig, on_fault).is_err() {
            sys::cannot_start(format_args!("sigaction({sig}) failed"));
        }
    }
    trap::set_trap_hook(raise_exit);
    exception::set_handler_lookup(|ret| exception::handler_in(module::module_info(), ret));
}

/// Position of the compiled function containing `pc`.
fn find_func(pc: usize) -> Option<usize> {
    trap::find_func(module::module_info(), pc)
}

/// Reads the saved frame pointer and return address of the frame at `fp`,
/// if it lies within the wasm stack.
fn read_frame(fp: usize) -> Option<(usize, usize)> {
    let (lo, hi) = (
        STACK_LOW.load(Ordering::Relaxed) + STACK_GUARD,
        STACK_HIGH.load(Ordering::Relaxed),
    );
    if fp == 0 || !fp.is_multiple_of(8) || fp < lo || fp.checked_add(16).is_none_or(|e| e > hi) {
        return None;
    }
    // SAFETY: `[fp, fp + 16)` lies inside the mapped, readable wasm stack.
    unsafe { Some((*(fp as *const usize), *((fp + 8) as *const usize))) }
}

fn write_frame(err: &mut Stderr, n: usize, k: usize) {
    let info = module::module_info();
    let f = &trap::funcs(info)[k];
    let _ = write!(err, "    {n}: ");
    let name = if f.name.len == 0 {
        None
    } else {
        // SAFETY: names are `len` bytes of read-only data emitted by the compiler.
        let bytes = unsafe { core::slice::from_raw_parts(f.name.ptr, f.name.len as usize) };
        core::str::from_utf8(bytes).ok()
    };
    match name {
        Some(name) => {
            let _ = writeln!(err, "{}", Printable(name));
        }
        None => {
            let _ = writeln!(
                err,
                "wasm-function[{}]",
                info.num_imported_funcs as u64 + k as u64
            );
        }
    }
}

/// A name from the module, printed with its control characters escaped
/// (`\n`, `\u{1b}`), as the compiler prints names in its error lines: a
/// name section can neither add lines to the report (a fake `wasm trap:`)
/// nor drive the terminal.
struct Printable<'a>(&'a str);

impl core::fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for c in self.0.chars() {
            if c.is_control() {
                write!(f, "{}", c.escape_default())?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

/// Prints the trap report. `pc` is the faulting instruction, if the trap
/// comes from one; then the frame chain starting at `fp` is walked, keeping
/// only frames whose return address is in compiled code.
fn report(trap: Trap, pc: Option<usize>, mut fp: usize) {
    let mut err = Stderr::new();
    let _ = writeln!(err, "wasm trap: {}", trap.message());
    let _ = writeln!(err, "wasm backtrace:");
    let mut n = 0;
    if let Some((pc, k)) = pc.and_then(|pc| Some((pc, find_func(pc)?))) {
        // A trap in a body inlined into function k: its function first.
        let info = module::module_info();
        let inlined = trap::site(info, k, pc).map_or(0, |s| s.inlined as usize);
        if inlined != 0 && inlined <= trap::funcs(info).len() {
            write_frame(&mut err, n, inlined - 1);
            n += 1;
        }
        write_frame(&mut err, n, k);
        n += 1;
    }
    for _ in 0..MAX_FRAMES {
        let Some((next_fp, ret)) = read_frame(fp) else {
            break;
        };
        // A return address points after the call; look up the call itself.
        if let Some(k) = find_func(ret.wrapping_sub(1)) {
            write_frame(&mut err, n, k);
            n += 1;
            if n >= MAX_FRAMES {
                break;
            }
        }
        if next_fp <= fp {
            break;
        }
        fp = next_fp;
    }
    err.flush();
}

/// The trap hook of an executable: reports `trap` with the wasm frames
/// above the builtin that raised it, and exits 134.
#[inline(never)]
fn raise_exit(trap: Trap) -> ! {
    // The runtime is built with frame pointers, so this heads a chain
    // through the builtin's callers.
    let fp = arch::frame_pointer();
    report(trap, None, fp);
    sys::exit(TRAP_EXIT_STATUS)
}

/// The fault handler (runs on the alternate signal stack).
///
/// # Safety
/// Only the kernel calls this, with valid `siginfo_t` and `ucontext_t`.
unsafe extern "C" fn on_fault(sig: i32, info: *mut u8, ctx: *mut u8) {
    // SAFETY: the kernel passes a valid siginfo and ucontext for the fault;
    // the offsets are those of this architecture's kernel ABI.
    let (addr, pc, fp) = unsafe {
        (
            *(info.add(SI_ADDR) as *const usize),
            *(ctx.add(UC_PC) as *const usize),
            *(ctx.add(UC_FP) as *const usize),
        )
    };
    let low = STACK_LOW.load(Ordering::Relaxed);
    let func = find_func(pc);
    let trap = trap::classify(
        Some(module::module_info()),
        sig,
        pc,
        addr,
        low..low + STACK_GUARD,
    );
    let Some(trap) = trap else {
        sys::fatal(
            70,
            format_args!(
                "wasi-aot runtime: internal error: signal {sig} at pc {pc:#x}, address {addr:#x}"
            ),
        );
    };
    report(trap, Some(pc).filter(|_| func.is_some()), fp);
    sys::exit(TRAP_EXIT_STATUS)
}
