//! Hybrid eigenvector-following: transition states in thousands of dimensions, from gradients
//! only (seed 002 Sec. II).

use crate::error::Result;
use crate::hessian::lanczos_ritz;
use elm_core::{Gradient, TerminationReason, check};

/// Refines a point near a first-order saddle without forming the Hessian (Munro & Wales 1999,
/// the "hybrid eigenvector-following" of seed 002 Sec. II). Each iteration
///
/// 1. finds the lowest Hessian eigenpair `(λ₀, v)` by `lanczos_steps` Lanczos steps on
///    finite-difference Hessian-vector products `Hu ≈ (∇E(x + hu) − ∇E(x))/h`, started from the
///    previous `v` (or from `direction`, e.g. a band's tangent at its highest image);
/// 2. steps *uphill* along `v` by the partitioned rational-function step
///    `h₀ = F₀ / (μ − λ₀)`, `μ = λ₀/2 + √(λ₀²/4 + F₀²)`, `F₀ = v·∇E`, at most `max_step` long;
/// 3. minimizes in the space orthogonal to `v` with `tangent_steps` steps of L-BFGS on the
///    projected gradient, each with a backtracking line search, each at most `max_step` long.
///
/// It stops when the RMS gradient is at most `gradient_tolerance` at a point where `λ₀ < 0`.
/// The cost per iteration is about `lanczos_steps + 2 · tangent_steps` gradients, independent
/// of the dimension — against `2d` gradients and an `O(d³)` eigen-decomposition for
/// [`crate::SaddleRefinement`], which is the better choice below a few tens of dimensions.
/// The report's `index` counts the negative values among the `index_probe` smallest Ritz values
/// at the end (so an index of `index_probe` means "at least").
///
/// # Example
/// ```
/// use elm_core::reference::MullerBrown;
/// use elm_paths::HybridEigenvectorFollowing;
/// let r = HybridEigenvectorFollowing::default().refine(&MullerBrown::new(), &[0.2, 0.3], None).unwrap();
/// assert_eq!(r.index, 1);
/// assert!((r.energy - MullerBrown::SADDLES[1].0).abs() < 1e-6, "{}", r.energy);
/// ```
///
/// # References
/// L. J. Munro, D. J. Wales, Phys. Rev. B 59, 3969 (1999); Y. Kumeda, L. J. Munro, D. J. Wales,
/// Chem. Phys. Lett. 341, 185 (2001); seed 002 Sec. II.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HybridEigenvectorFollowing {
    /// Convergence threshold on the RMS gradient (default 1e-7).
    pub gradient_tolerance: f64,
    /// Iteration cap (default 500).
    pub max_iterations: usize,
    /// Largest uphill step and largest tangent-space step (default 0.05).
    pub max_step: f64,
    /// Lanczos steps per eigenvector update (default 20).
    pub lanczos_steps: usize,
    /// L-BFGS steps in the tangent space per iteration (default 10).
    pub tangent_steps: usize,
    /// Finite-difference step of the Hessian-vector products (default 1e-5).
    pub hessian_step: f64,
    /// Smallest Ritz values examined for the final index (default 3).
    pub index_probe: usize,
    /// Eigenvalues with `|λ| <` this count as zero modes in the index (default 1e-6).
    pub zero_tolerance: f64,
}

impl Default for HybridEigenvectorFollowing {
    fn default() -> Self {
        Self {
            gradient_tolerance: 1e-7,
            max_iterations: 500,
            max_step: 0.05,
            lanczos_steps: 20,
            tangent_steps: 10,
            hessian_step: 1e-5,
            index_probe: 3,
            zero_tolerance: 1e-6,
        }
    }
}

/// The outcome of a hybrid eigenvector-following refinement.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HybridReport {
    /// The refined point.
    pub x: Vec<f64>,
    /// Its energy.
    pub energy: f64,
    /// RMS gradient there.
    pub rms_gradient: f64,
    /// The smallest Ritz values there (ascending, `index_probe` of them at most).
    pub lowest_eigenvalues: Vec<f64>,
    /// The unit eigenvector of the lowest one (the reaction coordinate of a transition state).
    pub mode: Vec<f64>,
    /// Number of `lowest_eigenvalues` below `-zero_tolerance` (1 for a transition state).
    pub index: usize,
    /// Iterations.
    pub iterations: usize,
    /// Energy-and-gradient evaluations.
    pub evaluations: usize,
    /// Why it stopped.
    pub reason: TerminationReason,
}

impl HybridEigenvectorFollowing {
    /// Checks the parameters.
    ///
    /// # Errors
    /// `InvalidParameter` for non-positive tolerances or steps, or zero counts.
    pub fn validate(&self) -> Result<()> {
        check::positive("gradient_tolerance", self.gradient_tolerance)?;
        check::at_least("max_iterations", self.max_iterations, 1)?;
        check::positive("max_step", self.max_step)?;
        check::at_least("lanczos_steps", self.lanczos_steps, 2)?;
        check::positive("hessian_step", self.hessian_step)?;
        check::at_least("index_probe", self.index_probe, 1)?;
        check::non_negative("zero_tolerance", self.zero_tolerance)?;
        Ok(())
    }

