//! Object emission: the compiled module as one relocatable ELF object.
//!
//! The object defines, besides the functions' code:
//!
//! ```text
//! wasi_aot_module_info  ModuleInfo (exported; the runtime's only way in)
//!   ├─ vmctx ──────────▶ wasi_aot_vmctx       VMContext (memory 0, builtins)
//!   ├─ memories ───────▶ wasi_aot_memory_info [MemoryInfo; nmemories]
//!   ├─ memory_states ──▶ wasi_aot_memory_states [*mut VMMemory; nmemories]
//!   │                      ─▶ VMContext::memory, wasi_aot_memories[i], or an
//!   │                         imported memory's (the loader writes those)
//!   ├─ tables[i].state ▶ wasi_aot_tables      [VMTable; ntables]
//!   ├─ funcs ──────────▶ wasi_aot_funcs       [FuncInfo; ndefined] ─▶ code, names
//!   ├─ traps ──────────▶ wasi_aot_traps       [TrapSite]  (per function, by offset)
//!   ├─ handlers ───────▶ wasi_aot_handlers    [HandlerSite] (by function, offset)
//!   ├─ func_imports ───▶ wasi_aot_imports     [FuncImport]
//!   ├─ func_import_slots▶ wasi_aot_import_slots [usize; nimports] (runtime fills)
//!   ├─ data / elems ───▶ segment descriptors ─▶ bytes / funcref words
//!   ├─ caps ───────────▶ granted dirs, env, sockets, embedded trees
//!   │                      ─▶ wasi_aot_embed[i]: one image per tree (page-aligned)
//!   └─ image ──────────▶ wasi_aot_memory_image  memory 0's initial pages
//!                          (executables whose data segments allow it)
//! wasi_aot_globals      16-byte slot per global, initial values in place
//! wasi_aot_funcrefs     [VMFuncRef; nfuncs]
//! wasi_aot_type_ids     [u32; ntypes]
//! wasi_aot_memories     [VMMemory; nmemories] (defined memories but memory 0)
//! wasi_aot_tags         [usize; ntags] tag identities (imported: loader writes)
//! wasi_aot_global_imports / table_imports
//!                       pointers to imported state (library objects only)
//! ```
//!
//! Every structure is written field by field at `offset_of!` offsets of the
//! `wasi_aot_abi` types, so the object and the runtime cannot disagree.
//! Besides the wasm functions the emitter generates three kinds of glue
//! function: `init` (segments, then the start function), `entry` (calls
//! `_initialize`, then `""` or `_start`: see [`check::command_calls`]), and one `tail`-convention thunk per imported function, which is
//! what a funcref to an import points at. Library objects
//! ([`compile_library`]) add one array-call trampoline per function type.
//!
//! The submodules, one concern each: `check` (can the module become an
//! executable), `symbols` (the object's symbols, declared before
//! translation), `glue` (import thunks, `entry`, trampolines), `init` (the
//! instantiation function and its segment table), `image` (memory 0's
//! initial pages from the data segments), `metadata` (every data
//! object, written at the abi types' offsets) and `library` (a static
//! library's instance layout, C API wrappers and header:
//! [`compile_staticlib`]).

mod check;
mod glue;
mod image;
mod init;
mod library;
mod metadata;
mod symbols;

use crate::codegen::{self, Arch, CompiledFunc, DefinedFunc, TargetCpu};
use crate::env::FuncIndex;
use crate::env::{ModuleEnv, Symbols};
use crate::error::{CompileError, Result};
use crate::inline::Candidates;
use crate::parse::{self, Features};
use crate::progress::Progress;
pub use check::check_command;
use check::command_calls;
use cranelift_codegen::isa::TargetIsa;
use cranelift_module::Module;
use cranelift_object::{ObjectBuilder, ObjectModule};
use glue::{entry_function, import_thunk, trampoline};
use image::MemoryImage;
use init::{InitPlan, init_function};
pub use library::c_identifier;
use metadata::DataEmitter;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use symbols::{declare_glue, declare_symbols, declare_trampolines};
use wasmparser::{FuncToValidate, FuncValidatorAllocations, ValidatorResources};

