//! The ADELM mapping algorithm (seed 000 Alg. 1; seed 001 Alg. 3).

use crate::AdRng;
use crate::error::{Error, Result};
use crate::space::AdSpace;
use crate::trial::{AdParams, AttractionDiffusion};
use elm_core::check;
use elm_core::checkpoint::Record;
use elm_core::task_rng;
use elm_core::{Checkpoint, Progress};
use rand::RngExt;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Parameters of an ADELM mapping.
///
/// # Example
/// ```
/// use elm_ad::{AdParams, AdelmParams};
/// // Seed 000 Sec. 5.1: 5000 iterations, alpha = 1.35, M = 100 sweeps, delta = 0.
/// let p = AdelmParams::default()
///     .with_iterations(5000)
///     .with_ad(AdParams::default().with_alpha(1.35).with_patience(100).with_delta(0.0));
/// p.validate().unwrap();
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AdelmParams {
    /// The AD trial parameters (`α`, `δ`, `M`, cap).
    pub ad: AdParams,
    /// Total mapping iterations `N` (default 1000).
    pub iterations: usize,
    /// Iterations of the burn-in stage; the representatives are consolidated when it ends
    /// (default 100; seed 000 Sec. 5.2 used 500 of 2500).
    pub burn_in: usize,
    /// Consolidate the representatives every this many iterations of the testing stage
    /// (0 = only after burn-in and at the end; default 500).
    pub consolidate_every: usize,
    /// Consolidate once more when the last iteration is done (default true).
    pub consolidate_at_end: bool,
    /// Test a new minimum only against the groups with the lowest 1-D interpolation barrier
    /// from it ([`AdSpace::interpolation_barrier`]), this many (0 = every group, the default;
    /// the authors' code uses 10-15).
    #[serde(default)]
    pub candidates: usize,
    /// How representatives are consolidated.
    #[serde(default)]
    pub consolidation: ConsolidationParams,
    /// How a new minimum joins a group: `repeats` trials each way against every candidate
    /// group, at least `quota` successes (default 1 and 1: either direction succeeding, seed
    /// 000 Alg. 1).
    #[serde(default)]
    pub membership: Quota,
    /// Most proposals a mapping may skip because their minimization met a non-finite energy
    /// or gradient before it stops with [`Error::TooManyBadPoints`] (default 100). One bad
    /// point of a learned model does not end a long run; a model that is NaN everywhere does.
    #[serde(default = "default_max_skipped")]
    pub max_skipped: usize,
}

fn default_max_skipped() -> usize {
    100
}

/// A success quota: `repeats` AD trials in each direction between two states, at least `quota`
/// of the `2 repeats` succeeding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    /// Trials in each direction (at least 1).
    pub repeats: usize,
    /// Successes needed (`1..=2 repeats`).
    pub quota: usize,
}

impl Default for Quota {
    fn default() -> Self {
        Self { repeats: 1, quota: 1 }
    }
}

impl Quota {
    /// `repeats` trials each way, `quota` successes needed.
    pub fn new(repeats: usize, quota: usize) -> Self {
        Self { repeats, quota }
    }

    /// Checks `repeats >= 1` and `1 <= quota <= 2 repeats`.
    ///
    /// # Errors
    /// `InvalidParameter`.
    pub fn validate(&self) -> Result<()> {
        check::at_least("repeats", self.repeats, 1)?;
        check::at_least("quota", self.quota, 1)?;
        if self.quota > 2 * self.repeats {
            return Err(elm_core::Error::invalid("quota", self.quota, "exceeds the 2 x repeats trials").into());
        }
        Ok(())
    }
}

/// How ADELM consolidates its representatives (seed 000 Sec. 4.2: "AD between all
/// representatives, using the same parameters as during mapping").
///
/// Two groups merge when at least `quota` of the `2 x repeats` trials between their
/// representatives (`repeats` in each direction) succeed. The defaults (the mapping's own AD,
/// one trial each way, one success merges, every pair) are the seed's text; the authors' code
/// consolidates only nearby pairs, with several repeats and a success quota.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ConsolidationParams {
    /// AD parameters of consolidation trials (`None`: the mapping's).
    pub ad: Option<AdParams>,
    /// Trials in each direction and successes needed to merge (default 1 and 1).
    pub quota: Quota,
    /// Only pairs in which one representative is among the other's this many lowest
    /// interpolation barriers (0 = every pair, the default).
    pub candidates: usize,
}

