//! `--emit staticlib`: the compiled module and the runtime's library host
//! in one self-contained `ar` archive.
//!
//! Several libraries (and the application's C library) must coexist in one
//! program, so every global symbol the archive defines is renamed
//! `NAME.<symbol>` (a name no C code can spell, unique per library) and
//! made hidden, except the C API: the module object's `NAME_<export>`
//! functions, and the runtime's `wasi_aot_library_*` functions, which
//! become `NAME_new`, `NAME_free` and so on. References between members
//! are renamed alike, so they still meet; references to symbols no member
//! defines (the application's `NAME_import_*` functions) are left alone.
//!
//! The archive is written here, in the System V / GNU format with a symbol
//! index (which linkers need to pick members), members in a fixed order,
//! named by position, with zero dates and owners: the same inputs give the
//! same bytes.

use anyhow::{Context, Result, bail};
use object::read::archive::ArchiveFile;
use object::read::elf::{FileHeader, SectionHeader};
use object::{LittleEndian as LE, Object, ObjectSymbol, elf};
use std::collections::HashSet;
use std::mem::size_of;

/// The runtime built with its `library` feature (see `build.rs`).
const LIBRARY_RUNTIME: &[u8] = include_bytes!(env!("WASI_AOT_LIBRARY_RUNTIME_LIB"));

/// The runtime's C API functions and their names after `NAME_`.
const API: [(&str, &str); 8] = [
    ("wasi_aot_library_new", "new"),
    ("wasi_aot_library_free", "free"),
    ("wasi_aot_library_trap", "trap"),
    ("wasi_aot_library_memory", "memory"),
    ("wasi_aot_library_user_data", "user_data"),
    ("wasi_aot_library_set_user_data", "set_user_data"),
    ("wasi_aot_library_thread_init", "thread_init"),
    ("wasi_aot_library_thread_free", "thread_free"),
];

/// The archive of library `name`: `object` (the compiled module) and the
/// runtime's members, renamed.
pub fn staticlib(object: &[u8], name: &str) -> Result<Vec<u8>> {
    let runtime = ArchiveFile::parse(LIBRARY_RUNTIME).context("the embedded runtime library")?;
    let mut inputs: Vec<&[u8]> = vec![object];
    for member in runtime.members() {
        let member = member.context("the embedded runtime library")?;
        let data = member
            .data(LIBRARY_RUNTIME)
            .context("the embedded runtime library")?;
        if data.starts_with(b"\x7fELF") {
            inputs.push(data);
        }
    }

    // Every global symbol some member defines.
    let mut defined = HashSet::new();
    for data in &inputs {
        let file = object::File::parse(*data).context("reading an object")?;
        for sym in file.symbols() {
            if sym.is_global() && !sym.is_undefined() {
                defined.insert(sym.name_bytes()?.to_vec());
            }
        }
    }
    let api_prefix = format!("{name}_");
    let mut members = Vec::new();
    for (i, data) in inputs.iter().enumerate() {
        let rename = |old: &[u8], defined_here: bool| -> Option<(Vec<u8>, bool)> {
            if !defined.contains(old) {
                return None;
            }
            if let Some((_, to)) = API.iter().find(|(from, _)| from.as_bytes() == old) {
                return Some((format!("{name}_{to}").into_bytes(), false));
            }
            if i == 0
                && defined_here
                && old.starts_with(api_prefix.as_bytes())
                && !old.starts_with(b"wasi_aot_")
            {
                return None;
            }
            Some(([name.as_bytes(), b".", old].concat(), true))
        };
        members.push(rename_symbols(data, rename).context("rewriting an object")?);
    }
    Ok(write_archive(&members))
}

