use crate::energy::DiscreteEnergy;
use crate::error::{Error, Result, check};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// The Sherrington-Kirkpatrick spin glass on `N` fully connected ±1 spins:
///
/// $$ E(\sigma) = -\sum_{1 \le i < k \le N} J_{ik}\\, \sigma_i \sigma_k, \qquad J_{ik} \sim \mathcal N(0, 1/N) , $$
///
/// (seed 000 Eq. 5.1 without the temperature, which the samplers apply). Levels:
/// `0 ↦ σ = -1`, `1 ↦ σ = +1`. The landscape is exactly symmetric, `E(σ) = E(-σ)`.
///
/// ## Incremental evaluation
/// The auxiliary cache holds the local fields `h_i = Σ_k J_ik σ_k`, so flipping spin `i`
/// changes the energy by `ΔE = 2 σ_i h_i` (`O(1)`), and an accepted flip updates all fields
/// in `O(N)`: `h_k ← h_k - 2 σ_i J_ki`. A Gibbs sweep is `O(N^2)`.
///
/// Known values: the ground-state energy per spin tends to `-0.7632` as `N → ∞` (Parisi);
/// for `N <= 25` it can be found by enumerating the `2^N` states.
///
/// # Example
/// ```
/// use elm_core::{DiscreteEnergy, reference::SherringtonKirkpatrick};
/// use rand::SeedableRng;
/// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
/// let sk = SherringtonKirkpatrick::sample(10, &mut rng).unwrap();
/// let s: Vec<u8> = (0..10).map(|i| (i % 3 == 0) as u8).collect();
/// let mirror: Vec<u8> = s.iter().map(|&l| 1 - l).collect();
/// assert!((sk.energy(&s) - sk.energy(&mirror)).abs() < 1e-12);
/// ```
///
/// # References
/// D. Sherrington, S. Kirkpatrick, Phys. Rev. Lett. 35, 1792 (1975); seed 000 Sec. 5.1;
/// Q. Zhou, *Random walk over basins of attraction to construct Ising energy landscapes*,
/// Phys. Rev. Lett. 106 (2011).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SherringtonKirkpatrick {
    n: usize,
    /// Row-major symmetric couplings with zero diagonal.
    couplings: Vec<f64>,
}

impl SherringtonKirkpatrick {
    /// Ground-state energy per spin in the `N → ∞` limit (Parisi solution).
    pub const PARISI_GROUND_STATE_PER_SPIN: f64 = -0.7632;

    /// Draws an instance with `J_ik ~ N(0, 1/N)` independently for `i < k`.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] for `n < 2`.
    pub fn sample<R: Rng + ?Sized>(n: usize, rng: &mut R) -> Result<Self> {
        check::at_least("n", n, 2)?;
        let sd = 1.0 / (n as f64).sqrt();
        let mut couplings = vec![0.0; n * n];
        for i in 0..n {
            for k in (i + 1)..n {
                let z: f64 = StandardNormal.sample(rng);
                couplings[i * n + k] = sd * z;
                couplings[k * n + i] = sd * z;
            }
        }
        Ok(Self { n, couplings })
    }

    /// An instance with the given row-major `n x n` coupling matrix.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `couplings.len() != n^2`, [`Error::NonFinite`] for a
    /// non-finite entry, [`Error::InvalidParameter`] if the matrix is not symmetric with a zero
    /// diagonal or `n < 2`.
    pub fn from_couplings(n: usize, couplings: Vec<f64>) -> Result<Self> {
        check::at_least("n", n, 2)?;
        let cells = n.checked_mul(n).ok_or_else(|| Error::invalid("n", n, "n x n couplings overflow"))?;
        check::dim("SK coupling matrix", cells, couplings.len())?;
        check::all_finite("SK coupling matrix", &couplings)?;
        for i in 0..n {
            if couplings[i * n + i] != 0.0 {
                return Err(Error::invalid("couplings", format!("J[{i}][{i}]"), "diagonal must be zero"));
            }
            for k in (i + 1)..n {
                if couplings[i * n + k] != couplings[k * n + i] {
                    return Err(Error::invalid("couplings", format!("J[{i}][{k}]"), "matrix must be symmetric"));
                }
            }
        }
        Ok(Self { n, couplings })
    }

