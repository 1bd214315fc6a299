//! Disconnectivity-graph construction: hand-made cases and properties.

use elm_dg::{BarrierMatrix, DgParams, DisconnectivityGraph, compare, compare_within};
use proptest::prelude::*;

fn dg(m: &BarrierMatrix) -> DisconnectivityGraph {
    DisconnectivityGraph::from_barriers(m, &DgParams::default()).unwrap()
}

/// The merge nodes as (sorted members, energy), sorted by energy.
fn merges(d: &DisconnectivityGraph) -> Vec<(Vec<usize>, f64)> {
    let mut v: Vec<_> = d.merges().map(|n| (d.node(n).members.clone(), d.node(n).energy)).collect();
    v.sort_by(|a, b| a.1.total_cmp(&b.1));
    v
}

#[test]
fn four_minima_known_tree() {
    // Worked by hand (seed 001 Alg. 2): lowest off-diagonal 0.5 joins {0,1}; next 1.0 joins
    // {2,3}; the cheapest link between the groups is min(2.5, 3.0, 4.0, 2.0) = 2.0.
    let m = BarrierMatrix::from_rows(
        4,
        vec![
            -2.0, 0.5, 2.5, 3.0, //
            0.5, -1.0, 4.0, 2.0, //
            2.5, 4.0, -1.5, 1.0, //
            3.0, 2.0, 1.0, 0.0,
        ],
    )
    .unwrap();
    let d = dg(&m);
    assert_eq!(merges(&d), vec![(vec![0, 1], 0.5), (vec![2, 3], 1.0), (vec![0, 1, 2, 3], 2.0)]);
    assert_eq!(d.roots().len(), 1);
    assert_eq!(d.barrier(0, 3).unwrap(), Some(2.0));
    assert_eq!(d.barrier(2, 3).unwrap(), Some(1.0));
    assert_eq!(d.barrier(1, 1).unwrap(), Some(-1.0));
}

#[test]
fn one_and_two_minima_and_forests() {
    // pele #175: small inputs must not crash.
    let one = dg(&BarrierMatrix::from_energies(vec![-1.0]).unwrap());
    assert_eq!((one.leaves().count(), one.merges().count(), one.roots().len()), (1, 0, 1));
    let two = dg(&BarrierMatrix::from_rows(2, vec![-1.0, 3.0, 3.0, -2.0]).unwrap());
    assert_eq!(merges(&two), vec![(vec![0, 1], 3.0)]);
    // No barrier between {0,1} and {2}: a forest of two trees, lowest first.
    let mut m = BarrierMatrix::from_energies(vec![0.0, 1.0, -5.0]).unwrap();
    m.set(0, 1, 2.0).unwrap();
    let forest = dg(&m);
    assert_eq!(forest.roots().len(), 2);
    assert_eq!(forest.node(forest.roots()[0]).min_energy, -5.0);
    assert_eq!(forest.barrier(0, 2).unwrap(), None);
    assert!(forest.to_svg(&elm_dg::DgStyle::default()).is_ok());
}

