//! The operator `match`: one arm group per kind of operator.
//!
//! Operators with one obvious Cranelift instruction are translated inline;
//! anything with real semantics (traps, memory, bounds, calls) goes through a
//! named `translate_*` helper. The semantics Cranelift provides and wasm
//! relies on:
//! - `sdiv`/`udiv`/`srem`/`urem` trap on a zero divisor with
//!   `INTEGER_DIVISION_BY_ZERO`; `sdiv` of `MIN / -1` traps with
//!   `INTEGER_OVERFLOW`; `srem` of `MIN % -1` is 0 (the x64 backend guards
//!   the `idiv` for a -1 divisor).
//! - `fcvt_to_sint`/`fcvt_to_uint` trap with `BAD_CONVERSION_TO_INTEGER` on
//!   NaN and `INTEGER_OVERFLOW` out of range; the `_sat` forms saturate.
//! - `fmin`/`fmax` propagate NaN and order -0 below +0, as wasm requires.
//! - shift and rotate amounts are taken modulo the type's width.
//! - `icmp`/`fcmp` yield an `I8` 0/1, widened to `i32`.

use super::FuncTranslator;
use crate::env::trap_code;
use crate::error::Result;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::immediates::{Ieee32, Ieee64};
use cranelift_codegen::ir::types::{F32, F64, I8, I16, I32, I64};
use cranelift_codegen::ir::{InstBuilder, MemFlagsData, Value};
use cranelift_frontend::FunctionBuilder;
use wasi_aot_abi::Trap;
use wasmparser::Operator;

