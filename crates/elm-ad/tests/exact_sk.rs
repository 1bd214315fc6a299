//! ADELM on small SK spin glasses against exhaustive enumeration.

use elm_ad::{
    AdParams, Adelm, AdelmParams, BarrierEstimation, ConsolidationParams, Control, DiscreteSpace, ProgressCheck,
    SweepOrder, UniformLevels, greedy_barrier,
};
use elm_core::DiscreteEnergy;
use elm_core::reference::ExactLandscape as Exact;
use elm_core::reference::SherringtonKirkpatrick;
use elm_mcmc::Gibbs;
use rand::SeedableRng;

fn bits(c: usize, n: usize) -> Vec<u8> {
    (0..n).map(|i| ((c >> i) & 1) as u8).collect()
}

fn code(s: &[u8]) -> usize {
    Exact::code(s)
}

/// The seeded SK-18 instance, its exact landscape and an ADELM map at the seed's parameters
/// (T = 0.1, alpha = 1.35, M = 100 sweeps, delta = 0; 300 iterations instead of 5000).
fn mapped()
-> (SherringtonKirkpatrick, Exact, elm_ad::AdelmRecord<Vec<u8>>, DiscreteSpace<SherringtonKirkpatrick, Gibbs>) {
    let n = 18;
    let mut rng = elm_ad::AdRng::seed_from_u64(18);
    let sk = SherringtonKirkpatrick::sample(n, &mut rng).unwrap();
    let exact = sk.exact_landscape().unwrap();
    let space = DiscreteSpace::new(sk.clone(), Gibbs::default().with_temperature(0.1));
    let params = AdelmParams::default()
        .with_iterations(300)
        .with_burn_in(100)
        .with_consolidate_every(100)
        .with_ad(AdParams::default().with_alpha(1.35).with_patience(100).with_delta(0.0));
    let record = Adelm::new(params)
        .unwrap()
        .map(&space, &mut UniformLevels { sites: n, levels: 2 }, 5, |_| Control::Continue)
        .unwrap();
    (sk, exact, record, space)
}

#[test]
fn adelm_representatives_are_the_bottoms_of_the_deepest_basins() {
    let (sk, exact, record, _) = mapped();
    let idx: std::collections::HashMap<usize, usize> = exact.minima.iter().enumerate().map(|(k, &c)| (c, k)).collect();
    let basins = record.basins();
    let reps: Vec<usize> = basins.iter().map(|&g| idx[&code(&record.groups[g].representative)]).collect();
    // Macroscopic structure: a handful of basins out of the 68 single-flip minima.
    assert!(exact.minima.len() > 30 && (2..=10).contains(&reps.len()), "{} minima, reps {reps:?}", exact.minima.len());
    // The two lowest representatives are the exact ground state and its mirror (E(s) = E(-s)).
    let mut lowest = reps[..2].to_vec();
    lowest.sort();
    assert_eq!(lowest, vec![0, 1], "ground-state pair not both found: {reps:?}");
    // Each representative is the lowest minimum of its exact basin: every minimum connected to
    // it below its lowest exact barrier to the other representatives lies above it.
    for (a, &k) in reps.iter().enumerate() {
        let level = reps
            .iter()
            .enumerate()
            .filter(|&(b, _)| b != a)
            .map(|(_, &l)| exact.barriers[k][l])
            .fold(f64::INFINITY, f64::min);
        for l in 0..exact.minima.len() {
            if exact.barriers[k][l] < level {
                assert!(
                    exact.energies[exact.minima[l]] >= exact.energies[exact.minima[k]],
                    "rep #{k} is not the bottom of its basin (#{l} is lower)"
                );
            }
        }
    }
    // Mirror basins come in pairs: the mirror of every representative was found by the map
    // (as a representative or, near the metastable border, as a member of another basin, as
    // the orange dots of seed 000 Fig. 12).
    let found: std::collections::HashSet<Vec<u8>> = record.minima.iter().map(|m| m.state.clone()).collect();
    for &g in &basins {
        let mirror = SherringtonKirkpatrick::mirror(&record.groups[g].representative);
        assert!(found.contains(&mirror), "mirror of group {g} never found");
        assert!((sk.energy(&mirror) - record.groups[g].energy).abs() < 1e-9);
    }
}

