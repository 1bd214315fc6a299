use crate::energy::{Energy, Gradient};

/// The 1-D landscape with two flat, noisy basins of seed 000 Fig. 7 (and the 1-D DG of Fig. 5):
///
/// $$ E(x) = -3\\, w\\!\left(\tfrac{x + 1.5}{2.5}\right) - 3.5\\, w\\!\left(\tfrac{x - 7.5}{3.5}\right)
///          + 0.25 \sin 5.3x + 0.15 \sin(11.7x + 0.4) + 0.1 \sin(23.1x + 1.3) + W(x), $$
///
/// with the flat-topped well `w(u) = 1 / (1 + u^8)` and soft walls
/// `W(x) = 5 (x - 12)_+^2 + 5 (-6 - x)_+^2`.
///
/// The seed gives only a picture, so this formula is ours, built to its description: a left
/// basin on about `[-4, 1]`, a wider right basin on about `[4, 11]` that contains both AD
/// targets of Fig. 7 (`x = 5.1` and `x = 10`, far apart in Euclidean distance but in one basin),
/// a barrier near `x ≈ 2.5` about 2.8 above the left floor, and sinusoidal "noise" of amplitude
/// up to 0.5 that creates many shallow local minima inside each basin. Its gradient is analytic.
///
/// # Example
/// ```
/// use elm_core::{Energy, reference::NoisyDoubleBasin};
/// let e = NoisyDoubleBasin::new();
/// // The barrier region is well above both basin floors.
/// assert!(e.energy(&[2.5]) > e.energy(&[5.1]) + 2.0);
/// assert!(e.energy(&[2.5]) > e.energy(&[-1.5]) + 2.0);
/// ```
///
/// # References
/// Seed 000 (Hill, Nijkamp, Zhu 2019), Fig. 5 and Fig. 7.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NoisyDoubleBasin;

impl NoisyDoubleBasin {
    /// The two AD targets of seed 000 Fig. 7, both in the right basin.
    pub const FIG7_TARGETS: [f64; 2] = [5.1, 10.0];
    /// `(depth, centre, half-width)` of the two wells.
    const WELLS: [(f64, f64, f64); 2] = [(3.0, -1.5, 2.5), (3.5, 7.5, 3.5)];
    /// `(amplitude, frequency, phase)` of the noise terms.
    const NOISE: [(f64, f64, f64); 3] = [(0.15, 5.3, 0.0), (0.09, 11.7, 0.4), (0.06, 23.1, 1.3)];
    const WALL: (f64, f64, f64) = (5.0, -6.0, 12.0);

    /// The landscape (it has no parameters).
    pub fn new() -> Self {
        NoisyDoubleBasin
    }

    /// `(E(x), E'(x))`.
    pub fn value_and_derivative(&self, x: f64) -> (f64, f64) {
        let (mut e, mut de) = (0.0, 0.0);
        for (depth, c, w) in Self::WELLS {
            let u = (x - c) / w;
            let u7 = u.powi(7);
            let den = 1.0 + u7 * u;
            e -= depth / den;
            de += depth * 8.0 * u7 / (w * den * den);
        }
        for (a, f, p) in Self::NOISE {
            e += a * (f * x + p).sin();
            de += a * f * (f * x + p).cos();
        }
        let (k, lo, hi) = Self::WALL;
        if x > hi {
            e += k * (x - hi).powi(2);
            de += 2.0 * k * (x - hi);
        }
        if x < lo {
            e += k * (lo - x).powi(2);
            de -= 2.0 * k * (lo - x);
        }
        (e, de)
    }
}

impl Energy for NoisyDoubleBasin {
    fn dim(&self) -> usize {
        1
    }
    fn energy(&self, x: &[f64]) -> f64 {
        self.value_and_derivative(x[0]).0
    }
}

impl Gradient for NoisyDoubleBasin {
    fn energy_gradient(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let (e, de) = self.value_and_derivative(x[0]);
        grad[0] = de;
        e
    }
}
