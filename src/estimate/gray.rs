//! Gray's test comparing the cumulative incidence of one cause across groups.
//!
//! For each group k, with n_k at risk, S_k(t-) its all-cause Kaplan-Meier and F_k(t-) its
//! incidence of the cause just before t, and pooled over groups
//!   R(t) = sum_k n_k / S_k(t-),   F(t) = F(t-) + d1(t) / R(t)
//! the score for group k (k = 1..K-1) is
//!   s_k = sum over times of (1 - F(t-))^rho [d1_k(t) - d1(t) (n_k (1 - F_k(t-)) / S_k(t-)) / Q(t)],
//!   Q(t) = sum_j n_j (1 - F_j(t-)) / S_j(t-),
//! i.e. observed minus expected events of the cause, weighted by (1 - F)^rho, with subjects who had
//! a competing event kept in the "risk set" of the subdistribution. Its covariance is Gray's
//! (1988) estimator, built from the same per-time quantities with the same ties corrections as
//! cmprsk's Fortran `crstm`/`crst`; strata add their scores and covariances.
//!   statistic = s' V^-1 s on K - 1 degrees of freedom.
//!
//! Reference: Gray (1988), Annals of Statistics 16:1141-1154.
//! Reproduces `cmprsk::cuminc(ftime, fstatus, group, strata, rho)$Tests`.

use super::distribution::{pow, square};
use super::linear_algebra::{mirror_upper_triangle, qr_rank, solve, QR_TOLERANCE};

/// Status of a row for the test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrayStatus {
    Censored,
    /// The cause being compared.
    Cause,
    /// Any other cause.
    Competing,
}

/// The test's statistic and degrees of freedom; `None` when the covariance is singular.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GrayTest {
    pub statistic: Option<f64>,
    pub df: usize,
}

/// Gray's test of `n_groups` groups (`group[row]` in 0..n_groups), optionally stratified, with
/// the rows in `order`, as [`order_by_stratum_and_time`] gives them (one order serves every
/// cause).
///
/// # Examples
/// ```
/// use survkit::estimate::gray::{gray_test, order_by_stratum_and_time, GrayStatus::*};
/// let time = [1.0, 2.0, 3.0, 4.0];
/// let order = order_by_stratum_and_time(&time, None);
/// let test = gray_test(&order, &time, &[Cause, Competing, Cause, Censored], &[0, 1, 1, 0], 2, None, 0.0);
/// assert_eq!(test.df, 1);
/// assert!(test.statistic.unwrap() >= 0.0);
/// ```
pub fn gray_test(
    order: &[usize],
    time: &[f64],
    status: &[GrayStatus],
    group: &[u32],
    n_groups: usize,
    strata: Option<&[u32]>,
    rho: f64,
) -> GrayTest {
    let df = n_groups.saturating_sub(1);
    let stratum_of = |row: usize| strata.map_or(0, |strata| strata[row]);

    let mut score = vec![0.0; df];
    let mut covariance = vec![vec![0.0; df]; df];
    let mut start = 0;
    while start < order.len() {
        let stratum = stratum_of(order[start]);
        let end = start + order[start..].iter().take_while(|row| stratum_of(**row) == stratum).count();
        let part = Stratum::new(n_groups).run(&order[start..end], time, status, group, rho);
        for (total, value) in score.iter_mut().zip(&part.score) {
            *total += value;
        }
        for (total_row, row) in covariance.iter_mut().zip(&part.covariance) {
            for (total, value) in total_row.iter_mut().zip(row) {
                *total += value;
            }
        }
        start = end;
    }
    if df == 0 {
        return GrayTest { statistic: None, df };
    }
    // cuminc computes the statistic only when qr(v)$rank is full (it reports -1 otherwise).
    if qr_rank(&covariance, QR_TOLERANCE) < df {
        return GrayTest { statistic: None, df };
    }
    let statistic = solve(covariance, score.clone())
        .map(|solution| solution.iter().zip(&score).map(|(x, s)| x * s).sum::<f64>())
        .filter(|statistic: &f64| statistic.is_finite());
    GrayTest { statistic, df }
}

