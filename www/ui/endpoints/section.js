// "Endpoints from dates": the section of 2. Columns and options that makes time-to-event,
// competing-causes and time-to-exposure columns from the file's dates (the study file's
// `derived`). A new endpoint is first derived by the engine without being added
// (`engine.endpoints`, as `survkit endpoints` writes it), so rows with impossible dates are listed
// before anything changes; the user then excludes those rows or fixes the file. The list of
// derived columns is the page's (app.js keeps it and adds it to the engine's session, so every
// panel offers the columns); this section shows it, removes from it, and downloads its columns
// as CSV.

import { clear, download, el } from '../dom.js';
import { byIds } from '../panel_helpers.js';
import { createEndpointsForm } from './form.js';
import { namesOf, renderDerived, renderExcluded, renderImpossible } from './results.js';

/** @typedef {import('../../../schema/survkit.d.ts').DerivedColumn} DerivedColumn */
/** @typedef {import('../../engine.js').EndpointsReport} EndpointsReport */

function elements() {
  const ids = {
    section: 'ep-section', form: 'ep-form', origin: 'ep-origin', unit: 'ep-unit', dateOrder: 'ep-date-order', id: 'ep-id',
    kind: 'ep-kind', date1: 'ep-date-1', date2: 'ep-date-2', date3: 'ep-date-3', censor: 'ep-censor', censorLabel: 'ep-censor-label',
    timeName: 'ep-time-name', timeNameLabel: 'ep-time-name-label', eventName: 'ep-event-name', eventNameLabel: 'ep-event-name-label',
    eventNameField: 'ep-event-name-field', add: 'ep-add', status: 'ep-status', alert: 'ep-alert', impossible: 'ep-impossible',
    impossibleLine: 'ep-impossible-line', impossibleTable: 'ep-impossible-table', exclude: 'ep-exclude', fix: 'ep-fix',
    derived: 'ep-derived', table: 'ep-table', excluded: 'ep-excluded', csv: 'ep-csv',
  };
  return byIds(ids);
}

/**
 * The section. `page` gives `derived()` (the page's list), `setDerived(list)` (adds it to the
 * engine and the panels; resolves to whether it worked, the page saying why not), `endpoints(list,
 * format)` (engine.endpoints) and `stem()` (the downloads' file name stem).
 */
export function createEndpointsSection(page) {
  const ui = elements();
  const form = createEndpointsForm(ui);
  let pending = null; // a new endpoint with impossible dates, waiting for the user's choice
  let report = null; // the engine's report of the derived columns shown
  let summary = null;

  const say = (text) => {
    ui.status.textContent = text;
  };
  function showAlert(title, message) {
    clear(ui.alert).append(el('p', {}, el('strong', {}, title), ' ', message));
    ui.alert.hidden = false;
  }
  function clearAlert() {
    clear(ui.alert);
    ui.alert.hidden = true;
  }
  function closeImpossible() {
    pending = null;
    ui.impossible.hidden = true;
  }

  /** Shows the page's derived columns, with the rows they left out (asked of the engine). */
  async function show() {
    const list = page.derived();
    ui.derived.hidden = list.length === 0;
    report = null;
    if (list.length > 0) {
      const answer = await page.endpoints(list, 'json');
      report = answer.error ? null : answer;
    }
    renderDerived(ui.table, list, report, remove);
    renderExcluded(ui.excluded, report);
    ui.section.dataset.state = 'ready';
  }

  /** Adds the derived columns to the page: every panel then offers them. */
  async function commit(list, done) {
    ui.section.dataset.state = 'busy';
    if (!(await page.setDerived(list))) {
      ui.section.dataset.state = 'error';
      return false;
    }
    say(done); // the page has shown the new list (load below)
    return true;
  }

  async function remove(index) {
    clearAlert();
    closeImpossible();
    const list = page.derived().filter((_, at) => at !== index);
    const names = namesOf(page.derived()[index]).join(', ');
    await commit(list, `Removed ${names}.`);
  }

  /** Derives the form's endpoint (without adding it); adds it, or lists its impossible dates first. */
  async function add() {
    clearAlert();
    closeImpossible();
    const missing = form.missing();
    if (missing) {
      showAlert('The endpoint cannot be made yet:', missing);
      return;
    }
    ui.section.dataset.state = 'busy';
    const chosen = form.definition(false);
    const probe = await page.endpoints([...page.derived(), form.definition(true)], 'json');
    if (probe.error) {
      ui.section.dataset.state = 'error';
      showAlert('The endpoint could not be made:', probe.error.message);
      return;
    }
    const names = namesOf(chosen);
    const impossible = probe.excluded.find((entry) => entry.columns.some((name) => names.includes(name)))?.rows ?? [];
    if (impossible.length > 0) {
      pending = chosen;
      renderImpossible(ui.impossibleLine, ui.impossibleTable, impossible);
      ui.impossible.hidden = false;
      ui.section.dataset.state = 'impossible';
      say('');
      return;
    }
    if (await commit([...page.derived(), chosen], `Added ${names.join(' and ')}.`)) form.reset();
  }

  async function excludeImpossible() {
    if (!pending) return;
    const chosen = { ...pending, exclude_impossible: true };
    closeImpossible();
    if (await commit([...page.derived(), chosen], `Added ${namesOf(chosen).join(' and ')}, without the rows with impossible dates.`)) form.reset();
  }

  function fixFile() {
    closeImpossible();
    ui.section.dataset.state = 'ready';
    say('Not added. Correct the dates listed in the file, then load it again.');
  }

  async function downloadCsv() {
    const answer = await page.endpoints(page.derived(), 'csv');
    if (answer.error) {
      showAlert('The derived columns could not be written:', answer.error.message);
      return;
    }
    download(new Blob([answer.text], { type: 'text/csv' }), `${page.stem()}-derived-columns.csv`);
    say('CSV saved: the row, the patient id and each derived column.');
  }

  ui.add.addEventListener('click', add);
  ui.exclude.addEventListener('click', excludeImpossible);
  ui.fix.addEventListener('click', fixFile);
  ui.csv.addEventListener('click', downloadCsv);

  return {
    /** A file was loaded (`keep`: the same file read again, or its derived columns changed). */
    load(nextSummary, keep) {
      const fresh = summary === null || !keep;
      summary = nextSummary;
      const derivedNames = page.derived().flatMap(namesOf);
      form.load(summary, derivedNames, !fresh);
      if (fresh) {
        clearAlert();
        closeImpossible();
        say('');
      }
      return show();
    },
    show,
  };
}
