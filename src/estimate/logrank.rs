//! The log-rank test and the Fleming-Harrington G-rho family, optionally stratified.
//!
//! At each distinct event time t of a stratum, with n at risk (n_g in group g) and d events:
//!   weight w = S(t-)^rho, S the left-continuous Kaplan-Meier of the stratum's pooled data
//!   O_g += w d_g            E_g += w d n_g / n
//!   V_gh += w^2 d (n - d) / (n (n - 1)) * n_g (1[g = h] - n_h / n)     (only when n > 1)
//! O, E and V are summed over strata. Groups with E_g = 0 are left out; with the first of the rest
//! dropped, chisq = (O - E)' V^-1 (O - E) on (number of groups with E_g > 0) - 1 degrees of freedom.
//! With fewer than two such groups there is nothing to test: chisq = 0 on 0 df and p = 1, as
//! `survdiff` and `pchisq(0, 0, lower.tail = FALSE)` give.
//! Ties: all events at a time form one step; censorings at an event time are at risk at it.
//! rho = 0 is the log-rank test (Mantel-Haenszel); rho = 1 is the Peto-Peto modification of the
//! Gehan-Wilcoxon test.
//!
//! Reference: Harrington & Fleming (1982); Therneau & Grambsch (2000), sec. 3.3.
//! Reproduces `survdiff(Surv(time, status) ~ group + strata(s), rho = rho)`.

use super::distribution::chi_square_upper_tail;
use super::linear_algebra::solve;
use crate::error::Error;

/// Options of [`log_rank`]; R's default is rho = 0, the log-rank test.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LogRankOptions {
    pub rho: f64,
}

/// The test, with observed and expected (weighted when rho != 0) per group, summed over strata.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRankTest {
    pub n: Vec<usize>,
    pub observed: Vec<f64>,
    pub expected: Vec<f64>,
    /// The variance matrix of O - E, groups by groups.
    pub variance: Vec<Vec<f64>>,
    pub chisq: f64,
    pub df: usize,
    /// 1 when fewer than two groups have expected events (chisq 0 on 0 df), as R gives.
    pub p: Option<f64>,
}

/// Compares the survival of `n_groups` groups; `group[i]` is row i's group index and `strata`,
/// when given, its stratum index.
///
/// # Errors
/// [`Error::NotEstimable`] when the variance matrix is singular, so the statistic has no value.
///
/// # Examples
/// ```
/// use survkit::estimate::logrank::{log_rank, LogRankOptions};
/// let test = log_rank(&[1.0, 2.0, 3.0, 4.0], &[true, true, true, true], &[0, 1, 0, 1], 2, None,
///                     &LogRankOptions::default()).unwrap();
/// assert_eq!(test.observed, vec![2.0, 2.0]);
/// assert_eq!(test.df, 1);
/// ```
pub fn log_rank(
    time: &[f64],
    event: &[bool],
    group: &[u32],
    n_groups: usize,
    strata: Option<&[u32]>,
    options: &LogRankOptions,
) -> Result<LogRankTest, Error> {
    let stratum_of = |row: usize| strata.map_or(0, |strata| strata[row]);
    // Within a stratum: by time, events before censorings at the same time.
    let mut order: Vec<usize> = (0..time.len()).collect();
    order.sort_unstable_by(|a, b| {
        stratum_of(*a).cmp(&stratum_of(*b)).then(time[*a].total_cmp(&time[*b])).then(event[*b].cmp(&event[*a]))
    });

    let mut n = vec![0usize; n_groups];
    for g in group {
        n[*g as usize] += 1;
    }
    let mut observed = vec![0.0; n_groups];
    let mut expected = vec![0.0; n_groups];
    let mut variance = vec![vec![0.0; n_groups]; n_groups];
    let mut start = 0;
    while start < order.len() {
        let stratum = stratum_of(order[start]);
        let end = start + order[start..].iter().take_while(|row| stratum_of(**row) == stratum).count();
        accumulate_stratum(
            &order[start..end],
            time,
            event,
            group,
            options.rho,
            (&mut observed, &mut expected, &mut variance),
        );
        start = end;
    }

    let all_finite = observed.iter().chain(&expected).chain(variance.iter().flatten()).all(|value| value.is_finite());
    if !all_finite {
        return Err(Error::NotEstimable {
            what: "the weighted log-rank test".into(),
            reason: format!("the weights S(t-)^{} overflow; use a rho between 0 and 1", options.rho),
        });
    }
    let informative: Vec<usize> = (0..n_groups).filter(|g| expected[*g] > 0.0).collect();
    let df = informative.len().saturating_sub(1);
    let chisq = if informative.len() < 2 {
        0.0
    } else {
        let kept = &informative[1..];
        let difference: Vec<f64> = kept.iter().map(|g| observed[*g] - expected[*g]).collect();
        let matrix: Vec<Vec<f64>> = kept.iter().map(|g| kept.iter().map(|h| variance[*g][*h]).collect()).collect();
        let solution = solve(matrix, difference.clone()).ok_or_else(|| Error::NotEstimable {
            what: "the log-rank test".into(),
            reason: "the groups' variance matrix is singular (a group may share no time at risk with the others)"
                .into(),
        })?;
        solution.iter().zip(&difference).map(|(x, d)| x * d).sum()
    };
    // With fewer than two groups expecting events there is nothing to test: survdiff reports
    // chisq 0 on 0 df, and pchisq(0, 0, lower.tail = FALSE) is 1.
    let p = if df == 0 { Some(1.0) } else { chi_square_upper_tail(chisq, df) };
    Ok(LogRankTest { n, observed, expected, variance, chisq, df, p })
}

