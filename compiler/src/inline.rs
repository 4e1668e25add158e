//! Inlining of small leaf functions across the module.
//!
//! A whole module is compiled at once, so every direct call's callee is
//! known. Before the functions are compiled, each defined function whose
//! body is small ([`MAX_BODY_BYTES`] of wasm) is translated once more; it
//! becomes a candidate when its CLIF makes no call of any kind (a leaf:
//! no recursion, no exception handling, no builtin, so an inlined body can
//! never unwind or grow the stack) and has at most [`MAX_INSTS`]
//! instructions. Each function's direct `call`s of a candidate are then
//! replaced by the candidate's body (Cranelift's inliner), before the
//! mid-end optimizes the whole: constant arguments fold, loads a caller
//! already made are reused, the call's register shuffling and frame go.
//! Calls made from an inlined body are not revisited (a candidate has
//! none), and a caller takes at most [`CALLER_BUDGET`] instructions of
//! inlined code, so no function grows without bound.
//!
//! Backtraces keep inlined frames: [`Inliner::run`] gives each
//! inlined instruction its function's source location, and a trap site in
//! such code records that function (`TrapSite::inlined`), whose frame the
//! trap report prints before the function it was inlined into.
//! `--no-inline` compiles every function as it is.
//!
//! Cranelift's inliner copies a callee's symbol global values without
//! renumbering their external names, so every translated function declares
//! the names of all data objects first, in one order
//! ([`Symbols::data_objects`]): a name's number means the same symbol in
//! the callee and in every caller.

use crate::env::{FuncIndex, ModuleEnv, Symbols};
use crate::error::{CompileError, Result};
use cranelift_codegen::Context;
use cranelift_codegen::inline::{Inline, InlineCommand};
use cranelift_codegen::ir::{self, ExternalName, Opcode};
use cranelift_codegen::isa::TargetIsa;
use std::borrow::Cow;
use std::collections::HashMap;
use wasmparser::{FuncToValidate, FuncValidatorAllocations, ValidatorResources};

/// Largest wasm body (locals and code, in bytes) considered for inlining.
pub const MAX_BODY_BYTES: u64 = 80;
/// Largest translated body, in CLIF instructions, that is inlined.
pub const MAX_INSTS: usize = 40;
/// Instructions of inlined code one function may take in all.
pub const CALLER_BUDGET: usize = 2000;

/// The module's inlinable functions, translated.
pub struct Candidates {
    /// By defined-function index: the translated body of a candidate and
    /// its size in instructions (boxed: most functions are not candidates,
    /// and a function's header alone is most of a kilobyte).
    bodies: Vec<Option<Box<(ir::Function, usize)>>>,
    /// By defined-function index: where the body starts in the module (the
    /// source location inlined instructions get).
    body_starts: Vec<u32>,
    /// Function symbol (as named in the CLIF) to function index.
    by_symbol: HashMap<u32, FuncIndex>,
    num_imported: u32,
}

impl Candidates {
    /// No function is inlined.
    pub fn none() -> Candidates {
        Candidates {
            bodies: Vec::new(),
            body_starts: Vec::new(),
            by_symbol: HashMap::new(),
            num_imported: 0,
        }
    }

