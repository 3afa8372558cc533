//! What the integration tests share: the tolerances against R, the JSON comparison, and running
//! the CLI the way a user does; and, for the property tests of the models (cox_properties,
//! competing_properties), exact decimals for the generated files, the proptest configuration,
//! running an analysis through `analyze_text` with its JSON checked (no NaN, every number within
//! its bounds), the checks of numbers, terms and warnings, and comparing two reports; and, for
//! every test that builds a request, an endpoint and `analyze_text` with the default read options.

#![allow(dead_code)] // each test binary uses its own part of this module

use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::ProptestConfig;
use proptest::test_runner::TestCaseError;
use serde_json::Value;
use survkit::analysis::{CompetingEndpoint, Endpoint, FileRequest, ReadSettings, Request, TimeFixFlag};
use survkit::{analyze_text, Error, Report};

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
            // NaN (a value that is not a number) fails too.
            let within = (a - e).abs() <= relative * e.abs() + ABSOLUTE_FLOOR;
            if !within {
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

/// Runs the CLI with `csv` on stdin and expects it to fail cleanly: no result, no panic, an
/// "error: " message. Returns stderr.
#[track_caller]
pub fn fails_cleanly(full: &[&str], csv: &str) -> String {
    let (ok, stdout, stderr) = run_cli(full, Some(csv));
    assert!(!ok, "survkit {} should fail on {csv:?} but printed:\n{stdout}", full.join(" "));
    assert!(!stderr.contains("panicked"), "survkit {} panicked on {csv:?}:\n{stderr}", full.join(" "));
    assert!(stderr.starts_with("error: "), "no error message for {csv:?}:\n{stderr}");
    assert!(stdout.is_empty(), "a failed run printed a result:\n{stdout}");
    stderr
}

/// Asserts that `message` contains every one of `parts`.
#[track_caller]
pub fn says(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "expected {part:?} in:\n{message}");
    }
}

/// Runs the CLI with `csv` on stdin and expects it to succeed; returns stdout.
#[track_caller]
pub fn succeeds(full: &[&str], csv: &str) -> String {
    let (ok, stdout, stderr) = run_cli(full, Some(csv));
    assert!(ok, "survkit {} failed on {csv:?}:\n{stderr}", full.join(" "));
    stdout
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

// ---------------------------------------------------------------------------------------------
// Requests built in the tests
// ---------------------------------------------------------------------------------------------

/// The `time` and `event` columns, the event read as survkit reads it when not told (0/1, 1/2,
/// TRUE/FALSE, ...), and R's `timefix = TRUE`.
pub fn endpoint(time: &str, event: &str) -> Endpoint {
    Endpoint { time: time.into(), event: event.into(), event_value: None, timefix: TimeFixFlag::default() }
}

/// The `time` and `status` columns of a competing-risks analysis, censored when the status is 0.
pub fn competing_endpoint(time: &str, status: &str) -> CompetingEndpoint {
    CompetingEndpoint { time: time.into(), status: status.into(), censor_value: None }
}

/// `analyze_text` with the default read options (delimiter detected, a decimal point, no extra
/// missing-value codes): the path both front ends take.
pub fn analyze(text: &str, request: &Request) -> Result<Report, Error> {
    analyze_text(text, &FileRequest { read: ReadSettings::default(), request: request.clone() })
}

// ---------------------------------------------------------------------------------------------
// The property tests of the models: generated files, running an analysis and checking its JSON
// ---------------------------------------------------------------------------------------------

/// `mantissa / 10^decimals` written exactly, e.g. (-1234, 2) -> "-12.34".
pub fn decimal(mantissa: i64, decimals: u32) -> String {
    let power = 10i64.pow(decimals);
    let sign = if mantissa < 0 { "-" } else { "" };
    let (whole, fraction) = (mantissa.abs() / power, mantissa.abs() % power);
    if decimals == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction:0width$}", width = decimals as usize)
    }
}

