//! Per-task random number generators: the same seed gives the same map on any thread count.

use rand::SeedableRng;

/// The RNG every ADELM task runs on (fast, small state, seedable, stable output).
pub type AdRng = rand_xoshiro::Xoshiro256PlusPlus;

/// SplitMix64 finalizer: decorrelates nearby integers.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The RNG of task `(a, b, c)` under `master`: independent of which thread runs the task and
/// of the order tasks run in. ADELM uses `(iteration, role, index)`.
///
/// # Example
/// ```
/// use rand::RngExt;
/// let mut x = elm_ad::task_rng(7, 1, 2, 3);
/// let mut y = elm_ad::task_rng(7, 1, 2, 3);
/// assert_eq!(x.random::<u64>(), y.random::<u64>());
/// ```
pub fn task_rng(master: u64, a: u64, b: u64, c: u64) -> AdRng {
    let seed = mix(mix(mix(master ^ 0x9e37_79b9_7f4a_7c15).wrapping_add(a)).wrapping_add(b)).wrapping_add(c);
    AdRng::seed_from_u64(mix(seed))
}
