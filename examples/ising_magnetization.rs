//! Seed 000 Fig. 8 (Sec. 3.2): the magnetized Ising model behind Attraction-Diffusion.
//!
//! A 2-D Ising lattice (periodic, `J = 1`, Gibbs heat-bath sweeps) is magnetized by a field `H`
//! swept from `+H_max` to `-H_max` and back. Below `T_c = 2/ln(1 + √2) = 2.269` the magnetization
//! keeps its sign against an opposing field until `|H|` reaches a coercive field `H*(T)`: the
//! loop `M(H)` opens (hysteresis), and `|H| < H*(T)` is the metastable interval. Above `T_c` the
//! curve is reversible and the loop closes. AD reads the same picture with the magnet `α` in the
//! role of `H` and the basin in the role of the magnetized phase: `α*(T)` (seed 000 Fig. 9-10) is
//! the metastable boundary `H*(T)` of the landscape's basins.
//!
//! Three panels: the loops at `T = 1.5` (below `T_c`) and `T = 3.0` (above), with the metastable
//! interval shaded; the `(T, H)` phase diagram with the simulated boundary `±H*(T)` and `T_c`;
//! the remanent magnetization `M(H = 0)` on the down branch against Onsager's spontaneous
//! magnetization `(1 - sinh(2/T)^-4)^(1/8)`. The coercive field of a finite simulation depends on
//! the sweep rate and the lattice size (nucleation is faster on larger lattices and at slower
//! sweeps); both are stated in the record.
//!
//! Default: `L = 32`, 60 field steps per half loop, 40 sweeps per field, 12 temperatures (0.5 s in
//! release). `--full`: `L = 64`, 120 steps, 100 sweeps, 23 temperatures (16 s).
//!
//! Writes `target/figures/ising_magnetization/{magnetization.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --example ising_magnetization [-- --full]
//! ```

