//! Landscape exploration over many minima by minimum-spanning-tree refinement (seed 003).

use crate::error::Result;
use elm_core::{BarrierMatrix, BarrierSource, check};

/// An edge of the exploration: a computed path between two minima and its barrier.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ExploredEdge {
    /// First minimum.
    pub a: usize,
    /// Second minimum.
    pub b: usize,
    /// Barrier of the computed path (`+∞` when the path computation failed).
    pub barrier: f64,
}

/// The outcome of [`explore_minima`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Exploration {
    /// Every path computed, in order.
    pub computed: Vec<ExploredEdge>,
    /// The final spanning tree (lowest known paths).
    pub tree: Vec<ExploredEdge>,
    /// Row-major `n x n` barrier upper bounds: the highest tree edge on the tree path between
    /// two minima (the ultrametric bound of seed 003), minima energies on the diagonal.
    pub barriers: Vec<f64>,
    /// Row-major: true where the barrier comes from a computed path between exactly these two
    /// minima, false where it is only implied through others.
    pub computed_pair: Vec<bool>,
}

impl Exploration {
    /// The barriers as the workspace's [`BarrierMatrix`]: pairs joined by a computed path get
    /// [`BarrierSource::Band`] (the paths of seed 003 are AutoNEB bands), pairs only implied
    /// through the tree get [`BarrierSource::Chain`].
    ///
    /// # Errors
    /// An inconsistent exploration (a barrier below its minima; not produced by
    /// [`explore_minima`]).
    ///
    /// # Example
    /// ```
    /// use elm_paths::explore_minima;
    /// use elm_core::BarrierSource;
    /// let b = [[0.0, 5.0, 3.0], [5.0, 0.0, 1.0], [3.0, 1.0, 0.0]];
    /// let m = explore_minima(&[0.0, 0.0, 0.0], 10, |i, j| Ok(Some(b[i][j]))).unwrap().barrier_matrix().unwrap();
    /// assert_eq!((m.get(1, 2), m.source(1, 2)), (1.0, Some(BarrierSource::Band)));
    /// ```
    pub fn barrier_matrix(&self) -> Result<BarrierMatrix> {
        let n = self.computed_pair.len().isqrt();
        let mut m = BarrierMatrix::from_energies((0..n).map(|i| self.barriers[i * n + i]).collect())?;
        for i in 0..n {
            for j in (i + 1)..n {
                let source = if self.computed_pair[i * n + j] { BarrierSource::Band } else { BarrierSource::Chain };
                m.set_from(i, j, self.barriers[i * n + j], source)?;
            }
        }
        Ok(m)
    }
}

