//! Model frames for regression: the covariates a user names become numeric terms.
//!
//! - a numeric column is one term, named by the column;
//! - a text column, or a numeric one listed as categorical, becomes one 0/1 term per level other
//!   than the reference, named `column=level`; levels are in R's order (numeric when every level
//!   is a number, else alphabetical) and the reference is the first unless the user names one;
//! - a cut-point such as `age>=40` (also `>`, `<`, `<=`) is a 0/1 term named exactly as written.
//!
//! Rows missing any used column (time, status, every covariate, the stratum) are dropped and
//! counted, as R's `na.omit` does for `coxph` and `crr`.

use super::column::{Column, ColumnData, Factor};
use super::number::{parse_number, DecimalMark};
use super::table::Table;
use crate::error::{BadCells, Error};

/// The most levels a categorical covariate may have: each level but the reference is a term of
/// the model, and more than this is almost always an identifier or a free-text column chosen by
/// mistake (a model with hundreds of terms also costs O(n p^2) per iteration).
pub const MAX_COVARIATE_LEVELS: usize = 100;

/// The most groups an analysis compares (curves, log-rank, Table 1 columns): more than 500
/// groups is almost certainly a patient identifier or a date chosen as the group.
pub const MAX_GROUPS: usize = 500;

/// The most groups of a test whose cost grows with the cube of the groups: Gray's test (its
/// covariance is updated for every pair of groups, for each group, at every event time, as in
/// cmprsk's `crstm`) and pairwise log-rank tests (k (k - 1) / 2 pairs and their adjustment).
pub const MAX_GROUPS_COMPARED_IN_PAIRS: usize = 50;

/// The groups of a grouping column, refused beyond [`MAX_GROUPS`].
///
/// # Errors
/// [`Error::TooMany`] naming the column.
pub fn check_group_count(column: &str, groups: usize) -> Result<(), Error> {
    check_group_limit(column, groups, MAX_GROUPS, "")
}

/// The groups of a grouping column, refused beyond `limit`; `why` (when not empty) says what
/// costs too much beyond it.
///
/// # Errors
/// [`Error::TooMany`] naming the column.
pub fn check_group_limit(column: &str, groups: usize, limit: usize, why: &str) -> Result<(), Error> {
    if groups <= limit {
        return Ok(());
    }
    let why = if why.is_empty() { String::new() } else { format!("{why}; ") };
    Err(Error::TooMany {
        what: format!("groups in \"{column}\""),
        found: groups,
        limit,
        advice: format!(
            "{why}so many groups is almost always a patient identifier, a date or a measurement chosen as the group; \
             choose a column of a few categories (for a number, a cut-point such as {column}>=40 groups it in two)"
        ),
    })
}

/// The largest covariate value a model accepts: beyond it, the sums of squares and products
/// over up to 10^7 rows that the fits need (information matrices, variances) overflow f64
/// (sqrt(f64::MAX) / sqrt(10^7) is about 4e150).
pub const MAX_COVARIATE_MAGNITUDE: f64 = 1e150;

/// A comparison in a cut-point covariate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    AtLeast,
    Above,
    AtMost,
    Below,
}

impl Comparison {
    fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::AtLeast => value >= threshold,
            Comparison::Above => value > threshold,
            Comparison::AtMost => value <= threshold,
            Comparison::Below => value < threshold,
        }
    }
}

/// One covariate as the user wrote it.
#[derive(Debug, Clone, PartialEq)]
pub enum Covariate {
    /// A column, numeric or categorical as its type (or `categorical`) says.
    Column(String),
    /// `column >= threshold` and the like, a 0/1 term named `written`.
    CutPoint { written: String, column: String, comparison: Comparison, threshold: f64 },
}

