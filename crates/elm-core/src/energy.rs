//! The traits every elm algorithm is written against.
//!
//! Three capabilities, each asked for only by the algorithms that need it
//! (random-walk samplers need [`Energy`], Langevin and L-BFGS need [`Gradient`],
//! Gibbs and greedy descent need [`DiscreteEnergy`]).

use ndarray::ArrayView2;

/// An energy (negative log density up to a constant) over the continuous space `R^d`.
///
/// Implementors assume `x.len() == self.dim()`; every public algorithm of the workspace
/// checks the length once at entry and returns [`crate::Error::DimensionMismatch`]
/// otherwise, so the hot path carries no check.
///
/// An energy may return `NaN` or `+inf` for a state outside its domain; samplers treat
/// such a proposal as a rejection and minimizers as a failed line-search step.
///
/// # Example
/// ```
/// use elm_core::{Energy, reference::MullerBrown};
/// let mb = MullerBrown::new();
/// assert_eq!(mb.dim(), 2);
/// // The deepest Mueller-Brown minimum (Mueller & Brown 1979).
/// assert!((mb.energy(&[-0.558224, 1.441726]) + 146.699517).abs() < 1e-4);
/// ```
pub trait Energy: Sync {
    /// The dimension `d` of the state space.
    fn dim(&self) -> usize;

    /// `E(x)`.
    fn energy(&self, x: &[f64]) -> f64;

    /// Evaluates `E` at every row of `xs` into `out` (`out.len() == xs.nrows()`).
    ///
    /// The default loops over [`Energy::energy`]; override it when the model evaluates many
    /// states at once more cheaply (a neural network on a GPU).
    fn energy_batch(&self, xs: ArrayView2<'_, f64>, out: &mut [f64]) {
        let mut buf = Vec::new();
        for (row, o) in xs.rows().into_iter().zip(out.iter_mut()) {
            *o = match row.as_slice() {
                Some(s) => self.energy(s),
                None => {
                    buf.clear();
                    buf.extend(row.iter().copied());
                    self.energy(&buf)
                }
            };
        }
    }
}

/// An [`Energy`] with an analytic (or automatic) gradient.
///
/// Value and gradient come from one call writing into a caller-owned buffer, so hot loops
/// allocate nothing.
///
/// # Example
/// ```
/// use elm_core::{Gradient, reference::MullerBrown};
/// let mb = MullerBrown::new();
/// let mut g = [0.0; 2];
/// let e = mb.energy_gradient(&[0.62350, 0.02804], &mut g);
/// assert!((e + 108.16672).abs() < 1e-4);
/// assert!(g[0].abs() < 1e-2 && g[1].abs() < 1e-2); // a stationary point
/// ```
pub trait Gradient: Energy {
    /// Returns `E(x)` and writes `∇E(x)` into `grad` (`grad.len() == self.dim()`).
    fn energy_gradient(&self, x: &[f64], grad: &mut [f64]) -> f64;
}

/// An energy over the finite product space `{0, .., levels-1}^n` with cheap one-site changes.
///
/// States are `&[u8]` level vectors. Spin systems use two levels, with level `0` meaning
/// spin `-1` and level `1` meaning `+1` (see [`DiscreteEnergy::level_value`]); the image
/// models of the seeds use 8 grey levels.
///
/// ## Incremental evaluation
/// [`DiscreteEnergy::delta`] gives `E(s with s_i = v) - E(s)`. Energies with long-range
/// couplings (the SK spin glass) also keep an *auxiliary cache* of `aux_len()` numbers (the
/// local fields `h_i = Σ_k J_ik σ_k`), maintained by [`crate::DiscreteState`]: a delta is then
/// `O(1)` and an accepted change costs `O(n)` to propagate. Energies without a cache keep the
/// defaults.
///
/// # Example
/// ```
/// use elm_core::{DiscreteEnergy, reference::Ising};
/// let ising = Ising::new(4, 1.0, 0.0).unwrap();
/// let all_up = vec![1u8; 16];
/// // 2 bonds per site on a periodic lattice: E = -2 L^2.
/// assert_eq!(ising.energy(&all_up), -32.0);
/// // Flipping one spin of the all-up state breaks 4 bonds: ΔE = +8.
/// assert_eq!(ising.delta(&all_up, 5, 0), 8.0);
/// ```
pub trait DiscreteEnergy: Sync {
    /// The number of sites `n`.
    fn sites(&self) -> usize;

    /// The number of levels each site can take (at most 256).
    fn levels(&self) -> usize;

    /// `E(s)`.
    fn energy(&self, s: &[u8]) -> f64;

    /// The numeric value of a level, used by distances and magnetization
    /// (`||s - s*||_2` is computed on these values). Default: the level itself.
    fn level_value(&self, level: u8) -> f64 {
        f64::from(level)
    }

