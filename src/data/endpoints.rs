//! Endpoints from dates: follow-up times and statuses computed from an origin date, the way a
//! clinical study defines them, so that OS, LFS and relapse/NRM are not worked out by hand.
//!
//! Every time is counted in days from the origin date (day 0: CAR-T infusion, diagnosis,
//! randomisation) and given in the definition's unit:
//!   days, months = days / 30.4375, years = days / 365.25 (30.4375 = 365.25 / 12).
//! A blank date cell means the event did not happen (or, for an exposure, never happened).
//!
//! - **Time to event** ([`TimeToEvent`]): the first of the event dates, else the censoring date.
//!   `time` = (first event or censoring date) - origin, `event` = 1 when an event came first,
//!   0 when censored. OS: events `[death_date]`, censored at `last_contact_date`; LFS: events
//!   `[relapse_date, death_date]`. As `Surv(time, event)` takes them.
//! - **Competing causes** ([`CompetingCauses`]): the first of the cause dates, coded 1, 2, … in
//!   the order given, 0 when censored; two causes on the same day count as the one listed
//!   first (relapse and death on one day: relapse). Relapse = 1, death without relapse = 2, as
//!   `cmprsk::cuminc(ftime, fstatus)` takes them.
//! - **Time to exposure** ([`TimeToExposure`]): exposure date - origin (transplant), missing when
//!   never exposed; for landmark and time-dependent analyses.
//!
//! Impossible data is listed per row ([`ImpossibleRow`]: spreadsheet row and patient id), never
//! dropped silently:
//! - a blank origin date; no event date and no censoring date (no follow-up to measure);
//! - any date before the origin (`before_origin`);
//! - an event date after the censoring date (`last_contact_before_event`). This is how death
//!   before relapse shows: the dead patient's last contact is the death date (or earlier), so a
//!   relapse after death is a relapse after last contact. No order between the event dates
//!   themselves is assumed (relapse and progression may come either way);
//! - a date after today (`future_date`; today is an input, so results are reproducible);
//! - an exposure after the end of follow-up (`exposure_after_follow_up`), when an end column
//!   is given.
//!
//! By default the derivation then fails with the whole list; with `exclude_impossible` those
//! rows are missing in the derived columns and [`Derived::excluded`] lists them.

use serde::{Deserialize, Serialize};

use super::column::{Column, ColumnData};
use super::dates::{date_column, date_order, DateOrder, Day};
use super::table::Table;
use crate::error::{Error, Impossibility, ImpossibleRow};

/// Days in a month and a year, on average over the Gregorian 400-year cycle's Julian
/// approximation: the conventions of clinical reports (and of R users' `days / 30.4375`).
pub const DAYS_PER_MONTH: f64 = 30.4375;
pub const DAYS_PER_YEAR: f64 = 365.25;

/// The unit of derived times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    Days,
    /// days / 30.4375
    Months,
    /// days / 365.25
    Years,
}

impl TimeUnit {
    pub fn from_days(self, days: i64) -> f64 {
        let days = days as f64;
        match self {
            TimeUnit::Days => days,
            TimeUnit::Months => days / DAYS_PER_MONTH,
            TimeUnit::Years => days / DAYS_PER_YEAR,
        }
    }
}

/// What every endpoint from dates has: its origin, unit and how to read and check its dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DateEndpoint {
    /// Column of the origin date, time 0 (CAR-T infusion, diagnosis, randomisation)
    pub origin: String,
    /// The unit of the derived times: days, months (days / 30.4375) or years (days / 365.25)
    pub unit: TimeUnit,
    /// How dates written with slashes are read when no date in the file decides it
    #[serde(default)]
    pub date_order: Option<DateOrder>,
    /// Column of patient ids, named beside the row in the list of impossible dates
    #[serde(default)]
    pub id: Option<String>,
    /// Make rows with impossible dates missing in the derived columns (and list them) instead
    /// of refusing the file
    #[serde(default)]
    pub exclude_impossible: bool,
}

/// Time to the first of a set of event dates, censored at a censoring date: two columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TimeToEvent {
    /// The new column of times, in the unit
    pub time: String,
    /// The new column of events: 1 when an event came first, 0 when censored
    pub event: String,
    /// Columns of event dates; the first filled one is the event (blank = did not happen)
    pub events: Vec<String>,
    /// Column of the censoring date (last contact)
    pub censor: String,
    #[serde(flatten)]
    pub dates: DateEndpoint,
}

