//! Tables, references and `call_indirect`.
//!
//! ==================== SANDBOX-CRITICAL ====================
//! Unlike linear memory, table accesses are bounds checked in compiled code:
//! a table's `VMTable::base` points at exactly `length` words. Every
//! `table.get`, `table.set` and `call_indirect` compares the index (an `i32`
//! zero-extended, or a 64-bit table's `i64` as is) against the current
//! `length` (reloaded on every access: both `base` and `length` change on
//! `table.grow`; but a defined table whose maximum is its minimum can never
//! grow, so its length is a constant and its base is loaded `readonly`)
//! before touching `base`.
//! `call_indirect` additionally refuses null entries and compares the
//! callee's signature id with the expected one, so a callee is always
//! entered with the argument types it was compiled for.
//! ==========================================================
//!
//! A reference is one 64-bit word: a funcref is the address of the
//! function's `VMFuncRef` in the `funcrefs` data object, null is 0.
//! `table.grow/fill/copy/init` and `elem.drop` call runtime builtins, with
//! indices and lengths as `i64`. A 64-bit table (memory64's table64) takes
//! and returns `i64` indices and sizes where a 32-bit one has `i32`s.

use super::FuncTranslator;
use crate::env::{FuncIndex, Symbols, TypeIndex, trap_code};
use crate::error::Result;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::{InstBuilder, MemFlagsData, Value};
use std::mem::offset_of;
use wasi_aot_abi::{Builtin, Trap, VMFuncRef, VMTable};

impl FuncTranslator<'_, '_> {
    /// Whether table `table` has 64-bit indices.
    fn table64(&self, table: u32) -> Result<bool> {
        match self.env.tables.get(table as usize) {
            Some(t) => Ok(t.table64),
            None => Err(self.internal("table index out of range")),
        }
    }

    /// An index or length operand of a table with `table64` indices as an
    /// `i64` (a 32-bit table's `i32` zero-extended).
    fn table_operand(&mut self, table64: bool, v: Value) -> Value {
        if table64 { v } else { self.uextend64(v) }
    }

    /// A size from a builtin or the `VMTable` (an `i64`) as a table with
    /// `table64` indices returns it.
    fn table_result(&mut self, table64: bool, v: Value) -> Value {
        if table64 { v } else { self.ireduce32(v) }
    }

    /// The size of defined table `table` when it can never change: its
    /// maximum is its minimum, so `table.grow` (here or in a module that
    /// imports it) fails without moving it. wasm-ld makes the function
    /// table of a C program so.
    fn fixed_table_size(&self, table: u32) -> Option<u64> {
        if self.env.is_imported_table(table) {
            return None;
        }
        let ty = self.env.tables.get(table as usize)?;
        (ty.maximum == Some(ty.initial)).then_some(ty.initial)
    }

    /// Table `table`'s current length (an `i64`): a constant for a table of
    /// [`Self::fixed_table_size`], else loaded from its `VMTable`.
    fn table_length(&mut self, table: u32) -> Value {
        match self.fixed_table_size(table) {
            Some(size) => self.iconst64(size as i64),
            None => self.load_table_field(table, offset_of!(VMTable, length)),
        }
    }

    /// Loads field `field_offset` of table `table`'s `VMTable` (for an
    /// imported table, the exporter's, behind the `table_imports` pointer).
    /// The fields of a table of [`Self::fixed_table_size`] never change:
    /// their loads are `readonly`, so they are hoisted out of loops, calls
    /// in them notwithstanding.
    fn load_table_field(&mut self, table: u32, field_offset: usize) -> Value {
        let flags = if self.fixed_table_size(table).is_some() {
            super::trusted_readonly()
        } else {
            MemFlagsData::trusted()
        };
        let (state, offset) = if self.env.is_imported_table(table) {
            let slots = self.data_address(self.syms.table_imports);
            let ptr = self.builder.ins().load(
                I64,
                super::trusted_readonly(),
                slots,
                Symbols::import_pointer_offset(table),
            );
            (ptr, 0)
        } else {
            let tables = self.data_address(self.syms.tables);
            (tables, Symbols::table_offset(table))
        };
        self.builder
            .ins()
            .load(I64, flags, state, offset + field_offset as i32)
    }

    /// The address of element `index` (an `i32`, or an `i64` for a 64-bit
    /// table) of `table`, trapping with `trap` when it is out of bounds.
    fn translate_table_element_address(
        &mut self,
        table: u32,
        index: Value,
        trap: Trap,
    ) -> Result<Value> {
        let table64 = self.table64(table)?;
        let index = self.table_operand(table64, index);
        let length = self.table_length(table);
        let out_of_bounds =
            self.builder
                .ins()
                .icmp(IntCC::UnsignedGreaterThanOrEqual, index, length);
        self.builder.ins().trapnz(out_of_bounds, trap_code(trap));
        let base = self.load_table_field(table, offset_of!(VMTable, base));
        let scaled = self.builder.ins().ishl_imm_u(index, 3);
        Ok(self.builder.ins().iadd(base, scaled))
    }

    pub(super) fn translate_table_get(&mut self, table: u32) -> Result<()> {
        let index = self.pop()?;
        let addr = self.translate_table_element_address(table, index, Trap::TableOutOfBounds)?;
        let v = self
            .builder
            .ins()
            .load(I64, MemFlagsData::trusted(), addr, 0);
        self.push(v);
        Ok(())
    }

    pub(super) fn translate_table_set(&mut self, table: u32) -> Result<()> {
        let (index, value) = self.pop2()?;
        let addr = self.translate_table_element_address(table, index, Trap::TableOutOfBounds)?;
        self.builder
            .ins()
            .store(MemFlagsData::trusted(), value, addr, 0);
        Ok(())
    }

