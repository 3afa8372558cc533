//! Table 1 through the CLI as a user meets it: the p-values of textbook tables against R, the
//! edges where there is nothing to test, the warnings that say why, the choice of test and of
//! variable type, and the table as a paper prints it (text, CSV, HTML).
//!
//! Every report read here is also checked for what holds of any Table 1: no NaN, p in [0, 1], a
//! categorical row's counts add up to each group's non-missing n and its percents to 100, a
//! continuous row's n and n_missing to the group's n.

#![cfg(all(feature = "cli", not(target_arch = "wasm32")))] // runs the native CLI
#![allow(clippy::excessive_precision)] // R's p-values as R prints them with digits = 17

mod common;

use common::{run_cli, CLOSED_FORM_RELATIVE};
use serde_json::Value;

/// Percents of a group's non-missing values, added over the levels.
const PERCENT_SUM_ABSOLUTE: f64 = 1e-9;

/// The expected-count warning, as the CLI words it.
const SMALL_EXPECTED: &str = "expected counts are below 5";

// ---------------------------------------------------------------------------------------------
// Running the CLI
// ---------------------------------------------------------------------------------------------

/// `survkit table1 --group arm <extra> --data -` on `csv`.
fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut full = vec!["table1", "--group", "arm"];
    full.extend_from_slice(extra);
    full.extend(["--data", "-"]);
    full
}

/// Runs `survkit table1 ... --format json` and checks the report.
fn table1(extra: &[&str], csv: &str) -> Value {
    let mut extra = extra.to_vec();
    extra.extend(["--format", "json"]);
    let full = args(&extra);
    let (ok, stdout, stderr) = run_cli(&full, Some(csv));
    assert!(ok, "survkit {} failed on {csv:?}:\n{stderr}", full.join(" "));
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("not JSON ({error}):\n{stdout}"));
    if let Err(problem) = check(&stdout, &report) {
        panic!("survkit {}: {problem}\n{stdout}", full.join(" "));
    }
    report
}

/// Runs `survkit table1 ... --format <format>` (text when `None`) and returns stdout.
fn printed(format: Option<&str>, extra: &[&str], csv: &str) -> String {
    let mut extra = extra.to_vec();
    if let Some(format) = format {
        extra.extend(["--format", format]);
    }
    let full = args(&extra);
    let (ok, stdout, stderr) = run_cli(&full, Some(csv));
    assert!(ok, "survkit {} failed:\n{stderr}", full.join(" "));
    stdout
}

/// The report's row for `variable`.
fn row<'a>(report: &'a Value, variable: &str) -> &'a Value {
    report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| row["variable"] == variable)
        .unwrap_or_else(|| panic!("no row {variable} in {report}"))
}

fn warnings(row: &Value) -> Vec<&str> {
    row["warnings"].as_array().expect("warnings").iter().map(|w| w.as_str().expect("a warning is text")).collect()
}

/// Asserts that some warning of `row` contains every one of `parts`.
#[track_caller]
fn warns(row: &Value, parts: &[&str]) {
    let all = warnings(row);
    assert!(
        all.iter().any(|warning| parts.iter().all(|part| warning.contains(part))),
        "no warning of {} with {parts:?}: {all:?}",
        row["variable"]
    );
}

#[track_caller]
fn no_warning_with(row: &Value, part: &str) {
    let all = warnings(row);
    assert!(all.iter().all(|warning| !warning.contains(part)), "{}: unexpected {part:?} in {all:?}", row["variable"]);
}

/// `p` agrees with R's value to the closed-form tolerance.
#[track_caller]
fn p_is(row: &Value, r: f64) {
    let p = row["p"].as_f64().unwrap_or_else(|| panic!("no p for {}: {row}", row["variable"]));
    assert!((p - r).abs() <= CLOSED_FORM_RELATIVE * r.abs(), "{}: survkit p {p}, R {r}", row["variable"]);
}

/// No test, no p, no statistic, and a reason.
#[track_caller]
fn untested(row: &Value) {
    for key in ["test", "p", "statistic", "df"] {
        assert!(row[key].is_null(), "{} of {} should be null: {row}", key, row["variable"]);
    }
    assert!(!warnings(row).is_empty(), "{} is not tested but says not why: {row}", row["variable"]);
}

// ---------------------------------------------------------------------------------------------
// What holds of any Table 1
// ---------------------------------------------------------------------------------------------

