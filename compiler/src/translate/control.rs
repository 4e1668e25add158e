//! Structured control flow: `block`, `loop`, `if`/`else`, `end` and the
//! branches.
//!
//! Every construct gets a *next* block whose parameters are its results;
//! a loop also has a *header* whose parameters are its params. Branches pass
//! the top of the operand stack as block arguments, so merges are explicit
//! and locals are left to the frontend's SSA construction.
//!
//! An `if`'s params stay on the operand stack as SSA values (they dominate
//! both arms), so the arms need no block parameters; the `else` arm restarts
//! from a copy of them. An `if` without `else` still gets an else block that
//! forwards the params to *next* (validation guarantees params = results).
//!
//! `br_table` targets that take arguments are reached through one small
//! block per distinct target, since jump table entries carry no arguments
//! worth relying on.
//!
//! Blocks are sealed as soon as all their predecessors are known: arms and
//! branch continuations at once, *next* when it is switched to at `end`, a
//! loop header at its `end`.

use super::FuncTranslator;
use crate::error::Result;
use cranelift_codegen::ir::{self, BlockArg, InstBuilder, JumpTableData};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use wasmparser::{BlockType, ValType};

/// What kind of construct a frame is.
pub(super) enum FrameKind {
    Block,
    Loop {
        header: ir::Block,
    },
    If {
        else_block: ir::Block,
        /// The if's params, to restart the else arm with.
        params: Vec<ir::Value>,
        seen_else: bool,
    },
}

/// One entry of the control stack.
pub(super) struct ControlFrame {
    pub(super) kind: FrameKind,
    /// The block after the construct; its params are the results.
    pub(super) next: ir::Block,
    /// Operand stack height below the construct's params.
    pub(super) height: usize,
    pub(super) num_params: usize,
    pub(super) num_results: usize,
    /// Whether a branch targets `next`.
    pub(super) branched_to: bool,
}

impl ControlFrame {
    pub(super) fn block(next: ir::Block, height: usize, params: usize, results: usize) -> Self {
        ControlFrame {
            kind: FrameKind::Block,
            next,
            height,
            num_params: params,
            num_results: results,
            branched_to: false,
        }
    }
}

impl FuncTranslator<'_, '_> {
    /// Params and results of a block type.
    fn block_signature(&self, ty: BlockType) -> Result<(Vec<ValType>, Vec<ValType>)> {
        Ok(match ty {
            BlockType::Empty => (Vec::new(), Vec::new()),
            BlockType::Type(t) => (Vec::new(), vec![t]),
            BlockType::FuncType(i) => {
                let ty = self.func_type(i)?;
                (ty.params().to_vec(), ty.results().to_vec())
            }
        })
    }

    fn jump(&mut self, block: ir::Block, args: &[BlockArg]) {
        self.builder.ins().jump(block, args);
    }

    pub(super) fn translate_block(&mut self, ty: BlockType) -> Result<()> {
        let (params, results) = self.block_signature(ty)?;
        let next = self.create_block_with_params(&results);
        let height = self
            .stack
            .len()
            .checked_sub(params.len())
            .ok_or_else(|| self.internal("operand stack underflow"))?;
        self.control.push(ControlFrame::block(
            next,
            height,
            params.len(),
            results.len(),
        ));
        Ok(())
    }

    pub(super) fn translate_loop(&mut self, ty: BlockType) -> Result<()> {
        let (params, results) = self.block_signature(ty)?;
        let header = self.create_block_with_params(&params);
        let next = self.create_block_with_params(&results);
        let args = self.branch_args(params.len())?;
        self.jump(header, &args);
        let height = self.stack.len() - params.len();
        self.stack.truncate(height);
        self.builder.switch_to_block(header);
        self.stack
            .extend_from_slice(self.builder.block_params(header));
        self.control.push(ControlFrame {
            kind: FrameKind::Loop { header },
            next,
            height,
            num_params: params.len(),
            num_results: results.len(),
            branched_to: false,
        });
        Ok(())
    }

    pub(super) fn translate_if(&mut self, ty: BlockType) -> Result<()> {
        let cond = self.pop()?;
        let (params, results) = self.block_signature(ty)?;
        let then_block = self.builder.create_block();
        let else_block = self.builder.create_block();
        let next = self.create_block_with_params(&results);
        self.builder
            .ins()
            .brif(cond, then_block, &[], else_block, &[]);
        self.builder.switch_to_block(then_block);
        self.builder.seal_block(then_block);
        let saved = self.peekn(params.len())?.to_vec();
        self.control.push(ControlFrame {
            kind: FrameKind::If {
                else_block,
                params: saved,
                seen_else: false,
            },
            next,
            height: self.stack.len() - params.len(),
            num_params: params.len(),
            num_results: results.len(),
            branched_to: false,
        });
        Ok(())
    }

    pub(super) fn translate_else(&mut self) -> Result<()> {
        let Some(frame) = self.control.last() else {
            return Err(self.internal("else without a frame"));
        };
        let (next, results) = (frame.next, frame.num_results);
        if self.reachable {
            let args = self.branch_args(results)?;
            self.jump(next, &args);
        }
        let reachable = self.reachable;
        let Some(frame) = self.control.last_mut() else {
            return Err(self.internal("else without a frame"));
        };
        frame.branched_to |= reachable;
        let height = frame.height;
        let FrameKind::If {
            else_block,
            params,
            seen_else,
        } = &mut frame.kind
        else {
            return Err(self.internal("else outside an if"));
        };
        *seen_else = true;
        let else_block = *else_block;
        let params = params.clone();
        self.builder.switch_to_block(else_block);
        self.builder.seal_block(else_block);
        self.stack.truncate(height);
        self.stack.extend(params);
        self.reachable = true;
        Ok(())
    }

