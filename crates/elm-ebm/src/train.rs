//! Maximum-likelihood learning of a potential (seed 001 Alg. 1).

use crate::bridge::TrainedEnergy;
use crate::error::{Error, Result};
use crate::potential::Potential;
use crate::sampling::{LangevinParams, energy_and_input_gradient, langevin};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, OptimizerRecord, SgdConfig};
use burn::tensor::{Device, Tensor, TensorData};
use elm_core::{Control, check};
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

/// The distribution of fresh chain states (noise initialization, the persistent bank's start,
/// rejuvenation).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum InitialNoise {
    /// `N(0, sd^2 I)`.
    Gaussian {
        /// Standard deviation.
        sd: f64,
    },
    /// Uniform on `[-half_width, half_width]^d` (the authors' toy bank: half width 1).
    Uniform {
        /// Half width of the cube.
        half_width: f64,
    },
    /// Every coordinate uniform on the grid `{0, 1/(L-1), ..., 1}` of `levels` grey levels
    /// (random images for [`Synthesis::Gibbs`]).
    UniformLevels {
        /// The number of levels `L` (at least 2).
        levels: usize,
    },
}

impl InitialNoise {
    /// `n` draws.
    pub fn sample<R: rand::Rng + ?Sized>(&self, n: usize, rng: &mut R) -> Vec<f32> {
        match *self {
            InitialNoise::Gaussian { sd } => noise(n, sd, rng),
            InitialNoise::Uniform { half_width } => {
                (0..n).map(|_| (half_width * (2.0 * rng.random::<f64>() - 1.0)) as f32).collect()
            }
            InitialNoise::UniformLevels { levels } => {
                let top = levels.max(2) - 1;
                (0..n).map(|_| rng.random_range(0..=top) as f32 / top as f32).collect()
            }
        }
    }

    fn validate(&self) -> Result<()> {
        match *self {
            InitialNoise::Gaussian { sd } => check::positive("noise sd", sd)?,
            InitialNoise::Uniform { half_width } => check::positive("noise half_width", half_width)?,
            InitialNoise::UniformLevels { levels } => check::at_least("noise levels", levels, 2)?,
        }
        Ok(())
    }
}

/// How the Langevin chains of each learning step start (seed 001 Sec. 2.1.2).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum McmcInit {
    /// Fresh noise every step (short-run, non-persistent).
    Noise {
        /// The noise.
        noise: InitialNoise,
    },
    /// The data batch itself (contrastive divergence).
    Data,
    /// A persistent bank of states, drawn from `noise` at the start; each step draws a batch of
    /// distinct bank states, replaces each by fresh noise with probability `rejuvenation`, runs the
    /// chains and writes them back.
    Persistent {
        /// Initial (and rejuvenation) noise.
        noise: InitialNoise,
        /// Bank size (0: one state per training example, the thesis's image setting; the
        /// authors' toy code uses 10 000).
        bank_size: usize,
        /// Rejuvenation probability per drawn state (0 = none).
        rejuvenation: f64,
    },
}

/// How the network output `F(x; θ)` relates to the energy `U` of the learned density
/// `p(x; θ) ∝ exp(−U(x; θ))` (seed 001 Sec. 3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnergyScale {
    /// `U = F`: the Langevin drift is `(ε²/2) ∇F`, tiny for an initial network at `ε = 0.125`.
    Network,
    /// `U = F / (ε²/2)` (the authors' convention, default): the update is `x ← x − ∇F + τ ε z`,
    /// so an initial network already moves the chains (on the toy densities `r_st` ≈ 0.007 at
    /// initialization, ≈ 0.1 later) and the noise sets the temperature; the loss is
    /// `mean F(X+) − mean F(X−)`, so a learning rate is per unit of `F`. Reported energies
    /// (`d_st`, [`MlTrainer::energy`]) are in units of `U`.
    Langevin,
}

/// How the negative samples `X-` of each learning step are synthesized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Synthesis {
    /// `L` Langevin steps (seed 001 Alg. 1; default).
    #[default]
    Langevin,
    /// `L` Gibbs (heat-bath) sweeps over the potential's discrete form
    /// ([`Potential::discrete_form`]: grey-level images), at the temperature that samples
    /// `exp(-U)`: seed 000 Sec. 5.2.1 ("Gibbs sampling was used instead of Langevin dynamics to
    /// synthesize images", `T = 10` sweeps per batch). Chain states are quantized to the nearest
    /// level first; chains run in parallel (rayon), each from its own seeded stream, so results
    /// do not depend on the thread count. `ε` and `τ` are unused; `r_st` is reported as 0.
    Gibbs,
}

