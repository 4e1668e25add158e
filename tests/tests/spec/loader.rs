//! A minimal loader for the compiler's relocatable objects.
//!
//! The compiled object references no outside symbol, and its relocations
//! are of a few kinds only: on x86-64 absolute 64-bit addresses in data
//! (`R_X86_64_64`) and 32-bit PC-relative references in code
//! (`R_X86_64_PC32`/`PLT32`); on aarch64 absolute addresses in data
//! (`R_AARCH64_ABS64`), branches (`CALL26`, `JUMP26`) and the `adrp` pairs
//! forming an address (`ADR_PREL_PG_HI21` with `ADD_ABS_LO12_NC` or a
//! `LDST*_ABS_LO12_NC`). So loading is: lay out the allocated sections in
//! one image (code first, page aligned, then data), copy their bytes, apply
//! the relocations against the image's base, and make the code pages
//! read-execute (on aarch64 after making them visible to instruction
//! fetch). Everything the harness needs afterwards is found by symbol name.
//!
//! The layout and the resolved relocations are computed once per module
//! ([`Object::parse`]); every instance is a fresh copy ([`Object::load`]),
//! which is what makes instances of the same module independent: all
//! per-instance state is data in the image.

use std::collections::HashMap;
use std::rc::Rc;

use object::elf;
use object::read::{Object as _, ObjectSection, ObjectSymbol, RelocationFlags, RelocationTarget};
use object::{Architecture, SectionKind, SymbolSection};

use crate::arch;
use crate::runtime::Mapping;

const PAGE: usize = 4096;

#[derive(Clone, Copy)]
enum RelocKind {
    /// The address, 64 bits (`R_X86_64_64`, `R_AARCH64_ABS64`).
    Abs64,
    /// The address relative to the place, 32 bits (x86-64).
    PcRel32,
    /// An aarch64 `b`/`bl`: the word offset to the target in 26 bits.
    Branch26,
    /// An aarch64 `adrp`: the offset from the place's 4 KiB page to the
    /// target's, in pages, 21 bits.
    AdrPage21,
    /// An aarch64 `add` or load/store immediate: the target's offset in its
    /// page, scaled down by the access size `1 << shift`, in 12 bits.
    Lo12 { shift: u32 },
}

struct Reloc {
    /// Where to write, from the image start.
    at: usize,
    kind: RelocKind,
    /// Target address minus image base, plus addend.
    target: i64,
}

/// A parsed object, ready to be loaded any number of times.
pub struct Object {
    /// The image with all section bytes in place, relocations not applied.
    template: Vec<u8>,
    /// Length of the code part (page aligned), which becomes read-execute.
    code_len: usize,
    relocs: Vec<Reloc>,
    symbols: Rc<HashMap<String, usize>>,
}

/// One loaded copy of an object.
pub struct Image {
    map: Mapping,
    code_len: usize,
    symbols: Rc<HashMap<String, usize>>,
}

fn align(n: usize, to: usize) -> usize {
    n.div_ceil(to) * to
}

