//! The contract between compiled code and the runtime.
//!
//! Everything both sides must agree on lives here, written once: the layout
//! of the structures the compiler emits into the object and the runtime reads
//! or writes ([`VMContext`], [`ModuleInfo`] and friends), the symbol names
//! that connect them, the builtin functions compiled code calls through
//! [`VMContext::builtins`], the trap codes with their messages, and the WASI
//! host functions with their signatures.
//!
//! Invariants:
//! - Every structure is `#[repr(C)]`; the compiler computes field offsets with
//!   `core::mem::offset_of!` on these very types, never by hand, and the tests
//!   at the bottom pin sizes and offsets so an accidental layout change is a
//!   test failure rather than a miscompilation.
//! - Lists (traps, builtins, WASI functions) are macros so that the compiler
//!   and the runtime enumerate the same entries in the same order.
//! - This crate has no dependencies and no `unsafe`; it only describes.
//!
//! Pointers inside these structures are absolute addresses: the compiled
//! object carries relocations for them and the static link resolves them.
#![no_std]
#![forbid(unsafe_code)]

mod image;
mod lists;
pub use image::*;
pub use lists::*;

/// Bumped whenever a structure in this crate changes shape; the compiler
/// writes it into [`ModuleInfo::abi_version`] and the runtime refuses to run
/// an object built against another layout.
pub const ABI_VERSION: u32 = 9;

/// WebAssembly page size in bytes.
pub const WASM_PAGE_SIZE: u64 = 65536;

/// Address space reserved for every linear memory. A 32-bit address plus a
/// 32-bit static offset is below 2^33, and the widest access is 16 bytes, so
/// no access compiled code computes for a 32-bit memory can leave this
/// reservation: bounds checks are never emitted for one, the MMU catches
/// every out-of-bounds access on the `PROT_NONE` part of the reservation.
/// 64-bit memories get the same reservation (see [`MEMORY64_MAX_PAGES`]).
pub const MEMORY32_RESERVATION: u64 = (1 << 33) + 2 * WASM_PAGE_SIZE;

/// Where an executable's memory 0 starts (its reservation is
/// `[MEMORY0_ADDRESS, MEMORY0_ADDRESS + MEMORY32_RESERVATION)`). Below
/// 2 GiB, so compiled code addresses the memory as `[index + disp32]`,
/// the address folded into the instruction's displacement: no base
/// register, no base load. Above the executable's image (linked at
/// 0x400000) and clear of the address where valgrind loads its tools
/// (0x58000000). The compiler writes it as `VMMemory::base`; the runtime
/// reserves exactly there or refuses to start.
pub const MEMORY0_ADDRESS: u64 = 0x6000_0000;

/// Largest size in pages of a 64-bit linear memory. A 64-bit memory gets the
/// same fixed reservation as a 32-bit one, so its base never moves either;
/// compiled code checks every access against the current length, and
/// `memory.grow` beyond this size returns -1 (which the spec permits).
pub const MEMORY64_MAX_PAGES: u64 = (1 << 33) / WASM_PAGE_SIZE;

/// Largest size in pages of a 32-bit linear memory (4 GiB).
pub const MEMORY32_MAX_PAGES: u64 = (1 << 32) / WASM_PAGE_SIZE;

/// Usable size of an executable's wasm stack when the build sets none
/// (`--max-wasm-stack`).
pub const DEFAULT_MAX_WASM_STACK: u64 = 8 << 20;

/// What an executable may import, for the messages that refuse an import.
pub const EXECUTABLE_IMPORTS: &str = "an executable may import only WASI preview 1 functions \
     (from `wasi_snapshot_preview1`, or `wasi_unstable` for preview 0)";

