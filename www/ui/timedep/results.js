// The time-dependent exposure panel's results: the Simon-Makuch table (patients, events and S(t)
// at each chosen time, per exposure state), the Mantel-Byar test (χ², df, P, observed and
// expected events per state) and the landmark analysis (Kaplan-Meier and log-rank by exposure at
// the landmark, with what it left out). Every number goes through ../format.js.

import { append, clear, el, fillTable } from '../dom.js';
import * as format from '../format.js';
import { analysisNotices, groupCell, mergedTimesNote, unitWord } from '../result_helpers.js';
import { renderKm, renderLogRank } from '../survival/results.js';

/** @typedef {import('../../../schema/survkit.d.ts').SimonMakuchReport} SimonMakuchReport */
/** @typedef {import('../../../schema/survkit.d.ts').MantelByarReport} MantelByarReport */
/** @typedef {import('../../../schema/survkit.d.ts').RiskSet} RiskSet */

/** A state's label as the figure's legend names it: "Before transplant" (or never), "After transplant". */
export function stateLabel(state, exposure) {
  if (state === 'exposed') return `After ${exposure}`;
  if (state === 'unexposed') return `Before ${exposure}`;
  return state;
}

/** The exposure's name in a Simon-Makuch report: the request's, else the column's. @param {SimonMakuchReport} report */
export function exposureOf(report) {
  return report.exposure_name || report.exposure_time;
}

/**
 * The number in the risk set at `time` (entry < time <= exit), read from a state's `risk_set` by
 * R's rule (the first change at or after the time), as the figure reads it.
 * @param {RiskSet} riskSet
 */
function inRiskSet(riskSet, time) {
  const index = riskSet.time.findIndex((change) => change >= time);
  return index < 0 ? 0 : riskSet.n_risk[index];
}

/**
 * The Simon-Makuch table: patients with time in each state, events and S(t) at each chosen time.
 * @param {SimonMakuchReport} report
 */
export function renderSimonMakuch(table, footnote, report, unit, summary = null) {
  const level = format.levelLabel(report.conf_level);
  const word = unitWord(unit);
  const exposure = exposureOf(report);
  const times = report.states[0]?.at.map((at) => at.time) ?? [];
  fillTable(table,
    ['State', { text: 'Patients', className: 'num' }, { text: 'Events', className: 'num' },
      ...times.map((time) => (word ? `Survival at ${format.shortNumber(time)} ${word}` : `Survival at t = ${format.shortNumber(time)}`))],
    report.states.map((state, index) => [
      groupCell(stateLabel(state.state, exposure), index),
      { text: String(state.n), className: 'num' },
      { text: String(state.events), className: 'num' },
      ...state.at.map((at) => ({
        text: format.survivalWithCi(at.surv, at.lower, at.upper, report.conf_level),
        className: 'landmark',
        title: `${inRiskSet(state.risk_set, at.time)} in the risk set`,
      })),
    ]));
  for (const [index, row] of [...table.tBodies[0].rows].entries()) row.dataset.state = report.states[index].state;
  clear(footnote);
  append(footnote,
    `${format.count(report.n, 'patient')}, ${format.count(report.n_exposed, 'patient')} exposed (${exposure}) during follow-up; `,
    `"Before ${exposure}" holds each patient's time until the exposure, or all of it when never exposed; `,
    'a patient exposed during follow-up counts in both states. ',
    `Kaplan-Meier estimates with delayed entry (R's survfit(Surv(tstart, tstop, event) ~ exposed) on tmerge-split data), `,
    `${level} confidence intervals on the ${report.conf_type} scale.`,
    mergedTimesNote(report.merged_times),
    ...analysisNotices(report, summary));
}

/**
 * The Mantel-Byar line and its table of observed and expected events per state.
 * @param {MantelByarReport} report
 */
