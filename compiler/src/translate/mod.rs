//! Translation of one wasm function body to Cranelift IR.
//!
//! The translator walks the operators once, validating each with the
//! module's `FuncValidator` before translating it, and keeps two stacks: the
//! wasm operand stack as SSA [`Value`]s and a control stack of
//! [`control::ControlFrame`]s. Locals are cranelift-frontend `Variable`s, so
//! SSA construction (block parameters at merges) is left to the frontend.
//!
//! Files: this one holds the driver and the state shared by all operators
//! (operand stack, symbols, cached signatures); `code.rs` is the single
//! operator `match`; `control.rs` blocks and branches; `calls.rs` direct,
//! indirect and builtin calls; `memory.rs` linear memory and globals;
//! `bulk.rs` `memory.copy` and `memory.fill` of short constant lengths;
//! `table.rs` tables and references; `simd.rs` the v128 operators;
//! `exceptions.rs` `try_table`, `throw` and `throw_ref`; `atomics.rs` the
//! threads proposal's atomic instructions (on unshared memories).
//!
//! Invariants:
//! - No function takes a vmctx parameter: all per-instance state lives in
//!   data objects of the compiled object and is reached through
//!   `symbol_value` of a colocated symbol (see `crate::env`). The vmctx
//!   address and the base of every memory are computed once, in the entry
//!   block, so they dominate every use; the base loads are `readonly` +
//!   `can_move` (bases never move) and disappear when unused. An
//!   executable's memory 0 has its base as a constant instead
//!   (`Symbols::memory0_at`), which x86-64 folds into every access as
//!   `[index + disp32]`.
//! - Accesses to 32-bit memories carry no bounds check: each lives in a
//!   reservation larger than any reachable address (`MEMORY32_RESERVATION`),
//!   so an out-of-bounds access faults on a guard page and the faulting
//!   instruction is in the trap table (`HEAP_OUT_OF_BOUNDS`). Accesses to
//!   64-bit memories are checked against the current length first.
//! - Every v128 value on the operand stack, in locals, block parameters and
//!   signatures is typed `I8X16`; SIMD operators bitcast to their lane type
//!   on the way in and back on the way out.
//! - Code after `unreachable`, `br`, `br_table`, `return` up to the matching
//!   `else`/`end` is validated but not translated.
//! - Bad input never panics: validation errors become
//!   `CompileError::Invalid`, unknown operators `CompileError::Unsupported`,
//!   and an internal inconsistency `CompileError::Codegen`.

mod atomics;
mod bulk;
mod calls;
mod code;
mod control;
mod exceptions;
mod memory;
mod simd;
mod table;
#[cfg(test)]
mod tests;

use crate::env::{
    FuncIndex, ModuleEnv, Symbols, TypeIndex, WASM_CALL_CONV, abi_signature, clif_type,
    wasm_signature,
};
use crate::error::{CompileError, Result};
use control::ControlFrame;
use cranelift_codegen::ir::immediates::{Ieee32, Ieee64, Imm64};
use cranelift_codegen::ir::types::{I8X16, I32, I64};
use cranelift_codegen::ir::{
    self, BlockArg, ConstantData, FuncRef, GlobalValue, InstBuilder, MemFlagsData, SigRef, Value,
};
use cranelift_codegen::isa::TargetIsa;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use cranelift_module::{DataId, FuncId};
use std::collections::HashMap;
use std::mem::offset_of;
use wasi_aot_abi::{Builtin, VMContext, VMMemory};
use wasmparser::{FuncValidator, FunctionBody, ValType, ValidatorResources};

