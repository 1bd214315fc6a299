//! Inputs that used to panic, overflow or give silently wrong results (issue "Never panic, never
//! hang, never lose a record").

use elm_dg::{
    BarrierMatrix, DgParams, DgStyle, DisconnectivityGraph, GrayImage, HarmonicSuperposition, LeafImages,
    NetworkOfMinima,
};

fn three() -> BarrierMatrix {
    BarrierMatrix::from_rows(3, vec![-3.0, -1.0, 2.0, -1.0, -2.0, 2.0, 2.0, 2.0, 0.0]).unwrap()
}

#[test]
fn matrix_sizes_and_indices_are_checked() {
    assert!(BarrierMatrix::from_rows(usize::MAX, vec![]).is_err());
    assert!(BarrierMatrix::from_rows(1 << 33, vec![]).is_err());
    let m = three();
    assert!(m.try_get(0, 5).is_err());
    assert_eq!(m.try_get(0, 2).unwrap(), 2.0);
    let result = std::panic::catch_unwind(|| three().get(0, 5));
    assert!(result.is_err(), "get(0, 5) on 3 x 3 used to read cell (1, 2)");
}

#[test]
fn deserialization_checks_what_construction_checks() {
    let ok: BarrierMatrix = serde_json::from_str(r#"{"n":2,"values":[-1.0,0.5,0.5,-2.0]}"#).unwrap();
    assert_eq!(ok.get(0, 1), 0.5);
    for bad in [
        r#"{"n":2,"values":[-1.0,0.5,0.7,-2.0]}"#,   // asymmetric
        r#"{"n":2,"values":[-1.0,0.5,0.5]}"#,        // too few values
        r#"{"n":2,"values":[-1.0,-3.0,-3.0,-2.0]}"#, // barrier below its minima
        r#"{"n":0,"values":[]}"#,
    ] {
        assert!(serde_json::from_str::<BarrierMatrix>(bad).is_err(), "{bad}");
    }
}

#[test]
fn tree_getters_and_images_are_checked() {
    let dg = DisconnectivityGraph::from_barriers(&three(), &DgParams::default()).unwrap();
    assert!(dg.minimum_energy(7).is_err());
    assert_eq!(dg.minimum_energy(1).unwrap(), -2.0);
    assert!(GrayImage::new(usize::MAX, 2, vec![]).is_err());
    // Public fields let an image skip `new`; drawing it is an error, not a panic.
    let broken = GrayImage { width: 4, height: 4, pixels: vec![0.5; 3] };
    let images = LeafImages { representatives: vec![Some(broken), None, None], members: vec![] };
    assert!(dg.to_svg_with_images(&DgStyle::default(), &images).is_err());
}

#[test]
fn networks_reject_transition_states_below_their_minima() {
    assert!(NetworkOfMinima::new(&[-2.0, -1.0], &[(0, 1, -1.5)]).is_err());
    assert!(NetworkOfMinima::new(&[-2.0, -1.0], &[(0, 1, -0.5)]).is_ok());
}

#[test]
fn heat_capacity_is_finite_at_extreme_temperatures() {
    // Two minima of 2 dimensions each (Hessian eigenvalues 1 and 4).
    let hs = HarmonicSuperposition::new(&[-1.0, 0.5], &[vec![1.0, 4.0], vec![1.0, 4.0]], 0.0).unwrap();
    for t in [1e-300, 1e-12, 1.0, 1e12, 1e300] {
        let c = hs.heat_capacity(t).unwrap();
        assert!(c.is_finite(), "C_V({t}) = {c}");
        let p = hs.occupation(t).unwrap();
        assert!(p.iter().all(|x| x.is_finite()) && (p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
    // Low T: all in the ground state, C_V -> k/2 = 1; high T: equal weights, C_V -> 1 as well.
    assert!((hs.heat_capacity(1e-300).unwrap() - 1.0).abs() < 1e-9);
}
