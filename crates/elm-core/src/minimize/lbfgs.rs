use super::{LocalMinimizer, MinimizeReport, TerminationReason, dot, rms, start};
use crate::energy::Gradient;
use crate::error::{Result, check};
use std::collections::VecDeque;

/// Relative energy rise accepted as rounding noise by the line search.
const ROUNDING_ALLOWANCE: f64 = 1e-13;

/// Limited-memory BFGS (Nocedal 1980; Liu & Nocedal 1989) with a backtracking Armijo line
/// search and a cap on the step length.
///
/// Each iteration builds the quasi-Newton direction `d = -H_k ∇E` by the two-loop recursion
/// over the last `memory` pairs `(s_i, y_i) = (x_{i+1} - x_i, ∇E_{i+1} - ∇E_i)`, with the
/// initial inverse Hessian `γ I`, `γ = s·y / y·y`. A direction that is not a descent
/// direction resets the memory to steepest descent; a step longer than `max_step` is scaled
/// down (as in pele's L-BFGS, which keeps quenches from jumping across basins); the step is then
/// halved until `E(x + t d) <= E(x) + c1 t ∇E·d` (NaN energies count as failures). Pairs with
/// `s·y <= 0` are not stored, which keeps `H_k` positive definite.
///
/// Converges when the RMS gradient `||∇E|| / sqrt(d) <= gradient_tolerance`. With
/// `energy_tolerance > 0` it also stops, as [`TerminationReason::Stalled`], when the energy fell
/// by less than `energy_tolerance · max(|E|, 1)` over the last ten iterations: the stopping rule
/// for energies whose gradient never gets small at a minimum — piecewise-smooth ones (a ReLU
/// network's output has a kink wherever a unit switches, and minima sit on kinks) and
/// single-precision ones (a network evaluated in `f32`). Without it such a run can spend up to
/// `max_iterations` iterations of up to `max_backtracks` evaluations each at the minimum.
///
/// # Example
/// ```
/// use elm_core::{LocalMinimizer, Lbfgs, reference::LennardJones};
/// let lj = LennardJones::new(3).unwrap();
/// // An equilateral-ish triangle relaxes to the LJ3 minimum, E = -3.
/// let mut x = [0.0, 0.0, 0.0, 1.2, 0.0, 0.0, 0.5, 1.0, 0.0];
/// let r = Lbfgs::default().with_gradient_tolerance(1e-8).minimize(&lj, &mut x).unwrap();
/// assert!((r.energy + 3.0).abs() < 1e-9);
/// ```
///
/// # References
/// D. C. Liu, J. Nocedal, *On the limited memory BFGS method for large scale optimization*,
/// Math. Prog. 45 (1989). Seed 002, Sec. II (L-BFGS quenches in basin-hopping).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Lbfgs {
    /// Number of stored correction pairs (default 10).
    pub memory: usize,
    /// Convergence threshold on the RMS gradient (default 1e-6).
    pub gradient_tolerance: f64,
    /// Iteration cap (default 10 000).
    pub max_iterations: usize,
    /// Largest Euclidean length of one step (default 0.5).
    pub max_step: f64,
    /// Armijo sufficient-decrease constant `c1` (default 1e-4).
    pub armijo: f64,
    /// Line-search halvings before giving up (default 40).
    pub max_backtracks: usize,
    /// Relative energy decrease over ten iterations below which the run counts as stalled
    /// (default 0: off).
    #[cfg_attr(feature = "serde", serde(default))]
    pub energy_tolerance: f64,
}

/// Iterations over which [`Lbfgs::energy_tolerance`] measures progress.
const STALL_WINDOW: usize = 10;

impl Default for Lbfgs {
    fn default() -> Self {
        Self {
            memory: 10,
            gradient_tolerance: 1e-6,
            max_iterations: 10_000,
            max_step: 0.5,
            armijo: 1e-4,
            max_backtracks: 40,
            energy_tolerance: 0.0,
        }
    }
}

impl Lbfgs {
    /// Sets the number of stored correction pairs.
    #[must_use]
    pub fn with_memory(mut self, memory: usize) -> Self {
        self.memory = memory;
        self
    }

    /// Sets the RMS-gradient convergence threshold.
    #[must_use]
    pub fn with_gradient_tolerance(mut self, tol: f64) -> Self {
        self.gradient_tolerance = tol;
        self
    }

