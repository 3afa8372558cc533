//! Reading and writing numbers as a spreadsheet user writes them.

/// The character between the integer and fractional parts of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecimalMark {
    /// `3.5`, the default (R's `read.csv`).
    #[default]
    Point,
    /// `3,5`, as European Excel exports write it (R's `read.csv2`).
    Comma,
}

impl DecimalMark {
    pub fn as_char(self) -> char {
        match self {
            DecimalMark::Point => '.',
            DecimalMark::Comma => ',',
        }
    }

    pub fn other(self) -> DecimalMark {
        match self {
            DecimalMark::Point => DecimalMark::Comma,
            DecimalMark::Comma => DecimalMark::Point,
        }
    }
}

/// A trimmed cell read as a finite number, or `None`.
///
/// Accepts what R's `as.numeric` accepts for plain decimals: an optional sign, digits with one
/// decimal mark, and an exponent. Rejects `inf`, `nan`, hexadecimal, thousands separators and the
/// other decimal mark, so that `1,5` in a file read with `.` is text, not 15.
///
/// # Examples
/// ```
/// use survkit::data::{parse_number, DecimalMark};
/// assert_eq!(parse_number("-2.5e1", DecimalMark::Point), Some(-25.0));
/// assert_eq!(parse_number("3,5", DecimalMark::Comma), Some(3.5));
/// assert_eq!(parse_number("3,5", DecimalMark::Point), None);
/// assert_eq!(parse_number("inf", DecimalMark::Point), None);
/// ```
pub fn parse_number(cell: &str, decimal: DecimalMark) -> Option<f64> {
    let bytes = cell.as_bytes();
    if bytes.is_empty() || !bytes.iter().any(u8::is_ascii_digit) {
        return None;
    }
    let mark = decimal.as_char() as u8;
    let allowed = |byte: &u8| byte.is_ascii_digit() || matches!(byte, b'+' | b'-' | b'e' | b'E') || *byte == mark;
    if !bytes.iter().all(allowed) {
        return None;
    }
    let value = match decimal {
        DecimalMark::Point => cell.parse::<f64>().ok()?,
        DecimalMark::Comma => cell.replacen(',', ".", 1).parse::<f64>().ok()?,
    };
    // + 0.0 turns -0 into 0, so "-0" is the time zero and prints as 0.
    value.is_finite().then_some(value + 0.0)
}

/// The shortest text that reads back as the same number: `2`, `1.5`, `0.001`.
///
/// Used for the levels of numeric grouping columns, so a group coded 1/2 is labelled "1" and "2"
/// as R labels `factor(c(1, 2))`.
pub fn format_number(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string(); // also for -0
    }
    if value.abs() >= 1e21 {
        // Beyond 21 digits, plain notation is a wall of zeros: "1e308", "-1.7e308".
        return format!("{value:e}");
    }
    format!("{value}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_is_not_a_plain_number() {
        for text in ["", "-", ".", "e5", "1.2.3", "NaN", "infinity", "0x10", "1 000", "12abc", "1,5"] {
            assert_eq!(parse_number(text, DecimalMark::Point), None, "{text}");
        }
        assert_eq!(parse_number("1.5", DecimalMark::Comma), None);
        assert_eq!(parse_number("1,5,0", DecimalMark::Comma), None);
        assert_eq!(parse_number("1e999", DecimalMark::Point), None);
    }

    #[test]
    fn reads_plain_numbers() {
        assert_eq!(parse_number("+7", DecimalMark::Point), Some(7.0));
        assert_eq!(parse_number(".5", DecimalMark::Point), Some(0.5));
        assert_eq!(parse_number("5.", DecimalMark::Point), Some(5.0));
        assert_eq!(parse_number("-0,25", DecimalMark::Comma), Some(-0.25));
    }

    #[test]
    fn formats_shortest() {
        assert_eq!(format_number(2.0), "2");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(1.5), "1.5");
        assert_eq!(format_number(1e20), "100000000000000000000");
        assert_eq!(format_number(-1.7e308), "-1.7e308");
        assert_eq!(format_number(0.1 + 0.2), "0.30000000000000004");
    }
}
