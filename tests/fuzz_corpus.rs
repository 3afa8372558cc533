//! Replays the fuzz corpus under stable `cargo test`, without libFuzzer: every seed in
//! `fuzz/corpus/<target>/` and every crash the fuzzer found, `fuzz/regressions/<target>/`,
//! goes through the same target function the fuzzer runs (`fuzz/targets.rs`), and none may
//! panic. A failing regression file names the input to debug with
//! `cargo test --test fuzz_corpus -- --nocapture`; see fuzz/README.md.

#[path = "../fuzz/targets.rs"]
mod targets;

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn inputs(folder: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(folder).join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> =
        entries.filter_map(Result::ok).map(|entry| entry.path()).filter(|path| path.is_file()).collect();
    files.sort();
    files
}

/// Runs every file of `fuzz/<folder>/<target>/`, collecting the ones that panic.
fn replay(folder: &str, target: &str) -> usize {
    let files = inputs(folder, target);
    let mut panics = Vec::new();
    for file in &files {
        let data = std::fs::read(file).unwrap_or_else(|error| panic!("{}: {error}", file.display()));
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| targets::run_target(target, &data)));
        if let Err(payload) = outcome {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|text| text.to_string()))
                .unwrap_or_default();
            panics.push(format!("{}: {message}", file.display()));
        }
    }
    assert!(panics.is_empty(), "{} of {} inputs panic in {target}:\n{}", panics.len(), files.len(), panics.join("\n"));
    files.len()
}

#[test]
fn every_target_has_seeds() {
    for target in targets::TARGETS {
        assert!(!inputs("corpus", target).is_empty(), "fuzz/corpus/{target}/ has no seeds");
    }
}

#[test]
fn csv_ingestion_seeds_do_not_panic() {
    replay("corpus", "csv_ingestion");
}

#[test]
fn request_json_seeds_do_not_panic() {
    replay("corpus", "request_json");
}

#[test]
fn analyses_seeds_do_not_panic() {
    replay("corpus", "analyses");
}

#[test]
fn csv_ingestion_regressions_do_not_panic() {
    replay("regressions", "csv_ingestion");
}

#[test]
fn request_json_regressions_do_not_panic() {
    replay("regressions", "request_json");
}

#[test]
fn analyses_regressions_do_not_panic() {
    replay("regressions", "analyses");
}

/// A regression saved under a misspelt target folder would never be replayed.
#[test]
fn regression_folders_are_named_after_targets() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join("regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    for entry in entries.filter_map(Result::ok).filter(|entry| entry.path().is_dir()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(targets::TARGETS.contains(&name.as_str()), "fuzz/regressions/{name}/ is not a fuzz target's name");
    }
}
