//! elm side of `cargo xtask peers`: the learning iteration that `benches/peers/ebm_iteration.py`
//! times in PyTorch (batch 100 persistent chains out of a bank of 1000 uniform on [-1, 1],
//! L = 100 Langevin steps with `U = F / (ε²/2)`, ε = 0.125, one SGD step), float32 on the CPU
//! flex backend. Prints `{work: seconds per iteration}` (median of `--repeats`, after one
//! warm-up iteration).
//!
//! ```text
//! cargo run --release -p elm-benches --features ebm --bin ebm_iteration [-- --repeats 10 --works toy_mlp,convnet_32x32]
//! ```

use elm_ebm::{ConvNet, Device, InitialNoise, McmcInit, MlParams, MlTrainer, Mlp, OptimizerKind, Potential};

fn time<P: Potential>(model: P, repeats: usize, steps: usize, device: &Device) -> f64 {
    let d = model.dim();
    let data: Vec<f32> = (0..1000 * d).map(|k| ((k * 7919 % 1000) as f32 / 1000.0) * 2.0 - 1.0).collect();
    let config = MlParams {
        steps,
        init: McmcInit::Persistent {
            noise: InitialNoise::Uniform { half_width: 1.0 },
            bank_size: 1000,
            rejuvenation: 0.0,
        },
        optimizer: OptimizerKind::Sgd { lr: 1e-3, decay: 1.0, floor: 0.0 },
        ..MlParams::default()
    };
    let mut trainer = MlTrainer::new(model, data, config, 1, device.clone()).expect("trainer");
    trainer.step().expect("warm-up step");
    let mut times: Vec<f64> = (0..repeats)
        .map(|_| {
            let t = std::time::Instant::now();
            trainer.step().expect("step");
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let mut repeats = 10;
    let mut steps = 100;
    let mut works = "toy_mlp,convnet_32x32".to_string();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let v = args.next().unwrap_or_default();
        match a.as_str() {
            "--repeats" => repeats = v.parse().expect("--repeats N"),
            "--steps" => steps = v.parse().expect("--steps N"),
            "--works" => works = v,
            _ => panic!("usage: ebm_iteration [--repeats N] [--steps L] [--works toy_mlp,convnet_32x32]"),
        }
    }
    let device = Device::flex().autodiff();
    device.seed(1);
    let mut out = vec![];
    for work in works.split(',') {
        let seconds = match work {
            "toy_mlp" => time(Mlp::toy(&device), repeats, steps, &device),
            "convnet_32x32" => time(ConvNet::new(1, 32, None, &device), (repeats / 5).max(2), steps, &device),
            other => panic!("unknown work {other}"),
        };
        out.push(format!("\"{work}\": {seconds}"));
    }
    println!("{{{}}}", out.join(", "));
}
