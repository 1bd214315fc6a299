use crate::energy::DiscreteEnergy;
use crate::error::{Result, check};

/// The 2-D Ising model on a periodic `L x L` square lattice:
///
/// $$ E(\sigma) = -J \sum_{\langle i j \rangle} \sigma_i \sigma_j - H \sum_i \sigma_i, \qquad \sigma_i = \pm 1 , $$
///
/// the sum running over the `2 L^2` nearest-neighbour bonds (each site's right and down
/// neighbour, wrapping around). Levels: `0 ↦ σ = -1`, `1 ↦ σ = +1`; site `(r, c)` has index
/// `r L + c`. The AD magnetization of seed 000 Sec. 3.2 is exactly this model's field term.
///
/// Known values (by formula): all-up `E = -2 J L^2 - H L^2`; checkerboard (`L` even)
/// `E = +2 J L^2`. With `J = 1, H = 0` the critical temperature is
/// `T_c = 2 / ln(1 + sqrt 2) ≈ 2.269` and the spontaneous magnetization below it is
/// `(1 - sinh(2/T)^{-4})^{1/8}` (Onsager 1944; Yang 1952).
///
/// # Example
/// ```
/// use elm_core::{DiscreteEnergy, reference::Ising};
/// let ising = Ising::new(4, 1.0, 0.5).unwrap();
/// assert_eq!(ising.energy(&[1u8; 16]), -2.0 * 16.0 - 0.5 * 16.0);
/// ```
///
/// # References
/// Seed 000 Sec. 3.2, Eq. 3.3; L. Onsager, Phys. Rev. 65, 117 (1944).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ising {
    side: usize,
    coupling: f64,
    field: f64,
}

impl Ising {
    /// Critical temperature of the 2-D Ising model with `J = 1`: `2 / ln(1 + sqrt 2)`.
    pub const CRITICAL_TEMPERATURE: f64 = 2.269_185_314_213_022;

    /// An `side x side` periodic lattice with coupling `J = coupling` and field `H = field`.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] for `side < 2`, `side > 4096` or a non-finite
    /// coupling or field.
    pub fn new(side: usize, coupling: f64, field: f64) -> Result<Self> {
        check::at_least("side", side, 2)?;
        if side > 4096 {
            return Err(crate::Error::invalid("side", side, "must be at most 4096"));
        }
        check::finite("coupling", coupling)?;
        check::finite("field", field)?;
        Ok(Self { side, coupling, field })
    }

    /// The lattice side `L`.
    pub fn side(&self) -> usize {
        self.side
    }

    /// Mean spin `(1/N) Σ σ_i`.
    pub fn magnetization(&self, s: &[u8]) -> f64 {
        s.iter().map(|&l| spin(l)).sum::<f64>() / s.len() as f64
    }

    /// Onsager-Yang spontaneous magnetization per spin of the infinite lattice (`J = 1`,
    /// `H = 0`) at temperature `t`: `(1 - sinh(2/t)^{-4})^{1/8}` below `T_c`, 0 above.
    pub fn onsager_magnetization(t: f64) -> f64 {
        if t >= Self::CRITICAL_TEMPERATURE { 0.0 } else { (1.0 - (2.0 / t).sinh().powi(-4)).powf(0.125) }
    }

    fn neighbour_sum(&self, s: &[u8], i: usize) -> f64 {
        let l = self.side;
        let (r, c) = (i / l, i % l);
        spin(s[r * l + (c + 1) % l])
            + spin(s[r * l + (c + l - 1) % l])
            + spin(s[((r + 1) % l) * l + c])
            + spin(s[((r + l - 1) % l) * l + c])
    }
}

#[inline]
fn spin(level: u8) -> f64 {
    if level == 0 { -1.0 } else { 1.0 }
}

impl DiscreteEnergy for Ising {
    fn sites(&self) -> usize {
        self.side * self.side
    }
    fn levels(&self) -> usize {
        2
    }
    fn level_value(&self, level: u8) -> f64 {
        spin(level)
    }
    fn energy(&self, s: &[u8]) -> f64 {
        let l = self.side;
        let mut bonds = 0.0;
        let mut total = 0.0;
        for r in 0..l {
            for c in 0..l {
                let si = spin(s[r * l + c]);
                bonds += si * (spin(s[r * l + (c + 1) % l]) + spin(s[((r + 1) % l) * l + c]));
                total += si;
            }
        }
        -self.coupling * bonds - self.field * total
    }
    fn delta(&self, s: &[u8], i: usize, v: u8) -> f64 {
        if s[i] == v {
            return 0.0;
        }
        let dsigma = spin(v) - spin(s[i]);
        -dsigma * (self.coupling * self.neighbour_sum(s, i) + self.field)
    }
}
