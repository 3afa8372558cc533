//! Simon-Makuch curves: Kaplan-Meier estimates by a time-dependent exposure, each patient counted
//! as unexposed until the exposure and as exposed afterwards.
//!
//! A patient followed to T with exposure time e contributes, on counting-process data,
//!   0 < e < T:        (0, e] unexposed, censored at e, then (e, T] exposed with the event;
//!   e = 0:            (0, T] exposed (exposed from the start; `tmerge` has no zero-length interval);
//!   e >= T or none:   (0, T] unexposed (never exposed while followed).
//! Each state's curve is Kaplan-Meier with delayed entry: at each distinct exit time t_j of the
//! state, with n_j = #{entry < t_j <= exit} at risk and d_j events,
//!   S(t) = prod over t_j <= t of (1 - d_j / n_j)
//!   var(log S(t)) = sum over t_j <= t of d_j / (n_j (n_j - d_j))          (Greenwood)
//! A patient who enters at e is at risk only after e, so an entry at an exit time joins the next
//! step. Ties: all exits at a time are one step; censorings at an event time are at risk at it.
//! Patients leaving the unexposed state at their exposure count as censored there, as `survfit`
//! counts them (`n_censor`). Intervals are those of [`super::km::confidence_interval`].
//!
//! Reference: Simon R, Makuch RW. A non-parametric graphical representation of the relationship
//! between survival and the occurrence of an event: application to responder versus
//! non-responder bias. Stat Med 1984;3:35-44.
//! Reproduces, on `tmerge`-split data,
//! `survfit(Surv(tstart, tstop, event) ~ exposed)` with `summary(fit, censored = TRUE)` and
//! `summary(fit, times = at)` (survival 3.5).

use super::km::{CurveSteps, KaplanMeierOptions, SurvivalCurve};

/// One patient's stay in a state: at risk on (entry, exit], with or without the event at exit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub entry: f64,
    pub exit: f64,
    pub event: bool,
}

/// A state's curve with delayed entry.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryCurve {
    /// One step per distinct exit time, as `survfit` stores it (`n` is the number of intervals).
    pub curve: SurvivalCurve,
    /// Patients who joined the risk set since the previous step (entered at a time in
    /// [previous step, this step), after 0), so first at risk at this step.
    pub n_enter: Vec<usize>,
    /// Every time at which the risk set changes (an entry after 0, an exit), with the number in
    /// it there (entry < t <= exit) and the number censored then: read by R's at-risk rule
    /// (the first time at or after t), it gives the number at risk at any time.
    pub risk_time: Vec<f64>,
    pub risk_n: Vec<usize>,
    pub risk_censor: Vec<usize>,
}

/// The two curves.
#[derive(Debug, Clone, PartialEq)]
pub struct SimonMakuch {
    pub unexposed: EntryCurve,
    pub exposed: EntryCurve,
}

/// Splits each patient's follow-up at the exposure, as `tmerge(..., tdc(exposure))` does: the
/// (unexposed, exposed) intervals. `time` is positive, `exposure` non-negative when given.
pub fn split_at_exposure(time: &[f64], event: &[bool], exposure: &[Option<f64>]) -> (Vec<Interval>, Vec<Interval>) {
    let (mut unexposed, mut exposed) = (Vec::new(), Vec::new());
    for ((time, event), exposure) in time.iter().zip(event).zip(exposure) {
        let whole = Interval { entry: 0.0, exit: *time, event: *event };
        match exposure {
            Some(at) if *at <= 0.0 => exposed.push(whole),
            Some(at) if at < time => {
                unexposed.push(Interval { entry: 0.0, exit: *at, event: false });
                exposed.push(Interval { entry: *at, ..whole });
            }
            _ => unexposed.push(whole),
        }
    }
    (unexposed, exposed)
}

/// Simon-Makuch curves of patients followed to `time` (positive) with `event` at the end and an
/// exposure time (`None`: never exposed).
///
/// # Examples
/// Four patients: exposed at 2 and dead at 5; never exposed, censored at 6; dead at 3 unexposed;
/// exposed at 0 and censored at 4.
/// ```
/// use survkit::estimate::simon_makuch::simon_makuch;
/// use survkit::estimate::km::KaplanMeierOptions;
/// let curves = simon_makuch(&[5.0, 6.0, 3.0, 4.0], &[true, false, true, false],
///                           &[Some(2.0), None, None, Some(0.0)], &KaplanMeierOptions::default());
/// assert_eq!(curves.unexposed.curve.time, vec![2.0, 3.0, 6.0]);
/// assert_eq!(curves.unexposed.curve.n_risk, vec![3, 2, 1]);
/// assert_eq!(curves.exposed.curve.time, vec![4.0, 5.0]);
/// assert_eq!(curves.exposed.curve.n_risk, vec![2, 1]);
/// assert_eq!(curves.exposed.n_enter, vec![1, 0]);
/// assert_eq!(curves.exposed.curve.surv, vec![1.0, 0.0]);
/// ```
pub fn simon_makuch(
    time: &[f64],
    event: &[bool],
    exposure: &[Option<f64>],
    options: &KaplanMeierOptions,
) -> SimonMakuch {
    let (unexposed, exposed) = split_at_exposure(time, event, exposure);
    SimonMakuch {
        unexposed: kaplan_meier_with_entry(&unexposed, options),
        exposed: kaplan_meier_with_entry(&exposed, options),
    }
}

