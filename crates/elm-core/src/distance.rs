//! Distances between states and the "same minimum" test.

use crate::energy::DiscreteEnergy;
use crate::error::{Result, check};

/// Euclidean distance `||a - b||_2`; states of different lengths are infinitely far apart.
///
/// # Example
/// ```
/// assert_eq!(elm_core::distance::l2(&[0.0, 3.0], &[4.0, 0.0]), 5.0);
/// assert_eq!(elm_core::distance::l2(&[0.0, 3.0], &[4.0]), f64::INFINITY);
/// ```
pub fn l2(a: &[f64], b: &[f64]) -> f64 {
    l2_squared(a, b).sqrt()
}

/// Squared Euclidean distance `||a - b||_2^2` (`+inf` for different lengths).
pub fn l2_squared(a: &[f64], b: &[f64]) -> f64 {
    if a.len() != b.len() {
        return f64::INFINITY;
    }
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Hamming distance: the number of sites whose levels differ (`usize::MAX` for states of
/// different lengths, which share no site-by-site comparison).
///
/// # Example
/// ```
/// assert_eq!(elm_core::distance::hamming(&[0, 1, 1, 0], &[1, 1, 0, 0]), 2);
/// assert_eq!(elm_core::distance::hamming(&[0, 1], &[0]), usize::MAX);
/// ```
pub fn hamming(a: &[u8], b: &[u8]) -> usize {
    if a.len() != b.len() {
        return usize::MAX;
    }
    a.iter().zip(b).filter(|(x, y)| x != y).count()
}

/// Euclidean distance between two discrete states measured on the energy's level values
/// ([`DiscreteEnergy::level_value`]): for ±1 spins `||σ - σ'||_2 = 2 sqrt(hamming)`.
/// This is the distance of the Attraction-Diffusion magnetization (seed 000 Eq. 3.1).
pub fn discrete_l2<E: DiscreteEnergy + ?Sized>(energy: &E, a: &[u8], b: &[u8]) -> f64 {
    if a.len() != b.len() {
        return f64::INFINITY;
    }
    a.iter()
        .zip(b)
        .map(|(&x, &y)| {
            let d = energy.level_value(x) - energy.level_value(y);
            d * d
        })
        .sum::<f64>()
        .sqrt()
}

/// Decides whether two local minima are the same.
///
/// Continuous minima are the same when `||a - b||_2 <= distance` **and**
/// `|E_a - E_b| <= energy`; discrete minima when their Hamming distance is at most
/// `hamming` and their energies agree to `energy`. Both tolerances are needed: minimizers stop
/// at a finite gradient, so two quenches into one minimum differ slightly in both.
///
/// # Example
/// ```
/// use elm_core::SameMinimum;
/// let same = SameMinimum::new(1e-3, 1e-6).unwrap();
/// assert!(same.continuous(&[1.0, 2.0], -3.0, &[1.0, 2.0005], -3.0000001));
/// assert!(!same.continuous(&[1.0, 2.0], -3.0, &[1.1, 2.0], -3.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SameMinimum {
    /// Largest Euclidean distance between two copies of one continuous minimum.
    pub distance: f64,
    /// Largest energy difference between two copies of one minimum.
    pub energy: f64,
    /// Largest Hamming distance between two copies of one discrete minimum (default 0).
    pub hamming: usize,
}

impl Default for SameMinimum {
    fn default() -> Self {
        Self { distance: 1e-4, energy: 1e-6, hamming: 0 }
    }
}

impl SameMinimum {
    /// Tolerances for continuous minima (`hamming` stays 0).
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] if a tolerance is negative or not finite.
    pub fn new(distance: f64, energy: f64) -> Result<Self> {
        let s = Self { distance, energy, hamming: 0 };
        s.validate()?;
        Ok(s)
    }

    /// Sets the Hamming tolerance for discrete minima.
    #[must_use]
    pub fn with_hamming(mut self, hamming: usize) -> Self {
        self.hamming = hamming;
        self
    }

    /// Checks the tolerances.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] if a tolerance is negative or not finite.
    pub fn validate(&self) -> Result<()> {
        check::non_negative("distance", self.distance)?;
        check::non_negative("energy", self.energy)
    }

    /// Are the continuous minima `(a, ea)` and `(b, eb)` the same?
    pub fn continuous(&self, a: &[f64], ea: f64, b: &[f64], eb: f64) -> bool {
        (ea - eb).abs() <= self.energy && l2_squared(a, b) <= self.distance * self.distance
    }

    /// Are the discrete minima `(a, ea)` and `(b, eb)` the same?
    pub fn discrete(&self, a: &[u8], ea: f64, b: &[u8], eb: f64) -> bool {
        (ea - eb).abs() <= self.energy && hamming(a, b) <= self.hamming
    }
}
