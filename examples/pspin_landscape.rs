//! Seed 002 Sec. VII A, Fig. 12-15: the landscape of the spherical 3-spin glass
//! `H = (1/N) Σ x_ijk w_i w_j w_k` on `|w|² = N` (Eq. 14).
//!
//! - Fig. 12: histograms of `H/N` at the minima reached from random starts on the sphere, for
//!   several `N` (one coupling realisation each): they narrow, as `N` grows, towards the threshold
//!   `-E_∞ = -2√(2/3) = -1.633`, bounded below by `-E_0 ≈ -1.657`.
//! - Fig. 14: the empirical variance of those energies against `N` (log-log, with its slope).
//! - Fig. 13 (numerical side): stationary points of every index, found by minimizing the
//!   squared Riemannian gradient from random starts, their index (negative Riemannian Hessian
//!   eigenvalues) against `H/N`: minima sit lowest, and the higher the index the higher the
//!   level.
//! - Fig. 15: a disconnectivity graph of the distinct minima of one instance, with seed 002's
//!   transition-state search: DNEB bands (elm-paths) between the pairs chosen by seed 003's
//!   minimum-spanning-tree exploration, each band's highest image refined by hybrid
//!   eigenvector-following on the radial form and kept as a transition state when, on the
//!   sphere, its Riemannian gradient is below 1e-6 and its Riemannian Hessian has exactly one
//!   negative eigenvalue (otherwise the band's path maximum, an upper bound, is the barrier).
//!
//! Minimizer: L-BFGS on the radial form `E(v) = H(√N v/|v|)` (the fast default; the seed used
//! gradient descent with a constant step until the gradient norm is below 1e-6 —
//! `SphericalPSpin::descend` — which finds the same minima, slower). Scale: default `N = 20, 50,
//! 100` with 300/200/100 starts and the DG at `N = 20`, about 20 s in release; `--full`: `N =
//! 20, 50, 100, 200` with 1000/600/300/150 starts and the DG at `N = 50`, 5 min 4 s (N = 200
//! takes 75 s alone; the 144 DNEB paths and their eigenvector-following refinements of the DG
//! 165 s; the seed's DGs are at `N = 50` and `100`). `--dg-n 100
//! --dg-minima 16` draws the DG at `N = 100` instead (9 min 52 s: 64 bands, 15 transition states;
//! the exploration runs its bands one after another on one core).
//!
//! Writes `target/figures/pspin_landscape/{pspin.svg, dg.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --example pspin_landscape [-- --full]
//! ```

use elm_core::reference::SphericalPSpin;
use elm_core::{Energy, Gradient, Lbfgs, LocalMinimizer, task_rng};
use elm_dg::{DgParams, DgStyle, DisconnectivityGraph};
use elm_examples::{ExampleArgs, central_difference_gradient, side_by_side, write_json};
use elm_paths::{BandMethod, ElasticBand, HybridEigenvectorFollowing, explore_minima, symmetric_eigen};
use plotters::prelude::*;
use rayon::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct SizeRecord {
    n: usize,
    starts: usize,
    /// `H/N` at each minimum reached (duplicates included, as the seed's histogram).
    energies: Vec<f64>,
    mean: f64,
    variance: f64,
    lowest: f64,
    seconds: f64,
}

#[derive(Serialize, Clone, Copy)]
struct StationaryPoint {
    energy_per_spin: f64,
    index: usize,
}

#[derive(Serialize)]
struct Record {
    threshold: f64,
    ground_bound: f64,
    sizes: Vec<SizeRecord>,
    variance_slope: f64,
    stationary_n: usize,
    stationary: Vec<StationaryPoint>,
    dg_n: usize,
    dg_minima: Vec<f64>,
    dg_paths: usize,
}

/// `½ |grad_R H|²` over the radial form: its zeros are the stationary points of every index.
/// Gradient by central differences (`2N` evaluations of `O(N³)`; fine for the small `N` here).
struct GradientNorm<'a>(&'a SphericalPSpin);

