//! The state of a continuous chain.

use crate::error::Result;
use elm_core::{Energy, Gradient, check};

/// The caller-owned state of a continuous Markov chain: the position `x`, its energy `E(x)`,
/// its gradient (computed lazily by the samplers that need it), and scratch buffers for
/// proposals, so that stepping a chain allocates nothing.
///
/// The energy stored is the *untempered* `E(x)`; samplers divide by their temperature.
///
/// # Example
/// ```
/// use elm_core::reference::MullerBrown;
/// use elm_mcmc::ContinuousState;
/// let state = ContinuousState::new(&MullerBrown::new(), vec![-0.558, 1.442]).unwrap();
/// assert!((state.energy() + 146.7).abs() < 0.01);
/// assert!(ContinuousState::new(&MullerBrown::new(), vec![0.0]).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ContinuousState {
    pub(crate) x: Vec<f64>,
    pub(crate) energy: f64,
    pub(crate) grad: Vec<f64>,
    pub(crate) grad_valid: bool,
    pub(crate) proposal: Vec<f64>,
    pub(crate) proposal_grad: Vec<f64>,
    pub(crate) momentum: Vec<f64>,
    pub(crate) next_coordinate: usize,
}

impl ContinuousState {
    /// A chain state at `x`.
    ///
    /// # Errors
    /// [`elm_core::Error::DimensionMismatch`] if `x.len() != energy.dim()`,
    /// [`elm_core::Error::NonFinite`] if `x` or `E(x)` is not finite.
    pub fn new<E: Energy + ?Sized>(energy: &E, x: Vec<f64>) -> Result<Self> {
        check::dim("chain start", energy.dim(), x.len())?;
        check::all_finite("chain start", &x)?;
        let e = energy.energy(&x);
        if !e.is_finite() {
            return Err(elm_core::Error::NonFinite("energy at the chain start").into());
        }
        let d = x.len();
        Ok(Self {
            x,
            energy: e,
            grad: vec![0.0; d],
            grad_valid: false,
            proposal: vec![0.0; d],
            proposal_grad: vec![0.0; d],
            momentum: vec![0.0; d],
            next_coordinate: 0,
        })
    }

    /// The position `x`.
    pub fn x(&self) -> &[f64] {
        &self.x
    }

    /// `E(x)` (untempered).
    pub fn energy(&self) -> f64 {
        self.energy
    }

    /// `∇E(x)` if a gradient-based sampler has computed it for the current position.
    pub fn gradient(&self) -> Option<&[f64]> {
        self.grad_valid.then_some(&self.grad[..])
    }

    /// The dimension of the state.
    pub fn dim(&self) -> usize {
        self.x.len()
    }

    /// Consumes the state, returning the position.
    pub fn into_position(self) -> Vec<f64> {
        self.x
    }

    /// Moves the chain to `x` (e.g. a restart), recomputing the energy.
    ///
    /// # Errors
    /// As [`ContinuousState::new`].
    pub fn reset<E: Energy + ?Sized>(&mut self, energy: &E, x: &[f64]) -> Result<()> {
        check::dim("chain position", self.x.len(), x.len())?;
        check::all_finite("chain position", x)?;
        let e = energy.energy(x);
        if !e.is_finite() {
            return Err(elm_core::Error::NonFinite("energy at the new chain position").into());
        }
        self.x.copy_from_slice(x);
        self.energy = e;
        self.grad_valid = false;
        self.next_coordinate = 0;
        Ok(())
    }

    /// Makes sure `grad` holds `∇E(x)` (one evaluation if it does not).
    pub(crate) fn ensure_gradient<E: Gradient + ?Sized>(&mut self, energy: &E) {
        if !self.grad_valid {
            self.energy = energy.energy_gradient(&self.x, &mut self.grad);
            self.grad_valid = true;
        }
    }

    /// Accepts the proposal buffers (position, energy, gradient) as the new state.
    pub(crate) fn accept_proposal(&mut self, energy: f64, with_gradient: bool) {
        std::mem::swap(&mut self.x, &mut self.proposal);
        if with_gradient {
            std::mem::swap(&mut self.grad, &mut self.proposal_grad);
        }
        self.grad_valid = with_gradient;
        self.energy = energy;
    }
}
