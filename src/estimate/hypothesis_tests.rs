//! The hypothesis tests papers report for baseline characteristics ("Table 1"), and the
//! summaries per group beside them.
//!
//! Categorical rows compare the level x group table of counts:
//!   Pearson chi-square  X^2 = sum (O - E)^2 / E, E = row total x column total / n,
//!                       (r - 1)(c - 1) df                          `chisq.test(tab, correct = FALSE)`
//!   Yates (2 x 2 only)  X^2 = sum (|O - E| - min(0.5, |O - E|))^2 / E, 1 df   `chisq.test(tab)`
//!   Fisher's exact test (see [`super::fisher`])                     `fisher.test(tab)`
//! Continuous rows compare the values of the groups:
//!   Welch t    t = (m1 - m2) / sqrt(s1^2/n1 + s2^2/n2), Welch-Satterthwaite df  `t.test(x ~ g)`
//!   Student t  pooled variance, n1 + n2 - 2 df                      `t.test(x ~ g, var.equal = TRUE)`
//!   Wilcoxon   W = R1 - n1 (n1 + 1) / 2 with mid-ranks; z = (W - n1 n2 / 2 -+ 0.5) / sigma,
//!              sigma^2 = n1 n2 / 12 (n + 1 - sum(t^3 - t) / (n (n - 1)))  `wilcox.test(exact = FALSE)`
//!   ANOVA      F = [sum n_g (m_g - m)^2 / (k - 1)] / [sum (n_g - 1) s_g^2 / (n - k)]  `oneway.test(var.equal = TRUE)`
//!   Welch's ANOVA  weighted by n_g / s_g^2, on k - 1 and 1 / (3 t) df (see [`welch_anova`])  `oneway.test(x ~ g)`
//!   Kruskal    H = [12 / (n (n + 1)) sum R_g^2 / n_g - 3 (n + 1)] / (1 - sum(t^3 - t) / (n^3 - n)),
//!              k - 1 df                                              `kruskal.test`
//! Summaries: n, median and quartiles by R's default `quantile(type = 7)`, min, max, mean, sd.
//!
//! Reference: Agresti (2013), Categorical Data Analysis, ch. 3; Hollander, Wolfe & Chicco (2014).

use super::distribution::{chi_square_upper_tail, f_upper_tail, square, student_t_two_sided_p, two_sided_normal_p};
use super::finite;

/// A test's result; `statistic` and `df` are `None` where the test has none (Fisher's df).
/// An F test has two df: `df` is the numerator's, `denominator_df` the denominator's.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TestResult {
    pub statistic: Option<f64>,
    pub df: Option<f64>,
    pub denominator_df: Option<f64>,
    pub p: Option<f64>,
}

impl TestResult {
    fn new(statistic: f64, df: Option<f64>, p: Option<f64>) -> TestResult {
        TestResult {
            statistic: finite(statistic),
            df: df.and_then(finite),
            denominator_df: None,
            p: p.and_then(finite),
        }
    }

    /// An F test's result, with both df.
    fn f_test(statistic: f64, df: f64, denominator_df: f64) -> TestResult {
        let p = f_upper_tail(statistic, df, denominator_df);
        TestResult { denominator_df: finite(denominator_df), ..TestResult::new(statistic, Some(df), p) }
    }

    /// No test: nothing to compare, or R refuses.
    pub fn none() -> TestResult {
        TestResult::default()
    }
}

/// Summaries of one group's values (missing values already removed).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Summary {
    pub n: usize,
    pub median: Option<f64>,
    pub q1: Option<f64>,
    pub q3: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
}

