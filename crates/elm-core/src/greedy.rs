//! Greedy interpolation between discrete states (seed 000 Sec. 5.1): the discrete path method
//! that ADELM (elm-ad) and GWL (elm-gwl) both use for barriers.

use crate::energy::DiscreteEnergy;
use crate::error::{Result, check};
use crate::path::EnergyPath;
use crate::state::DiscreteState;

/// A greedy interpolation path: the states after every change (the start first) and their
/// energies. The workspace's one path type, shared with the continuous bands of `elm-paths`.
pub type GreedyPath = EnergyPath<Vec<u8>>;

/// Greedy interpolation from `from` to `to` (seed 000 Sec. 5.1; seed 001 Sec. 5.1): among the
/// sites where the current state still differs from the target, change the one whose change
/// raises the energy least (or lowers it most), until the target is reached:
///
/// $$ i^{\ast} = \arg\min_{i \in I} E(\sigma^{(i)}) - E(\sigma), \quad I = \\{ i : \sigma_i \ne \tau_i \\}. $$
///
/// The maximum energy along the path bounds the barrier between the two states from above.
/// `O(|I|^2)` deltas (each `O(1)` for SK with its local fields) plus `O(|I| n)` cache updates.
///
/// # Errors
/// Dimension mismatches or invalid levels.
///
/// # Example
/// ```
/// use elm_core::greedy::greedy_interpolation;
/// use elm_core::reference::Ising;
/// let ising = Ising::new(4, 1.0, 0.0).unwrap();
/// let path = greedy_interpolation(&ising, &[1u8; 16], &[0u8; 16]).unwrap();
/// assert_eq!(path.energies.len(), 17);
/// assert_eq!(path.energies[16], -32.0);
/// // Flipping the 4x4 torus from all-up to all-down must cross a domain wall: E >= -32 + 16.
/// assert!(path.barrier() >= -16.0);
/// ```
pub fn greedy_interpolation<E: DiscreteEnergy + ?Sized>(energy: &E, from: &[u8], to: &[u8]) -> Result<GreedyPath> {
    greedy(energy, from, to, true)
}

fn greedy<E: DiscreteEnergy + ?Sized>(energy: &E, from: &[u8], to: &[u8], keep_states: bool) -> Result<GreedyPath> {
    check::dim("greedy interpolation target", from.len(), to.len())?;
    let mut state = DiscreteState::new(energy, from.to_vec())?;
    DiscreteState::new(energy, to.to_vec())?;
    let mut differing: Vec<usize> = (0..from.len()).filter(|&i| from[i] != to[i]).collect();
    let mut energies = Vec::with_capacity(differing.len() + 1);
    let mut states = Vec::new();
    energies.push(state.energy());
    if keep_states {
        states.push(from.to_vec());
    }
    while !differing.is_empty() {
        let (k, d) = differing
            .iter()
            .enumerate()
            .map(|(k, &i)| (k, state.delta(energy, i, to[i])))
            .fold((0, f64::INFINITY), |best, c| if c.1 < best.1 { c } else { best });
        let i = differing.swap_remove(k);
        state.set_with_delta(energy, i, to[i], d);
        energies.push(state.energy());
        if keep_states {
            states.push(state.as_slice().to_vec());
        }
    }
    Ok(EnergyPath { states, energies })
}

/// The lower of the two greedy interpolation barriers, `from → to` and `to → from` (the
/// procedure is not symmetric; seed 000 Sec. 5.1 records the lower).
///
/// # Errors
/// As [`greedy_interpolation`].
pub fn greedy_barrier<E: DiscreteEnergy + ?Sized>(energy: &E, a: &[u8], b: &[u8]) -> Result<f64> {
    Ok(greedy(energy, a, b, false)?.barrier().min(greedy(energy, b, a, false)?.barrier()))
}

/// The greedy interpolation barrier from `a` to `b` (one direction, no states kept).
///
/// # Errors
/// As [`greedy_interpolation`].
pub fn greedy_path_barrier<E: DiscreteEnergy + ?Sized>(energy: &E, a: &[u8], b: &[u8]) -> Result<f64> {
    Ok(greedy(energy, a, b, false)?.barrier())
}
