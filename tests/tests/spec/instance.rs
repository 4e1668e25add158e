//! Modules and instances: compiling a module once, instantiating it any
//! number of times with imports resolved against other instances' exports,
//! and reading and calling exports.
//!
//! Import matching follows the spec's rules for external types: function
//! types equal; globals of equal value type and mutability; tables and
//! memories of equal index type and (tables) element type whose current
//! size and maximum fit the import's limits. A mismatch is a link error (`assert_unlinkable`).
//!
//! Function type ids are canonical across everything loaded: the harness
//! interns every function type and rewrites each image's `type_ids` and
//! `funcrefs` type ids before any code runs, so `call_indirect` through a
//! table shared between instances compares like with like.
//!
//! Memories, tables, the per-instance state behind `VMContext::runtime_state`
//! and the builtins are the runtime crate's (`wasi_aot_runtime::instance`):
//! an instance owns the `Memory` and `Table` objects it defines, in boxes
//! whose addresses its state and its importers hold, and takes imported
//! ones by pointer from the exporter.

use std::collections::HashMap;
use std::mem::{offset_of, size_of};

use wasi_aot_abi::{ModuleInfo, Trap, VMFuncRef, VMMemory, VMTable, stride, sym};
use wasi_aot_compiler::Options;
use wasi_aot_runtime::instance::{InstanceState, Memory, Table};
use wasmparser::types::TypeIdentifier;
use wasmparser::{
    CompositeInnerType, ExternalKind, FuncType, GlobalType, MemoryType, Parser, Payload, RefType,
    TableType, TypeRef, ValType, Validator, WasmFeatures,
};

use crate::loader::{Image, Object};
use crate::runtime::{self, Outcome};

// The trampolines' argument array has a `u128` per slot.
const _: () = assert!(size_of::<u128>() == stride::TRAMPOLINE_SLOT);

/// What a module imports and exports, read from its binary.
pub struct ModuleDecl {
    types: Vec<FuncType>,
    /// Type index of every function, imports first.
    funcs: Vec<u32>,
    imports: Vec<(String, String, TypeRef)>,
    tables: Vec<TableType>,
    memories: Vec<MemoryType>,
    globals: Vec<GlobalType>,
    /// Type index of every tag, imports first.
    tags: Vec<u32>,
    exports: Vec<(String, ExternalKind, u32)>,
}

impl ModuleDecl {
    fn parse(wasm: &[u8]) -> Result<ModuleDecl, String> {
        let mut d = ModuleDecl {
            types: Vec::new(),
            funcs: Vec::new(),
            imports: Vec::new(),
            tables: Vec::new(),
            memories: Vec::new(),
            globals: Vec::new(),
            tags: Vec::new(),
            exports: Vec::new(),
        };
        let err = |e: wasmparser::BinaryReaderError| e.to_string();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.map_err(err)? {
                Payload::TypeSection(s) => {
                    for group in s {
                        for sub in group.map_err(err)?.into_types() {
                            match sub.composite_type.inner {
                                CompositeInnerType::Func(f) => d.types.push(f),
                                _ => return Err("non-function type".into()),
                            }
                        }
                    }
                }
                Payload::ImportSection(s) => {
                    for import in s.into_imports() {
                        let import = import.map_err(err)?;
                        match import.ty {
                            TypeRef::Func(t) => d.funcs.push(t),
                            TypeRef::Table(t) => d.tables.push(t),
                            TypeRef::Memory(m) => d.memories.push(m),
                            TypeRef::Global(g) => d.globals.push(g),
                            TypeRef::Tag(t) => d.tags.push(t.func_type_idx),
                            _ => return Err("unsupported import kind".into()),
                        }
                        d.imports
                            .push((import.module.into(), import.name.into(), import.ty));
                    }
                }
                Payload::FunctionSection(s) => {
                    for f in s {
                        d.funcs.push(f.map_err(err)?);
                    }
                }
                Payload::TableSection(s) => {
                    for t in s {
                        d.tables.push(t.map_err(err)?.ty);
                    }
                }
                Payload::MemorySection(s) => {
                    for m in s {
                        d.memories.push(m.map_err(err)?);
                    }
                }
                Payload::GlobalSection(s) => {
                    for g in s {
                        d.globals.push(g.map_err(err)?.ty);
                    }
                }
                Payload::TagSection(s) => {
                    for t in s {
                        d.tags.push(t.map_err(err)?.func_type_idx);
                    }
                }
                Payload::ExportSection(s) => {
                    for e in s {
                        let e = e.map_err(err)?;
                        d.exports.push((e.name.into(), e.kind, e.index));
                    }
                }
                _ => {}
            }
        }
        Ok(d)
    }

    fn num_imported(&self, kind: fn(&TypeRef) -> bool) -> usize {
        self.imports.iter().filter(|(_, _, t)| kind(t)).count()
    }
}

