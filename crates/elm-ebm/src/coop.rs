//! Cooperative learning of a descriptor and a generator (Co-Op Nets; seed 001 Alg. 4, App. A).

use crate::error::{Error, Result};
use crate::generator::Generator;
use crate::potential::Potential;
use crate::sampling::{LangevinParams, langevin};
use crate::train::{EnergyScale, OptimizerKind, Synthesis, gibbs_sweeps, write_checkpoint_dir};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, OptimizerRecord, SgdConfig};
use burn::tensor::{Device, Tensor, TensorData};
use elm_core::{Control, check};
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

/// The knobs of Co-Op learning (seed 001 Alg. 4 and Eq. A.2-A.3). Defaults follow the authors'
/// public Co-Op configuration: `m = 32` synthesized images, `K = 15` revision steps of size 0.3,
/// `K = 15` inference steps of size 0.3, generator noise `τ = 0.3`, Adam for both networks.
///
/// The inference must converge within its `K` steps: where the generator has gain `s`, a step
/// contracts the posterior error by `δ²(s²/τ² + 1)/2`, so match `δ` and `K` to `τ` and the
/// generator (a toy generator collapsed along a narrow axis at `δ = τ`, `K = 15`; see the crate's
/// test `coop_learns_a_gaussian_its_affine_generator_can_represent` for a setting that learns).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CoopParams {
    /// Number of synthesized examples `m` per step, also the data batch (default 32).
    pub batch: usize,
    /// How the descriptor revises the generated images (step 2; default Langevin; seed 000
    /// Sec. 5.3.1 uses Gibbs on grey-level images).
    pub revision: Synthesis,
    /// Revision steps `K` (Langevin steps or Gibbs sweeps; default 15).
    pub revision_steps: usize,
    /// Langevin step size `ε` of the revision (default 0.3; unused by Gibbs).
    pub revision_epsilon: f64,
    /// Temperature `T` of the revision (default 1: the revision samples the descriptor's density
    /// `exp(−U)`; below 1 it samples `exp(−U/T)`, which revises towards the descriptor's modes:
    /// Langevin noise `sqrt(T) ε`, Gibbs at temperature `T`).
    #[serde(default = "one")]
    pub revision_temperature: f64,
    /// Network output vs descriptor energy during revision (default [`EnergyScale::Network`]:
    /// the descriptor's output is the energy `U`).
    pub scale: EnergyScale,
    /// Latent inference steps (step 3, Eq. A.2; default 15; 0 keeps the drawn `Z`).
    pub inference_steps: usize,
    /// Langevin step size `δ` of the inference (default 0.3).
    pub inference_epsilon: f64,
    /// Standard deviation `τ` of `X | Z ~ N(g(Z), τ² I)` (default 0.3).
    pub generator_sd: f64,
    /// The descriptor's optimizer (step 4; default Adam 1e-4); `None` keeps the descriptor fixed
    /// (a pretrained energy whose generator is being learned).
    pub descriptor_optimizer: Option<OptimizerKind>,
    /// The generator's optimizer (step 5; default Adam 3e-4, seed 000 Sec. 5.3.1).
    pub generator_optimizer: OptimizerKind,
    /// The box `[lo, hi]` Langevin revision clamps the images to after every step (default
    /// none; `Some((0.0, 1.0))` for images: see [`LangevinParams::bounds`]).
    #[serde(default)]
    pub revision_bounds: Option<(f64, f64)>,
}

impl Default for CoopParams {
    fn default() -> Self {
        Self {
            batch: 32,
            revision: Synthesis::Langevin,
            revision_steps: 15,
            revision_epsilon: 0.3,
            revision_temperature: 1.0,
            scale: EnergyScale::Network,
            inference_steps: 15,
            inference_epsilon: 0.3,
            generator_sd: 0.3,
            descriptor_optimizer: Some(OptimizerKind::Adam { lr: 1e-4 }),
            generator_optimizer: OptimizerKind::Adam { lr: 3e-4 },
            revision_bounds: None,
        }
    }
}

impl CoopParams {
    /// Sets the batch `m`.
    pub fn with_batch(mut self, batch: usize) -> Self {
        self.batch = batch;
        self
    }

    /// Sets the revision kind and steps.
    pub fn with_revision(mut self, revision: Synthesis, steps: usize) -> Self {
        self.revision = revision;
        self.revision_steps = steps;
        self
    }

