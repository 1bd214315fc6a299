//! AutoNEB: cycles of band relaxation with adaptive pivot insertion (seed 003).

use crate::band::{BandReport, ElasticBand};
use crate::error::Result;
use crate::linear::check_ends;
use elm_core::{Energy, Gradient, check};

/// AutoNEB (Kolsbjerg, Groves & Hammer 2016; seed 003 Alg. "AutoNEB"): start from a few pivots
/// on the straight segment; in each cycle relax the band, then evaluate the energy at
/// `interpolation_points` points between every pair of neighbouring pivots and insert a new pivot
/// wherever the energy exceeds the linear interpolation of the two pivots' energies by more than
/// `threshold` times the energy range along the path (seed 003: 9 points, 20%). Stops after
/// `cycles` cycles, or earlier when a cycle inserts nothing and the band has converged.
///
/// # Example
/// ```
/// use elm_core::reference::MullerBrown;
/// use elm_paths::{AutoNeb, BandMethod, ElasticBand};
/// let [a, _, c] = MullerBrown::MINIMA.map(|m| m.1);
/// let auto = AutoNeb::default().with_band(ElasticBand::default().with_method(BandMethod::Neb).with_climbing(true));
/// let report = auto.run(&MullerBrown::new(), &a, &c).unwrap();
/// assert!((report.band.path.barrier() - MullerBrown::SADDLES[0].0).abs() < 1e-2);
/// ```
///
/// # References
/// E. L. Kolsbjerg, M. N. Groves, B. Hammer, J. Chem. Phys. 145, 094107 (2016); seed 003 Sec. 2.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AutoNeb {
    /// The band relaxed in every cycle (its `images` is ignored; a climbing band may still
    /// insert images of its own, see [`ElasticBand::max_insertions`]).
    pub band: ElasticBand,
    /// Pivots of the first cycle, ends included (default 4).
    pub initial_pivots: usize,
    /// Most pivots (default 40).
    pub max_pivots: usize,
    /// Cycles (default 14, as seed 003).
    pub cycles: usize,
    /// Points evaluated between neighbouring pivots (default 9, as seed 003).
    pub interpolation_points: usize,
    /// Insertion threshold as a fraction of the path's energy range (default 0.2, as seed 003).
    pub threshold: f64,
}

impl Default for AutoNeb {
    fn default() -> Self {
        Self {
            band: ElasticBand::default().with_method(crate::BandMethod::String),
            initial_pivots: 4,
            max_pivots: 40,
            cycles: 14,
            interpolation_points: 9,
            threshold: 0.2,
        }
    }
}

/// One AutoNEB cycle.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CycleReport {
    /// Pivots relaxed in the cycle.
    pub pivots: usize,
    /// Pivots inserted after it.
    pub inserted: usize,
    /// Highest pivot energy after relaxation.
    pub barrier: f64,
}

/// What an AutoNEB observer sees after every cycle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AutoNebProgress {
    /// Cycles done.
    pub cycle: usize,
    /// The cycle cap.
    pub cycles: usize,
    /// The cycle just done.
    pub last: CycleReport,
}

impl elm_core::Progress for AutoNebProgress {
    fn done(&self) -> usize {
        self.cycle
    }

    fn total(&self) -> Option<usize> {
        Some(self.cycles)
    }

    fn summary(&self) -> String {
        format!(
            "AutoNEB cycle {}/{}: {} pivots, {} inserted, highest pivot {:.6}",
            self.cycle, self.cycles, self.last.pivots, self.last.inserted, self.last.barrier
        )
    }
}

/// The outcome of AutoNEB.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AutoNebReport {
    /// The final band.
    pub band: BandReport,
    /// Per-cycle history.
    pub cycles: Vec<CycleReport>,
}

impl AutoNeb {
    /// Sets the band.
    #[must_use]
    pub fn with_band(mut self, band: ElasticBand) -> Self {
        self.band = band;
        self
    }