/// A compiled module.
pub struct Module {
    decl: ModuleDecl,
    object: Object,
    wasm: Vec<u8>,
}

impl Module {
    /// Compiles `wasm` with `options` to a library object and prepares it
    /// for loading.
    pub fn compile(wasm: &[u8], options: &Options) -> Result<Module, String> {
        let bytes = wasi_aot_compiler::compile_library(wasm, options).map_err(|e| e.to_string())?;
        Ok(Module {
            decl: ModuleDecl::parse(wasm)?,
            object: Object::parse(&bytes)?,
            wasm: wasm.to_vec(),
        })
    }
}

/// Something an instance exports.
#[derive(Clone)]
pub enum Extern {
    Func {
        funcref: *const VMFuncRef,
        ty: FuncType,
        /// `ty`'s id (see [`TypeInterner`]).
        type_id: u32,
        /// The exporting instance's trampoline for `ty`.
        trampoline: usize,
    },
    Global {
        ptr: *mut u8,
        ty: GlobalType,
    },
    /// A table (owned by the defining instance, shared by importers).
    Table {
        table: *const Table,
        ty: RefType,
        /// Whether its indices are 64-bit.
        table64: bool,
    },
    /// A memory (owned by the defining instance, shared by importers).
    Memory(*const Memory),
    /// An exception tag: its identity word and its type's id.
    Tag {
        id: usize,
        type_id: u32,
    },
}

/// Type ids valid across all modules of a file: equal ids for equal types.
/// One wasmparser validator sees every module, and its canonicalised type
/// ids are the spec's type equality (structural for lone function types;
/// within recursion groups, equal groups and the same position).
pub struct TypeInterner {
    validator: Validator,
}

impl TypeInterner {
    /// An interner validating with `features` (the compiler's).
    pub fn new(features: WasmFeatures) -> TypeInterner {
        TypeInterner {
            validator: Validator::new_with_features(features),
        }
    }

    /// The id of each type of module `wasm`, by type index.
    fn module_ids(&mut self, wasm: &[u8]) -> Result<Vec<u32>, String> {
        self.validator.reset();
        let types = self
            .validator
            .validate_all(wasm)
            .map_err(|e| e.to_string())?;
        let types = types.as_ref();
        Ok((0..types.core_type_count_in_module())
            .map(|i| types.core_type_at_in_module(i).index() as u32)
            .collect())
    }
}

/// An instance: its image, its runtime state with the lists it points to,
/// and the memories and tables it defines.
pub struct Instance {
    pub exports: HashMap<String, Extern>,
    image: Image,
    _state: Box<InstanceState>,
    _memories: Box<[*const Memory]>,
    _tables: Box<[*const Table]>,
    _dropped: Box<[u8]>,
    #[expect(
        clippy::vec_box,
        reason = "each box's address is in the runtime state and importers"
    )]
    _owned_memories: Vec<Box<Memory>>,
    #[expect(
        clippy::vec_box,
        reason = "each box's address is in the runtime state and importers"
    )]
    _owned_tables: Vec<Box<Table>>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let (start, end) = self.image.range();
        runtime::unregister_code(start, end);
    }
}

/// Why instantiation failed.
pub enum InstantiateError {
    /// An import is missing or has the wrong type.
    Link(String),
    /// Initialisation trapped (`assert_trap` on a module); the instance's
    /// image and resources must stay alive: shared tables may now hold
    /// references into it.
    Trap(Trap, Box<Instance>),
    /// Anything else (a harness or compiler problem).
    Other(String),
}

