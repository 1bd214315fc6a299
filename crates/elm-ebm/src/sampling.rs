//! Langevin sampling of a potential on batches of states.

use crate::potential::Potential;
use burn::tensor::{Device, Tensor, TensorData};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// `U` and `∇_x U` for a batch of flattened states (`x.len() = batch * d`), by autodiff with
/// respect to the input. `device` must be an autodiff device.
pub fn energy_and_input_gradient<P: Potential>(
    model: &P,
    x: &[f32],
    batch: usize,
    device: &Device,
) -> (Vec<f32>, Vec<f32>) {
    let d = model.dim();
    let input = Tensor::<2>::from_data(TensorData::new(x.to_vec(), [batch, d]), device).require_grad();
    let energies = model.energy(input.clone());
    let grads = energies.clone().sum().backward();
    let g = input
        .grad(&grads)
        .map(|t| t.into_data().try_to_vec::<f32>().unwrap_or_default())
        .unwrap_or_else(|| vec![0.0; x.len()]);
    let e = energies.into_data().try_to_vec::<f32>().unwrap_or_default();
    (e, g)
}

/// A copy of `model` whose parameters track no gradient, so that backward passes compute the
/// input gradient only (a third less work than with the weight gradients).
///
/// burn initializes parameters lazily and clones of an uninitialized parameter share its lazy
/// state, so the model is evaluated once first: the copy's `no_grad` must not reach the
/// original's parameters.
pub(crate) fn input_gradient_only<P: Potential>(model: &P, device: &Device) -> P {
    let _ = model.energy(Tensor::<2>::zeros([1, model.dim()], device));
    model.clone().no_grad()
}

/// What a Langevin run measured.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LangevinStats {
    /// `(ε²/2)` times the mean input-gradient norm `||∇U||_2` over all steps and chains (the mean
    /// length of the Langevin drift): the gradient-magnitude axis `r_st` of seed 001 Sec. 3.2
    /// (Eq. 3.3).
    pub gradient_magnitude: f64,
    /// Mean network output `F` of the chains at the last step.
    pub final_energy: f64,
}

/// Step size, noise indicator, number of steps and energy scale of a Langevin run.
///
/// The energy sampled is `U = energy_scale · F` with `F` the network output: `energy_scale = 1`
/// samples the network output itself, `energy_scale = 2/ε²` is the authors' convention
/// (seed 001 Sec. 3.1), for which the update is `Y ← Y − ∇F + τ ε Z`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LangevinParams {
    /// Step size `ε`.
    pub epsilon: f64,
    /// Noise indicator `τ` (1: sampling; 0: gradient descent).
    pub tau: f64,
    /// Number of steps `L`.
    pub steps: usize,
    /// `U = energy_scale · F`.
    pub energy_scale: f64,
    /// The box `[lo, hi]` every coordinate is clamped to after each step (default none). Images
    /// live in `[0, 1]`; without the box a descriptor whose input gradient grows steep sends
    /// the explicit Langevin update past the data range, and learning then diverges (a Co-Op run
    /// on the ten digits: revision rms 0.14 per pixel at step 450, 0.73 at 550, 5.3 at 700). Du &
    /// Mordatch (2019) clamp image chains the same way.
    #[serde(default)]
    pub bounds: Option<(f32, f32)>,
}

impl LangevinParams {
    /// `steps` steps of size `epsilon` with noise indicator `tau` on `U = F` (`energy_scale` 1).
    pub fn new(epsilon: f64, tau: f64, steps: usize) -> Self {
        Self { epsilon, tau, steps, energy_scale: 1.0, bounds: None }
    }

    /// The same run with every coordinate clamped to `[lo, hi]` after each step.
    pub fn with_bounds(mut self, lo: f32, hi: f32) -> Self {
        self.bounds = Some((lo, hi));
        self
    }

    /// The same run on `U = scale · F`.
    pub fn with_energy_scale(mut self, scale: f64) -> Self {
        self.energy_scale = scale;
        self
    }
}

