//! The exception builtins: allocating an exception, throwing it to the
//! callers of the throwing wasm function, and freeing it once caught.
//!
//! Compiled code dispatches tags itself (a `try_table`'s clauses are
//! compiled into its handler code): the runtime only finds the innermost
//! call site with a handler ([`HandlerSite`](wasi_aot_abi::HandlerSite)) by
//! walking the frame-pointer chain from the throwing function outwards, and
//! resumes there with the handler's frame and the exception in the first
//! payload register (`arch::resume`; in a static library
//! `library::resume`, which also gives back the pinned register). Which module a return
//! address belongs to is the host's business: it installs the lookup with
//! [`set_handler_lookup`] (an executable's start-up looks in its one
//! module with [`handler_in`]; the spec harness in every loaded image).
//! The walk ends at a frame pointer of 0, which whoever entered wasm put
//! there (`_start`'s stack switch, the harness's entry); the exception is
//! then uncaught and raised as the trap [`Trap::UncaughtException`]
//! through the trap hook: an executable reports it ("wasm trap: uncaught
//! exception", with a backtrace from the throwing function) and exits 134.
//!
//! An exception lives in a [`heap`] block: a header and one 16-byte slot
//! per payload value. It is freed when a `catch` or `catch_all` clause has
//! loaded its payload ([`exn_free`]), unless it has escaped: a `catch_ref`
//! or `catch_all_ref` clause marks the exception escaped as it delivers it
//! as an `exnref`, and wasm can then keep the reference anywhere (locals,
//! globals, tables) with no collector to tell when the last one is gone, so
//! an escaped exception is never freed. Before it escapes nothing but the
//! throw in progress refers to it, so freeing it at the clause that ends
//! that throw is safe. A program that only catches without `_ref` thus
//! needs memory for the exceptions in flight at once, not for every throw.
//! An uncaught exception is not freed either (in the spec harness, which
//! goes on after it, it stays allocated).
//!
//! ⚠ Resuming rewrites the stack and frame pointers: the frames between the
//! thrower and the handler are abandoned. Compiled frames own nothing, and
//! the runtime frames in between (this module's) hold no resources.

use core::sync::atomic::{AtomicPtr, Ordering};

use wasi_aot_abi::{EXCEPTION_SLOT, ModuleInfo, Trap, VMContext, VMException};

use crate::{heap, sys, trap};

/// Finds the handler of the call returning to a return address: its
/// address and the frame offset of its call site.
pub type HandlerLookup = fn(ret: usize) -> Option<(usize, u32)>;

/// The installed [`HandlerLookup`], null until one is.
static LOOKUP: AtomicPtr<()> = AtomicPtr::new(core::ptr::null_mut());

/// Installs the function the `Throw` builtin asks for handlers.
pub fn set_handler_lookup(lookup: HandlerLookup) {
    LOOKUP.store(lookup as *mut (), Ordering::Release);
}

fn handler_at(ret: usize) -> Option<(usize, u32)> {
    let lookup = LOOKUP.load(Ordering::Acquire);
    if lookup.is_null() {
        return None;
    }
    // SAFETY: the only non-null value ever stored is a `HandlerLookup`.
    let lookup: HandlerLookup = unsafe { core::mem::transmute::<*mut (), HandlerLookup>(lookup) };
    lookup(ret)
}

/// Size in bytes of an exception with `slots` payload values.
fn exn_size(slots: usize) -> usize {
    size_of::<VMException>() + slots * EXCEPTION_SLOT
}

/// `ExnAlloc`: a new, not escaped exception of tag identity `tag` with
/// `slots` payload slots, which compiled code fills. Returns its address
/// (an `exnref`; `usize` as the builtin list types pointers).
pub extern "C" fn exn_alloc(_vmctx: *mut VMContext, tag: usize, slots: i32) -> usize {
    let slots = slots as u32;
    let Some(ptr) = heap::alloc(exn_size(slots as usize)) else {
        sys::fatal(
            70,
            format_args!("wasi-aot runtime: out of memory for an exception"),
        );
    };
    let exn = ptr.cast::<VMException>();
    // SAFETY: `ptr` is a 16-byte aligned block of at least the size of the
    // header and the slots, which nothing else uses.
    unsafe {
        *exn = VMException {
            tag,
            slots,
            escaped: 0,
        }
    };
    exn as usize
}

/// `ExnFree`: frees `exn` unless it has escaped. Compiled code calls it in
/// a `catch` or `catch_all` clause after loading the payload, when the
/// clause's handler has all it will ever read of the exception.
///
/// # Safety
/// Only compiled code calls this, through `VMContext::builtins`, with an
/// exception from [`exn_alloc`] that its clause has just caught.
pub unsafe extern "C" fn exn_free(_vmctx: *mut VMContext, exn: usize) {
    let exn = exn as *mut VMException;
    // SAFETY: `exn` is a live exception (from `exn_alloc`, not freed: a
    // freed one was caught by a clause ending its throw and is unreachable).
    let VMException { slots, escaped, .. } = unsafe { *exn };
    if escaped == 0 {
        // SAFETY: not escaped, so no `exnref` to it exists: the caught
        // throw was the only thing referring to it, and it is over. The
        // size is the one `exn_alloc` allocated.
        unsafe { heap::free(exn.cast(), exn_size(slots as usize)) };
    }
}

pub use crate::arch::throw;

/// Walks the frames from the one whose frame pointer is `fp` (and which
/// `ret` returns into) outwards, and resumes at the first handler.
pub(crate) extern "C" fn search(_vmctx: *mut VMContext, exn: usize, ret: usize, fp: usize) -> ! {
    let (mut at, mut frame) = (ret, fp);
    // Frames lie at increasing addresses up to the entry's zero frame
    // pointer; the chain is built by compiled code and the runtime's own
    // entry code, which wasm cannot write to.
    while frame != 0 && frame.is_multiple_of(8) {
        if let Some((handler, frame_offset)) = handler_at(at) {
            // SAFETY: `frame` is the frame pointer of the live frame `at`
            // returns into, and the handler was compiled for exactly this
            // stack state; the frames above own nothing to release.
            #[cfg(not(feature = "library"))]
            unsafe {
                crate::arch::resume(handler, frame - frame_offset as usize, frame, exn)
            }
            // SAFETY: as above; a library's handler also gets its
            // instance's pinned register back.
            #[cfg(feature = "library")]
            unsafe {
                crate::library::resume(handler, frame - frame_offset as usize, frame, exn)
            }
        }
        // SAFETY: `frame` is a frame pointer of the chain: its frame record
        // (saved frame pointer, return address) is on the live stack.
        let (next, next_ret) =
            unsafe { (*(frame as *const usize), *((frame + 8) as *const usize)) };
        if next != 0 && next <= frame {
            break;
        }
        (frame, at) = (next, next_ret);
    }
    trap::raise(Trap::UncaughtException)
}

/// The handler of the call returning to `ret` in `info`'s compiled code
/// (address, frame offset), if that call is inside a `try_table`.
pub fn handler_in(info: &ModuleInfo, ret: usize) -> Option<(usize, u32)> {
    let k = trap::find_func(info, ret.wrapping_sub(1))?;
    let f = &trap::funcs(info)[k];
    let offset = (ret - f.addr as usize) as u32;
    let sites = crate::meta::slice(info.handlers);
    let i = sites
        .binary_search_by(|h| (h.func, h.ret_offset).cmp(&(k as u32, offset)))
        .ok()?;
    let h = sites[i];
    Some((f.addr as usize + h.handler_offset as usize, h.frame_offset))
}
