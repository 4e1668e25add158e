//! The last arrow of the pipeline: object + runtime library → executable.
//!
//! The runtime static library is embedded in this binary at build time, so an
//! installed compiler needs nothing from its build tree. By default the
//! built-in linker ([`elf`], with one relocation table per architecture:
//! [`x86_64`], [`aarch64`]) links it with the module object in memory: no C toolchain is
//! needed. `--linker system` (or `--linker PROGRAM`) uses a system C compiler
//! driver (`$CC`, else `cc`, or PROGRAM) only as a linker front-end instead:
//! `-nostdlib -nostartfiles` — no C library, no start files; the runtime
//! brings its own `_start` and makes system calls directly. Either way the
//! result is a static, non-PIE executable with no interpreter and no shared
//! libraries.

mod aarch64;
mod elf;
mod x86_64;

use anyhow::{Context, Result, bail};
use object::write::StreamingBuffer;
use std::ffi::OsString;
use std::fs;
use std::io::{BufWriter, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use wasi_aot_compiler::{Arch, Object};

/// The architecture of the machine running this command (what `run`
/// builds for, and `build` by default).
pub const HOST_ARCH: Arch = if cfg!(target_arch = "aarch64") {
    Arch::Aarch64
} else {
    Arch::X86_64
};

/// The runtime library every x86-64 executable is linked with.
pub const RUNTIME_LIB: &[u8] = include_bytes!(env!("WASI_AOT_RUNTIME_LIB"));
/// The runtime library of aarch64 executables: empty when this tool was
/// built without an aarch64 Rust standard library (see `cli/build.rs`).
pub const AARCH64_RUNTIME_LIB: &[u8] = include_bytes!(env!("WASI_AOT_AARCH64_RUNTIME_LIB"));

/// The runtime library for `arch`, or the one-line reason there is none.
pub fn runtime_lib(arch: Arch) -> Result<&'static [u8]> {
    match arch {
        Arch::X86_64 => Ok(RUNTIME_LIB),
        Arch::Aarch64 if AARCH64_RUNTIME_LIB.is_empty() => bail!(
            "this wasi-aot was built without the aarch64 runtime: rebuild it with \
             the aarch64-unknown-linux-gnu Rust standard library installed \
             (`rustup target add aarch64-unknown-linux-gnu`, or \
             WASI_AOT_AARCH64_RUSTC naming a rustc that has it)"
        ),
        Arch::Aarch64 => Ok(AARCH64_RUNTIME_LIB),
    }
}

/// A scratch directory removed when dropped.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new() -> Result<ScratchDir> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let base = std::env::temp_dir();
        for _ in 0..100 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let dir = base.join(format!("wasi-aot-{}-{n}", std::process::id()));
            match fs::create_dir(&dir) {
                Ok(()) => return Ok(ScratchDir(dir)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(e).with_context(|| {
                        format!("cannot create a scratch directory in {}", base.display())
                    });
                }
            }
        }
        bail!("cannot create a scratch directory in {}", base.display())
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A temporary path next to `path`, for writing before an atomic rename.
/// Its name is short whatever `path`'s is: a name already as long as the
/// file system allows must still work.
fn temp_sibling(path: &Path) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".wasi-aot-{}-{n}.tmp", std::process::id()))
}

/// Writes `bytes` to `path` through a temporary file, `fsync` and a rename,
/// so `path` is either complete or untouched, also after a crash of the
/// system: the data reaches the disk before the name does.
pub fn write_atomically(path: &Path, bytes: &[u8], executable: bool) -> Result<()> {
    write_atomically_with(path, executable, |file| Ok(file.write_all(bytes)?))
}

/// [`write_atomically`] with the contents written by `write`, which is
/// handed the temporary file.
pub fn write_atomically_with(
    path: &Path,
    executable: bool,
    write: impl FnOnce(&mut fs::File) -> Result<()>,
) -> Result<()> {
    let tmp = TempFile(temp_sibling(path));
    let mut file = fs::File::create(&tmp.0).context("cannot create the output file")?;
    write(&mut file).context("cannot write the output file")?;
    if executable {
        file.set_permissions(fs::Permissions::from_mode(0o755))?;
    }
    file.sync_all().context("cannot write the output file")?;
    drop(file);
    // Once renamed, the temporary name is gone and dropping `tmp` removes
    // nothing.
    fs::rename(&tmp.0, path).context("cannot write the output file")?;
    // The rename itself is durable once the directory is synced; a
    // directory that cannot be opened for that is not an error.
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Ok(dir) = fs::File::open(parent.unwrap_or(Path::new("."))) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// A file removed when dropped.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// Writes `object` to the object file `path` ([`write_atomically`]).
pub fn write_object(object: &Object, path: &Path) -> Result<()> {
    write_atomically_with(path, false, |file| {
        Ok(object.write_to(BufWriter::new(file))?)
    })
}

/// Writes `object` to the scratch file `path`.
fn spill_object(object: &Object, path: &Path) -> Result<()> {
    let file = fs::File::create(path).context("cannot write the object file")?;
    object
        .write_to(BufWriter::new(file))
        .context("cannot write the object file")
}

/// What does the final link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Linker {
    /// The linker inside this tool.
    Builtin,
    /// A C compiler driver: the given program, else `$CC`, else `cc`.
    System(Option<OsString>),
}

