//! The Mantel-Byar test: the log-rank test with time-dependent group membership, comparing the
//! hazard while exposed (after a transplant, say) with the hazard while not yet exposed.
//!
//! Patient i is followed on (0, t_i] and exposed from time x_i on: unexposed on (0, x_i] and
//! exposed on (x_i, t_i], as `tmerge`'s `tdc(x)` splits the follow-up. At each distinct event
//! time s, with n at risk (t_i >= s), n_1 of them exposed (x_i < s), d events and d_1 of them
//! among the exposed:
//!   O_1 += d_1          E_1 += d n_1 / n
//!   V   += d (n - d) n_1 (n - n_1) / (n^2 (n - 1))     (the hypergeometric variance; n > 1)
//!   chisq = (O_1 - E_1)^2 / V on 1 degree of freedom
//! The unexposed state's observed and expected are D - O_1 and D - E_1 (D all events).
//! Ties: all events at a time form one step; censorings at an event time are at risk at it.
//! Conventions (those of `tmerge`):
//! - an exposure at a patient's own end of follow-up or later is never an exposure while followed
//!   (an event at exactly the exposure time counts as unexposed: the interval (0, x] ends there);
//! - an exposure at time 0 is exposed from the start, also at an event at time 0;
//! - no exposure time (`None`) is never exposed.
//!
//! When V = 0 (nobody exposed, or nobody unexposed, at risk at any event time) there is nothing
//! to test: chisq and p are not estimable (coxph gives an NA coefficient there).
//!
//! Reference: Mantel N, Byar DP. Evaluation of response-time data involving transient states: an
//! illustration using heart-transplant data. JASA 1974;69:81-86.
//! Reproduces the score test (`fit$score`) of
//! `coxph(Surv(tstart, tstop, event) ~ exposed, ties = "exact")` on `tmerge(..., exposed = tdc(x))`
//! data, which at beta = 0 is exactly this statistic; EZR's `Mantel.Byar`.

use super::distribution::{chi_square_upper_tail, square};

/// The test, with observed and expected events and the patients ever in each state.
#[derive(Debug, Clone, PartialEq)]
pub struct MantelByarTest {
    /// Patients at risk while unexposed at some time (all but those exposed from time 0).
    pub n_unexposed: usize,
    /// Patients exposed while followed.
    pub n_exposed: usize,
    /// Observed and expected events while unexposed, then while exposed.
    pub observed: [f64; 2],
    pub expected: [f64; 2],
    /// The variance of O_1 - E_1.
    pub variance: f64,
    /// `None` when the variance is 0: nothing to test.
    pub chisq: Option<f64>,
    pub p: Option<f64>,
}

/// The time from which a patient with follow-up `time` and exposure `exposure` is exposed while
/// followed, or `None` when never: the conventions in the module's comment.
pub fn exposed_from(time: f64, exposure: Option<f64>) -> Option<f64> {
    match exposure {
        Some(0.0) => Some(f64::NEG_INFINITY),
        Some(at) if at < time => Some(at),
        _ => None,
    }
}

