//! Descriptor operations: `fd_*`.
//!
//! Every function resolves the guest descriptor through the table in
//! [`super::fdtable`] (`EBADF` when it is not open) and checks every guest
//! pointer through [`GuestMemory`] (`EFAULT`). Host errors map to the WASI
//! errno of the same name.

use rustix::fs::{FileType, OFlags, SeekFrom};
use rustix::io::Errno as E;

use super::embedded::{self, Tree};
use super::errno::{Errno, WasiResult, ret};
use super::fdtable::{self, Entry, FDS, Kind};
use super::guest::GuestMemory;

// Rights bits (`rights` in the spec). This runtime does not enforce rights
// (the host descriptor's open mode and the sandbox decide); `fd_fdstat_get`
// reports the sets wasmtime 49 reports, which is what wasi-libc looks at
// (`isatty` is "a character device without `fd_seek`/`fd_tell`").
const FD_READ: u64 = 1 << 1;
const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
const FD_WRITE: u64 = 1 << 6;
const FD_READDIR: u64 = 1 << 14;
const FD_FILESTAT_GET: u64 = 1 << 21;
const POLL_FD_READWRITE: u64 = 1 << 27;
const SOCK_SHUTDOWN: u64 = 1 << 28;
const SOCK_ACCEPT: u64 = 1 << 29;
const RIGHTS_ALL: u64 = (1 << 30) - 1;
const SOCKET_RIGHTS: u64 = FD_READ
    | FD_WRITE
    | FD_FDSTAT_SET_FLAGS
    | FD_FILESTAT_GET
    | POLL_FD_READWRITE
    | SOCK_SHUTDOWN
    | SOCK_ACCEPT;
/// A preopened directory's base rights: the `path_*` rights (bits 9-18, 20,
/// 24-26), `fd_filestat_get` (21) and `fd_filestat_set_times` (23).
const PREOPEN_RIGHTS: u64 = 0x07b7_fe00;
/// A preopened directory's inheriting rights: everything but
/// `path_filestat_set_size` (19) and the socket rights (28, 29).
const PREOPEN_INHERITING: u64 = 0x0ff7_ffff;
/// A directory opened by the guest, base and inheriting: everything but
/// `fd_seek` (2), `fd_write` (6), `path_filestat_set_size` (19) and
/// `fd_filestat_set_size` (22).
const DIR_RIGHTS: u64 = 0x3fb7_ffbb;

// fdflags.
pub const FDFLAG_APPEND: u16 = 1;
pub const FDFLAG_DSYNC: u16 = 2;
pub const FDFLAG_NONBLOCK: u16 = 4;
pub const FDFLAG_RSYNC: u16 = 8;
pub const FDFLAG_SYNC: u16 = 16;

// filetype.
const FILETYPE_UNKNOWN: u8 = 0;

/// WASI `filetype` of a host file type. A FIFO has no WASI type and is
/// `unknown`, as wasmtime reports pipes.
pub fn filetype(t: FileType) -> u8 {
    match t {
        FileType::BlockDevice => 1,
        FileType::CharacterDevice => 2,
        FileType::Directory => 3,
        FileType::RegularFile => 4,
        FileType::Socket => 6,
        FileType::Symlink => 7,
        _ => FILETYPE_UNKNOWN,
    }
}

/// Writes a `filestat` (64 bytes):
/// ```text
/// dev u64 @0 | ino u64 @8 | filetype u8 @16 | nlink u64 @24 | size u64 @32
/// atim u64 @40 | mtim u64 @48 | ctim u64 @56   (times in ns)
/// ```
pub fn write_filestat(mem: &mut GuestMemory, at: u32, st: &rustix::fs::Stat) -> WasiResult {
    mem.write_bytes(at, &filestat_bytes(st))
}

/// The `filestat` record of `st` (layout in [`write_filestat`]).
pub fn filestat_bytes(st: &rustix::fs::Stat) -> [u8; 64] {
    let ns = |s: u64, n: u64| s.wrapping_mul(1_000_000_000).wrapping_add(n);
    let mut b = [0u8; 64];
    b[0..8].copy_from_slice(&st.st_dev.to_le_bytes());
    b[8..16].copy_from_slice(&st.st_ino.to_le_bytes());
    b[16] = filetype(FileType::from_raw_mode(st.st_mode));
    // The kernel's `st_nlink` is 64-bit on x86-64, 32-bit on aarch64.
    #[expect(clippy::unnecessary_cast, reason = "a u64 on x86-64 only")]
    let nlink = st.st_nlink as u64;
    b[24..32].copy_from_slice(&nlink.to_le_bytes());
    b[32..40].copy_from_slice(&(st.st_size as u64).to_le_bytes());
    b[40..48].copy_from_slice(&ns(st.st_atime as u64, st.st_atime_nsec).to_le_bytes());
    b[48..56].copy_from_slice(&ns(st.st_mtime as u64, st.st_mtime_nsec).to_le_bytes());
    b[56..64].copy_from_slice(&ns(st.st_ctime as u64, st.st_ctime_nsec).to_le_bytes());
    b
}

