//! Seed 000 Sec. 5.4.2, Fig. 22: minimum-energy paths between minima of a *latent* energy
//! `E(z) = U(g(z)) + λ ||z||²/2` ([`LatentEnergy`]) by three methods — the 1-D linear
//! interpolation, a doubly nudged elastic band started from it (DNEB, [`BandMethod::DoublyNudged`]
//! with a climbing image), and Attraction-Diffusion — with the energy along each path and the
//! decoded images `g(z)` along each.
//!
//! The seed's finding: the DNEB path stays close to the linear one (its images "almost
//! identical"), while AD travels through a different and lower region of the landscape.
//!
//! Networks (`--model`): **10** (default), the ten-digit Co-Op pair of `latent_digits` (8-D latent,
//! 16x16 images, energy `U = F/(ε²/2)` with `ε = 0.01`, no prior — seed Eq. 5.4 as written; the
//! seed's pair was 64x64); **4**, the digits 0-3 pair of `coop_digits_generator` (2-D latent),
//! whose minima lie at `|z| ≈ 8-9` with the generator's own prior `λ = 1`, where the generator
//! extrapolates, so `--prior` defaults to 20 there (minima at `|z| ≈ 3`). `--use-trained 1`
//! loads `descriptor.bpk` / `generator.bpk` from the output folder instead of the committed pair.
//! The plane figure is the latent plane for a 2-D latent and otherwise the slice through minima
//! 0, 1 and 2 (paths projected onto it).
//!
//! Minima: L-BFGS from `--starts` (40) latent draws `z ~ N(0, I)`, stopping when the energy stops
//! falling ([`Lbfgs::with_energy_tolerance`]: this ReLU network in `f32` has no small gradient at
//! its minima), merged within 0.1. Paths between the lowest minimum and each of the next
//! `--pairs` (2) lowest.
//! - **1-D**: 64 evenly spaced points of the segment.
//! - **DNEB**: `--images` (16) movable images from the segment, spring 1, climbing image, to a
//!   largest image force of `--force` (model 4: 0.5, forces of a kinked `f32` energy do not fall
//!   much lower; model 10: 50) or `--band-iterations` (2000).
//! - **AD** (seed 000 Sec. 5.4.1's sampler): Metropolis-Hastings with Gaussian steps `ε = 0.025`
//!   (`--step`), `M = 150` (`--patience`), `δ = 0.3` (`--delta`), at `T` (`--temperature`; model
//!   4: 2, model 10: 100 — the seed's `T = 1200` is in its energy's units), `α` raised by 10%
//!   after every 5 failures from `--alpha` (model 4: 5, model 10: 100) until a trial reaches the
//!   target; the path of that trial. The model-10 defaults are not tuned yet.
//!
//! Writes `target/figures/latent_paths/{fig22.svg, plane.svg, images.svg, record.json}`: energy
//! profiles, the paths over the plane described above, and 8 decoded images along each path.
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
    // `--model 10` (default): the ten-digit, 8-D latent pair of `latent_digits`, whose energy is
    // the descriptor's own `U = F/(ε²/2)`; `--model 4`: the digits 0-3, 2-D latent pair of
    // `coop_digits_generator` (its descriptor's output is `U`).
    let ten = args.option("model", 10.0) as usize != 4;
    let data = if ten { digits::load_ten()? } else { digits::load()? };
    let device = Device::flex().autodiff();
    let (latent, descriptor_path, generator_path, scale, default_prior) = if ten {
        (8, digits::coop10_descriptor_path(), digits::coop10_generator_path(), 2.0 / (0.01f64 * 0.01), 0.0)
    } else {
        (2, digits::coop_descriptor_path(), digits::generator_path(), 1.0, 20.0)
    };
    let (descriptor_path, generator_path) = if args.option("use-trained", 0.0) > 0.0 {
        (args.path("descriptor.bpk"), args.path("generator.bpk"))
    } else {
        (descriptor_path, generator_path)
    };
    let descriptor = load_weights(FrameNet::seed(Some(1.0), LEVELS, &device), &descriptor_path)?;
    let generator = load_generator(ConvGenerator::seed(latent, &device), &generator_path)?;
    let prior = args.option("prior", default_prior);
    let energy = LatentEnergy::new(descriptor, generator, device).with_scale(scale).with_prior(prior);
    let image = |z: &[f64]| digits::quantize(&energy.decode(z));

    // Minima from latent draws.
    let minimizer = Lbfgs::default().with_energy_tolerance(1e-7);
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(args.seed);
    let mut minima: Vec<Minimum> = vec![];
    for _ in 0..args.option("starts", 40.0) as usize {
        let mut z: Vec<f64> = (0..latent).map(|_| StandardNormal.sample(&mut rng)).collect();
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
            "minimum {k}: |z| = {:.2}, E = {:.2}, {} of the starts, looks like {} ({}/5 nearest)",
            norm(&m.z),
            m.energy,
            m.hits,
            m.digit,
            m.votes
        );
    }
    if minima.len() < 2 {
        return Err("fewer than two latent minima: nothing to connect".into());
    }

    // Defaults per model (the energies differ by four orders of magnitude): see the doc comment.
    let (t_default, alpha_default, force_default) = if ten { (100.0, 100.0, 50.0) } else { (2.0, 5.0, 0.5) };
    let t = args.option("temperature", t_default);
    let step = args.option("step", 0.025);
    let patience = args.option("patience", 150.0) as usize;
    let delta = args.option("delta", 0.3);
    let alpha0 = args.option("alpha", alpha_default);
    let space = ContinuousSpace::new(
        energy.clone(),
        RandomWalkMetropolis::default().with_step_size(step).with_temperature(t),
        minimizer,
    );
    let band = ElasticBand::default()
        .with_method(BandMethod::DoublyNudged)
        .with_images(args.option("images", 16.0) as usize)
        .with_climbing(true)
        .with_force_tolerance(args.option("force", force_default))
        .with_max_iterations(args.option("band-iterations", 2000.0) as usize);
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
        let ad =
            method(points, energies, &a, &b, out.sweeps, format!("alpha {ad_alpha:.3}, {failed} failed trials before"));
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
                    .draw_series(LineSeries::new(
                        lengths.into_iter().zip(m.energies.iter().copied()),
                        colour.stroke_width(2),
                    ))?
                    .label(format!("{name}: max {:.1}", m.barrier))
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2)));
            }
            chart.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw()?;
        }
    }

    // The paths over the plane.
    // The paths over a plane: the latent plane itself for a 2-D latent, otherwise the affine
    // slice through minima 0, 1 and 2 (it holds both 1-D segments; the other paths are drawn
    // projected onto it).
    let slice = Slice::new(latent, &minima);
    let n = 49;
    let mut grid = Vec::with_capacity(n * n * latent);
    for i in 0..n {
        for j in 0..n {
            let u = slice.center[0] - slice.half + 2.0 * slice.half * j as f64 / (n - 1) as f64;
            let v = slice.center[1] + slice.half - 2.0 * slice.half * i as f64 / (n - 1) as f64;
            grid.extend(slice.point(u, v));
        }
    }
    let mut plane = vec![0.0; n * n];
    energy.energy_batch(ndarray::ArrayView2::from_shape((n * n, latent), &grid)?, &mut plane);
    let lo = plane.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = plane.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut lines = vec![];
    for p in &pairs {
        for (m, colour, dashed) in
            [(&p.linear, "#777777", true), (&p.dneb, "#1f77b4", false), (&p.ad, "#d62728", false)]
        {
            lines.push((m.points.iter().map(|z| slice.project(z)).collect::<Vec<_>>(), colour, dashed));
        }
    }
    let marks: Vec<([f64; 2], String)> =
        minima.iter().enumerate().take(3).map(|(k, m)| (slice.project(&m.z), format!("{k}: {}", m.digit))).collect();
    let what = if latent == 2 {
        format!("the latent plane, z1 right, z2 up, [-{RANGE}, {RANGE}]^2")
    } else {
        "the slice through minima 0, 1, 2 (paths projected)".to_string()
    };
    std::fs::write(
        args.path("plane.svg"),
        plane_svg(
            &plane,
            n,
            &slice,
            &lines,
            &marks,
            &format!("E(z) on {what}: {lo:.0} to {hi:.0}, darker lower; grey dashed 1-D, blue DNEB, red AD"),
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

fn norm(z: &[f64]) -> f64 {
    z.iter().map(|v| v * v).sum::<f64>().sqrt()
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

/// A 2-D affine slice `z = origin + u e1 + v e2` of the latent space, drawn over the square of
/// half-width `half` around `center` (in `(u, v)`).
struct Slice {
    origin: Vec<f64>,
    e1: Vec<f64>,
    e2: Vec<f64>,
    center: [f64; 2],
    half: f64,
}

impl Slice {
    fn new(latent: usize, minima: &[Minimum]) -> Self {
        let unit = |k: usize| (0..latent).map(|i| f64::from(u8::from(i == k))).collect::<Vec<f64>>();
        if latent == 2 {
            return Self { origin: vec![0.0; 2], e1: unit(0), e2: unit(1), center: [0.0, 0.0], half: RANGE };
        }
        let origin = minima[0].z.clone();
        let diff = |k: usize| -> Vec<f64> {
            minima.get(k).map_or_else(|| unit(k % latent), |m| m.z.iter().zip(&origin).map(|(a, b)| a - b).collect())
        };
        let normalize = |v: Vec<f64>| {
            let l = norm(&v).max(1e-300);
            v.into_iter().map(|x| x / l).collect::<Vec<f64>>()
        };
        let e1 = normalize(diff(1));
        let d2 = diff(2);
        let along: f64 = d2.iter().zip(&e1).map(|(a, b)| a * b).sum();
        let e2 = normalize(d2.iter().zip(&e1).map(|(a, b)| a - along * b).collect());
        let mut slice = Self { origin, e1, e2, center: [0.0, 0.0], half: 1.0 };
        let points: Vec<[f64; 2]> = minima.iter().take(3).map(|m| slice.project(&m.z)).collect();
        let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for p in &points {
            for a in 0..2 {
                lo[a] = lo[a].min(p[a]);
                hi[a] = hi[a].max(p[a]);
            }
        }
        slice.center = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
        slice.half = 0.75 * (hi[0] - lo[0]).max(hi[1] - lo[1]).max(1.0);
        slice
    }

    fn point(&self, u: f64, v: f64) -> Vec<f64> {
        self.origin.iter().zip(self.e1.iter().zip(&self.e2)).map(|(o, (a, b))| o + u * a + v * b).collect()
    }

    fn project(&self, z: &[f64]) -> [f64; 2] {
        let d: Vec<f64> = z.iter().zip(&self.origin).map(|(a, b)| a - b).collect();
        [d.iter().zip(&self.e1).map(|(a, b)| a * b).sum(), d.iter().zip(&self.e2).map(|(a, b)| a * b).sum()]
    }
}

/// The energy of an `n x n` grid over a slice (row-major, top row first) in grey, with
/// polylines (colour, dashed) and labelled marks, all in slice coordinates.
fn plane_svg(
    values: &[f64],
    n: usize,
    slice: &Slice,
    lines: &[(Vec<[f64; 2]>, &str, bool)],
    marks: &[([f64; 2], String)],
    title: &str,
) -> String {
    let (size, margin) = (560.0, 40.0);
    let inner = size - 2.0 * margin;
    let px = |v: f64| margin + (v - slice.center[0] + slice.half) / (2.0 * slice.half) * inner;
    let py = |v: f64| margin + (slice.center[1] + slice.half - v) / (2.0 * slice.half) * inner;
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
    // Paths that leave the drawn square are clipped to it.
    svg.push_str(&format!(
        "<clipPath id=\"square\"><rect x=\"{margin}\" y=\"{margin}\" width=\"{inner}\" height=\"{inner}\"/></clipPath>\n"
    ));
    for (points, colour, dashed) in lines {
        let d: Vec<String> = points.iter().map(|p| format!("{:.1},{:.1}", px(p[0]), py(p[1]))).collect();
        svg.push_str(&format!(
            "<polyline clip-path=\"url(#square)\" points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{}/>\n",
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
    svg.push_str("</svg>\n");
    svg
}
