//! The JSON result schema, shared by the CLI (`--format json`) and the page (`analyze`).
//!
//! Field names follow R's, with `.` turned into `_` (`n_risk`, `std_err`). A value R reports as
//! NA, NaN or Inf is `null` here: every `f64` that can be "not estimable" is an `Option<f64>`, so
//! the JSON never holds NaN. Fields may be added; none may be renamed.

pub mod csv_export;
pub mod endpoints;
pub mod table1_layout;
pub mod text;

pub use endpoints::{EndpointColumn, EndpointValues, EndpointsReport, ExcludedRows};
pub use table1_layout::escape_html;

use serde::{Deserialize, Deserializer, Serialize};

use crate::data::{ColumnData, ColumnKind, Table};
use crate::estimate::cox::Ties;
use crate::estimate::km::{ConfType, Quantile, SurvivalCurve};
use crate::estimate::p_adjust::Adjust;

/// The result of one analysis. Its JSON says which in `"analysis"` (and a univariate Cox screen
/// by `"univariate": true`), which is how [`Report`]'s `Deserialize` picks the type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Report {
    Km(KmReport),
    LogRank(LogRankReport),
    FollowUp(FollowUpReport),
    Cox(Box<CoxReport>),
    CoxScreen(CoxScreenReport),
    Cif(CifReport),
    FineGray(FineGrayReport),
    Table1(Table1Report),
    MantelByar(MantelByarReport),
    SimonMakuch(SimonMakuchReport),
}

/// The `"analysis"` of a report, as the request named it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum AnalysisName {
    Km,
    Logrank,
    Followup,
    Cox,
    Cif,
    Finegray,
    Table1,
    #[serde(rename = "mantel-byar")]
    MantelByar,
    #[serde(rename = "simon-makuch")]
    SimonMakuch,
}

impl<'de> Deserialize<'de> for Report {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let value = serde_json::Value::deserialize(deserializer)?;
        let analysis = AnalysisName::deserialize(value.get("analysis").unwrap_or(&serde_json::Value::Null))
            .map_err(|error| D::Error::custom(format!("a report's \"analysis\": {error}")))?;
        let univariate = value.get("univariate").and_then(serde_json::Value::as_bool) == Some(true);
        let report = match analysis {
            AnalysisName::Km => serde_json::from_value(value).map(Report::Km),
            AnalysisName::Logrank => serde_json::from_value(value).map(Report::LogRank),
            AnalysisName::Followup => serde_json::from_value(value).map(Report::FollowUp),
            AnalysisName::Cox if univariate => serde_json::from_value(value).map(Report::CoxScreen),
            AnalysisName::Cox => serde_json::from_value(value).map(Report::Cox),
            AnalysisName::Cif => serde_json::from_value(value).map(Report::Cif),
            AnalysisName::Finegray => serde_json::from_value(value).map(Report::FineGray),
            AnalysisName::Table1 => serde_json::from_value(value).map(Report::Table1),
            AnalysisName::MantelByar => serde_json::from_value(value).map(Report::MantelByar),
            AnalysisName::SimonMakuch => serde_json::from_value(value).map(Report::SimonMakuch),
        };
        report.map_err(D::Error::custom)
    }
}

impl Report {
    /// Reads a report from its JSON, as [`Report::to_json`] writes it.
    ///
    /// # Errors
    /// JSON that is not a report.
    pub fn from_json(json: &str) -> Result<Report, crate::error::Error> {
        serde_json::from_str(json).map_err(|error| crate::error::Error::invalid_option("report", error.to_string()))
    }
}

/// `$body` evaluated on whichever report `$value` holds, bound to `$inner`.
macro_rules! on_every_report {
    ($value:expr, $inner:ident => $body:expr) => {
        match $value {
            Report::Km($inner) => $body,
            Report::LogRank($inner) => $body,
            Report::FollowUp($inner) => $body,
            Report::Cox($inner) => $body,
            Report::CoxScreen($inner) => $body,
            Report::Cif($inner) => $body,
            Report::FineGray($inner) => $body,
            Report::Table1($inner) => $body,
            Report::MantelByar($inner) => $body,
            Report::SimonMakuch($inner) => $body,
        }
    };
}

