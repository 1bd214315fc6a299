//! Chain-of-states methods: NEB, doubly nudged EB, string method.

use crate::error::{Error, Result};
use crate::linear::check_ends;
use elm_core::{Control, EnergyPath, Fire, FireDynamics, Gradient, TerminationReason, check};
use rayon::prelude::*;
use std::collections::VecDeque;

/// Which chain-of-states force a band uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BandMethod {
    /// Nudged elastic band with the improved tangent (Henkelman & Jónsson 2000): the true force
    /// acts perpendicular to the path, springs parallel to it.
    Neb,
    /// Doubly nudged elastic band (Trygubenko & Wales 2004): NEB plus the part of the
    /// perpendicular spring force orthogonal to the true perpendicular force, which keeps the band
    /// from kinking (seed 002 Sec. II).
    DoublyNudged,
    /// The string method variant of seed 003: perpendicular true force only, no springs; the
    /// images are re-spaced evenly by arc length after every step.
    String,
}

/// How NEB and DNEB bands move their images (the string method always takes steepest steps
/// and re-spaces).
///
/// The nudged band force `F(x)` is not the gradient of any function (the projections depend on
/// the tangent, which depends on the neighbours), so its Jacobian is not symmetric and methods
/// that assume a symmetric Hessian fail: a global L-BFGS on the stacked force without a line
/// search (Sheppard, Terrell & Henkelman 2008) diverged on Müller-Brown A-C and stalled at force
/// 70 on C-B (measured, `docs/design.md`). Anderson acceleration solves `F(x) = 0` as a
/// nonlinear system and makes no such assumption (Quantum ESPRESSO's NEB offers the related
/// Broyden scheme, `opt_scheme = 'broyden'`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BandOptimizer {
    /// FIRE (Bitzek et al. 2006) on the stacked band force, started with `time_step` and the
    /// whole band's step capped at `max_step`.
    Fire,
    /// Anderson acceleration (Anderson 1965; Walker & Ni 2011) of the fixed-point iteration
    /// `x ← x + β F(x)`, the default. With the last `memory` differences of iterates `Δx_i` and
    /// of forces `ΔF_i`, each step is
    ///
    /// ```text
    /// γ = argmin_γ |F_k - Σ_i γ_i ΔF_i|²,   x_{k+1} = x_k + β F_k - Σ_i γ_i (Δx_i + β ΔF_i),
    /// ```
    ///
    /// the minimal-residual combination of past steps (GMRES on a linear problem). `β` is the
    /// step per unit force of the first measured response, `|Δx| / |ΔF|`; the first step moves
    /// the most-pushed image `max_step`. The step is scaled so that no image moves farther than
    /// `max_step` (ASE's rule, the direction kept); a step against the force empties the history,
    /// and a new climbing image or an inserted image restarts it (`β` is kept).
    /// Measured (11 images, Müller-Brown, NEB to 1e-3 then climbing to 1e-4): 3 150 and 1 242
    /// energy+force evaluations for A-C and C-B against FIRE's 14 025 and 6 418.
    Anderson {
        /// Past steps kept (default 20, at least 1).
        memory: usize,
    },
}

impl Default for BandOptimizer {
    /// Anderson acceleration with memory 20.
    fn default() -> Self {
        Self::Anderson { memory: 20 }
    }
}

/// How a band's convergence is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum BandConvergence {
    /// The largest force norm of any movable image (the usual criterion of NEB codes: ASE's
    /// `fmax`, VTST, pele), the default.
    #[default]
    LargestImageForce,
    /// The norm of all movable images' forces stacked into one vector (stricter by up to the
    /// square root of the number of images).
    StackedForce,
}

/// Parameters of an elastic band between two minima.
///
/// # Example
/// ```
/// use elm_core::reference::MullerBrown;
/// use elm_paths::{BandMethod, ElasticBand};
/// let [_, b, c] = MullerBrown::MINIMA.map(|m| m.1);
/// let band = ElasticBand::default().with_method(BandMethod::Neb).with_images(12).with_climbing(true);
/// let report = band.run(&MullerBrown::new(), &c, &b).unwrap();
/// // The climbing image sits on the C-B saddle (-72.24894).
/// assert!((report.path.barrier() - MullerBrown::SADDLES[1].0).abs() < 1e-2);
/// ```
///
/// # References
/// G. Henkelman, H. Jónsson, J. Chem. Phys. 113, 9978 (2000); G. Henkelman, B. P. Uberuaga,
/// H. Jónsson, J. Chem. Phys. 113, 9901 (2000) (climbing image); S. A. Trygubenko, D. J. Wales,
/// J. Chem. Phys. 120, 2082 (2004); seed 003 Sec. 2 (string variant).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ElasticBand {
    /// The force (default NEB).
    pub method: BandMethod,
    /// Images including the two fixed ends (default 10, at least 3).
    pub images: usize,
    /// Spring constant `k` (NEB, DNEB; default 1).
    pub spring: f64,
    /// Climbing image: the highest image feels the inverted parallel true force and no spring,
    /// converging onto the saddle (default false).
    pub climbing: bool,
    /// The climbing image is switched on once the plain band's force measure is at most this
    /// multiple of `force_tolerance` (default 10; Henkelman, Uberuaga & Jónsson 2000 climb only
    /// once the band is roughly converged).
    pub climb_start_factor: f64,
    /// Convergence: the force measure (see `convergence`) at most this (default 1e-3).
    pub force_tolerance: f64,
    /// What `force_tolerance` bounds (default: the largest image force).
    pub convergence: BandConvergence,
    /// Images the band may insert where its interpolation shows an unresolved saddle: before
    /// the climb starts and after the climber converges (default 3; 0 keeps the band's size).
    pub max_insertions: usize,
    /// Points sampled inside every segment to check that the band resolves its path (before
    /// the climb, after it, and for [`BandReport::path_maximum`]; default 9, as seed 003's
    /// AutoNEB; at least 1).
    pub segment_points: usize,
    /// The band has diverged when an image energy exceeds the initial band's highest energy by
    /// more than this multiple of the initial band's energy range, or an image lies farther than
    /// this multiple of the end-to-end distance from the ends' midpoint (default 10).
    pub divergence_factor: f64,
    /// Iteration cap (default 20 000).
    pub max_iterations: usize,
    /// How NEB and DNEB images move (default Anderson acceleration with memory 20; records
    /// written before this field existed read as the default).
    #[serde(default)]
    pub optimizer: BandOptimizer,
    /// FIRE's initial time step for NEB/DNEB with [`BandOptimizer::Fire`] (default 1e-3, suited
    /// to energies of scale ~100 like Müller-Brown).
    pub time_step: f64,
    /// Largest displacement per step: of the whole band for FIRE, of any one image for Anderson
    /// acceleration and the string method (default 0.05).
    pub max_step: f64,
    /// Steepest-descent step of the string method (default 1e-4).
    pub string_step: f64,
}

