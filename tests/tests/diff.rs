//! Differential tests: programs built by wasi-aot must do what they do under
//! wasmtime.
//!
//! * `smith_core` and `smith_proposals`: modules from `wasm-smith`, each
//!   turned into a WASI command by [`wrap::wrap`] (call every function with
//!   fixed arguments, print every result, a hash of every memory and every
//!   global after each call). `core` has WebAssembly 2.0 (SIMD, bulk memory,
//!   reference types, multi-value, sign extension, saturating conversions)
//!   plus tail calls and extended constants; `proposals` adds exception
//!   handling, several memories and 64-bit memories and tables.
//! * `csmith`: C programs from Debian's `csmith`, compiled by clang-19 for
//!   wasm32-wasi at -O0, -O1, -O2 and -O3; each program prints a checksum of
//!   its globals.
//! * `regression::*`: every divergence found on the way, kept as a command
//!   in `tests/diff/<name>.wat`.
//!
//! Each program is built by `wasi-aot build` and run, and run by wasmtime;
//! stdout and the ending (exit status, or trap and its message) must be the
//! same. Floating-point values are printed as bits and compared as bits,
//! except that two NaNs are equal whatever their bits (the spec leaves a
//! NaN's sign and payload open); memory hashes are compared exactly.
//! Filtered by construction, with the reason at the filter: a call stack
//! exhausted on one side (the two engines' stacks differ in size), and runs
//! that time out on both sides (csmith programs may loop for a long time).
//!
//! Seeds: `WASI_AOT_DIFF_ITERS=N` (modules per configuration, and C
//! programs; defaults [`DEFAULT_MODULES`] and [`DEFAULT_PROGRAMS`]),
//! `WASI_AOT_DIFF_FIRST=S` (the first seed, default 0),
//! `WASI_AOT_DIFF_SEED=S` (one seed alone, to reproduce a failure).
//! `tests/fuzz/run.sh` runs large counts. Without wasmtime the tests report
//! that they did not run, and fail when `WASI_AOT_REQUIRE_WASMTIME=1`.

#[path = "diff/wrap.rs"]
mod wrap;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use arbitrary::Unstructured;
use wasi_aot_tests::{
    BUILD_TIMEOUT, Rng, TRAP_EXIT_STATUS, TempDir, repo_root, run_with_timeout, wasi_aot_bin,
    wasmtime_bin, wasmtime_required,
};

/// Modules per configuration per run unless `WASI_AOT_DIFF_ITERS` says
/// otherwise.
const DEFAULT_MODULES: u64 = 120;
/// C programs per run unless `WASI_AOT_DIFF_ITERS` says otherwise.
const DEFAULT_PROGRAMS: u64 = 12;

/// Fuel given to a module's function before each call: loop iterations
/// and calls it may make before it traps.
const FUEL: i32 = 1_000;

/// How long one run may take. A csmith program may loop for a long time:
/// about one in eight runs longer than this on both engines, and is not
/// compared.
const RUN_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a run that timed out on one engine only is given again, so
/// that an engine a little slower than the other does not pass for a
/// program that never ends (or the reverse).
const RERUN_TIMEOUT: Duration = Duration::from_secs(60);

/// The features wasmtime must enable for the generated modules (tail calls,
/// SIMD, multi-memory and extended constants are on by default), and a
/// wasm stack as large as an executable's, so that the depth at which the
/// stack runs out seldom differs.
const WASMTIME_FLAGS: &[&str] = &[
    "-W",
    "exceptions=y,memory64=y,tail-call=y,multi-memory=y,max-wasm-stack=4194304",
    "-C",
    "cache=n",
];

/// The Debian packages the C programs need besides clang-19.
const CSMITH_PACKAGES: &str = "csmith libcsmith-dev";

// ---------------------------------------------------------------------------
// Seeds and parallel runs
// ---------------------------------------------------------------------------

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse::<u64>()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a number"))
    })
}