impl Report {
    /// What the user should know about how the file was read or the data interpreted.
    pub fn notices(&self) -> &[String] {
        on_every_report!(self, report => &report.notices)
    }

    /// The analysis's name, as in `"analysis"`.
    pub fn analysis_name(&self) -> &'static str {
        match self {
            Report::Km(_) => "km",
            Report::LogRank(_) => "logrank",
            Report::FollowUp(_) => "followup",
            Report::Cox(_) | Report::CoxScreen(_) => "cox",
            Report::Cif(_) => "cif",
            Report::FineGray(_) => "finegray",
            Report::Table1(_) => "table1",
            Report::MantelByar(_) => "mantel-byar",
            Report::SimonMakuch(_) => "simon-makuch",
        }
    }

    /// The report's notices, to which the file's own are added.
    pub fn notices_mut(&mut self) -> &mut Vec<String> {
        on_every_report!(self, report => &mut report.notices)
    }

    /// The JSON the CLI prints with `--format json` and the page's `analyze` returns.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|error| error_json(&error.to_string(), None, None))
    }
}

/// `{"error":{"message":..,"row":..,"column":..}}`, the page's error shape.
pub fn error_json(message: &str, row: Option<usize>, column: Option<&str>) -> String {
    serde_json::json!({ "error": { "message": message, "row": row, "column": column } }).to_string()
}

/// A median (or other quantile) with its confidence interval; `null` when not reached.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MedianReport {
    pub estimate: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

impl From<Quantile> for MedianReport {
    fn from(quantile: Quantile) -> Self {
        MedianReport { estimate: quantile.estimate, lower: quantile.lower, upper: quantile.upper }
    }
}

/// Times that R's `timefix` rule treated as equal to a near-equal smaller time (present only
/// when it moved any): see [`crate::estimate::timefix`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MergedTimesReport {
    /// Rows whose time was moved.
    pub rows: usize,
    /// The tolerance, absolute or relative to the mean distinct time (R's `sqrt(.Machine$double.eps)`).
    pub tolerance: f64,
}

impl MergedTimesReport {
    /// `Some` when the rule moved any row.
    pub fn of(moved: usize) -> Option<MergedTimesReport> {
        (moved > 0).then_some(MergedTimesReport { rows: moved, tolerance: crate::estimate::timefix::TIME_TOLERANCE })
    }
}

/// A Cox model's time-dependent exposure: each patient's follow-up split at the exposure time
/// (`tmerge(..., tdc(exposure_time))`) and the exposure fitted as a 0/1 term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TimeDependentReport {
    /// The column of exposure times.
    pub exposure_time: String,
    /// The exposure's name, which is its term's.
    pub exposure: String,
    /// Patients exposed while followed.
    pub n_exposed: usize,
    /// Rows of the split data, (start, stop] intervals (R's `fit$n` on the `tmerge` data).
    pub intervals: usize,
}

/// A landmark analysis's selection (km, logrank, cif): of the `n_before` patients of the frame,
/// those still followed after the landmark time are kept, with their clock restarted there (a
/// result's times are times since the landmark); the others are counted by why they were left
/// out. With an exposure column the groups are the exposure states at the landmark,
/// `unexposed` and `exposed` (see [`crate::analysis::landmark`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LandmarkSelection {
    /// The landmark time, in the follow-up times' unit.
    pub landmark: f64,
    /// Patients before the selection (complete rows).
    pub n_before: usize,
    /// Patients still followed after the landmark: the rows analysed.
    pub n_kept: usize,
    /// Left out: an event (of any cause) at or before the landmark.
    pub n_excluded_event: usize,
    /// Left out: censored at or before the landmark.
    pub n_excluded_censored: usize,
    /// The column of exposure times, when the groups are the exposure states at the landmark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposure_time: Option<String>,
    /// The exposure's name, as the request gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposure_name: Option<String>,
    /// Patients kept who were exposed at the landmark (exposure time at or before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n_exposed: Option<usize>,
}

