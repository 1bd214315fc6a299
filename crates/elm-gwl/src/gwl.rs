//! The Generalized Wang-Landau sampler over basins x energy intervals.

use crate::basin::{BasinOracle, StateKey, pack};
use crate::error::{Error, Result};
use elm_core::checkpoint::Record;
use elm_core::task_rng;
use elm_core::{Checkpoint, Progress};
use elm_core::{DiscreteEnergy, DiscreteState, check};
use rand::RngExt;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Parameters of a GWL mapping (seed 000 Sec. 2.4; seed 001 Sec. 4.2.1.3, Eq. 4.3-4.4).
///
/// # The `γ` schedule
/// Every visit to bin `φ` adds the current `γ` to its log-weight `θ_φ` (so with a constant `γ`,
/// `θ_φ = γ N_φ` and the acceptance is exactly Eq. 4.4). Every `check_every` steps the visit
/// histogram of the current stage is tested for flatness over the bins visited so far in the
/// stage: if `min H >= flatness * mean H`, `γ` is halved and the histogram reset (Wang & Landau
/// 2001 with `ln f -> ln f / 2`; Liang 2005 for the generalized form). The run ends after
/// `iterations` steps.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GwlParams {
    /// Temperature of the target `P(S) ∝ exp(-E(S)/T)`; `+∞` (the default) makes the target
    /// uniform, so the chain is driven by the visit penalty alone (serialized as `null`).
    #[serde(with = "elm_core::checkpoint::infinite_as_null")]
    pub temperature: f64,
    /// Lower end of the energy spectrum `u_1`.
    pub energy_min: f64,
    /// Upper end of the energy spectrum `u_{K+1}`; moves above it are rejected.
    pub energy_max: f64,
    /// Number of energy intervals `K` (default 45).
    pub intervals: usize,
    /// Initial penalty `γ` (default 1).
    pub gamma: f64,
    /// Flatness threshold (default 0.8).
    pub flatness: f64,
    /// Steps between flatness checks (default 100 000).
    pub check_every: u64,
    /// Total steps (single-site proposals; default 10^7).
    pub iterations: u64,
    /// Steps per block: the RNG is reseeded per block and checkpoints fall on block ends
    /// (default 100 000).
    pub block: u64,
    /// How many of the lowest minima to keep (default 500, as seed 000 Sec. 5.1).
    pub keep_minima: usize,
    /// Refine chain transitions by ridge descent (Zhou 2011) (default true). Only transitions
    /// between basins among the `keep_minima` lowest (as known at the start of each block) are
    /// refined: those are the barriers the map reports, and refinement costs basin lookups.
    pub ridge_descent: bool,
    /// Largest number of states cached by the basin oracle (default 2 000 000).
    pub cache_capacity: usize,
}

/// The defaults of seed 000 Sec. 5.1 except the spectrum, which depends on the energy and has
/// no sensible default: it is NaN until [`GwlParams::with_spectrum`] sets it, and
/// [`GwlParams::validate`] says so.
impl Default for GwlParams {
    fn default() -> Self {
        Self {
            temperature: f64::INFINITY,
            energy_min: f64::NAN,
            energy_max: f64::NAN,
            intervals: 45,
            gamma: 1.0,
            flatness: 0.8,
            check_every: 100_000,
            iterations: 10_000_000,
            block: 100_000,
            keep_minima: 500,
            ridge_descent: true,
            cache_capacity: 2_000_000,
        }
    }
}

impl GwlParams {
    /// Parameters for the spectrum `[energy_min, energy_max)` and `iterations` steps, everything
    /// else default: `GwlParams::default().with_spectrum(min, max).with_iterations(n)`.
    pub fn new(energy_min: f64, energy_max: f64, iterations: u64) -> Self {
        Self::default().with_spectrum(energy_min, energy_max).with_iterations(iterations)
    }

    /// Sets the energy spectrum `[energy_min, energy_max)` the chain may visit.
    #[must_use]
    pub fn with_spectrum(mut self, energy_min: f64, energy_max: f64) -> Self {
        self.energy_min = energy_min;
        self.energy_max = energy_max;
        self
    }

