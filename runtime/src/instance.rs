//! Linear memories, tables and per-instance segment state, and the builtins
//! compiled code calls for them through `VMContext::builtins`.
//!
//! ⚠ Sandbox-critical: the bulk operations here write guest-chosen ranges of
//! memory and tables. Every range is checked in full, in `u64` arithmetic
//! that cannot overflow, *before* the first write, so a failing operation
//! traps without side effects (the spec 2.0 semantics).
//!
//! A builtin finds everything through its instance's [`InstanceState`],
//! which `VMContext::runtime_state` points at: the module description, the
//! memories (a list indexed by memory index), the tables, and which
//! segments are dropped (a dropped segment behaves as one of length 0).
//! Memories and tables are [`Memory`] and [`Table`] objects referenced by
//! pointer, so instances that import one share the object, and with it the
//! bookkeeping every user must agree on (a table's capacity, the maxima).
//!
//! An executable has one instance, whose state start-up builds in memory
//! that is never freed (`start.rs`). A host running compiled modules in its
//! own process (the spec test harness) builds one state per instance with
//! [`InstanceState::new`] and [`attach`], owns the memories and tables, and
//! decides with [`trap::set_trap_hook`] what raising a trap does.
//!
//! Every linear memory, 32-bit or 64-bit, is its own
//! `MEMORY32_RESERVATION`-byte `PROT_NONE` reservation; the accessible
//! prefix grows by `mprotect` (to at most 4 GiB for a 32-bit memory,
//! `MEMORY64_MAX_PAGES` for a 64-bit one), the base never moves, so compiled
//! code needs no bounds checks for a 32-bit memory and only compares with
//! the length for a 64-bit one. The reservation is advised for transparent
//! huge pages: programs that walk a large memory (sorting, sieves, matrix
//! code) spend less time on TLB misses and page faults; the price is that
//! touching one byte of a 2 MiB-aligned stretch that is wholly accessible
//! may commit all of it (a memory smaller than 2 MiB gets none). Tables are mmap'd word arrays that
//! move on growth (`mremap`); compiled code reloads their base after a
//! builtin call, and importers reach it through the same `VMTable`.
//!
//! [`trap::set_trap_hook`]: crate::trap::set_trap_hook

use core::cell::Cell;
use core::fmt;

use wasi_aot_abi::{
    BuiltinFns, DataSegment, ElemSegment, MEMORY32_MAX_PAGES, MEMORY32_RESERVATION,
    MEMORY64_MAX_PAGES, ModuleInfo, Trap, VMContext, VMMemory, VMTable, WASM_PAGE_SIZE,
};

use crate::{sys, trap};

/// Hard cap on elements in one table: growth beyond it fails (returns -1),
/// as the spec allows, instead of exhausting memory.
pub const MAX_TABLE_ELEMS: u64 = 1 << 26;

/// Why a memory or table could not be created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// No address space for a memory's reservation.
    MemoryReserve,
    /// The address the compiler fixed for a memory's reservation is taken.
    MemoryAddress(usize),
    /// The initial pages could not be made accessible (or exceed what the
    /// memory can hold).
    MemoryPages(u64),
    /// A table's initial size exceeds [`MAX_TABLE_ELEMS`].
    TableTooLarge(u64),
    /// A table's elements could not be mapped.
    OutOfMemory,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::MemoryReserve => {
                write!(f, "cannot reserve address space for the linear memory")
            }
            Error::MemoryAddress(at) => write!(
                f,
                "the linear memory's address range {at:#x}..{:#x} is already in use",
                *at as u64 + MEMORY32_RESERVATION
            ),
            Error::MemoryPages(n) => write!(f, "cannot allocate {n} pages of linear memory"),
            Error::TableTooLarge(n) => write!(f, "table too large ({n} elements)"),
            Error::OutOfMemory => write!(f, "out of memory"),
        }
    }
}

