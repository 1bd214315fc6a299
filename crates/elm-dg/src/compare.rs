//! Comparing and overlaying two disconnectivity graphs over the same minima.

use crate::error::{Error, Result};
use crate::render::{DgStyle, draw_branches, energy_range};
use crate::tree::{DisconnectivityGraph, NodeKind};
use petgraph::graph::NodeIndex;
use plotters::prelude::*;
use std::collections::{HashMap, HashSet};

/// How one merge of the first graph fares in the second.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MergeAgreement {
    /// The minima joined by this merge (a cluster of the first graph).
    pub members: Vec<usize>,
    /// Merge energy in the first graph.
    pub energy_a: f64,
    /// Energy of the same cluster in the second graph, if it forms there.
    pub energy_b: Option<f64>,
}

/// The comparison of two DGs over the same minima (seed 000 Fig. 14 overlays the ADELM and
/// GWL maps of one spin glass).
///
/// Two merges *agree* when they join exactly the same set of minima (the same cluster). The
/// agreement score is the fraction of merge clusters the graphs share (1 for identical
/// topologies; a Robinson-Foulds-type similarity), and the barrier correlation is Pearson's
/// correlation of the barriers the two trees imply over all pairs of minima connected in both
/// (the cophenetic correlation).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DgComparison {
    /// One entry per merge of the first graph, lowest first.
    pub merges: Vec<MergeAgreement>,
    /// Merge clusters of the first graph.
    pub clusters_a: usize,
    /// Merge clusters of the second graph.
    pub clusters_b: usize,
    /// Clusters present in both.
    pub shared: usize,
    /// `shared / max(clusters_a, clusters_b)` (1 when neither has a merge).
    pub agreement: f64,
    /// Pearson correlation of implied barriers over pairs connected in both (NaN if fewer than
    /// two such pairs or no variance).
    pub barrier_correlation: f64,
    /// Largest absolute difference of implied barriers over those pairs.
    pub max_barrier_difference: f64,
}

/// The merge clusters of a DG with near-ties collapsed: a merge within `tolerance` below its
/// parent merge is the same event as the parent (an n-ary merge split by rounding), so only
/// the parent's cluster counts.
fn clusters(dg: &DisconnectivityGraph, tolerance: f64) -> HashMap<Vec<usize>, f64> {
    dg.merges()
        .filter(|&n| dg.parent(n).is_none_or(|p| dg.node(p).energy - dg.node(n).energy > tolerance))
        .map(|n| (dg.node(n).members.clone(), dg.node(n).energy))
        .collect()
}

/// Compares two DGs over the same minima, treating merges within 1e-9 as ties (see
/// [`compare_within`]).
///
/// # Errors
/// [`Error::DifferentMinima`] if they have different numbers of minima.
///
/// # Example
/// ```
/// use elm_dg::{BarrierMatrix, DgParams, DisconnectivityGraph, compare};
/// let a = BarrierMatrix::from_rows(3, vec![-3.0, -1.0, 2.0, -1.0, -2.0, 2.0, 2.0, 2.0, 0.0]).unwrap();
/// let b = BarrierMatrix::from_rows(3, vec![-3.0, 3.0, 1.0, 3.0, -2.0, 3.0, 1.0, 3.0, 0.0]).unwrap();
/// let p = DgParams::default();
/// let (da, db) = (DisconnectivityGraph::from_barriers(&a, &p).unwrap(), DisconnectivityGraph::from_barriers(&b, &p).unwrap());
/// let c = compare(&da, &db).unwrap();
/// assert_eq!(c.shared, 1);         // only the root cluster {0, 1, 2} agrees
/// assert_eq!(c.agreement, 0.5);
/// assert_eq!(compare(&da, &da).unwrap().agreement, 1.0);
/// ```
pub fn compare(a: &DisconnectivityGraph, b: &DisconnectivityGraph) -> Result<DgComparison> {
    compare_within(a, b, 1e-9)
}

