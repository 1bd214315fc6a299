//! The state spaces ADELM maps: what a minimum is, how to find one, how to run AD between two.

use crate::error::Result;
use crate::trial::{AdOutcome, AdParams, AttractionDiffusion, check_continuous_delta};
use elm_core::{DiscreteDescent, DiscreteEnergy, DiscreteState, Gradient, LocalMinimizer, Magnetized, check, distance};
use elm_mcmc::{ContinuousSampler, ContinuousState, DiscreteSampler};
use rand::Rng;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A landscape ADELM can map: an energy, a local minimizer (step 2 of seed 000 Alg. 1) and a
/// local sampler for AD trials (step 3), over one kind of state.
///
/// Implemented by [`ContinuousSpace`] (states `Vec<f64>`) and [`DiscreteSpace`] (states
/// `Vec<u8>`); implement it yourself for other state types.
pub trait AdSpace: Sync {
    /// A state of the space (serializable, for records and checkpoints).
    type State: Clone + Send + Sync + PartialEq + std::fmt::Debug + Serialize + DeserializeOwned;

    /// Checks the sampler's and minimizer's parameters.
    ///
    /// # Errors
    /// Any invalid parameter.
    fn validate(&self) -> Result<()>;

    /// Checks AD parameters against the space before a run (default: [`AdParams::validate`]).
    /// A continuous space also needs `δ > 0`: an exact arrival never happens there.
    ///
    /// # Errors
    /// Invalid parameters.
    fn check_ad(&self, params: &AdParams) -> Result<()> {
        params.validate()
    }

    /// Checks that a state belongs to the space (dimension, levels, finiteness).
    ///
    /// # Errors
    /// Dimension mismatch, invalid level or non-finite value.
    fn check_state(&self, state: &Self::State) -> Result<()>;

    /// `E(state)`.
    fn energy(&self, state: &Self::State) -> f64;

    /// Moves `state` to a local minimum in place and returns its energy.
    ///
    /// # Errors
    /// Minimizer errors.
    fn minimize(&self, state: &mut Self::State) -> Result<f64>;

    /// One AD trial from `start` to `target`.
    ///
    /// # Errors
    /// Sampler or dimension errors.
    fn trial<R: Rng + ?Sized>(
        &self,
        ad: &AttractionDiffusion,
        start: &Self::State,
        target: &Self::State,
        rng: &mut R,
    ) -> Result<AdOutcome<Self::State>>;

    /// Energies after each of `sweeps` sweeps of the unmagnetized sampler from `start`
    /// (temperature tuning, seed 001 Fig. 5.2).
    ///
    /// # Errors
    /// Sampler or state errors.
    fn chain_energies<R: Rng + ?Sized>(&self, start: &Self::State, sweeps: usize, rng: &mut R) -> Result<Vec<f64>>;

    /// The distance AD measures (`||a - b||_2`, on level values for discrete states).
    fn distance(&self, a: &Self::State, b: &Self::State) -> f64;

    /// A cheap 1-D interpolation barrier from `a` to `b`, used to pick which groups a new
    /// minimum is tested against ([`crate::AdelmParams::candidates`]): greedy interpolation for
    /// discrete states, the highest of 16 points on the straight segment for continuous ones.
    /// The default is the distance (nearest groups first).
    fn interpolation_barrier(&self, a: &Self::State, b: &Self::State) -> f64 {
        self.distance(a, b)
    }

    /// The AD temperature (the sampler's).
    fn temperature(&self) -> f64;

    /// The same space with the sampler at temperature `t` (phase diagrams and temperature
    /// tuning: the only place a space is copied, hence the only use of `Clone`).
    fn at_temperature(&self, t: f64) -> Self
    where
        Self: Sized + Clone;
}

/// A continuous landscape: an energy with gradient, a [`LocalMinimizer`] and a continuous
/// sampler.
///
/// # Example
/// ```
/// use elm_ad::{AdSpace, ContinuousSpace};
/// use elm_core::{Lbfgs, reference::MullerBrown};
/// use elm_mcmc::RandomWalkMetropolis;
/// let space = ContinuousSpace::new(MullerBrown::new(), RandomWalkMetropolis::default(), Lbfgs::default());
/// let mut x = vec![0.5, 0.1];
/// assert!((space.minimize(&mut x).unwrap() + 108.1667).abs() < 1e-3);
/// ```
#[derive(Debug, Clone)]
pub struct ContinuousSpace<E, S, M> {
    /// The energy.
    pub energy: E,
    /// The AD sampler (its temperature is the AD temperature).
    pub sampler: S,
    /// The local minimizer.
    pub minimizer: M,
}

impl<E, S, M> ContinuousSpace<E, S, M> {
    /// A continuous space.
    pub fn new(energy: E, sampler: S, minimizer: M) -> Self {
        Self { energy, sampler, minimizer }
    }
}

