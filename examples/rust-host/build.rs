//! Compiles checksum.wat into a static library (libchecksum.a) and its C
//! header in OUT_DIR with wasi-aot ($WASI_AOT, else `wasi-aot` on PATH),
//! and links the library.

use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let wasi_aot = env::var_os("WASI_AOT").unwrap_or_else(|| "wasi-aot".into());
    println!("cargo:rerun-if-changed=checksum.wat");
    println!("cargo:rerun-if-env-changed=WASI_AOT");
    let status = Command::new(&wasi_aot)
        .args([
            "build",
            "checksum.wat",
            "--emit",
            "staticlib",
            "--name",
            "checksum",
        ])
        .arg("-o")
        .arg(out.join("libchecksum.a"))
        .arg("--header")
        .arg(out.join("checksum.h"))
        .status()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", wasi_aot.to_string_lossy()));
    assert!(status.success(), "wasi-aot failed: {status}");
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static=checksum");
}
