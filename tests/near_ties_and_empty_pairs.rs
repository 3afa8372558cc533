//! R's timefix rule and the log-rank pair with nothing to test, as a user meets them on the CLI.
//! The numbers themselves are checked against R by the golden fixtures (near_ties.csv,
//! aml_dummy.csv, nothing_to_test.csv); these tests check what the user is told.

mod common;

use common::{says, succeeds, CLOSED_FORM_RELATIVE};
use serde_json::Value;

/// 2 and sqrt(2)^2 = 2.0000000000000004, both deaths, one in each group: one time for R.
const NEAR_TWO: &str = "time,status,group\n1,1,a\n2,1,a\n3,0,a\n2.0000000000000004,1,b\n1.5,0,b\n";

fn json(args: &[&str], csv: &str) -> Value {
    let mut full = args.to_vec();
    full.extend(["--data", "-", "--format", "json"]);
    serde_json::from_str(&succeeds(&full, csv)).expect("JSON")
}

/// R: `summary(survfit(Surv(time, status) ~ group), times = 2)` gives S(2) = 1/3 in a and 0 in b
/// (the two deaths are tied at 2); with `timefix = FALSE` b's death is after 2.
#[test]
fn near_equal_times_are_one_time_as_in_r() {
    let km = json(&["km", "--time", "time", "--event", "status", "--group", "group", "--at", "2"], NEAR_TWO);
    let surv = |report: &Value, group: usize| report["groups"][group]["at"][0]["surv"].as_f64().unwrap();
    assert!((surv(&km, 0) - 1.0 / 3.0).abs() <= CLOSED_FORM_RELATIVE);
    assert_eq!(surv(&km, 1), 0.0);
    assert_eq!(km["merged_times"]["rows"], 1);
    let exact = json(
        &["km", "--time", "time", "--event", "status", "--group", "group", "--at", "2", "--timefix", "false"],
        NEAR_TWO,
    );
    assert_eq!(surv(&exact, 1), 1.0);
    assert!(exact.get("merged_times").is_none(), "nothing merged, nothing said: {exact}");

    let text = succeeds(&["km", "--time", "time", "--event", "status", "--group", "group", "--data", "-"], NEAR_TWO);
    says(&text, &["1 time within 1.49e-8", "R's timefix = TRUE", "--timefix false"]);
}

/// Times that differ by more than the tolerance are left alone, so nothing is said.
#[test]
fn distinct_times_get_no_note() {
    let csv = "time,status\n1,1\n1.000001,1\n2,0\n";
    let km = json(&["km", "--time", "time", "--event", "status"], csv);
    assert!(km.get("merged_times").is_none());
    assert_eq!(km["groups"][0]["steps"]["time"].as_array().unwrap().len(), 3);
}

/// Cox and follow-up merge too; the range of follow-up is of the times as written (R's range()).
#[test]
fn cox_and_follow_up_merge_and_say_so() {
    let cox = json(&["cox", "--time", "time", "--event", "status", "--covariates", "group"], NEAR_TWO);
    assert_eq!(cox["merged_times"]["rows"], 1);
    let followup =
        json(&["followup", "--time", "time", "--event", "status"], "time,status\n1,0\n3,1\n3.0000000000000004,0\n");
    assert_eq!(followup["merged_times"]["rows"], 1);
    assert_eq!(followup["max"], 3.0000000000000004);
}

/// A pair whose second group has no expected events: chisq 0 on 0 df and p 1, counted in the
/// adjustment, and the text says why.
#[test]
fn a_pair_with_nothing_to_test_is_reported_as_r_does() {
    let csv = "time,status,x\n5,1,A\n8,1,A\n9,0,A\n6,1,B\n12,1,B\n13,0,B\n1,0,C\n2,0,C\n";
    let args = ["logrank", "--time", "time", "--event", "status", "--group", "x", "--pairwise", "--adjust", "holm"];
    let report = json(&args, csv);
    let pairs = report["pairwise"].as_array().unwrap();
    let empty: Vec<&Value> = pairs.iter().filter(|pair| pair["df"] == 0).collect();
    assert_eq!(empty.len(), 2, "{pairs:?}");
    for pair in &empty {
        assert_eq!(
            (pair["chisq"].as_f64(), pair["p"].as_f64(), pair["p_adjusted"].as_f64()),
            (Some(0.0), Some(1.0), Some(1.0))
        );
    }
    // Holm over all three pairs: the A vs B p is multiplied by 3.
    let a_b = &pairs[0];
    assert_eq!((a_b["group_a"].as_str(), a_b["group_b"].as_str()), (Some("A"), Some("B")));
    let (p, adjusted) = (a_b["p"].as_f64().unwrap(), a_b["p_adjusted"].as_f64().unwrap());
    assert!((adjusted - (3.0 * p).min(1.0)).abs() <= CLOSED_FORM_RELATIVE, "{p} {adjusted}");

    let mut text_args = args.to_vec();
    text_args.extend(["--data", "-"]);
    says(&succeeds(&text_args, csv), &["A vs C: nothing to test", "chisq 0 on 0 df, p = 1"]);
}

/// Only one group has expected events: the whole test has nothing to test.
#[test]
fn a_test_with_nothing_to_test_is_reported_as_r_does() {
    let csv = "time,status,x\n5,1,A\n8,1,A\n9,0,A\n1,0,C\n2,0,C\n";
    let args = ["logrank", "--time", "time", "--event", "status", "--group", "x"];
    let report = json(&args, csv);
    assert_eq!(
        (report["chisq"].as_f64(), report["df"].as_u64(), report["p"].as_f64()),
        (Some(0.0), Some(0), Some(1.0))
    );
    let mut text_args = args.to_vec();
    text_args.extend(["--data", "-"]);
    says(&succeeds(&text_args, csv), &["Nothing to test", "p = 1"]);
}
