//! Seed 000 Sec. 5.4.2, Fig. 22: minimum-energy paths between minima of a *latent* energy
//! `E(z) = U(g(z)) + λ ||z||²/2` ([`LatentEnergy`]) by three methods — the 1-D linear
//! interpolation, a doubly nudged elastic band started from it (DNEB, [`BandMethod::DoublyNudged`]
//! with a climbing image), and Attraction-Diffusion — with the energy along each path and the
//! decoded images `g(z)` along each.
//!
//! The seed's finding: the DNEB path stays close to the linear one (its images "almost
//! identical"), while AD travels through a different and lower region of the landscape.
//!
//! Networks: the committed Co-Op pair of `coop_digits_generator` (digits 0-3 descriptor, 2-D
//! latent generator, 16x16 images). The seed used its ten-digit, 8-D latent, 64x64 pair; a 2-D
//! latent lets us also draw every path over the whole landscape. The prior: with `λ = 1`
//! (the generator's own `N(0, I)`) the minima of this energy lie at `|z| ≈ 8-9`, where the
//! generator extrapolates (the descriptor's energy keeps falling on saturated strokes), so
//! `--prior` defaults to 20, which holds them at `|z| ≈ 3` (measured: `λ = 5` gives `|z| ≈ 5`,
//! `λ = 50` gives `|z| ≈ 2`). The seed's Eq. 5.4 has no prior.
//!
//! Minima: L-BFGS from `--starts` (40) latent draws `z ~ N(0, I)`, stopping when the energy stops
//! falling ([`Lbfgs::with_energy_tolerance`]: this ReLU network in `f32` has no small gradient at
//! its minima), merged within 0.1. Paths between the lowest minimum and each of the next
//! `--pairs` (2) lowest.
//! - **1-D**: 64 evenly spaced points of the segment.
//! - **DNEB**: `--images` (16) movable images from the segment, spring 1, climbing image, to a
//!   largest image force of `--force` (0.5: forces of a kinked `f32` energy do not fall much
//!   lower) or 5000 iterations.
//! - **AD** (seed 000 Sec. 5.4.1's sampler): Metropolis-Hastings with Gaussian steps `ε = 0.025`
//!   (`--step`), `M = 150` (`--patience`), `δ = 0.3` (`--delta`), at `T` (`--temperature` 2: the
//!   seed's `T = 1200` is in its energy's units), `α` raised by 10% after every 5 failures
//!   from `--alpha` (5) until a trial reaches the target; the path of that trial.
//!
//! Writes `target/figures/latent_paths/{fig22.svg, plane.svg, images.svg, record.json}`: energy
//! profiles, the paths over the energy of `[-3.6, 3.6]^2`, and 8 decoded images along each path.
//!
//! ```text
//! cargo run --release -p elm-examples --features ebm --example latent_paths
//! ```

use elm_ad::{AdParams, AdSpace, AttractionDiffusion, ContinuousSpace, task_rng};
use elm_core::{Energy, Lbfgs, LocalMinimizer};
use elm_ebm::{ConvGenerator, Device, FrameNet, LatentEnergy, load_generator, load_weights};
use elm_examples::digits::{self, LEVELS, image_grid_svg};
use elm_examples::{ExampleArgs, write_json};
use elm_mcmc::RandomWalkMetropolis;
use elm_paths::{BandMethod, ElasticBand};
use plotters::prelude::*;
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;
use std::time::Instant;

/// Half-width of the drawn latent square.
const RANGE: f64 = 3.6;

#[derive(Serialize, Clone)]
struct Minimum {
    z: Vec<f64>,
    energy: f64,
    hits: usize,
    digit: u8,
    votes: usize,
}

#[derive(Serialize)]
struct Method {
    /// Points of the path (latent vectors) and their energies.
    points: Vec<Vec<f64>>,
    energies: Vec<f64>,
    /// Highest energy along the path.
    barrier: f64,
    /// Largest distance of a path point from the segment between the ends.
    off_segment: f64,
    /// Energy calls (DNEB) or MH steps (AD).
    work: usize,
    note: String,
}

#[derive(Serialize)]
struct Pair {
    from: usize,
    to: usize,
    linear: Method,
    dneb: Method,
    ad: Method,
    ad_alpha: f64,
    ad_failed_trials: usize,
}

#[derive(Serialize)]
struct Record {
    prior: f64,
    temperature: f64,
    step: f64,
    patience: usize,
    delta: f64,
    minima: Vec<Minimum>,
    pairs: Vec<Pair>,
    seconds: f64,
}

