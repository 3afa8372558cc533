//! Figures: step curves with censor ticks, confidence bands, a legend, the test's p-value and a
//! number-at-risk table, drawn once, generic over plotters' [`DrawingBackend`].
//!
//! The page passes a canvas backend, the SVG export (page and CLI) an SVG backend; the drawing code
//! is the same. The number-at-risk table is drawn under the plot at the x positions the chart's own
//! coordinate mapping gives for the axis breaks, so the table cannot drift out of line with the
//! curves (survminer's most reported bug).
//!
//! Figures only place pixels, so their few logarithms call libm directly (the engine's numbers
//! go through `estimate::distribution`); a figure never imports an estimator.
//!
//! A figure is built from a typed [`Report`] (or its JSON, read back into one), so it can be
//! drawn from what the engine returned without running the analysis again.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Deserialize;

use crate::data::format_number;
use crate::error::Error;
use crate::report::{CifReport, CoxReport, CoxTerm, FigureSettings, KmReport, Report, ScreenModel, SimonMakuchReport};
use crate::steps::number_at_risk;

/// Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(120, 120, 120),
    RGBColor(0, 0, 0),
];

/// The colour of the `index`-th group, the same in the figure and in the page's tables.
pub fn group_colour(index: usize) -> (u8, u8, u8) {
    let RGBColor(red, green, blue) = PALETTE[index % PALETTE.len()];
    (red, green, blue)
}

/// How a figure looks. Every field has a default, so `{}` is a valid options object.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FigureOptions {
    /// In CSS pixels; the backend gets `width * scale` device pixels.
    pub width: u32,
    pub height: u32,
    /// The device pixel ratio, so the figure is crisp on HiDPI screens.
    pub scale: f64,
    pub title: Option<String>,
    pub x_label: String,
    pub y_label: String,
    /// Confidence bands around each curve.
    pub show_ci: bool,
    pub show_censor_ticks: bool,
    pub show_at_risk: bool,
    /// The p-value printed on the plot, e.g. the log-rank test's.
    pub p_value: Option<f64>,
    /// The test's name before the p-value ("Log-rank").
    pub p_label: String,
    /// Spacing of the time-axis breaks (and of the number-at-risk columns); chosen when absent.
    pub break_every: Option<f64>,
    /// The end of the time axis; the last observed time when absent.
    pub x_max: Option<f64>,
    /// For a `cif` result, the cause to draw; the first cause when absent.
    pub cause: Option<String>,
    /// The y axis in percent (0-100%) rather than as a probability.
    pub percent: bool,
}

impl Default for FigureOptions {
    fn default() -> Self {
        FigureOptions {
            width: 800,
            height: 560,
            scale: 1.0,
            title: None,
            x_label: "Time".into(),
            y_label: "Survival probability".into(),
            show_ci: false,
            show_censor_ticks: true,
            show_at_risk: true,
            p_value: None,
            p_label: "Log-rank".into(),
            break_every: None,
            x_max: None,
            cause: None,
            percent: false,
        }
    }
}

impl FigureOptions {
    /// The options of a saved figure ([`FigureSettings`]) for `report`, at the default size:
    /// the labels and p-value each analysis shows when the settings leave them out. `p_value` is
    /// the test's p for a Kaplan-Meier figure (the log-rank test on its groups); a cumulative
    /// incidence figure carries its cause's Gray's test.
    pub fn from_settings(settings: &FigureSettings, report: &Report, p_value: Option<f64>) -> FigureOptions {
        let defaults = FigureOptions::default();
        let (y_label, p_label, p_value) = match report {
            Report::Cif(cif) => {
                let cause = match &settings.cause {
                    Some(wanted) => cif.causes.iter().find(|entry| &entry.cause == wanted),
                    None => cif.causes.first(),
                };
                (
                    format!("Cumulative incidence of {}", cause.map_or("", |cause| cause.cause.as_str())),
                    "Gray's test".to_string(),
                    cause.and_then(|cause| cause.gray.as_ref()).and_then(|gray| gray.p),
                )
            }
            _ => (defaults.y_label.clone(), defaults.p_label.clone(), p_value),
        };
        FigureOptions {
            title: settings.title.clone(),
            x_label: settings.x_label.clone().unwrap_or_else(|| landmark_x_label(report).unwrap_or(defaults.x_label)),
            y_label: settings.y_label.clone().unwrap_or(y_label),
            show_ci: settings.show_ci,
            show_censor_ticks: settings.show_censor_ticks,
            show_at_risk: settings.show_at_risk,
            p_value: if settings.show_p { p_value } else { None },
            p_label,
            break_every: settings.break_every,
            x_max: settings.x_max,
            cause: settings.cause.clone(),
            percent: settings.percent,
            ..defaults
        }
    }
}

