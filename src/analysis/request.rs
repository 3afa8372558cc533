//! The request: what the user asked for, the same from the CLI's flags and the page's JSON.
//!
//! Field names are the CLI's flags with `-` turned into `_`; the subcommand is `analysis`.
//! Lists are arrays (or, as on the command line, comma-separated text); switches are `true`.

use serde::{Deserialize, Deserializer};

use super::table1::{CategoricalTest, ContinuousTest};

use crate::data::{Covariate, DecimalMark, DesignSpec, EventCoding, ReadOptions};
use crate::error::Error;
use crate::estimate::cox::Ties;
use crate::estimate::km::ConfType;
use crate::estimate::p_adjust::Adjust;
use crate::estimate::timefix::TimeFix;

/// The analyses the engine runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnalysisKind {
    Km,
    Logrank,
    Followup,
    Cox,
    Cif,
    Finegray,
    Table1,
}

/// One analysis of one file. Defaults are R's.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub analysis: AnalysisKind,
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub event: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub strata: Option<String>,
    /// Landmark times for `km`.
    #[serde(default, deserialize_with = "numbers_or_list_text")]
    pub at: Vec<f64>,
    #[serde(default)]
    pub conf_type: ConfType,
    #[serde(default = "default_conf_level")]
    pub conf_level: f64,
    /// The Fleming-Harrington rho of `logrank`; 0 is the log-rank test.
    #[serde(default)]
    pub rho: f64,
    #[serde(default)]
    pub pairwise: bool,
    #[serde(default)]
    pub adjust: Adjust,
    /// `","`, `";"`, `"\t"` (or `"tab"`); absent or `"auto"` detects it.
    #[serde(default)]
    pub delimiter: Option<String>,
    /// `"."` (default) or `","`.
    #[serde(default)]
    pub decimal: Option<String>,
    /// Extra missing-value codes, added to the defaults (empty, NA, ".", NaN).
    #[serde(default, deserialize_with = "strings_or_list_text")]
    pub na: Vec<String>,
    /// The value of the event column that means "event"; absent reads 0/1, TRUE/FALSE and so on.
    #[serde(default, deserialize_with = "text_or_number")]
    pub event_value: Option<String>,
    /// Regression covariates: column names or cut-points such as `age>=40`.
    #[serde(default, deserialize_with = "strings_or_list_text")]
    pub covariates: Vec<String>,
    /// Numeric columns to treat as categorical.
    #[serde(default, deserialize_with = "strings_or_list_text")]
    pub categorical: Vec<String>,
    /// Reference levels, each `column=level`.
    #[serde(default, deserialize_with = "strings_or_list_text")]
    pub reference: Vec<String>,
    #[serde(default)]
    pub ties: Ties,
    /// Times within R's tolerance of each other are one time (R's `timefix = TRUE`, the
    /// default of `survfit`, `survdiff` and `coxph`); `false` compares them exactly.
    #[serde(default = "default_timefix")]
    pub timefix: bool,
    /// One model per covariate (a univariate screen).
    #[serde(default)]
    pub univariate: bool,
    /// The proportional-hazards test (`cox.zph`).
    #[serde(default)]
    pub zph: bool,
    /// Competing risks: the status column (censoring value, or a cause).
    #[serde(default)]
    pub status: Option<String>,
    /// The status value that means censored; cmprsk's default is 0.
    #[serde(default, deserialize_with = "text_or_number")]
    pub censor_value: Option<String>,
    /// The cause of interest of a Fine-Gray model.
    #[serde(default, deserialize_with = "text_or_number")]
    pub cause: Option<String>,
    /// Table 1: the variables to describe.
    #[serde(default, deserialize_with = "strings_or_list_text")]
    pub vars: Vec<String>,
    #[serde(default)]
    pub categorical_test: CategoricalTest,
    #[serde(default)]
    pub continuous_test: ContinuousTest,
    /// Monte Carlo p-values (Fisher's test on tables too large to enumerate): R's `set.seed`...
    #[serde(default = "default_seed")]
    pub seed: i32,
    /// ...and the number of random tables, R's `B`.
    #[serde(default = "default_replicates")]
    pub replicates: u32,
}

fn default_seed() -> i32 {
    crate::estimate::fisher_simulated::DEFAULT_SEED
}

