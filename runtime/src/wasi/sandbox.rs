//! Path resolution beneath a preopened directory.
//!
//! ⚠ Sandbox-critical: this is the only place guest paths reach the host
//! file system, and it must never let one escape the directory it starts
//! from: not by an absolute path, not by `..` past the start, not by a
//! symlink (relative or absolute, alone, in a chain or in the middle of a
//! path) that leads outside, not by a `/proc` magic link, and not by a
//! directory swapped for a symlink between a check and a use.
//!
//! Policy:
//! - Every refusal is [`ESCAPE`] (`EPERM`, what wasmtime 49 reports; the
//!   WASI spec's `ENOTCAPABLE` would say the same, but programs are compared
//!   with wasmtime).
//! - Absolute paths are refused before any system call.
//! - Normally the kernel does the walk: `openat2` with
//!   `RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS` resolves the whole path,
//!   symlinks included, and fails with `EXDEV` on any escape, which we
//!   report as [`ESCAPE`]. The check and the use are one system call, so
//!   there is nothing to race with.
//! - Kernels older than 5.6 lack `openat2` (`ENOSYS`): [`walk`] then
//!   resolves one component at a time, each opened with `O_NOFOLLOW`
//!   relative to the descriptor of the directory before it, following
//!   symlinks itself (read, spliced into the path, checked like the rest)
//!   and handling `..` from its own stack of descriptors, never by asking
//!   the kernel. A swap between two steps can only make a later step see a
//!   symlink, which is then checked like any other.
//! - Operations on a name (mkdir, unlink, rmdir, rename, link, symlink,
//!   readlink) open the *parent* beneath the preopen this way and then use
//!   the `*at` call on the last component ([`open_parent`]). The calls that
//!   create or remove a name (`mkdirat`, `unlinkat`, `renameat`,
//!   `symlinkat`, `linkat`'s new name) never follow it, trailing slash or
//!   not. The two that look a name up, `readlinkat` and `linkat`'s old
//!   name, follow a last component with a trailing slash even when it is a
//!   symlink, to wherever it points, and their errno would tell the guest
//!   what is there; [`open_last`] resolves such a path whole, beneath the
//!   preopen, instead, so an escape is [`ESCAPE`] whatever is outside.
//!
//! Both strategies are unit-tested against the same trees (escapes, inner
//! symlinks, loops, a directory swapped for a symlink in a loop): the tests
//! call [`walk`] directly. Executables have no switch to force the walk,
//! because a switch users could flip is one more thing to get wrong.
//!
//! Rejected: resolving paths in user space and re-opening the result as a
//! string (racy: a concurrent rename or symlink swap could redirect it);
//! `chroot`/mount namespaces (need privileges, and the process also needs
//! its own executable and stdio).

use rustix::fd::{BorrowedFd, OwnedFd};
use rustix::fs::{FileType, Mode, OFlags, ResolveFlags};
use rustix::io::Errno as E;

use super::errno::{Errno, WasiResult};

/// The errno of every path that would leave the directory it is resolved
/// in: `EPERM`, as wasmtime 49 reports it.
pub const ESCAPE: Errno = Errno::PERM;

/// Rejects paths the guest may never use.
fn check(path: &[u8]) -> WasiResult {
    if path.is_empty() {
        return Err(Errno::NOENT);
    }
    if path[0] == b'/' {
        return Err(ESCAPE);
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
            Err(E::XDEV) => return Err(ESCAPE),
            // The kernel gives up on a walk that raced with a rename.
            Err(E::AGAIN) => continue,
            Err(E::NOSYS) => return walk(dir, path, flags, mode),
            Err(e) => return Err(e.into()),
        }
    }
    Err(Errno::AGAIN)
}

/// Most symlinks one resolution follows (Linux's limit).
const MAX_SYMLINKS: usize = 40;
/// Deepest nesting below the start directory the walk tracks.
const MAX_DEPTH: usize = 64;
/// Longest path the walk handles, symlink contents spliced in.
const WALK_PATH_MAX: usize = 4096;

