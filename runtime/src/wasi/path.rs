//! Path operations: `path_*`.
//!
//! ⚠ Sandbox-critical: every path goes through [`super::sandbox`], which
//! resolves it beneath the directory descriptor it is relative to. Nothing
//! here joins or interprets paths itself beyond what that module exports.

use rustix::fd::AsFd;
use rustix::fs::{AtFlags, FileType, Mode, OFlags};

use super::embedded::{self, Tree};
use super::errno::{Errno, WasiResult, ret};
use super::fd::{
    FDFLAG_APPEND, FDFLAG_DSYNC, FDFLAG_NONBLOCK, FDFLAG_RSYNC, FDFLAG_SYNC, timestamps,
    write_filestat,
};
use super::fdtable::{Entry, FDS, Kind};
use super::guest::GuestMemory;
use super::sandbox::{Last, open_beneath, open_last, open_parent};

const LOOKUP_SYMLINK_FOLLOW: i32 = 1;
const OFLAG_CREAT: u16 = 1;
const OFLAG_DIRECTORY: u16 = 2;
const OFLAG_EXCL: u16 = 4;
const OFLAG_TRUNC: u16 = 8;
const RIGHT_FD_READ: u64 = 1 << 1;
const RIGHT_FD_WRITE: u64 = 1 << 6;
const RIGHT_FD_READDIR: u64 = 1 << 14;

/// Maximum path length accepted from the guest (Linux `PATH_MAX`).
const PATH_MAX: u32 = 4096;

/// Copies the guest path into `buf` and returns it.
fn guest_path(
    mem: &GuestMemory,
    ptr: i32,
    len: i32,
    buf: &mut [u8; PATH_MAX as usize],
) -> WasiResult<usize> {
    let len = len as u32;
    if len >= PATH_MAX {
        return Err(Errno::NAMETOOLONG);
    }
    let bytes = mem.bytes(ptr as u32, len)?;
    buf[..bytes.len()].copy_from_slice(bytes);
    Ok(bytes.len())
}

