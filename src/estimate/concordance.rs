//! Harrell's concordance of a risk score with survival, with its infinitesimal-jackknife
//! standard error.
//!
//! A pair (i, j) in the same stratum is comparable when i has the event at t_i and j is still
//! under observation after it: t_j > t_i, or t_j = t_i with j censored (two events at the same
//! time are not comparable). A comparable pair is concordant when the earlier event has the
//! higher score (lp_i > lp_j), discordant when lower, tied when equal:
//!   C = (concordant + tied / 2) / (concordant + discordant + tied)
//! With N the number of comparable pairs, s = (concordant - discordant) / N, and c_k, d_k, t_k
//! the concordant, discordant and tied pairs observation k belongs to (on either side):
//!   dfbeta_k = (c_k - d_k) / N - (s / N) (c_k + d_k + t_k),   se(C) = sqrt(sum dfbeta_k^2 / 4).
//! Counting uses a Fenwick tree over the ranks of the scores, so the cost is O(n log n).
//! With counting-process rows (start, stop] (`concordance_counting`), j is compared with an event
//! at t_i only while it is in the risk set, start_j < t_i; rows leave the trees at their start.
//!
//! Reference: Harrell et al. (1982); Therneau & Atkinson (2020), "The concordance statistic".
//! Reproduces `summary(coxph(...))$concordance`, i.e. `concordance(fit)` with
//! `timewt = "n"`: `C` and `se(C)`.

/// The concordance and its standard error; `None` when no pair is comparable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Concordance {
    pub estimate: Option<f64>,
    pub std_err: Option<f64>,
}

/// Counts per rank of score, so prefix sums answer "how many scores below this one".
struct Fenwick {
    tree: Vec<f64>,
}

impl Fenwick {
    fn new(size: usize) -> Fenwick {
        Fenwick { tree: vec![0.0; size + 1] }
    }

    fn add(&mut self, rank: usize, amount: f64) {
        let mut index = rank + 1;
        while index < self.tree.len() {
            self.tree[index] += amount;
            index += index & index.wrapping_neg();
        }
    }

    /// The count of ranks strictly below `rank`.
    fn below(&self, rank: usize) -> f64 {
        let mut index = rank;
        let mut total = 0.0;
        while index > 0 {
            total += self.tree[index];
            index -= index & index.wrapping_neg();
        }
        total
    }
}

/// Pairs an observation belongs to.
#[derive(Clone, Copy, Default)]
struct PairCounts {
    concordant: f64,
    discordant: f64,
    tied: f64,
}

/// Concordance of `score` (higher = earlier event expected) with (`time`, `event`).
///
/// # Examples
/// ```
/// use survkit::estimate::concordance::concordance;
/// // Perfect ranking: the highest score dies first.
/// let c = concordance(&[1.0, 2.0, 3.0], &[true, true, true], &[3.0, 2.0, 1.0], None);
/// assert_eq!(c.estimate, Some(1.0));
/// ```
pub fn concordance(time: &[f64], event: &[bool], score: &[f64], strata: Option<&[u32]>) -> Concordance {
    concordance_of(None, time, event, score, strata)
}

/// Concordance on counting-process rows (`start`, `stop`], as `concordance(coxph(Surv(start,
/// stop, event) ~ ...))`: a row is compared with the events inside its interval only.
pub fn concordance_counting(
    start: &[f64],
    stop: &[f64],
    event: &[bool],
    score: &[f64],
    strata: Option<&[u32]>,
) -> Concordance {
    concordance_of(Some(start), stop, event, score, strata)
}

