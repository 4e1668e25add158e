//! The x86-64 table of the built-in linker: which relocation types it
//! applies and how.
//!
//! The inputs use few kinds (checked on the runtime library and module
//! objects): `R_X86_64_64` for pointers in data, `PC32`/`PLT32` for
//! calls and RIP-relative addressing, `GOTPCREL` for addresses the Rust
//! compiler loads through the GOT, `32`/`32S` in code built for the small
//! code model. The `GOTPCRELX` forms are accepted too; every GOT access
//! goes through a GOT entry the linker fills (no instruction rewriting), so
//! each form is applied as the ABI defines it. A PLT is never needed: the
//! executable is static, so `PLT32` is a direct `PC32`. Anything else
//! (thread-local storage, 64-bit GOT offsets, the large code model) is
//! refused by name.

use super::elf::{Arch, Place, RelocError};
use object::elf;

/// The x86-64 Linux architecture.
pub const ARCH: Arch = Arch {
    machine: elf::EM_X86_64,
    page_size: 0x1000,
    base: 0x40_0000,
    needs_got,
    apply,
    type_name,
};

fn needs_got(r_type: u32) -> bool {
    matches!(
        r_type,
        elf::R_X86_64_GOTPCREL | elf::R_X86_64_GOTPCRELX | elf::R_X86_64_REX_GOTPCRELX
    )
}

fn apply(r_type: u32, place: Place<'_>) -> Result<(), RelocError> {
    let Place {
        bytes,
        symbol,
        addend,
        address,
        got,
    } = place;
    let pc_relative = |target: u64| target.wrapping_add_signed(addend).wrapping_sub(address);
    match r_type {
        elf::R_X86_64_NONE => Ok(()),
        elf::R_X86_64_64 => write(bytes, &symbol.wrapping_add_signed(addend).to_le_bytes()),
        elf::R_X86_64_PC64 => write(bytes, &pc_relative(symbol).to_le_bytes()),
        elf::R_X86_64_PC32 | elf::R_X86_64_PLT32 => write_i32(bytes, pc_relative(symbol)),
        elf::R_X86_64_GOTPCREL | elf::R_X86_64_GOTPCRELX | elf::R_X86_64_REX_GOTPCRELX => {
            let got = got.ok_or(RelocError::Unsupported)?;
            write_i32(bytes, pc_relative(got))
        }
        elf::R_X86_64_32 => {
            let value = symbol.wrapping_add_signed(addend);
            let value = u32::try_from(value).map_err(|_| RelocError::Overflow)?;
            write(bytes, &value.to_le_bytes())
        }
        elf::R_X86_64_32S => write_i32(bytes, symbol.wrapping_add_signed(addend)),
        _ => Err(RelocError::Unsupported),
    }
}

/// Writes `value`, read as a signed 64-bit number, as a signed 32-bit one.
fn write_i32(bytes: &mut [u8], value: u64) -> Result<(), RelocError> {
    let value = i32::try_from(value as i64).map_err(|_| RelocError::Overflow)?;
    write(bytes, &value.to_le_bytes())
}

fn write(bytes: &mut [u8], value: &[u8]) -> Result<(), RelocError> {
    bytes
        .get_mut(..value.len())
        .ok_or(RelocError::OutOfSection)?
        .copy_from_slice(value);
    Ok(())
}

