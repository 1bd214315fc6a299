//! The SK spin-glass setting shared by `sk_adelm`, `sk_gwl`, `sk_tuning` and `sk_overlay`.

use elm_ad::{
    AdParams, AdRng, AdelmParams, BarrierEstimation, BarrierReport, ConsolidationParams, DiscreteSpace, ProgressCheck,
    SweepOrder, greedy_barrier,
};
use elm_core::MagnetNorm;
use elm_core::reference::SherringtonKirkpatrick;
use elm_dg::{BarrierMatrix, BarrierSource};
use elm_mcmc::Gibbs;
use rand::SeedableRng;

/// Spins of the seed's spin glass (seed 000 Sec. 5.1).
pub const N: usize = 100;
/// AD temperature (seed 000 Sec. 5.1).
pub const TEMPERATURE: f64 = 0.1;
/// AD improvement limit in Gibbs sweeps (seed 000 Sec. 5.1).
pub const PATIENCE: usize = 100;
/// The magnetization of our SK maps (L2 on ±1 spins; see `sk_adelm` and `docs/design.md` for
/// why not the seed's 1.35).
pub const ALPHA: f64 = 10.5;
/// Groups a new minimum is tested against: the 12 with the lowest greedy interpolation barrier
/// (the authors' code uses 10-15).
pub const CANDIDATES: usize = 12;

/// The ADELM parameters of the SK examples (seed 000 Sec. 5.1 with the authors' code's
/// conventions): `T = 0.1`, `M = 100` sweeps, `δ = 0`, random-permutation sweeps with the
/// improvement test at the end of each sweep, membership AD against the 12 nearest groups, and
/// consolidation among each representative's 8 nearest with 3 trials each way, 4 successes
/// needed. Burn-in is a tenth of the run; consolidation every fifth and at the end.
pub fn adelm_params(iterations: usize, alpha: f64, norm: MagnetNorm) -> AdelmParams {
    let ad = AdParams::default()
        .with_alpha(alpha)
        .with_patience(PATIENCE)
        .with_delta(0.0)
        .with_norm(norm)
        .with_sweep_order(SweepOrder::RandomPermutation)
        .with_progress(ProgressCheck::EndOfSweep);
    AdelmParams::default()
        .with_iterations(iterations)
        .with_burn_in(iterations / 10)
        .with_consolidate_every(iterations / 5)
        .with_candidates(CANDIDATES)
        .with_consolidation(ConsolidationParams::default().with_quota(3, 4).with_candidates(8))
        .with_ad(ad)
}

/// The SK-100 instance of an example seed (the same in every SK example).
///
/// # Panics
/// Never (`N >= 2`).
pub fn instance(seed: u64) -> SherringtonKirkpatrick {
    let mut rng = AdRng::seed_from_u64(seed);
    SherringtonKirkpatrick::sample(N, &mut rng).expect("N >= 2")
}

/// The AD space: Gibbs sweeps at `T = 0.1`.
pub fn space(sk: SherringtonKirkpatrick) -> DiscreteSpace<SherringtonKirkpatrick, Gibbs> {
    DiscreteSpace::new(sk, Gibbs::default().with_temperature(TEMPERATURE))
}

/// Barriers between representatives: AD with `α` lowered from `5 α` in 20% steps until a
/// round fails, then in 3% steps from the last success, `trials`
/// trials per `α`, and greedy interpolation in both directions; the matrix keeps the lower.
/// Returns the AD estimates, the greedy barriers (row-major) and the combined matrix.
///
/// # Errors
/// AD or barrier-matrix errors.
pub fn barriers(
    space: &DiscreteSpace<SherringtonKirkpatrick, Gibbs>,
    reps: &[Vec<u8>],
    alpha: f64,
    norm: MagnetNorm,
    trials: usize,
    seed: u64,
) -> Result<(BarrierReport, Vec<f64>, BarrierMatrix), Box<dyn std::error::Error>> {
    let estimation = BarrierEstimation::default()
        .with_alpha_start(5.0 * alpha)
        .with_bracketing(0.8)
        .with_trials(trials)
        .with_ad(AdParams::default().with_patience(PATIENCE).with_norm(norm));
    let ad = estimation.all_pairs(space, reps, seed ^ 0xba)?;
    let n = reps.len();
    let mut greedy = vec![0.0; n * n];
    let mut matrix = ad.matrix.clone();
    for i in 0..n {
        greedy[i * n + i] = ad.matrix.energy(i);
        for j in (i + 1)..n {
            let g = greedy_barrier(&space.energy, &reps[i], &reps[j])?;
            greedy[i * n + j] = g;
            greedy[j * n + i] = g;
            matrix.lower_from(i, j, g, BarrierSource::Greedy)?;
        }
    }
    Ok((ad, greedy, matrix))
}
