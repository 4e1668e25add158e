//! The v128 (SIMD) operators of WebAssembly 2.0 (the fixed-width SIMD
//! proposal) and of the relaxed SIMD proposal.
//!
//! Every v128 on the operand stack, in locals, globals and signatures is
//! typed `I8X16`. An operator bitcasts its operands to its lane type
//! ([`FuncTranslator::pop_vector`]) and its result back
//! ([`FuncTranslator::push_vector`]); bitcasts between vector types are free
//! on x86-64 and always say little-endian lane order, wasm's.
//!
//! Most operators are one Cranelift instruction whose semantics are wasm's
//! (Cranelift's vector instructions were designed for wasm SIMD):
//! - shift amounts are taken modulo the lane width;
//! - `swizzle` gives 0 for a lane index of 16 or more, `shuffle` takes the
//!   16-byte lane mask as an immediate;
//! - `fmin`/`fmax` propagate NaN and order -0 below +0; `nearest` rounds
//!   ties to even; the `_sat` conversions saturate and map NaN to 0;
//! - `snarrow`/`unarrow` narrow signed input with signed/unsigned
//!   saturation; `sqmul_round_sat` is `q15mulr_sat_s`; `avg_round` is
//!   `avgr_u`; `vhigh_bits` is `bitmask`.
//!
//! Operators without a single instruction are built from the shapes the
//! x86-64 backend recognises and lowers to one instruction, the same shapes
//! wasmtime emits (so they are the well-trodden path):
//! - `extmul` is `imul` of two widened halves (`pmuldq`, `pmullw`/`pmulhw`);
//! - `extadd_pairwise` is `iadd_pairwise` of the widened low and high halves
//!   (`pmaddubsw`, `pmaddwd`);
//! - `dot_i16x8_s` is `iadd_pairwise` of the products of the widened halves
//!   (`pmaddwd`);
//! - `convert_low_i32x4` is the conversion of the widened low half
//!   (`cvtdq2pd`);
//! - `pmin`/`pmax` are the spec's compare-and-select (`minps`/`maxps`);
//! - `trunc_sat_f64x2_{s,u}_zero` are a saturating conversion to `i64x2`
//!   narrowed against a zero vector. The x86-64 backend lowers that
//!   conversion only in exactly this shape (it has no general
//!   `i64x2`→`i32x4` narrowing), so the shape must not change; the
//!   translator tests compile every operator for every supported CPU level.
//!
//! Relaxed SIMD lets each operator pick among several results. Every one
//! here makes one fixed choice, the same at every CPU level, so a program
//! computes the same bits on every machine it runs on:
//! - `relaxed_swizzle`, `relaxed_trunc*`, `relaxed_laneselect`,
//!   `relaxed_min`/`relaxed_max` and `relaxed_q15mulr_s` are their
//!   non-relaxed counterparts (`swizzle`, `trunc_sat*`, `bitselect`,
//!   `min`/`max`, `q15mulr_sat_s`);
//! - `relaxed_madd`/`relaxed_nmadd` are not fused: the product is rounded,
//!   then added (x86-64-v2 has no FMA, and a fused result on v3 only would
//!   make the two levels differ);
//! - `relaxed_dot_i8x16_i7x16_s` reads both operands as signed and
//!   saturates each pair sum to i16 (it can only overflow for two
//!   −128 × −128 products); `relaxed_dot_i8x16_i7x16_add_s` reads both as
//!   signed and adds the four products exactly, in i32, before the
//!   accumulator. Deliberately not the u8 × i8 shape the x86-64 backend
//!   folds into `vpdpbusd` where AVX-VNNI exists.
//!
//! Memory accesses use the scalar addressing of `memory.rs` (no bounds
//! check; 16 bytes past a 32-bit index plus a 32-bit offset still lie inside
//! the reservation) and its flags, so a fault is `HEAP_OUT_OF_BOUNDS`.

use super::FuncTranslator;
use super::code::{StoreKind, operator_name};
use super::memory::heap_flags;
use crate::error::Result;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::types::{F32X4, F64X2, I8, I8X16, I16, I16X8, I32, I32X4, I64X2};
use cranelift_codegen::ir::{ConstantData, Endianness, InstBuilder, MemFlagsData, Type, Value};
use cranelift_frontend::FunctionBuilder;
use wasmparser::{MemArg, Operator};

/// Flags of a bitcast between vector types: wasm's lanes are little-endian.
fn lane_order() -> MemFlagsData {
    MemFlagsData::new().with_endianness(Endianness::Little)
}

/// Bitcasts `v` to vector type `ty` (nothing when it already has it).
fn bitcast_to(b: &mut FunctionBuilder, ty: Type, v: Value) -> Value {
    if b.func.dfg.value_type(v) == ty {
        v
    } else {
        b.ins().bitcast(ty, lane_order(), v)
    }
}

/// The half of a vector an extending operator reads.
#[derive(Clone, Copy)]
enum Half {
    Low,
    High,
}

/// How the lanes of an extending operator are widened.
#[derive(Clone, Copy)]
enum Signedness {
    Signed,
    Unsigned,
}

/// Widens one half of `v` (lane type `narrow`) to lanes twice as wide.
fn widen(b: &mut FunctionBuilder, v: Value, half: Half, sign: Signedness) -> Value {
    match (half, sign) {
        (Half::Low, Signedness::Signed) => b.ins().swiden_low(v),
        (Half::High, Signedness::Signed) => b.ins().swiden_high(v),
        (Half::Low, Signedness::Unsigned) => b.ins().uwiden_low(v),
        (Half::High, Signedness::Unsigned) => b.ins().uwiden_high(v),
    }
}

