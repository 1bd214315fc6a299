//! # elm-paths
//!
//! Minimum-energy paths and transition states between the minima of continuous landscapes:
//!
//! - [`linear_interpolation`]: the 1-D baseline every seed compares against;
//! - [`ElasticBand`]: NEB with the improved tangent and optional climbing image, the doubly
//!   nudged DNEB (seed 002), and the string-method variant of seed 003, relaxed by FIRE (or
//!   steepest descent for the string), images evaluated in parallel;
//! - [`AutoNeb`]: cycles of band relaxation with adaptive pivot insertion (seed 003);
//! - [`explore_minima`]: which pairs of many minima to connect, by minimum-spanning-tree
//!   refinement (seed 003), with ultrametric bounds for the rest;
//! - [`SaddleRefinement`] (eigenvector following with the full Hessian) and
//!   [`HybridEigenvectorFollowing`] (Lanczos on gradient differences, for thousands of
//!   dimensions), [`finite_difference_hessian`], [`symmetric_eigen`], [`lanczos_smallest`]:
//!   transition states and their Hessian index;
//! - [`BasinHopping`]: global optimization (seed 002 Sec. II).
//!
//! Paths are [`elm_core::EnergyPath`]s, the type `elm-ad`'s greedy spin interpolation returns too.
//!
//! ## Features
//! - `lapack`: [`EigenSolver::Lapack`], LAPACK's `dsyevd` through ndarray-linalg linked against
//!   the system OpenBLAS (Debian `libopenblas-dev`), used by [`symmetric_eigen`] from 2000
//!   dimensions on (measured: level with nalgebra at 1000, 1.44x faster at 3000; see
//!   [`EigenSolver::for_dimension`]).
//!
//! ## Example: both Müller-Brown saddles
//! ```
//! use elm_core::reference::MullerBrown;
//! use elm_paths::{BandMethod, ElasticBand, SaddleRefinement};
//! let mb = MullerBrown::new();
//! let [a, b, c] = MullerBrown::MINIMA.map(|m| m.1);
//! let band = ElasticBand::default().with_method(BandMethod::DoublyNudged).with_images(16);
//! for ((from, to), saddle) in [((a, c), MullerBrown::SADDLES[0]), ((c, b), MullerBrown::SADDLES[1])] {
//!     let path = band.run(&mb, &from, &to).unwrap().path;
//!     let top = &path.states[path.highest().unwrap()];
//!     let ts = SaddleRefinement::default().refine(&mb, top).unwrap();
//!     assert_eq!(ts.index, 1);
//!     assert!((ts.energy - saddle.0).abs() < 1e-6);
//! }
//! ```

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod autoneb;
mod band;
mod basin_hopping;
mod error;
mod explore;
mod hessian;
mod hybrid_ef;
mod linear;
mod saddle;

pub use autoneb::{AutoNeb, AutoNebProgress, AutoNebReport, CycleReport};
pub use band::{BandConvergence, BandMethod, BandOptimizer, BandProgress, BandReport, ElasticBand};
pub use basin_hopping::{BasinHopping, BasinHoppingReport};
pub use error::{Error, Result};
pub use explore::{Exploration, ExploredEdge, explore_minima};
pub use hessian::{
    EigenSolver, finite_difference_hessian, hessian_vector_product, lanczos_smallest, symmetric_eigen,
    symmetric_eigen_with,
};
pub use hybrid_ef::{HybridEigenvectorFollowing, HybridReport};
pub use linear::linear_interpolation;
pub use saddle::{SaddleRefinement, SaddleReport};
