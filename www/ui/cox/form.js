// The Cox panel's form: the endpoint, the covariate picker (columns, their categorical switches
// and reference levels, and cut-points such as age>=40) and the model options. It makes the `cox`
// request, and a study's request sets it. The picker's design is shared with Fine-Gray.

import { clear, el, selectValue, setOptions } from '../dom.js';
import * as format from '../format.js';
import {
  checkboxCell, columnChoices, columnOptions, describeKind, eventValueOptions, listOf, omitEmpty, textOf,
} from '../panel_helpers.js';

/** @typedef {import('../../../schema/survkit.d.ts').Request} Request */

/** The example cohort's starting covariates. */
const EXAMPLE_COVARIATES = ['age', 'sex', 'ph_positive', 'relapses_before_cart>1', 'group'];

const OPERATOR_SYMBOLS = { '>=': '≥', '>': '>', '<=': '≤', '<': '<' };

/** A cut-point covariate is written with a comparison: `age>=40`. */
const isCutPoint = (name) => /[<>]/.test(name);

/** The column a cut-point such as `age>=40` is on. */
function cutColumnOf(written) {
  return written.split(/[<>]=?/)[0].trim();
}

function isCategorical(row) {
  return row.column?.kind === 'categorical' || Boolean(row.categorical?.checked);
}

/** A picker row for a column: tick, type, "categorical" switch for numbers, reference level. */
function columnRow(column, index) {
  const tooMany = column.kind === 'categorical' && column.levels.length === 0;
  const { cell, input } = checkboxCell(`cox-cov-${index}`, column.name, {
    disabled: tooMany,
    title: tooMany ? 'Too many different values to use as a covariate' : undefined,
  });
  const row = { kind: 'column', name: column.name, column, checkbox: input, levels: column.levels };
  const categoricalCell = el('td', {});
  if (column.kind === 'numeric') {
    row.categorical = el('input', { type: 'checkbox', 'aria-label': `Treat ${column.name} as categorical` });
    categoricalCell.append(row.categorical);
  } else {
    categoricalCell.append(el('span', { className: 'hint' }, 'yes'));
  }
  const referenceCell = el('td', {});
  if (column.levels.length > 0) {
    row.reference = el('select', { 'aria-label': `Reference level of ${column.name}` });
    setOptions(row.reference, column.levels.map((level) => ({ value: level, label: level })), column.levels[0]);
    referenceCell.append(row.reference);
  }
  row.element = el('tr', { 'data-covariate': column.name },
    cell, el('td', { className: `kind kind-${column.kind}` }, describeKind(column)), categoricalCell, referenceCell);
  return row;
}

/** Enables a row's type controls only while it is ticked (and a reference only when categorical). */
function syncRow(row) {
  const on = row.checkbox.checked;
  if (row.categorical) row.categorical.disabled = !on;
  if (row.reference) row.reference.disabled = !on || !isCategorical(row);
  row.element.classList.toggle('picked', on);
}

/**
 * The picker: its rows (`{ kind: 'column' | 'cut', name, checkbox, categorical?, reference?, levels }`)
 * in the file's order, cut-points last; `onRemove(row)` when a cut-point's Remove is clicked.
 */