impl FuncTranslator<'_, '_> {
    /// Translates a SIMD operator; anything else is unsupported.
    pub(super) fn translate_simd_operator(&mut self, op: &Operator) -> Result<()> {
        use Half::{High, Low};
        use Operator::*;
        use Signedness::{Signed, Unsigned};
        match op {
            // ---- Memory --------------------------------------------------
            V128Load { memarg } => self.translate_v128_load(memarg)?,
            V128Load8x8S { memarg } => self.translate_load_extend(memarg, I8, Signed)?,
            V128Load8x8U { memarg } => self.translate_load_extend(memarg, I8, Unsigned)?,
            V128Load16x4S { memarg } => self.translate_load_extend(memarg, I16, Signed)?,
            V128Load16x4U { memarg } => self.translate_load_extend(memarg, I16, Unsigned)?,
            V128Load32x2S { memarg } => self.translate_load_extend(memarg, I32, Signed)?,
            V128Load32x2U { memarg } => self.translate_load_extend(memarg, I32, Unsigned)?,
            V128Load8Splat { memarg } => self.translate_load_splat(memarg, I8X16)?,
            V128Load16Splat { memarg } => self.translate_load_splat(memarg, I16X8)?,
            V128Load32Splat { memarg } => self.translate_load_splat(memarg, I32X4)?,
            V128Load64Splat { memarg } => self.translate_load_splat(memarg, I64X2)?,
            V128Load32Zero { memarg } => self.translate_load_zero(memarg, I32X4)?,
            V128Load64Zero { memarg } => self.translate_load_zero(memarg, I64X2)?,
            V128Load8Lane { memarg, lane } => self.translate_load_lane(memarg, I8X16, *lane)?,
            V128Load16Lane { memarg, lane } => self.translate_load_lane(memarg, I16X8, *lane)?,
            V128Load32Lane { memarg, lane } => self.translate_load_lane(memarg, I32X4, *lane)?,
            V128Load64Lane { memarg, lane } => self.translate_load_lane(memarg, I64X2, *lane)?,
            V128Store { memarg } => self.translate_store(memarg, StoreKind::Plain)?,
            V128Store8Lane { memarg, lane } => self.translate_store_lane(memarg, I8X16, *lane)?,
            V128Store16Lane { memarg, lane } => self.translate_store_lane(memarg, I16X8, *lane)?,
            V128Store32Lane { memarg, lane } => self.translate_store_lane(memarg, I32X4, *lane)?,
            V128Store64Lane { memarg, lane } => self.translate_store_lane(memarg, I64X2, *lane)?,

            // ---- Constants, lanes, shuffles ------------------------------
            V128Const { value } => {
                let v = self.v128_const(u128::from_le_bytes(*value.bytes()));
                self.push(v);
            }
            I8x16Shuffle { lanes } => {
                let (a, b) = self.pop2()?;
                let mask = ConstantData::from(lanes.to_vec());
                let mask = self.builder.func.dfg.immediates.push(mask);
                let r = self.builder.ins().shuffle(a, b, mask);
                self.push(r);
            }
            I8x16Swizzle => self.simd_binop(I8X16, |b, x, y| b.ins().swizzle(x, y))?,
            I8x16Splat => self.translate_splat(I8X16)?,
            I16x8Splat => self.translate_splat(I16X8)?,
            I32x4Splat => self.translate_splat(I32X4)?,
            I64x2Splat => self.translate_splat(I64X2)?,
            F32x4Splat => self.translate_splat(F32X4)?,
            F64x2Splat => self.translate_splat(F64X2)?,
            I8x16ExtractLaneS { lane } => self.translate_extract_lane(I8X16, *lane, Signed)?,
            I8x16ExtractLaneU { lane } => self.translate_extract_lane(I8X16, *lane, Unsigned)?,
            I16x8ExtractLaneS { lane } => self.translate_extract_lane(I16X8, *lane, Signed)?,
            I16x8ExtractLaneU { lane } => self.translate_extract_lane(I16X8, *lane, Unsigned)?,
            I32x4ExtractLane { lane } => self.translate_extract_lane(I32X4, *lane, Signed)?,
            I64x2ExtractLane { lane } => self.translate_extract_lane(I64X2, *lane, Signed)?,
            F32x4ExtractLane { lane } => self.translate_extract_lane(F32X4, *lane, Signed)?,
            F64x2ExtractLane { lane } => self.translate_extract_lane(F64X2, *lane, Signed)?,
            I8x16ReplaceLane { lane } => self.translate_replace_lane(I8X16, *lane)?,
            I16x8ReplaceLane { lane } => self.translate_replace_lane(I16X8, *lane)?,
            I32x4ReplaceLane { lane } => self.translate_replace_lane(I32X4, *lane)?,
            I64x2ReplaceLane { lane } => self.translate_replace_lane(I64X2, *lane)?,
            F32x4ReplaceLane { lane } => self.translate_replace_lane(F32X4, *lane)?,
            F64x2ReplaceLane { lane } => self.translate_replace_lane(F64X2, *lane)?,

            // ---- Integer comparisons -------------------------------------
            I8x16Eq => self.translate_vector_icmp(I8X16, IntCC::Equal)?,
            I8x16Ne => self.translate_vector_icmp(I8X16, IntCC::NotEqual)?,
            I8x16LtS => self.translate_vector_icmp(I8X16, IntCC::SignedLessThan)?,
            I8x16LtU => self.translate_vector_icmp(I8X16, IntCC::UnsignedLessThan)?,
            I8x16GtS => self.translate_vector_icmp(I8X16, IntCC::SignedGreaterThan)?,
            I8x16GtU => self.translate_vector_icmp(I8X16, IntCC::UnsignedGreaterThan)?,
            I8x16LeS => self.translate_vector_icmp(I8X16, IntCC::SignedLessThanOrEqual)?,
            I8x16LeU => self.translate_vector_icmp(I8X16, IntCC::UnsignedLessThanOrEqual)?,
            I8x16GeS => self.translate_vector_icmp(I8X16, IntCC::SignedGreaterThanOrEqual)?,
            I8x16GeU => self.translate_vector_icmp(I8X16, IntCC::UnsignedGreaterThanOrEqual)?,
            I16x8Eq => self.translate_vector_icmp(I16X8, IntCC::Equal)?,
            I16x8Ne => self.translate_vector_icmp(I16X8, IntCC::NotEqual)?,
            I16x8LtS => self.translate_vector_icmp(I16X8, IntCC::SignedLessThan)?,
            I16x8LtU => self.translate_vector_icmp(I16X8, IntCC::UnsignedLessThan)?,
            I16x8GtS => self.translate_vector_icmp(I16X8, IntCC::SignedGreaterThan)?,
            I16x8GtU => self.translate_vector_icmp(I16X8, IntCC::UnsignedGreaterThan)?,
            I16x8LeS => self.translate_vector_icmp(I16X8, IntCC::SignedLessThanOrEqual)?,
            I16x8LeU => self.translate_vector_icmp(I16X8, IntCC::UnsignedLessThanOrEqual)?,
            I16x8GeS => self.translate_vector_icmp(I16X8, IntCC::SignedGreaterThanOrEqual)?,
            I16x8GeU => self.translate_vector_icmp(I16X8, IntCC::UnsignedGreaterThanOrEqual)?,
            I32x4Eq => self.translate_vector_icmp(I32X4, IntCC::Equal)?,
            I32x4Ne => self.translate_vector_icmp(I32X4, IntCC::NotEqual)?,
            I32x4LtS => self.translate_vector_icmp(I32X4, IntCC::SignedLessThan)?,
            I32x4LtU => self.translate_vector_icmp(I32X4, IntCC::UnsignedLessThan)?,
            I32x4GtS => self.translate_vector_icmp(I32X4, IntCC::SignedGreaterThan)?,
            I32x4GtU => self.translate_vector_icmp(I32X4, IntCC::UnsignedGreaterThan)?,
            I32x4LeS => self.translate_vector_icmp(I32X4, IntCC::SignedLessThanOrEqual)?,
            I32x4LeU => self.translate_vector_icmp(I32X4, IntCC::UnsignedLessThanOrEqual)?,
            I32x4GeS => self.translate_vector_icmp(I32X4, IntCC::SignedGreaterThanOrEqual)?,
            I32x4GeU => self.translate_vector_icmp(I32X4, IntCC::UnsignedGreaterThanOrEqual)?,
            I64x2Eq => self.translate_vector_icmp(I64X2, IntCC::Equal)?,
            I64x2Ne => self.translate_vector_icmp(I64X2, IntCC::NotEqual)?,
            I64x2LtS => self.translate_vector_icmp(I64X2, IntCC::SignedLessThan)?,
            I64x2GtS => self.translate_vector_icmp(I64X2, IntCC::SignedGreaterThan)?,
            I64x2LeS => self.translate_vector_icmp(I64X2, IntCC::SignedLessThanOrEqual)?,
            I64x2GeS => self.translate_vector_icmp(I64X2, IntCC::SignedGreaterThanOrEqual)?,

            // ---- Float comparisons ---------------------------------------
            // `NotEqual` is true for unordered operands, the others are
            // false, as wasm requires.
            F32x4Eq => self.translate_vector_fcmp(F32X4, FloatCC::Equal)?,
            F32x4Ne => self.translate_vector_fcmp(F32X4, FloatCC::NotEqual)?,
            F32x4Lt => self.translate_vector_fcmp(F32X4, FloatCC::LessThan)?,
            F32x4Gt => self.translate_vector_fcmp(F32X4, FloatCC::GreaterThan)?,
            F32x4Le => self.translate_vector_fcmp(F32X4, FloatCC::LessThanOrEqual)?,
            F32x4Ge => self.translate_vector_fcmp(F32X4, FloatCC::GreaterThanOrEqual)?,
            F64x2Eq => self.translate_vector_fcmp(F64X2, FloatCC::Equal)?,
            F64x2Ne => self.translate_vector_fcmp(F64X2, FloatCC::NotEqual)?,
            F64x2Lt => self.translate_vector_fcmp(F64X2, FloatCC::LessThan)?,
            F64x2Gt => self.translate_vector_fcmp(F64X2, FloatCC::GreaterThan)?,
            F64x2Le => self.translate_vector_fcmp(F64X2, FloatCC::LessThanOrEqual)?,
            F64x2Ge => self.translate_vector_fcmp(F64X2, FloatCC::GreaterThanOrEqual)?,

            // ---- Bitwise -------------------------------------------------
            V128Not => self.simd_unop(I8X16, |b, x| b.ins().bnot(x))?,
            V128And => self.simd_binop(I8X16, |b, x, y| b.ins().band(x, y))?,
            V128AndNot => self.simd_binop(I8X16, |b, x, y| b.ins().band_not(x, y))?,
            V128Or => self.simd_binop(I8X16, |b, x, y| b.ins().bor(x, y))?,
            V128Xor => self.simd_binop(I8X16, |b, x, y| b.ins().bxor(x, y))?,
            V128Bitselect => {
                let (x, y, mask) = self.pop3()?;
                let r = self.builder.ins().bitselect(mask, x, y);
                self.push(r);
            }
            V128AnyTrue => {
                let v = self.pop()?;
                let t = self.builder.ins().vany_true(v);
                let t = self.builder.ins().uextend(I32, t);
                self.push(t);
            }
            I8x16AllTrue => self.translate_all_true(I8X16)?,
            I16x8AllTrue => self.translate_all_true(I16X8)?,
            I32x4AllTrue => self.translate_all_true(I32X4)?,
            I64x2AllTrue => self.translate_all_true(I64X2)?,
            I8x16Bitmask => self.translate_bitmask(I8X16)?,
            I16x8Bitmask => self.translate_bitmask(I16X8)?,
            I32x4Bitmask => self.translate_bitmask(I32X4)?,
            I64x2Bitmask => self.translate_bitmask(I64X2)?,

            // ---- Shifts (amount modulo the lane width) -------------------
            I8x16Shl => self.translate_vector_shift(I8X16, |b, x, n| b.ins().ishl(x, n))?,
            I16x8Shl => self.translate_vector_shift(I16X8, |b, x, n| b.ins().ishl(x, n))?,
            I32x4Shl => self.translate_vector_shift(I32X4, |b, x, n| b.ins().ishl(x, n))?,
            I64x2Shl => self.translate_vector_shift(I64X2, |b, x, n| b.ins().ishl(x, n))?,
            I8x16ShrS => self.translate_vector_shift(I8X16, |b, x, n| b.ins().sshr(x, n))?,
            I16x8ShrS => self.translate_vector_shift(I16X8, |b, x, n| b.ins().sshr(x, n))?,
            I32x4ShrS => self.translate_vector_shift(I32X4, |b, x, n| b.ins().sshr(x, n))?,
            I64x2ShrS => self.translate_vector_shift(I64X2, |b, x, n| b.ins().sshr(x, n))?,
            I8x16ShrU => self.translate_vector_shift(I8X16, |b, x, n| b.ins().ushr(x, n))?,
            I16x8ShrU => self.translate_vector_shift(I16X8, |b, x, n| b.ins().ushr(x, n))?,
            I32x4ShrU => self.translate_vector_shift(I32X4, |b, x, n| b.ins().ushr(x, n))?,
            I64x2ShrU => self.translate_vector_shift(I64X2, |b, x, n| b.ins().ushr(x, n))?,

            // ---- Integer arithmetic --------------------------------------
            I8x16Abs => self.simd_unop(I8X16, |b, x| b.ins().iabs(x))?,
            I16x8Abs => self.simd_unop(I16X8, |b, x| b.ins().iabs(x))?,
            I32x4Abs => self.simd_unop(I32X4, |b, x| b.ins().iabs(x))?,
            I64x2Abs => self.simd_unop(I64X2, |b, x| b.ins().iabs(x))?,
            I8x16Neg => self.simd_unop(I8X16, |b, x| b.ins().ineg(x))?,
            I16x8Neg => self.simd_unop(I16X8, |b, x| b.ins().ineg(x))?,
            I32x4Neg => self.simd_unop(I32X4, |b, x| b.ins().ineg(x))?,
            I64x2Neg => self.simd_unop(I64X2, |b, x| b.ins().ineg(x))?,
            I8x16Popcnt => self.simd_unop(I8X16, |b, x| b.ins().popcnt(x))?,
            I8x16Add => self.simd_binop(I8X16, |b, x, y| b.ins().iadd(x, y))?,
            I16x8Add => self.simd_binop(I16X8, |b, x, y| b.ins().iadd(x, y))?,
            I32x4Add => self.simd_binop(I32X4, |b, x, y| b.ins().iadd(x, y))?,
            I64x2Add => self.simd_binop(I64X2, |b, x, y| b.ins().iadd(x, y))?,
            I8x16Sub => self.simd_binop(I8X16, |b, x, y| b.ins().isub(x, y))?,
            I16x8Sub => self.simd_binop(I16X8, |b, x, y| b.ins().isub(x, y))?,
            I32x4Sub => self.simd_binop(I32X4, |b, x, y| b.ins().isub(x, y))?,
            I64x2Sub => self.simd_binop(I64X2, |b, x, y| b.ins().isub(x, y))?,
            I16x8Mul => self.simd_binop(I16X8, |b, x, y| b.ins().imul(x, y))?,
            I32x4Mul => self.simd_binop(I32X4, |b, x, y| b.ins().imul(x, y))?,
            I64x2Mul => self.simd_binop(I64X2, |b, x, y| b.ins().imul(x, y))?,
            I8x16AddSatS => self.simd_binop(I8X16, |b, x, y| b.ins().sadd_sat(x, y))?,
            I16x8AddSatS => self.simd_binop(I16X8, |b, x, y| b.ins().sadd_sat(x, y))?,
            I8x16AddSatU => self.simd_binop(I8X16, |b, x, y| b.ins().uadd_sat(x, y))?,
            I16x8AddSatU => self.simd_binop(I16X8, |b, x, y| b.ins().uadd_sat(x, y))?,
            I8x16SubSatS => self.simd_binop(I8X16, |b, x, y| b.ins().ssub_sat(x, y))?,
            I16x8SubSatS => self.simd_binop(I16X8, |b, x, y| b.ins().ssub_sat(x, y))?,
            I8x16SubSatU => self.simd_binop(I8X16, |b, x, y| b.ins().usub_sat(x, y))?,
            I16x8SubSatU => self.simd_binop(I16X8, |b, x, y| b.ins().usub_sat(x, y))?,
            I8x16MinS => self.simd_binop(I8X16, |b, x, y| b.ins().smin(x, y))?,
            I16x8MinS => self.simd_binop(I16X8, |b, x, y| b.ins().smin(x, y))?,
            I32x4MinS => self.simd_binop(I32X4, |b, x, y| b.ins().smin(x, y))?,
            I8x16MinU => self.simd_binop(I8X16, |b, x, y| b.ins().umin(x, y))?,
            I16x8MinU => self.simd_binop(I16X8, |b, x, y| b.ins().umin(x, y))?,
            I32x4MinU => self.simd_binop(I32X4, |b, x, y| b.ins().umin(x, y))?,
            I8x16MaxS => self.simd_binop(I8X16, |b, x, y| b.ins().smax(x, y))?,
            I16x8MaxS => self.simd_binop(I16X8, |b, x, y| b.ins().smax(x, y))?,
            I32x4MaxS => self.simd_binop(I32X4, |b, x, y| b.ins().smax(x, y))?,
            I8x16MaxU => self.simd_binop(I8X16, |b, x, y| b.ins().umax(x, y))?,
            I16x8MaxU => self.simd_binop(I16X8, |b, x, y| b.ins().umax(x, y))?,
            I32x4MaxU => self.simd_binop(I32X4, |b, x, y| b.ins().umax(x, y))?,
            I8x16AvgrU => self.simd_binop(I8X16, |b, x, y| b.ins().avg_round(x, y))?,
            I16x8AvgrU => self.simd_binop(I16X8, |b, x, y| b.ins().avg_round(x, y))?,
            I16x8Q15MulrSatS => self.simd_binop(I16X8, |b, x, y| b.ins().sqmul_round_sat(x, y))?,
            I32x4DotI16x8S => self.simd_binop(I16X8, dot_i16x8_s)?,

            // ---- Narrowing, widening -------------------------------------
            I8x16NarrowI16x8S => self.simd_binop(I16X8, |b, x, y| b.ins().snarrow(x, y))?,
            I8x16NarrowI16x8U => self.simd_binop(I16X8, |b, x, y| b.ins().unarrow(x, y))?,
            I16x8NarrowI32x4S => self.simd_binop(I32X4, |b, x, y| b.ins().snarrow(x, y))?,
            I16x8NarrowI32x4U => self.simd_binop(I32X4, |b, x, y| b.ins().unarrow(x, y))?,
            I16x8ExtendLowI8x16S => self.translate_extend(I8X16, Low, Signed)?,
            I16x8ExtendHighI8x16S => self.translate_extend(I8X16, High, Signed)?,
            I16x8ExtendLowI8x16U => self.translate_extend(I8X16, Low, Unsigned)?,
            I16x8ExtendHighI8x16U => self.translate_extend(I8X16, High, Unsigned)?,
            I32x4ExtendLowI16x8S => self.translate_extend(I16X8, Low, Signed)?,
            I32x4ExtendHighI16x8S => self.translate_extend(I16X8, High, Signed)?,
            I32x4ExtendLowI16x8U => self.translate_extend(I16X8, Low, Unsigned)?,
            I32x4ExtendHighI16x8U => self.translate_extend(I16X8, High, Unsigned)?,
            I64x2ExtendLowI32x4S => self.translate_extend(I32X4, Low, Signed)?,
            I64x2ExtendHighI32x4S => self.translate_extend(I32X4, High, Signed)?,
            I64x2ExtendLowI32x4U => self.translate_extend(I32X4, Low, Unsigned)?,
            I64x2ExtendHighI32x4U => self.translate_extend(I32X4, High, Unsigned)?,
            I16x8ExtMulLowI8x16S => self.translate_extmul(I8X16, Low, Signed)?,
            I16x8ExtMulHighI8x16S => self.translate_extmul(I8X16, High, Signed)?,
            I16x8ExtMulLowI8x16U => self.translate_extmul(I8X16, Low, Unsigned)?,
            I16x8ExtMulHighI8x16U => self.translate_extmul(I8X16, High, Unsigned)?,
            I32x4ExtMulLowI16x8S => self.translate_extmul(I16X8, Low, Signed)?,
            I32x4ExtMulHighI16x8S => self.translate_extmul(I16X8, High, Signed)?,
            I32x4ExtMulLowI16x8U => self.translate_extmul(I16X8, Low, Unsigned)?,
            I32x4ExtMulHighI16x8U => self.translate_extmul(I16X8, High, Unsigned)?,
            I64x2ExtMulLowI32x4S => self.translate_extmul(I32X4, Low, Signed)?,
            I64x2ExtMulHighI32x4S => self.translate_extmul(I32X4, High, Signed)?,
            I64x2ExtMulLowI32x4U => self.translate_extmul(I32X4, Low, Unsigned)?,
            I64x2ExtMulHighI32x4U => self.translate_extmul(I32X4, High, Unsigned)?,
            I16x8ExtAddPairwiseI8x16S => self.translate_extadd_pairwise(I8X16, Signed)?,
            I16x8ExtAddPairwiseI8x16U => self.translate_extadd_pairwise(I8X16, Unsigned)?,
            I32x4ExtAddPairwiseI16x8S => self.translate_extadd_pairwise(I16X8, Signed)?,
            I32x4ExtAddPairwiseI16x8U => self.translate_extadd_pairwise(I16X8, Unsigned)?,

            // ---- Float arithmetic ----------------------------------------
            F32x4Abs => self.simd_unop(F32X4, |b, x| b.ins().fabs(x))?,
            F64x2Abs => self.simd_unop(F64X2, |b, x| b.ins().fabs(x))?,
            F32x4Neg => self.simd_unop(F32X4, |b, x| b.ins().fneg(x))?,
            F64x2Neg => self.simd_unop(F64X2, |b, x| b.ins().fneg(x))?,
            F32x4Sqrt => self.simd_unop(F32X4, |b, x| b.ins().sqrt(x))?,
            F64x2Sqrt => self.simd_unop(F64X2, |b, x| b.ins().sqrt(x))?,
            F32x4Ceil => self.simd_unop(F32X4, |b, x| b.ins().ceil(x))?,
            F64x2Ceil => self.simd_unop(F64X2, |b, x| b.ins().ceil(x))?,
            F32x4Floor => self.simd_unop(F32X4, |b, x| b.ins().floor(x))?,
            F64x2Floor => self.simd_unop(F64X2, |b, x| b.ins().floor(x))?,
            F32x4Trunc => self.simd_unop(F32X4, |b, x| b.ins().trunc(x))?,
            F64x2Trunc => self.simd_unop(F64X2, |b, x| b.ins().trunc(x))?,
            F32x4Nearest => self.simd_unop(F32X4, |b, x| b.ins().nearest(x))?,
            F64x2Nearest => self.simd_unop(F64X2, |b, x| b.ins().nearest(x))?,
            F32x4Add => self.simd_binop(F32X4, |b, x, y| b.ins().fadd(x, y))?,
            F64x2Add => self.simd_binop(F64X2, |b, x, y| b.ins().fadd(x, y))?,
            F32x4Sub => self.simd_binop(F32X4, |b, x, y| b.ins().fsub(x, y))?,
            F64x2Sub => self.simd_binop(F64X2, |b, x, y| b.ins().fsub(x, y))?,
            F32x4Mul => self.simd_binop(F32X4, |b, x, y| b.ins().fmul(x, y))?,
            F64x2Mul => self.simd_binop(F64X2, |b, x, y| b.ins().fmul(x, y))?,
            F32x4Div => self.simd_binop(F32X4, |b, x, y| b.ins().fdiv(x, y))?,
            F64x2Div => self.simd_binop(F64X2, |b, x, y| b.ins().fdiv(x, y))?,
            F32x4Min => self.simd_binop(F32X4, |b, x, y| b.ins().fmin(x, y))?,
            F64x2Min => self.simd_binop(F64X2, |b, x, y| b.ins().fmin(x, y))?,
            F32x4Max => self.simd_binop(F32X4, |b, x, y| b.ins().fmax(x, y))?,
            F64x2Max => self.simd_binop(F64X2, |b, x, y| b.ins().fmax(x, y))?,
            F32x4PMin => self.simd_binop(F32X4, pmin)?,
            F64x2PMin => self.simd_binop(F64X2, pmin)?,
            F32x4PMax => self.simd_binop(F32X4, pmax)?,
            F64x2PMax => self.simd_binop(F64X2, pmax)?,

            // ---- Conversions ---------------------------------------------
            F32x4ConvertI32x4S => self.simd_unop(I32X4, |b, x| b.ins().fcvt_from_sint(F32X4, x))?,
            F32x4ConvertI32x4U => self.simd_unop(I32X4, |b, x| b.ins().fcvt_from_uint(F32X4, x))?,
            I32x4TruncSatF32x4S => {
                self.simd_unop(F32X4, |b, x| b.ins().fcvt_to_sint_sat(I32X4, x))?
            }
            I32x4TruncSatF32x4U => {
                self.simd_unop(F32X4, |b, x| b.ins().fcvt_to_uint_sat(I32X4, x))?
            }
            I32x4TruncSatF64x2SZero => self.translate_trunc_sat_f64x2_zero(Signed)?,
            I32x4TruncSatF64x2UZero => self.translate_trunc_sat_f64x2_zero(Unsigned)?,
            F64x2ConvertLowI32x4S => self.simd_unop(I32X4, |b, x| {
                let low = b.ins().swiden_low(x);
                b.ins().fcvt_from_sint(F64X2, low)
            })?,
            F64x2ConvertLowI32x4U => self.simd_unop(I32X4, |b, x| {
                let low = b.ins().uwiden_low(x);
                b.ins().fcvt_from_uint(F64X2, low)
            })?,
            F32x4DemoteF64x2Zero => self.simd_unop(F64X2, |b, x| b.ins().fvdemote(x))?,
            F64x2PromoteLowF32x4 => self.simd_unop(F32X4, |b, x| b.ins().fvpromote_low(x))?,

            // ---- Relaxed SIMD (one fixed choice each; see the module doc) --
            I8x16RelaxedSwizzle => self.simd_binop(I8X16, |b, x, y| b.ins().swizzle(x, y))?,
            I32x4RelaxedTruncF32x4S => {
                self.simd_unop(F32X4, |b, x| b.ins().fcvt_to_sint_sat(I32X4, x))?
            }
            I32x4RelaxedTruncF32x4U => {
                self.simd_unop(F32X4, |b, x| b.ins().fcvt_to_uint_sat(I32X4, x))?
            }
            I32x4RelaxedTruncF64x2SZero => self.translate_trunc_sat_f64x2_zero(Signed)?,
            I32x4RelaxedTruncF64x2UZero => self.translate_trunc_sat_f64x2_zero(Unsigned)?,
            F32x4RelaxedMadd => self.simd_ternop(F32X4, madd)?,
            F64x2RelaxedMadd => self.simd_ternop(F64X2, madd)?,
            F32x4RelaxedNmadd => self.simd_ternop(F32X4, nmadd)?,
            F64x2RelaxedNmadd => self.simd_ternop(F64X2, nmadd)?,
            I8x16RelaxedLaneselect
            | I16x8RelaxedLaneselect
            | I32x4RelaxedLaneselect
            | I64x2RelaxedLaneselect => {
                self.simd_ternop(I8X16, |b, x, y, mask| b.ins().bitselect(mask, x, y))?
            }
            F32x4RelaxedMin => self.simd_binop(F32X4, |b, x, y| b.ins().fmin(x, y))?,
            F64x2RelaxedMin => self.simd_binop(F64X2, |b, x, y| b.ins().fmin(x, y))?,
            F32x4RelaxedMax => self.simd_binop(F32X4, |b, x, y| b.ins().fmax(x, y))?,
            F64x2RelaxedMax => self.simd_binop(F64X2, |b, x, y| b.ins().fmax(x, y))?,
            I16x8RelaxedQ15mulrS => {
                self.simd_binop(I16X8, |b, x, y| b.ins().sqmul_round_sat(x, y))?
            }
            I16x8RelaxedDotI8x16I7x16S => self.simd_binop(I8X16, |b, x, y| {
                let (lo, hi) = dot_i8x16_halves(b, x, y);
                b.ins().snarrow(lo, hi)
            })?,
            I32x4RelaxedDotI8x16I7x16AddS => self.simd_ternop(I8X16, |b, x, y, acc| {
                let (lo, hi) = dot_i8x16_halves(b, x, y);
                let sums = b.ins().iadd_pairwise(lo, hi);
                let acc = bitcast_to(b, I32X4, acc);
                b.ins().iadd(sums, acc)
            })?,

            _ => return Err(self.unsupported(operator_name(op))),
        }
        Ok(())
    }

