//! The lists both sides enumerate: traps, builtins and WASI functions.
//!
//! Each list is written exactly once, as a macro invocation, and expands into
//! an enum plus tables of names, messages and signatures. The builtin and
//! WASI lists also expand into a struct with one typed function-pointer
//! field per entry ([`BuiltinFns`], [`WasiFns`]), which the runtime fills
//! with its implementations: the compiler calls what the list's signature
//! says, and a runtime function of another type fails to compile.

/// A machine type in a builtin or host-function signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbiType {
    I32,
    I64,
    /// A pointer-sized value (the `*mut VMContext` of builtins, funcref words).
    Ptr,
}

/// A signature: parameters and at most one result.
#[derive(Clone, Copy, Debug)]
pub struct AbiSig {
    pub params: &'static [AbiType],
    pub result: Option<AbiType>,
}

macro_rules! define_traps {
    ($( $(#[$doc:meta])* $name:ident = $code:literal, $msg:literal; )*) => {
        /// A WebAssembly trap. The discriminant is the code stored in trap
        /// tables; the message is the spec test suite's text.
        #[repr(u32)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Trap {
            $( $(#[$doc])* $name = $code, )*
        }

        impl Trap {
            pub const ALL: &'static [Trap] = &[$(Trap::$name),*];

            /// The message the spec suite expects (`assert_trap` text).
            pub const fn message(self) -> &'static str {
                match self { $(Trap::$name => $msg,)* }
            }

            pub const fn from_code(code: u32) -> Option<Trap> {
                match code { $($code => Some(Trap::$name),)* _ => None }
            }
        }
    };
}

define_traps! {
    /// The stack guard was hit.
    StackOverflow = 1, "call stack exhausted";
    /// A load, store or bulk memory operation left the linear memory.
    MemoryOutOfBounds = 2, "out of bounds memory access";
    /// `table.get/set/fill/copy/init` or `call_indirect`'s index is past the table.
    TableOutOfBounds = 3, "out of bounds table access";
    /// `call_indirect` on an index past the end of the table.
    UndefinedElement = 4, "undefined element";
    /// `call_indirect` on a null entry.
    UninitializedElement = 5, "uninitialized element";
    /// `call_indirect` whose signature does not match the callee's.
    IndirectCallTypeMismatch = 6, "indirect call type mismatch";
    /// Signed division overflow (`INT_MIN / -1`) or a float-to-int conversion out of range.
    IntegerOverflow = 7, "integer overflow";
    /// Division or remainder by zero.
    IntegerDivisionByZero = 8, "integer divide by zero";
    /// Float-to-int conversion of a NaN.
    BadConversionToInteger = 9, "invalid conversion to integer";
    /// The `unreachable` instruction.
    Unreachable = 10, "unreachable executed";
    /// A null reference where a non-null one is required.
    NullReference = 11, "null function reference";
    /// An atomic access whose effective address is not a multiple of its size.
    HeapMisaligned = 12, "unaligned atomic";
    /// `throw_ref` of a null exception reference.
    NullExceptionReference = 13, "null exception reference";
    /// An exception reached the entry of wasm without being caught.
    UncaughtException = 14, "uncaught exception";
    /// `memory.atomic.wait32`/`wait64` on an unshared memory, where no
    /// other thread could ever wake the waiter.
    ExpectedSharedMemory = 15, "expected shared memory";
}

/// The Rust type of an [`AbiType`] in the typed tables below.
macro_rules! abi_rust_type {
    (I32) => {
        i32
    };
    (I64) => {
        i64
    };
    (Ptr) => {
        usize
    };
}

macro_rules! define_builtins {
    ($( $(#[$doc:meta])* $name:ident = $field:ident ( $($p:ident),* ) $(-> $r:ident)?; )*) => {
        /// Runtime functions compiled code calls through
        /// [`crate::VMContext::builtins`]. Every builtin takes the
        /// `*mut VMContext` first and uses the platform C calling convention.
        /// Builtins that detect a trap condition raise the trap themselves.
        #[repr(u32)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Builtin {
            $( $(#[$doc])* $name, )*
        }

        impl Builtin {
            pub const ALL: &'static [Builtin] = &[$(Builtin::$name),*];
            pub const COUNT: usize = Self::ALL.len();

            pub const fn signature(self) -> AbiSig {
                match self {
                    $(Builtin::$name => AbiSig {
                        params: &[AbiType::Ptr, $(AbiType::$p),*],
                        result: define_builtins!(@ret $($r)?),
                    },)*
                }
            }
        }

        /// The runtime's implementation of every [`Builtin`], one field of
        /// the exact C type its signature gives (`i32`, `i64`, and `usize`
        /// for `Ptr`), so a runtime function whose type drifts from the
        /// list no longer compiles.
        pub struct BuiltinFns {
            $( pub $field: unsafe extern "C" fn(
                *mut crate::VMContext $(, abi_rust_type!($p))*
            ) $(-> abi_rust_type!($r))?, )*
        }

        impl BuiltinFns {
            /// The addresses in [`Builtin`] order: what
            /// [`crate::VMContext::builtins`] holds.
            pub fn addresses(&self) -> [usize; Builtin::COUNT] {
                [$(self.$field as usize),*]
            }
        }
    };
    (@ret) => { None };
    (@ret $r:ident) => { Some(AbiType::$r) };
}

define_builtins! {
    /// `(mem: i32, delta_pages: i64) -> old_pages or -1`
    MemoryGrow = memory_grow (I32, I64) -> I64;
    /// `(mem: i32, dst: i64, byte: i32, len: i64)`
    MemoryFill = memory_fill (I32, I64, I32, I64);
    /// `(dst_mem: i32, src_mem: i32, dst: i64, src: i64, len: i64)`
    MemoryCopy = memory_copy (I32, I32, I64, I64, I64);
    /// `(mem: i32, data: i32, dst: i64, src: i32, len: i32)`
    MemoryInit = memory_init (I32, I32, I64, I32, I32);
    /// `(data: i32)`
    DataDrop = data_drop (I32);
    /// `(table: i32, init: ptr, delta: i64) -> old_size or -1`
    TableGrow = table_grow (I32, Ptr, I64) -> I64;
    /// `(table: i32, dst: i64, value: ptr, len: i64)`
    TableFill = table_fill (I32, I64, Ptr, I64);
    /// `(dst_table: i32, src_table: i32, dst: i64, src: i64, len: i64)`
    TableCopy = table_copy (I32, I32, I64, I64, I64);
    /// `(table: i32, elem: i32, dst: i64, src: i32, len: i32)`
    TableInit = table_init (I32, I32, I64, I32, I32);
    /// `(elem: i32)`
    ElemDrop = elem_drop (I32);
    /// `(tag: ptr, slots: i32) -> *mut VMException`: a new exception of
    /// tag identity `tag` with room for `slots` payload values, which
    /// compiled code then stores.
    ExnAlloc = exn_alloc (Ptr, I32) -> Ptr;
    /// `(exn: *mut VMException) -> !`: throws `exn` from the calling wasm
    /// function's caller onwards: resumes at the innermost call site with a
    /// handler ([`crate::HandlerSite`]), or ends wasm execution with
    /// [`Trap::UncaughtException`]. Compiled code dispatches an exception
    /// thrown inside a `try_table` of the same function itself, so the
    /// calling frame is never searched.
    Throw = throw (Ptr);
    /// `(exn: *mut VMException)`: called by a `catch` or `catch_all` clause
    /// once it has loaded the payload; frees `exn` unless it has escaped
    /// (see [`crate::VMException`]).
    ExnFree = exn_free (Ptr);
}

macro_rules! define_wasi {
    (
        preview1 { $( $name:ident = $field:ident ( $($p:ident),* ) $(-> $r:ident)?; )* }
        unstable { $( $(#[$udoc:meta])* $uname:ident = $ufield:ident $ustr:literal ( $($up:ident),* ) $(-> $ur:ident)?; )* }
    ) => {
        /// The WASI host functions, in a fixed order: the discriminant is the
        /// host id the compiler records in [`crate::FuncImport::wasi_id`].
        /// First every function of `wasi_snapshot_preview1`, then the
        /// `wasi_unstable` (preview 0) functions whose memory layout or
        /// constants differ; the other `wasi_unstable` imports use the
        /// preview 1 functions.
        #[repr(u32)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum WasiFunc {
            $( $name, )*
            $( $(#[$udoc])* $uname, )*
        }

        impl WasiFunc {
            pub const ALL: &'static [WasiFunc] = &[$(WasiFunc::$name,)* $(WasiFunc::$uname,)*];
            pub const COUNT: usize = Self::ALL.len();

            /// The import name.
            pub const fn name(self) -> &'static str {
                match self {
                    $(WasiFunc::$name => stringify!($field),)*
                    $(WasiFunc::$uname => $ustr,)*
                }
            }

            /// The import module this function is specific to:
            /// `wasi_unstable` for the preview 0 variants, else
            /// `wasi_snapshot_preview1`.
            pub const fn module(self) -> &'static str {
                match self {
                    $(WasiFunc::$name => WASI_PREVIEW1,)*
                    $(WasiFunc::$uname => WASI_UNSTABLE,)*
                }
            }

            /// The wasm signature (all WASI parameters are i32 or i64).
            pub const fn signature(self) -> AbiSig {
                match self {
                    $(WasiFunc::$name => AbiSig {
                        params: &[$(AbiType::$p),*],
                        result: define_wasi!(@ret $($r)?),
                    },)*
                    $(WasiFunc::$uname => AbiSig {
                        params: &[$(AbiType::$up),*],
                        result: define_wasi!(@ret $($ur)?),
                    },)*
                }
            }

            /// The `wasi_snapshot_preview1` function named `name`.
            pub fn from_name(name: &str) -> Option<WasiFunc> {
                match name { $(stringify!($field) => Some(WasiFunc::$name),)* _ => None }
            }

            /// The host function for an import `module::name`: preview 1
            /// functions under either module name, except where
            /// `wasi_unstable` has its own variant.
            pub fn from_import(module: &str, name: &str) -> Option<WasiFunc> {
                match module {
                    WASI_PREVIEW1 => Self::from_name(name),
                    WASI_UNSTABLE => match name {
                        $($ustr => Some(WasiFunc::$uname),)*
                        _ => Self::from_name(name),
                    },
                    _ => None,
                }
            }
        }

        /// The runtime's implementation of every [`WasiFunc`], one field of
        /// the exact C type its signature gives, so a host function whose
        /// type drifts from the list no longer compiles.
        pub struct WasiFns {
            $( pub $field: extern "C" fn($(abi_rust_type!($p)),*) $(-> abi_rust_type!($r))?, )*
            $( pub $ufield: extern "C" fn($(abi_rust_type!($up)),*) $(-> abi_rust_type!($ur))?, )*
        }

        impl WasiFns {
            /// The address of `f`'s implementation.
            pub fn address(&self, f: WasiFunc) -> usize {
                match f {
                    $(WasiFunc::$name => self.$field as usize,)*
                    $(WasiFunc::$uname => self.$ufield as usize,)*
                }
            }
        }
    };
    (@ret) => { None };
    (@ret $r:ident) => { Some(AbiType::$r) };
}

/// The preview 1 module name.
pub const WASI_PREVIEW1: &str = "wasi_snapshot_preview1";
/// The preview 0 module name.
pub const WASI_UNSTABLE: &str = "wasi_unstable";

/// Module names under which the WASI functions are imported.
pub const WASI_MODULES: &[&str] = &[WASI_PREVIEW1, WASI_UNSTABLE];

define_wasi! {
preview1 {
    ArgsGet = args_get (I32, I32) -> I32;
    ArgsSizesGet = args_sizes_get (I32, I32) -> I32;
    EnvironGet = environ_get (I32, I32) -> I32;
    EnvironSizesGet = environ_sizes_get (I32, I32) -> I32;
    ClockResGet = clock_res_get (I32, I32) -> I32;
    ClockTimeGet = clock_time_get (I32, I64, I32) -> I32;
    FdAdvise = fd_advise (I32, I64, I64, I32) -> I32;
    FdAllocate = fd_allocate (I32, I64, I64) -> I32;
    FdClose = fd_close (I32) -> I32;
    FdDatasync = fd_datasync (I32) -> I32;
    FdFdstatGet = fd_fdstat_get (I32, I32) -> I32;
    FdFdstatSetFlags = fd_fdstat_set_flags (I32, I32) -> I32;
    FdFdstatSetRights = fd_fdstat_set_rights (I32, I64, I64) -> I32;
    FdFilestatGet = fd_filestat_get (I32, I32) -> I32;
    FdFilestatSetSize = fd_filestat_set_size (I32, I64) -> I32;
    FdFilestatSetTimes = fd_filestat_set_times (I32, I64, I64, I32) -> I32;
    FdPread = fd_pread (I32, I32, I32, I64, I32) -> I32;
    FdPrestatGet = fd_prestat_get (I32, I32) -> I32;
    FdPrestatDirName = fd_prestat_dir_name (I32, I32, I32) -> I32;
    FdPwrite = fd_pwrite (I32, I32, I32, I64, I32) -> I32;
    FdRead = fd_read (I32, I32, I32, I32) -> I32;
    FdReaddir = fd_readdir (I32, I32, I32, I64, I32) -> I32;
    FdRenumber = fd_renumber (I32, I32) -> I32;
    FdSeek = fd_seek (I32, I64, I32, I32) -> I32;
    FdSync = fd_sync (I32) -> I32;
    FdTell = fd_tell (I32, I32) -> I32;
    FdWrite = fd_write (I32, I32, I32, I32) -> I32;
    PathCreateDirectory = path_create_directory (I32, I32, I32) -> I32;
    PathFilestatGet = path_filestat_get (I32, I32, I32, I32, I32) -> I32;
    PathFilestatSetTimes = path_filestat_set_times (I32, I32, I32, I32, I64, I64, I32) -> I32;
    PathLink = path_link (I32, I32, I32, I32, I32, I32, I32) -> I32;
    PathOpen = path_open (I32, I32, I32, I32, I32, I64, I64, I32, I32) -> I32;
    PathReadlink = path_readlink (I32, I32, I32, I32, I32, I32) -> I32;
    PathRemoveDirectory = path_remove_directory (I32, I32, I32) -> I32;
    PathRename = path_rename (I32, I32, I32, I32, I32, I32) -> I32;
    PathSymlink = path_symlink (I32, I32, I32, I32, I32) -> I32;
    PathUnlinkFile = path_unlink_file (I32, I32, I32) -> I32;
    PollOneoff = poll_oneoff (I32, I32, I32, I32) -> I32;
    ProcExit = proc_exit (I32);
    ProcRaise = proc_raise (I32) -> I32;
    SchedYield = sched_yield () -> I32;
    RandomGet = random_get (I32, I32) -> I32;
    SockAccept = sock_accept (I32, I32, I32) -> I32;
    SockRecv = sock_recv (I32, I32, I32, I32, I32, I32) -> I32;
    SockSend = sock_send (I32, I32, I32, I32, I32) -> I32;
    SockShutdown = sock_shutdown (I32, I32) -> I32;
}
unstable {
    /// `whence` is `cur` 0, `end` 1, `set` 2 in preview 0.
    UnstableFdSeek = unstable_fd_seek "fd_seek" (I32, I64, I32, I32) -> I32;
    /// preview 0 `filestat` has a 32-bit `nlink` (56 bytes).
    UnstableFdFilestatGet = unstable_fd_filestat_get "fd_filestat_get" (I32, I32) -> I32;
    /// As `UnstableFdFilestatGet`.
    UnstablePathFilestatGet = unstable_path_filestat_get "path_filestat_get" (I32, I32, I32, I32, I32) -> I32;
    /// preview 0 clock subscriptions have an `identifier` field (56 bytes).
    UnstablePollOneoff = unstable_poll_oneoff "poll_oneoff" (I32, I32, I32, I32) -> I32;
}
}
