//! The requests: what the user asked for, one type per analysis, the same from the CLI's flags,
//! the page's JSON and a study file.
//!
//! A [`Request`] is tagged by `"analysis"` and built from shared parts ([`Endpoint`],
//! [`CompetingEndpoint`], [`Covariates`]) flattened into each analysis. A request that also says
//! how to read its file is a [`FileRequest`] (the CLI's flags and the page's one-off JSON). Field
//! names are the CLI's flags with `-` turned into `_`; lists are arrays or, as on the command
//! line, comma-separated text. Each default is stated once, on its field's type or attribute, and
//! serde, clap and the JSON Schema all read it from there.
//!
//! A request is checked once, by [`Request::check`], before any analysis runs: an unknown field
//! is refused when the JSON is read ([`Request::from_json`]), options out of range when it is
//! checked, columns and levels against the table by the frame builders (and all at once, for a
//! study, by [`crate::analysis::study`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use crate::data::{Covariate, DecimalMark, DesignSpec, EventCoding, ReadOptions};
use crate::error::Error;
use crate::estimate::cox::Ties;
use crate::estimate::km::ConfType;
use crate::estimate::p_adjust::Adjust;
use crate::estimate::timefix::TimeFix;

/// The status value that means censored when none is given: cmprsk's `cencode = 0`.
pub const DEFAULT_CENSOR_VALUE: &str = "0";

/// One analysis of one file. Defaults are R's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Subcommand))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "analysis", rename_all = "lowercase")]
pub enum Request {
    /// Kaplan-Meier curves, medians and survival at chosen times (R: survfit)
    Km(KmRequest),
    /// Log-rank or Fleming-Harrington test between groups (R: survdiff)
    Logrank(LogRankRequest),
    /// Median follow-up by reverse Kaplan-Meier (R: survfit(Surv(time, 1 - status) ~ 1))
    Followup(FollowUpRequest),
    /// Cox proportional hazards regression (R: coxph, cox.zph)
    Cox(CoxRequest),
    /// Cumulative incidence of competing causes with Gray's test (R: cmprsk::cuminc)
    Cif(CifRequest),
    /// Fine-Gray regression on the subdistribution hazard of one cause (R: cmprsk::crr)
    Finegray(FineGrayRequest),
    /// Baseline characteristics by group, with tests (R: chisq.test, fisher.test, t.test, ...)
    Table1(Table1Request),
    /// Mantel-Byar test: the log-rank test with a time-dependent exposure such as a transplant
    /// (R: the score test of coxph(Surv(tstart, tstop, event) ~ exposed, ties = "exact") on tmerge data)
    #[serde(rename = "mantel-byar")]
    MantelByar(MantelByarRequest),
    /// Simon-Makuch curves: survival by a time-dependent exposure, each patient unexposed until
    /// the exposure time and exposed after it (R: survfit(Surv(tstart, tstop, event) ~ exposed)
    /// on tmerge-split data)
    #[serde(rename = "simon-makuch")]
    SimonMakuch(SimonMakuchRequest),
}

/// The time-to-event columns of km, logrank, followup, cox and mantel-byar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Endpoint {
    /// Column of follow-up times
    #[cfg_attr(feature = "cli", arg(long))]
    pub time: String,
    /// Column saying whether the event happened
    #[cfg_attr(feature = "cli", arg(long))]
    pub event: String,
    /// The value of the event column that means "event" (default: 0/1, 1/2, TRUE/FALSE, yes/no, dead/alive)
    #[serde(default, deserialize_with = "text_or_number")]
    #[cfg_attr(feature = "cli", arg(long, allow_hyphen_values = true))]
    pub event_value: Option<String>,
    /// Treat times within 1.5e-8 of each other (absolute or relative) as one time, as R's
    /// timefix = TRUE does; false compares them exactly
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, default_value_t, action = clap::ArgAction::Set, value_name = "true|false"))]
    pub timefix: TimeFixFlag,
}

/// The competing-risks columns of cif and finegray.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CompetingEndpoint {
    /// Column of follow-up times
    #[cfg_attr(feature = "cli", arg(long))]
    pub time: String,
    /// Column of status: the censoring value, or the cause of the event
    #[cfg_attr(feature = "cli", arg(long))]
    pub status: String,
    /// The status value that means censored (default 0, as cmprsk's cencode)
    #[serde(default, deserialize_with = "text_or_number")]
    #[cfg_attr(feature = "cli", arg(long, allow_hyphen_values = true))]
    pub censor_value: Option<String>,
}

/// The Kaplan-Meier options of km and simon-makuch: times at which to read the curves, and the
/// pointwise intervals.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CurveOptions {
    /// Times at which to report S(t), comma-separated
    #[serde(default, deserialize_with = "numbers_or_list_text")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<f64>"))]
    #[cfg_attr(feature = "cli", arg(long, value_delimiter = ',', allow_hyphen_values = true))]
    pub at: Vec<f64>,
    /// Confidence interval scale
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub conf_type: ConfType,
    /// Confidence level
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, default_value_t, allow_negative_numbers = true))]
    pub conf_level: ConfLevel,
}

/// Covariate choices of the regression models (cox, finegray).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Covariates {
    /// Covariates, comma-separated: column names or cut-points such as age>=40
    #[serde(default, deserialize_with = "strings_or_list_text")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    #[cfg_attr(feature = "cli", arg(long, value_delimiter = ',', required = true))]
    pub covariates: Vec<String>,
    /// Numeric columns to treat as categorical, comma-separated
    #[serde(default, deserialize_with = "strings_or_list_text")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    #[cfg_attr(feature = "cli", arg(long, value_delimiter = ','))]
    pub categorical: Vec<String>,
    /// Reference level of a categorical covariate, as COLUMN=LEVEL (repeat for several)
    #[serde(default, deserialize_with = "strings_or_list_text")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    #[cfg_attr(feature = "cli", arg(long, value_name = "COLUMN=LEVEL"))]
    pub reference: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KmRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub endpoint: Endpoint,
    /// Column of groups, one curve each
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub group: Option<String>,
    /// Column of entry times: each row is an interval (start, time] of follow-up with delayed
    /// entry, as Surv(start, stop, event)
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub start: Option<String>,
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub curve: CurveOptions,
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub landmark: Landmark,
}

