//! The single instance's linear memory, tables and segment state, and the
//! builtins compiled code calls for them.
//!
//! ⚠ Sandbox-critical: the bulk operations here write guest-chosen ranges of
//! memory and tables. Every range is checked in full, in `u64` arithmetic
//! that cannot overflow, *before* the first write, so a failing operation
//! traps without side effects (the spec 2.0 semantics).
//!
//! Linear memory is one `MEMORY32_RESERVATION`-byte `PROT_NONE` reservation;
//! the accessible prefix grows by `mprotect`, the base never moves, so
//! compiled code needs no bounds checks. Tables are plain mmap'd word arrays
//! that move on growth (`mremap`); compiled code reloads their base.
//!
//! Dropped data/element segments are recorded in a byte array sized from
//! the module's segment count (one instance per process, so runtime statics
//! suffice); a dropped segment behaves as a segment of length 0.

use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use wasi_aot_abi::{
    Builtin, DataSegment, ElemSegment, MEMORY32_RESERVATION, ModuleInfo, TableInfo, Trap,
    VMContext, VMTable, WASM_PAGE_SIZE,
};

use crate::{start, sys, trap};

/// Hard cap on elements in one table: growth beyond it fails (returns -1),
/// as the spec allows, instead of exhausting memory.
const MAX_TABLE_ELEMS: u64 = 1 << 26;
/// Pages a 32-bit memory can have.
const MAX_PAGES32: u64 = 1 << 16;

/// Per table: capacity in elements of its current mapping.
static TABLE_CAPS: AtomicPtr<u64> = AtomicPtr::new(core::ptr::null_mut());
/// One byte per data segment, then one per element segment: 1 = dropped.
static DROPPED: AtomicPtr<u8> = AtomicPtr::new(core::ptr::null_mut());
static NUM_DATA: AtomicUsize = AtomicUsize::new(0);

/// Sets up memory, tables, segment state and the builtin table.
///
/// # Safety
/// Call once at start-up, before any wasm code runs.
pub unsafe fn init(info: &'static ModuleInfo) {
    let vmctx = info.vmctx;
    // SAFETY: `vmctx` is the compiled object's writable context, and no wasm
    // code runs yet, so nothing else accesses it.
    let ctx = unsafe { &mut *vmctx };
    ctx.runtime_state = 0;
    for b in Builtin::ALL {
        ctx.builtins[*b as usize] = builtin_addr(*b);
    }

    if info.memory.present != 0 {
        let min = info.memory.min_pages;
        let Some(base) = sys::reserve(MEMORY32_RESERVATION as usize) else {
            sys::fatal(
                1,
                format_args!("error: cannot reserve address space for the linear memory"),
            );
        };
        let bytes = min.min(MAX_PAGES32) * WASM_PAGE_SIZE;
        // SAFETY: `bytes` ≤ 4 GiB lies inside the fresh reservation.
        if min > MAX_PAGES32 || !unsafe { sys::protect_rw(base, bytes as usize) } {
            sys::fatal(
                1,
                format_args!("error: cannot allocate {min} pages of linear memory"),
            );
        }
        ctx.memory.base = base;
        ctx.memory.length = bytes;
    }

    let tables = slice(info.tables.ptr, info.tables.len);
    let caps = sys::alloc_static(tables.len() * 8).unwrap_or_else(|| oom()) as *mut u64;
    TABLE_CAPS.store(caps, Ordering::Relaxed);
    for (i, t) in tables.iter().enumerate() {
        if t.min > MAX_TABLE_ELEMS {
            sys::fatal(
                1,
                format_args!("error: table {i} is too large ({} elements)", t.min),
            );
        }
        let cap = round_to_page_elems(t.min.max(1));
        let base = sys::map_zeroed((cap * 8) as usize).unwrap_or_else(|| oom()) as *mut usize;
        // SAFETY: `state` points to the compiled object's writable VMTable for
        // this table; `caps` has one slot per table.
        unsafe {
            *t.state = VMTable {
                base,
                length: t.min,
            };
            *caps.add(i) = cap;
        }
    }

    let ndata = info.data.len as usize;
    let nelem = info.elems.len as usize;
    let dropped = sys::alloc_static(ndata + nelem).unwrap_or_else(|| oom());
    DROPPED.store(dropped, Ordering::Relaxed);
    NUM_DATA.store(ndata, Ordering::Relaxed);
}

