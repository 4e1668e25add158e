//! The module description every later stage reads, and the symbols that
//! connect translated code to the per-instance state in the object.
//!
//! `parse` fills [`ModuleEnv`] from the binary; `emit` declares the object's
//! symbols ([`Symbols`]) before any function is translated, so functions can
//! be translated and compiled in parallel: a translated function refers to
//! other functions and data only by `FuncId`/`DataId`, written into its
//! external names with the namespaces cranelift-module uses (0 = function,
//! 1 = data object).
//!
//! How compiled code reaches each kind of state (the layout contract is
//! `wasi_aot_abi`):
//! - memory 0, when defined: `VMContext::memory` inside the `wasi_aot_vmctx`
//!   symbol; another defined memory: its `VMMemory` in the `memories` data
//!   object. No memory's `base` ever moves, so it is loaded `readonly` and
//!   may be hoisted;
//! - defined globals: 16-byte slots in the `globals` data object;
//! - tables: `VMTable` records in the `tables` data object, base reloaded on
//!   every access (it moves on `table.grow`);
//! - funcrefs: one `VMFuncRef` per function in the `funcrefs` data object;
//! - imported functions: addresses in the `import_slots` data object; a WASI
//!   import holds a host function (platform C convention), any other import
//!   the code of another instance's wasm function (`tail` convention);
//! - imported globals, tables and memories (library objects only, see
//!   `emit::compile_library`): pointers to the exporting instance's global
//!   slot, `VMTable` and `VMMemory` in the `global_imports`, `table_imports`
//!   and `memory_states` data objects, written before anything runs
//!   (`memory_states` also points at every defined memory's state, for the
//!   runtime: `ModuleInfo::memory_states`);
//! - builtins: `VMContext::builtins[id]`, C convention, vmctx first;
//! - exception tags: one identity word per tag in the `tags` data object
//!   (a defined tag's word is its own address, an imported one's the
//!   exporter's identity, written by the loader).

use cranelift_codegen::ir::{self, AbiParam, TrapCode, types};
use cranelift_codegen::isa::CallConv;
use cranelift_module::{DataId, FuncId};
use wasi_aot_abi::{AbiSig, AbiType, Trap, WasiFunc};
use wasmparser::{FuncType, FunctionBody, GlobalType, MemoryType, TableType, ValType};

/// Index of a function in the module's function index space (imports first).
pub type FuncIndex = u32;
/// Index of a type in the type section.
pub type TypeIndex = u32;

/// Calling convention of every wasm function body (supports `return_call`).
pub const WASM_CALL_CONV: CallConv = CallConv::Tail;
/// Calling convention of host functions and builtins.
pub const HOST_CALL_CONV: CallConv = CallConv::SystemV;

/// An imported function.
#[derive(Debug, Clone)]
pub struct FuncImportDesc {
    pub module: String,
    pub name: String,
    pub type_index: TypeIndex,
    /// The WASI function it resolves to.
    pub wasi: Option<WasiFunc>,
    /// Offset of the import in the binary.
    pub offset: usize,
}

impl FuncImportDesc {
    /// Whether the import is called as a host function (C convention): WASI
    /// functions are; any other import is another instance's wasm function.
    pub fn is_host(&self) -> bool {
        self.wasi.is_some()
    }
}

/// An imported memory, table or global (named for error messages).
#[derive(Debug, Clone)]
pub struct OtherImportDesc {
    pub module: String,
    pub name: String,
    pub offset: usize,
}

/// A constant initializer, evaluated at build time when possible.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ConstValue {
    I32(i32),
    I64(i64),
    /// Bit pattern.
    F32(u32),
    /// Bit pattern.
    F64(u64),
    V128(u128),
    /// `ref.null` of either kind (the zero word).
    RefNull,
    /// `ref.func i`.
    RefFunc(FuncIndex),
    /// `global.get g` of imported global `g`: only known at instantiation,
    /// so the `init` function computes it.
    ImportedGlobal(u32),
    /// Integer arithmetic on imported globals (an extended constant
    /// expression): `ModuleEnv::deferred_consts[i]`, which the `init`
    /// function computes.
    Computed(u32),
}