/// `survkit km`: Kaplan-Meier curves per group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KmReport {
    pub analysis: AnalysisName,
    /// What the user should know about how the file was read or the data interpreted (an
    /// encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
    pub conf_type: ConfType,
    pub conf_level: f64,
    pub n_dropped: usize,
    /// With a landmark: the patients kept and left out (absent without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landmark: Option<LandmarkSelection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_times: Option<MergedTimesReport>,
    /// The start column of (start, stop] rows (delayed entry), as `Surv(start, stop, event)`;
    /// absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    pub groups: Vec<KmGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KmGroup {
    /// The group's value, or `null` without a grouping column.
    pub group: Option<String>,
    pub n: usize,
    pub events: usize,
    pub median: MedianReport,
    pub at: Vec<LandmarkReport>,
    pub steps: StepTable,
    /// With (start, stop] rows (`start`): the patients joining the risk set since the previous
    /// step, per step; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n_enter: Option<Vec<usize>>,
    /// With (start, stop] rows: every time the risk set changes (an entry or an exit), the number
    /// in it there and the number censored then; the figure's numbers at risk. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_set: Option<RiskSet>,
}

/// S(t) at a chosen time, as `summary(fit, times = t)`; past the last observed time only
/// `n_risk` (0) is given.
pub use crate::estimate::km::Landmark as LandmarkReport;

/// Every distinct time of a group, as `summary(fit, censored = TRUE)`; `std_err` is that of S.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StepTable {
    pub time: Vec<f64>,
    pub n_risk: Vec<usize>,
    pub n_event: Vec<usize>,
    pub n_censor: Vec<usize>,
    pub surv: Vec<f64>,
    pub std_err: Vec<Option<f64>>,
    pub lower: Vec<Option<f64>>,
    pub upper: Vec<Option<f64>>,
}

impl From<&SurvivalCurve> for StepTable {
    fn from(curve: &SurvivalCurve) -> Self {
        StepTable {
            std_err: (0..curve.time.len()).map(|index| curve.std_err(index)).collect(),
            time: curve.time.clone(),
            n_risk: curve.n_risk.clone(),
            n_event: curve.n_event.clone(),
            n_censor: curve.n_censor.clone(),
            surv: curve.surv.clone(),
            lower: curve.lower.clone(),
            upper: curve.upper.clone(),
        }
    }
}

/// `survkit simon-makuch`: Kaplan-Meier curves by a time-dependent exposure, one per state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SimonMakuchReport {
    pub analysis: AnalysisName,
    /// What the user should know about how the file was read or the data interpreted (an
    /// encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
    /// The column of exposure times.
    pub exposure_time: String,
    /// The exposure's name, as the request gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposure_name: Option<String>,
    pub conf_type: ConfType,
    pub conf_level: f64,
    /// Patients analysed.
    pub n: usize,
    /// Patients exposed during follow-up (at 0 or later, before its end).
    pub n_exposed: usize,
    pub n_dropped: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_times: Option<MergedTimesReport>,
    /// `unexposed`, then `exposed`.
    pub states: Vec<SimonMakuchState>,
}

impl SimonMakuchReport {
    /// A state's label in the text and the figure: "Before transplant" and "After transplant"
    /// with an exposure name, else "Unexposed" and "Exposed".
    pub fn state_label(&self, state: ExposureState) -> String {
        match (&self.exposure_name, state) {
            (Some(name), ExposureState::Unexposed) => format!("Before {name}"),
            (Some(name), ExposureState::Exposed) => format!("After {name}"),
            (None, ExposureState::Unexposed) => "Unexposed".to_string(),
            (None, ExposureState::Exposed) => "Exposed".to_string(),
        }
    }
}

/// The exposure states of a time-dependent exposure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ExposureState {
    /// Before the exposure (and for the whole follow-up of those never exposed).
    Unexposed,
    /// From the exposure on.
    Exposed,
}

impl ExposureState {
    /// The state's name in the JSON: `unexposed` or `exposed` (a landmark's group labels too).
    pub fn name(self) -> &'static str {
        match self {
            ExposureState::Unexposed => "unexposed",
            ExposureState::Exposed => "exposed",
        }
    }
}

/// One state's curve on counting-process data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SimonMakuchState {
    pub state: ExposureState,
    /// Patients with time in this state (R's `fit$n`).
    pub n: usize,
    pub events: usize,
    /// As `summary(fit, times = at)`: `n_risk` is that of the first step at or after the time
    /// (R's rule), which, when patients enter later, is not the risk set at the time itself:
    /// `risk_set` gives that.
    pub at: Vec<LandmarkReport>,
    pub steps: EntryStepTable,
    /// Every time the state's risk set changes (an entry or an exit), the number in it there
    /// (entry < t <= exit) and the number censored then; the figure's numbers at risk.
    pub risk_set: RiskSet,
}

