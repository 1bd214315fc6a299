//! Temperature scaling `E(x) / T`.

use crate::energy::{DiscreteEnergy, Energy, Gradient};
use crate::error::{Result, check};
use ndarray::ArrayView2;

/// The energy `E(x) / T` of the Gibbs density `exp(-E(x)/T)`.
///
/// Samplers of `elm-mcmc` take the temperature directly; `Tempered` is for code that
/// only knows "an energy" (a minimizer, a user's own sampler) and for composing with
/// other wrappers. Works for continuous and discrete energies alike.
///
/// # Example
/// ```
/// use elm_core::{Energy, Tempered, reference::MullerBrown};
/// let hot = Tempered::new(MullerBrown::new(), 10.0).unwrap();
/// assert!((hot.energy(&[0.0, 0.0]) - MullerBrown::new().energy(&[0.0, 0.0]) / 10.0).abs() < 1e-12);
/// assert!(Tempered::new(MullerBrown::new(), 0.0).is_err());
/// ```
#[derive(Debug, Clone)]
pub struct Tempered<E> {
    inner: E,
    temperature: f64,
}

impl<E> Tempered<E> {
    /// Wraps `inner` at temperature `temperature`.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] unless `temperature` is finite and `> 0`.
    pub fn new(inner: E, temperature: f64) -> Result<Self> {
        check::positive("temperature", temperature)?;
        Ok(Self { inner, temperature })
    }

    /// The temperature `T`.
    pub fn temperature(&self) -> f64 {
        self.temperature
    }

    /// The wrapped energy.
    pub fn inner(&self) -> &E {
        &self.inner
    }
}

impl<E: Energy> Energy for Tempered<E> {
    fn dim(&self) -> usize {
        self.inner.dim()
    }
    fn energy(&self, x: &[f64]) -> f64 {
        self.inner.energy(x) / self.temperature
    }
    fn energy_batch(&self, xs: ArrayView2<'_, f64>, out: &mut [f64]) {
        self.inner.energy_batch(xs, out);
        out.iter_mut().for_each(|e| *e /= self.temperature);
    }
}

impl<E: Gradient> Gradient for Tempered<E> {
    fn energy_gradient(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let e = self.inner.energy_gradient(x, grad);
        grad.iter_mut().for_each(|g| *g /= self.temperature);
        e / self.temperature
    }
}

impl<E: DiscreteEnergy> DiscreteEnergy for Tempered<E> {
    fn sites(&self) -> usize {
        self.inner.sites()
    }
    fn levels(&self) -> usize {
        self.inner.levels()
    }
    fn energy(&self, s: &[u8]) -> f64 {
        self.inner.energy(s) / self.temperature
    }
    fn level_value(&self, level: u8) -> f64 {
        self.inner.level_value(level)
    }
    fn delta(&self, s: &[u8], i: usize, v: u8) -> f64 {
        self.inner.delta(s, i, v) / self.temperature
    }
    fn aux_len(&self) -> usize {
        self.inner.aux_len()
    }
    fn init_aux(&self, s: &[u8], aux: &mut [f64]) {
        self.inner.init_aux(s, aux)
    }
    fn delta_aux(&self, s: &[u8], aux: &[f64], i: usize, v: u8) -> f64 {
        self.inner.delta_aux(s, aux, i, v) / self.temperature
    }
    fn update_aux(&self, s: &[u8], aux: &mut [f64], i: usize, v: u8) {
        self.inner.update_aux(s, aux, i, v)
    }
    fn delta_levels(&self, s: &[u8], aux: &[f64], i: usize, out: &mut [f64]) {
        self.inner.delta_levels(s, aux, i, out);
        out.iter_mut().for_each(|d| *d /= self.temperature);
    }
}
