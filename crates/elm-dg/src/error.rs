//! The error type of `elm-dg`.

/// Everything that can go wrong in `elm-dg`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A validation error from `elm-core` (bad parameter, dimension mismatch, empty input,
    /// non-finite value).
    #[error(transparent)]
    Core(#[from] elm_core::Error),
    /// A barrier lies below the energy of one of the two minima it connects.
    #[error("barrier {barrier} between minima {i} and {j} lies below their energies ({ei}, {ej})")]
    BarrierBelowMinimum {
        /// First minimum.
        i: usize,
        /// Second minimum.
        j: usize,
        /// The barrier.
        barrier: f64,
        /// Energy of minimum `i`.
        ei: f64,
        /// Energy of minimum `j`.
        ej: f64,
    },
    /// Two disconnectivity graphs compared or overlaid are over different numbers of minima.
    #[error("the graphs have {a} and {b} minima; they must share the same minima")]
    DifferentMinima {
        /// Minima of the first graph.
        a: usize,
        /// Minima of the second graph.
        b: usize,
    },
    /// A minimum index is out of range.
    #[error("minimum {index} does not exist (there are {len})")]
    NoSuchMinimum {
        /// The index asked for.
        index: usize,
        /// Number of minima.
        len: usize,
    },
    /// Drawing failed.
    #[error("rendering failed: {0}")]
    Render(String),
}

/// `Result` specialised to [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
