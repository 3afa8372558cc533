// Generated from the Rust types by tests/schema.rs (schemars); do not edit.
// The page sends `FileRequest`s (a `Request` with read options) and receives `Report`s; a saved study is a `Study`.

/** A request with how to read its file: the CLI's flags, and the page's one-off JSON. */
export type FileRequest = ({
    /** Decimal mark: "." (default) or "," */
    decimal?: string | null;
    /** Cell delimiter: "," ";" or "tab" (detected when not given) */
    delimiter?: string | null;
    /** Extra missing-value codes, comma-separated, besides empty, NA, "." and NaN */
    na?: Array<string>;
  } & ({
    analysis: "km";
  } & KmRequest)) | ({
    /** Decimal mark: "." (default) or "," */
    decimal?: string | null;
    /** Cell delimiter: "," ";" or "tab" (detected when not given) */
    delimiter?: string | null;
    /** Extra missing-value codes, comma-separated, besides empty, NA, "." and NaN */
    na?: Array<string>;
  } & ({
    analysis: "logrank";
  } & LogRankRequest)) | ({
    /** Decimal mark: "." (default) or "," */
    decimal?: string | null;
    /** Cell delimiter: "," ";" or "tab" (detected when not given) */
    delimiter?: string | null;
    /** Extra missing-value codes, comma-separated, besides empty, NA, "." and NaN */
    na?: Array<string>;
  } & ({
    analysis: "followup";
  } & FollowUpRequest)) | ({
    /** Decimal mark: "." (default) or "," */
    decimal?: string | null;
    /** Cell delimiter: "," ";" or "tab" (detected when not given) */
    delimiter?: string | null;
    /** Extra missing-value codes, comma-separated, besides empty, NA, "." and NaN */
    na?: Array<string>;
  } & ({
    analysis: "cox";
  } & CoxRequest)) | ({
    /** Decimal mark: "." (default) or "," */
    decimal?: string | null;
    /** Cell delimiter: "," ";" or "tab" (detected when not given) */
    delimiter?: string | null;
    /** Extra missing-value codes, comma-separated, besides empty, NA, "." and NaN */
    na?: Array<string>;
  } & ({
    analysis: "cif";
  } & CifRequest)) | ({
    /** Decimal mark: "." (default) or "," */
    decimal?: string | null;
    /** Cell delimiter: "," ";" or "tab" (detected when not given) */
    delimiter?: string | null;
    /** Extra missing-value codes, comma-separated, besides empty, NA, "." and NaN */
    na?: Array<string>;
  } & ({
    analysis: "finegray";
  } & FineGrayRequest)) | ({
    /** Decimal mark: "." (default) or "," */
    decimal?: string | null;
    /** Cell delimiter: "," ";" or "tab" (detected when not given) */
    delimiter?: string | null;
    /** Extra missing-value codes, comma-separated, besides empty, NA, "." and NaN */
    na?: Array<string>;
  } & ({
    analysis: "table1";
  } & Table1Request)) | ({
    /** Decimal mark: "." (default) or "," */
    decimal?: string | null;
    /** Cell delimiter: "," ";" or "tab" (detected when not given) */
    delimiter?: string | null;
    /** Extra missing-value codes, comma-separated, besides empty, NA, "." and NaN */
    na?: Array<string>;
  } & ({
    analysis: "mantel-byar";
  } & MantelByarRequest)) | ({
    /** Decimal mark: "." (default) or "," */
    decimal?: string | null;
    /** Cell delimiter: "," ";" or "tab" (detected when not given) */
    delimiter?: string | null;
    /** Extra missing-value codes, comma-separated, besides empty, NA, "." and NaN */
    na?: Array<string>;
  } & ({
    analysis: "simon-makuch";
  } & SimonMakuchRequest));

/** The result of one analysis. Its JSON says which in `"analysis"` (and a univariate Cox screen
 * by `"univariate": true`), which is how [`Report`]'s `Deserialize` picks the type. */
export type Report = KmReport | LogRankReport | FollowUpReport | CoxReport | CoxScreenReport | CifReport | FineGrayReport | Table1Report | MantelByarReport | SimonMakuchReport;

/** A study file (`"survkit_study": 1`). */
export type Study = {
  /** The analyses, in the order they are run and shown. */
  analyses: Array<StudyAnalysis>;
  /** Columns computed from the file's columns, added before any analysis runs; analyses name them like file columns. */
  derived?: Array<DerivedColumn>;
  /** How to read the data file. */
  read?: ReadSettings;
  /** Always 1: the version of the study file. */
  survkit_study: number;
  title?: string | null;
};

/** The results of a study, in its order: what `survkit run --format json` prints. */
export type StudyResults = {
  analyses: Array<StudyResult>;
  survkit_study: number;
  title?: string | null;
};

/** What the page shows after loading a file: its columns, their detected types and a preview. */
export type TableSummary = {
  columns: Array<ColumnSummary>;
  /** The delimiter used, as text (`","`, `";"`, `"\t"`). */
  delimiter: string;
  n_rows: number;
  /** How the file was read, when the user should know (an encoding, Excel's `sep=` line). */
  notices?: Array<string>;
  /** The first rows as written in the file. */
  preview: Array<Array<string>>;
};

