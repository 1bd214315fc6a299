//! The training loss of a multilayer perceptron over its flattened weights (seed 002 Sec. III,
//! seed 003, seed 004 Sec. 2-3).

use crate::energy::{Energy, Gradient};
use crate::error::{Error, Result, check};

/// The activation of a hidden layer.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Activation {
    /// `max(0, x)`; its derivative at 0 is taken as 0. Positively homogeneous: a node's
    /// incoming weights and bias can be scaled by `s > 0` and its outgoing weights by `1/s`.
    Relu,
    /// `tanh x`; odd: a node's incoming weights, bias and outgoing weights can be negated.
    Tanh,
    /// `ln(1 + e^{βx}) / β`, a smooth surrogate of ReLU that approaches it as `β` grows (seed 004
    /// Sec. 4.7 uses `β = 5000` to compute Hessians of a ReLU network).
    Softplus {
        /// The sharpness `β > 0`.
        sharpness: f64,
    },
    /// `x` (a linear network).
    Identity,
}

impl Activation {
    fn value(self, x: f64) -> f64 {
        match self {
            Activation::Relu => x.max(0.0),
            Activation::Tanh => x.tanh(),
            Activation::Softplus { sharpness } => softplus(sharpness * x) / sharpness,
            Activation::Identity => x,
        }
    }

    /// The derivative at pre-activation `x` with value `a = value(x)`.
    fn derivative(self, x: f64, a: f64) -> f64 {
        match self {
            Activation::Relu => {
                if x > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Tanh => 1.0 - a * a,
            Activation::Softplus { sharpness } => logistic(sharpness * x),
            Activation::Identity => 1.0,
        }
    }

    /// `σ` over a slice, with the activation matched once (the loops vectorize).
    fn apply(self, z: &[f64]) -> Vec<f64> {
        match self {
            Activation::Relu => z.iter().map(|&v| v.max(0.0)).collect(),
            Activation::Tanh => z.iter().map(|&v| v.tanh()).collect(),
            Activation::Softplus { .. } => z.iter().map(|&v| self.value(v)).collect(),
            Activation::Identity => z.to_vec(),
        }
    }

    /// `b ← b ⊙ σ'(z)` over slices (`a = σ(z)`), with the activation matched once.
    fn backpropagate(self, b: &mut [f64], z: &[f64], a: &[f64]) {
        match self {
            Activation::Relu => b.iter_mut().zip(z).for_each(|(b, &z)| *b = if z > 0.0 { *b } else { 0.0 }),
            Activation::Tanh => b.iter_mut().zip(a).for_each(|(b, &a)| *b *= 1.0 - a * a),
            Activation::Softplus { .. } => {
                b.iter_mut().zip(z).zip(a).for_each(|((b, &z), &a)| *b *= self.derivative(z, a))
            }
            Activation::Identity => {}
        }
    }

    /// True for activations with `σ(sx) = sσ(x)` for every `s > 0`.
    fn positively_homogeneous(self) -> bool {
        matches!(self, Activation::Relu | Activation::Identity)
    }

    /// True for odd activations, `σ(-x) = -σ(x)`.
    fn odd(self) -> bool {
        matches!(self, Activation::Tanh | Activation::Identity)
    }
}

/// The output layer: what turns the last pre-activations `z` into the outputs `y`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum OutputLayer {
    /// `y = z` (regression).
    Linear,
    /// `y_c = 1 / (1 + e^{-z_c})` per output (binary or multi-label classification).
    Logistic,
    /// `y_c = e^{z_c} / Σ_a e^{z_a}` (one-of-`n` classification).
    Softmax,
}

/// The data term of the loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum LossFunction {
    /// `(1 / (N n_out)) Σ_d Σ_c (y_dc - t_dc)²`: the mean over examples and outputs (Keras'
    /// `mse`, seed 004's loss).
    MeanSquared,
    /// Softmax outputs: `-(1/N) Σ_d Σ_c t_dc ln y_dc` (seed 002 Eq. 3 with one-hot `t`);
    /// logistic outputs: `-(1/N) Σ_d Σ_c [t_dc ln y_dc + (1 - t_dc) ln(1 - y_dc)]`. Needs
    /// softmax or logistic outputs; computed from `z` without overflow.
    CrossEntropy,
}

