//! The scoring network of seed 000 Sec. 5.2 for small grey-level images, and its exact,
//! incremental discrete energy for Gibbs sampling in `L`-level image space.

use crate::potential::Potential;
use burn::module::{Module, Param};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{Linear, LinearConfig};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};
use elm_core::DiscreteEnergy;
use serde::{Deserialize, Serialize};

/// Filter side of the convolution.
const K: usize = 5;

/// The DeepFRAME scoring network of seed 000 Sec. 5.2.1 for `side x side` grey images:
/// a convolution with `filters` 5x5 filters (stride 1, no padding), then fully connected layers
/// with `hidden` and `outputs` units, ReLU after every layer; the score is the sum of the
/// `outputs` responses (the DeepFRAME convention of [48] = Xie et al. 2016, "A theory of
/// generative ConvNet": the top layer's filter responses are summed into `F`). The energy is
/// seed 000 Eq. 5.3,
///
/// $$ E(X \mid W) = -F(X \mid W) + \frac{\lVert X \rVert_2^2}{2 \sigma^2}, \qquad
///    F(X \mid W) = \sum_{o=1}^{10} \mathrm{relu}\Big(b_o^{(2)} + \sum_{j=1}^{50} W_{jo}^{(2)}
///    \mathrm{relu}\big(h_j(X)\big)\Big), $$
///
/// with `h_j(X)` the pre-activations of the 50-unit layer (a dense map of the ReLU'd convolution
/// responses) and `X` the image on the network's input scale (`[0, 1]`; level `l` of `L` is
/// `l/(L-1)`).
/// [`FrameNet::seed`] is the seed's size: 100 filters, 50 and 10 units, 16x16 images.
/// [`FrameNet::image_energy`] turns the weights into a fast exact [`DiscreteEnergy`] over the
/// `L`-level images for Gibbs sampling and ADELM.
///
/// # Example
/// ```
/// use burn::tensor::{Device, Tensor};
/// use elm_ebm::{FrameNet, Potential};
/// let device = Device::flex();
/// let net = FrameNet::seed(Some(1.0), 8, &device);
/// assert_eq!(net.dim(), 256);
/// assert_eq!(net.energy(Tensor::<2>::zeros([2, 256], &device)).dims(), [2]);
/// ```
///
/// # References
/// Seed 000 (Hill, Nijkamp, Zhu 2019) Sec. 5.2, Eq. 5.2-5.3; Xie, Lu, Zhu, Wu (2016).
#[derive(Module, Debug)]
pub struct FrameNet {
    conv: Conv2d,
    fc1: Linear,
    fc2: Linear,
    side: usize,
    filters: usize,
    hidden: usize,
    outputs: usize,
    levels: usize,
    prior_sigma: Option<f64>,
}

impl FrameNet {
    /// A scoring network for `side x side` images with the given layer sizes, an optional
    /// Gaussian prior `σ` (on the `[0, 1]` input scale) and `levels` grey levels for the discrete
    /// form.
    ///
    /// # Panics
    /// If `side < 5`, a size is 0 or `levels` is outside `2..=256` (construction-time programming
    /// errors).
    pub fn new(
        side: usize,
        filters: usize,
        hidden: usize,
        outputs: usize,
        levels: usize,
        prior_sigma: Option<f64>,
        device: &Device,
    ) -> Self {
        assert!(side >= K && filters > 0 && hidden > 0 && outputs > 0, "FrameNet sizes");
        assert!((2..=256).contains(&levels), "FrameNet levels must lie in 2..=256");
        let out = side - K + 1;
        Self {
            conv: Conv2dConfig::new([1, filters], [K, K]).init(device),
            fc1: LinearConfig::new(filters * out * out, hidden).init(device),
            fc2: LinearConfig::new(hidden, outputs).init(device),
            side,
            filters,
            hidden,
            outputs,
            levels,
            prior_sigma,
        }
    }

