//! The compile cache of `wasi-aot run`.
//!
//! An executable is stored under a key that hashes (SHA-256) everything that
//! can change it: this tool's own build (the compiler's version, and the
//! identity of the running `wasi-aot` binary: its size and modification
//! time, so a rebuilt or reinstalled tool never runs executables an older
//! one made), the embedded runtime library, the linker (the built-in one is
//! part of this tool; a system one is the driver it runs and the `ld` on
//! `PATH`, by resolved path, size and modification time),
//! the module's bytes and the build options (CPU level, capabilities,
//! limits).
//!
//! Entries are written through a temporary file, `fsync` and a rename
//! ([`crate::link::write_atomically`]), so a run never sees a partial
//! executable. Before an entry is executed it is checked to be a complete
//! ELF executable for this machine (every header and segment inside the
//! file); a
//! damaged entry (empty, truncated, overwritten) is rebuilt. It is executed
//! with `execv`, never `execvp`: a file the kernel refuses is an error, not
//! a shell script.
//!
//! The cache is bounded: after an entry is added, the least recently used
//! entries (by modification time, which a run refreshes) are removed until
//! the total size is within `$WASI_AOT_CACHE_SIZE` (default 256 MiB). The
//! entry just built is always kept. `wasi-aot cache list` shows the entries,
//! `wasi-aot cache clear` removes them.

use crate::link::Linker;
use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::ffi::{CString, OsStr};
use std::fs;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use wasi_aot_compiler::Options;

/// The default bound on the cache's total size.
pub const DEFAULT_MAX_SIZE: u64 = 256 << 20;

/// Temporary files older than this are left over from an interrupted build
/// and are removed when the cache is pruned.
const STALE_TEMP: Duration = Duration::from_secs(24 * 60 * 60);

/// The cache directory: `$WASI_AOT_CACHE_DIR`, else `$XDG_CACHE_HOME/wasi-aot`,
/// else `$HOME/.cache/wasi-aot`.
pub fn cache_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("WASI_AOT_CACHE_DIR") {
        return Ok(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir).join("wasi-aot"));
    }
    let home = std::env::var_os("HOME")
        .filter(|d| !d.is_empty())
        .context("no cache directory: set WASI_AOT_CACHE_DIR or HOME")?;
    Ok(PathBuf::from(home).join(".cache").join("wasi-aot"))
}

/// The bound on the cache's total size: `$WASI_AOT_CACHE_SIZE` (a size such
/// as `512M`), else [`DEFAULT_MAX_SIZE`].
pub fn max_size() -> Result<u64> {
    match std::env::var("WASI_AOT_CACHE_SIZE") {
        Ok(text) => crate::parse_size(&text)
            .map_err(|e| anyhow::anyhow!("invalid WASI_AOT_CACHE_SIZE `{text}`: {e}")),
        Err(std::env::VarError::NotPresent) => Ok(DEFAULT_MAX_SIZE),
        Err(std::env::VarError::NotUnicode(_)) => bail!("invalid WASI_AOT_CACHE_SIZE"),
    }
}

