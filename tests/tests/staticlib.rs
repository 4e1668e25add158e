//! `wasi-aot build --emit staticlib`: modules as sandboxed static libraries
//! called from C programs built with the system `cc`.
//!
//! * `basic` (`tests/staticlib/basic.wat`, `basic_app.c`): two instances
//!   with their own globals and memories; traps (integer divide by zero,
//!   out of bounds, call stack exhausted, unreachable) return zeros and the
//!   message, and the instance works after; a host import gets its
//!   instance and user data; several results; the application's own
//!   `SIGSEGV` handler still gets a fault outside wasm. Linked as a default
//!   (PIE) executable, a static one, and inside a shared library.
//! * `import_calls_back` (`reentry.c`): an import calling its own instance,
//!   whose inner calls trap and return to it.
//! * `two_libraries` (`two_libs.c`): `basic` and `counter` (C built as a
//!   reactor without libc: `_initialize`, an allocator to exchange memory,
//!   a host import, `proc_exit`) in one program.
//! * `v128_values` (`vectors.wat`, `vectors.c`): v128 parameters and
//!   results and several results, of exports and of imports (called
//!   directly, through a table and as a tail call; arguments on the
//!   stack).
//! * `wasi_grants_per_instance` (`files.c` built with wasi-libc as a
//!   reactor, `files_app.c`): stdio, environment, arguments, files in a
//!   granted directory and `proc_exit`, three instances with different
//!   grants; the sandbox refuses `..`, absolute paths and a symlink out;
//!   `NAME_new`'s failure reasons.
//! * `arguments_in_registers_and_on_the_stack` (`args.wat`, `args.c`):
//!   exports with parameters in registers and beyond, results in rax and
//!   xmm0, an import with stack arguments calling back into its instance,
//!   exceptions caught in wasm and uncaught.
//! * `nested_calls_keep_their_instance` (`nested.c` built with wasi-libc,
//!   `nested_app.c`): calls nesting through the application from one
//!   instance into another and back keep their own instance's grants, and
//!   a nested call's exit returns to its caller.
//! * `threads` (`threads.c`): four threads calling four instances at
//!   once, traps (stack exhaustion included) on all of them.
//! * The archive and header are the same bytes for the same inputs, from
//!   any output and working directory; refused modules get one error line.
//! * `examples/c-library` (CMake) and `examples/rust-host` (Cargo) are
//!   built and run as a user would.

use std::path::{Path, PathBuf};
use std::process::Command;

use wasi_aot_tests::*;

fn staticlib_dir() -> PathBuf {
    repo_root().join("tests").join("staticlib")
}

/// `wasi-aot build <input> --emit staticlib -o <dir>/lib<name>.a --header
/// <dir>/<name>.h`; returns the archive.
fn build_lib(input: &Path, dir: &Path, name: &str) -> PathBuf {
    let lib = dir.join(format!("lib{name}.a"));
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("build")
        .arg(input)
        .args(["--emit", "staticlib", "--name", name, "-o"])
        .arg(&lib)
        .arg("--header")
        .arg(dir.join(format!("{name}.h")));
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status_code(),
        Some(0),
        "building {name} failed: {}",
        out.stderr_str()
    );
    lib
}