    /// `E(s with site i set to level v) - E(s)`.
    ///
    /// The default recomputes the energy twice (`O(cost of E)` and one allocation);
    /// override it whenever a local formula exists.
    fn delta(&self, s: &[u8], i: usize, v: u8) -> f64 {
        if s[i] == v {
            return 0.0;
        }
        let mut t = s.to_vec();
        t[i] = v;
        self.energy(&t) - self.energy(s)
    }

    /// Length of the auxiliary cache (0 when the energy keeps none).
    fn aux_len(&self) -> usize {
        0
    }

    /// Fills the auxiliary cache for state `s` from scratch.
    fn init_aux(&self, _s: &[u8], _aux: &mut [f64]) {}

    /// [`DiscreteEnergy::delta`] with the cache of `s` at hand. Default: ignores the cache.
    fn delta_aux(&self, s: &[u8], _aux: &[f64], i: usize, v: u8) -> f64 {
        self.delta(s, i, v)
    }

    /// Updates the cache for the change `s_i -> v`; called *before* `s[i]` is overwritten.
    fn update_aux(&self, _s: &[u8], _aux: &mut [f64], _i: usize, _v: u8) {}

    /// Writes the delta of every level of site `i` into `out` (`out.len() == levels()`;
    /// `out[s[i]] == 0`). This is what a heat-bath (Gibbs) update needs; override it when all
    /// levels can be evaluated at once (e.g. batched on a GPU).
    fn delta_levels(&self, s: &[u8], aux: &[f64], i: usize, out: &mut [f64]) {
        for (v, o) in out.iter_mut().enumerate() {
            *o = self.delta_aux(s, aux, i, v as u8);
        }
    }

    /// The single-site change that lowers the energy most, `(site, level, delta)` with
    /// `delta < -tolerance` (ties: lowest site, then lowest level), or `None` at a single-site
    /// local minimum: one step of deterministic steepest descent (`DiscreteDescent`'s steepest
    /// rule; GWL's basin lookups run millions). The default scans [`delta_levels`] site by site;
    /// override it with a tight loop when deltas have a closed form (SK: `2 σ_i h_i`).
    ///
    /// [`delta_levels`]: DiscreteEnergy::delta_levels
    fn steepest_move(&self, s: &[u8], aux: &[f64], tolerance: f64) -> Option<(usize, u8, f64)> {
        let mut stack = [0.0; 16];
        let mut heap = Vec::new();
        let deltas: &mut [f64] = if self.levels() <= stack.len() {
            &mut stack[..self.levels()]
        } else {
            heap.resize(self.levels(), 0.0);
            &mut heap
        };
        let mut best: Option<(usize, u8, f64)> = None;
        for i in 0..s.len() {
            self.delta_levels(s, aux, i, deltas);
            for (v, &d) in deltas.iter().enumerate() {
                if d < -tolerance && best.is_none_or(|b| d < b.2) {
                    best = Some((i, v as u8, d));
                }
            }
        }
        best
    }
}

impl<E: Energy + ?Sized> Energy for &E {
    fn dim(&self) -> usize {
        (**self).dim()
    }
    fn energy(&self, x: &[f64]) -> f64 {
        (**self).energy(x)
    }
    fn energy_batch(&self, xs: ArrayView2<'_, f64>, out: &mut [f64]) {
        (**self).energy_batch(xs, out)
    }
}

impl<E: Gradient + ?Sized> Gradient for &E {
    fn energy_gradient(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        (**self).energy_gradient(x, grad)
    }
}

impl<E: DiscreteEnergy + ?Sized> DiscreteEnergy for &E {
    fn sites(&self) -> usize {
        (**self).sites()
    }
    fn levels(&self) -> usize {
        (**self).levels()
    }
    fn energy(&self, s: &[u8]) -> f64 {
        (**self).energy(s)
    }
    fn level_value(&self, level: u8) -> f64 {
        (**self).level_value(level)
    }
    fn delta(&self, s: &[u8], i: usize, v: u8) -> f64 {
        (**self).delta(s, i, v)
    }
    fn aux_len(&self) -> usize {
        (**self).aux_len()
    }
    fn init_aux(&self, s: &[u8], aux: &mut [f64]) {
        (**self).init_aux(s, aux)
    }
    fn delta_aux(&self, s: &[u8], aux: &[f64], i: usize, v: u8) -> f64 {
        (**self).delta_aux(s, aux, i, v)
    }
    fn update_aux(&self, s: &[u8], aux: &mut [f64], i: usize, v: u8) {
        (**self).update_aux(s, aux, i, v)
    }
    fn delta_levels(&self, s: &[u8], aux: &[f64], i: usize, out: &mut [f64]) {
        (**self).delta_levels(s, aux, i, out)
    }
    fn steepest_move(&self, s: &[u8], aux: &[f64], tolerance: f64) -> Option<(usize, u8, f64)> {
        (**self).steepest_move(s, aux, tolerance)
    }
}
