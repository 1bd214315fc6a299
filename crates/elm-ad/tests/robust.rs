//! A mapping survives bad points: proposals whose minimization meets a NaN energy are skipped
//! and counted, up to a cap; barrier estimation says which pairs stayed unknown and how to fix it.

use elm_ad::prelude::*;
use elm_ad::{Error, core::reference::MullerBrown};

/// Müller-Brown with a hole: NaN energy and gradient wherever `x > 0.9` (right of every
/// minimum, inside the proposal box).
#[derive(Debug, Clone, Copy)]
struct Holed(MullerBrown);

impl Energy for Holed {
    fn dim(&self) -> usize {
        2
    }
    fn energy(&self, x: &[f64]) -> f64 {
        if x[0] > 0.9 { f64::NAN } else { self.0.energy(x) }
    }
}

impl Gradient for Holed {
    fn energy_gradient(&self, x: &[f64], g: &mut [f64]) -> f64 {
        let e = self.0.energy_gradient(x, g);
        if x[0] > 0.9 {
            g.fill(f64::NAN);
            f64::NAN
        } else {
            e
        }
    }
}

fn space<E: Gradient>(e: E) -> ContinuousSpace<E, RandomWalkMetropolis, Lbfgs> {
    ContinuousSpace::new(
        e,
        RandomWalkMetropolis::default().with_step_size(0.02).with_temperature(2.0),
        Lbfgs::default(),
    )
}

fn params() -> AdelmParams {
    AdelmParams::default()
        .with_iterations(40)
        .with_burn_in(10)
        .with_ad(AdParams::default().with_alpha(5.0).with_delta(0.05).with_patience(100))
}

#[test]
fn nan_proposals_are_skipped_and_counted() {
    let space = space(Holed(MullerBrown::new()));
    let mut proposals = UniformBox::new(vec![-1.5, -0.5], vec![1.2, 2.0]).unwrap();
    let mut skipped_reports = 0;
    let record = Adelm::new(params())
        .unwrap()
        .map(&space, &mut proposals, 7, |record| {
            skipped_reports += usize::from(record.last_iteration().expect("an iteration").skipped);
            Control::Continue
        })
        .unwrap();
    // About 11% of the box lies right of x = 0.9: some proposals start in the hole.
    assert!(!record.skipped.is_empty(), "no proposal met the hole");
    assert_eq!(record.skipped.len(), skipped_reports);
    assert_eq!(record.minima.len() + record.skipped.len(), 40);
    assert!(record.skipped.iter().all(|s| s.reason.contains("non-finite")));
    // The three minima all lie left of the hole and are still found.
    assert_eq!(record.basins().len(), 3);
    // The record with its skips saves and loads.
    let path = std::env::temp_dir().join(format!("elm-ad-robust-{}.json", std::process::id()));
    record.save(&path).unwrap();
    assert_eq!(AdelmRecord::<Vec<f64>>::load(&path).unwrap(), record);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn too_many_bad_points_stop_the_run_with_a_clear_error() {
    let space = space(Holed(MullerBrown::new()));
    // Every proposal in the hole.
    let mut proposals = UniformBox::new(vec![1.0, 0.0], vec![1.2, 1.0]).unwrap();
    let err = Adelm::new(params().with_max_skipped(5))
        .unwrap()
        .map(&space, &mut proposals, 7, |_| Control::Continue)
        .unwrap_err();
    assert!(matches!(err, Error::TooManyBadPoints { skipped: 6, .. }), "{err}");
}

#[test]
fn unknown_pairs_are_reported_with_a_suggested_alpha() {
    let space = space(MullerBrown::new());
    let [a, b, _] = MullerBrown::MINIMA.map(|m| m.1.to_vec());
    // A magnet far too weak and no escalation: nothing connects, and the report says so.
    let weak = BarrierEstimation::default()
        .with_alpha_start(1e-3)
        .with_trials(2)
        .with_escalations(0)
        .with_ad(AdParams::default().with_delta(0.05).with_patience(50));
    let report = weak.all_pairs(&space, &[a.clone(), b.clone()], 1).unwrap();
    assert_eq!(report.unknown, vec![(0, 1)]);
    assert!(!report.is_complete());
    assert_eq!(report.suggested_alpha_start, Some(1e-2));
    assert!(report.summary().contains("retry with alpha_start"), "{}", report.summary());
    assert!(report.matrix.get(0, 1).is_infinite() && report.get(0, 1).is_none());
    // With the default escalation the same start connects the pair.
    let report = weak.with_escalations(5).with_bracketing(0.5).all_pairs(&space, &[a, b], 1).unwrap();
    assert!(report.is_complete(), "{}", report.summary());
    assert_eq!(report.matrix.source(0, 1), Some(BarrierSource::Ad));
}

#[test]
fn continuous_trials_need_a_positive_delta() {
    let space = space(MullerBrown::new());
    let mut proposals = UniformBox::new(vec![-1.5, -0.5], vec![1.2, 2.0]).unwrap();
    let p = params().with_ad(AdParams::default().with_alpha(5.0));
    let err = Adelm::new(p).unwrap().map(&space, &mut proposals, 7, |_| Control::Continue).unwrap_err();
    assert!(err.to_string().contains("delta"), "{err}");
}

#[test]
fn an_observer_can_stop_barrier_estimation() {
    let space = space(MullerBrown::new());
    let minima: Vec<Vec<f64>> = MullerBrown::MINIMA.iter().map(|m| m.1.to_vec()).collect();
    let est = BarrierEstimation::default()
        .with_alpha_start(100.0)
        .with_bracketing(0.5)
        .with_trials(2)
        .with_ad(AdParams::default().with_delta(0.05).with_patience(100));
    let full = est.all_pairs(&space, &minima, 3).unwrap();
    let mut calls = 0;
    let stopped = est
        .all_pairs_observed(&space, &minima, 3, |p| {
            calls += 1;
            assert_eq!(p.total, 6);
            Control::stop_if(p.done >= 2)
        })
        .unwrap();
    assert!(stopped.stopped && calls >= 2);
    // The searches that ran agree with the full run's.
    for (k, d) in stopped.directed.iter().enumerate() {
        if let Some(d) = d {
            assert_eq!(Some(*d), full.directed[k]);
        }
    }
}
