//! `survkit logrank`: the log-rank and Fleming-Harrington G-rho tests, stratified or not, and
//! every pair of groups, as `survdiff(Surv(time, status) ~ group + strata(s), rho = rho)`; with
//! a landmark, on the patients still followed after it, and with an exposure column the groups
//! are the exposure states at it ([`super::landmark`]).

use super::frames::{merged_times, survival_frame};
use super::landmark::landmark_survival_frame;
use super::request::{optional_column, LogRankRequest};
use crate::data::{Factor, SurvivalFrame, Table};
use crate::error::Error;
use crate::estimate::logrank::{log_rank, LogRankOptions, LogRankTest};
use crate::estimate::p_adjust::p_adjust;
use crate::estimate::timefix::{merge_near_ties, TimeFix};
use crate::report::AnalysisName;
use crate::report::{LogRankGroup, LogRankReport, PairwiseTest};

pub fn log_rank_report(table: &Table, request: &LogRankRequest) -> Result<LogRankReport, Error> {
    let options = LogRankOptions { rho: request.rho };
    let strata_column = optional_column(&request.strata);
    let group_column = optional_column(&request.group);
    // The groups' column: the group column, or the exposure column whose states at the landmark
    // are the groups.
    let Some(grouping) =
        group_column.or(request.landmark.exposure_column().filter(|_| request.landmark.groups_by_exposure()))
    else {
        return Err(Error::invalid_option("group", "the logrank analysis needs a group column"));
    };
    if strata_column.is_some() && strata_column == Some(grouping) {
        return Err(Error::invalid_option(
            "strata",
            "the strata column is the group column; stratify by a different column (e.g. centre)",
        ));
    }
    let raw_frame = survival_frame(table, &request.endpoint, group_column, strata_column)?;
    let (raw_frame, landmark) = landmark_survival_frame(table, raw_frame, &request.landmark)?;
    // Each pair is tested on its own rows with the times as written (merged within the pair).
    let (frame, merged) = merged_times(raw_frame.clone(), request.endpoint.time_fix());
    let Some(group) = &frame.group else {
        return Err(Error::invalid_option("group", "the logrank analysis needs a group column"));
    };
    if group.labels.len() < 2 {
        if let Some(selection) = landmark.as_ref().filter(|selection| selection.exposure_time.is_some()) {
            return Err(Error::NotEstimable {
                what: "the log-rank test by exposure at the landmark".into(),
                reason: format!(
                    "every patient still followed after the landmark {} is {} at it, and a comparison needs \
                     patients in both states (R's survdiff refuses one group); choose another landmark",
                    crate::data::format_number(selection.landmark),
                    group.labels.first().map_or("in one state", String::as_str)
                ),
            });
        }
        return Err(Error::TooFewGroups { column: Some(grouping.to_string()), found: group.labels.len() });
    }
    let strata = frame.strata.as_ref().map(|factor| factor.codes.as_slice());
    let test = log_rank(&frame.time, &frame.event, &group.codes, group.labels.len(), strata, &options)?;

    let mut pairwise = Vec::new();
    if request.pairwise {
        crate::data::check_group_limit(
            grouping,
            group.labels.len(),
            crate::data::MAX_GROUPS_COMPARED_IN_PAIRS,
            "pairwise tests compare every pair of groups, k (k - 1) / 2 tests",
        )?;
        for first in 0..group.labels.len() {
            for second in first + 1..group.labels.len() {
                // survdiff on the pair's rows applies timefix to those rows alone.
                let pair = pair_test(
                    &raw_frame,
                    group,
                    strata,
                    (first as u32, second as u32),
                    &options,
                    request.endpoint.time_fix(),
                );
                pairwise.push(PairwiseTest {
                    group_a: group.labels[first].clone(),
                    group_b: group.labels[second].clone(),
                    chisq: pair.as_ref().map(|test| test.chisq),
                    df: pair.as_ref().map(|test| test.df),
                    p: pair.and_then(|test| test.p),
                    p_adjusted: None,
                });
            }
        }
        let raw: Vec<Option<f64>> = pairwise.iter().map(|pair| pair.p).collect();
        for (pair, adjusted) in pairwise.iter_mut().zip(p_adjust(&raw, request.adjust)) {
            pair.p_adjusted = adjusted;
        }
    }
    Ok(LogRankReport {
        analysis: AnalysisName::Logrank,
        notices: frame.notices.clone(),
        chisq: test.chisq,
        df: test.df,
        p: test.p,
        rho: options.rho,
        n_dropped: frame.n_dropped,
        landmark,
        strata: strata_column.map(str::to_string),
        merged_times: merged,
        groups: group
            .labels
            .iter()
            .enumerate()
            .map(|(index, label)| LogRankGroup {
                group: label.clone(),
                n: test.n[index],
                observed: test.observed[index],
                expected: test.expected[index],
            })
            .collect(),
        adjust: request.adjust,
        pairwise,
    })
}

/// The test on the rows of two groups only, with `fix` applied to those rows; `None` when it
/// cannot be computed.
fn pair_test(
    frame: &SurvivalFrame,
    group: &Factor,
    strata: Option<&[u32]>,
    (first, second): (u32, u32),
    options: &LogRankOptions,
    fix: TimeFix,
) -> Option<LogRankTest> {
    let rows: Vec<usize> = (0..frame.len()).filter(|row| [first, second].contains(&group.codes[*row])).collect();
    let raw_time: Vec<f64> = rows.iter().map(|row| frame.time[*row]).collect();
    let time = merge_near_ties(&raw_time, fix).time;
    let event: Vec<bool> = rows.iter().map(|row| frame.event[*row]).collect();
    let codes: Vec<u32> = rows.iter().map(|row| u32::from(group.codes[*row] == second)).collect();
    let pair_strata: Option<Vec<u32>> = strata.map(|strata| rows.iter().map(|row| strata[*row]).collect());
    log_rank(&time, &event, &codes, 2, pair_strata.as_deref(), options).ok()
}