fn distance_to_segment(p: &[f64], a: &[f64], b: &[f64]) -> f64 {
    let ab: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    let ap: Vec<f64> = a.iter().zip(p).map(|(x, y)| y - x).collect();
    let len2: f64 = ab.iter().map(|v| v * v).sum();
    let t = (ap.iter().zip(&ab).map(|(u, v)| u * v).sum::<f64>() / len2.max(1e-300)).clamp(0.0, 1.0);
    ap.iter().zip(&ab).map(|(u, v)| (u - t * v).powi(2)).sum::<f64>().sqrt()
}

fn method(points: Vec<Vec<f64>>, energies: Vec<f64>, a: &[f64], b: &[f64], work: usize, note: String) -> Method {
    let barrier = energies.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let off_segment = points.iter().map(|p| distance_to_segment(p, a, b)).fold(0.0, f64::max);
    Method { points, energies, barrier, off_segment, work, note }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("latent_paths");
    let started = Instant::now();
    let data = digits::load()?;
    let device = Device::flex().autodiff();
    let descriptor = load_weights(FrameNet::seed(Some(1.0), LEVELS, &device), &digits::coop_descriptor_path())?;
    let generator = load_generator(ConvGenerator::seed(2, &device), &digits::generator_path())?;
    let prior = args.option("prior", 20.0);
    let energy = LatentEnergy::new(descriptor, generator, device).with_prior(prior);
    let image = |z: &[f64]| digits::quantize(&energy.decode(z));

    // Minima from latent draws.
    let minimizer = Lbfgs::default().with_energy_tolerance(1e-7);
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(args.seed);
    let mut minima: Vec<Minimum> = vec![];
    for _ in 0..args.option("starts", 40.0) as usize {
        let mut z: Vec<f64> = (0..2).map(|_| StandardNormal.sample(&mut rng)).collect();
        minimizer.minimize(&energy, &mut z)?;
        let e = energy.energy(&z);
        match minima.iter_mut().find(|m| m.z.iter().zip(&z).map(|(a, b)| (a - b).powi(2)).sum::<f64>() < 0.01) {
            Some(m) => m.hits += 1,
            None => {
                let (digit, votes, _) = digits::nearest_digit(&data, &image(&z));
                minima.push(Minimum { z, energy: e, hits: 1, digit, votes });
            }
        }
    }
    minima.sort_by(|a, b| a.energy.total_cmp(&b.energy));
    for (k, m) in minima.iter().enumerate() {
        println!(
            "minimum {k}: z = ({:+.2}, {:+.2}), E = {:.2}, {} of the starts, looks like {} ({}/5 nearest)",
            m.z[0], m.z[1], m.energy, m.hits, m.digit, m.votes
        );
    }
    if minima.len() < 2 {
        return Err("fewer than two latent minima: nothing to connect".into());
    }

    let t = args.option("temperature", 2.0);
    let step = args.option("step", 0.025);
    let patience = args.option("patience", 150.0) as usize;
    let delta = args.option("delta", 0.3);
    let alpha0 = args.option("alpha", 5.0);
    let space = ContinuousSpace::new(
        energy.clone(),
        RandomWalkMetropolis::default().with_step_size(step).with_temperature(t),
        minimizer,
    );
    let band = ElasticBand::default()
        .with_method(BandMethod::DoublyNudged)
        .with_images(args.option("images", 16.0) as usize)
        .with_climbing(true)
        .with_force_tolerance(args.option("force", 0.5))
        .with_max_iterations(5000);
    let mut pairs = vec![];
    for to in 1..=(args.option("pairs", 2.0) as usize).min(minima.len() - 1) {
        let (a, b) = (minima[0].z.clone(), minima[to].z.clone());
        let line: Vec<Vec<f64>> = (0..64)
            .map(|k| {
                let f = k as f64 / 63.0;
                a.iter().zip(&b).map(|(x, y)| (1.0 - f) * x + f * y).collect()
            })
            .collect();
        let line_e: Vec<f64> = line.iter().map(|z| energy.energy(z)).collect();
        let linear = method(line, line_e, &a, &b, 64, String::new());

        let report = band.run(&energy, &a, &b)?;
        let dneb = method(
            report.path.states.clone(),
            report.path.energies.clone(),
            &a,
            &b,
            report.evaluations,
            format!(
                "{:?} after {} iterations, largest image force {:.3}, highest point on the band {:.2}",
                report.reason, report.iterations, report.max_force, report.path_maximum
            ),
        );

        let mut found = None;
        let mut failed = 0;
        for k in 0..300u64 {
            let alpha = alpha0 * 1.1f64.powi((k / 5) as i32);
            let ad = AttractionDiffusion::new(
                AdParams::default()
                    .with_alpha(alpha)
                    .with_patience(patience)
                    .with_delta(delta)
                    .with_max_sweeps(50_000)
                    .with_path(true),
            )?;
            let out = space.trial(&ad, &a, &b, &mut task_rng(args.seed, 22, to as u64, k))?;
            if out.success {
                found = Some((alpha, out));
                break;
            }
            failed += 1;
        }
        let (ad_alpha, out) = found.ok_or("no AD trial reached the target")?;
        let path = out.path.ok_or("path recorded")?;
        let mut points = path.states;
        let mut energies = path.energies;
        // The trial stops within δ of the target: close the path there.
        points.push(b.clone());
        energies.push(minima[to].energy);
        let ad = method(points, energies, &a, &b, out.sweeps, format!("alpha {ad_alpha:.3}, {failed} failed trials before"));
        println!(
            "minimum 0 ({}) -> minimum {to} ({}): barrier 1-D {:.2}, DNEB {:.2} ({}; {} energy calls; {:.2} off the segment), AD {:.2} ({}; {} MH steps; {:.2} off the segment)",
            minima[0].digit,
            minima[to].digit,
            linear.barrier,
            dneb.barrier,
            dneb.note,
            dneb.work,
            dneb.off_segment,
            ad.barrier,
            ad.note,
            ad.work,
            ad.off_segment
        );
        pairs.push(Pair { from: 0, to, linear, dneb, ad, ad_alpha, ad_failed_trials: failed });
    }

    // Energy profiles against the fraction of the path's length.
    let n_pairs = pairs.len();
    {
        let fig = args.path("fig22.svg");
        let root = SVGBackend::new(&fig, (520 * n_pairs as u32, 380)).into_drawing_area();
        root.fill(&WHITE)?;
        for (area, p) in root.split_evenly((1, n_pairs)).iter().zip(&pairs) {
            let all: Vec<f64> =
                [&p.linear.energies, &p.dneb.energies, &p.ad.energies].iter().flat_map(|v| v.iter().copied()).collect();
            let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let pad = 0.05 * (hi - lo).max(1e-9);
            let mut chart = ChartBuilder::on(area)
                .caption(
                    format!("minimum 0 ({}) -> minimum {} ({})", minima[0].digit, p.to, minima[p.to].digit),
                    ("sans-serif", 16),
                )
                .margin(12)
                .x_label_area_size(36)
                .y_label_area_size(56)
                .build_cartesian_2d(0.0..1.0, (lo - pad)..(hi + pad))?;
            chart.configure_mesh().x_desc("fraction of path length").y_desc("E(z)").draw()?;
            for (m, colour, name) in [
                (&p.linear, RGBColor(120, 120, 120), "1-D linear"),
                (&p.dneb, RGBColor(31, 119, 180), "DNEB"),
                (&p.ad, RGBColor(214, 39, 40), "AD"),
            ] {
                let lengths = arc_fractions(&m.points);
                chart
                    .draw_series(LineSeries::new(lengths.into_iter().zip(m.energies.iter().copied()), colour.stroke_width(2)))?
                    .label(format!("{name}: max {:.1}", m.barrier))
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2)));
            }
            chart.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw()?;
        }
    }

    // The paths over the plane.
    let n = 49;
    let grid: Vec<f64> = (0..n)
        .flat_map(|i| {
            (0..n).flat_map(move |j| {
                [-RANGE + 2.0 * RANGE * j as f64 / (n - 1) as f64, RANGE - 2.0 * RANGE * i as f64 / (n - 1) as f64]
            })
        })
        .collect();
    let mut plane = vec![0.0; n * n];
    energy.energy_batch(ndarray::ArrayView2::from_shape((n * n, 2), &grid)?, &mut plane);
    let lo = plane.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = plane.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut lines = vec![];
    for p in &pairs {
        lines.push((p.linear.points.clone(), "#777777", true));
        lines.push((p.dneb.points.clone(), "#1f77b4", false));
        lines.push((p.ad.points.clone(), "#d62728", false));
    }
    let marks: Vec<([f64; 2], String)> =
        minima.iter().enumerate().map(|(k, m)| ([m.z[0], m.z[1]], format!("{k}: {}", m.digit))).collect();
    std::fs::write(
        args.path("plane.svg"),
        plane_svg(
            &plane,
            n,
            &lines,
            &marks,
            &format!(
                "E(z) = U(g(z)) + {prior}|z|^2/2 over [-{RANGE}, {RANGE}]^2 ({lo:.0} to {hi:.0}, darker lower); grey dashed 1-D, blue DNEB, red AD"
            ),
        ),
    )?;

    // Eight decoded images along each path.
    let mut shown: Vec<Vec<u8>> = vec![];
    let mut labels = vec![];
    for p in &pairs {
        for (m, name) in [(&p.linear, "1-D"), (&p.dneb, "DNEB"), (&p.ad, "AD")] {
            let fractions = arc_fractions(&m.points);
            for k in 0..8 {
                let f = k as f64 / 7.0;
                let i = fractions.iter().position(|&x| x >= f - 1e-12).unwrap_or(m.points.len() - 1);
                shown.push(image(&m.points[i]));
                labels.push(if k == 0 { format!("{name} 0-{}", p.to) } else { format!("{:.0}", m.energies[i]) });
            }
        }
    }
    let refs: Vec<&[u8]> = shown.iter().map(Vec::as_slice).collect();
    std::fs::write(
        args.path("images.svg"),
        image_grid_svg(
            &refs,
            LEVELS,
            8,
            4,
            "g(z) at 8 points evenly spaced by length along each path; E(z) below",
            &labels,
        ),
    )?;

    let record = Record {
        prior,
        temperature: t,
        step,
        patience,
        delta,
        minima,
        pairs,
        seconds: started.elapsed().as_secs_f64(),
    };
    write_json(&args.path("record.json"), &record);
    println!("{:.0} s; figures and record in {}", record.seconds, args.out.display());
    Ok(())
}

