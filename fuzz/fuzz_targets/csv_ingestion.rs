//! libFuzzer entry point; the body is `targets::csv_ingestion` in `fuzz/targets.rs`, which
//! `tests/fuzz_corpus.rs` replays under stable `cargo test`.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::csv_ingestion(data));
