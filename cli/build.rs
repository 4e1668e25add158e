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

    let lib = build_runtime(&runtime, &target_dir, &[]);
    println!("cargo:rustc-env=WASI_AOT_RUNTIME_LIB={}", lib.display());
    // The static libraries' runtime: the host part instead of the process.
    let lib = build_runtime(
        &runtime,
        &out_dir.join("library-runtime-target"),
        &["--no-default-features", "--features", "library"],
    );
    println!(
        "cargo:rustc-env=WASI_AOT_LIBRARY_RUNTIME_LIB={}",
        lib.display()
    );
}

/// Builds the runtime as a static library with `features` in `target_dir`;
/// returns its path.
fn build_runtime(runtime: &Path, target_dir: &Path, features: &[&str]) -> PathBuf {
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
        .arg("x86_64-unknown-linux-gnu")
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
    cmd.env("RUSTFLAGS", "-C force-frame-pointers=yes");
    let status = cmd.status().expect("cannot run cargo to build the runtime");
    assert!(status.success(), "building the runtime library failed");

    let lib = target_dir
        .join("x86_64-unknown-linux-gnu")
        .join("release")
        .join("libwasi_aot_runtime.a");
    assert!(lib.exists(), "runtime library missing at {}", lib.display());
    lib
}
