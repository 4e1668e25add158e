//! Translator tests: small modules in the text format go through the real
//! parser and the translator, and every function must pass the Cranelift
//! verifier and compile to x86-64 machine code.

use super::translate_function;
use crate::env::Symbols;
use crate::error::CompileError;
use cranelift_codegen::ir;
use cranelift_codegen::isa::{self, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::{Context, verify_function};

fn test_isa() -> OwnedTargetIsa {
    let mut flags = settings::builder();
    flags.set("opt_level", "speed").unwrap();
    flags.set("preserve_frame_pointers", "true").unwrap();
    flags.set("enable_verifier", "true").unwrap();
    let triple: target_lexicon::Triple = "x86_64-unknown-linux-gnu".parse().unwrap();
    let mut builder = isa::lookup(triple).unwrap();
    builder.enable("x86-64-v2").unwrap();
    builder.finish(settings::Flags::new(flags)).unwrap()
}

pub(super) fn fake_symbols(num_funcs: usize) -> Symbols {
    crate::disas::index_symbols(num_funcs)
}

/// Translates every defined function of `wat`, returning the functions or
/// the first error.
fn translate(wat: &str) -> Result<Vec<ir::Function>, CompileError> {
    let wasm = wat::parse_str(wat).expect("test module must parse");
    let crate::parse::Parsed { env, funcs } = crate::parse::parse(&wasm)?;
    let syms = fake_symbols(env.funcs.len());
    let isa = test_isa();
    let mut out = Vec::new();
    for (i, to_validate) in funcs.into_iter().enumerate() {
        let index = env.num_imported_funcs() + i as u32;
        let mut validator = to_validate.into_validator(Default::default());
        let func = translate_function(&env, &syms, &*isa, index, &env.bodies[i], &mut validator)?;
        out.push(func);
    }
    Ok(out)
}

/// Translates, verifies and compiles every function; returns the CLIF text.
fn compile(wat: &str) -> String {
    let funcs = translate(wat).unwrap_or_else(|e| panic!("translation failed: {e}"));
    let isa = test_isa();
    let mut text = String::new();
    for func in funcs {
        text.push_str(&func.display().to_string());
        if let Err(errors) = verify_function(&func, &*isa) {
            panic!("verifier errors:\n{errors}\n{}", func.display());
        }
        let mut ctx = Context::for_function(func);
        let mut ctrl = Default::default();
        if let Err(e) = ctx.compile(&*isa, &mut ctrl) {
            panic!("compilation failed: {:?}", e.inner);
        }
    }
    text
}

#[test]
fn blocks_loops_and_ifs() {
    compile(
        r#"(module
          (func (param i32) (result i32)
            (local i32)
            (block $out
              (loop $top
                (br_if $out (i32.eqz (local.get 0)))
                (local.set 1 (i32.add (local.get 1) (local.get 0)))
                (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                (br $top)))
            (if (result i32) (local.get 1)
              (then (i32.const 1))
              (else (i32.const 2))))
          (func (param i32) (result i32)
            (if (local.get 0) (then (return (i32.const 7))))
            (i32.const 8))
          (func (result i32)
            (block (result i32)
              (br 0 (i32.const 1))
              (block (loop (if (i32.const 0) (then unreachable) (else nop))))
              (i32.const 2))))"#,
    );
}

#[test]
fn br_table_with_values() {
    let clif = compile(
        r#"(module
          (func (param i32) (result i32)
            (block $a (result i32)
              (block $b (result i32)
                (block $c (result i32)
                  (br_table $a $b $c $b (i32.const 10) (local.get 0)))
                (i32.add (i32.const 1)))
              (i32.add (i32.const 2))))
          (func (param i32)
            (block (block (block (br_table 0 1 2 (local.get 0)))))))"#,
    );
    assert!(clif.contains("br_table"), "{clif}");
}

#[test]
fn multi_value() {
    compile(
        r#"(module
          (func $swap (param i32 i64) (result i64 i32)
            (local.get 1) (local.get 0))
          (func (result i32) (local i32)
            (i32.const 1) (i64.const 2)
            (block (param i32 i64) (result i64 i32)
              (call $swap))
            (drop) (drop)
            (i32.const 5)
            (loop (param i32) (result i32)
              (i32.const 1) (i32.sub) (local.tee 0) (br_if 0 (local.get 0)))
            (i32.const 3)
            (if (param i32) (result i32) (then (i32.add (i32.const 1)))))
          (func (param i32) (result f32 f64)
            (f32.const 1) (f64.const 2)
            (if (param f32 f64) (result f32 f64) (local.get 0)
              (then)
              (else (drop) (drop) (f32.const 3) (f64.const 4)))))"#,
    );
}

