//! The triatomic cluster of seed 002 Sec. III (Eq. 1) and the classification data set of its
//! Fig. 2-3: which of the four minima an L-BFGS minimization reaches from a random start.

use elm_core::{Energy, Gradient, Lbfgs, LocalMinimizer, TerminationReason, task_rng};
use rand::RngExt;
use rayon::prelude::*;

/// Three atoms with Lennard-Jones pairs and the Axilrod-Teller three-body term (seed 002 Eq. 1,
/// `ε = σ = 1`):
/// `V = 4 Σ_{i<j} (r_ij^-12 - r_ij^-6) + γ (1 + 3 cos θ1 cos θ2 cos θ3) / (r12 r13 r23)^3`.
/// With `γ = 2` the equilateral triangle (`V = -2.185`, bond 1.16875) competes with three linear
/// minima (`V = -2.219`, bonds 1.10876), one per choice of the centre atom.
#[derive(Debug, Clone, Copy)]
pub struct Triatomic {
    /// The three-body strength `γ`.
    pub gamma: f64,
}

impl Triatomic {
    /// The three distances `(r12, r13, r23)` of 9 Cartesian coordinates.
    pub fn distances(x: &[f64]) -> [f64; 3] {
        let d = |i: usize, j: usize| {
            ((x[3 * i] - x[3 * j]).powi(2)
                + (x[3 * i + 1] - x[3 * j + 1]).powi(2)
                + (x[3 * i + 2] - x[3 * j + 2]).powi(2))
            .sqrt()
        };
        [d(0, 1), d(0, 2), d(1, 2)]
    }

    /// The minimum a configuration is at: 0 for the triangle, `1 + c` for the linear minimum
    /// with atom `c` in the centre; `None` for anything else (a dissociated cluster).
    pub fn classify(&self, x: &[f64]) -> Option<usize> {
        let [r12, r13, r23] = Self::distances(x);
        let e = self.energy(x);
        let longest = r12.max(r13).max(r23);
        if (e + 2.185).abs() < 0.01 && longest < 1.3 {
            Some(0)
        } else if (e + 2.219).abs() < 0.01 && longest > 2.0 {
            // The centre atom is the one outside the longest pair.
            Some(
                1 + if longest == r23 {
                    0
                } else if longest == r13 {
                    1
                } else {
                    2
                },
            )
        } else {
            None
        }
    }
}

impl Energy for Triatomic {
    fn dim(&self) -> usize {
        9
    }

    fn energy(&self, x: &[f64]) -> f64 {
        let [a, b, c] = Self::distances(x);
        let lj = |r: f64| 4.0 * (r.powi(-12) - r.powi(-6));
        // Angles at atoms 1, 2, 3 (opposite sides r23, r13, r12).
        let cos1 = (a * a + b * b - c * c) / (2.0 * a * b);
        let cos2 = (a * a + c * c - b * b) / (2.0 * a * c);
        let cos3 = (b * b + c * c - a * a) / (2.0 * b * c);
        lj(a) + lj(b) + lj(c) + self.gamma * (1.0 + 3.0 * cos1 * cos2 * cos3) / (a * b * c).powi(3)
    }
}

impl Gradient for Triatomic {
    /// Central differences (9 coordinates; accurate to ~1e-10, far below the quench tolerance).
    fn energy_gradient(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        crate::central_difference_gradient(|y| self.energy(y), x, 1e-6, grad)
    }
}

/// The seed's data set: `count` minimizations from coordinates uniform in a cube of side
/// `2√3`, quenched by L-BFGS to an RMS gradient below 1e-6; each kept example is the three
/// distances of the *initial* geometry and the minimum reached (starts that dissociate or do not
/// converge are dropped). Deterministic in `seed`.
pub fn quench_data(gamma: f64, count: usize, seed: u64) -> Vec<([f64; 3], usize)> {
    let cluster = Triatomic { gamma };
    let side = 2.0 * 3f64.sqrt();
    let lbfgs = Lbfgs::default().with_gradient_tolerance(1e-6).with_max_iterations(5000);
    (0..count)
        .into_par_iter()
        .filter_map(|k| {
            let mut rng = task_rng(seed, k as u64, 0, 0);
            let mut x: Vec<f64> = (0..9).map(|_| rng.random_range(0.0..side)).collect();
            let start = Triatomic::distances(&x);
            let r = lbfgs.minimize(&cluster, &mut x).ok()?;
            (r.reason == TerminationReason::Converged).then_some(())?;
            cluster.classify(&x).map(|c| (start, c))
        })
        .collect()
}