function createPicker(body, onRemove) {
  const picker = { rows: [], cuts: 0 };

  picker.addCut = (written) => {
    picker.cuts += 1;
    const { cell, input } = checkboxCell(`cox-cut-${picker.cuts}`, written, { checked: true });
    const remove = el('button', { type: 'button', className: 'small', 'aria-label': `Remove the cut-point ${written}` }, 'Remove');
    const row = { kind: 'cut', name: written, checkbox: input, levels: [] };
    row.element = el('tr', { 'data-covariate': written, className: 'cut' },
      cell, el('td', { className: 'kind' }, 'cut-point (yes/no)'), el('td', {}), el('td', {}, remove));
    remove.addEventListener('click', () => {
      picker.rows = picker.rows.filter((candidate) => candidate !== row);
      row.element.remove();
      onRemove(row);
    });
    picker.rows.push(row);
    body.append(row.element);
    syncRow(row);
    return row;
  };

  /** Lists a cut-point (once), when its column is in the file. */
  const listCut = (written) => {
    const onColumn = picker.rows.some((row) => row.kind === 'column' && row.name === cutColumnOf(written));
    if (onColumn && !picker.rows.some((row) => row.name === written)) picker.addCut(written);
  };

  /** Rebuilds the rows for a file: its columns, then `cuts`; ticks `design` (`{ covariates, categorical, reference }`). */
  picker.build = (summary, design, cuts = []) => {
    clear(body);
    picker.rows = summary.columns.map(columnRow);
    for (const row of picker.rows) body.append(row.element);
    cuts.forEach(listCut);
    picker.tick(design);
  };

  /** Ticks the covariates of a design (listing its cut-points), its categorical columns and reference levels. */
  picker.tick = ({ covariates, categorical, reference }) => {
    covariates.filter(isCutPoint).forEach(listCut);
    const references = new Map(reference.map((pair) => pair.split('=')).map(([column, ...level]) => [column.trim(), level.join('=').trim()]));
    for (const row of picker.rows) {
      row.checkbox.checked = covariates.includes(row.name) && !row.checkbox.disabled;
      if (row.categorical) row.categorical.checked = categorical.includes(row.name);
      if (row.reference) row.reference.value = row.levels.includes(references.get(row.name)) ? references.get(row.name) : row.levels[0];
      syncRow(row);
    }
  };

  /** The covariates, categorical columns and reference levels ticked: the request's design fields. */
  picker.design = () => {
    const picked = picker.rows.filter((row) => row.checkbox.checked);
    return {
      covariates: picked.map((row) => row.name),
      categorical: picked.filter((row) => row.categorical?.checked).map((row) => row.name),
      reference: picked.filter((row) => isCategorical(row) && row.reference && row.reference.value !== row.levels[0])
        .map((row) => `${row.name}=${row.reference.value}`),
    };
  };
  return picker;
}

/**
 * The Cox form. `onDesignChange()` when the ticked covariates, their types or references change;
 * `onOptionChange()` when another choice does.
 */
