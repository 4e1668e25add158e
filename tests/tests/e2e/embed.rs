//! `--embed-dir`: a tree baked into the executable reads like the same tree
//! granted with `--dir` (and under wasmtime with `--dir`), refuses every
//! change as a read-only file system does, and cannot be left.
//!
//! The tree is made by each test: small and empty files, a file over
//! 2 MiB, a directory of 3,000 files, symlinks to a file, to a directory,
//! to `.`, in a loop and dangling, and a name with a space and UTF-8.

use std::path::{Path, PathBuf};
use std::process::Command;

use wasi_aot_tests::*;

/// Lays out the test tree at `root`.
fn make_tree(root: &Path) {
    use std::os::unix::fs::symlink;
    let dir = |p: &str| std::fs::create_dir_all(root.join(p)).expect("mkdir");
    let file = |p: &str, b: &[u8]| std::fs::write(root.join(p), b).expect("write");
    let link = |target: &str, p: &str| symlink(target, root.join(p)).expect("symlink");
    dir("sub/deep");
    dir("empty");
    dir("many");
    file("a.txt", b"hello\n");
    file("empty.txt", b"");
    file("sub/b.txt", &[b'b'; 100]);
    file("sub/deep/c.txt", b"deep\n");
    file("spa ce \u{e9}.txt", b"odd name\n");
    // 3 MiB + 123 bytes of a fixed pseudo-random sequence.
    let mut rng = Rng::new(7, 0);
    let big: Vec<u8> = (0..(3 << 20) + 123).map(|_| rng.next_u64() as u8).collect();
    file("big.bin", &big);
    for i in 0..3000 {
        file(&format!("many/f{i:05}"), format!("{i}\n").as_bytes());
    }
    link("../a.txt", "sub/link");
    link("sub", "subl");
    link(".", "up");
    link("loop2", "loop1");
    link("loop1", "loop2");
    link("missing.txt", "dangling");
}

/// `--dir` or `--embed-dir` flag value granting `root` as `/t`.
fn grant(root: &Path) -> String {
    format!("{}::/t", root.display())
}

/// Runs `exe` (or wasmtime with `embed.wasm` when `wasmtime` is given)
/// with `args` and returns its stdout, checking it succeeded.
fn run(exe: &Path, args: &[&str]) -> String {
    let mut cmd = Command::new(exe);
    cmd.args(args);
    let out = run_with_timeout(cmd, &[], RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status_code(),
        Some(0),
        "{} {args:?}: {}\n{}",
        exe.display(),
        out.describe_status(),
        out.stderr_str()
    );
    out.stdout_str()
}

fn run_wasmtime(wasmtime: &Path, root: &Path, args: &[&str]) -> String {
    let mut cmd = Command::new(wasmtime);
    cmd.arg("run").args(["--dir", &grant(root)]);
    cmd.arg(wasi_dir().join("build/embed.wasm")).args(args);
    let out = run_with_timeout(cmd, &[], REFERENCE_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(0), "wasmtime: {}", out.stderr_str());
    out.stdout_str()
}

/// The tree, an executable reading it from `--dir` and one with it
/// embedded.
fn setup(label: &str) -> (TempDir, PathBuf, PathBuf, PathBuf) {
    let tmp = TempDir::new(label);
    let root = tmp.path().join("tree");
    make_tree(&root);
    let g = grant(&root);
    let with_dir = super::build("embed", tmp.path(), "with-dir", &["--dir", &g]);
    let embedded = super::build("embed", tmp.path(), "embedded", &["--embed-dir", &g]);
    (tmp, root, with_dir, embedded)
}

