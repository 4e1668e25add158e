//! The built-in linker: one compiled module object + the runtime static
//! library → a static ELF executable, with no C toolchain.
//!
//! Its inputs always have the same shape, so it does only what they need:
//!
//! * **Members.** The module object is always linked; archive members are
//!   taken when they define a symbol still undefined (starting from
//!   `_start` and the module's undefined symbols, repeated to a fixed
//!   point), as `ld` does for an archive. Members are then used in archive
//!   order, so the output does not depend on the order they were found in.
//! * **COMDAT groups.** The first group of each signature (module first,
//!   then members in archive order) is kept, later copies are discarded with
//!   all their sections and symbols.
//! * **Symbols.** A strong definition wins over a weak one; two strong
//!   definitions are an error. A strong reference that nothing defines is
//!   an error naming the symbol; a weak one resolves to 0. Common symbols
//!   and indirect functions are refused.
//! * **Sections.** Only sections reachable through relocations from the
//!   module's allocated sections and `_start` are kept (as
//!   `--gc-sections`). `.eh_frame` is never kept: nothing unwinds (the
//!   runtime is `panic = "abort"`; backtraces walk frame pointers and use
//!   the module's name section), and non-allocated sections (`.debug*`,
//!   `.comment`, notes) are not part of a program. Mergeable strings are
//!   copied as they are, not deduplicated. Thread-local storage is refused.
//! * **Layout.** An `ET_EXEC` at the architecture's usual base: one read-only
//!   segment (ELF and program headers, read-only data, the GOT), one
//!   read+execute segment (code), one read+write segment (data, then zeroed
//!   data), each starting on a page, no segment both writable and
//!   executable, and a non-executable `PT_GNU_STACK`. Every address is the
//!   base plus the file offset, so any section alignment holds in the file
//!   too. Sections keep their input order within a kind.
//! * **GOT.** Each symbol reached through a GOT relocation gets one 8-byte
//!   entry holding its final address, written at link time: the executable
//!   is static, so the GOT needs no run-time relocation and lives in the
//!   read-only segment.
//! * **Symbol table.** The function and object symbols of the kept
//!   sections, for debuggers and profilers (nothing at run time reads it).
//!
//! What each relocation type means is the architecture's table ([`Arch`]);
//! this file knows none of them. An unsupported type, a value that does not
//! fit its field or an undefined symbol is a one-line error, never a
//! silently wrong executable. The output depends only on the inputs: no
//! hash-map order, time or path reaches it.

use anyhow::{Context, Result, anyhow, bail};
use object::LittleEndian;
use object::elf;
use object::read::archive::ArchiveFile;
use object::read::elf::{
    FileHeader, Rela as _, SectionHeader, SectionTable, Sym as _, SymbolTable,
};
use object::write::WritableBuffer;
use object::write::elf as out;
use std::collections::HashMap;

type Elf = elf::FileHeader64<LittleEndian>;
const LE: LittleEndian = LittleEndian;

/// What the linker needs to know about one target architecture.
pub struct Arch {
    /// `e_machine` of its objects and of the executable.
    pub machine: u16,
    /// The page size segments are aligned to.
    pub page_size: u64,
    /// The address the executable is loaded at.
    pub base: u64,
    /// Whether a relocation type addresses its symbol's GOT entry.
    pub needs_got: fn(u32) -> bool,
    /// Applies a relocation of the given type to its place.
    pub apply: fn(u32, Place<'_>) -> Result<(), RelocError>,
    /// The ABI's name of a relocation type, for error messages.
    pub type_name: fn(u32) -> String,
}

/// One relocation to apply: the bytes from its offset to the end of its
/// section and the values the formulas use.
pub struct Place<'a> {
    pub bytes: &'a mut [u8],
    /// S: the symbol's address.
    pub symbol: u64,
    /// A: the addend.
    pub addend: i64,
    /// P: the address of the place.
    pub address: u64,
    /// The address of the symbol's GOT entry, for types that use one.
    pub got: Option<u64>,
}

/// Why a relocation could not be applied.
#[derive(Debug, PartialEq, Eq)]
pub enum RelocError {
    /// The type is not one the linker implements.
    Unsupported,
    /// The value does not fit the field.
    Overflow,
    /// The field reaches past the end of its section.
    OutOfSection,
    /// The value is not a multiple of what the field encodes (a branch
    /// offset, a scaled load or store offset).
    Misaligned,
}

/// A parsed input object.
struct Input<'a> {
    name: String,
    data: &'a [u8],
    sections: SectionTable<'a, Elf>,
    symbols: SymbolTable<'a, Elf>,
    /// For each section, the relocation sections that apply to it.
    relas: Vec<Vec<usize>>,
    /// For each section, whether it belongs to a discarded COMDAT copy.
    discarded: Vec<bool>,
}

