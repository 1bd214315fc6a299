//! Project automation. `cargo xtask ci` runs exactly what CI runs:
//!
//! 1. `cargo fmt --all --check`
//! 2. `cargo clippy --workspace --all-targets -- -D warnings`
//! 3. the README's test command, `cargo test --workspace`
//!
//! `cargo xtask bench` runs the criterion benchmarks.

use std::process::{Command, ExitCode};

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
        _ => {
            eprintln!("usage: cargo xtask <ci|test|bench>");
            return ExitCode::from(2);
        }
    };
    for step in steps {
        if !cargo(step) {
            eprintln!("xtask: `cargo {}` failed", step.join(" "));
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
