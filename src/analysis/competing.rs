//! Competing risks: cumulative incidence with Gray's test; with a landmark, on the patients
//! still followed after it, by exposure state at it with an exposure column
//! ([`super::landmark`]).

use super::cox::{dropped_term_warnings, terms};
use super::landmark::landmark_model_frame;
use super::request::{optional_column, CifRequest, CompetingEndpoint, FineGrayRequest};
use crate::data::{Causes, DesignSpec, ModelFrame, ModelSpec, Table};
use crate::error::Error;
use crate::estimate::cif::aalen_johansen;
use crate::estimate::distribution::{chi_square_upper_tail, two_sided_normal_quantile};
use crate::estimate::finegray::{fine_gray, FineGrayOptions, FineGrayStatus};
use crate::estimate::gray::{gray_test, order_by_stratum_and_time, GrayStatus};
use crate::estimate::km::{kaplan_meier, KaplanMeierOptions};
use crate::report::AnalysisName;
use crate::report::{
    CauseReport, CifGroup, CifReport, CifSteps, FineGrayReport, GrayReport, RiskSet, Warning, GRAY_SINGULAR,
};

/// A competing-risks frame: the model frame with the status read as causes, and what the user
/// should know about the reading.
pub(super) fn competing_frame(
    table: &Table,
    endpoint: &CompetingEndpoint,
    (group, strata): (Option<&str>, Option<&str>),
    design: &DesignSpec,
) -> Result<(ModelFrame, Causes, Vec<String>), Error> {
    let time = endpoint.time.trim();
    let status = endpoint.status.trim();
    let censor_value = endpoint.censor_value();
    let spec = ModelSpec { start: None, time, status, group, strata, design };
    let mut causes = None;
    let frame = ModelFrame::build(table, &spec, |column, rows, _| {
        let decoded = Causes::decode(column, rows, censor_value)?;
        let codes = decoded.codes.iter().map(|code| f64::from(*code)).collect();
        causes = Some(decoded);
        Ok(codes)
    })?;
    let causes = causes.unwrap_or(Causes { labels: Vec::new(), codes: Vec::new() });
    if causes.labels.is_empty() {
        return Err(Error::invalid_option(
            "status",
            format!(
                "every row of \"{status}\" is censored (\"{censor_value}\"); the other values of the status column \
                 are the causes, so check the column and the censoring value"
            ),
        ));
    }
    let mut notices = Vec::new();
    if !causes.codes.contains(&0) {
        let listed = crate::error::quoted_list(&causes.labels);
        if let Some(looks_censored) = causes.a_cause_looks_like_censoring() {
            return Err(Error::invalid_option(
                "censor value",
                format!(
                    "no row of \"{status}\" holds the censoring value \"{censor_value}\", so every row would be an \
                     event and \"{looks_censored}\" a cause; its values are {listed}: give the value that means \
                     censored as the censoring value"
                ),
            ));
        }
        notices.push(format!(
            "no row of \"{status}\" holds the censoring value \"{censor_value}\": every patient is counted as having \
             an event, of the causes {listed}; if the column codes censoring otherwise, give that value as the \
             censoring value"
        ));
    }
    Ok((frame, causes, notices))
}

