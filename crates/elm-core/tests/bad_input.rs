//! Inputs that used to panic, overflow or give silently wrong results (issue "Never panic, never
//! hang, never lose a record"): each is now a typed error or a documented, correct value.

use elm_core::reference::{LennardJones, SherringtonKirkpatrick};
use elm_core::{DiscreteEnergy, DiscreteState, EnergyPath, distance};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// A discrete energy with a configurable number of levels (0, 1, 300 are all invalid).
struct Levels(usize);

impl DiscreteEnergy for Levels {
    fn sites(&self) -> usize {
        3
    }
    fn levels(&self) -> usize {
        self.0
    }
    fn energy(&self, s: &[u8]) -> f64 {
        s.iter().map(|&l| f64::from(l)).sum()
    }
}

#[test]
fn sizes_whose_products_overflow_are_errors() {
    assert!(SherringtonKirkpatrick::from_couplings(1 << 32, vec![]).is_err());
    assert!(SherringtonKirkpatrick::from_couplings(usize::MAX, vec![]).is_err());
    assert!(LennardJones::new(usize::MAX / 2).is_err());
}

#[test]
fn energies_with_unusable_level_counts_are_errors() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    for levels in [0, 1, 257, 300] {
        assert!(DiscreteState::random(&Levels(levels), &mut rng).is_err(), "{levels} levels");
        assert!(DiscreteState::new(&Levels(levels), vec![0, 0, 0]).is_err(), "{levels} levels");
    }
    assert!(DiscreteState::random(&Levels(256), &mut rng).is_ok());
}

#[test]
fn distances_between_states_of_different_lengths_are_infinite() {
    assert_eq!(distance::l2(&[0.0, 1.0], &[0.0]), f64::INFINITY);
    assert_eq!(distance::l2_squared(&[], &[1.0]), f64::INFINITY);
    assert_eq!(distance::hamming(&[0, 1, 1], &[0, 1]), usize::MAX);
    let sk = SherringtonKirkpatrick::sample(4, &mut Xoshiro256PlusPlus::seed_from_u64(2)).unwrap();
    assert_eq!(distance::discrete_l2(&sk, &[0, 1, 1, 0], &[0, 1]), f64::INFINITY);
}

#[test]
fn a_path_through_an_undefined_point_has_no_barrier() {
    let p = EnergyPath { states: vec![0, 1, 2], energies: vec![-1.0, f64::NAN, -2.0] };
    assert!(p.barrier().is_nan());
    let q = EnergyPath { states: vec![0, 1], energies: vec![-1.0, 3.0] };
    assert_eq!(q.barrier(), 3.0);
}

