//! Typed columns, and what analyses take from them: numbers, and factors (grouping levels).

use std::cmp::Ordering;
use std::collections::HashMap;

use serde::Serialize;

use super::number::{format_number, parse_number, DecimalMark};
use crate::error::{BadCells, Error};

/// The code of a missing cell in a categorical column.
pub const MISSING_CODE: u32 = u32::MAX;

/// One named column of a [`Table`](super::Table).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub data: ColumnData,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Every filled cell is a number; `NaN` marks a missing cell.
    Numeric(Vec<f64>),
    /// At least one filled cell is text. Each cell is a code into `levels`
    /// ([`MISSING_CODE`] when missing); `level_values` holds each level's number when it reads as one.
    /// `ordered` levels keep their order (a cut column's intervals, as R's `cut` makes them);
    /// otherwise they sort as R sorts a character column's levels.
    Text { codes: Vec<u32>, levels: Vec<String>, level_values: LevelValues, ordered: bool },
}

/// Each level's number when it reads as one, `None` for a level of text.
///
/// A column whose levels are all text (an id column has as many levels as rows) holds only their
/// count, not a `None` per level: 16 bytes a level add up to 16 MB in a file of a million ids.
#[derive(Debug, Clone, Default)]
pub struct LevelValues {
    /// Empty while every level is text; otherwise one entry per level.
    numbers: Vec<Option<f64>>,
    len: usize,
}

static NO_NUMBER: Option<f64> = None;

impl LevelValues {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds the next level's number.
    pub fn push(&mut self, value: Option<f64>) {
        if value.is_some() && self.numbers.is_empty() && self.len > 0 {
            self.numbers = vec![None; self.len];
        }
        if value.is_some() || !self.numbers.is_empty() {
            self.numbers.push(value);
        }
        self.len += 1;
    }

    /// Makes room for `more` levels when numbers are stored.
    pub fn reserve_exact(&mut self, more: usize) {
        if !self.numbers.is_empty() {
            self.numbers.reserve_exact(more);
        }
    }

    /// The level's number, as [`slice::get`] gives it.
    pub fn get(&self, index: usize) -> Option<&Option<f64>> {
        (index < self.len).then(|| self.numbers.get(index).unwrap_or(&NO_NUMBER))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Option<f64>> + '_ {
        (0..self.len).map(|index| self.numbers.get(index).unwrap_or(&NO_NUMBER))
    }
}

impl From<Vec<Option<f64>>> for LevelValues {
    fn from(values: Vec<Option<f64>>) -> Self {
        let mut level_values = LevelValues::default();
        for value in values {
            level_values.push(value);
        }
        level_values
    }
}

impl PartialEq for LevelValues {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

/// The level's number; `None` past the last level.
impl std::ops::Index<usize> for LevelValues {
    type Output = Option<f64>;

    fn index(&self, index: usize) -> &Option<f64> {
        self.numbers.get(index).unwrap_or(&NO_NUMBER)
    }
}

impl<'a> IntoIterator for &'a LevelValues {
    type Item = &'a Option<f64>;
    type IntoIter = Box<dyn Iterator<Item = &'a Option<f64>> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// What the page shows as a column's detected type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Numeric,
    Categorical,
}

/// Levels of a grouping column among the rows an analysis uses, in R's order, with each row's code.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// Level labels: sorted numerically when every level is a number, else alphabetically.
    pub labels: Vec<String>,
    /// For each used row, the index of its level in `labels`.
    pub codes: Vec<u32>,
}

impl Factor {
    /// The factor on some of its rows (positions into `codes`), the levels no row holds any more
    /// left out and the others kept in their order, as R's `droplevels` on a subset.
    pub fn subset(&self, rows: &[usize]) -> Factor {
        let mut used = vec![false; self.labels.len()];
        for row in rows {
            used[self.codes[*row] as usize] = true;
        }
        let mut new_code = vec![0u32; self.labels.len()];
        let mut labels = Vec::new();
        for (code, label) in self.labels.iter().enumerate() {
            if used[code] {
                new_code[code] = labels.len() as u32;
                labels.push(label.clone());
            }
        }
        Factor { labels, codes: rows.iter().map(|row| new_code[self.codes[*row] as usize]).collect() }
    }
}