/// Runs `f` on the open entry `fd`.
fn with_fd<R>(fd: i32, f: impl FnOnce(&mut Entry) -> WasiResult<R>) -> WasiResult<R> {
    FDS.with(|t| f(t.get(fd as u32)?))
}

/// Runs `f` on the open entry `fd` if it is a file or a socket: the file
/// operations (sync, advise, allocate, set size, set flags) on a directory
/// or on a standard stream fail with `EBADF`, as under wasmtime (setting
/// times is not one of them: see [`fd_filestat_set_times`]).
fn with_file<R>(fd: i32, f: impl FnOnce(&mut Entry) -> WasiResult<R>) -> WasiResult<R> {
    with_fd(fd, |e| match e.kind {
        Kind::Dir | Kind::Preopen | Kind::Stdio | Kind::ImageDir | Kind::ImagePreopen => {
            Err(Errno::BADF)
        }
        _ => f(e),
    })
}

/// Retries a system call interrupted by a signal.
fn retry<T>(mut f: impl FnMut() -> rustix::io::Result<T>) -> rustix::io::Result<T> {
    loop {
        match f() {
            Err(E::INTR) => continue,
            r => return r,
        }
    }
}

/// [`fd_write`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_writefd-fd-iovs-ciovec_array---resultsize-errno):
/// writes the buffers of the `ciovec` array `iovs` (`iovs_len` entries of
/// `{buf: u32, len: u32}`) in order, writes the byte count (u32) to
/// `nwritten_ptr`. Short writes are continued until everything is written or
/// the host reports an error; an error after some bytes were written ends
/// the call successfully with the partial count. Every iovec is checked
/// before anything is written, so `EFAULT` means nothing was.
///
/// Errors: `EBADF`, `EFAULT`, host errors (`EPIPE`, `ENOSPC`, `EAGAIN`…).
pub extern "C" fn fd_write(fd: i32, iovs: i32, iovs_len: i32, nwritten_ptr: i32) -> i32 {
    ret(with_fd(fd, |e| {
        if e.is_image() {
            return Err(Errno::BADF);
        }
        let mut mem = GuestMemory::get();
        mem.check_range(nwritten_ptr as u32, 4)?;
        let mut iovs = mem.iovecs(iovs as u32, iovs_len as u32)?;
        let mut total = 0u32;
        'outer: for &(buf, len) in iovs.values().iter() {
            let mut bytes = mem.bytes(buf, len)?;
            while !bytes.is_empty() {
                match retry(|| rustix::io::write(e.fd(), bytes)) {
                    Ok(0) => break 'outer,
                    Ok(n) => {
                        total = total.wrapping_add(n as u32);
                        bytes = &bytes[n..];
                    }
                    Err(_) if total > 0 => break 'outer,
                    Err(err) => return Err(err.into()),
                }
            }
        }
        mem.write_u32(nwritten_ptr as u32, total)
    }))
}

/// [`fd_read`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_readfd-fd-iovs-iovec_array---resultsize-errno):
/// reads into the buffers of the `iovec` array `iovs` in order, stopping at
/// the first short read; writes the byte count (u32) to `nread_ptr`
/// (0 at end of file). The array is read and every buffer checked before
/// anything is read (`EFAULT` means no input was consumed), and data read
/// over the array itself does not change the buffers that follow.
///
/// Errors: `EBADF` (also for a directory, as wasmtime reports it), `EFAULT`,
/// host errors.
pub extern "C" fn fd_read(fd: i32, iovs: i32, iovs_len: i32, nread_ptr: i32) -> i32 {
    ret(with_fd(fd, |e| {
        let n = read_common(e, iovs, iovs_len, None, nread_ptr)?;
        if e.kind == Kind::ImageFile {
            e.pos += n;
        }
        Ok(())
    }))
}

/// [`fd_pread`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_preadfd-fd-iovs-iovec_array-offset-filesize---resultsize-errno):
/// like `fd_read` at file `offset`, without moving the file position.
///
/// Errors: as `fd_read`, plus `ESPIPE` on unseekable files.
pub extern "C" fn fd_pread(fd: i32, iovs: i32, iovs_len: i32, offset: i64, nread_ptr: i32) -> i32 {
    ret(with_fd(fd, |e| {
        if offset < 0 && e.kind == Kind::ImageFile {
            return Err(Errno::INVAL);
        }
        read_common(e, iovs, iovs_len, Some(offset as u64), nread_ptr).map(|_| ())
    }))
}