/** The adjustment for multiple comparisons; the default is none, as `pairwise_survdiff` users
 * expect the raw p alongside. */
export type Adjust = "none" | "holm" | "bonferroni" | "bh";

/** The `"analysis"` of a report, as the request named it. */
export type AnalysisName = "km" | "logrank" | "followup" | "cox" | "cif" | "finegray" | "table1" | "mantel-byar" | "simon-makuch";

/** The test of categorical rows; the default is Pearson's chi-square without correction, as SPSS
 * prints it and the motivating study reported. */
export type CategoricalTest = "chisq" | "yates" | "fisher" | "auto";

export type CategoryLevel = {
  counts: Array<number>;
  level: string;
  /** Percent of the group's non-missing values; `null` for a group with none. */
  percents: Array<number | null>;
};

export type CauseReport = {
  cause: string;
  /** Gray's test across groups; `null` without a group column. */
  gray?: GrayReport | null;
  groups: Array<CifGroup>;
};

/** A chi-square test: statistic, degrees of freedom, p. */
export type ChiSquareTest = {
  df: number;
  p?: number | null;
  stat?: number | null;
};

export type CifGroup = {
  at: Array<IncidenceAt>;
  /** Events of this cause. */
  events: number;
  group?: string | null;
  n: number;
  /** Every distinct time, event or censoring, with the number at risk and censored: the figure's number-at-risk table and censor ticks. */
  risk_set: RiskSet;
  steps: CifSteps;
};

/** `survkit cif`: cumulative incidence of every cause, per group, with Gray's test. */
export type CifReport = {
  analysis: AnalysisName;
  causes: Array<CauseReport>;
  conf_level: number;
  /** With a landmark: the patients kept and left out (absent without one). */
  landmark?: LandmarkSelection | null;
  n: number;
  n_dropped: number;
  /** What the user should know about how the file was read or the data interpreted (an encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing. */
  notices?: Array<string>;
  rho: number;
  strata?: string | null;
};

/** The competing-risks columns of cif and finegray. */
export type CifRequest = {
  /** Times at which to report the incidence, comma-separated */
  at?: Array<number>;
  /** The status value that means censored (default 0, as cmprsk's cencode) */
  censor_value?: string | null;
  /** Confidence level of the pointwise intervals */
  conf_level?: ConfLevel;
  /** The exposure's name in the text and figure, e.g. transplant (default: the exposure column's name) */
  exposure_name?: string | null;
  /** Column of exposure times (a transplant, say) from the same origin and in the same unit as the follow-up times; an empty cell is never exposed during follow-up */
  exposure_time?: string | null;
  /** Column of groups, compared by Gray's test */
  group?: string | null;
  /** Landmark time T: keep the patients still followed after T and restart their clock at T */
  landmark?: number | null;
  /** The power of the weight (1 - F)^rho in Gray's test */
  rho?: number;
  /** Column of status: the censoring value, or the cause of the event */
  status: string;
  /** Column of strata for Gray's test */
  strata?: string | null;
  /** Column of follow-up times */
  time: string;
};

/** One entry per distinct time at which an event of any cause happens. */
export type CifSteps = {
  cif: Array<number>;
  lower: Array<number | null>;
  time: Array<number>;
  upper: Array<number | null>;
  variance: Array<number>;
};

/** What the page shows as a column's detected type. */
export type ColumnKind = "numeric" | "categorical";

export type ColumnSummary = {
  /** Whether the column can split patients into groups: at least 2 values, all listed in `levels`. */
  groupable: boolean;
  kind: ColumnKind;
  /** The distinct values in R's level order when there are at most [`MAX_SUMMARY_LEVELS`]. */
  levels: Array<string>;
  /** Distinct filled values, up to [`MAX_SUMMARY_LEVELS`] + 1 counted. */
  n_distinct: number;
  n_missing: number;
  name: string;
  /** Cells of a categorical column that read as numbers: a column of numbers with stray text. */
  numeric_cells: number;
};

/** The first of several dated causes, coded 1, 2, … in the order given, 0 when censored: two
 * columns. */
export type CompetingCauses = {
  /** Columns of the causes' dates, in the order of their codes (a tie goes to the first) */
  causes: Array<string>;
  /** Column of the censoring date (last contact) */
  censor: string;
  /** How dates written with slashes are read when no date in the file decides it */
  date_order?: DateOrder | null;
  /** Make rows with impossible dates missing in the derived columns (and list them) instead of refusing the file */
  exclude_impossible?: boolean;
  /** Column of patient ids, named beside the row in the list of impossible dates */
  id?: string | null;
  /** Column of the origin date, time 0 (CAR-T infusion, diagnosis, randomisation) */
  origin: string;
  /** The new column of status: 0 censored, k when the k-th cause came first */
  status: string;
  /** The new column of times, in the unit */
  time: string;
  /** The unit of the derived times: days, months (days / 30.4375) or years (days / 365.25) */
  unit: TimeUnit;
};

export type ConcordanceReport = {
  estimate?: number | null;
  se?: number | null;
};

/** A confidence level; R's default is 0.95. Checked to lie in (0, 1) by [`Request::check`]. */
export type ConfLevel = number;