impl Covariate {
    /// Reads `age`, `age>=40`, `relapses > 1`, `wbc<10`.
    ///
    /// # Errors
    /// A cut-point whose threshold is not a number.
    pub fn parse(written: &str) -> Result<Covariate, Error> {
        let written = written.trim();
        // Comparisons written the wrong way round, and operators a cut-point has no use for.
        for (typo, meant) in [("=>", Some(">=")), ("=<", Some("<=")), ("==", None), ("!=", None)] {
            if let Some((column, threshold)) = written.split_once(typo) {
                let (column, threshold) = (column.trim(), threshold.trim());
                let suggestion = match meant {
                    Some(meant) => format!("did you mean {column}{meant}{threshold}?"),
                    None => format!("a cut-point is written with >=, >, <= or <, such as {column}>={threshold}"),
                };
                return Err(Error::invalid_option(
                    "covariates",
                    format!("\"{written}\" is not a cut-point survkit reads; {suggestion}"),
                ));
            }
        }
        for (symbol, comparison) in [
            (">=", Comparison::AtLeast),
            ("<=", Comparison::AtMost),
            (">", Comparison::Above),
            ("<", Comparison::Below),
        ] {
            if let Some((column, threshold)) = written.split_once(symbol) {
                let threshold_text = threshold.trim();
                let threshold = parse_number(threshold_text, DecimalMark::Point)
                    .or_else(|| parse_number(threshold_text, DecimalMark::Comma))
                    .ok_or_else(|| {
                        Error::invalid_option(
                            "covariates",
                            format!("in \"{written}\", \"{threshold_text}\" is not a number to cut at"),
                        )
                    })?;
                return Ok(Covariate::CutPoint {
                    written: written.to_string(),
                    column: column.trim().to_string(),
                    comparison,
                    threshold,
                });
            }
        }
        Ok(Covariate::Column(written.to_string()))
    }

    /// The name the user wrote, which names the covariate's row in tests such as `cox.zph`.
    pub fn name(&self) -> &str {
        match self {
            Covariate::Column(name) => name,
            Covariate::CutPoint { written, .. } => written,
        }
    }

    /// The column the covariate reads.
    pub fn column(&self) -> &str {
        match self {
            Covariate::Column(name) => name,
            Covariate::CutPoint { column, .. } => column,
        }
    }
}

/// What a model's covariates are, as the user chose them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DesignSpec {
    pub covariates: Vec<Covariate>,
    /// Numeric columns to treat as categorical.
    pub categorical: Vec<String>,
    /// (column, level) pairs naming reference levels.
    pub references: Vec<(String, String)>,
}

/// The numeric terms of a model, one column of values per term.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    pub term_names: Vec<String>,
    /// `values[term][row]`.
    pub values: Vec<Vec<f64>>,
    /// For each covariate, its name and the indices of its terms (several for a categorical one).
    pub covariate_terms: Vec<(String, Vec<usize>)>,
}

/// The rows an analysis uses: time, status, group, stratum and the design (empty for analyses
/// without covariates).
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFrame {
    /// Counting-process data: each row's start, below its `time` (the stop).
    pub start: Option<Vec<f64>>,
    pub time: Vec<f64>,
    /// The status column as decoded by the caller: 0/1 events, or cause codes for competing risks.
    pub status: Vec<f64>,
    pub group: Option<Factor>,
    pub strata: Option<Factor>,
    pub design: Design,
    pub n_dropped: usize,
    /// The data rows the frame keeps (indices into the table), in its order: where to read
    /// another column (an exposure time) for the frame's rows.
    pub rows: Vec<usize>,
}

/// Which columns make a model frame; the status column is decoded by the caller's function.
pub struct ModelSpec<'a> {
    /// The start column of counting-process data, `Surv(start, time, status)`.
    pub start: Option<&'a str>,
    pub time: &'a str,
    pub status: &'a str,
    pub group: Option<&'a str>,
    pub strata: Option<&'a str>,
    pub design: &'a DesignSpec,
}