/// `data` (an ELF64 relocatable object) with its global symbols renamed as
/// `rename` says (new name, and whether it becomes hidden), and the global
/// symbols it defines afterwards. The new names go in a copy of the symbol
/// string table appended to the object; nothing else moves.
fn rename_symbols(
    data: &[u8],
    rename: impl Fn(&[u8], bool) -> Option<(Vec<u8>, bool)>,
) -> Result<(Vec<u8>, Vec<Vec<u8>>)> {
    let header = elf::FileHeader64::<LE>::parse(data)?;
    let sections = header.sections(LE, data)?;
    let Some((_, symtab)) = sections
        .iter()
        .enumerate()
        .find(|(_, s)| s.sh_type(LE) == elf::SHT_SYMTAB)
    else {
        return Ok((data.to_vec(), Vec::new()));
    };
    let strtab_index = symtab.sh_link(LE) as usize;
    let strtab = sections.section(object::SectionIndex(strtab_index))?;
    let strings = strtab.data(LE, data)?;
    let mut out = data.to_vec();
    let mut new_strings = strings.to_vec();
    let mut exported = Vec::new();
    let sym_at = symtab.sh_offset(LE) as usize;
    let count = symtab.sh_size(LE) as usize / size_of::<elf::Sym64<LE>>();
    for k in 1..count {
        let at = sym_at + k * size_of::<elf::Sym64<LE>>();
        let st_name = u32::from_le_bytes(out[at..at + 4].try_into()?) as usize;
        let st_info = out[at + 4];
        let st_shndx = u16::from_le_bytes(out[at + 6..at + 8].try_into()?);
        let bind = st_info >> 4;
        if bind != elf::STB_GLOBAL && bind != elf::STB_WEAK {
            continue;
        }
        let old = strings
            .get(st_name..)
            .and_then(|s| s.split(|b| *b == 0).next())
            .context("a symbol name outside the string table")?;
        let defined_here = st_shndx != elf::SHN_UNDEF;
        let name = match rename(old, defined_here) {
            Some((new, hidden)) => {
                let offset = u32::try_from(new_strings.len())?;
                new_strings.extend_from_slice(&new);
                new_strings.push(0);
                out[at..at + 4].copy_from_slice(&offset.to_le_bytes());
                if hidden {
                    out[at + 5] = (out[at + 5] & !3) | elf::STV_HIDDEN;
                }
                new
            }
            None => old.to_vec(),
        };
        if defined_here {
            exported.push(name);
        }
    }
    // The new string table at the end, and its section header pointing there.
    while !out.len().is_multiple_of(8) {
        out.push(0);
    }
    let new_offset = out.len() as u64;
    out.extend_from_slice(&new_strings);
    let shdr = header.e_shoff(LE) as usize + strtab_index * usize::from(header.e_shentsize(LE));
    out[shdr + 24..shdr + 32].copy_from_slice(&new_offset.to_le_bytes());
    out[shdr + 32..shdr + 40].copy_from_slice(&(new_strings.len() as u64).to_le_bytes());
    Ok((out, exported))
}

/// An `ar` archive of `members` (bytes, symbols they define), with the
/// symbol index first.
fn write_archive(members: &[(Vec<u8>, Vec<Vec<u8>>)]) -> Vec<u8> {
    let symbols: Vec<(usize, &[u8])> = members
        .iter()
        .enumerate()
        .flat_map(|(i, (_, syms))| syms.iter().map(move |s| (i, s.as_slice())))
        .collect();
    let mut index_len =
        4 + 4 * symbols.len() + symbols.iter().map(|(_, s)| s.len() + 1).sum::<usize>();
    index_len += index_len % 2;
    let mut offsets = Vec::with_capacity(members.len());
    let mut at = 8 + 60 + index_len;
    for (data, _) in members {
        offsets.push(at);
        at += 60 + data.len() + data.len() % 2;
    }

    let mut out = b"!<arch>\n".to_vec();
    let mut index = Vec::with_capacity(index_len);
    index.extend_from_slice(&(symbols.len() as u32).to_be_bytes());
    for (member, _) in &symbols {
        index.extend_from_slice(&(offsets[*member] as u32).to_be_bytes());
    }
    for (_, name) in &symbols {
        index.extend_from_slice(name);
        index.push(0);
    }
    if index.len() % 2 == 1 {
        index.push(0);
    }
    member_header(&mut out, "/", index.len());
    out.extend_from_slice(&index);
    for (i, (data, _)) in members.iter().enumerate() {
        member_header(&mut out, &format!("{i}.o/"), data.len());
        out.extend_from_slice(data);
        if data.len() % 2 == 1 {
            out.push(b'\n');
        }
    }
    out
}

fn member_header(out: &mut Vec<u8>, name: &str, size: usize) {
    let header = format!("{name:<16}{:<12}{:<6}{:<6}{:<8}{size:<10}`\n", 0, 0, 0, 644);
    debug_assert_eq!(header.len(), 60);
    out.extend_from_slice(header.as_bytes());
}

/// Checks that `name` can prefix a library's C API.
pub fn check_name(name: &str) -> Result<()> {
    if wasi_aot_compiler::c_identifier(name) != name {
        bail!(
            "the library name `{}` is not a C identifier",
            name.escape_debug()
        );
    }
    Ok(())
}
