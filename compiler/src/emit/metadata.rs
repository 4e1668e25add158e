//! The data objects: `ModuleInfo` and everything it points at, written
//! field by field at the abi types' offsets.

use super::image::MemoryImage;
use super::{Options, object_err};
use crate::codegen::DefinedFunc;
use crate::env::{self, ConstValue, GlobalInit, ModuleEnv, Symbols};
use crate::error::Result;
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module};
use cranelift_object::{ObjectModule, ObjectProduct};
use object::write::{StandardSegment, SymbolSection};
use object::{SectionKind, SymbolKind, SymbolScope};
use std::mem::{align_of, offset_of, size_of};
use wasi_aot_abi::{
    self as abi, Capabilities, DataSegment, DirGrant, ElemSegment, EmbedGrant, EnvGrant,
    FuncImport, FuncInfo, HandlerSite, MemoryInfo, ModuleInfo, RefKind, Settings, Slice, Str,
    TableInfo, TrapSite, VMContext, VMFuncRef,
};

/// What a pointer-sized word in a data object points at.
#[derive(Clone, Copy)]
pub(super) enum Target {
    Func(FuncId),
    Data(DataId, i64),
}

/// A data object under construction: zero-initialised bytes plus relocations.
pub(super) struct Blob {
    bytes: Vec<u8>,
    relocs: Vec<(usize, Target)>,
    align: u64,
}

impl Blob {
    pub(super) fn new(size: usize, align: u64) -> Blob {
        Blob {
            bytes: vec![0; size],
            relocs: Vec::new(),
            align,
        }
    }
    pub(super) fn put_u32(&mut self, at: usize, v: u32) {
        self.bytes[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }
    pub(super) fn put_u64(&mut self, at: usize, v: u64) {
        self.bytes[at..at + 8].copy_from_slice(&v.to_le_bytes());
    }
    pub(super) fn put_bytes(&mut self, at: usize, v: &[u8]) {
        self.bytes[at..at + v.len()].copy_from_slice(v);
    }
    pub(super) fn put_ptr(&mut self, at: usize, target: Target) {
        self.relocs.push((at, target));
    }
    /// A `Slice<T>`/`Str` at `at`: pointer to `target` (null when empty).
    pub(super) fn put_slice(&mut self, at: usize, target: Option<Target>, len: u64) {
        const _: () = assert!(offset_of!(Str, len) == 8 && offset_of!(Slice<u8>, len) == 8);
        if let (Some(target), true) = (target, len > 0) {
            self.put_ptr(at, target);
        }
        self.put_u64(at + 8, len);
    }
    /// The bytes a data object is defined with: at least a word of zeros,
    /// so that even an empty one has an address of its own.
    fn contents(mut bytes: Vec<u8>) -> Vec<u8> {
        if bytes.is_empty() {
            bytes.resize(8, 0);
        }
        bytes
    }

    pub(super) fn define(self, module: &mut ObjectModule, id: DataId) -> Result<()> {
        let mut desc = DataDescription::new();
        desc.define(Self::contents(self.bytes).into_boxed_slice());
        desc.set_align(self.align);
        for (at, target) in self.relocs {
            match target {
                Target::Func(f) => {
                    let r = module.declare_func_in_data(f, &mut desc);
                    desc.write_function_addr(at as u32, r);
                }
                Target::Data(d, addend) => {
                    let gv = module.declare_data_in_data(d, &mut desc);
                    desc.write_data_addr(at as u32, gv, addend);
                }
            }
        }
        module.define_data(id, &desc).map_err(object_err)
    }
}

/// Read-only data objects without relocations that are defined once the
/// object is finished: their bytes then move into it, each in a section of
/// its own, where `define_data` would copy them. The biggest are of this
/// kind (a module's trap sites, names, data segments and memory image:
/// tens of megabytes for a big one; the trees embedded with
/// `--embed-dir`), and a copy would hold each twice at the end of a build.
#[derive(Default)]
pub(super) struct Moved(Vec<(DataId, Vec<u8>, u64)>);

impl Moved {
    /// Declares data object `name` to be moved (an import until then).
    fn declare(module: &mut ObjectModule, name: &str) -> Result<DataId> {
        module
            .declare_data(
                &format!("{}{name}", abi::sym::PREFIX),
                Linkage::Import,
                false,
                false,
            )
            .map_err(object_err)
    }