    // ---- Operand stack --------------------------------------------------

    /// Pops a v128 as a vector of lane type `ty`.
    fn pop_vector(&mut self, ty: Type) -> Result<Value> {
        let v = self.pop()?;
        Ok(bitcast_to(&mut self.builder, ty, v))
    }

    /// Pushes a vector of any lane type as a v128 (`I8X16`).
    fn push_vector(&mut self, v: Value) {
        let v = bitcast_to(&mut self.builder, I8X16, v);
        self.push(v);
    }

    /// Applies `f` to the top of the stack seen as lane type `ty`.
    fn simd_unop(
        &mut self,
        ty: Type,
        f: impl FnOnce(&mut FunctionBuilder, Value) -> Value,
    ) -> Result<()> {
        let a = self.pop_vector(ty)?;
        let r = f(&mut self.builder, a);
        self.push_vector(r);
        Ok(())
    }

    /// Applies `f` to the top two values of the stack seen as lane type `ty`.
    fn simd_binop(
        &mut self,
        ty: Type,
        f: impl FnOnce(&mut FunctionBuilder, Value, Value) -> Value,
    ) -> Result<()> {
        let b = self.pop_vector(ty)?;
        let a = self.pop_vector(ty)?;
        let r = f(&mut self.builder, a, b);
        self.push_vector(r);
        Ok(())
    }

