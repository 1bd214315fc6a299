//! `MlpLoss`: gradients against central differences for every activation / output / loss
//! pairing, agreement with the independent `SoftmaxNetworkLoss`, the symmetries and the
//! canonical form, the training optimizers, and bad input.

use elm_core::reference::{Activation, LossFunction, MlpLoss, OutputLayer, SoftmaxNetworkLoss};
use elm_core::{Adadelta, Energy, Error, Gradient, LocalMinimizer, MomentumDescent, TerminationReason};
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

fn rng(seed: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed)
}

fn uniform(r: &mut Xoshiro256PlusPlus, n: usize, half: f64) -> Vec<f64> {
    (0..n).map(|_| r.random_range(-half..half)).collect()
}

mod common;
use common::gradient_error;

/// A 3-4-3-2 network on 12 random examples with targets fitting the output layer.
fn network(hidden: Activation, output: OutputLayer, loss: LossFunction, seed: u64) -> MlpLoss {
    let mut r = rng(seed);
    let x = uniform(&mut r, 12 * 3, 1.5);
    let t: Vec<f64> = match output {
        OutputLayer::Softmax => (0..12).flat_map(|d| if d % 3 == 0 { [1.0, 0.0] } else { [0.0, 1.0] }).collect(),
        OutputLayer::Logistic => (0..24).map(|_| r.random_range(0.0..1.0)).collect(),
        _ => uniform(&mut r, 24, 2.0),
    };
    MlpLoss::new(&[3, 4, 3, 2], hidden, output, loss, x, t).unwrap()
}

#[test]
fn gradients_match_central_differences_for_every_pairing() {
    let activations =
        [Activation::Relu, Activation::Tanh, Activation::Softplus { sharpness: 3.0 }, Activation::Identity];
    let heads = [
        (OutputLayer::Linear, LossFunction::MeanSquared),
        (OutputLayer::Logistic, LossFunction::MeanSquared),
        (OutputLayer::Softmax, LossFunction::MeanSquared),
        (OutputLayer::Logistic, LossFunction::CrossEntropy),
        (OutputLayer::Softmax, LossFunction::CrossEntropy),
    ];
    for (a, &act) in activations.iter().enumerate() {
        for (h, &(output, loss)) in heads.iter().enumerate() {
            for (lambda, biases) in [(0.0, false), (0.03, false), (0.03, true)] {
                let net = network(act, output, loss, (10 * a + h) as u64).with_regularization(lambda, biases).unwrap();
                assert_eq!(net.dim(), 3 * 4 + 4 + 4 * 3 + 3 + 3 * 2 + 2);
                let mut r = rng(100 + a as u64);
                let w = uniform(&mut r, net.dim(), 1.0);
                // ReLU: a point at random is almost surely 1e-6 away from every kink.
                let err = gradient_error(&net, &w, 1e-6);
                assert!(err < 1e-6, "{act:?} {output:?} {loss:?} λ={lambda} biases={biases}: {err}");
            }
        }
    }
}

#[test]
fn the_penalty_covers_biases_only_when_asked() {
    let base = network(Activation::Tanh, OutputLayer::Linear, LossFunction::MeanSquared, 3);
    let w = uniform(&mut rng(4), base.dim(), 1.0);
    let plain = base.energy(&w);
    let weights_only = base.clone().with_regularization(0.1, false).unwrap().energy(&w);
    let all = base.with_regularization(0.1, true).unwrap().energy(&w);
    // Layout: W1 0..12, b1 12..16, W2 16..28, b2 28..31, W3 31..37, b3 37..39.
    let sq = |r: std::ops::Range<usize>| w[r].iter().map(|v| v * v).sum::<f64>();
    let matrices = sq(0..12) + sq(16..28) + sq(31..37);
    let biases = sq(12..16) + sq(28..31) + sq(37..39);
    assert!((weights_only - plain - 0.1 * matrices).abs() < 1e-12);
    assert!((all - plain - 0.1 * (matrices + biases)).abs() < 1e-12);
}

