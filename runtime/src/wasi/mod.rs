//! WASI preview 1 (`wasi_snapshot_preview1`) host functions and the
//! capability set-up they rely on.
//!
//! Compiled code calls host functions through `ModuleInfo::func_import_slots`,
//! which [`init`] fills from each import's `wasi_id`. Host functions use the
//! C calling convention with exactly the wasm signature
//! (`WasiFunc::signature`): i32/i64 parameters, an i32 errno result.
//!
//! Layout: one file per area: [`args`] (arguments, environment), [`clock`]
//! (clocks, random, exit), [`poll`] (`poll_oneoff`), [`fd`] (descriptor
//! operations), [`path`] (path operations) over [`sandbox`] (resolution
//! beneath a preopen) and [`embedded`] (trees inside the executable), [`sock`] (granted sockets), [`unstable`] (the
//! `wasi_unstable` functions whose layouts differ), with [`guest`] (the
//! checked guest-memory accessor), [`scratch`] (host arrays sized by the
//! guest), [`fdtable`] and [`errno`] shared. Every function is
//! implemented; the two wasmtime does not support (`fd_fdstat_set_rights`,
//! `proc_raise`) return `ENOTSUP` as it does, and `fd_allocate`, which
//! wasmtime 49 refuses too, works as `posix_fallocate`.
//!
//! Capabilities (baked into the executable, see `Capabilities`): stdio,
//! arguments, clocks and random always; each `--tcplisten` socket preopened
//! at fds 3, 4, … in grant order, then each granted directory (wasmtime's
//! order), then each embedded tree ([`embedded`]); the environment only as
//! granted.
//!
//! `SIGPIPE` is ignored, as wasmtime does: writing to a closed pipe or
//! socket is an `EPIPE` the module sees, not the end of the process.
//!
//! State: each instance has one [`WasiState`] (its descriptor table and
//! argument and environment lists); host functions reach the calling
//! instance's through [`state`]. An executable has one instance, whose
//! state is a static. In a static library (`library` feature) it is the
//! instance's own, found from the stack the call runs on
//! (`library::current_wasi`); there the grants come from the
//! application's `NAME_config` ([`instance_grants`]) instead of the build,
//! and `SIGPIPE` is left as the application set it. The sandbox code is
//! the same for both.

#![cfg_attr(
    not(feature = "executable"),
    allow(
        dead_code,
        reason = "a library's grants have no sockets, embedded trees or build-time environment"
    )
)]

pub mod args;
pub mod clock;
#[cfg(feature = "library")]
pub mod config;
pub mod embedded;
pub mod errno;
pub mod fd;
pub mod fdtable;
pub mod guest;
pub mod path;
pub mod poll;
pub mod sandbox;
pub mod scratch;
pub mod sock;
pub mod unstable;

use rustix::fs::{Mode, OFlags};
use wasi_aot_abi::{ModuleInfo, Str, VMContext, WasiFns, WasiFunc};

#[cfg(feature = "executable")]
use self::args::Item;
use self::args::Lists;
use self::fdtable::{Entry, FdTable, Kind};
use crate::globals::Global;
#[cfg(feature = "executable")]
use crate::{meta, sys};

/// One instance's WASI state.
pub struct WasiState {
    pub fds: Global<FdTable>,
    pub lists: Global<Lists>,
}

impl WasiState {
    pub const fn new() -> WasiState {
        WasiState {
            fds: fdtable::new_table(),
            lists: args::new_lists(),
        }
    }
}

/// The executable's one instance's state.
#[cfg(feature = "executable")]
static STATE: WasiState = WasiState::new();

/// The calling instance's state.
#[cfg(feature = "executable")]
#[inline(always)]
pub fn state() -> &'static WasiState {
    &STATE
}

/// The calling instance's state.
#[cfg(not(feature = "executable"))]
#[inline(always)]
pub fn state() -> &'static WasiState {
    crate::library::current_wasi().0
}

/// The calling instance's context (its memory 0).
#[cfg(feature = "executable")]
#[inline(always)]
pub fn vmctx() -> *mut VMContext {
    crate::module::vmctx()
}

/// The calling instance's context (its memory 0).
#[cfg(not(feature = "executable"))]
#[inline(always)]
pub fn vmctx() -> *mut VMContext {
    crate::library::current_wasi().1
}

/// The module's description.
#[cfg(feature = "executable")]
pub fn module_info() -> &'static ModuleInfo {
    crate::module::module_info()
}

/// The module's description.
#[cfg(not(feature = "executable"))]
pub fn module_info() -> &'static ModuleInfo {
    crate::library::module_info()
}

