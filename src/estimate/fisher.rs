//! Fisher's exact test of independence in an r x c contingency table, two-sided.
//!
//! Given its row totals r_i, column totals c_j and grand total n, a table x has, under
//! independence and conditional on its margins, the multivariate hypergeometric probability
//!   P(x) = prod_i r_i! prod_j c_j! / (n! prod_ij x_ij!)
//! The two-sided p-value sums P(y) over every table y with the observed margins that is no more
//! probable than the observed table x, with R's allowance for rounding:
//!   p = sum over y of P(y) [P(y) <= P(x) (1 + tolerance)]
//! where, as R computes it,
//! - for a 2 x 2 table (R's own branch), tolerance = 1e-7 (`relErr <- 1 + 10^(-7)`,
//!   `sum(d[d <= d[x - lo + 1] * relErr])`);
//! - for any other shape (R's FEXACT), log P(y) <= log P(x) + 3.45254e-7, i.e. a relative
//!   tolerance of exp(3.45254e-7) - 1.
//!
//! Rows and columns that are all zero are dropped first; they change no probability. The shape
//! that picks the tolerance is the table as given, as in R. No ties correction is needed beyond
//! the tolerance: tables tied with the observed one (permutations of its cells, say) count.
//!
//! # Algorithm
//! The network algorithm of Mehta & Patel (1983), written afresh from the mathematics. The
//! smaller dimension is taken as the rows and the columns are placed one at a time, smallest
//! first, so the last (determined) column is the largest. A node is (columns placed, the sorted
//! multiset of row totals still to fill): nodes whose remaining row totals are permutations of
//! each other are one node. A path to a node carries its length, the part of log P fixed so
//! far, -sum ln x_ij! over the placed columns; lengths within 1e-9 (in log probability) merge,
//! their counts added. From a node with remaining row totals r' and columns c' (total N') the
//! completions' weights sum in closed form,
//!   sum over completions of exp(-sum ln x!) = N'! / (prod r'_i! prod c'_j!),
//! and every completion's length lies between two bounds:
//! - longest: the least of that total's log (no term exceeds the sum); each remaining column
//!   spread as evenly as the row totals allow, column by column; the same with rows and columns
//!   exchanged; and, when only two rows or two columns are left, the exact optimum (a separable
//!   concave allocation, settled by exchanging units until no exchange gains);
//! - shortest: the larger of each column, or each row, concentrated in the largest cells.
//!
//! Paths whose every completion counts are summed in closed form, paths none of whose
//! completions count are dropped, and only the rest are carried on. Two devices settle paths
//! without carrying them further:
//! - with two columns left, each placement determines the table. The placements are walked as
//!   lines: with all rows but the last two placed, the last two rows' cells (x, s - x) have
//!   weights C(r1, x) C(r2, s - x), log-concave in x, so each line is walked outward from its
//!   mode by the ratio of neighbouring weights (one exp per line), the set of paths that count
//!   only growing, until what is left is below 1e-20 of the sum;
//! - a node with few completions (at most 4096 with two columns left, 65 536 with more, the
//!   latter once the paths its bounds leave open make it worth it) lists them all, sorted, with
//!   running sums; every path reaching it is then settled by one merged walk down both sorted
//!   lists (or a binary search each, for few paths).
//!
//! All lengths are in log space with a table of ln k! (compensated sums); probabilities are
//! summed in linear space relative to the longest path or completion at hand, so one exp serves
//! a whole list. Terms below about 1e-300 are lost, as they are in R's `exp(pastp + drn)`.
//!
//! Limits: n <= 10^7 (`MAX_TOTAL`), at most 3 * 10^6 stored paths, 250 000 nodes per column
//! and 10^9 elementary steps (a few seconds), or fewer with [`fisher_exact_within`]. Beyond them
//! the result is `None` rather than a wait of minutes; R's FEXACT stops on such tables with
//! "LDKEY/LDSTP is too small" (and, with its default workspace, already on many 2 x 7 tables with
//! n = 500). The work grows steeply with the number of columns: a 2 x 10 table with n = 500 can
//! take R (with a large workspace) half a minute. Table 1 gives such tables R's Monte Carlo
//! p-value instead (`fisher_simulated`).
//!
//! Reference: Mehta & Patel (1983), JASA 78:427-434; Mehta & Patel (1986), ACM TOMS 12:154-161;
//! Agresti (2002), Categorical Data Analysis, sec. 3.5.3.
//! Reproduces `fisher.test(table)$p.value` (two-sided, no simulation, no hybrid). R's FEXACT
//! itself merges path lengths within 3.45e-7, so on large r x c tables it can differ from the
//! exact sum by a few parts in 10^10.

use super::distribution::{exp, ln};
use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The largest grand total accepted; larger tables give `None`.
pub const MAX_TOTAL: u64 = 10_000_000;
/// Paths stored for the next column at once.
const MAX_PATHS: usize = 3_000_000;
/// Nodes of one stage at once.
const MAX_NODES: usize = 250_000;
/// Elementary steps over the whole computation (see `Network::steps`).
pub const MAX_STEPS: u64 = 1_000_000_000;
/// R's `relErr` for 2 x 2 tables.
const RELATIVE_ERROR_2X2: f64 = 1e-7;
/// FEXACT's `tol`, added to the observed log-probability.
const FEXACT_TOLERANCE: f64 = 3.45254e-7;
/// What one exp costs, in elementary steps (measured: about as much as sorting a path among 2^8).
const EXP_STEPS: u64 = 8;
/// Path lengths closer than this (in log probability) merge.
const MERGE_TOLERANCE: f64 = 1e-9;
/// A node with two columns left has its completions listed on creation when it has at most
/// this many (otherwise its paths are stored and walked line by line)...
const MAX_LISTED_TWO: u64 = 4096;
/// ...a node with more columns left, once 256 paths reached it, when it has at most this many...
const MAX_LISTED: u64 = 65_536;
/// ...and while the listed completions of all nodes stay below this.
const MAX_LISTED_TOTAL: usize = 2_000_000;

