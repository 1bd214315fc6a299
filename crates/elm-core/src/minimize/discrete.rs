use super::TerminationReason;
use crate::energy::DiscreteEnergy;
use crate::error::{Result, check};
use crate::state::DiscreteState;

/// Which improving single-site change a [`DiscreteDescent`] takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum DescentRule {
    /// Scan every site and level, take the change with the most negative delta. Deterministic
    /// map from a state to its minimum: the basin definition used by GWL (seed 001 Sec. 4.2.1.3).
    #[default]
    Steepest,
    /// Sweep sites in order, moving each to its best level when that improves the energy;
    /// stop after a sweep without change. Cheaper per improvement on large systems.
    FirstImprovement,
}

/// Greedy single-site descent for discrete energies, ending in a state that no single-site
/// change improves by more than `tolerance` (a "single-flip local minimum" for spins).
///
/// Each improvement costs one `delta` per site and level for [`DescentRule::Steepest`]
/// (`O(n L)` with an `O(1)` delta, e.g. SK with its local fields) plus the `O(n)` cache update.
///
/// # Example
/// ```
/// use elm_core::{DiscreteDescent, DiscreteEnergy, DiscreteState, reference::Ising};
/// let ising = Ising::new(6, 1.0, 0.0).unwrap();
/// // A single wrong spin in the all-up state flips back.
/// let mut s = vec![1u8; 36];
/// s[7] = 0;
/// let mut state = DiscreteState::new(&ising, s).unwrap();
/// let report = DiscreteDescent::default().minimize(&ising, &mut state).unwrap();
/// assert!(report.converged());
/// assert_eq!(state.energy(), -72.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DiscreteDescent {
    /// Steepest or first-improvement (default steepest).
    pub rule: DescentRule,
    /// A change counts as improving only if its delta is below `-tolerance` (default 1e-12,
    /// which keeps rounding from cycling between degenerate states).
    pub tolerance: f64,
    /// Cap on accepted changes (steepest) or sweeps (first improvement) (default 1 000 000).
    pub max_iterations: usize,
}

impl Default for DiscreteDescent {
    fn default() -> Self {
        Self { rule: DescentRule::Steepest, tolerance: 1e-12, max_iterations: 1_000_000 }
    }
}

/// The outcome of a [`DiscreteDescent`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DescentReport {
    /// Energy of the final state.
    pub energy: f64,
    /// Single-site changes made.
    pub changes: usize,
    /// Deltas evaluated.
    pub evaluations: usize,
    /// Why the descent stopped.
    pub reason: TerminationReason,
}

impl DescentReport {
    /// True when the final state is a single-site local minimum.
    pub fn converged(&self) -> bool {
        self.reason == TerminationReason::Converged
    }
}

impl DiscreteDescent {
    /// Sets the rule.
    #[must_use]
    pub fn with_rule(mut self, rule: DescentRule) -> Self {
        self.rule = rule;
        self
    }

    /// Sets the iteration cap.
    #[must_use]
    pub fn with_max_iterations(mut self, n: usize) -> Self {
        self.max_iterations = n;
        self
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] for a negative tolerance or a zero cap.
    pub fn validate(&self) -> Result<()> {
        check::non_negative("tolerance", self.tolerance)?;
        check::at_least("max_iterations", self.max_iterations, 1)
    }

    /// Descends from `state` (in place) to a single-site local minimum of `energy`.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] for invalid parameters,
    /// [`crate::Error::DimensionMismatch`] if the state does not belong to the energy.
    pub fn minimize<E: DiscreteEnergy + ?Sized>(&self, energy: &E, state: &mut DiscreteState) -> Result<DescentReport> {
        self.validate()?;
        check::dim("discrete state", energy.sites(), state.len())?;
        check::dim("discrete state cache", energy.aux_len(), state.aux().len())?;
        let levels = energy.levels();
        let mut deltas = vec![0.0; levels];
        let mut changes = 0;
        let mut evaluations = 0;
        for _ in 0..self.max_iterations {
            let improved = match self.rule {
                DescentRule::Steepest => {
                    evaluations += levels * state.len();
                    match energy.steepest_move(state.as_slice(), state.aux(), self.tolerance) {
                        Some((i, v, d)) => {
                            state.set_with_delta(energy, i, v, d);
                            changes += 1;
                            true
                        }
                        None => false,
                    }
                }
                DescentRule::FirstImprovement => {
                    let mut any = false;
                    for i in 0..state.len() {
                        state.delta_levels(energy, i, &mut deltas);
                        evaluations += levels;
                        let (v, d) = deltas
                            .iter()
                            .copied()
                            .enumerate()
                            .fold((0, f64::INFINITY), |b, (v, d)| if d < b.1 { (v, d) } else { b });
                        if d < -self.tolerance {
                            state.set_with_delta(energy, i, v as u8, d);
                            changes += 1;
                            any = true;
                        }
                    }
                    any
                }
            };
            if !improved {
                return Ok(DescentReport {
                    energy: state.energy(),
                    changes,
                    evaluations,
                    reason: TerminationReason::Converged,
                });
            }
        }
        Ok(DescentReport { energy: state.energy(), changes, evaluations, reason: TerminationReason::MaxIterations })
    }
}