/// The distinct minima of an instance (up to `keep`, lowest first, energies `H`), the MST
/// exploration of the paths between them, and the refined transition states.
struct Explored {
    minima: Vec<(f64, Vec<f64>)>,
    exploration: elm_paths::Exploration,
    saddles: Vec<Vec<f64>>,
}

fn explore(
    h: &SphericalPSpin,
    found: &[(f64, Vec<f64>)],
    keep: usize,
    band: &ElasticBand,
) -> Result<Explored, Box<dyn std::error::Error>> {
    let n = h.spins();
    let mut sorted = found.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut minima: Vec<(f64, Vec<f64>)> = Vec::new();
    for (e, w) in sorted {
        let same = minima.iter().any(|(e2, w2)| {
            (e * n as f64 - e2).abs() < 1e-6 * n as f64
                && w.iter().zip(w2).map(|(a, b)| a * b).sum::<f64>() / n as f64 > 0.999
        });
        if !same {
            minima.push((e * n as f64, w));
        }
    }
    minima.truncate(keep);
    let energies: Vec<f64> = minima.iter().map(|m| m.0).collect();
    let saddles = std::sync::Mutex::new(Vec::new());
    // Seed 002's transition-state search: a DNEB band, its highest image refined by hybrid
    // eigenvector-following on the radial form (its radial direction is a zero mode, never the
    // lowest at a saddle), accepted on the sphere when the Riemannian gradient is below 1e-6 and
    // the Riemannian Hessian has exactly one negative eigenvalue; its energy is then the edge's
    // barrier (the band's path maximum, an upper bound, otherwise).
    let hef = HybridEigenvectorFollowing {
        gradient_tolerance: 1e-9,
        max_iterations: 300,
        zero_tolerance: 1e-4,
        ..Default::default()
    };
    let exploration = explore_minima(&energies, 4 * minima.len(), |i, j| {
        let Ok(r) = band.run(h, &minima[i].1, &minima[j].1) else { return Ok(None) };
        let s = &r.path.states;
        let Some(top) = r.path.highest() else { return Ok(Some(r.path_maximum)) };
        let top = top.clamp(1, s.len() - 2);
        let tangent: Vec<f64> = s[top + 1].iter().zip(&s[top - 1]).map(|(a, b)| a - b).collect();
        if let Ok(ts) = hef.refine(h, &s[top], Some(&tangent)) {
            let w = h.project(&ts.x);
            let e = h.hamiltonian(&w);
            let flat = h.riemannian_gradient(&w).iter().map(|g| g * g).sum::<f64>().sqrt() < 1e-6;
            let lo = energies[i].max(energies[j]);
            if flat && e >= lo - 1e-9 && e <= r.path_maximum + 1e-9 && index(h, &w).ok() == Some(1) {
                saddles.lock().expect("no panics").push(w);
                return Ok(Some(e));
            }
        }
        Ok(Some(r.path_maximum))
    })?;
    Ok(Explored { minima, exploration, saddles: saddles.into_inner().expect("no panics") })
}

impl Energy for GradientNorm<'_> {
    fn dim(&self) -> usize {
        self.0.spins()
    }
    fn energy(&self, v: &[f64]) -> f64 {
        let w = self.0.project(v);
        0.5 * self.0.riemannian_gradient(&w).iter().map(|g| g * g).sum::<f64>()
    }
}

impl Gradient for GradientNorm<'_> {
    fn energy_gradient(&self, v: &[f64], grad: &mut [f64]) -> f64 {
        central_difference_gradient(|x| self.energy(x), v, 1e-6, grad)
    }
}

