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

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::column::{Column, ColumnData, LevelValues, MISSING_CODE};
use super::number::{format_number, parse_number, DecimalMark};
use crate::error::Error;

/// The cells that mean "missing" in every file, as R's `read.csv` and SPSS exports write them.
pub const DEFAULT_MISSING: [&str; 4] = ["", "NA", ".", "NaN"];

/// How many data rows the preview keeps, as text, for the page's column-mapping step.
pub const PREVIEW_ROWS: usize = 10;

/// The most columns a file may have: what a spreadsheet holds (Excel's 16,384). A file with more
/// is not a table of patients (it is usually a file read with the wrong delimiter, or transposed).
pub const MAX_COLUMNS: usize = 16_384;

/// How the CSV text is read. The defaults detect the delimiter and read `.` as the decimal mark.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReadOptions {
    /// `None` (the default) detects `,`, `;` or tab from the first lines.
    pub delimiter: Option<u8>,
    /// [`DecimalMark::Point`] by default; [`DecimalMark::Comma`] for European Excel exports.
    pub decimal: DecimalMark,
    /// Cell values that mean missing, in addition to [`DEFAULT_MISSING`] (compared after trimming).
    pub extra_missing: Vec<String>,
    /// Build only these columns (the CLI names what its analysis uses); `None` builds them all,
    /// as the page does for its column-mapping step.
    pub only_columns: Option<Vec<String>>,
}

/// A parsed file: named, typed columns of equal length.
#[derive(Debug, Clone)]
pub struct Table {
    pub delimiter: u8,
    /// Every header name, in file order, built or not.
    pub names: Vec<String>,
    /// The columns that were built: all of them, or those [`ReadOptions::only_columns`] named.
    pub columns: Vec<Column>,
    /// The spreadsheet row of each data row (the header is row 1).
    pub spreadsheet_rows: Vec<u32>,
    /// The first [`PREVIEW_ROWS`] data rows as written in the file.
    pub preview: Vec<Vec<String>>,
    /// What the user should know about how the file was read (its encoding, Excel's `sep=` line).
    pub notices: Vec<String>,
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
        super::encoding::refuse_nul_characters(text)?;
        let mut notices = Vec::new();
        let (text, declared) = match excel_separator_line(text) {
            Some((delimiter, rest)) => {
                notices.push(format!(
                    "the first line \"sep={}\" (written by Excel) sets the delimiter; like Excel, survkit does not \
                     count it as a row, so the header is row 1",
                    char::from(delimiter)
                ));
                (rest, Some(delimiter))
            }
            None => (text, None),
        };
        if text.trim().is_empty() {
            return Err(Error::EmptyFile);
        }
        let delimiter = options.delimiter.or(declared).unwrap_or_else(|| detect_delimiter(text));
        let missing: Vec<&str> =
            DEFAULT_MISSING.iter().copied().chain(options.extra_missing.iter().map(|value| value.trim())).collect();

        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut row_counter = SpreadsheetRowCounter::new(text.as_bytes());
        let mut record = csv::ByteRecord::new();
        if !reader.read_byte_record(&mut record).map_err(|error| csv_error(error, &row_counter))? {
            return Err(Error::EmptyFile);
        }
        let header_row = row_counter.advance(&record);
        let names = header_names(&record, header_row)?;
        let width = names.len();
        if let Some(quote) = unclosed_quote(text.as_bytes(), delimiter) {
            return Err(Error::UnclosedQuote {
                row: quote.row,
                column: names.get(quote.field).cloned(),
                column_number: quote.field + 1,
            });
        }
        let estimated_rows = estimate_rows(text);
        let mut builders: Vec<Option<ColumnBuilder>> = names
            .iter()
            .map(|name| {
                let wanted = options.only_columns.as_ref().is_none_or(|only| only.contains(name));
                wanted.then(|| ColumnBuilder::with_capacity(estimated_rows))
            })
            .collect();
        let mut spreadsheet_rows = Vec::with_capacity(estimated_rows);
        let mut preview = Vec::new();
        let mut ragged = Vec::new();
        let mut ragged_total = 0;