/// Translates defined function `func` (a function index, not a defined
/// index) to CLIF, validating every operator as it goes.
pub fn translate_function(
    env: &ModuleEnv,
    syms: &Symbols,
    isa: &dyn TargetIsa,
    func: FuncIndex,
    body: &FunctionBody,
    validator: &mut FuncValidator<ValidatorResources>,
) -> Result<ir::Function> {
    let (Some(&type_index), Some(id)) =
        (env.funcs.get(func as usize), syms.funcs.get(func as usize))
    else {
        return Err(CompileError::Codegen {
            func,
            message: "function index out of range".into(),
        });
    };
    let ty = env
        .types
        .get(type_index as usize)
        .ok_or(CompileError::Codegen {
            func,
            message: "type index out of range".into(),
        })?;
    let name = ir::UserFuncName::user(0, id.as_u32());
    let mut function = ir::Function::with_name_signature(name, wasm_signature(ty, WASM_CALL_CONV));
    let mut ctx = FunctionBuilderContext::new();
    let builder = FunctionBuilder::new(&mut function, &mut ctx);
    let mut translator = FuncTranslator::new(env, syms, func, builder);
    translator.translate_body(body, validator)?;
    translator.builder.finalize(isa.frontend_config());
    Ok(function)
}

/// Memory flags for data that never changes once the program runs (builtin
/// addresses, import slots, type ids, the memory base): may be hoisted and
/// shared.
fn trusted_readonly() -> MemFlagsData {
    MemFlagsData::trusted().with_readonly().with_can_move()
}

/// Where one linear memory is, as seen from a function's code.
#[derive(Clone, Copy)]
struct MemoryPlace {
    /// Address of byte 0 (never moves).
    base: Value,
    /// Where the memory's `VMMemory` is: an address and an offset from it
    /// (the vmctx for a defined memory 0, the `memories` data object for
    /// another defined memory, the imported pointer otherwise).
    state: (Value, i32),
    /// Whether addresses are `i64` (memory64).
    index64: bool,
}

/// The state of one function's translation.
pub(crate) struct FuncTranslator<'a, 'f> {
    env: &'a ModuleEnv<'a>,
    syms: &'a Symbols,
    func_index: FuncIndex,
    builder: FunctionBuilder<'f>,
    /// The wasm operand stack.
    stack: Vec<Value>,
    /// The wasm control stack; the function body is the outermost frame.
    control: Vec<ControlFrame>,
    /// The `try_table`s enclosing the current position, innermost last.
    try_scopes: Vec<exceptions::TryScope>,
    /// Whether the current position is reachable.
    reachable: bool,
    /// Nesting depth of blocks opened inside unreachable code.
    unreachable_depth: u32,
    /// Local `i` is `locals[i]`.
    locals: Vec<Variable>,
    /// Address of the `VMContext`, defined in the entry block.
    vmctx: Option<Value>,
    /// Every memory's base and state, defined in the entry block.
    memories: Vec<MemoryPlace>,
    /// Byte offset of the operator being translated (for errors).
    offset: usize,
    data_symbols: HashMap<DataId, GlobalValue>,
    func_refs: HashMap<FuncIndex, FuncRef>,
    wasm_sigs: HashMap<TypeIndex, SigRef>,
    host_sigs: HashMap<TypeIndex, SigRef>,
    builtin_sigs: HashMap<u32, SigRef>,
}

impl<'a, 'f> FuncTranslator<'a, 'f> {
    fn new(
        env: &'a ModuleEnv<'a>,
        syms: &'a Symbols,
        func_index: FuncIndex,
        builder: FunctionBuilder<'f>,
    ) -> Self {
        FuncTranslator {
            env,
            syms,
            func_index,
            builder,
            stack: Vec::new(),
            control: Vec::new(),
            try_scopes: Vec::new(),
            reachable: true,
            unreachable_depth: 0,
            locals: Vec::new(),
            vmctx: None,
            memories: Vec::new(),
            offset: 0,
            data_symbols: HashMap::new(),
            func_refs: HashMap::new(),
            wasm_sigs: HashMap::new(),
            host_sigs: HashMap::new(),
            builtin_sigs: HashMap::new(),
        }
    }

