//! CSV text -> a [`Table`] of typed columns.
//!
//! The engine parses; the front ends only hand over text (the CLI reads the file, the page calls
//! `File.text()`), so both see the same columns, the same numbers and the same errors.
//!
//! What is detected without being asked: a UTF-8 byte-order mark, CRLF line endings, quoted
//! fields and the delimiter (`,`, `;` or tab, chosen as the one that splits the first lines into
//! the same number of cells, most of them). The decimal mark is `.` unless the user chooses `,`.
//!
//! Every column is typed in one pass: it is numeric while every filled cell reads as a number,
//! and categorical from its first cell that does not. A categorical column remembers which of its
//! levels read as numbers, so an analysis that needs numbers can list exactly the cells at fault.

use std::collections::HashMap;

use super::column::{Column, ColumnData, MISSING_CODE};
use super::number::{format_number, parse_number, DecimalMark};
use crate::error::Error;

/// The cells that mean "missing" in every file, as R's `read.csv` and SPSS exports write them.
pub const DEFAULT_MISSING: [&str; 4] = ["", "NA", ".", "NaN"];

/// How many data rows the preview keeps, as text, for the page's column-mapping step.
pub const PREVIEW_ROWS: usize = 10;

/// How the CSV text is read. The defaults detect the delimiter and read `.` as the decimal mark.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReadOptions {
    /// `None` (the default) detects `,`, `;` or tab from the first lines.
    pub delimiter: Option<u8>,
    /// [`DecimalMark::Point`] by default; [`DecimalMark::Comma`] for European Excel exports.
    pub decimal: DecimalMark,
    /// Cell values that mean missing, in addition to [`DEFAULT_MISSING`] (compared after trimming).
    pub extra_missing: Vec<String>,
}

/// A parsed file: named, typed columns of equal length.
#[derive(Debug, Clone)]
pub struct Table {
    pub delimiter: u8,
    pub columns: Vec<Column>,
    /// The spreadsheet row of each data row (the header is row 1).
    pub spreadsheet_rows: Vec<u32>,
    /// The first [`PREVIEW_ROWS`] data rows as written in the file.
    pub preview: Vec<Vec<String>>,
}

impl Table {
    /// Parses CSV text. Nothing in the text can make this panic; every problem is an [`Error`].
    ///
    /// # Errors
    /// An empty file, a blank or duplicated header name, rows whose number of cells differs from
    /// the header's (all of them listed), or text the CSV reader cannot make sense of.
    ///
    /// # Examples
    /// ```
    /// use survkit::data::{ReadOptions, Table};
    /// let table = Table::parse("time;status\n1,5;1\n2;0\n", &ReadOptions {
    ///     decimal: survkit::data::DecimalMark::Comma, ..ReadOptions::default() }).unwrap();
    /// assert_eq!(table.delimiter, b';');
    /// assert_eq!(table.n_rows(), 2);
    /// ```
    pub fn parse(text: &str, options: &ReadOptions) -> Result<Table, Error> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(Error::EmptyFile);
        }
        let delimiter = options.delimiter.unwrap_or_else(|| detect_delimiter(text));
        let missing: Vec<&str> =
            DEFAULT_MISSING.iter().copied().chain(options.extra_missing.iter().map(|value| value.trim())).collect();

        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = reader.byte_records();
        let mut row_counter = SpreadsheetRowCounter::new(text.as_bytes());

        let header = match records.next() {
            None => return Err(Error::EmptyFile),
            Some(Err(error)) => return Err(csv_error(error, &row_counter)),
            Some(Ok(record)) => {
                row_counter.advance(&record);
                record
            }
        };
        let names = header_names(&header)?;
        let width = names.len();
        let mut builders: Vec<ColumnBuilder> = (0..width).map(|_| ColumnBuilder::default()).collect();
        let mut spreadsheet_rows = Vec::new();
        let mut preview = Vec::new();
        let mut ragged = Vec::new();
        let mut ragged_total = 0;

        for record in records {
            let record = record.map_err(|error| csv_error(error, &row_counter))?;
            let row = row_counter.advance(&record);
            if record.len() != width {
                ragged_total += 1;
                if ragged.len() < crate::error::MAX_LISTED_CELLS {
                    ragged.push((row, record.len()));
                }
                continue;
            }
            if !ragged.is_empty() {
                continue; // the file will be rejected; keep counting, stop building
            }
            let row_index = spreadsheet_rows.len();
            spreadsheet_rows.push(u32::try_from(row).unwrap_or(u32::MAX));
            let mut preview_row = (row_index < PREVIEW_ROWS).then(Vec::new);
            for (builder, cell) in builders.iter_mut().zip(record.iter()) {
                let cell = std::str::from_utf8(cell).map_err(|_| Error::Csv {
                    row: Some(row),
                    message: "a cell is not valid UTF-8 text; save the file as CSV UTF-8".into(),
                })?;
                if let Some(preview_row) = preview_row.as_mut() {
                    preview_row.push(cell.to_string());
                }
                builder.push(cell, &missing, options.decimal);
            }
            if let Some(preview_row) = preview_row {
                preview.push(preview_row);
            }
        }
        if !ragged.is_empty() {
            return Err(Error::RaggedRows { expected: width, rows: ragged, total: ragged_total });
        }
        let columns = names.into_iter().zip(builders).map(|(name, builder)| builder.finish(name)).collect();
        Ok(Table { delimiter, columns, spreadsheet_rows, preview })
    }

    pub fn n_rows(&self) -> usize {
        self.spreadsheet_rows.len()
    }

    /// The column with this exact name.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`], listing the file's columns.
    pub fn column(&self, name: &str) -> Result<&Column, Error> {
        self.columns.iter().find(|column| column.name == name).ok_or_else(|| Error::UnknownColumn {
            name: name.to_string(),
            available: self.columns.iter().map(|column| column.name.clone()).collect(),
        })
    }

    /// The spreadsheet row number of data row `index` (0-based).
    pub fn spreadsheet_row(&self, index: usize) -> usize {
        self.spreadsheet_rows[index] as usize
    }
}

