//! A minimal loader for the compiler's relocatable objects.
//!
//! The compiled object references no outside symbol, and its only
//! relocations are absolute 64-bit addresses in data (`R_X86_64_64`) and
//! 32-bit PC-relative references in code (`R_X86_64_PC32`/`PLT32`). So
//! loading is: lay out the allocated sections in one image (code first, page
//! aligned, then data), copy their bytes, apply the relocations against the
//! image's base, and make the code pages read-execute. Everything the
//! harness needs afterwards is found by symbol name.
//!
//! The layout and the resolved relocations are computed once per module
//! ([`Object::parse`]); every instance is a fresh copy ([`Object::load`]),
//! which is what makes instances of the same module independent: all
//! per-instance state is data in the image.

use std::collections::HashMap;
use std::rc::Rc;

use object::elf;
use object::read::{Object as _, ObjectSection, ObjectSymbol, RelocationFlags, RelocationTarget};
use object::{SectionKind, SymbolSection};

use crate::runtime::Mapping;

const PAGE: usize = 4096;

enum RelocKind {
    Abs64,
    PcRel32,
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
                let kind = match reloc.flags() {
                    RelocationFlags::Elf {
                        r_type: elf::R_X86_64_64,
                    } => RelocKind::Abs64,
                    RelocationFlags::Elf {
                        r_type: elf::R_X86_64_PC32 | elf::R_X86_64_PLT32,
                    } => RelocKind::PcRel32,
                    other => return Err(format!("unsupported relocation {other:?}")),
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
                }
            }
        }
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
