//! Seed 002 Sec. V-VI (Fig. 7, 8, 9, 11): the landscape of a digit classifier's training loss.
//!
//! The network: one hidden layer of 10 tanh nodes and 10 softmax outputs, trained by the
//! cross-entropy of seed 002 Eq. 2-4 with the L2 penalty `λ Σ W²` over every weight and bias
//! (`elm_core::reference::MlpLoss`). The data: the committed ten-digit MNIST file
//! (`data/digits/mnist_10digits_16x16_l8.bin`), averaged 2x2 down to 8x8 pixels (64 inputs,
//! 760 weights; the seed: 28x28, ~8000 weights), the first 100 images of each digit for
//! training (the seed's `N = 1000`) and the other 200 of each as the test set (the seed:
//! 10 000).
//!
//! `λ`: the seed's default 0.1 leaves one minimum on these inputs, `W = 0` (loss `ln 10`, every
//! class equally likely; the program says so and moves on): 64 averaged pixels carry less
//! signal per weight than the seed's 784. The maps are at the seed's DG value 0.01 (and 0.001
//! with `--full`).
//!
//! 1. Minima: basin-hopping chains (L-BFGS quenches, uniform perturbations of every weight by
//!    up to 0.3, acceptance temperature 0.02) from random starts; minima equal up to the
//!    network's symmetries (hidden-node permutations and sign flips) are one
//!    (`MlpLoss::canonical`).
//! 2. Transition states: each minimum with its nearest minima (L2 between canonical forms): a
//!    DNEB band, its highest image refined by hybrid eigenvector-following
//!    (`elm_paths::HybridEigenvectorFollowing`, Lanczos on gradient differences — no Hessian is
//!    formed in the 760 dimensions), the Hessian index checked, and the negative mode followed
//!    downhill on both sides to the minima it joins (usually minima the chains had not met).
//!    Then a connect loop (after OPTIM's): while the minima joined by transition states form
//!    more than one component, search between the lowest minimum's component and the nearest
//!    minimum of another, within a budget (`--connect N`, default 6 searches, 80 with `--full`).
//! 3. Fig. 7: the DG of the basin-hopping minima, with the DNEB bands' path maxima as barriers
//!    (upper bounds; bands to each minimum's nearest and to the lowest minimum, so the graph is
//!    connected) — seed: a single funnel, every minimum in a narrow band of loss.
//!    Fig. 8: the misclassification distance `c_ij` on the test set (the fraction of images
//!    misclassified by exactly one of the two minima) as a heat map, minima in a greedy
//!    similarity order (seed: blocks of mutually similar minima although every minimum
//!    misclassifies about the same fraction). Fig. 9: the joint density of `c_ij` and the L2
//!    distance between the canonical weights (seed: correlated). Fig. 11: the network of minima
//!    joined by the refined transition states, against random graphs with the same nodes and
//!    edges (seed: 142 nodes, 643 edges, mean degree 9.06, average shortest path 3.18,
//!    diameter 8, from many more transition-state searches than here: ours stays fragmentary).
//!
//! Scale: default `λ = 0.1, 0.01`, 4 chains x 6 hops, 2 neighbours per minimum, 6 connection
//! searches (about 21 s here, idle); `--full` adds `λ = 0.001`, 16 chains x 40 hops, 4 neighbours, 80
//! connection searches, longer bands. Options: `--chains N`, `--hops N`, `--neighbours N`,
//! `--connect N`, `--hidden N`, `--lambda X` (one value only).
//!
//! Writes `target/figures/nn_digits_landscape/{dg_*.svg, misclassification_*.svg,
//! network_*.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --example nn_digits_landscape [-- --full]
//! ```

use elm_core::distance::l2 as distance;
use elm_core::reference::{Activation, MlpLoss};
use elm_core::{Energy, Lbfgs, LocalMinimizer, task_rng};
use elm_dg::{DgParams, DgStyle, DisconnectivityGraph, NetworkOfMinima};
use elm_examples::{ExampleArgs, digits, network_svg, side_by_side, write_json};
use elm_paths::{BandMethod, BasinHopping, ElasticBand, HybridEigenvectorFollowing};
use plotters::prelude::*;
use rand::RngExt;
use rayon::prelude::*;
use serde::Serialize;
use std::time::Instant;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

#[derive(Serialize)]
struct TransitionState {
    energy: f64,
    minima: (usize, usize),
    lowest_eigenvalues: Vec<f64>,
}

