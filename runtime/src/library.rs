//! The host part of a static library: the runtime as a guest of the
//! application that links the library (`wasi-aot build --emit staticlib`).
//!
//! The application creates instances (`wasi_aot_library_new`, which the
//! archive renames `NAME_new`; likewise `free`, `trap`, `memory`,
//! `user_data`, `set_user_data`) and calls exports through the compiled
//! object's C functions, which enter wasm through [`wasi_aot_library_call`]
//! (with the arguments in registers) or [`wasi_aot_library_enter`] (with
//! an array-call trampoline, for signatures beyond the registers).
//!
//! An instance is its *block* (the `NAME *` handle the application holds):
//! [`Header`] in the first `INSTANCE_HEADER_SIZE` bytes, then the compiled
//! code's per-instance objects, copied from their templates as the module's
//! [`InstanceLayout`] says. While the instance's code runs, the pinned
//! register r15 holds the block's address; compiled code never writes it.
//!
//! An instance's code runs on the instance's own stack, and only there: a
//! mapping with a `PROT_NONE` guard below it, aligned to its power-of-two
//! size so that any address on it finds the block (stored at its top).
//! That is how WASI host functions, a builtin raising a trap, or
//! `proc_exit` find their instance on any thread without thread-local
//! storage, so it must hold however calls nest. The application's imports
//! run on the stack of the instance calling them; a call made while the
//! instance is already in one (an import calling back into it, possibly
//! through other instances, whose calls run on their own stacks) continues
//! on the instance's stack below the lowest frame in use there, found by
//! following the chain of entries ([`nested_stack`]). Instance A's code
//! therefore never runs on instance B's stack, where it would find B's
//! descriptors and grants.
//!
//! Traps return to the caller: the entry routine saves the host's
//! callee-saved registers and the instance's previous `host_sp` on the
//! caller's stack, and that stack pointer in the header (`host_sp`); a trap (the fault handler,
//! for a fault at a trap site or a guard hit in the code of a live
//! instance, or the trap hook) resumes at [`landing`], which restores them
//! and returns zeros, and `NAME_trap` gives the message.
//!
//! ⚠ Sandbox-critical: the fault handler runs after an arbitrary fault. It
//! claims a fault only when the PC is in this library's compiled code (r15
//! then holds a live block, whose magic it checks); any other fault goes to
//! the handler the application had installed before (called with the same
//! arguments), or, when that was the default action, the default action is
//! restored and the fault re-raised by returning. The handler runs on the
//! thread's alternate signal stack; `NAME_new` gives the calling thread one
//! when it has none, since stack exhaustion cannot be handled on the
//! exhausted stack.

use core::arch::{asm, naked_asm};
use core::mem::{offset_of, size_of};
use core::ptr;
use core::sync::atomic::{AtomicU8, Ordering};

use wasi_aot_abi::{
    INSTANCE_HEADER_SIZE, InstanceLayout, LibraryConfig, ModuleInfo, Trap, VMContext,
    WASM_PAGE_SIZE, WasiFunc,
};

use crate::instance::{self, InstanceState, Memory, Table};
use crate::sys::{self, KernelSigaction};
use crate::trap::signal_frame::{REG_R15, REG_RDI, REG_RIP, SI_ADDR, UC_MCONTEXT_GREGS};
use crate::trap::{self, WASM_STACK_GUARD};
use crate::wasi::config::Grants;
use crate::wasi::{self, StartError, WasiState};
use crate::{exception, meta};

unsafe extern "C" {
    /// The compiled module's description and instance layout.
    static wasi_aot_module_info: ModuleInfo;
    static wasi_aot_instance_layout: InstanceLayout;
}

pub fn module_info() -> &'static ModuleInfo {
    // SAFETY: the compiled object defines it, read-only, for the life of
    // the process.
    unsafe { &wasi_aot_module_info }
}

fn layout() -> &'static InstanceLayout {
    // SAFETY: as in `module_info`.
    unsafe { &wasi_aot_instance_layout }
}

/// Marks a live block.
const MAGIC: u64 = 0x7761_7369_2d61_6f74;
/// Room for a trap message and its NUL.
const TRAP_MESSAGE: usize = 64;
const ALTSTACK_SIZE: usize = 64 << 10;

/// The runtime's part of an instance block. The entry routines
/// ([`wasi_aot_library_call`], [`landing`]) address the first three fields
/// by their offsets.
#[repr(C)]
struct Header {
    /// The stack pointer of the innermost call's entry while a call runs
    /// (0: none): where its saved state is, which starts with the previous
    /// value.
    host_sp: usize,
    /// Where a call's stack starts (16-byte aligned).
    stack_top: usize,
    /// The last call's trap message, NUL-terminated; empty: none.
    trap: [u8; TRAP_MESSAGE],
    magic: u64,
    user_data: usize,
    /// The stack mapping (guard included).
    stack_low: usize,
    stack_span: usize,
    /// The instance's own bookkeeping (see [`Extra`]) and its mapping size.
    extra: *mut Extra,
    extra_len: usize,
    block_len: usize,
}

