//! The browser binding: the only file that names `wasm_bindgen`.
//!
//! Everything crosses the boundary as JSON text, so the page receives exactly the JSON the CLI
//! prints: the same serializer writes both. Errors come back as
//! `{"error":{"message","row","column"}}`, never as an exception, and nothing here can panic on
//! user input (a panic in Wasm would end the session).

use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::analysis::study::{add_derived, remove_derived, STUDY_VERSION};
use crate::analysis::{analyze_bytes, analyze_table, analyze_text, DerivedColumn, FileRequest, ReadSettings, Study};
use crate::data::{Day, ReadOptions, Table};
use crate::error::Error;
use crate::plot::{draw, to_svg, Figure, FigureOptions};
use crate::report::{error_json, Report, TableSummary};

fn error_to_json(error: &Error) -> String {
    error_json(&error.to_string(), error.row(), error.column())
}

fn json_or_error(result: Result<String, Error>) -> String {
    result.unwrap_or_else(|error| error_to_json(&error))
}

/// Runs one analysis on CSV text: the CLI's JSON for the same file and flags.
#[wasm_bindgen]
pub fn analyze(csv_text: &str, request_json: &str) -> String {
    json_or_error(
        FileRequest::from_json(request_json)
            .and_then(|request| analyze_text(csv_text, &request))
            .map(|report| report.to_json()),
    )
}

/// Runs one analysis on a file's bytes, decoded as the CLI decodes them (UTF-8, UTF-16 or
/// Windows-1252).
#[wasm_bindgen]
pub fn analyze_file(bytes: Vec<u8>, request_json: &str) -> String {
    json_or_error(
        FileRequest::from_json(request_json)
            .and_then(|request| analyze_bytes(bytes, &request))
            .map(|report| report.to_json()),
    )
}

/// A file's text larger than this is let go once it is parsed (the table is kept): a request with
/// other file options then asks for the file again, which the page does when a file option
/// changes. Smaller texts are kept, so such a request re-parses them.
const KEEP_TEXT_BYTES: usize = 16 * 1024 * 1024;

