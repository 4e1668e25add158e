//! Turns a generated module into a WASI command that prints what it computes.
//!
//! The module must have no imports (the generator is configured so). The
//! command is the module re-encoded with:
//!
//! * one import, `wasi_snapshot_preview1.fd_write`, which becomes function 0
//!   (every function index of the module moves up by one);
//! * a one-page memory of its own as memory 0, exported as `memory` (WASI
//!   needs memory 0 to be a 32-bit memory; the module's memories move up by
//!   one and keep their contents to themselves);
//! * a `_start` that calls every function of the module in index order with
//!   fixed arguments, refilling the fuel global before each call, and after
//!   each call prints one line with the results and one with the state: the
//!   size and a hash of every memory and the value of every global.
//!
//! The module's own exports are dropped (only `_start` and `memory` remain),
//! and so are its custom sections (its name section would name the wrong
//! functions). Values print as a type letter and hexadecimal bits: `i`/`I`
//! for i32/i64, `f`/`F` for f32/f64 (the bits, so NaN payloads show), `v`
//! for v128 (high 64 bits first), `r` for a reference (1 when null).

use std::convert::Infallible;

use wasm_encoder::reencode::{Error, Reencode};
use wasm_encoder::{
    CodeSection, ConstExpr, DataCountSection, DataSection, ElementSection, EntityType, ExportKind,
    ExportSection, Function, FunctionSection, GlobalSection, GlobalType, ImportSection,
    Instruction as I, MemArg, MemArgTarget, MemorySection, MemoryType, Module, StartSection,
    TableSection, TagSection, TypeSection, ValType,
};
use wasmparser::{CompositeInnerType, Parser, Payload, Validator, WasmFeatures};

/// Where `_start` writes its output in memory 0: the iovec at 0, the count
/// written at 8, the text from `BUF`.
const BUF: u32 = 256;
/// The text is flushed when it reaches this many bytes.
const BUF_LIMIT: i32 = 60_000;

/// The command, and how many of the module's functions it calls.
pub struct Wrapped {
    pub wasm: Vec<u8>,
    pub called: usize,
    /// Functions not called: a parameter of a non-nullable reference type
    /// has no value to pass.
    pub not_called: usize,
}

/// Moves function and memory indices up by one; everything else stays.
struct Shift;

impl Reencode for Shift {
    type Error = Infallible;

    fn function_index(&mut self, func: u32) -> Result<u32, Error<Infallible>> {
        Ok(func + 1)
    }

    fn memory_index(&mut self, memory: u32) -> Result<u32, Error<Infallible>> {
        Ok(memory + 1)
    }
}

/// The sections of the command, filled while the module is read.
#[derive(Default)]
struct Sections {
    types: TypeSection,
    functions: FunctionSection,
    tables: Option<TableSection>,
    memories: MemorySection,
    tags: Option<TagSection>,
    globals: GlobalSection,
    elements: Option<ElementSection>,
    data_count: Option<u32>,
    code: CodeSection,
    data: Option<DataSection>,
    start: Option<u32>,
    /// The type of the `fd_write` import, once added.
    fd_write_type: u32,
}

/// What `_start` needs to know of the module.
#[derive(Default)]
struct Facts {
    /// Every type; `None` for a type that is not a function type.
    types: Vec<Option<wasmparser::FuncType>>,
    /// The type index of every function.
    funcs: Vec<u32>,
    memories: Vec<wasmparser::MemoryType>,
    globals: Vec<wasmparser::ValType>,
}

fn wrap_err(e: impl std::fmt::Display) -> String {
    format!("cannot re-encode the module: {e}")
}

