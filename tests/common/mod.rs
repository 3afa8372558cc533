//! What the integration tests share: the tolerances against R, the JSON comparison, and running
//! the CLI the way a user does.

#![allow(dead_code)] // each test binary uses its own part of this module

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Closed forms (Kaplan-Meier, Greenwood, log-rank, Aalen-Johansen): relative agreement with R.
pub const CLOSED_FORM_RELATIVE: f64 = 1e-9;
/// Iterative fits (Cox, Fine-Gray): relative agreement with R.
pub const ITERATIVE_RELATIVE: f64 = 1e-6;
/// Agreement below which two numbers are equal whatever their size: R's rounding noise around 0
/// (a difference of sums that should cancel comes out as 1e-16 in R and 0 here).
pub const ABSOLUTE_FLOOR: f64 = 1e-12;

/// The tolerance a fixture names.
pub fn tolerance(name: &str) -> f64 {
    match name {
        "closed_form" => CLOSED_FORM_RELATIVE,
        "iterative" => ITERATIVE_RELATIVE,
        other => panic!("unknown tolerance class {other:?}"),
    }
}

/// Every difference between `expected` (from R) and `actual` (ours), as readable paths.
///
/// Every field of `expected` must be in `actual`; `actual` may have more. Numbers agree when
/// |actual - expected| <= relative |expected| + ABSOLUTE_FLOOR; `null` must meet `null`.
pub fn differences(expected: &Value, actual: &Value, relative: f64) -> Vec<String> {
    let mut found = Vec::new();
    compare(expected, actual, relative, "$", &mut found);
    found
}

fn compare(expected: &Value, actual: &Value, relative: f64, path: &str, found: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (e.as_f64().unwrap_or(f64::NAN), a.as_f64().unwrap_or(f64::NAN));
            if !((a - e).abs() <= relative * e.abs() + ABSOLUTE_FLOOR) {
                found.push(format!("{path}: R {e:e}, survkit {a:e} (relative {:.1e})", ((a - e) / e).abs()));
            }
        }
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                match a.get(key) {
                    Some(actual) => compare(value, actual, relative, &format!("{path}.{key}"), found),
                    None => found.push(format!("{path}.{key}: missing from survkit's output")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                found.push(format!("{path}: R has {} elements, survkit {}", e.len(), a.len()));
            }
            for (index, (e, a)) in e.iter().zip(a).enumerate() {
                compare(e, a, relative, &format!("{path}[{index}]"), found);
            }
        }
        (e, a) if e == a => {}
        (e, a) => found.push(format!("{path}: R {e}, survkit {a}")),
    }
}

pub fn repository_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `survkit` binary; returns (exit success, stdout, stderr).
pub fn run_cli(args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    use std::io::Write;
    let mut command = Command::new(env!("CARGO_BIN_EXE_survkit"));
    command.args(args).current_dir(repository_root());
    command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().expect("the survkit binary runs");
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.unwrap_or("").as_bytes()).expect("stdin accepts the data");
    }
    let output = child.wait_with_output().expect("the survkit binary finishes");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs the CLI with `--format json` and parses its output, failing with its stderr.
pub fn run_json(args: &[&str]) -> Value {
    let mut full: Vec<&str> = args.to_vec();
    full.extend(["--format", "json"]);
    let (ok, stdout, stderr) = run_cli(&full, None);
    assert!(ok, "survkit {} failed: {stderr}", full.join(" "));
    serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("not JSON ({error}): {stdout}"))
}

pub fn fixture_dir() -> PathBuf {
    repository_root().join("tests/reference/fixtures")
}

pub fn data_path(name: &str) -> PathBuf {
    repository_root().join("tests/reference/data").join(name)
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}
