//! GWL on spin glasses small enough to enumerate.

use elm_core::reference::SherringtonKirkpatrick;
use elm_core::{DiscreteDescent, DiscreteEnergy, DiscreteState};
use elm_dg::{BarrierMatrix, DgParams, DisconnectivityGraph, compare_within};
use elm_gwl::{Control, Error, GeneralizedWangLandau, GwlParams, GwlRecord};
use rand::SeedableRng;
use std::collections::HashMap;

fn bits(c: usize, n: usize) -> Vec<u8> {
    (0..n).map(|i| ((c >> i) & 1) as u8).collect()
}

fn code(s: &[u8]) -> usize {
    elm_core::reference::ExactLandscape::code(s)
}

fn map(sk: &SherringtonKirkpatrick, steps: u64, seed: u64) -> GwlRecord {
    let n = sk.sites() as f64;
    // The seed's spectrum [-0.8, -0.35] per spin (seed 000 Sec. 5.1), at this size.
    let params =
        GwlParams::new(-0.8 * n, -0.35 * n, steps).with_intervals(20).with_block(20_000).with_check_every(20_000);
    GeneralizedWangLandau::new(params).unwrap().map(sk, seed, |_| Control::Continue).unwrap()
}

#[test]
fn gwl_finds_the_lowest_minima_and_bounds_the_exact_barriers() {
    for (n, seed) in [(14usize, 14u64), (16, 16), (18, 18)] {
        let mut rng = elm_core::TaskRng::seed_from_u64(seed);
        let sk = SherringtonKirkpatrick::sample(n, &mut rng).unwrap();
        let exact = sk.exact_landscape().unwrap();
        let record = map(&sk, 400_000, seed);
        let found: HashMap<usize, u32> =
            record.basins.iter().enumerate().map(|(id, b)| (code(&b.minimum), id as u32)).collect();
        // Every recorded basin minimum is a genuine single-flip minimum.
        for b in &record.basins {
            assert!(exact.minima.contains(&code(&b.minimum)), "N={n}: recorded a non-minimum");
            assert!((b.energy - exact.energies[code(&b.minimum)]).abs() < 1e-9);
        }
        // The 20 lowest exact minima are all found (fewer if the instance has fewer).
        let k = 20.min(exact.minima.len());
        for (rank, c) in exact.minima.iter().take(k).enumerate() {
            assert!(found.contains_key(c), "N={n}: exact minimum #{rank} (E = {}) not found", exact.energies[*c]);
        }
        // Barriers between them: never below the exact minimax barriers, and close to them.
        let ids: Vec<u32> = exact.minima.iter().take(k).map(|c| found[c]).collect();
        let b = record.barriers(&sk, &ids).unwrap();
        let mut worst: f64 = 0.0;
        for i in 0..k {
            for j in (i + 1)..k {
                let truth = exact.barriers[i][j];
                let est = b.matrix.get(i, j);
                assert!(est >= truth - 1e-9, "N={n}: estimate {est} below exact {truth}");
                worst = worst.max(est - truth);
            }
        }
        // Tolerance: 0.1 energy units (ground states are ~ -0.7 N, barriers ~1-3 above them).
        assert!(worst < 0.1, "N={n}: barriers up to {worst} above the exact ones");
        // The trees: where every barrier is exact to within `worst`, the tie-tolerant comparison
        // at that accuracy agrees on every cluster whose merge is separated from the next by more.
        let truth = BarrierMatrix::from_rows(k, (0..k * k).map(|c| exact.barriers[c / k][c % k]).collect()).unwrap();
        let p = DgParams::default();
        let (dt, dg) = (
            DisconnectivityGraph::from_barriers(&truth, &p).unwrap(),
            DisconnectivityGraph::from_barriers(&b.matrix, &p).unwrap(),
        );
        let strict = compare_within(&dt, &dg, 0.0).unwrap();
        let tolerant = compare_within(&dt, &dg, worst + 1e-9).unwrap();
        println!(
            "N={n}: worst barrier error {worst:.2e}, agreement {} strict, {} tolerant",
            strict.agreement, tolerant.agreement
        );
        assert!(tolerant.agreement >= strict.agreement);
        if worst < 1e-6 {
            assert_eq!(tolerant.agreement, 1.0, "N={n}");
        }
    }
}

