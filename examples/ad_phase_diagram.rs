//! Seed 000 Fig. 9-10: AD metastable boundaries `α*(T)` and barrier estimates across `T` for
//! three minima.
//!
//! Landscape: the Müller-Brown surface, chosen because its three minima (A deepest, B, C
//! shallow between them) and the two saddles joining them are known exactly, so the AD barrier
//! estimates can be checked against the true minimax barriers (A-C: -40.66, B-C: -72.25,
//! A-B: through C, -40.66). The seed's asymmetry shows up: C collapses into B at a small `α`
//! while B needs a much stronger magnet to reach C, and A is the most stable.
//!
//! AD: random-walk Metropolis (step 0.02), `δ = 0.05`, `M = 200` steps; for each `T` on a log
//! grid, `α` starts at 300 and drops by 3% while any of the trials succeeds (seed 000 Sec. 3.4).
//! The path barrier of a continuous chain is the highest *visited* energy: a step of 0.02 can
//! straddle the saddle, so estimates may undershoot the exact saddle by a few hundredths.
//!
//! Writes `target/figures/ad_phase_diagram/{boundaries.svg, barriers.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --example ad_phase_diagram [-- --full]
//! ```

use elm_ad::{AdParams, BarrierEstimation, ContinuousSpace, PhasePoint, log_spaced, phase_diagram};
use elm_core::Lbfgs;
use elm_core::reference::MullerBrown;
use elm_examples::{ExampleArgs, write_json};
use elm_mcmc::RandomWalkMetropolis;
use plotters::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct Pair {
    name: String,
    exact_barrier: f64,
    points: Vec<PhasePoint>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("ad_phase_diagram");
    let space = ContinuousSpace::new(
        MullerBrown::new(),
        RandomWalkMetropolis::default().with_step_size(0.02),
        Lbfgs::default(),
    );
    let [a, b, c] = MullerBrown::MINIMA.map(|m| m.1.to_vec());
    let temperatures = log_spaced(1.0, 40.0, if args.full { 12 } else { 6 })?;
    let estimation = BarrierEstimation::default()
        .with_alpha_start(300.0)
        .with_trials(if args.full { 20 } else { 10 })
        .with_ad(AdParams::default().with_delta(0.05).with_patience(200).with_max_sweeps(20_000));
    let saddle_ac = MullerBrown::SADDLES[0].0;
    let saddle_cb = MullerBrown::SADDLES[1].0;
    let pairs_in = [("A-B", &a, &b, saddle_ac.max(saddle_cb)), ("A-C", &a, &c, saddle_ac), ("B-C", &b, &c, saddle_cb)];
    let mut pairs = Vec::new();
    for (k, (name, x, y, exact)) in pairs_in.into_iter().enumerate() {
        let points = phase_diagram(&space, x, y, &temperatures, &estimation, args.seed + k as u64)?;
        println!("{name} (exact minimax barrier {exact:.3}):");
        for p in &points {
            let f = |v: Option<f64>| v.map_or("   none".to_string(), |v| format!("{v:>7.3}"));
            println!(
                "  T = {:>6.2}: alpha* {} -> / {} <-   barrier {} / {}",
                p.temperature,
                f(p.forward.alpha_boundary),
                f(p.backward.alpha_boundary),
                f(p.forward.barrier),
                f(p.backward.barrier)
            );
        }
        pairs.push(Pair { name: name.to_string(), exact_barrier: exact, points });
    }
    draw(&args, &pairs)?;
    write_json(&args.path("record.json"), &pairs);
    println!("figures and record in {}", args.out.display());
    Ok(())
}

fn draw(args: &ExampleArgs, pairs: &[Pair]) -> Result<(), Box<dyn std::error::Error>> {
    let colours = [RGBColor(31, 119, 180), RGBColor(255, 127, 14), RGBColor(44, 160, 44)];
    // Metastable boundaries.
    let boundaries_path = args.path("boundaries.svg");
    let root = SVGBackend::new(&boundaries_path, (1200, 400)).into_drawing_area();
    root.fill(&WHITE)?;
    for (area, (pair, colour)) in root.split_evenly((1, 3)).iter().zip(pairs.iter().zip(colours)) {
        let t0 = pair.points.first().map_or(1.0, |p| p.temperature);
        let t1 = pair.points.last().map_or(10.0, |p| p.temperature);
        let mut chart = ChartBuilder::on(area)
            .caption(format!("AD metastable boundary {}", pair.name), ("sans-serif", 15))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(45)
            .build_cartesian_2d((t0..t1).log_scale(), (0.5f64..400.0).log_scale())?;
        chart.configure_mesh().x_desc("T").y_desc("alpha*").light_line_style(WHITE).draw()?;
        let names = pair.name.split('-').collect::<Vec<_>>();
        for (dir, style) in [(0, colour.stroke_width(2)), (1, colour.mix(0.5).stroke_width(2))] {
            let pts: Vec<(f64, f64)> = pair
                .points
                .iter()
                .filter_map(|p| {
                    let d = if dir == 0 { p.forward } else { p.backward };
                    d.alpha_boundary.map(|a| (p.temperature, a))
                })
                .collect();
            let label = if dir == 0 {
                format!("{} to {}", names[0], names[1])
            } else {
                format!("{} to {}", names[1], names[0])
            };
            chart
                .draw_series(LineSeries::new(pts, style).point_size(3))?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        }
        chart.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw()?;
    }
    root.present()?;
    // Barrier estimates against the exact minimax barriers.
    let barriers_path = args.path("barriers.svg");
    let root = SVGBackend::new(&barriers_path, (700, 450)).into_drawing_area();
    root.fill(&WHITE)?;
    let t0 = pairs[0].points.first().map_or(1.0, |p| p.temperature);
    let t1 = pairs[0].points.last().map_or(10.0, |p| p.temperature);
    let mut chart = ChartBuilder::on(&root)
        .caption("AD barrier estimates across T (lines: exact saddles)", ("sans-serif", 15))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(50)
        .build_cartesian_2d((t0..t1).log_scale(), -80.0..0.0)?;
    chart.configure_mesh().x_desc("T").y_desc("barrier energy").light_line_style(WHITE).draw()?;
    for (pair, colour) in pairs.iter().zip(colours) {
        let pts: Vec<(f64, f64)> = pair
            .points
            .iter()
            .filter_map(|p| match (p.forward.barrier, p.backward.barrier) {
                (Some(x), Some(y)) => Some((p.temperature, x.min(y))),
                (x, y) => x.or(y).map(|v| (p.temperature, v)),
            })
            .collect();
        chart
            .draw_series(LineSeries::new(pts, colour.stroke_width(2)).point_size(3))?
            .label(pair.name.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour));
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(t0, pair.exact_barrier), (t1, pair.exact_barrier)],
            colour.mix(0.4),
        )))?;
    }
    chart.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw()?;
    root.present()?;
    Ok(())
}