    fn push(&mut self, id: DataId, blob: Blob) {
        debug_assert!(
            blob.relocs.is_empty(),
            "a moved data object has relocations"
        );
        self.0.push((id, blob.bytes, blob.align));
    }

    /// Defines each data object in `product`'s object, in a read-only
    /// section named after its symbol, local to the object.
    pub(super) fn place(self, product: &mut ObjectProduct) {
        for (id, bytes, align) in self.0 {
            let bytes = Blob::contents(bytes);
            let symbol = product.data_symbol(id);
            let object = &mut product.object;
            let mut name = b".rodata.".to_vec();
            name.extend_from_slice(&object.symbol(symbol).name);
            let segment = object.segment_name(StandardSegment::Data).to_vec();
            let section = object.add_section(segment, name, SectionKind::ReadOnlyData);
            let size = bytes.len() as u64;
            object.set_section_data(section, bytes, align);
            let symbol = object.symbol_mut(symbol);
            symbol.section = SymbolSection::Section(section);
            symbol.value = 0;
            symbol.size = size;
            symbol.kind = SymbolKind::Data;
            symbol.scope = SymbolScope::Compilation;
            symbol.weak = false;
        }
    }
}

/// A table [`ModuleInfo`] points at: its data object and its row count.
#[derive(Clone, Copy)]
struct Table {
    id: DataId,
    len: u64,
}

/// A table under construction: a declared data object of `len` rows of `T`,
/// aligned as `T` is.
struct Rows {
    id: DataId,
    blob: Blob,
    stride: usize,
    len: usize,
}

impl Rows {
    fn new<T>(module: &mut ObjectModule, name: &str, len: usize) -> Result<Rows> {
        Ok(Rows {
            id: DataEmitter::declare(module, name, false)?,
            blob: Blob::new(len * size_of::<T>(), align_of::<T>() as u64),
            stride: size_of::<T>(),
            len,
        })
    }
    /// Byte offset of row `i`.
    fn at(&self, i: usize) -> usize {
        i * self.stride
    }
    fn define(self, module: &mut ObjectModule) -> Result<Table> {
        self.blob.define(module, self.id)?;
        Ok(Table {
            id: self.id,
            len: self.len as u64,
        })
    }
}

impl Blob {
    /// A `Slice<T>` at `at` pointing at `table`.
    fn put_table(&mut self, at: usize, table: Table) {
        self.put_slice(at, Some(Target::Data(table.id, 0)), table.len);
    }
}

/// Strings referenced by the metadata, in one blob.
struct Strings {
    id: DataId,
    bytes: Vec<u8>,
}

impl Strings {
    /// Appends `s` and points the `Str` at `at` in `blob` to it.
    fn put(&mut self, blob: &mut Blob, at: usize, s: &str) {
        let target = Target::Data(self.id, self.bytes.len() as i64);
        self.bytes.extend_from_slice(s.as_bytes());
        blob.put_slice(at, Some(target), s.len() as u64);
    }
    fn define(self, moved: &mut Moved) {
        let blob = Blob {
            bytes: self.bytes,
            relocs: Vec::new(),
            align: 1,
        };
        moved.push(self.id, blob);
    }
}

/// The tables [`ModuleInfo`] points at.
struct Tables {
    memories: Table,
    tables: Table,
    func_imports: Table,
    funcs: Table,
    traps: Table,
    data: Table,
    elems: Table,
    handlers: Table,
    dirs: Table,
    env: Table,
    tcp_listen: Table,
    embeds: Table,
}

pub(super) struct DataEmitter<'a, 'data> {
    pub(super) env: &'a ModuleEnv<'data>,
    /// Memory 0's image, when the data segments have one.
    pub(super) image: Option<&'a MemoryImage>,
    pub(super) syms: &'a Symbols,
}

impl DataEmitter<'_, '_> {
    fn declare(module: &mut ObjectModule, name: &str, writable: bool) -> Result<DataId> {
        module
            .declare_data(
                &format!("{}{name}", abi::sym::PREFIX),
                Linkage::Local,
                writable,
                false,
            )
            .map_err(object_err)
    }