/// Whether curves fall from 1 (survival) or rise from 0 (cumulative incidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurveDirection {
    Falling,
    Rising,
}

/// One curve of a figure: its steps, and every observed time with the numbers at risk and
/// censored (the same times for Kaplan-Meier; all times, not only event times, for incidence).
#[derive(Debug, Clone, PartialEq)]
pub struct FigureCurve {
    pub label: String,
    pub time: Vec<f64>,
    pub value: Vec<f64>,
    pub lower: Vec<Option<f64>>,
    pub upper: Vec<Option<f64>>,
    pub risk_time: Vec<f64>,
    pub n_risk: Vec<usize>,
    pub n_censor: Vec<usize>,
}

impl FigureCurve {
    /// The curve's value at `time`: the last step at or before it.
    fn value_at(&self, time: f64, start: f64) -> f64 {
        let index = self.time.partition_point(|step| *step <= time);
        index.checked_sub(1).map_or(start, |index| self.value[index])
    }
}

/// Curves over time with a number-at-risk table: Kaplan-Meier or cumulative incidence.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveFigure {
    pub direction: CurveDirection,
    pub curves: Vec<FigureCurve>,
}

/// One row of a forest plot: a term's hazard ratio and interval.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestRow {
    pub label: String,
    pub hr: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub p: Option<f64>,
}

/// Hazard ratios on a log axis, one row per term.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestFigure {
    pub rows: Vec<ForestRow>,
    pub conf_level: f64,
    /// What the ratio is ("Hazard ratio") and its abbreviation ("HR").
    pub ratio: (&'static str, &'static str),
}

/// Everything a figure shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    Curves(CurveFigure),
    Forest(ForestFigure),
}

impl Figure {
    /// The figure of an analysis result, from its JSON: curves for `km` and `cif`, a forest plot
    /// for `cox` and `finegray`.
    ///
    /// # Errors
    /// JSON that is not a report, or of an analysis that has no figure.
    pub fn from_json(json: &str) -> Result<Figure, Error> {
        Figure::from_json_with(json, None)
    }

    /// As [`Figure::from_json`]; for a `cif` result, `cause` picks the cause drawn.
    ///
    /// # Errors
    /// JSON that is not a report, of an analysis that has no figure, or a cause the result does
    /// not have.
    pub fn from_json_with(json: &str, cause: Option<&str>) -> Result<Figure, Error> {
        let report =
            Report::from_json(json).map_err(|error| figure_error(format!("not an analysis result: {error}")))?;
        Figure::of(&report, cause)
    }

    /// The figure of a report; for a `cif` result, `cause` picks the cause drawn (the first when
    /// `None`).
    ///
    /// # Errors
    /// A report of an analysis that has no figure, or a cause the result does not have.
    pub fn of(report: &Report, cause: Option<&str>) -> Result<Figure, Error> {
        const HAZARD_RATIO: (&str, &str) = ("Hazard ratio", "HR");
        match report {
            Report::Km(km) => Ok(Figure::Curves(CurveFigure::from_km(km))),
            Report::SimonMakuch(curves) => Ok(Figure::Curves(CurveFigure::from_simon_makuch(curves))),
            Report::Cif(cif) => CurveFigure::from_cif(cif, cause).map(Figure::Curves),
            Report::Cox(model) => {
                Ok(Figure::Forest(ForestFigure::from_terms(&model.terms, model.conf_level, HAZARD_RATIO)))
            }
            Report::CoxScreen(screen) => {
                let fitted: Vec<&CoxReport> = screen
                    .models
                    .iter()
                    .filter_map(|model| match model {
                        ScreenModel::Fitted(model) => Some(model.as_ref()),
                        ScreenModel::Failed { .. } => None,
                    })
                    .collect();
                let conf_level = fitted.first().map_or(0.95, |model| model.conf_level);
                let terms: Vec<CoxTerm> = fitted.iter().flat_map(|model| model.terms.iter().cloned()).collect();
                Ok(Figure::Forest(ForestFigure::from_terms(&terms, conf_level, HAZARD_RATIO)))
            }
            Report::FineGray(model) => Ok(Figure::Forest(ForestFigure::from_terms(
                &model.terms,
                model.conf_level,
                ("Subdistribution hazard ratio", "SHR"),
            ))),
            Report::LogRank(_) => Err(figure_error("the logrank analysis has no figure".into())),
            Report::FollowUp(_) => Err(figure_error("the followup analysis has no figure".into())),
            Report::Table1(_) => Err(figure_error("the table1 analysis has no figure".into())),
            Report::MantelByar(_) => Err(figure_error("the mantel-byar analysis has no figure".into())),
        }
    }
}