impl Default for ElasticBand {
    fn default() -> Self {
        Self {
            method: BandMethod::Neb,
            images: 10,
            spring: 1.0,
            climbing: false,
            climb_start_factor: 10.0,
            force_tolerance: 1e-3,
            convergence: BandConvergence::LargestImageForce,
            divergence_factor: 10.0,
            max_insertions: 3,
            segment_points: 9,
            max_iterations: 20_000,
            optimizer: BandOptimizer::default(),
            time_step: 1e-3,
            max_step: 0.05,
            string_step: 1e-4,
        }
    }
}

/// The outcome of a band relaxation.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BandReport {
    /// The relaxed band (ends included) and its energies.
    pub path: EnergyPath<Vec<f64>>,
    /// Iterations.
    pub iterations: usize,
    /// Every energy-and-gradient call made: the fixed ends once, the movable images once per
    /// force evaluation.
    pub evaluations: usize,
    /// Largest force on a movable image at the end.
    pub max_force: f64,
    /// The climbing image (index into the band) at the end, when climbing was on.
    pub climbing_image: Option<usize>,
    /// The highest energy on the piecewise-linear band: its images and the highest of
    /// `segment_points` samples inside every segment, refined by a golden-section search. The
    /// band is a continuous path between the ends, so (wherever the refined sample is the
    /// segment's true maximum) this is an *upper bound* of the minimax barrier between them.
    pub path_maximum: f64,
    /// Why it stopped.
    pub reason: TerminationReason,
}

/// What a band's observer sees after every iteration (seed 003's AutoNEB cycles run many of
/// them; a long relaxation can be logged or given a time budget with the stock observers).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandProgress {
    /// Iterations done.
    pub iteration: usize,
    /// The iteration cap.
    pub max_iterations: usize,
    /// The convergence measure of the current forces.
    pub force: f64,
    /// The highest image energy.
    pub highest: f64,
    /// Whether the climbing image is on.
    pub climbing: bool,
}

impl elm_core::Progress for BandProgress {
    fn done(&self) -> usize {
        self.iteration
    }

    fn total(&self) -> Option<usize> {
        Some(self.max_iterations)
    }

    fn summary(&self) -> String {
        format!(
            "band iteration {}/{}: force {:.3e}, highest image {:.6}{}",
            self.iteration,
            self.max_iterations,
            self.force,
            self.highest,
            if self.climbing { " (climbing)" } else { "" }
        )
    }
}

impl ElasticBand {
    /// Sets the method.
    #[must_use]
    pub fn with_method(mut self, method: BandMethod) -> Self {
        self.method = method;
        self
    }

    /// Sets the number of images (ends included).
    #[must_use]
    pub fn with_images(mut self, images: usize) -> Self {
        self.images = images;
        self
    }

    /// Turns the climbing image on or off.
    #[must_use]
    pub fn with_climbing(mut self, climbing: bool) -> Self {
        self.climbing = climbing;
        self
    }

    /// Sets the force tolerance.
    #[must_use]
    pub fn with_force_tolerance(mut self, tol: f64) -> Self {
        self.force_tolerance = tol;
        self
    }

    /// Sets the convergence measure.
    #[must_use]
    pub fn with_convergence(mut self, convergence: BandConvergence) -> Self {
        self.convergence = convergence;
        self
    }

    /// Sets the multiple of the force tolerance at which climbing starts.
    #[must_use]
    pub fn with_climb_start_factor(mut self, factor: f64) -> Self {
        self.climb_start_factor = factor;
        self
    }

    /// Sets the most images the band may insert.
    #[must_use]
    pub fn with_max_insertions(mut self, n: usize) -> Self {
        self.max_insertions = n;
        self
    }

    /// Sets the divergence factor.
    #[must_use]
    pub fn with_divergence_factor(mut self, factor: f64) -> Self {
        self.divergence_factor = factor;
        self
    }

    /// Sets the largest displacement of the whole band per step.
    #[must_use]
    pub fn with_max_step(mut self, step: f64) -> Self {
        self.max_step = step;
        self
    }

    /// Sets the iteration cap.
    #[must_use]
    pub fn with_max_iterations(mut self, n: usize) -> Self {
        self.max_iterations = n;
        self
    }

    /// Sets the spring constant.
    #[must_use]
    pub fn with_spring(mut self, k: f64) -> Self {
        self.spring = k;
        self
    }

    /// Sets how NEB and DNEB images move.
    #[must_use]
    pub fn with_optimizer(mut self, optimizer: BandOptimizer) -> Self {
        self.optimizer = optimizer;
        self
    }

    /// Sets the FIRE time step.
    #[must_use]
    pub fn with_time_step(mut self, dt: f64) -> Self {
        self.time_step = dt;
        self
    }