    /// Sets the total number of steps (default 10^7).
    #[must_use]
    pub fn with_iterations(mut self, iterations: u64) -> Self {
        self.iterations = iterations;
        self
    }

    /// Sets the number of energy intervals.
    #[must_use]
    pub fn with_intervals(mut self, k: usize) -> Self {
        self.intervals = k;
        self
    }

    /// Sets the target temperature.
    #[must_use]
    pub fn with_temperature(mut self, t: f64) -> Self {
        self.temperature = t;
        self
    }

    /// Sets the initial `γ`.
    #[must_use]
    pub fn with_gamma(mut self, gamma: f64) -> Self {
        self.gamma = gamma;
        self
    }

    /// Sets the flatness-check period.
    #[must_use]
    pub fn with_check_every(mut self, steps: u64) -> Self {
        self.check_every = steps;
        self
    }

    /// Sets the block length.
    #[must_use]
    pub fn with_block(mut self, steps: u64) -> Self {
        self.block = steps;
        self
    }

    /// Sets how many lowest minima are kept.
    #[must_use]
    pub fn with_keep_minima(mut self, k: usize) -> Self {
        self.keep_minima = k;
        self
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// `InvalidParameter` for `T <= 0` (NaN), a non-finite or empty spectrum, `K = 0`,
    /// `γ <= 0`, flatness outside `(0, 1)`, zero periods or `keep_minima = 0`.
    pub fn validate(&self) -> Result<()> {
        if self.temperature.is_nan() || self.temperature <= 0.0 {
            return Err(
                elm_core::Error::invalid("temperature", self.temperature, "must be > 0 (may be infinite)").into()
            );
        }
        if self.energy_min.is_nan() || self.energy_max.is_nan() {
            return Err(elm_core::Error::invalid(
                "energy_min",
                self.energy_min,
                "the spectrum has no default: set it with GwlParams::with_spectrum(min, max)",
            )
            .into());
        }
        check::finite("energy_min", self.energy_min)?;
        check::finite("energy_max", self.energy_max)?;
        if self.energy_max <= self.energy_min {
            return Err(elm_core::Error::invalid("energy_max", self.energy_max, "must exceed energy_min").into());
        }
        check::at_least("intervals", self.intervals, 1)?;
        check::positive("gamma", self.gamma)?;
        check::in_open("flatness", self.flatness, 0.0, 1.0)?;
        check::at_least("check_every", self.check_every as usize, 1)?;
        check::at_least("block", self.block as usize, 1)?;
        check::at_least("keep_minima", self.keep_minima, 1)?;
        check::at_least("cache_capacity", self.cache_capacity, 1)?;
        Ok(())
    }

    fn interval(&self, e: f64) -> Option<u16> {
        // Written so that NaN (an undefined energy) is outside every interval.
        if !(e >= self.energy_min && e < self.energy_max) {
            return None;
        }
        let k = ((e - self.energy_min) / (self.energy_max - self.energy_min) * self.intervals as f64) as usize;
        Some(k.min(self.intervals - 1) as u16)
    }
}

/// A basin discovered by the chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BasinRecord {
    /// Its minimum (serialized as hex digits, one per site).
    #[serde(with = "elm_core::checkpoint::levels_as_hex")]
    pub minimum: Vec<u8>,
    /// The minimum's energy.
    pub energy: f64,
    /// Steps the chain spent in the basin.
    pub visits: u64,
}

/// The state of a GWL mapping: serializable, checkpointed at block ends, resumable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GwlRecord {
    /// Parameters.
    pub params: GwlParams,
    /// Master seed (block `b` runs on `task_rng(seed, b, ..)`).
    pub master_seed: u64,
    /// Steps done (a multiple of the block length, or the total).
    pub iterations_done: u64,
    /// Chain state.
    #[serde(with = "elm_core::checkpoint::levels_as_hex")]
    pub state: Vec<u8>,
    /// Current `γ`.
    pub gamma: f64,
    /// `γ` halvings so far.
    pub stages: u32,
    /// Accepted proposals.
    pub accepted: u64,
    /// Proposals rejected for leaving the spectrum.
    pub out_of_spectrum: u64,
    /// Every basin met (ids are indices).
    pub basins: Vec<BasinRecord>,
    /// Log-weights `θ` per bin `(basin, interval)`.
    pub weights: Vec<((u32, u16), f64)>,
    /// Visit histogram of the current stage per bin.
    pub histogram: Vec<((u32, u16), u64)>,
    /// Lowest transition found between two basins (`a < b`): the higher energy of the two
    /// neighbouring states across the boundary, lowered by ridge descent.
    pub transitions: Vec<((u32, u32), f64)>,
    /// Basin lookups of this process's run so far (not saved, not compared: a resumed run
    /// starts with a cold cache).
    #[serde(skip)]
    pub lookups: LookupCounts,
}

