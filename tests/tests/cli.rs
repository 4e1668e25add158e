//! Hostile input to the `wasi-aot` command and to the programs it builds.
//!
//! * Paths: an output in a missing directory, under a file, in a place no
//!   one can write, an output that is a directory, empty, or a name of 255
//!   bytes; an input that is a directory, `-`, endless (`/dev/zero`), or
//!   named with a line break and an escape sequence; a cache directory that
//!   is a file; a system linker that fails. Each refusal is one `error:` line
//!   naming the path, exit status 1, and nothing left behind — no output,
//!   no temporary file, no cache entry.
//! * Names from the module: import names with control characters (printed
//!   escaped), function names equal to other functions' symbols.
//! * Huge declared sizes: a memory of 65,536 pages, a table of 10 million
//!   elements, 50,000 locals, blocks nested 10,000 deep, a `br_table` of
//!   100,000 targets, a 1 MB function body, 200,000 distinct types,
//!   100,000 data and 20,000 element segments. Each
//!   builds and runs correctly (or is refused at start-up with one line),
//!   and the build takes seconds, not minutes.
//! * Truncated declarations (a data segment longer than the module, a count
//!   of a billion functions) and a one-line text file of megabytes with a
//!   syntax error: a clean, short error.
//! * Run time: `memory.grow` to the 4 GiB maximum and past it, and a C
//!   program calling `malloc` until it fails; both exit by themselves.
//! * `--target-cpu native` builds for the CPU of the machine running it; a
//!   long build shows a progress line on a terminal only.
//! * The `run` cache: damaged entries (empty, truncated, a shell script)
//!   are rebuilt, never run; the key changes with the tool's own build and
//!   the linker; the size bound, `wasi-aot cache list` and `clear`.
//! * Limits: `--max-memory`, `--max-wasm-stack` on `build` and `run`;
//!   start-up failures (`ulimit -v`, a missing directory) are one line and
//!   exit status 70; `--argv0`.
//! * A WASI preview 2 component and refused imports are explained; the
//!   release build of the tool has no debug information.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use wasi_aot_tests::*;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// `wasi-aot build <input> -o <output> [extra]`.
fn build(input: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("build")
        .arg(input)
        .arg("-o")
        .arg(output)
        .args(extra);
    run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"))
}