/// The first of several dated causes, coded 1, 2, … in the order given, 0 when censored: two
/// columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CompetingCauses {
    /// The new column of times, in the unit
    pub time: String,
    /// The new column of status: 0 censored, k when the k-th cause came first
    pub status: String,
    /// Columns of the causes' dates, in the order of their codes (a tie goes to the first)
    pub causes: Vec<String>,
    /// Column of the censoring date (last contact)
    pub censor: String,
    #[serde(flatten)]
    pub dates: DateEndpoint,
}

/// The time from the origin to an exposure (transplant), missing when never exposed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TimeToExposure {
    /// The new column of times, in the unit
    pub name: String,
    /// Column of the exposure date (blank = never exposed)
    pub exposure: String,
    /// Column of the end of follow-up (last contact); an exposure after it is impossible
    #[serde(default)]
    pub end: Option<String>,
    #[serde(flatten)]
    pub dates: DateEndpoint,
}

/// Columns derived from dates, and the rows left out of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    pub columns: Vec<Column>,
    /// Rows made missing for impossible dates (only with `exclude_impossible`), one entry per
    /// problem found.
    pub excluded: Vec<ImpossibleRow>,
}

impl TimeToEvent {
    /// The columns `time` and `event`.
    ///
    /// # Errors
    /// A column that is missing or holds no dates, ambiguous slashed dates, or impossible dates
    /// (unless excluded).
    pub fn derive(&self, table: &Table, today: Day) -> Result<Derived, Error> {
        let columns = (self.time.as_str(), self.event.as_str());
        first_event_columns(table, &self.dates, (&self.events, &self.censor), today, columns, |cause| {
            f64::from(u8::from(cause > 0))
        })
    }

    pub fn names(&self) -> Vec<&str> {
        vec![self.time.trim(), self.event.trim()]
    }

    pub fn sources(&self) -> Vec<&str> {
        first_event_sources(&self.dates, &self.events, &self.censor)
    }
}

impl CompetingCauses {
    /// The columns `time` and `status`.
    ///
    /// # Errors
    /// As [`TimeToEvent::derive`].
    pub fn derive(&self, table: &Table, today: Day) -> Result<Derived, Error> {
        let columns = (self.time.as_str(), self.status.as_str());
        first_event_columns(table, &self.dates, (&self.causes, &self.censor), today, columns, |cause| cause as f64)
    }

    pub fn names(&self) -> Vec<&str> {
        vec![self.time.trim(), self.status.trim()]
    }

    pub fn sources(&self) -> Vec<&str> {
        first_event_sources(&self.dates, &self.causes, &self.censor)
    }
}

impl TimeToExposure {
    /// The column `name`: days (in the unit) from origin to exposure, missing when never exposed.
    ///
    /// # Errors
    /// As [`TimeToEvent::derive`].
    pub fn derive(&self, table: &Table, today: Day) -> Result<Derived, Error> {
        let end = self.end.as_deref().map(str::trim).filter(|name| !name.is_empty());
        let mut columns = vec![self.exposure.trim()];
        columns.extend(end);
        let read = read_dates(table, &self.dates, &columns)?;
        let (origin, exposure) = (&read.origin, &read.dates[0]);
        let end_days = end.map(|_| &read.dates[1]);
        let mut rows: Vec<Result<Option<i64>, Vec<ImpossibleRow>>> = Vec::with_capacity(origin.len());
        for row in 0..origin.len() {
            let mut checks = RowChecks::new(table, &read, row, today);
            let Some(start) = origin[row] else {
                checks.missing_origin(&self.dates.origin);
                rows.push(Err(checks.problems));
                continue;
            };
            checks.date(self.exposure.trim(), exposure[row], start, &self.dates.origin);
            if let (Some(end), Some(name)) = (end_days, end) {
                checks.date(name, end[row], start, &self.dates.origin);
                if let (Some(exposed), Some(finish)) = (exposure[row], end[row]) {
                    if exposed > finish {
                        checks.push(
                            Impossibility::ExposureAfterFollowUp,
                            format!("{} {exposed} is after {name} {finish}", self.exposure.trim()),
                        );
                    }
                }
            }
            rows.push(if checks.problems.is_empty() {
                Ok(exposure[row].map(|day| day.days_since(start)))
            } else {
                Err(checks.problems)
            });
        }
        let label = format!("\"{}\"", self.name.trim());
        let (values, excluded) = settle(rows, self.dates.exclude_impossible, &label)?;
        let unit = self.dates.unit;
        let time = values.iter().map(|row| row.flatten().map_or(f64::NAN, |days| unit.from_days(days))).collect();
        Ok(Derived { columns: vec![numeric(&self.name, time)], excluded })
    }