pub fn cif_report(table: &Table, request: &CifRequest) -> Result<CifReport, Error> {
    let conf_level = request.conf_level.0;
    let at = &request.at;
    let rho = request.rho;
    let z = two_sided_normal_quantile(conf_level);
    let group = optional_column(&request.group);
    let (frame, causes, notices) =
        competing_frame(table, &request.endpoint, (group, optional_column(&request.strata)), &DesignSpec::default())?;
    let (frame, causes, landmark) = match request.landmark.landmark {
        None => (frame, causes, None),
        Some(at) => {
            let event: Vec<bool> = causes.codes.iter().map(|code| *code != 0).collect();
            let (frame, kept) = landmark_model_frame(table, &frame, &event, at, &request.landmark)?;
            let causes = causes_after_landmark(&causes, &kept.rows, request.endpoint.status.trim(), at)?;
            (frame, causes, Some(kept.selection(&request.landmark)))
        }
    };
    let n_groups = frame.group.as_ref().map_or(1, |group| group.labels.len());
    if let Some(column) = optional_column(&request.group) {
        crate::data::check_group_limit(
            column,
            n_groups,
            crate::data::MAX_GROUPS_COMPARED_IN_PAIRS,
            "Gray's test costs the cube of the number of groups at every event time, as in cmprsk",
        )?;
    }
    let group_of = |row: usize| frame.group.as_ref().map_or(0, |group| group.codes[row] as usize);
    let mut rows_of_group: Vec<Vec<usize>> = vec![Vec::new(); n_groups];
    for row in 0..frame.len() {
        rows_of_group[group_of(row)].push(row);
    }
    let codes = &causes.codes;
    // Gray's test walks the rows by stratum and time for every cause: sort them once.
    let strata = frame.strata.as_ref().map(|strata| strata.codes.as_slice());
    let gray_order = &order_by_stratum_and_time(&frame.time, strata);

    let report_causes = causes
        .labels
        .iter()
        .enumerate()
        .map(|(index, label)| {
            let cause = index as u32 + 1;
            let groups = rows_of_group
                .iter()
                .enumerate()
                .map(|(group_index, rows)| {
                    let time: Vec<f64> = rows.iter().map(|row| frame.time[*row]).collect();
                    let status: Vec<u32> = rows.iter().map(|row| codes[*row]).collect();
                    let incidence = aalen_johansen(&time, &status, cause);
                    let any_event: Vec<bool> = status.iter().map(|status| *status != 0).collect();
                    let table = kaplan_meier(&time, &any_event, &KaplanMeierOptions::default());
                    let intervals: Vec<(Option<f64>, Option<f64>)> = incidence
                        .cif
                        .iter()
                        .zip(&incidence.variance)
                        .map(|(cif, variance)| crate::estimate::cif::log_log_interval(*cif, *variance, z))
                        .collect();
                    CifGroup {
                        group: frame.group.as_ref().map(|group| group.labels[group_index].clone()),
                        n: incidence.n,
                        events: incidence.events,
                        at: at.iter().map(|time| incidence.at(*time, z)).collect(),
                        steps: CifSteps {
                            time: incidence.time.clone(),
                            cif: incidence.cif.clone(),
                            variance: incidence.variance.clone(),
                            lower: intervals.iter().map(|interval| interval.0).collect(),
                            upper: intervals.iter().map(|interval| interval.1).collect(),
                        },
                        risk_set: RiskSet { time: table.time, n_risk: table.n_risk, n_censor: table.n_censor },
                    }
                })
                .collect();
            let gray = frame.group.as_ref().filter(|group| group.labels.len() > 1).map(|group| {
                let status: Vec<GrayStatus> = codes
                    .iter()
                    .map(|code| match *code {
                        0 => GrayStatus::Censored,
                        code if code == cause => GrayStatus::Cause,
                        _ => GrayStatus::Competing,
                    })
                    .collect();
                let test = gray_test(gray_order, &frame.time, &status, &group.codes, group.labels.len(), strata, rho);
                GrayReport {
                    stat: test.statistic,
                    df: test.df,
                    p: test.statistic.and_then(|statistic| chi_square_upper_tail(statistic, test.df)),
                    note: test.statistic.is_none().then(|| GRAY_SINGULAR.to_string()),
                }
            });
            CauseReport { cause: label.clone(), groups, gray }
        })
        .collect();
    Ok(CifReport {
        analysis: AnalysisName::Cif,
        notices,
        conf_level,
        rho,
        n: frame.len(),
        n_dropped: frame.n_dropped,
        landmark,
        strata: optional_column(&request.strata).map(str::to_string),
        causes: report_causes,
    })
}

