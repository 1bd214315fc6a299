//! # elm-gwl
//!
//! Generalized Wang-Landau (GWL) mapping of discrete energy landscapes (seed 000 Sec. 2.4 and
//! 5.1; seed 001 Sec. 4.2.1.3; Zhou 2011): a Metropolis chain penalized for revisiting the same
//! (basin, energy interval) bins walks over the basins of attraction of a spin glass, recording
//! every minimum it meets, the lowest ones with their visit counts, and the transitions between
//! basins; barriers between the lowest minima then come from those transitions (refined by ridge
//! descent) and from greedy interpolation, and feed an `elm-dg` disconnectivity graph (the workspace's one [`BarrierMatrix`]).
//!
//! ## Basin lookup
//! Every proposal needs the basin of the proposed state. A full steepest descent per step would
//! cost `O(n^2)` and more; instead (see [`GeneralizedWangLandau`]): if the steepest move from the
//! proposed state is the move back, it lies in the current basin (`O(n)` with local fields);
//! otherwise a cache of states already descended answers, and only then a descent runs (caching
//! its whole path).
//!
//! ## Example
//! ```
//! use elm_gwl::{Control, GeneralizedWangLandau, GwlParams};
//! use elm_core::reference::SherringtonKirkpatrick;
//! use rand::SeedableRng;
//! let mut rng = elm_core::TaskRng::seed_from_u64(4);
//! let sk = SherringtonKirkpatrick::sample(16, &mut rng).unwrap();
//! let gwl = GeneralizedWangLandau::new(GwlParams::new(-0.8 * 16.0, -0.2 * 16.0, 30_000).with_block(10_000)).unwrap();
//! let record = gwl.map(&sk, 1, |_| Control::Continue).unwrap();
//! let lowest = record.lowest_minima();
//! let barriers = record.barriers(&sk, &lowest[..4.min(lowest.len())]).unwrap();
//! assert!(barriers.matrix.len() >= 2);
//! ```

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod barriers;
mod basin;
mod error;
mod gwl;

pub use barriers::GwlBarriers;
pub use elm_core::{BarrierMatrix, BarrierSource};
pub use error::{Error, Result};
pub use gwl::{BasinRecord, Control, GeneralizedWangLandau, GwlParams, GwlProgress, GwlRecord, LookupCounts};
