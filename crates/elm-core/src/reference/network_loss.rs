//! The training loss of a one-hidden-layer softmax classifier (seed 002 Sec. III, Eq. 2-4).

use crate::energy::{Energy, Gradient};
use crate::error::{Result, check};

/// The cost function of seed 002 Eq. 2-4 over the flattened weights `W` of a network with
/// `n_in` inputs, one hidden layer of `n_hidden` tanh nodes and `n_out` softmax outputs:
///
/// $$ y_i = b^o_i + \sum_j w_{ij}^{(1)} \tanh\Big(b^h_j + \sum_k w_{jk}^{(2)} x_k\Big), \qquad
///    p_c = \frac{e^{y_c}}{\sum_a e^{y_a}}, $$
/// $$ E(W) = -\frac{1}{N_{data}} \sum_d \ln p_{c(d)}(W; x_d) + \lambda \sum W^2 , $$
///
/// with the regularization over every weight or (the seed's Fig. 3) every weight but the
/// biases — which leaves the zero Hessian eigenvalue of a common shift of the output biases.
/// Gradient by backpropagation.
///
/// Layout of `W`: `w2` (`n_hidden x n_in`, row-major), `b_h` (`n_hidden`), `w1` (`n_out x
/// n_hidden`), `b_o` (`n_out`). The loss is invariant under permutations of the hidden nodes and
/// under flipping the sign of a hidden node's incoming weights, bias and outgoing weights
/// (tanh is odd): [`SoftmaxNetworkLoss::canonical`] picks one representative.
///
/// # Example
/// ```
/// use elm_core::{Energy, Lbfgs, LocalMinimizer, reference::SoftmaxNetworkLoss};
/// // XOR-like data, 2 classes: the trained loss falls far below ln 2.
/// let x = vec![0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
/// let net = SoftmaxNetworkLoss::new(2, 3, 2, x, vec![0, 1, 1, 0], 1e-4, false).unwrap();
/// let mut w: Vec<f64> = (0..net.dim()).map(|k| ((k * 7919) % 13) as f64 / 6.0 - 1.0).collect();
/// let r = Lbfgs::default().minimize(&net, &mut w).unwrap();
/// assert!(r.energy < 0.1, "{}", r.energy);
/// ```
///
/// # References
/// Seed 002 Sec. III, Eq. 2-4, Fig. 1-3; A. J. Ballard et al., J. Chem. Theory Comput. 12
/// (2016).
#[derive(Debug, Clone, PartialEq)]
pub struct SoftmaxNetworkLoss {
    n_in: usize,
    n_hidden: usize,
    n_out: usize,
    /// Inputs, `n_data x n_in` row-major.
    x: Vec<f64>,
    labels: Vec<usize>,
    lambda: f64,
    regularize_biases: bool,
}

impl SoftmaxNetworkLoss {
    /// A loss over `x` (`n_data x n_in`, row-major) with class labels `labels` (`< n_out`),
    /// regularization `λ`, over the biases too when `regularize_biases`.
    ///
    /// # Errors
    /// `InvalidParameter` for zero sizes, a label out of range or a negative `λ`;
    /// `DimensionMismatch`, `EmptyInput`, `NonFinite` inputs.
    pub fn new(
        n_in: usize,
        n_hidden: usize,
        n_out: usize,
        x: Vec<f64>,
        labels: Vec<usize>,
        lambda: f64,
        regularize_biases: bool,
    ) -> Result<Self> {
        check::at_least("n_in", n_in, 1)?;
        check::at_least("n_hidden", n_hidden, 1)?;
        check::at_least("n_out", n_out, 2)?;
        if labels.is_empty() {
            return Err(crate::Error::EmptyInput("training data"));
        }
        check::dim("inputs", labels.len() * n_in, x.len())?;
        check::all_finite("inputs", &x)?;
        check::non_negative("lambda", lambda)?;
        if let Some(&bad) = labels.iter().find(|&&c| c >= n_out) {
            return Err(crate::Error::invalid("label", bad, "must be below n_out"));
        }
        Ok(Self { n_in, n_hidden, n_out, x, labels, lambda, regularize_biases })
    }

    /// Number of training examples.
    pub fn examples(&self) -> usize {
        self.labels.len()
    }

    /// `(n_in, n_hidden, n_out)`.
    pub fn shape(&self) -> (usize, usize, usize) {
        (self.n_in, self.n_hidden, self.n_out)
    }

    fn offsets(&self) -> (usize, usize, usize, usize) {
        let (i, h, o) = (self.n_in, self.n_hidden, self.n_out);
        (0, h * i, h * i + h, h * i + h + o * h)
    }

    /// The outputs `y` of the network for one input `xd`.
    pub fn outputs(&self, w: &[f64], xd: &[f64]) -> Vec<f64> {
        let (mut hidden, mut y) = (vec![0.0; self.n_hidden], vec![0.0; self.n_out]);
        self.forward(w, xd, &mut hidden, &mut y);
        y
    }

    /// The forward pass of one input into caller-owned buffers: hidden activations and outputs.
    fn forward(&self, w: &[f64], xd: &[f64], hidden: &mut [f64], y: &mut [f64]) {
        let (a, bh, w1, bo) = self.offsets();
        let (ni, nh) = (self.n_in, self.n_hidden);
        for (j, h) in hidden.iter_mut().enumerate() {
            *h = (w[bh + j] + (0..ni).map(|k| w[a + j * ni + k] * xd[k]).sum::<f64>()).tanh();
        }
        for (c, yc) in y.iter_mut().enumerate() {
            *yc = w[bo + c] + (0..nh).map(|j| w[w1 + c * nh + j] * hidden[j]).sum::<f64>();
        }
    }

