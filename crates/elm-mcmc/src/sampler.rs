//! The sampler traits and the observer hook.

use crate::error::Result;
use crate::state::ContinuousState;
use elm_core::DiscreteState;
use rand::{Rng, RngExt};

/// A Markov transition on a continuous state that leaves `exp(-E/T)` invariant (or, for the
/// unadjusted Langevin algorithm, approximately so).
///
/// Implemented for every energy the sampler can use: `RandomWalkMetropolis` and
/// `ComponentwiseMetropolis` for any [`elm_core::Energy`], `Langevin`, `Mala` and `Hmc` for
/// [`elm_core::Gradient`] energies.
///
/// [`ContinuousSampler::step`] assumes [`ContinuousSampler::validate`] returned `Ok` (check
/// once, then run): [`crate::Chain`] does this for you, and so does every algorithm of the
/// workspace that takes a sampler.
pub trait ContinuousSampler<E: ?Sized>: Sync {
    /// Checks the sampler's parameters.
    ///
    /// # Errors
    /// [`crate::Error::Core`] with `InvalidParameter` for a bad parameter.
    fn validate(&self) -> Result<()>;

    /// One transition of the chain in place; returns whether the proposal was accepted
    /// (unadjusted samplers always return `true`). Allocates nothing.
    fn step<R: Rng + ?Sized>(&self, energy: &E, state: &mut ContinuousState, rng: &mut R) -> bool;

    /// Steps that make one "sweep" over a `dim`-dimensional state: 1 for joint updates, `dim`
    /// for component-wise updates. Attraction-Diffusion counts its patience in sweeps.
    fn steps_per_sweep(&self, _dim: usize) -> usize {
        1
    }

    /// The sampling temperature `T` of the target `exp(-E/T)`.
    fn temperature(&self) -> f64;

    /// The same sampler at temperature `t` (phase diagrams scan `T`).
    fn at_temperature(&self, t: f64) -> Self
    where
        Self: Sized;
}

/// A Markov transition on a discrete state that leaves `exp(-E/T)` invariant, one site at a
/// time. A *sweep* updates every site once in order (seed 000 counts AD steps in sweeps).
pub trait DiscreteSampler<E: ?Sized>: Sync {
    /// Checks the sampler's parameters.
    ///
    /// # Errors
    /// [`crate::Error::Core`] with `InvalidParameter` for a bad parameter.
    fn validate(&self) -> Result<()>;

    /// Updates site `i` in place; returns whether its level changed. Allocates nothing for
    /// energies with at most 16 levels.
    fn update_site<R: Rng + ?Sized>(&self, energy: &E, state: &mut DiscreteState, i: usize, rng: &mut R) -> bool;

    /// Updates every site once in order `0..n`; returns the number of sites that changed.
    fn sweep<R: Rng + ?Sized>(&self, energy: &E, state: &mut DiscreteState, rng: &mut R) -> usize {
        (0..state.len()).filter(|&i| self.update_site(energy, state, i, rng)).count()
    }

    /// The sampling temperature `T`.
    fn temperature(&self) -> f64;

    /// The same sampler at temperature `t` (phase diagrams scan `T`).
    fn at_temperature(&self, t: f64) -> Self
    where
        Self: Sized;
}

/// What an observer tells the chain to do next (the workspace's one run-control type).
pub use elm_core::Control;

/// Metropolis-Hastings acceptance of a move with log acceptance ratio `log_ratio`:
/// accept with probability `min(1, exp(log_ratio))`; a NaN ratio (an undefined energy at the
/// proposal) is a rejection.
///
/// For a symmetric proposal at temperature `T`, `log_ratio = -(E' - E)/T = -A + B` with
/// `A = E'/T`, `B = E/T` (the reference MATLAB ADELM code used `-(A + B)`, which is wrong).
#[inline]
pub fn metropolis_accept<R: Rng + ?Sized>(log_ratio: f64, rng: &mut R) -> bool {
    if log_ratio >= 0.0 {
        return true;
    }
    if log_ratio.is_nan() {
        return false;
    }
    rng.random::<f64>() < log_ratio.exp()
}

/// The parameter pattern of every sampler, written once: a `#[must_use]` setter per field and
/// one `validate` that checks every field with its rule from `elm_core::check` (the checks run
/// in field order, so the first offending field is the one named).
macro_rules! sampler_params {
    ($ty:ident, $what:literal { $( $(#[$doc:meta])* $field:ident : $fty:ty => $setter:ident, $rule:ident $(($arg:expr))? ; )* }) => {
        impl $ty {
            $(
                $(#[$doc])*
                #[must_use]
                pub fn $setter(mut self, value: $fty) -> Self {
                    self.$field = value;
                    self
                }
            )*

            #[doc = concat!("Checks ", $what, ".")]
            ///
            /// # Errors
            /// `InvalidParameter` naming the offending field.
            pub fn validate(&self) -> $crate::error::Result<()> {
                $( elm_core::check::$rule(stringify!($field), self.$field $(, $arg)?)?; )*
                Ok(())
            }
        }
    };
}
pub(crate) use sampler_params;