impl ForestFigure {
    fn from_terms(terms: &[CoxTerm], conf_level: f64, ratio: (&'static str, &'static str)) -> ForestFigure {
        let rows = terms
            .iter()
            .map(|term| ForestRow {
                label: term.term.clone(),
                hr: term.hr,
                lower: term.lower,
                upper: term.upper,
                p: term.p,
            })
            .collect();
        ForestFigure { rows, conf_level, ratio }
    }
}

/// The time axis of a landmark analysis: its times are since the landmark.
fn landmark_x_label(report: &Report) -> Option<String> {
    let landmark = match report {
        Report::Km(km) => km.landmark.as_ref(),
        Report::Cif(cif) => cif.landmark.as_ref(),
        _ => None,
    }?;
    Some(format!("Time since the landmark ({})", crate::data::format_number(landmark.landmark)))
}

impl CurveFigure {
    fn from_cif(cif: &CifReport, cause: Option<&str>) -> Result<CurveFigure, Error> {
        let chosen = match cause {
            None => cif.causes.first(),
            Some(wanted) => cif.causes.iter().find(|entry| entry.cause == wanted),
        }
        .ok_or_else(|| {
            let available: Vec<String> = cif.causes.iter().map(|entry| entry.cause.clone()).collect();
            figure_error(format!("no such cause; the causes are {}", crate::error::quoted_list(&available)))
        })?;
        let curves = chosen
            .groups
            .iter()
            .map(|group| FigureCurve {
                label: group.group.clone().unwrap_or_else(|| format!("Cause {}", chosen.cause)),
                time: group.steps.time.clone(),
                value: group.steps.cif.clone(),
                lower: group.steps.lower.clone(),
                upper: group.steps.upper.clone(),
                risk_time: group.risk_set.time.clone(),
                n_risk: group.risk_set.n_risk.clone(),
                n_censor: group.risk_set.n_censor.clone(),
            })
            .collect();
        Ok(CurveFigure { direction: CurveDirection::Rising, curves })
    }

    fn from_km(km: &KmReport) -> CurveFigure {
        let curves = km
            .groups
            .iter()
            .map(|group| {
                // With delayed entry the risk set changes at entries too: read it where it is given.
                let (risk_time, n_risk, n_censor) = match &group.risk_set {
                    Some(risk_set) => (risk_set.time.clone(), risk_set.n_risk.clone(), risk_set.n_censor.clone()),
                    None => (group.steps.time.clone(), group.steps.n_risk.clone(), group.steps.n_censor.clone()),
                };
                FigureCurve {
                    label: group.group.clone().unwrap_or_else(|| "All patients".to_string()),
                    risk_time,
                    time: group.steps.time.clone(),
                    value: group.steps.surv.clone(),
                    lower: group.steps.lower.clone(),
                    upper: group.steps.upper.clone(),
                    n_risk,
                    n_censor,
                }
            })
            .collect();
        CurveFigure { direction: CurveDirection::Falling, curves }
    }

    /// The two states' curves; the number at risk under them is read from each state's risk
    /// set, which changes when patients enter as well as when they leave.
    fn from_simon_makuch(report: &SimonMakuchReport) -> CurveFigure {
        let curves = report
            .states
            .iter()
            .map(|state| FigureCurve {
                label: report.state_label(state.state),
                time: state.steps.steps.time.clone(),
                value: state.steps.steps.surv.clone(),
                lower: state.steps.steps.lower.clone(),
                upper: state.steps.steps.upper.clone(),
                risk_time: state.risk_set.time.clone(),
                n_risk: state.risk_set.n_risk.clone(),
                n_censor: state.risk_set.n_censor.clone(),
            })
            .collect();
        CurveFigure { direction: CurveDirection::Falling, curves }
    }

    fn start_value(&self) -> f64 {
        match self.direction {
            CurveDirection::Falling => 1.0,
            CurveDirection::Rising => 0.0,
        }
    }

    fn last_time(&self) -> f64 {
        self.curves.iter().filter_map(|curve| curve.risk_time.last().copied()).fold(0.0, f64::max)
    }
}

fn figure_error(reason: String) -> Error {
    Error::NotEstimable { what: "the figure".into(), reason }
}