/// Why an instance's WASI state cannot be set up.
pub enum StartError<'a> {
    NoMemory,
    /// An import no host function serves.
    Import(&'a [u8], &'a [u8]),
    /// A `--tcplisten` address that does not parse, or cannot be listened on.
    Address(&'a [u8]),
    Listen(&'a [u8], rustix::io::Errno),
    /// A granted directory that cannot be opened.
    Dir(&'a [u8], rustix::io::Errno),
    /// A stdio descriptor the application gave that cannot be duplicated.
    #[cfg(feature = "library")]
    Stdio(i32, rustix::io::Errno),
    Embedded(u32),
}

impl core::fmt::Display for StartError<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        fn text(b: &[u8]) -> &str {
            core::str::from_utf8(b).unwrap_or("?")
        }
        match self {
            StartError::NoMemory => write!(f, "out of memory"),
            StartError::Import(m, n) => write!(
                f,
                "the module imports `{}::{}`, which this runtime does not provide; {}",
                text(m),
                text(n),
                wasi_aot_abi::EXECUTABLE_IMPORTS
            ),
            StartError::Address(a) => write!(
                f,
                "--tcplisten '{}': expected IPV4:PORT or [IPV6]:PORT",
                text(a)
            ),
            StartError::Listen(a, e) => {
                write!(f, "cannot listen on '{}': {}", text(a), describe(*e))
            }
            StartError::Dir(d, e) => {
                write!(f, "cannot open directory '{}': {}", text(d), describe(*e))
            }
            #[cfg(feature = "library")]
            StartError::Stdio(fd, e) => {
                write!(f, "cannot use descriptor {fd} for stdio: {}", describe(*e))
            }
            StartError::Embedded(i) => write!(f, "embedded tree {i} is damaged"),
        }
    }
}

/// Fills the import slots with the host functions.
///
/// # Safety
/// `slots` has one writable word per import of `info`.
#[cfg(feature = "executable")]
unsafe fn fill_imports<'a>(info: &'a ModuleInfo, slots: *mut usize) -> Result<(), StartError<'a>> {
    for (i, imp) in meta::slice(info.func_imports).iter().enumerate() {
        let Some(f) = WasiFunc::ALL.get(imp.wasi_id as usize) else {
            return Err(StartError::Import(
                str_bytes(imp.module),
                str_bytes(imp.name),
            ));
        };
        // SAFETY: one word per import (caller).
        unsafe { *slots.add(i) = host_fn(*f) };
    }
    Ok(())
}

/// Puts a guest's stdio descriptor `fd` (0-2), owning `host`, in `t`.
pub fn put_stdio(
    t: &mut FdTable,
    fd: u32,
    host: rustix::fd::OwnedFd,
) -> Result<(), StartError<'static>> {
    let mut entry = Entry::new(Kind::Stdio, host);
    entry.stdin = fd == 0;
    t.insert_at(fd, entry).map_err(|_| StartError::NoMemory)
}

/// Preopens the host directory `host` as `guest` at descriptor `*next`,
/// and advances it.
pub fn put_dir<'a>(
    t: &mut FdTable,
    next: &mut u32,
    host: &'a [u8],
    guest: &'static [u8],
) -> Result<(), StartError<'a>> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let file = rustix::fs::openat(rustix::fs::CWD, host, flags, Mode::empty())
        .map_err(|e| StartError::Dir(host, e))?;
    let mut entry = Entry::new(Kind::Preopen, file);
    entry.name = guest;
    t.insert_at(*next, entry)
        .map_err(|_| StartError::NoMemory)?;
    *next += 1;
    Ok(())
}

/// The bytes of a string in the module's read-only data.
pub fn str_bytes(s: Str) -> &'static [u8] {
    if s.len == 0 {
        return &[];
    }
    // SAFETY: the compiler emits `len` bytes at `ptr` in read-only data that
    // lives for the whole process.
    unsafe { core::slice::from_raw_parts(s.ptr, s.len as usize) }
}

#[cfg(feature = "executable")]
/// Length of a NUL-terminated string.
///
/// # Safety
/// `p` must point to a NUL-terminated string that lives forever.
unsafe fn c_str(p: *const u8) -> &'static [u8] {
    let mut n = 0;
    // SAFETY: the caller guarantees a terminating NUL within the allocation.
    while unsafe { *p.add(n) } != 0 {
        n += 1;
    }
    // SAFETY: `n` bytes before the NUL are readable and immutable.
    unsafe { core::slice::from_raw_parts(p, n) }
}

