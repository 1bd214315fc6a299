//! Seed 002 Sec. IV (Fig. 5, 6, 10): the landscape of the non-linear regression loss
//! `E(θ) = Σ (t_i - e^{-θ1 x_i} sin(θ2 x_i + θ3) sin(θ4 x_i + θ5))^2` (100 points, noise 0.02,
//! `θ* = (0.1, 2.13, 0, 1.34, 0)`).
//!
//! 1. Basin-hopping (from `θ*` and from random starts) collects minima.
//! 2. Each minimum is connected to its 4 nearest minima by a DNEB band; the highest image is
//!    refined to a transition state by eigenvector following, its Hessian index checked, and it
//!    is followed downhill on both sides (±0.01 along the negative mode, then L-BFGS) to learn
//!    which minima it joins.
//! 3. `elm-dg` draws the DG (superbasin analysis on a regular series of thresholds) and the
//!    network of minima, whose statistics are compared with an equivalent random graph.
//!
//! The seed found 89 minima and 121 transition states (network: 89 nodes, 113 edges, mean degree
//! 2.54, average shortest path 6.06, diameter 15). Our counts depend on the basin-hopping budget
//! (default 10 chains x 300 steps; `--full` 20 x 2000); minima related by the model's symmetries
//! (sign flips and phase shifts of the two sine factors, their swap) are identified first.
//!
//! Writes `target/figures/regression_landscape/{fits.svg, dg.svg, network.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --example regression_landscape [-- --full]
//! ```

use elm_core::reference::NonlinearRegression;
use elm_core::{Lbfgs, LocalMinimizer, SameMinimum};
use elm_dg::{DgParams, DgStyle, DisconnectivityGraph, NetworkOfMinima};
use elm_examples::regression::{canonical, regression_minima};
use elm_examples::{ExampleArgs, write_json};
use elm_paths::{BandMethod, ElasticBand, SaddleRefinement};
use plotters::prelude::*;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct TransitionState {
    theta: Vec<f64>,
    energy: f64,
    minima: (usize, usize),
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("regression_landscape");
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(args.seed);
    let reg = NonlinearRegression::paper(&mut rng);
    let lbfgs = Lbfgs::default().with_gradient_tolerance(1e-10).with_max_iterations(20_000);
    let same = SameMinimum { distance: 1e-3, energy: 1e-7, hamming: 0 };

    // 1. Basin-hopping chains.
    let (chains, steps) = if args.full { (20, 2000) } else { (10, 300) };
    let mut minima = regression_minima(&reg, chains, steps, &mut rng, args.seed)?;
    println!(
        "basin-hopping ({chains} chains x {steps} steps): {} distinct minima; global E = {:.5} at {:?}",
        minima.len(),
        minima[0].1,
        round(&minima[0].0)
    );

    // 2. Transition states between each minimum and its 4 nearest minima.
    let mut pairs = Vec::new();
    for i in 0..minima.len() {
        let mut near: Vec<(f64, usize)> = (0..minima.len())
            .filter(|&j| j != i)
            .map(|j| (elm_core::distance::l2(&minima[i].0, &minima[j].0), j))
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0));
        for &(_, j) in near.iter().take(4) {
            let p = (i.min(j), i.max(j));
            if !pairs.contains(&p) {
                pairs.push(p);
            }
        }
    }
    let band = ElasticBand::default()
        .with_method(BandMethod::DoublyNudged)
        .with_images(10)
        .with_time_step(1e-3)
        .with_max_iterations(5_000)
        .with_force_tolerance(1e-2);
    let refine = SaddleRefinement {
        gradient_tolerance: 1e-8,
        max_iterations: 300,
        max_step: 0.05,
        hessian_step: 1e-5,
        zero_tolerance: 1e-8,
    };
    // (saddle, its energy, its negative-curvature mode) per band, when refinement succeeds.
    type Candidate = Option<(Vec<f64>, f64, Vec<f64>)>;
    let candidates: Vec<Candidate> = pairs
        .par_iter()
        .map(|&(i, j)| {
            let report = band.run(&reg, &minima[i].0, &minima[j].0).ok()?;
            let top = report.path.states[report.path.highest()?].clone();
            let ts = refine.refine(&reg, &top).ok()?;
            if ts.index != 1 || ts.rms_gradient > 1e-6 {
                return None;
            }
            let h = elm_paths::finite_difference_hessian(&reg, &ts.x, 1e-5).ok()?;
            let (_, vectors) = elm_paths::symmetric_eigen(&h, 5).ok()?;
            Some((ts.x, ts.energy, vectors[0].clone()))
        })
        .collect();
    let mut transition_states: Vec<TransitionState> = Vec::new();
    for (x, e, mode) in candidates.into_iter().flatten() {
        if transition_states.iter().any(|t| same.continuous(&canonical(&t.theta), t.energy, &canonical(&x), e)) {
            continue;
        }
        // Follow the negative mode downhill on both sides.
        let mut ends = Vec::new();
        for sign in [1.0, -1.0] {
            let mut y: Vec<f64> = x.iter().zip(&mode).map(|(a, v)| a + sign * 0.01 * v).collect();
            let r = lbfgs.minimize(&reg, &mut y)?;
            let y = canonical(&y);
            let idx = match minima.iter().position(|m| same.continuous(&m.0, m.1, &y, r.energy)) {
                Some(k) => k,
                None => {
                    minima.push((y, r.energy));
                    minima.len() - 1
                }
            };
            ends.push(idx);
        }
        if ends[0] != ends[1] {
            transition_states.push(TransitionState { theta: x, energy: e, minima: (ends[0], ends[1]) });
        }
    }
    println!(
        "{} bands -> {} distinct transition states (Hessian index 1) joining {} minima (seed 002: 89 minima, 121 TS)",
        pairs.len(),
        transition_states.len(),
        minima.len()
    );

    // 3. DG by superbasin analysis on log10 energy thresholds, and the network of minima.
    let energies: Vec<f64> = minima.iter().map(|m| m.1).collect();
    let ts: Vec<(usize, usize, f64)> = transition_states.iter().map(|t| (t.minima.0, t.minima.1, t.energy)).collect();
    let (lo, hi) = (energies[0], ts.iter().map(|t| t.2).fold(energies[0], f64::max));
    let thresholds: Vec<f64> = (1..=60).map(|k| lo + (hi - lo) * 1.02 * k as f64 / 60.0).collect();
    let dg = DisconnectivityGraph::from_transition_states(&energies, &ts, &thresholds, &DgParams::default())?;
    let style = DgStyle::default()
        .with_size(1000, 600)
        .with_title("Non-linear regression loss: DG (seed 002 Fig. 6)")
        .with_energy_label("E(θ)");
    std::fs::write(args.path("dg.svg"), dg.to_svg(&DgStyle { size_circles: false, ..style })?)?;
    let network = NetworkOfMinima::new(&energies, &ts)?;
    let s = network.summary();
    let random = network.random_equivalent(50, &mut rng)?;
    println!(
        "network of minima: {} nodes, {} edges, mean degree {:.2}, average shortest path {:.3}, diameter {}, clustering {:.3}, {} components",
        s.nodes, s.edges, s.mean_degree, s.average_shortest_path, s.diameter, s.clustering, s.components
    );
    println!(
        "equivalent random graphs (50): average shortest path {:.3}, diameter {}, clustering {:.3}   (seed 002: 89 nodes, 113 edges, <k> 2.54, path 6.06, diameter 15)",
        random.average_shortest_path, random.diameter, random.clustering
    );
    draw_fits(&args, &reg, &minima)?;
    elm_examples::network_svg(
        &args.path("network.svg"),
        &network,
        &energies,
        "Network of minima (seed 002 Fig. 10): size = degree, colour = log E",
    )?;
    #[derive(Serialize)]
    struct Record {
        seed: u64,
        minima: Vec<(Vec<f64>, f64)>,
        transition_states: Vec<TransitionState>,
        network: elm_dg::NetworkSummary,
        random_equivalent: elm_dg::NetworkSummary,
        degree_distribution: Vec<usize>,
    }
    let degree_distribution = network.degree_distribution();
    write_json(
        &args.path("record.json"),
        &Record {
            seed: args.seed,
            minima,
            transition_states,
            network: s,
            random_equivalent: random,
            degree_distribution,
        },
    );
    println!("figures and record in {}", args.out.display());
    Ok(())
}

