//! Seed 001 Sec. 3.2.1.1-3.2.2 and 3.4.2 (Fig. 3.1, 3.3-3.4, 3.9): convergent, non-convergent and
//! hybrid maximum-likelihood learning of an energy-based model on 2-D toy densities.
//!
//! Data ([`elm_examples::toy2d`]): 8 Gaussians on the unit circle and 2 rings of radii 1 and 2,
//! sd 0.15; 100 000 exact samples stand in for the fresh draws of every step. Model: the authors'
//! toy network `2-32-64-64-64-1`, LeakyReLU(0.05) ([`Mlp::toy`]), energy `U = F / (ε²/2)`
//! ([`EnergyScale::Langevin`]). Learning (seed 001 Alg. 1): Langevin with `τ = 1`, `ε = 0.125`,
//! `L = 100`, a persistent bank of 10 000 states uniform on `[-1, 1]^2`, batch 100, and
//! - **convergent**: SGD without momentum, learning rate per unit of `F` from `--lr0` (0.1, the
//!   authors' toy setting) annealed by `--decay` (0.9996) per iteration to `--lr` (0.02), the
//!   thesis's annealing scheme at the toy's scale (its 5e-4 is far too slow here, see
//!   `docs/design.md`);
//! - **non-convergent**: Adam, learning rate 1e-4;
//! - **short-run** (the non-convergent setting of the authors' code): Adam 1e-4, chains from
//!   `N(0, I)` every step with `ε = 0.01` (nearly noiseless), `L = 100`;
//! - **hybrid** (Fig. 3.9): Adam 1e-4 for the first half, then SGD at `--hybrid-lr` (0.02).
//!
//! For each run: the learned density `p ∝ exp(-U)` normalized on a 100 x 100 grid, a Gaussian
//! KDE of the short-run samples `s_t` (5000 bank states after `L` more steps, or `L` steps from
//! noise; bandwidth as the authors'), the true `q`; `KL(q || p)`, `KL(q || s_t)`; mean energies of data, short-run
//! and long-run (`10 L` more steps from 1000 short-run samples) samples; the oscillation diagnostics of the last 2000 iterations
//! (auto- and cross-correlations of `d_st` and `r_st`, lags up to 15, as the seed's figures).
//! The hybrid run is also evaluated at its switch.
//!
//! Runs go in parallel, one per core (each is single-threaded); every run's randomness comes
//! from its seed, so results do not depend on the number of cores.
//!
//! Default: 300 iterations per run (under a minute on 2 cores; learning is then unfinished);
//! `--full`: 8000 (about 15 minutes on 2 cores); `--iterations N` sets any number; `--toy 0|1`
//! and `--run 0|1|2|3` pick one toy / run; `--snapshots K` evaluates K times along each run;
//! `--network-scale 1` learns `U = F` instead (the ablation in `docs/design.md`); `--replot 1` redraws the oscillation and
//! diagnostics figures from `record.json`.
//! Writes `target/figures/ebm_toy_2d/{<toy>_<run>.svg, <toy>_<run>_oscillation.svg,
//! <toy>_<run>.bpk (weights), diagnostics.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --features ebm --example ebm_toy_2d [-- --full]
//! ```

use elm_core::Energy;
use elm_ebm::{
    Control, EnergyScale, InitialNoise, LearningCorrelations, McmcInit, MlParams, MlTrainer, Mlp, OptimizerKind,
    StepDiagnostics, Synthesis, TrainedEnergy, save_weights,
};
use elm_examples::toy2d::{Grid, Toy, kde, kl, normalize};
use elm_examples::{ExampleArgs, write_json};
use plotters::prelude::*;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

const GRID: usize = 100;
const RUNS: [&str; 4] = ["convergent", "non-convergent", "short-run", "hybrid"];

/// One evaluation of a learned model.
#[derive(Serialize, Deserialize, Clone)]
struct Evaluation {
    iteration: usize,
    kl_q_p: f64,
    kl_q_s: f64,
    mean_energy_data: f64,
    mean_energy_short_run: f64,
    mean_energy_long_run: f64,
    #[serde(skip)]
    p: Vec<f64>,
    #[serde(skip)]
    s: Vec<f64>,
}

