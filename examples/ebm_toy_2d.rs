//! Seed 001 Sec. 3.2.1.1, Fig. 3.1 and Fig. 2.4: convergent vs non-convergent maximum-likelihood
//! learning of an energy-based model on 2-D toy densities.
//!
//! Data: a mixture of 8 Gaussians on a circle of radius 2 and two concentric rings (radii 1 and
//! 2), both with standard deviation 0.15 along the most constrained direction. Model: an MLP
//! potential (2-64-64-1, ReLU). Learning (seed 001 Alg. 1): Langevin with `τ = 1`, `ε = 0.125`,
//! `L = 100`, persistent initialization; convergent run = SGD with learning rate 5e-4,
//! non-convergent run = Adam with learning rate 1e-4.
//!
//! For each run: the learned density `p(x; θ) ∝ exp(-U)` normalized on a grid, a Gaussian KDE
//! `s_t` of the samples the learning produced (the persistent bank), and the true `q`; three heat
//! maps, the diagnostics `d_st`, `r_st` and the autocorrelation of `d_st`, and `KL(q || p)`,
//! `KL(q || s_t)`. The seed's finding: convergent learning has `p ≈ s_t ≈ q`; non-convergent
//! learning has `s_t ≈ q` but a steady state `p` far from `q`.
//!
//! Default: 1500 learning iterations per run (about 11 s each in release); `--full`: 20 000;
//! `--iterations N` sets any number.
//! Writes `target/figures/ebm_toy_2d/{<data>_<run>.svg, diagnostics.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --features ebm --example ebm_toy_2d [-- --full]
//! ```

use elm_core::Energy;
use elm_ebm::{Device, McmcInit, MlConfig, MlTrainer, Mlp, OptimizerKind, StepDiagnostics, TrainedEnergy};
use elm_examples::{ExampleArgs, write_json};
use plotters::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;

const GRID: usize = 80;
const LIM: f64 = 3.0;
const SD: f64 = 0.15;

#[derive(Clone, Copy)]
enum Toy {
    Mixture,
    Rings,
}

impl Toy {
    fn name(self) -> &'static str {
        match self {
            Toy::Mixture => "mixture",
            Toy::Rings => "rings",
        }
    }

    fn sample(self, n: usize, rng: &mut Xoshiro256PlusPlus) -> Vec<f32> {
        let mut out = Vec::with_capacity(2 * n);
        for _ in 0..n {
            let z: [f64; 2] = [rng.sample(rand_distr::StandardNormal), rng.sample(rand_distr::StandardNormal)];
            let (x, y) = match self {
                Toy::Mixture => {
                    let k = rng.random_range(0..8) as f64 * std::f64::consts::TAU / 8.0;
                    (2.0 * k.cos() + SD * z[0], 2.0 * k.sin() + SD * z[1])
                }
                Toy::Rings => {
                    let r = if rng.random::<bool>() { 1.0 } else { 2.0 } + SD * z[0];
                    let a = rng.random_range(0.0..std::f64::consts::TAU);
                    (r * a.cos(), r * a.sin())
                }
            };
            out.extend([x as f32, y as f32]);
        }
        out
    }

    /// Unnormalized true density.
    fn density(self, x: f64, y: f64) -> f64 {
        match self {
            Toy::Mixture => (0..8)
                .map(|k| {
                    let a = k as f64 * std::f64::consts::TAU / 8.0;
                    (-((x - 2.0 * a.cos()).powi(2) + (y - 2.0 * a.sin()).powi(2)) / (2.0 * SD * SD)).exp()
                })
                .sum(),
            Toy::Rings => {
                let r = x.hypot(y);
                // Radial Gaussian shells; the 1/r keeps each ring's mass equal to its weight.
                [1.0, 2.0].iter().map(|&r0| (-(r - r0).powi(2) / (2.0 * SD * SD)).exp() / (r0 * r0).sqrt()).sum::<f64>()
            }
        }
    }
}

fn grid_points() -> Vec<[f64; 2]> {
    let h = 2.0 * LIM / GRID as f64;
    (0..GRID * GRID).map(|k| [-LIM + (k % GRID) as f64 * h + h / 2.0, LIM - (k / GRID) as f64 * h - h / 2.0]).collect()
}

fn normalize(v: Vec<f64>) -> Vec<f64> {
    let z: f64 = v.iter().sum();
    v.into_iter().map(|x| x / z).collect()
}