/// Reads for `fd_read` (`offset` `None`) and `fd_pread`; returns the byte
/// count it wrote to `nread_ptr`. An embedded file is read from its
/// contents in the image, at its position (which the caller advances).
fn read_common(
    e: &Entry,
    iovs: i32,
    iovs_len: i32,
    offset: Option<u64>,
    nread_ptr: i32,
) -> WasiResult<u64> {
    let mut mem = GuestMemory::get();
    mem.check_range(nread_ptr as u32, 4)?;
    if e.is_dir() {
        return Err(Errno::BADF);
    }
    let mut iovs = mem.iovecs(iovs as u32, iovs_len as u32)?;
    let mut total = 0u64;
    let contents = match e.kind {
        Kind::ImageFile => {
            let (tree, node) = embedded::of(e)?;
            Some(tree.data(tree.node(node)?)?)
        }
        _ => None,
    };
    for &(buf, len) in iovs.values().iter() {
        if len == 0 {
            continue;
        }
        let out = mem.bytes_mut(buf, len)?;
        if let Some(contents) = contents {
            let at = offset.unwrap_or(e.pos).saturating_add(total);
            let from = contents.get(at.min(contents.len() as u64) as usize..);
            let from = from.unwrap_or(&[]);
            let n = from.len().min(out.len());
            out[..n].copy_from_slice(&from[..n]);
            total += n as u64;
            if n < out.len() {
                break;
            }
            continue;
        }
        let r = match offset {
            None => retry(|| rustix::io::read(e.fd(), &mut *out)),
            Some(o) => retry(|| rustix::io::pread(e.fd(), &mut *out, o.wrapping_add(total))),
        };
        match r {
            Ok(n) => {
                total += n as u64;
                if n < len as usize {
                    break;
                }
            }
            Err(_) if total > 0 => break,
            Err(err) => return Err(err.into()),
        }
    }
    mem.write_u32(nread_ptr as u32, total as u32)?;
    Ok(total)
}

/// [`fd_pwrite`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_pwritefd-fd-iovs-ciovec_array-offset-filesize---resultsize-errno):
/// like `fd_write` at file `offset`, without moving the file position.
///
/// Errors: as `fd_write`, plus `ESPIPE` on unseekable files.
pub extern "C" fn fd_pwrite(
    fd: i32,
    iovs: i32,
    iovs_len: i32,
    offset: i64,
    nwritten_ptr: i32,
) -> i32 {
    ret(with_fd(fd, |e| {
        if e.is_image() {
            return Err(Errno::BADF);
        }
        let mut mem = GuestMemory::get();
        mem.check_range(nwritten_ptr as u32, 4)?;
        let mut iovs = mem.iovecs(iovs as u32, iovs_len as u32)?;
        let mut total = 0u64;
        'outer: for &(buf, len) in iovs.values().iter() {
            let mut bytes = mem.bytes(buf, len)?;
            while !bytes.is_empty() {
                match retry(|| {
                    rustix::io::pwrite(e.fd(), bytes, (offset as u64).wrapping_add(total))
                }) {
                    Ok(0) => break 'outer,
                    Ok(n) => {
                        total += n as u64;
                        bytes = &bytes[n..];
                    }
                    Err(_) if total > 0 => break 'outer,
                    Err(err) => return Err(err.into()),
                }
            }
        }
        mem.write_u32(nwritten_ptr as u32, total as u32)
    }))
}

/// [`fd_close`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_closefd-fd---result-errno):
/// closes `fd` (preopens included); its number becomes free.
///
/// Errors: `EBADF`.
pub extern "C" fn fd_close(fd: i32) -> i32 {
    ret(FDS.with(|t| {
        let e = t.remove(fd as u32)?;
        fdtable::close_host(e.host);
        Ok(())
    }))
}

