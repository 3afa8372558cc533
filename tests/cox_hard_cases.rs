//! Cox models that cannot be fitted as asked, through the CLI as a user meets them.
//!
//! A model that can be fitted in part (an infinite coefficient, a constant or collinear covariate)
//! is reported, with a warning next to the term concerned and `null` for what R prints as NA. A
//! model that cannot be fitted at all (no events, more terms than events, a bad option) ends the
//! run with a non-zero exit status and a message on stderr that says what to change. Never a
//! panic, never NaN in the JSON.

#![cfg(all(feature = "cli", not(target_arch = "wasm32")))] // runs the native CLI

mod common;

use common::{fails_cleanly, finite_json, run_cli, says, succeeds, ITERATIVE_RELATIVE};
use serde_json::Value;

/// `survkit cox --time t --event e`, reading the CSV from stdin.
const COX: [&str; 5] = ["cox", "--time", "t", "--event", "e"];

/// Twelve patients: `age`; `k`, the same in every row; `arm`, text with levels A, B, C (every B
/// censored, so g=B runs off to minus infinity); `age2` = 2 age; `grade` 1-3 and `b` = (arm is B).
const PATIENTS: &str = "\
t,e,age,k,arm,age2,grade,b
5,1,61,3,A,122,1,0
8,0,45,3,B,90,2,1
3,1,70,3,A,140,3,0
12,1,52,3,C,104,1,0
7,0,66,3,B,132,2,1
2,1,58,3,C,116,3,0
9,1,49,3,A,98,2,0
4,0,73,3,B,146,1,1
11,1,55,3,C,110,2,0
6,1,62,3,A,124,3,0
10,0,47,3,B,94,1,1
1,1,68,3,C,136,2,0
";

/// Every x = 1 patient has the event (or is censored) before any x = 0 patient has one, so the
/// likelihood keeps rising in x: its coefficient is infinite. `z` is an ordinary covariate.
const SEPARATED: &str = "\
t,e,x,z
1,1,1,0.3
2,1,1,0.1
3,1,1,0.5
3.5,0,1,0.6
4,1,0,0.2
5,0,0,0.9
6,0,0,0.4
7,1,0,0.7
8,0,0,0.8
9,1,0,0.6
10,0,0,0.05
11,1,0,0.33
12,0,0,0.41
";

fn with_stdin<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut full: Vec<&str> = COX.to_vec();
    full.extend_from_slice(extra);
    full.extend(["--data", "-"]);
    full
}

/// Runs `survkit cox` on `csv` and expects it to fail cleanly; returns stderr.
fn fails(extra: &[&str], csv: &str) -> String {
    fails_cleanly(&with_stdin(extra), csv)
}

/// Runs `survkit cox ... --format json` on `csv` and expects a report without NaN.
fn json(extra: &[&str], csv: &str) -> Value {
    let mut extra = extra.to_vec();
    extra.extend(["--format", "json"]);
    let full = with_stdin(&extra);
    let stdout = succeeds(&full, csv);
    finite_json(&stdout).unwrap_or_else(|problem| panic!("{problem}:\n{stdout}"))
}

/// Runs `survkit cox` with text output and expects it to succeed.
fn text(extra: &[&str], csv: &str) -> String {
    succeeds(&with_stdin(extra), csv)
}

fn term<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["terms"]
        .as_array()
        .expect("terms")
        .iter()
        .find(|term| term["term"] == name)
        .unwrap_or_else(|| panic!("no term {name} in {report}"))
}

/// The warnings about `name`.
fn warnings_about<'a>(report: &'a Value, name: &str) -> Vec<&'a str> {
    report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|warning| warning["term"] == name)
        .map(|warning| warning["message"].as_str().expect("a warning's message"))
        .collect()
}

#[track_caller]
fn estimated(term: &Value) {
    for key in ["coef", "se", "hr", "lower", "upper", "z", "p"] {
        assert!(term[key].as_f64().is_some_and(f64::is_finite), "{key} of {term} should be a number");
    }
    assert!(term["se"].as_f64().unwrap() > 0.0, "{term}");
}

