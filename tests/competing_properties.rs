//! Properties of cumulative incidence, Gray's test and the Fine-Gray model on random small data
//! sets, through `analyze_text` (CSV text in, the JSON schema out), the path both front ends take;
//! then the hard cases through the CLI as a user meets them.
//!
//! A data set is what a small competing-risks file looks like: 20 to 150 patients, follow-up times
//! in hundredths (half of them whole numbers, so times tie), a status of 0 (censored), 1 or 2 and in
//! some files 3, an age-like numeric covariate `x`, one to three groups and a stratum column. The
//! first rows are made to share one time with events of different causes, so every file has tied
//! events of competing causes, and to carry every group and enough events of cause 1.
//!
//! The invariances are those of the estimators: Aalen-Johansen splits the all-cause Kaplan-Meier
//! drop among the causes (so the causes and the survival add up to one, and with one cause it is
//! 1 - KM); nothing depends on the order of the rows; Gray's statistic is a quadratic form that
//! does not depend on which group is last; the Fine-Gray pseudo-likelihood depends on a covariate
//! only up to an additive constant and a scale; without competing events and censoring it is
//! Cox's partial likelihood with Breslow's ties.
//!
//! Fits that did not converge or carry a warning (an infinite or dropped coefficient) are not
//! compared: their estimates are wherever the iteration stopped. They are still checked for NaN
//! and for the bounds of every number.

#![cfg(all(feature = "cli", not(target_arch = "wasm32")))] // proptest and the CLI are native only

mod common;

use common::{
    agree, analyze, analyze_checked, analyze_ok, array, check_terms, check_warnings, checked_json, competing_endpoint,
    config, count, decimal, endpoint, fail, fails_cleanly, number, number_or_null, probability, run_cli, says,
    succeeds, term, terms, well_behaved, TermInterval, ITERATIVE_RELATIVE,
};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::Value;
use survkit::analysis::{
    CifRequest, ConfLevel, Covariates, CoxRequest, CurveOptions, FineGrayRequest, KmRequest, Request,
};
use survkit::estimate::cox::{cox_ph, CoxOptions, Ties};
use survkit::estimate::finegray::{fine_gray, FineGrayFit, FineGrayOptions, FineGrayStatus};

/// The causes' incidences and the all-cause survival: sums of the same few terms.
const SUM_TO_ONE_ABSOLUTE: f64 = 1e-12;
/// Shuffled rows: only the order of summation differs.
const REORDER_RELATIVE: f64 = 1e-8;
/// Shifted or scaled covariate, groups relabelled: the same model, reparametrised.
const REPARAMETRISED_RELATIVE: f64 = 1e-7;

/// How far an incidence may come out above 1, or its variance below 0, by rounding. cmprsk's own
/// sums give 1 + 2 ulp and -1.1e-16 when the last events empty the risk set (see
/// `an_incidence_is_a_probability_and_its_variance_is_not_negative`): the properties allow a few
/// ulp, and that test holds the line.
const ROUNDING: f64 = 8.0 * f64::EPSILON;
/// `crr`'s `gtol`, which survkit's Fine-Gray uses to stop (see `FineGrayOptions`).
const FINE_GRAY_GTOL: f64 = 1e-6;

/// Rows forced to be events of cause 1, so every Fine-Gray model has more events than terms.
const MIN_CAUSE_EVENTS: usize = 6;
const GROUPS: [&str; 3] = ["alpha", "beta", "gamma"];
/// The same groups under other names, whose alphabetical order is another: beta, gamma, alpha.
const RELABELLED: [&str; 3] = ["zeta", "eta", "theta"];

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/// One patient. Times and `x` are integers in hundredths, so that the file holds exact decimals,
/// and a shifted or scaled copy the exact shifted or scaled decimals.
#[derive(Debug, Clone)]
struct Patient {
    time: i64,
    status: u32,
    x: i64,
    group: usize,
    stratum: bool,
}

/// A data set and how it is analysed.
#[derive(Debug, Clone)]
struct Data {
    patients: Vec<Patient>,
    /// 1 to 3; with one, no group column is used.
    n_groups: usize,
    stratified: bool,
}

fn patient(three_causes: bool) -> impl Strategy<Value = Patient> {
    let status = if three_causes {
        prop::sample::select(vec![0u32, 0, 0, 1, 1, 1, 2, 2, 3, 3]).boxed()
    } else {
        prop::sample::select(vec![0u32, 0, 0, 1, 1, 1, 1, 2, 2, 2]).boxed()
    };
    (prop_oneof![(1i64..=30).prop_map(|t| t * 100), 1i64..=3000], status, 2000i64..=9000, 0usize..3, any::<bool>())
        .prop_map(|(time, status, x, group, stratum)| Patient { time, status, x, group, stratum })
}

/// Every group and both strata appear; the first `MIN_CAUSE_EVENTS` rows are events of cause 1;
/// rows 0, 1 and 6, 7 are events of causes 1 and 2 at one time (several causes tied).
fn complete(mut patients: Vec<Patient>, n_groups: usize) -> Vec<Patient> {
    for (index, patient) in patients.iter_mut().enumerate() {
        patient.group %= n_groups;
        if index < MIN_CAUSE_EVENTS {
            patient.status = 1;
        }
        if index < n_groups {
            patient.group = index;
        }
        if index < 2 {
            patient.stratum = index == 1;
        }
        if index == 6 || index == 7 {
            patient.status = 2;
        }
        if [0, 1, 6, 7].contains(&index) {
            patient.time = 1500;
        }
    }
    patients
}

fn data() -> impl Strategy<Value = Data> {
    (any::<bool>(), 1usize..=3, prop::bool::weighted(0.3))
        .prop_flat_map(|(three_causes, n_groups, stratified)| {
            (prop::collection::vec(patient(three_causes), 20..=150), Just(n_groups), Just(stratified))
        })
        .prop_map(|(patients, n_groups, stratified)| Data {
            patients: complete(patients, n_groups),
            n_groups,
            stratified,
        })
}

/// The same data set and a shuffled copy of its rows.
fn data_and_shuffled() -> impl Strategy<Value = (Data, Data)> {
    data().prop_flat_map(|data| {
        let shuffled = Just(data.patients.clone()).prop_shuffle();
        (Just(data.clone()), shuffled.prop_map(move |patients| Data { patients, ..data.clone() }))
    })
}

/// The file: `status` the cause, `any` whether any event happened (for Kaplan-Meier), `x` written
/// by `x_cell`, the group named from `names`.
fn csv_with(patients: &[Patient], names: &[&str; 3], x_cell: impl Fn(&Patient) -> String) -> String {
    let mut text = String::from("time,status,any,x,group,stratum\n");
    for patient in patients {
        text += &format!(
            "{},{},{},{},{},{}\n",
            decimal(patient.time, 2),
            patient.status,
            u8::from(patient.status != 0),
            x_cell(patient),
            names[patient.group],
            if patient.stratum { "north" } else { "south" },
        );
    }
    text
}