        while reader.read_byte_record(&mut record).map_err(|error| csv_error(error, &row_counter))? {
            let row = row_counter.advance(&record);
            if record.len() == 1 && width > 1 && record[0].iter().all(u8::is_ascii_whitespace) {
                continue; // a line of spaces is a blank row in a spreadsheet
            }
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
                if builder.is_none() && preview_row.is_none() {
                    continue;
                }
                // The text is a &str and the delimiters are ASCII, so every cell is UTF-8.
                let cell = std::str::from_utf8(cell).map_err(|_| Error::Csv {
                    row: Some(row),
                    message: "a cell is not valid UTF-8 text; save the file as CSV UTF-8".into(),
                })?;
                if let Some(preview_row) = preview_row.as_mut() {
                    preview_row.push(cell.to_string());
                }
                if let Some(builder) = builder {
                    builder.push(cell, &missing, options.decimal);
                }
            }
            if let Some(preview_row) = preview_row {
                preview.push(preview_row);
            }
        }
        if !ragged.is_empty() {
            return Err(Error::RaggedRows { expected: width, rows: ragged, total: ragged_total });
        }
        if spreadsheet_rows.is_empty() {
            return Err(Error::NoDataRows);
        }
        let columns = names
            .iter()
            .zip(builders)
            .filter_map(|(name, builder)| builder.map(|builder| builder.finish(name.clone())))
            .collect();
        Ok(Table { delimiter, names, columns, spreadsheet_rows, preview, notices })
    }

    /// Decodes a file's bytes (UTF-8, UTF-16 or Windows-1252; see [`super::decode_bytes`]) and
    /// parses the text; a notice says how the file was read when it was not UTF-8.
    ///
    /// # Errors
    /// As [`Table::parse`], and UTF-16 text that is broken.
    pub fn parse_bytes(bytes: Vec<u8>, options: &ReadOptions) -> Result<Table, Error> {
        let decoded = super::decode_bytes(bytes)?;
        let mut table = Table::parse(&decoded.text, options)?;
        table.notices.splice(0..0, decoded.notice());
        Ok(table)
    }

    pub fn n_rows(&self) -> usize {
        self.spreadsheet_rows.len()
    }

    /// The column with this exact name.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`], listing the file's columns.
    pub fn column(&self, name: &str) -> Result<&Column, Error> {
        self.columns
            .iter()
            .find(|column| column.name == name)
            .ok_or_else(|| Error::UnknownColumn { name: name.to_string(), available: self.names.clone() })
    }

    /// The spreadsheet row number of data row `index` (0-based).
    pub fn spreadsheet_row(&self, index: usize) -> usize {
        self.spreadsheet_rows[index] as usize
    }
}

/// Header cells, trimmed, each non-blank and distinct, at most [`MAX_COLUMNS`]; in linear time.
fn header_names(header: &csv::ByteRecord, row: usize) -> Result<Vec<String>, Error> {
    if header.len() > MAX_COLUMNS {
        return Err(Error::TooMany {
            what: "columns".into(),
            found: header.len(),
            limit: MAX_COLUMNS,
            advice: "a spreadsheet holds at most 16,384; check the delimiter (File options), or whether the \
                     file is transposed (one column per patient)"
                .into(),
        });
    }
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(header.len());
    for (index, cell) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(cell).trim().to_string();
        if name.is_empty() {
            return Err(Error::EmptyHeader { row, column_number: index + 1 });
        }
        if let Some(first) = seen.insert(name.clone(), index) {
            return Err(Error::DuplicateHeader { row, name, first_column: first + 1, second_column: index + 1 });
        }
        names.push(name);
    }
    Ok(names)
}

