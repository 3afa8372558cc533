//! From a request to a report: reads the table, builds the frame, runs the estimator and fills the
//! JSON schema. Both front ends call only [`analyze_text`] (the CLI) or [`analyze_table`] (the
//! page's worker, which keeps the parsed table between requests).

mod competing;
mod cox;
mod request;
mod survival;
pub mod table1;

pub use request::{parse_number_list, AnalysisKind, ReadRequest, Request};

use crate::data::{ReadOptions, Table};
use crate::error::Error;
use crate::report::Report;

/// Parses `text` as the request says, then runs the analysis.
///
/// # Errors
/// Any problem with the file, the columns or the options, as an [`Error`] for the user.
pub fn analyze_text(text: &str, request: &Request) -> Result<Report, Error> {
    let options = ReadOptions { only_columns: Some(request.used_columns()), ..request.read_options()? };
    let table = Table::parse(text, &options)?;
    analyze_table(&table, request)
}

/// Decodes a file's bytes (UTF-8, UTF-16 or Windows-1252, see [`crate::data::decode_bytes`]),
/// parses them as the request says, then runs the analysis: what both front ends call with a
/// file, so that they read it alike.
///
/// # Errors
/// Any problem with the file, the columns or the options, as an [`Error`] for the user.
pub fn analyze_bytes(bytes: Vec<u8>, request: &Request) -> Result<Report, Error> {
    let options = ReadOptions { only_columns: Some(request.used_columns()), ..request.read_options()? };
    let table = Table::parse_bytes(bytes, &options)?;
    analyze_table(&table, request)
}

/// Runs the analysis on a table parsed earlier (with `request.read_options()`).
///
/// # Errors
/// Any problem with the columns or the options.
pub fn analyze_table(table: &Table, request: &Request) -> Result<Report, Error> {
    let mut report = run(table, request)?;
    report.notices_mut().splice(0..0, table.notices.iter().cloned());
    Ok(report)
}

fn run(table: &Table, request: &Request) -> Result<Report, Error> {
    match request.analysis {
        AnalysisKind::Km => survival::kaplan_meier_report(table, request).map(Report::Km),
        AnalysisKind::Logrank => survival::log_rank_report(table, request).map(Report::LogRank),
        AnalysisKind::Followup => survival::follow_up_report(table, request).map(Report::FollowUp),
        AnalysisKind::Cox if request.univariate => cox::cox_screen_report(table, request).map(Report::CoxScreen),
        AnalysisKind::Cox => cox::cox_report(table, request).map(|report| Report::Cox(Box::new(report))),
        AnalysisKind::Cif => competing::cif_report(table, request).map(Report::Cif),
        AnalysisKind::Finegray => competing::fine_gray_report(table, request).map(Report::FineGray),
        AnalysisKind::Table1 => table1::table1_report(table, request).map(Report::Table1),
    }
}