fn concordance_of(
    start: Option<&[f64]>,
    time: &[f64],
    event: &[bool],
    score: &[f64],
    strata: Option<&[u32]>,
) -> Concordance {
    let n = time.len();
    // The rank of each score among the distinct scores: one sort of (score, row) pairs, then
    // one pass (equal scores, -0 and 0 included, share a rank).
    let mut by_score: Vec<(f64, usize)> = score.iter().copied().zip(0..n).collect();
    by_score.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut rank = vec![0usize; n];
    let mut levels = 0;
    for (position, (value, row)) in by_score.iter().enumerate() {
        if position == 0 || *value != by_score[position - 1].0 {
            levels += 1;
        }
        rank[*row] = levels - 1;
    }

    let stratum_of = |row: usize| strata.map_or(0, |strata| strata[row]);
    let mut keyed: Vec<(u32, f64, usize)> = (0..n).map(|row| (stratum_of(row), time[row], row)).collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
    let order: Vec<usize> = keyed.into_iter().map(|(_, _, row)| row).collect();

    let mut counts = vec![PairCounts::default(); n];
    let entry = start;
    let mut start = 0;
    while start < n {
        let stratum = stratum_of(order[start]);
        let end = start + order[start..].iter().take_while(|row| stratum_of(**row) == stratum).count();
        let rows = &order[start..end];
        let by_start = entry.map(|entry| {
            let mut rows = rows.to_vec();
            rows.sort_unstable_by(|a, b| entry[*a].total_cmp(&entry[*b]));
            (entry, rows)
        });
        count_stratum(
            rows,
            by_start.as_ref().map(|(entry, rows)| (*entry, rows.as_slice())),
            time,
            event,
            &rank,
            levels,
            &mut counts,
        );
        start = end;
    }

    // Each comparable pair was counted once on the event's side and once on the other's.
    let (concordant, discordant, tied) = counts.iter().fold((0.0, 0.0, 0.0), |totals, count| {
        (totals.0 + count.concordant, totals.1 + count.discordant, totals.2 + count.tied)
    });
    let (concordant, discordant, tied) = (concordant / 2.0, discordant / 2.0, tied / 2.0);
    let pairs = concordant + discordant + tied;
    if pairs == 0.0 {
        return Concordance { estimate: None, std_err: None };
    }
    let somers = (concordant - discordant) / pairs;
    let sum_squares: f64 = counts
        .iter()
        .map(|count| {
            let dfbeta = (count.concordant - count.discordant) / pairs
                - somers / pairs * (count.concordant + count.discordant + count.tied);
            dfbeta * dfbeta
        })
        .sum();
    Concordance { estimate: Some((concordant + tied / 2.0) / pairs), std_err: Some((sum_squares / 4.0).sqrt()) }
}

