//! Path resolution beneath a preopened directory.
//!
//! ⚠ Sandbox-critical: this is the only place guest paths reach the host
//! file system, and it must never let one escape the directory it starts
//! from: not by an absolute path, not by `..` past the start, not by a
//! symlink (relative or absolute) that leads outside, not by a `/proc`
//! magic link.
//!
//! - Absolute paths are rejected with `ENOTCAPABLE` before any system call.
//! - Normally the kernel does the walk: `openat2` with
//!   `RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS` fails with `EXDEV` on any
//!   escape, which we report as `ENOTCAPABLE`. Symlinks inside the tree are
//!   followed as the guest expects.
//! - Kernels older than 5.6 lack `openat2` (`ENOSYS`): we then walk the path
//!   one component at a time with `O_NOFOLLOW`, tracking the depth so `..`
//!   cannot climb above the start. In that mode symlinks are not followed at
//!   all (`ELOOP`/`ENOTDIR`): safe, if less capable.
//! - Operations on a name (mkdir, unlink, rmdir, rename, link, symlink,
//!   readlink) open the *parent* beneath the preopen this way and then use
//!   the `*at` call on the last component, which the kernel never follows
//!   when it is a symlink.
//!
//! Rejected: resolving paths in user space and re-opening the result as a
//! string (racy: a concurrent rename or symlink swap could redirect it).

use rustix::fd::{BorrowedFd, OwnedFd};
use rustix::fs::{Mode, OFlags, ResolveFlags};
use rustix::io::Errno as E;

use super::errno::{Errno, WasiResult};

/// Rejects paths the guest may never use.
fn check(path: &[u8]) -> WasiResult {
    if path.is_empty() {
        return Err(Errno::NOENT);
    }
    if path[0] == b'/' {
        return Err(Errno::NOTCAPABLE);
    }
    if path.contains(&0) {
        return Err(Errno::INVAL);
    }
    Ok(())
}

/// Opens `path` beneath `dir` with `flags` (plus `O_CLOEXEC`).
pub fn open_beneath(
    dir: BorrowedFd<'_>,
    path: &[u8],
    flags: OFlags,
    mode: Mode,
) -> WasiResult<OwnedFd> {
    check(path)?;
    let flags = flags | OFlags::CLOEXEC;
    // openat2 rejects a mode without O_CREAT (EINVAL).
    let mode = if flags.contains(OFlags::CREATE) {
        mode
    } else {
        Mode::empty()
    };
    let resolve = ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS;
    for _ in 0..8 {
        match rustix::fs::openat2(dir, path, flags, mode, resolve) {
            Ok(fd) => return Ok(fd),
            Err(E::XDEV) => return Err(Errno::NOTCAPABLE),
            // The kernel gives up on a walk that raced with a rename.
            Err(E::AGAIN) => continue,
            Err(E::NOSYS) => return walk(dir, path, flags, mode),
            Err(e) => return Err(e.into()),
        }
    }
    Err(Errno::AGAIN)
}

/// The fallback walk for kernels without `openat2`: one component at a
/// time, never following a symlink, never above the start directory.
fn walk(dir: BorrowedFd<'_>, path: &[u8], flags: OFlags, mode: Mode) -> WasiResult<OwnedFd> {
    let trailing_slash = path.ends_with(b"/");
    let mut comps = path
        .split(|&c| c == b'/')
        .filter(|c| !c.is_empty() && *c != b".")
        .peekable();
    let mut cur: Option<OwnedFd> = None;
    let mut depth = 0usize;
    let step = OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    while let Some(c) = comps.next() {
        let last = comps.peek().is_none();
        if c == b".." {
            depth = depth.checked_sub(1).ok_or(Errno::NOTCAPABLE)?;
        } else {
            depth += 1;
        }
        let base = cur.as_ref().map_or(dir, |f| rustix::fd::AsFd::as_fd(f));
        let next = if last {
            let mut f = flags | OFlags::NOFOLLOW;
            if trailing_slash {
                f |= OFlags::DIRECTORY;
            }
            rustix::fs::openat(base, c, f, mode)
        } else {
            rustix::fs::openat(base, c, step, Mode::empty())
        };
        cur = Some(next?);
    }
    match cur {
        Some(f) => Ok(f),
        // The path named the start directory itself ("." or "a/..").
        None => Ok(rustix::fs::openat(
            dir,
            c".",
            flags | OFlags::NOFOLLOW,
            mode,
        )?),
    }
}

