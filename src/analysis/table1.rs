//! Baseline characteristics by group ("Table 1"): n (%) for categories, median and range for
//! numbers, and a p-value per row (and per pair of groups).

use super::request::Table1Request;
use super::request::{CategoricalTest, ContinuousTest};
use crate::data::{ColumnData, Factor, Table};
use crate::error::Error;
use crate::estimate::fisher::{fisher_exact, fisher_exact_within};
use crate::estimate::fisher_simulated::fisher_simulated;
use crate::estimate::hypothesis_tests::{
    anova, chi_square, enough_for_oneway, expected_counts, kruskal, summarise, t_test, welch_anova, wilcoxon,
    TestResult,
};
use crate::report::table1_layout::table1_layout;
use crate::report::AnalysisName;
use crate::report::{CategoryLevel, ContinuousGroup, PairP, Simulation, Table1Group, Table1Report, Table1Row};

/// A numeric variable with at most this many distinct values is shown as categories.
pub const MAX_CATEGORICAL_NUMBERS: usize = 5;

/// An expected count below this makes the chi-square approximation doubtful.
const SMALL_EXPECTED: f64 = 5.0;

/// The work allowed to Fisher's exact enumeration of one table (see `fisher_exact_within`):
/// 20-40 ms natively, so that Fisher's test on any 2 x k table with n <= 500 answers within
/// 50 ms. Every 2 x k table with k <= 6 and n <= 500 we tried fits, and 641 of 644 random tables
/// (2-5 rows, 2-9 columns, n = 30-500) that R's `fisher.test` manages with its default
/// workspace. A table that needs more gets R's Monte Carlo p-value instead
/// (`simulate.p.value = TRUE`), with the seed to rerun it in R.
pub const FISHER_EXACT_STEPS: u64 = 10_000_000;

impl CategoricalTest {
    fn name(self) -> &'static str {
        match self {
            CategoricalTest::Chisq => "chisq",
            CategoricalTest::Yates => "yates",
            CategoricalTest::Fisher => "fisher",
            CategoricalTest::Auto => "auto",
        }
    }
}

impl ContinuousTest {
    fn name(self) -> &'static str {
        match self {
            ContinuousTest::Welch => "welch",
            ContinuousTest::Student => "student",
            ContinuousTest::Wilcoxon => "wilcoxon",
            ContinuousTest::Anova => "anova",
            ContinuousTest::WelchAnova => "welch-anova",
            ContinuousTest::Kruskal => "kruskal",
        }
    }

    /// The test's name in a sentence, with the R call it reproduces.
    fn description(self) -> &'static str {
        match self {
            ContinuousTest::Welch => "Welch's t test (t.test)",
            ContinuousTest::Student => "Student's t test (t.test, var.equal = TRUE)",
            ContinuousTest::Wilcoxon => "the Wilcoxon rank-sum test (wilcox.test)",
            ContinuousTest::Anova => "the one-way ANOVA (oneway.test, var.equal = TRUE)",
            ContinuousTest::WelchAnova => "Welch's one-way ANOVA (oneway.test)",
            ContinuousTest::Kruskal => "the Kruskal-Wallis test (kruskal.test)",
        }
    }

    /// The test for two groups that stands for this one in pairwise comparisons, and for more
    /// than two groups the one that stands for a two-group test.
    fn for_groups(self, groups: usize) -> ContinuousTest {
        match (self, groups > 2) {
            (ContinuousTest::Welch, true) => ContinuousTest::WelchAnova,
            (ContinuousTest::Student, true) => ContinuousTest::Anova,
            (ContinuousTest::Wilcoxon, true) => ContinuousTest::Kruskal,
            (ContinuousTest::Anova, false) => ContinuousTest::Student,
            (ContinuousTest::WelchAnova, false) => ContinuousTest::Welch,
            (ContinuousTest::Kruskal, false) => ContinuousTest::Wilcoxon,
            (test, _) => test,
        }
    }
}

