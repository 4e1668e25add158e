//! Sockets: the `--tcplisten` grants and `sock_accept`, `sock_recv`,
//! `sock_send`, `sock_shutdown`.
//!
//! WASI preview 1 cannot create sockets: a module reaches the network only
//! through listening sockets the executable was built with (`--tcplisten
//! ADDR:PORT`, named like wasmtime's `-S tcplisten`). Each is bound and put
//! in listening state at start-up and preopened at fds 3, 4, … in grant
//! order, *before* the preopened directories: the order of wasmtime's
//! original preview 1 implementation (wasmtime 49 no longer offers the flag
//! to preview 1 modules). The listener is non-blocking, as wasmtime made
//! it: a module waits for a connection with `poll_oneoff` (or clears the
//! flag with `fd_fdstat_set_flags`).
//!
//! Sends use `MSG_NOSIGNAL`: a peer that went away is an `EPIPE` for the
//! module, never a signal that kills the process.

use core::net::SocketAddr;

use rustix::fd::OwnedFd;
use rustix::net::{
    AddressFamily, RecvFlags, SendFlags, Shutdown, SocketFlags, SocketType, sockopt,
};

use super::errno::{Errno, ret};
use super::fd::FDFLAG_NONBLOCK;
use super::fdtable::{Entry, FDS, Kind};
use super::guest::GuestMemory;

/// Why a `--tcplisten` grant could not be set up.
pub enum ListenError {
    /// Not `IPV4:PORT` or `[IPV6]:PORT`.
    BadAddress,
    /// The host refused (`socket`, `bind` or `listen`).
    Host(rustix::io::Errno),
}

/// Creates the listening socket for a `--tcplisten` grant: `SO_REUSEADDR`,
/// bound to `addr`, listening, non-blocking and close-on-exec.
pub fn listen(addr: &[u8]) -> Result<OwnedFd, ListenError> {
    let addr: SocketAddr = core::str::from_utf8(addr)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or(ListenError::BadAddress)?;
    let family = match addr {
        SocketAddr::V4(_) => AddressFamily::INET,
        SocketAddr::V6(_) => AddressFamily::INET6,
    };
    let host = ListenError::Host;
    let sock = rustix::net::socket_with(
        family,
        SocketType::STREAM,
        SocketFlags::CLOEXEC | SocketFlags::NONBLOCK,
        None,
    )
    .map_err(host)?;
    sockopt::set_socket_reuseaddr(&sock, true).map_err(host)?;
    rustix::net::bind(&sock, &addr).map_err(host)?;
    rustix::net::listen(&sock, 128).map_err(host)?;
    Ok(sock)
}

/// [`sock_accept`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-sock_acceptfd-fd-flags-fdflags---resultfd-errno):
/// accepts a connection on the listening socket `fd` and writes the new
/// descriptor (u32) to `fd_ptr`. `flags` may hold only `nonblock`, which
/// the new descriptor then has.
///
/// Errors: `EBADF`, `EINVAL` (other flags, or `fd` is not listening),
/// `ENOTSOCK`, `EAGAIN` (no pending connection on a non-blocking
/// listener), `EFAULT`, host errors.
pub extern "C" fn sock_accept(fd: i32, flags: i32, fd_ptr: i32) -> i32 {
    ret((|| {
        GuestMemory::get().check_range(fd_ptr as u32, 4)?;
        let flags = flags as u16;
        let mut sf = SocketFlags::CLOEXEC;
        if flags & FDFLAG_NONBLOCK != 0 {
            sf |= SocketFlags::NONBLOCK;
        }
        let conn = FDS.with(|t| {
            let e = t.get(fd as u32)?;
            if flags & !FDFLAG_NONBLOCK != 0 {
                return Err(Errno::INVAL);
            }
            loop {
                match rustix::net::accept_with(e.fd(), sf) {
                    Err(rustix::io::Errno::INTR) => continue,
                    r => return r.map_err(Errno::from),
                }
            }
        })?;
        let new = FDS.with(|t| t.insert(Entry::new(Kind::Socket, conn)))?;
        GuestMemory::get().write_u32(fd_ptr as u32, new)
    })())
}

// riflags / roflags.
const RECV_PEEK: u16 = 1;
const RECV_WAITALL: u16 = 2;