/// Cumulative length along a polyline, as fractions of its total.
fn arc_fractions(points: &[Vec<f64>]) -> Vec<f64> {
    let mut acc = vec![0.0];
    for w in points.windows(2) {
        let d = w[0].iter().zip(&w[1]).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
        acc.push(acc.last().copied().unwrap_or(0.0) + d);
    }
    let total = acc.last().copied().unwrap_or(1.0).max(1e-300);
    acc.iter().map(|v| v / total).collect()
}

/// The energy of an `n x n` grid over `[-RANGE, RANGE]^2` (row-major, top row first) in grey,
/// with polylines (colour, dashed) and labelled marks.
fn plane_svg(values: &[f64], n: usize, lines: &[(Vec<Vec<f64>>, &str, bool)], marks: &[([f64; 2], String)], title: &str) -> String {
    let (size, margin) = (560.0, 40.0);
    let inner = size - 2.0 * margin;
    let px = |v: f64| margin + (v + RANGE) / (2.0 * RANGE) * inner;
    let py = |v: f64| size - px(v);
    let mut svg = format!(
        "<svg width=\"{size}\" height=\"{h}\" viewBox=\"0 0 {size} {h}\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"8\" y=\"22\" font-family=\"sans-serif\" font-size=\"11\">{title}</text>\n",
        h = size + 10.0
    );
    let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    // Grid point (i, j) sits at z = (-R + 2R j/(n-1), R - 2R i/(n-1)): a cell centred on it.
    let cell = inner / (n - 1) as f64;
    for (k, v) in values.iter().enumerate() {
        let shade = (60.0 + 195.0 * (v - lo) / (hi - lo).max(1e-12)) as u8;
        svg.push_str(&format!(
            "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"rgb({shade},{shade},{shade})\"/>\n",
            margin + (k % n) as f64 * cell - cell / 2.0,
            margin + (k / n) as f64 * cell - cell / 2.0,
            cell + 0.3,
            cell + 0.3
        ));
    }
    for (points, colour, dashed) in lines {
        let d: Vec<String> = points.iter().map(|p| format!("{:.1},{:.1}", px(p[0]), py(p[1]))).collect();
        svg.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{}/>\n",
            d.join(" "),
            if *dashed { " stroke-dasharray=\"6 4\"" } else { "" }
        ));
    }
    for (z, label) in marks {
        svg.push_str(&format!(
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"#ffdd00\" stroke=\"black\"/><text x=\"{tx:.1}\" y=\"{y:.1}\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#ffdd00\" stroke=\"black\" stroke-width=\"0.3\">{label}</text>\n",
            x = px(z[0]),
            y = py(z[1]),
            tx = px(z[0]) + 7.0
        ));
    }
    svg.push_str(&format!(
        "<text x=\"{margin}\" y=\"{}\" font-family=\"sans-serif\" font-size=\"12\">z1 (right) and z2 (up) from -{RANGE} to {RANGE}</text>\n</svg>\n",
        size + 2.0
    ));
    svg
}