impl<E, S, M> AdSpace for ContinuousSpace<E, S, M>
where
    E: Gradient,
    S: for<'a> ContinuousSampler<Magnetized<&'a E>>,
    M: LocalMinimizer,
{
    type State = Vec<f64>;

    fn validate(&self) -> Result<()> {
        Ok(self.sampler.validate()?)
    }

    fn check_ad(&self, params: &AdParams) -> Result<()> {
        params.validate()?;
        check_continuous_delta(params.delta)
    }

    fn check_state(&self, state: &Vec<f64>) -> Result<()> {
        check::dim("state", self.energy.dim(), state.len())?;
        check::all_finite("state", state)?;
        Ok(())
    }

    fn energy(&self, state: &Vec<f64>) -> f64 {
        self.energy.energy(state)
    }

    fn minimize(&self, state: &mut Vec<f64>) -> Result<f64> {
        Ok(self.minimizer.minimize(&self.energy, state)?.energy)
    }

    fn trial<R: Rng + ?Sized>(
        &self,
        ad: &AttractionDiffusion,
        start: &Vec<f64>,
        target: &Vec<f64>,
        rng: &mut R,
    ) -> Result<AdOutcome<Vec<f64>>> {
        ad.run_continuous(&self.energy, &self.sampler, start, target, rng)
    }

    fn chain_energies<R: Rng + ?Sized>(&self, start: &Vec<f64>, sweeps: usize, rng: &mut R) -> Result<Vec<f64>> {
        // The sampler runs on the energy itself (a zero magnet keeps one sampler type).
        let plain = Magnetized::continuous(&self.energy, start, 1.0, 0.0)?;
        let mut state = ContinuousState::new(&plain, start.clone())?;
        let per_sweep = self.sampler.steps_per_sweep(start.len()).max(1);
        Ok((0..sweeps)
            .map(|_| {
                for _ in 0..per_sweep {
                    self.sampler.step(&plain, &mut state, rng);
                }
                state.energy()
            })
            .collect())
    }

    fn distance(&self, a: &Vec<f64>, b: &Vec<f64>) -> f64 {
        distance::l2(a, b)
    }

    fn interpolation_barrier(&self, a: &Vec<f64>, b: &Vec<f64>) -> f64 {
        let mut x = a.clone();
        (0..=16)
            .map(|k| {
                let t = f64::from(k) / 16.0;
                x.iter_mut().zip(a.iter().zip(b)).for_each(|(xi, (p, q))| *xi = p + t * (q - p));
                let e = self.energy.energy(&x);
                if e.is_finite() { e } else { f64::INFINITY }
            })
            .fold(f64::NEG_INFINITY, f64::max)
    }

    fn temperature(&self) -> f64 {
        self.sampler.temperature()
    }

    fn at_temperature(&self, t: f64) -> Self
    where
        Self: Clone,
    {
        let mut space = self.clone();
        space.sampler = self.sampler.at_temperature(t);
        space
    }
}

/// A discrete landscape: an energy over `{0..levels}^n`, greedy single-site descent and a
/// discrete sampler (Gibbs in seed 000 Sec. 5.1).
///
/// # Example
/// ```
/// use elm_ad::{AdSpace, DiscreteSpace};
/// use elm_core::reference::Ising;
/// use elm_mcmc::Gibbs;
/// let space = DiscreteSpace::new(Ising::new(4, 1.0, 0.0).unwrap(), Gibbs::default().with_temperature(0.5));
/// let mut s = vec![1u8; 16];
/// s[3] = 0;
/// assert_eq!(space.minimize(&mut s).unwrap(), -32.0);
/// ```
#[derive(Debug, Clone)]
pub struct DiscreteSpace<E, S> {
    /// The energy.
    pub energy: E,
    /// The AD sampler (its temperature is the AD temperature).
    pub sampler: S,
    /// The local minimizer (default: steepest single-site descent).
    pub descent: DiscreteDescent,
}

impl<E, S> DiscreteSpace<E, S> {
    /// A discrete space with steepest single-site descent.
    pub fn new(energy: E, sampler: S) -> Self {
        Self { energy, sampler, descent: DiscreteDescent::default() }
    }
}

impl<E, S> AdSpace for DiscreteSpace<E, S>
where
    E: DiscreteEnergy,
    S: for<'a> DiscreteSampler<Magnetized<&'a E>>,
{
    type State = Vec<u8>;

    fn validate(&self) -> Result<()> {
        self.sampler.validate()?;
        self.descent.validate()?;
        Ok(())
    }

    fn check_state(&self, state: &Vec<u8>) -> Result<()> {
        DiscreteState::new(&self.energy, state.clone())?;
        Ok(())
    }

    fn energy(&self, state: &Vec<u8>) -> f64 {
        self.energy.energy(state)
    }

    fn minimize(&self, state: &mut Vec<u8>) -> Result<f64> {
        let mut s = DiscreteState::new(&self.energy, std::mem::take(state))?;
        self.descent.minimize(&self.energy, &mut s)?;
        s.resync(&self.energy);
        let e = s.energy();
        *state = s.into_vec();
        Ok(e)
    }

    fn trial<R: Rng + ?Sized>(
        &self,
        ad: &AttractionDiffusion,
        start: &Vec<u8>,
        target: &Vec<u8>,
        rng: &mut R,
    ) -> Result<AdOutcome<Vec<u8>>> {
        ad.run_discrete(&self.energy, &self.sampler, start, target, rng)
    }

    fn chain_energies<R: Rng + ?Sized>(&self, start: &Vec<u8>, sweeps: usize, rng: &mut R) -> Result<Vec<f64>> {
        let plain = Magnetized::discrete(&self.energy, start, 1.0, 0.0)?;
        let mut state = DiscreteState::new(&plain, start.clone())?;
        Ok((0..sweeps)
            .map(|_| {
                self.sampler.sweep(&plain, &mut state, rng);
                state.energy()
            })
            .collect())
    }

    fn distance(&self, a: &Vec<u8>, b: &Vec<u8>) -> f64 {
        distance::discrete_l2(&self.energy, a, b)
    }

    fn interpolation_barrier(&self, a: &Vec<u8>, b: &Vec<u8>) -> f64 {
        elm_core::greedy::greedy_path_barrier(&self.energy, a, b).unwrap_or(f64::INFINITY)
    }

    fn temperature(&self) -> f64 {
        self.sampler.temperature()
    }

    fn at_temperature(&self, t: f64) -> Self
    where
        Self: Clone,
    {
        let mut space = self.clone();
        space.sampler = self.sampler.at_temperature(t);
        space
    }
}