impl ConsolidationParams {
    /// Sets the AD parameters of consolidation trials.
    #[must_use]
    pub fn with_ad(mut self, ad: AdParams) -> Self {
        self.ad = Some(ad);
        self
    }

    /// Sets the trials per direction and the successes needed.
    #[must_use]
    pub fn with_quota(mut self, repeats: usize, quota: usize) -> Self {
        self.quota = Quota::new(repeats, quota);
        self
    }

    /// Sets the candidate count.
    #[must_use]
    pub fn with_candidates(mut self, candidates: usize) -> Self {
        self.candidates = candidates;
        self
    }

    /// Checks `repeats >= 1`, `1 <= quota <= 2 repeats` and the AD parameters.
    ///
    /// # Errors
    /// `InvalidParameter` naming the field.
    pub fn validate(&self) -> Result<()> {
        if let Some(ad) = &self.ad {
            ad.validate()?;
        }
        self.quota.validate()
    }
}

impl Default for AdelmParams {
    fn default() -> Self {
        Self {
            ad: AdParams::default(),
            iterations: 1000,
            burn_in: 100,
            consolidate_every: 500,
            consolidate_at_end: true,
            candidates: 0,
            consolidation: ConsolidationParams::default(),
            membership: Quota::default(),
            max_skipped: default_max_skipped(),
        }
    }
}

impl AdelmParams {
    /// Sets the AD parameters.
    #[must_use]
    pub fn with_ad(mut self, ad: AdParams) -> Self {
        self.ad = ad;
        self
    }

    /// Sets `N`.
    #[must_use]
    pub fn with_iterations(mut self, n: usize) -> Self {
        self.iterations = n;
        self
    }

    /// Sets the burn-in length.
    #[must_use]
    pub fn with_burn_in(mut self, n: usize) -> Self {
        self.burn_in = n;
        self
    }

    /// Sets the consolidation period of the testing stage.
    #[must_use]
    pub fn with_consolidate_every(mut self, n: usize) -> Self {
        self.consolidate_every = n;
        self
    }

    /// Sets the number of candidate groups a new minimum is tested against (0 = all).
    #[must_use]
    pub fn with_candidates(mut self, candidates: usize) -> Self {
        self.candidates = candidates;
        self
    }

    /// Sets the most proposals that may be skipped for non-finite energies.
    #[must_use]
    pub fn with_max_skipped(mut self, n: usize) -> Self {
        self.max_skipped = n;
        self
    }

    /// Sets the membership quota.
    #[must_use]
    pub fn with_membership(mut self, membership: Quota) -> Self {
        self.membership = membership;
        self
    }

    /// Sets the consolidation parameters.
    #[must_use]
    pub fn with_consolidation(mut self, consolidation: ConsolidationParams) -> Self {
        self.consolidation = consolidation;
        self
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// `InvalidParameter` for invalid AD or consolidation parameters, `iterations = 0`, or a
    /// burn-in longer than the run.
    pub fn validate(&self) -> Result<()> {
        self.ad.validate()?;
        self.consolidation.validate()?;
        self.membership.validate()?;
        check::at_least("iterations", self.iterations, 1)?;
        if self.burn_in > self.iterations {
            return Err(elm_core::Error::invalid("burn_in", self.burn_in, "exceeds the iterations").into());
        }
        Ok(())
    }
}

/// A local minimum found by ADELM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinimumRecord<S> {
    /// The minimum.
    pub state: S,
    /// Its energy.
    pub energy: f64,
    /// The group (basin) it was assigned to (index into [`AdelmRecord::groups`]; kept current
    /// through consolidations).
    pub group: usize,
    /// The iteration that found it.
    pub iteration: usize,
    /// The barrier of the successful AD path that assigned it (`None` when it started a group).
    pub barrier: Option<f64>,
    /// How many groups it reached by AD (successful trials in either direction).
    #[serde(default)]
    pub reached: usize,
}

/// A group of minima (a metastable basin) and its representative, the lowest minimum found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRecord<S> {
    /// The representative `Z_j` (lowest-energy member so far).
    pub representative: S,
    /// Its energy.
    pub energy: f64,
    /// Number of minima assigned (the DG circle sizes of seed 000 Sec. 4.3).
    pub members: usize,
    /// The iteration that created the group.
    pub created_at: usize,
    /// Set when a consolidation merged this group into another.
    pub merged_into: Option<usize>,
}

