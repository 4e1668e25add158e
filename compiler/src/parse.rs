//! Parsing and module-level validation: wasm binary → [`ModuleEnv`].
//!
//! wasmparser's `Validator` sees every payload, so everything after this
//! stage may assume a valid module — except function bodies, which are only
//! handed out here as `FuncToValidate` and validated by the translator while
//! it translates them (in parallel, one pass over each body).
//!
//! Constant expressions (global initialisers, segment offsets, element
//! items) are evaluated here, at build time: the object then carries their
//! values, and start-up has nothing left to compute — except a `global.get`
//! of an imported global, which stays symbolic
//! ([`ConstValue::ImportedGlobal`]) for the `init` function to read, and
//! arithmetic on one (extended constant expressions), kept as an
//! expression ([`ConstValue::Computed`]) for `init` to compute.

use crate::env::{
    ConstBinOp, ConstValue, DataDesc, DeferredConst, ElemDesc, ElemKind, ExportDesc,
    FuncImportDesc, GlobalDesc, GlobalInit, ModuleEnv, OtherImportDesc,
};
use crate::error::{CompileError, Result};
use std::collections::HashMap;
use wasi_aot_abi::{AbiSig, AbiType, WasiFunc};
use wasmparser::{
    Chunk, CompositeInnerType, ConstExpr, ElementItems, ElementKind, FuncToValidate, FuncType,
    KnownCustom, Name, Operator, Parser, Payload, SubType, TypeRef, ValType, ValidPayload,
    Validator, ValidatorResources, WasmFeatures,
};

/// The WebAssembly features the compiler accepts. Anything else is rejected
/// by validation with a clear message.
pub fn features() -> WasmFeatures {
    Features::default().wasm_features()
}

/// Proposals beyond WebAssembly 2.0 that a build can switch off, so that a
/// module using one is refused as invalid, as a 2.0 engine would refuse it.
/// Each changes what is valid in ways the 2.0 test suite checks (a second
/// memory, a non-zero memory index byte, memory limits as 64-bit LEBs, the
/// `0xfe` opcode prefix), so the spec harness runs each suite with the
/// proposals it was written for. Everything is on by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Features {
    pub multi_memory: bool,
    pub memory64: bool,
    /// The threads proposal's atomic instructions, on unshared memories
    /// only: a shared memory is still `Unsupported` ([`check_memory_type`]).
    pub threads: bool,
}

impl Default for Features {
    fn default() -> Features {
        Features {
            multi_memory: true,
            memory64: true,
            threads: true,
        }
    }
}

impl Features {
    /// The validator's feature set.
    pub fn wasm_features(self) -> WasmFeatures {
        let mut f = WasmFeatures::WASM2
            | WasmFeatures::EXTENDED_CONST
            | WasmFeatures::TAIL_CALL
            | WasmFeatures::RELAXED_SIMD
            | WasmFeatures::EXCEPTIONS
            // For their types only: recursion groups of function types
            // and typed references (`function_type` refuses struct and
            // array types and subtyping, the translator their operators).
            | WasmFeatures::FUNCTION_REFERENCES
            | WasmFeatures::GC;
        f.set(WasmFeatures::MULTI_MEMORY, self.multi_memory);
        f.set(WasmFeatures::MEMORY64, self.memory64);
        f.set(WasmFeatures::THREADS, self.threads);
        f
    }
}

/// A parsed module and the function bodies still to validate.
pub struct Parsed<'data> {
    pub env: ModuleEnv<'data>,
    /// One per defined function, in order.
    pub funcs: Vec<FuncToValidate<ValidatorResources>>,
}

/// Tells an invalid module apart from a valid one that uses a WebAssembly
/// feature outside [`features`] (exception handling, GC, threads, ...): an `Invalid` error for a module that
/// validates with every feature wasmparser knows becomes `Unsupported`, so
/// the message blames the compiler, not the module. Only failed builds pay
/// for the second validation.
pub fn unsupported_feature(wasm: &[u8], error: CompileError) -> CompileError {
    match error {
        CompileError::Invalid { offset, message }
            if Validator::new_with_features(WasmFeatures::all())
                .validate_all(wasm)
                .is_ok() =>
        {
            CompileError::Unsupported {
                what: format!("{message} (a WebAssembly feature this compiler does not support)"),
                offset,
            }
        }
        other => other,
    }
}

