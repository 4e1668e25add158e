//! WASI errno values and the mapping from Linux errnos.
//!
//! Every Linux errno maps to the WASI errno of the same name; the few Linux
//! errnos WASI has no name for become `EIO`. `EXDEV` from `openat2` (an
//! escape attempt) never gets here: path resolution turns it into
//! `sandbox::ESCAPE` itself.

use rustix::io::Errno as E;

/// A WASI `errno` value (`wasi_snapshot_preview1` numbering).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub u16);

#[allow(dead_code, reason = "the full list documents the numbering")]
impl Errno {
    pub const SUCCESS: Errno = Errno(0);
    pub const TOOBIG: Errno = Errno(1);
    pub const ACCES: Errno = Errno(2);
    pub const ADDRINUSE: Errno = Errno(3);
    pub const ADDRNOTAVAIL: Errno = Errno(4);
    pub const AFNOSUPPORT: Errno = Errno(5);
    pub const AGAIN: Errno = Errno(6);
    pub const ALREADY: Errno = Errno(7);
    pub const BADF: Errno = Errno(8);
    pub const BADMSG: Errno = Errno(9);
    pub const BUSY: Errno = Errno(10);
    pub const CANCELED: Errno = Errno(11);
    pub const CHILD: Errno = Errno(12);
    pub const CONNABORTED: Errno = Errno(13);
    pub const CONNREFUSED: Errno = Errno(14);
    pub const CONNRESET: Errno = Errno(15);
    pub const DEADLK: Errno = Errno(16);
    pub const DESTADDRREQ: Errno = Errno(17);
    pub const DOM: Errno = Errno(18);
    pub const DQUOT: Errno = Errno(19);
    pub const EXIST: Errno = Errno(20);
    pub const FAULT: Errno = Errno(21);
    pub const FBIG: Errno = Errno(22);
    pub const HOSTUNREACH: Errno = Errno(23);
    pub const IDRM: Errno = Errno(24);
    pub const ILSEQ: Errno = Errno(25);
    pub const INPROGRESS: Errno = Errno(26);
    pub const INTR: Errno = Errno(27);
    pub const INVAL: Errno = Errno(28);
    pub const IO: Errno = Errno(29);
    pub const ISCONN: Errno = Errno(30);
    pub const ISDIR: Errno = Errno(31);
    pub const LOOP: Errno = Errno(32);
    pub const MFILE: Errno = Errno(33);
    pub const MLINK: Errno = Errno(34);
    pub const MSGSIZE: Errno = Errno(35);
    pub const MULTIHOP: Errno = Errno(36);
    pub const NAMETOOLONG: Errno = Errno(37);
    pub const NETDOWN: Errno = Errno(38);
    pub const NETRESET: Errno = Errno(39);
    pub const NETUNREACH: Errno = Errno(40);
    pub const NFILE: Errno = Errno(41);
    pub const NOBUFS: Errno = Errno(42);
    pub const NODEV: Errno = Errno(43);
    pub const NOENT: Errno = Errno(44);
    pub const NOEXEC: Errno = Errno(45);
    pub const NOLCK: Errno = Errno(46);
    pub const NOLINK: Errno = Errno(47);
    pub const NOMEM: Errno = Errno(48);
    pub const NOMSG: Errno = Errno(49);
    pub const NOPROTOOPT: Errno = Errno(50);
    pub const NOSPC: Errno = Errno(51);
    pub const NOSYS: Errno = Errno(52);
    pub const NOTCONN: Errno = Errno(53);
    pub const NOTDIR: Errno = Errno(54);
    pub const NOTEMPTY: Errno = Errno(55);
    pub const NOTRECOVERABLE: Errno = Errno(56);
    pub const NOTSOCK: Errno = Errno(57);
    pub const NOTSUP: Errno = Errno(58);
    pub const NOTTY: Errno = Errno(59);
    pub const NXIO: Errno = Errno(60);
    pub const OVERFLOW: Errno = Errno(61);
    pub const OWNERDEAD: Errno = Errno(62);
    pub const PERM: Errno = Errno(63);
    pub const PIPE: Errno = Errno(64);
    pub const PROTO: Errno = Errno(65);
    pub const PROTONOSUPPORT: Errno = Errno(66);
    pub const PROTOTYPE: Errno = Errno(67);
    pub const RANGE: Errno = Errno(68);
    pub const ROFS: Errno = Errno(69);
    pub const SPIPE: Errno = Errno(70);
    pub const SRCH: Errno = Errno(71);
    pub const STALE: Errno = Errno(72);
    pub const TIMEDOUT: Errno = Errno(73);
    pub const TXTBSY: Errno = Errno(74);
    pub const XDEV: Errno = Errno(75);
    pub const NOTCAPABLE: Errno = Errno(76);
}

impl From<E> for Errno {
    fn from(e: E) -> Errno {
        from_linux(e)
    }
}