#[test]
fn branches_to_loops_with_params() {
    compile(
        r#"(module
          (func (param i32) (result i32)
            (i32.const 10)
            (loop $l (param i32) (result i32)
              (i32.sub (i32.const 1))
              (local.tee 0)
              (local.get 0)
              (br_table $l 1 $l (local.get 0))))
          (func (param i32) (result i32)
            (i32.const 1)
            (if (param i32) (result i32) (local.get 0)
              (then (unreachable))))
          (func)
          (func (param i32) (result i64)
            (block (result i64)
              (i64.const 1)
              (br_if 0 (local.get 0))
              (drop)
              (block (loop (br_if 2 (i64.const 2) (local.get 0)) (br 1)))
              (i64.const 3))))"#,
    );
}

#[test]
fn unreachable_code_is_skipped() {
    let clif = compile(
        r#"(module
          (func (result i32)
            (unreachable)
            (block (result i32) (i32.const 1) (if (then) (else)) (br 0 (i32.const 0)))
            (i32.add (i32.const 1)))
          (func (param i32) (result i32)
            (block (result i32)
              (if (local.get 0) (then (br 1 (i32.const 1))) (else (br 1 (i32.const 2))))
              (i32.const 3))))"#,
    );
    assert!(clif.contains("trap user10"), "{clif}");
}

#[test]
fn numeric_operators() {
    compile(
        r#"(module
          (func (param i32 i32 i64 i64 f32 f32 f64 f64)
            (drop (i32.div_s (local.get 0) (local.get 1)))
            (drop (i32.rem_s (local.get 0) (local.get 1)))
            (drop (i32.div_u (local.get 0) (local.get 1)))
            (drop (i32.rem_u (local.get 0) (local.get 1)))
            (drop (i64.div_s (local.get 2) (local.get 3)))
            (drop (i64.rem_s (local.get 2) (local.get 3)))
            (drop (i64.rotl (local.get 2) (local.get 3)))
            (drop (i32.rotr (local.get 0) (local.get 1)))
            (drop (i32.clz (local.get 0)))
            (drop (i64.ctz (local.get 2)))
            (drop (i64.popcnt (local.get 2)))
            (drop (i32.lt_u (local.get 0) (local.get 1)))
            (drop (i64.ge_s (local.get 2) (local.get 3)))
            (drop (i64.eqz (local.get 2)))
            (drop (f32.ne (local.get 4) (local.get 5)))
            (drop (f64.le (local.get 6) (local.get 7)))
            (drop (f32.min (local.get 4) (local.get 5)))
            (drop (f64.max (local.get 6) (local.get 7)))
            (drop (f32.copysign (local.get 4) (local.get 5)))
            (drop (f64.nearest (local.get 6)))
            (drop (f32.floor (local.get 4)))
            (drop (f64.sqrt (local.get 6)))
            (drop (i32.trunc_f32_s (local.get 4)))
            (drop (i32.trunc_f64_u (local.get 6)))
            (drop (i64.trunc_f32_u (local.get 4)))
            (drop (i64.trunc_sat_f64_s (local.get 6)))
            (drop (i32.trunc_sat_f32_u (local.get 4)))
            (drop (f32.convert_i64_u (local.get 2)))
            (drop (f64.convert_i32_s (local.get 0)))
            (drop (f32.demote_f64 (local.get 6)))
            (drop (f64.promote_f32 (local.get 4)))
            (drop (i32.reinterpret_f32 (local.get 4)))
            (drop (f64.reinterpret_i64 (local.get 2)))
            (drop (i32.wrap_i64 (local.get 2)))
            (drop (i64.extend_i32_u (local.get 0)))
            (drop (i32.extend8_s (local.get 0)))
            (drop (i64.extend32_s (local.get 2)))
            (drop (select (local.get 4) (local.get 5) (local.get 0)))))"#,
    );
}

#[test]
fn memory_operators() {
    let clif = compile(
        r#"(module
          (memory 1)
          (data $d "hello")
          (func (param i32) (result i32)
            (i32.store offset=4 (local.get 0) (i32.load8_s (local.get 0)))
            (i64.store32 (local.get 0) (i64.load32_u offset=0xffff_fff0 (local.get 0)))
            (f64.store (local.get 0) (f64.load (local.get 0)))
            (i64.store16 (local.get 0) (i64.load16_s (local.get 0)))
            (memory.fill (local.get 0) (i32.const 0) (i32.const 16))
            (memory.copy (local.get 0) (i32.const 0) (i32.const 16))
            (memory.init $d (local.get 0) (i32.const 0) (i32.const 5))
            (data.drop $d)
            (drop (memory.grow (i32.const 1)))
            (memory.size)))"#,
    );
    assert!(clif.contains("sload8.i32 little"), "{clif}");
}

