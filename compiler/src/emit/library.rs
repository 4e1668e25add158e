//! A static library's edges: the instance block, the C API functions and
//! the header.
//!
//! The functions are the translator's, compiled with two differences that
//! [`Symbols::instance`] decides in one place (`data_address`, and
//! `glue::user_data` for the glue):
//! - every per-instance data object ([`PER_INSTANCE`]: the `VMContext`,
//!   globals, tables, import slots and memory states) is addressed as the
//!   pinned register (r15, reserved by [`crate::codegen::library_isa`]) plus
//!   its offset in the instance block, so any number of instances share
//!   the code; read-only and instance-independent objects (funcrefs, type
//!   ids, tag identities, trap tables, segment bytes) stay static symbols,
//!   reached RIP-relative;
//! - a non-WASI import calls the application's C function
//!   `NAME_import_<module>_<name>(NAME *, params...)` directly, with the
//!   pinned register (the instance handle) first; or, when the C signature
//!   differs from the wasm one (v128 values by pointer, several results in
//!   a struct: [`env::c_api_signature`]), through the import's thunk, which
//!   [`call_application`] makes.
//!
//! The instance block's template is the objects as the emitter writes them
//! for an executable; [`abi::InstanceLayout`] (`wasi_aot_instance_layout`)
//! tells the runtime which to copy where, and which words of the copy point
//! into the block itself (the memory states). The first
//! [`abi::INSTANCE_HEADER_SIZE`] bytes are the runtime's.
//!
//! Each exported function gets a C function `NAME_<export>(NAME *,
//! params...)`. When its parameters fit in the C convention's registers
//! after the instance and it has at most one result (not a v128), that is
//! a two-instruction stub: the function's address in rax and a jump to the
//! runtime's `wasi_aot_library_call`, which sets the pinned register,
//! switches to the instance's stack and calls it with the arguments moved
//! down one register, returning its result, or zeros after a trap.
//! Otherwise it stores its arguments in 16-byte slots and calls
//! `wasi_aot_library_enter` with the export's array-call trampoline, which
//! returns 0 when the call trapped, and then the wrapper returns zeros.
//! The stubs are machine code written here (static libraries are x86-64
//! only), not compiled: Cranelift has no way to pass a value in rax.

use super::metadata::{Blob, Target};
use super::object_err;
use crate::codegen::{self, CompiledFunc};
use crate::env::{self, FuncIndex, HOST_CALL_CONV, InstanceSymbols, ModuleEnv, Symbols};
use crate::error::{CompileError, Result};
use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::ir::{self, InstBuilder, MemFlagsData, types};
use cranelift_codegen::isa::TargetFrontendConfig;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{DataId, FuncId, Linkage, Module};
use cranelift_object::ObjectModule;
use std::collections::HashSet;
use std::fmt::Write;
use std::mem::{offset_of, size_of};
use wasi_aot_abi::{self as abi, InstanceFixup, InstanceLayout, InstanceObject, VMContext};
use wasmparser::{ExternalKind, FuncType, ValType};

/// The export a reactor module initialises itself with; `NAME_new` runs it.
const INITIALIZE: &str = "_initialize";

/// Names of the C API's own functions and types (after `NAME_`), which no
/// export may take.
const RESERVED: [&str; 11] = [
    "new",
    "free",
    "trap",
    "memory",
    "user_data",
    "set_user_data",
    "thread_init",
    "thread_free",
    "config",
    "dir",
    "v128",
];