/// A consolidation event: group `merged` joined group `kept` after iteration `iteration`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Consolidation {
    /// Iterations completed when it happened.
    pub iteration: usize,
    /// The surviving group (lower representative).
    pub kept: usize,
    /// The absorbed group.
    pub merged: usize,
    /// Barrier of the successful AD path between their representatives.
    pub barrier: f64,
}

/// Everything an ADELM mapping produced (ARCHITECTURE.md §3), serializable, and enough to
/// resume: the parameters, the master seed from which every task's RNG is derived, and the
/// iterations completed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdelmRecord<S> {
    /// The parameters of the mapping.
    pub params: AdelmParams,
    /// AD temperature (the sampler's).
    pub temperature: f64,
    /// Master seed of all task RNGs.
    pub master_seed: u64,
    /// Iterations completed.
    pub iterations_done: usize,
    /// Every minimum found, in order.
    pub minima: Vec<MinimumRecord<S>>,
    /// Every group ever created (absorbed ones have `merged_into`).
    pub groups: Vec<GroupRecord<S>>,
    /// Consolidation history.
    pub consolidations: Vec<Consolidation>,
    /// AD trials run so far.
    pub trials: u64,
    /// Proposals skipped because minimizing them met a non-finite energy or gradient (each
    /// used up its iteration; see [`AdelmParams::max_skipped`]).
    #[serde(default)]
    pub skipped: Vec<SkippedProposal>,
    /// AD trials that met a non-finite energy and counted as failures.
    #[serde(default)]
    pub failed_trials: u64,
}

/// A proposal ADELM skipped: where, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedProposal {
    /// The iteration it used up.
    pub iteration: usize,
    /// The error met, as text.
    pub reason: String,
}

/// True for an error caused by the energy at one point (a NaN or infinite energy or gradient),
/// which a mapping skips, as opposed to invalid parameters or states, which end it.
pub(crate) fn is_bad_point(e: &Error) -> bool {
    matches!(
        e,
        Error::Core(elm_core::Error::NonFinite(_)) | Error::Mcmc(elm_mcmc::Error::Core(elm_core::Error::NonFinite(_)))
    )
}

impl<S> AdelmRecord<S> {
    /// Indices of the groups alive (not consolidated away), lowest representative first.
    pub fn basins(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.groups.len()).filter(|&g| self.groups[g].merged_into.is_none()).collect();
        v.sort_by(|&a, &b| self.groups[a].energy.total_cmp(&self.groups[b].energy).then(a.cmp(&b)));
        v
    }

    /// The representatives of the alive groups, lowest first.
    pub fn representatives(&self) -> Vec<&S> {
        self.basins().into_iter().map(|g| &self.groups[g].representative).collect()
    }

    /// What the last completed iteration did (`None` before the first): read by observers.
    pub fn last_iteration(&self) -> Option<IterationReport> {
        let n = self.iterations_done.checked_sub(1)?;
        let basins = self.basins().len();
        if self.skipped.last().is_some_and(|s| s.iteration == n) {
            return Some(IterationReport {
                iterations_done: n + 1,
                energy: f64::NAN,
                group: 0,
                new_group: false,
                reached: 0,
                basins,
                skipped: true,
            });
        }
        let m = self.minima.last().filter(|m| m.iteration == n)?;
        Some(IterationReport {
            iterations_done: n + 1,
            energy: m.energy,
            group: m.group,
            new_group: m.barrier.is_none(),
            reached: m.reached,
            basins,
            skipped: false,
        })
    }
}

/// Observers read a mapping's progress from its record: iterations done of `N`, and a log line.
impl<S> Progress for AdelmRecord<S> {
    fn done(&self) -> usize {
        self.iterations_done
    }

    fn total(&self) -> Option<usize> {
        Some(self.params.iterations)
    }

    fn summary(&self) -> String {
        let mut line = format!(
            "ADELM iteration {}/{}: {} basins, {} AD trials",
            self.iterations_done,
            self.params.iterations,
            self.basins().len(),
            self.trials
        );
        if !self.skipped.is_empty() {
            line += &format!(", {} proposals skipped", self.skipped.len());
        }
        if let Some(it) = self.last_iteration().filter(|it| !it.skipped) {
            line += &format!("; last minimum E = {:.6} in group {}", it.energy, it.group);
        }
        line
    }
}