/// Landmark analysis and exposure choices of km, logrank, cif and cox (the selection and its
/// conventions: [`crate::analysis::landmark`]). With `landmark` T, only
/// the patients still followed after T are kept (an event or censoring at or before T leaves the
/// patient out, counted by reason in the report), and their clock restarts at T. With
/// `exposure_time` as well, they are grouped by their exposure status at T (exposed when the
/// exposure time is at or before T). On cox, `exposure_time` without `landmark` is a
/// time-dependent 0/1 covariate (the follow-up split at the exposure, as `tmerge` does); on
/// km, logrank and cif it needs a landmark.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Landmark {
    /// Landmark time T: keep the patients still followed after T and restart their clock at T
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub landmark: Option<f64>,
    /// Column of exposure times (a transplant, say) from the same origin and in the same unit as
    /// the follow-up times; an empty cell is never exposed during follow-up
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub exposure_time: Option<String>,
    /// The exposure's name in the text and figure, e.g. transplant (default: the exposure column's name)
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub exposure_name: Option<String>,
}

/// A time-dependent exposure (mantel-byar, simon-makuch): a column of times from the origin, in
/// the follow-up times' unit. A patient exposed at e (0 < e < the end of follow-up) is unexposed
/// on (0, e] (an event at exactly e counts as unexposed) and exposed on (e, end]; exposed at 0,
/// exposed from the start; an empty cell, or a time at or after the end of follow-up, never
/// exposed while followed. A negative exposure time is refused, naming its row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Exposure {
    /// Column of exposure times (a transplant, say) from the same origin and in the same unit as
    /// the follow-up times; an empty cell is never exposed during follow-up
    #[cfg_attr(feature = "cli", arg(long))]
    pub exposure_time: String,
    /// The exposure's name in the text and figure, e.g. transplant (default: the exposure column's name)
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub exposure_name: Option<String>,
}

/// Simon-Makuch curves by a time-dependent [`Exposure`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SimonMakuchRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub endpoint: Endpoint,
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub exposure: Exposure,
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub curve: CurveOptions,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LogRankRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub endpoint: Endpoint,
    /// Column of groups to compare (with `landmark` and `exposure_time`, the exposure states at
    /// the landmark are the groups instead)
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub group: Option<String>,
    /// Fleming-Harrington rho: 0 is the log-rank test, 1 the Peto-Peto test
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, default_value_t, allow_hyphen_values = true))]
    pub rho: f64,
    /// Column of strata for a stratified test
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub strata: Option<String>,
    /// Also test every pair of groups
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub pairwise: bool,
    /// Adjustment of the pairwise p-values
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub adjust: Adjust,
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub landmark: Landmark,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FollowUpRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub endpoint: Endpoint,
    /// Column of groups
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub group: Option<String>,
    /// Confidence level of the median's interval
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, default_value_t, allow_negative_numbers = true))]
    pub conf_level: ConfLevel,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CoxRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub endpoint: Endpoint,
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub covariates: Covariates,
    /// Column of entry times: each row is an interval (start, time] of follow-up, as
    /// Surv(start, stop, event) (counting-process data, e.g. from tmerge)
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub start: Option<String>,
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub landmark: Landmark,
    /// Column of strata for a stratified model
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub strata: Option<String>,
    /// Handling of tied event times
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub ties: Ties,
    /// Confidence level of the hazard ratios' intervals
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, default_value_t, allow_negative_numbers = true))]
    pub conf_level: ConfLevel,
    /// Fit each covariate alone (a univariate screen)
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub univariate: bool,
    /// Test proportional hazards (cox.zph)
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub zph: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CifRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub endpoint: CompetingEndpoint,
    /// Column of groups, compared by Gray's test
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub group: Option<String>,
    /// Times at which to report the incidence, comma-separated
    #[serde(default, deserialize_with = "numbers_or_list_text")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<f64>"))]
    #[cfg_attr(feature = "cli", arg(long, value_delimiter = ',', allow_hyphen_values = true))]
    pub at: Vec<f64>,
    /// The power of the weight (1 - F)^rho in Gray's test
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, default_value_t, allow_hyphen_values = true))]
    pub rho: f64,
    /// Column of strata for Gray's test
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub strata: Option<String>,
    /// Confidence level of the pointwise intervals
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, default_value_t, allow_negative_numbers = true))]
    pub conf_level: ConfLevel,
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub landmark: Landmark,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FineGrayRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub endpoint: CompetingEndpoint,
    /// The cause of interest (a value of the status column)
    #[serde(deserialize_with = "required_text_or_number")]
    #[cfg_attr(feature = "cli", arg(long, allow_hyphen_values = true))]
    pub cause: String,
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub covariates: Covariates,
    /// Confidence level of the subdistribution hazard ratios' intervals
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, default_value_t, allow_negative_numbers = true))]
    pub conf_level: ConfLevel,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Table1Request {
    /// Column of groups (the table's columns)
    #[cfg_attr(feature = "cli", arg(long))]
    pub group: String,
    /// Variables to describe, comma-separated
    #[serde(default, deserialize_with = "strings_or_list_text")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    #[cfg_attr(feature = "cli", arg(long, value_delimiter = ',', required = true))]
    pub vars: Vec<String>,
    /// Numeric variables to describe as categories, comma-separated
    #[serde(default, deserialize_with = "strings_or_list_text")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    #[cfg_attr(feature = "cli", arg(long, value_delimiter = ','))]
    pub categorical: Vec<String>,
    /// Test of categorical rows
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub categorical_test: CategoricalTest,
    /// Test of continuous rows
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub continuous_test: ContinuousTest,
    /// Also test every pair of groups
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub pairwise: bool,
    /// Seed of Monte Carlo p-values (Fisher's test on tables too large to enumerate), as R's set.seed
    #[serde(default = "default_seed")]
    #[cfg_attr(feature = "cli", arg(long, default_value_t = default_seed(), allow_negative_numbers = true))]
    pub seed: i32,
    /// Random tables drawn for a Monte Carlo p-value, R's B
    #[serde(default = "default_replicates")]
    #[cfg_attr(feature = "cli", arg(long, default_value_t = default_replicates()))]
    pub replicates: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MantelByarRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub endpoint: Endpoint,
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub exposure: Exposure,
}

