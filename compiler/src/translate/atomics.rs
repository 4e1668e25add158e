//! The threads proposal's atomic instructions, on unshared memories.
//!
//! A shared memory is refused at parse time (`parse::check_memory_type`),
//! so every memory an atomic instruction names is unshared, and an
//! instance runs on one thread: nothing can observe a memory between two
//! instructions. An atomic load, store or read-modify-write is therefore
//! compiled as the plain load, store, or load-compute-store it stands for,
//! with the same bounds handling as any access (`memory.rs`), and
//! `atomic.fence` as nothing. Lock-prefixed instructions would give the
//! same results more slowly.
//!
//! What the proposal adds to a plain access is kept:
//! - **Alignment**: the effective address (`index + offset`) of an access
//!   of `n` bytes must be a multiple of `n`, else the instruction traps
//!   with "unaligned atomic" before it touches memory. The check comes
//!   before the bounds check, as in wasmtime, so an address both unaligned
//!   and out of bounds reports "unaligned atomic". Only the low bits of
//!   `index + offset` matter, so the sum may wrap.
//! - **Narrow forms** zero-extend what they read (`_u`); a narrow
//!   `cmpxchg` compares the wrapped expected value with the bytes in memory.
//! - **`memory.atomic.notify`** checks its address (alignment, bounds) and
//!   returns 0: no thread can wait on an unshared memory.
//! - **`memory.atomic.wait32`/`wait64`** check their address and then trap
//!   with "expected shared memory", as the proposal says for an unshared
//!   memory (the waiter could never be woken).

use super::FuncTranslator;
use super::code::{LoadKind, StoreKind};
use super::memory::heap_flags;
use crate::env::trap_code;
use crate::error::Result;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::{InstBuilder, Type, Value};
use wasi_aot_abi::Trap;
use wasmparser::{MemArg, Operator};

/// The computation of a read-modify-write.
#[derive(Clone, Copy)]
enum RmwOp {
    Add,
    Sub,
    And,
    Or,
    Xor,
    Xchg,
}

