//! The typed contract: every report the golden fixtures produce reads back into its Rust type
//! and writes the same JSON byte for byte (so figures and `survkit run` can work from typed
//! reports), and the example study runs through `survkit run` with results equal to running
//! each request alone.

mod common;

use common::{data_path, fixture_dir, read_json, repository_root, run_cli};
use survkit::analysis::Study;
use survkit::{FileRequest, Report};

#[test]
fn every_fixture_report_reads_back_into_its_type_unchanged() {
    let mut checked = 0;
    for entry in std::fs::read_dir(fixture_dir()).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|extension| extension != "json") {
            continue;
        }
        let fixture = read_json(&path);
        let mut args: Vec<String> = fixture["args"]
            .as_array()
            .expect("args")
            .iter()
            .map(|arg| arg.as_str().expect("arg").to_string())
            .collect();
        args.extend(["--data".into(), data_path(fixture["data"].as_str().expect("data")).display().to_string()]);
        args.extend(["--format".into(), "json".into()]);
        let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let (ok, stdout, stderr) = run_cli(&arg_refs, None);
        assert!(ok, "{}: {stderr}", path.display());
        // A `survkit run` fixture holds one report per analysis of its study; check each of them.
        let reports: Vec<String> = if args[0] == "run" {
            let results: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
            let analyses = results["analyses"].as_array().expect("analyses");
            assert!(!analyses.is_empty(), "{}: a study with no analyses", path.display());
            analyses.iter().map(|analysis| analysis["result"].to_string()).collect()
        } else {
            vec![stdout.trim_end().to_string()]
        };
        for written in reports {
            let report = Report::from_json(&written).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            let expected: serde_json::Value = serde_json::from_str(&written).expect("JSON");
            let read_back: serde_json::Value = serde_json::from_str(&report.to_json()).expect("JSON");
            assert_eq!(read_back, expected, "{} changes when read back", path.display());
        }
        if args[0] != "run" {
            let report = Report::from_json(&stdout).expect("read above");
            assert_eq!(report.to_json(), stdout.trim_end(), "{} is not written byte for byte", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} fixtures");
}

#[test]
fn the_example_study_runs_and_each_result_equals_its_request_run_alone() {
    let study_path = repository_root().join("examples/study.json");
    let data = repository_root().join("examples/cart_haplo_simulated.csv");
    let (ok, stdout, stderr) = run_cli(
        &[
            "run",
            "--study",
            &study_path.display().to_string(),
            "--data",
            &data.display().to_string(),
            "--format",
            "json",
            "--today",
            "2026-01-01",
        ],
        None,
    );
    assert!(ok, "survkit run failed: {stderr}");
    let results: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let study = Study::from_json(&std::fs::read_to_string(&study_path).expect("study")).expect("a study");
    let analyses = results["analyses"].as_array().expect("analyses");
    assert_eq!(analyses.len(), study.analyses.len());
    let text = std::fs::read_to_string(&data).expect("data");
    let today = survkit::data::Day::parse_iso("2026-01-01").expect("a date");
    let table =
        study.prepare(survkit::data::Table::parse(&text, &Default::default()).expect("table"), today).expect("derived");
    for (result, analysis) in analyses.iter().zip(&study.analyses) {
        let alone = survkit::analyze_table(&table, &analysis.request).expect("runs alone");
        let alone: serde_json::Value = serde_json::from_str(&alone.to_json()).expect("JSON");
        assert_eq!(result["result"], alone, "{}", analysis.title);
    }
    // A one-off request is a FileRequest: the same JSON with read options.
    let one_off = FileRequest::from_json(r#"{"analysis":"km","time":"os_months","event":"os_event","delimiter":","}"#);
    assert!(one_off.is_ok());
}

#[test]
fn a_study_that_does_not_fit_the_file_lists_every_problem() {
    let study = r#"{"survkit_study": 1, "analyses": [
        {"title": "OS", "request": {"analysis": "km", "time": "os_month", "event": "os_event", "group": "arm"}},
        {"request": {"analysis": "cox", "time": "os_months", "event": "os_event", "covariates": ["sex"], "reference": ["sex=Unknown"]}},
        {"request": {"analysis": "finegray", "time": "lfs_months", "status": "relapse_status", "cause": "3", "covariates": ["age"]}},
        {"request": {"analysis": "followup", "time": "group", "event": "os_event"}}
    ]}"#;
    let folder = std::env::temp_dir().join(format!("survkit-study-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("temp");
    let path = folder.join("bad.json");
    std::fs::write(&path, study).expect("write");
    let data = repository_root().join("examples/cart_haplo_simulated.csv");
    let (ok, _, stderr) =
        run_cli(&["run", "--study", &path.display().to_string(), "--data", &data.display().to_string()], None);
    assert!(!ok);
    for expected in [
        "5 problems",
        "analysis 1 \"OS\" (km): time: there is no column \"os_month\"",
        "analysis 1 \"OS\" (km): group: there is no column \"arm\"",
        "analysis 2 (cox): reference: \"Unknown\" is not a value of column \"sex\"",
        "analysis 3 (finegray): cause: \"3\" is not a value of column \"relapse_status\"",
        "analysis 4 (followup): time: column \"group\" holds text, not times",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
    let unknown =
        r#"{"survkit_study": 1, "analyses": [{"request": {"analysis": "km", "time": "t", "event": "e", "conf": 1}}]}"#;
    let message = Study::from_json(unknown).unwrap_err().to_string();
    assert!(message.contains("unknown field `analyses[0].request.conf` of the km analysis"), "{message}");
    let message = Study::from_json(r#"{"analyses": []}"#).unwrap_err().to_string();
    assert!(message.contains("not a survkit study file"), "{message}");
}