/** The scale on which pointwise confidence intervals are built; R's default is [`ConfType::Log`]. */
export type ConfType = "log" | "log-log" | "plain";

/** One group of a continuous row: its missing count and the summaries of its other values
 * (n, median, q1, q3, min, max, mean, sd, as fields of this object). */
export type ContinuousGroup = {
  group: string;
  max?: number | null;
  mean?: number | null;
  median?: number | null;
  min?: number | null;
  n: number;
  n_missing: number;
  q1?: number | null;
  q3?: number | null;
  sd?: number | null;
};

/** The test of continuous rows; the default is Welch's t test, as R's `t.test`. */
export type ContinuousTest = "welch" | "student" | "wilcoxon" | "kruskal" | "anova" | "welch-anova";

/** `survkit cox`: one Cox model. */
export type CoxReport = {
  analysis: AnalysisName;
  concordance: ConcordanceReport;
  conf_level: number;
  converged: boolean;
  /** The covariates as the user wrote them. */
  covariates: Array<string>;
  events: number;
  iterations: number;
  /** The landmark selection, when the model starts at a landmark (with an exposure column, its status at the landmark is the first term); absent otherwise. */
  landmark?: LandmarkSelection | null;
  loglik: LogLikelihood;
  merged_times?: MergedTimesReport | null;
  /** Patients analysed; with a start column, the (start, stop] rows (R's `fit$n`). */
  n: number;
  n_dropped: number;
  /** What the user should know about how the file was read or the data interpreted (an encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing. */
  notices?: Array<string>;
  /** The start column of (start, stop] rows, as `Surv(start, stop, event)`; absent otherwise. */
  start?: string | null;
  strata?: string | null;
  terms: Array<CoxTerm>;
  tests: ModelTests;
  ties: Ties;
  /** The time-dependent exposure, fitted as the first term; absent without one. */
  time_dependent?: TimeDependentReport | null;
  warnings: Array<Warning>;
  zph?: ZphReport | null;
};

/** The time-to-event columns of km, logrank, followup, cox and mantel-byar. */
export type CoxRequest = {
  /** Numeric columns to treat as categorical, comma-separated */
  categorical?: Array<string>;
  /** Confidence level of the hazard ratios' intervals */
  conf_level?: ConfLevel;
  /** Covariates, comma-separated: column names or cut-points such as age>=40 */
  covariates?: Array<string>;
  /** Column saying whether the event happened */
  event: string;
  /** The value of the event column that means "event" (default: 0/1, 1/2, TRUE/FALSE, yes/no, dead/alive) */
  event_value?: string | null;
  /** The exposure's name in the text and figure, e.g. transplant (default: the exposure column's name) */
  exposure_name?: string | null;
  /** Column of exposure times (a transplant, say) from the same origin and in the same unit as the follow-up times; an empty cell is never exposed during follow-up */
  exposure_time?: string | null;
  /** Landmark time T: keep the patients still followed after T and restart their clock at T */
  landmark?: number | null;
  /** Reference level of a categorical covariate, as COLUMN=LEVEL (repeat for several) */
  reference?: Array<string>;
  /** Column of entry times: each row is an interval (start, time] of follow-up, as Surv(start, stop, event) (counting-process data, e.g. from tmerge) */
  start?: string | null;
  /** Column of strata for a stratified model */
  strata?: string | null;
  /** Handling of tied event times */
  ties?: Ties;
  /** Column of follow-up times */
  time: string;
  /** Treat times within 1.5e-8 of each other (absolute or relative) as one time, as R's timefix = TRUE does; false compares them exactly */
  timefix?: TimeFixFlag;
  /** Fit each covariate alone (a univariate screen) */
  univariate?: boolean;
  /** Test proportional hazards (cox.zph) */
  zph?: boolean;
};

/** `survkit cox --univariate`: each covariate in a model of its own. */
export type CoxScreenReport = {
  analysis: AnalysisName;
  models: Array<ScreenModel>;
  /** What the user should know about how the file was read or the data interpreted (an encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing. */
  notices?: Array<string>;
  univariate: boolean;
};

/** A term's estimate; every number is `null` for a term R reports as NA (collinear or constant). */
export type CoxTerm = {
  coef?: number | null;
  /** exp(coef): the hazard ratio (for Fine-Gray, the subdistribution hazard ratio). */
  hr?: number | null;
  lower?: number | null;
  p?: number | null;
  se?: number | null;
  term: string;
  upper?: number | null;
  z?: number | null;
};

/** A categorical column cut from a numeric one at `breaks`, as R's
 * `cut(from, c(-Inf, breaks, Inf), right = FALSE)`: levels `[-Inf,40)`, `[40,60)`, `[60,Inf)`. */
export type CutColumn = {
  /** The cut-points, increasing; a value equal to a break falls in the interval above it. */
  breaks: Array<number>;
  /** The numeric column it is cut from. */
  from: string;
  /** The new column's name; it must not be a column of the file. */
  name: string;
};

/** How dates written with slashes are read when the data does not decide it. */
export type DateOrder = "dd/mm/yyyy" | "mm/dd/yyyy";