    pub fn names(&self) -> Vec<&str> {
        vec![self.name.trim()]
    }

    pub fn sources(&self) -> Vec<&str> {
        let mut sources = self.dates.sources();
        sources.push(self.exposure.trim());
        sources.extend(self.end.as_deref().map(str::trim).filter(|name| !name.is_empty()));
        sources
    }
}

impl DateEndpoint {
    fn sources(&self) -> Vec<&str> {
        let mut sources = vec![self.origin.trim()];
        sources.extend(self.id.as_deref().map(str::trim).filter(|name| !name.is_empty()));
        sources
    }
}

/// The origin and the other date columns of a definition, read with one slashed-date order.
struct ReadDates {
    origin: Vec<Option<Day>>,
    dates: Vec<Vec<Option<Day>>>,
    ids: Option<Vec<String>>,
}

/// # Errors
/// Every column that is missing or holds cells that are not dates (all listed), or slashed
/// dates whose order nothing decides.
fn read_dates(table: &Table, endpoint: &DateEndpoint, columns: &[&str]) -> Result<ReadDates, Error> {
    if columns.iter().any(|name| name.is_empty()) || endpoint.origin.trim().is_empty() {
        return Err(Error::invalid_option("derived", "name every date column (origin, events, censoring date)"));
    }
    let mut all = vec![endpoint.origin.trim()];
    all.extend(columns);
    let order = date_order(table, &all, endpoint.date_order)?;
    let mut errors = Vec::new();
    let mut read = Vec::with_capacity(all.len());
    for name in &all {
        match date_column(table, name, order) {
            Ok(days) => read.push(days),
            Err(error) => errors.push(error),
        }
    }
    let ids = match endpoint.id.as_deref().map(str::trim).filter(|name| !name.is_empty()) {
        Some(name) => match table.column(name) {
            Ok(column) => Some((0..column.len()).map(|row| column.cell_text(row)).collect()),
            Err(error) => {
                errors.push(error);
                None
            }
        },
        None => None,
    };
    if let Some(error) = Error::combine(errors) {
        return Err(error);
    }
    let origin = read.remove(0);
    Ok(ReadDates { origin, dates: read, ids })
}

/// The problems of one row, as they are found.
struct RowChecks<'a> {
    row: usize,
    id: Option<&'a str>,
    today: Day,
    problems: Vec<ImpossibleRow>,
}

