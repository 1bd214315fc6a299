//! Disconnectivity graphs: construction, queries, layout.

use crate::error::Result;
use elm_core::BarrierMatrix;
use elm_core::check;
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::unionfind::UnionFind;

/// Whether a node of a [`DisconnectivityGraph`] is a minimum or a merge (superbasin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum NodeKind {
    /// A leaf: the basin of minimum `minimum` (plus any shallower basins pruned into it).
    Leaf {
        /// Index of the minimum in the input.
        minimum: usize,
    },
    /// An internal node: its children's basins merge at this energy.
    Merge,
}

/// A node of a [`DisconnectivityGraph`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DgNode {
    /// Leaf: the minimum's energy. Merge: the barrier at which the children merge.
    pub energy: f64,
    /// Leaf or merge.
    pub kind: NodeKind,
    /// The input minima under this node, ascending.
    pub members: Vec<usize>,
    /// Lowest minimum energy under this node.
    pub min_energy: f64,
    /// Basin size: the sum of the members' sizes (1 each unless set with
    /// [`DisconnectivityGraph::set_sizes`]; ADELM sets membership counts, seed 000 Sec. 4.3).
    pub size: f64,
    /// Label (leaf: the minimum's label, default its index; merge: empty).
    pub label: String,
    /// Colouring value (leaf: the minimum's value; merge: the value of its lowest member),
    /// set with [`DisconnectivityGraph::set_values`] (seed 002 Fig. 2 colours by a
    /// misclassification index).
    pub value: Option<f64>,
}

/// Parameters of disconnectivity-graph construction.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DgParams {
    /// Basins whose depth below the barrier where they merge is less than this are pruned:
    /// absorbed into the basin they merge with (default 0: keep all).
    pub prune_depth: f64,
    /// Barriers within this of each other are one tie: every basin they join merges at one
    /// n-ary node (default 1e-9, rounding noise; raise it to the accuracy of estimated
    /// barriers, e.g. 1e-4 for GWL barriers on SK).
    pub tie_tolerance: f64,
}

impl Default for DgParams {
    fn default() -> Self {
        Self { prune_depth: 0.0, tie_tolerance: 1e-9 }
    }
}

impl DgParams {
    /// Sets the tie tolerance.
    #[must_use]
    pub fn with_tie_tolerance(mut self, tolerance: f64) -> Self {
        self.tie_tolerance = tolerance;
        self
    }

    /// Sets the pruning depth.
    #[must_use]
    pub fn with_prune_depth(mut self, depth: f64) -> Self {
        self.prune_depth = depth;
        self
    }

    /// Checks `prune_depth >= 0` and `tie_tolerance >= 0`.
    ///
    /// # Errors
    /// `InvalidParameter` for a negative or non-finite depth or tolerance.
    pub fn validate(&self) -> Result<()> {
        check::non_negative("prune_depth", self.prune_depth)?;
        check::non_negative("tie_tolerance", self.tie_tolerance)?;
        Ok(())
    }
}