/// `observe::checkpoint_every(n, path)` saves the record ([`Record::save`]).
impl<S: Serialize + for<'de> Deserialize<'de>> Checkpoint for AdelmRecord<S> {
    fn checkpoint(&self, path: &std::path::Path) -> std::result::Result<(), elm_core::CheckpointError> {
        Record::save(self, path)
    }
}

/// The record saves and loads as an atomic, checksummed checkpoint file, checked on the way in
/// by [`AdelmRecord::check`].
impl<S: Serialize + for<'de> Deserialize<'de>> Record for AdelmRecord<S> {
    fn check(&self) -> std::result::Result<(), String> {
        AdelmRecord::check(self)
    }
}

impl<S: Serialize + for<'de> Deserialize<'de>> AdelmRecord<S> {
    /// Writes the record to `path` ([`Record::save`]: atomic, checksummed JSON), without
    /// importing the trait.
    ///
    /// # Errors
    /// [`Error::Checkpoint`] naming the file.
    pub fn save(&self, path: &std::path::Path) -> Result<()> {
        Ok(Record::save(self, path)?)
    }

    /// Reads and checks a record written by [`AdelmRecord::save`] ([`Record::load`]).
    ///
    /// # Errors
    /// [`Error::Checkpoint`] naming the file: I/O, a damaged file, an inconsistent record.
    pub fn load(path: &std::path::Path) -> Result<Self> {
        Ok(<Self as Record>::load(path)?)
    }

    /// Checks that the record is consistent: iterations within the run, every group index in
    /// range, merges pointing at older-or-other existing groups without cycles, finite energies.
    ///
    /// # Errors
    /// What is inconsistent, as text.
    pub fn check(&self) -> std::result::Result<(), String> {
        let g = self.groups.len();
        let bad = |what: &str| Err(format!("inconsistent record: {what}"));
        if self.iterations_done > self.params.iterations
            || self.minima.len() + self.skipped.len() > self.iterations_done
        {
            return bad("more iterations or minima than the run has");
        }
        if self.minima.iter().any(|m| m.group >= g || !m.energy.is_finite()) {
            return bad("a minimum's group out of range or a non-finite energy");
        }
        if self.groups.iter().any(|grp| !grp.energy.is_finite() || grp.merged_into.is_some_and(|k| k >= g)) {
            return bad("a group merged into a group that does not exist, or a non-finite energy");
        }
        // Merge chains must end (no cycles).
        for start in 0..g {
            let (mut k, mut steps) = (start, 0);
            while let Some(next) = self.groups[k].merged_into {
                k = next;
                steps += 1;
                if steps > g {
                    return bad("groups merged into each other in a cycle");
                }
            }
        }
        if self.consolidations.iter().any(|c| c.kept >= g || c.merged >= g) {
            return bad("a consolidation names a group that does not exist");
        }
        Ok(())
    }
}

/// What one ADELM iteration did ([`AdelmRecord::last_iteration`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IterationReport {
    /// Iterations completed (this one included).
    pub iterations_done: usize,
    /// Energy of the minimum found.
    pub energy: f64,
    /// Its group.
    pub group: usize,
    /// True if it started a new group.
    pub new_group: bool,
    /// Representatives it reached by AD (successful groups).
    pub reached: usize,
    /// Groups alive after the iteration (and any consolidation).
    pub basins: usize,
    /// True when the proposal was skipped (a non-finite energy or gradient while minimizing
    /// it); `energy` is then NaN and `group` meaningless.
    pub skipped: bool,
}

/// Whether the mapping should go on after a progress report (the workspace's one run-control
/// type; `Stop` ends the run after this iteration, and the record can be resumed).
pub use elm_core::Control;

/// A source of proposal states for step 1 of ADELM: random initialization, a user closure, a
/// generator network... Implemented for closures `FnMut(&mut AdRng) -> S`.
pub trait Proposal<S> {
    /// A new starting state for a minimum search.
    fn propose(&mut self, rng: &mut AdRng) -> S;

    /// Checks the proposal's own parameters before a mapping starts (default: nothing to
    /// check).
    ///
    /// # Errors
    /// An invalid parameter.
    fn validate(&self) -> Result<()> {
        Ok(())
    }
}

impl<S, F: FnMut(&mut AdRng) -> S> Proposal<S> for F {
    fn propose(&mut self, rng: &mut AdRng) -> S {
        self(rng)
    }
}

