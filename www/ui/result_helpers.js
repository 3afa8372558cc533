// What the panels' results share: the groups' colours and labels (a table row matches its curve)
// and the notes the engine's reports carry (R's timefix rule, how the file was read).

import { el } from './dom.js';
import * as format from './format.js';

/** The figure's colours (Okabe-Ito, as src/plot.rs's PALETTE), so a table row matches its curve. */
export const GROUP_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#787878', '#000000'];

export function groupLabel(group) {
  return group === null || group === undefined ? 'All patients' : group;
}

/** A small square in the colour of the `index`th curve. */
export function swatch(index) {
  return el('span', { className: 'swatch', 'aria-hidden': 'true', style: `background:${GROUP_COLOURS[index % GROUP_COLOURS.length]}` });
}

/** A table cell naming a group, with its curve's colour. */
export function groupCell(group, index, withSwatch = true) {
  return { node: el('span', { className: 'group-name' }, withSwatch ? swatch(index) : null, groupLabel(group)) };
}

/** "months" from "Months"; empty for the generic "Time". */
export function unitWord(unit) {
  return unit && unit !== 'Time' ? unit.toLowerCase() : '';
}

/** A report's notices that the data card does not already show (those about the analysis). */
export function analysisNotices(report, summary) {
  const shown = new Set(summary?.notices ?? []);
  return (report.notices ?? []).filter((notice) => !shown.has(notice)).map((notice) => ` Note: ${notice}.`);
}

/** The sentence saying R's timefix rule merged near-equal times, or nothing. */
export function mergedTimesNote(merged) {
  if (!merged) return '';
  return ` ${format.count(merged.rows, 'time')} within ${merged.tolerance.toExponential(1)} of a smaller time `
    + '(absolute or relative) counted as equal to it, as R\'s timefix = TRUE does.';
}