/// A disconnectivity graph (DG): a tree whose leaves are the minima of a landscape at their
/// energies and whose internal nodes sit at the lowest barrier at which their children's
/// basins merge (Becker & Karplus 1997; seed 000 Sec. 2.5; seed 001 Alg. 2).
///
/// Built from
/// - a [`BarrierMatrix`] by greedy merging at the lowest barrier (seed 001 Alg. 2), which is
///   Kruskal's algorithm on the barrier graph: the DG is the single-linkage dendrogram and the
///   barrier it shows between two minima is the minimax closure of the input;
/// - a sparse graph of minima and transition states by superbasin analysis at a regular
///   series of energy thresholds (seed 002 Sec. III): minima joined through transition states
///   below a threshold form one superbasin, and branches merge at the first threshold where
///   they share one.
///
/// Minima that are never joined (an infinite barrier, a disconnected transition-state graph)
/// give a *forest*: several roots, drawn side by side. One minimum gives a single leaf.
///
/// The tree is a petgraph [`DiGraph`] with edges from parent to child.
///
/// # Example
/// ```
/// use elm_dg::{BarrierMatrix, DgParams, DisconnectivityGraph};
/// // Three minima; 0 and 1 merge at -1, and both join 2 at 2.
/// let m = BarrierMatrix::from_rows(3, vec![
///     -3.0, -1.0,  2.0,
///     -1.0, -2.0,  5.0,
///      2.0,  5.0,  0.0,
/// ]).unwrap();
/// let dg = DisconnectivityGraph::from_barriers(&m, &DgParams::default()).unwrap();
/// assert_eq!(dg.leaves().count(), 3);
/// assert_eq!(dg.merges().count(), 2);
/// assert_eq!(dg.barrier(1, 2).unwrap(), Some(2.0)); // through minimum 0, not the direct 5
/// ```
///
/// # Complexity
/// `O(E log E)` for `E` finite barriers or transition states, plus `O(n)` per merge for the
/// member lists.
///
/// # References
/// O. M. Becker, M. Karplus, J. Chem. Phys. 106, 1495 (1997); seed 001 Alg. 2; seed 002 Sec. III.
#[derive(Debug, Clone)]
pub struct DisconnectivityGraph {
    graph: DiGraph<DgNode, ()>,
    roots: Vec<NodeIndex>,
    /// The leaf standing for each input minimum (its own, or the one it was pruned into).
    leaf_of: Vec<NodeIndex>,
    minimum_energies: Vec<f64>,
}

/// Construction arena node.
struct ArenaNode {
    energy: f64,
    children: Vec<usize>,
    minimum: Option<usize>,
    members: Vec<usize>,
    alive: bool,
}

/// A component during construction.
#[derive(Clone, Copy)]
struct Component {
    top: usize,
    deepest_leaf: usize,
    min_energy: f64,
}

struct Builder {
    arena: Vec<ArenaNode>,
    uf: UnionFind<usize>,
    comp: Vec<Component>,
    prune_depth: f64,
}

impl Builder {
    fn new(energies: &[f64], prune_depth: f64) -> Self {
        let arena = energies
            .iter()
            .enumerate()
            .map(|(i, &e)| ArenaNode { energy: e, children: vec![], minimum: Some(i), members: vec![i], alive: true })
            .collect();
        let comp =
            energies.iter().enumerate().map(|(i, &e)| Component { top: i, deepest_leaf: i, min_energy: e }).collect();
        Self { arena, uf: UnionFind::new(energies.len()), comp, prune_depth }
    }

    /// Merges the components with roots `roots` (distinct) at barrier `barrier`.
    fn merge(&mut self, mut roots: Vec<usize>, barrier: f64) {
        roots.sort_by(|&a, &b| self.comp[a].min_energy.total_cmp(&self.comp[b].min_energy).then(a.cmp(&b)));
        let energy = roots.iter().map(|&r| self.arena[self.comp[r].top].energy).fold(barrier, f64::max);
        let (deep, shallow): (Vec<usize>, Vec<usize>) = if self.prune_depth > 0.0 {
            roots.iter().partition(|&&r| energy - self.comp[r].min_energy >= self.prune_depth)
        } else {
            (roots.clone(), vec![])
        };
        // Everything shallow is absorbed into the deepest basin (the lowest minimum).
        let (deep, shallow) = if deep.is_empty() { (vec![roots[0]], roots[1..].to_vec()) } else { (deep, shallow) };
        let sink = self.comp[deep[0]].deepest_leaf;
        for &r in &shallow {
            let leaf = self.comp[r].top;
            let members = std::mem::take(&mut self.arena[leaf].members);
            self.arena[sink].members.extend(members);
            self.arena[leaf].alive = false;
        }
        let top = if deep.len() >= 2 {
            self.arena.push(ArenaNode {
                energy,
                children: deep.iter().map(|&r| self.comp[r].top).collect(),
                minimum: None,
                members: vec![],
                alive: true,
            });
            self.arena.len() - 1
        } else {
            self.comp[deep[0]].top
        };
        let best = self.comp[roots[0]];
        for &r in &roots[1..] {
            self.uf.union(roots[0], r);
        }
        let root = self.uf.find(roots[0]);
        self.comp[root] = Component { top, deepest_leaf: best.deepest_leaf, min_energy: best.min_energy };
    }

