//! The image scoring network (seed 000 Sec. 5.2) and its incremental discrete energy.

use burn::tensor::{Device, Tensor, TensorData};
use elm_core::{DiscreteEnergy, DiscreteState};
use elm_ebm::{FrameNet, InitialNoise, McmcInit, MlParams, MlTrainer, Mlp, OptimizerKind, Potential, Synthesis};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

fn random_image(n: usize, levels: usize, rng: &mut Xoshiro256PlusPlus) -> Vec<u8> {
    (0..n).map(|_| rng.random_range(0..levels) as u8).collect()
}

#[test]
fn discrete_form_equals_the_network() {
    let device = Device::flex();
    device.seed(3);
    let net = FrameNet::seed(Some(1.0), 8, &device);
    let energy = net.image_energy();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let images: Vec<Vec<u8>> = (0..4).map(|_| random_image(256, 8, &mut rng)).collect();
    let flat: Vec<f32> = images.iter().flatten().map(|&l| f32::from(l) / 7.0).collect();
    let burn = net.energy(Tensor::<2>::from_data(TensorData::new(flat, [4, 256]), &device));
    let burn = burn.into_data().try_to_vec::<f32>().unwrap();
    for (img, &e) in images.iter().zip(&burn) {
        let ours = energy.energy(img);
        assert!((ours - f64::from(e)).abs() < 1e-4 * (1.0 + ours.abs()), "discrete {ours} vs burn {e}");
    }
    assert_eq!(energy.level_value(7), 255.0);
    assert_eq!(energy.sites(), 256);
}

#[test]
fn incremental_deltas_equal_full_recomputation() {
    let device = Device::flex();
    device.seed(5);
    let net = FrameNet::new(10, 6, 7, 3, 8, Some(0.7), &device);
    let energy = net.image_energy();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
    let mut state = DiscreteState::new(&energy, random_image(100, 8, &mut rng)).unwrap();
    let mut out = vec![0.0; 8];
    for step in 0..400 {
        let i = rng.random_range(0..100);
        state.delta_levels(&energy, i, &mut out);
        let e0 = energy.energy(state.as_slice());
        for (v, &d) in out.iter().enumerate() {
            let mut t = state.as_slice().to_vec();
            t[i] = v as u8;
            let exact = energy.energy(&t) - e0;
            assert!((d - exact).abs() < 1e-5 * (1.0 + exact.abs()), "step {step} site {i} level {v}: {d} vs {exact}");
        }
        let v = rng.random_range(0..8) as u8;
        state.set(&energy, i, v);
    }
    // The cached energy has followed 400 updates.
    let drift = state.energy() - energy.energy(state.as_slice());
    assert!(drift.abs() < 1e-6 * (1.0 + state.energy().abs()), "drift {drift}");
}

#[test]
fn gibbs_synthesis_trains_and_needs_a_discrete_form() {
    let device = Device::flex().autodiff();
    device.seed(7);
    let side = 8;
    let data: Vec<f32> = (0..40 * side * side).map(|k| if (k % side) < 2 { 1.0 } else { 0.0 }).collect();
    let config = MlParams {
        steps: 2,
        batch: 8,
        init: McmcInit::Persistent {
            noise: InitialNoise::UniformLevels { levels: 4 },
            bank_size: 0,
            rejuvenation: 0.0,
        },
        optimizer: OptimizerKind::Adam { lr: 1e-3 },
        synthesis: Synthesis::Gibbs,
        ..MlParams::default()
    };
    let net = FrameNet::new(side, 4, 6, 3, 4, Some(1.0), &device);
    let mut trainer = MlTrainer::new(net, data.clone(), config, 1, device.clone()).unwrap();
    for _ in 0..3 {
        assert!(trainer.step().unwrap().energy_difference.is_finite());
    }
    // Every bank value is on the 4-level grid after Gibbs sweeps.
    assert!(trainer.bank().iter().all(|&v| ((v * 3.0).round() - v * 3.0).abs() < 1e-6));
    let mlp = Mlp::new(side * side, 4, None, &device);
    assert!(MlTrainer::new(mlp, data, config, 1, device).is_err());
}