/// Checks a failure: exit status 1, one stderr line starting with `error:`
/// and containing `names`, no panic, nothing on stdout.
fn assert_one_error_line(out: &Output, names: &str) {
    let stderr = out.stderr_str();
    assert_eq!(
        out.status_code(),
        Some(1),
        "expected exit status 1, got {}; stderr:\n{stderr}",
        out.describe_status()
    );
    assert!(!stderr.contains("panicked"), "panicked:\n{stderr}");
    let line = stderr.strip_suffix('\n').unwrap_or(&stderr);
    assert!(
        line.starts_with("error:") && !line.contains('\n'),
        "expected one `error:` line, got:\n{stderr}"
    );
    assert!(line.contains(names), "{line:?} does not name {names:?}");
    assert!(out.stdout.is_empty(), "stdout: {}", out.stdout_str());
}

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("list {}: {e}", dir.display()))
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A valid command module: exits with status 3.
fn exit3_module() -> Vec<u8> {
    wat(r#"(func (export "_start") (call $exit (i32.const 3)))"#)
}

/// A command module from the fields after the `proc_exit` import and the
/// memory. Its functions reach `proc_exit` as `$exit`.
fn wat(fields: &str) -> Vec<u8> {
    command(r#"(memory (export "memory") 1)"#, fields)
}

/// A command module with `memory` as its memory field.
fn command(memory: &str, fields: &str) -> Vec<u8> {
    let text = format!(
        r#"(module
             (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
             {memory}
             {fields})"#
    );
    wat::parse_str(&text).unwrap_or_else(|e| panic!("test module does not assemble: {e}"))
}

/// Builds `wasm` into an executable in `tmp` and runs it; returns the run's
/// output, or the build's when the build fails. Fails when building takes
/// longer than `max_build_secs`.
fn build_and_run(tmp: &TempDir, name: &str, wasm: &[u8], max_build_secs: u64) -> Output {
    let input = tmp.path().join(format!("{name}.wasm"));
    std::fs::write(&input, wasm).expect("write module");
    let exe = tmp.path().join(name);
    let start = Instant::now();
    let out = build(&input, &exe, &[]);
    let took = start.elapsed();
    assert!(
        took.as_secs() < max_build_secs,
        "building {name} took {took:.1?} (limit {max_build_secs} s)"
    );
    if out.status_code() != Some(0) {
        return out;
    }
    let mut cmd = Command::new(&exe);
    cmd.env_clear();
    run_with_timeout(cmd, &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Checks that the program exited with `code`.
fn assert_exit(out: &Output, code: i32, what: &str) {
    assert_eq!(
        out.status_code(),
        Some(code),
        "{what}: expected exit status {code}, got {}; stderr:\n{}",
        out.describe_status(),
        out.stderr_str()
    );
}

// ---------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------

/// A CPU level of the other architecture, `native` for a foreign target and
/// a static library for aarch64 are each one error line, and no output.
#[test]
fn target_and_cpu_level_mismatches() {
    let tmp = TempDir::new("cli-targets");
    let input = tmp.path().join("m.wasm");
    std::fs::write(&input, exit3_module()).expect("write");
    let out_path = tmp.path().join("prog");
    let (foreign, foreign_level) = if cfg!(target_arch = "x86_64") {
        ("aarch64-linux", "x86-64-v3")
    } else {
        ("x86_64-linux", "armv8.0-a")
    };
    let out = build(
        &input,
        &out_path,
        &["--target", foreign, "--target-cpu", foreign_level],
    );
    assert_one_error_line(
        &out,
        &format!("--target-cpu {foreign_level} is not a level of {foreign}"),
    );
    let out = build(
        &input,
        &out_path,
        &["--target", foreign, "--target-cpu", "native"],
    );
    assert_one_error_line(&out, "--target-cpu native is the CPU of this");
    let out = build(
        &input,
        &out_path,
        &["--target", "aarch64-linux", "--emit", "staticlib"],
    );
    assert_one_error_line(&out, "--emit staticlib is for x86_64-linux only");
    assert_eq!(listing(tmp.path()), ["m.wasm"]);
}

// ---------------------------------------------------------------------------
// Hostile paths
// ---------------------------------------------------------------------------

#[test]
fn output_in_a_missing_directory() {
    let tmp = TempDir::new("cli-missing-dir");
    let input = tmp.path().join("m.wasm");
    std::fs::write(&input, exit3_module()).expect("write");
    let out = build(&input, &tmp.path().join("no/such/dir/prog"), &[]);
    assert_one_error_line(&out, "no/such/dir/prog");
    assert_eq!(listing(tmp.path()), ["m.wasm"]);
    let out = build(&input, &tmp.path().join("no/prog.o"), &["--emit", "obj"]);
    assert_one_error_line(&out, "no/prog.o");
    assert_eq!(listing(tmp.path()), ["m.wasm"]);
}

#[test]
fn output_under_a_file() {
    let tmp = TempDir::new("cli-under-file");
    let input = tmp.path().join("m.wasm");
    std::fs::write(&input, exit3_module()).expect("write");
    let out = build(&input, &input.join("prog"), &[]);
    assert_one_error_line(&out, "m.wasm/prog");
    assert_eq!(listing(tmp.path()), ["m.wasm"]);
}

#[test]
fn output_where_nothing_can_be_written() {
    // The tests may run as root, which may write anywhere on a normal file
    // system; /proc refuses new files to everyone.
    let tmp = TempDir::new("cli-unwritable");
    let input = tmp.path().join("m.wasm");
    std::fs::write(&input, exit3_module()).expect("write");
    let out = build(&input, Path::new("/proc/wasi-aot-prog"), &[]);
    assert_one_error_line(&out, "/proc/wasi-aot-prog");
    assert!(!Path::new("/proc/wasi-aot-prog").exists());
}

#[test]
fn output_that_is_a_directory() {
    let tmp = TempDir::new("cli-out-dir");
    let input = tmp.path().join("m.wasm");
    std::fs::write(&input, exit3_module()).expect("write");
    let dir = tmp.path().join("out");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("keep"), b"kept").expect("write");
    let out = build(&input, &dir, &[]);
    assert_one_error_line(&out, "out");
    assert_eq!(listing(tmp.path()), ["m.wasm", "out"]);
    assert_eq!(listing(&dir), ["keep"], "the directory's contents changed");
}

#[test]
fn output_that_is_the_input() {
    let tmp = TempDir::new("cli-out-is-in");
    let input = tmp.path().join("m.wasm");
    let module = exit3_module();
    std::fs::write(&input, &module).expect("write");
    std::os::unix::fs::symlink("m.wasm", tmp.path().join("link")).expect("symlink");
    for output in [input.clone(), tmp.path().join("link")] {
        let out = build(&input, &output, &[]);
        assert_one_error_line(&out, "the output is the input module");
        assert_eq!(
            std::fs::read(&input).expect("read"),
            module,
            "the input changed"
        );
        assert_eq!(listing(tmp.path()), ["link", "m.wasm"]);
    }
}

/// An empty output path is a usage error, reported by the argument parser
/// (exit status 2, as for every usage error).
#[test]
fn output_that_is_empty() {
    let tmp = TempDir::new("cli-out-empty");
    let input = tmp.path().join("m.wasm");
    std::fs::write(&input, exit3_module()).expect("write");
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.current_dir(tmp.path())
        .args(["build", "m.wasm", "-o", ""]);
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(2), "{}", out.stderr_str());
    assert!(
        out.stderr_str()
            .starts_with("error: a value is required for '--output")
    );
    assert_eq!(listing(tmp.path()), ["m.wasm"]);
}

#[test]
fn input_that_is_a_directory() {
    let tmp = TempDir::new("cli-in-dir");
    let dir = tmp.path().join("module.wasm");
    std::fs::create_dir(&dir).expect("mkdir");
    let out = build(&dir, &tmp.path().join("prog"), &[]);
    assert_one_error_line(&out, "module.wasm");
    assert_eq!(listing(tmp.path()), ["module.wasm"]);
}

/// `-` is a file name like any other: modules are not read from stdin (the
/// compile cache and error messages need a file).
#[test]
fn input_dash_is_a_file_name() {
    let tmp = TempDir::new("cli-dash");
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.current_dir(tmp.path())
        .args(["build", "-", "-o", "prog"]);
    let out =
        run_with_timeout(cmd, &exit3_module(), BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_one_error_line(&out, "error: -: cannot read the module");
    assert!(listing(tmp.path()).is_empty());

    std::fs::write(tmp.path().join("-"), exit3_module()).expect("write");
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.current_dir(tmp.path())
        .args(["build", "-", "-o", "prog"]);
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_exit(&out, 0, "building the file `-`");
    let run = run_with_timeout(Command::new(tmp.path().join("prog")), &[], RUN_TIMEOUT)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_exit(&run, 3, "the program built from `-`");
}

#[test]
fn file_name_with_control_characters() {
    let tmp = TempDir::new("cli-name");
    let input = tmp.path().join("two\nlines\x1b[31m.wasm");
    std::fs::write(&input, b"\0asm\x01\0\0\0\x01").expect("write");
    let out = build(&input, &tmp.path().join("prog"), &[]);
    assert_one_error_line(&out, r"two\nlines\u{1b}[31m.wasm");
    assert!(
        !out.stderr.contains(&0x1b),
        "raw escape character on stderr"
    );
}

#[test]
fn import_names_with_control_characters() {
    let tmp = TempDir::new("cli-import-name");
    let wasm = wat::parse_str(
        "(module (import \"env\\0a\\1b[2J\" \"f\\00\" (func)) (func (export \"_start\")))",
    )
    .expect("assembles");
    let input = tmp.path().join("m.wasm");
    std::fs::write(&input, wasm).expect("write");
    let out = build(&input, &tmp.path().join("prog"), &[]);
    assert_one_error_line(&out, r"unknown import `env\n\u{1b}[2J::f\u{0}`");
}

// ---------------------------------------------------------------------------
// Truncated and huge declarations
// ---------------------------------------------------------------------------

/// A module whose sections are `sections` (id, contents), after the header.
fn raw_module(sections: &[(u8, &[u8])]) -> Vec<u8> {
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    for (id, contents) in sections {
        wasm.extend(section(*id, contents));
    }
    wasm
}

/// One section: its id, its size and `contents`.
fn section(id: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![id];
    leb(&mut out, contents.len() as u64);
    out.extend_from_slice(contents);
    out
}

fn leb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[test]
fn truncated_declarations_are_clean_errors() {
    let tmp = TempDir::new("cli-truncated");
    let memory: &[u8] = &[1, 0, 1]; // one memory, min 1
    let cases: [(&str, Vec<u8>); 5] = [
        // A data segment declaring 4 GiB - 1 bytes and holding three.
        (
            "data-longer-than-module",
            raw_module(&[
                (5, memory),
                (
                    11,
                    &[
                        1, 0, 0x41, 0, 0x0b, 0xff, 0xff, 0xff, 0xff, 0x0f, b'a', b'b', b'c',
                    ],
                ),
            ]),
        ),
        // A section declaring more bytes than the file has.
        (
            "section-past-the-end",
            raw_module(&[(5, memory)])
                .into_iter()
                .chain([11, 0xff, 0xff, 0xff, 0x0f, 1])
                .collect(),
        ),
        // A billion functions declared, none given.
        (
            "billion-functions",
            raw_module(&[(3, &[0x80, 0x94, 0xeb, 0xdc, 0x03])]),
        ),
        // A billion locals in one body.
        (
            "billion-locals",
            raw_module(&[
                (1, &[1, 0x60, 0, 0]),
                (3, &[1, 0]),
                (10, &[1, 8, 1, 0x80, 0x94, 0xeb, 0xdc, 0x03, 0x7f, 0x0b]),
            ]),
        ),
        // 50,001 locals: one over wasmparser's limit.
        (
            "too-many-locals",
            raw_module(&[
                (1, &[1, 0x60, 0, 0]),
                (3, &[1, 0]),
                (10, &[1, 6, 1, 0xd1, 0x86, 0x03, 0x7f, 0x0b]),
            ]),
        ),
    ];
    for (name, wasm) in cases {
        let input = tmp.path().join(format!("{name}.wasm"));
        std::fs::write(&input, &wasm).expect("write");
        let out = build(&input, &tmp.path().join("prog"), &[]);
        assert_one_error_line(&out, &format!("{name}.wasm"));
        assert!(
            !tmp.path().join("prog").exists(),
            "{name}: output left behind"
        );
    }
}

#[test]
fn memory_of_65536_pages() {
    let tmp = TempDir::new("cli-big-memory");
    let wasm = command(
        "(memory (export \"memory\") 65536)",
        r#"(func (export "_start")
             (i32.store8 (i32.const -1) (i32.const 7))
             (call $exit
               (i32.add
                 (i32.mul (i32.eq (memory.size) (i32.const 65536)) (i32.const 10))
                 (i32.load8_u (i32.const -1)))))"#,
    );
    let out = build_and_run(&tmp, "big-memory", &wasm, 60);
    // The memory is all there, or the program says in one line that the
    // system would not give it.
    if out.status_code() == Some(70) {
        assert_cannot_start(&out, "cannot allocate 65536 pages of linear memory");
    } else {
        assert_exit(&out, 17, "65536 pages");
    }
}

#[test]
fn memory_grow_to_the_maximum() {
    let tmp = TempDir::new("cli-grow");
    // Status bits: grow to 65536 pages gave the old size (1), growing past
    // it gave -1 (2), memory.size is then 65536 (4), the last byte works
    // (8), a grow by 2^32-1 pages gives -1 (16). 100 when the first grow
    // was refused, which a system short of memory may do.
    let wasm = wat(r#"(func (export "_start") (local $r i32) (local $bits i32)
             (local.set $r (memory.grow (i32.const 65535)))
             (if (i32.eq (local.get $r) (i32.const -1))
               (then (call $exit (i32.const 100))))
             (local.set $bits (i32.eq (local.get $r) (i32.const 1)))
             (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1))
               (then (local.set $bits (i32.or (local.get $bits) (i32.const 2)))))
             (if (i32.eq (memory.size) (i32.const 65536))
               (then (local.set $bits (i32.or (local.get $bits) (i32.const 4)))))
             (i32.store8 (i32.const -1) (i32.const 9))
             (if (i32.eq (i32.load8_u (i32.const -1)) (i32.const 9))
               (then (local.set $bits (i32.or (local.get $bits) (i32.const 8)))))
             (if (i32.eq (memory.grow (i32.const -1)) (i32.const -1))
               (then (local.set $bits (i32.or (local.get $bits) (i32.const 16)))))
             (call $exit (local.get $bits)))"#);
    let out = build_and_run(&tmp, "grow", &wasm, 60);
    if out.status_code() != Some(100) {
        assert_exit(&out, 31, "memory.grow to 65536 pages");
    }

    // A declared maximum is kept.
    let wasm = command(
        "(memory (export \"memory\") 1 2)",
        r#"(func (export "_start")
             (call $exit (i32.add
               (i32.mul (memory.grow (i32.const 1)) (i32.const 10))
               (i32.add (memory.grow (i32.const 1)) (i32.const 1)))))"#,
    );
    assert_exit(
        &build_and_run(&tmp, "grow-max", &wasm, 60),
        10,
        "grow past a maximum",
    );
}

#[test]
fn table_of_10_million_elements() {
    let tmp = TempDir::new("cli-big-table");
    let wasm = wat(r#"(table $t 10000000 10000000 funcref)
           (type $r (func (result i32)))
           (func $five (result i32) (i32.const 5))
           (elem declare func $five)
           (func (export "_start")
             (table.set $t (i32.const 9999999) (ref.func $five))
             (call $exit (i32.add
               (i32.mul (i32.eq (table.size $t) (i32.const 10000000)) (i32.const 10))
               (i32.add
                 (call_indirect $t (type $r) (i32.const 9999999))
                 (i32.add (table.grow $t (ref.null func) (i32.const 1)) (i32.const 1))))))"#);
    assert_exit(
        &build_and_run(&tmp, "big-table", &wasm, 60),
        15,
        "10M-element table",
    );
}

#[test]
fn function_with_50000_locals() {
    let tmp = TempDir::new("cli-locals");
    // The limit counts the parameter: 1 + 49,998 + 1 = 50,000.
    let many = " i32".repeat(49_998);
    let wasm = wat(&format!(
        r#"(func $f (param $p i32) (result i32)
             (local{many}) (local $last i64)
             (local.set $last (i64.extend_i32_u (local.get $p)))
             (i32.add (i32.wrap_i64 (local.get $last)) (local.get 49990)))
           (func (export "_start") (call $exit (call $f (i32.const 6))))"#
    ));
    assert_exit(
        &build_and_run(&tmp, "locals", &wasm, 60),
        6,
        "50,000 locals",
    );
}