/// The seeds to run: `WASI_AOT_DIFF_SEED` alone, or `count` from
/// `WASI_AOT_DIFF_FIRST`.
fn seeds(default: u64) -> Vec<u64> {
    if let Some(seed) = env_number("WASI_AOT_DIFF_SEED") {
        return vec![seed];
    }
    let first = env_number("WASI_AOT_DIFF_FIRST").unwrap_or(0);
    let count = env_number("WASI_AOT_DIFF_ITERS").unwrap_or(default);
    (first..first + count).collect()
}

/// Salt of this test's [`Rng`] sequences.
const DIFF_SALT: u64 = 0x6469_6666_7761_736d;

/// Counts of how runs ended, printed with the result.
#[derive(Default)]
struct Tally(Mutex<BTreeMap<String, usize>>);

impl Tally {
    fn add(&self, what: impl Into<String>) {
        self.add_n(what, 1);
    }

    fn add_n(&self, what: impl Into<String>, n: usize) {
        *self.0.lock().unwrap().entry(what.into()).or_default() += n;
    }
}

/// Runs `check` on every seed on all cores, then prints the tally and fails
/// with every failure, each naming its seed.
fn run_seeds(
    what: &str,
    seeds: &[u64],
    tally: &Tally,
    check: impl Fn(u64) -> Result<(), String> + Sync,
) {
    let start = Instant::now();
    let next = Mutex::new(0usize);
    let failures = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut next = next.lock().unwrap();
                        *next += 1;
                        *next - 1
                    };
                    let Some(&seed) = seeds.get(i) else { break };
                    if let Err(e) = check(seed) {
                        failures.lock().unwrap().push((seed, e));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    println!(
        "diff {what}: {} seeds from {}, {} divergences, {:.1?}",
        seeds.len(),
        seeds.first().copied().unwrap_or(0),
        failures.len(),
        start.elapsed()
    );
    for (outcome, n) in tally.0.lock().unwrap().iter() {
        println!("  {n:6} {outcome}");
    }
    let lines: Vec<String> = failures
        .iter()
        .map(|(seed, f)| format!("seed {seed}: {f} (rerun: WASI_AOT_DIFF_SEED={seed})"))
        .collect();
    assert!(
        lines.is_empty(),
        "{} of {} seeds diverged:\n{}",
        lines.len(),
        seeds.len(),
        lines.join("\n")
    );
}

/// wasmtime, or `None` (after saying so) when it is missing and not
/// required.
fn wasmtime() -> Option<PathBuf> {
    match wasmtime_bin() {
        Ok(p) => Some(p),
        Err(e) if wasmtime_required() => panic!("{e}"),
        Err(e) => {
            println!("diff: not run, {e}");
            None
        }
    }
}

// ---------------------------------------------------------------------------
// Running both engines
// ---------------------------------------------------------------------------

/// How a run ended.
#[derive(Debug, PartialEq)]
enum Ending {
    Exit(i32),
    Trap(String),
    TimedOut,
    /// Anything else: a signal, an engine error; with what it printed.
    Other(String),
}

struct Run {
    stdout: Vec<u8>,
    ending: Ending,
}

/// The trap message in `stderr`: the rest of the line after `wasm trap: `
/// (wasi-aot prints it first, wasmtime at the end of its error chain).
fn trap_message(stderr: &str) -> Option<String> {
    let at = stderr.find("wasm trap: ")?;
    let rest = &stderr[at + "wasm trap: ".len()..];
    Some(rest.lines().next().unwrap_or("").trim().to_string())
}

fn run(mut cmd: Command, dir: &Path, timeout: Duration) -> Result<Run, String> {
    cmd.env_clear().current_dir(dir);
    let out = match run_with_timeout(cmd, &[], timeout) {
        Ok(out) => out,
        Err(e) if e.starts_with("timed out") => {
            return Ok(Run {
                stdout: Vec::new(),
                ending: Ending::TimedOut,
            });
        }
        Err(e) => return Err(e),
    };
    let stderr = out.stderr_str();
    let ending = match (out.status_code(), trap_message(&stderr)) {
        (Some(TRAP_EXIT_STATUS), Some(message)) => Ending::Trap(message),
        // wasmtime 49 ends a command whose exception nothing catches with
        // status 1 and this line, not as a trap; wasi-aot reports it as the
        // trap "uncaught exception" (status 134), a deliberate difference
        // the README lists.
        (Some(1), None)
            if stderr
                .lines()
                .any(|l| l.trim_end().ends_with(": thrown Wasm exception")) =>
        {
            Ending::Trap("uncaught exception".into())
        }
        (Some(code), None) => Ending::Exit(code),
        _ => Ending::Other(format!(
            "{}: {}",
            out.describe_status(),
            stderr.lines().take(8).collect::<Vec<_>>().join(" | ")
        )),
    };
    Ok(Run {
        stdout: out.stdout,
        ending,
    })
}