/// Capabilities to bake into the executable.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Grants {
    /// `(host, guest)` directory pairs.
    pub dirs: Vec<(String, String)>,
    /// `(name, value)`; `None` copies the host's value at start-up.
    pub env: Vec<(String, Option<String>)>,
    pub inherit_env: bool,
    /// Addresses of listening sockets to grant.
    pub tcp_listen: Vec<String>,
    /// Trees to bake into the executable, preopened after `dirs`.
    pub embeds: Vec<Embed>,
}

/// A read-only tree baked into the executable: an image laid out as
/// `wasi_aot_abi::ImageHeader` describes, seen by the module as the
/// preopened directory `guest`. Its `Debug` shows the image's length, not
/// its bytes.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Embed {
    pub guest: String,
    pub image: Vec<u8>,
}

impl std::fmt::Debug for Embed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embed")
            .field("guest", &self.guest)
            .field("image_len", &self.image.len())
            .finish()
    }
}

/// Build options that change the object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Options {
    pub cpu: TargetCpu,
    pub grants: Grants,
    pub features: Features,
    /// Largest size in bytes each linear memory may reach (`None`: the
    /// index type's limit).
    pub max_memory: Option<u64>,
    /// Usable size in bytes of the executable's wasm stack (`None`:
    /// [`abi::DEFAULT_MAX_WASM_STACK`]).
    pub max_wasm_stack: Option<u64>,
    /// The `argv[0]` the module sees (`None`: the executable's own).
    pub argv0: Option<String>,
    /// Compile every function as it is, inlining nothing (every frame
    /// stays in backtraces: [`crate::inline`]) and folding nothing (every
    /// function has its own code and name: [`twins`]).
    pub no_inline: bool,
}

/// What the object is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// An executable: WASI imports only, its entry points called by `entry`.
    Command,
    /// A library object loaded in-process (the spec test harness): any
    /// imports, plus one array-call trampoline per function type.
    Library,
    /// A static library's object (see `library`): per-instance state in
    /// the instance block, a C function per export.
    StaticLib,
}

/// A module compiled as a static library: the object and its C header.
pub struct StaticLib {
    pub object: Vec<u8>,
    pub header: String,
}

