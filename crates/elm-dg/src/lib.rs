//! # elm-dg
//!
//! Disconnectivity graphs and the other summaries of an energy-landscape map:
//!
//! - [`BarrierMatrix`]: minima energies and the barriers between them (from ADELM, GWL, NEB
//!   or [`FloodedGrid`]), with its minimax closure;
//! - [`DisconnectivityGraph`]: built by greedy merging (seed 001 Alg. 2) or superbasin
//!   analysis of a transition-state graph (seed 002), with pruning, queries, a crossing-free
//!   layout and SVG rendering (basin-size circles, branch colouring, image rows);
//! - [`compare`] / [`overlay_svg`]: agreement of two maps of the same minima (seed 000 Fig. 14);
//! - [`NetworkOfMinima`]: degrees, paths, clustering and the minimum spanning tree, against an
//!   equivalent random graph (seed 002 Sec. VI);
//! - [`HarmonicSuperposition`]: `Z(T)`, `U(T)`, `C_V(T)` (seed 002 Eq. 5).
//!
//! `elm-dg` depends only on `elm-core` types: the samplers and mappers are not needed to draw
//! a map, and a DG can be built straight from arrays (no database).
//!
//! ## Example
//! ```
//! use elm_dg::{DgParams, DgStyle, DisconnectivityGraph, FloodedGrid};
//! // The exact DG of a 1-D function sampled on a grid.
//! let xs: Vec<f64> = (0..400).map(|i| -2.0 + 4.0 * i as f64 / 399.0).collect();
//! let f: Vec<f64> = xs.iter().map(|x| x.powi(4) - 2.0 * x * x + 0.3 * x).collect();
//! let flooded = FloodedGrid::flood(&f, &[400]).unwrap();
//! assert_eq!(flooded.minima.len(), 2);
//! let dg = DisconnectivityGraph::from_barriers(&flooded.barriers, &DgParams::default()).unwrap();
//! let svg = dg.to_svg(&DgStyle::default()).unwrap();
//! assert!(svg.contains("<circle"));
//! ```
//!
//! ## Features
//! - `serde`: `Serialize` / `Deserialize` for the parameter, style, network and thermodynamics
//!   types, and (through `elm-core/serde`) for [`BarrierMatrix`], so a matrix can be saved and
//!   reloaded (`+∞`, an unknown barrier, is written as `null`). Off by default; `elm-ad` turns it
//!   on.

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod compare;
mod error;
mod flooding;
mod network;
mod render;
mod thermo;
mod tree;

pub use compare::{DgComparison, MergeAgreement, compare, compare_within, overlay_svg};
pub use elm_core::{BarrierMatrix, BarrierSource};
pub use error::{Error, Result};
pub use flooding::FloodedGrid;
pub use network::{NetworkOfMinima, NetworkSummary};
pub use render::{DgStyle, GrayImage, LeafImages};
pub use thermo::HarmonicSuperposition;
pub use tree::{DgNode, DgParams, DisconnectivityGraph, NodeKind};
