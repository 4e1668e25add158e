//! The embedded directory image: a read-only tree baked into an executable
//! by `--embed-dir`, which the runtime serves as a preopened directory.
//!
//! The build writes the image as one data object (aligned to
//! [`IMAGE_ALIGN`]) of the compiled object; the runtime reads it in place,
//! from the executable's own mapping, so nothing is copied at start-up and
//! pages are read only when the program reads them.
//!
//! ```text
//! offset 0            ImageHeader
//! size_of(header)     [ImageNode; node_count]     node 0 is the root
//! names_offset        names and symlink targets, bytes, unterminated
//! data_offset         file contents, each at a multiple of IMAGE_FILE_ALIGN
//!                     (data_offset is a multiple of IMAGE_ALIGN)
//! ```
//!
//! Nodes are in breadth-first order, and the children of a directory are
//! consecutive nodes sorted by name (bytewise), so a lookup in a directory
//! is a binary search. `.` and `..` are not stored. A node's inode number as
//! the program sees it is its index + 1. Every offset is from the start of
//! the image; the builder guarantees that every range lies inside it.

/// First bytes of every image.
pub const IMAGE_MAGIC: [u8; 8] = *b"WAOTIMG1";

/// Alignment of the image and of its file-content area (a page).
pub const IMAGE_ALIGN: u64 = 4096;

/// Alignment of each file's contents inside the content area.
pub const IMAGE_FILE_ALIGN: u64 = 16;

/// Node kinds, numbered as WASI's `filetype`.
pub const NODE_DIR: u32 = 3;
pub const NODE_FILE: u32 = 4;
pub const NODE_SYMLINK: u32 = 7;

/// Start of an image.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ImageHeader {
    /// [`IMAGE_MAGIC`].
    pub magic: [u8; 8],
    pub node_count: u64,
    pub names_offset: u64,
    pub names_len: u64,
    pub data_offset: u64,
    pub data_len: u64,
}

/// One entry of the tree.
///
/// ```text
/// kind u32 @0 | name_len u32 @4 | name_offset u64 @8 | parent u64 @16
/// offset u64 @24 | size u64 @32 | mtime u64 @40
/// ```
/// - a directory: `offset` is its first child's node index, `size` the
///   number of children;
/// - a file: `offset` is where its contents start, `size` their length;
/// - a symlink: `offset` is where its target starts (in the names area),
///   `size` its length; the target is relative and stays inside the tree.
///
/// `parent` is the parent's node index (the root's is 0, itself); `mtime`
/// is the host entry's modification time in ns since the epoch.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ImageNode {
    pub kind: u32,
    pub name_len: u32,
    pub name_offset: u64,
    pub parent: u64,
    pub offset: u64,
    pub size: u64,
    pub mtime: u64,
}

/// An embedded tree granted to the module: `image` (`len` bytes, laid out
/// as described in this module) appears as a read-only preopen named
/// `guest`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct EmbedGrant {
    pub guest: crate::Str,
    pub image: *const u8,
    pub len: u64,
}