#[test]
fn blocks_nested_10000_deep() {
    let tmp = TempDir::new("cli-nesting");
    let depth = 10_000;
    let mut body = String::new();
    for _ in 0..depth {
        body.push_str("(block (result i32) ");
    }
    // Leave from the innermost block straight to the outermost one.
    write!(body, "(br {} (i32.const 7))", depth - 1).expect("string");
    for _ in 0..depth {
        body.push(')');
    }
    let mut loops = String::new();
    for _ in 0..depth {
        loops.push_str("(loop (result i32) (if (result i32) (local.get 0) (then ");
    }
    loops.push_str("(i32.const 2)");
    for _ in 0..depth {
        loops.push_str(") (else (i32.const 0))))");
    }
    let wasm = wat(&format!(
        r#"(func $blocks (result i32) {body})
           (func $loops (param i32) (result i32) {loops})
           (func (export "_start")
             (call $exit (i32.add (call $blocks) (call $loops (i32.const 1)))))"#
    ));
    assert_exit(
        &build_and_run(&tmp, "nesting", &wasm, 120),
        9,
        "10,000 nested blocks",
    );
}

#[test]
fn br_table_with_100000_targets() {
    let tmp = TempDir::new("cli-br-table");
    let mut targets = String::new();
    for i in 0..100_000 {
        targets.push_str(if i % 2 == 0 { " $in" } else { " $out" });
    }
    let wasm = wat(&format!(
        r#"(func $f (param i32) (result i32)
             (block $out
               (block $in (br_table{targets} $out (local.get 0)))
               (return (i32.const 10)))
             (i32.const 20))
           (func (export "_start")
             (call $exit (i32.add (call $f (i32.const 99998))
               (i32.add (call $f (i32.const 99999)) (call $f (i32.const 5000000))))))"#
    ));
    assert_exit(
        &build_and_run(&tmp, "br-table", &wasm, 60),
        50,
        "100,000 targets",
    );
}

#[test]
fn hundred_thousand_segments() {
    let tmp = TempDir::new("cli-segments");
    // The most data segments a module may have (100,000, wasmparser's limit,
    // one of them passive). Data segment i writes byte i % 251 at address
    // i % 1000; element
    // segment j puts function j % 3 at table index j % 100. Later segments
    // overwrite earlier ones, so the survivors are the last thousand data
    // segments and the last hundred element segments.
    const DATA: u32 = 99_999;
    const ELEMS: u32 = 20_000;
    let mut fields = String::from(
        r#"(table 100 funcref)
           (type $t (func (result i32)))
           (func $f0 (result i32) (i32.const 0))
           (func $f1 (result i32) (i32.const 1))
           (func $f2 (result i32) (i32.const 2))
           (data "passive, never applied")
           (elem func $f2)
           "#,
    );
    for i in 0..DATA {
        write!(
            fields,
            r#"(data (i32.const {}) "\{:02x}")"#,
            i % 1000,
            i % 251
        )
        .unwrap();
    }
    for j in 0..ELEMS {
        write!(fields, "(elem (i32.const {}) $f{})", j % 100, j % 3).unwrap();
    }
    let bytes: u32 = (DATA - 1000..DATA).map(|i| i % 251).sum();
    let funcs: u32 = (ELEMS - 100..ELEMS).map(|j| j % 3).sum();
    write!(
        fields,
        r#"(func (export "_start") (local $k i32) (local $sum i32)
             (loop $bytes
               (local.set $sum (i32.add (local.get $sum) (i32.load8_u (local.get $k))))
               (local.set $k (i32.add (local.get $k) (i32.const 1)))
               (br_if $bytes (i32.lt_u (local.get $k) (i32.const 1000))))
             (if (i32.ne (local.get $sum) (i32.const {bytes})) (then (call $exit (i32.const 1))))
             (local.set $k (i32.const 0))
             (local.set $sum (i32.const 0))
             (loop $funcs
               (local.set $sum (i32.add (local.get $sum)
                 (call_indirect (type $t) (local.get $k))))
               (local.set $k (i32.add (local.get $k) (i32.const 1)))
               (br_if $funcs (i32.lt_u (local.get $k) (i32.const 100))))
             (if (i32.ne (local.get $sum) (i32.const {funcs})) (then (call $exit (i32.const 2))))
             (call $exit (i32.const 0)))"#
    )
    .unwrap();
    let out = build_and_run(&tmp, "segments", &wat(&fields), 20);
    assert_exit(&out, 0, "100,000 data and 20,000 element segments");
}

#[test]
fn function_body_of_1_mb() {
    let tmp = TempDir::new("cli-big-body");
    // 150,000 × `local.get 0; i32.const 3; i32.add; local.set 0` (7 bytes),
    // every fifth step also stored to memory so the chain is not one add.
    let steps = 150_000;
    let mut body = String::new();
    for i in 0..steps {
        body.push_str("(local.set 0 (i32.add (local.get 0) (i32.const 3)))");
        if i % 5 == 0 {
            write!(
                body,
                "(i32.store (i32.const {}) (local.get 0))",
                (i % 1024) * 4
            )
            .expect("string");
        }
    }
    let wasm = wat(&format!(
        r#"(func $f (param i32) (result i32) {body} (local.get 0))
           (func (export "_start")
             (call $exit (i32.eq (call $f (i32.const 1)) (i32.const {}))))"#,
        1 + 3 * steps
    ));
    assert!(wasm.len() > 1 << 20, "the module is {} bytes", wasm.len());
    assert_exit(&build_and_run(&tmp, "big-body", &wasm, 120), 1, "1 MB body");
}

#[test]
fn two_hundred_thousand_distinct_types() {
    let tmp = TempDir::new("cli-types");
    let kinds = ["i32", "i64", "f32", "f64"];
    let mut types = String::new();
    for mut i in 0..200_000u32 {
        types.push_str("(type (func (param");
        for _ in 0..9 {
            types.push(' ');
            types.push_str(kinds[(i % 4) as usize]);
            i /= 4;
        }
        types.push_str(")))\n");
    }
    let wasm = wat(&format!(
        r#"{types}
           (func (export "_start") (call $exit (i32.const 4)))"#
    ));
    assert_exit(&build_and_run(&tmp, "types", &wasm, 60), 4, "200,000 types");
}

// ---------------------------------------------------------------------------
// A C program allocating until malloc fails
// ---------------------------------------------------------------------------

/// Every result goes through a volatile pointer: a compiler may otherwise
/// drop an allocation whose result is only compared with NULL.
const MALLOC_UNTIL_NULL: &str = r#"
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    size_t chunk = 16 << 20, total = 0;
    char *volatile p;
    char *first = NULL;
    for (;;) {
        p = malloc(chunk);
        if (!p) break;
        p[0] = 1;
        p[chunk - 1] = 2;
        if (!first) first = p;
        total += chunk;
    }
    /* Smaller blocks may still fit in what is left. */
    size_t small = 0;
    while (small < 1000 && (p = malloc(4096)) != NULL) small++;
    void *volatile huge = malloc((size_t)-1 / 2);
    printf("malloc failed after %zu MiB; first block %s; huge %s\n",
           total >> 20, first && first[0] == 1 ? "intact" : "lost",
           huge ? "allocated" : "refused");
    return total >= (1u << 30) ? 0 : 1;
}
"#;

#[test]
fn malloc_until_it_fails() {
    let tmp = TempDir::new("cli-malloc");
    let src = tmp.path().join("malloc.c");
    let wasm = tmp.path().join("malloc.wasm");
    std::fs::write(&src, MALLOC_UNTIL_NULL).expect("write");
    let clang = std::env::var_os("CLANG").unwrap_or_else(|| "clang-19".into());
    let status = Command::new(&clang)
        .args(["--target=wasm32-wasi", "-O2", "-Wall", "-Werror", "-o"])
        .arg(&wasm)
        .arg(&src)
        .status()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {clang:?} ({e}): install the Debian packages \
                 clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32"
            )
        });
    assert!(status.success(), "{clang:?} failed on malloc.c");
    let wasm = std::fs::read(&wasm).expect("read");
    let out = build_and_run(&tmp, "malloc", &wasm, 60);
    assert_exit(&out, 0, "malloc until NULL");
    let stdout = out.stdout_str();
    assert!(
        stdout.contains("first block intact; huge refused"),
        "unexpected output: {stdout}"
    );
    println!("{}", stdout.trim_end());
}

// ---------------------------------------------------------------------------
// Scratch files, the cache, the linker, names
// ---------------------------------------------------------------------------

/// The linker's scratch directory (under `TMPDIR`) is removed after a
/// failed build and after a successful one.
#[test]
fn scratch_directory_is_cleaned() {
    let tmp = TempDir::new("cli-scratch");
    let input = tmp.path().join("bad.wasm");
    std::fs::write(&input, b"\0asm\x01\0\0\0\x0b\x01").expect("write");
    let scratch = tmp.path().join("scratch");
    std::fs::create_dir(&scratch).expect("mkdir");
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.env("TMPDIR", &scratch)
        .arg("build")
        .arg(&input)
        .arg("-o")
        .arg(tmp.path().join("prog"));
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_one_error_line(&out, "bad.wasm");
    assert!(listing(&scratch).is_empty(), "scratch files left behind");
    // A successful build leaves nothing there either.
    std::fs::write(&input, exit3_module()).expect("write");
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.env("TMPDIR", &scratch)
        .arg("build")
        .arg(&input)
        .arg("-o")
        .arg(tmp.path().join("prog"));
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_exit(&out, 0, "build");
    assert!(listing(&scratch).is_empty(), "scratch files left behind");
}

