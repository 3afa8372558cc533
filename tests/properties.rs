//! Properties of the engine on random small data sets, and of the parser on random text.
//!
//! The data sets are what a clinical file looks like at its smallest: 1 to 60 patients, times
//! that are whole numbers (with many ties, 0 among them, and the odd half), 0/1 events, 1 to 4
//! groups, and a few missing cells. Each property is checked through the library (the
//! estimators on slices) and through `analyze_text` (CSV text in, the JSON schema out), the path
//! both front ends take. Case counts are kept small so the file runs in seconds in debug.

#![cfg(not(target_arch = "wasm32"))] // proptest and the CLI are native only

mod common;

use common::{analyze, config, endpoint};
use proptest::prelude::*;
use serde_json::Value;
use survkit::analysis::{
    ConfLevel, CurveOptions, Endpoint, FileRequest, FollowUpRequest, KmRequest, LogRankRequest, ReadSettings, Request,
};
use survkit::data::{DecimalMark, ReadOptions, Table};
use survkit::estimate::followup::{follow_up, FollowUpOptions};
use survkit::estimate::km::{kaplan_meier, ConfType, KaplanMeierOptions};
use survkit::estimate::logrank::{log_rank, LogRankOptions};
use survkit::estimate::p_adjust::Adjust;
use survkit::{analyze_text, Error};

/// The agreement asked of two sums of the same terms added in a different order.
const REORDER_RELATIVE: f64 = 1e-12;

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/// One patient as written in the file: time, status and arm cells (empty = missing).
#[derive(Debug, Clone)]
struct Row {
    time: String,
    status: String,
    arm: String,
}

/// The label sets a grouping column uses: text sorted ignoring case, and numbers sorted as numbers.
const LABEL_SETS: [[&str; 4]; 3] = [["B", "a", "C", "d"], ["2", "10", "1", "3"], ["ctrl", "Arm b", "arm a", "Ctrl"]];

fn time_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("0".to_string()),
        12 => (0u32..=12).prop_map(|t| t.to_string()),
        2 => (0u32..=12).prop_map(|t| format!("{t}.5")),
        1 => Just("NA".to_string()),
    ]
}

fn status_cell() -> impl Strategy<Value = String> {
    prop_oneof![10 => Just("1".to_string()), 8 => Just("0".to_string()), 1 => Just(String::new())]
}

/// Rows of a data set with `n_groups` groups labelled from one label set.
fn rows() -> impl Strategy<Value = Vec<Row>> {
    (1usize..=4, 0usize..LABEL_SETS.len()).prop_flat_map(|(n_groups, set)| {
        let arm = prop_oneof![
            20 => (0..n_groups).prop_map(move |g| LABEL_SETS[set][g].to_string()),
            1 => Just(String::new()),
        ];
        prop::collection::vec(
            (time_cell(), status_cell(), arm).prop_map(|(time, status, arm)| Row { time, status, arm }),
            1..=60,
        )
    })
}

/// A data set and the same rows in another order.
fn rows_and_shuffled() -> impl Strategy<Value = (Vec<Row>, Vec<Row>)> {
    rows().prop_flat_map(|rows| (Just(rows.clone()), Just(rows).prop_shuffle()))
}

/// How a file can be laid out without changing what it says.
#[derive(Debug, Clone, Copy)]
struct Layout {
    delimiter: char,
    crlf: bool,
    bom: bool,
}

fn layout() -> impl Strategy<Value = Layout> {
    (prop::sample::select(vec![',', ';', '\t']), any::<bool>(), any::<bool>())
        .prop_map(|(delimiter, crlf, bom)| Layout { delimiter, crlf, bom })
}

const PLAIN: Layout = Layout { delimiter: ',', crlf: false, bom: false };

fn csv(rows: &[Row], layout: Layout) -> String {
    let end = if layout.crlf { "\r\n" } else { "\n" };
    let d = layout.delimiter;
    let mut text = String::new();
    if layout.bom {
        text.push('\u{feff}');
    }
    text += &format!("time{d}status{d}arm{end}");
    for row in rows {
        text += &format!("{}{d}{}{d}{}{end}", row.time, row.status, row.arm);
    }
    text
}

