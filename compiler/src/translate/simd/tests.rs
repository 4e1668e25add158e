//! SIMD translator tests: a module using every SIMD operator of WebAssembly
//! 2.0 and of relaxed SIMD goes through the parser, the translator and the real code generator
//! settings for every supported CPU level. Every function must verify and
//! compile without library calls (the runtime provides none), so no
//! operator can fail to lower when a user builds a program.

use super::super::tests::fake_symbols;
use super::super::translate_function;
use crate::codegen::{TargetCpu, compile_function, target_isa};
use crate::error::CompileError;
use cranelift_codegen::ir;
use cranelift_codegen::verify_function;
use cranelift_module::{FuncId, ModuleRelocTarget};
use std::collections::BTreeSet;
use wasmparser::{Operator, Parser, Payload};

const CPUS: [TargetCpu; 2] = [TargetCpu::X86_64V2, TargetCpu::X86_64V3];

/// Translates every defined function of `wasm` for `cpu`.
fn translate(wasm: &[u8], cpu: TargetCpu) -> Result<Vec<ir::Function>, CompileError> {
    let crate::parse::Parsed { env, funcs } = crate::parse::parse(wasm)?;
    let syms = fake_symbols(env.funcs.len());
    let isa = target_isa(cpu)?;
    let mut out = Vec::new();
    for (i, to_validate) in funcs.into_iter().enumerate() {
        let index = env.num_imported_funcs() + i as u32;
        let mut validator = to_validate.into_validator(Default::default());
        out.push(translate_function(
            &env,
            &syms,
            &*isa,
            index,
            &env.bodies[i],
            &mut validator,
        )?);
    }
    Ok(out)
}

/// Translates, verifies and compiles every function of `wat` for every CPU
/// level; returns the CLIF text of the first level.
fn compile_all_cpus(wat: &str) -> String {
    let wasm = wat::parse_str(wat).expect("test module must parse");
    let mut text = String::new();
    for cpu in CPUS {
        let isa = target_isa(cpu).unwrap();
        let funcs = translate(&wasm, cpu)
            .unwrap_or_else(|e| panic!("translation failed for {}: {e}", cpu.name()));
        for (i, func) in funcs.into_iter().enumerate() {
            if cpu == CPUS[0] {
                text.push_str(&func.display().to_string());
            }
            if let Err(errors) = verify_function(&func, &*isa) {
                panic!("verifier errors:\n{errors}\n{}", func.display());
            }
            let shown = func.display().to_string();
            let compiled = compile_function(&*isa, FuncId::from_u32(i as u32), i as u32, func)
                .unwrap_or_else(|e| panic!("{} failed to compile: {e}\n{shown}", cpu.name()));
            for reloc in &compiled.relocs {
                assert!(
                    !matches!(reloc.name, ModuleRelocTarget::LibCall(_)),
                    "{}: function {i} calls a library function: {:?}\n{shown}",
                    cpu.name(),
                    reloc.name
                );
            }
        }
    }
    text
}

/// The wasm names of the operators of the SIMD and relaxed SIMD proposals,
/// as `operator_name` spells them.
fn all_simd_operators() -> BTreeSet<String> {
    macro_rules! collect {
        ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {{
            let mut names = BTreeSet::new();
            $(
                if matches!(stringify!($proposal), "simd" | "relaxed_simd") {
                    names.insert(stringify!($op).to_string());
                }
            )*
            names
        }};
    }
    wasmparser::for_each_visit_simd_operator!(collect)
}

/// The names of the operators used in the code of `wasm`.
fn used_operators(wasm: &[u8]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::CodeSectionEntry(body) = payload.unwrap() {
            let mut reader = body.get_operators_reader().unwrap();
            while !reader.eof() {
                let op: Operator = reader.read().unwrap();
                names.insert(super::super::code::operator_name(&op));
            }
        }
    }
    names
}

