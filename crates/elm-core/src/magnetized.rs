//! The Attraction-Diffusion magnetized energy `E(x)/T + α ||x - x*||_2`.

use crate::energy::{DiscreteEnergy, Energy, Gradient};
use crate::error::{Error, Result, check};

/// The magnetized energy of Attraction-Diffusion (seed 000 Eq. 3.1; seed 001 Eq. 4.5):
///
/// $$ E_{T,\alpha,X^{\ast}}(X) = \frac{E(X)}{T} + \alpha \\, \lVert X - X^{\ast} \rVert_2 , $$
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
    norm: MagnetNorm,
}

/// The norm of the magnetization penalty `α ||X - X*||`.
///
/// Seed 000 Eq. 3.1 uses the L2 norm, whose pull `α (X - X*)/||X - X*||_2` has the same
/// strength everywhere; the seed notes that "an L1 penalty would probably give similar results".
/// On spins they differ in scale: flipping one of `h` wrong spins lowers the L2 penalty by about
/// `α / sqrt(h)` but the L1 penalty by a constant `2 α`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum MagnetNorm {
    /// `||X - X*||_2` (seed 000 Eq. 3.1; the default).
    #[default]
    L2,
    /// `||X - X*||_1 = Σ_i |X_i - X*_i|`.
    L1,
}

impl<E> Magnetized<E> {
    fn checked(inner: E, target: Vec<f64>, temperature: f64, alpha: f64) -> Result<Self> {
        check::positive("temperature", temperature)?;
        check::non_negative("alpha", alpha)?;
        check::all_finite("magnetization target", &target)?;
        Ok(Self { inner, target, temperature, alpha, norm: MagnetNorm::L2 })
    }

    /// Uses the norm `norm` for the penalty (default [`MagnetNorm::L2`]).
    #[must_use]
    pub fn with_norm(mut self, norm: MagnetNorm) -> Self {
        self.norm = norm;
        self
    }

    /// The penalty's norm.
    pub fn norm(&self) -> MagnetNorm {
        self.norm
    }

    /// The norm of a difference vector given as per-coordinate differences.
    fn norm_of(&self, diffs: impl Iterator<Item = f64>) -> f64 {
        match self.norm {
            MagnetNorm::L2 => diffs.map(|d| d * d).sum::<f64>().sqrt(),
            MagnetNorm::L1 => diffs.map(f64::abs).sum(),
        }
    }

    /// Per-coordinate contribution to the accumulated distance kept in the discrete cache
    /// (`d²` for L2, `|d|` for L1).
    fn contribution(&self, d: f64) -> f64 {
        match self.norm {
            MagnetNorm::L2 => d * d,
            MagnetNorm::L1 => d.abs(),
        }
    }

    /// Distance from the accumulated value.
    fn distance_of_accumulated(&self, acc: f64) -> f64 {
        match self.norm {
            MagnetNorm::L2 => acc.max(0.0).sqrt(),
            MagnetNorm::L1 => acc.max(0.0),
        }
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

    /// `||x - x*||` in the penalty's norm.
    pub fn distance(&self, x: &[f64]) -> f64 {
        self.norm_of(x.iter().zip(&self.target).map(|(a, b)| a - b))
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
            let pull = match self.norm {
                MagnetNorm::L2 => scale * (xi - ti),
                // Subgradient 0 where the coordinate sits on the target.
                MagnetNorm::L1 => {
                    self.alpha
                        * if xi > ti {
                            1.0
                        } else if xi < ti {
                            -1.0
                        } else {
                            0.0
                        }
                }
            };
            *g = *g / self.temperature + pull;
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

    /// `||s - s*||` on level values, in the penalty's norm.
    pub fn discrete_distance(&self, s: &[u8]) -> f64 {
        self.distance_of_accumulated(self.squared_distance(s))
    }

    /// The distance to the target read from a state's cache (`O(1)`); `aux` must be the
    /// cache of a [`crate::DiscreteState`] built on this magnetized energy.
    pub fn distance_from_aux(&self, aux: &[f64]) -> f64 {
        self.distance_of_accumulated(aux.last().copied().unwrap_or(0.0))
    }

    /// The accumulated distance (`Σ d_i²` for L2, `Σ |d_i|` for L1).
    fn squared_distance(&self, s: &[u8]) -> f64 {
        s.iter().zip(&self.target).map(|(&l, t)| self.contribution(self.inner.level_value(l) - t)).sum()
    }

    /// Change of the accumulated distance when site `i` moves to level `v`.
    fn squared_distance_change(&self, s: &[u8], i: usize, v: u8) -> f64 {
        let t = self.target[i];
        self.contribution(self.inner.level_value(v) - t) - self.contribution(self.inner.level_value(s[i]) - t)
    }

    fn penalty_change(&self, d2: f64, dd2: f64) -> f64 {
        self.alpha * (self.distance_of_accumulated(d2 + dd2) - self.distance_of_accumulated(d2))
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
