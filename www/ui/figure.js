// What the panels' figures share (Kaplan-Meier and cumulative incidence curves, forest plots): the
// engine (src/plot.rs) draws them onto the page's canvas, or writes them as SVG or PNG for
// download. This module only reads and sets a figure form's settings (the study's FigureSettings),
// turns settings into FigureOptions, and sizes the canvas for the screen.

import { drawFigure, figureSvg } from '../engine.js';
import { download } from './dom.js';
import { debounce } from './panel_helpers.js';

/** @typedef {import('../../schema/survkit.d.ts').FigureSettings} FigureSettings */
/** @typedef {import('../engine.js').FigureOptions} FigureOptions */

const AT_RISK_ROW = 18; // CSS px per row of the number-at-risk table, as src/plot.rs lays it out
const EXPORT_SCALE = 3; // PNG exports at three times the screen size: 2400 px wide at the default width

const CHECKS = { show_ci: false, show_censor_ticks: true, show_at_risk: true, show_p: true, percent: false };
const NUMBERS = ['break_every', 'x_max'];
const TEXTS = ['title', 'x_label', 'y_label'];

/**
 * The settings chosen in a figure form, by the controls' names; a setting the form has no control
 * for takes src/plot.rs's default. A number box holds a positive number or nothing (null).
 * @param {HTMLFormElement} form
 * @returns {FigureSettings}
 */
export function readFigureSettings(form) {
  const control = (name) => form.elements.namedItem(name);
  const text = (name) => control(name)?.value.trim() ?? '';
  const checked = (name) => (control(name) ? control(name).checked : CHECKS[name]);
  const positive = (name) => {
    const number = Number(text(name));
    return text(name) !== '' && Number.isFinite(number) && number > 0 ? number : null;
  };
  return {
    title: text('title') || null,
    x_label: text('x_label') || 'Time',
    y_label: text('y_label') || 'Survival probability',
    show_ci: checked('show_ci'),
    show_censor_ticks: checked('show_censor_ticks'),
    show_at_risk: checked('show_at_risk'),
    show_p: checked('show_p'),
    break_every: positive('break_every'),
    x_max: positive('x_max'),
    cause: null,
    percent: checked('percent'),
  };
}

/**
 * Sets a figure form's controls from settings (a study's); settings it has no control for, and
 * controls the settings do not name, are left alone.
 * @param {HTMLFormElement} form
 * @param {Partial<FigureSettings>} settings
 */
export function writeFigureSettings(form, settings) {
  for (const [name, value] of Object.entries(settings ?? {})) {
    const control = form.elements.namedItem(name);
    if (!control || value === undefined) continue;
    if (name in CHECKS) control.checked = Boolean(value);
    else if (NUMBERS.includes(name) || TEXTS.includes(name)) control.value = value === null ? '' : String(value);
  }
}

/**
 * A panel's figure: drawn by the engine onto the panel's canvas from the report on the screen,
 * again when its form changes or the window's width does, downloaded as PNG or SVG; its settings
 * for a study, set from a study's (the time axis label then stays as written), and the time axis
 * label following the time column's unit until the user types one.
 *
 * `ui` holds the figure's `figureForm`, `xLabel`, `canvas`, `exportPng`, `exportSvg` and
 * `exportStatus`. `current()` is what the results show (or null), `report(shown)` the report drawn,
 * `options(settings, width, shown)` its FigureOptions, `drawn(shown)` says what was drawn (the
 * canvas's aria-label, the caption), `name` names the downloads (`<stem>-<name>.png`), `stem()`
 * gives their stem and `onFailure(error)` is told when the engine cannot draw.
 */