    /// Every data object, declared and defined in a fixed order (the object
    /// file is byte-identical for the same input); those returned are
    /// defined when the object is finished ([`Moved::place`]). The trap
    /// sites of `defined` are taken as they are written.
    pub(super) fn emit(
        &self,
        module: &mut ObjectModule,
        defined: &mut [DefinedFunc],
        init: FuncId,
        entry: Option<FuncId>,
        options: &Options,
    ) -> Result<Moved> {
        let info_id = module
            .declare_data(abi::sym::MODULE_INFO, Linkage::Export, false, false)
            .map_err(object_err)?;
        let mut moved = Moved::default();
        let mut strings = Strings {
            id: Moved::declare(module, "strings")?,
            bytes: Vec::new(),
        };
        self.vmctx(module, info_id)?;
        self.globals(module)?;
        self.zeroed_state(module)?;
        self.memory_states(module)?;
        self.tags(module)?;
        self.type_ids(module)?;
        self.funcrefs(module)?;
        let (funcs, traps) = self.funcs(module, defined, &mut strings, &mut moved)?;
        let tables = Tables {
            funcs,
            traps,
            handlers: Self::handlers(module, defined)?,
            func_imports: self.func_imports(module, &mut strings)?,
            tables: self.table_info(module)?,
            memories: self.memory_info(module)?,
            data: self.data_segments(module, &mut moved)?,
            elems: self.elem_segments(module)?,
            dirs: Self::grant_dirs(module, &options.grants.dirs, &mut strings)?,
            env: Self::grant_env(module, &options.grants.env, &mut strings)?,
            tcp_listen: Self::grant_tcp(module, &options.grants.tcp_listen, &mut strings)?,
            embeds: Self::grant_embeds(module, &options.grants.embeds, &mut strings, &mut moved)?,
        };
        let mut info = self.module_info(&tables, init, entry, options, &mut strings);
        self.memory_image(module, &mut info, &mut moved)?;
        info.define(module, info_id)?;
        strings.define(&mut moved);
        Ok(moved)
    }

    /// The VMContext: everything zero but the back pointer to the module
    /// info and, when the code uses a fixed address for memory 0, that
    /// address as the memory's base (where the runtime must map it).
    fn vmctx(&self, module: &mut ObjectModule, info_id: DataId) -> Result<()> {
        let mut vmctx = Blob::new(size_of::<VMContext>(), 16);
        vmctx.put_ptr(offset_of!(VMContext, info), Target::Data(info_id, 0));
        if let Some(address) = self.syms.memory0_at {
            let at = offset_of!(VMContext, memory) + offset_of!(abi::VMMemory, base);
            vmctx.put_u64(at, address);
        }
        vmctx.define(module, self.syms.vmctx)
    }

    /// Globals with their constant initial values.
    fn globals(&self, module: &mut ObjectModule) -> Result<()> {
        let env = self.env;
        let mut globals = Blob::new(env.globals.len() * env::GLOBAL_SLOT as usize, 16);
        for (i, global) in env.globals.iter().enumerate() {
            let at = Symbols::global_offset(i as u32) as usize;
            let GlobalInit::Const(value) = &global.init else {
                continue;
            };
            match *value {
                ConstValue::I32(v) => globals.put_u32(at, v as u32),
                ConstValue::I64(v) => globals.put_u64(at, v as u64),
                ConstValue::F32(v) => globals.put_u32(at, v),
                ConstValue::F64(v) => globals.put_u64(at, v),
                ConstValue::V128(v) => globals.put_bytes(at, &v.to_le_bytes()),
                ConstValue::RefNull | ConstValue::ImportedGlobal(_) | ConstValue::Computed(_) => {}
                ConstValue::RefFunc(f) => globals.put_ptr(at, self.funcref(f)),
            }
        }
        globals.define(module, self.syms.globals)
    }

