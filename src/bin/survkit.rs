//! The `survkit` command line: the only file that touches the filesystem and argv.
//!
//! Each subcommand's flags become one [`Request`], the same the page sends as JSON, and the
//! engine's report is printed as text (like R's `print`) or as the shared JSON schema.

use std::io::Read;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use survkit::analysis::figure_p_value;
use survkit::analysis::{Study, StudyResults};
use survkit::data::{Day, Table};
use survkit::plot::{to_svg, Figure, FigureOptions};
use survkit::report::{escape_html, FigureSettings};
use survkit::{analyze_table, FileRequest, ReadSettings, Report, Request};

#[derive(Parser)]
#[command(name = "survkit", version, about = "Survival analysis that agrees with R, on your own machine")]
struct Cli {
    #[command(flatten)]
    read: ReadSettings,
    #[command(flatten)]
    output: Output,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    #[command(flatten)]
    Analysis(Box<Request>),
    /// Run every analysis of a study file on a data file: each result as JSON and text, each
    /// figure as SVG, and report.html showing them all (or, with --format json, one JSON document)
    Run(RunArgs),
    /// Write a study's derived columns (endpoints from dates, cut columns) for each row of a data
    /// file, with the rows excluded for impossible dates: --format csv or json
    Endpoints(EndpointsArgs),
}

#[derive(Args)]
struct EndpointsArgs {
    /// The study file (JSON, "survkit_study": 1) whose "derived" columns to make
    #[arg(long, value_name = "FILE")]
    study: String,
    /// The date after which a date counts as in the future, yyyy-mm-dd (default: today, UTC)
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
}

#[derive(Args)]
struct RunArgs {
    /// The study file (JSON, "survkit_study": 1), as the page's Save study writes it
    #[arg(long, value_name = "FILE")]
    study: String,
    /// The folder to write the results, figures and report.html into (made if missing)
    #[arg(long, value_name = "DIR")]
    out: Option<String>,
    /// The date after which a date counts as in the future, yyyy-mm-dd (default: today, UTC)
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    /// table1 and endpoints only
    Csv,
    /// table1 only
    Html,
}

/// Flags every subcommand takes, besides how to read the file.
#[derive(Args)]
struct Output {
    /// The CSV file, or - for standard input
    #[arg(long, global = true, value_name = "FILE")]
    data: Option<String>,
    /// Output format
    #[arg(long, global = true, value_enum, default_value = "text")]
    format: Format,
    /// Also write the figure (Kaplan-Meier curves, forest plot) as an SVG file
    #[arg(long, global = true, value_name = "FILE")]
    svg: Option<String>,
}

/// Writes to standard output. A reader that stops early (`survkit ... | head`) is not an error,
/// and must not panic as `println!` does.
fn write_out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

/// The file's bytes; the engine decodes them (UTF-8, UTF-16 or Windows-1252) as the page does.
fn read_data(path: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let result = if path == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut file| file.read_to_end(&mut bytes)).map(|_| ())
    };
    result.map_err(|error| format!("cannot read {path}: {error}"))?;
    Ok(bytes)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some(data) = cli.output.data.as_deref() else {
        eprintln!("error: give the data file with --data FILE (or --data - for standard input)");
        return ExitCode::from(2);
    };
    match cli.command {
        Command::Analysis(request) => analyze(FileRequest { read: cli.read, request: *request }, data, &cli.output),
        Command::Run(run) => match run_study(&run, data, cli.output.format) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        Command::Endpoints(endpoints) => match write_endpoints(&endpoints, data, cli.output.format) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
    }
}

/// `--today`, or the clock's date (UTC).
fn today(given: Option<&str>) -> Result<Day, String> {
    match given {
        Some(text) => {
            Day::parse_iso(text).ok_or_else(|| format!("--today: \"{text}\" is not a date; write it yyyy-mm-dd"))
        }
        None => {
            let seconds = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX));
            Ok(Day::from_unix_seconds(seconds))
        }
    }
}

/// Reads a study file and the data file as the study says.
fn study_and_table(study_path: &str, data: &str) -> Result<(Study, Table), String> {
    let study_text =
        std::fs::read_to_string(study_path).map_err(|error| format!("cannot read {study_path}: {error}"))?;
    let study = Study::from_json(&study_text).map_err(|error| error.to_string())?;
    let bytes = read_data(data)?;
    let options = study.read_options().map_err(|error| error.to_string())?;
    let table = Table::parse_bytes(bytes, &options).map_err(|error| error.to_string())?;
    Ok((study, table))
}

/// `survkit endpoints`: the study's derived columns, as CSV or JSON.
fn write_endpoints(args: &EndpointsArgs, data: &str, format: Format) -> Result<(), String> {
    let today = today(args.today.as_deref())?;
    let (study, table) = study_and_table(&args.study, data)?;
    let report = study.endpoints(table, today).map_err(|error| error.to_string())?;
    match format {
        Format::Csv => write_out(&report.to_csv()),
        Format::Json => write_out(&format!("{}\n", report.to_json())),
        Format::Text | Format::Html => return Err("survkit endpoints writes --format csv or --format json".into()),
    }
    for notice in &report.notices {
        eprintln!("note: {notice}");
    }
    Ok(())
}

