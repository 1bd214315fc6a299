//! Writing and reading JSON checkpoints of long runs (feature `serde`).

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;

/// Writes `value` as JSON to `path` atomically: to `path.tmp` first, then renamed, so an
/// interrupted write never leaves a truncated checkpoint behind.
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
    let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).map_err(|e| e.to_string())?;
    std::fs::rename(&tmp, path).map_err(|e| e.to_string())
}

/// Reads a JSON checkpoint written by [`save_json`].
///
/// # Errors
/// The I/O or parse error, as text.
pub fn load_json<T: DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}