    /// Applies `f` to the top three values of the stack seen as lane type
    /// `ty`.
    fn simd_ternop(
        &mut self,
        ty: Type,
        f: impl FnOnce(&mut FunctionBuilder, Value, Value, Value) -> Value,
    ) -> Result<()> {
        let c = self.pop_vector(ty)?;
        let b = self.pop_vector(ty)?;
        let a = self.pop_vector(ty)?;
        let r = f(&mut self.builder, a, b, c);
        self.push_vector(r);
        Ok(())
    }

    // ---- Memory ---------------------------------------------------------

    fn translate_v128_load(&mut self, memarg: &MemArg) -> Result<()> {
        let index = self.pop()?;
        let (addr, offset) = self.translate_heap_address(memarg, index, 16)?;
        let v = self.builder.ins().load(I8X16, heap_flags(), addr, offset);
        self.push(v);
        Ok(())
    }

    /// `v128.loadNxM_{s,u}`: 8 bytes, each `lane`-typed lane widened.
    fn translate_load_extend(
        &mut self,
        memarg: &MemArg,
        lane: Type,
        sign: Signedness,
    ) -> Result<()> {
        let index = self.pop()?;
        let (addr, offset) = self.translate_heap_address(memarg, index, 8)?;
        let flags = heap_flags();
        let ins = self.builder.ins();
        let v = match (lane, sign) {
            (I8, Signedness::Signed) => ins.sload8x8(flags, addr, offset),
            (I8, Signedness::Unsigned) => ins.uload8x8(flags, addr, offset),
            (I16, Signedness::Signed) => ins.sload16x4(flags, addr, offset),
            (I16, Signedness::Unsigned) => ins.uload16x4(flags, addr, offset),
            (I32, Signedness::Signed) => ins.sload32x2(flags, addr, offset),
            (I32, Signedness::Unsigned) => ins.uload32x2(flags, addr, offset),
            _ => return Err(self.internal("extending load of an unexpected lane type")),
        };
        self.push_vector(v);
        Ok(())
    }

