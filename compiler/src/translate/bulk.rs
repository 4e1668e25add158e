//! `memory.copy` and `memory.fill` of a small constant length, expanded
//! inline instead of calling the runtime's builtins.
//!
//! ==================== SANDBOX-CRITICAL ====================
//! A bulk operator is checked against the memory's *current* length, never
//! against the guard reservation that makes plain loads and stores safe: the
//! spec wants `memory.copy`/`memory.fill` to trap with "out of bounds memory
//! access" when `dst + len` (or `src + len`) exceeds the length, even when
//! every byte it would touch lies inside the reservation, and to write
//! nothing then. So the inline forms compare `addr + len` with the length
//! loaded from the memory's `VMMemory` (not `readonly`: it changes on grow)
//! before any access, and trap (`HEAP_OUT_OF_BOUNDS`) when it is greater.
//! `addr + len` cannot wrap: a 32-bit memory's address is a zero-extended
//! `i32` and `len` at most `INLINE_BULK_MAX`; a 64-bit memory's sum is
//! computed with an overflow trap. Once both checks passed, every access
//! lies below the current length, which is mapped.
//! ==========================================================
//!
//! Why inline: clang with `-mbulk-memory` turns every `memcpy`, `memmove`
//! and `memset` it does not expand itself into these operators, and a
//! builtin call costs an indirect call, the lookup of the instance's memory
//! and a string instruction whose start-up dominates a short copy. clang
//! 19 expands constant lengths up to 64 bytes itself (with or without
//! `-msimd128`), so the constant lengths that arrive here are above that:
//! `INLINE_BULK_MAX` takes the next 64 (struct copies, short buffers) while
//! a copy's loads still fit in registers (8 vectors).
//!
//! Shape: the range checks, then the accesses in chunks of the widest size
//! not above the length (16, 8, 4, 2 or 1 bytes), the last chunk ending
//! exactly at the length and overlapping the one before it when the length
//! is not a multiple of the width (25 bytes are two 16-byte chunks, at 0 and
//! at 9). A copy loads every chunk before it stores any, so overlapping
//! source and destination ranges behave as memmove, with no direction test.
//! Longer and variable lengths keep calling the builtins.

use super::memory::heap_flags;
use super::{FuncTranslator, MemoryPlace};
use crate::error::Result;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{I8, I8X16, I16, I32, I64};
use cranelift_codegen::ir::{
    InstBuilder, InstructionData, Opcode, TrapCode, Type, Value, ValueDef,
};

/// The longest constant length `memory.copy` and `memory.fill` are expanded
/// inline for.
pub(super) const INLINE_BULK_MAX: u64 = 128;

/// The accesses of an inline bulk operation of `len` bytes: offset and type
/// of each chunk, in address order.
fn chunks(len: u64) -> Vec<(i32, Type)> {
    let Some(&(width, ty)) = [(16, I8X16), (8, I64), (4, I32), (2, I16), (1, I8)]
        .iter()
        .find(|(width, _)| *width <= len)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut offset = 0;
    while offset + width < len {
        out.push((offset as i32, ty));
        offset += width;
    }
    out.push(((len - width) as i32, ty));
    out
}

/// `byte` repeated in every byte of a `u64`.
fn byte_pattern(byte: u64) -> u64 {
    (byte & 0xff) * 0x0101_0101_0101_0101
}

impl FuncTranslator<'_, '_> {
    /// The value of `v`, zero-extended, when it is an integer constant.
    pub(super) fn integer_constant(&self, v: Value) -> Option<u64> {
        let dfg = &self.builder.func.dfg;
        let ValueDef::Result(inst, _) = dfg.value_def(v) else {
            return None;
        };
        let InstructionData::UnaryImm {
            opcode: Opcode::Iconst,
            imm,
        } = dfg.insts[inst]
        else {
            return None;
        };
        let bits = imm.bits() as u64;
        Some(match dfg.value_type(v) {
            I32 => bits & 0xffff_ffff,
            _ => bits,
        })
    }

    /// The constant length of the bulk operator about to be translated
    /// (the top of the operand stack) when it is short enough to expand.
    pub(super) fn inline_bulk_length(&self) -> Result<Option<u64>> {
        let len = self.peek()?;
        Ok(self
            .integer_constant(len)
            .filter(|&len| len <= INLINE_BULK_MAX))
    }

