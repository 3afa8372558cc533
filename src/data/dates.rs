//! Calendar dates in a data file: reading a date column as day numbers.
//!
//! A cell is read by its shape, each cell on its own:
//! - `yyyy-mm-dd` (ISO 8601), optionally followed by a time of day (`2015-07-11 00:00:00`,
//!   `2015-07-11T10:30`), which is ignored;
//! - `dd.mm.yyyy` (German, Swiss, Scandinavian exports);
//! - `dd/mm/yyyy` or `mm/dd/yyyy`: which of the two the file uses is decided by the data when a
//!   cell decides it (`25/03/2015` can only be day first, `03/25/2015` only month first), and
//!   otherwise by the user's choice ([`DateOrder`], kept in the study); when neither decides,
//!   the column is refused with an example of an ambiguous cell. A cell like `05/05/2015` reads
//!   the same both ways and decides nothing;
//! - a number: an Excel serial date in the 1900 date system (1 = 1900-01-01), what a spreadsheet
//!   saved as CSV writes when a date cell lost its format. A fraction (the time of day) is
//!   dropped. Excel counts a 29 February 1900 that never was (serial 60, a bug kept from Lotus
//!   1-2-3): serials from 61 on (1900-03-01 onward, every date of a modern study) are read as
//!   Excel shows them; 1 to 59 too (1900-01-01 to 1900-02-28); 60 itself is refused, since it
//!   is no date. The 1904 date system (old Mac Excel) is not read.
//!
//! Years have four digits: `11/07/15` is refused rather than guessed. Calendar arithmetic
//! (month lengths, leap years, day numbers) is the `time` crate's; survkit only compares and
//! subtracts day numbers.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::column::ColumnData;
use super::table::Table;
use crate::error::{BadCells, Error};

/// A calendar date as its Julian day number: dates compare and subtract as days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i32);

/// The largest Excel serial date, 9999-12-31.
const MAX_EXCEL_SERIAL: f64 = 2_958_465.0;

impl Day {
    /// The date `year-month-day`, when it exists (1 to 9999).
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Day> {
        if !(1..=9999).contains(&year) {
            return None;
        }
        let month = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month, day).ok().map(|date| Day(date.to_julian_day()))
    }

    /// The (UTC) date of a moment given as seconds since 1970-01-01 00:00 UTC, as a clock gives it.
    pub fn from_unix_seconds(seconds: i64) -> Day {
        let epoch =
            time::Date::from_calendar_date(1970, time::Month::January, 1).map_or(2_440_588, |d| d.to_julian_day());
        let days = seconds.div_euclid(86_400);
        Day(epoch.saturating_add(i32::try_from(days).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX })))
    }

    /// Reads `yyyy-mm-dd`, the form survkit writes and takes for "today".
    pub fn parse_iso(text: &str) -> Option<Day> {
        match read_cell(text, None) {
            Cell::Date(day) => Some(day),
            _ => None,
        }
    }

    /// The Excel serial date (1900 date system; see the module's note on 1900-02-29).
    pub fn from_excel_serial(serial: f64) -> Option<Day> {
        if !(1.0..=MAX_EXCEL_SERIAL).contains(&serial) {
            return None;
        }
        let whole = serial.floor() as i32;
        // Serial 61 is 1900-03-01: from there on, serial n is 1899-12-30 plus n days.
        let (base, days) = match whole {
            60 => return None,
            1..=59 => (Day::from_ymd(1899, 12, 31)?, whole),
            _ => (Day::from_ymd(1899, 12, 30)?, whole),
        };
        Some(Day(base.0.checked_add(days)?))
    }

    /// Days from `earlier` to this date (negative when this date comes first).
    pub fn days_since(self, earlier: Day) -> i64 {
        i64::from(self.0) - i64::from(earlier.0)
    }
}

impl fmt::Display for Day {
    /// `yyyy-mm-dd`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match time::Date::from_julian_day(self.0) {
            Ok(date) => write!(formatter, "{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day()),
            Err(_) => write!(formatter, "day {}", self.0),
        }
    }
}

/// How dates written with slashes are read when the data does not decide it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum DateOrder {
    /// Day first, as in Europe: `11/07/2015` is 11 July 2015.
    #[serde(rename = "dd/mm/yyyy")]
    DayFirst,
    /// Month first, as in the United States: `07/11/2015` is 11 July 2015.
    #[serde(rename = "mm/dd/yyyy")]
    MonthFirst,
}