    /// Runtime state that starts zeroed: table states, import slots,
    /// imported global and table pointers, memory states.
    fn zeroed_state(&self, module: &mut ObjectModule) -> Result<()> {
        let (env, syms) = (self.env, self.syms);
        Blob::new(env.tables.len() * size_of::<abi::VMTable>(), 16).define(module, syms.tables)?;
        Blob::new(env.func_imports.len() * 8, 8).define(module, syms.import_slots)?;
        let imported_globals = env
            .globals
            .iter()
            .filter(|g| matches!(g.init, GlobalInit::Import))
            .count();
        Blob::new(imported_globals * 8, 8).define(module, syms.global_imports)?;
        Blob::new(env.num_imported_tables as usize * 8, 8).define(module, syms.table_imports)?;
        Blob::new(env.memories.len() * size_of::<abi::VMMemory>(), 16).define(module, syms.memories)
    }

    /// Per memory, a pointer to its state (null for an imported memory
    /// until the importer fills it in).
    fn memory_states(&self, module: &mut ObjectModule) -> Result<()> {
        let (env, syms) = (self.env, self.syms);
        let mut memory_states = Blob::new(env.memories.len() * 8, 8);
        for i in 0..env.memories.len() as u32 {
            let at = Symbols::import_pointer_offset(i) as usize;
            if env.is_imported_memory(i) {
                continue;
            }
            let target = if i == 0 {
                Target::Data(syms.vmctx, offset_of!(VMContext, memory) as i64)
            } else {
                Target::Data(syms.memories, i64::from(Symbols::memory_offset(i)))
            };
            memory_states.put_ptr(at, target);
        }
        memory_states.define(module, syms.memory_states)
    }

    /// Tag identities: a defined tag's slot holds its own address.
    fn tags(&self, module: &mut ObjectModule) -> Result<()> {
        let (env, syms) = (self.env, self.syms);
        let mut tags = Blob::new(env.tags.len() * 8, 8);
        for t in env.num_imported_tags..env.tags.len() as u32 {
            let at = Symbols::tag_offset(t);
            tags.put_ptr(at as usize, Target::Data(syms.tags, i64::from(at)));
        }
        tags.define(module, syms.tags)
    }

    /// The canonical id of each type, for `call_indirect` checks.
    fn type_ids(&self, module: &mut ObjectModule) -> Result<()> {
        let env = self.env;
        let mut type_ids = Blob::new(env.types.len() * 4, 4);
        for (i, id) in env.canonical_types.iter().enumerate() {
            type_ids.put_u32(Symbols::type_id_offset(i as u32) as usize, *id);
        }
        type_ids.define(module, self.syms.type_ids)
    }

    /// One `VMFuncRef` per function: its code and its type's canonical id.
    fn funcrefs(&self, module: &mut ObjectModule) -> Result<()> {
        let (env, syms) = (self.env, self.syms);
        let mut funcrefs = Blob::new(env.funcs.len() * size_of::<VMFuncRef>(), 16);
        for (i, ty) in env.funcs.iter().enumerate() {
            let at = Symbols::funcref_offset(i as u32) as usize;
            funcrefs.put_ptr(
                at + offset_of!(VMFuncRef, code),
                Target::Func(syms.funcs[i]),
            );
            funcrefs.put_u32(
                at + offset_of!(VMFuncRef, type_id),
                env.canonical_types[*ty as usize],
            );
        }
        funcrefs.define(module, syms.funcrefs)
    }

