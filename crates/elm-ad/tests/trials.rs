//! AD trial behaviour on landscapes with known structure, determinism, records, validation.

use elm_ad::{
    AdParams, AdRng, AdSpace, Adelm, AdelmParams, AdelmRecord, AttractionDiffusion, ContinuousSpace, Control,
    DiscreteSpace, Error, UniformLevels,
};
use elm_core::reference::{MullerBrown, NoisyDoubleBasin, SherringtonKirkpatrick};
use elm_core::{Lbfgs, LocalMinimizer};
use elm_mcmc::{Gibbs, RandomWalkMetropolis};
use rand::SeedableRng;

fn mb_space(t: f64) -> ContinuousSpace<MullerBrown, RandomWalkMetropolis, Lbfgs> {
    ContinuousSpace::new(
        MullerBrown::new(),
        RandomWalkMetropolis::default().with_step_size(0.02).with_temperature(t),
        Lbfgs::default(),
    )
}

fn trial<Sp: AdSpace>(
    space: &Sp,
    p: AdParams,
    from: &Sp::State,
    to: &Sp::State,
    seed: u64,
) -> elm_ad::AdOutcome<Sp::State> {
    let ad = AttractionDiffusion::new(p).unwrap();
    space.trial(&ad, from, to, &mut AdRng::seed_from_u64(seed)).unwrap()
}

#[test]
fn a_minimum_reaches_itself_at_once() {
    let space = mb_space(2.0);
    let a = MullerBrown::MINIMA[0].1.to_vec();
    let out = trial(&space, AdParams::default().with_delta(0.01), &a, &a, 1);
    assert!(out.success && out.sweeps == 0);
    assert_eq!(out.barrier, space.energy(&a));
}

#[test]
fn strong_magnets_always_succeed_and_no_magnet_fails_across_a_large_barrier() {
    let space = mb_space(2.0);
    let [a, b, _] = MullerBrown::MINIMA.map(|m| m.1.to_vec());
    for seed in 0..5 {
        // alpha -> large: the magnet dominates every barrier (B -> A crosses ~70 energy units).
        let strong = trial(&space, AdParams::default().with_alpha(500.0).with_delta(0.02), &b, &a, seed);
        assert!(strong.success, "seed {seed}: {strong:?}");
        // Upper bound of the true barrier: the path must pass the A-C saddle (-40.66).
        assert!(strong.barrier >= MullerBrown::SADDLES[0].0 - 1e-9);
        // alpha = 0 at T = 2: the chain stays in B (barrier to A ~ 67 = 34 kT).
        let none = trial(&space, AdParams::default().with_alpha(0.0).with_delta(0.02).with_patience(200), &b, &a, seed);
        assert!(!none.success);
        assert_eq!(none.reason, elm_ad::AdTermination::NoImprovement);
    }
}

/// Local minimum of the 1-D toy landscape nearest to `x`.
fn quench_1d(x: f64) -> Vec<f64> {
    let mut v = vec![x];
    Lbfgs::default().minimize(&NoisyDoubleBasin::new(), &mut v).unwrap();
    v
}

/// The AD setting of our Fig. 7 reproduction: T = 0.2, alpha = 3, RW step 0.1, M = 1000
/// steps, delta = 0.05. A scan of T in {0.2, 0.3} and alpha in {3, 4, 6, 8} (10 seeds each)
/// showed the window at T = 0.2: alpha = 3 connects 5.1 and 10 every time and never crosses the
/// barrier (also 200/200 and 0/200 in `ad_toy_1d --full`); at alpha = 4 about 1 in 40 trials
/// from the left basin leaks across; alpha = 8 crosses in 7 of 10.
fn fig7_space() -> ContinuousSpace<NoisyDoubleBasin, RandomWalkMetropolis, Lbfgs> {
    ContinuousSpace::new(
        NoisyDoubleBasin::new(),
        RandomWalkMetropolis::default().with_step_size(0.1).with_temperature(0.2),
        Lbfgs::default(),
    )
}