/// `name` made a C identifier: every character but ASCII letters, digits
/// and `_` becomes `_`, and a leading digit (or nothing) gets a `_` before.
pub fn c_identifier(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// An exported function as the C API shows it.
struct Export {
    /// The C identifier after `NAME_`.
    ident: String,
    /// The wasm export name (for comments).
    name: String,
    func: FuncIndex,
}

/// An imported function as the C API shows it.
struct Import {
    /// The C identifier after `NAME_import_`.
    ident: String,
    module: String,
    name: String,
    func: FuncIndex,
}

/// What the C API of a module is, checked: the module can become a static
/// library and every generated name is distinct.
pub(super) struct Api {
    name: String,
    exports: Vec<Export>,
    imports: Vec<Import>,
}

fn not_library(message: String) -> CompileError {
    CompileError::NotLibrary(message)
}

impl Api {
    /// Checks that `env` can become a static library named `name` (a C
    /// identifier) and names its C functions.
    pub(super) fn new(env: &ModuleEnv, name: &str) -> Result<Api> {
        if c_identifier(name) != name {
            return Err(not_library(format!(
                "the library name `{}` is not a C identifier",
                name.escape_debug()
            )));
        }
        if let Some(import) = env.other_imports.first() {
            return Err(CompileError::unsupported(
                format!(
                    "importing `{}::{}` (a static library may import only functions)",
                    import.module.escape_debug(),
                    import.name.escape_debug()
                ),
                import.offset,
            ));
        }
        let mut used: HashSet<String> = RESERVED.iter().map(|s| s.to_string()).collect();
        let mut imports = Vec::new();
        for (i, import) in env.func_imports.iter().enumerate() {
            if import.wasi.is_some() {
                // Served by the runtime, with the instance's grants.
                continue;
            }
            let ident = format!(
                "{}_{}",
                c_identifier(&import.module),
                c_identifier(&import.name)
            );
            if !used.insert(format!("import_{ident}"))
                || !used.insert(format!("import_{ident}_results"))
            {
                return Err(not_library(format!(
                    "the import `{}::{}` has the C name `{name}_import_{ident}` (and its \
                     result struct `{name}_import_{ident}_results`), which another import \
                     already uses",
                    import.module.escape_debug(),
                    import.name.escape_debug()
                )));
            }
            imports.push(Import {
                ident,
                module: import.module.clone(),
                name: import.name.clone(),
                func: i as FuncIndex,
            });
        }
        let mut exports = Vec::new();
        for export in &env.exports {
            if export.kind != ExternalKind::Func {
                continue;
            }
            let ident = c_identifier(&export.name);
            let results = format!("{ident}_results");
            if ident.starts_with("import_")
                || !used.insert(ident.clone())
                || used.contains(&results)
            {
                return Err(not_library(format!(
                    "the export `{}` has the C name `{name}_{ident}`, which another export or \
                     the library's API already uses",
                    export.name.escape_debug()
                )));
            }
            used.insert(results);
            exports.push(Export {
                ident,
                name: export.name.clone(),
                func: export.index,
            });
        }
        Ok(Api {
            name: name.to_string(),
            exports,
            imports,
        })
    }

    /// The `_initialize` export, when it is a `[] -> []` function.
    fn initialize(&self, env: &ModuleEnv) -> Option<FuncIndex> {
        self.exports
            .iter()
            .find(|e| e.name == INITIALIZE)
            .map(|e| e.func)
            .filter(|f| {
                let ty = env.func_type(*f);
                ty.params().is_empty() && ty.results().is_empty()
            })
    }
}

/// The per-instance data objects, in block order.
fn per_instance(syms: &Symbols, env: &ModuleEnv) -> [(DataId, usize); 8] {
    let imported_globals = env
        .globals
        .iter()
        .filter(|g| matches!(g.init, env::GlobalInit::Import))
        .count();
    [
        (syms.vmctx, size_of::<VMContext>()),
        (syms.globals, env.globals.len() * env::GLOBAL_SLOT as usize),
        (syms.tables, env.tables.len() * size_of::<abi::VMTable>()),
        (syms.import_slots, env.func_imports.len() * 8),
        (syms.global_imports, imported_globals * 8),
        (syms.table_imports, env.num_imported_tables as usize * 8),
        (syms.memory_states, env.memories.len() * 8),
        (
            syms.memories,
            env.memories.len() * size_of::<abi::VMMemory>(),
        ),
    ]
}

/// Lays the per-instance objects out in the instance block and declares the
/// application's import functions, recording both in `syms.instance`.
pub(super) fn declare_instance(
    module: &mut ObjectModule,
    env: &ModuleEnv,
    syms: &mut Symbols,
    api: &Api,
) -> Result<()> {
    let mut at = abi::INSTANCE_HEADER_SIZE as usize;
    let mut offsets = Vec::new();
    for (id, size) in per_instance(syms, env) {
        offsets.push((id, at as u32));
        at += size.next_multiple_of(16);
    }
    if at > i32::MAX as usize {
        return Err(not_library(
            "the module's per-instance state is too large".into(),
        ));
    }
    let mut host_imports = vec![None; env.func_imports.len()];
    for import in &api.imports {
        let ty = env.func_type(import.func);
        let id = module
            .declare_function(
                &format!("{}_import_{}", api.name, import.ident),
                Linkage::Import,
                &env::c_api_signature(ty),
            )
            .map_err(object_err)?;
        host_imports[import.func as usize] = Some(id);
    }
    syms.instance = Some(InstanceSymbols {
        offsets,
        host_imports,
    });
    Ok(())
}

fn is_float(ty: ValType) -> bool {
    matches!(ty, ValType::F32 | ValType::F64 | ValType::V128)
}

/// Whether the C API function of an export of type `ty` can go straight to
/// `wasi_aot_library_call` ([`register_stub`]): its wasm parameters fit in
/// the registers left after the instance (five integer, eight float) and
/// it has at most one result, not a v128.
fn fits_registers(ty: &FuncType) -> bool {
    let ints = ty.params().iter().filter(|t| !is_float(**t)).count();
    let floats = ty.params().iter().filter(|t| is_float(**t)).count();
    ints <= 5
        && floats <= 8
        && !ty.params().contains(&ValType::V128)
        && !env::c_results_by_pointer(ty)
}

/// `NAME_<export>` for an export that [`fits_registers`], written here
/// rather than compiled (x86-64 only, as static libraries are):
/// `lea rax, [rip + code]; jmp wasi_aot_library_call`, which takes the
/// arguments in place.
fn register_stub(id: FuncId, code: FuncId, call: FuncId) -> CompiledFunc {
    let mut bytes = vec![0x48, 0x8d, 0x05, 0, 0, 0, 0];
    bytes.extend([0xe9, 0, 0, 0, 0]);
    CompiledFunc::written(
        id,
        16,
        bytes,
        vec![
            codegen::func_reloc(3, Reloc::X86PCRel4, code, -4),
            codegen::func_reloc(8, Reloc::X86CallPLTRel4, call, -4),
        ],
    )
}

/// How a C value of wasm type `ty` is passed and laid out.
fn c_type(api: &str, ty: ValType) -> String {
    match ty {
        ValType::I32 => "int32_t".into(),
        ValType::I64 => "int64_t".into(),
        ValType::F32 => "float".into(),
        ValType::F64 => "double".into(),
        ValType::V128 => format!("{api}_v128"),
        ValType::Ref(_) => "void *".into(),
    }
}

/// Size (= alignment, but for v128: 8) of a C value of wasm type `ty`.
fn c_size(ty: ValType) -> (usize, usize) {
    match ty {
        ValType::I32 | ValType::F32 => (4, 4),
        ValType::I64 | ValType::F64 | ValType::Ref(_) => (8, 8),
        ValType::V128 => (16, 8),
    }
}

/// Size of a C struct with one field per type of `tys` (a multiple of its
/// alignment).
fn struct_size(tys: &[ValType]) -> usize {
    let end = tys
        .iter()
        .zip(struct_offsets(tys))
        .map(|(t, at)| at + c_size(*t).0)
        .max()
        .unwrap_or(0);
    let align = tys.iter().map(|t| c_size(*t).1).max().unwrap_or(1);
    end.next_multiple_of(align)
}

/// Offsets of the fields of a C struct with one field per type of `tys`.
fn struct_offsets(tys: &[ValType]) -> Vec<usize> {
    let mut at = 0usize;
    tys.iter()
        .map(|t| {
            let (size, align) = c_size(*t);
            at = at.next_multiple_of(align);
            let offset = at;
            at += size;
            offset
        })
        .collect()
}

/// Calls `callee`, an application function with the C API signature of
/// `ty` ([`env::c_api_signature`]), with the instance `handle` and the wasm
/// values `args`, and returns the wasm results: a v128 argument is stored
/// in a stack slot and passed by its address, and several results (or a
/// v128 one) are read back from the result struct the callee filled in.
pub(super) fn call_application(
    b: &mut FunctionBuilder,
    ty: &FuncType,
    callee: ir::FuncRef,
    handle: ir::Value,
    args: &[ir::Value],
) -> Vec<ir::Value> {
    let vectors = ty.params().iter().filter(|t| **t == ValType::V128).count();
    let by_pointer = env::c_results_by_pointer(ty);
    let offsets = struct_offsets(ty.results());
    let results_at = 16 * vectors;
    let size = results_at
        + if by_pointer {
            struct_size(ty.results())
        } else {
            0
        };
    let slot = (size > 0).then(|| {
        b.create_sized_stack_slot(ir::StackSlotData::new(
            ir::StackSlotKind::ExplicitSlot,
            size as u32,
            4,
        ))
    });
    let mut all = vec![handle];
    let mut vector = 0i32;
    for (t, v) in ty.params().iter().zip(args) {
        if let (ValType::V128, Some(slot)) = (t, slot) {
            let addr = b.ins().stack_addr(types::I64, slot, 16 * vector);
            b.ins().store(MemFlagsData::trusted(), *v, addr, 0);
            all.push(addr);
            vector += 1;
        } else {
            all.push(*v);
        }
    }
    let slot = match slot {
        Some(slot) if by_pointer => slot,
        _ => {
            let call = b.ins().call(callee, &all);
            return b.inst_results(call).to_vec();
        }
    };
    let out = b.ins().stack_addr(types::I64, slot, results_at as i32);
    all.push(out);
    b.ins().call(callee, &all);
    ty.results()
        .iter()
        .zip(&offsets)
        .map(|(t, at)| {
            b.ins()
                .load(env::clif_type(*t), MemFlagsData::new(), out, *at as i32)
        })
        .collect()
}

fn enter_signature() -> ir::Signature {
    let mut sig = ir::Signature::new(HOST_CALL_CONV);
    for _ in 0..4 {
        sig.params.push(ir::AbiParam::new(types::I64));
    }
    sig.returns.push(ir::AbiParam::new(types::I32));
    sig
}

fn func_ref(
    func: &mut ir::Function,
    id: FuncId,
    sig: ir::Signature,
    colocated: bool,
) -> ir::FuncRef {
    let name = func.declare_imported_user_function(ir::UserExternalName::new(0, id.as_u32()));
    let signature = func.import_signature(sig);
    func.import_function(ir::ExtFuncData {
        name: ir::ExternalName::user(name),
        signature,
        colocated,
        patchable: false,
    })
}

/// A declared C API function: the CLIF of its body, or its code.
pub(super) enum Wrapper {
    Clif { id: FuncId, func: Box<ir::Function> },
    Code(CompiledFunc),
}

/// Declares and builds `NAME_<export>` for every exported function.
pub(super) fn export_wrappers(
    module: &mut ObjectModule,
    env: &ModuleEnv,
    syms: &Symbols,
    api: &Api,
    trampolines: &[(u32, FuncId)],
    config: TargetFrontendConfig,
) -> Result<Vec<Wrapper>> {
    let enter = module
        .declare_function(abi::sym::LIBRARY_ENTER, Linkage::Import, &enter_signature())
        .map_err(object_err)?;
    let call = module
        .declare_function(
            abi::sym::LIBRARY_CALL,
            Linkage::Import,
            &ir::Signature::new(HOST_CALL_CONV),
        )
        .map_err(object_err)?;
    let mut out = Vec::new();
    for export in &api.exports {
        let ty = env.func_type(export.func);
        if fits_registers(ty) {
            let id = module
                .declare_function(
                    &format!("{}_{}", api.name, export.ident),
                    Linkage::Export,
                    &env::c_api_signature(ty),
                )
                .map_err(object_err)?;
            let code = syms.funcs[export.func as usize];
            out.push(Wrapper::Code(register_stub(id, code, call)));
            continue;
        }
        let canonical = env.canonical_types[env.funcs[export.func as usize] as usize];
        let trampoline = trampolines
            .iter()
            .find(|(t, _)| *t == canonical)
            .map(|(_, id)| *id)
            .ok_or_else(|| not_library("no trampoline for an export's type".into()))?;
        let sig = env::c_api_signature(ty);
        let id = module
            .declare_function(
                &format!("{}_{}", api.name, export.ident),
                Linkage::Export,
                &sig,
            )
            .map_err(object_err)?;
        let mut func =
            ir::Function::with_name_signature(ir::UserFuncName::user(0, id.as_u32()), sig);
        let enter_ref = func_ref(&mut func, enter, enter_signature(), false);
        let tramp_ref = func_ref(
            &mut func,
            trampoline,
            super::glue::trampoline_signature(),
            true,
        );
        let code_ref = func_ref(
            &mut func,
            syms.funcs[export.func as usize],
            env::wasm_signature(ty, env::WASM_CALL_CONV),
            true,
        );
        let mut ctx = FunctionBuilderContext::new();
        let mut b = FunctionBuilder::new(&mut func, &mut ctx);
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        b.seal_block(entry);
        let params = b.block_params(entry).to_vec();
        let slot_size = 16 * ty.params().len().max(ty.results().len()).max(1);
        let slot = b.create_sized_stack_slot(ir::StackSlotData::new(
            ir::StackSlotKind::ExplicitSlot,
            slot_size as u32,
            4,
        ));
        let slots = b.ins().stack_addr(types::I64, slot, 0);
        let flags = MemFlagsData::trusted();
        for (i, t) in ty.params().iter().enumerate() {
            let mut v = params[1 + i];
            if *t == ValType::V128 {
                v = b.ins().load(types::I8X16, MemFlagsData::new(), v, 0);
            }
            b.ins().store(flags, v, slots, 16 * i as i32);
        }
        let tramp = b.ins().func_addr(types::I64, tramp_ref);
        let code = b.ins().func_addr(types::I64, code_ref);
        let call = b.ins().call(enter_ref, &[params[0], tramp, code, slots]);
        let ok = b.inst_results(call)[0];
        let done = b.create_block();
        let trapped = b.create_block();
        b.ins().brif(ok, done, &[], trapped, &[]);

        let by_pointer = env::c_results_by_pointer(ty);
        let offsets = struct_offsets(ty.results());
        for (block, returned) in [(done, true), (trapped, false)] {
            b.switch_to_block(block);
            b.seal_block(block);
            let values: Vec<ir::Value> = ty
                .results()
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let clif = env::clif_type(*t);
                    if returned {
                        b.ins().load(clif, flags, slots, 16 * i as i32)
                    } else {
                        zero(&mut b, clif)
                    }
                })
                .collect();
            if by_pointer {
                let out = *params.last().expect("the result pointer parameter");
                for (v, at) in values.iter().zip(&offsets) {
                    b.ins().store(MemFlagsData::new(), *v, out, *at as i32);
                }
                b.ins().return_(&[]);
            } else {
                b.ins().return_(&values);
            }
        }
        b.finalize(config);
        out.push(Wrapper::Clif {
            id,
            func: Box::new(func),
        });
    }
    Ok(out)
}

