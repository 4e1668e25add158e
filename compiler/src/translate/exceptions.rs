//! Exception handling: `try_table`, `throw`, `throw_ref`.
//!
//! An exception is a [`VMException`] the runtime allocates (`ExnAlloc`
//! builtin): the tag's identity word and the payload values, one 16-byte
//! slot each. An `exnref` is its address. Tags are compared by identity
//! word, loaded from the `tags` data object, so an imported tag matches the
//! exporter's.
//!
//! Tag dispatch is compiled code, never the runtime's: every `try_table`
//! that contains a throwing point gets one *dispatch block* taking the
//! exception, which tests the clauses in order (a tag test is one load and
//! one compare) and branches to the first matching clause's label with the
//! payload (plus the `exnref` for `catch_ref`/`catch_all_ref`); when none
//! matches it passes the exception on to the next enclosing `try_table`'s
//! dispatch block in the same function, and past the outermost one it
//! calls the `Throw` builtin, which searches the callers. So:
//! - `throw`/`throw_ref` inside a `try_table` of the same function jump to
//!   the dispatch block directly; outside any, they call `Throw`;
//! - a call inside a `try_table` (to a wasm function: host functions and
//!   builtins do not throw) is a Cranelift `try_call` whose only exception
//!   handler is the default one, leading to the dispatch block. Cranelift
//!   records the call site (return offset, handler offset, frame size) and
//!   the emitter writes it to the module's `HandlerSite` table, where
//!   `Throw` finds it while walking the frame-pointer chain.
//!
//! The runtime therefore needs no tag knowledge and no unwind tables: it
//! resumes at the innermost handler with the frame's `rbp`, the `rsp` the
//! call site had, and the exception in the first payload register. Calls
//! outside any `try_table` are plain `call`s, so code without `try_table`
//! is exactly what it was before exceptions existed.
//!
//! Memory: a `catch_ref`/`catch_all_ref` clause marks the exception
//! escaped (stores 1 to `VMException::escaped`) as it delivers the
//! `exnref`; a `catch`/`catch_all` clause calls the `ExnFree` builtin after
//! loading the payload, which frees the exception unless it escaped. An
//! escaped exception is never freed: there is no collector to know when
//! the last `exnref` to it is gone.

use super::FuncTranslator;
use crate::env::{Symbols, clif_type, trap_code};
use crate::error::Result;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::{
    self, BlockArg, ExceptionTableData, ExceptionTableItem, InstBuilder, MemFlagsData, SigRef,
    Value,
};
use std::mem::{offset_of, size_of};
use wasi_aot_abi::{Builtin, EXCEPTION_SLOT, Trap, VMException};
use wasmparser::{Catch, TryTable};

/// A `try_table` being translated.
pub(super) struct TryScope {
    /// Position of the `try_table`'s own frame on the control stack.
    frame: usize,
    /// The catch clauses, in order, with their labels resolved to control
    /// stack positions (labels are relative to the frame enclosing the
    /// `try_table`).
    catches: Vec<ResolvedCatch>,
    /// The dispatch block (one `I64` param: the exception), created when
    /// the first throwing point inside needs it.
    dispatch: Option<ir::Block>,
}

#[derive(Clone, Copy)]
struct ResolvedCatch {
    /// `None` for `catch_all`/`catch_all_ref`.
    tag: Option<u32>,
    /// Whether the `exnref` is passed after the payload.
    with_ref: bool,
    /// Control stack position of the target frame.
    target: usize,
}

/// Where a call inside a `try_table` goes.
pub(super) enum Callee {
    Direct(ir::FuncRef),
    Indirect(SigRef, Value),
}

/// Offset of payload slot `i` in a [`VMException`].
fn slot_offset(i: usize) -> i32 {
    (size_of::<VMException>() + i * EXCEPTION_SLOT) as i32
}

impl FuncTranslator<'_, '_> {
    /// `try_table`: a block, plus a scope whose throwing points are
    /// dispatched to its clauses.
    pub(super) fn translate_try_table(&mut self, try_table: &TryTable) -> Result<()> {
        let outside = self.control.len();
        let mut catches = Vec::with_capacity(try_table.catches.len());
        for catch in &try_table.catches {
            let (tag, with_ref, label) = match *catch {
                Catch::One { tag, label } => (Some(tag), false, label),
                Catch::OneRef { tag, label } => (Some(tag), true, label),
                Catch::All { label } => (None, false, label),
                Catch::AllRef { label } => (None, true, label),
            };
            let target = outside
                .checked_sub(label as usize + 1)
                .ok_or_else(|| self.internal("catch label out of range"))?;
            catches.push(ResolvedCatch {
                tag,
                with_ref,
                target,
            });
        }
        self.translate_block(try_table.ty)?;
        self.try_scopes.push(TryScope {
            frame: outside,
            catches,
            dispatch: None,
        });
        Ok(())
    }