pub fn table1_report(table: &Table, request: &Table1Request) -> Result<Table1Report, Error> {
    let group_name = request.group.trim();
    let group_column = table.column(group_name)?;
    let rows: Vec<usize> = (0..table.n_rows()).filter(|row| !group_column.is_missing(*row)).collect();
    if rows.is_empty() {
        return Err(Error::NoCompleteRows { dropped: table.n_rows() });
    }
    let groups = group_column.factor(&rows);
    crate::data::check_group_count(group_name, groups.labels.len())?;
    let variables: Vec<&str> = request.vars.iter().map(|name| name.trim()).filter(|name| !name.is_empty()).collect();
    if variables.is_empty() {
        return Err(Error::invalid_option("vars", "choose at least one variable to describe"));
    }
    let columns = crate::data::lookup_columns(table, &variables)?;
    let mut problems = Vec::new();
    let mut report_rows = Vec::new();
    for column in columns {
        let forced = request.categorical.iter().any(|name| name.trim() == column.name);
        let categorical = match &column.data {
            ColumnData::Text { .. } => true,
            ColumnData::Numeric(values) => forced || distinct_at_most(values, &rows, MAX_CATEGORICAL_NUMBERS),
        };
        let row = if categorical {
            categorical_row(column, &rows, &groups, request)
        } else {
            match column.numbers(&table.spreadsheet_rows) {
                Ok(values) => continuous_row(&column.name, &values, &rows, &groups, request),
                Err(error) => {
                    problems.push(error);
                    continue;
                }
            }
        };
        report_rows.push(row);
    }
    if let Some(error) = Error::combine(problems) {
        return Err(error);
    }
    let mut counts = vec![0usize; groups.labels.len()];
    for code in &groups.codes {
        counts[*code as usize] += 1;
    }
    let report_groups: Vec<Table1Group> =
        groups.labels.iter().zip(counts).map(|(group, n)| Table1Group { group: group.clone(), n }).collect();
    Ok(Table1Report {
        analysis: AnalysisName::Table1,
        notices: Vec::new(),
        group_variable: group_name.to_string(),
        layout: table1_layout(&report_groups, &report_rows),
        groups: report_groups,
        n_missing_group: table.n_rows() - rows.len(),
        rows: report_rows,
    })
}

fn distinct_at_most(values: &[f64], rows: &[usize], limit: usize) -> bool {
    let mut seen: Vec<f64> = Vec::new();
    for row in rows {
        let value = values[*row];
        if !value.is_nan() && !seen.contains(&value) {
            seen.push(value);
            if seen.len() > limit {
                return false;
            }
        }
    }
    true
}

