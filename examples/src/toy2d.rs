//! The 2-D toy densities of seed 001 Sec. 3.2.1.1 (Fig. 3.1): a mixture of 8 Gaussians on a circle
//! of radius 1 (the authors' public setting) and 2 concentric rings at radii 1 and 2 (the
//! authors' code has 4 rings at radii 1-4; see `docs/design.md`), both with standard deviation
//! 0.15 along their most constrained direction; a grid for normalizing learned densities and KL
//! divergences between grid densities.

use rand::{Rng, RngExt};
use std::f64::consts::TAU;

/// Standard deviation of the toy densities along their most constrained direction.
pub const TOY_SD: f64 = 0.15;

/// Number of rings of [`Toy::Rings`].
pub const RINGS: usize = 2;

/// A 2-D toy density with exact samples and density.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toy {
    /// 8 Gaussians, equal weights, means on the unit circle, sd 0.15.
    Mixture,
    /// [`RINGS`] rings of radii 1, 2, ... with equal mass; radial sd 0.15.
    Rings,
}

impl Toy {
    /// A short name for files and tables.
    pub fn name(self) -> &'static str {
        match self {
            Toy::Mixture => "mixture",
            Toy::Rings => "rings",
        }
    }

    /// Half width of the square that shows the density (largest radius + 4 sd, as the authors').
    pub fn extent(self) -> f64 {
        match self {
            Toy::Mixture => 1.0 + 4.0 * TOY_SD,
            Toy::Rings => RINGS as f64 + 4.0 * TOY_SD,
        }
    }

    /// `n` exact samples, row-major `n x 2`.
    pub fn sample<R: Rng + ?Sized>(self, n: usize, rng: &mut R) -> Vec<f32> {
        let mut out = Vec::with_capacity(2 * n);
        for _ in 0..n {
            let z: [f64; 2] = [rng.sample(rand_distr::StandardNormal), rng.sample(rand_distr::StandardNormal)];
            let (x, y) = match self {
                Toy::Mixture => {
                    let a = rng.random_range(0..8) as f64 * TAU / 8.0;
                    (a.cos() + TOY_SD * z[0], a.sin() + TOY_SD * z[1])
                }
                Toy::Rings => {
                    let r = (rng.random_range(0..RINGS) + 1) as f64 + TOY_SD * z[0];
                    let a = rng.random_range(0.0..TAU);
                    (r * a.cos(), r * a.sin())
                }
            };
            out.extend([x as f32, y as f32]);
        }
        out
    }

    /// The density up to a constant.
    pub fn density(self, x: f64, y: f64) -> f64 {
        let g = |d2: f64| (-d2 / (2.0 * TOY_SD * TOY_SD)).exp();
        match self {
            Toy::Mixture => (0..8)
                .map(|k| {
                    let a = k as f64 * TAU / 8.0;
                    g((x - a.cos()).powi(2) + (y - a.sin()).powi(2))
                })
                .sum(),
            // Each ring: a radial Gaussian divided by its circumference, so the rings have equal mass.
            Toy::Rings => {
                let r = x.hypot(y);
                (1..=RINGS).map(|k| g((r - k as f64).powi(2)) / k as f64).sum()
            }
        }
    }
}

/// A square grid of `n x n` cell centres over `[-half, half]^2`, row by row from the top.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Cells per side.
    pub n: usize,
    /// Half width.
    pub half: f64,
}

impl Grid {
    /// Cell side.
    pub fn cell(&self) -> f64 {
        2.0 * self.half / self.n as f64
    }

    /// The cell centres.
    pub fn points(&self) -> Vec<[f64; 2]> {
        let h = self.cell();
        (0..self.n * self.n)
            .map(|k| [-self.half + (k % self.n) as f64 * h + h / 2.0, self.half - (k / self.n) as f64 * h - h / 2.0])
            .collect()
    }

    /// `exp(-(u - min u))` normalized to sum 1 over the grid.
    pub fn boltzmann(u: &[f64]) -> Vec<f64> {
        let m = u.iter().copied().filter(|v| v.is_finite()).fold(f64::INFINITY, f64::min);
        normalize(u.iter().map(|v| (-(v - m)).exp()).collect())
    }
}

/// `v / sum v`.
pub fn normalize(v: Vec<f64>) -> Vec<f64> {
    let z: f64 = v.iter().sum();
    v.into_iter().map(|x| x / z).collect()
}

/// `KL(q || p) = sum q log(q / p)` of two grid densities (cells where `p` underflows count as
/// `p = 1e-300`).
pub fn kl(q: &[f64], p: &[f64]) -> f64 {
    q.iter().zip(p).map(|(&a, &b)| if a > 0.0 { a * (a / b.max(1e-300)).ln() } else { 0.0 }).sum()
}

/// A Gaussian kernel density estimate of 2-D samples on grid points, bandwidth
/// `factor x` the samples' mean per-axis standard deviation (scipy's scalar `bw_method`, made
/// isotropic), normalized over the grid.
pub fn kde(samples: &[f32], points: &[[f64; 2]], factor: f64) -> Vec<f64> {
    let n = samples.len() / 2;
    let mean = |k: usize| samples.iter().skip(k).step_by(2).map(|v| f64::from(*v)).sum::<f64>() / n as f64;
    let var = |k: usize, m: f64| {
        samples.iter().skip(k).step_by(2).map(|v| (f64::from(*v) - m).powi(2)).sum::<f64>() / n as f64
    };
    let (mx, my) = (mean(0), mean(1));
    let bw = factor * (0.5 * (var(0, mx) + var(1, my))).sqrt();
    let inv = 1.0 / (2.0 * bw * bw);
    normalize(
        points
            .iter()
            .map(|g| {
                samples
                    .chunks(2)
                    .map(|s| (-((f64::from(s[0]) - g[0]).powi(2) + (f64::from(s[1]) - g[1]).powi(2)) * inv).exp())
                    .sum()
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn samples_follow_the_density() {
        // The KDE of 20 000 exact samples is within KL 0.05 of the true density on the grid, and
        // a flat (wrong) density is ten times further.
        for toy in [Toy::Mixture, Toy::Rings] {
            let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
            let grid = Grid { n: 60, half: toy.extent() };
            let pts = grid.points();
            let q = normalize(pts.iter().map(|p| toy.density(p[0], p[1])).collect());
            let s = kde(&toy.sample(20_000, &mut rng), &pts, 0.05);
            assert!(kl(&q, &s) < 0.05, "{}: KL(q || kde) = {}", toy.name(), kl(&q, &s));
            let flat = normalize(vec![1.0; pts.len()]);
            assert!(kl(&q, &flat) > 10.0 * kl(&q, &s), "{}: flat {}", toy.name(), kl(&q, &flat));
        }
    }
}