    /// Pops an address and loads one lane of `ty` from it.
    fn load_lane_scalar(&mut self, memarg: &MemArg, ty: Type) -> Result<Value> {
        let index = self.pop()?;
        let (addr, offset) = self.translate_heap_address(memarg, index, ty.lane_bits() / 8)?;
        Ok(self
            .builder
            .ins()
            .load(ty.lane_type(), heap_flags(), addr, offset))
    }

    /// `v128.loadN_splat`: one lane loaded and copied to every lane.
    fn translate_load_splat(&mut self, memarg: &MemArg, ty: Type) -> Result<()> {
        let scalar = self.load_lane_scalar(memarg, ty)?;
        let v = self.builder.ins().splat(ty, scalar);
        self.push_vector(v);
        Ok(())
    }

    /// `v128.loadN_zero`: one lane loaded into lane 0, the others zero.
    fn translate_load_zero(&mut self, memarg: &MemArg, ty: Type) -> Result<()> {
        let scalar = self.load_lane_scalar(memarg, ty)?;
        let v = self.builder.ins().scalar_to_vector(ty, scalar);
        self.push_vector(v);
        Ok(())
    }

    /// `v128.loadN_lane`: one lane replaced by a value from memory.
    fn translate_load_lane(&mut self, memarg: &MemArg, ty: Type, lane: u8) -> Result<()> {
        let vector = self.pop_vector(ty)?;
        let index = self.pop()?;
        let (addr, offset) = self.translate_heap_address(memarg, index, ty.lane_bits() / 8)?;
        let scalar = self
            .builder
            .ins()
            .load(ty.lane_type(), heap_flags(), addr, offset);
        let v = self.builder.ins().insertlane(vector, scalar, lane);
        self.push_vector(v);
        Ok(())
    }