    /// Called when the frame at control position `frame` ends: closes its
    /// scope if it is a `try_table`. Every jump to the dispatch block has
    /// been emitted by then, so it is sealed.
    pub(super) fn end_try_scope(&mut self, frame: usize) {
        if self.try_scopes.last().is_some_and(|s| s.frame == frame)
            && let Some(scope) = self.try_scopes.pop()
            && let Some(block) = scope.dispatch
        {
            self.builder.seal_block(block);
        }
    }

    /// Whether a throwing point here is inside a `try_table` of this
    /// function (then calls need handlers).
    pub(super) fn in_try_scope(&self) -> bool {
        !self.try_scopes.is_empty()
    }

    /// The dispatch block of scope `scope` and whether it was just
    /// created (then its code must be emitted with [`Self::fill_dispatch`]
    /// once the current block is terminated).
    fn dispatch_block(&mut self, scope: usize) -> Result<(ir::Block, bool)> {
        let existing = self
            .try_scopes
            .get(scope)
            .ok_or_else(|| self.internal("try scope out of range"))?
            .dispatch;
        if let Some(block) = existing {
            return Ok((block, false));
        }
        let block = self.builder.create_block();
        self.builder.append_block_param(block, I64);
        self.try_scopes[scope].dispatch = Some(block);
        Ok((block, true))
    }

    /// Emits the code of scope `scope`'s dispatch block (see the module
    /// docs). Leaves the builder in a terminated block.
    fn fill_dispatch(&mut self, scope: usize) -> Result<()> {
        let (block, _) = self.dispatch_block(scope)?;
        self.builder.switch_to_block(block);
        let exn = self.builder.block_params(block)[0];
        let catches = self.try_scopes[scope].catches.clone();
        for catch in catches {
            let Some(tag) = catch.tag else {
                let args = if catch.with_ref {
                    self.mark_escaped(exn);
                    vec![exn]
                } else {
                    self.free_exception(exn)?;
                    vec![]
                };
                return self.jump_to_catch(catch.target, &args);
            };
            let expected = self.tag_identity(tag);
            // Not `readonly`: the memory of a freed exception is reused.
            let flags = MemFlagsData::trusted();
            let actual = self.builder.ins().load(I64, flags, exn, 0);
            let hit = self.builder.create_block();
            let miss = self.builder.create_block();
            let equal = self.builder.ins().icmp(IntCC::Equal, actual, expected);
            self.builder.ins().brif(equal, hit, &[], miss, &[]);
            self.builder.seal_block(hit);
            self.builder.seal_block(miss);
            self.builder.switch_to_block(hit);
            let params = self.tag_type(tag)?.params().to_vec();
            let mut args = Vec::with_capacity(params.len() + 1);
            for (i, param) in params.iter().enumerate() {
                let v = self
                    .builder
                    .ins()
                    .load(clif_type(*param), flags, exn, slot_offset(i));
                args.push(v);
            }
            if catch.with_ref {
                self.mark_escaped(exn);
                args.push(exn);
            } else {
                self.free_exception(exn)?;
            }
            self.jump_to_catch(catch.target, &args)?;
            self.builder.switch_to_block(miss);
        }
        if scope > 0 {
            let (outer, new) = self.dispatch_block(scope - 1)?;
            self.builder.ins().jump(outer, &[BlockArg::Value(exn)]);
            if new {
                self.fill_dispatch(scope - 1)?;
            }
        } else {
            self.throw_to_callers(exn)?;
        }
        Ok(())
    }

    /// Marks `exn` escaped: a `_ref` clause delivers it as an `exnref`,
    /// which wasm may keep, so it is never freed.
    fn mark_escaped(&mut self, exn: Value) {
        let one = self.builder.ins().iconst(I32, 1);
        self.builder.ins().store(
            MemFlagsData::trusted(),
            one,
            exn,
            offset_of!(VMException, escaped) as i32,
        );
    }

    /// Frees `exn` unless it escaped: a `catch`/`catch_all` clause has
    /// loaded all it reads of it (the loads stay before this call: they
    /// are ordinary loads, which Cranelift keeps in order with calls).
    fn free_exception(&mut self, exn: Value) -> Result<()> {
        self.translate_builtin_call(Builtin::ExnFree, &[exn])?;
        Ok(())
    }

    /// Branches to the frame at control position `target` with `args`.
    fn jump_to_catch(&mut self, target: usize, args: &[Value]) -> Result<()> {
        let (block, arity) = self.branch_target_at(target)?;
        if arity != args.len() {
            return Err(self.internal("catch clause arity"));
        }
        let args: Vec<BlockArg> = args.iter().copied().map(BlockArg::Value).collect();
        self.builder.ins().jump(block, &args);
        Ok(())
    }

