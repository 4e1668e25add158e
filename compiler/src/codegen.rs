//! Machine code generation: Cranelift settings and the compilation of CLIF
//! functions to position-dependent machine code with relocations and trap
//! sites.
//!
//! Functions are translated and compiled in parallel, one worker thread per
//! core; each result is self-contained ([`CompiledFunc`]) and the emitter
//! places them in the object in function-index order as they arrive, so
//! the object is byte-identical whatever the thread scheduling.
//!
//! Settings that the runtime relies on:
//! - `preserve_frame_pointers`: the trap handler walks the frame-pointer chain
//!   for the wasm backtrace;
//! - exception handlers ([`CompiledFunc::handlers`]) are found by walking
//!   that chain too, so they need nothing else (no unwind tables);
//! - `enable_probestack` with the inline strategy: a frame larger than a page
//!   touches every page of it, so stack overflow always lands on the runtime's
//!   guard region instead of jumping over it.
//!
//! Functions are placed at the ISA's preferred alignment (32 bytes on
//! x86-64), not the 1-byte minimum.

use crate::env::trap_from_code;
use crate::error::{CompileError, Result};
use cranelift_codegen::FinalizedMachExceptionHandler;
use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir;
use cranelift_codegen::isa::{self, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::{Context, Final, FinalizedMachReloc, MachSrcLoc};
use cranelift_module::{FuncId, ModuleReloc, ModuleRelocTarget};
use wasi_aot_abi::{HandlerSite, TrapSite};

/// The processor architecture code is generated for (always Linux).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Arch {
    X86_64,
    Aarch64,
}

impl Arch {
    /// The name used on the command line (`--target`).
    pub fn name(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64-linux",
            Arch::Aarch64 => "aarch64-linux",
        }
    }

    fn triple(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64-unknown-linux-gnu",
            Arch::Aarch64 => "aarch64-unknown-linux-gnu",
        }
    }
}

/// The CPU the generated code may assume; it implies the architecture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum TargetCpu {
    /// x86-64-v2 (SSE4.2, POPCNT): runs on any x86-64 machine of the last
    /// fifteen years.
    #[default]
    X86_64V2,
    /// x86-64-v3 (AVX, AVX2, BMI, FMA, LZCNT).
    X86_64V3,
    /// ARMv8.0-A with Advanced SIMD, the aarch64 baseline: runs on every
    /// aarch64 machine.
    Armv8,
}

impl TargetCpu {
    /// The name used on the command line and in the cache key.
    pub fn name(self) -> &'static str {
        match self {
            TargetCpu::X86_64V2 => "x86-64-v2",
            TargetCpu::X86_64V3 => "x86-64-v3",
            TargetCpu::Armv8 => "armv8.0-a",
        }
    }

    /// The architecture of this CPU.
    pub fn arch(self) -> Arch {
        match self {
            TargetCpu::X86_64V2 | TargetCpu::X86_64V3 => Arch::X86_64,
            TargetCpu::Armv8 => Arch::Aarch64,
        }
    }

    /// The baseline CPU of `arch`, what a build assumes unless told.
    pub fn baseline(arch: Arch) -> TargetCpu {
        match arch {
            Arch::X86_64 => TargetCpu::X86_64V2,
            Arch::Aarch64 => TargetCpu::Armv8,
        }
    }
}

/// Builds the target ISA for `cpu`'s architecture, Linux (executables and
/// the spec harness's objects).
pub fn target_isa(cpu: TargetCpu) -> Result<OwnedTargetIsa> {
    isa_with(cpu, false)
}

/// Builds the target ISA for a static library's code: position-independent,
/// with the pinned register (r15) reserved for the instance block. Static
/// libraries are x86-64 only (their runtime is).
pub fn library_isa(cpu: TargetCpu) -> Result<OwnedTargetIsa> {
    if cpu.arch() != Arch::X86_64 {
        return Err(CompileError::Codegen {
            func: 0,
            message: format!(
                "static libraries are not supported for {}",
                cpu.arch().name()
            ),
        });
    }
    isa_with(cpu, true)
}