impl<'a> Input<'a> {
    fn parse(arch: &Arch, name: String, data: &'a [u8]) -> Result<Input<'a>> {
        let invalid = |e: object::read::Error| anyhow!("{name}: invalid object: {e}");
        let header = Elf::parse(data).map_err(invalid)?;
        if header.e_type(LE) != elf::ET_REL {
            bail!("{name}: not a relocatable object");
        }
        if header.e_machine(LE) != arch.machine {
            bail!(
                "{name}: object for machine {} where {} was expected",
                header.e_machine(LE),
                arch.machine
            );
        }
        let sections = header.sections(LE, data).map_err(invalid)?;
        let symbols = sections
            .symbols(LE, data, elf::SHT_SYMTAB)
            .map_err(invalid)?;
        let mut relas = vec![Vec::new(); sections.len()];
        for (index, section) in sections.enumerate() {
            match section.sh_type(LE) {
                elf::SHT_RELA => {
                    let target = section.sh_info(LE) as usize;
                    relas
                        .get_mut(target)
                        .ok_or_else(|| anyhow!("{name}: relocations for a missing section"))?
                        .push(index.0);
                }
                elf::SHT_REL => bail!("{name}: REL relocations are not supported"),
                _ => {}
            }
        }
        let discarded = vec![false; sections.len()];
        Ok(Input {
            name,
            data,
            sections,
            symbols,
            relas,
            discarded,
        })
    }

    fn section(&self, index: usize) -> Result<&'a elf::SectionHeader64<LittleEndian>> {
        self.sections
            .section(object::SectionIndex(index))
            .map_err(|e| anyhow!("{}: {e}", self.name))
    }

    fn section_name(&self, index: usize) -> String {
        self.section(index)
            .ok()
            .and_then(|s| self.sections.section_name(LE, s).ok())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_else(|| format!("section {index}"))
    }

    fn symbol(&self, index: usize) -> Result<&'a elf::Sym64<LittleEndian>> {
        self.symbols
            .symbol(object::SymbolIndex(index))
            .map_err(|e| anyhow!("{}: {e}", self.name))
    }

    fn symbol_name(&self, symbol: &elf::Sym64<LittleEndian>) -> Result<&'a [u8]> {
        self.symbols
            .symbol_name(LE, symbol)
            .map_err(|e| anyhow!("{}: {e}", self.name))
    }

    /// Where a defined symbol lives: `Some(section)`, or `None` for an
    /// absolute symbol. Undefined and common symbols are errors here.
    fn symbol_section(
        &self,
        index: usize,
        symbol: &elf::Sym64<LittleEndian>,
    ) -> Result<Option<usize>> {
        match symbol.st_shndx(LE) {
            elf::SHN_ABS => Ok(None),
            elf::SHN_COMMON => bail!(
                "{}: common symbol `{}` is not supported",
                self.name,
                String::from_utf8_lossy(self.symbol_name(symbol)?)
            ),
            _ => match self
                .symbols
                .symbol_section(LE, symbol, object::SymbolIndex(index))
                .map_err(|e| anyhow!("{}: {e}", self.name))?
            {
                Some(section) if section.0 < self.sections.len() => Ok(Some(section.0)),
                _ => bail!("{}: symbol {index} has no valid section", self.name),
            },
        }
    }

    /// The names of the symbols this object defines (not in discarded
    /// sections) and of those it references strongly without defining.
    fn globals(&self) -> (Vec<&'a [u8]>, Vec<&'a [u8]>) {
        let (mut defined, mut undefined) = (Vec::new(), Vec::new());
        for symbol in self.symbols.iter() {
            if symbol.st_bind() == elf::STB_LOCAL {
                continue;
            }
            let Ok(name) = self.symbols.symbol_name(LE, symbol) else {
                continue;
            };
            if symbol.st_shndx(LE) != elf::SHN_UNDEF {
                defined.push(name);
            } else if symbol.st_bind() != elf::STB_WEAK {
                undefined.push(name);
            }
        }
        (defined, undefined)
    }
}

/// The winning definition of a global symbol.
#[derive(Clone, Copy)]
struct Def {
    file: usize,
    symbol: usize,
    /// `None` for an absolute symbol.
    section: Option<usize>,
    value: u64,
    weak: bool,
}

/// What a relocation's symbol resolves to.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    Section {
        file: usize,
        section: usize,
        value: u64,
    },
    Absolute(u64),
}

/// Where each kind of section goes, in layout order.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Rodata,
    Text,
    Data,
    Bss,
}

const KINDS: [Kind; 4] = [Kind::Rodata, Kind::Text, Kind::Data, Kind::Bss];

impl Kind {
    fn of(section: &elf::SectionHeader64<LittleEndian>) -> Option<Kind> {
        let flags = section.sh_flags(LE);
        if flags & u64::from(elf::SHF_TLS) != 0 {
            return None;
        }
        Some(if section.sh_type(LE) == elf::SHT_NOBITS {
            Kind::Bss
        } else if flags & u64::from(elf::SHF_EXECINSTR) != 0 {
            Kind::Text
        } else if flags & u64::from(elf::SHF_WRITE) != 0 {
            Kind::Data
        } else {
            Kind::Rodata
        })
    }

    fn section_name(self) -> &'static [u8] {
        match self {
            Kind::Rodata => b".rodata",
            Kind::Text => b".text",
            Kind::Data => b".data",
            Kind::Bss => b".bss",
        }
    }
}

fn align(value: u64, align: u64) -> u64 {
    value.next_multiple_of(align.max(1))
}

