//! Kaplan-Meier estimate of the survival function, with Greenwood's variance.
//!
//! At each distinct time t_j with n_j at risk and d_j events:
//!   S(t) = prod over t_j <= t of (1 - d_j / n_j)
//!   var(log S(t)) = sum over t_j <= t of d_j / (n_j (n_j - d_j))          (Greenwood)
//!   se(S(t)) = S(t) * sqrt(var(log S(t)))
//! Ties: all events at a time are one step; censorings at an event time are still at risk at it.
//! Confidence intervals (`survfit_confint` in R), with z = qnorm(1 - (1 - level) / 2):
//!   log:     S exp(+-z se_log), upper clipped at 1
//!   log-log: exp(-exp(log(-log S) -+ z se_log / log S))
//!   plain:   S +- z se(S), clipped to [0, 1]
//! A step with S = 0 has no interval, nor has one with S = 1 on the log-log scale (survival 3.5).
//! Median and its interval: the first time each curve is below 0.5, and when the curve sits at
//! 0.5 (within sqrt(machine epsilon)) the midpoint between that time and the next drop, as
//! `print.survfit` computes it.
//!
//! Reference: Kaplan & Meier (1958); Greenwood (1926); Therneau & Grambsch (2000), ch. 2.
//! Reproduces `survfit(Surv(time, status) ~ group, conf.type = "log")`, its
//! `summary(fit)$table` medians and `summary(fit, times = at)`.

pub use crate::steps::number_at_risk;
use serde::{Deserialize, Serialize};

use super::distribution::{exp, ln, two_sided_normal_quantile};
use super::finite;

/// The scale on which pointwise confidence intervals are built; R's default is [`ConfType::Log`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ConfType {
    /// `conf.type = "log"`, R's default.
    #[default]
    Log,
    /// `conf.type = "log-log"`.
    LogLog,
    /// `conf.type = "plain"`.
    Plain,
}

impl ConfType {
    pub fn name(self) -> &'static str {
        match self {
            ConfType::Log => "log",
            ConfType::LogLog => "log-log",
            ConfType::Plain => "plain",
        }
    }
}

/// Options of [`kaplan_meier`]; the defaults are R's `survfit`: log intervals at the 95% level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KaplanMeierOptions {
    pub conf_type: ConfType,
    /// Strictly between 0 and 1 (validated by the request layer).
    pub conf_level: f64,
}

impl Default for KaplanMeierOptions {
    fn default() -> Self {
        KaplanMeierOptions { conf_type: ConfType::Log, conf_level: 0.95 }
    }
}

/// A Kaplan-Meier curve: one row per distinct time, event or censoring, as `survfit` stores it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SurvivalCurve {
    pub n: usize,
    pub time: Vec<f64>,
    pub n_risk: Vec<usize>,
    pub n_event: Vec<usize>,
    pub n_censor: Vec<usize>,
    pub surv: Vec<f64>,
    /// Standard error of log S (R's `fit$std.err`); infinite once S reaches 0.
    pub std_err_log: Vec<f64>,
    pub lower: Vec<Option<f64>>,
    pub upper: Vec<Option<f64>>,
}

/// The curve read at one time, as `summary(fit, times = t)` reports it (also the JSON's `at`
/// entries: `std_err` is that of S, not of log S).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Landmark {
    pub time: f64,
    /// `None` past the last observed time, where R's `summary` reports nothing.
    pub surv: Option<f64>,
    pub std_err: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// The number still under observation at `time` (time >= t).
    pub n_risk: usize,
}

/// A time at which a curve crosses a level, with its confidence interval (`None`: not reached).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Quantile {
    pub estimate: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// The Kaplan-Meier curve of one group.
///
/// `time` and `event` are the group's rows in any order; times are finite and non-negative.
///
/// # Examples
/// Six patients, by hand: events at 1, 3, 3 and 6, censored at 2 and 5.
/// ```
/// use survkit::estimate::km::{kaplan_meier, KaplanMeierOptions};
/// let curve = kaplan_meier(&[3.0, 1.0, 2.0, 3.0, 5.0, 6.0], &[true, true, false, true, false, true],
///                          &KaplanMeierOptions::default());
/// assert_eq!(curve.time, vec![1.0, 2.0, 3.0, 5.0, 6.0]);
/// assert_eq!(curve.n_risk, vec![6, 5, 4, 2, 1]);
/// let expected = [5.0 / 6.0, 5.0 / 6.0, 5.0 / 6.0 * 2.0 / 4.0, 5.0 / 12.0, 0.0];
/// for (s, e) in curve.surv.iter().zip(expected) { assert!((s - e).abs() < 1e-15); }
/// ```
pub fn kaplan_meier(time: &[f64], event: &[bool], options: &KaplanMeierOptions) -> SurvivalCurve {
    let mut rows: Vec<(f64, bool)> = time.iter().copied().zip(event.iter().copied()).collect();
    rows.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    kaplan_meier_sorted(&rows, options)
}