/// The rows sorted by stratum, then time (stable: tied rows keep their order). It depends on
/// neither the cause nor the groups, so one order serves the test of every cause.
pub fn order_by_stratum_and_time(time: &[f64], strata: Option<&[u32]>) -> Vec<usize> {
    let stratum_of = |row: usize| strata.map_or(0, |strata| strata[row]);
    let mut order: Vec<usize> = (0..time.len()).collect();
    order.sort_by(|a, b| stratum_of(*a).cmp(&stratum_of(*b)).then(time[*a].total_cmp(&time[*b])));
    order
}

/// The running quantities of one stratum, per group.
struct Stratum {
    groups: usize,
    at_risk: Vec<f64>,
    /// F_k(t-) and F_k(t).
    incidence_before: Vec<f64>,
    incidence: Vec<f64>,
    /// S_k(t-) and S_k(t).
    survival_before: Vec<f64>,
    survival: Vec<f64>,
    c: Vec<Vec<f64>>,
    v2: Vec<Vec<f64>>,
    v3: Vec<f64>,
    score: Vec<f64>,
    covariance: Vec<Vec<f64>>,
}

impl Stratum {
    fn new(groups: usize) -> Stratum {
        let df = groups.saturating_sub(1);
        Stratum {
            groups,
            at_risk: vec![0.0; groups],
            incidence_before: vec![0.0; groups],
            incidence: vec![0.0; groups],
            survival_before: vec![1.0; groups],
            survival: vec![1.0; groups],
            c: vec![vec![0.0; groups]; groups],
            v2: vec![vec![0.0; groups]; df],
            v3: vec![0.0; groups],
            score: vec![0.0; df],
            covariance: vec![vec![0.0; df]; df],
        }
    }

