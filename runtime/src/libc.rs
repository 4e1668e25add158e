//! The memory functions the compiler expects a C library to provide.
//!
//! There is no libc in the executable, yet rustc/LLVM lower copies, fills and
//! comparisons to calls to `memcpy`, `memmove`, `memset`, `memcmp` and `bcmp`
//! (and `CStr` to `strlen`)
//! (and compiled wasm code may too). The copies and fills are the
//! architecture's assembly loops (`arch`: `rep movsb` on x86-64), which
//! cannot be turned back into a call to themselves, as a plain loop could
//! be by LLVM's idiom recognition.

use crate::arch;

/// # Safety
/// Standard C `memcpy` contract: valid, non-overlapping ranges.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: the caller guarantees both ranges are valid for `n` bytes.
    unsafe { arch::copy_forward(dst, src, n) };
    dst
}

/// # Safety
/// Standard C `memmove` contract: valid ranges, possibly overlapping.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    if (dst as usize).wrapping_sub(src as usize) >= n {
        // Forward copy is safe: dst is before src or the ranges are disjoint.
        // SAFETY: as in `memcpy`; a forward copy handles dst < src.
        unsafe { arch::copy_forward(dst, src, n) };
    } else {
        // dst overlaps the tail of src: copy backwards from the last byte.
        // SAFETY: both ranges are valid (caller); `n > 0` here because
        // `dst - src < n`.
        unsafe { arch::copy_backward(dst, src, n) };
    }
    dst
}

/// # Safety
/// Standard C `memset` contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memset(dst: *mut u8, c: i32, n: usize) -> *mut u8 {
    // SAFETY: the caller guarantees `dst` is valid for `n` bytes.
    unsafe { arch::fill(dst, c as u8, n) };
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