/// A linear memory (32-bit or 64-bit): an owned reservation, and the
/// `VMMemory` (base and accessible length) compiled code reads, which lives
/// in the defining instance's data (`VMContext::memory` for memory 0).
/// Dropping it releases the reservation.
pub struct Memory {
    vm: *mut VMMemory,
    /// Start of the reservation (equal to the base, which never moves).
    base: *mut u8,
    /// Declared maximum in pages, `u64::MAX` when unbounded.
    max_pages: u64,
    /// Whether addresses are 64-bit (memory64).
    index64: bool,
}

/// Pages a memory can have: 4 GiB for a 32-bit memory, what the reservation
/// holds for a 64-bit one.
fn page_limit(index64: bool) -> u64 {
    if index64 {
        MEMORY64_MAX_PAGES
    } else {
        MEMORY32_MAX_PAGES
    }
}

impl Memory {
    /// Reserves a memory of `min_pages` accessible pages and points `vm` at
    /// it; `index64` for a 64-bit memory. When `vm`'s base is already set
    /// (the compiler fixed the address: an executable's memory 0), the
    /// reservation is made exactly there, or not at all.
    ///
    /// # Safety
    /// `vm` must be valid for reads and writes, and stay valid while this
    /// memory is used (grown, sized, or reached by a builtin).
    pub unsafe fn new(
        vm: *mut VMMemory,
        min_pages: u64,
        max_pages: u64,
        index64: bool,
    ) -> Result<Memory, Error> {
        let size = MEMORY32_RESERVATION as usize;
        let limit = page_limit(index64);
        // SAFETY: guaranteed by the caller.
        let fixed = unsafe { (*vm).base };
        let base = if fixed.is_null() {
            sys::reserve(size).ok_or(Error::MemoryReserve)?
        } else {
            sys::reserve_at(fixed, size).map_err(|e| match e {
                rustix::io::Errno::EXIST => Error::MemoryAddress(fixed as usize),
                _ => Error::MemoryReserve,
            })?
        };
        // SAFETY: the reservation was just made.
        unsafe { sys::advise_huge_pages(base, size) };
        let bytes = min_pages.min(limit) * WASM_PAGE_SIZE;
        // SAFETY: `bytes` ≤ 8 GiB lies inside the fresh reservation.
        if min_pages > limit || !unsafe { sys::protect_rw(base, bytes as usize) } {
            // SAFETY: the reservation was just made and nothing refers to it.
            unsafe { sys::unmap(base, size) };
            return Err(Error::MemoryPages(min_pages));
        }
        // SAFETY: guaranteed by the caller.
        unsafe {
            *vm = VMMemory {
                base,
                length: bytes,
            }
        };
        Ok(Memory {
            vm,
            base,
            max_pages,
            index64,
        })
    }

    /// Whether addresses are 64-bit (memory64).
    pub fn index64(&self) -> bool {
        self.index64
    }

    /// The `VMMemory` compiled code reads (an importer's `memory_states`
    /// entry points at it).
    pub fn vm(&self) -> *mut VMMemory {
        self.vm
    }

    /// Declared maximum in pages, `u64::MAX` when unbounded.
    pub fn max_pages(&self) -> u64 {
        self.max_pages
    }

    /// Base and current byte length.
    fn current(&self) -> (*mut u8, u64) {
        // SAFETY: `vm` is valid while the memory is used (`new`'s contract).
        (self.base, unsafe { (*self.vm).length })
    }

    /// Current size in pages.
    pub fn pages(&self) -> u64 {
        self.current().1 / WASM_PAGE_SIZE
    }