/// Negative eigenvalues of the Riemannian Hessian (the normal zero mode excluded).
fn index(h: &SphericalPSpin, w: &[f64]) -> Result<usize, Box<dyn std::error::Error>> {
    let (values, _) = symmetric_eigen(&h.riemannian_hessian(w), h.spins())?;
    Ok(values.iter().filter(|&&v| v < -1e-6).count())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("pspin_landscape");
    let plan: Vec<(usize, usize)> = if args.full {
        vec![(20, 1000), (50, 600), (100, 300), (200, 150)]
    } else {
        vec![(20, 300), (50, 200), (100, 100)]
    };
    // `--dg-n N` draws the DG of another size of the plan (e.g. 100, the seed's second DG) and
    // `--dg-minima K` keeps its K lowest distinct minima.
    let dg_n = args.option("dg-n", if args.full { 50.0 } else { 20.0 }) as usize;
    if !plan.iter().any(|p| p.0 == dg_n) {
        return Err(format!("--dg-n {dg_n} is not one of the sizes run ({plan:?})").into());
    }
    let lbfgs = Lbfgs::default().with_gradient_tolerance(1e-9).with_max_iterations(20_000);

    // Fig. 12 and 14: minima from random starts.
    let mut sizes = Vec::new();
    let mut instances = std::collections::HashMap::new();
    for (k, &(n, starts)) in plan.iter().enumerate() {
        let t0 = std::time::Instant::now();
        let h = SphericalPSpin::sample(n, &mut task_rng(args.seed, 12, k as u64, 0))?;
        let found: Vec<(f64, Vec<f64>)> = (0..starts)
            .into_par_iter()
            .map(|s| {
                let mut v = h.random_point(&mut task_rng(args.seed, 12, k as u64, 1 + s as u64));
                lbfgs.minimize(&h, &mut v).map(|r| (r.energy / n as f64, h.project(&v)))
            })
            .collect::<Result<_, _>>()?;
        let energies: Vec<f64> = found.iter().map(|f| f.0).collect();
        let mean = energies.iter().sum::<f64>() / energies.len() as f64;
        let variance = energies.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / (energies.len() - 1) as f64;
        let lowest = energies.iter().copied().fold(f64::INFINITY, f64::min);
        let seconds = t0.elapsed().as_secs_f64();
        println!(
            "N = {n:>3}: {starts} minima, H/N mean {mean:.4}, variance {variance:.2e}, lowest {lowest:.4} ({seconds:.1} s)"
        );
        instances.insert(n, (h, found));
        sizes.push(SizeRecord { n, starts, energies, mean, variance, lowest, seconds });
    }
    let (lx, ly): (Vec<f64>, Vec<f64>) = sizes.iter().map(|s| ((s.n as f64).ln(), s.variance.ln())).unzip();
    let slope = {
        let (mx, my) = (lx.iter().sum::<f64>() / lx.len() as f64, ly.iter().sum::<f64>() / ly.len() as f64);
        lx.iter().zip(&ly).map(|(x, y)| (x - mx) * (y - my)).sum::<f64>()
            / lx.iter().map(|x| (x - mx).powi(2)).sum::<f64>()
    };
    println!("variance of H/N at the minima ~ N^{slope:.2} (Fig. 14)");

    // Fig. 15 (and the saddles of Fig. 13): DGs of the distinct minima, transition states by
    // DNEB + hybrid eigenvector-following along seed 003's MST exploration.
    let band = ElasticBand::default().with_method(BandMethod::DoublyNudged).with_images(12).with_max_iterations(3000);
    let t0 = std::time::Instant::now();
    let (h, found) = &instances[&dg_n];
    let keep = args.option("dg-minima", if args.full { 40.0 } else { 20.0 }) as usize;
    let map = explore(h, found, keep, &band)?;
    let paths = map.exploration.computed.len();
    let matrix = map.exploration.barrier_matrix()?;
    let mut dg = DisconnectivityGraph::from_barriers(&matrix, &DgParams::default())?;
    dg.set_labels(&map.minima.iter().map(|(e, _)| format!("{:.3}", e / dg_n as f64)).collect::<Vec<_>>())?;
    println!(
        "N = {dg_n}: DG of {} distinct minima, {paths} DNEB paths along the MST exploration, {} refined to index-1 transition states by hybrid eigenvector-following ({:.1} s)",
        map.minima.len(),
        map.saddles.len(),
        t0.elapsed().as_secs_f64()
    );
    let style = DgStyle::default().with_size(900, 520).with_title(format!(
        "spherical 3-spin glass, N = {dg_n}: {} minima, DNEB + EF transition states",
        map.minima.len()
    ));
    std::fs::write(args.path("dg.svg"), dg.to_svg(&style)?)?;
    let energies: Vec<f64> = map.minima.iter().map(|m| m.0).collect();

    // Fig. 13: stationary points of every index at N = 20: the minima of Fig. 12, the refined
    // transition states, and points of any index found by minimizing |grad_R H|² from random
    // starts; the index is the count of negative Riemannian Hessian eigenvalues.
    let stationary_n = 20;
    let (h20, found20) = &instances[&stationary_n];
    let map20 = if dg_n == stationary_n { map } else { explore(h20, found20, 20, &band)? };
    let mut stationary: Vec<StationaryPoint> = Vec::new();
    for w in map20.minima.iter().map(|m| &m.1).chain(&map20.saddles) {
        stationary
            .push(StationaryPoint { energy_per_spin: h20.hamiltonian(w) / stationary_n as f64, index: index(h20, w)? });
    }
    let starts13 = if args.full { 600 } else { 150 };
    let norm_energy = GradientNorm(h20);
    let points: Vec<Option<StationaryPoint>> = (0..starts13)
        .into_par_iter()
        .map(|s| -> Result<Option<StationaryPoint>, String> {
            let mut v = h20.random_point(&mut task_rng(args.seed, 13, 1, s as u64));
            let r = Lbfgs::default()
                .with_gradient_tolerance(1e-12)
                .with_max_iterations(5000)
                .minimize(&norm_energy, &mut v)
                .map_err(|e| e.to_string())?;
            let w = h20.project(&v);
            let g = h20.riemannian_gradient(&w).iter().map(|g| g * g).sum::<f64>().sqrt();
            // Keep true stationary points only (|grad_R| < 1e-5), not local minima of |g|².
            if g > 1e-5 || !r.energy.is_finite() {
                return Ok(None);
            }
            let k = index(h20, &w).map_err(|e| e.to_string())?;
            Ok(Some(StationaryPoint { energy_per_spin: h20.hamiltonian(&w) / stationary_n as f64, index: k }))
        })
        .collect::<Result<_, _>>()?;
    stationary.extend(points.into_iter().flatten());
    let max_index = stationary.iter().map(|p| p.index).max().unwrap_or(0);
    println!(
        "N = {stationary_n}: {} stationary points (minima, DNEB + EF saddles, |grad|² search), indices 0..={max_index}",
        stationary.len()
    );
    for k in 0..=max_index {
        let e: Vec<f64> = stationary.iter().filter(|p| p.index == k).map(|p| p.energy_per_spin).collect();
        if !e.is_empty() {
            let mean = e.iter().sum::<f64>() / e.len() as f64;
            let low = e.iter().copied().fold(f64::INFINITY, f64::min);
            println!("  index {k:>2}: {:>4} points, mean H/N {mean:.4}, lowest {low:.4}", e.len());
        }
    }

    // Figures 12-14.
    let (w, hgt) = (520u32, 420u32);
    let colours = [RGBColor(230, 120, 30), RGBColor(40, 150, 60), RGBColor(40, 80, 200), RGBColor(150, 40, 150)];
    let hist = {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (w, hgt)).into_drawing_area();
            root.fill(&WHITE)?;
            let (lo, hi, bins) = (-1.75, -1.0, 60);
            let width = (hi - lo) / bins as f64;
            let densities: Vec<Vec<f64>> = sizes
                .iter()
                .map(|s| {
                    let mut c = vec![0.0; bins];
                    for &e in &s.energies {
                        let b = ((e - lo) / width).floor();
                        if b >= 0.0 && (b as usize) < bins {
                            c[b as usize] += 1.0 / (s.energies.len() as f64 * width);
                        }
                    }
                    c
                })
                .collect();
            let top = densities.iter().flatten().copied().fold(1.0, f64::max) * 1.05;
            let mut chart = ChartBuilder::on(&root)
                .caption("Fig. 12: H/N at minima from random starts", ("sans-serif", 16))
                .margin(10)
                .x_label_area_size(35)
                .y_label_area_size(45)
                .build_cartesian_2d(lo..hi, 0.0..top)?;
            chart.configure_mesh().x_desc("H / N").y_desc("density").draw()?;
            for (k, (s, d)) in sizes.iter().zip(&densities).enumerate() {
                let c = colours[k % colours.len()];
                let steps: Vec<(f64, f64)> = d
                    .iter()
                    .enumerate()
                    .flat_map(|(b, &v)| [(lo + b as f64 * width, v), (lo + (b + 1) as f64 * width, v)])
                    .collect();
                chart
                    .draw_series(LineSeries::new(steps, c.stroke_width(2)))?
                    .label(format!("N = {}", s.n))
                    .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], c.stroke_width(2)));
            }
            for (x, c) in [(-SphericalPSpin::THRESHOLD, BLACK), (-SphericalPSpin::GROUND_BOUND, RED)] {
                chart.draw_series(LineSeries::new([(x, 0.0), (x, top)], c.stroke_width(1)))?;
            }
            chart.configure_series_labels().border_style(BLACK).background_style(WHITE.mix(0.8)).draw()?;
        }
        svg
    };
    let var = {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (w, hgt)).into_drawing_area();
            root.fill(&WHITE)?;
            let xs: Vec<f64> = sizes.iter().map(|s| s.n as f64).collect();
            let vs: Vec<f64> = sizes.iter().map(|s| s.variance).collect();
            let (vmin, vmax) = vs.iter().fold((f64::INFINITY, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
            let mut chart = ChartBuilder::on(&root)
                .caption(format!("Fig. 14: variance of H/N ~ N^{slope:.2}"), ("sans-serif", 16))
                .margin(10)
                .x_label_area_size(35)
                .y_label_area_size(55)
                .build_cartesian_2d(
                    (xs[0] * 0.8..xs[xs.len() - 1] * 1.25).log_scale(),
                    (vmin * 0.5..vmax * 2.0).log_scale(),
                )?;
            chart.configure_mesh().x_desc("N").y_desc("variance").y_label_formatter(&|v| format!("{v:.0e}")).draw()?;
            chart.draw_series(LineSeries::new(xs.iter().copied().zip(vs.iter().copied()), BLUE.stroke_width(2)))?;
            chart.draw_series(xs.iter().zip(&vs).map(|(&x, &v)| Circle::new((x, v), 4, BLUE.filled())))?;
        }
        svg
    };
    let idx = {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (w, hgt)).into_drawing_area();
            root.fill(&WHITE)?;
            let (lo, hi) = stationary.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                (a.min(p.energy_per_spin), b.max(p.energy_per_spin))
            });
            let (lo, hi) = if lo.is_finite() { (lo - 0.05, hi + 0.05) } else { (-2.0, 2.0) };
            let mut chart = ChartBuilder::on(&root)
                .caption(format!("Fig. 13: stationary points, N = {stationary_n}"), ("sans-serif", 16))
                .margin(10)
                .x_label_area_size(35)
                .y_label_area_size(45)
                .build_cartesian_2d(lo..hi, -0.5..(max_index as f64 + 0.5))?;
            chart.configure_mesh().x_desc("H / N").y_desc("Hessian index").draw()?;
            chart.draw_series(
                stationary.iter().map(|p| Circle::new((p.energy_per_spin, p.index as f64), 3, BLUE.mix(0.5).filled())),
            )?;
            chart.draw_series(LineSeries::new(
                [(-SphericalPSpin::THRESHOLD, -0.5), (-SphericalPSpin::THRESHOLD, max_index as f64 + 0.5)],
                BLACK.stroke_width(1),
            ))?;
        }
        svg
    };
    std::fs::write(args.path("pspin.svg"), side_by_side(&[(hist, w, hgt), (var, w, hgt), (idx, w, hgt)]))?;
    write_json(
        &args.path("record.json"),
        &Record {
            threshold: SphericalPSpin::THRESHOLD,
            ground_bound: SphericalPSpin::GROUND_BOUND,
            sizes,
            variance_slope: slope,
            stationary_n,
            stationary,
            dg_n,
            dg_minima: energies,
            dg_paths: paths,
        },
    );
    println!("wrote {}", args.out.display());
    Ok(())
}
