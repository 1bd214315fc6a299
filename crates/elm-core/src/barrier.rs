//! Barrier matrices: the workspace's one barrier type, made by every barrier method (AD
//! barrier estimation, greedy interpolation, GWL transitions, NEB and string bands, exact
//! flooding) and read by every consumer (disconnectivity graphs, comparisons, networks).

use crate::error::{Error, Result, check};

/// Where a barrier of a [`BarrierMatrix`] came from (ARCHITECTURE.md §3: every barrier keeps
/// its provenance, because the methods differ in what they guarantee).
///
/// | source | guarantee |
/// |---|---|
/// | `Exact` | the minimax barrier (enumeration, grid flooding) |
/// | `Ad` | discrete: an upper bound (a walked path); continuous: a sampled path maximum, can undershoot a saddle by `~|λ|ε²/8` (seed 000 Sec. 3.4) |
/// | `Greedy` | an upper bound (a walked single-site path, seed 000 Sec. 5.1) |
/// | `Band` | the highest image of a converged NEB / string band: an upper bound, tight with a climbing image (seed 003) |
/// | `GwlTransition` | the lowest energy level at which GWL saw the two basins meet (seed 000 Sec. 5.1): exact within the level width when GWL has converged |
/// | `Chain` | implied by a chain of other barriers (minimax closure) |
/// | `Given` | set by the caller with [`BarrierMatrix::set`] |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum BarrierSource {
    /// Exact: enumeration of a small system or flooding of a fine grid.
    Exact,
    /// Attraction-Diffusion trials (elm-ad's barrier estimation or ADELM's own trials).
    Ad,
    /// Greedy interpolation between discrete states.
    Greedy,
    /// A band method (NEB, climbing image, string, AutoNEB) or a saddle search.
    Band,
    /// A basin-to-basin transition observed by Generalized Wang-Landau.
    GwlTransition,
    /// A chain of other barriers (the minimax closure of a matrix).
    Chain,
    /// Set by the caller without a named method.
    Given,
}

impl std::fmt::Display for BarrierSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BarrierSource::Exact => "exact",
            BarrierSource::Ad => "AD",
            BarrierSource::Greedy => "greedy interpolation",
            BarrierSource::Band => "band",
            BarrierSource::GwlTransition => "GWL transition",
            BarrierSource::Chain => "chain",
            BarrierSource::Given => "given",
        })
    }
}

/// A symmetric matrix of energy barriers between `n` minima (or basins), with the minima's
/// energies on the diagonal: the input of seed 001 Alg. 2, and what every barrier method of the
/// workspace produces.
///
/// An off-diagonal entry is the lowest known barrier (saddle energy) between two minima, or
/// `+∞` when no path between them is known — the one way "unknown" is written
/// ([`BarrierMatrix::unknown_pairs`] lists them). Each known entry keeps its
/// [`BarrierSource`]. Barriers never lie below the energies of the
/// minima they connect (an AD path, a GWL transition or an NEB band starts and ends at those
/// minima), and construction rejects such input.
///
/// # Example
/// ```
/// use elm_core::{BarrierMatrix, BarrierSource};
/// let mut m = BarrierMatrix::from_energies(vec![-3.0, -2.0, -1.0]).unwrap();
/// m.set_from(0, 1, 0.0, BarrierSource::Exact).unwrap();
/// m.set(1, 2, 1.0).unwrap();
/// assert_eq!(m.unknown_pairs(), vec![(0, 2)]);
/// // 0 and 2 are joined through 1 at the higher of the two barriers.
/// let closed = m.minimax_closure();
/// assert_eq!(closed.get(0, 2), 1.0);
/// assert_eq!(closed.source(0, 2), Some(BarrierSource::Chain));
/// assert_eq!(closed.source(0, 1), Some(BarrierSource::Exact));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawBarrierMatrix"))]
pub struct BarrierMatrix {
    n: usize,
    /// Row-major, diagonal = minimum energies. `+∞` is serialized as `null` by serde_json.
    #[cfg_attr(feature = "serde", serde(with = "crate::checkpoint::infinite_as_null_vec"))]
    values: Vec<f64>,
    /// Row-major provenance (`None` on the diagonal and for unknown entries).
    sources: Vec<Option<BarrierSource>>,
}

/// What a serialized matrix holds, checked by [`BarrierMatrix::from_rows`] on the way in (size,
/// symmetry, barriers above their minima).
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct RawBarrierMatrix {
    n: usize,
    #[serde(with = "crate::checkpoint::infinite_as_null_vec")]
    values: Vec<f64>,
    /// Absent in files written before provenance was kept: every known barrier reads as
    /// [`BarrierSource::Given`].
    #[serde(default)]
    sources: Option<Vec<Option<BarrierSource>>>,
}

