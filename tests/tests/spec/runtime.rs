//! The in-process runtime the spec harness gives compiled modules: linear
//! memories, tables, the builtins compiled code calls through
//! `VMContext::builtins`, and trap recovery.
//!
//! An executable's runtime keeps one instance per process in process
//! statics and ends the process on a trap. Here many instances live side by
//! side and a trap must return to the harness, so:
//! - each instance's state ([`InstanceState`]: its memory, its tables, which
//!   segments are dropped) hangs off `VMContext::runtime_state`; memories and
//!   tables are shared between instances by pointer, as imports require;
//! - every call into wasm goes through [`call_wasm`], which switches to a
//!   dedicated stack (with a guard region below it) after saving the
//!   harness's callee-saved registers and stack pointer. A trap — a fault or
//!   `ud2` at a recorded trap site, a hit on the stack guard, or a builtin
//!   raising one — jumps back there: the signal handler rewrites the
//!   interrupted context to resume in [`unwind`], builtins call it directly.
//!   Compiled frames have no unwind information and hold no resources, so
//!   abandoning them is all a trap needs.
//!
//! The builtins follow the executable runtime's semantics (`runtime/src/
//! instance.rs`): every range is checked in full before the first write, so
//! a failing bulk operation traps without side effects.
//!
//! ⚠ Sandbox-critical in the same way as the runtime: the bulk operations
//! write guest-chosen ranges.

use std::arch::naked_asm;
use std::cell::Cell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use wasi_aot_abi::{
    Builtin, DataSegment, ElemSegment, MEMORY32_RESERVATION, Trap, TrapSite, VMContext, VMMemory,
    VMTable, WASM_PAGE_SIZE,
};

/// Pages a 32-bit memory can have.
const MAX_PAGES32: u64 = 1 << 16;
/// Elements a table can have here (as in the executable runtime): growth
/// past it fails with -1, which the spec allows.
const MAX_TABLE_ELEMS: u64 = 1 << 26;
/// Usable size of the wasm stack.
const STACK_SIZE: usize = 8 << 20;
/// `PROT_NONE` guard below the wasm stack.
const STACK_GUARD: usize = 1 << 20;
/// Size of the signal handler's alternate stack.
const ALT_STACK_SIZE: usize = 256 << 10;
/// The code [`unwind`] reports for a fault that is not a wasm trap.
const CRASH: u64 = u64::MAX;

/// An anonymous mapping, unmapped on drop.
pub struct Mapping {
    pub ptr: *mut u8,
    pub len: usize,
}

impl Mapping {
    /// Maps `len` bytes: read-write when `rw`, else reserved `PROT_NONE`.
    pub fn new(len: usize, rw: bool) -> Result<Mapping, String> {
        let prot = if rw {
            libc::PROT_READ | libc::PROT_WRITE
        } else {
            libc::PROT_NONE
        };
        // SAFETY: an anonymous private mapping at an address of the kernel's
        // choosing touches no existing memory.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len.max(1),
                prot,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(format!(
                "mmap of {len} bytes failed: {}",
                std::io::Error::last_os_error()
            ));
        }
        Ok(Mapping {
            ptr: ptr.cast(),
            len: len.max(1),
        })
    }

    /// Changes the protection of `[offset, offset + len)`.
    pub fn protect(&self, offset: usize, len: usize, prot: i32) -> bool {
        if len == 0 {
            return true;
        }
        debug_assert!(offset + len <= self.len);
        // SAFETY: the range lies inside this mapping, which the harness owns
        // and only compiled code of its instances accesses.
        unsafe { libc::mprotect(self.ptr.add(offset).cast(), len, prot) == 0 }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: the mapping was created by `new` and nothing refers to it
        // any more (instances are dropped together at the end of a file).
        unsafe { libc::munmap(self.ptr.cast(), self.len) };
    }
}

/// A linear memory: its `VMMemory` (inside the defining instance's
/// `VMContext`) and its declared maximum.
#[derive(Clone, Copy)]
pub struct MemoryRef {
    pub state: *mut VMMemory,
    pub max_pages: u64,
}

