//! Paths between states and their barriers.

/// A path of states with their energies: a chain-of-states band (NEB, string method), a 1-D
/// interpolation, an AD trajectory or a greedy spin-flip interpolation. Its *barrier* is the
/// highest energy among its points.
///
/// What that bounds depends on the path:
/// - a *discrete* path whose consecutive states differ by one allowed move (greedy
///   interpolation, a discrete AD trajectory) is a genuine path, so its barrier is an **upper
///   bound** of the minimax barrier between its ends;
/// - the points of a *continuous* path (band images, AD samples, interpolation points) only
///   sample it: the path between two points can rise above both (a saddle between a band's last
///   image and its end, a sampler step that straddles a saddle), so the barrier is neither an
///   upper nor a lower bound of the minimax barrier. A converged climbing image sits *on* a
///   saddle; `elm_paths::BandReport::path_maximum` samples the segments between images too.
///
/// # Example
/// ```
/// use elm_core::EnergyPath;
/// let p = EnergyPath { states: vec![vec![0.0], vec![0.5], vec![1.0]], energies: vec![-1.0, 0.3, -2.0] };
/// assert_eq!(p.barrier(), 0.3);
/// assert_eq!(p.highest(), Some(1));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EnergyPath<S> {
    /// The states in order (may be empty when only energies were kept).
    pub states: Vec<S>,
    /// `E` of every point of the path.
    pub energies: Vec<f64>,
}

impl<S> EnergyPath<S> {
    /// The highest energy along the path (`-∞` for an empty path, NaN if any energy is NaN:
    /// a path through an undefined point has no barrier).
    pub fn barrier(&self) -> f64 {
        if self.energies.iter().any(|e| e.is_nan()) {
            return f64::NAN;
        }
        self.energies.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    }

    /// Index of the highest point.
    pub fn highest(&self) -> Option<usize> {
        (0..self.energies.len()).max_by(|&a, &b| self.energies[a].total_cmp(&self.energies[b]))
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.energies.len()
    }

    /// True for a path with no points.
    pub fn is_empty(&self) -> bool {
        self.energies.is_empty()
    }
}