    pub(super) fn translate_end(&mut self) -> Result<()> {
        let Some(mut frame) = self.control.pop() else {
            return Err(self.internal("end without a frame"));
        };
        if self.reachable {
            let args = self.branch_args(frame.num_results)?;
            self.jump(frame.next, &args);
            frame.branched_to = true;
        }
        match frame.kind {
            FrameKind::Loop { header } => self.builder.seal_block(header),
            FrameKind::If {
                else_block,
                params,
                seen_else: false,
            } => {
                // The implicit else forwards the params as the results.
                self.builder.switch_to_block(else_block);
                self.builder.seal_block(else_block);
                let args: Vec<BlockArg> = params.into_iter().map(BlockArg::Value).collect();
                self.jump(frame.next, &args);
                frame.branched_to = true;
            }
            FrameKind::If { .. } | FrameKind::Block => {}
        }
        self.end_try_scope(self.control.len());
        self.stack.truncate(frame.height);
        self.reachable = frame.branched_to;
        if frame.branched_to {
            self.builder.switch_to_block(frame.next);
            self.builder.seal_block(frame.next);
            self.stack
                .extend_from_slice(self.builder.block_params(frame.next));
            if self.control.is_empty() {
                // The end of the function body.
                let results = self.popn(frame.num_results)?;
                self.builder.ins().return_(&results);
                self.reachable = false;
            }
        }
        Ok(())
    }

    /// The branch target of the frame `depth` levels up and the number of
    /// values a branch to it carries; marks the frame as branched to.
    fn branch_target(&mut self, depth: u32) -> Result<(ir::Block, usize)> {
        let len = self.control.len();
        let Some(index) = len.checked_sub(depth as usize + 1) else {
            return Err(self.internal("branch depth out of range"));
        };
        self.branch_target_at(index)
    }

    /// As [`Self::branch_target`], for the frame at control position
    /// `index`.
    pub(super) fn branch_target_at(&mut self, index: usize) -> Result<(ir::Block, usize)> {
        let Some(frame) = self.control.get_mut(index) else {
            return Err(self.internal("branch target out of range"));
        };
        Ok(match frame.kind {
            FrameKind::Loop { header } => (header, frame.num_params),
            _ => {
                frame.branched_to = true;
                (frame.next, frame.num_results)
            }
        })
    }

    pub(super) fn translate_br(&mut self, depth: u32) -> Result<()> {
        let (target, arity) = self.branch_target(depth)?;
        let args = self.branch_args(arity)?;
        self.jump(target, &args);
        self.reachable = false;
        Ok(())
    }

    pub(super) fn translate_br_if(&mut self, depth: u32) -> Result<()> {
        let cond = self.pop()?;
        let (target, arity) = self.branch_target(depth)?;
        let args = self.branch_args(arity)?;
        let cont = self.builder.create_block();
        self.builder.ins().brif(cond, target, &args, cont, &[]);
        self.builder.switch_to_block(cont);
        self.builder.seal_block(cont);
        Ok(())
    }

    pub(super) fn translate_br_table(&mut self, table: &wasmparser::BrTable) -> Result<()> {
        let index = self.pop()?;
        let mut depths = Vec::with_capacity(table.len() as usize);
        for depth in table.targets() {
            depths.push(depth?);
        }
        let default = table.default();
        // Resolve every distinct depth once.
        let mut targets: HashMap<u32, (ir::Block, usize)> = HashMap::new();
        for &depth in depths.iter().chain(std::iter::once(&default)) {
            if let Entry::Vacant(entry) = targets.entry(depth) {
                entry.insert(self.branch_target(depth)?);
            }
        }
        let arity = targets[&default].1;
        if arity == 0 {
            let pool = &mut self.builder.func.dfg.value_lists;
            let default_call = ir::BlockCall::new(targets[&default].0, [], pool);
            let calls: Vec<ir::BlockCall> = depths
                .iter()
                .map(|d| ir::BlockCall::new(targets[d].0, [], pool))
                .collect();
            let jt = self
                .builder
                .create_jump_table(JumpTableData::new(default_call, &calls));
            self.builder.ins().br_table(index, jt);
        } else {
            // One forwarding block per distinct target.
            let mut edges: HashMap<u32, ir::Block> = HashMap::new();
            let mut order = Vec::new();
            for &depth in depths.iter().chain(std::iter::once(&default)) {
                edges.entry(depth).or_insert_with(|| {
                    order.push(depth);
                    self.builder.create_block()
                });
            }
            let pool = &mut self.builder.func.dfg.value_lists;
            let default_call = ir::BlockCall::new(edges[&default], [], pool);
            let calls: Vec<ir::BlockCall> = depths
                .iter()
                .map(|d| ir::BlockCall::new(edges[d], [], pool))
                .collect();
            let jt = self
                .builder
                .create_jump_table(JumpTableData::new(default_call, &calls));
            self.builder.ins().br_table(index, jt);
            let args = self.branch_args(arity)?;
            for depth in order {
                let edge = edges[&depth];
                self.builder.switch_to_block(edge);
                self.builder.seal_block(edge);
                self.jump(targets[&depth].0, &args);
            }
        }
        self.reachable = false;
        Ok(())
    }

    pub(super) fn translate_return(&mut self) -> Result<()> {
        let Some(frame) = self.control.first() else {
            return Err(self.internal("return without a frame"));
        };
        let values = self.peekn(frame.num_results)?.to_vec();
        self.builder.ins().return_(&values);
        self.reachable = false;
        Ok(())
    }
}
