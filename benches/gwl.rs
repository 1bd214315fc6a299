//! elm-gwl benchmark: GWL steps per second on SK-100 (the seed's spectrum and 45 intervals),
//! timed as one block of 20 000 steps after a 200 000-step warm-up. The projected time of the
//! seed's 5e8 steps is printed.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use elm_gwl::{Control, GeneralizedWangLandau, GwlParams};
use std::hint::black_box;
use std::time::Instant;

const BLOCK: u64 = 20_000;

fn gwl_steps(c: &mut Criterion) {
    let sk = elm_benches::sk(100);
    let base = GwlParams::new(-80.0, -35.0, 200_000).with_intervals(45).with_block(BLOCK).with_check_every(BLOCK);
    let record = GeneralizedWangLandau::new(base).expect("valid").map(&sk, 1, |_| Control::Continue).expect("warm-up");
    let mut params = base;
    params.iterations = 200_000 + BLOCK;
    let mut record = record;
    record.params = params;
    let gwl = GeneralizedWangLandau::new(params).expect("valid");
    let mut g = c.benchmark_group("sk100_gwl");
    g.sample_size(10);
    g.bench_function("block_of_20000_steps", |b| {
        b.iter(|| {
            let mut r = record.clone();
            gwl.resume(&sk, &mut r, |_| Control::Continue).expect("block");
            black_box(r.basins.len())
        })
    });
    g.finish();
    // One direct measurement for the projection printed with the medians.
    let t = Instant::now();
    let mut r = record.clone();
    gwl.resume(&sk, &mut r, |_| Control::Continue).expect("block");
    let per_step = t.elapsed().as_secs_f64() / BLOCK as f64;
    eprintln!("GWL SK-100: {:.0} steps/s; 5e8 steps would take {:.1} h", 1.0 / per_step, 5e8 * per_step / 3600.0);
}

criterion_group!(benches, gwl_steps);
criterion_main!(benches);
