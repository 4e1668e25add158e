//! Linear memory and globals.
//!
//! ==================== SANDBOX-CRITICAL ====================
//! Loads and stores of 32-bit memories are not bounds checked. This is
//! sound only because:
//! - the index is zero-extended from `i32`, the static offset is at most
//!   `u32::MAX` (validation enforces it for 32-bit memories) and an access
//!   is at most 16 bytes, so
//!   `base + index + offset + size < base + MEMORY32_RESERVATION`;
//! - the runtime reserves `MEMORY32_RESERVATION` bytes at the base of every
//!   memory, each its own reservation, and maps everything past the current
//!   length `PROT_NONE`;
//! - every access carries the `HEAP_OUT_OF_BOUNDS` trap code, so the fault
//!   lands in the trap table instead of being treated as a crash.
//!
//! Neither bound holds for a 64-bit memory (memory64): its index and offset
//! are 64-bit. Every access to one is checked in compiled code first:
//! `index + offset + size`, computed with an overflow trap, must not exceed
//! the current length (reloaded on every access: it changes on grow), else
//! the access traps with "out of bounds memory access" before it happens.
//! A 64-bit memory still lives in a fixed reservation, so its base never
//! moves either; `memory.grow` beyond `MEMORY64_MAX_PAGES` returns -1.
//! ==========================================================
//!
//! `memory.grow` and the bulk operators call runtime builtins, which do their
//! own bounds checks and raise the trap themselves; every builtin gets the
//! memory index, and addresses and lengths as `i64` (a 32-bit memory's
//! zero-extended). `memory.copy` and `memory.fill` of a short constant
//! length are expanded inline instead (`bulk.rs`).
//!
//! Globals live in the `globals` data object, one 16-byte slot each;
//! immutable globals with a constant initializer are folded into constants.
//! An imported global is reached through its pointer in `global_imports`,
//! an imported memory's `VMMemory` through `memory_states`.

use super::code::{LoadKind, StoreKind};
use super::{FuncTranslator, MemoryPlace};
use crate::env::{ConstValue, GlobalInit, Symbols, clif_type};
use crate::error::Result;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::immediates::{Ieee32, Ieee64};
use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::{Endianness, InstBuilder, MemFlagsData, TrapCode, Value};
use std::mem::offset_of;
use wasi_aot_abi::{Builtin, VMMemory};
use wasmparser::{MemArg, MemArgTarget};

/// Flags of a wasm memory access: may fault (out of bounds), little-endian,
/// no alignment promise.
pub(super) fn heap_flags() -> MemFlagsData {
    MemFlagsData::new()
        .with_endianness(Endianness::Little)
        .with_trap_code(Some(TrapCode::HEAP_OUT_OF_BOUNDS))
}

impl FuncTranslator<'_, '_> {
    /// Where memory `mem` is.
    pub(super) fn memory(&self, mem: u32) -> Result<MemoryPlace> {
        self.memories
            .get(mem as usize)
            .copied()
            .ok_or_else(|| self.internal("memory index out of range"))
    }

    /// An address or length operand of memory `mem` as an `i64` (a 32-bit
    /// memory's `i32` zero-extended).
    pub(super) fn memory_operand(&mut self, place: MemoryPlace, v: Value) -> Value {
        if place.index64 { v } else { self.uextend64(v) }
    }

    /// The current length in bytes of a memory (not `readonly`: it changes
    /// on grow).
    pub(super) fn memory_length(&mut self, place: MemoryPlace) -> Value {
        let (state, at) = place.state;
        let offset = at + offset_of!(VMMemory, length) as i32;
        self.builder
            .ins()
            .load(I64, MemFlagsData::trusted(), state, offset)
    }

    /// The address of a memory access of `size` bytes and the static offset
    /// to put in the instruction, from the dynamic `index` (an `i32`, or an
    /// `i64` for a 64-bit memory) and `memarg`.
    pub(super) fn translate_heap_address(
        &mut self,
        memarg: &MemArg,
        index: Value,
        size: u32,
    ) -> Result<(Value, i32)> {
        let MemArgTarget::Memory(mem) = memarg.target else {
            return Err(self.unsupported("memory access to a GC array"));
        };
        let place = self.memory(mem)?;
        if place.index64 {
            self.translate_bounds_check(place, index, memarg.offset, size);
        }
        let index = self.memory_operand(place, index);
        let addr = self.builder.ins().iadd(place.base, index);
        match i32::try_from(memarg.offset) {
            Ok(offset) => Ok((addr, offset)),
            Err(_) => {
                // Too large for the instruction's immediate: added to the
                // address instead. An offset past `i64::MAX` (64-bit
                // memories only) is added by its bits; the bounds check has
                // made sure `index + offset` does not wrap.
                let offset = memarg.offset as i64;
                Ok((self.builder.ins().iadd_imm_u(addr, offset), 0))
            }
        }
    }

