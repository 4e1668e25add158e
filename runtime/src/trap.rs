//! Traps as the library sees them: finding the trap a compiled instruction
//! raises (the module's trap tables), and raising a trap from a builtin.
//!
//! Raising calls the trap hook the host installed with [`set_trap_hook`]:
//! an executable's start-up installs the one that prints the report and
//! exits 134 (`fault.rs`); a host running modules in its own process
//! installs one that abandons the wasm frames and returns to its own frame.
//! Without a hook, raising a trap is a runtime bug (a panic).
//!
//! ⚠ The lookups here run in signal handlers: they allocate nothing, take no
//! locks and only read the module's immutable metadata.

use core::sync::atomic::{AtomicPtr, Ordering};

use wasi_aot_abi::{FuncInfo, ModuleInfo, Trap, TrapSite};

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
    let site = match sites.binary_search_by_key(&offset, |s| s.offset) {
        Ok(i) => sites[i],
        Err(_) => *sites.iter().find(|s| s.offset == offset)?,
    };
    Trap::from_code(site.code)
}

/// The trap the instruction at `pc` raises, if `pc` is a trap site of
/// `info`'s compiled code.
pub fn trap_at(info: &ModuleInfo, pc: usize) -> Option<Trap> {
    trap_site(info, find_func(info, pc)?, pc)
}
