//! Every kind of bad file and bad option, through the CLI as a user meets it.
//!
//! Each error must end the run with a non-zero exit status and a message on stderr that names the
//! row as a spreadsheet numbers it (the header is row 1), the column, and what to do. Files that
//! only look unusual (a BOM, CRLF, semicolons, tabs, odd column names) must just work.

#![cfg(all(feature = "cli", not(target_arch = "wasm32")))] // runs the native CLI

mod common;

use common::{fails_cleanly, run_cli, says, succeeds};
use serde_json::Value;

/// `survkit km --time t --event e`, reading the CSV from stdin.
const KM: [&str; 5] = ["km", "--time", "t", "--event", "e"];
/// `survkit logrank --time t --event e --group g`.
const LOGRANK: [&str; 7] = ["logrank", "--time", "t", "--event", "e", "--group", "g"];
/// `survkit followup --time t --event e`.
const FOLLOWUP: [&str; 5] = ["followup", "--time", "t", "--event", "e"];

fn with_stdin<'a>(args: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    let mut full: Vec<&str> = args.to_vec();
    full.extend_from_slice(extra);
    full.extend(["--data", "-"]);
    full
}

/// Runs the CLI on `csv` and expects it to fail cleanly; returns stderr.
fn fails(args: &[&str], extra: &[&str], csv: &str) -> String {
    fails_cleanly(&with_stdin(args, extra), csv)
}

/// Runs the CLI with `--format json` on `csv` and expects a report.
fn json(args: &[&str], extra: &[&str], csv: &str) -> Value {
    let mut extra = extra.to_vec();
    extra.extend(["--format", "json"]);
    let stdout = succeeds(&with_stdin(args, &extra), csv);
    serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("not JSON ({error}):\n{stdout}"))
}

/// Five patients in two arms, the reference for the layouts that must give the same numbers.
const PLAIN: &str = "t,e,g\n1.5,1,A\n2,0,B\n3,1,A\n4.25,1,B\n5,0,A\n";

// ---------------------------------------------------------------------------------------------
// Empty files and headers
// ---------------------------------------------------------------------------------------------

#[test]
fn an_empty_file_is_an_error() {
    for csv in ["", "\n\n", "  \r\n \n", "\u{feff}", "\u{feff}\r\n"] {
        let message = fails(&KM, &[], csv);
        says(&message, &["the file is empty", "header row"]);
    }
}

#[test]
fn a_header_without_rows_is_an_error_not_a_panic() {
    for csv in ["t,e\n", "t,e", "t,e\r\n", "\u{feff}t,e\n\n\n"] {
        fails(&KM, &[], csv);
        fails(&FOLLOWUP, &[], csv);
    }
    fails(&LOGRANK, &[], "t,e,g\n");
    fails(&LOGRANK, &["--pairwise"], "t,e,g\r\n\r\n");
}

/// The file has no data rows; the message blames the column choices and missing-value codes,
/// which sends the user looking in the wrong place.
#[test]
fn a_header_without_rows_says_so() {
    let message = fails(&KM, &[], "t,e\n");
    assert!(!message.contains("missing values"), "{message}");
    assert!(message.contains("no data rows") || message.contains("only a header"), "{message}");
}

#[test]
fn a_duplicate_header_names_both_columns() {
    let message = fails(&KM, &[], "t,e,t\n1,1,2\n");
    says(&message, &["row 1", "column \"t\"", "used twice", "columns 1 and 3", "rename one of them"]);
    // Names are trimmed before they are compared.
    let message = fails(&KM, &[], "t,e, t \n1,1,2\n");
    says(&message, &["row 1", "column \"t\"", "columns 1 and 3"]);
}

#[test]
fn a_blank_header_names_its_column_number() {
    let message = fails(&KM, &[], "t,,e\n1,2,1\n");
    says(&message, &["row 1, column 2", "header is blank", "give every column a name"]);
    // A trailing delimiter, as spreadsheets leave after an emptied column.
    let message = fails(&KM, &[], "t,e,\n1,1,\n");
    says(&message, &["row 1, column 3", "give every column a name"]);
    let message = fails(&KM, &[], "t,e,\"  \"\n1,1,2\n");
    says(&message, &["row 1, column 3"]);
}