    /// The coupling `J_ik`.
    pub fn coupling(&self, i: usize, k: usize) -> f64 {
        self.couplings[i * self.n + k]
    }

    /// Local field `h_i = Σ_k J_ik σ_k` computed from scratch (`O(N)`).
    ///
    /// # Errors
    /// `InvalidParameter` for a site `i >= N`, `DimensionMismatch` for a state of the wrong
    /// length.
    pub fn local_field(&self, s: &[u8], i: usize) -> Result<f64> {
        check::dim("SK state", self.n, s.len())?;
        if i >= self.n {
            return Err(Error::invalid("site", i, "beyond the spins"));
        }
        Ok(self.field(s, i))
    }

    /// `h_i` for a site and state known to be valid.
    fn field(&self, s: &[u8], i: usize) -> f64 {
        self.couplings[i * self.n..(i + 1) * self.n].iter().zip(s).map(|(j, &l)| j * spin(l)).sum()
    }

    /// The spin-flipped mirror state `-σ` (same energy).
    pub fn mirror(s: &[u8]) -> Vec<u8> {
        s.iter().map(|&l| 1 - l).collect()
    }
}

/// The exact landscape of a spin system small enough to enumerate: every state's energy, the
/// single-flip local minima and the exact minimax barrier between every pair of them.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ExactLandscape {
    /// Energy of every state, indexed by the bit code `Σ_i s_i 2^i`.
    pub energies: Vec<f64>,
    /// Codes of the single-flip minima (every flip raises the energy), lowest first.
    pub minima: Vec<usize>,
    /// `barriers[a][b]`: the lowest, over all single-flip paths from minimum `a` to minimum `b`,
    /// of the highest energy on the path (the minimum energies on the diagonal).
    pub barriers: Vec<Vec<f64>>,
}

impl ExactLandscape {
    /// The code of a level vector.
    pub fn code(s: &[u8]) -> usize {
        s.iter().enumerate().map(|(i, &l)| usize::from(l) << i).sum()
    }
}

impl SherringtonKirkpatrick {
    /// Enumerates all `2^N` states (`N <= 24`): energies, single-flip minima, and exact minimax
    /// barriers by flooding the hypercube in order of energy with union-find. The ground truth
    /// that tests of ADELM and GWL compare against.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `N > 24`.
    ///
    /// # Example
    /// ```
    /// use elm_core::reference::SherringtonKirkpatrick;
    /// use rand::SeedableRng;
    /// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
    /// let exact = SherringtonKirkpatrick::sample(10, &mut rng).unwrap().exact_landscape().unwrap();
    /// // Mirror symmetry: minima come in pairs, the ground state pair first.
    /// assert_eq!(exact.minima.len() % 2, 0);
    /// assert_eq!(exact.energies[exact.minima[0]], exact.energies[exact.minima[1]]);
    /// ```
    pub fn exact_landscape(&self) -> Result<ExactLandscape> {
        let n = self.n;
        if n > 24 {
            return Err(Error::invalid("n", n, "exact enumeration needs n <= 24"));
        }
        let states = 1usize << n;
        let mut s = vec![0u8; n];
        let energies: Vec<f64> = (0..states)
            .map(|c| {
                for (i, l) in s.iter_mut().enumerate() {
                    *l = ((c >> i) & 1) as u8;
                }
                self.energy(&s)
            })
            .collect();
        let mut minima: Vec<usize> =
            (0..states).filter(|&c| (0..n).all(|i| energies[c ^ (1 << i)] > energies[c])).collect();
        minima.sort_by(|&a, &b| energies[a].total_cmp(&energies[b]).then(a.cmp(&b)));
        let index: std::collections::HashMap<usize, usize> = minima.iter().enumerate().map(|(k, &c)| (c, k)).collect();
        let m = minima.len();
        let mut barriers = vec![vec![f64::INFINITY; m]; m];
        let mut order: Vec<usize> = (0..states).collect();
        order.sort_by(|&a, &b| energies[a].total_cmp(&energies[b]).then(a.cmp(&b)));
        let mut parent: Vec<usize> = (0..states).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        let mut visited = vec![false; states];
        let mut members: Vec<Vec<usize>> = vec![vec![]; states];
        for &c in &order {
            visited[c] = true;
            if let Some(&k) = index.get(&c) {
                members[c].push(k);
                barriers[k][k] = energies[c];
            }
            for i in 0..n {
                let nb = c ^ (1 << i);
                if !visited[nb] {
                    continue;
                }
                let (rc, rn) = (find(&mut parent, c), find(&mut parent, nb));
                if rc == rn {
                    continue;
                }
                for &a in &members[rc] {
                    for &b in &members[rn] {
                        barriers[a][b] = energies[c];
                        barriers[b][a] = energies[c];
                    }
                }
                let moved = std::mem::take(&mut members[rn]);
                parent[rn] = rc;
                members[rc].extend(moved);
            }
        }
        Ok(ExactLandscape { energies, minima, barriers })
    }
}

