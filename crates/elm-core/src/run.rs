//! Run control shared by every long-running driver of the workspace (Markov chains, ADELM,
//! barrier estimation, GWL, maximum-likelihood training): after each unit of work a driver
//! hands its progress report to an [`Observer`], which answers [`Control::Continue`] or
//! [`Control::Stop`]. Stock observers for logging, checkpointing and time limits are in
//! [`observe`].

use std::path::Path;

/// What a driver's observer answers after a step, sweep, iteration or block: go on, or stop
/// (a stopped mapping or training leaves a complete record up to that point, which can be saved
/// and resumed).
///
/// # Example
/// ```
/// use elm_core::Control;
/// let mut seen = 0;
/// let mut observer = |step: usize| { seen = step; if step == 3 { Control::Stop } else { Control::Continue } };
/// let ran = (1..=10).take_while(|&s| observer(s) == Control::Continue).count();
/// assert_eq!((ran, seen), (2, 3));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Control {
    /// Keep going.
    Continue,
    /// Stop now.
    Stop,
}

impl Control {
    /// `Stop` when `stop` holds, else `Continue`.
    pub fn stop_if(stop: bool) -> Self {
        if stop { Control::Stop } else { Control::Continue }
    }

    /// `Stop` if either is `Stop`.
    #[must_use]
    pub fn and(self, other: Control) -> Control {
        Control::stop_if(self == Control::Stop || other == Control::Stop)
    }
}

/// The progress report a driver passes to its observer after each unit of work (an ADELM
/// iteration, a GWL block, a chain step, a training iteration): what stock observers read.
pub trait Progress {
    /// Units of work done since the run began (resumed work included).
    fn done(&self) -> usize;

    /// Units the run does in all, when known.
    fn total(&self) -> Option<usize> {
        None
    }

    /// One line for a log.
    fn summary(&self) -> String;
}

/// A progress report that can save the run's resumable record (ADELM, GWL, training).
pub trait Checkpoint: Progress {
    /// Writes the record to `path` atomically (see `elm_core::checkpoint`, feature `serde`).
    ///
    /// # Errors
    /// The file and what went wrong.
    fn checkpoint(&self, path: &Path) -> Result<(), crate::CheckpointError>;
}

/// The one observer shape of the workspace: anything that takes a driver's progress report and
/// answers [`Control`]. Every closure `FnMut(&P) -> Control` is one (the trait has no methods of
/// its own, so closures passed to a driver infer their argument type), and [`observe`] builds the
/// stock ones.
///
/// # Example
/// ```
/// use elm_core::{Control, Observer, observe};
/// struct Step(usize);
/// impl elm_core::Progress for Step {
///     fn done(&self) -> usize { self.0 }
///     fn summary(&self) -> String { format!("step {}", self.0) }
/// }
/// fn drive(mut observer: impl Observer<Step>) -> usize {
///     (1..=100).take_while(|&k| observer(&Step(k)) == Control::Continue).count()
/// }
/// assert_eq!(drive(|s: &Step| Control::stop_if(s.0 == 10)), 9);
/// assert_eq!(drive(observe::stop_at(5)), 4);
/// ```
pub trait Observer<P: ?Sized>: FnMut(&P) -> Control {}

impl<P: ?Sized, F: FnMut(&P) -> Control> Observer<P> for F {}

/// Stock observers: combine them with [`observe::both`].
pub mod observe {
    use super::{Checkpoint, Control, Progress};
    use std::path::PathBuf;
    use std::time::{Duration, Instant};

    /// Never stops.
    pub fn nothing<P: ?Sized>() -> impl FnMut(&P) -> Control {
        |_: &P| Control::Continue
    }

    /// Calls `f` every `n` units of work (`n = 0`: never) and after the last one, and never stops.
    pub fn every<P: Progress + ?Sized>(n: usize, mut f: impl FnMut(&P)) -> impl FnMut(&P) -> Control {
        move |p: &P| {
            if due(p, n) {
                f(p);
            }
            Control::Continue
        }
    }

    /// Prints the report's summary to stderr every `n` units of work and after the last one,
    /// with the elapsed time and, when the total is known, an estimate of the time left.
    pub fn log_every<P: Progress + ?Sized>(n: usize) -> impl FnMut(&P) -> Control {
        let start = Instant::now();
        move |p: &P| {
            if due(p, n) {
                let elapsed = start.elapsed().as_secs_f64();
                let left = p
                    .total()
                    .filter(|&t| p.done() > 0 && t > p.done())
                    .map(|t| format!(", ~{:.0} s left", elapsed * (t - p.done()) as f64 / p.done() as f64))
                    .unwrap_or_default();
                eprintln!("[{elapsed:.1} s{left}] {}", p.summary());
            }
            Control::Continue
        }
    }

    /// Saves a checkpoint to `path` every `n` units of work (`n = 0`: only after the last one)
    /// and after the last one. A failed save is reported on stderr and stops the run, so the
    /// caller still holds the record in memory and nothing is lost.
    pub fn checkpoint_every<P: Checkpoint + ?Sized>(n: usize, path: impl Into<PathBuf>) -> impl FnMut(&P) -> Control {
        let path = path.into();
        move |p: &P| {
            if due(p, n)
                && let Err(e) = p.checkpoint(&path)
            {
                eprintln!("stopping: {e}");
                return Control::Stop;
            }
            Control::Continue
        }
    }

    /// Stops once `limit` has passed since the observer was made (a wall-clock budget).
    pub fn time_limit<P: ?Sized>(limit: Duration) -> impl FnMut(&P) -> Control {
        let start = Instant::now();
        move |_: &P| Control::stop_if(start.elapsed() >= limit)
    }

    /// Stops after `n` units of work.
    pub fn stop_at<P: Progress + ?Sized>(n: usize) -> impl FnMut(&P) -> Control {
        move |p: &P| Control::stop_if(p.done() >= n)
    }

    /// Runs both observers every time (so a checkpoint is written even on the step another
    /// observer stops at); stops if either does.
    pub fn both<P: ?Sized>(
        mut a: impl FnMut(&P) -> Control,
        mut b: impl FnMut(&P) -> Control,
    ) -> impl FnMut(&P) -> Control {
        move |p: &P| a(p).and(b(p))
    }

    fn due<P: Progress + ?Sized>(p: &P, n: usize) -> bool {
        (n > 0 && p.done().is_multiple_of(n)) || p.total() == Some(p.done())
    }
}