fn default_replicates() -> u32 {
    crate::estimate::fisher_simulated::DEFAULT_REPLICATES
}

fn default_timefix() -> bool {
    true
}

fn default_conf_level() -> f64 {
    0.95
}

impl Request {
    /// A request for `analysis` with every option at its default.
    pub fn new(analysis: AnalysisKind) -> Request {
        Request {
            analysis,
            time: None,
            event: None,
            group: None,
            strata: None,
            at: Vec::new(),
            conf_type: ConfType::default(),
            conf_level: default_conf_level(),
            rho: 0.0,
            pairwise: false,
            adjust: Adjust::default(),
            delimiter: None,
            decimal: None,
            na: Vec::new(),
            event_value: None,
            covariates: Vec::new(),
            categorical: Vec::new(),
            reference: Vec::new(),
            ties: Ties::default(),
            timefix: default_timefix(),
            univariate: false,
            zph: false,
            status: None,
            censor_value: None,
            cause: None,
            vars: Vec::new(),
            categorical_test: CategoricalTest::default(),
            continuous_test: ContinuousTest::default(),
            seed: default_seed(),
            replicates: default_replicates(),
        }
    }

    /// Reads a request from the page's JSON.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] naming the field at fault.
    pub fn from_json(json: &str) -> Result<Request, Error> {
        serde_json::from_str(json).map_err(|error| Error::invalid_option("request", error.to_string()))
    }

    /// How to read the file.
    ///
    /// # Errors
    /// An unknown delimiter or decimal mark.
    pub fn read_options(&self) -> Result<ReadOptions, Error> {
        read_options(self.delimiter.as_deref(), self.decimal.as_deref(), &self.na)
    }

    /// Every column the request names, so a one-off analysis builds only those.
    pub fn used_columns(&self) -> Vec<String> {
        let mut columns: Vec<String> = [&self.time, &self.event, &self.status, &self.group, &self.strata]
            .into_iter()
            .filter_map(Request::optional_column)
            .map(str::to_string)
            .collect();
        columns.extend(self.vars.iter().map(|name| name.trim().to_string()));
        for covariate in &self.covariates {
            if let Ok(covariate) = Covariate::parse(covariate) {
                columns.push(covariate.column().to_string());
            }
        }
        columns
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

    /// How times that differ only by rounding are compared (R's `timefix`).
    pub fn time_fix(&self) -> TimeFix {
        TimeFix::from_flag(self.timefix)
    }

    pub fn event_coding(&self) -> EventCoding {
        match &self.event_value {
            None => EventCoding::Automatic,
            Some(value) => EventCoding::Value(value.clone()),
        }
    }

    /// The column named by a required field.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] when the field is absent or blank.
    pub fn required_column<'a>(&self, field: &'static str, value: &'a Option<String>) -> Result<&'a str, Error> {
        match value.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() => Ok(name),
            _ => Err(Error::invalid_option(
                field,
                format!("the {} analysis needs a {field} column; choose one", self.analysis_name()),
            )),
        }
    }

    /// An optional column field: `None` when absent or blank.
    pub fn optional_column(value: &Option<String>) -> Option<&str> {
        value.as_deref().map(str::trim).filter(|name| !name.is_empty())
    }

    pub fn analysis_name(&self) -> &'static str {
        match self.analysis {
            AnalysisKind::Km => "km",
            AnalysisKind::Logrank => "logrank",
            AnalysisKind::Followup => "followup",
            AnalysisKind::Cox => "cox",
            AnalysisKind::Cif => "cif",
            AnalysisKind::Finegray => "finegray",
            AnalysisKind::Table1 => "table1",
        }
    }

    /// # Errors
    /// A confidence level outside (0, 1).
    pub fn validated_conf_level(&self) -> Result<f64, Error> {
        if self.conf_level > 0.0 && self.conf_level < 1.0 {
            Ok(self.conf_level)
        } else {
            Err(Error::invalid_option(
                "conf-level",
                format!("{} is not a confidence level; give a number between 0 and 1, such as 0.95", self.conf_level),
            ))
        }
    }

    /// # Errors
    /// A landmark time that is negative or not a number.
    pub fn validated_at(&self) -> Result<&[f64], Error> {
        if let Some(bad) = self.at.iter().find(|time| !time.is_finite() || **time < 0.0) {
            return Err(Error::invalid_option("at", format!("{bad} is not a time; give times of 0 or more")));
        }
        Ok(&self.at)
    }

    /// # Errors
    /// A rho that is not a finite number.
    pub fn validated_rho(&self) -> Result<f64, Error> {
        if self.rho.is_finite() {
            Ok(self.rho)
        } else {
            Err(Error::invalid_option("rho", "give a number, such as 0 (log-rank) or 1 (Peto-Peto)"))
        }
    }
}