    /// Sets the inference steps and step size.
    pub fn with_inference(mut self, steps: usize, epsilon: f64) -> Self {
        self.inference_steps = steps;
        self.inference_epsilon = epsilon;
        self
    }

    /// Sets the descriptor's optimizer (`None`: fixed descriptor).
    pub fn with_descriptor_optimizer(mut self, optimizer: Option<OptimizerKind>) -> Self {
        self.descriptor_optimizer = optimizer;
        self
    }

    /// Sets the generator's optimizer.
    pub fn with_generator_optimizer(mut self, optimizer: OptimizerKind) -> Self {
        self.generator_optimizer = optimizer;
        self
    }

    /// Checks the configuration.
    ///
    /// # Errors
    /// `InvalidParameter` for `batch = 0`, non-positive step sizes or `τ`, or invalid optimizers.
    pub fn validate(&self) -> Result<()> {
        check::at_least("batch", self.batch, 1)?;
        check::positive("revision_epsilon", self.revision_epsilon)?;
        check::positive("revision_temperature", self.revision_temperature)?;
        check::positive("inference_epsilon", self.inference_epsilon)?;
        check::positive("generator_sd", self.generator_sd)?;
        if let Some((lo, hi)) = self.revision_bounds
            && !(lo.is_finite() && hi.is_finite() && lo < hi)
        {
            return Err(elm_core::Error::invalid(
                "revision_bounds",
                format!("({lo}, {hi})"),
                "must be finite with lo < hi",
            )
            .into());
        }
        if let Some(o) = self.descriptor_optimizer {
            o.validate()?;
        }
        self.generator_optimizer.validate()
    }

    fn energy_scale(&self) -> f64 {
        match self.scale {
            EnergyScale::Network => 1.0,
            EnergyScale::Langevin => 2.0 / (self.revision_epsilon * self.revision_epsilon),
        }
    }
}

/// What one Co-Op step measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CoopDiagnostics {
    /// Iteration.
    pub iteration: usize,
    /// `d_st = mean U(X+) − mean U(Ỹ)` between data and revised images, in units of `U`.
    pub energy_difference: f64,
    /// Mean energy of the generated images `Y = g(Z)` before revision.
    pub generated_energy: f64,
    /// Mean energy of the revised images `Ỹ`.
    pub revised_energy: f64,
    /// Root-mean-square change per coordinate made by the revision, `||Ỹ − Y|| / sqrt(D)`.
    pub revision_rms: f64,
    /// Root-mean-square generator residual per coordinate after inference, `||Ỹ − g(Z)|| /
    /// sqrt(D)` (what step 5 regresses away).
    pub reconstruction_rms: f64,
}

/// The serializable part of a Co-Op checkpoint (networks and optimizers go to burn records).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct CoopState {
    params: CoopParams,
    iteration: usize,
    seed: u64,
    history: Vec<CoopDiagnostics>,
}

/// Co-Op learning (seed 001 Alg. 4; Xie et al. 2018): a descriptor energy `U(x; θ₁)` and a
/// generator `g(z; θ₂)` learned together. Each step
///
/// 1. draws `Z_i ~ N(0, I_d)` and generates `Y_i = g(Z_i)`;
/// 2. revises them by `K` Langevin steps (or Gibbs sweeps) under `U`, giving `Ỹ_i`;
/// 3. infers the latents that explain the revised images by `K` Langevin steps of
///    $$ U(Z \mid \tilde Y) = \frac{1}{2\tau^2}\lVert \tilde Y - g(Z)\rVert^2 + \frac12 \lVert Z\rVert^2 $$
///    started at `Z_i` (Eq. A.2);
/// 4. updates the descriptor by the ML gradient of `mean U(X+) − mean U(Ỹ)` on a data batch
///    `X+` (Eq. 2.8);
/// 5. updates the generator by regressing `g(Z_i)` onto `Ỹ_i` (Eq. A.3): the loss
///    `mean ||Ỹ − g(Z)||² / (2τ²)`.
///
/// Every random draw comes from the seed and the iteration number, so a resumed run repeats an
/// uninterrupted one; seed the device (`device.seed(s)`) before building the networks.
///
/// # Example
/// ```
/// use elm_ebm::{CoopParams, CoopTrainer, Device, MlpGenerator, Mlp};
/// let device = Device::flex().autodiff();
/// device.seed(1);
/// let data: Vec<f32> = (0..200).map(|k| (k % 7) as f32 * 0.1).collect();
/// let params = CoopParams::default().with_batch(10).with_revision(elm_ebm::Synthesis::Langevin, 3)
///     .with_inference(3, 0.3);
/// let mut coop = CoopTrainer::new(Mlp::new(2, 16, Some(1.0), &device),
///     MlpGenerator::new(2, 2, &[16], &device), data, params, 7, device).unwrap();
/// let d = coop.step().unwrap();
/// assert!(d.energy_difference.is_finite() && d.reconstruction_rms >= 0.0);
/// ```
pub struct CoopTrainer<P: Potential, G: Generator> {
    /// The descriptor.
    pub descriptor: P,
    /// The generator.
    pub generator: G,
    params: CoopParams,
    data: Vec<f32>,
    examples: usize,
    iteration: usize,
    seed: u64,
    descriptor_adam: ModuleOptimizer,
    descriptor_sgd: ModuleOptimizer,
    generator_adam: ModuleOptimizer,
    generator_sgd: ModuleOptimizer,
    device: Device,
    /// Diagnostics of every step so far.
    pub history: Vec<CoopDiagnostics>,
}