/// The two-sided p-value of `fisher.test(counts)`, `counts[row][column]`.
///
/// # Formula
/// The sum of the hypergeometric probabilities of all tables with the observed margins that are
/// at most as probable as the observed one (see the module documentation for R's tolerance).
///
/// # Errors
/// `None` when R gives no p-value or the table is beyond this implementation's limits: fewer
/// than 2 rows or 2 columns as given, rows of unequal length, an all-zero table other than 2 x 2
/// (FEXACT error 3), a total above [`MAX_TOTAL`], or a network too large (see the module
/// documentation). A table with fewer than two non-empty rows or columns has a single table
/// with its margins, and R gives 1, as here.
///
/// # Examples
/// ```
/// use survkit::estimate::fisher::fisher_exact;
/// // Fisher's lady tasting tea: fisher.test(matrix(c(3, 1, 1, 3), nrow = 2))$p.value
/// let p = fisher_exact(&[vec![3, 1], vec![1, 3]]).unwrap();
/// assert!((p - 0.4857142857142857).abs() < 1e-12);
/// ```
pub fn fisher_exact(counts: &[Vec<u64>]) -> Option<f64> {
    fisher_exact_within(counts, MAX_STEPS)
}

/// [`fisher_exact`] with a smaller budget of work: `None` also when the network needs more than
/// `max_steps` elementary steps (at most [`MAX_STEPS`] are ever spent). Steps, not seconds, so
/// that the CLI and the page give up on the same tables. About 1e7 steps take 20-40 ms natively.
pub fn fisher_exact_within(counts: &[Vec<u64>], max_steps: u64) -> Option<f64> {
    let max_steps = max_steps.min(MAX_STEPS);
    let n_rows = counts.len();
    let n_columns = counts.first().map_or(0, Vec::len);
    if n_rows < 2 || n_columns < 2 || counts.iter().any(|row| row.len() != n_columns) {
        return None;
    }
    let mut row_totals = vec![0u64; n_rows];
    let mut column_totals = vec![0u64; n_columns];
    for (row, cells) in counts.iter().enumerate() {
        for (column, count) in cells.iter().enumerate() {
            row_totals[row] = row_totals[row].checked_add(*count)?;
            column_totals[column] = column_totals[column].checked_add(*count)?;
        }
    }
    let total = row_totals.iter().try_fold(0u64, |sum, row| sum.checked_add(*row))?;
    if total > MAX_TOTAL {
        return None;
    }
    let two_by_two = n_rows == 2 && n_columns == 2;
    if total == 0 {
        // R's 2 x 2 branch has the one-point support {0}; FEXACT stops with error 3.
        return two_by_two.then_some(1.0);
    }
    let rows: Vec<usize> = (0..n_rows).filter(|row| row_totals[*row] > 0).collect();
    let columns: Vec<usize> = (0..n_columns).filter(|column| column_totals[*column] > 0).collect();
    if rows.len() < 2 || columns.len() < 2 {
        return Some(1.0);
    }

    // The smaller dimension becomes the rows; on a tie, the larger margin goes to the columns, so
    // that the column filled last (determined by the others) is the largest.
    let largest = |totals: &[u64], keep: &[usize]| keep.iter().map(|index| totals[*index]).max().unwrap_or(0);
    let transpose = rows.len() > columns.len()
        || (rows.len() == columns.len() && largest(&row_totals, &rows) > largest(&column_totals, &columns));
    let (outer, inner) = if transpose { (&columns, &rows) } else { (&rows, &columns) };
    let cell = |a: usize, b: usize| if transpose { counts[b][a] } else { counts[a][b] };
    // table[i][j] with i over the (new) rows; every count fits u32 because total <= MAX_TOTAL.
    let table: Vec<Vec<u32>> = outer.iter().map(|a| inner.iter().map(|b| cell(*a, *b) as u32).collect()).collect();

    let ln_factorial = ln_factorial_table(total as usize)?;
    let tolerance = if two_by_two { ln(1.0 + RELATIVE_ERROR_2X2) } else { FEXACT_TOLERANCE };
    let observed: f64 = -table.iter().flatten().map(|count| ln_factorial[*count as usize]).sum::<f64>();

    let mut new_row_totals: Vec<u32> = table.iter().map(|cells| cells.iter().sum()).collect();
    let mut new_column_totals: Vec<u32> = (0..inner.len()).map(|j| table.iter().map(|cells| cells[j]).sum()).collect();
    new_row_totals.sort_unstable();
    new_column_totals.sort_unstable();
    let constant = new_row_totals.iter().chain(&new_column_totals).map(|t| ln_factorial[*t as usize]).sum::<f64>()
        - ln_factorial[total as usize];

    let mut network = Network {
        ln_factorial: &ln_factorial,
        column_suffix: suffix_sums(&new_column_totals),
        columns: new_column_totals,
        threshold: observed + tolerance,
        constant,
        p_value: 0.0,
        steps: Cell::new(0),
        max_steps,
    };
    network.run(new_row_totals)?;
    Some(network.p_value.clamp(0.0, 1.0))
}

/// ln k! for k = 0..=n, by compensated summation; `None` if the memory cannot be had.
fn ln_factorial_table(n: usize) -> Option<Vec<f64>> {
    let mut table = Vec::new();
    table.try_reserve_exact(n.checked_add(1)?).ok()?;
    table.push(0.0);
    let (mut sum, mut compensation) = (0.0_f64, 0.0_f64);
    for k in 1..=n {
        let term = ln(k as f64) - compensation;
        let next = sum + term;
        compensation = (next - sum) - term;
        sum = next;
        table.push(sum);
    }
    Some(table)
}

/// suffix[j] = sum of totals[j..].
fn suffix_sums(totals: &[u32]) -> Vec<u64> {
    let mut suffix = vec![0u64; totals.len() + 1];
    for j in (0..totals.len()).rev() {
        suffix[j] = suffix[j + 1] + u64::from(totals[j]);
    }
    suffix
}

/// Some paths reaching a node with the same length: `count` of them, each of log-weight `length`.
#[derive(Debug, Clone, Copy)]
struct Path {
    length: f64,
    count: f64,
}

/// A small multiplicative hasher for the nodes' row-total keys (std's SipHash is needlessly slow
/// here and nothing is adversarial: the keys are built from the table's own margins).
#[derive(Default)]
struct NodeHasher(u64);