/// Every SIMD operator, each result passed to a sink function so that none
/// is removed as dead code before it is lowered. Locals: 0-2 v128, 3 i32,
/// 4 i64, 5 f32, 6 f64.
const EVERY_OPERATOR: &str = r#"(module
  (memory 1)
  (func $v (param v128))
  (func $i (param i32))
  (func $l (param i64))
  (func $f (param f32))
  (func $d (param f64))

  (func $memory (param v128 v128 v128 i32 i64 f32 f64)
    (call $v (v128.load offset=0xffff_fff0 (local.get 3)))
    (call $v (v128.load8x8_s (local.get 3)))
    (call $v (v128.load8x8_u offset=3 (local.get 3)))
    (call $v (v128.load16x4_s (local.get 3)))
    (call $v (v128.load16x4_u (local.get 3)))
    (call $v (v128.load32x2_s (local.get 3)))
    (call $v (v128.load32x2_u offset=7 (local.get 3)))
    (call $v (v128.load8_splat (local.get 3)))
    (call $v (v128.load16_splat (local.get 3)))
    (call $v (v128.load32_splat (local.get 3)))
    (call $v (v128.load64_splat (local.get 3)))
    (call $v (v128.load32_zero (local.get 3)))
    (call $v (v128.load64_zero offset=0xffff_ffff (local.get 3)))
    (call $v (v128.load8_lane 15 (local.get 3) (local.get 0)))
    (call $v (v128.load16_lane 7 (local.get 3) (local.get 0)))
    (call $v (v128.load32_lane 3 (local.get 3) (local.get 0)))
    (call $v (v128.load64_lane 1 (local.get 3) (local.get 0)))
    (v128.store offset=16 (local.get 3) (local.get 0))
    (v128.store8_lane 0 (local.get 3) (local.get 0))
    (v128.store16_lane 5 (local.get 3) (local.get 0))
    (v128.store32_lane 2 (local.get 3) (local.get 0))
    (v128.store64_lane 1 (local.get 3) (local.get 0))
    ;; memory operands of arithmetic, which may be folded into it
    (call $v (i32x4.add (local.get 0) (v128.load offset=1 (local.get 3))))
    (call $v (f64x2.mul (v128.load (local.get 3)) (local.get 0))))

  (func $lanes (param v128 v128 v128 i32 i64 f32 f64)
    (call $v (v128.const i32x4 1 -2 0x7fffffff 0x80000000))
    (call $v (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31 (local.get 0) (local.get 1)))
    (call $v (i8x16.shuffle 3 3 3 3 0 0 0 0 15 14 13 12 11 10 9 8 (local.get 0) (local.get 0)))
    (call $v (i8x16.swizzle (local.get 0) (local.get 1)))
    (call $v (i8x16.splat (local.get 3)))
    (call $v (i16x8.splat (local.get 3)))
    (call $v (i32x4.splat (local.get 3)))
    (call $v (i64x2.splat (local.get 4)))
    (call $v (f32x4.splat (local.get 5)))
    (call $v (f64x2.splat (local.get 6)))
    (call $i (i8x16.extract_lane_s 15 (local.get 0)))
    (call $i (i8x16.extract_lane_u 1 (local.get 0)))
    (call $i (i16x8.extract_lane_s 7 (local.get 0)))
    (call $i (i16x8.extract_lane_u 0 (local.get 0)))
    (call $i (i32x4.extract_lane 3 (local.get 0)))
    (call $l (i64x2.extract_lane 1 (local.get 0)))
    (call $f (f32x4.extract_lane 2 (local.get 0)))
    (call $d (f64x2.extract_lane 1 (local.get 0)))
    (call $v (i8x16.replace_lane 9 (local.get 0) (local.get 3)))
    (call $v (i16x8.replace_lane 3 (local.get 0) (local.get 3)))
    (call $v (i32x4.replace_lane 1 (local.get 0) (local.get 3)))
    (call $v (i64x2.replace_lane 0 (local.get 0) (local.get 4)))
    (call $v (f32x4.replace_lane 3 (local.get 0) (local.get 5)))
    (call $v (f64x2.replace_lane 1 (local.get 0) (local.get 6))))

  (func $compare (param v128 v128 v128 i32 i64 f32 f64)
    (call $v (i8x16.eq (local.get 0) (local.get 1)))
    (call $v (i8x16.ne (local.get 0) (local.get 1)))
    (call $v (i8x16.lt_s (local.get 0) (local.get 1)))
    (call $v (i8x16.lt_u (local.get 0) (local.get 1)))
    (call $v (i8x16.gt_s (local.get 0) (local.get 1)))
    (call $v (i8x16.gt_u (local.get 0) (local.get 1)))
    (call $v (i8x16.le_s (local.get 0) (local.get 1)))
    (call $v (i8x16.le_u (local.get 0) (local.get 1)))
    (call $v (i8x16.ge_s (local.get 0) (local.get 1)))
    (call $v (i8x16.ge_u (local.get 0) (local.get 1)))
    (call $v (i16x8.eq (local.get 0) (local.get 1)))
    (call $v (i16x8.ne (local.get 0) (local.get 1)))
    (call $v (i16x8.lt_s (local.get 0) (local.get 1)))
    (call $v (i16x8.lt_u (local.get 0) (local.get 1)))
    (call $v (i16x8.gt_s (local.get 0) (local.get 1)))
    (call $v (i16x8.gt_u (local.get 0) (local.get 1)))
    (call $v (i16x8.le_s (local.get 0) (local.get 1)))
    (call $v (i16x8.le_u (local.get 0) (local.get 1)))
    (call $v (i16x8.ge_s (local.get 0) (local.get 1)))
    (call $v (i16x8.ge_u (local.get 0) (local.get 1)))
    (call $v (i32x4.eq (local.get 0) (local.get 1)))
    (call $v (i32x4.ne (local.get 0) (local.get 1)))
    (call $v (i32x4.lt_s (local.get 0) (local.get 1)))
    (call $v (i32x4.lt_u (local.get 0) (local.get 1)))
    (call $v (i32x4.gt_s (local.get 0) (local.get 1)))
    (call $v (i32x4.gt_u (local.get 0) (local.get 1)))
    (call $v (i32x4.le_s (local.get 0) (local.get 1)))
    (call $v (i32x4.le_u (local.get 0) (local.get 1)))
    (call $v (i32x4.ge_s (local.get 0) (local.get 1)))
    (call $v (i32x4.ge_u (local.get 0) (local.get 1)))
    (call $v (i64x2.eq (local.get 0) (local.get 1)))
    (call $v (i64x2.ne (local.get 0) (local.get 1)))
    (call $v (i64x2.lt_s (local.get 0) (local.get 1)))
    (call $v (i64x2.gt_s (local.get 0) (local.get 1)))
    (call $v (i64x2.le_s (local.get 0) (local.get 1)))
    (call $v (i64x2.ge_s (local.get 0) (local.get 1)))
    (call $v (f32x4.eq (local.get 0) (local.get 1)))
    (call $v (f32x4.ne (local.get 0) (local.get 1)))
    (call $v (f32x4.lt (local.get 0) (local.get 1)))
    (call $v (f32x4.gt (local.get 0) (local.get 1)))
    (call $v (f32x4.le (local.get 0) (local.get 1)))
    (call $v (f32x4.ge (local.get 0) (local.get 1)))
    (call $v (f64x2.eq (local.get 0) (local.get 1)))
    (call $v (f64x2.ne (local.get 0) (local.get 1)))
    (call $v (f64x2.lt (local.get 0) (local.get 1)))
    (call $v (f64x2.gt (local.get 0) (local.get 1)))
    (call $v (f64x2.le (local.get 0) (local.get 1)))
    (call $v (f64x2.ge (local.get 0) (local.get 1))))

  (func $bitwise (param v128 v128 v128 i32 i64 f32 f64)
    (call $v (v128.not (local.get 0)))
    (call $v (v128.and (local.get 0) (local.get 1)))
    (call $v (v128.andnot (local.get 0) (local.get 1)))
    (call $v (v128.or (local.get 0) (local.get 1)))
    (call $v (v128.xor (local.get 0) (local.get 1)))
    (call $v (v128.bitselect (local.get 0) (local.get 1) (local.get 2)))
    (call $i (v128.any_true (local.get 0)))
    (call $i (i8x16.all_true (local.get 0)))
    (call $i (i16x8.all_true (local.get 0)))
    (call $i (i32x4.all_true (local.get 0)))
    (call $i (i64x2.all_true (local.get 0)))
    (call $i (i8x16.bitmask (local.get 0)))
    (call $i (i16x8.bitmask (local.get 0)))
    (call $i (i32x4.bitmask (local.get 0)))
    (call $i (i64x2.bitmask (local.get 0)))
    (call $v (i8x16.shl (local.get 0) (local.get 3)))
    (call $v (i8x16.shr_s (local.get 0) (local.get 3)))
    (call $v (i8x16.shr_u (local.get 0) (local.get 3)))
    (call $v (i16x8.shl (local.get 0) (local.get 3)))
    (call $v (i16x8.shr_s (local.get 0) (local.get 3)))
    (call $v (i16x8.shr_u (local.get 0) (local.get 3)))
    (call $v (i32x4.shl (local.get 0) (local.get 3)))
    (call $v (i32x4.shr_s (local.get 0) (local.get 3)))
    (call $v (i32x4.shr_u (local.get 0) (local.get 3)))
    (call $v (i64x2.shl (local.get 0) (local.get 3)))
    (call $v (i64x2.shr_s (local.get 0) (local.get 3)))
    (call $v (i64x2.shr_u (local.get 0) (local.get 3)))
    ;; constant amounts, also out of the lane range
    (call $v (i8x16.shl (local.get 0) (i32.const 9)))
    (call $v (i8x16.shr_s (local.get 0) (i32.const 3)))
    (call $v (i8x16.shr_u (local.get 0) (i32.const -1)))
    (call $v (i16x8.shr_s (local.get 0) (i32.const 17)))
    (call $v (i32x4.shl (local.get 0) (i32.const 32)))
    (call $v (i64x2.shr_s (local.get 0) (i32.const 65)))
    (call $v (i64x2.shr_s (local.get 0) (i32.const 32)))
    (call $v (i64x2.shr_u (local.get 0) (i32.const 63))))

  (func $integer (param v128 v128 v128 i32 i64 f32 f64)
    (call $v (i8x16.abs (local.get 0)))
    (call $v (i8x16.neg (local.get 0)))
    (call $v (i8x16.popcnt (local.get 0)))
    (call $v (i8x16.narrow_i16x8_s (local.get 0) (local.get 1)))
    (call $v (i8x16.narrow_i16x8_u (local.get 0) (local.get 1)))
    (call $v (i8x16.add (local.get 0) (local.get 1)))
    (call $v (i8x16.add_sat_s (local.get 0) (local.get 1)))
    (call $v (i8x16.add_sat_u (local.get 0) (local.get 1)))
    (call $v (i8x16.sub (local.get 0) (local.get 1)))
    (call $v (i8x16.sub_sat_s (local.get 0) (local.get 1)))
    (call $v (i8x16.sub_sat_u (local.get 0) (local.get 1)))
    (call $v (i8x16.min_s (local.get 0) (local.get 1)))
    (call $v (i8x16.min_u (local.get 0) (local.get 1)))
    (call $v (i8x16.max_s (local.get 0) (local.get 1)))
    (call $v (i8x16.max_u (local.get 0) (local.get 1)))
    (call $v (i8x16.avgr_u (local.get 0) (local.get 1)))
    (call $v (i16x8.extadd_pairwise_i8x16_s (local.get 0)))
    (call $v (i16x8.extadd_pairwise_i8x16_u (local.get 0)))
    (call $v (i16x8.abs (local.get 0)))
    (call $v (i16x8.neg (local.get 0)))
    (call $v (i16x8.q15mulr_sat_s (local.get 0) (local.get 1)))
    (call $v (i16x8.narrow_i32x4_s (local.get 0) (local.get 1)))
    (call $v (i16x8.narrow_i32x4_u (local.get 0) (local.get 1)))
    (call $v (i16x8.extend_low_i8x16_s (local.get 0)))
    (call $v (i16x8.extend_high_i8x16_s (local.get 0)))
    (call $v (i16x8.extend_low_i8x16_u (local.get 0)))
    (call $v (i16x8.extend_high_i8x16_u (local.get 0)))
    (call $v (i16x8.add (local.get 0) (local.get 1)))
    (call $v (i16x8.add_sat_s (local.get 0) (local.get 1)))
    (call $v (i16x8.add_sat_u (local.get 0) (local.get 1)))
    (call $v (i16x8.sub (local.get 0) (local.get 1)))
    (call $v (i16x8.sub_sat_s (local.get 0) (local.get 1)))
    (call $v (i16x8.sub_sat_u (local.get 0) (local.get 1)))
    (call $v (i16x8.mul (local.get 0) (local.get 1)))
    (call $v (i16x8.min_s (local.get 0) (local.get 1)))
    (call $v (i16x8.min_u (local.get 0) (local.get 1)))
    (call $v (i16x8.max_s (local.get 0) (local.get 1)))
    (call $v (i16x8.max_u (local.get 0) (local.get 1)))
    (call $v (i16x8.avgr_u (local.get 0) (local.get 1)))
    (call $v (i16x8.extmul_low_i8x16_s (local.get 0) (local.get 1)))
    (call $v (i16x8.extmul_high_i8x16_s (local.get 0) (local.get 1)))
    (call $v (i16x8.extmul_low_i8x16_u (local.get 0) (local.get 1)))
    (call $v (i16x8.extmul_high_i8x16_u (local.get 0) (local.get 1)))
    (call $v (i32x4.extadd_pairwise_i16x8_s (local.get 0)))
    (call $v (i32x4.extadd_pairwise_i16x8_u (local.get 0)))
    (call $v (i32x4.abs (local.get 0)))
    (call $v (i32x4.neg (local.get 0)))
    (call $v (i32x4.extend_low_i16x8_s (local.get 0)))
    (call $v (i32x4.extend_high_i16x8_s (local.get 0)))
    (call $v (i32x4.extend_low_i16x8_u (local.get 0)))
    (call $v (i32x4.extend_high_i16x8_u (local.get 0)))
    (call $v (i32x4.add (local.get 0) (local.get 1)))
    (call $v (i32x4.sub (local.get 0) (local.get 1)))
    (call $v (i32x4.mul (local.get 0) (local.get 1)))
    (call $v (i32x4.min_s (local.get 0) (local.get 1)))
    (call $v (i32x4.min_u (local.get 0) (local.get 1)))
    (call $v (i32x4.max_s (local.get 0) (local.get 1)))
    (call $v (i32x4.max_u (local.get 0) (local.get 1)))
    (call $v (i32x4.dot_i16x8_s (local.get 0) (local.get 1)))
    (call $v (i32x4.extmul_low_i16x8_s (local.get 0) (local.get 1)))
    (call $v (i32x4.extmul_high_i16x8_s (local.get 0) (local.get 1)))
    (call $v (i32x4.extmul_low_i16x8_u (local.get 0) (local.get 1)))
    (call $v (i32x4.extmul_high_i16x8_u (local.get 0) (local.get 1)))
    (call $v (i64x2.abs (local.get 0)))
    (call $v (i64x2.neg (local.get 0)))
    (call $v (i64x2.extend_low_i32x4_s (local.get 0)))
    (call $v (i64x2.extend_high_i32x4_s (local.get 0)))
    (call $v (i64x2.extend_low_i32x4_u (local.get 0)))
    (call $v (i64x2.extend_high_i32x4_u (local.get 0)))
    (call $v (i64x2.add (local.get 0) (local.get 1)))
    (call $v (i64x2.sub (local.get 0) (local.get 1)))
    (call $v (i64x2.mul (local.get 0) (local.get 1)))
    (call $v (i64x2.extmul_low_i32x4_s (local.get 0) (local.get 1)))
    (call $v (i64x2.extmul_high_i32x4_s (local.get 0) (local.get 1)))
    (call $v (i64x2.extmul_low_i32x4_u (local.get 0) (local.get 1)))
    (call $v (i64x2.extmul_high_i32x4_u (local.get 0) (local.get 1))))

  (func $float (param v128 v128 v128 i32 i64 f32 f64)
    (call $v (f32x4.ceil (local.get 0)))
    (call $v (f32x4.floor (local.get 0)))
    (call $v (f32x4.trunc (local.get 0)))
    (call $v (f32x4.nearest (local.get 0)))
    (call $v (f32x4.abs (local.get 0)))
    (call $v (f32x4.neg (local.get 0)))
    (call $v (f32x4.sqrt (local.get 0)))
    (call $v (f32x4.add (local.get 0) (local.get 1)))
    (call $v (f32x4.sub (local.get 0) (local.get 1)))
    (call $v (f32x4.mul (local.get 0) (local.get 1)))
    (call $v (f32x4.div (local.get 0) (local.get 1)))
    (call $v (f32x4.min (local.get 0) (local.get 1)))
    (call $v (f32x4.max (local.get 0) (local.get 1)))
    (call $v (f32x4.pmin (local.get 0) (local.get 1)))
    (call $v (f32x4.pmax (local.get 0) (local.get 1)))
    (call $v (f64x2.ceil (local.get 0)))
    (call $v (f64x2.floor (local.get 0)))
    (call $v (f64x2.trunc (local.get 0)))
    (call $v (f64x2.nearest (local.get 0)))
    (call $v (f64x2.abs (local.get 0)))
    (call $v (f64x2.neg (local.get 0)))
    (call $v (f64x2.sqrt (local.get 0)))
    (call $v (f64x2.add (local.get 0) (local.get 1)))
    (call $v (f64x2.sub (local.get 0) (local.get 1)))
    (call $v (f64x2.mul (local.get 0) (local.get 1)))
    (call $v (f64x2.div (local.get 0) (local.get 1)))
    (call $v (f64x2.min (local.get 0) (local.get 1)))
    (call $v (f64x2.max (local.get 0) (local.get 1)))
    (call $v (f64x2.pmin (local.get 0) (local.get 1)))
    (call $v (f64x2.pmax (local.get 0) (local.get 1))))

  (func $convert (param v128 v128 v128 i32 i64 f32 f64)
    (call $v (i32x4.trunc_sat_f32x4_s (local.get 0)))
    (call $v (i32x4.trunc_sat_f32x4_u (local.get 0)))
    (call $v (f32x4.convert_i32x4_s (local.get 0)))
    (call $v (f32x4.convert_i32x4_u (local.get 0)))
    (call $v (i32x4.trunc_sat_f64x2_s_zero (local.get 0)))
    (call $v (i32x4.trunc_sat_f64x2_u_zero (local.get 0)))
    (call $v (f64x2.convert_low_i32x4_s (local.get 0)))
    (call $v (f64x2.convert_low_i32x4_u (local.get 0)))
    (call $v (f32x4.demote_f64x2_zero (local.get 0)))
    (call $v (f64x2.promote_low_f32x4 (local.get 0)))
    ;; constant operands, which the optimizer may look through
    (call $v (i32x4.trunc_sat_f64x2_s_zero (v128.const f64x2 nan -inf)))
    (call $v (i32x4.trunc_sat_f64x2_u_zero (v128.const f64x2 1e10 -1)))
    (call $v (i32x4.trunc_sat_f64x2_u_zero
      (f64x2.add (local.get 0) (v128.const f64x2 0 0))))
    (call $v (f64x2.convert_low_i32x4_u (v128.const i32x4 -1 2 3 4)))
    (call $v (i32x4.trunc_sat_f32x4_u (v128.const f32x4 nan -1 4e9 5e9))))

  (func $relaxed (param v128 v128 v128 i32 i64 f32 f64)
    (call $v (i8x16.relaxed_swizzle (local.get 0) (local.get 1)))
    (call $v (i32x4.relaxed_trunc_f32x4_s (local.get 0)))
    (call $v (i32x4.relaxed_trunc_f32x4_u (local.get 0)))
    (call $v (i32x4.relaxed_trunc_f64x2_s_zero (local.get 0)))
    (call $v (i32x4.relaxed_trunc_f64x2_u_zero (local.get 0)))
    (call $v (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
    (call $v (f32x4.relaxed_nmadd (local.get 0) (local.get 1) (local.get 2)))
    (call $v (f64x2.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
    (call $v (f64x2.relaxed_nmadd (local.get 0) (local.get 1) (local.get 2)))
    (call $v (i8x16.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
    (call $v (i16x8.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
    (call $v (i32x4.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
    (call $v (i64x2.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
    (call $v (f32x4.relaxed_min (local.get 0) (local.get 1)))
    (call $v (f32x4.relaxed_max (local.get 0) (local.get 1)))
    (call $v (f64x2.relaxed_min (local.get 0) (local.get 1)))
    (call $v (f64x2.relaxed_max (local.get 0) (local.get 1)))
    (call $v (i16x8.relaxed_q15mulr_s (local.get 0) (local.get 1)))
    (call $v (i16x8.relaxed_dot_i8x16_i7x16_s (local.get 0) (local.get 1)))
    (call $v (i32x4.relaxed_dot_i8x16_i7x16_add_s
      (local.get 0) (local.get 1) (local.get 2)))))"#;

#[test]
fn every_simd_operator_is_used_by_the_test() {
    let wasm = wat::parse_str(EVERY_OPERATOR).unwrap();
    let used = used_operators(&wasm);
    let missing: Vec<_> = all_simd_operators().difference(&used).cloned().collect();
    assert!(missing.is_empty(), "operators not covered: {missing:?}");
}

#[test]
fn every_simd_operator_compiles_for_every_cpu() {
    let clif = compile_all_cpus(EVERY_OPERATOR);
    // Lane-typed operations on `I8X16` values bitcast in and out.
    assert!(clif.contains("bitcast.i32x4 little"), "{clif}");
    assert!(clif.contains("sload8x8 little"), "{clif}");
}

#[test]
fn v128_values_flow_through_calls_globals_and_blocks() {
    compile_all_cpus(
        r#"(module
          (type $t (func (param v128 i32) (result v128 v128)))
          (table 1 funcref)
          (elem (i32.const 0) $swap)
          (global $g (mut v128) (v128.const i64x2 1 2))
          (global $k v128 (v128.const f32x4 1 2 3 4))
          (func $swap (type $t) (i32x4.splat (local.get 1)) (local.get 0))
          (func (param v128 v128 i32) (result v128 v128)
            (local v128)
            (global.set $g (i64x2.add (global.get $g) (global.get $k)))
            (call $swap (local.get 0) (local.get 2))
            (call_indirect (type $t) (local.get 2) (i32.const 0))
            (drop) (drop)
            (block (param v128) (result v128)
              (br_if 0 (local.get 2))
              (v128.xor (local.get 3)))
            (block (param v128) (result v128)
              (loop (param v128) (result v128)
                (br_table 1 0 (local.get 2))))
            (select (local.get 1) (local.get 2))
            (if (param v128) (result v128) (local.get 2)
              (then (i8x16.add (global.get $g)))
              (else))
            (return_call $swap (local.get 2))))"#,
    );
}

#[test]
fn relaxed_madd_is_not_fused() {
    // Fusing on x86-64-v3 only would make a program's results depend on the
    // CPU level it was built for.
    let clif = compile_all_cpus(
        r#"(module (func (param v128 v128 v128) (result v128)
          (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2))))"#,
    );
    assert!(clif.contains("fmul") && clif.contains("fadd"), "{clif}");
    assert!(!clif.contains("fma"), "{clif}");
}