    /// `memory.grow`: adds `delta` pages; returns the old size in pages, or
    /// `None` when the result would exceed the maximum or mapping fails.
    pub fn grow(&self, delta: u64) -> Option<u64> {
        let (base, len) = self.current();
        let old = len / WASM_PAGE_SIZE;
        let max = self.max_pages.min(page_limit(self.index64));
        let new = old.checked_add(delta).filter(|&n| n <= max)?;
        // SAFETY: `[len, new * page)` is within the reservation (at most
        // `MEMORY64_MAX_PAGES` pages, 8 GiB, which it holds).
        if !unsafe {
            sys::protect_rw(
                base.wrapping_add(len as usize),
                ((new - old) * WASM_PAGE_SIZE) as usize,
            )
        } {
            return None;
        }
        // SAFETY: as in `current`; compiled code reloads the length after a
        // builtin call.
        unsafe { (*self.vm).length = new * WASM_PAGE_SIZE };
        Some(old)
    }
}

impl Drop for Memory {
    fn drop(&mut self) {
        // SAFETY: the reservation is ours; whoever drops the memory ends its
        // use (no instance runs code against it any more).
        unsafe { sys::unmap(self.base, MEMORY32_RESERVATION as usize) };
    }
}

/// A table: an owned element mapping of `cap` words, and the `VMTable`
/// (base and length) compiled code reads, which lives in the defining
/// instance's data. Growth past the capacity moves the mapping. Dropping it
/// releases the mapping.
pub struct Table {
    vm: *mut VMTable,
    /// Current mapping (kept here too: `vm` may be gone when this drops).
    base: Cell<*mut usize>,
    /// Capacity in elements of the current mapping.
    cap: Cell<u64>,
    /// Declared maximum, `u64::MAX` when unbounded.
    max: u64,
}

fn round_to_page_elems(n: u64) -> u64 {
    n.div_ceil(512) * 512
}

impl Table {
    /// Maps a table of `min` null elements and points `vm` at it.
    ///
    /// # Safety
    /// `vm` must be valid for writes, and stay valid while this table is
    /// used (grown, sized, or reached by a builtin).
    pub unsafe fn new(vm: *mut VMTable, min: u64, max: u64) -> Result<Table, Error> {
        if min > MAX_TABLE_ELEMS {
            return Err(Error::TableTooLarge(min));
        }
        let cap = round_to_page_elems(min.max(1));
        let base = sys::map_zeroed((cap * 8) as usize).ok_or(Error::OutOfMemory)? as *mut usize;
        // SAFETY: guaranteed by the caller.
        unsafe { *vm = VMTable { base, length: min } };
        Ok(Table {
            vm,
            base: Cell::new(base),
            cap: Cell::new(cap),
            max,
        })
    }

    /// The `VMTable` compiled code reads (an importer's `table_imports`
    /// entry points at it).
    pub fn vm(&self) -> *mut VMTable {
        self.vm
    }

    /// Declared maximum, `u64::MAX` when unbounded.
    pub fn max(&self) -> u64 {
        self.max
    }

    /// Current number of elements.
    pub fn len(&self) -> u64 {
        // SAFETY: `vm` is valid while the table is used (`new`'s contract).
        unsafe { (*self.vm).length }
    }

    /// `true` when the table has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Base and length.
    fn current(&self) -> (*mut usize, u64) {
        (self.base.get(), self.len())
    }

    /// `table.grow`: adds `delta` elements set to `init`; returns the old
    /// size, or `None` past the maximum or when mapping fails.
    pub fn grow(&self, delta: u64, init: usize) -> Option<u64> {
        let old = self.len();
        let max = self.max.min(MAX_TABLE_ELEMS).min(u32::MAX as u64);
        let new = old.checked_add(delta).filter(|&n| n <= max)?;
        let cap = self.cap.get();
        if new > cap {
            let new_cap = round_to_page_elems(new.max(cap * 2).min(MAX_TABLE_ELEMS));
            // SAFETY: `base` is our mapping of `cap` words; MAYMOVE keeps the
            // contents, and compiled code reloads the base after the call.
            let moved = unsafe {
                rustix::mm::mremap(
                    self.base.get().cast(),
                    (cap * 8) as usize,
                    (new_cap * 8) as usize,
                    rustix::mm::MremapFlags::MAYMOVE,
                )
            };
            let p: *mut usize = moved.ok()?.cast();
            self.base.set(p);
            self.cap.set(new_cap);
            // SAFETY: as in `len`.
            unsafe { (*self.vm).base = p };
        }
        let base = self.base.get();
        for k in old..new {
            // SAFETY: `k < new ≤ cap`, inside the mapping.
            unsafe { *base.add(k as usize) = init };
        }
        // SAFETY: as in `len`.
        unsafe { (*self.vm).length = new };
        Some(old)
    }
}

