//! The compile cache of `wasi-aot run`.
//!
//! An executable is stored under a key that hashes (SHA-256) everything that
//! can change it: the compiler's version, the embedded runtime library, the
//! module's bytes and the build options (CPU level, granted capabilities).
//! Entries are written through a temporary file and a rename, so concurrent
//! runs never see a partial executable.

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use wasi_aot_compiler::Options;

/// The cache directory: `$WASI_AOT_CACHE_DIR`, else `$XDG_CACHE_HOME/wasi-aot`,
/// else `$HOME/.cache/wasi-aot`.
fn cache_dir() -> Result<PathBuf> {
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

/// The cache key of `wasm` built with `options`.
pub fn key(wasm: &[u8], options: &Options) -> String {
    let mut hasher = Sha256::new();
    for part in [
        env!("CARGO_PKG_VERSION").as_bytes(),
        crate::link::RUNTIME_LIB,
        format!("{options:?}").as_bytes(),
        wasm,
    ] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Returns the cached executable for `wasm`, building it with `build` (which
/// writes the given path) on a miss.
pub fn executable_for(
    wasm: &[u8],
    options: &Options,
    build: impl FnOnce(&Path) -> Result<()>,
) -> Result<PathBuf> {
    let dir = cache_dir()?;
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the cache directory {}", dir.display()))?;
    let exe = dir.join(key(wasm, options));
    if !exe.is_file() {
        build(&exe)?;
    }
    Ok(exe)
}

/// Replaces this process with `exe`, whose argv[0] is the module's path as
/// the user wrote it. Returns only on failure.
pub fn exec(exe: &Path, module: &Path, args: &[String]) -> anyhow::Error {
    let error = std::process::Command::new(exe)
        .arg0(module)
        .args(args)
        .exec();
    anyhow::Error::new(error).context("cannot run the compiled program")
}