/// Adds one stratum's contributions, walking its rows (sorted by time) from the last time back,
/// so the numbers at risk build up as they go.
///
/// With a_t = w d / n, b_t = w^2 d (n - d) / (n (n - 1)) and c_t = b_t / n at each event time,
///   E_g = sum a_t n_g(t),   V = diag(sum b_t n_g(t)) - sum c_t n(t) n(t)'.
/// n_g(t) changes only at the times where group g has rows, so the sums are kept as running
/// totals of a, b and c and each group's (and pair's) share is added when its count changes:
/// the cost is O(k) per group change instead of O(k^2) per event time, linear in the rows for a
/// fixed number of groups k.
fn accumulate_stratum(
    rows: &[usize],
    time: &[f64],
    event: &[bool],
    group: &[u32],
    rho: f64,
    (observed, expected, variance): (&mut [f64], &mut [f64], &mut [Vec<f64>]),
) {
    let n_groups = observed.len();
    let weights = if rho == 0.0 { None } else { Some(left_continuous_kaplan_meier(rows, time, event)) };
    let mut at_risk = vec![0.0_f64; n_groups];
    let mut totals = RunningTotals::new(n_groups);
    let mut changed: Vec<usize> = Vec::new();
    let mut end = rows.len();
    while end > 0 {
        let current = time[rows[end - 1]];
        let start = end - rows[..end].iter().rev().take_while(|row| time[**row] == current).count();
        let weight = weights.as_ref().map_or(1.0, |km| super::distribution::pow(km[start], rho));
        changed.clear();
        for row in &rows[start..end] {
            let g = group[*row] as usize;
            if !changed.contains(&g) {
                changed.push(g);
            }
        }
        // Each group whose count changes now takes its share of the totals so far.
        for g in &changed {
            totals.settle(*g, &at_risk, expected, variance);
        }
        let mut deaths = 0.0;
        for row in &rows[start..end] {
            let g = group[*row] as usize;
            at_risk[g] += 1.0;
            if event[*row] {
                deaths += 1.0;
                observed[g] += weight;
            }
        }
        let n_risk = (rows.len() - start) as f64;
        if deaths > 0.0 {
            totals.a += weight * deaths / n_risk;
            if n_risk > 1.0 {
                let b = weight * weight * deaths * (n_risk - deaths) / (n_risk * (n_risk - 1.0));
                totals.b += b;
                totals.c += b / n_risk;
            }
        }
        end = start;
    }
    // Everyone's share since their last change.
    for g in 0..n_groups {
        totals.settle(g, &at_risk, expected, variance);
    }
}

