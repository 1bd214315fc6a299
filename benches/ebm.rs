//! elm-ebm benchmarks on the CPU flex backend: one learning iteration (batch 100, L = 100
//! Langevin steps) of the authors' 2-D toy network (`Mlp::toy`) and of the ConvNet potential on 32x32 inputs.
//! With a GPU, run the same with `--features ebm,elm-ebm/wgpu` after switching the device.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use elm_ebm::{ConvNet, Device, MlParams, MlTrainer, Mlp};
use std::hint::black_box;

/// The default learning step (seed 001 Sec. 3.2.1.1: ε = 0.125, τ = 1, L = 100, batch 100,
/// persistent bank of 10 000, `U = F/(ε²/2)`).
fn config() -> MlParams {
    MlParams::default()
}

fn training_iteration(c: &mut Criterion) {
    let device = Device::flex().autodiff();
    device.seed(1);
    let mut g = c.benchmark_group("ebm_training_iteration_batch100_L100");
    g.sample_size(10);
    let data: Vec<f32> = (0..2000).map(|k| ((k * 7919 % 1000) as f32 / 1000.0 - 0.5) * 4.0).collect();
    let mut mlp = MlTrainer::new(Mlp::toy(&device), data, config(), 1, device.clone()).expect("trainer");
    g.bench_function("toy_mlp", |b| b.iter(|| black_box(mlp.step().expect("step").energy_difference)));
    let images: Vec<f32> = (0..100 * 1024).map(|k| ((k * 104_729 % 997) as f32 / 997.0) * 2.0 - 1.0).collect();
    let mut conv =
        MlTrainer::new(ConvNet::new(1, 32, None, &device), images, config(), 2, device.clone()).expect("trainer");
    g.bench_function("convnet_32x32", |b| b.iter(|| black_box(conv.step().expect("step").energy_difference)));
    g.finish();
}

criterion_group!(benches, training_iteration);
criterion_main!(benches);
