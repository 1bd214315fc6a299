//! Whole-chain runners with an observer hook.

use crate::error::Result;
use crate::sampler::{ContinuousSampler, Control, DiscreteSampler};
use crate::state::ContinuousState;
use elm_core::{DiscreteEnergy, DiscreteState, Energy, check};
use rand::Rng;

/// Runs a sampler for a number of steps (continuous) or sweeps (discrete), recording the
/// energy trace and optionally the states, after a burn-in and with thinning.
///
/// # Example
/// ```
/// use elm_core::reference::Gaussian;
/// use elm_mcmc::{Chain, ContinuousState, Mala, observe};
/// use rand::SeedableRng;
/// let g = Gaussian::isotropic(2, 1.0).unwrap();
/// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(8);
/// let mut state = ContinuousState::new(&g, vec![0.0, 0.0]).unwrap();
/// let chain = Chain::new(5_000).with_burn_in(500);
/// let report = chain.run_continuous(&Mala::default().with_step_size(1.0), &g, &mut state, &mut rng, observe::nothing()).unwrap();
/// assert_eq!(report.energies.len(), 4_500);
/// // E = |x|^2 / 2 with x ~ N(0, I_2) has mean 1.
/// let mean = report.energies.iter().sum::<f64>() / 4_500.0;
/// assert!((mean - 1.0).abs() < 0.15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Chain {
    /// Total steps (continuous) or sweeps (discrete), burn-in included.
    pub steps: usize,
    /// Leading steps not recorded (default 0).
    pub burn_in: usize,
    /// Record every `thin`-th step after burn-in (default 1).
    pub thin: usize,
    /// Also record the states (default false: energies only).
    pub record_states: bool,
}

/// What a chain's observer sees after every step (continuous) or sweep (discrete): the step
/// count and the state itself — the hook through which a caller watches a chain (a distance to a
/// target, a basin, an energy) and stops it. Stock observers of [`elm_core::observe`] work on it
/// too (`observe::log_every(10_000)`, `observe::time_limit(..)`).
#[derive(Debug, Clone, PartialEq)]
pub struct ChainProgress<St> {
    /// Steps (or sweeps) done.
    pub step: usize,
    /// Steps the chain runs in all.
    pub steps: usize,
    /// Accepted moves so far.
    pub accepted: usize,
    /// Proposed moves so far.
    pub proposals: usize,
    /// The chain's current state.
    pub state: St,
}

impl<St> elm_core::Progress for ChainProgress<St> {
    fn done(&self) -> usize {
        self.step
    }

    fn total(&self) -> Option<usize> {
        Some(self.steps)
    }

    fn summary(&self) -> String {
        let rate = if self.proposals == 0 { 0.0 } else { self.accepted as f64 / self.proposals as f64 };
        format!("chain step {}/{}: acceptance {rate:.3}", self.step, self.steps)
    }
}

/// What a chain run produced.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ChainReport<P> {
    /// Steps (or sweeps) actually run.
    pub steps: usize,
    /// Accepted proposals (continuous) or changed sites (discrete).
    pub accepted: usize,
    /// Proposals made: steps for continuous samplers, `sweeps x sites` for discrete ones.
    pub proposals: usize,
    /// Recorded energies `E(x)` (untempered).
    pub energies: Vec<f64>,
    /// Recorded states, if asked for.
    pub states: Vec<P>,
    /// True when the observer stopped the chain before `steps`.
    pub stopped_by_observer: bool,
}

impl<P> ChainReport<P> {
    /// `accepted / proposals` (0 for an empty run).
    pub fn acceptance_rate(&self) -> f64 {
        if self.proposals == 0 { 0.0 } else { self.accepted as f64 / self.proposals as f64 }
    }
}

impl Chain {
    /// A chain of `steps` steps with no burn-in and no thinning.
    pub fn new(steps: usize) -> Self {
        Self { steps, burn_in: 0, thin: 1, record_states: false }
    }

    /// Sets the burn-in.
    #[must_use]
    pub fn with_burn_in(mut self, burn_in: usize) -> Self {
        self.burn_in = burn_in;
        self
    }

    /// Sets the thinning interval.
    #[must_use]
    pub fn with_thin(mut self, thin: usize) -> Self {
        self.thin = thin;
        self
    }

    /// Records states as well as energies.
    #[must_use]
    pub fn with_states(mut self, record: bool) -> Self {
        self.record_states = record;
        self
    }