impl Drop for Table {
    fn drop(&mut self) {
        // SAFETY: the mapping is ours; whoever drops the table ends its use.
        unsafe { sys::unmap(self.base.get().cast(), (self.cap.get() * 8) as usize) };
    }
}

/// What the builtins of one instance operate on; `VMContext::runtime_state`
/// points at it (see [`attach`]).
pub struct InstanceState {
    info: *const ModuleInfo,
    /// The instance's memories by memory index, defined or imported.
    memories: *const *const Memory,
    num_memories: usize,
    /// The instance's tables by table index, imported ones first.
    tables: *const *const Table,
    num_tables: usize,
    /// One byte per data segment, then one per element segment: 1 = dropped.
    dropped: *mut u8,
}

impl InstanceState {
    /// The state of an instance of the module `info` describes.
    ///
    /// # Safety
    /// `info`, the arrays behind the slices and the memories and tables they
    /// point to must stay valid as long as the instance's code can run;
    /// `dropped` must have one byte per data and element segment, zeroed
    /// (no segment dropped), and be used by nothing else.
    pub unsafe fn new(
        info: *const ModuleInfo,
        memories: &[*const Memory],
        tables: &[*const Table],
        dropped: &mut [u8],
    ) -> InstanceState {
        // SAFETY: `info` is valid (caller).
        let (ndata, nelem) = unsafe { ((*info).data.len, (*info).elems.len) };
        assert_eq!(
            dropped.len() as u64,
            ndata + nelem,
            "one dropped flag per segment"
        );
        InstanceState {
            info,
            memories: memories.as_ptr(),
            num_memories: memories.len(),
            tables: tables.as_ptr(),
            num_tables: tables.len(),
            dropped: dropped.as_mut_ptr(),
        }
    }

    fn info(&self) -> &ModuleInfo {
        // SAFETY: valid while the instance runs (`new`'s contract).
        unsafe { &*self.info }
    }

    fn memory(&self, index: i32) -> Option<&Memory> {
        let i = index as u32 as usize;
        // SAFETY: `i` is below the list's length; the list and the memories
        // are valid while the instance runs (`new`'s contract).
        (i < self.num_memories).then(|| unsafe { &**self.memories.add(i) })
    }

    fn table(&self, index: i32) -> Option<&Table> {
        let i = index as u32 as usize;
        // SAFETY: as in `memory`.
        (i < self.num_tables).then(|| unsafe { &**self.tables.add(i) })
    }

    fn data(&self, index: i32) -> Option<(DataSegment, bool)> {
        let info = self.info();
        let i = index as u32 as u64;
        (i < info.data.len).then(|| {
            // SAFETY: `i` is below the segment count; the compiler emits
            // `len` descriptors, and `dropped` has a flag for each.
            unsafe {
                (
                    *info.data.ptr.add(i as usize),
                    *self.dropped.add(i as usize) != 0,
                )
            }
        })
    }

    fn elem(&self, index: i32) -> Option<(ElemSegment, bool)> {
        let info = self.info();
        let i = index as u32 as u64;
        (i < info.elems.len).then(|| {
            // SAFETY: as in `data`; element flags follow the data flags.
            unsafe {
                (
                    *info.elems.ptr.add(i as usize),
                    *self.dropped.add((info.data.len + i) as usize) != 0,
                )
            }
        })
    }

