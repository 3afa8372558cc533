//! Fisher's exact test with a Monte Carlo p-value, as R's
//! `set.seed(seed); fisher.test(table, simulate.p.value = TRUE, B = replicates)`, draw for draw.
//!
//! For tables whose exact enumeration is out of reach (R's FEXACT then stops with "LDSTP is too
//! small ... consider using 'simulate.p.value=TRUE'"), R samples tables with the observed
//! margins and counts how many are at most as probable as the observed one.
//!
//! # Formula
//! With x the table (all-zero rows and columns dropped), its statistic
//!   S(x) = -sum_ij ln x_ij!
//! orders tables as their probability does (the margins fix the rest of ln P). For B tables y_b
//! drawn under independence with the observed margins,
//!   p = (1 + #{b : S(y_b) <= S(x) / (1 + 64 eps)}) / (B + 1),
//! where eps is the machine epsilon: R's allowance that lets ties with the observed table count
//! (S < 0, so dividing by 1 + 64 eps raises it by a hair). p is never 0; its smallest value is
//! 1 / (B + 1).
//!
//! # Sampling (Patefield 1981, algorithm AS 159, as R's `rcont2`)
//! The rows but the last are filled in turn, and within a row the columns but the last. Cell
//! (l, m) given what is placed has a hypergeometric law: with `ia` left in row l, `id` left in
//! column m, `ie` left in all cells from (l, m) on and `ic` = ie - id,
//!   P(x) = C(id, x) C(ie - id, ia - x) / C(ie, ia).
//! One uniform U is drawn; starting at the rounded conditional mean, the probabilities of the
//! values above and below are added alternately (each from its neighbour by the ratio of
//! binomials) until the sum reaches U. If both ends are reached first (rounding), U is scaled
//! by the sum and the search restarts. The last cell of a row and the last row are then
//! determined. The log-factorials are R's running sums ln k! = ln (k - 1)! + ln k, and every
//! product and ratio is taken in R's order, so that each comparison with U is R's.
//!
//! Reference: Patefield WM (1981), Applied Statistics 30:91-97 (AS 159); Hope ACA (1968), JRSS B
//! 30:582-598 (Monte Carlo tests). R's `fisher.test`, `simulate.p.value = TRUE`.

use super::distribution::{exp, ln, ln_gamma};
/// The largest grand total sampled: the exact test's (R stores counts as 32-bit integers).
pub use super::fisher::MAX_TOTAL;
use super::r_random::RRandom;

/// R's default number of replicates (`B = 2000`).
pub const DEFAULT_REPLICATES: u32 = 2000;
/// The seed used unless another is given.
pub const DEFAULT_SEED: i32 = 1;

