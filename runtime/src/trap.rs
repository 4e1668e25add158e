//! Traps as the library sees them: finding the trap a compiled instruction
//! raises (the module's trap tables), and raising a trap from a builtin.
//!
//! Raising calls the trap hook the host installed with [`set_trap_hook`]:
//! an executable's start-up installs the one that prints the report and
//! exits 134 (`fault.rs`); a host running modules in its own process
//! installs one that abandons the wasm frames and returns to its own frame.
//! Without a hook, raising a trap is a runtime bug (a panic).
//!
//! A fault (a signal raised by compiled code) is attributed by [`classify`],
//! the one rule both hosts use, an executable's fault handler and the spec
//! harness's:
//! 1. a memory fault (`SIGSEGV`/`SIGBUS`) inside the wasm stack's guard →
//!    "call stack exhausted", whatever the PC (host code running on the wasm
//!    stack overflows too);
//! 2. PC in compiled code at a recorded trap site → that site's trap;
//! 3. PC in compiled code, memory fault inside a memory's reservation →
//!    "out of bounds memory access";
//! 4. anything else is not a wasm trap: a runtime or compiler bug.
//!
//! ⚠ The lookups here run in signal handlers: they allocate nothing, take no
//! locks and only read the module's immutable metadata.

use core::ops::Range;
use core::sync::atomic::{AtomicPtr, Ordering};

use wasi_aot_abi::{FuncInfo, MEMORY32_RESERVATION, ModuleInfo, Trap, TrapSite};

use crate::sys;

/// Usable size of the stack wasm code runs on in the spec harness, and by
/// default in an executable (whose build may choose another size).
pub const WASM_STACK_SIZE: usize = wasi_aot_abi::DEFAULT_MAX_WASM_STACK as usize;
/// `PROT_NONE` guard below the wasm stack. Large enough that a frame whose
/// size exceeds a page still lands in it (stack probes are inlined).
pub const WASM_STACK_GUARD: usize = 1 << 20;

/// Offsets in this architecture's kernel signal frame that fault handlers
/// read and write (`siginfo_t`, `ucontext_t`): `SI_ADDR`, `UC_PC`, `UC_FP`.
pub use crate::arch::signal_frame;

/// The wasm trap a fault of signal `signal` at `pc` on address `addr` is,
/// by the rules in the module doc; `None` when it is none. `info` is the
/// module whose code contains `pc`, if any; `guard` the wasm stack's guard
/// region.
pub fn classify(
    info: Option<&ModuleInfo>,
    signal: i32,
    pc: usize,
    addr: usize,
    guard: Range<usize>,
) -> Option<Trap> {
    let memory_fault = signal == sys::SIGSEGV || signal == sys::SIGBUS;
    if memory_fault && guard.contains(&addr) {
        return Some(Trap::StackOverflow);
    }
    let info = info?;
    let k = find_func(info, pc)?;
    trap_site(info, k, pc)
        .or_else(|| (memory_fault && in_memory(info, addr)).then_some(Trap::MemoryOutOfBounds))
}

/// Whether `addr` lies inside the reservation of one of `info`'s memories.
fn in_memory(info: &ModuleInfo, addr: usize) -> bool {
    (0..info.memories.len as usize).any(|i| {
        // SAFETY: `memory_states` has one entry per memory, each pointing at
        // its `VMMemory` (the host fills imported ones before any code
        // runs); reading its base word has no side effect.
        let base = unsafe { (**info.memory_states.add(i)).base } as usize;
        base != 0 && addr >= base && ((addr - base) as u64) < MEMORY32_RESERVATION
    })
}

/// What raising a trap does: never returns to the builtin that raised it.
pub type TrapHook = fn(Trap) -> !;

/// The installed [`TrapHook`], null until one is.
static HOOK: AtomicPtr<()> = AtomicPtr::new(core::ptr::null_mut());

/// Installs the function every raised trap goes to.
pub fn set_trap_hook(hook: TrapHook) {
    HOOK.store(hook as *mut (), Ordering::Release);
}

/// Raises `trap` from a builtin or host function through the trap hook.
#[inline(never)]
pub fn raise(trap: Trap) -> ! {
    let hook = HOOK.load(Ordering::Acquire);
    assert!(!hook.is_null(), "trap raised with no trap hook installed");
    // SAFETY: the only non-null value ever stored is a `TrapHook`.
    let hook: TrapHook = unsafe { core::mem::transmute::<*mut (), TrapHook>(hook) };
    hook(trap)
}

/// The compiled functions of `info`, in address order.
pub fn funcs(info: &ModuleInfo) -> &[FuncInfo] {
    crate::meta::slice(info.funcs)
}

fn contains(f: &FuncInfo, pc: usize) -> bool {
    let start = f.addr as usize;
    pc >= start && pc - start < f.len as usize
}

/// Position in [`funcs`] of the compiled function containing `pc`.
pub fn find_func(info: &ModuleInfo, pc: usize) -> Option<usize> {
    let fs = funcs(info);
    // Binary search assuming address order, verified; linear scan otherwise.
    let k = fs.partition_point(|f| (f.addr as usize) <= pc);
    if k > 0 && contains(&fs[k - 1], pc) {
        return Some(k - 1);
    }
    fs.iter().position(|f| contains(f, pc))
}

/// The trap recorded for the instruction at `pc` in function `k` (a
/// position in [`funcs`]).
pub fn trap_site(info: &ModuleInfo, k: usize, pc: usize) -> Option<Trap> {
    Trap::from_code(site(info, k, pc)?.code)
}