/// Links `module` (a relocatable object) with the members of `archive` it
/// needs into a static executable whose entry point is `_start`, written
/// to `output` from its first byte to its last.
pub fn link(
    arch: &Arch,
    module: &[u8],
    archive: &[u8],
    output: &mut dyn WritableBuffer,
) -> Result<()> {
    let mut inputs = vec![Input::parse(arch, "the module object".into(), module)?];
    let archive_file =
        ArchiveFile::parse(archive).map_err(|e| anyhow!("invalid runtime library: {e}"))?;
    for member in archive_file.members() {
        let member = member.map_err(|e| anyhow!("invalid runtime library: {e}"))?;
        let data = member
            .data(archive)
            .map_err(|e| anyhow!("invalid runtime library: {e}"))?;
        if !data.starts_with(&elf::ELFMAG) {
            continue;
        }
        let name = format!(
            "runtime library member {}",
            String::from_utf8_lossy(member.name())
        );
        inputs.push(Input::parse(arch, name, data)?);
    }

    let order = select_members(&inputs);
    discard_comdat_copies(&mut inputs, &order)?;
    let globals = resolve_globals(&inputs, &order)?;
    let start = *globals
        .get(&b"_start"[..])
        .context("undefined symbol `_start` (the runtime's entry point)")?;
    let kept = collect_sections(&inputs, &order, &globals, start)?;

    // Every GOT entry, in a deterministic order: first use.
    let mut got: Vec<Target> = Vec::new();
    let mut got_index: HashMap<Target, usize> = HashMap::new();
    for &(file, section) in &kept {
        for_each_rela(&inputs[file], section, |r_type, _, target_sym, _| {
            if (arch.needs_got)(r_type) {
                let target = resolve(&inputs, &globals, file, target_sym)?;
                got_index.entry(target).or_insert_with(|| {
                    got.push(target);
                    got.len() - 1
                });
            }
            Ok(())
        })?;
    }

    // Layout: addresses are the base plus file offsets.
    let has_kind = |kind| {
        kept.iter()
            .any(|&(f, s)| inputs[f].section(s).ok().and_then(Kind::of) == Some(kind))
    };
    let has_text = has_kind(Kind::Text);
    let has_rw = has_kind(Kind::Data) || has_kind(Kind::Bss);
    let program_headers = 2 + u64::from(has_text) + u64::from(has_rw);
    let headers = 64 + 56 * program_headers;
    let mut address: HashMap<(usize, usize), u64> = HashMap::new();
    let mut ranges = Vec::new(); // (kind, start offset, end offset or address)
    let mut cursor = headers;
    let mut got_offset = 0;
    let mut segment_start = [0u64; 4];
    let mut segment_end = [0u64; 4];
    for (k, kind) in KINDS.into_iter().enumerate() {
        if kind == Kind::Text || (kind == Kind::Data && has_rw) {
            cursor = align(cursor, arch.page_size);
        }
        segment_start[k] = cursor;
        let mut max_align = 1;
        for &(file, section) in &kept {
            let header = inputs[file].section(section)?;
            if Kind::of(header) != Some(kind) {
                continue;
            }
            let section_align = header.sh_addralign(LE).max(1);
            max_align = max_align.max(section_align);
            cursor = align(cursor, section_align);
            address.insert((file, section), arch.base + cursor);
            cursor = cursor
                .checked_add(header.sh_size(LE))
                .context("the executable is too large")?;
        }
        if cursor > segment_start[k] {
            ranges.push((kind, segment_start[k], cursor, max_align));
        }
        if kind == Kind::Rodata {
            cursor = align(cursor, 8);
            got_offset = cursor;
            cursor += 8 * got.len() as u64;
        }
        segment_end[k] = cursor;
    }
    let [_, text_start, data_start, bss_start] = segment_start;
    let [rodata_end, text_end, _, memory_end] = segment_end;
    let file_end = bss_start;
    // Compiled code reaches memory 0 at a fixed address above the image.
    if arch.base + memory_end > wasi_aot_abi::MEMORY0_ADDRESS {
        bail!(
            "the executable is too large: its image would reach {:#x}, where linear memory 0 starts",
            wasi_aot_abi::MEMORY0_ADDRESS
        );
    }

    // The loaded image is written piece by piece: each section's bytes
    // (relocated in a scratch buffer when it has relocations, else straight
    // from its input) and the GOT, in file order, zeros between them. Never
    // the whole image at once: beside the module object it would double
    // what a big module's link holds in memory.
    let mut pieces: Vec<(u64, Piece)> = Vec::with_capacity(kept.len() + 1);
    for &(file, section) in &kept {
        let input = &inputs[file];
        if input.section(section)?.sh_type(LE) != elf::SHT_NOBITS {
            pieces.push((
                address[&(file, section)] - arch.base,
                Piece::Section(file, section),
            ));
        } else if !input.relas[section].is_empty() {
            bail!(
                "{}: relocations for the zeroed section {}",
                input.name,
                input.section_name(section)
            );
        }
    }
    if !got.is_empty() {
        pieces.push((got_offset, Piece::Got));
    }
    pieces.sort_by_key(|&(offset, _)| offset);
    let relocator = Relocator {
        arch,
        inputs: &inputs,
        globals: &globals,
        address: &address,
        got_index: &got_index,
        got_address: arch.base + got_offset,
    };

    // Program headers.
    let load = |flags, start: u64, file_end: u64, memory_end: u64| out::ProgramHeader {
        p_type: elf::PT_LOAD,
        p_flags: flags,
        p_offset: start,
        p_vaddr: arch.base + start,
        p_paddr: arch.base + start,
        p_filesz: file_end - start,
        p_memsz: memory_end - start,
        p_align: arch.page_size,
    };
    let mut segments = vec![load(elf::PF_R, 0, rodata_end, rodata_end)];
    if has_text {
        segments.push(load(elf::PF_R | elf::PF_X, text_start, text_end, text_end));
    }
    if has_rw {
        segments.push(load(
            elf::PF_R | elf::PF_W,
            data_start,
            file_end,
            memory_end,
        ));
    }
    segments.push(out::ProgramHeader {
        p_type: elf::PT_GNU_STACK,
        p_flags: elf::PF_R | elf::PF_W,
        p_offset: 0,
        p_vaddr: 0,
        p_paddr: 0,
        p_filesz: 0,
        p_memsz: 0,
        p_align: 16,
    });
    debug_assert_eq!(segments.len() as u64, program_headers);

    write_executable(
        output,
        arch,
        &inputs,
        &order,
        &globals,
        Layout {
            kept: &kept,
            address: &address,
            headers,
            file_size: file_end,
            pieces: &pieces,
            relocator: &relocator,
            got: &got,
            got_offset,
            segments: &segments,
            ranges: &ranges,
            entry: relocator.address_of(def_target(start)),
        },
    )
}