/// A compiled module's object, not yet serialized: [`Object::write_to`]
/// streams it into a file without first making a second copy of it in
/// memory (a big module's object is hundreds of megabytes).
pub struct Object(object::write::Object<'static>);

impl Object {
    /// Writes the object file to `writer` (best given buffered).
    pub fn write_to(&self, writer: impl std::io::Write) -> Result<()> {
        self.0.write_stream(writer).map_err(object_err)
    }

    /// The object file's bytes.
    pub fn into_bytes(self) -> Result<Vec<u8>> {
        self.0.write().map_err(object_err)
    }
}

/// Compiles a WASI command module to an object.
pub fn compile_command(wasm: &[u8], options: &Options) -> Result<Object> {
    compile_command_with_progress(wasm, options, &Progress::new())
}

/// [`compile_command`], updating `progress` as it goes (for a display on
/// another thread).
pub fn compile_command_with_progress(
    wasm: &[u8],
    options: &Options,
    progress: &Progress,
) -> Result<Object> {
    compile_module(wasm, options, Kind::Command, "", progress)
        .map(|(object, _)| object)
        .map_err(|e| parse::unsupported_feature(wasm, e))
}

/// Compiles any module to an object meant to be loaded in-process, once per
/// instance, by a loader that resolves its imports itself (the spec test
/// harness). It is an executable's object plus:
/// - imports of any kind: a non-WASI function import's slot holds the code
///   of another instance's wasm function (`tail` convention); imported
///   globals, tables and memories are reached through the pointers in the
///   `wasi_aot_global_imports`, `wasi_aot_table_imports` and
///   `wasi_aot_memory_states` data objects, which the loader fills (the
///   entries of imported memories; `ModuleInfo::memories` says which);
/// - for each function type `T` (type-section index of the first
///   equal type) an array-call trampoline
///   `wasi_aot_trampoline[T]`, of C type
///   `void (*)(const void *code, u128 *args_and_results)`: it reads the
///   parameters from 16-byte slots, calls `code` in the `tail` convention
///   and writes the results back to the slots from the first.
///
/// The loader finds these and the other data objects (`wasi_aot_funcrefs`,
/// `wasi_aot_globals`, `wasi_aot_tables`, `wasi_aot_type_ids`,
/// `wasi_aot_import_slots`) by name in the object's symbol table.
pub fn compile_library(wasm: &[u8], options: &Options) -> Result<Vec<u8>> {
    compile_module(wasm, options, Kind::Library, "", &Progress::new())
        .and_then(|(object, _)| object.into_bytes())
        .map_err(|e| parse::unsupported_feature(wasm, e))
}

/// Compiles any module without WASI imports but `proc_exit` into the
/// object of a static library named `name` (a C identifier: the prefix of
/// every symbol of its C API), and the library's C header. The object is
/// position-independent; the runtime library's host part (its `library`
/// feature) completes it.
pub fn compile_staticlib(wasm: &[u8], options: &Options, name: &str) -> Result<StaticLib> {
    let (object, header) = compile_module(wasm, options, Kind::StaticLib, name, &Progress::new())
        .map_err(|e| parse::unsupported_feature(wasm, e))?;
    Ok(StaticLib {
        object: object.into_bytes()?,
        header: header.unwrap_or_default(),
    })
}

fn compile_module(
    wasm: &[u8],
    options: &Options,
    kind: Kind,
    name: &str,
    progress: &Progress,
) -> Result<(Object, Option<String>)> {
    let parse::Parsed { env, funcs } = parse::parse_with(wasm, options.features)?;
    if kind == Kind::Command {
        check_command(&env)?;
    }
    let api = match kind {
        Kind::StaticLib => Some(library::Api::new(&env, name)?),
        _ => None,
    };
    let isa = match kind {
        Kind::StaticLib => codegen::library_isa(options.cpu)?,
        _ => codegen::target_isa(options.cpu)?,
    };
    let builder = ObjectBuilder::new(
        isa.clone(),
        "wasm-module",
        cranelift_module::default_libcall_names(),
    )
    .map_err(|e| CompileError::Object(e.to_string()))?;
    let mut module = ObjectModule::new(builder);
    let mut syms = declare_symbols(&mut module, &env)?;
    if kind == Kind::Command && !env.memories.is_empty() && !env.is_imported_memory(0) {
        syms.memory0_at = Some(wasi_aot_abi::MEMORY0_ADDRESS);
    }
    if let Some(api) = &api {
        library::declare_instance(&mut module, &env, &mut syms, api)?;
    }
    let syms = syms;

    // The glue's symbols are declared, and the glue compiled, before the
    // module's functions: the symbol table's order is fixed whatever the
    // thread scheduling.
    let num_imported = env.num_imported_funcs();
    let mut glue = Vec::new();
    for import in 0..num_imported {
        glue.push(codegen::compile_function(
            &*isa,
            syms.funcs[import as usize],
            import,
            import_thunk(&env, &syms, isa.frontend_config(), import),
        )?);
    }
    let calls: Vec<FuncIndex> = match kind {
        Kind::Command => command_calls(&env).into_iter().map(|(_, f)| f).collect(),
        Kind::Library | Kind::StaticLib => Vec::new(),
    };
    let (init_id, entry_id) = declare_glue(&mut module, !calls.is_empty())?;
    // An executable's memory 0 starts from an image of its data segments.
    let image = match syms.memory0_at {
        Some(_) => MemoryImage::of(&env),
        None => None,
    };
    let plan = InitPlan::new(&env, image.as_ref());
    plan.define_table(&mut module, syms.segment_inits)?;
    glue.push(codegen::compile_function(
        &*isa,
        init_id,
        u32::MAX,
        init_function(&env, &syms, &plan, isa.frontend_config()),
    )?);
    if let Some(entry_id) = entry_id {
        let func = entry_function(&syms, isa.frontend_config(), &calls);
        glue.push(codegen::compile_function(&*isa, entry_id, u32::MAX, func)?);
    }
    let mut trampolines = Vec::new();
    if kind != Kind::Command {
        trampolines = declare_trampolines(&mut module, &env)?;
        for &(ty, id) in &trampolines {
            let func = trampoline(&env, isa.frontend_config(), id, ty);
            glue.push(codegen::compile_function(&*isa, id, u32::MAX, func)?);
        }
    }
    if let Some(api) = &api {
        let config = isa.frontend_config();
        for wrapper in
            library::export_wrappers(&mut module, &env, &syms, api, &trampolines, config)?
        {
            glue.push(match wrapper {
                library::Wrapper::Clif { id, func } => {
                    codegen::compile_function(&*isa, id, u32::MAX, *func)?
                }
                library::Wrapper::Code(code) => code,
            });
        }
    }

    let candidates = if options.no_inline {
        Candidates::none()
    } else {
        progress.start_inlining();
        Candidates::collect(&env, &syms, &*isa, &funcs)
    };
    let twins = if options.no_inline {
        vec![None; funcs.len()]
    } else {
        twins(&env)
    };
    progress.start_compiling(funcs.len());
    let mut defined = Vec::with_capacity(funcs.len());
    let compile = Compile {
        env: &env,
        syms: &syms,
        isa: &*isa,
        arch: options.cpu.arch(),
        candidates: &candidates,
        twins: &twins,
    };
    compile.functions(funcs, progress, |func| {
        defined.push(define_function(&mut module, func)?);
        Ok(())
    })?;
    progress.start_writing();
    for func in glue {
        define_function(&mut module, func)?;
    }

    let emitter = DataEmitter {
        env: &env,
        syms: &syms,
        image: image.as_ref(),
    };
    let moved = emitter.emit(&mut module, &mut defined, init_id, entry_id, options)?;
    let header = match &api {
        Some(api) => {
            library::define_layout(&mut module, &env, &syms, api, &trampolines)?;
            Some(library::header(&env, api))
        }
        None => None,
    };

    let mut product = module.finish();
    moved.place(&mut product);
    Ok((Object(product.object), header))
}

fn object_err(e: impl std::fmt::Display) -> CompileError {
    CompileError::Object(e.to_string())
}

/// Places `func`'s code and relocations in the object; what is left of it
/// is what the metadata needs.
fn define_function(module: &mut ObjectModule, func: CompiledFunc) -> Result<DefinedFunc> {
    module
        .define_function_bytes(func.id, func.alignment, &func.code, &func.relocs)
        .map_err(object_err)?;
    Ok(DefinedFunc {
        id: func.id,
        len: func.code.len() as u32,
        traps: func.traps,
        handlers: func.handlers,
    })
}

/// What compiling the module's functions reads: the module, its symbols,
/// the target, the inlining candidates and the folded functions.
struct Compile<'a> {
    env: &'a ModuleEnv<'a>,
    syms: &'a Symbols,
    isa: &'a dyn TargetIsa,
    arch: Arch,
    candidates: &'a Candidates,
    /// By defined index: the earlier defined function this one is folded
    /// into ([`twins`]).
    twins: &'a [Option<u32>],
}