/// The Monte Carlo p-value of `fisher.test(counts, simulate.p.value = TRUE, B = replicates)`
/// after `set.seed(seed)`; `counts[row][column]`, rows and columns as R's matrix.
///
/// # Errors
/// `None` where R stops: fewer than two non-empty rows or columns, ragged rows, no replicates,
/// or a total past [`MAX_TOTAL`]. (R's 2 x 2 tables never simulate; callers use the exact test.)
///
/// # Examples
/// ```
/// use survkit::estimate::fisher_simulated::fisher_simulated;
/// // set.seed(1); fisher.test(matrix(c(3, 1, 1, 3, 2, 2), nrow = 2), simulate.p.value = TRUE)$p.value
/// let p = fisher_simulated(&[vec![3, 1, 2], vec![1, 3, 2]], 2000, 1).unwrap();
/// assert_eq!(p, 1522.0 / 2001.0); // R prints 0.76061969015492259
/// ```
pub fn fisher_simulated(counts: &[Vec<u64>], replicates: u32, seed: i32) -> Option<f64> {
    let n_columns = counts.first().map_or(0, Vec::len);
    if replicates == 0 || counts.iter().any(|row| row.len() != n_columns) {
        return None;
    }
    let column_totals: Vec<u64> = (0..n_columns)
        .map(|column| counts.iter().try_fold(0u64, |sum, row| sum.checked_add(row[column])))
        .collect::<Option<_>>()?;
    let keep_columns: Vec<usize> = (0..n_columns).filter(|column| column_totals[*column] > 0).collect();
    let table: Vec<Vec<u64>> = counts
        .iter()
        .filter(|row| row.iter().any(|count| *count > 0))
        .map(|row| keep_columns.iter().map(|column| row[*column]).collect())
        .collect();
    if table.len() < 2 || keep_columns.len() < 2 {
        return None;
    }
    let total: u64 = keep_columns.iter().map(|column| column_totals[*column]).sum();
    if total > MAX_TOTAL {
        return None;
    }
    let as_u32 = |count: u64| count as u32; // every count <= total <= MAX_TOTAL
    let row_totals: Vec<u32> = table.iter().map(|row| as_u32(row.iter().sum())).collect();
    let column_totals: Vec<u32> = keep_columns.iter().map(|column| as_u32(column_totals[*column])).collect();

    // R's fisher_sim: fact[0] = fact[1] = 0, fact[i] = fact[i - 1] + log(i).
    let mut ln_factorial = vec![0.0; total as usize + 1];
    for k in 2..ln_factorial.len() {
        ln_factorial[k] = ln_factorial[k - 1] + ln(k as f64);
    }
    // R's STATISTIC <- -sum(lfactorial(x)), compared after division by 1 + 64 eps.
    let observed: f64 = -table.iter().flatten().map(|count| ln_gamma(*count as f64 + 1.0)).sum::<f64>();
    let cutoff = observed / (1.0 + 64.0 * f64::EPSILON);

    let mut random = RRandom::set_seed(seed);
    let mut sample = vec![0u32; table.len() * keep_columns.len()];
    let mut column_left = vec![0u32; keep_columns.len()];
    let mut at_most_as_probable: u64 = 0;
    for _ in 0..replicates {
        draw_table(&row_totals, &column_totals, &ln_factorial, &mut random, &mut column_left, &mut sample);
        // R sums down each column of its column-major matrix.
        let mut statistic = 0.0;
        for column in 0..column_totals.len() {
            for row in 0..row_totals.len() {
                statistic -= ln_factorial[sample[row * column_totals.len() + column] as usize];
            }
        }
        if statistic <= cutoff {
            at_most_as_probable += 1;
        }
    }
    Some((1 + at_most_as_probable) as f64 / (f64::from(replicates) + 1.0))
}

/// One table with the given margins, drawn as R's `rcont2`, into `sample` (row-major).
/// `column_left` is scratch of the columns' length.
fn draw_table(
    row_totals: &[u32],
    column_totals: &[u32],
    ln_factorial: &[f64],
    random: &mut RRandom,
    column_left: &mut [u32],
    sample: &mut [u32],
) {
    let (n_rows, n_columns) = (row_totals.len(), column_totals.len());
    let lf = |k: i64| ln_factorial[k as usize];
    let cell = |row: usize, column: usize| row * n_columns + column;
    column_left.copy_from_slice(column_totals);
    let mut left_after_rows: i64 = row_totals.iter().map(|row| i64::from(*row)).sum();
    // R's `ib`: what is left for the cells below row l in the last column visited.
    let mut below: i64 = 0;
    for row in 0..n_rows - 1 {
        let mut row_left = i64::from(row_totals[row]);
        let mut remaining = left_after_rows;
        left_after_rows -= row_left;
        for column in 0..n_columns - 1 {
            let in_column = i64::from(column_left[column]);
            let all_left = remaining;
            below = all_left - row_left;
            let difference = below - in_column;
            remaining -= in_column;
            if all_left == 0 {
                // The row is full: its other cells are 0.
                for rest in column..n_columns - 1 {
                    sample[cell(row, rest)] = 0;
                }
                row_left = 0;
                break;
            }
            let value = draw_cell(row_left, in_column, all_left, remaining, below, difference, &lf, random);
            sample[cell(row, column)] = value as u32;
            row_left -= value;
            column_left[column] -= value as u32;
        }
        sample[cell(row, n_columns - 1)] = row_left as u32;
    }
    for column in 0..n_columns - 1 {
        sample[cell(n_rows - 1, column)] = column_left[column];
    }
    let before_last = i64::from(sample[cell(n_rows - 1, n_columns - 2)]);
    sample[cell(n_rows - 1, n_columns - 1)] = (below - before_last) as u32;
}

