//! Basins of attraction under steepest single-site descent, with a cache.

use elm_core::{DiscreteEnergy, DiscreteState};
use rustc_hash::FxHashMap;

/// A state packed into 64-bit words (one bit per site for 2 levels, one byte per site
/// otherwise): inline for up to 128 bits (SK-100 and smaller need no allocation), boxed beyond.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum StateKey {
    /// Up to two words.
    Small([u64; 2]),
    /// More.
    Large(Box<[u64]>),
}

impl StateKey {
    /// The key after site `i` changes to level `v` (`levels` as in [`pack`]): one bit or one
    /// byte changes, so a chain of single-site moves keys its states in `O(1)` each.
    pub(crate) fn set(&mut self, i: usize, v: u8, levels: usize) {
        let (bits, per_word) = if levels <= 2 { (1, 64) } else { (8, 8) };
        let shift = bits * (i % per_word);
        let mask = if bits == 1 { 1u64 } else { 0xff };
        let word = match self {
            StateKey::Small(w) => &mut w[i / per_word],
            StateKey::Large(w) => &mut w[i / per_word],
        };
        *word = (*word & !(mask << shift)) | (u64::from(v) << shift);
    }
}

/// Packs a level vector into a [`StateKey`]. Used as the cache and index key.
pub(crate) fn pack(s: &[u8], levels: usize) -> StateKey {
    let (bits, per_word) = if levels <= 2 { (1, 64) } else { (8, 8) };
    let words = s.len().div_ceil(per_word);
    let word = |w: usize| {
        s[w * per_word..((w + 1) * per_word).min(s.len())]
            .iter()
            .enumerate()
            .fold(0u64, |acc, (k, &l)| acc | (u64::from(l) << (bits * k)))
    };
    if words <= 2 {
        StateKey::Small([word(0), if words == 2 { word(1) } else { 0 }])
    } else {
        StateKey::Large((0..words).map(word).collect())
    }
}

/// The steepest single-site move of `state`, the step of GWL's deterministic descent.
pub(crate) fn steepest_move<E: DiscreteEnergy + ?Sized>(energy: &E, state: &DiscreteState) -> Option<(usize, u8, f64)> {
    energy.steepest_move(state.as_slice(), state.aux(), 1e-12)
}

/// Maps states to the minimum of their basin under deterministic steepest descent, caching every
/// state met on a descent path.
///
/// The lookup a GWL step needs is `basin(S*)` for `S*` one flip away from the current state `S`,
/// whose basin is known. The cache is consulted first (keys are updated incrementally, one bit
/// per flip). Steepest descent is deterministic, so if the steepest move from `S*` is
/// the flip back to `S`, the descent from `S*` passes through `S` and `basin(S*) = basin(S)` —
/// an `O(n)` check with local fields and no descent at all. Only otherwise is the cache consulted,
/// and then a descent run, stopping at the first cached state.
#[derive(Debug)]
pub(crate) struct BasinOracle {
    cache: FxHashMap<StateKey, u32>,
    capacity: usize,
    levels: usize,
    /// Lookups answered by the reverse-move shortcut, by the cache, and by descents.
    pub(crate) stats: [u64; 3],
    /// Reused descent buffers.
    path: Vec<StateKey>,
    work: Option<DiscreteState>,
}

impl BasinOracle {
    pub(crate) fn new(levels: usize, capacity: usize) -> Self {
        Self { cache: FxHashMap::default(), capacity, levels, stats: [0; 3], path: Vec::new(), work: None }
    }