/// Excel's first line `sep=;` (any delimiter character), which declares the delimiter: the
/// delimiter and the text after that line.
fn excel_separator_line(text: &str) -> Option<(u8, &str)> {
    let line_end = text.find(['\n', '\r']).unwrap_or(text.len());
    let line = text[..line_end].trim_end();
    let declared = line.get(..4).filter(|start| start.eq_ignore_ascii_case("sep="))?;
    let rest = &line[declared.len()..];
    let delimiter = match rest.as_bytes() {
        [byte] if byte.is_ascii() && !byte.is_ascii_alphanumeric() => *byte,
        _ => return None,
    };
    let after = &text[line_end..];
    let after = after.strip_prefix("\r\n").or_else(|| after.strip_prefix(['\n', '\r'])).unwrap_or(after);
    Some((delimiter, after))
}

/// Where a quote that is never closed opens: its spreadsheet row and its field (0-based).
struct UnclosedQuote {
    row: usize,
    field: usize,
}

/// A quoted cell that runs to the end of the file, read by the CSV reader's own rules: a quote
/// opens a quoted cell only as a cell's first character, `""` inside it is a quote, and a lone
/// quote closes it. The reader itself would return the rest of the file as that one cell.
fn unclosed_quote(text: &[u8], delimiter: u8) -> Option<UnclosedQuote> {
    memchr::memchr(b'"', text)?;
    let (mut row, mut field, mut at_cell_start, mut opened) = (1usize, 0usize, true, None);
    let mut index = 0;
    while index < text.len() {
        let byte = text[index];
        if opened.is_some() {
            if byte == b'"' {
                if text.get(index + 1) == Some(&b'"') {
                    index += 1;
                } else {
                    opened = None;
                }
            }
        } else {
            match byte {
                b'"' if at_cell_start => opened = Some(UnclosedQuote { row, field }),
                b'\r' | b'\n' => {
                    if !(byte == b'\r' && text.get(index + 1) == Some(&b'\n')) {
                        row += 1;
                    }
                    field = 0;
                }
                _ if byte == delimiter => field += 1,
                _ => {}
            }
            at_cell_start = matches!(byte, b'\r' | b'\n') || byte == delimiter;
        }
        index += 1;
    }
    opened
}

fn csv_error(error: csv::Error, row_counter: &SpreadsheetRowCounter) -> Error {
    let row = Some(row_counter.row_of_error(error.position()));
    let message = match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "the text is not valid UTF-8; save the file as CSV UTF-8".to_string(),
        _ => error.to_string(),
    };
    Error::Csv { row, message }
}

/// Turns the CSV reader's byte positions into spreadsheet rows.
///
/// A spreadsheet shows one row per record and one per blank line, whatever the line ending
/// (LF, CRLF or the old Mac CR), but a quoted cell with a line break in it is one row however many
/// lines it spans. So a record's row is the previous record's row plus the line breaks between
/// where the two start, less the breaks inside the previous record's cells.
struct SpreadsheetRowCounter<'t> {
    text: &'t [u8],
    previous_start: usize,
    previous_row: usize,
    previous_embedded_breaks: usize,
}

impl<'t> SpreadsheetRowCounter<'t> {
    fn new(text: &'t [u8]) -> Self {
        SpreadsheetRowCounter { text, previous_start: 0, previous_row: 1, previous_embedded_breaks: 0 }
    }

    /// Where the content starting at or after `byte` begins, past any blank lines.
    fn content_start(&self, byte: u64) -> usize {
        let byte = usize::try_from(byte).unwrap_or(usize::MAX).min(self.text.len()).max(self.previous_start);
        byte + self.text[byte..].iter().take_while(|character| matches!(character, b'\n' | b'\r')).count()
    }

    /// The row of content starting at `start` (at or after the previous record's start).
    fn row_at(&self, start: usize) -> usize {
        let span = &self.text[self.previous_start..start];
        let breaks = if self.previous_embedded_breaks == 0 {
            // Without breaks inside its cells, the previous record's breaks are all at its end.
            let run = span.iter().rev().take_while(|character| matches!(character, b'\n' | b'\r')).count();
            line_breaks(&span[span.len() - run..])
        } else {
            line_breaks(span).saturating_sub(self.previous_embedded_breaks)
        };
        self.previous_row + breaks
    }

