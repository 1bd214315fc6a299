//! Networks of minima, harmonic thermodynamics, flooding, comparison and rendering.

use elm_dg::{
    BarrierMatrix, DgParams, DgStyle, DisconnectivityGraph, FloodedGrid, GrayImage, HarmonicSuperposition, LeafImages,
    NetworkOfMinima, compare, overlay_svg,
};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

#[test]
fn network_metrics_of_known_graphs() {
    // Path of 5: mean degree 8/5, average distance (4*1+3*2+2*3+1*4)/10 = 2, diameter 4,
    // clustering 0.
    let path = NetworkOfMinima::new(&[0.0; 5], &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (3, 4, 1.0)]).unwrap();
    let s = path.summary();
    assert_eq!((s.nodes, s.edges, s.diameter, s.components), (5, 4, 4, 1));
    assert!((s.mean_degree - 1.6).abs() < 1e-12 && (s.average_shortest_path - 2.0).abs() < 1e-12);
    assert_eq!(s.clustering, 0.0);
    // Star with 4 leaves: degrees [4,1,1,1,1], distance (4*1 + 6*2)/10 = 1.6, diameter 2.
    let star = NetworkOfMinima::new(&[0.0; 5], &[(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0), (0, 4, 1.0)]).unwrap();
    assert_eq!(star.degrees(), vec![4, 1, 1, 1, 1]);
    assert_eq!(star.degree_distribution(), vec![0, 4, 0, 0, 1]);
    let s = star.summary();
    assert!((s.average_shortest_path - 1.6).abs() < 1e-12 && s.diameter == 2 && s.clustering == 0.0);
    // Complete graph K5: distance 1, diameter 1, clustering 1.
    let mut edges = vec![];
    for a in 0..5 {
        for b in (a + 1)..5 {
            edges.push((a, b, (a + b) as f64));
        }
    }
    let k5 = NetworkOfMinima::new(&[0.0; 5], &edges).unwrap();
    let s = k5.summary();
    assert!((s.average_shortest_path - 1.0).abs() < 1e-12 && s.diameter == 1 && (s.clustering - 1.0).abs() < 1e-12);
    // MST of K5 with weights a + b: the star around node 0 (weights 1, 2, 3, 4).
    let mst = k5.minimum_spanning_tree();
    assert_eq!(mst.iter().map(|e| e.2).collect::<Vec<_>>(), vec![1.0, 2.0, 3.0, 4.0]);
    assert!(mst.iter().all(|&(a, _, _)| a == 0));
    // Random equivalent graph keeps N and E; a ring lattice is far more clustered than it.
    let mut ring = vec![];
    for i in 0..40 {
        ring.push((i, (i + 1) % 40, 0.0));
        ring.push((i, (i + 2) % 40, 0.0));
    }
    let lattice = NetworkOfMinima::new(&[0.0; 40], &ring).unwrap();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let random = lattice.random_equivalent(20, &mut rng).unwrap();
    assert_eq!((random.nodes, random.edges), (40, 80));
    assert!(lattice.summary().clustering > 0.4 && random.clustering < 0.2);
    assert!(lattice.summary().average_shortest_path > random.average_shortest_path);
}

#[test]
fn heat_capacity_of_one_and_two_harmonic_wells() {
    // One well: C_V = k/2 exactly (k_B = 1), at any temperature; zero modes do not count.
    let one = HarmonicSuperposition::new(&[-4.0], &[vec![0.0, 0.0, 1.0, 4.0, 9.0, 2.5]], 1e-10).unwrap();
    for t in [0.01, 0.3, 5.0, 100.0] {
        assert!((one.heat_capacity(t).unwrap() - 2.0).abs() < 1e-9);
        assert!((one.internal_energy(t).unwrap() - (-4.0 + 2.0 * t)).abs() < 1e-9);
    }
    // Two wells, same k = 2, energies 0 and d, curvature products D1, D2: with
    // g = sqrt(D1 / D2) exp(-d/T), C_V = k/2 + (d/T)^2 g / (1 + g)^2 (two-state Schottky peak).
    let (d, k) = (1.5, 2.0);
    let two = HarmonicSuperposition::new(&[0.0, d], &[vec![1.0, 4.0], vec![0.5, 0.5]], 1e-10).unwrap();
    let ratio: f64 = (4.0f64 / 0.25).sqrt();
    for t in [0.05, 0.2, 0.5, 1.0, 3.0, 20.0] {
        let g = ratio * (-d / t).exp();
        let exact = k / 2.0 + (d / t).powi(2) * g / (1.0 + g).powi(2);
        let cv = two.heat_capacity(t).unwrap();
        assert!((cv - exact).abs() < 1e-9, "T = {t}: {cv} vs {exact}");
    }
    // Partial sums: the lowest minimum alone is one well.
    assert!((two.lowest(1).unwrap().heat_capacity(0.5).unwrap() - 1.0).abs() < 1e-12);
    // Stable at tiny temperatures and for huge energy gaps.
    let far = HarmonicSuperposition::new(&[0.0, 1e6], &[vec![1.0], vec![1.0]], 0.0).unwrap();
    assert!((far.heat_capacity(1e-3).unwrap() - 0.5).abs() < 1e-12);
    assert!(far.log_partition(1e-3).unwrap().is_finite());
    // Errors.
    assert!(HarmonicSuperposition::new(&[0.0], &[vec![-1.0]], 1e-8).is_err());
    assert!(one.heat_capacity(0.0).is_err());
}