    /// Sets the string-method step.
    #[must_use]
    pub fn with_string_step(mut self, step: f64) -> Self {
        self.string_step = step;
        self
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`Error::TooFewImages`] for fewer than 3 images; `InvalidParameter` for non-positive
    /// steps, spring, tolerance or cap.
    pub fn validate(&self) -> Result<()> {
        if self.images < 3 {
            return Err(Error::TooFewImages(self.images));
        }
        check::positive("spring", self.spring)?;
        check::positive("force_tolerance", self.force_tolerance)?;
        check::at_least("max_iterations", self.max_iterations, 1)?;
        check::positive("time_step", self.time_step)?;
        check::positive("max_step", self.max_step)?;
        check::positive("string_step", self.string_step)?;
        if let BandOptimizer::Anderson { memory } = self.optimizer {
            check::at_least("optimizer memory", memory, 1)?;
        }
        check::at_least("segment_points", self.segment_points, 1)?;
        if !(self.climb_start_factor >= 1.0 && self.climb_start_factor.is_finite()) {
            return Err(elm_core::Error::invalid(
                "climb_start_factor",
                self.climb_start_factor,
                "must be finite and >= 1",
            )
            .into());
        }
        if !(self.divergence_factor > 1.0 && self.divergence_factor.is_finite()) {
            return Err(elm_core::Error::invalid(
                "divergence_factor",
                self.divergence_factor,
                "must be finite and > 1",
            )
            .into());
        }
        Ok(())
    }

    /// Relaxes a band initialized on the straight segment from `a` to `b`.
    ///
    /// # Errors
    /// Invalid parameters, bad ends, a non-finite energy on the initial band.
    pub fn run<E: Gradient + ?Sized>(&self, energy: &E, a: &[f64], b: &[f64]) -> Result<BandReport> {
        self.validate()?;
        check_ends(energy.dim(), a, b)?;
        let m = self.images;
        let band = (0..m)
            .map(|k| {
                let t = k as f64 / (m - 1) as f64;
                a.iter().zip(b).map(|(x, y)| (1.0 - t) * x + t * y).collect()
            })
            .collect();
        self.relax(energy, band)
    }

    /// Relaxes a given band (ends fixed). The number of images is the band's, not `images`.
    ///
    /// NEB and DNEB bands are relaxed by `optimizer` ([`BandOptimizer`]) with three safeguards
    /// for the climbing image (Henkelman, Uberuaga & Jónsson 2000): the band first relaxes
    /// without it until its largest image force is at most `climb_start_factor x
    /// force_tolerance`; the climber is the highest interior image that lies between its
    /// neighbours (so its tangent is defined), and the dynamics stop (FIRE's velocities zeroed,
    /// Anderson's history emptied) whenever the climber changes; and the climber moves at most a
    /// quarter of the distance to its nearer neighbour per step, so it can never pass them. A band whose energies or extent blow up stops with
    /// [`TerminationReason::Diverged`] instead of reporting a meaningless "barrier".
    ///
    /// Every energy call is counted in [`BandReport::evaluations`]: the two fixed ends once,
    /// the movable images once per force evaluation.
    ///
    /// # Errors
    /// Invalid parameters, a band of fewer than 3 images, mismatched dimensions, identical ends,
    /// non-finite energies on the initial band.
    pub fn relax<E: Gradient + ?Sized>(&self, energy: &E, band: Vec<Vec<f64>>) -> Result<BandReport> {
        self.relax_observed(energy, band, |_| Control::Continue)
    }

