//! The bodies of the fuzz targets, shared by the libFuzzer binaries in `fuzz/fuzz_targets/` and
//! by the stable replay test `tests/fuzz_corpus.rs` (both import this file with `#[path]`), so
//! a crash found by the fuzzer replays exactly under `cargo test`.
//!
//! Every target turns bytes into calls of the public engine API and lets a panic escape: under
//! libFuzzer a panic is a crash; under `cargo test` it fails the replay test. Beyond "no panic"
//! the targets check only cheap invariants the engine documents (columns as long as the table,
//! the JSON it prints is JSON).
//!
//! Input layouts (the committed seeds follow them; see `fuzz/make_seeds.py`):
//! - `csv_ingestion`: 1 choice byte (read options), then the file's raw bytes (any encoding).
//! - `request_json`: the whole input is the request's JSON, run against fixed tables.
//! - `analyses`: [`ANALYSIS_HEADER`] choice bytes (analysis, columns, options), then the file.
//!
//! File bytes reach the engine as bytes, through `Table::parse_bytes` and `analyze_bytes` (the
//! decoding of UTF-16 and Windows-1252 that both front ends use), so any byte string is a file;
//! `csv_ingestion` also hands them, made UTF-8 with `String::from_utf8_lossy`, to `Table::parse`.

#![allow(dead_code)]

use std::borrow::Cow;
use std::sync::OnceLock;

use survkit::analysis::{
    analyze_bytes, analyze_table, analyze_text, CategoricalTest, CifRequest, CompetingEndpoint, ConfLevel,
    ContinuousTest, Covariates, CoxRequest, CurveOptions, Endpoint, Exposure, FileRequest, FineGrayRequest,
    FollowUpRequest, KmRequest, Landmark, LogRankRequest, MantelByarRequest, ReadSettings, Request, SimonMakuchRequest,
    Study, Table1Request, TimeFixFlag,
};
use survkit::data::{decode_bytes, DecimalMark, ReadOptions, Table};
use survkit::estimate::cox::Ties;
use survkit::estimate::fisher_simulated::{DEFAULT_REPLICATES, DEFAULT_SEED};
use survkit::estimate::km::ConfType;
use survkit::estimate::p_adjust::Adjust;
use survkit::report::TableSummary;
use survkit::Report;

/// The names of the targets, as the binaries and the corpus folders are named.
pub const TARGETS: [&str; 3] = ["csv_ingestion", "request_json", "analyses"];