fn zero(b: &mut FunctionBuilder, ty: ir::Type) -> ir::Value {
    match ty {
        types::F32 => b.ins().f32const(0.0),
        types::F64 => b.ins().f64const(0.0),
        types::I8X16 => {
            let handle = b.func.dfg.constants.insert(vec![0u8; 16].into());
            b.ins().vconst(types::I8X16, handle)
        }
        ty => b.ins().iconst(ty, 0),
    }
}

/// Writes `wasi_aot_instance_layout`.
pub(super) fn define_layout(
    module: &mut ObjectModule,
    env: &ModuleEnv,
    syms: &Symbols,
    api: &Api,
    trampolines: &[(u32, FuncId)],
) -> Result<()> {
    let offsets = &syms
        .instance
        .as_ref()
        .ok_or_else(|| not_library("no instance layout".into()))?
        .offsets;
    let offset_of_data = |id: DataId| -> u64 {
        offsets
            .iter()
            .find(|(d, _)| *d == id)
            .map_or(0, |(_, at)| u64::from(*at))
    };
    let declare = |module: &mut ObjectModule, name: &str| {
        module
            .declare_data(name, Linkage::Local, false, false)
            .map_err(object_err)
    };
    let sizes = per_instance(syms, env);
    let objects_id = declare(module, "wasi_aot_instance_objects")?;
    let mut objects = Blob::new(sizes.len() * size_of::<InstanceObject>(), 8);
    let mut count = 0;
    let mut end = abi::INSTANCE_HEADER_SIZE;
    for (id, size) in sizes {
        let at = offset_of_data(id);
        end = end.max(at + (size as u64).next_multiple_of(16));
        if size == 0 {
            continue;
        }
        let o = count * size_of::<InstanceObject>();
        objects.put_ptr(
            o + offset_of!(InstanceObject, template),
            Target::Data(id, 0),
        );
        objects.put_u64(o + offset_of!(InstanceObject, offset), at);
        objects.put_u64(o + offset_of!(InstanceObject, size), size as u64);
        count += 1;
    }
    objects.define(module, objects_id)?;

    // The memory states of defined memories point at their `VMMemory`.
    let fixups_id = declare(module, "wasi_aot_instance_fixups")?;
    let mut fixups = Blob::new(env.memories.len() * size_of::<InstanceFixup>(), 8);
    let mut nfixups = 0;
    for i in 0..env.memories.len() as u32 {
        if env.is_imported_memory(i) {
            continue;
        }
        let target = if i == 0 {
            offset_of_data(syms.vmctx) + offset_of!(VMContext, memory) as u64
        } else {
            offset_of_data(syms.memories) + Symbols::memory_offset(i) as u64
        };
        let f = nfixups * size_of::<InstanceFixup>();
        fixups.put_u64(
            f + offset_of!(InstanceFixup, at),
            offset_of_data(syms.memory_states) + Symbols::import_pointer_offset(i) as u64,
        );
        fixups.put_u64(f + offset_of!(InstanceFixup, target), target);
        nfixups += 1;
    }
    fixups.define(module, fixups_id)?;

    let layout_id = module
        .declare_data(abi::sym::INSTANCE_LAYOUT, Linkage::Export, false, false)
        .map_err(object_err)?;
    let mut layout = Blob::new(size_of::<InstanceLayout>(), 8);
    layout.put_u64(offset_of!(InstanceLayout, size), end);
    layout.put_slice(
        offset_of!(InstanceLayout, objects),
        Some(Target::Data(objects_id, 0)),
        count as u64,
    );
    layout.put_slice(
        offset_of!(InstanceLayout, fixups),
        Some(Target::Data(fixups_id, 0)),
        nfixups as u64,
    );
    layout.put_u64(
        offset_of!(InstanceLayout, vmctx),
        offset_of_data(syms.vmctx),
    );
    layout.put_u64(
        offset_of!(InstanceLayout, memory_states),
        offset_of_data(syms.memory_states),
    );
    layout.put_u64(
        offset_of!(InstanceLayout, tables),
        offset_of_data(syms.tables),
    );
    if let Some(f) = api.initialize(env) {
        let canonical = env.canonical_types[env.funcs[f as usize] as usize];
        if let Some((_, tramp)) = trampolines.iter().find(|(t, _)| *t == canonical) {
            layout.put_ptr(
                offset_of!(InstanceLayout, initialize),
                Target::Func(syms.funcs[f as usize]),
            );
            layout.put_ptr(
                offset_of!(InstanceLayout, initialize_trampoline),
                Target::Func(*tramp),
            );
        }
    }
    layout.define(module, layout_id)
}

