// First guesses for the column mapping, from the columns' names and detected types. The user can
// change every one; nothing here decides a result.
//
//   time   a numeric column named like a follow-up time: time, months, days, os, pfs, futime...
//   event  a column of at most three values named like a status: status, event, dead, fustat...,
//          preferring one that shares the time column's prefix (os_months -> os_event)
//   group  a column with 2-8 levels named like a grouping (group, arm, treatment...), or else
//          the first categorical column with 2-8 levels

const TIME_WORDS = ['time', 'months', 'month', 'days', 'day', 'years', 'year', 'weeks', 'week',
  'os', 'pfs', 'lfs', 'efs', 'dfs', 'rfs', 'futime', 'fu', 'followup', 'follow', 'survival', 'surv', 'stime', 'ttd'];
const EVENT_WORDS = ['status', 'event', 'events', 'dead', 'death', 'died', 'fustat', 'censor', 'censored',
  'cens', 'vital', 'died', 'outcome', 'fail', 'failure', 'relapse'];
const GROUP_WORDS = ['group', 'groups', 'arm', 'arms', 'treatment', 'treat', 'trt', 'rx', 'cohort',
  'allocation', 'randomisation', 'randomization', 'exposure', 'strategy'];

/** The words of a column name: "OS.Months" -> ["os", "months"], "futimeDays" -> ["futime", "days"]. */
export function words(name) {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** How many of a column's filled cells read as numbers. */
function numberShare(column, nRows) {
  const filled = nRows - column.n_missing;
  if (column.kind === 'numeric') return 1;
  return filled > 0 ? column.numeric_cells / filled : 0;
}

/** A categorical column whose cells are mostly numbers: a numeric column with stray text. */
export function mostlyNumbers(column, nRows) {
  return column.kind === 'categorical' && numberShare(column, nRows) >= 0.5;
}

function firstBest(columns, score) {
  let best = null;
  let bestScore = 0;
  for (const column of columns) {
    const value = score(column);
    if (value > bestScore) {
      best = column;
      bestScore = value;
    }
  }
  return best;
}

function timeScore(column, nRows) {
  if (numberShare(column, nRows) < 0.5) return 0;
  const parts = words(column.name);
  if (parts.some((part) => part === 'date' || part === 'age' || part === 'id')) return 0;
  if (parts.length === 1 && parts[0] === 'time') return 10;
  let score = 0;
  for (const part of parts) {
    if (['time', 'futime', 'stime'].includes(part)) score = Math.max(score, 8);
    else if (['os', 'pfs', 'efs', 'dfs'].includes(part)) score = Math.max(score, 7);
    else if (TIME_WORDS.includes(part)) score = Math.max(score, 6);
  }
  return column.kind === 'numeric' ? score : score / 2;
}

function eventScore(column, prefix) {
  if (column.n_distinct < 1 || column.n_distinct > 3) return 0;
  const parts = words(column.name);
  let score = 0;
  for (const part of parts) {
    if (EVENT_WORDS.includes(part)) score = Math.max(score, part === 'relapse' ? 3 : 6);
  }
  if (score > 0 && prefix && parts[0] === prefix) score += 3;
  if (score > 0 && column.n_distinct === 2) score += 1;
  return score;
}

function groupScore(column) {
  if (column.n_distinct < 2 || column.n_distinct > 8) return 0;
  const parts = words(column.name);
  if (parts.some((part) => GROUP_WORDS.includes(part))) return 5;
  return column.kind === 'categorical' ? 1 : 0;
}

/** Landmark times and the axis label suggested by the time column's unit. */
export function timeUnit(name) {
  const parts = name ? words(name) : [];
  const has = (...names) => parts.some((part) => names.includes(part));
  if (has('month', 'months', 'mo', 'mos')) return { label: 'Months', at: [12, 24] };
  if (has('day', 'days', 'futime')) return { label: 'Days', at: [365, 730] };
  if (has('year', 'years', 'yr', 'yrs')) return { label: 'Years', at: [1, 2, 5] };
  if (has('week', 'weeks', 'wk', 'wks')) return { label: 'Weeks', at: [52, 104] };
  return { label: 'Time', at: [] };
}

/**
 * The suggested mapping for a table summary:
 * `{ time, event, group, at, unit }` (names, or null when nothing fits).
 */
export function guessMapping(summary) {
  const columns = summary.columns ?? [];
  const nRows = summary.n_rows ?? 0;
  const time = firstBest(columns, (column) => timeScore(column, nRows));
  const prefix = time ? words(time.name)[0] : null;
  const event = firstBest(
    columns.filter((column) => column !== time),
    (column) => eventScore(column, prefix),
  );
  const group = firstBest(
    columns.filter((column) => column !== time && column !== event),
    groupScore,
  );
  const unit = timeUnit(time?.name);
  return {
    time: time?.name ?? null,
    event: event?.name ?? null,
    group: group?.name ?? null,
    at: unit.at,
    unit: unit.label,
  };
}
