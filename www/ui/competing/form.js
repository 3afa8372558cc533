// The competing-risks panel's form: the time, the status column, its censoring value and the cause
// of interest, the names typed for the causes (they only label headings and axes; the engine sees
// the status values), groups, times and strata. It makes the `cif` and `finegray` requests, and a
// study's requests set it.

import { el, selectValue, setOptions } from '../dom.js';
import { guessMapping, words } from '../guess.js';
import { columnChoices, columnOptions, levelOptions, omitEmpty, textOf, timesText } from '../panel_helpers.js';

/** @typedef {import('../../../schema/survkit.d.ts').Request} Request */

/** The example cohort: leukaemia-free survival, relapse (1) against non-relapse mortality (2). */
const EXAMPLE = {
  time: 'lfs_months',
  status: 'relapse_status',
  censor: '0',
  cause: '1',
  names: { 1: 'Relapse', 2: 'Non-relapse mortality' },
  group: 'group',
};

const STATUS_WORDS = ['status', 'cause', 'causes', 'competing', 'cr', 'crstatus', 'fstatus', 'event', 'outcome'];

/** A status column: 3 to 8 values (censored and at least two causes), named like a status. */
function guessStatus(summary) {
  let best = null;
  let bestScore = 0;
  for (const column of summary.columns) {
    if (column.levels.length < 3 || column.levels.length > 8) continue;
    let score = words(column.name).some((part) => STATUS_WORDS.includes(part)) ? 2 : 0;
    if (score > 0 && column.levels.includes('0')) score += 1;
    if (score > bestScore) {
      best = column;
      bestScore = score;
    }
  }
  return best?.name ?? '';
}

/** The choices a new file starts with: the example's, or guesses from the column mapping. */
function startingChoices(summary, mapping, isExample) {
  const names = new Set(summary.columns.map((column) => column.name));
  const example = isExample && names.has(EXAMPLE.time) && names.has(EXAMPLE.status);
  return {
    time: example ? EXAMPLE.time : mapping.time,
    status: example ? EXAMPLE.status : guessStatus(summary),
    censor: example ? EXAMPLE.censor : '0',
    cause: example ? EXAMPLE.cause : '',
    names: example ? EXAMPLE.names : {},
    group: example ? EXAMPLE.group : mapping.group,
    at: guessMapping(summary).at.join(', '),
    strata: '',
  };
}

