//! Basins of attraction under steepest single-site descent, with a cache.

use elm_core::{DiscreteEnergy, DiscreteState};
use std::collections::HashMap;

/// Packs a level vector of a 2-level (or any <= 2-level) energy into 64-bit words; other energies
/// use one byte per site. Used as the cache key.
pub(crate) fn pack(s: &[u8], levels: usize) -> Vec<u64> {
    if levels <= 2 {
        let mut words = vec![0u64; s.len().div_ceil(64)];
        for (i, &l) in s.iter().enumerate() {
            words[i / 64] |= u64::from(l) << (i % 64);
        }
        words
    } else {
        s.chunks(8).map(|c| c.iter().enumerate().fold(0u64, |w, (k, &l)| w | (u64::from(l) << (8 * k)))).collect()
    }
}

/// The steepest single-site move of `state`: `(site, level, delta)` with the most negative delta
/// (ties: lowest site, then lowest level), or `None` at a single-site local minimum.
pub(crate) fn steepest_move<E: DiscreteEnergy + ?Sized>(
    energy: &E,
    state: &DiscreteState,
    scratch: &mut [f64],
) -> Option<(usize, u8, f64)> {
    let mut best: Option<(usize, u8, f64)> = None;
    for i in 0..state.len() {
        state.delta_levels(energy, i, scratch);
        for (v, &d) in scratch.iter().enumerate() {
            if d < -1e-12 && best.is_none_or(|b| d < b.2) {
                best = Some((i, v as u8, d));
            }
        }
    }
    best
}

/// Maps states to the minimum of their basin under deterministic steepest descent, caching every
/// state met on a descent path.
///
/// The lookup a GWL step needs is `basin(S*)` for `S*` one flip away from the current state `S`,
/// whose basin is known. Steepest descent is deterministic, so if the steepest move from `S*` is
/// the flip back to `S`, the descent from `S*` passes through `S` and `basin(S*) = basin(S)` —
/// an `O(n)` check with local fields and no descent at all. Only otherwise is the cache consulted,
/// and then a descent run, stopping at the first cached state.
#[derive(Debug)]
pub(crate) struct BasinOracle {
    cache: HashMap<Vec<u64>, u32>,
    capacity: usize,
    levels: usize,
    scratch: Vec<f64>,
    /// Lookups answered by the reverse-move shortcut, by the cache, and by descents.
    pub(crate) stats: [u64; 3],
}

impl BasinOracle {
    pub(crate) fn new(levels: usize, capacity: usize) -> Self {
        Self { cache: HashMap::new(), capacity, levels, scratch: vec![0.0; levels], stats: [0; 3] }
    }

    /// The minimum state (levels) of the basin of `state`, with `register` turning a minimum into
    /// its id. `came_from = Some((site, basin))` when `state` was reached from a state of known
    /// basin by changing `site`.
    pub(crate) fn basin<E: DiscreteEnergy + ?Sized>(
        &mut self,
        energy: &E,
        state: &DiscreteState,
        came_from: Option<(usize, u32)>,
        register: &mut dyn FnMut(&DiscreteState) -> u32,
    ) -> u32 {
        let first = steepest_move(energy, state, &mut self.scratch);
        let Some(first) = first else {
            return register(state);
        };
        if let Some((site, basin)) = came_from
            && first.0 == site
        {
            self.stats[0] += 1;
            return basin;
        }
        let key = pack(state.as_slice(), self.levels);
        if let Some(&b) = self.cache.get(&key) {
            self.stats[1] += 1;
            return b;
        }
        self.stats[2] += 1;
        let mut path = vec![key];
        let mut s = state.clone();
        s.set_with_delta(energy, first.0, first.1, first.2);
        let b = loop {
            let k = pack(s.as_slice(), self.levels);
            if let Some(&b) = self.cache.get(&k) {
                break b;
            }
            match steepest_move(energy, &s, &mut self.scratch) {
                Some((i, v, d)) => {
                    path.push(k);
                    s.set_with_delta(energy, i, v, d);
                }
                None => {
                    s.resync(energy);
                    break register(&s);
                }
            }
        };
        if self.cache.len() + path.len() > self.capacity {
            self.cache.clear();
        }
        for k in path {
            self.cache.insert(k, b);
        }
        b
    }
}
