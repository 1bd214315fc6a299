//! elm-ebm benchmarks on the CPU flex backend: one learning iteration (batch 100, L = 100
//! Langevin steps) of the authors' 2-D toy network (`Mlp::toy`) and of the ConvNet potential on 32x32 inputs.
//! With a GPU, run the same with `--features ebm,elm-ebm/wgpu` after switching the device.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use elm_core::{DiscreteEnergy, DiscreteState};
use elm_ebm::{ConvNet, Device, FrameNet, MlParams, MlTrainer, Mlp, load_weights};
use elm_mcmc::{DiscreteSampler, Gibbs};
use rand::SeedableRng;
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

/// The digits energy of seed 000 Sec. 5.2 (the committed trained weights of `digits_train`):
/// a full evaluation, all 8 levels of one pixel by full evaluations and incrementally, and a
/// Gibbs sweep of one 16x16 image against 256 full evaluations and against 256 batched
/// 8-level full evaluations (the sweep without the cache).
fn frame_image_energy(c: &mut Criterion) {
    let device = Device::flex();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/weights/digits/frame_digits.bpk");
    let energy = load_weights(FrameNet::seed(Some(1.0), 8, &device), std::path::Path::new(path))
        .expect("committed digits weights")
        .image_energy();
    // A digit-like state: a Gibbs-equilibrated image at T = 1 from a ring.
    let ring: Vec<u8> = (0..256)
        .map(|p| {
            let (y, x) = ((p / 16) as f64 - 7.5, (p % 16) as f64 - 7.5);
            if ((y * y + x * x).sqrt() - 5.0).abs() < 1.2 { 7 } else { 0 }
        })
        .collect();
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
    let mut state = DiscreteState::new(&energy, ring).expect("state");
    let gibbs = Gibbs::default();
    for _ in 0..20 {
        gibbs.sweep(&energy, &mut state, &mut rng);
    }
    let mut g = c.benchmark_group("frame_image_energy_16x16_L8");
    let s = state.as_slice().to_vec();
    g.bench_function("full_energy", |b| b.iter(|| black_box(energy.energy(black_box(&s)))));
    let mut out = vec![0.0; 8];
    g.bench_function("pixel_8_levels_full", |b| {
        b.iter(|| {
            let mut t = s.clone();
            for (v, o) in out.iter_mut().enumerate() {
                t[120] = v as u8;
                *o = energy.energy(&t);
            }
            black_box(out[3])
        })
    });
    g.bench_function("pixel_8_levels_incremental", |b| {
        b.iter(|| {
            state.delta_levels(&energy, 120, &mut out);
            black_box(out[3])
        })
    });
    g.bench_function("256_full_evaluations", |b| {
        b.iter(|| (0..256).map(|_| energy.energy(black_box(&s))).sum::<f64>())
    });
    g.bench_function("gibbs_sweep_incremental", |b| b.iter(|| gibbs.sweep(&energy, &mut state, &mut rng)));
    g.finish();
}

/// The latent energy `U(g(z))` of seed 000 Eq. 5.4, the inner loop of latent-space AD: the
/// committed digits descriptor over the seed's 16x16 Co-Op generator (2-D latent), energy and
/// energy + gradient for one `z` and for a batch of 64.
fn latent_energy(c: &mut Criterion) {
    use elm_core::{Energy, Gradient};
    let device = Device::flex().autodiff();
    device.seed(3);
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/weights");
    let descriptor = load_weights(
        FrameNet::seed(Some(1.0), 8, &device),
        std::path::Path::new(&format!("{root}/digits/frame_digits.bpk")),
    )
    .expect("committed digits weights");
    let generator = elm_ebm::load_generator(
        elm_ebm::ConvGenerator::seed(2, &device),
        std::path::Path::new(&format!("{root}/coop/digits03_generator_z2.bpk")),
    )
    .expect("committed generator");
    let energy = elm_ebm::LatentEnergy::new(descriptor, generator, device).with_prior(1.0);
    let mut g = c.benchmark_group("latent_energy_digits_z2");
    let z = [0.3, -0.4];
    let mut grad = [0.0; 2];
    g.bench_function("energy_1", |b| b.iter(|| energy.energy(black_box(&z))));
    g.bench_function("energy_gradient_1", |b| b.iter(|| energy.energy_gradient(black_box(&z), &mut grad)));
    let zs: Vec<f64> = (0..128).map(|k| ((k * 37 % 23) as f64 - 11.0) / 6.0).collect();
    let batch = ndarray::ArrayView2::from_shape((64, 2), &zs).expect("shape");
    let mut out = vec![0.0; 64];
    let mut grads = vec![0.0; 128];
    g.bench_function("energy_64", |b| b.iter(|| energy.energy_batch(black_box(batch), &mut out)));
    g.bench_function("energy_gradient_64", |b| b.iter(|| energy.energy_gradient_batch(black_box(&zs), &mut grads)));
    g.finish();
}

criterion_group!(benches, training_iteration, frame_image_energy, latent_energy);
criterion_main!(benches);
