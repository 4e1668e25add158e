//! The memory functions the compiler expects a C library to provide.
//!
//! There is no libc in the executable, yet rustc/LLVM lower copies, fills and
//! comparisons to calls to `memcpy`, `memmove`, `memset`, `memcmp` and `bcmp`
//! (and `CStr` to `strlen`)
//! (and compiled wasm code may too). The copies and fills are the
//! architecture's assembly loops (`arch`: `rep movsb` on x86-64), which
//! cannot be turned back into a call to themselves, as a plain loop could
//! be by LLVM's idiom recognition.
//!
//! Lengths up to `SMALL` bytes, the common case of `memory.copy` and
//! `memory.fill` builtins (clang `-mbulk-memory` sends every non-constant
//! `memcpy` there), take no loop: at most two accesses of the widest width
//! not above the length, the second ending at the last byte (overlapping
//! the first). A string instruction's start-up costs more than such a copy.

use crate::arch;
use core::ptr::{read_unaligned, write_unaligned};

/// The longest length `copy_small` and `fill_small` handle.
const SMALL: usize = 32;

/// Copies `n <= SMALL` bytes: two accesses of one width, both loads before
/// either store, so the ranges may overlap in either direction.
///
/// # Safety
/// Both ranges valid for `n` bytes.
#[inline(always)]
unsafe fn copy_small(dst: *mut u8, src: *const u8, n: usize) {
    /// Copies `[0, w)` and `[n - w, n)` as two `T`s (`w` its size, `w <= n`).
    #[inline(always)]
    unsafe fn two<T>(dst: *mut u8, src: *const u8, n: usize) {
        let w = size_of::<T>();
        // SAFETY: `w <= n`, so both accesses lie within the ranges (caller).
        unsafe {
            let a = read_unaligned(src.cast::<T>());
            let b = read_unaligned(src.add(n - w).cast::<T>());
            write_unaligned(dst.cast::<T>(), a);
            write_unaligned(dst.add(n - w).cast::<T>(), b);
        }
    }
    // SAFETY: each branch's width is at most `n` (caller: valid ranges).
    unsafe {
        if n >= 16 {
            two::<u128>(dst, src, n);
        } else if n >= 8 {
            two::<u64>(dst, src, n);
        } else if n >= 4 {
            two::<u32>(dst, src, n);
        } else if n >= 2 {
            two::<u16>(dst, src, n);
        } else if n == 1 {
            *dst = *src;
        }
    }
}

/// Sets `n <= SMALL` bytes at `dst` to `c`, in at most two stores of one
/// width.
///
/// # Safety
/// `dst` valid for `n` bytes.
#[inline(always)]
unsafe fn fill_small(dst: *mut u8, c: u8, n: usize) {
    let word = u64::from(c) * 0x0101_0101_0101_0101;
    // SAFETY: each branch's width is at most `n` (caller: valid range).
    unsafe {
        if n >= 16 {
            let wide = u128::from(word) << 64 | u128::from(word);
            write_unaligned(dst.cast::<u128>(), wide);
            write_unaligned(dst.add(n - 16).cast::<u128>(), wide);
        } else if n >= 8 {
            write_unaligned(dst.cast::<u64>(), word);
            write_unaligned(dst.add(n - 8).cast::<u64>(), word);
        } else if n >= 4 {
            write_unaligned(dst.cast::<u32>(), word as u32);
            write_unaligned(dst.add(n - 4).cast::<u32>(), word as u32);
        } else if n >= 2 {
            write_unaligned(dst.cast::<u16>(), word as u16);
            write_unaligned(dst.add(n - 2).cast::<u16>(), word as u16);
        } else if n == 1 {
            *dst = c;
        }
    }
}

/// # Safety
/// Standard C `memcpy` contract: valid, non-overlapping ranges.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: the caller guarantees both ranges are valid for `n` bytes.
    unsafe {
        if n <= SMALL {
            copy_small(dst, src, n);
        } else {
            arch::copy_forward(dst, src, n);
        }
    }
    dst
}

/// # Safety
/// Standard C `memmove` contract: valid ranges, possibly overlapping.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    if n <= SMALL {
        // SAFETY: as in `memcpy`; `copy_small` loads before it stores.
        unsafe { copy_small(dst, src, n) };
    } else if (dst as usize).wrapping_sub(src as usize) >= n {
        // Forward copy is safe: dst is before src or the ranges are disjoint.
        // SAFETY: as in `memcpy`; a forward copy handles dst < src.
        unsafe { arch::copy_forward(dst, src, n) };
    } else {
        // dst overlaps the tail of src: copy backwards from the last byte.
        // SAFETY: both ranges are valid (caller); `n > SMALL` here.
        unsafe { arch::copy_backward(dst, src, n) };
    }
    dst
}

/// # Safety
/// Standard C `memset` contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memset(dst: *mut u8, c: i32, n: usize) -> *mut u8 {
    // SAFETY: the caller guarantees `dst` is valid for `n` bytes.
    unsafe {
        if n <= SMALL {
            fill_small(dst, c as u8, n);
        } else {
            arch::fill(dst, c as u8, n);
        }
    }
    dst
}

/// # Safety
/// Standard C `memcmp` contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut i = 0;
    while i < n {
        // SAFETY: `i < n` and both ranges are valid for `n` bytes. Volatile
        // reads keep LLVM from recognising the loop as a `memcmp`/`bcmp` call.
        let (x, y) = unsafe { (a.add(i).read_volatile(), b.add(i).read_volatile()) };
        if x != y {
            return x as i32 - y as i32;
        }
        i += 1;
    }
    0
}

/// # Safety
/// Standard C `bcmp` contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: same contract.
    unsafe { memcmp(a, b, n) }
}

/// # Safety
/// Standard C `strlen` contract: `s` is NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strlen(s: *const u8) -> usize {
    let mut n = 0;
    // SAFETY: the string is NUL-terminated, so every byte up to and
    // including the NUL is readable. Volatile keeps LLVM from turning the
    // loop back into a `strlen` call.
    while unsafe { s.add(n).read_volatile() } != 0 {
        n += 1;
    }
    n
}
