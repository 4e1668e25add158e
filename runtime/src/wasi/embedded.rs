//! Embedded trees (`--embed-dir`): read-only directories served from an
//! image inside the executable.
//!
//! The image (layout: `wasi_aot_abi::ImageHeader`) is read where the
//! compiler put it, in the executable's read-only data: nothing is copied or
//! even touched at start-up, and a read copies straight from the mapping
//! into guest memory, so start-up cost does not depend on the tree and a
//! read costs what a page-cache read costs.
//!
//! ⚠ Sandbox-critical: [`resolve`] is this tree's path resolution. It works
//! on node indices, never on host paths, and keeps the rules of the host
//! sandbox (`super::sandbox`): an absolute path or a `..` above the
//! directory a path is relative to is `EPERM`; symlinks (always relative,
//! checked at build time) are followed inside the tree, at most
//! [`MAX_LINKS`] per lookup (`ELOOP`).
//!
//! Read-only policy: every operation that would change the tree (creating,
//! truncating or opening for writing, `mkdir`, `unlink`, `rename`, `link`,
//! `symlink`, setting times or size, `fd_allocate`) answers `EROFS`, as a
//! read-only mount does, after the path has been resolved (so a missing
//! parent is still `ENOENT` and an escape still `EPERM`); `fd_write` and
//! `fd_pwrite` answer `EBADF`, since no descriptor of the tree is open for
//! writing.
//!
//! What the program sees of an entry: its inode number is one more than
//! its node index, its device number is [`DEV_BASE`] plus the tree's grant
//! index, its link count is 1, and all three times are the host entry's
//! modification time at build time.

use wasi_aot_abi::{
    EmbedGrant, IMAGE_MAGIC, ImageHeader, ImageNode, NODE_DIR, NODE_FILE, NODE_SYMLINK,
};

use super::errno::{Errno, WasiResult};
use super::fdtable::{Entry, Kind};
use crate::meta;

/// Most symlinks followed in one lookup (Linux's limit).
pub const MAX_LINKS: u32 = 40;

/// Device number of the first embedded tree (an arbitrary constant that no
/// real device has: major 0x7761).
pub const DEV_BASE: u64 = 0x7761_0000;

/// Longest path a symlink expansion may produce.
const PATH_MAX: usize = 4096;

/// One embedded tree.
#[derive(Clone, Copy)]
pub struct Tree {
    image: &'static [u8],
    nodes: &'static [ImageNode],
    pub index: u32,
}

/// The module's embedded trees.
fn grants() -> &'static [EmbedGrant] {
    meta::slice(super::module_info().caps.embeds)
}

impl Tree {
    /// The tree of grant `index`, checked to be an image.
    pub fn get(index: u32) -> Option<Tree> {
        let g = grants().get(index as usize)?;
        if g.len == 0 {
            return None;
        }
        // SAFETY: the compiler emits `len` bytes of image at `image`, in
        // read-only data that lives for the whole process.
        let image = unsafe { core::slice::from_raw_parts(g.image, g.len as usize) };
        Tree::from_image(image, index)
    }

    /// `image` as tree number `index`, if it is one: it must be 8-aligned
    /// (the compiler aligns it to a page), start with the magic and hold
    /// its nodes. Other offsets are checked when used.
    pub fn from_image(image: &'static [u8], index: u32) -> Option<Tree> {
        if image.len() < core::mem::size_of::<ImageHeader>()
            || !(image.as_ptr() as usize).is_multiple_of(8)
        {
            return None;
        }
        // SAFETY: the image starts with a header (length checked above)
        // and is 8-aligned (checked); the header is plain integers.
        let header = unsafe { &*image.as_ptr().cast::<ImageHeader>() };
        let nodes_at = core::mem::size_of::<ImageHeader>();
        let count = header.node_count as usize;
        let size = count.checked_mul(core::mem::size_of::<ImageNode>())?;
        if header.magic != IMAGE_MAGIC || count == 0 || nodes_at.checked_add(size)? > image.len() {
            return None;
        }
        // SAFETY: `count` nodes lie inside the image (checked), 8-aligned
        // (the header's size is a multiple of 8), plain integers.
        let nodes =
            unsafe { core::slice::from_raw_parts(image.as_ptr().add(nodes_at).cast(), count) };
        Some(Tree {
            image,
            nodes,
            index,
        })
    }

