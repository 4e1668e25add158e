//! A static library instance's grants: its [`WasiState`] built from the
//! application's `NAME_config` ([`LibraryConfig`]) instead of the build's
//! capabilities.
//!
//! The instance keeps copies of everything the configuration points at
//! (argument, environment and guest directory strings, in one mapping it
//! owns: [`Grants`]), so the application may free its configuration once
//! `NAME_new` returns. Stdio descriptors are duplicates of the
//! application's, so a guest closing its stdout closes only its own copy.
//! Directories are opened here, once; the sandbox then works on them
//! exactly as on an executable's `--dir`.

use rustix::fd::{BorrowedFd, OwnedFd};
use wasi_aot_abi::LibraryConfig;

use super::args::{Item, split_env};
use super::{StartError, WasiState, put_dir, put_stdio};
use crate::sys;

/// The mapping holding an instance's copies of its grants' strings and
/// lists; unmap with [`Grants::release`] after the state is cleared.
pub struct Grants {
    base: *mut u8,
    len: usize,
}

impl Grants {
    pub const NONE: Grants = Grants {
        base: core::ptr::null_mut(),
        len: 0,
    };

    /// Unmaps the copies.
    ///
    /// # Safety
    /// Nothing refers to them any more (the instance's state was cleared).
    pub unsafe fn release(&mut self) {
        if !self.base.is_null() {
            // SAFETY: our mapping (caller: unused).
            unsafe { sys::unmap(self.base, self.len) };
        }
        *self = Grants::NONE;
    }
}

/// Bump allocation in the grants' mapping.
struct Arena {
    at: *mut u8,
    end: *mut u8,
}

impl Arena {
    /// `len` bytes aligned to `align`, zeroed. The size was computed up
    /// front, so running out is a runtime bug.
    fn take(&mut self, len: usize, align: usize) -> *mut u8 {
        let p = (self.at as usize).next_multiple_of(align);
        assert!(p + len <= self.end as usize, "grant copies overflow");
        self.at = (p + len) as *mut u8;
        p as *mut u8
    }

    /// A copy of `s` that lives as long as the instance.
    fn bytes(&mut self, s: &[u8]) -> &'static [u8] {
        let p = self.take(s.len(), 1);
        // SAFETY: `p` has room for `s`, in a mapping that outlives every
        // use (it is released only after the state is cleared).
        unsafe {
            core::ptr::copy_nonoverlapping(s.as_ptr(), p, s.len());
            core::slice::from_raw_parts(p, s.len())
        }
    }

    /// `n` items, each made by `f`.
    fn items(&mut self, n: usize, mut f: impl FnMut(usize, &mut Arena) -> Item) -> &'static [Item] {
        let p = self
            .take(n * size_of::<Item>(), align_of::<Item>())
            .cast::<Item>();
        for i in 0..n {
            let item = f(i, self);
            // SAFETY: room for `n` items, aligned.
            unsafe { p.add(i).write(item) };
        }
        // SAFETY: all `n` written; the mapping outlives every use.
        unsafe { core::slice::from_raw_parts(p, n) }
    }
}

/// The NUL-terminated string at `p` (empty for null).
///
/// # Safety
/// `p` is null or a NUL-terminated string that lives for the call.
unsafe fn c_str<'a>(p: *const u8) -> &'a [u8] {
    if p.is_null() {
        return &[];
    }
    let mut n = 0;
    // SAFETY: NUL-terminated (caller).
    while unsafe { *p.add(n) } != 0 {
        n += 1;
    }
    // SAFETY: `n` readable bytes.
    unsafe { core::slice::from_raw_parts(p, n) }
}

/// The `i`-th string of a C array of `n` strings (empty when the array is
/// null).
///
/// # Safety
/// `list` is null or has `n` valid entries.
unsafe fn nth<'a>(list: *const *const u8, i: usize) -> &'a [u8] {
    if list.is_null() {
        return &[];
    }
    // SAFETY: `i < n` entries (caller).
    unsafe { c_str(*list.add(i)) }
}

/// Sets up `state` (fresh) from `config` (null: the defaults): stdio,
/// then the directories at 3, 4, ...; the arguments and environment.
///
/// # Safety
/// `config` is null or a valid configuration whose pointers are valid for
/// the call.
pub unsafe fn set_up<'a>(
    state: &WasiState,
    grants: &mut Grants,
    config: *const LibraryConfig,
) -> Result<(), StartError<'a>> {
    const DEFAULT: LibraryConfig = LibraryConfig {
        args: core::ptr::null(),
        num_args: 0,
        env: core::ptr::null(),
        num_env: 0,
        dirs: core::ptr::null(),
        num_dirs: 0,
        stdio: core::ptr::null(),
        error: core::ptr::null_mut(),
        error_size: 0,
    };
    // SAFETY: null or valid (caller).
    let c: &'a LibraryConfig = unsafe { config.as_ref() }.unwrap_or(&DEFAULT);
    let num_args = if c.args.is_null() { 0 } else { c.num_args };
    let num_env = if c.env.is_null() { 0 } else { c.num_env };
    let num_dirs = if c.dirs.is_null() { 0 } else { c.num_dirs };

    // One mapping for every copy: items, then bytes.
    let mut len = (num_args + num_env) * size_of::<Item>() + 16;
    for i in 0..num_args {
        // SAFETY: `num_args` entries (caller).
        len += unsafe { nth(c.args, i) }.len();
    }
    for i in 0..num_env {
        // SAFETY: as above.
        len += unsafe { nth(c.env, i) }.len();
    }
    for i in 0..num_dirs {
        // SAFETY: `num_dirs` entries (caller).
        len += unsafe { c_str((*c.dirs.add(i)).guest) }.len();
    }
    let base = sys::map_zeroed(len.max(16)).ok_or(StartError::NoMemory)?;
    *grants = Grants {
        base,
        len: len.max(16),
    };
    let mut arena = Arena {
        at: base,
        // SAFETY: the end of the mapping.
        end: unsafe { base.add(len) },
    };

    state.fds.with(|t| {
        for fd in 0..3u32 {
            let host = if c.stdio.is_null() {
                fd as i32
            } else {
                // SAFETY: three entries (caller).
                unsafe { *c.stdio.add(fd as usize) }
            };
            if host < 0 {
                continue;
            }
            // SAFETY: the application gave this descriptor for the call; a
            // closed one fails the duplication.
            let borrowed = unsafe { BorrowedFd::borrow_raw(host) };
            let own: OwnedFd = rustix::io::fcntl_dupfd_cloexec(borrowed, 0)
                .map_err(|e| StartError::Stdio(host, e))?;
            put_stdio(t, fd, own)?;
        }
        let mut next = 3u32;
        for i in 0..num_dirs {
            // SAFETY: `num_dirs` entries (caller).
            let d = unsafe { &*c.dirs.add(i) };
            // SAFETY: NUL-terminated strings valid for the call (caller).
            let (host, guest) = unsafe { (c_str(d.host), c_str(d.guest)) };
            put_dir(t, &mut next, host, arena.bytes(guest))?;
        }
        Ok::<(), StartError<'a>>(())
    })?;

    let args = arena.items(num_args, |i, a| Item {
        // SAFETY: `num_args` entries (caller).
        name: a.bytes(unsafe { nth(c.args, i) }),
        value: None,
    });
    // SAFETY: `num_env` entries (caller).
    let env = arena.items(num_env, |i, a| split_env(a.bytes(unsafe { nth(c.env, i) })));
    state.lists.with(|l| {
        l.args = args;
        l.env = env;
    });
    Ok(())
}