fn default_seed() -> i32 {
    crate::estimate::fisher_simulated::DEFAULT_SEED
}

fn default_replicates() -> u32 {
    crate::estimate::fisher_simulated::DEFAULT_REPLICATES
}

/// The test of categorical rows; the default is Pearson's chi-square without correction, as SPSS
/// prints it and the motivating study reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum CategoricalTest {
    #[default]
    Chisq,
    Yates,
    Fisher,
    /// Fisher when any expected count is below 5, else chi-square.
    Auto,
}

/// The test of continuous rows; the default is Welch's t test, as R's `t.test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ContinuousTest {
    #[default]
    Welch,
    Student,
    Wilcoxon,
    /// The classic one-way ANOVA, `oneway.test(var.equal = TRUE)`.
    Anova,
    /// Welch's one-way ANOVA, `oneway.test(x ~ g)` (R's default, `var.equal = FALSE`).
    #[serde(rename = "welch-anova")]
    WelchAnova,
    Kruskal,
}

/// A confidence level; R's default is 0.95. Checked to lie in (0, 1) by [`Request::check`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct ConfLevel(pub f64);

impl Default for ConfLevel {
    fn default() -> Self {
        ConfLevel(0.95)
    }
}

impl fmt::Display for ConfLevel {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}", self.0)
    }
}

impl FromStr for ConfLevel {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.trim().parse().map(ConfLevel).map_err(|_| format!("\"{text}\" is not a number; give one such as 0.95"))
    }
}

/// R's `timefix`: `true` (the default of `survfit`, `survdiff` and `coxph`) treats times within
/// R's tolerance of each other as one time; `false` compares them exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct TimeFixFlag(pub bool);

impl Default for TimeFixFlag {
    fn default() -> Self {
        TimeFixFlag(true)
    }
}

impl fmt::Display for TimeFixFlag {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}", self.0)
    }
}

impl FromStr for TimeFixFlag {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.trim().parse().map(TimeFixFlag).map_err(|_| format!("\"{text}\" is not true or false"))
    }
}

/// How to read the file: what the page sends when a file is loaded, a study's `read`, and the
/// read part of a [`FileRequest`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReadSettings {
    /// Cell delimiter: "," ";" or "tab" (detected when not given)
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, global = true))]
    pub delimiter: Option<String>,
    /// Decimal mark: "." (default) or ","
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, global = true))]
    pub decimal: Option<String>,
    /// Extra missing-value codes, comma-separated, besides empty, NA, "." and NaN
    #[serde(default, deserialize_with = "strings_or_list_text")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    #[cfg_attr(feature = "cli", arg(long, global = true, value_delimiter = ',', allow_hyphen_values = true))]
    pub na: Vec<String>,
}

impl ReadSettings {
    /// The page's read options JSON (`{"delimiter","decimal","na"}`, all optional; blank is `{}`).
    ///
    /// # Errors
    /// JSON that is not a read request (an unknown field named), or an unknown delimiter or
    /// decimal mark.
    pub fn options_from_json(json: &str) -> Result<ReadOptions, Error> {
        let settings: ReadSettings =
            if json.trim().is_empty() { ReadSettings::default() } else { from_json_exactly(json, "read options")? };
        settings.read_options()
    }

    /// The reader's options.
    ///
    /// # Errors
    /// An unknown delimiter or decimal mark.
    pub fn read_options(&self) -> Result<ReadOptions, Error> {
        let delimiter = match self.delimiter.as_deref().map(|text| text.trim_matches(' ')) {
            None | Some("") | Some("auto") => None,
            Some(",") | Some("comma") => Some(b','),
            Some(";") | Some("semicolon") => Some(b';'),
            Some("\t") | Some("\\t") | Some("tab") => Some(b'\t'),
            Some("|") => Some(b'|'),
            Some(other) => {
                return Err(Error::invalid_option(
                    "delimiter",
                    format!(
                        "\"{other}\" is not a delimiter survkit reads; use \",\", \";\", tab or leave it to detection"
                    ),
                ))
            }
        };
        let decimal = match self.decimal.as_deref().map(str::trim) {
            None | Some("") | Some(".") => DecimalMark::Point,
            Some(",") => DecimalMark::Comma,
            Some(other) => {
                return Err(Error::invalid_option(
                    "decimal",
                    format!("\"{other}\" is not a decimal mark; use \".\" or \",\""),
                ))
            }
        };
        Ok(ReadOptions { delimiter, decimal, extra_missing: self.na.clone(), only_columns: None })
    }
}

