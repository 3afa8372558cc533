// The result tables: the file preview, Kaplan-Meier estimates, the log-rank test, median follow-up
// and the figure's numbers as tables. Every number goes through ./format.js.

import { append, clear, el, fillTable } from './dom.js';
import * as format from './format.js';
import { mostlyNumbers } from './guess.js';

/** The figure's colours (Okabe-Ito, as src/plot.rs's PALETTE), so a table row matches its curve. */
export const GROUP_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#787878', '#000000'];

export function groupLabel(group) {
  return group === null || group === undefined ? 'All patients' : group;
}

function swatch(index) {
  return el('span', { className: 'swatch', 'aria-hidden': 'true', style: `background:${GROUP_COLOURS[index % GROUP_COLOURS.length]}` });
}

function groupCell(group, index, withSwatch = true) {
  return { node: el('span', { className: 'group-name' }, withSwatch ? swatch(index) : null, groupLabel(group)) };
}

/** "months" from "Months"; empty for the generic "Time". */
function unitWord(unit) {
  return unit && unit !== 'Time' ? unit.toLowerCase() : '';
}

/** The preview of the first rows, each column's detected type, and warnings about columns. */
export function renderPreview(table, warningsList, summary) {
  const header = summary.columns.map((column) => ({
    node: el('span', { className: 'column-head' },
      el('span', { className: 'column-name' }, column.name),
      el('span', { className: `column-kind kind-${column.kind}` }, column.kind)),
  }));
  const head = table.tHead;
  const body = table.tBodies[0];
  clear(head).append(el('tr', {}, header.map((cell) => el('th', { scope: 'col' }, cell.node))));
  clear(body);
  for (const row of summary.preview) {
    body.append(el('tr', {}, row.map((value) => el('td', {}, value))));
  }
  clear(warningsList);
  for (const notice of summary.notices ?? []) {
    warningsList.append(el('li', { className: 'notice' }, `How the file was read: ${notice}.`));
  }
  for (const column of summary.columns) {
    if (mostlyNumbers(column, summary.n_rows)) {
      const text = summary.n_rows - column.n_missing - column.numeric_cells;
      warningsList.append(el('li', {},
        el('strong', {}, column.name),
        ` is read as text, but ${format.count(column.numeric_cells, 'cell')} of it are numbers and ${format.count(text, 'cell')} are not. `,
        'If it should be numeric, look for a typo, a decimal comma (File options) or a missing-value code such as "unknown" (add it under File options).'));
    }
  }
  warningsList.hidden = warningsList.childElementCount === 0;
}

/** The Kaplan-Meier table: patients, events, median and S(t) at each landmark, per group. */
/** A report's notices that the data card does not already show (those about the analysis). */
export function analysisNotices(report, summary) {
  const shown = new Set(summary?.notices ?? []);
  return (report.notices ?? []).filter((notice) => !shown.has(notice)).map((notice) => ` Note: ${notice}.`);
}

export function renderKm(table, footnote, km, unit, summary = null) {
  const decimals = format.timeDecimalsOf(km);
  const level = format.levelLabel(km.conf_level);
  const word = unitWord(unit);
  const landmarks = km.groups[0]?.at.map((at) => at.time) ?? [];
  const header = [
    'Group',
    { text: 'Patients', className: 'num' },
    { text: 'Events', className: 'num' },
    `Median${word ? `, ${word}` : ' time'} (${level} CI)`,
    ...landmarks.map((time) => (word ? `Survival at ${format.shortNumber(time)} ${word}` : `Survival at t = ${format.shortNumber(time)}`)),
  ];
  const rows = km.groups.map((group, index) => [
    groupCell(group.group, index),
    { text: String(group.n), className: 'num' },
    { text: String(group.events), className: 'num' },
    { text: format.median(group.median, decimals), className: 'median' },
    ...group.at.map((at) => ({
      text: format.survivalWithCi(at.surv, at.lower, at.upper, km.conf_level),
      className: 'landmark',
      title: `${at.n_risk} at risk`,
    })),
  ]);
  fillTable(table, header, rows);
  for (const [index, row] of [...table.tBodies[0].rows].entries()) {
    row.dataset.group = groupLabel(km.groups[index].group);
  }
  clear(footnote);
  append(footnote,
    `Kaplan-Meier estimates with ${level} confidence intervals on the ${km.conf_type} scale (R's survfit, conf.type = "${km.conf_type}"). `,
    'NR: not reached. NE: not estimable (no patient left at risk).',
    mergedTimesNote(km.merged_times),
    ...analysisNotices(km, summary));
}

/** The sentence saying R's timefix rule merged near-equal times, or nothing. */
export function mergedTimesNote(merged) {
  if (!merged) return '';
  return ` ${format.count(merged.rows, 'time')} within ${merged.tolerance.toExponential(1)} of a smaller time `
    + '(absolute or relative) counted as equal to it, as R\'s timefix = TRUE does.';
}

