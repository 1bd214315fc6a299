//! elm-core benchmarks: SK-100 flip deltas (incremental vs from scratch) and full energy,
//! Müller-Brown energy + gradient, an L-BFGS quench of LJ13.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use elm_core::reference::MullerBrown;
use elm_core::{DiscreteEnergy, DiscreteState, Gradient, Lbfgs, LocalMinimizer};
use std::hint::black_box;

fn sk100(c: &mut Criterion) {
    let sk = elm_benches::sk(100);
    let state = DiscreteState::random(&sk, &mut elm_benches::rng(1)).expect("valid SK");
    let mut g = c.benchmark_group("sk100");
    g.bench_function("flip_delta_local_fields", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % 100;
            black_box(state.delta(&sk, i, 1 - state.get(i)))
        })
    });
    g.bench_function("flip_delta_from_scratch", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % 100;
            black_box(sk.delta(state.as_slice(), i, 1 - state.get(i)))
        })
    });
    g.bench_function("flip_accept_update_fields", |b| {
        let mut s = state.clone();
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % 100;
            let v = 1 - s.get(i);
            black_box(s.set(&sk, i, v))
        })
    });
    g.bench_function("full_energy", |b| b.iter(|| black_box(sk.energy(black_box(state.as_slice())))));
    g.finish();
}

fn muller_brown(c: &mut Criterion) {
    let mb = MullerBrown::new();
    let mut grad = [0.0; 2];
    c.bench_function("muller_brown/energy_gradient", |b| {
        b.iter(|| black_box(mb.energy_gradient(black_box(&[0.1, 0.5]), &mut grad)))
    });
}

fn lj13_quench(c: &mut Criterion) {
    let (lj, x0) = elm_benches::lj13_start();
    let lbfgs = Lbfgs::default();
    c.bench_function("lj13/lbfgs_quench", |b| {
        b.iter(|| {
            let mut x = x0.clone();
            black_box(lbfgs.minimize(&lj, &mut x).expect("quench"))
        })
    });
}

criterion_group!(benches, sk100, muller_brown, lj13_quench);
criterion_main!(benches);
