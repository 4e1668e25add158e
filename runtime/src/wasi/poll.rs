//! `poll_oneoff`: waiting for clocks and descriptors at once.
//!
//! Every subscription is read first (an unknown tag or clock, or a
//! descriptor that is not open, fails the whole call before anything
//! waits: `EINVAL` / `EBADF`, as under wasmtime). Clock deadlines are turned
//! into one relative timeout on the monotonic clock (absolute ones are
//! measured against their own clock at the start of the call); descriptor
//! subscriptions become one `ppoll` over the host descriptors. The call
//! returns as soon as a descriptor is ready (all ready descriptors are
//! reported together) or the earliest clock expires (every clock that has
//! expired by then is reported).
//!
//! The subscription layout differs between `wasi_snapshot_preview1` and
//! `wasi_unstable` (preview 0 has an extra `identifier` field in clock
//! subscriptions); [`Layout`] holds the offsets, the logic is shared. The
//! `event` layout is the same in both.
//!
//! Every subscription is read from guest memory once, in the first pass,
//! into host memory; the events are written from those copies, so an events
//! array overlapping the subscriptions changes nothing but the guest's own
//! bytes. Scratch space for the copies and the host `pollfd` array comes
//! from the stack for up to [`STACK_FDS`] entries and from a temporary
//! mapping beyond that ([`Scratch`]).

use rustix::event::{PollFd, PollFlags};
use rustix::fd::{AsFd, BorrowedFd};
use rustix::fs::FileType;
use rustix::time::{ClockId, Timespec};

use super::clock::{clock, nanos};
use super::errno::{Errno, WasiResult, ret};
use super::fdtable::FDS;
use super::guest::GuestMemory;
use super::scratch::Scratch;

/// Offsets in a `subscription` (the tag is at 8 and a descriptor
/// subscription's `fd` at 16 in both layouts).
pub struct Layout {
    pub size: u32,
    pub clock_id: u32,
    pub timeout: u32,
    pub flags: u32,
}

/// `wasi_snapshot_preview1`:
/// ```text
/// subscription (48 bytes): userdata u64 @0, tag u8 @8,
///   clock: id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40
///   fd_read/fd_write: fd u32 @16
/// ```
pub const PREVIEW1: Layout = Layout {
    size: 48,
    clock_id: 16,
    timeout: 24,
    flags: 40,
};

/// `wasi_unstable`:
/// ```text
/// subscription (56 bytes): userdata u64 @0, tag u8 @8,
///   clock: identifier u64 @16, id u32 @24, timeout u64 @32,
///          precision u64 @40, flags u16 @48
///   fd_read/fd_write: fd u32 @16
/// ```
pub const UNSTABLE: Layout = Layout {
    size: 56,
    clock_id: 24,
    timeout: 32,
    flags: 48,
};

/// `event` (32 bytes, both versions): userdata u64 @0, error u16 @8,
/// type u8 @10, fd_readwrite: nbytes u64 @16, flags u16 @24.
const EVENT_SIZE: u32 = 32;
const EVENTTYPE_CLOCK: u8 = 0;
const EVENTTYPE_FD_READ: u8 = 1;
const EVENTTYPE_FD_WRITE: u8 = 2;
const SUBCLOCK_ABSTIME: u16 = 1;
const EVENT_FD_READWRITE_HANGUP: u16 = 1;

/// Host descriptors polled without a temporary mapping.
const STACK_FDS: usize = 32;

/// [`poll_oneoff`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-poll_oneoffin-constpointersubscription-out-pointerevent-nsubscriptions-size---resultsize-errno):
/// waits for the subscriptions at `subs` (`n` of them) and writes the
/// events that occurred to `events` and their count (u32) to
/// `nevents_ptr`. For a ready descriptor, `nbytes` is the number of bytes
/// available to read (a regular file: up to its end) and the hangup flag
/// says the peer closed; for writing, `nbytes` is 0.
///
/// Errors: `EINVAL` (no subscriptions, unknown tag or clock), `EBADF` (a
/// descriptor is not open), `EFAULT`.
pub extern "C" fn poll_oneoff(subs: i32, events: i32, n: i32, nevents_ptr: i32) -> i32 {
    ret(poll(
        &PREVIEW1,
        subs as u32,
        events as u32,
        n as u32,
        nevents_ptr as u32,
    ))
}