    /// Refines from `x0`; `direction` (any length-`d` vector, e.g. the band's tangent) starts
    /// the first eigenvector search.
    ///
    /// # Errors
    /// Invalid parameters, dimension mismatches, a non-finite start, energy or gradient.
    pub fn refine<E: Gradient + ?Sized>(
        &self,
        energy: &E,
        x0: &[f64],
        direction: Option<&[f64]>,
    ) -> Result<HybridReport> {
        self.validate()?;
        let d = energy.dim();
        check::dim("saddle start", d, x0.len())?;
        check::all_finite("saddle start", x0)?;
        let mut x = x0.to_vec();
        let mut g = vec![0.0; d];
        let mut e = energy.energy_gradient(&x, &mut g);
        let mut evaluations = 1;
        if !e.is_finite() || !g.iter().all(|v| v.is_finite()) {
            return Err(elm_core::Error::NonFinite("energy or gradient at the saddle start").into());
        }
        let mut v: Vec<f64> = match direction {
            Some(dir) => {
                check::dim("saddle start direction", d, dir.len())?;
                dir.to_vec()
            }
            None => (0..d).map(|k| 1.0 + ((k as f64 + 1.0) * 0.618_033_988_75).fract()).collect(),
        };
        if !v.iter().all(|a| a.is_finite()) || v.iter().all(|&a| a == 0.0) {
            v = (0..d).map(|k| 1.0 + ((k as f64 + 1.0) * 0.618_033_988_75).fract()).collect();
        }
        let mut reason = TerminationReason::MaxIterations;
        let mut iterations = self.max_iterations;
        let mut scratch = vec![0.0; d];
        let mut lowest = Vec::new();
        // Inverse-curvature scale of the tangent-space steps, carried between iterations.
        let mut gamma = f64::NAN;
        for it in 0..self.max_iterations {
            // 1. Lowest eigenpair at x.
            let (values, vectors) = self.lowest_mode(energy, &x, &g, &v, &mut scratch, &mut evaluations);
            if !values.iter().all(|l| l.is_finite()) {
                return Err(elm_core::Error::NonFinite("Hessian-vector product during saddle refinement").into());
            }
            v.clone_from(&vectors[0]);
            let lambda = values[0];
            lowest = values.iter().copied().take(self.index_probe).collect();
            let rms = rms(&g);
            if rms <= self.gradient_tolerance && lambda < 0.0 {
                reason = TerminationReason::Converged;
                iterations = it;
                break;
            }
            // 2. Uphill along v.
            let f0 = dot(&v, &g);
            let mu = lambda / 2.0 + (lambda * lambda / 4.0 + f0 * f0).sqrt();
            let h0 = if mu - lambda > 0.0 { f0 / (mu - lambda) } else { 0.0 };
            let h0 = h0.clamp(-self.max_step, self.max_step);
            x.iter_mut().zip(&v).for_each(|(xi, vi)| *xi += h0 * vi);
            e = energy.energy_gradient(&x, &mut g);
            evaluations += 1;
            if !e.is_finite() || !g.iter().all(|a| a.is_finite()) {
                return Err(elm_core::Error::NonFinite("energy or gradient during saddle refinement").into());
            }
            // 3. Minimize in the space orthogonal to v (projected L-BFGS, memory 5).
            let (fresh, e_new) = self.tangent_minimization(energy, &mut x, &mut g, e, &v, &mut gamma)?;
            evaluations += fresh;
            e = e_new;
        }
        if reason != TerminationReason::Converged {
            // The loop's last eigenpair belongs to the point before its last steps: take the
            // final point's own.
            let (values, vectors) = self.lowest_mode(energy, &x, &g, &v, &mut scratch, &mut evaluations);
            v.clone_from(&vectors[0]);
            lowest = values.iter().copied().take(self.index_probe).collect();
        }
        let rms_gradient = rms(&g);
        let index = lowest.iter().filter(|&&l| l < -self.zero_tolerance).count();
        Ok(HybridReport {
            x,
            energy: e,
            rms_gradient,
            lowest_eigenvalues: lowest,
            mode: v,
            index,
            iterations,
            evaluations,
            reason,
        })
    }

    /// Lanczos on forward-difference Hessian-vector products at `x` (gradient `g`), started
    /// from `v`: the Ritz values and the lowest Ritz vector.
    fn lowest_mode<E: Gradient + ?Sized>(
        &self,
        energy: &E,
        x: &[f64],
        g: &[f64],
        v: &[f64],
        scratch: &mut [f64],
        evaluations: &mut usize,
    ) -> (Vec<f64>, Vec<Vec<f64>>) {
        let h = self.hessian_step;
        lanczos_ritz(v, self.lanczos_steps, 1, |u, out| {
            let xp: Vec<f64> = x.iter().zip(u).map(|(a, b)| a + h * b).collect();
            energy.energy_gradient(&xp, scratch);
            *evaluations += 1;
            out.iter_mut().zip(scratch.iter()).zip(g).for_each(|((o, gp), g0)| *o = (gp - g0) / h);
        })
    }

