//! The `$$ ... $$` math of the API docs survives markdown, so KaTeX can typeset it on docs.rs
//! (checked by rendering every page with math in headless Chromium; this test keeps the rules
//! that rendering taught): inside a math block, TeX's `\,` `\!` `\{` `\}` must be written with
//! a doubled backslash (markdown eats one), a superscript star as `^{\ast}` (two `*` make
//! emphasis), and at most one `_` per block may follow `)` or `}` directly (two pair up into
//! emphasis: write `w_{ij}^{(1)}`, not `w^{(1)}_{ij}`).

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn doc_math_is_markdown_safe() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates");
    let mut files = Vec::new();
    rust_files(&crates, &mut files);
    assert!(files.len() > 50, "found only {} source files", files.len());
    let mut problems = Vec::new();
    let mut blocks = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable source");
        let mut inside = false;
        // `)_` / `}_` in the current block, with the line of the first.
        let mut flanking: (usize, usize) = (0, 0);
        for (n, line) in text.lines().enumerate() {
            let doc = line.trim_start();
            if !(doc.starts_with("///") || doc.starts_with("//!")) {
                inside = false;
                continue;
            }
            let marks = doc.matches("$$").count();
            if inside || marks > 0 {
                let bytes = doc.as_bytes();
                for (k, w) in bytes.windows(2).enumerate() {
                    let single = w[0] == b'\\' && (k == 0 || bytes[k - 1] != b'\\');
                    if single && matches!(w[1], b',' | b'!' | b'{' | b'}') {
                        problems.push(format!("{}:{}: single-backslash `\\{}`", file.display(), n + 1, w[1] as char));
                    }
                    if matches!(w[0], b')' | b'}') && w[1] == b'_' {
                        if flanking.0 == 0 {
                            flanking.1 = n + 1;
                        }
                        flanking.0 += 1;
                    }
                }
                if doc.contains("^*") {
                    problems.push(format!("{}:{}: `^*` (write `^{{\\ast}}`)", file.display(), n + 1));
                }
            }
            if marks % 2 == 1 {
                inside = !inside;
                blocks += usize::from(inside);
            } else {
                blocks += marks / 2;
            }
            if !inside {
                if flanking.0 >= 2 {
                    problems.push(format!(
                        "{}:{}: {} `)_` / `}}_` in one math block pair into markdown emphasis",
                        file.display(),
                        flanking.1,
                        flanking.0
                    ));
                }
                flanking = (0, 0);
            }
        }
    }
    assert!(blocks > 20, "found only {blocks} math blocks");
    assert!(problems.is_empty(), "doc math that markdown would break:\n{}", problems.join("\n"));
}