/// One piece of the loaded image, at its file offset.
#[derive(Clone, Copy)]
enum Piece {
    /// A kept section's bytes: input file, section index.
    Section(usize, usize),
    /// Every GOT entry.
    Got,
}

/// Resolves relocations to final addresses and applies them.
struct Relocator<'a, 'i> {
    arch: &'a Arch,
    inputs: &'a [Input<'i>],
    globals: &'a HashMap<&'i [u8], Def>,
    address: &'a HashMap<(usize, usize), u64>,
    got_index: &'a HashMap<Target, usize>,
    got_address: u64,
}

impl<'i> Relocator<'_, 'i> {
    fn address_of(&self, target: Target) -> u64 {
        match target {
            Target::Section {
                file,
                section,
                value,
            } => self.address[&(file, section)].wrapping_add(value),
            Target::Absolute(value) => value,
        }
    }

    /// Section `section` of input `file` as it goes in the executable: its
    /// input bytes, or, when it has relocations, a copy in `scratch` with
    /// them applied.
    fn section_bytes<'s>(
        &self,
        file: usize,
        section: usize,
        scratch: &'s mut Vec<u8>,
    ) -> Result<&'s [u8]>
    where
        'i: 's,
    {
        let input = &self.inputs[file];
        let header = input.section(section)?;
        let data = header.data(LE, input.data).map_err(|_| {
            anyhow!(
                "{}: invalid section {}",
                input.name,
                input.section_name(section)
            )
        })?;
        if input.relas[section].is_empty() {
            return Ok(data);
        }
        scratch.clear();
        scratch.extend_from_slice(data);
        let section_address = self.address[&(file, section)];
        let size = data.len();
        for_each_rela(input, section, |r_type, offset, target_sym, addend| {
            let type_name = (self.arch.type_name)(r_type);
            let describe = || {
                let symbol = input
                    .symbol(target_sym)
                    .and_then(|s| input.symbol_name(s))
                    .map(|n| String::from_utf8_lossy(n).into_owned())
                    .unwrap_or_default();
                format!(
                    "{type_name} against `{symbol}` in {} of {}",
                    input.section_name(section),
                    input.name
                )
            };
            if offset >= size as u64 {
                bail!("relocation {} is outside its section", describe());
            }
            let target = resolve(self.inputs, self.globals, file, target_sym)?;
            let got = self
                .got_index
                .get(&target)
                .filter(|_| (self.arch.needs_got)(r_type))
                .map(|&i| self.got_address + 8 * i as u64);
            let place = Place {
                bytes: &mut scratch[offset as usize..],
                symbol: self.address_of(target),
                addend,
                address: section_address + offset,
                got,
            };
            (self.arch.apply)(r_type, place).map_err(|e| match e {
                RelocError::Unsupported => anyhow!("unsupported relocation {}", describe()),
                RelocError::Overflow => anyhow!("relocation {} is out of range", describe()),
                RelocError::OutOfSection => {
                    anyhow!("relocation {} is outside its section", describe())
                }
                RelocError::Misaligned => anyhow!("relocation {} is misaligned", describe()),
            })
        })?;
        Ok(scratch)
    }
}

/// Chooses the archive members to link: those defining a symbol still
/// undefined, to a fixed point. Returns the inputs to link in order.
fn select_members(inputs: &[Input<'_>]) -> Vec<usize> {
    let mut provider: HashMap<&[u8], usize> = HashMap::new();
    let mut undefined_of = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let (defined, undefined) = input.globals();
        if i > 0 {
            for name in defined {
                provider.entry(name).or_insert(i);
            }
        }
        undefined_of.push(undefined);
    }
    let mut loaded = vec![false; inputs.len()];
    loaded[0] = true;
    let mut wanted: Vec<&[u8]> = vec![b"_start"];
    wanted.extend(undefined_of[0].iter().copied());
    let (module_defined, _) = inputs[0].globals();
    let mut defined: std::collections::HashSet<&[u8]> = module_defined.into_iter().collect();
    while let Some(name) = wanted.pop() {
        if defined.contains(name) {
            continue;
        }
        let Some(&member) = provider.get(name) else {
            continue;
        };
        if loaded[member] {
            continue;
        }
        loaded[member] = true;
        defined.extend(inputs[member].globals().0);
        wanted.extend(undefined_of[member].iter().copied());
    }
    (0..inputs.len()).filter(|&i| loaded[i]).collect()
}

