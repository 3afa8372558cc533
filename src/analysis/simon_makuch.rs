//! `survkit simon-makuch`: Kaplan-Meier curves by a time-dependent exposure, as
//! `survfit(Surv(tstart, tstop, event) ~ exposed)` on the data split by `tmerge(...,
//! exposed = tdc(exposure))`, with `summary(fit, censored = TRUE)` and `summary(fit, times = at)`.
//!
//! Conventions (see [`SimonMakuchRequest`]): an empty exposure cell, or an exposure at or after
//! the end of follow-up, is never exposed while followed (`tmerge` makes no interval after the
//! end); an exposure at 0 is exposed from the start (`tmerge` drops the zero-length unexposed
//! interval); a negative exposure time is refused, naming its rows, and so is a follow-up time of
//! 0, which has no (0, t] interval (`tmerge` refuses it too). Rows missing the time or the event
//! are dropped (`n_dropped`); the exposure of a dropped row is not read. R's `timefix` merges
//! near-equal times over the follow-up times and the exposures that split a follow-up, the values
//! `aeqSurv` sees on the split data; an exposure merged onto its follow-up's end counts as at the
//! end (R would refuse the zero-length interval).

use super::frames::exposure_frame;
use super::request::{optional_column, SimonMakuchRequest};
use crate::data::Table;
use crate::error::Error;
use crate::estimate::simon_makuch::{simon_makuch, EntryCurve};
use crate::estimate::timefix::merge_near_ties;
use crate::report::{
    AnalysisName, EntryStepTable, ExposureState, MergedTimesReport, RiskSet, SimonMakuchReport, SimonMakuchState,
    StepTable,
};

pub fn simon_makuch_report(table: &Table, request: &SimonMakuchRequest) -> Result<SimonMakuchReport, Error> {
    let options = request.curve.kaplan_meier();
    let frame = exposure_frame(table, &request.endpoint, &request.exposure.exposure_time, "the Simon-Makuch curves")?;
    // R's timefix over the values the split data holds: 0, the follow-up times, and the
    // exposures that split a follow-up.
    let splits: Vec<usize> = (0..frame.time.len())
        .filter(|row| frame.exposure[*row].is_some_and(|at| at > 0.0 && at < frame.time[*row]))
        .collect();
    let mut values = vec![0.0];
    values.extend(&frame.time);
    values.extend(splits.iter().filter_map(|row| frame.exposure[*row]));
    let merged = merge_near_ties(&values, request.endpoint.time_fix());
    let time = merged.time[1..=frame.time.len()].to_vec();
    let mut exposure = frame.exposure.clone();
    for (row, value) in splits.iter().zip(&merged.time[1 + frame.time.len()..]) {
        exposure[*row] = Some(*value);
    }
    let n_exposed = exposure.iter().zip(&time).filter(|(at, time)| at.is_some_and(|at| at < **time)).count();
    let curves = simon_makuch(&time, &frame.event, &exposure, &options);
    let states = [(ExposureState::Unexposed, &curves.unexposed), (ExposureState::Exposed, &curves.exposed)]
        .into_iter()
        .map(|(state, fit)| state_report(state, fit, &request.curve.at))
        .collect();
    Ok(SimonMakuchReport {
        analysis: AnalysisName::SimonMakuch,
        notices: frame.notices,
        exposure_time: request.exposure.exposure_time.trim().to_string(),
        exposure_name: optional_column(&request.exposure.exposure_name).map(Into::into),
        conf_type: options.conf_type,
        conf_level: options.conf_level,
        n: time.len(),
        n_exposed,
        n_dropped: frame.n_dropped,
        merged_times: MergedTimesReport::of(merged.moved),
        states,
    })
}

fn state_report(state: ExposureState, fit: &EntryCurve, at: &[f64]) -> SimonMakuchState {
    let curve = &fit.curve;
    SimonMakuchState {
        state,
        n: curve.n,
        events: curve.n_event.iter().sum(),
        at: at.iter().map(|time| curve.at(*time)).collect(),
        steps: EntryStepTable { steps: StepTable::from(curve), n_enter: fit.n_enter.clone() },
        risk_set: RiskSet {
            time: fit.risk_time.clone(),
            n_risk: fit.risk_n.clone(),
            n_censor: fit.risk_censor.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{analyze_text, FileRequest};
    use crate::error::Error;
    use crate::report::{ExposureState, Report, SimonMakuchReport};

    fn run(csv: &str) -> Result<SimonMakuchReport, Error> {
        let request = FileRequest::from_json(
            r#"{"analysis":"simon-makuch","time":"time","event":"status","exposure_time":"tx","at":[1]}"#,
        )?;
        match analyze_text(csv, &request)? {
            Report::SimonMakuch(report) => Ok(report),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn exposure_conventions() {
        // Rows 2-7: exposed at 2; never; at the end; after the end; at 0; a missing time (dropped,
        // its negative exposure not read).
        let report = run("time,status,tx\n5,1,2\n6,0,\n3,1,3\n4,1,9\n8,0,0\n,1,-1\n").unwrap();
        assert_eq!((report.n, report.n_exposed, report.n_dropped), (5, 2, 1));
        let [unexposed, exposed] = &report.states[..] else { panic!() };
        assert_eq!((unexposed.state, exposed.state), (ExposureState::Unexposed, ExposureState::Exposed));
        assert_eq!((unexposed.n, exposed.n), (4, 2));
        assert_eq!(unexposed.steps.steps.time, vec![2.0, 3.0, 4.0, 6.0]);
        assert_eq!(unexposed.steps.steps.n_censor, vec![1, 0, 0, 1], "leaving for the exposed state at 2");
        assert_eq!(exposed.steps.steps.time, vec![5.0, 8.0]);
        assert_eq!(exposed.steps.n_enter, vec![1, 0]);
        assert_eq!(
            (exposed.risk_set.time.clone(), exposed.risk_set.n_risk.clone()),
            (vec![2.0, 5.0, 8.0], vec![1, 2, 1])
        );
        // R's summary(fit, times = 1) reads the next step: 2 at risk, though only 1 is at 1.
        assert_eq!(exposed.at[0].n_risk, 2);
    }

    #[test]
    fn negative_exposures_and_zero_times_are_refused_by_row() {
        let message = run("time,status,tx\n5,1,2\n6,0,-1\n0,1,\n4,0,-3\n").unwrap_err().to_string();
        assert!(message.contains("row 3: \"-1\"") && message.contains("row 5: \"-3\""), "{message}");
        assert!(message.contains("follow-up time of 0") && message.contains("row 4"), "{message}");
        let message = run("time,status,tx\n5,1,soon\n").unwrap_err().to_string();
        assert!(message.contains("row 2: \"soon\""), "{message}");
    }

    #[test]
    fn an_exposure_within_rounding_of_the_end_is_at_the_end() {
        let report = run("time,status,tx\n5,1,4.999999999999999\n6,0,\n").unwrap();
        assert_eq!(report.n_exposed, 0);
        assert_eq!(report.merged_times.map(|merged| merged.rows), Some(1));
    }
}