#[cfg(feature = "executable")]
/// A `&'static mut [T]` of `n` zeroed items in fresh memory.
///
/// # Safety
/// All-zero bytes must be a valid `T`.
unsafe fn alloc_slice<T>(n: usize) -> &'static mut [T] {
    let Some(p) = sys::alloc_static(n * core::mem::size_of::<T>()) else {
        sys::cannot_start(format_args!("out of memory"));
    };
    // SAFETY: fresh zeroed mapping of `n` items (zero is valid per the
    // caller), 16-byte aligned, never freed or aliased.
    unsafe { core::slice::from_raw_parts_mut(p.cast(), n) }
}

/// Sets up arguments, environment and descriptors and fills the import
/// slots.
///
/// # Safety
/// Call once at start-up; `argv`/`envp` must be the kernel's vectors.
#[cfg(feature = "executable")]
pub unsafe fn init(
    info: &'static ModuleInfo,
    argc: usize,
    argv: *const *const u8,
    envp: *const *const u8,
) {
    // SAFETY: start-up, called once, as the caller promises.
    if let Err(e) = unsafe { init_state(info, argc, argv, envp) } {
        sys::cannot_start(format_args!("{e}"));
    }
}

/// [`init`]'s work, stopping at the first error.
///
/// # Safety
/// As for [`init`].
#[cfg(feature = "executable")]
unsafe fn init_state(
    info: &'static ModuleInfo,
    argc: usize,
    argv: *const *const u8,
    envp: *const *const u8,
) -> Result<(), StartError<'static>> {
    // SAFETY: the slot array has one word per import, writable.
    unsafe { fill_imports(info, info.func_import_slots)? };

    // Arguments (argv[0] replaced by the build's `--argv0`) and environment.
    let settings = &info.settings;
    let argv0 = (settings.has_argv0 != 0).then(|| str_bytes(settings.argv0));
    let nargs = if argv0.is_some() { argc.max(1) } else { argc };
    // SAFETY: start-up, called once.
    let args: &'static mut [Item] = unsafe { alloc_items(nargs) };
    for (i, a) in args.iter_mut().enumerate() {
        let name = match argv0 {
            Some(name) if i == 0 => name,
            // SAFETY: argv has `argc` valid NUL-terminated strings that
            // live on the initial stack for the whole process.
            _ => unsafe { c_str(*argv.add(i)) },
        };
        *a = Item { name, value: None };
    }
    let mut nenv = 0;
    // SAFETY: envp is a null-terminated array of NUL-terminated strings.
    while !unsafe { *envp.add(nenv) }.is_null() {
        nenv += 1;
    }
    // SAFETY: start-up, called once.
    let host: &'static mut [&'static [u8]] = unsafe { alloc_byte_slices(nenv) };
    for (i, h) in host.iter_mut().enumerate() {
        // SAFETY: as above.
        *h = unsafe { c_str(*envp.add(i)) };
    }
    let caps = &info.caps;
    let grants = meta::slice(caps.env);
    // SAFETY: start-up, called once.
    let env: &'static mut [Item] = unsafe { alloc_items(nenv + grants.len()) };
    let n = args::build_env(env, host, caps, grants);
    STATE.lists.with(|l| {
        l.args = args;
        l.env = &env[..n];
    });

    sys::ignore_sigpipe();

    // Descriptors: stdio, then sockets, then directories, then trees.
    STATE.fds.with(|t| {
        for fd in 0..3 {
            put_stdio(t, fd, fdtable::stdio(fd as i32))?;
        }
        let mut next = 3u32;
        for a in meta::slice(caps.tcp_listen) {
            let addr = str_bytes(*a);
            let sock = match sock::listen(addr) {
                Ok(s) => s,
                Err(sock::ListenError::BadAddress) => return Err(StartError::Address(addr)),
                Err(sock::ListenError::Host(e)) => return Err(StartError::Listen(addr, e)),
            };
            t.insert_at(next, Entry::new(Kind::Socket, sock))
                .map_err(|_| StartError::NoMemory)?;
            next += 1;
        }
        for d in meta::slice(caps.dirs) {
            put_dir(t, &mut next, str_bytes(d.host), str_bytes(d.guest))?;
        }
        for i in 0..meta::slice(caps.embeds).len() as u32 {
            let entry = embedded::preopen(i).ok_or(StartError::Embedded(i))?;
            t.insert_at(next, entry).map_err(|_| StartError::NoMemory)?;
            next += 1;
        }
        Ok(())
    })
}