    /// Translates the locals and operators of `body`.
    fn translate_body(
        &mut self,
        body: &FunctionBody,
        validator: &mut FuncValidator<ValidatorResources>,
    ) -> Result<()> {
        for id in self.syms.data_objects() {
            self.builder
                .func
                .declare_imported_user_function(ir::UserExternalName::new(1, id.as_u32()));
        }
        let entry = self.builder.create_block();
        self.builder.append_block_params_for_function_params(entry);
        self.builder.switch_to_block(entry);
        self.builder.seal_block(entry);
        self.translate_entry_state();

        // Parameters are the first locals.
        let params = self.builder.block_params(entry).to_vec();
        for param in params {
            let ty = self.builder.func.dfg.value_type(param);
            let var = self.builder.declare_var(ty);
            self.builder.def_var(var, param);
            self.locals.push(var);
        }

        // Declared locals, zero-initialised.
        let mut locals = body.get_locals_reader()?;
        for _ in 0..locals.get_count() {
            let offset = locals.original_position();
            let (count, ty) = locals.read()?;
            validator.define_locals(offset, count, ty)?;
            self.offset = offset as usize;
            let zero = self.zero_value(ty);
            for _ in 0..count {
                let var = self.builder.declare_var(clif_type(ty));
                self.builder.def_var(var, zero);
                self.locals.push(var);
            }
        }

        // The body is a block whose results are the function's results.
        let results = self.func_type_of(self.func_index)?.results().to_vec();
        let exit = self.create_block_with_params(&results);
        self.control
            .push(ControlFrame::block(exit, 0, 0, results.len()));

        let mut reader = body.get_operators_reader()?;
        while !reader.eof() {
            let (op, offset) = reader.read_with_offset()?;
            validator.op(offset, &op)?;
            self.offset = offset as usize;
            self.builder.set_srcloc(ir::SourceLoc::new(
                u32::try_from(offset).unwrap_or(u32::MAX),
            ));
            if self.reachable {
                self.translate_operator(&op)?;
            } else {
                self.translate_unreachable_operator(&op)?;
            }
        }
        reader.finish()?;
        if !self.control.is_empty() {
            return Err(self.internal("control frames left at the end of the body"));
        }
        Ok(())
    }

    /// Defines the values every block may use: the vmctx address, and for
    /// each memory the location of its state and its base.
    fn translate_entry_state(&mut self) {
        let vmctx = self.data_address(self.syms.vmctx);
        self.vmctx = Some(vmctx);
        for (i, memory) in self.env.memories.iter().enumerate() {
            let i = i as u32;
            let state = if self.env.is_imported_memory(i) {
                let slots = self.data_address(self.syms.memory_states);
                let ptr = self.builder.ins().load(
                    I64,
                    trusted_readonly(),
                    slots,
                    Symbols::import_pointer_offset(i),
                );
                (ptr, 0)
            } else if i == 0 {
                (vmctx, offset_of!(VMContext, memory) as i32)
            } else {
                let memories = self.data_address(self.syms.memories);
                (memories, Symbols::memory_offset(i))
            };
            let base = match self.syms.memory0_at {
                // A constant: the instruction selector folds it into each
                // access's displacement, so no register holds the base.
                Some(address) if i == 0 && !self.env.is_imported_memory(0) => {
                    self.iconst64(address as i64)
                }
                _ => {
                    let offset = state.1 + offset_of!(VMMemory, base) as i32;
                    self.builder
                        .ins()
                        .load(I64, trusted_readonly(), state.0, offset)
                }
            };
            self.memories.push(MemoryPlace {
                base,
                state,
                index64: memory.memory64,
            });
        }
    }

    // ---- Errors ---------------------------------------------------------

    /// An internal inconsistency: a compiler bug, never a user error.
    fn internal(&self, message: &str) -> CompileError {
        CompileError::Codegen {
            func: self.func_index,
            message: format!("{message} (at offset {})", self.offset),
        }
    }

    fn unsupported(&self, what: impl Into<String>) -> CompileError {
        CompileError::unsupported(what, self.offset)
    }

    // ---- Operand stack --------------------------------------------------

    fn push(&mut self, value: Value) {
        self.stack.push(value);
    }

