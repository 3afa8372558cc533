// Studies: what was asked of the engine, never the data. A study holds the file options, the
// derived columns it was given, and each panel's last successful requests with their titles and
// figure settings; `survkit run --study FILE --data CSV` runs the same requests on the command
// line. It is saved as a file (Save study), opened from one (Open study), or carried in the page's
// link after `#study=` (Copy link): browsers never send a link's fragment to a server.
//
//   { "survkit_study": 1, "title": "…", "read": { "delimiter": ",", "decimal": ".", "na": ["-99"] },
//     "derived": [], "analyses": [{ "title": "…", "request": { "analysis": "km", … }, "figure": { … } }] }

import { download } from './dom.js';

/** @typedef {import('../../schema/survkit.d.ts').Study} Study */
/** @typedef {import('./panel_helpers.js').Panel} Panel */
/** @typedef {import('./panel_helpers.js').StudyEntry} StudyEntry */

const FRAGMENT = '#study=';
const NOT_A_STUDY = 'it is not a survkit study (a study file starts with "survkit_study": 1)';

/**
 * The study of the panels' last successful runs, then the analyses of an opened study that no
 * panel shows (`unshown`), written back as they were so saving never loses one.
 * @returns {Study}
 */
export function makeStudy({ title, read, derived, panels, unshown = [] }) {
  const shown = panels.flatMap((panel) => panel.entries());
  const requests = new Set(shown.map((entry) => JSON.stringify(entry.request)));
  return {
    survkit_study: 1,
    ...(title ? { title } : {}),
    read,
    derived,
    analyses: [...shown, ...unshown.filter((entry) => !requests.has(JSON.stringify(entry.request)))],
  };
}

/**
 * The entries of a study that no panel shows after applying it: a second analysis of a kind a
 * panel shows once, an option no panel offers (a landmark competing-risks analysis), or one that
 * failed. Compared by request, as the panels keep a study's requests as written.
 * @param {StudyEntry[]} entries
 * @param {Panel[]} panels
 */
export function unshownEntries(entries, panels) {
  const shown = new Set(panels.flatMap((panel) => panel.entries()).map((entry) => JSON.stringify(entry.request)));
  return entries.filter((entry) => !shown.has(JSON.stringify(entry.request)));
}

/** A study from a file's text: `{ study }`, or `{ error }` saying why it is not one. */
export function parseStudy(text) {
  let study;
  try {
    study = JSON.parse(text);
  } catch {
    return { error: `${NOT_A_STUDY}; it is not even JSON` };
  }
  if (study === null || typeof study !== 'object' || study.survkit_study !== 1) return { error: NOT_A_STUDY };
  return { study };
}

function base64url(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}

/** The link fragment carrying a study: `#study=` and the base64url of its JSON (UTF-8). */
export function studyFragment(study) {
  return `${FRAGMENT}${base64url(new TextEncoder().encode(JSON.stringify(study)))}`;
}

/** The study in a link's fragment: null when there is none, else `{ study }` or `{ error }`. */
export function studyOfFragment(hash) {
  if (!hash.startsWith(FRAGMENT)) return null;
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(fromBase64url(hash.slice(FRAGMENT.length)));
  } catch {
    return { error: 'the link\'s #study= part is damaged (it is not base64url text); copy the link again' };
  }
  return parseStudy(text);
}

/**
 * A study's analyses by the panel that applies them (the first, in the panels' order, that lists
 * its analysis and, when it has `takes`, takes it), and those no panel takes (an unknown analysis,
 * an entry without a request, or options no panel offers): the engine says what is wrong with them,
 * and those it runs are kept in the study.
 * @param {StudyEntry[]} analyses
 * @param {Panel[]} panels
 */
export function routeAnalyses(analyses, panels) {
  const routed = new Map(panels.map((panel) => [panel, []]));
  const unrouted = [];
  for (const entry of Array.isArray(analyses) ? analyses : []) {
    const panel = panels.find((candidate) => candidate.analyses.includes(entry?.request?.analysis) && (candidate.takes?.(entry) ?? true));
    if (panel) routed.get(panel).push(entry);
    else unrouted.push(entry);
  }
  return { routed: [...routed].filter(([, entries]) => entries.length > 0), unrouted };
}

/**
 * The study buttons. `page` gives what a study needs of the page: `panels`, `readOptions()`,
 * `applyReadOptions(read)` (sets the file options and reads the file again when they changed;
 * resolves to whether a file is loaded), `derived()` (the derived columns the page has added),
 * `applyDerived(list)` (adds a study's instead; resolves to whether it worked), `isLoaded()`,
 * `stem()`, `analyze(request)`,
 * `showError(title, message)`. The page calls `dataLoaded()` after each file it loads.
 */
