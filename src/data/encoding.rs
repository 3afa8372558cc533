//! The bytes of a file -> its text, in the encoding the file was saved in.
//!
//! Spreadsheets save CSV in three encodings, and a file says which only sometimes:
//! - UTF-8 ("CSV UTF-8"), with or without a byte-order mark: read as it is;
//! - UTF-16 ("Unicode text"), little- or big-endian, with a byte-order mark, or without one when
//!   every second byte of the first line is 0: decoded; a broken UTF-16 file is refused, never
//!   patched with replacement characters;
//! - anything else is read as Windows-1252, what Excel on Windows writes ("CSV (Comma delimited)"),
//!   and the result says so: every byte is a character there, so nothing is replaced or lost
//!   (`café` and `cafè` stay two different words).
//!
//! UTF-16 is decoded by the standard library (`char::decode_utf16`); Windows-1252 is the WHATWG
//! Encoding Standard's index, 32 code points for the bytes 0x80 to 0x9F (every other byte is the
//! code point of the same number). Both are checked in the tests against `encoding_rs`, the
//! maintained implementation of that standard, which is a test dependency only: linked into the
//! module it would add about 140 KB gzipped (its Asian-encoding tables) for these two decoders.

use crate::error::Error;

/// The encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf16LittleEndian,
    Utf16BigEndian,
    Windows1252,
}

impl TextEncoding {
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16LittleEndian => "UTF-16 (little-endian)",
            TextEncoding::Utf16BigEndian => "UTF-16 (big-endian)",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// A file's text and the encoding it was read in.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedText {
    /// The text, without a byte-order mark.
    pub text: String,
    pub encoding: TextEncoding,
}

impl DecodedText {
    /// What the user should be told about the encoding, when it was not UTF-8.
    pub fn notice(&self) -> Option<String> {
        match self.encoding {
            TextEncoding::Utf8 => None,
            TextEncoding::Windows1252 => Some(
                "the file is not UTF-8, so it was read as Windows-1252 (what Excel on Windows saves as \
                 \"CSV\"); if accented letters look wrong, save it from the spreadsheet as \"CSV UTF-8\""
                    .to_string(),
            ),
            utf16 => Some(format!("the file is {} text; it was decoded as such", utf16.name())),
        }
    }
}

/// Decodes a file's bytes (see the module documentation for the rules).
///
/// # Errors
/// [`Error::Csv`] for UTF-16 text that is not valid UTF-16 (an odd number of bytes, or a broken
/// surrogate pair), naming the line where it breaks.
///
/// # Examples
/// ```
/// use survkit::data::{decode_bytes, TextEncoding};
/// let latin = decode_bytes(b"name\ncaf\xe9\n".to_vec()).unwrap();
/// assert_eq!((latin.text.as_str(), latin.encoding), ("name\ncaf\u{e9}\n", TextEncoding::Windows1252));
/// let utf16 = decode_bytes(vec![0xff, 0xfe, b'a', 0, b'\n', 0]).unwrap();
/// assert_eq!((utf16.text.as_str(), utf16.encoding), ("a\n", TextEncoding::Utf16LittleEndian));
/// ```
pub fn decode_bytes(bytes: Vec<u8>) -> Result<DecodedText, Error> {
    let utf16 = match bytes.as_slice() {
        [0xFF, 0xFE, ..] => Some((TextEncoding::Utf16LittleEndian, 2)),
        [0xFE, 0xFF, ..] => Some((TextEncoding::Utf16BigEndian, 2)),
        [0xEF, 0xBB, 0xBF, ..] => None,
        _ => utf16_without_mark(&bytes).map(|encoding| (encoding, 0)),
    };
    if let Some((encoding, skip)) = utf16 {
        return decode_utf16(&bytes[skip..], encoding);
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(DecodedText { text, encoding: TextEncoding::Utf8 })
        }
        Err(error) => Ok(DecodedText {
            text: error.as_bytes().iter().map(|byte| windows_1252_char(*byte)).collect(),
            encoding: TextEncoding::Windows1252,
        }),
    }
}

/// Refuses text that holds a NUL character (byte 0), naming its line (the spreadsheet's row when
/// no quoted cell spans lines). Text files never hold one: it means a binary file (a saved .xlsx,
/// a database export) or UTF-16 that lost its byte-order mark part-way. R's `read.csv` warns
/// "embedded nul(s) found in input" and drops them; survkit refuses, since dropping bytes can merge
/// or change labels.
///
/// # Errors
/// [`Error::Csv`] with the line of the first NUL.
pub fn refuse_nul_characters(text: &str) -> Result<(), Error> {
    let Some(position) = text.find('\0') else { return Ok(()) };
    let line = 1 + text[..position].bytes().filter(|byte| *byte == b'\n').count();
    Err(Error::Csv {
        row: Some(line),
        message: "it holds a NUL character (byte 0), which text never does: the file may be a spreadsheet \
                  (.xlsx) or another binary file renamed to .csv, or damaged text; save it from the spreadsheet \
                  as \"CSV UTF-8\""
            .into(),
    })
}