    fn pop(&mut self) -> Result<Value> {
        self.stack
            .pop()
            .ok_or_else(|| self.internal("operand stack underflow"))
    }

    fn pop2(&mut self) -> Result<(Value, Value)> {
        let b = self.pop()?;
        let a = self.pop()?;
        Ok((a, b))
    }

    fn pop3(&mut self) -> Result<(Value, Value, Value)> {
        let c = self.pop()?;
        let (a, b) = self.pop2()?;
        Ok((a, b, c))
    }

    fn peek(&self) -> Result<Value> {
        self.stack
            .last()
            .copied()
            .ok_or_else(|| self.internal("operand stack underflow"))
    }

    /// The top `n` values, bottom first.
    fn peekn(&self, n: usize) -> Result<&[Value]> {
        let len = self.stack.len();
        if n > len {
            return Err(self.internal("operand stack underflow"));
        }
        Ok(&self.stack[len - n..])
    }

    /// Pops the top `n` values, bottom first.
    fn popn(&mut self, n: usize) -> Result<Vec<Value>> {
        let len = self.stack.len();
        if n > len {
            return Err(self.internal("operand stack underflow"));
        }
        Ok(self.stack.split_off(len - n))
    }

    /// The top `n` values as branch arguments.
    fn branch_args(&self, n: usize) -> Result<Vec<BlockArg>> {
        Ok(self
            .peekn(n)?
            .iter()
            .copied()
            .map(BlockArg::Value)
            .collect())
    }

    /// Applies a one-operand instruction to the top of the stack.
    fn unop(&mut self, f: impl FnOnce(&mut FunctionBuilder, Value) -> Value) -> Result<()> {
        let a = self.pop()?;
        let r = f(&mut self.builder, a);
        self.push(r);
        Ok(())
    }

    /// Applies a two-operand instruction to the top of the stack.
    fn binop(&mut self, f: impl FnOnce(&mut FunctionBuilder, Value, Value) -> Value) -> Result<()> {
        let (a, b) = self.pop2()?;
        let r = f(&mut self.builder, a, b);
        self.push(r);
        Ok(())
    }

    // ---- Types and values -----------------------------------------------