    /// `v128.storeN_lane`: one lane written to memory.
    fn translate_store_lane(&mut self, memarg: &MemArg, ty: Type, lane: u8) -> Result<()> {
        let vector = self.pop_vector(ty)?;
        let index = self.pop()?;
        let (addr, offset) = self.translate_heap_address(memarg, index, ty.lane_bits() / 8)?;
        let scalar = self.builder.ins().extractlane(vector, lane);
        self.builder.ins().store(heap_flags(), scalar, addr, offset);
        Ok(())
    }

    // ---- Lanes ----------------------------------------------------------

    /// `*.splat`: an `i32` is truncated to 8- and 16-bit lanes.
    fn translate_splat(&mut self, ty: Type) -> Result<()> {
        let scalar = self.pop()?;
        let lane = ty.lane_type();
        let scalar = if lane == I8 || lane == I16 {
            self.builder.ins().ireduce(lane, scalar)
        } else {
            scalar
        };
        let v = self.builder.ins().splat(ty, scalar);
        self.push_vector(v);
        Ok(())
    }

    /// `*.extract_lane`; 8- and 16-bit lanes are extended to `i32` as
    /// `sign` says (it is ignored for wider lanes).
    fn translate_extract_lane(&mut self, ty: Type, lane: u8, sign: Signedness) -> Result<()> {
        let vector = self.pop_vector(ty)?;
        let scalar = self.builder.ins().extractlane(vector, lane);
        let scalar = match (ty.lane_type(), sign) {
            (I8 | I16, Signedness::Signed) => self.builder.ins().sextend(I32, scalar),
            (I8 | I16, Signedness::Unsigned) => self.builder.ins().uextend(I32, scalar),
            _ => scalar,
        };
        self.push(scalar);
        Ok(())
    }

