//! The error type of `elm-dg`.

/// Everything that can go wrong in `elm-dg`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A validation error from `elm-core` (bad parameter, dimension mismatch, empty input,
    /// non-finite value).
    #[error(transparent)]
    Core(#[from] elm_core::Error),
    /// Two disconnectivity graphs compared or overlaid are over different numbers of minima.
    #[error("the graphs have {a} and {b} minima; they must share the same minima")]
    DifferentMinima {
        /// Minima of the first graph.
        a: usize,
        /// Minima of the second graph.
        b: usize,
    },
    /// Drawing failed.
    #[error("rendering failed: {0}")]
    Render(String),
}

/// `Result` specialised to [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