impl DateOrder {
    fn pattern(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "dd/mm/yyyy",
            DateOrder::MonthFirst => "mm/dd/yyyy",
        }
    }
}

/// What one cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cell {
    Date(Day),
    /// `a/b/yyyy`: the two readings, day first and month first (either may not exist).
    Slashed {
        day_first: Option<Day>,
        month_first: Option<Day>,
    },
    NotDate,
}

/// Reads a cell by its shape; slashed dates by `order` when given.
fn read_cell(text: &str, order: Option<DateOrder>) -> Cell {
    let text = text.trim();
    let date_part = text.split([' ', 'T']).next().unwrap_or("");
    let rest = &text[date_part.len()..];
    if !rest.is_empty() && !is_time_of_day(rest.trim_start_matches([' ', 'T'])) {
        return Cell::NotDate;
    }
    let fields: Vec<&str> = date_part.split(['-', '.', '/']).collect();
    let [first, second, third] = fields.as_slice() else {
        return excel_cell(text);
    };
    let separator = date_part.chars().find(|c| matches!(c, '-' | '.' | '/')).unwrap_or('-');
    if date_part.chars().filter(|c| *c == separator).count() != 2 {
        return Cell::NotDate;
    }
    let number = |field: &str, digits: std::ops::RangeInclusive<usize>| -> Option<u32> {
        (digits.contains(&field.len()) && field.bytes().all(|b| b.is_ascii_digit())).then(|| field.parse().ok())?
    };
    let small = |field: &str| number(field, 1..=2).and_then(|value| u8::try_from(value).ok());
    let year = |field: &str| number(field, 4..=4).and_then(|value| i32::try_from(value).ok());
    let made = |year: Option<i32>, month: Option<u8>, day: Option<u8>| match (year, month, day) {
        (Some(year), Some(month), Some(day)) => Day::from_ymd(year, month, day),
        _ => None,
    };
    let found = match separator {
        '-' => made(year(first), small(second), small(third)),
        '.' => made(year(third), small(second), small(first)),
        _ => {
            let day_first = made(year(third), small(second), small(first));
            let month_first = made(year(third), small(first), small(second));
            return match order {
                Some(DateOrder::DayFirst) => day_first.map_or(Cell::NotDate, Cell::Date),
                Some(DateOrder::MonthFirst) => month_first.map_or(Cell::NotDate, Cell::Date),
                None if day_first.is_none() && month_first.is_none() => Cell::NotDate,
                None => Cell::Slashed { day_first, month_first },
            };
        }
    };
    found.map_or(Cell::NotDate, Cell::Date)
}