/// [`kaplan_meier`] on rows already sorted by time.
pub fn kaplan_meier_sorted(rows: &[(f64, bool)], options: &KaplanMeierOptions) -> SurvivalCurve {
    let mut steps = CurveSteps::new(rows.len(), options);
    let mut start = 0;
    while start < rows.len() {
        let time = rows[start].0;
        let end = start + rows[start..].iter().take_while(|row| row.0 == time).count();
        let n_event = rows[start..end].iter().filter(|row| row.1).count();
        steps.push(time, rows.len() - start, n_event, end - start - n_event);
        start = end;
    }
    steps.curve
}

/// A curve built one distinct time at a time: the running product and Greenwood sum.
pub(crate) struct CurveSteps {
    pub curve: SurvivalCurve,
    survival: f64,
    greenwood: f64,
    conf_type: ConfType,
    z: f64,
}

impl CurveSteps {
    /// No steps yet, for a curve of `n` rows.
    pub fn new(n: usize, options: &KaplanMeierOptions) -> CurveSteps {
        CurveSteps {
            curve: SurvivalCurve { n, ..SurvivalCurve::default() },
            survival: 1.0,
            greenwood: 0.0,
            conf_type: options.conf_type,
            z: two_sided_normal_quantile(options.conf_level),
        }
    }

    /// The step at `time`, with `n_risk` at risk, `n_event` events and `n_censor` censored.
    pub fn push(&mut self, time: f64, n_risk: usize, n_event: usize, n_censor: usize) {
        if n_event > 0 {
            let (at_risk, events) = (n_risk as f64, n_event as f64);
            self.survival *= (at_risk - events) / at_risk;
            self.greenwood += events / (at_risk * (at_risk - events));
        }
        let std_err_log = self.greenwood.sqrt();
        let (lower, upper) = confidence_interval(self.survival, std_err_log, self.conf_type, self.z);
        let curve = &mut self.curve;
        curve.time.push(time);
        curve.n_risk.push(n_risk);
        curve.n_event.push(n_event);
        curve.n_censor.push(n_censor);
        curve.surv.push(self.survival);
        curve.std_err_log.push(std_err_log);
        curve.lower.push(lower);
        curve.upper.push(upper);
    }
}

/// A pointwise interval for a survival probability `surv` whose log has standard error
/// `std_err_log`, exactly as R's `survfit_confint(logse = TRUE)`.
pub fn confidence_interval(surv: f64, std_err_log: f64, conf_type: ConfType, z: f64) -> (Option<f64>, Option<f64>) {
    match conf_type {
        ConfType::Plain => {
            // 0 * inf at S = 0 is NaN, and R's pmax(NaN, 0) stays NaN: no interval.
            let half_width = std_err_log * surv * z;
            if half_width.is_nan() {
                return (None, None);
            }
            (Some((surv - half_width).max(0.0)), Some((surv + half_width).min(1.0)))
        }
        ConfType::Log => {
            if surv == 0.0 {
                return (None, None);
            }
            let half_width = z * std_err_log;
            (finite(exp(ln(surv) - half_width)), finite(exp(ln(surv) + half_width).min(1.0)))
        }
        ConfType::LogLog => {
            if surv == 0.0 || surv == 1.0 {
                return (None, None);
            }
            let half_width = z * std_err_log / ln(surv);
            let centre = ln(-ln(surv));
            (finite(exp(-exp(centre - half_width))), finite(exp(-exp(centre + half_width))))
        }
    }
}

impl SurvivalCurve {
    /// The standard error of S at step `index` (`summary(fit)$std.err`); `None` once S is 0.
    pub fn std_err(&self, index: usize) -> Option<f64> {
        finite(self.surv[index] * self.std_err_log[index])
    }

    /// The curve at `time`, as `summary(fit, times = time)`: the last step at or before it, and
    /// the number at risk at it. Past the last observed time there is no estimate.
    pub fn at(&self, time: f64) -> Landmark {
        let n_risk = number_at_risk(&self.time, &self.n_risk, time);
        let last_time = self.time.last().copied().unwrap_or(f64::NEG_INFINITY);
        if time > last_time {
            return Landmark { time, surv: None, std_err: None, lower: None, upper: None, n_risk };
        }
        let n_at_or_before = self.time.partition_point(|step| *step <= time);
        match n_at_or_before.checked_sub(1) {
            None => Landmark { time, surv: Some(1.0), std_err: Some(0.0), lower: Some(1.0), upper: Some(1.0), n_risk },
            Some(index) => Landmark {
                time,
                surv: Some(self.surv[index]),
                std_err: self.std_err(index),
                lower: self.lower[index],
                upper: self.upper[index],
                n_risk,
            },
        }
    }

