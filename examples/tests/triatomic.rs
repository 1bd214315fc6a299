//! The triatomic cluster of seed 002 Eq. 1 (`γ = 2`): its two kinds of minima at the energies
//! and bond lengths the seed states, and a data set with all four classes.

use elm_core::{Energy, Lbfgs, LocalMinimizer};
use elm_examples::triatomic::{Triatomic, quench_data};

#[test]
fn minima_are_the_seeds_triangle_and_linear_chains() {
    let cluster = Triatomic { gamma: 2.0 };
    // Equilateral triangle with bond 1.16875: V = -2.185 (seed 002 Sec. III).
    let s = 1.16875;
    let mut tri = vec![0.0, 0.0, 0.0, s, 0.0, 0.0, s / 2.0, s * 3f64.sqrt() / 2.0, 0.0];
    Lbfgs::default().with_gradient_tolerance(1e-8).minimize(&cluster, &mut tri).unwrap();
    assert!((cluster.energy(&tri) + 2.185).abs() < 1e-3, "{}", cluster.energy(&tri));
    assert!(Triatomic::distances(&tri).iter().all(|d| (d - 1.16875).abs() < 1e-3));
    assert_eq!(cluster.classify(&tri), Some(0));
    // Linear chain with atom 2 (index 1) in the centre, bonds 1.10876: V = -2.219.
    let b = 1.10876;
    let mut lin = vec![0.0, 0.0, 0.0, b, 0.0, 0.0, 2.0 * b, 0.0, 0.001];
    Lbfgs::default().with_gradient_tolerance(1e-8).minimize(&cluster, &mut lin).unwrap();
    assert!((cluster.energy(&lin) + 2.219).abs() < 1e-3, "{}", cluster.energy(&lin));
    assert_eq!(cluster.classify(&lin), Some(2));
    // Quenches from random starts reach all four minima.
    let data = quench_data(2.0, 300, 1);
    assert!(data.len() > 200, "{} of 300 quenches kept", data.len());
    for c in 0..4 {
        assert!(data.iter().any(|d| d.1 == c), "class {c} never reached");
    }
}
