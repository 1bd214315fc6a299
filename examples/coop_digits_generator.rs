//! Seed 000 Sec. 5.3.1, Fig. 17: ADELM of the digits 0-3 energy in image space with *generator
//! proposals*, and the generator's latent plane coloured by the basins its proposals fall into.
//!
//! Networks (the committed pair in `data/weights/coop/`, loaded unless `--retrain 1`). The
//! descriptor starts as the DeepFRAME digits energy of `digits_train` ([`FrameNet`]) and, as in
//! the seed ("initialized as the energy from Section 5.2 and the learning rate was very low"),
//! keeps learning at a low rate (Adam `--descriptor-lr` 3e-5) during Co-Op; the map is of that
//! Co-Op descriptor. The generator is seed 000's [`ConvGenerator::seed`] (2-D latent `N(0, I_2)`,
//! 4x4 to 100 channels, 5x5 up to 50, 5x5 up to the 16x16 image, ReLU, tanh), learned by Co-Op
//! ([`CoopTrainer`], seed 001 Alg. 4) with Gibbs revision of the generated images (the seed's
//! choice) of `--sweeps` (2) sweeps at `--revision-temperature` (0.1; at `T = 1` the revision never
//! leaves the noisy plateau, see `docs/design.md`), batch 32, generator Adam `--lr` (1e-3; the
//! seed's 3e-4 was too slow for our budget), latent inference `--inference-steps` (10) Langevin
//! steps of `--inference-epsilon` (0.3) at `--tau` (0.1). The committed run: 1200 iterations,
//! 1182 s here with other work on the cores (`data/README.md` has the command); the default
//! `--retrain 1` run is 300 iterations (about 5 minutes).
//!
//! Mapping: as `digits_adelm` (`T = 0.25`, `α = 0.15`, `M = 20`, `δ = 150`, 8 candidate groups;
//! the seed reused its Sec. 5.2 parameters, which on our energy are these), with proposals
//! `quantize(g(Z))`, `Z ~ N(0, I_2)` (seed 000 Sec. 5.3.1). Default 5 + 20 iterations (about 4
//! minutes: AD trials in this energy take 1.3 s each); `--full` the seed's 500 + 2000 (about 8
//! hours here at that rate).
//!
//! Writes `target/figures/coop_digits_generator/{dg.svg, latent.svg, manifold.svg,
//! samples.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --features ebm --example coop_digits_generator [-- --full]
//! ```

use elm_ad::{AdParams, Adelm, AdelmParams, DiscreteSpace};
use elm_core::observe;
use elm_ebm::{
    ConvGenerator, CoopDiagnostics, CoopParams, CoopTrainer, Device, EnergyScale, FrameNet, OptimizerKind, Synthesis,
    load_generator, load_weights,
};
use elm_examples::digits::{self, DigitBasin, LEVELS, image_grid_svg};
use elm_examples::{ExampleArgs, write_json};
use elm_mcmc::Gibbs;
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;
use std::time::Instant;

#[derive(Serialize)]
struct Record {
    retrained: bool,
    training_iterations: usize,
    training_seconds: f64,
    training_history: Vec<CoopDiagnostics>,
    temperature: f64,
    alpha: f64,
    burn_in: usize,
    iterations: usize,
    minima: usize,
    trials: u64,
    mapping_seconds: f64,
    barrier_seconds: f64,
    basins: Vec<DigitBasin>,
    /// Latent proposal of every iteration and the basin (index into `basins`) of its minimum.
    proposals: Vec<([f64; 2], Option<usize>)>,
    barriers: elm_dg::BarrierMatrix,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("coop_digits_generator");
    let data = digits::load()?;
    let device = Device::flex().autodiff();
    device.seed(args.seed);
    let descriptor = load_weights(FrameNet::seed(Some(1.0), LEVELS, &device), &digits::weights_path())?;
    let retrain = args.option("retrain", 0.0) > 0.0 || !digits::generator_path().exists();
    let params = CoopParams {
        batch: 32,
        revision: Synthesis::Gibbs,
        revision_steps: args.option("sweeps", 2.0) as usize,
        revision_temperature: args.option("revision-temperature", 0.1),
        scale: EnergyScale::Network,
        inference_steps: args.option("inference-steps", 10.0) as usize,
        inference_epsilon: args.option("inference-epsilon", 0.3),
        generator_sd: args.option("tau", 0.1),
        descriptor_optimizer: Some(OptimizerKind::Adam { lr: args.option("descriptor-lr", 3e-5) }),
        generator_optimizer: OptimizerKind::Adam { lr: args.option("lr", 1e-3) },
        ..CoopParams::default()
    };
    let mut coop = CoopTrainer::new(
        descriptor,
        ConvGenerator::seed(2, &device),
        data.unit_values(),
        params,
        args.seed,
        device.clone(),
    )?;
    let started = Instant::now();
    let mut training_iterations = 0;
    if retrain {
        training_iterations = digits::train_coop(&mut coop, &args, 300, 20)?;
    } else {
        coop.generator = load_generator(coop.generator.clone(), &digits::generator_path())?;
        coop.descriptor = load_weights(coop.descriptor.clone(), &digits::coop_descriptor_path())?;
    }
    // The map is of the Co-Op descriptor (the digits energy after Co-Op's low-rate learning).
    let energy = coop.descriptor.image_energy();
    let training_seconds = started.elapsed().as_secs_f64();
    let spread = {
        let g = coop.generate(64, 77);
        let mean: Vec<f64> = (0..256).map(|p| g.chunks(256).map(|im| f64::from(im[p])).sum::<f64>() / 64.0).collect();
        (g.chunks(256)
            .map(|im| im.iter().zip(&mean).map(|(v, m)| (f64::from(*v) - m).powi(2)).sum::<f64>())
            .sum::<f64>()
            / 64.0)
            .sqrt()
    };
    println!(
        "Co-Op: {training_iterations} iterations in {training_seconds:.0} s; generated images spread {spread:.3} (rms distance to their mean)"
    );

