//! Shared plumbing of the elm example programs: command-line flags, the output folder
//! `target/figures/<example>/`, and JSON records.
//!
//! Every example prints a short summary, writes its figures as SVG and the numbers behind
//! them as JSON, runs at a small default scale in well under a minute in release mode, and
//! takes `--full` for the paper's scale.

#![warn(missing_docs)]

pub mod digits;
pub mod ising;
pub mod regression;
pub mod sawtooth;
pub mod sk;
pub mod triatomic;

/// The workspace README's code sample (the quick-start), compiled and run as a doctest. It
/// lives here, in the unpublished examples crate, so that no published crate includes a file
/// from outside its package.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
pub mod toy2d;

use serde::Serialize;
use std::path::{Path, PathBuf};

/// Command-line options every example understands.
#[derive(Debug, Clone)]
pub struct ExampleArgs {
    /// Run at the paper's scale (`--full`).
    pub full: bool,
    /// Seed of the example's RNG (`--seed N`, default 2019).
    pub seed: u64,
    /// Output folder (`--out DIR`, default `target/figures/<example>`).
    pub out: PathBuf,
    /// Resume a long run from its checkpoint in the output folder (`--resume`).
    pub resume: bool,
    /// Example-specific numeric options (`--name value`, e.g. `--alpha 10`).
    pub options: std::collections::BTreeMap<String, f64>,
}

impl ExampleArgs {
    /// Parses `std::env::args()` for the example called `name`, creating the output folder.
    ///
    /// `--help` prints the usage and exits; an unknown flag or a malformed value prints what is
    /// wrong and the usage to standard error and exits with status 2 (examples are programs, not
    /// library code). An output folder that cannot be created exits with status 1.
    pub fn parse(name: &str) -> Self {
        let usage = format!("usage: {name} [--full] [--resume] [--seed N] [--out DIR] [--NAME VALUE]...");
        let fail = |what: String| -> ! {
            eprintln!("{name}: {what}\n{usage}");
            std::process::exit(2)
        };
        let mut full = false;
        let mut resume = false;
        let mut options = std::collections::BTreeMap::new();
        let mut seed = 2019;
        let mut out = default_out(name);
        let mut args = std::env::args().skip(1);
        while let Some(a) = args.next() {
            match a.as_str() {
                "--help" | "-h" => {
                    println!("{usage}\n(the example's doc comment lists its numeric options)");
                    std::process::exit(0)
                }
                "--full" => full = true,
                "--resume" => resume = true,
                "--seed" => {
                    seed = args
                        .next()
                        .and_then(|v| v.parse().ok())
                        .unwrap_or_else(|| fail("--seed takes an integer".into()))
                }
                "--out" => out = PathBuf::from(args.next().unwrap_or_else(|| fail("--out takes a folder".into()))),
                other if other.starts_with("--") && other.len() > 2 => {
                    let value = args.next().and_then(|v| v.parse::<f64>().ok());
                    let value = value.unwrap_or_else(|| fail(format!("{other} takes a number")));
                    options.insert(other[2..].to_string(), value);
                }
                other => fail(format!("unknown argument {other}")),
            }
        }
        if let Err(e) = std::fs::create_dir_all(&out) {
            eprintln!("{name}: cannot create the output folder {}: {e}", out.display());
            std::process::exit(1)
        }
        Self { full, seed, out, resume, options }
    }

    /// The numeric option `--name`, or `default`.
    pub fn option(&self, name: &str, default: f64) -> f64 {
        self.options.get(name).copied().unwrap_or(default)
    }

    /// `out/<file>`.
    pub fn path(&self, file: &str) -> PathBuf {
        self.out.join(file)
    }
}

/// `target/figures/<name>` of this workspace.
pub fn default_out(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("target"));
    target.join("figures").join(name)
}

