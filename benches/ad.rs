//! elm-ad benchmarks: one ADELM iteration on SK-100 (serial vs rayon) and single AD trials.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use elm_ad::{AdParams, AdSpace, Adelm, AdelmParams, AttractionDiffusion, Control, DiscreteSpace, UniformLevels};
use elm_mcmc::Gibbs;
use std::hint::black_box;

fn adelm_iteration(c: &mut Criterion) {
    let sk = elm_benches::sk(100);
    let space = DiscreteSpace::new(sk, Gibbs::default().with_temperature(0.1));
    // A map with some groups (the sk_adelm setting: T = 0.1, L2 alpha = 6, M = 100), then time
    // iteration 61 alone: 2L AD trials against the L representatives.
    // No consolidation at all: burn-in 0 (never reached again), no period, none at the end.
    let mut base = AdelmParams::default()
        .with_burn_in(0)
        .with_consolidate_every(0)
        .with_ad(AdParams::default().with_alpha(6.0).with_patience(100));
    base.consolidate_at_end = false;
    let warm = Adelm::new(base.with_iterations(60)).expect("valid");
    let mut proposals = UniformLevels { sites: 100, levels: 2 };
    let record = warm.map(&space, &mut proposals, 5, |_| Control::Continue).expect("map");
    eprintln!("ADELM bench: {} groups alive before the timed iteration", record.basins().len());
    let mut params = base.with_iterations(61);
    params.consolidate_at_end = false;
    let mut record = record;
    record.params = params;
    let adelm = Adelm::new(params).expect("valid");
    let mut g = c.benchmark_group("sk100_adelm_iteration");
    g.sample_size(20);
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        g.bench_function(format!("threads={threads}"), |b| {
            b.iter(|| {
                let mut r = record.clone();
                pool.install(|| adelm.resume(&space, &mut proposals, &mut r, |_| Control::Continue))
                    .expect("iteration");
                black_box(r.minima.len())
            })
        });
    }
    g.finish();
}

fn ad_trials(c: &mut Criterion) {
    let sk = elm_benches::sk(100);
    let space = DiscreteSpace::new(sk, Gibbs::default().with_temperature(0.1));
    let mut rng = elm_benches::rng(9);
    let mut a: Vec<u8> = UniformLevels { sites: 100, levels: 2 }.propose_with(&mut rng);
    let mut b: Vec<u8> = UniformLevels { sites: 100, levels: 2 }.propose_with(&mut rng);
    space.minimize(&mut a).expect("descent");
    space.minimize(&mut b).expect("descent");
    let ad = AttractionDiffusion::new(AdParams::default().with_alpha(6.0).with_patience(100)).expect("valid");
    let mut k = 0u64;
    c.bench_function("sk100/ad_trial_between_two_minima", |bench| {
        bench.iter(|| {
            k += 1;
            black_box(space.trial(&ad, &a, &b, &mut elm_ad::task_rng(1, k, 0, 0)).expect("trial").sweeps)
        })
    });
}

/// Draws a proposal with a bench RNG.
trait ProposeWith {
    fn propose_with(&mut self, rng: &mut rand_xoshiro::Xoshiro256PlusPlus) -> Vec<u8>;
}

impl ProposeWith for UniformLevels {
    fn propose_with(&mut self, rng: &mut rand_xoshiro::Xoshiro256PlusPlus) -> Vec<u8> {
        elm_ad::Proposal::propose(self, rng)
    }
}

criterion_group!(benches, adelm_iteration, ad_trials);
criterion_main!(benches);