#[test]
fn weights_learn_the_bin_masses_of_a_tiny_system() {
    // SK-8 with a uniform target (T = inf): a converged Wang-Landau walk makes the visit
    // histogram flat, so the log-weights theta of the bins match the logarithm of their sizes
    // (number of states) up to a common constant (Wang & Landau 2001).
    let mut rng = elm_core::TaskRng::seed_from_u64(8);
    let sk = SherringtonKirkpatrick::sample(8, &mut rng).unwrap();
    let (lo, hi, k) = (-8.0, 8.0, 4usize);
    let params = GwlParams::new(lo, hi, 3_000_000)
        .with_intervals(k)
        .with_block(100_000)
        .with_check_every(20_000)
        .with_gamma(0.5);
    let record = GeneralizedWangLandau::new(params).unwrap().map(&sk, 3, |_| Control::Continue).unwrap();
    assert!(record.stages >= 8, "the histogram must have been flat repeatedly (stages {})", record.stages);
    // Exact bin sizes: basin by steepest descent (the same deterministic rule), interval by energy.
    let id: HashMap<Vec<u8>, u32> =
        record.basins.iter().enumerate().map(|(i, b)| (b.minimum.clone(), i as u32)).collect();
    let mut size: HashMap<(u32, u16), f64> = HashMap::new();
    for c in 0..256 {
        let mut s = DiscreteState::new(&sk, bits(c, 8)).unwrap();
        let e = s.energy();
        DiscreteDescent::default().minimize(&sk, &mut s).unwrap();
        let interval = (((e - lo) / (hi - lo) * k as f64) as usize).min(k - 1) as u16;
        *size.entry((id[s.as_slice()], interval)).or_insert(0.0) += 1.0;
    }
    let theta: HashMap<(u32, u16), f64> = record.weights.iter().copied().collect();
    assert_eq!(theta.len(), size.len(), "every non-empty bin visited, and only those");
    let offsets: Vec<f64> = size.iter().map(|(bin, n)| theta[bin] - n.ln()).collect();
    let mean = offsets.iter().sum::<f64>() / offsets.len() as f64;
    let spread = offsets.iter().map(|o| (o - mean).abs()).fold(0.0, f64::max);
    assert!(spread < 0.25, "theta - ln(size) varies by {spread} across {} bins", offsets.len());
}