#[track_caller]
fn not_estimated(term: &Value) {
    for key in ["coef", "se", "hr", "lower", "upper", "z", "p"] {
        assert!(term[key].is_null(), "{key} of {term} should be null (R's NA)");
    }
}

#[track_caller]
fn close_to_r(actual: &Value, r: f64) {
    let actual = actual.as_f64().expect("a number");
    assert!((actual - r).abs() <= ITERATIVE_RELATIVE * r.abs(), "survkit {actual}, R {r}");
}

// ---------------------------------------------------------------------------------------------
// Fitted in part: a warning next to the term
// ---------------------------------------------------------------------------------------------

/// R: `coxph(Surv(t, e) ~ x + z)` warns "Loglik converged before variable 1; coefficient may be
/// infinite" after 19 iterations; z is estimated as -1.05813149523561 (se 1.92842200172728).
#[test]
fn separation_warns_that_the_coefficient_may_be_infinite() {
    let report = json(&["--covariates", "x,z"], SEPARATED);
    let about_x = warnings_about(&report, "x");
    assert_eq!(about_x.len(), 1, "{report}");
    says(about_x[0], &["may be infinite", "x"]);
    assert!(warnings_about(&report, "z").is_empty(), "{report}");
    assert_eq!(report["converged"], true);
    assert_eq!(report["iterations"], 19);
    let z = term(&report, "z");
    estimated(z);
    close_to_r(&z["coef"], -1.05813149523561);
    close_to_r(&z["se"], 1.92842200172728);
    // x's estimate is where the iteration stopped: reported, but flagged.
    assert!(term(&report, "x")["coef"].as_f64().is_some_and(|coef| coef > 10.0), "{report}");

    // The same through the text output, and with Breslow's ties and the zph test.
    let printed = text(&["--covariates", "x,z"], SEPARATED);
    says(&printed, &["Warning: ", "may be infinite"]);
    let report = json(&["--covariates", "x,z", "--ties", "breslow", "--zph"], SEPARATED);
    says(warnings_about(&report, "x")[0], &["may be infinite"]);
}

/// A level with no events (every arm B patient is censored) is the same monotone likelihood.
#[test]
fn a_level_without_events_warns_on_that_level() {
    let report = json(&["--covariates", "age,arm"], PATIENTS);
    says(warnings_about(&report, "arm=B")[0], &["may be infinite"]);
    estimated(term(&report, "age"));
    estimated(term(&report, "arm=C"));
    assert!(warnings_about(&report, "arm=C").is_empty() && warnings_about(&report, "age").is_empty());
}

#[test]
fn a_constant_covariate_is_left_out_with_a_warning() {
    let report = json(&["--covariates", "age,k"], PATIENTS);
    not_estimated(term(&report, "k"));
    says(warnings_about(&report, "k")[0], &["k", "same value in every row"]);
    estimated(term(&report, "age"));
    assert_eq!(report["tests"]["likelihood_ratio"]["df"], 1);
    assert_eq!(report["tests"]["wald"]["df"], 1);
    assert_eq!(report["tests"]["score"]["df"], 1);

    // First in the list, or made constant by a cut-point, it is the same.
    let report = json(&["--covariates", "k,age"], PATIENTS);
    not_estimated(term(&report, "k"));
    estimated(term(&report, "age"));
    let report = json(&["--covariates", "age>=0,age"], PATIENTS);
    not_estimated(term(&report, "age>=0"));
    says(warnings_about(&report, "age>=0")[0], &["same value in every row"]);
}