fn conf_type() -> impl Strategy<Value = ConfType> {
    prop::sample::select(vec![ConfType::Log, ConfType::LogLog, ConfType::Plain])
}

fn conf_level() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.95), Just(0.9), Just(0.99), 0.01f64..0.999]
}

/// The arm column, when the analysis is by arm.
fn arm(grouped: bool) -> Option<String> {
    grouped.then(|| "arm".to_string())
}

/// Kaplan-Meier of time and status (by arm when `grouped`), every option at its default.
fn km_request(grouped: bool) -> KmRequest {
    KmRequest {
        endpoint: endpoint("time", "status"),
        group: arm(grouped),
        start: None,
        curve: CurveOptions::default(),
        landmark: Default::default(),
    }
}

/// Follow-up of time and status (by arm when `grouped`), every option at its default.
fn followup_request(grouped: bool) -> FollowUpRequest {
    FollowUpRequest { endpoint: endpoint("time", "status"), group: arm(grouped), conf_level: ConfLevel::default() }
}

/// The log-rank test of time and status between the arms, every option at its default.
fn logrank_request() -> LogRankRequest {
    LogRankRequest {
        endpoint: endpoint("time", "status"),
        group: Some("arm".into()),
        rho: 0.0,
        strata: None,
        pairwise: false,
        adjust: Adjust::default(),
        landmark: Default::default(),
    }
}

/// Times, events and group codes as the estimators take them (no missing values).
fn complete(rows: &[Row]) -> (Vec<f64>, Vec<bool>) {
    rows.iter()
        .filter_map(|row| {
            let time: f64 = row.time.parse().ok()?;
            let event = match row.status.as_str() {
                "1" => true,
                "0" => false,
                _ => return None,
            };
            Some((time, event))
        })
        .unzip()
}

// ---------------------------------------------------------------------------------------------
// Checks on the JSON
// ---------------------------------------------------------------------------------------------

/// Parses a report's JSON, and checks that no number in it stood for NaN or infinity: serde_json
/// writes those as `null`, so every field the schema types as a plain number must be a number.
fn parse_report(json: &str) -> Value {
    for word in ["NaN", "Infinity", "inf"] {
        assert!(!json.contains(word), "the JSON holds {word}:\n{json}");
    }
    let value: Value = serde_json::from_str(json).unwrap_or_else(|error| panic!("not JSON ({error}):\n{json}"));
    let number = |value: &Value, path: &str| {
        assert!(value.as_f64().is_some_and(f64::is_finite), "{path} must be a finite number, is {value}:\n{json}");
    };
    let number_or_null = |value: &Value, path: &str| {
        assert!(value.is_null() || value.as_f64().is_some_and(f64::is_finite), "{path} is {value}:\n{json}");
    };
    match value["analysis"].as_str() {
        Some("km") => {
            number(&value["conf_level"], "conf_level");
            for group in value["groups"].as_array().expect("groups") {
                let steps = &group["steps"];
                for key in ["time", "surv"] {
                    for item in steps[key].as_array().expect("step column") {
                        number(item, &format!("steps.{key}[]"));
                    }
                }
                for key in ["std_err", "lower", "upper"] {
                    for item in steps[key].as_array().expect("step column") {
                        number_or_null(item, &format!("steps.{key}[]"));
                    }
                }
                for key in ["estimate", "lower", "upper"] {
                    number_or_null(&group["median"][key], &format!("median.{key}"));
                }
                for at in group["at"].as_array().expect("at") {
                    number(&at["time"], "at[].time");
                    for key in ["surv", "std_err", "lower", "upper"] {
                        number_or_null(&at[key], &format!("at[].{key}"));
                    }
                }
            }
        }
        Some("logrank") => {
            number(&value["chisq"], "chisq");
            number(&value["rho"], "rho");
            number_or_null(&value["p"], "p");
            for group in value["groups"].as_array().expect("groups") {
                number(&group["observed"], "groups[].observed");
                number(&group["expected"], "groups[].expected");
            }
            for pair in value["pairwise"].as_array().expect("pairwise") {
                for key in ["chisq", "p", "p_adjusted"] {
                    number_or_null(&pair[key], &format!("pairwise[].{key}"));
                }
            }
        }
        Some("followup") => {
            number(&value["min"], "min");
            number(&value["max"], "max");
            for group in value["groups"].as_array().expect("groups") {
                number(&group["min"], "groups[].min");
                number(&group["max"], "groups[].max");
            }
        }
        other => panic!("unknown analysis {other:?}:\n{json}"),
    }
    value
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= REORDER_RELATIVE * a.abs().max(b.abs()) + common::ABSOLUTE_FLOOR
}

