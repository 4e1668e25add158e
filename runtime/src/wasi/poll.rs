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
//! Scratch space for the host `pollfd` array comes from the stack for up to
//! [`STACK_FDS`] descriptors and from a temporary mapping beyond that.

use rustix::event::{PollFd, PollFlags};
use rustix::fd::{AsFd, BorrowedFd};
use rustix::fs::FileType;
use rustix::time::{ClockId, Timespec};

use super::clock::{clock, nanos};
use super::errno::{Errno, WasiResult, ret};
use super::fdtable::FDS;
use super::guest::GuestMemory;

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

fn poll(layout: &Layout, subs: u32, events: u32, n: u32, nevents_ptr: u32) -> WasiResult {
    let mut mem = GuestMemory::get();
    if n == 0 {
        return Err(Errno::INVAL);
    }
    mem.check_range(subs, n as u64 * layout.size as u64)?;
    mem.check_range(events, n as u64 * EVENT_SIZE as u64)?;
    mem.check_range(nevents_ptr, 4)?;

    // Pass 1: validate, find the earliest deadline, count descriptors.
    let start = nanos(rustix::time::clock_gettime(ClockId::Monotonic));
    let mut earliest: Option<u64> = None;
    let mut nfds = 0usize;
    for i in 0..n {
        let s = subs + i * layout.size;
        match mem.read_u8(s + 8)? {
            EVENTTYPE_CLOCK => {
                let d = deadline(&mem, layout, s, start)?;
                earliest = Some(earliest.map_or(d, |e| e.min(d)));
            }
            EVENTTYPE_FD_READ | EVENTTYPE_FD_WRITE => {
                host_fd(mem.read_u32(s + 16)?)?;
                nfds += 1;
            }
            _ => return Err(Errno::INVAL),
        }
    }

    // Pass 2: build the pollfd array and wait.
    let mut stack: [core::mem::MaybeUninit<PollFd<'static>>; STACK_FDS] =
        [const { core::mem::MaybeUninit::uninit() }; STACK_FDS];
    let mut scratch = Scratch::new(&mut stack, nfds)?;
    let fds = scratch.slice();
    let mut k = 0;
    for i in 0..n {
        let s = subs + i * layout.size;
        let tag = mem.read_u8(s + 8)?;
        if tag == EVENTTYPE_CLOCK {
            continue;
        }
        // SAFETY: the table owns the host descriptor until the guest closes
        // it, which cannot happen during this call (one thread).
        let fd = unsafe { BorrowedFd::borrow_raw(host_fd(mem.read_u32(s + 16)?)?) };
        let flags = if tag == EVENTTYPE_FD_READ {
            PollFlags::IN
        } else {
            PollFlags::OUT
        };
        fds[k].write(PollFd::from_borrowed_fd(fd, flags));
        k += 1;
    }
    // SAFETY: the first `nfds` entries were all written above.
    let fds: &mut [PollFd<'static>] = unsafe {
        &mut *(&mut fds[..nfds] as *mut [core::mem::MaybeUninit<PollFd<'static>>]
            as *mut [PollFd<'static>])
    };
    let ready = loop {
        let now = nanos(rustix::time::clock_gettime(ClockId::Monotonic));
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

    // Pass 3: report.
    let mut out = 0u32;
    let mut k = 0;
    // When nothing was ready the earliest clock has expired, even if the
    // clock reads a hair earlier than the deadline `ppoll` rounded.
    let now = nanos(rustix::time::clock_gettime(ClockId::Monotonic));
    let now = match earliest {
        Some(d) if ready == 0 => now.max(d),
        _ => now,
    };
    for i in 0..n {
        let s = subs + i * layout.size;
        let userdata = mem.read_u64(s)?;
        let tag = mem.read_u8(s + 8)?;
        let e = events + out * EVENT_SIZE;
        if tag == EVENTTYPE_CLOCK {
            if ready == 0 && deadline(&mem, layout, s, start)? <= now {
                write_event(&mut mem, e, userdata, tag, 0, 0)?;
                out += 1;
            }
            continue;
        }
        let revents = fds[k].revents();
        let fd = fds[k].as_fd();
        k += 1;
        if revents.is_empty() {
            continue;
        }
        let hangup = if revents.contains(PollFlags::HUP) {
            EVENT_FD_READWRITE_HANGUP
        } else {
            0
        };
        let nbytes = if tag == EVENTTYPE_FD_READ {
            readable(fd)
        } else {
            0
        };
        write_event(&mut mem, e, userdata, tag, nbytes, hangup)?;
        out += 1;
    }
    drop(scratch);
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

/// The host descriptor of guest descriptor `fd`.
fn host_fd(fd: u32) -> WasiResult<i32> {
    FDS.with(|t| Ok(t.get(fd)?.host))
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

/// Room for `n` `pollfd`s: the caller's stack array, or a mapping that is
/// unmapped on drop.
struct Scratch<'a> {
    ptr: *mut core::mem::MaybeUninit<PollFd<'static>>,
    len: usize,
    mapped: bool,
    _stack: core::marker::PhantomData<&'a mut ()>,
}

impl<'a> Scratch<'a> {
    fn new(
        stack: &'a mut [core::mem::MaybeUninit<PollFd<'static>>; STACK_FDS],
        n: usize,
    ) -> WasiResult<Scratch<'a>> {
        if n <= STACK_FDS {
            return Ok(Scratch {
                ptr: stack.as_mut_ptr(),
                len: n,
                mapped: false,
                _stack: core::marker::PhantomData,
            });
        }
        let bytes = n
            .checked_mul(core::mem::size_of::<PollFd<'static>>())
            .ok_or(Errno::NOMEM)?;
        let p = crate::sys::map_zeroed(bytes).ok_or(Errno::NOMEM)?;
        Ok(Scratch {
            ptr: p.cast(),
            len: n,
            mapped: true,
            _stack: core::marker::PhantomData,
        })
    }

    fn slice(&mut self) -> &mut [core::mem::MaybeUninit<PollFd<'static>>] {
        // SAFETY: `ptr` points to `len` slots (the stack array or our
        // mapping), exclusively borrowed through `self`.
        unsafe { core::slice::from_raw_parts_mut(self.ptr, self.len) }
    }
}

impl Drop for Scratch<'_> {
    fn drop(&mut self) {
        if self.mapped {
            // SAFETY: our own mapping of exactly this size, no longer used
            // (the slices borrowed from it ended with the call).
            let _ = unsafe {
                rustix::mm::munmap(
                    self.ptr.cast(),
                    self.len * core::mem::size_of::<PollFd<'static>>(),
                )
            };
        }
    }
}
