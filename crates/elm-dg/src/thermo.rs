//! Harmonic superposition thermodynamics (seed 002 Eq. 5).

use crate::error::Result;
use elm_core::check;

/// Thermodynamics of a landscape in the harmonic superposition approximation (seed 002
/// Eq. 5): the partition function is a sum over minima `a` of harmonic wells,
///
/// $$ Z(T) = \sum_a e^{-\beta E_a} \Big(\frac{2\pi}{\beta}\Big)^{k_a/2} \prod_{i=1}^{k_a} \mu_a(i)^{-1/2},
///    \qquad \beta = 1/T \ (k_B = 1), $$
///
/// with `μ_a(i)` the `k_a` non-zero Hessian eigenvalues at minimum `a`. Writing
/// `ε_a = E_a + k_a T / 2` and `p_a = Z_a / Z`, the internal energy is `U = Σ_a p_a ε_a` and the
/// heat capacity
///
/// $$ C_V = \frac{1}{T^2}\frac{\partial^2 \ln Z}{\partial \beta^2} = \frac{\mathrm{Var}_p(\varepsilon)}{T^2} + \sum_a p_a \frac{k_a}{2}, $$
///
/// so one well gives `C_V = k/2` and two wells the two-state (Schottky) peak. Everything is
/// computed with log-sum-exp, stable at any temperature. Partial sums over the lowest `m`
/// minima ([`HarmonicSuperposition::lowest`]) attribute `C_V` peaks to minima (seed 002 Fig. 3).
///
/// # Example
/// ```
/// use elm_dg::HarmonicSuperposition;
/// // One well with 3 non-zero eigenvalues: C_V = 3/2 at every temperature.
/// let h = HarmonicSuperposition::new(&[0.0], &[vec![1.0, 2.0, 3.0]], 1e-8).unwrap();
/// assert!((h.heat_capacity(0.7).unwrap() - 1.5).abs() < 1e-9);
/// ```
///
/// # References
/// Seed 002 Sec. III, Eq. 5, Fig. 3; D. J. Wales, *Energy Landscapes* (CUP 2003), Ch. 7.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HarmonicSuperposition {
    /// `(E_a, k_a, Σ_i ln μ_a(i))`, sorted by energy.
    minima: Vec<(f64, usize, f64)>,
}

impl HarmonicSuperposition {
    /// From minima energies and their Hessian eigenvalues; eigenvalues with `|μ| <= zero_tol`
    /// are the zero modes (translations, rotations, symmetries) and are left out.
    ///
    /// # Errors
    /// `EmptyInput` for no minima, `DimensionMismatch` unless one eigenvalue list per minimum,
    /// `NonFinite` values, `InvalidParameter` for a negative eigenvalue below `-zero_tol` (not a
    /// minimum) or a negative tolerance.
    pub fn new(energies: &[f64], eigenvalues: &[Vec<f64>], zero_tol: f64) -> Result<Self> {
        if energies.is_empty() {
            return Err(elm_core::Error::EmptyInput("minima energies").into());
        }
        check::dim("eigenvalue lists", energies.len(), eigenvalues.len())?;
        check::all_finite("minima energies", energies)?;
        check::non_negative("zero_tol", zero_tol)?;
        let mut minima = Vec::with_capacity(energies.len());
        for (&e, ev) in energies.iter().zip(eigenvalues) {
            check::all_finite("Hessian eigenvalues", ev)?;
            if let Some(&bad) = ev.iter().find(|&&m| m < -zero_tol) {
                return Err(elm_core::Error::invalid(
                    "eigenvalue",
                    bad,
                    "a minimum has no negative Hessian eigenvalue",
                )
                .into());
            }
            let nonzero: Vec<f64> = ev.iter().copied().filter(|&m| m > zero_tol).collect();
            minima.push((e, nonzero.len(), nonzero.iter().map(|m| m.ln()).sum()));
        }
        minima.sort_by(|a, b| a.0.total_cmp(&b.0));
        Ok(Self { minima })
    }

