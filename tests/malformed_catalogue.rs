//! The malformed-input catalogue (tests/catalogue/malformed.json) through the CLI, as a user
//! meets it, and through the library call the page's worker makes.
//!
//! Each case is a file (text, optionally re-encoded as Windows-1252 or UTF-16, with `{{repeat}}`
//! macros for hostile sizes), a request, and the outcome: a clear error that says given things
//! (and, where it carries them, the row and column), or a result that says given things, lacks
//! others and holds given values. tests/catalogue/README.md describes the format; the page runs
//! the same cases in tests/e2e/catalogue.test.mjs and checks it answers as the CLI does.

#![cfg(all(feature = "cli", not(target_arch = "wasm32")))] // runs the native CLI

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value};
use survkit::{analyze_bytes, FileRequest};

use common::repository_root;

fn catalogue() -> Vec<Value> {
    let path = repository_root().join("tests/catalogue/malformed.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let document: Value = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    document["cases"].as_array().cloned().unwrap_or_default()
}

/// Expands `{{repeat N SEPARATOR TEXT}}`: TEXT N times, `#` in it replaced by 1..=N, joined by
/// SEPARATOR (`nl` a line break, `none` nothing, anything else itself).
fn expand(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{repeat ") {
        out.push_str(&rest[..start]);
        let after = &rest[start + "{{repeat ".len()..];
        let end = after.find("}}").expect("a {{repeat}} macro is closed");
        let mut parts = after[..end].splitn(3, ' ');
        let count: usize = parts.next().and_then(|count| count.parse().ok()).expect("{{repeat N ...}}");
        let separator = match parts.next().expect("{{repeat N SEPARATOR TEXT}}") {
            "nl" => "\n",
            "none" => "",
            other => other,
        };
        let body = parts.next().expect("{{repeat N SEPARATOR TEXT}}");
        let copies: Vec<String> = (1..=count).map(|index| body.replace('#', &index.to_string())).collect();
        out.push_str(&copies.join(separator));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The file's bytes: the text in the case's `encoding` (UTF-8 when absent).
fn file_bytes(case: &Value) -> Vec<u8> {
    let text = expand(case["csv"].as_str().expect("every case has a csv"));
    match case["encoding"].as_str() {
        None => text.into_bytes(),
        Some("windows-1252") => text
            .chars()
            .map(|character| u8::try_from(u32::from(character)).expect("the catalogue's Windows-1252 text is Latin-1"))
            .collect(),
        Some("utf-16le") => [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect(),
        Some("utf-16be") => [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect(),
        Some(other) => panic!("unknown encoding {other}"),
    }
}

/// The request's fields as the CLI's flags: `conf_level` is `--conf-level`, `true` a switch.
fn cli_arguments(request: &Map<String, Value>, data: &Path, format: &str) -> Vec<String> {
    let analysis = request["analysis"].as_str().expect("a request names its analysis").to_string();
    let mut arguments = vec![analysis, "--data".into(), data.display().to_string(), "--format".into(), format.into()];
    for (field, value) in request.iter().filter(|(field, _)| *field != "analysis") {
        arguments.push(format!("--{}", field.replace('_', "-")));
        match value {
            Value::Bool(true) => {}
            Value::String(text) => arguments.push(text.clone()),
            other => arguments.push(other.to_string()),
        }
    }
    arguments
}

/// Every string in a JSON value, one per line: what a user can read in it.
fn strings(value: &Value, out: &mut String) {
    match value {
        Value::String(text) => {
            out.push_str(text);
            out.push('\n');
        }
        Value::Array(items) => items.iter().for_each(|item| strings(item, out)),
        Value::Object(fields) => fields.values().for_each(|item| strings(item, out)),
        _ => {}
    }
}

fn texts<'a>(expect: &'a Value, key: &str) -> Vec<&'a str> {
    expect[key].as_array().map(|items| items.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

/// The problems with one case's CLI run, and with the library's answer to the same bytes.
fn check(case: &Value, scratch: &Path) -> Vec<String> {
    let class = case["class"].as_str().unwrap_or("?");
    let bytes = file_bytes(case);
    let data = scratch.join(format!("{}.csv", class.replace(|c: char| !c.is_ascii_alphanumeric(), "_")));
    std::fs::write(&data, &bytes).expect("the scratch folder is writable");
    let format = case["format"].as_str().unwrap_or("json");
    let request = case["request"].as_object().expect("every case has a request");
    let expect = &case["expect"];
    let output = Command::new(env!("CARGO_BIN_EXE_survkit"))
        .args(cli_arguments(request, &data, format))
        .output()
        .expect("the survkit binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut problems = Vec::new();
    let mut problem = |text: String| problems.push(format!("{class}: {text}"));
    if stderr.contains("panicked") {
        problem(format!("the CLI panicked: {stderr}"));
    }

    // The library call the page's worker makes (unknown request fields fail here, as in the page).
    let library = FileRequest::from_json(&Value::Object(request.clone()).to_string())
        .and_then(|request| analyze_bytes(bytes.clone(), &request));

    if expect.get("error").is_some() {
        if output.status.success() {
            problem(format!("should fail, but the CLI printed:\n{}", &stdout[..stdout.len().min(500)]));
        }
        if !stderr.starts_with("error: ") || !stdout.is_empty() {
            problem(format!("a failure must print only \"error: ...\" on stderr, got {stderr:?}"));
        }
        for part in texts(expect, "error") {
            if !stderr.contains(part) {
                problem(format!("the CLI's message lacks {part:?}: {stderr}"));
            }
        }
        match &library {
            Ok(_) => problem("the library gives a result where the CLI fails".into()),
            Err(error) => {
                let message = error.to_string();
                for part in texts(expect, "error") {
                    if !message.contains(part) {
                        problem(format!("the page's message lacks {part:?}: {message}"));
                    }
                }
                if let Some(row) = expect["row"].as_u64() {
                    if error.row() != usize::try_from(row).ok() {
                        problem(format!("the error's row is {:?}, not {row}: {message}", error.row()));
                    }
                    if !stderr.contains(&format!("row {row}")) {
                        problem(format!("the CLI's message does not name row {row}: {stderr}"));
                    }
                }
                if let Some(column) = expect["column"].as_str() {
                    if error.column() != Some(column) {
                        problem(format!("the error's column is {:?}, not {column:?}: {message}", error.column()));
                    }
                }
            }
        }
        return problems;
    }

    if !output.status.success() {
        problem(format!("should succeed, but the CLI failed: {stderr}"));
        return problems;
    }
    if let Err(error) = &library {
        problem(format!("the library fails where the CLI succeeds: {error}"));
    }
    let readable = if format == "json" {
        let report: Value = match serde_json::from_str(&stdout) {
            Ok(report) => report,
            Err(error) => {
                problem(format!("the CLI's JSON does not parse ({error})"));
                return problems;
            }
        };
        if let Some(values) = expect["values"].as_object() {
            for (pointer, wanted) in values {
                let found = report.pointer(pointer);
                if found != Some(wanted) {
                    problem(format!("{pointer} is {found:?}, not {wanted}"));
                }
            }
        }
        let mut readable = String::new();
        strings(&report, &mut readable);
        readable
    } else {
        stdout.into_owned()
    };
    for part in texts(expect, "says") {
        if !readable.contains(part) {
            problem(format!("the output lacks {part:?}"));
        }
    }
    for part in texts(expect, "lacks") {
        if readable.contains(part) {
            problem(format!("the output holds {part:?}"));
        }
    }
    problems
}

fn scratch_folder() -> PathBuf {
    let folder = std::env::temp_dir().join(format!("survkit-catalogue-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("a scratch folder");
    folder
}

#[test]
fn the_catalogue_has_at_least_thirty_classes_each_named_once() {
    let cases = catalogue();
    let mut classes: Vec<&str> = cases.iter().filter_map(|case| case["class"].as_str()).collect();
    assert!(classes.len() >= 30, "{} classes", classes.len());
    classes.sort_unstable();
    classes.dedup();
    assert_eq!(classes.len(), cases.len(), "a class is listed twice");
    for case in &cases {
        let expect = &case["expect"];
        let kinds = ["error", "says", "values"].iter().filter(|key| expect.get(**key).is_some()).count();
        assert!(kinds >= 1, "{}: the case asserts nothing", case["class"]);
        assert!(case["input"].is_string(), "{}: the case does not describe its input", case["class"]);
    }
}

#[test]
fn every_catalogued_input_gets_its_outcome_on_the_cli() {
    let scratch = scratch_folder();
    let problems: Vec<String> = catalogue().iter().flat_map(|case| check(case, &scratch)).collect();
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_macros_expand_as_documented() {
    assert_eq!(expand("a{{repeat 3 , c#}}b"), "ac1,c2,c3b");
    assert_eq!(expand("{{repeat 2 nl #,1}}\n{{repeat 4 none x}}"), "1,1\n2,1\nxxxx");
}
