//! Basin-hopping global optimization (seed 002 Sec. II).

use crate::error::Result;
use elm_core::{Gradient, LocalMinimizer, SameMinimum, check};
use rand::{Rng, RngExt};

/// Basin-hopping (Li & Scheraga 1987; Wales & Doye 1997; seed 002 Sec. II): a Metropolis walk
/// over local minima — perturb every coordinate of the current minimum uniformly in
/// `[-step, step]`, quench with the local minimizer, accept the new minimum with probability
/// `min{1, exp(-(E_new - E_old)/T)}`. Every distinct minimum met is recorded.
///
/// # Example
/// ```
/// use elm_core::{Lbfgs, reference::LennardJones};
/// use elm_paths::BasinHopping;
/// use rand::SeedableRng;
/// let lj = LennardJones::new(7).unwrap();
/// let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
/// let x0 = lj.random_configuration(&mut rng);
/// let bh = BasinHopping::default().with_steps(200).with_step_size(0.4).with_temperature(0.8);
/// let r = bh.run(&lj, &Lbfgs::default(), &x0, &mut rng).unwrap();
/// assert!((r.best_energy() + 16.505384).abs() < 1e-5); // the LJ7 global minimum
/// ```
///
/// # References
/// D. J. Wales, J. P. K. Doye, J. Phys. Chem. A 101, 5111 (1997); seed 002 Sec. II.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BasinHopping {
    /// Basin-hopping steps (default 1000).
    pub steps: usize,
    /// Largest coordinate perturbation (default 0.5).
    pub step_size: f64,
    /// Acceptance temperature (default 1).
    pub temperature: f64,
    /// When two quenched states are the same minimum.
    pub same: SameMinimum,
}

impl Default for BasinHopping {
    fn default() -> Self {
        Self {
            steps: 1000,
            step_size: 0.5,
            temperature: 1.0,
            same: SameMinimum { distance: 1e-3, energy: 1e-7, hamming: 0 },
        }
    }
}

/// The minima found by basin-hopping.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BasinHoppingReport {
    /// Distinct minima `(state, energy, times found)`, in order of discovery.
    pub minima: Vec<(Vec<f64>, f64, usize)>,
    /// Accepted hops.
    pub accepted: usize,
    /// Hops tried.
    pub steps: usize,
}

impl BasinHoppingReport {
    /// The lowest energy found.
    pub fn best_energy(&self) -> f64 {
        self.minima.iter().map(|m| m.1).fold(f64::INFINITY, f64::min)
    }
}

impl BasinHopping {
    /// Sets the number of steps.
    #[must_use]
    pub fn with_steps(mut self, steps: usize) -> Self {
        self.steps = steps;
        self
    }

    /// Sets the perturbation size.
    #[must_use]
    pub fn with_step_size(mut self, step: f64) -> Self {
        self.step_size = step;
        self
    }

    /// Sets the temperature.
    #[must_use]
    pub fn with_temperature(mut self, t: f64) -> Self {
        self.temperature = t;
        self
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// `InvalidParameter` for non-positive step size or temperature, or invalid tolerances.
    pub fn validate(&self) -> Result<()> {
        check::positive("step_size", self.step_size)?;
        check::positive("temperature", self.temperature)?;
        self.same.validate()?;
        Ok(())
    }

    /// Runs from `x0` with `minimizer`.
    ///
    /// # Errors
    /// Invalid parameters; minimizer errors at the start.
    pub fn run<E, M, R>(&self, energy: &E, minimizer: &M, x0: &[f64], rng: &mut R) -> Result<BasinHoppingReport>
    where
        E: Gradient + ?Sized,
        M: LocalMinimizer,
        R: Rng + ?Sized,
    {
        self.validate()?;
        let mut x = x0.to_vec();
        let mut e = minimizer.minimize(energy, &mut x)?.energy;
        let mut report = BasinHoppingReport { minima: vec![(x.clone(), e, 1)], accepted: 0, steps: self.steps };
        for _ in 0..self.steps {
            let mut y: Vec<f64> = x.iter().map(|v| v + rng.random_range(-self.step_size..self.step_size)).collect();
            let Ok(r) = minimizer.minimize(energy, &mut y) else { continue };
            if !r.energy.is_finite() {
                continue;
            }
            match report.minima.iter_mut().find(|m| self.same.continuous(&m.0, m.1, &y, r.energy)) {
                Some(m) => m.2 += 1,
                None => report.minima.push((y.clone(), r.energy, 1)),
            }
            let log_ratio = -(r.energy - e) / self.temperature;
            if log_ratio >= 0.0 || rng.random::<f64>() < log_ratio.exp() {
                x = y;
                e = r.energy;
                report.accepted += 1;
            }
        }
        Ok(report)
    }
}