fn oom() -> ! {
    sys::fatal(1, format_args!("error: out of memory at start-up"))
}

fn round_to_page_elems(n: u64) -> u64 {
    n.div_ceil(512) * 512
}

/// Views a metadata array of the module as a slice.
fn slice<T>(ptr: *const T, len: u64) -> &'static [T] {
    if len == 0 {
        return &[];
    }
    // SAFETY: the compiler emits `len` initialised elements at `ptr` in
    // read-only data that lives for the whole process.
    unsafe { core::slice::from_raw_parts(ptr, len as usize) }
}

fn builtin_addr(b: Builtin) -> usize {
    match b {
        Builtin::MemoryGrow => memory_grow as *const () as usize,
        Builtin::MemoryFill => memory_fill as *const () as usize,
        Builtin::MemoryCopy => memory_copy as *const () as usize,
        Builtin::MemoryInit => memory_init as *const () as usize,
        Builtin::DataDrop => data_drop as *const () as usize,
        Builtin::TableGrow => table_grow as *const () as usize,
        Builtin::TableFill => table_fill as *const () as usize,
        Builtin::TableCopy => table_copy as *const () as usize,
        Builtin::TableInit => table_init as *const () as usize,
        Builtin::ElemDrop => elem_drop as *const () as usize,
        Builtin::RaiseTrap => raise_trap as *const () as usize,
    }
}

/// Base and current byte length of memory 0.
fn memory(vmctx: *mut VMContext) -> (*mut u8, u64) {
    // SAFETY: `vmctx` is the instance context compiled code passes (or the
    // module's own); reading two words of it is always valid.
    unsafe { ((*vmctx).memory.base, (*vmctx).memory.length) }
}

/// `true` when `[start, start + len)` lies within `[0, size)`.
fn in_bounds(start: u64, len: u64, size: u64) -> bool {
    start.checked_add(len).is_some_and(|end| end <= size)
}

fn is_dropped(index: usize) -> bool {
    // SAFETY: callers pass an index below `data.len + elems.len`, the size of
    // the mapped byte array.
    unsafe { *DROPPED.load(Ordering::Relaxed).add(index) != 0 }
}

fn set_dropped(index: usize) {
    // SAFETY: as in `is_dropped`.
    unsafe { *DROPPED.load(Ordering::Relaxed).add(index) = 1 }
}

/// `memory.grow`: returns the old size in pages, or -1.
extern "C" fn memory_grow(vmctx: *mut VMContext, _mem: i32, delta: i64) -> i64 {
    let info = start::module_info();
    let (base, len) = memory(vmctx);
    let old = len / WASM_PAGE_SIZE;
    let delta = delta as u64;
    let max = info.memory.max_pages.min(MAX_PAGES32);
    let Some(new) = old.checked_add(delta).filter(|&n| n <= max) else {
        return -1;
    };
    if info.memory.present == 0 {
        return -1;
    }
    // SAFETY: `[len, new * page)` is within the 4 GiB prefix of the memory
    // reservation (new ≤ 65536 pages).
    if !unsafe {
        sys::protect_rw(
            base.wrapping_add(len as usize),
            ((new - old) * WASM_PAGE_SIZE) as usize,
        )
    } {
        return -1;
    }
    // SAFETY: single-threaded; compiled code reloads the length after a call.
    unsafe { (*vmctx).memory.length = new * WASM_PAGE_SIZE };
    old as i64
}

