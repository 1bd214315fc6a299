//! The spherical 3-spin glass of seed 002 Sec. VII A (Eq. 14).

use crate::energy::{Energy, Gradient};
use crate::error::{Error, Result, check};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// The spherical `p = 3` spin glass of seed 002 Eq. 14:
///
/// $$ H_{N,3}(w) = \frac{1}{N} \sum_{i,j,k=1}^{N} x_{ijk}\\, w_i w_j w_k, \qquad
///    x_{ijk} \sim \mathcal N(0, 1), \qquad \sum_i w_i^2 = N. $$
///
/// With this normalization the variance of `H` is `N` on the sphere, and (Auffinger, Ben Arous
/// & Černý 2013) the local minima concentrate, as `N` grows, in the band `-E_0 <= H/N <=
/// -E_∞` with `E_∞ = 2 sqrt(2/3) = 1.63299` ([`SphericalPSpin::THRESHOLD`]) and `E_0 ≈ 1.657`
/// ([`SphericalPSpin::GROUND_BOUND`]).
///
/// The couplings are stored symmetrized (`s_{ijk}` = the mean of `x` over the 6 permutations of
/// `(i, j, k)`, which leaves `H` unchanged), so the Euclidean gradient is `3/N s(w, w, ·)` and
/// the Hessian `6/N s(w, ·, ·)`; every evaluation is `O(N^3)`.
///
/// # Two ways to use it
/// - On the sphere: [`SphericalPSpin::hamiltonian`], [`SphericalPSpin::riemannian_gradient`],
///   [`SphericalPSpin::riemannian_hessian`] and [`SphericalPSpin::descend`] (the seed's
///   projected gradient descent with a constant step until the Riemannian gradient norm is
///   below a tolerance) work with points `w` on the sphere.
/// - As an ordinary [`Energy`] + [`Gradient`] over `v ∈ R^N \ {0}`: `E(v) = H(sqrt(N) v/|v|)`,
///   the Hamiltonian of the radial projection. `E` is constant along rays, so its stationary
///   points are the rays through the sphere's, with the same energies and (in the tangent
///   directions) the same Hessian index; every minimizer, sampler and path method of the
///   workspace (L-BFGS — the fast default —, NEB, eigenvector following) runs on it unchanged.
///   [`SphericalPSpin::project`] maps a result back onto the sphere.
///
/// # Example
/// ```
/// use elm_core::{Energy, Lbfgs, LocalMinimizer, reference::SphericalPSpin};
/// use rand::SeedableRng;
/// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
/// let h = SphericalPSpin::sample(30, &mut rng).unwrap();
/// let mut v = h.random_point(&mut rng);
/// Lbfgs::default().with_gradient_tolerance(1e-10).minimize(&h, &mut v).unwrap();
/// let w = h.project(&v);
/// assert!(h.riemannian_gradient(&w).iter().map(|g| g * g).sum::<f64>().sqrt() < 1e-6);
/// // A local minimum of a 30-spin instance lies near the band of seed 002 Fig. 12.
/// let e = h.hamiltonian(&w) / 30.0;
/// assert!(e < -1.3 && e > -1.8, "{e}");
/// ```
///
/// # References
/// Seed 002 Sec. VII A, Eq. 14, Fig. 12-15; A. Auffinger, G. Ben Arous, J. Černý, *Random
/// matrices and complexity of spin glasses*, Comm. Pure Appl. Math. 66 (2013).
#[derive(Debug, Clone, PartialEq)]
pub struct SphericalPSpin {
    n: usize,
    /// Symmetrized couplings, `n^3` row-major.
    s: Vec<f64>,
}

impl SphericalPSpin {
    /// `E_∞ = 2 sqrt(2/3)`: the level `-E_∞ N` near which random quenches end (seed 002).
    pub const THRESHOLD: f64 = 1.632_993_161_855_452;
    /// `E_0 ≈ 1.657`: no local minimum lies below `-E_0 N` as `N → ∞` (seed 002).
    pub const GROUND_BOUND: f64 = 1.657;

    /// An instance with `n` spins and couplings `x_ijk ~ N(0, 1)` drawn from `rng`.
    ///
    /// # Errors
    /// `InvalidParameter` for `n < 2` or more than 600 spins (the `n^3` couplings would not fit in
    /// memory comfortably: 1.7 GB).
    pub fn sample<R: Rng + ?Sized>(n: usize, rng: &mut R) -> Result<Self> {
        check::at_least("n", n, 2)?;
        if n > 600 {
            return Err(Error::invalid("n", n, "at most 600 spins (n^3 couplings are stored)"));
        }
        let x: Vec<f64> = (0..n * n * n).map(|_| StandardNormal.sample(rng)).collect();
        Self::from_couplings(n, &x)
    }