    fn finish(self, energies: Vec<f64>) -> DisconnectivityGraph {
        let mut graph: DiGraph<DgNode, ()> = DiGraph::new();
        let mut index: Vec<Option<NodeIndex>> = vec![None; self.arena.len()];
        // Children are created before parents in the arena, so one forward pass suffices.
        for (a, node) in self.arena.iter().enumerate() {
            if !node.alive {
                continue;
            }
            let mut members = node.members.clone();
            let mut min_energy = node.energy;
            for &c in &node.children {
                let ci: NodeIndex = index[c].expect("child before parent");
                members.extend_from_slice(&graph[ci].members);
                min_energy = min_energy.min(graph[ci].min_energy);
            }
            members.sort_unstable();
            let kind = match node.minimum {
                Some(minimum) => NodeKind::Leaf { minimum },
                None => NodeKind::Merge,
            };
            let label = node.minimum.map(|m| m.to_string()).unwrap_or_default();
            let size = members.len() as f64;
            let ni =
                graph.add_node(DgNode { energy: node.energy, kind, members, min_energy, size, label, value: None });
            for &c in &node.children {
                graph.add_edge(ni, index[c].expect("child before parent"), ());
            }
            index[a] = Some(ni);
        }
        let mut roots: Vec<NodeIndex> = graph
            .node_indices()
            .filter(|&n| graph.neighbors_directed(n, Direction::Incoming).next().is_none())
            .collect();
        roots.sort_by(|&a, &b| graph[a].min_energy.total_cmp(&graph[b].min_energy));
        let mut leaf_of = vec![NodeIndex::end(); energies.len()];
        for n in graph.node_indices() {
            if let NodeKind::Leaf { .. } = graph[n].kind {
                for &m in &graph[n].members {
                    leaf_of[m] = n;
                }
            }
        }
        DisconnectivityGraph { graph, roots, leaf_of, minimum_energies: energies }
    }
}

impl DisconnectivityGraph {
    /// Builds the DG of a barrier matrix by greedy merging at the lowest barrier (seed 001
    /// Alg. 2 = Kruskal). Barriers within `params.tie_tolerance` of the lowest one not yet used
    /// form one tie: every group of basins they connect merges at one n-ary node, at the highest
    /// barrier of the tie that joins it (so a 4-way tie is one 4-way merge, not three binary
    /// ones in an order set by rounding). Otherwise ties are broken by minimum index, so the
    /// result is deterministic. A merge sits at `max(barrier, child energies)`, so merges are
    /// never below their children.
    ///
    /// # Errors
    /// Invalid parameters.
    pub fn from_barriers(barriers: &BarrierMatrix, params: &DgParams) -> Result<Self> {
        params.validate()?;
        let n = barriers.len();
        let energies = barriers.energies();
        let mut edges: Vec<(f64, usize, usize)> = (0..n)
            .flat_map(|i| ((i + 1)..n).map(move |j| (i, j)))
            .map(|(i, j)| (barriers.get(i, j), i, j))
            .filter(|e| e.0.is_finite())
            .collect();
        edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut b = Builder::new(&energies, params.prune_depth);
        let mut start = 0;
        while start < edges.len() {
            let anchor = edges[start].0;
            let end = start + edges[start..].iter().take_while(|e| e.0 - anchor <= params.tie_tolerance).count();
            // Group the current components the tie connects (union-find over their roots).
            let tie = &edges[start..end];
            let mut roots: Vec<usize> = tie.iter().flat_map(|&(_, i, j)| [b.uf.find(i), b.uf.find(j)]).collect();
            roots.sort_unstable();
            roots.dedup();
            let slot = |r: usize| roots.binary_search(&r).expect("root of the tie");
            let mut groups = UnionFind::<usize>::new(roots.len());
            let mut level = vec![f64::NEG_INFINITY; roots.len()];
            for &(barrier, i, j) in tie {
                let (gi, gj) = (groups.find(slot(b.uf.find(i))), groups.find(slot(b.uf.find(j))));
                if gi != gj {
                    // Spanning-tree edges of the tie set the merge level of their group.
                    let top = level[gi].max(level[gj]).max(barrier);
                    groups.union(gi, gj);
                    level[groups.find(gi)] = top;
                }
            }
            // Groups in order of first appearance, each with its component roots.
            let mut merged: Vec<(usize, Vec<usize>)> = Vec::new();
            let mut position = vec![usize::MAX; roots.len()];
            for (k, &r) in roots.iter().enumerate() {
                let g = groups.find(k);
                if position[g] == usize::MAX {
                    position[g] = merged.len();
                    merged.push((g, Vec::new()));
                }
                merged[position[g]].1.push(r);
            }
            for (g, members) in merged {
                if members.len() >= 2 {
                    b.merge(members, level[g]);
                }
            }
            start = end;
        }
        Ok(b.finish(energies))
    }

