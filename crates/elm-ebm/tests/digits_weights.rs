//! The committed DeepFRAME digits weights (`data/weights/digits/frame_digits.bpk`, written by
//! `digits_train --full`) load, and the learned energy puts the training digits far below noise.

use elm_core::DiscreteEnergy;
use elm_ebm::{Device, FrameNet, load_weights};
use rand::{RngExt, SeedableRng};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

/// The committed digits file, decoded just enough for this test (layout in `xtask/src/data.rs`;
/// `elm_examples::digits` is the checked loader).
fn digits() -> Vec<Vec<u8>> {
    let bytes = std::fs::read(format!("{ROOT}/digits/mnist_0123_16x16_l8.bin")).expect("committed digits");
    assert_eq!(&bytes[..8], b"ELMDIGIT");
    let n = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]) as usize;
    let pixels = &bytes[16 + n..16 + n + 128 * n];
    pixels.chunks(128).map(|c| c.iter().flat_map(|&b| [b & 0x0f, b >> 4]).collect()).collect()
}

#[test]
fn committed_weights_give_digits_lower_energy_than_noise() {
    let device = Device::flex();
    let path = format!("{ROOT}/weights/digits/frame_digits.bpk");
    let net = load_weights(FrameNet::seed(Some(1.0), 8, &device), std::path::Path::new(&path)).expect("weights load");
    let energy = net.image_energy();
    let images = digits();
    assert_eq!(images.len(), 2000);
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(11);
    let noise: Vec<f64> =
        (0..200).map(|_| energy.energy(&(0..256).map(|_| rng.random_range(0..8u8)).collect::<Vec<_>>())).collect();
    let lowest_noise = noise.iter().copied().fold(f64::INFINITY, f64::min);
    let digit_energies: Vec<f64> = images.iter().map(|s| energy.energy(s)).collect();
    let highest_digit = digit_energies.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    // Measured at commit: digits -434 on average, random images +46.
    assert!(highest_digit < lowest_noise, "highest digit {highest_digit} vs lowest noise {lowest_noise}");
    assert!(mean(&digit_energies) < mean(&noise) - 300.0, "{} vs {}", mean(&digit_energies), mean(&noise));
}

#[test]
fn cached_energy_follows_a_long_descent_and_gibbs_run() {
    use elm_core::{DescentRule, DiscreteDescent, DiscreteState};
    use elm_mcmc::{DiscreteSampler, Gibbs};
    let device = Device::flex();
    let path = format!("{ROOT}/weights/digits/frame_digits.bpk");
    let energy = load_weights(FrameNet::seed(Some(1.0), 8, &device), std::path::Path::new(&path))
        .expect("weights load")
        .image_energy();
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(12);
    let noise: Vec<u8> = (0..256).map(|_| rng.random_range(0..8u8)).collect();
    let mut state = DiscreteState::new(&energy, noise).unwrap();
    let descent =
        DiscreteDescent { tolerance: 1e-6, ..DiscreteDescent::default().with_rule(DescentRule::FirstImprovement) };
    let report = descent.minimize(&energy, &mut state).unwrap();
    let exact = energy.energy(state.as_slice());
    eprintln!("descent: {} changes, cached {} exact {exact}", report.changes, state.energy());
    assert!((state.energy() - exact).abs() < 1e-3, "after descent: cached {} vs exact {exact}", state.energy());
    let gibbs = Gibbs::default().with_temperature(1.0);
    for _ in 0..50 {
        gibbs.sweep(&energy, &mut state, &mut rng);
    }
    let exact = energy.energy(state.as_slice());
    assert!((state.energy() - exact).abs() < 1e-3, "after Gibbs: cached {} vs exact {exact}", state.energy());
}
