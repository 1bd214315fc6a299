//! Barrier estimation between basin representatives by AD (seed 000 Sec. 3.4 and 4.3).

use crate::error::Result;
use crate::space::AdSpace;
use crate::trial::{AdParams, AttractionDiffusion};
use elm_core::{BarrierMatrix, BarrierSource, Control, check, task_rng};
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
    /// How many times a search whose first round fails multiplies `α` by 10 and tries again
    /// before it gives the pair up (default 3: up to `1000 alpha_start`). The automatic
    /// bracketing from above that keeps a too-low `alpha_start` from leaving every pair
    /// unknown; 0 restores the plain descent of seed 000.
    #[serde(default = "default_escalations")]
    pub escalations: usize,
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

fn default_escalations() -> usize {
    3
}

/// Factor of one escalation of `α` (see [`BarrierEstimation::escalations`]).
pub const ESCALATION: f64 = 10.0;

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
            escalations: 3,
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
    /// The highest `α` tried (above `alpha_start` when the first rounds failed and escalated).
    #[serde(default)]
    pub alpha_max: f64,
    /// The closest any trial came to the target (0 once one arrived). A search that never
    /// arrived although its chains came near is limited by `δ` against the sampler's step, not
    /// by `α`.
    #[serde(default = "infinite")]
    pub closest: f64,
}

fn infinite() -> f64 {
    f64::INFINITY
}

/// Barriers between `n` minima estimated by AD: the workspace's [`BarrierMatrix`] (every
/// entry with source [`BarrierSource::Ad`], `+∞` where no trial ever succeeded) and what the
/// search did to get it.
///
/// An estimation never fails silently: [`BarrierReport::unknown`] lists the pairs that stayed
/// unconnected and [`BarrierReport::suggested_alpha_start`] says where to start next time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarrierReport {
    /// The barriers: the lower of the two directed estimates, minima energies on the diagonal.
    pub matrix: BarrierMatrix,
    /// Row-major `n x n`: the search from row to column (`None` on the diagonal and for searches
    /// an observer stopped before they ran).
    pub directed: Vec<Option<DirectedBarrier>>,
    /// Pairs `i < j` neither direction connected (also in `matrix.unknown_pairs()`).
    pub unknown: Vec<(usize, usize)>,
    /// The `α` the searches started at.
    pub alpha_start: f64,
    /// When pairs stayed unknown: an `alpha_start` that escalates past the highest `α` tried
    /// (a magnet too weak to pull across the barrier is the usual cause; seed 000 Sec. 3.4).
    pub suggested_alpha_start: Option<f64>,
    /// When pairs stayed unknown: the median, over their searches, of the closest approach to
    /// the target, to compare with `δ` (`ad.delta`). Chains that came within a few `δ` even at
    /// the strongest magnet are stopped by `δ` against the sampler's step (in `d` dimensions a
    /// random-walk step of size `ε` moves about `ε sqrt(d)`), not by `α`: raise `δ` or lower
    /// the step.
    #[serde(default)]
    pub closest_unknown: Option<f64>,
    /// The arrival distance `δ` of the trials.
    #[serde(default)]
    pub delta: f64,
    /// When the unknown pairs' chains came within `10 δ` of their targets: a `δ` (twice their
    /// median closest approach) that would let them arrive — the better fix than a stronger
    /// magnet then.
    #[serde(default)]
    pub suggested_delta: Option<f64>,
    /// True when an observer stopped the estimation early (the missing searches are `None`).
    pub stopped: bool,
    /// AD trials run.
    pub trials: u64,
}

impl BarrierReport {
    /// Number of minima.
    pub fn len(&self) -> usize {
        self.matrix.len()
    }

    /// Always false: a report covers at least one minimum.
    pub fn is_empty(&self) -> bool {
        self.matrix.is_empty()
    }

    /// Barrier between `i` and `j` (`None` if unknown).
    ///
    /// # Panics
    /// For an index out of range, like [`BarrierMatrix::get`].
    pub fn get(&self, i: usize, j: usize) -> Option<f64> {
        Some(self.matrix.get(i, j)).filter(|b| b.is_finite())
    }

    /// True when every pair is connected and no search was skipped.
    pub fn is_complete(&self) -> bool {
        self.unknown.is_empty() && !self.stopped
    }