    /// The seed's network: 16x16 images, 100 filters, 50 and 10 units.
    pub fn seed(prior_sigma: Option<f64>, levels: usize, device: &Device) -> Self {
        Self::new(16, 100, 50, 10, levels, prior_sigma, device)
    }

    /// The image side.
    pub fn side(&self) -> usize {
        self.side
    }

    /// Grey levels of the discrete form.
    pub fn levels(&self) -> usize {
        self.levels
    }

    /// The score `F(X)` for every row (`[batch, side²] -> [batch]`).
    pub fn score(&self, x: Tensor<2>) -> Tensor<1> {
        let [batch, _] = x.dims();
        let img: Tensor<4> = x.reshape([batch, 1, self.side, self.side]);
        let h = relu(self.conv.forward(img));
        let flat: Tensor<2> = h.reshape([batch as i64, -1]);
        let h = relu(self.fc1.forward(flat));
        let o = relu(self.fc2.forward(h));
        o.sum_dim(1).squeeze_dim::<1>(1)
    }

    /// The weights as plain arrays, wrapped as the exact discrete energy over `levels`-level
    /// images (see [`FrameImageEnergy`]).
    pub fn image_energy(&self) -> FrameImageEnergy {
        let values = |t: Tensor<1>| t.into_data().try_to_vec::<f32>().unwrap_or_default();
        let flat = |p: &Param<Tensor<2>>| values(p.val().reshape([-1]));
        let bias = |b: &Option<Param<Tensor<1>>>, n: usize| b.as_ref().map_or(vec![0.0; n], |b| values(b.val()));
        let conv_w = values(self.conv.weight.val().reshape([-1]));
        FrameImageEnergy::with_pixel_sums(FrameImageEnergy {
            side: self.side,
            filters: self.filters,
            hidden: self.hidden,
            outputs: self.outputs,
            levels: self.levels,
            prior_sigma: self.prior_sigma,
            value_scale: 255.0,
            conv_w,
            conv_b: bias(&self.conv.bias, self.filters),
            w1: flat(&self.fc1.weight),
            b1: bias(&self.fc1.bias, self.hidden),
            w2: flat(&self.fc2.weight),
            b2: bias(&self.fc2.bias, self.outputs),
            pixel_linear: vec![],
        })
    }
}

impl Potential for FrameNet {
    fn dim(&self) -> usize {
        self.side * self.side
    }

    fn energy(&self, x: Tensor<2>) -> Tensor<1> {
        let u = -self.score(x.clone());
        match self.prior_sigma {
            Some(s) => u + x.powf_scalar(2.0).sum_dim(1).squeeze_dim::<1>(1).div_scalar(2.0 * s * s),
            None => u,
        }
    }

    fn discrete_form(&self) -> Option<Box<dyn DiscreteEnergy + Send>> {
        Some(Box::new(self.image_energy()))
    }
}