    /// `*.replace_lane`: an `i32` is truncated to 8- and 16-bit lanes.
    fn translate_replace_lane(&mut self, ty: Type, lane: u8) -> Result<()> {
        let scalar = self.pop()?;
        let vector = self.pop_vector(ty)?;
        let lane_ty = ty.lane_type();
        let scalar = if lane_ty == I8 || lane_ty == I16 {
            self.builder.ins().ireduce(lane_ty, scalar)
        } else {
            scalar
        };
        let v = self.builder.ins().insertlane(vector, scalar, lane);
        self.push_vector(v);
        Ok(())
    }

    // ---- Comparisons and tests ------------------------------------------

    /// Integer lane comparison: each lane all ones or all zeros.
    fn translate_vector_icmp(&mut self, ty: Type, cc: IntCC) -> Result<()> {
        self.simd_binop(ty, |b, x, y| b.ins().icmp(cc, x, y))
    }

    /// Float lane comparison: each lane all ones or all zeros (the result
    /// has integer lanes of the same width).
    fn translate_vector_fcmp(&mut self, ty: Type, cc: FloatCC) -> Result<()> {
        self.simd_binop(ty, |b, x, y| b.ins().fcmp(cc, x, y))
    }

    /// `*.all_true`: 1 when no lane is zero.
    fn translate_all_true(&mut self, ty: Type) -> Result<()> {
        let v = self.pop_vector(ty)?;
        let t = self.builder.ins().vall_true(v);
        let t = self.builder.ins().uextend(I32, t);
        self.push(t);
        Ok(())
    }

