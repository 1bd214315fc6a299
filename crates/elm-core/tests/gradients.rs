//! Every analytic gradient against central finite differences, at random points (proptest).

use elm_core::reference::{
    Gaussian, GaussianMixtureLandscape, LennardJones, MullerBrown, NoisyDoubleBasin, NonlinearRegression,
};
use elm_core::{Magnetized, Tempered};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

mod common;
use common::gradient_error;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn muller_brown(x in -1.5f64..1.2, y in -0.5f64..2.0) {
        prop_assert!(gradient_error(&MullerBrown::new(), &[x, y], 1e-6) < 1e-6);
    }

    #[test]
    fn gaussian(x in proptest::array::uniform3(-3.0f64..3.0)) {
        let g = Gaussian::from_covariance(vec![0.5, -1.0, 2.0], &[2.0, 0.3, 0.1, 0.3, 1.0, -0.2, 0.1, -0.2, 0.5]).unwrap();
        prop_assert!(gradient_error(&g, &x, 1e-6) < 1e-6);
    }

    #[test]
    fn noisy_double_basin(x in -8.0f64..14.0) {
        prop_assert!(gradient_error(&NoisyDoubleBasin::new(), &[x], 1e-6) < 1e-6);
    }

    #[test]
    fn gaussian_mixture(a in -5.0f64..5.0, b in -5.0f64..5.0) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(6);
        let gmm = GaussianMixtureLandscape::four_clusters(30, &mut rng).unwrap();
        prop_assert!(gradient_error(&gmm, &[a, b], 1e-6) < 1e-6);
    }

    #[test]
    fn nonlinear_regression(th in proptest::array::uniform5(-1.0f64..3.0)) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        let reg = NonlinearRegression::paper(&mut rng);
        // theta_1 < 0 makes exp(-theta_1 x) grow to e^9; keep the relative check.
        prop_assert!(gradient_error(&reg, &th, 1e-7) < 1e-5);
    }

    #[test]
    fn lennard_jones(seed in 0u64..1000) {
        let lj = LennardJones::new(7).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut x = lj.random_configuration(&mut rng);
        // Random clusters can have pairs so close (E ~ 1e12) that finite differences lose
        // all digits; stretch the cluster so the closest pair is at r >= 0.9 instead.
        let min_r = (0..7)
            .flat_map(|i| ((i + 1)..7).map(move |j| (i, j)))
            .map(|(i, j)| (0..3).map(|k| (x[3 * i + k] - x[3 * j + k]).powi(2)).sum::<f64>().sqrt())
            .fold(f64::INFINITY, f64::min);
        let stretch = (0.9 / min_r).max(1.0);
        x.iter_mut().for_each(|v| *v *= stretch);
        prop_assert!(gradient_error(&lj, &x, 1e-7) < 1e-5);
    }

    #[test]
    fn magnetized_and_tempered(x in -1.5f64..1.2, y in -0.5f64..2.0, t in 0.5f64..50.0, alpha in 0.0f64..20.0) {
        let m = Magnetized::continuous(MullerBrown::new(), &[0.62, 0.03], t, alpha).unwrap();
        prop_assume!(elm_core::distance::l2(&[x, y], &[0.62, 0.03]) > 1e-3);
        prop_assert!(gradient_error(&m, &[x, y], 1e-7) < 1e-6);
        // The L1 penalty's gradient (away from the kinks x_i = x*_i).
        prop_assume!((x - 0.62).abs() > 1e-3 && (y - 0.03).abs() > 1e-3);
        let m1 = m.clone().with_norm(elm_core::MagnetNorm::L1);
        prop_assert!(gradient_error(&m1, &[x, y], 1e-7) < 1e-6);
        let tm = Tempered::new(MullerBrown::new(), t).unwrap();
        prop_assert!(gradient_error(&tm, &[x, y], 1e-6) < 1e-6);
    }
}

/// The softmax network loss (seed 002 Eq. 2-4): backpropagation against central differences,
/// with and without bias regularization, and the loss unchanged by the network's symmetries.
#[test]
fn softmax_network_loss_gradient_and_symmetries() {
    use elm_core::reference::SoftmaxNetworkLoss;
    use elm_core::{Energy, Gradient};
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(4);
    let n = 30;
    let x: Vec<f64> = (0..n * 3).map(|_| rng.random_range(0.5..2.5)).collect();
    let labels: Vec<usize> = (0..n).map(|_| rng.random_range(0..4)).collect();
    for biases in [false, true] {
        let net = SoftmaxNetworkLoss::new(3, 3, 4, x.clone(), labels.clone(), 1e-3, biases).unwrap();
        assert_eq!(net.dim(), 9 + 3 + 12 + 4);
        let w: Vec<f64> = (0..net.dim()).map(|_| rng.random_range(-1.0..1.0)).collect();
        let mut g = vec![0.0; net.dim()];
        let e = net.energy_gradient(&w, &mut g);
        assert!((e - net.energy(&w)).abs() < 1e-12);
        let h = 1e-6;
        for k in 0..net.dim() {
            let (mut p, mut m) = (w.clone(), w.clone());
            p[k] += h;
            m[k] -= h;
            let fd = (net.energy(&p) - net.energy(&m)) / (2.0 * h);
            assert!((fd - g[k]).abs() < 1e-7, "weight {k}: {fd} vs {}", g[k]);
        }
        // Symmetries: the canonical form has the same loss, and is a fixed point.
        let c = net.canonical(&w);
        assert!((net.energy(&c) - e).abs() < 1e-12);
        assert_eq!(net.canonical(&c), c);
    }
    assert!(SoftmaxNetworkLoss::new(3, 3, 4, x.clone(), vec![9; n], 0.0, false).is_err());
    assert!(SoftmaxNetworkLoss::new(3, 3, 4, x, labels, -1.0, false).is_err());
}