#[test]
fn invalid_inputs_are_errors() {
    assert!(matches!(BarrierMatrix::from_energies(vec![]), Err(elm_core::Error::EmptyInput(_))));
    assert!(matches!(
        BarrierMatrix::from_rows(2, vec![0.0, 1.0, 2.0, 0.0]),
        Err(elm_core::Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        BarrierMatrix::from_rows(2, vec![0.0, -1.0, -1.0, 0.0]),
        Err(elm_core::Error::BarrierBelowMinimum { .. })
    ));
    assert!(matches!(
        BarrierMatrix::from_rows(2, vec![0.0, f64::NAN, f64::NAN, 0.0]),
        Err(elm_core::Error::NonFinite(_))
    ));
    let mut m = BarrierMatrix::from_energies(vec![0.0, 1.0]).unwrap();
    assert!(matches!(m.set(0, 2, 1.0), Err(elm_core::Error::NoSuchMinimum { index: 2, len: 2 })));
    assert!(DisconnectivityGraph::from_barriers(&m, &DgParams::default().with_prune_depth(-1.0)).is_err());
}

#[test]
fn pruning_absorbs_shallow_basins() {
    // Minimum 1 sits 0.2 below its barrier to minimum 0: pruned at depth 0.5, kept at 0.1.
    let m = BarrierMatrix::from_rows(3, vec![-2.0, 0.0, 3.0, 0.0, -0.2, 3.0, 3.0, 3.0, -1.0]).unwrap();
    let pruned = DisconnectivityGraph::from_barriers(&m, &DgParams::default().with_prune_depth(0.5)).unwrap();
    assert_eq!(pruned.leaves().count(), 2);
    assert_eq!(pruned.leaf_of(1).unwrap(), pruned.leaf_of(0).unwrap());
    assert_eq!(pruned.node(pruned.leaf_of(0).unwrap()).members, vec![0, 1]);
    assert_eq!(merges(&pruned), vec![(vec![0, 1, 2], 3.0)]);
    let kept = DisconnectivityGraph::from_barriers(&m, &DgParams::default().with_prune_depth(0.1)).unwrap();
    assert_eq!(kept.leaves().count(), 3);
}

#[test]
fn superbasins_at_thresholds_worked_by_hand() {
    // Minima energies and transition states:
    //   0 (-3) --TS -1.5-- 1 (-2) --TS 0.2-- 2 (-1);  3 (-2.5) --TS 0.7-- 2;  4 (0) isolated.
    // Thresholds -2, -1, 0, 1, 2:
    //   below -1: {0,1} join (TS -1.5 < -1)            -> merge node at -1 with children 0, 1
    //   below  0: nothing new
    //   below  1: TS 0.2 and 0.7 join {0,1}, 2 and 3    -> one 3-way merge at 1
    let minima = [-3.0, -2.0, -1.0, -2.5, 0.0];
    let ts = [(0, 1, -1.5), (1, 2, 0.2), (3, 2, 0.7), (2, 2, 5.0)];
    let d =
        DisconnectivityGraph::from_transition_states(&minima, &ts, &[-2.0, -1.0, 0.0, 1.0, 2.0], &DgParams::default())
            .unwrap();
    assert_eq!(merges(&d), vec![(vec![0, 1], -1.0), (vec![0, 1, 2, 3], 1.0)]);
    let top = d.merges().find(|&n| d.node(n).energy == 1.0).unwrap();
    assert_eq!(d.children(top).len(), 3, "{{0,1}}, 3 and 2 merge at once");
    assert_eq!(d.roots().len(), 2, "minimum 4 has no transition state");
    // A TS below its minima is an error; thresholds must increase.
    assert!(
        DisconnectivityGraph::from_transition_states(&minima, &[(0, 1, -2.5)], &[0.0], &DgParams::default()).is_err()
    );
    assert!(DisconnectivityGraph::from_transition_states(&minima, &ts, &[1.0, 0.0], &DgParams::default()).is_err());
}

#[test]
fn annotations_propagate() {
    let m = BarrierMatrix::from_rows(3, vec![-3.0, -1.0, 2.0, -1.0, -2.0, 2.0, 2.0, 2.0, 0.0]).unwrap();
    let mut d = dg(&m);
    d.set_sizes(&[5.0, 2.0, 1.0]).unwrap();
    d.set_values(&[0.1, 0.5, 0.9]).unwrap();
    d.set_labels(&["a".into(), "b".into(), "c".into()]).unwrap();
    let root = d.roots()[0];
    assert_eq!(d.node(root).size, 8.0);
    assert_eq!(d.node(root).value, Some(0.1), "merge takes its lowest member's value");
    assert_eq!(d.node(d.leaf_of(2).unwrap()).label, "c");
    assert!(d.set_sizes(&[1.0]).is_err());
}

#[test]
fn barrier_matrix_round_trips_through_json_with_infinities() {
    let mut m = BarrierMatrix::from_energies(vec![0.0, 1.0, 2.0]).unwrap();
    m.set(0, 1, 1.5).unwrap();
    let json = serde_json::to_string(&m).unwrap();
    assert!(json.contains("null"));
    let back: BarrierMatrix = serde_json::from_str(&json).unwrap();
    assert_eq!(back, m);
    assert_eq!(back.get(0, 2), f64::INFINITY);
}

/// A random valid barrier matrix: energies in [-5, 0], barriers max(E_i, E_j) + U[0, 5], some
/// missing (infinite).
fn random_matrix() -> impl Strategy<Value = BarrierMatrix> {
    (2usize..12).prop_flat_map(|n| {
        (proptest::collection::vec(-5.0f64..0.0, n), proptest::collection::vec((0.0f64..5.0, 0u8..10), n * n)).prop_map(
            move |(e, extra)| {
                let mut m = BarrierMatrix::from_energies(e.clone()).unwrap();
                for i in 0..n {
                    for j in (i + 1)..n {
                        let (x, keep) = extra[i * n + j];
                        if keep > 1 {
                            m.set(i, j, e[i].max(e[j]) + x).unwrap();
                        }
                    }
                }
                m
            },
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn tree_invariants(m in random_matrix()) {
        let d = dg(&m);
        let n = m.len();
        // N leaves; N - (number of trees) merges (N - 1 when connected).
        prop_assert_eq!(d.leaves().count(), n);
        prop_assert_eq!(d.merges().count(), n - d.roots().len());
        // Merges never below their children.
        for p in d.merges() {
            for c in d.children(p) {
                prop_assert!(d.node(p).energy >= d.node(c).energy);
            }
        }
        // The implied barrier is the minimax (single-linkage) closure of the input.
        let closure = m.minimax_closure();
        for i in 0..n {
            for j in (i + 1)..n {
                let implied = d.barrier(i, j).unwrap().unwrap_or(f64::INFINITY);
                prop_assert_eq!(implied, closure.get(i, j));
            }
        }
        // Leaves are laid out at 0..N-1 and every merge lies within its children's span.
        let layout: std::collections::HashMap<_, _> = d.layout().into_iter().collect();
        let mut xs: Vec<f64> = d.leaves().map(|l| layout[&l]).collect();
        xs.sort_by(f64::total_cmp);
        prop_assert_eq!(xs, (0..n).map(|i| i as f64).collect::<Vec<_>>());
    }

    #[test]
    fn invariant_under_relabelling(m in random_matrix(), seed in 0u64..1000) {
        let n = m.len();
        let mut perm: Vec<usize> = (0..n).collect();
        // Deterministic shuffle from the seed.
        let mut s = seed;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            perm.swap(i, (s >> 33) as usize % (i + 1));
        }
        let mut rows = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                rows[perm[i] * n + perm[j]] = m.get(i, j);
            }
        }
        let permuted = BarrierMatrix::from_rows(n, rows).unwrap();
        let (a, b) = (dg(&m), dg(&permuted));
        for i in 0..n {
            for j in 0..n {
                prop_assert_eq!(a.barrier(i, j).unwrap(), b.barrier(perm[i], perm[j]).unwrap());
            }
        }
        prop_assert_eq!(a.merges().count(), b.merges().count());
    }
}

#[test]
fn ties_within_the_tolerance_merge_at_one_n_ary_node_and_compare_as_equal() {
    // Issue "Correct barriers": 4 minima (-3, -3, -2, -1), every barrier 0; moving b(2, 3) by
    // 1e-15 used to turn one tie into 3 binary merges in another order (agreement 0.667).
    let exact = BarrierMatrix::from_rows(
        4,
        vec![-3.0, 0.0, 0.0, 0.0, 0.0, -3.0, 0.0, 0.0, 0.0, 0.0, -2.0, 0.0, 0.0, 0.0, 0.0, -1.0],
    )
    .unwrap();
    let mut moved = exact.clone();
    moved.set(2, 3, -1e-15).unwrap();
    let p = DgParams::default();
    let (a, b) = (
        DisconnectivityGraph::from_barriers(&exact, &p).unwrap(),
        DisconnectivityGraph::from_barriers(&moved, &p).unwrap(),
    );
    for dg in [&a, &b] {
        assert_eq!(dg.merges().count(), 1, "one 4-way merge");
        let root = dg.roots()[0];
        assert_eq!(dg.children(root).len(), 4);
        assert_eq!(dg.node(root).energy, 0.0);
    }
    assert_eq!(compare(&a, &b).unwrap().agreement, 1.0);
    // Without the tolerance the moved entry splits off a binary merge; a tie-tolerant
    // comparison still matches.
    let strict = DgParams::default().with_tie_tolerance(0.0);
    let c = DisconnectivityGraph::from_barriers(&moved, &strict).unwrap();
    assert_eq!(c.merges().count(), 2, "{{2, 3}} first, then the exact zeros at once");
    assert!(compare_within(&a, &c, 0.0).unwrap().agreement < 1.0);
    assert_eq!(compare_within(&a, &c, 1e-12).unwrap().agreement, 1.0);
    assert!(DgParams::default().with_tie_tolerance(-1.0).validate().is_err());
}

#[test]
fn a_tie_joining_separate_groups_makes_one_merge_per_group() {
    // Minima 0-1 and 2-3 tie at 1.0 but are not connected to each other below 5.
    let m = BarrierMatrix::from_rows(
        4,
        vec![-2.0, 1.0, 5.0, 5.0, 1.0, -1.0, 5.0, 5.0, 5.0, 5.0, -2.0, 1.0 + 1e-12, 5.0, 5.0, 1.0 + 1e-12, -1.0],
    )
    .unwrap();
    let dg = DisconnectivityGraph::from_barriers(&m, &DgParams::default()).unwrap();
    assert_eq!(dg.merges().count(), 3);
    assert_eq!(dg.barrier(0, 1).unwrap(), Some(1.0));
    assert_eq!(dg.barrier(2, 3).unwrap(), Some(1.0 + 1e-12));
    assert_eq!(dg.barrier(0, 3).unwrap(), Some(5.0));
}

#[test]
fn mirror_funnels_are_each_drawn_around_their_own_deepest_leaf() {
    // Two mirror funnels {0, 1, 2} and {3, 4, 5} joined at the top (seed 000 Fig. 12's halves).
    let e = [-10.0, -8.0, -7.0, -10.0, -8.0, -7.0];
    let within = |i: usize, j: usize| if i.min(j).is_multiple_of(3) && i.max(j) % 3 == 1 { -6.0 } else { -5.0 };
    let rows: Vec<f64> = (0..36)
        .map(|c| {
            let (i, j) = (c / 6, c % 6);
            if i == j {
                e[i]
            } else if i / 3 == j / 3 {
                within(i, j)
            } else {
                -3.0
            }
        })
        .collect();
    let d = dg(&BarrierMatrix::from_rows(6, rows).unwrap());
    let x: std::collections::HashMap<usize, f64> = d
        .layout()
        .into_iter()
        .filter_map(|(n, x)| match d.node(n).kind {
            elm_dg::NodeKind::Leaf { minimum } => Some((minimum, x)),
            elm_dg::NodeKind::Merge => None,
        })
        .collect();
    for half in [[0, 1, 2], [3, 4, 5]] {
        let xs: Vec<f64> = half.iter().map(|m| x[m]).collect();
        let (lo, hi) = xs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        assert!(x[&half[0]] > lo && x[&half[0]] < hi, "deepest leaf {} inside its half {xs:?}", half[0]);
    }
}

proptest! {
    #[test]
    fn implied_barriers_equal_the_lowest_common_ancestors(seed in 0u64..500, n in 2usize..25, prune in 0.0f64..1.5) {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        let e: Vec<f64> = (0..n).map(|_| rng.random_range(-5.0..0.0)).collect();
        let mut m = BarrierMatrix::from_energies(e.clone()).unwrap();
        for i in 0..n {
            for j in (i + 1)..n {
                if rng.random_range(0.0..1.0) < 0.7 {
                    m.set(i, j, e[i].max(e[j]) + rng.random_range(0.0..3.0)).unwrap();
                }
            }
        }
        let d = DisconnectivityGraph::from_barriers(&m, &DgParams::default().with_prune_depth(prune)).unwrap();
        let implied = d.implied_barriers();
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    let lca = d.barrier(i, j).unwrap().unwrap_or(f64::INFINITY);
                    prop_assert_eq!(implied.get(i, j), lca);
                }
            }
        }
    }
}