    /// The spreadsheet row of this record.
    fn advance(&mut self, record: &csv::ByteRecord) -> usize {
        let start = self.content_start(record.position().map_or(self.previous_start as u64, csv::Position::byte));
        let row = self.row_at(start);
        self.previous_start = start;
        self.previous_row = row;
        self.previous_embedded_breaks = if memchr::memchr2(b'\n', b'\r', record.as_slice()).is_some() {
            record.iter().map(line_breaks).sum()
        } else {
            0
        };
        row
    }

    /// The row of a record the reader failed on.
    fn row_of_error(&self, position: Option<&csv::Position>) -> usize {
        position.map_or(self.previous_row + 1, |position| self.row_at(self.content_start(position.byte())))
    }
}

/// Line breaks in `bytes`, counting CRLF, LF and a lone CR each as one.
fn line_breaks(bytes: &[u8]) -> usize {
    let mut count = 0;
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'\r' => {
                count += 1;
                if bytes.get(index + 1) == Some(&b'\n') {
                    index += 1;
                }
            }
            b'\n' => count += 1,
            _ => {}
        }
        index += 1;
    }
    count
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
    /// The numbers so far, and the rows expected: room for them is made at the first number, so
    /// a text column never holds room for numbers it will not have.
    Numbers(Vec<f64>, usize),
    Text {
        codes: Vec<u32>,
        levels: Levels,
    },
}

impl ColumnBuilder {
    fn with_capacity(rows: usize) -> Self {
        ColumnBuilder::Numbers(Vec::new(), rows)
    }

    fn push(&mut self, cell: &str, missing: &[&str], decimal: DecimalMark) {
        let cell = cell.trim();
        let is_missing = missing.contains(&cell);
        match self {
            ColumnBuilder::Numbers(values, expected) => {
                let number = if is_missing { Some(f64::NAN) } else { parse_number(cell, decimal) };
                if let Some(number) = number {
                    if values.capacity() == 0 {
                        values.reserve_exact(*expected);
                    }
                    values.push(number);
                } else {
                    let mut levels = Levels::default();
                    let mut codes: Vec<u32> = Vec::with_capacity((*expected).max(values.len() + 1));
                    codes.extend(values.iter().map(|value| {
                        if value.is_nan() {
                            MISSING_CODE
                        } else {
                            levels.intern(&format_number(*value), Some(*value))
                        }
                    }));
                    codes.push(levels.intern(cell, None));
                    *self = ColumnBuilder::Text { codes, levels };
                }
            }
            ColumnBuilder::Text { codes, levels } => {
                levels.make_room(codes.len(), codes.capacity());
                codes.push(if is_missing {
                    MISSING_CODE
                } else if let Some(number) = parse_number(cell, decimal) {
                    // The same canonical label as the numbers read before the first text cell,
                    // so "1.0" and "1" are one level whatever the row order.
                    levels.intern(&format_number(number), Some(number))
                } else {
                    levels.intern(cell, None)
                });
            }
        }
    }

    fn finish(self, name: String) -> Column {
        let data = match self {
            ColumnBuilder::Numbers(values, _) => ColumnData::Numeric(values),
            ColumnBuilder::Text { codes, levels } => {
                ColumnData::Text { codes, levels: levels.labels, level_values: levels.values, ordered: false }
            }
        };
        Column { name, data }
    }
}

/// The distinct texts of a categorical column, each with its number when it reads as one.
///
/// The index is an open-addressing table of codes found from each label's hash; it holds no copy
/// of the labels: an id column has as many levels as rows, and a million copied labels (or a
/// general map's larger entries) would add tens of megabytes while a large file is read.
#[derive(Default)]
struct Levels {
    labels: Vec<String>,
    values: LevelValues,
    /// A power-of-two number of slots, at most half of them filled: each holds a code, or
    /// [`EMPTY_SLOT`].
    slots: Vec<u32>,
    /// The last code returned: consecutive rows often share a level.
    last: Option<u32>,
}

