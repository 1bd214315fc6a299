//! Hybrid eigenvector-following in 40 dimensions: Müller-Brown embedded in a rotated space with
//! 38 extra stiff and soft quadratic directions, so the saddles are known exactly and no
//! coordinate axis is special.

use elm_core::reference::MullerBrown;
use elm_core::{Energy, Gradient};
use elm_paths::{HybridEigenvectorFollowing, SaddleRefinement};

const D: usize = 40;

/// `E(x) = MB(u₀, u₁) + Σ_{k≥2} c_k u_k² / 2` with `u = Qᵀ x`, `Q` a fixed rotation.
struct Embedded {
    q: Vec<f64>,
    curvature: Vec<f64>,
}

impl Embedded {
    fn new() -> Self {
        // A deterministic pseudo-random matrix, orthonormalized by Gram-Schmidt (columns).
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let mut cols: Vec<Vec<f64>> = (0..D).map(|_| (0..D).map(|_| next()).collect()).collect();
        for k in 0..D {
            for j in 0..k {
                let c: f64 = cols[k].iter().zip(&cols[j]).map(|(a, b)| a * b).sum();
                let cj = cols[j].clone();
                cols[k].iter_mut().zip(&cj).for_each(|(a, b)| *a -= c * b);
            }
            let n = cols[k].iter().map(|a| a * a).sum::<f64>().sqrt();
            cols[k].iter_mut().for_each(|a| *a /= n);
        }
        let q = (0..D * D).map(|i| cols[i % D][i / D]).collect(); // q[r * D + c] = column c, row r
        // Curvatures from 5 to 2000 (the Müller-Brown saddles' curvatures are ~ -1500 .. 2000).
        let curvature =
            (0..D).map(|k| if k < 2 { 0.0 } else { 5.0 * 400f64.powf((k - 2) as f64 / (D - 3) as f64) }).collect();
        Self { q, curvature }
    }

    fn to_u(&self, x: &[f64]) -> Vec<f64> {
        (0..D).map(|c| (0..D).map(|r| self.q[r * D + c] * x[r]).sum()).collect()
    }

    fn to_x(&self, u: &[f64]) -> Vec<f64> {
        (0..D).map(|r| (0..D).map(|c| self.q[r * D + c] * u[c]).sum()).collect()
    }
}

impl Energy for Embedded {
    fn dim(&self) -> usize {
        D
    }

    fn energy(&self, x: &[f64]) -> f64 {
        let u = self.to_u(x);
        MullerBrown::new().energy(&u[..2]) + (2..D).map(|k| 0.5 * self.curvature[k] * u[k] * u[k]).sum::<f64>()
    }
}

impl Gradient for Embedded {
    fn energy_gradient(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let u = self.to_u(x);
        let mut gu = vec![0.0; D];
        let e = MullerBrown::new().energy_gradient(&u[..2], &mut gu[..2]);
        for k in 2..D {
            gu[k] = self.curvature[k] * u[k];
        }
        grad.copy_from_slice(&self.to_x(&gu));
        e + (2..D).map(|k| 0.5 * self.curvature[k] * u[k] * u[k]).sum::<f64>()
    }
}

#[test]
fn finds_both_muller_brown_saddles_in_a_rotated_40_dimensional_space() {
    let energy = Embedded::new();
    let hef = HybridEigenvectorFollowing { gradient_tolerance: 1e-8, ..HybridEigenvectorFollowing::default() };
    for (exact, at) in MullerBrown::SADDLES {
        // Start 0.05 off the saddle in the Müller-Brown plane and 0.02 off in every other direction.
        let mut u: Vec<f64> = vec![0.02; D];
        u[0] = at[0] + 0.05;
        u[1] = at[1] - 0.05;
        let x0 = energy.to_x(&u);
        let r = hef.refine(&energy, &x0, None).unwrap();
        assert!(r.reason == elm_core::TerminationReason::Converged, "{:?} after {} iterations", r.reason, r.iterations);
        assert_eq!(r.index, 1, "lowest eigenvalues {:?}", r.lowest_eigenvalues);
        assert!((r.energy - exact).abs() < 1e-6, "saddle energy {} vs {exact}", r.energy);
        let u = energy.to_u(&r.x);
        assert!((u[0] - at[0]).abs() < 1e-4 && (u[1] - at[1]).abs() < 1e-4 && u[2..].iter().all(|v| v.abs() < 1e-6));
        // Gradients only, and a bounded number of them (measured: 842 and 996; the full
        // eigenvector-following needs 2d = 80 per step plus an O(d³) eigen-decomposition, which
        // is what the hybrid avoids in thousands of dimensions).
        assert!(r.evaluations < 1500, "{} gradient evaluations", r.evaluations);
        let full =
            SaddleRefinement { gradient_tolerance: 1e-8, ..SaddleRefinement::default() }.refine(&energy, &x0).unwrap();
        assert!((full.energy - r.energy).abs() < 1e-6);
        println!(
            "hybrid EF: {} iterations, {} gradients; full EF: {} iterations x {} gradients",
            r.iterations,
            r.evaluations,
            full.iterations,
            2 * D
        );
    }
}

#[test]
fn bad_parameters_and_inputs_are_errors() {
    let mb = MullerBrown::new();
    assert!(
        HybridEigenvectorFollowing { lanczos_steps: 1, ..Default::default() }.refine(&mb, &[0.0, 0.0], None).is_err()
    );
    assert!(HybridEigenvectorFollowing { max_step: 0.0, ..Default::default() }.refine(&mb, &[0.0, 0.0], None).is_err());
    assert!(HybridEigenvectorFollowing::default().refine(&mb, &[0.0], None).is_err());
    assert!(HybridEigenvectorFollowing::default().refine(&mb, &[f64::NAN, 0.0], None).is_err());
    assert!(HybridEigenvectorFollowing::default().refine(&mb, &[0.0, 0.0], Some(&[1.0])).is_err());
}
