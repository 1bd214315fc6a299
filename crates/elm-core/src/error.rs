//! The error type of `elm-core`.

/// Everything that can go wrong in `elm-core`.
///
/// Algorithm crates wrap this enum in their own error type with `#[from]`, so a
/// validation failure deep inside a mapping surfaces with its original meaning.
///
/// # Example
/// ```
/// use elm_core::{Error, reference::LennardJones};
/// let err = LennardJones::new(1).unwrap_err();
/// assert!(matches!(err, Error::InvalidParameter { name: "atoms", .. }));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A parameter is outside its domain (a non-positive temperature, a negative
    /// magnetization, a zero iteration cap, ...).
    #[error("invalid parameter `{name}` = {value}: {reason}")]
    InvalidParameter {
        /// The parameter's name as it appears in the API.
        name: &'static str,
        /// The offending value, printed.
        value: String,
        /// What the value must satisfy.
        reason: &'static str,
    },
    /// A state, buffer or matrix has the wrong length for the energy it is used with.
    #[error("dimension mismatch in {what}: expected {expected}, found {found}")]
    DimensionMismatch {
        /// What was being checked.
        what: &'static str,
        /// The length the energy requires.
        expected: usize,
        /// The length that was passed.
        found: usize,
    },
    /// An input that must not be empty was empty.
    #[error("empty input: {0}")]
    EmptyInput(&'static str),
    /// An energy, gradient or parameter was NaN or infinite where a finite number is required.
    #[error("non-finite value in {0}")]
    NonFinite(&'static str),
    /// A discrete state holds a level outside `0..levels`.
    #[error("site {site} holds level {level}, but the energy has only {levels} levels")]
    InvalidLevel {
        /// The site index.
        site: usize,
        /// The level found there.
        level: u8,
        /// The number of levels of the energy.
        levels: usize,
    },
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
    /// A minimum index is out of range.
    #[error("minimum {index} does not exist (there are {len})")]
    NoSuchMinimum {
        /// The index asked for.
        index: usize,
        /// Number of minima.
        len: usize,
    },
}

/// A checkpoint that could not be written or read: the file, and what went wrong (the
/// failure is also the error's `source`). Every crate's error enum wraps it as its
/// `Checkpoint` variant.
///
/// # Example
/// ```
/// use elm_core::checkpoint::load_json;
/// let err = load_json::<Vec<f64>>(std::path::Path::new("/no/such/run.json")).unwrap_err();
/// assert!(err.to_string().contains("/no/such/run.json"));
/// assert!(matches!(err.failure, elm_core::CheckpointFailure::Io(_)));
/// ```
#[derive(Debug, thiserror::Error)]
#[error("checkpoint {}: {failure}", path.display())]
pub struct CheckpointError {
    /// The file.
    pub path: std::path::PathBuf,
    /// What went wrong.
    #[source]
    pub failure: CheckpointFailure,
}

/// What went wrong with a checkpoint file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CheckpointFailure {
    /// Reading, writing or renaming the file failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The file is damaged: a truncated or malformed header, a wrong length, a checksum
    /// mismatch.
    #[error("damaged file: {0}")]
    Damaged(String),
    /// The payload is not a valid record of this type (or could not be serialized).
    #[error("not a valid record: {0}")]
    Format(String),
    /// The record parsed but is inconsistent (see `Record::check`).
    #[error("inconsistent record: {0}")]
    Inconsistent(String),
    /// The path names no file (a directory or an empty path).
    #[error("not a file path")]
    NotAFile,
}

/// `Result` specialised to [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Builds an [`Error::InvalidParameter`].
    pub fn invalid(name: &'static str, value: impl std::fmt::Display, reason: &'static str) -> Self {
        Error::InvalidParameter { name, value: value.to_string(), reason }
    }
}

/// Validation helpers shared by every constructor of the workspace.
///
/// Each returns `Ok(())` when the value is acceptable and the matching
/// [`Error`] variant otherwise, so parameter checks read as one line each.
pub mod check {
    use super::{Error, Result};

    /// `value` must be finite and strictly positive (temperatures, step sizes, tolerances).
    pub fn positive(name: &'static str, value: f64) -> Result<()> {
        if value.is_finite() && value > 0.0 {
            Ok(())
        } else {
            Err(Error::invalid(name, value, "must be finite and > 0"))
        }
    }

    /// `value` must be finite and non-negative (magnetizations, penalties, tolerances that may be zero).
    pub fn non_negative(name: &'static str, value: f64) -> Result<()> {
        if value.is_finite() && value >= 0.0 {
            Ok(())
        } else {
            Err(Error::invalid(name, value, "must be finite and >= 0"))
        }
    }

    /// `value` must be finite.
    pub fn finite(name: &'static str, value: f64) -> Result<()> {
        if value.is_finite() { Ok(()) } else { Err(Error::invalid(name, value, "must be finite")) }
    }

    /// `value` must lie in the open interval `(lo, hi)`.
    pub fn in_open(name: &'static str, value: f64, lo: f64, hi: f64) -> Result<()> {
        if value > lo && value < hi { Ok(()) } else { Err(Error::invalid(name, value, "outside its open interval")) }
    }

    /// A count that must be at least `min`.
    pub fn at_least(name: &'static str, value: usize, min: usize) -> Result<()> {
        if value >= min { Ok(()) } else { Err(Error::invalid(name, value, "is below its minimum")) }
    }

    /// A slice length must equal the energy's dimension.
    pub fn dim(what: &'static str, expected: usize, found: usize) -> Result<()> {
        if expected == found { Ok(()) } else { Err(Error::DimensionMismatch { what, expected, found }) }
    }

    /// True when `barrier` lies below the higher of the two minima it joins by more than
    /// rounding (`1e-9` relative) — or is NaN: no path between two minima stays below either.
    /// The one rule for barrier matrices, transition states and explored edges.
    pub fn below_minima(barrier: f64, e_a: f64, e_b: f64) -> bool {
        barrier.is_nan() || barrier < e_a.max(e_b) - 1e-9 * (1.0 + e_a.abs().max(e_b.abs()))
    }

    /// Every entry of `xs` must be finite.
    pub fn all_finite(what: &'static str, xs: &[f64]) -> Result<()> {
        if xs.iter().all(|x| x.is_finite()) { Ok(()) } else { Err(Error::NonFinite(what)) }
    }
}