#[test]
fn one_dimensional_toy_reproduces_figure_7() {
    // Seed 000 Fig. 7: targets x = 5.1 and x = 10 lie in one (right) basin although they are
    // far apart; diffusion from either reaches the other, while low-temperature diffusion from
    // the left of the barrier reaches neither.
    let space = fig7_space();
    let p = AdParams::default().with_alpha(3.0).with_delta(0.05).with_patience(1000);
    let (t1, t2, left) = (vec![5.1], vec![10.0], quench_1d(-1.5));
    for seed in 0..30 {
        for (from, to, expect) in [(&t2, &t1, true), (&t1, &t2, true), (&left, &t1, false), (&left, &t2, false)] {
            let out = trial(&space, p, from, to, seed);
            assert_eq!(out.success, expect, "seed {seed}: {:.2} -> {:.2}", from[0], to[0]);
        }
    }
    // With a much stronger magnet the barrier no longer holds (the phase boundary of Fig. 9).
    let strong = trial(&space, p.with_alpha(20.0), &left, &t1, 0);
    assert!(strong.success);
}

/// A small seeded SK map for record tests.
fn sk_space() -> DiscreteSpace<SherringtonKirkpatrick, Gibbs> {
    let mut rng = AdRng::seed_from_u64(40);
    DiscreteSpace::new(SherringtonKirkpatrick::sample(40, &mut rng).unwrap(), Gibbs::default().with_temperature(0.1))
}

fn sk_params() -> AdelmParams {
    AdelmParams::default()
        .with_iterations(40)
        .with_burn_in(10)
        .with_consolidate_every(15)
        .with_ad(AdParams::default().with_alpha(1.35).with_patience(50))
}

#[test]
fn same_seed_same_map_on_any_thread_count() {
    let space = sk_space();
    let adelm = Adelm::new(sk_params()).unwrap();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| {
            adelm.map(&space, &mut UniformLevels { sites: 40, levels: 2 }, 11, |_| Control::Continue).unwrap()
        })
    };
    let one = run(1);
    assert!(one.groups.len() > 1, "a map with structure");
    assert_eq!(one, run(2));
    assert_eq!(one, run(3));
    let other = adelm.map(&space, &mut UniformLevels { sites: 40, levels: 2 }, 12, |_| Control::Continue).unwrap();
    assert_ne!(one.minima, other.minima);
}

