//! The test of proportional hazards from scaled Schoenfeld residuals, per covariate and global.
//!
//! Time is transformed by the pooled Kaplan-Meier ("km"): g(t) = 1 - S(t-), centred at its mean
//! over the events. The test is the score test, at the fitted coefficients b, of adding the terms
//! x g(t). At each event time t of a stratum, with risk-set weights r = exp(x' b), weighted mean
//! x̄ and weighted covariance V over the risk set, and d deaths:
//!   U2 += g(t) sum over deaths of (x_i - x̄)
//!   I11 += d V,   I12 += d g(t) V,   I22 += d g(t)^2 V                       (Breslow)
//! and for Efron the deaths' weights are scaled by (1 - k/d), k = 0..d-1, with one V and one x̄
//! per k. With the Schur complement W = I22 - I12' I11^-1 I12:
//!   global: U2' W^-1 U2 on p df;   a covariate with terms J: U2_J' (W_JJ)^-1 U2_J on |J| df.
//!
//! Reference: Grambsch & Therneau (1994), Biometrika 81:515-526; Therneau & Grambsch (2000), 6.2.
//! Reproduces `cox.zph(fit, transform = "km", terms = TRUE)$table` (survival 3.x).

use super::cox::Ties;
use super::distribution::chi_square_upper_tail;
use super::km::{kaplan_meier, KaplanMeierOptions};
use super::linear_algebra::solve;
use crate::error::Error;

/// One row of the test: a covariate or the global test.
#[derive(Debug, Clone, PartialEq)]
pub struct ZphRow {
    pub name: String,
    pub chisq: f64,
    pub df: usize,
    pub p: Option<f64>,
}

/// The test per covariate, then globally.
#[derive(Debug, Clone, PartialEq)]
pub struct ZphTest {
    pub covariates: Vec<ZphRow>,
    pub global: ZphRow,
}

/// The data of a fitted model that the test needs.
pub struct ZphInput<'a> {
    pub time: &'a [f64],
    pub event: &'a [bool],
    /// `covariates[term][row]`, only the terms with a coefficient.
    pub covariates: &'a [Vec<f64>],
    pub coefficients: &'a [f64],
    pub strata: Option<&'a [u32]>,
    pub ties: Ties,
    /// Each covariate's name and its terms (indices into `covariates`).
    pub covariate_terms: &'a [(String, Vec<usize>)],
}