/// Maps a Linux errno to the WASI errno of the same name.
pub fn from_linux(e: E) -> Errno {
    match e {
        E::TOOBIG => Errno::TOOBIG,
        E::ACCESS => Errno::ACCES,
        E::ADDRINUSE => Errno::ADDRINUSE,
        E::ADDRNOTAVAIL => Errno::ADDRNOTAVAIL,
        E::AFNOSUPPORT => Errno::AFNOSUPPORT,
        E::AGAIN => Errno::AGAIN,
        E::ALREADY => Errno::ALREADY,
        E::BADF => Errno::BADF,
        E::BADMSG => Errno::BADMSG,
        E::BUSY => Errno::BUSY,
        E::CANCELED => Errno::CANCELED,
        E::CHILD => Errno::CHILD,
        E::CONNABORTED => Errno::CONNABORTED,
        E::CONNREFUSED => Errno::CONNREFUSED,
        E::CONNRESET => Errno::CONNRESET,
        E::DEADLK => Errno::DEADLK,
        E::DESTADDRREQ => Errno::DESTADDRREQ,
        E::DOM => Errno::DOM,
        E::DQUOT => Errno::DQUOT,
        E::EXIST => Errno::EXIST,
        E::FAULT => Errno::FAULT,
        E::FBIG => Errno::FBIG,
        E::HOSTUNREACH => Errno::HOSTUNREACH,
        E::IDRM => Errno::IDRM,
        E::ILSEQ => Errno::ILSEQ,
        E::INPROGRESS => Errno::INPROGRESS,
        E::INTR => Errno::INTR,
        E::INVAL => Errno::INVAL,
        E::IO => Errno::IO,
        E::ISCONN => Errno::ISCONN,
        E::ISDIR => Errno::ISDIR,
        E::LOOP => Errno::LOOP,
        E::MFILE => Errno::MFILE,
        E::MLINK => Errno::MLINK,
        E::MSGSIZE => Errno::MSGSIZE,
        E::MULTIHOP => Errno::MULTIHOP,
        E::NAMETOOLONG => Errno::NAMETOOLONG,
        E::NETDOWN => Errno::NETDOWN,
        E::NETRESET => Errno::NETRESET,
        E::NETUNREACH => Errno::NETUNREACH,
        E::NFILE => Errno::NFILE,
        E::NOBUFS => Errno::NOBUFS,
        E::NODEV => Errno::NODEV,
        E::NOENT => Errno::NOENT,
        E::NOEXEC => Errno::NOEXEC,
        E::NOLCK => Errno::NOLCK,
        E::NOLINK => Errno::NOLINK,
        E::NOMEM => Errno::NOMEM,
        E::NOMSG => Errno::NOMSG,
        E::NOPROTOOPT => Errno::NOPROTOOPT,
        E::NOSPC => Errno::NOSPC,
        E::NOSYS => Errno::NOSYS,
        E::NOTCONN => Errno::NOTCONN,
        E::NOTDIR => Errno::NOTDIR,
        E::NOTEMPTY => Errno::NOTEMPTY,
        E::NOTRECOVERABLE => Errno::NOTRECOVERABLE,
        E::NOTSOCK => Errno::NOTSOCK,
        E::NOTSUP => Errno::NOTSUP,
        E::NOTTY => Errno::NOTTY,
        E::NXIO => Errno::NXIO,
        E::OVERFLOW => Errno::OVERFLOW,
        E::OWNERDEAD => Errno::OWNERDEAD,
        E::PERM => Errno::PERM,
        E::PIPE => Errno::PIPE,
        E::PROTO => Errno::PROTO,
        E::PROTONOSUPPORT => Errno::PROTONOSUPPORT,
        E::PROTOTYPE => Errno::PROTOTYPE,
        E::RANGE => Errno::RANGE,
        E::ROFS => Errno::ROFS,
        E::SPIPE => Errno::SPIPE,
        E::SRCH => Errno::SRCH,
        E::STALE => Errno::STALE,
        E::TIMEDOUT => Errno::TIMEDOUT,
        E::TXTBSY => Errno::TXTBSY,
        E::XDEV => Errno::XDEV,
        _ => Errno::IO,
    }
}

/// Result type of WASI implementations; `Ok` becomes `ESUCCESS`.
pub type WasiResult<T = ()> = Result<T, Errno>;

/// Converts an implementation's result into the i32 the guest sees.
pub fn ret(r: WasiResult) -> i32 {
    match r {
        Ok(()) => 0,
        Err(e) => e.0 as i32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_name_mapping() {
        assert_eq!(from_linux(E::NOENT), Errno::NOENT);
        assert_eq!(Errno::NOENT.0, 44);
        assert_eq!(from_linux(E::XDEV).0, 75);
        assert_eq!(from_linux(E::NOTEMPTY).0, 55);
        assert_eq!(from_linux(E::ACCESS).0, 2);
        assert_eq!(from_linux(E::NOSYS).0, 52);
        assert_eq!(ret(Err(Errno::NOTCAPABLE)), 76);
    }
}