/** A column (or two) computed from the file's columns, by its `"kind"`. */
export type DerivedColumn = ({
    kind: "cut";
  } & CutColumn) | ({
    kind: "time_to_event";
  } & TimeToEvent) | ({
    kind: "competing";
  } & CompetingCauses) | ({
    kind: "time_to_exposure";
  } & TimeToExposure);

/** [`StepTable`] with the patients entering: `n_enter` at a step counts those who joined the
 * risk set since the previous step (entered in [previous step, this step), after 0). A patient
 * leaving the unexposed state at the exposure is counted in `n_censor`, as `survfit` does. */
export type EntryStepTable = {
  lower: Array<number | null>;
  n_censor: Array<number>;
  n_enter: Array<number>;
  n_event: Array<number>;
  n_risk: Array<number>;
  std_err: Array<number | null>;
  surv: Array<number>;
  time: Array<number>;
  upper: Array<number | null>;
};

/** An error as the page receives it. */
export type ErrorReport = {
  column?: string | null;
  message: string;
  row?: number | null;
};

/** The exposure states of a time-dependent exposure. */
export type ExposureState = "unexposed" | "exposed";

/** How a figure looks, as a study saves it: its labels, axis limits and what is shown. Sizes
 * are the screen's, and the p-value is the analysis's, so neither is saved. */
export type FigureSettings = {
  /** Spacing of the time-axis breaks (and of the number-at-risk columns); chosen when absent. */
  break_every?: number | null;
  /** For a `cif` result, the cause to draw; the first cause when absent. */
  cause?: string | null;
  /** The y axis in percent (0-100%) rather than as a probability. */
  percent?: boolean;
  show_at_risk?: boolean;
  show_censor_ticks?: boolean;
  /** Confidence bands around each curve. */
  show_ci?: boolean;
  /** The test's p-value on the plot (log-rank for km, Gray's test for cif). */
  show_p?: boolean;
  title?: string | null;
  /** The time axis's label; "Time" when absent. */
  x_label?: string | null;
  /** The end of the time axis; the last observed time when absent. */
  x_max?: number | null;
  /** The y axis's label; "Survival probability", or the cause's cumulative incidence, when absent. */
  y_label?: string | null;
};

/** `survkit finegray`: the subdistribution hazards of one cause. */
export type FineGrayReport = {
  analysis: AnalysisName;
  cause: string;
  censored: number;
  competing: number;
  conf_level: number;
  converged: boolean;
  covariates: Array<string>;
  /** Events of the cause, competing events and censored rows. */
  events: number;
  iterations: number;
  /** The log pseudo-likelihood at the estimate (`crr`'s `loglik`) and at 0 (`loglik.null`). */
  loglik: number;
  loglik_null: number;
  n: number;
  n_dropped: number;
  /** What the user should know about how the file was read or the data interpreted (an encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing. */
  notices?: Array<string>;
  /** `hr` is the subdistribution hazard ratio. */
  terms: Array<CoxTerm>;
  warnings: Array<Warning>;
};

/** The competing-risks columns of cif and finegray. */
export type FineGrayRequest = {
  /** Numeric columns to treat as categorical, comma-separated */
  categorical?: Array<string>;
  /** The cause of interest (a value of the status column) */
  cause: string;
  /** The status value that means censored (default 0, as cmprsk's cencode) */
  censor_value?: string | null;
  /** Confidence level of the subdistribution hazard ratios' intervals */
  conf_level?: ConfLevel;
  /** Covariates, comma-separated: column names or cut-points such as age>=40 */
  covariates?: Array<string>;
  /** Reference level of a categorical covariate, as COLUMN=LEVEL (repeat for several) */
  reference?: Array<string>;
  /** Column of status: the censoring value, or the cause of the event */
  status: string;
  /** Column of follow-up times */
  time: string;
};

export type FollowUpGroup = {
  group: string;
  max: number;
  median: MedianReport;
  min: number;
  n: number;
};

/** `survkit followup`: median follow-up by reverse Kaplan-Meier. */
export type FollowUpReport = {
  analysis: AnalysisName;
  /** The confidence level of the medians' intervals. */
  conf_level: number;
  /** Per group with `--group`; empty otherwise. */
  groups: Array<FollowUpGroup>;
  max: number;
  median: MedianReport;
  merged_times?: MergedTimesReport | null;
  min: number;
  n: number;
  n_dropped: number;
  /** What the user should know about how the file was read or the data interpreted (an encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing. */
  notices?: Array<string>;
};

/** The time-to-event columns of km, logrank, followup, cox and mantel-byar. */
export type FollowUpRequest = {
  /** Confidence level of the median's interval */
  conf_level?: ConfLevel;
  /** Column saying whether the event happened */
  event: string;
  /** The value of the event column that means "event" (default: 0/1, 1/2, TRUE/FALSE, yes/no, dead/alive) */
  event_value?: string | null;
  /** Column of groups */
  group?: string | null;
  /** Column of follow-up times */
  time: string;
  /** Treat times within 1.5e-8 of each other (absolute or relative) as one time, as R's timefix = TRUE does; false compares them exactly */
  timefix?: TimeFixFlag;
};

export type GrayReport = {
  df: number;
  /** Why there is no statistic, when there is none. */
  note?: string | null;
  p?: number | null;
  stat?: number | null;
};

