//! The `survkit` command line: the only file that touches the filesystem and argv.
//!
//! Each subcommand's flags become one [`Request`], the same the page sends as JSON, and the
//! engine's report is printed as text (like R's `print`) or as the shared JSON schema.

use std::io::Read;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use survkit::analysis::table1::{CategoricalTest, ContinuousTest};
use survkit::estimate::cox::Ties;
use survkit::estimate::km::ConfType;
use survkit::estimate::p_adjust::Adjust;
use survkit::plot::{to_svg, Figure, FigureOptions};
use survkit::{analyze_bytes, AnalysisKind, Request};

#[derive(Parser)]
#[command(name = "survkit", version, about = "Survival analysis that agrees with R, on your own machine")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Kaplan-Meier curves, medians and survival at chosen times (R: survfit)
    Km(KmArgs),
    /// Log-rank or Fleming-Harrington test between groups (R: survdiff)
    Logrank(LogRankArgs),
    /// Median follow-up by reverse Kaplan-Meier (R: survfit(Surv(time, 1 - status) ~ 1))
    Followup(FollowUpArgs),
    /// Cox proportional hazards regression (R: coxph, cox.zph)
    Cox(CoxArgs),
    /// Cumulative incidence of competing causes with Gray's test (R: cmprsk::cuminc)
    Cif(CifArgs),
    /// Fine-Gray regression on the subdistribution hazard of one cause (R: cmprsk::crr)
    Finegray(FineGrayArgs),
    /// Baseline characteristics by group, with tests (R: chisq.test, fisher.test, t.test, ...)
    Table1(Table1Args),
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    /// table1 only
    Csv,
    /// table1 only
    Html,
}

/// Flags every subcommand takes.
#[derive(Args)]
struct Common {
    /// The CSV file, or - for standard input
    #[arg(long, value_name = "FILE")]
    data: String,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Cell delimiter: "," ";" or "tab" (detected when not given)
    #[arg(long)]
    delimiter: Option<String>,
    /// Decimal mark: "." (default) or ","
    #[arg(long)]
    decimal: Option<String>,
    /// Extra missing-value codes, comma-separated, besides empty, NA, "." and NaN
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    na: Vec<String>,
    /// The value of the event column that means "event" (default: 0/1, 1/2, TRUE/FALSE, yes/no, dead/alive)
    #[arg(long, allow_hyphen_values = true)]
    event_value: Option<String>,
    /// Also write the figure (Kaplan-Meier curves, forest plot) as an SVG file
    #[arg(long, value_name = "FILE")]
    svg: Option<String>,
}

/// The time-to-event columns.
#[derive(Args)]
struct Endpoint {
    /// Column of follow-up times
    #[arg(long)]
    time: String,
    /// Column saying whether the event happened
    #[arg(long)]
    event: String,
    /// Treat times within 1.5e-8 of each other (absolute or relative) as one time, as R's
    /// timefix = TRUE does; false compares them exactly
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "true|false")]
    timefix: bool,
}

#[derive(Args)]
struct KmArgs {
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    endpoint: Endpoint,
    /// Column of groups, one curve each
    #[arg(long)]
    group: Option<String>,
    /// Times at which to report S(t), comma-separated
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    at: Vec<f64>,
    /// Confidence interval scale
    #[arg(long, value_enum, default_value = "log")]
    conf_type: ConfTypeArg,
    /// Confidence level
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true)]
    conf_level: f64,
}

#[derive(Args)]
struct LogRankArgs {
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    endpoint: Endpoint,
    /// Column of groups to compare
    #[arg(long)]
    group: String,
    /// Fleming-Harrington rho: 0 is the log-rank test, 1 the Peto-Peto test
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    rho: f64,
    /// Column of strata for a stratified test
    #[arg(long)]
    strata: Option<String>,
    /// Also test every pair of groups
    #[arg(long)]
    pairwise: bool,
    /// Adjustment of the pairwise p-values
    #[arg(long, value_enum, default_value = "none")]
    adjust: AdjustArg,
}