/// Whether `wasm` is a component: the header's 16-bit layer field (after the
/// magic and the 16-bit version) is 1, where a core module's is 0.
fn is_component(wasm: &[u8]) -> bool {
    wasm.starts_with(b"\0asm") && wasm.get(6..8) == Some(&[1, 0])
}

/// The length of the part of `wasm` the compiler reads: the module up to
/// the end of its last section that is not a custom section, or is the
/// `name` section. The custom sections after it (a module built with `-g`
/// carries its DWARF there, often more than half its size) need not stay
/// in memory while it compiles, and cutting them changes no offset before
/// the cut. A module that does not read as a sequence of well-formed
/// sections is not cut: its error is reported as it would be.
pub fn needed_len(wasm: &[u8]) -> usize {
    if is_component(wasm) {
        return wasm.len();
    }
    let mut parser = Parser::new(0);
    let (mut offset, mut end) = (0, 0);
    loop {
        let Some(rest) = wasm.get(offset..) else {
            return wasm.len();
        };
        let Ok(Chunk::Parsed { consumed, payload }) = parser.parse(rest, true) else {
            return wasm.len();
        };
        offset += consumed;
        match &payload {
            Payload::End(_) if offset == wasm.len() => return end,
            Payload::End(_) => return wasm.len(),
            Payload::Version { range, .. } => end = range.end as usize,
            Payload::CodeSectionStart { size, .. } => {
                parser.skip_section();
                offset += *size as usize;
                end = offset;
            }
            Payload::CustomSection(section) if section.name() != "name" => {}
            payload => {
                if let Some((_, range)) = payload.as_section() {
                    end = end.max(range.end as usize);
                }
            }
        }
    }
}

/// Parses and validates `wasm` (everything but function bodies) with every
/// feature the compiler implements.
pub fn parse(wasm: &[u8]) -> Result<Parsed<'_>> {
    parse_with(wasm, Features::default())
}