    /// An instance with the given `n^3` couplings `x_ijk` (row-major, not necessarily
    /// symmetric).
    ///
    /// # Errors
    /// `DimensionMismatch`, `NonFinite`, `InvalidParameter` for `n < 2`.
    pub fn from_couplings(n: usize, x: &[f64]) -> Result<Self> {
        check::at_least("n", n, 2)?;
        check::dim("couplings", n * n * n, x.len())?;
        check::all_finite("couplings", x)?;
        let at = |i: usize, j: usize, k: usize| x[(i * n + j) * n + k];
        let mut s = vec![0.0; n * n * n];
        for i in 0..n {
            for j in 0..n {
                for k in 0..n {
                    s[(i * n + j) * n + k] =
                        (at(i, j, k) + at(i, k, j) + at(j, i, k) + at(j, k, i) + at(k, i, j) + at(k, j, i)) / 6.0;
                }
            }
        }
        Ok(Self { n, s })
    }

    /// Number of spins `N`.
    pub fn spins(&self) -> usize {
        self.n
    }

    /// `H(w)` for any `w` (on the sphere for the seed's energies).
    pub fn hamiltonian(&self, w: &[f64]) -> f64 {
        let n = self.n;
        let mut total = 0.0;
        for i in 0..n {
            let mut row = 0.0;
            for j in 0..n {
                let base = (i * n + j) * n;
                let inner: f64 = self.s[base..base + n].iter().zip(w).map(|(s, wk)| s * wk).sum();
                row += inner * w[j];
            }
            total += row * w[i];
        }
        total / n as f64
    }

    /// The Euclidean gradient `3/N s(w, w, ·)` into `g`; returns `H(w)`.
    fn euclidean_gradient(&self, w: &[f64], g: &mut [f64]) -> f64 {
        let n = self.n;
        // t_ij = Σ_k s_ijk w_k, then g_i = 3/N Σ_j t_ij w_j and H = 1/N Σ_i g_i w_i / 3.
        for (i, gi) in g.iter_mut().enumerate() {
            let mut acc = 0.0;
            for j in 0..n {
                let base = (i * n + j) * n;
                let t: f64 = self.s[base..base + n].iter().zip(w).map(|(s, wk)| s * wk).sum();
                acc += t * w[j];
            }
            *gi = 3.0 * acc / n as f64;
        }
        g.iter().zip(w).map(|(g, w)| g * w).sum::<f64>() / 3.0
    }

