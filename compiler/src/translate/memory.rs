//! Linear memory and globals.
//!
//! ==================== SANDBOX-CRITICAL ====================
//! Loads and stores are not bounds checked. This is sound only because:
//! - memory 0 is 32-bit: the index is zero-extended from `i32`, the static
//!   offset is at most `u32::MAX` and an access is at most 16 bytes, so
//!   `base + index + offset + size < base + MEMORY32_RESERVATION`;
//! - the runtime reserves `MEMORY32_RESERVATION` bytes at `base` and maps
//!   everything past the current length `PROT_NONE`;
//! - every access carries the `HEAP_OUT_OF_BOUNDS` trap code, so the fault
//!   lands in the trap table instead of being treated as a crash.
//!
//! memory64 and multi-memory are rejected here, before any address is
//! computed, because neither bound above holds for them.
//! ==========================================================
//!
//! `memory.grow` and the bulk operators call runtime builtins, which do their
//! own bounds checks and raise the trap themselves.
//!
//! Globals live in the `globals` data object, one 16-byte slot each;
//! immutable globals with a constant initializer are folded into constants.
//! An imported global is reached through its pointer in `global_imports`,
//! an imported memory's `VMMemory` through `memory_import`.

use super::FuncTranslator;
use super::code::{LoadKind, StoreKind};
use crate::env::{ConstValue, GlobalInit, Symbols, clif_type};
use crate::error::Result;
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
    /// Rejects memories the unchecked addressing scheme does not cover.
    fn check_memory(&self, mem: u32) -> Result<()> {
        if mem != 0 {
            return Err(self.unsupported("multi-memory"));
        }
        match &self.env.memory {
            Some(m) if m.memory64 => Err(self.unsupported("memory64")),
            Some(_) => Ok(()),
            None => Err(self.internal("memory access without a memory")),
        }
    }

    /// The address of a memory access and the static offset to put in the
    /// instruction, from the dynamic `index` (an `i32`) and `memarg`.
    pub(super) fn translate_heap_address(
        &mut self,
        memarg: &MemArg,
        index: Value,
    ) -> Result<(Value, i32)> {
        let MemArgTarget::Memory(mem) = memarg.target else {
            return Err(self.unsupported("memory access to a GC array"));
        };
        self.check_memory(mem)?;
        let base = self
            .memory_base
            .ok_or_else(|| self.internal("memory base not set up"))?;
        let index = self.uextend64(index);
        let addr = self.builder.ins().iadd(base, index);
        match i32::try_from(memarg.offset) {
            Ok(offset) => Ok((addr, offset)),
            Err(_) => {
                let offset = i64::try_from(memarg.offset)
                    .map_err(|_| self.unsupported("memory offset over 2^63"))?;
                Ok((self.builder.ins().iadd_imm_u(addr, offset), 0))
            }
        }
    }

    pub(super) fn translate_load(&mut self, memarg: &MemArg, kind: LoadKind) -> Result<()> {
        let index = self.pop()?;
        let (addr, offset) = self.translate_heap_address(memarg, index)?;
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
        let (addr, offset) = self.translate_heap_address(memarg, index)?;
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

    /// `memory.size`: the current length in bytes (it changes on grow, so
    /// it is not `readonly`) divided by the page size.
    pub(super) fn translate_memory_size(&mut self, mem: u32) -> Result<()> {
        self.check_memory(mem)?;
        let (state, at) = self
            .memory_state
            .ok_or_else(|| self.internal("memory state not set up"))?;
        let offset = at + offset_of!(VMMemory, length) as i32;
        let bytes = self
            .builder
            .ins()
            .load(I64, MemFlagsData::trusted(), state, offset);
        let pages = self.builder.ins().ushr_imm_u(bytes, 16);
        let pages = self.ireduce32(pages);
        self.push(pages);
        Ok(())
    }

    /// `memory.grow`: the builtin returns the old size in pages or -1, which
    /// narrows to the i32 -1 wasm wants.
    pub(super) fn translate_memory_grow(&mut self, mem: u32) -> Result<()> {
        self.check_memory(mem)?;
        let delta = self.pop()?;
        let delta = self.uextend64(delta);
        let mem = self.builder.ins().iconst(I32, i64::from(mem));
        let old = self.translate_builtin_call(Builtin::MemoryGrow, &[mem, delta])?;
        let old = self.ireduce32(old[0]);
        self.push(old);
        Ok(())
    }

    pub(super) fn translate_memory_fill(&mut self, mem: u32) -> Result<()> {
        self.check_memory(mem)?;
        let (dst, byte, len) = self.pop3()?;
        let dst = self.uextend64(dst);
        let len = self.uextend64(len);
        let mem = self.builder.ins().iconst(I32, i64::from(mem));
        self.translate_builtin_call(Builtin::MemoryFill, &[mem, dst, byte, len])?;
        Ok(())
    }

    pub(super) fn translate_memory_copy(&mut self, dst_mem: u32, src_mem: u32) -> Result<()> {
        self.check_memory(dst_mem)?;
        self.check_memory(src_mem)?;
        let (dst, src, len) = self.pop3()?;
        let dst = self.uextend64(dst);
        let src = self.uextend64(src);
        let len = self.uextend64(len);
        let dst_mem = self.builder.ins().iconst(I32, i64::from(dst_mem));
        let src_mem = self.builder.ins().iconst(I32, i64::from(src_mem));
        self.translate_builtin_call(Builtin::MemoryCopy, &[dst_mem, src_mem, dst, src, len])?;
        Ok(())
    }

    pub(super) fn translate_memory_init(&mut self, data: u32, mem: u32) -> Result<()> {
        self.check_memory(mem)?;
        let (dst, src, len) = self.pop3()?;
        let dst = self.uextend64(dst);
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