/// Basin lookups answered by the reverse-move shortcut / the cache / a descent, counted since
/// the run (or its resumption) began: runtime statistics that every record compares equal on.
#[derive(Debug, Clone, Copy, Default)]
pub struct LookupCounts(pub [u64; 3]);

impl PartialEq for LookupCounts {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Observers read a mapping's progress from its record.
impl Progress for GwlRecord {
    fn done(&self) -> usize {
        usize::try_from(self.iterations_done).unwrap_or(usize::MAX)
    }

    fn total(&self) -> Option<usize> {
        usize::try_from(self.params.iterations).ok()
    }

    fn summary(&self) -> String {
        let p = self.progress();
        format!(
            "GWL step {}/{}: {} basins, gamma {:.2e}, acceptance {:.3}",
            p.iterations_done, self.params.iterations, p.basins, p.gamma, p.acceptance
        )
    }
}

/// `observe::checkpoint_every(n, path)` saves the record ([`Record::save`]).
impl Checkpoint for GwlRecord {
    fn checkpoint(&self, path: &std::path::Path) -> std::result::Result<(), elm_core::CheckpointError> {
        Record::save(self, path)
    }
}

/// The record saves as an atomic, checksummed *binary* checkpoint file
/// ([`elm_core::checkpoint::save_binary`]: a long run holds millions of basins, 4-5x smaller
/// than JSON) and loads from that or from JSON (records written before), checked on the way in
/// by [`GwlRecord::check`].
impl Record for GwlRecord {
    fn check(&self) -> std::result::Result<(), String> {
        GwlRecord::check(self)
    }

    fn save(&self, path: &std::path::Path) -> std::result::Result<(), elm_core::CheckpointError> {
        elm_core::checkpoint::save_binary(path, self)
    }
}

impl GwlRecord {
    /// The mapping's progress in numbers (what observers print).
    pub fn progress(&self) -> GwlProgress {
        GwlProgress {
            iterations_done: self.iterations_done,
            basins: self.basins.len(),
            gamma: self.gamma,
            acceptance: self.accepted as f64 / self.iterations_done.max(1) as f64,
            lookups: self.lookups.0,
        }
    }

    /// Ids of the `keep_minima` lowest basins, lowest first.
    pub fn lowest_minima(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = (0..self.basins.len() as u32).collect();
        ids.sort_by(|&a, &b| self.basins[a as usize].energy.total_cmp(&self.basins[b as usize].energy).then(a.cmp(&b)));
        ids.truncate(self.params.keep_minima);
        ids
    }

    /// Writes the record to `path` ([`Record::save`]: atomic, checksummed, compact binary),
    /// without importing the trait. `serde_json` still writes it as JSON where text is wanted.
    ///
    /// # Errors
    /// [`Error::Checkpoint`] naming the file.
    pub fn save(&self, path: &std::path::Path) -> Result<()> {
        Ok(Record::save(self, path)?)
    }

    /// Reads a record written by [`GwlRecord::save`], checking the file's checksum and the
    /// record's consistency ([`GwlRecord::check`]).
    ///
    /// # Errors
    /// [`Error::Checkpoint`] naming the file.
    pub fn load(path: &std::path::Path) -> Result<Self> {
        Ok(<Self as Record>::load(path)?)
    }