/// Header cells, trimmed, each non-blank and distinct.
fn header_names(header: &csv::ByteRecord) -> Result<Vec<String>, Error> {
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    for (index, cell) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(cell).trim().to_string();
        if name.is_empty() {
            return Err(Error::EmptyHeader { column_number: index + 1 });
        }
        if let Some(first) = names.iter().position(|existing| *existing == name) {
            return Err(Error::DuplicateHeader { name, first_column: first + 1, second_column: index + 1 });
        }
        names.push(name);
    }
    Ok(names)
}

fn csv_error(error: csv::Error, row_counter: &SpreadsheetRowCounter) -> Error {
    let row = error.position().map(|position| row_counter.row_of(position.line() as usize));
    let message = match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "the text is not valid UTF-8; save the file as CSV UTF-8".to_string(),
        _ => error.to_string(),
    };
    Error::Csv { row, message }
}

/// Turns the CSV reader's line numbers into spreadsheet rows.
///
/// A spreadsheet shows one row per record and one row per blank line, but a quoted cell with a
/// line break in it spans several lines of the file and only one row of the sheet. The reader
/// reports a record's position where it started looking for it, before any blank lines it
/// skipped, so those are counted here from the text.
struct SpreadsheetRowCounter<'t> {
    text: &'t [u8],
    /// Line breaks inside quoted cells of the records read so far.
    embedded_line_breaks: usize,
}

impl<'t> SpreadsheetRowCounter<'t> {
    fn new(text: &'t [u8]) -> Self {
        SpreadsheetRowCounter { text, embedded_line_breaks: 0 }
    }

    /// The spreadsheet row of this record; then counts its embedded line breaks.
    fn advance(&mut self, record: &csv::ByteRecord) -> usize {
        let line = record.position().map_or(1, |position| {
            let start = usize::try_from(position.byte()).unwrap_or(usize::MAX).min(self.text.len());
            let skipped_blank_lines = self.text[start..]
                .iter()
                .take_while(|byte| matches!(byte, b'\n' | b'\r'))
                .filter(|byte| **byte == b'\n')
                .count();
            position.line() as usize + skipped_blank_lines
        });
        let row = self.row_of(line);
        self.embedded_line_breaks +=
            record.iter().map(|cell| cell.iter().filter(|byte| **byte == b'\n').count()).sum::<usize>();
        row
    }

    fn row_of(&self, line: usize) -> usize {
        line.saturating_sub(self.embedded_line_breaks).max(1)
    }
}

/// The delimiter among `,`, `;` and tab that splits the first lines most consistently.
///
/// Each candidate reads up to the first 50 records; its score is the number of records with as
/// many cells as the header, when the header has at least two cells. The best score wins, then
/// the most cells; with no candidate splitting the header, `,` is used.
pub fn detect_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 3] = [b',', b';', b'\t'];
    const SAMPLE_RECORDS: usize = 50;
    let mut best = (b',', 0usize, 0usize);
    for candidate in CANDIDATES {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(candidate)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut widths = reader.byte_records().take(SAMPLE_RECORDS).map_while(Result::ok).map(|record| record.len());
        let Some(header_width) = widths.next() else { continue };
        if header_width < 2 {
            continue;
        }
        let consistent = 1 + widths.filter(|width| *width == header_width).count();
        if (consistent, header_width) > (best.1, best.2) {
            best = (candidate, consistent, header_width);
        }
    }
    best.0
}

/// Builds one column while the rows stream past.
///
/// Numeric until the first filled cell that is not a number; then categorical, with the numbers
/// seen so far turned back into levels.
enum ColumnBuilder {
    Numbers(Vec<f64>),
    Text { codes: Vec<u32>, levels: Levels },
}

impl Default for ColumnBuilder {
    fn default() -> Self {
        ColumnBuilder::Numbers(Vec::new())
    }
}

