//! The quick-start maps, checked: a crate that depends on elm-ad alone maps both user-defined
//! energies end to end, and the maps are the right ones.

use elm_ad::prelude::*;
use elm_quickstart::{Hopfield, map_hopfield, map_rastrigin};

#[test]
fn tilted_rastrigin_has_nine_basins_all_connected() {
    let (record, map) = map_rastrigin(7).unwrap();
    // One minimum per ripple: x_i in {-2.0, 0, 1.97} (x/2 ... cos 3x per coordinate), 3 x 3.
    assert_eq!(map.basins.len(), 9);
    assert!(map.barriers.is_complete(), "{}", map.barriers.summary());
    let lowest = &record.groups[map.basins[0]];
    assert!(lowest.representative.iter().all(|v| v.abs() < 0.05) && (lowest.energy + 4.0024).abs() < 1e-3);
    // Every barrier lies above both minima and below the energy of the box's edge ripples.
    for (k, &a) in map.basins.iter().enumerate() {
        for (l, &b) in map.basins.iter().enumerate().skip(k + 1) {
            let barrier = map.barriers.matrix.get(k, l);
            assert!(barrier >= record.groups[a].energy.max(record.groups[b].energy));
            assert!(barrier < 6.0, "barrier {barrier} between B{k} and B{l}");
        }
    }
    let svg = map.svg(&DgStyle::default()).unwrap();
    assert_eq!(svg.matches("B8").count(), 1);
}

#[test]
fn hopfield_memory_basins_are_the_stored_patterns_and_their_mirrors() {
    let hopfield = Hopfield::with_patterns(24, 3);
    let (record, map) = map_hopfield(&hopfield, 7).unwrap();
    assert_eq!(map.basins.len(), 6);
    assert!(map.barriers.is_complete(), "{}", map.barriers.summary());
    for &g in &map.basins {
        let s = &record.groups[g].representative;
        let overlaps: Vec<f64> = hopfield
            .patterns
            .iter()
            .map(|xi| xi.iter().zip(s).map(|(x, &v)| x * (2.0 * f64::from(v) - 1.0)).sum::<f64>().abs())
            .collect();
        assert!(overlaps.contains(&24.0), "basin {g} is not a stored pattern or mirror: overlaps {overlaps:?}");
    }
}
