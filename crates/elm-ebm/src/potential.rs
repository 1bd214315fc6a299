//! Potentials `U(x; θ)`: an MLP for low-dimensional data and the seed's minimal ConvNet.

use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{Linear, LinearConfig, PaddingConfig2d, Relu};
use burn::tensor::activation::{leaky_relu, relu};
use burn::tensor::{Device, Tensor};

/// A learnable energy `U(x; θ)` over flattened states `x ∈ R^d`, evaluated on a batch
/// `[batch, d] -> [batch]`.
pub trait Potential: Module + Clone + Send + std::fmt::Debug + 'static {
    /// The state dimension `d`.
    fn dim(&self) -> usize;

    /// `U(x)` for every row of `x` (`[batch, d] -> [batch]`), including the Gaussian prior term
    /// `||x||^2 / (2 σ^2)` when the potential has one.
    fn energy(&self, x: Tensor<2>) -> Tensor<1>;

    /// The same energy over `L`-level states as an exact [`elm_core::DiscreteEnergy`] (level
    /// `l` is the input value `l/(L-1)`), for Gibbs synthesis ([`crate::Synthesis::Gibbs`]) and
    /// discrete mapping; `None` (the default) when the potential has no discrete form.
    fn discrete_form(&self) -> Option<Box<dyn elm_core::DiscreteEnergy + Send>> {
        None
    }
}

/// The Gaussian prior term `||x||^2 / (2 σ^2)` (seed 001 Sec. 3.4.3), `[batch, d] -> [batch]`.
fn prior(x: &Tensor<2>, sigma: Option<f64>) -> Option<Tensor<1>> {
    sigma.map(|s| x.clone().powf_scalar(2.0).sum_dim(1).squeeze_dim::<1>(1).div_scalar(2.0 * s * s))
}

/// A fully connected potential `d -> h_1 -> ... -> h_k -> 1` with a (leaky) ReLU between layers
/// and no activation at the output, for the 2-D toy densities of seed 001 Sec. 3.2.1.1.
///
/// [`Mlp::toy`] is the network of the authors' toy experiments ("ebm-anatomy"):
/// `2-32-64-64-64-1` with LeakyReLU of slope 0.05. Weights and biases start uniform in
/// `±1/sqrt(fan_in)` (burn's and PyTorch's default).
///
/// # Example
/// ```
/// use burn::tensor::{Device, Tensor, TensorData};
/// use elm_ebm::{Mlp, Potential};
/// let device = Device::flex();
/// let mlp = Mlp::new(2, 16, None, &device);
/// let x = Tensor::<2>::from_data(TensorData::new(vec![0.0f32, 1.0, 2.0, 3.0], [2, 2]), &device);
/// assert_eq!(mlp.energy(x).dims(), [2]);
/// assert_eq!(Mlp::toy(&device).hidden(), vec![32, 64, 64, 64]);
/// ```
#[derive(Module, Debug)]
pub struct Mlp {
    layers: Vec<Linear>,
    dim: usize,
    /// Negative slope of the leaky ReLU between layers (0: ReLU).
    leak: f64,
    prior_sigma: Option<f64>,
}

impl Mlp {
    /// An MLP potential `d -> hidden -> hidden -> 1` with ReLU and an optional Gaussian prior `σ`.
    pub fn new(dim: usize, hidden: usize, prior_sigma: Option<f64>, device: &Device) -> Self {
        Self::with_layers(dim, &[hidden, hidden], 0.0, prior_sigma, device)
    }

    /// An MLP potential with the given hidden widths, leaky-ReLU slope `leak` (0 = ReLU) and an
    /// optional Gaussian prior `σ`.
    pub fn with_layers(dim: usize, hidden: &[usize], leak: f64, prior_sigma: Option<f64>, device: &Device) -> Self {
        let mut widths = vec![dim];
        widths.extend_from_slice(hidden);
        widths.push(1);
        let layers = widths.windows(2).map(|w| LinearConfig::new(w[0], w[1]).init(device)).collect();
        Self { layers, dim, leak, prior_sigma }
    }

    /// The authors' toy network (seed 001 Sec. 3.2.1.1 and its public code): `2-32-64-64-64-1`,
    /// LeakyReLU(0.05), no prior.
    pub fn toy(device: &Device) -> Self {
        Self::with_layers(2, &[32, 64, 64, 64], 0.05, None, device)
    }

    /// The hidden widths.
    pub fn hidden(&self) -> Vec<usize> {
        let n = self.layers.len().saturating_sub(1);
        self.layers[..n].iter().map(|l| l.weight.val().dims()[1]).collect()
    }
}

impl Potential for Mlp {
    fn dim(&self) -> usize {
        self.dim
    }

