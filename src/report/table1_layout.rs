//! Table 1 laid out as a paper prints it: one line per variable (and per level), cells such as
//! "34 (50.7)" and "27 (9, 65)", and "< 0.001" for small p; rendered as text, CSV or HTML.

use serde::Serialize;

use super::{Table1Group, Table1Report, Table1Row};

/// A p-value as papers print it: "< 0.001", else three decimals.
pub fn paper_p(p: Option<f64>) -> String {
    match p {
        None => String::new(),
        Some(p) if p < 0.001 => "< 0.001".to_string(),
        Some(p) => format!("{p:.3}"),
    }
}

fn one_decimal(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |value| format!("{value:.1}"))
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |value| crate::report::text::significant(Some(value), 4))
}

/// The table as a paper prints it, cell by cell: what the page draws and what the text, CSV and
/// HTML renderings print, so that the four cannot differ.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Table1Layout {
    /// "Characteristic", one column per group ("A (n = 34)"), "P", then with pairwise tests one
    /// "P, A vs B" per pair of groups in level order.
    pub header: Vec<String>,
    pub lines: Vec<Table1Line>,
}

/// One line: a variable's first line, or one of its levels (or its missing count).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Table1Line {
    pub variable: String,
    /// A level line, printed indented under its variable.
    pub level: bool,
    /// As many cells as the header; the first is the label, without indentation.
    pub cells: Vec<String>,
}

/// The layout of `groups` and `rows`.
pub fn table1_layout(groups: &[Table1Group], rows: &[Table1Row]) -> Table1Layout {
    let mut header = vec!["Characteristic".to_string()];
    header.extend(groups.iter().map(|group| format!("{} (n = {})", group.group, group.n)));
    header.push("P".to_string());
    // With pairwise tests, one more column per pair of groups, in level order.
    let pairs: Vec<(String, String)> = rows
        .iter()
        .find_map(|row| row.pairwise.as_ref())
        .map(|pairs| pairs.iter().map(|pair| (pair.group_a.clone(), pair.group_b.clone())).collect())
        .unwrap_or_default();
    header.extend(pairs.iter().map(|(a, b)| format!("P, {a} vs {b}")));
    let mut lines = Vec::new();
    for row in rows {
        let first = lines.len();
        add_variable(&mut lines, row, groups.len());
        let pair_p = row.pairwise.as_deref().unwrap_or_default();
        for (index, line) in lines.iter_mut().enumerate().skip(first) {
            line.cells.extend((0..pairs.len()).map(|pair| {
                if index == first {
                    paper_p(pair_p.get(pair).and_then(|entry| entry.p))
                } else {
                    String::new()
                }
            }));
        }
    }
    Table1Layout { header, lines }
}

fn add_variable(lines: &mut Vec<Table1Line>, row: &Table1Row, n_groups: usize) {
    let line = |level: bool, cells: Vec<String>| Table1Line { variable: row.variable.clone(), level, cells };
    let p = paper_p(row.p);
    if let Some(levels) = &row.levels {
        let mut first = vec![format!("{}, n (%)", row.variable)];
        first.extend(std::iter::repeat_n(String::new(), n_groups));
        first.push(p);
        lines.push(line(false, first));
        for level in levels {
            let mut cells = vec![level.level.clone()];
            cells.extend(
                level
                    .counts
                    .iter()
                    .zip(&level.percents)
                    .map(|(count, percent)| format!("{count} ({})", one_decimal(*percent))),
            );
            cells.push(String::new());
            lines.push(line(true, cells));
        }
        if let Some(missing) = row.n_missing.as_ref().filter(|missing| missing.iter().any(|count| *count > 0)) {
            let mut cells = vec!["Missing".to_string()];
            cells.extend(missing.iter().map(usize::to_string));
            cells.push(String::new());
            lines.push(line(true, cells));
        }
    } else if let Some(groups) = &row.groups {
        let mut cells = vec![format!("{}, median (range)", row.variable)];
        cells.extend(groups.iter().map(|group| {
            let summary = &group.summary;
            if summary.n == 0 {
                "-".to_string()
            } else {
                format!("{} ({}, {})", number(summary.median), number(summary.min), number(summary.max))
            }
        }));
        cells.push(p);
        lines.push(line(false, cells));
    }
}

impl Table1Report {
    /// Plain text, columns aligned.
    pub fn to_text(&self) -> String {
        let header: Vec<&str> = self.layout.header.iter().map(String::as_str).collect();
        // Level lines are indented under their variable.
        let rows: Vec<Vec<String>> = self
            .layout
            .lines
            .iter()
            .map(|line| {
                let mut cells = line.cells.clone();
                if let (true, Some(label)) = (line.level, cells.first_mut()) {
                    label.insert_str(0, "  ");
                }
                cells
            })
            .collect();
        let mut out = crate::report::text::table(&header, &rows);
        for row in &self.rows {
            for warning in &row.warnings {
                out += &format!("Note ({}): {warning}\n", row.variable);
            }
        }
        out
    }

    /// CSV with the same cells, safe to open in a spreadsheet (`csv_export`).
    pub fn to_csv(&self) -> String {
        let lines: Vec<&[String]> = self.layout.lines.iter().map(|line| line.cells.as_slice()).collect();
        crate::report::csv_export::write_csv(&self.layout.header, &lines)
    }

    /// An HTML table (for pasting into a word processor); every cell's text is escaped.
    pub fn to_html(&self) -> String {
        let mut out = String::from("<table>\n<thead><tr>");
        for cell in &self.layout.header {
            out += &format!("<th>{}</th>", escape_html(cell));
        }
        out += "</tr></thead>\n<tbody>\n";
        for line in &self.layout.lines {
            out += "<tr>";
            for (column, cell) in line.cells.iter().enumerate() {
                let indent = column == 0 && line.level;
                let style = if indent { " style=\"padding-left:1.5em\"" } else { "" };
                out += &format!("<td{style}>{}</td>", escape_html(cell));
            }
            out += "</tr>\n";
        }
        out += "</tbody>\n</table>\n";
        out
    }
}

/// Text made safe to place inside HTML.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_values_as_papers_print_them() {
        assert_eq!(paper_p(Some(0.0004)), "< 0.001");
        assert_eq!(paper_p(Some(0.01349)), "0.013");
        assert_eq!(paper_p(None), "");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape_html("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
    }
}