/// The causes of the rows a landmark keeps (positions `rows`): a cause with no event after the
/// landmark is left out, as `cuminc` on the subset knows only the causes it sees.
///
/// # Errors
/// No event of any cause after the landmark.
fn causes_after_landmark(causes: &Causes, rows: &[usize], status: &str, landmark: f64) -> Result<Causes, Error> {
    let codes: Vec<u32> = rows.iter().map(|row| causes.codes[*row]).collect();
    let mut new_code = vec![0u32; causes.labels.len() + 1];
    let mut labels = Vec::new();
    for (index, label) in causes.labels.iter().enumerate() {
        if codes.contains(&(index as u32 + 1)) {
            labels.push(label.clone());
            new_code[index + 1] = labels.len() as u32;
        }
    }
    if labels.is_empty() {
        return Err(Error::NotEstimable {
            what: "the cumulative incidence after the landmark".into(),
            reason: format!(
                "every patient still followed after the landmark {} is censored in \"{status}\"; choose an earlier \
                 landmark",
                crate::data::format_number(landmark)
            ),
        });
    }
    Ok(Causes { labels, codes: codes.iter().map(|code| new_code[*code as usize]).collect() })
}

pub fn fine_gray_report(table: &Table, request: &FineGrayRequest) -> Result<FineGrayReport, Error> {
    let conf_level = request.conf_level.0;
    let design = request.covariates.design_spec()?;
    let cause_written = request.cause.trim();
    let (frame, causes, notices) = competing_frame(table, &request.endpoint, (None, None), &design)?;
    let cause = causes.code_of(cause_written)?.ok_or_else(|| {
        // Is the value in the column at all, or only on rows left out for a missing value?
        let status_name = request.endpoint.status.trim();
        let censor_value = request.endpoint.censor_value();
        let in_column = table.column(status_name).is_ok_and(|column| {
            let filled: Vec<usize> = (0..column.len()).filter(|row| !column.is_missing(*row)).collect();
            Causes::decode(column, &filled, censor_value)
                .is_ok_and(|causes| causes.code_of(cause_written).is_ok_and(|code| code.is_some()))
        });
        let problem = if in_column {
            "has no events among the rows analysed (rows with a missing value are left out)"
        } else {
            "is not a cause in the status column"
        };
        Error::invalid_option(
            "cause",
            format!(
                "\"{cause_written}\" {problem}; the causes among the rows analysed are {}",
                crate::error::quoted_list(&causes.labels)
            ),
        )
    })?;
    let status: Vec<FineGrayStatus> = causes
        .codes
        .iter()
        .map(|code| match *code {
            0 => FineGrayStatus::Censored,
            code if code == cause => FineGrayStatus::Cause,
            _ => FineGrayStatus::Competing,
        })
        .collect();
    let count = |wanted: FineGrayStatus| status.iter().filter(|status| **status == wanted).count();
    let (events, competing, censored) =
        (count(FineGrayStatus::Cause), count(FineGrayStatus::Competing), count(FineGrayStatus::Censored));
    let n_terms = frame.design.term_names.len();
    if events < n_terms {
        return Err(Error::NotEstimable {
            what: "the Fine-Gray model".into(),
            reason: format!("it has {n_terms} terms but only {events} events of the cause; use fewer covariates"),
        });
    }
    let options = FineGrayOptions::default();
    let fit = fine_gray(&frame.time, &status, &frame.design.values, &options)?;
    let terms = terms(&frame, &fit.coefficients, &fit.variance, conf_level);
    let mut warnings = dropped_term_warnings(&frame, &fit.coefficients);
    for term in &terms {
        if let (Some(coef), Some(se)) = (term.coef, term.se) {
            if coef.abs() > 5.0 && se > 20.0 * coef.abs() {
                warnings.push(Warning {
                    term: Some(term.term.clone()),
                    message: format!(
                        "{} has a huge coefficient and standard error; it may be infinite (e.g. every event of the \
                         cause on one side of it), so its hazard ratio and interval are not usable",
                        term.term
                    ),
                });
            }
        }
    }
    if !fit.converged {
        warnings.push(Warning {
            term: None,
            message: format!("the fit did not converge in {} iterations", options.max_iterations),
        });
    }
    Ok(FineGrayReport {
        analysis: AnalysisName::Finegray,
        notices,
        cause: causes.labels[cause as usize - 1].clone(),
        covariates: design.covariates.iter().map(|covariate| covariate.name().to_string()).collect(),
        conf_level,
        n: frame.len(),
        events,
        competing,
        censored,
        n_dropped: frame.n_dropped,
        terms,
        loglik: fit.loglik,
        loglik_null: fit.loglik_null,
        iterations: fit.iterations,
        converged: fit.converged,
        warnings,
    })
}