/// Kaplan-Meier with delayed entry over (entry, exit] intervals (entry < exit), in any order:
/// `survfit(Surv(entry, exit, event) ~ 1)`.
pub fn kaplan_meier_with_entry(intervals: &[Interval], options: &KaplanMeierOptions) -> EntryCurve {
    let mut exits: Vec<(f64, bool)> = intervals.iter().map(|interval| (interval.exit, interval.event)).collect();
    exits.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut entries: Vec<f64> = intervals.iter().map(|interval| interval.entry).collect();
    entries.sort_unstable_by(f64::total_cmp);
    let late: Vec<f64> = entries.iter().copied().filter(|entry| *entry > 0.0).collect();
    // At t: #{exit >= t} - #{entry >= t} = #{entry < t <= exit}, since entry < exit.
    let at_risk = |exits_before: usize, time: f64| {
        (exits.len() - exits_before) - (entries.len() - entries.partition_point(|entry| *entry < time))
    };
    let mut steps = CurveSteps::new(intervals.len(), options);
    let mut n_enter = Vec::new();
    let (mut risk_time, mut risk_n, mut risk_censor) = (Vec::new(), Vec::new(), Vec::new());
    let (mut start, mut entered) = (0, 0);
    let mut late_seen = 0;
    while start < exits.len() {
        let time = exits[start].0;
        let end = start + exits[start..].iter().take_while(|row| row.0 == time).count();
        // The risk set's changes before this exit: entries after 0 at times before it.
        while late_seen < late.len() && late[late_seen] < time {
            let entry_time = late[late_seen];
            if risk_time.last() != Some(&entry_time) {
                let exits_before = exits.partition_point(|row| row.0 < entry_time);
                risk_time.push(entry_time);
                risk_n.push(at_risk(exits_before, entry_time));
                risk_censor.push(0);
            }
            late_seen += 1;
        }
        let n_risk = at_risk(start, time);
        let n_event = exits[start..end].iter().filter(|row| row.1).count();
        steps.push(time, n_risk, n_event, end - start - n_event);
        let entered_by_now = late.partition_point(|entry| *entry < time);
        n_enter.push(entered_by_now - entered);
        entered = entered_by_now;
        risk_time.push(time);
        risk_n.push(n_risk);
        risk_censor.push(end - start - n_event);
        start = end;
    }
    EntryCurve { curve: steps.curve, n_enter, risk_time, risk_n, risk_censor }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::km::kaplan_meier;

    fn options() -> KaplanMeierOptions {
        KaplanMeierOptions::default()
    }

    #[test]
    fn without_late_entries_it_is_kaplan_meier() {
        let time = [1.0, 2.0, 3.0, 3.0, 5.0, 6.0];
        let event = [true, false, true, true, false, true];
        let intervals: Vec<Interval> =
            time.iter().zip(&event).map(|(time, event)| Interval { entry: 0.0, exit: *time, event: *event }).collect();
        let with_entry = kaplan_meier_with_entry(&intervals, &options());
        assert_eq!(with_entry.curve, kaplan_meier(&time, &event, &options()));
        assert_eq!(with_entry.n_enter, vec![0; 5]);
        assert_eq!(with_entry.risk_time, with_entry.curve.time);
    }

    #[test]
    fn an_entry_at_an_exit_time_joins_the_next_step() {
        // (0, 2] event, (2, 4] event, (0, 4] censored: at 2 two at risk, at 4 two again.
        let intervals = [
            Interval { entry: 0.0, exit: 2.0, event: true },
            Interval { entry: 2.0, exit: 4.0, event: true },
            Interval { entry: 0.0, exit: 4.0, event: false },
        ];
        let fit = kaplan_meier_with_entry(&intervals, &options());
        assert_eq!(fit.curve.n_risk, vec![2, 2]);
        assert_eq!(fit.n_enter, vec![0, 1]);
        assert_eq!(fit.curve.surv, vec![0.5, 0.25]);
        assert_eq!((fit.risk_time, fit.risk_n), (vec![2.0, 4.0], vec![2, 2]));
    }

    #[test]
    fn the_risk_set_counts_entries_between_steps() {
        // Exposed from 0 to 9 (censored), and entering at 1 and 3, dying at 5 and 9.
        let intervals = [
            Interval { entry: 0.0, exit: 9.0, event: false },
            Interval { entry: 1.0, exit: 5.0, event: true },
            Interval { entry: 3.0, exit: 9.0, event: true },
        ];
        let fit = kaplan_meier_with_entry(&intervals, &options());
        assert_eq!(fit.risk_time, vec![1.0, 3.0, 5.0, 9.0]);
        assert_eq!(fit.risk_n, vec![1, 2, 3, 2]);
        assert_eq!(fit.risk_censor, vec![0, 0, 0, 1]);
        assert_eq!(crate::steps::number_at_risk(&fit.risk_time, &fit.risk_n, 2.0), 2);
        assert_eq!(crate::steps::number_at_risk(&fit.risk_time, &fit.risk_n, 0.0), 1);
    }

    #[test]
    fn exposure_conventions() {
        let (unexposed, exposed) = split_at_exposure(
            &[5.0, 5.0, 5.0, 5.0, 5.0],
            &[true; 5],
            &[None, Some(0.0), Some(5.0), Some(7.0), Some(2.0)],
        );
        assert_eq!(unexposed.len(), 4, "never, at the end, after the end, and before exposure");
        assert_eq!(exposed.len(), 2, "from the start, and after exposure");
        assert_eq!(unexposed[3], Interval { entry: 0.0, exit: 2.0, event: false });
        assert_eq!(exposed[1], Interval { entry: 2.0, exit: 5.0, event: true });
    }
}