const _: () = assert!(size_of::<Header>() <= INSTANCE_HEADER_SIZE as usize);

/// What the builtins, WASI and the fault handler need of an instance: the
/// module description with this instance's state pointers, its WASI state
/// and the copies of its grants, its memories, tables and segment flags.
struct Extra {
    info: ModuleInfo,
    state: InstanceState,
    wasi: WasiState,
    grants: Grants,
    memories: *mut Memory,
    num_memories: usize,
    tables: *mut Table,
    num_tables: usize,
}

/// The block's address for the template address `template` of a
/// per-instance object, or `template` itself when it is in none.
fn rebase(block: *mut u8, template: *const u8) -> *mut u8 {
    let t = template as usize;
    for object in meta::slice(layout().objects) {
        let start = object.template as usize;
        if t >= start && t < start + object.size as usize {
            return block.wrapping_add(object.offset as usize + (t - start));
        }
    }
    template as *mut u8
}

/// The power-of-two span of a stack mapping: the usable stack (the build's
/// `--max-wasm-stack`) plus at least `WASM_STACK_GUARD`.
fn stack_span() -> (usize, usize) {
    let stack = usize::try_from(module_info().settings.max_wasm_stack)
        .unwrap_or(usize::MAX)
        .clamp(1 << 16, 1 << 36)
        .next_multiple_of(4096);
    ((stack + WASM_STACK_GUARD).next_power_of_two(), stack)
}

/// Maps a stack aligned to its span, with the guard below it, and stores
/// `block` at its top; returns its low end.
fn map_stack(block: *mut u8) -> Option<usize> {
    let (span, stack) = stack_span();
    let raw = sys::reserve(2 * span)? as usize;
    let low = raw.next_multiple_of(span);
    // SAFETY: the parts before and after the aligned span are ours and
    // unused.
    unsafe {
        if low > raw {
            sys::unmap(raw as *mut u8, low - raw);
        }
        sys::unmap((low + span) as *mut u8, raw + span - low);
    }
    // SAFETY: the range is inside the reservation just made.
    if !unsafe { sys::protect_rw((low + span - stack) as *mut u8, stack) } {
        // SAFETY: nothing uses the mapping yet.
        unsafe { sys::unmap(low as *mut u8, span) };
        return None;
    }
    // SAFETY: the top word is inside the read-write part.
    unsafe { *((low + span - 16) as *mut usize) = block as usize };
    Some(low)
}

/// The WASI state and context of the instance whose call is running on
/// this thread (a host function runs on its instance's stack).
pub fn current_wasi() -> (&'static WasiState, *mut VMContext) {
    let sp: usize;
    // SAFETY: reads the stack pointer.
    unsafe { asm!("mov {}, rsp", out(reg) sp, options(nomem, nostack, preserves_flags)) };
    // SAFETY: a running instance's block and bookkeeping stay live for the
    // call.
    unsafe {
        let extra = (*header(block_of_stack(sp))).extra;
        (&(*extra).wasi, (*extra).info.vmctx)
    }
}

/// The block of the instance whose stack `sp` is on.
fn block_of_stack(sp: usize) -> *mut u8 {
    let (span, _) = stack_span();
    let top = (sp & !(span - 1)) + span;
    // SAFETY: `sp` is on an instance's stack (callers run on one), whose top
    // word holds its block.
    unsafe { *((top - 16) as *const *mut u8) }
}

fn header(block: *mut u8) -> *mut Header {
    block.cast()
}

/// Records `message` as the instance's trap.
fn record_trap(block: *mut u8, message: &[u8]) {
    let n = message.len().min(TRAP_MESSAGE - 1);
    // SAFETY: the block is live; the message buffer has room for `n` + 1.
    unsafe {
        let trap = &mut (*header(block)).trap;
        trap[..n].copy_from_slice(&message[..n]);
        trap[n] = 0;
    }
}