impl Hasher for NodeHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        for byte in chunks.remainder() {
            self.write_u64(u64::from(*byte));
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A node: the row totals still to fill (ascending) and the paths reaching it.
struct Node {
    rows: Box<[u32]>,
    paths: Vec<Path>,
    /// How many of `paths` were merged at the last merge.
    merged: usize,
    /// The node's completions once listed; paths reaching it are then settled on arrival
    /// instead of stored.
    completions: Option<Box<Completions>>,
    /// Listing was considered and refused (too many completions).
    unlisted: bool,
}

/// Every completion of a node, ascending by length, with
/// cumulative[k] = sum over i <= k of exp(lengths[i] - longest), longest the last length.
struct Completions {
    lengths: Vec<f64>,
    cumulative: Vec<f64>,
}

impl Completions {
    /// Every way to fill `columns` (at least two) with row totals `rows`: the columns but the
    /// last two are placed in turn, then each placement of the second last determines the last.
    fn list(ln_factorial: &[f64], rows: &[u32], columns: &[u32]) -> Completions {
        let lf = |k: u32| ln_factorial[k as usize];
        let width = rows.len();
        let split = columns.len().saturating_sub(2);
        // Partial fillings: their row totals still to fill (flat, `width` each) and lengths.
        let mut left: Vec<u32> = rows.to_vec();
        let mut partial: Vec<f64> = vec![0.0];
        for column in &columns[..split] {
            let (mut next_left, mut next_partial) = (Vec::new(), Vec::new());
            for (state, length) in left.chunks_exact(width).zip(&partial) {
                for_each_placement(state, u64::from(*column), |cells| {
                    next_left.extend(state.iter().zip(cells).map(|(row, x)| row - x));
                    next_partial.push(length - cells.iter().map(|x| lf(*x)).sum::<f64>());
                    true
                });
            }
            (left, partial) = (next_left, next_partial);
        }
        let mut lengths = Vec::new();
        let column = columns.get(split).map_or(0, |column| u64::from(*column));
        for (state, length) in left.chunks_exact(width).zip(&partial) {
            for_each_placement(state, column, |cells| {
                let mut total = *length;
                for (x, row) in cells.iter().zip(state) {
                    total -= lf(*x) + lf(row - x);
                }
                lengths.push(total);
                true
            });
        }
        lengths.sort_unstable_by(f64::total_cmp);
        let longest = lengths.last().copied().unwrap_or(0.0);
        let cumulative = lengths
            .iter()
            .scan(0.0, |sum, length| {
                *sum += exp(length - longest);
                Some(*sum)
            })
            .collect();
        Completions { lengths, cumulative }
    }

    /// The probability of the tables that count among those made of one of `paths` (ascending,
    /// linear weights `weights` relative to the last), the arc of length `arc` to this node,
    /// and a completion; and the work done. Many paths: one merged walk down both lists; few: a
    /// binary search for each.
    fn settle(&self, paths: &[Path], weights: &[f64], arc: f64, network: &Network) -> (f64, u64) {
        let (Some(longest), Some(top)) = (self.lengths.last(), paths.last()) else {
            return (0.0, 0);
        };
        let n = self.lengths.len();
        let log_n = u64::from(usize::BITS - n.leading_zeros());
        let searching = (paths.len() as u64) * (log_n + 1) < (paths.len() + n) as u64;
        let mut sum = 0.0;
        // counted = how many completions count with the current path; it falls as paths lengthen.
        let mut counted = n;
        for (path, weight) in paths.iter().zip(weights) {
            if searching {
                counted =
                    self.lengths[..counted].partition_point(|length| path.length + arc + length <= network.threshold);
            } else {
                while counted > 0 && path.length + arc + self.lengths[counted - 1] > network.threshold {
                    counted -= 1;
                }
            }
            if counted == 0 {
                break;
            }
            sum += weight * self.cumulative[counted - 1];
        }
        let work = if searching { paths.len() as u64 * log_n } else { (paths.len() + n) as u64 };
        // The longest path with the longest completion is a table: the factor is at most 1.
        let probability = if sum == 0.0 { 0.0 } else { sum * exp(network.constant + top.length + arc + longest) };
        (probability, work)
    }
}

/// An upper bound on the number of ways to fill `columns` with row totals `rows` (ascending):
/// the product over all columns but the last of prod over all rows but the largest of
/// (min(row, column) + 1); saturating.
fn completions_bound(rows: &[u32], columns: &[u32]) -> u64 {
    let mut ways: u64 = 1;
    for column in columns.iter().take(columns.len().saturating_sub(1)) {
        for row in rows.iter().rev().skip(1) {
            ways = ways.saturating_mul(u64::from(*row).min(u64::from(*column)) + 1);
        }
    }
    ways
}

/// The nodes of one stage (a number of columns placed) with the paths reaching each.
#[derive(Default)]
struct Stage {
    index: HashMap<Box<[u32]>, usize, BuildHasherDefault<NodeHasher>>,
    nodes: Vec<Node>,
    /// Paths stored over all nodes.
    stored: usize,
    /// Completions listed over all nodes.
    listed: usize,
}

impl Stage {
    /// The node's index, and whether it is new.
    fn slot(&mut self, rows: &[u32]) -> (usize, bool) {
        if let Some(slot) = self.index.get(rows) {
            return (*slot, false);
        }
        let slot = self.nodes.len();
        self.index.insert(rows.into(), slot);
        self.nodes.push(Node { rows: rows.into(), paths: Vec::new(), merged: 0, completions: None, unlisted: false });
        (slot, true)
    }
}

/// Sorts the paths by length and merges lengths within `MERGE_TOLERANCE` of a group's first;
/// returns the work done. Paths arrive in sorted runs (one per arc), which the stable sort
/// merges rather than re-sorts.
fn merge_paths(paths: &mut Vec<Path>) -> u64 {
    paths.sort_by(|a, b| a.length.total_cmp(&b.length));
    let work = paths.len() as u64 * u64::from(usize::BITS - paths.len().leading_zeros());
    let mut merged: Vec<Path> = Vec::with_capacity(paths.len());
    for path in paths.iter() {
        match merged.last_mut() {
            Some(last) if path.length - last.length <= MERGE_TOLERANCE => last.count += path.count,
            _ => merged.push(*path),
        }
    }
    *paths = merged;
    work
}

/// The longest and shortest completion lengths from a node, and the log of their summed weights.
struct Bounds {
    longest: f64,
    shortest: f64,
    ln_total: f64,
}

impl Bounds {
    /// Whether a path of this length has completions on both sides of the threshold.
    fn leaves_open(&self, length: f64, threshold: f64) -> bool {
        length + self.longest > threshold && length + self.shortest <= threshold
    }
}

struct Network<'a> {
    ln_factorial: &'a [f64],
    /// Column totals in the order they are placed (ascending).
    columns: Vec<u32>,
    column_suffix: Vec<u64>,
    /// A table counts when its length (-sum ln x!) is at most this.
    threshold: f64,
    /// ln(prod r! prod c! / n!): P(table) = exp(constant + length).
    constant: f64,
    p_value: f64,
    /// Work done so far, in elementary steps (an arc carrying a path, a completion compared, a
    /// cell of a bound); past `max_steps` the computation gives up.
    steps: Cell<u64>,
    max_steps: u64,
}