    pub(super) fn translate_table_size(&mut self, table: u32) -> Result<()> {
        let table64 = self.table64(table)?;
        let length = self.table_length(table);
        let v = self.table_result(table64, length);
        self.push(v);
        Ok(())
    }

    pub(super) fn translate_table_grow(&mut self, table: u32) -> Result<()> {
        let table64 = self.table64(table)?;
        let (init, delta) = self.pop2()?;
        let delta = self.table_operand(table64, delta);
        let table = self.builder.ins().iconst(I32, i64::from(table));
        let old = self.translate_builtin_call(Builtin::TableGrow, &[table, init, delta])?;
        let old = self.table_result(table64, old[0]);
        self.push(old);
        Ok(())
    }

    pub(super) fn translate_table_fill(&mut self, table: u32) -> Result<()> {
        let table64 = self.table64(table)?;
        let (dst, value, len) = self.pop3()?;
        let dst = self.table_operand(table64, dst);
        let len = self.table_operand(table64, len);
        let table = self.builder.ins().iconst(I32, i64::from(table));
        self.translate_builtin_call(Builtin::TableFill, &[table, dst, value, len])?;
        Ok(())
    }

    /// `table.copy`: the length is an `i64` only when both tables are
    /// 64-bit.
    pub(super) fn translate_table_copy(&mut self, dst_table: u32, src_table: u32) -> Result<()> {
        let dst64 = self.table64(dst_table)?;
        let src64 = self.table64(src_table)?;
        let (dst, src, len) = self.pop3()?;
        let dst = self.table_operand(dst64, dst);
        let src = self.table_operand(src64, src);
        let len = self.table_operand(dst64 && src64, len);
        let dst_table = self.builder.ins().iconst(I32, i64::from(dst_table));
        let src_table = self.builder.ins().iconst(I32, i64::from(src_table));
        self.translate_builtin_call(Builtin::TableCopy, &[dst_table, src_table, dst, src, len])?;
        Ok(())
    }

    pub(super) fn translate_table_init(&mut self, elem: u32, table: u32) -> Result<()> {
        let table64 = self.table64(table)?;
        let (dst, src, len) = self.pop3()?;
        let dst = self.table_operand(table64, dst);
        let table = self.builder.ins().iconst(I32, i64::from(table));
        let elem = self.builder.ins().iconst(I32, i64::from(elem));
        self.translate_builtin_call(Builtin::TableInit, &[table, elem, dst, src, len])?;
        Ok(())
    }

    pub(super) fn translate_elem_drop(&mut self, elem: u32) -> Result<()> {
        let elem = self.builder.ins().iconst(I32, i64::from(elem));
        self.translate_builtin_call(Builtin::ElemDrop, &[elem])?;
        Ok(())
    }

    /// `ref.func`: the address of the function's `VMFuncRef`.
    pub(super) fn translate_ref_func(&mut self, func: FuncIndex) -> Result<Value> {
        if func as usize >= self.env.funcs.len() {
            return Err(self.internal("function index out of range"));
        }
        let funcrefs = self.data_address(self.syms.funcrefs);
        Ok(self
            .builder
            .ins()
            .iadd_imm_u(funcrefs, i64::from(Symbols::funcref_offset(func))))
    }

    /// `call_indirect` and `return_call_indirect`: bounds, null and
    /// signature checks, then a call through `VMFuncRef::code`.
    pub(super) fn translate_call_indirect(
        &mut self,
        ty: TypeIndex,
        table: u32,
        tail: bool,
    ) -> Result<()> {
        let index = self.pop()?;
        let params = self.func_type(ty)?.params().len();
        let args = self.popn(params)?;

        let addr = self.translate_table_element_address(table, index, Trap::UndefinedElement)?;
        let flags = MemFlagsData::trusted();
        let funcref = self.builder.ins().load(I64, flags, addr, 0);
        // A null element is caught by the type-id load itself: it reads
        // address 8, in the never-mapped first page, and that load's trap
        // code is "uninitialized element". No separate null test.
        let null_traps = MemFlagsData::new()
            .with_aligned()
            .with_readonly()
            .with_trap_code(Some(trap_code(Trap::UninitializedElement)));
        let actual = self.builder.ins().load(
            I32,
            null_traps,
            funcref,
            offset_of!(VMFuncRef, type_id) as i32,
        );
        let type_ids = self.data_address(self.syms.type_ids);
        let expected = self.builder.ins().load(
            I32,
            super::trusted_readonly(),
            type_ids,
            Symbols::type_id_offset(ty),
        );
        let mismatch = self.builder.ins().icmp(IntCC::NotEqual, actual, expected);
        self.builder
            .ins()
            .trapnz(mismatch, trap_code(Trap::IndirectCallTypeMismatch));
        let code = self.builder.ins().load(
            I64,
            flags.with_readonly(),
            funcref,
            offset_of!(VMFuncRef, code) as i32,
        );

        let sig = self.wasm_sig(ty)?;
        if tail {
            self.builder.ins().return_call_indirect(sig, code, &args);
            self.reachable = false;
        } else if self.in_try_scope() {
            let results =
                self.translate_try_call(super::exceptions::Callee::Indirect(sig, code), &args)?;
            self.stack.extend(results);
        } else {
            let call = self.builder.ins().call_indirect(sig, code, &args);
            let results = self.builder.inst_results(call).to_vec();
            self.stack.extend(results);
        }
        Ok(())
    }
}
