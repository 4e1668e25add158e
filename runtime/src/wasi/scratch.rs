//! Host-side arrays whose length the guest chooses: the `pollfd`s and
//! subscriptions of one `poll_oneoff`, the iovecs of one read or write.
//!
//! Up to `N` elements live in the value itself (on the stack of the host
//! call); more come from a fresh mapping, unmapped on drop. The runtime has
//! no general allocator, and a guest may pass millions of entries: the
//! mapping is only as large as the call needs and gives nothing back to
//! the next call.

use core::mem::MaybeUninit;

use super::errno::{Errno, WasiResult};

/// Room for `len` values of `T`, filled by [`Scratch::fill`]. The values are
/// never dropped: `T` is plain data.
pub struct Scratch<T, const N: usize> {
    inline: [MaybeUninit<T>; N],
    /// The mapping holding the elements when `len > N`, else null.
    mapped: *mut MaybeUninit<T>,
    len: usize,
    /// How many leading elements [`Scratch::fill`] has written.
    filled: usize,
}

impl<T, const N: usize> Scratch<T, N> {
    /// Room for `len` values: `ENOMEM` when a mapping that large cannot be
    /// had.
    pub fn new(len: usize) -> WasiResult<Self> {
        let mapped = if len <= N {
            core::ptr::null_mut()
        } else {
            let bytes = len
                .checked_mul(core::mem::size_of::<T>())
                .ok_or(Errno::NOMEM)?;
            crate::sys::map_zeroed(bytes).ok_or(Errno::NOMEM)?.cast()
        };
        Ok(Scratch {
            inline: [const { MaybeUninit::uninit() }; N],
            mapped,
            len,
            filled: 0,
        })
    }

    fn slots(&mut self) -> &mut [MaybeUninit<T>] {
        if self.mapped.is_null() {
            &mut self.inline[..self.len]
        } else {
            // SAFETY: `mapped` is our own mapping of `len` elements, borrowed
            // exclusively through `self`; a mapping is page-aligned, enough
            // for any `T`.
            unsafe { core::slice::from_raw_parts_mut(self.mapped, self.len) }
        }
    }

    /// Writes element `i` as `f(i)` for every `i` in order and returns them
    /// all; the first error ends the fill and is returned.
    pub fn fill(&mut self, mut f: impl FnMut(usize) -> WasiResult<T>) -> WasiResult<&mut [T]> {
        self.filled = 0;
        for i in 0..self.len {
            let v = f(i)?;
            self.slots()[i].write(v);
        }
        self.filled = self.len;
        Ok(self.values())
    }

    /// The elements written by the last complete [`Scratch::fill`].
    pub fn values(&mut self) -> &mut [T] {
        let n = self.filled;
        let slots = &mut self.slots()[..n];
        // SAFETY: the first `filled` elements were written by `fill`, and
        // `MaybeUninit<T>` has the layout of `T`.
        unsafe { &mut *(slots as *mut [MaybeUninit<T>] as *mut [T]) }
    }
}

impl<T, const N: usize> Drop for Scratch<T, N> {
    fn drop(&mut self) {
        if !self.mapped.is_null() {
            // SAFETY: our own mapping of exactly this size, no longer
            // borrowed (every view borrowed `self`).
            let _ = unsafe {
                rustix::mm::munmap(self.mapped.cast(), self.len * core::mem::size_of::<T>())
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_mapped() {
        for len in [0usize, 3, 4, 5, 10_000] {
            let mut s = Scratch::<u64, 4>::new(len).unwrap();
            let got = s.fill(|i| Ok(i as u64 * 3)).unwrap();
            assert_eq!(got.len(), len);
            assert!(got.iter().enumerate().all(|(i, &v)| v == i as u64 * 3));
        }
        let mut s = Scratch::<u32, 4>::new(8).unwrap();
        assert_eq!(
            s.fill(|i| if i < 5 { Ok(1) } else { Err(Errno::FAULT) })
                .err(),
            Some(Errno::FAULT)
        );
        assert_eq!(s.values().len(), 0);
    }
}
