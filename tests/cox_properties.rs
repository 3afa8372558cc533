//! Properties of the Cox model on random small data sets, through `analyze_text` (CSV text in, the
//! JSON schema out), the path both front ends take.
//!
//! A data set is what a small clinical file looks like: 20 to 80 patients, follow-up times in
//! hundredths (half of them whole numbers, so times tie), events in about 60% of rows (at least
//! six), an age-like numeric covariate `x`, a 0/1 covariate `b`, a text covariate `g` with the
//! levels A, B, C, and a stratum column `s`. The invariances are those of the partial likelihood:
//! it depends on the rows only through their risk sets (row order), on a covariate only up to an
//! additive constant (shift) and a linear reparametrisation (scale, reference level), and Efron's
//! and Breslow's likelihoods are the same one when no two events share a time. Newton-Raphson is
//! affine-invariant, so the fits follow the same path: results agree up to rounding, checked at
//! 1e-8 (row order) and 1e-7 (the rest), far above rounding and far below any real difference.
//!
//! Fits whose likelihood is monotone (a coefficient running off to infinity) or that did not
//! converge are not compared: their estimates are wherever the iteration stopped. They are still
//! checked for NaN and for the bounds of every number.

#![cfg(not(target_arch = "wasm32"))] // proptest is native only

mod common;

use common::{
    agree, analyze_checked, analyze_ok, check_terms, check_warnings, config, count, decimal, endpoint, number,
    number_or_null, probability, term, well_behaved, TermInterval,
};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::Value;
use survkit::analysis::{ConfLevel, Covariates, CoxRequest, Landmark, Request};
use survkit::estimate::cox::Ties;
use survkit::estimate::distribution::ln;

/// Shuffled rows: only the order of summation differs.
const REORDER_RELATIVE: f64 = 1e-8;
/// Shifted or scaled covariate, another reference level: a reparametrised model.
const REPARAMETRISED_RELATIVE: f64 = 1e-7;
/// Efron and Breslow without tied events: the same arithmetic.
const SAME_ARITHMETIC_RELATIVE: f64 = 1e-12;

/// Rows forced to be events, so every model has more events than terms.
const MIN_EVENTS: usize = 6;
const LEVELS: [&str; 3] = ["A", "B", "C"];

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/// One patient. Times and `x` are kept as integers in hundredths, so that the file can be written
/// as exact decimals, and a shifted or scaled copy as the exact shifted or scaled decimals.
#[derive(Debug, Clone)]
struct Patient {
    time: i64,
    event: bool,
    x: i64,
    b: bool,
    g: usize,
    s: bool,
}

fn patient() -> impl Strategy<Value = Patient> {
    (
        prop_oneof![(1i64..=30).prop_map(|t| t * 100), 1i64..=3000],
        prop::bool::weighted(0.6),
        2000i64..=9000,
        prop::bool::weighted(0.4),
        0usize..3,
        any::<bool>(),
    )
        .prop_map(|(time, event, x, b, g, s)| Patient { time, event, x, b, g, s })
}

/// Every level of `g`, both values of `b` and both strata appear; at least `MIN_EVENTS` events.
fn complete_design(mut patients: Vec<Patient>) -> Vec<Patient> {
    for (index, patient) in patients.iter_mut().enumerate() {
        if index < MIN_EVENTS {
            patient.event = true;
        }
        if index < LEVELS.len() {
            patient.g = index;
        }
        if index < 2 {
            patient.b = index == 1;
            patient.s = index == 1;
        }
    }
    patients
}

fn patients() -> impl Strategy<Value = Vec<Patient>> {
    prop::collection::vec(patient(), 20..=80).prop_map(complete_design)
}

/// A data set whose event times are all different (censored times may still tie with them).
fn patients_without_tied_events() -> impl Strategy<Value = Vec<Patient>> {
    patients().prop_flat_map(|patients| {
        let n = patients.len() as i64;
        (Just(patients), Just((1..=n).collect::<Vec<i64>>()).prop_shuffle()).prop_map(|(mut patients, ranks)| {
            for (patient, rank) in patients.iter_mut().zip(ranks) {
                patient.time = rank * 37; // distinct hundredths
            }
            patients
        })
    })
}

