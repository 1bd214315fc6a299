//! The Attraction-Diffusion magnetized energy `E(x)/T + α ||x - x*||_2`.

use crate::energy::{DiscreteEnergy, Energy, Gradient};
use crate::error::{Error, Result, check};

/// The magnetized energy of Attraction-Diffusion (seed 000 Eq. 3.1; seed 001 Eq. 4.5):
///
/// $$ E_{T,\alpha,X^*}(X) = \frac{E(X)}{T} + \alpha \, \lVert X - X^* \rVert_2 , $$
///
/// whose Gibbs density `exp(-E_{T,α,X*})` is what an AD chain samples. The L2 (not squared)
/// penalty pulls towards the target `X*` with the same strength `α` everywhere
/// (`∇||X - X*||_2` is a unit vector), which is what makes AD a test of metastability.
///
/// One type serves both state spaces:
/// - continuous: [`Magnetized::continuous`], implementing [`Energy`] and [`Gradient`]
///   (at `X = X*` the penalty's subgradient `0` is used);
/// - discrete: [`Magnetized::discrete`], implementing [`DiscreteEnergy`], with the distance
///   measured on [`DiscreteEnergy::level_value`]s (for ±1 spins `||σ - σ*||_2 = 2 sqrt(Hamming)`)
///   and tracked incrementally in the last slot of the auxiliary cache, so a one-site delta
///   stays as cheap as the inner energy's.
///
/// # Example
/// ```
/// use elm_core::{Energy, Magnetized, reference::MullerBrown};
/// let target = [-0.558, 1.442];
/// let m = Magnetized::continuous(MullerBrown::new(), &target, 20.0, 5.0).unwrap();
/// let x = [0.623, 0.028];
/// let expected = MullerBrown::new().energy(&x) / 20.0 + 5.0 * elm_core::distance::l2(&x, &target);
/// assert!((m.energy(&x) - expected).abs() < 1e-12);
/// ```
///
/// # References
/// Hill, Nijkamp, Zhu, *Building a telescope to look into high-dimensional image spaces*,
/// QAM 2019 (seed 000), Sec. 3.1, Eq. 3.1.
#[derive(Debug, Clone)]
pub struct Magnetized<E> {
    inner: E,
    /// Target in value space (level values for discrete targets).
    target: Vec<f64>,
    temperature: f64,
    alpha: f64,
}

impl<E> Magnetized<E> {
    fn checked(inner: E, target: Vec<f64>, temperature: f64, alpha: f64) -> Result<Self> {
        check::positive("temperature", temperature)?;
        check::non_negative("alpha", alpha)?;
        check::all_finite("magnetization target", &target)?;
        Ok(Self { inner, target, temperature, alpha })
    }

    /// Temperature `T`.
    pub fn temperature(&self) -> f64 {
        self.temperature
    }

    /// Magnetization strength `α`.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// Changes `α` (barrier estimation lowers it step by step).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `alpha` is finite and `>= 0`.
    pub fn set_alpha(&mut self, alpha: f64) -> Result<()> {
        check::non_negative("alpha", alpha)?;
        self.alpha = alpha;
        Ok(())
    }

    /// The target in value space.
    pub fn target_values(&self) -> &[f64] {
        &self.target
    }

    /// The wrapped energy.
    pub fn inner(&self) -> &E {
        &self.inner
    }
}

impl<E: Energy> Magnetized<E> {
    /// Magnetizes a continuous energy towards `target`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `T <= 0` or `α < 0` (or non-finite),
    /// [`Error::DimensionMismatch`] if `target.len() != inner.dim()`,
    /// [`Error::NonFinite`] for a non-finite target.
    pub fn continuous(inner: E, target: &[f64], temperature: f64, alpha: f64) -> Result<Self> {
        check::dim("magnetization target", inner.dim(), target.len())?;
        Self::checked(inner, target.to_vec(), temperature, alpha)
    }

    /// `||x - x*||_2`.
    pub fn distance(&self, x: &[f64]) -> f64 {
        crate::distance::l2(x, &self.target)
    }

    /// Points the magnet at a new continuous target.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] or [`Error::NonFinite`] for a bad target.
    pub fn set_target(&mut self, target: &[f64]) -> Result<()> {
        check::dim("magnetization target", self.inner.dim(), target.len())?;
        check::all_finite("magnetization target", target)?;
        self.target.clear();
        self.target.extend_from_slice(target);
        Ok(())
    }
}

impl<E: Energy> Energy for Magnetized<E> {
    fn dim(&self) -> usize {
        self.inner.dim()
    }
    fn energy(&self, x: &[f64]) -> f64 {
        self.inner.energy(x) / self.temperature + self.alpha * self.distance(x)
    }
}

