//! Table 1 laid out as a paper prints it: one line per variable (and per level), cells such as
//! "34 (50.7)" and "27 (9, 65)", and "< 0.001" for small p; rendered as text, CSV or HTML.

use super::{Table1Report, Table1Row};

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

/// The header and rows of the table: the characteristic, one column per group, and P.
pub fn table1_cells(report: &Table1Report) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["Characteristic".to_string()];
    header.extend(report.groups.iter().map(|group| format!("{} (n = {})", group.group, group.n)));
    header.push("P".to_string());
    // With pairwise tests, one more column per pair of groups, in level order.
    let pairs: Vec<(String, String)> = report
        .rows
        .iter()
        .find_map(|row| row.pairwise.as_ref())
        .map(|pairs| pairs.iter().map(|pair| (pair.group_a.clone(), pair.group_b.clone())).collect())
        .unwrap_or_default();
    header.extend(pairs.iter().map(|(a, b)| format!("P, {a} vs {b}")));
    let mut rows = Vec::new();
    for row in &report.rows {
        let first = rows.len();
        add_variable(&mut rows, row, report.groups.len());
        for (index, line) in rows.iter_mut().enumerate().skip(first) {
            let pair_p = row.pairwise.as_deref().unwrap_or_default();
            line.extend((0..pairs.len()).map(|pair| {
                if index == first {
                    paper_p(pair_p.get(pair).and_then(|entry| entry.p))
                } else {
                    String::new()
                }
            }));
        }
    }
    (header, rows)
}

fn add_variable(rows: &mut Vec<Vec<String>>, row: &Table1Row, n_groups: usize) {
    let p = paper_p(row.p);
    if let Some(levels) = &row.levels {
        let mut first = vec![format!("{}, n (%)", row.variable)];
        first.extend(std::iter::repeat_n(String::new(), n_groups));
        first.push(p);
        rows.push(first);
        for level in levels {
            let mut line = vec![format!("  {}", level.level)];
            line.extend(
                level
                    .counts
                    .iter()
                    .zip(&level.percents)
                    .map(|(count, percent)| format!("{count} ({})", one_decimal(*percent))),
            );
            line.push(String::new());
            rows.push(line);
        }
        if let Some(missing) = row.n_missing.as_ref().filter(|missing| missing.iter().any(|count| *count > 0)) {
            let mut line = vec!["  Missing".to_string()];
            line.extend(missing.iter().map(usize::to_string));
            line.push(String::new());
            rows.push(line);
        }
    } else if let Some(groups) = &row.groups {
        let mut line = vec![format!("{}, median (range)", row.variable)];
        line.extend(groups.iter().map(|group| {
            if group.n == 0 {
                "-".to_string()
            } else {
                format!("{} ({}, {})", number(group.median), number(group.min), number(group.max))
            }
        }));
        line.push(p);
        rows.push(line);
    }
}

impl Table1Report {
    /// Plain text, columns aligned.
    pub fn to_text(&self) -> String {
        let (header, rows) = table1_cells(self);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut out = crate::report::text::table(&header, &rows);
        for row in &self.rows {
            for warning in &row.warnings {
                out += &format!("Note ({}): {warning}\n", row.variable);
            }
        }
        out
    }

    /// CSV with the same cells.
    pub fn to_csv(&self) -> String {
        let (header, rows) = table1_cells(self);
        let mut writer = csv::Writer::from_writer(Vec::new());
        for line in std::iter::once(&header).chain(&rows) {
            let _ = writer.write_record(line.iter().map(|cell| cell.trim_start()));
        }
        writer.into_inner().map(|bytes| String::from_utf8_lossy(&bytes).into_owned()).unwrap_or_default()
    }

    /// An HTML table (for pasting into a word processor); every cell's text is escaped.
    pub fn to_html(&self) -> String {
        let (header, rows) = table1_cells(self);
        let mut out = String::from("<table>\n<thead><tr>");
        for cell in &header {
            out += &format!("<th>{}</th>", escape_html(cell));
        }
        out += "</tr></thead>\n<tbody>\n";
        for line in &rows {
            out += "<tr>";
            for (column, cell) in line.iter().enumerate() {
                let indent = column == 0 && cell.starts_with("  ");
                let style = if indent { " style=\"padding-left:1.5em\"" } else { "" };
                out += &format!("<td{style}>{}</td>", escape_html(cell.trim_start()));
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