/// The cache key of `wasm` built with `options` and `linker` by this very
/// tool.
pub fn key(wasm: &[u8], options: &Options, linker: &Linker) -> String {
    let mut hasher = Sha256::new();
    for part in [
        env!("CARGO_PKG_VERSION").as_bytes(),
        &tool_identity(linker),
        crate::link::runtime_lib(options.cpu.arch()).unwrap_or_default(),
        format!("{options:?}").as_bytes(),
        wasm,
    ] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    // The options' `Debug` shows an embedded tree's length, not its bytes.
    for embed in &options.grants.embeds {
        hasher.update((embed.image.len() as u64).to_le_bytes());
        hasher.update(&embed.image);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What identifies the programs that make an executable besides the
/// version: the running binary and, for a system linker, the driver and
/// `ld`, each as its resolved path, size and modification time (the
/// built-in linker is part of the running binary). A rebuild or reinstall
/// changes them.
fn tool_identity(linker: &Linker) -> Vec<u8> {
    let mut id = Vec::new();
    let mut programs = vec![std::env::current_exe().ok()];
    match linker.program() {
        None => id.extend_from_slice(b"builtin\0"),
        Some(cc) => {
            id.extend_from_slice(b"system\0");
            programs.push(find_program(&cc));
            programs.push(find_program(OsStr::new("ld")));
        }
    }
    for program in programs {
        let Some(path) = program.and_then(|p| fs::canonicalize(p).ok()) else {
            id.extend_from_slice(b"?\0");
            continue;
        };
        id.extend_from_slice(path.as_os_str().as_bytes());
        id.push(0);
        if let Ok(meta) = fs::metadata(&path) {
            for n in [meta.size(), meta.mtime() as u64, meta.mtime_nsec() as u64] {
                id.extend_from_slice(&n.to_le_bytes());
            }
        }
    }
    id
}

/// `name` as the shell would find it: itself when it has a `/`, else the
/// first executable file of that name in a `PATH` directory.
fn find_program(name: &OsStr) -> Option<PathBuf> {
    if name.as_bytes().contains(&b'/') {
        return Some(PathBuf::from(name));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| fs::metadata(p).is_ok_and(|m| m.is_file() && m.mode() & 0o111 != 0))
}

/// Returns the cached executable for `wasm`, building it with `build` (which
/// writes the given path atomically) when there is none or it is damaged.
pub fn executable_for(
    wasm: &[u8],
    options: &Options,
    linker: &Linker,
    build: impl FnOnce(&Path) -> Result<()>,
) -> Result<PathBuf> {
    let dir = cache_dir()?;
    let max = max_size()?;
    fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the cache directory {}", dir.display()))?;
    let exe = dir.join(key(wasm, options, linker));
    if is_complete_executable(&exe) {
        // The modification time is the entry's last use, for pruning; a
        // failure to set it only makes the entry look older.
        if let Ok(file) = fs::File::open(&exe) {
            let _ = file.set_modified(SystemTime::now());
        }
        return Ok(exe);
    }
    build(&exe)?;
    prune(&dir, max, &exe);
    Ok(exe)
}

/// Whether `path` is a complete ELF executable for this machine's
/// architecture (`run` builds for it): the ELF header, the
/// program and section header tables and every segment's file bytes lie
/// inside the file. An empty, truncated or foreign file is not.
pub fn is_complete_executable(path: &Path) -> bool {
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let Ok(meta) = file.metadata() else {
        return false;
    };
    let len = meta.len();
    if !meta.is_file() || meta.mode() & 0o100 == 0 || len < 64 {
        return false;
    }
    let mut head = vec![0u8; len.min(64 * 1024) as usize];
    if file.read_exact(&mut head).is_err() {
        return false;
    }
    let u16_at = |at: usize| u64::from(u16::from_le_bytes([head[at], head[at + 1]]));
    let u64_at = |at: usize| {
        head.get(at..at + 8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
    };
    // Magic, 64-bit, little-endian, ELF version 1, an executable, this
    // machine (EM_AARCH64 or EM_X86_64).
    let machine = if cfg!(target_arch = "aarch64") {
        183
    } else {
        62
    };
    if head[..7] != *b"\x7fELF\x02\x01\x01" || u16_at(16) != 2 || u16_at(18) != machine {
        return false;
    }
    let (Some(phoff), Some(shoff)) = (u64_at(32), u64_at(40)) else {
        return false;
    };
    let (phentsize, phnum) = (u16_at(54), u16_at(56));
    let (shentsize, shnum) = (u16_at(58), u16_at(60));
    let table_end = |off: u64, size: u64, n: u64| off.checked_add(size * n);
    let (Some(ph_end), Some(sh_end)) = (
        table_end(phoff, phentsize, phnum),
        table_end(shoff, shentsize, shnum),
    ) else {
        return false;
    };
    if phnum == 0 || phentsize < 56 || ph_end > len || sh_end > len {
        return false;
    }
    // Every segment's file part is inside the file (the program headers are
    // near the start, in `head`).
    (0..phnum).all(|i| {
        let at = (phoff + i * phentsize) as usize;
        match (u64_at(at + 8), u64_at(at + 32)) {
            (Some(offset), Some(filesz)) => offset.checked_add(filesz).is_some_and(|e| e <= len),
            _ => false,
        }
    })
}

/// One cache entry: an executable named by its key.
pub struct Entry {
    pub path: PathBuf,
    pub size: u64,
    pub last_used: SystemTime,
}

/// Whether `name` is a cache key (64 lowercase hex digits).
fn is_key(name: &OsStr) -> bool {
    let b = name.as_bytes();
    b.len() == 64 && b.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether `name` is a temporary file of an atomic write.
fn is_temp(name: &OsStr) -> bool {
    let b = name.as_bytes();
    b.starts_with(b".wasi-aot-") && b.ends_with(b".tmp")
}

/// The entries in `dir`, least recently used first; a missing directory has
/// none.
pub fn entries(dir: &Path) -> Result<Vec<Entry>> {
    let read = match fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(e)
                .with_context(|| format!("cannot read the cache directory {}", dir.display()));
        }
    };
    let mut list = Vec::new();
    for item in read.flatten() {
        if !is_key(&item.file_name()) {
            continue;
        }
        let Ok(meta) = item.metadata() else { continue };
        if meta.is_file() {
            list.push(Entry {
                path: item.path(),
                size: meta.len(),
                last_used: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            });
        }
    }
    list.sort_by_key(|e| e.last_used);
    Ok(list)
}

/// Removes the least recently used entries of `dir` until the rest total at
/// most `max` bytes, keeping `keep`, and temporary files left over by
/// interrupted builds. Best effort: what cannot be removed stays.
fn prune(dir: &Path, max: u64, keep: &Path) {
    if let Ok(read) = fs::read_dir(dir) {
        let now = SystemTime::now();
        for item in read.flatten() {
            let stale = item
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > STALE_TEMP));
            if is_temp(&item.file_name()) && stale {
                let _ = fs::remove_file(item.path());
            }
        }
    }
    let Ok(list) = entries(dir) else { return };
    let mut total: u64 = list.iter().map(|e| e.size).sum();
    for entry in &list {
        if total <= max {
            break;
        }
        if entry.path != keep && fs::remove_file(&entry.path).is_ok() {
            total -= entry.size;
        }
    }
}