#[derive(Serialize, Deserialize)]
struct RunRecord {
    data: String,
    run: String,
    iterations: usize,
    config: MlParams,
    seconds: f64,
    /// At the end (and, for the hybrid run, first at the switch).
    evaluations: Vec<Evaluation>,
    oscillation: LearningCorrelations,
    short_lag_energy_acf: f64,
    history: Vec<StepDiagnostics>,
}

struct Job {
    toy: Toy,
    run: &'static str,
    config: MlParams,
    model: Mlp,
    /// Iterations after which to evaluate (the last is the end).
    stops: Vec<usize>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("ebm_toy_2d");
    if args.option("replot", 0.0) > 0.0 {
        // Redraw the oscillation and diagnostics figures from an earlier run's record.json.
        let text = std::fs::read_to_string(args.path("record.json"))?;
        let records: Vec<RunRecord> = serde_json::from_str(&text)?;
        for r in &records {
            oscillation_figure(&args.path(&format!("{}_{}_oscillation.svg", r.data, r.run.replace('-', "_"))), r)?;
        }
        diagnostics(&args.path("diagnostics.svg"), &records)?;
        return Ok(());
    }
    let iterations = args.option("iterations", if args.full { 8000.0 } else { 300.0 }) as usize;
    let lr0 = args.option("lr0", 0.1);
    let decay = args.option("decay", 0.9996);
    let lr = args.option("lr", 0.02);
    let hybrid_lr = args.option("hybrid-lr", 0.02);
    let toys: Vec<Toy> = match args.option("toy", -1.0) as i64 {
        0 => vec![Toy::Mixture],
        1 => vec![Toy::Rings],
        _ => vec![Toy::Mixture, Toy::Rings],
    };
    let which = args.option("run", -1.0) as i64;
    // `--snapshots K`: evaluate K times along each run (evenly spaced), to see whether a reading
    // is a steady state or a passing snapshot; the figures show the last (and the hybrid's switch).
    let snapshots = (args.option("snapshots", 1.0) as usize).clamp(1, iterations.max(1));
    let along: Vec<usize> = (1..=snapshots).map(|j| iterations * j / snapshots).collect();
    let device = elm_ebm::Device::flex().autodiff();
    let half = iterations / 2;
    let mut jobs = vec![];
    for &toy in &toys {
        for (k, run) in RUNS.iter().enumerate() {
            if which >= 0 && which as usize != k {
                continue;
            }
            let persistent = McmcInit::Persistent {
                noise: InitialNoise::Uniform { half_width: 1.0 },
                bank_size: 10_000,
                rejuvenation: 0.0,
            };
            let (optimizer, init, epsilon, stops) = match k {
                0 => (OptimizerKind::Sgd { lr: lr0, decay, floor: lr }, persistent, 0.125, along.clone()),
                1 => (OptimizerKind::Adam { lr: 1e-4 }, persistent, 0.125, along.clone()),
                // The authors' code's non-convergent toy setting: short-run chains from N(0, I)
                // with ε = 0.01 (nearly noiseless), Adam.
                2 => (
                    OptimizerKind::Adam { lr: 1e-4 },
                    McmcInit::Noise { noise: InitialNoise::Gaussian { sd: 1.0 } },
                    0.01,
                    along.clone(),
                ),
                _ => (
                    OptimizerKind::Hybrid { adam_lr: 1e-4, switch_at: half, sgd_lr: hybrid_lr },
                    persistent,
                    0.125,
                    // The switch is evaluated too (sorted, without a duplicate).
                    along
                        .iter()
                        .copied()
                        .chain([half])
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect(),
                ),
            };
            let config = MlParams {
                epsilon,
                tau: 1.0,
                steps: 100,
                data_noise: 0.0,
                init,
                optimizer,
                batch: 100,
                // `--network-scale 1`: the ablation of docs/design.md (U = F, everything else equal).
                scale: if args.option("network-scale", 0.0) > 0.0 {
                    EnergyScale::Network
                } else {
                    EnergyScale::Langevin
                },
                synthesis: Synthesis::Langevin,
            };
            // Network initialization draws from burn's RNG: seed it before each model, here on
            // the main thread, so every run starts from the same weights whatever the threads.
            device.seed(args.seed);
            jobs.push(Job { toy, run, config, model: Mlp::toy(&device), stops });
        }
    }
    let queue = Mutex::new(jobs.into_iter().enumerate().collect::<Vec<_>>());
    let results = Mutex::new(Vec::<(usize, RunRecord)>::new());
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let Some((index, job)) = queue.lock().expect("queue").pop() else { break };
                    match run_job(job, args.seed, &device, &args) {
                        Ok(record) => results.lock().expect("results").push((index, record)),
                        Err(e) => eprintln!("run {index} failed: {e}"),
                    }
                }
            });
        }
    });
    let mut records = results.into_inner().expect("results");
    records.sort_by_key(|(i, _)| *i);
    let records: Vec<RunRecord> = records.into_iter().map(|(_, r)| r).collect();
    for r in &records {
        for e in &r.evaluations {
            println!(
                "{:<8} {:<15} iteration {:>6}: KL(q||p) = {:.3}, KL(q||s_t) = {:.3}; mean U: data {:.2}, short-run {:.2}, long-run {:.2}",
                r.data,
                r.run,
                e.iteration,
                e.kl_q_p,
                e.kl_q_s,
                e.mean_energy_data,
                e.mean_energy_short_run,
                e.mean_energy_long_run
            );
        }
        println!(
            "{:<8} {:<15} {:.0} s; oscillation (last {} iterations): ACF(d_st) lags 1-5 mean {:+.3}, C(0) {:+.3}",
            r.data,
            r.run,
            r.seconds,
            r.oscillation.window,
            r.short_lag_energy_acf,
            r.oscillation.cross_correlation[r.oscillation.max_lag]
        );
    }
    if !records.is_empty() {
        diagnostics(&args.path("diagnostics.svg"), &records)?;
    }
    write_json(&args.path("record.json"), &records);
    println!("figures and record in {}", args.out.display());
    Ok(())
}