/// Marks the sections of every COMDAT group whose signature an earlier
/// input already provided.
fn discard_comdat_copies(inputs: &mut [Input<'_>], order: &[usize]) -> Result<()> {
    let mut seen: std::collections::HashSet<Vec<u8>> = std::collections::HashSet::new();
    for &file in order {
        let input = &inputs[file];
        let mut discard = Vec::new();
        for (_, section) in input.sections.enumerate() {
            let Some((flags, members)) = section
                .group(LE, input.data)
                .map_err(|e| anyhow!("{}: {e}", input.name))?
            else {
                continue;
            };
            if flags & elf::GRP_COMDAT == 0 {
                continue;
            }
            let signature = input.symbol(section.sh_info(LE) as usize)?;
            let signature = input.symbol_name(signature)?.to_vec();
            if !seen.insert(signature) {
                discard.extend(members.iter().map(|m| m.get(LE) as usize));
            }
        }
        let input = &mut inputs[file];
        for section in discard {
            if let Some(flag) = input.discarded.get_mut(section) {
                *flag = true;
            }
        }
    }
    Ok(())
}

/// The winning definition of every global symbol of the linked inputs.
fn resolve_globals<'a>(inputs: &[Input<'a>], order: &[usize]) -> Result<HashMap<&'a [u8], Def>> {
    let mut globals: HashMap<&'a [u8], Def> = HashMap::new();
    for &file in order {
        let input = &inputs[file];
        for (index, symbol) in input.symbols.enumerate() {
            let bind = symbol.st_bind();
            if bind == elf::STB_LOCAL || symbol.st_shndx(LE) == elf::SHN_UNDEF {
                continue;
            }
            let name = input.symbol_name(symbol)?;
            if symbol.st_type() == elf::STT_GNU_IFUNC {
                bail!(
                    "{}: indirect function `{}` is not supported",
                    input.name,
                    String::from_utf8_lossy(name)
                );
            }
            let section = input.symbol_section(index.0, symbol)?;
            if section.is_some_and(|s| input.discarded[s]) {
                continue;
            }
            let def = Def {
                file,
                symbol: index.0,
                section,
                value: symbol.st_value(LE),
                weak: bind == elf::STB_WEAK,
            };
            match globals.get(name) {
                None => {
                    globals.insert(name, def);
                }
                Some(old) if old.weak && !def.weak => {
                    globals.insert(name, def);
                }
                Some(old) if !old.weak && !def.weak => bail!(
                    "symbol `{}` is defined twice: in {} and in {}",
                    String::from_utf8_lossy(name),
                    inputs[old.file].name,
                    input.name
                ),
                Some(_) => {}
            }
        }
    }
    Ok(globals)
}

fn def_target(def: Def) -> Target {
    match def.section {
        Some(section) => Target::Section {
            file: def.file,
            section,
            value: def.value,
        },
        None => Target::Absolute(def.value),
    }
}

