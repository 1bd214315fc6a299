//! The error type of `elm-ad`.

/// Everything that can go wrong in `elm-ad`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A validation error from `elm-core` (bad parameter, dimension mismatch, ...).
    #[error(transparent)]
    Core(#[from] elm_core::Error),
    /// A sampler error from `elm-mcmc`.
    #[error(transparent)]
    Mcmc(#[from] elm_mcmc::Error),
    /// A disconnectivity-graph error from `elm-dg` (feature `dg`).
    #[cfg(feature = "dg")]
    #[error(transparent)]
    Dg(#[from] elm_dg::Error),
    /// Reading or writing a checkpoint failed: the file and what went wrong.
    #[error(transparent)]
    Checkpoint(#[from] elm_core::CheckpointError),
    /// Writing an output file (a figure) failed.
    #[error("writing {}: {source}", path.display())]
    Output {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// More proposals met non-finite energies than [`crate::AdelmParams::max_skipped`] allows:
    /// the energy is NaN or infinite in too much of the space (check the model and the
    /// proposal region).
    #[error("{skipped} proposals skipped for non-finite energies (more than allowed); last: {last}")]
    TooManyBadPoints {
        /// Proposals skipped.
        skipped: usize,
        /// The last error met.
        last: String,
    },
    /// A record cannot be resumed with these parameters.
    #[error("cannot resume: {0}")]
    Resume(&'static str),
}

/// `Result` specialised to [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
