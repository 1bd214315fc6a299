//! Gibbs and single-site Metropolis against the exact Boltzmann distribution of systems small
//! enough to enumerate (3x3 Ising: 512 states; N = 8 SK: 256 states).

use elm_core::reference::{Ising, SherringtonKirkpatrick};
use elm_core::{DiscreteEnergy, DiscreteState};
use elm_mcmc::{DiscreteMetropolis, DiscreteSampler, Gibbs};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

fn code(s: &[u8]) -> usize {
    s.iter().enumerate().map(|(i, &l)| usize::from(l) << i).sum()
}

fn bits(c: usize, n: usize) -> Vec<u8> {
    (0..n).map(|i| ((c >> i) & 1) as u8).collect()
}

/// Exact Boltzmann probabilities of every state at temperature `t`.
fn boltzmann<E: DiscreteEnergy>(e: &E, t: f64) -> Vec<f64> {
    let n = e.sites();
    let energies: Vec<f64> = (0..1usize << n).map(|c| e.energy(&bits(c, n))).collect();
    let min = energies.iter().copied().fold(f64::INFINITY, f64::min);
    let w: Vec<f64> = energies.iter().map(|x| (-(x - min) / t).exp()).collect();
    let z: f64 = w.iter().sum();
    w.iter().map(|x| x / z).collect()
}

/// Empirical state distribution over `sweeps` sweeps (one sample per sweep).
fn empirical<E: DiscreteEnergy, S: DiscreteSampler<E>>(e: &E, sampler: &S, sweeps: usize, seed: u64) -> Vec<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut state = DiscreteState::random(e, &mut rng).unwrap();
    let mut counts = vec![0.0; 1 << e.sites()];
    for _ in 0..1000 {
        sampler.sweep(e, &mut state, &mut rng);
    }
    for _ in 0..sweeps {
        sampler.sweep(e, &mut state, &mut rng);
        counts[code(state.as_slice())] += 1.0;
    }
    counts.iter().map(|c| c / sweeps as f64).collect()
}

fn total_variation(p: &[f64], q: &[f64]) -> f64 {
    0.5 * p.iter().zip(q).map(|(a, b)| (a - b).abs()).sum::<f64>()
}

/// Checks TV(empirical, exact) < tol, and that the test has power: the same samples are
/// clearly far from the Boltzmann distribution at a 30% different temperature.
fn check<E: DiscreteEnergy, S: DiscreteSampler<E>>(name: &str, e: &E, sampler: &S, t: f64, seed: u64) {
    // 200 000 sweeps; with K states and n samples the expected TV of a correct sampler is about
    // 0.4 sqrt(K / n_eff) <= 0.03 here (n_eff >= 1e5 since these chains decorrelate in ~1 sweep).
    let tol = 0.04;
    let emp = empirical(e, sampler, 200_000, seed);
    let tv = total_variation(&emp, &boltzmann(e, t));
    assert!(tv < tol, "{name}: TV to the exact Boltzmann distribution {tv} >= {tol}");
    let tv_wrong = total_variation(&emp, &boltzmann(e, 1.3 * t));
    assert!(tv_wrong > 2.0 * tol, "{name}: test has no power (TV at wrong T = {tv_wrong})");
}

#[test]
fn ising_3x3_gibbs_and_metropolis_are_exact() {
    let ising = Ising::new(3, 1.0, 0.2).unwrap();
    check("Gibbs / Ising 3x3", &ising, &Gibbs::default().with_temperature(2.0), 2.0, 1);
    check("Metropolis / Ising 3x3", &ising, &DiscreteMetropolis::default().with_temperature(2.0), 2.0, 2);
}

#[test]
fn sk_8_gibbs_and_metropolis_are_exact() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(8);
    let sk = SherringtonKirkpatrick::sample(8, &mut rng).unwrap();
    check("Gibbs / SK-8", &sk, &Gibbs::default().with_temperature(0.5), 0.5, 3);
    check("Metropolis / SK-8", &sk, &DiscreteMetropolis::default().with_temperature(0.5), 0.5, 4);
}

/// A 3-level energy checks the multi-level heat-bath path (the 2-level one has a closed form).
#[derive(Debug)]
struct Potts1D {
    n: usize,
}

impl DiscreteEnergy for Potts1D {
    fn sites(&self) -> usize {
        self.n
    }
    fn levels(&self) -> usize {
        3
    }
    fn energy(&self, s: &[u8]) -> f64 {
        // Ferromagnetic 3-state Potts chain plus a field favouring level 2.
        let bonds = (0..self.n - 1).filter(|&i| s[i] == s[i + 1]).count() as f64;
        let field = s.iter().filter(|&&l| l == 2).count() as f64;
        -bonds - 0.3 * field
    }
}

#[test]
fn three_level_gibbs_and_metropolis_are_exact() {
    let potts = Potts1D { n: 6 };
    let t = 1.0;
    let states = 3usize.pow(6);
    let decode = |mut c: usize| {
        (0..6)
            .map(|_| {
                let l = (c % 3) as u8;
                c /= 3;
                l
            })
            .collect::<Vec<u8>>()
    };
    let encode = |s: &[u8]| s.iter().rev().fold(0usize, |acc, &l| acc * 3 + usize::from(l));
    let energies: Vec<f64> = (0..states).map(|c| potts.energy(&decode(c))).collect();
    let exact = |t: f64| {
        let w: Vec<f64> = energies.iter().map(|e| (-e / t).exp()).collect();
        let z: f64 = w.iter().sum();
        w.into_iter().map(|x| x / z).collect::<Vec<f64>>()
    };
    for (name, seed) in [("Gibbs", 5u64), ("Metropolis", 6)] {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut state = DiscreteState::random(&potts, &mut rng).unwrap();
        let mut counts = vec![0.0; states];
        let sweeps = 200_000;
        for _ in 0..sweeps {
            if name == "Gibbs" {
                Gibbs::default().with_temperature(t).sweep(&potts, &mut state, &mut rng);
            } else {
                DiscreteMetropolis::default().with_temperature(t).sweep(&potts, &mut state, &mut rng);
            }
            counts[encode(state.as_slice())] += 1.0 / sweeps as f64;
        }
        let tv = total_variation(&counts, &exact(t));
        assert!(tv < 0.04, "{name} / 3-level Potts: TV {tv}");
        assert!(total_variation(&counts, &exact(1.3 * t)) > 0.08, "{name}: no power");
        assert!(state.resync(&potts) < 1e-9, "tracked energy drifted");
    }
}
