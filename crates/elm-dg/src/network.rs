//! Networks of minima (seed 002 Sec. VI).

use crate::error::Result;
use elm_core::check;
use petgraph::graph::{NodeIndex, UnGraph};
use rand::{Rng, RngExt};
use std::collections::{HashMap, VecDeque};

/// The network of minima of a landscape: one node per minimum, an (unweighted, undirected)
/// edge between two minima joined by at least one transition state (seed 002 Sec. VI). Edge
/// weights keep the lowest transition-state energy, for the minimum spanning tree.
///
/// # Example
/// ```
/// use elm_dg::NetworkOfMinima;
/// // A path 0 - 1 - 2 - 3.
/// let net = NetworkOfMinima::new(&[0.0; 4], &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0)]).unwrap();
/// let s = net.summary();
/// assert_eq!(s.diameter, 3);
/// assert!((s.average_shortest_path - 5.0 / 3.0).abs() < 1e-12);
/// ```
///
/// # References
/// Seed 002 Sec. VI; J. P. K. Doye, Phys. Rev. Lett. 88, 238701 (2002) (networks of minima are
/// small worlds).
#[derive(Debug, Clone)]
pub struct NetworkOfMinima {
    graph: UnGraph<f64, f64>,
}

/// Summary statistics of a network (seed 002 Sec. VI reports these for its landscapes).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NetworkSummary {
    /// Nodes.
    pub nodes: usize,
    /// Edges.
    pub edges: usize,
    /// Mean node degree `2E / N`.
    pub mean_degree: f64,
    /// Mean shortest-path length over connected pairs of distinct nodes (NaN if none).
    pub average_shortest_path: f64,
    /// Longest shortest path (over connected pairs).
    pub diameter: usize,
    /// Mean local clustering coefficient (nodes of degree < 2 count 0, as in networkx).
    pub clustering: f64,
    /// Connected components.
    pub components: usize,
}

impl NetworkOfMinima {
    /// A network over minima with the given energies and transition states
    /// `(a, b, saddle energy)`. Self-connections are dropped; repeated connections keep the
    /// lowest saddle.
    ///
    /// # Errors
    /// `EmptyInput` for no minima, `NonFinite` energies, [`elm_core::Error::NoSuchMinimum`],
    /// [`elm_core::Error::BarrierBelowMinimum`] for a transition state below one of its minima.
    pub fn new(minima: &[f64], transition_states: &[(usize, usize, f64)]) -> Result<Self> {
        if minima.is_empty() {
            return Err(elm_core::Error::EmptyInput("minima energies").into());
        }
        check::all_finite("minima energies", minima)?;
        let mut graph = UnGraph::with_capacity(minima.len(), transition_states.len());
        let nodes: Vec<NodeIndex> = minima.iter().map(|&e| graph.add_node(e)).collect();
        let mut best: HashMap<(usize, usize), f64> = HashMap::new();
        for &(a, b, e) in transition_states {
            for index in [a, b] {
                if index >= minima.len() {
                    return Err(elm_core::Error::NoSuchMinimum { index, len: minima.len() }.into());
                }
            }
            if !e.is_finite() {
                return Err(elm_core::Error::NonFinite("transition state energy").into());
            }
            let (ea, eb) = (minima[a], minima[b]);
            if check::below_minima(e, ea, eb) {
                return Err(elm_core::Error::BarrierBelowMinimum { i: a, j: b, barrier: e, ei: ea, ej: eb }.into());
            }
            if a != b {
                let key = (a.min(b), a.max(b));
                let slot = best.entry(key).or_insert(e);
                *slot = slot.min(e);
            }
        }
        let mut edges: Vec<_> = best.into_iter().collect();
        edges.sort_by_key(|e| e.0);
        for ((a, b), e) in edges {
            graph.add_edge(nodes[a], nodes[b], e);
        }
        Ok(Self { graph })
    }

    /// The petgraph graph (node weight: minimum energy; edge weight: lowest saddle energy).
    pub fn graph(&self) -> &UnGraph<f64, f64> {
        &self.graph
    }

    /// Degree of every node.
    pub fn degrees(&self) -> Vec<usize> {
        self.graph.node_indices().map(|n| self.graph.neighbors(n).count()).collect()
    }

    /// `histogram[k]` = number of nodes of degree `k`.
    pub fn degree_distribution(&self) -> Vec<usize> {
        let d = self.degrees();
        let mut h = vec![0; d.iter().max().map_or(0, |m| m + 1)];
        d.into_iter().for_each(|k| h[k] += 1);
        h
    }