/// [`fd_seek`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_seekfd-fd-offset-filedelta-whence-whence---resultfilesize-errno):
/// moves the file position by `offset` relative to `whence` (0 set, 1 cur,
/// 2 end) and writes the new position (u64) to `newoffset_ptr`.
///
/// Errors: `EBADF`, `EINVAL` (bad whence or negative result), `ESPIPE`
/// (pipes, terminals), `EFAULT`.
pub extern "C" fn fd_seek(fd: i32, offset: i64, whence: i32, newoffset_ptr: i32) -> i32 {
    ret(with_fd(fd, |e| {
        let mut mem = GuestMemory::get();
        mem.check_range(newoffset_ptr as u32, 8)?;
        if e.is_dir() {
            return Err(Errno::BADF);
        }
        if e.kind == Kind::ImageFile {
            let (tree, node) = embedded::of(e)?;
            let base = match whence {
                0 => 0,
                1 => e.pos,
                2 => tree.node(node)?.size,
                _ => return Err(Errno::INVAL),
            };
            let new = (base as i64)
                .checked_add(offset)
                .filter(|n| *n >= 0)
                .ok_or(Errno::INVAL)?;
            e.pos = new as u64;
            return mem.write_u64(newoffset_ptr as u32, e.pos);
        }
        let pos = match whence {
            0 => SeekFrom::Start(u64::try_from(offset).map_err(|_| Errno::INVAL)?),
            1 => SeekFrom::Current(offset),
            2 => SeekFrom::End(offset),
            _ => return Err(Errno::INVAL),
        };
        let new = rustix::fs::seek(e.fd(), pos)?;
        mem.write_u64(newoffset_ptr as u32, new)
    }))
}

/// [`fd_tell`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_tellfd-fd---resultfilesize-errno):
/// writes the current file position (u64) to `offset_ptr`.
///
/// Errors: `EBADF`, `ESPIPE`, `EFAULT`.
pub extern "C" fn fd_tell(fd: i32, offset_ptr: i32) -> i32 {
    fd_seek(fd, 0, 1, offset_ptr)
}

/// [`fd_fdstat_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_fdstat_getfd-fd---resultfdstat-errno):
/// writes an `fdstat` (24 bytes) to `buf`:
/// ```text
/// fs_filetype u8 @0 | fs_flags u16 @2 | fs_rights_base u64 @8 | fs_rights_inheriting u64 @16
/// ```
/// The file type is the host's (a terminal is a character device, a pipe
/// `unknown`, a file a regular file), except that a standard stream that is
/// a character device but not a terminal (`/dev/null`) is `unknown`. Rights are those wasmtime reports
/// (see the rights constants): all but the missing direction for a file,
/// only `fd_read` (stdin) or `fd_write` (stdout, stderr) for a standard
/// stream, so wasi-libc's `isatty` (a character device without
/// `fd_seek`/`fd_tell`) recognises a terminal.
///
/// Errors: `EBADF`, `EFAULT`.
pub extern "C" fn fd_fdstat_get(fd: i32, buf: i32) -> i32 {
    ret(with_fd(fd, |e| {
        let mut mem = GuestMemory::get();
        mem.check_range(buf as u32, 24)?;
        if e.is_image() {
            let (tree, node) = embedded::of(e)?;
            let (base, inheriting) = match e.kind {
                Kind::ImagePreopen => (PREOPEN_RIGHTS, PREOPEN_INHERITING),
                Kind::ImageDir => (DIR_RIGHTS, DIR_RIGHTS),
                _ => (RIGHTS_ALL & !FD_WRITE, RIGHTS_ALL & !FD_WRITE),
            };
            let mut b = [0u8; 24];
            b[0] = embedded::filetype(tree.node(node)?);
            b[8..16].copy_from_slice(&base.to_le_bytes());
            b[16..24].copy_from_slice(&inheriting.to_le_bytes());
            return mem.write_bytes(buf as u32, &b);
        }
        let st = rustix::fs::fstat(e.fd())?;
        let ty = match FileType::from_raw_mode(st.st_mode) {
            // A standard stream that is a character device but no terminal
            // (`/dev/null`) is `unknown`: with only `fd_read`/`fd_write`
            // rights, a character device is what `isatty` takes for one.
            FileType::CharacterDevice
                if matches!(e.kind, Kind::Stdio) && !rustix::termios::isatty(e.fd()) =>
            {
                FileType::Unknown
            }
            ty => ty,
        };
        let fl = rustix::fs::fcntl_getfl(e.fd())?;
        let mut flags = 0u16;
        if fl.contains(OFlags::APPEND) {
            flags |= FDFLAG_APPEND;
        }
        if fl.contains(OFlags::DSYNC) {
            flags |= FDFLAG_DSYNC;
        }
        if fl.contains(OFlags::NONBLOCK) {
            flags |= FDFLAG_NONBLOCK;
        }
        if fl.contains(OFlags::SYNC) {
            flags |= FDFLAG_SYNC | FDFLAG_RSYNC;
        }
        let (base, inheriting) = match e.kind {
            Kind::Preopen => (PREOPEN_RIGHTS, PREOPEN_INHERITING),
            Kind::Dir => (DIR_RIGHTS, DIR_RIGHTS),
            Kind::Socket => (SOCKET_RIGHTS, 0),
            // A stream: read for stdin, write for stdout and stderr.
            Kind::Stdio if e.stdin => (FD_READ, FD_READ),
            Kind::Stdio => (FD_WRITE, FD_WRITE),
            _ => {
                let mut r = RIGHTS_ALL;
                let mode = fl & OFlags::RWMODE;
                if mode == OFlags::RDONLY {
                    r &= !FD_WRITE;
                }
                if mode == OFlags::WRONLY {
                    r &= !(FD_READ | FD_READDIR);
                }
                (r, r)
            }
        };
        let mut b = [0u8; 24];
        b[0] = filetype(ty);
        b[2..4].copy_from_slice(&flags.to_le_bytes());
        b[8..16].copy_from_slice(&base.to_le_bytes());
        b[16..24].copy_from_slice(&inheriting.to_le_bytes());
        mem.write_bytes(buf as u32, &b)
    }))
}