/// Runs `f` with the host descriptor of directory `fd` and the guest path.
fn with_dir<R>(
    fd: i32,
    path: i32,
    path_len: i32,
    f: impl FnOnce(rustix::fd::BorrowedFd<'_>, &[u8]) -> WasiResult<R>,
) -> WasiResult<R> {
    let mem = GuestMemory::get();
    let mut buf = [0u8; PATH_MAX as usize];
    let n = guest_path(&mem, path, path_len, &mut buf)?;
    FDS.with(|t| {
        let e = t.get(fd as u32)?;
        if e.kind == Kind::Stdio {
            return Err(Errno::BADF);
        }
        if !e.is_dir() {
            return Err(Errno::NOTDIR);
        }
        if e.is_image() {
            // Everything but the lookups (which ask [`image_dir`] first)
            // changes the tree.
            let (tree, node) = embedded::of(e)?;
            return Err(tree.refuse_change(node, &buf[..n]));
        }
        f(e.fd(), &buf[..n])
    })
}

/// When `fd` is a directory of an embedded tree, the tree, the directory's
/// node and a copy of the guest path in `buf` (its length); `None` for any
/// other descriptor, which [`with_dir`] then handles.
fn image_dir(
    fd: i32,
    path: i32,
    path_len: i32,
    buf: &mut [u8; PATH_MAX as usize],
) -> WasiResult<Option<(Tree, u64, usize)>> {
    let image = FDS.with(|t| -> WasiResult<_> {
        let e = t.get(fd as u32)?;
        Ok(if e.is_image() && e.is_dir() {
            Some(embedded::of(e)?)
        } else {
            None
        })
    })?;
    let Some((tree, node)) = image else {
        return Ok(None);
    };
    let n = guest_path(&GuestMemory::get(), path, path_len, buf)?;
    Ok(Some((tree, node, n)))
}

/// [`path_open`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-path_openfd-fd-dirflags-lookupflags-path-string-oflags-oflags-fs_rights_base-rights-fs_rights_inheriting-rights-fdflags-fdflags---resultfd-errno):
/// opens `path` beneath directory `fd` and writes the new descriptor (u32)
/// to `fd_ptr`.
///
/// - `dirflags`: bit 0 `symlink_follow` for the last component.
/// - `oflags`: `creat` 1, `directory` 2, `excl` 4, `trunc` 8.
/// - `fs_rights_base`: only decides the access mode (`fd_read`/`fd_readdir`
///   → read, `fd_write` → write; a directory cannot be opened for writing:
///   `EISDIR`); rights are otherwise not enforced.
/// - `fdflags`: `append` and `nonblock`; the sync flags (`dsync`, `rsync`,
///   `sync`) are refused with `ENOTSUP`, as wasmtime refuses them.
///
/// Errors: `EBADF`, `ENOTDIR`, `EPERM` (absolute path or escape),
/// `ENOENT`, `EEXIST`, `EISDIR`, `ELOOP`, `EACCES`, `ENOTSUP`, `EINVAL`
/// (unknown flag bits; `directory` with `creat` or `trunc`), `EFAULT`,
/// `ENAMETOOLONG`…
pub extern "C" fn path_open(
    fd: i32,
    dirflags: i32,
    path: i32,
    path_len: i32,
    oflags: i32,
    rights_base: i64,
    _rights_inheriting: i64,
    fdflags: i32,
    fd_ptr: i32,
) -> i32 {
    ret((|| {
        GuestMemory::get().check_range(fd_ptr as u32, 4)?;
        let (oflags, fdflags, rights) = (oflags as u16, fdflags as u16, rights_base as u64);
        // Unknown bits (wasmtime traps on them), and a directory that would
        // be created or truncated (wasmtime: `EINVAL`; old kernels would
        // create a regular file).
        if dirflags & !LOOKUP_SYMLINK_FOLLOW != 0
            || oflags & !(OFLAG_CREAT | OFLAG_DIRECTORY | OFLAG_EXCL | OFLAG_TRUNC) != 0
            || fdflags
                & !(FDFLAG_APPEND | FDFLAG_DSYNC | FDFLAG_NONBLOCK | FDFLAG_RSYNC | FDFLAG_SYNC)
                != 0
            || oflags & OFLAG_DIRECTORY != 0 && oflags & (OFLAG_CREAT | OFLAG_TRUNC) != 0
        {
            return Err(Errno::INVAL);
        }
        let write = rights & RIGHT_FD_WRITE != 0;
        let read = rights & (RIGHT_FD_READ | RIGHT_FD_READDIR) != 0;
        // A directory asked for with write access is refused by the
        // kernel (`EISDIR`), as wasmtime refuses it.
        let mut flags = if write && read {
            OFlags::RDWR
        } else if write {
            OFlags::WRONLY
        } else {
            OFlags::RDONLY
        };
        if oflags & OFLAG_DIRECTORY != 0 {
            flags |= OFlags::DIRECTORY;
        }
        for (bit, f) in [
            (OFLAG_CREAT, OFlags::CREATE),
            (OFLAG_EXCL, OFlags::EXCL),
            (OFLAG_TRUNC, OFlags::TRUNC),
        ] {
            if oflags & bit != 0 {
                flags |= f;
            }
        }
        if fdflags & (FDFLAG_DSYNC | FDFLAG_RSYNC | FDFLAG_SYNC) != 0 {
            return Err(Errno::NOTSUP);
        }
        for (bit, f) in [
            (FDFLAG_APPEND, OFlags::APPEND),
            (FDFLAG_NONBLOCK, OFlags::NONBLOCK),
        ] {
            if fdflags & bit != 0 {
                flags |= f;
            }
        }
        if dirflags & LOOKUP_SYMLINK_FOLLOW == 0 {
            flags |= OFlags::NOFOLLOW;
        }
        let mut buf = [0u8; PATH_MAX as usize];
        if let Some((tree, dir, n)) = image_dir(fd, path, path_len, &mut buf)? {
            let entry = image_open(&tree, dir, &buf[..n], flags)?;
            let new = FDS.with(|t| t.insert(entry))?;
            return GuestMemory::get().write_u32(fd_ptr as u32, new);
        }
        let file = with_dir(fd, path, path_len, |dir, p| {
            open_beneath(dir, p, flags, Mode::from_raw_mode(0o666))
        })?;
        let is_dir = rustix::fs::fstat(file.as_fd())
            .map(|st| FileType::from_raw_mode(st.st_mode) == FileType::Directory)?;
        let kind = if is_dir { Kind::Dir } else { Kind::File };
        let new = FDS.with(|t| t.insert(Entry::new(kind, file)))?;
        GuestMemory::get().write_u32(fd_ptr as u32, new)
    })())
}

/// `path_open` beneath directory `dir` of an embedded tree, with the host
/// open flags `path_open` computed: opening for writing, truncating or
/// creating a missing file is `EROFS` (a directory for writing: `EISDIR`,
/// as the kernel answers); a final symlink without `symlink_follow` is
/// `ELOOP` (with `directory`: `ENOTDIR`), as `O_NOFOLLOW` makes it.
fn image_open(tree: &Tree, dir: u64, path: &[u8], flags: OFlags) -> WasiResult<Entry> {
    let follow = !flags.contains(OFlags::NOFOLLOW);
    let node = match tree.resolve(dir, path, follow) {
        Err(Errno::NOENT) if flags.contains(OFlags::CREATE) => {
            return Err(tree.refuse_change(dir, path));
        }
        r => r?,
    };
    if flags.contains(OFlags::CREATE | OFlags::EXCL) {
        return Err(Errno::EXIST);
    }
    let kind = tree.node(node)?.kind;
    if flags.contains(OFlags::DIRECTORY) && kind != wasi_aot_abi::NODE_DIR {
        return Err(Errno::NOTDIR);
    }
    if kind == wasi_aot_abi::NODE_SYMLINK {
        return Err(Errno::LOOP);
    }
    let write = flags.intersects(OFlags::WRONLY | OFlags::RDWR);
    if write && kind == wasi_aot_abi::NODE_DIR {
        return Err(Errno::ISDIR);
    }
    if write || flags.contains(OFlags::TRUNC) {
        return Err(Errno::ROFS);
    }
    embedded::entry(tree, node)
}

/// [`path_filestat_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-path_filestat_getfd-fd-flags-lookupflags-path-string---resultfilestat-errno):
/// writes the `filestat` of `path` (beneath `fd`) to `buf`; a final symlink
/// is followed only with `symlink_follow`.
///
/// Errors: `EBADF`, `ENOTDIR`, `EPERM` (escape), `ENOENT`, `EFAULT`…
pub extern "C" fn path_filestat_get(
    fd: i32,
    flags: i32,
    path: i32,
    path_len: i32,
    buf: i32,
) -> i32 {
    ret((|| {
        GuestMemory::get().check_range(buf as u32, 64)?;
        let st = path_stat(fd, flags, path, path_len)?;
        write_filestat(&mut GuestMemory::get(), buf as u32, &st)
    })())
}

/// The host `stat` of guest `path` beneath directory `fd`.
pub fn path_stat(fd: i32, flags: i32, path: i32, path_len: i32) -> WasiResult<rustix::fs::Stat> {
    let mut buf = [0u8; PATH_MAX as usize];
    if let Some((tree, dir, n)) = image_dir(fd, path, path_len, &mut buf)? {
        let follow = flags & LOOKUP_SYMLINK_FOLLOW != 0;
        return tree.stat(tree.resolve(dir, &buf[..n], follow)?);
    }
    let mut of = OFlags::PATH;
    if flags & LOOKUP_SYMLINK_FOLLOW == 0 {
        of |= OFlags::NOFOLLOW;
    }
    with_dir(fd, path, path_len, |dir, p| {
        let f = open_beneath(dir, p, of, Mode::empty())?;
        Ok(rustix::fs::fstat(f)?)
    })
}

/// [`path_filestat_set_times`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-path_filestat_set_timesfd-fd-flags-lookupflags-path-string-atim-timestamp-mtim-timestamp-fst_flags-fstflags---result-errno):
/// sets the times of `path` beneath `fd` like `fd_filestat_set_times`; a
/// final symlink is followed only with `symlink_follow` (else the link's own
/// times change).
///
/// The path is resolved beneath `fd` to an `O_PATH` descriptor first, and
/// the times are set on that descriptor (`utimensat` with `AT_EMPTY_PATH`),
/// so no second lookup can be redirected. A kernel whose `utimensat` does
/// not accept `AT_EMPTY_PATH` makes the call fail with `EINVAL` rather than
/// fall back to a lookup by name.
///
/// Errors: `EBADF`, `ENOTDIR`, `EPERM` (escape), `ENOENT`, `EINVAL`, `EFAULT`…
pub extern "C" fn path_filestat_set_times(
    fd: i32,
    flags: i32,
    path: i32,
    path_len: i32,
    atim: i64,
    mtim: i64,
    fst_flags: i32,
) -> i32 {
    ret((|| {
        let times = timestamps(atim as u64, mtim as u64, fst_flags as u16)?;
        let mut of = OFlags::PATH;
        if flags & LOOKUP_SYMLINK_FOLLOW == 0 {
            of |= OFlags::NOFOLLOW;
        }
        with_dir(fd, path, path_len, |dir, p| {
            let f = open_beneath(dir, p, of, Mode::empty())?;
            Ok(rustix::fs::utimensat(
                f,
                c"",
                &times,
                AtFlags::EMPTY_PATH | AtFlags::SYMLINK_NOFOLLOW,
            )?)
        })
    })())
}

/// [`path_create_directory`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-path_create_directoryfd-fd-path-string---result-errno):
/// creates directory `path` beneath `fd`.
///
/// Errors: `EBADF`, `ENOTDIR`, `EPERM` (escape), `EEXIST`, `ENOENT`, `EFAULT`…
pub extern "C" fn path_create_directory(fd: i32, path: i32, path_len: i32) -> i32 {
    ret(with_dir(fd, path, path_len, |dir, p| {
        let (parent, name) = open_parent(dir, p)?;
        Ok(rustix::fs::mkdirat(
            parent,
            name,
            Mode::from_raw_mode(0o777),
        )?)
    }))
}

/// [`path_unlink_file`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-path_unlink_filefd-fd-path-string---result-errno):
/// removes the non-directory `path` beneath `fd` (a symlink itself, never
/// its target).
///
/// Errors: `EBADF`, `ENOTDIR`, `EPERM` (escape), `ENOENT`, `EISDIR`, `EFAULT`…
pub extern "C" fn path_unlink_file(fd: i32, path: i32, path_len: i32) -> i32 {
    ret(with_dir(fd, path, path_len, |dir, p| {
        let (parent, name) = open_parent(dir, p)?;
        Ok(rustix::fs::unlinkat(parent, name, AtFlags::empty())?)
    }))
}

/// [`path_remove_directory`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-path_remove_directoryfd-fd-path-string---result-errno):
/// removes the empty directory `path` beneath `fd`. A trailing slash is
/// allowed, as Linux allows it (`rmdir("dir/")`); a final symlink is never
/// followed, slash or not (`ENOTDIR`).
///
/// Errors: `EBADF`, `ENOTDIR`, `EPERM` (escape), `ENOENT`, `ENOTEMPTY`,
/// `EINVAL` (`.`), `EFAULT`…
pub extern "C" fn path_remove_directory(fd: i32, path: i32, path_len: i32) -> i32 {
    ret(with_dir(fd, path, path_len, |dir, p| {
        let (parent, name) = open_parent(dir, p)?;
        Ok(rustix::fs::unlinkat(parent, name, AtFlags::REMOVEDIR)?)
    }))
}

/// [`path_rename`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-path_renamefd-fd-old_path-string-new_fd-fd-new_path-string---result-errno):
/// renames `old_path` beneath `fd` to `new_path` beneath `new_fd`.
///
/// Errors: `EBADF`, `ENOTDIR`, `EPERM` (escape), `ENOENT`, `EEXIST`,
/// `ENOTEMPTY`, `EISDIR`, `EXDEV`, `EFAULT`…
pub extern "C" fn path_rename(
    fd: i32,
    old: i32,
    old_len: i32,
    new_fd: i32,
    new: i32,
    new_len: i32,
) -> i32 {
    ret((|| {
        let (old_parent, old_name_buf, old_n) = parent_of(fd, old, old_len)?;
        let (new_parent, new_name_buf, new_n) = parent_of(new_fd, new, new_len)?;
        Ok(rustix::fs::renameat(
            old_parent,
            &old_name_buf[..old_n],
            new_parent,
            &new_name_buf[..new_n],
        )?)
    })())
}

/// [`path_link`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-path_linkold_fd-fd-old_flags-lookupflags-old_path-string-new_fd-fd-new_path-string---result-errno):
/// creates hard link `new_path` (beneath `new_fd`) to `old_path` (beneath
/// `old_fd`). A final symlink in `old_path` is linked itself; asking to
/// follow it (`symlink_follow` in `old_flags`) is refused with `EINVAL`, as
/// wasmtime refuses it: following could link a file outside the sandbox.
/// An `old_path` ending in a slash names a directory (resolved beneath
/// `old_fd`, see [`open_last`]), which cannot be linked: `EPERM`.
///
/// Errors: `EBADF`, `ENOTDIR`, `EPERM` (escape), `ENOENT`, `EEXIST`, `EINVAL`,
/// `EPERM` (a directory), `EFAULT`…
pub extern "C" fn path_link(
    old_fd: i32,
    old_flags: i32,
    old: i32,
    old_len: i32,
    new_fd: i32,
    new: i32,
    new_len: i32,
) -> i32 {
    ret((|| {
        if old_flags & LOOKUP_SYMLINK_FOLLOW != 0 {
            return Err(Errno::INVAL);
        }
        let old = last_of(old_fd, old, old_len)?;
        let (new_parent, new_name_buf, new_n) = parent_of(new_fd, new, new_len)?;
        let Some((old_parent, old_name_buf, old_n)) = old else {
            return Err(Errno::PERM);
        };
        Ok(rustix::fs::linkat(
            old_parent,
            &old_name_buf[..old_n],
            new_parent,
            &new_name_buf[..new_n],
            AtFlags::empty(),
        )?)
    })())
}

/// [`path_symlink`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-path_symlinkold_path-string-fd-fd-new_path-string---result-errno):
/// creates symlink `new_path` beneath `fd` with contents `old_path`. An
/// absolute target is refused with `EPERM`, as wasmtime refuses it; a
/// relative one is not checked: resolution beneath the preopen makes a link
/// pointing outside unusable, not dangerous.
///
/// Errors: `EBADF`, `ENOTDIR`, `EPERM` (escape, absolute target), `EEXIST`, `EFAULT`…
pub extern "C" fn path_symlink(old: i32, old_len: i32, fd: i32, new: i32, new_len: i32) -> i32 {
    ret((|| {
        let mem = GuestMemory::get();
        let mut target = [0u8; PATH_MAX as usize];
        let tn = guest_path(&mem, old, old_len, &mut target)?;
        if target[..tn].starts_with(b"/") {
            return Err(Errno::PERM);
        }
        let (parent, name_buf, n) = parent_of(fd, new, new_len)?;
        Ok(rustix::fs::symlinkat(
            &target[..tn],
            parent,
            &name_buf[..n],
        )?)
    })())
}

/// [`path_readlink`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-path_readlinkfd-fd-path-string-buf-pointeru8-buf_len-size---resultsize-errno):
/// writes the contents of symlink `path` (truncated to `buf_len`) to `buf`
/// and their length (u32) to `bufused_ptr`.
///
/// A `path` ending in a slash names a directory (resolved beneath `fd`, see
/// [`open_last`]), never a symlink: `EINVAL`.
///
/// Errors: `EBADF`, `ENOTDIR`, `EPERM` (escape), `ENOENT`, `EINVAL` (not a
/// symlink), `EFAULT`…
pub extern "C" fn path_readlink(
    fd: i32,
    path: i32,
    path_len: i32,
    buf_ptr: i32,
    buf_len: i32,
    bufused_ptr: i32,
) -> i32 {
    ret((|| {
        GuestMemory::get().check_range(bufused_ptr as u32, 4)?;
        let mut buf = [0u8; PATH_MAX as usize];
        if let Some((tree, dir, n)) = image_dir(fd, path, path_len, &mut buf)? {
            let p = &buf[..n];
            let node = tree.node(tree.resolve(dir, p, false)?)?;
            if node.kind != wasi_aot_abi::NODE_SYMLINK || p.ends_with(b"/") {
                return Err(Errno::INVAL);
            }
            let target = tree.data(node)?;
            let mut mem = GuestMemory::get();
            let out = mem.bytes_mut(buf_ptr as u32, buf_len as u32)?;
            let used = target.len().min(out.len());
            out[..used].copy_from_slice(&target[..used]);
            return mem.write_u32(bufused_ptr as u32, used as u32);
        }
        let (parent, name_buf, n) = last_of(fd, path, path_len)?.ok_or(Errno::INVAL)?;
        let mut mem = GuestMemory::get();
        let out = mem.bytes_mut(buf_ptr as u32, buf_len as u32)?;
        let used = rustix::fs::readlinkat_raw(parent, &name_buf[..n], out)? as u32;
        mem.write_u32(bufused_ptr as u32, used)
    })())
}

/// Opens the parent of the guest path beneath directory `fd`; returns it
/// with a copy of the last component.
fn parent_of(
    fd: i32,
    path: i32,
    path_len: i32,
) -> WasiResult<(rustix::fd::OwnedFd, [u8; PATH_MAX as usize], usize)> {
    with_dir(fd, path, path_len, |dir, p| {
        let (parent, name) = open_parent(dir, p)?;
        let mut buf = [0u8; PATH_MAX as usize];
        buf[..name.len()].copy_from_slice(name);
        Ok((parent, buf, name.len()))
    })
}

/// [`open_last`] on the guest path beneath directory `fd`: the parent and a
/// copy of the last component, or `None` when the path ends in a slash and
/// names a directory.
fn last_of(
    fd: i32,
    path: i32,
    path_len: i32,
) -> WasiResult<Option<(rustix::fd::OwnedFd, [u8; PATH_MAX as usize], usize)>> {
    with_dir(fd, path, path_len, |dir, p| match open_last(dir, p)? {
        Last::Dir => Ok(None),
        Last::Name(parent, name) => {
            let mut buf = [0u8; PATH_MAX as usize];
            buf[..name.len()].copy_from_slice(name);
            Ok(Some((parent, buf, name.len())))
        }
    })
}
