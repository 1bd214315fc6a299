use super::{LocalMinimizer, MinimizeReport, TerminationReason, dot, rms, start};
use crate::energy::Gradient;
use crate::error::{Result, check};

/// The Fast Inertial Relaxation Engine (Bitzek, Koskinen, Gähler, Moseler, Gumbsch 2006).
///
/// Damped molecular dynamics with unit masses and force `F = -∇E`, integrated by
/// semi-implicit Euler, with the FIRE velocity mixing
///
/// $$ v \leftarrow (1-a)\\,v + a \\,\lVert v\rVert \\,\hat F , $$
///
/// applied while the power `P = F·v` is positive. After `n_min` consecutive steps with `P > 0`
/// the time step grows by `f_inc` (up to `dt_max`) and `a` shrinks by `f_alpha`; when `P <= 0`
/// the velocity is zeroed, the step shrinks by `f_dec` and `a` returns to `alpha_start`. A
/// displacement longer than `max_step` is scaled down. FIRE needs only gradients, never a line
/// search, and is the robust choice on rough energies (noisy landscapes, learned potentials).
///
/// Converges when the RMS gradient is at most `gradient_tolerance`.
///
/// # Example
/// ```
/// use elm_core::{Fire, LocalMinimizer, reference::MullerBrown};
/// let mut x = [-0.5, 1.3];
/// let r = Fire::default().with_time_step(1e-3).with_max_time_step(1e-2)
///     .minimize(&MullerBrown::new(), &mut x).unwrap();
/// assert!(r.converged());
/// assert!((r.energy + 146.69952).abs() < 1e-4);
/// ```
///
/// # References
/// E. Bitzek et al., *Structural relaxation made simple*, Phys. Rev. Lett. 97, 170201 (2006).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Fire {
    /// Initial time step (default 0.1, for LJ reduced units).
    pub time_step: f64,
    /// Largest time step (default 1.0, i.e. 10 x the initial step as Bitzek et al. advise).
    pub max_time_step: f64,
    /// Steps with `P > 0` before the time step may grow (default 5).
    pub n_min: usize,
    /// Time-step growth factor (default 1.1).
    pub f_inc: f64,
    /// Time-step shrink factor (default 0.5).
    pub f_dec: f64,
    /// Initial mixing `a` (default 0.1).
    pub alpha_start: f64,
    /// Mixing decay factor (default 0.99).
    pub f_alpha: f64,
    /// Largest Euclidean length of one displacement (default 0.2).
    pub max_step: f64,
    /// Convergence threshold on the RMS gradient (default 1e-6).
    pub gradient_tolerance: f64,
    /// Iteration cap (default 100 000).
    pub max_iterations: usize,
}

impl Default for Fire {
    fn default() -> Self {
        Self {
            time_step: 0.1,
            max_time_step: 1.0,
            n_min: 5,
            f_inc: 1.1,
            f_dec: 0.5,
            alpha_start: 0.1,
            f_alpha: 0.99,
            max_step: 0.2,
            gradient_tolerance: 1e-6,
            max_iterations: 100_000,
        }
    }
}

impl Fire {
    /// Sets the initial time step.
    #[must_use]
    pub fn with_time_step(mut self, dt: f64) -> Self {
        self.time_step = dt;
        self
    }

    /// Sets the largest time step.
    #[must_use]
    pub fn with_max_time_step(mut self, dt: f64) -> Self {
        self.max_time_step = dt;
        self
    }

    /// Sets the RMS-gradient convergence threshold.
    #[must_use]
    pub fn with_gradient_tolerance(mut self, tol: f64) -> Self {
        self.gradient_tolerance = tol;
        self
    }

    /// Sets the iteration cap.
    #[must_use]
    pub fn with_max_iterations(mut self, n: usize) -> Self {
        self.max_iterations = n;
        self
    }

    /// Sets the largest displacement per step.
    #[must_use]
    pub fn with_max_step(mut self, step: f64) -> Self {
        self.max_step = step;
        self
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] for non-positive steps or tolerance, a zero
    /// iteration cap, `max_time_step < time_step`, `f_inc <= 1`, or `f_dec`, `f_alpha`,
    /// `alpha_start` outside `(0, 1)`.
    pub fn validate(&self) -> Result<()> {
        check::positive("time_step", self.time_step)?;
        check::positive("max_time_step", self.max_time_step)?;
        if self.max_time_step < self.time_step {
            return Err(crate::Error::invalid("max_time_step", self.max_time_step, "must be >= time_step"));
        }
        if !(self.f_inc > 1.0 && self.f_inc.is_finite()) {
            return Err(crate::Error::invalid("f_inc", self.f_inc, "must be finite and > 1"));
        }
        check::in_open("f_dec", self.f_dec, 0.0, 1.0)?;
        check::in_open("alpha_start", self.alpha_start, 0.0, 1.0)?;
        check::in_open("f_alpha", self.f_alpha, 0.0, 1.0)?;
        check::positive("max_step", self.max_step)?;
        check::positive("gradient_tolerance", self.gradient_tolerance)?;
        check::at_least("max_iterations", self.max_iterations, 1)
    }
}

impl Fire {
    /// FIRE on a general force field: `gradient(x, g)` writes the negative force into `g` and
    /// returns a scalar to report (an energy, or anything). Used for elastic bands, whose
    /// nudged forces are not the gradient of any energy. Converges on the RMS of `g`.
    ///
    /// # Errors
    /// Invalid parameters, a non-finite start, or a non-finite `g` at the start.
    pub fn relax<F>(&self, x: &mut [f64], mut gradient: F) -> Result<MinimizeReport>
    where
        F: FnMut(&[f64], &mut [f64]) -> f64,
    {
        self.validate()?;
        crate::error::check::all_finite("FIRE start state", x)?;
        let n = x.len();
        let mut g = vec![0.0; n];
        let mut e = gradient(x, &mut g);
        if !g.iter().all(|v| v.is_finite()) {
            return Err(crate::Error::NonFinite("force at the FIRE start"));
        }
        self.run(x, &mut g, &mut e, &mut gradient)
    }