impl Compile<'_> {
    /// Translates and compiles the module's function bodies on every core
    /// and hands each one to `define`, in function-index order, as soon as
    /// it and every function before it are compiled: the object grows
    /// while the compilation goes on, and only the functions finished
    /// ahead of a slow one wait in memory. Workers take bodies in index
    /// order. The error returned is the first in index order, as a
    /// sequential build would report it.
    fn functions(
        &self,
        funcs: Vec<FuncToValidate<ValidatorResources>>,
        progress: &Progress,
        mut define: impl FnMut(CompiledFunc) -> Result<()>,
    ) -> Result<()> {
        let count = funcs.len();
        let queue = Mutex::new(funcs.into_iter().enumerate());
        // Bodies past the first failure are not compiled.
        let failed_at = AtomicUsize::new(usize::MAX);
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(count);
        let handoff = Handoff::new(workers);
        std::thread::scope(|scope| {
            for _ in 0..workers {
                let (queue, failed_at, handoff) = (&queue, &failed_at, &handoff);
                scope.spawn(move || {
                    let _leaving = Leaving(handoff);
                    // Reused from one function to the next, as are the
                    // validator's allocations.
                    let mut ctx = cranelift_codegen::Context::new();
                    let mut allocations = Default::default();
                    loop {
                        let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                        let Some((i, to_validate)) = next else { break };
                        if i > failed_at.load(Ordering::Relaxed) {
                            break;
                        }
                        let compiled = self.one(i, to_validate, &mut ctx, &mut allocations);
                        if compiled.is_err() {
                            failed_at.fetch_min(i, Ordering::Relaxed);
                        }
                        let body = self.env.bodies[i].range();
                        if body.end - body.start >= LARGE_BODY {
                            // What the register allocator grew for it is
                            // freed, not kept for the small ones to come.
                            ctx = cranelift_codegen::Context::new();
                        }
                        progress.compiled_one();
                        handoff.put(i, compiled);
                    }
                });
            }
            // An early return stops the workers at their next body.
            let stop = |e| {
                failed_at.store(0, Ordering::Relaxed);
                e
            };
            for next in 0..count {
                // Only a worker's panic ends the results early; the scope
                // raises it again.
                let Some(compiled) = handoff.take(next) else {
                    break;
                };
                define(compiled.map_err(stop)?).map_err(stop)?;
            }
            Ok(())
        })
    }

    /// Compiles defined function `i` in `ctx`: a jump to its twin, if it
    /// has one; else its body, translated (and validated with
    /// `allocations`) unless it is an inlining candidate, which is
    /// translated already.
    fn one(
        &self,
        i: usize,
        to_validate: FuncToValidate<ValidatorResources>,
        ctx: &mut cranelift_codegen::Context,
        allocations: &mut FuncValidatorAllocations,
    ) -> Result<CompiledFunc> {
        let num_imported = self.env.num_imported_funcs();
        let index = num_imported + i as u32;
        let id = self.syms.funcs[index as usize];
        if let Some(twin) = self.twins[i] {
            let twin = self.syms.funcs[(num_imported + twin) as usize];
            return Ok(codegen::jump_to(self.arch, id, twin));
        }
        let func = match self.candidates.body(index) {
            Some(func) => func.clone(),
            None => {
                let mut validator = to_validate.into_validator(std::mem::take(allocations));
                let translated = crate::translate::translate_function(
                    self.env,
                    self.syms,
                    self.isa,
                    index,
                    &self.env.bodies[i],
                    &mut validator,
                );
                *allocations = validator.into_allocations();
                translated?
            }
        };
        let inliner = Some(self.candidates.inliner());
        codegen::compile_function_in(ctx, self.isa, id, index, func, inliner)
    }
}