#[test]
fn a_collinear_covariate_is_left_out_with_a_warning() {
    // age2 = 2 age: the later one goes.
    let report = json(&["--covariates", "age,age2"], PATIENTS);
    estimated(term(&report, "age"));
    not_estimated(term(&report, "age2"));
    says(warnings_about(&report, "age2")[0], &["age2", "collinear"]);
    assert!(warnings_about(&report, "age").is_empty());
    assert_eq!(report["tests"]["likelihood_ratio"]["df"], 1);

    // b is the indicator of arm=B, which comes first.
    let report = json(&["--covariates", "grade,arm,b"], PATIENTS);
    not_estimated(term(&report, "b"));
    says(warnings_about(&report, "b")[0], &["collinear"]);
    estimated(term(&report, "grade"));
    assert!(term(&report, "arm=C")["coef"].is_number());

    // The same column twice.
    let report = json(&["--covariates", "age,age"], PATIENTS);
    let terms = report["terms"].as_array().unwrap();
    assert!(terms[0]["coef"].is_number() && terms[1]["coef"].is_null(), "{report}");
    says(warnings_about(&report, "age")[0], &["collinear"]);
}

/// A covariate that is constant within each stratum carries no information (R: NA). Nothing
/// comes before it, so it is not "a linear combination of the terms before it".
#[test]
fn a_covariate_constant_within_strata_is_explained_as_such() {
    let csv = "t,e,z,x,s\n5,1,1,61,a\n8,0,1,45,a\n3,1,1,70,a\n12,1,1,52,a\n7,0,1,66,a\n\
               2,1,2,58,b\n9,1,2,49,b\n4,0,2,73,b\n11,1,2,55,b\n6,1,2,62,b\n";
    let report = json(&["--covariates", "z,x", "--strata", "s"], csv);
    not_estimated(term(&report, "z"));
    estimated(term(&report, "x"));
    let message = warnings_about(&report, "z")[0];
    says(message, &["within every stratum"]);
}

// ---------------------------------------------------------------------------------------------
// Not fitted: an error that says what to change
// ---------------------------------------------------------------------------------------------

#[test]
fn no_events_is_an_error() {
    let message = fails(&["--covariates", "x"], "t,e,x\n1,0,1\n2,0,2\n3,0,3\n4,0,1\n");
    says(&message, &["no events"]);
    // Events only in rows dropped for a missing covariate: none among the rows analysed.
    let message = fails(&["--covariates", "x"], "t,e,x\n1,1,\n2,0,2\n3,1,NA\n4,0,1\n");
    says(&message, &["no events", "rows analysed"]);
    // The same in JSON mode: nothing on stdout.
    fails(&["--covariates", "x", "--format", "json"], "t,e,x\n1,0,1\n2,0,2\n");
}

#[test]
fn fewer_events_than_terms_is_an_error_with_the_numbers() {
    let csv = "t,e,x,arm\n1,1,1,A\n2,0,2,B\n3,1,3,C\n4,0,4,D\n5,0,3,A\n";
    let message = fails(&["--covariates", "x,arm"], csv);
    says(&message, &["4 terms", "only 2 events", "fewer covariates"]);
}

#[test]
fn a_reference_that_is_not_a_level_lists_the_levels() {
    let message = fails(&["--covariates", "age,arm", "--reference", "arm=Z"], PATIENTS);
    says(&message, &["\"Z\" is not a level of \"arm\"", "\"A\", \"B\", \"C\""]);
    // A numeric column made categorical: levels in numeric order.
    let message = fails(&["--covariates", "grade", "--categorical", "grade", "--reference", "grade=4"], PATIENTS);
    says(&message, &["\"4\" is not a level of \"grade\"", "\"1\", \"2\", \"3\""]);
    // Written without "=".
    let message = fails(&["--covariates", "arm", "--reference", "arm"], PATIENTS);
    says(&message, &["column=level"]);
}

#[test]
fn a_reference_on_a_column_that_is_not_a_covariate_is_an_error() {
    let message = fails(&["--covariates", "age", "--reference", "arm=B"], PATIENTS);
    says(&message, &["reference", "\"arm\" is not one of the covariates"]);
    let message = fails(&["--covariates", "age", "--categorical", "grade"], PATIENTS);
    says(&message, &["categorical", "\"grade\" is not one of the covariates"]);
}