/// `isatty` (wasi-libc: a character device without seek rights) is true
/// for a terminal only: standard streams on `/dev/null` are not character
/// devices to the guest (yowasp's yosys colours its output and then ends
/// with an uncaught exception when stdout and stderr are `/dev/null`; it
/// runs to the end under wasmtime). A file stays a regular file.
#[test]
fn dev_null_is_not_a_terminal() {
    let tmp = TempDir::new("cli-devnull");
    // Exits with the number of the descriptors 0, 1 and 2 whose file type
    // is `character_device`, or with 100 + the file type of descriptor 1.
    let module = |report_stdout: bool| {
        command(
            r#"(import "wasi_snapshot_preview1" "fd_fdstat_get"
                 (func $fdstat (param i32 i32) (result i32)))
               (memory (export "memory") 1)"#,
            &format!(
                r#"(func (export "_start") (local $fd i32) (local $count i32)
                 (if (i32.const {report_stdout})
                   (then
                     (drop (call $fdstat (i32.const 1) (i32.const 0)))
                     (call $exit (i32.add (i32.const 100) (i32.load8_u (i32.const 0))))))
                 (loop $next
                   (drop (call $fdstat (local.get $fd) (i32.const 0)))
                   (local.set $count (i32.add (local.get $count)
                     (i32.eq (i32.load8_u (i32.const 0)) (i32.const 2))))
                   (local.set $fd (i32.add (local.get $fd) (i32.const 1)))
                   (br_if $next (i32.lt_u (local.get $fd) (i32.const 3))))
                 (call $exit (local.get $count)))"#,
                report_stdout = u8::from(report_stdout)
            ),
        )
    };
    let null = || std::fs::File::open("/dev/null").expect("/dev/null");
    let null_w = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .expect("/dev/null")
    };
    for (name, report_stdout) in [("count", false), ("stdout", true)] {
        let input = tmp.path().join(format!("{name}.wasm"));
        std::fs::write(&input, module(report_stdout)).expect("write");
        let exe = tmp.path().join(name);
        assert_exit(&build(&input, &exe, &[]), 0, "build");
        let status = if report_stdout {
            let file = std::fs::File::create(tmp.path().join("out")).expect("create");
            Command::new(&exe)
                .stdin(null())
                .stdout(file)
                .stderr(null_w())
                .status()
        } else {
            Command::new(&exe)
                .stdin(null())
                .stdout(null_w())
                .stderr(null_w())
                .status()
        }
        .expect("run");
        let expected = if report_stdout { 104 } else { 0 };
        assert_eq!(status.code(), Some(expected), "{name}");
    }
}

/// The object and the executable are written through files next to the
/// output (a big module's are hundreds of megabytes, too many to hold
/// twice in memory); none of them is left there, whichever output or
/// linker, and whether the build succeeds or not.
#[test]
fn build_leaves_only_its_output() {
    let tmp = TempDir::new("cli-leaves");
    let input = tmp.path().join("exit3.wasm");
    std::fs::write(&input, exit3_module()).expect("write");
    let out_dir = tmp.path().join("out");
    std::fs::create_dir(&out_dir).expect("mkdir");
    let mut expected = Vec::new();
    for (name, flags) in [
        ("builtin", &[][..]),
        ("system", &["--linker", "system"][..]),
        ("object.o", &["--emit", "obj"][..]),
    ] {
        let out = build(&input, &out_dir.join(name), flags);
        assert_exit(&out, 0, &format!("build {name}"));
        expected.push(name.to_string());
        expected.sort();
        assert_eq!(listing(&out_dir), expected, "after building {name}");
    }
    for name in ["builtin", "system"] {
        let out = run_with_timeout(Command::new(out_dir.join(name)), &[], RUN_TIMEOUT)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_exit(&out, 3, name);
    }
    // A failed link, or a failed compilation, leaves nothing at all.
    let out = build(&input, &out_dir.join("unlinked"), &["--linker", "false"]);
    assert_one_error_line(&out, "unlinked");
    assert_eq!(listing(&out_dir), expected, "after a failed link");
    std::fs::write(&input, b"\0asm\x01\0\0\0\x0b\x01").expect("write");
    let out = build(&input, &out_dir.join("invalid"), &[]);
    assert_one_error_line(&out, "exit3.wasm");
    assert_eq!(listing(&out_dir), expected, "after a failed compilation");
}

/// `wasi-aot run` with a cache directory that cannot be one.
#[test]
fn run_with_an_unusable_cache_directory() {
    let tmp = TempDir::new("cli-cache");
    let input = tmp.path().join("m.wasm");
    std::fs::write(&input, exit3_module()).expect("write");
    let not_a_dir = tmp.path().join("cache-file");
    std::fs::write(&not_a_dir, b"").expect("write");
    for cache in [not_a_dir.join("sub"), not_a_dir.clone()] {
        let mut cmd = Command::new(wasi_aot_bin());
        cmd.env("WASI_AOT_CACHE_DIR", &cache).arg("run").arg(&input);
        let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
        assert_one_error_line(&out, "cache directory");
    }
    assert_eq!(listing(tmp.path()), ["cache-file", "m.wasm"]);
    assert_eq!(std::fs::read(&not_a_dir).expect("read"), b"");
}

/// An endless input is cut off at the size limit (1 GiB), not read until
/// memory runs out.
#[test]
fn input_that_never_ends() {
    let tmp = TempDir::new("cli-endless");
    let out = build(Path::new("/dev/zero"), &tmp.path().join("prog"), &[]);
    assert_one_error_line(&out, "/dev/zero: the module is larger than 1024 MiB");
    assert!(listing(tmp.path()).is_empty());
}

/// A text-format error is one short line, even when the file is one line
/// of megabytes.
#[test]
fn text_error_in_a_huge_line() {
    let tmp = TempDir::new("cli-wat-line");
    let input = tmp.path().join("parens.wat");
    let mut text = b"(module ".to_vec();
    text.resize(5 << 20, b'(');
    std::fs::write(&input, &text).expect("write");
    let out = build(&input, &tmp.path().join("prog"), &[]);
    assert_one_error_line(
        &out,
        "parens.wat: invalid text module: expected valid module field at 1:10",
    );
    assert!(
        out.stderr.len() < 200,
        "{} bytes of stderr",
        out.stderr.len()
    );
}

/// A system linker that fails or cannot be found is one error line, and
/// leaves no output; the built-in linker does not run `$CC` at all.
#[test]
fn linker_failures() {
    let tmp = TempDir::new("cli-linker");
    let input = tmp.path().join("m.wasm");
    std::fs::write(&input, exit3_module()).expect("write");
    let build_with = |cc: &str, linker: &[&str]| {
        let mut cmd = Command::new(wasi_aot_bin());
        cmd.env("CC", cc)
            .arg("build")
            .arg(&input)
            .arg("-o")
            .arg(tmp.path().join("prog"))
            .args(linker);
        run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"))
    };
    for (cc, linker, says) in [
        ("false", &["--linker", "system"][..], "linking failed"),
        (
            "/nonexistent/cc",
            &["--linker", "system"],
            "cannot run the linker `/nonexistent/cc`",
        ),
        (
            "cc",
            &["--linker", "/nonexistent/cc"],
            "cannot run the linker `/nonexistent/cc`",
        ),
    ] {
        let out = build_with(cc, linker);
        assert_one_error_line(&out, says);
        assert_eq!(listing(tmp.path()), ["m.wasm"], "CC={cc} {linker:?}");
    }
    let out = build_with("false", &[]);
    assert_exit(&out, 0, "build with the built-in linker and CC=false");
    assert_eq!(listing(tmp.path()), ["m.wasm", "prog"]);
}

/// An output name as long as a name can be (255 bytes) is written: the
/// temporary file beside it has a short name of its own.
#[test]
fn output_name_of_255_bytes() {
    let tmp = TempDir::new("cli-long-name");
    let input = tmp.path().join("m.wasm");
    std::fs::write(&input, exit3_module()).expect("write");
    let name = "p".repeat(255);
    let out = build(&input, &tmp.path().join(&name), &[]);
    assert_exit(&out, 0, "build to a 255-byte name");
    assert_eq!(listing(tmp.path()), ["m.wasm", name.as_str()]);
    let out = build(&input, &tmp.path().join("p".repeat(256)), &[]);
    assert_one_error_line(&out, "File name too long");
    assert_eq!(listing(tmp.path()), ["m.wasm", name.as_str()]);
}

/// `wasi-aot run` refuses bad input like `build`: one line, status 1, and
/// nothing added to the cache.
#[test]
fn run_rejects_bad_input() {
    let tmp = TempDir::new("cli-run-bad");
    let cache = tmp.path().join("cache");
    let dir = tmp.path().join("dir.wasm");
    std::fs::create_dir(&dir).expect("mkdir");
    let truncated = tmp.path().join("truncated.wasm");
    std::fs::write(&truncated, &exit3_module()[..20]).expect("write");
    for (input, names) in [
        (dir, "dir.wasm: cannot read the module"),
        (
            tmp.path().join("missing.wasm"),
            "missing.wasm: cannot read the module",
        ),
        (truncated, "truncated.wasm: invalid module at offset"),
    ] {
        let mut cmd = Command::new(wasi_aot_bin());
        cmd.env("WASI_AOT_CACHE_DIR", &cache).arg("run").arg(&input);
        let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
        assert_one_error_line(&out, names);
    }
    assert!(
        !cache.exists() || listing(&cache).is_empty(),
        "the cache holds something"
    );
}