impl MemoryRef {
    /// Current size in pages.
    pub fn pages(&self) -> u64 {
        // SAFETY: `state` points into a live instance image.
        unsafe { (*self.state).length / WASM_PAGE_SIZE }
    }
}

/// A table: its `VMTable` (inside the defining instance's image) and its
/// declared maximum.
#[derive(Clone, Copy)]
pub struct TableRef {
    pub state: *mut VMTable,
    pub max: u64,
}

impl TableRef {
    /// Current number of elements.
    pub fn len(&self) -> u64 {
        // SAFETY: `state` points into a live instance image.
        unsafe { (*self.state).length }
    }
}

/// Reserves a linear memory of `min` pages (a full `MEMORY32_RESERVATION`,
/// the accessible prefix read-write) and points `state` at it.
pub fn new_memory(state: *mut VMMemory, min: u64) -> Result<Mapping, String> {
    if min > MAX_PAGES32 {
        return Err(format!("memory of {min} pages"));
    }
    let map = Mapping::new(MEMORY32_RESERVATION as usize, false)?;
    let bytes = min * WASM_PAGE_SIZE;
    if !map.protect(0, bytes as usize, libc::PROT_READ | libc::PROT_WRITE) {
        return Err(format!("cannot map {min} pages"));
    }
    // SAFETY: `state` is the instance's VMMemory, not yet seen by wasm code.
    unsafe {
        *state = VMMemory {
            base: map.ptr,
            length: bytes,
        }
    };
    Ok(map)
}

/// Allocates a table of `min` null elements and points `state` at it. The
/// mapping covers the largest size the table may grow to, reserved lazily,
/// so growth never moves it.
pub fn new_table(state: *mut VMTable, min: u64, max: u64) -> Result<Mapping, String> {
    if min > MAX_TABLE_ELEMS {
        return Err(format!("table of {min} elements"));
    }
    let cap = max.clamp(min.max(1), MAX_TABLE_ELEMS);
    let map = Mapping::new(cap as usize * 8, true)?;
    // SAFETY: `state` is the instance's VMTable, not yet seen by wasm code.
    unsafe {
        *state = VMTable {
            base: map.ptr.cast(),
            length: min,
        }
    };
    Ok(map)
}

/// What the builtins of one instance operate on; `VMContext::runtime_state`
/// points at it.
pub struct InstanceState {
    pub memory: Option<MemoryRef>,
    pub tables: Vec<TableRef>,
    pub data: Vec<DataSegment>,
    pub elems: Vec<ElemSegment>,
    pub data_dropped: Vec<bool>,
    pub elems_dropped: Vec<bool>,
}

/// Fills the builtin table of `vmctx`.
pub fn install_builtins(vmctx: &mut VMContext) {
    for b in Builtin::ALL {
        vmctx.builtins[*b as usize] = match b {
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
        };
    }
}

fn state<'a>(vmctx: *mut VMContext) -> &'a mut InstanceState {
    // SAFETY: the harness points `runtime_state` at the instance's boxed
    // `InstanceState` before any of its code runs, and keeps it alive as long
    // as the image; wasm runs on one thread and builtins do not nest.
    unsafe { &mut *((*vmctx).runtime_state as *mut InstanceState) }
}

fn memory(vmctx: *mut VMContext) -> (*mut u8, u64, MemoryRef) {
    let Some(m) = state(vmctx).memory else {
        raise(Trap::MemoryOutOfBounds);
    };
    // SAFETY: the memory's state lives in a live instance image.
    let (base, len) = unsafe { ((*m.state).base, (*m.state).length) };
    (base, len, m)
}

fn in_bounds(start: u64, len: u64, size: u64) -> bool {
    start.checked_add(len).is_some_and(|end| end <= size)
}