export function createFigureCard(ui, { current, report, options, drawn, name, stem, onFailure }) {
  const { figureForm: form, xLabel } = ui;
  let drawnWidth = 0;
  const width = () => figureWidth(ui.canvas.parentElement);
  const optionsFor = (shown) => options(readFigureSettings(form), width(), shown);

  async function draw() {
    const shown = current();
    if (!shown) return;
    const drawing = optionsFor(shown);
    drawnWidth = drawing.width;
    const failure = await drawOnCanvas(ui.canvas, report(shown), drawing);
    if (failure) onFailure(failure);
    else drawn(shown);
  }

  form.addEventListener('submit', (event) => event.preventDefault());
  form.addEventListener('change', () => draw());
  xLabel.addEventListener('input', () => {
    xLabel.dataset.auto = 'false';
  });
  const exportAs = (kind) => {
    const shown = current();
    if (shown) exportFigure(ui.exportStatus, kind, report(shown), optionsFor(shown), stem(), name);
  };
  ui.exportPng.addEventListener('click', () => exportAs('png'));
  ui.exportSvg.addEventListener('click', () => exportAs('svg'));
  window.addEventListener('resize', debounce(() => {
    if (current() && width() !== drawnWidth) draw();
  }, 150));

  return {
    draw,
    /** The figure's settings, for a study. @returns {FigureSettings} */
    settings: () => readFigureSettings(form),
    /** Sets the figure form from a study's settings. @param {Partial<FigureSettings>} given */
    apply(given) {
      writeFigureSettings(form, given);
      if (given?.x_label) xLabel.dataset.auto = 'false';
    },
    followUnit(unit) {
      if (!xLabel.value || xLabel.dataset.auto !== 'false') {
        xLabel.value = unit;
        xLabel.dataset.auto = 'true';
      }
    },
  };
}

/**
 * FigureOptions for the engine from a figure's settings: its width in CSS px, a plot `aspect`
 * times as high as wide, the number-at-risk table under it for `groups` curves, and the test's
 * p-value printed when `show_p` is on and there is something to compare.
 * @param {FigureSettings} settings
 * @returns {FigureOptions}
 */
export function figureOptions(settings, { width, groups, pValue, pLabel, aspect = 0.6 }) {
  const { show_p: showP, ...look } = settings;
  const tableHeight = look.show_at_risk ? Math.ceil(AT_RISK_ROW * (groups + 1.6)) : 0;
  return {
    ...look,
    width,
    height: Math.round(width * aspect) + tableHeight,
    scale: 1,
    p_value: showP && groups > 1 && pValue !== null && pValue !== undefined ? pValue : null,
    p_label: pLabel,
  };
}

/** The figure's width in CSS px for a container: its width, between `min` (360) and `max` (880). */
export function figureWidth(container, { min = 360, max = 880 } = {}) {
  return Math.round(Math.max(min, Math.min(max, container.clientWidth || 800)));
}

/** The height of a forest plot with `rows` terms: src/plot.rs's margins and 32 CSS px per row. */
export function forestHeight(rows) {
  return 84 + 32 * Math.max(rows, 1);
}

/** Draws the figure crisply: the canvas is width x height CSS px and width x height x dpr pixels. */
export async function drawOnCanvas(canvas, report, options) {
  const scale = Math.min(Math.max(window.devicePixelRatio || 1, 1), 4);
  canvas.style.width = `${options.width}px`;
  canvas.style.height = `${options.height}px`;
  return drawFigure(canvas, report, { ...options, scale });
}

/** A safe file name stem from the loaded file's name: "lung data.csv" -> "lung_data". */
export function fileStem(name) {
  const stem = (name || 'survkit').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  return stem.slice(0, 80) || 'survkit';
}

/**
 * Draws the figure of a result off screen at print resolution and downloads it as
 * `<stem>-<name>.png`; returns null, or why it could not.
 */
export async function exportPng(report, options, stem, name = 'kaplan-meier') {
  const canvas = document.createElement('canvas');
  const failure = await drawFigure(canvas, report, { ...options, scale: EXPORT_SCALE });
  if (failure) return failure.error.message;
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) return 'the browser could not encode the PNG';
  download(blob, `${stem}-${name}.png`);
  return null;
}

/** Writes the figure as SVG and downloads it as `<stem>-<name>.svg`; returns null, or why it could not. */
export async function exportSvg(report, options, stem, name = 'kaplan-meier') {
  const answer = await figureSvg(report, { ...options, scale: 1 });
  if (answer.error) return answer.error.message;
  download(new Blob([answer.svg], { type: 'image/svg+xml' }), `${stem}-${name}.svg`);
  return null;
}

/** Exports a figure as `kind` ('png' or 'svg'), saying in `statusLine` how it went. */
export async function exportFigure(statusLine, kind, report, options, stem, name) {
  const upper = kind.toUpperCase();
  statusLine.textContent = `Writing the ${upper}…`;
  const failure = kind === 'png' ? await exportPng(report, options, stem, name) : await exportSvg(report, options, stem, name);
  statusLine.textContent = failure ? `The ${upper} could not be written: ${failure}` : `${upper} saved.`;
}