/// The optimizer of `θ` (seed 001 Sec. 3.1.1 and 3.4.2).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum OptimizerKind {
    /// SGD with exponential learning-rate decay and a floor: `lr_t = max(lr γ^t, floor)`.
    Sgd {
        /// Initial learning rate.
        lr: f64,
        /// Per-iteration decay factor `γ` (1 = constant).
        decay: f64,
        /// Lowest learning rate.
        floor: f64,
    },
    /// Adam with a constant learning rate.
    Adam {
        /// Learning rate.
        lr: f64,
    },
    /// Adam for the first `switch_at` iterations, SGD afterwards (seed 001 Sec. 3.4.2).
    Hybrid {
        /// Adam learning rate.
        adam_lr: f64,
        /// Iterations with Adam.
        switch_at: usize,
        /// SGD learning rate afterwards.
        sgd_lr: f64,
    },
}

impl OptimizerKind {
    /// The learning rate at iteration `t`, and whether Adam (rather than SGD) takes the step.
    pub fn learning_rate(&self, t: usize) -> (f64, bool) {
        match *self {
            OptimizerKind::Sgd { lr, decay, floor } => ((lr * decay.powi(t as i32)).max(floor), false),
            OptimizerKind::Adam { lr } => (lr, true),
            OptimizerKind::Hybrid { adam_lr, switch_at, sgd_lr } => {
                if t < switch_at {
                    (adam_lr, true)
                } else {
                    (sgd_lr, false)
                }
            }
        }
    }

    /// Checks the learning rates and decay.
    ///
    /// # Errors
    /// `InvalidParameter` for non-positive learning rates, a negative floor or a decay outside
    /// `(0, 1]`.
    pub fn validate(&self) -> Result<()> {
        match *self {
            OptimizerKind::Sgd { lr, decay, floor } => {
                check::positive("lr", lr)?;
                check::non_negative("floor", floor)?;
                if !(decay > 0.0 && decay <= 1.0) {
                    return Err(elm_core::Error::invalid("decay", decay, "must lie in (0, 1]").into());
                }
            }
            OptimizerKind::Adam { lr } => check::positive("lr", lr)?,
            OptimizerKind::Hybrid { adam_lr, sgd_lr, .. } => {
                check::positive("adam_lr", adam_lr)?;
                check::positive("sgd_lr", sgd_lr)?;
            }
        }
        Ok(())
    }
}

/// The knobs of seed 001 Alg. 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MlParams {
    /// Langevin step size `ε` (default 0.125, seed 001 Sec. 3.2.1.1).
    pub epsilon: f64,
    /// Noise indicator `τ` (default 1).
    pub tau: f64,
    /// Langevin steps `L` per learning step (default 100).
    pub steps: usize,
    /// Standard deviation of the data perturbation `ε_data` (default 0).
    pub data_noise: f64,
    /// MCMC initialization (default persistent).
    pub init: McmcInit,
    /// Optimizer (default SGD, lr 5e-4, no decay).
    pub optimizer: OptimizerKind,
    /// Batch size (default 100).
    pub batch: usize,
    /// Network output vs energy (default [`EnergyScale::Langevin`]).
    pub scale: EnergyScale,
    /// How negative samples are synthesized (default [`Synthesis::Langevin`]).
    #[serde(default)]
    pub synthesis: Synthesis,
}

impl Default for MlParams {
    fn default() -> Self {
        Self {
            epsilon: 0.125,
            tau: 1.0,
            steps: 100,
            data_noise: 0.0,
            init: McmcInit::Persistent {
                noise: InitialNoise::Uniform { half_width: 1.0 },
                bank_size: 10_000,
                rejuvenation: 0.0,
            },
            optimizer: OptimizerKind::Sgd { lr: 5e-4, decay: 1.0, floor: 0.0 },
            batch: 100,
            scale: EnergyScale::Langevin,
            synthesis: Synthesis::Langevin,
        }
    }
}