    /// Sets the number of cycles.
    #[must_use]
    pub fn with_cycles(mut self, cycles: usize) -> Self {
        self.cycles = cycles;
        self
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// Invalid band; `InvalidParameter` for fewer than 3 initial pivots, `max_pivots` below them,
    /// no cycles, no interpolation points, or a threshold outside `(0, 1)`.
    pub fn validate(&self) -> Result<()> {
        self.band.with_images(self.initial_pivots.max(3)).validate()?;
        check::at_least("initial_pivots", self.initial_pivots, 3)?;
        check::at_least("max_pivots", self.max_pivots, self.initial_pivots)?;
        check::at_least("cycles", self.cycles, 1)?;
        check::at_least("interpolation_points", self.interpolation_points, 1)?;
        check::in_open("threshold", self.threshold, 0.0, 1.0)?;
        Ok(())
    }

    /// Where new pivots go: for each pair of neighbouring pivots `(i, i+1)`, the interpolation
    /// parameter `t` of the point with the largest excess over the linear interpolation, if that
    /// excess exceeds `threshold` times the energy range of `pivots`. Returned as `(i, t)`.
    pub fn insertion_points<E: Energy + ?Sized>(
        &self,
        energy: &E,
        pivots: &[Vec<f64>],
        energies: &[f64],
    ) -> Vec<(usize, f64)> {
        let (lo, hi) = energies.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &e| (a.min(e), b.max(e)));
        let range = hi - lo;
        let k = self.interpolation_points;
        let mut out = Vec::new();
        for i in 0..pivots.len() - 1 {
            let mut best: Option<(f64, f64)> = None;
            for j in 1..=k {
                let t = j as f64 / (k + 1) as f64;
                let p: Vec<f64> = pivots[i].iter().zip(&pivots[i + 1]).map(|(a, b)| (1.0 - t) * a + t * b).collect();
                let excess = energy.energy(&p) - ((1.0 - t) * energies[i] + t * energies[i + 1]);
                if excess > self.threshold * range && best.is_none_or(|(e, _)| excess > e) {
                    best = Some((excess, t));
                }
            }
            if let Some((_, t)) = best {
                out.push((i, t));
            }
        }
        out
    }

    /// Runs AutoNEB between `a` and `b`.
    ///
    /// # Errors
    /// Invalid parameters or ends, non-finite energies.
    pub fn run<E: Gradient + ?Sized>(&self, energy: &E, a: &[f64], b: &[f64]) -> Result<AutoNebReport> {
        self.run_observed(energy, a, b, |_| elm_core::Control::Continue)
    }

    /// [`AutoNeb::run`] with an observer called after every cycle with its [`AutoNebProgress`]
    /// (any `FnMut(&AutoNebProgress) -> Control` or a stock one of [`elm_core::observe`]);
    /// [`Control::Stop`](elm_core::Control::Stop) returns the band of the last cycle, before
    /// that cycle's insertions.
    ///
    /// # Errors
    /// As [`AutoNeb::run`].
    pub fn run_observed<E, O>(&self, energy: &E, a: &[f64], b: &[f64], mut observer: O) -> Result<AutoNebReport>
    where
        E: Gradient + ?Sized,
        O: FnMut(&AutoNebProgress) -> elm_core::Control,
    {
        self.validate()?;
        check_ends(energy.dim(), a, b)?;
        let n0 = self.initial_pivots;
        let mut pivots: Vec<Vec<f64>> = (0..n0)
            .map(|k| {
                let t = k as f64 / (n0 - 1) as f64;
                a.iter().zip(b).map(|(x, y)| (1.0 - t) * x + t * y).collect()
            })
            .collect();
        let band = self.band;
        let mut cycles = Vec::new();
        let mut last = None;
        for _ in 0..self.cycles {
            let report = band.relax(energy, pivots)?;
            let inserts = if report.path.states.len() < self.max_pivots
                && report.reason != elm_core::TerminationReason::Diverged
            {
                self.insertion_points(energy, &report.path.states, &report.path.energies)
            } else {
                vec![]
            };
            let room = self.max_pivots - report.path.states.len();
            let inserts: Vec<(usize, f64)> = inserts.into_iter().take(room).collect();
            cycles.push(CycleReport {
                pivots: report.path.states.len(),
                inserted: inserts.len(),
                barrier: report.path.barrier(),
            });
            pivots = report.path.states.clone();
            let progress = AutoNebProgress { cycle: cycles.len(), cycles: self.cycles, last: cycles[cycles.len() - 1] };
            if observer(&progress) == elm_core::Control::Stop {
                last = Some(report);
                break;
            }
            for &(i, t) in inserts.iter().rev() {
                let p = pivots[i].iter().zip(&pivots[i + 1]).map(|(a, b)| (1.0 - t) * a + t * b).collect();
                pivots.insert(i + 1, p);
            }
            let diverged = report.reason == elm_core::TerminationReason::Diverged;
            let done = diverged || (inserts.is_empty() && report.reason == elm_core::TerminationReason::Converged);
            last = Some(report);
            if done {
                break;
            }
        }
        let band = match last {
            Some(r) if r.path.states.len() == pivots.len() => r,
            _ => band.relax(energy, pivots)?,
        };
        Ok(AutoNebReport { band, cycles })
    }
}
