//! Barrier matrices: the input of a disconnectivity graph.

use crate::error::{Error, Result};
use elm_core::check;

/// A symmetric matrix of energy barriers between `n` minima (or basins), with the minima's
/// energies on the diagonal: the input of seed 001 Alg. 2.
///
/// An off-diagonal entry is the lowest known barrier (saddle energy) between two minima, or
/// `+∞` when no path between them is known. Barriers never lie below the energies of the
/// minima they connect (an AD path, a GWL transition or an NEB band starts and ends at those
/// minima), and construction rejects such input.
///
/// # Example
/// ```
/// use elm_dg::BarrierMatrix;
/// let mut m = BarrierMatrix::from_energies(vec![-3.0, -2.0, -1.0]).unwrap();
/// m.set(0, 1, 0.0).unwrap();
/// m.set(1, 2, 1.0).unwrap();
/// // 0 and 2 are joined through 1 at the higher of the two barriers.
/// assert_eq!(m.minimax_closure().get(0, 2), 1.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawBarrierMatrix"))]
pub struct BarrierMatrix {
    n: usize,
    /// Row-major, diagonal = minimum energies. `+∞` is serialized as `null` by serde_json.
    #[cfg_attr(feature = "serde", serde(with = "infinite_as_null"))]
    values: Vec<f64>,
}

/// What a serialized matrix holds, checked by [`BarrierMatrix::from_rows`] on the way in (size,
/// symmetry, barriers above their minima).
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct RawBarrierMatrix {
    n: usize,
    #[serde(with = "infinite_as_null")]
    values: Vec<f64>,
}

#[cfg(feature = "serde")]
impl TryFrom<RawBarrierMatrix> for BarrierMatrix {
    type Error = Error;
    fn try_from(raw: RawBarrierMatrix) -> Result<Self> {
        BarrierMatrix::from_rows(raw.n, raw.values)
    }
}

#[cfg(feature = "serde")]
mod infinite_as_null {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        v.iter().map(|x| if x.is_finite() { Some(*x) } else { None }).collect::<Vec<_>>().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Ok(Vec::<Option<f64>>::deserialize(d)?.into_iter().map(|x| x.unwrap_or(f64::INFINITY)).collect())
    }
}

impl BarrierMatrix {
    /// Minima with the given energies and no known barriers (all `+∞`).
    ///
    /// # Errors
    /// [`elm_core::Error::EmptyInput`] for no minima, [`elm_core::Error::NonFinite`] for a
    /// non-finite energy.
    pub fn from_energies(energies: Vec<f64>) -> Result<Self> {
        let n = energies.len();
        if n == 0 {
            return Err(elm_core::Error::EmptyInput("minima energies").into());
        }
        check::all_finite("minima energies", &energies)?;
        let mut values = vec![f64::INFINITY; n * n];
        for (i, e) in energies.into_iter().enumerate() {
            values[i * n + i] = e;
        }
        Ok(Self { n, values })
    }

    /// A full row-major `n x n` matrix.
    ///
    /// # Errors
    /// [`elm_core::Error::DimensionMismatch`] if `values.len() != n^2`, `EmptyInput` for
    /// `n = 0`, `NonFinite` for a non-finite diagonal or a NaN anywhere,
    /// [`elm_core::Error::InvalidParameter`] for an asymmetric matrix,
    /// [`Error::BarrierBelowMinimum`] for a barrier below its minima.
    pub fn from_rows(n: usize, values: Vec<f64>) -> Result<Self> {
        if n == 0 {
            return Err(elm_core::Error::EmptyInput("barrier matrix").into());
        }
        let cells = n.checked_mul(n).ok_or_else(|| elm_core::Error::invalid("n", n, "n x n entries overflow"))?;
        check::dim("barrier matrix", cells, values.len())?;
        let mut m = Self::from_energies((0..n).map(|i| values[i * n + i]).collect())?;
        for i in 0..n {
            for j in (i + 1)..n {
                let (a, b) = (values[i * n + j], values[j * n + i]);
                if a != b && !(a.is_nan() || b.is_nan()) {
                    return Err(
                        elm_core::Error::invalid("barrier matrix", format!("({i}, {j})"), "must be symmetric").into()
                    );
                }
                m.set(i, j, a)?;
            }
        }
        Ok(m)
    }

    /// Number of minima.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always false: a barrier matrix has at least one minimum.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Energy of minimum `i`.
    pub fn energy(&self, i: usize) -> f64 {
        self.values[i * self.n + i]
    }