impl Network<'_> {
    fn charge(&self, work: u64) {
        self.steps.set(self.steps.get().saturating_add(work));
    }

    fn within_budget(&self) -> bool {
        self.steps.get() <= self.max_steps
    }

    fn lf(&self, k: u32) -> f64 {
        self.ln_factorial[k as usize]
    }

    /// Runs the network from the root; `None` when a limit is passed.
    fn run(&mut self, root: Vec<u32>) -> Option<()> {
        let n_columns = self.columns.len();
        let mut current = Stage::default();
        let (slot, _) = current.slot(&root);
        current.nodes[slot].paths.push(Path { length: 0.0, count: 1.0 });
        for stage in 0..n_columns - 1 {
            let mut next = Stage::default();
            for Node { rows, mut paths, .. } in std::mem::take(&mut current.nodes) {
                if paths.is_empty() {
                    continue;
                }
                self.charge(merge_paths(&mut paths));
                let bounds = self.bounds(&rows, stage);
                if !self.within_budget() {
                    return None;
                }
                let mut open = Vec::new();
                for path in paths {
                    if path.length + bounds.longest <= self.threshold {
                        self.p_value += path.count * exp(self.constant + path.length + bounds.ln_total);
                    } else if path.length + bounds.shortest <= self.threshold {
                        open.push(path);
                    }
                }
                let Some(top) = open.last().map(|path| path.length) else {
                    continue;
                };
                // Each open path's weight relative to the longest, so that a sum over paths needs
                // one exp.
                let weights: Vec<f64> = open.iter().map(|path| path.count * exp(path.length - top)).collect();
                self.charge(weights.len() as u64 * EXP_STEPS);
                if stage + 2 == n_columns {
                    self.finish(&rows, stage, &open, &weights)?;
                } else {
                    self.extend(&rows, stage, &open, &weights, &mut next)?;
                }
            }
            current = next;
        }
        Some(())
    }

    /// Bounds on the completions of a node with remaining row totals `rows` (ascending) when
    /// columns `stage..` are still to be placed. Both bounds are widened by a hair so that
    /// rounding cannot make them cut off a table they should not.
    fn bounds(&self, rows: &[u32], stage: usize) -> Bounds {
        let columns = &self.columns[stage..];
        let remaining = self.column_suffix[stage];
        let live: Vec<u32> = rows.iter().copied().filter(|row| *row > 0).collect();
        self.charge(4 * (live.len() + columns.len()) as u64);
        let ln_total = self.ln_factorial[remaining as usize]
            - live.iter().chain(columns).map(|total| self.lf(*total)).sum::<f64>();
        if live.len() <= 1 || columns.len() == 1 {
            // One way to complete: the remaining row (or column) takes every column (or row) total.
            return Bounds { longest: ln_total, shortest: ln_total, ln_total };
        }
        let by_columns_spread: f64 = columns.iter().map(|column| self.spread(u64::from(*column), &live)).sum();
        let by_rows_spread: f64 = live.iter().map(|row| self.spread(u64::from(*row), columns)).sum();
        let mut longest = ln_total.min(by_columns_spread).min(by_rows_spread);
        let exact = if live.len() == 2 {
            self.best_allocation(columns, u64::from(live[0]), remaining)
        } else if columns.len() == 2 {
            self.best_allocation(&live, u64::from(columns[0]), remaining)
        } else {
            None
        };
        if let Some(exact) = exact {
            longest = longest.min(exact);
        }
        let by_columns_concentrated: f64 =
            columns.iter().map(|column| self.concentrate(u64::from(*column), &live)).sum();
        let by_rows_concentrated: f64 = live.iter().map(|row| self.concentrate(u64::from(*row), columns)).sum();
        let shortest = by_columns_concentrated.max(by_rows_concentrated);
        let slack = 1e-9 * (1.0 + longest.abs().max(shortest.abs()));
        Bounds { longest: longest + slack, shortest: shortest - slack, ln_total }
    }

    /// The largest -sum ln x_k! over x_k <= caps[k] (ascending), sum x_k = amount: as even as the
    /// caps allow.
    fn spread(&self, amount: u64, caps: &[u32]) -> f64 {
        let mut left = amount;
        let mut value = 0.0;
        for (k, cap) in caps.iter().enumerate() {
            let slots = (caps.len() - k) as u64;
            let share = left / slots;
            if u64::from(*cap) <= share {
                value -= self.lf(*cap);
                left -= u64::from(*cap);
            } else {
                let above = left % slots;
                value -= above as f64 * self.ln_factorial[share as usize + 1]
                    + (slots - above) as f64 * self.ln_factorial[share as usize];
                break;
            }
        }
        value
    }

    /// The smallest -sum ln x_k! over x_k <= caps[k] (ascending), sum x_k = amount: the largest
    /// cells filled first.
    fn concentrate(&self, amount: u64, caps: &[u32]) -> f64 {
        let mut left = amount;
        let mut value = 0.0;
        for cap in caps.iter().rev() {
            if left == 0 {
                break;
            }
            let take = left.min(u64::from(*cap));
            value -= self.ln_factorial[take as usize];
            left -= take;
        }
        value
    }

    /// The exact largest sum_k -(ln x_k! + ln (u_k - x_k)!) over 0 <= x_k <= u_k, sum x_k =
    /// amount, where sum u_k = total: the most probable two-row (or two-column) completion. Each
    /// term is concave in x_k, so a point where no unit can move with a gain is the optimum.
    /// `None` if the exchanges do not settle (they always do; the bound is then just not used).
    fn best_allocation(&self, caps: &[u32], amount: u64, total: u64) -> Option<f64> {
        // Each step scans the items; beyond a few dozen the relaxed bounds have to do.
        if total == 0 || amount > total || caps.len() > 64 {
            return None;
        }
        let mut cells: Vec<u64> =
            caps.iter().map(|cap| (u128::from(*cap) * u128::from(amount) / u128::from(total)) as u64).collect();
        let gain = |k: usize, x: u64| -> f64 {
            // value(x + 1) - value(x), -inf when x is at its cap
            let cap = u64::from(caps[k]);
            if x >= cap {
                f64::NEG_INFINITY
            } else {
                ln((cap - x) as f64) - ln((x + 1) as f64)
            }
        };
        let loss = |k: usize, x: u64| -> f64 {
            // value(x) - value(x - 1), +inf when x is 0
            let cap = u64::from(caps[k]);
            if x == 0 {
                f64::INFINITY
            } else {
                ln((cap - x + 1) as f64) - ln(x as f64)
            }
        };
        let mut placed: u64 = cells.iter().sum();
        while placed < amount {
            self.charge(caps.len() as u64);
            let best = (0..caps.len()).max_by(|a, b| gain(*a, cells[*a]).total_cmp(&gain(*b, cells[*b])))?;
            if gain(best, cells[best]) == f64::NEG_INFINITY {
                return None;
            }
            cells[best] += 1;
            placed += 1;
        }
        let mut settled = false;
        for _ in 0..(4 * caps.len() as u64 + 2 * amount + 16) {
            self.charge(2 * caps.len() as u64);
            let up = (0..caps.len()).max_by(|a, b| gain(*a, cells[*a]).total_cmp(&gain(*b, cells[*b])))?;
            let down = (0..caps.len()).min_by(|a, b| loss(*a, cells[*a]).total_cmp(&loss(*b, cells[*b])))?;
            if up == down || gain(up, cells[up]) <= loss(down, cells[down]) + 1e-12 {
                settled = true;
                break;
            }
            cells[up] += 1;
            cells[down] -= 1;
        }
        if !settled {
            return None;
        }
        Some(
            -cells
                .iter()
                .zip(caps)
                .map(|(x, cap)| self.ln_factorial[*x as usize] + self.ln_factorial[(u64::from(*cap) - x) as usize])
                .sum::<f64>(),
        )
    }

    /// Places column `stage` in every way the remaining row totals allow, carrying the open paths
    /// to the next stage's nodes. A next node with few enough completions lists them (on creation
    /// with two columns left, after 256 paths with more), and paths reaching it are then settled
    /// at once instead of stored.
    fn extend(&mut self, rows: &[u32], stage: usize, paths: &[Path], weights: &[f64], next: &mut Stage) -> Option<()> {
        let column = u64::from(self.columns[stage]);
        let later = &self.columns[stage + 1..];
        let mut child = vec![0u32; rows.len()];
        let mut within_limits = true;
        let ln_factorial = self.ln_factorial;
        let mut settled = 0.0;
        for_each_placement(rows, column, |cells| {
            let mut arc = 0.0;
            for (k, x) in cells.iter().enumerate() {
                child[k] = rows[k] - x;
                arc -= ln_factorial[*x as usize];
            }
            child.sort_unstable();
            let (slot, new) = next.slot(&child);
            let node = &mut next.nodes[slot];
            if let Some(completions) = &node.completions {
                let (probability, work) = completions.settle(paths, weights, arc, self);
                settled += probability;
                self.charge(work);
            } else {
                node.paths.extend(paths.iter().map(|path| Path { length: path.length + arc, count: path.count }));
                next.stored += paths.len();
                let mut merged_now = false;
                if node.paths.len() >= 2 * node.merged + 256 {
                    let before = node.paths.len();
                    self.charge(merge_paths(&mut node.paths));
                    node.merged = node.paths.len();
                    next.stored -= before - node.merged;
                    merged_now = true;
                }
                // With two columns left, list on creation if small; with more, when the paths
                // that the bounds leave open, each to be carried along every arc, would cost more
                // than listing.
                let (limit, ripe) = if later.len() == 2 { (MAX_LISTED_TWO, new) } else { (MAX_LISTED, merged_now) };
                if later.len() >= 2 && ripe && !node.unlisted {
                    let bound = completions_bound(&child, later);
                    if bound > limit || next.listed as u64 + bound > MAX_LISTED_TOTAL as u64 {
                        node.unlisted = true;
                    } else if later.len() == 2 || {
                        let bounds = self.bounds(&child, stage + 1);
                        let open =
                            node.paths.iter().filter(|path| bounds.leaves_open(path.length, self.threshold)).count();
                        let arcs = completions_bound(&child, &later[..2]);
                        (open as u64).saturating_mul(arcs) >= bound.saturating_mul(4)
                    } {
                        let completions = Completions::list(ln_factorial, &child, later);
                        let listed = completions.lengths.len() as u64;
                        self.charge(listed * (u64::from(u64::BITS - listed.leading_zeros()) + EXP_STEPS));
                        next.listed += completions.lengths.len();
                        // Settle the paths stored so far.
                        self.charge(merge_paths(&mut node.paths));
                        next.stored -= node.paths.len();
                        let stored = std::mem::take(&mut node.paths);
                        if let Some(top) = stored.last().map(|path| path.length) {
                            let stored_weights: Vec<f64> =
                                stored.iter().map(|path| path.count * exp(path.length - top)).collect();
                            self.charge(stored_weights.len() as u64 * EXP_STEPS);
                            let (probability, work) = completions.settle(&stored, &stored_weights, 0.0, self);
                            settled += probability;
                            self.charge(work);
                        }
                        node.completions = Some(Box::new(completions));
                    }
                }
            }
            self.charge((paths.len() + rows.len()) as u64);
            within_limits = self.within_budget() && next.stored <= MAX_PATHS && next.nodes.len() <= MAX_NODES;
            within_limits
        });
        self.p_value += settled;
        within_limits.then_some(())
    }

    /// With two columns left, each placement of the first determines the table. The placements
    /// are walked as lines: for each placement over all rows but the last two, the last two rows'
    /// cells (x, s - x) form a line along which the weight C(r1, x) C(r2, s - x) is log-concave.
    /// Each line is walked outward from its mode with the ratio of neighbouring weights, so the
    /// paths that count only grow in number; a walk stops when what is left of it is below
    /// 1e-20 of the sum so far. `paths` are ascending with linear `weights` relative to the last.
    fn finish(&mut self, rows: &[u32], stage: usize, paths: &[Path], weights: &[f64]) -> Option<()> {
        let Some(top) = paths.last().map(|path| path.length) else {
            return Some(());
        };
        let column = u64::from(self.columns[stage]);
        let cumulative: Vec<f64> = weights
            .iter()
            .scan(0.0, |sum, weight| {
                *sum += weight;
                Some(*sum)
            })
            .collect();
        let all_weight = cumulative.last().copied().unwrap_or(0.0);
        let lf = self.ln_factorial;
        let n = rows.len();
        if n < 2 {
            return None;
        }
        let (first, pair) = rows.split_at(n - 2);
        let (r1, r2) = (u64::from(pair[0]), u64::from(pair[1]));
        let mut caps = first.to_vec();
        caps.push(pair[0] + pair[1]);
        let (threshold, base) = (self.threshold, self.constant + top);
        let mut sum = 0.0;
        let mut within_limits = true;
        for_each_placement(&caps, column, |cells| {
            let mut outer = 0.0;
            for (x, row) in cells[..n - 2].iter().zip(first) {
                outer -= lf[*x as usize] + lf[(row - x) as usize];
            }
            let s = u64::from(cells[n - 2]);
            let (low, high) = (s.saturating_sub(r2), s.min(r1));
            let length = |x: u64| {
                outer - lf[x as usize] - lf[(r1 - x) as usize] - lf[(s - x) as usize] - lf[(r2 + x - s) as usize]
            };
            let mode = ((s + 1) * (r1 + 1) / (r1 + r2 + 2)).clamp(low, high);
            // Upward from the mode, then downward from just below it.
            for upward in [true, false] {
                if !upward && mode == low {
                    break;
                }
                let mut x = if upward { mode } else { mode - 1 };
                let mut term = exp(base + length(x));
                // How many paths count with the line's first table: found by bisection, then
                // moved a step at a time as the walk goes (each move is charged).
                let first = length(x);
                let mut counted = paths.partition_point(|path| path.length + first <= threshold);
                let mut moved = u64::from(usize::BITS - paths.len().leading_zeros());
                let mut walked = 0u64;
                loop {
                    let here = length(x);
                    while counted > 0 && paths[counted - 1].length + here > threshold {
                        counted -= 1;
                        moved += 1;
                    }
                    while counted < paths.len() && paths[counted].length + here <= threshold {
                        counted += 1;
                        moved += 1;
                    }
                    if counted > 0 {
                        sum += term * cumulative[counted - 1];
                    }
                    if (upward && x == high) || (!upward && x == low) {
                        break;
                    }
                    let ratio = if upward {
                        ((r1 - x) as f64 / (x + 1) as f64) * ((s - x) as f64 / (r2 + x + 1 - s) as f64)
                    } else {
                        (x as f64 / (r1 - x + 1) as f64) * ((r2 + x - s) as f64 / (s - x + 1) as f64)
                    };
                    x = if upward { x + 1 } else { x - 1 };
                    walked += 1;
                    term = if walked.is_multiple_of(256) { exp(base + length(x)) } else { term * ratio };
                    // Beyond the mode the ratios only fall: what is left is at most term / (1 - ratio).
                    if term == 0.0 || (ratio < 1.0 && term * all_weight / (1.0 - ratio) <= 1e-20 * sum) {
                        break;
                    }
                }
                self.charge(walked + 1 + moved);
            }
            within_limits = self.within_budget();
            within_limits
        });
        self.p_value += sum;
        within_limits.then_some(())
    }
}