impl MlParams {
    /// Checks the configuration.
    ///
    /// # Errors
    /// `InvalidParameter` for `ε <= 0`, `τ < 0`, `L = 0`, `ε_data < 0`, `batch = 0`, non-positive
    /// learning rates, a decay outside `(0, 1]`, or a rejuvenation outside `[0, 1]`.
    pub fn validate(&self) -> Result<()> {
        check::positive("epsilon", self.epsilon)?;
        check::non_negative("tau", self.tau)?;
        check::at_least("steps", self.steps, 1)?;
        check::non_negative("data_noise", self.data_noise)?;
        check::at_least("batch", self.batch, 1)?;
        match self.init {
            McmcInit::Noise { noise } => noise.validate()?,
            McmcInit::Data => {}
            McmcInit::Persistent { noise, rejuvenation, .. } => {
                noise.validate()?;
                if !(0.0..=1.0).contains(&rejuvenation) {
                    return Err(elm_core::Error::invalid("rejuvenation", rejuvenation, "must lie in [0, 1]").into());
                }
            }
        }
        self.optimizer.validate()?;
        Ok(())
    }
}

/// Diagnostics of one learning step (seed 001 Sec. 3.2, Fig. 3.3-3.4).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StepDiagnostics {
    /// Iteration.
    pub iteration: usize,
    /// Energy difference `d_st = mean U(X+) - mean U(X-)` (Eq. 2.9), in units of `U`: negative
    /// while the model expands (samples have higher energy than data), positive while it
    /// contracts.
    pub energy_difference: f64,
    /// Gradient magnitude `r_st = (ε²/2) mean ||∇U||` along the Langevin paths.
    pub gradient_magnitude: f64,
    /// Learning rate used.
    pub learning_rate: f64,
}

/// Trains a potential by maximum likelihood with Langevin negative samples (seed 001 Alg. 1):
/// each iteration draws a data batch `X+` (perturbed by `ε_data`), initializes chains (noise,
/// data or the persistent bank), runs `L` Langevin steps to get `X-`, and descends
/// `mean U(X+) - mean U(X-)` in `θ` with the chosen optimizer. Every random draw of the trainer
/// comes from its seed and the iteration number, so a resumed run repeats an uninterrupted one;
/// the network's initial weights come from burn's RNG, so seed the device (`device.seed(s)`)
/// before building the model for a reproducible run.
pub struct MlTrainer<P: Potential> {
    /// The potential being learned.
    pub model: P,
    config: MlParams,
    data: Vec<f32>,
    examples: usize,
    bank: Vec<f32>,
    iteration: usize,
    seed: u64,
    adam: Option<ModuleOptimizer>,
    sgd: ModuleOptimizer,
    device: Device,
    /// Diagnostics of every iteration so far.
    pub history: Vec<StepDiagnostics>,
}

/// The serializable part of a trainer checkpoint (the model and optimizer go to burn records).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct TrainerState {
    config: MlParams,
    iteration: usize,
    seed: u64,
    bank: Vec<f32>,
    history: Vec<StepDiagnostics>,
}

/// Observers read training progress from the trainer: iterations done and the last step's
/// diagnostics.
impl<P: Potential> elm_core::Progress for MlTrainer<P> {
    fn done(&self) -> usize {
        self.iteration
    }

    fn summary(&self) -> String {
        match self.last_step() {
            Some(d) => format!(
                "ML iteration {}: d_st {:+.4}, r_st {:.4}, learning rate {:.1e}",
                d.iteration + 1,
                d.energy_difference,
                d.gradient_magnitude,
                d.learning_rate
            ),
            None => "ML iteration 0".into(),
        }
    }
}

/// `observe::checkpoint_every(n, dir)` writes [`MlTrainer::save`] checkpoints (a folder).
impl<P: Potential> elm_core::Checkpoint for MlTrainer<P> {
    fn checkpoint(&self, dir: &std::path::Path) -> std::result::Result<(), elm_core::CheckpointError> {
        match self.save(dir) {
            Ok(()) => Ok(()),
            Err(Error::Checkpoint(e)) => Err(e),
            Err(other) => Err(elm_core::CheckpointError {
                path: dir.to_path_buf(),
                failure: elm_core::CheckpointFailure::Format(other.to_string()),
            }),
        }
    }
}

