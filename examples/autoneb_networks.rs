//! Seed 003 (Draxler et al., "Essentially no barriers in neural network energy landscape"),
//! Fig. 2-5 and Table 1, scaled to this machine: as networks grow, the minimum-energy paths
//! between their minima become flat.
//!
//! For each width `h` of a one-hidden-layer ReLU classifier (64 inputs — the committed ten-digit
//! MNIST file averaged to 8x8 — `h` hidden nodes, 10 softmax outputs, cross-entropy with a small
//! weight decay `λ = 10⁻⁴`; `elm_core::reference::MlpLoss`):
//!
//! 1. train several networks from distinct random initializations (He-uniform weights, zero
//!    biases; L-BFGS to RMS gradient `10⁻⁵`);
//! 2. connect them with AutoNEB (`elm_paths::AutoNeb`: string-method bands, pivots inserted where
//!    the loss between two pivots rises 20% of the path's range above their interpolation, as
//!    the seed) along seed 003's minimum-spanning-tree exploration (`elm_paths::explore_minima`:
//!    every minimum to the first, then the heaviest tree edge re-routed while the budget
//!    lasts);
//! 3. report, as Table 1, the training loss and error at the minima and at the saddles of the
//!    final tree (the highest point of each tree path), and the test loss and error there; and
//!    draw, as Fig. 5, each tree edge's minimum and saddle loss, and the loss along the tree's
//!    paths.
//!
//! The seed's claim: the saddle losses are barely above the minima's (ResNet-56 on CIFAR10:
//! 0.002 at the minima, 0.017 at the saddles; test error 6.9% vs 7.6%), and the gap shrinks as
//! networks grow. The seed's networks have 0.3-1 million weights; ours 140-8 000 (widths 2-128).
//!
//! Scale: default widths 2, 8, 32 with 4 minima each, 200 training images (20 per digit), 4
//! AutoNEB cycles of 120 string steps, 6 paths per width (the tree and two re-routings); `--full`
//! widths 2, 8, 32, 128, 8 minima, 1000 images, the seed's 14 cycles (of 400 steps), 16 paths
//! per width (default about 25 s on an idle machine). Options: `--minima N`, `--train N` (images
//! per digit), `--cycles N`, `--steps N`.
//!
//! Writes `target/figures/autoneb_networks/{saddles.svg, paths.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --example autoneb_networks [-- --full]
//! ```

use elm_core::reference::{Activation, MlpLoss};
use elm_core::{Energy, Lbfgs, LocalMinimizer, task_rng};
use elm_examples::{ExampleArgs, digits, side_by_side, write_json};
use elm_paths::{AutoNeb, BandMethod, ElasticBand, explore_minima};
use plotters::prelude::*;
use rand::RngExt;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Mutex;
use std::time::Instant;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

#[derive(Serialize, Clone)]
struct EdgeRecord {
    a: usize,
    b: usize,
    /// Training loss at the two minima and at the path's highest pivot.
    loss_a: f64,
    loss_b: f64,
    saddle_loss: f64,
    /// Training error at the saddle pivot, test loss and error at the saddle pivot.
    saddle_train_error: f64,
    saddle_test_loss: f64,
    saddle_test_error: f64,
    /// Loss along the path (pivots), and the cumulative distance.
    profile: Vec<f64>,
    arc_length: Vec<f64>,
}

#[derive(Serialize)]
struct WidthRecord {
    hidden: usize,
    weights: usize,
    minima_loss: Vec<f64>,
    minima_train_error: Vec<f64>,
    minima_test_loss: Vec<f64>,
    minima_test_error: Vec<f64>,
    /// Edges of the final minimum spanning tree.
    tree: Vec<EdgeRecord>,
    paths_computed: usize,
    mean_minimum_loss: f64,
    mean_saddle_loss: f64,
    /// Mean over tree edges of `saddle − (loss_a + loss_b)/2`.
    mean_barrier: f64,
    seconds: f64,
}