    /// Translates every small defined function of `env` (bodies to validate
    /// in `funcs`, by defined index) and keeps the leaves among them. A
    /// body that fails to translate is not a candidate; its error is
    /// reported when it is compiled.
    pub fn collect(
        env: &ModuleEnv,
        syms: &Symbols,
        isa: &dyn TargetIsa,
        funcs: &[FuncToValidate<ValidatorResources>],
    ) -> Candidates {
        let num_imported = env.num_imported_funcs();
        // Bodies are translated on every core, in contiguous chunks.
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = funcs.len().div_ceil(workers).max(1);
        let bodies = std::thread::scope(|scope| {
            let handles: Vec<_> = funcs
                .chunks(chunk)
                .enumerate()
                .map(|(c, funcs)| {
                    scope.spawn(move || {
                        let mut allocations = Default::default();
                        funcs
                            .iter()
                            .enumerate()
                            .map(|(i, to_validate)| {
                                let i = c * chunk + i;
                                let index = num_imported + i as u32;
                                candidate(env, syms, isa, index, i, to_validate, &mut allocations)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        Candidates {
            bodies,
            body_starts: env.bodies.iter().map(|b| b.range().start as u32).collect(),
            by_symbol: syms
                .funcs
                .iter()
                .enumerate()
                .map(|(f, id)| (id.as_u32(), f as FuncIndex))
                .collect(),
            num_imported,
        }
    }

    /// The translated body of defined function `index`, when it is a
    /// candidate (compiling it again needs no second translation).
    pub fn body(&self, index: FuncIndex) -> Option<&ir::Function> {
        let defined = index.checked_sub(self.num_imported)?;
        self.bodies
            .get(defined as usize)?
            .as_deref()
            .map(|(f, _)| f)
    }

    /// The inliner for one function's compilation.
    pub fn inliner(&self) -> Inliner<'_> {
        Inliner {
            candidates: self,
            budget: CALLER_BUDGET,
            inlined: Vec::new(),
        }
    }
}

/// Defined function `i` (function `index`) translated, when it is a
/// candidate, with its size in instructions.
fn candidate(
    env: &ModuleEnv,
    syms: &Symbols,
    isa: &dyn TargetIsa,
    index: FuncIndex,
    i: usize,
    to_validate: &FuncToValidate<ValidatorResources>,
    allocations: &mut FuncValidatorAllocations,
) -> Option<Box<(ir::Function, usize)>> {
    let body = env.bodies.get(i)?;
    let range = body.range();
    if range.end - range.start > MAX_BODY_BYTES {
        return None;
    }
    let to_validate = FuncToValidate {
        resources: to_validate.resources.clone(),
        index: to_validate.index,
        ty: to_validate.ty,
        features: to_validate.features,
    };
    let mut validator = to_validate.into_validator(std::mem::take(allocations));
    let translated =
        crate::translate::translate_function(env, syms, isa, index, body, &mut validator);
    *allocations = validator.into_allocations();
    let func = translated.ok()?;
    let size = leaf_size(&func)?;
    // A clone holds no spare capacity the translation left behind.
    (size <= MAX_INSTS).then(|| Box::new((func.clone(), size)))
}

/// The number of instructions of `func`, or `None` when it makes a call.
fn leaf_size(func: &ir::Function) -> Option<usize> {
    let mut size = 0;
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            if func.dfg.insts[inst].opcode().is_call() {
                return None;
            }
            size += 1;
        }
    }
    Some(size)
}

/// Decides, call by call, what one function inlines.
pub struct Inliner<'a> {
    candidates: &'a Candidates,
    /// Instructions the function may still take in.
    budget: usize,
    /// For each call inlined, in order: the number of the first instruction
    /// the inliner was about to create, and the callee.
    inlined: Vec<(usize, FuncIndex)>,
}

impl Inliner<'_> {
    /// Inlines into `ctx`'s function (function `index`, for errors) the
    /// calls this inliner picks, then [`Self::mark_inlined`]s them.
    pub fn run(mut self, ctx: &mut Context, index: FuncIndex) -> Result<InlinedFrom> {
        ctx.inline(&mut self).map_err(|e| CompileError::Codegen {
            func: index,
            message: format!("inlining: {e:?}"),
        })?;
        Ok(self.mark_inlined(&mut ctx.func))
    }

    /// After inlining into `func`: gives every instruction that came from
    /// an inlined body the source location of that body's start, and
    /// returns the callee each such location stands for. Cranelift's
    /// inliner leaves inlined instructions without a location and numbers
    /// them after every instruction that existed before, one call at a
    /// time, so the instructions created while a call was inlined are the
    /// numbers from its record up to the next one's.
    fn mark_inlined(self, func: &mut ir::Function) -> InlinedFrom {
        let mut from = InlinedFrom::default();
        if self.inlined.is_empty() {
            return from;
        }
        let insts: Vec<ir::Inst> = func
            .layout
            .blocks()
            .flat_map(|b| func.layout.block_insts(b))
            .collect();
        for inst in insts {
            let k = self
                .inlined
                .partition_point(|(first, _)| *first <= inst.as_u32() as usize);
            let Some((_, callee)) = k.checked_sub(1).map(|k| self.inlined[k]) else {
                continue;
            };
            let Some(defined) = callee.checked_sub(self.candidates.num_imported) else {
                continue;
            };
            let Some(&start) = self.candidates.body_starts.get(defined as usize) else {
                continue;
            };
            func.set_srcloc(inst, ir::SourceLoc::new(start));
            from.0.insert(start, defined);
        }
        from
    }
}

/// Which function an inlined instruction's source location stands for.
#[derive(Default)]
pub struct InlinedFrom(HashMap<u32, u32>);

impl InlinedFrom {
    /// The defined-function position (imports not counted) of the function
    /// inlined where the code has source location `loc`.
    pub fn callee(&self, loc: ir::SourceLoc) -> Option<u32> {
        if loc.is_default() {
            return None;
        }
        self.0.get(&loc.bits()).copied()
    }
}

impl Inline for Inliner<'_> {
    fn inline(
        &mut self,
        caller: &ir::Function,
        _call_inst: ir::Inst,
        call_opcode: Opcode,
        callee: ir::FuncRef,
        _call_args: &[ir::Value],
    ) -> InlineCommand<'_> {
        if call_opcode != Opcode::Call {
            return InlineCommand::KeepCall;
        }
        let ExternalName::User(name) = caller.dfg.ext_funcs[callee].name else {
            return InlineCommand::KeepCall;
        };
        let name = &caller.params.user_named_funcs()[name];
        let callee = (name.namespace == 0)
            .then(|| self.candidates.by_symbol.get(&name.index).copied())
            .flatten();
        let body = callee.and_then(|f| {
            let defined = f.checked_sub(self.candidates.num_imported)?;
            self.candidates.bodies.get(defined as usize)?.as_deref()
        });
        match (callee, body) {
            (Some(callee), Some((func, size))) if *size <= self.budget => {
                self.budget -= size;
                self.inlined.push((caller.dfg.num_insts(), callee));
                InlineCommand::Inline {
                    callee: Cow::Borrowed(func),
                    visit_callee: false,
                }
            }
            _ => InlineCommand::KeepCall,
        }
    }
}
