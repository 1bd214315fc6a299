use crate::energy::{Energy, Gradient};
use crate::error::{Error, Result, check};
use rand::{Rng, RngExt};

/// One Gaussian well of a [`GaussianWells`] landscape: centre, depth `a > 0` and width `w > 0`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Well {
    /// Centre of the well.
    pub centre: [f64; 2],
    /// Depth `a` (the amplitude subtracted at the centre).
    pub depth: f64,
    /// Width `w` (standard deviation).
    pub width: f64,
}

/// A smooth random 2-D landscape: a quadratic bowl minus Gaussian wells,
///
/// $$ E(x, y) = c\big((x - \tfrac12)^2 + (y - \tfrac12)^2\big) - \sum_k a_k
///    \exp\\!\Big(-\frac{(x - x_k)^2 + (y - y_k)^2}{2 w_k^2}\Big). $$
///
/// With tens of narrow wells it has tens of minima and first-order saddles, every one of them
/// reachable by exact grid flooding (`elm_dg::FloodedGrid`), which makes it the test bed for
/// minimum-energy-path methods: the bowl confines every path, so an elastic band that leaves the
/// unit square has run away. [`GaussianWells::random`] draws the family the band tests use
/// (centres uniform on `[0.15, 0.85]²`, depths on `[0.3, 1]`, widths on `[0.035, 0.07]`, bowl
/// curvature `c = 3`).
///
/// # Example
/// ```
/// use elm_core::{Energy, reference::{GaussianWells, Well}};
/// let e = GaussianWells::new(3.0, vec![Well { centre: [0.5, 0.5], depth: 1.0, width: 0.1 }]).unwrap();
/// assert!((e.energy(&[0.5, 0.5]) + 1.0).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GaussianWells {
    bowl: f64,
    wells: Vec<Well>,
}

impl GaussianWells {
    /// A landscape with bowl curvature `bowl >= 0` and the given wells.
    ///
    /// # Errors
    /// `InvalidParameter` for a negative or non-finite bowl, a non-finite centre, or a
    /// non-positive depth or width.
    pub fn new(bowl: f64, wells: Vec<Well>) -> Result<Self> {
        check::non_negative("bowl", bowl)?;
        for w in &wells {
            check::all_finite("well centre", &w.centre)?;
            check::positive("well depth", w.depth)?;
            check::positive("well width", w.width)?;
        }
        Ok(Self { bowl, wells })
    }

    /// `n` random wells in the bowl `c = 3` (the distribution above).
    ///
    /// # Errors
    /// `EmptyInput` for `n = 0`.
    pub fn random<R: Rng + ?Sized>(n: usize, rng: &mut R) -> Result<Self> {
        if n == 0 {
            return Err(Error::EmptyInput("wells"));
        }
        let wells = (0..n)
            .map(|_| Well {
                centre: [rng.random_range(0.15..0.85), rng.random_range(0.15..0.85)],
                depth: rng.random_range(0.3..1.0),
                width: rng.random_range(0.035..0.07),
            })
            .collect();
        Self::new(3.0, wells)
    }

    /// The wells.
    pub fn wells(&self) -> &[Well] {
        &self.wells
    }

    /// The bowl curvature `c`.
    pub fn bowl(&self) -> f64 {
        self.bowl
    }
}

impl Energy for GaussianWells {
    fn dim(&self) -> usize {
        2
    }
    fn energy(&self, p: &[f64]) -> f64 {
        let mut g = [0.0; 2];
        self.energy_gradient(p, &mut g)
    }
}

impl Gradient for GaussianWells {
    fn energy_gradient(&self, p: &[f64], grad: &mut [f64]) -> f64 {
        let (x, y) = (p[0], p[1]);
        let mut e = self.bowl * ((x - 0.5).powi(2) + (y - 0.5).powi(2));
        let mut gx = 2.0 * self.bowl * (x - 0.5);
        let mut gy = 2.0 * self.bowl * (y - 0.5);
        for w in &self.wells {
            let (dx, dy) = (x - w.centre[0], y - w.centre[1]);
            let s2 = w.width * w.width;
            let g = w.depth * (-(dx * dx + dy * dy) / (2.0 * s2)).exp();
            e -= g;
            gx += g * dx / s2;
            gy += g * dy / s2;
        }
        grad[0] = gx;
        grad[1] = gy;
        e
    }
}