    /// Builds the DG of minima joined by transition states, by superbasin analysis at the
    /// given ascending energy `thresholds` (seed 002 Sec. III): at each threshold, minima
    /// connected through transition states strictly below it form one superbasin; superbasins
    /// that first coincide at a threshold merge there (possibly several at once). Transition
    /// states above the last threshold are ignored.
    ///
    /// `transition_states` are `(minimum a, minimum b, saddle energy)`; self-connections are
    /// ignored.
    ///
    /// # Errors
    /// `EmptyInput` for no minima or no thresholds, `NonFinite` energies,
    /// [`elm_core::Error::NoSuchMinimum`], `InvalidParameter` for thresholds that do not increase,
    /// [`elm_core::Error::BarrierBelowMinimum`] for a transition state below its minima.
    pub fn from_transition_states(
        minima: &[f64],
        transition_states: &[(usize, usize, f64)],
        thresholds: &[f64],
        params: &DgParams,
    ) -> Result<Self> {
        params.validate()?;
        if minima.is_empty() {
            return Err(elm_core::Error::EmptyInput("minima energies").into());
        }
        if thresholds.is_empty() {
            return Err(elm_core::Error::EmptyInput("superbasin thresholds").into());
        }
        check::all_finite("minima energies", minima)?;
        check::all_finite("superbasin thresholds", thresholds)?;
        if thresholds.windows(2).any(|w| w[1] <= w[0]) {
            return Err(elm_core::Error::invalid("thresholds", "sequence", "must be strictly increasing").into());
        }
        let n = minima.len();
        let mut ts = Vec::with_capacity(transition_states.len());
        for &(a, b, e) in transition_states {
            for index in [a, b] {
                if index >= n {
                    return Err(elm_core::Error::NoSuchMinimum { index, len: n }.into());
                }
            }
            if !e.is_finite() {
                return Err(elm_core::Error::NonFinite("transition state energy").into());
            }
            if check::below_minima(e, minima[a], minima[b]) {
                return Err(elm_core::Error::BarrierBelowMinimum {
                    i: a,
                    j: b,
                    barrier: e,
                    ei: minima[a],
                    ej: minima[b],
                }
                .into());
            }
            if a != b {
                ts.push((e, a, b));
            }
        }
        ts.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut b = Builder::new(minima, params.prune_depth);
        // A second union-find tracks connectivity below the threshold; merges are then applied
        // to the builder's components level by level.
        let mut below = UnionFind::new(n);
        let mut next = 0;
        for &t in thresholds {
            while next < ts.len() && ts[next].0 < t {
                below.union(ts[next].1, ts[next].2);
                next += 1;
            }
            // Group the current superbasins (builder roots) by their connectivity below t.
            let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
            let mut seen = std::collections::HashSet::new();
            for i in 0..n {
                let r = b.uf.find(i);
                if seen.insert(r) {
                    groups.entry(below.find(i)).or_default().push(r);
                }
            }
            for (_, roots) in groups {
                if roots.len() >= 2 {
                    b.merge(roots, t);
                }
            }
        }
        Ok(b.finish(minima.to_vec()))
    }

    /// The underlying petgraph tree (edges parent → child).
    pub fn graph(&self) -> &DiGraph<DgNode, ()> {
        &self.graph
    }