/// Runs the target called `name` on `data` (for the replay test).
pub fn run_target(name: &str, data: &[u8]) {
    match name {
        "csv_ingestion" => csv_ingestion(data),
        "request_json" => request_json(data),
        "analyses" => analyses(data),
        other => panic!("no fuzz target {other}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Choice bytes
// ---------------------------------------------------------------------------------------------

/// Reads choice bytes one at a time; past the end every byte is 0.
struct Choices<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Choices<'a> {
    fn new(bytes: &'a [u8]) -> Choices<'a> {
        Choices { bytes, position: 0 }
    }

    fn next(&mut self) -> u8 {
        let byte = self.bytes.get(self.position).copied().unwrap_or(0);
        self.position += 1;
        byte
    }
}

fn text_of(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// Read options as the front ends can ask for them: detected or one of the delimiters
/// `read_options` accepts, either decimal mark, and a few extra missing-value codes.
fn read_options_from(byte: u8) -> ReadOptions {
    let delimiter = match byte & 0b111 {
        1 => Some(b','),
        2 => Some(b';'),
        3 => Some(b'\t'),
        4 => Some(b'|'),
        _ => None,
    };
    let decimal = if byte & 0b1000 != 0 { DecimalMark::Comma } else { DecimalMark::Point };
    let extra_missing = match (byte >> 4) & 0b11 {
        1 => vec!["-".to_string()],
        2 => vec!["999".to_string(), "n/a".to_string()],
        3 => vec!["0".to_string(), " unknown ".to_string(), String::new()],
        _ => Vec::new(),
    };
    ReadOptions { delimiter, decimal, extra_missing, only_columns: None }
}

/// The read settings that say how to read the file, matching `read`.
fn read_settings_of(read: &ReadOptions) -> ReadSettings {
    ReadSettings {
        delimiter: read
            .delimiter
            .map(|byte| if byte == b'\t' { "tab".to_string() } else { (byte as char).to_string() }),
        decimal: Some(if read.decimal == DecimalMark::Comma { "," } else { "." }.to_string()),
        na: read.extra_missing.clone(),
    }
}

/// Panics unless `json`, which `writer` wrote, parses as JSON.
fn assert_is_json(writer: &str, json: &str) {
    if let Err(error) = serde_json::from_str::<serde_json::Value>(json) {
        panic!("{writer} wrote text that is not JSON ({error}): {json}");
    }
}

/// Every output of a report: the JSON (which must be JSON), the text and, for Table 1, CSV and HTML.
fn render(report: &Report) {
    assert_is_json("Report::to_json", &report.to_json());
    let _ = report.to_text();
    if let Report::Table1(table1) = report {
        let _ = table1.to_csv();
        let _ = table1.to_html();
    }
}

/// What the page shows after loading: the table summary's JSON.
fn summarise(table: &Table) {
    assert_eq!(table.spreadsheet_rows.len(), table.n_rows());
    for column in &table.columns {
        assert_eq!(column.len(), table.n_rows(), "column {} has the wrong length", column.name);
    }
    assert_is_json("TableSummary::to_json", &TableSummary::of(table).to_json());
}

// ---------------------------------------------------------------------------------------------
// csv_ingestion
// ---------------------------------------------------------------------------------------------

/// Byte 0 chooses the read options (bits 0-2 delimiter, bit 3 decimal comma, bits 4-5 extra
/// missing codes, bit 6 build only some columns, bit 7 also parse the text as `Table::parse`);
/// the rest is the file's bytes, decoded by `Table::parse_bytes` as both front ends decode a file.
pub fn csv_ingestion(data: &[u8]) {
    let Some((&choice, body)) = data.split_first() else { return };
    let mut options = read_options_from(choice);
    if choice & 0b0100_0000 != 0 {
        // Build every other column named in the first line, as the CLI builds only what it uses.
        let text = decode_bytes(body.to_vec()).map(|decoded| decoded.text).unwrap_or_default();
        let first_line = text.lines().next().unwrap_or("");
        let names = first_line
            .split([',', ';', '\t', '|'])
            .map(|name| name.trim().trim_matches('"').to_string())
            .step_by(2)
            .collect();
        options.only_columns = Some(names);
    }
    if let Ok(table) = Table::parse_bytes(body.to_vec(), &options) {
        summarise(&table);
    }
    if choice & 0b1000_0000 != 0 {
        if let Ok(table) = Table::parse(&text_of(body), &options) {
            summarise(&table);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// request_json
// ---------------------------------------------------------------------------------------------

/// R's `aml` (time, status, x) with columns added so every analysis has something to use:
/// age and sex (covariates, Table 1 variables), cause (0 censored, 1 relapse, 2 death) and centre.
pub const AML: &str = "\
\"time\",\"status\",\"x\",\"age\",\"sex\",\"cause\",\"centre\"
9,1,\"Maintained\",54,\"F\",1,\"A\"
13,1,\"Maintained\",61,\"M\",2,\"B\"
13,0,\"Maintained\",47,\"F\",0,\"A\"
18,1,\"Maintained\",70,\"M\",1,\"C\"
23,1,\"Maintained\",38,\"M\",2,\"B\"
28,0,\"Maintained\",66,\"F\",0,\"A\"
31,1,\"Maintained\",59,\"F\",1,\"C\"
34,1,\"Maintained\",44,\"M\",1,\"B\"
45,0,\"Maintained\",72,\"F\",0,\"A\"
48,1,\"Maintained\",51,\"M\",2,\"C\"
161,0,\"Maintained\",63,\"F\",0,\"B\"
5,1,\"Nonmaintained\",68,\"M\",1,\"A\"
5,1,\"Nonmaintained\",57,\"F\",2,\"C\"
8,1,\"Nonmaintained\",49,\"M\",1,\"B\"
8,1,\"Nonmaintained\",75,\"M\",1,\"A\"
12,1,\"Nonmaintained\",40,\"F\",2,\"C\"
16,0,\"Nonmaintained\",62,\"F\",0,\"B\"
23,1,\"Nonmaintained\",55,\"M\",1,\"A\"
27,1,\"Nonmaintained\",,\"F\",2,\"C\"
30,1,\"Nonmaintained\",69,\"M\",1,\"B\"
33,1,\"Nonmaintained\",46,NA,1,\"A\"
43,1,\"Nonmaintained\",58,\"F\",2,\"C\"
45,1,\"Nonmaintained\",64,\"M\",0,\"B\"
";

/// The same cohort as a European Excel export: a BOM, semicolons, CRLF, no quotes, the status
/// written in words and a column `months` (time / 30.4375) with decimal commas. Built from [`AML`]
/// once, so the two tables cannot drift apart.
pub fn aml_european() -> &'static str {
    static EUROPEAN: OnceLock<String> = OnceLock::new();
    EUROPEAN.get_or_init(|| {
        let mut out = String::from("\u{feff}");
        for (index, line) in AML.lines().enumerate() {
            let mut cells: Vec<String> = line.split(',').map(|cell| cell.trim_matches('"').to_string()).collect();
            if index == 0 {
                cells.push("months".to_string());
            } else {
                let months = cells[0].parse::<f64>().map_or(String::new(), |time| format!("{:.4}", time / 30.4375));
                cells[1] = if cells[1] == "1" { "dead" } else { "alive" }.to_string();
                cells.push(months.replace('.', ","));
            }
            out.push_str(&cells.join(";"));
            out.push_str("\r\n");
        }
        out
    })
}

/// The tables every request runs on.
fn fixed_tables() -> [&'static str; 2] {
    [AML, aml_european()]
}

/// The input is a JSON text. As a study file (`Study::from_json`) it runs on the `AML` table.
/// As read options (`ReadSettings::options_from_json`, what the page
/// sends when a file is loaded) it reads both fixed tables; as a request with read options
/// (`FileRequest::from_json`, the page's one-off JSON and the CLI's flags) it runs on each fixed
/// table that its read settings parse, every column built (the page's worker), and, as the CLI
/// does, on the `AML` text itself, only the request's columns built (`analyze_text`).
pub fn request_json(data: &[u8]) {
    let json = text_of(data);
    if let Ok(options) = ReadSettings::options_from_json(&json) {
        for text in fixed_tables() {
            if let Ok(table) = Table::parse(text, &options) {
                summarise(&table);
            }
        }
    }
    // As a study file (Save study's, or a #study= link's): read, then run on the AML table.
    if let Ok(study) = Study::from_json(&json) {
        if let Ok(options) = study.read_options() {
            if let Ok(table) = Table::parse(AML, &options) {
                // A fixed "today", so a replay gives the same answer on any day.
                let today = survkit::data::Day::from_ymd(2026, 1, 1).expect("a date");
                if let Ok(results) = study.run(table, today) {
                    assert_is_json("StudyResults::to_json", &results.to_json());
                    results.analyses.iter().for_each(|result| render(&result.result));
                }
            }
        }
    }
    let Ok(request) = FileRequest::from_json(&json) else { return };
    if let Ok(options) = request.read.read_options() {
        for text in fixed_tables() {
            if let Ok(table) = Table::parse(text, &options) {
                if let Ok(report) = analyze_table(&table, &request.request) {
                    render(&report);
                }
            }
        }
    }
    if let Ok(report) = analyze_text(AML, &request) {
        render(&report);
    }
}

// ---------------------------------------------------------------------------------------------
// analyses
// ---------------------------------------------------------------------------------------------

/// The number of choice bytes before the file in an `analyses` input.
pub const ANALYSIS_HEADER: usize = 12;

/// The column whose index (modulo the number of columns) is `byte`.
fn column_at(table: &Table, byte: u8) -> Option<String> {
    if table.names.is_empty() {
        return None;
    }
    table.names.get(byte as usize % table.names.len()).cloned()
}

/// `None` for 0, else the column at `byte - 1`.
fn optional_column_at(table: &Table, byte: u8) -> Option<String> {
    if byte == 0 {
        None
    } else {
        column_at(table, byte - 1)
    }
}

/// The columns whose bit is set in `mask` (bit i: column i, for the first 8 columns).
fn columns_in_mask(table: &Table, mask: u8) -> Vec<String> {
    table
        .names
        .iter()
        .take(8)
        .enumerate()
        .filter(|(index, _)| mask & (1 << index) != 0)
        .map(|(_, name)| name.clone())
        .collect()
}

/// A cell of column `name` as written in the file (one of the preview rows), for values such as
/// an event value, a cause, a reference level or a cut-point's threshold.
fn cell_of(table: &Table, name: &str, byte: u8) -> Option<String> {
    let column = table.names.iter().position(|candidate| candidate == name)?;
    if table.preview.is_empty() {
        return None;
    }
    let row = table.preview.get(byte as usize % table.preview.len())?;
    row.get(column).map(|cell| cell.trim().to_string())
}

/// A value for `event_value`, `censor_value` or `cause`: absent, a fixed code, or a cell of `column`.
fn value_choice(table: &Table, column: Option<&str>, byte: u8) -> Option<String> {
    match byte & 0b111 {
        0 | 1 => None,
        2 => Some("1".to_string()),
        3 => Some("2".to_string()),
        4 => Some("dead".to_string()),
        5 => Some("0".to_string()),
        _ => column.and_then(|column| cell_of(table, column, byte >> 3)),
    }
}

const RHOS: [f64; 8] = [0.0, 1.0, 0.5, -1.0, 2.0, 25.0, -1000.0, 1e300];
const CONF_LEVELS: [f64; 8] = [0.95, 0.9, 0.99, 0.5, 0.999_999_999, 1e-12, 0.0, 1.0];

/// The analysis an `analyses` input asks for (the low 3 bits of its analysis byte): a report's
/// `"analysis"`.
use survkit::report::AnalysisName as Kind;

/// Choice bytes after the read options, in order:
/// 1. the analysis (bits 0-2: km, logrank, followup, cox, cox univariate, cif, finegray,
///    table1, or with bit 6 simon-makuch, whose exposure column is the group column and whose
///    exposure name the strata column; bit 3: mantel-byar instead of any of them, its exposure
///    time the group column; bit 7: also run it as the CLI and `analyze_file` do, through
///    `analyze_bytes`);
/// 2. time column; 3. event (or status) column; 4. group column (0: none);
/// 5. strata column (0: none); 6. covariates / Table 1 variables (a mask of the first 8 columns);
/// 7. switches: pairwise, timefix, zph, Breslow, conf type (2 bits), adjust (2 bits);
/// 8. rho (3 bits), conf level (3 bits), landmark times (2 bits);
/// 9. event value / censor value; 10. cause (bits 0-5), a cut-point on the first covariate (bits 6-7);
/// 11. Table 1 tests (categorical 2 bits, continuous 3 bits), replicates (bit 5), a reference
///     level (bit 6), the first variable forced categorical (bit 7).
///
/// Every byte is read whatever the analysis, so the same bytes always choose the same options;
/// each analysis takes only the options its request has (km no strata, followup no conf type,
/// logrank and Table 1 no conf level, ...). A column that cannot be chosen (a table without
/// columns), logrank's or Table 1's group when none is chosen and finegray's cause when absent
/// are blank, which the engine refuses by name.
fn analysis_request(table: &Table, read: &ReadOptions, choices: &mut Choices<'_>) -> (FileRequest, bool) {
    let kind_byte = choices.next();
    let (kind, univariate) = match kind_byte & 0b111 {
        0 => (Kind::Km, false),
        1 => (Kind::Logrank, false),
        2 => (Kind::Followup, false),
        3 => (Kind::Cox, false),
        4 => (Kind::Cox, true),
        5 => (Kind::Cif, false),
        6 => (Kind::Finegray, false),
        _ if kind_byte & 0b100_0000 != 0 => (Kind::SimonMakuch, false),
        _ => (Kind::Table1, false),
    };
    let kind = if kind_byte & 0b1000 != 0 { Kind::MantelByar } else { kind };
    let also_as_bytes = kind_byte & 0b1000_0000 != 0;

    let time = column_at(table, choices.next());
    let event = column_at(table, choices.next());
    let group = optional_column_at(table, choices.next());
    let strata = optional_column_at(table, choices.next());
    let mut chosen = columns_in_mask(table, choices.next());

    let switches = choices.next();
    let pairwise = switches & 1 != 0;
    let timefix = TimeFixFlag(switches & 0b10 == 0);
    let zph = switches & 0b100 != 0;
    let ties = if switches & 0b1000 != 0 { Ties::Breslow } else { Ties::default() };
    let conf_type = match (switches >> 4) & 0b11 {
        1 => ConfType::LogLog,
        2 => ConfType::Plain,
        _ => ConfType::Log,
    };
    let adjust = match switches >> 6 {
        1 => Adjust::Holm,
        2 => Adjust::Bonferroni,
        3 => Adjust::Bh,
        _ => Adjust::None,
    };

    let numbers = choices.next();
    let rho = RHOS[(numbers & 0b111) as usize];
    let conf_level = ConfLevel(CONF_LEVELS[((numbers >> 3) & 0b111) as usize]);
    let at = match numbers >> 6 {
        1 => vec![0.0, 1.5, 12.0],
        2 => time
            .as_deref()
            .and_then(|time| cell_of(table, time, numbers))
            .and_then(|cell| survkit::data::parse_number(&cell, read.decimal))
            .into_iter()
            .collect(),
        3 => vec![1e300, 0.0, 1e-300],
        _ => Vec::new(),
    };

    let value_byte = choices.next();
    let value = value_choice(table, event.as_deref(), value_byte);
    let cause_byte = choices.next();
    let cause = value_choice(table, event.as_deref(), cause_byte);
    if let (Some(first), cut) = (chosen.first().cloned(), cause_byte >> 6) {
        if cut != 0 {
            if let Some(threshold) = cell_of(table, &first, cause_byte) {
                let symbol = [">=", "<", ">"][(cut - 1) as usize];
                chosen[0] = format!("{first}{symbol}{threshold}");
            }
        }
    }

    let tests = choices.next();
    let categorical_test = match tests & 0b11 {
        1 => CategoricalTest::Yates,
        2 => CategoricalTest::Fisher,
        3 => CategoricalTest::Auto,
        _ => CategoricalTest::Chisq,
    };
    let continuous_test = match (tests >> 2) & 0b111 {
        1 => ContinuousTest::Student,
        2 => ContinuousTest::Wilcoxon,
        3 => ContinuousTest::Anova,
        4 => ContinuousTest::WelchAnova,
        5 => ContinuousTest::Kruskal,
        _ => ContinuousTest::Welch,
    };
    // Table 1's defaults, unless bit 5 asks for few replicates and a seed from the byte.
    let (seed, replicates) =
        if tests & 0b10_0000 != 0 { (i32::from(tests) - 200, 97) } else { (DEFAULT_SEED, DEFAULT_REPLICATES) };
    let mut reference = Vec::new();
    if tests & 0b100_0000 != 0 {
        // A reference level of the group (Table 1 has none) or of the first covariate.
        let column = group.clone().or_else(|| chosen.first().cloned());
        if let Some(column) = column {
            if let Some(level) = cell_of(table, &column, tests) {
                reference = vec![format!("{column}={level}")];
            }
        }
    }
    let categorical: Vec<String> =
        if tests & 0b1000_0000 != 0 { chosen.iter().take(1).cloned().collect() } else { Vec::new() };

    let time = time.unwrap_or_default();
    let endpoint = || Endpoint {
        time: time.clone(),
        event: event.clone().unwrap_or_default(),
        event_value: value.clone(),
        timefix,
    };
    let curve = || CurveOptions { at: at.clone(), conf_type, conf_level };
    let competing = || CompetingEndpoint {
        time: time.clone(),
        status: event.clone().unwrap_or_default(),
        censor_value: value.clone(),
    };
    // km, logrank and cif read no cause: its byte chooses a landmark (bits 0-1: none, 1.5, a
    // time of the file, or a time out of range) and whether the group column is its exposure
    // (bit 2; bit 3 keeps the group as well, which is refused).
    let landmark = Landmark {
        landmark: match cause_byte & 0b11 {
            1 => Some(1.5),
            2 => cell_of(table, &time, cause_byte).and_then(|cell| survkit::data::parse_number(&cell, read.decimal)),
            3 => Some([-1.0, f64::NAN, f64::INFINITY, 1e300][usize::from(cause_byte >> 6)]),
            _ => None,
        },
        exposure_time: if cause_byte & 0b100 != 0 { group.clone() } else { None },
        exposure_name: None,
    };
    let landmark_group = if cause_byte & 0b100 == 0 || cause_byte & 0b1000 != 0 { group.clone() } else { None };
    let request = match kind {
        Kind::Km => Request::Km(KmRequest {
            endpoint: endpoint(),
            // Without a landmark, the strata column as (start, stop] rows' starts.
            start: strata.clone().filter(|_| landmark.landmark.is_none()),
            group: landmark_group,
            curve: curve(),
            landmark,
        }),
        Kind::Logrank => Request::Logrank(LogRankRequest {
            endpoint: endpoint(),
            group: landmark_group,
            rho,
            strata,
            pairwise,
            adjust,
            landmark,
        }),
        Kind::Followup => Request::Followup(FollowUpRequest { endpoint: endpoint(), group, conf_level }),
        Kind::Cox => Request::Cox(CoxRequest {
            endpoint: endpoint(),
            covariates: Covariates { covariates: chosen, categorical, reference },
            start: None,
            // A time-dependent exposure from the group column, unless the screen is asked for.
            landmark: Landmark { exposure_time: group.filter(|_| !univariate), ..Landmark::default() },
            strata,
            ties,
            conf_level,
            univariate,
            zph,
        }),
        Kind::Cif => Request::Cif(CifRequest {
            endpoint: competing(),
            group: landmark_group,
            at,
            rho,
            strata,
            conf_level,
            landmark,
        }),
        Kind::Finegray => Request::Finegray(FineGrayRequest {
            endpoint: competing(),
            cause: cause.unwrap_or_default(),
            covariates: Covariates { covariates: chosen, categorical, reference },
            conf_level,
        }),
        Kind::SimonMakuch => Request::SimonMakuch(SimonMakuchRequest {
            endpoint: endpoint(),
            exposure: Exposure { exposure_time: group.unwrap_or_default(), exposure_name: strata },
            curve: curve(),
        }),
        Kind::Table1 => Request::Table1(Table1Request {
            group: group.unwrap_or_default(),
            vars: chosen,
            categorical,
            categorical_test,
            continuous_test,
            pairwise,
            seed,
            replicates,
        }),
        Kind::MantelByar => Request::MantelByar(MantelByarRequest {
            endpoint: endpoint(),
            exposure: Exposure { exposure_time: group.unwrap_or_default(), exposure_name: None },
        }),
    };
    (FileRequest { read: read_settings_of(read), request }, also_as_bytes)
}

/// Byte 0 chooses the read options, bytes 1 to 11 the analysis and its options (see
/// [`analysis_request`]), with columns and values taken from the parsed table; the rest is the
/// file's bytes. The analysis runs on the table parsed from the bytes (the page's worker) and,
/// when asked, on the bytes themselves (the CLI, and the page's `analyze_file`).
pub fn analyses(data: &[u8]) {
    let split = data.len().min(ANALYSIS_HEADER);
    let (header, body) = data.split_at(split);
    let mut choices = Choices::new(header);
    let read = read_options_from(choices.next());
    let Ok(table) = Table::parse_bytes(body.to_vec(), &read) else { return };
    let (request, also_as_bytes) = analysis_request(&table, &read, &mut choices);
    if let Ok(report) = analyze_table(&table, &request.request) {
        render(&report);
    }
    if also_as_bytes {
        if let Ok(report) = analyze_bytes(body.to_vec(), &request) {
            render(&report);
        }
    }
}
