//! Learning diagnostics over the training history (seed 001 Sec. 3.2.2, Fig. 3.3-3.4).

use crate::train::StepDiagnostics;

/// Auto- and cross-correlations of the energy difference `d_st` and the gradient magnitude
/// `r_st` over a window of learning iterations, normalized as in seed 001 Sec. 3.2.2: `d_st` is
/// **uncentered** and scaled to unit mean square (so the correlations measure its swings around
/// 0, the sign of expansion vs contraction), `r_st` is centered and scaled to unit variance:
///
/// ```text
/// d̃_s = d_s / sqrt(mean d²),   r̃_s = (r_s − mean r) / sd r,
/// ACF_d(k) = Σ_s d̃_s d̃_{s+k} / n,   ACF_r(k) = Σ_s r̃_s r̃_{s+k} / n,   C(k) = Σ_s d̃_s r̃_{s+k} / n.
/// ```
///
/// **Strong oscillation** (typical of non-convergent learning): `ACF_d` clearly negative at short
/// lags (expansion follows contraction within a few iterations). **Weak oscillation** (typical
/// of convergent learning): correlations near 0 at every non-zero lag. Both show `C(0) > 0`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LearningCorrelations {
    /// `ACF_d(k)`, `k = 0..=max_lag`.
    pub energy_difference_acf: Vec<f64>,
    /// `ACF_r(k)`, `k = 0..=max_lag`.
    pub gradient_magnitude_acf: Vec<f64>,
    /// `C(k)` for `k = -max_lag..=max_lag` (index `k + max_lag`): `C(k) > 0` for `k > 0` means a
    /// contraction (`d > 0`) is followed by steeper gradients `k` iterations later.
    pub cross_correlation: Vec<f64>,
    /// The largest lag.
    pub max_lag: usize,
    /// Iterations in the window.
    pub window: usize,
}

impl LearningCorrelations {
    /// The mean of `ACF_d(k)` over `k = 1..=lags`: clearly negative (below about −0.1) for strong
    /// oscillation, near 0 for weak oscillation.
    pub fn short_lag_energy_acf(&self, lags: usize) -> f64 {
        let k = lags.min(self.max_lag).max(1);
        self.energy_difference_acf[1..=k].iter().sum::<f64>() / k as f64
    }
}

/// The correlations of the training history from iteration `skip` on (to leave out the initial
/// transient), up to lag `max_lag` (the seed's plots: the last 2000 iterations, lag 15).
///
/// # Errors
/// `SeriesTooShort` (via `elm_mcmc`) if fewer than two iterations remain, `NonFinite` for a
/// non-finite diagnostic.
///
/// # Example
/// ```
/// use elm_ebm::{StepDiagnostics, learning_correlations};
/// // d_st flips sign every iteration: strong oscillation.
/// let history: Vec<StepDiagnostics> = (0..200)
///     .map(|t| StepDiagnostics { iteration: t, energy_difference: if t % 2 == 0 { 1.0 } else { -1.0 },
///         gradient_magnitude: 0.1 + 0.01 * (t % 3) as f64, learning_rate: 1e-3 })
///     .collect();
/// let c = learning_correlations(&history, 0, 10).unwrap();
/// assert!((c.energy_difference_acf[0] - 1.0).abs() < 1e-12);
/// assert!(c.energy_difference_acf[1] < -0.9);
/// ```
pub fn learning_correlations(
    history: &[StepDiagnostics],
    skip: usize,
    max_lag: usize,
) -> elm_mcmc::Result<LearningCorrelations> {
    let tail = &history[skip.min(history.len())..];
    let n = tail.len();
    if n < 2 {
        return Err(elm_mcmc::Error::SeriesTooShort { what: "learning correlations", length: n, needed: 2 });
    }
    let d: Vec<f64> = tail.iter().map(|s| s.energy_difference).collect();
    let r: Vec<f64> = tail.iter().map(|s| s.gradient_magnitude).collect();
    elm_core::check::all_finite("energy differences", &d)?;
    elm_core::check::all_finite("gradient magnitudes", &r)?;
    let rms = (d.iter().map(|x| x * x).sum::<f64>() / n as f64).sqrt();
    let d: Vec<f64> = d.iter().map(|x| if rms > 0.0 { x / rms } else { 0.0 }).collect();
    let mr = r.iter().sum::<f64>() / n as f64;
    let sr = (r.iter().map(|x| (x - mr).powi(2)).sum::<f64>() / n as f64).sqrt();
    let r: Vec<f64> = r.iter().map(|x| if sr > 0.0 { (x - mr) / sr } else { 0.0 }).collect();
    let max_lag = max_lag.min(n - 1);
    // Σ_s a_s b_{s+k} / n for k >= 0 (and b leading a for k < 0).
    let lagged = |a: &[f64], b: &[f64], k: isize| -> f64 {
        let (a, b, k) = if k >= 0 { (a, b, k as usize) } else { (b, a, (-k) as usize) };
        (0..n - k).map(|i| a[i] * b[i + k]).sum::<f64>() / n as f64
    };
    let m = max_lag as isize;
    Ok(LearningCorrelations {
        energy_difference_acf: (0..=m).map(|k| lagged(&d, &d, k)).collect(),
        gradient_magnitude_acf: (0..=m).map(|k| lagged(&r, &r, k)).collect(),
        cross_correlation: (-m..=m).map(|k| lagged(&d, &r, k)).collect(),
        max_lag,
        window: n,
    })
}