    /// Sets the iteration cap.
    #[must_use]
    pub fn with_max_iterations(mut self, n: usize) -> Self {
        self.max_iterations = n;
        self
    }

    /// Sets the relative energy decrease over ten iterations below which a run stops as
    /// [`TerminationReason::Stalled`] (0: never).
    ///
    /// ```
    /// use elm_core::{Energy, Gradient, Lbfgs, LocalMinimizer, TerminationReason};
    /// // A minimum on a kink, as a ReLU network's: E = Σ |v - 0.3| + v². The gradient jumps from
    /// // -0.4 to 1.6 there and never gets small, but the energy stops falling.
    /// struct Kinked;
    /// impl Energy for Kinked {
    ///     fn dim(&self) -> usize { 2 }
    ///     fn energy(&self, x: &[f64]) -> f64 { x.iter().map(|v| (v - 0.3).abs() + v * v).sum() }
    /// }
    /// impl Gradient for Kinked {
    ///     fn energy_gradient(&self, x: &[f64], g: &mut [f64]) -> f64 {
    ///         g.iter_mut().zip(x).for_each(|(g, v)| *g = (v - 0.3).signum() + 2.0 * v);
    ///         self.energy(x)
    ///     }
    /// }
    /// let mut x = [1.0, -0.7];
    /// let r = Lbfgs::default().with_energy_tolerance(1e-9).minimize(&Kinked, &mut x).unwrap();
    /// assert_eq!(r.reason, TerminationReason::Stalled);
    /// assert!((r.energy - 0.18).abs() < 1e-6 && r.iterations < 200, "{r:?}");
    /// // Without it the run never meets the gradient criterion.
    /// let mut x = [1.0, -0.7];
    /// let r = Lbfgs::default().minimize(&Kinked, &mut x).unwrap();
    /// assert_ne!(r.reason, TerminationReason::Converged);
    /// ```
    #[must_use]
    pub fn with_energy_tolerance(mut self, tol: f64) -> Self {
        self.energy_tolerance = tol;
        self
    }

    /// Sets the largest step length.
    #[must_use]
    pub fn with_max_step(mut self, step: f64) -> Self {
        self.max_step = step;
        self
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] for `memory = 0`, a non-positive tolerance or step,
    /// `max_iterations = 0`, or `armijo` outside `(0, 1)`.
    pub fn validate(&self) -> Result<()> {
        check::at_least("memory", self.memory, 1)?;
        check::positive("gradient_tolerance", self.gradient_tolerance)?;
        check::at_least("max_iterations", self.max_iterations, 1)?;
        check::positive("max_step", self.max_step)?;
        check::in_open("armijo", self.armijo, 0.0, 1.0)?;
        check::at_least("max_backtracks", self.max_backtracks, 1)?;
        check::non_negative("energy_tolerance", self.energy_tolerance)
    }
}