/// n, quartiles (type 7), range, mean and standard deviation.
///
/// # Examples
/// ```
/// use survkit::estimate::hypothesis_tests::summarise;
/// let summary = summarise(&[4.0, 1.0, 3.0, 2.0]);
/// assert_eq!((summary.median, summary.q1, summary.q3), (Some(2.5), Some(1.75), Some(3.25)));
/// ```
pub fn summarise(values: &[f64]) -> Summary {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let mean = (n > 0).then(|| sorted.iter().sum::<f64>() / n as f64);
    let sd = mean
        .filter(|_| n > 1)
        .map(|mean| (sorted.iter().map(|value| square(value - mean)).sum::<f64>() / (n as f64 - 1.0)).sqrt());
    Summary {
        n,
        median: quantile(&sorted, 0.5),
        q1: quantile(&sorted, 0.25),
        q3: quantile(&sorted, 0.75),
        min: sorted.first().copied(),
        max: sorted.last().copied(),
        mean,
        sd,
    }
}

/// R's `quantile(x, probability, type = 7)` of sorted values, computed in R's order of
/// operations: index = 1 + (n - 1) p, h = index - floor(index), (1 - h) x[lo] + h x[hi].
pub fn quantile(sorted: &[f64], probability: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let index = 1.0 + (sorted.len() - 1) as f64 * probability;
    let low = index.floor();
    let (lower, upper) = (sorted[low as usize - 1], sorted[(index.ceil() as usize - 1).min(sorted.len() - 1)]);
    let fraction = index - low;
    if fraction > 0.0 && upper != lower {
        Some((1.0 - fraction) * lower + fraction * upper)
    } else {
        Some(lower)
    }
}

/// Pearson's chi-square on `counts[level][group]`, with Yates' correction when asked (2 x 2).
/// No test when any expected count is 0 (a level or group with no one), as R gives NaN.
pub fn chi_square(counts: &[Vec<u64>], yates: bool) -> TestResult {
    let rows = counts.len();
    let columns = counts.first().map_or(0, Vec::len);
    let df = ((rows.saturating_sub(1)) * (columns.saturating_sub(1))) as f64;
    let mut statistic = 0.0;
    for (row, expected_row) in counts.iter().zip(expected_counts(counts)) {
        for (count, expected) in row.iter().zip(expected_row) {
            if expected <= 0.0 || !expected.is_finite() {
                return TestResult { df: Some(df), ..TestResult::none() };
            }
            let deviation = (*count as f64 - expected).abs();
            let correction = if yates { deviation.min(0.5) } else { 0.0 };
            statistic += square(deviation - correction) / expected;
        }
    }
    let p = chi_square_upper_tail(statistic, df as usize);
    TestResult::new(statistic, Some(df), p)
}

/// The expected counts row total x column total / n of each cell, under independence.
pub fn expected_counts(counts: &[Vec<u64>]) -> Vec<Vec<f64>> {
    let total: f64 = counts.iter().flatten().map(|count| *count as f64).sum();
    let columns = counts.first().map_or(0, Vec::len);
    let column_totals: Vec<f64> =
        (0..columns).map(|column| counts.iter().map(|row| row[column] as f64).sum()).collect();
    counts
        .iter()
        .map(|row| {
            let row_total: f64 = row.iter().map(|count| *count as f64).sum();
            column_totals.iter().map(|column_total| row_total * column_total / total).collect()
        })
        .collect()
}

/// Welch's or Student's two-sample t test of group 1 minus group 2.
pub fn t_test(first: &[f64], second: &[f64], equal_variance: bool) -> TestResult {
    let (a, b) = (summarise(first), summarise(second));
    let (Some(m1), Some(m2), Some(s1), Some(s2)) = (a.mean, b.mean, a.sd, b.sd) else {
        return TestResult::none();
    };
    let (n1, n2) = (a.n as f64, b.n as f64);
    let (standard_error, df) = if equal_variance {
        let pooled = ((n1 - 1.0) * s1 * s1 + (n2 - 1.0) * s2 * s2) / (n1 + n2 - 2.0);
        ((pooled * (1.0 / n1 + 1.0 / n2)).sqrt(), n1 + n2 - 2.0)
    } else {
        let (v1, v2) = (s1 * s1 / n1, s2 * s2 / n2);
        ((v1 + v2).sqrt(), square(v1 + v2) / (v1 * v1 / (n1 - 1.0) + v2 * v2 / (n2 - 1.0)))
    };
    let statistic = (m1 - m2) / standard_error;
    if !statistic.is_finite() || df.is_nan() || df <= 0.0 {
        return TestResult::none();
    }
    let p = student_t_two_sided_p(statistic, df);
    TestResult::new(statistic, Some(df), p)
}

