// The competing-risks panel's figures: the cumulative incidence of the cause of interest by group,
// and its competitor beside it when asked, drawn by the engine from the `cif` report and the figure
// form's settings; their descriptions for screen readers, and their PNG and SVG downloads.

import * as figures from '../figure.js';
import * as format from '../format.js';
import { timeUnit } from '../guess.js';
import { groupLabel } from '../result_helpers.js';

/** @typedef {import('../../../schema/survkit.d.ts').FigureSettings} FigureSettings */

/**
 * The figure form's settings for the figure of `cause`, its axis named with the cause's name.
 * @returns {FigureSettings}
 */
export function incidenceFigureSettings(ui, cause, causeName) {
  return { ...figures.readFigureSettings(ui.figureForm), y_label: `Cumulative incidence of ${causeName(cause)}`, cause };
}

/** Sets the figure form from a study's settings; the time axis label then stays as written. */
export function applyIncidenceFigureSettings(ui, settings) {
  figures.writeFigureSettings(ui.figureForm, settings);
  if (settings?.x_label) ui.xLabel.dataset.auto = 'false';
}

/** The time axis label follows the time column's unit until the user types one. */
export function followTime(ui) {
  if (!ui.xLabel.value || ui.xLabel.dataset.auto !== 'false') {
    ui.xLabel.value = timeUnit(ui.time.value).label;
    ui.xLabel.dataset.auto = 'true';
  }
}

function sideBySide(ui) {
  return ui.figureForm.elements.side_by_side.checked && !ui.competitor.disabled && ui.competitor.value !== '';
}

function figureWidth(ui, pair) {
  if (!pair) return figures.figureWidth(ui.figures);
  // Two canvases (and their 1 px borders) and the 16 px gap in one row.
  const available = ui.figures.clientWidth || 900;
  return Math.max(320, Math.min(880, Math.floor((available - 16) / 2) - 4));
}

/** The figures shown: the cause of interest, and the competitor when side by side, each with its options. */
function shownFigures(ui, report, causeName) {
  const pair = sideBySide(ui);
  const width = figureWidth(ui, pair);
  const shown = [{ cause: ui.cause.value, canvas: ui.canvas, caption: ui.caption }];
  if (pair) shown.push({ cause: ui.competitor.value, canvas: ui.competitorCanvas, caption: ui.competitorCaption });
  return shown.map((figure) => {
    const entry = report.causes.find((candidate) => candidate.cause === figure.cause);
    const options = figures.figureOptions(incidenceFigureSettings(ui, figure.cause, causeName), {
      width,
      groups: entry?.groups.length ?? 1,
      pValue: entry?.gray?.p,
      pLabel: "Gray's test",
      aspect: pair ? 0.72 : 0.6,
    });
    return { ...figure, entry, options };
  });
}

/** The width the first figure would have now, to redraw when the window is resized. */
export function incidenceFigureWidth(ui) {
  return figureWidth(ui, sideBySide(ui));
}

/**
 * Draws the figures of `report`, with captions and descriptions; returns the width drawn and the
 * engine's errors.
 */
export async function drawIncidenceFigures(ui, report, { causeName, isExample }) {
  const pair = sideBySide(ui);
  ui.figures.classList.toggle('side-by-side', pair);
  ui.competitorFigure.hidden = !pair;
  const shown = shownFigures(ui, report, causeName);
  const failures = [];
  for (const { cause, canvas, caption, options, entry } of shown) {
    const failure = await figures.drawOnCanvas(canvas, report, options);
    if (failure) {
      failures.push(failure);
      continue;
    }
    const groups = entry?.groups.map((group) => `${groupLabel(group.group)} (${group.events} events)`) ?? [];
    const test = options.p_value !== null ? ` Gray's test ${format.pValue(options.p_value)}.` : '';
    canvas.setAttribute('aria-label',
      `Cumulative incidence of ${causeName(cause)}: ${groups.length} curve${groups.length === 1 ? '' : 's'}, ${groups.join('; ')}.${test} `
      + 'The numbers at the chosen times are in the tables above.');
    caption.textContent = `Cumulative incidence of ${causeName(cause)} (status ${cause})`
      + `${isExample ? ', simulated example cohort (not real patients).' : '.'}`;
  }
  return { width: shown[0].options.width, failures };
}

/** Downloads figure `which` (0: the cause of interest, 1: its competitor) as a PNG or an SVG. */
export function exportIncidenceFigure(ui, report, { which, kind, stem, causeName }) {
  const figure = shownFigures(ui, report, causeName)[which];
  if (!figure) return null;
  const name = `cumulative-incidence-cause-${figures.fileStem(figure.cause)}`;
  return figures.exportFigure(ui.exportStatus, kind, report, figure.options, stem, name);
}
