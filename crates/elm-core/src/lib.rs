//! # elm-core
//!
//! The small layer every crate of **elm** (energy landscape mapping) composes through:
//!
//! - the capability traits [`Energy`], [`Gradient`] and [`DiscreteEnergy`];
//! - [`DiscreteState`], a level vector that keeps its energy and the energy's incremental
//!   cache (local fields) up to date;
//! - the wrappers [`Tempered`] (`E/T`), [`Magnetized`] (the Attraction-Diffusion energy
//!   `E/T + α||x - x*||_2`, continuous and discrete) and [`Counted`];
//! - local minimizers ([`Lbfgs`], [`Fire`], [`DiscreteDescent`]) behind [`LocalMinimizer`];
//! - [`distance`]s and the [`SameMinimum`] test;
//! - [`BarrierMatrix`], the one barrier type every method produces and every consumer reads,
//!   with each barrier's [`BarrierSource`];
//! - [`reference`](mod@reference) energies with known values;
//! - one error type, [`Error`].
//!
//! Dependencies are light (ndarray, rand, thiserror). Feature `serde` (off by default):
//! `Serialize` / `Deserialize` for states, reports and [`BarrierMatrix`], and the
//! `checkpoint` module (atomic, checksummed records).
//!
//! ## Example: quench Müller-Brown from a grid and find its three minima
//! ```
//! use elm_core::{LocalMinimizer, Lbfgs, SameMinimum, reference::MullerBrown};
//! let mb = MullerBrown::new();
//! let same = SameMinimum::new(1e-3, 1e-6).unwrap();
//! let mut minima: Vec<(Vec<f64>, f64)> = Vec::new();
//! for i in 0..8 {
//!     for j in 0..8 {
//!         let mut x = [-1.5 + 2.5 * i as f64 / 7.0, -0.2 + 2.0 * j as f64 / 7.0];
//!         let r = Lbfgs::default().with_gradient_tolerance(1e-8).minimize(&mb, &mut x).unwrap();
//!         if !minima.iter().any(|(m, e)| same.continuous(m, *e, &x, r.energy)) {
//!             minima.push((x.to_vec(), r.energy));
//!         }
//!     }
//! }
//! assert_eq!(minima.len(), 3);
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

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod barrier;
#[cfg(feature = "serde")]
pub mod checkpoint;
mod counted;
pub mod distance;
mod energy;
mod error;
pub mod greedy;
mod magnetized;
pub mod minimize;
mod path;
pub mod reference;
pub mod rng;
mod run;
mod state;
mod tempered;

pub use barrier::{BarrierMatrix, BarrierSource};
pub use counted::{Counted, EvaluationCounts};
pub use distance::SameMinimum;
pub use energy::{DiscreteEnergy, Energy, Gradient};
pub use error::{CheckpointError, CheckpointFailure, Error, Result, check};
pub use magnetized::{MagnetNorm, Magnetized};
pub use minimize::{
    Adadelta, DescentReport, DescentRule, DiscreteDescent, Fire, FireDynamics, Lbfgs, LocalMinimizer, MinimizeReport,
    MomentumDescent, TerminationReason,
};
pub use path::EnergyPath;
pub use rng::{TaskRng, task_rng};
pub use run::{Checkpoint, Control, Observer, Progress, observe};
pub use state::DiscreteState;
pub use tempered::Tempered;