    fn drop_segment(&self, flag: u64) {
        // SAFETY: callers pass a flag index below `data.len + elems.len`.
        unsafe { *self.dropped.add(flag as usize) = 1 };
    }
}

/// Points `vmctx` at `state` and fills its builtin table.
///
/// # Safety
/// `vmctx` must be the context of the instance `state` describes, not yet
/// running code; `state` must stay valid as long as that code can run.
pub unsafe fn attach(vmctx: *mut VMContext, state: *const InstanceState) {
    // SAFETY: guaranteed by the caller; no code of the instance runs yet.
    let ctx = unsafe { &mut *vmctx };
    ctx.runtime_state = state as usize;
    ctx.builtins = BUILTINS.addresses();
}

/// The builtins, typed by the abi's list: a function whose signature
/// differs from its entry there does not compile.
static BUILTINS: BuiltinFns = BuiltinFns {
    memory_grow,
    memory_fill,
    memory_copy,
    memory_init,
    data_drop,
    table_grow,
    table_fill,
    table_copy,
    table_init,
    elem_drop,
    exn_alloc: crate::exception::exn_alloc,
    throw: crate::exception::throw,
    exn_free: crate::exception::exn_free,
};

/// The state of the instance whose code called a builtin.
fn state<'a>(vmctx: *mut VMContext) -> &'a InstanceState {
    // SAFETY: builtins are only reachable through a context that `attach`
    // pointed at a state which outlives the instance's code; builtins do not
    // nest, and the state is only mutated through its segment flags.
    unsafe { &*((*vmctx).runtime_state as *const InstanceState) }
}

/// Base and current byte length of memory `index`, or an out-of-bounds trap
/// (validation makes a missing memory unreachable).
fn memory(vmctx: *mut VMContext, index: i32) -> (*mut u8, u64) {
    match state(vmctx).memory(index) {
        Some(m) => m.current(),
        None => trap::raise(Trap::MemoryOutOfBounds),
    }
}

/// Table `index` as base and length, or an out-of-bounds trap.
fn table(vmctx: *mut VMContext, index: i32) -> (*mut usize, u64) {
    match state(vmctx).table(index) {
        Some(t) => t.current(),
        None => trap::raise(Trap::TableOutOfBounds),
    }
}

/// `true` when `[start, start + len)` lies within `[0, size)`.
fn in_bounds(start: u64, len: u64, size: u64) -> bool {
    start.checked_add(len).is_some_and(|end| end <= size)
}

/// One side of a bulk copy: the base and length (in elements) of a memory,
/// table or segment, and the index the copy starts at.
struct Span<T> {
    base: *const T,
    length: u64,
    start: u64,
}

/// Copies `len` elements from `src` to `dst` (the same memory or table
/// allowed, ranges may overlap) after checking both ranges in full, so a
/// copy that does not fit raises `trap` before writing anything.
fn checked_copy<T>(dst: Span<T>, src: Span<T>, len: u64, trap: Trap) {
    if !in_bounds(dst.start, len, dst.length) || !in_bounds(src.start, len, src.length) {
        trap::raise(trap);
    }
    if len > 0 {
        // SAFETY: both ranges were checked to lie within their memory, table
        // or segment (so `start` and `len` fit in `usize`); `copy` has
        // memmove semantics for overlapping ranges. A destination is always
        // writable: a memory's accessible part or a table's mapping.
        unsafe {
            core::ptr::copy(
                src.base.add(src.start as usize),
                dst.base.cast_mut().add(dst.start as usize),
                len as usize,
            )
        };
    }
}

/// `memory.grow`: returns the old size in pages, or -1.
extern "C" fn memory_grow(vmctx: *mut VMContext, mem: i32, delta: i64) -> i64 {
    state(vmctx)
        .memory(mem)
        .and_then(|m| m.grow(delta as u64))
        .map_or(-1, |old| old as i64)
}

