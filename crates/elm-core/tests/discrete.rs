//! Discrete energies: SK against exhaustive enumeration, Ising by formula, incremental
//! bookkeeping against recomputation.

use elm_core::reference::{Ising, SherringtonKirkpatrick};
use elm_core::{DescentRule, DiscreteDescent, DiscreteEnergy, DiscreteState, Magnetized, distance};
use proptest::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Exhaustive ground-state energy of an SK instance (2^n states, n <= 20).
fn exact_ground_state(sk: &SherringtonKirkpatrick) -> f64 {
    let exact = sk.exact_landscape().unwrap();
    exact.energies[exact.minima[0]]
}

#[test]
fn exact_landscape_barriers_agree_with_a_bottleneck_search() {
    // Independent check of the flooding: from each minimum, a bottleneck (minimax) Dijkstra over
    // the hypercube of all 2^10 states must give the same barrier to every other minimum.
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(10);
    let sk = SherringtonKirkpatrick::sample(10, &mut rng).unwrap();
    let exact = sk.exact_landscape().unwrap();
    let n = 10;
    for (a, &ca) in exact.minima.iter().enumerate() {
        let mut best = vec![f64::INFINITY; 1 << n];
        best[ca] = exact.energies[ca];
        let mut frontier = std::collections::BTreeSet::new();
        frontier.insert((ordered(best[ca]), ca));
        while let Some((_, u)) = frontier.pop_first() {
            for i in 0..n {
                let v = u ^ (1 << i);
                let cand = best[u].max(exact.energies[v]);
                if cand < best[v] {
                    frontier.remove(&(ordered(best[v]), v));
                    best[v] = cand;
                    frontier.insert((ordered(cand), v));
                }
            }
        }
        for (b, &cb) in exact.minima.iter().enumerate() {
            assert_eq!(best[cb], exact.barriers[a][b], "minima {a}, {b}");
        }
    }
}

/// Total order key for finite f64 (bit pattern of a non-negative shift).
fn ordered(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

fn is_single_flip_minimum(sk: &SherringtonKirkpatrick, s: &[u8]) -> bool {
    let e = sk.energy(s);
    (0..s.len()).all(|i| {
        let mut t = s.to_vec();
        t[i] = 1 - t[i];
        sk.energy(&t) >= e - 1e-12
    })
}

#[test]
fn sk_descent_finds_single_flip_minima_and_the_exact_ground_state() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(16);
    let sk = SherringtonKirkpatrick::sample(16, &mut rng).unwrap();
    let ground = exact_ground_state(&sk);
    for rule in [DescentRule::Steepest, DescentRule::FirstImprovement] {
        let descent = DiscreteDescent::default().with_rule(rule);
        let mut best = f64::INFINITY;
        for _ in 0..400 {
            let mut state = DiscreteState::random(&sk, &mut rng).unwrap();
            let r = descent.minimize(&sk, &mut state).unwrap();
            assert!(r.converged());
            assert!(is_single_flip_minimum(&sk, state.as_slice()), "{rule:?} stopped at a non-minimum");
            assert!((state.energy() - sk.energy(state.as_slice())).abs() < 1e-10);
            assert!(state.energy() >= ground - 1e-10);
            best = best.min(state.energy());
        }
        assert!((best - ground).abs() < 1e-10, "{rule:?}: best {best} vs exhaustive {ground}");
    }
}

#[test]
fn sk_ground_state_per_spin_is_near_parisi() {
    // Finite-size ground states lie above the Parisi limit -0.7632 per spin; at N = 20 the
    // mean is about -0.70 with sample-to-sample spread ~0.05 (Boettcher 2005), so a loose
    // band catches a wrong coupling variance (e.g. 1 instead of 1/N would give ~ -3.1).
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(20);
    let mut mean = 0.0;
    for _ in 0..4 {
        let sk = SherringtonKirkpatrick::sample(18, &mut rng).unwrap();
        mean += exact_ground_state(&sk) / 18.0 / 4.0;
    }
    assert!(mean < -0.6 && mean > -0.8, "mean ground state per spin {mean}");
}

#[test]
fn ising_energies_by_formula() {
    for (l, j, h) in [(4usize, 1.0, 0.0), (5, 0.7, 0.3), (8, 1.0, -0.2)] {
        let ising = Ising::new(l, j, h).unwrap();
        let n = (l * l) as f64;
        // All up: 2 L^2 satisfied bonds and L^2 spins along the field.
        assert!((ising.energy(&vec![1u8; l * l]) - (-2.0 * j * n - h * n)).abs() < 1e-12);
        assert!((ising.energy(&vec![0u8; l * l]) - (-2.0 * j * n + h * n)).abs() < 1e-12);
        if l % 2 == 0 {
            // Checkerboard: every bond frustrated, zero magnetization.
            let cb: Vec<u8> = (0..l * l).map(|i| ((i / l + i % l) % 2) as u8).collect();
            assert!((ising.energy(&cb) - 2.0 * j * n).abs() < 1e-12);
        }
    }
}