/// Only the fields that say how to read a file: what the page sends when a file is loaded.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadRequest {
    #[serde(default)]
    pub delimiter: Option<String>,
    #[serde(default)]
    pub decimal: Option<String>,
    #[serde(default, deserialize_with = "strings_or_list_text")]
    pub na: Vec<String>,
}

impl ReadRequest {
    /// # Errors
    /// JSON that is not a read request, or an unknown delimiter or decimal mark.
    pub fn options_from_json(json: &str) -> Result<ReadOptions, Error> {
        let request: ReadRequest = if json.trim().is_empty() {
            ReadRequest::default()
        } else {
            serde_json::from_str(json).map_err(|error| Error::invalid_option("read options", error.to_string()))?
        };
        read_options(request.delimiter.as_deref(), request.decimal.as_deref(), &request.na)
    }
}

/// The reader's options from the request's text fields.
fn read_options(delimiter: Option<&str>, decimal: Option<&str>, na: &[String]) -> Result<ReadOptions, Error> {
    let delimiter = match delimiter.map(|text| text.trim_matches(' ')) {
        None | Some("") | Some("auto") => None,
        Some(",") | Some("comma") => Some(b','),
        Some(";") | Some("semicolon") => Some(b';'),
        Some("\t") | Some("\\t") | Some("tab") => Some(b'\t'),
        Some("|") => Some(b'|'),
        Some(other) => {
            return Err(Error::invalid_option(
                "delimiter",
                format!("\"{other}\" is not a delimiter survkit reads; use \",\", \";\", tab or leave it to detection"),
            ))
        }
    };
    let decimal = match decimal.map(str::trim) {
        None | Some("") | Some(".") => DecimalMark::Point,
        Some(",") => DecimalMark::Comma,
        Some(other) => {
            return Err(Error::invalid_option(
                "decimal",
                format!("\"{other}\" is not a decimal mark; use \".\" or \",\""),
            ))
        }
    };
    Ok(ReadOptions { delimiter, decimal, extra_missing: na.to_vec(), only_columns: None })
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

fn text_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<TextOrNumber>::deserialize(deserializer)?.map(|value| match value {
        TextOrNumber::Text(text) => text,
        TextOrNumber::Number(number) => number.to_string(),
        TextOrNumber::Bool(flag) => flag.to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_pages_json() {
        let request = Request::from_json(
            r#"{"analysis":"km","time":"os_months","event":"os_event","group":"group","at":[12,24],
                "conf_type":"log-log","conf_level":0.9,"event_value":1,"na":"-99,unknown"}"#,
        )
        .unwrap();
        assert_eq!(request.at, vec![12.0, 24.0]);
        assert_eq!(request.conf_type, ConfType::LogLog);
        assert_eq!(request.event_value.as_deref(), Some("1"));
        assert_eq!(request.na, vec!["-99", "unknown"]);
        assert_eq!(Request::from_json(r#"{"analysis":"km","at":"6, 12"}"#).unwrap().at, vec![6.0, 12.0]);
    }

    #[test]
    fn rejects_unknown_fields_and_values_by_name() {
        let message = Request::from_json(r#"{"analysis":"km","conf":"log"}"#).unwrap_err().to_string();
        assert!(message.contains("unknown field `conf`"), "{message}");
        let message = Request::from_json(r#"{"analysis":"km","conf_type":"logit"}"#).unwrap_err().to_string();
        assert!(message.contains("logit"), "{message}");
    }

    #[test]
    fn validates_numbers() {
        let mut request = Request::new(AnalysisKind::Km);
        request.conf_level = 95.0;
        assert!(request.validated_conf_level().unwrap_err().to_string().contains("between 0 and 1"));
        request.at = vec![-1.0];
        assert!(request.validated_at().is_err());
        assert_eq!(parse_number_list("1,x").unwrap_err(), "\"x\" is not a number");
    }
}
