//! Generator networks `g(z; θ₂)`: latent vectors to images (seed 001 App. A, seed 000 Sec. 5.3).

use burn::module::Module;
use burn::nn::conv::{ConvTranspose2d, ConvTranspose2dConfig};
use burn::nn::{Linear, LinearConfig};
use burn::tensor::activation::{leaky_relu, relu};
use burn::tensor::{Device, Tensor};

/// A generator `g: R^d → R^D` from latent vectors to (flattened) states, evaluated on a batch
/// `[batch, d] -> [batch, D]`. The latent distribution is `N(0, I_d)` (seed 001 Eq. A.1).
pub trait Generator: Module + Clone + Send + std::fmt::Debug + 'static {
    /// The latent dimension `d`.
    fn latent_dim(&self) -> usize;

    /// The output (state) dimension `D`.
    fn output_dim(&self) -> usize;

    /// `g(z)` for every row of `z`.
    fn generate(&self, z: Tensor<2>) -> Tensor<2>;
}

/// The image generator of seed 000 Sec. 5.3.1: a latent `z ∈ R^d` (a `d x 1 x 1` map) is
/// projected by a 4x4 transposed convolution to `w₀` channels at 4x4, then each further layer
/// doubles the side with a 5x5 transposed convolution (stride 2) — ReLU after every layer but the
/// last, `tanh` at the output. The output `t ∈ (-1, 1)` is mapped to `x = (1 + t)/2 ∈ (0, 1)`,
/// the input scale of the descriptors of this crate ([`crate::FrameNet`] reads `[0, 1]`).
///
/// [`ConvGenerator::seed`] is the seed's digits generator: 4x4 to 100 channels, 5x5 to 50, 5x5
/// to one 16x16 grey image.
///
/// # Example
/// ```
/// use burn::tensor::{Device, Tensor};
/// use elm_ebm::{ConvGenerator, Generator};
/// let device = Device::flex();
/// let g = ConvGenerator::seed(2, &device);
/// assert_eq!((g.latent_dim(), g.output_dim()), (2, 256));
/// let x = g.generate(Tensor::<2>::zeros([3, 2], &device));
/// assert_eq!(x.dims(), [3, 256]);
/// ```
#[derive(Module, Debug)]
pub struct ConvGenerator {
    project: ConvTranspose2d,
    up: Vec<ConvTranspose2d>,
    latent: usize,
    channels: usize,
    side: usize,
}

impl ConvGenerator {
    /// A generator from `latent` dimensions to `channels x side x side` images through the
    /// channel widths `widths` (`widths[0]` at 4x4, `widths[k]` at `4·2^k`); `side` is
    /// `4 · 2^{widths.len()}`.
    ///
    /// # Panics
    /// If `widths` is empty or `latent` or `channels` is 0 (construction-time programming errors).
    pub fn new(latent: usize, channels: usize, widths: &[usize], device: &Device) -> Self {
        assert!(!widths.is_empty() && latent > 0 && channels > 0, "ConvGenerator needs widths, latent and channels");
        let project = ConvTranspose2dConfig::new([latent, widths[0]], [4, 4]).init(device);
        let mut outs = widths[1..].to_vec();
        outs.push(channels);
        let up = widths
            .iter()
            .zip(&outs)
            .map(|(&a, &b)| {
                ConvTranspose2dConfig::new([a, b], [5, 5])
                    .with_stride([2, 2])
                    .with_padding([2, 2])
                    .with_padding_out([1, 1])
                    .init(device)
            })
            .collect();
        Self { project, up, latent, channels, side: 4 << widths.len() }
    }

    /// Seed 000 Sec. 5.3.1's generator of 16x16 grey images: widths 100 and 50.
    pub fn seed(latent: usize, device: &Device) -> Self {
        Self::new(latent, 1, &[100, 50], device)
    }

    /// The image side.
    pub fn side(&self) -> usize {
        self.side
    }
}

impl Generator for ConvGenerator {
    fn latent_dim(&self) -> usize {
        self.latent
    }

    fn output_dim(&self) -> usize {
        self.channels * self.side * self.side
    }

    fn generate(&self, z: Tensor<2>) -> Tensor<2> {
        let [batch, _] = z.dims();
        let mut h = relu(self.project.forward(z.reshape([batch, self.latent, 1, 1])));
        let last = self.up.len() - 1;
        for (k, layer) in self.up.iter().enumerate() {
            h = layer.forward(h);
            if k < last {
                h = relu(h);
            }
        }
        let t = h.tanh();
        t.add_scalar(1.0).mul_scalar(0.5).reshape([batch, self.output_dim()])
    }
}

/// A fully connected generator `d -> h_1 -> ... -> h_k -> D` with leaky ReLU between layers
/// and a linear output, for low-dimensional (toy) densities.
///
/// # Example
/// ```
/// use burn::tensor::{Device, Tensor};
/// use elm_ebm::{Generator, MlpGenerator};
/// let device = Device::flex();
/// let g = MlpGenerator::new(2, 2, &[32, 32], &device);
/// assert_eq!(g.generate(Tensor::<2>::zeros([5, 2], &device)).dims(), [5, 2]);
/// ```
#[derive(Module, Debug)]
pub struct MlpGenerator {
    layers: Vec<Linear>,
    latent: usize,
    output: usize,
}

impl MlpGenerator {
    /// A generator from `latent` to `output` dimensions through the hidden widths `hidden`
    /// (leaky ReLU of slope 0.05 between layers).
    pub fn new(latent: usize, output: usize, hidden: &[usize], device: &Device) -> Self {
        let mut widths = vec![latent];
        widths.extend_from_slice(hidden);
        widths.push(output);
        let layers = widths.windows(2).map(|w| LinearConfig::new(w[0], w[1]).init(device)).collect();
        Self { layers, latent, output }
    }
}

impl Generator for MlpGenerator {
    fn latent_dim(&self) -> usize {
        self.latent
    }

    fn output_dim(&self) -> usize {
        self.output
    }

    fn generate(&self, z: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        let mut h = z;
        for (k, layer) in self.layers.iter().enumerate() {
            h = layer.forward(h);
            if k < last {
                h = leaky_relu(h, 0.05);
            }
        }
        h
    }
}

/// Writes a generator's weights (burn's binary record format).
///
/// # Errors
/// [`crate::Error::Checkpoint`] when the file cannot be written.
pub fn save_generator<G: Generator>(model: &G, path: &std::path::Path) -> crate::Result<()> {
    model
        .clone()
        .save_file(path)
        .map_err(|e| crate::Error::checkpoint(path, elm_core::CheckpointFailure::Format(format!("{e:?}"))))
}

/// Loads weights written by [`save_generator`] into `model` (built with the same architecture).
///
/// # Errors
/// [`crate::Error::Checkpoint`] for a missing or unreadable file or another architecture.
pub fn load_generator<G: Generator>(model: G, path: &std::path::Path) -> crate::Result<G> {
    model
        .try_load_file(path)
        .map_err(|e| crate::Error::checkpoint(path, elm_core::CheckpointFailure::Format(format!("{e:?}"))))
}
