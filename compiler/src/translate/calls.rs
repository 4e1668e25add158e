//! Direct calls, tail calls and calls to runtime builtins.
//!
//! - A defined callee is a colocated `call` in the `tail` convention.
//! - An imported callee's address is loaded from the `import_slots` data
//!   object (written before anything runs, hence `readonly`) and called
//!   indirectly. A WASI import is a host C function: a `return_call` to it
//!   is an ordinary call followed by a return, since the conventions differ;
//!   host functions do not recurse into wasm, so the stack cannot grow
//!   without bound through them. Any other import is another instance's
//!   wasm function, called (and tail-called) in the `tail` convention.
//! - In a static library a non-WASI import is the application's C function
//!   `NAME_import_<module>_<name>`, called directly with the instance
//!   handle (the pinned register) before the wasm arguments; one with v128
//!   values or several results is called through its import thunk, which
//!   passes them in memory as the C signature has them.
//! - Builtins are C functions whose addresses the runtime stores in
//!   `VMContext::builtins`; they take the vmctx address first.

use super::FuncTranslator;
use super::exceptions::Callee;
use crate::env::{self, FuncIndex, Symbols};
use crate::error::Result;
use cranelift_codegen::ir::types::I64;
use cranelift_codegen::ir::{FuncRef, InstBuilder, Value};
use cranelift_module::FuncId;
use std::mem::offset_of;
use wasi_aot_abi::{Builtin, VMContext};

impl FuncTranslator<'_, '_> {
    /// Emits the call for `callee` with `args`, returning its results. A
    /// call to a wasm function inside a `try_table` is a `try_call`.
    fn emit_direct_call(&mut self, callee: FuncIndex, args: &[Value]) -> Result<Vec<Value>> {
        let ty = *self
            .env
            .funcs
            .get(callee as usize)
            .ok_or_else(|| self.internal("function index out of range"))?;
        let call = if let Some(id) = self.syms.host_import(callee) {
            if env::c_passes_values(self.func_type(ty)?) {
                let func_ref = self.application_import(callee, id)?;
                let block = self.builder.ins().get_pinned_reg(I64);
                let mut all = Vec::with_capacity(args.len() + 1);
                all.push(block);
                all.extend_from_slice(args);
                self.builder.ins().call(func_ref, &all)
            } else {
                // The import's thunk passes the values as C has them.
                let func_ref = self.func_ref(callee)?;
                self.builder.ins().call(func_ref, args)
            }
        } else if self.env.is_imported(callee) {
            let host = self.env.func_imports[callee as usize].is_host();
            let sig = if host {
                self.host_sig(ty)?
            } else {
                self.wasm_sig(ty)?
            };
            let addr = self.import_address(callee);
            if !host && self.in_try_scope() {
                return self.translate_try_call(Callee::Indirect(sig, addr), args);
            }
            self.builder.ins().call_indirect(sig, addr, args)
        } else {
            let func_ref = self.func_ref(callee)?;
            if self.in_try_scope() {
                return self.translate_try_call(Callee::Direct(func_ref), args);
            }
            self.builder.ins().call(func_ref, args)
        };
        Ok(self.builder.inst_results(call).to_vec())
    }

    /// The `FuncRef` of the application function `id` a static library's
    /// import `callee` calls (a symbol the application defines, so not
    /// colocated: PIC code reaches it through the GOT or PLT).
    fn application_import(&mut self, callee: FuncIndex, id: FuncId) -> Result<FuncRef> {
        if let Some(r) = self.func_refs.get(&callee) {
            return Ok(*r);
        }
        let sig = env::c_api_signature(self.func_type_of(callee)?);
        let signature = self.builder.import_signature(sig);
        Ok(self.import_func(callee, id, signature, false))
    }

    /// Loads imported function `callee`'s address from `import_slots`.
    fn import_address(&mut self, callee: FuncIndex) -> Value {
        let slots = self.data_address(self.syms.import_slots);
        self.builder.ins().load(
            I64,
            super::trusted_readonly(),
            slots,
            Symbols::import_slot_offset(callee),
        )
    }

    pub(super) fn translate_call(&mut self, callee: FuncIndex) -> Result<()> {
        let params = self.func_type_of(callee)?.params().len();
        let args = self.popn(params)?;
        let results = self.emit_direct_call(callee, &args)?;
        self.stack.extend(results);
        Ok(())
    }

    pub(super) fn translate_return_call(&mut self, callee: FuncIndex) -> Result<()> {
        let params = self.func_type_of(callee)?.params().len();
        let args = self.popn(params)?;
        let host = self.env.is_imported(callee)
            && (self.env.func_imports[callee as usize].is_host()
                || self.syms.host_import(callee).is_some());
        if host {
            let results = self.emit_direct_call(callee, &args)?;
            self.builder.ins().return_(&results);
        } else if self.env.is_imported(callee) {
            let ty = self.env.funcs[callee as usize];
            let sig = self.wasm_sig(ty)?;
            let addr = self.import_address(callee);
            self.builder.ins().return_call_indirect(sig, addr, &args);
        } else {
            let func_ref = self.func_ref(callee)?;
            self.builder.ins().return_call(func_ref, &args);
        }
        self.reachable = false;
        Ok(())
    }

    /// Calls `builtin` with the vmctx address followed by `args`; returns its
    /// results.
    pub(super) fn translate_builtin_call(
        &mut self,
        builtin: Builtin,
        args: &[Value],
    ) -> Result<Vec<Value>> {
        let vmctx = self.vmctx()?;
        let offset = offset_of!(VMContext, builtins) + 8 * builtin as usize;
        let addr = self
            .builder
            .ins()
            .load(I64, super::trusted_readonly(), vmctx, offset as i32);
        let sig = self.builtin_sig(builtin);
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(vmctx);
        all.extend_from_slice(args);
        let call = self.builder.ins().call_indirect(sig, addr, &all);
        let results = self.builder.inst_results(call).to_vec();
        if results.len() != usize::from(builtin.signature().result.is_some()) {
            return Err(self.internal("builtin result count"));
        }
        Ok(results)
    }
}
