//! `survkit followup`: median follow-up by the reverse Kaplan-Meier method, as
//! `survfit(Surv(time, 1 - status) ~ group)`, with each group's range of times.

use super::frames::{group_column, merged_times, rows_by_group, survival_frame};
use super::request::FollowUpRequest;
use crate::data::{Factor, Table};
use crate::error::Error;
use crate::estimate::followup::{follow_up, FollowUpOptions};
use crate::report::AnalysisName;
use crate::report::{FollowUpGroup, FollowUpReport};

pub fn follow_up_report(table: &Table, request: &FollowUpRequest) -> Result<FollowUpReport, Error> {
    let options = FollowUpOptions { conf_level: request.conf_level.0, ..FollowUpOptions::default() };
    let raw_frame = survival_frame(table, &request.endpoint, group_column(&request.group), None)?;
    // The reverse Kaplan-Meier is a survfit, so it sees the merged times; the range is R's
    // range(time), of the times as written, taken before they are merged.
    let (min, max) = range(&raw_frame.time);
    let group_ranges = raw_frame.group.as_ref().map(|group| ranges_by_group(&raw_frame.time, group));
    let (frame, merged) = merged_times(raw_frame, request.endpoint.time_fix());
    let overall = follow_up(&frame.time, &frame.event, &options);
    let groups = match group_ranges {
        Some(ranges) => rows_by_group(&frame)
            .into_iter()
            .zip(ranges)
            .map(|((label, rows), (min, max))| {
                let (time, event): (Vec<f64>, Vec<bool>) = rows.into_iter().unzip();
                let result = follow_up(&time, &event, &options);
                FollowUpGroup { group: label.unwrap_or_default(), n: result.n, median: result.median.into(), min, max }
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(FollowUpReport {
        analysis: AnalysisName::Followup,
        notices: frame.notices.clone(),
        conf_level: options.conf_level,
        n: overall.n,
        n_dropped: frame.n_dropped,
        merged_times: merged,
        median: overall.median.into(),
        min,
        max,
        groups,
    })
}

/// Each group's smallest and largest time, in the order of the group's labels.
fn ranges_by_group(time: &[f64], group: &Factor) -> Vec<(f64, f64)> {
    let mut ranges = vec![(f64::INFINITY, f64::NEG_INFINITY); group.labels.len()];
    for (value, code) in time.iter().zip(&group.codes) {
        let (low, high) = &mut ranges[*code as usize];
        (*low, *high) = (low.min(*value), high.max(*value));
    }
    ranges
}

/// The smallest and largest time (R's `range(time)`); the frame is never empty.
fn range(time: &[f64]) -> (f64, f64) {
    time.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), value| (low.min(*value), high.max(*value)))
}