extern "C" fn memory_grow(vmctx: *mut VMContext, _mem: i32, delta: i64) -> i64 {
    let Some(m) = state(vmctx).memory else {
        return -1;
    };
    // SAFETY: the memory's state lives in a live instance image.
    let (base, len) = unsafe { ((*m.state).base, (*m.state).length) };
    let old = len / WASM_PAGE_SIZE;
    let max = m.max_pages.min(MAX_PAGES32);
    let Some(new) = old.checked_add(delta as u64).filter(|&n| n <= max) else {
        return -1;
    };
    let bytes = ((new - old) * WASM_PAGE_SIZE) as usize;
    // SAFETY: `[len, new pages)` lies within the memory's 8 GiB reservation.
    let ok = bytes == 0
        || unsafe {
            libc::mprotect(
                base.add(len as usize).cast(),
                bytes,
                libc::PROT_READ | libc::PROT_WRITE,
            ) == 0
        };
    if !ok {
        return -1;
    }
    // SAFETY: as above; compiled code reloads the length after a call.
    unsafe { (*m.state).length = new * WASM_PAGE_SIZE };
    old as i64
}

extern "C" fn memory_fill(vmctx: *mut VMContext, _mem: i32, dst: i64, byte: i32, len: i64) {
    let (base, size, _) = memory(vmctx);
    if !in_bounds(dst as u64, len as u64, size) {
        raise(Trap::MemoryOutOfBounds);
    }
    // SAFETY: the range was checked against the accessible length.
    unsafe { std::ptr::write_bytes(base.add(dst as usize), byte as u8, len as usize) };
}

extern "C" fn memory_copy(
    vmctx: *mut VMContext,
    _dst_mem: i32,
    _src_mem: i32,
    dst: i64,
    src: i64,
    len: i64,
) {
    let (base, size, _) = memory(vmctx);
    if !in_bounds(dst as u64, len as u64, size) || !in_bounds(src as u64, len as u64, size) {
        raise(Trap::MemoryOutOfBounds);
    }
    // SAFETY: both ranges were checked; `copy` allows overlap.
    unsafe { std::ptr::copy(base.add(src as usize), base.add(dst as usize), len as usize) };
}

extern "C" fn memory_init(
    vmctx: *mut VMContext,
    _mem: i32,
    data: i32,
    dst: i64,
    src: i32,
    len: i32,
) {
    let st = state(vmctx);
    let index = data as u32 as usize;
    let Some(seg) = st.data.get(index).copied() else {
        raise(Trap::MemoryOutOfBounds);
    };
    let seg_len = if st.data_dropped[index] { 0 } else { seg.len };
    let (src, len) = (src as u32 as u64, len as u32 as u64);
    let (base, size, _) = memory(vmctx);
    if !in_bounds(src, len, seg_len) || !in_bounds(dst as u64, len, size) {
        raise(Trap::MemoryOutOfBounds);
    }
    if len > 0 {
        // SAFETY: both ranges were checked; segment bytes live in the image's
        // read-only data, never inside a linear memory.
        unsafe {
            std::ptr::copy_nonoverlapping(
                seg.bytes.add(src as usize),
                base.add(dst as usize),
                len as usize,
            )
        };
    }
}

extern "C" fn data_drop(vmctx: *mut VMContext, data: i32) {
    if let Some(d) = state(vmctx).data_dropped.get_mut(data as u32 as usize) {
        *d = true;
    }
}

fn table(vmctx: *mut VMContext, index: i32) -> (TableRef, &'static mut VMTable) {
    let Some(t) = state(vmctx).tables.get(index as u32 as usize).copied() else {
        raise(Trap::TableOutOfBounds);
    };
    // SAFETY: the table's state lives in a live instance image; compiled
    // code does not hold it across a builtin call.
    (t, unsafe { &mut *t.state })
}

extern "C" fn table_grow(vmctx: *mut VMContext, index: i32, init: usize, delta: i64) -> i64 {
    let (t, st) = table(vmctx, index);
    let old = st.length;
    let max = t.max.min(MAX_TABLE_ELEMS).min(u64::from(u32::MAX));
    let Some(new) = old.checked_add(delta as u64).filter(|&n| n <= max) else {
        return -1;
    };
    for k in old..new {
        // SAFETY: the table's mapping covers `max` elements (`new_table`).
        unsafe { *st.base.add(k as usize) = init };
    }
    st.length = new;
    old as i64
}

extern "C" fn table_fill(vmctx: *mut VMContext, index: i32, dst: i64, value: usize, len: i64) {
    let (_, st) = table(vmctx, index);
    if !in_bounds(dst as u64, len as u64, st.length) {
        raise(Trap::TableOutOfBounds);
    }
    for k in dst as u64..dst as u64 + len as u64 {
        // SAFETY: the range was checked against the table length.
        unsafe { *st.base.add(k as usize) = value };
    }
}