/// Breaks of the time axis: 0, step, 2 step, ... up to `end`, with a step of 1, 2, 2.5 or 5
/// times a power of ten (or of 3, 6 and 12 for month-like ranges) giving four to eight intervals.
pub fn time_breaks(end: f64, every: Option<f64>) -> Vec<f64> {
    let end = if end > 0.0 && end.is_finite() { end } else { 1.0 };
    let step = every.filter(|step| *step > 0.0 && end / step <= 200.0).unwrap_or_else(|| {
        let rough = end / 6.0;
        let power = libm::pow(10.0, libm::floor(libm::log10(rough)));
        let month_like = [3.0, 6.0, 12.0, 24.0].into_iter().rfind(|step| (end / step) >= 4.0 && (end / step) <= 8.0);
        let decimal = [1.0, 2.0, 2.5, 5.0, 10.0]
            .into_iter()
            .map(|m| m * power)
            .find(|step| end / step <= 8.0)
            .unwrap_or(10.0 * power);
        if (12.0..=200.0).contains(&end) {
            month_like.unwrap_or(decimal)
        } else {
            decimal
        }
    });
    let count = (end / step + 1e-9).floor() as usize;
    (0..=count).map(|index| index as f64 * step).collect()
}

/// Draws `figure` onto any plotters backend.
///
/// # Errors
/// A figure with no curves, or an error of the backend.
pub fn draw<DB: DrawingBackend>(backend: DB, figure: &Figure, options: &FigureOptions) -> Result<(), Error> {
    let root = backend.into_drawing_area();
    let drawn = match figure {
        Figure::Curves(curves) => draw_curves(&root, curves, options),
        Figure::Forest(forest) => draw_forest(&root, forest, options),
    };
    drawn.map_err(|error| figure_error(error.to_string()))
}