    /// `*.bitmask`: the lanes' sign bits, lane 0 in bit 0.
    fn translate_bitmask(&mut self, ty: Type) -> Result<()> {
        let v = self.pop_vector(ty)?;
        let m = self.builder.ins().vhigh_bits(I32, v);
        self.push(m);
        Ok(())
    }

    // ---- Integer arithmetic ---------------------------------------------

    /// A lane shift by an `i32` amount. Cranelift takes the amount modulo
    /// the lane width, as wasm does.
    fn translate_vector_shift(
        &mut self,
        ty: Type,
        f: impl FnOnce(&mut FunctionBuilder, Value, Value) -> Value,
    ) -> Result<()> {
        let amount = self.pop()?;
        let v = self.pop_vector(ty)?;
        let r = f(&mut self.builder, v, amount);
        self.push_vector(r);
        Ok(())
    }

    /// `*.extend_{low,high}_*`: one half of `narrow` lanes widened.
    fn translate_extend(&mut self, narrow: Type, half: Half, sign: Signedness) -> Result<()> {
        self.simd_unop(narrow, |b, x| widen(b, x, half, sign))
    }

    /// `*.extmul_{low,high}_*`: the product of one widened half of each
    /// operand (never overflows the wide lane).
    fn translate_extmul(&mut self, narrow: Type, half: Half, sign: Signedness) -> Result<()> {
        self.simd_binop(narrow, |b, x, y| widened_product(b, x, y, half, sign))
    }

    /// `*.extadd_pairwise_*`: sums of adjacent widened lanes.
    fn translate_extadd_pairwise(&mut self, narrow: Type, sign: Signedness) -> Result<()> {
        self.simd_unop(narrow, |b, x| {
            let lo = widen(b, x, Half::Low, sign);
            let hi = widen(b, x, Half::High, sign);
            b.ins().iadd_pairwise(lo, hi)
        })
    }

    // ---- Conversions ----------------------------------------------------

    /// `i32x4.trunc_sat_f64x2_{s,u}_zero`: both lanes converted with
    /// saturation (NaN is 0) into lanes 0 and 1, lanes 2 and 3 zero. See the
    /// module documentation for why the shape is fixed.
    fn translate_trunc_sat_f64x2_zero(&mut self, sign: Signedness) -> Result<()> {
        let v = self.pop_vector(F64X2)?;
        let zero = self.builder.func.dfg.constants.insert(vec![0u8; 16].into());
        let zero = self.builder.ins().vconst(I64X2, zero);
        let r = match sign {
            Signedness::Signed => {
                let wide = self.builder.ins().fcvt_to_sint_sat(I64X2, v);
                self.builder.ins().snarrow(wide, zero)
            }
            Signedness::Unsigned => {
                let wide = self.builder.ins().fcvt_to_uint_sat(I64X2, v);
                self.builder.ins().uunarrow(wide, zero)
            }
        };
        self.push_vector(r);
        Ok(())
    }
}

/// The lane products of one widened half of `x` and of `y`.
fn widened_product(
    b: &mut FunctionBuilder,
    x: Value,
    y: Value,
    half: Half,
    sign: Signedness,
) -> Value {
    let x = widen(b, x, half, sign);
    let y = widen(b, y, half, sign);
    b.ins().imul(x, y)
}

/// `i32x4.dot_i16x8_s`: `iadd_pairwise` of the products of the widened
/// halves, the shape lowered to `pmaddwd`.
fn dot_i16x8_s(b: &mut FunctionBuilder, x: Value, y: Value) -> Value {
    let lo = widened_product(b, x, y, Half::Low, Signedness::Signed);
    let hi = widened_product(b, x, y, Half::High, Signedness::Signed);
    b.ins().iadd_pairwise(lo, hi)
}

/// The exact signed sums of adjacent byte products of `x` and `y`
/// (`i8x16`), as two `i32x4`: bytes 0–7 and bytes 8–15, each widened to
/// `i16x8` and multiplied with `pmaddwd`.
fn dot_i8x16_halves(b: &mut FunctionBuilder, x: Value, y: Value) -> (Value, Value) {
    let x_lo = b.ins().swiden_low(x);
    let y_lo = b.ins().swiden_low(y);
    let x_hi = b.ins().swiden_high(x);
    let y_hi = b.ins().swiden_high(y);
    (dot_i16x8_s(b, x_lo, y_lo), dot_i16x8_s(b, x_hi, y_hi))
}

/// `relaxed_madd(a, b, c)` unfused: `a * b` rounded, then `+ c`.
fn madd(b: &mut FunctionBuilder, x: Value, y: Value, z: Value) -> Value {
    let product = b.ins().fmul(x, y);
    b.ins().fadd(product, z)
}

/// `relaxed_nmadd(a, b, c)` unfused: `-a * b` rounded, then `+ c`.
fn nmadd(b: &mut FunctionBuilder, x: Value, y: Value, z: Value) -> Value {
    let neg = b.ins().fneg(x);
    madd(b, neg, y, z)
}

/// `pmin(a, b)`: `b` where `b < a`, else `a` (so a NaN `a` or `b` gives `a`,
/// and `pmin(-0, +0)` is `-0`), the spec's definition.
fn pmin(b: &mut FunctionBuilder, x: Value, y: Value) -> Value {
    let ty = b.func.dfg.value_type(x);
    let lt = b.ins().fcmp(FloatCC::LessThan, y, x);
    let mask = bitcast_to(b, ty, lt);
    b.ins().bitselect(mask, y, x)
}

/// `pmax(a, b)`: `b` where `a < b`, else `a`, the spec's definition.
fn pmax(b: &mut FunctionBuilder, x: Value, y: Value) -> Value {
    let ty = b.func.dfg.value_type(x);
    let lt = b.ins().fcmp(FloatCC::LessThan, x, y);
    let mask = bitcast_to(b, ty, lt);
    b.ins().bitselect(mask, y, x)
}

#[cfg(test)]
mod tests;
