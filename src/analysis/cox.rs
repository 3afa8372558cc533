//! Cox regression: request -> model frame -> fit, concordance and `cox.zph` -> report.

use super::frames::{read_exposure, split_at_exposure};
use super::landmark::landmark_model_frame;
use super::request::{optional_column, CoxRequest};
use crate::data::{DesignSpec, ModelFrame, ModelSpec, Table};
use crate::error::Error;
use crate::estimate::concordance::{concordance, concordance_counting};
use crate::estimate::cox::{cox_ph, cox_ph_counting, CoxFit, CoxOptions};
use crate::estimate::cox_zph::{cox_zph, ZphInput};
use crate::estimate::distribution::{chi_square_upper_tail, two_sided_normal_p, two_sided_normal_quantile};
use crate::estimate::linear_algebra::Cholesky;
use crate::estimate::timefix::{merge_near_tied_intervals, merge_near_ties};
use crate::report::AnalysisName;
use crate::report::{
    ChiSquareTest, ConcordanceReport, CoxReport, CoxScreenReport, CoxTerm, LogLikelihood, MergedTimesReport,
    ModelTests, ScreenModel, TimeDependentReport, Warning, ZphGlobal, ZphReport, ZphTerm,
};

/// One model with every covariate of the request.
pub fn cox_report(table: &Table, request: &CoxRequest) -> Result<CoxReport, Error> {
    let design = request.covariates.design_spec()?;
    fit_report(table, request, &design)
}

/// One model per covariate, each on the rows complete for its own columns (R's screen).
pub fn cox_screen_report(table: &Table, request: &CoxRequest) -> Result<CoxScreenReport, Error> {
    let design = request.covariates.design_spec()?;
    let models = design
        .covariates
        .iter()
        .map(|covariate| {
            let single = DesignSpec {
                covariates: vec![covariate.clone()],
                // A cut-point reads its column as numbers: the column's categorical and
                // reference choices belong to its plain covariate's model only.
                categorical: design.categorical.iter().filter(|name| is_plain(covariate, name)).cloned().collect(),
                references: design.references.iter().filter(|(name, _)| is_plain(covariate, name)).cloned().collect(),
            };
            match fit_report(table, request, &single) {
                Ok(report) => ScreenModel::Fitted(Box::new(report)),
                Err(error) => ScreenModel::Failed { covariate: covariate.name().to_string(), error: (&error).into() },
            }
        })
        .collect();
    Ok(CoxScreenReport { analysis: AnalysisName::Cox, notices: Vec::new(), univariate: true, models })
}

/// Whether `covariate` is the plain column `name` (not a cut-point on it).
fn is_plain(covariate: &crate::data::Covariate, name: &str) -> bool {
    matches!(covariate, crate::data::Covariate::Column(column) if column == name)
}