/// A loaded file, parsed once and kept for every analysis the user then asks for.
#[wasm_bindgen]
pub struct Session {
    text: String,
    /// How the text was decoded from the file's bytes, said again after each re-parse.
    encoding_notice: Option<String>,
    read_options: ReadOptions,
    table: Option<Table>,
    /// Columns derived from the file's (a study's `derived`), added again after each parse.
    derived: Vec<DerivedColumn>,
    /// A file's bytes while they arrive a slice at a time ([`Session::begin_bytes`]).
    arriving: Vec<u8>,
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session {
            text: String::new(),
            encoding_notice: None,
            read_options: ReadOptions::default(),
            table: None,
            derived: Vec::new(),
            arriving: Vec::new(),
        }
    }

    /// Decodes a file's bytes (UTF-8, UTF-16 or Windows-1252, as the CLI does) and parses them as
    /// [`Session::load`] does.
    pub fn load_bytes(&mut self, bytes: Vec<u8>, read_json: &str) -> String {
        self.text = String::new();
        self.table = None;
        self.derived = Vec::new();
        match crate::data::decode_bytes(bytes) {
            Ok(decoded) => {
                self.encoding_notice = decoded.notice();
                self.parse_loaded(decoded.text, read_json)
            }
            Err(error) => error_to_json(&error),
        }
    }

    /// Starts a file that arrives in slices of `total` bytes in all: the page reads a large file a
    /// slice at a time into this buffer, so the whole file is never held twice (once by the page
    /// and once here). Then [`Session::push_bytes`] for each slice and [`Session::finish_bytes`].
    pub fn begin_bytes(&mut self, total: usize) {
        self.text = String::new();
        self.table = None;
        self.derived = Vec::new();
        self.arriving = Vec::new();
        // Without room for all of it, the buffer grows as the slices come (running out of memory
        // then ends the engine, which the page restarts).
        let _ = self.arriving.try_reserve_exact(total);
    }

    /// Appends a slice of the file begun with [`Session::begin_bytes`].
    pub fn push_bytes(&mut self, slice: &[u8]) {
        self.arriving.extend_from_slice(slice);
    }

    /// Decodes and parses the file's bytes gathered since [`Session::begin_bytes`], as
    /// [`Session::load_bytes`] does.
    pub fn finish_bytes(&mut self, read_json: &str) -> String {
        let bytes = std::mem::take(&mut self.arriving);
        self.load_bytes(bytes, read_json)
    }

    /// Parses a file's text with `{"delimiter","decimal","na"}` (all optional); returns the
    /// table's summary (columns, detected types, preview) or an error.
    pub fn load(&mut self, text: String, read_json: &str) -> String {
        self.encoding_notice = None;
        self.derived = Vec::new();
        self.parse_loaded(text, read_json)
    }

    /// Runs an analysis on the loaded file; re-parses only when the request reads it differently.
    pub fn analyze(&mut self, request_json: &str) -> String {
        json_or_error(
            FileRequest::from_json(request_json)
                .and_then(|request| self.report(&request))
                .map(|report| report.to_json()),
        )
    }

    /// The same analysis rendered as the CLI's `--format text|csv|html` would print it:
    /// `{"text": "..."}` or an error. CSV and HTML are for Table 1 (to copy into a document).
    pub fn render(&mut self, request_json: &str, format: &str) -> String {
        json_or_error(FileRequest::from_json(request_json).and_then(|request| {
            let report = self.report(&request)?;
            let text = match (format, &report) {
                ("text", report) => report.to_text(),
                ("csv", Report::Table1(table1)) => table1.to_csv(),
                ("html", Report::Table1(table1)) => table1.to_html(),
                _ => return Err(Error::invalid_option("format", "use text, or csv and html for Table 1")),
            };
            Ok(serde_json::json!({ "text": text }).to_string())
        }))
    }

    /// Adds columns derived from the loaded file's (a study's `derived`, a JSON array), replacing
    /// those added before; returns the table's summary with them, or an error. Loading a file
    /// (again) starts without derived columns.
    pub fn set_derived(&mut self, derived_json: &str) -> String {
        json_or_error(crate::analysis::derived_from_json(derived_json).and_then(|derived| {
            let table =
                self.table.take().ok_or(Error::invalid_option("data", "no file is loaded; choose a CSV file first"))?;
            let table = remove_derived(table, &self.derived);
            self.derived = Vec::new();
            let prepared = match add_derived(table.clone(), &derived, today()) {
                Ok(prepared) => prepared,
                Err(error) => {
                    self.table = Some(table);
                    return Err(error);
                }
            };
            self.derived = derived;
            let summary = TableSummary::of(&prepared).to_json();
            self.table = Some(prepared);
            Ok(summary)
        }))
    }

    /// The derived columns (a study's `derived`, a JSON array) on the loaded file, row by row, as
    /// `survkit endpoints` writes them: `format` `"json"` (the report, with the rows excluded for
    /// impossible dates) or `"csv"` (`{"text": ...}`). The session's own columns are left alone.
    pub fn endpoints(&self, derived_json: &str, format: &str) -> String {
        json_or_error(crate::analysis::derived_from_json(derived_json).and_then(|derived| {
            let table = self
                .table
                .as_ref()
                .ok_or(Error::invalid_option("data", "no file is loaded; choose a CSV file first"))?;
            let study = Study {
                survkit_study: STUDY_VERSION,
                title: None,
                read: ReadSettings::default(),
                derived,
                analyses: Vec::new(),
            };
            let report = study.endpoints(remove_derived(table.clone(), &self.derived), today())?;
            match format {
                "json" => Ok(report.to_json()),
                "csv" => Ok(serde_json::json!({ "text": report.to_csv() }).to_string()),
                _ => Err(Error::invalid_option("format", "use json or csv")),
            }
        }))
    }

    /// Reads a study file and checks it against the loaded file: `{"study": <the study, every
    /// default filled in>, "problems": ["analysis 2 (km): group: ...", ...]}`, or an error for a
    /// file that is not a study.
    pub fn check_study(&self, study_json: &str) -> String {
        json_or_error(Study::from_json(study_json).map(|study| {
            let problems = match &self.table {
                Some(table) => {
                    let table = remove_derived(table.clone(), &self.derived);
                    match study.prepare(table, today()) {
                        Ok(prepared) => study.problems(&prepared),
                        Err(error) => vec![error.to_string()],
                    }
                }
                None => Vec::new(),
            };
            serde_json::json!({ "study": study, "problems": problems }).to_string()
        }))
    }

    /// Runs every analysis of a study on the loaded file, as `survkit run --format json` does.
    pub fn run_study(&self, study_json: &str) -> String {
        json_or_error(Study::from_json(study_json).and_then(|study| {
            let table = self
                .table
                .as_ref()
                .ok_or(Error::invalid_option("data", "no file is loaded; choose a CSV file first"))?;
            study.run(remove_derived(table.clone(), &self.derived), today()).map(|results| results.to_json())
        }))
    }
}