/// Which covariates (in the order x, b, g) and options a model uses.
#[derive(Debug, Clone, Copy)]
struct Model {
    x: bool,
    b: bool,
    g: bool,
    strata: bool,
    ties: Ties,
    zph: bool,
}

fn ties() -> impl Strategy<Value = Ties> {
    prop::sample::select(vec![Ties::Efron, Ties::Breslow])
}

/// Any non-empty set of covariates; `with_x` forces the numeric one in.
fn model(with_x: bool) -> impl Strategy<Value = Model> {
    (any::<bool>(), any::<bool>(), any::<bool>(), prop::bool::weighted(0.3), ties(), prop::bool::weighted(0.4))
        .prop_map(move |(x, b, g, strata, ties, zph)| {
            let x = x || with_x || !(b || g);
            Model { x, b, g, strata, ties, zph }
        })
}

impl Model {
    fn request(&self) -> CoxRequest {
        let covariates = [(self.x, "x"), (self.b, "b"), (self.g, "g")]
            .into_iter()
            .filter(|(used, _)| *used)
            .map(|(_, name)| name.to_string())
            .collect();
        CoxRequest {
            endpoint: endpoint("time", "status"),
            covariates: Covariates { covariates, categorical: Vec::new(), reference: Vec::new() },
            start: None,
            landmark: Landmark::default(),
            strata: self.strata.then(|| "s".to_string()),
            ties: self.ties,
            conf_level: ConfLevel::default(),
            univariate: false,
            zph: self.zph,
        }
    }
}

/// The file, with `x` written by `x_cell`.
fn csv(patients: &[Patient], x_cell: impl Fn(&Patient) -> String) -> String {
    let mut text = String::from("time,status,x,b,g,s\n");
    for patient in patients {
        text += &format!(
            "{},{},{},{},{},{}\n",
            decimal(patient.time, 2),
            u8::from(patient.event),
            x_cell(patient),
            u8::from(patient.b),
            LEVELS[patient.g],
            if patient.s { "north" } else { "south" },
        );
    }
    text
}

fn plain_csv(patients: &[Patient]) -> String {
    csv(patients, |patient| decimal(patient.x, 2))
}

// ---------------------------------------------------------------------------------------------
// Running a model and checking its JSON
// ---------------------------------------------------------------------------------------------

/// The report's JSON, checked for NaN and bounds by `check_report` (a panic with the JSON when it
/// breaks one); or the error message.
fn fit(text: &str, request: &CoxRequest) -> Result<Value, String> {
    analyze_checked(text, &Request::Cox(request.clone()), check_report)
}

/// Fits a model that must succeed.
fn fit_ok(text: &str, request: &CoxRequest) -> Result<Value, TestCaseError> {
    analyze_ok(text, &Request::Cox(request.clone()), check_report)
}

/// Checks that every number of a Cox report (or of each model of a univariate one) is within its
/// bounds: each field the schema types as a plain number a finite number (serde_json writes NaN
/// and infinity as `null`), se > 0 for each estimated term, p in [0, 1], concordance in [0, 1],
/// chi-squares not negative, lower <= HR <= upper, loglik at the estimate >= at 0.
fn check_report(value: &Value) -> Result<(), String> {
    if value["univariate"] == Value::Bool(true) {
        for model in value["models"].as_array().ok_or("no models")? {
            if model.get("error").is_some() {
                if !model["error"]["message"].is_string() || !model["covariate"].is_string() {
                    return Err(format!("a failed model without its covariate or message: {model}"));
                }
            } else {
                check_model(model)?;
            }
        }
    } else {
        check_model(value)?;
    }
    Ok(())
}

