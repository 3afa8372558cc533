// The "Endpoints from dates" form: the origin date, the unit, how slashed dates are read and the
// patient id column, shared by every endpoint made; then one new endpoint: its kind (time to
// event, competing causes, time to exposure), its date columns in order, its censoring (or end of
// follow-up) date and the names of the columns it makes. It turns the choices into one of the
// study file's derived columns (src/analysis/study.rs's DerivedColumn); the engine checks it.

import { setOptions } from '../dom.js';
import { words } from '../guess.js';
import { columnOptions } from '../panel_helpers.js';

/** @typedef {import('../../../schema/survkit.d.ts').DerivedColumn} DerivedColumn */

/** What each kind calls its date columns and the censoring date, and the columns it makes. */
const KINDS = {
  time_to_event: {
    dates: ['First event date', 'Second event date (or none)', 'Third event date (or none)'],
    censor: 'Censoring date (last contact)',
    second: 'Name of the new event column (1 event, 0 censored)',
  },
  competing: {
    dates: ['Cause 1 date (e.g. relapse)', 'Cause 2 date (e.g. death)', 'Cause 3 date (or none)'],
    censor: 'Censoring date (last contact)',
    second: 'Name of the new status column (0 censored, 1, 2, …)',
  },
  time_to_exposure: {
    dates: ['Exposure date (e.g. transplant)'],
    censor: 'End of follow-up (an exposure after it is impossible; or none)',
    second: '',
  },
};

const ORIGIN_WORDS = ['origin', 'infusion', 'cart', 'car', 'diagnosis', 'dx', 'randomisation', 'randomization', 'start', 'entry', 'baseline'];
const CENSOR_WORDS = ['last', 'contact', 'censor', 'censoring', 'followup', 'fu', 'alive'];
const ID_WORDS = ['id', 'patient', 'subject', 'pid', 'case'];

/** "death_date" -> "death", "date_of_relapse" -> "relapse". */
function stem(column) {
  const parts = words(column).filter((part) => !['date', 'of', 'dt'].includes(part));
  return parts.join('_') || 'endpoint';
}

export function createEndpointsForm(ui) {
  let columns = [];

  const dateSelects = () => [ui.date1, ui.date2, ui.date3];
  const isDate = (column) => words(column.name).includes('date') || words(column.name).includes('dt');
  const pick = (score) => columns.find((column) => isDate(column) && words(column.name).some((part) => score.includes(part)))?.name;

  function starting() {
    const dates = columns.filter(isDate).map((column) => column.name);
    const origin = pick(ORIGIN_WORDS) ?? dates[0] ?? '';
    return {
      origin,
      id: columns.find((column) => words(column.name).some((part) => ID_WORDS.includes(part)) && !isDate(column))?.name ?? '',
      censor: pick(CENSOR_WORDS) ?? '',
      dates: [dates.find((name) => name !== origin) ?? '', '', ''],
    };
  }

  function current() {
    return { origin: ui.origin.value, id: ui.id.value, censor: ui.censor.value, dates: dateSelects().map((select) => select.value) };
  }

  /** The file's columns (not the derived ones) are offered; the choices still offered are kept. */
  function load(summary, derivedNames, keep) {
    const previous = keep && columns.length > 0 ? current() : null;
    columns = summary.columns.filter((column) => !derivedNames.includes(column.name));
    const start = previous ?? starting();
    const options = columnOptions(columns);
    const none = { value: '', label: '(none)' };
    setOptions(ui.origin, [{ value: '', label: '(choose a column)' }, ...options], start.origin);
    setOptions(ui.id, [none, ...options], start.id);
    setOptions(ui.censor, [none, ...options], start.censor);
    dateSelects().forEach((select, index) => setOptions(select, [none, ...options], start.dates[index]));
    relabel();
  }

  /** The labels and fields of the kind chosen, and the suggested names while the user has not typed any. */
  function relabel() {
    const kind = KINDS[ui.kind.value];
    dateSelects().forEach((select, index) => {
      const field = select.closest('.field');
      field.hidden = index >= kind.dates.length;
      field.querySelector('label').textContent = kind.dates[index] ?? '';
    });
    ui.censorLabel.textContent = kind.censor;
    ui.eventNameField.hidden = !kind.second;
    ui.eventNameLabel.textContent = kind.second;
    ui.timeNameLabel.textContent = 'Name of the new time column';
    suggestNames();
  }

  function chosenDates() {
    return dateSelects().slice(0, KINDS[ui.kind.value].dates.length).map((select) => select.value).filter(Boolean);
  }

  /** Names from the dates chosen ("death_months", "death_event"), until the user types their own. */
  function suggestNames() {
    const dates = chosenDates();
    const unit = ui.unit.value;
    const base = ui.kind.value === 'competing' ? dates.map(stem).join('_') : dates.map(stem).join('_or_');
    const second = ui.kind.value === 'competing' ? 'status' : 'event';
    if (ui.timeName.dataset.typed !== 'true') ui.timeName.value = dates.length > 0 ? `${base}_${unit}` : '';
    if (ui.eventName.dataset.typed !== 'true') ui.eventName.value = dates.length > 0 ? `${base}_${second}` : '';
  }

  /**
   * The endpoint chosen, as a study's derived column; `excludeImpossible` makes rows with
   * impossible dates missing in it (they are listed) instead of refusing it.
   * @returns {DerivedColumn}
   */
  function definition(excludeImpossible = false) {
    const shared = {
      origin: ui.origin.value,
      unit: /** @type {'days' | 'months' | 'years'} */ (ui.unit.value),
      ...(ui.dateOrder.value ? { date_order: /** @type {'dd/mm/yyyy' | 'mm/dd/yyyy'} */ (ui.dateOrder.value) } : {}),
      ...(ui.id.value ? { id: ui.id.value } : {}),
      ...(excludeImpossible ? { exclude_impossible: true } : {}),
    };
    const time = ui.timeName.value.trim();
    const second = ui.eventName.value.trim();
    const dates = chosenDates();
    if (ui.kind.value === 'competing') return { kind: 'competing', time, status: second, causes: dates, censor: ui.censor.value, ...shared };
    if (ui.kind.value === 'time_to_exposure') {
      return { kind: 'time_to_exposure', name: time, exposure: dates[0] ?? '', ...(ui.censor.value ? { end: ui.censor.value } : {}), ...shared };
    }
    return { kind: 'time_to_event', time, event: second, events: dates, censor: ui.censor.value, ...shared };
  }

  /** What is still to be chosen before the endpoint can be made, or ''. */
  function missing() {
    if (!ui.origin.value) return 'Choose the origin date (time 0).';
    if (chosenDates().length === 0) return ui.kind.value === 'time_to_exposure' ? 'Choose the exposure date.' : 'Choose at least one event date.';
    if (ui.kind.value !== 'time_to_exposure' && !ui.censor.value) return 'Choose the censoring date (last contact).';
    return '';
  }

  /** After an endpoint was added: the next one gets suggested names again. */
  function reset() {
    ui.timeName.dataset.typed = 'false';
    ui.eventName.dataset.typed = 'false';
    suggestNames();
  }

  for (const input of [ui.timeName, ui.eventName]) {
    input.addEventListener('input', () => {
      input.dataset.typed = input.value.trim() ? 'true' : 'false';
    });
  }
  ui.form.addEventListener('submit', (event) => event.preventDefault());
  ui.form.addEventListener('change', (event) => {
    if (event.target === ui.kind) relabel();
    else if (event.target !== ui.timeName && event.target !== ui.eventName) suggestNames();
  });

  return { load, definition, missing, reset };
}