#[test]
fn ad_barriers_are_upper_bounds_close_to_the_exact_barriers() {
    let (sk, exact, record, space) = mapped();
    let idx: std::collections::HashMap<usize, usize> = exact.minima.iter().enumerate().map(|(k, &c)| (c, k)).collect();
    // Every successful AD path from a minimum to its representative climbs at least to the
    // exact minimax barrier between them.
    let ad = elm_ad::AttractionDiffusion::new(AdParams::default().with_alpha(1.35).with_patience(100)).unwrap();
    let mut successes = 0;
    for (t, m) in record.minima.iter().enumerate().take(120) {
        let rep = &record.groups[m.group].representative;
        let mut r = elm_ad::task_rng(1, t as u64, 0, 0);
        let out = elm_ad::AdSpace::trial(&space, &ad, &m.state, rep, &mut r).unwrap();
        if out.success {
            successes += 1;
            let truth = exact.barriers[idx[&code(&m.state)]][idx[&code(rep)]];
            assert!(out.barrier >= truth - 1e-9, "AD barrier {} below exact {truth}", out.barrier);
        }
    }
    assert!(successes > 30, "too few successful trials ({successes}) to test anything");
    // Barrier estimation between representatives (seed 000 Sec. 3.4: 3% alpha steps), combined
    // with the greedy interpolation as in Sec. 5.1: never below the truth, and within 0.3 of it
    // (the ground-state depth is 1.85; seed 000 Fig. 15 reports AD paths "only slightly above").
    let basins = record.basins();
    let reps: Vec<Vec<u8>> = basins.iter().map(|&g| record.groups[g].representative.clone()).collect();
    let est = BarrierEstimation::default()
        .with_alpha_start(20.0)
        .with_trials(10)
        .with_ad(AdParams::default().with_patience(100));
    let b = est.all_pairs(&space, &reps, 9).unwrap();
    let mut worst: f64 = 0.0;
    for i in 0..reps.len() {
        for j in (i + 1)..reps.len() {
            let truth = exact.barriers[idx[&code(&reps[i])]][idx[&code(&reps[j])]];
            let greedy = greedy_barrier(&sk, &reps[i], &reps[j]).unwrap();
            assert!(greedy >= truth - 1e-9, "greedy barrier below the truth");
            let ad = b.get(i, j).expect("alpha_start = 20 always connects");
            assert!(ad >= truth - 1e-9, "AD estimate {ad} below the truth {truth}");
            worst = worst.max(ad.min(greedy) - truth);
        }
    }
    assert!(worst < 0.3, "estimates up to {worst} above the exact barriers");
}

#[test]
fn greedy_interpolation_bounds_exact_barriers_on_many_instances() {
    for seed in 0..4 {
        let mut rng = elm_ad::AdRng::seed_from_u64(100 + seed);
        let sk = SherringtonKirkpatrick::sample(16, &mut rng).unwrap();
        let exact = sk.exact_landscape().unwrap();
        for a in 0..exact.minima.len().min(8) {
            for b in (a + 1)..exact.minima.len().min(8) {
                let (sa, sb) = (bits(exact.minima[a], 16), bits(exact.minima[b], 16));
                let g = greedy_barrier(&sk, &sa, &sb).unwrap();
                assert!(g >= exact.barriers[a][b] - 1e-9);
            }
        }
    }
}

#[test]
fn the_map_of_a_spin_glass_is_mirror_symmetric() {
    // E(s) = E(-s): every basin has a mirror basin, and a map that respects the landscape finds
    // both. SK-20 (1 048 576 states, enumerated), with the SK examples' conventions (random-
    // permutation sweeps, end-of-sweep progress, 12 candidate groups, consolidation among the 8
    // nearest with 4 of 6 trials succeeding), 600 iterations, at an alpha in the critical range.
    let n = 20;
    let mut rng = elm_ad::AdRng::seed_from_u64(20);
    let sk = SherringtonKirkpatrick::sample(n, &mut rng).unwrap();
    let exact = sk.exact_landscape().unwrap();
    let space = DiscreteSpace::new(sk.clone(), Gibbs::default().with_temperature(0.1));
    let params = AdelmParams::default()
        .with_iterations(600)
        .with_burn_in(60)
        .with_consolidate_every(120)
        .with_candidates(12)
        .with_consolidation(ConsolidationParams::default().with_quota(3, 4).with_candidates(8))
        .with_ad(
            AdParams::default()
                .with_alpha(ALPHA_20)
                .with_patience(100)
                .with_delta(0.0)
                .with_sweep_order(SweepOrder::RandomPermutation)
                .with_progress(ProgressCheck::EndOfSweep),
        );
    let record = Adelm::new(params)
        .unwrap()
        .map(&space, &mut UniformLevels { sites: n, levels: 2 }, 20, |_| Control::Continue)
        .unwrap();
    let reps: Vec<Vec<u8>> = record.representatives().into_iter().cloned().collect();
    let paired = reps.iter().filter(|r| reps.contains(&SherringtonKirkpatrick::mirror(r))).count();
    println!("SK-20: {} exact minima, {} basins, {paired} with their mirror basin", exact.minima.len(), reps.len());
    // The ground state and its mirror are separate basins, and most basins come in pairs.
    let codes: Vec<usize> = reps.iter().map(|r| code(r)).collect();
    assert!(codes.contains(&exact.minima[0]) && codes.contains(&exact.minima[1]), "ground-state pair");
    assert!(reps.len() >= 4 && paired * 10 >= reps.len() * 8, "{paired} of {} paired", reps.len());
}

/// The critical-range alpha of the SK-20 instance above.
const ALPHA_20: f64 = 4.0;
