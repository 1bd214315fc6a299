//! Inputs that used to panic or give silently wrong results (issue "Never panic, never hang,
//! never lose a record").

use elm_core::reference::{Gaussian, MullerBrown};
use elm_core::{Energy, Gradient};
use elm_paths::{explore_minima, hessian_vector_product, linear_interpolation, symmetric_eigen};

#[test]
fn eigen_and_hessian_products_check_their_lengths() {
    assert!(symmetric_eigen(&[1.0, 0.0, 0.0], 2).is_err());
    assert!(symmetric_eigen(&[], 0).is_err());
    assert!(symmetric_eigen(&[1.0, f64::NAN, f64::NAN, 1.0], 2).is_err());
    assert_eq!(symmetric_eigen(&[2.0, 0.0, 0.0, 1.0], 2).unwrap().0, vec![1.0, 2.0]);
    let g = Gaussian::isotropic(2, 1.0).unwrap();
    let mut out = [0.0; 2];
    assert!(hessian_vector_product(&g, &[0.0, 0.0, 0.0], &[1.0, 0.0], 1e-4, &mut out).is_err());
    assert!(hessian_vector_product(&g, &[0.0, 0.0], &[1.0], 1e-4, &mut out).is_err());
    assert!(hessian_vector_product(&g, &[0.0, 0.0], &[1.0, 0.0], 0.0, &mut out).is_err());
    let mut short = [0.0; 1];
    assert!(hessian_vector_product(&g, &[0.0, 0.0], &[1.0, 0.0], 1e-4, &mut short).is_err());
    hessian_vector_product(&g, &[0.0, 0.0], &[1.0, 0.0], 1e-4, &mut out).unwrap();
    assert!((out[0] - 1.0).abs() < 1e-6 && out[1].abs() < 1e-6);
}

/// Müller-Brown, undefined (NaN) in the disc of radius 0.2 around (-0.3, 0.9).
struct Holed;

impl Energy for Holed {
    fn dim(&self) -> usize {
        2
    }
    fn energy(&self, p: &[f64]) -> f64 {
        if (p[0] + 0.3).hypot(p[1] - 0.9) < 0.2 { f64::NAN } else { MullerBrown::new().energy(p) }
    }
}

impl Gradient for Holed {
    fn energy_gradient(&self, p: &[f64], g: &mut [f64]) -> f64 {
        MullerBrown::new().energy_gradient(p, g);
        self.energy(p)
    }
}

#[test]
fn interpolations_through_undefined_points_report_no_barrier() {
    let [a, _, c] = MullerBrown::MINIMA.map(|m| m.1);
    // The segment A-C crosses the hole.
    let path = linear_interpolation(&Holed, &a, &c, 101).unwrap();
    assert!(path.energies.iter().any(|e| e.is_nan()));
    assert!(path.barrier().is_nan());
}

#[test]
fn exploration_rejects_barriers_below_their_minima() {
    let r = explore_minima(&[-2.0, -1.0, 0.0], 10, |_, _| Ok(Some(-5.0)));
    assert!(r.is_err());
    let r = explore_minima(&[-2.0, -1.0, 0.0], 10, |_, _| Ok(Some(f64::NAN)));
    assert!(r.is_err());
    assert!(explore_minima(&[-2.0, -1.0, 0.0], 10, |a, b| Ok(Some(a.max(b) as f64))).is_ok());
}
