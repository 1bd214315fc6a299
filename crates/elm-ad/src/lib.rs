//! # elm-ad
//!
//! Attraction-Diffusion (AD) and the ADELM energy-landscape mapping algorithm of Hill,
//! Nijkamp & Zhu (seed 000) and Hill's thesis (seed 001): find the macroscopic metastable
//! basins of a landscape, their representatives and the barriers between them.
//!
//! - [`AttractionDiffusion`]: one AD trial, continuous or discrete, with any local sampler of
//!   `elm-mcmc` (seed 000 Sec. 3).
//! - [`Adelm`]: the mapping algorithm (seed 000 Alg. 1), parallel with rayon and deterministic
//!   in its seed, with burn-in, consolidation, progress reports and a serde [`AdelmRecord`]
//!   that checkpoints and resumes.
//! - [`BarrierEstimation`]: barriers between representatives by decreasing `α` (seed 000
//!   Sec. 3.4, 4.3); [`phase_diagram`], [`alpha_tuning`], [`energy_drift`] for tuning (seed 000
//!   Fig. 9-10, seed 001 Fig. 5.2); [`greedy_interpolation`] for spin systems (seed 000 Sec. 5.1).
//!
//! `elm-ad` is the front door of the workspace: it re-exports what a mapping needs
//! ([`core`] for the energy traits and minimizers, [`mcmc`] for the samplers, [`dg`] for
//! disconnectivity graphs, [`rand`] so versions cannot mismatch, and a [`prelude`]), so a
//! project that adds `elm-ad` alone can implement its energy, map it, estimate the barriers
//! and draw the graph. The barriers are the workspace's one [`BarrierMatrix`]; a record and a
//! barrier report are serde data that save to JSON.
//!
//! ## Quick start: a continuous energy of your own
//! Implement [`Energy`](core::Energy) and [`Gradient`](core::Gradient), wrap the energy in a
//! [`ContinuousSpace`] with a sampler (its temperature is the AD temperature) and a minimizer,
//! map it, and draw the basins:
//! ```
//! use elm_ad::prelude::*;
//!
//! /// E(x) = Σ (x_i²/2 − 2 cos 3x_i) + 0.3 x_0: nine ripples in a tilted bowl.
//! struct TiltedRastrigin;
//! impl Energy for TiltedRastrigin {
//!     fn dim(&self) -> usize { 2 }
//!     fn energy(&self, x: &[f64]) -> f64 {
//!         x.iter().map(|v| 0.5 * v * v - 2.0 * (3.0 * v).cos()).sum::<f64>() + 0.3 * x[0]
//!     }
//! }
//! impl Gradient for TiltedRastrigin {
//!     fn energy_gradient(&self, x: &[f64], g: &mut [f64]) -> f64 {
//!         for (gi, v) in g.iter_mut().zip(x) { *gi = v + 6.0 * (3.0 * v).sin(); }
//!         g[0] += 0.3;
//!         self.energy(x)
//!     }
//! }
//!
//! let sampler = RandomWalkMetropolis::default().with_step_size(0.1).with_temperature(0.3);
//! let space = ContinuousSpace::new(TiltedRastrigin, sampler, Lbfgs::default());
//! let ad = AdParams::default().with_alpha(1.0).with_delta(0.1).with_patience(100);
//! let params = AdelmParams::default().with_iterations(100).with_burn_in(20).with_ad(ad);
//! let mut proposals = UniformBox::new(vec![-3.0; 2], vec![3.0; 2])?;
//! let record = Adelm::new(params)?.map(&space, &mut proposals, 7, |_| Control::Continue)?;
//! let map = record.basin_graph(&space, &BarrierEstimation::for_map(&record.params), 7)?;
//! println!("{}", map.barriers.summary()); // says so if any pair stayed unconnected
//! assert_eq!(map.basins.len(), 9);
//! let dir = std::env::temp_dir();
//! map.save_svg(&dir.join("rastrigin_dg.svg"), "ADELM map")?;
//! record.save(&dir.join("rastrigin_map.json"))?;
//! # Ok::<(), elm_ad::Error>(())
//! ```
//!
//! ## Quick start: a discrete energy of your own
//! Implement [`DiscreteEnergy`](core::DiscreteEnergy) (sites, levels, energy; the incremental
//! `delta` and cache hooks are optional speed-ups) and use a [`DiscreteSpace`]:
//! ```
//! use elm_ad::prelude::*;
//!
//! /// A Hopfield memory: E(s) = −(1/2N) Σ_μ (ξ^μ · σ)², σ = 2s − 1.
//! struct Hopfield(Vec<Vec<f64>>);
//! impl DiscreteEnergy for Hopfield {
//!     fn sites(&self) -> usize { self.0[0].len() }
//!     fn levels(&self) -> usize { 2 }
//!     fn energy(&self, s: &[u8]) -> f64 {
//!         let overlap = |xi: &Vec<f64>| xi.iter().zip(s).map(|(x, &v)| x * (2.0 * f64::from(v) - 1.0)).sum::<f64>();
//!         -self.0.iter().map(|xi| overlap(xi).powi(2)).sum::<f64>() / (2.0 * s.len() as f64)
//!     }
//! }
//!
//! // Three stored patterns of 24 spins, drawn with the re-exported rand.
//! let mut rng = elm_ad::task_rng(1, 0, 0, 0);
//! let patterns = (0..3).map(|_| (0..24).map(|_| if rng.random::<bool>() { 1.0 } else { -1.0 }).collect());
//! let space = DiscreteSpace::new(Hopfield(patterns.collect()), Gibbs::default().with_temperature(0.1));
//! let ad = AdParams::default().with_alpha(0.2).with_patience(50);
//! let params = AdelmParams::default().with_iterations(60).with_burn_in(20).with_ad(ad);
//! let mut proposals = UniformLevels { sites: 24, levels: 2 };
//! let record = Adelm::new(params)?.map(&space, &mut proposals, 7, |_| Control::Continue)?;
//! let map = record.basin_graph(&space, &BarrierEstimation::for_map(&record.params), 7)?;
//! println!("{} basins; {}", map.basins.len(), map.barriers.summary());
//! assert!(map.basins.len() >= 2 && map.basins.len() % 2 == 0); // patterns come with mirrors
//! let dir = std::env::temp_dir();
//! map.save_svg(&dir.join("hopfield_dg.svg"), "Hopfield memory")?;
//! record.save(&dir.join("hopfield_map.json"))?;
//! # Ok::<(), elm_ad::Error>(())
//! ```
//! A crate that builds these with `elm-ad` as its only dependency is in the repository
//! (`examples/quickstart`, `cargo run --release -p elm-quickstart`).
//!
//! ## Example: map the Müller-Brown surface
//! ```
//! use elm_ad::{AdParams, Adelm, AdelmParams, ContinuousSpace, Control, UniformBox};
//! use elm_core::{Lbfgs, reference::MullerBrown};
//! use elm_mcmc::RandomWalkMetropolis;
//! let space = ContinuousSpace::new(
//!     MullerBrown::new(),
//!     RandomWalkMetropolis::default().with_step_size(0.02).with_temperature(2.0),
//!     Lbfgs::default(),
//! );
//! let params = AdelmParams::default().with_iterations(20).with_burn_in(10)
//!     .with_ad(AdParams::default().with_alpha(5.0).with_delta(0.05).with_patience(100));
//! let mut proposals = UniformBox::new(vec![-1.5, -0.5], vec![1.2, 2.0]).unwrap();
//! let record = Adelm::new(params).unwrap().map(&space, &mut proposals, 7, |_| Control::Continue).unwrap();
//! // With a weak magnet at low T every Müller-Brown minimum is its own metastable basin.
//! assert_eq!(record.basins().len(), 3);
//! ```

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod adelm;
mod barrier;
mod error;
#[cfg(feature = "dg")]
mod landscape;
mod space;
mod trial;
mod tuning;

