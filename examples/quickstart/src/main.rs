//! `cargo run --release -p elm-quickstart`: maps both user-defined energies and writes a DG SVG
//! and a JSON record for each to `target/figures/quickstart/`.

use elm_quickstart::{Hopfield, map_hopfield, map_rastrigin};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::Path::new("target/figures/quickstart");
    std::fs::create_dir_all(out)?;
    let t0 = std::time::Instant::now();
    let (record, map) = map_rastrigin(7)?;
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
    let (record, map) = map_hopfield(&Hopfield::with_patterns(24, 3), 7)?;
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
