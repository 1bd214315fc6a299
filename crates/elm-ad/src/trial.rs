//! A single Attraction-Diffusion trial.

use crate::error::Result;
use elm_core::{DiscreteEnergy, DiscreteState, Energy, MagnetNorm, Magnetized, check};
use elm_mcmc::{ContinuousSampler, ContinuousState, DiscreteSampler};
use rand::{Rng, RngExt};

/// Parameters of an Attraction-Diffusion trial (seed 000 Alg. 1 step 3; seed 001 Alg. 3).
///
/// The temperature `T` is the sampler's own: AD samples
/// `exp(-(E(X)/T + α ||X - X*||_2))` by running the sampler at `T` on the energy
/// `E(X) + α T ||X - X*||_2`.
///
/// # Example
/// ```
/// use elm_ad::AdParams;
/// // The SK setting of seed 000 Sec. 5.1: alpha = 1.35, delta = 0, M = 100 sweeps.
/// let p = AdParams::default().with_alpha(1.35).with_delta(0.0).with_patience(100);
/// p.validate().unwrap();
/// assert!(AdParams::default().with_alpha(-1.0).validate().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AdParams {
    /// Magnetization strength `α >= 0` (default 1).
    pub alpha: f64,
    /// Distance resolution `δ >= 0`: success when `||X - X*||_2 <= δ` (default 0).
    pub delta: f64,
    /// Improvement limit `M`: stop after `M` consecutive sweeps (discrete) or sampler sweeps
    /// (continuous: steps for joint updates, `d` steps for component-wise) without a new best
    /// distance (default 100).
    pub patience: usize,
    /// Hard cap on sweeps (default 100 000).
    pub max_sweeps: usize,
    /// Record the path (energy, distance and state after every sweep) (default false).
    pub record_path: bool,
    /// Norm of the magnetization (default L2, seed 000 Eq. 3.1). `δ` and the reported
    /// distances are in this norm.
    pub norm: MagnetNorm,
    /// When a new best distance counts as progress for the improvement limit `M` (default:
    /// every state; the authors' ADELM code compares the distance at the end of each sweep).
    #[serde(default)]
    pub progress: ProgressCheck,
    /// Order in which a discrete sweep visits the sites (default: `0..n`; the authors' code
    /// draws a fresh random permutation every sweep).
    #[serde(default)]
    pub sweep_order: SweepOrder,
}

/// When an AD chain's distance counts as a new best for the improvement limit `M`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum ProgressCheck {
    /// Only the distance at the end of each sweep is compared with the best so far (the
    /// authors' ADELM code).
    EndOfSweep,
    /// Every state the chain moves through may set a new best (more lenient: a transient
    /// approach inside a sweep resets the counter; the default, which gives barrier
    /// estimates closer to the exact ones on enumerated SK instances).
    #[default]
    EverySite,
}

/// The order in which a discrete AD sweep visits the sites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum SweepOrder {
    /// A fresh uniformly random permutation every sweep (the authors' code).
    RandomPermutation,
    /// Sites `0..n` in order (the default).
    #[default]
    Fixed,
}

impl Default for AdParams {
    fn default() -> Self {
        Self {
            alpha: 1.0,
            delta: 0.0,
            patience: 100,
            max_sweeps: 100_000,
            record_path: false,
            norm: MagnetNorm::L2,
            progress: ProgressCheck::EverySite,
            sweep_order: SweepOrder::Fixed,
        }
    }
}

