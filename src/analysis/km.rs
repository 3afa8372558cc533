//! `survkit km`: Kaplan-Meier curves per group, as `survfit(Surv(time, status) ~ group)` with
//! `summary(fit, times = at)` and the median of `print(fit)`; with a landmark, on the patients
//! still followed after it, by exposure state at it with an exposure column
//! ([`super::landmark`]).

use super::frames::{group_column, merged_times, rows_by_group, survival_frame};
use super::landmark::landmark_survival_frame;
use super::request::KmRequest;
use crate::data::Table;
use crate::error::Error;
use crate::estimate::km::kaplan_meier_sorted;
use crate::report::AnalysisName;
use crate::report::{KmGroup, KmReport, StepTable};

pub fn kaplan_meier_report(table: &Table, request: &KmRequest) -> Result<KmReport, Error> {
    let options = request.curve.kaplan_meier();
    let at = &request.curve.at;
    let frame = survival_frame(table, &request.endpoint, group_column(&request.group), None)?;
    let (frame, landmark) = landmark_survival_frame(table, frame, &request.landmark)?;
    let (frame, merged) = merged_times(frame, request.endpoint.time_fix());
    let groups = rows_by_group(&frame)
        .into_iter()
        .map(|(group, rows)| {
            let curve = kaplan_meier_sorted(&rows, &options);
            let steps = StepTable::from(&curve);
            KmGroup {
                group,
                n: curve.n,
                events: curve.n_event.iter().sum(),
                median: curve.median().into(),
                at: at.iter().map(|time| curve.at(*time)).collect(),
                steps,
            }
        })
        .collect();
    Ok(KmReport {
        analysis: AnalysisName::Km,
        notices: frame.notices.clone(),
        conf_type: options.conf_type,
        conf_level: options.conf_level,
        n_dropped: frame.n_dropped,
        landmark,
        merged_times: merged,
        groups,
    })
}