/// The fallback walk for kernels without `openat2`: one component at a
/// time, each opened with `O_NOFOLLOW` relative to the descriptor of the
/// directory before it.
///
/// - `..` pops the walk's own stack of directory descriptors; the kernel
///   never resolves a `..`, so a directory renamed out of the tree during
///   the walk cannot lead outside, and `..` at the start is [`ESCAPE`].
/// - A symlink (in the middle, or last with `symlink_follow` or a trailing
///   slash) is read with `readlinkat` and its contents spliced in front of
///   the rest of the path, then resolved by the same rules: an absolute
///   target is [`ESCAPE`], more than [`MAX_SYMLINKS`] is `ELOOP`.
/// - The last component is opened with the caller's flags plus
///   `O_NOFOLLOW` (plus `O_DIRECTORY` for a trailing slash).
///
/// Limits: [`MAX_DEPTH`] directories deep (`ENAMETOOLONG` beyond).
fn walk(dir: BorrowedFd<'_>, path: &[u8], flags: OFlags, mode: Mode) -> WasiResult<OwnedFd> {
    let follow_last = !flags.contains(OFlags::NOFOLLOW);
    // The path still to resolve is `buf[at..]`; symlink contents are
    // spliced in before it.
    let mut buf = [0u8; WALK_PATH_MAX];
    if path.len() > WALK_PATH_MAX {
        return Err(Errno::NAMETOOLONG);
    }
    let mut at = WALK_PATH_MAX - path.len();
    buf[at..].copy_from_slice(path);
    let mut stack: [Option<OwnedFd>; MAX_DEPTH] = [const { None }; MAX_DEPTH];
    let mut depth = 0usize;
    let mut links = 0usize;
    let step = OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    loop {
        while buf.get(at) == Some(&b'/') {
            at += 1;
        }
        let cur = match depth {
            0 => dir,
            d => rustix::fd::AsFd::as_fd(stack[d - 1].as_ref().ok_or(Errno::IO)?),
        };
        if at == WALK_PATH_MAX {
            // Nothing left: the path named a directory we hold ("." or
            // "a/.."); open it again with the caller's flags.
            return Ok(rustix::fs::openat(
                cur,
                c".",
                flags | OFlags::NOFOLLOW,
                mode,
            )?);
        }
        let len = buf[at..]
            .iter()
            .position(|&c| c == b'/')
            .unwrap_or(WALK_PATH_MAX - at);
        let (comp_start, comp_end) = (at, at + len);
        at = comp_end;
        let slashes = buf[at..].iter().take_while(|&&c| c == b'/').count();
        let last = at + slashes == WALK_PATH_MAX;
        let trailing_slash = last && slashes > 0;
        let comp = &buf[comp_start..comp_end];
        if comp == b"." {
            continue;
        }
        if comp == b".." {
            depth = depth.checked_sub(1).ok_or(ESCAPE)?;
            stack[depth] = None;
            continue;
        }
        if last {
            let mut f = flags | OFlags::NOFOLLOW;
            if trailing_slash {
                f |= OFlags::DIRECTORY;
            }
            match rustix::fs::openat(cur, comp, f, mode) {
                // O_PATH | O_NOFOLLOW opens a symlink itself.
                Ok(fd) if flags.contains(OFlags::PATH) && follow_last && is_symlink(&fd) => {}
                Ok(fd) => return Ok(fd),
                Err(E::LOOP | E::NOTDIR) if follow_last || trailing_slash => {
                    // A symlink to follow, or a real ENOTDIR.
                    let mut probe = [0u8; 1];
                    if rustix::fs::readlinkat_raw(cur, comp, &mut probe[..]).is_err() {
                        return Err(Errno::NOTDIR);
                    }
                }
                Err(e) => return Err(e.into()),
            }
        } else {
            let fd = rustix::fs::openat(cur, comp, step, Mode::empty())?;
            let st = rustix::fs::fstat(&fd)?;
            match FileType::from_raw_mode(st.st_mode) {
                FileType::Symlink => {}
                FileType::Directory => {
                    if depth == MAX_DEPTH {
                        return Err(Errno::NAMETOOLONG);
                    }
                    stack[depth] = Some(fd);
                    depth += 1;
                    continue;
                }
                _ => return Err(Errno::NOTDIR),
            }
        }
        // Splice the symlink's contents in place of the component.
        links += 1;
        if links > MAX_SYMLINKS {
            return Err(Errno::LOOP);
        }
        let mut target = [0u8; WALK_PATH_MAX];
        let n = rustix::fs::readlinkat_raw(cur, comp, &mut target[..])?;
        if n == 0 {
            return Err(Errno::NOENT);
        }
        if n >= WALK_PATH_MAX {
            return Err(Errno::NAMETOOLONG);
        }
        if target[0] == b'/' {
            return Err(ESCAPE);
        }
        // The contents replace the component; what followed it (starting
        // with its slashes, if any) stays in place.
        at = comp_end.checked_sub(n).ok_or(Errno::NAMETOOLONG)?;
        buf[at..comp_end].copy_from_slice(&target[..n]);
    }
}