impl Linker {
    /// Parses a `--linker` value: `builtin`, `system`, or a program.
    pub fn parse(text: &str) -> Result<Linker, String> {
        match text {
            "" => Err("expected `builtin`, `system` or a program".into()),
            "builtin" => Ok(Linker::Builtin),
            "system" => Ok(Linker::System(None)),
            program => Ok(Linker::System(Some(program.into()))),
        }
    }

    /// The system driver this linker runs, if it is one.
    pub fn program(&self) -> Option<OsString> {
        match self {
            Linker::Builtin => None,
            Linker::System(Some(program)) => Some(program.clone()),
            Linker::System(None) => Some(std::env::var_os("CC").unwrap_or_else(|| "cc".into())),
        }
    }
}

/// Links `object`, compiled for `arch`, with that architecture's runtime
/// into the executable `out`.
///
/// A big module's object is hundreds of megabytes, so it is never in
/// memory twice: it goes to a file (next to `out`: a scratch directory may
/// be a file system in memory) and the compiler's form of it is dropped
/// before the linker reads the file back; the executable is written into
/// its file as the linker lays it out.
pub fn link_executable(object: Object, out: &Path, linker: &Linker, arch: Arch) -> Result<()> {
    let runtime = runtime_lib(arch)?;
    match linker.program() {
        None => {
            let table = match arch {
                Arch::X86_64 => &x86_64::ARCH,
                Arch::Aarch64 => &aarch64::ARCH,
            };
            let spilled = TempFile(temp_sibling(out));
            spill_object(&object, &spilled.0)?;
            drop(object);
            let object = fs::read(&spilled.0).context("cannot read the object file back")?;
            drop(spilled);
            write_atomically_with(out, true, |file| {
                let mut buffer = StreamingBuffer::new(BufWriter::new(file));
                elf::link(table, &object, runtime, &mut buffer)?;
                buffer.result()?;
                buffer.into_inner().flush()?;
                Ok(())
            })
        }
        Some(cc) => link_with_system(object, runtime, out, &cc),
    }
}

/// Links through the C compiler driver `cc` (which must target the
/// object's architecture).
fn link_with_system(
    object: Object,
    runtime: &[u8],
    out: &Path,
    cc: &std::ffi::OsStr,
) -> Result<()> {
    let scratch = ScratchDir::new()?;
    let obj_path = scratch.0.join("module.o");
    let lib_path = scratch.0.join("libwasi_aot_runtime.a");
    spill_object(&object, &obj_path)?;
    drop(object);
    fs::write(&lib_path, runtime).context("cannot write the runtime library")?;
    let linked = scratch.0.join("a.out");

    let output = Command::new(cc)
        .args(link_args())
        .arg("-o")
        .arg(&linked)
        .arg(&obj_path)
        .arg(&lib_path)
        .output()
        .with_context(|| {
            format!(
                "cannot run the linker `{}` (install a C toolchain, or use the built-in linker)",
                cc.to_string_lossy()
            )
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message");
        bail!("linking failed ({}): {first}", output.status);
    }
    let mut linked = fs::File::open(&linked).context("cannot read the linked executable")?;
    write_atomically_with(out, true, |file| {
        std::io::copy(&mut linked, file)?;
        Ok(())
    })
}

/// Arguments for the linker driver, before `-o OUT OBJ LIB`. They are shown
/// in the README for users who link `--emit obj` output themselves.
pub fn link_args() -> [&'static str; 7] {
    [
        "-static",
        "-no-pie",
        "-nostdlib",
        "-nostartfiles",
        "-Wl,--gc-sections",
        "-Wl,-z,noexecstack",
        "-Wl,--build-id=none",
    ]
}
