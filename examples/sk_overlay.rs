//! Seed 000 Fig. 12 and Fig. 14: the ADELM and GWL maps of one SK spin glass, compared.
//!
//! Maps the `sk_adelm` / `sk_gwl` instance (same seed) with both methods at their default
//! scales, then
//! - Fig. 12: draws the GWL DG of the 500 lowest minima with the ADELM basins marked
//!   (purple: an ADELM representative whose mirror ADELM also found; teal: one whose mirror it
//!   did not; yellow: a GWL minimum that is no ADELM representative);
//! - Fig. 14: restricts both maps to the ADELM representatives that are among the GWL minima
//!   and overlays the two DGs, marking merges that agree (green) and that happen in a different
//!   order (red); prints the agreement score.
//!
//! Writes `target/figures/sk_overlay/{fig12_gwl_with_adelm.svg, fig14_overlay.svg, record.json}`.
//!
//! ```text
//! cargo run --release -p elm-examples --example sk_overlay [-- --full]
//! ```

use elm_ad::{Adelm, Control, UniformLevels};
use elm_core::reference::SherringtonKirkpatrick;
use elm_core::{DiscreteEnergy, MagnetNorm};
use elm_dg::{DgParams, DgStyle, DisconnectivityGraph, compare, overlay_svg};
use elm_examples::{ExampleArgs, sk, write_json};
use elm_gwl::{GeneralizedWangLandau, GwlParams};
use serde::Serialize;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = ExampleArgs::parse("sk_overlay");
    let n = sk::N as f64;
    let instance = sk::instance(args.seed);
    let space = sk::space(instance.clone());

    // ADELM (the sk_adelm setting).
    let alpha = args.option("alpha", sk::ALPHA);
    let iterations = if args.full { 5000 } else { 1000 };
    let params = sk::adelm_params(iterations, alpha, MagnetNorm::L2);
    let adelm = Adelm::new(params)?
        .map(&space, &mut UniformLevels { sites: sk::N, levels: 2 }, args.seed, |_| Control::Continue)?;
    let reps: Vec<Vec<u8>> = adelm.representatives().into_iter().cloned().collect();
    let (_, _, adelm_matrix) = sk::barriers(&space, &reps, alpha, MagnetNorm::L2, 4, args.seed)?;

    // GWL (the sk_gwl setting).
    let steps = if args.full { 50_000_000 } else { 2_000_000 };
    let gwl_params =
        GwlParams::new(-0.8 * n, -0.35 * n, steps).with_intervals(45).with_block(200_000).with_check_every(200_000);
    let gwl = GeneralizedWangLandau::new(gwl_params)?.map(&instance, args.seed, |_| Control::Continue)?;
    let lowest = gwl.lowest_minima();
    let gwl_barriers = gwl.barriers(&instance, &lowest)?;
    let gwl_states: Vec<&Vec<u8>> = lowest.iter().map(|&id| &gwl.basins[id as usize].minimum).collect();

    // Which ADELM basins are among the GWL minima (seed 000: 44 of 58).
    let in_gwl: Vec<Option<usize>> = reps.iter().map(|r| gwl_states.iter().position(|s| *s == r)).collect();
    let common: Vec<usize> = (0..reps.len()).filter(|&k| in_gwl[k].is_some()).collect();
    let adelm_mirrored: Vec<bool> = reps.iter().map(|r| reps.contains(&SherringtonKirkpatrick::mirror(r))).collect();
    println!(
        "ADELM: {} basins ({iterations} iterations, alpha {alpha}); GWL: {} minima kept ({steps} steps)",
        reps.len(),
        lowest.len()
    );
    println!("{} of the {} ADELM basins are among the {} lowest GWL minima", common.len(), reps.len(), lowest.len());

    // Fig. 12: GWL DG with ADELM basins marked.
    let mut gwl_dg = DisconnectivityGraph::from_barriers(&gwl_barriers.matrix, &DgParams::default())?;
    let marks: Vec<f64> = (0..lowest.len())
        .map(|g| match in_gwl.iter().position(|&p| p == Some(g)) {
            Some(k) if adelm_mirrored[k] => 0.0,
            Some(_) => 0.5,
            None => 1.0,
        })
        .collect();
    gwl_dg.set_values(&marks)?;
    // Big circles for ADELM basins, small markers for the other GWL minima.
    gwl_dg.set_sizes(&marks.iter().map(|&m| if m < 1.0 { 1.0 } else { 0.0 }).collect::<Vec<_>>())?;
    let style = DgStyle::default()
        .with_size(1200, 650)
        .with_title("GWL DG of SK-100 with the ADELM basins marked (seed 000 Fig. 12)");
    std::fs::write(args.path("fig12_gwl_with_adelm.svg"), gwl_dg.to_svg(&style)?)?;

    // Fig. 14: both maps over the common minima.
    let mut summary = None;
    if common.len() >= 2 {
        let gwl_indices: Vec<usize> = common.iter().map(|&k| in_gwl[k].expect("common")).collect();
        let a = DisconnectivityGraph::from_barriers(&adelm_matrix.restrict(&common)?, &DgParams::default())?;
        let b = DisconnectivityGraph::from_barriers(
            &gwl_dg.implied_barriers().restrict(&gwl_indices)?,
            &DgParams::default(),
        )?;
        let c = compare(&a, &b)?;
        println!(
            "overlay over {} common minima: {} of {} ADELM merges agree with GWL (agreement {:.2}); barrier correlation {:.3}, largest difference {:.3}",
            common.len(),
            c.shared,
            c.clusters_a,
            c.agreement,
            c.barrier_correlation,
            c.max_barrier_difference
        );
        let style = DgStyle::default()
            .with_size(1000, 600)
            .with_title("ADELM (blue) over GWL (orange): green merges agree, red differ");
        std::fs::write(args.path("fig14_overlay.svg"), overlay_svg(&a, &b, &style)?)?;
        summary = Some(c);
    }
    #[derive(Serialize)]
    struct Record {
        seed: u64,
        adelm_iterations: usize,
        alpha: f64,
        adelm_basins: usize,
        gwl_steps: u64,
        gwl_minima: usize,
        adelm_basins_among_gwl_minima: usize,
        adelm_energies: Vec<f64>,
        comparison: Option<elm_dg::DgComparison>,
    }
    write_json(
        &args.path("record.json"),
        &Record {
            seed: args.seed,
            adelm_iterations: iterations,
            alpha,
            adelm_basins: reps.len(),
            gwl_steps: steps,
            gwl_minima: lowest.len(),
            adelm_basins_among_gwl_minima: common.len(),
            adelm_energies: reps.iter().map(|r| space.energy.energy(r)).collect(),
            comparison: summary,
        },
    );
    println!("figures and record in {}", args.out.display());
    Ok(())
}