fn is_symlink(fd: &OwnedFd) -> bool {
    rustix::fs::fstat(fd).is_ok_and(|st| FileType::from_raw_mode(st.st_mode) == FileType::Symlink)
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

/// A resolution strategy: [`open_beneath`] (the kernel's walk, the
/// component walk where the kernel has none), or in tests [`walk`] alone.
type Open = fn(BorrowedFd<'_>, &[u8], OFlags, Mode) -> WasiResult<OwnedFd>;

/// Opens the parent of `path` beneath `dir` and returns it with the last
/// component, ready for an `*at` call that creates or removes that name
/// (these never follow it; see [`open_last`] for the calls that look it
/// up).
pub fn open_parent<'p>(dir: BorrowedFd<'_>, path: &'p [u8]) -> WasiResult<(OwnedFd, &'p [u8])> {
    open_parent_with(dir, path, open_beneath)
}

fn open_parent_with<'p>(
    dir: BorrowedFd<'_>,
    path: &'p [u8],
    open: Open,
) -> WasiResult<(OwnedFd, &'p [u8])> {
    check(path)?;
    let (parent, name) = split_parent(path);
    let fd = open(dir, parent, OFlags::PATH | OFlags::DIRECTORY, Mode::empty())?;
    Ok((fd, name))
}

/// What an `*at` call that looks its last component up without following
/// it (`readlinkat`, `linkat`'s old name) acts on.
#[derive(Debug)]
pub enum Last<'p> {
    /// The parent, opened beneath the start, and the last component, which
    /// has no trailing slash.
    Name(OwnedFd, &'p [u8]),
    /// The path ends in a slash and names a directory beneath the start
    /// (through symlinks, which a trailing slash follows): never a symlink,
    /// never something to hard-link.
    Dir,
}

/// Resolves `path` beneath `dir` for `readlinkat` or `linkat`'s old name.
///
/// ⚠ Sandbox-critical: given a last component with a trailing slash, those
/// calls follow it even when it is a symlink, to anywhere: a link to
/// `../outdir` would give `EINVAL` (a directory is there), to `../file`
/// `ENOTDIR`, to `../missing` `ENOENT`. Such a path is therefore resolved
/// whole here, beneath `dir`, like any other: an escape is [`ESCAPE`]
/// whatever is outside, and what remains is a directory inside
/// ([`Last::Dir`]) or the error of looking it up (`ENOTDIR`, `ENOENT`,
/// `ELOOP`) — what Linux answers inside the grant.
pub fn open_last<'p>(dir: BorrowedFd<'_>, path: &'p [u8]) -> WasiResult<Last<'p>> {
    open_last_with(dir, path, open_beneath)
}