    /// [`ElasticBand::relax`] with an observer called after every iteration with the band's
    /// [`BandProgress`] (any `FnMut(&BandProgress) -> Control` or a stock one of
    /// [`elm_core::observe`]); [`Control::Stop`] ends the relaxation with
    /// [`TerminationReason::Stopped`] and the band reached so far.
    ///
    /// # Errors
    /// As [`ElasticBand::relax`].
    pub fn relax_observed<E, O>(&self, energy: &E, mut band: Vec<Vec<f64>>, mut observer: O) -> Result<BandReport>
    where
        E: Gradient + ?Sized,
        O: FnMut(&BandProgress) -> Control,
    {
        Self { images: band.len(), ..*self }.validate()?;
        check_ends(energy.dim(), &band[0], &band[band.len() - 1])?;
        for image in &band {
            check::dim("band image", energy.dim(), image.len())?;
            check::all_finite("band image", image)?;
        }
        let m = band.len();
        let (mut energies, mut grads) = evaluate(energy, &band)?;
        let mut evaluations = m;
        let guard = DivergenceGuard::new(&band, &energies, self.divergence_factor);
        let mut iterations = 0;
        let mut climbing = false;
        let mut climber = None;
        let reason;
        let mut forces;
        // The last segment scan and the band it scanned.
        let mut last_scan: Option<(Vec<Vec<f64>>, SegmentScan)> = None;
        match self.method {
            BandMethod::String => loop {
                forces = self.forces(&band, &energies, &grads, None, &[]);
                let measure = self.force_measure(&forces);
                let converged = measure <= self.force_tolerance;
                let halted = self.observe(&mut observer, iterations, measure, &energies, false);
                if let Some(r) = self.stop(converged, || guard.diverged(&band, &energies), iterations, halted) {
                    reason = r;
                    break;
                }
                iterations += 1;
                for (image, f) in band[1..m - 1].iter_mut().zip(&forces) {
                    // Each image moves `string_step · F`, at most `max_step` far: a huge force
                    // (an image started on a steep wall) cannot throw it across the landscape.
                    let len = self.string_step * dot(f, f).sqrt();
                    let scale =
                        if len > self.max_step { self.string_step * self.max_step / len } else { self.string_step };
                    image.iter_mut().zip(f).for_each(|(x, fi)| *x += scale * fi);
                }
                respace(&mut band);
                evaluate_interior(energy, &band, &mut energies, &mut grads)?;
                evaluations += m - 2;
            },
            BandMethod::Neb | BandMethod::DoublyNudged => {
                let d = energy.dim();
                let fire = Fire::default()
                    .with_time_step(self.time_step)
                    .with_max_time_step(10.0 * self.time_step)
                    .with_max_step(self.max_step);
                let new_stepper = |n: usize| Stepper::new(self.optimizer, fire, n, d, self.max_step);
                let mut dynamics = new_stepper((band.len() - 2) * d);
                let mut insertions = 0;
                let mut weights = vec![1.0; band.len() - 1];
                let mut previous = band.clone();
                // Stacked negative forces and FIRE's displacement, reused every step.
                let (mut g, mut dx) = (Vec::new(), Vec::new());
                loop {
                    if climbing {
                        let next = climbing_image(&band, &energies);
                        if next != climber && climber.is_some() {
                            dynamics.halt();
                        }
                        climber = next;
                    }
                    forces = self.forces(&band, &energies, &grads, climber, &weights);
                    let measure = self.force_measure(&forces);
                    let start_climb =
                        self.climbing && !climbing && measure <= self.climb_start_factor * self.force_tolerance;
                    let converged = measure <= self.force_tolerance && climbing == self.climbing;
                    if start_climb || (converged && climbing) {
                        // Before climbing, and once the climber has converged: if the energy
                        // sampled along a segment rises above its images (before the climb) or
                        // above the climber (after it), a saddle lies there that no image
                        // resolves. Put an image at that maximum, so the climber starts between
                        // two neighbours and a converged climber is the highest point of the
                        // path, and climb (again).
                        let scan = scan_segments(energy, &band, &energies, self.segment_points);
                        evaluations += scan.evaluations;
                        let top = climber.map(|c| energies[c]);
                        let scan = &last_scan.insert((band.clone(), scan)).1;
                        if insertions < self.max_insertions
                            && let Some((k, t)) = scan.unresolved(&energies, top)
                        {
                            let x: Vec<f64> = band[k].iter().zip(&band[k + 1]).map(|(a, b)| a + t * (b - a)).collect();
                            band.insert(k + 1, x);
                            let w = weights[k];
                            weights.splice(k..=k, [t * w, (1.0 - t) * w]);
                            insertions += 1;
                            energies.insert(k + 1, f64::NAN);
                            grads.insert(k + 1, vec![0.0; d]);
                            evaluate_interior(energy, &band, &mut energies, &mut grads)?;
                            let m = band.len();
                            evaluations += m - 2;
                            dynamics.restart(new_stepper, (m - 2) * d);
                            // Climb from the new image at once: a plain band would let it slide
                            // off the maximum along the path.
                            climbing = true;
                            climber = None;
                            continue;
                        }
                    }
                    if start_climb {
                        // The plain band is roughly converged: start climbing from rest.
                        climbing = true;
                        dynamics.restart(new_stepper, (band.len() - 2) * d);
                        continue;
                    }
                    let halted = self.observe(&mut observer, iterations, measure, &energies, climbing);
                    if let Some(r) = self.stop(converged, || guard.diverged(&band, &energies), iterations, halted) {
                        reason = r;
                        break;
                    }
                    iterations += 1;
                    g.clear();
                    g.extend(forces.iter().flatten().map(|f| -f));
                    dx.resize(g.len(), 0.0);
                    dynamics.step(&g, &mut dx);
                    let limit = match self.optimizer {
                        // FIRE: the whole band's step.
                        BandOptimizer::Fire => dot(&dx, &dx).sqrt(),
                        // Anderson: the largest image step, the direction kept (ASE's rule).
                        BandOptimizer::Anderson { .. } => dx.chunks(d).map(|c| dot(c, c).sqrt()).fold(0.0, f64::max),
                    };
                    if limit > self.max_step {
                        dx.iter_mut().for_each(|v| *v *= self.max_step / limit);
                    }
                    if let Some(c) = climber {
                        // The climber may not pass (or reach) its neighbours.
                        let room = 0.25 * dist(&band[c + 1], &band[c]).min(dist(&band[c], &band[c - 1]));
                        let chunk = &mut dx[(c - 1) * d..c * d];
                        let len = dot(chunk, chunk).sqrt();
                        if len > room {
                            chunk.iter_mut().for_each(|v| *v *= room / len);
                        }
                    }
                    dynamics.taken(&g, &dx);
                    previous.clone_from(&band);
                    let m = band.len();
                    for (image, step) in band[1..m - 1].iter_mut().zip(dx.chunks(d)) {
                        image.iter_mut().zip(step).for_each(|(x, s)| *x += s);
                    }
                    evaluations += m - 2;
                    if evaluate_interior(energy, &band, &mut energies, &mut grads).is_err() {
                        // A step into a region where the energy is undefined: undo it and stop
                        // the dynamics (a failed evaluation leaves the energies of `previous`).
                        std::mem::swap(&mut band, &mut previous);
                        dynamics.halt();
                    }
                }
            }
        }
        let max_force = largest_norm(&forces);
        // The scan of a converged climber is the final band's (nothing moved since).
        let scan = match last_scan {
            Some((scanned, scan)) if scanned == band => scan,
            _ => {
                let scan = scan_segments(energy, &band, &energies, self.segment_points);
                evaluations += scan.evaluations;
                scan
            }
        };
        let path_maximum = scan
            .highest()
            .map_or(f64::NEG_INFINITY, |h| h.2)
            .max(energies.iter().copied().fold(f64::NEG_INFINITY, f64::max));
        Ok(BandReport {
            path_maximum,
            path: EnergyPath { states: band, energies },
            iterations,
            evaluations,
            max_force,
            climbing_image: climber,
            reason,
        })
    }

    /// Why a band stops now, if it does: converged, diverged (checked only when not converged)
    /// or out of iterations.
    fn stop(
        &self,
        converged: bool,
        diverged: impl FnOnce() -> bool,
        iterations: usize,
        halted: bool,
    ) -> Option<TerminationReason> {
        if converged {
            Some(TerminationReason::Converged)
        } else if diverged() {
            Some(TerminationReason::Diverged)
        } else if halted {
            Some(TerminationReason::Stopped)
        } else if iterations == self.max_iterations {
            Some(TerminationReason::MaxIterations)
        } else {
            None
        }
    }

