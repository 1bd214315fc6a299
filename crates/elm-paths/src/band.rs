//! Chain-of-states methods: NEB, doubly nudged EB, string method.

use crate::error::{Error, Result};
use crate::linear::check_ends;
use elm_core::{EnergyPath, Fire, Gradient, TerminationReason, check};
use rayon::prelude::*;

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
    /// Convergence: the largest force on any movable image, in norm (default 1e-3).
    pub force_tolerance: f64,
    /// Iteration cap (default 20 000).
    pub max_iterations: usize,
    /// FIRE time step for NEB/DNEB (default 1e-3, suited to energies of scale ~100 like Müller-Brown).
    pub time_step: f64,
    /// Largest displacement of the whole band per step (default 0.05).
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
            force_tolerance: 1e-3,
            max_iterations: 20_000,
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
    /// Energy-and-gradient evaluations (images x force evaluations).
    pub evaluations: usize,
    /// Largest force on a movable image at the end.
    pub max_force: f64,
    /// Why it stopped.
    pub reason: TerminationReason,
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
    /// # Errors
    /// Invalid parameters, a band of fewer than 3 images, mismatched dimensions, identical ends,
    /// non-finite energies.
    pub fn relax<E: Gradient + ?Sized>(&self, energy: &E, mut band: Vec<Vec<f64>>) -> Result<BandReport> {
        Self { images: band.len(), ..*self }.validate()?;
        check_ends(energy.dim(), &band[0], &band[band.len() - 1])?;
        for image in &band {
            check::dim("band image", energy.dim(), image.len())?;
            check::all_finite("band image", image)?;
        }
        let m = band.len();
        let d = energy.dim();
        let mut evaluations = 0;
        let mut iterations = 0;
        let reason = match self.method {
            BandMethod::String => {
                let mut reason = TerminationReason::MaxIterations;
                for it in 0..self.max_iterations {
                    let (energies, grads) = evaluate(energy, &band)?;
                    evaluations += m - 2;
                    let forces = self.forces(&band, &energies, &grads);
                    iterations = it;
                    if max_norm(&forces) <= self.force_tolerance {
                        reason = TerminationReason::Converged;
                        break;
                    }
                    for (image, f) in band[1..m - 1].iter_mut().zip(&forces) {
                        image.iter_mut().zip(f).for_each(|(x, fi)| *x += self.string_step * fi);
                    }
                    respace(&mut band);
                }
                reason
            }
            BandMethod::Neb | BandMethod::DoublyNudged => {
                let mut x: Vec<f64> = band[1..m - 1].iter().flatten().copied().collect();
                let n = x.len();
                // RMS of the stacked forces <= tol / sqrt(n) implies every image force <= tol.
                let fire = Fire::default()
                    .with_time_step(self.time_step)
                    .with_max_time_step(10.0 * self.time_step)
                    .with_max_step(self.max_step)
                    .with_gradient_tolerance(self.force_tolerance / (n as f64).sqrt())
                    .with_max_iterations(self.max_iterations);
                let mut failure = None;
                // One band buffer for all evaluations: its ends stay fixed, FIRE moves the rest.
                let mut full = band.clone();
                let report = fire.relax(&mut x, |x, g| {
                    for (image, chunk) in full[1..m - 1].iter_mut().zip(x.chunks(d)) {
                        image.copy_from_slice(chunk);
                    }
                    match evaluate(energy, &full) {
                        Ok((energies, grads)) => {
                            evaluations += m - 2;
                            let forces = self.forces(&full, &energies, &grads);
                            for (gi, fi) in g.chunks_mut(d).zip(&forces) {
                                gi.iter_mut().zip(fi).for_each(|(a, b)| *a = -b);
                            }
                            energies.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                        }
                        Err(e) => {
                            failure = Some(e);
                            g.iter_mut().for_each(|v| *v = f64::NAN);
                            f64::NAN
                        }
                    }
                })?;
                if let Some(e) = failure
                    && report.iterations == 0
                {
                    return Err(e);
                }
                iterations = report.iterations;
                for (image, chunk) in band[1..m - 1].iter_mut().zip(x.chunks(d)) {
                    image.copy_from_slice(chunk);
                }
                report.reason
            }
        };
        let (energies, grads) = evaluate(energy, &band)?;
        let max_force = max_norm(&self.forces(&band, &energies, &grads));
        let reason = if max_force <= self.force_tolerance { TerminationReason::Converged } else { reason };
        Ok(BandReport { path: EnergyPath { states: band, energies }, iterations, evaluations, max_force, reason })
    }

    /// The force on every movable image (`band.len() - 2` vectors).
    pub(crate) fn forces(&self, band: &[Vec<f64>], energies: &[f64], grads: &[Vec<f64>]) -> Vec<Vec<f64>> {
        let m = band.len();
        let climber = if self.climbing && self.method != BandMethod::String {
            (1..m - 1).max_by(|&a, &b| energies[a].total_cmp(&energies[b]))
        } else {
            None
        };
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
                        let next = dist(&band[i + 1], &band[i]);
                        let prev = dist(&band[i], &band[i - 1]);
                        let spring_par = self.spring * (next - prev);
                        f.iter_mut().zip(&tau).for_each(|(fi, ti)| *fi += spring_par * ti);
                        if self.method == BandMethod::DoublyNudged {
                            // Full spring force, its perpendicular part, and the component of
                            // that orthogonal to the perpendicular true force (Trygubenko-Wales).
                            let fs: Vec<f64> = (0..tau.len())
                                .map(|k| self.spring * ((band[i + 1][k] - band[i][k]) - (band[i][k] - band[i - 1][k])))
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

/// Bands smaller than this (images x dimension) are evaluated serially: for cheap energies the
/// cost of spreading a few images over threads exceeds the evaluations themselves (Müller-Brown,
/// 12 images: 8.4 ms per NEB run in parallel before this cut-off).
const PARALLEL_MIN_WORK: usize = 4096;

/// Energies and gradients of every image, in parallel for large bands.
pub(crate) fn evaluate<E: Gradient + ?Sized>(energy: &E, band: &[Vec<f64>]) -> Result<(Vec<f64>, Vec<Vec<f64>>)> {
    let one = |x: &Vec<f64>| {
        let mut g = vec![0.0; x.len()];
        let e = energy.energy_gradient(x, &mut g);
        (e, g)
    };
    let work = band.len() * band.first().map_or(0, Vec::len);
    let out: Vec<(f64, Vec<f64>)> =
        if work < PARALLEL_MIN_WORK { band.iter().map(one).collect() } else { band.par_iter().map(one).collect() };
    if out.iter().any(|(e, g)| !e.is_finite() || !g.iter().all(|v| v.is_finite())) {
        return Err(elm_core::Error::NonFinite("energy or gradient on the band").into());
    }
    Ok(out.into_iter().unzip())
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

pub(crate) fn dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}

fn max_norm(forces: &[Vec<f64>]) -> f64 {
    forces.iter().map(|f| dot(f, f).sqrt()).fold(0.0, f64::max)
}