/// [`StepTable`] with the patients entering: `n_enter` at a step counts those who joined the
/// risk set since the previous step (entered in [previous step, this step), after 0). A patient
/// leaving the unexposed state at the exposure is counted in `n_censor`, as `survfit` does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EntryStepTable {
    #[serde(flatten)]
    pub steps: StepTable,
    pub n_enter: Vec<usize>,
}

/// `survkit logrank`: the G-rho test across groups, and optionally every pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LogRankReport {
    pub analysis: AnalysisName,
    /// What the user should know about how the file was read or the data interpreted (an
    /// encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
    pub chisq: f64,
    pub df: usize,
    pub p: Option<f64>,
    pub rho: f64,
    pub n_dropped: usize,
    /// With a landmark: the patients kept and left out (absent without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landmark: Option<LandmarkSelection>,
    /// The stratifying column, when the test is stratified.
    pub strata: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_times: Option<MergedTimesReport>,
    pub groups: Vec<LogRankGroup>,
    pub adjust: Adjust,
    /// One row per pair of groups with `--pairwise`, in level order; empty otherwise.
    pub pairwise: Vec<PairwiseTest>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LogRankGroup {
    pub group: String,
    pub n: usize,
    pub observed: f64,
    pub expected: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PairwiseTest {
    pub group_a: String,
    pub group_b: String,
    pub chisq: Option<f64>,
    /// 0 when only one of the two groups has expected events: nothing to test (chisq 0, p 1, as
    /// `survdiff` on the pair gives).
    pub df: Option<usize>,
    pub p: Option<f64>,
    pub p_adjusted: Option<f64>,
}

/// `survkit mantel-byar`: the log-rank test with a time-dependent exposure (Mantel-Byar).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MantelByarReport {
    pub analysis: AnalysisName,
    /// What the user should know about how the file was read or the data interpreted (an
    /// encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
    /// The exposure's name: `exposure_name`, else the exposure column's.
    pub exposure: String,
    /// `null` when nobody exposed, or nobody unexposed, was at risk at an event time.
    pub chisq: Option<f64>,
    pub df: usize,
    pub p: Option<f64>,
    /// Patients analysed (rows with a follow-up time and an event).
    pub n: usize,
    pub n_dropped: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_times: Option<MergedTimesReport>,
    /// `unexposed`, then `exposed`.
    pub states: Vec<MantelByarState>,
}

/// One exposure state of a Mantel-Byar test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MantelByarState {
    /// `unexposed` or `exposed`.
    pub state: String,
    /// Patients ever at risk in the state (a patient exposed during follow-up counts in both).
    pub n: usize,
    pub observed: f64,
    pub expected: f64,
}

/// `survkit followup`: median follow-up by reverse Kaplan-Meier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FollowUpReport {
    pub analysis: AnalysisName,
    /// What the user should know about how the file was read or the data interpreted (an
    /// encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
    /// The confidence level of the medians' intervals.
    pub conf_level: f64,
    pub n: usize,
    pub n_dropped: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_times: Option<MergedTimesReport>,
    pub median: MedianReport,
    pub min: f64,
    pub max: f64,
    /// Per group with `--group`; empty otherwise.
    pub groups: Vec<FollowUpGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FollowUpGroup {
    pub group: String,
    pub n: usize,
    pub median: MedianReport,
    pub min: f64,
    pub max: f64,
}

/// What the page shows after loading a file: its columns, their detected types and a preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TableSummary {
    pub n_rows: usize,
    /// The delimiter used, as text (`","`, `";"`, `"\t"`).
    pub delimiter: String,
    pub columns: Vec<ColumnSummary>,
    /// The first rows as written in the file.
    pub preview: Vec<Vec<String>>,
    /// How the file was read, when the user should know (an encoding, Excel's `sep=` line).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ColumnSummary {
    pub name: String,
    pub kind: ColumnKind,
    pub n_missing: usize,
    /// Distinct filled values, up to [`MAX_SUMMARY_LEVELS`] + 1 counted.
    pub n_distinct: usize,
    /// The distinct values in R's level order when there are at most [`MAX_SUMMARY_LEVELS`].
    pub levels: Vec<String>,
    /// Cells of a categorical column that read as numbers: a column of numbers with stray text.
    pub numeric_cells: usize,
    /// Whether the column can split patients into groups: at least 2 values, all listed in `levels`.
    pub groupable: bool,
}

