//! Barrier estimation between basin representatives by AD (seed 000 Sec. 3.4 and 4.3).

use crate::error::Result;
use crate::space::AdSpace;
use crate::trial::{AdParams, AttractionDiffusion};
use elm_core::check;
use elm_core::task_rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Barrier estimation by AD with decreasing magnetization (seed 000 Sec. 3.4): at the space's
/// temperature, start at a high `α` and run `trials` AD trials; while any succeeds, record the
/// lowest barrier among the successes and lower `α` by the factor `decay` (3% by default); stop
/// when no trial succeeds. The lowest barrier found over all `α` and both directions is kept.
/// The last `α` with a success is the *metastable boundary* `α*(T)` of the pair (Fig. 9-10).
///
/// What the estimate guarantees: on a *discrete* space every successful trial walks a genuine
/// path of single-site moves, so the estimate is an **upper bound** of the minimax barrier
/// (tested against exhaustive enumeration of SK spin glasses). On a *continuous* space it is the
/// highest sample of a sampled path and can fall below the saddle by about `|λ| ε² / 8` (step
/// length `ε` across a saddle of negative curvature `λ`; see [`crate::AdOutcome::barrier`]).
/// Refine a continuous estimate with a climbing-image band (`elm-paths`) when the exact saddle
/// matters.
///
/// # Example
/// ```
/// use elm_ad::{AdParams, BarrierEstimation, ContinuousSpace};
/// use elm_core::{Lbfgs, reference::MullerBrown};
/// use elm_mcmc::RandomWalkMetropolis;
/// let space = ContinuousSpace::new(MullerBrown::new(),
///     RandomWalkMetropolis::default().with_step_size(0.02).with_temperature(2.0), Lbfgs::default());
/// let [a, b, _] = MullerBrown::MINIMA.map(|m| m.1.to_vec());
/// let est = BarrierEstimation::default().with_alpha_start(100.0).with_trials(4)
///     .with_ad(AdParams::default().with_delta(0.05).with_patience(200));
/// let pair = est.pair(&space, &b, &a, 1).unwrap();
/// // Close to the true minimax barrier, the saddle at -40.66 between A and C (a continuous
/// // estimate can undershoot it by a step's straddle).
/// assert!(pair.barrier.unwrap() >= elm_core::reference::MullerBrown::SADDLES[0].0 - 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BarrierEstimation {
    /// AD parameters other than `α` (`δ`, `M`, cap).
    pub ad: AdParams,
    /// Starting (high) magnetization (default 10).
    pub alpha_start: f64,
    /// Factor applied to `α` after a round with a success (default 0.97: 3% steps).
    pub decay: f64,
    /// Trials per `α` (default 20).
    pub trials: usize,
    /// Stop lowering below this `α` (default 1e-6).
    pub alpha_min: f64,
    /// Factor of the coarse steps that first bracket the boundary (default: `decay`, i.e. no
    /// bracketing). With e.g. 0.8, `α` falls in 20% steps until a round fails, then resumes in
    /// `decay` steps from the last success: the same boundary in far fewer rounds when
    /// `alpha_start` is far above it.
    #[serde(default = "default_coarse")]
    pub coarse_decay: f64,
}

fn default_coarse() -> f64 {
    0.97
}

/// Most `α` rounds of one directed search.
const MAX_ROUNDS: usize = 10_000;

impl Default for BarrierEstimation {
    fn default() -> Self {
        Self {
            ad: AdParams::default(),
            alpha_start: 10.0,
            decay: 0.97,
            trials: 20,
            alpha_min: 1e-6,
            coarse_decay: 0.97,
        }
    }
}

/// The outcome of a barrier search from one minimum to another.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DirectedBarrier {
    /// Lowest barrier of any successful trial (`None` if even `alpha_start` failed).
    pub barrier: Option<f64>,
    /// The lowest `α` at which some trial succeeded: the metastable boundary `α*`.
    pub alpha_boundary: Option<f64>,
    /// `α` rounds run.
    pub rounds: usize,
}

/// Barriers between `n` minima estimated by AD.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarrierEstimates {
    /// Energies of the minima.
    pub energies: Vec<f64>,
    /// Row-major `n x n`: the lower of the two directed estimates (`None` = never reached),
    /// diagonal = the minima energies.
    pub barriers: Vec<Option<f64>>,
    /// Row-major `n x n`: the search from row to column.
    pub directed: Vec<Option<DirectedBarrier>>,
}

impl BarrierEstimates {
    /// Number of minima.
    pub fn len(&self) -> usize {
        self.energies.len()
    }

    /// True for no minima.
    pub fn is_empty(&self) -> bool {
        self.energies.is_empty()
    }

    /// Barrier between `i` and `j` (`None` if unknown).
    pub fn get(&self, i: usize, j: usize) -> Option<f64> {
        self.barriers[i * self.len() + j]
    }
}

impl BarrierEstimation {
    /// Sets the AD parameters (its `α` is ignored).
    #[must_use]
    pub fn with_ad(mut self, ad: AdParams) -> Self {
        self.ad = ad;
        self
    }