fn fit_report(table: &Table, request: &CoxRequest, design: &DesignSpec) -> Result<CoxReport, Error> {
    let conf_level = request.conf_level.0;
    let strata = optional_column(&request.strata);
    let coding = request.endpoint.event_coding();
    let spec = ModelSpec {
        start: optional_column(&request.start),
        time: request.endpoint.time.trim(),
        status: request.endpoint.event.trim(),
        group: None,
        strata,
        design,
    };
    let mut notices = Vec::new();
    let mut frame = ModelFrame::build(table, &spec, |column, rows, spreadsheet_rows| {
        let reading = coding.decode(column, rows, spreadsheet_rows)?;
        notices.extend(reading.notice);
        Ok(reading.events.into_iter().map(|event| f64::from(u8::from(event))).collect())
    })?;
    let mut landmark = None;
    if let Some(time) = request.landmark.landmark {
        let events: Vec<bool> = frame.status.iter().map(|status| *status == 1.0).collect();
        let (mut landmarked, kept) = landmark_model_frame(table, &frame, &events, time, &request.landmark)?;
        landmarked.group = None;
        if let (Some(exposed), Some(name)) = (&kept.exposed, request.exposure_name()) {
            let values = exposed.iter().map(|exposed| f64::from(u8::from(*exposed))).collect();
            landmarked.design = with_exposure_term(landmarked.design, name, values, |values| values.to_vec());
        }
        frame = landmarked;
        landmark = Some(kept.selection(&request.landmark));
    }
    let n_patients = frame.len();
    let time_dependent = match optional_column(&request.landmark.exposure_time).filter(|_| landmark.is_none()) {
        Some(column) => {
            let exposure = read_exposure(table, column, &frame.rows, &frame.time, "the Cox model")?;
            let name = request.exposure_name().unwrap_or(column);
            let (split, n_exposed) = split_frame_at_exposure(frame, &exposure, name);
            frame = split;
            Some(TimeDependentReport {
                exposure_time: column.to_string(),
                exposure: name.to_string(),
                n_exposed,
                intervals: frame.len(),
            })
        }
        None => None,
    };
    // coxph applies aeqSurv to the model's response (both ends of (start, stop] rows); its
    // concordance and cox.zph use that fit's y.
    let moved = match &frame.start {
        None => {
            let merged = merge_near_ties(&frame.time, request.endpoint.time_fix());
            frame.time = merged.time;
            merged.moved
        }
        Some(start) => {
            let rows: Vec<usize> = frame.rows.iter().map(|row| table.spreadsheet_row(*row)).collect();
            let (start_merged, stop_merged) =
                merge_near_tied_intervals(start, &frame.time, &rows, request.endpoint.time_fix())?;
            let moved = (0..rows.len())
                .filter(|index| start_merged[*index] != start[*index] || stop_merged[*index] != frame.time[*index])
                .count();
            frame.time = stop_merged;
            frame.start = Some(start_merged);
            moved
        }
    };
    let events: Vec<bool> = frame.status.iter().map(|status| *status == 1.0).collect();
    let n_events = events.iter().filter(|event| **event).count();
    let n_terms = frame.design.term_names.len();
    if n_events == 0 {
        return Err(Error::NotEstimable {
            what: "the Cox model".into(),
            reason: "there are no events among the rows analysed; check the event column and its event value".into(),
        });
    }
    if n_events < n_terms {
        return Err(Error::NotEstimable {
            what: "the Cox model".into(),
            reason: format!(
                "it has {n_terms} terms but only {n_events} events; use fewer covariates or fewer categories"
            ),
        });
    }
    let options = CoxOptions { ties: request.ties, ..CoxOptions::default() };
    let strata_codes = frame.strata.as_ref().map(|factor| factor.codes.as_slice());
    let fit = match &frame.start {
        None => cox_ph(&frame.time, &events, &frame.design.values, strata_codes, &options)?,
        Some(start) => cox_ph_counting(start, &frame.time, &events, &frame.design.values, strata_codes, &options)?,
    };

    let terms = terms(&frame, &fit.coefficients, &fit.variance, conf_level);
    let warnings = warnings(&frame, &fit, &options);
    let kept: Vec<usize> = (0..n_terms).filter(|index| fit.coefficients[*index].is_some()).collect();
    let df = kept.len();
    let likelihood_ratio = 2.0 * (fit.loglik_model - fit.loglik_null);
    let wald = wald_statistic(&fit, &kept, options.cholesky_tolerance);
    let concordance = match &frame.start {
        None => concordance(&frame.time, &events, &fit.linear_predictor, strata_codes),
        Some(start) => concordance_counting(start, &frame.time, &events, &fit.linear_predictor, strata_codes),
    };
    let mut warnings = warnings;
    let zph = if request.zph && frame.start.is_some() {
        warnings.push(Warning {
            term: None,
            message: "the proportional-hazards test (cox.zph) on (start, stop] rows is not available yet; run \
                      cox.zph in R for it"
                .into(),
        });
        None
    } else if request.zph {
        zph_report(&frame, &events, &fit, &kept, strata_codes, &options)
            .map_err(|error| warnings.push(Warning { term: None, message: error.to_string() }))
            .ok()
    } else {
        None
    };

    Ok(CoxReport {
        analysis: AnalysisName::Cox,
        notices,
        ties: options.ties,
        covariates: design.covariates.iter().map(|covariate| covariate.name().to_string()).collect(),
        strata: strata.map(str::to_string),
        start: optional_column(&request.start).map(str::to_string),
        landmark,
        time_dependent,
        conf_level,
        n: if request.start.is_some() { frame.len() } else { n_patients },
        events: n_events,
        n_dropped: frame.n_dropped,
        merged_times: MergedTimesReport::of(moved),
        terms,
        loglik: LogLikelihood { null: fit.loglik_null, model: fit.loglik_model },
        tests: ModelTests {
            likelihood_ratio: chi_square(Some(likelihood_ratio), df),
            wald: chi_square(wald, df),
            score: chi_square(Some(fit.score_statistic), df),
        },
        concordance: ConcordanceReport { estimate: concordance.estimate, se: concordance.std_err },
        iterations: fit.iterations,
        converged: fit.converged,
        warnings,
        zph,
    })
}

