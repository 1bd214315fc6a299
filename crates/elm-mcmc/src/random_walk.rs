//! Random-walk and component-wise Metropolis-Hastings.

use crate::error::Result;
use crate::sampler::{ContinuousSampler, metropolis_accept, sampler_params};
use crate::state::ContinuousState;
use elm_core::Energy;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// Random-walk Metropolis-Hastings with a Gaussian proposal:
///
/// $$ x' = x + \varepsilon Z,\quad Z \sim \mathcal N(0, I), \qquad
///    \alpha = \min\\{1, \exp(-(E(x') - E(x))/T)\\}. $$
///
/// Local (the displacement is `O(ε sqrt d)`), needs only energies. One of the samplers the seeds
/// name for AD chains (seed 000 Sec. 3.1).
///
/// # Example
/// ```
/// use elm_core::reference::MullerBrown;
/// use elm_mcmc::{ContinuousSampler, ContinuousState, RandomWalkMetropolis};
/// use rand::SeedableRng;
/// let mb = MullerBrown::new();
/// let rw = RandomWalkMetropolis::default().with_step_size(0.02).with_temperature(10.0);
/// rw.validate().unwrap();
/// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
/// let mut state = ContinuousState::new(&mb, vec![-0.558, 1.442]).unwrap();
/// for _ in 0..1000 { rw.step(&mb, &mut state, &mut rng); }
/// assert!(state.energy() < -100.0); // still in the deep basin at this temperature
/// ```
///
/// # References
/// Metropolis et al. (1953); Hastings (1970); seed 000 Sec. 3.1.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RandomWalkMetropolis {
    /// Proposal standard deviation `ε` (default 0.1).
    pub step_size: f64,
    /// Temperature `T` (default 1).
    pub temperature: f64,
}

impl Default for RandomWalkMetropolis {
    fn default() -> Self {
        Self { step_size: 0.1, temperature: 1.0 }
    }
}

sampler_params!(RandomWalkMetropolis, "`ε > 0`, `T > 0`" {
    /// Sets `ε`.
    step_size: f64 => with_step_size, positive;
    /// Sets `T`.
    temperature: f64 => with_temperature, positive;
});

impl<E: Energy + ?Sized> ContinuousSampler<E> for RandomWalkMetropolis {
    fn validate(&self) -> Result<()> {
        RandomWalkMetropolis::validate(self)
    }

    fn step<R: Rng + ?Sized>(&self, energy: &E, state: &mut ContinuousState, rng: &mut R) -> bool {
        for (p, x) in state.proposal.iter_mut().zip(&state.x) {
            let z: f64 = StandardNormal.sample(rng);
            *p = x + self.step_size * z;
        }
        let e_new = energy.energy(&state.proposal);
        let accepted = metropolis_accept(-(e_new - state.energy) / self.temperature, rng);
        if accepted {
            state.accept_proposal(e_new, false);
        }
        accepted
    }

    fn temperature(&self) -> f64 {
        self.temperature
    }

    fn at_temperature(&self, t: f64) -> Self {
        Self { temperature: t, ..*self }
    }
}

/// Component-wise Metropolis-Hastings: each step proposes a Gaussian move of one coordinate
/// `j` (cycling `0, 1, .., d-1`), `x'_j = x_j + ε Z`, accepted with probability
/// `min{1, exp(-A + B)}`, `A = E(x')/T`, `B = E(x)/T`. A sweep is `d` steps.
///
/// The reference MATLAB ADELM code computed `exp(-(A + B))`, which does not leave the target
/// invariant; our tests check the exact Gaussian moments to catch exactly that.
///
/// # Example
/// ```
/// use elm_core::reference::Gaussian;
/// use elm_mcmc::{ComponentwiseMetropolis, ContinuousSampler, ContinuousState};
/// use rand::SeedableRng;
/// let g = Gaussian::isotropic(3, 1.0).unwrap();
/// let cw = ComponentwiseMetropolis::default().with_step_size(1.0);
/// assert_eq!(ContinuousSampler::<Gaussian>::steps_per_sweep(&cw, 3), 3);
/// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(2);
/// let mut s = ContinuousState::new(&g, vec![0.0; 3]).unwrap();
/// let accepted = (0..300).filter(|_| cw.step(&g, &mut s, &mut rng)).count();
/// assert!(accepted > 100 && accepted < 300);
/// ```
///
/// # References
/// Seed 000 Sec. 3.1 (component-wise MH as an AD sampler); Gelman et al., *Bayesian Data
/// Analysis*, Sec. 11.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ComponentwiseMetropolis {
    /// Proposal standard deviation `ε` of one coordinate (default 0.1).
    pub step_size: f64,
    /// Temperature `T` (default 1).
    pub temperature: f64,
}

impl Default for ComponentwiseMetropolis {
    fn default() -> Self {
        Self { step_size: 0.1, temperature: 1.0 }
    }
}

sampler_params!(ComponentwiseMetropolis, "`ε > 0`, `T > 0`" {
    /// Sets `ε`.
    step_size: f64 => with_step_size, positive;
    /// Sets `T`.
    temperature: f64 => with_temperature, positive;
});

impl<E: Energy + ?Sized> ContinuousSampler<E> for ComponentwiseMetropolis {
    fn validate(&self) -> Result<()> {
        ComponentwiseMetropolis::validate(self)
    }

    fn step<R: Rng + ?Sized>(&self, energy: &E, state: &mut ContinuousState, rng: &mut R) -> bool {
        let j = state.next_coordinate;
        state.next_coordinate = (j + 1) % state.x.len();
        let old = state.x[j];
        let z: f64 = StandardNormal.sample(rng);
        state.x[j] = old + self.step_size * z;
        let e_new = energy.energy(&state.x);
        // log alpha = -A + B with A = E(x')/T, B = E(x)/T.
        let (a, b) = (e_new / self.temperature, state.energy / self.temperature);
        if metropolis_accept(-a + b, rng) {
            state.energy = e_new;
            state.grad_valid = false;
            true
        } else {
            state.x[j] = old;
            false
        }
    }

    fn steps_per_sweep(&self, dim: usize) -> usize {
        dim
    }

    fn temperature(&self) -> f64 {
        self.temperature
    }

    fn at_temperature(&self, t: f64) -> Self {
        Self { temperature: t, ..*self }
    }
}