fn limits_match(actual_min: u64, actual_max: Option<u64>, min: u64, max: Option<u64>) -> bool {
    actual_min >= min
        && match max {
            None => true,
            Some(m) => actual_max.is_some_and(|a| a <= m),
        }
}

/// Finds and checks the extern satisfying import `ty`.
fn resolve(
    registry: &HashMap<String, HashMap<String, Extern>>,
    type_ids: &[u32],
    module: &str,
    name: &str,
    ty: &TypeRef,
) -> Result<Extern, String> {
    let ext = registry
        .get(module)
        .and_then(|m| m.get(name))
        .ok_or_else(|| format!("unknown import {module}::{name}"))?;
    let ok = match (ty, ext) {
        (TypeRef::Func(t), Extern::Func { type_id, .. }) => type_ids[*t as usize] == *type_id,
        (TypeRef::Global(g), Extern::Global { ty, .. }) => {
            g.content_type == ty.content_type && g.mutable == ty.mutable
        }
        (TypeRef::Table(t), Extern::Table { table, ty, table64 }) => {
            // SAFETY: an exported table lives as long as its instance, and
            // instances live until the end of the file.
            let table = unsafe { &**table };
            t.element_type == *ty
                && t.table64 == *table64
                && limits_match(
                    table.len(),
                    Some(table.max()).filter(|m| *m != u64::MAX),
                    t.initial,
                    t.maximum,
                )
        }
        (TypeRef::Tag(t), Extern::Tag { type_id, .. }) => {
            type_ids[t.func_type_idx as usize] == *type_id
        }
        (TypeRef::Memory(m), Extern::Memory(mem)) => {
            // SAFETY: as for tables.
            let mem = unsafe { &**mem };
            m.memory64 == mem.index64()
                && limits_match(
                    mem.pages(),
                    Some(mem.max_pages()).filter(|m| *m != u64::MAX),
                    m.initial,
                    m.maximum,
                )
        }
        _ => false,
    };
    if ok {
        Ok(ext.clone())
    } else {
        Err(format!("incompatible import type for {module}::{name}"))
    }
}

