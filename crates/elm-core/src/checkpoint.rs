//! Records of long runs and their checkpoint files (feature `serde`): the [`Record`] trait
//! with atomic, checksummed `save` / `load`, the functions behind it, and the serde helpers
//! records share ([`infinite_as_null`], [`levels_as_hex`]).

use crate::error::{CheckpointError, CheckpointFailure};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;

/// A serializable record of a run (an ADELM map, a GWL mapping, a training state): saved and
/// loaded as a checkpoint file, atomically and verifiably, with a consistency check on the way
/// in. Implement [`Record::check`]; `save` and `load` come with it.
///
/// # Example
/// ```
/// use elm_core::checkpoint::Record;
/// #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
/// struct Counts { done: usize, total: usize }
/// impl Record for Counts {
///     fn check(&self) -> Result<(), String> {
///         if self.done <= self.total { Ok(()) } else { Err("more done than the total".into()) }
///     }
/// }
/// let path = std::env::temp_dir().join(format!("elm-core-record-{}.json", std::process::id()));
/// Counts { done: 3, total: 10 }.save(&path).unwrap();
/// assert_eq!(Counts::load(&path).unwrap(), Counts { done: 3, total: 10 });
/// Counts { done: 11, total: 10 }.save(&path).unwrap();
/// let err = Counts::load(&path).unwrap_err();
/// assert!(err.to_string().contains("more done than the total") && err.path == path);
/// # std::fs::remove_file(&path).unwrap();
/// ```
pub trait Record: Serialize + DeserializeOwned {
    /// Checks that a loaded record is consistent (default: nothing to check).
    ///
    /// # Errors
    /// What is inconsistent, as text.
    fn check(&self) -> Result<(), String> {
        Ok(())
    }

    /// Writes the record to `path` with [`save_json`].
    ///
    /// # Errors
    /// The file and the I/O or serialization failure.
    fn save(&self, path: &Path) -> Result<(), CheckpointError> {
        save_json(path, self)
    }

    /// Reads a record written by [`Record::save`] — JSON ([`save_json`]) or compact binary
    /// ([`save_binary`], told apart by the header) — then [`Record::check`]s it.
    ///
    /// # Errors
    /// The file and what went wrong: I/O, a damaged file, an invalid or inconsistent record.
    fn load(path: &Path) -> Result<Self, CheckpointError> {
        let record: Self = load_any(path)?;
        record.check().map_err(|what| CheckpointError {
            path: path.to_path_buf(),
            failure: CheckpointFailure::Inconsistent(what),
        })?;
        Ok(record)
    }
}

/// Writes `value` as JSON to `path` atomically and verifiably: the file is one header line
/// `elm-checkpoint 1 <fnv1a-64 of the payload, hex> <payload bytes>` followed by the JSON
/// payload; it is written to a temporary sibling (`<name>.<pid>.partial`, never the target's own
/// name), flushed to disk (`fsync`), renamed over `path`, and the directory is synced, so a crash
/// at any moment leaves either the previous checkpoint or the new one, and a file damaged later
/// (a flipped bit, a truncated copy) fails [`load_json`] instead of resuming to another result.
///
/// # Errors
/// The file and the I/O or serialization failure.
///
/// # Example
/// ```
/// let path = std::env::temp_dir().join(format!("elm-core-doc-{}.json", std::process::id()));
/// elm_core::checkpoint::save_json(&path, &vec![1, 2, 3]).unwrap();
/// let back: Vec<i32> = elm_core::checkpoint::load_json(&path).unwrap();
/// assert_eq!(back, vec![1, 2, 3]);
/// # std::fs::remove_file(&path).unwrap();
/// ```
pub fn save_json<T: Serialize + ?Sized>(path: &Path, value: &T) -> Result<(), CheckpointError> {
    let payload = serde_json::to_string(value)
        .map_err(|e| CheckpointError { path: path.to_path_buf(), failure: CheckpointFailure::Format(e.to_string()) })?;
    write_atomic(path, HEADER, payload.as_bytes())
}

