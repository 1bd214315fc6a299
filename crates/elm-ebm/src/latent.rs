//! The latent energy `U(z) = U(g(z))` of a descriptor composed with a generator (seed 000
//! Eq. 5.4, seed 001 Eq. 5.2), as an `elm-core` energy.

use crate::generator::Generator;
use crate::potential::Potential;
use burn::tensor::{Device, Tensor, TensorData};
use elm_core::{Energy, Gradient};
use ndarray::ArrayView2;
use std::sync::Mutex;

/// The energy of a descriptor `U(x)` over the range of a generator `g(z)`,
/// $$ E(z) = s \\, U(g(z)) + \frac{\lambda}{2} \lVert z\rVert^2 , $$
/// over the latent space (seed 000 Eq. 5.4: `λ = 0`; `λ = 1` adds the generator's `N(0, I)`
/// prior, which keeps minima in the region the generator was trained on), with its gradient by
/// autodiff through both networks and a batched evaluation that sends all rows through the
/// networks at once. `elm-ad`, `elm-paths` and `elm-mcmc` run on it as on any other energy.
///
/// The networks sit behind a mutex (burn modules are not `Sync`); calls from several threads
/// are serialized, so give each thread its own `LatentEnergy` (it is `Clone`) for parallel AD.
///
/// # Example
/// ```
/// use elm_core::{Energy, Gradient};
/// use elm_ebm::{Device, LatentEnergy, Mlp, MlpGenerator};
/// let device = Device::flex().autodiff();
/// let energy = LatentEnergy::new(Mlp::new(2, 8, Some(1.0), &device), MlpGenerator::new(2, 2, &[8], &device), device)
///     .with_prior(1.0);
/// let mut g = [0.0; 2];
/// let e = energy.energy_gradient(&[0.3, -0.2], &mut g);
/// assert!((e - energy.energy(&[0.3, -0.2])).abs() < 1e-5);
/// ```
pub struct LatentEnergy<P: Potential, G: Generator> {
    models: Mutex<(P, G)>,
    device: Device,
    latent: usize,
    scale: f64,
    prior: f64,
}

impl<P: Potential, G: Generator> LatentEnergy<P, G> {
    /// `E(z) = U(g(z))` on the autodiff `device` (no prior, scale 1).
    ///
    /// # Panics
    /// If the generator's output dimension differs from the descriptor's input dimension (a
    /// construction-time programming error).
    pub fn new(descriptor: P, generator: G, device: Device) -> Self {
        assert_eq!(generator.output_dim(), descriptor.dim(), "generator output must match the descriptor input");
        let latent = generator.latent_dim();
        // burn initializes parameters lazily: run both once before freezing clones of them.
        let _ = descriptor.energy(generator.generate(Tensor::<2>::zeros([1, latent], &device)));
        let models = Mutex::new((descriptor.no_grad(), generator.no_grad()));
        Self { models, device, latent, scale: 1.0, prior: 0.0 }
    }

    /// Multiplies the descriptor energy by `scale` (for instance `2/ε²` for a descriptor trained
    /// with [`crate::EnergyScale::Langevin`]).
    pub fn with_scale(mut self, scale: f64) -> Self {
        self.scale = scale;
        self
    }

    /// Adds the latent prior `λ ||z||² / 2` (`λ = 1`: the generator's `N(0, I)`).
    pub fn with_prior(mut self, lambda: f64) -> Self {
        self.prior = lambda;
        self
    }

    /// The generated states `g(z)` of the rows of `zs` (row-major).
    pub fn decode(&self, zs: &[f64]) -> Vec<f32> {
        let count = zs.len() / self.latent;
        let z: Vec<f32> = zs[..count * self.latent].iter().map(|v| *v as f32).collect();
        let models = self.models.lock().expect("model lock");
        let t = Tensor::<2>::from_data(TensorData::new(z, [count, self.latent]), &self.device);
        models.1.generate(t).into_data().try_to_vec::<f32>().unwrap_or_default()
    }

    /// Energies and gradients of a batch of latent vectors (`zs` row-major), in one pass through
    /// the networks; returns the energies and writes the gradients into `grads`.
    pub fn energy_gradient_batch(&self, zs: &[f64], grads: &mut [f64]) -> Vec<f64> {
        let count = zs.len() / self.latent;
        let z: Vec<f32> = zs[..count * self.latent].iter().map(|v| *v as f32).collect();
        let models = self.models.lock().expect("model lock");
        let t = Tensor::<2>::from_data(TensorData::new(z, [count, self.latent]), &self.device).require_grad();
        let u = models.0.energy(models.1.generate(t.clone()));
        let backward = u.clone().sum().backward();
        let g = t.grad(&backward).map(|g| g.into_data().try_to_vec::<f32>().unwrap_or_default()).unwrap_or_default();
        let u = u.into_data().try_to_vec::<f32>().unwrap_or_default();
        for (k, (o, gi)) in grads.iter_mut().zip(g.iter().chain(std::iter::repeat(&f32::NAN))).enumerate() {
            *o = self.scale * f64::from(*gi) + self.prior * zs[k];
        }
        u.iter()
            .enumerate()
            .map(|(r, v)| self.scale * f64::from(*v) + self.prior_term(&zs[r * self.latent..(r + 1) * self.latent]))
            .collect()
    }

    fn prior_term(&self, z: &[f64]) -> f64 {
        if self.prior == 0.0 { 0.0 } else { 0.5 * self.prior * z.iter().map(|v| v * v).sum::<f64>() }
    }
}

impl<P: Potential, G: Generator> Clone for LatentEnergy<P, G> {
    fn clone(&self) -> Self {
        let models = self.models.lock().expect("model lock").clone();
        Self {
            models: Mutex::new(models),
            device: self.device.clone(),
            latent: self.latent,
            scale: self.scale,
            prior: self.prior,
        }
    }
}

impl<P: Potential, G: Generator> std::fmt::Debug for LatentEnergy<P, G> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LatentEnergy")
            .field("latent", &self.latent)
            .field("scale", &self.scale)
            .field("prior", &self.prior)
            .finish()
    }
}

impl<P: Potential, G: Generator> Energy for LatentEnergy<P, G> {
    fn dim(&self) -> usize {
        self.latent
    }

    fn energy(&self, x: &[f64]) -> f64 {
        let mut out = [0.0];
        self.energy_batch(ArrayView2::from_shape((1, self.latent), x).expect("latent length"), &mut out);
        out[0]
    }

    fn energy_batch(&self, xs: ArrayView2<'_, f64>, out: &mut [f64]) {
        let count = xs.nrows();
        let z: Vec<f32> = xs.iter().map(|v| *v as f32).collect();
        let models = self.models.lock().expect("model lock");
        let t = Tensor::<2>::from_data(TensorData::new(z, [count, self.latent]), &self.device);
        let u = models.0.energy(models.1.generate(t)).into_data().try_to_vec::<f32>().unwrap_or_default();
        for (r, o) in out.iter_mut().enumerate().take(count) {
            let row: Vec<f64> = xs.row(r).to_vec();
            *o = self.scale * u.get(r).map_or(f64::NAN, |v| f64::from(*v)) + self.prior_term(&row);
        }
    }
}

impl<P: Potential, G: Generator> Gradient for LatentEnergy<P, G> {
    fn energy_gradient(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        self.energy_gradient_batch(x, grad).first().copied().unwrap_or(f64::NAN)
    }
}