impl Object {
    pub fn parse(bytes: &[u8]) -> Result<Object, String> {
        let file = object::File::parse(bytes).map_err(|e| format!("object: {e}"))?;
        // Code sections first, then everything else.
        let mut placed: HashMap<object::SectionIndex, usize> = HashMap::new();
        let mut size = 0usize;
        let mut code_len = 0;
        for code_pass in [true, false] {
            for section in file.sections() {
                let is_code = section.kind() == SectionKind::Text;
                let allocated = matches!(
                    section.kind(),
                    SectionKind::Text
                        | SectionKind::Data
                        | SectionKind::ReadOnlyData
                        | SectionKind::ReadOnlyString
                        | SectionKind::UninitializedData
                );
                if !allocated || is_code != code_pass || section.size() == 0 {
                    continue;
                }
                size = align(size, (section.align() as usize).max(1));
                placed.insert(section.index(), size);
                size += section.size() as usize;
            }
            if code_pass {
                size = align(size, PAGE);
                code_len = size;
            }
        }
        let mut template = vec![0u8; size.max(1)];
        for section in file.sections() {
            let Some(&at) = placed.get(&section.index()) else {
                continue;
            };
            if section.kind() != SectionKind::UninitializedData {
                let data = section.data().map_err(|e| format!("object: {e}"))?;
                template[at..at + data.len()].copy_from_slice(data);
            }
        }

        let mut symbols = HashMap::new();
        let mut symbol_addr = HashMap::new();
        for sym in file.symbols() {
            let SymbolSection::Section(index) = sym.section() else {
                continue;
            };
            let Some(&at) = placed.get(&index) else {
                continue;
            };
            let addr = at + sym.address() as usize;
            symbol_addr.insert(sym.index(), addr);
            if let Ok(name) = sym.name()
                && !name.is_empty()
            {
                symbols.insert(name.to_string(), addr);
            }
        }

        let mut relocs = Vec::new();
        for section in file.sections() {
            let Some(&base) = placed.get(&section.index()) else {
                continue;
            };
            for (offset, reloc) in section.relocations() {
                let RelocationTarget::Symbol(sym) = reloc.target() else {
                    return Err("relocation against a non-symbol".into());
                };
                let target = match symbol_addr.get(&sym) {
                    Some(a) => *a,
                    None => {
                        let s = file.symbol_by_index(sym).map_err(|e| e.to_string())?;
                        match s.section() {
                            SymbolSection::Section(i) => *placed
                                .get(&i)
                                .ok_or("relocation into an unplaced section")?,
                            _ => {
                                return Err(format!(
                                    "relocation against undefined symbol {:?}",
                                    s.name()
                                ));
                            }
                        }
                    }
                };
                let kind = match (file.architecture(), reloc.flags()) {
                    (Architecture::X86_64, RelocationFlags::Elf { r_type }) => match r_type {
                        elf::R_X86_64_64 => RelocKind::Abs64,
                        elf::R_X86_64_PC32 | elf::R_X86_64_PLT32 => RelocKind::PcRel32,
                        _ => return Err(format!("unsupported relocation type {r_type}")),
                    },
                    (Architecture::Aarch64, RelocationFlags::Elf { r_type }) => match r_type {
                        elf::R_AARCH64_ABS64 => RelocKind::Abs64,
                        elf::R_AARCH64_CALL26 | elf::R_AARCH64_JUMP26 => RelocKind::Branch26,
                        elf::R_AARCH64_ADR_PREL_PG_HI21 => RelocKind::AdrPage21,
                        elf::R_AARCH64_ADD_ABS_LO12_NC | elf::R_AARCH64_LDST8_ABS_LO12_NC => {
                            RelocKind::Lo12 { shift: 0 }
                        }
                        elf::R_AARCH64_LDST16_ABS_LO12_NC => RelocKind::Lo12 { shift: 1 },
                        elf::R_AARCH64_LDST32_ABS_LO12_NC => RelocKind::Lo12 { shift: 2 },
                        elf::R_AARCH64_LDST64_ABS_LO12_NC => RelocKind::Lo12 { shift: 3 },
                        elf::R_AARCH64_LDST128_ABS_LO12_NC => RelocKind::Lo12 { shift: 4 },
                        _ => return Err(format!("unsupported relocation type {r_type}")),
                    },
                    (arch, flags) => {
                        return Err(format!("unsupported relocation {flags:?} for {arch:?}"));
                    }
                };
                relocs.push(Reloc {
                    at: base + offset as usize,
                    kind,
                    target: target as i64 + reloc.addend(),
                });
            }
        }
        Ok(Object {
            template,
            code_len,
            relocs,
            symbols: Rc::new(symbols),
        })
    }