fn categorical_row(
    column: &crate::data::Column,
    rows: &[usize],
    groups: &Factor,
    request: &Table1Request,
) -> Table1Row {
    let n_groups = groups.labels.len();
    let filled: Vec<usize> = (0..rows.len()).filter(|index| !column.is_missing(rows[*index])).collect();
    let filled_rows: Vec<usize> = filled.iter().map(|index| rows[*index]).collect();
    let levels = column.factor(&filled_rows);
    let mut counts = vec![vec![0u64; n_groups]; levels.labels.len()];
    let mut n_missing = vec![0usize; n_groups];
    for (index, row_index) in filled.iter().enumerate() {
        counts[levels.codes[index] as usize][groups.codes[*row_index] as usize] += 1;
    }
    for (index, row) in rows.iter().enumerate() {
        if column.is_missing(*row) {
            n_missing[groups.codes[index] as usize] += 1;
        }
    }
    let group_totals: Vec<u64> = (0..n_groups).map(|group| counts.iter().map(|level| level[group]).sum()).collect();
    let report_levels = levels
        .labels
        .iter()
        .zip(&counts)
        .map(|(label, level_counts)| CategoryLevel {
            level: label.clone(),
            counts: level_counts.clone(),
            percents: level_counts
                .iter()
                .zip(&group_totals)
                .map(|(count, total)| (*total > 0).then(|| 100.0 * *count as f64 / *total as f64))
                .collect(),
        })
        .collect();

    let mut warnings = Vec::new();
    let mut chosen = None;
    if levels.labels.is_empty() {
        warnings.push(format!("{} has no values in these rows, so there is nothing to test", column.name));
    } else if levels.labels.len() < 2 {
        warnings.push(format!("{} has a single value here, so there is nothing to test", column.name));
    } else if n_groups < 2 {
        warnings.push("there is only one group, so there is nothing to compare".to_string());
    } else {
        let expected: Vec<f64> = expected_counts(&counts).into_iter().flatten().collect();
        let small = expected.iter().copied().fold(f64::INFINITY, f64::min);
        if small < SMALL_EXPECTED {
            let below = expected.iter().filter(|count| **count < SMALL_EXPECTED).count();
            let advice = if request.categorical_test == CategoricalTest::Fisher {
                ""
            } else {
                "; the chi-square approximation may be poor, and Fisher's exact test is the usual choice"
            };
            warnings.push(format!(
                "{below} of {} expected counts are below 5 (smallest {small:.2}){advice}",
                counts.len() * n_groups
            ));
        }
        chosen = Some(match request.categorical_test {
            CategoricalTest::Auto if small < SMALL_EXPECTED => CategoricalTest::Fisher,
            CategoricalTest::Auto => CategoricalTest::Chisq,
            CategoricalTest::Yates if counts.len() != 2 || n_groups != 2 => {
                warnings.push("Yates' correction applies to 2 x 2 tables only; Pearson's chi-square is shown".into());
                CategoricalTest::Chisq
            }
            other => other,
        });
    }
    let (result, simulated) =
        chosen.map_or((TestResult::none(), None), |test| categorical_test(&counts, test, request));
    if chosen.is_some() && result.p.is_none() {
        let total: u64 = counts.iter().flatten().sum();
        warnings.push(if chosen == Some(CategoricalTest::Fisher) && total > crate::estimate::fisher::MAX_TOTAL {
            format!(
                "Fisher's test is not computed on more than {} values; choose the chi-square test for this variable",
                crate::estimate::fisher::MAX_TOTAL
            )
        } else {
            "a group (or level) has no values here, so the test is not defined (R reports none); see the counts"
                .to_string()
        });
    }
    if let Some(simulation) = simulated {
        warnings.push(format!(
            "Fisher's exact p would take more enumeration than survkit allows (R's fisher.test stops on such tables \
             with FEXACT error 7), so p is a Monte Carlo estimate from {replicates} random tables, as R gives it: \
             set.seed({seed}); fisher.test(table({variable}, {group}), simulate.p.value = TRUE, B = {replicates}), \
             with the levels and groups in the order shown here (the draws depend on it)",
            replicates = simulation.replicates,
            seed = simulation.seed,
            variable = column.name,
            group = request.group.trim(),
        ));
    }
    // Each pair uses the row's test on its two columns, without the levels neither group has.
    let pairwise = if !request.pairwise {
        Vec::new()
    } else {
        pairs(groups, |first, second| {
            let Some(test) = chosen else {
                return (None, None);
            };
            let sub: Vec<Vec<u64>> = counts
                .iter()
                .map(|level| vec![level[first], level[second]])
                .filter(|level| level[0] + level[1] > 0)
                .collect();
            if sub.len() < 2 {
                return (None, None);
            }
            let (result, simulated) = categorical_test(&sub, test, request);
            (result.p, simulated)
        })
    };
    if pairwise.iter().any(|pair| pair.simulated.is_some()) {
        warnings.push(
            "pairwise p-values marked simulated are Monte Carlo estimates too, each drawn after the same set.seed"
                .to_string(),
        );
    }
    let test_name = chosen.map(CategoricalTest::name);
    Table1Row {
        variable: column.name.clone(),
        kind: "categorical".into(),
        test: test_name.map(str::to_string),
        p: result.p,
        statistic: result.statistic,
        df: result.df,
        denominator_df: result.denominator_df,
        warnings,
        levels: Some(report_levels),
        n_missing: Some(n_missing),
        groups: None,
        pairwise: request.pairwise.then_some(pairwise),
        simulated,
    }
}

/// The row's test on `counts` (levels x groups), and how its p was simulated if it was.
fn categorical_test(
    counts: &[Vec<u64>],
    test: CategoricalTest,
    request: &Table1Request,
) -> (TestResult, Option<Simulation>) {
    match test {
        CategoricalTest::Fisher => fisher(counts, request),
        CategoricalTest::Yates => (chi_square(counts, true), None),
        CategoricalTest::Chisq | CategoricalTest::Auto => (chi_square(counts, false), None),
    }
}

/// Fisher's exact p within [`FISHER_EXACT_STEPS`]; past it, R's Monte Carlo p with the
/// request's seed and replicates. A table with two rows and two columns is always exact, as in
/// R (its exact test is one short sum, and R never simulates it).
fn fisher(counts: &[Vec<u64>], request: &Table1Request) -> (TestResult, Option<Simulation>) {
    let non_empty_rows = counts.iter().filter(|level| level.iter().any(|count| *count > 0)).count();
    let n_columns = counts.first().map_or(0, Vec::len);
    let non_empty_columns = (0..n_columns).filter(|column| counts.iter().any(|level| level[*column] > 0)).count();
    let exact = if non_empty_rows <= 2 && non_empty_columns <= 2 {
        fisher_exact(counts)
    } else {
        fisher_exact_within(counts, FISHER_EXACT_STEPS)
    };
    let exact_result = |p| TestResult { p, ..TestResult::none() };
    if exact.is_some() || non_empty_rows < 2 || non_empty_columns < 2 {
        return (exact_result(exact), None);
    }
    let simulation = Simulation { replicates: request.replicates, seed: request.seed };
    match fisher_simulated(counts, simulation.replicates, simulation.seed) {
        Some(p) => (exact_result(Some(p)), Some(simulation)),
        None => (exact_result(None), None),
    }
}

