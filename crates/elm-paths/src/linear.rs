//! 1-D linear interpolation barriers.

use crate::error::{Error, Result};
use elm_core::{Energy, EnergyPath, check};

/// The energy along the straight segment from `a` to `b` at `points` evenly spaced points
/// (ends included): the 1-D interpolation barrier every seed compares against (seed 000
/// Sec. 2.3, Fig. 11; seed 001 Sec. 4.2.1.2). The segment is a path, so its maximum bounds the
/// minimax barrier from above (the points sample that maximum; it usually overestimates the
/// barrier badly). An undefined (NaN) energy on the way makes the path's barrier NaN.
///
/// # Errors
/// Dimension mismatch, non-finite ends, [`Error::IdenticalEndpoints`], `points < 2`.
///
/// # Example
/// ```
/// use elm_core::reference::MullerBrown;
/// use elm_paths::linear_interpolation;
/// let [a, b, _] = MullerBrown::MINIMA.map(|m| m.1);
/// let path = linear_interpolation(&MullerBrown::new(), &a, &b, 101).unwrap();
/// // The straight line from A to B passes far above both saddles.
/// assert!(path.barrier() > MullerBrown::SADDLES[0].0);
/// ```
pub fn linear_interpolation<E: Energy + ?Sized>(
    energy: &E,
    a: &[f64],
    b: &[f64],
    points: usize,
) -> Result<EnergyPath<Vec<f64>>> {
    check_ends(energy.dim(), a, b)?;
    check::at_least("points", points, 2)?;
    let states: Vec<Vec<f64>> = (0..points)
        .map(|k| {
            let t = k as f64 / (points - 1) as f64;
            a.iter().zip(b).map(|(x, y)| (1.0 - t) * x + t * y).collect()
        })
        .collect();
    let energies = states.iter().map(|s| energy.energy(s)).collect();
    Ok(EnergyPath { states, energies })
}

/// Validates the two ends of a path.
pub(crate) fn check_ends(dim: usize, a: &[f64], b: &[f64]) -> Result<()> {
    check::dim("path start", dim, a.len())?;
    check::dim("path end", dim, b.len())?;
    check::all_finite("path start", a)?;
    check::all_finite("path end", b)?;
    if a == b {
        return Err(Error::IdenticalEndpoints);
    }
    Ok(())
}