/// Writes `value` as pretty JSON to `path`.
///
/// # Panics
/// If the file cannot be written.
pub fn write_json<T: Serialize>(path: &Path, value: &T) {
    let text = serde_json::to_string_pretty(value).expect("records serialize");
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Central-difference gradient of `f` at `x` with step `h` into `grad` (for the examples'
/// small energies whose analytic gradient is not worth writing); returns `f(x)`.
pub fn central_difference_gradient(f: impl Fn(&[f64]) -> f64, x: &[f64], h: f64, grad: &mut [f64]) -> f64 {
    let mut y = x.to_vec();
    for i in 0..x.len() {
        y[i] = x[i] + h;
        let p = f(&y);
        y[i] = x[i] - h;
        let m = f(&y);
        y[i] = x[i];
        grad[i] = (p - m) / (2.0 * h);
    }
    f(x)
}

/// Places complete SVG documents side by side in one SVG document (each keeps its own
/// coordinates), e.g. a landscape next to its disconnectivity graph.
pub fn side_by_side(panels: &[(String, u32, u32)]) -> String {
    let width: u32 = panels.iter().map(|p| p.1).sum();
    let height = panels.iter().map(|p| p.2).max().unwrap_or(0);
    let mut out = format!(
        "<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\n"
    );
    let mut x = 0;
    for (svg, w, _) in panels {
        let body = svg.trim_start_matches(|c| c != '<');
        let body = if body.starts_with("<?xml") { &body[body.find("?>").map_or(0, |i| i + 2)..] } else { body };
        out.push_str(&format!("<g transform=\"translate({x},0)\">\n{}\n</g>\n", body.trim()));
        x += w;
    }
    out.push_str("</svg>\n");
    out
}

/// The network of minima (seed 002 Fig. 10-11) on a circle, node size by degree, colour by
/// `ln E` (energies must be positive, as training losses are), written to `file`.
///
/// # Errors
/// Drawing or writing the file fails.
pub fn network_svg(
    file: &Path,
    network: &elm_dg::NetworkOfMinima,
    energies: &[f64],
    title: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    use plotters::prelude::*;
    let root = SVGBackend::new(file, (600, 600)).into_drawing_area();
    root.fill(&WHITE)?;
    let n = energies.len();
    let pos: Vec<(i32, i32)> = (0..n)
        .map(|k| {
            let a = 2.0 * std::f64::consts::PI * k as f64 / n as f64;
            ((300.0 + 260.0 * a.cos()) as i32, (300.0 + 260.0 * a.sin()) as i32)
        })
        .collect();
    let g = network.graph();
    for e in g.edge_indices() {
        let (a, b) = g.edge_endpoints(e).ok_or("edge without ends")?;
        root.draw(&PathElement::new(vec![pos[a.index()], pos[b.index()]], BLACK.mix(0.3)))?;
    }
    let degrees = network.degrees();
    let lo = energies.iter().copied().fold(f64::INFINITY, f64::min).ln();
    let hi = energies.iter().copied().fold(f64::NEG_INFINITY, f64::max).ln();
    for k in 0..n {
        let t = if hi > lo { (energies[k].ln() - lo) / (hi - lo) } else { 0.0 };
        root.draw(&Circle::new(pos[k], 3 + 2 * degrees[k].min(12) as i32, ViridisRGB::get_color(t).filled()))?;
    }
    root.draw(&Text::new(title, (20, 10), ("sans-serif", 14)))?;
    root.present()?;
    Ok(())
}

/// Müller-Brown figures: the plot window and the energy heat map under paths and minima.
pub mod muller_brown {
    use elm_core::Energy;
    use elm_core::reference::MullerBrown;
    use plotters::coord::Shift;
    use plotters::coord::types::RangedCoordf64;
    use plotters::prelude::*;

    /// A chart over the usual Müller-Brown window `[-1.5, 1.2] x [-0.5, 2.0]` with the energy
    /// (clipped at 50) drawn as a 60 x 60 viridis heat map of opacity `opacity`.
    ///
    /// # Errors
    /// Drawing errors.
    pub fn chart<'a, 'b>(
        root: &'a DrawingArea<SVGBackend<'b>, Shift>,
        caption: &str,
        opacity: f64,
    ) -> Result<ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>, Box<dyn std::error::Error>>
    {
        let mut chart = ChartBuilder::on(root)
            .caption(caption, ("sans-serif", 17))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(45)
            .build_cartesian_2d(-1.5f64..1.2, -0.5f64..2.0)?;
        chart.configure_mesh().x_desc("x").y_desc("y").draw()?;
        let mb = MullerBrown::new();
        let n = 60;
        let (dx, dy) = (2.7 / n as f64, 2.5 / n as f64);
        chart.draw_series((0..n).flat_map(|i| (0..n).map(move |j| (i, j))).map(|(i, j)| {
            let (x, y) = (-1.5 + (i as f64 + 0.5) * dx, -0.5 + (j as f64 + 0.5) * dy);
            let t = ((mb.energy(&[x, y]).min(50.0) + 150.0) / 200.0).clamp(0.0, 1.0);
            Rectangle::new(
                [(x - dx / 2.0, y - dy / 2.0), (x + dx / 2.0, y + dy / 2.0)],
                ViridisRGB::get_color(t).mix(opacity).filled(),
            )
        }))?;
        Ok(chart)
    }
}
