//! Event columns: which cells mean "the event happened" and which mean "censored".
//!
//! Without an event value the rules are R's `Surv(time, status)` plus the words clinicians write:
//! - numbers 0/1 (1 = event), or 1/2 (2 = event) when the largest value is 2, as `Surv` reads them;
//! - text, in any case: TRUE/FALSE, T/F, yes/no, y/n, dead/alive, 1/0.
//!
//! With an event value, the cells equal to it (ignoring case; numerically for numbers) are events
//! and every other filled cell is censored.

use super::column::{Column, ColumnData, MISSING_CODE};
use super::number::{parse_number, DecimalMark};
use crate::error::{BadCells, Error};

const EVENT_WORDS: [&str; 7] = ["1", "true", "t", "yes", "y", "dead", "death"];
const CENSORED_WORDS: [&str; 6] = ["0", "false", "f", "no", "n", "alive"];

/// How an event column is read. R's default is [`EventCoding::Automatic`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum EventCoding {
    /// 0/1, 1/2, TRUE/FALSE, yes/no or dead/alive, as described in the module documentation.
    #[default]
    Automatic,
    /// The cells equal to this value are events; all other filled cells are censored.
    Value(String),
}

/// An event column as read: each row's event, and what the user should know about the reading.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventReading {
    pub events: Vec<bool>,
    /// Set when an event value leaves more than one other value, all counted as censored.
    pub notice: Option<String>,
}

impl EventCoding {
    /// Reads the event indicator of each of `rows` (data row indices with no missing cell here).
    ///
    /// # Errors
    /// [`Error::UnrecognisedEvent`] listing every cell that is neither event nor censored;
    /// [`Error::CompetingStatus`] for a 0/1/2 column read without an event value;
    /// [`Error::InvalidOption`] when an event value cannot occur in the column.
    pub fn decode(&self, column: &Column, rows: &[usize], spreadsheet_rows: &[u32]) -> Result<EventReading, Error> {
        let events = self.decode_events(column, rows, spreadsheet_rows)?;
        let notice = match self {
            EventCoding::Value(wanted) => censored_values_notice(column, rows, &events, wanted),
            EventCoding::Automatic => None,
        };
        Ok(EventReading { events, notice })
    }

    fn decode_events(&self, column: &Column, rows: &[usize], spreadsheet_rows: &[u32]) -> Result<Vec<bool>, Error> {
        let mut bad = BadCells::default();
        let events: Vec<bool> = match (&column.data, self) {
            (ColumnData::Numeric(values), EventCoding::Automatic) => {
                let present = |code: f64| rows.iter().any(|row| values[*row] == code);
                let other = rows.iter().any(|row| ![0.0, 1.0, 2.0].contains(&values[*row]));
                if present(0.0) && present(1.0) && present(2.0) && !other {
                    return Err(Error::CompetingStatus { column: column.name.clone() });
                }
                let two_means_event = present(2.0);
                let (censored, event) = if two_means_event { (1.0, 2.0) } else { (0.0, 1.0) };
                rows.iter()
                    .map(|row| {
                        let value = values[*row];
                        if value != censored && value != event {
                            bad.push(spreadsheet_rows[*row] as usize, &column.cell_text(*row));
                        }
                        value == event
                    })
                    .collect()
            }
            (ColumnData::Numeric(values), EventCoding::Value(wanted)) => {
                let wanted_number = parse_number(wanted.trim(), DecimalMark::Point)
                    .or_else(|| parse_number(wanted.trim(), DecimalMark::Comma))
                    .ok_or_else(|| {
                        Error::invalid_option(
                            "event value",
                            format!(
                                "column \"{}\" holds numbers, so the value that means an event must be a \
                                 number; \"{wanted}\" is not",
                                column.name
                            ),
                        )
                    })?;
                rows.iter().map(|row| values[*row] == wanted_number).collect()
            }
            (ColumnData::Text { codes, levels, level_values, .. }, coding) => {
                // Every spelling of the event value is the event ("Dead", "dead"); the notice names
                // the values counted as censored.
                let level_is_event: Vec<Option<bool>> = levels
                    .iter()
                    .zip(level_values)
                    .map(|(level, value)| match coding {
                        EventCoding::Automatic => word_meaning(level),
                        EventCoding::Value(wanted) => Some(matches_value(level, *value, wanted)),
                    })
                    .collect();
                rows.iter()
                    .map(|row| {
                        let code = codes[*row];
                        debug_assert_ne!(code, MISSING_CODE);
                        let meaning = level_is_event.get(code as usize).copied().flatten();
                        if meaning.is_none() {
                            bad.push(spreadsheet_rows[*row] as usize, &column.cell_text(*row));
                        }
                        meaning.unwrap_or(false)
                    })
                    .collect()
            }
        };
        if !bad.is_empty() {
            return Err(Error::UnrecognisedEvent { column: column.name.clone(), cells: bad });
        }
        if let EventCoding::Value(wanted) = self {
            if !events.iter().any(|event| *event) && !rows.is_empty() {
                return Err(Error::invalid_option(
                    "event value",
                    format!(
                        "no row of column \"{}\" holds \"{wanted}\"; its values are {}",
                        column.name,
                        distinct_values(column, rows)
                    ),
                ));
            }
        }
        Ok(events)
    }
}

