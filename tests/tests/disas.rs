//! Golden CLIF tests: the translator's output for the tricky operators.
//!
//! Each `tests/disas/<case>.wat` is a module followed by the CLIF that
//! `wasi_aot_compiler::clif_text` must print for it, as `;;` comments below
//! a marker line (the text format ignores comments, so the whole file is
//! the module's source). Optional directives open the file:
//!
//! ```text
//! ;;! stages = translated | optimized | both    (default: both)
//! ;;! cpu = x86-64-v2 | x86-64-v3               (default: x86-64-v2)
//! ;;! memory0 = loaded | fixed                   (default: loaded; fixed:
//! ;;!                                             an executable's address)
//! ;;! inline = off | on                          (default: off; on: small
//! ;;!                                             leaf functions inlined)
//! ```
//!
//! A case fails with a line diff naming its file. `WASI_AOT_BLESS=1`
//! rewrites everything below the marker with the current output; read the
//! new CLIF before committing it.

use std::path::{Path, PathBuf};
use wasi_aot_compiler::{DisasOptions, Stages, TargetCpu, clif_text};

/// The line that separates a case's module from its expected CLIF.
const MARKER: &str = ";; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====";

const BLESS_VAR: &str = "WASI_AOT_BLESS";

macro_rules! disas_cases {
    ($($name:ident),* $(,)?) => {
        /// Every case that has a test function here.
        const CASES: &[&str] = &[$(stringify!($name)),*];
        mod case {
            $(
                #[test]
                fn $name() {
                    super::check(stringify!($name));
                }
            )*
        }
    };
}

disas_cases!(
    bounds_elided,
    div_rem,
    float_min_max,
    call_indirect,
    br_table,
    select,
    memory_grow,
    globals,
    loop_params,
    calls,
    simd,
    memory_multi,
    memory64,
    table64,
    try_table,
    atomics,
    memory0_fixed,
    bulk_inline,
    inline,
    table_fixed,
);

fn disas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("disas")
}

/// A case file split into its parts.
struct Case {
    options: DisasOptions,
    /// Everything above the marker (without the marker).
    source: String,
    /// The expected CLIF, `;;` prefixes removed; `None` without a marker.
    expected: Option<String>,
}

fn parse_case(path: &Path, text: &str) -> Case {
    let mut options = DisasOptions::default();
    for line in text.lines() {
        let Some(directive) = line.strip_prefix(";;!") else {
            break;
        };
        let (key, value) = directive
            .split_once('=')
            .map(|(k, v)| (k.trim(), v.trim()))
            .unwrap_or_else(|| panic!("{}: bad directive `{line}`", path.display()));
        match (key, value) {
            ("stages", "translated") => options.stages = Stages::Translated,
            ("stages", "optimized") => options.stages = Stages::Optimized,
            ("stages", "both") => options.stages = Stages::Both,
            ("cpu", "x86-64-v2") => options.cpu = TargetCpu::X86_64V2,
            ("cpu", "x86-64-v3") => options.cpu = TargetCpu::X86_64V3,
            ("memory0", "loaded") => options.memory0_fixed = false,
            ("memory0", "fixed") => options.memory0_fixed = true,
            ("inline", "off") => options.inline = false,
            ("inline", "on") => options.inline = true,
            _ => panic!("{}: unknown directive `{line}`", path.display()),
        }
    }
    match text.split_once(&format!("\n{MARKER}\n")) {
        Some((source, expected)) => {
            let expected = expected
                .lines()
                .map(|line| match line.strip_prefix(";;") {
                    Some(rest) => rest.strip_prefix(' ').unwrap_or(rest),
                    None => panic!(
                        "{}: line below the marker without `;;`: `{line}`",
                        path.display()
                    ),
                })
                .map(|line| format!("{line}\n"))
                .collect();
            Case {
                options,
                source: source.to_string(),
                expected: Some(expected),
            }
        }
        None => Case {
            options,
            source: text.trim_end().to_string(),
            expected: None,
        },
    }
}