impl FuncTranslator<'_, '_> {
    /// Translates one operator at a reachable position.
    pub(super) fn translate_operator(&mut self, op: &Operator) -> Result<()> {
        use Operator::*;
        match op {
            // ---- Control -------------------------------------------------
            Nop => {}
            Unreachable => {
                self.builder.ins().trap(trap_code(Trap::Unreachable));
                self.reachable = false;
            }
            Block { blockty } => self.translate_block(*blockty)?,
            Loop { blockty } => self.translate_loop(*blockty)?,
            If { blockty } => self.translate_if(*blockty)?,
            Else => self.translate_else()?,
            End => self.translate_end()?,
            Br { relative_depth } => self.translate_br(*relative_depth)?,
            BrIf { relative_depth } => self.translate_br_if(*relative_depth)?,
            BrTable { targets } => self.translate_br_table(targets)?,
            Return => self.translate_return()?,
            TryTable { try_table } => self.translate_try_table(try_table)?,
            Throw { tag_index } => self.translate_throw(*tag_index)?,
            ThrowRef => self.translate_throw_ref()?,

            // ---- Calls ---------------------------------------------------
            Call { function_index } => self.translate_call(*function_index)?,
            CallIndirect {
                type_index,
                table_index,
            } => self.translate_call_indirect(*type_index, *table_index, false)?,
            ReturnCall { function_index } => self.translate_return_call(*function_index)?,
            ReturnCallIndirect {
                type_index,
                table_index,
            } => self.translate_call_indirect(*type_index, *table_index, true)?,

            // ---- Parametric ----------------------------------------------
            Drop => {
                self.pop()?;
            }
            Select | TypedSelect { .. } => {
                let (a, b, cond) = self.pop3()?;
                let r = self.builder.ins().select(cond, a, b);
                self.push(r);
            }
            TypedSelectMulti { tys } => {
                let cond = self.pop()?;
                let bs = self.popn(tys.len())?;
                let as_ = self.popn(tys.len())?;
                for (a, b) in as_.into_iter().zip(bs) {
                    let r = self.builder.ins().select(cond, a, b);
                    self.push(r);
                }
            }

            // ---- Locals --------------------------------------------------
            LocalGet { local_index } => {
                let var = self.local(*local_index)?;
                let v = self.builder.use_var(var);
                self.push(v);
            }
            LocalSet { local_index } => {
                let var = self.local(*local_index)?;
                let v = self.pop()?;
                self.builder.def_var(var, v);
            }
            LocalTee { local_index } => {
                let var = self.local(*local_index)?;
                let v = self.peek()?;
                self.builder.def_var(var, v);
            }

            // ---- Globals -------------------------------------------------
            GlobalGet { global_index } => self.translate_global_get(*global_index)?,
            GlobalSet { global_index } => self.translate_global_set(*global_index)?,

            // ---- Memory --------------------------------------------------
            I32Load { memarg } => self.translate_load(memarg, LoadKind::Plain(I32))?,
            I64Load { memarg } => self.translate_load(memarg, LoadKind::Plain(I64))?,
            F32Load { memarg } => self.translate_load(memarg, LoadKind::Plain(F32))?,
            F64Load { memarg } => self.translate_load(memarg, LoadKind::Plain(F64))?,
            I32Load8S { memarg } => self.translate_load(memarg, LoadKind::Sext8(I32))?,
            I32Load8U { memarg } => self.translate_load(memarg, LoadKind::Zext8(I32))?,
            I32Load16S { memarg } => self.translate_load(memarg, LoadKind::Sext16(I32))?,
            I32Load16U { memarg } => self.translate_load(memarg, LoadKind::Zext16(I32))?,
            I64Load8S { memarg } => self.translate_load(memarg, LoadKind::Sext8(I64))?,
            I64Load8U { memarg } => self.translate_load(memarg, LoadKind::Zext8(I64))?,
            I64Load16S { memarg } => self.translate_load(memarg, LoadKind::Sext16(I64))?,
            I64Load16U { memarg } => self.translate_load(memarg, LoadKind::Zext16(I64))?,
            I64Load32S { memarg } => self.translate_load(memarg, LoadKind::Sext32)?,
            I64Load32U { memarg } => self.translate_load(memarg, LoadKind::Zext32)?,
            I32Store { memarg }
            | I64Store { memarg }
            | F32Store { memarg }
            | F64Store { memarg } => self.translate_store(memarg, StoreKind::Plain)?,
            I32Store8 { memarg } | I64Store8 { memarg } => {
                self.translate_store(memarg, StoreKind::Narrow8)?
            }
            I32Store16 { memarg } | I64Store16 { memarg } => {
                self.translate_store(memarg, StoreKind::Narrow16)?
            }
            I64Store32 { memarg } => self.translate_store(memarg, StoreKind::Narrow32)?,
            MemorySize { mem } => self.translate_memory_size(*mem)?,
            MemoryGrow { mem } => self.translate_memory_grow(*mem)?,
            MemoryFill { mem } => self.translate_memory_fill(*mem)?,
            MemoryCopy { dst_mem, src_mem } => self.translate_memory_copy(*dst_mem, *src_mem)?,
            MemoryInit { data_index, mem } => self.translate_memory_init(*data_index, *mem)?,
            DataDrop { data_index } => self.translate_data_drop(*data_index)?,

            // ---- Tables and references -----------------------------------
            TableGet { table } => self.translate_table_get(*table)?,
            TableSet { table } => self.translate_table_set(*table)?,
            TableSize { table } => self.translate_table_size(*table)?,
            TableGrow { table } => self.translate_table_grow(*table)?,
            TableFill { table } => self.translate_table_fill(*table)?,
            TableCopy {
                dst_table,
                src_table,
            } => self.translate_table_copy(*dst_table, *src_table)?,
            TableInit { elem_index, table } => self.translate_table_init(*elem_index, *table)?,
            ElemDrop { elem_index } => self.translate_elem_drop(*elem_index)?,
            RefNull { .. } => {
                let v = self.iconst64(0);
                self.push(v);
            }
            RefIsNull => self.unop(|b, x| {
                let c = b.ins().icmp_imm_u(IntCC::Equal, x, 0);
                b.ins().uextend(I32, c)
            })?,
            RefFunc { function_index } => {
                let v = self.translate_ref_func(*function_index)?;
                self.push(v);
            }

            // ---- Constants -----------------------------------------------
            I32Const { value } => {
                let v = self.builder.ins().iconst(I32, i64::from(*value));
                self.push(v);
            }
            I64Const { value } => {
                let v = self.iconst64(*value);
                self.push(v);
            }
            F32Const { value } => {
                let v = self.builder.ins().f32const(Ieee32::with_bits(value.bits()));
                self.push(v);
            }
            F64Const { value } => {
                let v = self.builder.ins().f64const(Ieee64::with_bits(value.bits()));
                self.push(v);
            }

            // ---- Integer comparisons -------------------------------------
            I32Eqz | I64Eqz => self.unop(|b, x| {
                let c = b.ins().icmp_imm_u(IntCC::Equal, x, 0);
                b.ins().uextend(I32, c)
            })?,
            I32Eq | I64Eq => self.translate_icmp(IntCC::Equal)?,
            I32Ne | I64Ne => self.translate_icmp(IntCC::NotEqual)?,
            I32LtS | I64LtS => self.translate_icmp(IntCC::SignedLessThan)?,
            I32LtU | I64LtU => self.translate_icmp(IntCC::UnsignedLessThan)?,
            I32GtS | I64GtS => self.translate_icmp(IntCC::SignedGreaterThan)?,
            I32GtU | I64GtU => self.translate_icmp(IntCC::UnsignedGreaterThan)?,
            I32LeS | I64LeS => self.translate_icmp(IntCC::SignedLessThanOrEqual)?,
            I32LeU | I64LeU => self.translate_icmp(IntCC::UnsignedLessThanOrEqual)?,
            I32GeS | I64GeS => self.translate_icmp(IntCC::SignedGreaterThanOrEqual)?,
            I32GeU | I64GeU => self.translate_icmp(IntCC::UnsignedGreaterThanOrEqual)?,

            // ---- Float comparisons ---------------------------------------
            F32Eq | F64Eq => self.translate_fcmp(FloatCC::Equal)?,
            F32Ne | F64Ne => self.translate_fcmp(FloatCC::NotEqual)?,
            F32Lt | F64Lt => self.translate_fcmp(FloatCC::LessThan)?,
            F32Gt | F64Gt => self.translate_fcmp(FloatCC::GreaterThan)?,
            F32Le | F64Le => self.translate_fcmp(FloatCC::LessThanOrEqual)?,
            F32Ge | F64Ge => self.translate_fcmp(FloatCC::GreaterThanOrEqual)?,

            // ---- Integer arithmetic --------------------------------------
            I32Clz | I64Clz => self.unop(|b, x| b.ins().clz(x))?,
            I32Ctz | I64Ctz => self.unop(|b, x| b.ins().ctz(x))?,
            I32Popcnt | I64Popcnt => self.unop(|b, x| b.ins().popcnt(x))?,
            I32Add | I64Add => self.binop(|b, x, y| b.ins().iadd(x, y))?,
            I32Sub | I64Sub => self.binop(|b, x, y| b.ins().isub(x, y))?,
            I32Mul | I64Mul => self.binop(|b, x, y| b.ins().imul(x, y))?,
            I32DivS | I64DivS | I32DivU | I64DivU | I32RemS | I64RemS | I32RemU | I64RemU => {
                self.translate_div_rem(op)?
            }
            I32And | I64And => self.binop(|b, x, y| b.ins().band(x, y))?,
            I32Or | I64Or => self.binop(|b, x, y| b.ins().bor(x, y))?,
            I32Xor | I64Xor => self.binop(|b, x, y| b.ins().bxor(x, y))?,
            I32Shl | I64Shl => self.binop(|b, x, y| b.ins().ishl(x, y))?,
            I32ShrS | I64ShrS => self.binop(|b, x, y| b.ins().sshr(x, y))?,
            I32ShrU | I64ShrU => self.binop(|b, x, y| b.ins().ushr(x, y))?,
            I32Rotl | I64Rotl => self.binop(|b, x, y| b.ins().rotl(x, y))?,
            I32Rotr | I64Rotr => self.binop(|b, x, y| b.ins().rotr(x, y))?,

            // ---- Float arithmetic ----------------------------------------
            F32Abs | F64Abs => self.unop(|b, x| b.ins().fabs(x))?,
            F32Neg | F64Neg => self.unop(|b, x| b.ins().fneg(x))?,
            F32Ceil | F64Ceil => self.unop(|b, x| b.ins().ceil(x))?,
            F32Floor | F64Floor => self.unop(|b, x| b.ins().floor(x))?,
            F32Trunc | F64Trunc => self.unop(|b, x| b.ins().trunc(x))?,
            F32Nearest | F64Nearest => self.unop(|b, x| b.ins().nearest(x))?,
            F32Sqrt | F64Sqrt => self.unop(|b, x| b.ins().sqrt(x))?,
            F32Add | F64Add => self.binop(|b, x, y| b.ins().fadd(x, y))?,
            F32Sub | F64Sub => self.binop(|b, x, y| b.ins().fsub(x, y))?,
            F32Mul | F64Mul => self.binop(|b, x, y| b.ins().fmul(x, y))?,
            F32Div | F64Div => self.binop(|b, x, y| b.ins().fdiv(x, y))?,
            F32Min | F64Min => self.binop(|b, x, y| b.ins().fmin(x, y))?,
            F32Max | F64Max => self.binop(|b, x, y| b.ins().fmax(x, y))?,
            F32Copysign | F64Copysign => self.binop(|b, x, y| b.ins().fcopysign(x, y))?,

            // ---- Conversions ---------------------------------------------
            I32WrapI64 => self.unop(|b, x| b.ins().ireduce(I32, x))?,
            I64ExtendI32S => self.unop(|b, x| b.ins().sextend(I64, x))?,
            I64ExtendI32U => self.unop(|b, x| b.ins().uextend(I64, x))?,
            I32TruncF32S | I32TruncF64S => self.unop(|b, x| b.ins().fcvt_to_sint(I32, x))?,
            I32TruncF32U | I32TruncF64U => self.unop(|b, x| b.ins().fcvt_to_uint(I32, x))?,
            I64TruncF32S | I64TruncF64S => self.unop(|b, x| b.ins().fcvt_to_sint(I64, x))?,
            I64TruncF32U | I64TruncF64U => self.unop(|b, x| b.ins().fcvt_to_uint(I64, x))?,
            I32TruncSatF32S | I32TruncSatF64S => {
                self.unop(|b, x| b.ins().fcvt_to_sint_sat(I32, x))?
            }
            I32TruncSatF32U | I32TruncSatF64U => {
                self.unop(|b, x| b.ins().fcvt_to_uint_sat(I32, x))?
            }
            I64TruncSatF32S | I64TruncSatF64S => {
                self.unop(|b, x| b.ins().fcvt_to_sint_sat(I64, x))?
            }
            I64TruncSatF32U | I64TruncSatF64U => {
                self.unop(|b, x| b.ins().fcvt_to_uint_sat(I64, x))?
            }
            F32ConvertI32S | F32ConvertI64S => self.unop(|b, x| b.ins().fcvt_from_sint(F32, x))?,
            F32ConvertI32U | F32ConvertI64U => self.unop(|b, x| b.ins().fcvt_from_uint(F32, x))?,
            F64ConvertI32S | F64ConvertI64S => self.unop(|b, x| b.ins().fcvt_from_sint(F64, x))?,
            F64ConvertI32U | F64ConvertI64U => self.unop(|b, x| b.ins().fcvt_from_uint(F64, x))?,
            F32DemoteF64 => self.unop(|b, x| b.ins().fdemote(F32, x))?,
            F64PromoteF32 => self.unop(|b, x| b.ins().fpromote(F64, x))?,
            I32ReinterpretF32 => self.unop(|b, x| b.ins().bitcast(I32, MemFlagsData::new(), x))?,
            I64ReinterpretF64 => self.unop(|b, x| b.ins().bitcast(I64, MemFlagsData::new(), x))?,
            F32ReinterpretI32 => self.unop(|b, x| b.ins().bitcast(F32, MemFlagsData::new(), x))?,
            F64ReinterpretI64 => self.unop(|b, x| b.ins().bitcast(F64, MemFlagsData::new(), x))?,

            // ---- Sign extension ------------------------------------------
            I32Extend8S => self.unop(|b, x| sign_extend_low(b, x, I8, I32))?,
            I32Extend16S => self.unop(|b, x| sign_extend_low(b, x, I16, I32))?,
            I64Extend8S => self.unop(|b, x| sign_extend_low(b, x, I8, I64))?,
            I64Extend16S => self.unop(|b, x| sign_extend_low(b, x, I16, I64))?,
            I64Extend32S => self.unop(|b, x| sign_extend_low(b, x, I32, I64))?,

            // ---- Atomics, SIMD, then anything else -----------------------
            _ => self.translate_atomic_operator(op)?,
        }
        Ok(())
    }