impl FuncTranslator<'_, '_> {
    /// Translates an atomic operator; hands anything else on to the SIMD
    /// translator.
    pub(super) fn translate_atomic_operator(&mut self, op: &Operator) -> Result<()> {
        use Operator::*;
        use RmwOp::*;
        match op {
            // ---- Loads and stores ------------------------------------------
            I32AtomicLoad { memarg } => self.translate_atomic_load(memarg, LoadKind::Plain(I32))?,
            I64AtomicLoad { memarg } => self.translate_atomic_load(memarg, LoadKind::Plain(I64))?,
            I32AtomicLoad8U { memarg } => {
                self.translate_atomic_load(memarg, LoadKind::Zext8(I32))?
            }
            I32AtomicLoad16U { memarg } => {
                self.translate_atomic_load(memarg, LoadKind::Zext16(I32))?
            }
            I64AtomicLoad8U { memarg } => {
                self.translate_atomic_load(memarg, LoadKind::Zext8(I64))?
            }
            I64AtomicLoad16U { memarg } => {
                self.translate_atomic_load(memarg, LoadKind::Zext16(I64))?
            }
            I64AtomicLoad32U { memarg } => self.translate_atomic_load(memarg, LoadKind::Zext32)?,
            I32AtomicStore { memarg } => {
                self.translate_atomic_store(memarg, StoreKind::Plain, 4)?
            }
            I64AtomicStore { memarg } => {
                self.translate_atomic_store(memarg, StoreKind::Plain, 8)?
            }
            I32AtomicStore8 { memarg } | I64AtomicStore8 { memarg } => {
                self.translate_atomic_store(memarg, StoreKind::Narrow8, 1)?
            }
            I32AtomicStore16 { memarg } | I64AtomicStore16 { memarg } => {
                self.translate_atomic_store(memarg, StoreKind::Narrow16, 2)?
            }
            I64AtomicStore32 { memarg } => {
                self.translate_atomic_store(memarg, StoreKind::Narrow32, 4)?
            }

            // ---- Read-modify-write -----------------------------------------
            I32AtomicRmwAdd { memarg } => self.translate_atomic_rmw(memarg, I32, 4, Add)?,
            I64AtomicRmwAdd { memarg } => self.translate_atomic_rmw(memarg, I64, 8, Add)?,
            I32AtomicRmw8AddU { memarg } => self.translate_atomic_rmw(memarg, I32, 1, Add)?,
            I32AtomicRmw16AddU { memarg } => self.translate_atomic_rmw(memarg, I32, 2, Add)?,
            I64AtomicRmw8AddU { memarg } => self.translate_atomic_rmw(memarg, I64, 1, Add)?,
            I64AtomicRmw16AddU { memarg } => self.translate_atomic_rmw(memarg, I64, 2, Add)?,
            I64AtomicRmw32AddU { memarg } => self.translate_atomic_rmw(memarg, I64, 4, Add)?,
            I32AtomicRmwSub { memarg } => self.translate_atomic_rmw(memarg, I32, 4, Sub)?,
            I64AtomicRmwSub { memarg } => self.translate_atomic_rmw(memarg, I64, 8, Sub)?,
            I32AtomicRmw8SubU { memarg } => self.translate_atomic_rmw(memarg, I32, 1, Sub)?,
            I32AtomicRmw16SubU { memarg } => self.translate_atomic_rmw(memarg, I32, 2, Sub)?,
            I64AtomicRmw8SubU { memarg } => self.translate_atomic_rmw(memarg, I64, 1, Sub)?,
            I64AtomicRmw16SubU { memarg } => self.translate_atomic_rmw(memarg, I64, 2, Sub)?,
            I64AtomicRmw32SubU { memarg } => self.translate_atomic_rmw(memarg, I64, 4, Sub)?,
            I32AtomicRmwAnd { memarg } => self.translate_atomic_rmw(memarg, I32, 4, And)?,
            I64AtomicRmwAnd { memarg } => self.translate_atomic_rmw(memarg, I64, 8, And)?,
            I32AtomicRmw8AndU { memarg } => self.translate_atomic_rmw(memarg, I32, 1, And)?,
            I32AtomicRmw16AndU { memarg } => self.translate_atomic_rmw(memarg, I32, 2, And)?,
            I64AtomicRmw8AndU { memarg } => self.translate_atomic_rmw(memarg, I64, 1, And)?,
            I64AtomicRmw16AndU { memarg } => self.translate_atomic_rmw(memarg, I64, 2, And)?,
            I64AtomicRmw32AndU { memarg } => self.translate_atomic_rmw(memarg, I64, 4, And)?,
            I32AtomicRmwOr { memarg } => self.translate_atomic_rmw(memarg, I32, 4, Or)?,
            I64AtomicRmwOr { memarg } => self.translate_atomic_rmw(memarg, I64, 8, Or)?,
            I32AtomicRmw8OrU { memarg } => self.translate_atomic_rmw(memarg, I32, 1, Or)?,
            I32AtomicRmw16OrU { memarg } => self.translate_atomic_rmw(memarg, I32, 2, Or)?,
            I64AtomicRmw8OrU { memarg } => self.translate_atomic_rmw(memarg, I64, 1, Or)?,
            I64AtomicRmw16OrU { memarg } => self.translate_atomic_rmw(memarg, I64, 2, Or)?,
            I64AtomicRmw32OrU { memarg } => self.translate_atomic_rmw(memarg, I64, 4, Or)?,
            I32AtomicRmwXor { memarg } => self.translate_atomic_rmw(memarg, I32, 4, Xor)?,
            I64AtomicRmwXor { memarg } => self.translate_atomic_rmw(memarg, I64, 8, Xor)?,
            I32AtomicRmw8XorU { memarg } => self.translate_atomic_rmw(memarg, I32, 1, Xor)?,
            I32AtomicRmw16XorU { memarg } => self.translate_atomic_rmw(memarg, I32, 2, Xor)?,
            I64AtomicRmw8XorU { memarg } => self.translate_atomic_rmw(memarg, I64, 1, Xor)?,
            I64AtomicRmw16XorU { memarg } => self.translate_atomic_rmw(memarg, I64, 2, Xor)?,
            I64AtomicRmw32XorU { memarg } => self.translate_atomic_rmw(memarg, I64, 4, Xor)?,
            I32AtomicRmwXchg { memarg } => self.translate_atomic_rmw(memarg, I32, 4, Xchg)?,
            I64AtomicRmwXchg { memarg } => self.translate_atomic_rmw(memarg, I64, 8, Xchg)?,
            I32AtomicRmw8XchgU { memarg } => self.translate_atomic_rmw(memarg, I32, 1, Xchg)?,
            I32AtomicRmw16XchgU { memarg } => self.translate_atomic_rmw(memarg, I32, 2, Xchg)?,
            I64AtomicRmw8XchgU { memarg } => self.translate_atomic_rmw(memarg, I64, 1, Xchg)?,
            I64AtomicRmw16XchgU { memarg } => self.translate_atomic_rmw(memarg, I64, 2, Xchg)?,
            I64AtomicRmw32XchgU { memarg } => self.translate_atomic_rmw(memarg, I64, 4, Xchg)?,
            I32AtomicRmwCmpxchg { memarg } => self.translate_atomic_cmpxchg(memarg, I32, 4)?,
            I64AtomicRmwCmpxchg { memarg } => self.translate_atomic_cmpxchg(memarg, I64, 8)?,
            I32AtomicRmw8CmpxchgU { memarg } => self.translate_atomic_cmpxchg(memarg, I32, 1)?,
            I32AtomicRmw16CmpxchgU { memarg } => self.translate_atomic_cmpxchg(memarg, I32, 2)?,
            I64AtomicRmw8CmpxchgU { memarg } => self.translate_atomic_cmpxchg(memarg, I64, 1)?,
            I64AtomicRmw16CmpxchgU { memarg } => self.translate_atomic_cmpxchg(memarg, I64, 2)?,
            I64AtomicRmw32CmpxchgU { memarg } => self.translate_atomic_cmpxchg(memarg, I64, 4)?,

            // ---- Waiting, notifying, fences ----------------------------------
            MemoryAtomicNotify { memarg } => self.translate_atomic_notify(memarg)?,
            MemoryAtomicWait32 { memarg } => self.translate_atomic_wait(memarg, 4)?,
            MemoryAtomicWait64 { memarg } => self.translate_atomic_wait(memarg, 8)?,
            // One thread: nothing to order against.
            AtomicFence { .. } => {}

            _ => self.translate_simd_operator(op)?,
        }
        Ok(())
    }

