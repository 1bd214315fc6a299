//! Hessians, their spectra, and Lanczos for the lowest eigenvalues of large Hessians.

use crate::error::Result;
use elm_core::{Gradient, check};
use nalgebra::{DMatrix, SymmetricEigen};

/// The Hessian of `energy` at `x` by central differences of the analytic gradient,
///
/// $$ H_{ij} \approx \frac{\partial_j E(x + h e_i) - \partial_j E(x - h e_i)}{2h}, $$
///
/// symmetrized; row-major `d x d`. `2d` gradient evaluations, error `O(h^2)`.
///
/// # Errors
/// Dimension mismatch, non-finite `x` or gradients, `h <= 0`.
///
/// # Example
/// ```
/// use elm_core::reference::Gaussian;
/// use elm_paths::{finite_difference_hessian, symmetric_eigen};
/// let g = Gaussian::from_covariance(vec![0.0, 0.0], &[2.0, 0.0, 0.0, 0.5]).unwrap();
/// let h = finite_difference_hessian(&g, &[0.3, -0.2], 1e-4).unwrap();
/// let (values, _) = symmetric_eigen(&h, 2).unwrap();
/// assert!((values[0] - 0.5).abs() < 1e-6 && (values[1] - 2.0).abs() < 1e-6);
/// ```
pub fn finite_difference_hessian<E: Gradient + ?Sized>(energy: &E, x: &[f64], h: f64) -> Result<Vec<f64>> {
    let d = energy.dim();
    check::dim("Hessian point", d, x.len())?;
    check::all_finite("Hessian point", x)?;
    check::positive("h", h)?;
    let mut hess = vec![0.0; d * d];
    let mut xp = x.to_vec();
    let (mut gp, mut gm) = (vec![0.0; d], vec![0.0; d]);
    for i in 0..d {
        xp[i] = x[i] + h;
        energy.energy_gradient(&xp, &mut gp);
        xp[i] = x[i] - h;
        energy.energy_gradient(&xp, &mut gm);
        xp[i] = x[i];
        for j in 0..d {
            hess[i * d + j] = (gp[j] - gm[j]) / (2.0 * h);
        }
    }
    check::all_finite("Hessian", &hess)?;
    for i in 0..d {
        for j in (i + 1)..d {
            let v = 0.5 * (hess[i * d + j] + hess[j * d + i]);
            hess[i * d + j] = v;
            hess[j * d + i] = v;
        }
    }
    Ok(hess)
}

/// A dense symmetric eigen-solver for [`symmetric_eigen_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EigenSolver {
    /// nalgebra's symmetric QR algorithm (pure Rust; always available).
    Nalgebra,
    /// LAPACK's divide-and-conquer `dsyevd` through ndarray-linalg, linked against the system
    /// OpenBLAS (feature `lapack`; Debian `libopenblas-dev`).
    #[cfg(feature = "lapack")]
    #[cfg_attr(docsrs, doc(cfg(feature = "lapack")))]
    Lapack,
}

impl EigenSolver {
    /// The solver [`symmetric_eigen`] uses for a `d x d` matrix: nalgebra, or — with the
    /// `lapack` feature — LAPACK from [`EigenSolver::LAPACK_FROM`] dimensions on. Measured on
    /// this project's 2-core machine (`benches/paths.rs`, group `symmetric_eigen`; Debian's
    /// OpenBLAS 0.3.21 behind LAPACK): 3.8 ms vs 5.5 ms at `d = 136` and 1.26 s vs 1.29 s at
    /// `d = 1000` (nalgebra ahead or level), 66.1 s vs 45.9 s at `d = 3000` (LAPACK 1.44x faster).
    pub fn for_dimension(d: usize) -> Self {
        #[cfg(feature = "lapack")]
        if d >= Self::LAPACK_FROM {
            return EigenSolver::Lapack;
        }
        let _ = d;
        EigenSolver::Nalgebra
    }

    /// The dimension from which [`EigenSolver::for_dimension`] picks LAPACK when the `lapack`
    /// feature is on (between the measured tie at 1000 and LAPACK's lead at 3000).
    pub const LAPACK_FROM: usize = 2000;
}

