//! Minimum-energy paths between the Müller-Brown minima: 1-D interpolation, NEB (climbing
//! image), DNEB, the string method and AutoNEB, each refined to a transition state by
//! eigenvector following and compared with the known saddles (-40.66484 and -72.24894).
//!
//! Writes `target/figures/neb_muller_brown/{paths.svg, profiles.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --example neb_muller_brown
//! ```

use elm_core::EnergyPath;
use elm_core::reference::MullerBrown;
use elm_examples::{ExampleArgs, write_json};
use elm_paths::{AutoNeb, BandMethod, ElasticBand, SaddleRefinement, linear_interpolation};
use plotters::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    pair: &'static str,
    method: &'static str,
    images: usize,
    iterations: usize,
    evaluations: usize,
    path_barrier: f64,
    refined_saddle: Option<f64>,
    hessian_index: Option<usize>,
    known_saddle: f64,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("neb_muller_brown");
    let mb = MullerBrown::new();
    let [a, b, c] = MullerBrown::MINIMA.map(|m| m.1);
    let images = if args.full { 24 } else { 12 };
    let methods: [(&'static str, ElasticBand); 3] = [
        ("NEB (climbing)", ElasticBand::default().with_method(BandMethod::Neb).with_climbing(true).with_images(images)),
        ("DNEB", ElasticBand::default().with_method(BandMethod::DoublyNudged).with_images(images)),
        ("string", ElasticBand::default().with_method(BandMethod::String).with_images(images)),
    ];
    let mut rows = Vec::new();
    let mut drawn: Vec<(&'static str, &'static str, EnergyPath<Vec<f64>>)> = Vec::new();
    for (pair, from, to, known) in [("A-C", a, c, MullerBrown::SADDLES[0].0), ("C-B", c, b, MullerBrown::SADDLES[1].0)]
    {
        let linear = linear_interpolation(&mb, &from, &to, 101)?;
        rows.push(Row {
            pair,
            method: "1-D linear",
            images: 101,
            iterations: 0,
            evaluations: 101,
            path_barrier: linear.barrier(),
            refined_saddle: None,
            hessian_index: None,
            known_saddle: known,
        });
        drawn.push((pair, "1-D linear", linear));
        let mut bands = Vec::new();
        for (name, band) in methods {
            bands.push((name, band.run(&mb, &from, &to)?));
        }
        let auto = AutoNeb::default().with_band(ElasticBand::default().with_climbing(true)).run(&mb, &from, &to)?;
        bands.push(("AutoNEB", auto.band));
        for (name, report) in bands {
            let top = &report.path.states[report.path.highest().expect("non-empty band")];
            let ts = SaddleRefinement::default().refine(&mb, top)?;
            rows.push(Row {
                pair,
                method: name,
                images: report.path.len(),
                iterations: report.iterations,
                evaluations: report.evaluations,
                path_barrier: report.path.barrier(),
                refined_saddle: Some(ts.energy),
                hessian_index: Some(ts.index),
                known_saddle: known,
            });
            drawn.push((pair, name, report.path));
        }
    }
    println!(
        "{:<5} {:<16} {:>6} {:>7} {:>11} {:>12} {:>12} {:>5} {:>11}",
        "pair", "method", "images", "iters", "evaluations", "path max", "refined TS", "index", "known TS"
    );
    for r in &rows {
        let ts = r.refined_saddle.map_or("-".into(), |v| format!("{v:.5}"));
        let idx = r.hessian_index.map_or("-".into(), |v| v.to_string());
        println!(
            "{:<5} {:<16} {:>6} {:>7} {:>11} {:>12.5} {:>12} {:>5} {:>11.5}",
            r.pair, r.method, r.images, r.iterations, r.evaluations, r.path_barrier, ts, idx, r.known_saddle
        );
    }
    draw(&args, &drawn)?;
    write_json(&args.path("record.json"), &rows);
    println!("figures and record in {}", args.out.display());
    Ok(())
}

fn colour(method: &str) -> RGBColor {
    match method {
        "1-D linear" => RGBColor(120, 120, 120),
        "NEB (climbing)" => RGBColor(220, 30, 30),
        "DNEB" => RGBColor(255, 150, 0),
        "string" => RGBColor(30, 160, 60),
        _ => RGBColor(40, 80, 230),
    }
}

fn draw(args: &ExampleArgs, paths: &[(&str, &str, EnergyPath<Vec<f64>>)]) -> Result<(), Box<dyn std::error::Error>> {
    let file = args.path("paths.svg");
    let root = SVGBackend::new(&file, (700, 600)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = elm_examples::muller_brown::chart(&root, "Müller-Brown: paths between the minima", 0.6)?;
    let mut labelled = std::collections::HashSet::new();
    for (_, method, path) in paths {
        let c = colour(method);
        let pts: Vec<(f64, f64)> = path.states.iter().map(|s| (s[0], s[1])).collect();
        let series = chart.draw_series(LineSeries::new(pts.clone(), c.stroke_width(2)))?;
        if labelled.insert(*method) {
            series.label(*method).legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2)));
        }
        if *method != "1-D linear" {
            chart.draw_series(pts.iter().map(|&p| Circle::new(p, 2, c.filled())))?;
        }
    }
    chart.draw_series(MullerBrown::SADDLES.iter().map(|s| TriangleMarker::new((s.1[0], s.1[1]), 7, BLACK.filled())))?;
    chart.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw()?;
    root.present()?;

    let file = args.path("profiles.svg");
    let root = SVGBackend::new(&file, (1000, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    for (area, (pair, known)) in
        root.split_evenly((1, 2)).iter().zip([("A-C", MullerBrown::SADDLES[0].0), ("C-B", MullerBrown::SADDLES[1].0)])
    {
        let lo = paths
            .iter()
            .filter(|p| p.0 == pair)
            .flat_map(|p| p.2.energies.iter().copied())
            .fold(f64::INFINITY, f64::min);
        let mut chart = ChartBuilder::on(area)
            .caption(format!("energy profiles {pair} (line: known saddle)"), ("sans-serif", 15))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .build_cartesian_2d(0.0..1.0, lo - 5.0..known + 30.0)?;
        chart.configure_mesh().x_desc("arc length (normalized)").y_desc("E").light_line_style(WHITE).draw()?;
        for (_, method, path) in paths.iter().filter(|p| p.0 == pair) {
            let mut s = vec![0.0];
            for w in path.states.windows(2) {
                s.push(
                    s.last().expect("non-empty") + ((w[1][0] - w[0][0]).powi(2) + (w[1][1] - w[0][1]).powi(2)).sqrt(),
                );
            }
            let total = *s.last().expect("non-empty");
            let c = colour(method);
            chart
                .draw_series(LineSeries::new(
                    s.iter().zip(&path.energies).map(|(x, e)| (x / total, *e)),
                    c.stroke_width(2),
                ))?
                .label(*method)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2)));
        }
        chart.draw_series(std::iter::once(PathElement::new(vec![(0.0, known), (1.0, known)], BLACK.mix(0.5))))?;
        chart.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw()?;
    }
    root.present()?;
    Ok(())
}