impl<P: Potential> MlTrainer<P> {
    /// A trainer for `model` on `data` (row-major `examples x d`), on an autodiff `device`.
    ///
    /// # Errors
    /// Invalid configuration; `EmptyInput` for no data; `DimensionMismatch` if the data length is
    /// not a multiple of the model's dimension; `NonFinite` data.
    pub fn new(model: P, data: Vec<f32>, config: MlParams, seed: u64, device: Device) -> Result<Self> {
        config.validate()?;
        let d = model.dim();
        check_data(&data, d)?;
        if config.synthesis == Synthesis::Gibbs && model.discrete_form().is_none() {
            return Err(elm_core::Error::invalid("synthesis", "Gibbs", "the potential has no discrete form").into());
        }
        let examples = data.len() / d;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 0xba4c);
        let bank = match config.init {
            McmcInit::Persistent { noise, bank_size, .. } => {
                noise.sample(if bank_size == 0 { examples } else { bank_size } * d, &mut rng)
            }
            _ => vec![],
        };
        let adam = match config.optimizer {
            OptimizerKind::Adam { .. } | OptimizerKind::Hybrid { .. } => Some(AdamConfig::new().init()),
            OptimizerKind::Sgd { .. } => None,
        };
        Ok(Self {
            model,
            config,
            data,
            examples,
            bank,
            iteration: 0,
            seed,
            adam,
            sgd: SgdConfig::new().init(),
            device,
            history: vec![],
        })
    }

    /// The configuration.
    pub fn config(&self) -> &MlParams {
        &self.config
    }

    /// Iterations done.
    pub fn iteration(&self) -> usize {
        self.iteration
    }

    /// The persistent bank (`bank size x d` row-major, empty unless persistent initialization).
    pub fn bank(&self) -> &[f32] {
        &self.bank
    }

    /// `s` in `U = s · F`: 1 for [`EnergyScale::Network`], `2/ε²` for [`EnergyScale::Langevin`].
    pub fn energy_scale(&self) -> f64 {
        match self.config.scale {
            EnergyScale::Network => 1.0,
            EnergyScale::Langevin => 2.0 / (self.config.epsilon * self.config.epsilon),
        }
    }

    /// The learned energy `U = s · F` as an `elm-core` energy (for sampling and mapping).
    pub fn energy(&self) -> TrainedEnergy<P> {
        TrainedEnergy::scaled(self.model.clone(), self.device.clone(), self.energy_scale())
    }

    fn langevin_params(&self, steps: usize) -> LangevinParams {
        LangevinParams::new(self.config.epsilon, self.config.tau, steps).with_energy_scale(self.energy_scale())
    }

    fn initial_noise(&self) -> InitialNoise {
        match self.config.init {
            McmcInit::Noise { noise } | McmcInit::Persistent { noise, .. } => noise,
            McmcInit::Data => InitialNoise::Gaussian { sd: 1.0 },
        }
    }

    fn learning_rate(&self) -> (f64, bool) {
        self.config.optimizer.learning_rate(self.iteration)
    }

    /// One learning step; returns its diagnostics.
    ///
    /// # Errors
    /// [`Error::Diverged`] on a non-finite energy.
    pub fn step(&mut self) -> Result<StepDiagnostics> {
        let c = self.config;
        let d = self.model.dim();
        let b = c.batch;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(
            self.seed ^ (self.iteration as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15),
        );
        let rows = draw_rows(self.examples, b, &mut rng);
        let mut positive: Vec<f32> = rows.iter().flat_map(|&r| self.data[r * d..(r + 1) * d].iter().copied()).collect();
        if c.data_noise > 0.0 {
            for v in positive.iter_mut() {
                let z: f32 = StandardNormal.sample(&mut rng);
                *v += c.data_noise as f32 * z;
            }
        }
        let slots = draw_rows(self.bank.len() / d, b, &mut rng);
        let mut negative: Vec<f32> = match c.init {
            McmcInit::Noise { noise } => noise.sample(b * d, &mut rng),
            McmcInit::Data => positive.clone(),
            McmcInit::Persistent { noise, rejuvenation, .. } => slots
                .iter()
                .flat_map(|&r| {
                    if rejuvenation > 0.0 && rng.random::<f64>() < rejuvenation {
                        noise.sample(d, &mut rng)
                    } else {
                        self.bank[r * d..(r + 1) * d].to_vec()
                    }
                })
                .collect(),
        };
        let gradient_magnitude = match c.synthesis {
            Synthesis::Langevin => {
                langevin(&self.model, &mut negative, b, self.langevin_params(c.steps), &self.device, &mut rng)
                    .gradient_magnitude
            }
            Synthesis::Gibbs => {
                let stream = rng.random::<u64>();
                self.gibbs(&mut negative, stream)?;
                0.0
            }
        };
        if let McmcInit::Persistent { .. } = c.init {
            for (k, &r) in slots.iter().enumerate() {
                self.bank[r * d..(r + 1) * d].copy_from_slice(&negative[k * d..(k + 1) * d]);
            }
        }
        let pos = Tensor::<2>::from_data(TensorData::new(positive, [b, d]), &self.device);
        let neg = Tensor::<2>::from_data(TensorData::new(negative, [b, d]), &self.device);
        let loss = self.model.energy(pos).mean() - self.model.energy(neg).mean();
        let grads = GradientsParams::from_grads(loss.backward(), &self.model);
        let d_st = self.energy_scale()
            * f64::from(loss.into_data().try_to_vec::<f32>().unwrap_or_default().first().copied().unwrap_or(f32::NAN));
        if !d_st.is_finite() || !gradient_magnitude.is_finite() {
            return Err(Error::Diverged(self.iteration));
        }
        let (lr, use_adam) = self.learning_rate();
        let model = self.model.clone();
        self.model = match (&mut self.adam, use_adam) {
            (Some(adam), true) => adam.step(lr, model, grads),
            _ => self.sgd.step(lr, model, grads),
        };
        let diag = StepDiagnostics {
            iteration: self.iteration,
            energy_difference: d_st,
            gradient_magnitude,
            learning_rate: lr,
        };
        self.history.push(diag);
        self.iteration += 1;
        Ok(diag)
    }

    fn gibbs(&self, states: &mut [f32], stream: u64) -> Result<()> {
        gibbs_sweeps(&self.model, states, self.config.steps, 1.0 / self.energy_scale(), stream)
    }

    /// Runs up to `n` learning steps, calling the `observer` with the trainer after each (its
    /// [`MlTrainer::last_step`] holds the step's diagnostics). The observer is any closure
    /// `FnMut(&MlTrainer<_>) -> Control` or a stock one of [`elm_core::observe`]
    /// (`observe::checkpoint_every(500, dir)` writes [`MlTrainer::save`] checkpoints that
    /// [`MlTrainer::load`] resumes bit for bit); [`Control::Stop`] ends the run early. Returns
    /// the number of steps done.
    ///
    /// # Errors
    /// As [`MlTrainer::step`].
    pub fn train<O: FnMut(&Self) -> Control>(&mut self, n: usize, mut observer: O) -> Result<usize> {
        for done in 1..=n {
            self.step()?;
            if observer(self) == Control::Stop {
                return Ok(done);
            }
        }
        Ok(n)
    }

    /// The diagnostics of the last learning step (`None` before the first).
    pub fn last_step(&self) -> Option<&StepDiagnostics> {
        self.history.last()
    }

    /// Short-run samples: `steps` Langevin steps from fresh noise (or the data for data
    /// initialization), as the learning step itself would produce.
    pub fn short_run_samples(&self, count: usize, steps: usize, seed: u64) -> Vec<f32> {
        let d = self.model.dim();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut y = self.initial_noise().sample(count * d, &mut rng);
        langevin(&self.model, &mut y, count, self.langevin_params(steps), &self.device, &mut rng);
        y
    }

    /// Long-run samples (seed 001 Sec. 3.2.3): `steps` Langevin steps (many more than `L`)
    /// from the persistent bank's first `count` states (or noise without a bank). Their energies,
    /// compared with the short-run samples', tell whether the steady state matches what learning
    /// sees: in non-convergent learning long runs drift to much lower, oversaturated energies.
    pub fn long_run_samples(&self, count: usize, steps: usize, seed: u64) -> Vec<f32> {
        let d = self.model.dim();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let available = self.bank.len() / d;
        let mut y = if available > 0 {
            (0..count).flat_map(|k| self.bank[(k % available) * d..(k % available + 1) * d].to_vec()).collect()
        } else {
            self.initial_noise().sample(count * d, &mut rng)
        };
        langevin(&self.model, &mut y, count, self.langevin_params(steps), &self.device, &mut rng);
        y
    }

    /// `steps` more Langevin steps of the learning's own kind (`ε`, `τ`, energy scale) from the
    /// given `count x d` states, for instance long runs that continue short-run samples.
    pub fn long_run_samples_from(&self, states: &[f32], steps: usize, seed: u64) -> Vec<f32> {
        let d = self.model.dim();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let count = states.len() / d;
        let mut y = states[..count * d].to_vec();
        langevin(&self.model, &mut y, count, self.langevin_params(steps), &self.device, &mut rng);
        y
    }

    /// Writes a checkpoint into the folder `dir`: the model and optimizer as burn records, the
    /// rest as checksummed JSON (`trainer.json`). The files are written into a sibling folder
    /// first, which then replaces `dir` (the old folder is renamed aside and removed only once
    /// the new one is in place), so a crash leaves a complete checkpoint at `dir` or at
    /// `<dir>.old`, never a mix.
    ///
    /// # Errors
    /// [`Error::Checkpoint`] naming the file.
    pub fn save(&self, dir: &std::path::Path) -> Result<()> {
        use elm_core::CheckpointFailure::Format;
        write_checkpoint_dir(dir, |partial| {
            let burn = |file: &str, e: String| Error::checkpoint(&partial.join(file), Format(e));
            self.model.clone().save_file(partial.join("model.bpk")).map_err(|e| burn("model.bpk", format!("{e:?}")))?;
            self.sgd.to_record().save(partial.join("sgd.bpk")).map_err(|e| burn("sgd.bpk", format!("{e:?}")))?;
            if let Some(adam) = &self.adam {
                adam.to_record().save(partial.join("adam.bpk")).map_err(|e| burn("adam.bpk", format!("{e:?}")))?;
            }
            let state = TrainerState {
                config: self.config,
                iteration: self.iteration,
                seed: self.seed,
                bank: self.bank.clone(),
                history: self.history.clone(),
            };
            elm_core::checkpoint::save_json(&partial.join("trainer.json"), &state)?;
            Ok(())
        })
    }

    /// Restores a checkpoint written by [`MlTrainer::save`] into a trainer built with the same
    /// model architecture and data.
    ///
    /// # Errors
    /// [`Error::Checkpoint`] for unreadable files or a checkpoint of another configuration.
    pub fn load(&mut self, dir: &std::path::Path) -> Result<()> {
        use elm_core::CheckpointFailure::{Format, Inconsistent};
        let burn = |file: &str, e: String| Error::checkpoint(&dir.join(file), Format(e));
        let state: TrainerState = elm_core::checkpoint::load_json(&dir.join("trainer.json"))?;
        if state.config != self.config || state.bank.len() != self.bank.len() {
            return Err(Error::checkpoint(
                &dir.join("trainer.json"),
                Inconsistent("checkpoint of a different configuration or data set".into()),
            ));
        }
        self.model =
            self.model.clone().try_load_file(dir.join("model.bpk")).map_err(|e| burn("model.bpk", format!("{e:?}")))?;
        let sgd = OptimizerRecord::load(dir.join("sgd.bpk")).map_err(|e| burn("sgd.bpk", format!("{e:?}")))?;
        self.sgd = SgdConfig::new().init().load_record(sgd);
        if self.adam.is_some() {
            let adam = OptimizerRecord::load(dir.join("adam.bpk")).map_err(|e| burn("adam.bpk", format!("{e:?}")))?;
            self.adam = Some(AdamConfig::new().init().load_record(adam));
        }
        self.iteration = state.iteration;
        self.seed = state.seed;
        self.bank = state.bank;
        self.history = state.history;
        Ok(())
    }

    /// The network output `F` and `∇F` of a batch under the current model (`U = s·F`, see
    /// [`MlTrainer::energy_scale`]).
    pub fn energy_and_gradient(&self, x: &[f32], batch: usize) -> (Vec<f32>, Vec<f32>) {
        energy_and_input_gradient(&self.model, x, batch, &self.device)
    }
}