/// Parses and validates `wasm` (everything but function bodies) with the
/// proposals `features` leaves on.
pub fn parse_with(wasm: &[u8], features: Features) -> Result<Parsed<'_>> {
    if is_component(wasm) {
        return Err(CompileError::Component);
    }
    let features = features.wasm_features();
    let mut validator = Validator::new_with_features(features);
    let mut env = ModuleEnv::default();
    let mut funcs = Vec::new();
    let mut names = None;

    // The readers must see the same features as the validator: encodings
    // depend on them (without multi-memory, the memory index of
    // `memory.size`/`memory.grow` is one zero byte; without memory64, limits
    // are 32-bit LEBs), and the default would accept more than wasm 2.0.
    let mut parser = Parser::new(0);
    parser.set_features(features);
    for payload in parser.parse_all(wasm) {
        let payload = payload?;
        match validator.payload(&payload)? {
            ValidPayload::Ok | ValidPayload::End(_) => {}
            ValidPayload::Func(func, body) => {
                funcs.push(func);
                env.bodies.push(body);
                continue;
            }
            ValidPayload::Parser(_) => {
                return Err(CompileError::unsupported("component or nested module", 0));
            }
        }
        match payload {
            Payload::TypeSection(types) => {
                for group in types.into_iter_with_offsets() {
                    let (offset, group) = group?;
                    for sub in group.into_types() {
                        env.types.push(function_type(sub, offset as usize)?);
                    }
                }
                env.canonical_types = canonical_types(&validator, env.types.len());
            }
            Payload::ImportSection(imports) => {
                for import in imports.into_imports_with_offsets() {
                    let (offset, import) = import?;
                    let offset = offset as usize;
                    match import.ty {
                        TypeRef::Func(type_index) => {
                            let wasi = wasi_func(import.module, import.name).filter(|f| {
                                signature_matches(f.signature(), &env.types[type_index as usize])
                            });
                            env.func_imports.push(FuncImportDesc {
                                module: import.module.to_string(),
                                name: import.name.to_string(),
                                type_index,
                                wasi,
                                offset,
                            });
                            env.funcs.push(type_index);
                        }
                        TypeRef::Memory(memory) => {
                            check_memory_type(&memory, offset)?;
                            env.memories.push(memory);
                            env.num_imported_memories += 1;
                            env.other_imports.push(other_import(&import, offset));
                        }
                        TypeRef::Table(table) => {
                            env.tables.push(table);
                            env.num_imported_tables += 1;
                            env.other_imports.push(other_import(&import, offset));
                        }
                        TypeRef::Global(ty) => {
                            env.globals.push(GlobalDesc {
                                ty,
                                init: GlobalInit::Import,
                            });
                            env.other_imports.push(other_import(&import, offset));
                        }
                        TypeRef::Tag(tag) => {
                            env.tags.push(tag.func_type_idx);
                            env.num_imported_tags += 1;
                            env.other_imports.push(other_import(&import, offset));
                        }
                        _ => {
                            return Err(CompileError::unsupported("import kind", offset));
                        }
                    }
                }
            }
            Payload::FunctionSection(section) => {
                for ty in section {
                    env.funcs.push(ty?);
                }
            }
            Payload::TableSection(section) => {
                for table in section {
                    let table = table?;
                    if !matches!(table.init, wasmparser::TableInit::RefNull) {
                        return Err(CompileError::unsupported(
                            "table with an initializer expression",
                            0,
                        ));
                    }
                    env.tables.push(table.ty);
                }
            }
            Payload::MemorySection(section) => {
                let offset = section.range().start as usize;
                for memory in section {
                    let memory = memory?;
                    check_memory_type(&memory, offset)?;
                    env.memories.push(memory);
                }
            }
            Payload::GlobalSection(section) => {
                for global in section {
                    let global = global?;
                    let value = eval_const(&mut env, &global.init_expr)?;
                    env.globals.push(GlobalDesc {
                        ty: global.ty,
                        init: GlobalInit::Const(value),
                    });
                }
            }
            Payload::ExportSection(section) => {
                for export in section {
                    let export = export?;
                    env.exports.push(ExportDesc {
                        name: export.name.to_string(),
                        kind: export.kind,
                        index: export.index,
                    });
                }
            }
            Payload::StartSection { func, .. } => env.start = Some(func),
            Payload::ElementSection(section) => {
                for elem in section {
                    let elem = elem?;
                    let offset = elem.range.start as usize;
                    let kind = match &elem.kind {
                        ElementKind::Passive => ElemKind::Passive,
                        ElementKind::Declared => ElemKind::Declared,
                        ElementKind::Active {
                            table_index,
                            offset_expr,
                        } => ElemKind::Active {
                            table: table_index.unwrap_or(0),
                            offset: eval_const(&mut env, offset_expr)?,
                        },
                    };
                    let mut items = Vec::new();
                    let mut global_items = Vec::new();
                    match elem.items {
                        ElementItems::Functions(funcs) => {
                            for f in funcs {
                                items.push(Some(f?));
                            }
                        }
                        ElementItems::Expressions(_, exprs) => {
                            for expr in exprs {
                                match eval_const(&mut env, &expr?)? {
                                    ConstValue::RefFunc(f) => items.push(Some(f)),
                                    ConstValue::RefNull => items.push(None),
                                    ConstValue::ImportedGlobal(g) => {
                                        global_items.push((items.len() as u32, g));
                                        items.push(None);
                                    }
                                    other => {
                                        return Err(CompileError::unsupported(
                                            format!("element item {other:?}"),
                                            offset,
                                        ));
                                    }
                                }
                            }
                        }
                    }
                    env.elems.push(ElemDesc {
                        kind,
                        items,
                        global_items,
                        offset,
                    });
                }
            }
            Payload::DataSection(section) => {
                for data in section {
                    let data = data?;
                    let active = match &data.kind {
                        wasmparser::DataKind::Passive => None,
                        wasmparser::DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => Some((*memory_index, eval_const(&mut env, offset_expr)?)),
                    };
                    env.data.push(DataDesc {
                        bytes: data.data,
                        active,
                    });
                }
            }
            Payload::CustomSection(section) => {
                if let KnownCustom::Name(reader) = section.as_known() {
                    names = Some(reader);
                }
            }
            Payload::TagSection(section) => {
                for tag in section {
                    env.tags.push(tag?.func_type_idx);
                }
            }
            _ => {}
        }
    }

    // The name section is a custom section: a malformed one is ignored, as
    // the spec requires, rather than rejecting the module.
    if let Some(reader) = names {
        for name in reader.into_iter().flatten() {
            if let Name::Function(map) = name {
                for naming in map.into_iter().flatten() {
                    env.func_names.insert(naming.index, naming.name.to_string());
                }
            }
        }
    }
    Ok(Parsed { env, funcs })
}

