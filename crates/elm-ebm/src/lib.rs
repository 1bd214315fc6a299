//! # elm-ebm
//!
//! Energy-based models of the DeepFRAME family (seed 001 Ch. 2-3), trained by maximum
//! likelihood with Langevin negative samples on [burn](https://burn.dev) (CPU `flex` backend
//! by default, `wgpu` behind the `wgpu` feature), with the diagnostics that tell convergent
//! from non-convergent learning, and a bridge that turns a trained potential into an
//! `elm-core` energy for `elm-mcmc` and `elm-ad`.
//!
//! - [`Mlp`] and [`ConvNet`] potentials ([`Potential`]), with an optional Gaussian prior;
//! - [`FrameNet`], the image scoring network of seed 000 Sec. 5.2, and [`FrameImageEnergy`], its
//!   exact incremental energy over grey-level images for Gibbs sampling and ADELM;
//! - [`MlTrainer`]: seed 001 Alg. 1 with noise / data / persistent initialization, SGD with
//!   exponential decay and floor, Adam, or hybrid; per-step diagnostics `d_st`, `r_st`;
//!   checkpoints (burn records + JSON) and resume;
//! - [`langevin`], [`energy_and_input_gradient`] on batches;
//! - [`TrainedEnergy`]: the bridge;
//! - [`CoopTrainer`]: cooperative learning of a descriptor and a [`Generator`] ([`ConvGenerator`],
//!   [`MlpGenerator`]; seed 001 Alg. 4), and [`LatentEnergy`], the energy `U(g(z))` over the
//!   generator's latent space (seed 000 Eq. 5.4) for latent-space mapping.
//!
//! `elm-ebm` is the only crate of the workspace that depends on burn.
//!
//! ## Example: train an MLP potential on a 2-D Gaussian for a few steps
//! ```
//! use burn::tensor::Device;
//! use elm_ebm::{InitialNoise, McmcInit, MlParams, MlTrainer, Mlp, OptimizerKind};
//! let device = Device::flex().autodiff();
//! let data: Vec<f32> = (0..200).map(|k| ((k * 37 % 101) as f32 / 101.0 - 0.5) * 0.6).collect();
//! let config = MlParams { steps: 5, batch: 20,
//!     init: McmcInit::Noise { noise: InitialNoise::Gaussian { sd: 1.0 } },
//!     optimizer: OptimizerKind::Adam { lr: 1e-3 }, ..MlParams::default() };
//! let mut trainer = MlTrainer::new(Mlp::new(2, 16, None, &device), data, config, 1, device).unwrap();
//! let d = trainer.step().unwrap();
//! assert!(d.energy_difference.is_finite() && d.gradient_magnitude > 0.0);
//! ```

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod bridge;
mod coop;
mod diagnostics;
mod error;
mod frame;
mod generator;
mod latent;
mod potential;
mod sampling;
mod train;

pub use bridge::TrainedEnergy;
/// The burn device type, re-exported so that users of `elm-ebm` need no direct burn
/// dependency (`Device::flex().autodiff()` for the CPU backend).
pub use burn::tensor::Device;
/// Which GPU the wgpu device uses (`Device::wgpu(DeviceKind::DefaultDevice)`).
#[cfg(feature = "wgpu")]
pub use burn::tensor::DeviceKind;
pub use coop::{CoopDiagnostics, CoopParams, CoopTrainer};
pub use diagnostics::{LearningCorrelations, learning_correlations};
pub use elm_core::Control;
pub use error::{Error, Result};
pub use frame::{FrameImageEnergy, FrameNet};
pub use generator::{ConvGenerator, Generator, MlpGenerator, load_generator, save_generator};
pub use latent::LatentEnergy;
pub use potential::{ConvNet, Mlp, Potential, load_weights, save_weights};
pub use sampling::{
    LangevinParams, LangevinStats, LyapunovParams, LyapunovReport, energy_and_input_gradient, langevin,
    maximal_lyapunov_exponent,
};
pub use train::{EnergyScale, InitialNoise, McmcInit, MlParams, MlTrainer, OptimizerKind, StepDiagnostics, Synthesis};
/// The old name of [`MlParams`] (renamed so that every parameter struct of the workspace is
/// `XParams`).
#[deprecated(since = "0.1.0", note = "renamed to MlParams")]
pub type MlConfig = MlParams;
