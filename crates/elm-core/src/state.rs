//! Discrete states that keep their energy and auxiliary cache up to date.

use crate::energy::DiscreteEnergy;
use crate::error::{Error, Result, check};
use rand::{Rng, RngExt};

/// A discrete state `s ∈ {0..levels}^n` together with its energy `E(s)` and the energy's
/// auxiliary cache (for the SK spin glass: the local fields `h_i = Σ_k J_ik σ_k`).
///
/// Every sampler and descent of the workspace moves a `DiscreteState` one site at a time:
/// [`DiscreteState::delta`] costs what the energy's `delta_aux` costs (`O(1)` for SK) and
/// [`DiscreteState::set`] propagates an accepted change (`O(n)` for SK), so a Gibbs sweep of
/// SK-100 is `O(n^2)` instead of the `O(n^3)` of naive recomputation.
///
/// The state does not borrow its energy, so it can be stored, cloned and serialized
/// (checkpoints); every method that needs the energy takes it as an argument, and it must be
/// the same energy the state was created with.
///
/// # Example
/// ```
/// use elm_core::{DiscreteEnergy, DiscreteState, reference::SherringtonKirkpatrick};
/// use rand::SeedableRng;
/// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
/// let sk = SherringtonKirkpatrick::sample(20, &mut rng).unwrap();
/// let mut state = DiscreteState::random(&sk, &mut rng).unwrap();
/// let d = state.delta(&sk, 3, 1 - state.get(3));
/// let before = state.energy();
/// state.set(&sk, 3, 1 - state.get(3));
/// assert!((state.energy() - (before + d)).abs() < 1e-12);
/// assert!((state.energy() - sk.energy(state.as_slice())).abs() < 1e-12);
/// ```
#[derive(Default, Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DiscreteState {
    s: Vec<u8>,
    aux: Vec<f64>,
    energy: f64,
}

impl DiscreteState {
    /// Wraps the level vector `s`, computing its energy and cache.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `s.len() != energy.sites()`,
    /// [`Error::InvalidLevel`] if a level is `>= energy.levels()`,
    /// [`Error::NonFinite`] if `E(s)` is not finite, `InvalidParameter` for an energy whose
    /// `levels()` is outside `2..=256` (levels are `u8`; one level has no moves).
    pub fn new<E: DiscreteEnergy + ?Sized>(energy: &E, s: Vec<u8>) -> Result<Self> {
        check_levels(energy.levels())?;
        check::dim("discrete state", energy.sites(), s.len())?;
        let levels = energy.levels();
        if let Some((site, &level)) = s.iter().enumerate().find(|&(_, &l)| usize::from(l) >= levels) {
            return Err(Error::InvalidLevel { site, level, levels });
        }
        let mut aux = vec![0.0; energy.aux_len()];
        energy.init_aux(&s, &mut aux);
        let e = energy.energy(&s);
        if !e.is_finite() {
            return Err(Error::NonFinite("energy of the initial discrete state"));
        }
        Ok(Self { s, aux, energy: e })
    }

    /// A state with every site drawn uniformly from the energy's levels.
    ///
    /// # Errors
    /// As [`DiscreteState::new`]: levels outside `2..=256`, or a non-finite energy at the
    /// drawn state.
    pub fn random<E: DiscreteEnergy + ?Sized, R: Rng + ?Sized>(energy: &E, rng: &mut R) -> Result<Self> {
        let levels = energy.levels();
        check_levels(levels)?;
        let s = (0..energy.sites()).map(|_| rng.random_range(0..levels) as u8).collect();
        Self::new(energy, s)
    }

    /// The level vector.
    pub fn as_slice(&self) -> &[u8] {
        &self.s
    }

    /// Consumes the state, returning the level vector.
    pub fn into_vec(self) -> Vec<u8> {
        self.s
    }

    /// The level of site `i`.
    pub fn get(&self, i: usize) -> u8 {
        self.s[i]
    }

    /// The number of sites.
    pub fn len(&self) -> usize {
        self.s.len()
    }

    /// True for a state with no sites (never produced by a valid energy).
    pub fn is_empty(&self) -> bool {
        self.s.is_empty()
    }

    /// The tracked energy `E(s)` (accumulated from deltas; see [`DiscreteState::resync`]).
    pub fn energy(&self) -> f64 {
        self.energy
    }

    /// The energy's auxiliary cache for this state.
    pub fn aux(&self) -> &[f64] {
        &self.aux
    }

    /// `E(s with s_i = v) - E(s)`, using the cache.
    pub fn delta<E: DiscreteEnergy + ?Sized>(&self, energy: &E, i: usize, v: u8) -> f64 {
        energy.delta_aux(&self.s, &self.aux, i, v)
    }

    /// The deltas of all levels of site `i` (see [`DiscreteEnergy::delta_levels`]).
    pub fn delta_levels<E: DiscreteEnergy + ?Sized>(&self, energy: &E, i: usize, out: &mut [f64]) {
        energy.delta_levels(&self.s, &self.aux, i, out)
    }

    /// Sets site `i` to level `v`, updating cache and energy; returns the energy change.
    pub fn set<E: DiscreteEnergy + ?Sized>(&mut self, energy: &E, i: usize, v: u8) -> f64 {
        let d = self.delta(energy, i, v);
        self.set_with_delta(energy, i, v, d);
        d
    }

    /// Sets site `i` to level `v` when its delta `d` is already known (a sampler that just
    /// computed it to decide acceptance), saving one evaluation.
    pub fn set_with_delta<E: DiscreteEnergy + ?Sized>(&mut self, energy: &E, i: usize, v: u8, d: f64) {
        if self.s[i] == v {
            return;
        }
        energy.update_aux(&self.s, &mut self.aux, i, v);
        self.s[i] = v;
        self.energy += d;
    }

    /// Recomputes energy and cache from scratch (removing accumulated rounding) and returns
    /// the drift `|tracked - exact|` that had built up.
    pub fn resync<E: DiscreteEnergy + ?Sized>(&mut self, energy: &E) -> f64 {
        energy.init_aux(&self.s, &mut self.aux);
        let exact = energy.energy(&self.s);
        let drift = (exact - self.energy).abs();
        self.energy = exact;
        drift
    }
}

/// Levels are stored as `u8` and a site needs somewhere to move: `2..=256`.
pub(crate) fn check_levels(levels: usize) -> Result<()> {
    if (2..=256).contains(&levels) {
        Ok(())
    } else {
        Err(Error::invalid("levels", levels, "must be between 2 and 256"))
    }
}
