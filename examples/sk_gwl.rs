//! Seed 000 Fig. 12: Generalized Wang-Landau map of the same 100-spin SK spin glass as
//! `sk_adelm` (same seed, same instance).
//!
//! GWL (Zhou 2011; seed 000 Sec. 5.1): energy spectrum `[-0.8, -0.35]` per spin in 45
//! intervals, uniform target with the Wang-Landau visit penalty (`γ` halved on flat histograms),
//! the 500 lowest minima kept, barriers from chain transitions refined by ridge descent and
//! from greedy interpolation (the lower kept). The seed ran `5e8` iterations; the default here
//! is `2e6` (about 6 s), `--full` runs `5e7` (a tenth of the seed's, about 5 minutes including
//! checkpoints; `--steps S` sets any number — at 5e8 the record would hold over ten million
//! basins). Checkpoints go to `map.bin` (compact binary, `elm_core::checkpoint::save_binary`; a
//! JSON checkpoint of the 5e7 run took 700 MB); `--resume` continues.
//!
//! Writes `target/figures/sk_gwl/{dg.svg, record.json, map.bin}`.
//!
//! ```text
//! cargo run --release -p elm-examples --example sk_gwl [-- --full] [--steps S] [--resume]
//! ```

use elm_core::observe;
use elm_core::reference::SherringtonKirkpatrick;
use elm_dg::{DgParams, DgStyle, DisconnectivityGraph};
use elm_examples::{ExampleArgs, write_json};
use elm_gwl::{GeneralizedWangLandau, GwlParams, GwlRecord};
use serde::Serialize;
use std::time::Instant;

use elm_examples::sk::N;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("sk_gwl");
    let sk = elm_examples::sk::instance(args.seed);
    let steps = args.option("steps", if args.full { 5e7 } else { 2e6 }) as u64;
    let params = GwlParams::new(-0.8 * N as f64, -0.35 * N as f64, steps)
        .with_intervals(45)
        .with_block(200_000)
        .with_check_every(200_000)
        .with_keep_minima(500);
    let gwl = GeneralizedWangLandau::new(params)?;
    let checkpoint = args.path("map.bin");
    let mut record = if args.resume && checkpoint.exists() {
        let r = GwlRecord::load(&checkpoint)?;
        eprintln!("resuming at step {}", r.iterations_done);
        r
    } else {
        gwl.start(&sk, args.seed)?
    };
    let started = Instant::now();
    // Every `--checkpoint-every` steps (default: a tenth of the run, at least 2 million) and at the end.
    let every = args.option("checkpoint-every", (steps / 10).max(2_000_000) as f64) as usize;
    gwl.resume(
        &sk,
        &mut record,
        observe::both(observe::log_every(every), observe::checkpoint_every(every, &checkpoint)),
    )?;
    let lookups = record.lookups.0;
    let seconds = started.elapsed().as_secs_f64();
    let lowest = record.lowest_minima();
    let t0 = Instant::now();
    let barriers = record.barriers(&sk, &lowest)?;
    let barrier_seconds = t0.elapsed().as_secs_f64();
    let states: Vec<&Vec<u8>> = lowest.iter().map(|&id| &record.basins[id as usize].minimum).collect();
    let mirrored: Vec<bool> = states.iter().map(|s| states.contains(&&SherringtonKirkpatrick::mirror(s))).collect();
    let from_transitions = (0..barriers.matrix.len())
        .flat_map(|i| (0..i).map(move |j| (i, j)))
        .filter(|&(i, j)| barriers.matrix.source(i, j) == Some(elm_gwl::BarrierSource::GwlTransition))
        .count();
    let pairs = lowest.len() * lowest.len().saturating_sub(1) / 2;
    println!(
        "SK-{N} (seed {}), GWL {steps} steps in {seconds:.1} s ({:.0} steps/s)",
        args.seed,
        steps as f64 / seconds
    );
    println!(
        "basin lookups: {} by the reverse-move shortcut, {} from the cache, {} by descent",
        lookups[0], lookups[1], lookups[2]
    );
    println!(
        "{} basins met; kept the {} lowest (E/N from {:.4} to {:.4}); {} of them have their mirror among them",
        record.basins.len(),
        lowest.len(),
        record.basins[lowest[0] as usize].energy / N as f64,
        record.basins[*lowest.last().expect("at least one") as usize].energy / N as f64,
        mirrored.iter().filter(|&&m| m).count()
    );
    println!(
        "barriers for {pairs} pairs in {barrier_seconds:.1} s: {from_transitions} from chain transitions, the rest greedy"
    );
    let mut dg = DisconnectivityGraph::from_barriers(&barriers.matrix, &DgParams::default())?;
    dg.set_sizes(&lowest.iter().map(|&id| record.basins[id as usize].visits as f64).collect::<Vec<_>>())?;
    dg.set_values(&mirrored.iter().map(|&m| if m { 0.0 } else { 1.0 }).collect::<Vec<_>>())?;
    let style = DgStyle::default()
        .with_size(1200, 650)
        .with_title(format!("GWL DG, SK N = {N}: {} lowest minima ({steps} steps)", lowest.len()));
    std::fs::write(args.path("dg.svg"), dg.to_svg(&style)?)?;
    #[derive(Serialize)]
    struct Record<'a> {
        seed: u64,
        steps: u64,
        seconds: f64,
        steps_per_second: f64,
        lookups_shortcut_cache_descent: [u64; 3],
        basins_met: usize,
        gamma: f64,
        stages: u32,
        lowest_energies: Vec<f64>,
        mirrored: Vec<bool>,
        minima: &'a [u32],
        barriers: &'a elm_dg::BarrierMatrix,
    }
    write_json(
        &args.path("record.json"),
        &Record {
            seed: args.seed,
            steps,
            seconds,
            steps_per_second: steps as f64 / seconds,
            lookups_shortcut_cache_descent: lookups,
            basins_met: record.basins.len(),
            gamma: record.gamma,
            stages: record.stages,
            lowest_energies: lowest.iter().map(|&id| record.basins[id as usize].energy).collect(),
            mirrored,
            minima: &barriers.minima,
            barriers: &barriers.matrix,
        },
    );
    record.save(&checkpoint)?;
    println!("figures and record in {}", args.out.display());
    Ok(())
}