#[derive(Serialize)]
struct LambdaRecord {
    lambda: f64,
    minima_energies: Vec<f64>,
    train_accuracy: Vec<f64>,
    test_misclassified: Vec<f64>,
    transition_states: Vec<TransitionState>,
    bands: usize,
    refined: usize,
    network: elm_dg::NetworkSummary,
    random_equivalent: elm_dg::NetworkSummary,
    /// `c_ij`, row-major over the minima.
    misclassification_distance: Vec<f64>,
    /// `(L2 distance, c_ij)` per pair `i < j`.
    distance_pairs: Vec<(f64, f64)>,
    /// Pearson correlation of the two over the pairs.
    correlation: f64,
    seconds: f64,
}

fn main() -> Res<()> {
    let args = ExampleArgs::parse("nn_digits_landscape");
    let full = args.full;
    let chains = args.option("chains", if full { 16.0 } else { 4.0 }) as usize;
    let hops = args.option("hops", if full { 40.0 } else { 6.0 }) as usize;
    let neighbours = args.option("neighbours", if full { 4.0 } else { 2.0 }) as usize;
    let connect_budget = args.option("connect", if full { 80.0 } else { 6.0 }) as usize;
    let hidden = args.option("hidden", 10.0) as usize;
    let lambdas: Vec<f64> = match args.options.get("lambda") {
        Some(&l) => vec![l],
        None if full => vec![0.1, 0.01, 0.001],
        None => vec![0.1, 0.01],
    };

    let data = digits::load_ten()?;
    let (train, test) = digits::split_per_digit(&data, 0..10, 100, 200);
    let labels = |idx: &[usize]| idx.iter().map(|&k| usize::from(data.labels[k])).collect::<Vec<_>>();
    let (y_train, y_test) = (labels(&train), labels(&test));
    let widths = [64, hidden, 10];
    let test_net = MlpLoss::classifier(&widths, Activation::Tanh, digits::inputs_8x8(&data, &test), &y_test)?;
    println!(
        "digits: {} training and {} test images (8x8), network 64-{hidden}-10 tanh/softmax, {} weights",
        train.len(),
        test.len(),
        test_net.dim()
    );
    let lbfgs = Lbfgs::default().with_gradient_tolerance(1e-6).with_max_iterations(5000);
    let mut records = Vec::new();
    let mut svgs = Vec::new();
    for (li, &lambda) in lambdas.iter().enumerate() {
        let start = Instant::now();
        let net = MlpLoss::classifier(&widths, Activation::Tanh, digits::inputs_8x8(&data, &train), &y_train)?
            .with_regularization(lambda, true)?;
        let d = net.dim();

        // 1. Basin-hopping chains.
        let bh = BasinHopping::default().with_steps(hops).with_step_size(0.3).with_temperature(0.02);
        let found: Vec<(Vec<f64>, f64)> = (0..chains)
            .into_par_iter()
            .flat_map_iter(|c| {
                let mut rng = task_rng(args.seed, li as u64, c as u64, 0);
                let x0: Vec<f64> = (0..d).map(|_| rng.random_range(-0.5..0.5)).collect();
                let minima = bh.run(&net, &lbfgs, &x0, &mut rng).map(|r| r.minima).unwrap_or_default();
                minima.into_iter().map(|(w, e, _)| (net.canonical(&w), e)).collect::<Vec<_>>()
            })
            .collect();
        let mut minima: Vec<(Vec<f64>, f64)> = Vec::new();
        let mut sorted = found;
        sorted.sort_by(|a, b| a.1.total_cmp(&b.1));
        for (w, e) in sorted {
            if !minima.iter().any(|(w2, e2)| same(&w, e, w2, *e2)) {
                minima.push((w, e));
            }
        }
        let hop_seconds = start.elapsed().as_secs_f64();
        if minima.is_empty() {
            return Err("no minima found: --chains and --hops must be at least 1".into());
        }
        if minima.len() < 2 {
            let (w, e) = &minima[0];
            println!(
                "λ = {lambda}: every chain ends at one minimum, loss {e:.4} (ln 10 = {:.4}), largest |w| {:.1e}: the penalty \
                 zeroes the network on these 64-pixel inputs (the seed's 784-pixel inputs carry more signal per weight); no landscape to map",
                10f64.ln(),
                w.iter().fold(0.0f64, |a, v| a.max(v.abs()))
            );
            continue;
        }
        println!(
            "λ = {lambda}: {chains} chains x {hops} hops -> {} distinct minima (up to symmetry), loss {:.4} .. {:.4}, {hop_seconds:.1} s",
            minima.len(),
            minima[0].1,
            minima[minima.len() - 1].1
        );

        // 2. Transition states between near minima.
        // Pairs: each minimum with its nearest (bands refined to transition states), and with
        // the lowest minimum (bands only), so that the band graph is connected.
        let n0 = minima.len();
        let mut pairs: Vec<(usize, usize, bool)> = Vec::new();
        for i in 0..n0 {
            let mut near: Vec<(f64, usize)> =
                (0..n0).filter(|&j| j != i).map(|j| (distance(&minima[i].0, &minima[j].0), j)).collect();
            near.sort_by(|a, b| a.0.total_cmp(&b.0));
            for &(_, j) in near.iter().take(neighbours) {
                let p = (i.min(j), i.max(j), true);
                if !pairs.contains(&p) {
                    pairs.push(p);
                }
            }
        }
        for j in 1..n0 {
            if !pairs.iter().any(|p| p.0 == 0 && p.1 == j) {
                pairs.push((0, j, false));
            }
        }
        let band = ElasticBand::default()
            .with_method(BandMethod::DoublyNudged)
            .with_images(8)
            .with_time_step(0.02)
            .with_max_step(0.1)
            .with_max_insertions(0)
            .with_max_iterations(if full { 2000 } else { 300 })
            .with_force_tolerance(1e-5);
        let hef = HybridEigenvectorFollowing {
            gradient_tolerance: 1e-6,
            max_iterations: 150,
            lanczos_steps: 12,
            ..Default::default()
        };
        // (saddle, energy, negative mode, lowest eigenvalues) per refined band.
        type Candidate = Option<(Vec<f64>, f64, Vec<f64>, Vec<f64>)>;
        type Edge = Option<(usize, usize, f64)>;
        // A DNEB band between two minima, its highest image refined to a transition state.
        let search = |i: usize, j: usize, a: &[f64], b: &[f64], refine: bool| -> (Edge, Candidate) {
            let Ok(r) = band.run(&net, a, b) else { return (None, None) };
            let edge = Some((i, j, r.path_maximum));
            if !refine {
                return (edge, None);
            }
            let s = &r.path.states;
            let Some(top) = r.path.highest() else { return (edge, None) };
            let top = top.clamp(1, s.len() - 2);
            let tangent: Vec<f64> = s[top + 1].iter().zip(&s[top - 1]).map(|(a, b)| a - b).collect();
            let ts = hef.refine(&net, &s[top], Some(&tangent)).ok();
            let ok = ts.filter(|t| t.index == 1 && t.rms_gradient <= 1e-5);
            (edge, ok.map(|t| (t.x, t.energy, t.mode, t.lowest_eigenvalues)))
        };
        let results: Vec<(Edge, Candidate)> =
            pairs.par_iter().map(|&(i, j, refine)| search(i, j, &minima[i].0, &minima[j].0, refine)).collect();
        let band_edges: Vec<(usize, usize, f64)> = results.iter().filter_map(|r| r.0).collect();
        let candidates: Vec<Candidate> = results.into_iter().map(|r| r.1).collect();
        let refined = candidates.iter().filter(|c| c.is_some()).count();
        let refinable = pairs.iter().filter(|p| p.2).count();
        let mut transition_states: Vec<TransitionState> = Vec::new();
        let mut ts_points: Vec<(Vec<f64>, f64)> = Vec::new();
        // Follows each new saddle's negative mode downhill on both sides to the minima it joins.
        let mut register = |candidates: Vec<Candidate>,
                            minima: &mut Vec<(Vec<f64>, f64)>,
                            transition_states: &mut Vec<TransitionState>|
         -> Res<()> {
            for (x, e, mode, lowest) in candidates.into_iter().flatten() {
                let xc = net.canonical(&x);
                if ts_points.iter().any(|(w, e2)| same(&xc, e, w, *e2)) {
                    continue;
                }
                ts_points.push((xc, e));
                let mut ends = Vec::new();
                for sign in [1.0, -1.0] {
                    let mut y: Vec<f64> = x.iter().zip(&mode).map(|(a, v)| a + sign * 0.02 * v).collect();
                    let r = lbfgs.minimize(&net, &mut y)?;
                    let y = net.canonical(&y);
                    let k = match minima.iter().position(|m| same(&m.0, m.1, &y, r.energy)) {
                        Some(k) => k,
                        None => {
                            minima.push((y, r.energy));
                            minima.len() - 1
                        }
                    };
                    ends.push(k);
                }
                if ends[0] != ends[1] {
                    transition_states.push(TransitionState {
                        energy: e,
                        minima: (ends[0], ends[1]),
                        lowest_eigenvalues: lowest,
                    });
                }
            }
            Ok(())
        };
        register(candidates, &mut minima, &mut transition_states)?;
        // Connect (after OPTIM's idea): while the minima joined by transition states form more
        // than one component, search between the lowest minimum's component and the nearest
        // minimum of another, two pairs at a time, within a budget of searches.
        let mut tried: Vec<(usize, usize)> = Vec::new();
        let mut connect_searches = 0;
        while connect_searches < connect_budget {
            let comp = components(minima.len(), &transition_states);
            let lowest = (0..minima.len()).min_by(|&a, &b| minima[a].1.total_cmp(&minima[b].1)).unwrap_or(0);
            let mut candidates_pairs: Vec<(f64, usize, usize)> = Vec::new();
            for b in (0..minima.len()).filter(|&b| comp[b] != comp[lowest]) {
                let near = (0..minima.len())
                    .filter(|&a| comp[a] == comp[lowest] && !tried.contains(&(a, b)))
                    .map(|a| (distance(&minima[a].0, &minima[b].0), a))
                    .min_by(|x, y| x.0.total_cmp(&y.0));
                if let Some((d, a)) = near {
                    candidates_pairs.push((d, a, b));
                }
            }
            candidates_pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
            let mut batch: Vec<(usize, usize)> = Vec::new();
            for &(_, a, b) in &candidates_pairs {
                if batch.len() < 2 && !batch.iter().any(|&(_, b2)| comp[b2] == comp[b]) {
                    batch.push((a, b));
                }
            }
            if batch.is_empty() {
                break;
            }
            tried.extend(batch.iter().copied());
            connect_searches += batch.len();
            let found: Vec<Candidate> =
                batch.par_iter().map(|&(a, b)| search(a, b, &minima[a].0, &minima[b].0, true).1).collect();
            register(found, &mut minima, &mut transition_states)?;
        }
        println!(
            "  {} bands ({refinable} to near minima, {refined} of those refined to index-1 saddles), {connect_searches} connection \
             searches -> {} distinct transition states joining two different minima; {} minima in all",
            pairs.len(),
            transition_states.len(),
            minima.len()
        );

        // 3. DG over the basin-hopping minima with the bands' path maxima as barriers (upper
        //    bounds; the refined transition states rarely join the band's own two ends), network
        //    of minima from the refined transition states (the seed's definition), misclassification.
        let bh_energies: Vec<f64> = minima[..n0].iter().map(|m| m.1).collect();
        let lo = bh_energies.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = band_edges.iter().map(|t| t.2).fold(bh_energies.iter().copied().fold(lo, f64::max), f64::max);
        let thresholds: Vec<f64> = (1..=50).map(|k| lo + (hi - lo) * 1.02 * k as f64 / 50.0).collect();
        let dg =
            DisconnectivityGraph::from_transition_states(&bh_energies, &band_edges, &thresholds, &DgParams::default())?;
        let style = DgStyle::default()
            .with_size(900, 520)
            .with_title(format!(
                "Digit classifier loss, λ = {lambda}: DG of {n0} minima, DNEB path maxima (seed 002 Fig. 7)"
            ))
            .with_energy_label("loss");
        std::fs::write(args.path(&format!("dg_{lambda}.svg")), dg.to_svg(&DgStyle { size_circles: false, ..style })?)?;
        let top_merge = band_edges.iter().map(|t| t.2).fold(lo, f64::max);
        println!(
            "  DG: {n0} minima in {:.4} .. {:.4}, highest band maximum {top_merge:.4} ({:.2}% above the lowest minimum)",
            lo,
            bh_energies.iter().copied().fold(lo, f64::max),
            100.0 * (top_merge - lo) / lo
        );
        let energies: Vec<f64> = minima.iter().map(|m| m.1).collect();
        let lo_all = energies.iter().copied().fold(f64::INFINITY, f64::min);
        let ts: Vec<(usize, usize, f64)> =
            transition_states.iter().map(|t| (t.minima.0, t.minima.1, t.energy)).collect();
        let network = NetworkOfMinima::new(&energies, &ts)?;
        let summary = network.summary();
        let random = network.random_equivalent(50, &mut task_rng(args.seed, 9, li as u64, 0))?;
        network_svg(
            &args.path(&format!("network_{lambda}.svg")),
            &network,
            &energies,
            &format!("Network of minima, λ = {lambda} (seed 002 Fig. 11): size = degree, colour = ln loss"),
        )?;
        let wrong: Vec<Vec<bool>> = minima
            .iter()
            .map(|(w, _)| test_net.predicted_classes(w).iter().zip(&y_test).map(|(p, y)| p != y).collect())
            .collect();
        let n = minima.len();
        let f: Vec<f64> = wrong.iter().map(|v| v.iter().filter(|&&b| b).count() as f64 / v.len() as f64).collect();
        let mut c = vec![0.0; n * n];
        let mut distance_pairs = Vec::new();
        for i in 0..n {
            for j in 0..n {
                c[i * n + j] =
                    wrong[i].iter().zip(&wrong[j]).filter(|(a, b)| a != b).count() as f64 / y_test.len() as f64;
                if i < j {
                    distance_pairs.push((distance(&minima[i].0, &minima[j].0), c[i * n + j]));
                }
            }
        }
        let correlation = pearson(&distance_pairs);
        let (fmin, fmax) = f.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        let fmean = f.iter().sum::<f64>() / n as f64;
        let fsd = (f.iter().map(|v| (v - fmean).powi(2)).sum::<f64>() / n as f64).sqrt();
        let off: Vec<f64> = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| c[i * n + j])
            .collect();
        println!(
            "  all {} minima: loss {:.4} .. {:.4} ({:.1}% of the lowest); test misclassification {fmin:.3} .. {fmax:.3} (mean {fmean:.3}, sd {fsd:.4}; \
             seed: 0.133 .. 0.162, mean 0.148, sd 0.0043); c_ij {:.3} .. {:.3}; corr(L2, c_ij) = {correlation:.2}",
            energies.len(),
            lo_all,
            energies.iter().copied().fold(lo_all, f64::max),
            100.0 * (energies.iter().copied().fold(lo_all, f64::max) - lo_all) / lo_all,
            off.iter().copied().fold(f64::INFINITY, f64::min),
            off.iter().copied().fold(0.0, f64::max),
        );
        println!(
            "  network: {} nodes, {} edges, mean degree {:.2}, average shortest path {:.2}, diameter {}, clustering {:.3}, {} components; \
             random graphs: path {:.2}, diameter {}, clustering {:.3} (seed: 142 nodes, 643 edges, degree 9.06, path 3.18, diameter 8)",
            summary.nodes,
            summary.edges,
            summary.mean_degree,
            summary.average_shortest_path,
            summary.diameter,
            summary.clustering,
            summary.components,
            random.average_shortest_path,
            random.diameter,
            random.clustering
        );
        let order = similarity_order(&c, n);
        let heat = heat_map_svg(&c, n, &order, lambda)?;
        let joint = joint_density_svg(&distance_pairs, lambda, correlation)?;
        let both = side_by_side(&[(heat, 460, 440), (joint, 460, 440)]);
        std::fs::write(args.path(&format!("misclassification_{lambda}.svg")), &both)?;
        svgs.push(both);
        records.push(LambdaRecord {
            lambda,
            minima_energies: energies,
            train_accuracy: minima.iter().map(|(w, _)| net.accuracy(w)).collect(),
            test_misclassified: f,
            transition_states,
            bands: pairs.len(),
            refined,
            network: summary,
            random_equivalent: random,
            misclassification_distance: c,
            distance_pairs,
            correlation,
            seconds: start.elapsed().as_secs_f64(),
        });
        println!("  {:.1} s", start.elapsed().as_secs_f64());
    }
    write_json(&args.path("record.json"), &records);
    println!("wrote {}", args.out.display());
    Ok(())
}