fn round(x: &[f64]) -> Vec<f64> {
    x.iter().map(|v| (v * 1e4).round() / 1e4).collect()
}

/// Seed 002 Fig. 5: the data and the fits of the lowest minima.
fn draw_fits(
    args: &ExampleArgs,
    reg: &NonlinearRegression,
    minima: &[(Vec<f64>, f64)],
) -> Result<(), Box<dyn std::error::Error>> {
    let file = args.path("fits.svg");
    let root = SVGBackend::new(&file, (800, 450)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption("Data, the global-minimum fit (black) and 8 local-minimum fits (seed 002 Fig. 5)", ("sans-serif", 15))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(45)
        .build_cartesian_2d(0.0..3.0 * std::f64::consts::PI, -1.2..1.2)?;
    chart.configure_mesh().x_desc("x").y_desc("t").light_line_style(WHITE).draw()?;
    let xs: Vec<f64> = (0..400).map(|k| 3.0 * std::f64::consts::PI * k as f64 / 399.0).collect();
    for (k, (theta, _)) in minima.iter().take(9).enumerate().rev() {
        let style = if k == 0 { BLACK.stroke_width(2) } else { Palette99::pick(k).mix(0.7).stroke_width(1) };
        chart.draw_series(LineSeries::new(xs.iter().map(|&x| (x, NonlinearRegression::model(x, theta))), style))?;
    }
    chart.draw_series(reg.inputs().iter().zip(reg.targets()).map(|(&x, &t)| Circle::new((x, t), 3, BLACK.filled())))?;
    root.present()?;
    Ok(())
}
