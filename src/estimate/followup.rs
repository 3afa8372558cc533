//! Median follow-up by the reverse Kaplan-Meier method.
//!
//! The censoring times are treated as the events and the events as censorings:
//!   G(t) = prod over t_j <= t of (1 - c_j / n_j),   c_j = patients censored at t_j
//! and the median follow-up is G's median, with the interval from G's log-scale confidence
//! limits, by the same rules as a survival median (see [`super::km`]). Patients who had the event
//! stop contributing at their event time, so the estimate is the follow-up the study would have
//! had without events. The range is that of all observed times.
//!
//! Reference: Schemper & Smith (1996), Control Clin Trials 17:343-346.
//! Reproduces `survfit(Surv(time, 1 - status) ~ 1)`'s median and `range(time)`.

use super::km::{kaplan_meier, KaplanMeierOptions, Quantile};

/// Options of [`follow_up`]; the defaults are `survfit`'s: log intervals at 95%.
pub type FollowUpOptions = KaplanMeierOptions;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FollowUp {
    pub n: usize,
    pub median: Quantile,
    pub min: f64,
    pub max: f64,
}

/// Median follow-up of one group (or of everyone). `time` is not empty.
///
/// # Examples
/// ```
/// use survkit::estimate::followup::{follow_up, FollowUpOptions};
/// // Censored at 10, 20, 30; an event at 5 does not end anyone's follow-up early.
/// let result = follow_up(&[5.0, 10.0, 20.0, 30.0], &[true, false, false, false], &FollowUpOptions::default());
/// assert_eq!(result.median.estimate, Some(20.0));
/// assert_eq!((result.min, result.max), (5.0, 30.0));
/// ```
pub fn follow_up(time: &[f64], event: &[bool], options: &FollowUpOptions) -> FollowUp {
    let censored_as_event: Vec<bool> = event.iter().map(|event| !event).collect();
    let curve = kaplan_meier(time, &censored_as_event, options);
    FollowUp {
        n: time.len(),
        median: curve.median(),
        min: curve.time.first().copied().unwrap_or(f64::NAN),
        max: curve.time.last().copied().unwrap_or(f64::NAN),
    }
}
