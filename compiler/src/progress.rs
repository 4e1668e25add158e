//! How far a build has got, for a display on another thread: the compiler
//! updates it as it goes and never reads it.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The compiler's phases, in order (their numbers index `PHASES`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Reading and validating the module's sections, compiling the glue.
    Parsing,
    /// Translating the small functions to pick those to inline
    /// ([`crate::inline`]).
    Inlining,
    /// Translating and compiling function bodies ([`Progress::functions`]).
    Compiling,
    /// Writing the object: data, metadata.
    Writing,
}

const PHASES: [Phase; 4] = [
    Phase::Parsing,
    Phase::Inlining,
    Phase::Compiling,
    Phase::Writing,
];

impl Phase {
    /// Its name in a report of where the time went.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Parsing => "parse",
            Phase::Inlining => "inline",
            Phase::Compiling => "compile",
            Phase::Writing => "object",
        }
    }
}

/// Shared counters of one build. A display thread reads them while the
/// compiler's threads update them.
#[derive(Debug)]
pub struct Progress {
    total: AtomicUsize,
    done: AtomicUsize,
    /// When each phase began, by phase (the first: when this was made; a
    /// phase a build skips stays `None`). The last one begun is the phase.
    began: Mutex<[Option<Instant>; PHASES.len()]>,
}

impl Default for Progress {
    fn default() -> Self {
        let mut began = [None; PHASES.len()];
        began[0] = Some(Instant::now());
        Progress {
            total: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            began: Mutex::new(began),
        }
    }
}

impl Progress {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn phase(&self) -> Phase {
        let began = self.began();
        let last = began.iter().rposition(Option::is_some).unwrap_or(0);
        PHASES[last]
    }

    fn began(&self) -> [Option<Instant>; PHASES.len()] {
        *self.began.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How long each phase the build went through took, the last one up
    /// to `end`, in order.
    pub fn durations(&self, end: Instant) -> Vec<(Phase, Duration)> {
        let began = self.began();
        let mut durations = Vec::new();
        for (i, start) in began.iter().enumerate() {
            let Some(start) = start else { continue };
            let next = began[i + 1..].iter().flatten().next().copied();
            durations.push((
                PHASES[i],
                next.unwrap_or(end).saturating_duration_since(*start),
            ));
        }
        durations
    }

    fn enter(&self, phase: Phase) {
        self.began.lock().unwrap_or_else(|e| e.into_inner())[phase as usize] = Some(Instant::now());
    }

    /// Function bodies compiled so far, and how many there are in all.
    pub fn functions(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    /// The compiler's updates (public so that a display can be tested).
    pub fn start_inlining(&self) {
        self.enter(Phase::Inlining);
    }

    pub fn start_compiling(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        self.enter(Phase::Compiling);
    }

    pub fn compiled_one(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    pub fn start_writing(&self) {
        self.enter(Phase::Writing);
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
        let end = Instant::now();
        let phases: Vec<Phase> = p.durations(end).into_iter().map(|(p, _)| p).collect();
        assert_eq!(phases, [Phase::Parsing, Phase::Compiling, Phase::Writing]);
    }

    /// The durations are consecutive: they add up to the whole build.
    #[test]
    fn durations_cover_the_build() {
        let p = Progress::new();
        std::thread::sleep(Duration::from_millis(5));
        p.start_inlining();
        p.start_compiling(1);
        std::thread::sleep(Duration::from_millis(5));
        let end = Instant::now();
        let durations = p.durations(end);
        assert_eq!(durations.len(), 3);
        assert!(durations[0].1 >= Duration::from_millis(5));
        assert!(durations[2].1 >= Duration::from_millis(5));
        let sum: Duration = durations.iter().map(|(_, d)| *d).sum();
        let began = p.began.lock().unwrap()[0].unwrap();
        assert_eq!(sum, end - began);
    }
}
