//! Process-wide mutable state without locks.
//!
//! A WASI preview 1 program has exactly one thread, and the runtime never
//! re-enters itself (host functions do not call back into wasm), so a cell
//! with a re-entrancy flag is all the synchronisation needed. The signal
//! handler never touches a [`Global`].

use core::cell::{Cell, UnsafeCell};

pub struct Global<T> {
    value: UnsafeCell<T>,
    busy: Cell<bool>,
}

// SAFETY: the process runs one thread (WASI preview 1 has no threads and the
// runtime starts none), and `with` refuses nested access.
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    pub const fn new(value: T) -> Self {
        Global {
            value: UnsafeCell::new(value),
            busy: Cell::new(false),
        }
    }

    /// Runs `f` with exclusive access to the value. Nested use is a runtime
    /// bug and panics (an internal error) rather than aliasing.
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        assert!(
            !self.busy.replace(true),
            "re-entrant access to runtime state"
        );
        // SAFETY: single thread, and `busy` guarantees no other `&mut` to the
        // value exists while `f` runs.
        let r = f(unsafe { &mut *self.value.get() });
        self.busy.set(false);
        r
    }
}