    fn run<F>(&self, x: &mut [f64], g: &mut [f64], e: &mut f64, gradient: &mut F) -> Result<MinimizeReport>
    where
        F: FnMut(&[f64], &mut [f64]) -> f64,
    {
        let n = x.len();
        let mut dynamics = FireDynamics::new(*self, n);
        let mut dx = vec![0.0; n];
        let mut x_prev = vec![0.0; n];
        let mut evaluations = 1;
        for iter in 0..self.max_iterations {
            if rms(g) <= self.gradient_tolerance {
                return Ok(MinimizeReport {
                    energy: *e,
                    rms_gradient: rms(g),
                    iterations: iter,
                    evaluations,
                    reason: TerminationReason::Converged,
                });
            }
            dynamics.step(g, &mut dx);
            let step = dot(&dx, &dx).sqrt();
            let scale = if step > self.max_step { self.max_step / step } else { 1.0 };
            x_prev.copy_from_slice(x);
            x.iter_mut().zip(&dx).for_each(|(xi, d)| *xi += scale * d);
            let e_new = gradient(x, g);
            evaluations += 1;
            if !e_new.is_finite() || !g.iter().all(|v| v.is_finite()) {
                // Undo a step into a region where the energy is undefined and slow down.
                x.copy_from_slice(&x_prev);
                *e = gradient(x, g);
                evaluations += 1;
                dynamics.halt();
                continue;
            }
            *e = e_new;
        }
        let reason = if rms(g) <= self.gradient_tolerance {
            TerminationReason::Converged
        } else {
            TerminationReason::MaxIterations
        };
        Ok(MinimizeReport { energy: *e, rms_gradient: rms(g), iterations: self.max_iterations, evaluations, reason })
    }
}

/// The state of FIRE's damped dynamics (velocity, time step, mixing), for drivers that run
/// their own loop around it: elastic bands, which need per-image convergence, a climbing image
/// that may change, and per-image step limits. [`Fire::relax`] and [`Fire`]'s
/// [`LocalMinimizer`] implementation use it too.
///
/// # Example
/// ```
/// use elm_core::{Fire, FireDynamics};
/// // Relax x towards 0 under E = x^2 / 2 (gradient = x).
/// let mut x = [1.0];
/// let mut fire = FireDynamics::new(Fire::default(), 1);
/// let mut dx = [0.0];
/// for _ in 0..200 {
///     fire.step(&x.clone(), &mut dx);
///     x[0] += dx[0];
/// }
/// assert!(x[0].abs() < 1e-3);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FireDynamics {
    params: Fire,
    v: Vec<f64>,
    dt: f64,
    a: f64,
    n_pos: usize,
}

impl FireDynamics {
    /// Dynamics at rest in `n` dimensions with `params`' initial time step and mixing.
    pub fn new(params: Fire, n: usize) -> Self {
        Self { params, v: vec![0.0; n], dt: params.time_step, a: params.alpha_start, n_pos: 0 }
    }

    /// One FIRE step under the force `-g`: velocity mixing while the power `P = F·v` is
    /// positive (a stop otherwise), time-step adaptation, then semi-implicit Euler
    /// `v += dt F`; writes the displacement `dt v` into `dx`, uncapped.
    pub fn step(&mut self, g: &[f64], dx: &mut [f64]) {
        let p = &self.params;
        let power = -dot(g, &self.v);
        if power > 0.0 {
            let vnorm = dot(&self.v, &self.v).sqrt();
            let fnorm = dot(g, g).sqrt();
            if fnorm > 0.0 {
                let a = self.a;
                self.v.iter_mut().zip(g).for_each(|(vi, gi)| *vi = (1.0 - a) * *vi - a * vnorm * gi / fnorm);
            }
            self.n_pos += 1;
            if self.n_pos > p.n_min {
                self.dt = (self.dt * p.f_inc).min(p.max_time_step);
                self.a *= p.f_alpha;
            }
        } else {
            self.halt();
        }
        let dt = self.dt;
        self.v.iter_mut().zip(g).for_each(|(vi, gi)| *vi -= dt * gi);
        dx.iter_mut().zip(&self.v).for_each(|(d, vi)| *d = dt * vi);
    }

    /// FIRE's stop: zero velocity, shrink the time step by `f_dec`, restart the mixing.
    pub fn halt(&mut self) {
        self.v.iter_mut().for_each(|vi| *vi = 0.0);
        self.dt *= self.params.f_dec;
        self.a = self.params.alpha_start;
        self.n_pos = 0;
    }

    /// The velocity.
    pub fn velocity(&self) -> &[f64] {
        &self.v
    }

    /// The current time step.
    pub fn time_step(&self) -> f64 {
        self.dt
    }
}

impl LocalMinimizer for Fire {
    fn minimize<E: Gradient + ?Sized>(&self, energy: &E, x: &mut [f64]) -> Result<MinimizeReport> {
        self.validate()?;
        let n = x.len();
        let mut g = vec![0.0; n];
        let mut e = start(energy, x, &mut g)?;
        self.run(x, &mut g, &mut e, &mut |x: &[f64], g: &mut [f64]| energy.energy_gradient(x, g))
    }
}