// ---------------------------------------------------------------------------------------------
// Ragged rows
// ---------------------------------------------------------------------------------------------

#[test]
fn a_ragged_row_is_named_with_its_cell_count() {
    let message = fails(&KM, &[], "t,e\n1,1\n2,0,5\n3,1\n4\n");
    says(
        &message,
        &["the header has 2 columns", "row 3 has 3", "row 5 has 1", "stray delimiter", "choose the right delimiter"],
    );
    assert!(!message.contains("more rows differ"), "{message}");
}

#[test]
fn more_than_ten_ragged_rows_are_counted() {
    let csv = format!("t,e\n{}2,0\n", "1,1,9\n".repeat(13));
    let message = fails(&KM, &[], &csv);
    let listed: Vec<String> = (2..=11).map(|row| format!("row {row} has 3")).collect();
    says(&message, &listed.iter().map(String::as_str).collect::<Vec<_>>());
    says(&message, &["and 3 more rows differ"]);
    assert!(!message.contains("row 12 has"), "only ten rows are listed:\n{message}");
}

// ---------------------------------------------------------------------------------------------
// Times
// ---------------------------------------------------------------------------------------------

#[test]
fn text_in_the_time_column_lists_its_rows() {
    let message = fails(&KM, &[], "t,e\n1,1\nabc,0\n3,1\nn/a,1\n");
    says(
        &message,
        &[
            "column \"t\" must hold numbers",
            "row 3: \"abc\"",
            "row 5: \"n/a\"",
            "correct them, leave them blank, or declare the text a missing-value code",
        ],
    );
}

#[test]
fn more_than_ten_text_times_are_counted() {
    let rows: String = (1..=13).map(|i| format!("x{i},1\n")).collect();
    let message = fails(&KM, &[], &format!("t,e\n{rows}2,0\n"));
    let listed: Vec<String> = (1..=10).map(|i| format!("row {}: \"x{i}\"", i + 1)).collect();
    says(&message, &listed.iter().map(String::as_str).collect::<Vec<_>>());
    says(&message, &["and 3 more", "column \"t\""]);
    assert!(!message.contains("x11"), "only ten cells are listed:\n{message}");
}

/// A European export: semicolons between cells, commas in numbers.
const DECIMAL_COMMA: &str = "t;e;g\n1,5;1;A\n2;0;B\n3;1;A\n4,25;1;B\n5;0;A\n";

#[test]
fn a_decimal_comma_gets_the_hint_to_choose_it() {
    let message = fails(&KM, &[], DECIMAL_COMMA);
    says(&message, &["column \"t\"", "row 2: \"1,5\"", "row 5: \"4,25\"", "choose \",\" as the decimal mark"]);
    // The same in a comma-delimited file, where the cell must be quoted.
    let message = fails(&KM, &[], "t,e\n\"1,5\",1\n2,0\n");
    says(&message, &["row 2: \"1,5\"", "choose \",\" as the decimal mark"]);
}

#[test]
fn with_decimal_comma_the_same_file_gives_the_same_numbers() {
    for args in [&KM[..], &LOGRANK[..], &FOLLOWUP[..]] {
        let grouped: &[&str] = if args[0] == "logrank" { &[] } else { &["--group", "g"] };
        let mut comma_extra = grouped.to_vec();
        comma_extra.extend(["--decimal", ","]);
        assert_eq!(json(args, &comma_extra, DECIMAL_COMMA), json(args, grouped, PLAIN), "{}", args[0]);
    }
}

#[test]
fn negative_times_are_errors_with_their_rows() {
    let message = fails(&KM, &[], "t,e\n1,1\n-2,0\n0,1\n-0.5,1\n");
    says(
        &message,
        &[
            "column \"t\"",
            "negative times",
            "row 3: \"-2\"",
            "row 5: \"-0.5\"",
            "cannot be negative",
            "check the dates",
        ],
    );
}