    /// Roots, lowest minimum first (one for a connected landscape).
    pub fn roots(&self) -> &[NodeIndex] {
        &self.roots
    }

    /// Node data.
    pub fn node(&self, n: NodeIndex) -> &DgNode {
        &self.graph[n]
    }

    /// Number of input minima.
    pub fn minima_count(&self) -> usize {
        self.leaf_of.len()
    }

    /// Leaf nodes.
    pub fn leaves(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.graph.node_indices().filter(|&n| matches!(self.graph[n].kind, NodeKind::Leaf { .. }))
    }

    /// Merge nodes.
    pub fn merges(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.graph.node_indices().filter(|&n| self.graph[n].kind == NodeKind::Merge)
    }

    /// Children of a node, in the order they were merged.
    pub fn children(&self, n: NodeIndex) -> Vec<NodeIndex> {
        let mut c: Vec<NodeIndex> = self.graph.neighbors_directed(n, Direction::Outgoing).collect();
        c.sort_by(|&a, &b| self.graph[a].min_energy.total_cmp(&self.graph[b].min_energy));
        c
    }

    /// Parent of a node (`None` for a root).
    pub fn parent(&self, n: NodeIndex) -> Option<NodeIndex> {
        self.graph.neighbors_directed(n, Direction::Incoming).next()
    }

    /// The leaf standing for input minimum `m` (itself, or the leaf it was pruned into).
    ///
    /// # Errors
    /// [`elm_core::Error::NoSuchMinimum`].
    pub fn leaf_of(&self, m: usize) -> Result<NodeIndex> {
        self.leaf_of.get(m).copied().ok_or(elm_core::Error::NoSuchMinimum { index: m, len: self.leaf_of.len() }.into())
    }

    /// Energy of input minimum `m`.
    ///
    /// # Errors
    /// [`elm_core::Error::NoSuchMinimum`] for `m` out of range.
    pub fn minimum_energy(&self, m: usize) -> Result<f64> {
        self.minimum_energies
            .get(m)
            .copied()
            .ok_or(elm_core::Error::NoSuchMinimum { index: m, len: self.minimum_energies.len() }.into())
    }

    /// The barrier the tree shows between minima `i` and `j`: the energy of their lowest common
    /// ancestor, or the higher of their own energies if that is higher (a minimum pruned into a
    /// deeper basin can lie above the merge it shares); `None` if they lie in different trees
    /// of a forest. For two minima pruned into one leaf it is the higher of their energies.
    ///
    /// # Errors
    /// [`elm_core::Error::NoSuchMinimum`].
    pub fn barrier(&self, i: usize, j: usize) -> Result<Option<f64>> {
        let (a, b) = (self.leaf_of(i)?, self.leaf_of(j)?);
        if a == b {
            return Ok(Some(self.minimum_energies[i].max(self.minimum_energies[j])));
        }
        let mut ancestors = std::collections::HashSet::new();
        let mut x = Some(a);
        while let Some(n) = x {
            ancestors.insert(n);
            x = self.parent(n);
        }
        let mut y = Some(b);
        while let Some(n) = y {
            if ancestors.contains(&n) {
                // A minimum pruned into a deeper basin can lie above the merge that basin
                // joins; the barrier is never below either minimum.
                let floor = self.minimum_energies[i].max(self.minimum_energies[j]);
                return Ok(Some(self.graph[n].energy.max(floor)));
            }
            y = self.parent(n);
        }
        Ok(None)
    }