export function renderMantelByar(line, table, footnote, report, summary = null) {
  clear(line);
  append(line,
    `χ² = ${format.statistic(report.chisq)} on ${report.df} degree${report.df === 1 ? '' : 's'} of freedom, `,
    el('strong', { id: 'td-mb-p' }, format.pValue(report.p)),
    report.chisq === null || report.chisq === undefined ? ': nobody exposed, or nobody unexposed, was at risk at an event time' : '',
    mergedTimesNote(report.merged_times));
  fillTable(table,
    ['State', { text: 'Patients', className: 'num' }, { text: 'Observed events', className: 'num' },
      { text: 'Expected events', className: 'num' }, { text: 'O/E', className: 'num' }],
    report.states.map((state, index) => [
      groupCell(stateLabel(state.state, report.exposure), index),
      { text: String(state.n), className: 'num' },
      { text: String(state.observed), className: 'num' },
      { text: format.fixed(state.expected, 1), className: 'num' },
      { text: state.expected > 0 ? format.fixed(state.observed / state.expected, 2) : 'NE', className: 'num' },
    ]));
  for (const [index, row] of [...table.tBodies[0].rows].entries()) row.dataset.state = report.states[index].state;
  clear(footnote);
  append(footnote,
    `${format.count(report.n, 'patient')}. The log-rank test with membership changing at the exposure `,
    '(Mantel & Byar 1974), the score test of coxph(Surv(tstart, tstop, event) ~ exposed, ties = "exact") on the split data.',
    ...analysisNotices(report, summary));
}

/**
 * A landmark group's label: "Transplant before 3 months" (exposed by the landmark) or "No
 * transplant before 3 months".
 * @param {import('../../../schema/survkit.d.ts').LandmarkSelection} landmark
 */
export function landmarkGroupLabel(group, landmark, unit) {
  const exposure = landmark.exposure_name || landmark.exposure_time;
  const when = `before ${format.shortNumber(landmark.landmark)}${unitWord(unit) ? ` ${unitWord(unit)}` : ''}`;
  if (group === 'exposed') return `${exposure[0].toUpperCase()}${exposure.slice(1)} ${when}`;
  if (group === 'unexposed') return `No ${exposure} ${when}`;
  return group;
}

/**
 * What the landmark kept and left out, in words: "Landmark at 3 months: 115 of 122 patients still
 * at risk, followed from it; 7 left out (2 with the event, 5 censored at or before it). 38 exposed
 * (transplant) before it, 77 not."
 * @param {import('../../../schema/survkit.d.ts').LandmarkSelection} landmark
 */
export function landmarkNote(landmark, unit) {
  const word = unitWord(unit);
  const at = `${format.shortNumber(landmark.landmark)}${word ? ` ${word}` : ''}`;
  const left = landmark.n_before - landmark.n_kept;
  const exposure = landmark.exposure_name || landmark.exposure_time;
  return `Landmark at ${at}: ${landmark.n_kept} of ${format.count(landmark.n_before, 'patient')} still at risk then, followed from it; `
    + `${left} left out (${landmark.n_excluded_event} with the event and ${landmark.n_excluded_censored} censored at or before it). `
    + (exposure ? `By ${exposure} before the landmark: ${landmark.n_exposed} exposed, ${landmark.n_kept - landmark.n_exposed} not. ` : '')
    + 'Times in this table are counted from the landmark.';
}

/**
 * The landmark analysis: its note, the Kaplan-Meier table by exposure at the landmark, and the
 * log-rank test (when it ran).
 */
export function renderLandmark(parts, { km, logrank }, unit, summary = null) {
  const label = (group) => landmarkGroupLabel(group, km.landmark, unit);
  parts.note.textContent = landmarkNote(km.landmark, unit);
  renderKm(parts.table, parts.footnote, km, unit, summary, { label, since: ' after the landmark' });
  parts.line.hidden = !logrank;
  parts.groups.hidden = !logrank;
  if (logrank) renderLogRank({ line: parts.line, groupsTable: parts.groups }, logrank, { pId: 'td-lm-p', label });
}
