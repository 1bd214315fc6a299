//! Potentials `U(x; θ)`: an MLP for low-dimensional data and the seed's minimal ConvNet.

use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{Linear, LinearConfig, PaddingConfig2d, Relu};
use burn::tensor::{Device, Tensor};

/// A learnable energy `U(x; θ)` over flattened states `x ∈ R^d`, evaluated on a batch
/// `[batch, d] -> [batch]`.
pub trait Potential: Module + Clone + Send + std::fmt::Debug + 'static {
    /// The state dimension `d`.
    fn dim(&self) -> usize;

    /// `U(x)` for every row of `x` (`[batch, d] -> [batch]`), including the Gaussian prior term
    /// `||x||^2 / (2 σ^2)` when the potential has one.
    fn energy(&self, x: Tensor<2>) -> Tensor<1>;
}

/// The Gaussian prior term `||x||^2 / (2 σ^2)` (seed 001 Sec. 3.4.3), `[batch, d] -> [batch]`.
fn prior(x: &Tensor<2>, sigma: Option<f64>) -> Option<Tensor<1>> {
    sigma.map(|s| x.clone().powf_scalar(2.0).sum_dim(1).squeeze_dim::<1>(1).div_scalar(2.0 * s * s))
}

/// A fully connected potential `d -> h -> h -> 1` with ReLU between layers and no activation at
/// the output, for the 2-D toy densities of seed 001 Sec. 3.2.1.1.
///
/// # Example
/// ```
/// use burn::tensor::{Device, Tensor, TensorData};
/// use elm_ebm::{Mlp, Potential};
/// let device = Device::flex();
/// let mlp = Mlp::new(2, 16, None, &device);
/// let x = Tensor::<2>::from_data(TensorData::new(vec![0.0f32, 1.0, 2.0, 3.0], [2, 2]), &device);
/// assert_eq!(mlp.energy(x).dims(), [2]);
/// ```
#[derive(Module, Debug)]
pub struct Mlp {
    l1: Linear,
    l2: Linear,
    l3: Linear,
    act: Relu,
    dim: usize,
    prior_sigma: Option<f64>,
}

impl Mlp {
    /// An MLP potential with `hidden` units per layer and an optional Gaussian prior `σ`.
    pub fn new(dim: usize, hidden: usize, prior_sigma: Option<f64>, device: &Device) -> Self {
        Self {
            l1: LinearConfig::new(dim, hidden).init(device),
            l2: LinearConfig::new(hidden, hidden).init(device),
            l3: LinearConfig::new(hidden, 1).init(device),
            act: Relu::new(),
            dim,
            prior_sigma,
        }
    }
}

impl Potential for Mlp {
    fn dim(&self) -> usize {
        self.dim
    }

    fn energy(&self, x: Tensor<2>) -> Tensor<1> {
        let h = self.act.forward(self.l1.forward(x.clone()));
        let h = self.act.forward(self.l2.forward(h));
        let u = self.l3.forward(h).squeeze_dim::<1>(1);
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