fn kl(q: &[f64], p: &[f64]) -> f64 {
    q.iter().zip(p).map(|(&a, &b)| if a > 0.0 { a * (a / b.max(1e-300)).ln() } else { 0.0 }).sum()
}

#[derive(Serialize)]
struct RunRecord {
    data: &'static str,
    run: &'static str,
    iterations: usize,
    kl_q_p: f64,
    kl_q_s: f64,
    mean_energy_data: f64,
    mean_energy_short_run: f64,
    mean_energy_long_run: f64,
    correlations: elm_ebm::LearningCorrelations,
    final_energy_difference: f64,
    final_gradient_magnitude: f64,
    history: Vec<StepDiagnostics>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("ebm_toy_2d");
    let iterations = args.option("iterations", if args.full { 20_000.0 } else { 1500.0 }) as usize;
    let device = Device::flex().autodiff();
    // Network initialization draws from burn's RNG: seed it for reproducible runs.
    device.seed(args.seed);
    let points = grid_points();
    let mut records = Vec::new();
    for toy in [Toy::Mixture, Toy::Rings] {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(args.seed);
        let data = toy.sample(2000, &mut rng);
        let q = normalize(points.iter().map(|p| toy.density(p[0], p[1])).collect());
        for (run, optimizer) in [
            ("convergent", OptimizerKind::Sgd { lr: 5e-4, decay: 1.0, floor: 5e-4 }),
            ("non-convergent", OptimizerKind::Adam { lr: 1e-4 }),
        ] {
            let config = MlConfig {
                epsilon: 0.125,
                tau: 1.0,
                steps: 100,
                init: McmcInit::Persistent { noise_sd: 1.0, rejuvenation: 0.0 },
                optimizer,
                batch: 100,
                data_noise: 0.0,
            };
            let model = Mlp::new(2, 64, None, &device);
            let mut trainer = MlTrainer::new(model, data.clone(), config, args.seed, device.clone())?;
            let started = std::time::Instant::now();
            trainer.train(iterations, |d| {
                if (d.iteration + 1) % 100 == 0 {
                    eprintln!(
                        "{} {run}: iteration {} d_st {:+.4} r_st {:.4}",
                        toy.name(),
                        d.iteration + 1,
                        d.energy_difference,
                        d.gradient_magnitude
                    );
                }
            })?;
            let energy = TrainedEnergy::new(trainer.model.clone(), device.clone());
            let u: Vec<f64> = points.iter().map(|p| energy.energy(p)).collect();
            let m = u.iter().copied().fold(f64::INFINITY, f64::min);
            let p = normalize(u.iter().map(|v| (-(v - m)).exp()).collect());
            let bank = trainer.bank();
            let s = normalize(points.iter().map(|g| kde(bank, g, 0.1)).collect());
            let (kl_p, kl_s) = (kl(&q, &p), kl(&q, &s));
            // Short-run (L steps from noise) vs long-run (20 L steps from the bank) samples.
            let mean_energy = |x: &[f32]| {
                let pts: Vec<f64> = x.iter().map(|v| f64::from(*v)).collect();
                pts.chunks(2).map(|c| energy.energy(c)).sum::<f64>() / (pts.len() / 2) as f64
            };
            let short = mean_energy(&trainer.short_run_samples(500, config.steps, args.seed + 1));
            let long = mean_energy(&trainer.long_run_samples(500, 20 * config.steps, args.seed + 2));
            let data_energy = mean_energy(&data[..1000]);
            let corr = elm_ebm::learning_correlations(&trainer.history, iterations / 2, 50)?;
            println!(
                "{:<8} {:<15} {iterations} iterations in {:.0} s: KL(q||p) = {kl_p:.3}, KL(q||s_t) = {kl_s:.3}; mean U: data {data_energy:.3}, short-run {short:.3}, long-run {long:.3}; ACF(d_st) at lag 10: {:.2}",
                toy.name(),
                run,
                started.elapsed().as_secs_f64(),
                corr.energy_difference_acf.get(10).copied().unwrap_or(f64::NAN)
            );
            heat_maps(
                &args.path(&format!("{}_{}.svg", toy.name(), run.replace('-', "_"))),
                &q,
                &p,
                &s,
                &format!("{} / {run}", toy.name()),
            )?;
            let last = trainer.history.last().copied().expect("trained");
            records.push(RunRecord {
                data: toy.name(),
                run,
                iterations,
                kl_q_p: kl_p,
                kl_q_s: kl_s,
                mean_energy_data: data_energy,
                mean_energy_short_run: short,
                mean_energy_long_run: long,
                correlations: corr,
                final_energy_difference: last.energy_difference,
                final_gradient_magnitude: last.gradient_magnitude,
                history: trainer.history.clone(),
            });
        }
    }
    diagnostics(&args.path("diagnostics.svg"), &records)?;
    write_json(&args.path("record.json"), &records);
    println!("figures and record in {}", args.out.display());
    Ok(())
}