/// The energy of a [`FrameNet`] over `L`-level images as an exact [`DiscreteEnergy`]: site `i`
/// is pixel `i` (row-major), level `l` is the input value `l/(L-1)`, and
/// [`DiscreteEnergy::level_value`] reports `l · 255/(L-1)` so that distances (AD's magnet, its
/// resolution `δ`) are on the seed's 0-255 scale (seed 000 Sec. 5.2.1: `δ = 150`).
///
/// **Incremental evaluation.** The auxiliary cache holds the convolution's pre-activations
/// `a_k` and the first dense layer's pre-activations `h_j`. Changing pixel `p` by `Δ` moves only
/// the `a_k` whose 5x5 window covers `p` (at most `25 · filters` of `filters · 12²` on 16x16
/// images: about 1/6) by `w_k Δ`; a unit active at every level of the pixel contributes `w_k Δ`
/// to `h` linearly, a unit inactive at every level nothing, and only the units whose ReLU kinks
/// inside the level range need per-level work. [`DiscreteEnergy::delta_levels`] evaluates all
/// `L` levels of a pixel in one pass this way; [`DiscreteEnergy::update_aux`] moves the cache
/// with a pixel.
///
/// Values are `f32` in the network and `f64` in the cache (re-synchronize long chains with
/// `DiscreteState::resync`; on the committed digits weights the cached energy of a 480-change
/// descent and 50 Gibbs sweeps stays within 1e-3 of a full evaluation).
///
/// # Example
/// ```
/// use elm_core::{DiscreteEnergy, DiscreteState};
/// use elm_ebm::{Device, FrameNet};
/// let device = Device::flex();
/// let energy = FrameNet::new(8, 3, 4, 2, 8, Some(1.0), &device).image_energy();
/// let mut s = DiscreteState::new(&energy, vec![0; 64]).unwrap();
/// let mut deltas = vec![0.0; 8];
/// s.delta_levels(&energy, 27, &mut deltas); // all 8 levels of pixel 27 in one pass
/// s.set(&energy, 27, 5);
/// let exact = energy.energy(s.as_slice());
/// assert!((s.energy() - exact).abs() < 1e-5);
/// assert!((deltas[5] - (exact - energy.energy(&[0; 64]))).abs() < 1e-5);
/// assert_eq!(energy.level_value(7), 255.0); // distances on the 0-255 scale
/// ```
///
/// # References
/// Seed 000 Sec. 5.2.1 (Gibbs sampling in 8-level image space).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameImageEnergy {
    side: usize,
    filters: usize,
    hidden: usize,
    outputs: usize,
    levels: usize,
    prior_sigma: Option<f64>,
    value_scale: f64,
    /// `[filters][5][5]`.
    conv_w: Vec<f32>,
    conv_b: Vec<f32>,
    /// `[units][hidden]` (burn's `[in, out]` layout: one row per convolution unit).
    w1: Vec<f32>,
    b1: Vec<f32>,
    /// `[hidden][outputs]`.
    w2: Vec<f32>,
    b2: Vec<f32>,
    /// `[sites][hidden]`: `G_p = Σ_k slope_k W1_k` over the units whose window covers pixel `p`,
    /// the change of `h` per unit change of pixel `p` if every such unit were active.
    pixel_linear: Vec<f32>,
}

/// `acc += scale * row`.
#[inline]
fn axpy(acc: &mut [f32], scale: f32, row: &[f32]) {
    for (t, &w) in acc.iter_mut().zip(row) {
        *t += w * scale;
    }
}

impl FrameImageEnergy {
    fn with_pixel_sums(mut self) -> Self {
        let hidden = self.hidden;
        let mut sums = vec![0.0f64; self.sites() * hidden];
        for (i, g) in sums.chunks_mut(hidden).enumerate() {
            self.for_each_unit(i, |k, slope| {
                for (t, &w) in g.iter_mut().zip(&self.w1[k * hidden..(k + 1) * hidden]) {
                    *t += f64::from(w) * f64::from(slope);
                }
            });
        }
        self.pixel_linear = sums.into_iter().map(|v| v as f32).collect();
        self
    }

    /// Splits the units of pixel `i` by what a change `Δ ∈ [lo, hi]` (with `lo <= 0 <= hi`) does
    /// to their ReLU: `linear` receives `Σ slope_k W1_k` over the units active on the whole
    /// range, `kinked(a_k, slope_k, W1_k)` is called for the units active on part of it, and
    /// units inactive on the whole range are skipped. When most units of the window are active,
    /// `linear` starts from the precomputed `G_i` and the other units are subtracted, so only the
    /// minority's weight rows are read.
    #[inline]
    fn split_units(
        &self,
        a: &[f64],
        i: usize,
        lo: f32,
        hi: f32,
        linear: &mut [f32],
        mut kinked: impl FnMut(f32, f32, &[f32]),
    ) {
        let hidden = self.hidden;
        let (mut active, mut total) = (0usize, 0usize);
        self.for_each_unit(i, |k, _| {
            total += 1;
            active += usize::from(a[k] > 0.0);
        });
        let complement = 2 * active > total;
        if complement {
            linear.copy_from_slice(&self.pixel_linear[i * hidden..(i + 1) * hidden]);
        } else {
            linear.fill(0.0);
        }
        self.for_each_unit(i, |k, slope| {
            let ak = a[k] as f32;
            let (e0, e1) = (ak + slope * lo, ak + slope * hi);
            let (min, max) = if e0 < e1 { (e0, e1) } else { (e1, e0) };
            let row = &self.w1[k * hidden..(k + 1) * hidden];
            if min >= 0.0 && ak >= 0.0 {
                if !complement {
                    axpy(linear, slope, row);
                }
                return;
            }
            if complement {
                axpy(linear, -slope, row);
            }
            if max > 0.0 {
                kinked(ak, slope, row);
            }
        });
    }

