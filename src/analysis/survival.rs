//! The single-endpoint analyses: Kaplan-Meier, log-rank and follow-up.

use super::request::Request;
use crate::data::{Factor, FrameSpec, SurvivalFrame, Table};
use crate::error::Error;
use crate::estimate::followup::{follow_up, FollowUpOptions};
use crate::estimate::km::{kaplan_meier_sorted, KaplanMeierOptions};
use crate::estimate::logrank::{log_rank, LogRankOptions, LogRankTest};
use crate::estimate::p_adjust::p_adjust;
use crate::estimate::timefix::{merge_near_ties, TimeFix};
use crate::report::{
    FollowUpGroup, FollowUpReport, KmGroup, KmReport, LogRankGroup, LogRankReport, MergedTimesReport, PairwiseTest,
    StepTable,
};

/// The frame of a request, with `group` and `strata` as the request names them.
fn survival_frame(table: &Table, request: &Request, strata: Option<&str>) -> Result<SurvivalFrame, Error> {
    let time = request.required_column("time", &request.time)?;
    let event = request.required_column("event", &request.event)?;
    let coding = request.event_coding();
    let spec =
        FrameSpec { time, event, group: Request::optional_column(&request.group), strata, event_coding: &coding };
    SurvivalFrame::build(table, &spec)
}

/// The frame with R's `timefix` rule applied to all its rows together (as `survfit`, `survdiff`
/// and `coxph` apply `aeqSurv` to the whole response before splitting it by group), and how
/// many rows it moved.
fn merged_times(frame: SurvivalFrame, fix: TimeFix) -> (SurvivalFrame, Option<MergedTimesReport>) {
    let merged = merge_near_ties(&frame.time, fix);
    (SurvivalFrame { time: merged.time, ..frame }, MergedTimesReport::of(merged.moved))
}

/// Each group's label (`None` without a group column) and its (time, event) rows sorted by time.
fn rows_by_group(frame: &SurvivalFrame) -> Vec<(Option<String>, Vec<(f64, bool)>)> {
    let rows = frame.time.iter().copied().zip(frame.event.iter().copied());
    let mut groups: Vec<(Option<String>, Vec<(f64, bool)>)> = match &frame.group {
        None => vec![(None, rows.collect())],
        Some(Factor { labels, codes }) => {
            let mut groups: Vec<_> = labels.iter().map(|label| (Some(label.clone()), Vec::new())).collect();
            for (row, code) in rows.zip(codes) {
                groups[*code as usize].1.push(row);
            }
            groups
        }
    };
    for (_, rows) in &mut groups {
        rows.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    }
    groups
}

pub fn kaplan_meier_report(table: &Table, request: &Request) -> Result<KmReport, Error> {
    let options = KaplanMeierOptions { conf_type: request.conf_type, conf_level: request.validated_conf_level()? };
    let at = request.validated_at()?;
    let (frame, merged) = merged_times(survival_frame(table, request, None)?, request.time_fix());
    let groups = rows_by_group(&frame)
        .into_iter()
        .map(|(group, rows)| {
            let curve = kaplan_meier_sorted(&rows, &options);
            let steps = StepTable {
                std_err: (0..curve.time.len()).map(|index| curve.std_err(index)).collect(),
                time: curve.time.clone(),
                n_risk: curve.n_risk.clone(),
                n_event: curve.n_event.clone(),
                n_censor: curve.n_censor.clone(),
                surv: curve.surv.clone(),
                lower: curve.lower.clone(),
                upper: curve.upper.clone(),
            };
            KmGroup {
                group,
                n: curve.n,
                events: curve.n_event.iter().sum(),
                median: curve.median().into(),
                at: at.iter().map(|time| curve.at(*time)).collect(),
                steps,
            }
        })
        .collect();
    Ok(KmReport {
        analysis: "km",
        notices: frame.notices.clone(),
        conf_type: options.conf_type,
        conf_level: options.conf_level,
        n_dropped: frame.n_dropped,
        merged_times: merged,
        groups,
    })
}