/// Small case counts (the file runs in seconds in debug) unless `PROPTEST_CASES` asks for more,
/// and no regression files: a failure prints its minimal input, which belongs in a plain test.
pub fn config(cases: u32) -> ProptestConfig {
    let default = ProptestConfig::default(); // reads PROPTEST_CASES
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() { default.cases } else { cases };
    ProptestConfig { cases, failure_persistence: None, ..default }
}

/// A failed property case, saying `message`.
pub fn fail(message: String) -> TestCaseError {
    TestCaseError::fail(message)
}

/// The report's JSON `json`, parsed; an error if its text holds NaN or Infinity. (serde_json
/// writes those as `null`, so a report's checker must also require a finite number wherever the
/// schema types a plain number: see `number`.)
pub fn finite_json(json: &str) -> Result<Value, String> {
    for word in ["NaN", "Infinity"] {
        if json.contains(word) {
            return Err(format!("the JSON holds {word}"));
        }
    }
    serde_json::from_str(json).map_err(|error| format!("not JSON: {error}"))
}

/// A test file's checker of a parsed report: every number within its bounds, or what is wrong.
pub type ReportCheck = fn(&Value) -> Result<(), String>;

/// The report's JSON `json`, parsed by `finite_json` and passed by `check`, the test file's
/// checker of every number's bounds; or what is wrong with it.
pub fn checked_json(json: &str, check: ReportCheck) -> Result<Value, String> {
    let value = finite_json(json)?;
    check(&value)?;
    Ok(value)
}

/// Runs `request` on the CSV `text` by `analyze`, the path both front ends take: the report's
/// JSON, checked by `checked_json` with `check` (a panic with the problem, the request, the data
/// and the JSON when it fails a check); or the analysis's error message.
pub fn analyze_checked(text: &str, request: &Request, check: ReportCheck) -> Result<Value, String> {
    let report = analyze(text, request).map_err(|error| error.to_string())?;
    let json = report.to_json();
    match checked_json(&json, check) {
        Ok(value) => Ok(value),
        Err(problem) => panic!("{problem}\nrequest {request:?}\n{text}\n{json}"),
    }
}

/// Runs an analysis that must succeed, as `analyze_checked` does; its error message fails the
/// case, with the request and the data.
pub fn analyze_ok(text: &str, request: &Request, check: ReportCheck) -> Result<Value, TestCaseError> {
    analyze_checked(text, request, check)
        .map_err(|error| fail(format!("the analysis failed: {error}\nrequest {request:?}\n{text}")))
}

/// The finite number at `path`; an error for anything else, `null` included.
pub fn number(value: &Value, path: &str) -> Result<f64, String> {
    value.as_f64().filter(|x| x.is_finite()).ok_or_else(|| format!("{path} must be a finite number, is {value}"))
}

/// The finite number at `path`, or `None` for `null` (R's NA).
pub fn number_or_null(value: &Value, path: &str) -> Result<Option<f64>, String> {
    if value.is_null() {
        Ok(None)
    } else {
        number(value, path).map(Some)
    }
}

/// The probability at `path`: a number in [0, 1], or `None` for `null`.
pub fn probability(value: &Value, path: &str) -> Result<Option<f64>, String> {
    match number_or_null(value, path)? {
        Some(p) if !(0.0..=1.0).contains(&p) => Err(format!("{path} = {p} is not in [0, 1]")),
        other => Ok(other),
    }
}

/// The count (a whole number, not negative) at `path`.
pub fn count(value: &Value, path: &str) -> Result<u64, String> {
    value.as_u64().ok_or_else(|| format!("{path} must be a count, is {value}"))
}

/// The array at `path`.
pub fn array<'a>(value: &'a Value, path: &str) -> Result<&'a Vec<Value>, String> {
    value.as_array().ok_or_else(|| format!("{path} must be an array, is {value}"))
}