/// One minimum: energies within `1e-6` relative and canonical forms within `0.25`. The loose
/// distance is needed: L-BFGS stopped at RMS gradient `1e-6` leaves copies of one minimum up to
/// ~0.06 apart along its flat directions (measured: energies within `3e-7`), while distinct
/// minima differ by `~6e-5` in loss on average.
fn same(a: &[f64], ea: f64, b: &[f64], eb: f64) -> bool {
    (ea - eb).abs() <= 1e-6 * (1.0 + ea.abs()) && distance(a, b) < 0.25
}

/// The connected component of every minimum in the graph of transition states (union-find).
fn components(n: usize, ts: &[TransitionState]) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for t in ts {
        let (a, b) = (root(&mut parent, t.minima.0), root(&mut parent, t.minima.1));
        parent[a] = b;
    }
    (0..n).map(|x| root(&mut parent, x)).collect()
}

fn pearson(pairs: &[(f64, f64)]) -> f64 {
    let n = pairs.len() as f64;
    if n < 2.0 {
        return f64::NAN;
    }
    let (mx, my) = (pairs.iter().map(|p| p.0).sum::<f64>() / n, pairs.iter().map(|p| p.1).sum::<f64>() / n);
    let sxy: f64 = pairs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = pairs.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let syy: f64 = pairs.iter().map(|p| (p.1 - my).powi(2)).sum();
    sxy / (sxx * syy).sqrt()
}