    /// Local clustering coefficient of every node: the fraction of pairs of its neighbours that
    /// are themselves neighbours (0 for degree < 2).
    pub fn clustering_coefficients(&self) -> Vec<f64> {
        // Mark each node's neighbours, then count the marked neighbours of each neighbour:
        // O(Σ_u k_u²) instead of O(n k³) with edge look-ups.
        let mut mark = vec![usize::MAX; self.graph.node_count()];
        self.graph
            .node_indices()
            .map(|n| {
                let nb: Vec<NodeIndex> = self.graph.neighbors(n).filter(|&u| u != n).collect();
                let k = nb.len();
                if k < 2 {
                    return 0.0;
                }
                for &u in &nb {
                    mark[u.index()] = n.index();
                }
                let twice_links: usize = nb
                    .iter()
                    .map(|&u| self.graph.neighbors(u).filter(|&w| w != u && mark[w.index()] == n.index()).count())
                    .sum();
                twice_links as f64 / (k * (k - 1)) as f64
            })
            .collect()
    }

    /// The minimum spanning tree (forest) by saddle energy: `(a, b, saddle)` edges. Its
    /// maximum edge on the path between two minima is their minimax barrier.
    pub fn minimum_spanning_tree(&self) -> Vec<(usize, usize, f64)> {
        let mut uf = petgraph::unionfind::UnionFind::new(self.graph.node_count());
        let mut edges: Vec<(f64, usize, usize)> = self
            .graph
            .edge_indices()
            .map(|e| {
                let (a, b) = self.graph.edge_endpoints(e).expect("edge exists");
                (self.graph[e], a.index(), b.index())
            })
            .collect();
        edges.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        edges.into_iter().filter(|&(_, a, b)| uf.union(a, b)).map(|(w, a, b)| (a, b, w)).collect()
    }

    /// Node, edge, degree, path, clustering and component statistics (BFS from every node:
    /// `O(N (N + E))`).
    pub fn summary(&self) -> NetworkSummary {
        let n = self.graph.node_count();
        let mut total = 0usize;
        let mut pairs = 0usize;
        let mut diameter = 0usize;
        let mut dist = vec![usize::MAX; n];
        let mut queue = VecDeque::new();
        for s in self.graph.node_indices() {
            dist.iter_mut().for_each(|d| *d = usize::MAX);
            dist[s.index()] = 0;
            queue.push_back(s);
            while let Some(u) = queue.pop_front() {
                for v in self.graph.neighbors(u) {
                    if dist[v.index()] == usize::MAX {
                        dist[v.index()] = dist[u.index()] + 1;
                        queue.push_back(v);
                    }
                }
            }
            for (t, &d) in dist.iter().enumerate() {
                if t != s.index() && d != usize::MAX {
                    total += d;
                    pairs += 1;
                    diameter = diameter.max(d);
                }
            }
        }
        let cc = self.clustering_coefficients();
        NetworkSummary {
            nodes: n,
            edges: self.graph.edge_count(),
            mean_degree: 2.0 * self.graph.edge_count() as f64 / n as f64,
            average_shortest_path: if pairs == 0 { f64::NAN } else { total as f64 / pairs as f64 },
            diameter,
            clustering: cc.iter().sum::<f64>() / n as f64,
            components: petgraph::algo::connected_components(&self.graph),
        }
    }

    /// The mean summary of `samples` Erdős-Rényi random graphs `G(N, E)` with this network's
    /// numbers of nodes and edges: the "equivalent random network" seed 002 compares against.
    ///
    /// # Errors
    /// `InvalidParameter` for `samples = 0`.
    pub fn random_equivalent<R: Rng + ?Sized>(&self, samples: usize, rng: &mut R) -> Result<NetworkSummary> {
        check::at_least("samples", samples, 1)?;
        let n = self.graph.node_count();
        let m = self.graph.edge_count().min(n * n.saturating_sub(1) / 2);
        let mut acc = NetworkSummary {
            nodes: n,
            edges: m,
            mean_degree: 0.0,
            average_shortest_path: 0.0,
            diameter: 0,
            clustering: 0.0,
            components: 0,
        };
        let (mut diam, mut comps) = (0.0, 0.0);
        for _ in 0..samples {
            let mut chosen = std::collections::HashSet::new();
            while chosen.len() < m {
                let a = rng.random_range(0..n);
                let b = rng.random_range(0..n);
                if a != b {
                    chosen.insert((a.min(b), a.max(b)));
                }
            }
            let mut ts: Vec<(usize, usize, f64)> = chosen.into_iter().map(|(a, b)| (a, b, 0.0)).collect();
            ts.sort_by_key(|t| (t.0, t.1));
            let s = NetworkOfMinima::new(&vec![0.0; n], &ts)?.summary();
            acc.mean_degree += s.mean_degree / samples as f64;
            acc.average_shortest_path += s.average_shortest_path / samples as f64;
            acc.clustering += s.clustering / samples as f64;
            diam += s.diameter as f64 / samples as f64;
            comps += s.components as f64 / samples as f64;
        }
        acc.diameter = diam.round() as usize;
        acc.components = comps.round() as usize;
        Ok(acc)
    }
}