#[test]
fn resume_equals_an_uninterrupted_run() {
    let mut rng = elm_core::TaskRng::seed_from_u64(30);
    let sk = SherringtonKirkpatrick::sample(30, &mut rng).unwrap();
    let params = GwlParams::new(-0.8 * 30.0, -0.35 * 30.0, 60_000).with_block(10_000).with_check_every(10_000);
    let gwl = GeneralizedWangLandau::new(params).unwrap();
    let full = gwl.map(&sk, 5, |_| Control::Continue).unwrap();
    let partial =
        gwl.map(&sk, 5, |r| if r.iterations_done == 30_000 { Control::Stop } else { Control::Continue }).unwrap();
    assert_eq!(partial.iterations_done, 30_000);
    // Saved as a compact binary checkpoint; a JSON record (as written before) loads too.
    let path = std::env::temp_dir().join(format!("elm-gwl-{}.bin", std::process::id()));
    partial.save(&path).unwrap();
    assert!(std::fs::read(&path).unwrap().starts_with(b"elm-checkpoint-binary 1 "));
    let mut restored = GwlRecord::load(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(restored, partial);
    let json = path.with_extension("json");
    elm_core::checkpoint::save_json(&json, &partial).unwrap();
    assert_eq!(GwlRecord::load(&json).unwrap(), partial);
    std::fs::remove_file(&json).unwrap();
    gwl.resume(&sk, &mut restored, |_| Control::Continue).unwrap();
    assert_eq!(restored, full);
    let other = GeneralizedWangLandau::new(params.with_intervals(10)).unwrap();
    assert!(matches!(other.resume(&sk, &mut partial.clone(), |_| Control::Continue), Err(Error::Resume(_))));
}

#[test]
fn bad_parameters_are_errors() {
    let p = GwlParams::new(-10.0, -3.0, 100);
    assert!(p.validate().is_ok());
    for bad in [
        p.with_temperature(0.0),
        p.with_temperature(f64::NAN),
        GwlParams::new(-3.0, -10.0, 100),
        GwlParams::new(f64::NEG_INFINITY, -3.0, 100),
        p.with_intervals(0),
        p.with_gamma(0.0),
        p.with_block(0),
        p.with_keep_minima(0),
    ] {
        assert!(matches!(bad.validate(), Err(Error::Core(elm_core::Error::InvalidParameter { .. }))), "{bad:?}");
        assert!(GeneralizedWangLandau::new(bad).is_err());
    }
    // A spectrum no state of the instance reaches.
    let mut rng = elm_core::TaskRng::seed_from_u64(1);
    let sk = SherringtonKirkpatrick::sample(10, &mut rng).unwrap();
    let gwl = GeneralizedWangLandau::new(GwlParams::new(-100.0, -90.0, 100)).unwrap();
    assert!(matches!(gwl.start(&sk, 0), Err(Error::OutsideSpectrum { .. })));
}

/// Spins whose energy is NaN when the first two spins are up.
struct Holed(SherringtonKirkpatrick);

impl DiscreteEnergy for Holed {
    fn sites(&self) -> usize {
        self.0.sites()
    }
    fn levels(&self) -> usize {
        2
    }
    fn energy(&self, s: &[u8]) -> f64 {
        if s[0] == 1 && s[1] == 1 { f64::NAN } else { self.0.energy(s) }
    }
}

/// No sites at all.
struct Empty;

impl DiscreteEnergy for Empty {
    fn sites(&self) -> usize {
        0
    }
    fn levels(&self) -> usize {
        2
    }
    fn energy(&self, _: &[u8]) -> f64 {
        0.0
    }
}

#[test]
fn bad_energies_and_ids_are_errors_not_panics() {
    let sk = SherringtonKirkpatrick::sample(12, &mut elm_core::TaskRng::seed_from_u64(4)).unwrap();
    let params = GwlParams::new(-0.8 * 12.0, -0.2 * 12.0, 20_000).with_block(10_000).with_check_every(10_000);
    let gwl = GeneralizedWangLandau::new(params).unwrap();
    assert!(gwl.start(&Empty, 1).is_err());
    // An energy undefined on a quarter of the states: the run either starts and steps around
    // the holes, or says it cannot start; it never panics.
    for seed in 0..8 {
        if let Ok(record) = gwl.map(&Holed(sk.clone()), seed, |_| Control::Continue) {
            assert!(record.basins.iter().all(|b| b.energy.is_finite()));
        }
    }
    let record = map(&sk, 20_000, 1);
    assert!(record.barriers(&sk, &[0, 999_999]).is_err());
    // A record with a basin id out of range is refused on resume.
    let mut broken = record.clone();
    broken.weights.push(((999_999, 0), 1.0));
    let more = GeneralizedWangLandau::new(record.params).unwrap();
    assert!(more.resume(&sk, &mut broken, |_| Control::Continue).is_err());
}

/// The parameter pattern of the workspace: `Default` + `with_*` + one checking step; the
/// spectrum, which has no default, is named in the error until it is set.
#[test]
fn default_parameters_ask_for_the_spectrum() {
    let err = elm_gwl::GeneralizedWangLandau::new(GwlParams::default()).unwrap_err();
    assert!(err.to_string().contains("with_spectrum"), "{err}");
    let p = GwlParams::default().with_spectrum(-10.0, 0.0).with_iterations(1000);
    assert_eq!(p, GwlParams::new(-10.0, 0.0, 1000));
    assert!(elm_gwl::GeneralizedWangLandau::new(p).is_ok());
}