    /// Checks that the record is consistent: `γ` finite and positive, steps within the run,
    /// every basin id in range, finite energies and weights.
    ///
    /// # Errors
    /// What is inconsistent, as text.
    pub fn check(&self) -> std::result::Result<(), String> {
        let n = self.basins.len() as u64;
        let bad = |what: &str| Err(format!("inconsistent record: {what}"));
        if !(self.gamma.is_finite() && self.gamma > 0.0) {
            return bad("gamma is not a positive number");
        }
        if self.iterations_done > self.params.iterations {
            return bad("more steps done than the run has");
        }
        if self.basins.iter().any(|b| !b.energy.is_finite()) {
            return bad("a basin energy is not finite");
        }
        if self.weights.iter().any(|&((b, _), w)| u64::from(b) >= n || !w.is_finite())
            || self.histogram.iter().any(|&((b, _), _)| u64::from(b) >= n)
            || self.transitions.iter().any(|&((a, b), e)| u64::from(a) >= n || u64::from(b) >= n || e.is_nan())
        {
            return bad("a basin id out of range or a non-finite weight");
        }
        Ok(())
    }
}

/// Progress after a block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GwlProgress {
    /// Steps done.
    pub iterations_done: u64,
    /// Basins met.
    pub basins: usize,
    /// Current `γ`.
    pub gamma: f64,
    /// Acceptance rate so far.
    pub acceptance: f64,
    /// Basin lookups answered by the reverse-move shortcut / the cache / a descent.
    pub lookups: [u64; 3],
}

/// Whether to go on after a progress report (the workspace's one run-control type; `Stop` ends
/// the run at this block end, and the record can be resumed).
pub use elm_core::Control;

/// Generalized Wang-Landau mapping of a discrete energy (seed 000 Sec. 2.4; seed 001
/// Sec. 4.2.1.3; Zhou 2011): a single-site Metropolis chain whose acceptance
///
/// $$ \alpha(S \to S^{\ast}) = \min\Big\\{1, \frac{P(S^{\ast})}{P(S)} e^{\theta_{\varphi(S)} - \theta_{\varphi(S^{\ast})}}\Big\\} $$
///
/// penalizes bins `φ = (basin, energy interval)` by their accumulated log-weights `θ`
/// (Eq. 4.4 with `θ = γ N`), so the chain keeps moving to new basins and energy levels. Every
/// basin met is recorded with its minimum; transitions between basins along the chain give
/// barrier estimates, refined by ridge descent.
///
/// # Example
/// ```
/// use elm_gwl::{GeneralizedWangLandau, GwlParams, Control};
/// use elm_core::reference::SherringtonKirkpatrick;
/// use rand::SeedableRng;
/// let mut rng = elm_core::TaskRng::seed_from_u64(1);
/// let sk = SherringtonKirkpatrick::sample(20, &mut rng).unwrap();
/// let params = GwlParams::new(-0.8 * 20.0, -0.2 * 20.0, 20_000).with_block(5_000).with_check_every(5_000);
/// let gwl = GeneralizedWangLandau::new(params).unwrap();
/// let record = gwl.map(&sk, 7, |_| Control::Continue).unwrap();
/// assert!(record.basins.len() > 1);
/// ```
///
/// # References
/// Q. Zhou, *Random walk over basins of attraction to construct Ising energy landscapes*,
/// PRL 106, 180602 (2011); F. Liang, JASA 100 (2005); F. Wang, D. P. Landau, PRL 86 (2001);
/// seed 000 Sec. 2.4 and 5.1; seed 001 Sec. 4.2.1.3.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeneralizedWangLandau {
    params: GwlParams,
}

struct Runtime {
    /// Ridge descent refines only transitions between basins at or below this energy (the
    /// `keep_minima`-th lowest basin energy at the start of the block).
    ridge_threshold: f64,
    weights: FxHashMap<(u32, u16), f64>,
    histogram: FxHashMap<(u32, u16), u64>,
    transitions: FxHashMap<(u32, u32), f64>,
    index: FxHashMap<StateKey, u32>,
    /// Key of the current state, kept in step with it.
    key: StateKey,
    oracle: BasinOracle,
}

impl GeneralizedWangLandau {
    /// A GWL mapper.
    ///
    /// # Errors
    /// Invalid parameters.
    pub fn new(params: GwlParams) -> Result<Self> {
        params.validate()?;
        Ok(Self { params })
    }