    /// Maps a fresh copy: relocated, code read-execute, data read-write.
    pub fn load(&self) -> Result<Image, String> {
        let map = Mapping::new(align(self.template.len(), PAGE), true)?;
        // SAFETY: the mapping is fresh, writable and at least as large as
        // the template; each relocation lies inside the image (it was placed
        // inside a section).
        unsafe {
            std::ptr::copy_nonoverlapping(self.template.as_ptr(), map.ptr, self.template.len());
            let base = map.ptr as i64;
            for r in &self.relocs {
                let p = map.ptr.add(r.at);
                match r.kind {
                    RelocKind::Abs64 => (p as *mut i64).write_unaligned(base + r.target),
                    RelocKind::PcRel32 => {
                        let v = r.target - r.at as i64;
                        let v = i32::try_from(v).map_err(|_| "PC-relative overflow")?;
                        (p as *mut i32).write_unaligned(v);
                    }
                    kind => {
                        let insn = (p as *const u32).read_unaligned();
                        let place = base + r.at as i64;
                        (p as *mut u32).write_unaligned(patch_aarch64(
                            kind,
                            insn,
                            place,
                            base + r.target,
                        )?);
                    }
                }
            }
        }
        arch::sync_icache(map.ptr, self.code_len);
        if !map.protect(0, self.code_len, libc::PROT_READ | libc::PROT_EXEC) {
            return Err("cannot make code executable".into());
        }
        Ok(Image {
            map,
            code_len: self.code_len,
            symbols: Rc::clone(&self.symbols),
        })
    }
}

/// The aarch64 instruction `insn` at address `place` with its field for
/// `kind` set to reach `target` (the formulas of the ELF for the Arm
/// 64-bit Architecture ABI).
fn patch_aarch64(kind: RelocKind, insn: u32, place: i64, target: i64) -> Result<u32, String> {
    let (mask, bits) = match kind {
        RelocKind::Branch26 => {
            let words = (target - place) >> 2;
            if (target - place) & 3 != 0 || !(-(1 << 25)..1 << 25).contains(&words) {
                return Err("branch out of range".into());
            }
            (0x03ff_ffff, words as u32)
        }
        RelocKind::AdrPage21 => {
            let pages = (target >> 12) - (place >> 12);
            if !(-(1 << 20)..1 << 20).contains(&pages) {
                return Err("adrp out of range".into());
            }
            let imm = pages as u32 & 0x1f_ffff;
            (
                (0x3 << 29) | (0x7ffff << 5),
                ((imm & 3) << 29) | ((imm >> 2) << 5),
            )
        }
        RelocKind::Lo12 { shift } => {
            let low = (target & 0xfff) as u32;
            if low & ((1 << shift) - 1) != 0 {
                return Err("misaligned low-12 offset".into());
            }
            (0xfff << 10, (low >> shift) << 10)
        }
        RelocKind::Abs64 | RelocKind::PcRel32 => return Err("not an instruction field".into()),
    };
    Ok((insn & !mask) | (bits & mask))
}

impl Image {
    /// Address of symbol `name` in this image.
    pub fn symbol(&self, name: &str) -> Result<usize, String> {
        self.symbols
            .get(name)
            .map(|at| self.map.ptr as usize + at)
            .ok_or_else(|| format!("symbol {name} missing from the object"))
    }

    /// Writes `value` at absolute address `addr`, which must lie in the
    /// image's data (checked).
    pub fn write<T: Copy>(&self, addr: usize, value: T) -> Result<(), String> {
        let (start, end) = self.range();
        let code_end = start + self.code_len;
        if addr < code_end || addr.checked_add(size_of::<T>()).is_none_or(|e| e > end) {
            return Err(format!("write at {addr:#x} outside the image's data"));
        }
        // SAFETY: the range was just checked to lie in this image's
        // read-write data, which the harness owns.
        unsafe { (addr as *mut T).write_unaligned(value) };
        Ok(())
    }

    /// The image's address range.
    pub fn range(&self) -> (usize, usize) {
        (self.map.ptr as usize, self.map.ptr as usize + self.map.len)
    }
}