/// Uniform random initialization in a box `[lo, hi]` (continuous states).
#[derive(Debug, Clone, PartialEq)]
pub struct UniformBox {
    lo: Vec<f64>,
    hi: Vec<f64>,
}

impl UniformBox {
    /// The box `[lo_i, hi_i]`.
    ///
    /// # Errors
    /// `DimensionMismatch`, `EmptyInput`, or `InvalidParameter` unless `lo_i < hi_i`, finite.
    pub fn new(lo: Vec<f64>, hi: Vec<f64>) -> Result<Self> {
        if lo.is_empty() {
            return Err(elm_core::Error::EmptyInput("proposal box").into());
        }
        check::dim("proposal box", lo.len(), hi.len())?;
        for (a, b) in lo.iter().zip(&hi) {
            if !(a.is_finite() && b.is_finite() && a < b) {
                return Err(elm_core::Error::invalid("box", format!("[{a}, {b}]"), "needs finite lo < hi").into());
            }
        }
        Ok(Self { lo, hi })
    }
}

impl Proposal<Vec<f64>> for UniformBox {
    fn propose(&mut self, rng: &mut AdRng) -> Vec<f64> {
        self.lo.iter().zip(&self.hi).map(|(a, b)| rng.random_range(*a..*b)).collect()
    }
}

/// Uniform random initialization of `sites` discrete sites over `levels` levels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UniformLevels {
    /// Number of sites.
    pub sites: usize,
    /// Number of levels.
    pub levels: usize,
}

impl Proposal<Vec<u8>> for UniformLevels {
    fn propose(&mut self, rng: &mut AdRng) -> Vec<u8> {
        (0..self.sites).map(|_| rng.random_range(0..self.levels) as u8).collect()
    }

    /// `levels` in `2..=256` (levels are `u8`), at least one site.
    fn validate(&self) -> Result<()> {
        check::at_least("sites", self.sites, 1)?;
        if !(2..=256).contains(&self.levels) {
            return Err(elm_core::Error::invalid("levels", self.levels, "must be between 2 and 256").into());
        }
        Ok(())
    }
}

/// RNG roles of the tasks of one iteration.
const ROLE_PROPOSAL: u64 = 0;
const ROLE_TRIAL: u64 = 1;
const ROLE_CONSOLIDATION: u64 = 2;

/// The Attraction-Diffusion Energy Landscape Mapping algorithm (seed 000 Alg. 1; seed 001
/// Alg. 3).
///
/// Each iteration `n`:
/// 1. draws a proposal `X_n` (random initialization, a closure, a generator);
/// 2. minimizes it to a local minimum `Y_n`;
/// 3. runs AD from `Y_n` to every group representative `Z_j` and from `Z_j` to `Y_n` (all
///    `2L` trials in parallel with rayon); `Y_n` joins the group with the lowest barrier among
///    the successful ones (and becomes its representative if lower), or starts a new group.
///
/// After the burn-in stage, every `consolidate_every` iterations of the testing stage and at the
/// end, the representatives are *consolidated*: AD in both directions between all pairs, and
/// groups whose representatives reach each other merge, keeping the lower one (seed 000
/// Sec. 4.2).
///
/// Every trial's RNG is derived from the master seed and the task's `(iteration, role, index)`
/// ([`task_rng`](crate::task_rng)), so a map does not depend on the number of threads, and a
/// run stopped at any iteration and resumed from its [`AdelmRecord`] equals an uninterrupted one.
///
/// # Example
/// ```
/// use elm_ad::{AdParams, Adelm, AdelmParams, DiscreteSpace, Control, UniformLevels};
/// use elm_core::reference::SherringtonKirkpatrick;
/// use elm_mcmc::Gibbs;
/// use rand::SeedableRng;
/// let mut rng = elm_ad::AdRng::seed_from_u64(3);
/// let sk = SherringtonKirkpatrick::sample(24, &mut rng).unwrap();
/// let space = DiscreteSpace::new(sk, Gibbs::default().with_temperature(0.1));
/// let params = AdelmParams::default().with_iterations(30).with_burn_in(10)
///     .with_ad(AdParams::default().with_alpha(1.35).with_patience(30));
/// let adelm = Adelm::new(params).unwrap();
/// let mut proposals = UniformLevels { sites: 24, levels: 2 };
/// let record = adelm.map(&space, &mut proposals, 42, |_| Control::Continue).unwrap();
/// assert_eq!(record.minima.len(), 30);
/// assert!(!record.basins().is_empty());
/// ```
///
/// # References
/// Seed 000 Sec. 4.2, Alg. 1; seed 001 Sec. 5.1, Alg. 3.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adelm {
    params: AdelmParams,
}

