//! elm-mcmc benchmarks: an SK-100 Gibbs sweep (with its flip rate, to compare against the
//! ~N^2 multiply-add bound of field updates), Langevin and MALA steps on Müller-Brown, and one
//! HMC trajectory on a 100-D Gaussian.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use elm_core::DiscreteState;
use elm_core::reference::{Gaussian, MullerBrown};
use elm_mcmc::{ContinuousSampler, ContinuousState, DiscreteSampler, Gibbs, Hmc, Langevin, Mala};
use std::hint::black_box;

fn sk100_gibbs(c: &mut Criterion) {
    let sk = elm_benches::sk(100);
    let mut g = c.benchmark_group("sk100_gibbs_sweep");
    // T = 0.1 is the ADELM temperature of seed 000 Sec. 5.1 (few flips per sweep); T = 1 is
    // hot (about half the spins flip, each costing an O(N) field update).
    for t in [0.1, 1.0] {
        let gibbs = Gibbs::default().with_temperature(t);
        let mut rng = elm_benches::rng(2);
        let mut state = DiscreteState::random(&sk, &mut rng).expect("valid SK");
        let flips: usize = (0..200).map(|_| gibbs.sweep(&sk, &mut state, &mut rng)).sum();
        eprintln!("SK-100 Gibbs at T = {t}: {:.1} flips per sweep", flips as f64 / 200.0);
        g.bench_function(format!("T={t}"), |b| b.iter(|| black_box(gibbs.sweep(&sk, &mut state, &mut rng))));
    }
    g.finish();
}

fn muller_brown_steps(c: &mut Criterion) {
    let mb = MullerBrown::new();
    let mut rng = elm_benches::rng(3);
    let mut state = ContinuousState::new(&mb, vec![-0.55, 1.44]).expect("valid start");
    let langevin = Langevin::default().with_step_size(0.005).with_temperature(10.0);
    let mala = Mala::default().with_step_size(0.005).with_temperature(10.0);
    c.bench_function("muller_brown/langevin_step", |b| b.iter(|| black_box(langevin.step(&mb, &mut state, &mut rng))));
    c.bench_function("muller_brown/mala_step", |b| b.iter(|| black_box(mala.step(&mb, &mut state, &mut rng))));
}

fn hmc_gaussian_100(c: &mut Criterion) {
    let g = Gaussian::isotropic(100, 1.0).expect("valid Gaussian");
    let mut rng = elm_benches::rng(4);
    let mut state = ContinuousState::new(&g, vec![0.0; 100]).expect("valid start");
    let hmc = Hmc::default().with_step_size(0.1).with_leapfrog_steps(20);
    c.bench_function("gaussian100/hmc_trajectory_L20", |b| b.iter(|| black_box(hmc.step(&g, &mut state, &mut rng))));
}

criterion_group!(benches, sk100_gibbs, muller_brown_steps, hmc_gaussian_100);
criterion_main!(benches);
