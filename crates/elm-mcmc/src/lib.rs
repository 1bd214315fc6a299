//! # elm-mcmc
//!
//! Local Markov chain Monte Carlo samplers over the `elm-core` energy traits, the engine under
//! Attraction-Diffusion (which needs *local* chains it can watch step by step), Generalized
//! Wang-Landau and energy-based-model training.
//!
//! | sampler | state | needs | target |
//! |---|---|---|---|
//! | [`RandomWalkMetropolis`] | continuous | [`elm_core::Energy`] | exact |
//! | [`ComponentwiseMetropolis`] | continuous | [`elm_core::Energy`] | exact |
//! | [`Langevin`] (ULA, noise indicator `τ`) | continuous | [`elm_core::Gradient`] | `O(ε²)` bias |
//! | [`Mala`] | continuous | [`elm_core::Gradient`] | exact |
//! | [`Hmc`] | continuous | [`elm_core::Gradient`] | exact |
//! | [`Gibbs`] (heat bath) | discrete | [`elm_core::DiscreteEnergy`] | exact |
//! | [`DiscreteMetropolis`] | discrete | [`elm_core::DiscreteEnergy`] | exact |
//!
//! Every sampler targets `exp(-E/T)` at its own temperature `T`, steps a caller-owned state
//! in place without allocating ([`ContinuousSampler::step`], [`DiscreteSampler::update_site`],
//! [`DiscreteSampler::sweep`]), and takes an explicit RNG. [`Chain`] runs whole chains with an
//! observer (any `FnMut(&ChainProgress<_>) -> Control`, or a stock one of [`observe`]) that
//! can stop them; [`diagnostics`] gives autocorrelations, integrated
//! autocorrelation times and effective sample sizes.
//!
//! ## Example: sample the 2-D Ising model below its critical temperature
//! ```
//! use elm_core::{DiscreteState, reference::Ising};
//! use elm_mcmc::{Chain, Gibbs, observe};
//! use rand::SeedableRng;
//! let ising = Ising::new(16, 1.0, 0.0).unwrap();
//! let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
//! let mut state = DiscreteState::new(&ising, vec![1; 256]).unwrap();
//! let gibbs = Gibbs::default().with_temperature(1.8);
//! let report = Chain::new(600).with_burn_in(100).with_states(true)
//!     .run_discrete(&gibbs, &ising, &mut state, &mut rng, observe::nothing()).unwrap();
//! let m: f64 = report.states.iter().map(|s| ising.magnetization(s).abs()).sum::<f64>() / 500.0;
//! assert!((m - Ising::onsager_magnetization(1.8)).abs() < 0.03);
//! ```
//!
//! ## References
//! - \[000\] M. Hill, E. Nijkamp, S.-C. Zhu, *Building a telescope to look into high-dimensional
//!   image spaces*, Quarterly of Applied Mathematics 77 (2019).
//! - \[001\] M. Hill, *Learning and mapping energy functions of high-dimensional image data*,
//!   PhD thesis, UCLA (2020).
//! - \[002\] A. J. Ballard et al., *Energy landscapes for machine learning*, PCCP 19 (2017).
//! - \[003\] F. Draxler et al., *Essentially no barriers in neural network energy landscape*,
//!   ICML (2018).
//! - \[004\] A. Gamst, A. Walker, *The energy landscape of a simple neural network* (2017).
//!
//! Each item's docs cite the section, equation or figure of the paper it implements
//! ("seed 000 Sec. 3.2" is \[000\] above).
//! Beyond them: Metropolis et al. (1953), Hastings (1970); MALA: Roberts & Tweedie (1996);
//! HMC: Duane et al. (1987), Neal (2011); autocorrelation windows: Sokal (1997).

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod chain;
pub mod diagnostics;
mod error;
mod gibbs;
mod hmc;
mod langevin;
mod random_walk;
mod sampler;
mod state;

pub use chain::{Chain, ChainProgress, ChainReport};
pub use elm_core::{Observer, observe};
pub use error::{Error, Result};
pub use gibbs::{DiscreteMetropolis, Gibbs};
pub use hmc::Hmc;
pub use langevin::{Langevin, Mala};
pub use random_walk::{ComponentwiseMetropolis, RandomWalkMetropolis};
pub use sampler::{ContinuousSampler, Control, DiscreteSampler, metropolis_accept};
pub use state::ContinuousState;