/// The frame split at each patient's exposure (`tmerge`'s rule, [`split_at_exposure`]): one row
/// per interval, the event on the last, the fixed covariates repeated, and the exposure as a
/// 0/1 term `name` placed first (as `~ transplant + ...`); and how many patients are exposed
/// while followed.
fn split_frame_at_exposure(frame: ModelFrame, exposure: &[Option<f64>], name: &str) -> (ModelFrame, usize) {
    let split = split_at_exposure(&frame.time, exposure);
    let owner = &split.owner;
    let last = |interval: usize| interval + 1 == owner.len() || owner[interval + 1] != owner[interval];
    let n_exposed = (0..owner.len()).filter(|interval| split.exposed[*interval] && last(*interval)).count();
    let repeat = |values: &[f64]| owner.iter().map(|patient| values[*patient]).collect::<Vec<f64>>();
    let exposed = split.exposed.iter().map(|exposed| f64::from(u8::from(*exposed))).collect();
    let design = with_exposure_term(frame.design, name, exposed, repeat);
    let strata = frame.strata.map(|factor| crate::data::Factor {
        codes: owner.iter().map(|patient| factor.codes[*patient]).collect(),
        labels: factor.labels,
    });
    let status =
        (0..owner.len()).map(|interval| if last(interval) { frame.status[owner[interval]] } else { 0.0 }).collect();
    let frame = ModelFrame {
        rows: owner.iter().map(|patient| frame.rows[*patient]).collect(),
        start: Some(split.start),
        time: split.stop,
        status,
        group: None,
        strata,
        design,
        n_dropped: frame.n_dropped,
    };
    (frame, n_exposed)
}

/// The design with the exposure's 0/1 `values` as its first term `name` (as `~ transplant + ...`),
/// each other term's values passed through `rows` (repeated per interval, or as they are).
fn with_exposure_term(
    design: crate::data::Design,
    name: &str,
    values: Vec<f64>,
    rows: impl Fn(&[f64]) -> Vec<f64>,
) -> crate::data::Design {
    let mut term_names = vec![name.to_string()];
    term_names.extend(design.term_names);
    let mut columns = vec![values];
    columns.extend(design.values.iter().map(|column| rows(column)));
    let mut covariate_terms = vec![(name.to_string(), vec![0])];
    covariate_terms.extend(
        design
            .covariate_terms
            .into_iter()
            .map(|(covariate, terms)| (covariate, terms.iter().map(|term| term + 1).collect())),
    );
    crate::data::Design { term_names, values: columns, covariate_terms }
}

/// Every term's row of a fitted model, with intervals at `conf_level`.
pub(super) fn terms(
    frame: &ModelFrame,
    coefficients: &[Option<f64>],
    variance: &[Vec<f64>],
    conf_level: f64,
) -> Vec<CoxTerm> {
    let z = two_sided_normal_quantile(conf_level);
    frame
        .design
        .term_names
        .iter()
        .enumerate()
        .map(|(index, name)| term(name, coefficients[index], variance[index][index], z))
        .collect()
}