/// Calls wasm: the instance's function `rax` with the arguments the C
/// caller passed after `block` (rdi): its first five integer arguments
/// (rsi, rdx, rcx, r8, r9) move down one register, the floating-point ones
/// (xmm0-7) stay, and its one result comes back in rax or xmm0. The
/// compiled object's C API functions whose wasm signature fits
/// (`NAME_<export>`: a `lea rax` of the function and a jump here) and
/// [`wasi_aot_library_enter`] come here. A call that traps returns zeros
/// (rax, rdx, xmm0, xmm1) from [`landing`] with the instance's trap
/// message set; a call that returns normally clears it, so after a nested
/// call it describes the call that returned last.
///
/// The call runs with r15 = `block` on the instance's stack: from its top
/// when the instance is in no call, else below the lowest frame in use on
/// that stack ([`nested_stack`]), so the instance's code and the runtime
/// functions it calls always run on its own stack, however calls nest
/// through the application and other instances.
///
/// Cost: the host's callee-saved registers are stored for a trap's sake,
/// but after a normal return only r15, rbx and rbp (which this routine
/// uses) are loaded back, since compiled code preserves the others; the
/// host stack pointer stays in rbx across the call, and no value goes from
/// memory back into the same memory (an outermost call stores a constant
/// 0 into `host_sp` on its way out), which would make consecutive calls
/// wait on one another.
///
/// The saved state, from `host_sp` up: the instance's `host_sp` before
/// this call, r15, r14, r13, r12, rbx, rbp, the return address.
///
/// # Safety
/// `block` must be a live instance, not in a call on another thread;
/// `rax` must be its compiled code for a function taking the arguments
/// given.
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasi_aot_library_call() {
    naked_asm!(
        "push rbp",
        "push rbx",
        "push r12",
        "push r13",
        "push r14",
        "push r15",
        "mov r15, rdi",
        "mov r10, qword ptr [r15 + {host_sp}]",
        "push r10",
        "mov rbx, rsp",
        "mov qword ptr [r15 + {host_sp}], rsp",
        "test r10, r10",
        "jnz 3f",
        "mov rsp, qword ptr [r15 + {stack_top}]",
        "2:",
        "mov rdi, rsi",
        "mov rsi, rdx",
        "mov rdx, rcx",
        "mov rcx, r8",
        "mov r8, r9",
        "xor ebp, ebp",
        "call rax",
        "mov rsp, rbx",
        "mov byte ptr [r15 + {trap}], 0",
        "cmp qword ptr [rsp], 0",
        "jne 4f",
        "mov qword ptr [r15 + {host_sp}], 0",
        "5:",
        "add rsp, 8",
        "pop r15",
        "add rsp, 24",
        "pop rbx",
        "pop rbp",
        "ret",
        // Nested: the lowest frame in use on the instance's stack (the
        // arguments' registers are saved around the search).
        "3:",
        "push rax",
        "push rsi",
        "push rdx",
        "push rcx",
        "push r8",
        "push r9",
        "sub rsp, 128",
        "movdqu [rsp], xmm0",
        "movdqu [rsp + 16], xmm1",
        "movdqu [rsp + 32], xmm2",
        "movdqu [rsp + 48], xmm3",
        "movdqu [rsp + 64], xmm4",
        "movdqu [rsp + 80], xmm5",
        "movdqu [rsp + 96], xmm6",
        "movdqu [rsp + 112], xmm7",
        "mov rdi, r15",
        "mov rsi, rbx",
        "call {nested}",
        "movdqu xmm0, [rsp]",
        "movdqu xmm1, [rsp + 16]",
        "movdqu xmm2, [rsp + 32]",
        "movdqu xmm3, [rsp + 48]",
        "movdqu xmm4, [rsp + 64]",
        "movdqu xmm5, [rsp + 80]",
        "movdqu xmm6, [rsp + 96]",
        "movdqu xmm7, [rsp + 112]",
        "add rsp, 128",
        "pop r9",
        "pop r8",
        "pop rcx",
        "pop rdx",
        "pop rsi",
        "mov r10, rax",
        "pop rax",
        "mov rsp, r10",
        "jmp 2b",
        "4:",
        "mov r10, qword ptr [rsp]",
        "mov qword ptr [r15 + {host_sp}], r10",
        "jmp 5b",
        host_sp = const offset_of!(Header, host_sp),
        stack_top = const offset_of!(Header, stack_top),
        trap = const offset_of!(Header, trap),
        nested = sym nested_stack,
    )
}

/// Where a nested call of the instance `block` starts (16-byte aligned),
/// from `sp`, the stack pointer of its entry: below the lowest frame in use
/// on the instance's own stack.
///
/// The caller runs on the stack of the instance whose code called the
/// application (application imports run on their caller's stack): the
/// instance's own when it calls back into itself, then `sp` is that
/// lowest frame. Otherwise, on another instance's stack, the search
/// follows the chain of calls outwards: the call running on a stack was
/// entered from the stack below its innermost entry (`host_sp`; an entry
/// made from the same stack leads to the entry before it, whose
/// `host_sp` its saved state starts with), until the chain reaches the
/// instance's own stack, where that entry's frame is the lowest in use.
/// A chain that ends first (a call from a signal handler on another stack)
/// leaves the call on the current stack, as before the search.
extern "C" fn nested_stack(block: *mut u8, sp: usize) -> usize {
    let mut at = sp;
    loop {
        let owner = block_of_stack(at);
        if owner == block {
            return at & !15;
        }
        // SAFETY: `at` is on the stack of an instance in a call, whose
        // header and saved entry states (one word each) are live.
        let mut entry = unsafe { (*header(owner)).host_sp };
        while entry != 0 && block_of_stack(entry) == owner {
            // SAFETY: as above: an entry's saved state starts with the
            // previous `host_sp`.
            entry = unsafe { *(entry as *const usize) };
        }
        if entry == 0 {
            return sp & !15;
        }
        at = entry;
    }
}

