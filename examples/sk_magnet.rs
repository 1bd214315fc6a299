//! Why the SK-100 ADELM map was one funnel (issue 17, step 1): the magnet's scale, measured.
//!
//! On the `sk_adelm` instance, find the ground state by annealing, quench random states to
//! local minima, and split them by the funnel they lie in (the sign of their overlap with the
//! ground state). Then run AD trials from every minimum to the bottom of its own funnel
//! ("within") and to the bottom of the mirror funnel ("across") for a grid of `α`, for each
//! variant of the magnet (L2 on ±1 spins, seed 000 Eq. 3.1; L1 on ±1, i.e. `2α` per corrective
//! flip) and of the improvement test (end of sweep vs every site). A usable `α` lets minima
//! reach their own funnel's bottom and keeps them out of the mirror funnel.
//!
//! ```text
//! cargo run --release -p elm-examples --example sk_magnet [-- --minima 24 --trials 2]
//! ```

use elm_ad::{AdParams, AttractionDiffusion, ProgressCheck, task_rng};
use elm_core::reference::SherringtonKirkpatrick;
use elm_core::{DiscreteDescent, DiscreteState, MagnetNorm};
use elm_examples::{ExampleArgs, sk, write_json};
use elm_mcmc::{DiscreteSampler, Gibbs};
use rayon::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    norm: String,
    progress: String,
    alpha: f64,
    per_flip_far: f64,
    within: f64,
    across: f64,
    mean_sweeps: f64,
}