    /// Calls the `Throw` builtin, which does not return.
    fn throw_to_callers(&mut self, exn: Value) -> Result<()> {
        self.translate_builtin_call(Builtin::Throw, &[exn])?;
        self.builder.ins().trap(trap_code(Trap::UncaughtException));
        Ok(())
    }

    /// Throws `exn` from here: to the innermost `try_table` of this
    /// function, or to the callers.
    fn throw_exception(&mut self, exn: Value) -> Result<()> {
        match self.try_scopes.len().checked_sub(1) {
            Some(scope) => {
                let (block, new) = self.dispatch_block(scope)?;
                self.builder.ins().jump(block, &[BlockArg::Value(exn)]);
                if new {
                    self.fill_dispatch(scope)?;
                }
            }
            None => self.throw_to_callers(exn)?,
        }
        self.reachable = false;
        Ok(())
    }

    fn tag_type(&self, tag: u32) -> Result<&wasmparser::FuncType> {
        let ty = *self
            .env
            .tags
            .get(tag as usize)
            .ok_or_else(|| self.internal("tag index out of range"))?;
        self.func_type(ty)
    }

    /// Tag `tag`'s identity word (for an imported tag, the exporter's).
    fn tag_identity(&mut self, tag: u32) -> Value {
        let tags = self.data_address(self.syms.tags);
        self.builder.ins().load(
            I64,
            super::trusted_readonly(),
            tags,
            Symbols::tag_offset(tag),
        )
    }

    /// `throw tag`: a new exception holding the tag's params.
    pub(super) fn translate_throw(&mut self, tag: u32) -> Result<()> {
        let count = self.tag_type(tag)?.params().len();
        let values = self.popn(count)?;
        let identity = self.tag_identity(tag);
        let slots = self.builder.ins().iconst(I32, count as i64);
        let exn = match self.translate_builtin_call(Builtin::ExnAlloc, &[identity, slots])?[..] {
            [exn] => exn,
            _ => return Err(self.internal("ExnAlloc result")),
        };
        for (i, v) in values.into_iter().enumerate() {
            self.builder
                .ins()
                .store(MemFlagsData::trusted(), v, exn, slot_offset(i));
        }
        self.throw_exception(exn)
    }

    /// `throw_ref`: rethrows an exception (trapping on null).
    pub(super) fn translate_throw_ref(&mut self) -> Result<()> {
        let exn = self.pop()?;
        self.builder
            .ins()
            .trapz(exn, trap_code(Trap::NullExceptionReference));
        self.throw_exception(exn)
    }

    /// A call to a wasm function inside a `try_table`: a `try_call` whose
    /// default handler is the innermost scope's dispatch block. Returns the
    /// results; the builder continues in the normal-return block.
    pub(super) fn translate_try_call(
        &mut self,
        callee: Callee,
        args: &[Value],
    ) -> Result<Vec<Value>> {
        let scope = self
            .try_scopes
            .len()
            .checked_sub(1)
            .ok_or_else(|| self.internal("try_call outside a try_table"))?;
        let sig = match callee {
            Callee::Direct(f) => self.builder.func.dfg.ext_funcs[f].signature,
            Callee::Indirect(sig, _) => sig,
        };
        let returns: Vec<ir::Type> = self.builder.func.dfg.signatures[sig]
            .returns
            .iter()
            .map(|p| p.value_type)
            .collect();
        let normal = self.builder.create_block();
        for ty in &returns {
            self.builder.append_block_param(normal, *ty);
        }
        let (handler, new) = self.dispatch_block(scope)?;
        let pool = &mut self.builder.func.dfg.value_lists;
        let ret_args = (0..returns.len() as u32).map(BlockArg::TryCallRet);
        let normal_call = ir::BlockCall::new(normal, ret_args, pool);
        let handler_call = ir::BlockCall::new(handler, [BlockArg::TryCallExn(0)], pool);
        let table = ExceptionTableData::new(
            sig,
            normal_call,
            [ExceptionTableItem::Default(handler_call)],
        );
        let table = self.builder.func.dfg.exception_tables.push(table);
        match callee {
            Callee::Direct(f) => self.builder.ins().try_call(f, args, table),
            Callee::Indirect(_, addr) => self.builder.ins().try_call_indirect(addr, args, table),
        };
        if new {
            self.fill_dispatch(scope)?;
        }
        self.builder.switch_to_block(normal);
        self.builder.seal_block(normal);
        Ok(self.builder.block_params(normal).to_vec())
    }
}
