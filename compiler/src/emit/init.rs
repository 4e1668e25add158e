//! The instantiation function `init` and its `segment_inits` table.

use super::glue::{call_builtin, entry_builder, readonly, user_data, user_func};
use super::image::MemoryImage;
use super::metadata::Blob;
use crate::env::{
    self, ConstBinOp, ConstValue, DeferredConst, ElemKind, GlobalInit, HOST_CALL_CONV, ModuleEnv,
    Symbols, WASM_CALL_CONV, wasm_signature,
};
use crate::error::Result;
use cranelift_codegen::ir::{self, InstBuilder, MemFlagsData, types};
use cranelift_codegen::isa::TargetFrontendConfig;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::DataId;
use cranelift_object::ObjectModule;
use std::mem::{offset_of, size_of};
use wasi_aot_abi::{Builtin, ElemSegment, ModuleInfo, Slice, VMContext};

/// The value of imported global `global` (type `ty`).
fn imported_global(
    b: &mut FunctionBuilder,
    syms: &Symbols,
    global: u32,
    ty: ir::Type,
) -> ir::Value {
    let slots = user_data(b, syms, syms.global_imports);
    let ptr = b.ins().load(
        types::I64,
        readonly(),
        slots,
        Symbols::import_pointer_offset(global),
    );
    b.ins().load(ty, MemFlagsData::trusted(), ptr, 0)
}

/// A segment offset as an `i64` (32-bit offsets zero-extended).
fn offset_value(
    b: &mut FunctionBuilder,
    env: &ModuleEnv,
    syms: &Symbols,
    value: &ConstValue,
) -> ir::Value {
    match value {
        ConstValue::I32(v) => b.ins().iconst(types::I64, i64::from(*v as u32)),
        ConstValue::I64(v) => b.ins().iconst(types::I64, *v),
        _ => match env.deferred_const(*value) {
            Some(deferred) => {
                let v = deferred_value(b, env, syms, &deferred);
                if b.func.dfg.value_type(v) == types::I32 {
                    b.ins().uextend(types::I64, v)
                } else {
                    v
                }
            }
            None => b.ins().iconst(types::I64, 0),
        },
    }
}

/// Computes a constant initializer known only at instantiation: loads of
/// imported globals, constants, and wrapping `iadd`, `isub`, `imul` at the
/// operands' width.
fn deferred_value(
    b: &mut FunctionBuilder,
    env: &ModuleEnv,
    syms: &Symbols,
    value: &DeferredConst,
) -> ir::Value {
    match value {
        DeferredConst::I32(v) => b.ins().iconst(types::I32, i64::from(*v)),
        DeferredConst::I64(v) => b.ins().iconst(types::I64, *v),
        DeferredConst::ImportedGlobal(g) => {
            let ty = env::clif_type(env.globals[*g as usize].ty.content_type);
            imported_global(b, syms, *g, ty)
        }
        DeferredConst::Binary(op, x, y) => {
            let x = deferred_value(b, env, syms, x);
            let y = deferred_value(b, env, syms, y);
            match op {
                ConstBinOp::Add => b.ins().iadd(x, y),
                ConstBinOp::Sub => b.ins().isub(x, y),
                ConstBinOp::Mul => b.ins().imul(x, y),
            }
        }
    }
}

/// One entry of the `segment_inits` table: an active segment whose offset is
/// a constant, applied by a loop in `init`.
mod seg_init {
    /// Table (element segments) or memory (data segments) index: `u32`.
    pub const TARGET: usize = 0;
    /// Segment index: `u32`.
    pub const SEGMENT: usize = 4;
    /// Offset in the table or memory: `u64`.
    pub const OFFSET: usize = 8;
    /// Segment length: `u32`.
    pub const LEN: usize = 16;
    pub const SIZE: usize = 24;
}

/// What `init` does with the segments, in the spec's order.
pub(super) struct InitPlan {
    steps: Vec<InitStep>,
    /// The `segment_inits` table's entries: `(target, segment, offset, len)`.
    entries: Vec<(u32, u32, u64, u32)>,
}

enum InitStep {
    /// `count` entries of the table from `start`: per entry, the builtin
    /// (`TableInit` or `MemoryInit`) and the matching drop.
    Run {
        builtin: Builtin,
        start: usize,
        count: usize,
    },
    /// An active segment whose offset is known only at instantiation (it
    /// reads an imported global), applied by code of its own:
    /// `builtin(target, seg, offset, 0, len)`, then the segment's drop.
    Call {
        builtin: Builtin,
        target: u32,
        seg: u32,
        offset: ConstValue,
        len: usize,
    },
    /// A declarative element segment: only dropped.
    ElemDrop(u32),
}

