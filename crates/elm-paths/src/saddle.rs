//! Refining a transition state and checking its index.

use crate::error::Result;
use crate::hessian::{finite_difference_hessian, symmetric_eigen};
use elm_core::{Gradient, TerminationReason, check};

/// Refines a point near a first-order saddle (the highest image of a band) by eigenvector
/// following in the partitioned rational-function form (Cerjan & Miller 1981; Baker 1986):
/// in the eigenbasis `(λ_i, v_i)` of the Hessian with gradient components `F_i = v_i·∇E`,
///
/// $$ h_0 = \frac{F_0}{\mu_{\max} - \lambda_0}, \quad \mu_{\max} = \tfrac{\lambda_0}{2} + \sqrt{\tfrac{\lambda_0^2}{4} + F_0^2}; \qquad
///    h_i = -\frac{F_i}{\lambda_i - \mu_{\min}}, \quad \mu_{\min} = \tfrac{\lambda_1}{2} - \sqrt{\tfrac{\lambda_1^2}{4} + \sum_{i \ge 1} F_i^2} , $$
///
/// which walks uphill along the lowest mode and downhill along all others; the step is capped
/// at `max_step`. The Hessian is re-evaluated by finite differences at every step (fine for
/// the tens of dimensions of the seeds' examples). Converges on the RMS gradient and reports the
/// Hessian index (number of negative eigenvalues) of the final point.
///
/// # Example
/// ```
/// use elm_core::reference::MullerBrown;
/// use elm_paths::SaddleRefinement;
/// let r = SaddleRefinement::default().refine(&MullerBrown::new(), &[0.2, 0.3]).unwrap();
/// assert_eq!(r.index, 1);
/// assert!((r.energy - MullerBrown::SADDLES[1].0).abs() < 1e-8);
/// ```
///
/// # References
/// C. J. Cerjan, W. H. Miller, J. Chem. Phys. 75, 2800 (1981); J. Baker, J. Comput. Chem. 7, 385
/// (1986); L. J. Munro, D. J. Wales, Phys. Rev. B 59, 3969 (1999) (hybrid EF, seed 002 Sec. II).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SaddleRefinement {
    /// Convergence threshold on the RMS gradient (default 1e-9).
    pub gradient_tolerance: f64,
    /// Iteration cap (default 500).
    pub max_iterations: usize,
    /// Largest step length (default 0.05).
    pub max_step: f64,
    /// Finite-difference step of the Hessian (default 1e-5).
    pub hessian_step: f64,
    /// Eigenvalues with `|λ| <` this count as zero modes when computing the index (default 1e-6).
    pub zero_tolerance: f64,
}

impl Default for SaddleRefinement {
    fn default() -> Self {
        Self { gradient_tolerance: 1e-9, max_iterations: 500, max_step: 0.05, hessian_step: 1e-5, zero_tolerance: 1e-6 }
    }
}

/// The outcome of a saddle refinement.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SaddleReport {
    /// The refined point.
    pub x: Vec<f64>,
    /// Its energy.
    pub energy: f64,
    /// RMS gradient there.
    pub rms_gradient: f64,
    /// Hessian eigenvalues there, ascending.
    pub eigenvalues: Vec<f64>,
    /// Number of eigenvalues below `-zero_tolerance` (1 for a transition state).
    pub index: usize,
    /// Iterations.
    pub iterations: usize,
    /// Why it stopped.
    pub reason: TerminationReason,
}

impl SaddleRefinement {
    /// Checks the parameters.
    ///
    /// # Errors
    /// `InvalidParameter` for non-positive tolerances, steps or cap.
    pub fn validate(&self) -> Result<()> {
        check::positive("gradient_tolerance", self.gradient_tolerance)?;
        check::at_least("max_iterations", self.max_iterations, 1)?;
        check::positive("max_step", self.max_step)?;
        check::positive("hessian_step", self.hessian_step)?;
        check::non_negative("zero_tolerance", self.zero_tolerance)?;
        Ok(())
    }

    /// Refines from `x0`.
    ///
    /// # Errors
    /// Invalid parameters, dimension mismatch, non-finite energies or Hessians.
    pub fn refine<E: Gradient + ?Sized>(&self, energy: &E, x0: &[f64]) -> Result<SaddleReport> {
        self.validate()?;
        let d = energy.dim();
        check::dim("saddle start", d, x0.len())?;
        check::all_finite("saddle start", x0)?;
        let mut x = x0.to_vec();
        let mut g = vec![0.0; d];
        let mut reason = TerminationReason::MaxIterations;
        let mut iterations = self.max_iterations;
        for it in 0..self.max_iterations {
            energy.energy_gradient(&x, &mut g);
            check::all_finite("gradient during saddle refinement", &g)?;
            let rms = (g.iter().map(|v| v * v).sum::<f64>() / d as f64).sqrt();
            if rms <= self.gradient_tolerance {
                reason = TerminationReason::Converged;
                iterations = it;
                break;
            }
            let h = finite_difference_hessian(energy, &x, self.hessian_step)?;
            let (values, vectors) = symmetric_eigen(&h, d)?;
            let f: Vec<f64> = vectors.iter().map(|v| v.iter().zip(&g).map(|(a, b)| a * b).sum()).collect();
            let mut step = vec![0.0; d];
            let mu_max = values[0] / 2.0 + (values[0] * values[0] / 4.0 + f[0] * f[0]).sqrt();
            let h0 = if mu_max - values[0] > 0.0 { f[0] / (mu_max - values[0]) } else { 0.0 };
            step.iter_mut().zip(&vectors[0]).for_each(|(s, v)| *s += h0 * v);
            if d > 1 {
                let rest: f64 = f[1..].iter().map(|v| v * v).sum();
                let mu_min = values[1] / 2.0 - (values[1] * values[1] / 4.0 + rest).sqrt();
                for k in 1..d {
                    let denom = values[k] - mu_min;
                    if denom > 0.0 {
                        let hk = -f[k] / denom;
                        step.iter_mut().zip(&vectors[k]).for_each(|(s, v)| *s += hk * v);
                    }
                }
            }
            let len = step.iter().map(|s| s * s).sum::<f64>().sqrt();
            let scale = if len > self.max_step { self.max_step / len } else { 1.0 };
            x.iter_mut().zip(&step).for_each(|(xi, s)| *xi += scale * s);
        }
        let e = energy.energy_gradient(&x, &mut g);
        let rms_gradient = (g.iter().map(|v| v * v).sum::<f64>() / d as f64).sqrt();
        let (eigenvalues, _) = symmetric_eigen(&finite_difference_hessian(energy, &x, self.hessian_step)?, d)?;
        let index = eigenvalues.iter().filter(|&&l| l < -self.zero_tolerance).count();
        Ok(SaddleReport { x, energy: e, rms_gradient, eigenvalues, index, iterations, reason })
    }
}