    /// A one-line summary for logs, with the warning when pairs stayed unknown.
    pub fn summary(&self) -> String {
        let n = self.len();
        let pairs = n * n.saturating_sub(1) / 2;
        let mut s = format!(
            "{} of {pairs} barriers known ({} AD trials from alpha {})",
            pairs - self.unknown.len(),
            self.trials,
            self.alpha_start
        );
        match (self.suggested_delta, self.suggested_alpha_start) {
            (Some(d), _) => {
                s += &format!(
                    "; {} pairs unknown, but their chains came within {:.3} of the target (delta = {}): retry with delta ~ {d:.3} (or a smaller sampler step)",
                    self.unknown.len(),
                    self.closest_unknown.unwrap_or(f64::NAN),
                    self.delta
                );
            }
            (None, Some(a)) => {
                s += &format!("; {} pairs unknown: retry with alpha_start >= {a:.3e}", self.unknown.len());
            }
            (None, None) => {}
        }
        if self.stopped {
            s += "; stopped early";
        }
        s
    }
}

/// Progress of an all-pairs estimation, passed to its observer after each directed search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BarrierProgress {
    /// Directed searches finished.
    pub done: usize,
    /// Directed searches in all (`n (n - 1)`).
    pub total: usize,
    /// The search just finished: from, to.
    pub pair: (usize, usize),
    /// Its result.
    pub result: DirectedBarrier,
}

/// Stock observers read an estimation's progress: directed searches done of `n (n - 1)`.
impl elm_core::Progress for BarrierProgress {
    fn done(&self) -> usize {
        self.done
    }

    fn total(&self) -> Option<usize> {
        Some(self.total)
    }

    fn summary(&self) -> String {
        format!(
            "barrier search {}/{}: {} -> {} {}",
            self.done,
            self.total,
            self.pair.0,
            self.pair.1,
            match (self.result.barrier, self.result.alpha_boundary) {
                (Some(b), Some(a)) => format!("at {b:.6} (alpha* {a:.3e})"),
                _ => format!("not connected up to alpha {:.3e}", self.result.alpha_max),
            }
        )
    }
}

impl BarrierEstimation {
    /// The estimation that suits a map made with `params`: the mapping's AD parameters
    /// (`δ`, patience, norm), starting at `10 α` of the mapping — basins that stayed apart at
    /// the mapping's `α` join above it — and bracketing the boundary in 20% steps before the 3%
    /// steps of seed 000 Sec. 3.4.
    pub fn for_map(params: &crate::AdelmParams) -> Self {
        let alpha = if params.ad.alpha > 0.0 { params.ad.alpha } else { 1.0 };
        Self::default().with_ad(params.ad).with_alpha_start(10.0 * alpha).with_bracketing(0.8)
    }

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