    /// The guest name of grant `index`.
    pub fn guest_name(index: u32) -> &'static [u8] {
        grants()
            .get(index as usize)
            .map_or(&[], |g| super::str_bytes(g.guest))
    }

    pub fn node(&self, n: u64) -> WasiResult<&'static ImageNode> {
        self.nodes.get(n as usize).ok_or(Errno::IO)
    }

    /// `len` bytes of the image at `offset` (`EIO` if out of it: a damaged
    /// image never makes the runtime read outside it).
    fn bytes(&self, offset: u64, len: u64) -> WasiResult<&'static [u8]> {
        let end = offset.checked_add(len).ok_or(Errno::IO)?;
        self.image
            .get(offset as usize..end as usize)
            .ok_or(Errno::IO)
    }

    pub fn name(&self, node: &ImageNode) -> WasiResult<&'static [u8]> {
        self.bytes(node.name_offset, node.name_len as u64)
    }

    /// A file's contents or a symlink's target.
    pub fn data(&self, node: &ImageNode) -> WasiResult<&'static [u8]> {
        self.bytes(node.offset, node.size)
    }

    /// The child of directory `dir` named `name`.
    fn child(&self, dir: u64, name: &[u8]) -> WasiResult<Option<u64>> {
        let d = self.node(dir)?;
        let (first, count) = (d.offset, d.size);
        let (mut lo, mut hi) = (0u64, count);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let n = first + mid;
            match self.name(self.node(n)?)?.cmp(name) {
                core::cmp::Ordering::Equal => return Ok(Some(n)),
                core::cmp::Ordering::Less => lo = mid + 1,
                core::cmp::Ordering::Greater => hi = mid,
            }
        }
        Ok(None)
    }

    /// The host-shaped `stat` of node `n`.
    pub fn stat(&self, n: u64) -> WasiResult<rustix::fs::Stat> {
        let node = self.node(n)?;
        // SAFETY: `Stat` is a plain C struct of integers: all-zero is valid.
        let mut st: rustix::fs::Stat = unsafe { core::mem::zeroed() };
        let ty = match node.kind {
            NODE_DIR => 0o040_555,
            NODE_SYMLINK => 0o120_777,
            _ => 0o100_444,
        };
        st.st_dev = (DEV_BASE + self.index as u64) as _;
        st.st_ino = (n + 1) as _;
        st.st_mode = ty as _;
        st.st_nlink = 1 as _;
        st.st_size = if node.kind == NODE_DIR { 0 } else { node.size } as _;
        let (s, ns) = (node.mtime / 1_000_000_000, node.mtime % 1_000_000_000);
        (st.st_atime, st.st_atime_nsec) = (s as _, ns as _);
        (st.st_mtime, st.st_mtime_nsec) = (s as _, ns as _);
        (st.st_ctime, st.st_ctime_nsec) = (s as _, ns as _);
        Ok(st)
    }

    pub fn is_dir(&self, n: u64) -> WasiResult<bool> {
        Ok(self.node(n)?.kind == NODE_DIR)
    }

    /// Resolves `path` beneath directory node `start` (see the module
    /// docs); a final symlink is followed when `follow` is set or the path
    /// ends in a slash. Returns the node.
    ///
    /// Errors: `ENOENT` (missing, or an empty path), `ENOTDIR` (a
    /// non-directory followed by more path), `EPERM` (absolute path, `..`
    /// above `start`), `ELOOP`, `ENAMETOOLONG`.
    pub fn resolve(&self, start: u64, path: &[u8], follow: bool) -> WasiResult<u64> {
        if path.is_empty() {
            return Err(Errno::NOENT);
        }
        if path[0] == b'/' {
            return Err(Errno::PERM);
        }
        let mut bufs = [[0u8; PATH_MAX]; 2];
        let mut which = 0;
        bufs[0][..path.len()].copy_from_slice(path);
        let mut len = path.len();
        let mut pos = 0;
        let mut cur = start;
        let mut links = 0;
        loop {
            let rest = &bufs[which][pos..len];
            let skip = rest.iter().take_while(|&&b| b == b'/').count();
            let rest = &rest[skip..];
            if rest.is_empty() {
                return Ok(cur);
            }
            let end = rest.iter().position(|&b| b == b'/').unwrap_or(rest.len());
            let (comp, after) = rest.split_at(end);
            let last = after.iter().all(|&b| b == b'/');
            let slash = !after.is_empty();
            let next_pos = pos + skip + end;
            match comp {
                b"." => {}
                b".." => {
                    if cur == start {
                        return Err(Errno::PERM);
                    }
                    cur = self.node(cur)?.parent;
                }
                _ => {
                    let child = self.child(cur, comp)?.ok_or(Errno::NOENT)?;
                    let node = self.node(child)?;
                    if node.kind == NODE_SYMLINK && (!last || follow || slash) {
                        links += 1;
                        if links > MAX_LINKS {
                            return Err(Errno::LOOP);
                        }
                        let target = self.data(node)?;
                        if target.first() == Some(&b'/') {
                            return Err(Errno::PERM);
                        }
                        // The rest of the path, after the target.
                        let after_len = len - next_pos;
                        let new_len = target.len() + after_len;
                        if new_len >= PATH_MAX {
                            return Err(Errno::NAMETOOLONG);
                        }
                        let (a, b) = bufs.split_at_mut(1);
                        let (from, to) = if which == 0 {
                            (&a[0], &mut b[0])
                        } else {
                            (&b[0], &mut a[0])
                        };
                        to[..target.len()].copy_from_slice(target);
                        to[target.len()..new_len].copy_from_slice(&from[next_pos..len]);
                        which ^= 1;
                        len = new_len;
                        pos = 0;
                        if len == 0 {
                            return Err(Errno::NOENT);
                        }
                        continue;
                    }
                    if last {
                        if slash && node.kind != NODE_DIR {
                            return Err(Errno::NOTDIR);
                        }
                        return Ok(child);
                    }
                    if node.kind != NODE_DIR {
                        return Err(Errno::NOTDIR);
                    }
                    cur = child;
                }
            }
            pos = next_pos;
        }
    }

    /// Checks what a change of `path` beneath `start` would need (its
    /// parent directory resolves) and refuses the change: `EROFS`.
    pub fn refuse_change(&self, start: u64, path: &[u8]) -> Errno {
        let trimmed = match path.iter().rposition(|&b| b != b'/') {
            Some(i) => &path[..=i],
            None if path.is_empty() => return Errno::NOENT,
            // Only slashes: an absolute path.
            None => return Errno::PERM,
        };
        let parent = match trimmed.iter().rposition(|&b| b == b'/') {
            Some(0) => return Errno::PERM,
            Some(i) => match self.resolve(start, &trimmed[..i], true) {
                Ok(n) => n,
                Err(e) => return e,
            },
            None => start,
        };
        match self.is_dir(parent) {
            Ok(true) => Errno::ROFS,
            Ok(false) => Errno::NOTDIR,
            Err(e) => e,
        }
    }
}