/// `memory.fill`.
extern "C" fn memory_fill(vmctx: *mut VMContext, _mem: i32, dst: i64, byte: i32, len: i64) {
    let (base, size) = memory(vmctx);
    if !in_bounds(dst as u64, len as u64, size) {
        trap::raise(Trap::MemoryOutOfBounds);
    }
    // SAFETY: the range was checked to lie within the accessible memory.
    unsafe { core::ptr::write_bytes(base.add(dst as usize), byte as u8, len as usize) };
}

/// `memory.copy` (overlapping ranges allowed).
extern "C" fn memory_copy(
    vmctx: *mut VMContext,
    _dst_mem: i32,
    _src_mem: i32,
    dst: i64,
    src: i64,
    len: i64,
) {
    let (base, size) = memory(vmctx);
    if !in_bounds(dst as u64, len as u64, size) || !in_bounds(src as u64, len as u64, size) {
        trap::raise(Trap::MemoryOutOfBounds);
    }
    // SAFETY: both ranges were checked; `copy` has memmove semantics.
    unsafe { core::ptr::copy(base.add(src as usize), base.add(dst as usize), len as usize) };
}

/// `memory.init`.
extern "C" fn memory_init(
    vmctx: *mut VMContext,
    _mem: i32,
    data: i32,
    dst: i64,
    src: i32,
    len: i32,
) {
    let info = start::module_info();
    let segs: &[DataSegment] = slice(info.data.ptr, info.data.len);
    let Some(seg) = segs.get(data as u32 as usize) else {
        trap::raise(Trap::MemoryOutOfBounds);
    };
    let seg_len = if is_dropped(data as u32 as usize) {
        0
    } else {
        seg.len
    };
    let (src, len) = (src as u32 as u64, len as u32 as u64);
    let (base, size) = memory(vmctx);
    if !in_bounds(src, len, seg_len) || !in_bounds(dst as u64, len, size) {
        trap::raise(Trap::MemoryOutOfBounds);
    }
    if len > 0 {
        // SAFETY: both ranges were checked; segment bytes are read-only data
        // that cannot overlap the linear memory.
        unsafe {
            core::ptr::copy_nonoverlapping(
                seg.bytes.add(src as usize),
                base.add(dst as usize),
                len as usize,
            )
        };
    }
}

/// `data.drop`.
extern "C" fn data_drop(_vmctx: *mut VMContext, data: i32) {
    if (data as u32 as usize) < NUM_DATA.load(Ordering::Relaxed) {
        set_dropped(data as u32 as usize);
    }
}

/// The table `index` with its declaration, or an out-of-bounds trap.
fn table(index: i32) -> (&'static TableInfo, &'static mut VMTable, usize) {
    let info = start::module_info();
    let tables: &[TableInfo] = slice(info.tables.ptr, info.tables.len);
    let Some(t) = tables.get(index as u32 as usize) else {
        trap::raise(Trap::TableOutOfBounds);
    };
    // SAFETY: `state` is the object's writable VMTable for this table; the
    // process is single-threaded and compiled code does not hold it across
    // a builtin call.
    (t, unsafe { &mut *t.state }, index as u32 as usize)
}