/// Compares the hazard while exposed with the hazard while unexposed; `exposure[i]` is row i's
/// exposure time from the origin (`None`: never exposed). Times must not be negative (the frame
/// builder and the analysis refuse them); O(n log n).
///
/// # Examples
/// ```
/// use survkit::estimate::mantel_byar::mantel_byar;
/// // Three patients; the second is exposed at 1 and dies at 2 while exposed.
/// let test = mantel_byar(&[1.0, 2.0, 3.0], &[true, true, false], &[None, Some(1.0), None]);
/// assert_eq!(test.observed, [1.0, 1.0]);
/// assert_eq!(test.n_exposed, 1);
/// ```
pub fn mantel_byar(time: &[f64], event: &[bool], exposure: &[Option<f64>]) -> MantelByarTest {
    let from: Vec<Option<f64>> =
        time.iter().zip(exposure).map(|(time, exposure)| exposed_from(*time, *exposure)).collect();
    let n_exposed = from.iter().filter(|from| from.is_some()).count();
    let n_unexposed = from.iter().filter(|from| **from != Some(f64::NEG_INFINITY)).count();

    // Sorted ends of follow-up (all, and of the exposed), exposure starts, and event times.
    let sorted = |mut values: Vec<f64>| {
        values.sort_unstable_by(f64::total_cmp);
        values
    };
    let ends = sorted(time.to_vec());
    let exposed_ends = sorted(time.iter().zip(&from).filter(|(_, from)| from.is_some()).map(|(t, _)| *t).collect());
    let starts = sorted(from.iter().flatten().copied().collect());
    let mut events: Vec<(f64, bool)> = time
        .iter()
        .zip(event)
        .zip(&from)
        .filter(|((_, event), _)| **event)
        .map(|((time, _), from)| (*time, from.is_some()))
        .collect();
    events.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));

    let (mut ended, mut exposed_ended, mut started) = (0usize, 0usize, 0usize);
    let (mut observed_exposed, mut expected_exposed, mut variance, mut all_events) = (0.0, 0.0, 0.0, 0.0);
    let mut index = 0;
    while index < events.len() {
        let at = events[index].0;
        let (mut d, mut d_exposed) = (0.0, 0.0);
        while index < events.len() && events[index].0 == at {
            d += 1.0;
            d_exposed += f64::from(u8::from(events[index].1));
            index += 1;
        }
        // At risk at s: t >= s; exposed at s: x < s (x = -inf for exposure at 0).
        while ended < ends.len() && ends[ended] < at {
            ended += 1;
        }
        while exposed_ended < exposed_ends.len() && exposed_ends[exposed_ended] < at {
            exposed_ended += 1;
        }
        while started < starts.len() && starts[started] < at {
            started += 1;
        }
        let n = (ends.len() - ended) as f64;
        let n_1 = started.saturating_sub(exposed_ended) as f64;
        observed_exposed += d_exposed;
        expected_exposed += d * n_1 / n;
        all_events += d;
        if n > 1.0 {
            variance += d * (n - d) * n_1 * (n - n_1) / (square(n) * (n - 1.0));
        }
    }
    let chisq = (variance > 0.0).then(|| square(observed_exposed - expected_exposed) / variance);
    MantelByarTest {
        n_unexposed,
        n_exposed,
        observed: [all_events - observed_exposed, observed_exposed],
        expected: [all_events - expected_exposed, expected_exposed],
        variance,
        chisq,
        p: chisq.and_then(|chisq| chi_square_upper_tail(chisq, 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_changes_of_state_it_is_the_log_rank_test() {
        // Exposed from 0 is a fixed group: the log-rank test of the two groups.
        let time = [1.0, 2.0, 2.0, 3.0, 4.0, 5.0];
        let event = [true, true, false, true, true, false];
        let group = [0, 1, 0, 1, 0, 1];
        let exposure: Vec<Option<f64>> = group.iter().map(|g| (*g == 1).then_some(0.0)).collect();
        let test = mantel_byar(&time, &event, &exposure);
        let log_rank = crate::estimate::logrank::log_rank(
            &time,
            &event,
            &group,
            2,
            None,
            &crate::estimate::logrank::LogRankOptions::default(),
        )
        .unwrap();
        assert!((test.chisq.unwrap() - log_rank.chisq).abs() < 1e-12);
        assert_eq!(test.observed.to_vec(), log_rank.observed);
        assert!((test.expected[1] - log_rank.expected[1]).abs() < 1e-12);
        assert_eq!((test.n_unexposed, test.n_exposed), (3, 3));
    }

    #[test]
    fn an_event_at_the_exposure_time_is_unexposed() {
        // Patient 0 is exposed at 2 and dies at 2: unexposed then; exposure after the end is none.
        let test = mantel_byar(&[2.0, 3.0, 4.0], &[true, true, false], &[Some(2.0), Some(9.0), Some(1.0)]);
        assert_eq!(test.observed, [2.0, 0.0]);
        // At 2: n 3, one exposed (patient 2); at 3: n 2, one exposed.
        assert!((test.expected[1] - (1.0 / 3.0 + 1.0 / 2.0)).abs() < 1e-15);
        assert_eq!((test.n_unexposed, test.n_exposed), (3, 1));
    }

    #[test]
    fn row_order_and_exposures_after_follow_up_change_nothing() {
        let time = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let event = [true, false, true, true, true, false, true, true];
        let exposure = [Some(1.0), None, Some(4.0), Some(0.0), Some(2.0), None, Some(7.0), Some(2.0)];
        let test = mantel_byar(&time, &event, &exposure);
        let order = [5, 2, 7, 0, 3, 6, 1, 4];
        let shuffled =
            mantel_byar(&order.map(|row| time[row]), &order.map(|row| event[row]), &order.map(|row| exposure[row]));
        assert_eq!(test.observed, shuffled.observed);
        assert!((test.chisq.unwrap() - shuffled.chisq.unwrap()).abs() < 1e-12);
        // Exposed at 4 with follow-up ending at 4, or at 7 after 2: never exposed, as an empty cell.
        let mut never = exposure;
        never[2] = None;
        never[6] = None;
        assert_eq!(mantel_byar(&time, &event, &never), test);
    }

    #[test]
    fn nobody_exposed_is_nothing_to_test() {
        let test = mantel_byar(&[1.0, 2.0], &[true, true], &[None, Some(5.0)]);
        assert_eq!((test.chisq, test.p, test.n_exposed), (None, None, 0));
    }
}
