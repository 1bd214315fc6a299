//! What a continuous AD barrier estimate guarantees, on the six-hump camelback: it samples a
//! path, so it can undershoot the saddle, but never by more than a step's straddle.

use elm_ad::{AdParams, BarrierEstimation, ContinuousSpace};
use elm_core::{Energy, Gradient, Lbfgs, LocalMinimizer, TerminationReason};
use elm_mcmc::RandomWalkMetropolis;
use elm_paths::{ElasticBand, SaddleRefinement};

/// The six-hump camelback `(4 - 2.1x² + x⁴/3)x² + xy + (-4 + 4y²)y²` (Dixon & Szegö 1978).
#[derive(Debug, Clone, Copy)]
struct Camelback;

impl Energy for Camelback {
    fn dim(&self) -> usize {
        2
    }
    fn energy(&self, p: &[f64]) -> f64 {
        let (x, y) = (p[0], p[1]);
        (4.0 - 2.1 * x * x + x.powi(4) / 3.0) * x * x + x * y + (-4.0 + 4.0 * y * y) * y * y
    }
}

impl Gradient for Camelback {
    fn energy_gradient(&self, p: &[f64], g: &mut [f64]) -> f64 {
        let (x, y) = (p[0], p[1]);
        g[0] = 8.0 * x - 8.4 * x.powi(3) + 2.0 * x.powi(5) + y;
        g[1] = x - 8.0 * y + 16.0 * y.powi(3);
        self.energy(p)
    }
}

#[test]
fn continuous_ad_estimates_undershoot_saddles_by_at_most_a_steps_straddle() {
    let e = Camelback;
    // The six minima (Dixon & Szegö), polished.
    let mut minima: Vec<Vec<f64>> = [[0.0898, -0.7126], [-0.0898, 0.7126], [1.7036, -0.7961], [-1.7036, 0.7961]]
        .iter()
        .map(|m| {
            let mut x = m.to_vec();
            Lbfgs::default().minimize(&e, &mut x).unwrap();
            x
        })
        .collect();
    minima.dedup();
    let step = 0.02;
    let space = ContinuousSpace::new(
        e,
        RandomWalkMetropolis::default().with_step_size(step).with_temperature(0.05),
        Lbfgs::default(),
    );
    let est = BarrierEstimation::default()
        .with_alpha_start(200.0)
        .with_trials(4)
        .with_decay(0.85)
        .with_ad(AdParams::default().with_delta(0.02).with_patience(300));
    let (mut pairs, mut below) = (0, 0);
    for i in 0..minima.len() {
        for j in i + 1..minima.len() {
            // The exact minimax barrier: the climbing image of a converged band, refined to an
            // index-1 saddle.
            let band = ElasticBand::default().with_images(16).with_climbing(true).with_force_tolerance(1e-6);
            let r = band.run(&e, &minima[i], &minima[j]).unwrap();
            assert_eq!(r.reason, TerminationReason::Converged);
            let ts = SaddleRefinement::default().refine(&e, &r.path.states[r.path.highest().unwrap()]).unwrap();
            assert_eq!(ts.index, 1);
            assert!(r.path_maximum <= ts.energy + 1e-6, "the saddle is the path's highest point");
            let lambda = ts.eigenvalues.iter().copied().fold(f64::INFINITY, f64::min).abs();
            let estimate = est.pair(&space, &minima[i], &minima[j], 7).unwrap().barrier.expect("a success");
            // A random-walk step is Gaussian with sd `step` per axis: beyond 5 sd in length is
            // far outside anything these runs draw.
            let straddle = lambda * (5.0 * step * 2f64.sqrt()).powi(2) / 8.0;
            assert!(estimate >= ts.energy - straddle, "{i}-{j}: {estimate} vs saddle {} - {straddle}", ts.energy);
            pairs += 1;
            below += usize::from(estimate < ts.energy);
        }
    }
    println!("{below} of {pairs} continuous AD estimates below the exact saddle");
    assert_eq!(pairs, 6);
}