/// Writes `value` to `path` as a compact binary checkpoint: the same header line as
/// [`save_json`] with the first word `elm-checkpoint-binary 1`, then the
/// [postcard](https://docs.rs/postcard) encoding (varint integers, raw `f64`s; discrete states
/// through [`levels_as_hex`] bit-packed), atomically and checksummed alike. For records too large
/// for JSON (a long GWL run holds millions of basins).
///
/// # Errors
/// The file and the I/O or serialization failure.
///
/// # Example
/// ```
/// let path = std::env::temp_dir().join(format!("elm-core-doc-bin-{}.bin", std::process::id()));
/// elm_core::checkpoint::save_binary(&path, &vec![1.5f64, -2.0]).unwrap();
/// let back: Vec<f64> = elm_core::checkpoint::load_any(&path).unwrap();
/// assert_eq!(back, vec![1.5, -2.0]);
/// # std::fs::remove_file(&path).unwrap();
/// ```
pub fn save_binary<T: Serialize + ?Sized>(path: &Path, value: &T) -> Result<(), CheckpointError> {
    let payload = postcard::to_allocvec(value)
        .map_err(|e| CheckpointError { path: path.to_path_buf(), failure: CheckpointFailure::Format(e.to_string()) })?;
    write_atomic(path, BINARY_HEADER, &payload)
}

/// Writes `header hash len\n payload` to a temporary sibling, syncs it and renames it over
/// `path` (see [`save_json`]).
fn write_atomic(path: &Path, header: &str, payload: &[u8]) -> Result<(), CheckpointError> {
    use std::io::Write;
    let fail = |failure| CheckpointError { path: path.to_path_buf(), failure };
    let name = path.file_name().ok_or_else(|| fail(CheckpointFailure::NotAFile))?;
    let mut tmp_name = name.to_os_string();
    tmp_name.push(format!(".{}.partial", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let write = || -> std::io::Result<()> {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        writeln!(f, "{header} {:016x} {}", fnv1a(payload), payload.len())?;
        f.write_all(payload)?;
        f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(d) = std::fs::File::open(dir)
        {
            // Directory sync makes the rename durable (best effort: not every platform allows it).
            let _ = d.sync_all();
        }
        Ok(())
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(CheckpointFailure::Io(e))
    })
}

/// Reads a checkpoint written by [`save_json`] or [`save_binary`] (told apart by the first word
/// of the header), checking its length and checksum first.
///
/// # Errors
/// The file and the I/O, integrity or parse failure.
pub fn load_any<T: DeserializeOwned>(path: &Path) -> Result<T, CheckpointError> {
    let fail = |failure| CheckpointError { path: path.to_path_buf(), failure };
    let bytes = std::fs::read(path).map_err(|e| fail(CheckpointFailure::Io(e)))?;
    match bytes.strip_prefix(BINARY_HEADER.as_bytes()) {
        Some(rest) => {
            let payload = verified_payload(rest).map_err(|what| fail(CheckpointFailure::Damaged(what)))?;
            postcard::from_bytes(payload).map_err(|e| fail(CheckpointFailure::Format(e.to_string())))
        }
        None => load_json(path),
    }
}

/// The payload after a header's first word, checked against the header's length and checksum.
fn verified_payload(rest: &[u8]) -> Result<&[u8], String> {
    let end = rest.iter().position(|&b| b == b'\n').ok_or("truncated header")?;
    let line = std::str::from_utf8(&rest[..end]).map_err(|_| "malformed header")?;
    let payload = &rest[end + 1..];
    let mut fields = line.split_whitespace();
    let hash = fields.next().and_then(|h| u64::from_str_radix(h, 16).ok());
    let len = fields.next().and_then(|l| l.parse::<usize>().ok());
    let (Some(hash), Some(len)) = (hash, len) else {
        return Err("malformed header".into());
    };
    if payload.len() != len {
        return Err(format!("truncated or extended: {} payload bytes, header says {len}", payload.len()));
    }
    if fnv1a(payload) != hash {
        return Err("checksum mismatch: the file was altered after it was written".into());
    }
    Ok(payload)
}

/// First word of a checkpoint's header line.
const HEADER: &str = "elm-checkpoint 1";

/// First word of a binary checkpoint's header line.
const BINARY_HEADER: &str = "elm-checkpoint-binary 1";

/// FNV-1a, 64 bits: detects every single-bit error and practically every accidental change.
/// The checksum of checkpoint files and of the committed datasets (`data/README.md`).
///
/// ```
/// assert_eq!(elm_core::checkpoint::fnv1a(b""), 0xcbf2_9ce4_8422_2325);
/// ```
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Reads a checkpoint written by [`save_json`], checking its length and checksum first (a
/// plain JSON file without the header, as written by elm before checksums, is still read).
///
/// # Errors
/// The file and the I/O, integrity or parse failure.
pub fn load_json<T: DeserializeOwned>(path: &Path) -> Result<T, CheckpointError> {
    let fail = |failure| CheckpointError { path: path.to_path_buf(), failure };
    let damaged = |what: String| fail(CheckpointFailure::Damaged(what));
    let text = std::fs::read_to_string(path).map_err(|e| fail(CheckpointFailure::Io(e)))?;
    let payload = match text.strip_prefix(HEADER) {
        Some(rest) => {
            let payload = verified_payload(rest.as_bytes()).map_err(damaged)?;
            std::str::from_utf8(payload).map_err(|_| damaged("payload is not UTF-8".into()))?
        }
        None => text.as_str(),
    };
    serde_json::from_str(payload).map_err(|e| fail(CheckpointFailure::Format(e.to_string())))
}

/// Serde helper for an `f64` that may be `+∞` (JSON has no infinity): written as `null`, read
/// back as `+∞`. Use with `#[serde(with = "elm_core::checkpoint::infinite_as_null")]`.
pub mod infinite_as_null {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes `v`, `null` when not finite.
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        (if v.is_finite() { Some(*v) } else { None }).serialize(s)
    }

    /// Reads a number, `null` as `+∞`.
    ///
    /// # Errors
    /// The deserializer's.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::INFINITY))
    }
}

