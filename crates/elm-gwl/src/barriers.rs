//! Barriers between the lowest GWL minima.

use crate::error::Result;
use crate::gwl::GwlRecord;
use elm_core::DiscreteEnergy;
use elm_dg::BarrierMatrix;
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

/// How the barrier between two recorded minima was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BarrierSource {
    /// The bottleneck of the chain's transitions (refined by ridge descent), possibly through
    /// basins outside the recorded set.
    Transitions,
    /// Greedy interpolation (seed 000 Sec. 5.1), the lower of both directions.
    Greedy,
}

/// Barriers between the `minima` (basin ids) of a GWL record.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GwlBarriers {
    /// Basin ids, lowest first.
    pub minima: Vec<u32>,
    /// The lower of the two estimates, minima energies on the diagonal.
    pub matrix: BarrierMatrix,
    /// Row-major: which estimate won (`None` on the diagonal and where neither exists).
    pub source: Vec<Option<BarrierSource>>,
    /// Row-major transition bottleneck (`+∞` if the chain never connected them).
    pub transitions: Vec<f64>,
    /// Row-major greedy barrier.
    pub greedy: Vec<f64>,
}

#[derive(PartialEq)]
struct Item(f64, u32);
impl Eq for Item {}
impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Item {
    fn cmp(&self, other: &Self) -> Ordering {
        // Min-heap on the bottleneck value.
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

/// Bottleneck (minimax) distances from `source` over the transition graph.
fn bottleneck(adj: &HashMap<u32, Vec<(u32, f64)>>, energies: &[f64], source: u32) -> HashMap<u32, f64> {
    let mut best: HashMap<u32, f64> = HashMap::new();
    let mut heap = BinaryHeap::new();
    best.insert(source, energies[source as usize]);
    heap.push(Item(energies[source as usize], source));
    while let Some(Item(d, u)) = heap.pop() {
        if d > best.get(&u).copied().unwrap_or(f64::INFINITY) {
            continue;
        }
        for &(v, w) in adj.get(&u).map(Vec::as_slice).unwrap_or(&[]) {
            let nd = d.max(w).max(energies[v as usize]);
            if nd < best.get(&v).copied().unwrap_or(f64::INFINITY) {
                best.insert(v, nd);
                heap.push(Item(nd, v));
            }
        }
    }
    best
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
        let mut adj: HashMap<u32, Vec<(u32, f64)>> = HashMap::new();
        for &((a, b), w) in &self.transitions {
            adj.entry(a).or_default().push((b, w));
            adj.entry(b).or_default().push((a, w));
        }
        let rows: Vec<Vec<f64>> = minima
            .par_iter()
            .map(|&s| {
                let best = bottleneck(&adj, &energies, s);
                minima.iter().map(|t| best.get(t).copied().unwrap_or(f64::INFINITY)).collect()
            })
            .collect();
        let transitions: Vec<f64> = rows.into_iter().flatten().collect();
        let pairs: Vec<(usize, usize)> = (0..n).flat_map(|i| ((i + 1)..n).map(move |j| (i, j))).collect();
        let greedy_pairs: Vec<Result<f64>> = pairs
            .par_iter()
            .map(|&(i, j)| {
                let (a, b) = (&self.basins[minima[i] as usize].minimum, &self.basins[minima[j] as usize].minimum);
                Ok(elm_ad::greedy_barrier(energy, a, b)?)
            })
            .collect();
        let mut greedy = vec![f64::INFINITY; n * n];
        let mut matrix = BarrierMatrix::from_energies(minima.iter().map(|&m| energies[m as usize]).collect())?;
        let mut source = vec![None; n * n];
        for (&(i, j), g) in pairs.iter().zip(greedy_pairs) {
            let g = g?;
            greedy[i * n + j] = g;
            greedy[j * n + i] = g;
            let t = transitions[i * n + j];
            let (value, src) = if t <= g { (t, BarrierSource::Transitions) } else { (g, BarrierSource::Greedy) };
            matrix.set(i, j, value)?;
            source[i * n + j] = Some(src);
            source[j * n + i] = Some(src);
        }
        for i in 0..n {
            greedy[i * n + i] = energies[minima[i] as usize];
        }
        Ok(GwlBarriers { minima: minima.to_vec(), matrix, source, transitions, greedy })
    }
}