#[derive(Args)]
struct FollowUpArgs {
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    endpoint: Endpoint,
    /// Column of groups
    #[arg(long)]
    group: Option<String>,
    /// Confidence level of the median's interval
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true)]
    conf_level: f64,
}

#[derive(Args)]
struct CoxArgs {
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    endpoint: Endpoint,
    #[command(flatten)]
    covariates: CovariateArgs,
    /// Column of strata for a stratified model
    #[arg(long)]
    strata: Option<String>,
    /// Handling of tied event times
    #[arg(long, value_enum, default_value = "efron")]
    ties: TiesArg,
    /// Confidence level of the hazard ratios' intervals
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true)]
    conf_level: f64,
    /// Fit each covariate alone (a univariate screen)
    #[arg(long)]
    univariate: bool,
    /// Test proportional hazards (cox.zph)
    #[arg(long)]
    zph: bool,
}

/// The competing-risks columns.
#[derive(Args)]
struct CompetingEndpoint {
    /// Column of follow-up times
    #[arg(long)]
    time: String,
    /// Column of status: the censoring value, or the cause of the event
    #[arg(long)]
    status: String,
    /// The status value that means censored
    #[arg(long, default_value = "0", allow_hyphen_values = true)]
    censor_value: String,
}

#[derive(Args)]
struct CifArgs {
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    endpoint: CompetingEndpoint,
    /// Column of groups, compared by Gray's test
    #[arg(long)]
    group: Option<String>,
    /// Times at which to report the incidence, comma-separated
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    at: Vec<f64>,
    /// The power of the weight (1 - F)^rho in Gray's test
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    rho: f64,
    /// Column of strata for Gray's test
    #[arg(long)]
    strata: Option<String>,
    /// Confidence level of the pointwise intervals
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true)]
    conf_level: f64,
}

/// Covariate choices, as for Cox regression.
#[derive(Args)]
struct CovariateArgs {
    /// Covariates, comma-separated: column names or cut-points such as age>=40
    #[arg(long, value_delimiter = ',', required = true)]
    covariates: Vec<String>,
    /// Numeric columns to treat as categorical, comma-separated
    #[arg(long, value_delimiter = ',')]
    categorical: Vec<String>,
    /// Reference level of a categorical covariate, as COLUMN=LEVEL (repeat for several)
    #[arg(long, value_name = "COLUMN=LEVEL")]
    reference: Vec<String>,
}

impl CovariateArgs {
    fn fill(&self, request: &mut Request) {
        request.covariates = self.covariates.clone();
        request.categorical = self.categorical.clone();
        request.reference = self.reference.clone();
    }
}

#[derive(Args)]
struct FineGrayArgs {
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    endpoint: CompetingEndpoint,
    /// The cause of interest (a value of the status column)
    #[arg(long, allow_hyphen_values = true)]
    cause: String,
    #[command(flatten)]
    covariates: CovariateArgs,
    /// Confidence level of the subdistribution hazard ratios' intervals
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true)]
    conf_level: f64,
}

#[derive(Args)]
struct Table1Args {
    #[command(flatten)]
    common: Common,
    /// Column of groups (the table's columns)
    #[arg(long)]
    group: String,
    /// Variables to describe, comma-separated
    #[arg(long, value_delimiter = ',', required = true)]
    vars: Vec<String>,
    /// Numeric variables to describe as categories, comma-separated
    #[arg(long, value_delimiter = ',')]
    categorical: Vec<String>,
    /// Test of categorical rows
    #[arg(long, value_enum, default_value = "chisq")]
    categorical_test: CategoricalTestArg,
    /// Test of continuous rows
    #[arg(long, value_enum, default_value = "welch")]
    continuous_test: ContinuousTestArg,
    /// Also test every pair of groups
    #[arg(long)]
    pairwise: bool,
    /// Seed of Monte Carlo p-values (Fisher's test on tables too large to enumerate), as R's set.seed
    #[arg(long, default_value_t = survkit::estimate::fisher_simulated::DEFAULT_SEED, allow_negative_numbers = true)]
    seed: i32,
    /// Random tables drawn for a Monte Carlo p-value, R's B
    #[arg(long, default_value_t = survkit::estimate::fisher_simulated::DEFAULT_REPLICATES)]
    replicates: u32,
}

