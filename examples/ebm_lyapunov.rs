//! Seed 001 Sec. 3.4.1, Fig. 3.8: the maximal Lyapunov exponent of Langevin dynamics on a learned
//! DeepFRAME potential against the noise multiplier `γ` (`γ = 1`: the learning temperature;
//! sampling with `γ` is sampling `U / γ²`), for a convergent and a non-convergent toy model.
//!
//! Models: the toy networks that `ebm_toy_2d --full` trained on the 8-Gaussian mixture (SGD:
//! convergent; Adam: non-convergent), committed under `data/weights/ebm_toy_2d/` so this
//! example never retrains (`--from-figures 1` uses the weights of the last `ebm_toy_2d` run in
//! `target/figures/ebm_toy_2d/` instead).
//!
//! Method ([`maximal_lyapunov_exponent`], Benettin et al. 1976 as the seed): 500 chains started
//! at data samples, 200 burn-in steps at `γ`, then each chain and a twin `δ0` away take the same
//! Langevin steps (`ε = 0.125`, shared noise) and the separation is renormalized every
//! `--renormalize` steps (default `δ0 = --perturbation 1e-5`, every step: see the comment in
//! `main` on piecewise-linear networks); `λ` per unit SDE time (one step = `ε²/2`), mean ±
//! standard error over chains.
//!
//! Default: `γ ∈ {0, 0.25, ..., 2}`, 1000 measured steps; `--full`: `γ` in steps of 0.1, 3000
//! steps. Writes `target/figures/ebm_lyapunov/{lyapunov.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --features ebm --example ebm_lyapunov [-- --full]
//! ```

use elm_ebm::{Device, LangevinParams, LyapunovParams, LyapunovReport, Mlp, load_weights, maximal_lyapunov_exponent};
use elm_examples::toy2d::Toy;
use elm_examples::{ExampleArgs, write_json};
use plotters::prelude::*;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;

const EPSILON: f64 = 0.125;

#[derive(Serialize)]
struct Curve {
    model: String,
    weights: String,
    reports: Vec<LyapunovReport>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("ebm_lyapunov");
    let dir = if args.option("from-figures", 0.0) > 0.0 {
        elm_examples::default_out("ebm_toy_2d")
    } else {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/weights/ebm_toy_2d")
    };
    let gammas: Vec<f64> =
        if args.full { (0..=20).map(|k| k as f64 * 0.1).collect() } else { (0..=8).map(|k| k as f64 * 0.25).collect() };
    let steps = args.option("steps", if args.full { 3000.0 } else { 1000.0 }) as usize;
    let device = Device::flex().autodiff();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(args.seed);
    let start = Toy::Mixture.sample(500, &mut rng);
    let scale = 2.0 / (EPSILON * EPSILON);
    let mut curves = vec![];
    for run in ["convergent", "non_convergent"] {
        let path = dir.join(format!("mixture_{run}.bpk"));
        let model = load_weights(Mlp::toy(&device), &path)
            .map_err(|e| format!("{e}; run `ebm_toy_2d --full` and copy its .bpk files to {}", dir.display()))?;
        let mut reports = vec![];
        for &gamma in &gammas {
            let mut params =
                LyapunovParams::new(LangevinParams::new(EPSILON, 1.0, steps).with_energy_scale(scale), gamma);
            // The toy networks are piecewise linear (LeakyReLU): the Langevin map's Jacobian is the
            // identity between kinks, and separations grow only when twins straddle a kink, by a
            // jump that does not shrink with δ0. Small perturbations renormalized every step keep
            // that artifact small (δ0 = 1e-3 every 10 steps reads λ ≈ 9-15; see the gallery).
            params.perturbation = args.option("perturbation", 1e-5);
            params.renormalize_every = args.option("renormalize", 1.0) as usize;
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(args.seed ^ (gamma * 1000.0) as u64);
            let r = maximal_lyapunov_exponent(&model, &start, params, &device, &mut rng);
            println!("mixture {run:<15} γ = {gamma:.2}: λ = {:+.3} ± {:.3}", r.exponent, r.standard_error);
            reports.push(r);
        }
        curves.push(Curve { model: format!("mixture {run}"), weights: path.display().to_string(), reports });
    }
    plot(&args.path("lyapunov.svg"), &curves)?;
    write_json(&args.path("record.json"), &curves);
    println!("figure and record in {}", args.out.display());
    Ok(())
}

fn plot(path: &std::path::Path, curves: &[Curve]) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (760, 460)).into_drawing_area();
    root.fill(&WHITE)?;
    let all: Vec<f64> = curves.iter().flat_map(|c| c.reports.iter().map(|r| r.exponent)).collect();
    let (lo, hi) = all.iter().fold((0.0f64, 0.0f64), |(a, b), v| (a.min(*v), b.max(*v)));
    let pad = 0.08 * (hi - lo).max(1e-3);
    let gmax = curves.iter().flat_map(|c| c.reports.iter().map(|r| r.gamma)).fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(&root)
        .caption("maximal Lyapunov exponent of Langevin dynamics vs noise γ (toy mixture)", ("sans-serif", 16))
        .margin(10)
        .x_label_area_size(35)
        .y_label_area_size(55)
        .build_cartesian_2d(-0.05..gmax + 0.05, (lo - pad)..(hi + pad))?;
    chart.configure_mesh().light_line_style(WHITE).x_desc("γ (1 = learning temperature)").y_desc("λ").draw()?;
    chart.draw_series(LineSeries::new([(-0.05, 0.0), (gmax + 0.05, 0.0)], BLACK.mix(0.4)))?;
    chart.draw_series(LineSeries::new([(1.0, lo - pad), (1.0, hi + pad)], BLACK.mix(0.3)))?;
    for (k, c) in curves.iter().enumerate() {
        let color = Palette99::pick(k).to_rgba();
        chart
            .draw_series(LineSeries::new(c.reports.iter().map(|r| (r.gamma, r.exponent)), color.stroke_width(2)))?
            .label(c.model.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
        // ± 2 standard errors.
        chart.draw_series(c.reports.iter().map(|r| {
            let e = 2.0 * r.standard_error;
            PathElement::new(vec![(r.gamma, r.exponent - e), (r.gamma, r.exponent + e)], color.stroke_width(2))
        }))?;
        chart.draw_series(c.reports.iter().map(|r| Circle::new((r.gamma, r.exponent), 3, color.filled())))?;
    }
    chart.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw()?;
    root.present()?;
    Ok(())
}