    /// Traps with "unaligned atomic" unless `index + offset` is a multiple
    /// of `size` (a power of two). Only the low bits of the sum decide, so
    /// it is computed in the index's own type and may wrap.
    fn translate_atomic_alignment(&mut self, memarg: &MemArg, index: Value, size: u32) {
        if size == 1 {
            return;
        }
        let mask = i64::from(size - 1);
        let low = (memarg.offset as i64) & mask;
        let ins = self.builder.ins();
        let sum = if low == 0 {
            index
        } else {
            ins.iadd_imm_u(index, low)
        };
        let misaligned = self.builder.ins().band_imm_u(sum, mask);
        self.builder
            .ins()
            .trapnz(misaligned, trap_code(Trap::HeapMisaligned));
    }

    /// `*.atomic.load*`: the alignment check, then a plain load.
    fn translate_atomic_load(&mut self, memarg: &MemArg, kind: LoadKind) -> Result<()> {
        let index = self.peek()?;
        self.translate_atomic_alignment(memarg, index, kind.size());
        self.translate_load(memarg, kind)
    }

    /// `*.atomic.store*`: the alignment check, then a plain store.
    fn translate_atomic_store(
        &mut self,
        memarg: &MemArg,
        kind: StoreKind,
        size: u32,
    ) -> Result<()> {
        let index = self.peekn(2)?[0];
        self.translate_atomic_alignment(memarg, index, size);
        self.translate_store(memarg, kind)
    }

    /// Loads the `size` bytes at the checked address of an atomic access,
    /// zero-extended to `ty`; returns them with the address and offset for
    /// the store that follows.
    fn translate_atomic_read(
        &mut self,
        memarg: &MemArg,
        index: Value,
        ty: Type,
        size: u32,
    ) -> Result<(Value, Value, i32)> {
        self.translate_atomic_alignment(memarg, index, size);
        let (addr, offset) = self.translate_heap_address(memarg, index, size)?;
        let flags = heap_flags();
        let ins = self.builder.ins();
        let old = match (size, ty) {
            (1, _) => ins.uload8(ty, flags, addr, offset),
            (2, _) => ins.uload16(ty, flags, addr, offset),
            (4, I64) => ins.uload32(flags, addr, offset),
            _ => ins.load(ty, flags, addr, offset),
        };
        Ok((old, addr, offset))
    }