fn other_import(import: &wasmparser::Import, offset: usize) -> OtherImportDesc {
    OtherImportDesc {
        module: import.module.to_string(),
        name: import.name.to_string(),
        offset,
    }
}

/// Rejects memories the compiler does not implement.
fn check_memory_type(memory: &wasmparser::MemoryType, offset: usize) -> Result<()> {
    if memory.page_size_log2.is_some() {
        return Err(CompileError::unsupported("custom page size", offset));
    }
    if memory.shared {
        // A shared memory may be seen by other threads, which the runtime
        // does not have: atomics are only compiled for unshared memories.
        return Err(CompileError::unsupported(
            "shared memory (threads proposal; atomic instructions on unshared memories are supported)",
            offset,
        ));
    }
    Ok(())
}

/// A type of the type section, which must be a final function type
/// without a declared supertype: the GC proposal's struct and array types
/// and its subtyping are not supported (recursion groups of function types
/// are: they only change which types are equal).
fn function_type(sub: SubType, offset: usize) -> Result<FuncType> {
    if !sub.is_final || !sub.supertype_idxs.is_empty() {
        return Err(CompileError::unsupported(
            "type subtyping (GC proposal)",
            offset,
        ));
    }
    match sub.composite_type.inner {
        CompositeInnerType::Func(f) if !sub.composite_type.shared => Ok(f),
        _ => Err(CompileError::unsupported(
            "struct, array or shared types (GC proposal)",
            offset,
        )),
    }
}

/// Module-canonical type ids: the index of the first equal type. Type
/// equality is the validator's (structural for lone function types; within
/// recursion groups, same group shape and position), read from its
/// canonicalised type ids. Found through a hash map: a module may declare a
/// million types.
fn canonical_types(validator: &Validator, count: usize) -> Vec<u32> {
    let Some(types) = validator.types(0) else {
        return (0..count as u32).collect();
    };
    let mut first = HashMap::with_capacity(count);
    (0..count as u32)
        .map(|i| *first.entry(types.core_type_at_in_module(i)).or_insert(i))
        .collect()
}

fn wasi_func(module: &str, name: &str) -> Option<WasiFunc> {
    WasiFunc::from_import(module, name)
}

/// Whether a WASI function's C signature is the wasm type `ty`.
pub fn signature_matches(sig: AbiSig, ty: &FuncType) -> bool {
    let abi = |t: &AbiType| match t {
        AbiType::I32 => ValType::I32,
        AbiType::I64 | AbiType::Ptr => ValType::I64,
    };
    ty.params().iter().copied().eq(sig.params.iter().map(abi))
        && ty.results().iter().copied().eq(sig.result.iter().map(abi))
}

/// A constant expression's operand while it is evaluated: a value known at
/// build time (or a plain imported global), or how to compute it from
/// imported globals at instantiation.
enum Operand {
    Known(ConstValue),
    Deferred(DeferredConst),
}