fn open_last_with<'p>(dir: BorrowedFd<'_>, path: &'p [u8], open: Open) -> WasiResult<Last<'p>> {
    check(path)?;
    if path.ends_with(b"/") {
        open(dir, path, OFlags::PATH | OFlags::DIRECTORY, Mode::empty())?;
        return Ok(Last::Dir);
    }
    let (parent, name) = open_parent_with(dir, path, open)?;
    Ok(Last::Name(parent, name))
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

    extern crate std;
    use rustix::fd::AsFd;
    use std::path::{Path, PathBuf};

    /// The two strategies, so every test runs both: the kernel's
    /// (`openat2`, which this machine must have) and the fallback walk.
    const STRATEGIES: [(&str, Open); 2] = [("openat2", openat2_only), ("walk", walk)];

    fn openat2_only(dir: BorrowedFd<'_>, p: &[u8], f: OFlags, m: Mode) -> WasiResult<OwnedFd> {
        let r = open_beneath(dir, p, f, m);
        assert_ne!(r.as_ref().err(), Some(&Errno::NOSYS));
        r
    }

    /// A fresh `root/` with a `box/` to grant, removed on drop:
    /// ```text
    /// root/secret                    box/f, box/sub/, box/sub/g
    /// box/out -> ../secret           box/abs -> /
    /// box/in -> sub                  box/in2 -> in/g (a chain, inside)
    /// box/up -> sub/../..            box/dangling -> nothing
    /// box/loop1 -> loop2 -> loop1    box/sub/back -> ../f
    /// ```
    struct Tree(PathBuf);

    impl Tree {
        fn new(label: &str) -> Tree {
            let root = std::env::temp_dir().join(std::format!(
                "wasi-aot-sandbox-{label}-{}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(root.join("box/sub")).unwrap();
            std::fs::write(root.join("box/f"), b"inside").unwrap();
            std::fs::write(root.join("box/sub/g"), b"g").unwrap();
            std::fs::write(root.join("secret"), b"outside").unwrap();
            for (target, link) in [
                ("../secret", "box/out"),
                ("/", "box/abs"),
                ("sub", "box/in"),
                ("in/g", "box/in2"),
                ("sub/../..", "box/up"),
                ("nothing", "box/dangling"),
                ("loop2", "box/loop1"),
                ("loop1", "box/loop2"),
                ("../f", "box/sub/back"),
            ] {
                std::os::unix::fs::symlink(target, root.join(link)).unwrap();
            }
            Tree(root)
        }

        fn dir(&self) -> OwnedFd {
            open_dir(&self.0.join("box"))
        }
    }

    impl Drop for Tree {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn open_dir(p: &Path) -> OwnedFd {
        rustix::fs::open(
            p.as_os_str().as_encoded_bytes(),
            OFlags::RDONLY | OFlags::DIRECTORY,
            Mode::empty(),
        )
        .unwrap()
    }

    fn contents(fd: OwnedFd) -> std::vec::Vec<u8> {
        let mut buf = [0u8; 64];
        let n = rustix::io::read(&fd, &mut buf).unwrap();
        buf[..n].to_vec()
    }

    /// Both strategies refuse every escape and allow the rest, with the
    /// same errnos.
    #[test]
    fn escapes_refused() {
        let tree = Tree::new("escapes");
        let dir = tree.dir();
        let (ro, nofollow) = (OFlags::RDONLY, OFlags::RDONLY | OFlags::NOFOLLOW);
        for (name, open) in STRATEGIES {
            let ok = |p: &[u8], f: OFlags| {
                let fd = open(dir.as_fd(), p, f, Mode::empty());
                let fd = fd.unwrap_or_else(|e| panic!("{name} {p:?}: {e:?}"));
                contents(fd)
            };
            assert_eq!(ok(b"f", ro), b"inside");
            assert_eq!(ok(b"sub/../f", ro), b"inside");
            assert_eq!(ok(b"./sub/./../f", ro), b"inside");
            assert_eq!(ok(b"in/g", ro), b"g", "{name}");
            assert_eq!(ok(b"in2", ro), b"g", "{name}");
            assert_eq!(ok(b"in/../f", ro), b"inside", "{name}");
            assert_eq!(ok(b"sub/back", ro), b"inside", "{name}");
            assert_eq!(ok(b"in//back", ro), b"inside", "{name}");
            let err = |p: &[u8], f: OFlags| open(dir.as_fd(), p, f, Mode::empty()).err();
            for p in [
                &b"../secret"[..],
                b"sub/../../secret",
                b"out",
                b"abs/etc",
                b"up/secret",
                b"in/../../secret",
                b"..",
                b"sub/../..",
            ] {
                assert_eq!(err(p, ro), Some(ESCAPE), "{name} {p:?}");
            }
            assert_eq!(err(b"dangling", ro), Some(Errno::NOENT), "{name}");
            assert_eq!(err(b"loop1", ro), Some(Errno::LOOP), "{name}");
            assert_eq!(err(b"loop1/x", nofollow), Some(Errno::LOOP), "{name}");
            assert_eq!(err(b"in2", nofollow), Some(Errno::LOOP), "{name}");
            assert_eq!(err(b"f/", ro), Some(Errno::NOTDIR), "{name}");
            assert_eq!(err(b"f/x", ro), Some(Errno::NOTDIR), "{name}");
            assert_eq!(err(b"missing/x", ro), Some(Errno::NOENT), "{name}");
            // A trailing slash follows a final symlink to a directory.
            assert!(
                open(dir.as_fd(), b"in/", nofollow, Mode::empty()).is_ok(),
                "{name}"
            );
            // O_PATH | O_NOFOLLOW opens the link itself; following it
            // reaches the file.
            let link = open(
                dir.as_fd(),
                b"in2",
                OFlags::PATH | OFlags::NOFOLLOW,
                Mode::empty(),
            );
            assert!(link.as_ref().is_ok_and(super::is_symlink), "{name}");
            let target = open(dir.as_fd(), b"in2", OFlags::PATH, Mode::empty()).unwrap();
            assert!(!is_symlink(&target), "{name}");
            // Creating through a dangling symlink inside creates its target.
            let created = open(
                dir.as_fd(),
                b"dangling",
                OFlags::WRONLY | OFlags::CREATE,
                Mode::from_raw_mode(0o644),
            );
            assert!(created.is_ok(), "{name}: {created:?}");
            std::fs::remove_file(tree.0.join("box/nothing")).unwrap();
        }
        assert_eq!(open_parent(dir.as_fd(), b"../x").err(), Some(ESCAPE));
        assert_eq!(open_parent(dir.as_fd(), b"sub/..").err(), None);
        assert_eq!(open_parent(dir.as_fd(), b"..").err(), Some(ESCAPE));
    }

    /// A directory swapped for a symlink to the outside while paths through
    /// it are opened: a thread atomically exchanges `swap` (a directory) and
    /// `other` (a symlink to the outside) over and over. Neither strategy
    /// ever reaches the outside file, and both get through to the inside.
    #[test]
    fn swap_race_never_escapes() {
        use rustix::fs::{CWD, RenameFlags};
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        let tree = Tree::new("race");
        std::fs::create_dir(tree.0.join("box/swap")).unwrap();
        std::fs::write(tree.0.join("box/swap/t"), b"inside").unwrap();
        std::fs::create_dir(tree.0.join("outdir")).unwrap();
        std::fs::write(tree.0.join("outdir/t"), b"outside").unwrap();
        std::os::unix::fs::symlink("../outdir", tree.0.join("box/other")).unwrap();
        let dir = tree.dir();
        let stop = Arc::new(AtomicBool::new(false));
        let swapper = {
            let stop = stop.clone();
            let path = |n: &str| tree.0.join(n).into_os_string().into_encoded_bytes();
            let (a, b) = (path("box/swap"), path("box/other"));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    rustix::fs::renameat_with(CWD, &a[..], CWD, &b[..], RenameFlags::EXCHANGE)
                        .unwrap();
                }
            })
        };
        let mut inside = [0usize; 2];
        for _ in 0..20_000 {
            for (k, (name, open)) in STRATEGIES.iter().enumerate() {
                for p in [&b"swap/t"[..], b"swap/../swap/t"] {
                    if let Ok(fd) = open(dir.as_fd(), p, OFlags::RDONLY, Mode::empty()) {
                        let got = contents(fd);
                        assert_eq!(got, b"inside", "{name} escaped through {p:?}");
                        inside[k] += 1;
                    }
                }
            }
        }
        stop.store(true, Ordering::Relaxed);
        swapper.join().unwrap();
        assert!(inside[0] > 0 && inside[1] > 0, "{inside:?}");
    }

    /// A last component with a trailing slash, for the calls that would
    /// follow it (`readlinkat`, `linkat`): resolved beneath the start by
    /// both strategies, so an escape is `EPERM` whether a directory, a file
    /// or nothing is outside, and inside the answer is Linux's.
    #[test]
    fn trailing_slash_last_component() {
        let tree = Tree::new("slash");
        std::fs::create_dir(tree.0.join("outdir")).unwrap();
        for (target, link) in [("../outdir", "box/to_dir"), ("../missing", "box/to_none")] {
            std::os::unix::fs::symlink(target, tree.0.join(link)).unwrap();
        }
        let dir = tree.dir();
        for (name, open) in STRATEGIES {
            let last = |p: &'static [u8]| open_last_with(dir.as_fd(), p, open);
            for p in [&b"to_dir/"[..], b"out/", b"to_none/", b"up/", b"abs/"] {
                assert_eq!(last(p).err(), Some(ESCAPE), "{name} {p:?}");
            }
            for p in [&b"in/"[..], b"sub/", b"in//", b"sub/../in/"] {
                assert!(matches!(last(p), Ok(Last::Dir)), "{name} {p:?}");
            }
            assert_eq!(last(b"f/").err(), Some(Errno::NOTDIR), "{name}");
            assert_eq!(last(b"in2/").err(), Some(Errno::NOTDIR), "{name}");
            assert_eq!(last(b"sub/back/").err(), Some(Errno::NOTDIR), "{name}");
            assert_eq!(last(b"dangling/").err(), Some(Errno::NOENT), "{name}");
            assert_eq!(last(b"loop1/").err(), Some(Errno::LOOP), "{name}");
            // Without the slash the link itself is the name.
            for (p, n) in [(&b"to_dir"[..], &b"to_dir"[..]), (b"sub/back", b"back")] {
                match last(p) {
                    Ok(Last::Name(_, got)) => assert_eq!(got, n, "{name}"),
                    other => panic!("{name} {p:?}: {other:?}"),
                }
            }
            assert_eq!(last(b"up/x").err(), Some(ESCAPE), "{name}");
            let parent = |p: &'static [u8]| open_parent_with(dir.as_fd(), p, open).map(|(_, n)| n);
            assert_eq!(parent(b"to_dir/"), Ok(&b"to_dir/"[..]), "{name}");
            assert_eq!(parent(b"up/x").err(), Some(ESCAPE), "{name}");
        }
    }

    #[test]
    fn rejects() {
        assert_eq!(check(b"/etc/passwd"), Err(ESCAPE));
        assert_eq!(check(b""), Err(Errno::NOENT));
        assert_eq!(check(b"a\0b"), Err(Errno::INVAL));
        assert_eq!(check(b"a/b"), Ok(()));
    }
}