    /// Translates one operator in unreachable code: only the nesting of
    /// blocks matters, to find the `else`/`end` that makes code reachable
    /// again.
    pub(super) fn translate_unreachable_operator(&mut self, op: &Operator) -> Result<()> {
        use Operator::*;
        match op {
            Block { .. } | Loop { .. } | If { .. } | TryTable { .. } => self.unreachable_depth += 1,
            Else if self.unreachable_depth == 0 => self.translate_else()?,
            End if self.unreachable_depth == 0 => self.translate_end()?,
            End => self.unreachable_depth -= 1,
            // Other block-structured operators would change the nesting.
            Try { .. } | Catch { .. } | CatchAll | Delegate { .. } => {
                return Err(self.unsupported(operator_name(op)));
            }
            _ => {}
        }
        Ok(())
    }

    fn local(&self, index: u32) -> Result<cranelift_frontend::Variable> {
        self.locals
            .get(index as usize)
            .copied()
            .ok_or_else(|| self.internal("local index out of range"))
    }

    fn translate_icmp(&mut self, cc: IntCC) -> Result<()> {
        self.binop(|b, x, y| {
            let c = b.ins().icmp(cc, x, y);
            b.ins().uextend(I32, c)
        })
    }

    fn translate_fcmp(&mut self, cc: FloatCC) -> Result<()> {
        self.binop(|b, x, y| {
            let c = b.ins().fcmp(cc, x, y);
            b.ins().uextend(I32, c)
        })
    }