/// `text` escaped for a C comment: printable ASCII, and never `*/`.
fn comment(text: &str) -> String {
    text.escape_default().to_string().replace("*/", "*\\/")
}

/// The declaration of `NAME_<ident>` for a wasm function of type `ty`, as
/// [`env::c_api_signature`] has it.
fn prototype(n: &str, ident: &str, ty: &FuncType) -> String {
    let mut params = vec![format!("{n} *instance")];
    for (i, t) in ty.params().iter().enumerate() {
        let c = c_type(n, *t);
        params.push(if *t == ValType::V128 {
            format!("const {c} *p{i}")
        } else {
            format!("{c} p{i}")
        });
    }
    let ret = if env::c_results_by_pointer(ty) {
        params.push(format!("{n}_{ident}_results *results"));
        "void".to_string()
    } else {
        ty.results()
            .first()
            .map_or("void".into(), |t| c_type(n, *t))
    };
    format!("{ret} {n}_{ident}({})", params.join(", "))
}

/// The typedef of `NAME_<ident>_results` (with a blank line before it),
/// when a function of type `ty` returns its results through it; else "".
fn result_struct(n: &str, ident: &str, ty: &FuncType) -> String {
    if !env::c_results_by_pointer(ty) {
        return String::new();
    }
    let mut s = format!("\ntypedef struct {n}_{ident}_results {{\n");
    for (i, t) in ty.results().iter().enumerate() {
        let _ = writeln!(s, "    {} r{i};", c_type(n, *t));
    }
    let _ = writeln!(s, "}} {n}_{ident}_results;");
    s
}