    /// Traps with "out of bounds memory access" unless
    /// `index + offset + size <= length` for a 64-bit memory. The sum is
    /// computed without wrapping: `offset + size` at build time (a sum past
    /// `u64::MAX` can never be in bounds), the addition of the index with an
    /// overflow trap.
    fn translate_bounds_check(&mut self, place: MemoryPlace, index: Value, offset: u64, size: u32) {
        let code = TrapCode::HEAP_OUT_OF_BOUNDS;
        let Some(extent) = offset.checked_add(u64::from(size)) else {
            // Never in bounds. A `trapnz` keeps the block open for the
            // (unreachable) access that follows.
            let always = self.builder.ins().iconst(I32, 1);
            self.builder.ins().trapnz(always, code);
            return;
        };
        let extent = self.iconst64(extent as i64);
        let end = self.builder.ins().uadd_overflow_trap(index, extent, code);
        let length = self.memory_length(place);
        let out_of_bounds = self
            .builder
            .ins()
            .icmp(IntCC::UnsignedGreaterThan, end, length);
        self.builder.ins().trapnz(out_of_bounds, code);
    }

    pub(super) fn translate_load(&mut self, memarg: &MemArg, kind: LoadKind) -> Result<()> {
        let index = self.pop()?;
        let (addr, offset) = self.translate_heap_address(memarg, index, kind.size())?;
        let flags = heap_flags();
        let ins = self.builder.ins();
        let v = match kind {
            LoadKind::Plain(ty) => ins.load(ty, flags, addr, offset),
            LoadKind::Sext8(ty) => ins.sload8(ty, flags, addr, offset),
            LoadKind::Zext8(ty) => ins.uload8(ty, flags, addr, offset),
            LoadKind::Sext16(ty) => ins.sload16(ty, flags, addr, offset),
            LoadKind::Zext16(ty) => ins.uload16(ty, flags, addr, offset),
            LoadKind::Sext32 => ins.sload32(flags, addr, offset),
            LoadKind::Zext32 => ins.uload32(flags, addr, offset),
        };
        self.push(v);
        Ok(())
    }

    pub(super) fn translate_store(&mut self, memarg: &MemArg, kind: StoreKind) -> Result<()> {
        let (index, value) = self.pop2()?;
        let size = match kind {
            StoreKind::Plain => self.builder.func.dfg.value_type(value).bytes(),
            StoreKind::Narrow8 => 1,
            StoreKind::Narrow16 => 2,
            StoreKind::Narrow32 => 4,
        };
        let (addr, offset) = self.translate_heap_address(memarg, index, size)?;
        let flags = heap_flags();
        let ins = self.builder.ins();
        match kind {
            StoreKind::Plain => ins.store(flags, value, addr, offset),
            StoreKind::Narrow8 => ins.istore8(flags, value, addr, offset),
            StoreKind::Narrow16 => ins.istore16(flags, value, addr, offset),
            StoreKind::Narrow32 => ins.istore32(flags, value, addr, offset),
        };
        Ok(())
    }

    /// `memory.size`: the current length in bytes divided by the page size,
    /// an `i32` for a 32-bit memory, an `i64` for a 64-bit one.
    pub(super) fn translate_memory_size(&mut self, mem: u32) -> Result<()> {
        let place = self.memory(mem)?;
        let bytes = self.memory_length(place);
        let pages = self.builder.ins().ushr_imm_u(bytes, 16);
        let pages = if place.index64 {
            pages
        } else {
            self.ireduce32(pages)
        };
        self.push(pages);
        Ok(())
    }

    /// `memory.grow`: the builtin returns the old size in pages or -1, which
    /// narrows to the i32 -1 a 32-bit memory wants.
    pub(super) fn translate_memory_grow(&mut self, mem: u32) -> Result<()> {
        let place = self.memory(mem)?;
        let delta = self.pop()?;
        let delta = self.memory_operand(place, delta);
        let mem = self.builder.ins().iconst(I32, i64::from(mem));
        let old = self.translate_builtin_call(Builtin::MemoryGrow, &[mem, delta])?;
        let old = if place.index64 {
            old[0]
        } else {
            self.ireduce32(old[0])
        };
        self.push(old);
        Ok(())
    }

    pub(super) fn translate_memory_fill(&mut self, mem: u32) -> Result<()> {
        let place = self.memory(mem)?;
        let inline = self.inline_bulk_length()?;
        let (dst, byte, len) = self.pop3()?;
        let dst = self.memory_operand(place, dst);
        if let Some(len) = inline {
            self.translate_memory_fill_inline(place, dst, byte, len);
            return Ok(());
        }
        let len = self.memory_operand(place, len);
        let mem = self.builder.ins().iconst(I32, i64::from(mem));
        self.translate_builtin_call(Builtin::MemoryFill, &[mem, dst, byte, len])?;
        Ok(())
    }