#[cfg(feature = "serde")]
impl TryFrom<RawBarrierMatrix> for BarrierMatrix {
    type Error = Error;
    fn try_from(raw: RawBarrierMatrix) -> Result<Self> {
        let mut m = BarrierMatrix::from_rows(raw.n, raw.values)?;
        if let Some(sources) = raw.sources {
            check::dim("barrier sources", m.values.len(), sources.len())?;
            for (k, s) in sources.into_iter().enumerate() {
                if m.values[k].is_finite() && k / m.n != k % m.n {
                    m.sources[k] = s.or(Some(BarrierSource::Given));
                }
            }
        }
        Ok(m)
    }
}

impl BarrierMatrix {
    /// Minima with the given energies and no known barriers (all `+∞`).
    ///
    /// # Errors
    /// [`Error::EmptyInput`] for no minima, [`Error::NonFinite`] for a non-finite energy.
    pub fn from_energies(energies: Vec<f64>) -> Result<Self> {
        let n = energies.len();
        if n == 0 {
            return Err(Error::EmptyInput("minima energies"));
        }
        check::all_finite("minima energies", &energies)?;
        let mut values = vec![f64::INFINITY; n * n];
        for (i, e) in energies.into_iter().enumerate() {
            values[i * n + i] = e;
        }
        Ok(Self { n, sources: vec![None; n * n], values })
    }

    /// Minima with the given energies and the barriers of one method: `barriers` is row-major
    /// `n x n` with `None` for pairs the method did not connect (the diagonal is ignored); of
    /// two different directed values `(i, j)`, `(j, i)` the lower is kept.
    ///
    /// # Errors
    /// As [`BarrierMatrix::from_energies`] and [`BarrierMatrix::set_from`];
    /// `DimensionMismatch` if `barriers.len() != n^2`.
    ///
    /// # Example
    /// ```
    /// use elm_core::{BarrierMatrix, BarrierSource};
    /// let m = BarrierMatrix::from_estimates(vec![0.0, 1.0], &[None, Some(3.0), None, None], BarrierSource::Ad).unwrap();
    /// assert_eq!((m.get(1, 0), m.source(1, 0)), (3.0, Some(BarrierSource::Ad)));
    /// ```
    pub fn from_estimates(energies: Vec<f64>, barriers: &[Option<f64>], source: BarrierSource) -> Result<Self> {
        let mut m = Self::from_energies(energies)?;
        let n = m.n;
        check::dim("barrier estimates", n * n, barriers.len())?;
        for i in 0..n {
            for j in 0..n {
                if let (true, Some(b)) = (i != j, barriers[i * n + j]) {
                    m.lower_from(i, j, b, source)?;
                }
            }
        }
        Ok(m)
    }

