//! The guest's file descriptor table.
//!
//! WASI descriptor numbers are indices into this table, never host
//! descriptor numbers: 0–2 are stdio, then the preopened directories in
//! grant order (sockets, directories, embedded trees), then whatever the guest opens (lowest free slot first, as
//! POSIX does). Each entry owns its host descriptor.
//!
//! The table is an mmap'd array of plain records in which all-zero means
//! "free", so it costs nothing in the executable and grows by `mremap`.

use rustix::fd::{BorrowedFd, FromRawFd, OwnedFd};

use super::errno::{Errno, WasiResult};
use crate::globals::Global;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    Free = 0,
    /// A non-directory descriptor (stdio, files, devices, pipes).
    File = 1,
    /// A directory opened by the guest.
    Dir = 2,
    /// A preopened directory, with its guest name.
    Preopen = 3,
    /// One of the inherited standard streams (wherever `fd_renumber` moved
    /// it). Like `File`, except that path operations relative to it fail
    /// with `EBADF`, as they do under wasmtime, where stdio is a stream.
    Stdio = 4,
    /// A socket: a `--tcplisten` listener or a connection it accepted.
    Socket = 5,
    /// A file of an embedded tree (`super::embedded`); no host descriptor.
    ImageFile = 6,
    /// A directory of an embedded tree, opened by the guest.
    ImageDir = 7,
    /// An embedded tree's root, preopened, with its guest name.
    ImagePreopen = 8,
}

#[derive(Clone, Copy)]
#[repr(C)]
pub struct Entry {
    pub kind: Kind,
    pub host: i32,
    /// Guest name of a preopen.
    pub name: &'static [u8],
    /// `fd_readdir` resume point: the cookie (entry index) the next call is
    /// expected to pass, and the host directory offset of that entry.
    pub dir_cookie: u64,
    pub dir_offset: u64,
    /// Whether this is the inherited standard input (for its rights).
    pub stdin: bool,
    /// An embedded descriptor's tree (grant index) and node, and a file's
    /// position.
    pub image: u32,
    pub node: u64,
    pub pos: u64,
}

impl Entry {
    pub fn new(kind: Kind, fd: OwnedFd) -> Entry {
        Entry {
            kind,
            host: rustix::fd::IntoRawFd::into_raw_fd(fd),
            name: &[],
            dir_cookie: 0,
            dir_offset: 0,
            stdin: false,
            image: 0,
            node: 0,
            pos: 0,
        }
    }

    /// A descriptor of an embedded tree: it owns no host descriptor (`host`
    /// is [`NO_HOST`], so a host call reaching one fails with `EBADF`).
    pub fn image(kind: Kind, image: u32, node: u64) -> Entry {
        Entry {
            kind,
            host: NO_HOST,
            name: &[],
            dir_cookie: 0,
            dir_offset: 0,
            stdin: false,
            image,
            node,
            pos: 0,
        }
    }

    /// The host descriptor, borrowed.
    pub fn fd(&self) -> BorrowedFd<'_> {
        // SAFETY: a non-free entry owns `host` until it is closed, which
        // needs `&mut` on the table.
        unsafe { BorrowedFd::borrow_raw(self.host) }
    }

    pub fn is_dir(&self) -> bool {
        matches!(
            self.kind,
            Kind::Dir | Kind::Preopen | Kind::ImageDir | Kind::ImagePreopen
        )
    }

    /// Whether this is a descriptor of an embedded tree.
    pub fn is_image(&self) -> bool {
        matches!(
            self.kind,
            Kind::ImageFile | Kind::ImageDir | Kind::ImagePreopen
        )
    }

    /// Whether this is a preopened directory (host or embedded).
    pub fn is_preopen(&self) -> bool {
        matches!(self.kind, Kind::Preopen | Kind::ImagePreopen)
    }
}

pub struct FdTable {
    entries: *mut Entry,
    cap: usize,
}

/// Most descriptors a guest can hold at once.
const MAX_FDS: usize = 1 << 20;

impl FdTable {
    const fn empty() -> FdTable {
        FdTable {
            entries: core::ptr::null_mut(),
            cap: 0,
        }
    }

    fn slots(&mut self) -> &mut [Entry] {
        if self.cap == 0 {
            return &mut [];
        }
        // SAFETY: `entries` is our mapping of `cap` zero-initialised records;
        // all-zero is a valid `Entry` (Free, fd 0, empty name). The `&mut
        // self` borrow makes the view exclusive.
        unsafe { core::slice::from_raw_parts_mut(self.entries, self.cap) }
    }