    /// The minima energies.
    pub fn energies(&self) -> Vec<f64> {
        (0..self.n).map(|i| self.energy(i)).collect()
    }

    /// Barrier between `i` and `j` (`+∞` if unknown; the energy of `i` if `i == j`).
    ///
    /// # Panics
    /// If `i` or `j` is not below [`BarrierMatrix::len`], like slice indexing (an index that
    /// only fits the flat storage used to read another cell); [`BarrierMatrix::try_get`] returns
    /// an error instead.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        assert!(i < self.n && j < self.n, "barrier ({i}, {j}) of a {n} x {n} matrix", n = self.n);
        self.values[i * self.n + j]
    }

    /// Barrier between `i` and `j`, or [`Error::NoSuchMinimum`].
    ///
    /// # Errors
    /// An index out of range.
    pub fn try_get(&self, i: usize, j: usize) -> Result<f64> {
        for index in [i, j] {
            if index >= self.n {
                return Err(Error::NoSuchMinimum { index, len: self.n });
            }
        }
        Ok(self.values[i * self.n + j])
    }

    /// Sets the barrier between `i != j` (symmetrically). Barriers within `1e-9` relative of
    /// the higher minimum's energy are clamped to it (rounding in estimates).
    ///
    /// # Errors
    /// [`Error::NoSuchMinimum`], `NonFinite` for NaN, `InvalidParameter` for `i == j`,
    /// [`Error::BarrierBelowMinimum`].
    pub fn set(&mut self, i: usize, j: usize, barrier: f64) -> Result<()> {
        for index in [i, j] {
            if index >= self.n {
                return Err(Error::NoSuchMinimum { index, len: self.n });
            }
        }
        if i == j {
            return Err(elm_core::Error::invalid("j", j, "a barrier joins two different minima").into());
        }
        if barrier.is_nan() {
            return Err(elm_core::Error::NonFinite("barrier").into());
        }
        let (ei, ej) = (self.energy(i), self.energy(j));
        let floor = ei.max(ej);
        if check::below_minima(barrier, ei, ej) {
            return Err(Error::BarrierBelowMinimum { i, j, barrier, ei, ej });
        }
        let b = barrier.max(floor);
        self.values[i * self.n + j] = b;
        self.values[j * self.n + i] = b;
        Ok(())
    }

    /// Lowers the barrier between `i` and `j` to `barrier` if that is lower than the current one
    /// (merging estimates from several methods or directions).
    ///
    /// # Errors
    /// As [`BarrierMatrix::set`].
    pub fn lower(&mut self, i: usize, j: usize, barrier: f64) -> Result<()> {
        if barrier < self.get(i, j) { self.set(i, j, barrier) } else { Ok(()) }
    }

    /// The minimax (single-linkage, ultrametric) closure: entry `(i, j)` becomes the lowest,
    /// over all chains `i = k_0, k_1, .., k_m = j`, of the highest barrier along the chain.
    /// This is the barrier a disconnectivity graph displays. `O(n^3)` (Floyd-Warshall).
    pub fn minimax_closure(&self) -> BarrierMatrix {
        let n = self.n;
        let mut v = self.values.clone();
        for k in 0..n {
            for i in 0..n {
                let ik = v[i * n + k];
                if ik == f64::INFINITY || i == k {
                    continue;
                }
                for j in 0..n {
                    if i == j {
                        continue;
                    }
                    let via = ik.max(v[k * n + j]);
                    if via < v[i * n + j] {
                        v[i * n + j] = via;
                    }
                }
            }
        }
        BarrierMatrix { n, values: v }
    }

    /// The matrix restricted to the minima `indices` (in that order).
    ///
    /// # Errors
    /// [`Error::NoSuchMinimum`] for an index out of range, `EmptyInput` for no indices.
    pub fn restrict(&self, indices: &[usize]) -> Result<BarrierMatrix> {
        if indices.is_empty() {
            return Err(elm_core::Error::EmptyInput("minima to keep").into());
        }
        if let Some(&index) = indices.iter().find(|&&i| i >= self.n) {
            return Err(Error::NoSuchMinimum { index, len: self.n });
        }
        let m = indices.len();
        let values = indices.iter().flat_map(|&i| indices.iter().map(move |&j| (i, j))).map(|(i, j)| self.get(i, j));
        let values: Vec<f64> = values.collect();
        debug_assert_eq!(values.len(), m * m);
        Ok(BarrierMatrix { n: m, values })
    }
}
