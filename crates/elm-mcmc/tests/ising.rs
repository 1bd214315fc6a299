//! 16 x 16 Ising model against Onsager's spontaneous magnetization.

use elm_core::DiscreteState;
use elm_core::reference::Ising;
use elm_mcmc::{Chain, DiscreteMetropolis, DiscreteSampler, Gibbs, observe};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

fn mean_abs_magnetization<S: DiscreteSampler<Ising>>(sampler: &S, seed: u64) -> f64 {
    let ising = Ising::new(16, 1.0, 0.0).unwrap();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut state = DiscreteState::new(&ising, vec![1; 256]).unwrap();
    let chain = Chain::new(6_000).with_burn_in(1_000).with_states(true);
    let report = chain.run_discrete(sampler, &ising, &mut state, &mut rng, observe::nothing()).unwrap();
    assert!(state.resync(&ising) < 1e-9);
    report.states.iter().map(|s| ising.magnetization(s).abs()).sum::<f64>() / report.states.len() as f64
}

#[test]
fn magnetization_matches_onsager_below_and_vanishes_above_tc() {
    // Onsager-Yang: M(T) = (1 - sinh(2/T)^-4)^(1/8) for T < T_c = 2.269, 0 above. Deep in the
    // ordered phase finite-size corrections at L = 16 are below 0.01; above T_c the finite
    // lattice keeps <|m|> ~ L^(-1/8) * (small) -> well below 0.3 at T = 3.5.
    for t in [1.6, 1.9] {
        let onsager = Ising::onsager_magnetization(t);
        let g = mean_abs_magnetization(&Gibbs::default().with_temperature(t), 1);
        let m = mean_abs_magnetization(&DiscreteMetropolis::default().with_temperature(t), 2);
        assert!((g - onsager).abs() < 0.02, "Gibbs T={t}: {g} vs Onsager {onsager}");
        assert!((m - onsager).abs() < 0.02, "Metropolis T={t}: {m} vs Onsager {onsager}");
    }
    let t = 3.5;
    let g = mean_abs_magnetization(&Gibbs::default().with_temperature(t), 3);
    let m = mean_abs_magnetization(&DiscreteMetropolis::default().with_temperature(t), 4);
    assert!(g < 0.2 && m < 0.2, "above T_c: Gibbs {g}, Metropolis {m}");
}
