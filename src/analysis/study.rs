//! The saved study: how to read the file, derived columns and the ordered analyses, each a
//! request with its figure settings and a title. It never holds patient data: only column names,
//! levels the user picked and options.
//!
//! `survkit run --study S --data F` and the page's **Open study** replay it: the file is read
//! once, the derived columns are added, every analysis is checked against the table (all
//! problems listed at once, each naming its analysis and field), then each runs in order.

use serde::{Deserialize, Serialize};

use super::analyze_table;
use super::request::{value_exactly, ReadSettings, Request};
use crate::data::{
    cut_column, format_number, ColumnData, CompetingCauses, Day, Derived, ReadOptions, Table, TimeToEvent,
    TimeToExposure, TimeUnit,
};
use crate::error::Error;
use crate::report::{EndpointColumn, EndpointValues, EndpointsReport, ExcludedRows, FigureSettings, Report};

/// The version of the study file this engine writes and reads.
pub const STUDY_VERSION: u32 = 1;

/// A study file (`"survkit_study": 1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Study {
    /// Always 1: the version of the study file.
    pub survkit_study: u32,
    #[serde(default)]
    pub title: Option<String>,
    /// How to read the data file.
    #[serde(default)]
    pub read: ReadSettings,
    /// Columns computed from the file's columns, added before any analysis runs; analyses name
    /// them like file columns.
    #[serde(default)]
    pub derived: Vec<DerivedColumn>,
    /// The analyses, in the order they are run and shown.
    pub analyses: Vec<StudyAnalysis>,
}

/// One analysis of a study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StudyAnalysis {
    #[serde(default)]
    pub title: String,
    pub request: Request,
    /// How its figure looks (for km, cif, cox and finegray); the defaults when absent.
    #[serde(default)]
    pub figure: Option<FigureSettings>,
}

/// A column (or two) computed from the file's columns, by its `"kind"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DerivedColumn {
    /// A categorical column cut from a numeric one at breaks
    Cut(CutColumn),
    /// Time to the first of a set of event dates, censored at a censoring date: a time column
    /// and an event column (1 event, 0 censored), such as OS or LFS
    TimeToEvent(TimeToEvent),
    /// The first of several dated causes, coded 1, 2, … in the order given and 0 when censored,
    /// with its time column, such as relapse (1) and death without relapse (2)
    Competing(CompetingCauses),
    /// The time from the origin to an exposure date (transplant), missing when never exposed
    TimeToExposure(TimeToExposure),
}

/// A categorical column cut from a numeric one at `breaks`, as R's
/// `cut(from, c(-Inf, breaks, Inf), right = FALSE)`: levels `[-Inf,40)`, `[40,60)`, `[60,Inf)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CutColumn {
    /// The new column's name; it must not be a column of the file.
    pub name: String,
    /// The numeric column it is cut from.
    pub from: String,
    /// The cut-points, increasing; a value equal to a break falls in the interval above it.
    pub breaks: Vec<f64>,
}

impl DerivedColumn {
    /// The names of the columns it makes.
    pub fn names(&self) -> Vec<&str> {
        match self {
            DerivedColumn::Cut(cut) => vec![cut.name.trim()],
            DerivedColumn::TimeToEvent(endpoint) => endpoint.names(),
            DerivedColumn::Competing(endpoint) => endpoint.names(),
            DerivedColumn::TimeToExposure(endpoint) => endpoint.names(),
        }
    }

    /// The file's (or earlier derived) columns it reads.
    pub fn sources(&self) -> Vec<&str> {
        match self {
            DerivedColumn::Cut(cut) => vec![cut.from.trim()],
            DerivedColumn::TimeToEvent(endpoint) => endpoint.sources(),
            DerivedColumn::Competing(endpoint) => endpoint.sources(),
            DerivedColumn::TimeToExposure(endpoint) => endpoint.sources(),
        }
    }

    /// The column of patient ids it names.
    pub fn id(&self) -> Option<&str> {
        let dates = match self {
            DerivedColumn::Cut(_) => return None,
            DerivedColumn::TimeToEvent(endpoint) => &endpoint.dates,
            DerivedColumn::Competing(endpoint) => &endpoint.dates,
            DerivedColumn::TimeToExposure(endpoint) => &endpoint.dates,
        };
        dates.id.as_deref().map(str::trim).filter(|name| !name.is_empty())
    }