/// `hh:mm`, `hh:mm:ss` or `hh:mm:ss.fff`.
fn is_time_of_day(text: &str) -> bool {
    let parts: Vec<&str> = text.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

fn excel_cell(text: &str) -> Cell {
    match crate::data::parse_number(text, crate::data::DecimalMark::Point) {
        Some(serial) => Day::from_excel_serial(serial).map_or(Cell::NotDate, Cell::Date),
        None => Cell::NotDate,
    }
}

/// The order of slashed dates among `columns`: the user's when given, else what the data decides.
///
/// # Errors
/// Cells that decide both ways (a file mixing the two), or slashed dates that no cell decides
/// and no choice was made: the message names the column and an ambiguous cell.
pub fn date_order(table: &Table, columns: &[&str], chosen: Option<DateOrder>) -> Result<Option<DateOrder>, Error> {
    if chosen.is_some() {
        return Ok(chosen);
    }
    let mut day_first_example: Option<(String, usize, String)> = None;
    let mut month_first_example: Option<(String, usize, String)> = None;
    let mut ambiguous: Option<(String, usize, String)> = None;
    for name in columns {
        let Ok(column) = table.column(name) else { continue };
        let ColumnData::Text { codes, levels, .. } = &column.data else { continue };
        // Each level is read once; the first row holding it is the example.
        let mut first_row = vec![usize::MAX; levels.len()];
        for (row, code) in codes.iter().enumerate() {
            if let Some(slot) = first_row.get_mut(*code as usize) {
                if *slot == usize::MAX {
                    *slot = row;
                }
            }
        }
        for (level, text) in levels.iter().enumerate() {
            let Cell::Slashed { day_first, month_first } = read_cell(text, None) else { continue };
            let row = first_row.get(level).copied().filter(|row| *row != usize::MAX).unwrap_or(0);
            let example =
                || (column.name.clone(), table.spreadsheet_rows.get(row).map_or(0, |r| *r as usize), text.clone());
            match (day_first, month_first) {
                (Some(_), None) => {
                    day_first_example.get_or_insert_with(example);
                }
                (None, Some(_)) => {
                    month_first_example.get_or_insert_with(example);
                }
                (Some(a), Some(b)) if a != b => {
                    ambiguous.get_or_insert_with(example);
                }
                _ => {}
            }
        }
    }
    match (day_first_example, month_first_example, ambiguous) {
        (Some((column_a, row_a, a)), Some((column_b, row_b, b)), _) => Err(Error::invalid_option(
            "date_order",
            format!(
                "the dates mix day-first and month-first: column \"{column_a}\", row {row_a}: \"{a}\" can only be \
                 dd/mm/yyyy, but column \"{column_b}\", row {row_b}: \"{b}\" can only be mm/dd/yyyy; correct the \
                 file so that all dates are written one way"
            ),
        )),
        (Some(_), None, _) => Ok(Some(DateOrder::DayFirst)),
        (None, Some(_), _) => Ok(Some(DateOrder::MonthFirst)),
        (None, None, Some((column, row, text))) => Err(Error::invalid_option(
            "date_order",
            format!(
                "column \"{column}\", row {row}: \"{text}\" could be day first or month first, and no date in the \
                 file decides it; choose dd/mm/yyyy or mm/dd/yyyy (\"date_order\" in the study)"
            ),
        )),
        (None, None, None) => Ok(None),
    }
}

/// A column of dates: `None` for a blank cell. Read with [`date_order`]'s order.
///
/// # Errors
/// [`Error::NotDate`] listing every filled cell that is not a date in one of the forms above.
pub fn date_column(table: &Table, name: &str, order: Option<DateOrder>) -> Result<Vec<Option<Day>>, Error> {
    let column = table.column(name.trim())?;
    let mut bad = BadCells::default();
    let days = match &column.data {
        ColumnData::Numeric(values) => values
            .iter()
            .enumerate()
            .map(|(row, value)| {
                if value.is_nan() {
                    return None;
                }
                let day = Day::from_excel_serial(*value);
                if day.is_none() {
                    bad.push(table.spreadsheet_row(row), &column.cell_text(row));
                }
                day
            })
            .collect(),
        ColumnData::Text { codes, levels, .. } => {
            let read: Vec<Option<Day>> = levels
                .iter()
                .map(|text| match read_cell(text, order) {
                    Cell::Date(day) => Some(day),
                    // Undecided slashed dates were refused by `date_order`; one that reads the
                    // same both ways is that date.
                    Cell::Slashed { day_first, month_first } if day_first == month_first => day_first,
                    _ => None,
                })
                .collect();
            codes
                .iter()
                .enumerate()
                .map(|(row, code)| {
                    let level = *code as usize;
                    if *code == super::column::MISSING_CODE {
                        return None;
                    }
                    let day = read.get(level).copied().flatten();
                    if day.is_none() {
                        bad.push(table.spreadsheet_row(row), levels.get(level).map_or("", String::as_str));
                    }
                    day
                })
                .collect()
        }
    };
    if bad.is_empty() {
        Ok(days)
    } else {
        Err(Error::NotDate { column: column.name.clone(), cells: bad, order: order.map(DateOrder::pattern) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ReadOptions;

    fn day(text: &str) -> Day {
        Day::parse_iso(text).unwrap()
    }

    fn column(csv: &str, order: Option<DateOrder>) -> Result<Vec<Option<Day>>, Error> {
        let table = Table::parse(csv, &ReadOptions::default()).unwrap();
        let order = date_order(&table, &["d"], order)?;
        date_column(&table, "d", order)
    }

    #[test]
    fn reads_iso_dates_with_or_without_a_time() {
        let days = column("d\n2015-07-11\n2016-02-29\nNA\n2015-07-11 00:00:00\n2015-07-11T10:30\n", None).unwrap();
        assert_eq!(
            days,
            vec![
                Some(day("2015-07-11")),
                Some(day("2016-02-29")),
                None,
                Some(day("2015-07-11")),
                Some(day("2015-07-11"))
            ]
        );
        assert_eq!(day("2016-03-01").days_since(day("2016-02-28")), 2);
        assert_eq!(day("2015-07-11").to_string(), "2015-07-11");
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        let message = column("d\n2015-02-29\n2015-13-01\n11/07/15\nsoon\n2015-07-11 noon\n2015-07-11\n", None)
            .unwrap_err()
            .to_string();
        assert!(message.contains("column \"d\""), "{message}");
        for cell in
            ["row 2: \"2015-02-29\"", "row 3: \"2015-13-01\"", "row 4: \"11/07/15\"", "row 5: \"soon\"", "row 6"]
        {
            assert!(message.contains(cell), "{cell} in {message}");
        }
        assert!(!message.contains("row 7"), "{message}");
    }

    #[test]
    fn reads_dotted_dates_day_first() {
        assert_eq!(
            column("d\n11.07.2015\n1.2.2016\n", None).unwrap(),
            vec![Some(day("2015-07-11")), Some(day("2016-02-01"))]
        );
    }

    #[test]
    fn slashed_dates_decided_by_the_data() {
        // 25/03 can only be day first, so 04/05 is 4 May.
        assert_eq!(
            column("d\n04/05/2015\n25/03/2015\n", None).unwrap(),
            vec![Some(day("2015-05-04")), Some(day("2015-03-25"))]
        );
        // 03/25 can only be month first, so 04/05 is 5 April.
        assert_eq!(
            column("d\n04/05/2015\n03/25/2015\n", None).unwrap(),
            vec![Some(day("2015-04-05")), Some(day("2015-03-25"))]
        );
        // The same both ways decides nothing and needs no choice.
        assert_eq!(column("d\n05/05/2015\n", None).unwrap(), vec![Some(day("2015-05-05"))]);
    }

    #[test]
    fn ambiguous_slashed_dates_need_a_choice() {
        let message = column("d\n05/05/2015\n04/05/2015\n", None).unwrap_err().to_string();
        assert!(message.contains("column \"d\", row 3: \"04/05/2015\" could be day first or month first"), "{message}");
        assert!(message.contains("dd/mm/yyyy or mm/dd/yyyy"), "{message}");
        assert_eq!(column("d\n04/05/2015\n", Some(DateOrder::DayFirst)).unwrap(), vec![Some(day("2015-05-04"))]);
        assert_eq!(column("d\n04/05/2015\n", Some(DateOrder::MonthFirst)).unwrap(), vec![Some(day("2015-04-05"))]);
        // A choice the data contradicts lists the cells that are no date that way.
        let message = column("d\n25/03/2015\n", Some(DateOrder::MonthFirst)).unwrap_err().to_string();
        assert!(message.contains("row 2: \"25/03/2015\"") && message.contains("mm/dd/yyyy"), "{message}");
        let message = column("d\n25/03/2015\n03/25/2015\n", None).unwrap_err().to_string();
        assert!(message.contains("mix day-first and month-first"), "{message}");
    }

    #[test]
    fn reads_excel_serials_in_the_1900_system() {
        // Excel: 42196 is 2015-07-11, 61 is 1900-03-01, 59 is 1900-02-28, 1 is 1900-01-01.
        let days = column("d\n42196\n42196.75\n61\n59\n1\n", None).unwrap();
        let expected = ["2015-07-11", "2015-07-11", "1900-03-01", "1900-02-28", "1900-01-01"];
        assert_eq!(days, expected.iter().map(|text| Some(day(text))).collect::<Vec<_>>());
        // 60 is Excel's 1900-02-29, which never was; 0 and negatives are no dates.
        let message = column("d\n60\n0\n-5\n3000000\n42196\n", None).unwrap_err().to_string();
        assert!(message.contains("row 2: \"60\"") && message.contains("row 5: \"3000000\""), "{message}");
        assert!(!message.contains("row 6"), "{message}");
    }

    #[test]
    fn no_text_panics() {
        for text in [
            "",
            "-",
            "--",
            "//",
            "..",
            "1/2/",
            "9999-12-31",
            "0000-01-01",
            "2015-07-11T",
            "2015-07-11 1",
            "１２/０３/２０１５",
            "2015-07-11 00:00:00:00",
            "99999999999999999999",
            "1e308",
            "NaN",
        ] {
            let _ = read_cell(text, None);
            let _ = read_cell(text, Some(DateOrder::MonthFirst));
        }
        assert_eq!(Day::parse_iso("9999-12-31").map(|d| d.to_string()), Some("9999-12-31".into()));
        assert_eq!(Day::parse_iso("0000-01-01"), None);
        assert_eq!(Day::from_unix_seconds(0), day("1970-01-01"));
        assert_eq!(Day::from_unix_seconds(-1), day("1969-12-31"));
        let _ = Day::from_unix_seconds(i64::MAX);
        let _ = Day::from_unix_seconds(i64::MIN);
    }
}