#[test]
fn resume_from_a_checkpoint_equals_an_uninterrupted_run() {
    let space = sk_space();
    let adelm = Adelm::new(sk_params()).unwrap();
    let mut proposals = UniformLevels { sites: 40, levels: 2 };
    let full = adelm.map(&space, &mut proposals, 21, |_| Control::Continue).unwrap();
    // Stop after 17 iterations (inside the testing stage), checkpoint to disk, resume.
    let partial = adelm
        .map(&space, &mut proposals, 21, |r| if r.iterations_done == 17 { Control::Stop } else { Control::Continue })
        .unwrap();
    assert_eq!(partial.iterations_done, 17);
    let dir = std::env::temp_dir().join(format!("elm-ad-checkpoint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("record.json");
    partial.save(&path).unwrap();
    let mut restored: AdelmRecord<Vec<u8>> = AdelmRecord::load(&path).unwrap();
    assert_eq!(restored, partial, "serde round trip");
    adelm.resume(&space, &mut proposals, &mut restored, |_| Control::Continue).unwrap();
    assert_eq!(restored, full);
    assert!(matches!(AdelmRecord::<Vec<u8>>::load(&dir.join("missing.json")), Err(Error::Checkpoint(_))));
    std::fs::remove_dir_all(&dir).unwrap();
    // A record cannot be resumed with other parameters or at another temperature.
    let other = Adelm::new(sk_params().with_iterations(50)).unwrap();
    let r = other.resume(&space, &mut proposals, &mut partial.clone(), |_| Control::Continue);
    assert!(matches!(r, Err(Error::Resume(_))));
    let warmer = DiscreteSpace::new(space.energy.clone(), Gibbs::default().with_temperature(0.2));
    let r = adelm.resume(&warmer, &mut proposals, &mut partial.clone(), |_| Control::Continue);
    assert!(matches!(r, Err(Error::Resume(_))));
}

#[test]
fn bad_parameters_are_errors() {
    let invalid = |r: elm_ad::Result<()>, name: &str| match r {
        Err(Error::Core(elm_core::Error::InvalidParameter { name: n, .. })) => assert_eq!(n, name),
        Err(Error::Mcmc(elm_mcmc::Error::Core(elm_core::Error::InvalidParameter { name: n, .. }))) => {
            assert_eq!(n, name)
        }
        other => panic!("expected InvalidParameter({name}), got {other:?}"),
    };
    invalid(AdParams::default().with_alpha(-0.1).validate(), "alpha");
    invalid(AdParams::default().with_delta(-1.0).validate(), "delta");
    invalid(AdParams::default().with_patience(0).validate(), "patience");
    invalid(AdelmParams::default().with_iterations(0).validate(), "iterations");
    invalid(elm_ad::BarrierEstimation::default().with_decay(1.0).validate(), "decay");
    // T <= 0 comes from the sampler.
    let cold = mb_space(0.0);
    let a = MullerBrown::MINIMA[0].1.to_vec();
    let ad = AttractionDiffusion::new(AdParams::default()).unwrap();
    invalid(cold.trial(&ad, &a, &a, &mut AdRng::seed_from_u64(0)).map(|_| ()), "temperature");
    invalid(Adelm::new(AdelmParams::default()).unwrap().start(&cold, 0).map(|_| ()), "temperature");
    // Mismatched dimensions.
    let space = mb_space(1.0);
    let r = space.trial(&ad, &a, &vec![0.0; 3], &mut AdRng::seed_from_u64(0));
    assert!(matches!(r, Err(Error::Core(elm_core::Error::DimensionMismatch { .. }))));
    let sk = sk_space();
    assert!(sk.trial(&ad, &vec![0u8; 40], &vec![0u8; 39], &mut AdRng::seed_from_u64(0)).is_err());
    let mut bad = |_: &mut AdRng| vec![0.0; 3];
    // A burn-in longer than the run is a parameter error, not a silent no-op.
    invalid(AdelmParams::default().with_iterations(1).validate(), "burn_in");
    // (A continuous space needs delta > 0; see continuous_trials_need_a_positive_delta.)
    let continuous =
        AdelmParams::default().with_iterations(1).with_burn_in(0).with_ad(AdParams::default().with_delta(0.01));
    let r = Adelm::new(continuous).unwrap().map(&space, &mut bad, 0, |_| Control::Continue);
    assert!(matches!(r, Err(Error::Core(elm_core::Error::DimensionMismatch { .. }))));
    assert!(elm_ad::UniformBox::new(vec![1.0], vec![0.0]).is_err());
    assert!(elm_ad::log_spaced(1.0, 0.5, 3).is_err());
}

#[test]
fn barrier_search_terminates_and_bracketing_finds_the_boundary_in_fewer_rounds() {
    // Identical ends succeed at every alpha: with alpha_min = 0 the search used to loop for
    // ever; it stops at its round cap.
    let space = mb_space(2.0);
    let [a, b, _] = MullerBrown::MINIMA.map(|m| m.1.to_vec());
    let est = elm_ad::BarrierEstimation { alpha_min: 0.0, trials: 1, ..Default::default() }
        .with_ad(AdParams::default().with_delta(0.01));
    let same = est.pair(&space, &a, &a, 1).unwrap();
    assert!(same.rounds <= 10_000 && same.barrier.is_some());
    // B -> A: 20% steps down from 200, then 3% steps, reach the plain 3% search's boundary
    // (within a few fine steps: trials are random) in far fewer rounds.
    let base = elm_ad::BarrierEstimation::default()
        .with_alpha_start(200.0)
        .with_trials(4)
        .with_ad(AdParams::default().with_delta(0.05).with_patience(200));
    let plain = base.pair(&space, &b, &a, 3).unwrap();
    let fast = base.with_bracketing(0.8).pair(&space, &b, &a, 3).unwrap();
    let (p, f) = (plain.alpha_boundary.unwrap(), fast.alpha_boundary.unwrap());
    assert!((f / p).ln().abs() < 5.0 * 0.03f64.ln_1p().abs() + 0.2, "boundaries {p} vs {f}");
    assert!(fast.rounds * 2 < plain.rounds, "{} vs {} rounds", fast.rounds, plain.rounds);
    assert!(base.with_bracketing(0.99).validate().is_err(), "coarse steps finer than fine ones");
}

#[test]
fn bad_proposals_states_and_records_are_errors_not_panics() {
    // Zero levels used to panic inside the proposal.
    let sk = sk_space();
    let r = Adelm::new(sk_params())
        .unwrap()
        .map(&sk, &mut UniformLevels { sites: 40, levels: 0 }, 1, |_| Control::Continue);
    assert!(r.is_err());
    // energy_drift checks every state before evaluating one.
    let space = mb_space(1.0);
    assert!(elm_ad::energy_drift(&space, &[vec![0.0, 0.0, 0.0]], &[1.0], 5, 1).is_err());
    // A record whose group index is out of range is refused on resume (and on load).
    let adelm = Adelm::new(sk_params().with_iterations(12)).unwrap();
    let mut record = adelm.start(&sk, 3).unwrap();
    let mut proposals = UniformLevels { sites: 40, levels: 2 };
    adelm
        .resume(
            &sk,
            &mut proposals,
            &mut record,
            |r| {
                if r.iterations_done < 5 { Control::Continue } else { Control::Stop }
            },
        )
        .unwrap();
    record.minima[0].group = 999;
    assert!(adelm.resume(&sk, &mut proposals, &mut record, |_| Control::Continue).is_err());
    let path = std::env::temp_dir().join(format!("elm-ad-bad-{}.json", std::process::id()));
    record.save(&path).unwrap();
    match AdelmRecord::<Vec<u8>>::load(&path) {
        Err(Error::Checkpoint(e)) => {
            let (p, message) = (e.path.display().to_string(), e.to_string());
            assert!(p.contains("elm-ad-bad-") && message.contains("inconsistent"), "{p}: {message}");
        }
        other => panic!("expected a checkpoint error, got {other:?}"),
    }
    std::fs::remove_file(&path).unwrap();
}

/// Three spins whose all-down state is a single-flip minimum (E = 0) with a lower state two flips
/// away (E = -5), the shape of a shallow image minimum.
#[derive(Debug, Clone)]
struct ShallowTarget;

impl elm_core::DiscreteEnergy for ShallowTarget {
    fn sites(&self) -> usize {
        3
    }
    fn levels(&self) -> usize {
        2
    }
    fn energy(&self, s: &[u8]) -> f64 {
        match s.iter().filter(|&&v| v == 1).count() {
            0 => 0.0,
            1 => 1.0,
            2 => -5.0,
            _ => 2.0,
        }
    }
}

#[test]
fn a_successful_trial_never_reports_a_barrier_below_its_target() {
    // The start lies within delta of the target and 5 below it: the chain "arrives" at once,
    // but a path to the target must climb to it.
    let space = DiscreteSpace::new(ShallowTarget, Gibbs::default().with_temperature(0.1));
    let p = AdParams::default().with_alpha(1.0).with_delta(1.5).with_patience(5);
    let out = trial(&space, p, &vec![1, 1, 0], &vec![0, 0, 0], 1);
    assert!(out.success);
    assert_eq!(out.barrier, 0.0, "floored at the target's energy");
}