/// How many levels a column summary lists; more than this and the column is not a grouping.
pub const MAX_SUMMARY_LEVELS: usize = 20;

impl TableSummary {
    pub fn of(table: &Table) -> TableSummary {
        let columns = table
            .columns
            .iter()
            .map(|column| {
                // One row per distinct value, stopping once there are too many to list.
                let mut keys: Vec<u64> = Vec::new();
                let mut representatives: Vec<usize> = Vec::new();
                let mut n_missing = 0;
                for row in 0..column.len() {
                    if column.is_missing(row) {
                        n_missing += 1;
                        continue;
                    }
                    if keys.len() > MAX_SUMMARY_LEVELS {
                        continue;
                    }
                    let key = match &column.data {
                        ColumnData::Numeric(values) => values[row].to_bits(),
                        ColumnData::Text { codes, .. } => u64::from(codes[row]),
                    };
                    if !keys.contains(&key) {
                        keys.push(key);
                        representatives.push(row);
                    }
                }
                let numeric_cells = match &column.data {
                    ColumnData::Numeric(_) => 0,
                    ColumnData::Text { codes, level_values, .. } => codes
                        .iter()
                        .filter(|code| level_values.get(**code as usize).is_some_and(Option::is_some))
                        .count(),
                };
                let levels =
                    if keys.len() <= MAX_SUMMARY_LEVELS { column.factor(&representatives).labels } else { Vec::new() };
                ColumnSummary {
                    name: column.name.clone(),
                    kind: column.kind(),
                    n_missing,
                    n_distinct: keys.len(),
                    groupable: keys.len() >= 2 && levels.len() >= 2,
                    levels,
                    numeric_cells,
                }
            })
            .collect();
        TableSummary {
            n_rows: table.n_rows(),
            delimiter: char::from(table.delimiter).to_string(),
            columns,
            preview: table.preview.clone(),
            notices: table.notices.clone(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|error| error_json(&error.to_string(), None, None))
    }
}

/// `survkit cox`: one Cox model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CoxReport {
    pub analysis: AnalysisName,
    /// What the user should know about how the file was read or the data interpreted (an
    /// encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
    pub ties: Ties,
    /// The covariates as the user wrote them.
    pub covariates: Vec<String>,
    pub strata: Option<String>,
    /// The start column of (start, stop] rows, as `Surv(start, stop, event)`; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// The landmark selection, when the model starts at a landmark (with an exposure column, its
    /// status at the landmark is the first term); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landmark: Option<LandmarkSelection>,
    /// The time-dependent exposure, fitted as the first term; absent without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_dependent: Option<TimeDependentReport>,
    pub conf_level: f64,
    /// Patients analysed; with a start column, the (start, stop] rows (R's `fit$n`).
    pub n: usize,
    pub events: usize,
    pub n_dropped: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_times: Option<MergedTimesReport>,
    pub terms: Vec<CoxTerm>,
    pub loglik: LogLikelihood,
    pub tests: ModelTests,
    pub concordance: ConcordanceReport,
    pub iterations: usize,
    pub converged: bool,
    pub warnings: Vec<Warning>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zph: Option<ZphReport>,
}

impl CoxReport {
    pub fn ties_name(&self) -> &'static str {
        match self.ties {
            Ties::Efron => "efron",
            Ties::Breslow => "breslow",
        }
    }
}

/// A term's estimate; every number is `null` for a term R reports as NA (collinear or constant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CoxTerm {
    pub term: String,
    pub coef: Option<f64>,
    pub se: Option<f64>,
    /// exp(coef): the hazard ratio (for Fine-Gray, the subdistribution hazard ratio).
    pub hr: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub z: Option<f64>,
    pub p: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LogLikelihood {
    pub null: f64,
    pub model: f64,
}