/// Calls `visit` with every x, 0 <= x_k <= caps[k], sum x_k = amount, in lexicographic order,
/// until it returns false. Iterative: no recursion, whatever the number of cells.
fn for_each_placement(caps: &[u32], amount: u64, mut visit: impl FnMut(&[u32]) -> bool) {
    let n = caps.len();
    if n == 0 {
        if amount == 0 {
            visit(&[]);
        }
        return;
    }
    // room_after[k] = sum of caps[k..]
    let mut room_after = vec![0u64; n + 1];
    for k in (0..n).rev() {
        room_after[k] = room_after[k + 1] + u64::from(caps[k]);
    }
    if amount > room_after[0] {
        return;
    }
    let mut cells = vec![0u32; n];
    // left[k] = units still to place in cells k..
    let mut left = vec![0u64; n + 1];
    left[0] = amount;
    let fill_least = |from: usize, cells: &mut [u32], left: &mut [u64]| {
        for k in from..n - 1 {
            let least = left[k].saturating_sub(room_after[k + 1]);
            cells[k] = least as u32;
            left[k + 1] = left[k] - least;
        }
        cells[n - 1] = left[n - 1] as u32;
    };
    fill_least(0, &mut cells, &mut left);
    loop {
        if !visit(&cells) {
            return;
        }
        let Some(k) = (0..n - 1).rev().find(|k| u64::from(cells[*k]) < left[*k].min(u64::from(caps[*k]))) else {
            return;
        };
        cells[k] += 1;
        left[k + 1] = left[k] - u64::from(cells[k]);
        fill_least(k + 1, &mut cells, &mut left);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative tolerance for agreement with R (closed form, STYLE.md).
    const RELATIVE: f64 = 1e-9;

    fn assert_close(actual: Option<f64>, expected: f64, what: &str) {
        let actual = actual.unwrap_or_else(|| panic!("{what}: no p-value, R gives {expected}"));
        assert!(((actual - expected) / expected).abs() < RELATIVE, "{what}: {actual} against R's {expected}");
    }

    /// Values printed by R 4.2.2 with `print(p, digits = 17)`. Every call was run with
    /// `workspace = 2e8` (R's default workspace stops with "LDSTP is too small" on the 2 x 5 tables
    /// with n = 500; on the others it agrees to 1e-13). The matrices are filled by column, as R
    /// does; the Rust tables are written by row.
    #[test]
    #[allow(clippy::excessive_precision)] // R's p-values as R prints them with digits = 17
    fn agrees_with_r() {
        let cases: Vec<(&str, Vec<Vec<u64>>, f64)> = vec![
            // fisher.test(matrix(c(3, 1, 1, 3), nrow = 2))$p.value
            ("tea", vec![vec![3, 1], vec![1, 3]], 0.48571428571428582),
            // fisher.test(matrix(c(3, 1, 0, 0), nrow = 2))$p.value
            ("empty_column", vec![vec![3, 0], vec![1, 0]], 1.0),
            // fisher.test(matrix(c(10, 2, 3, 15), nrow = 2))$p.value
            ("two_by_two", vec![vec![10, 3], vec![2, 15]], 0.00053672411914343734),
            // fisher.test(matrix(c(120, 80, 95, 105), nrow = 2))$p.value
            ("two_by_two_large", vec![vec![120, 95], vec![80, 105]], 0.015985745931812047),
            // fisher.test(matrix(c(2, 0, 1, 3, 0, 4), nrow = 2))$p.value
            ("two_by_three", vec![vec![2, 1, 0], vec![0, 3, 4]], 0.13333333333333303),
            // fisher.test(matrix(c(5, 0, 1, 0, 4, 2), nrow = 3))$p.value
            ("three_by_two", vec![vec![5, 0], vec![0, 4], vec![1, 2]], 0.0064935064935064792),
            // fisher.test(matrix(c(1, 2, 3, 0, 0, 4, 2, 1), nrow = 4))$p.value
            ("four_by_two", vec![vec![1, 0], vec![2, 4], vec![3, 2], vec![0, 1]], 0.65034965034964998),
            // fisher.test(matrix(c(0, 3, 2, 1, 4, 0, 1, 1, 2, 0), nrow = 2))$p.value
            ("two_by_five_small", vec![vec![0, 2, 4, 1, 2], vec![3, 1, 0, 1, 0]], 0.052947052947053028),
            // fisher.test(matrix(c(3, 0, 2, 1, 0, 0, 2, 1, 4, 3), nrow = 5))$p.value
            ("five_by_two", vec![vec![3, 0], vec![0, 2], vec![2, 1], vec![1, 4], vec![0, 3]], 0.041708291708291746),
            // fisher.test(matrix(c(5, 9, 12, 4, 7, 7, 3, 10, 15, 6, 8, 2, 6, 11, 9, 6), nrow = 2))$p.value
            (
                "two_by_eight",
                vec![vec![5, 12, 7, 3, 15, 8, 6, 9], vec![9, 4, 7, 10, 6, 2, 11, 6]],
                0.013511928087306035,
            ),
            // fisher.test(matrix(c(20, 15, 10, 12, 18, 25, 8, 14, 30), nrow = 3))$p.value
            ("three_by_three_152", vec![vec![20, 12, 8], vec![15, 18, 14], vec![10, 25, 30]], 0.0031010233991177341),
            // fisher.test(matrix(c(20, 25, 18, 22, 30, 15, 12, 28, 16, 14), nrow = 2))$p.value
            ("two_by_five_200", vec![vec![20, 18, 30, 12, 16], vec![25, 22, 15, 28, 14]], 0.015420038767613522),
            // fisher.test(matrix(c(0, 1, 0, 3, 2, 0, 0, 1, 0, 0, 4, 0), nrow = 4))$p.value
            (
                "four_by_three_sparse",
                vec![vec![0, 2, 0], vec![1, 0, 0], vec![0, 0, 4], vec![3, 1, 0]],
                0.0029437229437229389,
            ),
            // fisher.test(matrix(c(3, 1, 0, 2, 4, 1, 5, 2, 0, 1, 0, 2, 6, 1, 3, 2, 0, 1, 4, 5), nrow = 5))$p.value
            (
                "five_by_four",
                vec![vec![3, 1, 0, 2], vec![1, 5, 2, 0], vec![0, 2, 6, 1], vec![2, 0, 1, 4], vec![4, 1, 3, 5]],
                0.0072606930937665496,
            ),
            // fisher.test(matrix(c(2, 0, 3, 1, 0, 0, 4, 0, 1, 0, 0, 2), nrow = 3))$p.value
            ("zero_row_inside", vec![vec![2, 1, 4, 0], vec![0, 0, 0, 0], vec![3, 0, 1, 2]], 0.30069930069930023),
            // fisher.test(matrix(c(27, 37, 29, 229, 219, 215, 59, 54, 60), nrow = 3))$p.value
            ("colon", vec![vec![27, 229, 59], vec![37, 219, 54], vec![29, 215, 60]], 0.66604042299111577),
            // fisher.test(matrix(c(2, 1, 1, 1, 2, 1, 1, 1, 2), nrow = 3))$p.value
            ("ties_three_by_three", vec![vec![2, 1, 1], vec![1, 2, 1], vec![1, 1, 2]], 0.99999999999999845),
            // fisher.test(matrix(c(3, 0, 0, 0, 3, 0, 0, 0, 3), nrow = 3))$p.value
            ("ties_diagonal", vec![vec![3, 0, 0], vec![0, 3, 0], vec![0, 0, 3]], 0.0035714285714285622),
            // fisher.test(matrix(c(1, 2, 2, 1, 1, 2, 2, 1), nrow = 2))$p.value
            ("ties_two_by_four", vec![vec![1, 2, 1, 2], vec![2, 1, 2, 1]], 0.99999999999999989),
            // fisher.test(matrix(c(2, 2, 2, 2), nrow = 2))$p.value
            ("ties_two_by_two", vec![vec![2, 2], vec![2, 2]], 1.0),
            // fisher.test(matrix(rep(1, 9), nrow = 3))$p.value
            ("ties_ones", vec![vec![1, 1, 1], vec![1, 1, 1], vec![1, 1, 1]], 0.99999999999999745),
            // fisher.test(matrix(c(3, 1, 2, 2, 1, 3), nrow = 2))$p.value
            ("ties_two_by_three", vec![vec![3, 2, 1], vec![1, 2, 3]], 0.7662337662337656),
            // fisher.test(matrix(c(2, 1, 0, 1, 1, 2, 1, 0, 0, 1, 2, 1, 1, 0, 1, 2), nrow = 4))$p.value
            (
                "ties_four_by_four",
                vec![vec![2, 1, 0, 1], vec![1, 2, 1, 0], vec![0, 1, 2, 1], vec![1, 0, 1, 2]],
                0.77377593834736813,
            ),
            // fisher.test(matrix(c(55, 45, 48, 52, 60, 40, 50, 50, 47, 53), nrow = 2))$p.value
            ("two_by_five_500_mild", vec![vec![55, 48, 60, 50, 47], vec![45, 52, 40, 50, 53]], 0.31480501800897576),
            // fisher.test(matrix(c(80, 20, 10, 70, 56, 44, 30, 90, 60, 40), nrow = 2))$p.value
            (
                "two_by_five_500_extreme",
                vec![vec![80, 10, 56, 30, 60], vec![20, 70, 44, 90, 40]],
                9.3757355240417784e-26,
            ),
            // fisher.test(matrix(c(8, 4, 30, 21, 95, 80, 60, 75, 70, 57), nrow = 2))$p.value
            ("two_by_five_500_unequal", vec![vec![8, 30, 95, 60, 70], vec![4, 21, 80, 75, 57]], 0.21315969800536438),
        ];
        for (name, table, expected) in cases {
            assert_close(fisher_exact(&table), expected, name);
        }
    }

    /// The p-value depends on the table only up to the order of rows and columns and transposition.
    #[test]
    fn invariant_to_order_and_transposition() {
        let table: Vec<Vec<u64>> = vec![vec![0, 1, 0, 3], vec![2, 0, 0, 1], vec![0, 0, 4, 0], vec![1, 1, 0, 0]];
        let p = fisher_exact(&table).unwrap();
        let transposed: Vec<Vec<u64>> = (0..4).map(|j| table.iter().map(|row| row[j]).collect()).collect();
        let reversed: Vec<Vec<u64>> = table.iter().rev().map(|row| row.iter().rev().copied().collect()).collect();
        for other in [transposed, reversed] {
            assert!((fisher_exact(&other).unwrap() - p).abs() < 1e-12 * p);
        }
    }

    /// R gives 1 when only one table has the margins, and stops (here `None`) on a table with
    /// fewer than 2 rows or columns as given, or an all-zero table other than 2 x 2.
    #[test]
    fn degenerate_tables() {
        // fisher.test(matrix(c(3, 1, 0, 0, 0, 0), nrow = 2)) and fisher.test(matrix(0, 2, 2)): 1
        assert_eq!(fisher_exact(&[vec![3, 0, 0], vec![1, 0, 0]]), Some(1.0));
        assert_eq!(fisher_exact(&[vec![0, 0], vec![0, 0]]), Some(1.0));
        // fisher.test(matrix(c(3, 1, 2, 0, 0, 0), nrow = 3)): one non-empty column, 1
        assert_eq!(fisher_exact(&[vec![3, 0], vec![1, 0], vec![2, 0]]), Some(1.0));
        // fisher.test(matrix(0, 3, 2)): FEXACT error 3
        assert_eq!(fisher_exact(&[vec![0, 0], vec![0, 0], vec![0, 0]]), None);
        // 'x' must have at least 2 rows and columns
        assert_eq!(fisher_exact(&[vec![3, 1, 2]]), None);
        assert_eq!(fisher_exact(&[vec![3], vec![1]]), None);
        assert_eq!(fisher_exact(&[]), None);
        assert_eq!(fisher_exact(&[vec![], vec![]]), None);
    }

    /// Nothing a user can pass panics: ragged rows, sums that overflow, totals past the limit.
    #[test]
    fn absurd_input_gives_none() {
        assert_eq!(fisher_exact(&[vec![1, 2], vec![3]]), None);
        assert_eq!(fisher_exact(&[vec![u64::MAX, 1], vec![1, 1]]), None);
        assert_eq!(fisher_exact(&[vec![MAX_TOTAL, 1], vec![1, 1]]), None);
        assert_eq!(fisher_exact(&[vec![u64::MAX / 2, u64::MAX / 2], vec![u64::MAX / 2, 5]]), None);
    }

    /// A large 2 x 2 is a single line of the network.
    /// fisher.test(matrix(c(3000, 2000, 2500, 2600), nrow = 2))$p.value
    #[test]
    fn large_two_by_two() {
        assert_close(fisher_exact(&[vec![3000, 2500], vec![2000, 2600]]), 1.5595243883849132e-28, "large 2 x 2");
    }

    /// Every table with the margins of `table`, each once: the test's definition, by brute force.
    fn brute_force(table: &[Vec<u64>]) -> f64 {
        let rows: Vec<u64> = table.iter().map(|row| row.iter().sum()).collect();
        let columns: Vec<u64> = (0..table[0].len()).map(|j| table.iter().map(|row| row[j]).sum()).collect();
        let n: u64 = rows.iter().sum();
        let ln_factorial = |k: u64| (1..=k).map(|i| ln(i as f64)).sum::<f64>();
        let constant = rows.iter().chain(&columns).map(|t| ln_factorial(*t)).sum::<f64>() - ln_factorial(n);
        let log_p = |cells: &[u64]| constant - cells.iter().map(|x| ln_factorial(*x)).sum::<f64>();
        let observed = log_p(&table.concat());
        let tolerance = if rows.len() == 2 && columns.len() == 2 { ln(1.0 + 1e-7) } else { 3.45254e-7 };
        let (r, c) = (rows.len(), columns.len());
        let mut cells = vec![0u64; r * c];
        let mut total = 0.0;
        // cell by cell, row-major, each cell from 0 to what its row and column still allow; the
        // last cell of each row and the last row are then determined.
        fn walk(
            at: usize,
            r: usize,
            c: usize,
            rows: &[u64],
            columns: &[u64],
            cells: &mut Vec<u64>,
            visit: &mut dyn FnMut(&[u64]),
        ) {
            if at == r * c {
                visit(cells);
                return;
            }
            let (i, j) = (at / c, at % c);
            let row_left = rows[i] - cells[i * c..at].iter().sum::<u64>();
            let column_left = columns[j] - (0..i).map(|k| cells[k * c + j]).sum::<u64>();
            let choices: Vec<u64> = if j == c - 1 {
                vec![row_left]
            } else if i == r - 1 {
                vec![column_left]
            } else {
                (0..=row_left.min(column_left)).collect()
            };
            for value in choices {
                if value <= row_left && value <= column_left {
                    cells[at] = value;
                    walk(at + 1, r, c, rows, columns, cells, visit);
                }
            }
        }
        walk(0, r, c, &rows, &columns, &mut cells, &mut |cells| {
            let value = log_p(cells);
            if value <= observed + tolerance {
                total += exp(value);
            }
        });
        total.min(1.0)
    }

    /// A few hundred random small tables (up to 3 x 3, n <= 12, many zeros) against brute force.
    #[test]
    fn agrees_with_brute_force() {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        let mut compared = 0;
        for _ in 0..600 {
            let (r, c) = (2 + next(2) as usize, 2 + next(2) as usize);
            let budget = 1 + next(12);
            let mut table = vec![vec![0u64; c]; r];
            for _ in 0..budget {
                table[next(r as u64) as usize][next(c as u64) as usize] += 1;
            }
            let expected = brute_force(&table);
            let actual = fisher_exact(&table).unwrap();
            assert!((actual - expected).abs() <= 1e-12 * expected, "{table:?}: {actual} against {expected}");
            compared += 1;
        }
        assert_eq!(compared, 600);
    }

    /// Larger tables, where the network's bounds and merging do real work, against brute force.
    #[test]
    fn agrees_with_brute_force_on_larger_tables() {
        let tables: Vec<Vec<Vec<u64>>> = vec![
            vec![vec![4, 0, 3, 2], vec![1, 5, 2, 3], vec![2, 2, 0, 6]],
            vec![vec![6, 1, 2, 0, 3], vec![0, 4, 3, 5, 1]],
            vec![vec![3, 3, 3], vec![3, 3, 3], vec![3, 3, 3]],
            vec![vec![9, 1, 0], vec![2, 7, 1], vec![0, 3, 8]],
            vec![vec![1, 0], vec![2, 1], vec![0, 3], vec![4, 0], vec![1, 2]],
        ];
        for table in tables {
            let expected = brute_force(&table);
            let actual = fisher_exact(&table).unwrap();
            assert!((actual - expected).abs() <= 1e-11 * expected, "{table:?}: {actual} against {expected}");
        }
    }
}