/// UTF-16 without a byte-order mark: the first line's characters are ASCII, so every other byte
/// is 0 (the high byte first for big-endian), which never happens in a UTF-8 or Windows-1252 CSV.
fn utf16_without_mark(bytes: &[u8]) -> Option<TextEncoding> {
    let sample = &bytes[..bytes.len().min(200) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.chunks_exact(2);
    let (even_zero, odd_zero) = pairs.fold((0, 0), |(even, odd), pair| {
        (even + usize::from(pair[0] == 0 && pair[1] != 0), odd + usize::from(pair[1] == 0 && pair[0] != 0))
    });
    let half = sample.len() / 2;
    if odd_zero == half {
        Some(TextEncoding::Utf16LittleEndian)
    } else if even_zero == half {
        Some(TextEncoding::Utf16BigEndian)
    } else {
        None
    }
}

/// The characters of the bytes 0x80 to 0x9F in Windows-1252 (WHATWG `index-windows-1252`); the
/// five bytes the code page leaves undefined are the C1 controls of the same number, as there.
const WINDOWS_1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{02C6}',
    '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}', '\u{0090}', '\u{2018}',
    '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}',
    '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// One byte of Windows-1252 text as its character.
fn windows_1252_char(byte: u8) -> char {
    match byte {
        0x80..=0x9F => WINDOWS_1252_HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

fn decode_utf16(bytes: &[u8], encoding: TextEncoding) -> Result<DecodedText, Error> {
    let units = bytes.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if encoding == TextEncoding::Utf16BigEndian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut line = 1;
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok(character) => {
                line += usize::from(character == '\n');
                text.push(character);
            }
            Err(_) => return Err(broken_utf16(encoding, line)),
        }
    }
    if bytes.len() % 2 == 1 {
        return Err(broken_utf16(encoding, line));
    }
    Ok(DecodedText { text, encoding })
}

/// The refusal of UTF-16 text that breaks off (an odd number of bytes or a lone surrogate).
fn broken_utf16(encoding: TextEncoding, line: usize) -> Error {
    Error::Csv {
        row: None,
        message: format!(
            "the file is {} text, but it breaks off on line {line} (an odd number of bytes or a broken \
             character); save it again from the spreadsheet, preferably as \"CSV UTF-8\"",
            encoding.name()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool, mark: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        let units = if mark { vec![0xFEFF] } else { Vec::new() }.into_iter().chain(text.encode_utf16());
        for unit in units {
            bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        bytes
    }

    #[test]
    fn utf8_with_and_without_a_mark() {
        assert_eq!(decode_bytes(b"a,b\n".to_vec()).unwrap().text, "a,b\n");
        let marked = decode_bytes(b"\xef\xbb\xbfa,b\n".to_vec()).unwrap();
        assert_eq!((marked.text.as_str(), marked.encoding), ("a,b\n", TextEncoding::Utf8));
        assert_eq!(marked.notice(), None);
    }

    #[test]
    fn utf16_both_ways_with_and_without_a_mark() {
        for big_endian in [false, true] {
            for mark in [true, false] {
                let decoded = decode_bytes(utf16("time,arm\n1,café\n", big_endian, mark)).unwrap();
                assert_eq!(decoded.text, "time,arm\n1,café\n", "big endian {big_endian}, mark {mark}");
                assert!(decoded.notice().unwrap().contains("UTF-16"));
            }
        }
    }

    #[test]
    fn a_nul_character_is_refused_at_its_line() {
        assert_eq!(refuse_nul_characters("t,e\n1,1\n"), Ok(()));
        let error = refuse_nul_characters("t,e\n1,1\n2,a\0b\n").unwrap_err();
        assert_eq!(error.row(), Some(3));
        assert!(error.to_string().contains("NUL character"), "{error}");
    }

    #[test]
    fn broken_utf16_is_refused_with_its_line() {
        let mut bytes = utf16("a,b\n1,2\n", false, true);
        bytes.extend([0x00, 0xD8, b'x', 0]); // a lone high surrogate, then "x"
        let message = decode_bytes(bytes).unwrap_err().to_string();
        assert!(message.contains("breaks off on line 3"), "{message}");
        let mut odd = utf16("a,b\n", false, true);
        odd.push(b'1');
        assert!(decode_bytes(odd).unwrap_err().to_string().contains("UTF-16"));
    }

    #[test]
    fn latin_bytes_are_windows_1252_and_never_replaced() {
        let decoded = decode_bytes(b"g\ncaf\xe9\ncaf\xe8\n\x80uro\n".to_vec()).unwrap();
        assert_eq!(decoded.text, "g\ncafé\ncafè\n€uro\n");
        assert!(!decoded.text.contains('\u{fffd}'));
        assert!(decoded.notice().unwrap().contains("Windows-1252"));
    }

    #[test]
    fn windows_1252_is_the_whatwg_table_for_every_byte() {
        for byte in 0..=255u8 {
            let bytes = [byte];
            let (expected, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
            assert_eq!(windows_1252_char(byte).to_string(), expected, "byte {byte:#04x}");
        }
    }

    #[test]
    fn utf16_decodes_as_encoding_rs_does() {
        let text = "time,arm\n1,café 😀 ü\n2,\u{10FFFF}\n";
        for (big_endian, reference) in [(false, encoding_rs::UTF_16LE), (true, encoding_rs::UTF_16BE)] {
            let bytes = utf16(text, big_endian, false);
            let expected = reference.decode_without_bom_handling_and_without_replacement(&bytes).unwrap();
            let encoding = if big_endian { TextEncoding::Utf16BigEndian } else { TextEncoding::Utf16LittleEndian };
            assert_eq!(decode_utf16(&bytes, encoding).unwrap().text, expected);
        }
    }
}