    /// Sets the starting `α`.
    #[must_use]
    pub fn with_alpha_start(mut self, alpha: f64) -> Self {
        self.alpha_start = alpha;
        self
    }

    /// Sets the trials per `α`.
    #[must_use]
    pub fn with_trials(mut self, trials: usize) -> Self {
        self.trials = trials;
        self
    }

    /// Sets the decay factor (without bracketing, the coarse factor follows it).
    #[must_use]
    pub fn with_decay(mut self, decay: f64) -> Self {
        let bracketing = self.coarse_decay < self.decay;
        self.decay = decay;
        self.coarse_decay = if bracketing { self.coarse_decay.min(decay) } else { decay };
        self
    }

    /// Brackets the boundary with coarse steps of factor `coarse` first.
    #[must_use]
    pub fn with_bracketing(mut self, coarse: f64) -> Self {
        self.coarse_decay = coarse;
        self
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// `InvalidParameter` for `alpha_start <= 0`, `decay` outside `(0, 1)`, `trials = 0`,
    /// `alpha_min < 0` or invalid AD parameters.
    pub fn validate(&self) -> Result<()> {
        self.ad.validate()?;
        check::positive("alpha_start", self.alpha_start)?;
        check::in_open("decay", self.decay, 0.0, 1.0)?;
        check::at_least("trials", self.trials, 1)?;
        check::non_negative("alpha_min", self.alpha_min)?;
        check::in_open("coarse_decay", self.coarse_decay, 0.0, 1.0)?;
        if self.coarse_decay > self.decay {
            return Err(elm_core::Error::invalid("coarse_decay", self.coarse_decay, "must not exceed decay").into());
        }
        Ok(())
    }

    /// The search from `from` to `to` (one direction). Deterministic in `seed`.
    ///
    /// # Errors
    /// Invalid parameters, sampler errors.
    pub fn pair<Sp: AdSpace>(
        &self,
        space: &Sp,
        from: &Sp::State,
        to: &Sp::State,
        seed: u64,
    ) -> Result<DirectedBarrier> {
        self.validate()?;
        space.validate()?;
        let mut alpha = self.alpha_start;
        let mut out = DirectedBarrier { barrier: None, alpha_boundary: None, rounds: 0 };
        // Coarse steps (`coarse_decay`) until the first failure, then back to the last success
        // and on in fine steps (`decay`); with `coarse_decay == decay` one plain descent.
        let mut coarse = self.coarse_decay < self.decay;
        // Bounded even where success never stops (identical ends with alpha_min = 0).
        while alpha >= self.alpha_min && out.rounds < MAX_ROUNDS {
            let ad = AttractionDiffusion::new(self.ad.with_alpha(alpha))?;
            let mut any = false;
            for k in 0..self.trials {
                let mut rng = task_rng(seed, out.rounds as u64, k as u64, 0);
                let r = space.trial(&ad, from, to, &mut rng)?;
                if r.success {
                    any = true;
                    out.barrier = Some(out.barrier.map_or(r.barrier, |b| b.min(r.barrier)));
                }
            }
            out.rounds += 1;
            if !any {
                match (coarse, out.alpha_boundary) {
                    (true, Some(last)) => {
                        coarse = false;
                        alpha = last * self.decay;
                        continue;
                    }
                    _ => break,
                }
            }
            out.alpha_boundary = Some(alpha);
            alpha *= if coarse { self.coarse_decay } else { self.decay };
        }
        Ok(out)
    }

    /// Barriers between all pairs of `minima`, both directions, pairs in parallel (rayon);
    /// deterministic in `seed` whatever the thread count.
    ///
    /// # Errors
    /// Invalid parameters, sampler errors.
    pub fn all_pairs<Sp: AdSpace>(&self, space: &Sp, minima: &[Sp::State], seed: u64) -> Result<BarrierEstimates> {
        self.validate()?;
        let n = minima.len();
        let tasks: Vec<(usize, usize)> =
            (0..n).flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j))).collect();
        let results: Vec<Result<(usize, usize, DirectedBarrier)>> = tasks
            .par_iter()
            .map(|&(i, j)| {
                Ok((
                    i,
                    j,
                    self.pair(space, &minima[i], &minima[j], seed ^ ((i * n + j) as u64).wrapping_mul(0x9e37_79b9))?,
                ))
            })
            .collect();
        let energies: Vec<f64> = minima.iter().map(|m| space.energy(m)).collect();
        let mut directed = vec![None; n * n];
        for r in results {
            let (i, j, d) = r?;
            directed[i * n + j] = Some(d);
        }
        let mut barriers = vec![None; n * n];
        for i in 0..n {
            barriers[i * n + i] = Some(energies[i]);
            for j in 0..n {
                if i != j {
                    let a = directed[i * n + j].and_then(|d: DirectedBarrier| d.barrier);
                    let b = directed[j * n + i].and_then(|d: DirectedBarrier| d.barrier);
                    barriers[i * n + j] = match (a, b) {
                        (Some(x), Some(y)) => Some(x.min(y)),
                        (x, y) => x.or(y),
                    };
                }
            }
        }
        Ok(BarrierEstimates { energies, barriers, directed })
    }
}
