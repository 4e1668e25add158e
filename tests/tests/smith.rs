//! Robustness of the compiler on generated and corrupted modules.
//!
//! Modules come from `wasm-smith`, restricted to what the compiler
//! implements (WebAssembly 2.0 with SIMD, plus tail calls, extended
//! constant expressions, relaxed SIMD, multi-memory, memory64 and
//! exception handling), each
//! from a fixed seed, so every
//! run compiles the same modules and a failure names the seed that
//! reproduces it:
//!
//! * `generated_modules_compile`: every generated module validates, and
//!   `compile_library` (any imports allowed) must compile it. The only
//!   acceptable error is `Unsupported` for an operator or feature the
//!   compiler names; `Invalid` on a valid module, `Codegen` (Cranelift
//!   rejected our IR) and panics are bugs. One module in
//!   [`DETERMINISM_EVERY`] is compiled twice and must give identical bytes;
//!   one in [`V3_EVERY`] is compiled for x86-64-v3 too.
//! * `corrupted_modules_fail_cleanly`: the same modules truncated, with
//!   bytes flipped or overwritten at seeded positions, compiled both as a
//!   command and as a library. A corruption the validator rejects must be a
//!   clean error; one it still accepts must compile like any valid module.
//!   Never a panic.
//! * `generated_commands_run`: modules shaped as WASI commands (a `_start`
//!   export, a few WASI imports, fuel so that every loop ends) are built
//!   with `wasi-aot build` and run. The executable must exit by itself:
//!   with the module's exit status, or with a wasm trap reported as such —
//!   never killed by a signal, never a runtime internal error, never hung.
//!
//! `WASI_AOT_SMITH_ITERS=N` sets the number of seeds (default
//! [`DEFAULT_ITERS`]); `WASI_AOT_SMITH_SEED=S` runs one seed alone, to
//! reproduce a failure.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use arbitrary::Unstructured;
use wasi_aot_compiler::{CompileError, Options, TargetCpu, compile_command, compile_library};
use wasi_aot_tests::{BUILD_TIMEOUT, Rng, TempDir, run_with_timeout, wasi_aot_bin};
use wasmparser::{Validator, WasmFeatures};

/// Seeds per run, unless `WASI_AOT_SMITH_ITERS` says otherwise.
const DEFAULT_ITERS: u64 = 20_000;

/// Every this many seeds, a module is compiled twice to check determinism.
const DETERMINISM_EVERY: u64 = 16;

/// Every this many seeds, a module is also compiled for x86-64-v3 (AVX2
/// lowerings, SIMD's in particular).
const V3_EVERY: u64 = 4;

/// Corrupted variants made of each generated module.
const MUTATIONS_PER_MODULE: u64 = 6;

/// Command modules built and run, unless `WASI_AOT_SMITH_ITERS` says
/// otherwise (then one per [`RUN_FRACTION`] seeds).
const DEFAULT_RUNS: u64 = 600;
const RUN_FRACTION: u64 = 10;

/// Fuel of a generated command: loop iterations and calls before it traps.
const FUEL: u32 = 20_000;

/// How long one generated command may run.
const RUN_TIMEOUT: Duration = Duration::from_secs(20);

/// A single compilation slower than this is reported: bad input must not
/// make the compiler hang.
const SLOW: Duration = Duration::from_secs(20);

/// The seeds to run: `WASI_AOT_SMITH_SEED` alone, or `0..ITERS`.
fn seeds() -> Vec<u64> {
    let parse = |name: &str| {
        std::env::var(name).ok().map(|v| {
            v.parse::<u64>()
                .unwrap_or_else(|_| panic!("{name}={v:?} is not a number"))
        })
    };
    match parse("WASI_AOT_SMITH_SEED") {
        Some(seed) => vec![seed],
        None => (0..parse("WASI_AOT_SMITH_ITERS").unwrap_or(DEFAULT_ITERS)).collect(),
    }
}

/// Salt of this test's [`Rng`] sequences.
const SMITH_SALT: u64 = 0x5741_5349_2d41_4f54;