impl<P: Potential, G: Generator> CoopTrainer<P, G> {
    /// A trainer for `descriptor` and `generator` on `data` (row-major `examples x D`), on an
    /// autodiff `device`.
    ///
    /// # Errors
    /// Invalid parameters; `EmptyInput` for no data; `DimensionMismatch` when the generator's
    /// output, the descriptor's input and the data rows differ in length; `NonFinite` data;
    /// Gibbs revision with a descriptor that has no discrete form.
    pub fn new(
        descriptor: P,
        generator: G,
        data: Vec<f32>,
        params: CoopParams,
        seed: u64,
        device: Device,
    ) -> Result<Self> {
        params.validate()?;
        let d = descriptor.dim();
        if generator.output_dim() != d {
            return Err(elm_core::Error::DimensionMismatch {
                what: "generator output",
                expected: d,
                found: generator.output_dim(),
            }
            .into());
        }
        crate::train::check_data(&data, d)?;
        if params.revision == Synthesis::Gibbs && descriptor.discrete_form().is_none() {
            return Err(elm_core::Error::invalid("revision", "Gibbs", "the descriptor has no discrete form").into());
        }
        let examples = data.len() / d;
        // Materialize the lazily initialized parameters once (see `frozen_generator`).
        let _ = descriptor.energy(generator.generate(Tensor::<2>::zeros([1, generator.latent_dim()], &device)));
        Ok(Self {
            descriptor,
            generator,
            params,
            data,
            examples,
            iteration: 0,
            seed,
            descriptor_adam: AdamConfig::new().init(),
            descriptor_sgd: SgdConfig::new().init(),
            generator_adam: AdamConfig::new().init(),
            generator_sgd: SgdConfig::new().init(),
            device,
            history: vec![],
        })
    }

    /// The parameters.
    pub fn params(&self) -> &CoopParams {
        &self.params
    }

    /// Steps done.
    pub fn iteration(&self) -> usize {
        self.iteration
    }

    /// The diagnostics of the last step (`None` before the first).
    pub fn last_step(&self) -> Option<&CoopDiagnostics> {
        self.history.last()
    }