    /// Sets how many times a failing first round escalates `α` tenfold.
    #[must_use]
    pub fn with_escalations(mut self, escalations: usize) -> Self {
        self.escalations = escalations;
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
        space.check_ad(&self.ad)?;
        let mut alpha = self.alpha_start;
        let mut out = DirectedBarrier {
            barrier: None,
            alpha_boundary: None,
            rounds: 0,
            alpha_max: alpha,
            closest: f64::INFINITY,
        };
        let mut escalations = 0;
        // Coarse steps (`coarse_decay`) until the first failure, then back to the last success
        // and on in fine steps (`decay`); with `coarse_decay == decay` one plain descent.
        let mut coarse = self.coarse_decay < self.decay;
        // Bounded even where success never stops (identical ends with alpha_min = 0).
        while alpha >= self.alpha_min && out.rounds < MAX_ROUNDS {
            let ad = AttractionDiffusion::new(self.ad.with_alpha(alpha))?;
            let mut any = false;
            for k in 0..self.trials {
                let mut rng = task_rng(seed, out.rounds as u64, k as u64, 0);
                // A trial that meets a non-finite energy counts as a failure, not as an error.
                let r = match space.trial(&ad, from, to, &mut rng) {
                    Ok(r) => r,
                    Err(e) if crate::adelm::is_bad_point(&e) => continue,
                    Err(e) => return Err(e),
                };
                out.closest = out.closest.min(if r.success { 0.0 } else { r.best_distance });
                if r.success {
                    any = true;
                    out.barrier = Some(out.barrier.map_or(r.barrier, |b| b.min(r.barrier)));
                }
            }
            out.rounds += 1;
            if !any && out.alpha_boundary.is_none() && escalations < self.escalations {
                // Nothing ever succeeded: the magnet is too weak; bracket from above.
                escalations += 1;
                alpha *= ESCALATION;
                out.alpha_max = alpha;
                continue;
            }
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
    /// Invalid parameters, sampler errors, [`elm_core::Error::EmptyInput`] for no minima.
    ///
    /// # Example
    /// ```
    /// use elm_ad::{AdParams, BarrierEstimation, DiscreteSpace};
    /// use elm_core::{BarrierSource, reference::Ising};
    /// use elm_mcmc::Gibbs;
    /// // The two ground states of a 4x4 Ising torus, joined over a domain wall.
    /// let space = DiscreteSpace::new(Ising::new(4, 1.0, 0.0).unwrap(), Gibbs::default().with_temperature(1.0));
    /// let minima = [vec![0u8; 16], vec![1u8; 16]];
    /// // A magnet far too weak for these minima: the search escalates it tenfold until trials
    /// // succeed instead of reporting every pair unknown.
    /// let report = BarrierEstimation::default().with_alpha_start(0.01).with_bracketing(0.5)
    ///     .with_ad(AdParams::default().with_patience(50)).all_pairs(&space, &minima, 1).unwrap();
    /// assert!(report.directed[1].unwrap().alpha_max > 0.01, "{}", report.summary());
    /// assert!(report.is_complete(), "{}", report.summary());
    /// assert_eq!(report.matrix.source(0, 1), Some(BarrierSource::Ad));
    /// // Every path between the ground states crosses a domain wall (E >= -32 + 16).
    /// assert!(report.matrix.get(0, 1) >= -16.0);
    /// ```
    pub fn all_pairs<Sp: AdSpace>(&self, space: &Sp, minima: &[Sp::State], seed: u64) -> Result<BarrierReport> {
        self.all_pairs_observed(space, minima, seed, |_| Control::Continue)
    }

    /// [`BarrierEstimation::all_pairs`] with an observer called after each directed search
    /// (from the worker threads, one call at a time); [`Control::Stop`] skips the searches not
    /// yet started and returns what is known, with [`BarrierReport::stopped`] set. The searches
    /// that ran give the same barriers as in an unstopped run.
    ///
    /// # Errors
    /// As [`BarrierEstimation::all_pairs`].
    pub fn all_pairs_observed<Sp, F>(
        &self,
        space: &Sp,
        minima: &[Sp::State],
        seed: u64,
        observer: F,
    ) -> Result<BarrierReport>
    where
        Sp: AdSpace,
        F: FnMut(&BarrierProgress) -> Control + Send,
    {
        self.validate()?;
        if minima.is_empty() {
            return Err(elm_core::Error::EmptyInput("minima").into());
        }
        for m in minima {
            space.check_state(m)?;
        }
        let n = minima.len();
        let tasks: Vec<(usize, usize)> =
            (0..n).flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j))).collect();
        let total = tasks.len();
        let observer = std::sync::Mutex::new((observer, 0usize));
        let stop = std::sync::atomic::AtomicBool::new(false);
        let results: Vec<Result<Option<(usize, usize, DirectedBarrier)>>> = tasks
            .par_iter()
            .map(|&(i, j)| {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    return Ok(None);
                }
                let d =
                    self.pair(space, &minima[i], &minima[j], seed ^ ((i * n + j) as u64).wrapping_mul(0x9e37_79b9))?;
                let mut guard = observer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                let (observe, done) = &mut *guard;
                *done += 1;
                if observe(&BarrierProgress { done: *done, total, pair: (i, j), result: d }) == Control::Stop {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                Ok(Some((i, j, d)))
            })
            .collect();
        let energies: Vec<f64> = minima.iter().map(|m| space.energy(m)).collect();
        let mut directed = vec![None; n * n];
        for r in results {
            if let Some((i, j, d)) = r? {
                directed[i * n + j] = Some(d);
            }
        }
        let barriers: Vec<Option<f64>> = directed.iter().map(|d| d.and_then(|d: DirectedBarrier| d.barrier)).collect();
        let matrix = BarrierMatrix::from_estimates(energies, &barriers, BarrierSource::Ad)?;
        let unknown = matrix.unknown_pairs();
        let alpha_max = directed.iter().flatten().map(|d| d.alpha_max).fold(self.alpha_start, f64::max);
        let trials = directed.iter().flatten().map(|d| (d.rounds * self.trials) as u64).sum();
        let mut closest: Vec<f64> = unknown
            .iter()
            .flat_map(|&(i, j)| [directed[i * n + j], directed[j * n + i]])
            .flatten()
            .map(|d| d.closest)
            .filter(|c| c.is_finite())
            .collect();
        closest.sort_by(f64::total_cmp);
        Ok(BarrierReport {
            suggested_alpha_start: (!unknown.is_empty()).then_some(alpha_max * ESCALATION),
            closest_unknown: closest.get(closest.len() / 2).copied(),
            suggested_delta: closest
                .get(closest.len() / 2)
                .filter(|&&c| self.ad.delta > 0.0 && c < 10.0 * self.ad.delta)
                .map(|c| 2.0 * c),
            delta: self.ad.delta,
            matrix,
            directed,
            unknown,
            alpha_start: self.alpha_start,
            stopped: stop.into_inner(),
            trials,
        })
    }
}