/// The generator's configuration: only features the compiler implements.
fn smith_config() -> wasm_smith::Config {
    wasm_smith::Config {
        // WebAssembly 2.0.
        bulk_memory_enabled: true,
        reference_types_enabled: true,
        multi_value_enabled: true,
        saturating_float_to_int_enabled: true,
        sign_extension_ops_enabled: true,
        simd_enabled: true,
        // Accepted beyond 2.0.
        tail_call_enabled: true,
        extended_const_enabled: true,
        relaxed_simd_enabled: true,
        // 64-bit memories and tables.
        memory64_enabled: true,
        // Tags, try_table, throw, throw_ref.
        exceptions_enabled: true,
        // Not implemented: refused as unsupported, so never generated.
        gc_enabled: false,
        threads_enabled: false,
        wide_arithmetic_enabled: false,
        custom_page_sizes_enabled: false,
        compact_imports_enabled: false,
        // Several memories (multi-memory).
        max_memories: 4,
        max_tables: 4,
        // Bigger functions than the default, still quick to compile.
        max_instructions: 1000,
        max_funcs: 60,
        max_nesting_depth: 12,
        generate_custom_sections: true,
        ..wasm_smith::Config::default()
    }
}

/// The configuration for WASI commands: imports only from a few WASI
/// functions that cannot block or touch files, and exactly the exports
/// `_start` and `memory`.
fn command_config() -> wasm_smith::Config {
    let imports = wat::parse_str(
        r#"(module
             (import "wasi_snapshot_preview1" "fd_write"
               (func (param i32 i32 i32 i32) (result i32)))
             (import "wasi_snapshot_preview1" "fd_read"
               (func (param i32 i32 i32 i32) (result i32)))
             (import "wasi_snapshot_preview1" "random_get"
               (func (param i32 i32) (result i32)))
             (import "wasi_snapshot_preview1" "clock_time_get"
               (func (param i32 i64 i32) (result i32)))
             (import "wasi_snapshot_preview1" "args_sizes_get"
               (func (param i32 i32) (result i32)))
             (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))))"#,
    )
    .expect("the import list is valid text");
    let exports =
        wat::parse_str(r#"(module (memory (export "memory") 1) (func (export "_start")))"#)
            .expect("the export list is valid text");
    wasm_smith::Config {
        available_imports: Some(imports),
        exports: Some(exports),
        // The exported memory is the one memory.
        max_memories: 0,
        ..smith_config()
    }
}

/// The features the compiler accepts (its validator's).
fn compiler_features() -> WasmFeatures {
    wasi_aot_compiler::parse::features()
}

/// The module of `seed`, or `None` when the generator gives up on its input.
fn generate(seed: u64) -> Option<Vec<u8>> {
    let config = varied(
        smith_config(),
        &mut Rng::new(seed.rotate_left(32), SMITH_SALT),
    );
    let module = wasm_smith::Module::new(config, &mut Unstructured::new(&raw(seed))).ok()?;
    Some(module.to_bytes())
}

/// `config` with a few knobs chosen per seed, so that runs also see long
/// bodies, deep nesting, over-long LEB128 encodings, and modules without
/// traps or NaNs.
fn varied(mut config: wasm_smith::Config, rng: &mut Rng) -> wasm_smith::Config {
    config.max_instructions = [100, 1000, 5000][rng.below(3) as usize];
    config.max_nesting_depth = [4, 12, 50][rng.below(3) as usize];
    if rng.below(4) == 0 {
        config.min_uleb_size = 1 + rng.below(5) as u8;
    }
    config.export_everything = rng.below(2) == 0;
    config.disallow_traps = rng.below(4) == 0;
    config.canonicalize_nans = rng.below(4) == 0;
    config
}

/// The generator's input for `seed`. Sizes vary so that some modules are
/// tiny and some use every section.
fn raw(seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed, SMITH_SALT);
    let len = 256 + rng.below(64 * 1024) as usize;
    rng.bytes(len)
}