/// A term's row: coef, se, exp(coef), its interval at `z`, the Wald z and p; all `null` for a
/// term without a coefficient.
fn term(name: &str, coefficient: Option<f64>, variance: f64, z: f64) -> CoxTerm {
    let Some(coef) = coefficient else {
        return CoxTerm {
            term: name.to_string(),
            coef: None,
            se: None,
            hr: None,
            lower: None,
            upper: None,
            z: None,
            p: None,
        };
    };
    let se = variance.sqrt();
    let statistic = coef / se;
    CoxTerm {
        term: name.to_string(),
        coef: Some(coef),
        se: finite(se),
        hr: finite(crate::estimate::distribution::exp(coef)),
        lower: finite(crate::estimate::distribution::exp(coef - z * se)),
        upper: finite(crate::estimate::distribution::exp(coef + z * se)),
        z: finite(statistic),
        p: finite(statistic).map(two_sided_normal_p),
    }
}

fn finite(value: f64) -> Option<f64> {
    crate::estimate::finite(value)
}

fn chi_square(statistic: Option<f64>, df: usize) -> ChiSquareTest {
    // + 0.0 turns a -0 (no term estimated) into 0.
    let statistic = statistic.and_then(finite).map(|value| value + 0.0);
    ChiSquareTest { stat: statistic, df, p: statistic.and_then(|value| chi_square_upper_tail(value, df)) }
}

/// b' Var^-1 b over the estimated terms (`coxph.wtest`, with survival's Cholesky).
fn wald_statistic(fit: &CoxFit, kept: &[usize], tolerance: f64) -> Option<f64> {
    let variance: Vec<Vec<f64>> = kept.iter().map(|i| kept.iter().map(|j| fit.variance[*i][*j]).collect()).collect();
    let coefficients: Vec<f64> = kept.iter().filter_map(|i| fit.coefficients[*i]).collect();
    let solved = Cholesky::new(variance, tolerance).solve(&coefficients);
    finite(solved.iter().zip(&coefficients).map(|(x, b)| x * b).sum())
}

fn warnings(frame: &ModelFrame, fit: &CoxFit, options: &CoxOptions) -> Vec<Warning> {
    let mut warnings = dropped_term_warnings(frame, &fit.coefficients);
    for (index, name) in frame.design.term_names.iter().enumerate() {
        if fit.infinite[index] {
            warnings.push(Warning {
                term: Some(name.clone()),
                message: format!(
                    "the log-likelihood converged before {name}; its coefficient may be infinite (monotone \
                     likelihood, e.g. every event on one side of it), so its hazard ratio and interval are not usable"
                ),
            });
        }
    }
    if !fit.converged {
        warnings.push(Warning {
            term: None,
            message: format!(
                "the fit did not converge in {} iterations; the estimates are the last good step's",
                options.max_iterations
            ),
        });
    }
    warnings
}

/// A warning for each term left out of a model (R's NA coefficient), saying why.
pub(super) fn dropped_term_warnings(frame: &ModelFrame, coefficients: &[Option<f64>]) -> Vec<Warning> {
    frame
        .design
        .term_names
        .iter()
        .zip(&frame.design.values)
        .zip(coefficients)
        .filter(|(_, coefficient)| coefficient.is_none())
        .map(|((name, values), _)| {
            let constant = values.iter().all(|value| *value == values[0]);
            let constant_within_strata = frame.strata.as_ref().is_some_and(|strata| {
                let mut first: Vec<Option<f64>> = vec![None; strata.labels.len()];
                values
                    .iter()
                    .zip(&strata.codes)
                    .all(|(value, stratum)| *first[*stratum as usize].get_or_insert(*value) == *value)
            });
            let reason = if constant {
                "it has the same value in every row analysed"
            } else if constant_within_strata {
                "it has the same value within every stratum, so a stratified model cannot estimate it"
            } else {
                "it is a linear combination of the other terms (collinear)"
            };
            Warning {
                term: Some(name.clone()),
                message: format!("{name} was left out of the model: {reason}; R reports its coefficient as NA"),
            }
        })
        .collect()
}

