//! The derived columns of a study, as `survkit endpoints` writes them: as JSON
//! ([`EndpointsReport`]) or as CSV through [`super::csv_export`], one line per row of the file.

use serde::{Deserialize, Serialize};

use super::csv_export::write_csv;
use crate::data::{format_number, TimeUnit};
use crate::error::ImpossibleRow;

/// The rows one derived column (or pair) left out for impossible dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExcludedRows {
    /// The derived columns the rows are missing in.
    pub columns: Vec<String>,
    /// Each problem found, by row (a row may have several).
    pub rows: Vec<ImpossibleRow>,
}

/// The derived columns, row by row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EndpointsReport {
    /// The date after which a date counts as in the future (yyyy-mm-dd).
    pub today: String,
    /// The spreadsheet row of each line (the header is row 1).
    pub rows: Vec<u32>,
    /// The patient ids of each line, from the first id column a definition names.
    #[serde(default)]
    pub id: Option<EndpointColumn>,
    /// The derived columns, in the study's order.
    pub columns: Vec<EndpointColumn>,
    /// Rows left out of derived columns for impossible dates (`exclude_impossible`).
    #[serde(default)]
    pub excluded: Vec<ExcludedRows>,
    /// How the file was read, and the rows excluded, in words.
    #[serde(default)]
    pub notices: Vec<String>,
}

/// One column: its name, the unit of its times (for a time column) and its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EndpointColumn {
    pub name: String,
    #[serde(default)]
    pub unit: Option<TimeUnit>,
    pub values: EndpointValues,
}

/// A column's values: numbers (times, events, statuses), or labels (cut columns, ids); `null`
/// where missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum EndpointValues {
    Numbers(Vec<Option<f64>>),
    Labels(Vec<Option<String>>),
}

impl EndpointValues {
    fn cell(&self, row: usize) -> String {
        match self {
            EndpointValues::Numbers(values) => values.get(row).copied().flatten().map(format_number),
            EndpointValues::Labels(values) => values.get(row).cloned().flatten(),
        }
        .unwrap_or_default()
    }
}

impl EndpointsReport {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// `row`, the id column, then the derived columns; missing cells blank. Numbers are written
    /// in full (shortest round-trip form), so nothing is rounded away.
    pub fn to_csv(&self) -> String {
        let mut header = vec!["row".to_string()];
        header.extend(self.id.iter().map(|id| id.name.clone()));
        header.extend(self.columns.iter().map(|column| column.name.clone()));
        let lines: Vec<Vec<String>> = self
            .rows
            .iter()
            .enumerate()
            .map(|(index, row)| {
                let mut line = vec![row.to_string()];
                line.extend(self.id.iter().chain(&self.columns).map(|column| column.values.cell(index)));
                line
            })
            .collect();
        write_csv(&header, &lines)
    }
}
