//! A trained potential as an `elm-core` energy, so `elm-mcmc` can sample it and `elm-ad` map it.

use crate::potential::Potential;
use crate::sampling::energy_and_input_gradient;
use burn::tensor::{Device, Tensor, TensorData};
use elm_core::{Energy, Gradient};
use ndarray::ArrayView2;
use std::sync::Mutex;

/// A trained potential wrapped as an [`elm_core::Energy`] + [`elm_core::Gradient`]:
/// `E(x) = s · F(x)` for the network output `F` and a scale `s` (1 from [`TrainedEnergy::new`];
/// `2/ε²` for a model trained with [`crate::EnergyScale::Langevin`], as [`crate::MlTrainer::energy`]
/// builds it), its gradient by autodiff with respect to the input, and a batched evaluation
/// that sends all rows through the network at once. States are `f64` on the elm side and `f32`
/// in the network.
///
/// The model sits behind a mutex (burn modules are not `Sync`); evaluations from several
/// threads are serialized.
pub struct TrainedEnergy<P: Potential> {
    model: Mutex<P>,
    device: Device,
    dim: usize,
    scale: f64,
}

impl<P: Potential> TrainedEnergy<P> {
    /// Wraps `model` evaluated on the autodiff `device`: `E = F`.
    pub fn new(model: P, device: Device) -> Self {
        Self::scaled(model, device, 1.0)
    }

    /// Wraps `model` with `E = scale · F`.
    pub fn scaled(model: P, device: Device, scale: f64) -> Self {
        let dim = model.dim();
        Self { model: Mutex::new(model), device, dim, scale }
    }

    /// The scale `s` of `E = s · F`.
    pub fn scale(&self) -> f64 {
        self.scale
    }
}

impl<P: Potential> std::fmt::Debug for TrainedEnergy<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrainedEnergy").field("dim", &self.dim).finish()
    }
}

impl<P: Potential> Energy for TrainedEnergy<P> {
    fn dim(&self) -> usize {
        self.dim
    }

    fn energy(&self, x: &[f64]) -> f64 {
        let xs: Vec<f32> = x.iter().map(|v| *v as f32).collect();
        let model = self.model.lock().expect("model lock");
        let t = Tensor::<2>::from_data(TensorData::new(xs, [1, self.dim]), &self.device);
        self.scale
            * f64::from(
                model
                    .energy(t)
                    .into_data()
                    .try_to_vec::<f32>()
                    .unwrap_or_default()
                    .first()
                    .copied()
                    .unwrap_or(f32::NAN),
            )
    }

    fn energy_batch(&self, xs: ArrayView2<'_, f64>, out: &mut [f64]) {
        let batch = xs.nrows();
        let flat: Vec<f32> =
            xs.rows().into_iter().flat_map(|r| r.iter().map(|v| *v as f32).collect::<Vec<_>>()).collect();
        let model = self.model.lock().expect("model lock");
        let t = Tensor::<2>::from_data(TensorData::new(flat, [batch, self.dim]), &self.device);
        let e = model.energy(t).into_data().try_to_vec::<f32>().unwrap_or_default();
        for (o, v) in out.iter_mut().zip(e) {
            *o = self.scale * f64::from(v);
        }
    }
}

impl<P: Potential> Gradient for TrainedEnergy<P> {
    fn energy_gradient(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let xs: Vec<f32> = x.iter().map(|v| *v as f32).collect();
        let model = self.model.lock().expect("model lock");
        let (e, g) = energy_and_input_gradient(&*model, &xs, 1, &self.device);
        for (o, v) in grad.iter_mut().zip(g) {
            *o = self.scale * f64::from(v);
        }
        e.first().map_or(f64::NAN, |v| self.scale * f64::from(*v))
    }
}
