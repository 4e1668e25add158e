//! The progress line of a long build: on a terminal, once a build has taken
//! more than a second, one line on stderr says what the compiler is doing
//! and how far it has got; it is erased when the build ends. Nothing is
//! shown when stderr is not a terminal, or for a build that ends sooner.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use wasi_aot_compiler::{Phase, Progress};

/// How long a build runs before the line appears.
const DELAY: Duration = Duration::from_secs(1);
/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(100);

/// What a build reports: the compiler's counters and the link step.
#[derive(Default)]
pub struct Status {
    pub compiler: Progress,
    linking: AtomicBool,
}

impl Status {
    pub fn linking(&self) {
        self.linking.store(true, Ordering::Relaxed);
    }

    fn line(&self, elapsed: Duration) -> String {
        let what = if self.linking.load(Ordering::Relaxed) {
            "linking".to_string()
        } else {
            match self.compiler.phase() {
                Phase::Parsing => "reading the module".to_string(),
                Phase::Inlining => "choosing functions to inline".to_string(),
                Phase::Compiling => {
                    let (done, total) = self.compiler.functions();
                    format!(
                        "compiling functions: {done} of {total} ({}%)",
                        done * 100 / total.max(1)
                    )
                }
                Phase::Writing => "writing the object".to_string(),
            }
        };
        format!("wasi-aot: {what}, {} s", elapsed.as_secs())
    }
}

/// Runs `build` with a [`Status`] it updates, shown on stderr while it runs
/// when stderr is a terminal.
pub fn show<T>(build: impl FnOnce(&Status) -> T) -> T {
    let status = Status::default();
    if !std::io::stderr().is_terminal() {
        return build(&status);
    }
    let start = Instant::now();
    let (done, finished) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        let status = &status;
        scope.spawn(move || {
            let mut shown = false;
            let mut stderr = std::io::stderr();
            // The sender is dropped when the build ends.
            while let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(TICK) {
                let elapsed = start.elapsed();
                if elapsed >= DELAY {
                    let _ = write!(stderr, "\r\x1b[K{}", status.line(elapsed));
                    let _ = stderr.flush();
                    shown = true;
                }
            }
            if shown {
                let _ = write!(stderr, "\r\x1b[K");
                let _ = stderr.flush();
            }
        });
        let result = build(status);
        drop(done);
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_follows_the_phases() {
        let status = Status::default();
        let at = Duration::from_millis(2500);
        assert_eq!(status.line(at), "wasi-aot: reading the module, 2 s");
        status.compiler.start_compiling(4);
        status.compiler.compiled_one();
        assert_eq!(
            status.line(at),
            "wasi-aot: compiling functions: 1 of 4 (25%), 2 s"
        );
        status.linking();
        assert_eq!(status.line(at), "wasi-aot: linking, 2 s");
    }
}