/// The figure as an SVG document.
///
/// # Errors
/// As [`draw`].
pub fn to_svg(figure: &Figure, options: &FigureOptions) -> Result<String, Error> {
    let mut svg = String::new();
    let size = ((f64::from(options.width) * options.scale) as u32, (f64::from(options.height) * options.scale) as u32);
    draw(plotters::backend::SVGBackend::with_string(&mut svg, size), figure, options)?;
    Ok(svg)
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw_curves<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    figure: &CurveFigure,
    options: &FigureOptions,
) -> DrawResult<DB> {
    let (px, font) = sizes(options);
    root.fill(&WHITE)?;

    let x_end = options.x_max.filter(|end| *end > 0.0).unwrap_or_else(|| figure.last_time());
    let breaks = time_breaks(x_end, options.break_every);
    let x_end = x_end.max(breaks.last().copied().unwrap_or(1.0));
    let row_height = 18.0;
    let n_rows = if options.show_at_risk { figure.curves.len() } else { 0 };
    let table_height = if n_rows > 0 { (row_height * (n_rows as f64 + 1.6)) as i32 } else { 0 };
    let (_, total_height) = root.dim_in_pixel();
    let (plot_area, table_area) = root.split_vertically(total_height as i32 - px(table_height as f64));

    let mut builder = ChartBuilder::on(&plot_area);
    builder.margin(px(12.0)).x_label_area_size(px(46.0)).y_label_area_size(px(110.0));
    if let Some(title) = &options.title {
        builder.caption(title, font(18.0));
    }
    let mut chart = builder.build_cartesian_2d(0.0..x_end, 0.0..1.0)?;
    let percent = options.percent;
    let y_format = move |value: &f64| if percent { format!("{:.0}%", value * 100.0) } else { format!("{value:.1}") };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .x_desc(options.x_label.as_str())
        .y_desc(options.y_label.as_str())
        .y_label_formatter(&y_format)
        .y_labels(6)
        .label_style(font(13.0))
        .axis_desc_style(font(14.0))
        .axis_style(BLACK.stroke_width(px(1.0) as u32))
        .draw()?;

    // The time axis's ticks and labels, at the breaks the number-at-risk table uses.
    for time in &breaks {
        let (x, y) = chart.backend_coord(&(*time, 0.0));
        root.draw(&PathElement::new(vec![(x, y), (x, y + px(5.0))], BLACK.stroke_width(px(1.0) as u32)))?;
        let label = format_number((time * 1e6).round() / 1e6);
        let style = font(13.0).into_text_style(root).pos(Pos::new(HPos::Center, VPos::Top));
        root.draw(&Text::new(label, (x, y + px(8.0)), style))?;
    }

    let start = figure.start_value();
    for (index, curve) in figure.curves.iter().enumerate() {
        let colour = PALETTE[index % PALETTE.len()];
        // A curve of 10^5 steps is drawn as at most four points per pixel column (see
        // `within_pixel_columns`), so a registry-sized file draws as fast as a trial's.
        if options.show_ci {
            for band in confidence_bands(curve, x_end) {
                let band = within_pixel_columns(band, |time| chart.backend_coord(&(time, 0.0)).0);
                chart.draw_series(std::iter::once(Polygon::new(band, colour.mix(0.15).filled())))?;
            }
        }
        let line = colour.stroke_width(px(2.0) as u32);
        let path = within_pixel_columns(step_points(curve, start, x_end), |time| chart.backend_coord(&(time, 0.0)).0);
        chart
            .draw_series(std::iter::once(PathElement::new(path, line)))?
            .label(curve.label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(3)));
        if options.show_censor_ticks {
            let tick = px(5.0);
            let censored = curve
                .risk_time
                .iter()
                .zip(&curve.n_censor)
                .filter(|(time, censored)| **censored > 0 && **time <= x_end)
                .map(|(time, _)| (*time, curve.value_at(*time, start)));
            // One tick per pixel: ticks that would land on the same pixel are drawn once.
            let mut last_pixel = None;
            let censored: Vec<(f64, f64)> = censored
                .filter(|point| {
                    let pixel = chart.backend_coord(point);
                    let new_pixel = last_pixel != Some(pixel);
                    last_pixel = Some(pixel);
                    new_pixel
                })
                .collect();
            chart.draw_series(censored.into_iter().map(|point| {
                EmptyElement::at(point)
                    + PathElement::new(vec![(0, -tick), (0, tick)], colour.stroke_width(px(1.5) as u32))
            }))?;
        }
    }
    // The legend goes where the curves are not: top right above falling curves; for rising
    // curves top left while they stay low, bottom right once one ends above one half.
    let ends_high = figure.curves.iter().any(|curve| curve.value.last().is_some_and(|value| *value > 0.5));
    let legend_position = match (figure.direction, ends_high) {
        (CurveDirection::Falling, _) => SeriesLabelPosition::UpperRight,
        (CurveDirection::Rising, false) => SeriesLabelPosition::UpperLeft,
        (CurveDirection::Rising, true) => SeriesLabelPosition::LowerRight,
    };
    chart
        .configure_series_labels()
        .position(legend_position)
        .label_font(font(13.0))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .draw()?;

    if let Some(p) = options.p_value {
        let text = format!("{} {}", options.p_label, format_p_for_figure(p));
        let (anchor, horizontal) = match (figure.direction, ends_high) {
            (CurveDirection::Falling, _) => ((x_end * 0.04, 0.08), HPos::Left),
            (CurveDirection::Rising, false) => ((x_end * 0.96, 0.92), HPos::Right),
            (CurveDirection::Rising, true) => ((x_end * 0.04, 0.92), HPos::Left),
        };
        let position = chart.backend_coord(&anchor);
        root.draw(&Text::new(
            text,
            position,
            font(14.0).into_text_style(root).pos(Pos::new(horizontal, VPos::Center)),
        ))?;
    }

    if n_rows > 0 {
        // The table shares the chart's x mapping: each count sits under its axis break.
        let (_, table_top) = table_area.get_base_pixel();
        let row_px = px(row_height);
        let label_x = chart.backend_coord(&(0.0, 0.0)).0 - px(26.0); // clear of the counts centred under time 0
        root.draw(&Text::new(
            "Number at risk",
            (px(8.0), table_top + row_px / 2),
            font(13.0).into_text_style(root).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        for (index, curve) in figure.curves.iter().enumerate() {
            let colour = PALETTE[index % PALETTE.len()];
            let y = table_top + row_px * (index as i32 + 1) + row_px / 2;
            let label_style = font(12.0).into_text_style(root).color(&colour).pos(Pos::new(HPos::Right, VPos::Center));
            root.draw(&Text::new(shorten(&curve.label, 16), (label_x, y), label_style))?;
            for time in &breaks {
                let x = chart.backend_coord(&(*time, 0.0)).0;
                let count = number_at_risk(&curve.risk_time, &curve.n_risk, *time);
                let style = font(12.0).into_text_style(root).pos(Pos::new(HPos::Center, VPos::Center));
                root.draw(&Text::new(count.to_string(), (x, y), style))?;
            }
        }
    }
    root.present()?;
    Ok(())
}

/// Pixel sizes scaled by the device pixel ratio, and fonts to match.
fn sizes(options: &FigureOptions) -> (impl Fn(f64) -> i32, impl Fn(f64) -> (&'static str, f64)) {
    let scale = if options.scale > 0.0 && options.scale.is_finite() { options.scale.min(4.0) } else { 1.0 };
    (move |size: f64| (size * scale).round().max(1.0) as i32, move |size: f64| ("sans-serif", size * scale))
}

/// The forest plot: a label column, the intervals on a log axis with a line at 1, and a column
/// of "HR (95% CI)" text.
fn draw_forest<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    figure: &ForestFigure,
    options: &FigureOptions,
) -> DrawResult<DB> {
    let (px, font) = sizes(options);
    root.fill(&WHITE)?;
    let (width, height) = root.dim_in_pixel();
    let estimated: Vec<&ForestRow> =
        figure.rows.iter().filter(|row| row.lower.is_some() && row.upper.is_some()).collect();
    let low = estimated.iter().filter_map(|row| row.lower).fold(1.0_f64, f64::min).max(1e-3);
    let high = estimated.iter().filter_map(|row| row.upper).fold(1.0_f64, f64::max).min(1e3);
    let (x_low, x_high) = ((libm::log(low) - 0.15).min(-0.2), (libm::log(high) + 0.15).max(0.2));
    let n_rows = figure.rows.len().max(1) as f64;

    let left = px(190.0);
    let right_text = px(230.0);
    let chart_area = root.margin(px(34.0), px(50.0), left, right_text);
    let mut chart = ChartBuilder::on(&chart_area).build_cartesian_2d(x_low..x_high, 0.0..n_rows)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_y_axis()
        .x_labels(0)
        .axis_style(BLACK.stroke_width(px(1.0) as u32))
        .draw()?;

    // Log-axis ticks at 1-2-5 steps, drawn where the chart maps them.
    for tick in [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 4.0, 5.0, 10.0, 20.0, 50.0, 100.0] {
        let at = libm::log(tick);
        if at < x_low || at > x_high || tick == 0.25 && x_high - x_low > 4.0 {
            continue;
        }
        let (x, y) = chart.backend_coord(&(at, 0.0));
        root.draw(&PathElement::new(vec![(x, y), (x, y + px(5.0))], BLACK.stroke_width(px(1.0) as u32)))?;
        let style = font(12.0).into_text_style(root).pos(Pos::new(HPos::Center, VPos::Top));
        root.draw(&Text::new(format_number(tick), (x, y + px(8.0)), style))?;
    }
    let (x_one, top) = chart.backend_coord(&(0.0, n_rows));
    let (_, bottom) = chart.backend_coord(&(0.0, 0.0));
    root.draw(&PathElement::new(vec![(x_one, top), (x_one, bottom)], BLACK.mix(0.5).stroke_width(px(1.0) as u32)))?;
    let (x_mid, _) = chart.backend_coord(&((x_low + x_high) / 2.0, 0.0));
    let level = format_number((figure.conf_level * 100.0 * 1e6).round() / 1e6);
    root.draw(&Text::new(
        format!("{} ({level}% CI), log scale", figure.ratio.0),
        (x_mid, bottom + px(28.0)),
        font(13.0).into_text_style(root).pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    let header_style = font(12.0).into_text_style(root).pos(Pos::new(HPos::Left, VPos::Bottom));
    let text_x = width as i32 - right_text + px(10.0);
    root.draw(&Text::new(format!("{} ({level}% CI)", figure.ratio.1), (text_x, top - px(4.0)), header_style.clone()))?;
    root.draw(&Text::new("P", (text_x + px(160.0), top - px(4.0)), header_style))?;

    let colour = PALETTE[0];
    for (index, row) in figure.rows.iter().enumerate() {
        let centre = n_rows - index as f64 - 0.5;
        let (_, y) = chart.backend_coord(&(0.0, centre));
        let label_style = font(12.0).into_text_style(root).pos(Pos::new(HPos::Right, VPos::Center));
        root.draw(&Text::new(shorten(&row.label, 28), (left - px(10.0), y), label_style))?;
        let text = match (row.hr, row.lower, row.upper) {
            (Some(hr), Some(lower), Some(upper)) => {
                let clamp = |value: f64| libm::log(value).clamp(x_low, x_high);
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(clamp(lower), centre), (clamp(upper), centre)],
                    colour.stroke_width(px(2.0) as u32),
                )))?;
                let (x, y) = chart.backend_coord(&(clamp(hr), centre));
                let half = px(5.0);
                root.draw(&Rectangle::new([(x - half, y - half), (x + half, y + half)], colour.filled()))?;
                format!("{} ({}-{})", two_decimals(hr), two_decimals(lower), two_decimals(upper))
            }
            _ => "not estimated".to_string(),
        };
        let text_style = font(12.0).into_text_style(root).pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&Text::new(text, (text_x, y), text_style.clone()))?;
        let p = row.p.map_or(String::new(), |p| if p < 0.001 { "< 0.001".into() } else { format!("{p:.3}") });
        root.draw(&Text::new(p, (text_x + px(160.0), y), text_style))?;
    }
    let _ = height;
    root.present()?;
    Ok(())
}