/// # Errors
/// [`Error::NotEstimable`] when the information matrices are singular.
pub fn cox_zph(input: &ZphInput<'_>) -> Result<ZphTest, Error> {
    let p = input.covariates.len();
    let n = input.time.len();
    let g = centred_km_time(input.time, input.event);
    let linear: Vec<f64> =
        (0..n).map(|row| (0..p).map(|term| input.coefficients[term] * input.covariates[term][row]).sum()).collect();
    let shift = linear.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let risk: Vec<f64> = linear.iter().map(|value| super::distribution::exp(value - shift)).collect();

    let stratum_of = |row: usize| input.strata.map_or(0, |strata| strata[row]);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|a, b| stratum_of(*a).cmp(&stratum_of(*b)).then(input.time[*a].total_cmp(&input.time[*b])));

    let mut sums = ScoreSums::new(p);
    let mut start = 0;
    while start < n {
        let stratum = stratum_of(order[start]);
        let end = start + order[start..].iter().take_while(|row| stratum_of(**row) == stratum).count();
        sums.add_stratum(&order[start..end], input, &risk, &g);
        start = end;
    }

    let schur = sums.schur_complement().ok_or_else(singular)?;
    let test = |terms: &[usize]| -> Result<(f64, usize), Error> {
        let matrix: Vec<Vec<f64>> = terms.iter().map(|i| terms.iter().map(|j| schur[*i][*j]).collect()).collect();
        let score: Vec<f64> = terms.iter().map(|i| sums.u2[*i]).collect();
        let solution = solve(matrix, score.clone()).ok_or_else(singular)?;
        Ok((solution.iter().zip(&score).map(|(x, u)| x * u).sum(), terms.len()))
    };
    let covariates = input
        .covariate_terms
        .iter()
        .filter(|(_, terms)| !terms.is_empty())
        .map(|(name, terms)| {
            let (chisq, df) = test(terms)?;
            Ok(ZphRow { name: name.clone(), chisq, df, p: chi_square_upper_tail(chisq, df) })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let all: Vec<usize> = (0..p).collect();
    let (chisq, df) = test(&all)?;
    Ok(ZphTest { covariates, global: ZphRow { name: "GLOBAL".into(), chisq, df, p: chi_square_upper_tail(chisq, df) } })
}

fn singular() -> Error {
    Error::NotEstimable {
        what: "the proportional-hazards test".into(),
        reason: "its information matrix is singular".into(),
    }
}

/// 1 - S(t-) from the Kaplan-Meier of all rows pooled, centred at its mean over the events.
fn centred_km_time(time: &[f64], event: &[bool]) -> Vec<f64> {
    let curve = kaplan_meier(time, event, &KaplanMeierOptions::default());
    let g: Vec<f64> = time
        .iter()
        .map(|t| {
            let before = curve.time.partition_point(|step| step < t);
            1.0 - if before == 0 { 1.0 } else { curve.surv[before - 1] }
        })
        .collect();
    let (sum, count) =
        g.iter().zip(event).filter(|(_, event)| **event).fold((0.0, 0.0), |(s, c), (g, _)| (s + g, c + 1.0));
    let mean = if count > 0.0 { sum / count } else { 0.0 };
    g.iter().map(|value| value - mean).collect()
}

/// U2 and the three information blocks, accumulated over event times.
struct ScoreSums {
    u2: Vec<f64>,
    i11: Vec<Vec<f64>>,
    i12: Vec<Vec<f64>>,
    i22: Vec<Vec<f64>>,
}

impl ScoreSums {
    fn new(p: usize) -> ScoreSums {
        ScoreSums {
            u2: vec![0.0; p],
            i11: vec![vec![0.0; p]; p],
            i12: vec![vec![0.0; p]; p],
            i22: vec![vec![0.0; p]; p],
        }
    }

    /// One stratum, its rows sorted by time; walks from the last time back, growing the risk set.
    #[allow(clippy::needless_range_loop, reason = "the subscripts of the sums w x_i x_j, as cox.zph writes them")]
    fn add_stratum(&mut self, rows: &[usize], input: &ZphInput<'_>, risk: &[f64], g: &[f64]) {
        let p = self.u2.len();
        let x = |term: usize, row: usize| input.covariates[term][row];
        let (mut s0, mut s1, mut s2) = (0.0, vec![0.0; p], vec![vec![0.0; p]; p]);
        let mut end = rows.len();
        while end > 0 {
            let current = input.time[rows[end - 1]];
            let start = end - rows[..end].iter().rev().take_while(|row| input.time[**row] == current).count();
            let (mut d0, mut d1, mut d2) = (0.0, vec![0.0; p], vec![vec![0.0; p]; p]);
            let mut death_x_sum = vec![0.0; p];
            let mut deaths = 0usize;
            for row in &rows[start..end] {
                let weight = risk[*row];
                s0 += weight;
                for i in 0..p {
                    s1[i] += weight * x(i, *row);
                    for j in 0..p {
                        s2[i][j] += weight * x(i, *row) * x(j, *row);
                    }
                }
                if input.event[*row] {
                    deaths += 1;
                    d0 += weight;
                    for i in 0..p {
                        d1[i] += weight * x(i, *row);
                        death_x_sum[i] += x(i, *row);
                        for j in 0..p {
                            d2[i][j] += weight * x(i, *row) * x(j, *row);
                        }
                    }
                }
            }
            if deaths > 0 {
                let g_t = g[rows[start]];
                let d = deaths as f64;
                let repeats = match input.ties {
                    Ties::Breslow => 1,
                    Ties::Efron => deaths,
                };
                let weight = d / repeats as f64;
                for k in 0..repeats {
                    let share = if input.ties == Ties::Efron { k as f64 / d } else { 0.0 };
                    let w0 = s0 - share * d0;
                    let mean: Vec<f64> = (0..p).map(|i| (s1[i] - share * d1[i]) / w0).collect();
                    for i in 0..p {
                        self.u2[i] -= g_t * weight * mean[i];
                        for j in 0..p {
                            let covariance = (s2[i][j] - share * d2[i][j]) / w0 - mean[i] * mean[j];
                            self.i11[i][j] += weight * covariance;
                            self.i12[i][j] += weight * g_t * covariance;
                            self.i22[i][j] += weight * g_t * g_t * covariance;
                        }
                    }
                }
                for (u, sum) in self.u2.iter_mut().zip(&death_x_sum) {
                    *u += g_t * sum;
                }
            }
            end = start;
        }
    }

    /// I22 - I12' I11^-1 I12; `None` when I11 is singular.
    fn schur_complement(&self) -> Option<Vec<Vec<f64>>> {
        let p = self.u2.len();
        // Columns of I11^-1 I12, one solve per column.
        let mut solved = vec![vec![0.0; p]; p];
        for column in 0..p {
            let right: Vec<f64> = (0..p).map(|row| self.i12[row][column]).collect();
            let x = solve(self.i11.clone(), right)?;
            for (solved_row, value) in solved.iter_mut().zip(x) {
                solved_row[column] = value;
            }
        }
        Some(
            (0..p)
                .map(|i| {
                    (0..p)
                        .map(|j| self.i22[i][j] - (0..p).map(|k| self.i12[k][i] * solved[k][j]).sum::<f64>())
                        .collect()
                })
                .collect(),
        )
    }
}