/// Instantiates `module`, resolving imports in `registry`.
pub fn instantiate(
    module: &Module,
    registry: &HashMap<String, HashMap<String, Extern>>,
    types: &mut TypeInterner,
) -> Result<Instance, InstantiateError> {
    let decl = &module.decl;
    let other = InstantiateError::Other;
    let ids = types.module_ids(&module.wasm).map_err(other)?;
    let mut imports = Vec::new();
    for (m, n, ty) in &decl.imports {
        imports.push(resolve(registry, &ids, m, n, ty).map_err(InstantiateError::Link)?);
    }
    let image = module.object.load().map_err(other)?;
    let sym = |name: &str| image.symbol(name);
    let info_addr = sym(sym::MODULE_INFO).map_err(other)?;
    // SAFETY: the symbol is the ModuleInfo the compiler wrote, relocated.
    let info: &ModuleInfo = unsafe { &*(info_addr as *const ModuleInfo) };
    let vmctx = info.vmctx;
    let addr = |name: &str| sym(name).map_err(InstantiateError::Other);
    let (type_ids, funcrefs) = (addr(sym::TYPE_IDS)?, addr(sym::FUNCREFS)?);
    let (globals, tables) = (addr(sym::GLOBALS)?, addr(sym::TABLES)?);
    let (import_slots, global_imports) = (addr(sym::IMPORT_SLOTS)?, addr(sym::GLOBAL_IMPORTS)?);
    let (table_imports, memory_states) = (addr(sym::TABLE_IMPORTS)?, addr(sym::MEMORY_STATES)?);
    let tags = addr(sym::TAGS)?;

    let write = |addr: usize, value: usize| image.write(addr, value).map_err(other);
    for (t, id) in ids.iter().enumerate() {
        image
            .write(type_ids + stride::TYPE_ID * t, *id)
            .map_err(other)?;
    }
    for (f, ty) in decl.funcs.iter().enumerate() {
        let at = funcrefs + f * size_of::<VMFuncRef>() + offset_of!(VMFuncRef, type_id);
        image.write(at, ids[*ty as usize]).map_err(other)?;
    }

    let mut memories: Vec<*const Memory> = Vec::new();
    let mut tables_list: Vec<*const Table> = Vec::new();
    let (mut nfunc, mut nglobal, mut ntag) = (0, 0, 0);
    for ext in &imports {
        match ext {
            Extern::Func { funcref, .. } => {
                // SAFETY: the exporter's funcref lives in its live image.
                let code = unsafe { (**funcref).code };
                write(import_slots + stride::WORD * nfunc, code as usize)?;
                nfunc += 1;
            }
            Extern::Global { ptr, .. } => {
                write(global_imports + stride::WORD * nglobal, *ptr as usize)?;
                nglobal += 1;
            }
            Extern::Table { table, .. } => {
                // SAFETY: the exporter's table is alive (see `resolve`).
                let vm = unsafe { (**table).vm() };
                write(
                    table_imports + stride::WORD * tables_list.len(),
                    vm as usize,
                )?;
                tables_list.push(*table);
            }
            Extern::Memory(m) => {
                // SAFETY: as for tables.
                let vm = unsafe { (**m).vm() };
                write(memory_states + stride::WORD * memories.len(), vm as usize)?;
                memories.push(*m);
            }
            Extern::Tag { id, .. } => {
                write(tags + stride::WORD * ntag, *id)?;
                ntag += 1;
            }
        }
    }
    let resource = |e: wasi_aot_runtime::instance::Error| other(e.to_string());
    let mut owned_tables = Vec::new();
    for (t, ty) in decl.tables.iter().enumerate().skip(tables_list.len()) {
        let vm = (tables + t * size_of::<VMTable>()) as *mut VMTable;
        let max = ty.maximum.unwrap_or(u64::MAX);
        // SAFETY: `vm` is the image's VMTable for table `t`; the table is
        // dropped with the instance, after the last use of the image.
        let table = Box::new(unsafe { Table::new(vm, ty.initial, max) }.map_err(resource)?);
        tables_list.push(&*table);
        owned_tables.push(table);
    }
    let mut owned_memories = Vec::new();
    for (i, m) in decl.memories.iter().enumerate().skip(memories.len()) {
        // SAFETY: the compiler points a defined memory's entry of
        // `memory_states` at its `VMMemory` in the image (relocated by the
        // loader).
        let vm = unsafe { *((memory_states + stride::WORD * i) as *const *mut VMMemory) };
        // SAFETY: `vm` lives in the image, alive as long as the memory is
        // used (both go with the instance).
        let memory = Box::new(
            unsafe { Memory::new(vm, m.initial, m.maximum.unwrap_or(u64::MAX), m.memory64) }
                .map_err(resource)?,
        );
        memories.push(&*memory);
        owned_memories.push(memory);
    }

    let memories = memories.into_boxed_slice();
    let tables_list = tables_list.into_boxed_slice();
    let mut dropped = vec![0u8; (info.data.len + info.elems.len) as usize].into_boxed_slice();
    // SAFETY: the lists, flags, memories and tables are owned by the
    // instance (or, when imported, by instances living as long), and so is
    // the image holding `info`; all outlive the instance's code.
    let state =
        Box::new(unsafe { InstanceState::new(info, &memories, &tables_list, &mut dropped) });
    // SAFETY: `vmctx` is the image's VMContext, no code of it has run; the
    // state box outlives the image (both are dropped with the instance).
    unsafe { wasi_aot_runtime::instance::attach(vmctx, &*state) };

    // For the signal handler: which module a faulting PC belongs to.
    let (start, end) = image.range();
    // SAFETY: `info` lives in the image, which unregisters itself when the
    // instance drops (`Instance::drop`).
    unsafe { runtime::register_code(start, end, info) };

    let mut exports = HashMap::new();
    let num_imported_globals = decl.num_imported(|t| matches!(t, TypeRef::Global(_)));
    for (name, kind, index) in &decl.exports {
        let i = *index as usize;
        let ext = match kind {
            ExternalKind::Func => {
                let t = decl.funcs[i] as usize;
                // The compiler's module-canonical type: the first equal one,
                // which names the trampoline.
                let canonical = ids.iter().position(|id| *id == ids[t]).unwrap_or(t);
                Extern::Func {
                    funcref: (funcrefs + i * size_of::<VMFuncRef>()) as *const VMFuncRef,
                    ty: decl.types[t].clone(),
                    type_id: ids[t],
                    trampoline: addr(&format!("{}{canonical}]", sym::TRAMPOLINE))?,
                }
            }
            ExternalKind::Global => match imports.iter().filter_map(global_of).nth(i) {
                Some(g) if i < num_imported_globals => g,
                _ => Extern::Global {
                    ptr: (globals + stride::GLOBAL * i) as *mut u8,
                    ty: decl.globals[i],
                },
            },
            ExternalKind::Table => Extern::Table {
                table: tables_list[i],
                ty: decl.tables[i].element_type,
                table64: decl.tables[i].table64,
            },
            ExternalKind::Tag => Extern::Tag {
                // SAFETY: the image's `tags` holds one identity word per
                // tag, the imported ones written above.
                id: unsafe { *((tags + stride::WORD * i) as *const usize) },
                type_id: ids[decl.tags[i] as usize],
            },
            ExternalKind::Memory => match memories.get(i) {
                Some(m) => Extern::Memory(*m),
                None => return Err(other("memory export without a memory".into())),
            },
            _ => return Err(other(format!("unsupported export kind of {name}"))),
        };
        exports.insert(name.clone(), ext);
    }

    let instance = Instance {
        exports,
        image,
        _state: state,
        _memories: memories,
        _tables: tables_list,
        _dropped: dropped,
        _owned_memories: owned_memories,
        _owned_tables: owned_tables,
    };
    // SAFETY: all imports, builtins, memory and tables are in place; `init`
    // is the compiler's instantiation function taking the vmctx.
    match unsafe { runtime::call_wasm(info.init as usize, vmctx as usize, 0) } {
        Ok(Outcome::Returned) => Ok(instance),
        Ok(Outcome::Trapped(t)) => Err(InstantiateError::Trap(t, Box::new(instance))),
        Ok(Outcome::Crashed(what)) => Err(other(format!("crash during instantiation: {what}"))),
        Err(e) => Err(other(e)),
    }
}