    /// Calls the observer with the band's progress; true when it says stop.
    fn observe(
        &self,
        observer: &mut impl FnMut(&BandProgress) -> Control,
        iteration: usize,
        force: f64,
        energies: &[f64],
        climbing: bool,
    ) -> bool {
        let highest = energies.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let progress = BandProgress { iteration, max_iterations: self.max_iterations, force, highest, climbing };
        observer(&progress) == Control::Stop
    }

    /// The convergence measure of a set of image forces: the largest image-force norm, or the
    /// norm of the stacked force.
    fn force_measure(&self, forces: &[Vec<f64>]) -> f64 {
        match self.convergence {
            BandConvergence::LargestImageForce => largest_norm(forces),
            BandConvergence::StackedForce => forces.iter().map(|f| dot(f, f)).sum::<f64>().sqrt(),
        }
    }

    /// The force on every movable image (`band.len() - 2` vectors).
    ///
    /// `climber` is the climbing image (index into the band), if any; `weights` the rest
    /// weight of every segment (the springs make segment `k`'s length proportional to
    /// `weights[k]`; unused by the string method, which has no springs).
    pub(crate) fn forces(
        &self,
        band: &[Vec<f64>],
        energies: &[f64],
        grads: &[Vec<f64>],
        climber: Option<usize>,
        weights: &[f64],
    ) -> Vec<Vec<f64>> {
        let m = band.len();
        (1..m - 1)
            .map(|i| {
                let tau = tangent(band, energies, i);
                let g = &grads[i];
                let g_par = dot(g, &tau);
                // True force perpendicular to the path.
                let mut f: Vec<f64> = g.iter().zip(&tau).map(|(gi, ti)| -gi + g_par * ti).collect();
                if Some(i) == climber {
                    // Climbing image: F = -∇E + 2 (∇E·τ) τ — the perpendicular true force plus
                    // the inverted parallel one, no springs.
                    f.iter_mut().zip(&tau).for_each(|(fi, ti)| *fi += g_par * ti);
                    return f;
                }
                match self.method {
                    BandMethod::String => f,
                    BandMethod::Neb | BandMethod::DoublyNudged => {
                        // Segment lengths relative to their rest weights (all 1 unless images
                        // were inserted), so the springs aim at the band's spacing, not at
                        // equal spacing after an insertion.
                        let (w_next, w_prev) = (weights[i], weights[i - 1]);
                        let next = dist(&band[i + 1], &band[i]) / w_next;
                        let prev = dist(&band[i], &band[i - 1]) / w_prev;
                        let spring_par = self.spring * (next - prev);
                        f.iter_mut().zip(&tau).for_each(|(fi, ti)| *fi += spring_par * ti);
                        if self.method == BandMethod::DoublyNudged {
                            // Full spring force, its perpendicular part, and the component of
                            // that orthogonal to the perpendicular true force (Trygubenko-Wales).
                            let fs: Vec<f64> = (0..tau.len())
                                .map(|k| {
                                    self.spring
                                        * ((band[i + 1][k] - band[i][k]) / w_next
                                            - (band[i][k] - band[i - 1][k]) / w_prev)
                                })
                                .collect();
                            let fs_par = dot(&fs, &tau);
                            let fs_perp: Vec<f64> = fs.iter().zip(&tau).map(|(a, t)| a - fs_par * t).collect();
                            let true_perp: Vec<f64> = g.iter().zip(&tau).map(|(gi, ti)| -gi + g_par * ti).collect();
                            let norm = dot(&true_perp, &true_perp).sqrt();
                            if norm > 0.0 {
                                let c = dot(&fs_perp, &true_perp) / (norm * norm);
                                f.iter_mut()
                                    .zip(fs_perp.iter().zip(&true_perp))
                                    .for_each(|(fi, (s, p))| *fi += s - c * p);
                            }
                        }
                        f
                    }
                }
            })
            .collect()
    }
}

/// The step rule of a NEB/DNEB band.
enum Stepper {
    Fire(FireDynamics),
    Anderson(Anderson),
}

impl Stepper {
    fn new(optimizer: BandOptimizer, fire: Fire, n: usize, dim: usize, max_step: f64) -> Self {
        match optimizer {
            BandOptimizer::Fire => Self::Fire(FireDynamics::new(fire, n)),
            BandOptimizer::Anderson { memory } => Self::Anderson(Anderson::new(memory, dim, max_step)),
        }
    }

    /// The proposed displacement for the stacked negative force `g`, uncapped.
    fn step(&mut self, g: &[f64], dx: &mut [f64]) {
        match self {
            Self::Fire(dynamics) => dynamics.step(g, dx),
            Self::Anderson(a) => a.step(g, dx),
        }
    }

    /// Records the displacement actually taken (after the caps) from `g`.
    fn taken(&mut self, g: &[f64], dx: &[f64]) {
        match self {
            Self::Anderson(a) => a.taken(g, dx),
            Self::Fire(_) => {}
        }
    }

    /// Starts afresh in `n` dimensions (a new climber, an inserted image): FIRE from rest with
    /// its initial time step; Anderson without history but with its mixing `β`.
    fn restart(&mut self, new: impl Fn(usize) -> Self, n: usize) {
        match self {
            Self::Fire(_) => *self = new(n),
            Self::Anderson(a) => a.halt(),
        }
    }

    /// Stops the dynamics / forgets the curvature.
    fn halt(&mut self) {
        match self {
            Self::Fire(dynamics) => dynamics.halt(),
            Self::Anderson(a) => a.halt(),
        }
    }
}

/// Anderson acceleration of `x ← x + β f(x)` for the band force `f = -g`. Buffers are reused
/// from step to step and the Gram matrix of the force differences is kept up to date, one row
/// per new pair, so a step costs `O(m n)` beyond the evaluations, with no allocation once the
/// history is full.
struct Anderson {
    memory: usize,
    dim: usize,
    max_step: f64,
    /// Differences of successive iterates and of their forces, oldest first.
    dx_hist: VecDeque<Vec<f64>>,
    df_hist: VecDeque<Vec<f64>>,
    /// `gram[i][j] = ΔF_i · ΔF_j` over the history.
    gram: VecDeque<Vec<f64>>,
    /// The current force, the last force and the step taken from it (valid when `has_last`).
    f: Vec<f64>,
    f_last: Vec<f64>,
    s_last: Vec<f64>,
    has_last: bool,
    /// The least-squares system and its solution `γ`.
    a: Vec<f64>,
    gamma: Vec<f64>,
    /// The mixing `β` (an inverse curvature).
    beta: Option<f64>,
}