/// `wasi_unstable::poll_oneoff`: as [`poll_oneoff`] with the preview 0
/// subscription layout ([`UNSTABLE`]).
pub extern "C" fn unstable_poll_oneoff(subs: i32, events: i32, n: i32, nevents_ptr: i32) -> i32 {
    ret(poll(
        &UNSTABLE,
        subs as u32,
        events as u32,
        n as u32,
        nevents_ptr as u32,
    ))
}

/// One subscription as read from the guest, once: the events are written
/// from these copies, never from guest memory, which the events array may
/// overlap.
#[derive(Clone, Copy)]
struct Sub {
    userdata: u64,
    tag: u8,
    /// A clock's absolute monotonic deadline.
    deadline: u64,
    /// A descriptor subscription's host descriptor.
    host: i32,
    /// A descriptor of an embedded tree: always ready, with this many bytes
    /// left to read (it has no host descriptor to poll).
    image: Option<u64>,
}

fn poll(layout: &Layout, subs: u32, events: u32, n: u32, nevents_ptr: u32) -> WasiResult {
    let mut mem = GuestMemory::get();
    if n == 0 {
        return Err(Errno::INVAL);
    }
    mem.check_range(subs, n as u64 * layout.size as u64)?;
    mem.check_range(events, n as u64 * EVENT_SIZE as u64)?;
    mem.check_range(nevents_ptr, 4)?;

    // Pass 1: read and validate every subscription, find the earliest
    // deadline, count descriptors.
    let start = nanos(rustix::time::clock_gettime(ClockId::Monotonic));
    let mut earliest: Option<u64> = None;
    let mut nfds = 0usize;
    let mut records = Scratch::<Sub, STACK_FDS>::new(n as usize)?;
    let records = records.fill(|i| {
        // Inside the array checked above, so no overflow.
        let s = subs + i as u32 * layout.size;
        let mut sub = Sub {
            userdata: mem.read_u64(s)?,
            tag: mem.read_u8(s + 8)?,
            deadline: 0,
            host: -1,
            image: None,
        };
        match sub.tag {
            EVENTTYPE_CLOCK => {
                sub.deadline = deadline(&mem, layout, s, start)?;
                earliest = Some(earliest.map_or(sub.deadline, |e| e.min(sub.deadline)));
            }
            EVENTTYPE_FD_READ | EVENTTYPE_FD_WRITE => {
                (sub.host, sub.image) = host_fd(mem.read_u32(s + 16)?)?;
                nfds += 1;
            }
            _ => return Err(Errno::INVAL),
        }
        Ok(sub)
    })?;

    // Pass 2: build the pollfd array and wait.
    let mut fd_subs = records.iter().filter(|s| s.tag != EVENTTYPE_CLOCK);
    let mut pollfds = Scratch::<PollFd<'static>, STACK_FDS>::new(nfds)?;
    let fds = pollfds.fill(|_| {
        let sub = fd_subs.next().ok_or(Errno::IO)?;
        // SAFETY: the table owns the host descriptor until the guest closes
        // it, which cannot happen during this call (one thread); an
        // embedded tree's `NO_HOST` is never open (the kernel reports it
        // `POLLNVAL`, and pass 3 answers for it without looking).
        let fd = unsafe { BorrowedFd::borrow_raw(sub.host) };
        let flags = if sub.tag == EVENTTYPE_FD_READ {
            PollFlags::IN
        } else {
            PollFlags::OUT
        };
        Ok(PollFd::from_borrowed_fd(fd, flags))
    })?;
    let images_ready = records.iter().any(|s| s.image.is_some());
    let ready = loop {
        let now = nanos(rustix::time::clock_gettime(ClockId::Monotonic));
        // An embedded descriptor is ready now: poll the others without
        // waiting.
        let earliest = if images_ready { Some(now) } else { earliest };
        let timeout = earliest.map(|d| {
            let left = d.saturating_sub(now);
            Timespec {
                tv_sec: (left / 1_000_000_000) as i64,
                tv_nsec: (left % 1_000_000_000) as i64,
            }
        });
        match rustix::event::poll(fds, timeout.as_ref()) {
            Ok(r) => break r,
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
    };

    // Embedded descriptors count as ready: no clock has expired because
    // of them.
    let ready = ready + usize::from(images_ready);

    // Pass 3: report, from the copies.
    let mut out = 0u32;
    // When nothing was ready the earliest clock has expired, even if the
    // clock reads a hair earlier than the deadline `ppoll` rounded.
    let now = nanos(rustix::time::clock_gettime(ClockId::Monotonic));
    let now = match earliest {
        Some(d) if ready == 0 => now.max(d),
        _ => now,
    };
    let mut polled = fds.iter();
    for sub in records.iter() {
        let e = events + out * EVENT_SIZE;
        if sub.tag == EVENTTYPE_CLOCK {
            if ready == 0 && sub.deadline <= now {
                write_event(&mut mem, e, sub.userdata, sub.tag, 0, 0)?;
                out += 1;
            }
            continue;
        }
        let p = polled.next().ok_or(Errno::IO)?;
        if let Some(left) = sub.image {
            let nbytes = if sub.tag == EVENTTYPE_FD_READ {
                left
            } else {
                0
            };
            write_event(&mut mem, e, sub.userdata, sub.tag, nbytes, 0)?;
            out += 1;
            continue;
        }
        let revents = p.revents();
        if revents.is_empty() {
            continue;
        }
        let hangup = if revents.contains(PollFlags::HUP) {
            EVENT_FD_READWRITE_HANGUP
        } else {
            0
        };
        let nbytes = if sub.tag == EVENTTYPE_FD_READ {
            readable(p.as_fd())
        } else {
            0
        };
        write_event(&mut mem, e, sub.userdata, sub.tag, nbytes, hangup)?;
        out += 1;
    }
    mem.write_u32(nevents_ptr, out)
}

/// The absolute monotonic deadline of the clock subscription at `s`.
fn deadline(mem: &GuestMemory, layout: &Layout, s: u32, start: u64) -> WasiResult<u64> {
    let c = clock(mem.read_u32(s + layout.clock_id)? as i32)?;
    let timeout = mem.read_u64(s + layout.timeout)?;
    if mem.read_u16(s + layout.flags)? & SUBCLOCK_ABSTIME == 0 {
        return Ok(start.saturating_add(timeout));
    }
    let clock_now = nanos(rustix::time::clock_gettime(c));
    Ok(start.saturating_add(timeout.saturating_sub(clock_now)))
}

/// The host descriptor of guest descriptor `fd`, or for a descriptor of an
/// embedded tree the bytes left to read (0 for a directory).
fn host_fd(fd: u32) -> WasiResult<(i32, Option<u64>)> {
    FDS.with(|t| {
        let e = t.get(fd)?;
        if !e.is_image() {
            return Ok((e.host, None));
        }
        let (tree, node) = super::embedded::of(e)?;
        let node = tree.node(node)?;
        let left = if e.kind == super::fdtable::Kind::ImageFile {
            node.size.saturating_sub(e.pos)
        } else {
            0
        };
        Ok((super::fdtable::NO_HOST, Some(left)))
    })
}

/// Bytes readable without blocking: to the end of a regular file, else what
/// the kernel has queued (0 when it cannot tell).
fn readable(fd: BorrowedFd<'_>) -> u64 {
    match rustix::fs::fstat(fd) {
        Ok(st) if FileType::from_raw_mode(st.st_mode) == FileType::RegularFile => {
            let pos = rustix::fs::seek(fd, rustix::fs::SeekFrom::Current(0)).unwrap_or(0);
            (st.st_size as u64).saturating_sub(pos)
        }
        _ => rustix::io::ioctl_fionread(fd).unwrap_or(0),
    }
}

fn write_event(
    mem: &mut GuestMemory,
    e: u32,
    userdata: u64,
    ty: u8,
    nbytes: u64,
    flags: u16,
) -> WasiResult {
    let mut b = [0u8; EVENT_SIZE as usize];
    b[0..8].copy_from_slice(&userdata.to_le_bytes());
    b[10] = ty;
    b[16..24].copy_from_slice(&nbytes.to_le_bytes());
    b[24..26].copy_from_slice(&flags.to_le_bytes());
    mem.write_bytes(e, &b)
}