impl Column {
    pub fn len(&self) -> usize {
        match &self.data {
            ColumnData::Numeric(values) => values.len(),
            ColumnData::Text { codes, .. } => codes.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn kind(&self) -> ColumnKind {
        match self.data {
            ColumnData::Numeric(_) => ColumnKind::Numeric,
            ColumnData::Text { .. } => ColumnKind::Categorical,
        }
    }

    pub fn is_missing(&self, row: usize) -> bool {
        match &self.data {
            ColumnData::Numeric(values) => values[row].is_nan(),
            ColumnData::Text { codes, .. } => codes[row] == MISSING_CODE,
        }
    }

    /// The number of missing cells.
    pub fn n_missing(&self) -> usize {
        (0..self.len()).filter(|row| self.is_missing(*row)).count()
    }

    /// The cell as text: the file's text for categorical cells, the number for numeric ones.
    pub fn cell_text(&self, row: usize) -> String {
        match &self.data {
            ColumnData::Numeric(values) if values[row].is_nan() => String::new(),
            ColumnData::Numeric(values) => format_number(values[row]),
            ColumnData::Text { codes, levels, .. } => levels.get(codes[row] as usize).cloned().unwrap_or_default(),
        }
    }

    /// Every cell as a number (`NaN` where missing).
    ///
    /// # Errors
    /// [`Error::NotNumeric`] listing the filled cells that are not numbers, with their spreadsheet
    /// rows, and a hint when they look like numbers written with a decimal comma.
    pub fn numbers(&self, spreadsheet_rows: &[u32]) -> Result<Vec<f64>, Error> {
        match &self.data {
            ColumnData::Numeric(values) => Ok(values.clone()),
            ColumnData::Text { codes, levels, level_values, .. } => {
                let mut bad = BadCells::default();
                let mut values = Vec::with_capacity(codes.len());
                for (row, code) in codes.iter().enumerate() {
                    if *code == MISSING_CODE {
                        values.push(f64::NAN);
                    } else if let Some(value) = level_values[*code as usize] {
                        values.push(value);
                    } else {
                        bad.push(spreadsheet_rows[row] as usize, &levels[*code as usize]);
                        values.push(f64::NAN);
                    }
                }
                if bad.is_empty() {
                    return Ok(values);
                }
                let decimal_comma_hint = bad
                    .listed
                    .iter()
                    .all(|cell| cell.value.contains(',') && parse_number(&cell.value, DecimalMark::Comma).is_some());
                let thousands_hint = bad.listed.iter().all(|cell| looks_like_thousands(&cell.value));
                Err(Error::NotNumeric { column: self.name.clone(), cells: bad, decimal_comma_hint, thousands_hint })
            }
        }
    }

    /// The levels of this column among `rows` (indices of data rows, none of them missing here).
    pub fn factor(&self, rows: &[usize]) -> Factor {
        match &self.data {
            ColumnData::Numeric(values) => {
                let mut distinct: Vec<f64> = rows.iter().map(|row| values[*row]).collect();
                distinct.sort_by(f64::total_cmp);
                distinct.dedup();
                let codes =
                    rows.iter().map(|row| distinct.partition_point(|level| *level < values[*row]) as u32).collect();
                Factor { labels: distinct.into_iter().map(format_number).collect(), codes }
            }
            ColumnData::Text { codes, levels, level_values, ordered } => {
                let mut used: Vec<u32> = Vec::new();
                let mut seen = vec![false; levels.len()];
                for row in rows {
                    let code = codes[*row] as usize;
                    if !seen[code] {
                        seen[code] = true;
                        used.push(code as u32);
                    }
                }
                let all_numbers = used.iter().all(|code| level_values[*code as usize].is_some());
                used.sort_by(|a, b| {
                    let (a, b) = (*a as usize, *b as usize);
                    if *ordered {
                        a.cmp(&b)
                    } else if all_numbers {
                        level_values[a].unwrap_or(0.0).total_cmp(&level_values[b].unwrap_or(0.0))
                    } else {
                        compare_labels(&levels[a], &levels[b])
                    }
                });
                let new_code: HashMap<u32, u32> =
                    used.iter().enumerate().map(|(new, old)| (*old, new as u32)).collect();
                Factor {
                    labels: used.iter().map(|code| levels[*code as usize].clone()).collect(),
                    codes: rows.iter().map(|row| new_code[&codes[*row]]).collect(),
                }
            }
        }
    }
}

/// Alphabetical order that ignores case first, as R sorts factor levels in an English locale,
/// then breaks ties by the exact characters so the order is total and reproducible.
pub fn compare_labels(a: &str, b: &str) -> Ordering {
    a.to_lowercase().cmp(&b.to_lowercase()).then_with(|| a.cmp(b))
}

/// `1,200` or `12,500,000.5`: digits in groups of three after the first, as a thousands
/// separator writes them (also with `.` or a space between the groups and `,` as decimal mark).
fn looks_like_thousands(cell: &str) -> bool {
    let cell = cell.trim().trim_start_matches(['-', '+']);
    [(',', '.'), ('.', ','), (' ', ','), ('\u{a0}', ',')].iter().any(|(separator, decimal)| {
        let whole = cell.split(*decimal).next().unwrap_or("");
        let groups: Vec<&str> = whole.split(*separator).collect();
        groups.len() > 1
            && (1..=3).contains(&groups[0].len())
            && groups.iter().all(|group| !group.is_empty() && group.bytes().all(|byte| byte.is_ascii_digit()))
            && groups[1..].iter().all(|group| group.len() == 3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{ReadOptions, Table};

    fn column(text: &str) -> (Column, Vec<u32>) {
        let table = Table::parse(text, &ReadOptions::default()).unwrap();
        (table.columns[0].clone(), table.spreadsheet_rows)
    }

    #[test]
    fn numeric_levels_sort_as_numbers() {
        let (column, _) = column("g\n10\n2\n10\n1\n");
        let factor = column.factor(&[0, 1, 2, 3]);
        assert_eq!(factor.labels, vec!["1", "2", "10"]);
        assert_eq!(factor.codes, vec![2, 1, 2, 0]);
    }

    #[test]
    fn text_levels_sort_alphabetically_ignoring_case() {
        let (column, _) = column("g\nbeta\nAlpha\nalpha\nGamma\n");
        let factor = column.factor(&[0, 1, 2, 3]);
        assert_eq!(factor.labels, vec!["Alpha", "alpha", "beta", "Gamma"]);
        assert_eq!(factor.codes, vec![2, 0, 1, 3]);
    }

    #[test]
    fn only_used_levels_are_kept() {
        let (column, _) = column("g\nA\nB\nC\n");
        assert_eq!(column.factor(&[2, 0]).labels, vec!["A", "C"]);
    }

    #[test]
    fn text_in_a_number_column_lists_every_bad_cell() {
        let (column, rows) = column("x\n1\nabc\n3\n\nn/a\n");
        let error = column.numbers(&rows).unwrap_err();
        assert_eq!(error.row(), Some(3));
        assert_eq!(error.column(), Some("x"));
        assert_eq!(
            error.to_string(),
            "column \"x\" must hold numbers, but these cells are not: row 3: \"abc\", row 6: \"n/a\"; \
             correct them, leave them blank, or declare the text a missing-value code"
        );
    }

    #[test]
    fn decimal_commas_get_a_hint() {
        let (column, rows) = column("x\n1\n\"3,5\"\n");
        let message = column.numbers(&rows).unwrap_err().to_string();
        assert!(message.contains("row 3: \"3,5\""), "{message}");
        assert!(message.contains("choose \",\" as the decimal mark"), "{message}");
    }

    #[test]
    fn more_than_ten_bad_cells_are_counted() {
        let text = format!("x\n{}", "a\n".repeat(13));
        let (column, rows) = column(&text);
        let message = column.numbers(&rows).unwrap_err().to_string();
        assert!(
            message.ends_with(
                "row 11: \"a\" and 3 more; correct them, leave them blank, or declare the text a missing-value code"
            ),
            "{message}"
        );
    }
}