impl Adelm {
    /// An ADELM mapper.
    ///
    /// # Errors
    /// Invalid parameters.
    pub fn new(params: AdelmParams) -> Result<Self> {
        params.validate()?;
        Ok(Self { params })
    }

    /// The parameters.
    pub fn params(&self) -> &AdelmParams {
        &self.params
    }

    /// An empty record for a new mapping of `space` with master seed `seed`.
    ///
    /// # Errors
    /// Invalid space parameters.
    pub fn start<Sp: AdSpace>(&self, space: &Sp, seed: u64) -> Result<AdelmRecord<Sp::State>> {
        space.validate()?;
        Ok(AdelmRecord {
            params: self.params,
            temperature: space.temperature(),
            master_seed: seed,
            iterations_done: 0,
            minima: vec![],
            groups: vec![],
            consolidations: vec![],
            trials: 0,
            skipped: vec![],
            failed_trials: 0,
        })
    }

    /// A full mapping: [`Adelm::start`] then [`Adelm::resume`].
    ///
    /// # Errors
    /// As [`Adelm::resume`].
    pub fn map<Sp, P, O>(&self, space: &Sp, proposal: &mut P, seed: u64, observer: O) -> Result<AdelmRecord<Sp::State>>
    where
        Sp: AdSpace,
        P: Proposal<Sp::State>,
        O: FnMut(&AdelmRecord<Sp::State>) -> Control,
    {
        let mut record = self.start(space, seed)?;
        self.resume(space, proposal, &mut record, observer)?;
        Ok(record)
    }

    /// Runs the iterations `record.iterations_done..N`, calling the `observer` with the record
    /// after each one ([`AdelmRecord::last_iteration`] says what the iteration did). The
    /// observer is any closure `FnMut(&AdelmRecord<_>) -> Control` or a stock one of
    /// [`elm_core::observe`] — `observe::checkpoint_every(100, path)` checkpoints,
    /// `observe::log_every(50)` logs; returning [`Control::Stop`] ends the run with a resumable
    /// record.
    ///
    /// # Errors
    /// [`Error::Resume`] if the record was made with other parameters or temperature; invalid
    /// space parameters; a proposal that does not belong to the space; sampler or minimizer
    /// errors.
    pub fn resume<Sp, P, O>(
        &self,
        space: &Sp,
        proposal: &mut P,
        record: &mut AdelmRecord<Sp::State>,
        mut observer: O,
    ) -> Result<()>
    where
        Sp: AdSpace,
        P: Proposal<Sp::State>,
        O: FnMut(&AdelmRecord<Sp::State>) -> Control,
    {
        space.validate()?;
        if record.params != self.params {
            return Err(Error::Resume("the record was made with different ADELM parameters"));
        }
        if record.temperature != space.temperature() {
            return Err(Error::Resume("the record was made at a different AD temperature"));
        }
        if record.check().is_err() {
            return Err(Error::Resume("the record is inconsistent (see AdelmRecord::check)"));
        }
        proposal.validate()?;
        space.check_ad(&self.params.ad)?;
        if let Some(c) = &self.params.consolidation.ad {
            space.check_ad(c)?;
        }
        let ad = AttractionDiffusion::new(self.params.ad)?;
        while record.iterations_done < self.params.iterations {
            let n = record.iterations_done;
            self.iterate(space, proposal, record, &ad, n)?;
            record.iterations_done += 1;
            let done = record.iterations_done;
            let testing = done > self.params.burn_in;
            let periodic = testing
                && self.params.consolidate_every > 0
                && (done - self.params.burn_in).is_multiple_of(self.params.consolidate_every);
            let end = self.params.consolidate_at_end && done == self.params.iterations;
            if done == self.params.burn_in || periodic || end {
                self.consolidate(space, record, &ad)?;
            }
            if observer(record) == Control::Stop {
                break;
            }
        }
        Ok(())
    }

