//! What the single-endpoint analyses (km, logrank, followup) share: the frame of an endpoint,
//! R's `timefix` applied to it, and its rows split by group.

use super::request::{optional_column, Endpoint};
use crate::data::{Factor, FrameSpec, SurvivalFrame, Table};
use crate::error::Error;
use crate::estimate::timefix::{merge_near_ties, TimeFix};
use crate::report::MergedTimesReport;

/// The frame of an endpoint, with `group` and `strata` as the request names them.
pub(super) fn survival_frame(
    table: &Table,
    endpoint: &Endpoint,
    group: Option<&str>,
    strata: Option<&str>,
) -> Result<SurvivalFrame, Error> {
    let coding = endpoint.event_coding();
    let spec = FrameSpec {
        time: endpoint.time.trim(),
        event: endpoint.event.trim(),
        group: group.map(str::trim).filter(|name| !name.is_empty()),
        strata,
        event_coding: &coding,
    };
    SurvivalFrame::build(table, &spec)
}

/// An optional group column, `None` when blank.
pub(super) fn group_column(group: &Option<String>) -> Option<&str> {
    optional_column(group)
}

/// The frame with R's `timefix` rule applied to all its rows together (as `survfit`, `survdiff`
/// and `coxph` apply `aeqSurv` to the whole response before splitting it by group), and how
/// many rows it moved.
pub(super) fn merged_times(frame: SurvivalFrame, fix: TimeFix) -> (SurvivalFrame, Option<MergedTimesReport>) {
    let merged = merge_near_ties(&frame.time, fix);
    (SurvivalFrame { time: merged.time, ..frame }, MergedTimesReport::of(merged.moved))
}

/// A group's label (`None` without a group column) and its (time, event) rows.
pub(super) type GroupRows = (Option<String>, Vec<(f64, bool)>);

/// Each group's label (`None` without a group column) and its (time, event) rows sorted by time.
pub(super) fn rows_by_group(frame: &SurvivalFrame) -> Vec<GroupRows> {
    let rows = frame.time.iter().copied().zip(frame.event.iter().copied());
    let mut groups: Vec<GroupRows> = match &frame.group {
        None => vec![(None, rows.collect())],
        Some(Factor { labels, codes }) => {
            let mut groups: Vec<_> = labels.iter().map(|label| (Some(label.clone()), Vec::new())).collect();
            for (row, code) in rows.zip(codes) {
                groups[*code as usize].1.push(row);
            }
            groups
        }
    };
    for (_, rows) in &mut groups {
        rows.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    }
    groups
}
