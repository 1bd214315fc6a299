//! Hamiltonian Monte Carlo.

use crate::error::Result;
use crate::sampler::{ContinuousSampler, metropolis_accept, sampler_params};
use crate::state::ContinuousState;
use elm_core::Gradient;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// Hamiltonian Monte Carlo with unit mass, leapfrog integration and a fixed path length.
///
/// With `U = E/T` and momentum `p ~ N(0, I)`, `leapfrog_steps` steps of size `ε`
///
/// $$ p \leftarrow p - \tfrac{\varepsilon}{2}\nabla U(x),\quad x \leftarrow x + \varepsilon p,\quad
///    p \leftarrow p - \tfrac{\varepsilon}{2}\nabla U(x) $$
///
/// propose `(x', p')`, accepted with probability `min{1, exp(H(x, p) - H(x', p'))}`,
/// `H = U + ||p||²/2`. One step costs `leapfrog_steps` gradient evaluations.
///
/// # Example
/// ```
/// use elm_core::reference::Gaussian;
/// use elm_mcmc::{ContinuousSampler, ContinuousState, Hmc};
/// use rand::SeedableRng;
/// let g = Gaussian::isotropic(10, 1.0).unwrap();
/// let hmc = Hmc::default().with_step_size(0.2).with_leapfrog_steps(10);
/// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(5);
/// let mut s = ContinuousState::new(&g, vec![0.0; 10]).unwrap();
/// let acc = (0..200).filter(|_| hmc.step(&g, &mut s, &mut rng)).count();
/// assert!(acc > 150);
/// ```
///
/// # References
/// R. M. Neal, *MCMC using Hamiltonian dynamics*, Handbook of MCMC (2011); seed 000 Sec. 3.1.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Hmc {
    /// Leapfrog step size `ε` (default 0.1).
    pub step_size: f64,
    /// Leapfrog steps per proposal (default 10).
    pub leapfrog_steps: usize,
    /// Temperature `T` (default 1).
    pub temperature: f64,
}

impl Default for Hmc {
    fn default() -> Self {
        Self { step_size: 0.1, leapfrog_steps: 10, temperature: 1.0 }
    }
}

sampler_params!(Hmc, "`ε > 0`, `L >= 1`, `T > 0`" {
    /// Sets `ε`.
    step_size: f64 => with_step_size, positive;
    /// Sets the number of leapfrog steps `L`.
    leapfrog_steps: usize => with_leapfrog_steps, at_least(1);
    /// Sets `T`.
    temperature: f64 => with_temperature, positive;
});

impl<E: Gradient + ?Sized> ContinuousSampler<E> for Hmc {
    fn validate(&self) -> Result<()> {
        Hmc::validate(self)
    }

    fn step<R: Rng + ?Sized>(&self, energy: &E, state: &mut ContinuousState, rng: &mut R) -> bool {
        state.ensure_gradient(energy);
        let t = self.temperature;
        let eps = self.step_size;
        let mut kinetic0 = 0.0;
        for p in state.momentum.iter_mut() {
            *p = StandardNormal.sample(rng);
            kinetic0 += 0.5 * *p * *p;
        }
        state.proposal.copy_from_slice(&state.x);
        state.proposal_grad.copy_from_slice(&state.grad);
        let mut e_new = state.energy;
        for _ in 0..self.leapfrog_steps {
            for (p, g) in state.momentum.iter_mut().zip(&state.proposal_grad) {
                *p -= 0.5 * eps * g / t;
            }
            for (x, p) in state.proposal.iter_mut().zip(&state.momentum) {
                *x += eps * p;
            }
            e_new = energy.energy_gradient(&state.proposal, &mut state.proposal_grad);
            if !e_new.is_finite() {
                return false;
            }
            for (p, g) in state.momentum.iter_mut().zip(&state.proposal_grad) {
                *p -= 0.5 * eps * g / t;
            }
        }
        let kinetic1: f64 = state.momentum.iter().map(|p| 0.5 * p * p).sum();
        let log_ratio = (state.energy / t + kinetic0) - (e_new / t + kinetic1);
        let accepted = metropolis_accept(log_ratio, rng);
        if accepted {
            state.accept_proposal(e_new, true);
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
