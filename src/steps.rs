//! Reading a step table at a time, by R's rules: shared by the estimators (`summary(fit, times
//! = t)`) and the figures (the number-at-risk table under the curves), so that a figure reads
//! a report exactly as the report was made without importing an estimator.

/// The number still under observation at `time` (time >= t): the number at risk at the first
/// step at or after it, 0 past the last; R's `c(n.risk, 0)[1 + findInterval(t, time, left.open = TRUE)]`.
pub fn number_at_risk(step_time: &[f64], n_risk: &[usize], time: f64) -> usize {
    n_risk.get(step_time.partition_point(|step| *step < time)).copied().unwrap_or(0)
}
