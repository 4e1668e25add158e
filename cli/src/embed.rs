//! `--embed-dir`: reads a host tree at build time into the image layout the
//! abi crate defines (`wasi_aot_abi::ImageHeader`), which the compiler bakes
//! into the executable as one read-only data object.
//!
//! What a tree may hold, checked here so the runtime can trust the image:
//! - regular files (contents copied as they are read now), directories, and
//!   symlinks whose target is relative and, resolved textually from the
//!   link's directory, stays inside the tree (kept as symlinks; a dangling
//!   one is kept too and reads as missing);
//! - anything else is a build error naming the entry: a symlink that is
//!   absolute or leads out of the tree, a FIFO, socket or device, an entry
//!   that cannot be read.
//!
//! The image is deterministic: entries are sorted by name (bytewise),
//! nothing of the host is kept but names, contents, symlink targets and
//! each entry's modification time (no owners, modes or inode numbers).
//! Hard links become separate copies.

use anyhow::{Context, Result, bail};
use std::collections::VecDeque;
use std::fs;
use std::mem::{offset_of, size_of};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;
use wasi_aot_abi::{
    IMAGE_ALIGN, IMAGE_FILE_ALIGN, IMAGE_MAGIC, ImageHeader, ImageNode, NODE_DIR, NODE_FILE,
    NODE_SYMLINK,
};

/// A built image and what it holds.
pub struct Image {
    pub bytes: Vec<u8>,
    pub files: u64,
    pub dirs: u64,
    pub symlinks: u64,
    /// Total size of the files' contents.
    pub content: u64,
}

/// One node while the tree is read.
struct Node {
    kind: u32,
    name: Vec<u8>,
    parent: u64,
    mtime: u64,
    /// Directory: first child and count. File: contents offset (in the
    /// content area) and length. Symlink: target offset (in the names
    /// area) and length.
    offset: u64,
    size: u64,
}

/// Reads the tree at `root` into an image.
pub fn build(root: &Path) -> Result<Image> {
    let meta = fs::metadata(root).with_context(|| format!("cannot read `{}`", root.display()))?;
    if !meta.is_dir() {
        bail!("`{}` is not a directory", root.display());
    }
    let mut nodes = vec![Node {
        kind: NODE_DIR,
        name: Vec::new(),
        parent: 0,
        mtime: mtime(&meta),
        offset: 0,
        size: 0,
    }];
    let mut names: Vec<u8> = Vec::new();
    let mut content: Vec<u8> = Vec::new();
    let mut image = Image {
        bytes: Vec::new(),
        files: 0,
        dirs: 1,
        symlinks: 0,
        content: 0,
    };
    // Breadth first, so that every directory's children are consecutive.
    let mut queue = VecDeque::from([(root.to_path_buf(), 0u64, 0usize)]);
    while let Some((dir, index, depth)) = queue.pop_front() {
        let read = |e: std::io::Error| anyhow::anyhow!("cannot read `{}`: {e}", dir.display());
        let mut entries = Vec::new();
        for entry in fs::read_dir(&dir).map_err(read)? {
            let entry = entry.map_err(read)?;
            entries.push((entry.file_name().as_bytes().to_vec(), entry.path()));
        }
        entries.sort();
        let first = nodes.len() as u64;
        nodes[index as usize].offset = first;
        nodes[index as usize].size = entries.len() as u64;
        for (name, path) in entries {
            let shown = path.display();
            let meta =
                fs::symlink_metadata(&path).with_context(|| format!("cannot read `{shown}`"))?;
            let ty = meta.file_type();
            let mut node = Node {
                kind: NODE_FILE,
                name,
                parent: index,
                mtime: mtime(&meta),
                offset: 0,
                size: 0,
            };
            if ty.is_dir() {
                node.kind = NODE_DIR;
                image.dirs += 1;
                queue.push_back((path.clone(), nodes.len() as u64, depth + 1));
            } else if ty.is_file() {
                let bytes = fs::read(&path).with_context(|| format!("cannot read `{shown}`"))?;
                let at = content.len().next_multiple_of(IMAGE_FILE_ALIGN as usize);
                content.resize(at, 0);
                content.extend_from_slice(&bytes);
                (node.offset, node.size) = (at as u64, bytes.len() as u64);
                image.files += 1;
                image.content += bytes.len() as u64;
            } else if ty.is_symlink() {
                let target =
                    fs::read_link(&path).with_context(|| format!("cannot read `{shown}`"))?;
                check_link(&path, &target, depth)?;
                node.kind = NODE_SYMLINK;
                let t = target.as_os_str().as_bytes();
                (node.offset, node.size) = (names.len() as u64, t.len() as u64);
                names.extend_from_slice(t);
                image.symlinks += 1;
            } else {
                let what = if ty.is_fifo() {
                    "a FIFO"
                } else if ty.is_socket() {
                    "a socket"
                } else if ty.is_char_device() || ty.is_block_device() {
                    "a device"
                } else {
                    "not a file, directory or symlink"
                };
                bail!("cannot embed `{shown}`: {what}");
            }
            nodes.push(node);
        }
    }
    image.bytes = lay_out(&nodes, &mut names, &content);
    Ok(image)
}