/// Builds `wasm` with wasi-aot and runs it, and runs it under wasmtime.
fn run_both(wasm: &[u8], dir: &Path, wasmtime: &Path) -> Result<(Run, Run), String> {
    let input = dir.join("module.wasm");
    let exe = dir.join("module");
    std::fs::write(&input, wasm).map_err(|e| format!("cannot write the module: {e}"))?;
    let mut build = Command::new(wasi_aot_bin());
    build.arg("build").arg(&input).arg("-o").arg(&exe);
    let out = run_with_timeout(build, &[], BUILD_TIMEOUT)?;
    if out.status_code() != Some(0) {
        return Err(format!(
            "wasi-aot build failed ({}): {}",
            out.describe_status(),
            out.stderr_str().trim_end()
        ));
    }
    let ours_cmd = || Command::new(&exe);
    let theirs_cmd = || {
        let mut reference = Command::new(wasmtime);
        reference.arg("run").args(WASMTIME_FLAGS).arg(&input);
        reference
    };
    let mut ours = run(ours_cmd(), dir, RUN_TIMEOUT)?;
    let mut theirs = run(theirs_cmd(), dir, RUN_TIMEOUT)?;
    // Timed out on one side only: give that side more time before calling
    // it a difference.
    match (&ours.ending, &theirs.ending) {
        (Ending::TimedOut, Ending::TimedOut) => {}
        (Ending::TimedOut, _) => ours = run(ours_cmd(), dir, RERUN_TIMEOUT)?,
        (_, Ending::TimedOut) => theirs = run(theirs_cmd(), dir, RERUN_TIMEOUT)?,
        _ => {}
    }
    Ok((ours, theirs))
}

/// Why the two runs differ, or `None` when they agree. `tally` learns how
/// the run ended.
fn compare(ours: &Run, theirs: &Run, tally: &Tally) -> Option<String> {
    // The stacks differ in size (8 MiB for an executable, 4 MiB given to
    // wasmtime, and frames of different sizes): deep recursion may run out
    // on one side only, and where it runs out the output differs.
    let exhausted = |r: &Run| r.ending == Ending::Trap("call stack exhausted".into());
    if exhausted(ours) || exhausted(theirs) {
        tally.add("not compared: call stack exhausted");
        return None;
    }
    // A program that runs for longer than the timeout on both sides
    // (csmith's may) cannot be compared.
    if ours.ending == Ending::TimedOut && theirs.ending == Ending::TimedOut {
        tally.add("not compared: timed out on both");
        return None;
    }
    if !same_ending(&ours.ending, &theirs.ending) {
        return Some(format!(
            "wasi-aot: {:?}, wasmtime: {:?}",
            ours.ending, theirs.ending
        ));
    }
    if let Some(difference) = output_difference(&ours.stdout, &theirs.stdout) {
        return Some(difference);
    }
    tally.add(match &ours.ending {
        Ending::Exit(0) => "agree: exit 0".to_string(),
        Ending::Exit(_) => "agree: exit non-zero".to_string(),
        Ending::Trap(message) => format!("agree: trap {message}"),
        _ => "agree: other".to_string(),
    });
    None
}