/// The command made of `module`; `fuel` is the index of its fuel global and
/// `fuel_per_call` the amount set before each call.
pub fn wrap(module: &[u8], fuel: Option<u32>, fuel_per_call: i32) -> Result<Wrapped, String> {
    let mut facts = Facts::default();
    let mut out = Sections::default();
    let mut shift = Shift;
    // Memory 0 of the command: the output buffer.
    out.memories.memory(MemoryType {
        minimum: 1,
        maximum: Some(1),
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    for payload in Parser::new(0).parse_all(module) {
        match payload.map_err(wrap_err)? {
            Payload::TypeSection(reader) => {
                for group in reader.clone() {
                    for sub in group.map_err(wrap_err)?.types() {
                        facts.types.push(match &sub.composite_type.inner {
                            CompositeInnerType::Func(f) => Some(f.clone()),
                            _ => None,
                        });
                    }
                }
                shift
                    .parse_type_section(&mut out.types, reader)
                    .map_err(wrap_err)?;
            }
            Payload::ImportSection(reader) if reader.count() > 0 => {
                return Err("the module has imports".into());
            }
            Payload::FunctionSection(reader) => {
                for ty in reader.clone() {
                    facts.funcs.push(ty.map_err(wrap_err)?);
                }
                shift
                    .parse_function_section(&mut out.functions, reader)
                    .map_err(wrap_err)?;
            }
            Payload::TableSection(reader) => {
                shift
                    .parse_table_section(out.tables.get_or_insert_default(), reader)
                    .map_err(wrap_err)?;
            }
            Payload::MemorySection(reader) => {
                for memory in reader.clone() {
                    facts.memories.push(memory.map_err(wrap_err)?);
                }
                shift
                    .parse_memory_section(&mut out.memories, reader)
                    .map_err(wrap_err)?;
            }
            Payload::TagSection(reader) => {
                shift
                    .parse_tag_section(out.tags.get_or_insert_default(), reader)
                    .map_err(wrap_err)?;
            }
            Payload::GlobalSection(reader) => {
                for global in reader.clone() {
                    facts
                        .globals
                        .push(global.map_err(wrap_err)?.ty.content_type);
                }
                shift
                    .parse_global_section(&mut out.globals, reader)
                    .map_err(wrap_err)?;
            }
            Payload::StartSection { func, .. } => out.start = Some(func + 1),
            Payload::ElementSection(reader) => {
                shift
                    .parse_element_section(out.elements.get_or_insert_default(), reader)
                    .map_err(wrap_err)?;
            }
            Payload::DataCountSection { count, .. } => out.data_count = Some(count),
            Payload::CodeSectionEntry(body) => {
                shift
                    .parse_function_body(&mut out.code, body)
                    .map_err(wrap_err)?;
            }
            Payload::DataSection(reader) => {
                shift
                    .parse_data_section(out.data.get_or_insert_default(), reader)
                    .map_err(wrap_err)?;
            }
            // Exports are replaced, custom sections dropped; the section
            // headers of the code section carry nothing to keep.
            _ => {}
        }
    }
    let (called, not_called) = add_start(&facts, &mut out, fuel, fuel_per_call)?;
    let wasm = assemble(out);
    Validator::new_with_features(WasmFeatures::all())
        .validate_all(&wasm)
        .map_err(|e| format!("the wrapped module is invalid: {e}"))?;
    Ok(Wrapped {
        wasm,
        called,
        not_called,
    })
}

fn assemble(out: Sections) -> Vec<u8> {
    let mut imports = ImportSection::new();
    imports.import(
        "wasi_snapshot_preview1",
        "fd_write",
        EntityType::Function(out.fd_write_type),
    );
    let mut module = Module::new();
    module.section(&out.types);
    module.section(&imports);
    module.section(&out.functions);
    if let Some(tables) = &out.tables {
        module.section(tables);
    }
    module.section(&out.memories);
    if let Some(tags) = &out.tags {
        module.section(tags);
    }
    module.section(&out.globals);
    let mut exports = ExportSection::new();
    exports.export("_start", ExportKind::Func, out.functions.len());
    exports.export("memory", ExportKind::Memory, 0);
    module.section(&exports);
    if let Some(function_index) = out.start {
        module.section(&StartSection { function_index });
    }
    if let Some(elements) = &out.elements {
        module.section(elements);
    }
    if let Some(count) = out.data_count {
        module.section(&DataCountSection { count });
    }
    module.section(&out.code);
    if let Some(data) = &out.data {
        module.section(data);
    }
    module.finish()
}

/// The types the command adds after the module's, in this order: those of
/// `fd_write`, `put`, `hex`, `flush` and `_start`, and each memory's hash.
const NEW_TYPES: [(&[ValType], &[ValType]); 5] = [
    (&[ValType::I32; 4], &[ValType::I32]),
    (&[ValType::I32], &[]),
    (&[ValType::I64, ValType::I32], &[]),
    (&[], &[]),
    (&[], &[ValType::I64]),
];

/// The helper functions' indices in the command.
struct Helpers {
    put: u32,
    hex: u32,
    flush: u32,
    /// `hash[j]`: the hash of the module's memory `j`.
    hash: Vec<u32>,
}

fn add_start(
    facts: &Facts,
    out: &mut Sections,
    fuel: Option<u32>,
    fuel_per_call: i32,
) -> Result<(usize, usize), String> {
    let first_type = facts.types.len() as u32;
    for (params, results) in NEW_TYPES {
        out.types
            .ty()
            .function(params.iter().copied(), results.iter().copied());
    }
    let [t_fd_write, t_put, t_hex, t_void, t_hash] = [0, 1, 2, 3, 4].map(|i| first_type + i);
    out.fd_write_type = t_fd_write;
    let cursor = facts.globals.len() as u32;
    out.globals.global(
        GlobalType {
            val_type: ValType::I32,
            mutable: true,
            shared: false,
        },
        &ConstExpr::i32_const(0),
    );
    let first = 1 + facts.funcs.len() as u32;
    let helpers = Helpers {
        put: first,
        hex: first + 1,
        flush: first + 2,
        hash: (0..facts.memories.len() as u32)
            .map(|j| first + 3 + j)
            .collect(),
    };
    let mem0 = |offset: u64, align: u32| MemArg {
        offset,
        align,
        target: MemArgTarget::Memory(0),
        ordering: None,
    };

    // put(c): append one byte, flushing a full buffer first.
    out.functions.function(t_put);
    let mut f = Function::new([]);
    f.instruction(&I::GlobalGet(cursor))
        .instruction(&I::I32Const(BUF_LIMIT))
        .instruction(&I::I32GeU)
        .instruction(&I::If(wasm_encoder::BlockType::Empty))
        .instruction(&I::Call(helpers.flush))
        .instruction(&I::End)
        .instruction(&I::GlobalGet(cursor))
        .instruction(&I::LocalGet(0))
        .instruction(&I::I32Store8(mem0(BUF.into(), 0)))
        .instruction(&I::GlobalGet(cursor))
        .instruction(&I::I32Const(1))
        .instruction(&I::I32Add)
        .instruction(&I::GlobalSet(cursor))
        .instruction(&I::End);
    out.code.function(&f);

    // hex(x, digits): the low `digits` nibbles of x, most significant first.
    out.functions.function(t_hex);
    let mut f = Function::new([(1, ValType::I32)]);
    f.instruction(&I::Block(wasm_encoder::BlockType::Empty))
        .instruction(&I::Loop(wasm_encoder::BlockType::Empty))
        .instruction(&I::LocalGet(1))
        .instruction(&I::I32Eqz)
        .instruction(&I::BrIf(1))
        .instruction(&I::LocalGet(1))
        .instruction(&I::I32Const(1))
        .instruction(&I::I32Sub)
        .instruction(&I::LocalSet(1))
        .instruction(&I::LocalGet(0))
        .instruction(&I::LocalGet(1))
        .instruction(&I::I64ExtendI32U)
        .instruction(&I::I64Const(2))
        .instruction(&I::I64Shl)
        .instruction(&I::I64ShrU)
        .instruction(&I::I32WrapI64)
        .instruction(&I::I32Const(15))
        .instruction(&I::I32And)
        .instruction(&I::LocalSet(2))
        .instruction(&I::LocalGet(2))
        .instruction(&I::I32Const(i32::from(b'0')))
        .instruction(&I::I32Add)
        .instruction(&I::LocalGet(2))
        .instruction(&I::I32Const(i32::from(b'a') - 10))
        .instruction(&I::I32Add)
        .instruction(&I::LocalGet(2))
        .instruction(&I::I32Const(10))
        .instruction(&I::I32LtU)
        .instruction(&I::Select)
        .instruction(&I::Call(helpers.put))
        .instruction(&I::Br(0))
        .instruction(&I::End)
        .instruction(&I::End)
        .instruction(&I::End);
    out.code.function(&f);

    // flush(): fd_write(1, the buffer) and start over.
    out.functions.function(t_void);
    let mut f = Function::new([]);
    f.instruction(&I::I32Const(0))
        .instruction(&I::I32Const(BUF as i32))
        .instruction(&I::I32Store(mem0(0, 2)))
        .instruction(&I::I32Const(0))
        .instruction(&I::GlobalGet(cursor))
        .instruction(&I::I32Store(mem0(4, 2)))
        .instruction(&I::I32Const(1))
        .instruction(&I::I32Const(0))
        .instruction(&I::I32Const(1))
        .instruction(&I::I32Const(8))
        .instruction(&I::Call(0))
        .instruction(&I::Drop)
        .instruction(&I::I32Const(0))
        .instruction(&I::GlobalSet(cursor))
        .instruction(&I::End);
    out.code.function(&f);

    // hash_j(): FNV-like hash of memory j's bytes, 8 at a time.
    for (j, memory) in facts.memories.iter().enumerate() {
        let index = j as u32 + 1;
        out.functions.function(t_hash);
        let (i, n, h) = (0, 1, 2);
        let mut f = Function::new([(3, ValType::I64)]);
        f.instruction(&I::MemorySize(index));
        if !memory.memory64 {
            f.instruction(&I::I64ExtendI32U);
        }
        f.instruction(&I::I64Const(16))
            .instruction(&I::I64Shl)
            .instruction(&I::LocalSet(n))
            .instruction(&I::I64Const(0xcbf2_9ce4_8422_2325_u64 as i64))
            .instruction(&I::LocalSet(h))
            .instruction(&I::Block(wasm_encoder::BlockType::Empty))
            .instruction(&I::Loop(wasm_encoder::BlockType::Empty))
            .instruction(&I::LocalGet(i))
            .instruction(&I::LocalGet(n))
            .instruction(&I::I64GeU)
            .instruction(&I::BrIf(1))
            .instruction(&I::LocalGet(h))
            .instruction(&I::LocalGet(i));
        if !memory.memory64 {
            f.instruction(&I::I32WrapI64);
        }
        f.instruction(&I::I64Load(MemArg {
            offset: 0,
            align: 3,
            target: MemArgTarget::Memory(index),
            ordering: None,
        }))
        .instruction(&I::I64Xor)
        .instruction(&I::I64Const(0x0000_0100_0000_01b3))
        .instruction(&I::I64Mul)
        .instruction(&I::I64Const(29))
        .instruction(&I::I64Rotl)
        .instruction(&I::LocalSet(h))
        .instruction(&I::LocalGet(i))
        .instruction(&I::I64Const(8))
        .instruction(&I::I64Add)
        .instruction(&I::LocalSet(i))
        .instruction(&I::Br(0))
        .instruction(&I::End)
        .instruction(&I::End)
        .instruction(&I::LocalGet(h))
        .instruction(&I::End);
        out.code.function(&f);
    }

    // _start.
    out.functions.function(t_void);
    let mut body = Body::new(&helpers);
    let mut called = 0;
    let mut not_called = 0;
    for (index, &ty) in facts.funcs.iter().enumerate() {
        let Some(Some(ty)) = facts.types.get(ty as usize) else {
            return Err(format!("function {index} has no function type"));
        };
        if ty
            .params()
            .iter()
            .any(|p| matches!(p, wasmparser::ValType::Ref(r) if !r.is_nullable()))
        {
            not_called += 1;
            continue;
        }
        called += 1;
        body.text(&format!("c{index}"));
        if let Some(fuel) = fuel {
            body.push(I::I32Const(fuel_per_call));
            body.push(I::GlobalSet(fuel));
        }
        for (p, &param) in ty.params().iter().enumerate() {
            body.argument(param, index + p)?;
        }
        body.push(I::Call(index as u32 + 1));
        let results: Vec<u32> = ty
            .results()
            .iter()
            .map(|&r| body.local(r))
            .collect::<Result<_, _>>()?;
        for &local in results.iter().rev() {
            body.push(I::LocalSet(local));
        }
        for (&local, &r) in results.iter().zip(ty.results()) {
            body.text(" ");
            body.value(r, I::LocalGet(local));
        }
        body.line_end();
        body.text("s");
        for (j, memory) in facts.memories.iter().enumerate() {
            body.text(" m");
            body.push(I::MemorySize(j as u32 + 1));
            if !memory.memory64 {
                body.push(I::I64ExtendI32U);
            }
            body.hex(16);
            body.text(":");
            body.push(I::Call(helpers.hash[j]));
            body.hex(16);
        }
        for (g, &ty) in facts.globals.iter().enumerate() {
            body.text(" ");
            body.value(ty, I::GlobalGet(g as u32));
        }
        body.line_end();
    }
    let mut f = Function::new(body.locals.iter().map(|&t| (1, t)));
    for instruction in &body.code {
        f.instruction(instruction);
    }
    f.instruction(&I::End);
    out.code.function(&f);
    Ok((called, not_called))
}

/// `_start`'s code and locals as they are built.
struct Body<'h> {
    helpers: &'h Helpers,
    code: Vec<I<'static>>,
    locals: Vec<ValType>,
}

impl<'h> Body<'h> {
    fn new(helpers: &'h Helpers) -> Self {
        Body {
            helpers,
            code: Vec::new(),
            locals: Vec::new(),
        }
    }

    fn push(&mut self, instruction: I<'static>) {
        self.code.push(instruction);
    }

    fn local(&mut self, ty: wasmparser::ValType) -> Result<u32, String> {
        self.locals.push(Shift.val_type(ty).map_err(wrap_err)?);
        Ok(self.locals.len() as u32 - 1)
    }

    fn text(&mut self, s: &str) {
        for b in s.bytes() {
            self.push(I::I32Const(b.into()));
            self.push(I::Call(self.helpers.put));
        }
    }

    /// Prints the i64 on the stack as `digits` hex digits.
    fn hex(&mut self, digits: i32) {
        self.push(I::I32Const(digits));
        self.push(I::Call(self.helpers.hex));
    }

    fn line_end(&mut self) {
        self.text("\n");
        self.push(I::Call(self.helpers.flush));
    }

    /// Prints the value `get` pushes, of type `ty`: a letter naming the
    /// type, then its bits in hex (a v128 as its two i64 lanes, high first;
    /// a reference as whether it is null).
    fn value(&mut self, ty: wasmparser::ValType, get: I<'static>) {
        use wasmparser::ValType as T;
        // (letter, instructions turning the value into an i64, hex digits)
        let (letter, to_i64, digits): (&str, &[I<'static>], i32) = match ty {
            T::I32 => ("i", &[I::I64ExtendI32U], 8),
            T::I64 => ("I", &[], 16),
            T::F32 => ("f", &[I::I32ReinterpretF32, I::I64ExtendI32U], 8),
            T::F64 => ("F", &[I::I64ReinterpretF64], 16),
            T::Ref(_) => ("r", &[I::RefIsNull, I::I64ExtendI32U], 1),
            T::V128 => {
                self.text("v");
                for lane in [1, 0] {
                    self.push(get.clone());
                    self.push(I::I64x2ExtractLane(lane));
                    self.hex(16);
                }
                return;
            }
        };
        self.text(letter);
        self.push(get);
        for instruction in to_i64 {
            self.push(instruction.clone());
        }
        self.hex(digits);
    }

    /// Pushes the fixed argument number `k` of type `ty`.
    fn argument(&mut self, ty: wasmparser::ValType, k: usize) -> Result<(), String> {
        use wasmparser::ValType as T;
        let k = k % 6;
        let instruction = match ty {
            T::I32 => I::I32Const([0, 1, -1, i32::MAX, i32::MIN, 100][k]),
            T::I64 => I::I64Const([0, 1, -1, i64::MAX, i64::MIN, 100][k]),
            T::F32 => I::F32Const([0.0, 1.5, -0.0, f32::INFINITY, f32::NAN, -3.25][k].into()),
            T::F64 => I::F64Const([0.0, 1.5, -0.0, f64::INFINITY, f64::NAN, -3.25][k].into()),
            T::V128 => I::V128Const(
                [
                    0,
                    1,
                    -1,
                    0x0123_4567_89ab_cdef_fedc_ba98_7654_3210,
                    0x7fc0_0000_3f80_0000_8000_0000_ffff_ffff,
                    i128::MIN,
                ][k],
            ),
            T::Ref(r) => I::RefNull(Shift.heap_type(r.heap_type()).map_err(wrap_err)?),
        };
        self.push(instruction);
        Ok(())
    }
}