fn check_model(model: &Value) -> Result<(), String> {
    if model["analysis"] != "cox" {
        return Err(format!("not a Cox report: {}", model["analysis"]));
    }
    let n = count(&model["n"], "n")?;
    let events = count(&model["events"], "events")?;
    if events > n || events == 0 {
        return Err(format!("{events} events in {n} rows"));
    }
    count(&model["n_dropped"], "n_dropped")?;
    count(&model["iterations"], "iterations")?;
    if !model["converged"].is_boolean() {
        return Err("converged is not true or false".into());
    }
    let conf_level = number(&model["conf_level"], "conf_level")?;
    if !(0.0 < conf_level && conf_level < 1.0) {
        return Err(format!("conf_level {conf_level}"));
    }
    // Each limit that exists is on its side of the hazard ratio.
    for TermInterval { name, lower, hr, upper } in check_terms(&model["terms"])? {
        if let (Some(lower), Some(hr)) = (lower, hr) {
            if lower > hr {
                return Err(format!("terms[{name}].lower: lower {lower} > hr {hr}"));
            }
        }
        if let (Some(hr), Some(upper)) = (hr, upper) {
            if hr > upper {
                return Err(format!("terms[{name}].upper: hr {hr} > upper {upper}"));
            }
        }
    }
    let null = number(&model["loglik"]["null"], "loglik.null")?;
    let fitted = number(&model["loglik"]["model"], "loglik.model")?;
    if fitted < null - 1e-9 * null.abs() {
        return Err(format!("loglik at the estimate {fitted} is below loglik at 0 {null}"));
    }
    for test in ["likelihood_ratio", "wald", "score"] {
        let path = format!("tests.{test}");
        if let Some(stat) = number_or_null(&model["tests"][test]["stat"], &format!("{path}.stat"))? {
            if stat < -1e-9 {
                return Err(format!("{path}.stat = {stat} is negative"));
            }
        }
        count(&model["tests"][test]["df"], &format!("{path}.df"))?;
        probability(&model["tests"][test]["p"], &format!("{path}.p"))?;
    }
    probability(&model["concordance"]["estimate"], "concordance.estimate")?;
    if let Some(se) = number_or_null(&model["concordance"]["se"], "concordance.se")? {
        if se < 0.0 {
            return Err(format!("concordance.se = {se}"));
        }
    }
    check_warnings(&model["warnings"])?;
    if let Some(zph) = model.get("zph") {
        let rows = zph["terms"].as_array().ok_or("zph without terms")?.iter().chain([&zph["global"]]);
        for row in rows {
            let chisq = number(&row["chisq"], "zph.chisq")?;
            if chisq < -1e-9 {
                return Err(format!("zph chisq {chisq} is negative"));
            }
            count(&row["df"], "zph.df")?;
            probability(&row["p"], "zph.p")?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Comparing two reports
// ---------------------------------------------------------------------------------------------

/// One term's numbers; `coef` within `relative` of its se.
fn same_term(a: &Value, b: &Value, relative: f64) -> Result<(), TestCaseError> {
    let name = a["term"].as_str().unwrap_or("?");
    let se = a["se"].as_f64().unwrap_or(0.0);
    agree(&a["coef"], &b["coef"], &format!("{name}.coef"), relative, se)?;
    agree(&a["z"], &b["z"], &format!("{name}.z"), relative, 1.0)?;
    agree(&a["p"], &b["p"], &format!("{name}.p"), relative, 1.0)?;
    for key in ["se", "hr", "lower", "upper"] {
        agree(&a[key], &b[key], &format!("{name}.{key}"), relative, 0.0)?;
    }
    Ok(())
}

/// What does not depend on the parametrisation: loglik, the three tests, concordance, zph,
/// the counts and the number of iterations.
fn same_model(a: &Value, b: &Value, relative: f64) -> Result<(), TestCaseError> {
    for key in ["n", "events", "n_dropped", "iterations", "converged"] {
        prop_assert_eq!(&a[key], &b[key], "{} differs", key);
    }
    for key in ["null", "model"] {
        agree(&a["loglik"][key], &b["loglik"][key], &format!("loglik.{key}"), relative, 0.0)?;
    }
    for test in ["likelihood_ratio", "wald", "score"] {
        let (x, y) = (&a["tests"][test], &b["tests"][test]);
        prop_assert_eq!(&x["df"], &y["df"], "{} df differs", test);
        // A statistic near 0 is a difference of log-likelihoods: its rounding is absolute.
        agree(&x["stat"], &y["stat"], &format!("tests.{test}.stat"), relative, 1e-3)?;
        agree(&x["p"], &y["p"], &format!("tests.{test}.p"), relative, 1.0)?;
    }
    agree(&a["concordance"]["estimate"], &b["concordance"]["estimate"], "concordance", relative, 0.0)?;
    agree(&a["concordance"]["se"], &b["concordance"]["se"], "concordance.se", relative, 1e-3)?;
    prop_assert_eq!(a.get("zph").is_some(), b.get("zph").is_some());
    if let (Some(x), Some(y)) = (a.get("zph"), b.get("zph")) {
        let (rows_x, rows_y) = (x["terms"].as_array().unwrap(), y["terms"].as_array().unwrap());
        prop_assert_eq!(rows_x.len(), rows_y.len());
        for (u, v) in rows_x.iter().zip(rows_y).chain([(&x["global"], &y["global"])]) {
            let name = u["term"].as_str().unwrap_or("GLOBAL");
            prop_assert_eq!(&u["df"], &v["df"]);
            agree(&u["chisq"], &v["chisq"], &format!("zph.{name}.chisq"), relative, 1.0)?;
            agree(&u["p"], &v["p"], &format!("zph.{name}.p"), relative, 1.0)?;
        }
    }
    Ok(())
}

/// Everything: the model and each term, by name.
fn same_report(a: &Value, b: &Value, relative: f64) -> Result<(), TestCaseError> {
    same_model(a, b, relative)?;
    let (terms_a, terms_b) = (a["terms"].as_array().unwrap(), b["terms"].as_array().unwrap());
    prop_assert_eq!(terms_a.len(), terms_b.len());
    for (x, y) in terms_a.iter().zip(terms_b) {
        prop_assert_eq!(&x["term"], &y["term"]);
        same_term(x, y, relative)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The invariances
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(64))]

    /// Shuffled rows give the same coefficients, se, loglik, tests, concordance and zph.
    #[test]
    fn row_order_does_not_matter(
        (patients, shuffled) in patients().prop_flat_map(|p| (Just(p.clone()), Just(p).prop_shuffle())),
        model in model(false),
    ) {
        let request = model.request();
        let (first, second) = (fit(&plain_csv(&patients), &request), fit(&plain_csv(&shuffled), &request));
        match (first, second) {
            (Ok(a), Ok(b)) => {
                if well_behaved(&a) && well_behaved(&b) {
                    same_report(&a, &b, REORDER_RELATIVE)?;
                }
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "one order fits and the other fails: {:?} / {:?}", a.err(), b.err()),
        }
    }

    /// x + c changes nothing at all.
    #[test]
    fn shifting_a_covariate_changes_nothing(
        patients in patients(),
        model in model(true),
        shift in prop::sample::select(vec![-1_000_000i64, -4_250, 3, 1_234_567]),
    ) {
        let request = model.request();
        let original = fit_ok(&plain_csv(&patients), &request)?;
        let shifted = fit_ok(&csv(&patients, |patient| decimal(patient.x + shift, 2)), &request)?;
        if well_behaved(&original) && well_behaved(&shifted) {
            same_report(&original, &shifted, REPARAMETRISED_RELATIVE)?;
        }
    }

    /// c x divides x's coefficient by c and its se by |c|; the HR per unit becomes HR^(1/c);
    /// every other number is unchanged.
    #[test]
    fn scaling_a_covariate_rescales_its_coefficient(
        patients in patients(),
        model in model(true),
        // c = mantissa / 10^decimals: 0.003, 0.01, -2.5, 4, -7, 1000
        (mantissa, decimals) in prop::sample::select(vec![(3i64, 3u32), (1, 2), (-25, 1), (4, 0), (-7, 0), (1000, 0)]),
    ) {
        let c = mantissa as f64 / survkit::estimate::distribution::pow(10.0, f64::from(decimals));
        let request = model.request();
        let original = fit_ok(&plain_csv(&patients), &request)?;
        let scaled = fit_ok(&csv(&patients, |patient| decimal(patient.x * mantissa, 2 + decimals)), &request)?;
        if !(well_behaved(&original) && well_behaved(&scaled)) {
            return Ok(());
        }
        same_model(&original, &scaled, REPARAMETRISED_RELATIVE)?;
        for (a, b) in original["terms"].as_array().unwrap().iter().zip(scaled["terms"].as_array().unwrap()) {
            prop_assert_eq!(&a["term"], &b["term"]);
            if a["term"] != "x" {
                same_term(a, b, REPARAMETRISED_RELATIVE)?;
            }
        }
        let (a, b) = (term(&original, "x"), term(&scaled, "x"));
        let value = |term: &Value, key: &str| term[key].as_f64();
        let se = value(a, "se").unwrap();
        // On x's own scale: c * coef' = coef, |c| * se' = se.
        let times_c = |x: Option<f64>| x.map(|x| x * c).map(Value::from).unwrap_or(Value::Null);
        let times_abs_c = |x: Option<f64>| x.map(|x| x * c.abs()).map(Value::from).unwrap_or(Value::Null);
        agree(&a["coef"], &times_c(value(b, "coef")), "x.coef * c", REPARAMETRISED_RELATIVE, se)?;
        agree(&a["se"], &times_abs_c(value(b, "se")), "x.se * |c|", REPARAMETRISED_RELATIVE, 0.0)?;
        agree(&a["z"], &(value(b, "z").unwrap() * c.signum()).into(), "x.z", REPARAMETRISED_RELATIVE, 1.0)?;
        agree(&a["p"], &b["p"], "x.p", REPARAMETRISED_RELATIVE, 1.0)?;
        // HR per unit: log HR' = log HR / c, and the interval turns round when c < 0.
        let log_times_c = |x: Option<f64>| x.map(|x| ln(x) * c).map(Value::from).unwrap_or(Value::Null);
        let log = |x: Option<f64>| x.map(ln).map(Value::from).unwrap_or(Value::Null);
        agree(&log(value(a, "hr")), &log_times_c(value(b, "hr")), "log(x.hr') * c", REPARAMETRISED_RELATIVE, se)?;
        let limits =
            if c > 0.0 { [("lower", "lower"), ("upper", "upper")] } else { [("lower", "upper"), ("upper", "lower")] };
        for (limit, scaled_limit) in limits {
            let what = format!("log(x.{limit}) vs c log(x.{scaled_limit}')");
            agree(&log(value(a, limit)), &log_times_c(value(b, scaled_limit)), &what, REPARAMETRISED_RELATIVE, se)?;
        }
    }

    /// With A the reference, g=B and g=C have coefficients bB, bC; with B the reference, g=A has
    /// -bB (with the same se) and g=C has bC - bB. The model itself is the same.
    #[test]
    fn changing_the_reference_level_follows_the_algebra(patients in patients(), model in model(false)) {
        let model = Model { g: true, ..model };
        let text = plain_csv(&patients);
        let first = fit_ok(&text, &model.request())?;
        let mut request = model.request();
        request.covariates.reference = vec!["g=B".into()];
        let second = fit_ok(&text, &request)?;
        if !(well_behaved(&first) && well_behaved(&second)) {
            return Ok(());
        }
        same_model(&first, &second, REPARAMETRISED_RELATIVE)?;
        let (b_b, b_c) = (term(&first, "g=B"), term(&first, "g=C"));
        let (a_a, a_c) = (term(&second, "g=A"), term(&second, "g=C"));
        let coef = |term: &Value| term["coef"].as_f64().unwrap();
        let se = b_b["se"].as_f64().unwrap().max(b_c["se"].as_f64().unwrap());
        agree(&a_a["coef"], &(-coef(b_b)).into(), "g=A = -g=B", REPARAMETRISED_RELATIVE, se)?;
        agree(&a_a["se"], &b_b["se"], "se(g=A) = se(g=B)", REPARAMETRISED_RELATIVE, 0.0)?;
        agree(&a_c["coef"], &(coef(b_c) - coef(b_b)).into(), "g=C = g=C - g=B", REPARAMETRISED_RELATIVE, se)?;
        // The other covariates' terms do not move.
        for name in ["x", "b"] {
            let (x, y) = (term(&first, name), term(&second, name));
            if !x.is_null() {
                same_term(x, y, REPARAMETRISED_RELATIVE)?;
            }
        }
    }

    /// With no two events at the same time, Efron's likelihood is Breslow's.
    #[test]
    fn efron_is_breslow_without_tied_events(patients in patients_without_tied_events(), model in model(false)) {
        let text = plain_csv(&patients);
        let efron = fit(&text, &CoxRequest { ties: Ties::Efron, ..model.request() });
        let breslow = fit(&text, &CoxRequest { ties: Ties::Breslow, ..model.request() });
        match (efron, breslow) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(&a["ties"], "efron");
                prop_assert_eq!(&b["ties"], "breslow");
                prop_assert_eq!(&a["warnings"], &b["warnings"]);
                same_report(&a, &b, SAME_ARITHMETIC_RELATIVE)?;
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "Efron and Breslow disagree on fitting: {:?} / {:?}", a.err(), b.err()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// No NaN, whatever the data
// ---------------------------------------------------------------------------------------------

/// Ways a random data set is made hard: a constant covariate, a 0/1 covariate that copies g=B
/// (collinear), no events where b = 1 (monotone likelihood), all events at one time.
#[derive(Debug, Clone, Copy)]
struct Trouble {
    constant_x: bool,
    collinear_b: bool,
    separated_b: bool,
    one_event_time: bool,
}

fn trouble() -> impl Strategy<Value = Trouble> {
    let rare = || prop::bool::weighted(0.2);
    (rare(), rare(), rare(), prop::bool::weighted(0.05)).prop_map(
        |(constant_x, collinear_b, separated_b, one_event_time)| Trouble {
            constant_x,
            collinear_b,
            separated_b,
            one_event_time,
        },
    )
}

fn troubled(mut patients: Vec<Patient>, trouble: Trouble) -> Vec<Patient> {
    for patient in &mut patients {
        if trouble.constant_x {
            patient.x = 5000;
        }
        if trouble.collinear_b {
            patient.b = patient.g == 1;
        }
        if trouble.separated_b && patient.b {
            patient.event = false;
        }
        if trouble.one_event_time && patient.event {
            patient.time = 500;
        }
    }
    patients
}

proptest! {
    #![proptest_config(config(96))]

    /// Every number the schema types as a number is finite, se > 0 for estimated terms, p and
    /// concordance in [0, 1]; a model that cannot be fitted is an error, never a panic.
    #[test]
    fn json_is_finite_and_bounded(
        patients in patients(),
        trouble in trouble(),
        model in model(false),
        univariate in prop::bool::weighted(0.25),
        categorical_b in prop::bool::weighted(0.2),
        conf_level in prop_oneof![Just(0.95), 0.5f64..0.999],
    ) {
        let mut request = model.request();
        request.univariate = univariate;
        request.conf_level = ConfLevel(conf_level);
        if categorical_b && model.b {
            request.covariates.categorical = vec!["b".into()];
        }
        // `fit` panics with the JSON when a number is out of bounds; errors are allowed here.
        let _ = fit(&plain_csv(&troubled(patients, trouble)), &request);
    }
}

/// Guards the generators: most random models are well behaved, so the invariances above are
/// checked on most cases rather than skipped.
#[test]
fn most_random_models_are_compared() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = (patients(), model(false));
    let (mut compared, total) = (0, 50);
    for _ in 0..total {
        let (patients, model) = strategy.new_tree(&mut runner).unwrap().current();
        if fit(&plain_csv(&patients), &model.request()).is_ok_and(|report| well_behaved(&report)) {
            compared += 1;
        }
    }
    assert!(compared * 10 >= total * 8, "only {compared} of {total} random models are well behaved");
}