impl Operand {
    /// How to compute this integer operand at instantiation.
    fn into_deferred(self, env: &ModuleEnv, offset: usize) -> Result<DeferredConst> {
        Ok(match self {
            Operand::Deferred(d) => d,
            Operand::Known(ConstValue::I32(v)) => DeferredConst::I32(v),
            Operand::Known(ConstValue::I64(v)) => DeferredConst::I64(v),
            Operand::Known(v) => env
                .deferred_const(v)
                .ok_or_else(|| const_type_mismatch(offset))?,
        })
    }
}

fn const_type_mismatch(offset: usize) -> CompileError {
    CompileError::Invalid {
        offset,
        message: "type mismatch in constant expression".into(),
    }
}

/// Evaluates a constant expression at build time, or as far as imported
/// globals allow (see [`ConstValue::Computed`]).
fn eval_const(env: &mut ModuleEnv, expr: &ConstExpr) -> Result<ConstValue> {
    let mut stack: Vec<Operand> = Vec::new();
    let mut reader = expr.get_operators_reader();
    loop {
        let offset = reader.original_position() as usize;
        let op = reader.read()?;
        let value = match op {
            Operator::End => break,
            Operator::I32Const { value } => ConstValue::I32(value),
            Operator::I64Const { value } => ConstValue::I64(value),
            Operator::F32Const { value } => ConstValue::F32(value.bits()),
            Operator::F64Const { value } => ConstValue::F64(value.bits()),
            Operator::V128Const { value } => ConstValue::V128(u128::from_le_bytes(*value.bytes())),
            Operator::RefNull { .. } => ConstValue::RefNull,
            Operator::RefFunc { function_index } => ConstValue::RefFunc(function_index),
            Operator::GlobalGet { global_index } => {
                match env.globals.get(global_index as usize).map(|g| &g.init) {
                    Some(GlobalInit::Const(v)) => *v,
                    Some(GlobalInit::Import) => ConstValue::ImportedGlobal(global_index),
                    None => {
                        return Err(CompileError::unsupported(
                            "global.get of an undefined global in a constant expression",
                            offset,
                        ));
                    }
                }
            }
            Operator::I32Add
            | Operator::I32Sub
            | Operator::I32Mul
            | Operator::I64Add
            | Operator::I64Sub
            | Operator::I64Mul => {
                let (Some(b), Some(a)) = (stack.pop(), stack.pop()) else {
                    return Err(const_type_mismatch(offset));
                };
                let step = match op {
                    Operator::I32Add | Operator::I64Add => ConstBinOp::Add,
                    Operator::I32Sub | Operator::I64Sub => ConstBinOp::Sub,
                    _ => ConstBinOp::Mul,
                };
                stack.push(const_arith(env, step, a, b, offset)?);
                continue;
            }
            other => {
                return Err(CompileError::unsupported(
                    format!("constant expression operator {other:?}"),
                    offset,
                ));
            }
        };
        stack.push(Operand::Known(value));
    }
    match (stack.pop(), stack.is_empty()) {
        (Some(Operand::Known(v)), true) => Ok(v),
        (Some(Operand::Deferred(d)), true) => {
            env.deferred_consts.push(d);
            Ok(ConstValue::Computed(env.deferred_consts.len() as u32 - 1))
        }
        _ => Err(CompileError::Invalid {
            offset: expr.get_binary_reader().original_position() as usize,
            message: "constant expression does not produce one value".into(),
        }),
    }
}

