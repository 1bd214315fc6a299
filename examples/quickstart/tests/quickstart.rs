//! The quick-start maps, checked: a crate that depends on elm-ad alone maps both user-defined
//! energies end to end, and the maps are the right ones.

use elm_ad::prelude::*;
use elm_quickstart::{Hopfield, TiltedRastrigin};

#[test]
fn tilted_rastrigin_has_nine_basins_all_connected() {
    let space = ContinuousSpace::new(
        TiltedRastrigin,
        RandomWalkMetropolis::default().with_step_size(0.1).with_temperature(0.3),
        Lbfgs::default(),
    );
    let params = AdelmParams::default()
        .with_iterations(100)
        .with_burn_in(20)
        .with_ad(AdParams::default().with_alpha(1.0).with_delta(0.1).with_patience(100));
    let mut proposals = UniformBox::new(vec![-3.0; 2], vec![3.0; 2]).unwrap();
    let record = Adelm::new(params).unwrap().map(&space, &mut proposals, 7, |_| Control::Continue).unwrap();
    let map = record.basin_graph(&space, &BarrierEstimation::for_map(&record.params), 7).unwrap();
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
    let space = DiscreteSpace::new(hopfield.clone(), Gibbs::default().with_temperature(0.1));
    let params = AdelmParams::default()
        .with_iterations(60)
        .with_burn_in(20)
        .with_ad(AdParams::default().with_alpha(0.2).with_patience(50));
    let mut proposals = UniformLevels { sites: 24, levels: 2 };
    let record = Adelm::new(params).unwrap().map(&space, &mut proposals, 7, |_| Control::Continue).unwrap();
    let map = record.basin_graph(&space, &BarrierEstimation::for_map(&record.params), 7).unwrap();
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