#[test]
fn a_cut_point_needs_a_number() {
    let message = fails(&["--covariates", "age>=forty"], PATIENTS);
    says(&message, &["age>=forty", "\"forty\" is not a number"]);
    let message = fails(&["--covariates", "age<"], PATIENTS);
    says(&message, &["is not a number"]);
}

#[test]
fn a_cut_point_on_a_text_column_names_the_column() {
    let message = fails(&["--covariates", "age,arm>=1"], PATIENTS);
    says(&message, &["column \"arm\"", "must hold numbers"]);
}

#[test]
fn an_unknown_covariate_is_an_error() {
    let message = fails(&["--covariates", "age,weight"], PATIENTS);
    says(&message, &["weight"]);
}

// ---------------------------------------------------------------------------------------------
// The univariate screen
// ---------------------------------------------------------------------------------------------

/// Each covariate in a model of its own: one that cannot be fitted has its error, the others
/// are fitted. A constant covariate is fitted as R fits it: no coefficient, a warning.
#[test]
fn a_univariate_screen_fits_the_others_when_one_fails() {
    let report = json(&["--covariates", "age,arm>=1,k,grade", "--univariate"], PATIENTS);
    assert_eq!(report["univariate"], true);
    let models = report["models"].as_array().expect("models");
    assert_eq!(models.len(), 4, "{report}");

    estimated(term(&models[0], "age"));
    assert_eq!(models[0]["covariates"], serde_json::json!(["age"]));

    assert_eq!(models[1]["covariate"], "arm>=1");
    says(models[1]["error"]["message"].as_str().expect("an error message"), &["column \"arm\"", "must hold numbers"]);
    assert!(models[1].get("terms").is_none());

    not_estimated(term(&models[2], "k"));
    says(warnings_about(&models[2], "k")[0], &["same value in every row"]);

    estimated(term(&models[3], "grade"));

    // In text, the failed covariate's line carries its message.
    let printed = text(&["--covariates", "age,arm>=1,grade", "--univariate"], PATIENTS);
    says(&printed, &["arm>=1: column \"arm\"", "Likelihood ratio test"]);
}

/// A model of the screen with too few events for its terms fails alone.
#[test]
fn a_univariate_screen_reports_too_few_events_per_model() {
    let csv = "t,e,x,site\n1,1,1,a\n2,0,2,b\n3,1,3,c\n4,0,4,d\n5,0,3,e\n6,1,2,a\n";
    let report = json(&["--covariates", "x,site", "--univariate"], csv);
    let models = report["models"].as_array().unwrap();
    estimated(term(&models[0], "x"));
    assert_eq!(models[1]["covariate"], "site");
    says(models[1]["error"]["message"].as_str().unwrap(), &["4 terms", "only 3 events"]);
}

// ---------------------------------------------------------------------------------------------
// Text output
// ---------------------------------------------------------------------------------------------

#[test]
fn text_output_prints_the_terms_and_the_three_tests() {
    let printed = text(&["--covariates", "age,grade>=2,arm", "--reference", "arm=C"], PATIENTS);
    says(
        &printed,
        &[
            "Cox proportional hazards (efron ties)",
            "n= 12, number of events= 8",
            "coef exp(coef) se(coef)",
            "Pr(>|z|)",
            "lower .95 upper .95",
            "Concordance= ",
            "Likelihood ratio test= ",
            "Wald test            = ",
            "Score (logrank) test = ",
            " on 4 df",
        ],
    );
    for name in ["age ", "grade>=2 ", "arm=A ", "arm=B "] {
        assert!(printed.lines().any(|line| line.starts_with(name)), "no row for {name:?}:\n{printed}");
    }
    assert!(!printed.contains("arm=C "), "the reference level has no row:\n{printed}");
    assert!(!printed.contains("GLOBAL"), "no zph without --zph:\n{printed}");
}

