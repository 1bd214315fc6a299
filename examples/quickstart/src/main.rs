//! `cargo run --release -p elm-quickstart`: maps both user-defined energies and writes a DG SVG
//! and a JSON record for each to `target/figures/quickstart/`.

use elm_ad::{AdelmRecord, BasinGraph};
use elm_quickstart::{Hopfield, map_hopfield, map_rastrigin};
use std::path::Path;

/// Prints a map's basins and writes its DG to `<name>_dg.svg` in `out`.
fn report<S: std::fmt::Debug>(
    out: &Path,
    name: &str,
    title: &str,
    (record, map): (&AdelmRecord<S>, &BasinGraph),
    started: std::time::Instant,
) -> elm_ad::Result<()> {
    let seconds = started.elapsed().as_secs_f64();
    println!("{title}: {} basins; {} ({seconds:.1} s)", map.basins.len(), map.barriers.summary());
    for (k, &g) in map.basins.iter().enumerate() {
        let grp = &record.groups[g];
        println!("  B{k}: E = {:.4} at {:.3?}, {} members", grp.energy, grp.representative, grp.members);
    }
    map.save_svg(&out.join(format!("{name}_dg.svg")), &format!("ADELM map of a user-defined {title}"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = Path::new("target/figures/quickstart");
    std::fs::create_dir_all(out)?;
    let t0 = std::time::Instant::now();
    let (record, map) = map_rastrigin(7)?;
    report(out, "rastrigin", "tilted Rastrigin energy", (&record, &map), t0)?;
    record.save(&out.join("rastrigin_map.json"))?;
    let t0 = std::time::Instant::now();
    let (record, map) = map_hopfield(&Hopfield::with_patterns(24, 3), 7)?;
    report(out, "hopfield", "Hopfield memory", (&record, &map), t0)?;
    record.save(&out.join("hopfield_map.json"))?;
    Ok(())
}