/// Lowest of `restarts` annealing runs (T from 2 to 0.02 over `sweeps` Gibbs sweeps, then a
/// descent).
fn ground_state(sk: &SherringtonKirkpatrick, restarts: u64, sweeps: usize, seed: u64) -> (Vec<u8>, f64) {
    (0..restarts)
        .into_par_iter()
        .map(|r| {
            let mut rng = task_rng(seed, 0, 7, r);
            let mut s = DiscreteState::random(sk, &mut rng).expect("valid SK");
            for k in 0..sweeps {
                let t = 2.0 * (0.01f64).powf(k as f64 / sweeps as f64);
                Gibbs::default().with_temperature(t).sweep(sk, &mut s, &mut rng);
            }
            let mut s = s.as_slice().to_vec();
            let mut st = DiscreteState::new(sk, s.clone()).expect("valid state");
            DiscreteDescent::default().minimize(sk, &mut st).expect("descent");
            s.copy_from_slice(st.as_slice());
            (s, st.energy())
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("restarts > 0")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("sk_magnet");
    let sk = sk::instance(args.seed);
    let space_sampler = Gibbs::default().with_temperature(sk::TEMPERATURE);
    let (gs, e_gs) = ground_state(&sk, 48, 3000, args.seed);
    let mirror = SherringtonKirkpatrick::mirror(&gs);
    println!("ground state E = {e_gs:.4}");
    let count = args.option("minima", 24.0) as u64;
    let trials = args.option("trials", 2.0) as u64;
    // Random quench minima, with the bottom of their own and of the mirror funnel.
    let minima: Vec<(Vec<u8>, f64, bool)> = (0..count)
        .map(|k| {
            let mut rng = task_rng(args.seed, 1, 7, k);
            let mut st = DiscreteState::random(&sk, &mut rng).expect("valid SK");
            DiscreteDescent::default().minimize(&sk, &mut st).expect("descent");
            let s = st.as_slice().to_vec();
            let overlap: i64 = s.iter().zip(&gs).map(|(a, b)| if a == b { 1 } else { -1 }).sum();
            (s, st.energy(), overlap > 0)
        })
        .collect();
    let mean_e = minima.iter().map(|m| m.1).sum::<f64>() / count as f64;
    println!(
        "{count} quench minima, mean E = {mean_e:.3}, {} on the ground state's side",
        minima.iter().filter(|m| m.2).count()
    );
    let variants = [
        (MagnetNorm::L2, ProgressCheck::EverySite, vec![1.35, 3.0, 6.0, 12.0, 24.0]),
        (MagnetNorm::L2, ProgressCheck::EndOfSweep, vec![1.35, 3.0, 6.0, 12.0, 24.0]),
        (MagnetNorm::L1, ProgressCheck::EverySite, vec![0.3, 0.45, 0.675, 0.9, 1.2]),
        (MagnetNorm::L1, ProgressCheck::EndOfSweep, vec![0.3, 0.45, 0.675, 0.9, 1.2]),
    ];
    let mut rows = Vec::new();
    println!(
        "{:<4} {:<11} {:>6} {:>12} {:>8} {:>8} {:>8}",
        "norm", "progress", "alpha", "pull/flip@50", "within", "across", "sweeps"
    );
    for (norm, progress, alphas) in variants {
        for alpha in alphas {
            let ad = AttractionDiffusion::new(
                AdParams::default()
                    .with_alpha(alpha)
                    .with_patience(sk::PATIENCE)
                    .with_norm(norm)
                    .with_progress(progress),
            )?;
            let runs: Vec<(bool, bool, usize)> = (0..count * trials)
                .into_par_iter()
                .flat_map(|k| {
                    let (m, _, same) = &minima[(k / trials) as usize];
                    let (own, other) = if *same { (&gs, &mirror) } else { (&mirror, &gs) };
                    [(own, true), (other, false)]
                        .into_iter()
                        .map(|(target, within)| {
                            let mut rng = task_rng(args.seed, 2, k, u64::from(within));
                            let out = ad.run_discrete(&sk, &space_sampler, m, target, &mut rng).expect("trial");
                            (within, out.success, out.sweeps)
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            let rate = |w: bool| {
                let v: Vec<_> = runs.iter().filter(|r| r.0 == w).collect();
                v.iter().filter(|r| r.1).count() as f64 / v.len() as f64
            };
            let sweeps = runs.iter().map(|r| r.2 as f64).sum::<f64>() / runs.len() as f64;
            // Energy gained by one corrective flip at Hamming distance 50, in units of T.
            let per_flip = match norm {
                MagnetNorm::L2 => alpha * 2.0 * (50f64.sqrt() - 49f64.sqrt()),
                _ => 2.0 * alpha,
            };
            let row = Row {
                norm: format!("{norm:?}"),
                progress: format!("{progress:?}"),
                alpha,
                per_flip_far: per_flip,
                within: rate(true),
                across: rate(false),
                mean_sweeps: sweeps,
            };
            println!(
                "{:<4} {:<11} {:>6.3} {:>12.3} {:>8.2} {:>8.2} {:>8.0}",
                row.norm, row.progress, alpha, per_flip, row.within, row.across, sweeps
            );
            rows.push(row);
        }
    }
    write_json(&args.path("record.json"), &rows);
    if args.option("quench", 0.0) > 0.0 {
        let q = args.option("quench", 0.0) as u64;
        let found: Vec<(Vec<u8>, f64)> = (0..q)
            .into_par_iter()
            .map(|k| {
                let mut rng = task_rng(args.seed, 9, 9, k);
                let mut st = DiscreteState::random(&sk, &mut rng).expect("valid SK");
                DiscreteDescent::default().minimize(&sk, &mut st).expect("descent");
                (st.as_slice().to_vec(), st.energy())
            })
            .collect();
        let mut distinct: Vec<(Vec<u8>, f64, usize)> = vec![];
        for (s, e) in found {
            match distinct.iter_mut().find(|d| d.0 == s) {
                Some(d) => d.2 += 1,
                None => distinct.push((s, e, 1)),
            }
        }
        distinct.sort_by(|a, b| a.1.total_cmp(&b.1));
        println!("{q} quenches: {} distinct minima; 20 lowest (E, hits, mirror hits):", distinct.len());
        for d in distinct.iter().take(20) {
            let m = SherringtonKirkpatrick::mirror(&d.0);
            let mh = distinct.iter().find(|x| x.0 == m).map_or(0, |x| x.2);
            println!("  {:.4} {} {}", d.1, d.2, mh);
        }
    }
    if args.option("map", 0.0) > 0.0 {
        trace_map(&args, &sk, &gs)?;
    }
    Ok(())
}

/// Runs an ADELM map and reports, as it goes, how minima and groups sit relative to the two
/// funnels (the sign of the overlap with the ground state `gs`).
fn trace_map(args: &ExampleArgs, sk: &SherringtonKirkpatrick, gs: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
    use elm_ad::{Adelm, AdelmParams, Control, UniformLevels};
    let iterations = args.option("map", 0.0) as usize;
    let alpha = args.option("alpha", 6.0);
    let norm = if args.option("l1", 0.0) > 0.0 { MagnetNorm::L1 } else { MagnetNorm::L2 };
    let side = |s: &[u8]| s.iter().zip(gs).map(|(a, b)| if a == b { 1i64 } else { -1 }).sum::<i64>() > 0;
    let mut ad = AdParams::default().with_alpha(alpha).with_patience(sk::PATIENCE).with_norm(norm);
    if args.option("fixed", 0.0) > 0.0 {
        ad = ad.with_sweep_order(elm_ad::SweepOrder::Fixed);
    }
    if args.option("everysite", 0.0) > 0.0 {
        ad = ad.with_progress(ProgressCheck::EverySite);
    }
    let cons = elm_ad::ConsolidationParams::default()
        .with_ad(ad.with_alpha(alpha * args.option("calpha", 1.0)))
        .with_quota(args.option("crep", 1.0) as usize, args.option("cquota", 1.0) as usize)
        .with_candidates(args.option("ccand", 0.0) as usize);
    let params = AdelmParams::default()
        .with_iterations(iterations)
        .with_burn_in(iterations / 10)
        .with_consolidate_every(iterations / 5)
        .with_candidates(args.option("cand", 0.0) as usize)
        .with_membership(elm_ad::Quota::new(args.option("mrep", 1.0) as usize, args.option("mquota", 1.0) as usize))
        .with_consolidation(cons)
        .with_ad(ad);
    let space = sk::space(sk.clone());
    let mut cross_assign = 0;
    let mut rep_switch = 0;
    let mut last_reps: Vec<Option<bool>> = vec![];
    let started = std::time::Instant::now();
    let record = Adelm::new(params)?.map(&space, &mut UniformLevels { sites: sk::N, levels: 2 }, args.seed, |r| {
        let it = r.last_iteration().expect("an iteration is done");
        let m = r.minima.last().expect("a minimum");
        let g = &r.groups[m.group];
        if !it.new_group && side(&m.state) != side(&g.representative) {
            cross_assign += 1;
        }
        for (k, grp) in r.groups.iter().enumerate() {
            let now = side(&grp.representative);
            if k < last_reps.len() && last_reps[k].is_some_and(|was| was != now) && grp.merged_into.is_none() {
                rep_switch += 1;
            }
        }
        last_reps = r.groups.iter().map(|g| Some(side(&g.representative))).collect();
        if it.iterations_done % (iterations / 10).max(1) == 0 {
            let alive = r.basins();
            let gs_side = alive.iter().filter(|&&g| side(&r.groups[g].representative)).count();
            let biggest = alive.iter().map(|&g| r.groups[g].members).max().unwrap_or(0);
            println!(
                "it {:>5}: {:>3} groups ({gs_side} on the ground state's side), biggest {biggest}, cross-funnel assignments {cross_assign}, representatives that changed side {rep_switch}, {:.0} s",
                it.iterations_done,
                alive.len(),
                started.elapsed().as_secs_f64()
            );
        }
        Control::Continue
    })?;
    let alive = record.basins();
    let reps: Vec<&Vec<u8>> = alive.iter().map(|&g| &record.groups[g].representative).collect();
    let has_mirror = |r: &Vec<u8>| reps.contains(&&SherringtonKirkpatrick::mirror(r));
    let low = reps.len().min(20);
    let paired = reps[..low].iter().filter(|r| has_mirror(r)).count();
    let biggest = alive.iter().map(|&g| record.groups[g].members).max().unwrap_or(0);
    let gs_found =
        reps.iter().any(|r| r.as_slice() == gs) && reps.iter().any(|r| **r == SherringtonKirkpatrick::mirror(gs));
    let e0 = record.groups[alive[0]].energy;
    println!(
        "RESULT {} basins, lowest E {e0:.4}, ground state and mirror both representatives: {gs_found}, {paired} of the {low} lowest paired with their mirror, biggest group {biggest} of {iterations}, {} trials, {:.0} s",
        alive.len(),
        record.trials,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