/// [`fd_fdstat_set_flags`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_fdstat_set_flagsfd-fd-flags-fdflags---result-errno):
/// sets the `append` and `nonblock` flags of `fd`.
///
/// Errors: `EBADF` (also for a directory or stdio, see [`with_file`]),
/// `EINVAL` for the sync flags (as wasmtime reports it:
/// Linux cannot change them on an open file).
pub extern "C" fn fd_fdstat_set_flags(fd: i32, flags: i32) -> i32 {
    ret(with_file(fd, |e| {
        let flags = flags as u16;
        if flags & (FDFLAG_DSYNC | FDFLAG_RSYNC | FDFLAG_SYNC) != 0 {
            return Err(Errno::INVAL);
        }
        if e.is_image() {
            // Append and nonblock change nothing for a file never written
            // and always ready.
            return Ok(());
        }
        let mut fl = OFlags::empty();
        if flags & FDFLAG_APPEND != 0 {
            fl |= OFlags::APPEND;
        }
        if flags & FDFLAG_NONBLOCK != 0 {
            fl |= OFlags::NONBLOCK;
        }
        Ok(rustix::fs::fcntl_setfl(e.fd(), fl)?)
    }))
}

/// [`fd_filestat_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_filestat_getfd-fd---resultfilestat-errno):
/// writes the `filestat` of `fd` (see [`write_filestat`]) to `buf`.
///
/// Errors: `EBADF`, `EFAULT`.
pub extern "C" fn fd_filestat_get(fd: i32, buf: i32) -> i32 {
    ret((|| {
        let mut mem = GuestMemory::get();
        mem.check_range(buf as u32, 64)?;
        write_filestat(&mut mem, buf as u32, &fd_stat(fd)?)
    })())
}

/// The host `stat` of guest descriptor `fd`.
pub fn fd_stat(fd: i32) -> WasiResult<rustix::fs::Stat> {
    with_fd(fd, |e| {
        if e.is_image() {
            let (tree, node) = embedded::of(e)?;
            return tree.stat(node);
        }
        Ok(rustix::fs::fstat(e.fd())?)
    })
}

/// [`fd_filestat_set_size`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_filestat_set_sizefd-fd-size-filesize---result-errno):
/// truncates or extends the file to `size` bytes.
///
/// Errors: `EBADF` (also for a directory or stdio), `EINVAL`, host errors.
pub extern "C" fn fd_filestat_set_size(fd: i32, size: i64) -> i32 {
    ret(with_file(fd, |e| {
        if e.is_image() {
            return Err(Errno::ROFS);
        }
        Ok(rustix::fs::ftruncate(e.fd(), size as u64)?)
    }))
}

/// [`fd_advise`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_advisefd-fd-offset-filesize-len-filesize-advice-advice---result-errno):
/// a hint; accepted and ignored.
///
/// Errors: `EBADF` (also for a directory or stdio), `EINVAL` for an
/// unknown advice.
pub extern "C" fn fd_advise(fd: i32, _offset: i64, _len: i64, advice: i32) -> i32 {
    ret(with_file(fd, |_| {
        if (0..=5).contains(&advice) {
            Ok(())
        } else {
            Err(Errno::INVAL)
        }
    }))
}