    /// Integer division and remainder. The traps (zero divisor, `MIN / -1`)
    /// and `MIN % -1 == 0` come from Cranelift's own semantics.
    fn translate_div_rem(&mut self, op: &Operator) -> Result<()> {
        use Operator::*;
        match op {
            I32DivS | I64DivS => self.binop(|b, x, y| b.ins().sdiv(x, y)),
            I32DivU | I64DivU => self.binop(|b, x, y| b.ins().udiv(x, y)),
            I32RemS | I64RemS => self.binop(|b, x, y| b.ins().srem(x, y)),
            I32RemU | I64RemU => self.binop(|b, x, y| b.ins().urem(x, y)),
            _ => Err(self.internal("not a division")),
        }
    }
}

/// Sign-extends the low `from` bits of `x` to `to`.
fn sign_extend_low(
    b: &mut FunctionBuilder,
    x: Value,
    from: cranelift_codegen::ir::Type,
    to: cranelift_codegen::ir::Type,
) -> Value {
    let narrow = b.ins().ireduce(from, x);
    b.ins().sextend(to, narrow)
}

/// The wasm name of an operator for error messages (`I8x16Add` for
/// `i8x16.add`; the Debug name without its immediates).
pub(super) fn operator_name(op: &Operator) -> String {
    let debug = format!("{op:?}");
    let end = debug.find([' ', '{', '(']).unwrap_or(debug.len());
    debug[..end].to_string()
}

/// How a load extends the loaded value.
#[derive(Clone, Copy)]
pub(super) enum LoadKind {
    Plain(cranelift_codegen::ir::Type),
    Sext8(cranelift_codegen::ir::Type),
    Zext8(cranelift_codegen::ir::Type),
    Sext16(cranelift_codegen::ir::Type),
    Zext16(cranelift_codegen::ir::Type),
    Sext32,
    Zext32,
}

impl LoadKind {
    /// Bytes read from memory.
    pub(super) fn size(self) -> u32 {
        match self {
            LoadKind::Plain(ty) => ty.bytes(),
            LoadKind::Sext8(_) | LoadKind::Zext8(_) => 1,
            LoadKind::Sext16(_) | LoadKind::Zext16(_) => 2,
            LoadKind::Sext32 | LoadKind::Zext32 => 4,
        }
    }
}

/// How many low bytes of the value a store writes.
#[derive(Clone, Copy)]
pub(super) enum StoreKind {
    Plain,
    Narrow8,
    Narrow16,
    Narrow32,
}