/// Compares two DGs over the same minima, tie-tolerantly: a merge that sits within
/// `tolerance` below its parent merge is taken as part of the parent (one n-ary merge that
/// rounding or estimation noise split into binary ones), in both graphs, before clusters are
/// matched. Use the accuracy of the barriers (e.g. 1e-4 for GWL barriers against exact ones).
///
/// # Errors
/// [`Error::DifferentMinima`] if they have different numbers of minima; `InvalidParameter` for
/// a negative or non-finite tolerance.
///
/// # Example
/// ```
/// use elm_dg::{BarrierMatrix, DgParams, DisconnectivityGraph, compare_within};
/// // Minima 0-2 joined at 0 in one graph; in the other 1 and 2 join 1e-6 lower first.
/// let a = BarrierMatrix::from_rows(3, vec![-3.0, 0.0, 0.0, 0.0, -2.0, 0.0, 0.0, 0.0, -1.0]).unwrap();
/// let b = BarrierMatrix::from_rows(3, vec![-3.0, 0.0, 0.0, 0.0, -2.0, -1e-6, 0.0, -1e-6, -1.0]).unwrap();
/// let p = DgParams::default();
/// let (da, db) = (DisconnectivityGraph::from_barriers(&a, &p).unwrap(), DisconnectivityGraph::from_barriers(&b, &p).unwrap());
/// assert_eq!(compare_within(&da, &db, 1e-4).unwrap().agreement, 1.0);
/// assert!(compare_within(&da, &db, 0.0).unwrap().agreement < 1.0);
/// ```
pub fn compare_within(a: &DisconnectivityGraph, b: &DisconnectivityGraph, tolerance: f64) -> Result<DgComparison> {
    elm_core::check::non_negative("tolerance", tolerance)?;
    let n = a.minima_count();
    if n != b.minima_count() {
        return Err(Error::DifferentMinima { a: n, b: b.minima_count() });
    }
    let (ca, cb) = (clusters(a, tolerance), clusters(b, tolerance));
    let mut merges: Vec<MergeAgreement> = ca
        .iter()
        .map(|(members, &e)| MergeAgreement {
            members: members.clone(),
            energy_a: e,
            energy_b: cb.get(members).copied(),
        })
        .collect();
    merges.sort_by(|x, y| x.energy_a.total_cmp(&y.energy_a).then(x.members.cmp(&y.members)));
    let shared = merges.iter().filter(|m| m.energy_b.is_some()).count();
    let denom = ca.len().max(cb.len());
    let agreement = if denom == 0 { 1.0 } else { shared as f64 / denom as f64 };
    // All pairs at once from the implied matrices: O(n^2), not O(n^2 x depth).
    let (ia, ib) = (a.implied_barriers(), b.implied_barriers());
    let mut pairs = Vec::new();
    for i in 0..n {
        for j in (i + 1)..n {
            let (x, y) = (ia.get(i, j), ib.get(i, j));
            if x.is_finite() && y.is_finite() {
                pairs.push((x, y));
            }
        }
    }
    let max_barrier_difference = pairs.iter().map(|(x, y)| (x - y).abs()).fold(0.0, f64::max);
    Ok(DgComparison {
        merges,
        clusters_a: ca.len(),
        clusters_b: cb.len(),
        shared,
        agreement,
        barrier_correlation: pearson(&pairs),
        max_barrier_difference,
    })
}

fn pearson(pairs: &[(f64, f64)]) -> f64 {
    let n = pairs.len() as f64;
    if pairs.len() < 2 {
        return f64::NAN;
    }
    let (mx, my) = pairs.iter().fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    if sxx == 0.0 || syy == 0.0 { f64::NAN } else { sxy / (sxx * syy).sqrt() }
}

/// Draws two DGs over the same minima in one picture (seed 000 Fig. 14): the first graph
/// (blue) with its own layout, the second (orange, translucent) at the same leaf positions,
/// and a marker on every merge of the first graph, green where the second graph forms the same
/// cluster and red where it does not.
///
/// # Errors
/// [`Error::DifferentMinima`], an invalid style, a drawing failure.
pub fn overlay_svg(a: &DisconnectivityGraph, b: &DisconnectivityGraph, style: &DgStyle) -> Result<String> {
    style.validate()?;
    let comparison = compare(a, b)?;
    let agreeing: HashSet<Vec<usize>> =
        comparison.merges.iter().filter(|m| m.energy_b.is_some()).map(|m| m.members.clone()).collect();
    let xa: HashMap<NodeIndex, f64> = a.layout().into_iter().collect();
    // Place b's leaves where a puts the same minima; b's merges at the mean of their children.
    let mut xb: HashMap<NodeIndex, f64> = HashMap::new();
    let mut order: Vec<NodeIndex> = b.graph().node_indices().collect();
    order.sort_by_key(|&n| b.node(n).members.len());
    for n in order {
        let x = match b.node(n).kind {
            NodeKind::Leaf { minimum } => xa[&a.leaf_of(minimum)?],
            NodeKind::Merge => {
                let c = b.children(n);
                c.iter().map(|k| xb[k]).sum::<f64>() / c.len() as f64
            }
        };
        xb.insert(n, x);
    }
    let leaves = a.leaves().count();
    let (lo, hi) = energy_range(&[a, b], style);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (style.width, style.height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| Error::Render(format!("{e:?}")))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(&style.title, ("sans-serif", 18))
            .margin(10)
            .y_label_area_size(60)
            .x_label_area_size(5)
            .build_cartesian_2d(-0.5..(leaves as f64 - 0.5), lo..hi)
            .map_err(|e| Error::Render(format!("{e:?}")))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .disable_x_axis()
            .light_line_style(WHITE)
            .y_desc(style.energy_label.as_str())
            .draw()
            .map_err(|e| Error::Render(format!("{e:?}")))?;
        let stub = 0.03 * (hi - lo);
        let orange = ShapeStyle { color: RGBColor(240, 140, 20).mix(0.6), filled: false, stroke_width: 3 };
        draw_branches(&mut chart, b, &xb, &|_| orange, stub)?;
        let blue = ShapeStyle { color: RGBColor(30, 70, 200).to_rgba(), filled: false, stroke_width: 1 };
        draw_branches(&mut chart, a, &xa, &|_| blue, stub)?;
        chart
            .draw_series(a.merges().map(|n| {
                let ok = agreeing.contains(&a.node(n).members);
                let c = if ok { RGBColor(20, 160, 60) } else { RGBColor(210, 30, 30) };
                Circle::new((xa[&n], a.node(n).energy), 4, c.filled())
            }))
            .map_err(|e| Error::Render(format!("{e:?}")))?;
        root.present().map_err(|e| Error::Render(format!("{e:?}")))?;
    }
    Ok(svg)
}
