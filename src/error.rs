//! The one error type of the engine.
//!
//! Every message is written for the clinician who made the file: it names the row as a
//! spreadsheet numbers it (the header is row 1), the column and the value, and says what to do.
//! Problems that can be listed together (ten bad cells) are reported together, up to
//! [`MAX_LISTED_CELLS`], then "and N more".

use std::fmt;

/// How many offending cells an error lists before it says "and N more".
pub const MAX_LISTED_CELLS: usize = 10;

/// One offending cell: its spreadsheet row and its text as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadCell {
    pub row: usize,
    pub value: String,
}

/// A sample of offending cells in one column: the first [`MAX_LISTED_CELLS`] and the total count.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BadCells {
    pub listed: Vec<BadCell>,
    pub total: usize,
}

impl BadCells {
    pub fn push(&mut self, row: usize, value: &str) {
        if self.listed.len() < MAX_LISTED_CELLS {
            self.listed.push(BadCell { row, value: value.to_string() });
        }
        self.total += 1;
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The first offending row, which front ends show as the error's row.
    pub fn first_row(&self) -> Option<usize> {
        self.listed.first().map(|cell| cell.row)
    }
}

impl fmt::Display for BadCells {
    /// `row 5: "abc", row 9: "n/a" and 3 more`
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, cell) in self.listed.iter().enumerate() {
            if index > 0 {
                formatter.write_str(", ")?;
            }
            write!(formatter, "row {}: \"{}\"", cell.row, cell.value)?;
        }
        let more = self.total - self.listed.len();
        if more > 0 {
            write!(formatter, " and {more} more")?;
        }
        Ok(())
    }
}

/// What makes a row's dates impossible, as endpoints from dates find it (`data::endpoints`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Impossibility {
    /// The origin date (time 0) is blank.
    MissingOrigin,
    /// An event, censoring, exposure or end-of-follow-up date before the origin.
    BeforeOrigin,
    /// A recorded event after the censoring (last contact) date: last contact before a recorded
    /// event. With death's date as the last contact of the dead, this is also death before relapse.
    LastContactBeforeEvent,
    /// A date after today.
    FutureDate,
    /// An exposure (transplant) after the end of follow-up.
    ExposureAfterFollowUp,
    /// No event date and no censoring date: no follow-up to measure.
    NoFollowUp,
}

/// One impossible row: its spreadsheet row, its patient id (when the definition names an id
/// column), what is wrong and the dates that show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImpossibleRow {
    pub row: usize,
    #[serde(default)]
    pub id: Option<String>,
    pub problem: Impossibility,
    /// Such as `relapse_date 2015-01-03 is before car_t_date 2015-09-16`.
    pub detail: String,
}

impl fmt::Display for ImpossibleRow {
    /// `row 5 (P004): relapse_date 2015-01-03 is before car_t_date 2015-09-16`
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "row {}", self.row)?;
        if let Some(id) = &self.id {
            write!(formatter, " ({id})")?;
        }
        write!(formatter, ": {}", self.detail)
    }
}

/// Everything that can go wrong between the user's file and a result.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The file has no header line, or nothing at all.
    EmptyFile,
    /// The CSV itself could not be read (for example invalid UTF-8 or an unclosed quote).
    Csv { row: Option<usize>, message: String },
    /// The file has a header but no data rows.
    NoDataRows,
    /// A header cell is blank.
    EmptyHeader { row: usize, column_number: usize },
    /// Two header cells have the same name.
    DuplicateHeader { row: usize, name: String, first_column: usize, second_column: usize },
    /// Rows with a different number of cells than the header.
    RaggedRows { expected: usize, rows: Vec<(usize, usize)>, total: usize },
    /// A column name given by the user is not in the file.
    UnknownColumn { name: String, available: Vec<String> },
    /// A column that must hold numbers holds text in some cells.
    NotNumeric { column: String, cells: BadCells, decimal_comma_hint: bool, thousands_hint: bool },
    /// A quoted cell whose closing quote never comes: the reader would take the rest of the file.
    UnclosedQuote { row: usize, column: Option<String>, column_number: usize },
    /// More of something than survkit analyses (columns, groups, levels), with why and what to do.
    TooMany { what: String, found: usize, limit: usize, advice: String },
    /// Cells of a date column that are not dates; `order` is the slashed-date order they were
    /// read with, when one was chosen or decided.
    NotDate { column: String, cells: BadCells, order: Option<&'static str> },
    /// Rows whose dates cannot all be true, every one listed, for the derived columns `derived`.
    ImpossibleDates { derived: String, rows: Vec<ImpossibleRow> },
    /// Negative follow-up times.
    NegativeTime { column: String, cells: BadCells },
    /// Counting-process rows whose start is not before their stop (`Surv(start, stop, event)`).
    StartNotBeforeStop { column: String, stop: String, cells: BadCells },
    /// Values in an event column that mean neither event nor censored.
    UnrecognisedEvent { column: String, cells: BadCells },
    /// An event column coded 0/1/2, as a competing-risks status is.
    CompetingStatus { column: String },
    /// Covariate values beyond +-`limit` (`data::MAX_COVARIATE_MAGNITUDE`), so large that a
    /// model's sums of squares overflow.
    CovariateTooLarge { column: String, cells: BadCells, limit: f64 },
    /// A time point, option or request field the user gave is not valid.
    InvalidOption { option: String, message: String },
    /// After dropping rows with missing values, nothing is left to analyse.
    NoCompleteRows { dropped: usize },
    /// The analysis needs at least two groups.
    TooFewGroups { column: Option<String>, found: usize },
    /// A computation has no answer on these data (for example a singular variance matrix).
    NotEstimable { what: String, reason: String },
    /// Several independent problems, all reported at once so the user can fix them in one go.
    Several(Vec<Error>),
}