    /// The funcref of function `f`.
    fn funcref(&self, f: u32) -> Target {
        Target::Data(self.syms.funcrefs, i64::from(Symbols::funcref_offset(f)))
    }

    /// Defined functions (code, length, name) and their trap sites, one
    /// run of the trap table per function.
    fn funcs(
        &self,
        module: &mut ObjectModule,
        defined: &mut [DefinedFunc],
        strings: &mut Strings,
        moved: &mut Moved,
    ) -> Result<(Table, Table)> {
        let env = self.env;
        let mut funcs = Rows::new::<FuncInfo>(module, "funcs", defined.len())?;
        let all_traps: usize = defined.iter().map(|f| f.traps.len()).sum();
        let traps_id = Moved::declare(module, "traps")?;
        let mut traps = Blob::new(
            all_traps * size_of::<TrapSite>(),
            align_of::<TrapSite>() as u64,
        );
        let mut trap_at = 0usize;
        for (i, func) in defined.iter_mut().enumerate() {
            let index = env.num_imported_funcs() + i as u32;
            let at = funcs.at(i);
            let blob = &mut funcs.blob;
            blob.put_ptr(at + offset_of!(FuncInfo, addr), Target::Func(func.id));
            blob.put_u32(at + offset_of!(FuncInfo, len), func.len);
            blob.put_u32(at + offset_of!(FuncInfo, traps_start), trap_at as u32);
            blob.put_u32(
                at + offset_of!(FuncInfo, traps_len),
                func.traps.len() as u32,
            );
            let name = env.func_names.get(&index).map(String::as_str).unwrap_or("");
            strings.put(blob, at + offset_of!(FuncInfo, name), name);
            // Taken: the table is their only copy from here on.
            for site in std::mem::take(&mut func.traps) {
                let t = trap_at * size_of::<TrapSite>();
                traps.put_u32(t + offset_of!(TrapSite, offset), site.offset);
                traps.put_u32(t + offset_of!(TrapSite, code), site.code);
                traps.put_u32(t + offset_of!(TrapSite, inlined), site.inlined);
                trap_at += 1;
            }
        }
        moved.push(traps_id, traps);
        let traps = Table {
            id: traps_id,
            len: all_traps as u64,
        };
        Ok((funcs.define(module)?, traps))
    }

    /// Exception handlers, by function then return offset.
    fn handlers(module: &mut ObjectModule, defined: &[DefinedFunc]) -> Result<Table> {
        let all_handlers = defined.iter().map(|f| f.handlers.len()).sum();
        let mut handlers = Rows::new::<HandlerSite>(module, "handlers", all_handlers)?;
        let sites = defined
            .iter()
            .enumerate()
            .flat_map(|(i, func)| func.handlers.iter().map(move |site| (i, site)));
        for (row, (i, site)) in sites.enumerate() {
            let at = handlers.at(row);
            let blob = &mut handlers.blob;
            blob.put_u32(at + offset_of!(HandlerSite, func), i as u32);
            blob.put_u32(at + offset_of!(HandlerSite, ret_offset), site.ret_offset);
            blob.put_u32(
                at + offset_of!(HandlerSite, handler_offset),
                site.handler_offset,
            );
            blob.put_u32(
                at + offset_of!(HandlerSite, frame_offset),
                site.frame_offset,
            );
        }
        handlers.define(module)
    }

    /// Imported functions: module and name, WASI id, type.
    fn func_imports(&self, module: &mut ObjectModule, strings: &mut Strings) -> Result<Table> {
        let env = self.env;
        let mut imports = Rows::new::<FuncImport>(module, "imports", env.func_imports.len())?;
        for (i, import) in env.func_imports.iter().enumerate() {
            let at = imports.at(i);
            let blob = &mut imports.blob;
            strings.put(blob, at + offset_of!(FuncImport, module), &import.module);
            strings.put(blob, at + offset_of!(FuncImport, name), &import.name);
            blob.put_u32(
                at + offset_of!(FuncImport, wasi_id),
                import.wasi.map_or(u32::MAX, |w| w as u32),
            );
            blob.put_u32(at + offset_of!(FuncImport, type_index), import.type_index);
        }
        imports.define(module)
    }

