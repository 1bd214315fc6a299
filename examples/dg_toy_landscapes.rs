//! Seed 000 Fig. 5 and Fig. 6: disconnectivity graphs of a 1-D landscape and of the 2-D
//! Gaussian-mixture landscape, each next to the landscape itself.
//!
//! Minima are found on a fine grid and the barriers between them are exact (for the grid):
//! the grid is *flooded* in order of energy with union-find (`elm_dg::FloodedGrid`). The DGs
//! are then built by seed 001 Alg. 2 and drawn with leaf circles sized by basin area (grid
//! cells in the basin).
//!
//! Writes `target/figures/dg_toy_landscapes/{fig5_1d.svg, fig6_gmm.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --example dg_toy_landscapes [-- --full]
//! ```

use elm_core::Energy;
use elm_core::reference::{GaussianMixtureLandscape, NoisyDoubleBasin};
use elm_dg::{BarrierMatrix, DgParams, DgStyle, DisconnectivityGraph, FloodedGrid};
use elm_examples::{ExampleArgs, side_by_side, write_json};
use plotters::prelude::*;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;

#[derive(Serialize)]
struct Panel {
    grid_shape: Vec<usize>,
    /// Coordinates of the minima, deepest first.
    minima: Vec<Vec<f64>>,
    energies: Vec<f64>,
    /// Grid cells in each minimum's basin.
    basin_cells: Vec<usize>,
    prune_depth: f64,
    leaves_after_pruning: usize,
    barriers: BarrierMatrix,
}

fn basin_sizes(flooded: &FloodedGrid) -> Vec<f64> {
    let mut sizes = vec![0.0; flooded.minima.len()];
    for &b in &flooded.basin_of_cell {
        sizes[b] += 1.0;
    }
    sizes
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("dg_toy_landscapes");

    // ---- Fig. 5: the noisy 1-D double basin (our formula for seed 000 Fig. 5/7) ----
    let e1 = NoisyDoubleBasin::new();
    let n1 = if args.full { 200_000 } else { 20_000 };
    let (lo, hi) = (-6.5, 12.5);
    let xs: Vec<f64> = (0..n1).map(|i| lo + (hi - lo) * i as f64 / (n1 - 1) as f64).collect();
    let ys: Vec<f64> = xs.iter().map(|&x| e1.energy(&[x])).collect();
    let flooded1 = FloodedGrid::flood(&ys, &[n1])?;
    let prune1 = 0.3;
    let mut dg1 =
        DisconnectivityGraph::from_barriers(&flooded1.barriers, &DgParams::default().with_prune_depth(prune1))?;
    dg1.set_sizes(&basin_sizes(&flooded1))?;
    let labels1: Vec<String> = flooded1.minima.iter().map(|&c| format!("{:.1}", xs[c])).collect();
    dg1.set_labels(&labels1)?;
    println!(
        "1-D landscape: {} grid minima; {} basins deeper than {prune1} (the two macroscopic basins hold {:.0}% of the line)",
        flooded1.minima.len(),
        dg1.leaves().count(),
        100.0 * two_largest_share(&dg1)
    );
    let curve = draw_curve(&xs, &ys, &flooded1)?;
    let dg_svg =
        dg1.to_svg(&DgStyle::default().with_size(560, 480).with_title(format!("DG (basins deeper than {prune1})")))?;
    std::fs::write(args.path("fig5_1d.svg"), side_by_side(&[(curve, 560, 480), (dg_svg, 560, 480)]))?;

    // ---- Fig. 6: the 2-D GMM mean landscape ----
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(args.seed);
    let gmm = GaussianMixtureLandscape::four_clusters(100, &mut rng)?;
    let n2 = if args.full { 600 } else { 200 };
    let (a, b) = (-6.0, 6.0);
    let coord = |i: usize| a + (b - a) * i as f64 / (n2 - 1) as f64;
    let zs: Vec<f64> = (0..n2 * n2).map(|c| gmm.energy(&[coord(c / n2), coord(c % n2)])).collect();
    let flooded2 = FloodedGrid::flood(&zs, &[n2, n2])?;
    let mut dg2 = DisconnectivityGraph::from_barriers(&flooded2.barriers, &DgParams::default())?;
    dg2.set_sizes(&basin_sizes(&flooded2))?;
    let labels2: Vec<String> = (0..flooded2.minima.len()).map(|i| format!("m{i}")).collect();
    dg2.set_labels(&labels2)?;
    println!("2-D GMM landscape ({n2}x{n2} grid): {} minima", flooded2.minima.len());
    for (i, &c) in flooded2.minima.iter().enumerate() {
        println!("  m{i}: E = {:.4} at ({:.2}, {:.2})", zs[c], coord(c / n2), coord(c % n2));
    }
    let heat = draw_heat_map(&zs, n2, (a, b), &flooded2)?;
    let dg_svg = dg2.to_svg(&DgStyle::default().with_size(520, 520).with_title("DG of the GMM landscape"))?;
    std::fs::write(args.path("fig6_gmm.svg"), side_by_side(&[(heat, 560, 520), (dg_svg, 520, 520)]))?;

    let panel = |flooded: &FloodedGrid,
                 shape: Vec<usize>,
                 pos: &dyn Fn(usize) -> Vec<f64>,
                 dg: &DisconnectivityGraph,
                 prune| Panel {
        grid_shape: shape,
        minima: flooded.minima.iter().map(|&c| pos(c)).collect(),
        energies: flooded.barriers.energies(),
        basin_cells: basin_sizes(flooded).iter().map(|&s| s as usize).collect(),
        prune_depth: prune,
        leaves_after_pruning: dg.leaves().count(),
        barriers: flooded.barriers.clone(),
    };
    #[derive(Serialize)]
    struct Record {
        seed: u64,
        fig5_1d: Panel,
        fig6_gmm: Panel,
    }
    write_json(
        &args.path("record.json"),
        &Record {
            seed: args.seed,
            fig5_1d: panel(&flooded1, vec![n1], &|c| vec![xs[c]], &dg1, prune1),
            fig6_gmm: panel(&flooded2, vec![n2, n2], &|c| vec![coord(c / n2), coord(c % n2)], &dg2, 0.0),
        },
    );
    println!("figures and record in {}", args.out.display());
    Ok(())
}