export function createCoxForm(ui, { onDesignChange, onOptionChange }) {
  let summary = null;
  const picker = createPicker(ui.picker.tBodies[0], (row) => {
    ui.cutHint.textContent = `Removed ${row.name}.`;
    onDesignChange();
  });

  function addCutPoint() {
    const column = ui.cutColumn.value;
    const text = ui.cutValue.value.trim().replace(',', '.');
    const value = Number(text);
    if (!column) return;
    if (text === '' || !Number.isFinite(value)) {
      ui.cutHint.textContent = text === '' ? 'Type the value to cut at.' : `"${ui.cutValue.value}" is not a number.`;
      ui.cutValue.focus();
      return;
    }
    const written = `${column}${ui.cutOperator.value}${format.shortNumber(value)}`;
    const existing = picker.rows.find((row) => row.name === written);
    if (existing) {
      existing.checkbox.checked = true;
      syncRow(existing);
      ui.cutHint.textContent = `${written} is already in the list; it is ticked.`;
    } else {
      picker.addCut(written);
      ui.cutHint.textContent = `Added ${column} ${OPERATOR_SYMBOLS[ui.cutOperator.value]} ${format.shortNumber(value)} as ${written}.`;
    }
    ui.cutValue.value = '';
    onDesignChange();
  }

  /** The choices kept when the same file is read again. */
  function choices() {
    const { covariates, categorical } = picker.design();
    const reference = picker.rows.filter((row) => row.reference).map((row) => `${row.name}=${row.reference.value}`);
    const cuts = picker.rows.filter((row) => row.kind === 'cut').map((row) => row.name);
    return {
      time: ui.time.value, event: ui.event.value, eventValue: ui.eventValue.value, strata: ui.strata.value,
      exposureTime: ui.exposureTime.value, start: ui.start.value, covariates, categorical, reference, cuts,
    };
  }

  function load(nextSummary, { mapping, isExample, keep }) {
    const previous = keep && summary ? choices() : null;
    summary = nextSummary;
    const names = new Set(summary.columns.map((column) => column.name));
    const keepName = (name, fallback) => (previous && names.has(previous[name]) ? previous[name] : fallback);
    setOptions(ui.time, columnChoices(summary), keepName('time', mapping.time));
    setOptions(ui.event, columnChoices(summary), keepName('event', mapping.event));
    const eventValue = previous ? previous.eventValue : mapping.event === ui.event.value ? mapping.eventValue : '';
    setOptions(ui.eventValue, eventValueOptions(summary, ui.event.value), eventValue);
    setOptions(ui.strata, [{ value: '', label: 'none' }, ...columnOptions(summary.columns.filter((column) => column.groupable))], previous?.strata ?? '');
    const numericColumns = [{ value: '', label: 'none' }, ...columnOptions(summary.columns.filter((column) => column.kind === 'numeric'))];
    setOptions(ui.exposureTime, numericColumns, keepName('exposureTime', ''));
    setOptions(ui.start, numericColumns, keepName('start', ''));
    picker.build(summary, previous ?? { covariates: isExample ? EXAMPLE_COVARIATES : [], categorical: [], reference: [] }, previous?.cuts);
    const numeric = summary.columns.filter((column) => column.kind === 'numeric');
    setOptions(ui.cutColumn, columnOptions(numeric), numeric[0]?.name);
    ui.cutAdd.disabled = numeric.length === 0;
  }

  /** @returns {Request} */
  function request(kind) {
    return omitEmpty({
      analysis: 'cox',
      time: ui.time.value,
      event: ui.event.value,
      event_value: ui.eventValue.value,
      ...picker.design(),
      strata: ui.strata.value,
      exposure_time: ui.exposureTime.value,
      exposure_name: ui.exposureName.value.trim(),
      start: ui.start.value,
      ties: ui.ties.value,
      conf_level: Number(ui.confLevel.value),
      univariate: kind === 'univariate',
      zph: kind === 'multivariable' && ui.zph.checked,
    });
  }

  /** Sets the form from a study's `cox` request; returns the kind of model it asks for. */
  function apply(wanted) {
    selectValue(ui.time, wanted.time ?? '');
    selectValue(ui.event, wanted.event ?? '');
    setOptions(ui.eventValue, eventValueOptions(summary, ui.event.value), textOf(wanted.event_value));
    selectValue(ui.strata, wanted.strata ?? '');
    selectValue(ui.exposureTime, wanted.exposure_time ?? '');
    ui.exposureName.value = wanted.exposure_name ?? '';
    selectValue(ui.start, wanted.start ?? '');
    selectValue(ui.ties, wanted.ties ?? 'efron');
    selectValue(ui.confLevel, String(wanted.conf_level ?? 0.95));
    ui.zph.checked = Boolean(wanted.zph);
    picker.tick({ covariates: listOf(wanted.covariates), categorical: listOf(wanted.categorical), reference: listOf(wanted.reference) });
    return wanted.univariate ? 'univariate' : 'multivariable';
  }

  ui.form.addEventListener('submit', (event) => event.preventDefault());
  ui.cutAdd.addEventListener('click', addCutPoint);
  ui.cutValue.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      addCutPoint();
    }
  });
  ui.event.addEventListener('change', () => setOptions(ui.eventValue, eventValueOptions(summary, ui.event.value), ''));
  ui.form.addEventListener('change', (event) => {
    if ([ui.cutColumn, ui.cutOperator, ui.cutValue].includes(event.target)) return;
    const row = picker.rows.find((candidate) => [candidate.checkbox, candidate.categorical, candidate.reference].includes(event.target));
    if (row) {
      syncRow(row);
      onDesignChange();
    } else {
      onOptionChange();
    }
  });

  return { load, request, apply, design: () => picker.design() };
}
