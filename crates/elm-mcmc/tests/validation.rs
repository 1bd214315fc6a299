//! Bad parameters give typed errors; diagnostics behave on known series.

use elm_core::reference::{Gaussian, Ising};
use elm_core::{DiscreteState, Error as CoreError};
use elm_mcmc::diagnostics::{autocorrelation, effective_sample_size, integrated_autocorrelation_time};
use elm_mcmc::{
    Chain, ComponentwiseMetropolis, ContinuousState, DiscreteMetropolis, Error, Gibbs, Hmc, Langevin, Mala,
    RandomWalkMetropolis, observe,
};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

fn invalid(r: elm_mcmc::Result<()>, name: &str) {
    match r {
        Err(Error::Core(CoreError::InvalidParameter { name: n, .. })) => assert_eq!(n, name),
        other => panic!("expected InvalidParameter({name}), got {other:?}"),
    }
}

#[test]
fn sampler_parameters_are_validated() {
    invalid(RandomWalkMetropolis::default().with_temperature(0.0).validate(), "temperature");
    invalid(RandomWalkMetropolis::default().with_step_size(-1.0).validate(), "step_size");
    invalid(ComponentwiseMetropolis::default().with_step_size(f64::NAN).validate(), "step_size");
    invalid(Langevin::default().with_noise(-1.0).validate(), "noise");
    invalid(Mala::default().with_temperature(-2.0).validate(), "temperature");
    invalid(Hmc::default().with_leapfrog_steps(0).validate(), "leapfrog_steps");
    invalid(Gibbs::default().with_temperature(0.0).validate(), "temperature");
    invalid(DiscreteMetropolis::default().with_temperature(f64::INFINITY).validate(), "temperature");
    invalid(Chain::new(0).validate(), "steps");
    invalid(Chain::new(10).with_thin(0).validate(), "thin");
}

#[test]
fn runners_check_parameters_and_dimensions() {
    let g = Gaussian::isotropic(2, 1.0).unwrap();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(0);
    let mut state = ContinuousState::new(&g, vec![0.0, 0.0]).unwrap();
    let bad = Mala::default().with_step_size(0.0);
    assert!(Chain::new(10).run_continuous(&bad, &g, &mut state, &mut rng, observe::nothing()).is_err());
    let g3 = Gaussian::isotropic(3, 1.0).unwrap();
    let r = Chain::new(10).run_continuous(&Mala::default(), &g3, &mut state, &mut rng, observe::nothing());
    assert!(matches!(r, Err(Error::Core(CoreError::DimensionMismatch { .. }))));
    assert!(matches!(ContinuousState::new(&g, vec![f64::NAN, 0.0]), Err(Error::Core(CoreError::NonFinite(_)))));
    let ising = Ising::new(4, 1.0, 0.0).unwrap();
    let other = Ising::new(5, 1.0, 0.0).unwrap();
    let mut s = DiscreteState::new(&ising, vec![0; 16]).unwrap();
    assert!(Chain::new(10).run_discrete(&Gibbs::default(), &other, &mut s, &mut rng, observe::nothing()).is_err());
}

#[test]
fn diagnostics_on_known_series() {
    assert!(matches!(autocorrelation(&[1.0], 1), Err(Error::SeriesTooShort { .. })));
    assert!(matches!(autocorrelation(&[1.0, f64::NAN], 1), Err(Error::Core(CoreError::NonFinite(_)))));
    let constant = autocorrelation(&[2.0; 10], 3).unwrap();
    assert_eq!(constant, vec![1.0, 0.0, 0.0, 0.0]);
    // i.i.d. uniform noise: tau ~ 1, ESS ~ n.
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let iid: Vec<f64> = (0..50_000).map(|_| rng.random::<f64>()).collect();
    let tau = integrated_autocorrelation_time(&iid).unwrap();
    assert!((tau - 1.0).abs() < 0.1, "iid tau {tau}");
    assert!(effective_sample_size(&iid).unwrap() > 45_000.0);
    // The FFT autocorrelation equals the direct sum.
    let series: Vec<f64> = (0..300).map(|i| ((i as f64) * 0.37).sin() + rng.random::<f64>()).collect();
    let acf = autocorrelation(&series, 20).unwrap();
    let mean = series.iter().sum::<f64>() / 300.0;
    let c0: f64 = series.iter().map(|x| (x - mean).powi(2)).sum();
    for (lag, rho) in acf.iter().enumerate() {
        let direct: f64 = (0..300 - lag).map(|i| (series[i] - mean) * (series[i + lag] - mean)).sum::<f64>() / c0;
        assert!((rho - direct).abs() < 1e-10, "lag {lag}: {rho} vs {direct}");
    }
}

/// `E = x²/2` for `x < 1`, undefined (NaN) beyond.
struct Cliff;

impl elm_core::Energy for Cliff {
    fn dim(&self) -> usize {
        1
    }
    fn energy(&self, x: &[f64]) -> f64 {
        if x[0] < 1.0 { 0.5 * x[0] * x[0] } else { f64::NAN }
    }
}

impl elm_core::Gradient for Cliff {
    fn energy_gradient(&self, x: &[f64], g: &mut [f64]) -> f64 {
        g[0] = x[0];
        elm_core::Energy::energy(self, x)
    }
}

#[test]
fn langevin_never_walks_into_an_undefined_region() {
    // Unadjusted Langevin used to accept every step, NaN energies included.
    let ula = elm_mcmc::Langevin::default().with_step_size(0.8);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    let mut s = elm_mcmc::ContinuousState::new(&Cliff, vec![0.5]).unwrap();
    let mut stayed = 0;
    for _ in 0..2000 {
        if !elm_mcmc::ContinuousSampler::step(&ula, &Cliff, &mut s, &mut rng) {
            stayed += 1;
        }
        assert!(s.energy().is_finite() && s.x()[0] < 1.0);
    }
    assert!(stayed > 0, "the cliff was never met");
}
