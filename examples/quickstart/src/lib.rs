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

/// Maps [`TiltedRastrigin`] with ADELM (100 iterations, random-walk Metropolis at `T = 0.3`,
/// `α = 1`, `δ = 0.1`) and draws its basins: the map the README's quick-start makes.
///
/// # Errors
/// Mapping or barrier-estimation errors.
pub fn map_rastrigin(seed: u64) -> elm_ad::Result<(AdelmRecord<Vec<f64>>, elm_ad::BasinGraph)> {
    let sampler = RandomWalkMetropolis::default().with_step_size(0.1).with_temperature(0.3);
    let space = ContinuousSpace::new(TiltedRastrigin, sampler, Lbfgs::default());
    let ad = AdParams::default().with_alpha(1.0).with_delta(0.1).with_patience(100);
    let params = AdelmParams::default().with_iterations(100).with_burn_in(20).with_ad(ad);
    let mut proposals = UniformBox::new(vec![-3.0; 2], vec![3.0; 2])?;
    let record = Adelm::new(params)?.map(&space, &mut proposals, seed, observe::nothing())?;
    let map = record.basin_graph(&space, &BarrierEstimation::for_map(&record.params), seed)?;
    Ok((record, map))
}

/// Maps `hopfield` (24 spins) with ADELM (60 iterations, Gibbs at `T = 0.1`, `α = 0.2`) and draws
/// its basins.
///
/// # Errors
/// Mapping or barrier-estimation errors.
pub fn map_hopfield(hopfield: &Hopfield, seed: u64) -> elm_ad::Result<(AdelmRecord<Vec<u8>>, elm_ad::BasinGraph)> {
    let space = DiscreteSpace::new(hopfield.clone(), Gibbs::default().with_temperature(0.1));
    let ad = AdParams::default().with_alpha(0.2).with_patience(50);
    let params = AdelmParams::default().with_iterations(60).with_burn_in(20).with_ad(ad);
    let mut proposals = UniformLevels { sites: hopfield.sites(), levels: 2 };
    let record = Adelm::new(params)?.map(&space, &mut proposals, seed, observe::nothing())?;
    let map = record.basin_graph(&space, &BarrierEstimation::for_map(&record.params), seed)?;
    Ok((record, map))
}