/// `survkit run`: the study's analyses on one parse of the file.
fn run_study(run: &RunArgs, data: &str, format: Format) -> Result<(), String> {
    let today = today(run.today.as_deref())?;
    let (study, table) = study_and_table(&run.study, data)?;
    let results = study.run(table, today).map_err(|error| error.to_string())?;
    match (format, &run.out) {
        (Format::Json, None) => write_out(&format!("{}\n", results.to_json())),
        (Format::Text, None) => {
            let mut text = String::new();
            for (index, result) in results.analyses.iter().enumerate() {
                text.push_str(&format!("## {}. {}\n\n", index + 1, heading(&result.title, &result.result)));
                text.push_str(&result.result.to_text());
                text.push('\n');
            }
            write_out(&text);
        }
        (Format::Json | Format::Text, Some(folder)) => write_study(folder, &results)?,
        (Format::Csv | Format::Html, _) => {
            return Err(
                "survkit run writes text and JSON (and report.html with --out); use --format text or json".into()
            )
        }
    }
    Ok(())
}

fn heading(title: &str, report: &Report) -> String {
    if title.trim().is_empty() {
        report.analysis_name().to_string()
    } else {
        title.trim().to_string()
    }
}

/// Each result as JSON and text, each figure as SVG, and report.html with all of them in order.
fn write_study(folder: &str, results: &StudyResults) -> Result<(), String> {
    let folder = std::path::Path::new(folder);
    std::fs::create_dir_all(folder).map_err(|error| format!("cannot make {}: {error}", folder.display()))?;
    let write = |name: &str, contents: &str| {
        let path = folder.join(name);
        std::fs::write(&path, contents).map_err(|error| format!("cannot write {}: {error}", path.display()))
    };
    let title = results.title.clone().unwrap_or_else(|| "survkit study".to_string());
    let mut html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\n<style>\
         body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}\
         pre{{background:#f6f6f6;padding:1rem;overflow-x:auto}}table{{border-collapse:collapse}}\
         td,th{{border-bottom:1px solid #ddd;padding:.2rem .5rem;text-align:left}}svg{{max-width:100%;height:auto}}\
         </style></head><body>\n<h1>{title}</h1>\n<p>Made by survkit {version} from the study and the data file; \
         every number is in the JSON beside this file.</p>\n",
        title = escape_html(&title),
        version = env!("CARGO_PKG_VERSION"),
    );
    for (index, result) in results.analyses.iter().enumerate() {
        let stem = format!("{:02}-{}", index + 1, result.result.analysis_name());
        write(&format!("{stem}.json"), &result.result.to_json())?;
        let text = result.result.to_text();
        write(&format!("{stem}.txt"), &text)?;
        html.push_str(&format!(
            "<section>\n<h2>{}. {}</h2>\n",
            index + 1,
            escape_html(&heading(&result.title, &result.result))
        ));
        match &result.result {
            Report::Table1(table) => html.push_str(&table.to_html()),
            report => html.push_str(&format!("<pre>{}</pre>\n", escape_html(&report.to_text()))),
        }
        if let Some(svg) = study_figure(results, index)? {
            write(&format!("{stem}.svg"), &svg)?;
            html.push_str(&svg);
            html.push('\n');
        }
        html.push_str("</section>\n");
    }
    html.push_str("</body></html>\n");
    write("report.html", &html)
}

/// The figure of the study's `index`-th result, when its analysis has one.
fn study_figure(results: &StudyResults, index: usize) -> Result<Option<String>, String> {
    let result = &results.analyses[index];
    let settings = result.figure.clone().unwrap_or_default();
    let Ok(figure) = Figure::of(&result.result, settings.cause.as_deref()) else {
        return Ok(None);
    };
    let options = FigureOptions::from_settings(&settings, &result.result, result.figure_p_value);
    to_svg(&figure, &options).map(Some).map_err(|error| error.to_string())
}

/// One analysis: its report printed, its figure written.
fn analyze(request: FileRequest, data: &str, output: &Output) -> ExitCode {
    let bytes = match read_data(data) {
        Ok(bytes) => bytes,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let table = request.read_options().and_then(|options| Table::parse_bytes(bytes, &options));
    let analysed = table.and_then(|table| analyze_table(&table, &request.request).map(|report| (table, report)));
    let (table, report) = match analysed {
        Ok(analysed) => analysed,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    match (output.format, &report) {
        (Format::Json, _) => write_out(&format!("{}\n", report.to_json())),
        (Format::Text, _) => write_out(&report.to_text()),
        (Format::Csv, Report::Table1(table)) => write_out(&table.to_csv()),
        (Format::Html, Report::Table1(table)) => write_out(&table.to_html()),
        (Format::Csv | Format::Html, _) => {
            eprintln!("error: --format csv and html are for table1; use text or json here");
            return ExitCode::from(2);
        }
    }
    if let Some(path) = &output.svg {
        let p_value = figure_p_value(&table, &request.request);
        if let Err(message) = write_figure(path, &report, p_value) {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// The figure of the report as SVG, with the default settings.
fn write_figure(path: &str, report: &Report, p_value: Option<f64>) -> Result<(), String> {
    let figure = Figure::of(report, None).map_err(|error| error.to_string())?;
    let options = FigureOptions::from_settings(&FigureSettings::default(), report, p_value);
    let svg = to_svg(&figure, &options).map_err(|error| error.to_string())?;
    std::fs::write(path, svg).map_err(|error| format!("cannot write {path}: {error}"))
}