impl Error {
    /// The spreadsheet row the error is about, when it is about one.
    pub fn row(&self) -> Option<usize> {
        match self {
            Error::Csv { row, .. } => *row,
            Error::UnclosedQuote { row, .. } => Some(*row),
            Error::EmptyHeader { row, .. } | Error::DuplicateHeader { row, .. } => Some(*row),
            Error::RaggedRows { rows, .. } => rows.first().map(|(row, _)| *row),
            Error::NotNumeric { cells, .. }
            | Error::NegativeTime { cells, .. }
            | Error::StartNotBeforeStop { cells, .. }
            | Error::CovariateTooLarge { cells, .. }
            | Error::UnrecognisedEvent { cells, .. }
            | Error::NotDate { cells, .. } => cells.first_row(),
            Error::ImpossibleDates { rows, .. } => rows.first().map(|row| row.row),
            Error::Several(errors) => errors.first().and_then(Error::row),
            _ => None,
        }
    }

    /// The column the error is about, when it is about one.
    pub fn column(&self) -> Option<&str> {
        match self {
            Error::DuplicateHeader { name, .. } | Error::UnknownColumn { name, .. } => Some(name),
            Error::NotNumeric { column, .. }
            | Error::NegativeTime { column, .. }
            | Error::StartNotBeforeStop { column, .. }
            | Error::CovariateTooLarge { column, .. }
            | Error::UnrecognisedEvent { column, .. }
            | Error::NotDate { column, .. } => Some(column),
            Error::TooFewGroups { column, .. } => column.as_deref(),
            Error::CompetingStatus { column } => Some(column),
            Error::UnclosedQuote { column, .. } => column.as_deref(),
            Error::Several(errors) => errors.first().and_then(Error::column),
            _ => None,
        }
    }