/// `table.grow`: returns the old size, or -1.
extern "C" fn table_grow(_vmctx: *mut VMContext, index: i32, init: usize, delta: i64) -> i64 {
    let (decl, state, i) = table(index);
    let old = state.length;
    let max = decl.max.min(MAX_TABLE_ELEMS).min(u32::MAX as u64);
    let Some(new) = old.checked_add(delta as u64).filter(|&n| n <= max) else {
        return -1;
    };
    // SAFETY: TABLE_CAPS has one entry per table (set up in `init`).
    let cap = unsafe { &mut *TABLE_CAPS.load(Ordering::Relaxed).add(i) };
    if new > *cap {
        let new_cap = round_to_page_elems(new.max(*cap * 2).min(MAX_TABLE_ELEMS));
        // SAFETY: `state.base` is our mapping of `*cap` words; MAYMOVE keeps
        // the contents and compiled code reloads the base after the call.
        let moved = unsafe {
            rustix::mm::mremap(
                state.base.cast(),
                (*cap * 8) as usize,
                (new_cap * 8) as usize,
                rustix::mm::MremapFlags::MAYMOVE,
            )
        };
        let Ok(p) = moved else { return -1 };
        state.base = p.cast();
        *cap = new_cap;
    }
    for k in old..new {
        // SAFETY: `k < new ≤ cap`, inside the mapping.
        unsafe { *state.base.add(k as usize) = init };
    }
    state.length = new;
    old as i64
}

/// `table.fill`.
extern "C" fn table_fill(_vmctx: *mut VMContext, index: i32, dst: i64, value: usize, len: i64) {
    let (_, state, _) = table(index);
    if !in_bounds(dst as u64, len as u64, state.length) {
        trap::raise(Trap::TableOutOfBounds);
    }
    for k in dst as u64..dst as u64 + len as u64 {
        // SAFETY: the range was checked against the table length.
        unsafe { *state.base.add(k as usize) = value };
    }
}

/// `table.copy` (tables may be the same; overlapping ranges allowed).
extern "C" fn table_copy(
    _vmctx: *mut VMContext,
    dst_t: i32,
    src_t: i32,
    dst: i64,
    src: i64,
    len: i64,
) {
    let (_, d, _) = table(dst_t);
    let (dbase, dlen) = (d.base, d.length);
    let (_, s, _) = table(src_t);
    let (sbase, slen) = (s.base, s.length);
    if !in_bounds(dst as u64, len as u64, dlen) || !in_bounds(src as u64, len as u64, slen) {
        trap::raise(Trap::TableOutOfBounds);
    }
    // SAFETY: both ranges were checked; `copy` handles overlap.
    unsafe {
        core::ptr::copy(
            sbase.add(src as usize),
            dbase.add(dst as usize),
            len as usize,
        )
    };
}

/// `table.init`.
extern "C" fn table_init(
    _vmctx: *mut VMContext,
    index: i32,
    elem: i32,
    dst: i64,
    src: i32,
    len: i32,
) {
    let info = start::module_info();
    let segs: &[ElemSegment] = slice(info.elems.ptr, info.elems.len);
    let Some(seg) = segs.get(elem as u32 as usize) else {
        trap::raise(Trap::TableOutOfBounds);
    };
    let seg_len = if is_dropped(NUM_DATA.load(Ordering::Relaxed) + elem as u32 as usize) {
        0
    } else {
        seg.len
    };
    let (src, len) = (src as u32 as u64, len as u32 as u64);
    let (_, state, _) = table(index);
    if !in_bounds(src, len, seg_len) || !in_bounds(dst as u64, len, state.length) {
        trap::raise(Trap::TableOutOfBounds);
    }
    if len > 0 {
        // SAFETY: both ranges were checked; segment items are read-only data.
        unsafe {
            core::ptr::copy_nonoverlapping(
                seg.items.add(src as usize),
                state.base.add(dst as usize),
                len as usize,
            )
        };
    }
}

/// `elem.drop`.
extern "C" fn elem_drop(_vmctx: *mut VMContext, elem: i32) {
    let info = start::module_info();
    if (elem as u32 as u64) < info.elems.len {
        set_dropped(NUM_DATA.load(Ordering::Relaxed) + elem as u32 as usize);
    }
}

/// The `RaiseTrap` builtin: raises the trap with the given code.
extern "C" fn raise_trap(_vmctx: *mut VMContext, code: i32) {
    match Trap::from_code(code as u32) {
        Some(t) => trap::raise(t),
        None => panic!("raise_trap with unknown trap code {code}"),
    }
}
