//! Cox proportional hazards regression by Newton-Raphson on the partial likelihood.
//!
//! With risk score r_i = exp(x_i' b), at each event time t of a stratum with risk set R(t)
//! (time >= t), deaths D(t) (d of them) and sums over R(t) of r, r x, r x x':
//!   Breslow: log L += sum over D of x_i' b - d log S0
//!   Efron:   log L += sum over D of x_i' b - sum over k = 0..d-1 of log(S0 - (k/d) S0_D)
//! where S0_D is the deaths' share; the score U and the information I are the first and minus
//! second derivatives, built from the same running sums in one backward pass over the sorted
//! rows, so each iteration costs O(n p^2) after one sort.
//! Iteration (survival's coxfit6): start at b = 0 (whose score statistic U' I^-1 U is the score
//! test); step b + I^-1 U; stop when |1 - L_best / L_new| <= 1e-9 (at most 20 steps); a step that
//! lowers L is pulled back towards the last good b (step halving). Columns that are not 0/1/-1
//! are centred and scaled first, which leaves the Newton path unchanged and keeps exp() finite.
//! Collinear or constant columns are found by survival's Cholesky (`cholesky2`, tolerance
//! machine epsilon^0.75) and get no coefficient (R's NA). A coefficient that runs off to
//! infinity (separation) is flagged when |U' Var| > 1e-9 and > sqrt(1e-9) |b|, as R warns
//! "coefficient may be infinite".
//!
//! Counting-process data (`cox_ph_counting`): each row is an interval (start, stop] and is in the
//! risk set at t when start < t <= stop (Andersen & Gill 1982), so a patient split at a
//! transplant is at risk once, with the covariate value of the interval holding t. The backward
//! pass adds a row when t reaches its stop and removes it once t is at or before its start
//! (survival's `agfit4`), still one sort per fit and linear scans per iteration.
//!
//! Reference: Cox (1972); Efron (1977); Andersen & Gill (1982); Therneau & Grambsch (2000), ch. 3.
//! Reproduces `coxph(Surv(time, status) ~ x1 + x2 + strata(s), ties = "efron")` and
//! `coxph(Surv(tstart, tstop, status) ~ ...)` on counting-process (e.g. `tmerge`) data.

use serde::{Deserialize, Serialize};

use super::linear_algebra::{mirror_upper_triangle, Cholesky};
use crate::error::Error;

/// How tied event times enter the partial likelihood; R's default is [`Ties::Efron`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Ties {
    #[default]
    Efron,
    Breslow,
}

/// Options of [`cox_ph`]; the defaults are `coxph.control()`'s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoxOptions {
    pub ties: Ties,
    /// `iter.max = 20`.
    pub max_iterations: usize,
    /// `eps = 1e-9`: the relative change in log-likelihood that ends the iteration.
    pub epsilon: f64,
    /// `toler.chol = .Machine$double.eps^0.75`.
    pub cholesky_tolerance: f64,
}

impl Default for CoxOptions {
    fn default() -> Self {
        CoxOptions {
            ties: Ties::Efron,
            max_iterations: 20,
            epsilon: 1e-9,
            cholesky_tolerance: super::distribution::pow(f64::EPSILON, 0.75),
        }
    }
}

/// A fitted model, on the covariates' own scale.
#[derive(Debug, Clone, PartialEq)]
pub struct CoxFit {
    /// `None` for a term dropped as collinear or constant (R's NA).
    pub coefficients: Vec<Option<f64>>,
    /// The inverse information at the estimate; rows and columns of dropped terms are 0.
    pub variance: Vec<Vec<f64>>,
    pub loglik_null: f64,
    pub loglik_model: f64,
    /// The score test of all coefficients being 0.
    pub score_statistic: f64,
    pub iterations: usize,
    pub converged: bool,
    /// Terms whose estimate seems to be infinite (monotone likelihood).
    pub infinite: Vec<bool>,
    /// x' b - mean(x)' b for each row, as `fit$linear.predictors`.
    pub linear_predictor: Vec<f64>,
    /// Each term's mean.
    pub means: Vec<f64>,
}

/// The model's rows, sorted by stratum then (stop) time, with centred and scaled covariates.
struct SortedData {
    time: Vec<f64>,
    event: Vec<bool>,
    /// True on the last row (in sorted order) of each stratum.
    stratum_end: Vec<bool>,
    /// Each sorted row's stratum code.
    stratum: Vec<u32>,
    /// Counting-process rows: each sorted row's start, and the sorted rows in (stratum, start)
    /// order, the order in which the backward pass lets them leave the risk set.
    entry: Option<Entries>,
    /// `covariates[term][row]`, centred and scaled.
    covariates: Vec<Vec<f64>>,
}