/// Counts the pairs within one stratum whose rows, in `rows`, are sorted by time; `entry` holds
/// counting-process rows' starts and the stratum's rows sorted by start.
fn count_stratum(
    rows: &[usize],
    entry: Option<(&[f64], &[usize])>,
    time: &[f64],
    event: &[bool],
    rank: &[usize],
    levels: usize,
    counts: &mut [PairCounts],
) {
    // Event side, latest time first: the tree holds everyone observed beyond the current time.
    let mut later = Fenwick::new(levels);
    let mut later_total = 0.0;
    let mut leaving = entry.map_or(0, |(_, by_start)| by_start.len());
    let mut end = rows.len();
    while end > 0 {
        let current = time[rows[end - 1]];
        let start = end - rows[..end].iter().rev().take_while(|row| time[**row] == current).count();
        let block = &rows[start..end];
        if let Some((entry, by_start)) = entry {
            // Out of the risk set at `current`: rows starting at or after it (all already added).
            while leaving > 0 && entry[by_start[leaving - 1]] >= current {
                later.add(rank[by_start[leaving - 1]], -1.0);
                later_total -= 1.0;
                leaving -= 1;
            }
        }
        for row in block.iter().filter(|row| !event[**row]) {
            later.add(rank[*row], 1.0);
            later_total += 1.0;
        }
        for row in block.iter().filter(|row| event[**row]) {
            let below = later.below(rank[*row]);
            let at_or_below = later.below(rank[*row] + 1);
            counts[*row].concordant += below;
            counts[*row].tied += at_or_below - below;
            counts[*row].discordant += later_total - at_or_below;
        }
        for row in block.iter().filter(|row| event[**row]) {
            later.add(rank[*row], 1.0);
            later_total += 1.0;
        }
        end = start;
    }
    // The other side, earliest time first: the tree holds the events before the current time.
    let mut earlier = Fenwick::new(levels);
    let mut earlier_total = 0.0;
    let mut entering = 0;
    let mut start = 0;
    while start < rows.len() {
        let current = time[rows[start]];
        let end = start + rows[start..].iter().take_while(|row| time[**row] == current).count();
        let block = &rows[start..end];
        // `sign` -1 takes away the events before a counting-process row's start.
        let mut tally = |row: usize, tree: &Fenwick, total: f64, sign: f64| {
            let below = tree.below(rank[row]);
            let at_or_below = tree.below(rank[row] + 1);
            // The earlier event concords when its score is higher than this row's.
            counts[row].concordant += sign * (total - at_or_below);
            counts[row].tied += sign * (at_or_below - below);
            counts[row].discordant += sign * below;
        };
        if let Some((entry, by_start)) = entry {
            // The tree holds the events up to the last time before `current`, which are the
            // events at or before the start of a row starting in between.
            while entering < by_start.len() && entry[by_start[entering]] < current {
                tally(by_start[entering], &earlier, earlier_total, -1.0);
                entering += 1;
            }
        }
        for row in block.iter().filter(|row| event[**row]) {
            tally(*row, &earlier, earlier_total, 1.0);
        }
        for row in block.iter().filter(|row| event[**row]) {
            earlier.add(rank[*row], 1.0);
            earlier_total += 1.0;
        }
        for row in block.iter().filter(|row| !event[**row]) {
            tally(*row, &earlier, earlier_total, 1.0);
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pair by brute force, against the tree.
    #[test]
    fn agrees_with_counting_every_pair() {
        let time = [1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0, 6.0];
        let event = [true, true, false, true, true, true, false, true];
        let score = [0.5, 0.1, 0.5, 0.9, 0.2, 0.2, 0.7, 0.0];
        let (mut concordant, mut discordant, mut tied) = (0.0, 0.0, 0.0);
        for i in 0..time.len() {
            for j in 0..time.len() {
                let comparable = event[i] && (time[j] > time[i] || (time[j] == time[i] && !event[j]));
                if comparable {
                    if score[i] > score[j] {
                        concordant += 1.0;
                    } else if score[i] < score[j] {
                        discordant += 1.0;
                    } else {
                        tied += 1.0;
                    }
                }
            }
        }
        let result = concordance(&time, &event, &score, None);
        let expected = (concordant + tied / 2.0) / (concordant + discordant + tied);
        assert!((result.estimate.unwrap() - expected).abs() < 1e-15);
    }

    /// Counting-process rows by brute force: j is compared with an event at t_i inside (start_j, stop_j].
    #[test]
    fn counting_process_rows_agree_with_counting_every_pair() {
        let start = [0.0, 0.0, 1.0, 0.0, 2.0, 0.0, 3.0, 0.0, 1.0];
        let stop = [1.0, 2.0, 3.0, 3.0, 4.0, 4.0, 6.0, 5.0, 2.0];
        let event = [true, false, true, false, true, true, false, true, true];
        let score = [0.5, 0.1, 0.5, 0.9, 0.2, 0.2, 0.7, 0.0, 0.3];
        let n = stop.len();
        let mut counts = vec![(0.0, 0.0, 0.0); n];
        for i in 0..n {
            for j in 0..n {
                let at_risk = start[j] < stop[i] && (stop[j] > stop[i] || (stop[j] == stop[i] && !event[j]));
                if i != j && event[i] && at_risk {
                    let (c, d, t) = if score[i] > score[j] {
                        (1.0, 0.0, 0.0)
                    } else if score[i] < score[j] {
                        (0.0, 1.0, 0.0)
                    } else {
                        (0.0, 0.0, 1.0)
                    };
                    for k in [i, j] {
                        counts[k].0 += c;
                        counts[k].1 += d;
                        counts[k].2 += t;
                    }
                }
            }
        }
        let (c, d, t) = counts.iter().fold((0.0, 0.0, 0.0), |a, k| (a.0 + k.0 / 2.0, a.1 + k.1 / 2.0, a.2 + k.2 / 2.0));
        let pairs = c + d + t;
        let somers = (c - d) / pairs;
        let sum_squares: f64 = counts
            .iter()
            .map(|k: &(f64, f64, f64)| {
                let dfbeta = (k.0 - k.1) / pairs - somers / pairs * (k.0 + k.1 + k.2);
                dfbeta * dfbeta
            })
            .sum();
        let result = concordance_counting(&start, &stop, &event, &score, None);
        assert!((result.estimate.unwrap() - (c + t / 2.0) / pairs).abs() < 1e-15);
        assert!((result.std_err.unwrap() - (sum_squares / 4.0).sqrt()).abs() < 1e-15);
    }

    #[test]
    fn strata_do_not_mix() {
        let time = [1.0, 2.0, 1.0, 2.0];
        let event = [true, true, true, true];
        let score = [2.0, 1.0, 1.0, 2.0];
        let result = concordance(&time, &event, &score, Some(&[0, 0, 1, 1]));
        assert_eq!(result.estimate, Some(0.5));
    }
}