    /// Tables: state pointer, limits, element kind.
    fn table_info(&self, module: &mut ObjectModule) -> Result<Table> {
        let env = self.env;
        let mut tables = Rows::new::<TableInfo>(module, "table_info", env.tables.len())?;
        for (i, table) in env.tables.iter().enumerate() {
            let at = tables.at(i);
            let blob = &mut tables.blob;
            blob.put_ptr(
                at + offset_of!(TableInfo, state),
                Target::Data(self.syms.tables, i64::from(Symbols::table_offset(i as u32))),
            );
            blob.put_u64(at + offset_of!(TableInfo, min), table.initial);
            blob.put_u64(
                at + offset_of!(TableInfo, max),
                table.maximum.unwrap_or(u64::MAX),
            );
            let kind = if table.element_type.is_func_ref() {
                RefKind::Func
            } else {
                RefKind::Extern
            };
            blob.put_u32(at + offset_of!(TableInfo, kind), kind as u32);
        }
        tables.define(module)
    }

    /// Memories: limits (the maximum capped at the index type's), index
    /// type, imported or not.
    fn memory_info(&self, module: &mut ObjectModule) -> Result<Table> {
        let env = self.env;
        let mut memories = Rows::new::<MemoryInfo>(module, "memory_info", env.memories.len())?;
        for (i, memory) in env.memories.iter().enumerate() {
            let at = memories.at(i);
            let blob = &mut memories.blob;
            let max_pages = if memory.memory64 {
                abi::MEMORY64_MAX_PAGES
            } else {
                abi::MEMORY32_MAX_PAGES
            };
            blob.put_u64(at + offset_of!(MemoryInfo, min_pages), memory.initial);
            blob.put_u64(
                at + offset_of!(MemoryInfo, max_pages),
                memory.maximum.unwrap_or(max_pages).min(max_pages),
            );
            blob.put_u32(
                at + offset_of!(MemoryInfo, index64),
                u32::from(memory.memory64),
            );
            blob.put_u32(
                at + offset_of!(MemoryInfo, imported),
                u32::from(env.is_imported_memory(i as u32)),
            );
        }
        memories.define(module)
    }

    /// Data segments: descriptors pointing into one blob of all their
    /// bytes (one symbol however many segments there are).
    fn data_segments(&self, module: &mut ObjectModule, moved: &mut Moved) -> Result<Table> {
        let env = self.env;
        let mut data = Rows::new::<DataSegment>(module, "data_segments", env.data.len())?;
        let bytes_id = Moved::declare(module, "data_bytes")?;
        let mut bytes = Blob::new(0, 1);
        for (i, seg) in env.data.iter().enumerate() {
            if self.image.is_some_and(|image| image.covers(i)) {
                // Applied by the image and dropped before any wasm runs:
                // its bytes are never read.
                continue;
            }
            let at = data.at(i);
            if !seg.bytes.is_empty() {
                data.blob.put_ptr(
                    at + offset_of!(DataSegment, bytes),
                    Target::Data(bytes_id, bytes.bytes.len() as i64),
                );
                bytes.bytes.extend_from_slice(seg.bytes);
            }
            data.blob
                .put_u64(at + offset_of!(DataSegment, len), seg.bytes.len() as u64);
        }
        let data = data.define(module)?;
        moved.push(bytes_id, bytes);
        Ok(data)
    }

