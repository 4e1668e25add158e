//! The contract between compiled code, the runtime and the kernel, checked
//! where the two sides meet:
//! * the signal-frame offsets the fault handler reads (the runtime has no
//!   libc, so it writes them down) are the C library's;
//! * an emitted object, executable or library, has no undefined symbol:
//!   compiled code reaches the runtime only through the tables the runtime
//!   fills, so nothing is left for the linker to resolve.

use std::mem::offset_of;

use object::{Object, ObjectSymbol};
use wasi_aot_runtime::trap::signal_frame;

#[test]
fn signal_frame_offsets_are_the_kernels() {
    assert_eq!(
        signal_frame::UC_MCONTEXT_GREGS,
        offset_of!(libc::ucontext_t, uc_mcontext) + offset_of!(libc::mcontext_t, gregs)
    );
    assert_eq!(signal_frame::REG_R15, libc::REG_R15 as usize);
    assert_eq!(signal_frame::REG_RDI, libc::REG_RDI as usize);
    assert_eq!(signal_frame::REG_RSI, libc::REG_RSI as usize);
    assert_eq!(signal_frame::REG_RBP, libc::REG_RBP as usize);
    assert_eq!(signal_frame::REG_RIP, libc::REG_RIP as usize);
    // `si_addr` sits in a union the libc crate exposes only through a
    // method: write a marker at the offset and read it back through it.
    // SAFETY: an all-zero `siginfo_t` is a valid value.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    let marker = 0x1234_5678_9abc_def0usize;
    // SAFETY: the offset plus a word lies inside the 128-byte `siginfo_t`.
    unsafe {
        std::ptr::write_unaligned(
            (&raw mut info)
                .cast::<u8>()
                .add(signal_frame::SI_ADDR)
                .cast::<usize>(),
            marker,
        );
    }
    // SAFETY: reading the union field as a fault's `si_addr`.
    assert_eq!(unsafe { info.si_addr() } as usize, marker);
}

/// A module using every kind of runtime service compiled code calls:
/// WASI, memory and table builtins, bulk memory, exceptions, float
/// rounding (a libcall on some targets), globals and `call_indirect`.
const EVERYTHING: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (memory $m2 1)
  (table 2 funcref)
  (elem (i32.const 0) $f)
  (data $d "abc")
  (global $g (mut i32) (i32.const 0))
  (tag $e (param i32))
  (type $t (func (param f32 f64) (result f32)))
  (func $f (type $t)
    (f32.add (f32.nearest (f32.ceil (local.get 0)))
             (f32.demote_f64 (f64.trunc (f64.floor (local.get 1))))))
  (func (export "_start")
    (drop (memory.grow (i32.const 1)))
    (memory.fill (i32.const 0) (i32.const 0) (i32.const 8))
    (memory.copy (i32.const 8) (i32.const 0) (i32.const 8))
    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 3))
    (data.drop $d)
    (drop (table.grow (ref.null func) (i32.const 1)))
    (table.fill (i32.const 1) (ref.null func) (i32.const 1))
    (table.copy (i32.const 1) (i32.const 0) (i32.const 1))
    (drop (memory.grow $m2 (i32.const 1)))
    (drop (call_indirect (type $t) (f32.const 1) (f64.const 2) (i32.const 0)))
    (global.set $g (i32.const 1))
    (block $h (result i32)
      (try_table (catch $e $h) (throw $e (i32.const 7)))
      (i32.const 0))
    (drop)
    (drop (call $w (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0)))
    (call $exit (i32.const 0))))"#;

fn undefined_symbols(object: &[u8]) -> Vec<String> {
    let file = object::File::parse(object).expect("the compiler writes a valid object");
    file.symbols()
        .filter(|s| s.is_undefined() && !s.name().unwrap_or("").is_empty())
        .map(|s| s.name().unwrap_or("?").to_string())
        .collect()
}

#[test]
fn emitted_objects_have_no_undefined_symbols() {
    let wasm = wat::parse_str(EVERYTHING).expect("valid wat");
    let options = wasi_aot_compiler::Options::default();
    let command = wasi_aot_compiler::compile_command(&wasm, &options)
        .and_then(|object| object.into_bytes())
        .expect("compiles");
    assert_eq!(undefined_symbols(&command), Vec::<String>::new());
    let library = wasi_aot_compiler::compile_library(&wasm, &options).expect("compiles");
    assert_eq!(undefined_symbols(&library), Vec::<String>::new());
}