/// The tree and node of an embedded descriptor.
pub fn of(e: &Entry) -> WasiResult<(Tree, u64)> {
    Ok((Tree::get(e.image).ok_or(Errno::IO)?, e.node))
}

/// A descriptor for node `node` of tree `tree`, opened by the guest.
pub fn entry(tree: &Tree, node: u64) -> WasiResult<Entry> {
    let kind = if tree.is_dir(node)? {
        Kind::ImageDir
    } else {
        Kind::ImageFile
    };
    Ok(Entry::image(kind, tree.index, node))
}

/// The preopen of grant `index`.
pub fn preopen(index: u32) -> Option<Entry> {
    let tree = Tree::get(index)?;
    let mut e = Entry::image(Kind::ImagePreopen, tree.index, 0);
    e.name = Tree::guest_name(index);
    Some(e)
}

/// `filetype` of a node.
pub fn filetype(node: &ImageNode) -> u8 {
    match node.kind {
        NODE_DIR => 3,
        NODE_FILE => 4,
        NODE_SYMLINK => 7,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use core::mem::{offset_of, size_of};
    use std::vec::Vec;

    /// (kind, name, parent, offset, size, target or contents)
    type Row = (u32, &'static str, u64, u64, u64, &'static [u8]);

    /// A hand-made image:
    /// ```text
    /// 0 /            1 a -> file "hi"   2 d/    3 loop -> loop   4 up -> .
    /// 5 d/abs -> /etc                   6 d/x -> ../a
    /// ```
    fn image(magic: [u8; 8], count: u64) -> &'static [u8] {
        let rows: [Row; 7] = [
            (NODE_DIR, "", 0, 1, 4, b""),
            (NODE_FILE, "a", 0, 0, 2, b"hi"),
            (NODE_DIR, "d", 0, 5, 2, b""),
            (NODE_SYMLINK, "loop", 0, 0, 4, b"loop"),
            (NODE_SYMLINK, "up", 0, 0, 1, b"."),
            (NODE_SYMLINK, "abs", 2, 0, 4, b"/etc"),
            (NODE_SYMLINK, "x", 2, 0, 4, b"../a"),
        ];
        let names_at = size_of::<ImageHeader>() + rows.len() * size_of::<ImageNode>();
        let data_at = 4096;
        let mut bytes = std::vec![0u8; data_at + 16];
        let put = |b: &mut [u8], at: usize, v: &[u8]| b[at..at + v.len()].copy_from_slice(v);
        put(&mut bytes, 0, &magic);
        put(
            &mut bytes,
            offset_of!(ImageHeader, node_count),
            &count.to_le_bytes(),
        );
        let mut names = names_at;
        for (i, &(kind, name, parent, offset, size, extra)) in rows.iter().enumerate() {
            let at = size_of::<ImageHeader>() + i * size_of::<ImageNode>();
            put(&mut bytes, at, &kind.to_le_bytes());
            put(&mut bytes, at + 4, &(name.len() as u32).to_le_bytes());
            put(&mut bytes, at + 8, &(names as u64).to_le_bytes());
            put(&mut bytes, names, name.as_bytes());
            names += name.len();
            let offset = match kind {
                NODE_FILE => data_at as u64,
                NODE_SYMLINK => names as u64,
                _ => offset,
            };
            match kind {
                NODE_FILE => put(&mut bytes, data_at, extra),
                _ => put(&mut bytes, names, extra),
            }
            if kind == NODE_SYMLINK {
                names += extra.len();
            }
            put(&mut bytes, at + 16, &parent.to_le_bytes());
            put(&mut bytes, at + 24, &offset.to_le_bytes());
            put(&mut bytes, at + 32, &size.to_le_bytes());
        }
        // 8-aligned storage, leaked: the tree borrows it for 'static.
        let words: Vec<u64> = bytes
            .chunks(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
            .collect();
        let words: &'static [u64] = std::boxed::Box::leak(words.into_boxed_slice());
        // SAFETY: a live, leaked allocation of `8 * len` initialised bytes.
        unsafe { core::slice::from_raw_parts(words.as_ptr().cast(), words.len() * 8) }
    }

    fn tree() -> Tree {
        Tree::from_image(image(IMAGE_MAGIC, 7), 0).unwrap()
    }

    #[test]
    fn resolves_inside_the_tree() {
        let t = tree();
        assert_eq!(t.resolve(0, b"a", false), Ok(1));
        assert_eq!(t.resolve(0, b"./d//x", true), Ok(1));
        assert_eq!(t.resolve(0, b"d/x", false), Ok(6));
        assert_eq!(t.resolve(0, b"d/../a", false), Ok(1));
        assert_eq!(t.resolve(0, b"up/a", false), Ok(1));
        assert_eq!(t.resolve(0, b"d/", false), Ok(2));
        assert_eq!(t.resolve(0, b"loop", false), Ok(3));
        assert_eq!(t.data(t.node(1).unwrap()), Ok(&b"hi"[..]));
    }

    #[test]
    fn refuses_escapes_and_bad_paths() {
        let t = tree();
        for (path, follow, errno) in [
            (&b".."[..], false, Errno::PERM),
            (b"d/../..", false, Errno::PERM),
            (b"up/..", false, Errno::PERM),
            (b"/a", false, Errno::PERM),
            (b"d/abs", true, Errno::PERM),
            (b"loop", true, Errno::LOOP),
            (b"a/", false, Errno::NOTDIR),
            (b"a/b", false, Errno::NOTDIR),
            (b"", false, Errno::NOENT),
            (b"nope", false, Errno::NOENT),
        ] {
            assert_eq!(t.resolve(0, path, follow), Err(errno), "{path:?}");
        }
        // From `d`, `..` is above the start, also through a symlink.
        assert_eq!(t.resolve(2, b"..", false), Err(Errno::PERM));
        assert_eq!(t.resolve(2, b"x", true), Err(Errno::PERM));
    }

    #[test]
    fn changes_are_refused_after_the_parent_resolves() {
        let t = tree();
        assert_eq!(t.refuse_change(0, b"new"), Errno::ROFS);
        assert_eq!(t.refuse_change(0, b"d/new/"), Errno::ROFS);
        assert_eq!(t.refuse_change(0, b"nope/new"), Errno::NOENT);
        assert_eq!(t.refuse_change(0, b"a/new"), Errno::NOTDIR);
        assert_eq!(t.refuse_change(0, b"/new"), Errno::PERM);
        assert_eq!(t.refuse_change(0, b"../new"), Errno::PERM);
    }

    #[test]
    fn damaged_images_are_refused() {
        assert!(Tree::from_image(image(*b"NOTANIMG", 7), 0).is_none());
        assert!(Tree::from_image(image(IMAGE_MAGIC, 0), 0).is_none());
        assert!(Tree::from_image(image(IMAGE_MAGIC, 1 << 40), 0).is_none());
        assert!(Tree::from_image(image(IMAGE_MAGIC, u64::MAX), 0).is_none());
        assert!(Tree::from_image(image(IMAGE_MAGIC, (usize::MAX / 48) as u64), 0).is_none());
        // A node past the count is an error, not a read outside.
        let t = Tree::from_image(image(IMAGE_MAGIC, 3), 0).unwrap();
        assert_eq!(t.resolve(0, b"up", false), Err(Errno::IO));
    }
}
