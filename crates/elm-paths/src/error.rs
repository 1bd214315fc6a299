//! The error type of `elm-paths`.

/// Everything that can go wrong in `elm-paths`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A validation error from `elm-core` (bad parameter, dimension mismatch, NaN, ...).
    #[error(transparent)]
    Core(#[from] elm_core::Error),
    /// The two end points of a path coincide.
    #[error("the end points of the path are identical")]
    IdenticalEndpoints,
    /// A path needs at least three images (two fixed ends and one movable image).
    #[error("a band needs at least 3 images, got {0}")]
    TooFewImages(usize),
}

/// `Result` specialised to [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
