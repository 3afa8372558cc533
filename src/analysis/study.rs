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
use crate::data::{cut_column, ColumnData, ReadOptions, Table};
use crate::error::Error;
use crate::report::{FigureSettings, Report};

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

/// A categorical column cut from a numeric one at `breaks`, as R's
/// `cut(from, c(-Inf, breaks, Inf), right = FALSE)`: levels `[-Inf,40)`, `[40,60)`, `[60,Inf)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DerivedColumn {
    /// The new column's name; it must not be a column of the file.
    pub name: String,
    /// The numeric column it is cut from.
    pub from: String,
    /// The cut-points, increasing; a value equal to a break falls in the interval above it.
    pub breaks: Vec<f64>,
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
        let derived: Vec<&str> = self.derived.iter().map(|column| column.name.trim()).collect();
        let mut columns: Vec<String> = self.derived.iter().map(|column| column.from.trim().to_string()).collect();
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

    /// The table with the study's derived columns added.
    ///
    /// # Errors
    /// A derived column whose source is missing or not numeric, whose name is taken, or whose
    /// breaks do not increase.
    pub fn prepare(&self, table: Table) -> Result<Table, Error> {
        add_derived(table, &self.derived)
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
    pub fn run(&self, table: Table) -> Result<StudyResults, Error> {
        let table = self.prepare(table)?;
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

/// The table with `derived` columns added, in order (a later one may cut an earlier one).
///
/// # Errors
/// As [`cut_column`], naming the derived column.
pub fn add_derived(mut table: Table, derived: &[DerivedColumn]) -> Result<Table, Error> {
    for column in derived {
        let cut = cut_column(&table, &column.name, &column.from, &column.breaks)
            .map_err(|error| Error::invalid_option("derived", format!("column \"{}\": {error}", column.name)))?;
        table.names.push(cut.name.clone());
        table.columns.push(cut);
    }
    Ok(table)
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