/// Mid-ranks of the pooled values, and the tie term sum(t^3 - t).
fn ranks(values: &[f64]) -> (Vec<f64>, f64) {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|a, b| values[*a].total_cmp(&values[*b]));
    let mut ranks = vec![0.0; values.len()];
    let mut ties = 0.0;
    let mut start = 0;
    while start < order.len() {
        let end = start + order[start..].iter().take_while(|index| values[**index] == values[order[start]]).count();
        let rank = (start + end + 1) as f64 / 2.0;
        for index in &order[start..end] {
            ranks[*index] = rank;
        }
        let t = (end - start) as f64;
        ties += t * t * t - t;
        start = end;
    }
    (ranks, ties)
}

/// The Wilcoxon rank-sum test with the normal approximation and continuity correction.
pub fn wilcoxon(first: &[f64], second: &[f64]) -> TestResult {
    let (n1, n2) = (first.len() as f64, second.len() as f64);
    if first.is_empty() || second.is_empty() {
        return TestResult::none();
    }
    let pooled: Vec<f64> = first.iter().chain(second).copied().collect();
    let (ranks, ties) = ranks(&pooled);
    let rank_sum: f64 = ranks[..first.len()].iter().sum();
    let statistic = rank_sum - n1 * (n1 + 1.0) / 2.0;
    let n = n1 + n2;
    let sigma = (n1 * n2 / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0)))).sqrt();
    let centred = statistic - n1 * n2 / 2.0;
    let z = (centred - 0.5 * centred.signum()) / sigma;
    let p = z.is_finite().then(|| two_sided_normal_p(z).min(1.0));
    TestResult::new(statistic, None, p)
}

/// Whether a one-way analysis of means can be run on these groups: R's `oneway.test` stops
/// ("not enough observations") when a group with values has only one, and ("not enough
/// groups") with fewer than two groups. Empty groups are dropped first, as its formula
/// interface drops them.
pub fn enough_for_oneway(groups: &[Vec<f64>]) -> bool {
    let sizes: Vec<usize> = groups.iter().map(Vec::len).filter(|n| *n > 0).collect();
    sizes.len() >= 2 && sizes.iter().all(|n| *n >= 2)
}

/// Means and sample variances of the non-empty groups, with their sizes.
fn group_moments(groups: &[Vec<f64>]) -> Vec<(f64, f64, f64)> {
    groups
        .iter()
        .filter(|values| !values.is_empty())
        .map(|values| {
            let n = values.len() as f64;
            let mean = values.iter().sum::<f64>() / n;
            let variance = values.iter().map(|value| square(value - mean)).sum::<f64>() / (n - 1.0);
            (n, mean, variance)
        })
        .collect()
}

/// One-way analysis of variance with equal variances, `oneway.test(var.equal = TRUE)`; no
/// result where R stops (see [`enough_for_oneway`]).
pub fn anova(groups: &[Vec<f64>]) -> TestResult {
    if !enough_for_oneway(groups) {
        return TestResult::none();
    }
    let moments = group_moments(groups);
    let k = moments.len() as f64;
    let n: f64 = moments.iter().map(|(size, _, _)| size).sum();
    let grand = groups.iter().flat_map(|values| values.iter()).sum::<f64>() / n;
    let between: f64 = moments.iter().map(|(size, mean, _)| size * square(mean - grand)).sum();
    let within: f64 = moments.iter().map(|(size, _, variance)| (size - 1.0) * variance).sum();
    TestResult::f_test((between / (k - 1.0)) / (within / (n - k)), k - 1.0, n - k)
}

