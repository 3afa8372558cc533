//! Times that differ only by rounding are the same time: R survival's `timefix` rule.
//!
//! Times computed from dates (days / 30.4375) or exported by spreadsheets differ in their last
//! bits where the user means one time (`sqrt(2)^2` is `2.0000000000000004`). R's `survfit`,
//! `survdiff`, `coxph` (and so `concordance` and `cox.zph` on its fit) therefore pass the times
//! through `aeqSurv` first (their `timefix = TRUE` default). Its rule, reproduced here:
//!   y  = the distinct finite times, sorted (start and stop times together for (start, stop] data)
//!   dy = their successive differences
//!   y[k] and y[k + 1] are tied when  dy[k] <= tol  or  dy[k] / mean(|y|) <= tol,
//!   tol = sqrt(machine epsilon) = 1.49e-8
//! A run of tied neighbours becomes one time, the smallest of the run (R maps each time to the
//! last cut at or below it with `findInterval`), so a chain 1, 1 + tol, 1 + 2 tol becomes 1.
//! For (start, stop] data, an interval whose start and stop become equal is refused, as
//! `aeqSurv` stops with "an interval has effective length 0".
//! cmprsk's `cuminc` and `crr` have no such rule: the competing-risks estimators compare times
//! exactly, each equal to its own R function.
//!
//! Reference: Therneau, survival package, `aeqSurv` (R/aeqSurv.R) and the `timefix` argument of
//! `survfit`, `survdiff` and `coxph.control`.
//! Reproduces `aeqSurv(Surv(time, status))` and `aeqSurv(Surv(start, stop, status))`.

use crate::error::Error;

/// R's `sqrt(.Machine$double.eps)`, `aeqSurv`'s default tolerance.
pub const TIME_TOLERANCE: f64 = 1.490_116_119_384_765_6e-8;

/// Whether near-equal times are merged first; R's default (`timefix = TRUE`) is [`TimeFix::Merge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeFix {
    /// Merge times within [`TIME_TOLERANCE`] (absolute or relative), as R does by default.
    #[default]
    Merge,
    /// Compare times exactly (`timefix = FALSE`).
    Exact,
}

impl TimeFix {
    /// `TimeFix::Merge` when `merge` is true.
    pub fn from_flag(merge: bool) -> TimeFix {
        if merge {
            TimeFix::Merge
        } else {
            TimeFix::Exact
        }
    }
}

/// Times after the rule, and how many rows it moved onto a near-equal time.
#[derive(Debug, Clone, PartialEq)]
pub struct MergedTimes {
    pub time: Vec<f64>,
    pub moved: usize,
}

/// The times with near ties merged (a copy; unchanged when nothing is tied or `fix` is exact).
///
/// # Examples
/// ```
/// use survkit::estimate::timefix::{merge_near_ties, TimeFix};
/// let two = 2.0_f64.sqrt() * 2.0_f64.sqrt(); // 2.0000000000000004
/// let merged = merge_near_ties(&[1.0, two, 2.0, 3.0], TimeFix::Merge);
/// assert_eq!((merged.time, merged.moved), (vec![1.0, 2.0, 2.0, 3.0], 1));
/// assert_eq!(merge_near_ties(&[1.0, two, 2.0], TimeFix::Exact).time, vec![1.0, two, 2.0]);
/// ```
pub fn merge_near_ties(time: &[f64], fix: TimeFix) -> MergedTimes {
    let mut merged = MergedTimes { time: time.to_vec(), moved: 0 };
    if fix == TimeFix::Merge {
        if let Some(cuts) = cuts(time.iter().copied()) {
            for value in &mut merged.time {
                let snapped = snap(&cuts, *value);
                merged.moved += usize::from(snapped != *value);
                *value = snapped;
            }
        }
    }
    merged
}

/// (start, stop] intervals with near ties merged over the start and stop times together.
///
/// # Errors
/// [`Error::NotEstimable`] naming the first such row when an interval's start and stop merge
/// into one time (R: "aeqSurv exception, an interval has effective length 0").
/// `spreadsheet_rows[i]` is the row of interval i as a spreadsheet numbers it.
pub fn merge_near_tied_intervals(
    start: &[f64],
    stop: &[f64],
    spreadsheet_rows: &[usize],
    fix: TimeFix,
) -> Result<(Vec<f64>, Vec<f64>), Error> {
    let (mut start_merged, mut stop_merged) = (start.to_vec(), stop.to_vec());
    if fix == TimeFix::Exact {
        return Ok((start_merged, stop_merged));
    }
    let Some(cuts) = cuts(start.iter().chain(stop).copied()) else {
        return Ok((start_merged, stop_merged));
    };
    let mut collapsed = Vec::new();
    for (index, (first, last)) in start_merged.iter_mut().zip(&mut stop_merged).enumerate() {
        let was_an_interval = first != last;
        *first = snap(&cuts, *first);
        *last = snap(&cuts, *last);
        if was_an_interval && first == last {
            collapsed.push(spreadsheet_rows.get(index).copied().unwrap_or(index + 2));
        }
    }
    if let Some(row) = collapsed.first() {
        return Err(Error::NotEstimable {
            what: "the (start, stop] intervals".into(),
            reason: format!(
                "in {} row{} (first: row {row}) the start and stop times differ by less than R's tolerance \
                 ({TIME_TOLERANCE:e}, absolute or relative) and become one time, as R's aeqSurv refuses \
                 (\"an interval has effective length 0\"); correct the times or drop those rows",
                collapsed.len(),
                if collapsed.len() == 1 { "" } else { "s" },
            ),
        });
    }
    Ok((start_merged, stop_merged))
}