#[test]
fn globals() {
    compile(
        r#"(module
          (global $c i32 (i32.const 42))
          (global $m (mut i64) (i64.const 0))
          (global $f f64 (f64.const 1.5))
          (global $r funcref (ref.func 0))
          (func (result i32)
            (global.set $m (i64.extend_i32_u (global.get $c)))
            (drop (global.get $f))
            (drop (global.get $r))
            (i32.wrap_i64 (global.get $m))))"#,
    );
}

#[test]
fn tables_and_references() {
    let clif = compile(
        r#"(module
          (type $t (func (param i32) (result i32)))
          (table $tab 4 funcref)
          (table $ext 2 externref)
          (elem $e func $f)
          (func $f (type $t) (local.get 0))
          (func (param i32) (result i32)
            (table.set $tab (i32.const 0) (ref.func $f))
            (drop (ref.is_null (table.get $tab (local.get 0))))
            (drop (table.grow $tab (ref.null func) (i32.const 1)))
            (table.fill $tab (i32.const 0) (ref.null func) (i32.const 1))
            (table.copy $tab $tab (i32.const 0) (i32.const 1) (i32.const 1))
            (table.init $tab $e (i32.const 0) (i32.const 0) (i32.const 1))
            (elem.drop $e)
            (drop (select (result externref) (ref.null extern) (table.get $ext (i32.const 0))
              (local.get 0)))
            (drop (table.size $ext))
            (call_indirect $tab (type $t) (i32.const 1) (local.get 0))))"#,
    );
    assert!(clif.contains("trapnz"), "{clif}");
}

#[test]
fn calls_and_tail_calls() {
    compile(
        r#"(module
          (import "wasi_snapshot_preview1" "fd_write"
            (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (type $t (func (param i64) (result i64)))
          (table 1 funcref)
          (memory 1)
          (func $g (type $t) (local.get 0))
          (func (param i64) (result i64)
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (return_call $g (call $g (local.get 0))))
          (func (param i64) (result i64)
            (return_call_indirect (type $t) (local.get 0) (i32.const 0)))
          (func (result i32)
            (return_call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))"#,
    );
}

#[test]
fn invalid_body_is_an_error() {
    let err = translate(r#"(module (func (result i32) (i64.const 0)))"#).unwrap_err();
    assert!(matches!(err, CompileError::Invalid { .. }), "{err}");
}

#[test]
fn operators_are_named_without_immediates() {
    use super::code::operator_name;
    use wasmparser::Operator;
    assert_eq!(operator_name(&Operator::I32Add), "I32Add");
    assert_eq!(
        operator_name(&Operator::I8x16Shuffle { lanes: [0; 16] }),
        "I8x16Shuffle"
    );
    assert_eq!(
        operator_name(&Operator::I32x4ExtractLane { lane: 3 }),
        "I32x4ExtractLane"
    );
}

/// Exceptions: nested `try_table`s whose clauses target blocks and a loop,
/// calls (direct, imported, indirect) sharing a dispatch block, payloads of
/// every value type, `throw_ref`, and `try_table` in unreachable code.
#[test]
fn exceptions() {
    let text = compile(
        r#"(module
          (import "m" "f" (func $imported (param i32) (result i32)))
          (import "m" "t" (tag $imported_tag))
          (tag $e (param i32 i64 f32 f64 v128 funcref))
          (tag $empty)
          (type $v (func))
          (table 1 funcref)
          (func $thrower (param i32)
            (throw $e (local.get 0) (i64.const 1) (f32.const 2) (f64.const 3)
                      (v128.const i64x2 4 5) (ref.null func)))
          (func (param i32) (result i32)
            (local $n i32)
            (loop $again
              (block $outer (result exnref)
                (block $h (result i32 i64 f32 f64 v128 funcref)
                  (try_table (catch $e $h) (catch_all_ref $outer)
                    (block $inner
                      (try_table (catch $empty $again) (catch $imported_tag $inner)
                        (call $thrower (local.get 0))
                        (drop (call $imported (local.get 0)))
                        (call_indirect (type $v) (local.get 0))
                        (throw $empty))))
                  (return (i32.const 0)))
                (drop) (drop) (drop) (drop) (drop)
                (return))
              (throw_ref))
            (unreachable)
            (block (try_table (catch_all 0) (call $thrower (i32.const 1))))
            (i32.const 2)))"#,
    );
    assert!(text.contains("try_call fn"), "{text}");
    assert!(text.contains("try_call_indirect"), "{text}");
}

/// Code outside any `try_table` calls plainly: no exception tables.
#[test]
fn calls_outside_try_table_are_plain() {
    let text = compile(
        r#"(module
          (tag $e)
          (func $f (throw $e))
          (func (call $f) (block (try_table (catch_all 0))) (call $f)))"#,
    );
    assert!(!text.contains("try_call"), "{text}");
}