    /// The median survival time and its confidence interval, by `print.survfit`'s rules.
    pub fn median(&self) -> Quantile {
        let surv: Vec<Option<f64>> = self.surv.iter().map(|value| Some(*value)).collect();
        Quantile {
            estimate: first_time_below_half(&surv, &self.time),
            lower: first_time_below_half(&self.lower, &self.time),
            upper: first_time_below_half(&self.upper, &self.time),
        }
    }
}

/// The first time a curve is at or below one half (R's `minmin` in `survmean`).
///
/// Values within sqrt(machine epsilon) of 0.5 count as 0.5; a curve that sits at 0.5 gives the
/// midpoint between the time it got there and the time it next drops. `None` when it never gets
/// there. Missing values (`None`, e.g. an interval limit at S = 0) are skipped.
pub fn first_time_below_half(curve: &[Option<f64>], time: &[f64]) -> Option<f64> {
    let tolerance = f64::EPSILON.sqrt();
    let mut kept = curve.iter().zip(time).filter_map(|(value, time)| match value {
        Some(value) if *value < 0.5 + tolerance => Some((*value, *time)),
        _ => None,
    });
    let (first_value, first_time) = kept.next()?;
    if (first_value - 0.5).abs() < tolerance {
        if let Some((_, next_time)) = kept.find(|(value, _)| *value < first_value) {
            return Some((first_time + next_time) / 2.0);
        }
    }
    Some(first_time)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve(time: &[f64], event: &[bool]) -> SurvivalCurve {
        kaplan_meier(time, event, &KaplanMeierOptions::default())
    }

    #[test]
    fn greenwood_by_hand() {
        let fit = curve(&[1.0, 2.0, 3.0, 3.0, 5.0, 6.0], &[true, false, true, true, false, true]);
        let greenwood: f64 = 1.0 / (6.0 * 5.0) + 2.0 / (4.0 * 2.0);
        assert!((fit.std_err_log[2] - greenwood.sqrt()).abs() < 1e-15);
        assert!((fit.std_err(2).unwrap() - 5.0 / 12.0 * greenwood.sqrt()).abs() < 1e-15);
        assert_eq!(fit.n_event, vec![1, 0, 2, 0, 1]);
        assert_eq!(fit.n_censor, vec![0, 1, 0, 1, 0]);
        assert_eq!(fit.std_err(4), None, "S = 0 has no standard error");
        assert_eq!((fit.lower[4], fit.upper[4]), (None, None));
    }

    #[test]
    fn median_on_a_flat_half_is_the_midpoint() {
        let fit = curve(&[1.0, 2.0, 3.0, 4.0], &[true, true, true, true]);
        assert_eq!(fit.median().estimate, Some(2.5));
    }

    #[test]
    fn median_not_reached() {
        let fit = curve(&[1.0, 2.0, 3.0, 4.0], &[true, false, false, false]);
        assert_eq!(fit.median().estimate, None);
    }

    #[test]
    fn landmarks_read_the_last_step_and_count_those_at_risk() {
        let fit = curve(&[1.0, 2.0, 3.0, 3.0, 5.0, 6.0], &[true, false, true, true, false, true]);
        let before = fit.at(0.5);
        assert_eq!((before.surv, before.std_err, before.n_risk), (Some(1.0), Some(0.0), 6));
        let between = fit.at(4.0);
        assert_eq!((between.surv, between.n_risk), (Some(5.0 / 12.0), 2));
        let exact = fit.at(3.0);
        assert_eq!((exact.surv, exact.n_risk), (Some(5.0 / 12.0), 4));
        let past = fit.at(7.0);
        assert_eq!((past.surv, past.n_risk), (None, 0));
    }

    #[test]
    fn intervals_match_r_edge_rules() {
        let z = two_sided_normal_quantile(0.95);
        assert_eq!(confidence_interval(1.0, 0.0, ConfType::LogLog, z), (None, None));
        assert_eq!(confidence_interval(1.0, 0.0, ConfType::Log, z), (Some(1.0), Some(1.0)));
        assert_eq!(confidence_interval(0.0, f64::INFINITY, ConfType::Plain, z), (None, None));
        let (lower, upper) = confidence_interval(0.9, 0.5, ConfType::Log, z);
        assert_eq!(upper, Some(1.0));
        assert!((lower.unwrap() - 0.9 * exp(-z * 0.5)).abs() < 1e-15);
        let (lower, _) = confidence_interval(0.2, 2.0, ConfType::Plain, z);
        assert_eq!(lower, Some(0.0));
    }
}
