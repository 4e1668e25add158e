//! Glue functions: import thunks, `entry`, and library objects' array-call
//! trampolines.

use crate::env::{
    self, FuncIndex, HOST_CALL_CONV, ModuleEnv, Symbols, WASM_CALL_CONV, abi_signature,
    wasm_signature,
};
use cranelift_codegen::ir::{self, InstBuilder, MemFlagsData, types};
use cranelift_codegen::isa::TargetFrontendConfig;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{DataId, FuncId};
use std::mem::offset_of;
use wasi_aot_abi::{Builtin, VMContext};

pub(super) fn trampoline_signature() -> ir::Signature {
    let mut sig = ir::Signature::new(HOST_CALL_CONV);
    sig.params.push(ir::AbiParam::new(types::I64));
    sig.params.push(ir::AbiParam::new(types::I64));
    sig
}

/// A builder for `func` positioned in its entry block (sealed, its
/// parameters the function's), and those parameters.
pub(super) fn entry_builder<'a>(
    func: &'a mut ir::Function,
    ctx: &'a mut FunctionBuilderContext,
) -> (FunctionBuilder<'a>, Vec<ir::Value>) {
    let mut b = FunctionBuilder::new(func, ctx);
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    let params = b.block_params(block).to_vec();
    (b, params)
}

/// Size of one argument/result slot of a trampoline's array.
const TRAMPOLINE_SLOT: i32 = wasi_aot_abi::stride::TRAMPOLINE_SLOT as i32;

/// The array-call trampoline of function type `ty` (see [`compile_library`]).
pub(super) fn trampoline(
    env: &ModuleEnv,
    config: TargetFrontendConfig,
    id: FuncId,
    ty: u32,
) -> ir::Function {
    let ty = &env.types[ty as usize];
    let mut func = ir::Function::with_name_signature(
        ir::UserFuncName::user(0, id.as_u32()),
        trampoline_signature(),
    );
    let mut ctx = FunctionBuilderContext::new();
    let (mut b, params) = entry_builder(&mut func, &mut ctx);
    let (code, slots) = (params[0], params[1]);
    let flags = MemFlagsData::trusted();
    let args: Vec<ir::Value> = ty
        .params()
        .iter()
        .enumerate()
        .map(|(i, t)| {
            b.ins()
                .load(env::clif_type(*t), flags, slots, i as i32 * TRAMPOLINE_SLOT)
        })
        .collect();
    let sig = b.import_signature(wasm_signature(ty, WASM_CALL_CONV));
    let call = b.ins().call_indirect(sig, code, &args);
    let results = b.inst_results(call).to_vec();
    for (i, v) in results.into_iter().enumerate() {
        b.ins().store(flags, v, slots, i as i32 * TRAMPOLINE_SLOT);
    }
    b.ins().return_(&[]);
    b.finalize(config);
    func
}

pub(super) fn user_func(func: &mut ir::Function, id: FuncId, sig: ir::Signature) -> ir::FuncRef {
    let name = func.declare_imported_user_function(ir::UserExternalName::new(0, id.as_u32()));
    let signature = func.import_signature(sig);
    func.import_function(ir::ExtFuncData {
        name: ir::ExternalName::user(name),
        signature,
        colocated: true,
        patchable: false,
    })
}

/// The address of data object `id`; see `FuncTranslator::data_address`.
pub(super) fn user_data(builder: &mut FunctionBuilder, syms: &Symbols, id: DataId) -> ir::Value {
    if let Some(offset) = syms.instance_offset(id) {
        let block = builder.ins().get_pinned_reg(types::I64);
        return builder.ins().iadd_imm_u(block, i64::from(offset));
    }
    let name = builder
        .func
        .declare_imported_user_function(ir::UserExternalName::new(1, id.as_u32()));
    let gv = builder
        .func
        .create_global_value(ir::GlobalValueData::Symbol {
            name: ir::ExternalName::user(name),
            offset: ir::immediates::Imm64::new(0),
            colocated: true,
            tls: false,
        });
    builder.ins().symbol_value(types::I64, gv)
}