impl Anderson {
    fn new(memory: usize, dim: usize, max_step: f64) -> Self {
        Self {
            memory: memory.max(1),
            dim,
            max_step,
            dx_hist: VecDeque::new(),
            df_hist: VecDeque::new(),
            gram: VecDeque::new(),
            f: Vec::new(),
            f_last: Vec::new(),
            s_last: Vec::new(),
            has_last: false,
            a: Vec::new(),
            gamma: Vec::new(),
            beta: None,
        }
    }

    /// Appends the pair `(s_last, f - f_last)` to the history (dropping the oldest when full).
    fn push_pair(&mut self) {
        let (mut s, mut df) = if self.dx_hist.len() == self.memory {
            self.gram.pop_front();
            self.gram.iter_mut().for_each(|row| {
                row.remove(0);
            });
            (self.dx_hist.pop_front().unwrap_or_default(), self.df_hist.pop_front().unwrap_or_default())
        } else {
            (Vec::new(), Vec::new())
        };
        s.clone_from(&self.s_last);
        df.clear();
        df.extend(self.f.iter().zip(&self.f_last).map(|(a, b)| a - b));
        let mut row: Vec<f64> = self.df_hist.iter().map(|old| dot(&df, old)).collect();
        row.push(dot(&df, &df));
        self.gram.iter_mut().zip(&row).for_each(|(r, &v)| r.push(v));
        self.gram.push_back(row);
        self.dx_hist.push_back(s);
        self.df_hist.push_back(df);
    }

    fn step(&mut self, g: &[f64], dx: &mut [f64]) {
        self.f.clear();
        self.f.extend(g.iter().map(|v| -v));
        if std::mem::take(&mut self.has_last) {
            let ss = dot(&self.s_last, &self.s_last);
            let ff: f64 = self.f.iter().zip(&self.f_last).map(|(a, b)| (a - b) * (a - b)).sum();
            if ff > 0.0 && ss > 0.0 {
                // β: the step per unit force of the first measured response, kept for the
                // whole relaxation (re-estimating it from later, smaller steps measured worse).
                self.beta.get_or_insert((ss / ff).sqrt());
                self.push_pair();
            }
        }
        let f = &self.f;
        let beta = self.beta.unwrap_or_else(|| {
            // No response measured yet: the most-pushed image moves `max_step`.
            let top = f.chunks(self.dim).map(|c| dot(c, c).sqrt()).fold(0.0, f64::max);
            if top > 0.0 { self.max_step / top } else { 0.0 }
        });
        // γ = argmin |f - ΔF γ|² by the normal equations (ridge-regularized).
        let m = self.df_hist.len();
        self.a.clear();
        self.a.extend(self.gram.iter().flatten());
        self.gamma.clear();
        self.gamma.extend(self.df_hist.iter().map(|df| dot(df, f)));
        let trace: f64 = (0..m).map(|i| self.a[i * m + i]).sum();
        (0..m).for_each(|i| self.a[i * m + i] += 1e-10 * trace);
        if !solve_spd(&mut self.a, &mut self.gamma, m) {
            self.gamma.iter_mut().for_each(|c| *c = 0.0);
        }
        dx.iter_mut().zip(f).for_each(|(d, fi)| *d = beta * fi);
        for (k, c) in self.gamma.iter().enumerate() {
            dx.iter_mut()
                .zip(self.dx_hist[k].iter().zip(&self.df_hist[k]))
                .for_each(|(d, (sx, sf))| *d -= c * (sx + beta * sf));
        }
        if dot(dx, f) <= 0.0 {
            self.forget();
            dx.iter_mut().zip(&self.f).for_each(|(d, fi)| *d = beta * fi);
        }
    }

    fn taken(&mut self, g: &[f64], dx: &[f64]) {
        self.f_last.clear();
        self.f_last.extend(g.iter().map(|v| -v));
        self.s_last.clear();
        self.s_last.extend_from_slice(dx);
        self.has_last = true;
    }

    /// Empties the history (`β` is kept).
    fn forget(&mut self) {
        self.dx_hist.clear();
        self.df_hist.clear();
        self.gram.clear();
    }

    fn halt(&mut self) {
        self.forget();
        self.has_last = false;
    }
}

/// Solves `A x = b` in place (`b` becomes `x`) for a symmetric positive definite `m x m` `A`
/// by Cholesky; false when `A` is not numerically positive definite.
fn solve_spd(a: &mut [f64], b: &mut [f64], m: usize) -> bool {
    for j in 0..m {
        let mut d = a[j * m + j];
        for k in 0..j {
            d -= a[j * m + k] * a[j * m + k];
        }
        if d.is_nan() || d <= 0.0 {
            return false;
        }
        let d = d.sqrt();
        a[j * m + j] = d;
        for i in j + 1..m {
            let mut v = a[i * m + j];
            for k in 0..j {
                v -= a[i * m + k] * a[j * m + k];
            }
            a[i * m + j] = v / d;
        }
    }
    for i in 0..m {
        let mut v = b[i];
        for k in 0..i {
            v -= a[i * m + k] * b[k];
        }
        b[i] = v / a[i * m + i];
    }
    for i in (0..m).rev() {
        let mut v = b[i];
        for k in i + 1..m {
            v -= a[k * m + i] * b[k];
        }
        b[i] = v / a[i * m + i];
    }
    true
}

/// Bands smaller than this (images x dimension) are evaluated serially: for cheap energies the
/// cost of spreading a few images over threads exceeds the evaluations themselves (Müller-Brown,
/// 12 images: 8.4 ms per NEB run in parallel before this cut-off).
const PARALLEL_MIN_WORK: usize = 4096;

