//! What the single-endpoint analyses share: the frame of an endpoint (km, logrank, followup),
//! R's `timefix` applied to it, its rows split by group, and the frame of a time-dependent
//! exposure (mantel-byar, simon-makuch).

use super::request::{optional_column, Endpoint};
use crate::data::{DesignSpec, Factor, FrameSpec, ModelFrame, ModelSpec, SurvivalFrame, Table};
use crate::error::{BadCells, Error};
use crate::estimate::timefix::{merge_near_ties, TimeFix};
use crate::report::MergedTimesReport;

/// The frame of an endpoint, with `group` and `strata` as the request names them.
pub(super) fn survival_frame(
    table: &Table,
    endpoint: &Endpoint,
    group: Option<&str>,
    strata: Option<&str>,
) -> Result<SurvivalFrame, Error> {
    survival_frame_with_start(table, endpoint, None, group, strata)
}

/// [`survival_frame`] of (start, stop] rows when `start` names a column (km's `--start`).
pub(super) fn survival_frame_with_start(
    table: &Table,
    endpoint: &Endpoint,
    start: Option<&str>,
    group: Option<&str>,
    strata: Option<&str>,
) -> Result<SurvivalFrame, Error> {
    let coding = endpoint.event_coding();
    let spec = FrameSpec {
        start: start.map(str::trim).filter(|name| !name.is_empty()),
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

/// The frame of a time-dependent exposure (mantel-byar, simon-makuch): the follow-up times and
/// events, and each row's exposure time (`None`: never exposed), with the rows dropped and the
/// notices of the event column.
pub(super) struct ExposureFrame {
    /// The data rows the frame keeps (indices into the table), in its order.
    pub rows: Vec<usize>,
    pub time: Vec<f64>,
    pub event: Vec<bool>,
    pub exposure: Vec<Option<f64>>,
    pub n_dropped: usize,
    pub notices: Vec<String>,
}

/// The endpoint's frame (the one frame builder) with the exposure column read for its rows;
/// `what` names the analysis in a refusal.
///
/// # Errors
/// The frame's problems; then text in the exposure column, negative exposure times and
/// follow-up times of 0 (no (0, t] interval: R's tmerge refuses them), every row listed.
pub(super) fn exposure_frame(
    table: &Table,
    endpoint: &Endpoint,
    exposure_column: &str,
    what: &str,
) -> Result<ExposureFrame, Error> {
    let coding = endpoint.event_coding();
    let design = DesignSpec::default();
    let spec = ModelSpec {
        start: None,
        time: endpoint.time.trim(),
        status: endpoint.event.trim(),
        group: None,
        strata: None,
        design: &design,
    };
    let mut notices = Vec::new();
    let frame = ModelFrame::build(table, &spec, |column, rows, spreadsheet_rows| {
        let reading = coding.decode(column, rows, spreadsheet_rows)?;
        notices.extend(reading.notice);
        Ok(reading.events.into_iter().map(|event| f64::from(u8::from(event))).collect())
    })?;
    let exposure = read_exposure(table, exposure_column, &frame.rows, &frame.time, what)?;
    Ok(ExposureFrame {
        rows: frame.rows,
        event: frame.status.iter().map(|status| *status == 1.0).collect(),
        time: frame.time,
        exposure,
        n_dropped: frame.n_dropped,
        notices,
    })
}

/// The exposure column read on a frame's `rows` (whose follow-up times are `time`), for the
/// analyses that split the follow-up at it: `None` for an empty cell (never exposed); `what`
/// names the analysis in a refusal.
///
/// # Errors
/// Text in the column, negative exposure times and follow-up times of 0 (no (0, t] interval:
/// R's tmerge refuses them), every row listed.
pub(super) fn read_exposure(
    table: &Table,
    exposure_column: &str,
    rows: &[usize],
    time: &[f64],
    what: &str,
) -> Result<Vec<Option<f64>>, Error> {
    let (exposure, negative) = exposure_times(table, exposure_column, rows)?;
    let mut zero_time = BadCells::default();
    for (row, time) in rows.iter().zip(time) {
        if *time == 0.0 {
            zero_time.push(table.spreadsheet_row(*row), "0");
        }
    }
    let mut problems: Vec<Error> = negative.into_iter().collect();
    if !zero_time.is_empty() {
        problems.push(Error::NotEstimable {
            what: what.into(),
            reason: format!(
                "a follow-up time of 0 has no (0, t] interval to count at risk ({zero_time}), as R's tmerge \
                 refuses it; drop those rows or give them a small positive time"
            ),
        });
    }
    match Error::combine(problems) {
        Some(error) => Err(error),
        None => Ok(exposure),
    }
}

/// Each patient's follow-up split at the exposure as `tmerge(..., tdc(exposure))` splits it:
/// (0, x] unexposed and (x, t] exposed when 0 < x < t; (0, t] exposed when x = 0; (0, t]
/// unexposed when x is missing or at or after t.
pub(super) struct SplitFollowUp {
    pub start: Vec<f64>,
    pub stop: Vec<f64>,
    pub exposed: Vec<bool>,
    /// The patient (index into the frame) each interval belongs to.
    pub owner: Vec<usize>,
}

pub(super) fn split_at_exposure(time: &[f64], exposure: &[Option<f64>]) -> SplitFollowUp {
    let mut split = SplitFollowUp { start: Vec::new(), stop: Vec::new(), exposed: Vec::new(), owner: Vec::new() };
    for (patient, (time, exposure)) in time.iter().zip(exposure).enumerate() {
        match exposure {
            Some(at) if *at > 0.0 && at < time => {
                split.start.extend([0.0, *at]);
                split.stop.extend([*at, *time]);
                split.exposed.extend([false, true]);
                split.owner.extend([patient; 2]);
            }
            _ => {
                split.start.push(0.0);
                split.stop.push(*time);
                split.exposed.push(exposure.is_some_and(|at| at <= 0.0));
                split.owner.push(patient);
            }
        }
    }
    split
}

/// The exposure time of each of `rows` (data rows of the table) from `exposure_column`: `None`
/// for an empty cell (never exposed), and, as its second value, the refusal of the negative
/// exposure times, every row listed (a caller with problems of its own reports them together).
///
/// # Errors
/// An unknown column, or text in it, every cell listed.
pub(super) fn exposure_times(
    table: &Table,
    exposure_column: &str,
    rows: &[usize],
) -> Result<(Vec<Option<f64>>, Option<Error>), Error> {
    let column = table.column(exposure_column.trim())?;
    let values = column.numbers(&table.spreadsheet_rows)?;
    let mut negative = BadCells::default();
    let exposure = rows
        .iter()
        .map(|row| {
            let value = values.get(*row).copied().filter(|value| !value.is_nan());
            if value.is_some_and(|value| value < 0.0) {
                negative.push(table.spreadsheet_row(*row), &column.cell_text(*row));
            }
            value
        })
        .collect();
    let negative = (!negative.is_empty()).then(|| Error::NegativeTime { column: column.name.clone(), cells: negative });
    Ok((exposure, negative))
}