/// By defined index, the first earlier defined function of the same type
/// whose wasm body (locals and code) is byte-for-byte the same, if any:
/// the two behave the same, so the later one is compiled as a jump to the
/// first (identical code folding). A trap in it is then reported under the
/// first one's name. C++ programs have many: LLVM's clang 27% of its
/// functions (6% of its code), yosys 20%.
fn twins(env: &ModuleEnv) -> Vec<Option<u32>> {
    let num_imported = env.num_imported_funcs() as usize;
    let mut first: HashMap<(u32, &[u8]), u32> = HashMap::with_capacity(env.bodies.len());
    (0..env.bodies.len())
        .map(|i| {
            let ty = env.canonical_types[env.funcs[num_imported + i] as usize];
            match first.entry((ty, env.bodies[i].as_bytes())) {
                Entry::Occupied(twin) => Some(*twin.get()),
                Entry::Vacant(slot) => {
                    slot.insert(i as u32);
                    None
                }
            }
        })
        .collect()
}

/// A body at least this long (bytes of wasm) leaves its worker's
/// compilation context so large (tens of megabytes for CPython's
/// interpreter loop) that it is dropped after it.
const LARGE_BODY: u64 = 32 << 10;

/// Compiled functions on their way from the workers to the thread that
/// places them in the object, in index order. They arrive in completion
/// order; a worker wakes the placing thread only with the function it
/// waits for (one wake-up per function would cost more than the
/// placing).
struct Handoff {
    state: Mutex<HandoffState>,
    ready: Condvar,
}