/// Names of the symbols the compiled object defines. The runtime of an
/// executable uses only [`sym::MODULE_INFO`]; a loader of library objects
/// (the spec harness) finds the data objects it fills by these names, and
/// writes them with the strides of [`stride`].
pub mod sym {
    /// The [`super::ModuleInfo`] describing the module (read-only data).
    pub const MODULE_INFO: &str = "wasi_aot_module_info";
    /// The [`super::VMContext`] of the single instance (writable data).
    pub const VMCTX: &str = "wasi_aot_vmctx";
    /// Prefix of every symbol the compiler defines.
    pub const PREFIX: &str = "wasi_aot_";
    /// Defined globals, one [`super::stride::GLOBAL`]-byte slot each.
    pub const GLOBALS: &str = "wasi_aot_globals";
    /// The tables' [`super::VMTable`]s.
    pub const TABLES: &str = "wasi_aot_tables";
    /// One [`super::VMFuncRef`] per function.
    pub const FUNCREFS: &str = "wasi_aot_funcrefs";
    /// One `u32` type id per type ([`super::stride::TYPE_ID`]).
    pub const TYPE_IDS: &str = "wasi_aot_type_ids";
    /// One code-address word per imported function.
    pub const IMPORT_SLOTS: &str = "wasi_aot_import_slots";
    /// One pointer word per imported global (library objects).
    pub const GLOBAL_IMPORTS: &str = "wasi_aot_global_imports";
    /// One `*mut VMTable` word per imported table (library objects).
    pub const TABLE_IMPORTS: &str = "wasi_aot_table_imports";
    /// One `*mut VMMemory` word per memory.
    pub const MEMORY_STATES: &str = "wasi_aot_memory_states";
    /// The `VMMemory` of each defined memory but memory 0.
    pub const MEMORIES: &str = "wasi_aot_memories";
    /// One identity word per exception tag.
    pub const TAGS: &str = "wasi_aot_tags";
    /// The active segments `init` applies in loops (read-only).
    pub const SEGMENT_INITS: &str = "wasi_aot_segment_inits";
    /// Instantiation: `extern "C" fn(*mut VMContext)`.
    pub const INIT: &str = "wasi_aot_init";
    /// An executable's entry: `extern "C" fn(*mut VMContext)`.
    pub const ENTRY: &str = "wasi_aot_entry";
    /// Prefix of the array-call trampoline of function type `T` (a
    /// library object's), whose name is this, `T` in decimal, then `]`.
    pub const TRAMPOLINE: &str = "wasi_aot_trampoline[";
    /// A static library's [`super::InstanceLayout`] (read-only data).
    pub const INSTANCE_LAYOUT: &str = "wasi_aot_instance_layout";
    /// A static library's entry routine (runtime):
    /// `extern "C" fn(block, trampoline, code, slots) -> u32`, 1 when the
    /// call returned, 0 when it trapped.
    pub const LIBRARY_ENTER: &str = "wasi_aot_library_enter";
    /// A static library's call routine (runtime): a call of the compiled
    /// function in rax with the C caller's arguments after the instance.
    pub const LIBRARY_CALL: &str = "wasi_aot_library_call";
}

/// Sizes of the entries of the data objects in [`sym`] that are not
/// `#[repr(C)]` structures of this crate.
pub mod stride {
    /// A global's slot in [`super::sym::GLOBALS`] (holds a `v128`).
    pub const GLOBAL: usize = 16;
    /// A type id in [`super::sym::TYPE_IDS`].
    pub const TYPE_ID: usize = 4;
    /// A word in the import-slot, import-pointer, memory-state and tag
    /// arrays.
    pub const WORD: usize = 8;
    /// An argument or result slot of a trampoline's array.
    pub const TRAMPOLINE_SLOT: usize = 16;
}

/// Bytes at the start of a static library's instance block that belong to
/// the runtime (its bookkeeping of the instance); the compiled code's
/// per-instance objects follow.
pub const INSTANCE_HEADER_SIZE: u64 = 512;

/// How a static library's runtime makes an instance block (the memory the
/// pinned register points at while the instance's code runs): `size` bytes,
/// zeroed, then each of `objects` copied from its template, then each of
/// `fixups` applied. The runtime owns the first [`INSTANCE_HEADER_SIZE`]
/// bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct InstanceLayout {
    /// Bytes of the block (a multiple of 16).
    pub size: u64,
    pub objects: Slice<InstanceObject>,
    pub fixups: Slice<InstanceFixup>,
    /// Offsets in the block of the [`VMContext`], of the `memory_states`
    /// words (one per memory) and of the `VMTable`s (one per table).
    pub vmctx: u64,
    pub memory_states: u64,
    pub tables: u64,
    /// The module's `_initialize` (a `[] -> []` export) and the trampoline
    /// of its type, both null when it has none.
    pub initialize: *const u8,
    pub initialize_trampoline: *const u8,
}