/// An order of the minima that puts similar ones together: greedy nearest-neighbour chain in
/// `c`, starting from the lowest minimum.
fn similarity_order(c: &[f64], n: usize) -> Vec<usize> {
    let mut order = vec![0];
    let mut left: Vec<usize> = (1..n).collect();
    while !left.is_empty() {
        let last = *order.last().unwrap_or(&0);
        let (pos, _) =
            left.iter().enumerate().min_by(|a, b| c[last * n + a.1].total_cmp(&c[last * n + b.1])).unwrap_or((0, &0));
        order.push(left.remove(pos));
    }
    order
}

/// Seed 002 Fig. 8: `c_ij` as a heat map (viridis, 0 dark).
fn heat_map_svg(c: &[f64], n: usize, order: &[usize], lambda: f64) -> Res<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (460, 440)).into_drawing_area();
        root.fill(&WHITE)?;
        let top = c.iter().copied().fold(1e-12, f64::max);
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("Fig. 8: misclassification distance, λ = {lambda} (max {top:.3})"), ("sans-serif", 14))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(35)
            .build_cartesian_2d(0.0..n as f64, 0.0..n as f64)?;
        chart.configure_mesh().disable_mesh().x_desc("minimum (similarity order)").y_desc("minimum").draw()?;
        chart.draw_series((0..n).flat_map(|a| (0..n).map(move |b| (a, b))).map(|(a, b)| {
            let v = c[order[a] * n + order[b]] / top;
            Rectangle::new([(a as f64, b as f64), (a as f64 + 1.0, b as f64 + 1.0)], ViridisRGB::get_color(v).filled())
        }))?;
    }
    Ok(svg)
}

