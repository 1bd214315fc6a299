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

/// What a Langevin run measured.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LangevinStats {
    /// `(ε²/2)` times the mean input-gradient norm `||∇U||_2` over all steps and chains: the
    /// gradient-magnitude axis `r_st` of seed 001 Sec. 3.2 (Eq. 3.3).
    pub gradient_magnitude: f64,
    /// Mean energy of the chains after the last step.
    pub final_energy: f64,
}

/// Step size, noise indicator and number of steps of a Langevin run.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LangevinParams {
    /// Step size `ε`.
    pub epsilon: f64,
    /// Noise indicator `τ` (1: sampling; 0: gradient descent).
    pub tau: f64,
    /// Number of steps `L`.
    pub steps: usize,
}

/// `steps` Langevin updates of a batch of chains (seed 001 Eq. 1.2 with the noise indicator
/// `τ` of Alg. 1): `Y ← Y − (ε²/2) ∇U(Y) + τ ε Z`, `Z ~ N(0, I)`, in place on `y`
/// (`batch x d` row-major).
pub fn langevin<P: Potential, R: Rng + ?Sized>(
    model: &P,
    y: &mut [f32],
    batch: usize,
    params: LangevinParams,
    device: &Device,
    rng: &mut R,
) -> LangevinStats {
    let LangevinParams { epsilon, tau, steps } = params;
    let d = model.dim();
    let drift = (0.5 * epsilon * epsilon) as f32;
    let sd = (tau * epsilon) as f32;
    let mut grad_sum = 0.0;
    let mut last = 0.0;
    for _ in 0..steps {
        let (e, g) = energy_and_input_gradient(model, y, batch, device);
        grad_sum +=
            g.chunks(d).map(|row| row.iter().map(|v| f64::from(*v) * f64::from(*v)).sum::<f64>().sqrt()).sum::<f64>();
        last = e.iter().map(|v| f64::from(*v)).sum::<f64>() / batch as f64;
        for (yi, gi) in y.iter_mut().zip(&g) {
            let z: f32 = if sd > 0.0 { StandardNormal.sample(rng) } else { 0.0 };
            *yi += -drift * gi + sd * z;
        }
    }
    let gradient_magnitude = if steps == 0 { 0.0 } else { f64::from(drift) * grad_sum / (steps * batch) as f64 };
    LangevinStats { gradient_magnitude, final_energy: last }
}
