use crate::energy::{Energy, Gradient};

/// The Müller-Brown potential, the classic 2-D test surface for minimum-energy paths:
///
/// $$ V(x, y) = \sum_{k=1}^{4} A_k \exp\big(a_k (x - x_k)^2 + b_k (x - x_k)(y - y_k) + c_k (y - y_k)^2\big) $$
///
/// with `A = (-200, -100, -170, 15)`, `a = (-1, -1, -6.5, 0.7)`, `b = (0, 0, 11, 0.6)`,
/// `c = (-10, -10, -6.5, 0.7)`, `x_k = (1, 0, -0.5, -1)`, `y_k = (0, 0.5, 1.5, 1)`.
///
/// Known stationary points (`shared/ARCHITECTURE.md` §6, from the literature):
///
/// | kind | energy | (x, y) |
/// |---|---|---|
/// | minimum A | -146.69952 | (-0.55822, 1.44173) |
/// | minimum B | -108.16672 | ( 0.62350, 0.02804) |
/// | minimum C |  -80.76782 | (-0.05001, 0.46669) |
/// | saddle A-C | -40.66484 | (-0.82200, 0.62431) |
/// | saddle C-B | -72.24894 | ( 0.21249, 0.29299) |
///
/// # Example
/// ```
/// use elm_core::{Energy, reference::MullerBrown};
/// let mb = MullerBrown::new();
/// assert!((mb.energy(&[-0.05001, 0.46669]) + 80.76782).abs() < 1e-4);
/// ```
///
/// # References
/// K. Müller, L. D. Brown, *Location of saddle points and minimum energy paths by a
/// constrained simplex optimization procedure*, Theor. Chim. Acta 53, 75 (1979).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MullerBrown;

impl MullerBrown {
    const A: [f64; 4] = [-200.0, -100.0, -170.0, 15.0];
    const LA: [f64; 4] = [-1.0, -1.0, -6.5, 0.7];
    const LB: [f64; 4] = [0.0, 0.0, 11.0, 0.6];
    const LC: [f64; 4] = [-10.0, -10.0, -6.5, 0.7];
    const X0: [f64; 4] = [1.0, 0.0, -0.5, -1.0];
    const Y0: [f64; 4] = [0.0, 0.5, 1.5, 1.0];

    /// The three minima `(energy, [x, y])`, deepest first, to 1e-9: Newton's method at 30
    /// digits (mpmath) started from the table above, which they match to its 5 decimals.
    pub const MINIMA: [(f64, [f64; 2]); 3] = [
        (-146.699517210, [-0.558223634633, 1.441725841800]),
        (-108.166724117, [0.623499404931, 0.028037758529]),
        (-80.767818130, [-0.050010822998, 0.466694104872]),
    ];

    /// The two first-order saddles `(energy, [x, y])`, between minima A and C and between C
    /// and B, to the same precision.
    pub const SADDLES: [(f64, [f64; 2]); 2] =
        [(-40.664843509, [-0.822001558733, 0.624312802815]), (-72.248940112, [0.212486582001, 0.292988325107])];

    /// The Müller-Brown potential (it has no parameters).
    pub fn new() -> Self {
        MullerBrown
    }
}

impl Energy for MullerBrown {
    fn dim(&self) -> usize {
        2
    }
    fn energy(&self, p: &[f64]) -> f64 {
        let (x, y) = (p[0], p[1]);
        (0..4)
            .map(|k| {
                let dx = x - Self::X0[k];
                let dy = y - Self::Y0[k];
                Self::A[k] * (Self::LA[k] * dx * dx + Self::LB[k] * dx * dy + Self::LC[k] * dy * dy).exp()
            })
            .sum()
    }
}

impl Gradient for MullerBrown {
    fn energy_gradient(&self, p: &[f64], grad: &mut [f64]) -> f64 {
        let (x, y) = (p[0], p[1]);
        let (mut e, mut gx, mut gy) = (0.0, 0.0, 0.0);
        for k in 0..4 {
            let dx = x - Self::X0[k];
            let dy = y - Self::Y0[k];
            let t = Self::A[k] * (Self::LA[k] * dx * dx + Self::LB[k] * dx * dy + Self::LC[k] * dy * dy).exp();
            e += t;
            gx += t * (2.0 * Self::LA[k] * dx + Self::LB[k] * dy);
            gy += t * (Self::LB[k] * dx + 2.0 * Self::LC[k] * dy);
        }
        grad[0] = gx;
        grad[1] = gy;
        e
    }
}