/// A slot of [`Levels::slots`] that holds no code.
const EMPTY_SLOT: u32 = u32::MAX;

impl Levels {
    /// When the levels are about to outgrow their room, gives them room for as many as the rest of
    /// the file will bring at the rate seen so far (`rows` read of `expected_rows`), so an id
    /// column is allocated about once instead of doubling many times (each doubling leaves the
    /// old allocation behind as a hole in the memory while the file is read).
    fn make_room(&mut self, rows: usize, expected_rows: usize) {
        const FIRST: usize = 1024;
        let count = self.labels.len();
        if count < FIRST || count < self.labels.capacity() || rows == 0 {
            return;
        }
        let projected = count.saturating_mul(expected_rows.max(rows)) / rows;
        let more = projected.saturating_sub(count).max(count / 8) + FIRST;
        self.labels.reserve_exact(more);
        self.values.reserve_exact(more);
        let wanted = (count + more).saturating_mul(2).next_power_of_two();
        if wanted > self.slots.len() {
            self.rehash(wanted);
        }
    }

    fn intern(&mut self, label: &str, value: Option<f64>) -> u32 {
        if let Some(last) = self.last {
            if self.labels[last as usize] == label {
                return last;
            }
        }
        let code = self.intern_new(label, value);
        self.last = Some(code);
        code
    }

    fn intern_new(&mut self, label: &str, value: Option<f64>) -> u32 {
        if self.slots.is_empty() {
            self.rehash(16);
        }
        let slot = match self.find(label) {
            Ok(code) => return code,
            Err(slot) => slot,
        };
        let code = u32::try_from(self.labels.len()).unwrap_or(MISSING_CODE - 1);
        self.labels.push(label.to_string());
        self.values.push(value);
        self.slots[slot] = code;
        if self.labels.len() * 2 > self.slots.len() {
            self.rehash(self.slots.len() * 2);
        }
        code
    }