/// The causes of a competing-risks status column: the censoring value, and every other value a
/// cause, ordered as group levels are (numerically when all are numbers, else alphabetically).
#[derive(Debug, Clone, PartialEq)]
pub struct Causes {
    pub labels: Vec<String>,
    /// 0 for censored rows, else 1 + the index of the row's cause in `labels`.
    pub codes: Vec<u32>,
}

impl Causes {
    /// Reads the status of each of `rows`; cells equal to `censor_value` (ignoring case, or as the
    /// same number) are censored: its spellings are one value.
    ///
    /// # Errors
    /// None today; the `Result` leaves room for a refusal without changing the callers.
    pub fn decode(column: &Column, rows: &[usize], censor_value: &str) -> Result<Causes, Error> {
        let factor = column.factor(rows);
        // Every spelling of the censoring value is censored ("Censored", "censored").
        let censored: Vec<usize> = (0..factor.labels.len())
            .filter(|index| {
                let label = &factor.labels[*index];
                matches_value(label, parse_number(label, DecimalMark::Point), censor_value)
            })
            .collect();
        let mut labels = Vec::new();
        let new_code: Vec<u32> = (0..factor.labels.len())
            .map(|index| {
                if censored.contains(&index) {
                    0
                } else {
                    labels.push(factor.labels[index].clone());
                    labels.len() as u32
                }
            })
            .collect();
        Ok(Causes { labels, codes: factor.codes.iter().map(|code| new_code[*code as usize]).collect() })
    }

    /// The code of the cause written `cause` (the level written exactly so, else the one equal
    /// to it ignoring case); `Ok(None)` when it is not a cause.
    ///
    /// # Errors
    /// `cause` names several causes and none exactly.
    pub fn code_of(&self, cause: &str) -> Result<Option<u32>, Error> {
        let matching =
            matching_levels(&self.labels, cause).map_err(|message| Error::invalid_option("cause", message))?;
        Ok(matching.first().map(|index| *index as u32 + 1))
    }

    /// Whether a censoring value never occurring is worth refusing: some cause is written as
    /// censoring is usually written (0, "censored", "alive", "none", ...), so the user most likely
    /// gave the wrong censoring value.
    pub fn a_cause_looks_like_censoring(&self) -> Option<&str> {
        self.labels.iter().map(String::as_str).find(|label| {
            let lower = label.trim().to_lowercase();
            CENSORING_WORDS.contains(&lower.as_str()) || lower.starts_with("censor")
        })
    }
}

/// Status values that usually mean censored in a competing-risks column.
const CENSORING_WORDS: [&str; 12] =
    ["0", "censored", "cens", "c", "alive", "none", "no event", "event-free", "event free", "lost", "lfu", "na"];

fn word_meaning(level: &str) -> Option<bool> {
    let lower = level.trim().to_lowercase();
    if EVENT_WORDS.contains(&lower.as_str()) {
        Some(true)
    } else if CENSORED_WORDS.contains(&lower.as_str()) {
        Some(false)
    } else {
        None
    }
}