/// A computed AutoNEB path: its two minima, pivots and their losses.
type ComputedPath = (usize, usize, Vec<Vec<f64>>, Vec<f64>);

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

fn main() -> Res<()> {
    let args = ExampleArgs::parse("autoneb_networks");
    let full = args.full;
    let widths: Vec<usize> = if full { vec![2, 8, 32, 128] } else { vec![2, 8, 32] };
    let n_minima = args.option("minima", if full { 8.0 } else { 4.0 }) as usize;
    let per_digit = args.option("train", if full { 100.0 } else { 20.0 }) as usize;
    let cycles = args.option("cycles", if full { 14.0 } else { 4.0 }) as usize;
    let steps = args.option("steps", if full { 400.0 } else { 120.0 }) as usize;
    let lambda = 1e-4;

    let data = digits::load_ten()?;
    let (train, test) = digits::split_per_digit(&data, 0..10, per_digit, 100);
    let labels = |idx: &[usize]| idx.iter().map(|&k| usize::from(data.labels[k])).collect::<Vec<_>>();
    let (x_train, y_train) = (digits::inputs_8x8(&data, &train), labels(&train));
    let (x_test, y_test) = (digits::inputs_8x8(&data, &test), labels(&test));
    println!(
        "{} training and {} test images (8x8); widths {widths:?}, {n_minima} minima each",
        train.len(),
        test.len()
    );
    let lbfgs = Lbfgs::default().with_gradient_tolerance(1e-5).with_max_iterations(20_000);
    let auto = AutoNeb { cycles, initial_pivots: 4, max_pivots: 20, ..AutoNeb::default() }.with_band(
        ElasticBand::default()
            .with_method(BandMethod::String)
            .with_string_step(0.5)
            .with_max_step(0.05)
            .with_max_insertions(0)
            .with_force_tolerance(1e-5)
            .with_max_iterations(steps),
    );

    let records: Vec<WidthRecord> = widths
        .par_iter()
        .map(|&hidden| -> Result<WidthRecord, String> {
            let start = Instant::now();
            let shape = [64, hidden, 10];
            let err = |e: elm_core::Error| e.to_string();
            let net = MlpLoss::classifier(&shape, Activation::Relu, x_train.clone(), &y_train)
                .map_err(err)?
                .with_regularization(lambda, true)
                .map_err(err)?;
            let test_net = MlpLoss::classifier(&shape, Activation::Relu, x_test.clone(), &y_test).map_err(err)?;
            let d = net.dim();
            // 1. Minima from He-uniform starts.
            let minima: Vec<(Vec<f64>, f64)> = (0..n_minima)
                .into_par_iter()
                .map(|k| {
                    let mut rng = task_rng(args.seed, hidden as u64, k as u64, 0);
                    let mut w = vec![0.0; d];
                    let (l1, l2) = ((6.0f64 / 64.0).sqrt(), (6.0 / hidden as f64).sqrt());
                    for (i, v) in w.iter_mut().enumerate() {
                        *v = if i < 64 * hidden {
                            rng.random_range(-l1..l1)
                        } else if (64 * hidden + hidden..64 * hidden + hidden + 10 * hidden).contains(&i) {
                            rng.random_range(-l2..l2)
                        } else {
                            0.0
                        };
                    }
                    let e = lbfgs.minimize(&net, &mut w).map(|r| r.energy).unwrap_or(f64::NAN);
                    (w, e)
                })
                .collect();
            let energies: Vec<f64> = minima.iter().map(|m| m.1).collect();
            // 2. MST exploration with AutoNEB paths (sequential: the exploration chooses the next
            //    pair from the paths so far); each path's saddle pivot kept.
            let found: Mutex<Vec<ComputedPath>> = Mutex::new(Vec::new());
            let exploration = explore_minima(&energies, if full { 2 * n_minima } else { n_minima + 2 }, |i, j| {
                let r = auto.run(&net, &minima[i].0, &minima[j].0)?;
                let path = r.band.path;
                let top = path.energies.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                found.lock().map_err(|_| elm_core::Error::NonFinite("poisoned lock"))?.push((
                    i,
                    j,
                    path.states,
                    path.energies,
                ));
                Ok(Some(top.max(energies[i]).max(energies[j])))
            })
            .map_err(|e| e.to_string())?;
            let found = found.into_inner().map_err(|_| "poisoned lock".to_string())?;
            let error = |m: &MlpLoss, w: &[f64]| 1.0 - m.accuracy(w);
            let tree: Vec<EdgeRecord> = exploration
                .tree
                .iter()
                .filter_map(|edge| {
                    let (_, _, states, profile) = found
                        .iter()
                        .rev()
                        .find(|f| (f.0, f.1) == (edge.a, edge.b) || (f.0, f.1) == (edge.b, edge.a))?;
                    let k = (0..profile.len()).max_by(|&a, &b| profile[a].total_cmp(&profile[b]))?;
                    let mut arc = vec![0.0];
                    for s in 1..states.len() {
                        arc.push(arc[s - 1] + elm_core::distance::l2(&states[s], &states[s - 1]));
                    }
                    Some(EdgeRecord {
                        a: edge.a,
                        b: edge.b,
                        loss_a: energies[edge.a],
                        loss_b: energies[edge.b],
                        saddle_loss: profile[k],
                        saddle_train_error: error(&net, &states[k]),
                        saddle_test_loss: test_net.energy(&states[k]),
                        saddle_test_error: error(&test_net, &states[k]),
                        profile: profile.clone(),
                        arc_length: arc,
                    })
                })
                .collect();
            let saddles: Vec<f64> = tree.iter().map(|t| t.saddle_loss).collect();
            let barriers: Vec<f64> = tree.iter().map(|t| t.saddle_loss - 0.5 * (t.loss_a + t.loss_b)).collect();
            Ok(WidthRecord {
                hidden,
                weights: d,
                minima_train_error: minima.iter().map(|m| error(&net, &m.0)).collect(),
                minima_test_loss: minima.iter().map(|m| test_net.energy(&m.0)).collect(),
                minima_test_error: minima.iter().map(|m| error(&test_net, &m.0)).collect(),
                mean_minimum_loss: mean(&energies),
                minima_loss: energies,
                paths_computed: exploration.computed.len(),
                mean_saddle_loss: mean(&saddles),
                mean_barrier: mean(&barriers),
                tree,
                seconds: start.elapsed().as_secs_f64(),
            })
        })
        .collect::<Result<_, String>>()?;

    println!(
        "Table 1 (seed 003), per width: training loss (cross-entropy + penalty) and error, at the minima and at the MST saddles"
    );
    println!(
        "{:>6} {:>7} | {:>9} {:>9} {:>9} | {:>7} {:>7} | {:>9} {:>9} | {:>7} {:>7} | {:>5} {:>6}",
        "hidden",
        "weights",
        "loss min",
        "saddle",
        "barrier",
        "err min",
        "saddle",
        "test min",
        "saddle",
        "err min",
        "saddle",
        "paths",
        "s"
    );
    for r in &records {
        let pick = |f: &dyn Fn(&EdgeRecord) -> f64| mean(&r.tree.iter().map(f).collect::<Vec<_>>());
        println!(
            "{:>6} {:>7} | {:>9.4} {:>9.4} {:>9.4} | {:>6.1}% {:>6.1}% | {:>9.4} {:>9.4} | {:>6.1}% {:>6.1}% | {:>5} {:>6.1}",
            r.hidden,
            r.weights,
            r.mean_minimum_loss,
            r.mean_saddle_loss,
            r.mean_barrier,
            100.0 * mean(&r.minima_train_error),
            100.0 * pick(&|t| t.saddle_train_error),
            mean(&r.minima_test_loss),
            pick(&|t| t.saddle_test_loss),
            100.0 * mean(&r.minima_test_error),
            100.0 * pick(&|t| t.saddle_test_error),
            r.paths_computed,
            r.seconds
        );
    }
    draw(&args, &records)?;
    write_json(&args.path("record.json"), &records);
    println!("wrote {}", args.out.display());
    Ok(())
}