/// Today's date on the user's computer (local time): dates after it are in the future.
fn today() -> Day {
    let now = js_sys::Date::new_0();
    let month = u8::try_from(now.get_month() + 1).unwrap_or(1);
    let day = u8::try_from(now.get_date()).unwrap_or(1);
    Day::from_ymd(now.get_full_year() as i32, month, day)
        .unwrap_or_else(|| Day::from_unix_seconds((now.get_time() / 1000.0) as i64))
}

impl Session {
    fn parse_loaded(&mut self, text: String, read_json: &str) -> String {
        self.text = text;
        self.table = None;
        json_or_error(ReadSettings::options_from_json(read_json).and_then(|options| {
            let table = add_derived(self.parse(&options)?, &self.derived, today())?;
            let summary = TableSummary::of(&table).to_json();
            self.read_options = options;
            self.table = Some(table);
            if self.text.len() > KEEP_TEXT_BYTES {
                // The memory goes back to the analyses; the page reads the file again when the
                // user changes a file option.
                self.text = String::new();
            }
            Ok(summary)
        }))
    }

    /// The loaded text parsed with `options`, with the encoding's notice first.
    fn parse(&self, options: &ReadOptions) -> Result<Table, Error> {
        let mut table = Table::parse(&self.text, options)?;
        table.notices.splice(0..0, self.encoding_notice.clone());
        Ok(table)
    }

    fn report(&mut self, request: &FileRequest) -> Result<Report, Error> {
        let options = request.read.read_options()?;
        if self.table.is_none() || options != self.read_options {
            if self.text.is_empty() && self.table.is_some() {
                return Err(Error::invalid_option(
                    "data",
                    "the file was large, so its text was let go once it was read; load it again with these file \
                     options (delimiter, decimal mark, missing codes)",
                ));
            }
            if self.text.is_empty() {
                return Err(Error::invalid_option("data", "no file is loaded; choose a CSV file first"));
            }
            self.table = Some(add_derived(self.parse(&options)?, &self.derived, today())?);
            self.read_options = options;
        }
        let table = self.table.as_ref().ok_or(Error::EmptyFile)?;
        analyze_table(table, &request.request)
    }
}

fn figure_inputs(report_json: &str, options_json: &str) -> Result<(Figure, FigureOptions), Error> {
    let options: FigureOptions = if options_json.trim().is_empty() {
        FigureOptions::default()
    } else {
        serde_json::from_str(options_json)
            .map_err(|error| Error::invalid_option("figure options", error.to_string()))?
    };
    let figure = Figure::from_json_with(report_json, options.cause.as_deref())?;
    Ok((figure, options))
}

/// Draws the figure of an analysis result onto a canvas sized `width x height` CSS pixels times
/// `scale`; returns `""` or an error.
#[wasm_bindgen]
pub fn draw_figure(canvas: HtmlCanvasElement, report_json: &str, options_json: &str) -> String {
    let result = figure_inputs(report_json, options_json).and_then(|(figure, options)| {
        canvas.set_width((f64::from(options.width) * options.scale) as u32);
        canvas.set_height((f64::from(options.height) * options.scale) as u32);
        let backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas)
            .ok_or_else(|| Error::invalid_option("figure", "the canvas has no 2D context"))?;
        draw(backend, &figure, &options)
    });
    result.err().map(|error| error_to_json(&error)).unwrap_or_default()
}

/// The same figure as an SVG document: `{"svg":"<svg…"}` or an error.
#[wasm_bindgen]
pub fn figure_svg(report_json: &str, options_json: &str) -> String {
    json_or_error(
        figure_inputs(report_json, options_json)
            .and_then(|(figure, options)| to_svg(&figure, &options))
            .map(|svg| serde_json::json!({ "svg": svg }).to_string()),
    )
}