extern "C" fn table_copy(
    vmctx: *mut VMContext,
    dst_t: i32,
    src_t: i32,
    dst: i64,
    src: i64,
    len: i64,
) {
    let (_, d) = table(vmctx, dst_t);
    let (dbase, dlen) = (d.base, d.length);
    let (_, s) = table(vmctx, src_t);
    let (sbase, slen) = (s.base, s.length);
    if !in_bounds(dst as u64, len as u64, dlen) || !in_bounds(src as u64, len as u64, slen) {
        raise(Trap::TableOutOfBounds);
    }
    // SAFETY: both ranges were checked; `copy` allows overlap.
    unsafe {
        std::ptr::copy(
            sbase.add(src as usize),
            dbase.add(dst as usize),
            len as usize,
        )
    };
}

extern "C" fn table_init(
    vmctx: *mut VMContext,
    index: i32,
    elem: i32,
    dst: i64,
    src: i32,
    len: i32,
) {
    let st = state(vmctx);
    let e = elem as u32 as usize;
    let Some(seg) = st.elems.get(e).copied() else {
        raise(Trap::TableOutOfBounds);
    };
    let seg_len = if st.elems_dropped[e] { 0 } else { seg.len };
    let (src, len) = (src as u32 as u64, len as u32 as u64);
    let (_, t) = table(vmctx, index);
    if !in_bounds(src, len, seg_len) || !in_bounds(dst as u64, len, t.length) {
        raise(Trap::TableOutOfBounds);
    }
    for k in 0..len as usize {
        // SAFETY: both ranges were checked; segment items are read-only data.
        unsafe { *t.base.add(dst as usize + k) = *seg.items.add(src as usize + k) };
    }
}

extern "C" fn elem_drop(vmctx: *mut VMContext, elem: i32) {
    if let Some(d) = state(vmctx).elems_dropped.get_mut(elem as u32 as usize) {
        *d = true;
    }
}

extern "C" fn raise_trap(_vmctx: *mut VMContext, code: i32) {
    match Trap::from_code(code as u32) {
        Some(trap) => raise(trap),
        None => jump_back(CRASH),
    }
}

// ---------------------------------------------------------------------------
// Code registry: which addresses are compiled code, and their trap sites.

/// One compiled function of a loaded image.
pub struct CodeFunc {
    pub start: usize,
    pub len: usize,
    pub traps: Vec<TrapSite>,
}

/// Functions of all live images, sorted by start address. Only modified
/// while no wasm runs; the signal handler only reads it.
static CODE: Mutex<Vec<CodeFunc>> = Mutex::new(Vec::new());

/// Records the functions of a freshly loaded image.
pub fn register_code(funcs: Vec<CodeFunc>) {
    let mut code = CODE.lock().unwrap_or_else(|e| e.into_inner());
    code.extend(funcs);
    code.sort_by_key(|f| f.start);
}

/// Forgets functions in `[start, end)` (an image being unmapped).
pub fn unregister_code(start: usize, end: usize) {
    let mut code = CODE.lock().unwrap_or_else(|e| e.into_inner());
    code.retain(|f| f.start < start || f.start >= end);
}

/// The trap recorded at `pc`, if `pc` is in compiled code.
fn trap_at(pc: usize) -> Option<Trap> {
    // Never contended: the lock is only taken while no wasm code runs.
    let code = CODE.try_lock().ok()?;
    let i = code.partition_point(|f| f.start <= pc).checked_sub(1)?;
    let f = &code[i];
    if pc >= f.start + f.len {
        return None;
    }
    let offset = (pc - f.start) as u32;
    let k = f.traps.binary_search_by_key(&offset, |t| t.offset).ok()?;
    Trap::from_code(f.traps[k].code)
}

// ---------------------------------------------------------------------------
// Calling wasm and coming back from traps.

/// Saved harness stack pointer of the wasm call in progress (the other
/// callee-saved registers are on the harness stack just above it).
#[repr(C)]
struct JmpBuf {
    sp: usize,
}