/** The estimate at a chosen time, as `timepoints()`: `None` past the last observed time (also
 * the JSON's `at` entries). */
export type IncidenceAt = {
  cif?: number | null;
  lower?: number | null;
  time: number;
  upper?: number | null;
  variance?: number | null;
};

export type KmGroup = {
  at: Array<Landmark>;
  events: number;
  /** The group's value, or `null` without a grouping column. */
  group?: string | null;
  median: MedianReport;
  n: number;
  /** With (start, stop] rows (`start`): the patients joining the risk set since the previous step, per step; absent otherwise. */
  n_enter?: Array<number> | null;
  /** With (start, stop] rows: every time the risk set changes (an entry or an exit), the number in it there and the number censored then; the figure's numbers at risk. Absent otherwise. */
  risk_set?: RiskSet | null;
  steps: StepTable;
};

/** `survkit km`: Kaplan-Meier curves per group. */
export type KmReport = {
  analysis: AnalysisName;
  conf_level: number;
  conf_type: ConfType;
  groups: Array<KmGroup>;
  /** With a landmark: the patients kept and left out (absent without one). */
  landmark?: LandmarkSelection | null;
  merged_times?: MergedTimesReport | null;
  n_dropped: number;
  /** What the user should know about how the file was read or the data interpreted (an encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing. */
  notices?: Array<string>;
  /** The start column of (start, stop] rows (delayed entry), as `Surv(start, stop, event)`; absent otherwise. */
  start?: string | null;
};

/** The time-to-event columns of km, logrank, followup, cox and mantel-byar. */
export type KmRequest = {
  /** Times at which to report S(t), comma-separated */
  at?: Array<number>;
  /** Confidence level */
  conf_level?: ConfLevel;
  /** Confidence interval scale */
  conf_type?: ConfType;
  /** Column saying whether the event happened */
  event: string;
  /** The value of the event column that means "event" (default: 0/1, 1/2, TRUE/FALSE, yes/no, dead/alive) */
  event_value?: string | null;
  /** The exposure's name in the text and figure, e.g. transplant (default: the exposure column's name) */
  exposure_name?: string | null;
  /** Column of exposure times (a transplant, say) from the same origin and in the same unit as the follow-up times; an empty cell is never exposed during follow-up */
  exposure_time?: string | null;
  /** Column of groups, one curve each */
  group?: string | null;
  /** Landmark time T: keep the patients still followed after T and restart their clock at T */
  landmark?: number | null;
  /** Column of entry times: each row is an interval (start, time] of follow-up with delayed entry, as Surv(start, stop, event) */
  start?: string | null;
  /** Column of follow-up times */
  time: string;
  /** Treat times within 1.5e-8 of each other (absolute or relative) as one time, as R's timefix = TRUE does; false compares them exactly */
  timefix?: TimeFixFlag;
};

/** The curve read at one time, as `summary(fit, times = t)` reports it (also the JSON's `at`
 * entries: `std_err` is that of S, not of log S). */
export type Landmark = {
  lower?: number | null;
  /** The number still under observation at `time` (time >= t). */
  n_risk: number;
  std_err?: number | null;
  /** `None` past the last observed time, where R's `summary` reports nothing. */
  surv?: number | null;
  time: number;
  upper?: number | null;
};

/** A landmark analysis's selection (km, logrank, cif): of the `n_before` patients of the frame,
 * those still followed after the landmark time are kept, with their clock restarted there (a
 * result's times are times since the landmark); the others are counted by why they were left
 * out. With an exposure column the groups are the exposure states at the landmark,
 * `unexposed` and `exposed` (see [`crate::analysis::landmark`]). */
export type LandmarkSelection = {
  /** The exposure's name, as the request gave it. */
  exposure_name?: string | null;
  /** The column of exposure times, when the groups are the exposure states at the landmark. */
  exposure_time?: string | null;
  /** The landmark time, in the follow-up times' unit. */
  landmark: number;
  /** Patients before the selection (complete rows). */
  n_before: number;
  /** Left out: censored at or before the landmark. */
  n_excluded_censored: number;
  /** Left out: an event (of any cause) at or before the landmark. */
  n_excluded_event: number;
  /** Patients kept who were exposed at the landmark (exposure time at or before it). */
  n_exposed?: number | null;
  /** Patients still followed after the landmark: the rows analysed. */
  n_kept: number;
};

export type LogLikelihood = {
  model: number;
  null: number;
};

export type LogRankGroup = {
  expected: number;
  group: string;
  n: number;
  observed: number;
};

/** `survkit logrank`: the G-rho test across groups, and optionally every pair. */
export type LogRankReport = {
  adjust: Adjust;
  analysis: AnalysisName;
  chisq: number;
  df: number;
  groups: Array<LogRankGroup>;
  /** With a landmark: the patients kept and left out (absent without one). */
  landmark?: LandmarkSelection | null;
  merged_times?: MergedTimesReport | null;
  n_dropped: number;
  /** What the user should know about how the file was read or the data interpreted (an encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing. */
  notices?: Array<string>;
  p?: number | null;
  /** One row per pair of groups with `--pairwise`, in level order; empty otherwise. */
  pairwise: Array<PairwiseTest>;
  rho: number;
  /** The stratifying column, when the test is stratified. */
  strata?: string | null;
};