pub fn log_rank_report(table: &Table, request: &Request) -> Result<LogRankReport, Error> {
    request.required_column("group", &request.group)?;
    let options = LogRankOptions { rho: request.validated_rho()? };
    let strata_column = Request::optional_column(&request.strata);
    if strata_column.is_some() && strata_column == Request::optional_column(&request.group) {
        return Err(Error::invalid_option(
            "strata",
            "the strata column is the group column; stratify by a different column (e.g. centre)",
        ));
    }
    let raw_frame = survival_frame(table, request, strata_column)?;
    // Each pair is tested on its own rows with the times as written (merged within the pair).
    let (frame, merged) = merged_times(raw_frame.clone(), request.time_fix());
    let Some(group) = &frame.group else {
        return Err(Error::invalid_option("group", "the logrank analysis needs a group column"));
    };
    if group.labels.len() < 2 {
        return Err(Error::TooFewGroups { column: request.group.clone(), found: group.labels.len() });
    }
    let strata = frame.strata.as_ref().map(|factor| factor.codes.as_slice());
    let test = log_rank(&frame.time, &frame.event, &group.codes, group.labels.len(), strata, &options)?;

    let mut pairwise = Vec::new();
    if request.pairwise {
        crate::data::check_group_limit(
            request.group.as_deref().unwrap_or("group"),
            group.labels.len(),
            crate::data::MAX_GROUPS_COMPARED_IN_PAIRS,
            "pairwise tests compare every pair of groups, k (k - 1) / 2 tests",
        )?;
        for first in 0..group.labels.len() {
            for second in first + 1..group.labels.len() {
                // survdiff on the pair's rows applies timefix to those rows alone.
                let pair =
                    pair_test(&raw_frame, group, strata, (first as u32, second as u32), &options, request.time_fix());
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
        analysis: "logrank",
        notices: frame.notices.clone(),
        chisq: test.chisq,
        df: test.df,
        p: test.p,
        rho: options.rho,
        n_dropped: frame.n_dropped,
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

pub fn follow_up_report(table: &Table, request: &Request) -> Result<FollowUpReport, Error> {
    let options = FollowUpOptions { conf_level: request.validated_conf_level()?, ..FollowUpOptions::default() };
    let raw_frame = survival_frame(table, request, None)?;
    // The reverse Kaplan-Meier is a survfit, so it sees the merged times; the range is R's
    // range(time), of the times as written, taken before they are merged.
    let (min, max) = range(&raw_frame.time);
    let group_ranges = raw_frame.group.as_ref().map(|group| ranges_by_group(&raw_frame.time, group));
    let (frame, merged) = merged_times(raw_frame, request.time_fix());
    let overall = follow_up(&frame.time, &frame.event, &options);
    let groups = match group_ranges {
        Some(ranges) => rows_by_group(&frame)
            .into_iter()
            .zip(ranges)
            .map(|((label, rows), (min, max))| {
                let (time, event): (Vec<f64>, Vec<bool>) = rows.into_iter().unzip();
                let result = follow_up(&time, &event, &options);
                FollowUpGroup { group: label.unwrap_or_default(), n: result.n, median: result.median.into(), min, max }
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(FollowUpReport {
        analysis: "followup",
        notices: frame.notices.clone(),
        conf_level: options.conf_level,
        n: overall.n,
        n_dropped: frame.n_dropped,
        merged_times: merged,
        median: overall.median.into(),
        min,
        max,
        groups,
    })
}

/// Each group's smallest and largest time, in the order of the group's labels.
fn ranges_by_group(time: &[f64], group: &Factor) -> Vec<(f64, f64)> {
    let mut ranges = vec![(f64::INFINITY, f64::NEG_INFINITY); group.labels.len()];
    for (value, code) in time.iter().zip(&group.codes) {
        let (low, high) = &mut ranges[*code as usize];
        (*low, *high) = (low.min(*value), high.max(*value));
    }
    ranges
}

/// The smallest and largest time (R's `range(time)`); the frame is never empty.
fn range(time: &[f64]) -> (f64, f64) {
    time.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), value| (low.min(*value), high.max(*value)))
}