    fn grow(&mut self) -> WasiResult {
        let new_cap = if self.cap == 0 { 256 } else { self.cap * 2 };
        if new_cap > MAX_FDS {
            return Err(Errno::MFILE);
        }
        let size = core::mem::size_of::<Entry>();
        let p = if self.cap == 0 {
            crate::sys::map_zeroed(new_cap * size).ok_or(Errno::NOMEM)?
        } else {
            // SAFETY: `entries` is our mapping of `cap * size` bytes; MAYMOVE
            // preserves the contents and the new tail is zero-filled.
            unsafe {
                rustix::mm::mremap(
                    self.entries.cast(),
                    self.cap * size,
                    new_cap * size,
                    rustix::mm::MremapFlags::MAYMOVE,
                )
            }
            .map_err(|_| Errno::NOMEM)?
            .cast()
        };
        self.entries = p.cast();
        self.cap = new_cap;
        Ok(())
    }

    pub fn get(&mut self, fd: u32) -> WasiResult<&mut Entry> {
        match self.slots().get_mut(fd as usize) {
            Some(e) if e.kind != Kind::Free => Ok(e),
            _ => Err(Errno::BADF),
        }
    }

    /// Stores `entry` at exactly `fd`, which must be free.
    pub fn insert_at(&mut self, fd: u32, entry: Entry) -> WasiResult {
        while fd as usize >= self.cap {
            self.grow()?;
        }
        self.slots()[fd as usize] = entry;
        Ok(())
    }

    /// Stores `entry` in the lowest free slot and returns its number. On
    /// failure the host descriptor is closed.
    pub fn insert(&mut self, entry: Entry) -> WasiResult<u32> {
        loop {
            if let Some(i) = self.slots().iter().position(|e| e.kind == Kind::Free) {
                self.slots()[i] = entry;
                return Ok(i as u32);
            }
            if let Err(e) = self.grow() {
                close_host(entry.host);
                return Err(e);
            }
        }
    }

    /// Closes every descriptor and unmaps the table (a library instance
    /// being freed).
    #[cfg(feature = "library")]
    pub fn close_all(&mut self) {
        for e in self.slots().iter_mut() {
            if e.kind != Kind::Free {
                e.kind = Kind::Free;
                close_host(e.host);
            }
        }
        if self.cap != 0 {
            // SAFETY: our mapping of `cap` records; nothing refers to it.
            unsafe {
                crate::sys::unmap(
                    self.entries.cast(),
                    self.cap * core::mem::size_of::<Entry>(),
                )
            };
        }
        *self = FdTable::empty();
    }

    /// Removes `fd` and returns its entry; the caller owns the host fd.
    pub fn remove(&mut self, fd: u32) -> WasiResult<Entry> {
        let e = *self.get(fd)?;
        self.slots()[fd as usize].kind = Kind::Free;
        Ok(e)
    }
}

/// The `host` of an entry that owns no host descriptor (an embedded
/// tree's): a number no descriptor can have (the kernel's limit,
/// `fs.nr_open`, is below 2^30), unlike -1, which `BorrowedFd` refuses.
pub const NO_HOST: i32 = i32::MAX;

/// Closes a host descriptor owned by a removed entry ([`NO_HOST`] owns
/// nothing).
pub fn close_host(fd: i32) {
    if fd == NO_HOST {
        return;
    }
    // SAFETY: the caller owned `fd` (from a removed entry) and gives it up.
    drop(unsafe { OwnedFd::from_raw_fd(fd) });
}

/// The calling instance's table (an executable's one instance, or the
/// library instance whose call is running): `FDS.with(|t| ...)`.
pub struct Fds;

pub static FDS: Fds = Fds;

impl Fds {
    /// Runs `f` with exclusive access to the calling instance's table.
    #[inline(always)]
    pub fn with<R>(&self, f: impl FnOnce(&mut FdTable) -> R) -> R {
        super::state().fds.with(f)
    }
}

/// An empty table in a [`Global`], for a new instance's state.
pub const fn new_table() -> Global<FdTable> {
    Global::new(FdTable::empty())
}

/// Takes ownership of one of the inherited standard descriptors.
#[cfg(feature = "executable")]
pub fn stdio(fd: i32) -> OwnedFd {
    // SAFETY: 0, 1 and 2 are inherited from the parent and owned by nobody
    // else in this process.
    unsafe { OwnedFd::from_raw_fd(fd) }
}