/// `steps` Langevin updates of a batch of chains (seed 001 Eq. 1.2 with the noise indicator
/// `τ` of Alg. 1): `Y ← Y − (ε²/2) ∇U(Y) + τ ε Z`, `Z ~ N(0, I)`, with `U = s·F` for the network
/// output `F` and `s = params.energy_scale`, in place on `y` (`batch x d` row-major).
pub fn langevin<P: Potential, R: Rng + ?Sized>(
    model: &P,
    y: &mut [f32],
    batch: usize,
    params: LangevinParams,
    device: &Device,
    rng: &mut R,
) -> LangevinStats {
    let LangevinParams { epsilon, tau, steps, energy_scale, bounds } = params;
    let d = model.dim();
    let drift = (0.5 * epsilon * epsilon * energy_scale) as f32;
    let sd = (tau * epsilon) as f32;
    let mut grad_sum = 0.0;
    let mut last = 0.0;
    let frozen = input_gradient_only(model, device);
    for _ in 0..steps {
        let (e, g) = energy_and_input_gradient(&frozen, y, batch, device);
        grad_sum +=
            g.chunks(d).map(|row| row.iter().map(|v| f64::from(*v) * f64::from(*v)).sum::<f64>().sqrt()).sum::<f64>();
        last = e.iter().map(|v| f64::from(*v)).sum::<f64>() / batch as f64;
        for (yi, gi) in y.iter_mut().zip(&g) {
            let z: f32 = if sd > 0.0 { StandardNormal.sample(rng) } else { 0.0 };
            *yi += -drift * gi + sd * z;
        }
        if let Some((lo, hi)) = bounds {
            y.iter_mut().for_each(|v| *v = v.clamp(lo, hi));
        }
    }
    let gradient_magnitude = if steps == 0 { 0.0 } else { f64::from(drift) * grad_sum / (steps * batch) as f64 };
    LangevinStats { gradient_magnitude, final_energy: last }
}

/// Settings of a maximal-Lyapunov-exponent estimate (seed 001 Sec. 3.4.1).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LyapunovParams {
    /// The Langevin run: step size `ε`, noise multiplier `γ` (in `tau`: `γ = 1` is the learning
    /// temperature; the run samples the tempered energy `U / γ²`), energy scale; `steps` is the number of measured
    /// steps.
    pub langevin: LangevinParams,
    /// Steps at the same `γ` before measuring (to reach that temperature's steady state).
    pub burn_in: usize,
    /// Steps between renormalizations of the perturbation.
    pub renormalize_every: usize,
    /// Size `δ0` of the perturbation (in state units; well above f32 rounding).
    pub perturbation: f64,
}

impl LyapunovParams {
    /// `steps` measured steps of `langevin`'s step size and scale at noise multiplier `gamma`,
    /// after 200 burn-in steps, renormalizing every 10 steps, `δ0 = 1e-3`.
    pub fn new(langevin: LangevinParams, gamma: f64) -> Self {
        Self {
            langevin: LangevinParams { tau: gamma, ..langevin },
            burn_in: 200,
            renormalize_every: 10,
            perturbation: 1e-3,
        }
    }
}

/// A maximal Lyapunov exponent estimate.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LyapunovReport {
    /// The noise multiplier `γ`.
    pub gamma: f64,
    /// `λ`, per unit time of the SDE `dX = −∇U dt + γ √2 dB` (one step is `dt = ε²/2`): the mean
    /// over chains.
    pub exponent: f64,
    /// Standard error of `exponent` over the chains.
    pub standard_error: f64,
    /// Number of chain pairs.
    pub chains: usize,
}