fn csv(patients: &[Patient]) -> String {
    csv_with(patients, &GROUPS, |patient| decimal(patient.x, 2))
}

impl Data {
    fn grouped(&self) -> bool {
        self.n_groups > 1
    }

    /// The group column, when there are several groups.
    fn group(&self) -> Option<String> {
        self.grouped().then(|| "group".to_string())
    }

    fn cif_request(&self) -> CifRequest {
        CifRequest {
            endpoint: competing_endpoint("time", "status"),
            group: self.group(),
            at: vec![0.0, 5.0, 15.0, 40.0],
            rho: 0.0,
            strata: self.stratified.then(|| "stratum".to_string()),
            conf_level: ConfLevel::default(),
            landmark: Default::default(),
        }
    }

    /// The all-cause Kaplan-Meier, by the same groups.
    fn km_request(&self) -> KmRequest {
        KmRequest {
            endpoint: endpoint("time", "any"),
            group: self.group(),
            start: None,
            curve: CurveOptions::default(),
            landmark: Default::default(),
        }
    }

    /// Cause 1 on x, and on the groups when there are several.
    fn fine_gray_request(&self) -> FineGrayRequest {
        let mut covariates = vec!["x".to_string()];
        covariates.extend(self.group());
        FineGrayRequest {
            endpoint: competing_endpoint("time", "status"),
            cause: "1".into(),
            covariates: Covariates { covariates, categorical: Vec::new(), reference: Vec::new() },
            conf_level: ConfLevel::default(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Running an analysis and checking its JSON
// ---------------------------------------------------------------------------------------------

/// The report's JSON, checked for NaN and bounds by `check_report` (a panic with the JSON when it
/// breaks one); or the error message.
fn run(text: &str, request: &Request) -> Result<Value, String> {
    analyze_checked(text, request, check_report)
}

/// Runs an analysis that must succeed.
fn run_ok(text: &str, request: &Request) -> Result<Value, TestCaseError> {
    analyze_ok(text, request, check_report)
}

/// Every number of a cif, Fine-Gray or Kaplan-Meier report is within bounds: each field the
/// schema types as a plain number a finite number (serde_json writes NaN and infinity as `null`).
fn check_report(value: &Value) -> Result<(), String> {
    match value["analysis"].as_str() {
        Some("cif") => check_cif(value),
        Some("finegray") => check_fine_gray(value),
        Some("km") => Ok(()),
        other => Err(format!("an unexpected report: {other:?}")),
    }
}

/// An incidence with its variance and limits: F in [0, 1], variance >= 0, lower <= F <= upper
/// when the limits exist (both or neither).
fn check_point(
    cif: Option<f64>,
    variance: Option<f64>,
    lower: Option<f64>,
    upper: Option<f64>,
    path: &str,
) -> Result<(), String> {
    if let Some(cif) = cif {
        if !(0.0..=1.0 + ROUNDING).contains(&cif) {
            return Err(format!("{path}: cif {cif} is not in [0, 1]"));
        }
    }
    if let Some(variance) = variance {
        if variance < -ROUNDING {
            return Err(format!("{path}: variance {variance:e} is negative"));
        }
    }
    match (lower, cif, upper) {
        (None, _, None) => Ok(()),
        (Some(lower), Some(cif), Some(upper)) if 0.0 <= lower && lower <= cif && cif <= upper && upper <= 1.0 => Ok(()),
        other => Err(format!("{path}: (lower, cif, upper) = {other:?}")),
    }
}

fn check_cif(report: &Value) -> Result<(), String> {
    number(&report["conf_level"], "conf_level")?;
    number(&report["rho"], "rho")?;
    let n = count(&report["n"], "n")?;
    count(&report["n_dropped"], "n_dropped")?;
    let causes = array(&report["causes"], "causes")?;
    if causes.is_empty() {
        return Err("no causes".into());
    }
    for cause in causes {
        let name = cause["cause"].as_str().ok_or("a cause without a name")?;
        let groups = array(&cause["groups"], "groups")?;
        if groups.iter().map(|group| group["n"].as_u64().unwrap_or(0)).sum::<u64>() != n {
            return Err(format!("cause {name}: the groups' n do not add up to {n}"));
        }
        for group in groups {
            let path = format!("cause {name}, group {}", group["group"]);
            let steps = &group["steps"];
            let time = array(&steps["time"], &format!("{path}.time"))?;
            let columns = ["cif", "variance", "lower", "upper"].map(|key| array(&steps[key], &format!("{path}.{key}")));
            let [cif, variance, lower, upper] = columns;
            let (cif, variance, lower, upper) = (cif?, variance?, lower?, upper?);
            if [cif.len(), variance.len(), lower.len(), upper.len()].iter().any(|len| *len != time.len()) {
                return Err(format!("{path}: steps of different lengths"));
            }
            let mut previous = (f64::NEG_INFINITY, 0.0);
            for index in 0..time.len() {
                let at = format!("{path}, step {index}");
                let t = number(&time[index], &format!("{at}.time"))?;
                let f = number(&cif[index], &format!("{at}.cif"))?;
                let v = number(&variance[index], &format!("{at}.variance"))?;
                if t <= previous.0 {
                    return Err(format!("{at}: time {t} does not increase"));
                }
                if f < previous.1 {
                    return Err(format!("{at}: cif {f:e} is below the step before, {:e}", previous.1));
                }
                previous = (t, f);
                let lower = number_or_null(&lower[index], &format!("{at}.lower"))?;
                let upper = number_or_null(&upper[index], &format!("{at}.upper"))?;
                check_point(Some(f), Some(v), lower, upper, &at)?;
            }
            for point in array(&group["at"], &format!("{path}.at"))? {
                let at = format!("{path}, at {}", point["time"]);
                number(&point["time"], &at)?;
                let [cif, variance, lower, upper] =
                    ["cif", "variance", "lower", "upper"].map(|key| number_or_null(&point[key], &at));
                check_point(cif?, variance?, lower?, upper?, &at)?;
            }
            let risk_set = &group["risk_set"];
            for key in ["time", "n_risk", "n_censor"] {
                array(&risk_set[key], &format!("{path}.risk_set.{key}"))?;
            }
        }
        let n_groups = groups.len();
        match &cause["gray"] {
            Value::Null if n_groups <= 1 || groups[0]["group"].is_null() => {}
            Value::Null => return Err(format!("cause {name}: no Gray's test for {n_groups} groups")),
            gray => {
                if n_groups < 2 {
                    return Err(format!("cause {name}: Gray's test for one group"));
                }
                if count(&gray["df"], "gray.df")? != n_groups as u64 - 1 {
                    return Err(format!("cause {name}: Gray's test on {} df for {n_groups} groups", gray["df"]));
                }
                if let Some(stat) = number_or_null(&gray["stat"], "gray.stat")? {
                    if stat < 0.0 {
                        return Err(format!("cause {name}: Gray's statistic {stat:e} is negative"));
                    }
                }
                probability(&gray["p"], "gray.p")?;
                if gray["stat"].is_null() != gray["p"].is_null() {
                    return Err(format!("cause {name}: Gray's statistic and p: {gray}"));
                }
            }
        }
    }
    Ok(())
}

fn check_fine_gray(report: &Value) -> Result<(), String> {
    let n = count(&report["n"], "n")?;
    let events = count(&report["events"], "events")?;
    let competing = count(&report["competing"], "competing")?;
    let censored = count(&report["censored"], "censored")?;
    if events + competing + censored != n || events == 0 {
        return Err(format!("{events} events, {competing} competing and {censored} censored in {n} rows"));
    }
    count(&report["iterations"], "iterations")?;
    if !report["converged"].is_boolean() {
        return Err("converged is not true or false".into());
    }
    // The interval, where all three numbers exist, holds the hazard ratio.
    for TermInterval { name, lower, hr, upper } in check_terms(&report["terms"])? {
        if let (Some(lower), Some(hr), Some(upper)) = (lower, hr, upper) {
            if !(lower <= hr && hr <= upper) {
                return Err(format!("terms[{name}].hr: lower {lower}, hr {hr}, upper {upper}"));
            }
        }
    }
    let null = number(&report["loglik_null"], "loglik_null")?;
    let fitted = number(&report["loglik"], "loglik")?;
    if fitted < null - 1e-9 * null.abs() {
        return Err(format!("loglik at the estimate {fitted} is below loglik at 0 {null}"));
    }
    check_warnings(&report["warnings"])
}

// ---------------------------------------------------------------------------------------------
// Comparing two reports
// ---------------------------------------------------------------------------------------------

/// Two Fine-Gray fits of the same model: coef (within `relative` of its se), se, loglik.
fn same_fine_gray(a: &Value, b: &Value, relative: f64) -> Result<(), TestCaseError> {
    for key in ["n", "events", "competing", "censored"] {
        prop_assert_eq!(&a[key], &b[key], "{} differs", key);
    }
    agree(&a["loglik"], &b["loglik"], "loglik", relative, 0.0)?;
    agree(&a["loglik_null"], &b["loglik_null"], "loglik_null", relative, 0.0)?;
    prop_assert_eq!(terms(a).len(), terms(b).len());
    for (x, y) in terms(a).iter().zip(terms(b)) {
        prop_assert_eq!(&x["term"], &y["term"]);
        let name = x["term"].as_str().unwrap_or("?");
        let se = x["se"].as_f64().unwrap_or(0.0);
        agree(&x["coef"], &y["coef"], &format!("{name}.coef"), relative, se)?;
        agree(&x["se"], &y["se"], &format!("{name}.se"), relative, 0.0)?;
        agree(&x["p"], &y["p"], &format!("{name}.p"), relative, 1.0)?;
    }
    Ok(())
}

/// The report without Gray's tests, and the tests, cause by cause.
fn split_gray(report: &Value) -> (Value, Vec<Value>) {
    let mut report = report.clone();
    let mut tests = Vec::new();
    for cause in report["causes"].as_array_mut().expect("causes") {
        tests.push(cause["gray"].take());
    }
    (report, tests)
}

fn same_gray(a: &Value, b: &Value, path: &str, relative: f64) -> Result<(), TestCaseError> {
    prop_assert_eq!(&a["df"], &b["df"], "{} df", path);
    // A statistic near 0 is a difference of sums: its rounding is absolute.
    agree(&a["stat"], &b["stat"], &format!("{path}.stat"), relative, 1e-3)?;
    agree(&a["p"], &b["p"], &format!("{path}.p"), relative, 1.0)
}

/// The steps of `report`'s group labelled `group` (`null` without groups) for the cause `index`.
fn cif_group<'a>(report: &'a Value, cause: usize, group: &Value) -> &'a Value {
    report["causes"][cause]["groups"].as_array().unwrap().iter().find(|g| &g["group"] == group).expect("the group")
}

fn numbers(value: &Value) -> Vec<f64> {
    value.as_array().expect("an array").iter().map(|x| x.as_f64().expect("a number")).collect()
}

/// The Kaplan-Meier survival of `km`'s group `group` at `time`, one of its step times.
fn survival_at(km: &Value, group: &Value, time: f64) -> Option<f64> {
    let curve = km["groups"].as_array()?.iter().find(|g| &g["group"] == group)?;
    let times = numbers(&curve["steps"]["time"]);
    let index = times.iter().position(|t| *t == time)?;
    curve["steps"]["surv"][index].as_f64()
}

// ---------------------------------------------------------------------------------------------
// Cumulative incidence and Gray's test
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(32))]

    /// At every event time of every group, sum over causes of F_k(t) + S(t) = 1, S the all-cause
    /// Kaplan-Meier of `survkit km` on "any event".
    #[test]
    fn causes_and_overall_survival_sum_to_one(data in data()) {
        let text = csv(&data.patients);
        let cif = run_ok(&text, &Request::Cif(data.cif_request()))?;
        let km = run_ok(&text, &Request::Km(data.km_request()))?;
        let causes = cif["causes"].as_array().unwrap();
        for group in causes[0]["groups"].as_array().unwrap() {
            let label = &group["group"];
            let times = numbers(&group["steps"]["time"]);
            for cause in 1..causes.len() {
                prop_assert_eq!(numbers(&cif_group(&cif, cause, label)["steps"]["time"]), times.clone());
            }
            for (index, time) in times.iter().enumerate() {
                let survival = survival_at(&km, label, *time)
                    .ok_or_else(|| fail(format!("no Kaplan-Meier step at {time} in group {label}")))?;
                let incidence: f64 =
                    (0..causes.len()).map(|cause| numbers(&cif_group(&cif, cause, label)["steps"]["cif"])[index]).sum();
                prop_assert!(
                    (incidence + survival - 1.0).abs() <= SUM_TO_ONE_ABSOLUTE,
                    "group {}, time {}: causes {:e} + survival {:e} = 1 + {:e}",
                    label, time, incidence, survival, incidence + survival - 1.0
                );
            }
        }
    }

    /// With every event of one cause, Aalen-Johansen is 1 - Kaplan-Meier at every step.
    #[test]
    fn a_single_cause_is_one_minus_kaplan_meier(data in data()) {
        let patients: Vec<Patient> =
            data.patients.iter().map(|p| Patient { status: u32::from(p.status != 0), ..p.clone() }).collect();
        let text = csv(&patients);
        let cif = run_ok(&text, &Request::Cif(data.cif_request()))?;
        let km = run_ok(&text, &Request::Km(data.km_request()))?;
        let causes = cif["causes"].as_array().unwrap();
        prop_assert_eq!(causes.len(), 1);
        prop_assert_eq!(&causes[0]["cause"], "1");
        for group in causes[0]["groups"].as_array().unwrap() {
            let label = &group["group"];
            let cifs = numbers(&group["steps"]["cif"]);
            for (time, cif) in numbers(&group["steps"]["time"]).iter().zip(cifs) {
                let survival = survival_at(&km, label, *time)
                    .ok_or_else(|| fail(format!("no Kaplan-Meier step at {time} in group {label}")))?;
                prop_assert!(
                    (cif - (1.0 - survival)).abs() <= SUM_TO_ONE_ABSOLUTE,
                    "group {}, time {}: cif {:e}, 1 - KM {:e}", label, time, cif, 1.0 - survival
                );
            }
        }
    }

    /// Shuffled rows give the same cif JSON, bit for bit, and the same Gray's tests and Fine-Gray
    /// fit up to the order of summation.
    #[test]
    fn row_order_does_not_matter((data, shuffled) in data_and_shuffled()) {
        let (first, second) = (csv(&data.patients), csv(&shuffled.patients));
        let cif = Request::Cif(data.cif_request());
        let (a, b) = (run_ok(&first, &cif)?, run_ok(&second, &cif)?);
        let ((a_steps, a_gray), (b_steps, b_gray)) = (split_gray(&a), split_gray(&b));
        prop_assert!(a_steps == b_steps, "the incidence differs after shuffling the rows");
        for (index, (x, y)) in a_gray.iter().zip(&b_gray).enumerate() {
            same_gray(x, y, &format!("causes[{index}].gray"), REORDER_RELATIVE)?;
        }
        let request = Request::Finegray(data.fine_gray_request());
        let (a, b) = (run_ok(&first, &request)?, run_ok(&second, &request)?);
        if well_behaved(&a) && well_behaved(&b) {
            same_fine_gray(&a, &b, REORDER_RELATIVE)?;
        }
    }

    /// Gray's statistic does not depend on the names of the groups, hence on their order.
    #[test]
    fn gray_does_not_depend_on_the_order_of_the_groups(data in data()) {
        prop_assume!(data.grouped());
        let a = run_ok(&csv(&data.patients), &Request::Cif(data.cif_request()))?;
        let relabelled = csv_with(&data.patients, &RELABELLED, |patient| decimal(patient.x, 2));
        let b = run_ok(&relabelled, &Request::Cif(data.cif_request()))?;
        let order: Vec<&str> = b["causes"][0]["groups"].as_array().unwrap().iter()
            .map(|group| group["group"].as_str().unwrap()).collect();
        prop_assert_ne!(order.first(), Some(&RELABELLED[0]), "the relabelling did not reorder the groups");
        for (index, (x, y)) in split_gray(&a).1.iter().zip(&split_gray(&b).1).enumerate() {
            same_gray(x, y, &format!("causes[{index}].gray"), REPARAMETRISED_RELATIVE)?;
        }
        // And each group's incidence is the same under its new name.
        for cause in 0..a["causes"].as_array().unwrap().len() {
            for (old, new) in GROUPS.iter().zip(RELABELLED).take(data.n_groups) {
                let (x, y) = (cif_group(&a, cause, &(*old).into()), cif_group(&b, cause, &new.into()));
                prop_assert_eq!(&x["steps"], &y["steps"]);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Fine-Gray
// ---------------------------------------------------------------------------------------------
//
// The fit stops as `crr` does, once max |gradient_i| max(|b_i|, 1) < gtol max(|loglik|, 1) with
// gtol = 1e-6, and returns that iterate without a last Newton step. The estimate is then within
// about I^-1 g of the maximum: up to a few 1e-5 relative on these data sets, more than the 1e-7 and 1e-6 the
// invariances are checked at. So the invariances of the estimator are checked on the library's
// `fine_gray` run to convergence (gtol 1e-10), and the reports only where the stopping rule takes
// the same path (shift, row order) or within the slack the rule allows (Cox).

/// The library's Fine-Gray, run until the gradient is rounding noise.
fn converged_options() -> FineGrayOptions {
    FineGrayOptions { max_iterations: 100, gradient_tolerance: 1e-10, ..FineGrayOptions::default() }
}

/// Times, cause-1 statuses and the design (x as `x_of` gives it, then the groups' indicators).
fn design(data: &Data, x_of: impl Fn(&Patient) -> f64) -> (Vec<f64>, Vec<FineGrayStatus>, Vec<Vec<f64>>) {
    let time = data.patients.iter().map(|p| p.time as f64 / 100.0).collect();
    let status = data
        .patients
        .iter()
        .map(|p| match p.status {
            0 => FineGrayStatus::Censored,
            1 => FineGrayStatus::Cause,
            _ => FineGrayStatus::Competing,
        })
        .collect();
    let mut columns = vec![data.patients.iter().map(&x_of).collect::<Vec<f64>>()];
    for level in 1..data.n_groups {
        columns.push(data.patients.iter().map(|p| f64::from(u8::from(p.group == level))).collect());
    }
    (time, status, columns)
}

/// Coefficients and standard errors of a converged fit with every term estimated and none
/// running off to infinity (|z| < 20, which does not depend on the covariate's scale).
fn estimates(fit: &FineGrayFit) -> Option<(Vec<f64>, Vec<f64>)> {
    let coefficients: Option<Vec<f64>> = fit.coefficients.iter().copied().collect();
    let se: Vec<f64> = (0..fit.variance.len()).map(|i| fit.variance[i][i].sqrt()).collect();
    let finite = |b: &Vec<f64>| b.iter().zip(&se).all(|(b, se)| se.is_finite() && (b / se).abs() < 20.0);
    coefficients.filter(|b| fit.converged && finite(b)).map(|b| (b, se))
}

/// How far crr's stopping rule may leave coefficient i from the maximum: |b - b*| ~ |I^-1 g|
/// <= se_i sum_j se_j max_j |g_j| (Cauchy-Schwarz on I^-1), and the fit stops once
/// max |g_j| < gtol max(|loglik|, 1); twice that for the curvature.
fn stopping_slack(loglik: f64, se_i: f64, se_sum: f64) -> f64 {
    2.0 * FINE_GRAY_GTOL * loglik.abs().max(1.0) * se_i * se_sum
}

fn close(a: f64, b: f64, what: &str, relative: f64, scale: f64) -> Result<(), TestCaseError> {
    agree(&a.into(), &b.into(), what, relative, scale)
}

proptest! {
    #![proptest_config(config(24))]

    /// x + c changes nothing at all: the gradient and the iterates are the same, so even the
    /// report's stopping rule takes the same path.
    #[test]
    fn shifting_a_covariate_changes_nothing(
        data in data(),
        shift in prop::sample::select(vec![-1_000_000i64, -4_250, 3, 1_234_567]),
    ) {
        let request = Request::Finegray(data.fine_gray_request());
        let original = run_ok(&csv(&data.patients), &request)?;
        let shifted = run_ok(&csv_with(&data.patients, &GROUPS, |p| decimal(p.x + shift, 2)), &request)?;
        if well_behaved(&original) && well_behaved(&shifted) {
            same_fine_gray(&original, &shifted, REPARAMETRISED_RELATIVE)?;
        }
    }

    /// c x divides x's coefficient by c and its se by |c|; the other terms do not move.
    #[test]
    fn scaling_a_covariate_rescales_its_coefficient(
        data in data(),
        // c = mantissa / 10^decimals: 0.003, 0.01, -2.5, 4, -7, 1000
        (mantissa, decimals) in prop::sample::select(vec![(3i64, 3u32), (1, 2), (-25, 1), (4, 0), (-7, 0), (1000, 0)]),
    ) {
        let c = mantissa as f64 / survkit::estimate::distribution::pow(10.0, f64::from(decimals));
        let (time, status, x) = design(&data, |p| p.x as f64 / 100.0);
        let (_, _, scaled_x) = design(&data, |p| p.x as f64 / 100.0 * c);
        let original = fine_gray(&time, &status, &x, &converged_options()).map_err(|e| fail(e.to_string()))?;
        let scaled = fine_gray(&time, &status, &scaled_x, &converged_options()).map_err(|e| fail(e.to_string()))?;
        let (Some((b, se)), Some((b_scaled, se_scaled))) = (estimates(&original), estimates(&scaled)) else {
            return Ok(());
        };
        close(original.loglik, scaled.loglik, "loglik", REPARAMETRISED_RELATIVE, 0.0)?;
        for term in 0..b.len() {
            let factor = if term == 0 { c } else { 1.0 };
            close(b[term], b_scaled[term] * factor, &format!("coef[{term}]"), REPARAMETRISED_RELATIVE, se[term])?;
            close(se[term], se_scaled[term] * factor.abs(), &format!("se[{term}]"), REPARAMETRISED_RELATIVE, 0.0)?;
        }
        // The report stops earlier or later, but at a point with the same pseudo-likelihood.
        let request = Request::Finegray(data.fine_gray_request());
        let a = run_ok(&csv(&data.patients), &request)?;
        let b = run_ok(&csv_with(&data.patients, &GROUPS, |p| decimal(p.x * mantissa, 2 + decimals)), &request)?;
        if well_behaved(&a) && well_behaved(&b) {
            agree(&a["loglik"], &b["loglik"], "report loglik", REPARAMETRISED_RELATIVE, 0.0)?;
        }
    }

    /// Without competing events and censoring, the subdistribution is the distribution, the
    /// weights are 1 and the pseudo-likelihood is Cox's partial likelihood with Breslow's ties:
    /// the library's fit to 1e-6, the report's within the slack of crr's stopping rule.
    #[test]
    fn without_competing_events_or_censoring_it_is_cox_breslow(data in data()) {
        let patients: Vec<Patient> = data.patients.iter().map(|p| Patient { status: 1, ..p.clone() }).collect();
        let data = Data { patients, ..data };
        let (time, status, x) = design(&data, |p| p.x as f64 / 100.0);
        let events = vec![true; time.len()];
        let options = CoxOptions { ties: Ties::Breslow, ..CoxOptions::default() };
        let cox = cox_ph(&time, &events, &x, None, &options).map_err(|e| fail(e.to_string()))?;
        let fit = fine_gray(&time, &status, &x, &converged_options()).map_err(|e| fail(e.to_string()))?;
        prop_assume!(cox.converged && cox.infinite.iter().all(|infinite| !infinite));
        let cox_se: Vec<f64> = (0..x.len()).map(|i| cox.variance[i][i].sqrt()).collect();
        if let Some((b, _)) = estimates(&fit) {
            close(fit.loglik, cox.loglik_model, "loglik", ITERATIVE_RELATIVE, 0.0)?;
            for term in 0..b.len() {
                let cox_b = cox.coefficients[term].unwrap();
                close(b[term], cox_b, &format!("coef[{term}]"), ITERATIVE_RELATIVE, cox_se[term])?;
            }
        }

        // The report, as `survkit finegray` and `survkit cox --ties breslow` print them.
        let text = csv(&data.patients);
        let request = data.fine_gray_request();
        let fine_gray = run_ok(&text, &Request::Finegray(request.clone()))?;
        prop_assert_eq!(&fine_gray["competing"], 0);
        prop_assert_eq!(&fine_gray["censored"], 0);
        let cox_request = Request::Cox(CoxRequest {
            endpoint: endpoint("time", "status"),
            covariates: request.covariates,
            start: None,
            landmark: survkit::analysis::Landmark::default(),
            strata: None,
            ties: Ties::Breslow,
            conf_level: ConfLevel::default(),
            univariate: false,
            zph: false,
        });
        let cox_report = analyze(&text, &cox_request).map_err(|error| fail(error.to_string()))?.to_json();
        let cox_report: Value = serde_json::from_str(&cox_report).unwrap();
        if !(well_behaved(&fine_gray) && well_behaved(&cox_report)) {
            return Ok(());
        }
        agree(&fine_gray["loglik"], &cox_report["loglik"]["model"], "loglik", ITERATIVE_RELATIVE, 0.0)?;
        let loglik = fine_gray["loglik"].as_f64().unwrap();
        let se_sum: f64 = cox_se.iter().sum();
        for (term, (a, b)) in terms(&fine_gray).iter().zip(terms(&cox_report)).enumerate() {
            prop_assert_eq!(&a["term"], &b["term"]);
            let (x, y) = (a["coef"].as_f64().unwrap(), b["coef"].as_f64().unwrap());
            let slack = stopping_slack(loglik, cox_se[term], se_sum);
            prop_assert!(
                (x - y).abs() <= ITERATIVE_RELATIVE * x.abs().max(cox_se[term]) + slack,
                "{}: Fine-Gray {:e}, Cox-Breslow {:e}, allowed {:e}", a["term"], x, y, slack
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// No NaN, whatever the data
// ---------------------------------------------------------------------------------------------

/// Ways a random data set is made hard: x constant, x = 1 for every event of cause 1 (an
/// infinite coefficient), every event at one time, almost everyone censored, no cause 2.
#[derive(Debug, Clone, Copy)]
struct Trouble {
    constant_x: bool,
    separated_x: bool,
    one_event_time: bool,
    mostly_censored: bool,
    single_cause: bool,
}

fn trouble() -> impl Strategy<Value = Trouble> {
    let rare = || prop::bool::weighted(0.2);
    (rare(), rare(), prop::bool::weighted(0.1), rare(), rare()).prop_map(
        |(constant_x, separated_x, one_event_time, mostly_censored, single_cause)| Trouble {
            constant_x,
            separated_x,
            one_event_time,
            mostly_censored,
            single_cause,
        },
    )
}

fn troubled(mut patients: Vec<Patient>, trouble: Trouble) -> Vec<Patient> {
    for (index, patient) in patients.iter_mut().enumerate() {
        if trouble.mostly_censored && index >= 3 {
            patient.status = 0;
        }
        if trouble.single_cause && patient.status > 1 {
            patient.status = 1;
        }
        if trouble.constant_x {
            patient.x = 5000;
        }
        if trouble.separated_x {
            patient.x = if patient.status == 1 { 100 } else { patient.x % 2 * 100 };
        }
        if trouble.one_event_time && patient.status != 0 {
            patient.time = 700;
        }
    }
    patients
}

proptest! {
    #![proptest_config(config(48))]

    /// Every number the schema types as a number is finite, and within its bounds; a model that
    /// cannot be fitted is an error, never a panic.
    #[test]
    fn json_is_finite_and_bounded(
        data in data(),
        trouble in trouble(),
        rho in prop::sample::select(vec![0.0, 0.5, 1.0, -1.0]),
        conf_level in prop_oneof![Just(0.95), 0.5f64..0.999],
    ) {
        let text = csv(&troubled(data.patients.clone(), trouble));
        let cif = CifRequest { rho, conf_level: ConfLevel(conf_level), ..data.cif_request() };
        let fine_gray = FineGrayRequest { conf_level: ConfLevel(conf_level), ..data.fine_gray_request() };
        // `run` panics with the JSON when a number is out of bounds; errors are allowed here.
        let _ = run(&text, &Request::Cif(cif));
        let _ = run(&text, &Request::Finegray(fine_gray.clone()));
        let cause_2 = FineGrayRequest { cause: "2".into(), ..fine_gray };
        let _ = run(&text, &Request::Finegray(cause_2));
    }
}

/// Guards the generators: most random Fine-Gray fits are well behaved, and most library fits
/// converge to gtol 1e-10, so the invariances above are checked on most cases rather than skipped.
#[test]
fn most_random_fine_gray_fits_are_compared() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut reports, mut fits, total) = (0, 0, 40);
    for _ in 0..total {
        let data = data().new_tree(&mut runner).unwrap().current();
        if run(&csv(&data.patients), &Request::Finegray(data.fine_gray_request()))
            .is_ok_and(|report| well_behaved(&report))
        {
            reports += 1;
        }
        let (time, status, x) = design(&data, |p| p.x as f64 / 100.0);
        if fine_gray(&time, &status, &x, &converged_options()).is_ok_and(|fit| estimates(&fit).is_some()) {
            fits += 1;
        }
    }
    assert!(reports * 10 >= total * 8, "only {reports} of {total} random reports are well behaved");
    assert!(fits * 10 >= total * 8, "only {fits} of {total} random library fits converge to gtol 1e-10");
}

// ---------------------------------------------------------------------------------------------
// Hard cases, through the CLI
// ---------------------------------------------------------------------------------------------

/// Twelve patients: causes 1 and 2 with a tie of both at t = 4; `x` ordinary, `k` the same in
/// every row, `g` two groups.
const PATIENTS: &str = "\
t,s,x,k,g
1,1,0.5,3,a
2,2,1.2,3,b
2,1,-0.3,3,a
3,0,0.8,3,b
4,2,0.1,3,a
4,1,-1.0,3,b
5,1,0.4,3,a
6,0,0.9,3,b
7,2,-0.2,3,a
8,1,0.0,3,b
9,1,1.5,3,a
10,0,0.3,3,b
";

/// Every event of cause 1 has x = 1; x = 1 also in some other rows, so the subdistribution
/// pseudo-likelihood keeps rising in x. R: `crr(t, s, cbind(x, z))` reports `converged: FALSE`.
const SEPARATED: &str = "\
t,s,x,z
1,1,1,0.3
2,1,1,0.1
3,2,0,0.5
3.5,0,1,0.6
4,1,1,0.2
5,0,0,0.9
6,2,0,0.4
7,2,1,0.7
8,0,0,0.8
9,2,0,0.6
10,0,0,0.05
11,2,0,0.33
12,0,0,0.41
";

/// Text statuses with their own censoring value; the causes in mixed case.
const WORDS: &str = "\
t,s,x,g
1,relapse,0.5,a
2,Death,1.2,b
2,relapse,-0.3,a
3,censored,0.8,b
4,Death,0.1,a
4,relapse,-1.0,b
5,censored,0.4,a
6,relapse,0.9,b
7,Death,-0.2,a
8,censored,0.0,b
";

/// `survkit <analysis> --time t --status s <extra> --data -` on `csv`.
fn cli<'a>(analysis: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut full = vec![analysis, "--time", "t", "--status", "s"];
    full.extend_from_slice(extra);
    full.extend(["--data", "-"]);
    full
}

/// Runs the CLI and expects it to fail cleanly; returns stderr.
fn fails(analysis: &str, extra: &[&str], csv: &str) -> String {
    fails_cleanly(&cli(analysis, extra), csv)
}

/// Runs the CLI with `--format json` and expects a report that passes `check_report`.
fn json(analysis: &str, extra: &[&str], csv: &str) -> Value {
    let mut extra = extra.to_vec();
    extra.extend(["--format", "json"]);
    let full = cli(analysis, &extra);
    let stdout = succeeds(&full, csv);
    checked_json(&stdout, check_report)
        .unwrap_or_else(|problem| panic!("survkit {}: {problem}\n{stdout}", full.join(" ")))
}

/// Runs the CLI with text output and expects it to succeed.
fn text(analysis: &str, extra: &[&str], csv: &str) -> String {
    let full = cli(analysis, extra);
    succeeds(&full, csv)
}

fn warnings(report: &Value) -> Vec<(&Value, &str)> {
    report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|warning| (&warning["term"], warning["message"].as_str().expect("a warning's message")))
        .collect()
}

#[test]
fn a_cause_without_events_among_the_rows_analysed_is_an_error() {
    // The only cause-2 row is dropped for its missing x.
    let csv = "t,s,x\n1,1,0.5\n2,2,\n3,1,0.2\n4,0,0.3\n5,1,0.9\n6,0,0.1\n";
    let message = fails("finegray", &["--cause", "2", "--covariates", "x"], csv);
    says(&message, &["cause", "\"2\"", "\"1\""]);
    // The incidence, which does not use x, keeps the row and has both causes.
    let report = json("cif", &[], csv);
    assert_eq!(report["n_dropped"], 0);
    assert_eq!(report["causes"].as_array().unwrap().len(), 2);
}

/// The message for the case above says `"2" is not a cause in the status column`, but row 3 of
/// the status column holds 2: the cause has no events among the rows analysed (its only row was
/// dropped for a missing x), and the message should say that, as `fine_gray` itself does.
#[test]
fn a_cause_without_events_among_the_rows_analysed_is_not_said_to_be_absent_from_the_column() {
    let csv = "t,s,x\n1,1,0.5\n2,2,\n3,1,0.2\n4,0,0.3\n5,1,0.9\n6,0,0.1\n";
    let message = fails("finegray", &["--cause", "2", "--covariates", "x"], csv);
    assert!(!message.contains("is not a cause in the status column"), "{message}");
    says(&message, &["rows analysed"]);
}

#[test]
fn a_cause_not_in_the_column_is_an_error_listing_the_causes() {
    let message = fails("finegray", &["--cause", "9", "--covariates", "x"], PATIENTS);
    says(&message, &["cause", "\"9\" is not a cause", "\"1\", \"2\""]);
    // The censoring value is not a cause either.
    let message = fails("finegray", &["--cause", "0", "--covariates", "x"], PATIENTS);
    says(&message, &["\"0\" is not a cause", "\"1\", \"2\""]);
    // Nor is an empty one.
    fails("finegray", &["--cause", " ", "--covariates", "x"], PATIENTS);
}

#[test]
fn a_constant_covariate_is_left_out_with_a_warning() {
    let report = json("finegray", &["--cause", "1", "--covariates", "x,k"], PATIENTS);
    let k = term(&report, "k");
    for key in ["coef", "se", "hr", "lower", "upper", "z", "p"] {
        assert!(k[key].is_null(), "{key} of {k} should be null (R's NA)");
    }
    let about_k: Vec<&str> =
        warnings(&report).into_iter().filter(|(term, _)| *term == "k").map(|(_, message)| message).collect();
    assert_eq!(about_k.len(), 1, "{report}");
    says(about_k[0], &["k", "same value in every row"]);
    assert!(term(&report, "x")["coef"].is_number() && term(&report, "x")["se"].as_f64().unwrap() > 0.0);
}

#[test]
fn separation_warns_and_never_gives_nan() {
    for cause in ["1", "2"] {
        let report = json("finegray", &["--cause", cause, "--covariates", "x,z"], SEPARATED);
        if cause == "1" {
            let flagged = warnings(&report)
                .iter()
                .any(|(_, message)| message.contains("may be infinite") || message.contains("did not converge"));
            assert!(flagged, "no warning for an infinite coefficient:\n{report}");
        }
        assert!(term(&report, "z")["coef"].is_number(), "{report}");
    }
    let printed = text("finegray", &["--cause", "1", "--covariates", "x,z"], SEPARATED);
    says(&printed, &["Warning: "]);
}

#[test]
fn all_rows_censored_is_an_error() {
    let csv = "t,s,x,g\n1,0,0.5,a\n2,0,1,b\n3,0,0.2,a\n";
    for (analysis, extra) in
        [("cif", &[][..]), ("cif", &["--group", "g"]), ("finegray", &["--cause", "1", "--covariates", "x"])]
    {
        let message = fails(analysis, extra, csv);
        says(&message, &["every row of \"s\" is censored", "\"0\""]);
    }
    // Censored under another name.
    let message = fails("cif", &["--censor-value", "lost"], "t,s\n1,lost\n2,LOST\n");
    says(&message, &["censored", "\"lost\""]);
}

#[test]
fn text_statuses_with_their_censoring_value_order_the_causes_alphabetically() {
    let report = json("cif", &["--censor-value", "censored", "--group", "g"], WORDS);
    let causes: Vec<&str> = report["causes"].as_array().unwrap().iter().map(|c| c["cause"].as_str().unwrap()).collect();
    assert_eq!(causes, ["Death", "relapse"], "R's level order ignores case");
    let events: Vec<u64> =
        report["causes"][0]["groups"].as_array().unwrap().iter().map(|g| g["events"].as_u64().unwrap()).collect();
    assert_eq!(events, [2, 1], "Death in groups a and b");

    // The cause is matched ignoring case, and so is the censoring value.
    let report = json("finegray", &["--censor-value", "CENSORED", "--cause", "death", "--covariates", "x"], WORDS);
    assert_eq!(report["cause"], "Death");
    assert_eq!(
        (report["events"].as_u64(), report["competing"].as_u64(), report["censored"].as_u64()),
        (Some(3), Some(4), Some(3))
    );

    // Coded as numbers (Death = 1, relapse = 2 by that order), the analyses are the same.
    let coded = WORDS.replace("censored", "0").replace("Death", "1").replace("relapse", "2");
    let numeric = json("cif", &["--group", "g"], &coded);
    let words = json("cif", &["--censor-value", "censored", "--group", "g"], WORDS);
    for (a, b) in numeric["causes"].as_array().unwrap().iter().zip(words["causes"].as_array().unwrap()) {
        assert_eq!(a["groups"], b["groups"]);
        assert_eq!(a["gray"], b["gray"]);
    }
}

#[test]
fn text_output_prints_grays_test() {
    let printed = text("cif", &["--group", "g", "--at", "3,5"], PATIENTS);
    says(&printed, &["Cumulative incidence (Aalen-Johansen), with Gray's test", "Cause 1", "Cause 2"]);
    let tests: Vec<&str> = printed.lines().filter(|line| line.starts_with("Gray's test: stat = ")).collect();
    assert_eq!(tests.len(), 2, "one Gray's test per cause:\n{printed}");
    for line in tests {
        says(line, &[" on 1 df, p = "]);
    }
    // Its numbers are the JSON's.
    let report = json("cif", &["--group", "g"], PATIENTS);
    let stat = report["causes"][0]["gray"]["stat"].as_f64().unwrap();
    says(&printed, &[&format!("stat = {}", survkit::report::text::significant(Some(stat), 4))]);
    // Without a group there is no test.
    assert!(!text("cif", &[], PATIENTS).contains("Gray's test:"));
}

/// The same comparison as the property above, through `survkit cox --ties breslow`.
#[test]
fn fine_gray_without_competing_events_or_censoring_is_cox_breslow_on_the_command_line() {
    let all_events: String = PATIENTS
        .lines()
        .enumerate()
        .map(|(index, line)| {
            if index == 0 {
                line.to_string()
            } else {
                let mut cells: Vec<&str> = line.split(',').collect();
                cells[1] = "1";
                cells.join(",")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let fine_gray = json("finegray", &["--cause", "1", "--covariates", "x"], &all_events);
    let args = [
        "cox",
        "--time",
        "t",
        "--event",
        "s",
        "--covariates",
        "x",
        "--ties",
        "breslow",
        "--format",
        "json",
        "--data",
        "-",
    ];
    let (ok, stdout, stderr) = run_cli(&args, Some(&all_events));
    assert!(ok, "{stderr}");
    let cox: Value = serde_json::from_str(&stdout).unwrap();
    let (a, b) = (fine_gray["loglik"].as_f64().unwrap(), cox["loglik"]["model"].as_f64().unwrap());
    assert!((a - b).abs() <= ITERATIVE_RELATIVE * b.abs(), "loglik: Fine-Gray {a}, Cox-Breslow {b}");
    // crr's stopping rule leaves the coefficient 1.9e-6 (relative) short of the maximum here:
    // -0.17383587210460347 against Cox's -0.1738361987752575 (see the Fine-Gray section above).
    let (a, b) = (term(&fine_gray, "x")["coef"].as_f64().unwrap(), term(&cox, "x")["coef"].as_f64().unwrap());
    let se = term(&cox, "x")["se"].as_f64().unwrap();
    let slack = stopping_slack(fine_gray["loglik"].as_f64().unwrap(), se, se);
    assert!((a - b).abs() <= ITERATIVE_RELATIVE * b.abs() + slack, "Fine-Gray {a}, Cox-Breslow {b}, allowed {slack:e}");
}

/// Files at the edges, with every option: a clean error or a report without NaN, never a panic.
#[test]
fn no_panic_and_no_nan_at_the_edges() {
    let cases: [&str; 7] = [
        PATIENTS,
        SEPARATED,
        // One row; time 0.
        "t,s,x,k,g\n0,1,5,1,a\n",
        // Every time tied, events of every cause.
        "t,s,x,k,g\n1,1,1,1,a\n1,2,2,1,b\n1,1,3,1,a\n1,2,4,1,b\n1,0,5,1,a\n",
        // Everyone has an event by the last time: the survival reaches 0.
        "t,s,x,k,g\n1,1,1,1,a\n2,2,2,1,b\n3,1,3,1,a\n4,2,4,1,b\n5,1,5,1,a\n5,2,6,1,b\n",
        // A group whose every row is censored, another with only competing events.
        "t,s,x,k,g\n1,0,1,1,a\n2,0,2,1,a\n3,2,3,1,b\n4,2,4,1,b\n5,1,5,1,c\n6,1,6,1,c\n7,0,1,1,c\n",
        // Tiny covariates (huge ones: `a_covariate_too_large_to_square_leaves_no_half_estimated_term`).
        "t,s,x,k,g\n1,1,1e-300,1,a\n2,1,3e-300,1,b\n3,0,2e-300,1,a\n4,1,5e-300,1,b\n5,2,4e-300,1,a\n",
    ];
    let runs: [(&str, &[&str]); 6] = [
        ("cif", &[]),
        ("cif", &["--group", "g", "--at", "0,2,100"]),
        ("cif", &["--group", "g", "--strata", "k", "--rho", "1"]),
        ("finegray", &["--cause", "1", "--covariates", "x"]),
        ("finegray", &["--cause", "2", "--covariates", "x,g"]),
        ("finegray", &["--cause", "1", "--covariates", "x,k,g"]),
    ];
    for csv in cases {
        for (analysis, extra) in runs {
            let mut extra = extra.to_vec();
            extra.extend(["--format", "json"]);
            let full = cli(analysis, &extra);
            let (ok, stdout, stderr) = run_cli(&full, Some(csv));
            assert!(!stderr.contains("panicked"), "survkit {} panicked on {csv:?}:\n{stderr}", full.join(" "));
            if ok {
                checked_json(&stdout, check_report)
                    .unwrap_or_else(|problem| panic!("survkit {}: {problem}\n{stdout}", full.join(" ")));
            } else {
                assert!(stderr.starts_with("error: ") && stdout.is_empty(), "{}:\n{stderr}", full.join(" "));
            }
        }
    }
}

/// x^2 overflows, so no fit can use x: once that made x "collinear" and left g=b half-estimated
/// (coef 0, hr 1, every other number null). Now the model is refused before fitting, with the
/// column, the rows and what to do; the same for Cox.
#[test]
fn a_covariate_too_large_to_square_is_refused_with_its_rows() {
    let csv = "t,s,x,k,g\n1,1,1e308,1,a\n2,2,-1e308,1,b\n3,0,1.5e308,1,a\n4,1,0.5e308,1,b\n5,1,-1.7e308,1,a\n";
    for covariates in ["x", "x,g", "x,k,g"] {
        let fine_gray = cli("finegray", &["--cause", "1", "--covariates", covariates, "--format", "json"]);
        let cox = [
            "cox",
            "--time",
            "t",
            "--event",
            "s",
            "--event-value",
            "1",
            "--covariates",
            covariates,
            "--format",
            "json",
            "--data",
            "-",
        ];
        for full in [fine_gray, cox.to_vec()] {
            let (ok, stdout, stderr) = run_cli(&full, Some(csv));
            assert!(!ok && stdout.is_empty(), "survkit {} fitted it:\n{stdout}", full.join(" "));
            for part in
                ["error: ", "column \"x\" holds values too large", "row 2: \"1e308\"", "row 6: \"-1.7e308\"", "rescale"]
            {
                assert!(stderr.contains(part), "survkit {}: no {part:?} in\n{stderr}", full.join(" "));
            }
        }
    }
}

/// F(t) is a probability and var F(t) a variance. When the last events empty the risk set, the
/// sums that make them come out as 1.0000000000000002 and -1.1102230246251565e-16, exactly as
/// `cmprsk::cuminc(c(1, 2, 3, 4, 4), c(1, 1, 1, 1, 1))` prints them. The JSON then holds an
/// incidence above 1, and the text output prints the standard error at t = 4 as "NaN".
#[test]
fn an_incidence_is_a_probability_and_its_variance_is_not_negative() {
    let csv = "t,s\n1,1\n2,1\n3,1\n4,1\n4,1\n";
    let report = json("cif", &["--at", "4"], csv);
    let group = &report["causes"][0]["groups"][0];
    let steps = &group["steps"];
    for cif in numbers(&steps["cif"]).into_iter().chain(group["at"][0]["cif"].as_f64()) {
        assert!((0.0..=1.0).contains(&cif), "cif {cif} is not in [0, 1]:\n{report}");
    }
    for variance in numbers(&steps["variance"]).into_iter().chain(group["at"][0]["variance"].as_f64()) {
        assert!(variance >= 0.0, "variance {variance:e} is negative:\n{report}");
    }
    let printed = text("cif", &["--at", "4"], csv);
    assert!(!printed.contains("NaN"), "{printed}");
    // The same with a censored row before the end: 0.2 + 0.2 + 0.2 + 0.4.
    let report = json("cif", &[], "t,s\n1,1\n2,1\n3,1\n4,0\n5,1\n");
    let last = numbers(&report["causes"][0]["groups"][0]["steps"]["cif"]).pop().unwrap();
    assert!(last <= 1.0, "cif {last} is above 1");
}
