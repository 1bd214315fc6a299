//! The spherical 3-spin glass (seed 002 Eq. 14): gradients and Hessians against finite
//! differences on the sphere, minimizers that end on the sphere at a stationary point, and the
//! minima's Hessian index.

use elm_core::reference::SphericalPSpin;
use elm_core::{Energy, Gradient, Lbfgs, LocalMinimizer};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

fn instance(n: usize, seed: u64) -> (SphericalPSpin, Xoshiro256PlusPlus) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (SphericalPSpin::sample(n, &mut rng).unwrap(), rng)
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// Symmetric eigenvalues by Jacobi rotations (small test matrices only).
fn eigenvalues(mut a: Vec<f64>, n: usize) -> Vec<f64> {
    for _ in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * n + j].powi(2))
            .sum();
        if off < 1e-22 {
            break;
        }
        for p in 0..n {
            for q in (p + 1)..n {
                let apq = a[p * n + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let (c, s) = (1.0 / (t * t + 1.0).sqrt(), t / (t * t + 1.0).sqrt());
                for k in 0..n {
                    let (akp, akq) = (a[k * n + p], a[k * n + q]);
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p * n + k], a[q * n + k]);
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
            }
        }
    }
    let mut ev: Vec<f64> = (0..n).map(|i| a[i * n + i]).collect();
    ev.sort_by(f64::total_cmp);
    ev
}

#[test]
fn energy_is_homogeneous_and_normalized() {
    let (h, mut rng) = instance(12, 1);
    let w = h.random_point(&mut rng);
    assert!((norm(&w).powi(2) - 12.0).abs() < 1e-9);
    // H(t w) = t^3 H(w); the radial energy ignores the scale.
    let w2: Vec<f64> = w.iter().map(|x| 2.0 * x).collect();
    assert!((h.hamiltonian(&w2) - 8.0 * h.hamiltonian(&w)).abs() < 1e-9);
    assert!((h.energy(&w2) - h.hamiltonian(&w)).abs() < 1e-9);
    // Var H = N on the sphere: the mean of H^2 over random points of one instance is O(N)
    // (over instances exactly N; one instance and 400 points: within a factor 2).
    let mean_sq: f64 = (0..400).map(|_| h.hamiltonian(&h.random_point(&mut rng)).powi(2)).sum::<f64>() / 400.0;
    assert!(mean_sq > 6.0 && mean_sq < 24.0, "{mean_sq}");
}

#[test]
fn gradients_and_hessians_match_finite_differences_on_the_sphere() {
    let (h, mut rng) = instance(8, 2);
    let n = 8;
    let w = h.random_point(&mut rng);
    // The radial energy's gradient.
    let mut g = vec![0.0; n];
    h.energy_gradient(&w, &mut g);
    let eps = 1e-6;
    for i in 0..n {
        let (mut p, mut m) = (w.clone(), w.clone());
        p[i] += eps;
        m[i] -= eps;
        let fd = (h.energy(&p) - h.energy(&m)) / (2.0 * eps);
        assert!((fd - g[i]).abs() < 1e-6 * (1.0 + g[i].abs()), "gradient {i}: {fd} vs {}", g[i]);
    }
    // On the sphere the radial energy's gradient is the Riemannian gradient.
    let rg = h.riemannian_gradient(&w);
    assert!(rg.iter().zip(&g).all(|(a, b)| (a - b).abs() < 1e-9));
    assert!(rg.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>().abs() < 1e-9, "tangent");
    // The Riemannian Hessian: second derivative of H along geodesics through w,
    // d²/dt² H(cos(t) w + sin(t) sqrt(N) u) at t = 0 for a unit tangent u equals uᵀ Hess u · N.
    let hess = h.riemannian_hessian(&w);
    for _ in 0..5 {
        let z = h.random_point(&mut rng);
        let dot: f64 = z.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>() / n as f64;
        let mut u: Vec<f64> = z.iter().zip(&w).map(|(a, b)| a - dot * b).collect();
        let un = norm(&u);
        u.iter_mut().for_each(|x| *x /= un);
        let geo = |t: f64| -> f64 {
            let x: Vec<f64> = w.iter().zip(&u).map(|(a, b)| t.cos() * a + t.sin() * (n as f64).sqrt() * b).collect();
            h.hamiltonian(&x)
        };
        let e = 1e-4;
        let fd = (geo(e) - 2.0 * geo(0.0) + geo(-e)) / (e * e);
        let quad: f64 =
            (0..n).map(|i| (0..n).map(|j| u[i] * hess[i * n + j] * u[j]).sum::<f64>()).sum::<f64>() * n as f64;
        assert!((fd - quad).abs() < 1e-4 * (1.0 + quad.abs()), "{fd} vs {quad}");
        // The normal direction is a zero mode.
        let hw: f64 = (0..n).map(|i| (0..n).map(|j| w[i] * hess[i * n + j] * w[j]).sum::<f64>()).sum();
        assert!(hw.abs() < 1e-8);
    }
}