/// A static library's `NAME_config` (the generated header declares the
/// same fields in the same order): the WASI grants of one instance.
/// All-zero is the default: no arguments, environment or directories, the
/// process's own stdio.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct LibraryConfig {
    /// `num_args` NUL-terminated arguments (`args_get`).
    pub args: *const *const u8,
    pub num_args: usize,
    /// `num_env` NUL-terminated `NAME=VALUE` strings (`environ_get`).
    pub env: *const *const u8,
    pub num_env: usize,
    /// `num_dirs` preopened directories, at guest descriptors 3, 4, ...
    pub dirs: *const LibraryDir,
    pub num_dirs: usize,
    /// Null, or three host descriptors the guest's 0, 1 and 2 duplicate (a
    /// negative one: the guest has no such descriptor). Null: the process's
    /// own 0, 1 and 2.
    pub stdio: *const i32,
    /// Where `NAME_new` writes why it failed: `error_size` bytes at most,
    /// NUL included (null or 0: nowhere).
    pub error: *mut u8,
    pub error_size: usize,
}

/// A directory a [`LibraryConfig`] grants: a host path, opened when the
/// instance is made, and the name the guest sees (both NUL-terminated).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct LibraryDir {
    pub host: *const u8,
    pub guest: *const u8,
}

/// A per-instance data object: `size` bytes copied from `template` to
/// `offset` in the instance block.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct InstanceObject {
    pub template: *const u8,
    pub offset: u64,
    pub size: u64,
}

/// A pointer inside the instance block to the block itself: the word at
/// `at` becomes the block's address plus `target`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct InstanceFixup {
    pub at: u64,
    pub target: u64,
}

/// A string in the object: pointer and length, not NUL-terminated.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Str {
    pub ptr: *const u8,
    pub len: u64,
}

/// A read-only array in the object.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Slice<T> {
    pub ptr: *const T,
    pub len: u64,
}

/// State of one linear memory. The base never moves: the whole
/// [`MEMORY32_RESERVATION`] is reserved up front (for 32-bit and 64-bit
/// memories alike) and `memory.grow` only changes page protections, so
/// compiled code may load `base` once and keep it.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct VMMemory {
    /// Address of byte 0 of the linear memory: null until the runtime
    /// maps it, or written by the compiler ([`MEMORY0_ADDRESS`] for an
    /// executable's memory 0) to say where the runtime must map it.
    pub base: *mut u8,
    /// Current size in bytes (a multiple of [`WASM_PAGE_SIZE`]).
    pub length: u64,
}

/// State of one table. Every element is one pointer-sized word: a funcref is
/// a `*const VMFuncRef` (null for `ref.null func`), an externref an opaque
/// non-zero word (zero for `ref.null extern`). `base` may move on
/// `table.grow`, so compiled code reloads it on every access.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct VMTable {
    pub base: *mut usize,
    /// Current number of elements.
    pub length: u64,
}

/// What a funcref points to: the function's code (Cranelift `tail` calling
/// convention, wasm parameters only) and its signature's id, compared by
/// `call_indirect`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct VMFuncRef {
    pub code: *const u8,
    /// Canonical signature id: equal ids mean equal function types. The
    /// compiler writes module-canonical ids (the index of the first equal
    /// type); compiled code compares against
    /// `ModuleInfo::type_ids`, so a loader hosting several modules can
    /// re-number both consistently.
    pub type_id: u32,
    pub _pad: u32,
}