#[inline]
fn spin(level: u8) -> f64 {
    if level == 0 { -1.0 } else { 1.0 }
}

impl DiscreteEnergy for SherringtonKirkpatrick {
    fn sites(&self) -> usize {
        self.n
    }
    fn levels(&self) -> usize {
        2
    }
    fn level_value(&self, level: u8) -> f64 {
        spin(level)
    }
    fn energy(&self, s: &[u8]) -> f64 {
        // E = -(1/2) Σ_i σ_i h_i
        -0.5 * (0..self.n).map(|i| spin(s[i]) * self.field(s, i)).sum::<f64>()
    }
    fn delta(&self, s: &[u8], i: usize, v: u8) -> f64 {
        if s[i] == v { 0.0 } else { 2.0 * spin(s[i]) * self.field(s, i) }
    }
    fn aux_len(&self) -> usize {
        self.n
    }
    fn init_aux(&self, s: &[u8], aux: &mut [f64]) {
        for (i, h) in aux.iter_mut().enumerate() {
            *h = self.field(s, i);
        }
    }
    #[inline]
    fn delta_aux(&self, s: &[u8], aux: &[f64], i: usize, v: u8) -> f64 {
        if s[i] == v { 0.0 } else { 2.0 * spin(s[i]) * aux[i] }
    }
    fn update_aux(&self, s: &[u8], aux: &mut [f64], i: usize, v: u8) {
        if s[i] == v {
            return;
        }
        let change = spin(v) - spin(s[i]);
        let row = &self.couplings[i * self.n..(i + 1) * self.n];
        aux.iter_mut().zip(row).for_each(|(h, j)| *h += j * change);
    }
    fn delta_levels(&self, s: &[u8], aux: &[f64], i: usize, out: &mut [f64]) {
        let flip = 2.0 * spin(s[i]) * aux[i];
        out[usize::from(s[i])] = 0.0;
        out[usize::from(1 - s[i])] = flip;
    }
    fn steepest_move(&self, s: &[u8], aux: &[f64], tolerance: f64) -> Option<(usize, u8, f64)> {
        // Branch-free scan of the flip deltas 2 σ_i h_i (σ = 2 s - 1); ties keep the lowest site.
        let (mut best_i, mut best_d) = (usize::MAX, -tolerance);
        for (i, (&l, &h)) in s.iter().zip(aux).enumerate() {
            let d = 2.0 * (2.0 * f64::from(l) - 1.0) * h;
            if d < best_d {
                best_d = d;
                best_i = i;
            }
        }
        (best_i != usize::MAX).then(|| (best_i, 1 - s[best_i], best_d))
    }
}
