//! Helpers shared by the integration tests of elm-core.

use elm_core::Gradient;

/// Max over coordinates of |analytic - central difference| / (1 + |analytic|), after checking
/// that `energy_gradient` returns `energy` (to `1e-10` relative).
pub fn gradient_error<E: Gradient>(e: &E, x: &[f64], h: f64) -> f64 {
    let mut g = vec![0.0; x.len()];
    let e0 = e.energy_gradient(x, &mut g);
    assert!((e0 - e.energy(x)).abs() <= 1e-10 * (1.0 + e0.abs()), "energy_gradient value != energy");
    let mut xp = x.to_vec();
    let mut worst: f64 = 0.0;
    for i in 0..x.len() {
        xp[i] = x[i] + h;
        let ep = e.energy(&xp);
        xp[i] = x[i] - h;
        let em = e.energy(&xp);
        xp[i] = x[i];
        let fd = (ep - em) / (2.0 * h);
        worst = worst.max((g[i] - fd).abs() / (1.0 + g[i].abs()));
    }
    worst
}