impl ModelFrame {
    /// Builds the frame. `decode_status` turns the status column into numbers for the complete
    /// rows (an event coding for Cox, cause codes for competing risks).
    ///
    /// # Errors
    /// Unknown columns, text in numeric columns, negative times, unknown reference levels and
    /// whatever `decode_status` reports, collected together.
    pub fn build(
        table: &Table,
        spec: &ModelSpec<'_>,
        decode_status: impl FnOnce(&Column, &[usize], &[u32]) -> Result<Vec<f64>, Error>,
    ) -> Result<ModelFrame, Error> {
        let mut names: Vec<&str> = vec![spec.time, spec.status];
        names.extend(spec.group);
        names.extend(spec.strata);
        names.extend(spec.design.covariates.iter().map(Covariate::column));
        names.extend(spec.start);
        let mut columns = lookup_columns(table, &names)?;
        let start_column = spec.start.and_then(|_| columns.pop());
        check_options(spec.design)?;
        let mut complete: Vec<&Column> = columns.clone();
        complete.extend(start_column);
        let rows = complete_rows(table, &complete);
        let n_dropped = table.n_rows() - rows.len();
        let mut problems = Vec::new();

        let time = match columns[0].numbers(&table.spreadsheet_rows) {
            Ok(values) => {
                let mut negative = BadCells::default();
                let time: Vec<f64> = rows.iter().map(|row| values[*row]).collect();
                for (row, value) in rows.iter().zip(&time) {
                    if *value < 0.0 {
                        negative.push(table.spreadsheet_row(*row), &columns[0].cell_text(*row));
                    }
                }
                if !negative.is_empty() {
                    problems.push(Error::NegativeTime { column: columns[0].name.clone(), cells: negative });
                }
                time
            }
            Err(error) => {
                problems.push(error);
                Vec::new()
            }
        };
        let start = start_column.and_then(|column| {
            read_start(table, column, &columns[0].name, &rows, &time).map_err(|error| problems.push(error)).ok()
        });
        let status = decode_status(columns[1], &rows, &table.spreadsheet_rows).unwrap_or_else(|error| {
            problems.push(error);
            Vec::new()
        });
        let mut factors = columns[2..].iter().map(|column| column.factor(&rows));
        let group = spec.group.and_then(|_| factors.next());
        if let (Some(name), Some(factor)) = (spec.group, &group) {
            check_group_count(name, factor.labels.len())?;
        }
        let strata = spec.strata.and_then(|_| factors.next());
        let first_covariate_column = 2 + usize::from(spec.group.is_some()) + usize::from(spec.strata.is_some());

        let mut design = Design { term_names: Vec::new(), values: Vec::new(), covariate_terms: Vec::new() };
        for (covariate, column) in spec.design.covariates.iter().zip(&columns[first_covariate_column..]) {
            if let Err(error) = add_covariate(&mut design, covariate, column, &rows, table, spec.design) {
                problems.push(error);
            }
        }
        if let Some(error) = Error::combine(problems) {
            return Err(error);
        }
        if rows.is_empty() {
            return Err(Error::NoCompleteRows { dropped: n_dropped });
        }
        Ok(ModelFrame { rows, start, time, status, group, strata, design, n_dropped })
    }

    pub fn len(&self) -> usize {
        self.time.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// The frame on some of its rows (positions into the frame, in the order given), as R's
    /// `subset`: groups and strata no row holds any more are left out (`droplevels`).
    /// `n_dropped` stays the count of incomplete rows.
    pub fn subset(&self, rows: &[usize]) -> ModelFrame {
        let pick = |values: &[f64]| rows.iter().map(|row| values[*row]).collect::<Vec<f64>>();
        ModelFrame {
            start: self.start.as_ref().map(|start| pick(start)),
            time: pick(&self.time),
            status: pick(&self.status),
            group: self.group.as_ref().map(|factor| factor.subset(rows)),
            strata: self.strata.as_ref().map(|factor| factor.subset(rows)),
            design: Design {
                term_names: self.design.term_names.clone(),
                values: self.design.values.iter().map(|values| pick(values)).collect(),
                covariate_terms: self.design.covariate_terms.clone(),
            },
            n_dropped: self.n_dropped,
            rows: rows.iter().map(|row| self.rows[*row]).collect(),
        }
    }
}

/// The start times of counting-process rows: numbers, not negative, and each below its stop
/// (`time`, empty when the stop column itself was refused); every bad row named.
fn read_start(table: &Table, column: &Column, stop: &str, rows: &[usize], time: &[f64]) -> Result<Vec<f64>, Error> {
    let values = column.numbers(&table.spreadsheet_rows)?;
    let start: Vec<f64> = rows.iter().map(|row| values[*row]).collect();
    let (mut negative, mut not_before) = (BadCells::default(), BadCells::default());
    for (index, (row, value)) in rows.iter().zip(&start).enumerate() {
        if *value < 0.0 {
            negative.push(table.spreadsheet_row(*row), &column.cell_text(*row));
        } else if time.get(index).is_some_and(|stop| value >= stop) {
            not_before.push(table.spreadsheet_row(*row), &column.cell_text(*row));
        }
    }
    let mut problems = Vec::new();
    if !negative.is_empty() {
        problems.push(Error::NegativeTime { column: column.name.clone(), cells: negative });
    }
    if !not_before.is_empty() {
        problems.push(Error::StartNotBeforeStop {
            column: column.name.clone(),
            stop: stop.to_string(),
            cells: not_before,
        });
    }
    match Error::combine(problems) {
        Some(error) => Err(error),
        None => Ok(start),
    }
}

/// The named columns, or one error naming every name that is not in the file.
pub fn lookup_columns<'t>(table: &'t Table, names: &[&str]) -> Result<Vec<&'t Column>, Error> {
    let mut problems = Vec::new();
    let columns: Vec<&Column> =
        names.iter().filter_map(|name| table.column(name).map_err(|error| problems.push(error)).ok()).collect();
    match Error::combine(problems) {
        Some(error) => Err(error),
        None => Ok(columns),
    }
}

