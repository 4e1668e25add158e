//! Checked access to the guest's linear memory: the one type every WASI
//! function uses to read arguments and write results.
//!
//! ⚠ Sandbox-critical. Policy: a guest pointer/length pair that does not lie
//! entirely within the current memory size makes the call fail with
//! `EFAULT`; the runtime never faults on a guest address. Checks are done in
//! `u64` so `ptr + len` cannot wrap.
//!
//! Guest memory may be aliased arbitrarily by the guest (an iovec array can
//! overlap the buffer it describes), so this type never hands out long-lived
//! references: small values are copied in and out, and the byte-slice views
//! used for a single system call are created from raw parts for that call
//! only, while no other view exists.

use super::errno::{Errno, WasiResult};
use super::scratch::Scratch;

/// The linear memory as it is at the time of one host call.
pub struct GuestMemory {
    base: *mut u8,
    len: u64,
}

impl GuestMemory {
    /// The instance's memory (empty if the module has none).
    pub fn get() -> GuestMemory {
        let vmctx = super::vmctx();
        // SAFETY: reading the two memory words of the instance context.
        let (base, len) = unsafe { ((*vmctx).memory.base, (*vmctx).memory.length) };
        GuestMemory {
            base,
            len: if base.is_null() { 0 } else { len },
        }
    }

    /// Checks `[ptr, ptr + len)` and returns its host address.
    fn check(&self, ptr: u32, len: u64) -> WasiResult<*mut u8> {
        if (ptr as u64)
            .checked_add(len)
            .is_some_and(|end| end <= self.len)
        {
            // Within the accessible prefix of the reservation.
            Ok(self.base.wrapping_add(ptr as usize))
        } else {
            Err(Errno::FAULT)
        }
    }

    /// The guest bytes `[ptr, ptr + len)`, valid until the next call on
    /// `self` that writes memory.
    pub fn bytes(&self, ptr: u32, len: u32) -> WasiResult<&[u8]> {
        let p = self.check(ptr, len as u64)?;
        if len == 0 {
            return Ok(&[]);
        }
        // SAFETY: the range is inside accessible linear memory, which stays
        // mapped; the borrow of `self` prevents writes through this type
        // while the slice lives.
        Ok(unsafe { core::slice::from_raw_parts(p, len as usize) })
    }

    /// Mutable view of `[ptr, ptr + len)`, for filling by one system call.
    pub fn bytes_mut(&mut self, ptr: u32, len: u32) -> WasiResult<&mut [u8]> {
        let p = self.check(ptr, len as u64)?;
        if len == 0 {
            return Ok(&mut []);
        }
        // SAFETY: as in `bytes`; `&mut self` makes the view exclusive.
        Ok(unsafe { core::slice::from_raw_parts_mut(p, len as usize) })
    }

    pub fn read_u32(&self, ptr: u32) -> WasiResult<u32> {
        let p = self.check(ptr, 4)?;
        // SAFETY: 4 checked bytes; wasm memory is unaligned little-endian.
        Ok(u32::from_le(unsafe { (p as *const u32).read_unaligned() }))
    }

    pub fn read_u64(&self, ptr: u32) -> WasiResult<u64> {
        let p = self.check(ptr, 8)?;
        // SAFETY: 8 checked bytes.
        Ok(u64::from_le(unsafe { (p as *const u64).read_unaligned() }))
    }

    pub fn read_u8(&self, ptr: u32) -> WasiResult<u8> {
        let p = self.check(ptr, 1)?;
        // SAFETY: 1 checked byte.
        Ok(unsafe { *p })
    }

    pub fn read_u16(&self, ptr: u32) -> WasiResult<u16> {
        let p = self.check(ptr, 2)?;
        // SAFETY: 2 checked bytes.
        Ok(u16::from_le(unsafe { (p as *const u16).read_unaligned() }))
    }

    pub fn write_u8(&mut self, ptr: u32, v: u8) -> WasiResult {
        self.write_bytes(ptr, &[v])
    }

