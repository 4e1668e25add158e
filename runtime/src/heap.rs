//! Blocks that can be freed and reused: one free list per size class on top
//! of the never-freed arena ([`sys::alloc_static`]).
//!
//! The classes are powers of two from 16 bytes to 16 KiB (the largest
//! request the arena serves from its shared mappings); a request takes the
//! smallest class that fits it. A freed block is pushed on its class's
//! list (its first word links to the next free block) and handed out again
//! by the next request of that class; only when the list is empty does a
//! request take new memory from the arena. Memory is never returned to the
//! system, so the footprint is the peak number of live blocks of each
//! class, not the number ever allocated. Larger requests get their own
//! mapping, unmapped when freed.
//!
//! Rejected: a general allocator (splitting, coalescing). The one user,
//! exceptions, allocates a few sizes over and over and usually frees a
//! block before the next request, which a free list per class serves in a
//! few instructions with nothing to get wrong.
//!
//! Thread-safe: a static library's instances may run on several threads
//! at once, so the lists and the arena they draw from are used under one
//! spin lock (uncontended in an executable, which runs one thread: an
//! atomic swap and a store per call). Blocks are 16-byte aligned; a reused
//! block is not zeroed.

use core::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use core::sync::atomic::{AtomicBool, AtomicUsize};

use crate::sys;

/// Number of size classes: class `k` holds blocks of `16 << k` bytes.
const CLASSES: usize = 11;

/// The head of each class's free list (0 when empty).
static FREE: [AtomicUsize; CLASSES] = [const { AtomicUsize::new(0) }; CLASSES];

/// Held while the lists or the arena change.
static LOCK: AtomicBool = AtomicBool::new(false);

/// Runs `f` holding [`LOCK`].
fn locked<R>(f: impl FnOnce() -> R) -> R {
    while LOCK.swap(true, Acquire) {
        while LOCK.load(Relaxed) {
            core::hint::spin_loop();
        }
    }
    let r = f();
    LOCK.store(false, Release);
    r
}

/// The class of a `len`-byte request; [`CLASSES`] or more for a request
/// that gets its own mapping.
fn class_of(len: usize) -> usize {
    len.div_ceil(16).max(1).next_power_of_two().trailing_zeros() as usize
}

/// A block of at least `len` bytes, 16-byte aligned, or `None` when the
/// system has no memory left.
pub fn alloc(len: usize) -> Option<*mut u8> {
    let k = class_of(len);
    if k >= CLASSES {
        return sys::map_zeroed(len);
    }
    locked(|| {
        let head = FREE[k].load(Relaxed);
        if head == 0 {
            return sys::alloc_static(16 << k);
        }
        // SAFETY: `head` is a free block of class `k` (pushed by `free`,
        // which wrote the next free block into its first word); nothing
        // else uses it, and the lock keeps other threads off the list.
        let next = unsafe { *(head as *const usize) };
        FREE[k].store(next, Relaxed);
        Some(head as *mut u8)
    })
}

/// Gives a block back for reuse.
///
/// # Safety
/// `ptr` must come from [`alloc`] with the same `len`, not be freed
/// already, and nothing may use it any more.
pub unsafe fn free(ptr: *mut u8, len: usize) {
    let k = class_of(len);
    if k >= CLASSES {
        // SAFETY: a block this large is a mapping of its own (see `alloc`)
        // that, by the caller's guarantee, nothing uses.
        unsafe { sys::unmap(ptr, len) };
        return;
    }
    locked(|| {
        // SAFETY: the block has at least 16 bytes, is aligned, and is ours
        // now (by the caller's guarantee): its first word links the list.
        unsafe { *ptr.cast::<usize>() = FREE[k].load(Relaxed) };
        FREE[k].store(ptr as usize, Relaxed);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(class_of(0), 0);
        assert_eq!(class_of(16), 0);
        assert_eq!(class_of(17), 1);
        assert_eq!(class_of(32), 1);
        assert_eq!(class_of(48), 2);
        assert_eq!(class_of(16 << 10), 10);
        assert_eq!(class_of((16 << 10) + 1), CLASSES);
    }

    /// A freed block is the next one of its class handed out, and only of
    /// its class; blocks in use are distinct. (One test: the lists are
    /// global, and unit tests run on several threads.)
    #[test]
    fn freed_blocks_are_reused_by_class() {
        let a = alloc(48).unwrap();
        let b = alloc(48).unwrap();
        assert_ne!(a, b);
        assert_eq!(a as usize % 16, 0);
        // SAFETY: `a` came from `alloc(48)` and is not used again.
        unsafe { free(a, 48) };
        let c = alloc(24).unwrap();
        assert_ne!(c, a, "a 32-byte block must not come from the 64-byte list");
        assert_eq!(alloc(64).unwrap(), a);
        let big = alloc(100_000).unwrap();
        // SAFETY: each block came from `alloc` with that length and is not
        // used again.
        unsafe {
            big.write_bytes(1, 100_000);
            free(big, 100_000);
            free(b, 48);
            free(c, 24);
        }
    }
}