impl AdParams {
    /// Sets `α`.
    #[must_use]
    pub fn with_alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }

    /// Sets `δ`.
    #[must_use]
    pub fn with_delta(mut self, delta: f64) -> Self {
        self.delta = delta;
        self
    }

    /// Sets `M`.
    #[must_use]
    pub fn with_patience(mut self, patience: usize) -> Self {
        self.patience = patience;
        self
    }

    /// Sets the sweep cap.
    #[must_use]
    pub fn with_max_sweeps(mut self, max_sweeps: usize) -> Self {
        self.max_sweeps = max_sweeps;
        self
    }

    /// Sets the magnetization norm.
    #[must_use]
    pub fn with_norm(mut self, norm: MagnetNorm) -> Self {
        self.norm = norm;
        self
    }

    /// Sets when progress is checked.
    #[must_use]
    pub fn with_progress(mut self, progress: ProgressCheck) -> Self {
        self.progress = progress;
        self
    }

    /// Sets the discrete sweep order.
    #[must_use]
    pub fn with_sweep_order(mut self, order: SweepOrder) -> Self {
        self.sweep_order = order;
        self
    }

    /// Records the path.
    #[must_use]
    pub fn with_path(mut self, record: bool) -> Self {
        self.record_path = record;
        self
    }

    /// Checks `α >= 0`, `δ >= 0`, `M >= 1`, cap `>= 1`.
    ///
    /// # Errors
    /// `InvalidParameter` naming the offending field.
    pub fn validate(&self) -> Result<()> {
        check::non_negative("alpha", self.alpha)?;
        check::non_negative("delta", self.delta)?;
        check::at_least("patience", self.patience, 1)?;
        check::at_least("max_sweeps", self.max_sweeps, 1)?;
        Ok(())
    }
}

/// A continuous trial succeeds when the chain comes within `δ` of its target, which never
/// happens exactly: `δ = 0` (the discrete default) would fail every trial silently.
pub(crate) fn check_continuous_delta(delta: f64) -> Result<()> {
    if delta > 0.0 {
        Ok(())
    } else {
        Err(elm_core::Error::invalid(
            "delta",
            delta,
            "a continuous AD trial needs delta > 0 (arrival within delta of the target; e.g. the sampler's step size)",
        )
        .into())
    }
}

/// Why an AD trial stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AdTermination {
    /// The chain came within `δ` of the target: start and target share a metastable basin.
    ReachedTarget,
    /// `M` consecutive sweeps without improving the best distance: a barrier stronger than the
    /// magnetization separates them.
    NoImprovement,
    /// The sweep cap was reached.
    SweepCap,
}

/// A recorded AD path, one entry per sweep (the start first).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AdPath<S> {
    /// Energy `E(X)` (unmagnetized).
    pub energies: Vec<f64>,
    /// Distance `||X - X*||_2` to the target.
    pub distances: Vec<f64>,
    /// The states.
    pub states: Vec<S>,
}

/// The outcome of one AD trial.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AdOutcome<S> {
    /// True when the chain reached the target.
    pub success: bool,
    /// Highest energy `E(X)` met along the path (every single-site update for discrete chains,
    /// every step for continuous ones), start included (seed 000 Sec. 3.1); for a successful
    /// trial never below the target's energy (with `δ > 0` the chain stops near the target,
    /// possibly in states lower than a shallow target, and the path must still end there).
    /// For a successful *discrete* trial this is an upper bound of the minimax barrier between start and target:
    /// the chain's single-site moves form a genuine path. For a *continuous* trial it is the
    /// highest *sample* of a path: a step can straddle the saddle, so the estimate can fall below
    /// the saddle by up to about `|λ| ε² / 8` for a step of length `ε` across it and negative
    /// curvature `λ` there — an estimate, not a bound (tested on the six-hump camelback).
    pub barrier: f64,
    /// Sweeps run.
    pub sweeps: usize,
    /// Best distance reached.
    pub best_distance: f64,
    /// Why the trial stopped.
    pub reason: AdTermination,
    /// The path, if recorded.
    pub path: Option<AdPath<S>>,
}