/** The log-rank line, observed and expected events per group, and the pairwise table. */
export function renderLogRank(parts, logrank) {
  const { line, groupsTable, pairwiseWrap, pairwiseTable } = parts;
  clear(line);
  append(line,
    `χ² = ${format.statistic(logrank.chisq)} on ${logrank.df} degree${logrank.df === 1 ? '' : 's'} of freedom, `,
    el('strong', { id: 'logrank-p' }, format.pValue(logrank.p)),
    logrank.strata ? ` (stratified by ${logrank.strata})` : '',
    logrank.df === 0 ? '. Nothing to test: fewer than two groups have expected events, so χ² is 0 and P is 1, as R\'s survdiff gives' : '',
    mergedTimesNote(logrank.merged_times));
  fillTable(groupsTable,
    ['Group', { text: 'Patients', className: 'num' }, { text: 'Observed events', className: 'num' },
      { text: 'Expected events', className: 'num' }, { text: 'O/E', className: 'num' }],
    logrank.groups.map((group, index) => [
      groupCell(group.group, index),
      { text: String(group.n), className: 'num' },
      { text: String(group.observed), className: 'num' },
      { text: format.fixed(group.expected, 1), className: 'num' },
      { text: group.expected > 0 ? format.fixed(group.observed / group.expected, 2) : 'NE', className: 'num' },
    ]));
  const pairs = logrank.pairwise ?? [];
  pairwiseWrap.hidden = pairs.length < 2;
  if (pairs.length >= 2) {
    const adjusted = logrank.adjust !== 'none';
    const adjustName = { holm: 'Holm', bonferroni: 'Bonferroni', bh: 'Benjamini-Hochberg' }[logrank.adjust] ?? logrank.adjust;
    fillTable(pairwiseTable,
      ['Comparison', { text: 'χ²', className: 'num' }, 'P', ...(adjusted ? [`P, ${adjustName}-adjusted`] : [])],
      pairs.map((pair) => [
        { node: el('span', {}, pair.group_a, el('span', { className: 'versus' }, ' vs '), pair.group_b) },
        {
          text: pair.df === 0 ? '0 (nothing to test)' : format.statistic(pair.chisq),
          className: 'num',
          title: pair.df === 0 ? 'Only one of the two groups has expected events: χ² 0 on 0 df, P = 1, as survdiff gives; the pair counts in the adjustment' : '',
        },
        format.pValue(pair.p),
        ...(adjusted ? [format.pValue(pair.p_adjusted)] : []),
      ]));
  }
}

/** Median follow-up, overall and per group. */
export function renderFollowUp(line, table, wrap, followup, unit, decimals, confLevel) {
  const word = unitWord(unit);
  const range = (low, high) => `${format.time(low, decimals)}-${format.time(high, decimals)}`;
  clear(line);
  append(line,
    'All patients: ',
    el('strong', { id: 'followup-median' }, format.medianInWords(followup.median, decimals, confLevel, word)),
    `; ${format.count(followup.n, 'patient')}, observed times ${range(followup.min, followup.max)}${word ? ` ${word}` : ''}.`,
    mergedTimesNote(followup.merged_times));
  wrap.hidden = followup.groups.length === 0;
  fillTable(table,
    ['Group', { text: 'Patients', className: 'num' }, `Median follow-up${word ? `, ${word}` : ''} (${format.levelLabel(confLevel)} CI)`, 'Observed times'],
    followup.groups.map((group, index) => [
      groupCell(group.group, index),
      { text: String(group.n), className: 'num' },
      format.median(group.median, decimals),
      range(group.min, group.max),
    ]));
}

const STEP_ROWS_SHOWN = 2000;

/** The curves as tables: every distinct time of each group (summary(fit, censored = TRUE)). */
export function renderFigureTables(container, km, unit) {
  clear(container);
  const decimals = Math.max(format.timeDecimalsOf(km), 2);
  const level = format.levelLabel(km.conf_level);
  for (const [index, group] of km.groups.entries()) {
    const steps = group.steps;
    const shown = Math.min(steps.time.length, STEP_ROWS_SHOWN);
    const table = el('table', { className: 'results steps' },
      el('caption', {}, swatch(index), `${groupLabel(group.group)}: survival at each time with an event or a censoring`));
    const rows = [];
    for (let row = 0; row < shown; row += 1) {
      rows.push([
        format.time(steps.time[row], decimals),
        { text: String(steps.n_risk[row]), className: 'num' },
        { text: String(steps.n_event[row]), className: 'num' },
        { text: String(steps.n_censor[row]), className: 'num' },
        { text: format.percent(steps.surv[row]), className: 'num' },
        { text: `${format.percent(steps.lower[row])}-${format.percent(steps.upper[row])}`, className: 'num' },
      ]);
    }
    fillTable(table,
      [`Time${unit && unit !== 'Time' ? ` (${unit.toLowerCase()})` : ''}`, { text: 'At risk', className: 'num' },
        { text: 'Events', className: 'num' }, { text: 'Censored', className: 'num' },
        { text: 'Survival, %', className: 'num' }, { text: `${level} CI, %`, className: 'num' }],
      rows);
    container.append(el('div', { className: 'table-scroll steps-scroll', tabIndex: 0, role: 'region', 'aria-label': `Steps of ${groupLabel(group.group)}` }, table));
    if (shown < steps.time.length) {
      container.append(el('p', { className: 'footnote' },
        `The first ${shown.toLocaleString('en-US')} of ${steps.time.length.toLocaleString('en-US')} times are shown; `,
        'the command-line tool writes them all (survkit km --format json).'));
    }
  }
}