/// Enters wasm: `trampoline(code, slots)` through [`wasi_aot_library_call`];
/// returns 1, or 0 when the call trapped. The compiled object's C API
/// functions whose signature does not fit in registers come here with the
/// export's array-call trampoline, its arguments and results in `slots`.
///
/// # Safety
/// `block` must be a live instance not in a call on another thread;
/// `trampoline` must be the compiled code's trampoline for `code`'s type
/// (or `init` with its vmctx), `slots` hold its arguments.
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasi_aot_library_enter(
    block: *mut u8,
    trampoline: usize,
    code: usize,
    slots: *mut u8,
) -> u32 {
    naked_asm!(
        "push rdi",
        "mov rax, rsi",
        "mov rsi, rdx",
        "mov rdx, rcx",
        "call {call}",
        "pop rdi",
        "xor eax, eax",
        "cmp byte ptr [rdi + {trap}], 0",
        "sete al",
        "ret",
        call = sym wasi_aot_library_call,
        trap = const offset_of!(Header, trap),
    )
}

/// Where a trapped call resumes (rdi = its block): back on the host's
/// stack with the instance's state before the call, returning zeros from
/// [`wasi_aot_library_call`].
#[unsafe(naked)]
unsafe extern "C" fn landing() {
    naked_asm!(
        "mov r15, rdi",
        "mov rsp, qword ptr [r15 + {host_sp}]",
        "pop r10",
        "mov qword ptr [r15 + {host_sp}], r10",
        "xor eax, eax",
        "xor edx, edx",
        "xorps xmm0, xmm0",
        "xorps xmm1, xmm1",
        "pop r15",
        "pop r14",
        "pop r13",
        "pop r12",
        "pop rbx",
        "pop rbp",
        "ret",
        host_sp = const offset_of!(Header, host_sp),
    )
}

/// Continues at the exception handler `pc` with its frame's stack and
/// frame pointers, the exception in rax and, unlike `arch::resume`, r15 =
/// the instance's block (the handler's code addresses its instance through
/// the pinned register, which the runtime's search for the handler may
/// have used for anything).
///
/// # Safety
/// `pc`, `sp` and `fp` must be a handler and its frame's state, on the
/// stack of the instance whose code it is.
pub unsafe fn resume(pc: usize, sp: usize, fp: usize, exn: usize) -> ! {
    let block = block_of_stack(sp);
    // SAFETY: as the caller promises; `block` owns the stack `sp` is on.
    unsafe { resume_with_block(pc, sp, fp, exn, block) }
}

/// [`resume`]'s jump, with the block in r8.
#[unsafe(naked)]
unsafe extern "C" fn resume_with_block(
    pc: usize,
    sp: usize,
    fp: usize,
    exn: usize,
    block: *mut u8,
) -> ! {
    naked_asm!(
        "mov r15, r8",
        "mov rsp, rsi",
        "mov rbp, rdx",
        "mov rax, rcx",
        "xor edx, edx",
        "jmp rdi",
    )
}

/// Abandons the wasm frames of the call running on the current stack.
fn unwind_to_caller(message: &[u8]) -> ! {
    let sp: usize;
    // SAFETY: reads the stack pointer.
    unsafe { asm!("mov {}, rsp", out(reg) sp, options(nomem, nostack, preserves_flags)) };
    let block = block_of_stack(sp);
    record_trap(block, message);
    // SAFETY: the block's saved host state is that of the call being
    // abandoned; nothing on the wasm stack is used again.
    unsafe { asm!("jmp {landing}", landing = sym landing, in("rdi") block, options(noreturn)) }
}

/// The trap hook: builtins raise traps on the calling instance's stack.
fn raise_to_caller(trap: Trap) -> ! {
    unwind_to_caller(trap.message().as_bytes())
}

