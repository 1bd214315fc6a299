use crate::energy::{Energy, Gradient};
use crate::error::{Result, check};
use rand::{Rng, RngExt};

/// A cluster of `N` Lennard-Jones atoms in reduced units (`ε = σ = 1`):
///
/// $$ E(x) = 4 \sum_{i<j} \left( r_{ij}^{-12} - r_{ij}^{-6} \right), \qquad r_{ij} = \lVert x_i - x_j \rVert_2 , $$
///
/// with the state `x ∈ R^{3N}` laid out as `[x_1, y_1, z_1, x_2, ...]`. The standard benchmark
/// of landscape exploration (seed 002 Sec. II; the Cambridge Cluster Database).
///
/// Putative global minima (Cambridge Cluster Database, Wales & Doye 1997):
/// `N = 7`: -16.505384 (pentagonal bipyramid), `N = 13`: -44.326801 (icosahedron),
/// `N = 38`: -173.928427 (truncated octahedron).
///
/// # Example
/// ```
/// use elm_core::{Energy, reference::LennardJones};
/// let dimer = LennardJones::new(2).unwrap();
/// // The pair minimum sits at r = 2^(1/6) with E = -1.
/// let r = 2f64.powf(1.0 / 6.0);
/// assert!((dimer.energy(&[0.0, 0.0, 0.0, r, 0.0, 0.0]) + 1.0).abs() < 1e-12);
/// ```
///
/// # References
/// D. J. Wales, J. P. K. Doye, *Global optimization by basin-hopping and the lowest energy
/// structures of Lennard-Jones clusters containing up to 110 atoms*, J. Phys. Chem. A 101 (1997).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LennardJones {
    atoms: usize,
}

impl LennardJones {
    /// Putative global minimum of LJ7.
    pub const LJ7_GLOBAL_MINIMUM: f64 = -16.505384;
    /// Putative global minimum of LJ13.
    pub const LJ13_GLOBAL_MINIMUM: f64 = -44.326801;
    /// Putative global minimum of LJ38.
    pub const LJ38_GLOBAL_MINIMUM: f64 = -173.928427;

    /// A cluster of `atoms` atoms.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] for fewer than 2 atoms.
    pub fn new(atoms: usize) -> Result<Self> {
        check::at_least("atoms", atoms, 2)?;
        if atoms.checked_mul(3).is_none_or(|d| d > isize::MAX as usize / 8) {
            return Err(crate::Error::invalid("atoms", atoms, "3 N coordinates overflow"));
        }
        Ok(Self { atoms })
    }

    /// The number of atoms.
    pub fn atoms(&self) -> usize {
        self.atoms
    }

    /// A random start for a quench: atoms uniform in a ball at reduced density ~0.5
    /// (radius `(3N / (4π · 0.5))^{1/3}`), the usual compact random cluster.
    pub fn random_configuration<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<f64> {
        let radius = (3.0 * self.atoms as f64 / (4.0 * std::f64::consts::PI * 0.5)).cbrt();
        let mut x = Vec::with_capacity(3 * self.atoms);
        while x.len() < 3 * self.atoms {
            let p: [f64; 3] = std::array::from_fn(|_| rng.random_range(-1.0..1.0));
            if p.iter().map(|v| v * v).sum::<f64>() <= 1.0 {
                x.extend(p.iter().map(|v| v * radius));
            }
        }
        x
    }
}

impl Energy for LennardJones {
    fn dim(&self) -> usize {
        3 * self.atoms
    }
    fn energy(&self, x: &[f64]) -> f64 {
        let mut e = 0.0;
        for i in 0..self.atoms {
            for j in (i + 1)..self.atoms {
                let r2: f64 = (0..3).map(|k| (x[3 * i + k] - x[3 * j + k]).powi(2)).sum();
                let ir6 = 1.0 / (r2 * r2 * r2);
                e += ir6 * ir6 - ir6;
            }
        }
        4.0 * e
    }
}

impl Gradient for LennardJones {
    fn energy_gradient(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut e = 0.0;
        for i in 0..self.atoms {
            for j in (i + 1)..self.atoms {
                let d: [f64; 3] = std::array::from_fn(|k| x[3 * i + k] - x[3 * j + k]);
                let r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                let ir2 = 1.0 / r2;
                let ir6 = ir2 * ir2 * ir2;
                e += ir6 * ir6 - ir6;
                // dE/dr * (1/r) = 4 (-12 r^-14 + 6 r^-8)
                let f = 4.0 * (-12.0 * ir6 * ir6 + 6.0 * ir6) * ir2;
                for k in 0..3 {
                    grad[3 * i + k] += f * d[k];
                    grad[3 * j + k] -= f * d[k];
                }
            }
        }
        4.0 * e
    }
}
