//! Landmark analysis: the patients still followed after a landmark time T, their clock restarted
//! at T, and, with an exposure column, grouped by their exposure status at T (Anderson, Cain &
//! Gelber 1983, the remedy for the immortal-time bias of comparing by a response or a transplant
//! that happens during follow-up; Dafni 2011, "Landmark analysis at the 25-year landmark point",
//! Circ Cardiovasc Qual Outcomes 4:363-371).
//!
//! # Conventions
//! For a landmark T (finite, 0 or more, in the follow-up times' unit) and a patient followed to
//! `time` with or without an event:
//! - kept when `time > T`: still followed after T. A patient whose event or censoring is at or
//!   before T is left out, counted by reason (`n_excluded_event`, `n_excluded_censored`; for
//!   competing risks an event of any cause). An event exactly at T is left out: the landmark
//!   conditions on being event-free *after* T, and a kept patient must have follow-up beyond T
//!   (after the shift a time of 0 would be an event at the new origin, which no landmark
//!   analysis counts).
//! - the kept patients' time becomes `time - T` (computed in f64, as R does), so every result's
//!   time is a time since the landmark; the event or cause is unchanged.
//! - exposed at T when the exposure time is present and `<= T` (an exposure exactly at T counts
//!   as exposed), unexposed otherwise: an empty cell (never exposed) and an exposure after T
//!   alike, whatever happens later (the landmark compares by the status known at T). This is
//!   `tmerge`'s `tdc(exposure)` rule read at T, the one mantel-byar and simon-makuch use: the
//!   covariate is 1 on (e, stop], so on all of (T, stop] when e <= T. A negative exposure time is
//!   refused, naming its rows; the exposure of a row dropped for a missing time or event is not
//!   read.
//! - the comparison with T is on the times as written, as R's `subset` is; R's `timefix` (km,
//!   logrank) is applied afterwards to the shifted times, as `survfit` and `survdiff` apply
//!   `aeqSurv` to the `Surv(time - T, status)` they are given.
//! - groups: with an exposure column the groups are the exposure states, `unexposed` then
//!   `exposed` (R's factor levels of `txtime <= T`, FALSE before TRUE); a state no kept patient
//!   is in is left out, as `survfit` and `cuminc` leave out an empty level, and the log-rank test,
//!   which needs both (`survdiff` refuses one group), is refused. Without one, a group column's
//!   groups are those of the kept patients (`droplevels`).
//! - no patient left after T is refused, with the counts of those left out.
//!
//! survival has no landmark function: its `timedep` vignette names the bias (citing Anderson
//! 1983) and leaves the landmark to the user's `subset`. The R calls reproduced, with
//! `T` the landmark and `txtime` the exposure column (tests/reference/generate_landmark.R):
//!
//! ```text
//! d <- subset(d, futime > T); d$futime <- d$futime - T
//! d$exposed <- factor(!is.na(d$txtime) & d$txtime <= T, c(FALSE, TRUE), c("unexposed", "exposed"))
//! survfit(Surv(futime, death) ~ exposed, data = d)    # km --landmark T --exposure-time txtime
//! survdiff(Surv(futime, death) ~ exposed, data = d)   # logrank --landmark T --exposure-time txtime
//! cuminc(d$time, d$status, group = d$exposed)         # cif --landmark T --exposure-time txtime
//! ```
//!
//! [`landmark_rows`] is the selection on plain vectors, for any frame (the Cox model's too);
//! [`landmark_survival_frame`] and [`landmark_model_frame`] apply it to the frames of km,
//! logrank and cif.

use super::frames::exposure_times;
use super::request::Landmark;
use crate::data::{Factor, ModelFrame, SurvivalFrame, Table};
use crate::error::Error;
use crate::report::{ExposureState, LandmarkSelection};

/// The rows a landmark keeps, their shifted times, their exposure status at the landmark, and
/// the counts of the rows left out.
#[derive(Debug, Clone, PartialEq)]
pub struct LandmarkRows {
    /// The landmark time T.
    pub landmark: f64,
    /// Positions (into the vectors given) of the rows kept, in their order.
    pub rows: Vec<usize>,
    /// `time - T` of each kept row.
    pub time: Vec<f64>,
    /// Each kept row's exposure status at T (`None` without an exposure column).
    pub exposed: Option<Vec<bool>>,
    /// Rows given.
    pub n_before: usize,
    /// Rows left out for an event at or before T.
    pub n_excluded_event: usize,
    /// Rows left out for censoring at or before T.
    pub n_excluded_censored: usize,
}