/// The maximal Lyapunov exponent of Langevin dynamics on a potential, by the method of
/// Benettin, Galgani & Strelcyn (1976) that seed 001 Sec. 3.4.1 (Fig. 3.8) uses: each chain `x`
/// gets a twin `x' = x + δ0 u` (`u` a random unit vector); both take the same Langevin steps with
/// the **same noise**
///
/// ```text
/// x ← x − (ε²/2) ∇U(x) + γ ε z,    x' ← x' − (ε²/2) ∇U(x') + γ ε z,
/// ```
///
/// and every `renormalize_every` steps the separation `δ = |x' − x|` is logged and `x'` pulled
/// back to distance `δ0` along `x' − x`. Then `λ = Σ log(δ/δ0) / (steps · ε²/2)`: negative for
/// ordered (contracting) dynamics, positive for chaos. `start` holds `chains x d` initial states
/// (for instance a persistent bank); the states are not changed.
///
/// # Example
/// ```
/// use elm_ebm::{Device, LangevinParams, LyapunovParams, Mlp, maximal_lyapunov_exponent};
/// use rand::SeedableRng;
/// let device = Device::flex().autodiff();
/// let mlp = Mlp::new(2, 8, None, &device);
/// let start = vec![0.1f32; 2 * 16];
/// let params = LyapunovParams::new(LangevinParams::new(0.1, 1.0, 50), 1.0);
/// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
/// let report = maximal_lyapunov_exponent(&mlp, &start, params, &device, &mut rng);
/// assert!(report.exponent.is_finite() && report.chains == 16);
/// ```
pub fn maximal_lyapunov_exponent<P: Potential, R: Rng + ?Sized>(
    model: &P,
    start: &[f32],
    params: LyapunovParams,
    device: &Device,
    rng: &mut R,
) -> LyapunovReport {
    let d = model.dim();
    let chains = start.len() / d;
    let LangevinParams { epsilon, tau: gamma, steps, energy_scale, .. } = params.langevin;
    let drift = (0.5 * epsilon * epsilon * energy_scale) as f32;
    let sd = (gamma * epsilon) as f32;
    let mut x = start[..chains * d].to_vec();
    let burn = LangevinParams { steps: params.burn_in, ..params.langevin };
    if params.burn_in > 0 {
        langevin(model, &mut x, chains, burn, device, rng);
    }
    let delta0 = params.perturbation as f32;
    // Stack the chains and their twins into one batch of 2 x chains.
    let mut both = x.clone();
    for _ in 0..chains {
        let u: Vec<f32> = (0..d).map(|_| StandardNormal.sample(rng)).collect();
        let norm = u.iter().map(|v| v * v).sum::<f32>().sqrt().max(f32::MIN_POSITIVE);
        both.extend(u.iter().map(|v| delta0 * v / norm));
    }
    for k in 0..chains * d {
        both[chains * d + k] += both[k];
    }
    let mut log_growth = vec![0.0f64; chains];
    let frozen = input_gradient_only(model, device);
    let every = params.renormalize_every.max(1);
    for step in 1..=steps {
        let (_, g) = energy_and_input_gradient(&frozen, &both, 2 * chains, device);
        for k in 0..chains * d {
            let z: f32 = if sd > 0.0 { StandardNormal.sample(rng) } else { 0.0 };
            both[k] += -drift * g[k] + sd * z;
            both[chains * d + k] += -drift * g[chains * d + k] + sd * z;
        }
        if step % every == 0 || step == steps {
            let (a, b) = both.split_at_mut(chains * d);
            for (c, growth) in log_growth.iter_mut().enumerate() {
                let (xa, xb) = (&a[c * d..(c + 1) * d], &mut b[c * d..(c + 1) * d]);
                let dist = xa.iter().zip(xb.iter()).map(|(p, q)| f64::from(q - p).powi(2)).sum::<f64>().sqrt();
                if dist > 0.0 && dist.is_finite() {
                    *growth += (dist / f64::from(delta0)).ln();
                    let s = (f64::from(delta0) / dist) as f32;
                    for (q, p) in xb.iter_mut().zip(xa) {
                        *q = p + (*q - p) * s;
                    }
                } else {
                    // Twins that merged (or blew up): count a full contraction by f32 rounding
                    // and restart the perturbation.
                    *growth += (f64::from(f32::EPSILON)).ln();
                    for (i, (q, p)) in xb.iter_mut().zip(xa).enumerate() {
                        *q = p + if i == 0 { delta0 } else { 0.0 };
                    }
                }
            }
        }
    }
    let time = steps.max(1) as f64 * 0.5 * epsilon * epsilon;
    let rates: Vec<f64> = log_growth.iter().map(|g| g / time).collect();
    let n = rates.len().max(1) as f64;
    let mean = rates.iter().sum::<f64>() / n;
    let var = rates.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    LyapunovReport { gamma, exponent: mean, standard_error: (var / n).sqrt(), chains }
}