/// A request with how to read its file: the CLI's flags, and the page's one-off JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FileRequest {
    #[serde(flatten)]
    pub read: ReadSettings,
    #[serde(flatten)]
    pub request: Request,
}

impl FileRequest {
    /// Reads a request with its read options from JSON: [`Request::from_json`]'s rules.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] naming the field at fault.
    pub fn from_json(json: &str) -> Result<FileRequest, Error> {
        let request: FileRequest = from_json_exactly(json, "request")?;
        request.request.check()?;
        Ok(request)
    }

    /// The reader's options, reading only the columns the request names.
    ///
    /// # Errors
    /// An unknown delimiter or decimal mark.
    pub fn read_options(&self) -> Result<ReadOptions, Error> {
        Ok(ReadOptions { only_columns: Some(self.request.used_columns()), ..self.read.read_options()? })
    }
}

impl Request {
    /// Reads a request from JSON: every field known to its analysis (an unknown one is refused by
    /// name), then [`Request::check`]ed.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] naming the field at fault.
    pub fn from_json(json: &str) -> Result<Request, Error> {
        let request: Request = from_json_exactly(json, "request")?;
        request.check()?;
        Ok(request)
    }

    /// The analysis's name, as in `"analysis"` and the CLI's subcommand.
    pub fn name(&self) -> &'static str {
        match self {
            Request::Km(_) => "km",
            Request::Logrank(_) => "logrank",
            Request::Followup(_) => "followup",
            Request::Cox(_) => "cox",
            Request::Cif(_) => "cif",
            Request::Finegray(_) => "finegray",
            Request::Table1(_) => "table1",
            Request::MantelByar(_) => "mantel-byar",
            Request::SimonMakuch(_) => "simon-makuch",
        }
    }

    /// Every problem with the options that needs no table: a blank column name, a confidence
    /// level outside (0, 1), a negative landmark time, a malformed covariate or reference.
    pub fn problems(&self) -> Vec<Error> {
        let analysis = self.name();
        let problems: Vec<Option<Error>> = match self {
            Request::Km(km) => {
                let mut problems = km.endpoint.problems(analysis);
                problems.extend(km.curve.problems());
                problems.extend(km.landmark.problems(analysis, &km.endpoint.time, &km.group));
                problems.extend(start_problems(&km.start, &km.endpoint, &km.landmark));
                problems
            }
            Request::Logrank(test) => {
                let mut problems = test.endpoint.problems(analysis);
                problems.push((optional_column(&test.group).is_none() && !test.landmark.groups_by_exposure()).then(
                    || {
                        Error::invalid_option(
                            "group",
                            "the logrank analysis needs a group column (or a landmark with an exposure time, to \
                             compare the exposure states at the landmark); choose one",
                        )
                    },
                ));
                problems.push(rho_problem(test.rho));
                problems.extend(test.landmark.problems(analysis, &test.endpoint.time, &test.group));
                problems
            }
            Request::Followup(followup) => {
                let mut problems = followup.endpoint.problems(analysis);
                problems.push(conf_level_problem(followup.conf_level));
                problems
            }
            Request::Cox(cox) => {
                let mut problems = cox.endpoint.problems(analysis);
                problems.extend([cox.covariates.design_spec().err(), conf_level_problem(cox.conf_level)]);
                problems.extend(cox.time_dependent_problems());
                problems
            }
            Request::Cif(cif) => {
                let mut problems = cif.endpoint.problems(analysis);
                problems.extend([conf_level_problem(cif.conf_level), times_problem(&cif.at), rho_problem(cif.rho)]);
                problems.extend(cif.landmark.problems(analysis, &cif.endpoint.time, &cif.group));
                problems
            }
            Request::Finegray(model) => {
                let mut problems = model.endpoint.problems(analysis);
                problems.push(model.cause.trim().is_empty().then(|| {
                    Error::invalid_option(
                        "cause",
                        "the finegray analysis needs the cause of interest (a value of the status column); choose one",
                    )
                }));
                problems.extend([model.covariates.design_spec().err(), conf_level_problem(model.conf_level)]);
                problems
            }
            Request::Table1(table) => vec![
                blank_column(analysis, "group", &table.group),
                (table.replicates == 0)
                    .then(|| Error::invalid_option("replicates", "give at least 1 random table (R's default is 2000)")),
            ],
            Request::MantelByar(test) => {
                let mut problems = test.endpoint.problems(analysis);
                problems.extend(test.exposure.problems(analysis, &test.endpoint));
                problems
            }
            Request::SimonMakuch(curves) => {
                let mut problems = curves.endpoint.problems(analysis);
                problems.extend(curves.exposure.problems(analysis, &curves.endpoint));
                problems.extend(curves.curve.problems());
                problems
            }
        };
        problems.into_iter().flatten().collect()
    }

    /// The first of [`Request::problems`].
    ///
    /// # Errors
    /// A problem with the options.
    pub fn check(&self) -> Result<(), Error> {
        match self.problems().into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// Every column the request names, so a one-off analysis builds only those.
    pub fn used_columns(&self) -> Vec<String> {
        self.column_fields().into_iter().map(|(_, column)| column).collect()
    }

    /// Each column the request names, with the field that names it (blank names left out).
    pub fn column_fields(&self) -> Vec<(&'static str, String)> {
        let mut fields: Vec<(&'static str, &str)> = Vec::new();
        match self {
            Request::Km(km) => {
                fields.extend(km.endpoint.columns());
                fields.extend(km.group.as_deref().map(|name| ("group", name)));
                fields.extend(km.start.as_deref().map(|name| ("start", name)));
                fields.extend(km.landmark.columns());
            }
            Request::Logrank(test) => {
                fields.extend(test.endpoint.columns());
                fields.extend(test.group.as_deref().map(|name| ("group", name)));
                fields.extend(test.strata.as_deref().map(|name| ("strata", name)));
                fields.extend(test.landmark.columns());
            }
            Request::Followup(followup) => {
                fields.extend(followup.endpoint.columns());
                fields.extend(followup.group.as_deref().map(|name| ("group", name)));
            }
            Request::Cox(cox) => {
                fields.extend(cox.endpoint.columns());
                fields.extend(cox.strata.as_deref().map(|name| ("strata", name)));
                fields.extend(cox.start.as_deref().map(|name| ("start", name)));
                fields.extend(cox.landmark.exposure_time.as_deref().map(|name| ("exposure_time", name)));
            }
            Request::Cif(cif) => {
                fields.extend(cif.endpoint.columns());
                fields.extend(cif.group.as_deref().map(|name| ("group", name)));
                fields.extend(cif.strata.as_deref().map(|name| ("strata", name)));
                fields.extend(cif.landmark.columns());
            }
            Request::Finegray(model) => fields.extend(model.endpoint.columns()),
            Request::Table1(table) => {
                fields.push(("group", &table.group));
                fields.extend(table.vars.iter().map(|name| ("vars", name.as_str())));
            }
            Request::MantelByar(test) => {
                fields.extend(test.endpoint.columns());
                fields.push(("exposure_time", &test.exposure.exposure_time));
            }
            Request::SimonMakuch(curves) => {
                fields.extend(curves.endpoint.columns());
                fields.push(("exposure_time", &curves.exposure.exposure_time));
            }
        }
        let mut fields: Vec<(&'static str, String)> =
            fields.into_iter().map(|(field, name)| (field, name.trim().to_string())).collect();
        if let Request::Cox(CoxRequest { covariates, .. }) | Request::Finegray(FineGrayRequest { covariates, .. }) =
            self
        {
            fields.extend(covariates.columns().map(|column| ("covariates", column)));
        }
        fields.retain(|(_, name)| !name.is_empty());
        fields
    }

    /// Each value the request expects a column to hold: (field, column, value). A study checks
    /// them against the file before it runs.
    pub fn level_fields(&self) -> Vec<(&'static str, String, String)> {
        let mut levels = Vec::new();
        match self {
            Request::Km(KmRequest { endpoint, .. })
            | Request::Logrank(LogRankRequest { endpoint, .. })
            | Request::Followup(FollowUpRequest { endpoint, .. })
            | Request::Cox(CoxRequest { endpoint, .. })
            | Request::MantelByar(MantelByarRequest { endpoint, .. })
            | Request::SimonMakuch(SimonMakuchRequest { endpoint, .. }) => {
                if let Some(value) = &endpoint.event_value {
                    levels.push(("event_value", endpoint.event.trim().to_string(), value.trim().to_string()));
                }
            }
            Request::Cif(_) | Request::Finegray(_) | Request::Table1(_) => {}
        }
        if let Request::Finegray(model) = self {
            levels.push(("cause", model.endpoint.status.trim().to_string(), model.cause.trim().to_string()));
        }
        if let Request::Cox(CoxRequest { covariates, .. }) | Request::Finegray(FineGrayRequest { covariates, .. }) =
            self
        {
            if let Ok(design) = covariates.design_spec() {
                levels.extend(design.references.into_iter().map(|(column, level)| ("reference", column, level)));
            }
        }
        levels
    }
}

impl KmRequest {
    /// The log-rank test between the curves' groups (`None` without groups): the p-value a
    /// Kaplan-Meier figure prints.
    /// With a landmark, the test is on the patients the curves keep (by exposure state at the
    /// landmark with an exposure time).
    pub fn log_rank(&self) -> Option<Request> {
        let group = optional_column(&self.group);
        if group.is_none() && !self.landmark.groups_by_exposure() {
            return None;
        }
        Some(Request::Logrank(LogRankRequest {
            endpoint: self.endpoint.clone(),
            group: group.map(str::to_string),
            rho: 0.0,
            strata: None,
            pairwise: false,
            adjust: Adjust::default(),
            landmark: self.landmark.clone(),
        }))
    }
}

impl Endpoint {
    /// A blank time or event column.
    fn problems(&self, analysis: &str) -> Vec<Option<Error>> {
        vec![blank_column(analysis, "time", &self.time), blank_column(analysis, "event", &self.event)]
    }

    fn columns(&self) -> [(&'static str, &str); 2] {
        [("time", self.time.as_str()), ("event", self.event.as_str())]
    }

    pub fn event_coding(&self) -> EventCoding {
        match &self.event_value {
            None => EventCoding::Automatic,
            Some(value) => EventCoding::Value(value.clone()),
        }
    }

    /// How times that differ only by rounding are compared (R's `timefix`).
    pub fn time_fix(&self) -> TimeFix {
        TimeFix::from_flag(self.timefix.0)
    }
}

impl CurveOptions {
    /// A confidence level outside (0, 1), a negative time.
    fn problems(&self) -> [Option<Error>; 2] {
        [conf_level_problem(self.conf_level), times_problem(&self.at)]
    }

    /// The estimator's options.
    pub fn kaplan_meier(&self) -> crate::estimate::km::KaplanMeierOptions {
        crate::estimate::km::KaplanMeierOptions { conf_type: self.conf_type, conf_level: self.conf_level.0 }
    }
}

impl CoxRequest {
    /// The landmark's problems; a start column that is the time column, and a start column with an
    /// exposure to split by or a landmark (the file is then split already: add the exposure as a
    /// column of it); the univariate screen with an exposure.
    fn time_dependent_problems(&self) -> Vec<Option<Error>> {
        let exposure = optional_column(&self.landmark.exposure_time);
        let mut problems = self.landmark.time_and_column_problems(&self.endpoint.time);
        problems.extend(start_problems(&self.start, &self.endpoint, &self.landmark));
        problems.extend([(self.univariate && exposure.is_some()).then(|| {
            Error::invalid_option(
                "univariate",
                "the univariate screen does not take an exposure time; fit the exposure with each covariate as \
                     its own cox analysis",
            )
        })]);
        problems
    }

    /// The exposure's name: `exposure_name`, else the exposure column's.
    pub fn exposure_name(&self) -> Option<&str> {
        let column = optional_column(&self.landmark.exposure_time)?;
        Some(optional_column(&self.landmark.exposure_name).unwrap_or(column))
    }
}

impl Exposure {
    /// A blank exposure column, or the follow-up time column given as the exposure's.
    fn problems(&self, analysis: &str, endpoint: &Endpoint) -> Vec<Option<Error>> {
        let column = self.exposure_time.trim();
        vec![
            column.is_empty().then(|| {
                Error::invalid_option(
                    "exposure_time",
                    format!(
                        "the {analysis} analysis needs a column of exposure times (such as the time to transplant); \
                         choose one"
                    ),
                )
            }),
            exposure_is_time_column(column, &endpoint.time),
        ]
    }

    /// The exposure's name: `exposure_name`, else the exposure column's.
    pub fn name(&self) -> &str {
        optional_column(&self.exposure_name).unwrap_or(self.exposure_time.trim())
    }
}

/// A start column (km, cox) that is the time column, or beside an exposure or a landmark (the
/// file is split already: the exposure is a 0/1 column of its intervals).
fn start_problems(start: &Option<String>, endpoint: &Endpoint, landmark: &Landmark) -> [Option<Error>; 2] {
    let start = optional_column(start);
    [
        start.filter(|start| *start == endpoint.time.trim()).map(|_| {
            Error::invalid_option(
                "start",
                "the start column is the time column; choose the column of each interval's start time",
            )
        }),
        (start.is_some() && (landmark.exposure_column().is_some() || landmark.landmark.is_some())).then(|| {
            Error::invalid_option(
                "start",
                "a file of (start, stop] intervals is split already: give the exposure as a 0/1 column of those \
                 intervals (a covariate or group), or give one row per patient with exposure_time (and no start)",
            )
        }),
    ]
}

/// The follow-up time column given as the exposure's (mantel-byar, simon-makuch, a landmark's
/// exposure).
fn exposure_is_time_column(exposure_column: &str, time_column: &str) -> Option<Error> {
    let column = exposure_column.trim();
    (!column.is_empty() && column == time_column.trim()).then(|| {
        Error::invalid_option(
            "exposure_time",
            "the exposure time column is the follow-up time column; choose the column of times to the exposure \
             (such as the time to transplant)",
        )
    })
}

impl Landmark {
    /// The exposure column, `None` when absent or blank.
    pub fn exposure_column(&self) -> Option<&str> {
        optional_column(&self.exposure_time)
    }

    /// Whether the groups are the exposure states at the landmark (a landmark and an exposure
    /// column).
    pub fn groups_by_exposure(&self) -> bool {
        self.landmark.is_some() && self.exposure_column().is_some()
    }

    /// A landmark time that is negative or not a number; an exposure column without a landmark
    /// (km, logrank, cif), beside a group column, or equal to the follow-up time column.
    fn problems(&self, analysis: &str, time_column: &str, group: &Option<String>) -> Vec<Option<Error>> {
        let mut problems = self.time_and_column_problems(time_column);
        let exposure = self.exposure_column();
        problems.extend([
            (exposure.is_some() && self.landmark.is_none()).then(|| {
                Error::invalid_option(
                    "exposure_time",
                    format!(
                        "an exposure time needs --landmark on {analysis}; for curves by a time-dependent exposure \
                         use simon-makuch, for a test mantel-byar"
                    ),
                )
            }),
            (exposure.is_some() && optional_column(group).is_some()).then(|| {
                Error::invalid_option(
                    "exposure_time",
                    "with an exposure time the groups are the exposure states at the landmark; choose either a \
                     group column or an exposure time, not both",
                )
            }),
        ]);
        problems
    }

    /// A landmark time that is negative or not a number, an exposure column that is the follow-up
    /// time column (cox, where an exposure without a landmark is time-dependent, checks only these).
    fn time_and_column_problems(&self, time_column: &str) -> Vec<Option<Error>> {
        vec![
            self.landmark.filter(|time| !time.is_finite() || *time < 0.0).map(|bad| {
                Error::invalid_option(
                    "landmark",
                    format!("{bad} is not a landmark time; give a time of 0 or more, in the follow-up times' unit"),
                )
            }),
            self.exposure_column().and_then(|column| exposure_is_time_column(column, time_column)),
        ]
    }

    fn columns(&self) -> Option<(&'static str, &str)> {
        self.exposure_column().map(|name| ("exposure_time", name))
    }
}

impl CompetingEndpoint {
    /// A blank time or status column.
    fn problems(&self, analysis: &str) -> Vec<Option<Error>> {
        vec![blank_column(analysis, "time", &self.time), blank_column(analysis, "status", &self.status)]
    }

    fn columns(&self) -> [(&'static str, &str); 2] {
        [("time", self.time.as_str()), ("status", self.status.as_str())]
    }

    /// The status value that means censored.
    pub fn censor_value(&self) -> &str {
        self.censor_value.as_deref().unwrap_or(DEFAULT_CENSOR_VALUE)
    }
}

impl Covariates {
    /// The column of every covariate (a cut-point's column).
    fn columns(&self) -> impl Iterator<Item = String> + '_ {
        self.covariates
            .iter()
            .filter_map(|name| Covariate::parse(name).ok().map(|covariate| covariate.column().to_string()))
    }

    /// The covariates, categorical columns and reference levels as a design.
    ///
    /// # Errors
    /// No covariates, a malformed cut-point, or a reference not written `column=level`.
    pub fn design_spec(&self) -> Result<DesignSpec, Error> {
        let covariates: Vec<Covariate> = self
            .covariates
            .iter()
            .filter(|name| !name.trim().is_empty())
            .map(|name| Covariate::parse(name))
            .collect::<Result<_, _>>()?;
        if covariates.is_empty() {
            return Err(Error::invalid_option("covariates", "choose at least one covariate"));
        }
        let references = self
            .reference
            .iter()
            .map(|pair| {
                pair.split_once('=')
                    .map(|(column, level)| (column.trim().to_string(), level.trim().to_string()))
                    .ok_or_else(|| {
                        Error::invalid_option(
                            "reference",
                            format!("write \"{pair}\" as column=level, e.g. celltype=squamous"),
                        )
                    })
            })
            .collect::<Result<_, _>>()?;
        let categorical =
            self.categorical.iter().map(|name| name.trim().to_string()).filter(|name| !name.is_empty()).collect();
        Ok(DesignSpec { covariates, categorical, references })
    }
}

/// An optional column field: `None` when absent or blank.
pub fn optional_column(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|name| !name.is_empty())
}

/// A column field left blank.
fn blank_column(analysis: &str, field: &'static str, name: &str) -> Option<Error> {
    name.trim()
        .is_empty()
        .then(|| Error::invalid_option(field, format!("the {analysis} analysis needs a {field} column; choose one")))
}

/// A confidence level outside (0, 1).
fn conf_level_problem(level: ConfLevel) -> Option<Error> {
    (!(level.0 > 0.0 && level.0 < 1.0)).then(|| {
        Error::invalid_option(
            "conf-level",
            format!("{} is not a confidence level; give a number between 0 and 1, such as 0.95", level.0),
        )
    })
}

/// A landmark time that is negative or not a number.
fn times_problem(times: &[f64]) -> Option<Error> {
    times
        .iter()
        .find(|time| !time.is_finite() || **time < 0.0)
        .map(|bad| Error::invalid_option("at", format!("{bad} is not a time; give times of 0 or more")))
}

/// A rho that is not a finite number.
fn rho_problem(rho: f64) -> Option<Error> {
    (!rho.is_finite()).then(|| Error::invalid_option("rho", "give a number, such as 0 (log-rank) or 1 (Peto-Peto)"))
}

/// JSON read into `T` with every field known: serde cannot refuse unknown fields of flattened
/// parts, so the value is read, written back, and any key of the input missing from the output
/// is an unknown field. A missing required field says which analysis needs it.
pub(crate) fn from_json_exactly<T: Serialize + for<'de> Deserialize<'de>>(json: &str, what: &str) -> Result<T, Error> {
    let input: serde_json::Value =
        serde_json::from_str(json).map_err(|error| Error::invalid_option(what, error.to_string()))?;
    value_exactly(input, what)
}

/// [`from_json_exactly`] on a parsed value.
pub(crate) fn value_exactly<T: Serialize + for<'de> Deserialize<'de>>(
    input: serde_json::Value,
    what: &str,
) -> Result<T, Error> {
    // A misspelt field (`tme`) also leaves a required one (`time`) missing: fill each missing
    // field with a blank so that the unknown one, the likelier mistake, is the one reported.
    let mut filled = input.clone();
    let mut missing: Option<String> = None;
    let value: Option<T> = loop {
        match T::deserialize(&filled) {
            Ok(value) => break Some(value),
            Err(error) => {
                let message = error.to_string();
                let field = message.strip_prefix("missing field `").and_then(|rest| rest.strip_suffix('`'));
                match (field, filled.as_object_mut()) {
                    (Some(field), Some(object)) if !object.contains_key(field) => {
                        missing.get_or_insert_with(|| field.to_string());
                        object.insert(field.to_string(), serde_json::Value::String(String::new()));
                    }
                    _ if missing.is_some() => break None,
                    _ => return Err(Error::invalid_option(what, message)),
                }
            }
        }
    };
    if let Some(value) = &value {
        let written = serde_json::to_value(value).map_err(|error| Error::invalid_option(what, error.to_string()))?;
        if let Some(unknown) = unknown_field(&input, &written, "") {
            let scope = unknown.analysis.map_or(String::new(), |name| format!(" of the {name} analysis"));
            return Err(Error::invalid_option(
                what,
                format!("unknown field `{}`{scope}; the fields are {}", unknown.path, unknown.known.join(", ")),
            ));
        }
    }
    match (missing, value) {
        (None, Some(value)) => Ok(value),
        (Some(field), _) => Err(match input.get("analysis").and_then(serde_json::Value::as_str) {
            Some(analysis) => {
                Error::invalid_option(&field, format!("the {analysis} analysis needs a {field}; choose one"))
            }
            None => Error::invalid_option(what, format!("the field `{field}` is missing; add it")),
        }),
        (None, None) => Err(Error::invalid_option(what, "not a request")),
    }
}

/// A field of the input that the type does not have.
struct UnknownField {
    /// Its path, such as `conf` or `analyses[2].request.conf`.
    path: String,
    /// The fields known where it was found.
    known: Vec<String>,
    /// The `"analysis"` of the object it was found in.
    analysis: Option<String>,
}

/// The first key of `given` (at any depth) that `known`, the same value written back, lacks.
/// Values read from another shape (a list given as text) are not compared inside.
fn unknown_field(given: &serde_json::Value, known: &serde_json::Value, path: &str) -> Option<UnknownField> {
    use serde_json::Value;
    match (given, known) {
        (Value::Object(given), Value::Object(known)) => given.iter().find_map(|(key, value)| {
            let inner = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            match known.get(key) {
                None => Some(UnknownField {
                    path: inner,
                    known: known.keys().cloned().collect(),
                    analysis: given.get("analysis").and_then(Value::as_str).map(str::to_string),
                }),
                Some(known_value) => unknown_field(value, known_value, &inner),
            }
        }),
        (Value::Array(given), Value::Array(known)) if given.len() == known.len() => given
            .iter()
            .zip(known)
            .enumerate()
            .find_map(|(index, (given, known))| unknown_field(given, known, &format!("{path}[{index}]"))),
        _ => None,
    }
}

/// Parses `"6, 12,24"` (commas, semicolons or spaces between numbers with a decimal point).
///
/// # Errors
/// A piece that is not a number.
pub fn parse_number_list(text: &str) -> Result<Vec<f64>, String> {
    text.split([',', ';', ' '])
        .filter(|piece| !piece.trim().is_empty())
        .map(|piece| {
            crate::data::parse_number(piece.trim(), DecimalMark::Point)
                .ok_or_else(|| format!("\"{}\" is not a number", piece.trim()))
        })
        .collect()
}

#[derive(Deserialize)]
#[serde(untagged)]
enum NumbersOrText {
    Numbers(Vec<f64>),
    Number(f64),
    Text(String),
}

fn numbers_or_list_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<f64>, D::Error> {
    match Option::<NumbersOrText>::deserialize(deserializer)? {
        None => Ok(Vec::new()),
        Some(NumbersOrText::Numbers(numbers)) => Ok(numbers),
        Some(NumbersOrText::Number(number)) => Ok(vec![number]),
        Some(NumbersOrText::Text(text)) => parse_number_list(&text).map_err(serde::de::Error::custom),
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum StringsOrText {
    Strings(Vec<String>),
    Text(String),
}

fn strings_or_list_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Ok(match Option::<StringsOrText>::deserialize(deserializer)? {
        None => Vec::new(),
        Some(StringsOrText::Strings(strings)) => strings,
        Some(StringsOrText::Text(text)) => text.split(',').map(|piece| piece.trim().to_string()).collect(),
    })
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TextOrNumber {
    Text(String),
    Number(serde_json::Number),
    Bool(bool),
}

impl TextOrNumber {
    fn into_text(self) -> String {
        match self {
            TextOrNumber::Text(text) => text,
            TextOrNumber::Number(number) => number.to_string(),
            TextOrNumber::Bool(flag) => flag.to_string(),
        }
    }
}

fn text_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<TextOrNumber>::deserialize(deserializer)?.map(TextOrNumber::into_text))
}

fn required_text_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    TextOrNumber::deserialize(deserializer).map(TextOrNumber::into_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_pages_json() {
        let request = FileRequest::from_json(
            r#"{"analysis":"km","time":"os_months","event":"os_event","group":"group","at":[12,24],
                "conf_type":"log-log","conf_level":0.9,"event_value":1,"na":"-99,unknown"}"#,
        )
        .unwrap();
        let Request::Km(km) = &request.request else { panic!("{request:?}") };
        assert_eq!(km.curve.at, vec![12.0, 24.0]);
        assert_eq!(km.curve.conf_type, ConfType::LogLog);
        assert_eq!(km.endpoint.event_value.as_deref(), Some("1"));
        assert_eq!(request.read.na, vec!["-99", "unknown"]);
        let Request::Km(km) = Request::from_json(r#"{"analysis":"km","time":"t","event":"e","at":"6, 12"}"#).unwrap()
        else {
            panic!()
        };
        assert_eq!(km.curve.at, vec![6.0, 12.0]);
    }

    #[test]
    fn rejects_unknown_fields_and_values_by_name() {
        let message =
            Request::from_json(r#"{"analysis":"km","time":"t","event":"e","conf":"log"}"#).unwrap_err().to_string();
        assert!(message.contains("unknown field `conf` of the km analysis"), "{message}");
        // A field of another analysis is unknown here too.
        let message =
            Request::from_json(r#"{"analysis":"km","time":"t","event":"e","pairwise":true}"#).unwrap_err().to_string();
        assert!(message.contains("unknown field `pairwise`"), "{message}");
        let message = Request::from_json(r#"{"analysis":"km","time":"t","event":"e","conf_type":"logit"}"#)
            .unwrap_err()
            .to_string();
        assert!(message.contains("logit"), "{message}");
        let message = Request::from_json(r#"{"analysis":"logrank","time":"t","event":"e"}"#).unwrap_err().to_string();
        assert!(message.starts_with("group: the logrank analysis needs a group column"), "{message}");
    }

    #[test]
    fn checks_numbers() {
        let message =
            Request::from_json(r#"{"analysis":"km","time":"t","event":"e","conf_level":95}"#).unwrap_err().to_string();
        assert!(message.contains("between 0 and 1"), "{message}");
        assert!(Request::from_json(r#"{"analysis":"km","time":"t","event":"e","at":[-1]}"#).is_err());
        assert_eq!(parse_number_list("1,x").unwrap_err(), "\"x\" is not a number");
    }

    #[test]
    fn writes_what_it_reads() {
        let json = r#"{"analysis":"cox","time":"t","event":"e","covariates":["age","sex"],"zph":true}"#;
        let request = Request::from_json(json).unwrap();
        let again = Request::from_json(&serde_json::to_string(&request).unwrap()).unwrap();
        assert_eq!(request, again);
    }
}