    /// `memory.copy`, also between two memories: the length is an `i64`
    /// only when both are 64-bit.
    pub(super) fn translate_memory_copy(&mut self, dst_mem: u32, src_mem: u32) -> Result<()> {
        let dst_place = self.memory(dst_mem)?;
        let src_place = self.memory(src_mem)?;
        let inline = self.inline_bulk_length()?;
        let (dst, src, len) = self.pop3()?;
        let dst = self.memory_operand(dst_place, dst);
        let src = self.memory_operand(src_place, src);
        if let Some(len) = inline {
            self.translate_memory_copy_inline(
                (dst_mem, dst_place, dst),
                (src_mem, src_place, src),
                len,
            );
            return Ok(());
        }
        let len = if dst_place.index64 && src_place.index64 {
            len
        } else {
            self.uextend64(len)
        };
        let dst_mem = self.builder.ins().iconst(I32, i64::from(dst_mem));
        let src_mem = self.builder.ins().iconst(I32, i64::from(src_mem));
        self.translate_builtin_call(Builtin::MemoryCopy, &[dst_mem, src_mem, dst, src, len])?;
        Ok(())
    }

    pub(super) fn translate_memory_init(&mut self, data: u32, mem: u32) -> Result<()> {
        let place = self.memory(mem)?;
        let (dst, src, len) = self.pop3()?;
        let dst = self.memory_operand(place, dst);
        let mem = self.builder.ins().iconst(I32, i64::from(mem));
        let data = self.builder.ins().iconst(I32, i64::from(data));
        self.translate_builtin_call(Builtin::MemoryInit, &[mem, data, dst, src, len])?;
        Ok(())
    }

    pub(super) fn translate_data_drop(&mut self, data: u32) -> Result<()> {
        let data = self.builder.ins().iconst(I32, i64::from(data));
        self.translate_builtin_call(Builtin::DataDrop, &[data])?;
        Ok(())
    }

    // ---- Globals --------------------------------------------------------

    pub(super) fn translate_global_get(&mut self, global: u32) -> Result<()> {
        let desc = self
            .env
            .globals
            .get(global as usize)
            .ok_or_else(|| self.internal("global index out of range"))?;
        let ty = clif_type(desc.ty.content_type);
        let value = match (&desc.init, desc.ty.mutable) {
            (GlobalInit::Const(c), false)
                if !matches!(c, ConstValue::ImportedGlobal(_) | ConstValue::Computed(_)) =>
            {
                self.translate_const_value(*c)?
            }
            _ => {
                let (base, offset) = self.global_address(global);
                self.builder
                    .ins()
                    .load(ty, MemFlagsData::trusted(), base, offset)
            }
        };
        self.push(value);
        Ok(())
    }

    pub(super) fn translate_global_set(&mut self, global: u32) -> Result<()> {
        if global as usize >= self.env.globals.len() {
            return Err(self.internal("global index out of range"));
        }
        let value = self.pop()?;
        let (base, offset) = self.global_address(global);
        self.builder
            .ins()
            .store(MemFlagsData::trusted(), value, base, offset);
        Ok(())
    }

    /// Where global `global`'s value lives: its slot in `globals`, or for an
    /// imported global the exporter's slot behind the `global_imports`
    /// pointer (which never changes once written).
    fn global_address(&mut self, global: u32) -> (Value, i32) {
        if matches!(self.env.globals[global as usize].init, GlobalInit::Import) {
            let slots = self.data_address(self.syms.global_imports);
            let ptr = self.builder.ins().load(
                I64,
                super::trusted_readonly(),
                slots,
                Symbols::import_pointer_offset(global),
            );
            (ptr, 0)
        } else {
            let base = self.data_address(self.syms.globals);
            (base, Symbols::global_offset(global))
        }
    }

    /// A constant initializer as a value.
    fn translate_const_value(&mut self, c: ConstValue) -> Result<Value> {
        Ok(match c {
            ConstValue::I32(v) => self.builder.ins().iconst(I32, i64::from(v)),
            ConstValue::I64(v) => self.iconst64(v),
            ConstValue::F32(bits) => self.builder.ins().f32const(Ieee32::with_bits(bits)),
            ConstValue::F64(bits) => self.builder.ins().f64const(Ieee64::with_bits(bits)),
            ConstValue::V128(bits) => self.v128_const(bits),
            ConstValue::RefNull => self.iconst64(0),
            ConstValue::RefFunc(f) => self.translate_ref_func(f)?,
            ConstValue::ImportedGlobal(_) | ConstValue::Computed(_) => {
                return Err(self.internal("imported global folded as a constant"));
            }
        })
    }
}