/// `a step b` for the integer operators of extended constant expressions:
/// folded when both operands are known, else deferred to instantiation.
fn const_arith(
    env: &ModuleEnv,
    step: ConstBinOp,
    a: Operand,
    b: Operand,
    offset: usize,
) -> Result<Operand> {
    let fold = |x: i64, y: i64| match step {
        ConstBinOp::Add => x.wrapping_add(y),
        ConstBinOp::Sub => x.wrapping_sub(y),
        ConstBinOp::Mul => x.wrapping_mul(y),
    };
    Ok(match (a, b) {
        (Operand::Known(ConstValue::I32(x)), Operand::Known(ConstValue::I32(y))) => {
            Operand::Known(ConstValue::I32(fold(x.into(), y.into()) as i32))
        }
        (Operand::Known(ConstValue::I64(x)), Operand::Known(ConstValue::I64(y))) => {
            Operand::Known(ConstValue::I64(fold(x, y)))
        }
        (a, b) => Operand::Deferred(DeferredConst::Binary(
            step,
            Box::new(a.into_deferred(env, offset)?),
            Box::new(b.into_deferred(env, offset)?),
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::{needed_len, parse};

    /// `wasm` with a custom section `name` holding `data` appended.
    fn with_custom(wasm: &[u8], name: &str, data: &[u8]) -> Vec<u8> {
        let mut contents = vec![name.len() as u8];
        contents.extend_from_slice(name.as_bytes());
        contents.extend_from_slice(data);
        let mut out = wasm.to_vec();
        out.push(0);
        let mut len = contents.len();
        loop {
            let byte = (len & 0x7f) as u8;
            len >>= 7;
            out.push(if len == 0 { byte } else { byte | 0x80 });
            if len == 0 {
                break;
            }
        }
        out.extend_from_slice(&contents);
        out
    }

    /// Trailing custom sections other than `name` are not needed; `name`
    /// and whatever comes before it are.
    #[test]
    fn needed_len_cuts_trailing_custom_sections_only() {
        let module = wat::parse_str(
            "(module (memory 1) (func (export \"f\") (result i32) i32.const 7)
                     (data (i32.const 0) \"hi\"))",
        )
        .expect("parses");
        let debug = with_custom(&module, ".debug_info", &[0xab; 300]);
        assert_eq!(needed_len(&debug), module.len());
        let twice = with_custom(&debug, ".debug_line", b"lines");
        assert_eq!(needed_len(&twice), module.len());
        let cut = &twice[..needed_len(&twice)];
        assert_eq!(parse(cut).expect("valid").env.bodies.len(), 1);

        let named = with_custom(&debug, "name", &[]);
        assert_eq!(needed_len(&named), named.len());
        assert_eq!(needed_len(&module), module.len());
    }

    /// A module that does not read as well-formed sections keeps all its
    /// bytes, so its error is the one the whole module gives.
    #[test]
    fn needed_len_keeps_malformed_modules_whole() {
        let module = wat::parse_str("(module (func))").expect("parses");
        let debug = with_custom(&module, ".debug_info", &[1, 2, 3, 4]);
        let truncated = &debug[..debug.len() - 2];
        assert_eq!(needed_len(truncated), truncated.len());
        let mut trailing = debug.clone();
        trailing.push(0x42);
        assert_eq!(needed_len(&trailing), trailing.len());
        assert_eq!(needed_len(b"\0asm\x01\0\0\0"), 8);
        assert_eq!(needed_len(b"garbage"), 7);
        assert_eq!(needed_len(b""), 0);
    }

    fn canonical(wat: &str) -> Vec<u32> {
        let wasm = wat::parse_str(wat).expect("test module must parse");
        parse(&wasm).expect("valid module").env.canonical_types
    }

    /// Lone function types are equal when structurally equal; types in a
    /// recursion group are equal only to the same position of an equal
    /// group, never to a lone type.
    #[test]
    fn canonical_types_follow_type_equality() {
        assert_eq!(
            canonical("(module (type (func)) (type (func (param i32))) (type (func)))"),
            [0, 1, 0]
        );
        assert_eq!(
            canonical(
                "(module (rec (type (func)) (type (func))) (type (func))
                         (rec (type (func)) (type (func))))"
            ),
            [0, 1, 2, 0, 1]
        );
    }

    /// Struct types (GC) are refused as unsupported, not invalid.
    #[test]
    fn gc_struct_types_are_unsupported() {
        let wasm = wat::parse_str("(module (type (struct)))").expect("parses");
        assert!(matches!(
            parse(&wasm),
            Err(crate::CompileError::Unsupported { .. })
        ));
    }
}