impl<E: Gradient> Gradient for Magnetized<E> {
    fn energy_gradient(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let e = self.inner.energy_gradient(x, grad);
        let d = self.distance(x);
        let scale = if d > 0.0 { self.alpha / d } else { 0.0 };
        for ((g, xi), ti) in grad.iter_mut().zip(x).zip(&self.target) {
            *g = *g / self.temperature + scale * (xi - ti);
        }
        e / self.temperature + self.alpha * d
    }
}

impl<E: DiscreteEnergy> Magnetized<E> {
    /// Magnetizes a discrete energy towards the level vector `target`.
    ///
    /// # Errors
    /// As [`Magnetized::continuous`], plus [`Error::InvalidLevel`] for a target level
    /// `>= levels`.
    pub fn discrete(inner: E, target: &[u8], temperature: f64, alpha: f64) -> Result<Self> {
        check::dim("magnetization target", inner.sites(), target.len())?;
        let levels = inner.levels();
        if let Some((site, &level)) = target.iter().enumerate().find(|&(_, &l)| usize::from(l) >= levels) {
            return Err(Error::InvalidLevel { site, level, levels });
        }
        let values = target.iter().map(|&l| inner.level_value(l)).collect();
        Self::checked(inner, values, temperature, alpha)
    }

    /// `||s - s*||_2` on level values.
    pub fn discrete_distance(&self, s: &[u8]) -> f64 {
        self.squared_distance(s).sqrt()
    }

    /// The distance to the target read from a state's cache (`O(1)`); `aux` must be the
    /// cache of a [`crate::DiscreteState`] built on this magnetized energy.
    pub fn distance_from_aux(&self, aux: &[f64]) -> f64 {
        aux.last().copied().unwrap_or(0.0).max(0.0).sqrt()
    }

    fn squared_distance(&self, s: &[u8]) -> f64 {
        s.iter()
            .zip(&self.target)
            .map(|(&l, t)| {
                let d = self.inner.level_value(l) - t;
                d * d
            })
            .sum()
    }

    /// Change of `||s - s*||^2` when site `i` moves to level `v`.
    fn squared_distance_change(&self, s: &[u8], i: usize, v: u8) -> f64 {
        let t = self.target[i];
        let new = self.inner.level_value(v) - t;
        let old = self.inner.level_value(s[i]) - t;
        new * new - old * old
    }

    fn penalty_change(&self, d2: f64, dd2: f64) -> f64 {
        self.alpha * ((d2 + dd2).max(0.0).sqrt() - d2.max(0.0).sqrt())
    }
}

impl<E: DiscreteEnergy> DiscreteEnergy for Magnetized<E> {
    fn sites(&self) -> usize {
        self.inner.sites()
    }
    fn levels(&self) -> usize {
        self.inner.levels()
    }
    fn energy(&self, s: &[u8]) -> f64 {
        self.inner.energy(s) / self.temperature + self.alpha * self.discrete_distance(s)
    }
    fn level_value(&self, level: u8) -> f64 {
        self.inner.level_value(level)
    }
    fn delta(&self, s: &[u8], i: usize, v: u8) -> f64 {
        self.inner.delta(s, i, v) / self.temperature
            + self.penalty_change(self.squared_distance(s), self.squared_distance_change(s, i, v))
    }
    fn aux_len(&self) -> usize {
        self.inner.aux_len() + 1
    }
    fn init_aux(&self, s: &[u8], aux: &mut [f64]) {
        let (inner, d2) = aux.split_at_mut(aux.len() - 1);
        self.inner.init_aux(s, inner);
        d2[0] = self.squared_distance(s);
    }
    fn delta_aux(&self, s: &[u8], aux: &[f64], i: usize, v: u8) -> f64 {
        let (inner, d2) = aux.split_at(aux.len() - 1);
        self.inner.delta_aux(s, inner, i, v) / self.temperature
            + self.penalty_change(d2[0], self.squared_distance_change(s, i, v))
    }
    fn update_aux(&self, s: &[u8], aux: &mut [f64], i: usize, v: u8) {
        let dd2 = self.squared_distance_change(s, i, v);
        let (inner, d2) = aux.split_at_mut(aux.len() - 1);
        self.inner.update_aux(s, inner, i, v);
        d2[0] += dd2;
    }
    fn delta_levels(&self, s: &[u8], aux: &[f64], i: usize, out: &mut [f64]) {
        let (inner, d2) = aux.split_at(aux.len() - 1);
        self.inner.delta_levels(s, inner, i, out);
        for (v, o) in out.iter_mut().enumerate() {
            *o = *o / self.temperature + self.penalty_change(d2[0], self.squared_distance_change(s, i, v as u8));
        }
    }
}
