// The survival panel's results: the Kaplan-Meier table (patients, events, median and S(t) at each
// landmark, per group), the log-rank test with its pairwise table, and median follow-up. Every
// number goes through ../format.js.

import { append, clear, el, fillTable } from '../dom.js';
import * as format from '../format.js';
import { analysisNotices, groupCell, groupLabel, mergedTimesNote, unitWord } from '../result_helpers.js';

/**
 * The Kaplan-Meier table: patients, events, median and S(t) at each landmark, per group (shown as
 * `label(group)`; `since` follows the times in the header, e.g. " after the landmark").
 */
export function renderKm(table, footnote, km, unit, summary = null, { label = (group) => group, since = '' } = {}) {
  const decimals = format.timeDecimalsOf(km);
  const level = format.levelLabel(km.conf_level);
  const word = unitWord(unit);
  const landmarks = km.groups[0]?.at.map((at) => at.time) ?? [];
  const header = [
    'Group',
    { text: 'Patients', className: 'num' },
    { text: 'Events', className: 'num' },
    `Median${word ? `, ${word}` : ' time'}${since} (${level} CI)`,
    ...landmarks.map((time) => `${word ? `Survival at ${format.shortNumber(time)} ${word}` : `Survival at t = ${format.shortNumber(time)}`}${since}`),
  ];
  const rows = km.groups.map((group, index) => [
    groupCell(label(group.group), index),
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

/**
 * The log-rank line (its P in a `<strong>` with id `pId`), observed and expected events per group
 * (labelled by `label(group)`), and the pairwise table when there is one.
 */
export function renderLogRank(parts, logrank, { pId = 'logrank-p', label = (group) => group } = {}) {
  const { line, groupsTable, pairwiseWrap, pairwiseTable } = parts;
  clear(line);
  append(line,
    `χ² = ${format.statistic(logrank.chisq)} on ${logrank.df} degree${logrank.df === 1 ? '' : 's'} of freedom, `,
    el('strong', { id: pId }, format.pValue(logrank.p)),
    logrank.strata ? ` (stratified by ${logrank.strata})` : '',
    logrank.df === 0 ? '. Nothing to test: fewer than two groups have expected events, so χ² is 0 and P is 1, as R\'s survdiff gives' : '',
    mergedTimesNote(logrank.merged_times));
  fillTable(groupsTable,
    ['Group', { text: 'Patients', className: 'num' }, { text: 'Observed events', className: 'num' },
      { text: 'Expected events', className: 'num' }, { text: 'O/E', className: 'num' }],
    logrank.groups.map((group, index) => [
      groupCell(label(group.group), index),
      { text: String(group.n), className: 'num' },
      { text: String(group.observed), className: 'num' },
      { text: format.fixed(group.expected, 1), className: 'num' },
      { text: group.expected > 0 ? format.fixed(group.observed / group.expected, 2) : 'NE', className: 'num' },
    ]));
  const pairs = logrank.pairwise ?? [];
  if (!pairwiseWrap) return;
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

/**
 * Shows the three reports (the log-rank test and follow-up may be null: no groups, or the engine
 * could not run them) in the results card.
 */
export function showSurvivalResults(ui, { km, logrank, followup }, { unit, summary, isExample }) {
  ui.simulatedNote.hidden = !isExample;
  const dropped = km.n_dropped;
  ui.droppedNote.hidden = dropped === 0;
  ui.droppedNote.textContent = dropped === 0 ? ''
    : `${format.count(dropped, 'row')} with a missing time, event or group ${dropped === 1 ? 'was' : 'were'} left out.`;
  renderKm(ui.kmTable, ui.kmFootnote, km, unit, summary);
  ui.logrankBlock.hidden = !logrank;
  if (logrank) {
    renderLogRank({ line: ui.logrankLine, groupsTable: ui.logrankGroups, pairwiseWrap: ui.pairwiseWrap, pairwiseTable: ui.pairwiseTable }, logrank);
  }
  if (followup) {
    renderFollowUp(ui.followupLine, ui.followupTable, ui.followupWrap, followup, unit, format.timeDecimalsOf(km), km.conf_level);
  } else {
    ui.followupLine.textContent = 'Not available for these choices.';
    ui.followupWrap.hidden = true;
  }
}
