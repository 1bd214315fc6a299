//! Barriers between the lowest GWL minima.

use crate::error::Result;
use crate::gwl::GwlRecord;
use elm_core::DiscreteEnergy;
use elm_core::{BarrierMatrix, BarrierSource};
use rayon::prelude::*;
use std::collections::HashMap;

/// Barriers between the `minima` (basin ids) of a GWL record.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GwlBarriers {
    /// Basin ids, lowest first.
    pub minima: Vec<u32>,
    /// The lower of the two estimates, minima energies on the diagonal; each entry's
    /// [`BarrierMatrix::source`] says which won ([`BarrierSource::GwlTransition`]: the
    /// bottleneck of the chain's transitions, refined by ridge descent, possibly through basins
    /// outside the recorded set; [`BarrierSource::Greedy`]: greedy interpolation, seed 000
    /// Sec. 5.1, the lower of both directions).
    pub matrix: BarrierMatrix,
    /// Row-major transition bottleneck (`+∞` if the chain never connected them).
    pub transitions: Vec<f64>,
    /// Row-major greedy barrier.
    pub greedy: Vec<f64>,
}

/// Minimax (bottleneck) barriers between the `terminals` over the transition graph, all pairs
/// at once: Kruskal's algorithm on the transitions in increasing order, and when two components
/// first join, every terminal pair across them gets that transition's energy (never below the
/// pair's own minima). `O(E log E + t²)` for `E` transitions and `t` terminals — the per-source
/// Dijkstra it replaces cost `O(t E log E)`, hours on a 5·10^7-step SK-100 record.
fn bottlenecks(transitions: &[((u32, u32), f64)], energies: &[f64], terminals: &[u32]) -> Vec<f64> {
    let t = terminals.len();
    let mut out = vec![f64::INFINITY; t * t];
    for (k, &m) in terminals.iter().enumerate() {
        out[k * t + k] = energies[m as usize];
    }
    let mut edges: Vec<(f64, u32, u32)> =
        transitions.iter().filter(|(_, w)| !w.is_nan()).map(|&((a, b), w)| (w, a, b)).collect();
    edges.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let n = energies.len();
    let mut uf = petgraph::unionfind::UnionFind::<usize>::new(n);
    // Terminal positions in each component, kept at its union-find root.
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, &m) in terminals.iter().enumerate() {
        members.entry(m as usize).or_default().push(k);
    }
    for (w, a, b) in edges {
        let (ra, rb) = (uf.find(a as usize), uf.find(b as usize));
        if ra == rb {
            continue;
        }
        let ma = members.remove(&ra).unwrap_or_default();
        let mb = members.remove(&rb).unwrap_or_default();
        for &i in &ma {
            for &j in &mb {
                let floor = energies[terminals[i] as usize].max(energies[terminals[j] as usize]);
                let v = w.max(floor);
                out[i * t + j] = v;
                out[j * t + i] = v;
            }
        }
        uf.union(ra, rb);
        let root = uf.find(ra);
        let mut joined = ma;
        joined.extend(mb);
        if !joined.is_empty() {
            members.insert(root, joined);
        }
    }
    out
}

impl GwlRecord {
    /// Barriers between the basins `minima` (e.g. [`GwlRecord::lowest_minima`]) by the two
    /// methods of seed 000 Sec. 5.1 — (1) transitions between basins along the chain, refined by
    /// ridge descent, combined through any intermediate basins by a bottleneck search; (2) greedy
    /// interpolation in both directions — keeping the lower. Pairs run in parallel.
    ///
    /// # Errors
    /// Invalid states for `energy` (a record of another energy); `InvalidParameter` for a basin
    /// id that is not in the record.
    pub fn barriers<E: DiscreteEnergy + ?Sized>(&self, energy: &E, minima: &[u32]) -> Result<GwlBarriers> {
        if let Some(&id) = minima.iter().find(|&&id| id as usize >= self.basins.len()) {
            return Err(elm_core::Error::invalid("basin id", id, "not in the record").into());
        }
        let n = minima.len();
        let energies: Vec<f64> = self.basins.iter().map(|b| b.energy).collect();
        let transitions = bottlenecks(&self.transitions, &energies, minima);
        let pairs: Vec<(usize, usize)> = (0..n).flat_map(|i| ((i + 1)..n).map(move |j| (i, j))).collect();
        let greedy_pairs: Vec<Result<f64>> = pairs
            .par_iter()
            .map(|&(i, j)| {
                let (a, b) = (&self.basins[minima[i] as usize].minimum, &self.basins[minima[j] as usize].minimum);
                Ok(elm_core::greedy::greedy_barrier(energy, a, b)?)
            })
            .collect();
        let mut greedy = vec![f64::INFINITY; n * n];
        let mut matrix = BarrierMatrix::from_energies(minima.iter().map(|&m| energies[m as usize]).collect())?;
        for (&(i, j), g) in pairs.iter().zip(greedy_pairs) {
            let g = g?;
            greedy[i * n + j] = g;
            greedy[j * n + i] = g;
            let t = transitions[i * n + j];
            let (value, src) = if t <= g { (t, BarrierSource::GwlTransition) } else { (g, BarrierSource::Greedy) };
            matrix.set_from(i, j, value, src)?;
        }
        for i in 0..n {
            greedy[i * n + i] = energies[minima[i] as usize];
        }
        Ok(GwlBarriers { minima: minima.to_vec(), matrix, transitions, greedy })
    }
}

#[cfg(test)]
mod tests {
    use super::bottlenecks;
    use rand::{RngExt, SeedableRng};

    /// The all-pairs Kruskal bottleneck equals a brute-force minimax closure (Floyd-Warshall
    /// over the transition graph, then never below either terminal's own energy) on random
    /// sparse graphs with repeated edges, NaN weights (ignored) and disconnected parts.
    #[test]
    fn kruskal_bottlenecks_equal_the_minimax_closure() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        for case in 0..200 {
            let n = rng.random_range(1..12usize);
            let energies: Vec<f64> = (0..n).map(|_| rng.random_range(-5.0..0.0)).collect();
            let mut transitions = vec![];
            for _ in 0..rng.random_range(0..2 * n) {
                let (a, b) = (rng.random_range(0..n) as u32, rng.random_range(0..n) as u32);
                let w = if rng.random_bool(0.05) { f64::NAN } else { rng.random_range(-4.0..3.0) };
                transitions.push(((a, b), w));
            }
            let terminals: Vec<u32> = (0..n as u32).filter(|_| rng.random_bool(0.7)).collect();
            let got = bottlenecks(&transitions, &energies, &terminals);
            // Brute force.
            let mut mm = vec![f64::INFINITY; n * n];
            for &((a, b), w) in &transitions {
                if w.is_nan() || a == b {
                    continue;
                }
                let (a, b) = (a as usize, b as usize);
                mm[a * n + b] = mm[a * n + b].min(w);
                mm[b * n + a] = mm[a * n + b];
            }
            for k in 0..n {
                for i in 0..n {
                    for j in 0..n {
                        let via = mm[i * n + k].max(mm[k * n + j]);
                        if i != j && via < mm[i * n + j] {
                            mm[i * n + j] = via;
                        }
                    }
                }
            }
            let t = terminals.len();
            for (x, &a) in terminals.iter().enumerate() {
                for (y, &b) in terminals.iter().enumerate() {
                    let (a, b) = (a as usize, b as usize);
                    let want = if x == y { energies[a] } else { mm[a * n + b].max(energies[a]).max(energies[b]) };
                    assert_eq!(got[x * t + y], want, "case {case}: terminals {a}, {b}");
                }
            }
        }
    }
}