/// Valid modules using a proposal the compiler leaves out are refused as
/// unsupported, not as invalid, whether the feature shows in a section or
/// only in a function body; so is a WASI command whose memory 0 is 64-bit
/// (WASI preview 1 addresses a 32-bit memory).
#[test]
fn unsupported_proposals_are_named() {
    let tmp = TempDir::new("cli-unsupported");
    for (name, text, detail) in [
        (
            "shared-memory",
            r#"(module (memory 1 1 shared) (func (export "_start")))"#,
            "unsupported: shared memory (threads proposal",
        ),
        (
            "imported-shared-memory",
            r#"(module (import "env" "m" (memory 1 1 shared)) (func (export "_start")))"#,
            "unsupported: shared memory (threads proposal",
        ),
        (
            "wasi-memory64",
            r#"(module
                 (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
                 (memory i64 1)
                 (func (export "_start")))"#,
            "WASI with a 64-bit memory 0",
        ),
        (
            "gc-types",
            r#"(module (type (struct)) (func (export "_start")))"#,
            "GC proposal",
        ),
        (
            "function-references",
            r#"(module
                 (type $t (func))
                 (func $f)
                 (elem declare func $f)
                 (func (export "_start") (call_ref $t (ref.func $f))))"#,
            "CallRef",
        ),
    ] {
        let input = tmp.path().join(format!("{name}.wasm"));
        let wasm = wat::parse_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        std::fs::write(&input, wasm).expect("write");
        let out = build(&input, &tmp.path().join(name), &[]);
        assert_one_error_line(&out, "unsupported: ");
        assert!(
            out.stderr_str().contains(detail),
            "{name}: {}",
            out.stderr_str()
        );
    }
}

/// Name-section names are only names: one equal to another function's
/// fallback symbol (`wasm-function[N]`), to the runtime's symbols, or to
/// another function's name still builds, and the program runs.
#[test]
fn function_names_that_collide() {
    let tmp = TempDir::new("cli-names");
    let wasm = wat(r#"(func (@name "wasm-function[2]") (export "_start")
             (call $exit (i32.add (call 2) (call 3))))
           (func (result i32) (i32.const 5))
           (func (@name "wasi_aot_module_info") (result i32) (call 4))
           (func (@name "wasm-function[2]") (result i32) (i32.const 6))"#);
    assert_exit(
        &build_and_run(&tmp, "names", &wasm, 60),
        11,
        "colliding names",
    );
}

/// The README's route for `--emit obj`: `wasi-aot runtime` writes the
/// runtime library (the same bytes each time, whatever the output path),
/// and the object links with it through the system C compiler driver into
/// an executable that runs.
#[test]
fn object_links_with_the_runtime_it_writes() {
    let tmp = TempDir::new("cli-runtime");
    let input = tmp.path().join("m.wasm");
    std::fs::write(&input, exit3_module()).expect("write");
    let out = build(&input, &tmp.path().join("prog.o"), &["--emit", "obj"]);
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
    let runtime = |path: &Path| {
        let mut cmd = Command::new(wasi_aot_bin());
        cmd.arg("runtime").arg("-o").arg(path);
        let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
        std::fs::read(path).expect("read the runtime library")
    };
    let lib = runtime(&tmp.path().join("libwasi_aot_runtime.a"));
    assert!(lib.starts_with(b"!<arch>\n"), "not an archive");
    assert!(
        lib == runtime(&tmp.path().join("again.a")),
        "two runtime libraries differ"
    );
    let linked = Command::new("cc")
        .current_dir(tmp.path())
        .args([
            "-static",
            "-no-pie",
            "-nostdlib",
            "-nostartfiles",
            "-Wl,--gc-sections",
            "-Wl,-z,noexecstack",
            "-o",
            "prog",
            "prog.o",
            "libwasi_aot_runtime.a",
        ])
        .output()
        .expect("running cc");
    assert!(
        linked.status.success(),
        "cc: {}",
        String::from_utf8_lossy(&linked.stderr)
    );
    let out = run_with_timeout(Command::new(tmp.path().join("prog")), &[], RUN_TIMEOUT)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(3), "{}", out.stderr_str());
    let out = run_with_timeout(
        {
            let mut cmd = Command::new(wasi_aot_bin());
            cmd.arg("runtime")
                .arg("-o")
                .arg(tmp.path().join("no/such/dir/rt.a"));
            cmd
        },
        &[],
        BUILD_TIMEOUT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_one_error_line(&out, "no/such/dir/rt.a");
}

/// `--target-cpu native` compiles for this machine: the object is the
/// x86-64-v3 one where the CPU has every v3 feature, else the x86-64-v2
/// one. The module counts leading zeros, which the two levels compile
/// differently (`lzcnt` against `bsr`), so the comparison can tell them
/// apart.
#[test]
fn target_cpu_native_is_this_machines_level() {
    let tmp = TempDir::new("cli-native");
    let input = tmp.path().join("m.wasm");
    let wasm = wat(r#"(func $clz (export "clz") (param i32) (result i32)
             (i32.clz (local.get 0)))
           (func (export "_start") (call $exit (call $clz (i32.const 3))))"#);
    std::fs::write(&input, wasm).expect("write");
    let object = |cpu: &str| {
        let path = tmp.path().join(format!("{cpu}.o"));
        let out = build(&input, &path, &["--emit", "obj", "--target-cpu", cpu]);
        assert_eq!(out.status_code(), Some(0), "{cpu}: {}", out.stderr_str());
        std::fs::read(&path).expect("read object")
    };
    let (v2, v3, native) = (object("x86-64-v2"), object("x86-64-v3"), object("native"));
    assert_ne!(v2, v3, "the module does not tell the levels apart");
    let host_v3 = std::arch::is_x86_feature_detected!("avx")
        && std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("bmi1")
        && std::arch::is_x86_feature_detected!("bmi2")
        && std::arch::is_x86_feature_detected!("fma")
        && std::arch::is_x86_feature_detected!("lzcnt");
    assert!(
        native == if host_v3 { v3 } else { v2 },
        "native should be the {} object",
        if host_v3 { "x86-64-v3" } else { "x86-64-v2" }
    );
}

// ---------------------------------------------------------------------------
// The run cache: damaged entries, the key, the bound, `wasi-aot cache`
// ---------------------------------------------------------------------------

/// `BIN run [extra] INPUT` with the cache in `cache` and `env` set.
fn run_cached(bin: &Path, cache: &Path, input: &Path, env: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new(bin);
    cmd.env("WASI_AOT_CACHE_DIR", cache).arg("run").arg(input);
    for (name, value) in env {
        cmd.env(name, value);
    }
    run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"))
}