    /// Memory 0's image (`wasi_aot_memory_image`), a read-only data object
    /// of whole pages aligned to a page, so that its pages hold nothing
    /// else; `ModuleInfo::image` points at it.
    fn memory_image(
        &self,
        module: &mut ObjectModule,
        info: &mut Blob,
        moved: &mut Moved,
    ) -> Result<()> {
        let Some(image) = self.image else {
            return Ok(());
        };
        let id = Moved::declare(module, "memory_image")?;
        let mut blob = Blob::new(0, abi::MEMORY_IMAGE_ALIGN);
        blob.bytes = image.bytes(self.env);
        moved.push(id, blob);
        let at = offset_of!(ModuleInfo, image);
        info.put_ptr(
            at + offset_of!(abi::MemoryImage, bytes),
            Target::Data(id, 0),
        );
        info.put_u64(at + offset_of!(abi::MemoryImage, len), image.len);
        info.put_u64(at + offset_of!(abi::MemoryImage, offset), image.offset);
        Ok(())
    }

    /// Element segments: descriptors pointing at one array of funcref
    /// words per non-empty segment (writable when globals fill it in).
    fn elem_segments(&self, module: &mut ObjectModule) -> Result<Table> {
        let env = self.env;
        let mut elems = Rows::new::<ElemSegment>(module, "elem_segments", env.elems.len())?;
        for (i, seg) in env.elems.iter().enumerate() {
            let at = elems.at(i);
            if !seg.items.is_empty() {
                let writable = !seg.global_items.is_empty();
                let items_id = Self::declare(module, &format!("elem[{i}]"), writable)?;
                let mut items = Blob::new(seg.items.len() * 8, 8);
                for (k, item) in seg.items.iter().enumerate() {
                    if let Some(f) = item {
                        items.put_ptr(k * 8, self.funcref(*f));
                    }
                }
                items.define(module, items_id)?;
                elems.blob.put_ptr(
                    at + offset_of!(ElemSegment, items),
                    Target::Data(items_id, 0),
                );
            }
            elems
                .blob
                .put_u64(at + offset_of!(ElemSegment, len), seg.items.len() as u64);
        }
        elems.define(module)
    }

    /// Granted directories: host path and guest name.
    fn grant_dirs(
        module: &mut ObjectModule,
        grants: &[(String, String)],
        strings: &mut Strings,
    ) -> Result<Table> {
        let mut dirs = Rows::new::<DirGrant>(module, "grant_dirs", grants.len())?;
        for (i, (host, guest)) in grants.iter().enumerate() {
            let at = dirs.at(i);
            strings.put(&mut dirs.blob, at + offset_of!(DirGrant, host), host);
            strings.put(&mut dirs.blob, at + offset_of!(DirGrant, guest), guest);
        }
        dirs.define(module)
    }

    /// Granted environment variables: a name, with a value or inherited.
    fn grant_env(
        module: &mut ObjectModule,
        grants: &[(String, Option<String>)],
        strings: &mut Strings,
    ) -> Result<Table> {
        let mut envs = Rows::new::<EnvGrant>(module, "grant_env", grants.len())?;
        for (i, (name, value)) in grants.iter().enumerate() {
            let at = envs.at(i);
            strings.put(&mut envs.blob, at + offset_of!(EnvGrant, name), name);
            if let Some(value) = value {
                strings.put(&mut envs.blob, at + offset_of!(EnvGrant, value), value);
                envs.blob.put_u32(at + offset_of!(EnvGrant, has_value), 1);
            }
        }
        envs.define(module)
    }

    /// Granted TCP listen addresses.
    fn grant_tcp(
        module: &mut ObjectModule,
        grants: &[String],
        strings: &mut Strings,
    ) -> Result<Table> {
        let mut tcp = Rows::new::<Str>(module, "grant_tcp", grants.len())?;
        for (i, addr) in grants.iter().enumerate() {
            let at = tcp.at(i);
            strings.put(&mut tcp.blob, at, addr);
        }
        tcp.define(module)
    }

