//! Cox regression: request -> model frame -> fit, concordance and `cox.zph` -> report.

use super::request::{optional_column, CoxRequest};
use crate::data::{DesignSpec, ModelFrame, ModelSpec, Table};
use crate::error::Error;
use crate::estimate::concordance::concordance;
use crate::estimate::cox::{cox_ph, CoxFit, CoxOptions};
use crate::estimate::cox_zph::{cox_zph, ZphInput};
use crate::estimate::distribution::{chi_square_upper_tail, two_sided_normal_p, two_sided_normal_quantile};
use crate::estimate::linear_algebra::Cholesky;
use crate::estimate::timefix::merge_near_ties;
use crate::report::AnalysisName;
use crate::report::{
    ChiSquareTest, ConcordanceReport, CoxReport, CoxScreenReport, CoxTerm, LogLikelihood, MergedTimesReport,
    ModelTests, ScreenModel, Warning, ZphGlobal, ZphReport, ZphTerm,
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
    // coxph applies aeqSurv to the model's response; its concordance and cox.zph use that fit's y.
    let merged = merge_near_ties(&frame.time, request.endpoint.time_fix());
    frame.time = merged.time;
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
    let fit = cox_ph(&frame.time, &events, &frame.design.values, strata_codes, &options)?;

    let terms = terms(&frame, &fit.coefficients, &fit.variance, conf_level);
    let warnings = warnings(&frame, &fit, &options);
    let kept: Vec<usize> = (0..n_terms).filter(|index| fit.coefficients[*index].is_some()).collect();
    let df = kept.len();
    let likelihood_ratio = 2.0 * (fit.loglik_model - fit.loglik_null);
    let wald = wald_statistic(&fit, &kept, options.cholesky_tolerance);
    let concordance = concordance(&frame.time, &events, &fit.linear_predictor, strata_codes);
    let mut warnings = warnings;
    let zph = if request.zph {
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
        conf_level,
        n: frame.len(),
        events: n_events,
        n_dropped: frame.n_dropped,
        merged_times: MergedTimesReport::of(merged.moved),
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