    /// The parameters.
    pub fn params(&self) -> &GwlParams {
        &self.params
    }

    /// A new record: the chain starts at the minimum of a random state's basin... or, if that
    /// lies outside the spectrum, at the random state's descent path point inside it.
    ///
    /// # Errors
    /// [`Error::OutsideSpectrum`] if no start inside the spectrum can be found.
    pub fn start<E: DiscreteEnergy + ?Sized>(&self, energy: &E, seed: u64) -> Result<GwlRecord> {
        let mut rng = task_rng(seed, u64::MAX, 0, 0);
        if energy.sites() == 0 {
            return Err(elm_core::Error::EmptyInput("spin sites").into());
        }
        let mut state = DiscreteState::random(energy, &mut rng)?;
        // Descend until the energy enters the spectrum (random states are high).
        while state.energy() >= self.params.energy_max {
            match crate::basin::steepest_move(energy, &state) {
                Some((i, v, d)) => {
                    state.set_with_delta(energy, i, v, d);
                }
                None => break,
            }
        }
        state.resync(energy);
        if self.params.interval(state.energy()).is_none() {
            return Err(Error::OutsideSpectrum {
                energy: state.energy(),
                min: self.params.energy_min,
                max: self.params.energy_max,
            });
        }
        Ok(GwlRecord {
            params: self.params,
            master_seed: seed,
            iterations_done: 0,
            state: state.into_vec(),
            gamma: self.params.gamma,
            stages: 0,
            accepted: 0,
            out_of_spectrum: 0,
            basins: vec![],
            weights: vec![],
            histogram: vec![],
            transitions: vec![],
            lookups: LookupCounts::default(),
        })
    }

    /// [`GeneralizedWangLandau::start`] then [`GeneralizedWangLandau::resume`].
    ///
    /// # Errors
    /// As those.
    pub fn map<E, O>(&self, energy: &E, seed: u64, observer: O) -> Result<GwlRecord>
    where
        E: DiscreteEnergy + ?Sized,
        O: FnMut(&GwlRecord) -> Control,
    {
        let mut record = self.start(energy, seed)?;
        self.resume(energy, &mut record, observer)?;
        Ok(record)
    }

    /// Runs blocks until `iterations` steps are done or `progress` says stop (checked after
    /// every block; save the record there to checkpoint).
    ///
    /// # Errors
    /// [`Error::Resume`] for a record made with other parameters; state errors.
    pub fn resume<E, O>(&self, energy: &E, record: &mut GwlRecord, mut observer: O) -> Result<()>
    where
        E: DiscreteEnergy + ?Sized,
        O: FnMut(&GwlRecord) -> Control,
    {
        if record.params != self.params {
            return Err(Error::Resume("the record was made with different GWL parameters"));
        }
        if record.check().is_err() {
            return Err(Error::Resume("the record is inconsistent (see GwlRecord::check)"));
        }
        if energy.sites() == 0 {
            return Err(elm_core::Error::EmptyInput("spin sites").into());
        }
        let p = &self.params;
        let mut rt = Runtime {
            ridge_threshold: f64::INFINITY,
            weights: record.weights.iter().copied().collect(),
            histogram: record.histogram.iter().copied().collect(),
            transitions: record.transitions.iter().copied().collect(),
            index: record
                .basins
                .iter()
                .enumerate()
                .map(|(i, b)| (pack(&b.minimum, energy.levels()), i as u32))
                .collect(),
            oracle: BasinOracle::new(energy.levels(), p.cache_capacity),
            key: StateKey::Small([0; 2]),
        };
        let mut state = DiscreteState::new(energy, record.state.clone())?;
        rt.key = pack(state.as_slice(), energy.levels());
        let mut basin = self.lookup(energy, &state, None, None, record, &mut rt);
        while record.iterations_done < p.iterations {
            let block = record.iterations_done / p.block;
            let mut rng = task_rng(record.master_seed, block, 1, 0);
            rt.ridge_threshold = if record.basins.len() >= p.keep_minima {
                let mut e: Vec<f64> = record.basins.iter().map(|b| b.energy).collect();
                let k = p.keep_minima - 1;
                e.select_nth_unstable_by(k, f64::total_cmp);
                e[k]
            } else {
                f64::INFINITY
            };
            let end = ((block + 1) * p.block).min(p.iterations);
            for step in record.iterations_done..end {
                basin = self.step(energy, &mut state, basin, record, &mut rt, &mut rng);
                if (step + 1) % p.check_every == 0 {
                    self.check_flatness(record, &mut rt);
                }
            }
            record.iterations_done = end;
            state.resync(energy);
            record.state = state.as_slice().to_vec();
            self.store(record, &rt);
            record.lookups = LookupCounts(rt.oracle.stats);
            if observer(record) == Control::Stop {
                break;
            }
        }
        Ok(())
    }