    /// A full row-major `n x n` matrix.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `values.len() != n^2`, `EmptyInput` for `n = 0`,
    /// `NonFinite` for a non-finite diagonal or a NaN anywhere, [`Error::InvalidParameter`]
    /// for an asymmetric matrix, [`Error::BarrierBelowMinimum`] for a barrier below its minima.
    /// Every finite barrier gets [`BarrierSource::Given`].
    pub fn from_rows(n: usize, values: Vec<f64>) -> Result<Self> {
        if n == 0 {
            return Err(Error::EmptyInput("barrier matrix"));
        }
        let cells = n.checked_mul(n).ok_or_else(|| Error::invalid("n", n, "n x n entries overflow"))?;
        check::dim("barrier matrix", cells, values.len())?;
        let mut m = Self::from_energies((0..n).map(|i| values[i * n + i]).collect())?;
        for i in 0..n {
            for j in (i + 1)..n {
                let (a, b) = (values[i * n + j], values[j * n + i]);
                if a != b && !(a.is_nan() || b.is_nan()) {
                    return Err(Error::invalid("barrier matrix", format!("({i}, {j})"), "must be symmetric"));
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

    /// Where the barrier between `i != j` came from (`None` if unknown, or for `i == j`).
    ///
    /// # Panics
    /// As [`BarrierMatrix::get`].
    pub fn source(&self, i: usize, j: usize) -> Option<BarrierSource> {
        assert!(i < self.n && j < self.n, "barrier ({i}, {j}) of a {n} x {n} matrix", n = self.n);
        self.sources[i * self.n + j]
    }

    /// The pairs `i < j` with no known barrier (`+∞`), in row order.
    pub fn unknown_pairs(&self) -> Vec<(usize, usize)> {
        let n = self.n;
        (0..n)
            .flat_map(|i| ((i + 1)..n).map(move |j| (i, j)))
            .filter(|&(i, j)| self.values[i * n + j].is_infinite())
            .collect()
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

    /// Sets the barrier between `i != j` (symmetrically), with source [`BarrierSource::Given`].
    /// Barriers within `1e-9` relative of the higher minimum's energy are clamped to it
    /// (rounding in estimates); `+∞` makes the pair unknown.
    ///
    /// # Errors
    /// [`Error::NoSuchMinimum`], `NonFinite` for NaN, `InvalidParameter` for `i == j`,
    /// [`Error::BarrierBelowMinimum`].
    pub fn set(&mut self, i: usize, j: usize, barrier: f64) -> Result<()> {
        self.set_from(i, j, barrier, BarrierSource::Given)
    }

    /// [`BarrierMatrix::set`] with the barrier's provenance.
    ///
    /// # Errors
    /// As [`BarrierMatrix::set`].
    pub fn set_from(&mut self, i: usize, j: usize, barrier: f64, source: BarrierSource) -> Result<()> {
        for index in [i, j] {
            if index >= self.n {
                return Err(Error::NoSuchMinimum { index, len: self.n });
            }
        }
        if i == j {
            return Err(Error::invalid("j", j, "a barrier joins two different minima"));
        }
        if barrier.is_nan() {
            return Err(Error::NonFinite("barrier"));
        }
        let (ei, ej) = (self.energy(i), self.energy(j));
        let floor = ei.max(ej);
        if check::below_minima(barrier, ei, ej) {
            return Err(Error::BarrierBelowMinimum { i, j, barrier, ei, ej });
        }
        let b = barrier.max(floor);
        let source = b.is_finite().then_some(source);
        for k in [i * self.n + j, j * self.n + i] {
            self.values[k] = b;
            self.sources[k] = source;
        }
        Ok(())
    }

    /// Lowers the barrier between `i` and `j` to `barrier` if that is lower than the current one
    /// (merging estimates from several methods or directions), with source
    /// [`BarrierSource::Given`].
    ///
    /// # Errors
    /// As [`BarrierMatrix::set`].
    pub fn lower(&mut self, i: usize, j: usize, barrier: f64) -> Result<()> {
        self.lower_from(i, j, barrier, BarrierSource::Given)
    }

    /// [`BarrierMatrix::lower`] with the barrier's provenance (kept only when it lowers the
    /// entry).
    ///
    /// # Errors
    /// As [`BarrierMatrix::set`].
    pub fn lower_from(&mut self, i: usize, j: usize, barrier: f64, source: BarrierSource) -> Result<()> {
        if barrier < self.try_get(i, j)? { self.set_from(i, j, barrier, source) } else { Ok(()) }
    }

    /// Every known barrier of `other` (over the same minima) that is lower than this matrix's,
    /// with its source: the merge of two methods' estimates.
    ///
    /// # Errors
    /// `DimensionMismatch` for a different number of minima, `InvalidParameter` for different
    /// minimum energies.
    pub fn merge_lower(&mut self, other: &BarrierMatrix) -> Result<()> {
        check::dim("barrier matrix to merge", self.n, other.n)?;
        if (0..self.n).any(|i| self.energy(i) != other.energy(i)) {
            return Err(Error::invalid("other", "matrix", "the minima energies differ"));
        }
        for i in 0..self.n {
            for j in (i + 1)..self.n {
                if let Some(s) = other.source(i, j) {
                    self.lower_from(i, j, other.get(i, j), s)?;
                }
            }
        }
        Ok(())
    }

    /// The minimax (single-linkage, ultrametric) closure: entry `(i, j)` becomes the lowest,
    /// over all chains `i = k_0, k_1, .., k_m = j`, of the highest barrier along the chain.
    /// This is the barrier a disconnectivity graph displays. `O(n^3)` (Floyd-Warshall).
    pub fn minimax_closure(&self) -> BarrierMatrix {
        let n = self.n;
        let mut v = self.values.clone();
        let mut sources = self.sources.clone();
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
                        sources[i * n + j] = Some(BarrierSource::Chain);
                    }
                }
            }
        }
        BarrierMatrix { n, values: v, sources }
    }

    /// The matrix restricted to the minima `indices` (in that order).
    ///
    /// # Errors
    /// [`Error::NoSuchMinimum`] for an index out of range, `EmptyInput` for no indices.
    pub fn restrict(&self, indices: &[usize]) -> Result<BarrierMatrix> {
        if indices.is_empty() {
            return Err(Error::EmptyInput("minima to keep"));
        }
        if let Some(&index) = indices.iter().find(|&&i| i >= self.n) {
            return Err(Error::NoSuchMinimum { index, len: self.n });
        }
        let m = indices.len();
        let values = indices.iter().flat_map(|&i| indices.iter().map(move |&j| (i, j))).map(|(i, j)| self.get(i, j));
        let values: Vec<f64> = values.collect();
        let sources =
            indices.iter().flat_map(|&i| indices.iter().map(move |&j| self.sources[i * self.n + j])).collect();
        debug_assert_eq!(values.len(), m * m);
        Ok(BarrierMatrix { n: m, values, sources })
    }
}