/// Seed 002 Fig. 9: joint density of the L2 distance and `c_ij` over pairs of minima (log colour).
fn joint_density_svg(pairs: &[(f64, f64)], lambda: f64, correlation: f64) -> Res<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (460, 440)).into_drawing_area();
        root.fill(&WHITE)?;
        let xmax = pairs.iter().map(|p| p.0).fold(1e-9, f64::max) * 1.05;
        let ymax = pairs.iter().map(|p| p.1).fold(1e-9, f64::max) * 1.05;
        let bins = 30;
        let mut counts = vec![0usize; bins * bins];
        for &(x, y) in pairs {
            let (i, j) = (((x / xmax) * bins as f64) as usize, ((y / ymax) * bins as f64) as usize);
            counts[i.min(bins - 1) * bins + j.min(bins - 1)] += 1;
        }
        let most = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("Fig. 9: pairs of minima, λ = {lambda} (corr {correlation:.2})"), ("sans-serif", 14))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(50)
            .build_cartesian_2d(0.0..xmax, 0.0..ymax)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("L2 distance (canonical weights)")
            .y_desc("misclassification distance")
            .draw()?;
        let (dx, dy) = (xmax / bins as f64, ymax / bins as f64);
        chart.draw_series(counts.iter().enumerate().filter(|p| *p.1 > 0).map(|(idx, &k)| {
            let (i, j) = (idx / bins, idx % bins);
            let v = (k as f64).ln() / most.ln().max(1e-9);
            Rectangle::new(
                [(i as f64 * dx, j as f64 * dy), ((i + 1) as f64 * dx, (j + 1) as f64 * dy)],
                ViridisRGB::get_color(v.clamp(0.0, 1.0)).filled(),
            )
        }))?;
    }
    Ok(svg)
}