/// [`sock_recv`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-sock_recvfd-fd-ri_data-iovec_array-ri_flags-riflags---resultsize-roflags-errno):
/// receives into the buffers of the `iovec` array `ri_data`; writes the
/// byte count (u32) to `ro_datalen` and the output flags (u16, always 0:
/// a stream is never truncated) to `ro_flags`. `ri_flags`: `recv_peek` 1,
/// `recv_waitall` 2. The first buffer waits as the descriptor's mode says;
/// later ones take only what is already there. 0 bytes means the peer
/// closed its side. As for `fd_read`, the iovecs are read once and checked
/// before anything is received.
///
/// Errors: `EBADF`, `ENOTSOCK`, `EAGAIN`, `EINVAL` (unknown flags),
/// `EFAULT`, host errors (`ECONNRESET`…).
pub extern "C" fn sock_recv(
    fd: i32,
    ri_data: i32,
    ri_data_len: i32,
    ri_flags: i32,
    ro_datalen: i32,
    ro_flags: i32,
) -> i32 {
    ret(FDS.with(|t| {
        let e = t.get(fd as u32)?;
        let mut mem = GuestMemory::get();
        mem.check_range(ro_datalen as u32, 4)?;
        mem.check_range(ro_flags as u32, 2)?;
        let ri = ri_flags as u16;
        if ri & !(RECV_PEEK | RECV_WAITALL) != 0 {
            return Err(Errno::INVAL);
        }
        let mut flags = RecvFlags::empty();
        if ri & RECV_PEEK != 0 {
            flags |= RecvFlags::PEEK;
        }
        if ri & RECV_WAITALL != 0 {
            flags |= RecvFlags::WAITALL;
        }
        let mut iovs = mem.iovecs(ri_data as u32, ri_data_len as u32)?;
        let mut total = 0u64;
        for &(buf, len) in iovs.values().iter() {
            if len == 0 {
                continue;
            }
            // Peeking twice would see the same bytes again.
            if total > 0 && ri & RECV_PEEK != 0 {
                break;
            }
            let more = if total > 0 {
                flags | RecvFlags::DONTWAIT
            } else {
                flags
            };
            let out = mem.bytes_mut(buf, len)?;
            let r = loop {
                match rustix::net::recv(e.fd(), &mut *out, more) {
                    Err(rustix::io::Errno::INTR) => continue,
                    r => break r,
                }
            };
            match r {
                Ok((n, _)) => {
                    total += n as u64;
                    if n < len as usize {
                        break;
                    }
                }
                Err(_) if total > 0 => break,
                Err(err) => return Err(err.into()),
            }
        }
        mem.write_u32(ro_datalen as u32, total as u32)?;
        mem.write_u16(ro_flags as u32, 0)
    }))
}

/// [`sock_send`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-sock_sendfd-fd-si_data-ciovec_array-si_flags-siflags---resultsize-errno):
/// sends the buffers of the `ciovec` array `si_data` in order, continuing
/// short sends, and writes the byte count (u32) to `so_datalen`. No
/// `si_flags` are defined (must be 0). An error after some bytes were sent
/// ends the call successfully with the partial count. Every iovec is
/// checked before anything is sent.
///
/// Errors: `EBADF`, `ENOTSOCK`, `EPIPE` (the peer closed), `EAGAIN`,
/// `EINVAL`, `EFAULT`, host errors.
pub extern "C" fn sock_send(
    fd: i32,
    si_data: i32,
    si_data_len: i32,
    si_flags: i32,
    so_datalen: i32,
) -> i32 {
    ret(FDS.with(|t| {
        let e = t.get(fd as u32)?;
        let mut mem = GuestMemory::get();
        mem.check_range(so_datalen as u32, 4)?;
        if si_flags as u16 != 0 {
            return Err(Errno::INVAL);
        }
        let mut iovs = mem.iovecs(si_data as u32, si_data_len as u32)?;
        let mut total = 0u64;
        'outer: for &(buf, len) in iovs.values().iter() {
            let mut bytes = mem.bytes(buf, len)?;
            while !bytes.is_empty() {
                match rustix::net::send(e.fd(), bytes, SendFlags::NOSIGNAL) {
                    Err(rustix::io::Errno::INTR) => {}
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
        mem.write_u32(so_datalen as u32, total as u32)
    }))
}

/// [`sock_shutdown`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-sock_shutdownfd-fd-how-sdflags---result-errno):
/// shuts down the receiving (`rd` 1), sending (`wr` 2) or both sides.
///
/// Errors: `EBADF`, `ENOTSOCK`, `EINVAL` (no or unknown flags),
/// `ENOTCONN`.
pub extern "C" fn sock_shutdown(fd: i32, how: i32) -> i32 {
    ret(FDS.with(|t| {
        let e = t.get(fd as u32)?;
        let how = match how as u8 {
            1 => Shutdown::Read,
            2 => Shutdown::Write,
            3 => Shutdown::Both,
            _ => return Err(Errno::INVAL),
        };
        Ok(rustix::net::shutdown(e.fd(), how)?)
    }))
}