/** The time-to-event columns of km, logrank, followup, cox and mantel-byar. */
export type LogRankRequest = {
  /** Adjustment of the pairwise p-values */
  adjust?: Adjust;
  /** Column saying whether the event happened */
  event: string;
  /** The value of the event column that means "event" (default: 0/1, 1/2, TRUE/FALSE, yes/no, dead/alive) */
  event_value?: string | null;
  /** The exposure's name in the text and figure, e.g. transplant (default: the exposure column's name) */
  exposure_name?: string | null;
  /** Column of exposure times (a transplant, say) from the same origin and in the same unit as the follow-up times; an empty cell is never exposed during follow-up */
  exposure_time?: string | null;
  /** Column of groups to compare (with `landmark` and `exposure_time`, the exposure states at the landmark are the groups instead) */
  group?: string | null;
  /** Landmark time T: keep the patients still followed after T and restart their clock at T */
  landmark?: number | null;
  /** Also test every pair of groups */
  pairwise?: boolean;
  /** Fleming-Harrington rho: 0 is the log-rank test, 1 the Peto-Peto test */
  rho?: number;
  /** Column of strata for a stratified test */
  strata?: string | null;
  /** Column of follow-up times */
  time: string;
  /** Treat times within 1.5e-8 of each other (absolute or relative) as one time, as R's timefix = TRUE does; false compares them exactly */
  timefix?: TimeFixFlag;
};

/** `survkit mantel-byar`: the log-rank test with a time-dependent exposure (Mantel-Byar). */
export type MantelByarReport = {
  analysis: AnalysisName;
  /** `null` when nobody exposed, or nobody unexposed, was at risk at an event time. */
  chisq?: number | null;
  df: number;
  /** The exposure's name: `exposure_name`, else the exposure column's. */
  exposure: string;
  merged_times?: MergedTimesReport | null;
  /** Patients analysed (rows with a follow-up time and an event). */
  n: number;
  n_dropped: number;
  /** What the user should know about how the file was read or the data interpreted (an encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing. */
  notices?: Array<string>;
  p?: number | null;
  /** `unexposed`, then `exposed`. */
  states: Array<MantelByarState>;
};

/** The time-to-event columns of km, logrank, followup, cox and mantel-byar. */
export type MantelByarRequest = {
  /** Column saying whether the event happened */
  event: string;
  /** The value of the event column that means "event" (default: 0/1, 1/2, TRUE/FALSE, yes/no, dead/alive) */
  event_value?: string | null;
  /** The exposure's name in the text and figure, e.g. transplant (default: the exposure column's name) */
  exposure_name?: string | null;
  /** Column of exposure times (a transplant, say) from the same origin and in the same unit as the follow-up times; an empty cell is never exposed during follow-up */
  exposure_time: string;
  /** Column of follow-up times */
  time: string;
  /** Treat times within 1.5e-8 of each other (absolute or relative) as one time, as R's timefix = TRUE does; false compares them exactly */
  timefix?: TimeFixFlag;
};

/** One exposure state of a Mantel-Byar test. */
export type MantelByarState = {
  expected: number;
  /** Patients ever at risk in the state (a patient exposed during follow-up counts in both). */
  n: number;
  observed: number;
  /** `unexposed` or `exposed`. */
  state: string;
};

/** A median (or other quantile) with its confidence interval; `null` when not reached. */
export type MedianReport = {
  estimate?: number | null;
  lower?: number | null;
  upper?: number | null;
};

/** Times that R's `timefix` rule treated as equal to a near-equal smaller time (present only
 * when it moved any): see [`crate::estimate::timefix`]. */
export type MergedTimesReport = {
  /** Rows whose time was moved. */
  rows: number;
  /** The tolerance, absolute or relative to the mean distinct time (R's `sqrt(.Machine$double.eps)`). */
  tolerance: number;
};

export type ModelTests = {
  likelihood_ratio: ChiSquareTest;
  score: ChiSquareTest;
  wald: ChiSquareTest;
};

export type PairP = {
  group_a: string;
  group_b: string;
  p?: number | null;
  /** As the row's `simulated`, when this pair's p is a Monte Carlo one. */
  simulated?: Simulation | null;
};

export type PairwiseTest = {
  chisq?: number | null;
  /** 0 when only one of the two groups has expected events: nothing to test (chisq 0, p 1, as `survdiff` on the pair gives). */
  df?: number | null;
  group_a: string;
  group_b: string;
  p?: number | null;
  p_adjusted?: number | null;
};

/** How to read the file: what the page sends when a file is loaded, a study's `read`, and the
 * read part of a [`FileRequest`]. */
export type ReadSettings = {
  /** Decimal mark: "." (default) or "," */
  decimal?: string | null;
  /** Cell delimiter: "," ";" or "tab" (detected when not given) */
  delimiter?: string | null;
  /** Extra missing-value codes, comma-separated, besides empty, NA, "." and NaN */
  na?: Array<string>;
};