/// The command module of `seed`, every function with a fuel check.
fn generate_command(seed: u64) -> Option<Vec<u8>> {
    let config = varied(
        command_config(),
        &mut Rng::new(seed.rotate_left(32), SMITH_SALT),
    );
    let mut module = wasm_smith::Module::new(config, &mut Unstructured::new(&raw(seed))).ok()?;
    module.ensure_termination(FUEL).ok()?;
    Some(module.to_bytes())
}

/// How one compilation ended.
enum Outcome {
    Ok(Vec<u8>),
    Err(CompileError),
    Panic(String),
}

fn compile_guarded(
    compile: fn(&[u8], &Options) -> Result<Vec<u8>, CompileError>,
    wasm: &[u8],
    options: &Options,
) -> Outcome {
    match catch_unwind(AssertUnwindSafe(|| compile(wasm, options))) {
        Ok(Ok(object)) => Outcome::Ok(object),
        Ok(Err(e)) => Outcome::Err(e),
        Err(payload) => Outcome::Panic(
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "non-string panic".into()),
        ),
    }
}

/// Checks the outcome of compiling a module the validator accepts: an
/// object, or `Unsupported`.
fn check_valid(outcome: &Outcome) -> Result<(), String> {
    match outcome {
        Outcome::Ok(_) | Outcome::Err(CompileError::Unsupported { .. }) => Ok(()),
        Outcome::Err(e) => Err(format!("valid module rejected: {e}")),
        Outcome::Panic(message) => Err(format!("compiler panicked: {message}")),
    }
}

/// Checks the outcome of compiling a module the validator rejects: an
/// error, of one line.
fn check_invalid(outcome: &Outcome) -> Result<(), String> {
    match outcome {
        Outcome::Ok(_) => Err("invalid module compiled".into()),
        Outcome::Err(e) => {
            let message = e.to_string();
            if message.is_empty() || message.contains('\n') {
                Err(format!("error is not one line: {message:?}"))
            } else {
                Ok(())
            }
        }
        Outcome::Panic(message) => Err(format!("compiler panicked: {message}")),
    }
}

fn validates(wasm: &[u8]) -> bool {
    Validator::new_with_features(compiler_features())
        .validate_all(wasm)
        .is_ok()
}

/// Counts of how compilations ended, printed with the result so a run
/// shows what it covered.
#[derive(Default)]
struct Tally(Mutex<BTreeMap<String, usize>>);

impl Tally {
    fn add(&self, what: impl Into<String>) {
        self.add_n(what, 1);
    }

    fn add_n(&self, what: impl Into<String>, n: usize) {
        *self.0.lock().unwrap().entry(what.into()).or_default() += n;
    }

    fn outcome(&self, kind: &str, outcome: &Outcome) {
        match outcome {
            Outcome::Ok(_) => self.add(format!("{kind}: compiled")),
            Outcome::Err(CompileError::Unsupported { what, .. }) => {
                self.add(format!("{kind}: unsupported {what}"))
            }
            Outcome::Err(CompileError::Invalid { .. }) => self.add(format!("{kind}: invalid")),
            Outcome::Err(_) => self.add(format!("{kind}: other error")),
            Outcome::Panic(_) => self.add(format!("{kind}: panic")),
        }
    }
}

