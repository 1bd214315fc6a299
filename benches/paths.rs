//! elm-paths benchmark: NEB (and CI-NEB, string) between Müller-Brown minima C and B to a
//! maximum image force of 1e-3, with the iterations and energy evaluations it takes; and the
//! dense symmetric eigen-solvers (nalgebra, and LAPACK with `--features lapack`) at 136, 1000
//! and 3000 dimensions (seed 004's network, and the sizes of larger network Hessians).
//!
//! ```text
//! cargo bench -p elm-benches --bench paths [--features lapack] -- symmetric_eigen
//! ```

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use elm_core::reference::MullerBrown;
use elm_paths::{BandMethod, EigenSolver, ElasticBand, symmetric_eigen_with};
use std::hint::black_box;

fn neb_muller_brown(c: &mut Criterion) {
    let mb = MullerBrown::new();
    let [_, b, m] = MullerBrown::MINIMA.map(|x| x.1);
    let mut g = c.benchmark_group("muller_brown_band_to_1e-3");
    for (name, band) in [
        ("neb", ElasticBand::default().with_method(BandMethod::Neb)),
        ("ci_neb", ElasticBand::default().with_method(BandMethod::Neb).with_climbing(true)),
        ("string", ElasticBand::default().with_method(BandMethod::String)),
    ] {
        let band = band.with_images(12).with_force_tolerance(1e-3);
        let r = band.run(&mb, &m, &b).expect("band");
        eprintln!(
            "{name}: {} iterations, {} energy+gradient evaluations, max force {:.1e}",
            r.iterations, r.evaluations, r.max_force
        );
        g.bench_function(name, |bench| bench.iter(|| black_box(band.run(&mb, &m, &b).expect("band").iterations)));
    }
    g.finish();
}

/// A deterministic symmetric `d x d` matrix with a spread spectrum.
fn symmetric_matrix(d: usize) -> Vec<f64> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    let mut m = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let v = next() + if i == j { i as f64 / d as f64 } else { 0.0 };
            m[i * d + j] = v;
            m[j * d + i] = v;
        }
    }
    m
}

fn symmetric_eigen(c: &mut Criterion) {
    let mut g = c.benchmark_group("symmetric_eigen");
    g.sample_size(10);
    let solvers: Vec<(&str, EigenSolver)> = vec![
        ("nalgebra", EigenSolver::Nalgebra),
        #[cfg(feature = "lapack")]
        ("lapack", EigenSolver::Lapack),
    ];
    for d in [136, 1000, 3000] {
        let m = symmetric_matrix(d);
        for &(name, solver) in &solvers {
            g.bench_function(format!("{name}_{d}"), |bench| {
                bench.iter(|| black_box(symmetric_eigen_with(&m, d, solver).expect("eigen").0[0]))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, neb_muller_brown, symmetric_eigen);
criterion_main!(benches);