fn kde(samples: &[f32], at: &[f64; 2], bw: f64) -> f64 {
    samples
        .chunks(2)
        .map(|s| (-((f64::from(s[0]) - at[0]).powi(2) + (f64::from(s[1]) - at[1]).powi(2)) / (2.0 * bw * bw)).exp())
        .sum()
}

fn heat_maps(
    path: &std::path::Path,
    q: &[f64],
    p: &[f64],
    s: &[f64],
    title: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (960, 360)).into_drawing_area();
    root.fill(&WHITE)?;
    let (top, bottom) = root.split_vertically(30);
    top.draw(&Text::new(title.to_string(), (10, 8), ("sans-serif", 16)))?;
    for (area, (name, v)) in
        bottom.split_evenly((1, 3)).iter().zip([("true q", q), ("learned p = exp(-U)/Z", p), ("samples s_t (KDE)", s)])
    {
        let max = v.iter().copied().fold(0.0, f64::max);
        let mut chart = ChartBuilder::on(area)
            .caption(name, ("sans-serif", 13))
            .margin(5)
            .build_cartesian_2d(-LIM..LIM, -LIM..LIM)?;
        let h = 2.0 * LIM / GRID as f64;
        chart.draw_series(v.iter().enumerate().map(|(k, &val)| {
            let (x, y) = (-LIM + (k % GRID) as f64 * h, LIM - (k / GRID) as f64 * h - h);
            Rectangle::new([(x, y), (x + h, y + h)], ViridisRGB::get_color((val / max).sqrt()).filled())
        }))?;
    }
    root.present()?;
    Ok(())
}

fn diagnostics(path: &std::path::Path, runs: &[RunRecord]) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (1000, 700)).into_drawing_area();
    root.fill(&WHITE)?;
    let rows = root.split_evenly((3, 1));
    let series = |r: &RunRecord, which: usize| -> Vec<(f64, f64)> {
        match which {
            0 => r.history.iter().map(|d| (d.iteration as f64, d.energy_difference)).collect(),
            1 => r.history.iter().map(|d| (d.iteration as f64, d.gradient_magnitude)).collect(),
            _ => {
                let x: Vec<f64> = r.history.iter().map(|d| d.energy_difference).collect();
                elm_mcmc::diagnostics::autocorrelation(&x, 100)
                    .unwrap_or_default()
                    .into_iter()
                    .enumerate()
                    .map(|(k, v)| (k as f64, v))
                    .collect()
            }
        }
    };
    for (which, (area, title)) in
        rows.iter().zip(["energy difference d_st", "gradient magnitude r_st", "ACF of d_st"]).enumerate()
    {
        let all: Vec<(f64, f64)> = runs.iter().flat_map(|r| series(r, which)).collect();
        let (x1, lo, hi) = all
            .iter()
            .fold((1.0f64, f64::INFINITY, f64::NEG_INFINITY), |(a, b, c), p| (a.max(p.0), b.min(p.1), c.max(p.1)));
        let mut chart = ChartBuilder::on(area)
            .caption(title, ("sans-serif", 14))
            .margin(6)
            .x_label_area_size(25)
            .y_label_area_size(50)
            .build_cartesian_2d(0.0..x1, lo.min(0.0)..hi.max(0.0) + 1e-9)?;
        chart.configure_mesh().light_line_style(WHITE).draw()?;
        for (k, r) in runs.iter().enumerate() {
            let c = Palette99::pick(k);
            chart
                .draw_series(LineSeries::new(series(r, which), c.stroke_width(1)))?
                .label(format!("{} {}", r.data, r.run))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], Palette99::pick(k)));
        }
        chart.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw()?;
    }
    root.present()?;
    Ok(())
}