/// Eigenvalues (ascending) and eigenvectors (`vectors[k]` belongs to `values[k]`) of a
/// symmetric row-major `d x d` matrix, by [`EigenSolver::for_dimension`] (nalgebra's symmetric QR
/// algorithm in pure Rust; LAPACK for matrices of 2000 rows and more with the `lapack` feature).
///
/// # Errors
/// `EmptyInput` for `d = 0`, `DimensionMismatch` unless `matrix.len() == d²`, `NonFinite`
/// entries (or a LAPACK failure, reported as `NonFinite`).
pub fn symmetric_eigen(matrix: &[f64], d: usize) -> Result<(Vec<f64>, Vec<Vec<f64>>)> {
    symmetric_eigen_with(matrix, d, EigenSolver::for_dimension(d))
}

/// [`symmetric_eigen`] with a chosen solver.
///
/// # Errors
/// As [`symmetric_eigen`].
///
/// # Example
/// ```
/// use elm_paths::{EigenSolver, symmetric_eigen_with};
/// let (values, vectors) = symmetric_eigen_with(&[2.0, 1.0, 1.0, 2.0], 2, EigenSolver::Nalgebra).unwrap();
/// assert!((values[0] - 1.0).abs() < 1e-12 && (values[1] - 3.0).abs() < 1e-12);
/// assert!((vectors[0][0] + vectors[0][1]).abs() < 1e-12);
/// ```
pub fn symmetric_eigen_with(matrix: &[f64], d: usize, solver: EigenSolver) -> Result<(Vec<f64>, Vec<Vec<f64>>)> {
    if d == 0 {
        return Err(elm_core::Error::EmptyInput("matrix").into());
    }
    let cells = d.checked_mul(d).ok_or_else(|| elm_core::Error::invalid("d", d, "d x d entries overflow"))?;
    check::dim("symmetric matrix", cells, matrix.len())?;
    check::all_finite("symmetric matrix", matrix)?;
    match solver {
        EigenSolver::Nalgebra => {
            let m = DMatrix::from_row_slice(d, d, matrix);
            let eig = SymmetricEigen::new(m);
            let mut order: Vec<usize> = (0..d).collect();
            order.sort_by(|&a, &b| eig.eigenvalues[a].total_cmp(&eig.eigenvalues[b]));
            let values = order.iter().map(|&k| eig.eigenvalues[k]).collect();
            let vectors = order.iter().map(|&k| eig.eigenvectors.column(k).iter().copied().collect()).collect();
            Ok((values, vectors))
        }
        #[cfg(feature = "lapack")]
        EigenSolver::Lapack => {
            use ndarray_linalg::{Eigh, UPLO};
            let a = ndarray::Array2::from_shape_vec((d, d), matrix.to_vec())
                .map_err(|_| elm_core::Error::invalid("d", d, "matrix shape"))?;
            // Row-major symmetric: its lower triangle is the upper of the column-major view.
            let (values, vectors) = a.eigh(UPLO::Lower).map_err(|_| elm_core::Error::NonFinite("LAPACK dsyevd"))?;
            let values: Vec<f64> = values.to_vec();
            let vectors = (0..d).map(|k| vectors.column(k).to_vec()).collect();
            Ok((values, vectors))
        }
    }
}

/// Hessian-vector product `H v ≈ (∇E(x + h v̂) - ∇E(x - h v̂)) |v| / (2h)` from two gradients.
///
/// # Errors
/// `DimensionMismatch` unless `x`, `v` and `out` all have the energy's dimension;
/// `InvalidParameter` for `h <= 0`.
pub fn hessian_vector_product<E: Gradient + ?Sized>(
    energy: &E,
    x: &[f64],
    v: &[f64],
    h: f64,
    out: &mut [f64],
) -> Result<()> {
    let d = energy.dim();
    check::dim("Hessian point", d, x.len())?;
    check::dim("Hessian-vector product vector", d, v.len())?;
    check::dim("Hessian-vector product output", d, out.len())?;
    check::positive("h", h)?;
    let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
    if norm == 0.0 {
        out.iter_mut().for_each(|o| *o = 0.0);
        return Ok(());
    }
    let d = x.len();
    let xp: Vec<f64> = x.iter().zip(v).map(|(a, b)| a + h * b / norm).collect();
    let xm: Vec<f64> = x.iter().zip(v).map(|(a, b)| a - h * b / norm).collect();
    let (mut gp, mut gm) = (vec![0.0; d], vec![0.0; d]);
    energy.energy_gradient(&xp, &mut gp);
    energy.energy_gradient(&xm, &mut gm);
    for k in 0..d {
        out[k] = (gp[k] - gm[k]) * norm / (2.0 * h);
    }
    Ok(())
}