    /// The superposition over the lowest `m` minima only (partial sums of seed 002 Fig. 3).
    ///
    /// # Errors
    /// `InvalidParameter` for `m = 0`.
    pub fn lowest(&self, m: usize) -> Result<Self> {
        check::at_least("m", m, 1)?;
        Ok(Self { minima: self.minima[..m.min(self.minima.len())].to_vec() })
    }

    /// Number of minima.
    pub fn len(&self) -> usize {
        self.minima.len()
    }

    /// Always false (construction requires a minimum).
    pub fn is_empty(&self) -> bool {
        self.minima.is_empty()
    }

    /// `ln Z_a(T) + E_0 / T` per minimum (`E_0` the lowest energy): shifting by the ground
    /// state keeps every term finite or `-inf` at any `T`.
    fn shifted_log_terms(&self, t: f64) -> impl Iterator<Item = f64> + '_ {
        let log2pit = (2.0 * std::f64::consts::PI * t).ln();
        let e0 = self.minima[0].0;
        self.minima.iter().map(move |&(e, k, logdet)| -((e - e0) / t) + 0.5 * k as f64 * log2pit - 0.5 * logdet)
    }

    /// Occupation probabilities `p_a(T)` and `ln Z`, by log-sum-exp all the way (finite
    /// probabilities at any `T > 0`; `ln Z` may be infinite when `E_0 / T` is).
    fn occupations(&self, t: f64) -> Result<(Vec<f64>, f64)> {
        check::positive("temperature", t)?;
        let logs: Vec<f64> = self.shifted_log_terms(t).collect();
        let max = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let sum: f64 = logs.iter().map(|l| (l - max).exp()).sum();
        let shifted = max + sum.ln();
        let p = logs.iter().map(|l| (l - shifted).exp()).collect();
        Ok((p, shifted - self.minima[0].0 / t))
    }

    /// `ln Z(T)`.
    ///
    /// # Errors
    /// `InvalidParameter` for `T <= 0`.
    pub fn log_partition(&self, t: f64) -> Result<f64> {
        Ok(self.occupations(t)?.1)
    }

    /// Occupation probability of each minimum (in ascending energy order) at `T`.
    ///
    /// # Errors
    /// `InvalidParameter` for `T <= 0`.
    pub fn occupation(&self, t: f64) -> Result<Vec<f64>> {
        Ok(self.occupations(t)?.0)
    }

    /// Internal energy `U(T) = Σ_a p_a (E_a + k_a T / 2)`.
    ///
    /// # Errors
    /// `InvalidParameter` for `T <= 0`.
    pub fn internal_energy(&self, t: f64) -> Result<f64> {
        let (p, _) = self.occupations(t)?;
        Ok(p.iter().zip(&self.minima).map(|(p, &(e, k, _))| p * (e + 0.5 * k as f64 * t)).sum())
    }

    /// Heat capacity `C_V(T)` (`k_B = 1`).
    ///
    /// # Errors
    /// `InvalidParameter` for `T <= 0`.
    pub fn heat_capacity(&self, t: f64) -> Result<f64> {
        let (p, _) = self.occupations(t)?;
        // Var(ε)/T² computed as the variance of ε/T = (E - E_0)/T + k/2, skipping minima with
        // p = 0, so neither T² nor ε/T overflows at extreme temperatures.
        let e0 = self.minima[0].0;
        let u = |&(e, k, _): &(f64, usize, f64)| (e - e0) / t + 0.5 * k as f64;
        let terms = || p.iter().zip(&self.minima).filter(|(p, _)| **p > 0.0);
        let mean: f64 = terms().map(|(p, m)| p * u(m)).sum();
        let var: f64 = terms().map(|(p, m)| p * (u(m) - mean).powi(2)).sum();
        let kin: f64 = terms().map(|(p, &(_, k, _))| p * 0.5 * k as f64).sum();
        Ok(var + kin)
    }
}