#[derive(Clone, Copy, ValueEnum)]
enum CategoricalTestArg {
    Chisq,
    Yates,
    Fisher,
    Auto,
}

impl From<CategoricalTestArg> for CategoricalTest {
    fn from(value: CategoricalTestArg) -> Self {
        match value {
            CategoricalTestArg::Chisq => CategoricalTest::Chisq,
            CategoricalTestArg::Yates => CategoricalTest::Yates,
            CategoricalTestArg::Fisher => CategoricalTest::Fisher,
            CategoricalTestArg::Auto => CategoricalTest::Auto,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ContinuousTestArg {
    Welch,
    Student,
    Wilcoxon,
    Anova,
    WelchAnova,
    Kruskal,
}

impl From<ContinuousTestArg> for ContinuousTest {
    fn from(value: ContinuousTestArg) -> Self {
        match value {
            ContinuousTestArg::Welch => ContinuousTest::Welch,
            ContinuousTestArg::Student => ContinuousTest::Student,
            ContinuousTestArg::Wilcoxon => ContinuousTest::Wilcoxon,
            ContinuousTestArg::Anova => ContinuousTest::Anova,
            ContinuousTestArg::WelchAnova => ContinuousTest::WelchAnova,
            ContinuousTestArg::Kruskal => ContinuousTest::Kruskal,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum TiesArg {
    Efron,
    Breslow,
}

impl From<TiesArg> for Ties {
    fn from(value: TiesArg) -> Self {
        match value {
            TiesArg::Efron => Ties::Efron,
            TiesArg::Breslow => Ties::Breslow,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ConfTypeArg {
    Log,
    LogLog,
    Plain,
}

impl From<ConfTypeArg> for ConfType {
    fn from(value: ConfTypeArg) -> Self {
        match value {
            ConfTypeArg::Log => ConfType::Log,
            ConfTypeArg::LogLog => ConfType::LogLog,
            ConfTypeArg::Plain => ConfType::Plain,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum AdjustArg {
    None,
    Holm,
    Bonferroni,
    Bh,
}

impl From<AdjustArg> for Adjust {
    fn from(value: AdjustArg) -> Self {
        match value {
            AdjustArg::None => Adjust::None,
            AdjustArg::Holm => Adjust::Holm,
            AdjustArg::Bonferroni => Adjust::Bonferroni,
            AdjustArg::Bh => Adjust::Bh,
        }
    }
}

impl Common {
    fn request(&self, analysis: AnalysisKind, endpoint: &Endpoint) -> Request {
        let mut request = self.file_request(analysis);
        request.time = Some(endpoint.time.clone());
        request.event = Some(endpoint.event.clone());
        request.timefix = endpoint.timefix;
        request
    }

    fn competing_request(&self, analysis: AnalysisKind, endpoint: &CompetingEndpoint) -> Request {
        let mut request = self.file_request(analysis);
        request.time = Some(endpoint.time.clone());
        request.status = Some(endpoint.status.clone());
        request.censor_value = Some(endpoint.censor_value.clone());
        request
    }

    /// A request with the flags every subcommand shares.
    fn file_request(&self, analysis: AnalysisKind) -> Request {
        let mut request = Request::new(analysis);
        request.delimiter = self.delimiter.clone();
        request.decimal = self.decimal.clone();
        request.na = self.na.clone();
        request.event_value = self.event_value.clone();
        request
    }
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
    let (common, request) = match &cli.command {
        Command::Km(args) => {
            let mut request = args.common.request(AnalysisKind::Km, &args.endpoint);
            request.group = args.group.clone();
            request.at = args.at.clone();
            request.conf_type = args.conf_type.into();
            request.conf_level = args.conf_level;
            (&args.common, request)
        }
        Command::Logrank(args) => {
            let mut request = args.common.request(AnalysisKind::Logrank, &args.endpoint);
            request.group = Some(args.group.clone());
            request.rho = args.rho;
            request.strata = args.strata.clone();
            request.pairwise = args.pairwise;
            request.adjust = args.adjust.into();
            (&args.common, request)
        }
        Command::Followup(args) => {
            let mut request = args.common.request(AnalysisKind::Followup, &args.endpoint);
            request.group = args.group.clone();
            request.conf_level = args.conf_level;
            (&args.common, request)
        }
        Command::Cox(args) => {
            let mut request = args.common.request(AnalysisKind::Cox, &args.endpoint);
            args.covariates.fill(&mut request);
            request.strata = args.strata.clone();
            request.ties = args.ties.into();
            request.conf_level = args.conf_level;
            request.univariate = args.univariate;
            request.zph = args.zph;
            (&args.common, request)
        }
        Command::Cif(args) => {
            let mut request = args.common.competing_request(AnalysisKind::Cif, &args.endpoint);
            request.group = args.group.clone();
            request.at = args.at.clone();
            request.rho = args.rho;
            request.strata = args.strata.clone();
            request.conf_level = args.conf_level;
            (&args.common, request)
        }
        Command::Table1(args) => {
            let mut request = args.common.file_request(AnalysisKind::Table1);
            request.group = Some(args.group.clone());
            request.vars = args.vars.clone();
            request.categorical = args.categorical.clone();
            request.categorical_test = args.categorical_test.into();
            request.continuous_test = args.continuous_test.into();
            request.pairwise = args.pairwise;
            request.seed = args.seed;
            request.replicates = args.replicates;
            (&args.common, request)
        }
        Command::Finegray(args) => {
            let mut request = args.common.competing_request(AnalysisKind::Finegray, &args.endpoint);
            request.cause = Some(args.cause.clone());
            args.covariates.fill(&mut request);
            request.conf_level = args.conf_level;
            (&args.common, request)
        }
    };
    let bytes = match read_data(&common.data) {
        Ok(bytes) => bytes,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let report = match analyze_bytes(bytes.clone(), &request) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    match (common.format, &report) {
        (Format::Json, _) => println!("{}", report.to_json()),
        (Format::Text, _) => print!("{}", report.to_text()),
        (Format::Csv, survkit::Report::Table1(table)) => print!("{}", table.to_csv()),
        (Format::Html, survkit::Report::Table1(table)) => print!("{}", table.to_html()),
        (Format::Csv | Format::Html, _) => {
            eprintln!("error: --format csv and html are for table1; use text or json here");
            return ExitCode::from(2);
        }
    }
    if let Some(path) = &common.svg {
        if let Err(message) = write_figure(path, bytes, &request, &report) {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// The figure of the report as SVG; a Kaplan-Meier figure with groups carries the log-rank p.
fn write_figure(path: &str, bytes: Vec<u8>, request: &Request, report: &survkit::Report) -> Result<(), String> {
    let figure = Figure::from_json(&report.to_json()).map_err(|error| error.to_string())?;
    let mut options = FigureOptions::default();
    if request.analysis == AnalysisKind::Km && request.group.is_some() {
        let mut log_rank = request.clone();
        log_rank.analysis = AnalysisKind::Logrank;
        if let Ok(survkit::Report::LogRank(test)) = analyze_bytes(bytes, &log_rank) {
            options.p_value = test.p;
        }
    }
    if let survkit::Report::Cif(cif) = report {
        options.y_label =
            format!("Cumulative incidence of {}", cif.causes.first().map_or("", |cause| cause.cause.as_str()));
        options.p_label = "Gray's test".into();
        options.p_value = cif.causes.first().and_then(|cause| cause.gray).and_then(|gray| gray.p);
    }
    let svg = to_svg(&figure, &options).map_err(|error| error.to_string())?;
    std::fs::write(path, svg).map_err(|error| format!("cannot write {path}: {error}"))
}
