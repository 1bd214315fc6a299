//! The first-order optimizers networks are trained with (seed 004 Sec. 4.2): gradient descent
//! with momentum and Adadelta, as fixed-step local minimizers.

use super::{LocalMinimizer, MinimizeReport, TerminationReason, rms, start};
use crate::energy::Gradient;
use crate::error::{Result, check};

/// Gradient descent with (heavy-ball) momentum:
///
/// $$ v \leftarrow \mu v - \eta \nabla E(x), \qquad x \leftarrow x + v . $$
///
/// Runs `max_iterations` steps unless the RMS gradient falls to `gradient_tolerance` first
/// (seed 004 trained every fit for a fixed 50 000 full-batch steps; the default here).
/// Defaults: `η = 0.01` (Keras' `SGD`), `μ = 0.9`. A step whose energy or gradient is not finite
/// stops the run at the last finite state, reported as [`TerminationReason::Diverged`].
///
/// # Example
/// ```
/// use elm_core::{LocalMinimizer, MomentumDescent, reference::Gaussian};
/// let mut x = vec![1.0, -2.0];
/// let r = MomentumDescent::default().with_learning_rate(0.1).with_max_iterations(500)
///     .minimize(&Gaussian::isotropic(2, 1.0).unwrap(), &mut x).unwrap();
/// assert!(x.iter().all(|v| v.abs() < 1e-6), "{x:?}");
/// # let _ = r;
/// ```
///
/// # References
/// B. T. Polyak (1964); seed 004 Sec. 4.2 ("gradient descent with momentum … for 50,000 steps").
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MomentumDescent {
    /// Learning rate `η` (default 0.01).
    pub learning_rate: f64,
    /// Momentum `μ` in `[0, 1)` (default 0.9).
    pub momentum: f64,
    /// Stop early when the RMS gradient is at most this (default 0: run every step).
    pub gradient_tolerance: f64,
    /// Number of steps (default 50 000).
    pub max_iterations: usize,
}

impl Default for MomentumDescent {
    fn default() -> Self {
        Self { learning_rate: 0.01, momentum: 0.9, gradient_tolerance: 0.0, max_iterations: 50_000 }
    }
}

impl MomentumDescent {
    /// Sets the learning rate.
    #[must_use]
    pub fn with_learning_rate(mut self, eta: f64) -> Self {
        self.learning_rate = eta;
        self
    }

    /// Sets the momentum.
    #[must_use]
    pub fn with_momentum(mut self, mu: f64) -> Self {
        self.momentum = mu;
        self
    }

    /// Sets the number of steps.
    #[must_use]
    pub fn with_max_iterations(mut self, n: usize) -> Self {
        self.max_iterations = n;
        self
    }

    /// Sets the early-stopping RMS gradient.
    #[must_use]
    pub fn with_gradient_tolerance(mut self, tol: f64) -> Self {
        self.gradient_tolerance = tol;
        self
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] for a non-positive learning rate, a momentum outside
    /// `[0, 1)`, a negative tolerance or a zero step count.
    pub fn validate(&self) -> Result<()> {
        check::positive("learning_rate", self.learning_rate)?;
        if !(0.0..1.0).contains(&self.momentum) {
            return Err(crate::Error::invalid("momentum", self.momentum, "must lie in [0, 1)"));
        }
        check::non_negative("gradient_tolerance", self.gradient_tolerance)?;
        check::at_least("max_iterations", self.max_iterations, 1)
    }
}

impl LocalMinimizer for MomentumDescent {
    fn minimize<E: Gradient + ?Sized>(&self, energy: &E, x: &mut [f64]) -> Result<MinimizeReport> {
        self.validate()?;
        let (eta, mu) = (self.learning_rate, self.momentum);
        run_steps(energy, x, self.max_iterations, self.gradient_tolerance, |x, g, v: &mut Vec<f64>| {
            for ((xi, vi), gi) in x.iter_mut().zip(v.iter_mut()).zip(g) {
                *vi = mu * *vi - eta * gi;
                *xi += *vi;
            }
        })
    }
}