/// [`Synthesis::Gibbs`]: `sweeps` heat-bath sweeps at `temperature` of every chain (rows of
/// `states`, values on the grid `l/(L-1)` of the potential's discrete form), chain `k` drawing
/// from the stream `(stream, k)`, in parallel.
pub(crate) fn gibbs_sweeps<P: Potential>(
    model: &P,
    states: &mut [f32],
    sweeps: usize,
    temperature: f64,
    stream: u64,
) -> Result<()> {
    use elm_mcmc::DiscreteSampler;
    use rayon::prelude::*;
    let energy = model
        .discrete_form()
        .ok_or_else(|| elm_core::Error::invalid("synthesis", "Gibbs", "the potential has no discrete form"))?;
    let energy: &(dyn elm_core::DiscreteEnergy + Send) = &*energy;
    let top = (energy.levels() - 1) as f32;
    let sampler = elm_mcmc::Gibbs::default().with_temperature(temperature);
    let d = model.dim();
    states.par_chunks_mut(d).enumerate().try_for_each(|(k, chain)| -> Result<()> {
        let levels: Vec<u8> = chain.iter().map(|&v| (v * top).round().clamp(0.0, top) as u8).collect();
        let mut state = elm_core::DiscreteState::new(energy, levels)?;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(stream ^ (k as u64 + 1).wrapping_mul(0xd1b5_4a32_d192_ed03));
        for _ in 0..sweeps {
            sampler.sweep(energy, &mut state, &mut rng);
        }
        for (v, &l) in chain.iter_mut().zip(state.as_slice()) {
            *v = f32::from(l) / top;
        }
        Ok(())
    })
}