fn two_decimals(value: f64) -> String {
    format!("{value:.2}")
}

/// The curve as a step function from (0, start) to the end of the axis.
fn step_points(curve: &FigureCurve, start: f64, x_end: f64) -> Vec<(f64, f64)> {
    let mut points = vec![(0.0, start)];
    let mut current = start;
    for (time, value) in curve.time.iter().zip(&curve.value) {
        if *time > x_end {
            break;
        }
        points.push((*time, current));
        points.push((*time, *value));
        current = *value;
    }
    let end = curve.risk_time.iter().chain(&curve.time).copied().filter(|time| *time <= x_end).fold(0.0, f64::max);
    points.push((end, current));
    points
}

/// The points of a path through many steps, keeping of each run of points in one pixel column
/// only the first, the lowest, the highest and the last, in their order: the column's stretch of
/// the path covers the same pixels, so a curve or band of 10^5 steps draws as one of a few hundred.
/// `column` maps a time to its pixel column.
fn within_pixel_columns(points: Vec<(f64, f64)>, column: impl Fn(f64) -> i32) -> Vec<(f64, f64)> {
    let mut kept: Vec<(f64, f64)> = Vec::with_capacity(points.len().min(8192));
    let mut run: Vec<(usize, (f64, f64))> = Vec::new();
    let flush = |run: &mut Vec<(usize, (f64, f64))>, kept: &mut Vec<(f64, f64)>| {
        let (Some(first), Some(last)) = (run.first().copied(), run.last().copied()) else { return };
        let lowest = run.iter().copied().min_by(|a, b| a.1 .1.total_cmp(&b.1 .1)).unwrap_or(first);
        // The first of equal highest points (max_by would take the last).
        let highest = run.iter().copied().min_by(|a, b| b.1 .1.total_cmp(&a.1 .1)).unwrap_or(first);
        let mut chosen = [first, lowest, highest, last];
        chosen.sort_by_key(|(index, _)| *index);
        let mut previous = None;
        for (index, point) in chosen {
            if previous != Some(index) {
                kept.push(point);
            }
            previous = Some(index);
        }
        run.clear();
    };
    let mut run_column = None;
    for (index, point) in points.into_iter().enumerate() {
        let this_column = column(point.0);
        if run_column != Some(this_column) {
            flush(&mut run, &mut kept);
            run_column = Some(this_column);
        }
        run.push((index, point));
    }
    flush(&mut run, &mut kept);
    kept
}

