//! Clocks, randomness, scheduling and the process: `clock_res_get`,
//! `clock_time_get`, `random_get`, `sched_yield`, `proc_exit`, `proc_raise`.
//! (`poll_oneoff` waits on clocks too; it lives in [`super::poll`].)

use rustix::time::{ClockId, Timespec};

use super::errno::{Errno, WasiResult, ret};
use super::guest::GuestMemory;

/// WASI clock ids: realtime, monotonic, process and thread CPU time.
pub fn clock(id: i32) -> WasiResult<ClockId> {
    Ok(match id {
        0 => ClockId::Realtime,
        1 => ClockId::Monotonic,
        2 => ClockId::ProcessCPUTime,
        3 => ClockId::ThreadCPUTime,
        _ => return Err(Errno::INVAL),
    })
}

pub fn nanos(t: Timespec) -> u64 {
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

/// [`proc_raise`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-proc_raisesig-signal---result-errno):
/// not supported, as under wasmtime (the function was removed from WASI:
/// signals have no portable meaning for a sandboxed module).
///
/// Errors: always `ENOTSUP`.
pub extern "C" fn proc_raise(_sig: i32) -> i32 {
    Errno::NOTSUP.0 as i32
}