pub(super) fn readonly() -> MemFlagsData {
    MemFlagsData::trusted().with_readonly().with_can_move()
}

/// The code a funcref to imported function `import` points at: a `tail` →
/// C thunk for a WASI import or a static library's application function
/// (v128 values and several results passed as its C signature has them:
/// [`super::library::call_application`]), a tail call through the slot for
/// a wasm one.
pub(super) fn import_thunk(
    env: &ModuleEnv,
    syms: &Symbols,
    config: TargetFrontendConfig,
    import: FuncIndex,
) -> ir::Function {
    let ty = env.func_type(import);
    let mut func = ir::Function::with_name_signature(
        ir::UserFuncName::user(0, syms.funcs[import as usize].as_u32()),
        wasm_signature(ty, WASM_CALL_CONV),
    );
    let mut ctx = FunctionBuilderContext::new();
    let (mut b, args) = entry_builder(&mut func, &mut ctx);
    if let Some(id) = syms.host_import(import) {
        let name = b
            .func
            .declare_imported_user_function(ir::UserExternalName::new(0, id.as_u32()));
        let signature = b.import_signature(env::c_api_signature(ty));
        let callee = b.import_function(ir::ExtFuncData {
            name: ir::ExternalName::user(name),
            signature,
            colocated: false,
            patchable: false,
        });
        let handle = b.ins().get_pinned_reg(types::I64);
        let results = super::library::call_application(&mut b, ty, callee, handle, &args);
        b.ins().return_(&results);
        b.finalize(config);
        return func;
    }
    let slots = user_data(&mut b, syms, syms.import_slots);
    let callee = b.ins().load(
        types::I64,
        readonly(),
        slots,
        Symbols::import_slot_offset(import),
    );
    if env.func_imports[import as usize].is_host() {
        let sig = b.import_signature(wasm_signature(ty, HOST_CALL_CONV));
        let call = b.ins().call_indirect(sig, callee, &args);
        let results = b.inst_results(call).to_vec();
        b.ins().return_(&results);
    } else {
        let sig = b.import_signature(wasm_signature(ty, WASM_CALL_CONV));
        b.ins().return_call_indirect(sig, callee, &args);
    }
    b.finalize(config);
    func
}

pub(super) fn call_builtin(
    b: &mut FunctionBuilder,
    vmctx: ir::Value,
    builtin: Builtin,
    args: &[ir::Value],
) {
    let offset = offset_of!(VMContext, builtins) + 8 * builtin as usize;
    let callee = b.ins().load(types::I64, readonly(), vmctx, offset as i32);
    let sig = b.import_signature(abi_signature(builtin.signature()));
    let mut all = vec![vmctx];
    all.extend_from_slice(args);
    b.ins().call_indirect(sig, callee, &all);
}

/// C-convention entry that calls the command's entry points in order
/// (`[] -> []` functions: [`super::check::command_calls`]).
pub(super) fn entry_function(
    syms: &Symbols,
    config: TargetFrontendConfig,
    calls: &[FuncIndex],
) -> ir::Function {
    let mut sig = ir::Signature::new(HOST_CALL_CONV);
    sig.params.push(ir::AbiParam::new(types::I64));
    let mut func = ir::Function::with_name_signature(ir::UserFuncName::user(0, u32::MAX - 1), sig);
    let mut ctx = FunctionBuilderContext::new();
    let (mut b, _) = entry_builder(&mut func, &mut ctx);
    for &f in calls {
        let callee = user_func(
            b.func,
            syms.funcs[f as usize],
            ir::Signature::new(WASM_CALL_CONV),
        );
        b.ins().call(callee, &[]);
    }
    b.ins().return_(&[]);
    b.finalize(config);
    func
}