    /// Stores the low `size` bytes of `value`.
    fn translate_atomic_write(&mut self, value: Value, addr: Value, offset: i32, size: u32) {
        let flags = heap_flags();
        let ty = self.builder.func.dfg.value_type(value);
        let ins = self.builder.ins();
        match (size, ty) {
            (1, _) => ins.istore8(flags, value, addr, offset),
            (2, _) => ins.istore16(flags, value, addr, offset),
            (4, I64) => ins.istore32(flags, value, addr, offset),
            _ => ins.store(flags, value, addr, offset),
        };
    }

    /// `*.atomic.rmw*.<op>`: reads the old value (zero-extended), stores
    /// `old <op> operand` (its low `size` bytes) and returns the old value.
    fn translate_atomic_rmw(
        &mut self,
        memarg: &MemArg,
        ty: Type,
        size: u32,
        op: RmwOp,
    ) -> Result<()> {
        let (index, operand) = self.pop2()?;
        let (old, addr, offset) = self.translate_atomic_read(memarg, index, ty, size)?;
        let ins = self.builder.ins();
        let new = match op {
            RmwOp::Add => ins.iadd(old, operand),
            RmwOp::Sub => ins.isub(old, operand),
            RmwOp::And => ins.band(old, operand),
            RmwOp::Or => ins.bor(old, operand),
            RmwOp::Xor => ins.bxor(old, operand),
            RmwOp::Xchg => operand,
        };
        self.translate_atomic_write(new, addr, offset, size);
        self.push(old);
        Ok(())
    }

    /// `*.atomic.rmw*.cmpxchg*`: reads the old value (zero-extended); if it
    /// equals the expected value wrapped to `size` bytes, stores the
    /// replacement's low bytes, else stores the old value back (the same
    /// bytes: no one can tell); returns the old value.
    fn translate_atomic_cmpxchg(&mut self, memarg: &MemArg, ty: Type, size: u32) -> Result<()> {
        let (index, expected, replacement) = self.pop3()?;
        let (old, addr, offset) = self.translate_atomic_read(memarg, index, ty, size)?;
        let expected = if size < ty.bytes() {
            let mask = (1i64 << (size * 8)) - 1;
            self.builder.ins().band_imm_u(expected, mask)
        } else {
            expected
        };
        let equal = self.builder.ins().icmp(IntCC::Equal, old, expected);
        let new = self.builder.ins().select(equal, replacement, old);
        self.translate_atomic_write(new, addr, offset, size);
        self.push(old);
        Ok(())
    }

    /// Checks the `size`-byte access at `index` that an atomic wait or
    /// notify names, as a load of it does: alignment, then bounds.
    fn translate_atomic_check(&mut self, memarg: &MemArg, index: Value, size: u32) -> Result<()> {
        let ty = if size == 8 { I64 } else { I32 };
        self.translate_atomic_read(memarg, index, ty, size)?;
        Ok(())
    }

    /// `memory.atomic.notify`: wakes no one (no thread can wait on an
    /// unshared memory) and returns 0, once its address is checked.
    fn translate_atomic_notify(&mut self, memarg: &MemArg) -> Result<()> {
        let (index, _count) = self.pop2()?;
        self.translate_atomic_check(memarg, index, 4)?;
        let zero = self.builder.ins().iconst(I32, 0);
        self.push(zero);
        Ok(())
    }

    /// `memory.atomic.wait32`/`wait64` on an unshared memory: the address
    /// is checked, then the instruction traps ("expected shared memory").
    fn translate_atomic_wait(&mut self, memarg: &MemArg, size: u32) -> Result<()> {
        let (index, _expected, _timeout) = self.pop3()?;
        self.translate_atomic_check(memarg, index, size)?;
        self.builder
            .ins()
            .trap(trap_code(Trap::ExpectedSharedMemory));
        self.reachable = false;
        Ok(())
    }
}
