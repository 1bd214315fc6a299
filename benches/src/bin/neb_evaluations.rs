//! elm side of `cargo xtask peers` for elastic bands: the energy+force evaluations a climbing-
//! image NEB needs on the Müller-Brown surface (issue 16, item 6). The protocol, shared with
//! `benches/peers/neb_ase.py`: 11 images (ends included) on the straight segment between two
//! minima, spring constant 1, plain NEB until the largest image force is at most 1e-3, then the
//! climbing image until it is at most 1e-4. Prints one line per optimizer and pair, then the
//! default optimizer's counts as `{"A-C": n, "C-B": n}`.
//!
//! ```text
//! cargo run --release -p elm-benches --bin neb_evaluations [-- --trace]
//! ```
//!
//! `--trace` prints the band's progress every 10 iterations.
//!
//! Every call of the energy is counted (energy-only samples of the band's segment scans too),
//! through `elm_core::Counted`.

use elm_core::Counted;
use elm_core::reference::MullerBrown;
use elm_paths::{BandMethod, BandOptimizer, BandReport, ElasticBand};

/// The protocol's band with the given optimizer.
fn band(optimizer: BandOptimizer) -> ElasticBand {
    ElasticBand::default()
        .with_method(BandMethod::Neb)
        .with_images(11)
        .with_spring(1.0)
        .with_climbing(true)
        .with_climb_start_factor(10.0)
        .with_force_tolerance(1e-4)
        .with_optimizer(optimizer)
}

/// Runs one band and returns its report and the evaluations the energy saw.
fn run(optimizer: BandOptimizer, a: &[f64], b: &[f64], trace: bool) -> (BandReport, u64) {
    let mb = Counted::new(MullerBrown::new());
    let straight = (0..11)
        .map(|k| {
            let t = k as f64 / 10.0;
            a.iter().zip(b).map(|(x, y)| (1.0 - t) * x + t * y).collect()
        })
        .collect();
    let report = band(optimizer)
        .relax_observed(&mb, straight, |p: &elm_paths::BandProgress| {
            if trace && p.iteration.is_multiple_of(10) {
                eprintln!("  {}", elm_core::Progress::summary(p));
            }
            elm_core::Control::Continue
        })
        .expect("band");
    let counts = mb.counts();
    (report, counts.energy + counts.gradient)
}

fn main() {
    let [(_, a), (_, b), (_, c)] = MullerBrown::MINIMA;
    let saddles = MullerBrown::SADDLES;
    let pairs: [(&str, [f64; 2], [f64; 2], f64); 2] = [("A-C", a, c, saddles[0].0), ("C-B", c, b, saddles[1].0)];
    let optimizers = [("fire", BandOptimizer::Fire), ("anderson", BandOptimizer::Anderson { memory: 20 })];
    let mut json = Vec::new();
    let trace = std::env::args().any(|a| a == "--trace");
    for (name, optimizer) in optimizers {
        for (pair, from, to, saddle) in pairs {
            let (r, evaluations) = run(optimizer, &from, &to, trace);
            let top = r.climbing_image.map_or(f64::NAN, |k| r.path.energies[k]);
            eprintln!(
                "{name:>6} {pair}: {evaluations:>6} evaluations, {:>5} iterations, max force {:.1e}, climber {top:.6} \
                 (saddle {saddle:.6}), {:?}",
                r.iterations, r.max_force, r.reason
            );
            if name == "anderson" {
                json.push(format!("\"{pair}\": {evaluations}"));
            }
        }
    }
    println!("{{{}}}", json.join(", "));
}
