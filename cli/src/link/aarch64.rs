//! The aarch64 table of the built-in linker: which relocation types it
//! applies and how (the formulas of the ELF for the Arm 64-bit
//! Architecture ABI).
//!
//! The inputs use few kinds: `ABS64` for pointers in data, `CALL26` and
//! `JUMP26` for branches, `ADR_PREL_PG_HI21` with `ADD_ABS_LO12_NC` or a
//! `LDST*_ABS_LO12_NC` for addresses the compilers form with `adrp`, the
//! GOT pair `ADR_GOT_PAGE`/`LD64_GOT_LO12_NC` for addresses the Rust
//! compiler loads through the GOT, `PREL32`/`PREL64` in data, and branches
//! and literal loads within a section (`CONDBR19`, `TSTBR14`,
//! `LD_PREL_LO19`) when an assembler leaves them. Every GOT access goes
//! through a GOT entry the linker fills (no instruction relaxation). There
//! are no range-extension veneers: a branch farther than ±128 MiB is an
//! error (a module's code would have to pass that size). Thread-local
//! storage and the `MOVW` absolute forms are refused by name.

use super::elf::{Arch, Place, RelocError};
use object::elf;

/// The aarch64 Linux architecture. Segments are aligned to 64 KiB, the
/// largest page size aarch64 Linux kernels use, so the executable loads
/// with 4, 16 or 64 KiB pages.
pub const ARCH: Arch = Arch {
    machine: elf::EM_AARCH64,
    page_size: 0x1_0000,
    base: 0x40_0000,
    needs_got,
    apply,
    type_name,
};

fn needs_got(r_type: u32) -> bool {
    matches!(
        r_type,
        elf::R_AARCH64_ADR_GOT_PAGE | elf::R_AARCH64_LD64_GOT_LO12_NC
    )
}

/// The 4 KiB page of an address, as `adrp` computes it.
fn page(address: u64) -> u64 {
    address & !0xfff
}

fn apply(r_type: u32, place: Place<'_>) -> Result<(), RelocError> {
    let Place {
        bytes,
        symbol,
        addend,
        address,
        got,
    } = place;
    let value = symbol.wrapping_add_signed(addend);
    let pc_relative = value.wrapping_sub(address);
    match r_type {
        elf::R_AARCH64_NONE => Ok(()),
        elf::R_AARCH64_ABS64 => write(bytes, &value.to_le_bytes()),
        elf::R_AARCH64_PREL64 => write(bytes, &pc_relative.to_le_bytes()),
        elf::R_AARCH64_ABS32 => {
            let v = value as i64;
            if !(-(1 << 31)..1 << 32).contains(&v) {
                return Err(RelocError::Overflow);
            }
            write(bytes, &(v as u32).to_le_bytes())
        }
        elf::R_AARCH64_PREL32 => {
            let v = pc_relative as i64;
            if !(-(1 << 31)..1 << 32).contains(&v) {
                return Err(RelocError::Overflow);
            }
            write(bytes, &(v as u32).to_le_bytes())
        }
        elf::R_AARCH64_CALL26 | elf::R_AARCH64_JUMP26 => {
            let imm = branch_offset(pc_relative, 26)?;
            patch(bytes, 0x03ff_ffff, imm)
        }
        elf::R_AARCH64_CONDBR19 | elf::R_AARCH64_LD_PREL_LO19 => {
            let imm = branch_offset(pc_relative, 19)?;
            patch(bytes, 0x7ffff << 5, imm << 5)
        }
        elf::R_AARCH64_TSTBR14 => {
            let imm = branch_offset(pc_relative, 14)?;
            patch(bytes, 0x3fff << 5, imm << 5)
        }
        elf::R_AARCH64_ADR_PREL_LO21 => adr(bytes, pc_relative, false),
        elf::R_AARCH64_ADR_PREL_PG_HI21 => {
            adr(bytes, page(value).wrapping_sub(page(address)), true)
        }
        elf::R_AARCH64_ADR_GOT_PAGE => {
            let got = got.ok_or(RelocError::Unsupported)?;
            adr(bytes, page(got).wrapping_sub(page(address)), true)
        }
        elf::R_AARCH64_LD64_GOT_LO12_NC => {
            let got = got.ok_or(RelocError::Unsupported)?;
            lo12(bytes, got, 3)
        }
        elf::R_AARCH64_ADD_ABS_LO12_NC | elf::R_AARCH64_LDST8_ABS_LO12_NC => lo12(bytes, value, 0),
        elf::R_AARCH64_LDST16_ABS_LO12_NC => lo12(bytes, value, 1),
        elf::R_AARCH64_LDST32_ABS_LO12_NC => lo12(bytes, value, 2),
        elf::R_AARCH64_LDST64_ABS_LO12_NC => lo12(bytes, value, 3),
        elf::R_AARCH64_LDST128_ABS_LO12_NC => lo12(bytes, value, 4),
        _ => Err(RelocError::Unsupported),
    }
}