    fn store(&self, record: &mut GwlRecord, rt: &Runtime) {
        let mut w: Vec<_> = rt.weights.iter().map(|(k, v)| (*k, *v)).collect();
        w.sort_by_key(|e| e.0);
        let mut h: Vec<_> = rt.histogram.iter().map(|(k, v)| (*k, *v)).collect();
        h.sort_by_key(|e| e.0);
        let mut t: Vec<_> = rt.transitions.iter().map(|(k, v)| (*k, *v)).collect();
        t.sort_by_key(|e| e.0);
        record.weights = w;
        record.histogram = h;
        record.transitions = t;
    }

    /// Basin id of `state` (whose key is `key`, or computed here), registering new minima.
    fn lookup<E: DiscreteEnergy + ?Sized>(
        &self,
        energy: &E,
        state: &DiscreteState,
        key: Option<&StateKey>,
        came_from: Option<(usize, u32)>,
        record: &mut GwlRecord,
        rt: &mut Runtime,
    ) -> u32 {
        let levels = energy.levels();
        let basins = &mut record.basins;
        let index = &mut rt.index;
        let mut register = |m: &DiscreteState| -> u32 {
            let key = pack(m.as_slice(), levels);
            *index.entry(key).or_insert_with(|| {
                basins.push(BasinRecord { minimum: m.as_slice().to_vec(), energy: m.energy(), visits: 0 });
                (basins.len() - 1) as u32
            })
        };
        let packed;
        let key = match key {
            Some(k) => k,
            None => {
                packed = pack(state.as_slice(), levels);
                &packed
            }
        };
        rt.oracle.basin(energy, state, key, came_from, &mut register)
    }

    /// One GWL step; returns the basin of the (new) current state.
    fn step<E: DiscreteEnergy + ?Sized, R: rand::Rng + ?Sized>(
        &self,
        energy: &E,
        state: &mut DiscreteState,
        basin: u32,
        record: &mut GwlRecord,
        rt: &mut Runtime,
        rng: &mut R,
    ) -> u32 {
        let p = &self.params;
        let n = state.len();
        let levels = energy.levels();
        let i = rng.random_range(0..n);
        let old = state.get(i);
        let v = if levels == 2 {
            1 - old
        } else {
            let r = rng.random_range(0..levels - 1) as u8;
            if r >= old { r + 1 } else { r }
        };
        let e_old = state.energy();
        let d = state.delta(energy, i, v);
        let e_new = e_old + d;
        let here = (basin, p.interval(e_old).unwrap_or(0));
        let mut accepted_basin = basin;
        match p.interval(e_new) {
            None => record.out_of_spectrum += 1,
            Some(k_new) => {
                state.set_with_delta(energy, i, v, d);
                let mut key = std::mem::replace(&mut rt.key, StateKey::Small([0; 2]));
                key.set(i, v, levels);
                let b_new = self.lookup(energy, state, Some(&key), Some((i, basin)), record, rt);
                let there = (b_new, k_new);
                let theta = |b: &(u32, u16)| rt.weights.get(b).copied().unwrap_or(0.0);
                let log_ratio = -d / p.temperature + theta(&here) - theta(&there);
                if elm_mcmc::metropolis_accept(log_ratio, rng) {
                    record.accepted += 1;
                    if b_new != basin {
                        self.record_transition(energy, state, i, old, basin, b_new, record, rt);
                    }
                    accepted_basin = b_new;
                } else {
                    state.set_with_delta(energy, i, old, -d);
                    key.set(i, old, levels);
                }
                rt.key = key;
            }
        }
        let bin = (accepted_basin, p.interval(state.energy()).unwrap_or(0));
        *rt.weights.entry(bin).or_insert(0.0) += record.gamma;
        *rt.histogram.entry(bin).or_insert(0) += 1;
        record.basins[accepted_basin as usize].visits += 1;
        accepted_basin
    }

