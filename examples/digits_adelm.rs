//! Seed 000 Sec. 5.2.1, Fig. 16: ADELM map of the learned DeepFRAME energy of the digits 0-3 in
//! the 256-dimensional space of 16x16 images with 8 grey levels.
//!
//! Energy: the committed [`FrameNet`] weights (`data/weights/digits/frame_digits.bpk`, trained by
//! `digits_train --full`; no retraining), evaluated exactly and incrementally by
//! [`FrameImageEnergy`]. Mapping (seed 000 Alg. 1): random 8-level images as proposals, local
//! minima by first-improvement single-pixel descent, AD with Gibbs sweeps (`M = 20` sweeps,
//! resolution `δ = 150` on the 0-255 pixel scale), a burn-in stage followed by a consolidation of
//! the representatives "using the same parameters as during mapping", then a testing stage.
//! Basins are labelled by the digit of the nearest training image (majority of the 5 nearest).
//! Barriers between representatives: AD with `α` falling from `10 α` (20% steps to the first
//! failure, then 3%), the lower of it and the greedy 1-D interpolation barrier.
//!
//! Parameters. The seed: `T = 30`, `α = 1.05`, `M = 20`, `δ = 150`, 500 burn-in + 2000 testing
//! iterations. On our energy the seed's `(T, α)` gives one basin (`--temperature 30 --alpha
//! 1.05`: the magnet alone pulls every chain to its target; our energy's scale differs from the
//! seed's, see `digits_tuning` and `docs/design.md`), so the defaults are `T = 0.25`, `α = 0.15`
//! from the critical range that `digits_tuning` measures; `M`, `δ` are the seed's. Each new
//! minimum is tested against the 8 groups with the lowest greedy interpolation barrier
//! (`--candidates`, 0 = all).
//!
//! Proposals: random 8-level images (the seed's "random initialization", default) or, with
//! `--data-proposals 1`, training images (proposals near the data manifold, the role the
//! generator plays in seed 000 Sec. 5.3).
//!
//! Scale: the default run maps 10 + 40 iterations (about 2 minutes on 2 cores with random
//! proposals, barrier estimation included; the gallery's maps ran 20 + 60 with `--burn-in 20
//! --testing 60`: 4 minutes with random proposals, 15 with training-image proposals, whose
//! 11 basins make barrier estimation the larger half); `--full` the seed's 500 + 2000: at the
//! measured 2.6 s (random) and 5.4 s (training images) per iteration, about 2 and 4 hours.
//!
//! Writes `target/figures/digits_adelm/{dg.svg, record.json, map.json}` (`map.json`: checkpoint
//! every 20 iterations, `--resume` continues).
//!
//! ```text
//! cargo run --release -p elm-examples --features ebm --example digits_adelm [-- --full]
//! ```

use elm_ad::{AdParams, Adelm, AdelmParams, AdelmRecord, DiscreteSpace, UniformLevels};
use elm_core::observe;
use elm_examples::digits::{self, DigitBasin, LEVELS, SIDE};
use elm_examples::{ExampleArgs, write_json};
use elm_mcmc::Gibbs;
use rand::RngExt;
use serde::Serialize;
use std::time::Instant;

#[derive(Serialize)]
struct Record {
    data_proposals: bool,
    temperature: f64,
    alpha: f64,
    delta: f64,
    patience: usize,
    burn_in: usize,
    iterations: usize,
    minima: usize,
    trials: u64,
    mapping_seconds: f64,
    barrier_seconds: f64,
    basins: Vec<DigitBasin>,
    barriers: elm_dg::BarrierMatrix,
    consolidations: usize,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("digits_adelm");
    let t = args.option("temperature", 0.25);
    let alpha = args.option("alpha", 0.15);
    let delta = args.option("delta", 150.0);
    let patience = args.option("patience", 20.0) as usize;
    let (burn_in, testing) = if args.full { (500, 2000) } else { (10, 40) };
    let burn_in = args.option("burn-in", burn_in as f64) as usize;
    let iterations = burn_in + args.option("testing", testing as f64) as usize;
    let data = digits::load()?;
    let energy = digits::learned_energy()?;
    let mut space = DiscreteSpace::new(energy.clone(), Gibbs::default().with_temperature(t));
    space.descent = digits::image_descent();
    let ad = AdParams::default().with_alpha(alpha).with_patience(patience).with_delta(delta);
    let params = AdelmParams::default()
        .with_iterations(iterations)
        .with_burn_in(burn_in)
        .with_consolidate_every(0)
        .with_candidates(args.option("candidates", 8.0) as usize)
        .with_ad(ad);
    let adelm = Adelm::new(params)?;
    let checkpoint = args.path("map.json");
    let mut record: AdelmRecord<Vec<u8>> = if args.resume && checkpoint.exists() {
        AdelmRecord::load(&checkpoint)?
    } else {
        adelm.start(&space, args.seed)?
    };
    let from_data = args.option("data-proposals", 0.0) > 0.0;
    let observer = observe::both(observe::log_every(10), observe::checkpoint_every(20, &checkpoint));
    let started = Instant::now();
    if from_data {
        // Proposals near the data manifold (the role of seed 000 Sec. 5.3's generator): a
        // training image drawn uniformly, then descended.
        let mut proposals = |rng: &mut elm_ad::AdRng| data.image(rng.random_range(0..data.len())).to_vec();
        adelm.resume(&space, &mut proposals, &mut record, observer)?;
    } else {
        let mut proposals = UniformLevels { sites: SIDE * SIDE, levels: LEVELS };
        adelm.resume(&space, &mut proposals, &mut record, observer)?;
    }
    let mapping_seconds = started.elapsed().as_secs_f64();

    let basins = digits::digit_basins(&record, &data, Clone::clone);
    let reps: Vec<Vec<u8>> = basins.iter().map(|b| b.representative.clone()).collect();

    let started = Instant::now();
    let trials = args.option("barrier-trials", 2.0) as usize;
    let matrix = digits::image_barriers(&space, &params, &reps, trials, args.seed ^ 0xba)?;
    let barrier_seconds = started.elapsed().as_secs_f64();

    println!(
        "digits 0-3, T = {t}, alpha = {alpha}, delta = {delta}, M = {patience}: {iterations} iterations ({burn_in} burn-in), {} minima, {} AD trials in {mapping_seconds:.1} s; barriers {barrier_seconds:.1} s",
        record.minima.len(),
        record.trials
    );
    println!("{} basins:", basins.len());
    digits::print_basins(&basins);

    // Fig. 16: the DG with the representatives under the leaves and members above them.
    let title = format!(
        "ADELM DG, digits 0-3, 8-level images: {} proposals, T = {t}, alpha = {alpha}, {iterations} iterations",
        if from_data { "training-image" } else { "random" }
    );
    std::fs::write(args.path("dg.svg"), digits::map_dg_svg(&record, &basins, &matrix, Clone::clone, title)?)?;
    write_json(
        &args.path("record.json"),
        &Record {
            data_proposals: from_data,
            temperature: t,
            alpha,
            delta,
            patience,
            burn_in,
            iterations,
            minima: record.minima.len(),
            trials: record.trials,
            mapping_seconds,
            barrier_seconds,
            basins,
            barriers: matrix,
            consolidations: record.consolidations.len(),
        },
    );
    println!("wrote {}", args.out.display());
    Ok(())
}