/// The `count` smallest eigenvalues of a symmetric operator given by its matrix-vector product,
/// by the Lanczos iteration with full reorthogonalization (`steps` Krylov vectors, started from
/// a deterministic pseudo-random vector). For Hessians too large to form, pass
/// [`hessian_vector_product`].
///
/// # Errors
/// `InvalidParameter` for `d = 0`, `count = 0` or `steps < count`.
///
/// # Example
/// ```
/// use elm_paths::lanczos_smallest;
/// // diag(1..=50): the two smallest eigenvalues are 1 and 2.
/// let values = lanczos_smallest(50, 2, 50, |v, out| for k in 0..50 { out[k] = (k + 1) as f64 * v[k] }).unwrap();
/// assert!((values[0] - 1.0).abs() < 1e-8 && (values[1] - 2.0).abs() < 1e-8);
/// ```
pub fn lanczos_smallest<F>(d: usize, count: usize, steps: usize, apply: F) -> Result<Vec<f64>>
where
    F: FnMut(&[f64], &mut [f64]),
{
    check::at_least("d", d, 1)?;
    check::at_least("count", count, 1)?;
    check::at_least("steps", steps, count)?;
    // Deterministic, non-degenerate start vector.
    let start: Vec<f64> = (0..d).map(|k| 1.0 + ((k as f64 + 1.0) * 0.618_033_988_75).fract()).collect();
    let (mut values, _) = lanczos_ritz(&start, steps, 0, apply);
    values.truncate(count);
    Ok(values)
}

/// Lanczos with full reorthogonalization from `start` (any non-zero vector): every Ritz value
/// (ascending) and the Ritz vectors of the `vectors` smallest.
pub(crate) fn lanczos_ritz<F>(start: &[f64], steps: usize, vectors: usize, mut apply: F) -> (Vec<f64>, Vec<Vec<f64>>)
where
    F: FnMut(&[f64], &mut [f64]),
{
    let d = start.len();
    let m = steps.min(d).max(1);
    let mut basis: Vec<Vec<f64>> = Vec::with_capacity(m);
    let mut q = start.to_vec();
    normalize(&mut q);
    let (mut alpha, mut beta) = (Vec::with_capacity(m), Vec::with_capacity(m));
    let mut w = vec![0.0; d];
    for j in 0..m {
        basis.push(q.clone());
        apply(&q, &mut w);
        let a: f64 = w.iter().zip(&q).map(|(x, y)| x * y).sum();
        alpha.push(a);
        // Full reorthogonalization against the whole basis (twice for stability).
        for _ in 0..2 {
            for b in &basis {
                let c: f64 = w.iter().zip(b).map(|(x, y)| x * y).sum();
                w.iter_mut().zip(b).for_each(|(x, y)| *x -= c * y);
            }
        }
        let nb = w.iter().map(|x| x * x).sum::<f64>().sqrt();
        if j + 1 == m || nb < 1e-12 {
            break;
        }
        beta.push(nb);
        q = w.iter().map(|x| x / nb).collect();
    }
    let k = alpha.len();
    let mut t = DMatrix::zeros(k, k);
    for i in 0..k {
        t[(i, i)] = alpha[i];
        if i + 1 < k {
            t[(i, i + 1)] = beta[i];
            t[(i + 1, i)] = beta[i];
        }
    }
    let eig = SymmetricEigen::new(t);
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| eig.eigenvalues[a].total_cmp(&eig.eigenvalues[b]));
    let values = order.iter().map(|&i| eig.eigenvalues[i]).collect();
    let ritz = order
        .iter()
        .take(vectors)
        .map(|&i| {
            let mut v = vec![0.0; d];
            for (j, b) in basis.iter().enumerate() {
                let c = eig.eigenvectors[(j, i)];
                v.iter_mut().zip(b).for_each(|(x, y)| *x += c * y);
            }
            normalize(&mut v);
            v
        })
        .collect();
    (values, ritz)
}

fn normalize(v: &mut [f64]) {
    let n = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    v.iter_mut().for_each(|x| *x /= n);
}