/// The training loss of a fully connected network with layer widths `n_0, n_1, …, n_L`
/// (`n_0` inputs, `L - 1` hidden layers sharing one [`Activation`], `n_L` outputs), as an
/// energy over its flattened weights `W`:
///
/// $$ a^{(0)} = x, \qquad z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}, \qquad
///    a^{(l)} = \sigma(z^{(l)}) \\ (l < L), \qquad y = \mathrm{out}(z^{(L)}), $$
/// $$ E(W) = \ell\big(y(W; x_1..x_N), t_1..t_N\big) + \lambda \sum_{w \in R} w^2 , $$
///
/// with `ℓ` a [`LossFunction`], `out` an [`OutputLayer`], and the L2 penalty over the set `R` of
/// every weight, or every weight but the biases (seed 002 regularizes both ways). Energy and
/// gradient (backpropagation) cost one pass over the data each.
///
/// **Layout of `W`:** layer by layer, `W^{(l)}` (`n_l x n_{l-1}`, row-major: row `j` holds the
/// incoming weights of node `j`) followed by `b^{(l)}` (`n_l`). A `1-5-5-5-5-5-1` network has
/// `5 + 4·25 + 5 = 110` weights and `26` biases: seed 004's 136. The one-hidden-layer tanh
/// softmax classifier with this layout is [`super::SoftmaxNetworkLoss`] (the same numbers; a
/// test checks it).
///
/// **Symmetries** (seed 004 Sec. 3): permuting a hidden layer's nodes
/// ([`MlpLoss::permute_hidden`]); for ReLU, scaling a node's incoming weights and bias by `s > 0`
/// and its outgoing weights by `1/s` ([`MlpLoss::rescale_hidden`]); for tanh, negating them
/// ([`MlpLoss::negate_hidden`]). The unregularized loss is invariant under all of them, so minima
/// come in orbits; [`MlpLoss::canonical`] picks one representative per orbit, seed 004's
/// "minimal energy weights" sorted by norm.
///
/// # Example
/// ```
/// use elm_core::{Energy, Lbfgs, LocalMinimizer};
/// use elm_core::reference::{Activation, MlpLoss};
/// // Fit y = relu(x) + 2 relu(-x) with a 1-2-1 ReLU network: these weights are exact.
/// let x: Vec<f64> = (0..21).map(|i| i as f64 / 10.0 - 1.0).collect();
/// let y: Vec<f64> = x.iter().map(|v| v.max(0.0) + 2.0 * (-v).max(0.0)).collect();
/// let net = MlpLoss::regression(&[1, 2, 1], Activation::Relu, x, y).unwrap();
/// let mut w = vec![1.0, -1.0, 0.0, 0.0, 1.0, 2.0, 0.0];
/// assert!(net.energy(&w) < 1e-24);
/// // Its symmetries leave the loss unchanged.
/// let w2 = net.rescale_hidden(&w, 0, 1, 3.0).unwrap();
/// let w3 = net.permute_hidden(&w2, 0, &[1, 0]).unwrap();
/// assert!(net.energy(&w3) < 1e-24);
/// assert!(net.canonical(&w3).iter().zip(net.canonical(&w)).all(|(a, b)| (a - b).abs() < 1e-9));
/// // A perturbed start trains back down.
/// w[4] = 0.5;
/// let r = Lbfgs::default().minimize(&net, &mut w).unwrap();
/// assert!(r.energy < 1e-12);
/// ```
///
/// # References
/// Seed 002 Sec. III, Eq. 2-4 (loss, regularization); seed 003 Sec. 4 (the networks whose
/// minima AutoNEB connects); seed 004 Sec. 2-3 (the `K x N` ReLU networks, their symmetry group
/// `R_+^{KN} ⋊ S_N^K` and the symmetrization).
#[derive(Debug, Clone, PartialEq)]
pub struct MlpLoss {
    widths: Vec<usize>,
    hidden: Activation,
    output: OutputLayer,
    loss: LossFunction,
    /// Inputs, feature-major: `n_0 x N`, row `i` holds input `i` of every example.
    xt: Vec<f64>,
    /// Targets, `N x n_L` row-major.
    t: Vec<f64>,
    lambda: f64,
    regularize_biases: bool,
    /// Offsets of `W^{(l)}` and `b^{(l)}` in the flat weights, for `l = 1..=L` (index `l - 1`).
    offsets: Vec<(usize, usize)>,
}