fn check(json: &str, report: &Value) -> Result<(), String> {
    for word in ["NaN", "Infinity"] {
        if json.contains(word) {
            return Err(format!("the JSON holds {word}"));
        }
    }
    let group_n: Vec<u64> =
        report["groups"].as_array().ok_or("no groups")?.iter().map(|g| g["n"].as_u64().unwrap_or(u64::MAX)).collect();
    for row in report["rows"].as_array().ok_or("no rows")? {
        let name = row["variable"].as_str().ok_or("a row without a variable")?;
        if let Some(p) = row["p"].as_f64() {
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("{name}: p = {p}"));
            }
        } else if !row["p"].is_null() {
            return Err(format!("{name}: p = {}", row["p"]));
        }
        if row["test"].is_null() && !row["p"].is_null() {
            return Err(format!("{name}: a p without a test"));
        }
        for key in ["statistic", "df"] {
            if !(row[key].is_null() || row[key].as_f64().is_some_and(f64::is_finite)) {
                return Err(format!("{name}: {key} = {}", row[key]));
            }
        }
        if !row["warnings"].as_array().is_some_and(|w| w.iter().all(Value::is_string)) {
            return Err(format!("{name}: warnings must be text: {}", row["warnings"]));
        }
        match row["kind"].as_str() {
            Some("categorical") => check_categorical(name, row, &group_n)?,
            Some("continuous") => {
                for (index, group) in row["groups"].as_array().ok_or("no groups")?.iter().enumerate() {
                    let (n, missing) = (group["n"].as_u64(), group["n_missing"].as_u64());
                    if n.zip(missing).map(|(n, missing)| n + missing) != Some(group_n[index]) {
                        return Err(format!(
                            "{name}, group {index}: n {n:?} + missing {missing:?} != {}",
                            group_n[index]
                        ));
                    }
                }
            }
            other => return Err(format!("{name}: kind {other:?}")),
        }
    }
    Ok(())
}