/** One analysis of one file. Defaults are R's. */
export type Request = ({
    analysis: "km";
  } & KmRequest) | ({
    analysis: "logrank";
  } & LogRankRequest) | ({
    analysis: "followup";
  } & FollowUpRequest) | ({
    analysis: "cox";
  } & CoxRequest) | ({
    analysis: "cif";
  } & CifRequest) | ({
    analysis: "finegray";
  } & FineGrayRequest) | ({
    analysis: "table1";
  } & Table1Request) | ({
    analysis: "mantel-byar";
  } & MantelByarRequest) | ({
    analysis: "simon-makuch";
  } & SimonMakuchRequest);

export type RiskSet = {
  n_censor: Array<number>;
  n_risk: Array<number>;
  time: Array<number>;
};

/** One covariate's model, or why it could not be fitted (the other covariates still are). */
export type ScreenModel = CoxReport | {
    covariate: string;
    error: ErrorReport;
  };

/** `survkit simon-makuch`: Kaplan-Meier curves by a time-dependent exposure, one per state. */
export type SimonMakuchReport = {
  analysis: AnalysisName;
  conf_level: number;
  conf_type: ConfType;
  /** The exposure's name, as the request gave it. */
  exposure_name?: string | null;
  /** The column of exposure times. */
  exposure_time: string;
  merged_times?: MergedTimesReport | null;
  /** Patients analysed. */
  n: number;
  n_dropped: number;
  /** Patients exposed during follow-up (at 0 or later, before its end). */
  n_exposed: number;
  /** What the user should know about how the file was read or the data interpreted (an encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing. */
  notices?: Array<string>;
  /** `unexposed`, then `exposed`. */
  states: Array<SimonMakuchState>;
};

/** Simon-Makuch curves by a time-dependent [`Exposure`]. */
export type SimonMakuchRequest = {
  /** Times at which to report S(t), comma-separated */
  at?: Array<number>;
  /** Confidence level */
  conf_level?: ConfLevel;
  /** Confidence interval scale */
  conf_type?: ConfType;
  /** Column saying whether the event happened */
  event: string;
  /** The value of the event column that means "event" (default: 0/1, 1/2, TRUE/FALSE, yes/no, dead/alive) */
  event_value?: string | null;
  /** The exposure's name in the text and figure, e.g. transplant (default: the exposure column's name) */
  exposure_name?: string | null;
  /** Column of exposure times (a transplant, say) from the same origin and in the same unit as the follow-up times; an empty cell is never exposed during follow-up */
  exposure_time: string;
  /** Column of follow-up times */
  time: string;
  /** Treat times within 1.5e-8 of each other (absolute or relative) as one time, as R's timefix = TRUE does; false compares them exactly */
  timefix?: TimeFixFlag;
};

/** One state's curve on counting-process data. */
export type SimonMakuchState = {
  /** As `summary(fit, times = at)`: `n_risk` is that of the first step at or after the time (R's rule), which, when patients enter later, is not the risk set at the time itself: `risk_set` gives that. */
  at: Array<Landmark>;
  events: number;
  /** Patients with time in this state (R's `fit$n`). */
  n: number;
  /** Every time the state's risk set changes (an entry or an exit), the number in it there (entry < t <= exit) and the number censored then; the figure's numbers at risk. */
  risk_set: RiskSet;
  state: ExposureState;
  steps: EntryStepTable;
};

/** How a Monte Carlo p-value was drawn: `set.seed(seed)` and `B = replicates` in R. */
export type Simulation = {
  replicates: number;
  seed: number;
};

/** Every distinct time of a group, as `summary(fit, censored = TRUE)`; `std_err` is that of S. */
export type StepTable = {
  lower: Array<number | null>;
  n_censor: Array<number>;
  n_event: Array<number>;
  n_risk: Array<number>;
  std_err: Array<number | null>;
  surv: Array<number>;
  time: Array<number>;
  upper: Array<number | null>;
};

/** One analysis of a study. */
export type StudyAnalysis = {
  /** How its figure looks (for km, cif, cox and finegray); the defaults when absent. */
  figure?: FigureSettings | null;
  request: Request;
  title?: string;
};

/** One analysis of a study with its result. */
export type StudyResult = {
  figure?: FigureSettings | null;
  request: Request;
  result: Report;
  title: string;
};

export type Table1Group = {
  group: string;
  n: number;
};

/** The table as a paper prints it, cell by cell: what the page draws and what the text, CSV and
 * HTML renderings print, so that the four cannot differ. */
export type Table1Layout = {
  /** "Characteristic", one column per group ("A (n = 34)"), "P", then with pairwise tests one "P, A vs B" per pair of groups in level order. */
  header: Array<string>;
  lines: Array<Table1Line>;
};

/** One line: a variable's first line, or one of its levels (or its missing count). */
export type Table1Line = {
  /** As many cells as the header; the first is the label, without indentation. */
  cells: Array<string>;
  /** A level line, printed indented under its variable. */
  level: boolean;
  variable: string;
};

/** `survkit table1`: patient characteristics by group, with a test per row. */
export type Table1Report = {
  analysis: AnalysisName;
  group_variable: string;
  groups: Array<Table1Group>;
  /** The rows laid out as a paper prints them (`table1_layout`): the page draws these cells. */
  layout: Table1Layout;
  /** Rows left out because their group is missing. */
  n_missing_group: number;
  /** What the user should know about how the file was read or the data interpreted (an encoding, Excel's `sep=` line, values counted as censored); absent when there is nothing. */
  notices?: Array<string>;
  rows: Array<Table1Row>;
};

