//! Quench many starts on Müller-Brown and Lennard-Jones clusters and list the distinct minima.
//!
//! The elm-core main job: L-BFGS quenches from a grid of starts on the Müller-Brown surface
//! (finding its three minima) and from random compact clusters of LJ7 and LJ13 atoms
//! (finding the putative global minima -16.505384 and -44.326801 among many local minima).
//!
//! Writes `target/figures/quench_minima/{muller_brown.svg, lennard_jones.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --example quench_minima [-- --full] [--seed N]
//! ```

use elm_core::reference::{LennardJones, MullerBrown};
use elm_core::{Lbfgs, LocalMinimizer, SameMinimum};
use elm_examples::{ExampleArgs, write_json};
use plotters::prelude::*;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;

#[derive(Serialize)]
struct Minimum {
    energy: f64,
    state: Vec<f64>,
    /// How many quenches ended here.
    hits: usize,
}

#[derive(Serialize)]
struct Record {
    seed: u64,
    muller_brown: Vec<Minimum>,
    lj7: Vec<Minimum>,
    lj13: Vec<Minimum>,
    lj13_quenches: usize,
}

/// Adds a quench result to the list of distinct minima.
fn insert(minima: &mut Vec<Minimum>, same: &SameMinimum, x: &[f64], e: f64) {
    match minima.iter_mut().find(|m| same.continuous(&m.state, m.energy, x, e)) {
        Some(m) => m.hits += 1,
        None => minima.push(Minimum { energy: e, state: x.to_vec(), hits: 1 }),
    }
}

/// LJ minima are distinct up to rotation, translation and permutation: compare energies only.
fn insert_by_energy(minima: &mut Vec<Minimum>, x: &[f64], e: f64) {
    match minima.iter_mut().find(|m| (m.energy - e).abs() < 1e-6) {
        Some(m) => m.hits += 1,
        None => minima.push(Minimum { energy: e, state: x.to_vec(), hits: 1 }),
    }
}

fn quench_lj(atoms: usize, quenches: usize, rng: &mut Xoshiro256PlusPlus) -> Vec<Minimum> {
    let lj = LennardJones::new(atoms).expect("valid cluster");
    let lbfgs = Lbfgs::default().with_gradient_tolerance(1e-8);
    let mut minima = Vec::new();
    for _ in 0..quenches {
        let mut x = lj.random_configuration(rng);
        let r = lbfgs.minimize(&lj, &mut x).expect("quench");
        if r.converged() {
            insert_by_energy(&mut minima, &x, r.energy);
        }
    }
    minima.sort_by(|a, b| a.energy.total_cmp(&b.energy));
    minima
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("quench_minima");
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(args.seed);

    // Müller-Brown: a grid of starts over the figure window.
    let mb = MullerBrown::new();
    let same = SameMinimum::new(1e-4, 1e-7)?;
    let lbfgs = Lbfgs::default().with_gradient_tolerance(1e-9);
    let grid = if args.full { 60 } else { 20 };
    let mut mb_minima = Vec::new();
    let mut starts = Vec::new();
    for i in 0..grid {
        for j in 0..grid {
            let mut x = [-1.5 + 2.7 * i as f64 / (grid - 1) as f64, -0.5 + 2.5 * j as f64 / (grid - 1) as f64];
            starts.push(x);
            let r = lbfgs.minimize(&mb, &mut x)?;
            insert(&mut mb_minima, &same, &x, r.energy);
        }
    }
    mb_minima.sort_by(|a, b| a.energy.total_cmp(&b.energy));

    let lj13_quenches = if args.full { 5000 } else { 500 };
    let lj7 = quench_lj(7, 200, &mut rng);
    let lj13 = quench_lj(13, lj13_quenches, &mut rng);

    println!("Müller-Brown: {} quenches from a {grid}x{grid} grid -> {} minima", grid * grid, mb_minima.len());
    for m in &mb_minima {
        println!("  E = {:>12.6}  at ({:>9.6}, {:>9.6})  [{} quenches]", m.energy, m.state[0], m.state[1], m.hits);
    }
    for (name, minima, n, gm) in [
        ("LJ7", &lj7, 200, LennardJones::LJ7_GLOBAL_MINIMUM),
        ("LJ13", &lj13, lj13_quenches, LennardJones::LJ13_GLOBAL_MINIMUM),
    ] {
        println!("{name}: {n} random quenches -> {} distinct minima (by energy)", minima.len());
        for m in minima.iter().take(5) {
            println!("  E = {:>12.6}  [{} quenches]", m.energy, m.hits);
        }
        let best = minima.first().map_or(f64::NAN, |m| m.energy);
        println!("  lowest {best:.6} vs putative global minimum {gm:.6} (Cambridge Cluster Database)");
    }

    draw_muller_brown(&args.path("muller_brown.svg"), &mb_minima, &starts)?;
    draw_spectrum(&args.path("lennard_jones.svg"), &lj7, &lj13)?;
    write_json(
        &args.path("record.json"),
        &Record { seed: args.seed, muller_brown: mb_minima, lj7, lj13, lj13_quenches },
    );
    println!("figures and record in {}", args.out.display());
    Ok(())
}

fn draw_muller_brown(
    path: &std::path::Path,
    minima: &[Minimum],
    starts: &[[f64; 2]],
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (640, 560)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart =
        elm_examples::muller_brown::chart(&root, "Müller-Brown: quench starts (grey) and minima found (red)", 1.0)?;
    chart.draw_series(starts.iter().map(|s| Circle::new((s[0], s[1]), 1, RGBColor(200, 200, 200).filled())))?;
    chart.draw_series(minima.iter().map(|m| Circle::new((m.state[0], m.state[1]), 6, RED.filled())))?;
    chart.draw_series(minima.iter().map(|m| {
        Text::new(format!("{:.2}", m.energy), (m.state[0] + 0.05, m.state[1] + 0.05), ("sans-serif", 14).into_font())
    }))?;
    root.present()?;
    Ok(())
}

fn draw_spectrum(path: &std::path::Path, lj7: &[Minimum], lj13: &[Minimum]) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (720, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let panels = root.split_evenly((1, 2));
    for (area, (name, minima)) in panels.iter().zip([("LJ7", lj7), ("LJ13", lj13)]) {
        let lo = minima.first().map_or(-1.0, |m| m.energy) - 0.5;
        let hi = minima.last().map_or(0.0, |m| m.energy) + 0.5;
        let max_hits = minima.iter().map(|m| m.hits).max().unwrap_or(1) as f64;
        let mut chart = ChartBuilder::on(area)
            .caption(format!("{name}: minima found by random quenches"), ("sans-serif", 15))
            .margin(8)
            .x_label_area_size(35)
            .y_label_area_size(45)
            .build_cartesian_2d(0f64..max_hits * 1.1, lo..hi)?;
        chart.configure_mesh().x_desc("quenches ending there").y_desc("energy").draw()?;
        chart.draw_series(
            minima
                .iter()
                .map(|m| Rectangle::new([(0.0, m.energy - 0.02), (m.hits as f64, m.energy + 0.02)], BLUE.filled())),
        )?;
    }
    root.present()?;
    Ok(())
}