/// Fixed part of the per-instance state. Defined by the compiled object under
/// [`sym::VMCTX`]; compiled code addresses it directly (RIP-relative), never
/// through a chain of pointers.
#[repr(C)]
#[derive(Debug)]
pub struct VMContext {
    /// Memory 0 when the module defines it (other defined memories live in
    /// the object's `memories` data object; [`ModuleInfo::memory_states`]
    /// finds every memory's state).
    pub memory: VMMemory,
    /// The module's description (set by the compiler).
    pub info: *const ModuleInfo,
    /// Runtime-private per-instance state (the compiler writes 0).
    pub runtime_state: usize,
    /// Builtin function addresses, indexed by [`Builtin`], filled by the
    /// runtime before anything runs. All take `*mut VMContext` first and use
    /// the platform C calling convention.
    pub builtins: [usize; Builtin::COUNT],
}

/// Memory declaration, one per memory index (imports first).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MemoryInfo {
    pub min_pages: u64,
    /// Maximum pages, already clamped to [`MEMORY32_MAX_PAGES`] or
    /// [`MEMORY64_MAX_PAGES`].
    pub max_pages: u64,
    /// 1 for a 64-bit memory (memory64: `i64` addresses, bounds-checked
    /// accesses), 0 for a 32-bit one.
    pub index64: u32,
    /// 1 when the memory is imported (library objects only): its state is
    /// the exporter's, and the loader writes its address into
    /// [`ModuleInfo::memory_states`].
    pub imported: u32,
}

/// Table declaration; the state lives at `state`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct TableInfo {
    pub state: *mut VMTable,
    pub min: u64,
    /// Maximum elements, `u64::MAX` when unbounded.
    pub max: u64,
    /// [`RefKind`] of the elements.
    pub kind: u32,
    pub _pad: u32,
}

/// Element kind of a table or element segment.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    Func = 0,
    Extern = 1,
}

/// A passive or active data segment's bytes. Active segments are applied by
/// the module's `init` function through the `memory_init` builtin, exactly as
/// the instruction would, then dropped.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct DataSegment {
    pub bytes: *const u8,
    pub len: u64,
}

/// An element segment: its items already evaluated to funcref words
/// (`*const VMFuncRef`, null for `ref.null`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ElemSegment {
    pub items: *const usize,
    pub len: u64,
}

/// An imported function. The runtime stores the host address in
/// `ModuleInfo::func_import_slots[i]` before running anything.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct FuncImport {
    pub module: Str,
    pub name: Str,
    /// Index into [`WasiFunc`] when the import is a WASI function the
    /// compiler recognised, `u32::MAX` otherwise.
    pub wasi_id: u32,
    pub type_index: u32,
}

/// A compiled function, in function-index order (defined functions only;
/// index = `num_imported_funcs + position`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct FuncInfo {
    /// Start of the machine code.
    pub addr: *const u8,
    /// Length of the machine code in bytes.
    pub len: u32,
    /// First entry of this function's trap sites in `ModuleInfo::traps`.
    pub traps_start: u32,
    /// Number of trap sites.
    pub traps_len: u32,
    pub _pad: u32,
    /// Name from the name section, empty when there is none.
    pub name: Str,
}

/// One instruction that can fault, with the trap it means.
///
/// ```text
/// +------------------+------------------+------------------+
/// | offset: u32      | code: u32 (Trap) | inlined: u32     |
/// +------------------+------------------+------------------+
/// ```
/// `offset` is relative to the function start; sites of one function are
/// sorted by offset so the runtime can binary-search them. `inlined` is 0,
/// or 1 + the defined-function position (in `ModuleInfo::funcs`) of the
/// function whose inlined body the instruction belongs to: a backtrace
/// shows that function's frame first.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct TrapSite {
    pub offset: u32,
    pub code: u32,
    pub inlined: u32,
}

/// A directory grant: `host` is opened (relative to the program's working
/// directory at start-up) and appears to the module as a preopen named `guest`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct DirGrant {
    pub host: Str,
    pub guest: Str,
}

/// An environment grant: `NAME=value` when `has_value` is 1, otherwise the
/// variable is copied from the host environment at start-up when it exists.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct EnvGrant {
    pub name: Str,
    pub value: Str,
    pub has_value: u32,
    pub _pad: u32,
}