    /// The ultrametric barrier matrix the tree implies (`+∞` across trees of a forest).
    pub fn implied_barriers(&self) -> BarrierMatrix {
        // Every pair meets at exactly one node: at a merge between two of its children's member
        // sets, or inside one leaf (minima pruned together). Visiting each merge once and its
        // children's members pairwise sets every pair once: O(n^2) in all, whatever the depth.
        let mut m = BarrierMatrix::from_energies(self.minimum_energies.clone()).expect("energies validated");
        let e = &self.minimum_energies;
        for node in self.graph.node_indices() {
            let members_of = |c: NodeIndex| &self.graph[c].members;
            match self.graph[node].kind {
                NodeKind::Leaf { .. } => {
                    let ms = members_of(node);
                    for (k, &i) in ms.iter().enumerate() {
                        for &j in &ms[k + 1..] {
                            m.set(i, j, e[i].max(e[j])).expect("pair of minima");
                        }
                    }
                }
                NodeKind::Merge => {
                    let level = self.graph[node].energy;
                    let children = self.children(node);
                    for (k, &a) in children.iter().enumerate() {
                        for &b in &children[k + 1..] {
                            for &i in members_of(a) {
                                for &j in members_of(b) {
                                    m.set(i, j, level.max(e[i]).max(e[j])).expect("merges lie above their minima");
                                }
                            }
                        }
                    }
                }
            }
        }
        m
    }

    /// Sets basin sizes per input minimum (e.g. ADELM membership counts); every node's size
    /// becomes the sum over its members.
    ///
    /// # Errors
    /// `DimensionMismatch` unless one size per minimum; `InvalidParameter` for a negative size.
    pub fn set_sizes(&mut self, sizes: &[f64]) -> Result<()> {
        check::dim("basin sizes", self.minima_count(), sizes.len())?;
        for &s in sizes {
            check::non_negative("size", s)?;
        }
        for n in self.graph.node_indices() {
            let size = self.graph[n].members.iter().map(|&m| sizes[m]).sum();
            self.graph[n].size = size;
        }
        Ok(())
    }

    /// Sets leaf labels per input minimum.
    ///
    /// # Errors
    /// `DimensionMismatch` unless one label per minimum.
    pub fn set_labels(&mut self, labels: &[String]) -> Result<()> {
        check::dim("labels", self.minima_count(), labels.len())?;
        for n in self.graph.node_indices() {
            if let NodeKind::Leaf { minimum } = self.graph[n].kind {
                self.graph[n].label = labels[minimum].clone();
            }
        }
        Ok(())
    }

    /// Sets a colouring value per input minimum; merges take their lowest member's value.
    ///
    /// # Errors
    /// `DimensionMismatch` unless one value per minimum, `NonFinite` values.
    pub fn set_values(&mut self, values: &[f64]) -> Result<()> {
        check::dim("values", self.minima_count(), values.len())?;
        check::all_finite("values", values)?;
        for n in self.graph.node_indices() {
            let lowest = self.graph[n]
                .members
                .iter()
                .copied()
                .min_by(|&a, &b| self.minimum_energies[a].total_cmp(&self.minimum_energies[b]))
                .expect("every node has a member");
            self.graph[n].value = Some(values[lowest]);
        }
        Ok(())
    }

