//! Seed 000 Fig. 11: the 1-D linear interpolation barrier against the AD barrier between digit
//! minima of the learned digits energy (the committed [`FrameNet`] weights), the distance to the
//! target over Gibbs sweeps, and the images along both paths.
//!
//! Minima: the descents of the first training image of digit 1 (start) and of digits 0 and 3
//! (targets), as the seed's "digit 1 to digit 0" and "digit 1 to digit 3". Interpolation: 64
//! images `round((1 - t) a + t b)` in level space. AD: Gibbs at the mapping's `T` (`--temperature`,
//! 0.25) with `M = 20`, `δ = 150`, starting at `α` (`--alpha`, 0.15) and raised 10% after every 5
//! failed trials until one reaches the target; the path of the successful trial is recorded per
//! sweep. Runs in about a minute.
//!
//! Writes `target/figures/digits_interpolation/{fig11.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --features ebm --example digits_interpolation
//! ```

use elm_ad::{AdParams, AdSpace, AttractionDiffusion, DiscreteSpace, task_rng};
use elm_core::DiscreteEnergy;
use elm_examples::digits::{self, LEVELS, image_grid_svg};
use elm_examples::{ExampleArgs, side_by_side, write_json};
use elm_mcmc::Gibbs;
use plotters::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct Pair {
    from_digit: u8,
    to_digit: u8,
    start_energy: f64,
    target_energy: f64,
    interpolation_barrier: f64,
    ad_barrier: f64,
    ad_alpha: f64,
    ad_sweeps: usize,
    interpolation_energies: Vec<f64>,
    ad_energies: Vec<f64>,
    ad_distances: Vec<f64>,
}

