//! Reports as plain-text tables, laid out like R's `print` of the same objects.

use std::fmt::Write;

use super::{
    ChiSquareTest, CifReport, CoxReport, CoxTerm, FineGrayReport, FollowUpReport, KmReport, LandmarkReport,
    LandmarkSelection, LogRankReport, MantelByarReport, MedianReport, MergedTimesReport, Report, ScreenModel,
    SimonMakuchReport,
};

impl Report {
    /// The text the CLI prints with `--format text`: the report, then its notices; control
    /// characters from the file (terminal escapes, bidirectional overrides) are shown escaped.
    pub fn to_text(&self) -> String {
        let mut text = self.body_text();
        for notice in self.notices() {
            let _ = writeln!(text, "Note: {notice}");
        }
        printable(&text)
    }

    fn body_text(&self) -> String {
        match self {
            Report::Km(report) => km_text(report),
            Report::LogRank(report) => log_rank_text(report),
            Report::FollowUp(report) => follow_up_text(report),
            Report::Cox(report) => cox_text(report),
            Report::Cif(report) => cif_text(report),
            Report::FineGray(report) => fine_gray_text(report),
            Report::Table1(report) => report.to_text(),
            Report::MantelByar(report) => mantel_byar_text(report),
            Report::SimonMakuch(report) => simon_makuch_text(report),
            Report::CoxScreen(report) => report
                .models
                .iter()
                .map(|model| match model {
                    ScreenModel::Fitted(report) => cox_text(report),
                    ScreenModel::Failed { covariate, error } => format!("{covariate}: {}\n", error.message),
                })
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// The text with every control character but the line break, and every bidirectional override,
/// written as an escape (`\u{1b}`), so a cell cannot move the cursor, recolour or reorder a
/// terminal or a log.
pub fn printable(text: &str) -> String {
    let unsafe_character = |character: char| {
        (character.is_control() && character != '\n')
            || matches!(character, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
    };
    if !text.chars().any(unsafe_character) {
        return text.to_string();
    }
    text.chars()
        .map(|character| {
            if unsafe_character(character) {
                format!("\\u{{{:x}}}", u32::from(character))
            } else {
                character.to_string()
            }
        })
        .collect()
}

/// A number with `digits` significant digits, as R prints by default (`NA` for not estimable).
pub fn significant(value: Option<f64>, digits: usize) -> String {
    let Some(value) = value else { return "NA".to_string() };
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    let magnitude = crate::estimate::distribution::log10(value.abs()).floor() as i32;
    if !(-5..15).contains(&magnitude) {
        return format!("{value:.prec$e}", prec = digits.saturating_sub(1));
    }
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// A p-value as R's `format.pval` shows it: `< 2e-16` below machine precision.
pub fn p_value(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 2.2e-16 => "< 2e-16".to_string(),
        other => significant(other, 2),
    }
}

/// Columns padded to a common width, right-aligned, the first left-aligned.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|column| {
            rows.iter()
                .map(|row| row[column].chars().count())
                .chain([header[column].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    // Padding written out, not with format!'s width, which is limited to 65,535 characters.
    let pad = |out: &mut String, count: usize| out.extend(std::iter::repeat_n(' ', count));
    let line = |cells: Vec<&str>, out: &mut String| {
        for (column, cell) in cells.iter().enumerate() {
            let fill = widths[column].saturating_sub(cell.chars().count());
            if column == 0 {
                out.push_str(cell);
                pad(out, fill);
            } else {
                out.push(' ');
                pad(out, fill);
                out.push_str(cell);
            }
        }
        out.push('\n');
    };
    line(header.to_vec(), &mut out);
    for row in rows {
        line(row.iter().map(String::as_str).collect(), &mut out);
    }
    out
}

fn label(group: Option<&str>) -> String {
    group.map_or_else(|| "all".to_string(), str::to_string)
}

fn median_cells(median: &MedianReport) -> [String; 3] {
    [significant(median.estimate, 4), significant(median.lower, 4), significant(median.upper, 4)]
}

fn dropped_line(n_dropped: usize) -> String {
    if n_dropped == 0 {
        String::new()
    } else {
        format!("   ({n_dropped} observations deleted due to missingness)\n")
    }
}

/// The landmark's selection, when there is one: who was kept, who left out and why, and the
/// groups by exposure.
fn landmark_line(landmark: Option<&LandmarkSelection>) -> String {
    let Some(selection) = landmark else { return String::new() };
    let at = significant(Some(selection.landmark), 6);
    let mut out = format!(
        "   Landmark at {at}: {} of {} patients still followed after it, times are since {at}; left out: {} with \
         an event and {} censored at or before {at}\n",
        selection.n_kept, selection.n_before, selection.n_excluded_event, selection.n_excluded_censored
    );
    if let (Some(column), Some(n_exposed)) = (&selection.exposure_time, selection.n_exposed) {
        let name = selection.exposure_name.as_deref().unwrap_or(column);
        let _ = writeln!(
            out,
            "   Groups by {name} at {at} (exposed: {column} at or before {at}): {n_exposed} exposed, {} unexposed",
            selection.n_kept - n_exposed
        );
    }
    out
}

/// The headers of a median's interval as `print(survfit(...))` writes them: `0.95LCL`, `0.95UCL`.
fn median_interval_headers(conf_level: f64) -> (String, String) {
    let level = significant(Some(conf_level), 4);
    (format!("{level}LCL"), format!("{level}UCL"))
}

fn km_text(report: &KmReport) -> String {
    let mut out = format!("Kaplan-Meier estimate ({} confidence intervals)\n", report.conf_type.name());
    out += &dropped_line(report.n_dropped);
    out += &landmark_line(report.landmark.as_ref());
    if let Some(start) = &report.start {
        let _ = writeln!(out, "  rows are (start, stop] intervals with delayed entry, start times in column {start}");
    }
    let (lower, upper) = median_interval_headers(report.conf_level);
    let rows: Vec<Vec<String>> = report
        .groups
        .iter()
        .map(|group| {
            let [median, low, high] = median_cells(&group.median);
            vec![label(group.group.as_deref()), group.n.to_string(), group.events.to_string(), median, low, high]
        })
        .collect();
    out += "\n";
    out += &table(&["", "n", "events", "median", &lower, &upper], &rows);
    for group in report.groups.iter().filter(|group| !group.at.is_empty()) {
        let _ = write!(out, "\n{}\n", label(group.group.as_deref()));
        out += &landmark_table(&group.at, report.conf_level);
    }
    out += &merged_times_line(report.merged_times);
    out
}

/// S(t) at chosen times, as `summary(fit, times = at)` prints it.
fn landmark_table(at: &[LandmarkReport], conf_level: f64) -> String {
    let rows: Vec<Vec<String>> = at
        .iter()
        .map(|at| {
            vec![
                significant(Some(at.time), 6),
                at.n_risk.to_string(),
                significant(at.surv, 4),
                significant(at.std_err, 4),
                significant(at.lower, 4),
                significant(at.upper, 4),
            ]
        })
        .collect();
    let lower = format!("lower {}% CI", significant(Some(conf_level * 100.0), 4));
    let upper = format!("upper {}% CI", significant(Some(conf_level * 100.0), 4));
    table(&["time", "n.risk", "survival", "std.err", &lower, &upper], &rows)
}

fn simon_makuch_text(report: &SimonMakuchReport) -> String {
    let mut out = format!(
        "Simon-Makuch curves by the exposure time in \"{}\" ({} confidence intervals)\n",
        report.exposure_time,
        report.conf_type.name()
    );
    out += &dropped_line(report.n_dropped);
    let _ = writeln!(
        out,
        "{} patients, {} exposed during follow-up: unexposed until the exposure time, exposed after it",
        report.n, report.n_exposed
    );
    let rows: Vec<Vec<String>> = report
        .states
        .iter()
        .map(|state| vec![report.state_label(state.state), state.n.to_string(), state.events.to_string()])
        .collect();
    out += "\n";
    out += &table(&["", "n", "events"], &rows);
    for state in report.states.iter().filter(|state| !state.at.is_empty()) {
        let _ = write!(out, "\n{}\n", report.state_label(state.state));
        out += &landmark_table(&state.at, report.conf_level);
    }
    if report.states.iter().any(|state| !state.at.is_empty()) {
        out += "n.risk as R's summary(fit, times = ) gives it: the number at risk at the next step\n";
    }
    out += &merged_times_line(report.merged_times);
    out
}

fn log_rank_text(report: &LogRankReport) -> String {
    let title = if report.rho == 0.0 {
        "Log-rank test".to_string()
    } else {
        format!("Fleming-Harrington G-rho test, rho = {}", significant(Some(report.rho), 4))
    };
    let mut out = title;
    if let Some(strata) = &report.strata {
        let _ = write!(out, ", stratified by {strata}");
    }
    out += "\n";
    out += &dropped_line(report.n_dropped);
    out += &landmark_line(report.landmark.as_ref());
    out += "\n";
    let rows: Vec<Vec<String>> = report
        .groups
        .iter()
        .map(|group| {
            vec![
                group.group.clone(),
                group.n.to_string(),
                significant(Some(group.observed), 4),
                significant(Some(group.expected), 4),
            ]
        })
        .collect();
    out += &table(&["", "N", "Observed", "Expected"], &rows);
    let _ = writeln!(
        out,
        "\n Chisq= {}  on {} degrees of freedom, p= {}",
        significant(Some(report.chisq), 4),
        report.df,
        p_value(report.p)
    );
    if report.df == 0 {
        out += NOTHING_TO_TEST;
    }
    if !report.pairwise.is_empty() {
        let _ = writeln!(out, "\nPairwise comparisons (p adjusted: {})", report.adjust.name());
        let rows: Vec<Vec<String>> = report
            .pairwise
            .iter()
            .map(|pair| {
                vec![
                    format!("{} vs {}", pair.group_a, pair.group_b),
                    significant(pair.chisq, 4),
                    pair.df.map_or_else(|| "NA".to_string(), |df| df.to_string()),
                    p_value(pair.p),
                    p_value(pair.p_adjusted),
                ]
            })
            .collect();
        out += &table(&["", "Chisq", "df", "p", "p adjusted"], &rows);
        for pair in report.pairwise.iter().filter(|pair| pair.df == Some(0)) {
            let _ = writeln!(
                out,
                "{} vs {}: nothing to test, only one of the two groups has expected events (no events while \
                 both were at risk); R's survdiff gives chisq 0 on 0 df, p = 1, and the pair counts in the adjustment",
                pair.group_a, pair.group_b
            );
        }
    }
    out += &merged_times_line(report.merged_times);
    out
}

fn mantel_byar_text(report: &MantelByarReport) -> String {
    let mut out = format!("Mantel-Byar test, {} as a time-dependent exposure\n", report.exposure);
    out += &dropped_line(report.n_dropped);
    out += "\n";
    let rows: Vec<Vec<String>> = report
        .states
        .iter()
        .map(|state| {
            let label =
                if state.state == "exposed" { format!("exposed ({})", report.exposure) } else { state.state.clone() };
            vec![label, state.n.to_string(), significant(Some(state.observed), 4), significant(Some(state.expected), 4)]
        })
        .collect();
    out += &table(&["", "N ever", "Observed", "Expected"], &rows);
    match report.chisq {
        Some(chisq) => {
            let _ = writeln!(
                out,
                "\n Chisq= {}  on {} degrees of freedom, p= {}",
                significant(Some(chisq), 4),
                report.df,
                p_value(report.p)
            );
        }
        None => {
            out += "\n Nothing to test: nobody exposed, or nobody unexposed, was at risk at an event time\n";
        }
    }
    out += " (a patient counts as unexposed up to the exposure time, an event at it included, and exposed after it)\n";
    out += &merged_times_line(report.merged_times);
    out
}

/// Why a 0-df log-rank test has p = 1.
const NOTHING_TO_TEST: &str = " Nothing to test: fewer than two groups have expected events (no events while two \
                               groups were at risk), so chisq is 0 on 0 df and p = 1, as R's survdiff gives\n";

/// The note saying R's timefix rule merged near-equal times, when it did.
fn merged_times_line(merged: Option<MergedTimesReport>) -> String {
    merged.map_or_else(String::new, |merged| {
        format!(
            "Note: {} time{} within {:.2e} of a smaller time (absolute or relative) {} treated as equal to it, \
             as R's timefix = TRUE does; use --timefix false to compare times exactly\n",
            merged.rows,
            if merged.rows == 1 { "" } else { "s" },
            merged.tolerance,
            if merged.rows == 1 { "was" } else { "were" },
        )
    })
}

fn follow_up_text(report: &FollowUpReport) -> String {
    let mut out = "Median follow-up (reverse Kaplan-Meier)\n".to_string();
    out += &dropped_line(report.n_dropped);
    out += "\n";
    let mut rows = Vec::new();
    let mut push = |name: String, n: usize, median: &MedianReport, min: f64, max: f64| {
        let [estimate, low, high] = median_cells(median);
        rows.push(vec![name, n.to_string(), estimate, low, high, significant(Some(min), 4), significant(Some(max), 4)]);
    };
    push("all".to_string(), report.n, &report.median, report.min, report.max);
    for group in &report.groups {
        push(group.group.clone(), group.n, &group.median, group.min, group.max);
    }
    let (lower, upper) = median_interval_headers(report.conf_level);
    out += &table(&["", "n", "median", &lower, &upper, "min", "max"], &rows);
    out += &merged_times_line(report.merged_times);
    out
}

fn cif_text(report: &CifReport) -> String {
    let mut out = "Cumulative incidence (Aalen-Johansen), with Gray's test\n".to_string();
    out += &dropped_line(report.n_dropped);
    out += &landmark_line(report.landmark.as_ref());
    for cause in &report.causes {
        let _ = writeln!(out, "\nCause {}", cause.cause);
        let mut rows = Vec::new();
        for group in &cause.groups {
            let name = label(group.group.as_deref());
            if group.at.is_empty() {
                rows.push(vec![
                    name.clone(),
                    group.n.to_string(),
                    group.events.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
            for at in &group.at {
                rows.push(vec![
                    name.clone(),
                    group.n.to_string(),
                    group.events.to_string(),
                    significant(Some(at.time), 6),
                    significant(at.cif, 4),
                    significant(at.variance.map(f64::sqrt), 4),
                    format!("{} - {}", significant(at.lower, 4), significant(at.upper, 4)),
                ]);
            }
        }
        out += &table(&["", "n", "events", "time", "cif", "se", "CI"], &rows);
        if let Some(gray) = &cause.gray {
            let _ = writeln!(
                out,
                "Gray's test: stat = {} on {} df, p = {}",
                significant(gray.stat, 4),
                gray.df,
                p_value(gray.p)
            );
            if let Some(note) = &gray.note {
                let _ = writeln!(out, "{note}");
            }
        }
    }
    out
}

fn fine_gray_text(report: &FineGrayReport) -> String {
    let mut out = format!(
        "Fine-Gray subdistribution hazards for cause {}\n  n= {}, events= {}, competing= {}, censored= {}\n",
        report.cause, report.n, report.events, report.competing, report.censored
    );
    out += &dropped_line(report.n_dropped);
    out += "\n";
    out += &terms_table(&report.terms, report.conf_level);
    let _ = writeln!(
        out,
        "\nlog pseudo-likelihood = {} (null {}), {} iterations{}",
        significant(Some(report.loglik), 8),
        significant(Some(report.loglik_null), 8),
        report.iterations,
        if report.converged { "" } else { ", not converged" }
    );
    for warning in &report.warnings {
        let _ = writeln!(out, "Warning: {}", warning.message);
    }
    out
}

/// coef, exp(coef), se, z, p and the interval of each term, as `summary(coxph)` prints them.
fn terms_table(terms: &[CoxTerm], conf_level: f64) -> String {
    let level = significant(Some(conf_level * 100.0), 4);
    let rows: Vec<Vec<String>> = terms
        .iter()
        .map(|term| {
            vec![
                term.term.clone(),
                significant(term.coef, 4),
                significant(term.hr, 4),
                significant(term.se, 4),
                significant(term.z, 4),
                p_value(term.p),
                significant(term.lower, 4),
                significant(term.upper, 4),
            ]
        })
        .collect();
    let (lower, upper) = (format!("lower .{level}"), format!("upper .{level}"));
    table(&["", "coef", "exp(coef)", "se(coef)", "z", "Pr(>|z|)", &lower, &upper], &rows)
}

fn cox_text(report: &CoxReport) -> String {
    let mut out = format!(
        "Cox proportional hazards ({} ties){}\n  n= {}, number of events= {}\n",
        report.ties_name(),
        report.strata.as_ref().map_or(String::new(), |strata| format!(", stratified by {strata}")),
        report.n,
        report.events
    );
    out += &landmark_line(report.landmark.as_ref());
    if let Some(exposure) = &report.time_dependent {
        let _ = writeln!(
            out,
            "  {} (column {}) is a time-dependent covariate: each patient unexposed until the exposure time and \
             exposed after it; {} of {} patients exposed while followed, {} (start, stop] intervals",
            exposure.exposure, exposure.exposure_time, exposure.n_exposed, report.n, exposure.intervals
        );
    }
    if let Some(start) = &report.start {
        let _ = writeln!(out, "  rows are (start, stop] intervals, start times in column {start}");
    }
    out += &dropped_line(report.n_dropped);
    out += "\n";
    out += &terms_table(&report.terms, report.conf_level);
    let _ = writeln!(
        out,
        "\nConcordance= {} (se = {})",
        significant(report.concordance.estimate, 3),
        significant(report.concordance.se, 3)
    );
    let test_line = |name: &str, test: &ChiSquareTest| {
        format!("{name}= {}  on {} df,   p={}\n", significant(test.stat, 4), test.df, p_value(test.p))
    };
    out += &test_line("Likelihood ratio test", &report.tests.likelihood_ratio);
    out += &test_line("Wald test            ", &report.tests.wald);
    out += &test_line("Score (logrank) test ", &report.tests.score);
    if let Some(zph) = &report.zph {
        out += "\nProportional hazards (cox.zph, km transform)\n";
        let mut rows: Vec<Vec<String>> = zph
            .terms
            .iter()
            .map(|term| vec![term.term.clone(), significant(Some(term.chisq), 4), term.df.to_string(), p_value(term.p)])
            .collect();
        rows.push(vec![
            "GLOBAL".into(),
            significant(Some(zph.global.chisq), 4),
            zph.global.df.to_string(),
            p_value(zph.global.p),
        ]);
        out += &table(&["", "chisq", "df", "p"], &rows);
    }
    for warning in &report.warnings {
        let _ = writeln!(out, "Warning: {}", warning.message);
    }
    out += &merged_times_line(report.merged_times);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_digits_like_r() {
        assert_eq!(significant(Some(0.0013), 2), "0.0013");
        assert_eq!(significant(Some(270.0), 4), "270");
        assert_eq!(significant(Some(0.54598797794381), 4), "0.546");
        assert_eq!(significant(Some(10.5648034238106), 4), "10.56");
        assert_eq!(significant(None, 4), "NA");
        assert_eq!(p_value(Some(1e-20)), "< 2e-16");
    }

    #[test]
    fn interval_headers_name_the_level_asked_for() {
        let text = "t,e\n1,1\n2,0\n3,1\n4,0\n";
        for (level, header) in [(0.95, "0.95LCL"), (0.9, "0.9LCL")] {
            for analysis in ["followup", "km"] {
                let json = serde_json::json!({"analysis": analysis, "time": "t", "event": "e", "conf_level": level});
                let request = crate::FileRequest::from_json(&json.to_string()).expect("a request");
                let report = crate::analyze_text(text, &request).unwrap_or_else(|error| panic!("{analysis}: {error}"));
                assert!(report.to_text().contains(header), "{}", report.to_text());
            }
        }
    }
}