/// `memory.fill`.
extern "C" fn memory_fill(vmctx: *mut VMContext, mem: i32, dst: i64, byte: i32, len: i64) {
    let (base, size) = memory(vmctx, mem);
    if !in_bounds(dst as u64, len as u64, size) {
        trap::raise(Trap::MemoryOutOfBounds);
    }
    // SAFETY: the range was checked to lie within the accessible memory.
    unsafe { core::ptr::write_bytes(base.add(dst as usize), byte as u8, len as usize) };
}

/// `memory.copy` (overlapping ranges allowed; the memories may differ).
extern "C" fn memory_copy(
    vmctx: *mut VMContext,
    dst_mem: i32,
    src_mem: i32,
    dst: i64,
    src: i64,
    len: i64,
) {
    let (dbase, dsize) = memory(vmctx, dst_mem);
    let (sbase, ssize) = memory(vmctx, src_mem);
    checked_copy(
        Span {
            base: dbase,
            length: dsize,
            start: dst as u64,
        },
        Span {
            base: sbase,
            length: ssize,
            start: src as u64,
        },
        len as u64,
        Trap::MemoryOutOfBounds,
    );
}

/// `memory.init`.
extern "C" fn memory_init(
    vmctx: *mut VMContext,
    mem: i32,
    data: i32,
    dst: i64,
    src: i32,
    len: i32,
) {
    let Some((seg, dropped)) = state(vmctx).data(data) else {
        trap::raise(Trap::MemoryOutOfBounds);
    };
    let (base, size) = memory(vmctx, mem);
    checked_copy(
        Span {
            base,
            length: size,
            start: dst as u64,
        },
        Span {
            base: seg.bytes,
            length: if dropped { 0 } else { seg.len },
            start: src as u32 as u64,
        },
        len as u32 as u64,
        Trap::MemoryOutOfBounds,
    );
}

/// `data.drop`.
extern "C" fn data_drop(vmctx: *mut VMContext, data: i32) {
    let st = state(vmctx);
    if st.data(data).is_some() {
        st.drop_segment(data as u32 as u64);
    }
}

/// `table.grow`: returns the old size, or -1.
extern "C" fn table_grow(vmctx: *mut VMContext, index: i32, init: usize, delta: i64) -> i64 {
    let Some(t) = state(vmctx).table(index) else {
        trap::raise(Trap::TableOutOfBounds);
    };
    t.grow(delta as u64, init).map_or(-1, |old| old as i64)
}

/// `table.fill`.
extern "C" fn table_fill(vmctx: *mut VMContext, index: i32, dst: i64, value: usize, len: i64) {
    let (base, length) = table(vmctx, index);
    if !in_bounds(dst as u64, len as u64, length) {
        trap::raise(Trap::TableOutOfBounds);
    }
    for k in dst as u64..dst as u64 + len as u64 {
        // SAFETY: the range was checked against the table length.
        unsafe { *base.add(k as usize) = value };
    }
}

/// `table.copy` (tables may be the same; overlapping ranges allowed).
extern "C" fn table_copy(
    vmctx: *mut VMContext,
    dst_t: i32,
    src_t: i32,
    dst: i64,
    src: i64,
    len: i64,
) {
    let (dbase, dlen) = table(vmctx, dst_t);
    let (sbase, slen) = table(vmctx, src_t);
    checked_copy(
        Span {
            base: dbase,
            length: dlen,
            start: dst as u64,
        },
        Span {
            base: sbase,
            length: slen,
            start: src as u64,
        },
        len as u64,
        Trap::TableOutOfBounds,
    );
}