#[test]
fn checkpoints_are_atomic_verified_and_survive_a_crash_mid_write() {
    use elm_core::checkpoint::{load_json, save_json};
    let dir = std::env::temp_dir().join(format!("elm-core-ckpt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("run.json");
    save_json(&path, &vec![1.5, 2.5, 3.5]).unwrap();
    assert_eq!(load_json::<Vec<f64>>(&path).unwrap(), vec![1.5, 2.5, 3.5]);
    // A crash while writing the next checkpoint leaves a partial temporary file; the previous
    // checkpoint is untouched.
    let partial = dir.join(format!("run.json.{}.partial", std::process::id()));
    std::fs::write(&partial, "elm-checkpoint 1 0000 99\n[1.5, 2").unwrap();
    assert_eq!(load_json::<Vec<f64>>(&path).unwrap(), vec![1.5, 2.5, 3.5]);
    // One changed digit, one flipped bit, a truncation: all fail to load instead of resuming
    // to another result.
    let good = std::fs::read(&path).unwrap();
    let text = String::from_utf8(good.clone()).unwrap();
    std::fs::write(&path, text.replacen("2.5", "2.6", 1)).unwrap();
    assert!(load_json::<Vec<f64>>(&path).unwrap_err().to_string().contains("checksum"));
    let mut flipped = good.clone();
    let last = flipped.len() - 3;
    flipped[last] ^= 0x01;
    std::fs::write(&path, &flipped).unwrap();
    assert!(load_json::<Vec<f64>>(&path).is_err());
    std::fs::write(&path, &good[..good.len() - 4]).unwrap();
    assert!(load_json::<Vec<f64>>(&path).unwrap_err().to_string().contains("truncated"));
    // A target called x.tmp is written through a temporary of another name.
    let tmp_target = dir.join("x.tmp");
    save_json(&tmp_target, &7u32).unwrap();
    assert_eq!(load_json::<u32>(&tmp_target).unwrap(), 7);
    // Files written before checksums (plain JSON) still load.
    std::fs::write(&path, "[1.0, 2.0]").unwrap();
    assert_eq!(load_json::<Vec<f64>>(&path).unwrap(), vec![1.0, 2.0]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn binary_checkpoints_pack_levels_round_trip_and_detect_damage() {
    use elm_core::checkpoint::{load_any, save_binary, save_json};
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Basin {
        #[serde(with = "elm_core::checkpoint::levels_as_hex")]
        minimum: Vec<u8>,
        energy: f64,
        visits: u64,
    }
    let dir = std::env::temp_dir().join(format!("elm-core-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("run.bin");
    // 1, 2, 4 and 8 bits per level, lengths that do and do not fill the last byte.
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    for (levels, len) in [(2u16, 100), (2, 8), (3, 13), (16, 101), (200, 7), (2, 0)] {
        let basins: Vec<Basin> = (0..50)
            .map(|k| Basin {
                minimum: (0..len).map(|_| rng.random_range(0..levels) as u8).collect(),
                energy: -(k as f64) * 0.37,
                visits: k * 1_000_003,
            })
            .collect();
        save_binary(&path, &basins).unwrap();
        assert_eq!(load_any::<Vec<Basin>>(&path).unwrap(), basins, "{levels} levels x {len}");
        // JSON and binary files of the same record read back alike through load_any (hex
        // digits hold at most 16 levels; the binary form up to 256).
        if levels <= 16 {
            let json = dir.join("run.json");
            save_json(&json, &basins).unwrap();
            assert_eq!(load_any::<Vec<Basin>>(&json).unwrap(), basins);
        }
    }
    // 100 binary spins take 13 bytes, not 100 hex digits: the binary file is far smaller.
    let spins: Vec<Basin> = (0..1000)
        .map(|k| Basin { minimum: (0..100).map(|i| ((i * 7 + k) % 3 == 0) as u8).collect(), energy: -1.0, visits: 5 })
        .collect();
    save_binary(&path, &spins).unwrap();
    save_json(&dir.join("spins.json"), &spins).unwrap();
    let (binary, json) =
        (std::fs::metadata(&path).unwrap().len(), std::fs::metadata(dir.join("spins.json")).unwrap().len());
    assert!(binary * 5 < json, "binary {binary} bytes, JSON {json}");
    // A flipped bit and a truncation fail to load.
    let good = std::fs::read(&path).unwrap();
    let mut flipped = good.clone();
    let last = flipped.len() - 3;
    flipped[last] ^= 0x01;
    std::fs::write(&path, &flipped).unwrap();
    assert!(load_any::<Vec<Basin>>(&path).unwrap_err().to_string().contains("checksum"));
    std::fs::write(&path, &good[..good.len() - 4]).unwrap();
    assert!(load_any::<Vec<Basin>>(&path).unwrap_err().to_string().contains("truncated"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn local_fields_check_the_site_and_the_state() {
    let sk = SherringtonKirkpatrick::sample(4, &mut Xoshiro256PlusPlus::seed_from_u64(5)).unwrap();
    assert!(sk.local_field(&[0, 1, 0, 1], 9).is_err());
    assert!(sk.local_field(&[0, 1], 1).is_err());
    let s = [0u8, 1, 0, 1];
    // E = -(1/2) Σ σ_i h_i.
    let e: f64 = -0.5 * (0..4).map(|i| (2.0 * f64::from(s[i]) - 1.0) * sk.local_field(&s, i).unwrap()).sum::<f64>();
    assert!((e - sk.energy(&s)).abs() < 1e-12);
}