/// The result of an analysis as text: its JSON, or its error message.
fn outcome(text: &str, request: &Request) -> Result<String, String> {
    analyze(text, request).map(|report| report.to_json()).map_err(|error| error.to_string())
}

// ---------------------------------------------------------------------------------------------
// Row order and layout do not matter
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(96))]

    /// Shuffling the rows (and writing the file with another delimiter, line ending or a BOM)
    /// gives the same Kaplan-Meier and follow-up JSON, byte for byte.
    #[test]
    fn row_order_does_not_change_km_or_followup(
        (rows, shuffled) in rows_and_shuffled(),
        other_layout in layout(),
        grouped in any::<bool>(),
        conf_type in conf_type(),
        at in prop::collection::vec(0u32..=14, 0..3),
    ) {
        let (original, reordered) = (csv(&rows, PLAIN), csv(&shuffled, other_layout));
        let at = at.into_iter().map(f64::from).collect();
        let km = Request::Km(KmRequest { curve: CurveOptions { conf_type, at, ..CurveOptions::default() }, ..km_request(grouped) });
        prop_assert_eq!(outcome(&original, &km), outcome(&reordered, &km));
        let followup = Request::Followup(followup_request(grouped));
        prop_assert_eq!(outcome(&original, &followup), outcome(&reordered, &followup));
    }

    /// Shuffling the rows gives the same log-rank test, up to the order of summation.
    #[test]
    fn row_order_does_not_change_logrank((rows, shuffled) in rows_and_shuffled(), other_layout in layout()) {
        let logrank = Request::Logrank(logrank_request());
        let first = analyze(&csv(&rows, PLAIN), &logrank).map(|report| parse_report(&report.to_json()));
        let second = analyze(&csv(&shuffled, other_layout), &logrank).map(|report| parse_report(&report.to_json()));
        match (first, second) {
            (Ok(a), Ok(b)) => {
                let chisq = (a["chisq"].as_f64().unwrap(), b["chisq"].as_f64().unwrap());
                prop_assert!(close(chisq.0, chisq.1), "chisq {} vs {}", chisq.0, chisq.1);
                prop_assert_eq!(&a["df"], &b["df"]);
                prop_assert_eq!(&a["n_dropped"], &b["n_dropped"]);
                match (a["p"].as_f64(), b["p"].as_f64()) {
                    (Some(p), Some(q)) => prop_assert!(close(p, q), "p {} vs {}", p, q),
                    (p, q) => prop_assert_eq!(p, q),
                }
                let (groups_a, groups_b) = (a["groups"].as_array().unwrap(), b["groups"].as_array().unwrap());
                prop_assert_eq!(groups_a.len(), groups_b.len());
                for (x, y) in groups_a.iter().zip(groups_b) {
                    prop_assert_eq!(&x["group"], &y["group"]);
                    prop_assert_eq!(&x["n"], &y["n"]);
                    for key in ["observed", "expected"] {
                        let (u, v) = (x[key].as_f64().unwrap(), y[key].as_f64().unwrap());
                        prop_assert!(close(u, v), "{} {} vs {}", key, u, v);
                    }
                }
            }
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "one order succeeds and the other fails: {:?} / {:?}", a.map(|_| ()), b.map(|_| ())),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Kaplan-Meier
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(128))]

    /// S(t) is a probability that never rises; each interval contains S; standard errors are not
    /// negative; the median's interval contains the median.
    #[test]
    fn km_steps_are_probabilities_that_never_rise(rows in rows(), conf_type in conf_type(), conf_level in conf_level()) {
        let (time, event) = complete(&rows);
        let curve = kaplan_meier(&time, &event, &KaplanMeierOptions { conf_type, conf_level });
        prop_assert_eq!(curve.n, time.len());
        prop_assert_eq!(curve.n_event.iter().sum::<usize>() + curve.n_censor.iter().sum::<usize>(), time.len());
        let mut previous = 1.0;
        for index in 0..curve.time.len() {
            let surv = curve.surv[index];
            prop_assert!((0.0..=1.0).contains(&surv), "S = {} at step {}", surv, index);
            prop_assert!(surv <= previous, "S rises from {} to {} at step {}", previous, surv, index);
            previous = surv;
            if index > 0 {
                prop_assert!(curve.time[index] > curve.time[index - 1], "times are not increasing");
            }
            prop_assert!(curve.std_err_log[index] >= 0.0, "std_err_log {}", curve.std_err_log[index]);
            if let Some(se) = curve.std_err(index) {
                prop_assert!(se >= 0.0 && se.is_finite(), "std_err {}", se);
            }
            let (lower, upper) = (curve.lower[index], curve.upper[index]);
            for limit in [lower, upper].into_iter().flatten() {
                prop_assert!((0.0..=1.0).contains(&limit), "limit {} outside [0, 1]", limit);
            }
            if let Some(lower) = lower {
                prop_assert!(lower <= surv, "lower {} > S {} at step {}", lower, surv, index);
            }
            if let Some(upper) = upper {
                prop_assert!(surv <= upper, "S {} > upper {} at step {}", surv, upper, index);
            }
        }
        let median = curve.median();
        if let (Some(estimate), Some(lower)) = (median.estimate, median.lower) {
            prop_assert!(lower <= estimate, "median {} below its lower limit {}", estimate, lower);
        }
        if let (Some(estimate), Some(upper)) = (median.estimate, median.upper) {
            prop_assert!(estimate <= upper, "median {} above its upper limit {}", estimate, upper);
        }
        for landmark_time in [0.0, 0.5, 3.0, 6.0, 12.0, 100.0] {
            let landmark = curve.at(landmark_time);
            if let Some(surv) = landmark.surv {
                prop_assert!((0.0..=1.0).contains(&surv));
                if let Some(lower) = landmark.lower { prop_assert!(lower <= surv); }
                if let Some(upper) = landmark.upper { prop_assert!(surv <= upper); }
                if let Some(se) = landmark.std_err { prop_assert!(se >= 0.0); }
            }
        }
    }

    /// The same through the JSON of `analyze_text`, which must hold no NaN or infinity.
    #[test]
    fn km_json_is_finite_and_bounded(
        rows in rows(),
        grouped in any::<bool>(),
        conf_type in conf_type(),
        conf_level in conf_level(),
        at in prop::collection::vec(0u32..=30, 0..4),
    ) {
        let km = Request::Km(KmRequest {
            curve: CurveOptions {
                conf_type,
                conf_level: ConfLevel(conf_level),
                at: at.into_iter().map(|t| f64::from(t) / 2.0).collect(),
            },
            ..km_request(grouped)
        });
        let report = match analyze(&csv(&rows, PLAIN), &km) {
            Ok(report) => report,
            Err(Error::NoCompleteRows { .. }) => return Ok(()),
            Err(other) => return Err(TestCaseError::fail(format!("unexpected error: {other}"))),
        };
        let json = parse_report(&report.to_json());
        for group in json["groups"].as_array().unwrap() {
            let steps = &group["steps"];
            let surv: Vec<f64> = steps["surv"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
            for (index, s) in surv.iter().enumerate() {
                prop_assert!((0.0..=1.0).contains(s), "S = {}", s);
                if index > 0 { prop_assert!(*s <= surv[index - 1], "S rises: {:?}", surv); }
                if let Some(lower) = steps["lower"][index].as_f64() { prop_assert!(lower <= *s, "lower {} > S {}", lower, s); }
                if let Some(upper) = steps["upper"][index].as_f64() { prop_assert!(*s <= upper, "S {} > upper {}", s, upper); }
                if let Some(se) = steps["std_err"][index].as_f64() { prop_assert!(se >= 0.0, "std_err {}", se); }
            }
            for landmark in group["at"].as_array().unwrap() {
                if let Some(s) = landmark["surv"].as_f64() {
                    prop_assert!((0.0..=1.0).contains(&s));
                    if let Some(lower) = landmark["lower"].as_f64() { prop_assert!(lower <= s); }
                    if let Some(upper) = landmark["upper"].as_f64() { prop_assert!(s <= upper); }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Log-rank
// ---------------------------------------------------------------------------------------------

/// Times, events, group codes, the number of groups and (optionally) strata codes.
type LogRankInput = (Vec<f64>, Vec<bool>, Vec<u32>, usize, Option<Vec<u32>>);

/// Group codes (and optionally strata) for the complete rows of a data set.
fn groups_and_strata() -> impl Strategy<Value = LogRankInput> {
    (2usize..=4, prop::option::of(1u32..=3)).prop_flat_map(|(n_groups, n_strata)| {
        let row = (
            prop_oneof![3 => Just(0u32), 12 => 0u32..=12],
            prop::bool::weighted(0.55),
            0..n_groups as u32,
            0..n_strata.unwrap_or(1),
        );
        prop::collection::vec(row, 1..=60).prop_map(move |rows| {
            let time = rows.iter().map(|row| f64::from(row.0)).collect();
            let event = rows.iter().map(|row| row.1).collect();
            let group = rows.iter().map(|row| row.2).collect();
            let strata = n_strata.map(|_| rows.iter().map(|row| row.3).collect());
            (time, event, group, n_groups, strata)
        })
    })
}

proptest! {
    #![proptest_config(config(128))]

    /// chisq >= 0, p in [0, 1], and with rho = 0 the observed events add up to the expected ones.
    #[test]
    fn logrank_statistic_is_a_chi_square((time, event, group, n_groups, strata) in groups_and_strata()) {
        let test = match log_rank(&time, &event, &group, n_groups, strata.as_deref(), &LogRankOptions::default()) {
            Ok(test) => test,
            // Two groups that only ever lose everyone at risk at once: no variance. Allowed.
            Err(Error::NotEstimable { .. }) => return Ok(()),
            Err(other) => return Err(TestCaseError::fail(format!("unexpected error: {other}"))),
        };
        prop_assert!(test.chisq >= 0.0, "chisq = {}", test.chisq);
        prop_assert!(test.chisq.is_finite());
        if let Some(p) = test.p {
            prop_assert!((0.0..=1.0).contains(&p), "p = {}", p);
        } else {
            prop_assert_eq!(test.df, 0);
        }
        prop_assert!(test.df < n_groups);
        let observed: f64 = test.observed.iter().sum();
        let expected: f64 = test.expected.iter().sum();
        let events = event.iter().filter(|e| **e).count() as f64;
        prop_assert!((observed - events).abs() < 1e-9, "observed {} but {} events", observed, events);
        prop_assert!((observed - expected).abs() <= 1e-9 * observed.max(1.0), "sum O = {}, sum E = {}", observed, expected);
        prop_assert_eq!(test.n.iter().sum::<usize>(), time.len());
        for value in test.expected.iter().chain(&test.observed) {
            prop_assert!(*value >= 0.0 && value.is_finite());
        }
    }

    /// The Fleming-Harrington weights keep the same bounds; the JSON of the whole analysis is finite.
    #[test]
    fn logrank_json_is_finite(
        rows in rows(),
        rho in prop::sample::select(vec![0.0, 0.5, 1.0, 2.0, -0.5]),
        pairwise in any::<bool>(),
        adjust in prop::sample::select(vec!["none", "holm", "bonferroni", "bh"]),
    ) {
        let logrank = Request::Logrank(LogRankRequest {
            rho,
            pairwise,
            adjust: serde_json::from_value(Value::String(adjust.into())).unwrap(),
            ..logrank_request()
        });
        let report = match analyze(&csv(&rows, PLAIN), &logrank) {
            Ok(report) => report,
            Err(Error::NoCompleteRows { .. } | Error::TooFewGroups { .. } | Error::NotEstimable { .. }) => return Ok(()),
            Err(other) => return Err(TestCaseError::fail(format!("unexpected error: {other}"))),
        };
        let json = parse_report(&report.to_json());
        let chisq = json["chisq"].as_f64().unwrap();
        prop_assert!(chisq >= 0.0, "chisq = {}", chisq);
        if let Some(p) = json["p"].as_f64() { prop_assert!((0.0..=1.0).contains(&p), "p = {}", p); }
        if rho == 0.0 {
            let sum = |key: &str| json["groups"].as_array().unwrap().iter().map(|g| g[key].as_f64().unwrap()).sum::<f64>();
            prop_assert!((sum("observed") - sum("expected")).abs() <= 1e-9 * sum("observed").max(1.0));
        }
        for pair in json["pairwise"].as_array().unwrap() {
            if let Some(chisq) = pair["chisq"].as_f64() { prop_assert!(chisq >= 0.0, "pair chisq {}", chisq); }
            for key in ["p", "p_adjusted"] {
                if let Some(p) = pair[key].as_f64() { prop_assert!((0.0..=1.0).contains(&p), "{} = {}", key, p); }
            }
            if let (Some(p), Some(adjusted)) = (pair["p"].as_f64(), pair["p_adjusted"].as_f64()) {
                prop_assert!(adjusted >= p - 1e-15, "adjusted {} below raw {}", adjusted, p);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Follow-up
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn followup_median_lies_in_the_range(rows in rows()) {
        let (time, event) = complete(&rows);
        prop_assume!(!time.is_empty());
        let result = follow_up(&time, &event, &FollowUpOptions::default());
        prop_assert_eq!(result.n, time.len());
        prop_assert!(result.min <= result.max);
        prop_assert_eq!(result.min, time.iter().copied().fold(f64::INFINITY, f64::min));
        prop_assert_eq!(result.max, time.iter().copied().fold(f64::NEG_INFINITY, f64::max));
        if let Some(median) = result.median.estimate {
            prop_assert!(result.min <= median && median <= result.max, "{} <= {} <= {}", result.min, median, result.max);
        }
    }

    #[test]
    fn followup_json_is_finite_and_ordered(rows in rows(), grouped in any::<bool>()) {
        let report = match analyze(&csv(&rows, PLAIN), &Request::Followup(followup_request(grouped))) {
            Ok(report) => report,
            Err(Error::NoCompleteRows { .. }) => return Ok(()),
            Err(other) => return Err(TestCaseError::fail(format!("unexpected error: {other}"))),
        };
        let json = parse_report(&report.to_json());
        let mut parts = vec![json.clone()];
        parts.extend(json["groups"].as_array().unwrap().iter().cloned());
        for part in parts {
            let (min, max) = (part["min"].as_f64().unwrap(), part["max"].as_f64().unwrap());
            prop_assert!(min <= max);
            if let Some(median) = part["median"]["estimate"].as_f64() {
                prop_assert!(min <= median && median <= max, "{} <= {} <= {}", min, median, max);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing never panics
// ---------------------------------------------------------------------------------------------

fn read_options() -> impl Strategy<Value = ReadOptions> {
    (
        prop::option::of(prop::sample::select(vec![b',', b';', b'\t', b'|'])),
        any::<bool>(),
        prop::collection::vec(prop::sample::select(vec!["-99", "", "x", "1", " unknown "]), 0..3),
    )
        .prop_map(|(delimiter, comma, extra)| ReadOptions {
            delimiter,
            decimal: if comma { DecimalMark::Comma } else { DecimalMark::Point },
            extra_missing: extra.into_iter().map(str::to_string).collect(),
            only_columns: None,
        })
}

/// Text made of what CSV files are made of: delimiters, quotes, line breaks, digits, signs,
/// decimal marks and a few letters and words.
fn csv_ish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            ",",
            ";",
            "\t",
            "\n",
            "\r",
            "\r\n",
            "\"",
            "\"\"",
            ".",
            "-",
            "+",
            "e",
            "E",
            " ",
            "0",
            "1",
            "2",
            "9",
            "a",
            "b",
            "c",
            "t",
            "NA",
            "NaN",
            "dead",
            "alive",
            "yes",
            "\u{feff}",
            "é",
            "\u{0}",
            // whole rows, so that some texts get as far as an analysis
            "1,0,x\n",
            "2,1,y\n",
            "0,1,x\n",
            "3;1;y\r\n",
            "0\t0\tz\n",
            "4,dead,x\n",
        ])
        .prop_map(str::to_string),
        "[0-9]{1,3}",
        "[a-c,;\t\n\r\".0-9-]{1,6}",
    ];
    prop::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat())
}

/// The header every analysis below asks for, then anything.
fn headed_csv_ish() -> impl Strategy<Value = String> {
    (prop::sample::select(vec!["a,b,c\n", "a;b;c\r\n", "a\tb\tc\n", "\u{feff}a,b,c\n", "a,b\n"]), csv_ish())
        .prop_map(|(header, body)| format!("{header}{body}"))
}

/// Kaplan-Meier (at 0 and 1.5), the log-rank test (with its pairwise tests) and follow-up of
/// columns a and b, each by c, by nothing and by a, with the event read automatically, as "1"
/// and as "dead"; then the first log-rank test stratified by a. All read the file as `read` says.
fn fuzz_requests(read: &ReadOptions) -> Vec<FileRequest> {
    let settings = ReadSettings {
        delimiter: read.delimiter.map(|byte| (byte as char).to_string()),
        decimal: Some(if read.decimal == DecimalMark::Comma { "," } else { "." }.into()),
        na: read.extra_missing.clone(),
    };
    let cases = [(Some("c"), None), (None, Some("1")), (Some("a"), Some("dead"))];
    let columns =
        |event_value: Option<&str>| Endpoint { event_value: event_value.map(str::to_string), ..endpoint("a", "b") };
    let km = |(group, event_value): (Option<&str>, Option<&str>)| {
        Request::Km(KmRequest {
            endpoint: columns(event_value),
            group: group.map(str::to_string),
            start: None,
            curve: CurveOptions { at: vec![0.0, 1.5], ..CurveOptions::default() },
            landmark: Default::default(),
        })
    };
    // Without a group (or a landmark's exposure) the log-rank test refuses.
    let logrank = |(group, event_value): (Option<&str>, Option<&str>)| LogRankRequest {
        endpoint: columns(event_value),
        group: group.map(str::to_string),
        rho: 0.0,
        strata: None,
        pairwise: true,
        adjust: Adjust::default(),
        landmark: Default::default(),
    };
    let followup = |(group, event_value): (Option<&str>, Option<&str>)| {
        Request::Followup(FollowUpRequest {
            endpoint: columns(event_value),
            group: group.map(str::to_string),
            conf_level: ConfLevel::default(),
        })
    };
    let stratified = Request::Logrank(LogRankRequest { strata: Some("a".into()), ..logrank(cases[0]) });
    cases
        .map(km)
        .into_iter()
        .chain(cases.map(|case| Request::Logrank(logrank(case))))
        .chain(cases.map(followup))
        .chain([stratified])
        .map(|request| FileRequest { read: settings.clone(), request })
        .collect()
}

fn must_not_panic(text: &str, read: &ReadOptions) {
    if let Ok(table) = Table::parse(text, read) {
        assert_eq!(table.spreadsheet_rows.len(), table.n_rows());
        for column in &table.columns {
            assert_eq!(column.len(), table.n_rows(), "column {} has the wrong length", column.name);
        }
        // Spreadsheet rows follow the header and each other. Lone CRs (old Mac line endings) are
        // left out here: they are miscounted, see `cr_line_endings_give_spreadsheet_rows`.
        if !text.replace("\r\n", "").contains('\r') {
            let rows = &table.spreadsheet_rows;
            assert!(rows.windows(2).all(|pair| pair[0] < pair[1]), "rows out of order: {rows:?} in {text:?}");
            assert!(rows.iter().all(|row| *row >= 2), "a data row on the header's row: {rows:?} in {text:?}");
        }
    }
    for request in fuzz_requests(read) {
        if let Ok(report) = analyze_text(text, &request) {
            parse_report(&report.to_json());
            let _ = report.to_text();
        }
    }
}

proptest! {
    #![proptest_config(config(160))]

    #[test]
    fn parsing_any_string_never_panics(text in any::<String>(), read in read_options()) {
        must_not_panic(&text, &read);
    }

    #[test]
    fn parsing_csv_like_text_never_panics(text in csv_ish(), read in read_options()) {
        must_not_panic(&text, &read);
    }

    #[test]
    fn analysing_csv_like_text_never_panics(text in headed_csv_ish(), read in read_options()) {
        must_not_panic(&text, &read);
    }
}

// ---------------------------------------------------------------------------------------------
// Cases the properties found (or would find with other labels), kept as plain tests
// ---------------------------------------------------------------------------------------------

fn km_json(text: &str, grouped: bool) -> Result<String, String> {
    outcome(text, &Request::Km(km_request(grouped)))
}

/// A grouping column with one text cell is categorical. Its numeric-looking cells must make the
/// same groups whatever the row order; today "1.0" and "1" are one group when a number comes
/// first and two groups when the text cell comes first.
#[test]
fn grouping_levels_do_not_depend_on_row_order() {
    let number_first = "time,status,arm\n1,1,1.0\n2,1,x\n3,0,1\n4,1,x\n";
    let text_first = "time,status,arm\n2,1,x\n1,1,1.0\n3,0,1\n4,1,x\n";
    assert_eq!(km_json(number_first, true), km_json(text_first, true));
}

/// The same for the event column: "1.0" is an event when it comes before "dead", and an
/// unrecognised value when it comes after.
#[test]
fn event_reading_does_not_depend_on_row_order() {
    let number_first = "time,status\n1,1.0\n2,dead\n3,alive\n";
    let text_first = "time,status\n2,dead\n1,1.0\n3,alive\n";
    assert_eq!(km_json(number_first, false), km_json(text_first, false));
}

/// A large negative rho overflows the weights S(t-)^rho: the report must then be an error (or
/// finite numbers), never observed/expected as NaN or infinity, which the JSON writes as null.
#[test]
fn extreme_rho_never_yields_non_finite_numbers() {
    let text = "time,status,arm\n1,1,A\n2,1,B\n3,1,A\n4,1,B\n5,1,A\n6,0,B\n7,1,A\n8,1,B\n";
    let logrank = Request::Logrank(LogRankRequest { rho: -1000.0, ..logrank_request() });
    match analyze(text, &logrank) {
        Ok(report) => {
            parse_report(&report.to_json());
        }
        Err(error) => assert!(error.to_string().contains("rho"), "{error}"),
    }
}

/// Old Mac Excel ("CSV (Macintosh)") ends lines with a lone CR. The CSV reader splits records on
/// it, but the row counter only counts LF, so every row is reported as row 1.
#[test]
fn cr_line_endings_give_spreadsheet_rows() {
    let table = Table::parse("time,status\r1,1\r2,0\rabc,1\r", &ReadOptions::default()).unwrap();
    assert_eq!(table.spreadsheet_rows, vec![2, 3, 4]);
    let error = analyze("time,status\r1,1\r2,0\rabc,1\r", &Request::Km(km_request(false))).unwrap_err();
    assert_eq!(error.row(), Some(4), "{error}");
}

/// Ties at 0 and only events: a deterministic check of the properties at their edges.
#[test]
fn all_events_at_time_zero() {
    let text = "time,status,arm\n0,1,A\n0,1,A\n0,1,B\n0,0,B\n";
    let json = parse_report(&km_json(text, true).unwrap());
    let surv = &json["groups"][0]["steps"]["surv"];
    assert_eq!(surv, &serde_json::json!([0.0]));
    let followup = parse_report(&outcome(text, &Request::Followup(followup_request(false))).unwrap());
    assert_eq!((followup["min"].as_f64(), followup["max"].as_f64()), (Some(0.0), Some(0.0)));
}
