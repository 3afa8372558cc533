//! A survival frame: the time, event, group and stratum of each complete row, ready for an estimator.
//!
//! Rows with a missing cell in any column the analysis uses are dropped and counted, as R's
//! `na.action = na.omit` does. Every problem with the columns themselves (text among numbers,
//! negative times, unreadable events) is collected and reported together.

use super::column::Factor;
use super::design::{DesignSpec, ModelFrame, ModelSpec};
use super::event::EventCoding;
use super::table::Table;
use crate::error::Error;

/// Which columns of a table make the frame.
#[derive(Debug, Clone, Copy)]
pub struct FrameSpec<'a> {
    /// The start column of (start, stop] rows, as `Surv(start, time, event)`.
    pub start: Option<&'a str>,
    pub time: &'a str,
    pub event: &'a str,
    pub group: Option<&'a str>,
    pub strata: Option<&'a str>,
    pub event_coding: &'a EventCoding,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalFrame {
    /// Each row's start, below its `time`, for (start, stop] rows (delayed entry).
    pub start: Option<Vec<f64>>,
    pub time: Vec<f64>,
    pub event: Vec<bool>,
    pub group: Option<Factor>,
    pub strata: Option<Factor>,
    /// Rows dropped for a missing value in a used column.
    pub n_dropped: usize,
    /// What the user should know about how the event column was read.
    pub notices: Vec<String>,
    /// The data rows the frame keeps (indices into the table), in its order.
    pub rows: Vec<usize>,
}

impl SurvivalFrame {
    /// # Errors
    /// Unknown columns, text in the time column, negative times and unreadable events, all
    /// collected into one error; [`Error::NoCompleteRows`] when every row has a missing value.
    pub fn build(table: &Table, spec: &FrameSpec<'_>) -> Result<SurvivalFrame, Error> {
        let design = DesignSpec::default();
        let model = ModelSpec {
            start: spec.start,
            time: spec.time,
            status: spec.event,
            group: spec.group,
            strata: spec.strata,
            design: &design,
        };
        let mut notices = Vec::new();
        let frame = ModelFrame::build(table, &model, |column, rows, spreadsheet_rows| {
            let reading = spec.event_coding.decode(column, rows, spreadsheet_rows)?;
            notices.extend(reading.notice);
            Ok(reading.events.into_iter().map(|event| f64::from(u8::from(event))).collect())
        })?;
        Ok(SurvivalFrame {
            event: frame.status.iter().map(|status| *status == 1.0).collect(),
            start: frame.start,
            time: frame.time,
            group: frame.group,
            strata: frame.strata,
            n_dropped: frame.n_dropped,
            notices,
            rows: frame.rows,
        })
    }

    /// The frame on some of its rows (positions into the frame, in the order given), as R's
    /// `subset`: groups and strata no row holds any more are left out (`droplevels`).
    pub fn subset(&self, rows: &[usize]) -> SurvivalFrame {
        SurvivalFrame {
            start: self.start.as_ref().map(|start| rows.iter().map(|row| start[*row]).collect()),
            time: rows.iter().map(|row| self.time[*row]).collect(),
            event: rows.iter().map(|row| self.event[*row]).collect(),
            group: self.group.as_ref().map(|factor| factor.subset(rows)),
            strata: self.strata.as_ref().map(|factor| factor.subset(rows)),
            n_dropped: self.n_dropped,
            notices: self.notices.clone(),
            rows: rows.iter().map(|row| self.rows[*row]).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.time.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ReadOptions;

    fn build(text: &str, group: Option<&str>) -> Result<SurvivalFrame, Error> {
        let table = Table::parse(text, &ReadOptions::default()).unwrap();
        let coding = EventCoding::Automatic;
        SurvivalFrame::build(
            &table,
            &FrameSpec { start: None, time: "t", event: "e", group, strata: None, event_coding: &coding },
        )
    }

    #[test]
    fn drops_and_counts_incomplete_rows() {
        let frame = build("t,e,g\n1,1,A\n2,,B\nNA,0,A\n3,0,\n4,0,B\n", Some("g")).unwrap();
        assert_eq!(frame.time, vec![1.0, 4.0]);
        assert_eq!(frame.event, vec![true, false]);
        assert_eq!(frame.n_dropped, 3);
        assert_eq!(frame.group.unwrap().labels, vec!["A", "B"]);
    }

    #[test]
    fn a_missing_group_cell_only_matters_when_grouping() {
        assert_eq!(build("t,e,g\n1,1,\n2,0,B\n", None).unwrap().n_dropped, 0);
    }

    #[test]
    fn collects_every_problem_at_once() {
        let error = build("t,e\n1,1\n-2,0\nx,1\n3,7\n", None).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("column \"t\" must hold numbers, but this cell is not: row 4: \"x\""), "{message}");
        assert!(message.contains("column \"e\" does not say event or censored: row 5: \"7\""), "{message}");
        assert_eq!(error.row(), Some(4));
    }

    #[test]
    fn negative_times_are_errors_and_zero_is_fine() {
        let error = build("t,e\n0,1\n-2,0\n", None).unwrap_err();
        assert_eq!(error.row(), Some(3));
        assert_eq!(error.column(), Some("t"));
        assert!(error.to_string().contains("negative times: row 3: \"-2\""), "{error}");
    }

    #[test]
    fn unknown_columns_are_all_named() {
        let error = build("time,status\n1,1\n", Some("arm")).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("column \"t\" is not in the file; its columns are \"time\", \"status\""), "{message}");
        assert!(message.contains("column \"arm\" is not in the file"), "{message}");
    }

    #[test]
    fn nothing_left_is_an_error() {
        assert_eq!(build("t,e\nNA,1\n", None).unwrap_err(), Error::NoCompleteRows { dropped: 1 });
    }
}