fn zph_report(
    frame: &ModelFrame,
    events: &[bool],
    fit: &CoxFit,
    kept: &[usize],
    strata: Option<&[u32]>,
    options: &CoxOptions,
) -> Result<ZphReport, Error> {
    let covariates: Vec<Vec<f64>> = kept.iter().map(|index| frame.design.values[*index].clone()).collect();
    let coefficients: Vec<f64> = kept.iter().filter_map(|index| fit.coefficients[*index]).collect();
    let covariate_terms: Vec<(String, Vec<usize>)> = frame
        .design
        .covariate_terms
        .iter()
        .map(|(name, terms)| {
            (name.clone(), terms.iter().filter_map(|term| kept.iter().position(|index| index == term)).collect())
        })
        .collect();
    let test = cox_zph(&ZphInput {
        time: &frame.time,
        event: events,
        covariates: &covariates,
        coefficients: &coefficients,
        strata,
        ties: options.ties,
        covariate_terms: &covariate_terms,
    })?;
    Ok(ZphReport {
        terms: test
            .covariates
            .into_iter()
            .map(|row| ZphTerm { term: row.name, chisq: row.chisq + 0.0, df: row.df, p: row.p })
            .collect(),
        global: ZphGlobal { chisq: test.global.chisq + 0.0, df: test.global.df, p: test.global.p },
    })
}

#[cfg(test)]
mod time_dependent_tests {
    use crate::analysis::{analyze_table, Request};
    use crate::data::{ReadOptions, Table};
    use crate::report::Report;

    fn run(csv: &str, json: &str) -> Result<Report, crate::error::Error> {
        let table = Table::parse(csv, &ReadOptions::default()).unwrap();
        analyze_table(&table, &Request::from_json(json)?)
    }

    const EXPOSURE: &str = r#"{"analysis":"cox","time":"t","event":"e","covariates":["x"],"exposure_time":"tx"}"#;
    const START: &str = r#"{"analysis":"cox","start":"s","time":"t","event":"e","covariates":["x"]}"#;

    #[test]
    fn the_exposure_is_the_first_term_and_each_patient_counts_once() {
        let csv = "t,e,x,tx\n5,1,1,2\n6,0,0,\n3,1,1,3\n4,1,0,0\n8,1,1,1\n7,0,0,9\n2,1,1,\n";
        let Report::Cox(report) = run(csv, EXPOSURE).unwrap() else { panic!() };
        assert_eq!(report.terms[0].term, "tx");
        let exposure = report.time_dependent.unwrap();
        // Patients 1 and 5 split at 2 and 1; patient 4 exposed from 0; 3 and 6 never while followed.
        assert_eq!((report.n, report.events, exposure.n_exposed, exposure.intervals), (7, 5, 3, 9));
    }

    #[test]
    fn start_times_at_or_after_the_stop_are_refused_by_row() {
        let error = run("s,t,e,x\n0,5,1,1\n5,5,0,0\n6,4,1,1\n1,3,1,0\n", START).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("row 3") && message.contains("row 4") && !message.contains("row 5"), "{message}");
        assert_eq!((error.row(), error.column()), (Some(3), Some("s")));
    }

    #[test]
    fn refuses_a_start_column_with_an_exposure_and_the_time_column_as_start() {
        let both = r#"{"analysis":"cox","start":"s","time":"t","event":"e","covariates":["x"],"exposure_time":"tx"}"#;
        assert!(Request::from_json(both).unwrap_err().to_string().starts_with("start: "));
        let same = r#"{"analysis":"cox","start":"t","time":"t","event":"e","covariates":["x"]}"#;
        assert!(Request::from_json(same).unwrap_err().to_string().contains("start column is the time column"));
        let screen =
            r#"{"analysis":"cox","time":"t","event":"e","covariates":["x"],"exposure_time":"tx","univariate":true}"#;
        assert!(Request::from_json(screen).unwrap_err().to_string().starts_with("univariate: "));
    }

    #[test]
    fn proportional_hazards_on_intervals_is_a_warning_not_a_number() {
        let csv = "t,e,x,tx\n5,1,1,2\n6,0,0,\n3,1,1,3\n4,1,0,0\n8,1,1,1\n7,0,0,9\n2,1,1,\n";
        let json = EXPOSURE.replace("}", r#","zph":true}"#);
        let Report::Cox(report) = run(csv, &json).unwrap() else { panic!() };
        assert!(report.zph.is_none());
        assert!(report.warnings.iter().any(|warning| warning.message.contains("cox.zph")));
    }
}
