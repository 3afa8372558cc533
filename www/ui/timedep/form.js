// The time-dependent exposure panel's form: the follow-up time and event, the column of exposure
// times (a transplant's time from the same origin, empty when never exposed) and the exposure's
// name, the times for S(t), the interval and an optional landmark time. It makes the
// `simon-makuch` and `mantel-byar` requests, and with a landmark the `km` and `logrank` requests
// by exposure at the landmark; a study's requests set it.

import { selectValue, setOptions } from '../dom.js';
import { guessMapping, timeUnit, words } from '../guess.js';
import { columnChoices, columnOptions, omitEmpty, textOf, timesText } from '../panel_helpers.js';

/** @typedef {import('../../../schema/survkit.d.ts').Request} Request */
/** @typedef {import('../panel_helpers.js').Mapping} Mapping */

const EXPOSURE_WORDS = ['hsct', 'sct', 'transplant', 'transplantation', 'tx', 'bmt', 'allo', 'exposure', 'exposed'];

/** A numeric column named like a time to transplant (hsct_months, transplant_days): its name, or ''. */
function guessExposure(summary, time) {
  const found = summary.columns.find((column) => column.kind === 'numeric' && column.name !== time
    && words(column.name).some((part) => EXPOSURE_WORDS.includes(part)));
  return found?.name ?? '';
}

/** "transplant" for a column named like a transplant, else nothing (the engine names it after the column). */
function guessName(column) {
  return column && words(column).some((part) => EXPOSURE_WORDS.slice(0, 5).includes(part)) ? 'transplant' : '';
}

export function createTimeDependentForm(ui) {
  let summary = null;

  /** The choices kept when the same file is read again, or its derived columns change. */
  function choices() {
    return {
      time: ui.time.value,
      event: ui.event.value,
      exposure: ui.exposure.value,
      name: ui.name.value,
      at: ui.at.value,
      landmark: ui.landmark.value,
      landmarkAt: ui.landmarkAt.value,
    };
  }

  function startingChoices(mapping) {
    const exposure = guessExposure(summary, mapping.time);
    return {
      time: mapping.time,
      event: mapping.event,
      exposure,
      name: guessName(exposure),
      at: guessMapping(summary).at.join(', '),
    };
  }

  function fill(start) {
    setOptions(ui.time, columnChoices(summary), start.time ?? '');
    setOptions(ui.event, columnChoices(summary), start.event ?? '');
    const numeric = summary.columns.filter((column) => column.kind === 'numeric');
    setOptions(ui.exposure, [{ value: '', label: '(choose a column)' }, ...columnOptions(numeric)], start.exposure ?? '');
    ui.name.value = start.name ?? '';
    ui.at.value = start.at ?? '';
    ui.landmark.value = start.landmark ?? '';
    ui.landmarkAt.value = start.landmarkAt ?? '';
  }

  /**
   * A file was loaded, or its derived columns changed (`keep`): the choices still offered are
   * kept, and an exposure column is guessed while none is chosen.
   */
  function load(nextSummary, { mapping, keep }) {
    const previous = keep && summary ? choices() : null;
    summary = nextSummary;
    const start = previous ?? startingChoices(mapping);
    if (previous && !previous.exposure) {
      start.exposure = guessExposure(summary, previous.time);
      if (!previous.name) start.name = guessName(start.exposure);
    }
    fill(start);
  }

  /** A column was chosen: the exposure's name follows a newly chosen exposure column while it is empty or guessed. */
  function changed(target) {
    if (target === ui.exposure && (!ui.name.value || ui.name.value === 'transplant')) ui.name.value = guessName(ui.exposure.value);
    if (target === ui.time && !ui.at.value) ui.at.value = timeUnit(ui.time.value).at.join(', ');
  }

  /** Whether the form can make its requests: the time, event and exposure columns chosen. */
  function complete() {
    return Boolean(ui.time.value && ui.event.value && ui.exposure.value);
  }

  /**
   * The Simon-Makuch curves and the Mantel-Byar test of the form's choices, and the landmark
   * analysis when a landmark time is given; `at` goes to the engine as typed.
   * @returns {{ simonMakuch: Request, mantelByar: Request, landmarkKm?: Request, landmarkLogrank?: Request }}
   */
  function requests() {
    const endpoint = { time: ui.time.value, event: ui.event.value, exposure_time: ui.exposure.value, exposure_name: ui.name.value.trim() };
    return {
      simonMakuch: omitEmpty({
        analysis: 'simon-makuch',
        ...endpoint,
        at: ui.at.value.trim(),
        conf_type: ui.confType.value,
        conf_level: Number(ui.confLevel.value),
      }),
      mantelByar: omitEmpty({ analysis: 'mantel-byar', ...endpoint }),
      ...landmarkRequests(endpoint),
    };
  }

  /**
   * With a landmark time, the landmark Kaplan-Meier and log-rank requests by exposure at the
   * landmark (its own `at`, counted from the landmark); without one, nothing.
   * @returns {{ landmarkKm?: Request, landmarkLogrank?: Request }}
   */
  function landmarkRequests(endpoint) {
    const typed = ui.landmark.value.trim();
    if (typed === '') return {};
    const landmark = { ...endpoint, landmark: Number(typed) };
    return {
      landmarkKm: omitEmpty({
        analysis: 'km',
        ...landmark,
        at: ui.landmarkAt.value.trim(),
        conf_type: ui.confType.value,
        conf_level: Number(ui.confLevel.value),
      }),
      landmarkLogrank: omitEmpty({ analysis: 'logrank', ...landmark }),
    };
  }

  /**
   * Sets the form from a study's entries; a value the form does not offer leaves its control as it
   * is (the request still runs as written).
   * @param {{ simonMakuch?: { request: Request }, mantelByar?: { request: Request }, landmarkKm?: { request: Request },
   *   landmarkLogrank?: { request: Request } }} entries
   */
  function apply({ simonMakuch, mantelByar, landmarkKm, landmarkLogrank }) {
    const first = /** @type {any} */ ((simonMakuch ?? mantelByar ?? landmarkKm ?? landmarkLogrank).request);
    selectValue(ui.time, first.time ?? '');
    selectValue(ui.event, first.event ?? '');
    selectValue(ui.exposure, first.exposure_time ?? '');
    ui.name.value = first.exposure_name ?? '';
    if (simonMakuch) {
      const request = /** @type {any} */ (simonMakuch.request);
      ui.at.value = timesText(request.at);
      selectValue(ui.confType, request.conf_type ?? 'log');
      selectValue(ui.confLevel, String(request.conf_level ?? 0.95));
    }
    const landmark = /** @type {any} */ ((landmarkKm ?? landmarkLogrank)?.request);
    ui.landmark.value = textOf(landmark?.landmark);
    ui.landmarkAt.value = landmarkKm ? timesText(landmark.at) : '';
  }

  return { load, changed, complete, requests, apply, hasFile: () => summary !== null };
}