fn continuous_row(name: &str, values: &[f64], rows: &[usize], groups: &Factor, request: &Table1Request) -> Table1Row {
    let n_groups = groups.labels.len();
    let mut by_group: Vec<Vec<f64>> = vec![Vec::new(); n_groups];
    let mut n_missing = vec![0usize; n_groups];
    for (index, row) in rows.iter().enumerate() {
        let group = groups.codes[index] as usize;
        if values[*row].is_nan() {
            n_missing[group] += 1;
        } else {
            by_group[group].push(values[*row]);
        }
    }
    let summaries: Vec<ContinuousGroup> = by_group
        .iter()
        .zip(&groups.labels)
        .zip(&n_missing)
        .map(|((values, group), missing)| ContinuousGroup {
            group: group.clone(),
            n_missing: *missing,
            summary: summarise(values),
        })
        .collect();
    let mut warnings = Vec::new();
    let non_empty = by_group.iter().filter(|values| !values.is_empty()).count();
    let chosen = request.continuous_test.for_groups(n_groups);
    if chosen != request.continuous_test {
        warnings.push(format!(
            "{} is shown for {n_groups} groups (asked for {})",
            chosen.description(),
            request.continuous_test.description()
        ));
    }
    let non_empty_groups: Vec<Vec<f64>> = by_group.iter().filter(|values| !values.is_empty()).cloned().collect();
    let oneway = matches!(chosen, ContinuousTest::Anova | ContinuousTest::WelchAnova);
    let result = if non_empty < 2 {
        warnings.push("fewer than two groups have values, so there is nothing to compare".to_string());
        TestResult::none()
    } else if oneway && !enough_for_oneway(&non_empty_groups) {
        warnings.push(
            "a group has a single value, and R's oneway.test stops (\"not enough observations\"): no p; \
             use the Kruskal-Wallis test or leave that group out"
                .to_string(),
        );
        TestResult::none()
    } else {
        continuous_test(&non_empty_groups, chosen)
    };
    let pairwise = if request.pairwise {
        let pair_test = request.continuous_test.for_groups(2);
        pairs(groups, |first, second| {
            let (a, b) = (&by_group[first], &by_group[second]);
            if a.is_empty() || b.is_empty() {
                return (None, None);
            }
            (continuous_test(&[a.clone(), b.clone()], pair_test).p, None)
        })
    } else {
        Vec::new()
    };
    Table1Row {
        variable: name.to_string(),
        kind: "continuous".into(),
        test: (non_empty >= 2).then(|| chosen.name().to_string()),
        p: result.p,
        statistic: result.statistic,
        df: result.df,
        denominator_df: result.denominator_df,
        warnings,
        levels: None,
        n_missing: None,
        groups: Some(summaries),
        pairwise: request.pairwise.then_some(pairwise),
        simulated: None,
    }
}

fn continuous_test(groups: &[Vec<f64>], test: ContinuousTest) -> TestResult {
    match (test, groups) {
        (ContinuousTest::Welch, [first, second]) => t_test(first, second, false),
        (ContinuousTest::Student, [first, second]) => t_test(first, second, true),
        (ContinuousTest::Wilcoxon, [first, second]) => wilcoxon(first, second),
        (ContinuousTest::Anova, groups) => anova(groups),
        (ContinuousTest::WelchAnova, groups) => welch_anova(groups),
        (ContinuousTest::Kruskal, groups) => kruskal(groups),
        _ => TestResult::none(),
    }
}

/// Every pair of groups in level order, with the p-value `test` gives.
fn pairs(groups: &Factor, mut test: impl FnMut(usize, usize) -> (Option<f64>, Option<Simulation>)) -> Vec<PairP> {
    let mut pairs = Vec::new();
    for first in 0..groups.labels.len() {
        for second in first + 1..groups.labels.len() {
            let (p, simulated) = test(first, second);
            pairs.push(PairP {
                group_a: groups.labels[first].clone(),
                group_b: groups.labels[second].clone(),
                p,
                simulated,
            });
        }
    }
    pairs
}
