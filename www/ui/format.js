// Numbers as a paper prints them. The page formats every result through these functions, and the
// browser tests format the CLI's numbers through them too, so the two can be compared as text.
//
//   survival at a time   77.0% (95% CI 61.2-86.8)
//   a median             21.9 (16.6-28.9), 35.7 (25.3-NR), not reached
//   a p-value            P < 0.001, P = 0.013, P > 0.99
//
// A limit the engine reports as null (not estimable, or the curve never fell that far) prints as
// "NR" inside a median's interval and "NE" elsewhere.

const TIE_DIGITS = 30;

/**
 * Fixed decimals as the engine (Rust's `{:.N}`) writes them, with "-0.0" written as "0.0".
 * `toFixed` rounds an exact tie up (6.25 -> "6.3"); Rust rounds it to even (6.25 -> "6.2"), so a
 * tie is detected on the exact decimal expansion and rounded to even, as the CLI prints it.
 */
export function fixed(value, decimals) {
  let text = value.toFixed(decimals);
  if (Number.isFinite(value) && Math.abs(value) < 1e21 && decimals + TIE_DIGITS <= 100) {
    const exact = Math.abs(value).toFixed(decimals + TIE_DIGITS);
    const kept = exact.slice(0, exact.length - TIE_DIGITS);
    if (/^50*$/.test(exact.slice(-TIE_DIGITS)) && Number(kept.replace('.', '').slice(-1)) % 2 === 0) {
      text = `${value < 0 ? '-' : ''}${kept.replace(/\.$/, '')}`;
    }
  }
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** 0.95 -> "95%", 0.975 -> "97.5%". */
export function levelLabel(confLevel) {
  return `${Number((confLevel * 100).toFixed(6))}%`;
}

/** A probability as a percentage with one decimal: 0.7703 -> "77.0". */
export function percent(value) {
  return value === null || value === undefined ? 'NE' : fixed(value * 100, 1);
}

/** S(t) with its interval: "77.0% (95% CI 61.2-86.8)"; "not estimable" without an estimate. */
export function survivalWithCi(surv, lower, upper, confLevel) {
  if (surv === null || surv === undefined) return 'not estimable';
  return `${percent(surv)}% (${levelLabel(confLevel)} CI ${percent(lower)}-${percent(upper)})`;
}

/** Decimals for times on a scale: one below 100 (months, years), none above (days). */
export function timeDecimals(largestTime) {
  return Number.isFinite(largestTime) && Math.abs(largestTime) >= 100 ? 0 : 1;
}

/** The time decimals for a `km` report: from the largest time any group observed. */
export function timeDecimalsOf(kmReport) {
  let largest = 0;
  for (const group of kmReport.groups ?? []) {
    const times = group.steps?.time ?? [];
    if (times.length > 0) largest = Math.max(largest, times[times.length - 1]);
  }
  return timeDecimals(largest);
}

/** A time: 21.8809 -> "21.9" (1 decimal) or 310 -> "310" (0 decimals). */
export function time(value, decimals) {
  return fixed(value, decimals);
}

/** A median with its interval: "21.9 (16.6-28.9)", "35.7 (25.3-NR)", "not reached". */
export function median({ estimate, lower, upper }, decimals) {
  const limit = (value) => (value === null || value === undefined ? 'NR' : time(value, decimals));
  if (estimate === null || estimate === undefined) {
    return lower === null || lower === undefined ? 'not reached' : `not reached (${limit(lower)}-NR)`;
  }
  return `${time(estimate, decimals)} (${limit(lower)}-${limit(upper)})`;
}

/** A median in a sentence: "21.9 months (95% CI 16.6-28.9)", "not reached". */
export function medianInWords({ estimate, lower, upper }, decimals, confLevel, unit = '') {
  if (estimate === null || estimate === undefined) return 'not reached';
  const limit = (value) => (value === null || value === undefined ? 'NR' : time(value, decimals));
  return `${time(estimate, decimals)}${unit ? ` ${unit}` : ''} (${levelLabel(confLevel)} CI ${limit(lower)}-${limit(upper)})`;
}

/** A p-value as journals print it: "P < 0.001", "P = 0.013", "P > 0.99". */
export function pValue(p) {
  if (p === null || p === undefined || Number.isNaN(p)) return 'P not estimable';
  if (p < 0.001) return 'P < 0.001';
  if (p > 0.99) return 'P > 0.99';
  return `P = ${fixed(p, 3)}`;
}

/** A p-value in a table as papers print it: "< 0.001", else three decimals; "" when there is none. */
export function paperP(p) {
  if (p === null || p === undefined || Number.isNaN(p)) return '';
  return p < 0.001 ? '< 0.001' : fixed(p, 3);
}

/** A hazard ratio with its interval, two decimals as the forest plot prints it: "0.17 (0.08-0.37)". */
export function ratioWithCi(ratio, lower, upper) {
  if (ratio === null || ratio === undefined) return 'not estimated';
  const limit = (value) => (value === null || value === undefined ? 'NE' : fixed(value, 2));
  return `${fixed(ratio, 2)} (${limit(lower)}-${limit(upper)})`;
}

/**
 * A cumulative incidence with its interval: "17.3% (95% CI 9.1-27.8)"; "0.0%" when no event has
 * happened yet (the interval does not exist); "not estimable" past the last observed time.
 */
export function incidenceWithCi(cif, lower, upper, confLevel) {
  if (cif === null || cif === undefined) return 'not estimable';
  if ((lower === null || lower === undefined) && (upper === null || upper === undefined)) return `${percent(cif)}%`;
  return `${percent(cif)}% (${levelLabel(confLevel)} CI ${percent(lower)}-${percent(upper)})`;
}

/** A test statistic: two decimals. */
export function statistic(value) {
  return value === null || value === undefined ? 'NE' : fixed(value, 2);
}

/** A landmark or axis time as written by the user: 12 -> "12", 2.5 -> "2.5". */
export function shortNumber(value) {
  return Object.is(value, -0) ? '0' : String(value);
}

/** A file size: "512 bytes", "38 KB", "17.2 MB". */
export function fileSize(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${fixed(bytes / (1024 * 1024), 1)} MB`;
}

/** "1 event", "12 events". */
export function count(n, singular, plural = `${singular}s`) {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}