/// `proc_exit` inside a call: the call returns like a trap.
extern "C" fn proc_exit(code: i32) -> ! {
    let mut message = [0u8; 40];
    let prefix = b"exit with status ";
    message[..prefix.len()].copy_from_slice(prefix);
    let mut n = prefix.len();
    let mut digits = [0u8; 11];
    let mut k = 0;
    let mut v = i64::from(code);
    if v < 0 {
        message[n] = b'-';
        n += 1;
        v = -v;
    }
    loop {
        digits[k] = b'0' + (v % 10) as u8;
        k += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    while k > 0 {
        k -= 1;
        message[n] = digits[k];
        n += 1;
    }
    unwind_to_caller(&message[..n])
}

/// Where the installation of the fault handler is: not started,
/// running (on one thread; the others wait), done, or failed.
static INSTALL: AtomicU8 = AtomicU8::new(NOT_INSTALLED);
const NOT_INSTALLED: u8 = 0;
const INSTALLING: u8 = 1;
const INSTALLED: u8 = 2;
const INSTALL_FAILED: u8 = 3;
const SIGNALS: [i32; 4] = [sys::SIGSEGV, sys::SIGBUS, sys::SIGILL, sys::SIGFPE];
/// The actions our handler replaced, by position in [`SIGNALS`]; each is
/// written once, before our handler is installed for its signal.
static mut PREVIOUS: [KernelSigaction; 4] = [KernelSigaction::EMPTY; 4];

/// Installs the fault handler and the trap hook, once per process: the
/// first caller does, callers on other threads meanwhile wait for it, so
/// no `NAME_new` returns before the handler is in place.
fn install() -> bool {
    match INSTALL.compare_exchange(
        NOT_INSTALLED,
        INSTALLING,
        Ordering::Acquire,
        Ordering::Acquire,
    ) {
        Ok(_) => {
            let ok = install_now();
            INSTALL.store(
                if ok { INSTALLED } else { INSTALL_FAILED },
                Ordering::Release,
            );
            ok
        }
        Err(_) => loop {
            match INSTALL.load(Ordering::Acquire) {
                INSTALLING => core::hint::spin_loop(),
                state => return state == INSTALLED,
            }
        },
    }
}

/// [`install`]'s work, on one thread.
fn install_now() -> bool {
    trap::set_trap_hook(raise_to_caller);
    exception::set_handler_lookup(|ret| exception::handler_in(module_info(), ret));
    for (i, sig) in SIGNALS.into_iter().enumerate() {
        // The action we replace is recorded before ours is installed, so a
        // fault on another thread never finds an empty entry.
        let Ok(old) = sys::current_handler(sig) else {
            return false;
        };
        // SAFETY: our handler, the only reader, is not installed for `sig`
        // yet, and only this thread writes.
        unsafe { (*ptr::addr_of_mut!(PREVIOUS))[i] = old };
        if sys::swap_handler(sig, on_fault).is_err() {
            return false;
        }
    }
    true
}

/// Marks an alternate signal stack [`wasi_aot_library_thread_init`] made:
/// the first word of its mapping; the stack the kernel uses starts
/// [`ALTSTACK_MARK`] bytes above.
const ALTSTACK_MAGIC: u64 = 0x616c_7473_7461_636b;
const ALTSTACK_MARK: usize = 64;

/// Gives the calling thread an alternate signal stack for the fault
/// handler, unless it has one: a thread without one cannot get the trap of
/// a call whose stack is exhausted (the kernel has nowhere to run the
/// handler), so every thread that calls into instances needs one.
/// `NAME_new` does this for its thread. Returns 0, or -1 when there is no
/// memory for it.
#[unsafe(no_mangle)]
pub extern "C" fn wasi_aot_library_thread_init() -> i32 {
    if sys::altstack().is_some() {
        return 0;
    }
    let Some(alt) = sys::map_zeroed(ALTSTACK_SIZE) else {
        return -1;
    };
    // SAFETY: a fresh mapping used only as this thread's signal stack (its
    // first word marks it ours), until `thread_free` takes it away.
    unsafe {
        *alt.cast::<u64>() = ALTSTACK_MAGIC;
        if sys::set_altstack(alt.add(ALTSTACK_MARK), ALTSTACK_SIZE - ALTSTACK_MARK).is_err() {
            sys::unmap(alt, ALTSTACK_SIZE);
            return -1;
        }
    }
    0
}

/// Takes away and frees the calling thread's alternate signal stack if
/// [`wasi_aot_library_thread_init`] (or `NAME_new`) made it; any other is
/// left alone. For a thread about to end that will not call into an
/// instance again.
#[unsafe(no_mangle)]
pub extern "C" fn wasi_aot_library_thread_free() {
    let Some((sp, size)) = sys::altstack() else {
        return;
    };
    let base = (sp as usize).wrapping_sub(ALTSTACK_MARK);
    // Only a stack of our shape can be ours; its mark is then on the same
    // page as the stack's start, mapped.
    if size != ALTSTACK_SIZE - ALTSTACK_MARK || !base.is_multiple_of(4096) {
        return;
    }
    // SAFETY: `base` is page-aligned and the page holds `sp`, so it is
    // mapped; reading a word of it is harmless.
    if unsafe { *(base as *const u64) } != ALTSTACK_MAGIC {
        return;
    }
    // SAFETY: our mapping; no handler runs on it (this is ordinary code on
    // the thread's own stack).
    unsafe {
        sys::disable_altstack();
        sys::unmap(base as *mut u8, ALTSTACK_SIZE);
    }
}

/// The fault handler: a trap of a live instance's code returns to its
/// caller, anything else goes to the previous handler.
unsafe extern "C" fn on_fault(sig: i32, info: *mut u8, ctx: *mut u8) {
    // SAFETY: the kernel passes a valid siginfo and ucontext.
    let gregs = unsafe { ctx.add(UC_MCONTEXT_GREGS) }.cast::<usize>();
    // SAFETY: `gregs` holds the general registers.
    let (pc, r15) = unsafe { (*gregs.add(REG_RIP), *gregs.add(REG_R15)) };
    // SAFETY: as above.
    let addr = unsafe { *info.add(SI_ADDR).cast::<usize>() };
    if trap::find_func(module_info(), pc).is_some() {
        let block = r15 as *mut u8;
        // SAFETY: compiled code never changes r15, which the entry routine
        // set to a live block.
        let h = unsafe { &*header(block) };
        if h.magic == MAGIC {
            let guard = h.stack_low..h.stack_low + h.stack_span - stack_span().1;
            // SAFETY: a live block's bookkeeping.
            let info = unsafe { &(*h.extra).info };
            if let Some(t) = trap::classify(Some(info), sig, pc, addr, guard) {
                record_trap(block, t.message().as_bytes());
                // SAFETY: resume at the landing with the block in rdi.
                unsafe {
                    *gregs.add(REG_RIP) = landing as *const () as usize;
                    *gregs.add(REG_RDI) = block as usize;
                }
                return;
            }
        }
    }
    let Some(i) = SIGNALS.iter().position(|s| *s == sig) else {
        return;
    };
    // SAFETY: written once at installation.
    let old = unsafe { (*ptr::addr_of!(PREVIOUS))[i] };
    if old.is_default_or_ignore() {
        // Returning re-runs the faulting instruction under the old action.
        sys::restore_handler(sig, &old);
    } else if old.takes_siginfo() {
        // SAFETY: the application installed this handler with SA_SIGINFO.
        let f: sys::SigHandler = unsafe { core::mem::transmute(old.handler()) };
        // SAFETY: called as the kernel would.
        unsafe { f(sig, info, ctx) };
    } else {
        // SAFETY: a plain handler of the application.
        let f: extern "C" fn(i32) = unsafe { core::mem::transmute(old.handler()) };
        f(sig);
    }
}

/// Mapping `len` bytes for instance bookkeeping.
fn map(len: usize) -> Option<*mut u8> {
    sys::map_zeroed(len.max(16))
}

/// The application's error buffer (`NAME_config::error`), written through
/// `core::fmt`, cut to its size; nothing when there is none.
struct ErrorBuffer {
    at: *mut u8,
    room: usize,
}

impl core::fmt::Write for ErrorBuffer {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let n = s.len().min(self.room);
        // SAFETY: `room` more bytes, then the NUL, fit in the buffer.
        unsafe {
            ptr::copy_nonoverlapping(s.as_ptr(), self.at, n);
            self.at = self.at.add(n);
            *self.at = 0;
        }
        self.room -= n;
        Ok(())
    }
}

