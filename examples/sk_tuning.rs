//! Seed 001 Fig. 5.2: tuning the AD temperature and magnetization on the SK spin glass.
//!
//! Top: unmagnetized Gibbs chains started at local minima climb in energy; at the critical
//! temperature `T = 1` they rise far above the landscape's barriers, at `T = 0.1` they stay
//! low. Bottom: the number of basins found by 100 ADELM iterations (no consolidation) as a
//! function of `α` on a log grid: nearly every minimum is its own basin as `α → 0`, everything
//! merges as `α → ∞`, and macroscopic structure shows in between.
//!
//! Writes `target/figures/sk_tuning/{temperature.svg, alpha.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --example sk_tuning [-- --full]
//! ```

use elm_ad::{AdParams, AdSpace, AdelmParams, UniformLevels, alpha_tuning, energy_drift, log_spaced};
use elm_examples::{ExampleArgs, sk, write_json};
use plotters::prelude::*;
use serde::Serialize;
use sk::N;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("sk_tuning");
    let space = sk::space(sk::instance(args.seed));

    // Temperature: drift of unmagnetized chains from 10 local minima.
    let mut proposals = UniformLevels { sites: N, levels: 2 };
    let minima: Vec<Vec<u8>> = (0..10)
        .map(|k| {
            let mut s = elm_ad::Proposal::propose(&mut proposals, &mut elm_ad::task_rng(args.seed, 0, k, 0));
            space.minimize(&mut s).map(|_| s)
        })
        .collect::<Result<_, _>>()?;
    let temperatures = log_spaced(0.01, 2.0, if args.full { 16 } else { 8 })?;
    let sweeps = if args.full { 2000 } else { 300 };
    let drift = energy_drift(&space, &minima, &temperatures, sweeps, args.seed)?;
    println!("energy rise of unmagnetized Gibbs chains over {sweeps} sweeps (10 SK-{N} minima):");
    for d in &drift {
        println!("  T = {:>7.4}: mean {:>7.3}, max {:>7.3}", d.temperature, d.mean_rise, d.max_rise);
    }

    // Magnetization: basins found in 100 iterations.
    let alphas = log_spaced(0.1, 30.0, if args.full { 16 } else { 9 })?;
    let iterations = 100;
    let base = AdelmParams::default().with_ad(AdParams::default().with_patience(100).with_delta(0.0));
    let curve = alpha_tuning(&space, &proposals, &alphas, &base, iterations, args.seed)?;
    println!("basins found by {iterations} ADELM iterations at T = 0.1:");
    for p in &curve {
        println!("  alpha = {:>8.4}: {:>3} basins", p.alpha, p.basins);
    }

    plot_xy(
        &args.path("temperature.svg"),
        "Energy rise of unmagnetized chains vs T (seed 001 Fig. 5.2 top)",
        "temperature (log)",
        "energy above the start",
        &[
            ("mean rise", drift.iter().map(|d| (d.temperature, d.mean_rise)).collect(), BLUE),
            ("max rise", drift.iter().map(|d| (d.temperature, d.max_rise)).collect(), RED),
        ],
    )?;
    plot_xy(
        &args.path("alpha.svg"),
        "Basins found in 100 ADELM iterations vs alpha (seed 001 Fig. 5.2 bottom)",
        "alpha (log)",
        "basins",
        &[("basins", curve.iter().map(|p| (p.alpha, p.basins as f64)).collect(), BLUE)],
    )?;
    #[derive(Serialize)]
    struct Record {
        seed: u64,
        n: usize,
        ad_temperature: f64,
        drift_sweeps: usize,
        drift: Vec<elm_ad::DriftPoint>,
        iterations_per_alpha: usize,
        alpha_curve: Vec<elm_ad::AlphaTuningPoint>,
    }
    write_json(
        &args.path("record.json"),
        &Record {
            seed: args.seed,
            n: N,
            ad_temperature: 0.1,
            drift_sweeps: sweeps,
            drift,
            iterations_per_alpha: iterations,
            alpha_curve: curve,
        },
    );
    println!("figures and record in {}", args.out.display());
    Ok(())
}

type Series = (&'static str, Vec<(f64, f64)>, RGBColor);

fn plot_xy(
    path: &std::path::Path,
    title: &str,
    x: &str,
    y: &str,
    series: &[Series],
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (720, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let pts = series.iter().flat_map(|s| s.1.iter());
    let (x0, x1, y1) =
        pts.fold((f64::INFINITY, 0.0f64, 0.0f64), |(a, b, c), &(px, py)| (a.min(px), b.max(px), c.max(py)));
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 15))
        .margin(10)
        .x_label_area_size(35)
        .y_label_area_size(50)
        .build_cartesian_2d((x0..x1).log_scale(), 0.0..y1 * 1.1 + 1e-9)?;
    chart.configure_mesh().x_desc(x).y_desc(y).light_line_style(WHITE).draw()?;
    for (name, pts, colour) in series {
        let c = *colour;
        chart
            .draw_series(LineSeries::new(pts.iter().copied(), c.stroke_width(2)).point_size(3))?
            .label(*name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c));
    }
    chart.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw()?;
    root.present()?;
    Ok(())
}
