//! The error type of `elm-ebm`.

/// Everything that can go wrong in `elm-ebm`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A validation error from `elm-core` (bad parameter, dimension mismatch, empty data, NaN).
    #[error(transparent)]
    Core(#[from] elm_core::Error),
    /// Reading or writing a checkpoint or weights file failed: the file and what went wrong.
    #[error(transparent)]
    Checkpoint(#[from] elm_core::CheckpointError),
    /// Training diverged (a non-finite energy or gradient).
    #[error("training diverged at iteration {0}")]
    Diverged(usize),
}

impl Error {
    /// A checkpoint error for `path` with a failure described by `what` (burn's recorder
    /// errors carry no source we can keep).
    pub(crate) fn checkpoint(path: &std::path::Path, failure: elm_core::CheckpointFailure) -> Self {
        Error::Checkpoint(elm_core::CheckpointError { path: path.to_path_buf(), failure })
    }
}

/// `Result` specialised to [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