    /// `count` generated states `g(Z)`, `Z ~ N(0, I)` from `seed` (row-major).
    pub fn generate(&self, count: usize, seed: u64) -> Vec<f32> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let z = standard_normal(count * self.generator.latent_dim(), &mut rng);
        self.generate_from(&z)
    }

    /// `g(z)` for the rows of `z` (row-major, `latent_dim` values each).
    pub fn generate_from(&self, z: &[f32]) -> Vec<f32> {
        let k = self.generator.latent_dim();
        let count = z.len() / k;
        let t = Tensor::<2>::from_data(TensorData::new(z[..count * k].to_vec(), [count, k]), &self.device);
        self.frozen_generator().generate(t).into_data().try_to_vec::<f32>().unwrap_or_default()
    }

    /// A copy of the generator whose parameters track no gradient. Evaluation-only passes must
    /// use frozen copies: on an autodiff device a forward pass through tracked parameters that
    /// is never followed by `backward` leaves its graph behind (measured: 15 MB per Co-Op step,
    /// 6.6 GB after 440 steps, and steps 35 times slower).
    /// (burn initializes parameters lazily and a clone shares an uninitialized parameter's lazy
    /// state, so [`CoopTrainer::new`] runs both networks once before any copy is frozen.)
    fn frozen_generator(&self) -> G {
        self.generator.clone().no_grad()
    }

    /// The descriptor counterpart of [`Self::frozen_generator`].
    fn frozen_descriptor(&self) -> P {
        self.descriptor.clone().no_grad()
    }

    /// Step 2 on the rows of `states` (row-major, in place): `K` Langevin steps or Gibbs sweeps
    /// under the descriptor, as a learning step revises generated images; `seed` sets the noise.
    ///
    /// # Errors
    /// Gibbs revision of states the descriptor's discrete form rejects.
    pub fn revise(&self, states: &mut [f32], seed: u64) -> Result<()> {
        self.revise_with(states, &mut Xoshiro256PlusPlus::seed_from_u64(seed))
    }

    fn revise_with(&self, states: &mut [f32], rng: &mut Xoshiro256PlusPlus) -> Result<()> {
        let p = self.params;
        let b = states.len() / self.descriptor.dim();
        match p.revision {
            Synthesis::Langevin => {
                let mut lp = LangevinParams::new(p.revision_epsilon, p.revision_temperature.sqrt(), p.revision_steps)
                    .with_energy_scale(p.energy_scale());
                if let Some((lo, hi)) = p.revision_bounds {
                    lp = lp.with_bounds(lo as f32, hi as f32);
                }
                langevin(&self.descriptor, &mut states[..b * self.descriptor.dim()], b, lp, &self.device, rng);
            }
            Synthesis::Gibbs => {
                let stream = rng.random::<u64>();
                let temperature = p.revision_temperature / p.energy_scale();
                gibbs_sweeps(&self.descriptor, states, p.revision_steps, temperature, stream)?;
            }
        }
        Ok(())
    }

    fn mean_energy(&self, x: &[f32], batch: usize) -> f64 {
        let t = Tensor::<2>::from_data(TensorData::new(x.to_vec(), [batch, self.descriptor.dim()]), &self.device);
        let e = self.frozen_descriptor().energy(t).into_data().try_to_vec::<f32>().unwrap_or_default();
        self.params.energy_scale() * e.iter().map(|v| f64::from(*v)).sum::<f64>() / batch as f64
    }

    /// Step 3: `K` Langevin steps of `U(Z | Ỹ)` (Eq. A.2) from `z`, in place.
    fn infer(&self, z: &mut [f32], revised: &[f32], batch: usize, rng: &mut Xoshiro256PlusPlus) {
        let (k, d) = (self.generator.latent_dim(), self.descriptor.dim());
        let p = self.params;
        if p.inference_steps == 0 {
            return;
        }
        let frozen = self.frozen_generator();
        let target = Tensor::<2>::from_data(TensorData::new(revised.to_vec(), [batch, d]), &self.device);
        let drift = (0.5 * p.inference_epsilon * p.inference_epsilon) as f32;
        let sd = p.inference_epsilon as f32;
        let inv_var = (1.0 / (2.0 * p.generator_sd * p.generator_sd)) as f32;
        for _ in 0..p.inference_steps {
            let zt = Tensor::<2>::from_data(TensorData::new(z.to_vec(), [batch, k]), &self.device).require_grad();
            let residual = target.clone() - frozen.generate(zt.clone());
            let u =
                residual.powf_scalar(2.0).sum().mul_scalar(inv_var) + zt.clone().powf_scalar(2.0).sum().mul_scalar(0.5);
            let grads = u.backward();
            let g = zt.grad(&grads).map(|t| t.into_data().try_to_vec::<f32>().unwrap_or_default()).unwrap_or_default();
            for (zi, gi) in z.iter_mut().zip(&g) {
                let noise: f32 = StandardNormal.sample(rng);
                *zi += -drift * gi + sd * noise;
            }
        }
    }

    /// One Co-Op step; returns its diagnostics.
    ///
    /// # Errors
    /// [`Error::Diverged`] on a non-finite energy or residual.
    pub fn step(&mut self) -> Result<CoopDiagnostics> {
        let p = self.params;
        let (d, k, b) = (self.descriptor.dim(), self.generator.latent_dim(), p.batch);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(
            self.seed ^ (self.iteration as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15),
        );
        let rows = crate::train::draw_rows(self.examples, b, &mut rng);
        let positive: Vec<f32> = rows.iter().flat_map(|&r| self.data[r * d..(r + 1) * d].iter().copied()).collect();
        // 1. generate
        let mut z = standard_normal(b * k, &mut rng);
        let generated = self.generate_from(&z);
        // 2. revise
        let mut revised = generated.clone();
        self.revise_with(&mut revised, &mut rng)?;
        // 3. infer
        self.infer(&mut z, &revised, b, &mut rng);
        let generated_energy = self.mean_energy(&generated, b);
        let revised_energy = self.mean_energy(&revised, b);
        // 4. descriptor
        let pos = Tensor::<2>::from_data(TensorData::new(positive, [b, d]), &self.device);
        let neg = Tensor::<2>::from_data(TensorData::new(revised.clone(), [b, d]), &self.device);
        let energy_difference = if let Some(optimizer) = p.descriptor_optimizer {
            let loss = self.descriptor.energy(pos).mean() - self.descriptor.energy(neg).mean();
            let grads = GradientsParams::from_grads(loss.backward(), &self.descriptor);
            let value = f64::from(
                loss.into_data().try_to_vec::<f32>().unwrap_or_default().first().copied().unwrap_or(f32::NAN),
            );
            let (lr, adam) = optimizer.learning_rate(self.iteration);
            let model = self.descriptor.clone();
            self.descriptor = if adam {
                self.descriptor_adam.step(lr, model, grads)
            } else {
                self.descriptor_sgd.step(lr, model, grads)
            };
            p.energy_scale() * value
        } else {
            let frozen = self.frozen_descriptor();
            let value = frozen.energy(pos).mean() - frozen.energy(neg).mean();
            p.energy_scale()
                * f64::from(
                    value.into_data().try_to_vec::<f32>().unwrap_or_default().first().copied().unwrap_or(f32::NAN),
                )
        };
        // 5. generator
        let zt = Tensor::<2>::from_data(TensorData::new(z, [b, k]), &self.device);
        let target = Tensor::<2>::from_data(TensorData::new(revised.clone(), [b, d]), &self.device);
        let residual = target - self.generator.generate(zt);
        let squared = residual.powf_scalar(2.0).sum();
        let sum_sq = f64::from(
            squared.clone().into_data().try_to_vec::<f32>().unwrap_or_default().first().copied().unwrap_or(f32::NAN),
        );
        let loss = squared.mul_scalar(1.0 / (2.0 * p.generator_sd * p.generator_sd * b as f64));
        let grads = GradientsParams::from_grads(loss.backward(), &self.generator);
        let (lr, adam) = p.generator_optimizer.learning_rate(self.iteration);
        let model = self.generator.clone();
        self.generator =
            if adam { self.generator_adam.step(lr, model, grads) } else { self.generator_sgd.step(lr, model, grads) };
        let revision_rms = (generated.iter().zip(&revised).map(|(a, c)| f64::from(a - c).powi(2)).sum::<f64>()
            / (b * d) as f64)
            .sqrt();
        let diag = CoopDiagnostics {
            iteration: self.iteration,
            energy_difference,
            generated_energy,
            revised_energy,
            revision_rms,
            reconstruction_rms: (sum_sq / (b * d) as f64).sqrt(),
        };
        if ![energy_difference, generated_energy, revised_energy, diag.reconstruction_rms].iter().all(|v| v.is_finite())
        {
            return Err(Error::Diverged(self.iteration));
        }
        self.history.push(diag);
        self.iteration += 1;
        Ok(diag)
    }

    /// Runs up to `n` steps, calling the `observer` after each (a closure or a stock observer of
    /// [`elm_core::observe`], e.g. `observe::checkpoint_every(100, dir)`); [`Control::Stop`] ends
    /// the run early. Returns the number of steps done.
    ///
    /// # Errors
    /// As [`CoopTrainer::step`].
    pub fn train<O: FnMut(&Self) -> Control>(&mut self, n: usize, mut observer: O) -> Result<usize> {
        for done in 1..=n {
            self.step()?;
            if observer(self) == Control::Stop {
                return Ok(done);
            }
        }
        Ok(n)
    }

    /// Writes a checkpoint folder (both networks and all four optimizers as burn records, the
    /// rest as checksummed JSON `coop.json`), atomically as [`crate::MlTrainer::save`].
    ///
    /// # Errors
    /// [`Error::Checkpoint`] naming the file.
    pub fn save(&self, dir: &std::path::Path) -> Result<()> {
        use elm_core::CheckpointFailure::Format;
        write_checkpoint_dir(dir, |partial| {
            let burn = |file: &str, e: String| Error::checkpoint(&partial.join(file), Format(e));
            self.descriptor
                .clone()
                .save_file(partial.join("descriptor.bpk"))
                .map_err(|e| burn("descriptor.bpk", format!("{e:?}")))?;
            self.generator
                .clone()
                .save_file(partial.join("generator.bpk"))
                .map_err(|e| burn("generator.bpk", format!("{e:?}")))?;
            for (name, opt) in [
                ("descriptor_adam.bpk", &self.descriptor_adam),
                ("descriptor_sgd.bpk", &self.descriptor_sgd),
                ("generator_adam.bpk", &self.generator_adam),
                ("generator_sgd.bpk", &self.generator_sgd),
            ] {
                opt.to_record().save(partial.join(name)).map_err(|e| burn(name, format!("{e:?}")))?;
            }
            let state = CoopState {
                params: self.params,
                iteration: self.iteration,
                seed: self.seed,
                history: self.history.clone(),
            };
            elm_core::checkpoint::save_json(&partial.join("coop.json"), &state)?;
            Ok(())
        })
    }

    /// Restores a checkpoint written by [`CoopTrainer::save`] into a trainer built with the same
    /// architectures and parameters.
    ///
    /// # Errors
    /// [`Error::Checkpoint`] for unreadable files or a checkpoint of other parameters.
    pub fn load(&mut self, dir: &std::path::Path) -> Result<()> {
        use elm_core::CheckpointFailure::{Format, Inconsistent};
        let burn = |file: &str, e: String| Error::checkpoint(&dir.join(file), Format(e));
        let state: CoopState = elm_core::checkpoint::load_json(&dir.join("coop.json"))?;
        if state.params != self.params {
            return Err(Error::checkpoint(
                &dir.join("coop.json"),
                Inconsistent("checkpoint of different Co-Op parameters".into()),
            ));
        }
        self.descriptor = self
            .descriptor
            .clone()
            .try_load_file(dir.join("descriptor.bpk"))
            .map_err(|e| burn("descriptor.bpk", format!("{e:?}")))?;
        self.generator = self
            .generator
            .clone()
            .try_load_file(dir.join("generator.bpk"))
            .map_err(|e| burn("generator.bpk", format!("{e:?}")))?;
        let load = |name: &str, adam: bool| -> Result<ModuleOptimizer> {
            let record = OptimizerRecord::load(dir.join(name)).map_err(|e| burn(name, format!("{e:?}")))?;
            Ok(if adam {
                AdamConfig::new().init().load_record(record)
            } else {
                SgdConfig::new().init().load_record(record)
            })
        };
        self.descriptor_adam = load("descriptor_adam.bpk", true)?;
        self.descriptor_sgd = load("descriptor_sgd.bpk", false)?;
        self.generator_adam = load("generator_adam.bpk", true)?;
        self.generator_sgd = load("generator_sgd.bpk", false)?;
        self.iteration = state.iteration;
        self.seed = state.seed;
        self.history = state.history;
        Ok(())
    }
}

/// Observers read Co-Op progress: steps done and the last step's diagnostics.
impl<P: Potential, G: Generator> elm_core::Progress for CoopTrainer<P, G> {
    fn done(&self) -> usize {
        self.iteration
    }

    fn summary(&self) -> String {
        match self.last_step() {
            Some(d) => format!(
                "Co-Op step {}: d_st {:+.3}, U(Y) {:.2} -> U(Y~) {:.2}, revision rms {:.4}, generator residual rms {:.4}",
                d.iteration + 1,
                d.energy_difference,
                d.generated_energy,
                d.revised_energy,
                d.revision_rms,
                d.reconstruction_rms
            ),
            None => "Co-Op step 0".into(),
        }
    }
}

/// `observe::checkpoint_every(n, dir)` writes [`CoopTrainer::save`] checkpoints (a folder).
impl<P: Potential, G: Generator> elm_core::Checkpoint for CoopTrainer<P, G> {
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

fn one() -> f64 {
    1.0
}

fn standard_normal<R: rand::Rng + ?Sized>(n: usize, rng: &mut R) -> Vec<f32> {
    (0..n).map(|_| StandardNormal.sample(rng)).collect()
}