/// One cell by Patefield's search from the conditional mode. Arguments in R's names:
/// ia = `row_left`, id = `in_column`, ie = `all_left`, ic = `remaining` (ie - id),
/// ib = `below` (ie - ia), ii = `difference` (ib - id).
#[allow(clippy::too_many_arguments)]
fn draw_cell(
    row_left: i64,
    in_column: i64,
    all_left: i64,
    remaining: i64,
    below: i64,
    difference: i64,
    lf: &impl Fn(i64) -> f64,
    random: &mut RRandom,
) -> i64 {
    let (ia, id, ie, ic, ib, ii) = (row_left, in_column, all_left, remaining, below, difference);
    let mut u = random.uniform();
    loop {
        // The conditional mean, rounded, and its probability.
        let mut upper = (ia as f64 * (id as f64 / ie as f64) + 0.5) as i64;
        let mut x = exp(lf(ia) + lf(ib) + lf(ic) + lf(id)
            - lf(ie)
            - lf(upper)
            - lf(id - upper)
            - lf(ia - upper)
            - lf(ii + upper));
        if x >= u {
            return upper;
        }
        if x == 0.0 {
            // R stops here ("exp underflow to 0"); it cannot happen for totals within MAX_TOTAL,
            // and the mode is still a value with the margins.
            return upper;
        }
        let mut sum = x;
        let mut y = x;
        let mut lower = upper;
        loop {
            // One step up from the mode side...
            let ratio_numerator = (id - upper) as f64 * (ia - upper) as f64;
            let upper_at_end = upper == ia || upper == id;
            if !upper_at_end {
                upper += 1;
                x *= ratio_numerator / (upper as f64 * (ii + upper) as f64);
                sum += x;
                if sum >= u {
                    return upper;
                }
            }
            // ...then down, one step (or all the way down when up is exhausted).
            loop {
                let ratio_numerator = lower as f64 * (ii + lower) as f64;
                let lower_at_end = lower == 0;
                if !lower_at_end {
                    lower -= 1;
                    y *= ratio_numerator / ((id - lower) as f64 * (ia - lower) as f64);
                    sum += y;
                    if sum >= u {
                        return lower;
                    }
                    if !upper_at_end {
                        break;
                    }
                }
                if lower_at_end {
                    break;
                }
            }
            if upper_at_end && lower == 0 {
                break;
            }
        }
        u = sum * random.uniform();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::fisher::fisher_exact;

    /// p-values printed by R 4.2.2 with `sprintf("%.17g", p)` after
    /// `set.seed(seed); fisher.test(m, simulate.p.value = TRUE, B = replicates)$p.value`. They
    /// are counts over B + 1, so they must agree exactly: one table drawn differently from R's
    /// would show. The matrices are filled by column, as R does; the Rust tables are by row.
    #[test]
    #[allow(clippy::excessive_precision)] // R's p-values as R prints them
    fn agrees_with_r_draw_for_draw() {
        /// The case's name, the table, B, the seed and R's p-value.
        type Case = (&'static str, Vec<Vec<u64>>, u32, i32, f64);
        let cases: Vec<Case> = vec![
            // m = matrix(c(3, 1, 1, 3, 2, 2), nrow = 2), seed 1
            ("two_by_three", vec![vec![3, 1, 2], vec![1, 3, 2]], 2000, 1, 0.76061969015492259),
            // m = matrix(c(5, 9, 12, 4, 7, 7, 3, 10, 15, 6, 8, 2, 6, 11, 9, 6), nrow = 2), seed 1
            (
                "two_by_eight",
                vec![vec![5, 12, 7, 3, 15, 8, 6, 9], vec![9, 4, 7, 10, 6, 2, 11, 6]],
                2000,
                1,
                0.01249375312343828,
            ),
            // m = matrix(c(3, 1, 0, 2, 4, 1, 5, 2, 0, 1, 0, 2, 6, 1, 3, 2, 0, 1, 4, 5), nrow = 5),
            // seed 2024, B = 500
            (
                "five_by_four",
                vec![vec![3, 1, 0, 2], vec![1, 5, 2, 0], vec![0, 2, 6, 1], vec![2, 0, 1, 4], vec![4, 1, 3, 5]],
                500,
                2024,
                0.0079840319361277438,
            ),
            // m = matrix(c(27, 37, 29, 229, 219, 215, 59, 54, 60), nrow = 3), seed 99 (colon's
            // rx by differentiation: n = 929)
            ("colon", vec![vec![27, 229, 59], vec![37, 219, 54], vec![29, 215, 60]], 2000, 99, 0.6811594202898551),
            // m = matrix(c(0, 0, 0, 3, 0, 2, 1, 0, 4, 0, 0, 0), nrow = 3), seed 5: R drops the
            // empty rows and columns and simulates the 2 x 2 left
            (
                "empty_rows_and_columns",
                vec![vec![0, 3, 1, 0], vec![0, 0, 0, 0], vec![0, 2, 4, 0]],
                2000,
                5,
                0.5237381309345327,
            ),
            // m = matrix(c(2, 1, 1, 1, 2, 1, 1, 1, 2), nrow = 3), seed 3: every table ties or
            // is less probable
            ("ties", vec![vec![2, 1, 1], vec![1, 2, 1], vec![1, 1, 2]], 2000, 3, 1.0),
            // m = matrix(c(3, 0, 0, 0, 3, 0, 0, 0, 3), nrow = 3), seed 11, B = 9999: the six
            // permutation tables tie with the observed one
            ("diagonal_ties", vec![vec![3, 0, 0], vec![0, 3, 0], vec![0, 0, 3]], 9999, 11, 0.0038),
        ];
        for (name, table, replicates, seed, expected) in cases {
            assert_eq!(fisher_simulated(&table, replicates, seed), Some(expected), "{name}");
        }
    }

    /// With many replicates the Monte Carlo p lands near the exact one: the sampler draws from
    /// the right law. (Deterministic: the seed is fixed; 4 standard errors.)
    #[test]
    fn close_to_the_exact_p_with_many_replicates() {
        let table = vec![vec![3, 1, 0, 2], vec![1, 5, 2, 0], vec![0, 2, 6, 1], vec![2, 0, 1, 4], vec![4, 1, 3, 5]];
        let exact = fisher_exact(&table).unwrap();
        let replicates = 100_000;
        let simulated = fisher_simulated(&table, replicates, 7).unwrap();
        let standard_error = (exact * (1.0 - exact) / f64::from(replicates)).sqrt();
        assert!((simulated - exact).abs() < 4.0 * standard_error, "{simulated} against exact {exact}");
    }

    /// Where R stops, `None`; never a panic.
    #[test]
    fn undefined_tables_give_none() {
        assert_eq!(fisher_simulated(&[vec![3, 1, 2], vec![0, 0, 0]], 2000, 1), None);
        assert_eq!(fisher_simulated(&[vec![3, 0], vec![1, 0]], 2000, 1), None);
        assert_eq!(fisher_simulated(&[vec![3, 1], vec![1]], 2000, 1), None);
        assert_eq!(fisher_simulated(&[], 2000, 1), None);
        assert_eq!(fisher_simulated(&[vec![3, 1], vec![1, 3]], 0, 1), None);
        assert_eq!(fisher_simulated(&[vec![MAX_TOTAL, 1], vec![1, 1]], 10, 1), None);
        assert_eq!(fisher_simulated(&[vec![u64::MAX, 1], vec![u64::MAX, 1]], 10, 1), None);
    }
}
