//! Seed 000 Fig. 7: magnetization of the noisy 1-D landscape towards `x* = 5.1` and `x* = 10`.
//!
//! The magnetized landscapes `E(x)/T + α|x - x*|` at `T = 0.2`, `α = 3` have a clear minimum at
//! their targets and keep the large barrier between the two basins. AD trials (random-walk
//! Metropolis, step 0.1, `M = 1000` steps, `δ = 0.05`) from `x = 10` reach `5.1` and from `5.1`
//! reach `10` (same basin), while trials from the left basin reach neither. The `(T, α)` window
//! comes from a scan recorded in `crates/elm-ad/tests/trials.rs`.
//!
//! Writes `target/figures/ad_toy_1d/{fig7.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --example ad_toy_1d [-- --full]
//! ```

use elm_ad::{AdParams, AdSpace, AttractionDiffusion, ContinuousSpace, task_rng};
use elm_core::reference::NoisyDoubleBasin;
use elm_core::{Energy, Lbfgs, LocalMinimizer};
use elm_examples::{ExampleArgs, write_json};
use elm_mcmc::RandomWalkMetropolis;
use plotters::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct Outcome {
    from: f64,
    target: f64,
    trials: usize,
    successes: usize,
    mean_barrier_of_successes: Option<f64>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("ad_toy_1d");
    let (t, alpha) = (0.2, args.option("alpha", 3.0));
    let landscape = NoisyDoubleBasin::new();
    let space = ContinuousSpace::new(
        landscape,
        RandomWalkMetropolis::default().with_step_size(0.1).with_temperature(t),
        Lbfgs::default(),
    );
    let mut left = vec![-1.5];
    Lbfgs::default().minimize(&landscape, &mut left)?;
    let ad = AttractionDiffusion::new(
        AdParams::default().with_alpha(alpha).with_delta(0.05).with_patience(1000).with_path(true),
    )?;
    let trials = if args.full { 200 } else { 40 };
    let [x1, x2] = NoisyDoubleBasin::FIG7_TARGETS;
    let cases = [(x2, x1), (x1, x2), (left[0], x1), (left[0], x2)];
    let mut outcomes = Vec::new();
    let mut example_paths = Vec::new();
    for (k, &(from, target)) in cases.iter().enumerate() {
        let mut successes = 0;
        let mut barriers = Vec::new();
        for s in 0..trials {
            let out = space.trial(&ad, &vec![from], &vec![target], &mut task_rng(args.seed, k as u64, s as u64, 0))?;
            if s == 0 {
                let xs: Vec<f64> =
                    out.path.as_ref().map(|p| p.states.iter().map(|x| x[0]).collect()).unwrap_or_default();
                example_paths.push((from, target, out.success, xs));
            }
            if out.success {
                successes += 1;
                barriers.push(out.barrier);
            }
        }
        let mean = (!barriers.is_empty()).then(|| barriers.iter().sum::<f64>() / barriers.len() as f64);
        println!("AD {from:>6.2} -> {target:>5.2}: {successes:>3}/{trials} successful");
        outcomes.push(Outcome { from, target, trials, successes, mean_barrier_of_successes: mean });
    }

    // The figure: the landscape and its two magnetized versions, with one AD path each.
    let fig7_path = args.path("fig7.svg");
    let root = SVGBackend::new(&fig7_path, (1100, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let panels = root.split_evenly((1, 2));
    let xs: Vec<f64> = (0..2000).map(|i| -6.0 + 18.0 * i as f64 / 1999.0).collect();
    for (area, target) in panels.iter().zip([x1, x2]) {
        let magnet: Vec<f64> = xs.iter().map(|&x| landscape.energy(&[x]) / t + alpha * (x - target).abs()).collect();
        let raw: Vec<f64> = xs.iter().map(|&x| landscape.energy(&[x]) / t).collect();
        let lo = magnet.iter().chain(&raw).copied().fold(f64::INFINITY, f64::min);
        let mut chart = ChartBuilder::on(area)
            .caption(format!("E(x)/T + {alpha} |x - {target}|   (T = {t})"), ("sans-serif", 15))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(45)
            .build_cartesian_2d(-6.0..12.0, lo - 2.0..lo + 60.0)?;
        chart.configure_mesh().x_desc("x").light_line_style(WHITE).draw()?;
        chart
            .draw_series(LineSeries::new(xs.iter().copied().zip(raw.iter().copied()), BLACK.mix(0.4)))?
            .label("E(x)/T")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.mix(0.4)));
        chart
            .draw_series(LineSeries::new(xs.iter().copied().zip(magnet.iter().copied()), BLUE.stroke_width(2)))?
            .label("magnetized")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE));
        for (from, to, success, path) in &example_paths {
            if *to != target {
                continue;
            }
            let colour = if *success { GREEN } else { RED };
            let pts: Vec<(f64, f64)> =
                path.iter().map(|&x| (x, landscape.energy(&[x]) / t + alpha * (x - target).abs())).collect();
            chart.draw_series(pts.iter().map(|&p| Circle::new(p, 2, colour.mix(0.5).filled())))?;
            chart.draw_series(std::iter::once(TriangleMarker::new((*from, lo + 55.0), 6, colour.filled())))?;
        }
        chart.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw()?;
    }
    root.present()?;
    #[derive(Serialize)]
    struct Record {
        seed: u64,
        temperature: f64,
        alpha: f64,
        step_size: f64,
        patience: usize,
        delta: f64,
        outcomes: Vec<Outcome>,
    }
    write_json(
        &args.path("record.json"),
        &Record { seed: args.seed, temperature: t, alpha, step_size: 0.1, patience: 1000, delta: 0.05, outcomes },
    );
    println!("figures and record in {}", args.out.display());
    Ok(())
}