/// The drop builtin matching a segment's init builtin (a drop builtin
/// matches itself: a segment only dropped).
fn drop_builtin(init: Builtin) -> Builtin {
    match init {
        Builtin::TableInit | Builtin::ElemDrop => Builtin::ElemDrop,
        _ => Builtin::DataDrop,
    }
}

impl InitPlan {
    /// Active segments with constant offsets go into the table, consecutive
    /// ones sharing one loop, so `init` stays small however many segments a
    /// module has; the others (offsets read from imported globals, only in
    /// library objects) get code of their own, in order. Data segments
    /// `image` applies are only dropped.
    pub(super) fn new(env: &ModuleEnv, image: Option<&MemoryImage>) -> InitPlan {
        let mut plan = InitPlan {
            steps: Vec::new(),
            entries: Vec::new(),
        };
        for (i, elem) in env.elems.iter().enumerate() {
            match &elem.kind {
                ElemKind::Active { table, offset } => {
                    plan.push(Builtin::TableInit, *table, i, *offset, elem.items.len())
                }
                ElemKind::Declared => plan.steps.push(InitStep::ElemDrop(i as u32)),
                ElemKind::Passive => {}
            }
        }
        for (i, data) in env.data.iter().enumerate() {
            if image.is_some_and(|image| image.covers(i)) {
                plan.push(Builtin::DataDrop, 0, i, ConstValue::I32(0), 0);
            } else if let Some((memory, offset)) = data.active {
                plan.push(Builtin::MemoryInit, memory, i, offset, data.bytes.len());
            }
        }
        plan
    }

    /// One active segment: a table entry when its offset is a constant,
    /// else a call of its own.
    fn push(&mut self, builtin: Builtin, target: u32, seg: usize, offset: ConstValue, len: usize) {
        let seg = seg as u32;
        let Some(at) = constant_offset(&offset) else {
            self.steps.push(InitStep::Call {
                builtin,
                target,
                seg,
                offset,
                len,
            });
            return;
        };
        // A segment is at most a module's size, far below 4 GiB; a longer
        // one could not have been parsed.
        let len = u32::try_from(len).unwrap_or(u32::MAX);
        self.entries.push((target, seg, at, len));
        if let Some(InitStep::Run {
            builtin: b, count, ..
        }) = self.steps.last_mut()
            && *b == builtin
        {
            *count += 1;
            return;
        }
        self.steps.push(InitStep::Run {
            builtin,
            start: self.entries.len() - 1,
            count: 1,
        });
    }

    /// The table as a data object (nothing when it is empty).
    pub(super) fn define_table(&self, module: &mut ObjectModule, id: DataId) -> Result<()> {
        let mut table = Blob::new(self.entries.len() * seg_init::SIZE, 8);
        for (k, &(target, seg, offset, len)) in self.entries.iter().enumerate() {
            let at = k * seg_init::SIZE;
            table.put_u32(at + seg_init::TARGET, target);
            table.put_u32(at + seg_init::SEGMENT, seg);
            table.put_u64(at + seg_init::OFFSET, offset);
            table.put_u32(at + seg_init::LEN, len);
        }
        table.define(module, id)
    }
}

/// The offset of an active segment when it is a constant (32-bit offsets
/// zero-extended).
pub(super) fn constant_offset(value: &ConstValue) -> Option<u64> {
    match value {
        ConstValue::I32(v) => Some(u64::from(*v as u32)),
        ConstValue::I64(v) => Some(*v as u64),
        _ => None,
    }
}

/// A loop over `count` entries of the `segment_inits` table from `start`:
/// `builtin(target, segment, offset, 0, len)`, then the segment's drop
/// (only the drop when `builtin` is a drop).
fn init_loop(
    b: &mut FunctionBuilder,
    vmctx: ir::Value,
    syms: &Symbols,
    builtin: Builtin,
    start: usize,
    count: usize,
) {
    let table = user_data(b, syms, syms.segment_inits);
    let first = b.ins().iadd_imm_u(table, (start * seg_init::SIZE) as i64);
    let end = b
        .ins()
        .iadd_imm_u(table, ((start + count) * seg_init::SIZE) as i64);
    let body = b.create_block();
    let done = b.create_block();
    let entry = b.append_block_param(body, types::I64);
    b.ins().jump(body, &[first.into()]);
    b.switch_to_block(body);
    let flags = MemFlagsData::trusted().with_readonly();
    let seg = b
        .ins()
        .load(types::I32, flags, entry, seg_init::SEGMENT as i32);
    if builtin != drop_builtin(builtin) {
        let target = b
            .ins()
            .load(types::I32, flags, entry, seg_init::TARGET as i32);
        let offset = b
            .ins()
            .load(types::I64, flags, entry, seg_init::OFFSET as i32);
        let len = b.ins().load(types::I32, flags, entry, seg_init::LEN as i32);
        let zero = b.ins().iconst(types::I32, 0);
        call_builtin(b, vmctx, builtin, &[target, seg, offset, zero, len]);
    }
    call_builtin(b, vmctx, drop_builtin(builtin), &[seg]);
    let next = b.ins().iadd_imm_u(entry, seg_init::SIZE as i64);
    let more = b
        .ins()
        .icmp(ir::condcodes::IntCC::UnsignedLessThan, next, end);
    b.ins().brif(more, body, &[next.into()], done, &[]);
    b.seal_block(body);
    b.switch_to_block(done);
    b.seal_block(done);
}

