// The survival panel's form: its own choices (survival at times, the interval, the pairwise
// adjustment) beside the column mapping every panel shares (app.js). Together they make the
// `km`, `logrank` and `followup` requests; a study's requests set them.

import { selectValue } from '../dom.js';
import { guessMapping } from '../guess.js';
import { omitEmpty, textOf, timesText } from '../panel_helpers.js';

/** @typedef {import('../../../schema/survkit.d.ts').Request} Request */
/** @typedef {import('../panel_helpers.js').Mapping} Mapping */

/**
 * The requests for the mapping and the form: Kaplan-Meier, the log-rank test with every pair of
 * groups (when there are groups) and median follow-up. `at` goes to the engine as typed.
 * @param {{ at: HTMLInputElement, confType: HTMLSelectElement, confLevel: HTMLSelectElement, adjust: HTMLSelectElement }} ui
 * @param {Mapping} mapping
 * @returns {{ km: Request, logrank: Request | null, followup: Request }}
 */
export function survivalRequests(ui, mapping) {
  const endpoint = omitEmpty({ time: mapping.time, event: mapping.event, event_value: mapping.eventValue, group: mapping.group });
  const confLevel = Number(ui.confLevel.value);
  return {
    km: { analysis: 'km', ...endpoint, ...omitEmpty({ at: ui.at.value.trim() }), conf_type: ui.confType.value, conf_level: confLevel },
    logrank: mapping.group ? { analysis: 'logrank', ...endpoint, pairwise: true, adjust: ui.adjust.value } : null,
    followup: { analysis: 'followup', ...endpoint, conf_level: confLevel },
  };
}

/** A new file: the landmark times suggested by the time column's unit (12, 24 for months). */
export function guessTimes(ui, summary) {
  ui.at.value = guessMapping(summary).at.join(', ');
}

/**
 * Sets the form from a study's requests (the mapping is the page's: app.js sets it); a value the
 * form does not offer leaves its control as it is, and the request runs as written.
 * @param {{ km?: { request: Request }, logrank?: { request: Request }, followup?: { request: Request } }} entries
 */
export function applySurvivalRequests(ui, { km, logrank, followup }) {
  if (km) {
    ui.at.value = timesText(km.request.at);
    selectValue(ui.confType, km.request.conf_type ?? 'log');
  }
  const confLevel = km?.request.conf_level ?? followup?.request.conf_level;
  if (km || followup) selectValue(ui.confLevel, String(confLevel ?? 0.95));
  if (logrank) selectValue(ui.adjust, logrank.request.adjust ?? 'none');
}

/** The endpoint of a study's survival requests, for the page's column mapping. */
export function mappingOf(request) {
  return {
    time: request.time ?? '',
    event: request.event ?? '',
    eventValue: textOf(request.event_value),
    group: request.group ?? '',
  };
}