/// The `counter` module: `counter.c` built as a reactor without libc.
fn counter_wasm(dir: &Path) -> PathBuf {
    ensure_programs_built();
    let wasm = dir.join("counter.wasm");
    let out = Command::new("clang-19")
        .args([
            "--target=wasm32-wasi",
            "-O2",
            "-nostdlib",
            "-mexec-model=reactor",
            "-Wl,--no-entry",
        ])
        .arg(staticlib_dir().join("counter.c"))
        .arg("-o")
        .arg(&wasm)
        .output()
        .expect("running clang-19");
    assert!(
        out.status.success(),
        "clang-19: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    wasm
}

/// Runs `cc args...` in `dir`.
fn cc(dir: &Path, args: &[&str]) {
    let out = Command::new("cc")
        .current_dir(dir)
        // The generated header's prototypes must match the definitions.
        .args([
            "-O2",
            "-I.",
            "-Werror=incompatible-pointer-types",
            "-Werror=implicit-function-declaration",
        ])
        .args(args)
        .output()
        .expect("running cc");
    assert!(
        out.status.success(),
        "cc {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn run(program: &Path) -> Output {
    run_with_timeout(Command::new(program), &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"))
}

/// Builds `staticlib/LIB.wat` into `libLIB.a` in a new directory, links the
/// application `staticlib/APP` with it (`flags` first) and runs it.
fn build_link_run(lib: &str, app: &str, flags: &[&str]) -> Output {
    let dir = TempDir::new(&format!("staticlib-{}", app.trim_end_matches(".c")));
    build_lib(&staticlib_dir().join(format!("{lib}.wat")), dir.path(), lib);
    let app = staticlib_dir().join(app);
    let archive = format!("lib{lib}.a");
    let mut args = flags.to_vec();
    args.extend([app.to_str().unwrap(), &archive, "-o", "app"]);
    cc(dir.path(), &args);
    run(&dir.path().join("app"))
}

const BASIC_OUTPUT: &str = "\
add 5
div 0: integer divide by zero
div 3: none
globals 3 1
memories 42 0
load 0: out of bounds memory access
recurse 0: call stack exhausted
recurse 0: call stack exhausted
unreachable: unreachable executed
import 10, user data 5 0
import 14, user data 5 7
f64 6: none
results 77 1.5
memory 65536 bytes, [100] = 42
add 5: none
";

const BASIC_MAIN_OUTPUT: &str = "application handler\n";

fn check_basic(out: &Output, how: &str) {
    assert_eq!(
        out.stdout_str(),
        format!("{BASIC_OUTPUT}{BASIC_MAIN_OUTPUT}"),
        "{how}: {}",
        out.stderr_str()
    );
    assert_eq!(
        out.status_code(),
        Some(3),
        "the application's handler exits 3"
    );
}

#[test]
fn basic_pie() {
    check_basic(&build_link_run("basic", "basic_app.c", &[]), "PIE");
}

#[test]
fn basic_static() {
    check_basic(
        &build_link_run("basic", "basic_app.c", &["-static"]),
        "static",
    );
}

#[test]
fn basic_in_shared_library() {
    let dir = TempDir::new("staticlib-shared");
    build_lib(&staticlib_dir().join("basic.wat"), dir.path(), "basic");
    let shared = staticlib_dir().join("shared.c");
    cc(
        dir.path(),
        &[
            "-fPIC",
            "-shared",
            shared.to_str().unwrap(),
            "libbasic.a",
            "-o",
            "libshared.so",
        ],
    );
    let dynamic = Command::new("readelf")
        .arg("-d")
        .arg(dir.path().join("libshared.so"))
        .output()
        .expect("running readelf");
    assert!(
        !String::from_utf8_lossy(&dynamic.stdout).contains("TEXTREL"),
        "the shared library has text relocations"
    );
    let main = staticlib_dir().join("shared_main.c");
    let rpath = format!("-Wl,-rpath,{}", dir.path().display());
    cc(
        dir.path(),
        &[
            main.to_str().unwrap(),
            "-L.",
            "-lshared",
            &rpath,
            "-o",
            "app",
        ],
    );
    let out = run(&dir.path().join("app"));
    assert_eq!(out.stdout_str(), BASIC_OUTPUT, "{}", out.stderr_str());
    assert_eq!(out.status_code(), Some(0));
}

#[test]
fn import_calls_back() {
    let out = build_link_run("basic", "reentry.c", &[]);
    assert_eq!(
        out.stdout_str(),
        "\
inner div 0: integer divide by zero
inner import 4: none
inner recurse 0: call stack exhausted
outer 11: none
after 3: none
",
        "{}",
        out.stderr_str()
    );
}

#[test]
fn two_libraries() {
    let dir = TempDir::new("staticlib-two");
    build_lib(&staticlib_dir().join("basic.wat"), dir.path(), "basic");
    build_lib(&counter_wasm(dir.path()), dir.path(), "counter");
    let app = staticlib_dir().join("two_libs.c");
    cc(
        dir.path(),
        &[
            app.to_str().unwrap(),
            "libbasic.a",
            "libcounter.a",
            "-o",
            "app",
        ],
    );
    let out = run(&dir.path().join("app"));
    assert_eq!(
        out.stdout_str(),
        "\
next 101 102 101
basic 42 1001
upcase \"HELLO, LIBRARY\", checksum 929279266
other instance's byte: 0
mix 3.75
imports 90, calls 0 2
quit: exit with status 7
divide 0: integer divide by zero
divide 3: none, next 103
",
        "{}",
        out.stderr_str()
    );
    assert_eq!(out.status_code(), Some(0));
}

/// The `files` library: `files.c` built as a reactor with wasi-libc.
fn files_wasm(dir: &Path) -> PathBuf {
    reactor_wasm(dir, "files")
}

/// `staticlib/NAME.c` built as a reactor with wasi-libc into `dir`.
fn reactor_wasm(dir: &Path, name: &str) -> PathBuf {
    ensure_programs_built();
    let wasm = dir.join(format!("{name}.wasm"));
    let out = Command::new("clang-19")
        .args(["--target=wasm32-wasi", "-O2", "-mexec-model=reactor"])
        .arg(staticlib_dir().join(format!("{name}.c")))
        .arg("-o")
        .arg(&wasm)
        .output()
        .expect("running clang-19");
    assert!(
        out.status.success(),
        "clang-19: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    wasm
}

#[test]
fn wasi_grants_per_instance() {
    let dir = TempDir::new("staticlib-wasi");
    build_lib(&files_wasm(dir.path()), dir.path(), "files");
    let app = staticlib_dir().join("files_app.c");
    cc(
        dir.path(),
        &[app.to_str().unwrap(), "libfiles.a", "-o", "app"],
    );
    let root = dir.path();
    for (d, text) in [("a", "first instance's file\n"), ("b", "second's\n")] {
        std::fs::create_dir(root.join(d)).unwrap();
        std::fs::write(root.join(d).join("in.txt"), text).unwrap();
    }
    std::fs::write(root.join("secret.txt"), "secret\n").unwrap();
    std::os::unix::fs::symlink("..", root.join("a").join("link")).unwrap();
    let mut cmd = Command::new(root.join("app"));
    cmd.arg(root.join("a"))
        .arg(root.join("b"))
        .arg(root.join("b.out"));
    let out = run_with_timeout(cmd, &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.stdout_str(),
        "\
hello alice
a greet: 5
b greet: 3
hello (unset)
c greet: -1
args 2, last \"first\"
a args: 2
args 0, last \"\"
c args: 0
/data/in.txt: first instance's file
a read: 21
b read: 8
a write: 0
/data/out.txt: from a
a read back: 6
b read a's: -44
open /data/../secret.txt: Operation not permitted
a escape: -63
open /secret.txt: Capabilities insufficient
a absolute: -76
open /data/link/secret.txt: Operation not permitted
a symlink: -63
open /data/in.txt: Capabilities insufficient
c read: -76
b quit: 0, trap: exit with status 3
b greet again: 3
missing dir: NULL, cannot open directory '/nonexistent/dir': No such file or directory
bad descriptor: NULL, cannot use desc
",
        "{}",
        out.stderr_str()
    );
    assert_eq!(out.stderr_str(), "quitting with 3\n");
    assert_eq!(
        std::fs::read_to_string(root.join("b.out")).unwrap(),
        "hello bob\n/data/in.txt: second's\nopen /data/out.txt: No such file or directory\nhello bob\n"
    );
    assert_eq!(out.status_code(), Some(0));
}

/// Calls nesting through the application from one instance into another
/// and back: every call, at any depth, runs its WASI calls with its own
/// instance's grants, and an exit of a nested call returns to the
/// application code that made it.
#[test]
fn nested_calls_keep_their_instance() {
    let dir = TempDir::new("staticlib-nested");
    build_lib(&reactor_wasm(dir.path(), "nested"), dir.path(), "nested");
    let app = staticlib_dir().join("nested_app.c");
    cc(
        dir.path(),
        &[app.to_str().unwrap(), "libnested.a", "-o", "app"],
    );
    let root = dir.path();
    for d in ["a", "b"] {
        std::fs::create_dir(root.join(d)).unwrap();
        std::fs::write(root.join(d).join("id.txt"), format!("{d} instance\n")).unwrap();
    }
    let mut cmd = Command::new(root.join("app"));
    cmd.arg(root.join("a")).arg(root.join("b"));
    let out = run_with_timeout(cmd, &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.stdout_str(),
        "\
a alone: \"a\", none
b alone: \"b\", none
  b exits at depth 0: 0, exit with status 7
a, b: \"ab\", none
  a exits at depth 0: 0, exit with status 7
a, b, a: \"aba\", none
  a exits at depth 0: 0, exit with status 7
b, a, b, a: \"baba\", none
  a exits at depth 0: 0, exit with status 7
a, b, b, a: \"abba\", none
a again: \"a\", none
",
        "{}",
        out.stderr_str()
    );
    assert_eq!(out.status_code(), Some(0));
}

/// Signatures around the C calling convention's registers: the export
/// call routine's register path (up to five integer and eight float
/// parameters, a result in rax or xmm0, zero after a trap) and the
/// trampoline path beyond it, and an import with stack arguments that calls
/// back into its instance (one call returning, one trapping, one throwing).
/// An exception caught in wasm resumes its handler with the instance's
/// pinned register (before, the handler ran with whatever the runtime's
/// search had left in r15, and crashed).
#[test]
fn arguments_in_registers_and_on_the_stack() {
    let out = build_link_run("args", "args.c", &[]);
    assert_eq!(
        out.stdout_str(),
        "\
five 55
six 91
eight 204
nine 285
fsub 1.25
half 25: none
half 0: integer divide by zero
throws 0: uncaught exception
catches 104: none
inner five 55, half 0: integer divide by zero
inner throws 0: uncaught exception
call_many 55140770: none
five -55: none
",
        "{}",
        out.stderr_str()
    );
    assert_eq!(out.status_code(), Some(0));
}

#[test]
fn threads() {
    let out = build_link_run("basic", "threads.c", &["-pthread"]);
    assert_eq!(
        out.stdout_str(),
        "\
thread 1: 0 errors, 2000 host calls
thread 2: 0 errors, 2000 host calls
thread 3: 0 errors, 2000 host calls
thread 4: 0 errors, 2000 host calls
",
        "{}",
        out.stderr_str()
    );
    assert_eq!(out.status_code(), Some(0));
}

#[test]
fn v128_values() {
    let out = build_link_run("vectors", "vectors.c", &[]);
    assert_eq!(
        out.stdout_str(),
        "160000000b 2c00000021\n10 40\n0 integer divide by zero\n\
         scale 600000003 c00000009\n\
         divmod 3 2, -3 -1, 14 2\n\
         mix 6.5 10 22\n\
         many 128 193\n\
         wrong instance 0, trap none\n",
        "{}",
        out.stderr_str()
    );
}

/// The archive and the header are the same bytes for the same module and
/// options, whatever the output directory and the working directory (a
/// relative input path in one build, an absolute one in the other).
#[test]
fn outputs_are_deterministic() {
    let dir = TempDir::new("staticlib-det");
    let input = staticlib_dir().join("basic.wat");
    let build_in = |cwd: &Path, input: &Path, out: &Path| {
        std::fs::create_dir_all(cwd).unwrap();
        std::fs::create_dir_all(out).unwrap();
        let mut cmd = Command::new(wasi_aot_bin());
        cmd.current_dir(cwd)
            .arg("build")
            .arg(input)
            .args(["--emit", "staticlib", "--name", "basic", "-o"])
            .arg(out.join("libbasic.a"))
            .arg("--header")
            .arg(out.join("basic.h"));
        let run = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(run.status_code(), Some(0), "{}", run.stderr_str());
        (
            std::fs::read(out.join("libbasic.a")).unwrap(),
            std::fs::read(out.join("basic.h")).unwrap(),
        )
    };
    let (archive, header) = build_in(
        &staticlib_dir(),
        Path::new("basic.wat"),
        &dir.path().join("one"),
    );
    let (archive2, header2) = build_in(
        &dir.path().join("elsewhere"),
        &input,
        &dir.path().join("two").join("deeper"),
    );
    assert!(archive == archive2, "two builds of the archive differ");
    assert!(header == header2, "two builds of the header differ");
}

/// Commands run by the example tests: output captured, failure shown.
fn run_step(what: &str, mut cmd: Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what}: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `examples/c-library` built as a user would: CMake configures and builds
/// it (clang-19 compiles the C library to wasm, wasi-aot makes the archive
/// and header, the application links the imported library target), and the
/// application checks what its two instances computed.
#[test]
fn example_c_library_with_cmake() {
    ensure_programs_built();
    let dir = TempDir::new("example-c-library");
    let source = repo_root().join("examples").join("c-library");
    let mut configure = Command::new("cmake");
    configure
        .arg("-S")
        .arg(&source)
        .arg("-B")
        .arg(dir.path())
        .arg(format!("-DWASI_AOT={}", wasi_aot_bin().display()));
    run_step("cmake configure", configure);
    let mut build = Command::new("cmake");
    build.arg("--build").arg(dir.path());
    run_step("cmake --build", build);
    let out = run(&dir.path().join("app"));
    assert_eq!(
        out.stdout_str(),
        "\
a: words in the first text: 9
a: words in the second text: 5
b: words in its text: 4
a: total: 14
b: total: 4
a: longest word: Sandboxed
b: longest word: instance
",
        "{}",
        out.stderr_str()
    );
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
}

/// `examples/rust-host` built as a user would: `cargo build` in its own
/// workspace and target directory, its build.rs running wasi-aot (named by
/// `WASI_AOT`) and linking the archive; the program checks its results.
#[test]
fn example_rust_host_with_cargo() {
    let dir = TempDir::new("example-rust-host");
    let manifest = repo_root()
        .join("examples")
        .join("rust-host")
        .join("Cargo.toml");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    // The outer build's settings are not the example's.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().into_owned();
        if name.starts_with("CARGO_") && name != "CARGO_HOME"
            || name.starts_with("RUST") && name != "RUSTUP_HOME" && name != "RUSTUP_TOOLCHAIN"
        {
            build.env_remove(name);
        }
    }
    build
        .current_dir(dir.path())
        .args([
            "build",
            "--release",
            "--offline",
            "--locked",
            "--manifest-path",
        ])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(dir.path().join("target"))
        .env("WASI_AOT", wasi_aot_bin());
    run_step("cargo build", build);
    let out = run(&dir.path().join("target").join("release").join("rust-host"));
    assert_eq!(
        out.stdout_str(),
        "\
a: fletcher16(abcde): 0xc8f0
b: fletcher16 of 10000 ones, stopped after 8192: 0x1220
calls: a 1, b 1
a: 7 / 0: 0, Some(\"integer divide by zero\")
a: 7 / 2: 3, None
progress reports: a 0, b 2
",
        "{}",
        out.stderr_str()
    );
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
}

/// Builds `wat` as a static library and returns the failure's one line.
fn refusal(wat: &str, extra: &[&str]) -> String {
    let dir = TempDir::new("staticlib-refusal");
    let input = dir.path().join("refused.wat");
    std::fs::write(&input, wat).unwrap();
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("build")
        .arg(&input)
        .args(["--emit", "staticlib", "-o"])
        .arg(dir.path().join("librefused.a"))
        .args(extra);
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(1), "{}", out.stderr_str());
    let stderr = out.stderr_str();
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(!dir.path().join("librefused.a").exists());
    stderr
}

#[test]
fn refusals() {
    let clash = refusal(r#"(module (func (export "new")))"#, &[]);
    assert!(clash.contains("refused_new"), "{clash}");
    for api in ["dir", "thread_init", "thread_free"] {
        let clash = refusal(&format!(r#"(module (func (export "{api}")))"#), &[]);
        assert!(clash.contains(&format!("refused_{api}")), "{clash}");
    }
    let clash = refusal(
        r#"(module (func (export "a-b")) (func (export "a.b")))"#,
        &[],
    );
    assert!(clash.contains("refused_a_b"), "{clash}");
    let name = refusal("(module)", &["--name", "not a name"]);
    assert!(name.contains("not a C identifier"), "{name}");
    let grant = refusal("(module)", &["--dir", "."]);
    assert!(
        grant.contains("do not apply to --emit staticlib"),
        "{grant}"
    );
    let clash = refusal(
        r#"(module (import "a" "b" (func (result i32 i32))) (import "a" "b_results" (func)))"#,
        &[],
    );
    assert!(clash.contains("refused_import_a_b_results"), "{clash}");
    let global = refusal(r#"(module (import "env" "g" (global i32)))"#, &[]);
    assert!(global.contains("may import only functions"), "{global}");
}
