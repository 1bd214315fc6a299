//! Continuous samplers against exact Gaussian moments, the known ULA bias, and locality on
//! Müller-Brown.

use elm_core::reference::{Gaussian, MullerBrown};
use elm_core::{Energy, Lbfgs, LocalMinimizer, distance};
use elm_mcmc::diagnostics::{effective_sample_size, mean_variance};
use elm_mcmc::{
    Chain, ComponentwiseMetropolis, ContinuousSampler, ContinuousState, Control, Hmc, Langevin, Mala,
    RandomWalkMetropolis, metropolis_accept, observe,
};
use rand::{Rng, RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

const RHO: f64 = 0.8;

fn correlated() -> Gaussian {
    Gaussian::from_covariance(vec![1.0, -2.0], &[1.0, RHO, RHO, 1.0]).unwrap()
}

/// Runs `steps` steps and returns the recorded positions.
fn samples<S: ContinuousSampler<Gaussian>>(s: &S, g: &Gaussian, steps: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut state = ContinuousState::new(g, g.mean().to_vec()).unwrap();
    let chain = Chain::new(steps).with_burn_in(2_000).with_states(true);
    chain.run_continuous(s, g, &mut state, &mut rng, observe::nothing()).unwrap().states
}

/// Checks mean and covariance of the samples against N(mu, t * Sigma) to within 5 standard
/// errors computed from the effective sample size of each coordinate.
fn assert_moments(name: &str, xs: &[Vec<f64>], mu: &[f64], t: f64) {
    let col = |k: usize| xs.iter().map(|x| x[k]).collect::<Vec<f64>>();
    let (c0, c1) = (col(0), col(1));
    let ess = effective_sample_size(&c0).unwrap().min(effective_sample_size(&c1).unwrap());
    assert!(ess > 2_000.0, "{name}: ESS {ess} too small for the test");
    let (m0, v0) = mean_variance(&c0).unwrap();
    let (m1, v1) = mean_variance(&c1).unwrap();
    let cov = c0.iter().zip(&c1).map(|(a, b)| (a - m0) * (b - m1)).sum::<f64>() / c0.len() as f64;
    let se_mean = (t / ess).sqrt();
    let se_cov = t * (2.0 / ess).sqrt();
    assert!((m0 - mu[0]).abs() < 5.0 * se_mean && (m1 - mu[1]).abs() < 5.0 * se_mean, "{name}: mean ({m0}, {m1})");
    assert!((v0 - t).abs() < 5.0 * se_cov && (v1 - t).abs() < 5.0 * se_cov, "{name}: variances ({v0}, {v1})");
    assert!((cov - t * RHO).abs() < 5.0 * se_cov, "{name}: covariance {cov} vs {}", t * RHO);
}

#[test]
fn random_walk_metropolis_matches_gaussian_moments() {
    let g = correlated();
    let xs = samples(&RandomWalkMetropolis::default().with_step_size(0.7), &g, 300_000, 1);
    assert_moments("RW-MH", &xs, g.mean(), 1.0);
    // Temperature scales the covariance: exp(-E/T) = N(mu, T Sigma).
    let xs = samples(&RandomWalkMetropolis::default().with_step_size(1.0).with_temperature(2.0), &g, 300_000, 2);
    assert_moments("RW-MH T=2", &xs, g.mean(), 2.0);
}

#[test]
fn componentwise_metropolis_matches_gaussian_moments() {
    let g = correlated();
    let xs = samples(&ComponentwiseMetropolis::default().with_step_size(0.8), &g, 400_000, 3);
    assert_moments("CW-MH", &xs, g.mean(), 1.0);
}

/// The acceptance of the reference MATLAB ADELM code, exp(-(A + B)), for contrast.
struct BuggyComponentwise(ComponentwiseMetropolis);

impl ContinuousSampler<Gaussian> for BuggyComponentwise {
    fn validate(&self) -> elm_mcmc::Result<()> {
        self.0.validate()
    }
    fn step<R: Rng + ?Sized>(&self, energy: &Gaussian, state: &mut ContinuousState, rng: &mut R) -> bool {
        // Propose with our sampler on a copy, then redo the decision with the wrong ratio.
        let old = state.clone();
        let mut x = old.x().to_vec();
        let j = rng.random_range(0..x.len());
        let z: f64 = StandardNormal.sample(rng);
        x[j] += self.0.step_size * z;
        let (a, b) = (energy.energy(&x), old.energy());
        if metropolis_accept(-(a + b), rng) {
            state.reset(energy, &x).unwrap();
            true
        } else {
            false
        }
    }
    fn temperature(&self) -> f64 {
        1.0
    }
    fn at_temperature(&self, _t: f64) -> Self {
        BuggyComponentwise(self.0)
    }
}

#[test]
fn the_matlab_acceptance_bug_would_be_caught() {
    let g = Gaussian::from_covariance(vec![0.0, 0.0], &[1.0, RHO, RHO, 1.0]).unwrap();
    let xs = samples(&BuggyComponentwise(ComponentwiseMetropolis::default().with_step_size(0.8)), &g, 100_000, 4);
    let (_, v0) = mean_variance(&xs.iter().map(|x| x[0]).collect::<Vec<_>>()).unwrap();
    // exp(-(A + B)) is symmetric in the two states, so the buggy chain is reversible with
    // respect to the flat (Lebesgue) measure instead of exp(-E): it slowly diffuses outward
    // and its variance ends far from the true 1, which the moment test would flag.
    assert!((v0 - 1.0).abs() > 0.3, "buggy acceptance unexpectedly gave variance {v0}");
}

#[test]
fn mala_matches_gaussian_moments() {
    let g = correlated();
    let xs = samples(&Mala::default().with_step_size(0.5), &g, 200_000, 5);
    assert_moments("MALA", &xs, g.mean(), 1.0);
}

#[test]
fn hmc_matches_gaussian_moments() {
    let g = correlated();
    let xs = samples(&Hmc::default().with_step_size(0.2).with_leapfrog_steps(8), &g, 60_000, 6);
    assert_moments("HMC", &xs, g.mean(), 1.0);
}

#[test]
fn ula_shows_its_known_discretization_bias_and_mala_removes_it() {
    // ULA on N(0, 1): x' = (1 - eps^2/2) x + eps Z is AR(1) with stationary variance
    // eps^2 / (1 - (1 - eps^2/2)^2) = 1 / (1 - eps^2/4). At eps = 0.8: 1.1905.
    let g = Gaussian::isotropic(1, 1.0).unwrap();
    let eps = 0.8;
    let expected = 1.0 / (1.0 - eps * eps / 4.0);
    let run = |xs: Vec<Vec<f64>>| mean_variance(&xs.iter().map(|x| x[0]).collect::<Vec<_>>()).unwrap().1;
    let v_ula = run(samples(&Langevin::default().with_step_size(eps), &g, 400_000, 7));
    // AR(1) with a = 0.68: tau = 5.25, ESS ~ 76 000, SE(var) ~ 0.006.
    assert!((v_ula - expected).abs() < 0.03, "ULA variance {v_ula} vs theory {expected}");
    let v_mala = run(samples(&Mala::default().with_step_size(eps), &g, 400_000, 8));
    assert!((v_mala - 1.0).abs() < 0.03, "MALA variance {v_mala}");
}

/// Index of the Müller-Brown minimum a state quenches to.
fn basin(x: &[f64]) -> usize {
    let mut y = x.to_vec();
    Lbfgs::default().minimize(&MullerBrown::new(), &mut y).unwrap();
    MullerBrown::MINIMA.iter().position(|(_, m)| distance::l2(&y, m) < 1e-3).expect("quenched to a known minimum")
}

#[test]
fn random_walk_is_local_at_low_temperature_and_escapes_at_high() {
    let mb = MullerBrown::new();
    let rw = |t: f64| RandomWalkMetropolis::default().with_step_size(0.03).with_temperature(t);
    for (start, t, should_leave) in [(0usize, 2.0, false), (1, 2.0, false), (1, 40.0, true)] {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9 + start as u64);
        let x0 = MullerBrown::MINIMA[start].1.to_vec();
        let mut state = ContinuousState::new(&mb, x0).unwrap();
        let mut left = false;
        let observer = |p: &elm_mcmc::ChainProgress<ContinuousState>| {
            if p.step.is_multiple_of(100) && basin(p.state.x()) != start {
                left = true;
                return Control::Stop;
            }
            Control::Continue
        };
        Chain::new(10_000).run_continuous(&rw(t), &mb, &mut state, &mut rng, observer).unwrap();
        assert_eq!(left, should_leave, "start {start}, T = {t}");
    }
}

#[test]
fn same_seed_same_chain_different_seed_different_chain() {
    let mb = MullerBrown::new();
    let run = |seed: u64| {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut state = ContinuousState::new(&mb, vec![0.0, 0.5]).unwrap();
        let s = Mala::default().with_step_size(0.01).with_temperature(5.0);
        Chain::new(500).run_continuous(&s, &mb, &mut state, &mut rng, observe::nothing()).unwrap().energies
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
}
