//! Every public constructor and parameter set rejects bad input with the right error, and
//! public types are Send + Sync.

use elm_core::reference::{
    GaussianMixtureLandscape, Ising, LennardJones, MullerBrown, NonlinearRegression, SherringtonKirkpatrick,
};
use elm_core::{DiscreteDescent, DiscreteState, Error, Fire, Lbfgs, LocalMinimizer, Magnetized, SameMinimum, Tempered};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

fn invalid(err: Error, name: &str) {
    match err {
        Error::InvalidParameter { name: n, .. } => assert_eq!(n, name),
        other => panic!("expected InvalidParameter({name}), got {other:?}"),
    }
}

#[test]
fn temperatures_and_magnetizations() {
    let mb = MullerBrown::new();
    invalid(Tempered::new(mb, 0.0).unwrap_err(), "temperature");
    invalid(Tempered::new(mb, -1.0).unwrap_err(), "temperature");
    invalid(Tempered::new(mb, f64::NAN).unwrap_err(), "temperature");
    invalid(Magnetized::continuous(mb, &[0.0, 0.0], 0.0, 1.0).unwrap_err(), "temperature");
    invalid(Magnetized::continuous(mb, &[0.0, 0.0], 1.0, -0.1).unwrap_err(), "alpha");
    assert!(matches!(
        Magnetized::continuous(mb, &[0.0], 1.0, 1.0).unwrap_err(),
        Error::DimensionMismatch { expected: 2, found: 1, .. }
    ));
    assert!(matches!(Magnetized::continuous(mb, &[f64::NAN, 0.0], 1.0, 1.0).unwrap_err(), Error::NonFinite(_)));
    let mut m = Magnetized::continuous(mb, &[0.0, 0.0], 1.0, 1.0).unwrap();
    invalid(m.set_alpha(f64::INFINITY).unwrap_err(), "alpha");
    assert!(m.set_target(&[1.0, 2.0, 3.0]).is_err());
    let ising = Ising::new(3, 1.0, 0.0).unwrap();
    assert!(matches!(
        Magnetized::discrete(ising, &[0, 1, 2, 0, 0, 0, 0, 0, 0], 1.0, 1.0).unwrap_err(),
        Error::InvalidLevel { site: 2, level: 2, levels: 2 }
    ));
}

#[test]
fn reference_energy_constructors() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(0);
    invalid(LennardJones::new(1).unwrap_err(), "atoms");
    invalid(Ising::new(1, 1.0, 0.0).unwrap_err(), "side");
    invalid(Ising::new(4, f64::NAN, 0.0).unwrap_err(), "coupling");
    invalid(SherringtonKirkpatrick::sample(1, &mut rng).unwrap_err(), "n");
    assert!(matches!(
        SherringtonKirkpatrick::from_couplings(2, vec![0.0; 3]).unwrap_err(),
        Error::DimensionMismatch { .. }
    ));
    invalid(SherringtonKirkpatrick::from_couplings(2, vec![0.0, 1.0, 2.0, 0.0]).unwrap_err(), "couplings");
    invalid(SherringtonKirkpatrick::from_couplings(2, vec![1.0, 0.0, 0.0, 0.0]).unwrap_err(), "couplings");
    assert!(matches!(GaussianMixtureLandscape::new(vec![], vec![], 1.0).unwrap_err(), Error::EmptyInput(_)));
    invalid(GaussianMixtureLandscape::new(vec![1.0], vec![], 0.0).unwrap_err(), "sigma");
    assert!(matches!(NonlinearRegression::new(vec![1.0], vec![]).unwrap_err(), Error::DimensionMismatch { .. }));
    invalid(NonlinearRegression::sample(0, 0.02, &NonlinearRegression::THETA_STAR, &mut rng).unwrap_err(), "points");
    invalid(NonlinearRegression::sample(10, -0.02, &NonlinearRegression::THETA_STAR, &mut rng).unwrap_err(), "noise");
    invalid(SameMinimum::new(-1.0, 0.0).unwrap_err(), "distance");
    invalid(
        elm_core::reference::Gaussian::from_covariance(vec![0.0, 0.0], &[1.0, 2.0, 2.0, 1.0]).unwrap_err(),
        "matrix",
    );
    invalid(elm_core::reference::Gaussian::isotropic(0, 1.0).unwrap_err(), "d");
}

#[test]
fn states_and_minimizers() {
    let ising = Ising::new(3, 1.0, 0.0).unwrap();
    assert!(matches!(DiscreteState::new(&ising, vec![0; 8]).unwrap_err(), Error::DimensionMismatch { .. }));
    assert!(matches!(DiscreteState::new(&ising, vec![3; 9]).unwrap_err(), Error::InvalidLevel { site: 0, .. }));
    let mb = MullerBrown::new();
    let mut x = [0.0, 0.0];
    invalid(Lbfgs::default().with_memory(0).minimize(&mb, &mut x).unwrap_err(), "memory");
    invalid(Lbfgs::default().with_gradient_tolerance(0.0).minimize(&mb, &mut x).unwrap_err(), "gradient_tolerance");
    invalid(Lbfgs::default().with_max_iterations(0).minimize(&mb, &mut x).unwrap_err(), "max_iterations");
    invalid(Fire::default().with_time_step(-1.0).minimize(&mb, &mut x).unwrap_err(), "time_step");
    invalid(Fire::default().with_max_time_step(0.01).minimize(&mb, &mut x).unwrap_err(), "max_time_step");
    let mut wrong = [0.0; 3];
    assert!(matches!(Lbfgs::default().minimize(&mb, &mut wrong).unwrap_err(), Error::DimensionMismatch { .. }));
    let mut nan = [f64::NAN, 0.0];
    assert!(matches!(Fire::default().minimize(&mb, &mut nan).unwrap_err(), Error::NonFinite(_)));
    let mut state = DiscreteState::new(&ising, vec![0; 9]).unwrap();
    invalid(
        DiscreteDescent::default().with_max_iterations(0).minimize(&ising, &mut state).unwrap_err(),
        "max_iterations",
    );
    let other = Ising::new(4, 1.0, 0.0).unwrap();
    assert!(DiscreteDescent::default().minimize(&other, &mut state).is_err());
}

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Error>();
    assert_send_sync::<DiscreteState>();
    assert_send_sync::<Lbfgs>();
    assert_send_sync::<Fire>();
    assert_send_sync::<DiscreteDescent>();
    assert_send_sync::<Magnetized<SherringtonKirkpatrick>>();
    assert_send_sync::<elm_core::Counted<MullerBrown>>();
    assert_send_sync::<SherringtonKirkpatrick>();
    assert_send_sync::<GaussianMixtureLandscape>();
}

#[cfg(feature = "serde")]
#[test]
fn sk_instance_and_state_round_trip_through_json() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    let sk = SherringtonKirkpatrick::sample(10, &mut rng).unwrap();
    let state = DiscreteState::random(&sk, &mut rng).unwrap();
    let sk2: SherringtonKirkpatrick = serde_json::from_str(&serde_json::to_string(&sk).unwrap()).unwrap();
    let state2: DiscreteState = serde_json::from_str(&serde_json::to_string(&state).unwrap()).unwrap();
    assert_eq!(sk, sk2);
    assert_eq!(state, state2);
}
