//! Local minimizers against known minima.

use elm_core::reference::{LennardJones, MullerBrown, NonlinearRegression};
use elm_core::{Energy, Fire, Lbfgs, LocalMinimizer, SameMinimum, TerminationReason};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Quenches from a 20 x 20 grid over [-1.5, 1.2] x [-0.5, 2.0] and returns distinct minima.
fn grid_minima<M: LocalMinimizer>(m: &M) -> Vec<([f64; 2], f64)> {
    let mb = MullerBrown::new();
    let same = SameMinimum::new(1e-4, 1e-7).unwrap();
    let mut found: Vec<([f64; 2], f64)> = Vec::new();
    for i in 0..20 {
        for j in 0..20 {
            let mut x = [-1.5 + 2.7 * i as f64 / 19.0, -0.5 + 2.5 * j as f64 / 19.0];
            let r = m.minimize(&mb, &mut x).unwrap();
            assert!(r.converged(), "quench from grid point ({i}, {j}) did not converge: {r:?}");
            if !found.iter().any(|(p, e)| same.continuous(p, *e, &x, r.energy)) {
                found.push((x, r.energy));
            }
        }
    }
    found.sort_by(|a, b| a.1.total_cmp(&b.1));
    found
}

fn assert_muller_brown_minima(found: &[([f64; 2], f64)]) {
    // Reference: MullerBrown::MINIMA (Newton at 30 digits; ARCHITECTURE.md §6 to 5 decimals).
    assert_eq!(found.len(), 3, "expected exactly the three Mueller-Brown minima, got {found:?}");
    for ((x, e), (e_ref, x_ref)) in found.iter().zip(MullerBrown::MINIMA) {
        assert!((e - e_ref).abs() < 1e-6, "energy {e} vs {e_ref}");
        assert!((x[0] - x_ref[0]).abs() < 1e-6 && (x[1] - x_ref[1]).abs() < 1e-6, "{x:?} vs {x_ref:?}");
    }
}

#[test]
fn lbfgs_finds_exactly_the_three_muller_brown_minima() {
    assert_muller_brown_minima(&grid_minima(&Lbfgs::default().with_gradient_tolerance(1e-9)));
}

#[test]
fn fire_finds_exactly_the_three_muller_brown_minima() {
    let fire = Fire::default().with_time_step(1e-3).with_max_time_step(1e-2).with_gradient_tolerance(1e-9);
    assert_muller_brown_minima(&grid_minima(&fire));
}

/// Best of `quenches` random L-BFGS quenches of LJ_n.
fn best_lj<M: LocalMinimizer>(atoms: usize, quenches: usize, seed: u64, m: &M) -> f64 {
    let lj = LennardJones::new(atoms).unwrap();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..quenches)
        .map(|_| {
            let mut x = lj.random_configuration(&mut rng);
            m.minimize(&lj, &mut x).unwrap().energy
        })
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn lj7_and_lj13_random_quenches_reach_the_global_minima() {
    // Reference: Cambridge Cluster Database (Wales & Doye 1997).
    let lbfgs = Lbfgs::default().with_gradient_tolerance(1e-8);
    let e7 = best_lj(7, 100, 7, &lbfgs);
    assert!((e7 - LennardJones::LJ7_GLOBAL_MINIMUM).abs() < 1e-5, "LJ7 best {e7}");
    let e13 = best_lj(13, 300, 13, &lbfgs);
    assert!((e13 - LennardJones::LJ13_GLOBAL_MINIMUM).abs() < 1e-5, "LJ13 best {e13}");
}

#[test]
fn fire_reaches_the_lj7_global_minimum() {
    let fire = Fire::default().with_gradient_tolerance(1e-8);
    let e7 = best_lj(7, 100, 70, &fire);
    assert!((e7 - LennardJones::LJ7_GLOBAL_MINIMUM).abs() < 1e-5, "LJ7 best {e7}");
}

#[test]
fn no_quench_goes_below_the_global_minimum() {
    // Every LJ13 quench ends at or above the putative global minimum (an invariant, not luck).
    let lj = LennardJones::new(13).unwrap();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(99);
    for _ in 0..50 {
        let mut x = lj.random_configuration(&mut rng);
        let r = Lbfgs::default().minimize(&lj, &mut x).unwrap();
        assert!(r.energy >= LennardJones::LJ13_GLOBAL_MINIMUM - 1e-6);
        assert!((r.energy - lj.energy(&x)).abs() < 1e-9, "report energy must be the final state's");
    }
}

#[test]
fn regression_global_minimum_fits_the_noise() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
    let reg = NonlinearRegression::paper(&mut rng);
    let mut th = NonlinearRegression::THETA_STAR;
    let r = Lbfgs::default().with_gradient_tolerance(1e-10).minimize(&reg, &mut th).unwrap();
    assert!(r.converged());
    // Least squares with 5 parameters and 100 points of N(0, 0.02^2) noise: the minimum lies
    // below E(theta*) and near the noise energy 100 * 0.0004 = 0.04 (chi^2_95 spread).
    assert!(r.energy <= reg.energy(&NonlinearRegression::THETA_STAR));
    assert!(r.energy > 0.02 && r.energy < 0.06, "E_min = {}", r.energy);
    for (a, b) in th.iter().zip(NonlinearRegression::THETA_STAR) {
        assert!((a - b).abs() < 0.05, "fitted {th:?}");
    }
}

#[test]
fn iteration_cap_is_reported() {
    let lj = LennardJones::new(13).unwrap();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    let mut x = lj.random_configuration(&mut rng);
    let r = Lbfgs::default().with_max_iterations(3).minimize(&lj, &mut x).unwrap();
    assert_eq!(r.reason, TerminationReason::MaxIterations);
    assert_eq!(r.iterations, 3);
    let r = Fire::default().with_max_iterations(3).minimize(&lj, &mut x).unwrap();
    assert_eq!(r.reason, TerminationReason::MaxIterations);
}