/// `NAME_new` failed; the reason was written to the error buffer.
struct Failed;

/// Writes `reason` to `config`'s error buffer (one NUL-terminated line).
fn fail(config: Option<&LibraryConfig>, reason: core::fmt::Arguments<'_>) -> Failed {
    if let Some(c) = config
        && !c.error.is_null()
        && c.error_size > 0
    {
        // SAFETY: the application's buffer of `error_size` bytes.
        unsafe { *c.error = 0 };
        let mut buffer = ErrorBuffer {
            at: c.error,
            room: c.error_size - 1,
        };
        let _ = core::fmt::Write::write_fmt(&mut buffer, reason);
    }
    Failed
}

/// Creates an instance; null when it cannot (no memory, a grant that
/// cannot be opened, or its initialisation trapped), with the reason in the
/// configuration's error buffer.
///
/// # Safety
/// `config` is null or points at the header's `NAME_config`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasi_aot_library_new(config: *const LibraryConfig) -> *mut u8 {
    // SAFETY: as the caller promises.
    unsafe { new_instance(config) }.unwrap_or(ptr::null_mut())
}

/// [`wasi_aot_library_new`]'s work.
///
/// # Safety
/// As for [`wasi_aot_library_new`].
unsafe fn new_instance(raw_config: *const LibraryConfig) -> Result<*mut u8, Failed> {
    // SAFETY: null or valid (caller).
    let config = unsafe { raw_config.as_ref() };
    let info = module_info();
    if info.abi_version != wasi_aot_abi::ABI_VERSION {
        return Err(fail(
            config,
            format_args!("the library's module was built for another runtime"),
        ));
    }
    if !install() {
        return Err(fail(
            config,
            format_args!("cannot install the fault handler"),
        ));
    }
    if wasi_aot_library_thread_init() != 0 {
        return Err(fail(config, format_args!("out of memory")));
    }
    let layout = layout();
    let block_len = (layout.size as usize).next_multiple_of(4096);
    let Some(block) = map(block_len) else {
        return Err(fail(config, format_args!("out of memory")));
    };
    // SAFETY: the block is fresh and `block_len` long; the layout's objects
    // and fixups lie inside it, the templates are the object's data.
    unsafe {
        for object in meta::slice(layout.objects) {
            ptr::copy_nonoverlapping(
                object.template,
                block.add(object.offset as usize),
                object.size as usize,
            );
        }
        for fixup in meta::slice(layout.fixups) {
            *block.add(fixup.at as usize).cast::<usize>() = block as usize + fixup.target as usize;
        }
        let h = header(block);
        (*h).magic = MAGIC;
        (*h).block_len = block_len;
    }
    let Some(low) = map_stack(block) else {
        // SAFETY: nothing refers to the block yet.
        unsafe { sys::unmap(block, block_len) };
        return Err(fail(
            config,
            format_args!("cannot map the instance's stack (--max-wasm-stack)"),
        ));
    };
    let (span, _) = stack_span();
    // SAFETY: the header is the block's.
    unsafe {
        let h = header(block);
        (*h).stack_low = low;
        (*h).stack_span = span;
        (*h).stack_top = low + span - 16;
    }
    // SAFETY: the block is set up; `instantiate` completes it.
    if let Err(f) = unsafe { instantiate(block, raw_config) } {
        // SAFETY: the instance is not running.
        unsafe { wasi_aot_library_free(block) };
        return Err(f);
    }
    Ok(block)
}

