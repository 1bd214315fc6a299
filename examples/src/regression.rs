//! The non-linear regression landscape of seed 002 Sec. IV (Eq. 8-10), shared by
//! `regression_landscape` and `ml_heat_capacity`: its minima by basin-hopping, identified up to
//! the model's symmetries.

use elm_core::reference::NonlinearRegression;
use elm_core::{Lbfgs, SameMinimum};
use elm_paths::BasinHopping;
use rand::{Rng, RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

/// A minimum: canonical parameters and loss.
pub type Minimum = (Vec<f64>, f64);

/// The distinct minima (canonical parameters, loss), lowest first, found by `chains`
/// basin-hopping chains of `steps` steps (the first from `θ*`, the others from random starts
/// drawn from `rng`; chain `k` runs on a seed derived from `seed`). Minima with a loss of 100 or
/// more (exponentially growing fits) are left out.
///
/// # Errors
/// Basin-hopping errors.
pub fn regression_minima<R: Rng>(
    reg: &NonlinearRegression,
    chains: usize,
    steps: usize,
    rng: &mut R,
    seed: u64,
) -> Result<Vec<Minimum>, Box<dyn std::error::Error>> {
    let lbfgs = Lbfgs::default().with_gradient_tolerance(1e-10).with_max_iterations(20_000);
    let same = SameMinimum { distance: 1e-3, energy: 1e-7, hamming: 0 };
    let bh = BasinHopping { steps, step_size: 1.0, temperature: 1.0, same };
    let starts: Vec<Vec<f64>> = (0..chains)
        .map(|k| {
            if k == 0 {
                NonlinearRegression::THETA_STAR.to_vec()
            } else {
                vec![
                    rng.random_range(-0.1..0.4),
                    rng.random_range(0.0..3.0),
                    rng.random_range(-1.5..1.5),
                    rng.random_range(0.0..3.0),
                    rng.random_range(-1.5..1.5),
                ]
            }
        })
        .collect();
    let runs: Vec<_> = starts
        .par_iter()
        .enumerate()
        .map(|(k, x0)| {
            let mut r = Xoshiro256PlusPlus::seed_from_u64(seed ^ (k as u64 + 1));
            bh.run(&reg, &lbfgs, x0, &mut r)
        })
        .collect();
    let mut minima: Vec<(Vec<f64>, f64)> = Vec::new();
    for run in runs {
        for (x, e, _) in run?.minima {
            let x = canonical(&x);
            // Exponentially growing fits (theta1 < 0 far from the data scale) are not minima of interest.
            if e.is_finite() && e < 100.0 && !minima.iter().any(|m| same.continuous(&m.0, m.1, &x, e)) {
                minima.push((x, e));
            }
        }
    }
    minima.sort_by(|a, b| a.1.total_cmp(&b.1));
    Ok(minima)
}

/// A canonical representative of the parameter vectors that give the same model (Eq. 8):
/// `y = e^{-θ1 x} sin(θ2 x + θ3) sin(θ4 x + θ5)` is unchanged by negating a sine factor twice,
/// by `θ3 -> θ3 + π` together with `θ5 -> θ5 + π`, by `(θ2, θ3) -> (-θ2, -θ3)` with `θ5 -> θ5 + π`
/// (and the same for the second factor), by `2π` shifts, and by swapping the two factors. We
/// make `θ2, θ4 >= 0`, `θ3 ∈ [0, π)`, `θ5 ∈ [0, 2π)` and order the factors.
pub fn canonical(theta: &[f64]) -> Vec<f64> {
    use std::f64::consts::PI;
    let mut t = theta.to_vec();
    if t[1] < 0.0 {
        t[1] = -t[1];
        t[2] = -t[2];
        t[4] += PI;
    }
    if t[3] < 0.0 {
        t[3] = -t[3];
        t[4] = -t[4];
        t[2] += PI;
    }
    let k = (t[2] / PI).floor();
    t[2] -= k * PI;
    t[4] += k * PI;
    t[4] = t[4].rem_euclid(2.0 * PI);
    // Order the factors by frequency; swapping moves the pi-shifts between the phases.
    if t[3] < t[1] {
        let (a, b) = ((t[3], t[4]), (t[1], t[2]));
        t[1] = a.0;
        t[2] = a.1;
        t[3] = b.0;
        t[4] = b.1;
        let k = (t[2] / PI).floor();
        t[2] -= k * PI;
        t[4] = (t[4] + k * PI).rem_euclid(2.0 * PI);
    }
    t
}