/// Indices of the data rows with no missing cell in any of `columns`.
pub fn complete_rows(table: &Table, columns: &[&Column]) -> Vec<usize> {
    (0..table.n_rows()).filter(|row| columns.iter().all(|column| !column.is_missing(*row))).collect()
}

/// `--categorical` and `--reference` must name covariates of the model.
fn check_options(spec: &DesignSpec) -> Result<(), Error> {
    let named = |column: &str| {
        spec.covariates.iter().any(|covariate| matches!(covariate, Covariate::Column(name) if name == column))
    };
    for column in &spec.categorical {
        if !named(column) {
            return Err(Error::invalid_option(
                "categorical",
                format!("\"{column}\" is not one of the covariates; add it to the covariates or remove it here"),
            ));
        }
    }
    for (column, _) in &spec.references {
        if !named(column) {
            return Err(Error::invalid_option(
                "reference",
                format!("\"{column}\" is not one of the covariates; add it to the covariates or remove its reference"),
            ));
        }
    }
    Ok(())
}

fn add_covariate(
    design: &mut Design,
    covariate: &Covariate,
    column: &Column,
    rows: &[usize],
    table: &Table,
    spec: &DesignSpec,
) -> Result<(), Error> {
    let first_term = design.term_names.len();
    match covariate {
        Covariate::CutPoint { written, comparison, threshold, .. } => {
            let values = column.numbers(&table.spreadsheet_rows)?;
            design.term_names.push(written.clone());
            design
                .values
                .push(rows.iter().map(|row| f64::from(u8::from(comparison.holds(values[*row], *threshold)))).collect());
        }
        Covariate::Column(name) => {
            let forced = spec.categorical.iter().any(|categorical| categorical == name);
            let reference = spec.references.iter().find(|(column, _)| column == name).map(|(_, level)| level.as_str());
            match (&column.data, forced || reference.is_some()) {
                (ColumnData::Numeric(values), false) => {
                    let mut too_large = BadCells::default();
                    for row in rows {
                        if values[*row].abs() > MAX_COVARIATE_MAGNITUDE {
                            too_large.push(table.spreadsheet_row(*row), &column.cell_text(*row));
                        }
                    }
                    if !too_large.is_empty() {
                        return Err(Error::CovariateTooLarge {
                            column: column.name.clone(),
                            cells: too_large,
                            limit: MAX_COVARIATE_MAGNITUDE,
                        });
                    }
                    design.term_names.push(name.clone());
                    design.values.push(rows.iter().map(|row| values[*row]).collect());
                }
                (ColumnData::Numeric(_), true) if !forced => {
                    return Err(Error::invalid_option(
                        "reference",
                        format!(
                            "\"{name}\" is a numeric column, so it has no reference level; to treat it as categorical \
                             (one term per value), also list it as categorical"
                        ),
                    ));
                }
                _ => {
                    let factor = column.factor(rows);
                    if factor.labels.len() < 2 {
                        return Err(Error::NotEstimable {
                            what: format!("the covariate \"{name}\""),
                            reason: format!(
                                "it has a single value ({}) among the rows analysed, so there is nothing to compare \
                                 (R stops: \"contrasts can be applied only to factors with 2 or more levels\"); leave it out",
                                crate::error::quoted_list(&factor.labels)
                            ),
                        });
                    }
                    if factor.labels.len() > MAX_COVARIATE_LEVELS {
                        return Err(Error::TooMany {
                            what: format!("levels in the categorical covariate \"{name}\""),
                            found: factor.labels.len(),
                            limit: MAX_COVARIATE_LEVELS,
                            advice: "each level is a term of the model; is it an identifier or a free-text column? \
                                     Group its values into fewer categories, or use a numeric column as a number"
                                .into(),
                        });
                    }
                    let reference_index = match reference {
                        None => 0,
                        Some(level) => {
                            factor.labels.iter().position(|label| label_matches(label, level)).ok_or_else(|| {
                                Error::invalid_option(
                                    "reference",
                                    format!(
                                        "\"{level}\" is not a level of \"{name}\"; its levels are {}",
                                        crate::error::quoted_list(&factor.labels)
                                    ),
                                )
                            })?
                        }
                    };
                    for (index, label) in
                        factor.labels.iter().enumerate().filter(|(index, _)| *index != reference_index)
                    {
                        design.term_names.push(format!("{name}={label}"));
                        design.values.push(
                            factor.codes.iter().map(|code| f64::from(u8::from(*code as usize == index))).collect(),
                        );
                    }
                }
            }
        }
    }
    design.covariate_terms.push((covariate.name().to_string(), (first_term..design.term_names.len()).collect()));
    Ok(())
}

