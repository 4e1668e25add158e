//! Memory 0's initial contents as an image in the executable
//! ([`wasi_aot_abi::MemoryImage`]): the runtime moves its pages into the
//! memory instead of copying the data segments at start-up.

use super::init::constant_offset;
use crate::env::ModuleEnv;
use wasi_aot_abi::{MEMORY_IMAGE_ALIGN, WASM_PAGE_SIZE};

/// Below this many bytes of image, copying the segments costs less than
/// moving pages (one system call and a page fault per page touched).
const MIN_IMAGE: u64 = 64 << 10;

/// Where memory 0's image lies and which data segments it applies; its
/// bytes are made only when the object's data is written ([`Self::bytes`]).
pub(super) struct MemoryImage {
    /// Offset in memory 0 of the first byte (page-aligned).
    pub offset: u64,
    /// Length in bytes: whole pages.
    pub len: u64,
    /// By data segment index: the segment's offset in memory 0 when the
    /// image applies it (`init` only drops it).
    starts: Vec<Option<u64>>,
}

impl MemoryImage {
    /// The image of a module whose memory 0 is its own (an executable's):
    /// `None` unless every active segment for memory 0 has a constant
    /// offset and lies inside its initial size (a segment outside it traps
    /// at instantiation, after the segments before it were written: `init`
    /// does that), and the segments fill a span of at least [`MIN_IMAGE`]
    /// that is at least half data (a few bytes at each end of a large
    /// memory are copied, not imaged).
    pub(super) fn of(env: &ModuleEnv) -> Option<MemoryImage> {
        if env.memories.is_empty() || env.is_imported_memory(0) {
            return None;
        }
        let initial = env.memories[0].initial.checked_mul(WASM_PAGE_SIZE)?;
        let mut starts = vec![None; env.data.len()];
        let (mut lo, mut hi, mut total) = (u64::MAX, 0u64, 0u64);
        for (i, data) in env.data.iter().enumerate() {
            let Some((0, offset)) = &data.active else {
                continue;
            };
            let start = constant_offset(offset)?;
            let end = start.checked_add(data.bytes.len() as u64)?;
            if end > initial {
                return None;
            }
            if start < end {
                lo = lo.min(start);
                hi = hi.max(end);
                total += end - start;
            }
            starts[i] = Some(start);
        }
        if total == 0 {
            return None;
        }
        let lo = lo - lo % MEMORY_IMAGE_ALIGN;
        // The initial size is a multiple of the wasm page, so of the image's.
        let hi = hi.checked_next_multiple_of(MEMORY_IMAGE_ALIGN)?;
        if hi - lo < MIN_IMAGE || hi - lo > 2 * total + MIN_IMAGE {
            return None;
        }
        Some(MemoryImage {
            offset: lo,
            len: hi - lo,
            starts,
        })
    }

    /// Whether the image applies data segment `i`.
    pub(super) fn covers(&self, i: usize) -> bool {
        self.starts[i].is_some()
    }

    /// The image's bytes: what the segments it applies leave, in order.
    pub(super) fn bytes(&self, env: &ModuleEnv) -> Vec<u8> {
        let mut bytes = vec![0u8; self.len as usize];
        for (data, start) in env.data.iter().zip(&self.starts) {
            // An empty segment may lie outside the image.
            if let (Some(start), false) = (start, data.bytes.is_empty()) {
                let at = (start - self.offset) as usize;
                bytes[at..at + data.bytes.len()].copy_from_slice(data.bytes);
            }
        }
        bytes
    }
}