#[test]
fn zph_adds_a_row_per_covariate_and_the_global_row() {
    let printed = text(&["--covariates", "age,arm", "--zph", "--ties", "breslow"], PATIENTS);
    says(&printed, &["Cox proportional hazards (breslow ties)", "cox.zph", "chisq", "df"]);
    let row = |name: &str| printed.lines().find(|line| line.starts_with(name)).map(str::split_whitespace);
    let global: Vec<&str> = row("GLOBAL ").expect("a GLOBAL row").collect();
    assert_eq!(global[2], "3", "GLOBAL on 3 df:\n{printed}");
    // A categorical covariate is one row of the test, on as many df as it has terms.
    let arm: Vec<&str> = printed
        .lines()
        .skip_while(|line| !line.contains("cox.zph"))
        .find(|line| line.starts_with("arm "))
        .expect("an arm row in the zph table")
        .split_whitespace()
        .collect();
    assert_eq!(arm[2], "2", "{printed}");

    let report = json(&["--covariates", "age,arm", "--zph"], PATIENTS);
    let zph = &report["zph"];
    assert_eq!(zph["terms"].as_array().unwrap().len(), 2);
    assert_eq!(zph["global"]["df"], 3);
    assert!(zph["global"]["chisq"].as_f64().is_some_and(|chisq| chisq >= 0.0));
}

// ---------------------------------------------------------------------------------------------
// Never a panic, never NaN
// ---------------------------------------------------------------------------------------------

/// Data sets at the edges, each with every combination of options: a clean error or a report
/// without NaN, and never a panic.
#[test]
fn no_panic_and_no_nan_at_the_edges() {
    let cases: [(&str, &str, &str); 9] = [
        (SEPARATED, "x,z", ""),
        (PATIENTS, "age,k,arm,age2,b,grade>=2", ""),
        // Every time tied.
        ("t,e,x\n1,1,1\n1,1,2\n1,1,3\n1,1,4\n1,0,5\n", "x", ""),
        // Every stratum a single row: no risk set holds two patients.
        ("t,e,x,s\n1,1,1,a\n2,1,2,b\n3,1,3,c\n4,1,4,d\n5,0,5,e\n", "x", "s"),
        // A covariate whose every value is the same, and only it.
        ("t,e,x\n1,1,1\n2,1,1\n3,1,1\n4,1,1\n5,0,1\n", "x", ""),
        // Values so large that their sum overflows, and so small that their scale does.
        ("t,e,x\n1,1,1e308\n2,1,-1e308\n3,0,1.5e308\n4,1,0.5e308\n5,1,-1.7e308\n6,0,1.7e308\n", "x", ""),
        ("t,e,x\n1,1,1e-300\n2,1,3e-300\n3,0,2e-300\n4,1,5e-300\n5,1,4e-300\n6,0,0\n", "x", ""),
        // One row; time 0; a single event.
        ("t,e,x\n0,1,5\n", "x", ""),
        ("t,e,x,g\n0,1,5,a\n0,0,6,b\n3,0,1,a\n4,0,2,b\n", "x,g", ""),
    ];
    for (csv, covariates, strata) in cases {
        for extra in [&[][..], &["--zph"], &["--ties", "breslow"], &["--univariate"], &["--univariate", "--zph"]] {
            let mut args: Vec<&str> = COX.to_vec();
            args.extend(["--covariates", covariates, "--format", "json", "--data", "-"]);
            if !strata.is_empty() {
                args.extend(["--strata", strata]);
            }
            args.extend_from_slice(extra);
            let (ok, stdout, stderr) = run_cli(&args, Some(csv));
            assert!(!stderr.contains("panicked"), "survkit {} panicked on {csv:?}:\n{stderr}", args.join(" "));
            if ok {
                finite_json(&stdout).unwrap_or_else(|problem| panic!("{problem}:\n{stdout}"));
            } else {
                assert!(stderr.starts_with("error: ") && stdout.is_empty(), "{}:\n{stderr}", args.join(" "));
            }
        }
    }
}