#[test]
fn a_one_hidden_layer_classifier_equals_softmax_network_loss() {
    // SoftmaxNetworkLoss is an independent implementation of seed 002 Eq. 2-4 with the same
    // layout: both losses and gradients must agree.
    let mut r = rng(7);
    let x = uniform(&mut r, 30 * 4, 2.0);
    let labels: Vec<usize> = (0..30).map(|d| (d * 7) % 3).collect();
    for biases in [false, true] {
        let mlp = MlpLoss::classifier(&[4, 5, 3], Activation::Tanh, x.clone(), &labels)
            .unwrap()
            .with_regularization(1e-2, biases)
            .unwrap();
        let reference = SoftmaxNetworkLoss::new(4, 5, 3, x.clone(), labels.clone(), 1e-2, biases).unwrap();
        assert_eq!(mlp.dim(), reference.dim());
        let w = uniform(&mut r, mlp.dim(), 1.5);
        let (mut g1, mut g2) = (vec![0.0; w.len()], vec![0.0; w.len()]);
        let (e1, e2) = (mlp.energy_gradient(&w, &mut g1), reference.energy_gradient(&w, &mut g2));
        assert!((e1 - e2).abs() < 1e-12, "{e1} vs {e2}");
        assert!(g1.iter().zip(&g2).all(|(a, b)| (a - b).abs() < 1e-12));
        assert!((mlp.accuracy(&w) - reference.accuracy(&w)).abs() < 1e-12);
    }
}

/// A deep ReLU regression network (seed 004's shape, 1-5-5-5-1).
fn relu_net() -> MlpLoss {
    let x: Vec<f64> = (0..40).map(|i| i as f64 / 40.0).collect();
    let t: Vec<f64> = x.iter().map(|v| (6.0 * v).sin()).collect();
    MlpLoss::regression(&[1, 5, 5, 5, 1], Activation::Relu, x, t).unwrap()
}

/// Applies a random element of the symmetry group: a permutation of every hidden layer and a
/// rescaling (ReLU) or sign flip (tanh) of every hidden node.
fn random_symmetry(net: &MlpLoss, w: &[f64], r: &mut Xoshiro256PlusPlus) -> Vec<f64> {
    let mut out = w.to_vec();
    let widths = net.widths().to_vec();
    for layer in 0..widths.len() - 2 {
        for node in 0..widths[layer + 1] {
            out = match net.hidden_activation() {
                Activation::Relu => {
                    net.rescale_hidden(&out, layer, node, (r.random_range(-1.5f64..1.5)).exp()).unwrap()
                }
                _ if r.random_bool(0.5) => net.negate_hidden(&out, layer, node).unwrap(),
                _ => out,
            };
        }
        let mut perm: Vec<usize> = (0..widths[layer + 1]).collect();
        perm.shuffle(r);
        out = net.permute_hidden(&out, layer, &perm).unwrap();
    }
    out
}

fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(p, q)| (p - q).abs()).fold(0.0, f64::max)
}

#[test]
fn relu_symmetries_keep_the_loss_and_the_canonical_form() {
    let net = relu_net();
    let mut r = rng(11);
    for _ in 0..20 {
        let w = uniform(&mut r, net.dim(), 1.0);
        let canon = net.canonical(&w);
        let norm2 = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>();
        assert!((net.energy(&canon) - net.energy(&w)).abs() < 1e-10 * (1.0 + net.energy(&w)));
        assert!(norm2(&canon) <= norm2(&w) + 1e-12, "the minimal-norm representative is no longer");
        assert!(max_diff(&net.canonical(&canon), &canon) < 1e-9, "canonical form is not idempotent");
        for _ in 0..5 {
            let moved = random_symmetry(&net, &w, &mut r);
            assert!((net.energy(&moved) - net.energy(&w)).abs() < 1e-10 * (1.0 + net.energy(&w)));
            assert!(max_diff(&net.canonical(&moved), &canon) < 1e-8, "{}", max_diff(&net.canonical(&moved), &canon));
            // No other rescaling of the orbit has a smaller norm.
            let other = random_symmetry(&net, &canon, &mut r);
            assert!(norm2(&other) >= norm2(&canon) - 1e-9);
        }
    }
}