/// Energies and gradients of one image each, in parallel for large bands; an error if any is
/// not finite.
fn evaluate_images<E: Gradient + ?Sized>(energy: &E, images: &[Vec<f64>]) -> Result<Vec<(f64, Vec<f64>)>> {
    let one = |x: &Vec<f64>| {
        let mut g = vec![0.0; x.len()];
        let e = energy.energy_gradient(x, &mut g);
        (e, g)
    };
    let work = images.len() * images.first().map_or(0, Vec::len);
    let out: Vec<(f64, Vec<f64>)> =
        if work < PARALLEL_MIN_WORK { images.iter().map(one).collect() } else { images.par_iter().map(one).collect() };
    if out.iter().any(|(e, g)| !e.is_finite() || !g.iter().all(|v| v.is_finite())) {
        return Err(elm_core::Error::NonFinite("energy or gradient on the band").into());
    }
    Ok(out)
}

/// Energies and gradients of every image of the band, ends included.
pub(crate) fn evaluate<E: Gradient + ?Sized>(energy: &E, band: &[Vec<f64>]) -> Result<(Vec<f64>, Vec<Vec<f64>>)> {
    Ok(evaluate_images(energy, band)?.into_iter().unzip())
}

/// Re-evaluates the movable images into `energies` and `grads` (the fixed ends keep theirs).
/// On error nothing is overwritten.
fn evaluate_interior<E: Gradient + ?Sized>(
    energy: &E,
    band: &[Vec<f64>],
    energies: &mut [f64],
    grads: &mut [Vec<f64>],
) -> Result<()> {
    let m = band.len();
    for (k, (e, g)) in evaluate_images(energy, &band[1..m - 1])?.into_iter().enumerate() {
        energies[k + 1] = e;
        grads[k + 1] = g;
    }
    Ok(())
}

/// The climbing image: the highest interior image that lies between its neighbours (the
/// segments on either side point the same way, so its tangent is defined).
fn climbing_image(band: &[Vec<f64>], energies: &[f64]) -> Option<usize> {
    (1..band.len() - 1)
        .filter(|&i| {
            let ahead: f64 =
                band[i + 1].iter().zip(&band[i]).zip(&band[i - 1]).map(|((n, c), p)| (n - c) * (c - p)).sum();
            ahead > 0.0
        })
        .max_by(|&a, &b| energies[a].total_cmp(&energies[b]))
}

/// Energies sampled at interior points of every segment of a band.
struct SegmentScan {
    /// For every segment: the position `t` of its highest sample and that energy.
    maxima: Vec<(f64, f64)>,
    evaluations: usize,
}

/// Samples `points` evenly spaced interior points of every segment and refines the highest
/// sample of a segment by a golden-section search between its neighbouring samples where that
/// sample lies above both of the segment's images (`energies`) — elsewhere the images bound
/// the segment's samples and a refinement would change neither the band's highest point nor the
/// insertion decision. Non-finite energies count as `+inf`, so a segment through an undefined
/// region is never taken for resolved.
fn scan_segments<E: Gradient + ?Sized>(energy: &E, band: &[Vec<f64>], energies: &[f64], points: usize) -> SegmentScan {
    const GOLDEN_STEPS: usize = 24;
    let mut x = vec![0.0; band[0].len()];
    let mut evaluations = 0;
    let maxima = band
        .windows(2)
        .zip(energies.windows(2))
        .map(|(w, ends)| {
            let mut at = |t: f64| {
                x.iter_mut().zip(w[0].iter().zip(&w[1])).for_each(|(xi, (a, b))| *xi = a + t * (b - a));
                evaluations += 1;
                let e = energy.energy(&x);
                if e.is_finite() { e } else { f64::INFINITY }
            };
            let dt = 1.0 / (points + 1) as f64;
            let (t0, e0) = (1..=points)
                .map(|j| (j as f64 * dt, at(j as f64 * dt)))
                .fold((0.0, f64::NEG_INFINITY), |best, s| if s.1 > best.1 { s } else { best });
            if !e0.is_finite() || e0 <= ends[0].max(ends[1]) {
                return (t0, e0);
            }
            // Golden-section search for the maximum on [t0 - dt, t0 + dt].
            let r = 0.5 * (5f64.sqrt() - 1.0);
            let (mut lo, mut hi) = (t0 - dt, t0 + dt);
            let (mut c, mut d) = (hi - r * (hi - lo), lo + r * (hi - lo));
            let (mut ec, mut ed) = (at(c), at(d));
            for _ in 0..GOLDEN_STEPS {
                if ec > ed {
                    hi = d;
                    (d, ed) = (c, ec);
                    c = hi - r * (hi - lo);
                    ec = at(c);
                } else {
                    lo = c;
                    (c, ec) = (d, ed);
                    d = lo + r * (hi - lo);
                    ed = at(d);
                }
            }
            [(t0, e0), (c, ec), (d, ed)]
                .into_iter()
                .fold((0.0, f64::NEG_INFINITY), |b, s| if s.1 > b.1 { s } else { b })
        })
        .collect();
    SegmentScan { maxima, evaluations }
}

impl SegmentScan {
    /// The highest sampled point of the band, `(segment, t, energy)`.
    fn highest(&self) -> Option<(usize, f64, f64)> {
        self.maxima.iter().enumerate().map(|(k, &(t, e))| (k, t, e)).max_by(|a, b| a.2.total_cmp(&b.2))
    }

    /// Where to insert an image: the band's highest sample, when it lies above both images of
    /// its segment and, with `top` (a converged climber's energy), above `top` by more than
    /// `1e-3` of the climber's height over the ends.
    fn unresolved(&self, energies: &[f64], top: Option<f64>) -> Option<(usize, f64)> {
        let (k, t, e) = self.highest()?;
        let ends = energies[0].max(energies[energies.len() - 1]);
        let above_images = e > energies[k].max(energies[k + 1]);
        let above_top = top.is_none_or(|c| e > c + 1e-3 * (c - ends).abs());
        (above_images && above_top && e.is_finite()).then_some((k, t))
    }
}

