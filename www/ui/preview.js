// The data card's preview of a loaded file: the first rows, each column's detected type, how the
// file was read, and warnings about columns that look numeric but hold text.

import { clear, el } from './dom.js';
import * as format from './format.js';
import { mostlyNumbers } from './guess.js';

/** The preview of the first rows, each column's detected type, and warnings about columns. */
export function renderPreview(table, warningsList, summary) {
  const header = summary.columns.map((column) => el('span', { className: 'column-head' },
    el('span', { className: 'column-name' }, column.name),
    el('span', { className: `column-kind kind-${column.kind}` }, column.kind)));
  clear(table.tHead).append(el('tr', {}, header.map((cell) => el('th', { scope: 'col' }, cell))));
  const body = clear(table.tBodies[0]);
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