/// The partial log-likelihood, its score and information at one coefficient vector.
struct Derivatives {
    loglik: f64,
    score: Vec<f64>,
    information: Vec<Vec<f64>>,
}

/// Fits the model. `covariates[term][row]`; `strata[row]` when stratified.
///
/// # Errors
/// No events, or a log-likelihood that is not finite at 0 (which cannot happen with finite data).
///
/// # Examples
/// ```
/// use survkit::estimate::cox::{cox_ph, CoxOptions};
/// let time = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
/// let event = [true, true, false, true, true, false];
/// let x = vec![vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0]];
/// let fit = cox_ph(&time, &event, &x, None, &CoxOptions::default()).unwrap();
/// assert!(fit.converged);
/// assert!(fit.loglik_model >= fit.loglik_null);
/// ```
pub fn cox_ph(
    time: &[f64],
    event: &[bool],
    covariates: &[Vec<f64>],
    strata: Option<&[u32]>,
    options: &CoxOptions,
) -> Result<CoxFit, Error> {
    fit(None, time, event, covariates, strata, options)
}

/// Fits the model on counting-process rows (`start`, `stop`], as
/// `coxph(Surv(start, stop, event) ~ ...)`. Every start must be below its stop (the caller checks
/// and names the rows).
///
/// # Errors
/// As [`cox_ph`].
///
/// # Examples
/// ```
/// use survkit::estimate::cox::{cox_ph, cox_ph_counting, CoxOptions};
/// // Intervals that all start at 0 are the ordinary model.
/// let stop = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
/// let event = [true, true, false, true, true, false];
/// let x = vec![vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0]];
/// let counting = cox_ph_counting(&[0.0; 6], &stop, &event, &x, None, &CoxOptions::default()).unwrap();
/// let ordinary = cox_ph(&stop, &event, &x, None, &CoxOptions::default()).unwrap();
/// assert!((counting.loglik_model - ordinary.loglik_model).abs() < 1e-12);
/// ```
pub fn cox_ph_counting(
    start: &[f64],
    stop: &[f64],
    event: &[bool],
    covariates: &[Vec<f64>],
    strata: Option<&[u32]>,
    options: &CoxOptions,
) -> Result<CoxFit, Error> {
    fit(Some(start), stop, event, covariates, strata, options)
}

fn fit(
    start: Option<&[f64]>,
    time: &[f64],
    event: &[bool],
    covariates: &[Vec<f64>],
    strata: Option<&[u32]>,
    options: &CoxOptions,
) -> Result<CoxFit, Error> {
    let n_terms = covariates.len();
    if !event.iter().any(|event| *event) {
        return Err(Error::NotEstimable {
            what: "the Cox model".into(),
            reason: "there are no events among the rows analysed".into(),
        });
    }
    let (means, scales) = centring(covariates);
    let data = sort_rows(start, time, event, covariates, strata, &means, &scales);

    let mut beta = vec![0.0; n_terms];
    let initial = derivatives(&data, &beta, options.ties);
    let loglik_null = initial.loglik;
    if !loglik_null.is_finite() {
        return Err(Error::NotEstimable {
            what: "the Cox model".into(),
            reason: "the log-likelihood is not finite".into(),
        });
    }
    let mut factor = Cholesky::new(initial.information, options.cholesky_tolerance);
    let step = factor.solve(&initial.score);
    let score_statistic: f64 = initial.score.iter().zip(&step).map(|(u, s)| u * s).sum();

    let mut best_loglik = loglik_null;
    let mut new_beta: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + s).collect();
    let mut halving = 0.0;
    let mut iterations = 0;
    let mut converged = false;
    let mut last_score = initial.score;
    for iteration in 1..=options.max_iterations {
        iterations = iteration;
        let current = derivatives(&data, &new_beta, options.ties);
        let finite = current.loglik.is_finite()
            && current.score.iter().all(|u| u.is_finite())
            && current.information.iter().flatten().all(|v| v.is_finite());
        factor = Cholesky::new(current.information, options.cholesky_tolerance);
        if finite && (1.0 - best_loglik / current.loglik).abs() <= options.epsilon {
            best_loglik = current.loglik;
            beta = new_beta.clone();
            last_score = current.score;
            converged = true;
            break;
        }
        if !finite || current.loglik < best_loglik {
            halving += 1.0;
            for (new, old) in new_beta.iter_mut().zip(&beta) {
                *new = (*new + halving * old) / (halving + 1.0);
            }
        } else {
            halving = 0.0;
            best_loglik = current.loglik;
            let step = factor.solve(&current.score);
            beta = new_beta.clone();
            for (new, s) in new_beta.iter_mut().zip(&step) {
                *new += s;
            }
            last_score = current.score;
        }
    }
    if !converged {
        // Out of iterations: report the last good estimate, with its own information.
        let current = derivatives(&data, &beta, options.ties);
        best_loglik = current.loglik;
        last_score = current.score;
        factor = Cholesky::new(current.information, options.cholesky_tolerance);
    }

    let scaled_variance = factor.inverse();
    let variance: Vec<Vec<f64>> =
        (0..n_terms).map(|i| (0..n_terms).map(|j| scaled_variance[i][j] * scales[i] * scales[j]).collect()).collect();
    let score: Vec<f64> = last_score.iter().zip(&scales).map(|(u, scale)| u / scale).collect();
    let estimates: Vec<f64> = beta.iter().zip(&scales).map(|(b, scale)| b * scale).collect();
    let coefficients: Vec<Option<f64>> =
        (0..n_terms).map(|i| (variance[i][i] != 0.0).then_some(estimates[i])).collect();
    let infinite: Vec<bool> = (0..n_terms)
        .map(|j| {
            let drift: f64 = (0..n_terms).map(|i| score[i] * variance[i][j]).sum::<f64>().abs();
            converged
                && coefficients[j].is_some()
                && drift > options.epsilon
                && drift > options.epsilon.sqrt() * estimates[j].abs()
        })
        .collect();
    let offset: f64 = coefficients.iter().zip(&means).map(|(b, mean)| b.unwrap_or(0.0) * mean).sum();
    let linear_predictor: Vec<f64> = (0..time.len())
        .map(|row| coefficients.iter().zip(covariates).map(|(b, x)| b.unwrap_or(0.0) * x[row]).sum::<f64>() - offset)
        .collect();
    Ok(CoxFit {
        coefficients,
        variance,
        loglik_null,
        loglik_model: best_loglik,
        score_statistic,
        iterations,
        converged,
        infinite,
        linear_predictor,
        means,
    })
}