/// Capabilities baked into the executable at build time.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Capabilities {
    pub dirs: Slice<DirGrant>,
    pub env: Slice<EnvGrant>,
    /// 1: the whole host environment is visible (before `env` grants).
    pub inherit_env: u32,
    pub _pad: u32,
    /// Listening sockets to grant (`ADDR:PORT` text), preopened in order at
    /// fd 3 onwards, before the directories (wasmtime's order).
    pub tcp_listen: Slice<Str>,
    /// Embedded trees, preopened in order after the directories.
    pub embeds: Slice<EmbedGrant>,
}

/// Signature of the module's `init` and `entry` functions.
pub type EntryFn = unsafe extern "C" fn(*mut VMContext);

/// Everything the runtime needs to know about the compiled module. Emitted by
/// the compiler under [`sym::MODULE_INFO`].
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ModuleInfo {
    /// Must equal [`ABI_VERSION`].
    pub abi_version: u32,
    pub num_imported_funcs: u32,
    pub vmctx: *mut VMContext,
    /// Instantiation: evaluates global initialisers that are not constant,
    /// applies element and data segments in order (trapping like the spec),
    /// drops them, then runs the start function.
    pub init: EntryFn,
    /// Calls the `_start` export; `None` when the module has none.
    pub entry: Option<EntryFn>,
    /// Every memory, by memory index (imports first).
    pub memories: Slice<MemoryInfo>,
    /// Per memory index, the address of its [`VMMemory`]: memory 0's is
    /// `VMContext::memory` when the module defines it, another defined
    /// memory's is in the object's `memories` data object (both written by
    /// the compiler); an imported memory's is written by the loader before
    /// anything runs. WASI functions use memory 0.
    pub memory_states: *mut *mut VMMemory,
    pub tables: Slice<TableInfo>,
    pub func_imports: Slice<FuncImport>,
    /// Host addresses of imported functions, written by the runtime.
    pub func_import_slots: *mut usize,
    pub funcs: Slice<FuncInfo>,
    pub traps: Slice<TrapSite>,
    pub data: Slice<DataSegment>,
    pub elems: Slice<ElemSegment>,
    pub caps: Capabilities,
    /// Exception handlers of the calls inside `try_table`s, sorted by
    /// function, then return offset.
    pub handlers: Slice<HandlerSite>,
    pub settings: Settings,
    /// An executable's memory 0 contents from its active data segments,
    /// when the compiler made an image of them (else all zero).
    pub image: MemoryImage,
}

/// Memory 0's initial contents as pages of the executable: the bytes that
/// the active data segments (all of them, in order) leave in
/// `[offset, offset + len)` of memory 0, zeros included. `bytes`,
/// `offset` and `len` are multiples of [`MEMORY_IMAGE_ALIGN`], and the
/// range lies inside memory 0's initial size. The runtime moves the pages
/// into memory 0 (copy-on-write: a page the program never touches is never
/// read, and one it only reads is shared with every other process running
/// the executable) or, where it cannot, copies them; `init` then only
/// drops those segments.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MemoryImage {
    pub bytes: *const u8,
    pub len: u64,
    pub offset: u64,
}

/// Alignment of a [`MemoryImage`]'s address, offset and length: a page.
pub const MEMORY_IMAGE_ALIGN: u64 = 4096;

/// Limits and start-up settings baked into an executable at build time
/// (`--max-memory`, `--max-wasm-stack`, `--argv0`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Largest size in bytes that each linear memory may reach:
    /// `memory.grow` past it returns -1, and a memory whose initial size
    /// is larger fails start-up. `u64::MAX`: only the index type's limit.
    pub max_memory: u64,
    /// Usable size in bytes of the stack wasm code runs on.
    pub max_wasm_stack: u64,
    /// The `argv[0]` the module sees instead of the executable's own, when
    /// `has_argv0` is 1.
    pub argv0: Str,
    pub has_argv0: u32,
    pub _pad: u32,
}