#[test]
fn tanh_symmetries_keep_the_loss_and_the_canonical_form() {
    let net = network(Activation::Tanh, OutputLayer::Softmax, LossFunction::CrossEntropy, 5);
    let mut r = rng(12);
    for _ in 0..20 {
        let w = uniform(&mut r, net.dim(), 1.0);
        let canon = net.canonical(&w);
        assert!((net.energy(&canon) - net.energy(&w)).abs() < 1e-12);
        for _ in 0..5 {
            let moved = random_symmetry(&net, &w, &mut r);
            assert!((net.energy(&moved) - net.energy(&w)).abs() < 1e-12);
            assert!(max_diff(&net.canonical(&moved), &canon) < 1e-12);
        }
    }
}

#[test]
fn predictions_and_classes_follow_the_forward_pass() {
    let net = relu_net();
    let w = uniform(&mut rng(13), net.dim(), 1.0);
    let y = net.predict(&w, &[0.25, 0.5]).unwrap();
    assert_eq!(y.len(), 2);
    // One example at a time gives the same outputs.
    assert!((net.predict(&w, &[0.5]).unwrap()[0] - y[1]).abs() < 1e-15);
    let clf = network(Activation::Tanh, OutputLayer::Softmax, LossFunction::CrossEntropy, 1);
    let w = uniform(&mut rng(14), clf.dim(), 1.0);
    let classes = clf.predicted_classes(&w);
    assert_eq!(classes.len(), clf.examples());
    let right = classes.iter().enumerate().filter(|&(d, &c)| c == usize::from(d % 3 != 0)).count();
    assert!((clf.accuracy(&w) - right as f64 / 12.0).abs() < 1e-12);
}

