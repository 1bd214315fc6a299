//! Every public driver, parameter, record, report and error type of the workspace can cross
//! threads: `Send + Sync` (checked at compile time; a type that loses it fails to build this
//! test). Drivers run inside rayon tasks and records are handed to other threads for saving,
//! so losing either is a breaking change.

use elm_core::reference::{MullerBrown, SherringtonKirkpatrick};

fn send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_and_sync() {
    // elm-core
    send_sync::<elm_core::Lbfgs>();
    send_sync::<elm_core::Fire>();
    send_sync::<elm_core::DiscreteDescent>();
    send_sync::<elm_core::DiscreteState>();
    send_sync::<elm_core::Magnetized<MullerBrown>>();
    send_sync::<elm_core::Tempered<SherringtonKirkpatrick>>();
    send_sync::<elm_core::Counted<MullerBrown>>();
    send_sync::<elm_core::BarrierMatrix>();
    send_sync::<elm_core::SameMinimum>();
    send_sync::<elm_core::TaskRng>();
    send_sync::<elm_core::Error>();
    send_sync::<elm_core::CheckpointError>();
    // elm-mcmc
    send_sync::<elm_mcmc::Chain>();
    send_sync::<elm_mcmc::ChainReport<Vec<f64>>>();
    send_sync::<elm_mcmc::RandomWalkMetropolis>();
    send_sync::<elm_mcmc::ComponentwiseMetropolis>();
    send_sync::<elm_mcmc::Langevin>();
    send_sync::<elm_mcmc::Mala>();
    send_sync::<elm_mcmc::Hmc>();
    send_sync::<elm_mcmc::Gibbs>();
    send_sync::<elm_mcmc::DiscreteMetropolis>();
    send_sync::<elm_mcmc::ContinuousState>();
    send_sync::<elm_mcmc::Error>();
    // elm-ad
    send_sync::<elm_ad::Adelm>();
    send_sync::<elm_ad::AdelmParams>();
    send_sync::<elm_ad::AdelmRecord<Vec<f64>>>();
    send_sync::<elm_ad::AdelmRecord<Vec<u8>>>();
    send_sync::<elm_ad::AttractionDiffusion>();
    send_sync::<elm_ad::BarrierEstimation>();
    send_sync::<elm_ad::BarrierReport>();
    send_sync::<elm_ad::BasinGraph>();
    send_sync::<elm_ad::ContinuousSpace<MullerBrown, elm_mcmc::RandomWalkMetropolis, elm_core::Lbfgs>>();
    send_sync::<elm_ad::DiscreteSpace<SherringtonKirkpatrick, elm_mcmc::Gibbs>>();
    send_sync::<elm_ad::UniformBox>();
    send_sync::<elm_ad::UniformLevels>();
    send_sync::<elm_ad::Error>();
    // elm-paths
    send_sync::<elm_paths::ElasticBand>();
    send_sync::<elm_paths::BandReport>();
    send_sync::<elm_paths::AutoNeb>();
    send_sync::<elm_paths::AutoNebReport>();
    send_sync::<elm_paths::BasinHopping>();
    send_sync::<elm_paths::SaddleRefinement>();
    send_sync::<elm_paths::HybridEigenvectorFollowing>();
    send_sync::<elm_paths::HybridReport>();
    send_sync::<elm_paths::EigenSolver>();
    send_sync::<elm_core::reference::MlpLoss>();
    send_sync::<elm_core::MomentumDescent>();
    send_sync::<elm_core::Adadelta>();
    send_sync::<elm_paths::Exploration>();
    send_sync::<elm_paths::Error>();
    // elm-gwl
    send_sync::<elm_gwl::GeneralizedWangLandau>();
    send_sync::<elm_gwl::GwlParams>();
    send_sync::<elm_gwl::GwlRecord>();
    send_sync::<elm_gwl::GwlBarriers>();
    send_sync::<elm_gwl::Error>();
    // elm-dg
    send_sync::<elm_dg::DisconnectivityGraph>();
    send_sync::<elm_dg::DgParams>();
    send_sync::<elm_dg::DgStyle>();
    send_sync::<elm_dg::NetworkOfMinima>();
    send_sync::<elm_dg::FloodedGrid>();
    send_sync::<elm_dg::HarmonicSuperposition>();
    send_sync::<elm_dg::Error>();
}