fn isa_with(cpu: TargetCpu, library: bool) -> Result<OwnedTargetIsa> {
    let library = if library { "true" } else { "false" };
    let config_err = |e: &dyn std::fmt::Display| CompileError::Codegen {
        func: 0,
        message: format!("code generator configuration: {e}"),
    };
    let mut flags = settings::builder();
    for (name, value) in [
        ("opt_level", "speed"),
        ("preserve_frame_pointers", "true"),
        ("enable_probestack", "true"),
        ("probestack_strategy", "inline"),
        ("is_pic", library),
        ("enable_pinned_reg", library),
        ("unwind_info", "false"),
        (
            "enable_verifier",
            if cfg!(debug_assertions) {
                "true"
            } else {
                "false"
            },
        ),
        ("enable_multi_ret_implicit_sret", "true"),
    ] {
        flags.set(name, value).map_err(|e| config_err(&e))?;
    }
    let triple: target_lexicon::Triple = cpu.arch().triple().parse().map_err(|e| config_err(&e))?;
    let mut builder = isa::lookup(triple).map_err(|e| config_err(&e))?;
    if cpu.arch() == Arch::X86_64 {
        // Cranelift's x86-64 presets carry the level names; aarch64's
        // baseline is its default (ARMv8.0 with Advanced SIMD).
        builder.enable(cpu.name()).map_err(|e| config_err(&e))?;
    }
    if cpu == TargetCpu::X86_64V3 {
        // Cranelift's `x86-64-v3` preset leaves out AVX itself, and every
        // AVX, AVX2 and FMA lowering asks for it: without it the level
        // would only add BMI and LZCNT. x86-64-v3 includes AVX.
        builder.enable("has_avx").map_err(|e| config_err(&e))?;
    }
    builder
        .finish(settings::Flags::new(flags))
        .map_err(|e| config_err(&e))
}

/// One function's machine code, ready to be placed in the object.
pub struct CompiledFunc {
    pub id: FuncId,
    pub alignment: u64,
    pub code: Vec<u8>,
    pub relocs: Vec<ModuleReloc>,
    /// Trap sites sorted by offset (offsets relative to the function start).
    pub traps: Vec<TrapSite>,
    /// Calls with an exception handler, sorted by return offset (`func` is
    /// left 0 for the emitter to fill).
    pub handlers: Vec<HandlerSite>,
}

/// What the object's metadata needs of a function once its code and
/// relocations are in the object (see `emit::define_function`).
pub struct DefinedFunc {
    pub id: FuncId,
    /// Length of the code in bytes.
    pub len: u32,
    pub traps: Vec<TrapSite>,
    pub handlers: Vec<HandlerSite>,
}

/// Compiles `func` (declared as `id`); `index` names it in error messages.
pub fn compile_function(
    isa: &dyn isa::TargetIsa,
    id: FuncId,
    index: u32,
    func: ir::Function,
) -> Result<CompiledFunc> {
    compile_function_in(&mut Context::new(), isa, id, index, func, None)
}