fn type_name(r_type: u32) -> String {
    let name = match r_type {
        elf::R_X86_64_NONE => "R_X86_64_NONE",
        elf::R_X86_64_64 => "R_X86_64_64",
        elf::R_X86_64_PC32 => "R_X86_64_PC32",
        elf::R_X86_64_GOT32 => "R_X86_64_GOT32",
        elf::R_X86_64_PLT32 => "R_X86_64_PLT32",
        elf::R_X86_64_GOTPCREL => "R_X86_64_GOTPCREL",
        elf::R_X86_64_32 => "R_X86_64_32",
        elf::R_X86_64_32S => "R_X86_64_32S",
        elf::R_X86_64_16 => "R_X86_64_16",
        elf::R_X86_64_PC16 => "R_X86_64_PC16",
        elf::R_X86_64_8 => "R_X86_64_8",
        elf::R_X86_64_PC8 => "R_X86_64_PC8",
        elf::R_X86_64_DTPMOD64 => "R_X86_64_DTPMOD64",
        elf::R_X86_64_DTPOFF64 => "R_X86_64_DTPOFF64",
        elf::R_X86_64_TPOFF64 => "R_X86_64_TPOFF64",
        elf::R_X86_64_TLSGD => "R_X86_64_TLSGD",
        elf::R_X86_64_TLSLD => "R_X86_64_TLSLD",
        elf::R_X86_64_DTPOFF32 => "R_X86_64_DTPOFF32",
        elf::R_X86_64_GOTTPOFF => "R_X86_64_GOTTPOFF",
        elf::R_X86_64_TPOFF32 => "R_X86_64_TPOFF32",
        elf::R_X86_64_PC64 => "R_X86_64_PC64",
        elf::R_X86_64_GOTOFF64 => "R_X86_64_GOTOFF64",
        elf::R_X86_64_GOTPC32 => "R_X86_64_GOTPC32",
        elf::R_X86_64_GOT64 => "R_X86_64_GOT64",
        elf::R_X86_64_GOTPCREL64 => "R_X86_64_GOTPCREL64",
        elf::R_X86_64_GOTPC64 => "R_X86_64_GOTPC64",
        elf::R_X86_64_PLTOFF64 => "R_X86_64_PLTOFF64",
        elf::R_X86_64_SIZE32 => "R_X86_64_SIZE32",
        elf::R_X86_64_SIZE64 => "R_X86_64_SIZE64",
        elf::R_X86_64_GOTPC32_TLSDESC => "R_X86_64_GOTPC32_TLSDESC",
        elf::R_X86_64_TLSDESC_CALL => "R_X86_64_TLSDESC_CALL",
        elf::R_X86_64_IRELATIVE => "R_X86_64_IRELATIVE",
        elf::R_X86_64_GOTPCRELX => "R_X86_64_GOTPCRELX",
        elf::R_X86_64_REX_GOTPCRELX => "R_X86_64_REX_GOTPCRELX",
        _ => return format!("x86-64 relocation type {r_type}"),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(bytes: &mut [u8], symbol: u64, addend: i64, address: u64) -> Place<'_> {
        Place {
            bytes,
            symbol,
            addend,
            address,
            got: None,
        }
    }

    #[test]
    fn pc32_is_relative_to_the_place() {
        let mut b = [0u8; 4];
        apply(elf::R_X86_64_PLT32, place(&mut b, 0x401000, -4, 0x402000)).unwrap();
        assert_eq!(i32::from_le_bytes(b), 0x401000 - 4 - 0x402000);
    }

    #[test]
    fn pc32_out_of_range_is_an_overflow() {
        let mut b = [0u8; 4];
        let far = place(&mut b, 0x1_0000_0000_0000, 0, 0x401000);
        assert_eq!(apply(elf::R_X86_64_PC32, far), Err(RelocError::Overflow));
    }

    #[test]
    fn abs32_checks_unsigned_and_signed_ranges() {
        let mut b = [0u8; 4];
        apply(elf::R_X86_64_32, place(&mut b, 0xffff_0000, 0, 0)).unwrap();
        assert_eq!(u32::from_le_bytes(b), 0xffff_0000);
        let r = apply(elf::R_X86_64_32S, place(&mut b, 0xffff_0000, 0, 0));
        assert_eq!(r, Err(RelocError::Overflow));
        let r = apply(elf::R_X86_64_32, place(&mut b, 0, -1, 0));
        assert_eq!(r, Err(RelocError::Overflow));
    }

    #[test]
    fn gotpcrel_addresses_the_got_entry() {
        let mut b = [0u8; 4];
        let p = Place {
            bytes: &mut b,
            symbol: 0x500000,
            addend: -4,
            address: 0x401000,
            got: Some(0x403000),
        };
        apply(elf::R_X86_64_REX_GOTPCRELX, p).unwrap();
        assert_eq!(i32::from_le_bytes(b), 0x403000 - 4 - 0x401000);
    }

    #[test]
    fn tls_is_refused_by_name() {
        let mut b = [0u8; 4];
        let r = apply(elf::R_X86_64_TPOFF32, place(&mut b, 0, 0, 0));
        assert_eq!(r, Err(RelocError::Unsupported));
        assert_eq!(type_name(elf::R_X86_64_TPOFF32), "R_X86_64_TPOFF32");
    }

    #[test]
    fn a_field_past_the_section_end_is_an_error() {
        let mut b = [0u8; 2];
        let r = apply(elf::R_X86_64_64, place(&mut b, 1, 0, 0));
        assert_eq!(r, Err(RelocError::OutOfSection));
    }
}