static mut JMP: JmpBuf = JmpBuf { sp: 0 };

/// The wasm stack and the alternate signal stack, created on first use.
struct Stacks {
    wasm: Mapping,
    _alt: Mapping,
}

thread_local! {
    static STACKS: Cell<Option<&'static Stacks>> = const { Cell::new(None) };
    static IN_WASM: Cell<bool> = const { Cell::new(false) };
}

/// Bounds of the wasm stack's guard region, read by the signal handler.
static GUARD: Mutex<(usize, usize)> = Mutex::new((0, 0));

fn stacks() -> Result<&'static Stacks, String> {
    if let Some(s) = STACKS.get() {
        return Ok(s);
    }
    let wasm = Mapping::new(STACK_GUARD + STACK_SIZE, false)?;
    if !wasm.protect(STACK_GUARD, STACK_SIZE, libc::PROT_READ | libc::PROT_WRITE) {
        return Err("cannot map the wasm stack".into());
    }
    let alt = Mapping::new(ALT_STACK_SIZE, true)?;
    let ss = libc::stack_t {
        ss_sp: alt.ptr.cast(),
        ss_flags: 0,
        ss_size: ALT_STACK_SIZE,
    };
    // SAFETY: `ss` describes a live mapping that is never freed (leaked
    // below), so the kernel may use it for the rest of the thread's life.
    if unsafe { libc::sigaltstack(&ss, std::ptr::null_mut()) } != 0 {
        return Err("sigaltstack failed".into());
    }
    *GUARD.lock().unwrap_or_else(|e| e.into_inner()) =
        (wasm.ptr as usize, wasm.ptr as usize + STACK_GUARD);
    install_handlers()?;
    let s: &'static Stacks = Box::leak(Box::new(Stacks { wasm, _alt: alt }));
    STACKS.set(Some(s));
    Ok(s)
}

fn install_handlers() -> Result<(), String> {
    for sig in [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE] {
        // SAFETY: a zeroed sigaction is a valid starting point; the handler
        // has the SA_SIGINFO signature.
        let ok = unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_fault as *const () as usize;
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut()) == 0
        };
        if !ok {
            return Err(format!("sigaction({sig}) failed"));
        }
    }
    Ok(())
}

/// How a call into wasm ended.
#[derive(Debug)]
pub enum Outcome {
    Returned,
    Trapped(Trap),
    /// A fault that is not a wasm trap (a compiler or harness bug), with a
    /// description of the signal.
    Crashed(String),
}

/// Signal number, pc and fault address of the last crash, recorded by the
/// signal handler (which must not format or allocate).
static CRASH_INFO: [AtomicUsize; 3] = [const { AtomicUsize::new(0) }; 3];

fn crash_description() -> String {
    let [sig, pc, addr] = CRASH_INFO.each_ref().map(|a| a.load(Ordering::Relaxed));
    if sig == 0 {
        "an unknown trap code was raised".into()
    } else {
        format!("signal {sig} at pc {pc:#x}, address {addr:#x}, outside any trap site")
    }
}

/// Calls `f(a0, a1)` (C convention) on the wasm stack, catching traps.
///
/// # Safety
/// `f` must be compiled code (a trampoline or an `init` function) expecting
/// these arguments, from a live image whose imports are all resolved.
pub unsafe fn call_wasm(f: usize, a0: usize, a1: usize) -> Result<Outcome, String> {
    let stacks = stacks()?;
    let top = stacks.wasm.ptr as usize + stacks.wasm.len;
    IN_WASM.set(true);
    CRASH_INFO[0].store(0, Ordering::Relaxed);
    // SAFETY: `top` is the 16-byte aligned end of the read-write wasm stack;
    // the caller guarantees `f`. Traps come back through `unwind` with the
    // registers `enter` saved.
    let code = unsafe { enter(&raw mut JMP, top, f, a0, a1) };
    IN_WASM.set(false);
    Ok(match code {
        0 => Outcome::Returned,
        CRASH => Outcome::Crashed(crash_description()),
        c => Trap::from_code(c as u32)
            .map_or_else(|| Outcome::Crashed(crash_description()), Outcome::Trapped),
    })
}