#[test]
fn onsager_magnetization_reference_points() {
    // (1 - sinh(2/T)^-4)^(1/8): 0 above T_c, ~0.9865 at T = 1.5, -> 1 as T -> 0.
    assert_eq!(Ising::onsager_magnetization(2.5), 0.0);
    assert!((Ising::onsager_magnetization(1.5) - 0.98650).abs() < 1e-4);
    assert!(Ising::onsager_magnetization(0.5) > 0.99999);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The incremental SK flip delta (local fields) equals a full recomputation, along a
    /// random walk of accepted flips, and the tracked energy does not drift.
    #[test]
    fn sk_incremental_delta_equals_recomputation(seed in 0u64..10_000, n in 2usize..40) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let sk = SherringtonKirkpatrick::sample(n, &mut rng).unwrap();
        let mut state = DiscreteState::random(&sk, &mut rng).unwrap();
        for _ in 0..200 {
            let i = rng.random_range(0..n);
            let v = 1 - state.get(i);
            let mut t = state.as_slice().to_vec();
            t[i] = v;
            let full = sk.energy(&t) - sk.energy(state.as_slice());
            prop_assert!((state.delta(&sk, i, v) - full).abs() < 1e-10);
            prop_assert!((sk.delta(state.as_slice(), i, v) - full).abs() < 1e-10);
            state.set(&sk, i, v);
        }
        prop_assert!(state.resync(&sk) < 1e-9);
    }

    /// Ising deltas equal recomputation.
    #[test]
    fn ising_delta_equals_recomputation(seed in 0u64..10_000, l in 2usize..7, h in -1.0f64..1.0) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let ising = Ising::new(l, 1.0, h).unwrap();
        let s = DiscreteState::random(&ising, &mut rng).unwrap();
        for i in 0..l * l {
            let v = 1 - s.get(i);
            let mut t = s.as_slice().to_vec();
            t[i] = v;
            prop_assert!((ising.delta(s.as_slice(), i, v) - (ising.energy(&t) - s.energy())).abs() < 1e-10);
        }
    }

    /// The discrete magnetized energy tracks its distance in the cache exactly.
    #[test]
    fn magnetized_discrete_cache_is_exact(seed in 0u64..10_000, alpha in 0.0f64..3.0, t in 0.05f64..5.0) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let sk = SherringtonKirkpatrick::sample(12, &mut rng).unwrap();
        let target = DiscreteState::random(&sk, &mut rng).unwrap().into_vec();
        let m = Magnetized::discrete(&sk, &target, t, alpha).unwrap();
        let mut state = DiscreteState::random(&m, &mut rng).unwrap();
        for _ in 0..100 {
            let i = rng.random_range(0..12);
            let v = 1 - state.get(i);
            let mut u = state.as_slice().to_vec();
            u[i] = v;
            let full = m.energy(&u) - m.energy(state.as_slice());
            prop_assert!((state.delta(&m, i, v) - full).abs() < 1e-9);
            state.set(&m, i, v);
            let d = distance::discrete_l2(&sk, state.as_slice(), &target);
            prop_assert!((m.distance_from_aux(state.aux()) - d).abs() < 1e-9);
            // ±1 spins: ||σ - σ*||_2 = 2 sqrt(Hamming).
            prop_assert!((d - 2.0 * (distance::hamming(state.as_slice(), &target) as f64).sqrt()).abs() < 1e-12);
        }
        prop_assert!(state.resync(&m) < 1e-9);
        // The L1 penalty tracks sum |s_i - s*_i| = 2 Hamming on spins, with exact deltas.
        let m1 = Magnetized::discrete(&sk, &target, t, alpha).unwrap().with_norm(elm_core::MagnetNorm::L1);
        let mut s1 = DiscreteState::random(&m1, &mut rng).unwrap();
        for _ in 0..100 {
            let i = rng.random_range(0..12);
            let v = 1 - s1.get(i);
            let mut u = s1.as_slice().to_vec();
            u[i] = v;
            prop_assert!((s1.delta(&m1, i, v) - (m1.energy(&u) - m1.energy(s1.as_slice()))).abs() < 1e-9);
            s1.set(&m1, i, v);
            let h = distance::hamming(s1.as_slice(), &target) as f64;
            prop_assert!((m1.distance_from_aux(s1.aux()) - 2.0 * h).abs() < 1e-9);
        }
    }
}

#[test]
fn task_rngs_are_value_stable() {
    // The determinism contract of every parallel driver (ADELM, barrier search, GWL): these
    // first outputs must never change, or every recorded map, checkpoint and figure would.
    use rand::RngExt;
    let mut r = elm_core::task_rng(7, 1, 2, 3);
    assert_eq!(r.random::<u64>(), 10_804_462_697_372_722_445);
    assert_eq!(r.random::<u64>(), 1_900_087_658_815_301_401);
    assert_eq!(elm_core::task_rng(0, 0, 0, 0).random::<u64>(), 7_331_766_103_646_017_736);
    // Neighbouring coordinates give unrelated streams.
    assert_ne!(elm_core::task_rng(7, 1, 2, 4).random::<u64>(), elm_core::task_rng(7, 1, 2, 3).random::<u64>());
}
