//! Exact minima and barriers of a landscape sampled on a grid, by flooding.

use crate::error::Result;
use elm_core::BarrierMatrix;
use elm_core::check;
use petgraph::unionfind::UnionFind;

/// The minima and exact minimax barriers of a function sampled on a regular grid, found by
/// *flooding*: visit cells in order of increasing value; a cell none of whose visited
/// neighbours exists starts a new basin (a local minimum of the grid); a cell that touches
/// several basins joins them, and its value is the barrier between every pair of minima it
/// connects for the first time (union-find in order of energy). On a fine grid of a
/// low-dimensional landscape this is the ground truth a DG should show (seed 000 Fig. 5-6).
///
/// Neighbours are the `2 d` axis neighbours of a `d`-dimensional grid (row-major, last axis
/// fastest); equal values are visited in index order, so a flat plateau is one basin.
///
/// # Example
/// ```
/// use elm_dg::FloodedGrid;
/// // Two wells at cells 1 and 5 separated by a barrier of 3 at cell 3.
/// let f = FloodedGrid::flood(&[2.0, 0.0, 1.0, 3.0, 0.5, -1.0, 4.0], &[7]).unwrap();
/// assert_eq!(f.minima, vec![5, 1]); // deepest first
/// assert_eq!(f.barriers.get(0, 1), 3.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FloodedGrid {
    /// Grid index of every minimum, deepest first.
    pub minima: Vec<usize>,
    /// Barriers between the minima (same order), minima values on the diagonal.
    pub barriers: BarrierMatrix,
    /// For every cell, the minimum (index into `minima`) of its basin of attraction on the grid:
    /// the basin of its lowest neighbour below it (discrete steepest descent).
    pub basin_of_cell: Vec<usize>,
}

impl FloodedGrid {
    /// Floods `values` on a grid of the given `shape`.
    ///
    /// # Errors
    /// `EmptyInput` for an empty grid or shape, `DimensionMismatch` if the shape does not
    /// match the number of values, `NonFinite` values.
    pub fn flood(values: &[f64], shape: &[usize]) -> Result<Self> {
        if values.is_empty() || shape.is_empty() {
            return Err(elm_core::Error::EmptyInput("grid").into());
        }
        check::dim("grid values", shape.iter().product(), values.len())?;
        check::all_finite("grid values", values)?;
        let n = values.len();
        let strides: Vec<usize> = (0..shape.len()).map(|a| shape[a + 1..].iter().product()).collect();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
        let mut uf = UnionFind::new(n);
        let mut visited = vec![false; n];
        let mut basin_min = vec![usize::MAX; n]; // per union-find root: its minimum's cell
        let mut minima_cells = Vec::new();
        let mut merges: Vec<(usize, usize, f64)> = Vec::new(); // (cell a, cell b) minima, barrier
        let mut cell_minimum = vec![usize::MAX; n];
        for &c in &order {
            visited[c] = true;
            let mut roots: Vec<usize> = Vec::new();
            let mut lowest: Option<usize> = None;
            for (axis, &stride) in strides.iter().enumerate() {
                let coord = (c / stride) % shape[axis];
                let mut push = |nb: usize| {
                    if visited[nb] {
                        let r = uf.find(nb);
                        if !roots.contains(&r) {
                            roots.push(r);
                        }
                        if lowest.is_none_or(|l| values[nb] < values[l]) {
                            lowest = Some(nb);
                        }
                    }
                };
                if coord > 0 {
                    push(c - stride);
                }
                if coord + 1 < shape[axis] {
                    push(c + stride);
                }
            }
            if roots.is_empty() {
                basin_min[c] = c;
                cell_minimum[c] = c;
                minima_cells.push(c);
                continue;
            }
            cell_minimum[c] = cell_minimum[lowest.expect("a flooded neighbour")];
            let mut keep = basin_min[roots[0]];
            uf.union(roots[0], c);
            for &r in &roots[1..] {
                let other = basin_min[r];
                merges.push((keep, other, values[c]));
                uf.union(roots[0], r);
                if values[other] < values[keep] {
                    keep = other;
                }
            }
            basin_min[uf.find(c)] = keep;
        }
        // Order minima deepest first and fill the barrier matrix from the merge history.
        minima_cells.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
        let index_of: std::collections::HashMap<usize, usize> =
            minima_cells.iter().enumerate().map(|(i, &c)| (c, i)).collect();
        let mut barriers = BarrierMatrix::from_energies(minima_cells.iter().map(|&c| values[c]).collect())?;
        // Replay merges on the minima to assign the barrier to every newly connected pair.
        let m = minima_cells.len();
        let mut groups: Vec<Vec<usize>> = (0..m).map(|i| vec![i]).collect();
        let mut group_of: Vec<usize> = (0..m).collect();
        for (a, b, v) in merges {
            let (ga, gb) = (group_of[index_of[&a]], group_of[index_of[&b]]);
            if ga == gb {
                continue;
            }
            let moved = std::mem::take(&mut groups[gb]);
            for &i in &groups[ga] {
                for &j in &moved {
                    barriers.set_from(i, j, v, elm_core::BarrierSource::Exact)?;
                }
            }
            for &j in &moved {
                group_of[j] = ga;
            }
            groups[ga].extend(moved);
        }
        let basin_of_cell = cell_minimum.iter().map(|c| index_of[c]).collect();
        Ok(Self { minima: minima_cells, barriers, basin_of_cell })
    }
}
