//! Tuning `T` and `α`: AD phase diagrams (seed 000 Fig. 9-10) and the tuning curves of seed 001
//! Fig. 5.2.

use crate::adelm::{Adelm, AdelmParams, Control, Proposal};
use crate::barrier::{BarrierEstimation, DirectedBarrier};
use crate::error::Result;
use crate::space::AdSpace;
use elm_core::check;
use elm_core::task_rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// One temperature of an AD phase diagram for a pair of minima.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PhasePoint {
    /// Temperature.
    pub temperature: f64,
    /// The search from the first minimum to the second.
    pub forward: DirectedBarrier,
    /// The search from the second minimum to the first.
    pub backward: DirectedBarrier,
}

/// `n` temperatures spaced evenly on a log scale from `lo` to `hi` inclusive.
///
/// # Errors
/// `InvalidParameter` unless `0 < lo < hi` and `n >= 2`.
pub fn log_spaced(lo: f64, hi: f64, n: usize) -> Result<Vec<f64>> {
    check::positive("lo", lo)?;
    check::positive("hi", hi)?;
    check::at_least("n", n, 2)?;
    if hi <= lo {
        return Err(elm_core::Error::invalid("hi", hi, "must exceed lo").into());
    }
    let (a, b) = (lo.ln(), hi.ln());
    Ok((0..n).map(|k| (a + (b - a) * k as f64 / (n - 1) as f64).exp()).collect())
}

/// The AD phase diagram of a pair of minima (seed 000 Fig. 9-10): for every temperature, the
/// metastable boundary `α*(T)` and the lowest barrier found, in both directions, by
/// [`BarrierEstimation::pair`]. Temperatures run in parallel; deterministic in `seed`.
///
/// # Errors
/// Invalid parameters or temperatures, sampler errors.
pub fn phase_diagram<Sp: AdSpace + Clone + Send>(
    space: &Sp,
    a: &Sp::State,
    b: &Sp::State,
    temperatures: &[f64],
    estimation: &BarrierEstimation,
    seed: u64,
) -> Result<Vec<PhasePoint>> {
    for &t in temperatures {
        check::positive("temperature", t)?;
    }
    temperatures
        .par_iter()
        .enumerate()
        .map(|(k, &t)| {
            let s = space.at_temperature(t);
            let forward = estimation.pair(&s, a, b, seed ^ (2 * k as u64 + 1).wrapping_mul(0x2545_f491_4f6c_dd1d))?;
            let backward = estimation.pair(&s, b, a, seed ^ (2 * k as u64 + 2).wrapping_mul(0x2545_f491_4f6c_dd1d))?;
            Ok(PhasePoint { temperature: t, forward, backward })
        })
        .collect()
}

/// One point of the `α` tuning curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AlphaTuningPoint {
    /// Magnetization.
    pub alpha: f64,
    /// Distinct basins (groups) found by the short mapping.
    pub basins: usize,
}

/// The `α` tuning curve of seed 001 Fig. 5.2 (bottom): for each `α`, a short ADELM mapping of
/// `iterations` iterations (the seed used 100, without consolidation) and the number of basins it
/// found. As `α → 0` nearly every minimum is its own basin; as `α → ∞` everything merges; the
/// critical range in between is where macroscopic structure shows.
///
/// # Errors
/// Invalid parameters, sampler or minimizer errors.
pub fn alpha_tuning<Sp, P>(
    space: &Sp,
    proposal: &P,
    alphas: &[f64],
    base: &AdelmParams,
    iterations: usize,
    seed: u64,
) -> Result<Vec<AlphaTuningPoint>>
where
    Sp: AdSpace,
    P: Proposal<Sp::State> + Clone,
{
    let mut out = Vec::with_capacity(alphas.len());
    for &alpha in alphas {
        // No consolidation at all: burn-in 0 (never reached again), no period, none at the end.
        let params = AdelmParams {
            ad: base.ad.with_alpha(alpha),
            iterations,
            burn_in: 0,
            consolidate_every: 0,
            consolidate_at_end: false,
            ..*base
        };
        let mut proposal = proposal.clone();
        let record = Adelm::new(params)?.map(space, &mut proposal, seed, |_| Control::Continue)?;
        out.push(AlphaTuningPoint { alpha, basins: record.basins().len() });
    }
    Ok(out)
}

/// Energy drift of unmagnetized chains at one temperature (seed 001 Fig. 5.2 top).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DriftPoint {
    /// Temperature.
    pub temperature: f64,
    /// Mean over chains of the mean energy change from the starting minimum along the chain
    /// (negative when the chains find lower states, as from shallow descent minima at low `T`).
    pub mean_rise: f64,
    /// Largest energy above its starting minimum reached by any chain.
    pub max_rise: f64,
}

/// The temperature tuning curve of seed 001 Fig. 5.2 (top): chains started at each of `minima`
/// are run *without* magnetization for `sweeps` sweeps at each temperature, and the energy they
/// climb above their minimum is recorded. A good AD temperature keeps this rise well below the
/// barriers of the landscape (the seed picks `T = 0.1` for SK, where `T_c = 1` is too warm).
/// Temperatures run in parallel; deterministic in `seed`.
///
/// # Errors
/// Invalid temperatures, `sweeps = 0`, no minima, sampler errors.
pub fn energy_drift<Sp: AdSpace + Clone + Send>(
    space: &Sp,
    minima: &[Sp::State],
    temperatures: &[f64],
    sweeps: usize,
    seed: u64,
) -> Result<Vec<DriftPoint>> {
    check::at_least("sweeps", sweeps, 1)?;
    if minima.is_empty() {
        return Err(elm_core::Error::EmptyInput("minima").into());
    }
    // Check every state before evaluating any (an energy indexes its input unchecked).
    for x in minima {
        space.check_state(x)?;
    }
    temperatures
        .par_iter()
        .enumerate()
        .map(|(k, &t)| {
            check::positive("temperature", t)?;
            let s = space.at_temperature(t);
            let (mut sum, mut max) = (0.0, 0.0f64);
            for (m, x) in minima.iter().enumerate() {
                let mut rng = task_rng(seed, k as u64, m as u64, 7);
                let e0 = s.energy(x);
                let path = s.chain_energies(x, sweeps, &mut rng)?;
                sum += path.iter().map(|e| e - e0).sum::<f64>() / path.len() as f64;
                max = max.max(path.iter().map(|e| e - e0).fold(0.0, f64::max));
            }
            Ok(DriftPoint { temperature: t, mean_rise: sum / minima.len() as f64, max_rise: max })
        })
        .collect()
}