fn run_job(job: Job, seed: u64, device: &elm_ebm::Device, args: &ExampleArgs) -> Result<RunRecord, String> {
    let Job { toy, run, config, model, stops } = job;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let data = toy.sample(100_000, &mut rng);
    let grid = Grid { n: GRID, half: toy.extent() };
    let points = grid.points();
    let q = normalize(points.iter().map(|p| toy.density(p[0], p[1])).collect());
    let mut trainer = MlTrainer::new(model, data.clone(), config, seed, device.clone()).map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let mut evaluations = vec![];
    for &stop in &stops {
        let todo = stop.saturating_sub(trainer.iteration());
        trainer
            .train(todo, |t| {
                let d = t.last_step().expect("a step is done");
                if (d.iteration + 1) % 1000 == 0 {
                    eprintln!(
                        "{} {run}: iteration {} d_st {:+.4} r_st {:.4} lr {:.1e} ({:.0} s)",
                        toy.name(),
                        d.iteration + 1,
                        d.energy_difference,
                        d.gradient_magnitude,
                        d.learning_rate,
                        started.elapsed().as_secs_f64()
                    );
                }
                Control::Continue
            })
            .map_err(|e| e.to_string())?;
        evaluations.push(evaluate(&trainer, toy, &points, &q, &data, seed));
    }
    let seconds = started.elapsed().as_secs_f64();
    let iterations = trainer.iteration();
    let oscillation = elm_ebm::learning_correlations(&trainer.history, iterations.saturating_sub(2000), 15)
        .map_err(|e| e.to_string())?;
    let name = format!("{}_{}", toy.name(), run.replace('-', "_"));
    save_weights(&trainer.model, &args.path(&format!("{name}.bpk"))).map_err(|e| e.to_string())?;
    let record = RunRecord {
        data: toy.name().into(),
        run: run.into(),
        iterations,
        config,
        seconds,
        short_lag_energy_acf: oscillation.short_lag_energy_acf(5),
        evaluations,
        oscillation,
        history: std::mem::take(&mut trainer.history),
    };
    heat_maps(&args.path(&format!("{name}.svg")), &grid, &q, &record).map_err(|e| e.to_string())?;
    oscillation_figure(&args.path(&format!("{name}_oscillation.svg")), &record).map_err(|e| e.to_string())?;
    Ok(record)
}

