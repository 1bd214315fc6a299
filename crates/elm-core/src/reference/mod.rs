//! Reference energies with known minima, saddles or thermodynamics, used by tests,
//! benchmarks and the examples that reproduce the seeds' figures.
//!
//! | energy | space | source |
//! |---|---|---|
//! | [`NoisyDoubleBasin`] | `R` | seed 000 Fig. 5, 7 |
//! | [`GaussianMixtureLandscape`] | `R^2` | seed 000 Fig. 6 |
//! | [`Gaussian`] | `R^d` | exact target for sampler tests |
//! | [`MullerBrown`] | `R^2` | Müller & Brown 1979 |
//! | [`GaussianWells`] | `R^2` | random smooth landscapes for path-method tests |
//! | [`LennardJones`] | `R^{3N}` | Wales & Doye 1997 |
//! | [`NonlinearRegression`] | `R^5` | seed 002 Eq. 8-10 |
//! | [`SoftmaxNetworkLoss`] | network weights | seed 002 Eq. 2-4 |
//! | [`MlpLoss`] | network weights | seed 002 Sec. III, seed 003, seed 004 |
//! | [`Ising`] | `{±1}^{L×L}` | seed 000 Eq. 3.3, Onsager 1944 |
//! | [`SherringtonKirkpatrick`] | `{±1}^N` | seed 000 Eq. 5.1 |
//! | [`SphericalPSpin`] | sphere `|w|² = N` | seed 002 Eq. 14 |

mod gaussian;
mod gaussian_mixture;
mod gaussian_wells;
mod ising;
mod lennard_jones;
mod mlp_loss;
mod muller_brown;
mod network_loss;
mod noisy_double_basin;
mod nonlinear_regression;
mod pspin;
mod sherrington_kirkpatrick;

pub use gaussian::Gaussian;
pub use gaussian_mixture::GaussianMixtureLandscape;
pub use gaussian_wells::{GaussianWells, Well};
pub use ising::Ising;
pub use lennard_jones::LennardJones;
pub use mlp_loss::{Activation, LossFunction, MlpLoss, OutputLayer};
pub use muller_brown::MullerBrown;
pub use network_loss::SoftmaxNetworkLoss;
pub use noisy_double_basin::NoisyDoubleBasin;
pub use nonlinear_regression::NonlinearRegression;
pub use pspin::SphericalPSpin;
pub use sherrington_kirkpatrick::{ExactLandscape, SherringtonKirkpatrick};