    /// Checks `steps >= 1`, `thin >= 1`.
    ///
    /// # Errors
    /// `InvalidParameter` naming the offending field.
    pub fn validate(&self) -> Result<()> {
        check::at_least("steps", self.steps, 1)?;
        check::at_least("thin", self.thin, 1)?;
        Ok(())
    }

    fn records(&self, step: usize) -> bool {
        step > self.burn_in && (step - self.burn_in).is_multiple_of(self.thin)
    }

    fn capacity(&self) -> usize {
        self.steps.saturating_sub(self.burn_in) / self.thin
    }

    /// Runs a continuous sampler from `state` (left at the final position). The observer sees
    /// the [`ChainProgress`] (step count and state) after every step.
    ///
    /// # Errors
    /// Invalid chain or sampler parameters; a state whose dimension is not the energy's.
    pub fn run_continuous<E, S, R, O>(
        &self,
        sampler: &S,
        energy: &E,
        state: &mut ContinuousState,
        rng: &mut R,
        mut observer: O,
    ) -> Result<ChainReport<Vec<f64>>>
    where
        E: Energy + ?Sized,
        S: ContinuousSampler<E>,
        R: Rng + ?Sized,
        O: FnMut(&ChainProgress<ContinuousState>) -> Control,
    {
        self.validate()?;
        sampler.validate()?;
        check::dim("chain state", energy.dim(), state.dim())?;
        Ok(self.drive(
            state,
            |state| (usize::from(sampler.step(energy, state, rng)), 1),
            |state| (state.energy(), state.x().to_vec()),
            &mut observer,
        ))
    }

    /// Runs a discrete sampler for `steps` sweeps from `state` (left at the final state). The
    /// observer sees the [`ChainProgress`] (sweep count and state) after every sweep.
    ///
    /// # Errors
    /// Invalid chain or sampler parameters; a state that does not belong to the energy.
    pub fn run_discrete<E, S, R, O>(
        &self,
        sampler: &S,
        energy: &E,
        state: &mut DiscreteState,
        rng: &mut R,
        mut observer: O,
    ) -> Result<ChainReport<Vec<u8>>>
    where
        E: DiscreteEnergy + ?Sized,
        S: DiscreteSampler<E>,
        R: Rng + ?Sized,
        O: FnMut(&ChainProgress<DiscreteState>) -> Control,
    {
        self.validate()?;
        sampler.validate()?;
        check::dim("chain state", energy.sites(), state.len())?;
        check::dim("chain state cache", energy.aux_len(), state.aux().len())?;
        Ok(self.drive(
            state,
            |state| (sampler.sweep(energy, state, rng), state.len()),
            |state| (state.energy(), state.as_slice().to_vec()),
            &mut observer,
        ))
    }

    /// The loop both runners share: `advance` moves the state by one step (or sweep) and returns
    /// `(accepted, proposed)`; `snapshot` gives the energy and the state to record.
    fn drive<St, P, O>(
        &self,
        state: &mut St,
        mut advance: impl FnMut(&mut St) -> (usize, usize),
        snapshot: impl Fn(&St) -> (f64, P),
        observer: &mut O,
    ) -> ChainReport<P>
    where
        St: Default,
        O: FnMut(&ChainProgress<St>) -> Control,
    {
        // The state moves into the progress the observer sees (no per-step copy) and back at
        // the end.
        let mut progress =
            ChainProgress { step: 0, steps: self.steps, accepted: 0, proposals: 0, state: std::mem::take(state) };
        let mut report = ChainReport {
            steps: 0,
            accepted: 0,
            proposals: 0,
            energies: Vec::with_capacity(self.capacity()),
            states: Vec::new(),
            stopped_by_observer: false,
        };
        for step in 1..=self.steps {
            let (accepted, proposed) = advance(&mut progress.state);
            report.accepted += accepted;
            report.proposals += proposed;
            report.steps = step;
            if self.records(step) {
                let (energy, snapshot_state) = snapshot(&progress.state);
                report.energies.push(energy);
                if self.record_states {
                    report.states.push(snapshot_state);
                }
            }
            (progress.step, progress.accepted, progress.proposals) = (step, report.accepted, report.proposals);
            if observer(&progress) == Control::Stop {
                report.stopped_by_observer = true;
                break;
            }
        }
        *state = progress.state;
        report
    }
}