    /// Horizontal positions of all nodes for drawing: leaves at `0, 1, 2, ..` in an order that
    /// keeps every subtree contiguous (so no branches cross) and pulls the deepest child of every
    /// merge towards the middle of its parent (so funnels are drawn centred); a merge sits at the
    /// mean position of its children. Trees of a forest are placed side by side, lowest first.
    ///
    /// The subtrees of a root's top-level merge are each centred on their own deepest leaf, so
    /// a landscape of two (or more) comparable funnels — the mirror halves of a spin glass, seed
    /// 000 Fig. 12 — reads as separate funnels rather than one funnel whose deepest leaves from
    /// both halves stand side by side in the middle.
    pub fn layout(&self) -> Vec<(NodeIndex, f64)> {
        #[derive(Clone, Copy)]
        enum Side {
            Left,
            Right,
            Centre,
        }
        fn place(
            dg: &DisconnectivityGraph,
            n: NodeIndex,
            side: Side,
            next: &mut f64,
            out: &mut Vec<(NodeIndex, f64)>,
        ) -> f64 {
            let children = dg.children(n); // deepest first
            if children.is_empty() {
                let x = *next;
                *next += 1.0;
                out.push((n, x));
                return x;
            }
            let ordered: Vec<(NodeIndex, Side)> = match side {
                Side::Left => children.iter().rev().map(|&c| (c, Side::Left)).collect(),
                Side::Right => children.iter().map(|&c| (c, Side::Right)).collect(),
                Side::Centre => {
                    // ..., c3, c1, c0, c2, c4, ...: deepest in the middle.
                    let mut left: Vec<NodeIndex> = children.iter().skip(1).step_by(2).copied().collect();
                    left.reverse();
                    let right: Vec<NodeIndex> = children.iter().skip(2).step_by(2).copied().collect();
                    let mut v: Vec<(NodeIndex, Side)> = left.into_iter().map(|c| (c, Side::Left)).collect();
                    v.push((children[0], if v.is_empty() { Side::Left } else { Side::Centre }));
                    v.extend(right.into_iter().map(|c| (c, Side::Right)));
                    if v.len() == 2 {
                        v[1].1 = Side::Right;
                    }
                    if dg.parent(n).is_none() {
                        // Top-level subtrees: each centred on its own deepest leaf.
                        v.iter_mut().for_each(|c| c.1 = Side::Centre);
                    }
                    v
                }
            };
            let xs: Vec<f64> = ordered.iter().map(|&(c, s)| place(dg, c, s, next, out)).collect();
            let x = xs.iter().sum::<f64>() / xs.len() as f64;
            out.push((n, x));
            x
        }
        let mut out = Vec::with_capacity(self.graph.node_count());
        let mut next = 0.0;
        for &r in &self.roots {
            place(self, r, Side::Centre, &mut next, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use std::collections::HashMap;

    /// The leaves of `n` in drawing order.
    fn leaves_under(dg: &DisconnectivityGraph, n: NodeIndex, out: &mut Vec<NodeIndex>) {
        let children = dg.children(n);
        if children.is_empty() {
            out.push(n);
        }
        for c in children {
            leaves_under(dg, c, out);
        }
    }

    /// On random barrier matrices (with unknown pairs, so forests too): every leaf gets one of
    /// the slots `0, 1, .., L-1`; every subtree's leaves fill a contiguous run of slots (no
    /// crossing branches); a merge sits at the mean of its children; trees of a forest follow
    /// one another in root order.
    #[test]
    fn layouts_keep_subtrees_contiguous_and_merges_centred() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(5);
        for case in 0..300 {
            let n = rng.random_range(1..14usize);
            let mut m = BarrierMatrix::from_energies((0..n).map(|_| rng.random_range(-3.0..0.0)).collect()).unwrap();
            for i in 0..n {
                for j in (i + 1)..n {
                    if rng.random_bool(0.6) {
                        let floor = m.energy(i).max(m.energy(j));
                        m.set(i, j, floor + rng.random_range(0.0..2.0)).unwrap();
                    }
                }
            }
            let dg = DisconnectivityGraph::from_barriers(&m, &DgParams::default()).unwrap();
            let x: HashMap<NodeIndex, f64> = dg.layout().into_iter().collect();
            assert_eq!(x.len(), dg.graph().node_count(), "case {case}: every node placed once");
            let mut slots: Vec<f64> = dg.leaves().map(|l| x[&l]).collect();
            slots.sort_by(f64::total_cmp);
            assert_eq!(slots, (0..slots.len()).map(|k| k as f64).collect::<Vec<_>>(), "case {case}");
            for node in dg.graph().node_indices() {
                let mut under = vec![];
                leaves_under(&dg, node, &mut under);
                let mut xs: Vec<f64> = under.iter().map(|l| x[l]).collect();
                xs.sort_by(f64::total_cmp);
                assert_eq!(xs.last().unwrap() - xs[0], (xs.len() - 1) as f64, "case {case}: a subtree is split");
                let children = dg.children(node);
                if !children.is_empty() {
                    let mean = children.iter().map(|c| x[c]).sum::<f64>() / children.len() as f64;
                    assert!((x[&node] - mean).abs() < 1e-9, "case {case}: merge off its children's mean");
                }
            }
            let mut next = 0.0;
            for &r in dg.roots() {
                let mut under = vec![];
                leaves_under(&dg, r, &mut under);
                let lo = under.iter().map(|l| x[l]).fold(f64::INFINITY, f64::min);
                assert_eq!(lo, next, "case {case}: trees out of root order");
                next += under.len() as f64;
            }
        }
    }
}