/// Each term's mean and scale; a term with values only in {-1, 0, 1} is left as it is
/// (`coxph`'s `nocenter`), others are centred and scaled by n / sum |x - mean|.
fn centring(covariates: &[Vec<f64>]) -> (Vec<f64>, Vec<f64>) {
    covariates
        .iter()
        .map(|values| {
            if values.iter().all(|value| [-1.0, 0.0, 1.0].contains(value)) {
                return (0.0, 1.0);
            }
            let n = values.len() as f64;
            let mean = values.iter().sum::<f64>() / n;
            let spread: f64 = values.iter().map(|value| (value - mean).abs()).sum();
            (mean, if spread > 0.0 { n / spread } else { 1.0 })
        })
        .unzip()
}

struct Entries {
    start: Vec<f64>,
    by_start: Vec<usize>,
}

fn sort_rows(
    start: Option<&[f64]>,
    time: &[f64],
    event: &[bool],
    covariates: &[Vec<f64>],
    strata: Option<&[u32]>,
    means: &[f64],
    scales: &[f64],
) -> SortedData {
    let stratum_of = |row: usize| strata.map_or(0, |strata| strata[row]);
    let mut keyed: Vec<(u32, f64, usize)> = (0..time.len()).map(|row| (stratum_of(row), time[row], row)).collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
    let order: Vec<usize> = keyed.iter().map(|(_, _, row)| *row).collect();
    let stratum_end = (0..order.len()).map(|i| i + 1 == order.len() || keyed[i + 1].0 != keyed[i].0).collect();
    let stratum: Vec<u32> = keyed.iter().map(|(stratum, _, _)| *stratum).collect();
    let entry = start.map(|start| {
        let start: Vec<f64> = order.iter().map(|row| start[*row]).collect();
        let mut by_start: Vec<usize> = (0..order.len()).collect();
        by_start.sort_unstable_by(|a, b| stratum[*a].cmp(&stratum[*b]).then(start[*a].total_cmp(&start[*b])));
        Entries { start, by_start }
    });
    SortedData {
        time: order.iter().map(|row| time[*row]).collect(),
        event: order.iter().map(|row| event[*row]).collect(),
        stratum_end,
        stratum,
        entry,
        covariates: covariates
            .iter()
            .zip(means.iter().zip(scales))
            .map(|(values, (mean, scale))| order.iter().map(|row| (values[*row] - mean) * scale).collect())
            .collect(),
    }
}