    /// `tangent_steps` projected L-BFGS steps orthogonal to `v`; returns the evaluations used and
    /// the final energy (with `g` its gradient). `gamma` (the last `s·y / y·y`) scales the first
    /// step and is updated.
    fn tangent_minimization<E: Gradient + ?Sized>(
        &self,
        energy: &E,
        x: &mut [f64],
        g: &mut [f64],
        mut e: f64,
        v: &[f64],
        gamma: &mut f64,
    ) -> Result<(usize, f64)> {
        let project = |u: &mut [f64]| {
            let c = dot(u, v);
            u.iter_mut().zip(v).for_each(|(a, b)| *a -= c * b);
        };
        let mut evaluations = 0;
        let mut pg = g.to_vec();
        project(&mut pg);
        let (mut s_hist, mut y_hist): (Vec<Vec<f64>>, Vec<Vec<f64>>) = (Vec::new(), Vec::new());
        let mut trial = vec![0.0; x.len()];
        let mut g_trial = vec![0.0; x.len()];
        for _ in 0..self.tangent_steps {
            if rms(&pg) <= self.gradient_tolerance {
                break;
            }
            // Two-loop recursion on the projected gradient.
            let mut q = pg.clone();
            let mut alphas = Vec::with_capacity(s_hist.len());
            for (s, y) in s_hist.iter().zip(&y_hist).rev() {
                let a = dot(s, &q) / dot(y, s);
                q.iter_mut().zip(y).for_each(|(qi, yi)| *qi -= a * yi);
                alphas.push(a);
            }
            if let (Some(s), Some(y)) = (s_hist.last(), y_hist.last()) {
                *gamma = dot(s, y) / dot(y, y);
                q.iter_mut().for_each(|qi| *qi *= *gamma);
            } else if gamma.is_finite() && *gamma > 0.0 {
                q.iter_mut().for_each(|qi| *qi *= *gamma);
            } else {
                // The very first step: steepest descent, max_step / 10 long.
                let n = dot(&q, &q).sqrt();
                q.iter_mut().for_each(|qi| *qi *= 0.1 * self.max_step / n);
            }
            for ((s, y), a) in s_hist.iter().zip(&y_hist).zip(alphas.iter().rev()) {
                let b = dot(y, &q) / dot(y, s);
                q.iter_mut().zip(s).for_each(|(qi, si)| *qi += (a - b) * si);
            }
            project(&mut q);
            let mut dir: Vec<f64> = q.iter().map(|a| -a).collect();
            if dot(&dir, &pg) >= 0.0 {
                dir = pg.iter().map(|a| -a).collect();
                let n = dot(&dir, &dir).sqrt();
                dir.iter_mut().for_each(|a| *a *= 0.1 * self.max_step / n);
                s_hist.clear();
                y_hist.clear();
            }
            let len = dot(&dir, &dir).sqrt();
            if len > self.max_step {
                dir.iter_mut().for_each(|a| *a *= self.max_step / len);
            }
            // Backtracking (Armijo) along dir.
            let slope = dot(&dir, &pg);
            let mut t = 1.0;
            let mut accepted = false;
            for _ in 0..20 {
                trial.iter_mut().zip(x.iter()).zip(&dir).for_each(|((tr, xi), di)| *tr = xi + t * di);
                let et = energy.energy_gradient(&trial, &mut g_trial);
                evaluations += 1;
                // Armijo, or — where the energy change is below its rounding — a smaller
                // projected gradient.
                let flat = (et - e).abs() <= 1e-12 * (1.0 + e.abs()) && {
                    let c = dot(&g_trial, v);
                    g_trial.iter().zip(v).map(|(a, b)| (a - c * b).powi(2)).sum::<f64>() < dot(&pg, &pg)
                };
                if et.is_finite() && (et <= e + 1e-4 * t * slope || flat) {
                    accepted = true;
                    let mut s: Vec<f64> = trial.iter().zip(x.iter()).map(|(a, b)| a - b).collect();
                    let mut pg_new = g_trial.clone();
                    project(&mut pg_new);
                    let mut y: Vec<f64> = pg_new.iter().zip(&pg).map(|(a, b)| a - b).collect();
                    project(&mut s);
                    project(&mut y);
                    if dot(&s, &y) > 1e-12 * dot(&s, &s).sqrt() * dot(&y, &y).sqrt() {
                        s_hist.push(s);
                        y_hist.push(y);
                        if s_hist.len() > 5 {
                            s_hist.remove(0);
                            y_hist.remove(0);
                        }
                    }
                    x.copy_from_slice(&trial);
                    g.copy_from_slice(&g_trial);
                    e = et;
                    pg = pg_new;
                    break;
                }
                t *= 0.5;
            }
            if !accepted {
                break;
            }
        }
        Ok((evaluations, e))
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn rms(g: &[f64]) -> f64 {
    if g.is_empty() { 0.0 } else { (dot(g, g) / g.len() as f64).sqrt() }
}
