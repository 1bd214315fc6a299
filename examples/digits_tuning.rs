//! Seed 000 Sec. 3.4 and Fig. 10 in our units: where is the critical range of `(T, α)` for AD on
//! the learned digits energy (the committed [`FrameNet`] weights, 8-level 16x16 images)?
//!
//! Minima: the first-improvement descents of `--per-digit` (2) training images of each digit 0-3.
//! For each temperature of `--temperatures` (a list in the code: 0.25, 0.5, 1, 3, 10, 30) and each
//! `α` of a log grid, one AD trial each way between every pair of minima (`M = 20` sweeps,
//! `δ = 150` on the 0-255 scale); printed: the success rate among pairs of the *same* digit and of
//! *different* digits, and the mean sweeps per trial. A usable `(T, α)` joins same-digit minima
//! and keeps different digits apart; the seed's `(30, 1.05)` is in the table.
//!
//! Writes `target/figures/digits_tuning/record.json`.
//!
//! ```text
//! cargo run --release -p elm-examples --features ebm --example digits_tuning
//! ```

use elm_ad::{AdParams, AdSpace, AttractionDiffusion, DiscreteSpace, task_rng};
use elm_examples::digits;
use elm_examples::{ExampleArgs, write_json};
use elm_mcmc::Gibbs;
use rayon::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct Cell {
    temperature: f64,
    alpha: f64,
    same_digit_success: f64,
    different_digit_success: f64,
    mean_sweeps: f64,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("digits_tuning");
    let per_digit = args.option("per-digit", 2.0) as usize;
    let energy = digits::learned_energy()?;
    let data = digits::load()?;
    let descent = digits::image_descent();
    let mut minima: Vec<(u8, Vec<u8>)> = vec![];
    for d in 0..4u8 {
        for &k in data.of_digit(d).iter().take(per_digit) {
            let space = DiscreteSpace { energy: &energy, sampler: Gibbs::default(), descent };
            let mut s = data.image(k).to_vec();
            let e = space.minimize(&mut s)?;
            println!("digit {d} image {k}: minimum E = {e:.1}");
            minima.push((d, s));
        }
    }
    let pairs: Vec<(usize, usize)> =
        (0..minima.len()).flat_map(|i| (0..minima.len()).filter(move |&j| j != i).map(move |j| (i, j))).collect();
    let mut cells = vec![];
    let (temperatures, alphas): (&[f64], &[f64]) = if args.option("fine", 0.0) > 0.0 {
        (&[0.1, 0.25, 0.5], &[0.1, 0.15, 0.2, 0.3])
    } else {
        (&[0.25, 0.5, 1.0, 3.0, 10.0, 30.0], &[0.003, 0.01, 0.03, 0.1, 0.3, 1.05])
    };
    for &t in temperatures {
        for &alpha in alphas {
            let space = DiscreteSpace { energy: &energy, sampler: Gibbs::default().with_temperature(t), descent };
            let ad = AttractionDiffusion::new(
                AdParams::default().with_alpha(alpha).with_patience(20).with_delta(150.0).with_max_sweeps(2000),
            )?;
            let outcomes: Vec<(bool, bool, usize)> = pairs
                .par_iter()
                .map(|&(i, j)| {
                    let mut rng = task_rng(args.seed, i as u64, j as u64, (alpha * 1e4) as u64 ^ (t * 1e3) as u64);
                    let out = space.trial(&ad, &minima[i].1, &minima[j].1, &mut rng).expect("trial");
                    (minima[i].0 == minima[j].0, out.success, out.sweeps)
                })
                .collect();
            let rate = |same: bool| {
                let v: Vec<&(bool, bool, usize)> = outcomes.iter().filter(|o| o.0 == same).collect();
                v.iter().filter(|o| o.1).count() as f64 / v.len().max(1) as f64
            };
            let sweeps = outcomes.iter().map(|o| o.2 as f64).sum::<f64>() / outcomes.len() as f64;
            println!(
                "T = {t:>5}, alpha = {alpha:>6}: same digit {:.2}, different digits {:.2}, {sweeps:.0} sweeps/trial",
                rate(true),
                rate(false)
            );
            cells.push(Cell {
                temperature: t,
                alpha,
                same_digit_success: rate(true),
                different_digit_success: rate(false),
                mean_sweeps: sweeps,
            });
        }
    }
    write_json(&args.path("record.json"), &cells);
    Ok(())
}
