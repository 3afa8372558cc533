// Building the page from data without ever parsing user text as HTML: every string goes in through
// `textContent` (or an attribute), so a column named `<img src=x onerror=...>` shows as those characters.

/**
 * `el('td', { className: 'num', title: 'x' }, 'text', child)`: an element with properties set and
 * children appended (strings become text nodes). Properties are set as DOM properties, except
 * `aria-*`, `data-*`, `role` and `scope`, which are set as attributes.
 */
export function el(tag, properties = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(properties)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('aria-') || key.startsWith('data-') || key === 'role' || key === 'scope') {
      element.setAttribute(key, String(value));
    } else {
      element[key] = value;
    }
  }
  append(element, ...children);
  return element;
}

/** Appends children: nodes as they are, strings and numbers as text, null/undefined skipped. */
export function append(parent, ...children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Removes every child. */
export function clear(element) {
  element.replaceChildren();
  return element;
}

/** Replaces a select's options: `[{ value, label }]`, keeping `selected` when it is still offered. */
export function setOptions(select, options, selected) {
  clear(select);
  for (const { value, label } of options) {
    select.append(el('option', { value, selected: value === selected }, label));
  }
  if (!options.some((option) => option.value === selected) && options.length > 0) {
    select.value = options[0].value;
  }
}

/** Selects `value` when the select offers it (returns whether it does); otherwise leaves it be. */
export function selectValue(select, value) {
  const offered = [...select.options].some((option) => option.value === value);
  if (offered) select.value = value;
  return offered;
}

/**
 * Fills a table: `header` an array of cells (strings or `{ text, className }`), `rows` arrays of
 * the same. The first cell of each body row is a row header.
 */
export function fillTable(table, header, rows) {
  const head = table.tHead ?? table.createTHead();
  const body = table.tBodies[0] ?? table.createTBody();
  const cell = (tag, content, extra = {}) => {
    const spec = typeof content === 'object' && content !== null && !(content instanceof Node) ? content : { text: content };
    return el(tag, { className: spec.className ?? '', title: spec.title, ...extra }, spec.node ?? spec.text ?? '');
  };
  clear(head).append(el('tr', {}, header.map((content) => cell('th', content, { scope: 'col' }))));
  clear(body);
  for (const row of rows) {
    body.append(el('tr', {}, row.map((content, index) => (index === 0 ? cell('th', content, { scope: 'row' }) : cell('td', content)))));
  }
}

/** Saves a Blob as a file through a temporary blob: link (nothing leaves the computer). */
export function download(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: fileName, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