/// Builds the instance's memories, tables, state and WASI state, then runs
/// `init` and `_initialize`.
///
/// # Safety
/// `block` is a fresh block with its header set up; `config` as for
/// [`wasi_aot_library_new`].
unsafe fn instantiate(block: *mut u8, raw_config: *const LibraryConfig) -> Result<(), Failed> {
    // SAFETY: null or valid (caller).
    let config = unsafe { raw_config.as_ref() };
    let template = module_info();
    let mems = meta::slice(template.memories);
    let decls = meta::slice(template.tables);
    let nflags = (template.data.len + template.elems.len) as usize;
    let mem_at = size_of::<Extra>().next_multiple_of(16);
    let table_at = (mem_at + mems.len() * size_of::<Memory>()).next_multiple_of(16);
    let list_at = (table_at + decls.len() * size_of::<Table>()).next_multiple_of(16);
    let flags_at = list_at + 8 * (mems.len() + decls.len());
    let extra_len = flags_at + nflags;
    let Some(region) = map(extra_len) else {
        return Err(fail(config, format_args!("out of memory")));
    };
    let extra = region.cast::<Extra>();
    // SAFETY: `region` is a fresh zeroed mapping laid out above; the block's
    // objects are in place.
    unsafe {
        let h = header(block);
        (*h).extra_len = extra_len;
        let mut info = ptr::read(template);
        info.vmctx = rebase(block, template.vmctx.cast()).cast();
        info.memory_states = rebase(block, template.memory_states.cast()).cast();
        info.func_import_slots = rebase(block, template.func_import_slots.cast()).cast();
        let memories = region.add(mem_at).cast::<Memory>();
        let tables = region.add(table_at).cast::<Table>();
        let mem_list = region.add(list_at).cast::<*const Memory>();
        let table_list = mem_list.add(mems.len()).cast::<*const Table>();
        ptr::addr_of_mut!((*extra).info).write(info);
        ptr::addr_of_mut!((*extra).memories).write(memories);
        ptr::addr_of_mut!((*extra).tables).write(tables);
        ptr::addr_of_mut!((*extra).wasi).write(WasiState::new());
        ptr::addr_of_mut!((*extra).grants).write(Grants::NONE);
        (*h).extra = extra;
        let info = &(*extra).info;
        let max_memory_pages = info.settings.max_memory / WASM_PAGE_SIZE;
        for (i, m) in mems.iter().enumerate() {
            let vm = *info.memory_states.add(i);
            let memory = Memory::new(
                vm,
                m.min_pages,
                m.max_pages.min(max_memory_pages),
                m.index64 != 0,
            )
            .map_err(|e| fail(config, format_args!("{e}")))?;
            memories.add(i).write(memory);
            *mem_list.add(i) = memories.add(i);
            (*extra).num_memories = i + 1;
        }
        for (i, t) in decls.iter().enumerate() {
            let table = Table::new(rebase(block, t.state.cast()).cast(), t.min, t.max)
                .map_err(|e| fail(config, format_args!("{e}")))?;
            tables.add(i).write(table);
            *table_list.add(i) = tables.add(i);
            (*extra).num_tables = i + 1;
        }
        ptr::addr_of_mut!((*extra).state).write(InstanceState::new(
            info,
            core::slice::from_raw_parts(mem_list, mems.len()),
            core::slice::from_raw_parts(table_list, decls.len()),
            core::slice::from_raw_parts_mut(region.add(flags_at), nflags),
        ));
        let vmctx: *mut VMContext = info.vmctx;
        instance::attach(vmctx, &(*extra).state);
        // WASI imports get the host functions; the others call the
        // application's functions directly, not through their slots.
        for (i, import) in meta::slice(info.func_imports).iter().enumerate() {
            let slot = info.func_import_slots.add(i);
            match WasiFunc::ALL.get(import.wasi_id as usize) {
                Some(WasiFunc::ProcExit) => *slot = proc_exit as *const () as usize,
                Some(f) => *slot = wasi::host_fn(*f),
                None => {}
            }
        }
        wasi::config::set_up(&(*extra).wasi, &mut (*extra).grants, raw_config)
            .map_err(|e: StartError<'_>| fail(config, format_args!("{e}")))?;
        if wasi_aot_library_enter(
            block,
            template.init as usize,
            vmctx as usize,
            ptr::null_mut(),
        ) == 0
        {
            return Err(trapped(config, block, "initialising the instance"));
        }
        let layout = layout();
        if !layout.initialize.is_null() {
            let mut slots = [0u8; 16];
            if wasi_aot_library_enter(
                block,
                layout.initialize_trampoline as usize,
                layout.initialize as usize,
                slots.as_mut_ptr(),
            ) == 0
            {
                return Err(trapped(config, block, "_initialize"));
            }
        }
    }
    Ok(())
}

/// The failure of an initialisation that trapped.
fn trapped(config: Option<&LibraryConfig>, block: *mut u8, what: &str) -> Failed {
    // SAFETY: a live block; its message is NUL-terminated.
    let trap = unsafe { &(*header(block)).trap };
    let n = trap.iter().position(|&b| b == 0).unwrap_or(0);
    let message = core::str::from_utf8(&trap[..n]).unwrap_or("?");
    fail(config, format_args!("{what} trapped: {message}"))
}

/// Frees an instance (null: nothing).
///
/// # Safety
/// `block` is null or a live instance not in a call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasi_aot_library_free(block: *mut u8) {
    if block.is_null() {
        return;
    }
    // SAFETY: a live block (caller); its bookkeeping was built by `new`.
    unsafe {
        let h = header(block);
        let extra = (*h).extra;
        if !extra.is_null() {
            for i in 0..(*extra).num_memories {
                ptr::drop_in_place((*extra).memories.add(i));
            }
            for i in 0..(*extra).num_tables {
                ptr::drop_in_place((*extra).tables.add(i));
            }
            (*extra).wasi.fds.with(|t| t.close_all());
            (*extra).grants.release();
            sys::unmap(extra.cast(), (*h).extra_len.max(16));
        }
        if (*h).stack_low != 0 {
            sys::unmap((*h).stack_low as *mut u8, (*h).stack_span);
        }
        (*h).magic = 0;
        sys::unmap(block, (*h).block_len);
    }
}

