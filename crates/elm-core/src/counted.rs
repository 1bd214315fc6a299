//! Counting evaluations.

use crate::energy::{DiscreteEnergy, Energy, Gradient};
use ndarray::ArrayView2;
use std::sync::atomic::{AtomicU64, Ordering};

/// Wraps an energy and counts how often each method is called (thread-safe, relaxed
/// atomics), for benchmarks and for comparing the cost of algorithms in evaluations.
///
/// # Example
/// ```
/// use elm_core::{Counted, Energy, reference::MullerBrown};
/// let mb = Counted::new(MullerBrown::new());
/// mb.energy(&[0.0, 0.0]);
/// mb.energy(&[0.1, 0.0]);
/// assert_eq!(mb.counts().energy, 2);
/// ```
#[derive(Debug, Default)]
pub struct Counted<E> {
    inner: E,
    energy: AtomicU64,
    gradient: AtomicU64,
    delta: AtomicU64,
}

/// A snapshot of the counters of a [`Counted`] energy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EvaluationCounts {
    /// Energy-only evaluations (a batch of `k` states counts `k`).
    pub energy: u64,
    /// Energy-and-gradient evaluations.
    pub gradient: u64,
    /// One-site deltas (a `delta_levels` call counts one per level).
    pub delta: u64,
}

impl<E> Counted<E> {
    /// Wraps `inner` with all counters at zero.
    pub fn new(inner: E) -> Self {
        Self { inner, energy: AtomicU64::new(0), gradient: AtomicU64::new(0), delta: AtomicU64::new(0) }
    }

    /// The counters so far.
    pub fn counts(&self) -> EvaluationCounts {
        EvaluationCounts {
            energy: self.energy.load(Ordering::Relaxed),
            gradient: self.gradient.load(Ordering::Relaxed),
            delta: self.delta.load(Ordering::Relaxed),
        }
    }

    /// Sets all counters back to zero.
    pub fn reset(&self) {
        self.energy.store(0, Ordering::Relaxed);
        self.gradient.store(0, Ordering::Relaxed);
        self.delta.store(0, Ordering::Relaxed);
    }

    /// The wrapped energy.
    pub fn inner(&self) -> &E {
        &self.inner
    }

    fn bump(counter: &AtomicU64, by: u64) {
        counter.fetch_add(by, Ordering::Relaxed);
    }
}

impl<E: Energy> Energy for Counted<E> {
    fn dim(&self) -> usize {
        self.inner.dim()
    }
    fn energy(&self, x: &[f64]) -> f64 {
        Self::bump(&self.energy, 1);
        self.inner.energy(x)
    }
    fn energy_batch(&self, xs: ArrayView2<'_, f64>, out: &mut [f64]) {
        Self::bump(&self.energy, xs.nrows() as u64);
        self.inner.energy_batch(xs, out)
    }
}

impl<E: Gradient> Gradient for Counted<E> {
    fn energy_gradient(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        Self::bump(&self.gradient, 1);
        self.inner.energy_gradient(x, grad)
    }
}

impl<E: DiscreteEnergy> DiscreteEnergy for Counted<E> {
    fn sites(&self) -> usize {
        self.inner.sites()
    }
    fn levels(&self) -> usize {
        self.inner.levels()
    }
    fn energy(&self, s: &[u8]) -> f64 {
        Self::bump(&self.energy, 1);
        self.inner.energy(s)
    }
    fn level_value(&self, level: u8) -> f64 {
        self.inner.level_value(level)
    }
    fn delta(&self, s: &[u8], i: usize, v: u8) -> f64 {
        Self::bump(&self.delta, 1);
        self.inner.delta(s, i, v)
    }
    fn aux_len(&self) -> usize {
        self.inner.aux_len()
    }
    fn init_aux(&self, s: &[u8], aux: &mut [f64]) {
        self.inner.init_aux(s, aux)
    }
    fn delta_aux(&self, s: &[u8], aux: &[f64], i: usize, v: u8) -> f64 {
        Self::bump(&self.delta, 1);
        self.inner.delta_aux(s, aux, i, v)
    }
    fn update_aux(&self, s: &[u8], aux: &mut [f64], i: usize, v: u8) {
        self.inner.update_aux(s, aux, i, v)
    }
    fn delta_levels(&self, s: &[u8], aux: &[f64], i: usize, out: &mut [f64]) {
        Self::bump(&self.delta, out.len() as u64);
        self.inner.delta_levels(s, aux, i, out)
    }
}