/// The landmark selection at `landmark` (T) of rows with follow-up `time`, `event` (an event of
/// any cause) and, optionally, `exposure` times (`None`: never exposed): see the module's
/// conventions.
///
/// # Errors
/// [`Error::NotEstimable`] when no row is followed after T.
pub fn landmark_rows(
    landmark: f64,
    time: &[f64],
    event: &[bool],
    exposure: Option<&[Option<f64>]>,
) -> Result<LandmarkRows, Error> {
    let rows: Vec<usize> = (0..time.len()).filter(|row| time[*row] > landmark).collect();
    let n_excluded_event = (0..time.len()).filter(|row| time[*row] <= landmark && event[*row]).count();
    let n_before = time.len();
    let n_excluded_censored = n_before - rows.len() - n_excluded_event;
    if rows.is_empty() {
        return Err(Error::NotEstimable {
            what: "the landmark analysis".into(),
            reason: format!(
                "no patient is still followed after the landmark {} ({n_excluded_event} had an event and \
                 {n_excluded_censored} were censored at or before it); choose an earlier landmark",
                crate::data::format_number(landmark)
            ),
        });
    }
    Ok(LandmarkRows {
        landmark,
        time: rows.iter().map(|row| time[*row] - landmark).collect(),
        exposed: exposure.map(|exposure| {
            rows.iter().map(|row| exposure.get(*row).copied().flatten().is_some_and(|at| at <= landmark)).collect()
        }),
        rows,
        n_before,
        n_excluded_event,
        n_excluded_censored,
    })
}

impl LandmarkRows {
    /// The exposure states at T as a factor (`unexposed`, then `exposed`; a state no kept row
    /// is in left out), `None` without an exposure column.
    pub fn exposure_factor(&self) -> Option<Factor> {
        let exposed = self.exposed.as_ref()?;
        let all = Factor {
            labels: [ExposureState::Unexposed, ExposureState::Exposed]
                .iter()
                .map(|state| state.name().into())
                .collect(),
            codes: exposed.iter().map(|exposed| u32::from(*exposed)).collect(),
        };
        Some(all.subset(&(0..exposed.len()).collect::<Vec<_>>()))
    }

    /// The report's account of the selection.
    pub fn selection(&self, choice: &Landmark) -> LandmarkSelection {
        LandmarkSelection {
            landmark: self.landmark,
            n_before: self.n_before,
            n_kept: self.rows.len(),
            n_excluded_event: self.n_excluded_event,
            n_excluded_censored: self.n_excluded_censored,
            exposure_time: choice.exposure_column().map(str::to_string),
            exposure_name: choice.exposure_column().and(optional_name(choice)),
            n_exposed: self.exposed.as_ref().map(|exposed| exposed.iter().filter(|exposed| **exposed).count()),
        }
    }
}

fn optional_name(choice: &Landmark) -> Option<String> {
    super::request::optional_column(&choice.exposure_name).map(str::to_string)
}

/// The exposure times of the frame's `rows` (data rows of the table), `None` without an
/// exposure column.
///
/// # Errors
/// An unknown exposure column, text in it, or negative exposure times, every row listed.
fn frame_exposure(table: &Table, choice: &Landmark, rows: &[usize]) -> Result<Option<Vec<Option<f64>>>, Error> {
    let Some(column) = choice.exposure_column() else { return Ok(None) };
    let (exposure, negative) = exposure_times(table, column, rows)?;
    match negative {
        Some(error) => Err(error),
        None => Ok(Some(exposure)),
    }
}

/// A survival frame (km, logrank) after the landmark: the kept rows with their times shifted
/// and, with an exposure column, the exposure states at T as the group; unchanged, with no
/// selection, without a landmark.
///
/// # Errors
/// The exposure column's problems; no patient left after T.
pub(super) fn landmark_survival_frame(
    table: &Table,
    frame: SurvivalFrame,
    choice: &Landmark,
) -> Result<(SurvivalFrame, Option<LandmarkSelection>), Error> {
    let Some(landmark) = choice.landmark else { return Ok((frame, None)) };
    let exposure = frame_exposure(table, choice, &frame.rows)?;
    let kept = landmark_rows(landmark, &frame.time, &frame.event, exposure.as_deref())?;
    let mut landmarked = frame.subset(&kept.rows);
    landmarked.time.clone_from(&kept.time);
    if let Some(states) = kept.exposure_factor() {
        landmarked.group = Some(states);
    }
    Ok((landmarked, Some(kept.selection(choice))))
}

