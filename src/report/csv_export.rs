//! CSV that is safe to open in a spreadsheet: every CSV survkit writes goes through [`write_csv`].
//!
//! A cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
//! spreadsheets skip before looking for those) is run as a formula by Excel, LibreOffice and
//! Google Sheets when the file is opened: "CSV injection". Labels come from the user's file, so a
//! group called `=HYPERLINK("http://…")` would otherwise become a live link in a manuscript's
//! table. As OWASP recommends (<https://owasp.org/www-community/attacks/CSV_Injection>), such a
//! cell is written with a leading apostrophe, which spreadsheets show as text; the `csv` crate
//! then quotes it as needed. A cell that is a plain number (`-0.5`, `+3`, `1e-3`) is left as it
//! is, so negative numbers stay numbers.

use std::borrow::Cow;

use crate::data::{parse_number, DecimalMark};

/// The characters that make a spreadsheet read a cell as a formula when they come first.
const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as a spreadsheet will show it as text: with a leading `'` when it would otherwise
/// start a formula.
///
/// # Examples
/// ```
/// use survkit::report::csv_export::spreadsheet_safe;
/// assert_eq!(spreadsheet_safe("=1+1"), "'=1+1");
/// assert_eq!(spreadsheet_safe("-0.5"), "-0.5");
/// assert_eq!(spreadsheet_safe("65 (41-80)"), "65 (41-80)");
/// ```
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    let starts_formula = cell.starts_with(FORMULA_TRIGGERS);
    if starts_formula && parse_number(cell, DecimalMark::Point).is_none() {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A CSV document (RFC 4180 quoting, `\n` line ends) of a header and rows, every cell made
/// [`spreadsheet_safe`].
pub fn write_csv<Row: AsRef<[String]>>(header: &[String], rows: &[Row]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let lines = std::iter::once(header).chain(rows.iter().map(AsRef::as_ref));
    for line in lines {
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(line.iter().map(|cell| spreadsheet_safe(cell).into_owned()));
    }
    writer.into_inner().map(|bytes| String::from_utf8_lossy(&bytes).into_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_formula_trigger_is_neutralised() {
        for cell in ["=SUM(A1:A9)", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")"] {
            let safe = spreadsheet_safe(cell);
            assert!(safe.starts_with('\''), "{cell:?} became {safe:?}");
            assert_eq!(&safe[1..], cell);
        }
    }

    #[test]
    fn numbers_and_ordinary_text_are_left_alone() {
        for cell in ["-0.5", "+3", "-1e-3", "0.013", "< 0.001", "n (%)", "Age, median (range)", ""] {
            assert_eq!(spreadsheet_safe(cell), cell);
        }
    }

    #[test]
    fn the_document_quotes_what_needs_quoting() {
        let header = vec!["Variable".to_string(), "=cmd".to_string()];
        let rows = vec![vec!["a,b".to_string(), "-1".to_string()], vec!["@x".to_string(), "say \"hi\"".to_string()]];
        assert_eq!(write_csv(&header, &rows), "Variable,'=cmd\n\"a,b\",-1\n'@x,\"say \"\"hi\"\"\"\n");
    }
}