/// Adadelta (Zeiler 2012): per-coordinate steps scaled by running RMS averages of past
/// gradients and past steps,
///
/// $$ a \leftarrow \rho a + (1-\rho) g^2, \quad
///    \Delta = -\frac{\sqrt{b + \epsilon}}{\sqrt{a + \epsilon}}\\, g, \quad
///    b \leftarrow \rho b + (1-\rho) \Delta^2, \quad x \leftarrow x + \eta \Delta . $$
///
/// Defaults as Keras 2 (the framework of seed 004's experiments): `η = 1`, `ρ = 0.95`,
/// `ε = 1e-7`; a fixed `max_iterations` (default 50 000) unless the RMS gradient falls to
/// `gradient_tolerance`. Adadelta keeps moving at a minimum (its steps do not shrink with the
/// gradient), which is why seed 004 took its local minima from gradient descent.
///
/// # Example
/// ```
/// use elm_core::{Adadelta, LocalMinimizer, reference::Gaussian};
/// let mut x = vec![1.0, -2.0];
/// let r = Adadelta::default().with_max_iterations(3000)
///     .minimize(&Gaussian::isotropic(2, 1.0).unwrap(), &mut x).unwrap();
/// assert!(r.energy < 1e-3, "{r:?}");
/// ```
///
/// # References
/// M. D. Zeiler, *ADADELTA: an adaptive learning rate method*, arXiv:1212.5701 (2012); seed
/// 004 Sec. 4.2.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Adadelta {
    /// Step multiplier `η` (default 1).
    pub learning_rate: f64,
    /// Decay `ρ` of both running averages, in `(0, 1)` (default 0.95).
    pub rho: f64,
    /// `ε` inside the square roots (default 1e-7).
    pub epsilon: f64,
    /// Stop early when the RMS gradient is at most this (default 0: run every step).
    pub gradient_tolerance: f64,
    /// Number of steps (default 50 000).
    pub max_iterations: usize,
}

impl Default for Adadelta {
    fn default() -> Self {
        Self { learning_rate: 1.0, rho: 0.95, epsilon: 1e-7, gradient_tolerance: 0.0, max_iterations: 50_000 }
    }
}

impl Adadelta {
    /// Sets the step multiplier.
    #[must_use]
    pub fn with_learning_rate(mut self, eta: f64) -> Self {
        self.learning_rate = eta;
        self
    }

    /// Sets the number of steps.
    #[must_use]
    pub fn with_max_iterations(mut self, n: usize) -> Self {
        self.max_iterations = n;
        self
    }

    /// Sets the early-stopping RMS gradient.
    #[must_use]
    pub fn with_gradient_tolerance(mut self, tol: f64) -> Self {
        self.gradient_tolerance = tol;
        self
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] for a non-positive `η` or `ε`, `ρ` outside `(0, 1)`,
    /// a negative tolerance or a zero step count.
    pub fn validate(&self) -> Result<()> {
        check::positive("learning_rate", self.learning_rate)?;
        check::in_open("rho", self.rho, 0.0, 1.0)?;
        check::positive("epsilon", self.epsilon)?;
        check::non_negative("gradient_tolerance", self.gradient_tolerance)?;
        check::at_least("max_iterations", self.max_iterations, 1)
    }
}

impl LocalMinimizer for Adadelta {
    fn minimize<E: Gradient + ?Sized>(&self, energy: &E, x: &mut [f64]) -> Result<MinimizeReport> {
        self.validate()?;
        let (eta, rho, eps) = (self.learning_rate, self.rho, self.epsilon);
        let mut steps = vec![0.0; x.len()];
        run_steps(energy, x, self.max_iterations, self.gradient_tolerance, |x, g, grads: &mut Vec<f64>| {
            for (((xi, a), b), gi) in x.iter_mut().zip(grads.iter_mut()).zip(steps.iter_mut()).zip(g) {
                *a = rho * *a + (1.0 - rho) * gi * gi;
                let delta = -((*b + eps).sqrt() / (*a + eps).sqrt()) * gi;
                *b = rho * *b + (1.0 - rho) * delta * delta;
                *xi += eta * delta;
            }
        })
    }
}

/// The loop both optimizers share: evaluate, test, step with one state vector of their own
/// (velocity or squared-gradient average); a non-finite evaluation restores the last finite
/// state.
fn run_steps<E: Gradient + ?Sized>(
    energy: &E,
    x: &mut [f64],
    iterations: usize,
    tolerance: f64,
    mut step: impl FnMut(&mut [f64], &[f64], &mut Vec<f64>),
) -> Result<MinimizeReport> {
    let mut g = vec![0.0; x.len()];
    let mut e = start(energy, x, &mut g)?;
    let mut evaluations = 1;
    let mut state = vec![0.0; x.len()];
    let mut last = x.to_vec();
    for it in 0..iterations {
        let r = rms(&g);
        if r <= tolerance {
            return Ok(MinimizeReport {
                energy: e,
                rms_gradient: r,
                iterations: it,
                evaluations,
                reason: TerminationReason::Converged,
            });
        }
        last.copy_from_slice(x);
        step(x, &g, &mut state);
        let e_new = energy.energy_gradient(x, &mut g);
        evaluations += 1;
        if !e_new.is_finite() || !g.iter().all(|v| v.is_finite()) {
            x.copy_from_slice(&last);
            let e = energy.energy_gradient(x, &mut g);
            return Ok(MinimizeReport {
                energy: e,
                rms_gradient: rms(&g),
                iterations: it,
                evaluations: evaluations + 1,
                reason: TerminationReason::Diverged,
            });
        }
        e = e_new;
    }
    let r = rms(&g);
    let reason = if r <= tolerance { TerminationReason::Converged } else { TerminationReason::MaxIterations };
    Ok(MinimizeReport { energy: e, rms_gradient: r, iterations, evaluations, reason })
}
