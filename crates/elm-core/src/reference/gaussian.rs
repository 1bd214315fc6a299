use crate::energy::{Energy, Gradient};
use crate::error::{Error, Result, check};

/// A multivariate Gaussian energy (negative log density up to a constant):
///
/// $$ E(x) = \tfrac12 (x - \mu)^\top P (x - \mu), \qquad P = \Sigma^{-1} , $$
///
/// whose Gibbs density `exp(-E)` is `N(μ, Σ)` and `exp(-E/T)` is `N(μ, T Σ)`. The exact target of
/// the samplers' correctness tests and of the HMC benchmark.
///
/// # Example
/// ```
/// use elm_core::{Energy, reference::Gaussian};
/// let g = Gaussian::from_covariance(vec![0.0, 0.0], &[1.0, 0.8, 0.8, 1.0]).unwrap();
/// // Precision of [[1, .8], [.8, 1]] is [[1, -.8], [-.8, 1]] / 0.36.
/// assert!((g.energy(&[1.0, 0.0]) - 0.5 / 0.36).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Gaussian {
    mean: Vec<f64>,
    /// Row-major precision matrix.
    precision: Vec<f64>,
}

impl Gaussian {
    /// A Gaussian with the given mean and row-major precision matrix `P` (symmetric positive
    /// definite).
    ///
    /// # Errors
    /// [`Error::EmptyInput`] for an empty mean, [`Error::DimensionMismatch`] if `P` is not
    /// `d x d`, [`Error::NonFinite`] for non-finite entries, [`Error::InvalidParameter`] if `P`
    /// is not symmetric positive definite.
    pub fn new(mean: Vec<f64>, precision: Vec<f64>) -> Result<Self> {
        let d = mean.len();
        if d == 0 {
            return Err(Error::EmptyInput("Gaussian mean"));
        }
        check::dim("precision matrix", d * d, precision.len())?;
        check::all_finite("Gaussian mean", &mean)?;
        check::all_finite("precision matrix", &precision)?;
        cholesky(&precision, d)?;
        Ok(Self { mean, precision })
    }

    /// `N(0, variance I_d)`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `d = 0` or `variance <= 0`.
    pub fn isotropic(d: usize, variance: f64) -> Result<Self> {
        check::at_least("d", d, 1)?;
        check::positive("variance", variance)?;
        let mut p = vec![0.0; d * d];
        (0..d).for_each(|i| p[i * d + i] = 1.0 / variance);
        Self::new(vec![0.0; d], p)
    }

    /// `N(mean, covariance)` from a row-major covariance matrix (inverted by Cholesky).
    ///
    /// # Errors
    /// As [`Gaussian::new`], for the covariance.
    pub fn from_covariance(mean: Vec<f64>, covariance: &[f64]) -> Result<Self> {
        let d = mean.len();
        if d == 0 {
            return Err(Error::EmptyInput("Gaussian mean"));
        }
        check::dim("covariance matrix", d * d, covariance.len())?;
        check::all_finite("covariance matrix", covariance)?;
        let l = cholesky(covariance, d)?;
        // Solve L L^T X = I column by column.
        let mut inv = vec![0.0; d * d];
        for c in 0..d {
            let mut y = vec![0.0; d];
            for i in 0..d {
                let rhs = if i == c { 1.0 } else { 0.0 };
                y[i] = (rhs - (0..i).map(|k| l[i * d + k] * y[k]).sum::<f64>()) / l[i * d + i];
            }
            for i in (0..d).rev() {
                let v = (y[i] - ((i + 1)..d).map(|k| l[k * d + i] * inv[k * d + c]).sum::<f64>()) / l[i * d + i];
                inv[i * d + c] = v;
            }
        }
        // Symmetrize rounding.
        for i in 0..d {
            for j in (i + 1)..d {
                let v = 0.5 * (inv[i * d + j] + inv[j * d + i]);
                inv[i * d + j] = v;
                inv[j * d + i] = v;
            }
        }
        Self::new(mean, inv)
    }

    /// The mean `μ`.
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    /// The row-major precision matrix `P`.
    pub fn precision(&self) -> &[f64] {
        &self.precision
    }
}

/// Lower Cholesky factor of a symmetric positive-definite row-major matrix.
fn cholesky(a: &[f64], d: usize) -> Result<Vec<f64>> {
    for i in 0..d {
        for j in (i + 1)..d {
            if (a[i * d + j] - a[j * d + i]).abs() > 1e-12 * (1.0 + a[i * d + j].abs()) {
                return Err(Error::invalid("matrix", format!("entry ({i}, {j})"), "must be symmetric"));
            }
        }
    }
    let mut l = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i * d + k] * l[j * d + k]).sum();
            if i == j {
                let v = a[i * d + i] - s;
                if v <= 0.0 {
                    return Err(Error::invalid("matrix", format!("pivot {i} = {v}"), "must be positive definite"));
                }
                l[i * d + i] = v.sqrt();
            } else {
                l[i * d + j] = (a[i * d + j] - s) / l[j * d + j];
            }
        }
    }
    Ok(l)
}

impl Energy for Gaussian {
    fn dim(&self) -> usize {
        self.mean.len()
    }
    fn energy(&self, x: &[f64]) -> f64 {
        let d = self.mean.len();
        let mut e = 0.0;
        for i in 0..d {
            let di = x[i] - self.mean[i];
            let row = &self.precision[i * d..(i + 1) * d];
            let pd: f64 = row.iter().zip(x.iter().zip(&self.mean)).map(|(p, (xj, mj))| p * (xj - mj)).sum();
            e += di * pd;
        }
        0.5 * e
    }
}

impl Gradient for Gaussian {
    fn energy_gradient(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let d = self.mean.len();
        let mut e = 0.0;
        for i in 0..d {
            let row = &self.precision[i * d..(i + 1) * d];
            let pd: f64 = row.iter().zip(x.iter().zip(&self.mean)).map(|(p, (xj, mj))| p * (xj - mj)).sum();
            grad[i] = pd;
            e += (x[i] - self.mean[i]) * pd;
        }
        0.5 * e
    }
}