export function createStudyControls(page) {
  const $ = (id) => document.getElementById(id);
  const ui = { open: $('study-open'), save: $('study-save'), link: $('study-link'), status: $('study-status') };
  const kept = { title: undefined, unshown: [] }; // what an opened study gave, written back as it was
  let pending = null; // a study waiting for data
  let shownHash = ''; // the fragment this page put in the link itself

  const say = (text) => {
    ui.status.textContent = text;
  };
  const current = () => makeStudy({
    title: kept.title, read: page.readOptions(), derived: page.derived(), panels: page.panels, unshown: kept.unshown,
  });

  function save() {
    const study = current();
    download(new Blob([`${JSON.stringify(study, null, 2)}\n`], { type: 'application/json' }), `${page.stem()}.survkit-study.json`);
    const unshown = study.analyses.filter((entry) => kept.unshown.includes(entry)).length;
    say(`Study saved: ${study.analyses.length} analyses${unshown > 0 ? ` (${unshown} of them kept from the opened study, not shown on the page)` : ''}, no patient data.`);
  }

  async function copyLink() {
    shownHash = studyFragment(current());
    history.replaceState(null, '', shownHash);
    try {
      await navigator.clipboard.writeText(location.href);
      say('Link copied. It holds the study (your choices), not the data: open it, then the same data file.');
    } catch {
      say('The link is in the address bar: copy it from there. It holds the study (your choices), not the data.');
    }
  }

  /**
   * An analysis no panel takes: the engine's error when it refuses it (then it is left out), else
   * true (it is kept in the study, not shown).
   */
  async function refuses(entry, index) {
    const answer = await page.analyze(entry?.request);
    if (!answer.error) return false;
    page.showError(`Study analysis ${index + 1}${entry?.title ? ` (${entry.title})` : ''}:`, answer.error.message);
    return true;
  }

  /** Applies a study to the loaded data, or keeps it until data is loaded. */
  async function apply(study) {
    if (!page.isLoaded()) {
      pending = study;
      say(`Study ${study.title ? `"${study.title}" ` : ''}read: open its data file, or the example data, to apply it.`);
      return;
    }
    pending = null;
    kept.title = study.title;
    kept.unshown = [];
    say('Applying the study…');
    if (!(await page.applyReadOptions(study.read ?? {}))) return;
    if (!(await page.applyDerived(Array.isArray(study.derived) ? study.derived : []))) return;
    // Every problem at once, each naming its analysis and field, before anything runs.
    const checked = await page.checkStudy(study);
    if (checked.error || checked.problems.length > 0) {
      say('');
      const problems = checked.error ? [checked.error.message] : checked.problems;
      const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
      page.showError(`The study does not fit this file (${count}):`, `\n${problems.join('\n')}`);
      return;
    }
    const { routed, unrouted } = routeAnalyses(study.analyses, page.panels);
    for (const [panel, entries] of routed) await panel.apply(entries);
    const all = Array.isArray(study.analyses) ? study.analyses : [];
    const refused = [];
    for (const entry of unrouted) if (await refuses(entry, all.indexOf(entry))) refused.push(entry);
    kept.unshown = unshownEntries(all.filter((entry) => !refused.includes(entry)), page.panels);
    const shown = all.length - refused.length - kept.unshown.length;
    const name = study.title ? `"${study.title}" ` : '';
    const notShown = kept.unshown.length === 0 ? ''
      : ` Kept in the study but not shown on the page (Save study writes them back; survkit run --study runs them): ${
        kept.unshown.map((entry) => entry.title || `analysis ${all.indexOf(entry) + 1} (${entry.request?.analysis})`).join('; ')}.`;
    const left = refused.length === 0 ? '' : ` Left out, as the engine refuses them: ${refused.length}.`;
    say(`Study ${name}applied: ${shown} of ${all.length} analyses shown.${notShown}${left}`);
  }

  async function openFile(file) {
    if (!file) return;
    ui.open.value = '';
    const { study, error } = parseStudy(await file.text());
    if (error) {
      say('');
      page.showError(`${file.name} could not be opened:`, error);
      return;
    }
    await apply(study);
  }

  /** A link with a study: applied once data is loaded (at once if it is). */
  function readFragment() {
    if (location.hash === shownHash) return Promise.resolve();
    const found = studyOfFragment(location.hash);
    if (!found) return Promise.resolve();
    if (found.error) {
      page.showError('The study in this link could not be read:', found.error);
      return Promise.resolve();
    }
    return apply(found.study);
  }

  ui.open.addEventListener('change', () => openFile(ui.open.files[0]));
  ui.save.addEventListener('click', save);
  ui.link.addEventListener('click', copyLink);
  window.addEventListener('hashchange', readFragment);

  return {
    readFragment,
    /** The file was read again (new file options): the study's derived columns are made again. */
    remakeDerived: () => page.applyDerived(page.derived()),
    /** A file was loaded (or failed to load): enables the buttons and applies a study waiting for data. */
    dataLoaded() {
      ui.save.disabled = !page.isLoaded();
      ui.link.disabled = !page.isLoaded();
      return pending && page.isLoaded() ? apply(pending) : Promise.resolve();
    },
  };
}