    fn sites(&self) -> usize {
        self.side * self.side
    }

    fn out_side(&self) -> usize {
        self.side - K + 1
    }

    fn units(&self) -> usize {
        self.filters * self.out_side() * self.out_side()
    }

    fn step(&self) -> f64 {
        1.0 / (self.levels - 1) as f64
    }

    /// The input value of a level (`l/(L-1)`).
    pub fn input_value(&self, level: u8) -> f64 {
        f64::from(level) * self.step()
    }

    /// Sets the scale of [`DiscreteEnergy::level_value`] (default 255: the top level is 255).
    pub fn with_value_scale(mut self, scale: f64) -> Self {
        self.value_scale = scale;
        self
    }

    /// The score from the dense layer's pre-activations: `Σ_o relu(b2_o + Σ_j W2_jo relu(h_j))`.
    fn score_from_hidden(&self, h: &[f64]) -> f64 {
        let mut total = 0.0;
        for o in 0..self.outputs {
            let mut z = f64::from(self.b2[o]);
            for (j, &hj) in h.iter().enumerate() {
                if hj > 0.0 {
                    z += f64::from(self.w2[j * self.outputs + o]) * hj;
                }
            }
            total += z.max(0.0);
        }
        total
    }

    fn prior(&self, x: f64) -> f64 {
        self.prior_sigma.map_or(0.0, |s| x * x / (2.0 * s * s))
    }

    /// Convolution and first-layer pre-activations of `s`, written into `aux`.
    fn forward(&self, s: &[u8], aux: &mut [f64]) {
        let (o, side) = (self.out_side(), self.side);
        let units = self.units();
        let (a, h) = aux.split_at_mut(units);
        let x: Vec<f64> = s.iter().map(|&l| self.input_value(l)).collect();
        for f in 0..self.filters {
            let w = &self.conv_w[f * K * K..(f + 1) * K * K];
            for y in 0..o {
                for c in 0..o {
                    let mut z = f64::from(self.conv_b[f]);
                    for dy in 0..K {
                        for dx in 0..K {
                            z += f64::from(w[dy * K + dx]) * x[(y + dy) * side + c + dx];
                        }
                    }
                    a[f * o * o + y * o + c] = z;
                }
            }
        }
        for (j, hj) in h.iter_mut().enumerate() {
            *hj = f64::from(self.b1[j]);
        }
        let hidden = self.hidden;
        let mut acc = vec![0.0f32; hidden];
        for (k, &ak) in a.iter().enumerate() {
            if ak > 0.0 {
                let r = ak as f32;
                for (t, &w) in acc.iter_mut().zip(&self.w1[k * hidden..(k + 1) * hidden]) {
                    *t += w * r;
                }
            }
        }
        for (hj, t) in h.iter_mut().zip(acc) {
            *hj += f64::from(t);
        }
    }

    /// Calls `visit(unit, slope)` for every convolution unit whose window covers pixel `i`.
    #[inline]
    fn for_each_unit(&self, i: usize, mut visit: impl FnMut(usize, f32)) {
        let (o, side) = (self.out_side(), self.side);
        let (py, px) = (i / side, i % side);
        let (y0, y1) = (py.saturating_sub(K - 1), py.min(o - 1));
        let (x0, x1) = (px.saturating_sub(K - 1), px.min(o - 1));
        if y0 > y1 || x0 > x1 {
            return;
        }
        for f in 0..self.filters {
            let w = &self.conv_w[f * K * K..(f + 1) * K * K];
            for y in y0..=y1 {
                for c in x0..=x1 {
                    let slope = w[(py - y) * K + (px - c)];
                    if slope != 0.0 {
                        visit(f * o * o + y * o + c, slope);
                    }
                }
            }
        }
    }
}

