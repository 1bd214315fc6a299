//! The error type of `elm-mcmc`.

/// Everything that can go wrong in `elm-mcmc`.
///
/// # Example
/// ```
/// use elm_mcmc::{Error, RandomWalkMetropolis};
/// let bad = RandomWalkMetropolis::default().with_temperature(-1.0);
/// assert!(matches!(bad.validate(), Err(Error::Core(elm_core::Error::InvalidParameter { name: "temperature", .. }))));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A validation error from `elm-core` (bad parameter, dimension mismatch, non-finite value).
    #[error(transparent)]
    Core(#[from] elm_core::Error),
    /// A diagnostic was asked of a series too short to support it.
    #[error("series of length {length} is too short for {what} (need at least {needed})")]
    SeriesTooShort {
        /// What was being computed.
        what: &'static str,
        /// The length passed.
        length: usize,
        /// The minimum length.
        needed: usize,
    },
}

/// `Result` specialised to [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