fn global_of(ext: &Extern) -> Option<Extern> {
    matches!(ext, Extern::Global { .. }).then(|| ext.clone())
}

/// Calls exported function `ext` with `args` (one 16-byte slot each).
pub fn call(ext: &Extern, args: &[u128]) -> Result<Result<Vec<u128>, Trap>, String> {
    let Extern::Func {
        funcref,
        ty,
        trampoline,
        ..
    } = ext
    else {
        return Err("not a function".into());
    };
    if args.len() != ty.params().len() {
        return Err(format!(
            "{} arguments for {} parameters",
            args.len(),
            ty.params().len()
        ));
    }
    let mut slots = vec![0u128; args.len().max(ty.results().len()).max(1)];
    slots[..args.len()].copy_from_slice(args);
    // SAFETY: the funcref lives in a live image.
    let code = unsafe { (**funcref).code } as usize;
    // SAFETY: the trampoline matches the function's type and `slots` holds
    // a 16-byte slot for every parameter and result.
    let outcome = unsafe { runtime::call_wasm(*trampoline, code, slots.as_mut_ptr() as usize) }?;
    match outcome {
        Outcome::Returned => {
            slots.truncate(ty.results().len());
            Ok(Ok(slots))
        }
        Outcome::Trapped(t) => Ok(Err(t)),
        Outcome::Crashed(what) => Err(format!("crashed: {what}")),
    }
}

/// Reads global `ext` as a 16-byte slot.
pub fn read_global(ext: &Extern) -> Result<(u128, ValType), String> {
    let Extern::Global { ptr, ty } = ext else {
        return Err("not a global".into());
    };
    // SAFETY: a global's slot is 16 bytes in a live image, 16-byte aligned.
    let v = unsafe { (*ptr as *const u128).read_unaligned() };
    Ok((v, ty.content_type))
}
