//! Golden tests: the CLI's JSON against R's survival on the same CSV and options.
//!
//! Each fixture in tests/reference/fixtures was written by tests/reference/generate.R and records
//! the R call, R's version and the packages'. This test runs `survkit <args> --data <csv>
//! --format json` exactly as a user would and compares every field R gave.

mod common;

use common::{data_path, differences, fixture_dir, read_json, run_json, tolerance};

#[test]
fn every_fixture_agrees_with_r() {
    let mut paths: Vec<_> = std::fs::read_dir(fixture_dir())
        .expect("tests/reference/fixtures exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 30, "expected the committed fixtures, found {}", paths.len());

    let mut failures = Vec::new();
    for path in &paths {
        let fixture = read_json(path);
        let name = fixture["name"].as_str().expect("fixture name");
        let data = data_path(fixture["data"].as_str().expect("fixture data"));
        let mut args: Vec<String> = fixture["args"]
            .as_array()
            .expect("fixture args")
            .iter()
            .map(|arg| arg.as_str().expect("string arg").to_string())
            .collect();
        args.extend(["--data".to_string(), data.display().to_string()]);
        let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let actual = run_json(&arg_refs);
        let found = differences(&fixture["expected"], &actual, tolerance(fixture["tolerance"].as_str().unwrap_or("")));
        if !found.is_empty() {
            failures.push(format!(
                "{name} ({}):\n  {}",
                fixture["r_call"],
                found.iter().take(8).cloned().collect::<Vec<_>>().join("\n  ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures disagree with R:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}