/// A branch's word offset in a signed field of `bits` bits.
fn branch_offset(pc_relative: u64, bits: u32) -> Result<u32, RelocError> {
    let v = pc_relative as i64;
    if v & 3 != 0 {
        return Err(RelocError::Misaligned);
    }
    let words = v >> 2;
    let limit = 1i64 << (bits - 1);
    if !(-limit..limit).contains(&words) {
        return Err(RelocError::Overflow);
    }
    Ok((words as u32) & ((1 << bits) - 1))
}

/// An `adr`/`adrp` immediate: the 21-bit signed `offset` (in pages for
/// `adrp`) split into `immlo` (bits 29–30) and `immhi` (bits 5–23).
fn adr(bytes: &mut [u8], offset: u64, pages: bool) -> Result<(), RelocError> {
    let v = offset as i64;
    let v = if pages { v >> 12 } else { v };
    if !(-(1 << 20)..1 << 20).contains(&v) {
        return Err(RelocError::Overflow);
    }
    let imm = (v as u32) & 0x1f_ffff;
    patch(
        bytes,
        (0x3 << 29) | (0x7ffff << 5),
        ((imm & 3) << 29) | ((imm >> 2) << 5),
    )
}

/// The low 12 bits of `value` scaled by the access size `1 << shift`, into
/// the `imm12` field (bits 10–21) of an `add` or a load/store.
fn lo12(bytes: &mut [u8], value: u64, shift: u32) -> Result<(), RelocError> {
    let low = (value & 0xfff) as u32;
    if low & ((1 << shift) - 1) != 0 {
        return Err(RelocError::Misaligned);
    }
    patch(bytes, 0xfff << 10, (low >> shift) << 10)
}

