//! Learning diagnostics over the training history (seed 001 Sec. 3.2, Fig. 3.3-3.4).

use crate::train::StepDiagnostics;

/// Autocorrelations of `d_st` and `r_st` and their cross-correlation over `0..=max_lag`
/// iterations: strong, slowly decaying oscillation of `d_st` marks the expansion-contraction
/// cycles of convergent learning, weak oscillation the non-convergent regime (seed 001
/// Fig. 3.3-3.4).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LearningCorrelations {
    /// ACF of the energy difference `d_st`.
    pub energy_difference_acf: Vec<f64>,
    /// ACF of the gradient magnitude `r_st`.
    pub gradient_magnitude_acf: Vec<f64>,
    /// `corr(d_s, r_{s+k})` for `k = 0..=max_lag`.
    pub cross_correlation: Vec<f64>,
}

/// The correlations of a training history, from iteration `skip` on (to leave out the initial
/// transient).
///
/// # Errors
/// `SeriesTooShort` (via `elm_mcmc`) if fewer than two iterations remain.
///
/// # Example
/// ```
/// use elm_ebm::{StepDiagnostics, learning_correlations};
/// let history: Vec<StepDiagnostics> = (0..200)
///     .map(|t| StepDiagnostics { iteration: t, energy_difference: (t as f64 * 0.3).sin(),
///         gradient_magnitude: (t as f64 * 0.3).cos(), learning_rate: 1e-3 })
///     .collect();
/// let c = learning_correlations(&history, 0, 10).unwrap();
/// assert!((c.energy_difference_acf[0] - 1.0).abs() < 1e-12);
/// ```
pub fn learning_correlations(
    history: &[StepDiagnostics],
    skip: usize,
    max_lag: usize,
) -> elm_mcmc::Result<LearningCorrelations> {
    let tail = &history[skip.min(history.len())..];
    let d: Vec<f64> = tail.iter().map(|s| s.energy_difference).collect();
    let r: Vec<f64> = tail.iter().map(|s| s.gradient_magnitude).collect();
    let energy_difference_acf = elm_mcmc::diagnostics::autocorrelation(&d, max_lag)?;
    let gradient_magnitude_acf = elm_mcmc::diagnostics::autocorrelation(&r, max_lag)?;
    let n = d.len();
    let (md, mr) = (d.iter().sum::<f64>() / n as f64, r.iter().sum::<f64>() / n as f64);
    let (sd, sr) = (
        (d.iter().map(|x| (x - md).powi(2)).sum::<f64>()).sqrt(),
        (r.iter().map(|x| (x - mr).powi(2)).sum::<f64>()).sqrt(),
    );
    let cross_correlation = (0..=max_lag.min(n - 1))
        .map(|k| {
            if sd == 0.0 || sr == 0.0 {
                return 0.0;
            }
            (0..n - k).map(|i| (d[i] - md) * (r[i + k] - mr)).sum::<f64>() / (sd * sr)
        })
        .collect();
    Ok(LearningCorrelations { energy_difference_acf, gradient_magnitude_acf, cross_correlation })
}