    fn func_type_of(&self, func: FuncIndex) -> Result<&'a wasmparser::FuncType> {
        let ty = self
            .env
            .funcs
            .get(func as usize)
            .ok_or_else(|| self.internal("function index out of range"))?;
        self.func_type(*ty)
    }

    fn func_type(&self, ty: TypeIndex) -> Result<&'a wasmparser::FuncType> {
        self.env
            .types
            .get(ty as usize)
            .ok_or_else(|| self.internal("type index out of range"))
    }

    /// The zero value of a wasm type (null for references).
    fn zero_value(&mut self, ty: ValType) -> Value {
        match ty {
            ValType::I32 => self.builder.ins().iconst(I32, 0),
            ValType::I64 | ValType::Ref(_) => self.builder.ins().iconst(I64, 0),
            ValType::F32 => self.builder.ins().f32const(Ieee32::with_bits(0)),
            ValType::F64 => self.builder.ins().f64const(Ieee64::with_bits(0)),
            ValType::V128 => self.v128_const(0),
        }
    }

    /// A v128 constant (typed `I8X16`).
    fn v128_const(&mut self, bits: u128) -> Value {
        let data = ConstantData::from(bits.to_le_bytes().to_vec());
        let handle = self.builder.func.dfg.constants.insert(data);
        self.builder.ins().vconst(I8X16, handle)
    }

    fn create_block_with_params(&mut self, tys: &[ValType]) -> ir::Block {
        let block = self.builder.create_block();
        for ty in tys {
            self.builder.append_block_param(block, clif_type(*ty));
        }
        block
    }

    // ---- Symbols and signatures -----------------------------------------

    /// The address of a data object of the compiled object: a static
    /// symbol, or in a static library for a per-instance object, the pinned
    /// register (the instance block) plus the object's offset.
    fn data_address(&mut self, id: DataId) -> Value {
        if let Some(offset) = self.syms.instance_offset(id) {
            let block = self.builder.ins().get_pinned_reg(I64);
            return self.builder.ins().iadd_imm_u(block, i64::from(offset));
        }
        let gv = match self.data_symbols.get(&id) {
            Some(gv) => *gv,
            None => {
                let name = self
                    .builder
                    .func
                    .declare_imported_user_function(ir::UserExternalName::new(1, id.as_u32()));
                let gv = self
                    .builder
                    .create_global_value(ir::GlobalValueData::Symbol {
                        name: ir::ExternalName::user(name),
                        offset: Imm64::new(0),
                        colocated: true,
                        tls: false,
                    });
                self.data_symbols.insert(id, gv);
                gv
            }
        };
        self.builder.ins().symbol_value(I64, gv)
    }

    fn vmctx(&self) -> Result<Value> {
        self.vmctx.ok_or_else(|| self.internal("vmctx not set up"))
    }

    /// The `tail`-convention signature of wasm type `ty`.
    fn wasm_sig(&mut self, ty: TypeIndex) -> Result<SigRef> {
        if let Some(sig) = self.wasm_sigs.get(&ty) {
            return Ok(*sig);
        }
        let sig = wasm_signature(self.func_type(ty)?, WASM_CALL_CONV);
        let sig = self.builder.import_signature(sig);
        self.wasm_sigs.insert(ty, sig);
        Ok(sig)
    }

    /// The host-convention signature of wasm type `ty` (imported functions).
    fn host_sig(&mut self, ty: TypeIndex) -> Result<SigRef> {
        if let Some(sig) = self.host_sigs.get(&ty) {
            return Ok(*sig);
        }
        let sig = wasm_signature(self.func_type(ty)?, crate::env::HOST_CALL_CONV);
        let sig = self.builder.import_signature(sig);
        self.host_sigs.insert(ty, sig);
        Ok(sig)
    }

    fn builtin_sig(&mut self, builtin: Builtin) -> SigRef {
        let key = builtin as u32;
        if let Some(sig) = self.builtin_sigs.get(&key) {
            return *sig;
        }
        let sig = self
            .builder
            .import_signature(abi_signature(builtin.signature()));
        self.builtin_sigs.insert(key, sig);
        sig
    }

    /// The `FuncRef` for a direct call to defined function `func`.
    fn func_ref(&mut self, func: FuncIndex) -> Result<FuncRef> {
        if let Some(r) = self.func_refs.get(&func) {
            return Ok(*r);
        }
        let id: FuncId = *self
            .syms
            .funcs
            .get(func as usize)
            .ok_or_else(|| self.internal("function symbol out of range"))?;
        let ty = self.env.funcs[func as usize];
        let signature = self.wasm_sig(ty)?;
        Ok(self.import_func(func, id, signature, true))
    }

    /// Declares function symbol `id` with `signature` in the function being
    /// translated, as the reference calls to wasm function `func` use.
    fn import_func(
        &mut self,
        func: FuncIndex,
        id: FuncId,
        signature: SigRef,
        colocated: bool,
    ) -> FuncRef {
        let name = self
            .builder
            .func
            .declare_imported_user_function(ir::UserExternalName::new(0, id.as_u32()));
        let r = self.builder.import_function(ir::ExtFuncData {
            name: ir::ExternalName::user(name),
            signature,
            colocated,
            patchable: false,
        });
        self.func_refs.insert(func, r);
        r
    }

    /// Integer constant helper for 64-bit address arithmetic.
    fn iconst64(&mut self, v: i64) -> Value {
        self.builder.ins().iconst(I64, v)
    }

    /// Narrows an `I64` to `I32`.
    fn ireduce32(&mut self, v: Value) -> Value {
        self.builder.ins().ireduce(I32, v)
    }

    /// Zero-extends an `I32` to `I64`.
    fn uextend64(&mut self, v: Value) -> Value {
        self.builder.ins().uextend(I64, v)
    }
}