    /// Traps with "out of bounds memory access" unless
    /// `start + len <= length` (`start` an `i64` address in `place`).
    fn translate_range_check(&mut self, place: MemoryPlace, start: Value, len: u64, length: Value) {
        let code = TrapCode::HEAP_OUT_OF_BOUNDS;
        let end = if place.index64 {
            let len = self.iconst64(len as i64);
            self.builder.ins().uadd_overflow_trap(start, len, code)
        } else {
            // A zero-extended `i32` plus at most `INLINE_BULK_MAX`.
            self.builder.ins().iadd_imm_u(start, len as i64)
        };
        let out_of_bounds = self
            .builder
            .ins()
            .icmp(IntCC::UnsignedGreaterThan, end, length);
        self.builder.ins().trapnz(out_of_bounds, code);
    }

    /// `memory.copy` of the constant length `len` (at most
    /// `INLINE_BULK_MAX`), `dst` and `src` already `i64` addresses.
    pub(super) fn translate_memory_copy_inline(
        &mut self,
        (dst_mem, dst_place, dst): (u32, MemoryPlace, Value),
        (src_mem, src_place, src): (u32, MemoryPlace, Value),
        len: u64,
    ) {
        let dst_length = self.memory_length(dst_place);
        let src_length = if src_mem == dst_mem {
            dst_length
        } else {
            self.memory_length(src_place)
        };
        self.translate_range_check(dst_place, dst, len, dst_length);
        self.translate_range_check(src_place, src, len, src_length);
        let dst_addr = self.builder.ins().iadd(dst_place.base, dst);
        let src_addr = self.builder.ins().iadd(src_place.base, src);
        let chunks = chunks(len);
        let values: Vec<Value> = chunks
            .iter()
            .map(|&(offset, ty)| self.builder.ins().load(ty, heap_flags(), src_addr, offset))
            .collect();
        for (&(offset, _), value) in chunks.iter().zip(values) {
            self.builder
                .ins()
                .store(heap_flags(), value, dst_addr, offset);
        }
    }

    /// `memory.fill` of the constant length `len` (at most
    /// `INLINE_BULK_MAX`) with the low byte of the `i32` `byte`, `dst`
    /// already an `i64` address.
    pub(super) fn translate_memory_fill_inline(
        &mut self,
        place: MemoryPlace,
        dst: Value,
        byte: Value,
        len: u64,
    ) {
        let length = self.memory_length(place);
        self.translate_range_check(place, dst, len, length);
        let addr = self.builder.ins().iadd(place.base, dst);
        let chunks = chunks(len);
        let Some(&(_, ty)) = chunks.first() else {
            return;
        };
        let value = self.fill_value(ty, byte);
        for (offset, _) in chunks {
            self.builder.ins().store(heap_flags(), value, addr, offset);
        }
    }

    /// A value of type `ty` with the low byte of `byte` in each byte.
    fn fill_value(&mut self, ty: Type, byte: Value) -> Value {
        if let Some(constant) = self.integer_constant(byte) {
            let pattern = byte_pattern(constant);
            return if ty == I8X16 {
                self.v128_const(u128::from(pattern) * ((1u128 << 64) + 1))
            } else {
                self.builder.ins().iconst(ty, pattern as i64)
            };
        }
        if ty == I8X16 || ty == I8 {
            let low = self.builder.ins().ireduce(I8, byte);
            return if ty == I8 {
                low
            } else {
                self.builder.ins().splat(I8X16, low)
            };
        }
        let low = self.builder.ins().band_imm_u(byte, 0xff);
        let wide = self.uextend64(low);
        let pattern = self.builder.ins().imul_imm_u(wide, 0x0101_0101_0101_0101);
        if ty == I64 {
            pattern
        } else {
            self.builder.ins().ireduce(ty, pattern)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_length_exactly_once_or_overlapping() {
        assert!(chunks(0).is_empty());
        assert_eq!(chunks(1), [(0, I8)]);
        assert_eq!(chunks(3), [(0, I16), (1, I16)]);
        assert_eq!(chunks(8), [(0, I64)]);
        assert_eq!(chunks(15), [(0, I64), (7, I64)]);
        assert_eq!(chunks(25), [(0, I8X16), (9, I8X16)]);
        assert_eq!(chunks(48), [(0, I8X16), (16, I8X16), (32, I8X16)]);
        for len in 0..=INLINE_BULK_MAX {
            let mut covered = vec![false; len as usize];
            for (offset, ty) in chunks(len) {
                let start = offset as usize;
                let end = start + ty.bytes() as usize;
                assert!(end <= len as usize, "chunk past the end of {len}");
                covered[start..end].iter_mut().for_each(|b| *b = true);
            }
            assert!(covered.iter().all(|&b| b), "{len} not covered");
            assert!(chunks(len).len() <= 8, "{len} takes more than 8 chunks");
        }
    }

    #[test]
    fn byte_pattern_repeats_the_low_byte() {
        assert_eq!(byte_pattern(0x1ab), 0xabab_abab_abab_abab);
        assert_eq!(byte_pattern(0), 0);
    }
}