    /// The Euclidean Hessian `6/N s(w, ·, ·)`, `N x N` row-major.
    pub fn euclidean_hessian(&self, w: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut h = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                let base = (i * n + j) * n;
                h[i * n + j] = 6.0 * self.s[base..base + n].iter().zip(w).map(|(s, wk)| s * wk).sum::<f64>() / n as f64;
            }
        }
        h
    }

    /// `sqrt(N) w / |w|`: the point of the sphere on the ray through `w` (computed without
    /// overflow for huge `w`; NaN for `w = 0` or a non-finite `w`, which lie on no ray).
    pub fn project(&self, w: &[f64]) -> Vec<f64> {
        let largest = w.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        if largest == 0.0 || !largest.is_finite() {
            return vec![f64::NAN; w.len()];
        }
        let norm = w.iter().map(|x| (x / largest).powi(2)).sum::<f64>().sqrt();
        let scale = (self.n as f64).sqrt() / (norm * largest);
        w.iter().map(|x| x * scale).collect()
    }

    /// A point drawn uniformly on the sphere `|w|^2 = N` (a normalized Gaussian vector).
    pub fn random_point<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<f64> {
        let g: Vec<f64> = (0..self.n).map(|_| StandardNormal.sample(rng)).collect();
        self.project(&g)
    }

    /// The Riemannian gradient at `w` on the sphere: the Euclidean gradient projected on the
    /// tangent space, `(I - w wᵀ/N) ∇H`.
    pub fn riemannian_gradient(&self, w: &[f64]) -> Vec<f64> {
        let mut g = vec![0.0; self.n];
        let h = self.euclidean_gradient(w, &mut g);
        // w·∇H = 3H for a homogeneous cubic.
        let radial = 3.0 * h / self.n as f64;
        g.iter().zip(w).map(|(g, w)| g - radial * w).collect()
    }

    /// The Riemannian Hessian at `w` on the sphere `|w|^2 = N`, `N x N` row-major:
    ///
    /// $$ \mathrm{Hess}\\, H(w) = P \Big(\nabla^2 H(w) - \frac{w \cdot \nabla H(w)}{N} I\Big) P,
    ///    \qquad P = I - \frac{w w^\top}{N}. $$
    ///
    /// It has the eigenvalue 0 along `w` (the normal direction); the other `N - 1` are the
    /// curvatures in the sphere, whose negative count is the index of a stationary point.
    pub fn riemannian_hessian(&self, w: &[f64]) -> Vec<f64> {
        let n = self.n;
        let nf = n as f64;
        let mut a = self.euclidean_hessian(w);
        let shift = 3.0 * self.hamiltonian(w) / nf;
        for i in 0..n {
            a[i * n + i] -= shift;
        }
        // P A P = A - w (wᵀA)/N - (A w) wᵀ/N + w (wᵀ A w) wᵀ / N².
        let aw: Vec<f64> = (0..n).map(|i| (0..n).map(|j| a[i * n + j] * w[j]).sum()).collect();
        let waw: f64 = aw.iter().zip(w).map(|(x, y)| x * y).sum();
        let mut out = a;
        for i in 0..n {
            for j in 0..n {
                out[i * n + j] += -w[i] * aw[j] / nf - aw[i] * w[j] / nf + w[i] * waw * w[j] / (nf * nf);
            }
        }
        out
    }

    /// The seed's minimizer (seed 002 Sec. VII A): projected gradient descent on the sphere
    /// with a constant step, `w ← project(w - step · grad_R H(w))`, until the Riemannian gradient
    /// norm is below `tolerance` or `max_iterations` steps. Returns the energy and the
    /// iterations used; `w` is left on the sphere.
    ///
    /// # Errors
    /// `DimensionMismatch`; `InvalidParameter` for a non-positive step or tolerance;
    /// `NonFinite` if the descent blows up (a step too large for the instance).
    pub fn descend(&self, w: &mut Vec<f64>, step: f64, tolerance: f64, max_iterations: usize) -> Result<(f64, usize)> {
        check::dim("state", self.n, w.len())?;
        check::positive("step", step)?;
        check::positive("tolerance", tolerance)?;
        *w = self.project(w);
        if !w.iter().all(|x| x.is_finite()) {
            return Err(Error::NonFinite("descent start (no point of the sphere lies on its ray)"));
        }
        for it in 0..max_iterations {
            let g = self.riemannian_gradient(w);
            let norm = g.iter().map(|x| x * x).sum::<f64>().sqrt();
            if !norm.is_finite() {
                return Err(Error::NonFinite("Riemannian gradient"));
            }
            if norm < tolerance {
                return Ok((self.hamiltonian(w), it));
            }
            let moved: Vec<f64> = w.iter().zip(&g).map(|(x, g)| x - step * g).collect();
            let next = self.project(&moved);
            if !next.iter().all(|x| x.is_finite()) {
                return Err(Error::NonFinite("descent step (the step is too large for the instance)"));
            }
            *w = next;
        }
        Ok((self.hamiltonian(w), max_iterations))
    }
}

/// `E(v) = H(sqrt(N) v / |v|)`: the Hamiltonian of the radial projection (see the type docs).
impl Energy for SphericalPSpin {
    fn dim(&self) -> usize {
        self.n
    }

    fn energy(&self, v: &[f64]) -> f64 {
        self.hamiltonian(&self.project(v))
    }
}

impl Gradient for SphericalPSpin {
    fn energy_gradient(&self, v: &[f64], grad: &mut [f64]) -> f64 {
        // ∇_v E = (sqrt(N)/|v|) P_v ∇H(w) with w = sqrt(N) v/|v| (the Riemannian gradient at w,
        // scaled by the chain rule of the projection).
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        let w = self.project(v);
        let e = self.euclidean_gradient(&w, grad);
        let radial = 3.0 * e / self.n as f64;
        let scale = (self.n as f64).sqrt() / norm;
        for (g, wi) in grad.iter_mut().zip(&w) {
            *g = scale * (*g - radial * wi);
        }
        e
    }
}