/// Replaces the bits of `mask` in the instruction at the place by `bits`.
fn patch(bytes: &mut [u8], mask: u32, bits: u32) -> Result<(), RelocError> {
    let field = bytes.get_mut(..4).ok_or(RelocError::OutOfSection)?;
    let insn = u32::from_le_bytes(field.try_into().expect("four bytes"));
    field.copy_from_slice(&((insn & !mask) | (bits & mask)).to_le_bytes());
    Ok(())
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
        elf::R_AARCH64_NONE => "R_AARCH64_NONE",
        elf::R_AARCH64_ABS64 => "R_AARCH64_ABS64",
        elf::R_AARCH64_ABS32 => "R_AARCH64_ABS32",
        elf::R_AARCH64_ABS16 => "R_AARCH64_ABS16",
        elf::R_AARCH64_PREL64 => "R_AARCH64_PREL64",
        elf::R_AARCH64_PREL32 => "R_AARCH64_PREL32",
        elf::R_AARCH64_PREL16 => "R_AARCH64_PREL16",
        elf::R_AARCH64_MOVW_UABS_G0 => "R_AARCH64_MOVW_UABS_G0",
        elf::R_AARCH64_MOVW_UABS_G0_NC => "R_AARCH64_MOVW_UABS_G0_NC",
        elf::R_AARCH64_MOVW_UABS_G1 => "R_AARCH64_MOVW_UABS_G1",
        elf::R_AARCH64_MOVW_UABS_G1_NC => "R_AARCH64_MOVW_UABS_G1_NC",
        elf::R_AARCH64_MOVW_UABS_G2 => "R_AARCH64_MOVW_UABS_G2",
        elf::R_AARCH64_MOVW_UABS_G2_NC => "R_AARCH64_MOVW_UABS_G2_NC",
        elf::R_AARCH64_MOVW_UABS_G3 => "R_AARCH64_MOVW_UABS_G3",
        elf::R_AARCH64_LD_PREL_LO19 => "R_AARCH64_LD_PREL_LO19",
        elf::R_AARCH64_ADR_PREL_LO21 => "R_AARCH64_ADR_PREL_LO21",
        elf::R_AARCH64_ADR_PREL_PG_HI21 => "R_AARCH64_ADR_PREL_PG_HI21",
        elf::R_AARCH64_ADR_PREL_PG_HI21_NC => "R_AARCH64_ADR_PREL_PG_HI21_NC",
        elf::R_AARCH64_ADD_ABS_LO12_NC => "R_AARCH64_ADD_ABS_LO12_NC",
        elf::R_AARCH64_LDST8_ABS_LO12_NC => "R_AARCH64_LDST8_ABS_LO12_NC",
        elf::R_AARCH64_TSTBR14 => "R_AARCH64_TSTBR14",
        elf::R_AARCH64_CONDBR19 => "R_AARCH64_CONDBR19",
        elf::R_AARCH64_JUMP26 => "R_AARCH64_JUMP26",
        elf::R_AARCH64_CALL26 => "R_AARCH64_CALL26",
        elf::R_AARCH64_LDST16_ABS_LO12_NC => "R_AARCH64_LDST16_ABS_LO12_NC",
        elf::R_AARCH64_LDST32_ABS_LO12_NC => "R_AARCH64_LDST32_ABS_LO12_NC",
        elf::R_AARCH64_LDST64_ABS_LO12_NC => "R_AARCH64_LDST64_ABS_LO12_NC",
        elf::R_AARCH64_LDST128_ABS_LO12_NC => "R_AARCH64_LDST128_ABS_LO12_NC",
        elf::R_AARCH64_ADR_GOT_PAGE => "R_AARCH64_ADR_GOT_PAGE",
        elf::R_AARCH64_LD64_GOT_LO12_NC => "R_AARCH64_LD64_GOT_LO12_NC",
        elf::R_AARCH64_TLSLE_ADD_TPREL_HI12 => "R_AARCH64_TLSLE_ADD_TPREL_HI12",
        elf::R_AARCH64_TLSLE_ADD_TPREL_LO12_NC => "R_AARCH64_TLSLE_ADD_TPREL_LO12_NC",
        elf::R_AARCH64_TLSDESC_ADR_PAGE21 => "R_AARCH64_TLSDESC_ADR_PAGE21",
        elf::R_AARCH64_TLSDESC_LD64_LO12 => "R_AARCH64_TLSDESC_LD64_LO12",
        elf::R_AARCH64_TLSDESC_ADD_LO12 => "R_AARCH64_TLSDESC_ADD_LO12",
        elf::R_AARCH64_TLSDESC_CALL => "R_AARCH64_TLSDESC_CALL",
        elf::R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21 => "R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21",
        elf::R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC => "R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC",
        _ => return format!("aarch64 relocation type {r_type}"),
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

    fn insn(b: [u8; 4]) -> u32 {
        u32::from_le_bytes(b)
    }

    #[test]
    fn call26_keeps_the_opcode_and_encodes_words() {
        let mut b = 0x9400_0000u32.to_le_bytes(); // bl 0
        apply(
            elf::R_AARCH64_CALL26,
            place(&mut b, 0x41_0000, 0, 0x40_0000),
        )
        .unwrap();
        assert_eq!(insn(b), 0x9400_0000 | (0x1_0000 >> 2));
        let mut b = 0x1400_0000u32.to_le_bytes(); // b 0, backwards
        apply(
            elf::R_AARCH64_JUMP26,
            place(&mut b, 0x40_0000, 0, 0x40_0008),
        )
        .unwrap();
        assert_eq!(insn(b), 0x1400_0000 | 0x03ff_fffe);
    }

    #[test]
    fn call26_beyond_128_mib_is_out_of_range() {
        let mut b = 0x9400_0000u32.to_le_bytes();
        let far = place(&mut b, 0x40_0000 + (128 << 20), 0, 0x40_0000);
        assert_eq!(apply(elf::R_AARCH64_CALL26, far), Err(RelocError::Overflow));
        let mut b = 0x9400_0000u32.to_le_bytes();
        let last = place(&mut b, 0x40_0000 + (128 << 20) - 4, 0, 0x40_0000);
        assert_eq!(apply(elf::R_AARCH64_CALL26, last), Ok(()));
    }

    #[test]
    fn adrp_and_lo12_address_a_symbol() {
        // adrp x0, 0; add x0, x0, 0; ldr x1, [x0]
        let (target, at) = (0x1234_5678u64, 0x40_1004u64);
        let mut b = 0x9000_0000u32.to_le_bytes();
        apply(
            elf::R_AARCH64_ADR_PREL_PG_HI21,
            place(&mut b, target, 0, at),
        )
        .unwrap();
        let imm = ((page(target) - page(at)) >> 12) as u32;
        assert_eq!(insn(b), 0x9000_0000 | ((imm & 3) << 29) | ((imm >> 2) << 5));
        let mut b = 0x9100_0000u32.to_le_bytes();
        apply(elf::R_AARCH64_ADD_ABS_LO12_NC, place(&mut b, target, 0, at)).unwrap();
        assert_eq!(insn(b), 0x9100_0000 | (0x678 << 10));
        let mut b = 0xf940_0001u32.to_le_bytes();
        apply(
            elf::R_AARCH64_LDST64_ABS_LO12_NC,
            place(&mut b, 0x1238, 0, at),
        )
        .unwrap();
        assert_eq!(insn(b), 0xf940_0001 | ((0x238 >> 3) << 10));
        let mut b = 0xf940_0001u32.to_le_bytes();
        let odd = place(&mut b, 0x1234, 0, at);
        assert_eq!(
            apply(elf::R_AARCH64_LDST64_ABS_LO12_NC, odd),
            Err(RelocError::Misaligned)
        );
    }

    #[test]
    fn adrp_beyond_4_gib_is_out_of_range() {
        let mut b = 0x9000_0000u32.to_le_bytes();
        let far = place(&mut b, 0x40_0000 + (4 << 30), 0, 0x40_0000);
        assert_eq!(
            apply(elf::R_AARCH64_ADR_PREL_PG_HI21, far),
            Err(RelocError::Overflow)
        );
    }

    #[test]
    fn got_pair_addresses_the_got_entry() {
        let got = 0x40_2010u64;
        let mut b = 0x9000_0000u32.to_le_bytes();
        let p = Place {
            bytes: &mut b,
            symbol: 0x50_0000,
            addend: 0,
            address: 0x41_0000,
            got: Some(got),
        };
        apply(elf::R_AARCH64_ADR_GOT_PAGE, p).unwrap();
        let imm = ((page(got).wrapping_sub(page(0x41_0000)) as i64) >> 12) as u32 & 0x1f_ffff;
        assert_eq!(insn(b), 0x9000_0000 | ((imm & 3) << 29) | ((imm >> 2) << 5));
        let mut b = 0xf940_0000u32.to_le_bytes();
        let p = Place {
            bytes: &mut b,
            symbol: 0x50_0000,
            addend: 0,
            address: 0x41_0004,
            got: Some(got),
        };
        apply(elf::R_AARCH64_LD64_GOT_LO12_NC, p).unwrap();
        assert_eq!(insn(b), 0xf940_0000 | ((0x010 >> 3) << 10));
    }

    #[test]
    fn prel32_and_abs64_in_data() {
        let mut b = [0u8; 4];
        apply(
            elf::R_AARCH64_PREL32,
            place(&mut b, 0x40_0000, 4, 0x40_1000),
        )
        .unwrap();
        assert_eq!(i32::from_le_bytes(b), 0x40_0000 + 4 - 0x40_1000);
        let mut b = [0u8; 8];
        apply(elf::R_AARCH64_ABS64, place(&mut b, 0x40_0000, 8, 0)).unwrap();
        assert_eq!(u64::from_le_bytes(b), 0x40_0008);
    }

    #[test]
    fn tls_is_refused_by_name() {
        let mut b = [0u8; 4];
        let r = apply(elf::R_AARCH64_TLSLE_ADD_TPREL_HI12, place(&mut b, 0, 0, 0));
        assert_eq!(r, Err(RelocError::Unsupported));
        assert_eq!(
            type_name(elf::R_AARCH64_TLSLE_ADD_TPREL_HI12),
            "R_AARCH64_TLSLE_ADD_TPREL_HI12"
        );
    }
}
