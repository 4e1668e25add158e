//! Arguments and environment: `args_get`, `args_sizes_get`, `environ_get`,
//! `environ_sizes_get`.
//!
//! The executable's own argv is passed through untouched (argv[0]
//! included). The environment is exactly what the capabilities grant: the
//! whole host environment with `inherit_env`, then each grant (`NAME=value`,
//! or `NAME` copied from the host when it is set), a later entry replacing
//! an earlier one of the same name. Nothing is granted by default.
//!
//! Strings are not copied at start-up: the host's live on the initial stack
//! and the grants in the module's read-only data; both live for the whole
//! process.

use wasi_aot_abi::{Capabilities, EnvGrant};

use super::errno::{Errno, WasiResult, ret};
use super::guest::GuestMemory;
use crate::globals::Global;

/// One string of a list: `name` alone for arguments, `name=value` for the
/// environment.
#[derive(Clone, Copy)]
pub struct Item {
    pub name: &'static [u8],
    pub value: Option<&'static [u8]>,
}

impl Item {
    /// Length including the `=` and the terminating NUL.
    fn size(&self) -> u64 {
        self.name.len() as u64 + self.value.map_or(0, |v| v.len() as u64 + 1) + 1
    }
}

pub struct Lists {
    pub args: &'static [Item],
    pub env: &'static [Item],
}

/// The calling instance's lists: `LISTS.with(|l| ...)`.
pub struct CurrentLists;

pub static LISTS: CurrentLists = CurrentLists;

impl CurrentLists {
    /// Runs `f` with exclusive access to the calling instance's lists.
    #[inline(always)]
    pub fn with<R>(&self, f: impl FnOnce(&mut Lists) -> R) -> R {
        super::state().lists.with(f)
    }
}

/// Empty lists in a [`Global`], for a new instance's state.
pub const fn new_lists() -> Global<Lists> {
    Global::new(Lists {
        args: &[],
        env: &[],
    })
}

/// Splits `NAME=value`.
pub fn split_env(s: &'static [u8]) -> Item {
    match s.iter().position(|&c| c == b'=') {
        Some(i) => Item {
            name: &s[..i],
            value: Some(&s[i + 1..]),
        },
        None => Item {
            name: s,
            value: Some(&[]),
        },
    }
}

