//! The data objects: `ModuleInfo` and everything it points at, written
//! field by field at the abi types' offsets.

use super::{Options, object_err};
use crate::codegen::CompiledFunc;
use crate::env::{self, ConstValue, GlobalInit, ModuleEnv, Symbols};
use crate::error::Result;
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module};
use cranelift_object::ObjectModule;
use std::mem::{offset_of, size_of};
use wasi_aot_abi::{
    self as abi, Capabilities, DataSegment, DirGrant, ElemSegment, EnvGrant, FuncImport, FuncInfo,
    HandlerSite, MemoryInfo, ModuleInfo, RefKind, Settings, Slice, Str, TableInfo, TrapSite,
    VMContext, VMFuncRef,
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
    pub(super) fn define(self, module: &mut ObjectModule, id: DataId) -> Result<()> {
        let mut desc = DataDescription::new();
        let mut bytes = self.bytes;
        if bytes.is_empty() {
            bytes.resize(8, 0);
        }
        desc.define(bytes.into_boxed_slice());
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

/// Strings referenced by the metadata, in one blob.
struct Strings {
    bytes: Vec<u8>,
}

impl Strings {
    fn add(&mut self, s: &str) -> (i64, u64) {
        let at = self.bytes.len() as i64;
        self.bytes.extend_from_slice(s.as_bytes());
        (at, s.len() as u64)
    }
}

pub(super) struct DataEmitter<'a, 'data> {
    pub(super) env: &'a ModuleEnv<'data>,
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

    pub(super) fn emit(
        &self,
        module: &mut ObjectModule,
        defined: &[CompiledFunc],
        init: FuncId,
        entry: Option<FuncId>,
        options: &Options,
    ) -> Result<()> {
        let env = self.env;
        let syms = self.syms;
        let info_id = module
            .declare_data(abi::sym::MODULE_INFO, Linkage::Export, false, false)
            .map_err(object_err)?;
        let strings_id = Self::declare(module, "strings", false)?;
        let mut strings = Strings { bytes: Vec::new() };
        let str_target = |(at, _): (i64, u64)| Some(Target::Data(strings_id, at));

        // VMContext: everything zero but the back pointer to the module info.
        let mut vmctx = Blob::new(size_of::<VMContext>(), 16);
        vmctx.put_ptr(offset_of!(VMContext, info), Target::Data(info_id, 0));
        vmctx.define(module, syms.vmctx)?;

        // Globals with their initial values.
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
                ConstValue::RefFunc(f) => globals.put_ptr(
                    at,
                    Target::Data(syms.funcrefs, i64::from(Symbols::funcref_offset(f))),
                ),
            }
        }
        globals.define(module, syms.globals)?;

        Blob::new(env.tables.len() * size_of::<abi::VMTable>(), 16).define(module, syms.tables)?;
        Blob::new(env.func_imports.len() * 8, 8).define(module, syms.import_slots)?;
        let imported_globals = env
            .globals
            .iter()
            .filter(|g| matches!(g.init, GlobalInit::Import))
            .count();
        Blob::new(imported_globals * 8, 8).define(module, syms.global_imports)?;
        Blob::new(env.num_imported_tables as usize * 8, 8).define(module, syms.table_imports)?;
        Blob::new(env.memories.len() * size_of::<abi::VMMemory>(), 16)
            .define(module, syms.memories)?;
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
        memory_states.define(module, syms.memory_states)?;

        // Tag identities: a defined tag's slot holds its own address.
        let mut tags = Blob::new(env.tags.len() * 8, 8);
        for t in env.num_imported_tags..env.tags.len() as u32 {
            let at = Symbols::tag_offset(t);
            tags.put_ptr(at as usize, Target::Data(syms.tags, i64::from(at)));
        }
        tags.define(module, syms.tags)?;

        let mut type_ids = Blob::new(env.types.len() * 4, 4);
        for (i, id) in env.canonical_types.iter().enumerate() {
            type_ids.put_u32(Symbols::type_id_offset(i as u32) as usize, *id);
        }
        type_ids.define(module, syms.type_ids)?;

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
        funcrefs.define(module, syms.funcrefs)?;

        // Functions and their trap sites.
        let funcs_id = Self::declare(module, "funcs", false)?;
        let traps_id = Self::declare(module, "traps", false)?;
        let mut funcs = Blob::new(defined.len() * size_of::<FuncInfo>(), 8);
        let all_traps: usize = defined.iter().map(|f| f.traps.len()).sum();
        let mut traps = Blob::new(all_traps * size_of::<TrapSite>(), 4);
        let mut trap_at = 0usize;
        for (i, func) in defined.iter().enumerate() {
            let index = env.num_imported_funcs() + i as u32;
            let at = i * size_of::<FuncInfo>();
            funcs.put_ptr(at + offset_of!(FuncInfo, addr), Target::Func(func.id));
            funcs.put_u32(at + offset_of!(FuncInfo, len), func.code.len() as u32);
            funcs.put_u32(at + offset_of!(FuncInfo, traps_start), trap_at as u32);
            funcs.put_u32(
                at + offset_of!(FuncInfo, traps_len),
                func.traps.len() as u32,
            );
            let name = env.func_names.get(&index).map(String::as_str).unwrap_or("");
            let s = strings.add(name);
            funcs.put_slice(at + offset_of!(FuncInfo, name), str_target(s), s.1);
            for site in &func.traps {
                let t = trap_at * size_of::<TrapSite>();
                traps.put_u32(t + offset_of!(TrapSite, offset), site.offset);
                traps.put_u32(t + offset_of!(TrapSite, code), site.code);
                trap_at += 1;
            }
        }
        funcs.define(module, funcs_id)?;
        traps.define(module, traps_id)?;

        // Exception handlers, by function then return offset.
        let handlers_id = Self::declare(module, "handlers", false)?;
        let all_handlers: usize = defined.iter().map(|f| f.handlers.len()).sum();
        let mut handlers = Blob::new(all_handlers * size_of::<HandlerSite>(), 4);
        let mut at = 0;
        for (i, func) in defined.iter().enumerate() {
            for site in &func.handlers {
                handlers.put_u32(at + offset_of!(HandlerSite, func), i as u32);
                handlers.put_u32(at + offset_of!(HandlerSite, ret_offset), site.ret_offset);
                handlers.put_u32(
                    at + offset_of!(HandlerSite, handler_offset),
                    site.handler_offset,
                );
                handlers.put_u32(
                    at + offset_of!(HandlerSite, frame_offset),
                    site.frame_offset,
                );
                at += size_of::<HandlerSite>();
            }
        }
        handlers.define(module, handlers_id)?;

        // Imports.
        let imports_id = Self::declare(module, "imports", false)?;
        let mut imports = Blob::new(env.func_imports.len() * size_of::<FuncImport>(), 8);
        for (i, import) in env.func_imports.iter().enumerate() {
            let at = i * size_of::<FuncImport>();
            let m = strings.add(&import.module);
            imports.put_slice(at + offset_of!(FuncImport, module), str_target(m), m.1);
            let n = strings.add(&import.name);
            imports.put_slice(at + offset_of!(FuncImport, name), str_target(n), n.1);
            imports.put_u32(
                at + offset_of!(FuncImport, wasi_id),
                import.wasi.map_or(u32::MAX, |w| w as u32),
            );
            imports.put_u32(at + offset_of!(FuncImport, type_index), import.type_index);
        }
        imports.define(module, imports_id)?;

        // Tables.
        let tables_info_id = Self::declare(module, "table_info", false)?;
        let mut tables = Blob::new(env.tables.len() * size_of::<TableInfo>(), 8);
        for (i, table) in env.tables.iter().enumerate() {
            let at = i * size_of::<TableInfo>();
            tables.put_ptr(
                at + offset_of!(TableInfo, state),
                Target::Data(syms.tables, i64::from(Symbols::table_offset(i as u32))),
            );
            tables.put_u64(at + offset_of!(TableInfo, min), table.initial);
            tables.put_u64(
                at + offset_of!(TableInfo, max),
                table.maximum.unwrap_or(u64::MAX),
            );
            let kind = if table.element_type.is_func_ref() {
                RefKind::Func
            } else {
                RefKind::Extern
            };
            tables.put_u32(at + offset_of!(TableInfo, kind), kind as u32);
        }
        tables.define(module, tables_info_id)?;

        // Memories.
        let memory_info_id = Self::declare(module, "memory_info", false)?;
        let mut memories = Blob::new(env.memories.len() * size_of::<MemoryInfo>(), 8);
        for (i, memory) in env.memories.iter().enumerate() {
            let at = i * size_of::<MemoryInfo>();
            let max_pages = if memory.memory64 {
                abi::MEMORY64_MAX_PAGES
            } else {
                abi::MEMORY32_MAX_PAGES
            };
            memories.put_u64(at + offset_of!(MemoryInfo, min_pages), memory.initial);
            memories.put_u64(
                at + offset_of!(MemoryInfo, max_pages),
                memory.maximum.unwrap_or(max_pages).min(max_pages),
            );
            memories.put_u32(
                at + offset_of!(MemoryInfo, index64),
                u32::from(memory.memory64),
            );
            memories.put_u32(
                at + offset_of!(MemoryInfo, imported),
                u32::from(env.is_imported_memory(i as u32)),
            );
        }
        memories.define(module, memory_info_id)?;

        // Data segments: descriptors pointing into one blob of all their
        // bytes (one symbol however many segments there are).
        let data_id = Self::declare(module, "data_segments", false)?;
        let bytes_id = Self::declare(module, "data_bytes", false)?;
        let mut data = Blob::new(env.data.len() * size_of::<DataSegment>(), 8);
        let mut bytes = Blob::new(0, 1);
        for (i, seg) in env.data.iter().enumerate() {
            let at = i * size_of::<DataSegment>();
            if !seg.bytes.is_empty() {
                data.put_ptr(
                    at + offset_of!(DataSegment, bytes),
                    Target::Data(bytes_id, bytes.bytes.len() as i64),
                );
                bytes.bytes.extend_from_slice(seg.bytes);
            }
            data.put_u64(at + offset_of!(DataSegment, len), seg.bytes.len() as u64);
        }
        data.define(module, data_id)?;
        bytes.define(module, bytes_id)?;

        // Element segments: funcref words.
        let elems_id = Self::declare(module, "elem_segments", false)?;
        let mut elems = Blob::new(env.elems.len() * size_of::<ElemSegment>(), 8);
        for (i, seg) in env.elems.iter().enumerate() {
            let at = i * size_of::<ElemSegment>();
            if !seg.items.is_empty() {
                let writable = !seg.global_items.is_empty();
                let items_id = Self::declare(module, &format!("elem[{i}]"), writable)?;
                let mut items = Blob::new(seg.items.len() * 8, 8);
                for (k, item) in seg.items.iter().enumerate() {
                    if let Some(f) = item {
                        items.put_ptr(
                            k * 8,
                            Target::Data(syms.funcrefs, i64::from(Symbols::funcref_offset(*f))),
                        );
                    }
                }
                items.define(module, items_id)?;
                elems.put_ptr(
                    at + offset_of!(ElemSegment, items),
                    Target::Data(items_id, 0),
                );
            }
            elems.put_u64(at + offset_of!(ElemSegment, len), seg.items.len() as u64);
        }
        elems.define(module, elems_id)?;

        // Capabilities.
        let grants = &options.grants;
        let dirs_id = Self::declare(module, "grant_dirs", false)?;
        let mut dirs = Blob::new(grants.dirs.len() * size_of::<DirGrant>(), 8);
        for (i, (host, guest)) in grants.dirs.iter().enumerate() {
            let at = i * size_of::<DirGrant>();
            let h = strings.add(host);
            dirs.put_slice(at + offset_of!(DirGrant, host), str_target(h), h.1);
            let g = strings.add(guest);
            dirs.put_slice(at + offset_of!(DirGrant, guest), str_target(g), g.1);
        }
        dirs.define(module, dirs_id)?;
        let envs_id = Self::declare(module, "grant_env", false)?;
        let mut envs = Blob::new(grants.env.len() * size_of::<EnvGrant>(), 8);
        for (i, (name, value)) in grants.env.iter().enumerate() {
            let at = i * size_of::<EnvGrant>();
            let n = strings.add(name);
            envs.put_slice(at + offset_of!(EnvGrant, name), str_target(n), n.1);
            if let Some(value) = value {
                let v = strings.add(value);
                envs.put_slice(at + offset_of!(EnvGrant, value), str_target(v), v.1);
                envs.put_u32(at + offset_of!(EnvGrant, has_value), 1);
            }
        }
        envs.define(module, envs_id)?;
        let tcp_id = Self::declare(module, "grant_tcp", false)?;
        let mut tcp = Blob::new(grants.tcp_listen.len() * size_of::<Str>(), 8);
        for (i, addr) in grants.tcp_listen.iter().enumerate() {
            let a = strings.add(addr);
            tcp.put_slice(i * size_of::<Str>(), str_target(a), a.1);
        }
        tcp.define(module, tcp_id)?;

        // The module info itself.
        let mut info = Blob::new(size_of::<ModuleInfo>(), 8);
        info.put_u32(offset_of!(ModuleInfo, abi_version), abi::ABI_VERSION);
        info.put_u32(
            offset_of!(ModuleInfo, num_imported_funcs),
            env.num_imported_funcs(),
        );
        info.put_ptr(offset_of!(ModuleInfo, vmctx), Target::Data(syms.vmctx, 0));
        info.put_ptr(offset_of!(ModuleInfo, init), Target::Func(init));
        if let Some(entry) = entry {
            info.put_ptr(offset_of!(ModuleInfo, entry), Target::Func(entry));
        }
        let slice = |id: DataId| Some(Target::Data(id, 0));
        info.put_slice(
            offset_of!(ModuleInfo, memories),
            slice(memory_info_id),
            env.memories.len() as u64,
        );
        info.put_ptr(
            offset_of!(ModuleInfo, memory_states),
            Target::Data(syms.memory_states, 0),
        );
        info.put_slice(
            offset_of!(ModuleInfo, tables),
            slice(tables_info_id),
            env.tables.len() as u64,
        );
        info.put_slice(
            offset_of!(ModuleInfo, func_imports),
            slice(imports_id),
            env.func_imports.len() as u64,
        );
        info.put_ptr(
            offset_of!(ModuleInfo, func_import_slots),
            Target::Data(syms.import_slots, 0),
        );
        info.put_slice(
            offset_of!(ModuleInfo, funcs),
            slice(funcs_id),
            defined.len() as u64,
        );
        info.put_slice(
            offset_of!(ModuleInfo, traps),
            slice(traps_id),
            all_traps as u64,
        );
        info.put_slice(
            offset_of!(ModuleInfo, data),
            slice(data_id),
            env.data.len() as u64,
        );
        info.put_slice(
            offset_of!(ModuleInfo, elems),
            slice(elems_id),
            env.elems.len() as u64,
        );
        info.put_slice(
            offset_of!(ModuleInfo, handlers),
            slice(handlers_id),
            all_handlers as u64,
        );
        let caps = offset_of!(ModuleInfo, caps);
        info.put_slice(
            caps + offset_of!(Capabilities, dirs),
            slice(dirs_id),
            grants.dirs.len() as u64,
        );
        info.put_slice(
            caps + offset_of!(Capabilities, env),
            slice(envs_id),
            grants.env.len() as u64,
        );
        info.put_u32(
            caps + offset_of!(Capabilities, inherit_env),
            u32::from(grants.inherit_env),
        );
        info.put_slice(
            caps + offset_of!(Capabilities, tcp_listen),
            slice(tcp_id),
            grants.tcp_listen.len() as u64,
        );
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
            let a = strings.add(argv0);
            info.put_slice(settings + offset_of!(Settings, argv0), str_target(a), a.1);
            info.put_u32(settings + offset_of!(Settings, has_argv0), 1);
        }
        info.define(module, info_id)?;

        let mut blob = Blob::new(strings.bytes.len(), 1);
        blob.put_bytes(0, &strings.bytes);
        blob.define(module, strings_id)
    }
}