/// The running totals of a_t, b_t and c_t over the event times walked so far, and their values
/// when each group's (and each pair's) share was last added.
struct RunningTotals {
    a: f64,
    b: f64,
    c: f64,
    added_a: Vec<f64>,
    added_b: Vec<f64>,
    added_c: Vec<Vec<f64>>,
}

impl RunningTotals {
    fn new(n_groups: usize) -> RunningTotals {
        RunningTotals {
            a: 0.0,
            b: 0.0,
            c: 0.0,
            added_a: vec![0.0; n_groups],
            added_b: vec![0.0; n_groups],
            added_c: vec![vec![0.0; n_groups]; n_groups],
        }
    }

    /// Adds group `g`'s share (and its pairs') of the totals since it was last settled, at the
    /// numbers at risk it had all that while; a pair settled by its other group adds nothing.
    fn settle(&mut self, g: usize, at_risk: &[f64], expected: &mut [f64], variance: &mut [Vec<f64>]) {
        expected[g] += at_risk[g] * (self.a - self.added_a[g]);
        variance[g][g] += at_risk[g] * (self.b - self.added_b[g]);
        self.added_a[g] = self.a;
        self.added_b[g] = self.b;
        for h in 0..at_risk.len() {
            let share = at_risk[g] * at_risk[h] * (self.c - self.added_c[g][h]);
            variance[g][h] -= share;
            if h != g {
                variance[h][g] -= share;
            }
            self.added_c[g][h] = self.c;
            self.added_c[h][g] = self.c;
        }
    }
}

/// For each row (in the stratum's time order), the pooled Kaplan-Meier just before its time.
fn left_continuous_kaplan_meier(rows: &[usize], time: &[f64], event: &[bool]) -> Vec<f64> {
    let mut km = vec![1.0; rows.len()];
    let mut survival = 1.0;
    let mut start = 0;
    while start < rows.len() {
        let current = time[rows[start]];
        let end = start + rows[start..].iter().take_while(|row| time[**row] == current).count();
        let deaths = rows[start..end].iter().filter(|row| event[**row]).count() as f64;
        let n_risk = (rows.len() - start) as f64;
        km[start..end].fill(survival);
        survival *= (n_risk - deaths) / n_risk;
        start = end;
    }
    km
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two groups, no ties, worked by hand: at t=1 (4 at risk, 2 in each) group 0 dies, and so on.
    #[test]
    fn two_groups_by_hand() {
        let time = [1.0, 2.0, 3.0, 4.0];
        let event = [true, true, true, true];
        let group = [0, 1, 0, 1];
        let test = log_rank(&time, &event, &group, 2, None, &LogRankOptions::default()).unwrap();
        // Expected for group 0: 2/4 + 1/3 + 1/2 + 0/1.
        let expected_0 = 0.5 + 1.0 / 3.0 + 0.5;
        assert!((test.expected[0] - expected_0).abs() < 1e-15);
        // Variance: sum of n0 n1 d (n - d) / (n^2 (n - 1)).
        let variance = 2.0 * 2.0 * 3.0 / (16.0 * 3.0) + 1.0 * 2.0 * 2.0 / (9.0 * 2.0) + 1.0 * 1.0 * 1.0 / (4.0 * 1.0);
        assert!((test.variance[0][0] - variance).abs() < 1e-15);
        let chisq = crate::estimate::distribution::square(2.0 - expected_0) / variance;
        assert!((test.chisq - chisq).abs() < 1e-14);
    }
}
