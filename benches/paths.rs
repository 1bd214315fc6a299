//! elm-paths benchmark: NEB (and CI-NEB, string) between Müller-Brown minima C and B to a
//! maximum image force of 1e-3, with the iterations and energy evaluations it takes.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use elm_core::reference::MullerBrown;
use elm_paths::{BandMethod, ElasticBand};
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

criterion_group!(benches, neb_muller_brown);
criterion_main!(benches);