const COLOURS: [RGBColor; 4] =
    [RGBColor(200, 30, 30), RGBColor(230, 140, 20), RGBColor(40, 150, 60), RGBColor(40, 80, 200)];

fn draw(args: &ExampleArgs, records: &[WidthRecord]) -> Res<()> {
    // Fig. 5: minimum and saddle loss per tree edge, per width.
    let mut left = String::new();
    {
        let root = SVGBackend::with_string(&mut left, (480, 400)).into_drawing_area();
        root.fill(&WHITE)?;
        let top = records.iter().flat_map(|r| r.tree.iter().map(|t| t.saddle_loss)).fold(1e-9, f64::max) * 1.1;
        let mut chart = ChartBuilder::on(&root)
            .caption("Fig. 5: mean loss of each tree edge's minima (dot) and its saddle (ring)", ("sans-serif", 14))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(50)
            .build_cartesian_2d(-0.5..(records.len() as f64 - 0.5), 0.0..top)?;
        chart
            .configure_mesh()
            .x_labels(records.len())
            .x_label_formatter(&|v| {
                records.get(v.round() as usize).map_or(String::new(), |r| format!("h = {}", r.hidden))
            })
            .x_desc("hidden width")
            .y_desc("training loss")
            .draw()?;
        for (k, r) in records.iter().enumerate() {
            let c = COLOURS[k % COLOURS.len()];
            for (e, t) in r.tree.iter().enumerate() {
                let x = k as f64 - 0.3 + 0.6 * e as f64 / r.tree.len().max(1) as f64;
                let low = 0.5 * (t.loss_a + t.loss_b);
                chart.draw_series(LineSeries::new([(x, low), (x, t.saddle_loss)], c.stroke_width(2)))?;
                chart.draw_series([
                    Circle::new((x, low), 3, c.filled()),
                    Circle::new((x, t.saddle_loss), 3, c.stroke_width(1)),
                ])?;
            }
        }
    }
    // Fig. 2 / Fig. 6: loss along the tree paths, per width.
    let mut right = String::new();
    {
        let root = SVGBackend::with_string(&mut right, (480, 400)).into_drawing_area();
        root.fill(&WHITE)?;
        let top =
            records.iter().flat_map(|r| r.tree.iter().flat_map(|t| t.profile.iter())).copied().fold(1e-9, f64::max)
                * 1.1;
        let mut chart = ChartBuilder::on(&root)
            .caption("Loss along the MST paths (AutoNEB)", ("sans-serif", 15))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(50)
            .build_cartesian_2d(0.0..1.0, 0.0..top)?;
        chart.configure_mesh().x_desc("fraction of path length").y_desc("training loss").draw()?;
        for (k, r) in records.iter().enumerate() {
            let c = COLOURS[k % COLOURS.len()];
            for (e, t) in r.tree.iter().enumerate() {
                let total = t.arc_length.last().copied().unwrap_or(1.0).max(1e-12);
                let pts: Vec<(f64, f64)> =
                    t.arc_length.iter().map(|s| s / total).zip(t.profile.iter().copied()).collect();
                let s = chart.draw_series(LineSeries::new(pts, c.stroke_width(1)))?;
                if e == 0 {
                    s.label(format!("h = {} ({} weights)", r.hidden, r.weights))
                        .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], c.stroke_width(2)));
                }
            }
        }
        chart.configure_series_labels().border_style(BLACK).background_style(WHITE.mix(0.85)).draw()?;
    }
    std::fs::write(args.path("saddles.svg"), side_by_side(&[(left, 480, 400), (right, 480, 400)]))?;
    Ok(())
}
