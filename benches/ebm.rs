//! elm-ebm benchmarks on the CPU flex backend: one learning iteration (batch 100, L = 100
//! Langevin steps) of the authors' 2-D toy network (`Mlp::toy`) and of the ConvNet potential on 32x32 inputs.
//! With a GPU, run the same with `--features ebm,elm-ebm/wgpu` after switching the device.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use elm_ebm::{ConvNet, Device, EnergyScale, InitialNoise, McmcInit, MlConfig, MlTrainer, Mlp, OptimizerKind};
use std::hint::black_box;

fn config() -> MlConfig {
    MlConfig {
        epsilon: 0.125,
        tau: 1.0,
        steps: 100,
        batch: 100,
        init: McmcInit::Persistent {
            noise: InitialNoise::Uniform { half_width: 1.0 },
            bank_size: 10_000,
            rejuvenation: 0.0,
        },
        optimizer: OptimizerKind::Sgd { lr: 5e-4, decay: 1.0, floor: 0.0 },
        data_noise: 0.0,
        scale: EnergyScale::Langevin,
    }
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