/// Splits `path` into its parent (`.` when none) and last component. A last
/// component `.` or `..` is folded into the parent (the parent is then the
/// whole path and the component `.`), so the parent open does the escape
/// check for it. Trailing slashes stay on the component, where the `*at`
/// calls interpret them (they require a directory).
pub fn split_parent(path: &[u8]) -> (&[u8], &[u8]) {
    let end = path.iter().rposition(|&c| c != b'/').map_or(0, |i| i + 1);
    let start = path[..end]
        .iter()
        .rposition(|&c| c == b'/')
        .map_or(0, |i| i + 1);
    let name = &path[start..end];
    if name == b"." || name == b".." {
        return (path, b".");
    }
    let parent = &path[..start];
    let parent_end = parent.iter().rposition(|&c| c != b'/').map_or(0, |i| i + 1);
    if parent_end == 0 {
        (b".", &path[start..])
    } else {
        (&parent[..parent_end], &path[start..])
    }
}

/// Opens the parent of `path` beneath `dir` and returns it with the last
/// component, ready for an `*at` call.
pub fn open_parent<'p>(dir: BorrowedFd<'_>, path: &'p [u8]) -> WasiResult<(OwnedFd, &'p [u8])> {
    check(path)?;
    let (parent, name) = split_parent(path);
    let fd = open_beneath(dir, parent, OFlags::PATH | OFlags::DIRECTORY, Mode::empty())?;
    Ok((fd, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split() {
        assert_eq!(split_parent(b"a"), (&b"."[..], &b"a"[..]));
        assert_eq!(split_parent(b"a/b"), (&b"a"[..], &b"b"[..]));
        assert_eq!(split_parent(b"a//b/"), (&b"a"[..], &b"b/"[..]));
        assert_eq!(split_parent(b"a/.."), (&b"a/.."[..], &b"."[..]));
        assert_eq!(split_parent(b".."), (&b".."[..], &b"."[..]));
        assert_eq!(split_parent(b"x/./"), (&b"x/./"[..], &b"."[..]));
    }

    /// Both resolution strategies refuse every escape and allow the rest.
    #[test]
    fn escapes_refused() {
        extern crate std;
        use rustix::fd::AsFd;
        let root =
            std::env::temp_dir().join(std::format!("wasi-aot-sandbox-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("box/sub")).unwrap();
        std::fs::write(root.join("box/f"), b"x").unwrap();
        std::fs::write(root.join("secret"), b"s").unwrap();
        std::os::unix::fs::symlink("../secret", root.join("box/out")).unwrap();
        std::os::unix::fs::symlink("/", root.join("box/abs")).unwrap();
        let box_path = root.join("box");
        let dir = rustix::fs::open(
            box_path.as_os_str().as_encoded_bytes(),
            OFlags::RDONLY | OFlags::DIRECTORY,
            Mode::empty(),
        )
        .unwrap();
        let ro = OFlags::RDONLY;
        for p in [&b"f"[..], b"sub/../f", b"./sub/./../f"] {
            assert!(
                open_beneath(dir.as_fd(), p, ro, Mode::empty()).is_ok(),
                "{p:?}"
            );
            assert!(walk(dir.as_fd(), p, ro, Mode::empty()).is_ok(), "{p:?}");
        }
        for p in [&b"../secret"[..], b"sub/../../secret", b"out", b"abs/etc"] {
            assert_eq!(
                open_beneath(dir.as_fd(), p, ro, Mode::empty()).err(),
                Some(Errno::NOTCAPABLE),
                "{p:?}"
            );
            assert!(walk(dir.as_fd(), p, ro, Mode::empty()).is_err(), "{p:?}");
        }
        assert_eq!(
            open_parent(dir.as_fd(), b"../x").err(),
            Some(Errno::NOTCAPABLE)
        );
        assert_eq!(open_parent(dir.as_fd(), b"sub/..").err(), None);
        assert_eq!(
            open_parent(dir.as_fd(), b"..").err(),
            Some(Errno::NOTCAPABLE)
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn rejects() {
        assert_eq!(check(b"/etc/passwd"), Err(Errno::NOTCAPABLE));
        assert_eq!(check(b""), Err(Errno::NOENT));
        assert_eq!(check(b"a\0b"), Err(Errno::INVAL));
        assert_eq!(check(b"a/b"), Ok(()));
    }
}