#[test]
fn embedded_tree_reads_like_the_directory() {
    let (_tmp, root, with_dir, embedded) = setup("embed-read");
    for args in [
        &["tree", "/t"][..],
        &["readdir", "/t"],
        &["readdir", "/t/many"],
        &["readdir", "/t/empty"],
        &["escape", "/t"],
        &["poll", "/t"],
    ] {
        let want = run(&with_dir, args);
        let got = run(&embedded, args);
        assert!(
            got == want,
            "{args:?}: {}",
            describe_mismatch("stdout", want.as_bytes(), got.as_bytes())
        );
        // wasmtime reads a directory again from its start on every
        // `fd_readdir` call: 3,000 entries in small pieces take it minutes.
        // Its `poll_oneoff` answers differently for files (a difference the
        // README lists), so the poll run is compared with `--dir` only.
        let skip = args[1] == "/t/many" || args[0] == "poll";
        if let (Ok(wasmtime), false) = (wasmtime_bin(), skip) {
            let theirs = run_wasmtime(&wasmtime, &root, args);
            assert!(
                theirs == want,
                "{args:?} under wasmtime: {}",
                describe_mismatch("stdout", theirs.as_bytes(), want.as_bytes())
            );
        }
    }
    // What the comparison rests on: the listing saw the whole tree.
    let listing = run(&embedded, &["tree", "/t"]);
    for needle in [
        "file big.bin 3145851\n  read 3145851 ",
        "pread 3145851 same",
        "/t/many: 3002 entries\n",
        "  3000 names and sizes: ",
        "link subl 3\n  -> sub (3), follows to dir",
        "link dangling 11\n  -> missing.txt (11), follows to No such file or directory",
        "file spa ce \u{e9}.txt 9",
        "/t/sub/deep: 3 entries\n",
        "file empty.txt 0\n  read 0 ",
        "readlink into 2 bytes: 2 ..",
    ] {
        assert!(listing.contains(needle), "no `{needle}` in:\n{listing}");
    }
    // An embedded file is ready at once, with what is left to read.
    let poll = run(&embedded, &["poll", "/t"]);
    assert!(
        poll.starts_with("poll: ok, 2 events\n  userdata 1 type 1 error 0 nbytes 4\n"),
        "{poll}"
    );
    let escapes = run(&embedded, &["escape", "/t"]);
    for needle in [
        "open ..: Operation not permitted\n",
        "open /a.txt: Operation not permitted\n",
        "open up/..: Operation not permitted\n",
        "open up/../a.txt: Operation not permitted\n",
        "open subl/../..: Operation not permitted\n",
        "open loop1: Symbolic link loop\n",
        "open a.txt/: Not a directory\n",
        "from sub, open ../a.txt: Operation not permitted\n",
        "from sub, open link: Operation not permitted\n",
        "from sub, open b.txt: ok\n",
    ] {
        assert!(escapes.contains(needle), "no `{needle}` in:\n{escapes}");
    }
}

#[test]
fn embedded_tree_refuses_every_change() {
    let (_tmp, root, _with_dir, embedded) = setup("embed-write");
    let got = run(&embedded, &["write", "/t"]);
    let want = "\
open a.txt for writing: Read-only file system
open a.txt read-write: Read-only file system
create new.txt: Read-only file system
create new.txt read-only: Read-only file system
create nodir/new.txt: No such file or directory
create a.txt exclusively: File exists
open a.txt with O_CREAT: ok
open a.txt with O_TRUNC: Read-only file system
open sub for writing: Is a directory
mkdir d: Read-only file system
mkdir sub: Read-only file system
unlink a.txt: Read-only file system
unlink missing: Read-only file system
rmdir empty: Read-only file system
rename a.txt: Read-only file system
link a.txt: Read-only file system
symlink: Read-only file system
utimensat a.txt: Read-only file system
open a.txt: ok
futimens: Read-only file system
ftruncate: Read-only file system
write: Bad file descriptor
pwrite: Bad file descriptor
posix_fallocate: Read-only file system
fsync: ok
posix_fadvise: ok
still readable: ok
";
    assert!(
        got == want,
        "{}",
        describe_mismatch("stdout", want.as_bytes(), got.as_bytes())
    );
    // The host tree is untouched.
    assert_eq!(
        std::fs::read(root.join("a.txt")).expect("a.txt"),
        b"hello\n"
    );
    assert!(!root.join("new.txt").exists() && !root.join("d").exists());
}

