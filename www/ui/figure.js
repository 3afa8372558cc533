// The figures (Kaplan-Meier and cumulative incidence curves, forest plots): drawn by the engine
// (src/plot.rs) onto the page's canvas, or written as SVG or PNG for download. This module only
// turns the controls into FigureOptions, sizes the canvas for the screen, and describes the
// Kaplan-Meier figure in words for screen readers.

import { drawFigure, figureSvg } from '../engine.js';
import { download } from './dom.js';
import * as format from './format.js';
import { groupLabel } from './results.js';

const AT_RISK_ROW = 18; // CSS px per row of the number-at-risk table, as src/plot.rs lays it out
const EXPORT_SCALE = 3; // PNG exports at three times the screen size: 2400 px wide at the default width

/** FigureOptions (src/plot.rs) from the figure controls. */
export function figureOptions(form, { width, groups, pValue }) {
  const value = (name) => form.elements[name].value.trim();
  const checked = (name) => form.elements[name].checked;
  const positive = (name) => {
    const number = Number(value(name));
    return value(name) !== '' && Number.isFinite(number) && number > 0 ? number : null;
  };
  const showAtRisk = checked('show_at_risk');
  const plotHeight = Math.round(width * 0.6);
  const tableHeight = showAtRisk ? Math.ceil(AT_RISK_ROW * (groups + 1.6)) : 0;
  return {
    width,
    height: plotHeight + tableHeight,
    scale: 1,
    title: value('title') || null,
    x_label: value('x_label') || 'Time',
    y_label: value('y_label') || 'Survival probability',
    show_ci: checked('show_ci'),
    show_censor_ticks: checked('show_censor_ticks'),
    show_at_risk: showAtRisk,
    p_value: checked('show_p') && groups > 1 && pValue !== null && pValue !== undefined ? pValue : null,
    p_label: 'Log-rank',
    break_every: positive('break_every'),
    x_max: positive('x_max'),
    percent: checked('percent'),
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
export async function drawOnCanvas(canvas, km, options) {
  const scale = Math.min(Math.max(window.devicePixelRatio || 1, 1), 4);
  canvas.style.width = `${options.width}px`;
  canvas.style.height = `${options.height}px`;
  return drawFigure(canvas, km, { ...options, scale });
}

/** A sentence for the canvas's aria-label. */
export function describe(km, logrank, unit) {
  const decimals = format.timeDecimalsOf(km);
  const word = unit && unit !== 'Time' ? ` ${unit.toLowerCase()}` : '';
  const curves = km.groups.map((group) => {
    const median = group.median.estimate === null ? 'median not reached' : `median ${format.time(group.median.estimate, decimals)}${word}`;
    return `${groupLabel(group.group)}: ${group.n} patients, ${group.events} events, ${median}`;
  });
  const kind = km.groups.length > 1 ? `${km.groups.length} Kaplan-Meier survival curves` : 'A Kaplan-Meier survival curve';
  const test = logrank && km.groups.length > 1 ? ` Log-rank ${format.pValue(logrank.p)}.` : '';
  return `${kind}. ${curves.join('; ')}.${test} The figure's numbers are in the table below it.`;
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

/** Writes the figure as SVG and downloads it as `<stem>-<name>.svg`. */
export async function exportSvg(report, options, stem, name = 'kaplan-meier') {
  const answer = await figureSvg(report, { ...options, scale: 1 });
  if (answer.error) return answer.error.message;
  download(new Blob([answer.svg], { type: 'image/svg+xml' }), `${stem}-${name}.svg`);
  return null;
}