pub use adelm::{
    Adelm, AdelmParams, AdelmRecord, Consolidation, ConsolidationParams, Control, GroupRecord, IterationReport,
    MinimumRecord, Proposal, Quota, SkippedProposal, UniformBox, UniformLevels,
};
pub use barrier::{BarrierEstimation, BarrierProgress, BarrierReport, DirectedBarrier, ESCALATION};
pub use elm_core::greedy::{GreedyPath, greedy_barrier, greedy_interpolation};
pub use elm_core::rng::task_rng;
pub use error::{Error, Result};
#[cfg(feature = "dg")]
pub use landscape::BasinGraph;

/// `elm-core`, re-exported so that `elm-ad` is the only dependency a mapping needs: the energy
/// traits, minimizers, reference energies and [`BarrierMatrix`].
pub use elm_core as core;
pub use elm_core::{BarrierMatrix, BarrierSource};
/// `elm-dg`, re-exported (feature `dg`): disconnectivity graphs, their rendering and
/// comparison.
#[cfg(feature = "dg")]
pub use elm_dg as dg;
/// `elm-mcmc`, re-exported: the local samplers AD runs on.
pub use elm_mcmc as mcmc;
/// `rand`, re-exported so that proposals and user code use the version elm was built with
/// (`use elm_ad::rand::RngExt;` for `rng.random::<f64>()`).
pub use rand;

/// Everything a mapping needs, in one import: `use elm_ad::prelude::*;`.
///
/// The energy traits to implement ([`Energy`](elm_core::Energy),
/// [`Gradient`](elm_core::Gradient), [`DiscreteEnergy`](elm_core::DiscreteEnergy)), the spaces,
/// samplers and minimizers to build one, ADELM and barrier estimation, the stop/continue type,
/// and (feature `dg`) the disconnectivity-graph types.
pub mod prelude {
    pub use crate::{
        AdParams, AdRng, AdSpace, Adelm, AdelmParams, AdelmRecord, BarrierEstimation, BarrierReport, ContinuousSpace,
        DiscreteSpace, Proposal, UniformBox, UniformLevels,
    };
    pub use elm_core::checkpoint::Record;
    pub use elm_core::{
        BarrierMatrix, BarrierSource, Checkpoint, Control, DiscreteDescent, DiscreteEnergy, Energy, Fire, Gradient,
        Lbfgs, LocalMinimizer, Observer, Progress, observe,
    };
    #[cfg(feature = "dg")]
    pub use elm_dg::{DgParams, DgStyle, DisconnectivityGraph};
    pub use elm_mcmc::{Gibbs, Hmc, Langevin, Mala, RandomWalkMetropolis};
    pub use rand::RngExt;
}
/// The RNG of every ADELM task (the workspace's [`elm_core::TaskRng`]).
pub type AdRng = elm_core::TaskRng;
pub use space::{AdSpace, ContinuousSpace, DiscreteSpace};
pub use trial::{AdOutcome, AdParams, AdPath, AdTermination, AttractionDiffusion, ProgressCheck, SweepOrder};
pub use tuning::{AlphaTuningPoint, DriftPoint, PhasePoint, alpha_tuning, energy_drift, log_spaced, phase_diagram};
