//! Shared fixtures of the elm criterion benchmarks (`cargo bench -p elm-benches`).
//!
//! Each bench file covers one algorithm family and compares our variants in one run
//! (incremental vs full energy, serial vs rayon).

#![warn(missing_docs)]

use elm_core::reference::{LennardJones, SherringtonKirkpatrick};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The seeded SK instance with `n` spins every bench uses (seed 100).
pub fn sk(n: usize) -> SherringtonKirkpatrick {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(100);
    SherringtonKirkpatrick::sample(n, &mut rng).expect("n >= 2")
}

/// A seeded RNG for bench inputs.
pub fn rng(seed: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed)
}

/// A random compact LJ13 start configuration (seed 13).
pub fn lj13_start() -> (LennardJones, Vec<f64>) {
    let lj = LennardJones::new(13).expect("13 atoms");
    let x = lj.random_configuration(&mut rng(13));
    (lj, x)
}