/// A term's hazard ratio and confidence limits, as `check_terms` read them, for the report's own
/// check of their order.
pub struct TermInterval {
    pub name: String,
    pub lower: Option<f64>,
    pub hr: Option<f64>,
    pub upper: Option<f64>,
}

/// Checks the `terms` of a Cox or Fine-Gray report: a non-empty array of named terms, each with
/// `coef`, `se`, `hr`, `lower`, `upper` and `z` finite or `null` and `p` a probability or `null`;
/// a term without a coefficient has every other number `null`, an estimated one se > 0. Returns
/// each term's interval.
pub fn check_terms(terms: &Value) -> Result<Vec<TermInterval>, String> {
    let terms = array(terms, "terms")?;
    if terms.is_empty() {
        return Err("no terms".into());
    }
    let mut intervals = Vec::new();
    for term in terms {
        let name = term["term"].as_str().ok_or("a term without a name")?;
        let path = |key: &str| format!("terms[{name}].{key}");
        let coef = number_or_null(&term["coef"], &path("coef"))?;
        let se = number_or_null(&term["se"], &path("se"))?;
        let hr = number_or_null(&term["hr"], &path("hr"))?;
        let lower = number_or_null(&term["lower"], &path("lower"))?;
        let upper = number_or_null(&term["upper"], &path("upper"))?;
        number_or_null(&term["z"], &path("z"))?;
        probability(&term["p"], &path("p"))?;
        match coef {
            None => {
                for key in ["se", "hr", "lower", "upper", "z", "p"] {
                    if !term[key].is_null() {
                        return Err(format!("{} is {} for a term without a coefficient", path(key), term[key]));
                    }
                }
            }
            Some(_) => match se {
                Some(se) if se > 0.0 => {}
                other => return Err(format!("{} = {other:?} for an estimated term", path("se"))),
            },
        }
        intervals.push(TermInterval { name: name.to_string(), lower, hr, upper });
    }
    Ok(intervals)
}

/// Checks a report's `warnings`: an array of warnings, each with a message and a term's name
/// (or `null`).
pub fn check_warnings(warnings: &Value) -> Result<(), String> {
    for warning in array(warnings, "warnings")? {
        if !warning["message"].is_string() || !(warning["term"].is_string() || warning["term"].is_null()) {
            return Err(format!("malformed warning {warning}"));
        }
    }
    Ok(())
}

/// Converged, and no warning (no infinite or dropped coefficient).
pub fn well_behaved(report: &Value) -> bool {
    report["converged"] == Value::Bool(true) && report["warnings"].as_array().is_some_and(Vec::is_empty)
}

// ---------------------------------------------------------------------------------------------
// The property tests of the models: comparing two reports
// ---------------------------------------------------------------------------------------------

/// `a` and `b` agree within `relative` of the larger of |a|, |b| and `scale` (the size below
/// which a difference does not matter: a standard error for a coefficient, 1 for a p-value).
/// `null` must meet `null`.
pub fn agree(a: &Value, b: &Value, path: &str, relative: f64, scale: f64) -> Result<(), TestCaseError> {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => {
            let size = x.abs().max(y.abs()).max(scale);
            if (x - y).abs() <= relative * size + ABSOLUTE_FLOOR {
                Ok(())
            } else {
                Err(fail(format!("{path}: {x:e} vs {y:e} (relative {:.1e})", (x - y).abs() / size)))
            }
        }
        _ if a == b => Ok(()),
        _ => Err(fail(format!("{path}: {a} vs {b}"))),
    }
}

/// A report's terms.
pub fn terms(report: &Value) -> &Vec<Value> {
    report["terms"].as_array().expect("terms")
}

/// The report's term named `name`, or `null` when it has none.
pub fn term<'a>(report: &'a Value, name: &str) -> &'a Value {
    terms(report).iter().find(|term| term["term"] == name).unwrap_or(&Value::Null)
}