/// [`fd_allocate`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_allocatefd-fd-offset-filesize-len-filesize---result-errno):
/// makes sure the bytes `[offset, offset + len)` of the file are allocated,
/// with `posix_fallocate`'s semantics: a file shorter than `offset + len`
/// grows to it, the new bytes read as zeros, and a longer file keeps its
/// size and contents. One `fallocate` call (mode 0) does it; a file system
/// that cannot reserve space answers `ENOTSUP`, and nothing is emulated by
/// writing zeros. (wasmtime 49 answers `ENOTSUP` to every call.)
///
/// Errors: `EBADF` (not open, not open for writing, a directory or stdio),
/// `EINVAL` (`len` 0, or a value beyond 2^63 - 1), `EFBIG`
/// (`offset + len` too large), `ENOSPC`, `ENOTSUP`, `ESPIPE` (a pipe or
/// socket), host errors.
pub extern "C" fn fd_allocate(fd: i32, offset: i64, len: i64) -> i32 {
    ret(with_file(fd, |e| {
        if e.is_image() {
            return Err(Errno::ROFS);
        }
        if offset < 0 || len <= 0 {
            return Err(Errno::INVAL);
        }
        if offset.checked_add(len).is_none() {
            return Err(Errno::FBIG);
        }
        let mode = rustix::fs::FallocateFlags::empty();
        Ok(retry(|| {
            rustix::fs::fallocate(e.fd(), mode, offset as u64, len as u64)
        })?)
    }))
}

/// [`fd_fdstat_set_rights`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_fdstat_set_rightsfd-fd-fs_rights_base-rights-fs_rights_inheriting-rights---result-errno):
/// not supported, as under wasmtime: this runtime does not track rights
/// (access is decided by the host descriptor's open mode and the sandbox).
///
/// Errors: `EBADF` when `fd` is not open, else `ENOTSUP`.
pub extern "C" fn fd_fdstat_set_rights(fd: i32, _base: i64, _inheriting: i64) -> i32 {
    ret(with_fd(fd, |_| Err(Errno::NOTSUP)))
}

// fstflags.
const FSTFLAG_ATIM: u16 = 1;
const FSTFLAG_ATIM_NOW: u16 = 2;
const FSTFLAG_MTIM: u16 = 4;
const FSTFLAG_MTIM_NOW: u16 = 8;

/// The `utimensat` times for WASI `atim`/`mtim` (ns) and `fst_flags`: each
/// time is set to the given value, to now, or left alone.
///
/// Errors: `EINVAL` when a time is both given and "now", or for unknown
/// flag bits.
pub fn timestamps(atim: u64, mtim: u64, flags: u16) -> WasiResult<rustix::fs::Timestamps> {
    if flags & !(FSTFLAG_ATIM | FSTFLAG_ATIM_NOW | FSTFLAG_MTIM | FSTFLAG_MTIM_NOW) != 0 {
        return Err(Errno::INVAL);
    }
    let one = |t: u64, set: u16, now: u16| -> WasiResult<rustix::fs::Timespec> {
        let nsec = match (flags & set != 0, flags & now != 0) {
            (true, true) => return Err(Errno::INVAL),
            (true, false) => {
                return Ok(rustix::fs::Timespec {
                    tv_sec: (t / 1_000_000_000) as i64,
                    tv_nsec: (t % 1_000_000_000) as _,
                });
            }
            (false, true) => rustix::fs::UTIME_NOW,
            (false, false) => rustix::fs::UTIME_OMIT,
        };
        Ok(rustix::fs::Timespec {
            tv_sec: 0,
            tv_nsec: nsec,
        })
    };
    Ok(rustix::fs::Timestamps {
        last_access: one(atim, FSTFLAG_ATIM, FSTFLAG_ATIM_NOW)?,
        last_modification: one(mtim, FSTFLAG_MTIM, FSTFLAG_MTIM_NOW)?,
    })
}

/// [`fd_filestat_set_times`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_filestat_set_timesfd-fd-atim-timestamp-mtim-timestamp-fst_flags-fstflags---result-errno):
/// sets the access and/or modification time of `fd` (ns since the epoch)
/// as `fst_flags` says: `atim` 1, `atim_now` 2, `mtim` 4, `mtim_now` 8.
///
/// Directories (preopens included) work too, as under Linux and wasmtime;
/// a standard stream is `EBADF`, as under wasmtime.
///
/// Errors: `EBADF` (also for stdio), `EINVAL` (a time both given and
/// "now"), host errors (`EPERM`, `EROFS`…).
pub extern "C" fn fd_filestat_set_times(fd: i32, atim: i64, mtim: i64, fst_flags: i32) -> i32 {
    ret(with_fd(fd, |e| {
        if e.kind == Kind::Stdio {
            return Err(Errno::BADF);
        }
        let times = timestamps(atim as u64, mtim as u64, fst_flags as u16)?;
        if e.is_image() {
            return Err(Errno::ROFS);
        }
        Ok(rustix::fs::futimens(e.fd(), &times)?)
    }))
}