/// Step-shaped polygons between the lower and upper limits, one per stretch where both exist.
/// A polygon's corners, in chart coordinates.
type BandPolygon = Vec<(f64, f64)>;

fn confidence_bands(curve: &FigureCurve, x_end: f64) -> Vec<BandPolygon> {
    let times: Vec<f64> = curve.time.iter().copied().take_while(|time| *time <= x_end).collect();
    let mut bands = Vec::new();
    let (mut upper_edge, mut lower_edge): (BandPolygon, BandPolygon) = (Vec::new(), Vec::new());
    let mut flush = |upper_edge: &mut BandPolygon, lower_edge: &mut BandPolygon| {
        if !upper_edge.is_empty() {
            let mut polygon = std::mem::take(upper_edge);
            polygon.extend(lower_edge.drain(..).rev());
            bands.push(polygon);
        }
    };
    for (index, start) in times.iter().enumerate() {
        let end = times.get(index + 1).copied().unwrap_or(*start);
        match curve.lower[index].zip(curve.upper[index]) {
            Some((lower, upper)) => {
                upper_edge.extend([(*start, upper), (end, upper)]);
                lower_edge.extend([(*start, lower), (end, lower)]);
            }
            None => flush(&mut upper_edge, &mut lower_edge),
        }
    }
    flush(&mut upper_edge, &mut lower_edge);
    bands
}