    /// Walks the stratum's rows (sorted by time) and returns its score and covariance.
    #[allow(clippy::needless_range_loop, reason = "the subscripts of cmprsk's crstm, a(i, j) and c(i, j)")]
    fn run(mut self, rows: &[usize], time: &[f64], status: &[GrayStatus], group: &[u32], rho: f64) -> Stratum {
        let (k_groups, df) = (self.groups, self.groups.saturating_sub(1));
        for row in rows {
            self.at_risk[group[*row] as usize] += 1.0;
        }
        let (mut pooled_before, mut pooled) = (0.0_f64, 0.0_f64);
        let mut a = vec![vec![0.0; k_groups]; k_groups];
        let mut start = 0;
        while start < rows.len() {
            let current = time[rows[start]];
            let end = start + rows[start..].iter().take_while(|row| time[**row] == current).count();
            let mut cause = vec![0.0; k_groups];
            let mut competing = vec![0.0; k_groups];
            for row in &rows[start..end] {
                match status[*row] {
                    GrayStatus::Cause => cause[group[*row] as usize] += 1.0,
                    GrayStatus::Competing => competing[group[*row] as usize] += 1.0,
                    GrayStatus::Censored => {}
                }
            }
            let (d1, d2): (f64, f64) = (cause.iter().sum(), competing.iter().sum());
            if d1 > 0.0 || d2 > 0.0 {
                let (mut r_total, mut q_total) = (0.0, 0.0);
                for k in 0..k_groups {
                    let n_k = self.at_risk[k];
                    if n_k <= 0.0 {
                        continue;
                    }
                    self.survival[k] = self.survival_before[k] * (n_k - cause[k] - competing[k]) / n_k;
                    self.incidence[k] = self.incidence_before[k] + self.survival_before[k] * cause[k] / n_k;
                    r_total += n_k / self.survival_before[k];
                    q_total += n_k * (1.0 - self.incidence_before[k]) / self.survival_before[k];
                }
                pooled = pooled_before + d1 / r_total;
                let weight = pow(1.0 - pooled_before, rho);
                for row in &mut a {
                    row.fill(0.0);
                }
                for i in 0..k_groups {
                    if self.at_risk[i] <= 0.0 {
                        continue;
                    }
                    let t1 = self.at_risk[i] / self.survival_before[i];
                    a[i][i] = weight * t1 * (1.0 - t1 / r_total);
                    if a[i][i] != 0.0 {
                        self.c[i][i] += a[i][i] * d1 / (r_total * (1.0 - pooled_before));
                    }
                    for j in i + 1..k_groups {
                        if self.at_risk[j] <= 0.0 {
                            continue;
                        }
                        a[i][j] = -weight * t1 * self.at_risk[j] / (self.survival_before[j] * r_total);
                        if a[i][j] != 0.0 {
                            self.c[i][j] += a[i][j] * d1 / (r_total * (1.0 - pooled_before));
                        }
                    }
                }
                mirror_upper_triangle(&mut a);
                mirror_upper_triangle(&mut self.c);
                for i in 0..df {
                    if self.at_risk[i] > 0.0 {
                        self.score[i] += weight
                            * (cause[i]
                                - d1 * self.at_risk[i] * (1.0 - self.incidence_before[i])
                                    / (self.survival_before[i] * q_total));
                    }
                }
                if d1 > 0.0 {
                    for k in 0..k_groups {
                        if self.at_risk[k] <= 0.0 {
                            continue;
                        }
                        let t4 = if self.survival[k] > 0.0 { 1.0 - (1.0 - pooled) / self.survival[k] } else { 1.0 };
                        let t5 =
                            if d1 > 1.0 { 1.0 - (d1 - 1.0) / (r_total * self.survival_before[k] - 1.0) } else { 1.0 };
                        let t3 = t5 * self.survival_before[k] * d1 / (r_total * self.at_risk[k]);
                        self.add_variance(k, t4, t3, |i, c| a[i][k] - t4 * c[i][k]);
                    }
                }
                if d2 > 0.0 {
                    for k in 0..k_groups {
                        if self.survival[k] <= 0.0 || competing[k] <= 0.0 {
                            continue;
                        }
                        let t4 = (1.0 - pooled) / self.survival[k];
                        let t5 =
                            if competing[k] > 1.0 { 1.0 - (competing[k] - 1.0) / (self.at_risk[k] - 1.0) } else { 1.0 };
                        let t3 = t5 * square(self.survival_before[k]) * competing[k] / square(self.at_risk[k]);
                        self.add_variance(k, -t4, t3, |i, c| t4 * c[i][k]);
                    }
                }
            }
            for row in &rows[start..end] {
                self.at_risk[group[*row] as usize] -= 1.0;
            }
            pooled_before = pooled;
            self.incidence_before.clone_from(&self.incidence);
            self.survival_before.clone_from(&self.survival);
            start = end;
        }
        for i in 0..df {
            for j in 0..=i {
                let mut extra = 0.0;
                for k in 0..k_groups {
                    extra += self.c[i][k] * self.c[j][k] * self.v3[k]
                        + self.c[i][k] * self.v2[j][k]
                        + self.c[j][k] * self.v2[i][k];
                }
                self.covariance[i][j] += extra;
                self.covariance[j][i] = self.covariance[i][j];
            }
        }
        self
    }

    /// One event type's contribution at group k: v3 += t4^2 t3, v2[i][k] += t1_i t4' t3 and
    /// covariance[i][j] += t1_i t1_j t3, with t1_i from `term`. `signed_t4` carries the sign
    /// with which t1 enters v2 (minus for competing events, as in `crst`).
    fn add_variance(&mut self, k: usize, signed_t4: f64, t3: f64, term: impl Fn(usize, &Vec<Vec<f64>>) -> f64) {
        let df = self.groups.saturating_sub(1);
        self.v3[k] += signed_t4 * signed_t4 * t3;
        let t1: Vec<f64> = (0..df).map(|i| term(i, &self.c)).collect();
        for i in 0..df {
            self.v2[i][k] += t1[i] * signed_t4 * t3;
            for j in 0..=i {
                self.covariance[i][j] += t1[i] * t1[j] * t3;
            }
        }
    }
}