/// Whether two endings are the same. wasmtime words some traps its own way;
/// each of its messages on the left means the spec's on the right (a table
/// access out of bounds is one trap there, two in the spec; its "null
/// reference" is `throw_ref`'s null `exnref` here, as `call_ref` is not
/// supported).
fn same_ending(ours: &Ending, theirs: &Ending) -> bool {
    const WASMTIME_WORDING: &[(&str, &str)] = &[
        (
            "wasm `unreachable` instruction executed",
            "unreachable executed",
        ),
        (
            "undefined element: out of bounds table access",
            "undefined element",
        ),
        (
            "undefined element: out of bounds table access",
            "out of bounds table access",
        ),
        ("null reference", "null exception reference"),
    ];
    match (ours, theirs) {
        (Ending::Trap(a), Ending::Trap(b)) => {
            a == b || WASMTIME_WORDING.iter().any(|&(t, o)| a == o && b == t)
        }
        _ => ours == theirs,
    }
}

/// The first difference between two outputs, compared line by line and
/// token by token, NaN tokens equal to NaN tokens.
fn output_difference(ours: &[u8], theirs: &[u8]) -> Option<String> {
    let ours = String::from_utf8_lossy(ours);
    let theirs = String::from_utf8_lossy(theirs);
    let mut a = ours.lines();
    let mut b = theirs.lines();
    for line in 1.. {
        match (a.next(), b.next()) {
            (None, None) => return None,
            (x, y) => {
                let (x, y) = (x.unwrap_or("<end>"), y.unwrap_or("<end>"));
                let same = x.split(' ').count() == y.split(' ').count()
                    && x.split(' ')
                        .zip(y.split(' '))
                        .all(|(s, t)| same_token(s, t));
                if !same {
                    return Some(format!(
                        "stdout line {line}: wasi-aot {x:?}, wasmtime {y:?}"
                    ));
                }
            }
        }
    }
    None
}