/// Detects a band that has blown up: an image energy above the initial band's highest energy
/// by more than `factor` times the initial band's energy range, or an image farther than
/// `factor` times the end-to-end distance from the ends' midpoint.
struct DivergenceGuard {
    energy_limit: f64,
    centre: Vec<f64>,
    radius: f64,
}

impl DivergenceGuard {
    fn new(band: &[Vec<f64>], energies: &[f64], factor: f64) -> Self {
        let hi = energies.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lo = energies.iter().copied().fold(f64::INFINITY, f64::min);
        let range = (hi - lo).max(1e-12 * (1.0 + hi.abs()));
        let (a, b) = (&band[0], &band[band.len() - 1]);
        let centre = a.iter().zip(b).map(|(x, y)| 0.5 * (x + y)).collect();
        Self { energy_limit: hi + factor * range, centre, radius: factor * dist(a, b) }
    }

    fn diverged(&self, band: &[Vec<f64>], energies: &[f64]) -> bool {
        energies.iter().any(|&e| e > self.energy_limit) || band.iter().any(|x| dist(x, &self.centre) > self.radius)
    }
}

/// The improved tangent of Henkelman & Jónsson (2000), normalized.
pub(crate) fn tangent(band: &[Vec<f64>], e: &[f64], i: usize) -> Vec<f64> {
    let plus: Vec<f64> = band[i + 1].iter().zip(&band[i]).map(|(a, b)| a - b).collect();
    let minus: Vec<f64> = band[i].iter().zip(&band[i - 1]).map(|(a, b)| a - b).collect();
    let (vp, v0, vm) = (e[i + 1], e[i], e[i - 1]);
    let mut t: Vec<f64> = if vp > v0 && v0 > vm {
        plus
    } else if vp < v0 && v0 < vm {
        minus
    } else {
        let dmax = (vp - v0).abs().max((vm - v0).abs());
        let dmin = (vp - v0).abs().min((vm - v0).abs());
        let (wp, wm) = if vp > vm { (dmax, dmin) } else { (dmin, dmax) };
        plus.iter().zip(&minus).map(|(p, m)| wp * p + wm * m).collect()
    };
    let norm = dot(&t, &t).sqrt();
    if norm > 0.0 {
        t.iter_mut().for_each(|v| *v /= norm);
    }
    t
}

/// Re-spaces the movable images evenly by arc length along the piecewise-linear band.
pub(crate) fn respace(band: &mut [Vec<f64>]) {
    let m = band.len();
    let seg: Vec<f64> = band.windows(2).map(|w| dist(&w[1], &w[0])).collect();
    let total: f64 = seg.iter().sum();
    if total <= 0.0 {
        return;
    }
    let old = band.to_vec();
    let mut k = 0;
    let mut acc = 0.0;
    for (i, image) in band.iter_mut().enumerate().take(m - 1).skip(1) {
        let s = total * i as f64 / (m - 1) as f64;
        while k < seg.len() - 1 && acc + seg[k] < s {
            acc += seg[k];
            k += 1;
        }
        let t = if seg[k] > 0.0 { ((s - acc) / seg[k]).clamp(0.0, 1.0) } else { 0.0 };
        for (x, (a, b)) in image.iter_mut().zip(old[k].iter().zip(&old[k + 1])) {
            *x = (1.0 - t) * a + t * b;
        }
    }
}

pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The largest norm among the images' force vectors.
fn largest_norm(forces: &[Vec<f64>]) -> f64 {
    forces.iter().map(|f| dot(f, f).sqrt()).fold(0.0, f64::max)
}

pub(crate) fn dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_positive_definite_systems_and_refuses_the_rest() {
        // A = [[4, 2, 0], [2, 5, 1], [0, 1, 3]], x = (1, -2, 3) -> b = A x.
        let a = [4.0, 2.0, 0.0, 2.0, 5.0, 1.0, 0.0, 1.0, 3.0];
        let x = [1.0, -2.0, 3.0];
        let mut b: Vec<f64> = (0..3).map(|i| (0..3).map(|j| a[i * 3 + j] * x[j]).sum()).collect();
        assert!(solve_spd(&mut a.clone(), &mut b, 3));
        assert!(b.iter().zip(&x).all(|(u, v)| (u - v).abs() < 1e-12), "{b:?}");
        assert!(!solve_spd(&mut [1.0, 2.0, 2.0, 1.0], &mut [1.0, 1.0], 2), "indefinite");
    }

    #[test]
    fn anderson_solves_a_linear_system_in_as_many_steps_as_dimensions() {
        // f(x) = b - J x with a non-symmetric J (eigenvalues 1..4, positive): Anderson with full
        // memory is GMRES, exact after at most n + 1 force evaluations.
        let j = [1.0, 0.5, 0.0, 0.0, 0.0, 2.0, 0.7, 0.0, 0.0, 0.0, 3.0, 0.3, 0.2, 0.0, 0.0, 4.0];
        let b = [1.0, -1.0, 2.0, 0.5];
        let force = |x: &[f64]| -> Vec<f64> {
            (0..4).map(|i| b[i] - (0..4).map(|k| j[i * 4 + k] * x[k]).sum::<f64>()).collect()
        };
        let mut anderson = Anderson::new(10, 4, 10.0);
        let mut x = vec![0.0; 4];
        let mut dx = vec![0.0; 4];
        let mut residual = f64::INFINITY;
        for _ in 0..6 {
            let g: Vec<f64> = force(&x).iter().map(|v| -v).collect();
            residual = dot(&g, &g).sqrt();
            anderson.step(&g, &mut dx);
            anderson.taken(&g, &dx);
            x.iter_mut().zip(&dx).for_each(|(xi, d)| *xi += d);
        }
        let f = force(&x);
        assert!(dot(&f, &f).sqrt() < 1e-9 * residual.max(1.0), "residual {:?}", f);
    }
}