/// Which pairs of minima to connect, and the barrier graph that results (seed 003 Alg. "Energy
/// Landscape Exploration"): connect minimum 0 to all others; then repeatedly remove the highest
/// edge of the spanning tree not yet marked, pick one minimum on each side with no computed path
/// between them (lowest energies first), compute that path with `connect`; if it is lower than
/// the removed edge it replaces it (the tree gets lighter), else the edge goes back. An edge
/// whose cut has no uncomputed pair left is marked and never removed again. Ends when every tree
/// edge is marked (the tree is then the minimum spanning tree of all paths that could matter) or
/// `max_paths` paths have been computed. By the ultrametric property (the barrier of a concatenation is the
/// highest of its parts) the tree's edges give upper bounds for all pairs.
///
/// `connect(a, b)` returns the barrier of a path between minima `a` and `b` (e.g. from
/// [`crate::AutoNeb`]), or `None` if it failed.
///
/// # Errors
/// `EmptyInput` / `NonFinite` minima energies; errors returned by `connect`.
///
/// # Example
/// ```
/// use elm_paths::explore_minima;
/// // Three minima with known barriers: 0-1 at 5, 1-2 at 1, 0-2 at 3.
/// let b = [[0.0, 5.0, 3.0], [5.0, 0.0, 1.0], [3.0, 1.0, 0.0]];
/// let e = explore_minima(&[0.0, 0.0, 0.0], 10, |i, j| Ok(Some(b[i][j]))).unwrap();
/// let mut tree: Vec<f64> = e.tree.iter().map(|t| t.barrier).collect();
/// tree.sort_by(f64::total_cmp);
/// assert_eq!(tree, vec![1.0, 3.0]); // the MST of the full barrier graph
/// ```
///
/// # References
/// Seed 003 Sec. 2, Fig. 4; J. C. Gower, G. J. S. Ross, Appl. Stat. 18, 54 (1969).
pub fn explore_minima<F>(energies: &[f64], max_paths: usize, mut connect: F) -> Result<Exploration>
where
    F: FnMut(usize, usize) -> Result<Option<f64>>,
{
    let n = energies.len();
    if n == 0 {
        return Err(elm_core::Error::EmptyInput("minima").into());
    }
    check::all_finite("minima energies", energies)?;
    let mut known = vec![vec![false; n]; n];
    let mut computed = Vec::new();
    let mut call = |a: usize, b: usize, known: &mut Vec<Vec<bool>>, computed: &mut Vec<ExploredEdge>| -> Result<f64> {
        known[a][b] = true;
        known[b][a] = true;
        let barrier = connect(a, b)?.unwrap_or(f64::INFINITY);
        if check::below_minima(barrier, energies[a], energies[b]) {
            return Err(elm_core::Error::invalid("barrier", barrier, "below its minima (or NaN)").into());
        }
        computed.push(ExploredEdge { a, b, barrier });
        Ok(barrier)
    };
    let mut tree: Vec<(ExploredEdge, bool)> = Vec::new(); // (edge, marked)
    for j in 1..n {
        let b = call(0, j, &mut known, &mut computed)?;
        tree.push((ExploredEdge { a: 0, b: j, barrier: b }, false));
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&x, &y| energies[x].total_cmp(&energies[y]).then(x.cmp(&y)));
    while computed.len() < max_paths {
        let Some(k) = (0..tree.len())
            .filter(|&k| !tree[k].1)
            .max_by(|&x, &y| tree[x].0.barrier.total_cmp(&tree[y].0.barrier).then(y.cmp(&x)))
        else {
            break;
        };
        let (removed, _) = tree.swap_remove(k);
        // Component of `removed.a` in the tree without the removed edge.
        let side = component(n, &tree, removed.a);
        let pair = order
            .iter()
            .filter(|&&p| side[p])
            .flat_map(|&p| order.iter().filter(|&&q| !side[q]).map(move |&q| (p, q)))
            .find(|&(p, q)| !known[p][q]);
        match pair {
            None => tree.push((removed, true)),
            Some((p, q)) => {
                let b = call(p, q, &mut known, &mut computed)?;
                if b < removed.barrier {
                    tree.push((ExploredEdge { a: p, b: q, barrier: b }, false));
                } else {
                    // No better path yet: the edge stays a candidate, and the next removal tries
                    // another pair across the same cut.
                    tree.push((removed, false));
                }
            }
        }
    }
    let tree: Vec<ExploredEdge> = tree.into_iter().map(|(e, _)| e).collect();
    // Ultrametric bounds from the tree: highest edge on the tree path.
    let mut barriers = vec![f64::INFINITY; n * n];
    let mut computed_pair = vec![false; n * n];
    for s in 0..n {
        barriers[s * n + s] = energies[s];
        let mut stack = vec![(s, f64::NEG_INFINITY)];
        let mut seen = vec![false; n];
        seen[s] = true;
        while let Some((u, m)) = stack.pop() {
            for e in &tree {
                let v = if e.a == u {
                    e.b
                } else if e.b == u {
                    e.a
                } else {
                    continue;
                };
                if !seen[v] {
                    seen[v] = true;
                    let mv = m.max(e.barrier);
                    barriers[s * n + v] = mv;
                    stack.push((v, mv));
                }
            }
        }
    }
    for e in &computed {
        computed_pair[e.a * n + e.b] = true;
        computed_pair[e.b * n + e.a] = true;
    }
    Ok(Exploration { computed, tree, barriers, computed_pair })
}

fn component(n: usize, tree: &[(ExploredEdge, bool)], start: usize) -> Vec<bool> {
    let mut seen = vec![false; n];
    seen[start] = true;
    let mut stack = vec![start];
    while let Some(u) = stack.pop() {
        for (e, _) in tree {
            let v = if e.a == u {
                e.b
            } else if e.b == u {
                e.a
            } else {
                continue;
            };
            if !seen[v] {
                seen[v] = true;
                stack.push(v);
            }
        }
    }
    seen
}