    fn energy(&self, x: Tensor<2>) -> Tensor<1> {
        let last = self.layers.len() - 1;
        let mut h = x.clone();
        for (k, layer) in self.layers.iter().enumerate() {
            h = layer.forward(h);
            if k < last {
                h = if self.leak == 0.0 { relu(h) } else { leaky_relu(h, self.leak) };
            }
        }
        let u = h.squeeze_dim::<1>(1);
        match prior(&x, self.prior_sigma) {
            Some(p) => u + p,
            None => u,
        }
    }
}

/// The minimal ConvNet potential of seed 001 Sec. 3.1.3: a 3x3 convolution to 32 channels,
/// then three 4x4 stride-2 convolutions doubling the channels, then a fully connected scalar;
/// ReLU between layers and no activation at the output. Inputs are flattened `c x s x s` images
/// (`s` divisible by 8).
///
/// # Example
/// ```
/// use burn::tensor::{Device, Tensor};
/// use elm_ebm::{ConvNet, Potential};
/// let device = Device::flex();
/// let net = ConvNet::new(1, 16, None, &device);
/// assert_eq!(net.dim(), 256);
/// let x = Tensor::<2>::zeros([3, 256], &device);
/// assert_eq!(net.energy(x).dims(), [3]);
/// ```
#[derive(Module, Debug)]
pub struct ConvNet {
    c1: Conv2d,
    c2: Conv2d,
    c3: Conv2d,
    c4: Conv2d,
    fc: Linear,
    act: Relu,
    channels: usize,
    side: usize,
    prior_sigma: Option<f64>,
}

impl ConvNet {
    /// A ConvNet for `channels x side x side` images (`side` divisible by 8).
    ///
    /// # Panics
    /// If `side` is not a positive multiple of 8 (a construction-time programming error).
    pub fn new(channels: usize, side: usize, prior_sigma: Option<f64>, device: &Device) -> Self {
        assert!(side > 0 && side.is_multiple_of(8), "ConvNet side must be a positive multiple of 8");
        let down = |a: usize, b: usize| {
            Conv2dConfig::new([a, b], [4, 4])
                .with_stride([2, 2])
                .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
                .init(device)
        };
        Self {
            c1: Conv2dConfig::new([channels, 32], [3, 3])
                .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
                .init(device),
            c2: down(32, 64),
            c3: down(64, 128),
            c4: down(128, 256),
            fc: LinearConfig::new(256 * (side / 8) * (side / 8), 1).init(device),
            act: Relu::new(),
            channels,
            side,
            prior_sigma,
        }
    }
}

impl Potential for ConvNet {
    fn dim(&self) -> usize {
        self.channels * self.side * self.side
    }

    fn energy(&self, x: Tensor<2>) -> Tensor<1> {
        let [batch, _] = x.dims();
        let img: Tensor<4> = x.clone().reshape([batch, self.channels, self.side, self.side]);
        let h = self.act.forward(self.c1.forward(img));
        let h = self.act.forward(self.c2.forward(h));
        let h = self.act.forward(self.c3.forward(h));
        let h = self.act.forward(self.c4.forward(h));
        let flat: Tensor<2> = h.reshape([batch as i64, -1]);
        let u = self.fc.forward(flat).squeeze_dim::<1>(1);
        match prior(&x, self.prior_sigma) {
            Some(p) => u + p,
            None => u,
        }
    }
}

/// Writes the weights of `model` to `path` (burn's binary record format; a toy [`Mlp::toy`] takes
/// about 40 KB), for committing trained weights that examples load instead of retraining.
///
/// # Errors
/// [`crate::Error::Checkpoint`] when the file cannot be written.
pub fn save_weights<P: Potential>(model: &P, path: &std::path::Path) -> crate::Result<()> {
    model
        .clone()
        .save_file(path)
        .map_err(|e| crate::Error::checkpoint(path, elm_core::CheckpointFailure::Format(format!("{e:?}"))))
}

/// Loads weights written by [`save_weights`] into `model` (built with the same architecture).
///
/// burn may read a record's tensors from the file lazily, when the model is first used (the
/// wgpu backend does: a test that deleted the file right after loading got the untrained
/// weights and a host-read error), so keep the file until the loaded model has run.
///
/// # Errors
/// [`crate::Error::Checkpoint`] for a missing or unreadable file or another architecture.
///
/// # Example
/// ```
/// use elm_ebm::{Device, Mlp, Potential, load_weights, save_weights};
/// let device = Device::flex();
/// let path = std::env::temp_dir().join(format!("elm-doc-weights-{}.bpk", std::process::id()));
/// let a = Mlp::toy(&device);
/// save_weights(&a, &path).unwrap();
/// let b = load_weights(Mlp::toy(&device), &path).unwrap();
/// std::fs::remove_file(&path).unwrap();
/// assert!(load_weights(Mlp::toy(&device), &path).is_err());
/// # let _ = b;
/// ```
pub fn load_weights<P: Potential>(model: P, path: &std::path::Path) -> crate::Result<P> {
    model
        .try_load_file(path)
        .map_err(|e| crate::Error::checkpoint(path, elm_core::CheckpointFailure::Format(format!("{e:?}"))))
}