    /// Embedded trees: guest name and image, each image its own read-only
    /// data object aligned to a page (`wasi_aot_embed[i]`).
    fn grant_embeds(
        module: &mut ObjectModule,
        grants: &[super::Embed],
        strings: &mut Strings,
        moved: &mut Moved,
    ) -> Result<Table> {
        let mut embeds = Rows::new::<EmbedGrant>(module, "grant_embeds", grants.len())?;
        for (i, embed) in grants.iter().enumerate() {
            let at = embeds.at(i);
            strings.put(
                &mut embeds.blob,
                at + offset_of!(EmbedGrant, guest),
                &embed.guest,
            );
            let image_id = Moved::declare(module, &format!("embed[{i}]"))?;
            let mut image = Blob::new(0, abi::IMAGE_ALIGN);
            image.bytes = embed.image.clone();
            moved.push(image_id, image);
            embeds.blob.put_slice(
                at + offset_of!(EmbedGrant, image),
                Some(Target::Data(image_id, 0)),
                embed.image.len() as u64,
            );
        }
        embeds.define(module)
    }

    /// The module info itself: entry points, the tables, grants, settings.
    fn module_info(
        &self,
        t: &Tables,
        init: FuncId,
        entry: Option<FuncId>,
        options: &Options,
        strings: &mut Strings,
    ) -> Blob {
        let syms = self.syms;
        let mut info = Blob::new(size_of::<ModuleInfo>(), 8);
        info.put_u32(offset_of!(ModuleInfo, abi_version), abi::ABI_VERSION);
        info.put_u32(
            offset_of!(ModuleInfo, num_imported_funcs),
            self.env.num_imported_funcs(),
        );
        info.put_ptr(offset_of!(ModuleInfo, vmctx), Target::Data(syms.vmctx, 0));
        info.put_ptr(offset_of!(ModuleInfo, init), Target::Func(init));
        if let Some(entry) = entry {
            info.put_ptr(offset_of!(ModuleInfo, entry), Target::Func(entry));
        }
        info.put_table(offset_of!(ModuleInfo, memories), t.memories);
        info.put_ptr(
            offset_of!(ModuleInfo, memory_states),
            Target::Data(syms.memory_states, 0),
        );
        info.put_table(offset_of!(ModuleInfo, tables), t.tables);
        info.put_table(offset_of!(ModuleInfo, func_imports), t.func_imports);
        info.put_ptr(
            offset_of!(ModuleInfo, func_import_slots),
            Target::Data(syms.import_slots, 0),
        );
        info.put_table(offset_of!(ModuleInfo, funcs), t.funcs);
        info.put_table(offset_of!(ModuleInfo, traps), t.traps);
        info.put_table(offset_of!(ModuleInfo, data), t.data);
        info.put_table(offset_of!(ModuleInfo, elems), t.elems);
        info.put_table(offset_of!(ModuleInfo, handlers), t.handlers);
        let caps = offset_of!(ModuleInfo, caps);
        info.put_table(caps + offset_of!(Capabilities, dirs), t.dirs);
        info.put_table(caps + offset_of!(Capabilities, env), t.env);
        info.put_u32(
            caps + offset_of!(Capabilities, inherit_env),
            u32::from(options.grants.inherit_env),
        );
        info.put_table(caps + offset_of!(Capabilities, tcp_listen), t.tcp_listen);
        info.put_table(caps + offset_of!(Capabilities, embeds), t.embeds);
        let settings = offset_of!(ModuleInfo, settings);
        info.put_u64(
            settings + offset_of!(Settings, max_memory),
            options.max_memory.unwrap_or(u64::MAX),
        );
        info.put_u64(
            settings + offset_of!(Settings, max_wasm_stack),
            options
                .max_wasm_stack
                .unwrap_or(abi::DEFAULT_MAX_WASM_STACK),
        );
        if let Some(argv0) = &options.argv0 {
            strings.put(&mut info, settings + offset_of!(Settings, argv0), argv0);
            info.put_u32(settings + offset_of!(Settings, has_argv0), 1);
        }
        info
    }
}