/// An integer constant expression that reads imported globals, so is
/// computed at instantiation. Arithmetic wraps at the operands' width (the
/// validator has checked both operands have the result's type).
#[derive(Debug, Clone, PartialEq)]
pub enum DeferredConst {
    I32(i32),
    I64(i64),
    ImportedGlobal(u32),
    Binary(ConstBinOp, Box<DeferredConst>, Box<DeferredConst>),
}

/// The arithmetic of extended constant expressions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ConstBinOp {
    Add,
    Sub,
    Mul,
}

/// A global's initializer.
#[derive(Debug, Clone)]
pub enum GlobalInit {
    /// Written into the object's data when known at build time; an
    /// [`ConstValue::ImportedGlobal`] is copied, a [`ConstValue::Computed`]
    /// computed, by the `init` function.
    Const(ConstValue),
    /// The global is imported: compiled code reaches the exporter's slot
    /// through a pointer in the `global_imports` data object.
    Import,
}

/// A global of the module's global index space (imports first; executables
/// have no imported globals).
#[derive(Debug, Clone)]
pub struct GlobalDesc {
    pub ty: GlobalType,
    pub init: GlobalInit,
}

/// An element segment.
#[derive(Debug, Clone)]
pub struct ElemDesc {
    pub kind: ElemKind,
    /// Items evaluated at build time: `None` = null reference.
    pub items: Vec<Option<FuncIndex>>,
    /// Items that read an imported global, `(item, global)`: null in
    /// `items`, written by the `init` function before any segment is
    /// applied.
    pub global_items: Vec<(u32, u32)>,
    pub offset: usize,
}

#[derive(Debug, Clone)]
pub enum ElemKind {
    Passive,
    Declared,
    Active { table: u32, offset: ConstValue },
}

/// A data segment.
#[derive(Debug, Clone)]
pub struct DataDesc<'data> {
    pub bytes: &'data [u8],
    /// `Some((memory, offset))` for active segments.
    pub active: Option<(u32, ConstValue)>,
}

/// An export.
#[derive(Debug, Clone)]
pub struct ExportDesc {
    pub name: String,
    pub kind: wasmparser::ExternalKind,
    pub index: u32,
}

/// Everything known about the module before its functions are translated.
#[derive(Debug, Default)]
pub struct ModuleEnv<'data> {
    /// Function types, by type index.
    pub types: Vec<FuncType>,
    /// Module-canonical id of each type: the index of the first
    /// equal type (see `parse::canonical_types`). `call_indirect` compares
    /// these.
    pub canonical_types: Vec<u32>,
    /// Type index of every function, imports first.
    pub funcs: Vec<TypeIndex>,
    pub func_imports: Vec<FuncImportDesc>,
    /// Imported memories, tables and globals, in import order.
    pub other_imports: Vec<OtherImportDesc>,
    /// Globals, imports first.
    pub globals: Vec<GlobalDesc>,
    /// Tables, imports first.
    pub tables: Vec<TableType>,
    /// How many of `tables` are imported.
    pub num_imported_tables: u32,
    /// Memories, imports first.
    pub memories: Vec<MemoryType>,
    /// How many of `memories` are imported.
    pub num_imported_memories: u32,
    pub exports: Vec<ExportDesc>,
    pub start: Option<FuncIndex>,
    pub elems: Vec<ElemDesc>,
    pub data: Vec<DataDesc<'data>>,
    /// Bodies of the defined functions, in order.
    pub bodies: Vec<FunctionBody<'data>>,
    /// Names from the name section, by function index.
    pub func_names: std::collections::HashMap<FuncIndex, String>,
    /// The expressions of the [`ConstValue::Computed`] values.
    pub deferred_consts: Vec<DeferredConst>,
    /// Exception tags, imports first: the type index of each (a function
    /// type whose params are the payload).
    pub tags: Vec<TypeIndex>,
    /// How many of `tags` are imported.
    pub num_imported_tags: u32,
}

