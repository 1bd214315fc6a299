//! Single-site samplers for discrete energies: heat-bath (Gibbs) and Metropolis.

use crate::error::Result;
use crate::sampler::{DiscreteSampler, metropolis_accept, sampler_params};
use elm_core::{DiscreteEnergy, DiscreteState};
use rand::{Rng, RngExt};

/// Levels handled with a stack buffer; more levels fall back to one allocation per update.
const STACK_LEVELS: usize = 16;

/// Heat-bath (Gibbs) sampling for discrete energies: site `i` is redrawn from its exact
/// conditional,
///
/// $$ P(s_i = v \mid s_{-i}) = \frac{\exp(-\Delta_v / T)}{\sum_w \exp(-\Delta_w / T)},
///    \qquad \Delta_v = E(s \text{ with } s_i = v) - E(s), $$
///
/// over all levels (2 for spins, 8 for the seeds' grey-level images), using the energy's
/// incremental [`DiscreteEnergy::delta_levels`] (one batched call per site, `O(1)` per level
/// for SK). A sweep updates sites `0..n` in order; seed 000 counts AD patience in sweeps.
///
/// # Example
/// ```
/// use elm_core::{DiscreteState, reference::Ising};
/// use elm_mcmc::{DiscreteSampler, Gibbs};
/// use rand::SeedableRng;
/// let ising = Ising::new(8, 1.0, 0.0).unwrap();
/// let gibbs = Gibbs::default().with_temperature(1.5);
/// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(6);
/// let mut s = DiscreteState::new(&ising, vec![1; 64]).unwrap();
/// for _ in 0..200 { gibbs.sweep(&ising, &mut s, &mut rng); }
/// assert!(ising.magnetization(s.as_slice()).abs() > 0.8); // ordered phase
/// ```
///
/// # References
/// S. Geman, D. Geman (1984); seed 000 Sec. 5.1 (Gibbs AD chains on SK), Sec. 5.2 (8-level images).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Gibbs {
    /// Temperature `T` (default 1).
    pub temperature: f64,
}

impl Default for Gibbs {
    fn default() -> Self {
        Self { temperature: 1.0 }
    }
}

sampler_params!(Gibbs, "`T > 0`" {
    /// Sets `T`.
    temperature: f64 => with_temperature, positive;
});

impl Gibbs {
    /// Draws a level with probability proportional to `exp(-Δ_v / T)` (weights taken
    /// relative to the lowest delta, so nothing overflows); `deltas` is left intact.
    fn draw<R: Rng + ?Sized>(&self, deltas: &[f64], rng: &mut R) -> u8 {
        let min = deltas.iter().copied().fold(f64::INFINITY, f64::min);
        let weight = |d: f64| if d.is_finite() { (-(d - min) / self.temperature).exp() } else { 0.0 };
        let total: f64 = deltas.iter().map(|&d| weight(d)).sum();
        let mut u = rng.random::<f64>() * total;
        let mut last_positive = 0;
        for (v, &d) in deltas.iter().enumerate() {
            let w = weight(d);
            if w > 0.0 {
                last_positive = v;
            }
            if u < w {
                return v as u8;
            }
            u -= w;
        }
        // Rounding left u >= 0 after the last level.
        last_positive as u8
    }
}

impl<E: DiscreteEnergy + ?Sized> DiscreteSampler<E> for Gibbs {
    fn validate(&self) -> Result<()> {
        Gibbs::validate(self)
    }

    fn update_site<R: Rng + ?Sized>(&self, energy: &E, state: &mut DiscreteState, i: usize, rng: &mut R) -> bool {
        let levels = energy.levels();
        let mut stack = [0.0; STACK_LEVELS];
        let mut heap = Vec::new();
        let deltas: &mut [f64] = if levels <= STACK_LEVELS {
            &mut stack[..levels]
        } else {
            heap.resize(levels, 0.0);
            &mut heap
        };
        state.delta_levels(energy, i, deltas);
        let current = state.get(i);
        let v = if levels == 2 {
            // Closed form for two levels: P(switch) = 1 / (1 + exp(Δ / T)).
            let other = 1 - current;
            let d = deltas[usize::from(other)];
            if rng.random::<f64>() * (1.0 + (d / self.temperature).exp()) < 1.0 { other } else { current }
        } else {
            self.draw(deltas, rng)
        };
        let delta_chosen = deltas[usize::from(v)];
        if v == current {
            return false;
        }
        state.set_with_delta(energy, i, v, delta_chosen);
        true
    }

    fn temperature(&self) -> f64 {
        self.temperature
    }

    fn at_temperature(&self, t: f64) -> Self {
        Self { temperature: t }
    }
}

/// Single-site Metropolis for discrete energies: at site `i` propose one of the other
/// `levels - 1` levels uniformly and accept with probability `min{1, exp(-Δ/T)}`. A sweep
/// visits sites `0..n` in order.
///
/// # Example
/// ```
/// use elm_core::{DiscreteState, reference::Ising};
/// use elm_mcmc::{DiscreteMetropolis, DiscreteSampler};
/// use rand::SeedableRng;
/// let ising = Ising::new(8, 1.0, 0.0).unwrap();
/// let mh = DiscreteMetropolis::default().with_temperature(5.0);
/// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
/// let mut s = DiscreteState::new(&ising, vec![1; 64]).unwrap();
/// for _ in 0..200 { mh.sweep(&ising, &mut s, &mut rng); }
/// assert!(ising.magnetization(s.as_slice()).abs() < 0.5); // disordered phase
/// ```
///
/// # References
/// Metropolis et al. (1953).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DiscreteMetropolis {
    /// Temperature `T` (default 1).
    pub temperature: f64,
}

impl Default for DiscreteMetropolis {
    fn default() -> Self {
        Self { temperature: 1.0 }
    }
}

sampler_params!(DiscreteMetropolis, "`T > 0`" {
    /// Sets `T`.
    temperature: f64 => with_temperature, positive;
});

impl<E: DiscreteEnergy + ?Sized> DiscreteSampler<E> for DiscreteMetropolis {
    fn validate(&self) -> Result<()> {
        DiscreteMetropolis::validate(self)
    }

    fn update_site<R: Rng + ?Sized>(&self, energy: &E, state: &mut DiscreteState, i: usize, rng: &mut R) -> bool {
        let levels = energy.levels();
        let current = state.get(i);
        let v = if levels == 2 {
            1 - current
        } else {
            let r = rng.random_range(0..levels - 1) as u8;
            if r >= current { r + 1 } else { r }
        };
        let d = state.delta(energy, i, v);
        if metropolis_accept(-d / self.temperature, rng) {
            state.set_with_delta(energy, i, v, d);
            true
        } else {
            false
        }
    }

    fn temperature(&self) -> f64 {
        self.temperature
    }

    fn at_temperature(&self, t: f64) -> Self {
        Self { temperature: t }
    }
}