    /// Records the transition between the current state (basin `b`, reached by setting site
    /// `i`) and its neighbour with site `i` at `old` (basin `a`), refined by ridge descent.
    #[allow(clippy::too_many_arguments)]
    fn record_transition<E: DiscreteEnergy + ?Sized>(
        &self,
        energy: &E,
        state: &DiscreteState,
        i: usize,
        old: u8,
        a: u32,
        b: u32,
        record: &mut GwlRecord,
        rt: &mut Runtime,
    ) {
        let key = (a.min(b), a.max(b));
        let e_b = state.energy();
        let e_a = e_b + state.delta(energy, i, old);
        let mut barrier = e_a.max(e_b);
        let known = rt.transitions.get(&key).copied().unwrap_or(f64::INFINITY);
        if barrier >= known {
            return;
        }
        let low = |id: u32, record: &GwlRecord| record.basins[id as usize].energy <= rt.ridge_threshold;
        if self.params.ridge_descent && low(a, record) && low(b, record) {
            barrier = barrier.min(self.ridge_descent(energy, state, i, old, a, b, record, rt));
        }
        rt.transitions.insert(key, barrier.min(known));
    }

    /// Ridge descent (Zhou 2011): move the pair of neighbouring states `(y with s_i = old, y)`
    /// across the boundary between basins `a` and `b` together, one common site change at a time,
    /// as long as both stay in their basins and the higher of the two energies decreases.
    #[allow(clippy::too_many_arguments)]
    fn ridge_descent<E: DiscreteEnergy + ?Sized>(
        &self,
        energy: &E,
        y_state: &DiscreteState,
        i: usize,
        old: u8,
        a: u32,
        b: u32,
        record: &mut GwlRecord,
        rt: &mut Runtime,
    ) -> f64 {
        let mut y = y_state.clone();
        let mut x = y.clone();
        x.set(energy, i, old);
        let mut barrier = x.energy().max(y.energy());
        for _ in 0..4 * y.len() {
            // Candidate common moves sorted by the resulting pair maximum.
            let mut cands: Vec<(f64, usize, u8)> = Vec::new();
            for k in 0..y.len() {
                if k == i {
                    continue;
                }
                for v in 0..energy.levels() as u8 {
                    if v == y.get(k) {
                        continue;
                    }
                    let (ex, ey) = (x.energy() + x.delta(energy, k, v), y.energy() + y.delta(energy, k, v));
                    // Both moved states must be defined (`f64::max` would hide a NaN).
                    let m = if ex.is_finite() && ey.is_finite() { ex.max(ey) } else { f64::INFINITY };
                    if m < barrier - 1e-12 {
                        cands.push((m, k, v));
                    }
                }
            }
            cands.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.cmp(&q.1)));
            let mut moved = false;
            for &(m, k, v) in cands.iter().take(8) {
                let (mut x2, mut y2) = (x.clone(), y.clone());
                x2.set(energy, k, v);
                y2.set(energy, k, v);
                if self.lookup(energy, &x2, None, None, record, rt) == a
                    && self.lookup(energy, &y2, None, None, record, rt) == b
                {
                    x = x2;
                    y = y2;
                    barrier = m;
                    moved = true;
                    break;
                }
            }
            if !moved {
                break;
            }
        }
        barrier
    }

    fn check_flatness(&self, record: &mut GwlRecord, rt: &mut Runtime) {
        if rt.histogram.is_empty() {
            return;
        }
        let counts: Vec<u64> = rt.histogram.values().copied().collect();
        let mean = counts.iter().sum::<u64>() as f64 / counts.len() as f64;
        let min = counts.iter().copied().min().unwrap_or(0) as f64;
        if min >= self.params.flatness * mean {
            record.gamma *= 0.5;
            record.stages += 1;
            rt.histogram.clear();
        }
    }
}
