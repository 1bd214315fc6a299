//! The error type of `elm-gwl`.

/// Everything that can go wrong in `elm-gwl`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A validation error from `elm-core`.
    #[error(transparent)]
    Core(#[from] elm_core::Error),
    /// The start state lies outside the energy spectrum.
    #[error("start energy {energy} is outside the spectrum [{min}, {max})")]
    OutsideSpectrum {
        /// Energy of the start state.
        energy: f64,
        /// Spectrum lower end.
        min: f64,
        /// Spectrum upper end.
        max: f64,
    },
    /// Reading or writing a checkpoint failed: the file and what went wrong.
    #[error(transparent)]
    Checkpoint(#[from] elm_core::CheckpointError),
    /// A record cannot be resumed with these parameters or this energy.
    #[error("cannot resume: {0}")]
    Resume(&'static str),
}

/// `Result` specialised to [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