fn same_token(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let bits = |s: &str| u128::from_str_radix(s, 16).ok();
    let f32_nan = |x: u128| x as u32 & 0x7f80_0000 == 0x7f80_0000 && x as u32 & 0x007f_ffff != 0;
    let f64_nan = |x: u128| {
        x as u64 & 0x7ff0_0000_0000_0000 == 0x7ff0_0000_0000_0000
            && x as u64 & 0x000f_ffff_ffff_ffff != 0
    };
    match (a.split_at_checked(1), b.split_at_checked(1)) {
        (Some(("f", x)), Some(("f", y))) => bits(x)
            .zip(bits(y))
            .is_some_and(|(x, y)| f32_nan(x) && f32_nan(y)),
        (Some(("F", x)), Some(("F", y))) => bits(x)
            .zip(bits(y))
            .is_some_and(|(x, y)| f64_nan(x) && f64_nan(y)),
        // A vector's lanes may be f32s or f64s: each 64-bit half must be
        // equal, both f64 NaNs, or made of two 32-bit lanes each equal or
        // both f32 NaNs.
        (Some(("v", x)), Some(("v", y))) => bits(x).zip(bits(y)).is_some_and(|(x, y)| {
            [64, 0].iter().all(|&shift| {
                let (x, y) = ((x >> shift) as u64 as u128, (y >> shift) as u64 as u128);
                x == y
                    || (f64_nan(x) && f64_nan(y))
                    || [32, 0].iter().all(|&s| {
                        let (x, y) = ((x >> s) as u32 as u128, (y >> s) as u32 as u128);
                        x == y || (f32_nan(x) && f32_nan(y))
                    })
            })
        }),
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// wasm-smith modules
// ---------------------------------------------------------------------------

/// The generator's configuration: WebAssembly 2.0 with tail calls and
/// extended constants, no imports, bounded memories and tables (their
/// hashes are taken after every call).
fn core_config() -> wasm_smith::Config {
    wasm_smith::Config {
        bulk_memory_enabled: true,
        reference_types_enabled: true,
        multi_value_enabled: true,
        saturating_float_to_int_enabled: true,
        sign_extension_ops_enabled: true,
        simd_enabled: true,
        tail_call_enabled: true,
        extended_const_enabled: true,
        // Relaxed SIMD results differ between engines by design.
        relaxed_simd_enabled: false,
        memory64_enabled: false,
        exceptions_enabled: false,
        gc_enabled: false,
        threads_enabled: false,
        wide_arithmetic_enabled: false,
        custom_page_sizes_enabled: false,
        compact_imports_enabled: false,
        max_imports: 0,
        max_exports: 0,
        max_memories: 1,
        max_tables: 3,
        memory_max_size_required: true,
        max_memory32_bytes: 4 << 16,
        max_memory64_bytes: 4 << 16,
        table_max_size_required: true,
        max_table_elements: 1000,
        min_funcs: 2,
        max_funcs: 30,
        max_nesting_depth: 10,
        ..wasm_smith::Config::default()
    }
}

/// `core_config` plus exception handling, several memories, 64-bit
/// memories and tables.
fn proposals_config() -> wasm_smith::Config {
    wasm_smith::Config {
        exceptions_enabled: true,
        memory64_enabled: true,
        max_memories: 3,
        ..core_config()
    }
}

/// The command of `seed` under `config`, or `None` when the generator gives
/// up on its input.
fn generate(config: wasm_smith::Config, seed: u64) -> Result<Option<wrap::Wrapped>, String> {
    let mut rng = Rng::new(seed, DIFF_SALT);
    let mut config = config;
    config.max_instructions = [50, 200, 1000][rng.below(3) as usize];
    config.disallow_traps = rng.below(4) == 0;
    let len = 64 + rng.below(16 * 1024) as usize;
    let raw: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
    let Ok(mut module) = wasm_smith::Module::new(config, &mut Unstructured::new(&raw)) else {
        return Ok(None);
    };
    let Ok(fuel) = module.ensure_termination(FUEL as u32) else {
        return Ok(None);
    };
    wrap::wrap(&module.to_bytes(), Some(fuel), FUEL).map(Some)
}

fn smith(what: &str, config: fn() -> wasm_smith::Config) {
    let Some(wasmtime) = wasmtime() else { return };
    let tally = Tally::default();
    run_seeds(what, &seeds(DEFAULT_MODULES), &tally, |seed| {
        let Some(wrapped) = generate(config(), seed)? else {
            tally.add("not generated");
            return Ok(());
        };
        tally.add_n("calls made by _start (until a trap)", wrapped.called);
        if wrapped.not_called > 0 {
            tally.add_n(
                "functions not called (non-null reference parameter)",
                wrapped.not_called,
            );
        }
        let dir = TempDir::new(&format!("diff-{seed}"));
        let (ours, theirs) = run_both(&wrapped.wasm, dir.path(), &wasmtime)?;
        match compare(&ours, &theirs, &tally) {
            None => Ok(()),
            Some(difference) => {
                let kept = std::env::temp_dir().join(format!("wasi-aot-diff-{what}-{seed}.wasm"));
                let _ = std::fs::write(&kept, &wrapped.wasm);
                Err(format!("{difference} (module kept as {})", kept.display()))
            }
        }
    });
}

#[test]
fn smith_core() {
    smith("core", core_config);
}

#[test]
fn smith_proposals() {
    smith("proposals", proposals_config);
}

// ---------------------------------------------------------------------------
// csmith programs
// ---------------------------------------------------------------------------

/// The optimisation levels: program `seed` is compiled at
/// `LEVELS[seed % 4]`, so that every level sees a quarter of the programs
/// (compiling each program four times would compare a quarter as many).
const LEVELS: [&str; 4] = ["-O0", "-O1", "-O2", "-O3"];

fn csmith_include() -> Result<PathBuf, String> {
    let include = PathBuf::from("/usr/include/csmith");
    // csmith writes `platform.info` into its working directory.
    let scratch = TempDir::new("csmith-version");
    let mut version = Command::new("csmith");
    version.arg("--version").current_dir(scratch.path());
    let found = version.output().is_ok() && include.join("csmith.h").is_file();
    if found {
        Ok(include)
    } else {
        Err(format!(
            "csmith is not installed; the C programs need the Debian packages: \
             apt-get install -y {CSMITH_PACKAGES} clang-19 wasi-libc libclang-rt-19-dev-wasm32"
        ))
    }
}

/// Looking for csmith writes nothing into the working directory (csmith
/// writes `platform.info` into its own, even for `--version`).
#[test]
fn csmith_check_leaves_no_file() {
    let stray = Path::new("platform.info");
    let _ = std::fs::remove_file(stray);
    if csmith_include().is_err() {
        return;
    }
    assert!(
        !stray.exists(),
        "looking for csmith left {} behind",
        std::fs::canonicalize(stray).unwrap_or_default().display()
    );
}

#[test]
fn csmith() {
    let Some(wasmtime) = wasmtime() else { return };
    let include = csmith_include().unwrap_or_else(|e| panic!("{e}"));
    let tally = Tally::default();
    run_seeds("csmith", &seeds(DEFAULT_PROGRAMS), &tally, |seed| {
        let level = LEVELS[(seed % 4) as usize];
        let dir = TempDir::new(&format!("csmith-{seed}"));
        let source = dir.path().join("program.c");
        let mut generate = Command::new("csmith");
        // csmith writes `platform.info` into its working directory.
        generate
            .current_dir(dir.path())
            .arg("--seed")
            .arg(seed.to_string())
            .arg("-o")
            .arg(&source);
        let out = run_with_timeout(generate, &[], BUILD_TIMEOUT)?;
        if out.status_code() != Some(0) {
            return Err(format!("csmith failed: {}", out.stderr_str().trim_end()));
        }
        let wasm = dir.path().join("program.wasm");
        let mut cc = Command::new("clang-19");
        cc.args(["--target=wasm32-wasi", level, "-w", "-I"])
            .arg(&include)
            .arg(&source)
            .arg("-o")
            .arg(&wasm);
        let out = run_with_timeout(cc, &[], BUILD_TIMEOUT)?;
        if out.status_code() != Some(0) {
            return Err(format!(
                "clang-19 {level} failed: {}",
                out.stderr_str().trim_end()
            ));
        }
        let bytes = std::fs::read(&wasm).map_err(|e| format!("cannot read the module: {e}"))?;
        let (ours, theirs) = run_both(&bytes, dir.path(), &wasmtime)?;
        tally.add(format!("compiled at {level}"));
        match compare(&ours, &theirs, &tally) {
            None => Ok(()),
            Some(difference) => {
                let kept = std::env::temp_dir().join(format!("wasi-aot-csmith-{seed}.c"));
                let _ = std::fs::copy(&source, &kept);
                Err(format!(
                    "{level}: {difference} (program kept as {})",
                    kept.display()
                ))
            }
        }
    });
}

// ---------------------------------------------------------------------------
// Regressions
// ---------------------------------------------------------------------------

/// Runs `tests/diff/<name>.wat` both ways; they must agree.
fn regression(name: &str) {
    let Some(wasmtime) = wasmtime() else { return };
    let path = repo_root().join("tests/diff").join(format!("{name}.wat"));
    let wasm = wat::parse_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let dir = TempDir::new(&format!("diff-{name}"));
    let (ours, theirs) = run_both(&wasm, dir.path(), &wasmtime).unwrap_or_else(|e| panic!("{e}"));
    if let Some(difference) = compare(&ours, &theirs, &Tally::default()) {
        panic!("{name}: {difference}");
    }
}

macro_rules! regressions {
    ($($name:ident),* $(,)?) => {
        mod regression {
            $(
                #[test]
                fn $name() {
                    super::regression(stringify!($name));
                }
            )*
        }

        const REGRESSIONS: &[&str] = &[$(stringify!($name)),*];
    };
}

// Each was a divergence the generated programs found; the comment in the
// file says what it was.
regressions!(
    trap_unreachable_wording,
    uncaught_exception,
    throw_ref_null_wording,
);

#[test]
fn every_regression_is_listed() {
    let mut found: Vec<String> = std::fs::read_dir(repo_root().join("tests/diff"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter_map(|n| n.strip_suffix(".wat").map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    let mut listed: Vec<String> = REGRESSIONS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        found, listed,
        "tests/diff/*.wat and the regressions! list differ"
    );
}