#[test]
fn time_zero_is_allowed() {
    let report = json(&KM, &[], "t,e\n0,1\n0,0\n3,1\n");
    assert_eq!(report["groups"][0]["steps"]["time"][0].as_f64(), Some(0.0));
    assert_eq!(report["groups"][0]["steps"]["n_event"][0].as_u64(), Some(1));
    let followup = json(&FOLLOWUP, &[], "t,e\n0,1\n0,0\n3,1\n");
    assert_eq!(followup["min"].as_f64(), Some(0.0));
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

#[test]
fn an_unrecognised_number_in_a_0_1_column_is_named() {
    let message = fails(&KM, &[], "t,e\n1,1\n2,3\n3,0\n");
    says(&message, &["column \"e\"", "does not say event or censored", "row 3: \"3\"", "use 0/1", "event value"]);
}

#[test]
fn an_unrecognised_word_in_a_text_column_is_named() {
    let message = fails(&KM, &[], "t,e\n1,dead\n2,relapsed\n3,alive\n");
    says(&message, &["column \"e\"", "row 3: \"relapsed\"", "dead/alive", "event value"]);
    // Naming the event value makes every other value censored.
    let report = json(&KM, &["--event-value", "relapsed"], "t,e\n1,dead\n2,relapsed\n3,alive\n");
    assert_eq!(report["groups"][0]["events"].as_u64(), Some(1));
}

#[test]
fn an_event_value_that_occurs_nowhere_lists_the_values() {
    let message = fails(&KM, &["--event-value", "died"], "t,e\n1,dead\n2,relapsed\n3,alive\n");
    says(&message, &["event value", "no row of column \"e\" holds \"died\"", "\"dead\", \"relapsed\", \"alive\""]);
    let message = fails(&KM, &["--event-value", "5"], "t,e\n1,1\n2,0\n");
    says(&message, &["no row of column \"e\" holds \"5\"", "\"1\", \"0\""]);
}

#[test]
fn a_text_event_value_on_a_numeric_column_is_explained() {
    let message = fails(&KM, &["--event-value", "dead"], "t,e\n1,1\n2,0\n");
    says(&message, &["event value", "column \"e\" holds numbers", "must be a number", "\"dead\""]);
}

// ---------------------------------------------------------------------------------------------
// Columns, missing values and options
// ---------------------------------------------------------------------------------------------

#[test]
fn an_unknown_column_lists_the_available_ones() {
    let message = fails(&["km", "--time", "time", "--event", "e"], &[], "t,e,g\n1,1,A\n");
    says(&message, &["column \"time\" is not in the file", "its columns are \"t\", \"e\", \"g\""]);
    // Every unknown name at once.
    let message = fails(&["km", "--time", "time", "--event", "status"], &["--group", "arm"], "t,e,g\n1,1,A\n");
    says(&message, &["\"time\" is not in the file", "\"status\" is not in the file", "\"arm\" is not in the file"]);
}

#[test]
fn all_rows_missing_is_a_clear_error() {
    let message = fails(&KM, &[], "t,e\nNA,1\n,0\n.,1\n3,NaN\n");
    says(&message, &["no row has all the columns", "4 rows dropped for missing values", "missing-value codes"]);
}

#[test]
fn some_rows_missing_are_counted_in_n_dropped() {
    let csv = "t,e,g\nNA,1,A\n2,0,B\n3,1,A\n4,,B\n5,1,\n6,0,B\n";
    assert_eq!(json(&KM, &[], csv)["n_dropped"].as_u64(), Some(2));
    // A missing group only drops the row when grouping.
    assert_eq!(json(&KM, &["--group", "g"], csv)["n_dropped"].as_u64(), Some(3));
    assert_eq!(json(&LOGRANK, &[], csv)["n_dropped"].as_u64(), Some(3));
    assert_eq!(json(&FOLLOWUP, &[], csv)["n_dropped"].as_u64(), Some(2));
}

const NA_CODES: &str = "t,e\n-99,1\n2,0\n3,1\nunknown,1\n";

#[test]
fn na_code_with_equals_makes_minus_99_missing() {
    let report = json(&KM, &["--na=-99,unknown"], NA_CODES);
    assert_eq!(report["n_dropped"].as_u64(), Some(2));
    assert_eq!(report["groups"][0]["n"].as_u64(), Some(2));
    // Without the code, -99 is a negative time.
    let message = fails(&KM, &["--na", "unknown"], NA_CODES);
    says(&message, &["negative times", "row 2: \"-99\""]);
}

/// `--na -99`, as the help text invites, is taken by the argument parser for a flag `-9`.
#[test]
fn na_code_minus_99_as_a_separate_argument() {
    let report = json(&KM, &["--na", "-99"], "t,e\n-99,1\n2,0\n3,1\n");
    assert_eq!(report["n_dropped"].as_u64(), Some(1));
}

#[test]
fn a_confidence_level_in_percent_is_refused() {
    for level in ["95", "0", "1", "-0.5"] {
        let flag = format!("--conf-level={level}");
        let message = fails(&KM, &[&flag], "t,e\n1,1\n2,0\n");
        says(&message, &["conf-level", "between 0 and 1", "0.95"]);
    }
}

#[test]
fn logrank_with_a_single_group_is_an_error() {
    let message = fails(&LOGRANK, &[], "t,e,g\n1,1,A\n2,0,A\n3,1,A\n");
    says(&message, &["column \"g\"", "only one group", "at least two"]);
    // The second group only on rows that are dropped.
    let message = fails(&LOGRANK, &[], "t,e,g\n1,1,A\n2,0,A\nNA,1,B\n");
    says(&message, &["column \"g\"", "at least two"]);
}

#[test]
fn unknown_delimiter_and_decimal_mark_are_named() {
    let message = fails(&KM, &["--delimiter", "x"], "t,e\n1,1\n");
    says(&message, &["delimiter", "\"x\"", "\",\", \";\", tab"]);
    let message = fails(&KM, &["--decimal", ";"], "t,e\n1,1\n");
    says(&message, &["decimal", "\";\"", "use \".\" or \",\""]);
}

#[test]
fn a_missing_file_is_an_error() {
    let (ok, _, stderr) = run_cli(&["km", "--time", "t", "--event", "e", "--data", "no/such/file.csv"], None);
    assert!(!ok);
    says(&stderr, &["cannot read no/such/file.csv"]);
}

#[test]
fn independent_problems_are_reported_together() {
    let message = fails(&KM, &[], "t,e\nx,1\n2,7\n");
    says(&message, &["column \"t\" must hold numbers", "row 2: \"x\"", "column \"e\" does not say", "row 3: \"7\""]);
}

// ---------------------------------------------------------------------------------------------
// Files that only look unusual
// ---------------------------------------------------------------------------------------------

const HTML: &str = "<img src=x onerror=alert(1)>";

#[test]
fn a_column_named_like_html_is_a_plain_name() {
    let csv = format!("t,e,{HTML}\n1,1,<b>A</b>\n2,0,B\n3,1,<b>A</b>\n4,1,B\n");
    let report = json(&KM, &["--group", HTML], &csv);
    let groups: Vec<&str> = report["groups"].as_array().unwrap().iter().map(|g| g["group"].as_str().unwrap()).collect();
    assert_eq!(groups, vec!["<b>A</b>", "B"]);
    let logrank = format!("t,e,g,{HTML}\n1,1,A,x\n2,0,B,x\n3,1,A,y\n4,1,B,y\n5,1,A,x\n6,1,B,y\n");
    let report = json(&LOGRANK, &["--strata", HTML], &logrank);
    assert_eq!(report["strata"].as_str(), Some(HTML));
    let (ok, stdout, stderr) = run_cli(&with_stdin(&KM, &["--group", HTML]), Some(&csv));
    assert!(ok, "{stderr}");
    assert!(stdout.contains("<b>A</b>"), "{stdout}");
    // And it is quoted verbatim when the user asks for another column.
    let message = fails(&KM, &["--group", "arm"], &csv);
    says(&message, &[&format!("\"{HTML}\"")]);
}

#[test]
fn bom_crlf_semicolon_file_works() {
    let csv = "\u{feff}t;e;g\r\n1.5;1;A\r\n2;0;B\r\n3;1;A\r\n4.25;1;B\r\n5;0;A\r\n";
    assert_eq!(json(&KM, &["--group", "g"], csv), json(&KM, &["--group", "g"], PLAIN));
    // With decimal commas too, as a European Excel saves it.
    let european = "\u{feff}t;e;g\r\n1,5;1;A\r\n2;0;B\r\n3;1;A\r\n4,25;1;B\r\n5;0;A\r\n";
    assert_eq!(json(&LOGRANK, &["--decimal", ","], european), json(&LOGRANK, &[], PLAIN));
}

#[test]
fn tab_delimited_file_works() {
    let csv = PLAIN.replace(',', "\t");
    assert_eq!(json(&KM, &["--group", "g"], &csv), json(&KM, &["--group", "g"], PLAIN));
    assert_eq!(json(&KM, &["--group", "g", "--delimiter", "tab"], &csv), json(&KM, &["--group", "g"], PLAIN));
}

#[test]
fn an_explicit_semicolon_delimiter_works() {
    let csv = PLAIN.replace(',', ";");
    assert_eq!(json(&KM, &["--group", "g", "--delimiter", ";"], &csv), json(&KM, &["--group", "g"], PLAIN));
    // Choosing it where detection would hesitate: one column of times with commas in the text.
    let csv = "t;e;note\n1;1;a, b\n2;0;c, d, e\n";
    assert_eq!(json(&KM, &["--delimiter", ";"], csv)["groups"][0]["n"].as_u64(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// Spreadsheet row numbers
// ---------------------------------------------------------------------------------------------

/// Rows 1 (header), 2, a blank row 3, 4, then the bad row 5.
#[test]
fn a_blank_line_counts_as_a_row() {
    says(&fails(&KM, &[], "t,e\n1,1\n\n2,0\nabc,1\n"), &["row 5: \"abc\""]);
    says(&fails(&KM, &[], "t,e\n1,1\n\n2,0\n-4,1\n"), &["row 5: \"-4\""]);
    says(&fails(&KM, &[], "t,e\n1,1\n\n2,0\n4,9\n"), &["row 5: \"9\""]);
    says(&fails(&KM, &[], "t,e\n1,1\n\n2,0\n4,1,1\n"), &["row 5 has 3"]);
    says(&fails(&KM, &[], "t,e\r\n1,1\r\n\r\n2,0\r\nabc,1\r\n"), &["row 5: \"abc\""]);
}

/// A quoted cell with a line break is one spreadsheet row however many lines it spans.
#[test]
fn a_quoted_line_break_is_one_row() {
    says(&fails(&KM, &[], "t,e,note\n1,1,\"two\nlines\"\n2,0,x\nabc,1,y\n"), &["row 4: \"abc\""]);
    says(&fails(&KM, &[], "t,e,note\n1,1,\"two\r\nlines\"\r\n2,0,x\r\nabc,1,y\r\n"), &["row 4: \"abc\""]);
    says(&fails(&KM, &[], "t,e,note\n1,1,\"a\n\nb\"\n2,0,x\n-1,1,y\n"), &["row 4: \"-1\""]);
    says(&fails(&KM, &[], "t,e,note\n1,1,\"a\nb\nc\"\n2,0,x\n3,maybe,y\n"), &["row 4: \"maybe\""]);
}

#[test]
fn blank_lines_and_quoted_line_breaks_together() {
    let head = "t,e,note\n1,1,\"two\nlines\"\n\n2,0,x\n\n\n";
    says(&fails(&KM, &[], &format!("{head}abc,1,y\n")), &["row 7: \"abc\""]);
    says(&fails(&KM, &[], &format!("{head}-7,1,y\n")), &["row 7: \"-7\""]);
    says(&fails(&KM, &[], &format!("{head}7,9,y\n")), &["row 7: \"9\""]);
    says(&fails(&KM, &[], &format!("{head}7,1,y,z\n")), &["row 7 has 4"]);
    // A line break inside a header cell too.
    says(&fails(&KM, &[], "a,\"b\nc\",t,e\n1,2,3,1\n4,5,x,0\n"), &["row 3: \"x\""]);
}

/// Old Mac Excel ("CSV (Macintosh)") ends lines with a lone CR: the rows are read, but every
/// error names row 1 (the header) because only LF is counted.
#[test]
fn cr_line_endings_count_rows() {
    says(&fails(&KM, &[], "t,e\r1,1\r2,0\rabc,1\r"), &["row 4: \"abc\""]);
}
