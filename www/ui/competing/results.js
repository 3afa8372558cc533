// The competing-risks panel's results: the cumulative incidence of each cause at the chosen times
// with Gray's test (the cause of interest first), and the Fine-Gray model's terms. Every number
// comes from the engine's JSON (`analysis: "cif"`, `"finegray"`).

import { append, clear, el, fillTable } from '../dom.js';
import * as format from '../format.js';
import { groupLabel, unitWord } from '../result_helpers.js';
import { convergenceWarning, renderNotes, renderTermTable } from '../term_table.js';

/** The causes in display order: the cause of interest first. */
function orderedCauses(report, causeOfInterest) {
  const causes = report.causes ?? [];
  const chosen = causes.find((entry) => entry.cause === causeOfInterest);
  return chosen ? [chosen, ...causes.filter((entry) => entry !== chosen)] : causes;
}

/** One cause's block: its heading, Gray's test and the incidence of each group at the chosen times. */
function causeBlock(entry, index, { report, causeOfInterest, causeName, word }) {
  const headingId = `cr-cause-heading-${index}`;
  const block = el('section', { className: 'result-block cause-block', 'data-cause': entry.cause, 'aria-labelledby': headingId });
  block.append(el('h3', { id: headingId },
    causeName(entry.cause), ' ',
    el('span', { className: 'cause-code' }, `(status ${entry.cause}${entry.cause === causeOfInterest ? ', the cause of interest' : ''})`)));
  if (entry.gray) {
    block.append(el('p', { className: 'test-line' },
      `Gray's test: χ² = ${format.statistic(entry.gray.stat)} on ${entry.gray.df} df, `,
      el('strong', { className: 'gray-p' }, format.pValue(entry.gray.p)),
      report.strata ? ` (stratified by ${report.strata})` : '',
      entry.gray.note ? `. ${entry.gray.note}.` : ''));
  }
  const landmarks = entry.groups[0]?.at.map((at) => at.time) ?? [];
  const table = el('table', { className: 'results cif-table' }, el('thead'), el('tbody'));
  fillTable(table,
    ['Group', { text: 'Patients', className: 'num' }, { text: 'Events', className: 'num' },
      ...landmarks.map((time) => (word ? `At ${format.shortNumber(time)} ${word}` : `At t = ${format.shortNumber(time)}`))],
    entry.groups.map((group) => [
      groupLabel(group.group),
      { text: String(group.n), className: 'num' },
      { text: String(group.events), className: 'num' },
      ...group.at.map((at) => ({ text: format.incidenceWithCi(at.cif, at.lower, at.upper, report.conf_level), className: 'landmark' })),
    ]));
  [...table.tBodies[0].rows].forEach((row, rowIndex) => {
    row.dataset.group = groupLabel(entry.groups[rowIndex].group);
  });
  block.append(el('div', { className: 'table-scroll', tabIndex: 0, role: 'region', 'aria-labelledby': headingId }, table));
  return block;
}

/** Every cause's incidence; `unit` is the time axis's unit ("Months"), `causeName(cause)` its label. */
export function renderCauses(ui, report, { causeOfInterest, causeName, unit }) {
  clear(ui.causes);
  ui.dropped.hidden = report.n_dropped === 0;
  ui.dropped.textContent = report.n_dropped === 0 ? ''
    : `${format.count(report.n_dropped, 'row')} with a missing time, status or group ${report.n_dropped === 1 ? 'was' : 'were'} left out.`;
  const context = { report, causeOfInterest, causeName, word: unitWord(unit) };
  orderedCauses(report, causeOfInterest).forEach((entry, index) => ui.causes.append(causeBlock(entry, index, context)));
  ui.footnote.textContent = `Cumulative incidence (Aalen-Johansen, R's cmprsk::cuminc) with ${format.levelLabel(report.conf_level)} `
    + 'confidence intervals (log-log transform). Events: events of that cause. A percentage without an interval: no event of that cause yet.';
}

/** The Fine-Gray model: its patients and events, terms, warnings and footnote. */
export function renderFineGray(ui, report, causeName) {
  clear(ui.fgSummary);
  append(ui.fgSummary,
    `Subdistribution hazards of ${causeName(report.cause)} (status ${report.cause}): `,
    el('span', { id: 'fg-n' }, `${format.count(report.n, 'patient')}, ${format.count(report.events, 'event')} of this cause`),
    `, ${report.competing} competing, ${report.censored} censored`,
    report.n_dropped > 0 ? `; ${format.count(report.n_dropped, 'row')} with missing values left out` : '', '.');
  const general = renderTermTable(ui.fgTable, { ratioName: 'SHR', confLevel: report.conf_level, terms: report.terms, warnings: report.warnings });
  renderNotes(ui.fgNotes, [...general, ...convergenceWarning(report)]);
  ui.fgFootnote.textContent = `SHR: subdistribution hazard ratio (Fine-Gray model, R's cmprsk::crr), with ${format.levelLabel(report.conf_level)} `
    + 'confidence interval and P from the robust (sandwich) variance. Patients with a competing event stay in the risk set.';
}
