//! The error type of `elm-ebm`.

/// Everything that can go wrong in `elm-ebm`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A validation error from `elm-core` (bad parameter, dimension mismatch, empty data, NaN).
    #[error(transparent)]
    Core(#[from] elm_core::Error),
    /// Reading or writing a checkpoint failed.
    #[error("checkpoint {path}: {message}")]
    Checkpoint {
        /// The file or folder.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// Training diverged (a non-finite energy or gradient).
    #[error("training diverged at iteration {0}")]
    Diverged(usize),
}

/// `Result` specialised to [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