struct HandoffState {
    /// Compiled, not yet taken: by body index.
    ahead: BTreeMap<usize, Result<CompiledFunc>>,
    /// The body index the placing thread waits for.
    wanted: usize,
    /// Workers that have not ended.
    running: usize,
}

impl Handoff {
    fn new(workers: usize) -> Handoff {
        Handoff {
            state: Mutex::new(HandoffState {
                ahead: BTreeMap::new(),
                wanted: 0,
                running: workers,
            }),
            ready: Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HandoffState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A worker's result for body `i`.
    fn put(&self, i: usize, compiled: Result<CompiledFunc>) {
        let mut state = self.lock();
        state.ahead.insert(i, compiled);
        if i == state.wanted {
            self.ready.notify_one();
        }
    }

    /// Body `i`'s result, once a worker has put it; `None` when every
    /// worker has ended without it.
    fn take(&self, i: usize) -> Option<Result<CompiledFunc>> {
        let mut state = self.lock();
        state.wanted = i;
        loop {
            if let Some(compiled) = state.ahead.remove(&i) {
                return Some(compiled);
            }
            if state.running == 0 {
                return None;
            }
            state = self.ready.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// Counts a worker out of its [`Handoff`] when it ends, by returning or by
/// a panic, and wakes the placing thread, which may be waiting for a body
/// no worker will put.
struct Leaving<'a>(&'a Handoff);

impl Drop for Leaving<'_> {
    fn drop(&mut self) {
        self.0.lock().running -= 1;
        self.0.ready.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only a later function with the same type and the same body bytes
    /// (locals included) is a twin, of the first such function.
    #[test]
    fn twins_have_the_same_type_and_body() {
        let wasm = wat::parse_str(
            r#"(module
                 (type $un (func (param i32) (result i32)))
                 (type $un2 (func (param i32) (result i32)))
                 (type $bin (func (param i32 i32) (result i32)))
                 (import "m" "f" (func (type $un)))
                 (func (type $un) (local.get 0))
                 (func (type $bin) (local.get 0))
                 (func (type $un) (local.get 0))
                 (func (type $un2) (local.get 0))
                 (func (type $un) (local i32) (local.get 0))
                 (func (type $bin) (local.get 0))
                 (func (type $un) (i32.const 1)))"#,
        )
        .expect("test module assembles");
        let parsed = parse::parse(&wasm).expect("test module parses");
        assert_eq!(
            twins(&parsed.env),
            [None, None, Some(0), Some(0), None, Some(1), None]
        );
    }

    /// The error reported is the first in index order, whichever worker
    /// finds an error first (here the large bodies after it, compiled
    /// beside it, are invalid too).
    #[test]
    fn the_first_invalid_body_in_index_order_is_reported() {
        // Function 1 is too long to be an inlining candidate (those are
        // translated, so validated, before the others).
        let small = format!("(func i32.add{})", " nop".repeat(200));
        // Large ones of different lengths (identical ones would be folded).
        let large: String = (0..4)
            .map(|k| format!("(func i32.add{})", " nop".repeat(LARGE_BODY as usize + k)))
            .collect();
        let wasm = wat::parse_str(format!("(module (func) {small} {large})"))
            .expect("test module assembles");
        let first = parse::parse(&wasm).expect("test module parses").env.bodies[1].range();
        for _ in 0..20 {
            match compile_library(&wasm, &Options::default()) {
                Err(CompileError::Invalid { offset, .. }) => {
                    assert!(
                        first.contains(&(offset as u64)),
                        "error at {offset}, not in {first:?}"
                    )
                }
                Err(other) => panic!("unexpected error: {other}"),
                Ok(_) => panic!("an invalid module compiled"),
            }
        }
    }
}