/// Refuses a symlink whose target is absolute or, read textually from the
/// link's directory (`depth` levels below the root), leaves the tree.
fn check_link(path: &Path, target: &Path, depth: usize) -> Result<()> {
    let outside = || {
        anyhow::anyhow!(
            "cannot embed `{}`: the symlink points outside the tree (`{}`)",
            path.display(),
            target.display()
        )
    };
    if target.is_absolute() || target.as_os_str().is_empty() {
        return Err(outside());
    }
    let mut level = depth;
    for part in target.as_os_str().as_bytes().split(|&b| b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => level = level.checked_sub(1).ok_or_else(outside)?,
            _ => level += 1,
        }
    }
    Ok(())
}

/// Modification time in ns since the epoch (0 before it).
fn mtime(meta: &fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// Writes the image: header, nodes, names (node names first, then the
/// symlink targets already in `names`), contents.
fn lay_out(nodes: &[Node], names: &mut Vec<u8>, content: &[u8]) -> Vec<u8> {
    let nodes_at = size_of::<ImageHeader>();
    let names_at = nodes_at + nodes.len() * size_of::<ImageNode>();
    // Symlink targets stay at their offsets; node names follow them.
    let mut name_offsets = Vec::with_capacity(nodes.len());
    for n in nodes {
        name_offsets.push(names.len() as u64);
        names.extend_from_slice(&n.name);
    }
    let data_at = (names_at + names.len()).next_multiple_of(IMAGE_ALIGN as usize);
    let mut out = vec![0u8; data_at + content.len()];
    let put = |out: &mut [u8], at: usize, v: u64| out[at..at + 8].copy_from_slice(&v.to_le_bytes());
    out[offset_of!(ImageHeader, magic)..][..8].copy_from_slice(&IMAGE_MAGIC);
    for (at, v) in [
        (offset_of!(ImageHeader, node_count), nodes.len()),
        (offset_of!(ImageHeader, names_offset), names_at),
        (offset_of!(ImageHeader, names_len), names.len()),
        (offset_of!(ImageHeader, data_offset), data_at),
        (offset_of!(ImageHeader, data_len), content.len()),
    ] {
        put(&mut out, at, v as u64);
    }
    for (i, n) in nodes.iter().enumerate() {
        let at = nodes_at + i * size_of::<ImageNode>();
        out[at + offset_of!(ImageNode, kind)..][..4].copy_from_slice(&n.kind.to_le_bytes());
        let name_len = n.name.len() as u32;
        out[at + offset_of!(ImageNode, name_len)..][..4].copy_from_slice(&name_len.to_le_bytes());
        let name_at = names_at as u64 + name_offsets[i];
        put(&mut out, at + offset_of!(ImageNode, name_offset), name_at);
        put(&mut out, at + offset_of!(ImageNode, parent), n.parent);
        // Offsets in the image: contents after the names, targets in them.
        let offset = match n.kind {
            NODE_FILE => data_at as u64 + n.offset,
            NODE_SYMLINK => names_at as u64 + n.offset,
            _ => n.offset,
        };
        put(&mut out, at + offset_of!(ImageNode, offset), offset);
        put(&mut out, at + offset_of!(ImageNode, size), n.size);
        put(&mut out, at + offset_of!(ImageNode, mtime), n.mtime);
    }
    out[names_at..names_at + names.len()].copy_from_slice(names);
    out[data_at..].copy_from_slice(content);
    out
}

/// Parses `HOST[::GUEST]` and reads the tree.
pub fn grant(spec: &str) -> Result<(String, PathBuf, Image)> {
    let (host, guest) = spec.split_once("::").unwrap_or((spec, spec));
    if host.is_empty() || guest.is_empty() || spec.contains('\0') {
        bail!("invalid --embed-dir `{spec}`: expected HOST[::GUEST]");
    }
    let image = build(Path::new(host)).with_context(|| format!("--embed-dir `{spec}`"))?;
    Ok((guest.to_string(), PathBuf::from(host), image))
}