#[test]
fn minimizers_end_on_the_sphere_at_minima_of_index_zero() {
    let (h, mut rng) = instance(10, 3);
    let n = 10;
    for k in 0..5 {
        // The seed's projected gradient descent with a constant step.
        let mut w = h.random_point(&mut rng);
        let (e, iterations) = h.descend(&mut w, 0.05, 1e-6, 200_000).unwrap();
        assert!(iterations < 200_000, "start {k}: no convergence");
        assert!((norm(&w).powi(2) - n as f64).abs() < 1e-9);
        assert!(norm(&h.riemannian_gradient(&w)) < 1e-6);
        // Index 0: the tangent eigenvalues of the Riemannian Hessian are all >= 0 (one zero
        // eigenvalue is the normal direction).
        let ev = eigenvalues(h.riemannian_hessian(&w), n);
        assert!(ev[0] > -1e-6, "start {k}: negative curvature {}", ev[0]);
        assert_eq!(ev.iter().filter(|&&x| x.abs() < 1e-6).count(), 1, "{ev:?}");
        // L-BFGS on the radial energy from the same start finds a stationary point too.
        let mut v = h.random_point(&mut rng);
        Lbfgs::default().with_gradient_tolerance(1e-10).minimize(&h, &mut v).unwrap();
        let w2 = h.project(&v);
        assert!(norm(&h.riemannian_gradient(&w2)) < 1e-6);
        let ev = eigenvalues(h.riemannian_hessian(&w2), n);
        assert!(ev[0] > -1e-6, "L-BFGS start {k}: index > 0");
        let per_spin = e / n as f64;
        assert!(per_spin > -2.5 && per_spin < -0.5, "{per_spin}");
    }
}

#[test]
fn bad_inputs_are_errors() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(0);
    assert!(SphericalPSpin::sample(1, &mut rng).is_err());
    assert!(SphericalPSpin::sample(601, &mut rng).is_err());
    assert!(SphericalPSpin::from_couplings(2, &[0.0; 7]).is_err());
    assert!(SphericalPSpin::from_couplings(2, &[f64::NAN; 8]).is_err());
    let (h, _) = instance(4, 4);
    let mut w = vec![1.0; 3];
    assert!(h.descend(&mut w, 0.1, 1e-6, 10).is_err());
    let mut w = vec![1.0; 4];
    assert!(h.descend(&mut w, 0.0, 1e-6, 10).is_err());
    // A start on no ray of the sphere is a typed error; a huge step jumps around the sphere
    // (the projection keeps it there): a sane, unconverged result.
    assert!(h.descend(&mut vec![0.0; 4], 0.1, 1e-6, 10).is_err());
    assert!(h.descend(&mut vec![f64::INFINITY; 4], 0.1, 1e-6, 10).is_err());
    let (e, iterations) = h.descend(&mut w, 1e300, 1e-6, 10).unwrap();
    assert!(e.is_finite() && iterations == 10 && (norm(&w).powi(2) - 4.0).abs() < 1e-9);
}
