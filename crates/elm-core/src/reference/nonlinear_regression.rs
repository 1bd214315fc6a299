use crate::energy::{Energy, Gradient};
use crate::error::{Error, Result, check};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, Normal};

/// The least-squares loss of the non-linear regression model of seed 002 Sec. IV:
///
/// $$ y(x; \theta) = e^{-\theta_1 x} \sin(\theta_2 x + \theta_3) \sin(\theta_4 x + \theta_5)
///    \quad \text{(Eq. 8)}, \qquad E(\theta) = \sum_{i=1}^{N} \big(t_i - y(x_i; \theta)\big)^2
///    \quad \text{(Eq. 10)}, $$
///
/// fitted to data `t_i = y(x_i; θ*) + ε_i`, `ε_i ~ N(0, 0.02^2)` (Eq. 9) with `N = 100` inputs
/// `x_i` uniform on `[0, 3π]` and `θ* = (0.1, 2.13, 0, 1.34, 0)`. The seed found 89 minima
/// by basin-hopping, the global one fitting the data (E ≈ Σ ε_i² ≈ N 0.02² = 0.04) and the
/// others an order of magnitude worse.
///
/// # Example
/// ```
/// use elm_core::{Energy, reference::NonlinearRegression};
/// use rand::SeedableRng;
/// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(2);
/// let reg = NonlinearRegression::paper(&mut rng);
/// // At the generating parameters the loss is the noise energy, about 100 * 0.02^2.
/// let e = reg.energy(&NonlinearRegression::THETA_STAR);
/// assert!(e > 0.01 && e < 0.1);
/// ```
///
/// # References
/// A. J. Ballard et al., *Energy landscapes for machine learning*, PCCP 19, 12585 (2017)
/// (seed 002), Sec. IV, Eq. 8-10, Fig. 5-6, 10.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NonlinearRegression {
    x: Vec<f64>,
    t: Vec<f64>,
}

impl NonlinearRegression {
    /// The generating parameters `θ* = (0.1, 2.13, 0, 1.34, 0)` of seed 002 Eq. 9.
    pub const THETA_STAR: [f64; 5] = [0.1, 2.13, 0.0, 1.34, 0.0];

    /// The model `y(x; θ)` of Eq. 8.
    pub fn model(x: f64, theta: &[f64]) -> f64 {
        (-theta[0] * x).exp() * (theta[1] * x + theta[2]).sin() * (theta[3] * x + theta[4]).sin()
    }

    /// A dataset `(x_i, t_i)` given explicitly.
    ///
    /// # Errors
    /// [`Error::EmptyInput`], [`Error::DimensionMismatch`] if the lengths differ,
    /// [`Error::NonFinite`] for non-finite entries.
    pub fn new(x: Vec<f64>, t: Vec<f64>) -> Result<Self> {
        if x.is_empty() {
            return Err(Error::EmptyInput("regression data"));
        }
        check::dim("regression targets", x.len(), t.len())?;
        check::all_finite("regression inputs", &x)?;
        check::all_finite("regression targets", &t)?;
        Ok(Self { x, t })
    }

    /// Draws `points` inputs uniform on `[0, 3π]` and targets `y(x; theta) + N(0, noise^2)`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `points = 0` or `noise < 0`,
    /// [`Error::DimensionMismatch`] unless `theta` has 5 entries.
    pub fn sample<R: Rng + ?Sized>(points: usize, noise: f64, theta: &[f64], rng: &mut R) -> Result<Self> {
        check::at_least("points", points, 1)?;
        check::non_negative("noise", noise)?;
        check::dim("regression parameters", 5, theta.len())?;
        let normal = Normal::new(0.0, noise).map_err(|_| Error::invalid("noise", noise, "invalid sd"))?;
        let x: Vec<f64> = (0..points).map(|_| rng.random_range(0.0..3.0 * std::f64::consts::PI)).collect();
        let t = x.iter().map(|&xi| Self::model(xi, theta) + normal.sample(rng)).collect();
        Self::new(x, t)
    }

    /// The seed's dataset: 100 points, noise 0.02, `θ*` (drawn with `rng`).
    pub fn paper<R: Rng + ?Sized>(rng: &mut R) -> Self {
        Self::sample(100, 0.02, &Self::THETA_STAR, rng).expect("the paper's parameters are valid")
    }

    /// Inputs `x_i`.
    pub fn inputs(&self) -> &[f64] {
        &self.x
    }

    /// Targets `t_i`.
    pub fn targets(&self) -> &[f64] {
        &self.t
    }
}

impl Energy for NonlinearRegression {
    fn dim(&self) -> usize {
        5
    }
    fn energy(&self, theta: &[f64]) -> f64 {
        self.x.iter().zip(&self.t).map(|(&x, &t)| (t - Self::model(x, theta)).powi(2)).sum()
    }
}

impl Gradient for NonlinearRegression {
    fn energy_gradient(&self, th: &[f64], grad: &mut [f64]) -> f64 {
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut e = 0.0;
        for (&x, &t) in self.x.iter().zip(&self.t) {
            let decay = (-th[0] * x).exp();
            let (s2, c2) = (th[1] * x + th[2]).sin_cos();
            let (s4, c4) = (th[3] * x + th[4]).sin_cos();
            let y = decay * s2 * s4;
            let r = t - y;
            e += r * r;
            let dy = [-x * y, decay * x * c2 * s4, decay * c2 * s4, decay * s2 * x * c4, decay * s2 * c4];
            for (g, d) in grad.iter_mut().zip(dy) {
                *g -= 2.0 * r * d;
            }
        }
        e
    }
}