/// The tree is read at build time: changing or removing it afterwards
/// changes nothing, and the executable carries its contents.
#[test]
fn embedded_tree_is_inside_the_executable() {
    let (tmp, root, _with_dir, embedded) = setup("embed-inside");
    let before = run(&embedded, &["tree", "/t"]);
    std::fs::remove_dir_all(&root).expect("remove the tree");
    assert_eq!(run(&embedded, &["tree", "/t"]), before);
    let size = std::fs::metadata(&embedded).expect("exe").len();
    assert!(size > 3 << 20, "the executable is only {size} bytes");
    // Deterministic: the same tree (same times) gives the same file.
    make_tree(&root);
    let g = grant(&root);
    let a = super::build("embed", tmp.path(), "a", &["--embed-dir", &g]);
    let b = super::build("embed", tmp.path(), "b", &["--embed-dir", &g]);
    assert!(std::fs::read(a).expect("a") == std::fs::read(b).expect("b"));
}

/// `--embed-dir` next to `--dir`: both preopens work, the tree after the
/// directory in descriptor order.
#[test]
fn embedded_tree_next_to_a_directory() {
    let tmp = TempDir::new("embed-both");
    let root = tmp.path().join("tree");
    make_tree(&root);
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).expect("mkdir");
    std::fs::write(other.join("a.txt"), "other\n").expect("write");
    let exe = super::build(
        "embed",
        tmp.path(),
        "both",
        &[
            "--embed-dir",
            &grant(&root),
            "--dir",
            &format!("{}::/o", other.display()),
        ],
    );
    let t = run(&exe, &["tree", "/t"]);
    assert!(t.contains("file a.txt 6\n"), "{t}");
    let o = run(&exe, &["tree", "/o"]);
    assert!(o.starts_with("/o: 3 entries\nfile a.txt 6\n"), "{o}");
    // Writes to the directory still work; the tree's are refused.
    let w = run(&exe, &["write", "/o"]);
    assert!(w.starts_with("open a.txt for writing: ok\n"), "{w}");
}

