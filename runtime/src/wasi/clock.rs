//! Clocks, randomness, scheduling and process exit: `clock_res_get`,
//! `clock_time_get`, `random_get`, `sched_yield`, `poll_oneoff` (clock
//! subscriptions; descriptor subscriptions report ready at once),
//! `proc_exit`.

use rustix::time::{ClockId, Timespec};

use super::errno::{Errno, WasiResult, ret};
use super::guest::GuestMemory;

/// WASI clock ids: realtime, monotonic, process and thread CPU time.
fn clock(id: i32) -> WasiResult<ClockId> {
    Ok(match id {
        0 => ClockId::Realtime,
        1 => ClockId::Monotonic,
        2 => ClockId::ProcessCPUTime,
        3 => ClockId::ThreadCPUTime,
        _ => return Err(Errno::INVAL),
    })
}

fn nanos(t: Timespec) -> u64 {
    (t.tv_sec as u64)
        .wrapping_mul(1_000_000_000)
        .wrapping_add(t.tv_nsec as u64)
}

/// [`clock_res_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-clock_res_getid-clockid---resulttimestamp-errno):
/// writes the resolution of clock `id` in nanoseconds (u64) to `res_ptr`.
///
/// Errors: `EINVAL` for an unknown clock, `EFAULT`.
pub extern "C" fn clock_res_get(id: i32, res_ptr: i32) -> i32 {
    ret((|| {
        let c = clock(id)?;
        GuestMemory::get().write_u64(res_ptr as u32, nanos(rustix::time::clock_getres(c)).max(1))
    })())
}

/// [`clock_time_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-clock_time_getid-clockid-precision-timestamp---resulttimestamp-errno):
/// writes the time of clock `id` in nanoseconds (u64) to `time_ptr`;
/// `precision` is a hint and ignored.
///
/// Errors: `EINVAL` for an unknown clock, `EFAULT`.
pub extern "C" fn clock_time_get(id: i32, _precision: i64, time_ptr: i32) -> i32 {
    ret((|| {
        let c = clock(id)?;
        GuestMemory::get().write_u64(time_ptr as u32, nanos(rustix::time::clock_gettime(c)))
    })())
}

/// [`random_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-random_getbuf-pointeru8-buf_len-size---result-errno):
/// fills `[buf, buf + len)` with random bytes from the kernel (`getrandom`).
///
/// Errors: `EFAULT`, `EIO` when the kernel cannot deliver.
pub extern "C" fn random_get(buf: i32, len: i32) -> i32 {
    ret((|| {
        let mut mem = GuestMemory::get();
        let mut out = mem.bytes_mut(buf as u32, len as u32)?;
        while !out.is_empty() {
            match rustix::rand::getrandom(&mut *out, rustix::rand::GetRandomFlags::empty()) {
                Ok(n) => out = &mut out[n..],
                Err(rustix::io::Errno::INTR) => {}
                Err(_) => return Err(Errno::IO),
            }
        }
        Ok(())
    })())
}

/// [`sched_yield`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-sched_yield---result-errno):
/// yields the processor. Never fails.
pub extern "C" fn sched_yield() -> i32 {
    rustix::thread::sched_yield();
    0
}

/// [`proc_exit`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-proc_exitrval-exitcode):
/// ends the process with status `code` (the low 8 bits, as on Linux).
pub extern "C" fn proc_exit(code: i32) {
    crate::sys::exit(code)
}

/// Size of a `subscription` and an `event`.
const SUBSCRIPTION_SIZE: u32 = 48;
const EVENT_SIZE: u32 = 32;

/// [`poll_oneoff`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-poll_oneoffin-constpointersubscription-out-pointerevent-nsubscriptions-size---resultsize-errno):
/// waits for the earliest clock subscription and reports it; descriptor
/// subscriptions (read/write readiness) are reported ready at once, which is
/// what a blocking read or write then does anyway.
///
/// ```text
/// subscription (48 bytes): userdata u64 @0, tag u8 @8,
///   clock: id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40
///   fd_read/fd_write: fd u32 @16
/// event (32 bytes): userdata u64 @0, error u16 @8, type u8 @10,
///   nbytes u64 @16, flags u16 @24
/// ```
///
/// Errors: `EINVAL` for zero subscriptions or an unknown clock, `EFAULT`.
pub extern "C" fn poll_oneoff(subs: i32, events: i32, n: i32, nevents_ptr: i32) -> i32 {
    ret((|| {
        let mut mem = GuestMemory::get();
        let (subs, events, n) = (subs as u32, events as u32, n as u32);
        if n == 0 {
            return Err(Errno::INVAL);
        }
        mem.check_range(subs, n as u64 * SUBSCRIPTION_SIZE as u64)?;
        mem.check_range(events, n as u64 * EVENT_SIZE as u64)?;
        let mut ready = 0u32;
        // Earliest absolute deadline (monotonic ns) and its subscription.
        let mut earliest: Option<(u64, u32, ClockId)> = None;
        for i in 0..n {
            let s = subs + i * SUBSCRIPTION_SIZE;
            let tag = mem.read_u8(s + 8)?;
            match tag {
                0 => {
                    let c = clock(mem.read_u32(s + 16)? as i32)?;
                    let timeout = mem.read_u64(s + 24)?;
                    let abs = mem.read_u16(s + 40)? & 1 != 0;
                    let deadline = if abs {
                        timeout
                    } else {
                        nanos(rustix::time::clock_gettime(c)).saturating_add(timeout)
                    };
                    if earliest.is_none_or(|(d, ..)| deadline < d) {
                        earliest = Some((deadline, i, c));
                    }
                }
                1 | 2 => {
                    let e = events + ready * EVENT_SIZE;
                    let userdata = mem.read_u64(s)?;
                    write_event(&mut mem, e, userdata, 0, tag)?;
                    ready += 1;
                }
                _ => return Err(Errno::INVAL),
            }
        }
        if ready == 0
            && let Some((deadline, i, c)) = earliest
        {
            let ts = Timespec {
                tv_sec: (deadline / 1_000_000_000) as i64,
                tv_nsec: (deadline % 1_000_000_000) as i64,
            };
            while let Err(e) = rustix::thread::clock_nanosleep_absolute(c, &ts) {
                if e != rustix::io::Errno::INTR {
                    break;
                }
            }
            let s = subs + i * SUBSCRIPTION_SIZE;
            let userdata = mem.read_u64(s)?;
            write_event(&mut mem, events, userdata, 0, 0)?;
            ready = 1;
        }
        mem.write_u32(nevents_ptr as u32, ready)
    })())
}

fn write_event(mem: &mut GuestMemory, e: u32, userdata: u64, error: u16, ty: u8) -> WasiResult {
    mem.write_bytes(e, &[0; EVENT_SIZE as usize])?;
    mem.write_u64(e, userdata)?;
    mem.write_u16(e + 8, error)?;
    mem.write_u8(e + 10, ty)
}