/// The trap-site record of the instruction at `pc` in function `k` (a
/// position in [`funcs`]).
pub fn site(info: &ModuleInfo, k: usize, pc: usize) -> Option<TrapSite> {
    let f = funcs(info).get(k)?;
    let offset = pc.checked_sub(f.addr as usize)? as u32;
    let (start, len) = (f.traps_start as u64, f.traps_len as u64);
    if start
        .checked_add(len)
        .is_none_or(|end| end > info.traps.len)
        || len == 0
    {
        return None;
    }
    // SAFETY: the range was checked against the trap table's length.
    let sites: &[TrapSite] =
        unsafe { core::slice::from_raw_parts(info.traps.ptr.add(start as usize), len as usize) };
    match sites.binary_search_by_key(&offset, |s| s.offset) {
        Ok(i) => Some(sites[i]),
        Err(_) => sites.iter().find(|s| s.offset == offset).copied(),
    }
}

/// The trap the instruction at `pc` raises, if `pc` is a trap site of
/// `info`'s compiled code.
pub fn trap_at(info: &ModuleInfo, pc: usize) -> Option<Trap> {
    trap_site(info, find_func(info, pc)?, pc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasi_aot_abi::{Capabilities, MemoryInfo, Settings, Slice, Str, VMContext, VMMemory};

    fn empty<T>() -> Slice<T> {
        Slice {
            ptr: core::ptr::null(),
            len: 0,
        }
    }

    fn one<T>(item: &T) -> Slice<T> {
        Slice { ptr: item, len: 1 }
    }

    unsafe extern "C" fn no_init(_: *mut VMContext) {}

    /// Where the fake function's code starts (nothing is mapped or run
    /// there: `classify` only compares addresses).
    const CODE: usize = 0x10_0000;
    /// Base of the fake memory's reservation.
    const BASE: usize = 0x1_0000_0000;
    /// The function's one trap site.
    const SITE: TrapSite = TrapSite {
        offset: 4,
        code: Trap::IntegerDivisionByZero as u32,
        inlined: 0,
    };

    /// `classify` on a module of one 64-byte function (a trap site at
    /// offset 4) and one memory reserved at `BASE`.
    fn classify_in_module(signal: i32, pc: usize, addr: usize) -> Option<Trap> {
        let mut memory = VMMemory {
            base: BASE as *mut u8,
            length: 0x1_0000,
        };
        let mut states = [&raw mut memory];
        let memory_info = MemoryInfo {
            min_pages: 1,
            max_pages: 1,
            index64: 0,
            imported: 0,
        };
        let func = FuncInfo {
            addr: CODE as *const u8,
            len: 64,
            traps_start: 0,
            traps_len: 1,
            _pad: 0,
            name: Str {
                ptr: core::ptr::null(),
                len: 0,
            },
        };
        let info = ModuleInfo {
            abi_version: wasi_aot_abi::ABI_VERSION,
            num_imported_funcs: 0,
            vmctx: core::ptr::null_mut(),
            init: no_init,
            entry: None,
            memories: one(&memory_info),
            memory_states: states.as_mut_ptr(),
            tables: empty(),
            func_imports: empty(),
            func_import_slots: core::ptr::null_mut(),
            funcs: one(&func),
            traps: one(&SITE),
            data: empty(),
            elems: empty(),
            caps: Capabilities {
                dirs: empty(),
                env: empty(),
                inherit_env: 0,
                _pad: 0,
                tcp_listen: empty(),
                embeds: empty(),
            },
            handlers: empty(),
            settings: Settings {
                max_memory: u64::MAX,
                max_wasm_stack: 0,
                argv0: Str {
                    ptr: core::ptr::null(),
                    len: 0,
                },
                has_argv0: 0,
                _pad: 0,
            },
            image: wasi_aot_abi::MemoryImage {
                bytes: core::ptr::null(),
                len: 0,
                offset: 0,
            },
        };
        classify(Some(&info), signal, pc, addr, 0..0)
    }

    /// A memory fault in compiled code away from any trap site is "out of
    /// bounds memory access" when it hits a memory's reservation (the
    /// accessible part or not), and no trap anywhere else.
    #[test]
    fn faults_in_a_reservation_are_out_of_bounds() {
        let pc = CODE + 8;
        let oob = Some(Trap::MemoryOutOfBounds);
        for signal in [sys::SIGSEGV, sys::SIGBUS] {
            assert_eq!(classify_in_module(signal, pc, BASE), oob);
            assert_eq!(classify_in_module(signal, pc, BASE + 0x1_0000), oob);
            let last = BASE + MEMORY32_RESERVATION as usize - 1;
            assert_eq!(classify_in_module(signal, pc, last), oob);
            assert_eq!(classify_in_module(signal, pc, last + 1), None);
            assert_eq!(classify_in_module(signal, pc, BASE - 1), None);
            assert_eq!(classify_in_module(signal, pc, 0), None);
            // Outside compiled code a fault is no wasm trap, wherever it is.
            assert_eq!(classify_in_module(signal, CODE + 64, BASE), None);
            assert_eq!(classify_in_module(signal, CODE - 1, BASE), None);
        }
        // Not a memory fault.
        assert_eq!(classify_in_module(sys::SIGFPE, pc, BASE), None);
    }

    /// A trap site's own trap wins over the reservation rule; the stack
    /// guard over everything.
    #[test]
    fn trap_sites_and_the_stack_guard() {
        let site = Trap::from_code(SITE.code);
        assert_eq!(classify_in_module(sys::SIGFPE, CODE + 4, 0), site);
        assert_eq!(classify_in_module(sys::SIGSEGV, CODE + 4, BASE), site);
        let guard = 0x5000..0x6000;
        assert_eq!(
            classify(None, sys::SIGSEGV, 0, 0x5800, guard.clone()),
            Some(Trap::StackOverflow)
        );
        assert_eq!(classify(None, sys::SIGSEGV, 0, 0x6000, guard), None);
    }
}