/// The times each run of near-tied neighbours collapses onto (its smallest), or `None` when no
/// two distinct times are tied.
fn cuts(values: impl Iterator<Item = f64>) -> Option<Vec<f64>> {
    let mut distinct: Vec<f64> = values.filter(|value| value.is_finite()).collect();
    distinct.sort_unstable_by(f64::total_cmp);
    distinct.dedup();
    if distinct.len() < 2 {
        return None;
    }
    let scale = mean_absolute(&distinct);
    let tied = |k: usize| {
        let difference = distinct[k + 1] - distinct[k];
        difference <= TIME_TOLERANCE || difference / scale <= TIME_TOLERANCE
    };
    if !(0..distinct.len() - 1).any(tied) {
        return None;
    }
    let mut cuts = vec![distinct[0]];
    cuts.extend((0..distinct.len() - 1).filter(|k| !tied(*k)).map(|k| distinct[k + 1]));
    Some(cuts)
}

/// The last cut at or below `value` (R's `cuts[findInterval(value, cuts)]`); values below every
/// cut, and non-finite ones, are left alone.
fn snap(cuts: &[f64], value: f64) -> f64 {
    if !value.is_finite() {
        return value;
    }
    match cuts.partition_point(|cut| *cut <= value) {
        0 => value,
        index => cuts[index - 1],
    }
}

/// mean(|y|) as R's `mean` computes it: the sum divided by n, then corrected by the mean of the
/// residuals (R accumulates in long double; the compensated sum here agrees to the last bit on
/// all but contrived inputs, and the result only decides ties within rounding of the tolerance).
fn mean_absolute(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let (mut sum, mut compensation) = (0.0_f64, 0.0_f64);
    for value in values {
        let term = value.abs();
        let total = sum + term;
        compensation += if sum.abs() >= term { (sum - total) + term } else { (term - total) + sum };
        sum = total;
    }
    let mean = (sum + compensation) / n;
    if !mean.is_finite() {
        return mean;
    }
    mean + values.iter().map(|value| value.abs() - mean).sum::<f64>() / n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_is_r_sqrt_double_eps() {
        assert_eq!(TIME_TOLERANCE, f64::EPSILON.sqrt());
    }

    #[test]
    fn a_chain_of_near_ties_collapses_onto_its_smallest() {
        let step = TIME_TOLERANCE * 0.9;
        let merged = merge_near_ties(&[5.0, 1.0 + 2.0 * step, 1.0, 1.0 + step], TimeFix::Merge);
        assert_eq!((merged.time, merged.moved), (vec![5.0, 1.0, 1.0, 1.0], 2));
    }

    #[test]
    fn relative_ties_on_large_times() {
        // 1e9 and 1e9 + 1 differ by 1, far beyond the absolute tolerance, but 1 / mean(|y|) is
        // below it.
        let merged = merge_near_ties(&[1e9 + 1.0, 1e9, 2e9], TimeFix::Merge);
        assert_eq!(merged.time, vec![1e9, 1e9, 2e9]);
    }

    #[test]
    fn absolute_ties_on_tiny_times() {
        // Times below the tolerance itself are all tied with their neighbours.
        let merged = merge_near_ties(&[1e-9, 2e-9, 1.0], TimeFix::Merge);
        assert_eq!(merged.time, vec![1e-9, 1e-9, 1.0]);
    }

    #[test]
    fn distinct_times_are_unchanged() {
        let times = [0.0, 1.0, 1.5, 2.0, 100.0];
        assert_eq!(merge_near_ties(&times, TimeFix::Merge), MergedTimes { time: times.to_vec(), moved: 0 });
        assert_eq!(merge_near_ties(&[], TimeFix::Merge).time, Vec::<f64>::new());
    }

    #[test]
    fn an_interval_that_collapses_is_refused_with_its_row() {
        let error = merge_near_tied_intervals(&[0.0, 1.0], &[1.0, 1.0 + 1e-12], &[2, 3], TimeFix::Merge).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("first: row 3"), "{message}");
        assert!(message.contains("effective length 0"), "{message}");
        let (start, stop) = merge_near_tied_intervals(&[0.0, 1.0], &[1.0, 2.0], &[2, 3], TimeFix::Merge).unwrap();
        assert_eq!((start, stop), (vec![0.0, 1.0], vec![1.0, 2.0]));
        // An interval that was already empty is not the rule's doing.
        let (start, stop) =
            merge_near_tied_intervals(&[1.0, 5.0, 6.0], &[1.0, 6.0 + 1e-12, 7.0], &[2, 3, 4], TimeFix::Merge).unwrap();
        assert_eq!((start, stop), (vec![1.0, 5.0, 6.0], vec![1.0, 6.0, 7.0]));
    }
}
