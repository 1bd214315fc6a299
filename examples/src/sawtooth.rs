//! Seed 004's constructed network: a `5 x (2 + 3)` ReLU network whose output is a
//! high-frequency sawtooth plus a low-frequency spline, the data it is fitted to, and the
//! Glorot initialization of the networks trained on it.

use elm_core::reference::{Activation, MlpLoss};
use rand::{Rng, RngExt};

/// Widths of the `5 x 5` network: one input, five hidden ReLU layers of five, one linear output
/// (136 weights).
pub const WIDTHS: [usize; 7] = [1, 5, 5, 5, 5, 5, 1];

/// Amplitude of the sawtooth: chosen so that the best fit without it (the "smooth fit") has
/// mean squared error `≈ 0.0045`, the seed's value (Sec. 4.4); the seed does not state its
/// amplitude.
pub const SAWTOOTH_AMPLITUDE: f64 = 0.2324;

/// The spline's knots (on the sawtooth's grid of `1/32`, so the data's 32 segments stay 32)
/// and slopes: `s(x) = 1.6 relu(x) - 4.0 relu(x - 10/32) + 4.4 relu(x - 22/32)`.
pub const SPLINE: [(f64, f64); 3] = [(0.0, 1.6), (10.0 / 32.0, -4.0), (22.0 / 32.0, 4.4)];

/// Offsets of `W^{(l)}` and `b^{(l)}` in the flat weight layout of [`MlpLoss`].
fn offsets() -> Vec<(usize, usize)> {
    let mut at = 0;
    WIDTHS
        .windows(2)
        .map(|p| {
            let w = at;
            at += p[0] * p[1] + p[1];
            (w, w + p[0] * p[1])
        })
        .collect()
}

/// The hand-constructed weights `W_f` (seed 004 Sec. 2, Fig. 1): on the left, two nodes per
/// layer compute the tent map `t(u) = 2 relu(u) - 4 relu(u - 1/2)`, so the fifth layer holds
/// `t⁵(x)`, a sawtooth with 16 teeth (32 linear pieces) on `[0, 1]`; on the right, the first
/// layer's three nodes are the spline's hinges and the layers above pass them through (ReLU of
/// a non-negative value is the identity). The output is `A·t⁵(x) + s(x)`.
pub fn constructed_weights() -> Vec<f64> {
    let off = offsets();
    let mut w = vec![0.0; off.last().map_or(0, |&(_, b)| b + 1)];
    // Layer 1 (from the input): relu(x), relu(x - 1/2), then the spline's hinges.
    let (w1, b1) = off[0];
    w[w1] = 1.0;
    w[w1 + 1] = 1.0;
    w[b1 + 1] = -0.5;
    for (k, &(knot, _)) in SPLINE.iter().enumerate() {
        w[w1 + 2 + k] = 1.0;
        w[b1 + 2 + k] = -knot;
    }
    // Layers 2-5: the tent map on the left, identities on the right.
    for &(wl, bl) in &off[1..5] {
        for row in 0..2 {
            w[wl + row * 5] = 2.0;
            w[wl + row * 5 + 1] = -4.0;
        }
        w[bl + 1] = -0.5;
        for k in 2..5 {
            w[wl + k * 5 + k] = 1.0;
        }
    }
    // Output: A (2 h0 - 4 h1) + Σ slopes · hinges.
    let (wo, _) = off[5];
    w[wo] = 2.0 * SAWTOOTH_AMPLITUDE;
    w[wo + 1] = -4.0 * SAWTOOTH_AMPLITUDE;
    for (k, &(_, slope)) in SPLINE.iter().enumerate() {
        w[wo + 2 + k] = slope;
    }
    w
}

/// The target function `f(x) = A·t⁵(x) + s(x)` computed directly (not through the network).
pub fn target(x: f64) -> f64 {
    let tent = |u: f64| if u < 0.5 { 2.0 * u } else { 2.0 - 2.0 * u };
    let mut u = x;
    for _ in 0..5 {
        u = tent(u);
    }
    SAWTOOTH_AMPLITUDE * u + SPLINE.iter().map(|&(k, s)| s * (x - k).max(0.0)).sum::<f64>()
}

/// The training inputs (seed 004 Sec. 4.2): the knots of `f`'s 32 linear pieces plus 9 points
/// evenly spaced inside each piece, `x_i = i / 320` for `i = 0..320` (the seed's `n = 320`).
pub fn inputs() -> Vec<f64> {
    (0..320).map(|i| i as f64 / 320.0).collect()
}

/// The training loss: mean squared error of a `5 x 5` ReLU network against `f` on [`inputs`].
///
/// # Panics
/// Never for these fixed sizes.
pub fn loss() -> MlpLoss {
    let x = inputs();
    let y = x.iter().map(|&v| target(v)).collect();
    MlpLoss::regression(&WIDTHS, Activation::Relu, x, y).expect("fixed, valid sizes")
}

/// Keras' default initialization (the seed's experiments used Keras, whose `Dense` layers
/// draw weights from Glorot-uniform, `U(±√(6 / (n_in + n_out)))`, and start biases at zero).
pub fn glorot_start<R: Rng + ?Sized>(rng: &mut R) -> Vec<f64> {
    let off = offsets();
    let mut w = vec![0.0; off.last().map_or(0, |&(_, b)| b + 1)];
    for (l, &(wl, bl)) in off.iter().enumerate() {
        let limit = (6.0 / (WIDTHS[l] + WIDTHS[l + 1]) as f64).sqrt();
        for v in &mut w[wl..bl] {
            *v = rng.random_range(-limit..limit);
        }
    }
    w
}