/// Builds the environment list into `out` (capacity = host count + grants)
/// and returns how many entries it holds.
pub fn build_env(
    out: &mut [Item],
    host: &[&'static [u8]],
    caps: &Capabilities,
    grants: &[EnvGrant],
) -> usize {
    let mut n = 0;
    let mut push = |out: &mut [Item], item: Item| {
        if let Some(old) = out[..n].iter_mut().find(|o| o.name == item.name) {
            *old = item;
        } else {
            out[n] = item;
            n += 1;
        }
    };
    if caps.inherit_env != 0 {
        for s in host {
            push(out, split_env(s));
        }
    }
    for g in grants {
        let name = super::str_bytes(g.name);
        if g.has_value != 0 {
            push(
                out,
                Item {
                    name,
                    value: Some(super::str_bytes(g.value)),
                },
            );
        } else if let Some(h) = host.iter().map(|s| split_env(s)).find(|i| i.name == name) {
            push(out, h);
        }
    }
    n
}

fn sizes_get(list: &[Item], count_ptr: i32, size_ptr: i32) -> WasiResult {
    let mut mem = GuestMemory::get();
    let size: u64 = list.iter().map(Item::size).sum();
    let size = u32::try_from(size).map_err(|_| Errno::OVERFLOW)?;
    mem.write_u32(count_ptr as u32, list.len() as u32)?;
    mem.write_u32(size_ptr as u32, size)
}

fn list_get(list: &[Item], ptrs: i32, buf: i32) -> WasiResult {
    let mut mem = GuestMemory::get();
    let total: u64 = list.iter().map(Item::size).sum();
    mem.check_range(ptrs as u32, list.len() as u64 * 4)?;
    mem.check_range(buf as u32, total)?;
    let mut at = buf as u32;
    for (i, item) in list.iter().enumerate() {
        mem.write_u32((ptrs as u32).wrapping_add(i as u32 * 4), at)?;
        mem.write_bytes(at, item.name)?;
        at = at.wrapping_add(item.name.len() as u32);
        if let Some(v) = item.value {
            mem.write_u8(at, b'=')?;
            mem.write_bytes(at.wrapping_add(1), v)?;
            at = at.wrapping_add(1 + v.len() as u32);
        }
        mem.write_u8(at, 0)?;
        at = at.wrapping_add(1);
    }
    Ok(())
}

/// [`args_sizes_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-args_sizes_get---resultsize-size-errno):
/// writes the argument count to `count_ptr` (u32) and the total size of the
/// NUL-terminated argument strings to `size_ptr` (u32).
///
/// Errors: `EFAULT` for an out-of-bounds result pointer.
pub extern "C" fn args_sizes_get(count_ptr: i32, size_ptr: i32) -> i32 {
    ret(LISTS.with(|l| sizes_get(l.args, count_ptr, size_ptr)))
}

/// [`args_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-args_getargv-pointerpointeru8-argv_buf-pointeru8---result-errno):
/// writes one u32 pointer per argument at `argv` and the NUL-terminated
/// strings they point to at `argv_buf`, sized by `args_sizes_get`.
///
/// Errors: `EFAULT` when either area is out of bounds (nothing is written).
pub extern "C" fn args_get(argv: i32, argv_buf: i32) -> i32 {
    ret(LISTS.with(|l| list_get(l.args, argv, argv_buf)))
}

/// [`environ_sizes_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-environ_sizes_get---resultsize-size-errno):
/// like `args_sizes_get` for the granted `NAME=value` strings.
///
/// Errors: `EFAULT`.
pub extern "C" fn environ_sizes_get(count_ptr: i32, size_ptr: i32) -> i32 {
    ret(LISTS.with(|l| sizes_get(l.env, count_ptr, size_ptr)))
}

/// [`environ_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-environ_getenviron-pointerpointeru8-environ_buf-pointeru8---result-errno):
/// like `args_get` for the granted `NAME=value` strings.
///
/// Errors: `EFAULT`.
pub extern "C" fn environ_get(environ: i32, environ_buf: i32) -> i32 {
    ret(LISTS.with(|l| list_get(l.env, environ, environ_buf)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasi_aot_abi::{Slice, Str};

    fn s(b: &'static [u8]) -> Str {
        Str {
            ptr: b.as_ptr(),
            len: b.len() as u64,
        }
    }

    #[test]
    fn env_policy() {
        let host: &[&'static [u8]] = &[b"A=1", b"B=2", b"C"];
        let grants = [
            EnvGrant {
                name: s(b"B"),
                value: s(b"x"),
                has_value: 1,
                _pad: 0,
            },
            EnvGrant {
                name: s(b"A"),
                value: s(b""),
                has_value: 0,
                _pad: 0,
            },
            EnvGrant {
                name: s(b"Z"),
                value: s(b""),
                has_value: 0,
                _pad: 0,
            },
        ];
        let empty = Slice {
            ptr: core::ptr::null(),
            len: 0,
        };
        let mut caps = Capabilities {
            dirs: empty_dirs(),
            env: empty,
            inherit_env: 0,
            _pad: 0,
            tcp_listen: empty_strs(),
            embeds: Slice {
                ptr: core::ptr::null(),
                len: 0,
            },
        };
        let mut out = [Item {
            name: &[],
            value: None,
        }; 8];
        let n = build_env(&mut out, host, &caps, &grants);
        assert_eq!(n, 2);
        assert_eq!((out[0].name, out[0].value), (&b"B"[..], Some(&b"x"[..])));
        assert_eq!((out[1].name, out[1].value), (&b"A"[..], Some(&b"1"[..])));
        caps.inherit_env = 1;
        let n = build_env(&mut out, host, &caps, &grants);
        assert_eq!(n, 3);
        assert_eq!(out[1].value, Some(&b"x"[..]));
        assert_eq!(
            build_env(
                &mut out,
                host,
                &Capabilities {
                    inherit_env: 0,
                    ..caps
                },
                &[]
            ),
            0
        );
    }

    fn empty_dirs() -> Slice<wasi_aot_abi::DirGrant> {
        Slice {
            ptr: core::ptr::null(),
            len: 0,
        }
    }

    fn empty_strs() -> Slice<Str> {
        Slice {
            ptr: core::ptr::null(),
            len: 0,
        }
    }
}