impl ModuleEnv<'_> {
    /// How to compute `value` at instantiation, if it is not known at
    /// build time.
    pub fn deferred_const(&self, value: ConstValue) -> Option<DeferredConst> {
        match value {
            ConstValue::ImportedGlobal(g) => Some(DeferredConst::ImportedGlobal(g)),
            ConstValue::Computed(i) => self.deferred_consts.get(i as usize).cloned(),
            _ => None,
        }
    }

    /// Number of imported functions.
    pub fn num_imported_funcs(&self) -> u32 {
        self.func_imports.len() as u32
    }

    /// Whether `func` is an import.
    pub fn is_imported(&self, func: FuncIndex) -> bool {
        func < self.num_imported_funcs()
    }

    /// Whether memory `memory` is imported.
    pub fn is_imported_memory(&self, memory: u32) -> bool {
        memory < self.num_imported_memories
    }

    /// Whether table `table` is imported.
    pub fn is_imported_table(&self, table: u32) -> bool {
        table < self.num_imported_tables
    }

    /// The type of function `func`.
    pub fn func_type(&self, func: FuncIndex) -> &FuncType {
        &self.types[self.funcs[func as usize] as usize]
    }
}

/// Object symbols, declared before translation starts.
#[derive(Debug, Clone)]
pub struct Symbols {
    /// Per function index: the body for defined functions, the `tail`
    /// convention thunk for imported ones (what a funcref's `code` points to).
    pub funcs: Vec<FuncId>,
    /// The `VMContext` (`wasi_aot_vmctx`).
    pub vmctx: DataId,
    /// Defined globals, [`GLOBAL_SLOT`] bytes each.
    pub globals: DataId,
    /// `VMTable` per table.
    pub tables: DataId,
    /// `VMFuncRef` per function.
    pub funcrefs: DataId,
    /// `u32` type id per type index (see `ModuleInfo`).
    pub type_ids: DataId,
    /// Address per imported function.
    pub import_slots: DataId,
    /// Pointer to the exporter's slot per imported global.
    pub global_imports: DataId,
    /// Pointer to the exporter's `VMTable` per imported table.
    pub table_imports: DataId,
    /// Pointer to the `VMMemory` of every memory: the exporter's for an
    /// imported memory (written by the loader), the object's own for a
    /// defined one.
    pub memory_states: DataId,
    /// `VMMemory` per memory index; the slots of defined memories other than
    /// a defined memory 0 (which lives in `VMContext::memory`) are used.
    pub memories: DataId,
    /// Identity word per exception tag (see `wasi_aot_abi::VMException`).
    pub tags: DataId,
    /// The active segments `init` applies in loops (read-only; see
    /// `emit::init::InitPlan`).
    pub segment_inits: DataId,
    /// A static library's per-instance addressing; `None` for executables
    /// and the spec harness's objects, whose state is static data.
    pub instance: Option<InstanceSymbols>,
    /// Where a defined memory 0 starts when that is known at build time
    /// (executables: [`wasi_aot_abi::MEMORY0_ADDRESS`]); its accesses then
    /// use the address as a constant instead of loading the base.
    pub memory0_at: Option<u64>,
}

/// How a static library's code reaches its instance (see
/// `emit::library`): the per-instance data objects live in the instance
/// block the pinned register points at, and non-WASI imports are the
/// application's C functions, called with the instance handle first.
#[derive(Debug, Clone)]
pub struct InstanceSymbols {
    /// Per-instance data objects and their offsets in the instance block.
    pub offsets: Vec<(DataId, u32)>,
    /// Per imported function: the application's function it calls (`None`
    /// for a WASI import, served by the runtime through its slot).
    pub host_imports: Vec<Option<FuncId>>,
}

