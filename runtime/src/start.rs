//! Process entry: `_start`, start-up in the order the ABI requires, and the
//! switch to the stack wasm code runs on.
//!
//! There is no libc, so `_start` is ours (`arch`): the kernel leaves `argc`, `argv`,
//! `envp` and the auxiliary vector on the initial stack; we hand that pointer
//! to Rust, initialise rustix (it needs the auxv for the vDSO clocks), then
//! set everything up and jump to a stack we mapped ourselves, so that its
//! bounds (and the guard page below it) are known exactly: the trap handler
//! uses them to recognise stack exhaustion and to bound backtraces.
//!
//! The single instance's runtime state (see `instance.rs`) is built here in
//! start-up memory that is never freed: one `InstanceState`, the module's
//! memories and its tables.

use wasi_aot_abi::{ABI_VERSION, ModuleInfo, WASM_PAGE_SIZE};

use crate::instance::{self, Error, InstanceState, Memory, Table};
use crate::module::module_info;
use crate::trap::WASM_STACK_GUARD as STACK_GUARD;
use crate::{arch, fault, meta, sys, wasi};

/// The usable size of the wasm stack for a build's `--max-wasm-stack`:
/// whole pages, at least one.
fn stack_size(max_wasm_stack: u64) -> usize {
    const PAGE: usize = 4096;
    let bytes = usize::try_from(max_wasm_stack).unwrap_or(usize::MAX);
    bytes.max(1).div_ceil(PAGE).saturating_mul(PAGE)
}

/// Reads the initial stack, sets up the process and runs the module.
///
/// # Safety
/// `sp` must be the initial stack pointer the kernel provided.
pub(crate) unsafe extern "C" fn start_rust(sp: *const usize) -> ! {
    // SAFETY: the kernel's initial stack holds argc, then argc argv pointers
    // and a null, then envp pointers and a null, then the auxv.
    let (argc, argv, envp) = unsafe {
        let argc = *sp;
        let argv = sp.add(1) as *const *const u8;
        (argc, argv, argv.add(argc + 1))
    };
    // SAFETY: `envp` is the original environment block, and no other rustix
    // function has been called yet.
    unsafe { rustix::param::init(envp as *mut *mut u8) };

    let info = module_info();
    if info.abi_version != ABI_VERSION {
        sys::cannot_start(format_args!(
            "the module was compiled for ABI version {}, this runtime implements {}",
            info.abi_version, ABI_VERSION
        ));
    }

    // Map the wasm stack: guard at the low end, usable part above it.
    let stack_size = stack_size(info.settings.max_wasm_stack);
    let cannot_map = || -> ! {
        sys::cannot_start(format_args!(
            "cannot map the wasm stack ({} KiB)",
            stack_size >> 10
        ))
    };
    let Some(low) = STACK_GUARD.checked_add(stack_size).and_then(sys::reserve) else {
        cannot_map()
    };
    // SAFETY: the range is inside the reservation just made.
    if !unsafe { sys::protect_rw(low.wrapping_add(STACK_GUARD), stack_size) } {
        cannot_map()
    }
    let top = low.wrapping_add(STACK_GUARD + stack_size);
    fault::install(low as usize, top as usize);

    // SAFETY: start-up runs once, before any wasm code, on one thread.
    unsafe { init_instance(info) };
    // SAFETY: argv/envp come from the kernel and live for the whole process.
    unsafe { wasi::init(info, argc, argv, envp) };

    // SAFETY: `top` is the 16-byte aligned top of a fresh read-write stack.
    unsafe { arch::switch_stack(top, run_module) }
}

/// Start-up memory for `n` values of `T`, never freed.
fn alloc<T>(n: usize) -> *mut T {
    const { assert!(align_of::<T>() <= 16) };
    match sys::alloc_static(n * size_of::<T>()) {
        Some(p) => p.cast(),
        None => sys::cannot_start(format_args!("out of memory")),
    }
}