/// [`compile_function`] in `ctx`, a context a thread keeps from one
/// function to the next: its analyses' and the register allocator's
/// memory is reused instead of allocated and freed for every function.
/// With an `inliner`, the calls it picks are inlined first.
pub fn compile_function_in(
    ctx: &mut Context,
    isa: &dyn isa::TargetIsa,
    id: FuncId,
    index: u32,
    func: ir::Function,
    inliner: Option<crate::inline::Inliner>,
) -> Result<CompiledFunc> {
    ctx.clear();
    ctx.func = func;
    let inlined = match inliner {
        Some(inliner) => inliner.run(ctx, index)?,
        None => crate::inline::InlinedFrom::default(),
    };
    let mut ctrl = ControlPlane::default();
    let compiled = ctx
        .compile(isa, &mut ctrl)
        .map_err(|e| CompileError::Codegen {
            func: index,
            message: format!("{:?}", e.inner),
        })?;
    let buffer = &compiled.buffer;
    // The preferred function alignment (32 bytes on x86-64): an entry and
    // the loops near it start on a fresh fetch block; with the 1-byte
    // minimum, timings depended on where the previous function ended.
    let alignment = u64::from(buffer.alignment.max(isa.function_alignment().preferred));
    let code = buffer.data().to_vec();
    let mut traps = Vec::with_capacity(buffer.traps().len());
    for trap in buffer.traps() {
        let trap_kind = trap_from_code(trap.code).ok_or_else(|| CompileError::Codegen {
            func: index,
            message: format!("unexpected trap code {}", trap.code),
        })?;
        traps.push(TrapSite {
            offset: trap.offset,
            code: trap_kind as u32,
            inlined: inlined_at(buffer.get_srclocs_sorted(), trap.offset, &inlined),
        });
    }
    traps.sort_by_key(|t| t.offset);
    // The translator gives every call inside a `try_table` one default
    // handler (tags are compared by the handler code, not by the runtime).
    let mut handlers = Vec::new();
    for site in buffer.call_sites() {
        let Some(handler) = site.exception_handlers.iter().find_map(|h| match h {
            FinalizedMachExceptionHandler::Default(offset) => Some(*offset),
            _ => None,
        }) else {
            continue;
        };
        let frame_offset = site.frame_offset.ok_or_else(|| CompileError::Codegen {
            func: index,
            message: "call with a handler but no frame offset".into(),
        })?;
        handlers.push(HandlerSite {
            func: 0,
            ret_offset: site.ret_addr,
            handler_offset: handler,
            frame_offset,
        });
    }
    handlers.sort_by_key(|h| h.ret_offset);
    let relocs: Vec<FinalizedMachReloc> = buffer.relocs().to_vec();
    let relocs = relocs
        .iter()
        .map(|r| ModuleReloc::from_mach_reloc(r, &ctx.func, id))
        .collect();
    Ok(CompiledFunc {
        id,
        alignment,
        code,
        relocs,
        traps,
        handlers,
    })
}

impl CompiledFunc {
    /// A function whose machine code is written by hand rather than
    /// compiled: no trap sites, no handlers.
    pub fn written(
        id: FuncId,
        alignment: u64,
        code: Vec<u8>,
        relocs: Vec<ModuleReloc>,
    ) -> CompiledFunc {
        CompiledFunc {
            id,
            alignment,
            code,
            relocs,
            traps: Vec::new(),
            handlers: Vec::new(),
        }
    }
}

/// A relocation of hand-written code at `offset` against function
/// `target`'s address.
pub fn func_reloc(offset: u32, kind: Reloc, target: FuncId, addend: i64) -> ModuleReloc {
    ModuleReloc {
        offset,
        kind,
        name: ModuleRelocTarget::User {
            namespace: 0,
            index: target.as_u32(),
        },
        addend,
    }
}

/// The code of a function folded into `target` (`emit::twins`: an
/// earlier function with the same type and the same wasm body): one jump
/// to it. The jump has no frame, so a backtrace through it names `target`.
pub fn jump_to(arch: Arch, id: FuncId, target: FuncId) -> CompiledFunc {
    let (code, reloc) = match arch {
        // `jmp rel32`
        Arch::X86_64 => (
            vec![0xe9, 0, 0, 0, 0],
            func_reloc(1, Reloc::X86CallPCRel4, target, -4),
        ),
        // `b imm26`
        Arch::Aarch64 => (
            0x1400_0000u32.to_le_bytes().to_vec(),
            func_reloc(0, Reloc::Arm64Call, target, 0),
        ),
    };
    // An instruction's alignment on aarch64; enough on x86-64.
    CompiledFunc::written(id, 4, code, vec![reloc])
}

/// [`TrapSite::inlined`] for the instruction at `offset`: 1 + the defined
/// position of the function whose inlined body it came from, or 0.
fn inlined_at(
    srclocs: &[MachSrcLoc<Final>],
    offset: u32,
    inlined: &crate::inline::InlinedFrom,
) -> u32 {
    let k = srclocs.partition_point(|s| s.end <= offset);
    srclocs
        .get(k)
        .filter(|s| s.start <= offset)
        .and_then(|s| inlined.callee(s.loc))
        .map_or(0, |f| f + 1)
}