/// A call inside a `try_table`: an exception thrown while it is in
/// progress resumes at the handler, which dispatches on the tag itself.
///
/// ```text
/// +-------------+-----------------+---------------------+-------------------+
/// | func: u32   | ret_offset: u32 | handler_offset: u32 | frame_offset: u32 |
/// +-------------+-----------------+---------------------+-------------------+
/// ```
/// `func` is the position in `ModuleInfo::funcs`; `ret_offset` (the
/// call's return address) and `handler_offset` are relative to that
/// function's start. The handler expects the frame pointer of its frame in
/// `rbp`, `rsp = rbp - frame_offset` and the exception (`*mut VMException`)
/// in `rax`; every other register is dead at that point (the callees use
/// the `tail` convention, under which calls with handlers preserve none).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HandlerSite {
    pub func: u32,
    pub ret_offset: u32,
    pub handler_offset: u32,
    pub frame_offset: u32,
}

/// A thrown exception, allocated by the `ExnAlloc` builtin; an `exnref` is
/// a pointer to it. The payload follows the header: one
/// [`EXCEPTION_SLOT`]-byte slot per value of the tag's parameters, each
/// value stored at the start of its slot as compiled code keeps it.
///
/// ```text
/// +----------------------+-----------+-------------+-----------+-----------+-----
/// | tag: usize (identity)| slots: u32| escaped: u32| slot 0    | slot 1    | ...
/// +----------------------+-----------+-------------+-----------+-----------+-----
/// ```
/// A tag's identity is the address of the defining instance's slot for it
/// in the `tags` data object (that slot holds its own address); an
/// importing instance's slot holds the exporter's identity, so compiled
/// code compares tags by loading its slot.
///
/// `escaped` is 0 until a `catch_ref` or `catch_all_ref` clause delivers
/// the exception as an `exnref` (compiled code then stores 1): from then on
/// wasm may hold it anywhere and it is never freed. A `catch` or
/// `catch_all` clause frees a non-escaped exception (`ExnFree`) once it
/// has loaded the payload, since nothing else can reach it.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct VMException {
    pub tag: usize,
    pub slots: u32,
    pub escaped: u32,
}