/// The levels (by index) that a value the user typed names: the level written exactly so when
/// there is one; otherwise those equal to it ignoring case, or as the same number. So with both
/// `Relapse` and `relapse` in a column, `relapse` names only `relapse`.
///
/// # Errors
/// The typed value matches several levels and none exactly (`RELAPSE` with `Relapse` and
/// `relapse`): a message listing them.
pub(crate) fn matching_levels(labels: &[String], wanted: &str) -> Result<Vec<usize>, String> {
    let wanted = wanted.trim();
    if let Some(exact) = labels.iter().position(|label| label == wanted) {
        return Ok(vec![exact]);
    }
    let loose: Vec<usize> = (0..labels.len())
        .filter(|index| matches_value(&labels[*index], parse_number(&labels[*index], DecimalMark::Point), wanted))
        .collect();
    let distinct_numbers = {
        let mut numbers: Vec<Option<f64>> =
            loose.iter().map(|index| parse_number(&labels[*index], DecimalMark::Point)).collect();
        numbers.dedup();
        numbers.len() == 1 && numbers[0].is_some()
    };
    if loose.len() > 1 && !distinct_numbers {
        let names: Vec<String> = loose.iter().map(|index| labels[*index].clone()).collect();
        return Err(format!(
            "\"{wanted}\" matches {} when case is ignored, and none exactly; write it exactly as one of them",
            crate::error::quoted_list(&names)
        ));
    }
    Ok(loose)
}

/// A cell's level equals a value the user typed: the same text ignoring case, or the same number.
pub(crate) fn matches_value(level: &str, level_value: Option<f64>, wanted: &str) -> bool {
    let wanted = wanted.trim();
    if level.eq_ignore_ascii_case(wanted) || level.to_lowercase() == wanted.to_lowercase() {
        return true;
    }
    let wanted_number = parse_number(wanted, DecimalMark::Point).or_else(|| parse_number(wanted, DecimalMark::Comma));
    matches!((level_value, wanted_number), (Some(a), Some(b)) if a == b)
}

/// With an event value, the other values of the column are all censored; when there are two or
/// more of them (`no` and `maybe`), say which and how often, since one may be a typo or a third
/// outcome.
fn censored_values_notice(column: &Column, rows: &[usize], events: &[bool], wanted: &str) -> Option<String> {
    let censored_rows: Vec<usize> =
        rows.iter().zip(events).filter(|(_, event)| !**event).map(|(row, _)| *row).collect();
    let factor = column.factor(&censored_rows);
    if factor.labels.len() < 2 {
        return None;
    }
    let mut counts = vec![0usize; factor.labels.len()];
    for code in &factor.codes {
        counts[*code as usize] += 1;
    }
    let listed: Vec<String> = factor
        .labels
        .iter()
        .zip(&counts)
        .take(10)
        .map(|(label, count)| format!("\"{label}\" ({count} row{})", if *count == 1 { "" } else { "s" }))
        .collect();
    Some(format!(
        "with \"{wanted}\" as the event value of \"{}\", its {} other values are all counted as censored: {}{}; \
         if one of them is also an event or a mistake, correct the column",
        column.name,
        factor.labels.len(),
        listed.join(", "),
        if factor.labels.len() > 10 { ", ..." } else { "" }
    ))
}