    /// The minimum state (levels) of the basin of `state`, with `register` turning a minimum into
    /// its id. `came_from = Some((site, basin))` when `state` was reached from a state of known
    /// basin by changing `site`.
    pub(crate) fn basin<E: DiscreteEnergy + ?Sized>(
        &mut self,
        energy: &E,
        state: &DiscreteState,
        key: &StateKey,
        came_from: Option<(usize, u32)>,
        register: &mut dyn FnMut(&DiscreteState) -> u32,
    ) -> u32 {
        if let Some(&b) = self.cache.get(key) {
            self.stats[1] += 1;
            return b;
        }
        let first = steepest_move(energy, state);
        let Some(first) = first else {
            return register(state);
        };
        if let Some((site, basin)) = came_from
            && first.0 == site
        {
            self.stats[0] += 1;
            return basin;
        }
        self.stats[2] += 1;
        let mut path = std::mem::take(&mut self.path);
        path.clear();
        path.push(key.clone());
        let mut s = self.work.take().unwrap_or_else(|| state.clone());
        s.clone_from(state);
        let mut k = key.clone();
        s.set_with_delta(energy, first.0, first.1, first.2);
        k.set(first.0, first.1, self.levels);
        let b = loop {
            if let Some(&b) = self.cache.get(&k) {
                break b;
            }
            match steepest_move(energy, &s) {
                Some((i, v, d)) => {
                    path.push(k.clone());
                    s.set_with_delta(energy, i, v, d);
                    k.set(i, v, self.levels);
                }
                // The running energy of a descent of a few dozen moves is exact to rounding;
                // recomputing it (O(n^2) for SK) here cost a third of all GWL time.
                None => break register(&s),
            }
        };
        if self.cache.len() + path.len() > self.capacity {
            self.cache.clear();
        }
        for k in path.drain(..) {
            self.cache.insert(k, b);
        }
        self.path = path;
        self.work = Some(s);
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use elm_core::DiscreteDescent;
    use elm_core::reference::SherringtonKirkpatrick;
    use rand::{RngExt, SeedableRng};
    use std::collections::HashMap;

    fn rng(seed: u64) -> rand_xoshiro::Xoshiro256PlusPlus {
        rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed)
    }

    /// `StateKey::set` after a change equals packing the changed state, for bit keys (2 levels)
    /// and byte keys (8 levels), inline (<= 128 bits) and boxed.
    #[test]
    fn incremental_keys_equal_packed_keys() {
        let mut r = rng(1);
        for (sites, levels) in [(10, 2), (100, 2), (128, 2), (129, 2), (300, 2), (16, 8), (17, 8), (40, 8)] {
            let mut s: Vec<u8> = (0..sites).map(|_| r.random_range(0..levels as u8)).collect();
            let mut key = pack(&s, levels);
            for _ in 0..200 {
                let (i, v) = (r.random_range(0..sites), r.random_range(0..levels as u8));
                s[i] = v;
                key.set(i, v, levels);
                assert_eq!(key, pack(&s, levels), "{sites} sites, {levels} levels");
            }
            assert_eq!(matches!(key, StateKey::Small(_)), sites * if levels <= 2 { 1 } else { 8 } <= 128);
        }
    }

    /// Every one of the 4096 states of an SK-12 glass, looked up by a chain of single flips (so
    /// the reverse-move shortcut and the cache both answer), lands in the basin plain steepest
    /// descent finds — also with a cache so small it is cleared all the time.
    #[test]
    fn the_oracle_agrees_with_plain_descent_on_every_state() {
        let sk = SherringtonKirkpatrick::sample(12, &mut rng(7)).unwrap();
        for capacity in [1 << 20, 8] {
            let mut oracle = BasinOracle::new(2, capacity);
            let mut ids: HashMap<Vec<u8>, u32> = HashMap::new();
            let mut register = |s: &DiscreteState| {
                let next = ids.len() as u32;
                *ids.entry(s.as_slice().to_vec()).or_insert(next)
            };
            // Gray-code order: each state one flip from the last, as along a GWL chain.
            let mut state = DiscreteState::new(&sk, vec![0; 12]).unwrap();
            let mut key = pack(state.as_slice(), 2);
            let mut basin = oracle.basin(&sk, &state, &key, None, &mut register);
            let mut found = vec![basin];
            for g in 1u32..4096 {
                let site = g.trailing_zeros() as usize;
                let v = 1 - state.get(site);
                state.set(&sk, site, v);
                key.set(site, v, 2);
                basin = oracle.basin(&sk, &state, &key, Some((site, basin)), &mut register);
                found.push(basin);
            }
            let lookups: u64 = oracle.stats.iter().sum();
            assert!(lookups <= 4096 && oracle.stats[0] > 0 && oracle.stats[2] > 0, "{:?}", oracle.stats);
            let by_id: HashMap<u32, Vec<u8>> = ids.iter().map(|(s, &id)| (id, s.clone())).collect();
            let mut s = vec![0u8; 12];
            for (g, &b) in (0u32..4096).zip(&found) {
                let gray = g ^ (g >> 1);
                for (i, x) in s.iter_mut().enumerate() {
                    *x = ((gray >> i) & 1) as u8;
                }
                let mut d = DiscreteState::new(&sk, s.clone()).unwrap();
                DiscreteDescent::default().minimize(&sk, &mut d).unwrap();
                assert_eq!(by_id[&b], d.as_slice(), "state {gray:012b}, cache capacity {capacity}");
            }
        }
    }
}