impl DiscreteEnergy for FrameImageEnergy {
    fn sites(&self) -> usize {
        FrameImageEnergy::sites(self)
    }

    fn levels(&self) -> usize {
        self.levels
    }

    fn energy(&self, s: &[u8]) -> f64 {
        let mut aux = vec![0.0; self.aux_len()];
        self.forward(s, &mut aux);
        let prior: f64 = s.iter().map(|&l| self.prior(self.input_value(l))).sum();
        -self.score_from_hidden(&aux[self.units()..]) + prior
    }

    fn level_value(&self, level: u8) -> f64 {
        f64::from(level) * self.value_scale / (self.levels - 1) as f64
    }

    fn aux_len(&self) -> usize {
        self.units() + self.hidden
    }

    fn init_aux(&self, s: &[u8], aux: &mut [f64]) {
        self.forward(s, aux);
    }

    fn delta_aux(&self, s: &[u8], aux: &[f64], i: usize, v: u8) -> f64 {
        let mut out = vec![0.0; self.levels];
        self.delta_levels(s, aux, i, &mut out);
        out[usize::from(v)]
    }

    fn update_aux(&self, s: &[u8], aux: &mut [f64], i: usize, v: u8) {
        let delta = (self.input_value(v) - self.input_value(s[i])) as f32;
        let hidden = self.hidden;
        let units = self.units();
        let (a, h) = aux.split_at_mut(units);
        let mut linear = vec![0.0f32; hidden];
        let mut acc = vec![0.0f32; hidden];
        self.split_units(a, i, delta.min(0.0), delta.max(0.0), &mut linear, |ak, slope, row| {
            let change = (ak + slope * delta).max(0.0) - ak.max(0.0);
            if change != 0.0 {
                axpy(&mut acc, change, row);
            }
        });
        self.for_each_unit(i, |k, slope| a[k] += f64::from(slope * delta));
        for ((hj, l), t) in h.iter_mut().zip(linear).zip(acc) {
            *hj += f64::from(delta * l + t);
        }
    }

    fn delta_levels(&self, s: &[u8], aux: &[f64], i: usize, out: &mut [f64]) {
        let levels = self.levels;
        let hidden = self.hidden;
        let units = self.units();
        let (a, h) = aux.split_at(units);
        let current = s[i];
        let xc = self.input_value(current) as f32;
        let step = self.step() as f32;
        let (lo, hi) = (-xc, 1.0 - xc);
        let mut linear = vec![0.0f32; hidden];
        let mut kinked = vec![0.0f32; levels * hidden];
        self.split_units(a, i, lo, hi, &mut linear, |ak, slope, row| {
            let r0 = ak.max(0.0);
            for (l, acc) in kinked.chunks_mut(hidden).enumerate() {
                let change = (ak + slope * (l as f32 * step - xc)).max(0.0) - r0;
                if change != 0.0 {
                    axpy(acc, change, row);
                }
            }
        });
        let base = self.score_from_hidden(h);
        let prior0 = self.prior(f64::from(xc));
        let mut moved = vec![0.0f64; hidden];
        for (l, o) in out.iter_mut().enumerate() {
            if l == usize::from(current) {
                *o = 0.0;
                continue;
            }
            let d = l as f32 * step - xc;
            let acc = &kinked[l * hidden..(l + 1) * hidden];
            for j in 0..hidden {
                moved[j] = h[j] + f64::from(d * linear[j] + acc[j]);
            }
            *o = -(self.score_from_hidden(&moved) - base) + self.prior(self.input_value(l as u8)) - prior0;
        }
    }
}