/// A chi-square test: statistic, degrees of freedom, p.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChiSquareTest {
    pub stat: Option<f64>,
    pub df: usize,
    pub p: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ModelTests {
    pub likelihood_ratio: ChiSquareTest,
    pub wald: ChiSquareTest,
    pub score: ChiSquareTest,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConcordanceReport {
    pub estimate: Option<f64>,
    pub se: Option<f64>,
}

/// Something the user should know about a result, next to the term it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Warning {
    /// The term (or covariate) concerned; `null` for the whole model.
    pub term: Option<String>,
    pub message: String,
}

/// `cox.zph`: one row per covariate, and the global test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ZphReport {
    pub terms: Vec<ZphTerm>,
    pub global: ZphGlobal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ZphTerm {
    pub term: String,
    pub chisq: f64,
    pub df: usize,
    pub p: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ZphGlobal {
    pub chisq: f64,
    pub df: usize,
    pub p: Option<f64>,
}

/// `survkit cox --univariate`: each covariate in a model of its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CoxScreenReport {
    pub analysis: AnalysisName,
    /// What the user should know about how the file was read or the data interpreted (an
    /// encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
    pub univariate: bool,
    pub models: Vec<ScreenModel>,
}

/// One covariate's model, or why it could not be fitted (the other covariates still are).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum ScreenModel {
    Fitted(Box<CoxReport>),
    Failed { covariate: String, error: ErrorReport },
}

/// An error as the page receives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorReport {
    pub message: String,
    pub row: Option<usize>,
    pub column: Option<String>,
}

impl From<&crate::error::Error> for ErrorReport {
    fn from(error: &crate::error::Error) -> Self {
        ErrorReport { message: error.to_string(), row: error.row(), column: error.column().map(str::to_string) }
    }
}

