//! Run control shared by every long-running driver of the workspace (Markov chains, ADELM, GWL,
//! maximum-likelihood training): each calls its observer or progress closure after a unit of
//! work and goes on or stops as it answers.

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
}