    /// The unit of the times it makes (none for a cut column).
    pub fn unit(&self) -> Option<TimeUnit> {
        match self {
            DerivedColumn::Cut(_) => None,
            DerivedColumn::TimeToEvent(endpoint) => Some(endpoint.dates.unit),
            DerivedColumn::Competing(endpoint) => Some(endpoint.dates.unit),
            DerivedColumn::TimeToExposure(endpoint) => Some(endpoint.dates.unit),
        }
    }

    /// Its columns on this table, with the rows excluded for impossible dates.
    ///
    /// # Errors
    /// A name already taken, a source column missing or of the wrong kind, dates that are not
    /// dates or impossible (unless excluded).
    pub fn derive(&self, table: &Table, today: Day) -> Result<Derived, Error> {
        for name in self.names() {
            if name.is_empty() {
                return Err(Error::invalid_option("name", "give each derived column a name"));
            }
            if table.names.iter().any(|existing| existing == name) {
                return Err(Error::invalid_option(
                    "name",
                    format!("the file already has a column \"{name}\"; give the derived column another name"),
                ));
            }
        }
        match self {
            DerivedColumn::Cut(cut) => cut_column(table, &cut.name, &cut.from, &cut.breaks)
                .map(|column| Derived { columns: vec![column], excluded: Vec::new() }),
            DerivedColumn::TimeToEvent(endpoint) => endpoint.derive(table, today),
            DerivedColumn::Competing(endpoint) => endpoint.derive(table, today),
            DerivedColumn::TimeToExposure(endpoint) => endpoint.derive(table, today),
        }
    }

    /// How messages name it: `column "age_group"`, `columns "os_months" and "os_event"`.
    fn label(&self) -> String {
        let names: Vec<String> = self.names().iter().map(|name| format!("\"{name}\"")).collect();
        match names.as_slice() {
            [one] => format!("column {one}"),
            _ => format!("columns {}", names.join(" and ")),
        }
    }
}

/// The results of a study, in its order: what `survkit run --format json` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StudyResults {
    pub survkit_study: u32,
    pub title: Option<String>,
    pub analyses: Vec<StudyResult>,
}

/// One analysis of a study with its result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StudyResult {
    pub title: String,
    pub request: Request,
    #[serde(default)]
    pub figure: Option<FigureSettings>,
    pub result: Report,
    /// The p-value its figure prints (see [`super::figure_p_value`]); not part of the JSON.
    #[serde(skip)]
    pub figure_p_value: Option<f64>,
}