/// Size of one global's slot in the `globals` data object (fits a v128).
pub const GLOBAL_SLOT: u32 = wasi_aot_abi::stride::GLOBAL as u32;

/// Size of one word of the import-slot, import-pointer and tag arrays.
const WORD: u32 = wasi_aot_abi::stride::WORD as u32;

impl Symbols {
    /// The offset of data object `id` in the instance block, when it is
    /// per-instance in a static library.
    pub fn instance_offset(&self, id: DataId) -> Option<u32> {
        let instance = self.instance.as_ref()?;
        instance
            .offsets
            .iter()
            .find(|(d, _)| *d == id)
            .map(|(_, offset)| *offset)
    }

    /// The data objects compiled functions address, in the order each
    /// translated function declares their names first: a data symbol's
    /// `UserExternalNameRef` is then the same in every function, so a body
    /// inlined into another keeps meaning the same symbols
    /// ([`crate::inline`]; Cranelift's inliner copies the callee's symbol
    /// global values without renumbering their names).
    pub fn data_objects(&self) -> [DataId; 11] {
        [
            self.vmctx,
            self.globals,
            self.tables,
            self.funcrefs,
            self.type_ids,
            self.import_slots,
            self.global_imports,
            self.table_imports,
            self.memory_states,
            self.memories,
            self.tags,
        ]
    }

    /// The application function a static library's import `func` calls.
    pub fn host_import(&self, func: FuncIndex) -> Option<FuncId> {
        *self.instance.as_ref()?.host_imports.get(func as usize)?
    }

    /// Offset of defined global `global` in `globals`.
    pub fn global_offset(global: u32) -> i32 {
        (global * GLOBAL_SLOT) as i32
    }
    /// Offset of memory `memory`'s `VMMemory` in `memories`.
    pub fn memory_offset(memory: u32) -> i32 {
        (memory as usize * size_of::<wasi_aot_abi::VMMemory>()) as i32
    }
    /// Offset of table `table`'s `VMTable` in `tables`.
    pub fn table_offset(table: u32) -> i32 {
        (table as usize * size_of::<wasi_aot_abi::VMTable>()) as i32
    }
    /// Offset of function `func`'s `VMFuncRef` in `funcrefs`.
    pub fn funcref_offset(func: FuncIndex) -> i32 {
        (func as usize * size_of::<wasi_aot_abi::VMFuncRef>()) as i32
    }
    /// Offset of type `ty`'s id in `type_ids`.
    pub fn type_id_offset(ty: TypeIndex) -> i32 {
        (ty * wasi_aot_abi::stride::TYPE_ID as u32) as i32
    }
    /// Offset of imported function `func`'s slot in `import_slots`.
    pub fn import_slot_offset(func: FuncIndex) -> i32 {
        (func * WORD) as i32
    }
    /// Offset of tag `tag`'s identity word in `tags`.
    pub fn tag_offset(tag: u32) -> i32 {
        (tag * WORD) as i32
    }
    /// Offset of imported global or table `index`'s pointer in
    /// `global_imports` or `table_imports`, or of memory `index`'s in
    /// `memory_states`.
    pub fn import_pointer_offset(index: u32) -> i32 {
        (index * WORD) as i32
    }
}

/// The Cranelift type of a wasm value type. References are pointer-sized
/// words (0 = null).
pub fn clif_type(ty: ValType) -> ir::Type {
    match ty {
        ValType::I32 => types::I32,
        ValType::I64 => types::I64,
        ValType::F32 => types::F32,
        ValType::F64 => types::F64,
        ValType::V128 => types::I8X16,
        ValType::Ref(_) => types::I64,
    }
}

/// Whether a static library's C function for a wasm function of type `ty`
/// returns its results through a result struct (several results, or a
/// v128 one) rather than as the C return value.
pub fn c_results_by_pointer(ty: &FuncType) -> bool {
    ty.results().len() > 1 || ty.results().contains(&ValType::V128)
}