/// Attraction-Diffusion (seed 000 Sec. 3; seed 001 Sec. 4.3): starting from `start`, sample the
/// magnetized density
///
/// $$ p_{T,\alpha,X^{\ast}}(X) \propto \exp\\{-(E(X)/T + \alpha \lVert X - X^{\ast} \rVert_2)\\} $$
///
/// with a *local* sampler, tracking the best distance `d*` to the target `X*`; succeed when the
/// distance falls to `δ`, fail when it has not improved for `M` consecutive sweeps. Success
/// means start and target lie in one metastable region at the energy resolution set by `(T, α)`;
/// the maximum energy along a successful path estimates the barrier between them (an upper bound
/// for discrete chains; see [`AdOutcome::barrier`]).
///
/// # Example
/// ```
/// use elm_ad::{AdParams, AttractionDiffusion};
/// use elm_core::reference::MullerBrown;
/// use elm_mcmc::RandomWalkMetropolis;
/// use rand::SeedableRng;
/// let mb = MullerBrown::new();
/// let [a, b, _] = MullerBrown::MINIMA.map(|m| m.1);
/// let rw = RandomWalkMetropolis::default().with_step_size(0.02).with_temperature(2.0);
/// let mut rng = elm_ad::AdRng::seed_from_u64(1);
/// // A strong magnet pulls the chain from minimum B into minimum A.
/// let ad = AttractionDiffusion::new(AdParams::default().with_alpha(200.0).with_delta(0.05)).unwrap();
/// let out = ad.run_continuous(&mb, &rw, &b, &a, &mut rng).unwrap();
/// assert!(out.success);
/// // Near or above the C-B saddle on the way (a continuous chain can undershoot it slightly).
/// assert!(out.barrier >= MullerBrown::SADDLES[1].0 - 1.0);
/// ```
///
/// # References
/// Seed 000 Sec. 3.1, Eq. 3.1 and Alg. 1; seed 001 Sec. 4.3 and Alg. 3.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttractionDiffusion {
    params: AdParams,
}

impl AttractionDiffusion {
    /// An AD trial runner.
    ///
    /// # Errors
    /// Invalid parameters.
    pub fn new(params: AdParams) -> Result<Self> {
        params.validate()?;
        Ok(Self { params })
    }

    /// The parameters.
    pub fn params(&self) -> &AdParams {
        &self.params
    }

    /// Runs a continuous trial from `start` towards `target` with `sampler` (at its temperature).
    ///
    /// # Errors
    /// Invalid sampler parameters, dimension mismatches, non-finite start or target.
    pub fn run_continuous<E, S, R>(
        &self,
        energy: &E,
        sampler: &S,
        start: &[f64],
        target: &[f64],
        rng: &mut R,
    ) -> Result<AdOutcome<Vec<f64>>>
    where
        R: Rng + ?Sized,
        E: Energy + ?Sized,
        S: for<'a> ContinuousSampler<Magnetized<&'a E>>,
    {
        let p = &self.params;
        sampler.validate()?;
        let t = sampler.temperature();
        let magnet = Magnetized::continuous(energy, target, 1.0, p.alpha * t)?.with_norm(p.norm);
        let mut state = ContinuousState::new(&magnet, start.to_vec())?;
        check_continuous_delta(p.delta)?;
        let per_sweep = sampler.steps_per_sweep(start.len()).max(1);
        let unmagnetized = |s: &ContinuousState, d: f64| s.energy() - p.alpha * t * d;
        let d0 = magnet.distance(state.x());
        let e0 = unmagnetized(&state, d0);
        let outcome = drive(p, d0, e0, start.to_vec(), |track| {
            let mut d = track.distance;
            for _ in 0..per_sweep {
                sampler.step(&magnet, &mut state, rng);
                d = magnet.distance(state.x());
                track.visit(unmagnetized(&state, d), d);
                if d <= p.delta {
                    break;
                }
            }
            (d, unmagnetized(&state, d), p.record_path.then(|| state.x().to_vec()))
        });
        Ok(floor_at_target(outcome, || energy.energy(target)))
    }

