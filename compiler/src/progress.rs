//! How far a build has got, for a display on another thread: the compiler
//! updates it as it goes and never reads it.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// The compiler's phases, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Reading and validating the module's sections.
    Parsing,
    /// Translating and compiling function bodies ([`Progress::functions`]).
    Compiling,
    /// Writing the object: glue, data, metadata.
    Writing,
}

const PHASES: [Phase; 3] = [Phase::Parsing, Phase::Compiling, Phase::Writing];

/// Shared counters of one build. A display thread reads them while the
/// compiler's threads update them.
#[derive(Debug, Default)]
pub struct Progress {
    phase: AtomicU8,
    total: AtomicUsize,
    done: AtomicUsize,
}

impl Progress {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn phase(&self) -> Phase {
        PHASES[usize::from(self.phase.load(Ordering::Relaxed))]
    }

    /// Function bodies compiled so far, and how many there are in all.
    pub fn functions(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    /// The compiler's updates (public so that a display can be tested).
    pub fn start_compiling(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        self.phase.store(1, Ordering::Relaxed);
    }

    pub fn compiled_one(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    pub fn start_writing(&self) {
        self.phase.store(2, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_phases_advance() {
        let p = Progress::new();
        assert_eq!(p.phase(), Phase::Parsing);
        assert_eq!(p.functions(), (0, 0));
        p.start_compiling(3);
        p.compiled_one();
        p.compiled_one();
        assert_eq!(p.phase(), Phase::Compiling);
        assert_eq!(p.functions(), (2, 3));
        p.start_writing();
        assert_eq!(p.phase(), Phase::Writing);
    }
}