fn evaluate(trainer: &MlTrainer<Mlp>, toy: Toy, points: &[[f64; 2]], q: &[f64], data: &[f32], seed: u64) -> Evaluation {
    let energy = trainer.energy();
    let flat: Vec<f64> = points.iter().flatten().copied().collect();
    let mut u = vec![0.0; points.len()];
    energy.energy_batch(ndarray::ArrayView2::from_shape((points.len(), 2), &flat).expect("rows of 2"), &mut u);
    let p = Grid::boltzmann(&u);
    let steps = trainer.config().steps;
    // s_t: what the learning step sees, `L` steps from the bank (persistent) or from noise.
    let short_run = match trainer.config().init {
        McmcInit::Persistent { .. } => trainer.long_run_samples(5000, steps, seed + 1),
        _ => trainer.short_run_samples(5000, steps, seed + 1),
    };
    let factor = if toy == Toy::Rings { 0.075 } else { 0.1 };
    let s = kde(&short_run, points, factor);
    // Long run: 10 L more steps from 1000 short-run samples, toward the steady state of p.
    let long_run = trainer.long_run_samples_from(&short_run[..2000], 10 * steps, seed + 2);
    Evaluation {
        iteration: trainer.iteration(),
        kl_q_p: kl(q, &p),
        kl_q_s: kl(q, &s),
        mean_energy_data: mean_energy(&energy, &data[..4000]),
        mean_energy_short_run: mean_energy(&energy, &short_run[..4000]),
        mean_energy_long_run: mean_energy(&energy, &long_run),
        p,
        s,
    }
}

fn mean_energy(energy: &TrainedEnergy<Mlp>, x: &[f32]) -> f64 {
    let pts: Vec<f64> = x.iter().map(|v| f64::from(*v)).collect();
    let n = pts.len() / 2;
    let view = ndarray::ArrayView2::from_shape((n, 2), &pts).expect("rows of 2");
    let mut out = vec![0.0; n];
    energy.energy_batch(view, &mut out);
    out.iter().sum::<f64>() / n as f64
}

fn heat_maps(path: &std::path::Path, grid: &Grid, q: &[f64], r: &RunRecord) -> Result<(), Box<dyn std::error::Error>> {
    // The final evaluation, and for the hybrid run also the one at its switch.
    let shown: Vec<&Evaluation> = r
        .evaluations
        .iter()
        .filter(|e| e.iteration == r.iterations || (r.run == "hybrid" && e.iteration == r.iterations / 2))
        .collect();
    let rows = shown.len().max(1);
    let root = SVGBackend::new(path, (960, 330 * rows as u32)).into_drawing_area();
    root.fill(&WHITE)?;
    let lim = grid.half;
    for (area, e) in root.split_evenly((rows, 1)).iter().zip(shown) {
        let (top, bottom) = area.split_vertically(30);
        let phase = if r.run == "hybrid" {
            if e.iteration < r.iterations { " (end of the Adam phase)" } else { " (after the SGD phase)" }
        } else {
            ""
        };
        top.draw(&Text::new(
            format!(
                "{} / {}: iteration {}{phase}: KL(q||p) = {:.3}, KL(q||s_t) = {:.3}",
                r.data, r.run, e.iteration, e.kl_q_p, e.kl_q_s
            ),
            (10, 8),
            ("sans-serif", 15),
        ))?;
        for (panel, (name, v)) in bottom.split_evenly((1, 3)).iter().zip([
            ("true q", q),
            ("learned p = exp(-U)/Z", e.p.as_slice()),
            ("short-run s_t (KDE)", e.s.as_slice()),
        ]) {
            let max = v.iter().copied().fold(0.0, f64::max);
            let mut chart = ChartBuilder::on(panel)
                .caption(name, ("sans-serif", 13))
                .margin(5)
                .build_cartesian_2d(-lim..lim, -lim..lim)?;
            let h = grid.cell();
            chart.draw_series(v.iter().enumerate().map(|(k, &val)| {
                let (x, y) = (-lim + (k % grid.n) as f64 * h, lim - (k / grid.n) as f64 * h - h);
                Rectangle::new([(x, y), (x + h, y + h)], ViridisRGB::get_color(val / max).filled())
            }))?;
        }
    }
    root.present()?;
    Ok(())
}