/// Creates the instance's memory and tables and attaches its state.
///
/// # Safety
/// Call once at start-up, before any wasm code runs.
unsafe fn init_instance(info: &'static ModuleInfo) {
    let vmctx = info.vmctx;
    let fail = |e: Error| -> ! { sys::cannot_start(format_args!("{e}")) };
    let max_memory_pages = info.settings.max_memory / WASM_PAGE_SIZE;

    let mems = meta::slice(info.memories);
    let num_memories = mems.len();
    let memories = alloc::<*const Memory>(num_memories);
    let memory_slots = alloc::<Memory>(num_memories);
    for (i, m) in mems.iter().enumerate() {
        if m.min_pages > max_memory_pages {
            sys::cannot_start(format_args!(
                "memory {i} starts at {} bytes, more than --max-memory allows ({} bytes)",
                m.min_pages.saturating_mul(WASM_PAGE_SIZE),
                info.settings.max_memory
            ));
        }
        // SAFETY: the compiler points every entry of `memory_states` at the
        // object's writable `VMMemory` of that memory (an executable imports
        // none), alive for the whole process.
        let memory = unsafe {
            Memory::new(
                *info.memory_states.add(i),
                m.min_pages,
                m.max_pages.min(max_memory_pages),
                m.index64 != 0,
            )
        };
        // SAFETY: `memory_slots` and `memories` have room for every memory.
        unsafe {
            memory_slots
                .add(i)
                .write(memory.unwrap_or_else(|e| fail(e)));
            *memories.add(i) = memory_slots.add(i);
        }
    }

    if num_memories > 0 {
        // SAFETY: memory 0 was just created; no wasm code has run.
        unsafe { place_image(info, memory_slots) };
    }

    let decls = meta::slice(info.tables);
    let tables = alloc::<*const Table>(decls.len());
    let slots = alloc::<Table>(decls.len());
    for (i, t) in decls.iter().enumerate() {
        // SAFETY: `state` is the object's writable VMTable for this table,
        // alive for the whole process.
        let table = unsafe { Table::new(t.state, t.min, t.max) }.unwrap_or_else(|e| match e {
            Error::TableTooLarge(n) => {
                sys::cannot_start(format_args!("table {i} is too large ({n} elements)"))
            }
            e => fail(e),
        });
        // SAFETY: `slots` and `tables` have room for every table.
        unsafe {
            slots.add(i).write(table);
            *tables.add(i) = slots.add(i);
        }
    }

    let nflags = (info.data.len + info.elems.len) as usize;
    let dropped = alloc::<u8>(nflags);
    let state = alloc::<InstanceState>(1);
    // SAFETY: everything lives for the whole process in start-up memory; the
    // arrays hold `num_memories`, `decls.len()` and `nflags` initialised
    // (zeroed) values.
    unsafe {
        state.write(InstanceState::new(
            info,
            core::slice::from_raw_parts(memories, num_memories),
            core::slice::from_raw_parts(tables, decls.len()),
            core::slice::from_raw_parts_mut(dropped, nflags),
        ));
        instance::attach(vmctx, state);
    }
}

/// Puts memory 0's image ([`wasi_aot_abi::MemoryImage`]) in place: its pages are moved
/// from the executable's mapping into the memory when the page size allows
/// it, else copied. The compiler keeps the image inside the memory's
/// initial size; one that is not fails start-up rather than write outside.
///
/// # Safety
/// Call once, before any wasm code runs, with memory 0.
unsafe fn place_image(info: &ModuleInfo, memory: *const Memory) {
    let image = info.image;
    if image.len == 0 {
        return;
    }
    // SAFETY: `memory` points at memory 0, created by the caller.
    let vm = unsafe { (*memory).vm() };
    // SAFETY: the VMMemory is the object's, alive for the whole process.
    let (base, length) = unsafe { ((*vm).base, (*vm).length) };
    if image
        .offset
        .checked_add(image.len)
        .is_none_or(|end| end > length)
    {
        sys::cannot_start(format_args!(
            "memory 0's image does not fit its initial size"
        ));
    }
    let (from, len) = (image.bytes, image.len as usize);
    // SAFETY: the range was checked to lie in memory 0's accessible part.
    let to = unsafe { base.add(image.offset as usize) };
    let page = rustix::param::page_size();
    let aligned = [from as usize, to as usize, len]
        .iter()
        .all(|v| v % page == 0);
    // SAFETY: whole pages (checked); the image is a data object of whole
    // pages of its own in the executable, read by nothing else; the
    // destination is memory 0's, untouched so far.
    if aligned && unsafe { sys::move_pages(from, len, to) } {
        return;
    }
    // SAFETY: both ranges are valid for `len` bytes (the image's data
    // object, memory 0's accessible part) and do not overlap.
    unsafe { core::ptr::copy_nonoverlapping(from, to, len) };
}

/// Runs instantiation and the `_start` export, then exits 0.
extern "C" fn run_module() -> ! {
    let info = module_info();
    // SAFETY: the runtime has filled the builtins, import slots, memory and
    // tables that compiled code relies on; `init` and `entry` are the
    // compiler's functions with this signature.
    unsafe {
        (info.init)(info.vmctx);
        if let Some(entry) = info.entry {
            entry(info.vmctx);
        }
    }
    sys::exit(0)
}
