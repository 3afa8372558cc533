//! From a request to a report: reads the table, builds the frame, runs the estimator and fills the
//! JSON schema. Both front ends call only [`analyze_text`] (the CLI) or [`analyze_table`] (the
//! page's worker, which keeps the parsed table between requests).

mod competing;
mod cox;
mod followup;
mod frames;
mod km;
pub mod landmark;
mod logrank;
mod mantel_byar;
mod request;
mod simon_makuch;
pub mod study;
pub mod table1;

pub use request::{
    parse_number_list, CategoricalTest, CifRequest, CompetingEndpoint, ConfLevel, ContinuousTest, Covariates,
    CoxRequest, CurveOptions, Endpoint, Exposure, FileRequest, FineGrayRequest, FollowUpRequest, KmRequest, Landmark,
    LogRankRequest, MantelByarRequest, ReadSettings, Request, SimonMakuchRequest, Table1Request, TimeFixFlag,
    DEFAULT_CENSOR_VALUE,
};
pub use study::{
    derive_all, derived_from_json, CutColumn, DerivedColumn, Study, StudyAnalysis, StudyResult, StudyResults,
};

use crate::data::Table;
use crate::error::Error;
use crate::report::Report;

/// Parses `text` as the request says, then runs the analysis.
///
/// # Errors
/// Any problem with the file, the columns or the options, as an [`Error`] for the user.
pub fn analyze_text(text: &str, request: &FileRequest) -> Result<Report, Error> {
    let table = Table::parse(text, &request.read_options()?)?;
    analyze_table(&table, &request.request)
}

/// Decodes a file's bytes (UTF-8, UTF-16 or Windows-1252, see [`crate::data::decode_bytes`]),
/// parses them as the request says, then runs the analysis: what both front ends call with a
/// file, so that they read it alike.
///
/// # Errors
/// Any problem with the file, the columns or the options, as an [`Error`] for the user.
pub fn analyze_bytes(bytes: Vec<u8>, request: &FileRequest) -> Result<Report, Error> {
    let table = Table::parse_bytes(bytes, &request.read_options()?)?;
    analyze_table(&table, &request.request)
}

/// Runs the analysis on a table parsed earlier. The request is [`Request::check`]ed first; the
/// analyses receive only checked requests.
///
/// # Errors
/// Any problem with the columns or the options.
pub fn analyze_table(table: &Table, request: &Request) -> Result<Report, Error> {
    request.check()?;
    let mut report = run(table, request)?;
    report.notices_mut().splice(0..0, table.notices.iter().cloned());
    Ok(report)
}

fn run(table: &Table, request: &Request) -> Result<Report, Error> {
    match request {
        Request::Km(km) => km::kaplan_meier_report(table, km).map(Report::Km),
        Request::Logrank(test) => logrank::log_rank_report(table, test).map(Report::LogRank),
        Request::Followup(followup) => followup::follow_up_report(table, followup).map(Report::FollowUp),
        Request::Cox(model) if model.univariate => cox::cox_screen_report(table, model).map(Report::CoxScreen),
        Request::Cox(model) => cox::cox_report(table, model).map(|report| Report::Cox(Box::new(report))),
        Request::Cif(cif) => competing::cif_report(table, cif).map(Report::Cif),
        Request::Finegray(model) => competing::fine_gray_report(table, model).map(Report::FineGray),
        Request::Table1(table1) => table1::table1_report(table, table1).map(Report::Table1),
        Request::MantelByar(test) => mantel_byar::mantel_byar_report(table, test).map(Report::MantelByar),
        Request::SimonMakuch(curves) => simon_makuch::simon_makuch_report(table, curves).map(Report::SimonMakuch),
    }
}

/// The p-value a figure of `request` prints: for Kaplan-Meier curves of several groups, the
/// log-rank test between them (`None` otherwise, and when it cannot be computed).
pub fn figure_p_value(table: &Table, request: &Request) -> Option<f64> {
    let Request::Km(km) = request else { return None };
    match analyze_table(table, &km.log_rank()?) {
        Ok(Report::LogRank(test)) => test.p,
        _ => None,
    }
}