impl<'a> RowChecks<'a> {
    fn new(table: &Table, read: &'a ReadDates, row: usize, today: Day) -> RowChecks<'a> {
        let id = read.ids.as_ref().and_then(|ids| ids.get(row)).map(String::as_str).filter(|id| !id.is_empty());
        RowChecks { row: table.spreadsheet_row(row), id, today, problems: Vec::new() }
    }

    fn push(&mut self, problem: Impossibility, detail: String) {
        self.problems.push(ImpossibleRow { row: self.row, id: self.id.map(str::to_string), problem, detail });
    }

    fn missing_origin(&mut self, origin: &str) {
        self.push(Impossibility::MissingOrigin, format!("{} is blank", origin.trim()));
    }

    /// A date of the row: not before the origin, not after today.
    fn date(&mut self, name: &str, date: Option<Day>, origin: Day, origin_name: &str) {
        let Some(date) = date else { return };
        if date < origin {
            self.push(Impossibility::BeforeOrigin, format!("{name} {date} is before {} {origin}", origin_name.trim()));
        }
        if date > self.today {
            self.push(Impossibility::FutureDate, format!("{name} {date} is after today ({})", self.today));
        }
    }
}

/// For each row, the days from origin to the first event (or the censoring date) and the event's
/// code (1, 2, … in the order of `events`; 0 censored), or the row's problems.
#[allow(clippy::type_complexity)]
fn first_event(
    table: &Table,
    endpoint: &DateEndpoint,
    events: &[String],
    censor: &str,
    today: Day,
) -> Result<Vec<Result<(i64, usize), Vec<ImpossibleRow>>>, Error> {
    if events.is_empty() {
        return Err(Error::invalid_option("events", "give at least one column of event dates"));
    }
    let mut columns: Vec<&str> = events.iter().map(|name| name.trim()).collect();
    columns.push(censor.trim());
    let read = read_dates(table, endpoint, &columns)?;
    let censor_days = &read.dates[events.len()];
    let mut rows = Vec::with_capacity(read.origin.len());
    for (row, (origin, censored)) in read.origin.iter().zip(censor_days).enumerate() {
        let mut checks = RowChecks::new(table, &read, row, today);
        let Some(start) = *origin else {
            checks.missing_origin(&endpoint.origin);
            rows.push(Err(checks.problems));
            continue;
        };
        if start > today {
            checks.push(
                Impossibility::FutureDate,
                format!("{} {start} is after today ({today})", endpoint.origin.trim()),
            );
        }
        let censored = *censored;
        let mut first: Option<(Day, usize)> = None;
        for (index, name) in columns.iter().enumerate().take(events.len()) {
            let Some(date) = read.dates[index][row] else { continue };
            checks.date(name, Some(date), start, &endpoint.origin);
            if let Some(last) = censored {
                if date > last {
                    checks.push(
                        Impossibility::LastContactBeforeEvent,
                        format!("{} {last} is before {name} {date}", censor.trim()),
                    );
                }
            }
            if first.is_none_or(|(earliest, _)| date < earliest) {
                first = Some((date, index + 1));
            }
        }
        checks.date(censor.trim(), censored, start, &endpoint.origin);
        let end = match (first, censored) {
            (Some((date, cause)), _) => Some((date, cause)),
            (None, Some(date)) => Some((date, 0)),
            (None, None) => {
                checks
                    .push(Impossibility::NoFollowUp, format!("{} is blank and so is every event date", censor.trim()));
                None
            }
        };
        rows.push(match end {
            Some((date, cause)) if checks.problems.is_empty() => Ok((date.days_since(start), cause)),
            _ => Err(checks.problems),
        });
    }
    Ok(rows)
}

/// The rows' values, with impossible rows missing when `exclude` (and listed), else the error.
#[allow(clippy::type_complexity)]
fn settle<T>(
    rows: Vec<Result<T, Vec<ImpossibleRow>>>,
    exclude: bool,
    label: &str,
) -> Result<(Vec<Option<T>>, Vec<ImpossibleRow>), Error> {
    let mut problems = Vec::new();
    let values = rows
        .into_iter()
        .map(|row| match row {
            Ok(value) => Some(value),
            Err(found) => {
                problems.extend(found);
                None
            }
        })
        .collect();
    if problems.is_empty() || exclude {
        Ok((values, problems))
    } else {
        Err(Error::ImpossibleDates { derived: label.to_string(), rows: problems })
    }
}

/// The two columns of a first-of-several-dates endpoint (time to event, competing causes): the
/// time in the definition's unit, and `code` of the first date's cause (0 when censored, else 1
/// + the index of its column), both missing on excluded rows.
fn first_event_columns(
    table: &Table,
    dates: &DateEndpoint,
    (events, censor): (&[String], &str),
    today: Day,
    (time_name, code_name): (&str, &str),
    code: impl Fn(usize) -> f64,
) -> Result<Derived, Error> {
    let first = first_event(table, dates, events, censor, today)?;
    let label = format!("\"{}\" and \"{}\"", time_name.trim(), code_name.trim());
    let (first, excluded) = settle(first, dates.exclude_impossible, &label)?;
    let time = first.iter().map(|row| row.map_or(f64::NAN, |(days, _)| dates.unit.from_days(days))).collect();
    let codes = first.iter().map(|row| row.map_or(f64::NAN, |(_, cause)| code(cause))).collect();
    Ok(Derived { columns: vec![numeric(time_name, time), numeric(code_name, codes)], excluded })
}

/// The columns a first-of-several-dates endpoint reads: the dates', its events' and its censoring's.
fn first_event_sources<'a>(dates: &'a DateEndpoint, events: &'a [String], censor: &'a str) -> Vec<&'a str> {
    let mut sources = dates.sources();
    sources.extend(events.iter().map(|name| name.trim()));
    sources.push(censor.trim());
    sources
}