    /// Runs a discrete trial from `start` towards `target` with `sampler` (at its temperature);
    /// one sweep updates every site once, and the path barrier is tracked after every site
    /// update.
    ///
    /// # Errors
    /// Invalid sampler parameters, dimension mismatches, invalid levels.
    pub fn run_discrete<E, S, R>(
        &self,
        energy: &E,
        sampler: &S,
        start: &[u8],
        target: &[u8],
        rng: &mut R,
    ) -> Result<AdOutcome<Vec<u8>>>
    where
        R: Rng + ?Sized,
        E: DiscreteEnergy + ?Sized,
        S: for<'a> DiscreteSampler<Magnetized<&'a E>>,
    {
        let p = &self.params;
        sampler.validate()?;
        let t = sampler.temperature();
        let magnet = Magnetized::discrete(energy, target, 1.0, p.alpha * t)?.with_norm(p.norm);
        let mut state = DiscreteState::new(&magnet, start.to_vec())?;
        let unmagnetized = |s: &DiscreteState| {
            let d = magnet.distance_from_aux(s.aux());
            (s.energy() - p.alpha * t * d, d)
        };
        let (e0, d0) = unmagnetized(&state);
        let n = state.len();
        let mut order: Vec<usize> = (0..n).collect();
        let outcome = drive(p, d0, e0, start.to_vec(), |track| {
            let mut d = track.distance;
            if p.sweep_order == SweepOrder::RandomPermutation {
                // Fisher-Yates.
                for k in (1..n).rev() {
                    order.swap(k, rng.random_range(0..=k));
                }
            }
            for &i in &order {
                if sampler.update_site(&magnet, &mut state, i, rng) {
                    let (e, di) = unmagnetized(&state);
                    d = di;
                    track.visit(e, d);
                    if d <= p.delta {
                        break;
                    }
                }
            }
            (d, unmagnetized(&state).0, p.record_path.then(|| state.as_slice().to_vec()))
        });
        Ok(floor_at_target(outcome, || energy.energy(target)))
    }
}

/// A successful trial stops within `δ` of its target, possibly in states *below* a shallow target
/// (a discrete single-site minimum can have lower states a few sites away); the path still has
/// to end at the target, so the barrier estimate is at least the target's energy.
fn floor_at_target<S>(mut outcome: AdOutcome<S>, target_energy: impl FnOnce() -> f64) -> AdOutcome<S> {
    if outcome.success {
        outcome.barrier = outcome.barrier.max(target_energy());
    }
    outcome
}

/// The running record of a trial: best distance, path barrier and the current distance.
struct Track {
    distance: f64,
    best: f64,
    barrier: f64,
    every_site: bool,
}

impl Track {
    /// A state visited along the path, with unmagnetized energy `e` at distance `d`.
    fn visit(&mut self, e: f64, d: f64) {
        self.barrier = self.barrier.max(e);
        if self.every_site {
            self.best = self.best.min(d);
        }
    }
}

/// The AD loop shared by continuous and discrete trials (seed 000 Alg. 1 step 3a): run sweeps
/// until the distance reaches `δ`, `M` sweeps pass without a new best distance, or the cap.
/// `sweep` runs one sweep, calling `Track::visit` for every state it moves through, and returns
/// the distance and energy after it (and the state, when the path is recorded).
fn drive<S>(
    p: &AdParams,
    d0: f64,
    e0: f64,
    start: S,
    mut sweep: impl FnMut(&mut Track) -> (f64, f64, Option<S>),
) -> AdOutcome<S> {
    let mut track = Track { distance: d0, best: d0, barrier: e0, every_site: p.progress == ProgressCheck::EverySite };
    let mut path = p.record_path.then(|| AdPath { energies: vec![e0], distances: vec![d0], states: vec![start] });
    let mut stale = 0;
    let mut sweeps = 0;
    let reason = loop {
        if track.distance <= p.delta {
            break AdTermination::ReachedTarget;
        }
        if sweeps >= p.max_sweeps {
            break AdTermination::SweepCap;
        }
        sweeps += 1;
        let best_before = track.best;
        let (d, e, state) = sweep(&mut track);
        track.distance = d;
        track.best = track.best.min(d);
        if let (Some(path), Some(state)) = (path.as_mut(), state) {
            path.energies.push(e);
            path.distances.push(d);
            path.states.push(state);
        }
        if d <= p.delta {
            continue;
        }
        if track.best < best_before {
            stale = 0;
        } else {
            stale += 1;
            if stale >= p.patience {
                break AdTermination::NoImprovement;
            }
        }
    };
    AdOutcome {
        success: reason == AdTermination::ReachedTarget,
        barrier: track.barrier,
        sweeps,
        best_distance: track.best,
        reason,
        path,
    }
}