impl MlpLoss {
    /// A loss over inputs `x` (`N x n_0`, row-major) and targets `t` (`N x n_L`): regression
    /// values, or class probabilities (one-hot rows for softmax; values in `[0, 1]` for logistic).
    ///
    /// # Errors
    /// `InvalidParameter` for fewer than two layers, a zero width, cross-entropy with linear
    /// outputs, softmax with one output, targets outside `[0, 1]` for cross-entropy, or a
    /// non-positive softplus sharpness; `EmptyInput`, `DimensionMismatch` and `NonFinite` for
    /// the data.
    pub fn new(
        widths: &[usize],
        hidden: Activation,
        output: OutputLayer,
        loss: LossFunction,
        x: Vec<f64>,
        t: Vec<f64>,
    ) -> Result<Self> {
        if widths.len() < 2 {
            return Err(Error::invalid("widths", widths.len(), "needs at least an input and an output layer"));
        }
        if let Some(&w) = widths.iter().find(|&&w| w == 0) {
            return Err(Error::invalid("widths", w, "every layer needs at least one node"));
        }
        check_activation(hidden)?;
        let (n_in, n_out) = (widths[0], widths[widths.len() - 1]);
        if x.is_empty() {
            return Err(Error::EmptyInput("training inputs"));
        }
        if !x.len().is_multiple_of(n_in) {
            return Err(Error::DimensionMismatch { what: "training inputs", expected: n_in, found: x.len() % n_in });
        }
        let n = x.len() / n_in;
        let cells = n.checked_mul(n_out).ok_or_else(|| Error::invalid("widths", n_out, "too many outputs"))?;
        check::dim("training targets", cells, t.len())?;
        check::all_finite("training inputs", &x)?;
        check::all_finite("training targets", &t)?;
        if loss == LossFunction::CrossEntropy {
            if output == OutputLayer::Linear {
                return Err(Error::invalid("loss", "CrossEntropy", "needs softmax or logistic outputs"));
            }
            if t.iter().any(|&v| !(0.0..=1.0).contains(&v)) {
                return Err(Error::invalid("training targets", "outside [0, 1]", "cross-entropy takes probabilities"));
            }
        }
        if output == OutputLayer::Softmax && n_out < 2 {
            return Err(Error::invalid("widths", n_out, "softmax needs at least two outputs"));
        }
        let mut at = 0usize;
        let mut offsets = Vec::with_capacity(widths.len() - 1);
        for p in widths.windows(2) {
            let matrix = p[0].checked_mul(p[1]);
            let next = matrix.and_then(|m| at.checked_add(m)).and_then(|b| b.checked_add(p[1]).map(|e| (b, e)));
            let Some((bias, end)) = next else {
                return Err(Error::invalid("widths", format!("{widths:?}"), "the weight count overflows"));
            };
            offsets.push((at, bias));
            at = end;
        }
        let xt = transpose(&x, n, n_in);
        Ok(Self {
            widths: widths.to_vec(),
            hidden,
            output,
            loss,
            xt,
            t,
            lambda: 0.0,
            regularize_biases: false,
            offsets,
        })
    }

    /// Mean-squared-error regression with linear outputs (seed 004).
    ///
    /// # Errors
    /// As [`MlpLoss::new`].
    pub fn regression(widths: &[usize], hidden: Activation, x: Vec<f64>, t: Vec<f64>) -> Result<Self> {
        Self::new(widths, hidden, OutputLayer::Linear, LossFunction::MeanSquared, x, t)
    }

    /// A softmax classifier trained by cross-entropy on class `labels` (`< n_L`; seed 002 Eq.
    /// 2-4).
    ///
    /// # Errors
    /// As [`MlpLoss::new`], and `InvalidParameter` for a label out of range or more than
    /// `2³²` one-hot target entries.
    pub fn classifier(widths: &[usize], hidden: Activation, x: Vec<f64>, labels: &[usize]) -> Result<Self> {
        let n_out = widths.last().copied().unwrap_or(0);
        if let Some(&bad) = labels.iter().find(|&&c| c >= n_out) {
            return Err(Error::invalid("label", bad, "must be below the number of outputs"));
        }
        // One-hot rows: refuse sizes that cannot be allocated rather than abort.
        let cells = labels.len().checked_mul(n_out).filter(|&c| c <= u32::MAX as usize);
        let Some(cells) = cells else {
            return Err(Error::invalid("widths", n_out, "too many classes for one-hot targets"));
        };
        let mut t = vec![0.0; cells];
        for (d, &c) in labels.iter().enumerate() {
            t[d * n_out + c] = 1.0;
        }
        Self::new(widths, hidden, OutputLayer::Softmax, LossFunction::CrossEntropy, x, t)
    }

    /// Adds the penalty `λ Σ w²` over every weight, biases included when `biases`.
    ///
    /// # Errors
    /// `InvalidParameter` for a negative or non-finite `λ`.
    pub fn with_regularization(mut self, lambda: f64, biases: bool) -> Result<Self> {
        check::non_negative("lambda", lambda)?;
        self.lambda = lambda;
        self.regularize_biases = biases;
        Ok(self)
    }