use elm_core::reference::Ising;
use elm_examples::ising::{Loop, SweepParams, hysteresis_loop};
use elm_examples::{ExampleArgs, side_by_side, write_json};
use plotters::prelude::*;
use rayon::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct Record {
    params: SweepParams,
    critical_temperature: f64,
    loops: Vec<Loop>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("ising_magnetization");
    let params =
        if args.full { SweepParams { side: 64, h_max: 1.5, steps: 120, sweeps: 100 } } else { SweepParams::default() };
    let temps: Vec<f64> = if args.full {
        (0..23).map(|k| 1.0 + 0.1 * k as f64).collect()
    } else {
        (0..12).map(|k| 1.0 + 0.2 * k as f64).collect()
    };
    let started = std::time::Instant::now();
    let mut wanted = temps.clone();
    wanted.extend([1.5, 3.0]);
    wanted.sort_by(f64::total_cmp);
    wanted.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
    let loops: Vec<Loop> = wanted.par_iter().map(|&t| hysteresis_loop(t, &params, args.seed)).collect();
    let seconds = started.elapsed().as_secs_f64();
    let tc = Ising::CRITICAL_TEMPERATURE;
    println!(
        "2-D Ising L = {}, {} field steps per half loop, {} sweeps per field ({seconds:.1} s); T_c = {tc:.4}",
        params.side, params.steps, params.sweeps
    );
    println!("     T   coercive H*   loop area   M(H=0, down)   Onsager M0");
    for l in &loops {
        println!(
            "  {:>4.2}   {:>10}   {:>9.4}   {:>12.4}   {:>10.4}",
            l.temperature,
            l.coercive_field.map_or("-".into(), |h| format!("{h:.3}")),
            l.area,
            l.remanence,
            Ising::onsager_magnetization(l.temperature)
        );
    }

    let (w, h) = (520u32, 420u32);
    let below = loops.iter().find(|l| (l.temperature - 1.5).abs() < 1e-9).expect("T = 1.5 ran");
    let above = loops.iter().find(|l| (l.temperature - 3.0).abs() < 1e-9).expect("T = 3.0 ran");
    let panel_loops = {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            root.fill(&WHITE)?;
            let mut chart = ChartBuilder::on(&root)
                .caption("M(H) loops: T = 1.5 (blue) < T_c < T = 3.0 (red)", ("sans-serif", 16))
                .margin(10)
                .x_label_area_size(35)
                .y_label_area_size(45)
                .build_cartesian_2d(-params.h_max..params.h_max, -1.05f64..1.05)?;
            chart.configure_mesh().x_desc("field H").y_desc("magnetization M").draw()?;
            if let Some(hc) = below.coercive_field {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(-hc, -1.05), (hc, 1.05)],
                    RGBColor(70, 110, 200).mix(0.12).filled(),
                )))?;
            }
            for (l, colour) in [(below, RGBColor(40, 80, 200)), (above, RGBColor(200, 50, 40))] {
                let pts = |m: &Vec<f64>| l.fields.iter().copied().zip(m.iter().copied()).collect::<Vec<_>>();
                chart.draw_series(LineSeries::new(pts(&l.down), colour.stroke_width(2)))?;
                chart.draw_series(LineSeries::new(pts(&l.up), colour.mix(0.6).stroke_width(2)))?;
            }
        }
        svg
    };
    let panel_phase = {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            root.fill(&WHITE)?;
            let t_hi = temps.last().copied().unwrap_or(3.2).max(3.0);
            let mut chart = ChartBuilder::on(&root)
                .caption("(T, H) phase diagram: metastable |H| < H*(T)", ("sans-serif", 16))
                .margin(10)
                .x_label_area_size(35)
                .y_label_area_size(45)
                .build_cartesian_2d(temps[0] - 0.05..t_hi + 0.05, -params.h_max..params.h_max)?;
            chart.configure_mesh().x_desc("temperature T").y_desc("field H").draw()?;
            let boundary: Vec<(f64, f64)> =
                loops.iter().filter_map(|l| l.coercive_field.map(|hc| (l.temperature, hc))).collect();
            let region: Vec<(f64, f64)> = boundary
                .iter()
                .map(|&(t, hc)| (t, hc.max(0.0)))
                .chain(boundary.iter().rev().map(|&(t, hc)| (t, -hc.max(0.0))))
                .collect();
            chart.draw_series(std::iter::once(Polygon::new(region, RGBColor(70, 110, 200).mix(0.2).filled())))?;
            for sign in [1.0, -1.0] {
                chart.draw_series(LineSeries::new(
                    boundary.iter().map(|&(t, hc)| (t, sign * hc)),
                    BLUE.stroke_width(2),
                ))?;
                chart.draw_series(boundary.iter().map(|&(t, hc)| Circle::new((t, sign * hc), 3, BLUE.filled())))?;
            }
            chart.draw_series(LineSeries::new(
                [(tc, -params.h_max), (tc, params.h_max)],
                RGBColor(200, 50, 40).stroke_width(2),
            ))?;
        }
        svg
    };
    let panel_m0 = {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            root.fill(&WHITE)?;
            let t_hi = loops.last().map_or(3.2, |l| l.temperature);
            let mut chart = ChartBuilder::on(&root)
                .caption("M(H = 0) on the down branch vs Onsager (line)", ("sans-serif", 16))
                .margin(10)
                .x_label_area_size(35)
                .y_label_area_size(45)
                .build_cartesian_2d(temps[0] - 0.05..t_hi + 0.05, -0.05f64..1.05)?;
            chart.configure_mesh().x_desc("temperature T").y_desc("M").draw()?;
            let n = 200;
            chart.draw_series(LineSeries::new(
                (0..=n).map(|k| {
                    let t = temps[0] + (t_hi - temps[0]) * k as f64 / n as f64;
                    (t, Ising::onsager_magnetization(t))
                }),
                BLACK.stroke_width(2),
            ))?;
            chart
                .draw_series(loops.iter().map(|l| Circle::new((l.temperature, l.remanence.abs()), 4, BLUE.filled())))?;
        }
        svg
    };
    let svg = side_by_side(&[(panel_loops, w, h), (panel_phase, w, h), (panel_m0, w, h)]);
    std::fs::write(args.path("magnetization.svg"), svg)?;
    write_json(&args.path("record.json"), &Record { params, critical_temperature: tc, loops });
    println!("wrote {}", args.out.display());
    Ok(())
}