impl ColumnBuilder {
    fn push(&mut self, cell: &str, missing: &[&str], decimal: DecimalMark) {
        let cell = cell.trim();
        let is_missing = missing.contains(&cell);
        match self {
            ColumnBuilder::Numbers(values) => {
                if is_missing {
                    values.push(f64::NAN);
                } else if let Some(number) = parse_number(cell, decimal) {
                    values.push(number);
                } else {
                    let mut levels = Levels::default();
                    let mut codes: Vec<u32> = values
                        .iter()
                        .map(|value| {
                            if value.is_nan() {
                                MISSING_CODE
                            } else {
                                levels.intern(&format_number(*value), Some(*value))
                            }
                        })
                        .collect();
                    codes.push(levels.intern(cell, None));
                    *self = ColumnBuilder::Text { codes, levels };
                }
            }
            ColumnBuilder::Text { codes, levels } => {
                codes.push(if is_missing {
                    MISSING_CODE
                } else {
                    levels.intern_with(cell, || parse_number(cell, decimal))
                });
            }
        }
    }

    fn finish(self, name: String) -> Column {
        let data = match self {
            ColumnBuilder::Numbers(values) => ColumnData::Numeric(values),
            ColumnBuilder::Text { codes, levels } => {
                ColumnData::Text { codes, levels: levels.labels, level_values: levels.values }
            }
        };
        Column { name, data }
    }
}

/// The distinct texts of a categorical column, each with its number when it reads as one.
#[derive(Default)]
struct Levels {
    labels: Vec<String>,
    values: Vec<Option<f64>>,
    index: HashMap<String, u32>,
}

impl Levels {
    fn intern(&mut self, label: &str, value: Option<f64>) -> u32 {
        self.intern_with(label, || value)
    }

    fn intern_with(&mut self, label: &str, value: impl FnOnce() -> Option<f64>) -> u32 {
        if let Some(code) = self.index.get(label) {
            return *code;
        }
        let code = u32::try_from(self.labels.len()).unwrap_or(MISSING_CODE - 1);
        self.labels.push(label.to_string());
        self.values.push(value());
        self.index.insert(label.to_string(), code);
        code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Table, Error> {
        Table::parse(text, &ReadOptions::default())
    }

    #[test]
    fn detects_each_delimiter() {
        assert_eq!(parse("a,b\n1,2\n").unwrap().delimiter, b',');
        assert_eq!(parse("a;b\n1,5;2\n").unwrap().delimiter, b';');
        assert_eq!(parse("a\tb\n1\t2\n").unwrap().delimiter, b'\t');
    }

    #[test]
    fn strips_bom_and_reads_crlf_and_quotes() {
        let table = parse("\u{feff}\"time\",\"arm\"\r\n1,\"A, left\"\r\n2,B\r\n").unwrap();
        assert_eq!(table.columns[0].name, "time");
        assert_eq!(table.n_rows(), 2);
        assert_eq!(table.preview[0][1], "A, left");
    }

    #[test]
    fn a_quoted_line_break_is_one_spreadsheet_row() {
        let table = parse("a,b\n1,\"two\nlines\"\n2,x\n\n3,y\n").unwrap();
        assert_eq!(table.spreadsheet_rows, vec![2, 3, 5]);
    }

    #[test]
    fn header_problems_are_errors_on_row_1() {
        let duplicate = parse("a,b,a\n1,2,3\n").unwrap_err();
        assert_eq!(duplicate.row(), Some(1));
        assert_eq!(duplicate.column(), Some("a"));
        assert!(duplicate.to_string().contains("columns 1 and 3"));
        assert_eq!(parse("a,,c\n1,2,3\n").unwrap_err(), Error::EmptyHeader { column_number: 2 });
        assert_eq!(parse("").unwrap_err(), Error::EmptyFile);
        assert_eq!(parse("\u{feff}\n  \n").unwrap_err(), Error::EmptyFile);
    }

    #[test]
    fn ragged_rows_are_all_listed() {
        let error = parse("a,b\n1,2\n1,2,3\n4\n5,6\n").unwrap_err();
        assert_eq!(error, Error::RaggedRows { expected: 2, rows: vec![(3, 3), (4, 1)], total: 2 });
        assert_eq!(error.row(), Some(3));
        assert!(error.to_string().contains("row 3 has 3"), "{error}");
    }

    #[test]
    fn a_column_turns_categorical_at_its_first_text_cell() {
        let table = parse("x\n1.5\nNA\n2\nabc\n.\n").unwrap();
        match &table.columns[0].data {
            ColumnData::Text { codes, levels, .. } => {
                assert_eq!(levels, &vec!["1.5".to_string(), "2".to_string(), "abc".to_string()]);
                assert_eq!(codes, &vec![0, MISSING_CODE, 1, 2, MISSING_CODE]);
            }
            other => panic!("expected text, got {other:?}"),
        }
    }

    #[test]
    fn extra_missing_codes_are_honoured() {
        let options = ReadOptions { extra_missing: vec!["-99".into(), " unknown ".into()], ..ReadOptions::default() };
        let table = Table::parse("x\n1\n-99\nunknown\n", &options).unwrap();
        match &table.columns[0].data {
            ColumnData::Numeric(values) => {
                assert_eq!(values[0], 1.0);
                assert!(values[1].is_nan() && values[2].is_nan());
            }
            other => panic!("expected numbers, got {other:?}"),
        }
    }
}