    /// One error, or all of them together; `None` when the list is empty.
    pub(crate) fn combine(mut errors: Vec<Error>) -> Option<Error> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(Error::Several(errors)),
        }
    }

    pub(crate) fn invalid_option(option: &str, message: impl Into<String>) -> Error {
        Error::InvalidOption { option: option.to_string(), message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::EmptyFile => formatter
                .write_str("the file is empty: it needs a header row naming the columns, then one row per patient"),
            Error::Csv { row: Some(row), message } => {
                write!(formatter, "row {row}: the file could not be read as CSV ({message})")
            }
            Error::Csv { row: None, message } => {
                write!(formatter, "the file could not be read as CSV ({message})")
            }
            Error::NoDataRows => {
                formatter.write_str("the file has a header but no data rows: add one row per patient under the header")
            }
            Error::EmptyHeader { row, column_number } => {
                write!(formatter, "row {row}, column {column_number}: the header is blank; give every column a name")
            }
            Error::DuplicateHeader { row, name, first_column, second_column } => write!(
                formatter,
                "row {row}, column \"{name}\": the name is used twice (columns {first_column} and \
                 {second_column}); rename one of them"
            ),
            Error::RaggedRows { expected, rows, total } => {
                write!(formatter, "the header has {expected} columns but ")?;
                for (index, (row, cells)) in rows.iter().enumerate() {
                    if index > 0 {
                        formatter.write_str(", ")?;
                    }
                    write!(formatter, "row {row} has {cells}")?;
                }
                let more = total - rows.len();
                if more > 0 {
                    write!(formatter, " and {more} more rows differ")?;
                }
                formatter.write_str(
                    "; check for a stray delimiter, a value with an unquoted delimiter in it, \
                     or choose the right delimiter",
                )
            }
            Error::UnknownColumn { name, available } => {
                write!(formatter, "column \"{name}\" is not in the file; its columns are {}", quoted_list(available))
            }
            Error::NotNumeric { column, cells, decimal_comma_hint, thousands_hint } => {
                write!(
                    formatter,
                    "column \"{column}\" must hold numbers, but {} not: {cells}",
                    if cells.total == 1 { "this cell is" } else { "these cells are" }
                )?;
                if *thousands_hint && *decimal_comma_hint {
                    formatter.write_str(
                        " (these look like numbers with a thousands separator, such as 1,200 for 1200, or with \
                         decimal commas: for thousands separators, format the cells without them in the \
                         spreadsheet and save again; for decimal commas, choose \",\" as the decimal mark)",
                    )
                } else if *thousands_hint {
                    formatter.write_str(
                        " (these look like numbers with a thousands separator, such as 1,200 for 1200: format the \
                         cells without separators in the spreadsheet and save again)",
                    )
                } else if *decimal_comma_hint {
                    formatter.write_str(" (the file seems to use decimal commas: choose \",\" as the decimal mark)")
                } else {
                    formatter.write_str("; correct them, leave them blank, or declare the text a missing-value code")
                }
            }
            Error::NotDate { column, cells, order } => {
                write!(
                    formatter,
                    "column \"{column}\" must hold dates, but {} not: {cells}; write dates as yyyy-mm-dd, \
                     dd.mm.yyyy, dd/mm/yyyy or mm/dd/yyyy (four-digit years), or as Excel serial numbers",
                    if cells.total == 1 { "this cell is" } else { "these cells are" }
                )?;
                match order {
                    Some(order) => write!(formatter, " (dates with slashes are read as {order} here)"),
                    None => Ok(()),
                }
            }
            Error::ImpossibleDates { derived, rows } => {
                let count = rows.iter().map(|row| row.row).collect::<std::collections::BTreeSet<_>>().len();
                write!(
                    formatter,
                    "{derived}: {} impossible dates; correct the file, or exclude {} from these columns \
                     (\"exclude_impossible\": true in the study):",
                    if count == 1 { "1 row has".to_string() } else { format!("{count} rows have") },
                    if count == 1 { "it" } else { "them" }
                )?;
                for row in rows {
                    write!(formatter, "\n  {row}")?;
                }
                Ok(())
            }
            Error::NegativeTime { column, cells } => write!(
                formatter,
                "column \"{column}\" holds negative times: {cells}; times are counted from the \
                 start of follow-up and cannot be negative, so check the dates these came from"
            ),
            Error::StartNotBeforeStop { column, stop, cells } => write!(
                formatter,
                "column \"{column}\" holds start times that are not before the stop time in \"{stop}\": \
                 {cells}; each row is an interval (start, stop] of follow-up, as R's Surv(start, stop, event) \
                 requires (\"stop time must be > start time\"), so correct those rows or drop them"
            ),
            Error::CovariateTooLarge { column, cells, limit } => write!(
                formatter,
                "column \"{column}\" holds values too large for a model (beyond +-{limit:e}, whose \
                 squares overflow): {cells}; rescale the column, for example express it in larger \
                 units"
            ),
            Error::UnrecognisedEvent { column, cells } => write!(
                formatter,
                "column \"{column}\" does not say event or censored: {cells}; use 0/1, 1/2 \
                 (2 = event), TRUE/FALSE, yes/no or dead/alive, or name the value that means an \
                 event (event value)"
            ),
            Error::InvalidOption { option, message } => write!(formatter, "{option}: {message}"),
            Error::CompetingStatus { column } => write!(
                formatter,
                "column \"{column}\" holds three codes, 0, 1 and 2, as a competing-risks status does (0 censored, \
                 1 and 2 two kinds of event): for the incidence of each cause use the competing-risks analysis \
                 (cif) with \"{column}\" as the status; for one kind of event, give its code as the event value \
                 (the other codes then count as censored)"
            ),
            Error::UnclosedQuote { row, column, column_number } => {
                write!(formatter, "row {row}, ")?;
                match column {
                    Some(name) => write!(formatter, "column \"{name}\"")?,
                    None => write!(formatter, "column {column_number}")?,
                }
                formatter.write_str(
                    ": a quote (\") opens this cell and is never closed, so everything after it to the end of the \
                     file would be read as this one cell; add the closing quote, or remove the opening one",
                )
            }
            Error::TooMany { what, found, limit, advice } => {
                write!(formatter, "{found} {what} is more than survkit analyses (at most {limit}): {advice}")
            }
            Error::NoCompleteRows { dropped } => write!(
                formatter,
                "no row has all the columns this analysis needs ({dropped} rows dropped for \
                 missing values); check the column choices and the missing-value codes"
            ),
            Error::TooFewGroups { column: Some(column), found } => write!(
                formatter,
                "column \"{column}\" has {} among the rows analysed; a comparison needs at least two groups, \
                 so choose another grouping column",
                if *found == 1 { "only one group".to_string() } else { format!("{found} groups") }
            ),
            Error::TooFewGroups { column: None, found } => write!(
                formatter,
                "there {} among the rows analysed; a comparison needs at least two",
                if *found == 1 { "is only one group".to_string() } else { format!("are {found} groups") }
            ),
            Error::NotEstimable { what, reason } => write!(formatter, "{what} cannot be computed: {reason}"),
            Error::Several(errors) => {
                for (index, error) in errors.iter().enumerate() {
                    if index > 0 {
                        formatter.write_str("\n")?;
                    }
                    write!(formatter, "{error}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}

/// `"a", "b", "c"`
pub(crate) fn quoted_list(names: &[String]) -> String {
    names.iter().map(|name| format!("\"{name}\"")).collect::<Vec<_>>().join(", ")
}
