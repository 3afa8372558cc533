//! `survkit mantel-byar`: the log-rank test with a time-dependent exposure (Mantel-Byar), as the
//! score test of `coxph(Surv(tstart, tstop, event) ~ exposed, ties = "exact")` on the follow-up
//! split at the exposure time by `tmerge`.
//!
//! The exposure column is read on the rows the frame builder keeps (complete in time and event;
//! `frames::exposure_frame`, shared with simon-makuch); an empty exposure cell is never exposed
//! and drops no row. A negative exposure time is refused, naming its rows, and so is a follow-up
//! time of 0, which has no (0, t] interval (R's tmerge refuses it). With `timefix` (R's default),
//! `aeqSurv`'s rule is applied as coxph applies it to the split data: over the start and stop
//! times of the intervals (0, x] and (x, t] together, refusing an interval that collapses.

use super::frames::{exposure_frame, split_at_exposure, SplitFollowUp};
use super::request::MantelByarRequest;
use crate::data::Table;
use crate::error::Error;
use crate::estimate::mantel_byar::mantel_byar;
use crate::estimate::timefix::merge_near_tied_intervals;
use crate::report::{AnalysisName, MantelByarReport, MantelByarState, MergedTimesReport};

pub fn mantel_byar_report(table: &Table, request: &MantelByarRequest) -> Result<MantelByarReport, Error> {
    let frame = exposure_frame(table, &request.endpoint, &request.exposure.exposure_time, "the Mantel-Byar test")?;
    let (rows, exposure) = (&frame.rows, &frame.exposure);

    // The split data's (start, stop] intervals: (0, x] and (x, t] when 0 < x < t, else (0, t].
    let SplitFollowUp { start, stop, owner, .. } = split_at_exposure(&frame.time, exposure);
    let interval_rows: Vec<usize> = owner.iter().map(|patient| table.spreadsheet_row(rows[*patient])).collect();
    let (merged_start, merged_stop) =
        merge_near_tied_intervals(&start, &stop, &interval_rows, request.endpoint.time_fix())?;
    let mut time = frame.time.clone();
    let mut merged_exposure = exposure.clone();
    for (interval, patient) in owner.iter().enumerate() {
        if merged_start[interval] > 0.0 {
            merged_exposure[*patient] = Some(merged_start[interval]);
        }
        time[*patient] = merged_stop[interval];
    }
    let moved = (0..time.len())
        .filter(|patient| time[*patient] != frame.time[*patient] || merged_exposure[*patient] != exposure[*patient])
        .count();

    let test = mantel_byar(&time, &frame.event, &merged_exposure);
    let name = request.exposure.name().to_string();
    let state = |label: &str, n: usize, index: usize| MantelByarState {
        state: label.to_string(),
        n,
        observed: test.observed[index],
        expected: test.expected[index],
    };
    Ok(MantelByarReport {
        analysis: AnalysisName::MantelByar,
        notices: frame.notices.clone(),
        exposure: name,
        chisq: test.chisq,
        df: 1,
        p: test.p,
        n: frame.time.len(),
        n_dropped: frame.n_dropped,
        merged_times: MergedTimesReport::of(moved),
        states: vec![state("unexposed", test.n_unexposed, 0), state("exposed", test.n_exposed, 1)],
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

    const REQUEST: &str = r#"{"analysis":"mantel-byar","time":"t","event":"e","exposure_time":"x"}"#;

    #[test]
    fn refuses_a_follow_up_time_of_zero_as_tmerge_does() {
        let message = run("t,e,x\n0,1,\n2,1,1\n3,0,\n", REQUEST).unwrap_err().to_string();
        assert!(message.contains("the Mantel-Byar test") && message.contains("row 2"), "{message}");
    }

    #[test]
    fn refuses_negative_exposure_times_naming_every_row() {
        let error = run("t,e,x\n5,1,-1\n6,0,\n7,1,-2\n", REQUEST).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("row 2") && message.contains("row 4") && message.contains("\"x\""), "{message}");
        assert_eq!(error.row(), Some(2));
    }

    #[test]
    fn empty_exposure_cells_keep_their_rows_and_missing_times_drop_theirs() {
        let Report::MantelByar(report) = run("t,e,x\n1,1,\n2,1,0.5\n3,1,\n,1,1\n4,0,2\n", REQUEST).unwrap() else {
            panic!()
        };
        assert_eq!((report.n, report.n_dropped), (4, 1));
        assert_eq!(report.states[1].n, 2);
        assert_eq!(report.exposure, "x");
        assert!(report.chisq.is_some());
    }

    #[test]
    fn names_blank_and_unknown_columns() {
        let blank = Request::from_json(r#"{"analysis":"mantel-byar","time":"t","event":"e","exposure_time":" "}"#);
        assert!(blank.unwrap_err().to_string().starts_with("exposure_time: "));
        let same = Request::from_json(r#"{"analysis":"mantel-byar","time":"t","event":"e","exposure_time":"t"}"#);
        assert!(same.unwrap_err().to_string().contains("follow-up time column"));
        let unknown = run("t,e\n1,1\n", REQUEST).unwrap_err().to_string();
        assert!(unknown.contains("\"x\""), "{unknown}");
    }

    #[test]
    fn nobody_exposed_while_followed_is_nothing_to_test() {
        let Report::MantelByar(report) = run("t,e,x\n1,1,1\n2,1,5\n", REQUEST).unwrap() else { panic!() };
        assert_eq!((report.chisq, report.p, report.states[1].n), (None, None, 0));
        assert!(Report::MantelByar(report).to_text().contains("Nothing to test"));
    }

    #[test]
    fn an_exposure_within_rounding_of_the_start_is_refused_as_coxph_refuses_it() {
        let error = run("t,e,x\n5,1,1e-12\n6,1,\n", REQUEST).unwrap_err().to_string();
        assert!(error.contains("row 2"), "{error}");
    }
}
