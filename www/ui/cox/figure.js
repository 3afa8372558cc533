// The Cox panel's figure: the forest plot of the model's hazard ratios (or of every model of the
// univariate screen), drawn by the engine from the `cox` report, and its PNG and SVG downloads.

import * as figures from '../figure.js';
import * as format from '../format.js';

/** The terms a report's forest plot shows. */
function forestTerms(report) {
  return report.univariate ? report.models.flatMap((model) => model.terms ?? []) : report.terms;
}

/** The forest plot's size: the canvas's width, one row per term. */
function forestOptions(ui, report) {
  return {
    width: figures.figureWidth(ui.canvas.parentElement, { min: 640 }),
    height: figures.forestHeight(forestTerms(report).length),
    scale: 1,
  };
}

/** Whether the forest plot should be drawn again for the canvas's new width. */
export function forestWidthChanged(ui, drawnWidth) {
  return figures.figureWidth(ui.canvas.parentElement, { min: 640 }) !== drawnWidth;
}

/**
 * Draws the forest plot of `report`, with its caption and a description for screen readers;
 * returns the width drawn and the engine's error, if any.
 */
export async function drawForest(ui, report, { confLevel, isExample }) {
  const options = forestOptions(ui, report);
  const failure = await figures.drawOnCanvas(ui.canvas, report, options);
  if (failure) return { width: options.width, failure };
  const estimated = forestTerms(report).filter((term) => term.hr !== null).length;
  ui.canvas.setAttribute('aria-label',
    `Forest plot of ${format.count(estimated, 'hazard ratio')} with confidence intervals on a log scale`
    + `${report.univariate ? ', one model per covariate' : ''}. The numbers are in the table above.`);
  ui.caption.textContent = `${report.univariate ? 'Univariate screen' : 'Multivariable model'}: hazard ratios `
    + `(squares) with ${format.levelLabel(confLevel)} confidence intervals; the vertical line marks HR = 1.`
    + `${isExample ? ' Simulated example data, not real patients.' : ''}`;
  return { width: options.width, failure: null };
}

/** Downloads the forest plot as a PNG or an SVG. */
export function exportForest(ui, report, kind, stem) {
  const name = report.univariate ? 'forest-univariate' : 'forest';
  return figures.exportFigure(ui.exportStatus, kind, report, forestOptions(ui, report), stem, name);
}