    /// The same loss with another hidden activation, e.g. the softplus surrogate of a ReLU
    /// network for its Hessian (seed 004 Sec. 4.7).
    ///
    /// # Errors
    /// `InvalidParameter` for a non-positive softplus sharpness.
    pub fn with_hidden_activation(mut self, hidden: Activation) -> Result<Self> {
        check_activation(hidden)?;
        self.hidden = hidden;
        Ok(self)
    }

    /// Layer widths `n_0, …, n_L`.
    pub fn widths(&self) -> &[usize] {
        &self.widths
    }

    /// The hidden activation.
    pub fn hidden_activation(&self) -> Activation {
        self.hidden
    }

    /// Number of training examples `N`.
    pub fn examples(&self) -> usize {
        self.xt.len() / self.widths[0]
    }

    /// Forward pass over every example. Hidden quantities are stored *feature-major* (row `j`
    /// of an `n_l x N` array holds node `j` over all examples), so every inner loop runs over
    /// the examples and vectorizes; the outputs are row-major (`N x n_L`).
    fn forward(&self, w: &[f64]) -> Pass {
        let n = self.examples();
        let layers = self.widths.len() - 1;
        let mut pass = Pass {
            zs: Vec::with_capacity(layers - 1),
            acts: Vec::with_capacity(layers),
            z_out: Vec::new(),
            y: Vec::new(),
        };
        for (l, &(wo, bo)) in self.offsets.iter().enumerate() {
            let (n_prev, n_next) = (self.widths[l], self.widths[l + 1]);
            let prev: &[f64] = if l == 0 { &self.xt } else { &pass.acts[l - 1] };
            let mut z = vec![0.0; n * n_next];
            for (j, zj) in z.chunks_mut(n).enumerate() {
                zj.fill(w[bo + j]);
                for (i, ai) in prev.chunks(n).enumerate() {
                    let wji = w[wo + j * n_prev + i];
                    if wji != 0.0 {
                        zj.iter_mut().zip(ai).for_each(|(zv, &av)| *zv += wji * av);
                    }
                }
            }
            if l + 1 < layers {
                pass.acts.push(self.hidden.apply(&z));
                pass.zs.push(z);
            } else {
                let mut rows = vec![0.0; n * n_next];
                for (j, zj) in z.chunks(n).enumerate() {
                    for (d, &v) in zj.iter().enumerate() {
                        rows[d * n_next + j] = v;
                    }
                }
                pass.y = self.outputs_of(&rows);
                pass.z_out = rows;
            }
        }
        pass
    }

    fn outputs_of(&self, z: &[f64]) -> Vec<f64> {
        let n_out = self.widths[self.widths.len() - 1];
        match self.output {
            OutputLayer::Linear => z.to_vec(),
            OutputLayer::Logistic => z.iter().map(|&v| logistic(v)).collect(),
            OutputLayer::Softmax => {
                let mut y = z.to_vec();
                for row in y.chunks_mut(n_out) {
                    let lse = log_sum_exp(row);
                    row.iter_mut().for_each(|v| *v = (*v - lse).exp());
                }
                y
            }
        }
    }

    /// The network's outputs `y` for inputs `x` (`M x n_0`, row-major), `M x n_L`.
    ///
    /// # Errors
    /// `DimensionMismatch` for weights of the wrong length or inputs not a multiple of `n_0`.
    pub fn predict(&self, w: &[f64], x: &[f64]) -> Result<Vec<f64>> {
        check::dim("network weights", self.dim(), w.len())?;
        if !x.len().is_multiple_of(self.widths[0]) {
            return Err(Error::DimensionMismatch {
                what: "inputs",
                expected: self.widths[0],
                found: x.len() % self.widths[0],
            });
        }
        if x.is_empty() {
            return Ok(Vec::new());
        }
        let m = x.len() / self.widths[0];
        let probe = Self { xt: transpose(x, m, self.widths[0]), t: Vec::new(), ..self.clone() };
        Ok(probe.forward(w).y)
    }

    /// The fraction of examples whose largest output is at the largest target (classification
    /// accuracy; with one logistic output, whether `y > 1/2` matches `t > 1/2`).
    pub fn accuracy(&self, w: &[f64]) -> f64 {
        let n_out = self.widths[self.widths.len() - 1];
        let y = self.forward(w).y;
        let argmax = |r: &[f64]| (0..r.len()).max_by(|&a, &b| r[a].total_cmp(&r[b])).unwrap_or(0);
        let right = y
            .chunks(n_out)
            .zip(self.t.chunks(n_out))
            .filter(|(y, t)| if n_out == 1 { (y[0] > 0.5) == (t[0] > 0.5) } else { argmax(y) == argmax(t) })
            .count();
        right as f64 / self.examples() as f64
    }