/// Size of one payload slot of a [`VMException`] (fits a v128).
pub const EXCEPTION_SLOT: usize = 16;

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use core::mem::{offset_of, size_of};

    // These numbers are the layout: if one changes, bump ABI_VERSION.
    #[test]
    fn vmcontext_layout() {
        assert_eq!(offset_of!(VMContext, memory), 0);
        assert_eq!(offset_of!(VMMemory, base), 0);
        assert_eq!(offset_of!(VMMemory, length), 8);
        assert_eq!(offset_of!(VMContext, info), 16);
        assert_eq!(offset_of!(VMContext, runtime_state), 24);
        assert_eq!(offset_of!(VMContext, builtins), 32);
        assert_eq!(size_of::<VMContext>(), 32 + 8 * Builtin::COUNT);
    }

    #[test]
    fn element_layouts() {
        assert_eq!(size_of::<VMTable>(), 16);
        assert_eq!(size_of::<VMFuncRef>(), 16);
        assert_eq!(offset_of!(VMFuncRef, type_id), 8);
        assert_eq!(size_of::<Str>(), 16);
        assert_eq!(size_of::<TrapSite>(), 12);
        assert_eq!(size_of::<FuncInfo>(), 40);
        assert_eq!(size_of::<TableInfo>(), 32);
        assert_eq!(size_of::<FuncImport>(), 40);
        assert_eq!(size_of::<EnvGrant>(), 40);
        assert_eq!(size_of::<Capabilities>(), 72);
        assert_eq!(offset_of!(Capabilities, embeds), 56);
        assert_eq!(size_of::<EmbedGrant>(), 32);
        assert_eq!(size_of::<ImageHeader>(), 48);
        assert_eq!(size_of::<ImageNode>(), 48);
        assert_eq!(offset_of!(ImageNode, parent), 16);
        assert_eq!(offset_of!(ImageNode, mtime), 40);
        assert_eq!(size_of::<MemoryInfo>(), 24);
        assert_eq!(size_of::<InstanceLayout>(), 80);
        assert_eq!(offset_of!(InstanceLayout, vmctx), 40);
        assert_eq!(size_of::<InstanceObject>(), 24);
        assert_eq!(size_of::<InstanceFixup>(), 16);
        assert_eq!(size_of::<LibraryConfig>(), 72);
        assert_eq!(offset_of!(LibraryConfig, dirs), 32);
        assert_eq!(offset_of!(LibraryConfig, stdio), 48);
        assert_eq!(offset_of!(LibraryConfig, error_size), 64);
        assert_eq!(size_of::<LibraryDir>(), 16);
        assert_eq!(offset_of!(MemoryInfo, max_pages), 8);
        assert_eq!(offset_of!(MemoryInfo, index64), 16);
        assert_eq!(offset_of!(MemoryInfo, imported), 20);
        assert_eq!(offset_of!(ModuleInfo, memories), 32);
        assert_eq!(offset_of!(ModuleInfo, memory_states), 48);
        assert_eq!(size_of::<ModuleInfo>(), 312);
        assert_eq!(offset_of!(ModuleInfo, settings), 248);
        assert_eq!(offset_of!(ModuleInfo, image), 288);
        assert_eq!(size_of::<MemoryImage>(), 24);
        assert_eq!(size_of::<Settings>(), 40);
        assert_eq!(offset_of!(Settings, max_wasm_stack), 8);
        assert_eq!(offset_of!(Settings, argv0), 16);
        assert_eq!(offset_of!(Settings, has_argv0), 32);
        assert_eq!(size_of::<HandlerSite>(), 16);
        assert_eq!(offset_of!(HandlerSite, ret_offset), 4);
        assert_eq!(offset_of!(HandlerSite, handler_offset), 8);
        assert_eq!(offset_of!(HandlerSite, frame_offset), 12);
        assert_eq!(size_of::<VMException>(), 16);
        assert_eq!(offset_of!(VMException, tag), 0);
        assert_eq!(offset_of!(VMException, slots), 8);
        assert_eq!(offset_of!(VMException, escaped), 12);
    }

    #[test]
    fn symbols_share_the_prefix() {
        for name in [
            sym::MODULE_INFO,
            sym::VMCTX,
            sym::GLOBALS,
            sym::TABLES,
            sym::FUNCREFS,
            sym::TYPE_IDS,
            sym::IMPORT_SLOTS,
            sym::GLOBAL_IMPORTS,
            sym::TABLE_IMPORTS,
            sym::MEMORY_STATES,
            sym::MEMORIES,
            sym::TAGS,
            sym::SEGMENT_INITS,
            sym::INIT,
            sym::ENTRY,
            sym::TRAMPOLINE,
        ] {
            assert!(name.starts_with(sym::PREFIX), "{name}");
        }
        assert_eq!(stride::WORD, size_of::<usize>());
        assert_eq!(stride::TYPE_ID, size_of::<u32>());
        assert_eq!(stride::GLOBAL, size_of::<u128>());
    }

    #[test]
    fn trap_codes_round_trip() {
        for t in Trap::ALL {
            assert_eq!(Trap::from_code(*t as u32), Some(*t));
            assert!(!t.message().is_empty());
        }
        assert_eq!(Trap::from_code(0), None);
    }

    #[test]
    fn wasi_names_unique_and_found() {
        for (i, f) in WasiFunc::ALL.iter().enumerate() {
            assert_eq!(*f as usize, i);
            assert_eq!(WasiFunc::from_import(f.module(), f.name()), Some(*f));
        }
        assert_eq!(WasiFunc::from_name("fd_write"), Some(WasiFunc::FdWrite));
        assert_eq!(WasiFunc::from_name("nope"), None);
        assert_eq!(
            WasiFunc::from_import("wasi_unstable", "fd_seek"),
            Some(WasiFunc::UnstableFdSeek)
        );
        assert_eq!(
            WasiFunc::from_import("wasi_unstable", "fd_write"),
            Some(WasiFunc::FdWrite)
        );
        assert_eq!(WasiFunc::from_import("env", "fd_write"), None);
    }
}
