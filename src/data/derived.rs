//! Columns derived from the file's columns, which a study adds before its analyses run.
//!
//! A cut column is R's `cut(x, c(-Inf, breaks, Inf), right = FALSE)`: intervals closed on the
//! left, labelled `[-Inf,40)`, `[40,60)`, `[60,Inf)`, in that order, missing where `x` is. R
//! writes the breaks with `formatC(breaks, digits = 3)`; survkit writes them as the file would
//! (`40`, `12.5`), the same for breaks of up to three significant digits.

use super::column::{Column, ColumnData, LevelValues, MISSING_CODE};
use super::number::format_number;
use super::table::Table;
use crate::error::Error;

/// The column `name`: `from`, a numeric column, cut at `breaks`.
///
/// # Errors
/// A name already taken, `from` missing or not numeric, or breaks that are not finite and
/// increasing.
pub fn cut_column(table: &Table, name: &str, from: &str, breaks: &[f64]) -> Result<Column, Error> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid_option("name", "give the new column a name"));
    }
    if table.names.iter().any(|existing| existing == name) {
        return Err(Error::invalid_option(
            "name",
            format!("the file already has a column \"{name}\"; give the derived column another name"),
        ));
    }
    if breaks.is_empty()
        || breaks.iter().any(|value| !value.is_finite())
        || breaks.windows(2).any(|pair| pair[0] >= pair[1])
    {
        return Err(Error::invalid_option("breaks", "give one or more cut-points, each a number larger than the last"));
    }
    let source = table.column(from.trim())?;
    let ColumnData::Numeric(values) = &source.data else {
        return Err(Error::invalid_option(
            "from",
            format!("\"{}\" is not a numeric column, so it cannot be cut at numbers", source.name),
        ));
    };
    let mut bounds: Vec<String> = vec!["-Inf".into()];
    bounds.extend(breaks.iter().map(|value| format_number(*value)));
    bounds.push("Inf".into());
    let levels: Vec<String> = bounds.windows(2).map(|pair| format!("[{},{})", pair[0], pair[1])).collect();
    let codes = values
        .iter()
        .map(|value| if value.is_nan() { MISSING_CODE } else { breaks.partition_point(|limit| limit <= value) as u32 })
        .collect();
    let level_values = LevelValues::from(vec![None; levels.len()]);
    Ok(Column { name: name.to_string(), data: ColumnData::Text { codes, levels, level_values, ordered: true } })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ReadOptions;

    #[test]
    fn cuts_as_r_cut_with_right_false() {
        // R: cut(c(3, 5, 39.9, 40, 70, NA), c(-Inf, 5, 40, Inf), right = FALSE)
        let table = Table::parse("age\n3\n5\n39.9\n40\n70\nNA\n", &ReadOptions::default()).unwrap();
        let column = cut_column(&table, "band", "age", &[5.0, 40.0]).unwrap();
        let ColumnData::Text { codes, levels, .. } = &column.data else { panic!() };
        assert_eq!(levels, &["[-Inf,5)", "[5,40)", "[40,Inf)"]);
        assert_eq!(codes, &[0, 1, 1, 2, 2, MISSING_CODE]);
        let factor = column.factor(&[0, 1, 2, 3, 4]);
        assert_eq!(factor.labels, vec!["[-Inf,5)", "[5,40)", "[40,Inf)"]);
    }

    #[test]
    fn refuses_what_cannot_be_cut() {
        let table = Table::parse("age,arm\n3,a\n", &ReadOptions::default()).unwrap();
        assert!(cut_column(&table, "age", "age", &[5.0]).unwrap_err().to_string().contains("already has"));
        assert!(cut_column(&table, "b", "arm", &[5.0]).unwrap_err().to_string().contains("not a numeric"));
        assert!(cut_column(&table, "b", "age", &[5.0, 5.0]).unwrap_err().to_string().contains("larger than"));
    }
}