    /// The predicted class of every training example (the index of its largest output; with one
    /// output, `y > 1/2`), for misclassification distances between minima (seed 002 Sec. V).
    pub fn predicted_classes(&self, w: &[f64]) -> Vec<usize> {
        let n_out = self.widths[self.widths.len() - 1];
        let y = self.forward(w).y;
        y.chunks(n_out)
            .map(|r| {
                if n_out == 1 {
                    usize::from(r[0] > 0.5)
                } else {
                    (0..n_out).max_by(|&a, &b| r[a].total_cmp(&r[b])).unwrap_or(0)
                }
            })
            .collect()
    }

    /// The data term from the output pre-activations `z` and outputs `y`, and (when `dz` is
    /// given) its gradient with respect to `z`.
    fn data_term(&self, z: &[f64], y: &[f64], mut dz: Option<&mut [f64]>) -> f64 {
        let n_out = self.widths[self.widths.len() - 1];
        let n = self.examples() as f64;
        let mut total = 0.0;
        let mut dy = vec![0.0; n_out];
        for (d, ((zr, yr), tr)) in z.chunks(n_out).zip(y.chunks(n_out)).zip(self.t.chunks(n_out)).enumerate() {
            let g = dz.as_deref_mut().map(|g| &mut g[d * n_out..(d + 1) * n_out]);
            total += match self.loss {
                LossFunction::MeanSquared => {
                    let scale = 1.0 / (n * n_out as f64);
                    if let Some(g) = g {
                        // dℓ/dy = 2 (y - t) / (N n_out), then through the output layer.
                        for ((g, a), b) in dy.iter_mut().zip(yr).zip(tr) {
                            *g = 2.0 * (a - b) * scale;
                        }
                        match self.output {
                            OutputLayer::Linear => g.copy_from_slice(&dy),
                            OutputLayer::Logistic => {
                                for c in 0..n_out {
                                    g[c] = dy[c] * yr[c] * (1.0 - yr[c]);
                                }
                            }
                            OutputLayer::Softmax => {
                                let s: f64 = dy.iter().zip(yr).map(|(a, b)| a * b).sum();
                                for c in 0..n_out {
                                    g[c] = yr[c] * (dy[c] - s);
                                }
                            }
                        }
                    }
                    yr.iter().zip(tr).map(|(a, b)| (a - b) * (a - b)).sum::<f64>() * scale
                }
                LossFunction::CrossEntropy => {
                    if let Some(g) = g {
                        // Both pairings give dℓ/dz = (y - t) / N (softmax with Σ t = 1).
                        let tsum: f64 = tr.iter().sum();
                        for c in 0..n_out {
                            g[c] = match self.output {
                                OutputLayer::Softmax => (yr[c] * tsum - tr[c]) / n,
                                _ => (yr[c] - tr[c]) / n,
                            };
                        }
                    }
                    match self.output {
                        OutputLayer::Softmax => {
                            let lse = log_sum_exp(zr);
                            tr.iter().zip(zr).map(|(t, z)| t * (lse - z)).sum::<f64>() / n
                        }
                        // -ln y = softplus(-z), -ln(1 - y) = softplus(z).
                        _ => {
                            tr.iter().zip(zr).map(|(t, &z)| t * softplus(-z) + (1.0 - t) * softplus(z)).sum::<f64>() / n
                        }
                    }
                }
            };
        }
        total
    }

    /// The ranges of `W` the penalty covers: every weight matrix, and the biases when
    /// regularized.
    fn penalized(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        self.offsets
            .iter()
            .zip(self.widths.windows(2))
            .map(|(&(wo, bo), p)| wo..if self.regularize_biases { bo + p[1] } else { bo })
    }

    fn penalty(&self, w: &[f64]) -> f64 {
        if self.lambda == 0.0 {
            return 0.0;
        }
        self.lambda * self.penalized().map(|r| w[r].iter().map(|v| v * v).sum::<f64>()).sum::<f64>()
    }

    /// Checks a weight vector's length and a hidden layer's index.
    fn check_hidden(&self, w: &[f64], layer: usize) -> Result<()> {
        check::dim("network weights", self.dim(), w.len())?;
        if layer + 2 >= self.widths.len() {
            return Err(Error::invalid("layer", layer, "is not a hidden layer (0-based, below L - 1)"));
        }
        Ok(())
    }