fn format_p_for_figure(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {}", crate::report::text::significant(Some(p), 2))
    }
}

fn shorten(label: &str, characters: usize) -> String {
    if label.chars().count() <= characters {
        label.to_string()
    } else {
        label.chars().take(characters - 1).chain(std::iter::once('…')).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simon_makuch_numbers_at_risk_count_patients_entering() {
        // Exposed from 0 to 9, and entering at 1 and 3: at the breaks 0, 2 and 4, one, two and
        // three are in the exposed risk set (the steps alone, at 5 and 9, would say 3 at 0).
        let text = "time,status,tx\n9,0,0\n5,1,1\n9,1,3\n";
        let request = crate::analysis::FileRequest::from_json(
            r#"{"analysis":"simon-makuch","time":"time","event":"status","exposure_time":"tx"}"#,
        )
        .unwrap();
        let report = crate::analysis::analyze_text(text, &request).unwrap();
        let Figure::Curves(figure) = Figure::of(&report, None).unwrap() else { panic!() };
        let exposed = &figure.curves[1];
        let counts: Vec<usize> = [0.0, 2.0, 4.0, 6.0]
            .iter()
            .map(|time| number_at_risk(&exposed.risk_time, &exposed.n_risk, *time))
            .collect();
        assert_eq!(counts, vec![1, 2, 3, 2]);
        assert_eq!(exposed.label, "Exposed");
    }

    #[test]
    fn breaks_are_round_numbers() {
        assert_eq!(time_breaks(48.99, None), vec![0.0, 12.0, 24.0, 36.0, 48.0]);
        assert_eq!(time_breaks(1022.0, None), vec![0.0, 200.0, 400.0, 600.0, 800.0, 1000.0]);
        assert_eq!(time_breaks(7.0, None), vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
        assert_eq!(time_breaks(30.0, Some(10.0)), vec![0.0, 10.0, 20.0, 30.0]);
    }

    #[test]
    fn a_column_keeps_its_first_lowest_highest_and_last_point() {
        let points =
            vec![(0.0, 1.0), (0.1, 1.0), (0.1, 0.9), (0.2, 0.9), (0.2, 0.8), (1.0, 0.8), (1.0, 0.5), (2.0, 0.5)];
        let column = |time: f64| (time * 2.0) as i32; // half a time unit per pixel
        assert_eq!(
            within_pixel_columns(points.clone(), column),
            vec![(0.0, 1.0), (0.2, 0.8), (1.0, 0.8), (1.0, 0.5), (2.0, 0.5)]
        );
        // Columns fine enough that every run is at most two points: nothing is dropped.
        assert_eq!(within_pixel_columns(points.clone(), |time: f64| (time * 100.0) as i32), points);
        // A spike inside one column (a band's limit that rises and falls) keeps its height.
        let spike = vec![(0.0, 0.5), (0.1, 0.9), (0.2, 0.4), (0.25, 0.45), (0.3, 0.6)];
        assert_eq!(within_pixel_columns(spike, |_| 0), vec![(0.0, 0.5), (0.1, 0.9), (0.2, 0.4), (0.3, 0.6)]);
    }

    #[test]
    fn steps_start_at_the_start_value() {
        let curve = FigureCurve {
            label: "A".into(),
            time: vec![1.0, 2.0],
            value: vec![0.5, 0.25],
            lower: vec![None, None],
            upper: vec![None, None],
            risk_time: vec![1.0, 2.0],
            n_risk: vec![2, 1],
            n_censor: vec![0, 0],
        };
        let points = step_points(&curve, 1.0, 10.0);
        assert_eq!(points, vec![(0.0, 1.0), (1.0, 1.0), (1.0, 0.5), (2.0, 0.5), (2.0, 0.25), (2.0, 0.25)]);
    }

    #[test]
    fn svg_has_one_curve_path_per_group() {
        let request = crate::FileRequest::from_json(r#"{"analysis":"km","time":"t","event":"e","group":"g"}"#).unwrap();
        let report = crate::analyze_text("t,e,g\n1,1,A\n2,0,A\n3,1,<b>B</b>\n", &request).unwrap();
        let figure = Figure::from_json(&report.to_json()).unwrap();
        let svg = to_svg(&figure, &FigureOptions { p_value: Some(0.0123), ..FigureOptions::default() }).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("&lt;b&gt;B&lt;/b&gt;"), "labels are escaped");
        assert!(svg.contains("Log-rank p = 0.012"));
        assert!(svg.contains("Number at risk"));
    }
}