/// `table.init`.
extern "C" fn table_init(
    vmctx: *mut VMContext,
    index: i32,
    elem: i32,
    dst: i64,
    src: i32,
    len: i32,
) {
    let Some((seg, dropped)) = state(vmctx).elem(elem) else {
        trap::raise(Trap::TableOutOfBounds);
    };
    let (base, length) = table(vmctx, index);
    checked_copy(
        Span {
            base,
            length,
            start: dst as u64,
        },
        Span {
            base: seg.items,
            length: if dropped { 0 } else { seg.len },
            start: src as u32 as u64,
        },
        len as u32 as u64,
        Trap::TableOutOfBounds,
    );
}

/// `elem.drop`.
extern "C" fn elem_drop(vmctx: *mut VMContext, elem: i32) {
    let st = state(vmctx);
    if st.elem(elem).is_some() {
        st.drop_segment(st.info().data.len + elem as u32 as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `VmFlags` line of the mapping that starts at `addr`, from
    /// `/proc/self/smaps`.
    fn vm_flags(addr: usize) -> String {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let start = format!("{addr:x}-");
        let mut lines = smaps.lines().skip_while(|l| !l.starts_with(&start));
        assert!(lines.next().is_some(), "no mapping starts at {addr:#x}");
        lines
            .find(|l| l.starts_with("VmFlags:"))
            .expect("no VmFlags line")
            .to_string()
    }

    /// A memory's reservation is advised for huge pages, and growing it
    /// (which splits the mapping by protection) keeps the advice on the
    /// accessible part.
    #[test]
    fn memory_reservation_asks_for_huge_pages() {
        if !std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists() {
            // Without THP in the kernel `madvise` refuses the advice, and
            // the runtime goes on without it: nothing to check.
            eprintln!("kernel without transparent huge pages: not checked");
            return;
        }
        let mut vm = VMMemory {
            base: core::ptr::null_mut(),
            length: 0,
        };
        // SAFETY: `vm` outlives `memory` (dropped first, at the end).
        let memory = unsafe { Memory::new(&mut vm, 1, u64::MAX, false) }.unwrap();
        let base = memory.base as usize;
        assert!(vm_flags(base).contains(" hg"), "{}", vm_flags(base));
        assert_eq!(memory.grow(40), Some(1));
        assert!(vm_flags(base).contains(" hg"), "{}", vm_flags(base));
        assert!(vm_flags(base).contains(" rd wr"), "{}", vm_flags(base));
        drop(memory);
    }

    /// A base already in the `VMMemory` (the compiler's fixed address) is
    /// where the reservation goes; a second memory at the same address
    /// fails with the address, and leaves the first one alone.
    #[test]
    fn memory_at_fixed_address() {
        let size = MEMORY32_RESERVATION as usize;
        // An address that is free: a reservation's, released again.
        let at = sys::reserve(size).unwrap();
        // SAFETY: the reservation was just made and nothing uses it.
        unsafe { sys::unmap(at, size) };
        let mut vm = VMMemory {
            base: at,
            length: 0,
        };
        // SAFETY: `vm` outlives `memory` (dropped first).
        let memory = unsafe { Memory::new(&mut vm, 2, u64::MAX, false) }.unwrap();
        assert_eq!(memory.base, at);
        assert_eq!(vm.base, at);
        assert_eq!(vm.length, 2 * WASM_PAGE_SIZE);
        let mut other = VMMemory {
            base: at,
            length: 0,
        };
        // SAFETY: as above.
        let Err(e) = (unsafe { Memory::new(&mut other, 1, u64::MAX, false) }) else {
            panic!("a second memory at a taken address");
        };
        assert!(matches!(e, Error::MemoryAddress(a) if a == at as usize));
        let message = format!("{e}");
        assert!(
            message.contains(&format!("{:#x}..", at as usize)),
            "{message}"
        );
        // The first memory is still mapped and usable.
        // SAFETY: the first two pages are accessible.
        unsafe { at.add(WASM_PAGE_SIZE as usize).write(7) };
        assert_eq!(memory.grow(1), Some(2));
        drop(memory);
    }
}