/// Seed 001 Fig. 3.3-3.4 for one run: `d_st` and `r_st` over the iterations, the cross-correlation
/// of `d_st` and `r_st`, and the ACFs of both, over the last 2000 iterations.
fn oscillation_figure(path: &std::path::Path, r: &RunRecord) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (900, 640)).into_drawing_area();
    root.fill(&WHITE)?;
    let (top, body) = root.split_vertically(28);
    let c = &r.oscillation;
    top.draw(&Text::new(
        format!(
            "{} / {}: mean ACF(d_st) over lags 1-5 = {:+.3} ({} oscillation), C(0) = {:+.3}",
            r.data,
            r.run,
            r.short_lag_energy_acf,
            if r.short_lag_energy_acf < -0.1 { "strong" } else { "weak" },
            c.cross_correlation[c.max_lag]
        ),
        (10, 6),
        ("sans-serif", 15),
    ))?;
    let panels = body.split_evenly((2, 2));
    // The traces over the correlation window (the last `window` iterations), as the seed's plots.
    let window = &r.history[r.history.len() - c.window.min(r.history.len())..];
    let traces: [(&str, Vec<(f64, f64)>); 2] = [
        ("energy difference d_st (window)", window.iter().map(|d| (d.iteration as f64, d.energy_difference)).collect()),
        (
            "Langevin gradient magnitude r_st (window)",
            window.iter().map(|d| (d.iteration as f64, d.gradient_magnitude)).collect(),
        ),
    ];
    for (area, (title, pts)) in panels.iter().zip(traces.iter()) {
        let (lo, hi) = pts.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.1), b.max(p.1)));
        let (lo, hi) = if title.starts_with("energy") { (lo.min(0.0), hi.max(0.0)) } else { (lo, hi) };
        let x0 = pts.first().map_or(0.0, |p| p.0);
        let mut chart = ChartBuilder::on(area)
            .caption(*title, ("sans-serif", 13))
            .margin(6)
            .x_label_area_size(22)
            .y_label_area_size(55)
            .build_cartesian_2d(x0..r.iterations as f64, lo..hi + 1e-9)?;
        chart.configure_mesh().light_line_style(WHITE).x_labels(5).draw()?;
        chart.draw_series(LineSeries::new(pts.iter().copied(), BLUE.stroke_width(1)))?;
    }
    let m = c.max_lag as i32;
    let mut chart = ChartBuilder::on(&panels[2])
        .caption("cross-correlation C(k) of d_st and r_st (lag k)", ("sans-serif", 13))
        .margin(6)
        .x_label_area_size(22)
        .y_label_area_size(48)
        .build_cartesian_2d((-m - 1) as f64..(m + 1) as f64, -1.0..1.0)?;
    chart.configure_mesh().light_line_style(WHITE).x_desc("lag k").draw()?;
    chart.draw_series(c.cross_correlation.iter().enumerate().map(|(i, v)| {
        let k = i as f64 - m as f64;
        Rectangle::new([(k - 0.35, 0.0), (k + 0.35, *v)], BLUE.filled())
    }))?;
    let mut chart = ChartBuilder::on(&panels[3])
        .caption("auto-correlation by lag: d_st (blue), r_st (orange)", ("sans-serif", 13))
        .margin(6)
        .x_label_area_size(22)
        .y_label_area_size(48)
        .build_cartesian_2d(-0.6..(m as f64 + 0.6), -1.0..1.0)?;
    chart.configure_mesh().light_line_style(WHITE).draw()?;
    let orange = RGBColor(230, 120, 20);
    chart.draw_series(
        c.energy_difference_acf
            .iter()
            .enumerate()
            .map(|(k, v)| Rectangle::new([(k as f64 - 0.35, 0.0), (k as f64, *v)], BLUE.filled())),
    )?;
    chart.draw_series(
        c.gradient_magnitude_acf
            .iter()
            .enumerate()
            .map(|(k, v)| Rectangle::new([(k as f64, 0.0), (k as f64 + 0.35, *v)], orange.filled())),
    )?;
    root.present()?;
    Ok(())
}

fn diagnostics(path: &std::path::Path, runs: &[RunRecord]) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (1000, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let rows = root.split_evenly((2, 1));
    let series = |r: &RunRecord, which: usize| -> Vec<(f64, f64)> {
        // 100-iteration means keep the traces readable.
        r.history
            .chunks(100)
            .map(|c| {
                let v =
                    c.iter().map(|d| if which == 0 { d.energy_difference } else { d.gradient_magnitude }).sum::<f64>();
                (c[0].iteration as f64, v / c.len() as f64)
            })
            .collect()
    };
    for (which, (area, title)) in rows
        .iter()
        .zip(["energy difference d_st (units of U; 100-iteration means)", "gradient magnitude r_st"])
        .enumerate()
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
