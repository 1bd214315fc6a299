//! Chain diagnostics: autocorrelation, integrated autocorrelation time, effective sample size.

use crate::error::{Error, Result};
use rustfft::FftPlanner;
use rustfft::num_complex::Complex;

/// The normalized autocorrelation function `ρ(0..=max_lag)` of a series,
///
/// $$ \rho(t) = \frac{\sum_{i=1}^{n-t} (x_i - \bar x)(x_{i+t} - \bar x)}{\sum_{i=1}^{n} (x_i - \bar x)^2}, $$
///
/// computed by FFT in `O(n log n)` (zero-padded to avoid circular wrap-around). A constant series
/// has `ρ(0) = 1` and `ρ(t > 0) = 0` by convention.
///
/// # Errors
/// [`Error::SeriesTooShort`] for fewer than 2 points; non-finite entries give
/// [`elm_core::Error::NonFinite`].
///
/// # Example
/// ```
/// let acf = elm_mcmc::diagnostics::autocorrelation(&[1.0, -1.0, 1.0, -1.0, 1.0, -1.0], 2).unwrap();
/// assert!((acf[0] - 1.0).abs() < 1e-12);
/// assert!(acf[1] < -0.8); // alternating series
/// ```
pub fn autocorrelation(series: &[f64], max_lag: usize) -> Result<Vec<f64>> {
    let n = series.len();
    if n < 2 {
        return Err(Error::SeriesTooShort { what: "autocorrelation", length: n, needed: 2 });
    }
    elm_core::check::all_finite("autocorrelation series", series)?;
    let max_lag = max_lag.min(n - 1);
    let mean = series.iter().sum::<f64>() / n as f64;
    let size = (2 * n).next_power_of_two();
    let mut buf: Vec<Complex<f64>> = series.iter().map(|x| Complex::new(x - mean, 0.0)).collect();
    buf.resize(size, Complex::new(0.0, 0.0));
    let mut planner = FftPlanner::new();
    planner.plan_fft_forward(size).process(&mut buf);
    buf.iter_mut().for_each(|c| *c = Complex::new(c.norm_sqr(), 0.0));
    planner.plan_fft_inverse(size).process(&mut buf);
    let c0 = buf[0].re;
    if c0 <= 0.0 {
        let mut acf = vec![0.0; max_lag + 1];
        acf[0] = 1.0;
        return Ok(acf);
    }
    Ok(buf[..=max_lag].iter().map(|c| c.re / c0).collect())
}

/// Integrated autocorrelation time `τ = 1 + 2 Σ_{t=1}^{M} ρ(t)` with Sokal's automatic window:
/// the smallest `M` with `M >= c τ(M)`, `c = 5`.
///
/// `τ` is the number of correlated draws worth one independent draw (1 for an i.i.d. series).
///
/// # Errors
/// As [`autocorrelation`].
///
/// # Example
/// ```
/// use rand::{RngExt, SeedableRng};
/// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
/// // AR(1) with coefficient 0.9 has tau = (1 + 0.9) / (1 - 0.9) = 19.
/// let mut x = 0.0;
/// let series: Vec<f64> = (0..200_000).map(|_| { x = 0.9 * x + rng.random::<f64>() - 0.5; x }).collect();
/// let tau = elm_mcmc::diagnostics::integrated_autocorrelation_time(&series).unwrap();
/// assert!((tau - 19.0).abs() < 2.0);
/// ```
///
/// # References
/// A. D. Sokal, *Monte Carlo methods in statistical mechanics: foundations and new
/// algorithms* (1996), Sec. 3.
pub fn integrated_autocorrelation_time(series: &[f64]) -> Result<f64> {
    const WINDOW_C: f64 = 5.0;
    let acf = autocorrelation(series, series.len() - 1)?;
    let mut tau = 1.0;
    for (m, rho) in acf.iter().enumerate().skip(1) {
        tau += 2.0 * rho;
        if m as f64 >= WINDOW_C * tau {
            break;
        }
    }
    Ok(tau.max(1.0 / series.len() as f64))
}

/// Effective sample size `n / τ`.
///
/// # Errors
/// As [`autocorrelation`].
pub fn effective_sample_size(series: &[f64]) -> Result<f64> {
    Ok(series.len() as f64 / integrated_autocorrelation_time(series)?)
}

/// Mean and (population) variance of a series.
///
/// # Errors
/// [`Error::SeriesTooShort`] for an empty series.
pub fn mean_variance(series: &[f64]) -> Result<(f64, f64)> {
    if series.is_empty() {
        return Err(Error::SeriesTooShort { what: "mean", length: 0, needed: 1 });
    }
    let n = series.len() as f64;
    let mean = series.iter().sum::<f64>() / n;
    let var = series.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
    Ok((mean, var))
}