    pub fn write_u16(&mut self, ptr: u32, v: u16) -> WasiResult {
        self.write_bytes(ptr, &v.to_le_bytes())
    }

    pub fn write_u32(&mut self, ptr: u32, v: u32) -> WasiResult {
        self.write_bytes(ptr, &v.to_le_bytes())
    }

    pub fn write_u64(&mut self, ptr: u32, v: u64) -> WasiResult {
        self.write_bytes(ptr, &v.to_le_bytes())
    }

    /// Copies `src` (host memory, not guest memory) to `ptr`.
    pub fn write_bytes(&mut self, ptr: u32, src: &[u8]) -> WasiResult {
        let p = self.check(ptr, src.len() as u64)?;
        // SAFETY: the destination was checked; `src` is host memory, so the
        // ranges cannot overlap.
        unsafe { core::ptr::copy_nonoverlapping(src.as_ptr(), p, src.len()) };
        Ok(())
    }

    /// Checks that `[ptr, ptr + len)` is writable without writing it.
    pub fn check_range(&self, ptr: u32, len: u64) -> WasiResult {
        self.check(ptr, len).map(|_| ())
    }

    /// The iovec array at `iovs` (`n` entries of `{buf: u32, len: u32}`),
    /// read once into host memory with every buffer checked, before the
    /// caller does any I/O: a bad entry anywhere fails the call (`EFAULT`)
    /// with nothing read or written, and data a read stores over the array
    /// itself cannot change the buffers that follow. `ENOMEM` when the
    /// host cannot hold the copy.
    pub fn iovecs(&self, iovs: u32, n: u32) -> WasiResult<Iovecs> {
        self.check(iovs, n as u64 * 8)?;
        let mut v = Iovecs::new(n as usize)?;
        v.fill(|i| {
            // Inside the array checked above, so no overflow.
            let at = iovs + i as u32 * 8;
            let (buf, len) = (self.read_u32(at)?, self.read_u32(at + 4)?);
            self.check(buf, len as u64)?;
            Ok((buf, len))
        })?;
        Ok(v)
    }
}

/// The `(buf, len)` pairs of one call's iovec array, copied out of guest
/// memory by [`GuestMemory::iovecs`].
pub type Iovecs = Scratch<(u32, u32), 16>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_policy() {
        let mut backing = [0u8; 64];
        let mut m = GuestMemory {
            base: backing.as_mut_ptr(),
            len: 64,
        };
        assert!(m.bytes(0, 64).is_ok());
        assert!(m.bytes(64, 0).is_ok());
        assert_eq!(m.bytes(60, 8).err(), Some(Errno::FAULT));
        assert_eq!(m.bytes(u32::MAX, 2).err(), Some(Errno::FAULT));
        m.write_u32(60, 0x0102_0304).unwrap();
        assert_eq!(m.read_u32(60), Ok(0x0102_0304));
        assert_eq!(m.write_u64(60, 1), Err(Errno::FAULT));
        m.write_u32(0, 8).unwrap();
        m.write_u32(4, 100).unwrap();
        assert_eq!(m.iovecs(0, 1).err(), Some(Errno::FAULT));
        // A good iovec then a bad one: the whole array is refused.
        m.write_u32(4, 4).unwrap();
        m.write_u32(8, 0xFFFF_FFF0).unwrap();
        m.write_u32(12, 16).unwrap();
        assert_eq!(m.iovecs(0, 1).unwrap().values(), &[(8, 4)]);
        assert_eq!(m.iovecs(0, 2).err(), Some(Errno::FAULT));
        // The array itself must lie inside memory.
        assert_eq!(m.iovecs(60, 1).err(), Some(Errno::FAULT));
        assert_eq!(m.iovecs(0, u32::MAX).err(), Some(Errno::FAULT));
        // The copy does not change when memory does.
        let mut v = m.iovecs(0, 1).unwrap();
        m.write_u32(0, 40).unwrap();
        assert_eq!(v.values(), &[(8, 4)]);
    }
}
