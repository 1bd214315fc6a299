//! Writing and reading JSON checkpoints of long runs (feature `serde`).

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;

/// Writes `value` as JSON to `path` atomically and verifiably: the file is one header line
/// `elm-checkpoint 1 <fnv1a-64 of the payload, hex> <payload bytes>` followed by the JSON
/// payload; it is written to a temporary sibling (`<name>.<pid>.partial`, never the target's own
/// name), flushed to disk (`fsync`), renamed over `path`, and the directory is synced, so a crash
/// at any moment leaves either the previous checkpoint or the new one, and a file damaged later
/// (a flipped bit, a truncated copy) fails [`load_json`] instead of resuming to another result.
///
/// # Errors
/// The I/O or serialization error, as text (callers wrap it in their own error type).
///
/// # Example
/// ```
/// let path = std::env::temp_dir().join(format!("elm-core-doc-{}.json", std::process::id()));
/// elm_core::checkpoint::save_json(&path, &vec![1, 2, 3]).unwrap();
/// let back: Vec<i32> = elm_core::checkpoint::load_json(&path).unwrap();
/// assert_eq!(back, vec![1, 2, 3]);
/// # std::fs::remove_file(&path).unwrap();
/// ```
pub fn save_json<T: Serialize + ?Sized>(path: &Path, value: &T) -> Result<(), String> {
    use std::io::Write;
    let payload = serde_json::to_string(value).map_err(|e| e.to_string())?;
    let name = path.file_name().ok_or_else(|| format!("{} is not a file path", path.display()))?;
    let mut tmp_name = name.to_os_string();
    tmp_name.push(format!(".{}.partial", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        writeln!(f, "{HEADER} {:016x} {}", fnv1a(payload.as_bytes()), payload.len())?;
        f.write_all(payload.as_bytes())?;
        f.sync_all()?;
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
        e.to_string()
    })
}

/// First word of a checkpoint's header line.
const HEADER: &str = "elm-checkpoint 1";

/// FNV-1a, 64 bits: detects every single-bit error and practically every accidental change.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Reads a checkpoint written by [`save_json`], checking its length and checksum first (a
/// plain JSON file without the header, as written by elm before checksums, is still read).
///
/// # Errors
/// The I/O, integrity or parse error, as text (callers wrap it with the file's path).
pub fn load_json<T: DeserializeOwned>(path: &Path) -> Result<T, String> {
    let fail = |what: String| what;
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    let payload = match text.strip_prefix(HEADER) {
        Some(rest) => {
            let (line, payload) = rest.split_once('\n').ok_or_else(|| fail("truncated header".into()))?;
            let mut fields = line.split_whitespace();
            let hash = fields.next().and_then(|h| u64::from_str_radix(h, 16).ok());
            let len = fields.next().and_then(|l| l.parse::<usize>().ok());
            let (Some(hash), Some(len)) = (hash, len) else {
                return Err(fail("malformed header".into()));
            };
            if payload.len() != len {
                return Err(fail(format!("truncated or extended: {} payload bytes, header says {len}", payload.len())));
            }
            if fnv1a(payload.as_bytes()) != hash {
                return Err(fail("checksum mismatch: the file was altered after it was written".into()));
            }
            payload
        }
        None => text.as_str(),
    };
    serde_json::from_str(payload).map_err(|e| fail(e.to_string()))
}