/// Up to ten distinct values of the column among `rows`, quoted, for an error message.
fn distinct_values(column: &Column, rows: &[usize]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for row in rows {
        let text = column.cell_text(*row);
        if !seen.contains(&text) {
            seen.push(text);
            if seen.len() == 10 {
                break;
            }
        }
    }
    crate::error::quoted_list(&seen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{ReadOptions, Table};

    fn decode(text: &str, coding: EventCoding) -> Result<Vec<bool>, Error> {
        reading(text, coding).map(|reading| reading.events)
    }

    fn reading(text: &str, coding: EventCoding) -> Result<EventReading, Error> {
        let table = Table::parse(text, &ReadOptions::default()).unwrap();
        let rows: Vec<usize> = (0..table.n_rows()).collect();
        coding.decode(&table.columns[0], &rows, &table.spreadsheet_rows)
    }

    #[test]
    fn zero_one_and_one_two_as_r_reads_them() {
        assert_eq!(decode("e\n0\n1\n1\n", EventCoding::Automatic).unwrap(), vec![false, true, true]);
        assert_eq!(decode("e\n1\n2\n1\n", EventCoding::Automatic).unwrap(), vec![false, true, false]);
        assert_eq!(decode("e\n1\n1\n", EventCoding::Automatic).unwrap(), vec![true, true]);
    }

    #[test]
    fn words_in_any_case() {
        let events = decode("e\nDead\nalive\nTRUE\nfalse\nYes\nno\n", EventCoding::Automatic).unwrap();
        assert_eq!(events, vec![true, false, true, false, true, false]);
    }

    #[test]
    fn other_values_are_listed() {
        let error = decode("e\n0\n1\n3\n0\n5\n", EventCoding::Automatic).unwrap_err();
        assert_eq!(error.row(), Some(4));
        assert_eq!(error.column(), Some("e"));
        assert!(error.to_string().contains("row 4: \"3\", row 6: \"5\""), "{error}");
        let error = decode("e\n0\n1\n2\n", EventCoding::Automatic).unwrap_err();
        assert!(error.to_string().contains("three codes"), "{error}");
        let error = decode("e\n0\n2\n2\n", EventCoding::Automatic).unwrap_err();
        assert!(error.to_string().contains("row 2: \"0\""), "{error}");
        let error = decode("e\ndead\nrelapsed\n", EventCoding::Automatic).unwrap_err();
        assert!(error.to_string().contains("row 3: \"relapsed\""), "{error}");
    }

    #[test]
    fn an_event_value_picks_its_cells() {
        assert_eq!(
            decode("e\nRelapse\nnone\nrelapse\n", EventCoding::Value("relapse".into())).unwrap(),
            vec![true, false, true]
        );
        assert_eq!(decode("e\n1\n3\n3\n", EventCoding::Value("3".into())).unwrap(), vec![false, true, true]);
    }

    #[test]
    fn causes_are_every_value_but_the_censoring_one() {
        let table = Table::parse("s\nrelapse\ncensored\ndeath\nCensored\n", &ReadOptions::default()).unwrap();
        let causes = Causes::decode(&table.columns[0], &[0, 1, 2, 3], "censored").unwrap();
        assert_eq!(causes.labels, vec!["death", "relapse"]);
        assert_eq!(causes.codes, vec![2, 0, 1, 0]);
        assert_eq!(causes.code_of("Relapse").unwrap(), Some(2));
        let table = Table::parse("s\n2\n0\n1\n", &ReadOptions::default()).unwrap();
        let causes = Causes::decode(&table.columns[0], &[0, 1, 2], "0").unwrap();
        assert_eq!((causes.labels, causes.codes), (vec!["1".to_string(), "2".to_string()], vec![2, 0, 1]));
    }

    #[test]
    fn an_exact_match_wins_and_ambiguity_is_refused() {
        let table = Table::parse("s\nRelapse\nrelapse\n0\ndeath\n", &ReadOptions::default()).unwrap();
        let causes = Causes::decode(&table.columns[0], &[0, 1, 2, 3], "0").unwrap();
        assert_eq!(causes.labels, vec!["death", "Relapse", "relapse"]);
        assert_eq!(causes.code_of("relapse").unwrap(), Some(3));
        assert_eq!(causes.code_of("Relapse").unwrap(), Some(2));
        let message = causes.code_of("RELAPSE").unwrap_err().to_string();
        assert!(message.contains("none exactly"), "{message}");
        assert_eq!(causes.code_of("DEATH").unwrap(), Some(1));
    }

    #[test]
    fn other_values_beside_an_event_value_are_named() {
        let three_values = reading("e\nyes\nno\nmaybe\nno\n", EventCoding::Value("yes".into())).unwrap();
        assert_eq!(three_values.events, vec![true, false, false, false]);
        let notice = three_values.notice.unwrap();
        assert!(notice.contains("\"maybe\" (1 row)") && notice.contains("\"no\" (2 rows)"), "{notice}");
        assert_eq!(reading("e\nyes\nno\n", EventCoding::Value("yes".into())).unwrap().notice, None);
    }

    #[test]
    fn an_event_value_that_never_occurs_is_an_error() {
        let error = decode("e\n1\n2\n", EventCoding::Value("dead".into())).unwrap_err();
        assert!(error.to_string().contains("must be a number"), "{error}");
        let error = decode("e\nx\ny\n", EventCoding::Value("dead".into())).unwrap_err();
        assert!(error.to_string().contains("no row of column \"e\" holds \"dead\""), "{error}");
    }
}