/// A reference level as typed matches a level label exactly, or as the same number (`2` and `2.0`).
fn label_matches(label: &str, typed: &str) -> bool {
    let typed = typed.trim();
    label == typed
        || matches!(
            (parse_number(label, DecimalMark::Point), parse_number(typed, DecimalMark::Point)),
            (Some(a), Some(b)) if a == b
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ReadOptions;

    fn frame(text: &str, design: DesignSpec) -> Result<ModelFrame, Error> {
        let table = Table::parse(text, &ReadOptions::default()).unwrap();
        let spec = ModelSpec { start: None, time: "t", status: "e", group: None, strata: None, design: &design };
        ModelFrame::build(&table, &spec, |column, rows, _| {
            let ColumnData::Numeric(values) = &column.data else { unreachable!("numeric status in these tests") };
            Ok(rows.iter().map(|row| values[*row]).collect())
        })
    }

    fn covariates(names: &[&str]) -> Vec<Covariate> {
        names.iter().map(|name| Covariate::parse(name).unwrap()).collect()
    }

    const DATA: &str = "t,e,age,arm,stage\n1,1,30,B,1\n2,0,50,A,2\n3,1,45,C,3\n4,1,,A,2\n";

    #[test]
    fn numeric_categorical_and_cut_point_terms() {
        let spec = DesignSpec { covariates: covariates(&["age", "arm", "age>=40"]), ..DesignSpec::default() };
        let frame = frame(DATA, spec).unwrap();
        assert_eq!(frame.n_dropped, 1);
        assert_eq!(frame.design.term_names, vec!["age", "arm=B", "arm=C", "age>=40"]);
        assert_eq!(frame.design.values[3], vec![0.0, 1.0, 1.0]);
        assert_eq!(frame.design.values[1], vec![1.0, 0.0, 0.0]);
        assert_eq!(frame.design.covariate_terms[1], ("arm".to_string(), vec![1, 2]));
    }

    #[test]
    fn categorical_numbers_and_references() {
        let spec = DesignSpec {
            covariates: covariates(&["stage", "arm"]),
            categorical: vec!["stage".into()],
            references: vec![("arm".into(), "C".into())],
        };
        let frame = frame(DATA, spec).unwrap();
        assert_eq!(frame.design.term_names, vec!["stage=2", "stage=3", "arm=A", "arm=B"]);
    }

    #[test]
    fn an_unknown_reference_lists_the_levels() {
        let spec = DesignSpec {
            covariates: covariates(&["arm"]),
            references: vec![("arm".into(), "Z".into())],
            ..DesignSpec::default()
        };
        let message = frame(DATA, spec).unwrap_err().to_string();
        assert!(message.contains("\"Z\" is not a level of \"arm\"; its levels are \"A\", \"B\", \"C\""), "{message}");
    }

    #[test]
    fn a_cut_point_needs_a_number() {
        assert!(Covariate::parse("age>=forty").unwrap_err().to_string().contains("\"forty\" is not a number"));
        let cut = Covariate::parse(" relapses > 1 ").unwrap();
        assert_eq!(cut.name(), "relapses > 1");
        assert_eq!(cut.column(), "relapses");
    }
}