/// [`fd_prestat_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_prestat_getfd-fd---resultprestat-errno):
/// for a preopened directory writes a `prestat` (8 bytes: tag u8 @0 = 0
/// (dir), name length u32 @4) to `buf`.
///
/// Errors: `EBADF` when `fd` is not a preopen (this ends libc's preopen
/// scan), `EFAULT`.
pub extern "C" fn fd_prestat_get(fd: i32, buf: i32) -> i32 {
    ret(with_fd(fd, |e| {
        if !e.is_preopen() {
            return Err(Errno::BADF);
        }
        let mut mem = GuestMemory::get();
        let mut b = [0u8; 8];
        b[4..8].copy_from_slice(&(e.name.len() as u32).to_le_bytes());
        mem.write_bytes(buf as u32, &b)
    }))
}

/// [`fd_prestat_dir_name`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_prestat_dir_namefd-fd-path-pointeru8-path_len-size---result-errno):
/// writes the preopen's guest name (not NUL-terminated) to `path`.
///
/// Errors: `EBADF`, `ENAMETOOLONG` when `path_len` is smaller than the
/// name, `EFAULT`.
pub extern "C" fn fd_prestat_dir_name(fd: i32, path: i32, path_len: i32) -> i32 {
    ret(with_fd(fd, |e| {
        if !e.is_preopen() {
            return Err(Errno::BADF);
        }
        if (path_len as u32 as usize) < e.name.len() {
            return Err(Errno::NAMETOOLONG);
        }
        GuestMemory::get().write_bytes(path as u32, e.name)
    }))
}

/// [`fd_sync`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_syncfd-fd---result-errno):
/// flushes data and metadata to storage.
///
/// Errors: `EBADF` (also for a directory or stdio), `EIO`, `EINVAL`.
pub extern "C" fn fd_sync(fd: i32) -> i32 {
    ret(with_file(fd, |e| {
        if e.is_image() {
            return Ok(());
        }
        Ok(rustix::fs::fsync(e.fd())?)
    }))
}

/// [`fd_datasync`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_datasyncfd-fd---result-errno):
/// flushes data to storage.
///
/// Errors: `EBADF` (also for a directory or stdio), `EIO`, `EINVAL`.
pub extern "C" fn fd_datasync(fd: i32) -> i32 {
    ret(with_file(fd, |e| {
        if e.is_image() {
            return Ok(());
        }
        Ok(rustix::fs::fdatasync(e.fd())?)
    }))
}

/// [`fd_renumber`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_renumberfd-fd-to-fd---result-errno):
/// moves descriptor `from` to number `to`, closing what `to` was; `from`
/// becomes free.
///
/// Errors: `EBADF` when either is not open.
pub extern "C" fn fd_renumber(from: i32, to: i32) -> i32 {
    ret(FDS.with(|t| {
        t.get(from as u32)?;
        t.get(to as u32)?;
        if from == to {
            return Ok(());
        }
        let e = t.remove(from as u32)?;
        let old = t.remove(to as u32)?;
        fdtable::close_host(old.host);
        t.insert_at(to as u32, e)
    }))
}

/// Size of a `dirent` header; the name follows it.
const DIRENT_SIZE: usize = 24;