/// Runs `check` on every seed on all cores; returns the failures, sorted by
/// seed, and the number of seeds.
fn for_each_seed(seeds: &[u64], check: impl Fn(u64) -> Vec<String> + Sync) -> (Vec<String>, usize) {
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
                    for failure in check(seed) {
                        failures.lock().unwrap().push((seed, failure));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    let lines = failures
        .into_iter()
        .map(|(seed, f)| format!("seed {seed}: {f} (rerun: WASI_AOT_SMITH_SEED={seed})"))
        .collect();
    (lines, seeds.len())
}

fn report(what: &str, failures: &[String], checked: usize, tally: Tally, start: Instant) {
    println!(
        "smith {what}: {checked} seeds, {} failures, {:.1?}",
        failures.len(),
        start.elapsed()
    );
    for (outcome, n) in tally.0.into_inner().unwrap() {
        println!("  {n:6} {outcome}");
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} seeds failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Compiles with `compile`, timing it; a slow compilation is a failure.
/// [`compile_command`], serialized as [`compile_library`]'s result is.
fn compile_command_bytes(wasm: &[u8], options: &Options) -> Result<Vec<u8>, CompileError> {
    compile_command(wasm, options)?.into_bytes()
}

fn timed(
    compile: fn(&[u8], &Options) -> Result<Vec<u8>, CompileError>,
    wasm: &[u8],
    failures: &mut Vec<String>,
    what: &str,
) -> Outcome {
    let start = Instant::now();
    let outcome = compile_guarded(compile, wasm, &Options::default());
    if start.elapsed() > SLOW {
        failures.push(format!("{what}: compiling took {:.1?}", start.elapsed()));
    }
    outcome
}

#[test]
fn generated_modules_compile() {
    let start = Instant::now();
    let tally = Tally::default();
    let (failures, checked) = for_each_seed(&seeds(), |seed| {
        let mut failures = Vec::new();
        let Some(wasm) = generate(seed) else {
            tally.add("not generated");
            return failures;
        };
        tally.add_n("KiB generated", wasm.len().div_ceil(1024));
        if !validates(&wasm) {
            failures.push("the generator made a module the compiler's features reject".into());
            return failures;
        }
        let outcome = timed(compile_library, &wasm, &mut failures, "library");
        tally.outcome("library", &outcome);
        if let Err(e) = check_valid(&outcome) {
            failures.push(e);
        }
        if let (Outcome::Ok(first), 0) = (&outcome, seed % DETERMINISM_EVERY)
            && let Outcome::Ok(second) =
                compile_guarded(compile_library, &wasm, &Options::default())
            && *first != second
        {
            failures.push("two compilations gave different objects".into());
        }
        if seed % V3_EVERY == 0 {
            let v3 = Options {
                cpu: TargetCpu::X86_64V3,
                ..Options::default()
            };
            let outcome = compile_guarded(compile_library, &wasm, &v3);
            tally.outcome("library, x86-64-v3", &outcome);
            if let Err(e) = check_valid(&outcome) {
                failures.push(format!("x86-64-v3: {e}"));
            }
        }
        failures
    });
    report("generated", &failures, checked, tally, start);
}

/// One corrupted copy of `wasm`, chosen by `rng`, and what was done.
fn mutate(wasm: &[u8], rng: &mut Rng) -> (Vec<u8>, String) {
    let mut bytes = wasm.to_vec();
    let len = bytes.len() as u64;
    let what = match rng.below(5) {
        0 => {
            let at = rng.below(len) as usize;
            bytes.truncate(at);
            format!("truncated to {at} bytes")
        }
        1 => {
            let mut at = Vec::new();
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(len) as usize;
                bytes[i] ^= 1 << rng.below(8);
                at.push(i);
            }
            format!("bits flipped at {at:?}")
        }
        2 => {
            let i = rng.below(len) as usize;
            bytes[i] = rng.next_u64() as u8;
            format!("byte {i} replaced")
        }
        3 => {
            // A maximal LEB128 where a count or an index may be.
            let i = rng.below(len) as usize;
            let end = (i + 5).min(bytes.len());
            bytes[i..end].copy_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f][..end - i]);
            format!("LEB at {i} set to 2^32-1")
        }
        _ => {
            let i = rng.below(len) as usize;
            let n = 1 + rng.below(16) as usize;
            let junk = rng.bytes(n);
            bytes.splice(i..i, junk);
            format!("{n} bytes inserted at {i}")
        }
    };
    (bytes, what)
}

