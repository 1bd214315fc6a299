//! Seed 000 Sec. 5.2.1: learn the DeepFRAME energy of the handwritten digits 0-3 (16x16, 8 grey
//! levels) whose landscape `digits_adelm` maps.
//!
//! Data: the committed 2000 digits ([`elm_examples::digits`], 500 per digit). Model:
//! [`FrameNet::seed`] — conv 100 5x5, FC 50, FC 10, ReLU, `F` = sum of the 10 outputs,
//! `E = -F + ||X||²/(2σ²)` with `σ = 1` on the `[0, 1]` input scale. Learning (seed 000: "the
//! same method as [48] except that Gibbs sampling was used instead of Langevin dynamics"):
//! maximum likelihood with Gibbs synthesis ([`Synthesis::Gibbs`], `exp(-E)` at `T = 1`) from a
//! persistent bank of `--bank` (64) chains started at random 8-level images, batch 32, Adam.
//! (A bank of one chain per training example, 2000, visits each chain every 62 batches: after
//! 100 batches its images were still far above the data in energy.)
//!
//! Scale. The seed: 300 epochs (18 750 batches) of `T = 10` Gibbs sweeps, learning rate 7e-5.
//! Here by default: `--iterations 300` batches with `--sweeps 1` sweep each (persistent chains
//! keep mixing across batches) and Adam `--lr 3e-4`: about a minute on 2 cores. `--full`: 3000
//! iterations (48 epochs), the run whose weights are committed in
//! `data/weights/digits/frame_digits.bpk` (973 s here; `data/README.md`). The seed's full schedule
//! is 18 750 batches x 10 sweeps x 32 images = 6 million image sweeps: at the measured
//! sweep rate (printed) that is hours here, which is why the committed model is smaller.
//!
//! Writes `target/figures/digits_train/{frame_digits.bpk, samples.svg, record.json}` and
//! checkpoints (`--resume` continues one).
//!
//! ```text
//! cargo run --release -p elm-examples --features ebm --example digits_train [-- --full]
//! ```

use elm_core::{DiscreteEnergy, observe};
use elm_ebm::{
    Device, EnergyScale, FrameNet, InitialNoise, McmcInit, MlParams, MlTrainer, OptimizerKind, StepDiagnostics,
    Synthesis, save_weights,
};
use elm_examples::digits::{self, LEVELS, image_grid_svg};
use elm_examples::{ExampleArgs, write_json};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;
use std::time::Instant;

#[derive(Serialize)]
struct Record {
    iterations: usize,
    sweeps_per_iteration: usize,
    batch: usize,
    learning_rate: f64,
    seconds: f64,
    image_sweeps_per_second: f64,
    mean_energy_by_digit: Vec<f64>,
    mean_energy_noise: f64,
    mean_energy_bank: f64,
    fraction_digits_below_all_noise: f64,
    history: Vec<StepDiagnostics>,
}

fn main() {
    let args = ExampleArgs::parse("digits_train");
    let iterations = args.option("iterations", if args.full { 3000.0 } else { 300.0 }) as usize;
    let sweeps = args.option("sweeps", 1.0) as usize;
    let lr = args.option("lr", 3e-4);
    let data = digits::load().unwrap_or_else(|e| panic!("{e}"));
    let device = Device::flex().autodiff();
    device.seed(args.seed);
    let net = FrameNet::seed(Some(1.0), LEVELS, &device);
    let config = MlParams {
        steps: sweeps,
        batch: 32,
        init: McmcInit::Persistent {
            noise: InitialNoise::UniformLevels { levels: LEVELS },
            bank_size: args.option("bank", 64.0) as usize,
            rejuvenation: 0.0,
        },
        optimizer: OptimizerKind::Adam { lr },
        scale: EnergyScale::Network,
        synthesis: Synthesis::Gibbs,
        ..MlParams::default()
    };
    let mut trainer = MlTrainer::new(net, data.unit_values(), config, args.seed, device.clone()).expect("valid setup");
    let checkpoint = args.path("checkpoint");
    if args.resume && checkpoint.exists() {
        trainer.load(&checkpoint).expect("checkpoint loads");
        println!("resumed at iteration {}", trainer.iteration());
    }
    let start = Instant::now();
    let remaining = iterations.saturating_sub(trainer.iteration());
    let mut log = observe::log_every(50);
    let mut save = observe::checkpoint_every(500, &checkpoint);
    trainer.train(remaining, |t: &MlTrainer<FrameNet>| log(t).and(save(t))).expect("training runs");
    let seconds = start.elapsed().as_secs_f64();
    let rate = (remaining * config.batch * sweeps) as f64 / seconds;
    println!("{remaining} iterations in {seconds:.1} s ({rate:.0} image sweeps/s, Gibbs + learning)");
    save_weights(&trainer.model, &args.path("frame_digits.bpk")).expect("weights written");
    trainer.save(&checkpoint).expect("checkpoint written");

    // Energies of the training digits, random 8-level images and the bank.
    let energy = trainer.model.image_energy();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(args.seed ^ 0x5eed);
    let noise: Vec<Vec<u8>> = (0..200).map(|_| (0..256).map(|_| rng.random_range(0..LEVELS) as u8).collect()).collect();
    let noise_e: Vec<f64> = noise.iter().map(|s| energy.energy(s)).collect();
    let min_noise = noise_e.iter().copied().fold(f64::INFINITY, f64::min);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let digit_e: Vec<f64> = (0..data.len()).map(|k| energy.energy(data.image(k))).collect();
    let by_digit: Vec<f64> =
        (0..4).map(|d| mean(&data.of_digit(d).iter().map(|&k| digit_e[k]).collect::<Vec<_>>())).collect();
    let bank: Vec<Vec<u8>> =
        trainer.bank().chunks(256).map(|c| c.iter().map(|&v| (v * 7.0).round() as u8).collect()).collect();
    let bank_e: Vec<f64> = bank.iter().map(|s| energy.energy(s)).collect();
    let below = digit_e.iter().filter(|&&e| e < min_noise).count() as f64 / digit_e.len() as f64;
    println!(
        "mean energy: digits 0-3 {:.1} {:.1} {:.1} {:.1}; bank {:.1}; random images {:.1}; {:.1}% of digits below every random image",
        by_digit[0],
        by_digit[1],
        by_digit[2],
        by_digit[3],
        mean(&bank_e),
        mean(&noise_e),
        100.0 * below
    );
    let shown: Vec<&[u8]> = bank.iter().take(40).map(Vec::as_slice).collect();
    let labels: Vec<String> = bank_e.iter().take(40).map(|e| format!("{e:.0}")).collect();
    let svg = image_grid_svg(
        &shown,
        LEVELS,
        10,
        4,
        &format!(
            "digits_train: 40 persistent Gibbs chains after {} iterations (energy under each)",
            trainer.iteration()
        ),
        &labels,
    );
    std::fs::write(args.path("samples.svg"), svg).expect("svg written");
    write_json(
        &args.path("record.json"),
        &Record {
            iterations: trainer.iteration(),
            sweeps_per_iteration: sweeps,
            batch: config.batch,
            learning_rate: lr,
            seconds,
            image_sweeps_per_second: rate,
            mean_energy_by_digit: by_digit,
            mean_energy_noise: mean(&noise_e),
            mean_energy_bank: mean(&bank_e),
            fraction_digits_below_all_noise: below,
            history: trainer.history.clone(),
        },
    );
    println!("wrote {}", args.out.display());
}