/// [`fd_readdir`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_readdirfd-fd-buf-pointeru8-buf_len-size-cookie-dircookie---resultsize-errno):
/// fills `buf` with directory entries starting at entry `cookie`, each a
/// header followed by the name (no NUL):
/// ```text
/// d_next u64 @0 | d_ino u64 @8 | d_namlen u32 @16 | d_type u8 @20 | pad
/// ```
/// As under wasmtime, `.` and `..` come first (cookies 0 and 1, both with
/// the directory's own inode number, so nothing is told about a parent
/// outside the grant), then the host's entries in the host's order
/// (cookies 2, 3, …). Cookies are entry indices, stable across calls; the
/// last entry may be truncated, and `*bufused == buf_len` tells the caller
/// to call again from the last complete entry's `d_next`. Resuming where
/// the previous call stopped is O(1); any other cookie re-reads from the
/// start.
///
/// Errors: `EBADF` (also when `fd` is not a directory, as wasmtime
/// reports it), `EFAULT`, host errors.
pub extern "C" fn fd_readdir(
    fd: i32,
    buf: i32,
    buf_len: i32,
    cookie: i64,
    bufused_ptr: i32,
) -> i32 {
    ret(with_fd(fd, |e| {
        let mut mem = GuestMemory::get();
        mem.check_range(bufused_ptr as u32, 4)?;
        mem.check_range(buf as u32, buf_len as u32 as u64)?;
        if !e.is_dir() {
            return Err(Errno::BADF);
        }
        let cookie = cookie as u64;
        let mut out = DirentWriter {
            mem: &mut mem,
            buf: buf as u32,
            cap: buf_len as u32 as usize,
            used: 0,
        };
        if e.is_image() {
            let (tree, node) = embedded::of(e)?;
            image_readdir(&tree, node, cookie, &mut out)?;
            let used = out.used;
            return mem.write_u32(bufused_ptr as u32, used as u32);
        }
        // `.` and `..`.
        let mut index = cookie;
        if index < 2 {
            let ino = rustix::fs::fstat(e.fd())?.st_ino;
            while index < 2 && !out.full() {
                let name: &[u8] = if index == 0 { b"." } else { b".." };
                out.put(index + 1, ino, DIRECTORY, name)?;
                index += 1;
            }
        }
        if out.full() {
            // Resuming inside the first two entries needs no host offset.
            (e.dir_cookie, e.dir_offset) = (0, 0);
            return mem.write_u32(bufused_ptr as u32, buf_len as u32);
        }
        // The host's entries, `.` and `..` skipped: entry `index` is the
        // `(index - 2)`th of them.
        let (mut at, start) = if index == e.dir_cookie && index >= 2 {
            (index, e.dir_offset)
        } else {
            (2, 0)
        };
        rustix::fs::seek(e.fd(), SeekFrom::Start(start))?;
        let mut space = [core::mem::MaybeUninit::<u8>::uninit(); 4096];
        let mut dir = rustix::fs::RawDir::new(e.fd(), &mut space);
        let mut offset = start;
        let mut resume = (0, 0);
        while !out.full() {
            let Some(ent) = dir.next() else { break };
            let ent = ent?;
            let this_offset = offset;
            offset = ent.next_entry_cookie();
            let name = ent.file_name().to_bytes();
            if name == b"." || name == b".." {
                continue;
            }
            if at < index {
                at += 1;
                continue;
            }
            let complete = out.put(at + 1, ent.ino(), filetype(ent.file_type()), name)?;
            if out.full() {
                // The caller resumes at this entry (if truncated) or the next.
                resume = if complete {
                    (at + 1, offset)
                } else {
                    (at, this_offset)
                };
            }
            at += 1;
        }
        let used = out.used;
        (e.dir_cookie, e.dir_offset) = resume;
        mem.write_u32(bufused_ptr as u32, used as u32)
    }))
}

/// `fd_readdir` of an embedded directory: `.` and `..` (cookies 0 and 1,
/// the directory's own inode number), then its children in name order;
/// entry `i` is child `i - 2`, so any cookie resumes in O(1).
fn image_readdir(tree: &Tree, dir: u64, cookie: u64, out: &mut DirentWriter<'_>) -> WasiResult {
    let d = tree.node(dir)?;
    let mut index = cookie;
    while index < 2 + d.size && !out.full() {
        if index < 2 {
            let name: &[u8] = if index == 0 { b"." } else { b".." };
            out.put(index + 1, dir + 1, DIRECTORY, name)?;
        } else {
            let n = d.offset + (index - 2);
            let child = tree.node(n)?;
            out.put(
                index + 1,
                n + 1,
                embedded::filetype(child),
                tree.name(child)?,
            )?;
        }
        index += 1;
    }
    Ok(())
}

/// `filetype` of a directory.
const DIRECTORY: u8 = 3;

/// Appends `dirent` records to the guest buffer, truncating the last.
struct DirentWriter<'m> {
    mem: &'m mut GuestMemory,
    buf: u32,
    cap: usize,
    used: usize,
}

impl DirentWriter<'_> {
    fn full(&self) -> bool {
        self.used >= self.cap
    }

    /// Writes one entry (as much as fits); returns whether all of it did.
    fn put(&mut self, next: u64, ino: u64, ty: u8, name: &[u8]) -> WasiResult<bool> {
        let mut rec = [0u8; DIRENT_SIZE];
        rec[0..8].copy_from_slice(&next.to_le_bytes());
        rec[8..16].copy_from_slice(&ino.to_le_bytes());
        rec[16..20].copy_from_slice(&(name.len() as u32).to_le_bytes());
        rec[20] = ty;
        for part in [&rec[..], name] {
            let n = part.len().min(self.cap - self.used);
            self.mem
                .write_bytes(self.buf + self.used as u32, &part[..n])?;
            self.used += n;
            if n < part.len() {
                return Ok(false);
            }
        }
        Ok(true)
    }
}