    /// Multiplies hidden node `node` of hidden layer `layer` (0-based: layer 0 is `a^{(1)}`) by
    /// `factor`: its incoming weights and bias by `factor`, its outgoing weights by `1/factor`.
    /// Leaves the output unchanged for ReLU (and identity) activations.
    ///
    /// # Errors
    /// `InvalidParameter` for a non-positive factor, an activation that is not positively
    /// homogeneous, or a layer or node out of range; `DimensionMismatch` for the weights.
    pub fn rescale_hidden(&self, w: &[f64], layer: usize, node: usize, factor: f64) -> Result<Vec<f64>> {
        self.check_hidden(w, layer)?;
        check::positive("factor", factor)?;
        if !self.hidden.positively_homogeneous() {
            return Err(Error::invalid("activation", format!("{:?}", self.hidden), "has no rescaling symmetry"));
        }
        if node >= self.widths[layer + 1] {
            return Err(Error::invalid("node", node, "is out of range"));
        }
        let mut out = w.to_vec();
        self.scale_node(&mut out, layer, node, factor);
        Ok(out)
    }

    /// Negates hidden node `node` of hidden layer `layer` (incoming weights, bias, outgoing
    /// weights). Leaves the output unchanged for tanh (and identity) activations.
    ///
    /// # Errors
    /// `InvalidParameter` for an activation that is not odd or a layer or node out of range;
    /// `DimensionMismatch` for the weights.
    pub fn negate_hidden(&self, w: &[f64], layer: usize, node: usize) -> Result<Vec<f64>> {
        self.check_hidden(w, layer)?;
        if !self.hidden.odd() {
            return Err(Error::invalid("activation", format!("{:?}", self.hidden), "is not odd"));
        }
        if node >= self.widths[layer + 1] {
            return Err(Error::invalid("node", node, "is out of range"));
        }
        let mut out = w.to_vec();
        self.scale_node(&mut out, layer, node, -1.0);
        Ok(out)
    }

    /// Reorders hidden layer `layer`: new node `k` is old node `perm[k]` (rows of `W^{(l)}`,
    /// entries of `b^{(l)}` and columns of `W^{(l+1)}` move together).
    ///
    /// # Errors
    /// `InvalidParameter` if `perm` is not a permutation of the layer's nodes or the layer is
    /// out of range; `DimensionMismatch` for the weights.
    pub fn permute_hidden(&self, w: &[f64], layer: usize, perm: &[usize]) -> Result<Vec<f64>> {
        self.check_hidden(w, layer)?;
        let width = self.widths[layer + 1];
        let mut seen = vec![false; width];
        if perm.len() != width || perm.iter().any(|&p| p >= width || std::mem::replace(&mut seen[p], true)) {
            return Err(Error::invalid("perm", format!("{perm:?}"), "is not a permutation of the layer's nodes"));
        }
        let mut out = w.to_vec();
        self.apply_permutation(w, &mut out, layer, perm);
        Ok(out)
    }

    fn apply_permutation(&self, w: &[f64], out: &mut [f64], layer: usize, perm: &[usize]) {
        let offsets = &self.offsets;
        let (n_prev, width, n_next) = (self.widths[layer], self.widths[layer + 1], self.widths[layer + 2]);
        let ((wi, bi), (wn, _)) = (offsets[layer], offsets[layer + 1]);
        for (k, &p) in perm.iter().enumerate() {
            out[wi + k * n_prev..wi + (k + 1) * n_prev].copy_from_slice(&w[wi + p * n_prev..wi + (p + 1) * n_prev]);
            out[bi + k] = w[bi + p];
            for r in 0..n_next {
                out[wn + r * width + k] = w[wn + r * width + p];
            }
        }
    }

    fn scale_node(&self, w: &mut [f64], layer: usize, node: usize, factor: f64) {
        let offsets = &self.offsets;
        let (n_prev, width, n_next) = (self.widths[layer], self.widths[layer + 1], self.widths[layer + 2]);
        let ((wi, bi), (wn, _)) = (offsets[layer], offsets[layer + 1]);
        w[wi + node * n_prev..wi + (node + 1) * n_prev].iter_mut().for_each(|v| *v *= factor);
        w[bi + node] *= factor;
        for r in 0..n_next {
            w[wn + r * width + node] /= factor;
        }
    }

    /// Squared norms of hidden node `node`'s incoming weights with bias, and of its outgoing
    /// weights.
    fn node_norms(&self, w: &[f64], layer: usize, node: usize) -> (f64, f64) {
        let offsets = &self.offsets;
        let (n_prev, width, n_next) = (self.widths[layer], self.widths[layer + 1], self.widths[layer + 2]);
        let ((wi, bi), (wn, _)) = (offsets[layer], offsets[layer + 1]);
        let inc =
            w[wi + node * n_prev..wi + (node + 1) * n_prev].iter().map(|v| v * v).sum::<f64>() + w[bi + node].powi(2);
        let out = (0..n_next).map(|r| w[wn + r * width + node].powi(2)).sum::<f64>();
        (inc, out)
    }