    /// The label's code, or the empty slot where it belongs.
    fn find(&self, label: &str) -> Result<u32, usize> {
        let mask = self.slots.len() - 1;
        let mut slot = label_hash(label) & mask;
        loop {
            match self.slots[slot] {
                EMPTY_SLOT => return Err(slot),
                code if self.labels[code as usize] == label => return Ok(code),
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// Spreads the codes over `size` slots (a power of two, more than twice the levels).
    fn rehash(&mut self, size: usize) {
        self.slots = vec![EMPTY_SLOT; size];
        let mask = size - 1;
        for (code, label) in self.labels.iter().enumerate() {
            let mut slot = label_hash(label) & mask;
            while self.slots[slot] != EMPTY_SLOT {
                slot = (slot + 1) & mask;
            }
            self.slots[slot] = u32::try_from(code).unwrap_or(MISSING_CODE - 1);
        }
    }
}

/// How many rows the text has, from the mean length of the lines after the header (at most
/// [`ESTIMATE_LINES`] of them), so the columns are allocated once: a header is usually longer
/// than a row, and columns grown by doubling leave holes in the memory of a large file.
fn estimate_rows(text: &str) -> usize {
    let mut lines = text.split_inclusive('\n');
    let header = lines.next().map_or(0, str::len);
    let (count, length) =
        lines.take(ESTIMATE_LINES).fold((0usize, 0usize), |(count, length), line| (count + 1, length + line.len()));
    if count == 0 {
        return 1;
    }
    // The mean line length, rounded down, so the estimate errs by a little on the high side.
    (text.len() - header) / (length / count).max(1) + 1
}

/// Lines read to estimate the number of rows.
const ESTIMATE_LINES: usize = 100;

/// A label's hash (std's SipHash with fixed keys: the same on every run), as a slot number.
fn label_hash(label: &str) -> usize {
    let mut hasher = DefaultHasher::new();
    label.hash(&mut hasher);
    let [a, b, c, d, ..] = hasher.finish().to_le_bytes();
    u32::from_le_bytes([a, b, c, d]) as usize
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
        assert_eq!(parse("a,,c\n1,2,3\n").unwrap_err(), Error::EmptyHeader { row: 1, column_number: 2 });
        assert_eq!(parse("\n\na,,c\n1,2,3\n").unwrap_err(), Error::EmptyHeader { row: 3, column_number: 2 });
        assert_eq!(parse("a,b\n").unwrap_err(), Error::NoDataRows);
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

    #[test]
    fn an_unclosed_quote_is_an_error_at_its_row_and_column() {
        let error = parse("time,status,note\n1,1,ok\n2,0,\"runs on\n3,1,x\n4,0,y\n").unwrap_err();
        assert_eq!(error.row(), Some(3));
        assert_eq!(error.column(), Some("note"));
        assert!(error.to_string().contains("never closed"), "{error}");
        // Closed quotes, doubled quotes, quotes inside a cell and quoted line breaks are fine.
        let table = parse("a,b\n\"x \"\"y\"\"\",5\"\n\"two\nlines\",3\n").unwrap();
        assert_eq!(table.preview[0], vec!["x \"y\"".to_string(), "5\"".to_string()]);
        assert_eq!(table.spreadsheet_rows, vec![2, 3]);
    }

    #[test]
    fn excel_sep_line_sets_the_delimiter_and_is_not_a_row() {
        let table = parse("sep=;\r\ntime;status\r\n1,5;1\r\nx;0\r\n").unwrap();
        assert_eq!(table.delimiter, b';');
        assert_eq!(table.names, vec!["time", "status"]);
        assert_eq!(table.spreadsheet_rows, vec![2, 3]);
        assert!(table.notices[0].contains("sep=;"), "{:?}", table.notices);
        assert!(parse("sep=;\n").is_err());
    }

    #[test]
    fn wide_headers_are_read_in_linear_time_and_bounded() {
        let names: Vec<String> = (0..MAX_COLUMNS).map(|index| format!("c{index}")).collect();
        let text = format!("{}\n{}\n", names.join(","), vec!["1"; MAX_COLUMNS].join(","));
        assert_eq!(parse(&text).unwrap().names.len(), MAX_COLUMNS);
        let too_wide = format!("{},extra\n", names.join(","));
        assert!(parse(&too_wide).unwrap_err().to_string().contains("at most 16384"));
    }

    #[test]
    fn many_levels_keep_their_codes_and_numbers() {
        // Enough distinct ids to make the index grow and probe past filled slots many times; a
        // numeric level first, so the levels' numbers are stored after the text levels began.
        let mut text = String::from("id,time\n7,1\n");
        for round in 0..2 {
            for id in 0..5000 {
                text.push_str(&format!("P{id:05},{round}\n"));
            }
        }
        let table = parse(&text).unwrap();
        let ColumnData::Text { codes, levels, level_values, .. } = &table.columns[0].data else {
            panic!("the id column is text");
        };
        assert_eq!(levels.len(), 5001);
        assert_eq!(level_values.len(), 5001);
        assert_eq!(level_values[0], Some(7.0));
        assert_eq!(level_values.get(1), Some(&None));
        assert_eq!(level_values.get(5001), None);
        assert_eq!(codes[1], codes[5001]);
        for row in 1..table.n_rows() {
            assert_eq!(table.columns[0].cell_text(row), format!("P{:05}", (row - 1) % 5000));
        }
    }

    #[test]
    fn text_levels_store_no_numbers_until_one_is_a_number() {
        let values = crate::data::column::LevelValues::from(vec![None, None, Some(2.5)]);
        assert_eq!(values.iter().copied().collect::<Vec<_>>(), vec![None, None, Some(2.5)]);
        let text_only = crate::data::column::LevelValues::from(vec![None, None]);
        assert_eq!(text_only, crate::data::column::LevelValues::from(vec![None, None]));
        assert_eq!(text_only.iter().count(), 2);
    }
}