/// The case file with `actual` as its expectation.
fn blessed(source: &str, actual: &str) -> String {
    let mut out = format!("{source}\n{MARKER}\n");
    for line in actual.lines() {
        if line.is_empty() {
            out.push_str(";;\n");
        } else {
            out.push_str(&format!(";; {line}\n"));
        }
    }
    out
}

fn check(name: &str) {
    let path = disas_dir().join(format!("{name}.wat"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let case = parse_case(&path, &text);
    let wasm = wat::parse_str(&case.source)
        .unwrap_or_else(|e| panic!("{}: not a valid module: {e}", path.display()));
    let actual = clif_text(&wasm, &case.options)
        .unwrap_or_else(|e| panic!("{}: clif_text failed: {e}", path.display()));
    let again = clif_text(&wasm, &case.options).expect("second run");
    assert_eq!(
        actual,
        again,
        "{}: output not deterministic",
        path.display()
    );

    if std::env::var_os(BLESS_VAR).is_some_and(|v| v == "1") {
        let new = blessed(&case.source, &actual);
        if new != text {
            std::fs::write(&path, new)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        }
        return;
    }
    match case.expected {
        None => panic!(
            "{}: no expected CLIF (no marker line); run with {BLESS_VAR}=1 to write it",
            path.display()
        ),
        Some(expected) if expected != actual => panic!(
            "{}: CLIF differs from the expectation (- expected, + actual):\n{}\n\
             If the new CLIF is right, rerun with {BLESS_VAR}=1 and commit the file.",
            path.display(),
            line_diff(&expected, &actual)
        ),
        Some(_) => {}
    }
}

/// A line diff of `old` and `new` (longest common subsequence), showing
/// changed lines with two lines of context; each hunk starts with `@@` and
/// the heading of the function it is in.
fn line_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // lcs[i][j]: length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    const CONTEXT: usize = 2;
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != ' ').collect();
    let mut out = String::new();
    let mut last_shown = None;
    for (k, (tag, line)) in ops.iter().enumerate() {
        let near = changed
            .iter()
            .any(|&c| k + CONTEXT >= c && k <= c + CONTEXT);
        if !near {
            continue;
        }
        if last_shown.is_none_or(|l: usize| l + 1 != k) {
            // A new hunk: name the function it is in.
            let header = ops[..=k]
                .iter()
                .rev()
                .find(|(_, l)| l.starts_with("; function "))
                .map_or("", |(_, l)| l);
            out.push_str(&format!("@@ {header}\n"));
        }
        out.push_str(&format!("{tag} {line}\n"));
        last_shown = Some(k);
    }
    out
}

#[test]
fn every_case_is_listed() {
    let mut files: Vec<String> = std::fs::read_dir(disas_dir())
        .expect("tests/disas exists")
        .filter_map(|e| {
            let path = e.ok()?.path();
            (path.extension()? == "wat").then(|| path.file_stem()?.to_str().map(String::from))?
        })
        .collect();
    files.sort();
    let mut listed: Vec<String> = CASES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        files, listed,
        "tests/disas/*.wat and the disas_cases! list in tests/tests/disas.rs differ"
    );
}

#[test]
fn diff_shows_changes_with_context() {
    let diff = line_diff("a\nb\nc\nd\ne\nf\n", "a\nb\nc\nX\ne\nf\n");
    assert_eq!(diff, "@@ \n  b\n  c\n- d\n+ X\n  e\n  f\n");
    let old = "; function 0 (optimized)\na\nb\nc\nd\ne\n";
    let new = "; function 0 (optimized)\na\nb\nc\nd\nE\n";
    let diff = line_diff(old, new);
    assert_eq!(diff, "@@ ; function 0 (optimized)\n  c\n  d\n- e\n+ E\n");
}
