//! Hysteresis of the magnetized 2-D Ising model (seed 000 Sec. 3.2, Fig. 8): the physical
//! picture behind Attraction-Diffusion. A field `H` plays the magnet `α`, and below `T_c` a
//! magnetized state survives a field that pulls the other way — metastability — until `|H|`
//! passes a coercive field `H*(T)`, the analogue of AD's metastable boundary `α*(T)`.

use elm_core::reference::Ising;
use elm_core::{DiscreteState, TaskRng, task_rng};
use elm_mcmc::{DiscreteSampler, Gibbs};
use serde::Serialize;

/// How a field sweep is run.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SweepParams {
    /// Lattice side `L` (periodic, `L^2` spins).
    pub side: usize,
    /// Largest field; the sweep goes `+h_max → -h_max → +h_max`.
    pub h_max: f64,
    /// Field steps per half loop.
    pub steps: usize,
    /// Gibbs sweeps at each field (the first half equilibrate, the second half are averaged).
    pub sweeps: usize,
}

impl Default for SweepParams {
    fn default() -> Self {
        Self { side: 32, h_max: 1.5, steps: 60, sweeps: 40 }
    }
}

/// One hysteresis loop at temperature `t`.
#[derive(Debug, Clone, Serialize)]
pub struct Loop {
    /// Temperature.
    pub temperature: f64,
    /// Fields of the down branch (`+h_max` to `-h_max`); the up branch uses them reversed.
    pub fields: Vec<f64>,
    /// Mean magnetization per spin on the down branch, per field.
    pub down: Vec<f64>,
    /// Mean magnetization on the up branch, at the same fields (in the order of `fields`).
    pub up: Vec<f64>,
    /// The coercive field: `-H` where the down branch crosses `M = 0` (linear interpolation
    /// between field steps; `None` if it never turned). Near 0 above `T_c` (the sweep's lag).
    pub coercive_field: Option<f64>,
    /// Loop area `∮ M dH ≈ Σ (M_down - M_up) ΔH` (0 for a reversible curve).
    pub area: f64,
    /// Down-branch magnetization at `H = 0` (the remanent magnetization; compare with
    /// Onsager's spontaneous magnetization below `T_c`).
    pub remanence: f64,
}

/// Runs the loop `+h_max → -h_max → +h_max` at temperature `t` with Gibbs sweeps, starting from
/// all spins up; deterministic in `seed`.
///
/// # Panics
/// Never for valid parameters (`side >= 2`, finite fields, `t > 0`).
pub fn hysteresis_loop(t: f64, p: &SweepParams, seed: u64) -> Loop {
    let fields: Vec<f64> = (0..=p.steps).map(|k| p.h_max * (1.0 - 2.0 * k as f64 / p.steps as f64)).collect();
    let gibbs = Gibbs::default().with_temperature(t);
    let mut rng: TaskRng = task_rng(seed, t.to_bits(), 0, 0);
    let mut s = vec![1u8; p.side * p.side];
    let mut run = |h: f64, s: &mut Vec<u8>| -> f64 {
        let ising = Ising::new(p.side, 1.0, h).expect("valid lattice");
        let mut state = DiscreteState::new(&ising, std::mem::take(s)).expect("valid state");
        let mut m = 0.0;
        let keep = p.sweeps - p.sweeps / 2;
        for k in 0..p.sweeps {
            gibbs.sweep(&ising, &mut state, &mut rng);
            if k >= p.sweeps / 2 {
                m += ising.magnetization(state.as_slice());
            }
        }
        *s = state.into_vec();
        m / keep as f64
    };
    let down: Vec<f64> = fields.iter().map(|&h| run(h, &mut s)).collect();
    let mut up: Vec<f64> = fields.iter().rev().map(|&h| run(h, &mut s)).collect();
    up.reverse();
    let coercive_field = (1..fields.len()).find(|&k| down[k] < 0.0).map(|k| {
        let (h0, h1, m0, m1) = (fields[k - 1], fields[k], down[k - 1], down[k]);
        let h = if m0 > 0.0 { h0 + (h1 - h0) * m0 / (m0 - m1) } else { h0 };
        -h
    });
    let dh = 2.0 * p.h_max / p.steps as f64;
    let area = down.iter().zip(&up).map(|(d, u)| (d - u) * dh).sum();
    let zero = fields.iter().position(|&h| h.abs() < 1e-9 * p.h_max.max(1.0));
    let remanence = zero.map_or(f64::NAN, |k| down[k]);
    Loop { temperature: t, fields, down, up, coercive_field, area, remanence }
}