impl Study {
    /// Reads a study file: every field known (an unknown one is refused with its path, such as
    /// `analyses[2].request.conf`), the version 1, and each request's options checked.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] listing every problem.
    pub fn from_json(json: &str) -> Result<Study, Error> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|error| Error::invalid_option("study", error.to_string()))?;
        if value.get("survkit_study").and_then(serde_json::Value::as_u64) != Some(u64::from(STUDY_VERSION)) {
            return Err(Error::invalid_option(
                "study",
                "this is not a survkit study file (it has no \"survkit_study\": 1); open a file saved by survkit's \
                 Save study",
            ));
        }
        let study: Study = value_exactly(value, "study")?;
        let problems: Vec<String> = study
            .analyses
            .iter()
            .enumerate()
            .flat_map(|(index, analysis)| {
                analysis
                    .request
                    .problems()
                    .into_iter()
                    .map(move |problem| format!("{}: {problem}", analysis.label(index)))
            })
            .collect();
        if problems.is_empty() {
            Ok(study)
        } else {
            Err(study_problems(&problems))
        }
    }

    /// How to read the data file: the study's read settings, building only the columns its
    /// analyses and derived columns name.
    ///
    /// # Errors
    /// An unknown delimiter or decimal mark.
    pub fn read_options(&self) -> Result<ReadOptions, Error> {
        let derived: Vec<&str> = self.derived.iter().flat_map(DerivedColumn::names).collect();
        let mut columns: Vec<String> = self
            .derived
            .iter()
            .flat_map(DerivedColumn::sources)
            .filter(|name| !derived.contains(name))
            .map(str::to_string)
            .collect();
        for analysis in &self.analyses {
            columns
                .extend(analysis.request.used_columns().into_iter().filter(|name| !derived.contains(&name.as_str())));
        }
        columns.sort();
        columns.dedup();
        Ok(ReadOptions { only_columns: Some(columns), ..self.read.read_options()? })
    }

    /// The study as JSON, as Save study writes it.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The table with the study's derived columns added; `today` is the date after which a date
    /// is in the future.
    ///
    /// # Errors
    /// As [`add_derived`].
    pub fn prepare(&self, table: Table, today: Day) -> Result<Table, Error> {
        add_derived(table, &self.derived, today)
    }

    /// The study's derived columns on the file's table (read with [`Study::read_options`]), row by
    /// row: what `survkit endpoints` writes.
    ///
    /// # Errors
    /// As [`add_derived`].
    pub fn endpoints(&self, table: Table, today: Day) -> Result<EndpointsReport, Error> {
        let (table, excluded) = derive_all(table, &self.derived, today)?;
        let column = |name: &str, unit: Option<TimeUnit>| -> Option<EndpointColumn> {
            let found = table.column(name).ok()?;
            let values = match &found.data {
                ColumnData::Numeric(values) => {
                    EndpointValues::Numbers(values.iter().map(|value| (!value.is_nan()).then_some(*value)).collect())
                }
                ColumnData::Text { .. } => EndpointValues::Labels(
                    (0..found.len()).map(|row| (!found.is_missing(row)).then(|| found.cell_text(row))).collect(),
                ),
            };
            Some(EndpointColumn { name: name.to_string(), unit, values })
        };
        let id = self.derived.iter().find_map(|derived| derived.id()).and_then(|name| {
            column(name, None).map(|mut id| {
                if let EndpointValues::Numbers(numbers) = &id.values {
                    id.values = EndpointValues::Labels(numbers.iter().map(|value| value.map(format_number)).collect());
                }
                id
            })
        });
        let columns = self
            .derived
            .iter()
            .flat_map(|derived| {
                let names = derived.names();
                let unit = derived.unit();
                names.into_iter().enumerate().map(move |(index, name)| (name, unit.filter(|_| index == 0)))
            })
            .filter_map(|(name, unit)| column(name, unit))
            .collect();
        Ok(EndpointsReport {
            today: today.to_string(),
            rows: table.spreadsheet_rows.clone(),
            id,
            columns,
            excluded,
            notices: table.notices.clone(),
        })
    }

    /// Every problem of fitting the study to the table: a column that does not exist, a level
    /// that does not (a reference level, a Fine-Gray cause, an event value), each naming the
    /// analysis and the field.
    pub fn problems(&self, table: &Table) -> Vec<String> {
        let mut problems = Vec::new();
        for (index, analysis) in self.analyses.iter().enumerate() {
            let label = analysis.label(index);
            for (field, column) in analysis.request.column_fields() {
                match table.column(&column) {
                    Err(_) => problems.push(format!(
                        "{label}: {field}: there is no column \"{column}\" in the file; the columns are {}",
                        crate::error::quoted_list(&table.names)
                    )),
                    Ok(found) if field == "time" && !matches!(found.data, ColumnData::Numeric(_)) => {
                        problems.push(format!(
                            "{label}: {field}: column \"{column}\" holds text, not times; choose the column of \
                             follow-up times"
                        ))
                    }
                    Ok(_) => {}
                }
            }
            for (field, column, level) in analysis.request.level_fields() {
                if let Ok(found) = table.column(&column) {
                    let rows: Vec<usize> = (0..found.len()).filter(|row| !found.is_missing(*row)).collect();
                    let levels = found.factor(&rows).labels;
                    if !levels.iter().any(|known| known == &level) {
                        problems.push(format!(
                            "{label}: {field}: \"{level}\" is not a value of column \"{column}\"; its values are {}",
                            crate::error::quoted_list(&levels)
                        ));
                    }
                }
            }
        }
        problems
    }

    /// Runs every analysis on the file's table (read with [`Study::read`]): derived columns first,
    /// then all problems at once, then each analysis in order.
    ///
    /// # Errors
    /// Every problem of the study with the file, or of the analyses as they run, in one error.
    pub fn run(&self, table: Table, today: Day) -> Result<StudyResults, Error> {
        let table = self.prepare(table, today)?;
        let problems = self.problems(&table);
        if !problems.is_empty() {
            return Err(study_problems(&problems));
        }
        let mut results = Vec::with_capacity(self.analyses.len());
        let mut failures = Vec::new();
        for (index, analysis) in self.analyses.iter().enumerate() {
            match analyze_table(&table, &analysis.request) {
                Ok(result) => results.push(StudyResult {
                    title: analysis.title.clone(),
                    request: analysis.request.clone(),
                    figure: analysis.figure.clone(),
                    figure_p_value: super::figure_p_value(&table, &analysis.request),
                    result,
                }),
                Err(error) => failures.push(format!("{}: {error}", analysis.label(index))),
            }
        }
        if !failures.is_empty() {
            return Err(study_problems(&failures));
        }
        Ok(StudyResults { survkit_study: STUDY_VERSION, title: self.title.clone(), analyses: results })
    }
}