#[test]
fn flooding_a_two_dimensional_grid() {
    // f(x, y) = (x^2 - 1)^2 + y^2 + 0.3 x on a 41 x 41 grid (spacing 0.1): two minima near
    // x = -1 (deeper) and x = +1. The continuous saddle is at y = 0, x ~ 0.075; on the grid any
    // path crosses the columns x = 0 and x = 0.1, so the grid barrier is
    // max(f(0, 0), f(0.1, 0)) = f(0.1, 0) = 0.99^2 + 0.03 = 1.0101.
    let n = 41;
    let coord = |i: usize| -2.0 + 4.0 * i as f64 / (n - 1) as f64;
    let f = |x: f64, y: f64| (x * x - 1.0).powi(2) + y * y + 0.3 * x;
    let values: Vec<f64> = (0..n * n).map(|c| f(coord(c / n), coord(c % n))).collect();
    let flooded = FloodedGrid::flood(&values, &[n, n]).unwrap();
    assert_eq!(flooded.minima.len(), 2);
    let (c0, c1) = (flooded.minima[0], flooded.minima[1]);
    assert!(coord(c0 / n) < 0.0 && coord(c1 / n) > 0.0);
    // The lowest pass between them: min over y-paths of the max along them, at x = 0, y = 0.
    assert!((flooded.barriers.get(0, 1) - f(0.1, 0.0)).abs() < 1e-12, "{}", flooded.barriers.get(0, 1));
    assert_eq!(flooded.basin_of_cell[c0], 0);
    assert!(FloodedGrid::flood(&values, &[n, n + 1]).is_err());
}

#[test]
fn comparison_of_identical_and_different_trees() {
    let a = BarrierMatrix::from_rows(
        4,
        vec![-2.0, 0.5, 2.5, 3.0, 0.5, -1.0, 4.0, 2.0, 2.5, 4.0, -1.5, 1.0, 3.0, 2.0, 1.0, 0.0],
    )
    .unwrap();
    let p = DgParams::default();
    let da = DisconnectivityGraph::from_barriers(&a, &p).unwrap();
    let same = compare(&da, &da).unwrap();
    assert_eq!((same.shared, same.agreement, same.max_barrier_difference), (3, 1.0, 0.0));
    assert!((same.barrier_correlation - 1.0).abs() < 1e-12);
    // Swap the roles: 0 joins 2 first instead of 1.
    let mut b = a.clone();
    b.set(0, 1, 3.5).unwrap();
    b.set(0, 2, 0.5).unwrap();
    let db = DisconnectivityGraph::from_barriers(&b, &p).unwrap();
    let c = compare(&da, &db).unwrap();
    assert_eq!(c.shared, 1, "only the root agrees: {c:?}");
    assert!(c.agreement < 0.5);
    let svg = overlay_svg(&da, &db, &DgStyle::default()).unwrap();
    assert!(roxmltree::Document::parse(&svg).is_ok());
    let three = DisconnectivityGraph::from_barriers(&BarrierMatrix::from_energies(vec![0.0; 3]).unwrap(), &p).unwrap();
    assert!(compare(&da, &three).is_err());
}

/// Numbers written as text in the SVG (tick labels).
fn numeric_labels(doc: &roxmltree::Document<'_>) -> Vec<f64> {
    doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()?.trim().parse::<f64>().ok()).collect()
}

#[test]
fn rendering_parses_marks_every_leaf_and_spans_the_energies() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    let values: Vec<f64> = {
        use rand::RngExt;
        (0..300).map(|i| (i as f64 * 0.11).sin() * 3.0 + rng.random::<f64>()).collect()
    };
    let flooded = FloodedGrid::flood(&values, &[300]).unwrap();
    let mut d = DisconnectivityGraph::from_barriers(&flooded.barriers, &DgParams::default()).unwrap();
    let n = d.leaves().count();
    d.set_sizes(&(0..n).map(|i| 1.0 + i as f64).collect::<Vec<_>>()).unwrap();
    d.set_values(&(0..n).map(|i| i as f64).collect::<Vec<_>>()).unwrap();
    let svg = d.to_svg(&DgStyle::default().with_title("random 1-D landscape")).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("valid SVG/XML");
    let circles = doc.descendants().filter(|n| n.has_tag_name("circle")).count();
    assert_eq!(circles, n, "one leaf marker per minimum");
    let labels = numeric_labels(&doc);
    let (lo, hi) = (d.leaves().map(|l| d.node(l).energy).fold(f64::INFINITY, f64::min), d.node(d.roots()[0]).energy);
    let (lmin, lmax) = labels.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let span = hi - lo;
    assert!(lmin <= lo + 0.25 * span && lmax >= hi - 0.25 * span, "axis [{lmin}, {lmax}] vs data [{lo}, {hi}]");
    // With an image row: one representative per minimum and member columns.
    let img = GrayImage::new(4, 4, (0..16).map(|p| p as f64 / 15.0).collect()).unwrap();
    let images = LeafImages { representatives: vec![Some(img.clone()); n], members: vec![vec![img.clone(); 2]; n] };
    let with_images = d.to_svg_with_images(&DgStyle::default().with_size(900, 800), &images).unwrap();
    let doc = roxmltree::Document::parse(&with_images).unwrap();
    let rects = doc.descendants().filter(|n| n.has_tag_name("rect")).count();
    assert!(rects >= n * 3 * 16, "image pixels drawn ({rects})");
    let bad = LeafImages { representatives: vec![Some(img); n + 1], members: vec![] };
    assert!(d.to_svg_with_images(&DgStyle::default(), &bad).is_err());
    assert!(d.to_svg(&DgStyle::default().with_size(10, 10)).is_err());
}
