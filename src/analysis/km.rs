//! `survkit km`: Kaplan-Meier curves per group, as `survfit(Surv(time, status) ~ group)` with
//! `summary(fit, times = at)` and the median of `print(fit)`; with a landmark, on the patients
//! still followed after it, by exposure state at it with an exposure column
//! ([`super::landmark`]). With a start column, each row is an interval (start, stop] with
//! delayed entry: `survfit(Surv(start, stop, event) ~ group)`, the estimator of
//! [`crate::estimate::simon_makuch::kaplan_meier_with_entry`], R's `timefix` over both ends.

use super::frames::{group_column, merged_times, rows_by_group, survival_frame_with_start};
use super::landmark::landmark_survival_frame;
use super::request::{optional_column, KmRequest};
use crate::data::{SurvivalFrame, Table};
use crate::error::Error;
use crate::estimate::km::{kaplan_meier_sorted, SurvivalCurve};
use crate::estimate::simon_makuch::{kaplan_meier_with_entry, Interval};
use crate::estimate::timefix::merge_near_tied_intervals;
use crate::report::AnalysisName;
use crate::report::{KmGroup, KmReport, MergedTimesReport, RiskSet, StepTable};

pub fn kaplan_meier_report(table: &Table, request: &KmRequest) -> Result<KmReport, Error> {
    let options = request.curve.kaplan_meier();
    let at = &request.curve.at;
    let frame = survival_frame_with_start(
        table,
        &request.endpoint,
        optional_column(&request.start),
        group_column(&request.group),
        None,
    )?;
    if frame.start.is_some() {
        return entry_report(table, frame, request);
    }
    let (frame, landmark) = landmark_survival_frame(table, frame, &request.landmark)?;
    let (frame, merged) = merged_times(frame, request.endpoint.time_fix());
    let groups = rows_by_group(&frame)
        .into_iter()
        .map(|(group, rows)| group_report(group, &kaplan_meier_sorted(&rows, &options), at))
        .collect();
    Ok(KmReport {
        analysis: AnalysisName::Km,
        notices: frame.notices.clone(),
        conf_type: options.conf_type,
        conf_level: options.conf_level,
        n_dropped: frame.n_dropped,
        landmark,
        start: None,
        merged_times: merged,
        groups,
    })
}

/// A group's curve: its counts, median, values at `at` and steps.
fn group_report(group: Option<String>, curve: &SurvivalCurve, at: &[f64]) -> KmGroup {
    KmGroup {
        group,
        n: curve.n,
        events: curve.n_event.iter().sum(),
        median: curve.median().into(),
        at: at.iter().map(|time| curve.at(*time)).collect(),
        steps: StepTable::from(curve),
        n_enter: None,
        risk_set: None,
    }
}

/// Kaplan-Meier curves of (start, stop] rows, one per group.
fn entry_report(table: &Table, frame: SurvivalFrame, request: &KmRequest) -> Result<KmReport, Error> {
    let options = request.curve.kaplan_meier();
    let start = frame.start.clone().unwrap_or_default();
    let rows: Vec<usize> = frame.rows.iter().map(|row| table.spreadsheet_row(*row)).collect();
    let (start_merged, stop_merged) =
        merge_near_tied_intervals(&start, &frame.time, &rows, request.endpoint.time_fix())?;
    let moved = (0..rows.len())
        .filter(|index| start_merged[*index] != start[*index] || stop_merged[*index] != frame.time[*index])
        .count();
    let intervals: Vec<Interval> = (0..rows.len())
        .map(|index| Interval { entry: start_merged[index], exit: stop_merged[index], event: frame.event[index] })
        .collect();
    let groups: Vec<(Option<String>, Vec<Interval>)> = match &frame.group {
        None => vec![(None, intervals)],
        Some(factor) => {
            let mut groups: Vec<_> = factor.labels.iter().map(|label| (Some(label.clone()), Vec::new())).collect();
            for (interval, code) in intervals.into_iter().zip(&factor.codes) {
                groups[*code as usize].1.push(interval);
            }
            groups
        }
    };
    let groups = groups
        .into_iter()
        .map(|(group, intervals)| {
            let fit = kaplan_meier_with_entry(&intervals, &options);
            KmGroup {
                n_enter: Some(fit.n_enter.clone()),
                risk_set: Some(RiskSet {
                    time: fit.risk_time.clone(),
                    n_risk: fit.risk_n.clone(),
                    n_censor: fit.risk_censor.clone(),
                }),
                ..group_report(group, &fit.curve, &request.curve.at)
            }
        })
        .collect();
    Ok(KmReport {
        analysis: AnalysisName::Km,
        notices: frame.notices.clone(),
        conf_type: options.conf_type,
        conf_level: options.conf_level,
        n_dropped: frame.n_dropped,
        landmark: None,
        start: optional_column(&request.start).map(str::to_string),
        merged_times: MergedTimesReport::of(moved),
        groups,
    })
}

#[cfg(test)]
mod tests {
    use crate::analysis::{analyze_table, Request};
    use crate::data::{ReadOptions, Table};
    use crate::report::Report;

    fn run(csv: &str, json: &str) -> Result<Report, crate::error::Error> {
        let table = Table::parse(csv, &ReadOptions::default()).unwrap();
        analyze_table(&table, &Request::from_json(json)?)
    }

    const START: &str = r#"{"analysis":"km","start":"s","time":"t","event":"e"}"#;

    #[test]
    fn delayed_entry_counts_a_row_at_risk_only_inside_its_interval() {
        // (0, 9] censored, (1, 5] event, (3, 9] event: at 5 three at risk, at 9 two.
        let Report::Km(report) = run("s,t,e\n0,9,0\n1,5,1\n3,9,1\n", START).unwrap() else { panic!() };
        let group = &report.groups[0];
        assert_eq!(group.steps.n_risk, vec![3, 2]);
        assert_eq!(group.n_enter.as_deref(), Some(&[2, 0][..]));
        assert_eq!(group.risk_set.as_ref().map(|risk| risk.n_risk.clone()), Some(vec![1, 2, 3, 2]));
        assert_eq!(report.start.as_deref(), Some("s"));
    }

    #[test]
    fn refuses_starts_not_before_their_stop_and_a_start_with_a_landmark() {
        let message = run("s,t,e\n0,5,1\n6,5,0\n", START).unwrap_err().to_string();
        assert!(message.contains("row 3") && message.contains("\"s\""), "{message}");
        let with_landmark = START.replace("}", r#","landmark":2}"#);
        assert!(Request::from_json(&with_landmark).unwrap_err().to_string().starts_with("start: "));
    }
}