#[test]
fn corrupted_modules_fail_cleanly() {
    let start = Instant::now();
    let tally = Tally::default();
    let (failures, checked) = for_each_seed(&seeds(), |seed| {
        let mut failures = Vec::new();
        let Some(wasm) = generate(seed) else {
            return failures;
        };
        let mut rng = Rng::new(!seed, SMITH_SALT);
        for _ in 0..MUTATIONS_PER_MODULE {
            let (bytes, what) = mutate(&wasm, &mut rng);
            let valid = validates(&bytes);
            for (kind, compile) in [
                ("library", compile_library as fn(&[u8], &Options) -> _),
                ("command", compile_command_bytes),
            ] {
                let outcome = timed(compile, &bytes, &mut failures, &what);
                tally.outcome(kind, &outcome);
                let checked = match (valid, kind) {
                    (true, "library") => check_valid(&outcome),
                    (true, _) => match outcome {
                        Outcome::Panic(message) => Err(format!("compiler panicked: {message}")),
                        _ => Ok(()),
                    },
                    (false, _) => check_invalid(&outcome),
                };
                if let Err(e) = checked {
                    failures.push(format!("{kind}, {what}: {e}"));
                }
            }
        }
        failures
    });
    report("corrupted", &failures, checked, tally, start);
}

/// Builds `wasm` with the CLI and runs it; returns what went wrong.
fn build_and_run(wasm: &[u8], dir: &std::path::Path, tally: &Tally) -> Result<(), String> {
    let input = dir.join("module.wasm");
    let exe = dir.join("module");
    std::fs::write(&input, wasm).map_err(|e| format!("cannot write the module: {e}"))?;
    let mut build = Command::new(wasi_aot_bin());
    build.arg("build").arg(&input).arg("-o").arg(&exe);
    let out = run_with_timeout(build, &[], BUILD_TIMEOUT)?;
    let stderr = out.stderr_str();
    match out.status_code() {
        Some(0) => {}
        Some(1) if stderr.contains("unsupported") => {
            tally.add("unsupported");
            return Ok(());
        }
        _ => {
            return Err(format!(
                "build failed ({}): {}",
                out.describe_status(),
                stderr.trim_end()
            ));
        }
    }
    let mut run = Command::new(&exe);
    run.env_clear().current_dir(dir);
    let out = run_with_timeout(run, &[], RUN_TIMEOUT)?;
    let stderr = out.stderr_str();
    let trapped = stderr.contains("wasm trap: ");
    let ok = match out.status_code() {
        None => false,
        Some(134) if trapped => {
            let message = stderr.lines().find(|l| l.starts_with("wasm trap: "));
            tally.add(message.unwrap_or("wasm trap without its line").to_string());
            stderr.contains("wasm backtrace:") || stderr.contains("call stack exhausted")
        }
        Some(code) => {
            tally.add(if code == 0 {
                "exit 0"
            } else {
                "exit non-zero (proc_exit)"
            });
            !trapped && !stderr.contains("internal error")
        }
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "ran badly ({}): {}",
            out.describe_status(),
            stderr.trim_end()
        ))
    }
}

#[test]
fn generated_commands_run() {
    let start = Instant::now();
    let tally = Tally::default();
    // A tenth of the seeds' count when one is given, one seed alone when
    // reproducing.
    let seeds = match (seeds(), std::env::var_os("WASI_AOT_SMITH_ITERS")) {
        (one, _) if one.len() == 1 => one,
        (all, Some(_)) => (0..(all.len() as u64).div_ceil(RUN_FRACTION)).collect(),
        (_, None) => (0..DEFAULT_RUNS).collect(),
    };
    let (failures, checked) = for_each_seed(&seeds, |seed| {
        let Some(wasm) = generate_command(seed) else {
            tally.add("not generated");
            return Vec::new();
        };
        let dir = TempDir::new(&format!("smith-{seed}"));
        match build_and_run(&wasm, dir.path(), &tally) {
            Ok(()) => Vec::new(),
            Err(e) => {
                let kept = std::env::temp_dir().join(format!("wasi-aot-smith-{seed}.wasm"));
                let _ = std::fs::write(&kept, &wasm);
                vec![format!("{e} (module kept as {})", kept.display())]
            }
        }
    });
    report("commands", &failures, checked, tally, start);
}