/// `wasi-aot cache ACTION` with the cache in `cache`.
fn cache_command(cache: &Path, action: &str) -> Output {
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.env("WASI_AOT_CACHE_DIR", cache)
        .arg("cache")
        .arg(action);
    run_with_timeout(cmd, &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"))
}

/// The cache's entries (files named by a 64-digit key).
fn cache_entries(cache: &Path) -> Vec<String> {
    listing(cache)
        .into_iter()
        .filter(|n| n.len() == 64 && !n.starts_with('.'))
        .collect()
}

/// A command module exiting with `code`.
fn exit_module(code: u32) -> Vec<u8> {
    wat(&format!(
        r#"(func (export "_start") (call $exit (i32.const {code})))"#
    ))
}

/// A damaged cache entry (empty, truncated, a shell script, zeros) is not
/// executed: `run` rebuilds it and runs the module.
#[test]
fn damaged_cache_entries_are_rebuilt() {
    let tmp = TempDir::new("cli-cache-damaged");
    let cache = tmp.path().join("cache");
    let input = tmp.path().join("m.wasm");
    std::fs::write(&input, exit3_module()).expect("write");
    let out = run_cached(&wasi_aot_bin(), &cache, &input, &[]);
    assert_exit(&out, 3, "first run");
    let [key] = &cache_entries(&cache)[..] else {
        panic!("expected one entry: {:?}", listing(&cache));
    };
    let entry = cache.join(key);
    let good = std::fs::read(&entry).expect("read entry");
    let marker = tmp.path().join("marker");
    let script = format!("echo ran > '{}'\nexit 0\n", marker.display());
    let damages: [(&str, Vec<u8>); 5] = [
        ("empty", Vec::new()),
        ("half", good[..good.len() / 2].to_vec()),
        ("one byte short", good[..good.len() - 1].to_vec()),
        ("shell script", script.into_bytes()),
        ("zeros", vec![0; good.len()]),
    ];
    for (what, bytes) in damages {
        std::fs::write(&entry, &bytes).expect("damage entry");
        let out = run_cached(&wasi_aot_bin(), &cache, &input, &[]);
        assert_exit(&out, 3, what);
        assert!(out.stderr.is_empty(), "{what}: {}", out.stderr_str());
        assert!(!marker.exists(), "{what}: the entry ran as a shell script");
        assert!(
            std::fs::read(&entry).expect("read entry") == good,
            "{what}: the entry was not rebuilt"
        );
    }
    assert_eq!(cache_entries(&cache).len(), 1, "{:?}", listing(&cache));
}

/// The key covers the tool's own build and the linker: another `wasi-aot`
/// binary (a rebuild) or another `CC` does not reuse an executable made
/// by the first.
#[test]
fn cache_key_covers_the_tool_and_the_linker() {
    let tmp = TempDir::new("cli-cache-key");
    let cache = tmp.path().join("cache");
    let input = tmp.path().join("m.wasm");
    std::fs::write(&input, exit3_module()).expect("write");
    let out = run_cached(&wasi_aot_bin(), &cache, &input, &[]);
    assert_exit(&out, 3, "first run");
    assert_eq!(cache_entries(&cache).len(), 1);

    // The same tool again: a hit.
    let out = run_cached(&wasi_aot_bin(), &cache, &input, &[]);
    assert_exit(&out, 3, "second run");
    assert_eq!(cache_entries(&cache).len(), 1);

    // A rebuilt tool (here: a copy, another file): its own entry.
    let copy = tmp.path().join("wasi-aot");
    std::fs::copy(wasi_aot_bin(), &copy).expect("copy the tool");
    let out = run_cached(&copy, &cache, &input, &[]);
    assert_exit(&out, 3, "run by a copy of the tool");
    assert_eq!(cache_entries(&cache).len(), 2, "the copy reused an entry");

    // `CC` does not matter to the built-in linker: a hit.
    let cc = tmp.path().join("cc-wrapper");
    std::fs::write(&cc, "#!/bin/sh\nexec cc \"$@\"\n").expect("write");
    std::fs::set_permissions(&cc, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let out = run_cached(&wasi_aot_bin(), &cache, &input, &[("CC", &cc)]);
    assert_exit(&out, 3, "run with another CC");
    assert_eq!(
        cache_entries(&cache).len(),
        2,
        "CC changed the built-in link"
    );

    // The system linker: its own entry, and one per driver.
    let run_system = |cc: &Path| {
        let mut cmd = Command::new(wasi_aot_bin());
        cmd.env("WASI_AOT_CACHE_DIR", &cache)
            .env("CC", cc)
            .arg("run")
            .args(["--linker", "system"])
            .arg(&input);
        run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"))
    };
    assert_exit(
        &run_system(Path::new("cc")),
        3,
        "run with the system linker",
    );
    assert_eq!(
        cache_entries(&cache).len(),
        3,
        "the system linker reused an entry"
    );
    assert_exit(
        &run_system(Path::new("cc")),
        3,
        "run with the system linker again",
    );
    assert_eq!(
        cache_entries(&cache).len(),
        3,
        "the same system linker missed"
    );
    assert_exit(&run_system(&cc), 3, "run with another CC");
    assert_eq!(cache_entries(&cache).len(), 4, "another CC reused an entry");
}

/// The cache stays within `WASI_AOT_CACHE_SIZE` (least recently used
/// entries go, the newest stays), `wasi-aot cache list` shows it and
/// `wasi-aot cache clear` empties it.
#[test]
fn cache_is_bounded_listed_and_cleared() {
    let tmp = TempDir::new("cli-cache-bound");
    let cache = tmp.path().join("cache");
    let one_byte = Path::new("1");
    let mut inputs = Vec::new();
    for code in [3, 4, 5] {
        let input = tmp.path().join(format!("m{code}.wasm"));
        std::fs::write(&input, exit_module(code)).expect("write");
        let out = run_cached(
            &wasi_aot_bin(),
            &cache,
            &input,
            &[("WASI_AOT_CACHE_SIZE", one_byte)],
        );
        assert_exit(&out, code as i32, "bounded run");
        assert_eq!(
            cache_entries(&cache).len(),
            1,
            "a 1-byte cache keeps only the newest entry: {:?}",
            listing(&cache)
        );
        inputs.push(input);
    }
    // Unbounded enough: every module keeps its entry.
    for (input, code) in inputs.iter().zip([3, 4]) {
        let out = run_cached(&wasi_aot_bin(), &cache, input, &[]);
        assert_exit(&out, code, "default-bound run");
    }
    let entries = cache_entries(&cache);
    assert_eq!(entries.len(), 3, "{:?}", listing(&cache));

    let out = cache_command(&cache, "list");
    assert_exit(&out, 0, "cache list");
    let text = out.stdout_str();
    for key in &entries {
        assert!(text.contains(key.as_str()), "{key} not listed:\n{text}");
    }
    assert!(
        text.lines()
            .last()
            .is_some_and(|l| l.starts_with("3 entries, ") && l.contains("(limit 256.0 MiB)")),
        "{text}"
    );

    let out = cache_command(&cache, "clear");
    assert_exit(&out, 0, "cache clear");
    assert!(
        out.stdout_str().starts_with("removed 3 entries ("),
        "{}",
        out.stdout_str()
    );
    assert!(cache_entries(&cache).is_empty(), "{:?}", listing(&cache));
    let out = cache_command(&cache, "list");
    assert!(
        out.stdout_str().starts_with("0 entries, 0 B"),
        "{}",
        out.stdout_str()
    );

    // A bound that is not a size is one error line.
    let out = run_cached(
        &wasi_aot_bin(),
        &cache,
        &inputs[0],
        &[("WASI_AOT_CACHE_SIZE", Path::new("lots"))],
    );
    assert_one_error_line(&out, "invalid WASI_AOT_CACHE_SIZE `lots`");
}

// ---------------------------------------------------------------------------
// Limits, start-up failures, argv0
// ---------------------------------------------------------------------------

/// Builds `wasm` with `flags` and runs it, and runs it through `wasi-aot
/// run` with the same flags; both outputs, in that order.
fn build_and_run_both(tmp: &TempDir, name: &str, wasm: &[u8], flags: &[&str]) -> [Output; 2] {
    let input = tmp.path().join(format!("{name}.wasm"));
    std::fs::write(&input, wasm).expect("write module");
    let exe = tmp.path().join(name);
    let out = build(&input, &exe, flags);
    assert_exit(&out, 0, &format!("build {name} {flags:?}"));
    let built = run_with_timeout(Command::new(&exe), &[], RUN_TIMEOUT)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.env("WASI_AOT_CACHE_DIR", tmp.path().join("cache"))
        .arg("run")
        .args(flags)
        .arg(&input);
    let ran = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{name}: {e}"));
    [built, ran]
}

/// `--max-memory` caps `memory.grow` (it returns -1 past the limit), on
/// `build` and on `run`; a memory that starts larger does not start.
#[test]
fn max_memory_caps_memory_grow() {
    let tmp = TempDir::new("cli-max-memory");
    // Exit status: 1 when growing by 15 pages (to 16) works, +2 when the
    // next page is refused, +4 when the size is then 16 pages.
    let wasm = wat(r#"(func (export "_start")
         (call $exit
           (i32.add
             (i32.add
               (i32.eq (memory.grow (i32.const 15)) (i32.const 1))
               (i32.mul (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (i32.const 2)))
             (i32.mul (i32.eq (memory.size) (i32.const 16)) (i32.const 4)))))"#);
    for out in build_and_run_both(&tmp, "unlimited", &wasm, &[]) {
        assert_exit(&out, 1, "no limit");
    }
    for limit in ["1M", "1048576", "1100000"] {
        for out in build_and_run_both(&tmp, "limited", &wasm, &["--max-memory", limit]) {
            assert_exit(&out, 7, &format!("--max-memory {limit}"));
        }
    }
    for out in build_and_run_both(&tmp, "too-small", &wasm, &["--max-memory", "32K"]) {
        assert_cannot_start(
            &out,
            "memory 0 starts at 65536 bytes, more than --max-memory allows (32768 bytes)",
        );
    }
}

/// `--max-wasm-stack` sets the stack wasm runs on: a recursion 20,000 deep
/// fits in the default and in 2 MiB, and exhausts 64 KiB.
#[test]
fn max_wasm_stack_bounds_recursion() {
    let tmp = TempDir::new("cli-max-stack");
    let wasm = wat(r#"(func $down (param i32) (result i32)
           (if (result i32) (i32.eqz (local.get 0))
             (then (i32.const 0))
             (else (i32.add (i32.const 1)
                     (call $down (i32.sub (local.get 0) (i32.const 1)))))))
         (func (export "_start")
           (call $exit (i32.add (i32.const 5)
                         (i32.ne (call $down (i32.const 20000)) (i32.const 20000)))))"#);
    for flags in [&[][..], &["--max-wasm-stack", "2M"]] {
        for out in build_and_run_both(&tmp, "deep", &wasm, flags) {
            assert_exit(&out, 5, &format!("{flags:?}"));
        }
    }
    for out in build_and_run_both(&tmp, "shallow", &wasm, &["--max-wasm-stack", "64K"]) {
        assert_exit(&out, TRAP_EXIT_STATUS, "--max-wasm-stack 64K");
        assert!(
            out.stderr_str()
                .starts_with("wasm trap: call stack exhausted\n"),
            "{}",
            out.stderr_str()
        );
    }
}

/// Checks a start-up failure: exit status 70, exactly one line
/// `error: cannot start: REASON` on stderr, nothing on stdout.
fn assert_cannot_start(out: &Output, reason: &str) {
    assert_eq!(
        out.stderr_str(),
        format!("error: cannot start: {reason}\n"),
        "status {}",
        out.describe_status()
    );
    assert_exit(out, 70, reason);
    assert!(out.stdout.is_empty(), "stdout: {}", out.stdout_str());
}

/// Every start-up failure is one line and exit status 70, from a built
/// executable and under `wasi-aot run`: no address space for the memory or
/// the stack (`ulimit -v`), a granted directory missing.
#[test]
fn start_up_failures_are_one_line_and_one_status() {
    let tmp = TempDir::new("cli-start-fail");
    let wasm = exit3_module();
    let input = tmp.path().join("m.wasm");
    std::fs::write(&input, &wasm).expect("write");
    let cache = tmp.path().join("cache");
    // Each case: flags, whether to run under a 1 GiB address-space limit,
    // the reason.
    let cases: [(&[&str], bool, &str); 3] = [
        (
            &[],
            true,
            "cannot reserve address space for the linear memory",
        ),
        (
            &["--max-wasm-stack", "2G"],
            true,
            "cannot map the wasm stack (2097152 KiB)",
        ),
        (
            &["--dir", "no-such-dir"],
            false,
            "cannot open directory 'no-such-dir': No such file or directory",
        ),
    ];
    for (i, (flags, limited, reason)) in cases.into_iter().enumerate() {
        let exe = tmp.path().join(format!("prog{i}"));
        assert_exit(&build(&input, &exe, flags), 0, "build");
        // Under `run`, the executable is built and cached first, outside
        // the limit, so that only the start-up runs under it.
        let mut warm = Command::new(wasi_aot_bin());
        warm.env("WASI_AOT_CACHE_DIR", &cache)
            .current_dir(tmp.path())
            .arg("run")
            .args(flags)
            .arg(&input);
        let warm = run_with_timeout(warm, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
        if !limited {
            assert_cannot_start(&warm, reason);
        }
        let mut runs = vec![vec![exe.into_os_string()]];
        let mut run_args = vec![wasi_aot_bin().into_os_string(), "run".into()];
        run_args.extend(flags.iter().map(Into::into));
        run_args.push(input.clone().into_os_string());
        runs.push(run_args);
        for argv in runs {
            let mut cmd = Command::new("sh");
            let limit = if limited { "ulimit -v 1048576; " } else { "" };
            cmd.arg("-c")
                .arg(format!("{limit}exec \"$@\""))
                .arg("sh")
                .args(&argv)
                .env("WASI_AOT_CACHE_DIR", &cache)
                .current_dir(tmp.path());
            let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
            assert_cannot_start(&out, reason);
        }
    }
}

/// A module printing its whole argument buffer (each argument
/// NUL-terminated) to stdout.
fn print_args_module() -> Vec<u8> {
    wat::parse_str(
        r#"(module
             (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
             (import "wasi_snapshot_preview1" "args_get" (func $get (param i32 i32) (result i32)))
             (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
             (memory (export "memory") 1)
             (func (export "_start")
               (drop (call $sizes (i32.const 0) (i32.const 20)))
               (drop (call $get (i32.const 1024) (i32.const 4096)))
               (i32.store (i32.const 8) (i32.const 4096))
               (i32.store (i32.const 12) (i32.load (i32.const 20)))
               (drop (call $write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 16)))))"#,
    )
    .expect("assembles")
}

/// `--argv0` replaces the `argv[0]` the module sees: baked in by `build`,
/// given to the executable by `run`. Without it, the executable's own.
#[test]
fn argv0_is_set_on_build_and_run() {
    let tmp = TempDir::new("cli-argv0");
    let input = tmp.path().join("args.wasm");
    std::fs::write(&input, print_args_module()).expect("write");
    let cache = tmp.path().join("cache");
    for argv0 in [None, Some("clang"), Some("")] {
        let flags: Vec<&str> = argv0.map(|a| vec!["--argv0", a]).unwrap_or_default();
        let exe = tmp.path().join("args");
        assert_exit(&build(&input, &exe, &flags), 0, "build");
        let mut cmd = Command::new(&exe);
        cmd.args(["a", "b c"]);
        let built = run_with_timeout(cmd, &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
        let exe_name = exe.display().to_string();
        let first = argv0.unwrap_or(&exe_name);
        assert_eq!(
            built.stdout_str(),
            format!("{first}\0a\0b c\0"),
            "{flags:?}"
        );

        let mut cmd = Command::new(wasi_aot_bin());
        cmd.env("WASI_AOT_CACHE_DIR", &cache)
            .arg("run")
            .args(&flags)
            .arg(&input)
            .args(["a", "b c"]);
        let ran = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
        let input_name = input.display().to_string();
        let first = argv0.unwrap_or(&input_name);
        assert_eq!(
            ran.stdout_str(),
            format!("{first}\0a\0b c\0"),
            "run {flags:?}"
        );
    }
}

/// Bad limit values are refused by the argument parser, naming the flag.
#[test]
fn bad_limit_values_are_refused() {
    let tmp = TempDir::new("cli-bad-limits");
    let input = tmp.path().join("m.wasm");
    std::fs::write(&input, exit3_module()).expect("write");
    for (flag, value) in [
        ("--max-memory", "lots"),
        ("--max-memory", "12X"),
        ("--max-memory", "99999999999T"),
        ("--max-wasm-stack", "0"),
        ("--max-wasm-stack", "-1"),
    ] {
        let arg = format!("{flag}={value}");
        let out = build(&input, &tmp.path().join("prog"), &[&arg]);
        assert_eq!(
            out.status_code(),
            Some(2),
            "{flag} {value}: {}",
            out.stderr_str()
        );
        assert!(
            out.stderr_str().contains(flag),
            "{flag} {value}: {}",
            out.stderr_str()
        );
        assert!(!tmp.path().join("prog").exists());
    }
}

// ---------------------------------------------------------------------------
// Inputs that are not WASI preview 1 modules
// ---------------------------------------------------------------------------

/// A WebAssembly component (WASI preview 2), binary or text, is named as
/// one, with what is supported instead.
#[test]
fn components_are_named() {
    let tmp = TempDir::new("cli-component");
    let binary = tmp.path().join("c.wasm");
    std::fs::write(&binary, b"\0asm\x0d\0\x01\0").expect("write");
    let text = tmp.path().join("c.wat");
    std::fs::write(&text, "(component)").expect("write");
    for input in [binary, text] {
        let out = build(&input, &tmp.path().join("prog"), &[]);
        assert_one_error_line(
            &out,
            "a WebAssembly component (WASI preview 2), not a core module (version field at \
             offset 4): only modules using WASI preview 1 are supported",
        );
    }
}

/// Every refused import says what an executable may import.
#[test]
fn unknown_imports_say_what_may_be_imported() {
    let tmp = TempDir::new("cli-imports");
    let allowed = "; an executable may import only WASI preview 1 functions \
                   (from `wasi_snapshot_preview1`, or `wasi_unstable` for preview 0)";
    for (import, names, detail) in [
        (r#"(import "env" "f" (func))"#, "`env::f`", ""),
        (
            r#"(import "env" "mem" (memory 1))"#,
            "`env::mem`",
            ": not a function",
        ),
        (
            r#"(import "wasi_snapshot_preview1" "nope" (func))"#,
            "`wasi_snapshot_preview1::nope`",
            ": not a WASI function",
        ),
        (
            r#"(import "wasi_snapshot_preview1" "fd_write" (func))"#,
            "`wasi_snapshot_preview1::fd_write`",
            ": its type (func) is not the WASI function's",
        ),
    ] {
        let wasm = wat::parse_str(format!(r#"(module {import} (func (export "_start")))"#))
            .expect("assembles");
        let input = tmp.path().join("m.wasm");
        std::fs::write(&input, wasm).expect("write");
        let out = build(&input, &tmp.path().join("prog"), &[]);
        assert_one_error_line(&out, &format!("{detail}{allowed}"));
        assert!(
            out.stderr_str()
                .contains(&format!("unknown import {names} at offset ")),
            "{}",
            out.stderr_str()
        );
    }
}

// ---------------------------------------------------------------------------
// The installed tool
// ---------------------------------------------------------------------------

/// The release build of the tool (what `cargo install` installs) carries
/// no debug information.
#[test]
fn release_tool_has_no_debug_info() {
    use object::{Object, ObjectSection};
    if std::env::var_os("WASI_AOT").is_some() {
        return; // Not this build's tool.
    }
    let bin = wasi_aot_bin();
    let bytes = std::fs::read(&bin).expect("read the tool");
    let file = object::File::parse(&*bytes).expect("parse the tool");
    let debug: Vec<String> = file
        .sections()
        .filter_map(|s| s.name().ok().map(str::to_string))
        .filter(|n| n.starts_with(".debug_"))
        .collect();
    assert!(debug.is_empty(), "{} has {debug:?}", bin.display());
}

/// A build that takes seconds shows one progress line on a terminal (here
/// a pseudo-terminal made by `script`), which it erases at the end, and
/// nothing when stderr is not a terminal.
#[test]
fn long_builds_show_progress_on_a_terminal() {
    let tmp = TempDir::new("progress");
    let mut fields = String::new();
    for i in 0..12_000 {
        write!(
            fields,
            "(func (export \"f{i}\") (param i32) (result i32) (local.get 0)"
        )
        .unwrap();
        // Every body differs: identical ones would be compiled once.
        for j in 0..60 {
            let k = i + j;
            write!(fields, "(i32.add (i32.const {k})) (i32.mul (local.get 0))").unwrap();
        }
        fields.push_str(")\n");
    }
    fields.push_str(r#"(func (export "_start") (call $exit (i32.const 3)))"#);
    let input = tmp.path().join("big.wasm");
    std::fs::write(&input, wat(&fields)).expect("write module");
    let exe = tmp.path().join("big");

    let piped = build(&input, &exe, &[]);
    assert_exit(&piped, 0, "build with stderr on a pipe");
    assert!(piped.stderr.is_empty(), "{}", piped.stderr_str());
    std::fs::remove_file(&exe).expect("remove the executable");

    let line = format!(
        "'{}' build '{}' -o '{}'",
        wasi_aot_bin().display(),
        input.display(),
        exe.display()
    );
    let mut cmd = Command::new("script");
    cmd.args(["-q", "-e", "-c", &line, "/dev/null"]);
    let on_tty = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_exit(&on_tty, 0, "build on a terminal");
    let shown = on_tty.stdout_str();
    assert!(
        shown.contains("wasi-aot: compiling functions: ") && shown.contains(" of 12001 ("),
        "no progress line: {shown:?}"
    );
    assert!(
        shown.ends_with("\r\x1b[K"),
        "the line is not erased: {shown:?}"
    );
    let mut run = Command::new(&exe);
    run.env_clear();
    let ran = run_with_timeout(run, &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_exit(&ran, 3, "the executable");
}

/// Small leaf functions are inlined, and a trap inside an inlined body
/// still shows the inlined function's frame first, as `--no-inline`
/// shows it; a trap in the caller's own code after an inlined call shows
/// no such frame.
#[test]
fn inlined_functions_keep_their_frames() {
    let tmp = TempDir::new("cli-inline");
    let module = |trap: &str| {
        wat(&format!(
            r#"(func $load (param i32) (result i32) (i32.load (local.get 0)))
               (func $div (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0)))
               (func $run (result i32)
                 (i32.add (call $load (i32.const 8)) (call $div (i32.const 7)))
                 {trap})
               (func $_start (export "_start") (drop (call $run)) (call $exit (i32.const 0)))"#
        ))
    };
    let cases = [
        (
            "load",
            "(drop (call $load (i32.const 65536)))",
            "out of bounds memory access",
            vec!["load", "run", "_start"],
        ),
        (
            "div",
            "(drop (call $div (i32.const 0)))",
            "integer divide by zero",
            vec!["div", "run", "_start"],
        ),
        (
            "own",
            "(unreachable)",
            "unreachable executed",
            vec!["run", "_start"],
        ),
    ];
    for (name, trap, message, frames) in cases {
        let input = tmp.path().join(format!("{name}.wasm"));
        std::fs::write(&input, module(trap)).expect("write module");
        let mut expected = format!("wasm trap: {message}\nwasm backtrace:\n");
        for (n, frame) in frames.iter().enumerate() {
            expected.push_str(&format!("    {n}: {frame}\n"));
        }
        let mut executables = Vec::new();
        for flags in [&[][..], &["--no-inline"][..]] {
            let exe = tmp.path().join(format!("{name}{}", flags.len()));
            assert_exit(&build(&input, &exe, flags), 0, "build");
            let out = run_with_timeout(Command::new(&exe), &[], RUN_TIMEOUT)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_exit(&out, 134, name);
            assert_eq!(out.stderr_str(), expected, "{name} {flags:?}");
            executables.push(std::fs::read(&exe).expect("read executable"));
        }
        assert_ne!(
            executables[0], executables[1],
            "{name}: nothing was inlined"
        );
    }
}

/// An executable's memory 0 starts from an image of its active data
/// segments when they fill a large enough span: the bytes are what the
/// segments leave in order (a later one overwrites an earlier one), the
/// image's pages are written without changing the executable, the active
/// segments are dropped and a passive one still initialises memory. When
/// the segments are sparse there is no image, and a segment outside the
/// initial memory still traps at instantiation.
#[test]
fn data_segments_as_a_memory_image() {
    use object::{Object, ObjectSymbol};
    let tmp = TempDir::new("cli-image");
    let big: Vec<u8> = (0..70_000u32).map(|k| ((k * 7 + 3) % 251) as u8).collect();
    // Name, memory pages, segments (offset, bytes), whether the executable
    // has an image (`None`: instantiation traps).
    type Case<'a> = (&'a str, u32, Vec<(u32, &'a [u8])>, Option<bool>);
    let cases: [Case; 3] = [
        (
            "image",
            2,
            vec![(1000, &big), (5000, b"overwrite"), (131_072, b"")],
            Some(true),
        ),
        (
            "sparse",
            16,
            vec![(1000, &big), (1_000_000, b"far away")],
            Some(false),
        ),
        (
            "outside",
            2,
            vec![(1000, &big), (131_070, b"overwrite")],
            None,
        ),
    ];
    for (name, pages, segments, imaged) in cases {
        let size = pages * 65536;
        let mut memory = vec![0u8; size as usize];
        let mut data = String::new();
        for (offset, bytes) in &segments {
            if let Some(range) = memory.get_mut(*offset as usize..*offset as usize + bytes.len()) {
                range.copy_from_slice(bytes);
            }
            let text: String = bytes.iter().map(|b| format!("\\{b:02x}")).collect();
            data.push_str(&format!("(data (i32.const {offset}) \"{text}\")\n"));
        }
        let sum = memory.iter().enumerate().fold(0u32, |sum, (i, &b)| {
            sum.wrapping_add(u32::from(b) * (i as u32 % 13 + 1))
        });
        let module = command(
            &format!(r#"(memory (export "memory") {pages})"#),
            &format!(
                r#"{data}
                (data $passive "passive!")
                (func $_start (export "_start") (local $i i32) (local $sum i32)
                  (loop $l
                    (local.set $sum (i32.add (local.get $sum)
                      (i32.mul (i32.load8_u (local.get $i))
                               (i32.add (i32.rem_u (local.get $i) (i32.const 13)) (i32.const 1)))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br_if $l (i32.lt_u (local.get $i) (i32.const {size}))))
                  (if (i32.ne (local.get $sum) (i32.const {sum})) (then (call $exit (i32.const 1))))
                  (memory.init $passive (i32.const 100) (i32.const 0) (i32.const 8))
                  (if (i32.ne (i32.load8_u (i32.const 107)) (i32.const 33))
                    (then (call $exit (i32.const 2))))
                  (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0))
                  (i32.store8 (i32.const 1000) (i32.const 0))
                  (i32.store8 (i32.const 70999) (i32.const 0))
                  (call $exit (i32.const 0)))"#
            ),
        );
        let input = tmp.path().join(format!("{name}.wasm"));
        std::fs::write(&input, module).expect("write module");
        let exe = tmp.path().join(name);
        assert_exit(&build(&input, &exe, &[]), 0, "build");
        let before = std::fs::read(&exe).expect("read executable");
        let file = object::File::parse(&*before).expect("parse executable");
        let has_image = file
            .symbols()
            .any(|s| s.name() == Ok("wasi_aot_memory_image"));
        for run in 0..2 {
            let out = run_with_timeout(Command::new(&exe), &[], RUN_TIMEOUT)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            match imaged {
                Some(_) => assert_exit(&out, 0, &format!("{name}, run {run}")),
                None => {
                    assert_exit(&out, 134, name);
                    assert!(
                        out.stderr_str()
                            .starts_with("wasm trap: out of bounds memory access\n"),
                        "{name}: {}",
                        out.stderr_str()
                    );
                }
            }
        }
        assert_eq!(has_image, imaged == Some(true), "{name}: image symbol");
        assert!(
            std::fs::read(&exe).expect("read executable") == before,
            "{name}: running changed the executable"
        );
    }
}

/// A function with the same type and wasm body as an earlier one is
/// folded into it: a trap in the later one is reported under the first
/// one's name (the later one is a jump to its code). `--no-inline`
/// compiles every function as it is, so the report names it.
#[test]
fn identical_functions_are_folded() {
    let tmp = TempDir::new("cli-twins");
    let input = tmp.path().join("twins.wasm");
    let body = "(i32.div_u (i32.const 7) (call $id (local.get 0)))";
    std::fs::write(
        &input,
        wat(&format!(
            r#"(func $id (param i32) (result i32) (local.get 0))
               (func $first (param i32) (result i32) {body})
               (func $second (param i32) (result i32) {body})
               (func $_start (export "_start")
                 (drop (call $first (i32.const 1)))
                 (drop (call $second (i32.const 0)))
                 (call $exit (i32.const 0)))"#
        )),
    )
    .expect("write module");
    for (flags, frame) in [(&[][..], "first"), (&["--no-inline"][..], "second")] {
        let exe = tmp.path().join(format!("twins{}", flags.len()));
        assert_exit(&build(&input, &exe, flags), 0, "build");
        let out = run_with_timeout(Command::new(&exe), &[], RUN_TIMEOUT)
            .unwrap_or_else(|e| panic!("{flags:?}: {e}"));
        assert_exit(&out, 134, "twins");
        assert_eq!(
            out.stderr_str(),
            format!(
                "wasm trap: integer divide by zero\nwasm backtrace:\n    0: {frame}\n    1: _start\n"
            ),
            "{flags:?}"
        );
    }
}

/// A module's trailing debug sections are not needed to build it (the
/// compiler drops them before compiling): the executable is the same with
/// or without them, and a malformed trailing section is still refused.
/// `--verbose` says where the build's time went, phase by phase.
#[test]
fn trailing_debug_sections_and_the_verbose_report() {
    let tmp = TempDir::new("debug-sections");
    let plain = exit3_module();
    let custom = |name: &str, data: &[u8]| {
        let mut contents = vec![name.len() as u8];
        contents.extend_from_slice(name.as_bytes());
        contents.extend_from_slice(data);
        section(0, &contents)
    };
    let mut debug = plain.clone();
    debug.extend(custom(".debug_info", &vec![0x5a; 1 << 20]));
    debug.extend(custom(".debug_line", b"lines"));

    let mut exes = Vec::new();
    for (name, wasm) in [("plain", &plain), ("debug", &debug)] {
        let input = tmp.path().join(format!("{name}.wasm"));
        std::fs::write(&input, wasm).expect("write module");
        let exe = tmp.path().join(name);
        let out = build(&input, &exe, &["--verbose"]);
        assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
        let stderr = out.stderr_str();
        let times = stderr
            .lines()
            .find(|l| l.starts_with("time: "))
            .unwrap_or_else(|| panic!("no time line in:\n{stderr}"));
        for phase in [
            "read", "parse", "inline", "compile", "object", "link", "total",
        ] {
            assert!(
                times.contains(&format!(" {phase} ")),
                "{phase} missing: {times}"
            );
        }
        let mut cmd = Command::new(&exe);
        cmd.env_clear();
        let run = run_with_timeout(cmd, &[], RUN_TIMEOUT).expect("runs");
        assert_exit(&run, 3, name);
        exes.push(std::fs::read(&exe).expect("read executable"));
    }
    assert!(
        exes[0] == exes[1],
        "the debug sections changed the executable"
    );

    // The last section's declared size runs past the end of the file.
    let mut truncated = debug.clone();
    truncated.truncate(debug.len() - 2);
    let input = tmp.path().join("truncated.wasm");
    std::fs::write(&input, &truncated).expect("write module");
    let out = build(&input, &tmp.path().join("truncated"), &[]);
    assert_one_error_line(&out, "truncated.wasm");
    assert!(!tmp.path().join("truncated").exists());
}
