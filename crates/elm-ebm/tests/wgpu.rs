//! The GPU code path (`--features wgpu`): the same network on the wgpu device gives the same
//! energies and input gradients as on the CPU flex backend, and learning steps run there.
//! Never built by CI; on a machine without a GPU it runs through Mesa's lavapipe (Vulkan on the
//! CPU): `apt-get install mesa-vulkan-drivers libvulkan1`, then
//! `cargo test -p elm-ebm --features wgpu --test wgpu`.
#![cfg(feature = "wgpu")]

use elm_ebm::{Device, DeviceKind, MlParams, MlTrainer, Mlp, energy_and_input_gradient, load_weights, save_weights};

#[test]
fn the_wgpu_device_agrees_with_the_cpu_and_learns() {
    let cpu = Device::flex().autodiff();
    cpu.seed(3);
    let gpu = Device::wgpu(DeviceKind::DefaultDevice).autodiff();
    let model = Mlp::toy(&cpu);
    let path = std::env::temp_dir().join(format!("elm-wgpu-{}.bpk", std::process::id()));
    save_weights(&model, &path).unwrap();
    // burn reads a record's tensors lazily from the file: keep it until the weights were used.
    let on_gpu = load_weights(Mlp::toy(&gpu), &path).unwrap();
    let x: Vec<f32> = (0..64).map(|k| ((k * 37 % 29) as f32 / 29.0 - 0.5) * 3.0).collect();
    let (e_cpu, g_cpu) = energy_and_input_gradient(&model, &x, 32, &cpu);
    let (e_gpu, g_gpu) = energy_and_input_gradient(&on_gpu, &x, 32, &gpu);
    let worst = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(p, q)| (p - q).abs()).fold(0.0f32, f32::max);
    assert_eq!((e_gpu.len(), g_gpu.len()), (32, 64));
    assert!(worst(&e_cpu, &e_gpu) < 1e-4, "energies differ by {}", worst(&e_cpu, &e_gpu));
    assert!(worst(&g_cpu, &g_gpu) < 1e-4, "gradients differ by {}", worst(&g_cpu, &g_gpu));
    let data: Vec<f32> = (0..400).map(|k| ((k * 7919 % 1000) as f32 / 1000.0 - 0.5) * 2.0).collect();
    let config = MlParams { steps: 10, batch: 50, ..MlParams::default() };
    let mut trainer = MlTrainer::new(on_gpu, data, config, 1, gpu).unwrap();
    for _ in 0..3 {
        let d = trainer.step().unwrap();
        assert!(d.energy_difference.is_finite() && d.gradient_magnitude > 0.0, "{d:?}");
    }
    std::fs::remove_file(&path).unwrap();
}