    /// `ln Σ exp y`, computed without overflow.
    fn log_sum_exp(y: &[f64]) -> f64 {
        let top = y.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        top + y.iter().map(|v| (v - top).exp()).sum::<f64>().ln()
    }

    /// `λ Σ W²` over the regularized weights.
    fn penalty(&self, w: &[f64]) -> f64 {
        self.lambda * w.iter().enumerate().filter(|&(k, _)| self.regularized(k)).map(|(_, v)| v * v).sum::<f64>()
    }

    /// The fraction of examples whose most probable class is their label.
    pub fn accuracy(&self, w: &[f64]) -> f64 {
        let right = (0..self.examples())
            .filter(|&d| {
                let y = self.outputs(w, &self.x[d * self.n_in..(d + 1) * self.n_in]);
                let best = (0..self.n_out).max_by(|&a, &b| y[a].total_cmp(&y[b])).unwrap_or(0);
                best == self.labels[d]
            })
            .count();
        right as f64 / self.examples() as f64
    }

    /// The representative of `w` under the network's symmetries: every hidden node's bias made
    /// non-negative (negating its incoming weights, bias and outgoing weights together), then
    /// the hidden nodes sorted by bias (ties: first incoming weight); without bias
    /// regularization the output biases are also shifted to sum to zero (a common shift leaves
    /// the softmax, hence the loss, unchanged).
    pub fn canonical(&self, w: &[f64]) -> Vec<f64> {
        let (a, bh, w1, bo) = self.offsets();
        let (ni, nh, no) = (self.n_in, self.n_hidden, self.n_out);
        let mut units: Vec<(Vec<f64>, f64, Vec<f64>)> = (0..nh)
            .map(|j| {
                let (inc, bias, out) = (
                    w[a + j * ni..a + (j + 1) * ni].to_vec(),
                    w[bh + j],
                    (0..no).map(|c| w[w1 + c * nh + j]).collect::<Vec<_>>(),
                );
                if bias < 0.0 {
                    (inc.iter().map(|v| -v).collect(), -bias, out.iter().map(|v| -v).collect())
                } else {
                    (inc, bias, out)
                }
            })
            .collect();
        units.sort_by(|p, q| p.1.total_cmp(&q.1).then(p.0[0].total_cmp(&q.0[0])));
        let mut out = w.to_vec();
        for (j, (inc, bias, o)) in units.iter().enumerate() {
            out[a + j * ni..a + (j + 1) * ni].copy_from_slice(inc);
            out[bh + j] = *bias;
            for c in 0..no {
                out[w1 + c * nh + j] = o[c];
            }
        }
        let shift = if self.regularize_biases { 0.0 } else { w[bo..bo + no].iter().sum::<f64>() / no as f64 };
        for c in 0..no {
            out[bo + c] = w[bo + c] - shift;
        }
        out
    }

    fn regularized(&self, k: usize) -> bool {
        let (_, bh, w1, bo) = self.offsets();
        self.regularize_biases || !((bh..w1).contains(&k) || k >= bo)
    }
}

impl Energy for SoftmaxNetworkLoss {
    fn dim(&self) -> usize {
        self.n_hidden * self.n_in + self.n_hidden + self.n_out * self.n_hidden + self.n_out
    }

    fn energy(&self, w: &[f64]) -> f64 {
        let (mut hidden, mut y) = (vec![0.0; self.n_hidden], vec![0.0; self.n_out]);
        let mut loss = 0.0;
        for d in 0..self.examples() {
            self.forward(w, &self.x[d * self.n_in..(d + 1) * self.n_in], &mut hidden, &mut y);
            loss += Self::log_sum_exp(&y) - y[self.labels[d]];
        }
        loss / self.examples() as f64 + self.penalty(w)
    }
}

impl Gradient for SoftmaxNetworkLoss {
    fn energy_gradient(&self, w: &[f64], grad: &mut [f64]) -> f64 {
        let (a, bh, w1, bo) = self.offsets();
        let (ni, nh, no) = (self.n_in, self.n_hidden, self.n_out);
        grad.fill(0.0);
        let mut loss = 0.0;
        let inv = 1.0 / self.examples() as f64;
        let (mut hidden, mut y, mut dy) = (vec![0.0; nh], vec![0.0; no], vec![0.0; no]);
        for d in 0..self.examples() {
            let xd = &self.x[d * ni..(d + 1) * ni];
            self.forward(w, xd, &mut hidden, &mut y);
            let log_sum = Self::log_sum_exp(&y);
            loss += log_sum - y[self.labels[d]];
            // dL/dy_c = (p_c - [c = label]) / N_data.
            for (c, g) in dy.iter_mut().enumerate() {
                *g = ((y[c] - log_sum).exp() - if c == self.labels[d] { 1.0 } else { 0.0 }) * inv;
            }
            for c in 0..no {
                grad[bo + c] += dy[c];
                for j in 0..nh {
                    grad[w1 + c * nh + j] += dy[c] * hidden[j];
                }
            }
            for j in 0..nh {
                let back = (0..no).map(|c| dy[c] * w[w1 + c * nh + j]).sum::<f64>() * (1.0 - hidden[j] * hidden[j]);
                grad[bh + j] += back;
                for k in 0..ni {
                    grad[a + j * ni + k] += back * xd[k];
                }
            }
        }
        for k in (0..w.len()).filter(|&k| self.regularized(k)) {
            grad[k] += 2.0 * self.lambda * w[k];
        }
        loss * inv + self.penalty(w)
    }
}