/// The C header of the library.
pub(super) fn header(env: &ModuleEnv, api: &Api) -> String {
    let n = &api.name;
    let guard = format!("{}_H", n.to_ascii_uppercase());
    let mut h = String::new();
    let _ = write!(
        h,
        "/* {n}.h: a WebAssembly module as a sandboxed C library (generated by wasi-aot).

   Each {n} is an instance of the module: its own linear memory, globals
   and tables. Any number of instances may exist at once; an instance runs
   one call at a time. A call that traps (or whose module calls proc_exit)
   returns zeros, and {n}_trap says why; the instance stays usable. */
#ifndef {guard}
#define {guard}

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern \"C\" {{
#endif

/* An instance of the module. */
typedef struct {n} {n};

/* A v128 value: lanes in little-endian order, `lo` holding bytes 0-7.
   Functions below (exports and imports alike) take a v128 parameter by
   pointer; one with several results, or a v128 result, returns them in
   its `..._results` struct, whose pointer is its last parameter. */
typedef struct {n}_v128 {{
    uint64_t lo;
    uint64_t hi;
}} {n}_v128;

/* A directory an instance may use: `host` is opened by {n}_new, the
   module sees it as `guest` (e.g. \"/data\"). */
typedef struct {n}_dir {{
    const char *host;
    const char *guest;
}} {n}_dir;

/* What an instance may reach through WASI, and where {n}_new reports why
   it failed. Zero every field you do not set (`{n}_config c = {{0}};`):
   all zero is the default, as is a NULL config: no arguments, no
   environment, no directories, the process's own stdin, stdout and
   stderr. Clocks and random numbers are always available. The instance
   copies what it needs: the config may be freed once {n}_new returns. */
typedef struct {n}_config {{
    /* The arguments the module sees (args_get), argv[0] included. */
    const char *const *args;
    size_t num_args;
    /* Its environment: \"NAME=VALUE\" strings (environ_get). */
    const char *const *env;
    size_t num_env;
    /* Preopened directories, the module's descriptors 3, 4, ...; paths
       cannot leave them (no `..` above them, no absolute paths, no
       symbolic link out of them). */
    const {n}_dir *dirs;
    size_t num_dirs;
    /* NULL, or three host descriptors the module's 0, 1 and 2 duplicate
       (negative: the module has no such descriptor). */
    const int *stdio;
    /* When {n}_new fails, it writes why here (a NUL-terminated line, cut
       to `error_size` bytes). NULL: nowhere. */
    char *error;
    size_t error_size;
}} {n}_config;

/* Creates an instance (opens its directories, runs the module's start
   function and its `_initialize` export, if any). Returns NULL when it
   cannot: no memory or address space, a directory or descriptor that
   cannot be opened, or the initialisation trapped; `config->error` then
   says which. */
{n} *{n}_new(const {n}_config *config);

/* Frees an instance and its memory. */
void {n}_free({n} *instance);

/* NULL when the instance's last call returned normally, else why it
   trapped (the WebAssembly spec's message, e.g. \"integer divide by zero\",
   or \"exit with status N\" after proc_exit). */
const char *{n}_trap(const {n} *instance);

/* The instance's linear memory 0 and its current length in bytes. The
   address never changes; the length grows with memory.grow. NULL when the
   module has no memory. */
uint8_t *{n}_memory({n} *instance, size_t *length);

/* A pointer the application keeps with the instance (NULL at first). */
void {n}_set_user_data({n} *instance, void *data);
void *{n}_user_data(const {n} *instance);

/* Threads: two threads may call two instances at the same time; an
   instance runs one call at a time. Every thread that calls into an
   instance needs an alternate signal stack, to get \"call stack
   exhausted\" back as a trap: {n}_new gives its thread one, other threads
   call {n}_thread_init first (0: done, -1: no memory; nothing when the
   thread has one). {n}_thread_free takes away and frees the one
   {n}_thread_init or {n}_new made, before a thread ends. */
int {n}_thread_init(void);
void {n}_thread_free(void);
"
    );
    if !api.exports.is_empty() {
        let _ = writeln!(h, "\n/* The module's exported functions. */");
    }
    for export in &api.exports {
        let ty = env.func_type(export.func);
        let _ = writeln!(
            h,
            "{}/* export \"{}\": {} */\n{};",
            result_struct(n, &export.ident, ty),
            comment(&export.name),
            comment(&ty.to_string()),
            prototype(n, &export.ident, ty)
        );
    }
    if !api.imports.is_empty() {
        let _ = writeln!(
            h,
            "\n/* The module's imports: the application defines these functions. Each \
             gets the\n   calling instance first. */"
        );
    }
    for import in &api.imports {
        let ty = env.func_type(import.func);
        let ident = format!("import_{}", import.ident);
        let _ = writeln!(
            h,
            "{}/* import \"{}\" \"{}\": {} */\n{};",
            result_struct(n, &ident, ty),
            comment(&import.module),
            comment(&import.name),
            comment(&ty.to_string()),
            prototype(n, &ident, ty)
        );
    }
    let _ = write!(
        h,
        "\n#ifdef __cplusplus\n}}\n#endif\n\n#endif /* {guard} */\n"
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_identifiers() {
        assert_eq!(c_identifier("add"), "add");
        assert_eq!(c_identifier("a-b.c"), "a_b_c");
        assert_eq!(c_identifier("1st"), "_1st");
        assert_eq!(c_identifier(""), "_");
        assert_eq!(c_identifier("é"), "_");
    }

    #[test]
    fn result_structs_follow_c_layout() {
        use ValType::*;
        assert_eq!(struct_offsets(&[I64, F32]), [0, 8]);
        assert_eq!(struct_offsets(&[I32, I64, F32, F64]), [0, 8, 16, 24]);
        assert_eq!(struct_offsets(&[F32, V128, I32]), [0, 8, 24]);
        assert_eq!(struct_size(&[I64, F32]), 16);
        assert_eq!(struct_size(&[I32, I32]), 8);
        assert_eq!(struct_size(&[F32, V128, I32]), 32);
    }
}