fn numeric(name: &str, values: Vec<f64>) -> Column {
    Column { name: name.trim().to_string(), data: ColumnData::Numeric(values) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ReadOptions;

    const TODAY: &str = "2026-01-01";

    fn table(csv: &str) -> Table {
        Table::parse(csv, &ReadOptions::default()).unwrap()
    }

    fn dates(unit: TimeUnit) -> DateEndpoint {
        DateEndpoint {
            origin: "start".into(),
            unit,
            date_order: None,
            id: Some("id".into()),
            exclude_impossible: false,
        }
    }

    fn lfs(exclude: bool) -> TimeToEvent {
        TimeToEvent {
            time: "lfs".into(),
            event: "lfs_event".into(),
            events: vec!["relapse".into(), "death".into()],
            censor: "last".into(),
            dates: DateEndpoint { exclude_impossible: exclude, ..dates(TimeUnit::Days) },
        }
    }

    fn values(derived: &Derived, index: usize) -> Vec<f64> {
        let ColumnData::Numeric(values) = &derived.columns[index].data else { panic!() };
        values.clone()
    }

    fn today() -> Day {
        Day::parse_iso(TODAY).unwrap()
    }

    #[test]
    fn time_to_the_first_event_or_censoring() {
        let data = table(
            "id,start,relapse,death,last\n\
             a,2015-01-01,2015-02-01,2015-03-01,2015-03-01\n\
             b,2015-01-01,,2015-01-11,2015-01-11\n\
             c,2015-01-01,,,2016-01-01\n\
             d,2015-01-01,,,2015-01-01\n",
        );
        let derived = lfs(false).derive(&data, today()).unwrap();
        assert_eq!(values(&derived, 0), vec![31.0, 10.0, 365.0, 0.0]);
        assert_eq!(values(&derived, 1), vec![1.0, 1.0, 0.0, 0.0]);
        assert!(derived.excluded.is_empty());
        let months = TimeToEvent { dates: dates(TimeUnit::Months), ..lfs(false) }.derive(&data, today()).unwrap();
        assert_eq!(values(&months, 0)[2], 365.0 / 30.4375);
        let years = TimeToEvent { dates: dates(TimeUnit::Years), ..lfs(false) }.derive(&data, today()).unwrap();
        assert_eq!(values(&years, 0)[2], 365.0 / 365.25);
    }

    #[test]
    fn competing_causes_in_the_order_given() {
        let data = table(
            "id,start,relapse,death,last\n\
             a,2015-01-01,2015-02-01,2015-03-01,2015-03-01\n\
             b,2015-01-01,,2015-01-11,2015-01-11\n\
             c,2015-01-01,,,2016-01-01\n\
             tie,2015-01-01,2015-01-05,2015-01-05,2015-01-05\n",
        );
        let causes = CompetingCauses {
            time: "t".into(),
            status: "s".into(),
            causes: vec!["relapse".into(), "death".into()],
            censor: "last".into(),
            dates: dates(TimeUnit::Days),
        };
        let derived = causes.derive(&data, today()).unwrap();
        assert_eq!(values(&derived, 0), vec![31.0, 10.0, 365.0, 4.0]);
        assert_eq!(values(&derived, 1), vec![1.0, 2.0, 0.0, 1.0]);
    }

    #[test]
    fn time_to_exposure_is_missing_when_never_exposed() {
        let data = table("id,start,hsct,last\na,2015-01-01,2015-03-02,2015-06-01\nb,2015-01-01,,2015-06-01\n");
        let exposure = TimeToExposure {
            name: "hsct_days".into(),
            exposure: "hsct".into(),
            end: Some("last".into()),
            dates: dates(TimeUnit::Days),
        };
        let derived = exposure.derive(&data, today()).unwrap();
        let time = values(&derived, 0);
        assert_eq!(time[0], 60.0);
        assert!(time[1].is_nan());
    }

    /// Each class of impossible data, with its row and patient id.
    #[test]
    fn impossible_dates_are_listed_by_row_and_id() {
        let data = table(
            "id,start,relapse,death,last\n\
             ok,2015-01-01,,,2015-06-01\n\
             early,2015-01-01,2014-12-01,,2015-06-01\n\
             lost,2015-01-01,2015-08-01,,2015-06-01\n\
             dead_first,2015-01-01,2015-09-01,2015-05-01,2015-05-01\n\
             future,2015-01-01,,2027-01-01,2027-01-01\n\
             no_origin,,,,2015-06-01\n\
             nothing,2015-01-01,,,\n",
        );
        let error = lfs(false).derive(&data, today()).unwrap_err();
        let Error::ImpossibleDates { rows, .. } = &error else { panic!("{error}") };
        let found: Vec<(usize, &str, Impossibility)> =
            rows.iter().map(|row| (row.row, row.id.as_deref().unwrap_or(""), row.problem)).collect();
        assert_eq!(
            found,
            vec![
                (3, "early", Impossibility::BeforeOrigin),
                (4, "lost", Impossibility::LastContactBeforeEvent),
                (5, "dead_first", Impossibility::LastContactBeforeEvent),
                (6, "future", Impossibility::FutureDate),
                (6, "future", Impossibility::FutureDate),
                (7, "no_origin", Impossibility::MissingOrigin),
                (8, "nothing", Impossibility::NoFollowUp),
            ]
        );
        let message = error.to_string();
        assert!(message.starts_with("\"lfs\" and \"lfs_event\": 6 rows have impossible dates"), "{message}");
        assert!(message.contains("row 3 (early): relapse 2014-12-01 is before start 2015-01-01"), "{message}");
        assert!(message.contains("row 5 (dead_first): last 2015-05-01 is before relapse 2015-09-01"), "{message}");
        assert!(message.contains("row 6 (future): death 2027-01-01 is after today (2026-01-01)"), "{message}");
        assert!(message.contains("\"exclude_impossible\": true"), "{message}");
    }

    #[test]
    fn impossible_rows_excluded_on_request_and_listed() {
        let data =
            table("id,start,relapse,death,last\nok,2015-01-01,,,2015-01-31\nearly,2015-01-01,2014-12-01,,2015-06-01\n");
        let derived = lfs(true).derive(&data, today()).unwrap();
        let time = values(&derived, 0);
        assert_eq!(time[0], 30.0);
        assert!(time[1].is_nan() && values(&derived, 1)[1].is_nan());
        assert_eq!(derived.excluded.len(), 1);
        assert_eq!((derived.excluded[0].row, derived.excluded[0].id.as_deref()), (3, Some("early")));
    }

    #[test]
    fn an_exposure_after_follow_up_or_before_origin() {
        let data = table(
            "id,start,hsct,last\nlate,2015-01-01,2015-07-01,2015-06-01\nearly,2015-01-01,2014-07-01,2015-06-01\n",
        );
        let exposure = TimeToExposure {
            name: "hsct_days".into(),
            exposure: "hsct".into(),
            end: Some("last".into()),
            dates: dates(TimeUnit::Days),
        };
        let Error::ImpossibleDates { rows, .. } = exposure.derive(&data, today()).unwrap_err() else { panic!() };
        let found: Vec<Impossibility> = rows.iter().map(|row| row.problem).collect();
        assert_eq!(found, vec![Impossibility::ExposureAfterFollowUp, Impossibility::BeforeOrigin]);
    }

    #[test]
    fn unreadable_dates_are_refused_not_excluded() {
        let data = table("id,start,relapse,death,last\na,2015-01-01,soon,,2015-06-01\n");
        let message = lfs(true).derive(&data, today()).unwrap_err().to_string();
        assert!(
            message.contains("column \"relapse\" must hold dates") && message.contains("row 2: \"soon\""),
            "{message}"
        );
        let message =
            TimeToEvent { censor: "lost".into(), ..lfs(false) }.derive(&data, today()).unwrap_err().to_string();
        assert!(message.contains("\"lost\""), "{message}");
    }
}
