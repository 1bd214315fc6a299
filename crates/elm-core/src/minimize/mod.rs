//! Local minimizers: the quench of step 2 of ADELM (seed 000 Alg. 1) and of basin-hopping.
//!
//! - [`Lbfgs`]: limited-memory BFGS with a backtracking Armijo line search and a step cap,
//!   the default quench for smooth energies (seed 002 Sec. II uses L-BFGS throughout).
//! - [`Fire`]: the Fast Inertial Relaxation Engine (Bitzek et al. 2006), robust on rough or
//!   badly scaled energies.
//! - [`MomentumDescent`] and [`Adadelta`]: the fixed-step first-order optimizers networks are
//!   trained with (seed 004 Sec. 4.2), for training losses such as [`crate::reference::MlpLoss`].
//! - [`DiscreteDescent`]: steepest or first-improvement single-site descent for discrete
//!   energies, ending in a state that no single-site change improves.
//!
//! All continuous minimizers converge on the RMS gradient `||∇E|| / sqrt(d)` and return a
//! [`MinimizeReport`] with the reason they stopped.

mod discrete;
mod fire;
mod lbfgs;
mod training;

pub use discrete::{DescentReport, DescentRule, DiscreteDescent};
pub use fire::{Fire, FireDynamics};
pub use lbfgs::Lbfgs;
pub use training::{Adadelta, MomentumDescent};

use crate::energy::Gradient;
use crate::error::Result;

/// Why a minimizer stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum TerminationReason {
    /// The convergence criterion was met (RMS gradient below tolerance, or no improving
    /// single-site change for discrete descent).
    Converged,
    /// The iteration cap was reached first.
    MaxIterations,
    /// The line search could not decrease the energy any more (typically converged to
    /// rounding precision with a tolerance that is too tight for the energy).
    LineSearchFailed,
    /// The run left the region where its answer means anything (an elastic band whose energies
    /// or displacements blew up) and was stopped; its result is not an estimate of anything.
    Diverged,
    /// An observer stopped the run (its result is the state reached so far).
    Stopped,
    /// The energy stopped falling before the gradient became small (see
    /// [`Lbfgs::energy_tolerance`]): the usual end at a minimum of a piecewise-smooth or
    /// single-precision energy.
    Stalled,
}

/// The outcome of a continuous local minimization.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MinimizeReport {
    /// Energy at the final state.
    pub energy: f64,
    /// RMS gradient `||∇E||_2 / sqrt(d)` at the final state.
    pub rms_gradient: f64,
    /// Iterations taken.
    pub iterations: usize,
    /// Energy-and-gradient evaluations used.
    pub evaluations: usize,
    /// Why the minimizer stopped.
    pub reason: TerminationReason,
}

impl MinimizeReport {
    /// True when the convergence criterion was met.
    pub fn converged(&self) -> bool {
        self.reason == TerminationReason::Converged
    }
}

/// A local minimizer of continuous energies, run in place on a caller-owned state.
///
/// # Example
/// ```
/// use elm_core::{LocalMinimizer, Lbfgs, reference::MullerBrown};
/// let mut x = [0.5, 0.1];
/// let report = Lbfgs::default().minimize(&MullerBrown::new(), &mut x).unwrap();
/// assert!(report.converged());
/// assert!((report.energy + 108.16672).abs() < 1e-4);
/// ```
pub trait LocalMinimizer: Sync {
    /// Minimizes `energy` starting from `x`, leaving the local minimum in `x`.
    ///
    /// # Errors
    /// [`crate::Error::DimensionMismatch`] if `x.len() != energy.dim()`,
    /// [`crate::Error::NonFinite`] if the energy or gradient at the start is not finite,
    /// [`crate::Error::InvalidParameter`] if the minimizer's parameters are invalid.
    fn minimize<E: Gradient + ?Sized>(&self, energy: &E, x: &mut [f64]) -> Result<MinimizeReport>;
}

/// `||g||_2 / sqrt(d)`.
pub(crate) fn rms(g: &[f64]) -> f64 {
    if g.is_empty() {
        return 0.0;
    }
    (g.iter().map(|v| v * v).sum::<f64>() / g.len() as f64).sqrt()
}

pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Checks the start state and evaluates it; shared by every continuous minimizer.
pub(crate) fn start<E: Gradient + ?Sized>(energy: &E, x: &[f64], g: &mut [f64]) -> Result<f64> {
    crate::error::check::dim("minimizer start state", energy.dim(), x.len())?;
    crate::error::check::all_finite("minimizer start state", x)?;
    let e = energy.energy_gradient(x, g);
    if !e.is_finite() || !g.iter().all(|v| v.is_finite()) {
        return Err(crate::Error::NonFinite("energy or gradient at the minimizer start"));
    }
    Ok(e)
}