/// Eight images evenly spaced along `path` (first and last included).
fn eight(path: &[Vec<u8>]) -> Vec<&[u8]> {
    (0..8).map(|k| path[k * (path.len() - 1) / 7].as_slice()).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("digits_interpolation");
    let t = args.option("temperature", 0.25);
    let alpha0 = args.option("alpha", 0.15);
    let energy = digits::learned_energy()?;
    let data = digits::load()?;
    let space = DiscreteSpace {
        energy: &energy,
        sampler: Gibbs::default().with_temperature(t),
        descent: digits::image_descent(),
    };
    let minimum = |digit: u8| -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let mut s = data.image(data.of_digit(digit)[0]).to_vec();
        space.minimize(&mut s)?;
        Ok(s)
    };
    let start = minimum(1)?;
    let mut pairs = vec![];
    let mut panels = vec![];
    for to in [0u8, 3] {
        let target = minimum(to)?;
        let line: Vec<Vec<u8>> = (0..64)
            .map(|k| {
                let f = k as f64 / 63.0;
                start
                    .iter()
                    .zip(&target)
                    .map(|(&a, &b)| ((1.0 - f) * f64::from(a) + f * f64::from(b)).round() as u8)
                    .collect()
            })
            .collect();
        let line_e: Vec<f64> = line.iter().map(|s| energy.energy(s)).collect();
        let mut found = None;
        for k in 0..200u64 {
            let alpha = alpha0 * 1.1f64.powi((k / 5) as i32);
            let ad = AttractionDiffusion::new(
                AdParams::default().with_alpha(alpha).with_patience(20).with_delta(150.0).with_path(true),
            )?;
            let out = space.trial(&ad, &start, &target, &mut task_rng(args.seed, 11, u64::from(to), k))?;
            if out.success {
                found = Some((alpha, out));
                break;
            }
        }
        let (alpha, out) = found.ok_or("no AD trial reached the target")?;
        let ad_path = out.path.ok_or("path recorded")?;
        let pair = Pair {
            from_digit: 1,
            to_digit: to,
            start_energy: energy.energy(&start),
            target_energy: energy.energy(&target),
            interpolation_barrier: line_e.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            ad_barrier: out.barrier,
            ad_alpha: alpha,
            ad_sweeps: out.sweeps,
            interpolation_energies: line_e,
            ad_energies: ad_path.energies.clone(),
            ad_distances: ad_path.distances.clone(),
        };
        println!(
            "1 -> {to}: minima E = {:.1} -> {:.1}; 1-D interpolation barrier {:.1}, AD barrier {:.1} (alpha {alpha:.3}, {} sweeps)",
            pair.start_energy, pair.target_energy, pair.interpolation_barrier, pair.ad_barrier, pair.ad_sweeps
        );
        // Energy profiles (x: fraction of the path) and the distance to the target over sweeps.
        let mut chart_svg = String::new();
        {
            let root = SVGBackend::with_string(&mut chart_svg, (520, 520)).into_drawing_area();
            root.fill(&WHITE)?;
            let (upper, lower) = root.split_vertically(300);
            let all = pair.interpolation_energies.iter().chain(&pair.ad_energies);
            let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
            let pad = 0.05 * (hi - lo).max(1.0);
            let mut chart = ChartBuilder::on(&upper)
                .caption(format!("digit 1 -> digit {to}: energy along the paths"), ("sans-serif", 16))
                .margin(8)
                .x_label_area_size(30)
                .y_label_area_size(50)
                .build_cartesian_2d(0.0..1.0, (lo - pad)..(hi + pad))?;
            chart.configure_mesh().x_desc("fraction of path").y_desc("energy").draw()?;
            let n_line = pair.interpolation_energies.len() - 1;
            chart
                .draw_series(LineSeries::new(
                    pair.interpolation_energies.iter().enumerate().map(|(k, &e)| (k as f64 / n_line as f64, e)),
                    RED.stroke_width(2),
                ))?
                .label(format!("1-D interpolation (barrier {:.0})", pair.interpolation_barrier))
                .legend(|(x, y)| PathElement::new([(x, y), (x + 15, y)], RED));
            let n_ad = (pair.ad_energies.len() - 1).max(1);
            chart
                .draw_series(LineSeries::new(
                    pair.ad_energies.iter().enumerate().map(|(k, &e)| (k as f64 / n_ad as f64, e)),
                    BLUE.stroke_width(2),
                ))?
                .label(format!("AD, alpha {alpha:.2} (barrier {:.0})", pair.ad_barrier))
                .legend(|(x, y)| PathElement::new([(x, y), (x + 15, y)], BLUE));
            chart.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw()?;
            let dmax = pair.ad_distances.iter().copied().fold(0.0, f64::max);
            let mut chart = ChartBuilder::on(&lower)
                .caption("AD: distance to the target", ("sans-serif", 14))
                .margin(8)
                .x_label_area_size(30)
                .y_label_area_size(50)
                .build_cartesian_2d(0.0..(pair.ad_distances.len() as f64), 0.0..(dmax * 1.05 + 1.0))?;
            chart.configure_mesh().x_desc("Gibbs sweep").y_desc("||X - X*|| (0-255)").draw()?;
            chart.draw_series(LineSeries::new(
                pair.ad_distances.iter().enumerate().map(|(k, &d)| (k as f64, d)),
                BLUE.stroke_width(2),
            ))?;
        }
        let mut images: Vec<&[u8]> = eight(&line);
        images.extend(eight(&ad_path.states));
        let labels: Vec<String> = (0..16).map(|k| if k < 8 { "1-D".into() } else { "AD".into() }).collect();
        let grid =
            image_grid_svg(&images, LEVELS, 8, 4, &format!("digit 1 -> digit {to}: 1-D (top), AD (bottom)"), &labels);
        panels.push((chart_svg, 520, 520));
        panels.push((grid, 8 * (64 + 6) + 6, 520));
        pairs.push(pair);
    }
    std::fs::write(args.path("fig11.svg"), side_by_side(&panels))?;
    write_json(&args.path("record.json"), &pairs);
    println!("wrote {}", args.out.display());
    Ok(())
}