/// The last call's trap message, or null.
///
/// # Safety
/// `block` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasi_aot_library_trap(block: *const u8) -> *const u8 {
    // SAFETY: a live block (caller).
    let h = unsafe { &*block.cast::<Header>() };
    if h.trap[0] == 0 {
        ptr::null()
    } else {
        h.trap.as_ptr()
    }
}

/// Memory 0's base and length (null and 0 without a memory).
///
/// # Safety
/// `block` is a live instance; `length` is null or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasi_aot_library_memory(block: *mut u8, length: *mut usize) -> *mut u8 {
    // SAFETY: a live block's bookkeeping (caller).
    let (base, len) = unsafe {
        let extra = (*header(block)).extra;
        if (*extra).info.memories.len == 0 {
            (ptr::null_mut(), 0)
        } else {
            let vm = *(*extra).info.memory_states;
            ((*vm).base, (*vm).length as usize)
        }
    };
    if !length.is_null() {
        // SAFETY: writable (caller).
        unsafe { *length = len };
    }
    base
}

/// # Safety
/// `block` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasi_aot_library_set_user_data(block: *mut u8, data: usize) {
    // SAFETY: a live block (caller).
    unsafe { (*header(block)).user_data = data };
}

/// # Safety
/// `block` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasi_aot_library_user_data(block: *const u8) -> usize {
    // SAFETY: a live block (caller).
    unsafe { (*block.cast::<Header>()).user_data }
}
