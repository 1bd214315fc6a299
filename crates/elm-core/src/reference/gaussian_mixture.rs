use crate::energy::{Energy, Gradient};
use crate::error::{Error, Result, check};
use rand::Rng;
use rand_distr::{Distribution, Normal};

/// The loss landscape of a 1-D Gaussian mixture model over two free component means, the
/// other means held fixed (seed 000 Fig. 6):
///
/// $$ E(\theta_1, \theta_2) = -\frac{1}{n} \sum_{i=1}^{n} \log \sum_{k=1}^{K} \frac{1}{K}
///    \mathcal N(x_i \mid \mu_k, \sigma^2), \qquad \mu = (\theta_1, \theta_2, \mu_3, \dots, \mu_K), $$
///
/// the average negative log-likelihood of the data `x_1..x_n`, with equal weights and a
/// common known `σ`. Label switching makes it exactly symmetric, `E(a, b) = E(b, a)`, so every
/// minimum off the diagonal has a mirror twin; fixed components create further local minima
/// where a free mean duplicates a fixed one. Evaluated with log-sum-exp (stable far from data).
///
/// The seed gives only the picture; [`GaussianMixtureLandscape::four_clusters`] is the
/// instance our examples use: data in four clusters at -4.5, -1.5, 1.5, 4.5 (sd 0.5), a model
/// with `σ = 0.8` whose means 3 and 4 are fixed at 1.5 and 4.5. On `[-6, 6]^2` it has five
/// minima (seed 2019, 100 points per cluster): the global pair near `(-4.5, -1.5)` and its
/// mirror, a local pair near `(-3.1, 4.4)` where one free mean covers both left clusters and the
/// other doubles the fixed component at 4.5, and a high minimum near `(4.3, 4.3)`.
///
/// # Example
/// ```
/// use elm_core::{Energy, reference::GaussianMixtureLandscape};
/// use rand::SeedableRng;
/// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(6);
/// let gmm = GaussianMixtureLandscape::four_clusters(100, &mut rng).unwrap();
/// assert!((gmm.energy(&[-4.5, -1.5]) - gmm.energy(&[-1.5, -4.5])).abs() < 1e-12);
/// assert!(gmm.energy(&[-4.5, -1.5]) < gmm.energy(&[4.5, 4.5]));
/// ```
///
/// # References
/// Seed 000 Sec. 2.5, Fig. 6.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GaussianMixtureLandscape {
    data: Vec<f64>,
    fixed_means: Vec<f64>,
    sigma: f64,
}

impl GaussianMixtureLandscape {
    /// A landscape over the data `data`, fixed means `fixed_means` and common sd `sigma`.
    ///
    /// # Errors
    /// [`Error::EmptyInput`] for no data, [`Error::NonFinite`] for non-finite data or means,
    /// [`Error::InvalidParameter`] for `sigma <= 0`.
    pub fn new(data: Vec<f64>, fixed_means: Vec<f64>, sigma: f64) -> Result<Self> {
        if data.is_empty() {
            return Err(Error::EmptyInput("GMM data"));
        }
        check::all_finite("GMM data", &data)?;
        check::all_finite("GMM fixed means", &fixed_means)?;
        check::positive("sigma", sigma)?;
        Ok(Self { data, fixed_means, sigma })
    }

    /// The instance of our examples: `points_per_cluster` draws from each of `N(-4.5, 0.5^2)`,
    /// `N(-1.5, 0.5^2)`, `N(1.5, 0.5^2)`, `N(4.5, 0.5^2)`, modelled by a 4-component mixture with
    /// `σ = 0.8` whose last two means are fixed at 1.5 and 4.5. Global minima near `(-4.5, -1.5)`
    /// and `(-1.5, -4.5)`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `points_per_cluster = 0`.
    pub fn four_clusters<R: Rng + ?Sized>(points_per_cluster: usize, rng: &mut R) -> Result<Self> {
        check::at_least("points_per_cluster", points_per_cluster, 1)?;
        let mut data = Vec::with_capacity(4 * points_per_cluster);
        for mean in [-4.5, -1.5, 1.5, 4.5] {
            let normal = Normal::new(mean, 0.5).expect("valid normal");
            data.extend((0..points_per_cluster).map(|_| normal.sample(rng)));
        }
        Self::new(data, vec![1.5, 4.5], 0.8)
    }

    /// The data points.
    pub fn data(&self) -> &[f64] {
        &self.data
    }

    /// Log responsibilities' normaliser and, optionally, the gradient contribution.
    fn evaluate(&self, theta: &[f64], mut grad: Option<&mut [f64]>) -> f64 {
        let k = 2 + self.fixed_means.len();
        let inv2s2 = 0.5 / (self.sigma * self.sigma);
        let log_norm = -(k as f64).ln() - 0.5 * (2.0 * std::f64::consts::PI).ln() - self.sigma.ln();
        let mut total = 0.0;
        if let Some(g) = grad.as_deref_mut() {
            g.iter_mut().for_each(|v| *v = 0.0);
        }
        let means = |j: usize| if j < 2 { theta[j] } else { self.fixed_means[j - 2] };
        for &x in &self.data {
            let m = (0..k).map(|j| -inv2s2 * (x - means(j)).powi(2)).fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = (0..k).map(|j| (-inv2s2 * (x - means(j)).powi(2) - m).exp()).sum();
            let lse = m + sum.ln();
            total -= lse + log_norm;
            if let Some(g) = grad.as_deref_mut() {
                for j in 0..2 {
                    let r = (-inv2s2 * (x - theta[j]).powi(2) - lse).exp();
                    g[j] -= r * (x - theta[j]) * 2.0 * inv2s2;
                }
            }
        }
        let n = self.data.len() as f64;
        if let Some(g) = grad {
            g.iter_mut().for_each(|v| *v /= n);
        }
        total / n
    }
}

impl Energy for GaussianMixtureLandscape {
    fn dim(&self) -> usize {
        2
    }
    fn energy(&self, theta: &[f64]) -> f64 {
        self.evaluate(theta, None)
    }
}

impl Gradient for GaussianMixtureLandscape {
    fn energy_gradient(&self, theta: &[f64], grad: &mut [f64]) -> f64 {
        self.evaluate(theta, Some(grad))
    }
}