export function createCompetingForm(ui) {
  let summary = null;
  const nameInputs = new Map(); // status value -> its name box

  const statusLevels = () => summary?.columns.find((column) => column.name === ui.status.value)?.levels ?? [];
  const causeLevels = () => statusLevels().filter((level) => level !== ui.censor.value);

  /** The name the user gave a cause, or "Cause 2". */
  function causeName(cause) {
    const typed = nameInputs.get(cause)?.value.trim();
    return typed || `Cause ${cause}`;
  }

  function fillCensor(selected) {
    const levels = statusLevels();
    const fallback = levels.includes('0') ? '0' : levels[0] ?? '';
    setOptions(ui.censor, levelOptions(levels), levels.includes(selected) ? selected : fallback);
  }

  function fillCompetitor(selected) {
    const others = causeLevels().filter((level) => level !== ui.cause.value);
    setOptions(ui.competitor, others.map((level) => ({ value: level, label: `${level}: ${causeName(level)}` })), selected);
    ui.competitor.disabled = others.length === 0;
  }

  /** The causes offered, and one name box per cause, keeping what was typed for a cause still offered. */
  function fillCauses(selected, names = {}) {
    const causes = causeLevels();
    setOptions(ui.cause, levelOptions(causes), causes.includes(selected) ? selected : causes[0]);
    const typed = new Map([...nameInputs].map(([cause, input]) => [cause, input.value]));
    for (const field of ui.names.querySelectorAll('.field')) field.remove();
    nameInputs.clear();
    causes.forEach((cause, index) => {
      const id = `cr-name-${index}`;
      const input = el('input', { type: 'text', id, autocomplete: 'off', placeholder: `Cause ${cause}`, 'data-cause': cause });
      input.value = names[cause] ?? typed.get(cause) ?? '';
      nameInputs.set(cause, input);
      ui.names.append(el('div', { className: 'field' }, el('label', { htmlFor: id }, `Name of cause ${cause}`), input));
    });
    ui.names.hidden = causes.length === 0;
    fillCompetitor('');
  }

  /** The choices kept when the same file is read again. */
  function choices() {
    return {
      time: ui.time.value,
      status: ui.status.value,
      censor: ui.censor.value,
      cause: ui.cause.value,
      names: Object.fromEntries([...nameInputs].map(([cause, input]) => [cause, input.value])),
      group: ui.group.value,
      at: ui.at.value,
      strata: ui.strata.value,
    };
  }

  function load(nextSummary, { mapping, isExample, keep }) {
    const previous = keep && summary ? choices() : null;
    summary = nextSummary;
    const start = previous ?? startingChoices(summary, mapping, isExample);
    setOptions(ui.time, columnChoices(summary), start.time ?? '');
    const groupable = columnOptions(summary.columns.filter((column) => column.groupable));
    setOptions(ui.status, [{ value: '', label: '(choose a column)' }, ...groupable], start.status);
    fillCensor(start.censor);
    nameInputs.clear();
    fillCauses(start.cause, start.names);
    setOptions(ui.group, [{ value: '', label: 'none: all patients together' }, ...groupable], start.group ?? '');
    setOptions(ui.strata, [{ value: '', label: 'none' }, ...groupable], start.strata);
    ui.at.value = start.at;
  }

  /** A choice changed: refill what depends on it; false for a cause's name (only relabelled). */
  function changed(target) {
    if (target.dataset.cause !== undefined) return false;
    if (target === ui.status) {
      fillCensor('');
      fillCauses('');
    } else if (target === ui.censor) {
      fillCauses(ui.cause.value);
    } else if (target === ui.cause) {
      fillCompetitor(ui.competitor.value);
    }
    return true;
  }

  /** The cumulative incidence of every cause, with Gray's test between the groups. @returns {Request} */
  function cifRequest() {
    return omitEmpty({
      analysis: 'cif',
      time: ui.time.value,
      status: ui.status.value,
      censor_value: ui.censor.value,
      group: ui.group.value,
      at: ui.at.value.trim(),
      strata: ui.strata.value,
      conf_level: Number(ui.confLevel.value),
    });
  }

  /** The Fine-Gray model of the cause of interest on a design (the Cox panel's covariates). @returns {Request} */
  function fineGrayRequest(design) {
    return omitEmpty({
      analysis: 'finegray',
      time: ui.time.value,
      status: ui.status.value,
      censor_value: ui.censor.value,
      cause: ui.cause.value,
      ...design,
      conf_level: Number(ui.confLevel.value),
    });
  }

  /** Sets the form from a study's `cif` and `finegray` entries; the cause of interest is the Fine-Gray model's or the figure's. */
  function apply({ cif, finegray }) {
    const first = (cif ?? finegray).request;
    selectValue(ui.time, first.time ?? '');
    selectValue(ui.status, first.status ?? '');
    fillCensor(textOf(first.censor_value));
    fillCauses(textOf(finegray?.request.cause ?? cif?.figure?.cause));
    if (cif) {
      selectValue(ui.group, cif.request.group ?? '');
      ui.at.value = timesText(cif.request.at);
      selectValue(ui.strata, cif.request.strata ?? '');
    }
    selectValue(ui.confLevel, String(first.conf_level ?? 0.95));
  }

  return {
    load,
    changed,
    apply,
    cifRequest,
    fineGrayRequest,
    causeName,
    fillCompetitor,
    hasFile: () => summary !== null,
  };
}