impl LocalMinimizer for Lbfgs {
    fn minimize<E: Gradient + ?Sized>(&self, energy: &E, x: &mut [f64]) -> Result<MinimizeReport> {
        self.validate()?;
        let n = x.len();
        let mut g = vec![0.0; n];
        let mut e = start(energy, x, &mut g)?;
        let mut evaluations = 1;
        let mut d = vec![0.0; n];
        let mut x_new = vec![0.0; n];
        let mut g_new = vec![0.0; n];
        let mut s_buf = vec![0.0; n];
        let mut y_buf = vec![0.0; n];
        let mut pairs: VecDeque<(Vec<f64>, Vec<f64>, f64)> = VecDeque::with_capacity(self.memory);
        let mut alphas = vec![0.0; self.memory];
        // Energies of the last `STALL_WINDOW` iterations (a ring), for `energy_tolerance`.
        let mut recent = [f64::INFINITY; STALL_WINDOW];

        let report = |e, g: &[f64], iterations, evaluations, reason| MinimizeReport {
            energy: e,
            rms_gradient: rms(g),
            iterations,
            evaluations,
            reason,
        };

        for iter in 0..self.max_iterations {
            if rms(&g) <= self.gradient_tolerance {
                return Ok(report(e, &g, iter, evaluations, TerminationReason::Converged));
            }
            if self.energy_tolerance > 0.0 {
                // `recent[slot]` holds the energy of ten iterations ago (infinite before that).
                let slot = iter % STALL_WINDOW;
                let before = std::mem::replace(&mut recent[slot], e);
                if before - e < self.energy_tolerance * e.abs().max(1.0) {
                    return Ok(report(e, &g, iter, evaluations, TerminationReason::Stalled));
                }
            }
            // Two-loop recursion: d = -H g.
            d.iter_mut().zip(&g).for_each(|(di, gi)| *di = -gi);
            for (k, (s, y, rho)) in pairs.iter().enumerate().rev() {
                let a = rho * dot(s, &d);
                alphas[k] = a;
                d.iter_mut().zip(y).for_each(|(di, yi)| *di -= a * yi);
            }
            if let Some((s, y, _)) = pairs.back() {
                let gamma = dot(s, y) / dot(y, y);
                d.iter_mut().for_each(|di| *di *= gamma);
            }
            for (k, (s, y, rho)) in pairs.iter().enumerate() {
                let b = rho * dot(y, &d);
                d.iter_mut().zip(s).for_each(|(di, si)| *di += (alphas[k] - b) * si);
            }
            let mut slope = dot(&g, &d);
            if slope >= 0.0 || slope.is_nan() {
                // Not a descent direction: forget the curvature history.
                pairs.clear();
                d.iter_mut().zip(&g).for_each(|(di, gi)| *di = -gi);
                slope = -dot(&g, &g);
            }
            let len = dot(&d, &d).sqrt();
            if len > self.max_step {
                let scale = self.max_step / len;
                d.iter_mut().for_each(|di| *di *= scale);
                slope *= scale;
            }

            // Backtracking Armijo line search. Near convergence the required decrease
            // `c1 t ∇E·d` falls below the rounding noise of E itself; an allowance of a few
            // ulps of |E| keeps the search from stalling there (pele's L-BFGS accepts any
            // rise below a fixed tolerance for the same reason).
            let allowance = ROUNDING_ALLOWANCE * e.abs().max(1.0);
            let mut t = 1.0;
            let mut accepted = None;
            for _ in 0..self.max_backtracks {
                x_new.iter_mut().zip(x.iter()).zip(&d).for_each(|((xn, xi), di)| *xn = xi + t * di);
                let e_new = energy.energy_gradient(&x_new, &mut g_new);
                evaluations += 1;
                if e_new.is_finite() && e_new <= e + self.armijo * t * slope + allowance {
                    accepted = Some(e_new);
                    break;
                }
                t *= 0.5;
            }
            let Some(e_new) = accepted else {
                if !pairs.is_empty() {
                    // Retry from steepest descent before declaring failure.
                    pairs.clear();
                    continue;
                }
                return Ok(report(e, &g, iter, evaluations, TerminationReason::LineSearchFailed));
            };

            // Store the correction pair (s, y) when the curvature condition holds; the
            // buffers of the oldest pair are recycled, so the loop allocates nothing once
            // the memory is full.
            s_buf.iter_mut().zip(x_new.iter().zip(x.iter())).for_each(|(si, (a, b))| *si = a - b);
            y_buf.iter_mut().zip(g_new.iter().zip(&g)).for_each(|(yi, (a, b))| *yi = a - b);
            let sy = dot(&s_buf, &y_buf);
            if sy > 1e-12 * dot(&y_buf, &y_buf).sqrt() * dot(&s_buf, &s_buf).sqrt() {
                let (s_old, y_old) = if pairs.len() == self.memory {
                    let (s, y, _) = pairs.pop_front().expect("memory >= 1");
                    (s, y)
                } else {
                    (vec![0.0; n], vec![0.0; n])
                };
                let s = std::mem::replace(&mut s_buf, s_old);
                let y = std::mem::replace(&mut y_buf, y_old);
                pairs.push_back((s, y, 1.0 / sy));
            }
            x.copy_from_slice(&x_new);
            g.copy_from_slice(&g_new);
            e = e_new;
        }
        let reason = if rms(&g) <= self.gradient_tolerance {
            TerminationReason::Converged
        } else {
            TerminationReason::MaxIterations
        };
        Ok(report(e, &g, self.max_iterations, evaluations, reason))
    }
}
