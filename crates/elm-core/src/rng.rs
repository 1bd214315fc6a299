//! Per-task random number generators: the workspace's determinism contract. Every parallel
//! driver (ADELM trials, barrier searches, GWL blocks) derives each task's RNG from a master
//! seed and the task's coordinates, so a result does not depend on the thread count or on the
//! order tasks run in, and a resumed run repeats an uninterrupted one.

use rand::SeedableRng;

/// The RNG every task runs on (xoshiro256++: fast, small state, seedable, stable output).
pub type TaskRng = rand_xoshiro::Xoshiro256PlusPlus;

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
/// let mut x = elm_core::rng::task_rng(7, 1, 2, 3);
/// let mut y = elm_core::rng::task_rng(7, 1, 2, 3);
/// assert_eq!(x.random::<u64>(), y.random::<u64>());
/// ```
pub fn task_rng(master: u64, a: u64, b: u64, c: u64) -> TaskRng {
    let seed = mix(mix(mix(master ^ 0x9e37_79b9_7f4a_7c15).wrapping_add(a)).wrapping_add(b)).wrapping_add(c);
    TaskRng::seed_from_u64(mix(seed))
}