    /// The representative of `w`'s symmetry orbit (seed 004 Sec. 3):
    ///
    /// 1. ReLU (and identity): the *minimal-norm* rescaling — the node scales `s > 0` that
    ///    minimize `||W||²` over the orbit, found by coordinate descent on `ln s` (the problem is
    ///    convex in `ln s`; each node's optimum is `s⁴ = ||out||² / ||in||²`). A node whose
    ///    incoming weights and bias or whose outgoing weights are all zero cannot affect the
    ///    output; its other side is set to zero (the limit of the rescaling orbit).
    ///    Tanh: each node's sign is chosen so that its bias is non-negative (ties: its first
    ///    non-zero incoming weight positive). Softplus has no continuous symmetry. (Identity
    ///    nodes get the rescaling only: their sign flips, and the general linear mixing of a
    ///    linear network, are not quotiented.)
    /// 2. Each hidden layer's nodes sorted by the norm of their incoming weights and bias,
    ///    increasing (seed 004: "columns of the weight matrices in increasing L2 norm order").
    /// 3. Softmax outputs without bias regularization: the output biases shifted to mean zero (a
    ///    common shift leaves the softmax unchanged).
    ///
    /// The loss without regularization is the same at `w` and at `canonical(w)`; with it, the
    /// penalty is at most the same for ReLU networks (the norm is minimized).
    ///
    /// # Panics
    /// If `w.len() != self.dim()`.
    pub fn canonical(&self, w: &[f64]) -> Vec<f64> {
        assert_eq!(w.len(), self.dim(), "weights of the wrong length");
        let hidden_layers = self.widths.len() - 2;
        let mut out = w.to_vec();
        if self.hidden.positively_homogeneous() {
            self.balance(&mut out);
        } else if self.hidden.odd() {
            for (layer, &(wi, bi)) in self.offsets.iter().enumerate().take(hidden_layers) {
                let n_prev = self.widths[layer];
                for node in 0..self.widths[layer + 1] {
                    let bias = out[bi + node];
                    let first = out[wi + node * n_prev..wi + (node + 1) * n_prev]
                        .iter()
                        .copied()
                        .find(|v| *v != 0.0)
                        .unwrap_or(0.0);
                    if bias < 0.0 || (bias == 0.0 && first < 0.0) {
                        self.scale_node(&mut out, layer, node, -1.0);
                    }
                }
            }
        }
        for layer in 0..hidden_layers {
            let width = self.widths[layer + 1];
            let norms: Vec<f64> = (0..width).map(|k| self.node_norms(&out, layer, k).0).collect();
            let mut perm: Vec<usize> = (0..width).collect();
            let (wi, n_prev) = (self.offsets[layer].0, self.widths[layer]);
            let row = |k: usize| &out[wi + k * n_prev..wi + (k + 1) * n_prev];
            perm.sort_by(|&a, &b| {
                norms[a].total_cmp(&norms[b]).then_with(|| {
                    row(a)
                        .iter()
                        .zip(row(b))
                        .map(|(p, q)| p.total_cmp(q))
                        .find(|o| o.is_ne())
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
            });
            let before = out.clone();
            self.apply_permutation(&before, &mut out, layer, &perm);
        }
        if self.output == OutputLayer::Softmax && !self.regularize_biases {
            let (_, bo) = self.offsets[self.widths.len() - 2];
            let n_out = self.widths[self.widths.len() - 1];
            let mean = out[bo..bo + n_out].iter().sum::<f64>() / n_out as f64;
            out[bo..bo + n_out].iter_mut().for_each(|v| *v -= mean);
        }
        out
    }

    /// Minimal-norm rescaling of a positively homogeneous network, in place.
    fn balance(&self, w: &mut [f64]) {
        let hidden_layers = self.widths.len() - 2;
        for _sweep in 0..100_000 {
            let mut largest = 0.0_f64;
            for layer in 0..hidden_layers {
                for node in 0..self.widths[layer + 1] {
                    let (inc, out) = self.node_norms(w, layer, node);
                    if inc == 0.0 || out == 0.0 {
                        if inc != 0.0 || out != 0.0 {
                            // The limit of the orbit: the node's live side shrinks to zero.
                            self.zero_node(w, layer, node);
                        }
                        continue;
                    }
                    let s = (out / inc).powf(0.25);
                    largest = largest.max(s.ln().abs());
                    self.scale_node(w, layer, node, s);
                }
            }
            if largest < 1e-14 {
                break;
            }
        }
    }

    fn zero_node(&self, w: &mut [f64], layer: usize, node: usize) {
        let offsets = &self.offsets;
        let (n_prev, width, n_next) = (self.widths[layer], self.widths[layer + 1], self.widths[layer + 2]);
        let ((wi, bi), (wn, _)) = (offsets[layer], offsets[layer + 1]);
        w[wi + node * n_prev..wi + (node + 1) * n_prev].fill(0.0);
        w[bi + node] = 0.0;
        for r in 0..n_next {
            w[wn + r * width + node] = 0.0;
        }
    }
}

/// One forward pass: hidden pre-activations and activations (feature-major, see
/// [`MlpLoss::forward`]), output pre-activations and outputs (row-major).
struct Pass {
    zs: Vec<Vec<f64>>,
    acts: Vec<Vec<f64>>,
    z_out: Vec<f64>,
    y: Vec<f64>,
}

fn check_activation(a: Activation) -> Result<()> {
    if let Activation::Softplus { sharpness } = a {
        check::positive("softplus sharpness", sharpness)?;
    }
    Ok(())
}

/// `Σ a_i b_i` with eight independent partial sums, so the loop is not bound by the latency of
/// one chain of additions (the compiler may not reassociate floating-point sums itself).
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f64 = ca.remainder().iter().zip(cb.remainder()).map(|(p, q)| p * q).sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    acc.iter().sum::<f64>() + tail
}

/// `Σ a_i`, as [`dot`].
fn sum(a: &[f64]) -> f64 {
    let mut acc = [0.0; 8];
    let c = a.chunks_exact(8);
    let tail: f64 = c.remainder().iter().sum();
    for x in c {
        for k in 0..8 {
            acc[k] += x[k];
        }
    }
    acc.iter().sum::<f64>() + tail
}

/// The transpose of a row-major `rows x cols` array.
fn transpose(a: &[f64], rows: usize, cols: usize) -> Vec<f64> {
    let mut out = vec![0.0; a.len()];
    for r in 0..rows {
        for c in 0..cols {
            out[c * rows + r] = a[r * cols + c];
        }
    }
    out
}

/// `ln(1 + e^x)` without overflow.
fn softplus(x: f64) -> f64 {
    if x > 0.0 { x + (-x).exp().ln_1p() } else { x.exp().ln_1p() }
}

/// `1 / (1 + e^{-x})` without overflow.
fn logistic(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

fn log_sum_exp(z: &[f64]) -> f64 {
    let top = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    top + z.iter().map(|v| (v - top).exp()).sum::<f64>().ln()
}

impl Energy for MlpLoss {
    fn dim(&self) -> usize {
        self.widths.windows(2).map(|p| p[0] * p[1] + p[1]).sum()
    }

    fn energy(&self, w: &[f64]) -> f64 {
        let pass = self.forward(w);
        self.data_term(&pass.z_out, &pass.y, None) + self.penalty(w)
    }
}

impl Gradient for MlpLoss {
    fn energy_gradient(&self, w: &[f64], grad: &mut [f64]) -> f64 {
        let n = self.examples();
        let pass = self.forward(w);
        let layers = self.widths.len() - 1;
        let n_out = self.widths[layers];
        let mut rows = vec![0.0; n * n_out];
        let loss = self.data_term(&pass.z_out, &pass.y, Some(&mut rows));
        // δ of the output layer, feature-major.
        let mut delta = transpose(&rows, n, n_out);
        grad.fill(0.0);
        for l in (0..layers).rev() {
            let n_prev = self.widths[l];
            let (wo, bo) = self.offsets[l];
            let prev: &[f64] = if l == 0 { &self.xt } else { &pass.acts[l - 1] };
            for (j, dj) in delta.chunks(n).enumerate() {
                grad[bo + j] = sum(dj);
                for (i, ai) in prev.chunks(n).enumerate() {
                    grad[wo + j * n_prev + i] = dot(dj, ai);
                }
            }
            if l == 0 {
                break;
            }
            // δ^{(l-1)} = (W^{(l)ᵀ} δ^{(l)}) ⊙ σ'(z^{(l-1)}).
            let mut back = vec![0.0; n * n_prev];
            for (i, bi) in back.chunks_mut(n).enumerate() {
                for (j, dj) in delta.chunks(n).enumerate() {
                    let wji = w[wo + j * n_prev + i];
                    if wji != 0.0 {
                        bi.iter_mut().zip(dj).for_each(|(b, &d)| *b += wji * d);
                    }
                }
            }
            self.hidden.backpropagate(&mut back, &pass.zs[l - 1], &pass.acts[l - 1]);
            delta = back;
        }
        if self.lambda > 0.0 {
            for r in self.penalized() {
                for (g, &v) in grad[r.clone()].iter_mut().zip(&w[r]) {
                    *g += 2.0 * self.lambda * v;
                }
            }
        }
        loss + self.penalty(w)
    }
}
