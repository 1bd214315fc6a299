//! The dense symmetric eigen-solvers agree (LAPACK only with the `lapack` feature).

use elm_paths::{EigenSolver, symmetric_eigen, symmetric_eigen_with};

/// A deterministic symmetric `d x d` matrix with a spread spectrum.
fn matrix(d: usize) -> Vec<f64> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    let mut m = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let v = next() + if i == j { i as f64 / d as f64 } else { 0.0 };
            m[i * d + j] = v;
            m[j * d + i] = v;
        }
    }
    m
}

/// `|A v - λ v|` for every pair, the largest.
fn residual(m: &[f64], d: usize, values: &[f64], vectors: &[Vec<f64>]) -> f64 {
    let mut worst: f64 = 0.0;
    for (l, v) in values.iter().zip(vectors) {
        for i in 0..d {
            let av: f64 = (0..d).map(|j| m[i * d + j] * v[j]).sum();
            worst = worst.max((av - l * v[i]).abs());
        }
    }
    worst
}

#[test]
fn the_default_solver_is_accurate_and_ascending() {
    for d in [1, 2, 7, 40, 80] {
        let m = matrix(d);
        let (values, vectors) = symmetric_eigen(&m, d).unwrap();
        assert!(values.windows(2).all(|w| w[0] <= w[1]));
        assert!(residual(&m, d, &values, &vectors) < 1e-10, "d = {d}");
    }
}

#[cfg(feature = "lapack")]
#[test]
fn lapack_and_nalgebra_agree() {
    assert_eq!(EigenSolver::for_dimension(EigenSolver::LAPACK_FROM), EigenSolver::Lapack);
    assert_eq!(EigenSolver::for_dimension(EigenSolver::LAPACK_FROM - 1), EigenSolver::Nalgebra);
    for d in [1, 5, 64, 150] {
        let m = matrix(d);
        let (a, va) = symmetric_eigen_with(&m, d, EigenSolver::Nalgebra).unwrap();
        let (b, vb) = symmetric_eigen_with(&m, d, EigenSolver::Lapack).unwrap();
        assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-10), "d = {d}");
        assert!(residual(&m, d, &b, &vb) < 1e-10);
        // Eigenvectors agree up to sign (the spectrum has no repeated values).
        for (x, y) in va.iter().zip(&vb) {
            let c: f64 = x.iter().zip(y).map(|(p, q)| p * q).sum();
            assert!((c.abs() - 1.0).abs() < 1e-8, "d = {d}: |cos| = {}", c.abs());
        }
    }
}

#[test]
fn bad_matrices_are_errors() {
    assert!(symmetric_eigen_with(&[], 0, EigenSolver::Nalgebra).is_err());
    assert!(symmetric_eigen_with(&[1.0, 2.0], 2, EigenSolver::Nalgebra).is_err());
    assert!(symmetric_eigen_with(&[f64::NAN], 1, EigenSolver::Nalgebra).is_err());
    assert_eq!(EigenSolver::for_dimension(3), EigenSolver::Nalgebra);
    #[cfg(not(feature = "lapack"))]
    assert_eq!(EigenSolver::for_dimension(5000), EigenSolver::Nalgebra);
}