/// Writes a checkpoint folder atomically: `write` fills a sibling folder, which then replaces
/// `dir` (the old folder is renamed aside and removed only once the new one is in place), so a
/// crash leaves a complete checkpoint at `dir` or at `<dir>.old`, never a mix.
pub(crate) fn write_checkpoint_dir(
    dir: &std::path::Path,
    write: impl FnOnce(&std::path::Path) -> Result<()>,
) -> Result<()> {
    use elm_core::CheckpointFailure::{Io, NotAFile};
    let name = dir.file_name().ok_or_else(|| Error::checkpoint(dir, NotAFile))?;
    let sibling = |suffix: &str| {
        let mut n = name.to_os_string();
        n.push(suffix);
        dir.with_file_name(n)
    };
    let (partial, old) = (sibling(&format!(".{}.partial", std::process::id())), sibling(".old"));
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial).map_err(|e| Error::checkpoint(&partial, Io(e)))?;
    write(&partial)?;
    let _ = std::fs::remove_dir_all(&old);
    if dir.exists() {
        std::fs::rename(dir, &old).map_err(|e| Error::checkpoint(dir, Io(e)))?;
    }
    std::fs::rename(&partial, dir).map_err(|e| Error::checkpoint(dir, Io(e)))?;
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// Checks training data for rows of `d` values: not empty, whole rows, finite.
pub(crate) fn check_data(data: &[f32], d: usize) -> Result<()> {
    if data.is_empty() {
        return Err(elm_core::Error::EmptyInput("training data").into());
    }
    if !data.len().is_multiple_of(d) {
        return Err(
            elm_core::Error::DimensionMismatch { what: "training data", expected: d, found: data.len() % d }.into()
        );
    }
    if !data.iter().all(|v| v.is_finite()) {
        return Err(elm_core::Error::NonFinite("training data").into());
    }
    Ok(())
}

/// `count` row indices out of `n`: distinct (a random subset, as the authors' `randperm`) when
/// `count <= n`, with replacement otherwise.
pub(crate) fn draw_rows<R: rand::Rng + ?Sized>(n: usize, count: usize, rng: &mut R) -> Vec<usize> {
    if n == 0 {
        return vec![];
    }
    if count <= n {
        rand::seq::index::sample(rng, n, count).into_vec()
    } else {
        (0..count).map(|_| rng.random_range(0..n)).collect()
    }
}

fn noise<R: rand::Rng + ?Sized>(n: usize, sd: f64, rng: &mut R) -> Vec<f32> {
    (0..n)
        .map(|_| {
            let z: f64 = StandardNormal.sample(rng);
            (sd * z) as f32
        })
        .collect()
}