    // The generator's manifold over the latent plane, and generated vs revised samples.
    let grid: Vec<f32> = (0..15)
        .flat_map(|i| (0..15).flat_map(move |j| [-2.5 + j as f32 * 5.0 / 14.0, 2.5 - i as f32 * 5.0 / 14.0]))
        .collect();
    let manifold: Vec<Vec<u8>> = coop.generate_from(&grid).chunks(256).map(digits::quantize).collect();
    let refs: Vec<&[u8]> = manifold.iter().map(Vec::as_slice).collect();
    std::fs::write(
        args.path("manifold.svg"),
        image_grid_svg(&refs, LEVELS, 15, 3, "Generator g(z) on the latent grid [-2.5, 2.5]^2 (z2 up)", &[]),
    )?;
    std::fs::write(
        args.path("samples.svg"),
        digits::coop_samples_svg(
            &coop,
            32,
            args.seed ^ 5,
            16,
            "Top two rows: g(Z), Z ~ N(0, I); bottom two: after the Co-Op revision",
        )?,
    )?;

    // ADELM in image space with generator proposals.
    let t = args.option("temperature", 0.25);
    let alpha = args.option("alpha", 0.15);
    let (burn_in, testing) = if args.full { (500, 2000) } else { (5, 20) };
    let burn_in = args.option("burn-in", burn_in as f64) as usize;
    let iterations = burn_in + args.option("testing", testing as f64) as usize;
    let mut space = DiscreteSpace::new(energy.clone(), Gibbs::default().with_temperature(t));
    space.descent = digits::image_descent();
    let ad = AdParams::default().with_alpha(alpha).with_patience(20).with_delta(150.0);
    let params = AdelmParams::default()
        .with_iterations(iterations)
        .with_burn_in(burn_in)
        .with_consolidate_every(0)
        .with_candidates(8)
        .with_ad(ad);
    let adelm = Adelm::new(params)?;
    let mut record = adelm.start(&space, args.seed)?;
    let mut latents: Vec<[f64; 2]> = Vec::new();
    let started = Instant::now();
    {
        let mut proposals = |rng: &mut elm_ad::AdRng| {
            let z = [StandardNormal.sample(rng), StandardNormal.sample(rng)];
            latents.push(z);
            digits::quantize(&coop.generate_from(&[z[0] as f32, z[1] as f32]))
        };
        adelm.resume(&space, &mut proposals, &mut record, observe::log_every(10))?;
    }
    let mapping_seconds = started.elapsed().as_secs_f64();
    let basins = digits::digit_basins(&record, &data, Clone::clone);
    let reps: Vec<Vec<u8>> = basins.iter().map(|b| b.representative.clone()).collect();
    let proposals = digits::proposal_basins(&record, &latents, &basins);

    let started = Instant::now();
    let matrix = digits::image_barriers(&space, &params, &reps, 2, args.seed ^ 0xba)?;
    let barrier_seconds = started.elapsed().as_secs_f64();
    println!(
        "generator proposals, T = {t}, alpha = {alpha}: {iterations} iterations ({burn_in} burn-in), {} minima, {} AD trials in {mapping_seconds:.1} s; barriers {barrier_seconds:.1} s",
        record.minima.len(),
        record.trials
    );
    digits::print_basins(&basins);
    let title = format!(
        "ADELM DG, digits 0-3 with generator proposals: T = {t}, alpha = {alpha}, {iterations} iterations, {} basins",
        basins.len()
    );
    std::fs::write(args.path("dg.svg"), digits::map_dg_svg(&record, &basins, &matrix, Clone::clone, title)?)?;
    let labels: Vec<String> = basins
        .iter()
        .enumerate()
        .map(|(k, b)| format!("B{k}: looks like {} ({} minima)", b.digit, b.members))
        .collect();
    std::fs::write(
        args.path("latent.svg"),
        digits::latent_scatter_svg(
            &proposals,
            &labels,
            "Latent proposals Z ~ N(0, I2) coloured by the basin of their minimum",
            None,
        ),
    )?;
    write_json(
        &args.path("record.json"),
        &Record {
            retrained: retrain,
            training_iterations,
            training_seconds,
            training_history: coop.history.clone(),
            temperature: t,
            alpha,
            burn_in,
            iterations,
            minima: record.minima.len(),
            trials: record.trials,
            mapping_seconds,
            barrier_seconds,
            basins,
            proposals,
            barriers: matrix,
        },
    );
    println!("wrote {}", args.out.display());
    Ok(())
}