/// Whether the C function for a wasm function of type `ty` takes and
/// returns the wasm values as they are (no v128 by pointer, no result
/// struct), so that its signature is the wasm one after the instance.
pub fn c_passes_values(ty: &FuncType) -> bool {
    !c_results_by_pointer(ty) && !ty.params().contains(&ValType::V128)
}

/// The C signature of a static library's function for a wasm function of
/// type `ty`, an export's `NAME_<export>` and an import's
/// `NAME_import_<module>_<name>` alike: the instance handle, the
/// parameters (a v128 by pointer to its 16 bytes), then a pointer to the
/// result struct when [`c_results_by_pointer`], else the one result.
pub fn c_api_signature(ty: &FuncType) -> ir::Signature {
    let mut sig = ir::Signature::new(HOST_CALL_CONV);
    sig.params.push(AbiParam::new(types::I64));
    for t in ty.params() {
        let clif = match t {
            ValType::V128 => types::I64,
            t => clif_type(*t),
        };
        sig.params.push(AbiParam::new(clif));
    }
    if c_results_by_pointer(ty) {
        sig.params.push(AbiParam::new(types::I64));
    } else if let Some(t) = ty.results().first() {
        sig.returns.push(AbiParam::new(clif_type(*t)));
    }
    sig
}

/// The Cranelift signature of a wasm function type in `call_conv`.
pub fn wasm_signature(ty: &FuncType, call_conv: CallConv) -> ir::Signature {
    let mut sig = ir::Signature::new(call_conv);
    sig.params
        .extend(ty.params().iter().map(|t| AbiParam::new(clif_type(*t))));
    sig.returns
        .extend(ty.results().iter().map(|t| AbiParam::new(clif_type(*t))));
    sig
}

fn abi_type(ty: AbiType) -> ir::Type {
    match ty {
        AbiType::I32 => types::I32,
        AbiType::I64 | AbiType::Ptr => types::I64,
    }
}

/// The Cranelift signature of a builtin or host function (C convention).
pub fn abi_signature(sig: AbiSig) -> ir::Signature {
    let mut s = ir::Signature::new(HOST_CALL_CONV);
    s.params
        .extend(sig.params.iter().map(|t| AbiParam::new(abi_type(*t))));
    s.returns
        .extend(sig.result.iter().map(|t| AbiParam::new(abi_type(*t))));
    s
}

/// The Cranelift trap code for a wasm trap.
pub fn trap_code(trap: Trap) -> TrapCode {
    match trap {
        Trap::StackOverflow => TrapCode::STACK_OVERFLOW,
        Trap::MemoryOutOfBounds => TrapCode::HEAP_OUT_OF_BOUNDS,
        Trap::IntegerOverflow => TrapCode::INTEGER_OVERFLOW,
        Trap::IntegerDivisionByZero => TrapCode::INTEGER_DIVISION_BY_ZERO,
        Trap::BadConversionToInteger => TrapCode::BAD_CONVERSION_TO_INTEGER,
        other => TrapCode::unwrap_user(other as u8),
    }
}

/// The wasm trap a Cranelift trap code stands for (inverse of [`trap_code`]).
pub fn trap_from_code(code: TrapCode) -> Option<Trap> {
    Some(match code {
        TrapCode::STACK_OVERFLOW => Trap::StackOverflow,
        TrapCode::HEAP_OUT_OF_BOUNDS => Trap::MemoryOutOfBounds,
        TrapCode::INTEGER_OVERFLOW => Trap::IntegerOverflow,
        TrapCode::INTEGER_DIVISION_BY_ZERO => Trap::IntegerDivisionByZero,
        TrapCode::BAD_CONVERSION_TO_INTEGER => Trap::BadConversionToInteger,
        other => *Trap::ALL
            .iter()
            .find(|t| TrapCode::user(**t as u8) == Some(other))?,
    })
}