export type Table1Request = {
  /** Numeric variables to describe as categories, comma-separated */
  categorical?: Array<string>;
  /** Test of categorical rows */
  categorical_test?: CategoricalTest;
  /** Test of continuous rows */
  continuous_test?: ContinuousTest;
  /** Column of groups (the table's columns) */
  group: string;
  /** Also test every pair of groups */
  pairwise?: boolean;
  /** Random tables drawn for a Monte Carlo p-value, R's B */
  replicates?: number;
  /** Seed of Monte Carlo p-values (Fisher's test on tables too large to enumerate), as R's set.seed */
  seed?: number;
  /** Variables to describe, comma-separated */
  vars?: Array<string>;
};

/** One variable: `levels` and `n_missing` for a categorical one, `groups` for a continuous one. */
export type Table1Row = {
  /** The denominator df of an F test (ANOVA, Welch's ANOVA); `df` is the numerator's. */
  denominator_df?: number | null;
  df?: number | null;
  groups?: Array<ContinuousGroup> | null;
  kind: string;
  levels?: Array<CategoryLevel> | null;
  /** Missing values per group (categorical rows; continuous rows carry theirs per group). */
  n_missing?: Array<number> | null;
  p?: number | null;
  pairwise?: Array<PairP> | null;
  /** Present when `p` is a Monte Carlo p-value (Fisher's test on a table too large to enumerate), with what it takes to rerun it in R. */
  simulated?: Simulation | null;
  statistic?: number | null;
  /** The test used (`null` when there is nothing to test). */
  test?: string | null;
  variable: string;
  warnings: Array<string>;
};

/** How tied event times enter the partial likelihood; R's default is [`Ties::Efron`]. */
export type Ties = "efron" | "breslow";

/** A Cox model's time-dependent exposure: each patient's follow-up split at the exposure time
 * (`tmerge(..., tdc(exposure_time))`) and the exposure fitted as a 0/1 term. */
export type TimeDependentReport = {
  /** The exposure's name, which is its term's. */
  exposure: string;
  /** The column of exposure times. */
  exposure_time: string;
  /** Rows of the split data, (start, stop] intervals (R's `fit$n` on the `tmerge` data). */
  intervals: number;
  /** Patients exposed while followed. */
  n_exposed: number;
};

/** R's `timefix`: `true` (the default of `survfit`, `survdiff` and `coxph`) treats times within
 * R's tolerance of each other as one time; `false` compares them exactly. */
export type TimeFixFlag = boolean;

/** Time to the first of a set of event dates, censored at a censoring date: two columns. */
export type TimeToEvent = {
  /** Column of the censoring date (last contact) */
  censor: string;
  /** How dates written with slashes are read when no date in the file decides it */
  date_order?: DateOrder | null;
  /** The new column of events: 1 when an event came first, 0 when censored */
  event: string;
  /** Columns of event dates; the first filled one is the event (blank = did not happen) */
  events: Array<string>;
  /** Make rows with impossible dates missing in the derived columns (and list them) instead of refusing the file */
  exclude_impossible?: boolean;
  /** Column of patient ids, named beside the row in the list of impossible dates */
  id?: string | null;
  /** Column of the origin date, time 0 (CAR-T infusion, diagnosis, randomisation) */
  origin: string;
  /** The new column of times, in the unit */
  time: string;
  /** The unit of the derived times: days, months (days / 30.4375) or years (days / 365.25) */
  unit: TimeUnit;
};

/** The time from the origin to an exposure (transplant), missing when never exposed. */
export type TimeToExposure = {
  /** How dates written with slashes are read when no date in the file decides it */
  date_order?: DateOrder | null;
  /** Column of the end of follow-up (last contact); an exposure after it is impossible */
  end?: string | null;
  /** Make rows with impossible dates missing in the derived columns (and list them) instead of refusing the file */
  exclude_impossible?: boolean;
  /** Column of the exposure date (blank = never exposed) */
  exposure: string;
  /** Column of patient ids, named beside the row in the list of impossible dates */
  id?: string | null;
  /** The new column of times, in the unit */
  name: string;
  /** Column of the origin date, time 0 (CAR-T infusion, diagnosis, randomisation) */
  origin: string;
  /** The unit of the derived times: days, months (days / 30.4375) or years (days / 365.25) */
  unit: TimeUnit;
};

/** The unit of derived times. */
export type TimeUnit = "days" | "months" | "years";

/** Something the user should know about a result, next to the term it concerns. */
export type Warning = {
  message: string;
  /** The term (or covariate) concerned; `null` for the whole model. */
  term?: string | null;
};

export type ZphGlobal = {
  chisq: number;
  df: number;
  p?: number | null;
};

/** `cox.zph`: one row per covariate, and the global test. */
export type ZphReport = {
  global: ZphGlobal;
  terms: Array<ZphTerm>;
};

export type ZphTerm = {
  chisq: number;
  df: number;
  p?: number | null;
  term: string;
};