/// [`infinite_as_null`] for a `Vec<f64>` (barrier matrices).
pub mod infinite_as_null_vec {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes `v`, non-finite entries as `null`.
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        v.iter().map(|x| if x.is_finite() { Some(*x) } else { None }).collect::<Vec<_>>().serialize(s)
    }

    /// Reads numbers, `null` as `+∞`.
    ///
    /// # Errors
    /// The deserializer's.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Ok(Vec::<Option<f64>>::deserialize(d)?.into_iter().map(|x| x.unwrap_or(f64::INFINITY)).collect())
    }
}

/// Serde helper for a level vector with levels below 16: one hex digit per site, e.g. `"0110"`
/// (SK-100 minima take 100 bytes of JSON instead of ~300, which matters for the hundreds of
/// thousands of basins a long GWL run meets). Use with
/// `#[serde(with = "elm_core::checkpoint::levels_as_hex")]`.
pub mod levels_as_hex {
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};

    /// Writes the levels as hex digits (`?` for a level of 16 or more, which fails to read) for
    /// text formats; for binary formats ([`super::save_binary`]) as `(count, bits, packed bytes)`
    /// with 1, 2, 4 or 8 bits per level (a 100-spin state in 13 bytes instead of 100).
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            let text: String = v.iter().map(|&l| char::from_digit(u32::from(l), 16).unwrap_or('?')).collect();
            return s.serialize_str(&text);
        }
        let bits: usize = match v.iter().copied().max().unwrap_or(0) {
            0..=1 => 1,
            2..=3 => 2,
            4..=15 => 4,
            _ => 8,
        };
        let per = 8 / bits;
        let mut packed = vec![0u8; v.len().div_ceil(per)];
        for (i, &l) in v.iter().enumerate() {
            packed[i / per] |= l << ((i % per) * bits);
        }
        (v.len() as u64, bits as u8, packed).serialize(s)
    }

    /// Reads levels written by [`serialize`].
    ///
    /// # Errors
    /// A character that is not a hex digit; a packed form whose sizes disagree.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        if d.is_human_readable() {
            let text = String::deserialize(d)?;
            return text
                .chars()
                .map(|c| c.to_digit(16).map(|l| l as u8).ok_or_else(|| D::Error::custom("bad level digit")))
                .collect();
        }
        let (count, bits, packed) = <(u64, u8, Vec<u8>)>::deserialize(d)?;
        let bits = usize::from(bits);
        if ![1, 2, 4, 8].contains(&bits) {
            return Err(D::Error::custom("bad bits per level"));
        }
        let per = 8 / bits;
        let count = usize::try_from(count).map_err(|_| D::Error::custom("level count too large"))?;
        if packed.len() != count.div_ceil(per) {
            return Err(D::Error::custom("packed levels of the wrong length"));
        }
        let mask = if bits == 8 { 0xff } else { (1u8 << bits) - 1 };
        Ok((0..count).map(|i| (packed[i / per] >> ((i % per) * bits)) & mask).collect())
    }
}