/// Instantiation, as the spec orders it: globals initialised from imported
/// globals, element segments (active ones are `table.init` + `elem.drop`,
/// declarative ones dropped), then data segments (`memory.init` +
/// `data.drop`), then the start function. Segments with constant offsets
/// are applied by loops over the `segment_inits` table ([`InitPlan`]).
pub(super) fn init_function(
    env: &ModuleEnv,
    syms: &Symbols,
    plan: &InitPlan,
    config: TargetFrontendConfig,
) -> ir::Function {
    let mut sig = ir::Signature::new(HOST_CALL_CONV);
    sig.params.push(ir::AbiParam::new(types::I64));
    let mut func = ir::Function::with_name_signature(ir::UserFuncName::user(0, u32::MAX), sig);
    let mut ctx = FunctionBuilderContext::new();
    let (mut b, params) = entry_builder(&mut func, &mut ctx);
    let vmctx = params[0];
    for (i, global) in env.globals.iter().enumerate() {
        if let GlobalInit::Const(value) = global.init
            && let Some(deferred) = env.deferred_const(value)
        {
            let v = deferred_value(&mut b, env, syms, &deferred);
            let globals = user_data(&mut b, syms, syms.globals);
            b.ins().store(
                MemFlagsData::trusted(),
                v,
                globals,
                Symbols::global_offset(i as u32),
            );
        }
    }
    // Element items reading imported globals, through the segment
    // descriptors `ModuleInfo::elems` points to.
    for (i, elem) in env.elems.iter().enumerate() {
        for &(item, global) in &elem.global_items {
            let info = b.ins().load(
                types::I64,
                readonly(),
                vmctx,
                offset_of!(VMContext, info) as i32,
            );
            let descs = b.ins().load(
                types::I64,
                readonly(),
                info,
                (offset_of!(ModuleInfo, elems) + offset_of!(Slice<ElemSegment>, ptr)) as i32,
            );
            let items = b.ins().load(
                types::I64,
                readonly(),
                descs,
                (i * size_of::<ElemSegment>() + offset_of!(ElemSegment, items)) as i32,
            );
            let v = imported_global(&mut b, syms, global, types::I64);
            b.ins()
                .store(MemFlagsData::trusted(), v, items, item as i32 * 8);
        }
    }
    for step in &plan.steps {
        match *step {
            InitStep::Run {
                builtin,
                start,
                count,
            } => {
                init_loop(&mut b, vmctx, syms, builtin, start, count);
            }
            InitStep::Call {
                builtin,
                target,
                seg,
                offset,
                len,
            } => {
                let target = b.ins().iconst(types::I32, i64::from(target));
                let seg = b.ins().iconst(types::I32, i64::from(seg));
                let dst = offset_value(&mut b, env, syms, &offset);
                let zero = b.ins().iconst(types::I32, 0);
                let len = b.ins().iconst(types::I32, len as i64);
                call_builtin(&mut b, vmctx, builtin, &[target, seg, dst, zero, len]);
                call_builtin(&mut b, vmctx, drop_builtin(builtin), &[seg]);
            }
            InitStep::ElemDrop(i) => {
                let seg = b.ins().iconst(types::I32, i64::from(i));
                call_builtin(&mut b, vmctx, Builtin::ElemDrop, &[seg]);
            }
        }
    }
    if let Some(start) = env.start {
        let callee = user_func(
            b.func,
            syms.funcs[start as usize],
            wasm_signature(env.func_type(start), WASM_CALL_CONV),
        );
        b.ins().call(callee, &[]);
    }
    b.ins().return_(&[]);
    b.finalize(config);
    func
}
