//! From an ADELM record to a drawn map in one call (feature `dg`, on by default).

use crate::adelm::AdelmRecord;
use crate::barrier::{BarrierEstimation, BarrierReport};
use crate::error::Result;
use crate::space::AdSpace;
use elm_dg::{DgParams, DgStyle, DisconnectivityGraph};

/// An ADELM map drawn: the barriers between the basin representatives (estimated by AD,
/// seed 000 Sec. 3.4) and the disconnectivity graph built from them (seed 001 Alg. 2), with
/// circle areas proportional to the basins' member counts and leaves labelled `B0`, `B1`, ...
/// from the lowest basin up (seed 000 Sec. 4.3, Fig. 11-13).
#[derive(Debug, Clone)]
pub struct BasinGraph {
    /// The groups of the record drawn, lowest representative first (leaf `Bk` is
    /// `record.groups[basins[k]]`).
    pub basins: Vec<usize>,
    /// The barrier estimation between their representatives; check
    /// [`BarrierReport::is_complete`] (unknown pairs leave separate trees).
    pub barriers: BarrierReport,
    /// The disconnectivity graph.
    pub graph: DisconnectivityGraph,
}

impl BasinGraph {
    /// The graph as an SVG document.
    ///
    /// # Errors
    /// Rendering errors.
    pub fn svg(&self, style: &DgStyle) -> Result<String> {
        Ok(self.graph.to_svg(style)?)
    }

    /// Writes the SVG (default style with `title`) to `path`.
    ///
    /// # Errors
    /// Rendering errors; [`crate::Error::Output`] naming the file when it cannot be written.
    pub fn save_svg(&self, path: &std::path::Path, title: &str) -> Result<()> {
        let svg = self.svg(&DgStyle::default().with_title(title))?;
        std::fs::write(path, svg).map_err(|source| crate::Error::Output { path: path.to_path_buf(), source })
    }
}

impl<S: Clone> AdelmRecord<S> {
    /// Estimates the barriers between the representatives of the record's basins and builds
    /// their disconnectivity graph: the last step of an ADELM mapping, in one call.
    /// Deterministic in `seed`.
    ///
    /// # Errors
    /// An empty record ([`elm_core::Error::EmptyInput`]), invalid estimation parameters,
    /// sampler errors.
    ///
    /// # Example
    /// ```
    /// use elm_ad::prelude::*;
    /// use elm_ad::core::reference::MullerBrown;
    /// let space = ContinuousSpace::new(MullerBrown::new(),
    ///     RandomWalkMetropolis::default().with_step_size(0.02).with_temperature(2.0), Lbfgs::default());
    /// let params = AdelmParams::default().with_iterations(20).with_burn_in(10)
    ///     .with_ad(AdParams::default().with_alpha(5.0).with_delta(0.05).with_patience(100));
    /// let mut proposals = UniformBox::new(vec![-1.5, -0.5], vec![1.2, 2.0]).unwrap();
    /// let record = Adelm::new(params).unwrap().map(&space, &mut proposals, 7, |_| Control::Continue).unwrap();
    /// let estimation = BarrierEstimation::default().with_alpha_start(100.0).with_bracketing(0.7)
    ///     .with_ad(AdParams::default().with_delta(0.05).with_patience(200));
    /// let map = record.basin_graph(&space, &estimation, 7).unwrap();
    /// assert!(map.barriers.is_complete(), "{}", map.barriers.summary());
    /// assert_eq!(map.graph.minima_count(), 3);
    /// assert!(map.svg(&DgStyle::default()).unwrap().starts_with("<svg"));
    /// ```
    pub fn basin_graph<Sp>(&self, space: &Sp, estimation: &BarrierEstimation, seed: u64) -> Result<BasinGraph>
    where
        Sp: AdSpace<State = S>,
    {
        let basins = self.basins();
        if basins.is_empty() {
            return Err(elm_core::Error::EmptyInput("basins of the record (map before drawing)").into());
        }
        let reps: Vec<S> = basins.iter().map(|&g| self.groups[g].representative.clone()).collect();
        let barriers = estimation.all_pairs(space, &reps, seed)?;
        let mut graph = DisconnectivityGraph::from_barriers(&barriers.matrix, &DgParams::default())?;
        graph.set_sizes(&basins.iter().map(|&g| self.groups[g].members as f64).collect::<Vec<_>>())?;
        graph.set_labels(&(0..basins.len()).map(|k| format!("B{k}")).collect::<Vec<_>>())?;
        Ok(BasinGraph { basins, barriers, graph })
    }
}