/// Fraction of all grid cells in the two largest leaves after pruning.
fn two_largest_share(dg: &DisconnectivityGraph) -> f64 {
    let mut sizes: Vec<f64> = dg.leaves().map(|l| dg.node(l).size).collect();
    sizes.sort_by(|a, b| b.total_cmp(a));
    let total: f64 = sizes.iter().sum();
    sizes.iter().take(2).sum::<f64>() / total
}

fn draw_curve(xs: &[f64], ys: &[f64], flooded: &FloodedGrid) -> Result<String, Box<dyn std::error::Error>> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (560, 480)).into_drawing_area();
        root.fill(&WHITE)?;
        let (lo, hi) = ys.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &y| (a.min(y), b.max(y)));
        let mut chart = ChartBuilder::on(&root)
            .caption("Noisy 1-D double basin (seed 000 Fig. 5/7)", ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(50)
            .build_cartesian_2d(xs[0]..xs[xs.len() - 1], lo - 0.3..hi.min(4.0) + 0.3)?;
        chart.configure_mesh().x_desc("x").y_desc("E(x)").draw()?;
        chart.draw_series(LineSeries::new(xs.iter().copied().zip(ys.iter().copied()), BLACK.stroke_width(1)))?;
        chart.draw_series(flooded.minima.iter().map(|&c| Circle::new((xs[c], ys[c]), 2, RED.filled())))?;
        for t in elm_core::reference::NoisyDoubleBasin::FIG7_TARGETS {
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(t, lo - 0.3), (t, hi.min(4.0))], BLUE.mix(0.4))))?;
        }
        root.present()?;
    }
    Ok(svg)
}

fn draw_heat_map(
    zs: &[f64],
    n: usize,
    range: (f64, f64),
    flooded: &FloodedGrid,
) -> Result<String, Box<dyn std::error::Error>> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (560, 520)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption("GMM loss over two free means (seed 000 Fig. 6)", ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(45)
            .build_cartesian_2d(range.0..range.1, range.0..range.1)?;
        chart.configure_mesh().x_desc("mean 1").y_desc("mean 2").draw()?;
        // Downsample to at most 100 x 100 rectangles to keep the file small.
        let step = n.div_ceil(100);
        let h = (range.1 - range.0) / (n - 1) as f64 * step as f64;
        let lo = flooded.barriers.energy(0);
        let hi = lo + 3.0;
        chart.draw_series((0..n).step_by(step).flat_map(|i| (0..n).step_by(step).map(move |j| (i, j))).map(
            |(i, j)| {
                let x = range.0 + (range.1 - range.0) * i as f64 / (n - 1) as f64;
                let y = range.0 + (range.1 - range.0) * j as f64 / (n - 1) as f64;
                let t = ((zs[i * n + j] - lo) / (hi - lo)).clamp(0.0, 1.0);
                Rectangle::new(
                    [(x - h / 2.0, y - h / 2.0), (x + h / 2.0, y + h / 2.0)],
                    ViridisRGB::get_color(t).filled(),
                )
            },
        ))?;
        let coord = |i: usize| range.0 + (range.1 - range.0) * i as f64 / (n - 1) as f64;
        for (k, &c) in flooded.minima.iter().enumerate() {
            let p = (coord(c / n), coord(c % n));
            chart.draw_series(std::iter::once(Circle::new(p, 4, RED.filled())))?;
            chart.draw_series(std::iter::once(Text::new(
                format!("m{k}"),
                (p.0 + 0.15, p.1 + 0.15),
                ("sans-serif", 13).into_font().color(&WHITE),
            )))?;
        }
        root.present()?;
    }
    Ok(svg)
}