    /// One iteration (steps 1-3).
    fn iterate<Sp: AdSpace, P: Proposal<Sp::State>>(
        &self,
        space: &Sp,
        proposal: &mut P,
        record: &mut AdelmRecord<Sp::State>,
        ad: &AttractionDiffusion,
        n: usize,
    ) -> Result<()> {
        let mut rng = task_rng(record.master_seed, n as u64, ROLE_PROPOSAL, 0);
        let mut y = proposal.propose(&mut rng);
        let minimized = space.check_state(&y).and_then(|()| space.minimize(&mut y)).and_then(|e| {
            if e.is_finite() { Ok(e) } else { Err(elm_core::Error::NonFinite("energy at the minimum found").into()) }
        });
        let energy = match minimized {
            Ok(e) => e,
            Err(e) if is_bad_point(&e) => {
                record.skipped.push(SkippedProposal { iteration: n, reason: e.to_string() });
                if record.skipped.len() > self.params.max_skipped {
                    return Err(Error::TooManyBadPoints { skipped: record.skipped.len(), last: e.to_string() });
                }
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        let mut alive = record.basins();
        if self.params.candidates > 0 && alive.len() > self.params.candidates {
            // Only the groups with the lowest interpolation barriers from Y (ties: lower index).
            let keys: Vec<f64> =
                alive.par_iter().map(|&g| space.interpolation_barrier(&y, &record.groups[g].representative)).collect();
            let mut order: Vec<usize> = (0..alive.len()).collect();
            order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]).then(alive[a].cmp(&alive[b])));
            let mut chosen: Vec<usize> = order[..self.params.candidates].iter().map(|&k| alive[k]).collect();
            chosen.sort_unstable();
            alive = chosen;
        }
        // 2L trials: (group, direction), direction 0 = Y -> Z_j, 1 = Z_j -> Y.
        // `repeats` trials per direction and group (task key: (2 g + direction) * repeats + r,
        // which is the old 2 g + direction for one repeat).
        let repeats = self.params.membership.repeats as u64;
        let tasks: Vec<(usize, u64, u64)> =
            alive.iter().flat_map(|&g| (0..2 * repeats).map(move |k| (g, k / repeats, k % repeats))).collect();
        let master = record.master_seed;
        let outcomes: Vec<Result<Option<(usize, bool, f64)>>> = tasks
            .par_iter()
            .map(|&(g, dir, r)| {
                let mut rng = task_rng(master, n as u64, ROLE_TRIAL, (2 * g as u64 + dir) * repeats + r);
                let z = &record.groups[g].representative;
                let out = if dir == 0 { space.trial(ad, &y, z, &mut rng) } else { space.trial(ad, z, &y, &mut rng) };
                match out {
                    Ok(out) => Ok(Some((g, out.success, out.barrier))),
                    Err(e) if is_bad_point(&e) => Ok(None),
                    Err(e) => Err(e),
                }
            })
            .collect();
        record.trials += tasks.len() as u64;
        let outcomes: Vec<(usize, bool, f64)> = {
            let mut kept = Vec::with_capacity(outcomes.len());
            for o in outcomes {
                match o? {
                    Some(o) => kept.push(o),
                    None => record.failed_trials += 1,
                }
            }
            kept
        };
        // B_j = lowest successful barrier over the trials of group j, when at least `quota` of
        // them succeeded.
        let mut per_group: std::collections::BTreeMap<usize, (usize, f64)> = std::collections::BTreeMap::new();
        for (g, success, barrier) in outcomes {
            if success {
                let e = per_group.entry(g).or_insert((0, f64::INFINITY));
                e.0 += 1;
                e.1 = e.1.min(barrier);
            }
        }
        let mut best: Option<(f64, usize)> = None;
        let mut reached = std::collections::BTreeSet::new();
        for (&g, &(successes, barrier)) in &per_group {
            reached.insert(g);
            if successes >= self.params.membership.quota
                && best.is_none_or(|(b, bg)| barrier < b || (barrier == b && g < bg))
            {
                best = Some((barrier, g));
            }
        }
        let (group, barrier) = match best {
            Some((b, g)) => {
                let grp = &mut record.groups[g];
                grp.members += 1;
                if energy < grp.energy {
                    grp.representative = y.clone();
                    grp.energy = energy;
                }
                (g, Some(b))
            }
            None => {
                record.groups.push(GroupRecord {
                    representative: y.clone(),
                    energy,
                    members: 1,
                    created_at: n,
                    merged_into: None,
                });
                (record.groups.len() - 1, None)
            }
        };
        record.minima.push(MinimumRecord { state: y, energy, group, iteration: n, barrier, reached: reached.len() });
        Ok(())
    }

    /// AD between all pairs of representatives; merges groups that reach each other (the lower
    /// representative is kept). Trials run in parallel; merges are applied in a fixed order.
    fn consolidate<Sp: AdSpace>(
        &self,
        space: &Sp,
        record: &mut AdelmRecord<Sp::State>,
        ad: &AttractionDiffusion,
    ) -> Result<()> {
        let c = self.params.consolidation;
        let own;
        let ad = match c.ad {
            Some(p) => {
                own = AttractionDiffusion::new(p)?;
                &own
            }
            None => ad,
        };
        let alive = record.basins();
        let mut pairs: Vec<(usize, usize)> =
            alive.iter().enumerate().flat_map(|(k, &a)| alive[k + 1..].iter().map(move |&b| (a, b))).collect();
        if c.candidates > 0 && alive.len() > c.candidates + 1 {
            // Keep a pair when either representative is among the other's `candidates` lowest
            // interpolation barriers.
            let near: Vec<Vec<usize>> = alive
                .par_iter()
                .map(|&a| {
                    let za = &record.groups[a].representative;
                    let mut others: Vec<(f64, usize)> = alive
                        .iter()
                        .filter(|&&b| b != a)
                        .map(|&b| (space.interpolation_barrier(za, &record.groups[b].representative), b))
                        .collect();
                    others.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
                    others.iter().take(c.candidates).map(|o| o.1).collect()
                })
                .collect();
            let index = |g: usize| alive.iter().position(|&x| x == g).expect("alive group");
            pairs.retain(|&(a, b)| near[index(a)].contains(&b) || near[index(b)].contains(&a));
        }
        let master = record.master_seed;
        let n = record.iterations_done as u64;
        let repeats = c.quota.repeats as u64;
        // (group a, group b, barrier when the quota succeeded, trials that met a bad point)
        type PairOutcome = (usize, usize, Option<f64>, u64);
        let results: Vec<Result<PairOutcome>> = pairs
            .par_iter()
            .map(|&(a, b)| {
                let (za, zb) = (&record.groups[a].representative, &record.groups[b].representative);
                let mut best: Option<f64> = None;
                let (mut successes, mut bad) = (0, 0u64);
                for dir in 0..2u64 {
                    for r in 0..repeats {
                        let key = ((a * record.groups.len() + b) as u64 * 2 + dir) * repeats + r;
                        let mut rng = task_rng(master, n, ROLE_CONSOLIDATION, key);
                        let out = if dir == 0 {
                            space.trial(ad, za, zb, &mut rng)
                        } else {
                            space.trial(ad, zb, za, &mut rng)
                        };
                        let out = match out {
                            Ok(out) => out,
                            Err(e) if is_bad_point(&e) => {
                                bad += 1;
                                continue;
                            }
                            Err(e) => return Err(e),
                        };
                        if out.success {
                            successes += 1;
                            best = Some(best.map_or(out.barrier, |b: f64| b.min(out.barrier)));
                        }
                    }
                }
                Ok((a, b, if successes >= c.quota.quota { best } else { None }, bad))
            })
            .collect();
        record.trials += 2 * repeats * pairs.len() as u64;
        for r in results {
            let (a, b, barrier, bad) = r?;
            record.failed_trials += bad;
            let Some(barrier) = barrier else { continue };
            let (ra, rb) = (root(record, a), root(record, b));
            if ra == rb {
                continue;
            }
            // Keep the lower representative (ties: the older group).
            let (kept, merged) =
                if (record.groups[rb].energy, rb) < (record.groups[ra].energy, ra) { (rb, ra) } else { (ra, rb) };
            record.groups[merged].merged_into = Some(kept);
            record.groups[kept].members += record.groups[merged].members;
            record.consolidations.push(Consolidation { iteration: record.iterations_done, kept, merged, barrier });
        }
        // Relabel minima to their surviving groups.
        for k in 0..record.minima.len() {
            let g = record.minima[k].group;
            record.minima[k].group = root(record, g);
        }
        Ok(())
    }
}

/// The surviving group a (possibly merged) group belongs to.
fn root<S>(record: &AdelmRecord<S>, mut g: usize) -> usize {
    while let Some(next) = record.groups[g].merged_into {
        g = next;
    }
    g
}
