//! Co-Op learning (seed 001 Alg. 4) and the latent energy `U(g(z))` (seed 000 Eq. 5.4).

use elm_core::{Energy, Gradient};
use elm_ebm::{
    Control, ConvGenerator, CoopParams, CoopTrainer, Device, Error, Generator, LatentEnergy, Mlp, MlpGenerator,
    OptimizerKind, Synthesis,
};
use ndarray::Array2;
use rand::SeedableRng;
use rand_distr::{Distribution, Normal};
use rand_xoshiro::Xoshiro256PlusPlus;

/// burn's initialization RNG is process-wide: tests that build networks run one at a time.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn device(seed: u64) -> Device {
    let d = Device::flex().autodiff();
    d.seed(seed);
    d
}

/// `n` draws of the 2-D Gaussian with mean `(1, -0.5)` and standard deviations `(0.4, 0.2)`.
fn gaussian_data(n: usize, seed: u64) -> Vec<f32> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let (a, b) = (Normal::new(1.0f32, 0.4).unwrap(), Normal::new(-0.5f32, 0.2).unwrap());
    (0..n).flat_map(|_| [a.sample(&mut rng), b.sample(&mut rng)]).collect()
}

fn mean_sd(xs: &[f32], axis: usize) -> (f64, f64) {
    let v: Vec<f64> = xs.chunks(2).map(|r| f64::from(r[axis])).collect();
    let m = v.iter().sum::<f64>() / v.len() as f64;
    (m, (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt())
}

#[test]
fn coop_learns_a_gaussian_its_affine_generator_can_represent() {
    let _s = serial();
    let dev = device(5);
    // Data N((1, -0.5), diag(0.4², 0.2²)). An affine generator z -> Az + b with X = g(Z) + τ·noise
    // represents it exactly when A Aᵀ = Σ − τ² I: its noise-free samples g(Z) then have standard
    // deviations sqrt(σ² − τ²) = (0.397, 0.194) at τ = 0.05. The descriptor is an MLP with a
    // weak Gaussian prior.
    //
    // The latent inference must converge within its K steps: in a direction where the generator
    // has gain s, one step contracts the posterior error by δ²(s²/τ² + 1)/2, here 0.085 per step
    // for s = 0.2, so K = 50 (with δ = τ = 0.1 and K = 15 the inferred Z explained 40% of the
    // revision and the generator collapsed to sd 0.02 along the narrow axis).
    let params = CoopParams::default()
        .with_batch(100)
        .with_revision(Synthesis::Langevin, 15)
        .with_inference(50, 0.1)
        .with_descriptor_optimizer(Some(OptimizerKind::Adam { lr: 1e-2 }))
        .with_generator_optimizer(OptimizerKind::Adam { lr: 1e-2 });
    let params = CoopParams { revision_epsilon: 0.1, generator_sd: 0.05, ..params };
    let data = gaussian_data(2000, 1);
    let mut coop =
        CoopTrainer::new(Mlp::new(2, 32, Some(3.0), &dev), MlpGenerator::new(2, 2, &[], &dev), data, params, 3, dev)
            .unwrap();
    let before = coop.generate(2000, 99);
    coop.train(400, |_| Control::Continue).unwrap();
    let after = coop.generate(2000, 99);
    let mut revised = after.clone();
    coop.revise(&mut revised, 5).unwrap();
    // Tolerances: with 2000 samples the mean's error is ~0.01 and the sd's ~2%; the rest is the
    // noise of a 400-step stochastic-gradient run (measured: means within 0.05, sds within 9%).
    let (gx, gy, rx, ry) = (mean_sd(&after, 0), mean_sd(&after, 1), mean_sd(&revised, 0), mean_sd(&revised, 1));
    assert!(
        (gx.0 - 1.0).abs() < 0.1 && (gy.0 + 0.5).abs() < 0.1,
        "means {gx:?} {gy:?} (before {:?})",
        mean_sd(&before, 0)
    );
    assert!((gx.1 / 0.397 - 1.0).abs() < 0.2 && (gy.1 / 0.194 - 1.0).abs() < 0.2, "generator sds {gx:?} {gy:?}");
    assert!((rx.1 / 0.4 - 1.0).abs() < 0.2 && (ry.1 / 0.2 - 1.0).abs() < 0.2, "revised sds {rx:?} {ry:?}");
}

#[test]
fn checkpoint_and_resume_repeat_an_uninterrupted_run() {
    let _s = serial();
    let dev = device(11);
    let params = CoopParams::default().with_batch(16).with_revision(Synthesis::Langevin, 3).with_inference(3, 0.3);
    let (d, g) = (Mlp::new(2, 8, Some(1.0), &dev), MlpGenerator::new(2, 2, &[8], &dev));
    let data = gaussian_data(64, 2);
    let mut full = CoopTrainer::new(d.clone(), g.clone(), data.clone(), params, 4, dev.clone()).unwrap();
    full.train(4, |_| Control::Continue).unwrap();
    let mut first = CoopTrainer::new(d.clone(), g.clone(), data.clone(), params, 4, dev.clone()).unwrap();
    assert_eq!(first.train(10, |t| Control::stop_if(t.iteration() == 2)).unwrap(), 2);
    let dir = std::env::temp_dir().join(format!("elm-coop-{}", std::process::id()));
    first.save(&dir).unwrap();
    let mut resumed = CoopTrainer::new(d, g, data, params, 4, dev).unwrap();
    resumed.load(&dir).unwrap();
    resumed.train(2, |_| Control::Continue).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(resumed.history, full.history);
    assert_eq!(resumed.generate(5, 1), full.generate(5, 1));
}

#[test]
fn bad_parameters_and_mismatched_networks_are_typed_errors() {
    let _s = serial();
    let dev = device(1);
    let (d, g) = (Mlp::new(2, 8, None, &dev), MlpGenerator::new(2, 2, &[8], &dev));
    let data = gaussian_data(10, 3);
    let build = |p: CoopParams| CoopTrainer::new(d.clone(), g.clone(), data.clone(), p, 1, dev.clone()).err();
    assert!(matches!(build(CoopParams::default().with_batch(0)), Some(Error::Core(_))));
    assert!(matches!(build(CoopParams { generator_sd: -1.0, ..CoopParams::default() }), Some(Error::Core(_))));
    assert!(matches!(build(CoopParams { inference_epsilon: 0.0, ..CoopParams::default() }), Some(Error::Core(_))));
    assert!(matches!(
        build(CoopParams { revision_bounds: Some((1.0, 0.0)), ..CoopParams::default() }),
        Some(Error::Core(_))
    ));
    assert!(matches!(
        build(CoopParams { revision_bounds: Some((0.0, f64::NAN)), ..CoopParams::default() }),
        Some(Error::Core(_))
    ));
    assert!(matches!(
        build(CoopParams::default().with_generator_optimizer(OptimizerKind::Adam { lr: -1.0 })),
        Some(Error::Core(_))
    ));
    // Gibbs revision needs a descriptor with a discrete form; an MLP has none.
    assert!(matches!(build(CoopParams::default().with_revision(Synthesis::Gibbs, 1)), Some(Error::Core(_))));
    // A generator of 3-D states for a 2-D descriptor, and data of the wrong row length.
    let g3 = MlpGenerator::new(2, 3, &[4], &dev);
    assert!(matches!(
        CoopTrainer::new(d.clone(), g3, data.clone(), CoopParams::default(), 1, dev.clone()),
        Err(Error::Core(elm_core::Error::DimensionMismatch { .. }))
    ));
    assert!(matches!(
        CoopTrainer::new(d.clone(), g.clone(), vec![0.0; 5], CoopParams::default(), 1, dev.clone()),
        Err(Error::Core(elm_core::Error::DimensionMismatch { .. }))
    ));
    assert!(matches!(
        CoopTrainer::new(d, g, vec![f32::NAN; 4], CoopParams::default(), 1, dev),
        Err(Error::Core(elm_core::Error::NonFinite(_)))
    ));
}

fn gradient_error<E: Gradient>(e: &E, x: &[f64], h: f64) -> f64 {
    let mut g = vec![0.0; x.len()];
    e.energy_gradient(x, &mut g);
    let scale = g.iter().map(|v| v.abs()).fold(0.0, f64::max).max(1e-3);
    let mut xp = x.to_vec();
    let mut worst: f64 = 0.0;
    for i in 0..x.len() {
        xp[i] = x[i] + h;
        let ep = e.energy(&xp);
        xp[i] = x[i] - h;
        let em = e.energy(&xp);
        xp[i] = x[i];
        worst = worst.max(((ep - em) / (2.0 * h) - g[i]).abs() / scale);
    }
    worst
}

#[test]
fn latent_energy_gradient_matches_finite_differences_through_a_conv_generator() {
    let _s = serial();
    let dev = device(7);
    // A small image generator (4x4 -> 8x8 -> 16x16) and an MLP descriptor on 256 pixels, with
    // and without the latent prior. f32 networks: the best of three step sizes (a ReLU kink
    // within h spoils one difference) within 2% of the largest gradient component.
    let g = ConvGenerator::new(3, 1, &[8, 4], &dev);
    assert_eq!((g.output_dim(), g.side()), (256, 16));
    let energy = LatentEnergy::new(Mlp::new(256, 16, Some(1.0), &dev), g, dev.clone());
    for prior in [0.0, 1.0] {
        let e = energy.clone().with_scale(3.0).with_prior(prior);
        for z in [[0.3, -0.7, 1.1], [-1.2, 0.4, 0.05]] {
            let err = [1e-2, 3e-3, 1e-3].map(|h| gradient_error(&e, &z, h)).into_iter().fold(f64::INFINITY, f64::min);
            assert!(err < 2e-2, "prior {prior}, z {z:?}: {err}");
        }
        let prior_only = e.energy(&[1.0, 0.0, 0.0]) - energy.clone().with_scale(3.0).energy(&[1.0, 0.0, 0.0]);
        assert!((prior_only - 0.5 * prior).abs() < 1e-9, "{prior_only}");
    }
}

#[test]
fn batched_latent_energies_and_gradients_equal_single_evaluations() {
    let _s = serial();
    let dev = device(8);
    let e =
        LatentEnergy::new(Mlp::new(2, 16, Some(1.0), &dev), MlpGenerator::new(4, 2, &[16], &dev), dev).with_prior(1.0);
    let zs: Vec<f64> = (0..20).map(|k| ((k * 37 % 11) as f64 - 5.0) / 4.0).collect();
    let batch = Array2::from_shape_vec((5, 4), zs.clone()).unwrap();
    let mut out = vec![0.0; 5];
    e.energy_batch(batch.view(), &mut out);
    let mut grads = vec![0.0; 20];
    let energies = e.energy_gradient_batch(&zs, &mut grads);
    for r in 0..5 {
        let z = &zs[r * 4..(r + 1) * 4];
        let mut g = vec![0.0; 4];
        let single = e.energy_gradient(z, &mut g);
        assert!((single - out[r]).abs() < 1e-5 && (single - energies[r]).abs() < 1e-5);
        for (a, b) in g.iter().zip(&grads[r * 4..(r + 1) * 4]) {
            assert!((a - b).abs() < 1e-5, "{a} vs {b}");
        }
    }
    assert_eq!(e.decode(&zs).len(), 10);
}
