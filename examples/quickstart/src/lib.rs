//! Two user-defined energies, mapped with `elm-ad` alone (the quick-start of elm-ad's crate
//! docs and the workspace README, as a crate of its own): a tilted 2-D Rastrigin landscape and
//! a random-field Ising chain.

use elm_ad::prelude::*;

/// A continuous energy of the user's: a bowl with cosine ripples, tilted along `x`:
/// `E(x) = Σ_i (x_i²/2 − 2 cos 3x_i) + 0.3 x_0`.
#[derive(Debug, Clone, Copy)]
pub struct TiltedRastrigin;

impl Energy for TiltedRastrigin {
    fn dim(&self) -> usize {
        2
    }
    fn energy(&self, x: &[f64]) -> f64 {
        x.iter().map(|v| 0.5 * v * v - 2.0 * (3.0 * v).cos()).sum::<f64>() + 0.3 * x[0]
    }
}

impl Gradient for TiltedRastrigin {
    fn energy_gradient(&self, x: &[f64], g: &mut [f64]) -> f64 {
        for (gi, v) in g.iter_mut().zip(x) {
            *gi = v + 6.0 * (3.0 * v).sin();
        }
        g[0] += 0.3;
        self.energy(x)
    }
}

/// A discrete energy of the user's: a Hopfield memory storing `patterns` (±1 vectors),
/// `E(s) = −(1/2N) Σ_μ (Σ_i ξ^μ_i σ_i)²` with spins `σ = 2s − 1`. Its minima are the stored
/// patterns, their mirror images and spurious mixtures.
#[derive(Debug, Clone)]
pub struct Hopfield {
    /// The stored patterns, each of `N` entries ±1.
    pub patterns: Vec<Vec<f64>>,
}

impl Hopfield {
    /// `count` patterns over `sites` spins from a fixed pseudo-random sequence.
    pub fn with_patterns(sites: usize, count: usize) -> Self {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let patterns = (0..count)
            .map(|_| {
                (0..sites)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        if x & 1 == 1 { 1.0 } else { -1.0 }
                    })
                    .collect()
            })
            .collect();
        Self { patterns }
    }
}

impl DiscreteEnergy for Hopfield {
    fn sites(&self) -> usize {
        self.patterns[0].len()
    }
    fn levels(&self) -> usize {
        2
    }
    fn energy(&self, s: &[u8]) -> f64 {
        let overlap = |xi: &Vec<f64>| xi.iter().zip(s).map(|(x, &v)| x * (2.0 * f64::from(v) - 1.0)).sum::<f64>();
        -self.patterns.iter().map(|xi| overlap(xi).powi(2)).sum::<f64>() / (2.0 * s.len() as f64)
    }
}
