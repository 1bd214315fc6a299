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
//! Implement `elm_core::Energy` + `Gradient` (or `DiscreteEnergy`) for your model, wrap it in a
//! [`ContinuousSpace`] (or [`DiscreteSpace`]) with a sampler and a minimizer, and map it.
//! The record and barrier matrices are plain data; draw them with `elm-dg`.
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
//! let record = Adelm::new(params).unwrap().map(&space, &mut proposals, 7, |_, _| Control::Continue).unwrap();
//! // With a weak magnet at low T every Müller-Brown minimum is its own metastable basin.
//! assert_eq!(record.basins().len(), 3);
//! ```

#![warn(missing_docs)]

mod adelm;
mod barrier;
mod error;
mod space;
mod trial;
mod tuning;

pub use adelm::{
    Adelm, AdelmParams, AdelmRecord, Consolidation, ConsolidationParams, Control, GroupRecord, IterationReport,
    MinimumRecord, Proposal, Quota, UniformBox, UniformLevels,
};
pub use barrier::{BarrierEstimation, BarrierProgress, BarrierReport, DirectedBarrier, ESCALATION};
pub use elm_core::greedy::{GreedyPath, greedy_barrier, greedy_interpolation};
pub use elm_core::rng::task_rng;
pub use error::{Error, Result};
/// The RNG of every ADELM task (the workspace's [`elm_core::TaskRng`]).
pub type AdRng = elm_core::TaskRng;
pub use space::{AdSpace, ContinuousSpace, DiscreteSpace};
pub use trial::{AdOutcome, AdParams, AdPath, AdTermination, AttractionDiffusion, ProgressCheck, SweepOrder};
pub use tuning::{AlphaTuningPoint, DriftPoint, PhasePoint, alpha_tuning, energy_drift, log_spaced, phase_diagram};
