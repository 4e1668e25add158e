//! Builds the runtime static library and hands its path to the CLI, which
//! embeds it (`include_bytes!`): an installed `wasi-aot` needs nothing from
//! the build tree at run time.
//!
//! The runtime is a `#![no_std]`, `panic = "abort"` crate in its own cargo
//! workspace, so it is built by a nested cargo invocation with a clean
//! environment (the outer build's flags and wrappers are for host code).
//! Its manifest declares a Rust library (the spec test harness uses it as
//! one, without the `executable` feature); the static library with the
//! default features is asked for here with `cargo rustc --crate-type`.
//!
//! The aarch64 runtime (for `--target aarch64-linux`) needs a Rust compiler
//! with the `aarch64-unknown-linux-gnu` standard library: the one named by
//! `WASI_AOT_AARCH64_RUSTC`, else the build's own `rustc` when it has that
//! target (`rustup target add aarch64-unknown-linux-gnu`). Without one the
//! CLI is built with an empty aarch64 runtime and refuses that target with
//! one line saying how to get it.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest_dir.parent().expect("cli/ is inside the workspace");
    let runtime = root.join("runtime");
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets it"));
    let target_dir = out_dir.join("runtime-target");

    for dir in ["runtime/src", "abi/src"] {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
    }
    for file in ["runtime/Cargo.toml", "runtime/Cargo.lock", "abi/Cargo.toml"] {
        println!("cargo:rerun-if-changed={}", root.join(file).display());
    }

    let lib = build_runtime(&runtime, &target_dir, X86_64, None, &[]);
    println!("cargo:rustc-env=WASI_AOT_RUNTIME_LIB={}", lib.display());
    println!("cargo:rerun-if-env-changed={AARCH64_RUSTC_VAR}");
    let lib = match aarch64_rustc() {
        Some(rustc) => build_runtime(
            &runtime,
            &out_dir.join("aarch64-runtime-target"),
            AARCH64,
            Some(&rustc),
            &[],
        ),
        None => {
            // An empty library: the CLI refuses the target.
            let empty = out_dir.join("no-aarch64-runtime.a");
            std::fs::write(&empty, b"").expect("cannot write to OUT_DIR");
            empty
        }
    };
    println!(
        "cargo:rustc-env=WASI_AOT_AARCH64_RUNTIME_LIB={}",
        lib.display()
    );
    // The static libraries' runtime: the host part instead of the process.
    let lib = build_runtime(
        &runtime,
        &out_dir.join("library-runtime-target"),
        X86_64,
        None,
        &["--no-default-features", "--features", "library"],
    );
    println!(
        "cargo:rustc-env=WASI_AOT_LIBRARY_RUNTIME_LIB={}",
        lib.display()
    );
}

const X86_64: &str = "x86_64-unknown-linux-gnu";
const AARCH64: &str = "aarch64-unknown-linux-gnu";
const AARCH64_RUSTC_VAR: &str = "WASI_AOT_AARCH64_RUSTC";

/// The Rust compiler to build the aarch64 runtime with, if there is one:
/// `$WASI_AOT_AARCH64_RUSTC` (an error when it cannot build for aarch64),
/// else `$RUSTC` or `rustc` when its sysroot has the aarch64 library.
fn aarch64_rustc() -> Option<PathBuf> {
    if let Some(rustc) = env::var_os(AARCH64_RUSTC_VAR).filter(|v| !v.is_empty()) {
        let rustc = PathBuf::from(rustc);
        assert!(
            has_target(&rustc, AARCH64),
            "{AARCH64_RUSTC_VAR}={} has no {AARCH64} standard library",
            rustc.display()
        );
        return Some(rustc);
    }
    let rustc = PathBuf::from(env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()));
    has_target(&rustc, AARCH64).then_some(rustc)
}

/// Whether `rustc` has the standard library of `target`.
fn has_target(rustc: &Path, target: &str) -> bool {
    let Ok(out) = Command::new(rustc)
        .args(["--print", "target-libdir", "--target", target])
        .output()
    else {
        return false;
    };
    let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    out.status.success()
        && std::fs::read_dir(dir).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("libcore-"))
        })
}

/// Builds the runtime for `target` as a static library with `features` in
/// `target_dir`, with `rustc` (else cargo's default); returns its path.
fn build_runtime(
    runtime: &Path,
    target_dir: &Path,
    target: &str,
    rustc: Option<&Path>,
    features: &[&str],
) -> PathBuf {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.arg("rustc")
        .arg("--release")
        .arg("--lib")
        .args(["--crate-type", "staticlib"])
        .arg("--manifest-path")
        .arg(runtime.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir)
        .arg("--target")
        .arg(target)
        .args(features);
    for (key, _) in env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("CARGO_") && key != "CARGO_HOME" && key != "CARGO_NET_OFFLINE"
            || key == "RUSTFLAGS"
            || key == "RUSTC_WRAPPER"
            || key == "RUSTC_WORKSPACE_WRAPPER"
            || key == "RUSTDOCFLAGS"
        {
            cmd.env_remove(key.as_ref());
        }
    }
    if let Some(rustc) = rustc {
        cmd.env("RUSTC", rustc);
    }
    cmd.env("RUSTFLAGS", "-C force-frame-pointers=yes");
    let status = cmd.status().expect("cannot run cargo to build the runtime");
    assert!(status.success(), "building the runtime library failed");

    let lib = target_dir
        .join(target)
        .join("release")
        .join("libwasi_aot_runtime.a");
    assert!(lib.exists(), "runtime library missing at {}", lib.display());
    lib
}