#[cfg(feature = "executable")]
/// Allocates `n` items, each set to an empty argument.
///
/// # Safety
/// Call only at start-up.
unsafe fn alloc_items(n: usize) -> &'static mut [Item] {
    // SAFETY: `Item` contains references, for which zero is invalid; the
    // memory is viewed as `MaybeUninit` and every item is written before the
    // slice is formed.
    let raw: &'static mut [core::mem::MaybeUninit<Item>] = unsafe { alloc_slice(n) };
    for it in raw.iter_mut() {
        it.write(Item {
            name: &[],
            value: None,
        });
    }
    // SAFETY: every element was just initialised.
    unsafe { &mut *(raw as *mut [core::mem::MaybeUninit<Item>] as *mut [Item]) }
}

#[cfg(feature = "executable")]
/// Allocates `n` empty byte slices.
///
/// # Safety
/// Call only at start-up.
unsafe fn alloc_byte_slices(n: usize) -> &'static mut [&'static [u8]] {
    // SAFETY: as in `alloc_items`.
    let raw: &'static mut [core::mem::MaybeUninit<&'static [u8]>] = unsafe { alloc_slice(n) };
    for it in raw.iter_mut() {
        it.write(&[]);
    }
    // SAFETY: every element was just initialised.
    unsafe { &mut *(raw as *mut [core::mem::MaybeUninit<&'static [u8]>] as *mut [&'static [u8]]) }
}

/// A short description of a host error for start-up messages.
fn describe(e: rustix::io::Errno) -> &'static str {
    use rustix::io::Errno as E;
    match e {
        E::NOENT => "No such file or directory",
        E::NOTDIR => "Not a directory",
        E::ACCESS => "Permission denied",
        E::LOOP => "Too many levels of symbolic links",
        E::NAMETOOLONG => "File name too long",
        E::MFILE | E::NFILE => "Too many open files",
        E::ADDRINUSE => "Address already in use",
        E::ADDRNOTAVAIL => "Cannot assign requested address",
        E::AFNOSUPPORT => "Address family not supported",
        _ => "the system refused",
    }
}

/// The host functions, typed by the abi's list: a function whose signature
/// differs from its entry there does not compile.
static HOST: WasiFns = WasiFns {
    args_get: args::args_get,
    args_sizes_get: args::args_sizes_get,
    environ_get: args::environ_get,
    environ_sizes_get: args::environ_sizes_get,
    clock_res_get: clock::clock_res_get,
    clock_time_get: clock::clock_time_get,
    fd_advise: fd::fd_advise,
    fd_allocate: fd::fd_allocate,
    fd_close: fd::fd_close,
    fd_datasync: fd::fd_datasync,
    fd_fdstat_get: fd::fd_fdstat_get,
    fd_fdstat_set_flags: fd::fd_fdstat_set_flags,
    fd_fdstat_set_rights: fd::fd_fdstat_set_rights,
    fd_filestat_get: fd::fd_filestat_get,
    fd_filestat_set_size: fd::fd_filestat_set_size,
    fd_filestat_set_times: fd::fd_filestat_set_times,
    fd_pread: fd::fd_pread,
    fd_prestat_get: fd::fd_prestat_get,
    fd_prestat_dir_name: fd::fd_prestat_dir_name,
    fd_pwrite: fd::fd_pwrite,
    fd_read: fd::fd_read,
    fd_readdir: fd::fd_readdir,
    fd_renumber: fd::fd_renumber,
    fd_seek: fd::fd_seek,
    fd_sync: fd::fd_sync,
    fd_tell: fd::fd_tell,
    fd_write: fd::fd_write,
    path_create_directory: path::path_create_directory,
    path_filestat_get: path::path_filestat_get,
    path_filestat_set_times: path::path_filestat_set_times,
    path_link: path::path_link,
    path_open: path::path_open,
    path_readlink: path::path_readlink,
    path_remove_directory: path::path_remove_directory,
    path_rename: path::path_rename,
    path_symlink: path::path_symlink,
    path_unlink_file: path::path_unlink_file,
    poll_oneoff: poll::poll_oneoff,
    proc_exit: clock::proc_exit,
    proc_raise: clock::proc_raise,
    sched_yield: clock::sched_yield,
    random_get: clock::random_get,
    sock_accept: sock::sock_accept,
    sock_recv: sock::sock_recv,
    sock_send: sock::sock_send,
    sock_shutdown: sock::sock_shutdown,
    unstable_fd_seek: unstable::fd_seek,
    unstable_fd_filestat_get: unstable::fd_filestat_get,
    unstable_path_filestat_get: unstable::path_filestat_get,
    unstable_poll_oneoff: poll::unstable_poll_oneoff,
};

/// Address of the host implementation of `f`.
pub fn host_fn(f: WasiFunc) -> usize {
    HOST.address(f)
}
