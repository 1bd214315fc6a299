//! `cargo run --release -p elm-quickstart`: maps both user-defined energies and writes
//! `dg.svg` + `map.json` for each to `target/figures/quickstart/`.

use elm_ad::prelude::*;
use elm_quickstart::{Hopfield, TiltedRastrigin};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::Path::new("target/figures/quickstart");
    std::fs::create_dir_all(out)?;
    let t0 = std::time::Instant::now();
    let space = ContinuousSpace::new(
        TiltedRastrigin,
        RandomWalkMetropolis::default().with_step_size(0.1).with_temperature(0.3),
        Lbfgs::default(),
    );
    let params = AdelmParams::default()
        .with_iterations(100)
        .with_burn_in(20)
        .with_ad(AdParams::default().with_alpha(1.0).with_delta(0.1).with_patience(100));
    let mut proposals = UniformBox::new(vec![-3.0; 2], vec![3.0; 2])?;
    let record = Adelm::new(params)?.map(&space, &mut proposals, 7, |_| Control::Continue)?;
    let map = record.basin_graph(&space, &BarrierEstimation::for_map(&record.params), 7)?;
    println!(
        "tilted Rastrigin: {} basins; {} ({:.1} s)",
        map.basins.len(),
        map.barriers.summary(),
        t0.elapsed().as_secs_f64()
    );
    for (k, &g) in map.basins.iter().enumerate() {
        let grp = &record.groups[g];
        println!("  B{k}: E = {:.4} at {:.3?}, {} members", grp.energy, grp.representative, grp.members);
    }
    map.save_svg(&out.join("rastrigin_dg.svg"), "ADELM map of a user-defined tilted Rastrigin energy")?;
    record.save(&out.join("rastrigin_map.json"))?;

    let t0 = std::time::Instant::now();
    let space = DiscreteSpace::new(Hopfield::with_patterns(24, 3), Gibbs::default().with_temperature(0.1));
    let params = AdelmParams::default()
        .with_iterations(60)
        .with_burn_in(20)
        .with_ad(AdParams::default().with_alpha(0.2).with_patience(50));
    let mut proposals = UniformLevels { sites: 24, levels: 2 };
    let record = Adelm::new(params)?.map(&space, &mut proposals, 7, |_| Control::Continue)?;
    let map = record.basin_graph(&space, &BarrierEstimation::for_map(&record.params), 7)?;
    println!(
        "Hopfield memory: {} basins; {} ({:.1} s)",
        map.basins.len(),
        map.barriers.summary(),
        t0.elapsed().as_secs_f64()
    );
    for (k, &g) in map.basins.iter().enumerate() {
        let grp = &record.groups[g];
        println!("  B{k}: E = {:.4} at {:?}, {} members", grp.energy, grp.representative, grp.members);
    }
    map.save_svg(&out.join("hopfield_dg.svg"), "ADELM map of a user-defined Hopfield memory")?;
    record.save(&out.join("hopfield_map.json"))?;
    Ok(())
}