/// Bad `--embed-dir` arguments and trees: one error line, exit status 1,
/// no output file.
#[test]
fn embed_dir_bad_arguments() {
    let tmp = TempDir::new("embed-bad");
    let root = tmp.path().join("tree");
    std::fs::create_dir(&root).expect("mkdir");
    std::fs::write(root.join("a.txt"), "a").expect("write");
    let outside = tmp.path().join("outside");
    std::fs::create_dir(&outside).expect("mkdir");
    // The flag's value, the expected message, and what to do to the tree
    // before the build.
    type BadCase = (String, &'static str, Box<dyn Fn()>);
    let cases: Vec<BadCase> = vec![
        ("".into(), "invalid --embed-dir", Box::new(|| {})),
        ("::/t".into(), "invalid --embed-dir", Box::new(|| {})),
        (
            format!("{}::", root.display()),
            "invalid --embed-dir",
            Box::new(|| {}),
        ),
        (
            format!("{}::/t", tmp.path().join("nope").display()),
            "cannot read",
            Box::new(|| {}),
        ),
        (
            format!("{}::/t", root.join("a.txt").display()),
            "is not a directory",
            Box::new(|| {}),
        ),
        (
            format!("{}::/t", root.display()),
            "points outside the tree",
            {
                let r = root.clone();
                Box::new(move || {
                    std::os::unix::fs::symlink("../outside", r.join("out")).expect("ln")
                })
            },
        ),
        (
            format!("{}::/t", root.display()),
            "points outside the tree",
            {
                let r = root.clone();
                Box::new(move || {
                    std::fs::remove_file(r.join("out")).expect("rm");
                    std::os::unix::fs::symlink("/etc", r.join("abs")).expect("ln")
                })
            },
        ),
        (format!("{}::/t", root.display()), "a FIFO", {
            let r = root.clone();
            Box::new(move || {
                std::fs::remove_file(r.join("abs")).expect("rm");
                let status = Command::new("mkfifo")
                    .arg(r.join("fifo"))
                    .status()
                    .expect("mkfifo");
                assert!(status.success());
            })
        }),
    ];
    let input = wasi_dir().join("build/embed.wasm");
    super::build("embed", tmp.path(), "warm", &[]);
    for (spec, message, prepare) in cases {
        prepare();
        let out_path = tmp.path().join("should-not-exist");
        let mut cmd = Command::new(wasi_aot_bin());
        cmd.arg("build")
            .arg(&input)
            .arg("-o")
            .arg(&out_path)
            .arg(format!("--embed-dir={spec}"));
        let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
        let stderr = out.stderr_str();
        assert_eq!(out.status_code(), Some(1), "{spec}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{spec}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(message),
            "{spec}: expected `{message}` in: {stderr}"
        );
        assert!(!out_path.exists(), "{spec}: an output was written");
    }
}

/// `build` prints nothing on success; `--verbose` reports what it made.
#[test]
fn build_is_quiet_unless_verbose() {
    let tmp = TempDir::new("embed-verbose");
    let root = tmp.path().join("tree");
    make_tree(&root);
    ensure_programs_built();
    let input = wasi_dir().join("build/embed.wasm");
    let quiet = tmp.path().join("quiet");
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("build").arg(&input).arg("-o").arg(&quiet);
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
    assert!(out.stdout.is_empty() && out.stderr.is_empty());

    let loud = tmp.path().join("loud");
    let mut cmd = Command::new(wasi_aot_bin());
    cmd.arg("build").arg(&input).arg("-o").arg(&loud).args([
        "-v",
        "--target-cpu",
        "x86-64-v3",
        "--dir",
        ".::/here",
        "--env",
        "A=secret",
        "--embed-dir",
        &grant(&root),
    ]);
    let out = run_with_timeout(cmd, &[], BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
    assert!(out.stdout.is_empty());
    let report = out.stderr_str();
    let size = std::fs::metadata(&loud).expect("exe").len();
    for needle in [
        "target: x86_64-linux, CPU level x86-64-v3, linker built-in\n".to_string(),
        "grants: --dir .::/here, --env A=...\n".to_string(),
        format!(
            "embedded: {} as /t: 3006 files, 5 directories, 6 symlinks, ",
            root.display()
        ),
        format!("output: {} (", loud.display()),
        "time: embed ".to_string(),
    ] {
        assert!(report.contains(&needle), "no `{needle}` in:\n{report}");
    }
    assert!(!report.contains("secret"), "{report}");
    assert!(size > 3 << 20);
}

/// `run --embed-dir`: the tree is embedded in the cached executable, and
/// the tree's contents are part of the cache key: a file changed in place
/// (same size) gives a new executable, not the cached one.
#[test]
fn run_subcommand_embeds_the_current_tree() {
    let tmp = TempDir::new("embed-run");
    let root = tmp.path().join("tree");
    std::fs::create_dir(&root).expect("mkdir");
    let g = grant(&root);
    let mut outputs = Vec::new();
    for text in ["one\n", "two\n"] {
        std::fs::write(root.join("a.txt"), text).expect("write");
        let out = super::wasi_aot_run("embed", &["--embed-dir", &g], &["tree", "/t"], &[]);
        assert_eq!(out.status_code(), Some(0), "{}", out.stderr_str());
        let stdout = out.stdout_str();
        assert!(stdout.contains("file a.txt 4\n  read 4 "), "{stdout}");
        outputs.push(stdout);
    }
    assert_ne!(outputs[0], outputs[1], "the cached executable was reused");
}