/// `survkit cif`: cumulative incidence of every cause, per group, with Gray's test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CifReport {
    pub analysis: AnalysisName,
    /// What the user should know about how the file was read or the data interpreted (an
    /// encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
    pub conf_level: f64,
    pub rho: f64,
    pub n: usize,
    pub n_dropped: usize,
    /// With a landmark: the patients kept and left out (absent without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landmark: Option<LandmarkSelection>,
    pub strata: Option<String>,
    pub causes: Vec<CauseReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CauseReport {
    pub cause: String,
    pub groups: Vec<CifGroup>,
    /// Gray's test across groups; `null` without a group column.
    pub gray: Option<GrayReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CifGroup {
    pub group: Option<String>,
    pub n: usize,
    /// Events of this cause.
    pub events: usize,
    pub at: Vec<CifAt>,
    pub steps: CifSteps,
    /// Every distinct time, event or censoring, with the number at risk and censored: the
    /// figure's number-at-risk table and censor ticks.
    pub risk_set: RiskSet,
}

/// The incidence at a chosen time, as `timepoints()`; `null` past the last observed time.
pub use crate::estimate::cif::IncidenceAt as CifAt;
pub use table1_layout::{Table1Layout, Table1Line};

/// One entry per distinct time at which an event of any cause happens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CifSteps {
    pub time: Vec<f64>,
    pub cif: Vec<f64>,
    pub variance: Vec<f64>,
    pub lower: Vec<Option<f64>>,
    pub upper: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RiskSet {
    pub time: Vec<f64>,
    pub n_risk: Vec<usize>,
    pub n_censor: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GrayReport {
    pub stat: Option<f64>,
    pub df: usize,
    pub p: Option<f64>,
    /// Why there is no statistic, when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Why Gray's test has no statistic: cuminc's own check failed.
pub const GRAY_SINGULAR: &str =
    "Gray's test cannot be computed: the groups' covariance matrix has less than full rank \
     (R's qr() rank, as cuminc checks it; cuminc reports the statistic as -1), which happens when a group is too \
     small, such as a single patient; combine small groups or leave them out";

/// `survkit finegray`: the subdistribution hazards of one cause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FineGrayReport {
    pub analysis: AnalysisName,
    /// What the user should know about how the file was read or the data interpreted (an
    /// encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
    pub cause: String,
    pub covariates: Vec<String>,
    pub conf_level: f64,
    pub n: usize,
    /// Events of the cause, competing events and censored rows.
    pub events: usize,
    pub competing: usize,
    pub censored: usize,
    pub n_dropped: usize,
    /// `hr` is the subdistribution hazard ratio.
    pub terms: Vec<CoxTerm>,
    /// The log pseudo-likelihood at the estimate (`crr`'s `loglik`) and at 0 (`loglik.null`).
    pub loglik: f64,
    pub loglik_null: f64,
    pub iterations: usize,
    pub converged: bool,
    pub warnings: Vec<Warning>,
}

/// `survkit table1`: patient characteristics by group, with a test per row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Table1Report {
    pub analysis: AnalysisName,
    /// What the user should know about how the file was read or the data interpreted (an
    /// encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
    pub group_variable: String,
    pub groups: Vec<Table1Group>,
    /// Rows left out because their group is missing.
    pub n_missing_group: usize,
    pub rows: Vec<Table1Row>,
    /// The rows laid out as a paper prints them (`table1_layout`): the page draws these cells.
    pub layout: Table1Layout,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Table1Group {
    pub group: String,
    pub n: usize,
}

/// One variable: `levels` and `n_missing` for a categorical one, `groups` for a continuous one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Table1Row {
    pub variable: String,
    pub kind: String,
    /// The test used (`null` when there is nothing to test).
    pub test: Option<String>,
    pub p: Option<f64>,
    pub statistic: Option<f64>,
    pub df: Option<f64>,
    /// The denominator df of an F test (ANOVA, Welch's ANOVA); `df` is the numerator's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator_df: Option<f64>,
    pub warnings: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<Vec<CategoryLevel>>,
    /// Missing values per group (categorical rows; continuous rows carry theirs per group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n_missing: Option<Vec<usize>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<ContinuousGroup>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pairwise: Option<Vec<PairP>>,
    /// Present when `p` is a Monte Carlo p-value (Fisher's test on a table too large to
    /// enumerate), with what it takes to rerun it in R.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulated: Option<Simulation>,
}

/// How a Monte Carlo p-value was drawn: `set.seed(seed)` and `B = replicates` in R.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Simulation {
    pub replicates: u32,
    pub seed: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CategoryLevel {
    pub level: String,
    pub counts: Vec<u64>,
    /// Percent of the group's non-missing values; `null` for a group with none.
    pub percents: Vec<Option<f64>>,
}

/// One group of a continuous row: its missing count and the summaries of its other values
/// (n, median, q1, q3, min, max, mean, sd, as fields of this object).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ContinuousGroup {
    pub group: String,
    pub n_missing: usize,
    #[serde(flatten)]
    pub summary: crate::estimate::hypothesis_tests::Summary,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PairP {
    pub group_a: String,
    pub group_b: String,
    pub p: Option<f64>,
    /// As the row's `simulated`, when this pair's p is a Monte Carlo one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulated: Option<Simulation>,
}

/// How a figure looks, as a study saves it: its labels, axis limits and what is shown. Sizes
/// are the screen's, and the p-value is the analysis's, so neither is saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct FigureSettings {
    pub title: Option<String>,
    /// The time axis's label; "Time" when absent.
    pub x_label: Option<String>,
    /// The y axis's label; "Survival probability", or the cause's cumulative incidence, when absent.
    pub y_label: Option<String>,
    /// Confidence bands around each curve.
    pub show_ci: bool,
    pub show_censor_ticks: bool,
    pub show_at_risk: bool,
    /// The test's p-value on the plot (log-rank for km, Gray's test for cif).
    pub show_p: bool,
    /// Spacing of the time-axis breaks (and of the number-at-risk columns); chosen when absent.
    pub break_every: Option<f64>,
    /// The end of the time axis; the last observed time when absent.
    pub x_max: Option<f64>,
    /// For a `cif` result, the cause to draw; the first cause when absent.
    pub cause: Option<String>,
    /// The y axis in percent (0-100%) rather than as a probability.
    pub percent: bool,
}

impl Default for FigureSettings {
    fn default() -> Self {
        FigureSettings {
            title: None,
            x_label: None,
            y_label: None,
            show_ci: false,
            show_censor_ticks: true,
            show_at_risk: true,
            show_p: true,
            break_every: None,
            x_max: None,
            cause: None,
            percent: false,
        }
    }
}
