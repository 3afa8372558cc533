// What the "Endpoints from dates" section shows: the derived columns made so far (with a Remove
// button each), the rows with impossible dates as the engine lists them (spreadsheet row, patient
// id, what is wrong), and the rows each derived column left out.

import { clear, el, fillTable } from '../dom.js';
import * as format from '../format.js';

/** @typedef {import('../../../schema/survkit.d.ts').DerivedColumn} DerivedColumn */
/** @typedef {import('../../engine.js').ImpossibleRow} ImpossibleRow */
/** @typedef {import('../../engine.js').EndpointsReport} EndpointsReport */

/** What a derived column is, in words. @param {DerivedColumn} derived */
function describe(derived) {
  switch (derived.kind) {
    case 'time_to_event':
      return { kind: 'time to event', from: `first of ${derived.events.join(', ')}; censored at ${derived.censor}` };
    case 'competing':
      return { kind: 'competing causes', from: `${derived.causes.map((cause, index) => `${index + 1} = ${cause}`).join(', ')}; 0 = censored at ${derived.censor}` };
    case 'time_to_exposure':
      return { kind: 'time to exposure', from: `${derived.exposure}${derived.end ? `, followed until ${derived.end}` : ''}` };
    case 'cut':
      return { kind: 'cut', from: `${derived.from} at ${derived.breaks.join(', ')}` };
    default:
      return { kind: String(/** @type {any} */ (derived).kind), from: '' };
  }
}

/** The names of the columns a derived column makes. @param {DerivedColumn} derived */
export function namesOf(derived) {
  switch (derived.kind) {
    case 'time_to_event': return [derived.time, derived.event];
    case 'competing': return [derived.time, derived.status];
    case 'time_to_exposure': return [derived.name];
    default: return [derived.name];
  }
}

/** The unit and origin of a derived column from dates, in words. @param {DerivedColumn} derived */
function unitOf(derived) {
  return derived.kind === 'cut' ? '' : `${derived.unit} from ${derived.origin}`;
}

/**
 * The table of derived columns, each with its Remove button (`onRemove(index)`) and the rows it
 * left out for impossible dates (from the engine's report, when there is one).
 * @param {DerivedColumn[]} list
 * @param {EndpointsReport | null} report
 */
export function renderDerived(table, list, report, onRemove) {
  const excluded = (derived) => {
    const names = namesOf(derived);
    const found = report?.excluded.find((entry) => entry.columns.some((name) => names.includes(name)));
    return found ? new Set(found.rows.map((row) => row.row)).size : 0;
  };
  fillTable(table,
    ['Columns', 'Kind', 'Made from', 'Times in', { text: 'Rows excluded', className: 'num' }, ''],
    list.map((derived, index) => {
      const { kind, from } = describe(derived);
      const names = namesOf(derived);
      const remove = el('button', { type: 'button', className: 'small', 'aria-label': `Remove ${names.join(' and ')}` }, 'Remove');
      remove.addEventListener('click', () => onRemove(index));
      return [names.join(', '), kind, from, unitOf(derived), { text: String(excluded(derived)), className: 'num' }, { node: remove }];
    }));
  for (const [index, row] of [...table.tBodies[0].rows].entries()) row.dataset.columns = namesOf(list[index]).join(',');
}

/** The rows each derived column left out, in the engine's words: "row 5 (P004): death_date … is before …". */
export function renderExcluded(listElement, report) {
  clear(listElement);
  const entries = report?.excluded ?? [];
  listElement.hidden = entries.length === 0;
  for (const entry of entries) {
    const rows = new Set(entry.rows.map((row) => row.row)).size;
    const item = el('li', {}, `${entry.columns.join(', ')}: ${format.count(rows, 'row')} excluded for impossible dates: `);
    item.append(entry.rows.map(rowText).join('; '));
    listElement.append(item);
  }
}

/** `row 5 (P004): relapse_date 2015-01-03 is before car_t_date 2015-09-16`, as the engine writes it. @param {ImpossibleRow} row */
function rowText(row) {
  return `row ${row.row}${row.id ? ` (${row.id})` : ''}: ${row.detail}`;
}

const PROBLEMS = {
  missing_origin: 'no origin date',
  before_origin: 'a date before the origin',
  last_contact_before_event: 'last contact before a recorded event',
  future_date: 'a date in the future',
  exposure_after_follow_up: 'exposure after the end of follow-up',
  no_follow_up: 'no event and no censoring date',
};

/** The rows with impossible dates: row, patient id, what is wrong, the dates that show it. @param {ImpossibleRow[]} rows */
export function renderImpossible(line, table, rows) {
  const count = new Set(rows.map((row) => row.row)).size;
  line.textContent = `${count === 1 ? '1 row has' : `${count} rows have`} impossible dates. Exclude ${count === 1 ? 'it' : 'them'} `
    + 'from the new columns (they are listed with every result that uses them), or correct the file and load it again.';
  fillTable(table,
    [{ text: 'Row', className: 'num' }, 'Patient', 'Problem', 'Dates'],
    rows.map((row) => [
      { text: String(row.row), className: 'num' },
      row.id ?? '',
      PROBLEMS[row.problem] ?? row.problem,
      row.detail,
    ]));
}
