//! `wasi_unstable` (preview 0): the functions whose memory layout or
//! constants differ from preview 1. Every other preview 0 import is served
//! by the preview 1 function of the same name (the compiler maps it, see
//! `WasiFunc::from_import`).
//!
//! - `fd_seek`: `whence` is `cur` 0, `end` 1, `set` 2 (preview 1: `set`,
//!   `cur`, `end`).
//! - `fd_filestat_get`, `path_filestat_get`: `filestat` has a 32-bit
//!   `nlink` and is 56 bytes (see [`write_filestat`]).
//! - `poll_oneoff`: clock subscriptions carry an extra `identifier`
//!   (see [`super::poll::UNSTABLE`]).

use super::errno::{Errno, WasiResult, ret};
use super::fd;
use super::guest::GuestMemory;

/// [`fd_seek`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview0/docs.md#-fd_seekfd-fd-offset-filedelta-whence-whence---errno-filesize):
/// as preview 1's, with preview 0's `whence` numbering.
///
/// Errors: as preview 1's; `EINVAL` for an unknown `whence`.
pub extern "C" fn fd_seek(fd: i32, offset: i64, whence: i32, newoffset_ptr: i32) -> i32 {
    let whence = match whence {
        0 => 1, // cur
        1 => 2, // end
        2 => 0, // set
        _ => return Errno::INVAL.0 as i32,
    };
    fd::fd_seek(fd, offset, whence, newoffset_ptr)
}

/// Writes a preview 0 `filestat` (56 bytes):
/// ```text
/// dev u64 @0 | ino u64 @8 | filetype u8 @16 | nlink u32 @20 | size u64 @24
/// atim u64 @32 | mtim u64 @40 | ctim u64 @48   (times in ns)
/// ```
/// It is the preview 1 record (64 bytes, `nlink` u64 @24) with `nlink`
/// narrowed and the later fields moved up by 8.
fn write_filestat(buf: i32, st: WasiResult<rustix::fs::Stat>) -> WasiResult {
    let mut mem = GuestMemory::get();
    mem.check_range(buf as u32, 56)?;
    let p1 = fd::filestat_bytes(&st?);
    let mut b = [0u8; 56];
    b[0..17].copy_from_slice(&p1[0..17]);
    let nlink = u32::try_from(st_nlink(&p1)).unwrap_or(u32::MAX);
    b[20..24].copy_from_slice(&nlink.to_le_bytes());
    b[24..56].copy_from_slice(&p1[32..64]);
    mem.write_bytes(buf as u32, &b)
}

fn st_nlink(p1: &[u8; 64]) -> u64 {
    let mut n = [0u8; 8];
    n.copy_from_slice(&p1[24..32]);
    u64::from_le_bytes(n)
}

/// [`fd_filestat_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview0/docs.md#-fd_filestat_getfd-fd---errno-filestat):
/// as preview 1's, with the preview 0 `filestat` layout.
///
/// Errors: `EBADF`, `EFAULT`.
pub extern "C" fn fd_filestat_get(fd: i32, buf: i32) -> i32 {
    ret(write_filestat(buf, fd::fd_stat(fd)))
}

/// [`path_filestat_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview0/docs.md#-path_filestat_getfd-fd-flags-lookupflags-path-string---errno-filestat):
/// as preview 1's, with the preview 0 `filestat` layout.
///
/// Errors: `EBADF`, `ENOTDIR`, `EPERM` (escape), `ENOENT`, `EFAULT`…
pub extern "C" fn path_filestat_get(
    fd: i32,
    flags: i32,
    path: i32,
    path_len: i32,
    buf: i32,
) -> i32 {
    ret(write_filestat(
        buf,
        super::path::path_stat(fd, flags, path, path_len),
    ))
}
