//! elm-dg benchmark: all-pairs implied barriers and tree comparison at n = 5000 minima on a
//! chain-like tree (every minimum joins the growing basin one level higher), the shape that
//! made the old per-pair ancestor walk O(n² x depth): 156 s at n = 2000, `overlay_svg` at
//! n = 5000 unfinished after 500 s.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use elm_dg::{BarrierMatrix, DgParams, DisconnectivityGraph, compare};
use std::hint::black_box;

fn chain(n: usize, shift: f64) -> DisconnectivityGraph {
    let e: Vec<f64> = (0..n).map(|i| -(n as f64) + i as f64).collect();
    let mut m = BarrierMatrix::from_energies(e.clone()).expect("energies");
    for (i, &ei) in e.iter().enumerate().skip(1) {
        m.set(i - 1, i, ei + 0.5 + shift * (i % 3) as f64).expect("barrier");
    }
    DisconnectivityGraph::from_barriers(&m, &DgParams::default()).expect("tree")
}

fn dg_scale(c: &mut Criterion) {
    let (a, b) = (chain(5000, 0.0), chain(5000, 0.1));
    let mut g = c.benchmark_group("dg_n5000_chain");
    g.sample_size(10);
    g.bench_function("implied_barriers", |bench| bench.iter(|| black_box(a.implied_barriers().len())));
    g.bench_function("compare", |bench| bench.iter(|| black_box(compare(&a, &b).expect("same minima").agreement)));
    g.finish();
}

criterion_group!(benches, dg_scale);
criterion_main!(benches);