/// A model frame (cif; the Cox model's too) after the landmark at `landmark`, with `event` (an
/// event of any cause) per row: the kept rows with their times shifted and, with an exposure
/// column, the exposure states at T as the group; and the positions kept, for the caller's own
/// per-row values.
///
/// # Errors
/// The exposure column's problems; no patient left after T.
pub fn landmark_model_frame(
    table: &Table,
    frame: &ModelFrame,
    event: &[bool],
    landmark: f64,
    choice: &Landmark,
) -> Result<(ModelFrame, LandmarkRows), Error> {
    let exposure = frame_exposure(table, choice, &frame.rows)?;
    let kept = landmark_rows(landmark, &frame.time, event, exposure.as_deref())?;
    let mut landmarked = frame.subset(&kept.rows);
    landmarked.time.clone_from(&kept.time);
    if let Some(states) = kept.exposure_factor() {
        landmarked.group = Some(states);
    }
    Ok((landmarked, kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_or_censoring_at_the_landmark_leaves_the_patient_out() {
        let time = [1.0, 2.0, 2.0, 3.0, 5.0, 2.5];
        let event = [true, true, false, false, true, true];
        let kept = landmark_rows(2.0, &time, &event, None).unwrap();
        assert_eq!(kept.rows, vec![3, 4, 5]);
        assert_eq!(kept.time, vec![1.0, 3.0, 0.5]);
        assert_eq!((kept.n_before, kept.n_excluded_event, kept.n_excluded_censored), (6, 2, 1));
        assert_eq!(kept.exposed, None);
        assert_eq!(kept.exposure_factor(), None);
    }

    #[test]
    fn an_exposure_at_the_landmark_counts_as_exposed() {
        let time = [4.0, 4.0, 4.0, 4.0, 1.0];
        let event = [false; 5];
        let exposure = [Some(2.0), Some(2.0 + 1e-12), None, Some(1.0), Some(0.5)];
        let kept = landmark_rows(2.0, &time, &event, Some(&exposure)).unwrap();
        assert_eq!(kept.exposed, Some(vec![true, false, false, true]));
        let factor = kept.exposure_factor().unwrap();
        assert_eq!(factor.labels, vec!["unexposed", "exposed"]);
        assert_eq!(factor.codes, vec![1, 0, 0, 1]);
        let choice = Landmark { landmark: Some(2.0), exposure_time: Some("tx".into()), exposure_name: None };
        let selection = kept.selection(&choice);
        assert_eq!((selection.n_kept, selection.n_excluded_censored, selection.n_exposed), (4, 1, Some(2)));
        assert_eq!(selection.exposure_time.as_deref(), Some("tx"));
    }

    #[test]
    fn an_empty_state_is_left_out_of_the_groups() {
        let kept = landmark_rows(1.0, &[3.0, 4.0], &[true, false], Some(&[None, Some(7.0)])).unwrap();
        let factor = kept.exposure_factor().unwrap();
        assert_eq!((factor.labels, factor.codes), (vec!["unexposed".to_string()], vec![0, 0]));
    }

    #[test]
    fn no_patient_after_the_landmark_is_refused_with_the_counts() {
        let message = landmark_rows(10.0, &[1.0, 10.0, 3.0], &[true, false, false], None).unwrap_err().to_string();
        assert!(message.contains("no patient is still followed after the landmark 10"), "{message}");
        assert!(message.contains("1 had an event and 2 were censored"), "{message}");
    }
}

#[cfg(test)]
mod refusals {
    use crate::analysis::{analyze_text, FileRequest};
    use crate::report::Report;

    const CSV: &str = "time,status,tx,arm\n5,1,2,A\n6,0,,B\n3,1,3,A\n4,1,9,B\n8,0,0,A\n1,1,,B\n";

    fn run_on(csv: &str, json: &str) -> Result<Report, String> {
        let request = FileRequest::from_json(json).map_err(|error| error.to_string())?;
        analyze_text(csv, &request).map_err(|error| error.to_string())
    }

    fn run(json: &str) -> Result<Report, String> {
        run_on(CSV, json)
    }

    #[test]
    fn a_landmark_must_be_a_time_of_zero_or_more() {
        let message = run(r#"{"analysis":"km","time":"time","event":"status","landmark":-1}"#).unwrap_err();
        assert!(message.starts_with("landmark: ") && message.contains("give a time of 0 or more"), "{message}");
        // Not a number (the CLI reads "NaN" and "inf" as numbers).
        for bad in [f64::NAN, f64::INFINITY] {
            let mut request = FileRequest::from_json(r#"{"analysis":"cif","time":"time","status":"status"}"#).unwrap();
            let crate::analysis::Request::Cif(cif) = &mut request.request else { panic!() };
            cif.landmark.landmark = Some(bad);
            let message = request.request.check().unwrap_err().to_string();
            assert!(message.contains("is not a landmark time"), "{message}");
        }
    }

    #[test]
    fn an_exposure_needs_a_landmark_and_no_group() {
        let message = run(r#"{"analysis":"km","time":"time","event":"status","exposure_time":"tx"}"#).unwrap_err();
        assert!(message.contains("an exposure time needs --landmark on km; for curves by a time-dependent exposure use simon-makuch, for a test mantel-byar"), "{message}");
        let message = run(
            r#"{"analysis":"cif","time":"time","status":"status","landmark":2,"exposure_time":"tx","group":"arm"}"#,
        )
        .unwrap_err();
        assert!(message.contains("choose either a group column or an exposure time"), "{message}");
        let message =
            run(r#"{"analysis":"logrank","time":"time","event":"status","landmark":2,"exposure_time":"time"}"#)
                .unwrap_err();
        assert!(message.contains("the exposure time column is the follow-up time column"), "{message}");
        let message = run(r#"{"analysis":"logrank","time":"time","event":"status","landmark":2}"#).unwrap_err();
        assert!(message.starts_with("group: the logrank analysis needs a group column"), "{message}");
    }

    #[test]
    fn negative_exposure_times_are_refused_by_row() {
        let csv = "time,status,tx\n5,1,-2\n6,0,\n3,1,-1\n";
        let message =
            run_on(csv, r#"{"analysis":"km","time":"time","event":"status","landmark":1,"exposure_time":"tx"}"#)
                .unwrap_err();
        assert!(message.contains("row 2: \"-2\"") && message.contains("row 4: \"-1\""), "{message}");
    }

    #[test]
    fn nobody_after_the_landmark_is_refused() {
        let message = run(r#"{"analysis":"km","time":"time","event":"status","landmark":8}"#).unwrap_err();
        assert!(message.contains("no patient is still followed after the landmark 8"), "{message}");
        assert!(message.contains("4 had an event and 2 were censored"), "{message}");
    }

    #[test]
    fn one_exposure_state_is_refused_by_logrank_and_reported_alone_by_km() {
        // At 2 every patient kept (all three) is unexposed: exposed at 4, never, at 9.
        let csv = "time,status,tx\n5,1,4\n6,0,\n3,1,9\n";
        let json = r#"{"analysis":"km","time":"time","event":"status","landmark":2,"exposure_time":"tx"}"#;
        let Report::Km(report) = run_on(csv, json).unwrap() else { panic!() };
        let groups: Vec<_> = report.groups.iter().map(|group| group.group.clone()).collect();
        assert_eq!(groups, vec![Some("unexposed".to_string())]);
        assert_eq!(report.landmark.and_then(|landmark| landmark.n_exposed), Some(0));
        let message = run_on(csv, &json.replace(r#""km""#, r#""logrank""#)).unwrap_err();
        assert!(message.contains("is unexposed at it") && message.contains("both states"), "{message}");
    }

    #[test]
    fn the_counts_say_why_rows_were_left_out() {
        let report =
            run(r#"{"analysis":"logrank","time":"time","event":"status","landmark":3,"exposure_time":"tx"}"#).unwrap();
        let Report::LogRank(report) = report else { panic!() };
        let selection = report.landmark.clone().unwrap();
        // Left out: the event at 3 (exactly at the landmark) and at 1; kept 5, 6, 4, 8.
        assert_eq!((selection.n_before, selection.n_kept), (6, 4));
        assert_eq!((selection.n_excluded_event, selection.n_excluded_censored), (2, 0));
        // Exposed at 3: tx 2 and tx 0; tx 9 and the empty cell are not.
        assert_eq!(selection.n_exposed, Some(2));
        let labels: Vec<&str> = report.groups.iter().map(|group| group.group.as_str()).collect();
        assert_eq!(labels, vec!["unexposed", "exposed"]);
        let text = Report::LogRank(report).to_text();
        assert!(text.contains("Landmark at 3: 4 of 6 patients"), "{text}");
    }
}
