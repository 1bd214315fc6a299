//! Langevin samplers: the unadjusted update of the seeds and its Metropolis-adjusted version.

use crate::error::Result;
use crate::sampler::{ContinuousSampler, metropolis_accept, sampler_params};
use crate::state::ContinuousState;
use elm_core::Gradient;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// The unadjusted Langevin algorithm (ULA) of the seeds, with temperature and the noise
/// indicator `τ` of seed 001 Alg. 1:
///
/// $$ x' = x - \frac{\varepsilon^2}{2} \frac{\nabla E(x)}{T} + \tau\\, \varepsilon Z, \qquad Z \sim \mathcal N(0, I). $$
///
/// With `τ = 1` the chain samples `exp(-E/T)` up to an `O(ε²)` discretization bias (for a
/// Gaussian of variance `σ²` at `T = 1` the stationary variance is `σ² / (1 - ε²/(4σ²))`);
/// with `τ = 0` it is gradient descent with rate `ε²/2`, the noiseless regime of seed 001
/// Sec. 3.2 (short-run "contraction-only" learning). Every step is accepted, except one that
/// lands where the energy or its gradient is not finite: the chain then stays put.
///
/// # Example
/// ```
/// use elm_core::reference::Gaussian;
/// use elm_mcmc::{ContinuousSampler, ContinuousState, Langevin};
/// use rand::SeedableRng;
/// let g = Gaussian::isotropic(2, 1.0).unwrap();
/// let ula = Langevin::default().with_step_size(0.1).with_noise(0.0);
/// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
/// let mut s = ContinuousState::new(&g, vec![1.0, -1.0]).unwrap();
/// for _ in 0..2000 { ula.step(&g, &mut s, &mut rng); }
/// assert!(s.energy() < 1e-8); // tau = 0: plain gradient descent to the mode
/// ```
///
/// # References
/// Seed 001 Eq. 1.2 and Alg. 1 (step 2); G. O. Roberts, R. L. Tweedie, *Exponential convergence
/// of Langevin distributions and their discrete approximations*, Bernoulli 2 (1996).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Langevin {
    /// Step size `ε` (default 0.01).
    pub step_size: f64,
    /// Temperature `T` (default 1).
    pub temperature: f64,
    /// Noise indicator `τ` (default 1; `0` gives gradient descent).
    pub noise: f64,
}

impl Default for Langevin {
    fn default() -> Self {
        Self { step_size: 0.01, temperature: 1.0, noise: 1.0 }
    }
}

sampler_params!(Langevin, "`ε > 0`, `T > 0`, `τ >= 0`" {
    /// Sets `ε`.
    step_size: f64 => with_step_size, positive;
    /// Sets `T`.
    temperature: f64 => with_temperature, positive;
    /// Sets `τ`.
    noise: f64 => with_noise, non_negative;
});

impl<E: Gradient + ?Sized> ContinuousSampler<E> for Langevin {
    fn validate(&self) -> Result<()> {
        Langevin::validate(self)
    }

    fn step<R: Rng + ?Sized>(&self, energy: &E, state: &mut ContinuousState, rng: &mut R) -> bool {
        state.ensure_gradient(energy);
        let drift = 0.5 * self.step_size * self.step_size / self.temperature;
        let sd = self.noise * self.step_size;
        for ((p, x), g) in state.proposal.iter_mut().zip(&state.x).zip(&state.grad) {
            let z: f64 = if sd > 0.0 { StandardNormal.sample(rng) } else { 0.0 };
            *p = x - drift * g + sd * z;
        }
        let e_new = energy.energy_gradient(&state.proposal, &mut state.proposal_grad);
        if !e_new.is_finite() || !state.proposal_grad.iter().all(|g| g.is_finite()) {
            // A step into a region where the energy is undefined stays put (as MALA, HMC and
            // random-walk Metropolis reject it) instead of carrying NaN forward.
            return false;
        }
        state.accept_proposal(e_new, true);
        true
    }

    fn temperature(&self) -> f64 {
        self.temperature
    }

    fn at_temperature(&self, t: f64) -> Self {
        Self { temperature: t, ..*self }
    }
}

/// The Metropolis-adjusted Langevin algorithm: the Langevin proposal
/// `x' = x - (ε²/2) ∇U(x) + ε Z` with `U = E/T`, accepted with probability
///
/// $$ \min\Big\\{1, \frac{e^{-U(x')}\\, q(x \mid x')}{e^{-U(x)}\\, q(x' \mid x)}\Big\\}, \qquad
///    q(x' \mid x) \propto \exp\Big(-\frac{\lVert x' - x + \tfrac{\varepsilon^2}{2} \nabla U(x)\rVert^2}{2\varepsilon^2}\Big), $$
///
/// which makes it exact (seed 001 Sec. 1.3 gives the equivalent momentum form). Tune `ε` to an
/// acceptance near 60% (seed 001 Sec. 1.3).
///
/// # Example
/// ```
/// use elm_core::reference::Gaussian;
/// use elm_mcmc::{ContinuousSampler, ContinuousState, Mala};
/// use rand::SeedableRng;
/// let g = Gaussian::isotropic(2, 1.0).unwrap();
/// let mala = Mala::default().with_step_size(1.0);
/// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(4);
/// let mut s = ContinuousState::new(&g, vec![0.0, 0.0]).unwrap();
/// let acc = (0..1000).filter(|_| mala.step(&g, &mut s, &mut rng)).count();
/// assert!(acc > 600);
/// ```
///
/// # References
/// G. O. Roberts, R. L. Tweedie (1996); seed 001 Sec. 1.3.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mala {
    /// Step size `ε` (default 0.01).
    pub step_size: f64,
    /// Temperature `T` (default 1).
    pub temperature: f64,
}

impl Default for Mala {
    fn default() -> Self {
        Self { step_size: 0.01, temperature: 1.0 }
    }
}

sampler_params!(Mala, "`ε > 0`, `T > 0`" {
    /// Sets `ε`.
    step_size: f64 => with_step_size, positive;
    /// Sets `T`.
    temperature: f64 => with_temperature, positive;
});

impl<E: Gradient + ?Sized> ContinuousSampler<E> for Mala {
    fn validate(&self) -> Result<()> {
        Mala::validate(self)
    }

    fn step<R: Rng + ?Sized>(&self, energy: &E, state: &mut ContinuousState, rng: &mut R) -> bool {
        state.ensure_gradient(energy);
        let t = self.temperature;
        let h = 0.5 * self.step_size * self.step_size;
        for ((p, x), g) in state.proposal.iter_mut().zip(&state.x).zip(&state.grad) {
            let z: f64 = StandardNormal.sample(rng);
            *p = x - h * g / t + self.step_size * z;
        }
        let e_new = energy.energy_gradient(&state.proposal, &mut state.proposal_grad);
        if !e_new.is_finite() {
            return false;
        }
        // log q(x | x') - log q(x' | x), with U = E/T.
        let inv = 1.0 / (4.0 * h);
        let mut forward = 0.0;
        let mut backward = 0.0;
        for i in 0..state.x.len() {
            let f = state.proposal[i] - state.x[i] + h * state.grad[i] / t;
            let b = state.x[i] - state.proposal[i] + h * state.proposal_grad[i] / t;
            forward += f * f;
            backward += b * b;
        }
        let log_ratio = -(e_new - state.energy) / t - inv * (backward - forward);
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