/// Raises `trap` from a builtin: abandons the wasm frames and returns to
/// [`call_wasm`].
fn raise(trap: Trap) -> ! {
    jump_back(trap as u64)
}

fn jump_back(code: u64) -> ! {
    // SAFETY: builtins only run inside `call_wasm`, so `JMP` holds the saved
    // stack of the harness frame waiting in `enter`; the frames in between
    // (wasm and this builtin's) own nothing that needs dropping.
    unsafe { unwind(&raw mut JMP, code) }
}

/// Saves callee-saved registers and the stack pointer in `jmp`, switches
/// to the stack ending at `top` and calls `f(a0, a1)`; returns 0 when it
/// returns, or the code passed to [`unwind`].
#[unsafe(naked)]
unsafe extern "C" fn enter(jmp: *mut JmpBuf, top: usize, f: usize, a0: usize, a1: usize) -> u64 {
    naked_asm!(
        "push rbp",
        "mov rbp, rsp",
        "push rbx",
        "push r12",
        "push r13",
        "push r14",
        "push r15",
        "sub rsp, 8",
        "mov [rdi], rsp",
        "mov rbx, rdi",
        "mov rsp, rsi",
        "xor ebp, ebp",
        "mov rax, rdx",
        "mov rdi, rcx",
        "mov rsi, r8",
        "call rax",
        "mov rsp, [rbx]",
        "xor eax, eax",
        "add rsp, 8",
        "pop r15",
        "pop r14",
        "pop r13",
        "pop r12",
        "pop rbx",
        "pop rbp",
        "ret",
    )
}

/// Returns `code` from the [`enter`] that saved `jmp`, restoring the
/// registers it saved.
#[unsafe(naked)]
unsafe extern "C" fn unwind(jmp: *mut JmpBuf, code: u64) -> ! {
    naked_asm!(
        "mov rsp, [rdi]",
        "mov rax, rsi",
        "add rsp, 8",
        "pop r15",
        "pop r14",
        "pop r13",
        "pop r12",
        "pop rbx",
        "pop rbp",
        "ret",
    )
}

// Offsets in the x86_64 `ucontext_t` general registers.
const REG_RSI: usize = libc::REG_RSI as usize;
const REG_RDI: usize = libc::REG_RDI as usize;
const REG_RIP: usize = libc::REG_RIP as usize;

/// The fault handler: maps a fault in wasm code to a trap and makes the
/// interrupted thread resume in [`unwind`].
extern "C" fn on_fault(sig: i32, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    let in_wasm = IN_WASM.try_with(Cell::get).unwrap_or(false);
    // SAFETY: the kernel passes a valid siginfo and ucontext.
    let (addr, pc) = unsafe {
        let uc = &*(ctx as *const libc::ucontext_t);
        (
            (*info).si_addr() as usize,
            uc.uc_mcontext.gregs[REG_RIP] as usize,
        )
    };
    if !in_wasm {
        // Not ours: restore the default action and let the fault recur.
        // SAFETY: resetting a signal's disposition is always allowed.
        unsafe { libc::signal(sig, libc::SIG_DFL) };
        return;
    }
    let (lo, hi) = GUARD.try_lock().map(|g| *g).unwrap_or((0, 0));
    let code = if (sig == libc::SIGSEGV || sig == libc::SIGBUS) && addr >= lo && addr < hi {
        Trap::StackOverflow as u64
    } else {
        trap_at(pc).map_or(CRASH, |t| t as u64)
    };
    if code == CRASH {
        for (slot, v) in CRASH_INFO.iter().zip([sig as usize, pc, addr]) {
            slot.store(v, Ordering::Relaxed);
        }
    }
    // SAFETY: rewriting the interrupted context so that it resumes in
    // `unwind(&JMP, code)`, which needs no valid stack: it loads the saved
    // harness stack pointer first.
    unsafe {
        let uc = &mut *(ctx as *mut libc::ucontext_t);
        uc.uc_mcontext.gregs[REG_RIP] = unwind as *const () as i64;
        uc.uc_mcontext.gregs[REG_RDI] = (&raw mut JMP) as i64;
        uc.uc_mcontext.gregs[REG_RSI] = code as i64;
    }
}