impl StudyAnalysis {
    /// How a problem names this analysis: its number, title and kind.
    fn label(&self, index: usize) -> String {
        if self.title.trim().is_empty() {
            format!("analysis {} ({})", index + 1, self.request.name())
        } else {
            format!("analysis {} \"{}\" ({})", index + 1, self.title.trim(), self.request.name())
        }
    }
}

impl StudyResults {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// The table with `derived` columns added, in order (a later one may use an earlier one).
/// Rows excluded for impossible dates are said in the table's notices, so every result says it.
///
/// # Errors
/// As [`DerivedColumn::derive`], naming the derived column.
pub fn add_derived(table: Table, derived: &[DerivedColumn], today: Day) -> Result<Table, Error> {
    derive_all(table, derived, today).map(|(table, _)| table)
}

/// What begins the notice of rows excluded from derived columns.
const EXCLUDED_NOTICE: &str = "derived ";

/// [`add_derived`], also returning the rows each derived column excluded.
///
/// # Errors
/// As [`add_derived`].
pub fn derive_all(
    mut table: Table,
    derived: &[DerivedColumn],
    today: Day,
) -> Result<(Table, Vec<ExcludedRows>), Error> {
    let mut excluded = Vec::new();
    for column in derived {
        let made = column.derive(&table, today).map_err(|error| match error {
            Error::ImpossibleDates { .. } | Error::NotDate { .. } | Error::Several(_) => error,
            other => Error::invalid_option("derived", format!("{}: {other}", column.label())),
        })?;
        if !made.excluded.is_empty() {
            let mut rows: Vec<usize> = made.excluded.iter().map(|row| row.row).collect();
            rows.dedup();
            let listed: Vec<String> = made.excluded.iter().map(ToString::to_string).collect();
            table.notices.push(format!(
                "{EXCLUDED_NOTICE}{}: {} excluded for impossible dates (exclude_impossible): {}",
                column.label(),
                if rows.len() == 1 { "1 row".to_string() } else { format!("{} rows", rows.len()) },
                listed.join("; ")
            ));
            excluded.push(ExcludedRows {
                columns: column.names().iter().map(|name| name.to_string()).collect(),
                rows: made.excluded,
            });
        }
        for made in made.columns {
            table.names.push(made.name.clone());
            table.columns.push(made);
        }
    }
    Ok((table, excluded))
}

/// The table without the derived columns (and their notices) added to it.
pub fn remove_derived(mut table: Table, derived: &[DerivedColumn]) -> Table {
    let names: Vec<&str> = derived.iter().flat_map(DerivedColumn::names).collect();
    table.columns.retain(|column| !names.contains(&column.name.as_str()));
    table.names.retain(|name| !names.contains(&name.as_str()));
    table.notices.retain(|notice| !notice.starts_with(EXCLUDED_NOTICE));
    table
}

/// Derived columns from JSON (an array, as a study's `derived`).
///
/// # Errors
/// JSON that is not a list of derived columns (an unknown field named).
pub fn derived_from_json(json: &str) -> Result<Vec<DerivedColumn>, Error> {
    if json.trim().is_empty() {
        return Ok(Vec::new());
    }
    super::request::from_json_exactly(json, "derived")
}

fn study_problems(problems: &[String]) -> Error {
    let count = problems.len();
    let heading = if count == 1 { "1 problem".to_string() } else { format!("{count} problems") };
    Error::invalid_option("study", format!("{heading} with the study and this file:\n  {}", problems.join("\n  ")))
}