/// One backward pass over the sorted rows (survival's `coxfit6_iter`).
#[allow(clippy::needless_range_loop, reason = "the subscripts of the sums r x_i x_j, as coxfit6 writes them")]
fn derivatives(data: &SortedData, beta: &[f64], ties: Ties) -> Derivatives {
    let p = beta.len();
    let mut loglik = 0.0;
    let mut score = vec![0.0; p];
    let mut information = vec![vec![0.0; p]; p];
    // Running sums over the risk set: S0, S1 (p), S2 (p x p, lower triangle used).
    let mut denominator = 0.0;
    let mut first = vec![0.0; p];
    let mut second = vec![vec![0.0; p]; p];
    // The deaths' part at the current time.
    let mut death_denominator;
    let mut death_first = vec![0.0; p];
    let mut death_second = vec![vec![0.0; p]; p];
    let x = |term: usize, row: usize| data.covariates[term][row];
    let linear: Vec<f64> = (0..data.time.len()).map(|row| (0..p).map(|term| beta[term] * x(term, row)).sum()).collect();
    let risk: Vec<f64> = linear.iter().map(|value| super::distribution::exp(*value)).collect();
    // Counting-process rows leave the risk set, latest start first.
    let mut leaving = data.entry.as_ref().map_or(0, |entry| entry.by_start.len());

    let mut person = data.time.len();
    while person > 0 {
        if data.stratum_end[person - 1] {
            denominator = 0.0;
            first.iter_mut().for_each(|value| *value = 0.0);
            second.iter_mut().flatten().for_each(|value| *value = 0.0);
        }
        let current = data.time[person - 1];
        if let Some(entry) = &data.entry {
            let stratum = data.stratum[person - 1];
            while leaving > 0 {
                let row = entry.by_start[leaving - 1];
                if data.stratum[row] < stratum || (data.stratum[row] == stratum && entry.start[row] < current) {
                    break;
                }
                if data.stratum[row] == stratum {
                    // In the sums since its stop (> its start >= current) was passed.
                    denominator -= risk[row];
                    for i in 0..p {
                        first[i] -= risk[row] * x(i, row);
                        for j in 0..=i {
                            second[i][j] -= risk[row] * x(i, row) * x(j, row);
                        }
                    }
                }
                leaving -= 1;
            }
        }
        let mut deaths = 0usize;
        death_denominator = 0.0;
        death_first.iter_mut().for_each(|value| *value = 0.0);
        death_second.iter_mut().flatten().for_each(|value| *value = 0.0);
        while person > 0 && data.time[person - 1] == current {
            let row = person - 1;
            let (linear, risk) = (linear[row], risk[row]);
            let (target_denominator, target_first, target_second) = if data.event[row] {
                deaths += 1;
                loglik += linear;
                for (term, u) in score.iter_mut().enumerate() {
                    *u += x(term, row);
                }
                (&mut death_denominator, &mut death_first, &mut death_second)
            } else {
                (&mut denominator, &mut first, &mut second)
            };
            *target_denominator += risk;
            for i in 0..p {
                target_first[i] += risk * x(i, row);
                for j in 0..=i {
                    target_second[i][j] += risk * x(i, row) * x(j, row);
                }
            }
            person -= 1;
            if person > 0 && data.stratum_end[person - 1] {
                break; // ties do not cross strata
            }
        }
        if deaths == 0 {
            continue;
        }
        let d = deaths as f64;
        let (repeats, fraction) = match ties {
            Ties::Breslow => (1, 1.0),
            Ties::Efron if deaths == 1 => (1, 1.0),
            Ties::Efron => (deaths, 1.0 / d),
        };
        let weight = d / repeats as f64;
        for _ in 0..repeats {
            denominator += death_denominator * fraction;
            loglik -= weight * super::distribution::ln(denominator);
            for i in 0..p {
                first[i] += death_first[i] * fraction;
                let mean_i = first[i] / denominator;
                score[i] -= weight * mean_i;
                for j in 0..=i {
                    second[i][j] += death_second[i][j] * fraction;
                    information[j][i] += weight * (second[i][j] - mean_i * first[j]) / denominator;
                }
            }
        }
    }
    mirror_upper_triangle(&mut information);
    Derivatives { loglik, score, information }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One binary covariate, no ties: the score test equals the log-rank test (a textbook fact).
    #[test]
    fn score_test_is_the_log_rank_test() {
        let time = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        let event = [true, true, false, true, true, true, false, true];
        let group = [1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0];
        let fit = cox_ph(&time, &event, &[group.to_vec()], None, &CoxOptions::default()).unwrap();
        let codes: Vec<u32> = group.iter().map(|g| *g as u32).collect();
        let test = super::super::logrank::log_rank(&time, &event, &codes, 2, None, &Default::default()).unwrap();
        assert!((fit.score_statistic - test.chisq).abs() < 1e-12, "{} vs {}", fit.score_statistic, test.chisq);
    }

    #[test]
    fn a_constant_covariate_gets_no_coefficient() {
        let time = [1.0, 2.0, 3.0, 4.0, 5.0];
        let event = [true, true, true, false, true];
        let x = vec![vec![0.5, 1.0, 0.2, 0.9, 0.3], vec![2.0; 5]];
        let fit = cox_ph(&time, &event, &x, None, &CoxOptions::default()).unwrap();
        assert!(fit.coefficients[0].is_some());
        assert_eq!(fit.coefficients[1], None);
    }
}