/// Welch's one-way analysis of means without assuming equal variances, R's `oneway.test`
/// default. With weights w_g = n_g / s_g^2, W = sum w_g, the weighted mean m = sum w_g m_g / W
/// and t = sum (1 - w_g / W)^2 / (n_g - 1) / (k^2 - 1):
///   F = sum w_g (m_g - m)^2 / ((k - 1) (1 + 2 (k - 2) t))  on k - 1 and 1 / (3 t) df.
/// A group whose values are all equal has an infinite weight, and R's F is NaN: no result.
///
/// Reference: Welch (1951), Biometrika 38:330-336.
pub fn welch_anova(groups: &[Vec<f64>]) -> TestResult {
    if !enough_for_oneway(groups) {
        return TestResult::none();
    }
    let moments = group_moments(groups);
    let k = moments.len() as f64;
    let weights: Vec<f64> = moments.iter().map(|(n, _, variance)| n / variance).collect();
    let total_weight: f64 = weights.iter().sum();
    let spread = moments
        .iter()
        .zip(&weights)
        .map(|((n, _, _), weight)| square(1.0 - weight / total_weight) / (n - 1.0))
        .sum::<f64>()
        / (k * k - 1.0);
    let mean = moments.iter().zip(&weights).map(|((_, mean, _), weight)| weight * mean).sum::<f64>() / total_weight;
    let between: f64 =
        moments.iter().zip(&weights).map(|((_, group_mean, _), weight)| weight * square(group_mean - mean)).sum();
    let statistic = between / ((k - 1.0) * (1.0 + 2.0 * (k - 2.0) * spread));
    if !statistic.is_finite() {
        return TestResult::none();
    }
    TestResult::f_test(statistic, k - 1.0, 1.0 / (3.0 * spread))
}

/// The Kruskal-Wallis rank-sum test.
pub fn kruskal(groups: &[Vec<f64>]) -> TestResult {
    let groups: Vec<&Vec<f64>> = groups.iter().filter(|values| !values.is_empty()).collect();
    let k = groups.len();
    if k < 2 {
        return TestResult::none();
    }
    let pooled: Vec<f64> = groups.iter().flat_map(|values| values.iter().copied()).collect();
    let n = pooled.len() as f64;
    let (ranks, ties) = ranks(&pooled);
    let mut offset = 0;
    let mut sum = 0.0;
    for values in &groups {
        let rank_sum: f64 = ranks[offset..offset + values.len()].iter().sum();
        sum += rank_sum * rank_sum / values.len() as f64;
        offset += values.len();
    }
    let statistic = (12.0 / (n * (n + 1.0)) * sum - 3.0 * (n + 1.0)) / (1.0 - ties / (n * n * n - n));
    let df = k - 1;
    TestResult::new(statistic, Some(df as f64), chi_square_upper_tail(statistic, df))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chi_square_by_hand() {
        let result = chi_square(&[vec![10, 30], vec![20, 40]], false);
        // E = [[12, 28], [18, 42]], every |O - E| = 2.
        let statistic = 4.0 / 12.0 + 4.0 / 28.0 + 4.0 / 18.0 + 4.0 / 42.0;
        assert!((result.statistic.unwrap() - statistic).abs() < 1e-14);
        assert_eq!(result.df, Some(1.0));
    }

    #[test]
    fn quantiles_are_type_7() {
        let sorted = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile(&sorted, 0.25), Some(2.0));
        assert_eq!(quantile(&sorted, 0.9), Some(7.599999999999998)); // R: quantile(c(1,2,3,4,10), .9)
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn mid_ranks_and_ties() {
        let (ranks, ties) = ranks(&[3.0, 1.0, 3.0, 2.0]);
        assert_eq!(ranks, vec![3.5, 1.0, 3.5, 2.0]);
        assert_eq!(ties, 6.0);
    }
}