/// What symbol `index` of input `file` resolves to.
fn resolve(
    inputs: &[Input<'_>],
    globals: &HashMap<&[u8], Def>,
    file: usize,
    index: usize,
) -> Result<Target> {
    if index == 0 {
        return Ok(Target::Absolute(0));
    }
    let input = &inputs[file];
    let symbol = input.symbol(index)?;
    if symbol.st_bind() == elf::STB_LOCAL {
        if symbol.st_shndx(LE) == elf::SHN_UNDEF {
            bail!("{}: local symbol {index} is undefined", input.name);
        }
        return match input.symbol_section(index, symbol)? {
            Some(section) if input.discarded[section] => bail!(
                "{}: reference to {}, a discarded COMDAT copy",
                input.name,
                input.section_name(section)
            ),
            Some(section) => Ok(Target::Section {
                file,
                section,
                value: symbol.st_value(LE),
            }),
            None => Ok(Target::Absolute(symbol.st_value(LE))),
        };
    }
    let name = input.symbol_name(symbol)?;
    match globals.get(name) {
        Some(&def) => Ok(def_target(def)),
        None if symbol.st_bind() == elf::STB_WEAK => Ok(Target::Absolute(0)),
        None => bail!(
            "undefined symbol `{}` (referenced from {})",
            String::from_utf8_lossy(name),
            input.name
        ),
    }
}

/// Calls `f(type, offset, symbol, addend)` for each relocation that applies
/// to `section` of `input`.
fn for_each_rela(
    input: &Input<'_>,
    section: usize,
    mut f: impl FnMut(u32, u64, usize, i64) -> Result<()>,
) -> Result<()> {
    for &rela_section in &input.relas[section] {
        let header = input.section(rela_section)?;
        let Some((relas, _)) = header
            .rela(LE, input.data)
            .map_err(|e| anyhow!("{}: {e}", input.name))?
        else {
            continue;
        };
        for rela in relas {
            f(
                rela.r_type(LE, false),
                rela.r_offset(LE),
                rela.r_sym(LE, false) as usize,
                rela.r_addend(LE),
            )?;
        }
    }
    Ok(())
}

/// The sections to link, in layout order within each kind: those
/// reachable from the module's allocated sections and `_start`.
fn collect_sections(
    inputs: &[Input<'_>],
    order: &[usize],
    globals: &HashMap<&[u8], Def>,
    start: Def,
) -> Result<Vec<(usize, usize)>> {
    let mut kept: Vec<Vec<bool>> = inputs
        .iter()
        .map(|i| vec![false; i.sections.len()])
        .collect();
    let mut work = Vec::new();
    let mut keep = |file: usize, section: usize, work: &mut Vec<(usize, usize)>| -> Result<()> {
        if kept[file][section] {
            return Ok(());
        }
        let input = &inputs[file];
        let header = input.section(section)?;
        if header.sh_flags(LE) & u64::from(elf::SHF_ALLOC) == 0 {
            bail!(
                "{}: {} is referenced but not part of the program",
                input.name,
                input.section_name(section)
            );
        }
        if Kind::of(header).is_none() {
            bail!(
                "{}: thread-local storage ({}) is not supported",
                input.name,
                input.section_name(section)
            );
        }
        kept[file][section] = true;
        work.push((file, section));
        Ok(())
    };
    let module = &inputs[0];
    for (index, header) in module.sections.enumerate() {
        let alloc = header.sh_flags(LE) & u64::from(elf::SHF_ALLOC) != 0;
        let name = module.sections.section_name(LE, header).unwrap_or_default();
        if alloc && !module.discarded[index.0] && name != b".eh_frame" {
            keep(0, index.0, &mut work)?;
        }
    }
    if let Some(section) = start.section {
        keep(start.file, section, &mut work)?;
    }
    while let Some((file, section)) = work.pop() {
        for_each_rela(&inputs[file], section, |_, _, symbol, _| {
            if let Target::Section { file, section, .. } = resolve(inputs, globals, file, symbol)? {
                keep(file, section, &mut work)?;
            }
            Ok(())
        })?;
    }
    Ok(order
        .iter()
        .flat_map(|&file| (0..inputs[file].sections.len()).map(move |s| (file, s)))
        .filter(|&(file, section)| kept[file][section])
        .collect())
}

/// The computed layout handed to the ELF writer.
struct Layout<'a> {
    /// The linked sections, in layout order within each kind.
    kept: &'a [(usize, usize)],
    /// Each linked section's address.
    address: &'a HashMap<(usize, usize), u64>,
    headers: u64,
    /// Where the loaded image ends in the file (zeroed data follows in
    /// memory only).
    file_size: u64,
    /// What the image holds between the headers and `file_size`, in file
    /// order.
    pieces: &'a [(u64, Piece)],
    relocator: &'a Relocator<'a, 'a>,
    /// The GOT's entries, 8 bytes each from `got_offset`.
    got: &'a [Target],
    got_offset: u64,
    segments: &'a [out::ProgramHeader],
    /// Each kind's (kind, start offset, end offset, alignment).
    ranges: &'a [(Kind, u64, u64, u64)],
    entry: u64,
}

fn write_executable(
    output: &mut dyn WritableBuffer,
    arch: &Arch,
    inputs: &[Input<'_>],
    order: &[usize],
    globals: &HashMap<&[u8], Def>,
    layout: Layout<'_>,
) -> Result<()> {
    let Layout { kept, address, .. } = layout;
    let mut w = out::Writer::new(object::Endianness::Little, true, output);
    w.reserve_file_header();
    w.reserve_program_headers(layout.segments.len() as u32);
    debug_assert_eq!(w.reserved_len() as u64, layout.headers);
    let file_size = usize::try_from(layout.file_size).context("the executable is too large")?;
    w.reserve_until(file_size);

    // Section headers: one per kind, and the GOT.
    w.reserve_null_section_index();
    let mut sections = Vec::new();
    for &(kind, start, end, align) in layout.ranges {
        let name = w.add_section_name(kind.section_name());
        let index = w.reserve_section_index();
        let (sh_type, flags) = match kind {
            Kind::Rodata => (elf::SHT_PROGBITS, elf::SHF_ALLOC),
            Kind::Text => (elf::SHT_PROGBITS, elf::SHF_ALLOC | elf::SHF_EXECINSTR),
            Kind::Data => (elf::SHT_PROGBITS, elf::SHF_ALLOC | elf::SHF_WRITE),
            Kind::Bss => (elf::SHT_NOBITS, elf::SHF_ALLOC | elf::SHF_WRITE),
        };
        sections.push((
            kind,
            index,
            out::SectionHeader {
                name: Some(name),
                sh_type,
                sh_flags: u64::from(flags),
                sh_addr: arch.base + start,
                sh_offset: start.min(layout.file_size),
                sh_size: end - start,
                sh_link: 0,
                sh_info: 0,
                sh_addralign: align,
                sh_entsize: 0,
            },
        ));
    }
    let got_header = (!layout.got.is_empty()).then(|| {
        let name = w.add_section_name(b".got");
        w.reserve_section_index();
        out::SectionHeader {
            name: Some(name),
            sh_type: elf::SHT_PROGBITS,
            sh_flags: u64::from(elf::SHF_ALLOC),
            sh_addr: arch.base + layout.got_offset,
            sh_offset: layout.got_offset,
            sh_size: 8 * layout.got.len() as u64,
            sh_link: 0,
            sh_info: 0,
            sh_addralign: 8,
            sh_entsize: 8,
        }
    });
    let output_section = |file: usize, section: usize| -> Option<out::SectionIndex> {
        let kind = Kind::of(inputs[file].section(section).ok()?)?;
        sections.iter().find(|s| s.0 == kind).map(|s| s.1)
    };

    // Symbols: named functions and objects of kept sections, locals first.
    let mut kept_set = std::collections::HashSet::new();
    kept_set.extend(kept.iter().copied());
    let mut symbols = Vec::new();
    let mut num_local = 1;
    for pass_local in [true, false] {
        for &file in order {
            let input = &inputs[file];
            for (index, symbol) in input.symbols.enumerate() {
                let local = symbol.st_bind() == elf::STB_LOCAL;
                if local != pass_local
                    || !matches!(symbol.st_type(), elf::STT_FUNC | elf::STT_OBJECT)
                    || matches!(
                        symbol.st_shndx(LE),
                        elf::SHN_UNDEF | elf::SHN_ABS | elf::SHN_COMMON
                    )
                {
                    continue;
                }
                let Ok(name) = input.symbol_name(symbol) else {
                    continue;
                };
                if name.is_empty() {
                    continue;
                }
                if !local
                    && globals
                        .get(name)
                        .is_none_or(|d| (d.file, d.symbol) != (file, index.0))
                {
                    continue;
                }
                let Ok(Some(section)) = input.symbol_section(index.0, symbol) else {
                    continue;
                };
                if !kept_set.contains(&(file, section)) {
                    continue;
                }
                let Some(out_section) = output_section(file, section) else {
                    continue;
                };
                symbols.push((
                    name,
                    out_section,
                    symbol.st_info(),
                    address[&(file, section)] + symbol.st_value(LE),
                    symbol.st_size(LE),
                ));
                num_local += u32::from(local);
            }
        }
    }
    w.reserve_null_symbol_index();
    let symbols: Vec<_> = symbols
        .into_iter()
        .map(|(name, section, info, value, size)| {
            let name = w.add_string(name);
            w.reserve_symbol_index(Some(section));
            (name, section, info, value, size)
        })
        .collect();
    w.reserve_symtab_section_index();
    w.reserve_strtab_section_index();
    w.reserve_shstrtab_section_index();
    w.reserve_symtab();
    w.reserve_strtab();
    w.reserve_shstrtab();
    w.reserve_section_headers();

    w.write_file_header(&out::FileHeader {
        os_abi: elf::ELFOSABI_NONE,
        abi_version: 0,
        e_type: elf::ET_EXEC,
        e_machine: arch.machine,
        e_entry: layout.entry,
        e_flags: 0,
    })
    .map_err(|e| anyhow!("cannot write the executable: {e}"))?;
    w.write_align_program_headers();
    for segment in layout.segments {
        w.write_program_header(segment);
    }
    let mut scratch = Vec::new();
    for &(offset, piece) in layout.pieces {
        w.pad_until(offset as usize);
        match piece {
            Piece::Section(file, section) => {
                w.write(
                    layout
                        .relocator
                        .section_bytes(file, section, &mut scratch)?,
                );
            }
            Piece::Got => {
                for &target in layout.got {
                    w.write(&layout.relocator.address_of(target).to_le_bytes());
                }
            }
        }
    }
    w.pad_until(file_size);
    w.write_null_symbol();
    for &(name, section, st_info, st_value, st_size) in &symbols {
        w.write_symbol(&out::Sym {
            name: Some(name),
            section: Some(section),
            st_info,
            st_other: elf::STV_DEFAULT,
            st_shndx: 0,
            st_value,
            st_size,
        });
    }
    w.write_strtab();
    w.write_shstrtab();
    w.write_null_section_header();
    for (_, _, header) in &sections {
        w.write_section_header(header);
    }
    if let Some(header) = &got_header {
        w.write_section_header(header);
    }
    w.write_symtab_section_header(num_local);
    w.write_strtab_section_header();
    w.write_shstrtab_section_header();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::RUNTIME_LIB;
    use crate::link::x86_64::ARCH;
    use object::read::elf::ElfFile64;
    use object::write::{Object, Relocation, StandardSection, Symbol, SymbolSection};
    use object::{
        Architecture, BinaryFormat, Endianness, Object as _, ObjectSymbol, RelocationFlags,
        SymbolFlags, SymbolKind, SymbolScope,
    };

    /// [`super::link`] into memory.
    fn link(arch: &Arch, module: &[u8], archive: &[u8]) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        super::link(arch, module, archive, &mut bytes)?;
        Ok(bytes)
    }

    /// A module object: a function `f` whose bytes 4..8 hold a relocation
    /// of `r_type` against `target`, and the module description the runtime
    /// refers to.
    fn module(target: &str, r_type: u32, addend: i64) -> Vec<u8> {
        let mut obj = Object::new(BinaryFormat::Elf, Architecture::X86_64, Endianness::Little);
        let define = |obj: &mut Object<'_>, name: &str, kind, section, size| {
            let value = obj.append_section_data(section, &vec![0; size as usize], 16);
            obj.add_symbol(Symbol {
                name: name.into(),
                value,
                size,
                kind,
                scope: SymbolScope::Linkage,
                weak: false,
                section: SymbolSection::Section(section),
                flags: SymbolFlags::None,
            })
        };
        let text = obj.section_id(StandardSection::Text);
        let data = obj.section_id(StandardSection::Data);
        define(&mut obj, "f", SymbolKind::Text, text, 16);
        define(
            &mut obj,
            "wasi_aot_module_info",
            SymbolKind::Data,
            data,
            512,
        );
        let symbol = obj.add_symbol(Symbol {
            name: target.into(),
            value: 0,
            size: 0,
            kind: SymbolKind::Text,
            scope: SymbolScope::Linkage,
            weak: false,
            section: SymbolSection::Undefined,
            flags: SymbolFlags::None,
        });
        let relocation = Relocation {
            offset: 4,
            symbol,
            addend,
            flags: RelocationFlags::Elf { r_type },
        };
        obj.add_relocation(text, relocation).unwrap();
        obj.write().unwrap()
    }

    fn link_error(object: &[u8]) -> String {
        link(&ARCH, object, RUNTIME_LIB).unwrap_err().to_string()
    }

    #[test]
    fn links_a_call_into_the_runtime() {
        let exe = link(
            &ARCH,
            &module("memcpy", elf::R_X86_64_PLT32, -4),
            RUNTIME_LIB,
        )
        .unwrap();
        let file = ElfFile64::<Endianness>::parse(&*exe).unwrap();
        let address = |name: &str| {
            file.symbols()
                .find(|s| s.name() == Ok(name))
                .unwrap_or_else(|| panic!("no symbol {name}"))
                .address()
        };
        assert_eq!(file.entry(), address("_start"));
        let f = address("f");
        let offset = (f - ARCH.base) as usize + 4;
        let field = i32::from_le_bytes(exe[offset..offset + 4].try_into().unwrap());
        assert_eq!(
            i64::from(field),
            address("memcpy") as i64 - 4 - (f as i64 + 4)
        );
        // Linking is a function of its inputs.
        let again = link(
            &ARCH,
            &module("memcpy", elf::R_X86_64_PLT32, -4),
            RUNTIME_LIB,
        )
        .unwrap();
        assert!(exe == again);
    }

    #[test]
    fn an_undefined_symbol_is_named() {
        let error = link_error(&module("nowhere", elf::R_X86_64_PLT32, -4));
        assert!(error.contains("undefined symbol `nowhere`"), "{error}");
        assert!(error.contains("the module object"), "{error}");
    }

    #[test]
    fn an_unsupported_relocation_is_named() {
        let error = link_error(&module("memcpy", elf::R_X86_64_TPOFF32, 0));
        assert!(
            error.contains("unsupported relocation R_X86_64_TPOFF32 against `memcpy`"),
            "{error}"
        );
    }

    #[test]
    fn a_value_out_of_range_is_an_error() {
        let error = link_error(&module("memcpy", elf::R_X86_64_32S, 0x7fff_ffff));
        assert!(error.contains("R_X86_64_32S against `memcpy`"), "{error}");
        assert!(error.contains("out of range"), "{error}");
    }

    #[test]
    fn a_relocation_in_zeroed_data_is_refused() {
        let mut obj = Object::new(BinaryFormat::Elf, Architecture::X86_64, Endianness::Little);
        let bss = obj.section_id(StandardSection::UninitializedData);
        let value = obj.append_section_bss(bss, 512, 16);
        let info = obj.add_symbol(Symbol {
            name: b"wasi_aot_module_info".to_vec(),
            value,
            size: 512,
            kind: SymbolKind::Data,
            scope: SymbolScope::Linkage,
            weak: false,
            section: SymbolSection::Section(bss),
            flags: SymbolFlags::None,
        });
        let relocation = Relocation {
            offset: 8,
            symbol: info,
            addend: 0,
            flags: RelocationFlags::Elf {
                r_type: elf::R_X86_64_64,
            },
        };
        obj.add_relocation(bss, relocation).unwrap();
        let error = link_error(&obj.write().unwrap());
        assert!(
            error.contains("relocations for the zeroed section .bss"),
            "{error}"
        );
    }

    #[test]
    fn an_object_for_another_machine_is_refused() {
        let obj = Object::new(BinaryFormat::Elf, Architecture::Aarch64, Endianness::Little);
        let error = link_error(&obj.write().unwrap());
        assert!(error.contains("object for machine"), "{error}");
    }

    #[test]
    fn a_damaged_library_is_an_error() {
        let object = module("memcpy", elf::R_X86_64_PLT32, -4);
        let error = link(&ARCH, &object, b"!<arch>\nshort")
            .unwrap_err()
            .to_string();
        assert!(error.contains("runtime library"), "{error}");
        let error = link(&ARCH, &object[..100], RUNTIME_LIB)
            .unwrap_err()
            .to_string();
        assert!(error.contains("invalid object"), "{error}");
    }
}