/// Counts add up to the group's non-missing n; percents to 100 (`null` for a group with none).
fn check_categorical(name: &str, row: &Value, group_n: &[u64]) -> Result<(), String> {
    let levels = row["levels"].as_array().ok_or("no levels")?;
    let missing = row["n_missing"].as_array().ok_or("no n_missing")?;
    for (group, n) in group_n.iter().enumerate() {
        let non_missing = n - missing[group].as_u64().ok_or("n_missing must be counts")?;
        let counts: u64 = levels.iter().map(|level| level["counts"][group].as_u64().unwrap_or(u64::MAX / 64)).sum();
        if counts != non_missing {
            return Err(format!("{name}, group {group}: counts add up to {counts}, not {non_missing}"));
        }
        let percents: Vec<&Value> = levels.iter().map(|level| &level["percents"][group]).collect();
        if non_missing == 0 {
            if !percents.iter().all(|percent| percent.is_null()) {
                return Err(format!("{name}, group {group}: percents of nobody: {percents:?}"));
            }
        } else {
            let sum: Option<f64> = percents.iter().map(|percent| percent.as_f64()).sum();
            if sum.is_none_or(|sum| (sum - 100.0).abs() > PERCENT_SUM_ABSOLUTE) {
                return Err(format!("{name}, group {group}: percents add up to {sum:?}"));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------

/// A file with one row per patient for the table `counts[level][group]` of variable `v`.
fn from_counts(levels: &[&str], groups: &[&str], counts: &[&[usize]]) -> String {
    let mut text = String::from("arm,v\n");
    for (level, row) in levels.iter().zip(counts) {
        for (group, count) in groups.iter().zip(row.iter()) {
            for _ in 0..*count {
                text += &format!("{group},{level}\n");
            }
        }
    }
    text
}

/// Eight patients in two arms. `stage` has level III in arm A only; `k` is 1 everywhere; `gone`
/// is missing everywhere; `half` is missing in every arm A row; `age` is an ordinary number.
const EDGES: &str = "\
arm,stage,k,gone,half,age
A,I,1,NA,NA,30
A,II,1,NA,NA,41
A,III,1,NA,NA,52
A,I,1,NA,NA,33
B,I,1,NA,x,45
B,II,1,NA,y,47
B,II,1,NA,x,38
B,I,1,NA,y,60
";

/// Nine patients in three arms.
const THREE_ARMS: &str = "\
arm,stage,age,agehalf
A,I,30,1
A,II,41,2
A,III,52,3
B,I,45,
B,II,47,
C,II,38,4
C,I,60,5
C,III,61,6
C,III,66,7
";

// ---------------------------------------------------------------------------------------------
// Fisher's exact test against R
// ---------------------------------------------------------------------------------------------

/// Fisher's lady tasting tea, from the committed file (8 cups, 4 with milk first).
/// R: `fisher.test(matrix(c(3, 1, 1, 3), nrow = 2))$p.value` = 0.4857142857142857.
#[test]
fn fisher_on_the_tea_tasting_table() {
    let path = common::data_path("tea.csv");
    let full = ["table1", "--group", "truth", "--vars", "guess", "--categorical-test", "fisher", "--format", "json"];
    let mut full = full.to_vec();
    let path = path.to_str().unwrap();
    full.extend(["--data", path]);
    let (ok, stdout, stderr) = run_cli(&full, None);
    assert!(ok, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    check(&stdout, &report).unwrap();
    let guess = row(&report, "guess");
    assert_eq!(guess["test"], "fisher");
    p_is(guess, 0.4857142857142857);
    assert!(guess["statistic"].is_null() && guess["df"].is_null(), "Fisher's test has no statistic: {guess}");
    // The same table from counts.
    let report = table1(
        &["--vars", "v", "--categorical-test", "fisher"],
        &from_counts(&["milk", "tea"], &["milk", "tea"], &[&[3, 1], &[1, 3]]),
    );
    p_is(row(&report, "v"), 0.4857142857142857);
}

/// Levels yes/no by three arms.
/// R 4.2.2: `print(fisher.test(matrix(c(1, 5, 4, 2, 6, 1), nrow = 2))$p.value, digits = 17)`
/// = 0.061721044693180488.
#[test]
fn fisher_on_a_2_by_3_table() {
    let csv = from_counts(&["no", "yes"], &["A", "B", "C"], &[&[1, 4, 6], &[5, 2, 1]]);
    let report = table1(&["--vars", "v", "--categorical-test", "fisher"], &csv);
    p_is(row(&report, "v"), 0.061721044693180488);
    assert_eq!(report["groups"].as_array().unwrap().len(), 3);
}

/// Levels low/mid/high by three arms.
/// R 4.2.2: `print(fisher.test(matrix(c(3, 1, 0, 1, 3, 1, 0, 1, 4), nrow = 3))$p.value, digits = 17)`
/// = 0.048570477141905669.
#[test]
fn fisher_on_a_3_by_3_table() {
    let csv = from_counts(&["high", "low", "mid"], &["A", "B", "C"], &[&[0, 1, 4], &[3, 1, 0], &[1, 3, 1]]);
    let report = table1(&["--vars", "v", "--categorical-test", "fisher"], &csv);
    p_is(row(&report, "v"), 0.048570477141905669);
}

/// Twelve centres by two arms, n = 474: past the exact budget (and R's default workspace), so
/// R's Monte Carlo p, with the seed and B in the JSON and in a warning that gives the R call.
/// R 4.2.2, with the table as survkit tests it (levels as rows, arms as columns):
/// `k <- 0:11; m <- cbind(A = 24 - (k %% 4) * 2 - (k > 5), B = 16 + (k %% 3) * 3)`,
/// `set.seed(3); print(fisher.test(m, simulate.p.value = TRUE, B = 999)$p.value, digits = 17)`
/// = 0.98199999999999998.
#[test]
fn fisher_past_the_exact_budget_is_r_monte_carlo_p() {
    let levels = ["C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08", "C09", "C10", "C11", "C12"];
    let counts: Vec<[usize; 2]> = (0..12).map(|k| [24 - (k % 4) * 2 - usize::from(k > 5), 16 + (k % 3) * 3]).collect();
    let count_rows: Vec<&[usize]> = counts.iter().map(|pair| pair.as_slice()).collect();
    let csv = from_counts(&levels, &["A", "B"], &count_rows);
    let report = table1(&["--vars", "v", "--categorical-test", "fisher", "--seed", "3", "--replicates", "999"], &csv);
    let centre = row(&report, "v");
    assert_eq!(centre["test"], "fisher");
    assert_eq!(centre["simulated"], serde_json::json!({ "replicates": 999, "seed": 3 }));
    p_is(centre, 0.98199999999999998);
    warns(centre, &["Monte Carlo", "set.seed(3); fisher.test(table(v, arm), simulate.p.value = TRUE, B = 999)"]);
    // An exact row carries no "simulated".
    let small = table1(
        &["--vars", "v", "--categorical-test", "fisher"],
        &from_counts(&["no", "yes"], &["A", "B", "C"], &[&[1, 4, 6], &[5, 2, 1]]),
    );
    assert!(row(&small, "v").get("simulated").is_none(), "{small}");
}

/// No replicates is an error that names the option, not a p of 1/1.
#[test]
fn zero_replicates_is_refused() {
    let csv = from_counts(&["no", "yes"], &["A", "B", "C"], &[&[1, 4, 6], &[5, 2, 1]]);
    let (ok, _, stderr) =
        run_cli(&args(&["--vars", "v", "--categorical-test", "fisher", "--replicates", "0"]), Some(&csv));
    assert!(!ok && stderr.contains("replicates") && !stderr.contains("panicked"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// The edges: a p or null, and a reason
// ---------------------------------------------------------------------------------------------

/// stage = I: 2 and 2, II: 1 and 2, III: 1 and 0.
/// R: `chisq.test(matrix(c(2, 1, 1, 2, 2, 0), nrow = 3), correct = FALSE)$p.value`
/// = 0.51341711903259202 (with "Chi-squared approximation may be incorrect");
/// `fisher.test(matrix(c(2, 1, 1, 2, 2, 0), nrow = 3))$p.value` = 0.99999999999999944.
#[test]
fn a_level_missing_in_one_group_is_tested() {
    let report = table1(&["--vars", "stage"], EDGES);
    let stage = row(&report, "stage");
    assert_eq!(stage["test"], "chisq");
    p_is(stage, 0.51341711903259202);
    assert_eq!(stage["df"], 2.0);
    warns(stage, &[SMALL_EXPECTED]);
    let level_iii = &stage["levels"][2];
    assert_eq!(level_iii["level"], "III");
    assert_eq!(level_iii["counts"], serde_json::json!([1, 0]));
    assert_eq!(level_iii["percents"], serde_json::json!([25.0, 0.0]));

    let report = table1(&["--vars", "stage", "--categorical-test", "fisher"], EDGES);
    p_is(row(&report, "stage"), 0.99999999999999944);
}

#[test]
fn a_constant_variable_is_not_tested() {
    let report = table1(&["--vars", "k,age"], EDGES);
    let k = row(&report, "k");
    untested(k);
    warns(k, &["k", "single value"]);
    assert_eq!(k["levels"][0]["counts"], serde_json::json!([4, 4]));
    // A constant text column, and with every test.
    for test in ["chisq", "yates", "fisher", "auto"] {
        let csv = "arm,v\nA,x\nA,x\nB,x\nB,x\nB,x\n";
        let report = table1(&["--vars", "v", "--categorical-test", test], csv);
        untested(row(&report, "v"));
        warns(row(&report, "v"), &["single value"]);
    }
    // A constant number with 6+ values elsewhere is still one value: categorical, untested.
    let report = table1(&["--vars", "v"], "arm,v\nA,2.5\nA,2.5\nB,2.5\nB,2.5\n");
    assert_eq!(row(&report, "v")["kind"], "categorical");
    untested(row(&report, "v"));
}

#[test]
fn a_variable_all_missing_is_not_tested() {
    let report = table1(&["--vars", "gone,age"], EDGES);
    let gone = row(&report, "gone");
    untested(gone);
    assert_eq!(gone["levels"], serde_json::json!([]));
    assert_eq!(gone["n_missing"], serde_json::json!([4, 4]));
    // The other variable is unaffected.
    assert_eq!(row(&report, "age")["test"], "welch");
}

/// The reason given for an all-missing variable is "gone has a single value here", which it has
/// not: it has no value at all.
#[test]
fn a_variable_all_missing_says_so() {
    let report = table1(&["--vars", "gone"], EDGES);
    let gone = row(&report, "gone");
    no_warning_with(gone, "single value");
    assert!(warnings(gone).iter().any(|w| w.contains("missing") || w.contains("no value")), "{gone}");
}

#[test]
fn a_variable_all_missing_in_one_group() {
    // Categorical: Fisher (and auto, which picks it) test the groups that have values...
    for test in ["fisher", "auto"] {
        let report = table1(&["--vars", "half", "--categorical-test", test], EDGES);
        let half = row(&report, "half");
        assert_eq!(half["test"], "fisher");
        assert_eq!(half["p"], 1.0, "one group with values: a single table with its margins");
        assert_eq!(half["levels"][0]["percents"], serde_json::json!([null, 50.0]));
        assert_eq!(half["n_missing"], serde_json::json!([4, 0]));
    }
    // ...continuous with three arms: Welch's ANOVA on the two arms with values (R's formula
    // interface drops the empty one). R: oneway.test(agehalf ~ arm)$p.value = 0.010076943347988872
    // on 1 and 4.9591836734693864 df.
    let report = table1(&["--vars", "agehalf"], THREE_ARMS);
    let agehalf = row(&report, "agehalf");
    assert_eq!(agehalf["test"], "welch-anova");
    assert_eq!(agehalf["df"], 1.0);
    p_is(agehalf, 0.010076943347988872);
    assert_eq!(agehalf["groups"][1]["n"], 0);
    assert!(agehalf["groups"][1]["median"].is_null());
    // ...and with two arms, one of them empty, nothing to compare.
    let report = table1(
        &["--vars", "half,age"],
        "arm,half,age\nA,,\nA,,\nB,1.5,3\nB,2.5,4\nB,3.5,5\nB,4.5,6\nB,5.5,7\nB,6.5,8\n",
    );
    untested(row(&report, "half"));
    warns(row(&report, "half"), &["fewer than two groups"]);
    untested(row(&report, "age"));
}

/// Pearson's chi-square on a table with an empty group has no p (R gives NaN), so the row shows
/// none; but its only warning is the expected-count one, which does not say why p is missing.
#[test]
fn a_variable_all_missing_in_one_group_says_why_chisq_has_no_p() {
    let report = table1(&["--vars", "half"], EDGES);
    let half = row(&report, "half");
    assert!(half["p"].is_null());
    let reasons: Vec<&str> = warnings(half).into_iter().filter(|w| !w.contains(SMALL_EXPECTED)).collect();
    assert!(!reasons.is_empty(), "p is null and no warning says why: {half}");
}

#[test]
fn a_single_group_is_not_tested() {
    let csv = "arm,sex,age\nA,M,34\nA,F,45\nA,M,27\nA,F,61\nA,M,38\nA,F,52\nA,M,49\n";
    for (categorical, continuous) in
        [("chisq", "welch"), ("fisher", "wilcoxon"), ("auto", "anova"), ("yates", "kruskal")]
    {
        let report =
            table1(&["--vars", "sex,age", "--categorical-test", categorical, "--continuous-test", continuous], csv);
        assert_eq!(report["groups"].as_array().unwrap().len(), 1);
        let (sex, age) = (row(&report, "sex"), row(&report, "age"));
        untested(sex);
        warns(sex, &["only one group"]);
        untested(age);
        assert_eq!(age["groups"][0]["median"], 45.0);
    }
    // Pairwise comparisons of one group: none.
    let report = table1(&["--vars", "sex,age", "--pairwise"], csv);
    assert_eq!(row(&report, "sex")["pairwise"], serde_json::json!([]));
}

/// With three arms a two-group test stands aside for its k-group form, and says so.
/// R: `oneway.test(age ~ arm, var.equal = TRUE)$p.value` = 0.24747174471382669,
/// `oneway.test(age ~ arm)$p.value` = 0.36510034121600082 (Welch's ANOVA, on 2 and
/// 3.3494494317929067 df), `kruskal.test(age ~ arm)$p.value` = 0.30455947555391977.
#[test]
fn a_two_group_test_with_three_groups_becomes_its_k_group_form() {
    for (asked, shown, r, message) in [
        ("welch", "welch-anova", 0.36510034121600082, "Welch's one-way ANOVA (oneway.test) is shown for 3 groups (asked for Welch's t test (t.test))"),
        ("student", "anova", 0.24747174471382669, "the one-way ANOVA (oneway.test, var.equal = TRUE) is shown for 3 groups (asked for Student's t test (t.test, var.equal = TRUE))"),
        ("wilcoxon", "kruskal", 0.30455947555391977, "the Kruskal-Wallis test (kruskal.test) is shown for 3 groups (asked for the Wilcoxon rank-sum test (wilcox.test))"),
    ] {
        let report = table1(&["--vars", "age", "--continuous-test", asked], THREE_ARMS);
        let age = row(&report, "age");
        assert_eq!(age["test"], shown);
        p_is(age, r);
        warns(age, &[message]);
    }
    let report = table1(&["--vars", "age", "--continuous-test", "welch"], THREE_ARMS);
    let age = row(&report, "age");
    assert_eq!(age["df"], 2.0);
    let denominator_df = age["denominator_df"].as_f64().unwrap();
    assert!((denominator_df - 3.3494494317929067).abs() <= CLOSED_FORM_RELATIVE * 3.35, "{denominator_df}");
    // Asked for by name, no warning.
    let report = table1(&["--vars", "age", "--continuous-test", "anova"], THREE_ARMS);
    assert!(warnings(row(&report, "age")).is_empty());
}

/// Seven patients in two arms, seven distinct ages.
const TWO_ARMS: &str = "arm,age\nA,34\nA,45\nA,27\nB,61\nB,38\nB,52\nB,49\n";

/// With two arms a k-group test is shown as its two-group form, with the same p.
/// R: `oneway.test(age ~ arm, var.equal = TRUE)$p.value` = `t.test(age ~ arm, var.equal = TRUE)$p.value`
/// = 0.094483011167609335.
#[test]
fn a_k_group_test_with_two_groups_becomes_its_two_group_form() {
    let report = table1(&["--vars", "age", "--continuous-test", "anova"], TWO_ARMS);
    let age = row(&report, "age");
    assert_eq!(age["test"], "student");
    p_is(age, 0.094483011167609335);
    let report = table1(&["--vars", "age", "--continuous-test", "kruskal"], TWO_ARMS);
    assert_eq!(row(&report, "age")["test"], "wilcoxon");
}

/// The note for that switch reads "anova compares two groups; with 2 groups the student test is
/// shown" (and "kruskal compares two groups; ..."): ANOVA and Kruskal-Wallis compare any number
/// of groups, so the note says the opposite of why the test changed.
#[test]
fn a_k_group_test_with_two_groups_is_not_said_to_compare_two_groups() {
    for test in ["anova", "kruskal"] {
        let report = table1(&["--vars", "age", "--continuous-test", test], TWO_ARMS);
        no_warning_with(row(&report, "age"), &format!("{test} compares two groups"));
    }
}

/// Yates' correction is for 2 x 2 tables: on stage (3 levels x 2 arms) it is Pearson's test.
/// R: `chisq.test(matrix(c(2, 1, 1, 2, 2, 0), nrow = 3), correct = FALSE)$p.value` = 0.51341711903259202.
#[test]
fn yates_on_a_3_by_2_table_falls_back_to_chisq() {
    let report = table1(&["--vars", "stage", "--categorical-test", "yates"], EDGES);
    let stage = row(&report, "stage");
    assert_eq!(stage["test"], "chisq");
    p_is(stage, 0.51341711903259202);
    warns(stage, &["Yates' correction applies to 2 x 2 tables only", "Pearson's chi-square"]);
    // On a 2 x 2 table it is applied. R: chisq.test(matrix(c(12, 9, 8, 11), nrow = 2))$p.value
    // = 0.52657197459685645.
    let csv = from_counts(&["no", "yes"], &["A", "B"], &[&[9, 11], &[12, 8]]);
    let report = table1(&["--vars", "v", "--categorical-test", "yates"], &csv);
    assert_eq!(row(&report, "v")["test"], "yates");
    p_is(row(&report, "v"), 0.52657197459685645);
}

// ---------------------------------------------------------------------------------------------
// The expected-count warning and `auto`
// ---------------------------------------------------------------------------------------------

/// Expected counts: `sparse` has 9 x 9 / 20 = 4.05 and 11 x 9 / 20 = 4.95 (twice) below 5, `boundary`
/// exactly 5 in each,
/// `ample` at least 9.5.
/// R: `chisq.test(matrix(c(12, 9, 8, 11), nrow = 2), correct = FALSE)$p.value` = 0.34217761061304564.
#[test]
fn the_expected_count_warning_appears_whatever_the_test() {
    let sparse = from_counts(&["no", "yes"], &["A", "B"], &[&[2, 9], &[9, 0]]);
    let boundary = from_counts(&["no", "yes"], &["A", "B"], &[&[5, 5], &[5, 5]]);
    let ample = from_counts(&["no", "yes"], &["A", "B"], &[&[9, 11], &[12, 8]]);
    for test in ["chisq", "yates", "fisher", "auto"] {
        let report = table1(&["--vars", "v", "--categorical-test", test], &sparse);
        let v = row(&report, "v");
        warns(v, &["3 of 4", SMALL_EXPECTED, "smallest 4.05"]);
        assert!(v["p"].is_number(), "{v}");
        for csv in [&boundary, &ample] {
            let report = table1(&["--vars", "v", "--categorical-test", test], csv);
            no_warning_with(row(&report, "v"), SMALL_EXPECTED);
        }
    }
    // auto picks Fisher on the sparse table, Pearson on the others.
    let auto = |csv: &str| table1(&["--vars", "v", "--categorical-test", "auto"], csv);
    assert_eq!(row(&auto(&sparse), "v")["test"], "fisher");
    assert_eq!(row(&auto(&boundary), "v")["test"], "chisq");
    let ample_auto = auto(&ample);
    assert_eq!(row(&ample_auto, "v")["test"], "chisq");
    p_is(row(&ample_auto, "v"), 0.34217761061304564);
    // With pairwise comparisons, each pair uses the row's test.
    let report = table1(&["--vars", "v", "--categorical-test", "auto", "--pairwise"], &sparse);
    let fisher = table1(&["--vars", "v", "--categorical-test", "fisher"], &sparse);
    assert_eq!(row(&report, "v")["pairwise"][0]["p"], row(&fisher, "v")["p"]);
}

/// A 3 x 3 table with one expected count below 5 among nine.
#[test]
fn the_expected_count_warning_counts_the_small_cells() {
    let csv = from_counts(&["a", "b", "c"], &["A", "B", "C"], &[&[10, 10, 10], &[10, 10, 10], &[1, 2, 12]]);
    let report = table1(&["--vars", "v"], &csv);
    // Expected counts of level c: 15 x 21 / 75 = 4.2 (twice), 15 x 32 / 75 = 6.4.
    warns(row(&report, "v"), &["2 of 9", SMALL_EXPECTED, "smallest 4.20"]);
    assert_eq!(row(&table1(&["--vars", "v", "--categorical-test", "auto"], &csv), "v")["test"], "fisher");
}

// ---------------------------------------------------------------------------------------------
// Which variables are categories
// ---------------------------------------------------------------------------------------------

#[test]
fn numbers_with_at_most_five_values_are_categories() {
    let csv = "\
arm,five,six,word,coded,five_and_missing
A,1,1,low,10,1
A,2,2,mid,20,2
A,3,3,high,30,
B,4,4,low,10,3
B,5,5,mid,20,4
B,1,6,high,30,5
B,2,1,low,10,NA
";
    let report = table1(&["--vars", "five,six,word,coded,five_and_missing"], csv);
    assert_eq!(row(&report, "five")["kind"], "categorical");
    assert_eq!(row(&report, "six")["kind"], "continuous");
    assert_eq!(row(&report, "word")["kind"], "categorical");
    assert_eq!(row(&report, "coded")["kind"], "categorical");
    assert_eq!(row(&report, "five_and_missing")["kind"], "categorical", "a missing value is not a sixth value");
    // Numeric levels in numeric order, text levels alphabetically.
    let levels = |name: &str| -> Vec<String> {
        row(&report, name)["levels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["level"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(levels("five"), ["1", "2", "3", "4", "5"]);
    assert_eq!(levels("word"), ["high", "low", "mid"]);

    // --categorical forces a number with six values into categories.
    let report = table1(&["--vars", "six,five", "--categorical", "six"], csv);
    let six = row(&report, "six");
    assert_eq!(six["kind"], "categorical");
    assert_eq!(six["levels"].as_array().unwrap().len(), 6);
    assert_eq!(row(&report, "five")["kind"], "categorical");
    // A continuous row has no levels, a categorical one no per-group summaries.
    let report = table1(&["--vars", "six,five"], csv);
    assert!(row(&report, "six").get("levels").is_none() && row(&report, "six")["groups"].is_array());
    assert!(row(&report, "five").get("groups").is_none() && row(&report, "five")["levels"].is_array());
}

// ---------------------------------------------------------------------------------------------
// The table as a paper prints it
// ---------------------------------------------------------------------------------------------

/// Arm A: 67 patients, 34 men (50.7%), ages 9 to 65 with median 27. Arm B: 60 patients, 20 men
/// (33.3%), ages 70 to 89, so the ages differ with p far below 0.001.
fn paper_data() -> String {
    let mut text = String::from("arm,sex,age\n");
    let mut ages_a = vec![9, 27, 65];
    ages_a.extend((0..32).map(|i| 10 + i % 17));
    ages_a.extend((0..32).map(|i| 28 + i));
    assert_eq!(ages_a.len(), 67);
    for (index, age) in ages_a.iter().enumerate() {
        text += &format!("A,{},{age}\n", if index < 34 { "M" } else { "F" });
    }
    for index in 0..60 {
        text += &format!("B,{},{}\n", if index < 20 { "M" } else { "F" }, 70 + index % 20);
    }
    text
}

#[test]
fn csv_cells_are_as_a_paper_prints_them() {
    let csv = paper_data();
    let report = table1(&["--vars", "sex,age"], &csv);
    assert!(row(&report, "age")["p"].as_f64().unwrap() < 0.001);
    assert_eq!(row(&report, "age")["groups"][0]["median"], 27.0);
    let out = printed(Some("csv"), &["--vars", "sex,age"], &csv);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "Characteristic,A (n = 67),B (n = 60),P", "{out}");
    assert!(lines[1].starts_with("\"sex, n (%)\",,,"), "{out}");
    assert_eq!(lines[2], "F,33 (49.3),40 (66.7),", "{out}");
    assert_eq!(lines[3], "M,34 (50.7),20 (33.3),", "{out}");
    assert_eq!(lines[4], "\"age, median (range)\",\"27 (9, 65)\",\"79.5 (70, 89)\",< 0.001", "{out}");
    assert_eq!(lines.len(), 5, "{out}");
    // The P of the sex row is the report's, to three decimals.
    let p = row(&report, "sex")["p"].as_f64().unwrap();
    assert!(lines[1].ends_with(&format!(",{p:.3}")), "{out}");
}

#[test]
fn html_is_the_same_table_with_every_text_escaped() {
    let csv = paper_data();
    let out = printed(Some("html"), &["--vars", "sex,age"], &csv);
    assert!(out.starts_with("<table>") && out.trim_end().ends_with("</table>"), "{out}");
    for cell in ["<th>A (n = 67)</th>", "<td>34 (50.7)</td>", "<td>27 (9, 65)</td>", "<td>&lt; 0.001</td>"] {
        assert!(out.contains(cell), "no {cell} in:\n{out}");
    }
    // A hostile column name and group value reach the page as text.
    let hostile = "arm,<img src=x onerror=alert(1)>\n<b>A</b>,1\nB,2\n<b>A</b>,1\nB,1\n";
    let out = printed(Some("html"), &["--vars", "<img src=x onerror=alert(1)>"], hostile);
    assert!(!out.contains("<img"), "unescaped header:\n{out}");
    assert!(!out.contains("<b>"), "unescaped group:\n{out}");
    assert!(out.contains("&lt;img src=x onerror=alert(1)&gt;, n (%)"), "{out}");
    assert!(out.contains("&lt;b&gt;A&lt;/b&gt; (n = 2)"), "{out}");
    // Quotes and ampersands too.
    let out = printed(Some("html"), &["--vars", "v"], "arm,v\nA,\"x\"\"&'y\"\nB,z\nA,z\n");
    assert!(out.contains("x&quot;&amp;&#39;y"), "{out}");
}

#[test]
fn text_output_is_aligned() {
    let csv = paper_data();
    let out = printed(None, &["--vars", "sex,age"], &csv);
    let table: Vec<&str> = out.lines().take_while(|line| !line.starts_with("Note (")).collect();
    assert_eq!(table.len(), 5, "{out}");
    let width = table[0].chars().count();
    assert!(table.iter().all(|line| line.chars().count() == width), "lines of different widths:\n{out}");
    // Group columns right-aligned: each cell ends where its header ends.
    let header_end = table[0].find("A (n = 67)").unwrap() + "A (n = 67)".len();
    let men = table[3];
    assert!(men.starts_with("  M "), "{out}");
    assert_eq!(&men[header_end - "34 (50.7)".len()..header_end], "34 (50.7)", "{out}");
    assert!(out.contains("< 0.001"), "{out}");
    // The warnings follow as notes.
    let sparse = from_counts(&["no", "yes"], &["A", "B"], &[&[2, 9], &[9, 0]]);
    let out = printed(None, &["--vars", "v"], &sparse);
    assert!(out.contains("Note (v): 3 of 4 expected counts are below 5"), "{out}");
}

#[test]
fn csv_and_html_are_for_table1_only() {
    let csv = "t,e,g\n1,1,a\n2,0,b\n3,1,a\n4,1,b\n";
    for format in ["csv", "html"] {
        let full = ["km", "--time", "t", "--event", "e", "--format", format, "--data", "-"];
        let (ok, stdout, stderr) = run_cli(&full, Some(csv));
        assert!(!ok, "survkit {} should fail:\n{stdout}", full.join(" "));
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains("table1"), "{stderr}");
    }
}

// ---------------------------------------------------------------------------------------------
// Counts and percents
// ---------------------------------------------------------------------------------------------

/// Data sets from a fixed linear congruential sequence: three arms (and some rows without one),
/// a text variable with missing cells, a numeric one with four values and one with many.
/// `table1` checks every report: counts add up to the group's non-missing n, percents to 100.
#[test]
fn counts_add_up_and_percents_sum_to_100() {
    let mut state: u64 = 20240611;
    let mut next = |modulus: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % modulus
    };
    for size in [7, 23, 61, 150, 301] {
        let mut text = String::from("arm,colour,grade,weight\n");
        for _ in 0..size {
            let arm = ["A", "B", "C", ""][next(4) as usize % if size > 30 { 4 } else { 3 }];
            let colour = ["red", "green", "blue", "NA", ""][next(5) as usize];
            let grade = ["1", "2", "3", "4", "NA"][next(5) as usize];
            let weight = format!("{}.{}", 40 + next(60), next(10));
            text += &format!("{arm},{colour},{grade},{weight}\n");
        }
        for test in ["chisq", "fisher", "auto"] {
            let report = table1(&["--vars", "colour,grade,weight", "--categorical-test", test, "--pairwise"], &text);
            let n: u64 = report["groups"].as_array().unwrap().iter().map(|g| g["n"].as_u64().unwrap()).sum();
            assert_eq!(n + report["n_missing_group"].as_u64().unwrap(), size, "every row is counted once");
            assert_eq!(row(&report, "grade")["kind"], "categorical");
            assert_eq!(row(&report, "weight")["kind"], "continuous");
        }
    }
}

/// R's oneway.test stops ("not enough observations") when a group has a single value, with
/// or without equal variances; survkit gives no p and says why, and Kruskal-Wallis still runs.
#[test]
fn a_one_way_anova_with_a_single_value_group_gives_no_p() {
    let csv = "arm,age\nA,30\nA,41\nA,52\nB,44\nB,39\nB,61\nC,50\n";
    for test in ["welch", "welch-anova", "anova", "student"] {
        let report = table1(&["--vars", "age", "--continuous-test", test], csv);
        let age = row(&report, "age");
        assert!(age["p"].is_null(), "{test}: {age}");
        warns(age, &["single value", "not enough observations"]);
    }
    let report = table1(&["--vars", "age", "--continuous-test", "kruskal"], csv);
    assert!(row(&report, "age")["p"].is_number());
}