/// Removes every entry (and temporary file) of `dir`; returns how many
/// entries and bytes were removed.
pub fn clear(dir: &Path) -> Result<(usize, u64)> {
    let list = entries(dir)?;
    let (mut count, mut bytes) = (0, 0);
    for entry in &list {
        fs::remove_file(&entry.path)
            .with_context(|| format!("cannot remove {}", entry.path.display()))?;
        count += 1;
        bytes += entry.size;
    }
    if let Ok(read) = fs::read_dir(dir) {
        for item in read.flatten() {
            if is_temp(&item.file_name()) {
                let _ = fs::remove_file(item.path());
            }
        }
    }
    Ok((count, bytes))
}

/// Replaces this process with `exe`, whose argv[0] is `arg0`. Returns only
/// on failure. `execv` does not search `PATH` and, unlike `execvp`, never
/// hands a file the kernel cannot execute to the shell.
pub fn exec(exe: &Path, arg0: &OsStr, args: &[String]) -> anyhow::Error {
    let cstring = |bytes: &[u8]| CString::new(bytes).context("a NUL byte in an argument");
    let result = (|| -> Result<std::convert::Infallible> {
        let path = cstring(exe.as_os_str().as_bytes())?;
        let mut argv = vec![cstring(arg0.as_bytes())?];
        for arg in args {
            argv.push(cstring(arg.as_bytes())?);
        }
        Ok(nix::unistd::execv(&path, &argv)?)
    })();
    match result {
        Ok(never) => match never {},
        Err(e) => e.context("cannot run the compiled program"),
    }
}