#[test]
fn training_optimizers_fit_a_small_network() {
    // XOR with a 2-3-1 tanh network: both optimizers bring the loss far below the best
    // constant fit (0.25).
    let x = vec![0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
    let net = MlpLoss::regression(&[2, 3, 1], Activation::Tanh, x, vec![0.0, 1.0, 1.0, 0.0]).unwrap();
    let w0 = uniform(&mut rng(15), net.dim(), 1.0);
    let mut w = w0.clone();
    let r =
        MomentumDescent::default().with_learning_rate(0.1).with_max_iterations(5000).minimize(&net, &mut w).unwrap();
    assert!(r.energy < 1e-3, "{r:?}");
    assert_eq!(r.reason, TerminationReason::MaxIterations);
    assert_eq!(r.evaluations, 5001);
    let mut w = w0.clone();
    let r = Adadelta::default().with_max_iterations(5000).minimize(&net, &mut w).unwrap();
    assert!(r.energy < 1e-3, "{r:?}");
    // Early stopping on the gradient.
    let mut w = w0;
    let r = MomentumDescent::default()
        .with_learning_rate(0.1)
        .with_gradient_tolerance(1e-3)
        .minimize(&net, &mut w)
        .unwrap();
    assert!(r.converged() && r.rms_gradient <= 1e-3 && r.iterations < 50_000, "{r:?}");
}

#[test]
fn a_diverging_step_stops_at_the_last_finite_state() {
    // Descent with a huge rate on a quartic-growing loss overflows to infinity.
    let x = vec![1.0, 2.0, 3.0];
    let net = MlpLoss::regression(&[1, 2, 1], Activation::Identity, x, vec![1.0, 2.0, 3.0]).unwrap();
    let mut w = vec![1.0; net.dim()];
    let r =
        MomentumDescent::default().with_learning_rate(1e3).with_max_iterations(1000).minimize(&net, &mut w).unwrap();
    assert_eq!(r.reason, TerminationReason::Diverged);
    assert!(r.energy.is_finite() && w.iter().all(|v| v.is_finite()));
}

#[test]
fn bad_input_is_a_typed_error() {
    let x = vec![0.0, 1.0];
    assert!(bad(MlpLoss::regression(&[1], Activation::Relu, x.clone(), vec![0.0, 1.0])));
    assert!(bad(MlpLoss::regression(&[1, 0, 1], Activation::Relu, x.clone(), vec![0.0, 1.0])));
    assert!(bad(MlpLoss::regression(&[1, usize::MAX, 1], Activation::Relu, x.clone(), vec![0.0, 1.0])));
    assert!(bad(MlpLoss::regression(&[1, 1 << 40, 1 << 40, 1], Activation::Relu, x.clone(), vec![0.0, 1.0])));
    assert!(bad(MlpLoss::regression(&[1, 2, usize::MAX], Activation::Relu, x.clone(), vec![0.0, 1.0])));
    assert!(bad(MlpLoss::regression(&[1, 2, 1], Activation::Softplus { sharpness: 0.0 }, x.clone(), vec![0.0, 1.0])));
    assert!(bad(MlpLoss::new(
        &[1, 2, 1],
        Activation::Relu,
        OutputLayer::Linear,
        LossFunction::CrossEntropy,
        x.clone(),
        vec![0.0, 1.0]
    )));
    assert!(bad(MlpLoss::new(
        &[1, 2, 1],
        Activation::Relu,
        OutputLayer::Softmax,
        LossFunction::MeanSquared,
        x.clone(),
        vec![0.0, 1.0]
    )));
    assert!(bad(MlpLoss::new(
        &[1, 2, 1],
        Activation::Relu,
        OutputLayer::Logistic,
        LossFunction::CrossEntropy,
        x.clone(),
        vec![0.0, 2.0]
    )));
    assert!(bad(MlpLoss::classifier(&[1, 2, 2], Activation::Relu, x.clone(), &[0, 2])));
    assert!(bad(MlpLoss::classifier(&[1, 2, 1 << 40], Activation::Relu, x.clone(), &[0, 1])));
    assert!(matches!(
        MlpLoss::regression(&[1, 2, 1], Activation::Relu, x.clone(), vec![0.0]),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        MlpLoss::regression(&[2, 2, 1], Activation::Relu, vec![0.0; 3], vec![0.0]),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(MlpLoss::regression(&[1, 2, 1], Activation::Relu, vec![], vec![]), Err(Error::EmptyInput(_))));
    assert!(matches!(
        MlpLoss::regression(&[1, 2, 1], Activation::Relu, vec![f64::NAN, 0.0], vec![0.0, 1.0]),
        Err(Error::NonFinite(_))
    ));
    let net = MlpLoss::regression(&[1, 2, 1], Activation::Relu, x.clone(), vec![0.0, 1.0]).unwrap();
    assert!(bad(net.clone().with_regularization(-1.0, false)));
    let w = vec![0.5; net.dim()];
    assert!(bad(net.rescale_hidden(&w, 0, 0, 0.0)));
    assert!(bad(net.rescale_hidden(&w, 1, 0, 2.0)), "layer 1 is the output layer");
    assert!(bad(net.rescale_hidden(&w, 0, 2, 2.0)));
    assert!(bad(net.negate_hidden(&w, 0, 0)), "ReLU is not odd");
    assert!(bad(net.permute_hidden(&w, 0, &[0, 0])));
    assert!(matches!(net.permute_hidden(&w[1..], 0, &[1, 0]), Err(Error::DimensionMismatch { .. })));
    assert!(matches!(net.predict(&w[1..], &[0.0]), Err(Error::DimensionMismatch { .. })));
    let tanh = net.with_hidden_activation(Activation::Tanh).unwrap();
    assert!(bad(tanh.rescale_hidden(&w, 0, 0, 2.0)), "tanh has no rescaling symmetry");
    assert!(bad(MomentumDescent::default().with_momentum(1.0).validate()));
    assert!(Adadelta { rho: 1.0, ..Adadelta::default() }.validate().is_err());
    assert!(MomentumDescent::default().with_max_iterations(0).validate().is_err());
}

fn bad<T>(r: elm_core::Result<T>) -> bool {
    matches!(r, Err(Error::InvalidParameter { .. }))
}
