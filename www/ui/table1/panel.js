// The Table 1 panel: patient characteristics by group (`analysis: "table1"`), run whenever a
// choice changes. Its parts: ./form.js (the request) and ./results.js (the table, its copy and
// its CSV).

import { firstOfEach, listOf, runTracker, studyTitles } from '../panel_helpers.js';
import { createTable1Form } from './form.js';
import { copyTable, downloadCsv, renderTable } from './results.js';

/** @typedef {import('../panel_helpers.js').Panel} Panel */
/** @typedef {import('../panel_helpers.js').StudyEntry} StudyEntry */

const $ = (id) => document.getElementById(id);

function elements() {
  const ids = {
    section: 't1-section', form: 't1-form', group: 't1-group', categoricalTest: 't1-categorical-test',
    continuousTest: 't1-continuous-test', pairwise: 't1-pairwise', vars: 't1-vars', alert: 't1-alert', prompt: 't1-prompt',
    results: 't1-results', table: 't1-table', caption: 't1-caption', footnote: 't1-footnote', copy: 't1-copy', csv: 't1-csv',
    status: 't1-status',
  };
  return Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, $(id)]));
}

/** @returns {Panel} */
export function createTable1Panel(context) {
  const ui = elements();
  const tracker = runTracker(ui.section, ui.alert, ui.prompt);
  const form = createTable1Form(ui);
  const titles = studyTitles();
  const state = { loaded: false, request: null /* of the table shown */, good: null };

  /** Makes the table of the form's request (or a study's), or says what is still to be chosen. */
  async function run(wanted) {
    if (!state.loaded) return;
    const token = tracker.begin();
    if (!wanted.group || !wanted.vars) {
      ui.results.hidden = true;
      tracker.finish(token, 'idle');
      tracker.prompt(wanted.group ? 'Tick the variables to describe.' : 'Choose the column of groups and tick the variables to describe.');
      return;
    }
    const report = await context.analyze(wanted);
    if (!tracker.accept(token, report, ui.results, 'Table 1 could not be made:', () => { state.request = null; })) return;
    Object.assign(state, { request: wanted, good: wanted });
    renderTable(ui, report);
    ui.status.textContent = '';
    ui.results.hidden = false;
    tracker.finish(token, 'ready');
  }

  function load(summary, options) {
    tracker.reset();
    Object.assign(state, { loaded: true, request: null, good: null });
    ui.results.hidden = true;
    tracker.clearAlert();
    form.load(summary, options);
    ui.section.hidden = false;
    return run(form.request());
  }

  /** Hides the panel while a file is read (its choices stay, to be kept if the same file is re-read). */
  function hide(reason = 'idle') {
    tracker.reset(reason);
    ui.section.hidden = true;
  }

  /** Sets the form from a study's `table1` entry and makes its table as written. */
  function apply(entries) {
    const { table1 } = firstOfEach(entries);
    titles.remember(entries);
    form.apply(table1.request);
    return run(table1.request);
  }

  /** @returns {StudyEntry[]} */
  function entries() {
    if (!state.good) return [];
    const made = `Table 1 by ${state.good.group}: ${listOf(state.good.vars).join(', ')}`;
    return [{ title: titles.title(state.good, made), request: state.good }];
  }

  ui.form.addEventListener('submit', (event) => event.preventDefault());
  ui.form.addEventListener('change', (event) => {
    form.changed(event.target);
    run(form.request());
  });
  ui.copy.addEventListener('click', () => state.request && copyTable(ui, context, state.request));
  ui.csv.addEventListener('click', () => state.request && downloadCsv(ui, context, state.request));

  return { analyses: ['table1'], load, hide, entries, apply };
}
