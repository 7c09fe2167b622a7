// Pieces the finance screens share (bank, collections, disputes, customers,
// invoices): exact arithmetic on the API's decimal text for the one figure a
// person needs while typing (what is left of a bank line), names of
// customers, links to documents and files, and lists shown a page at a time.
import { api } from './api.js';
import { h, clear, link } from './ui.js';

// How many decimals the API wrote: "119.00" -> 2, "500" -> 0. The API writes
// every amount of a document with its currency's exponent.
export function decimalsOf(text) {
  const m = /^-?\d+(?:\.(\d+))?$/.exec(String(text));
  return m && m[1] ? m[1].length : 0;
}

// "119.5" at 2 decimals -> 11950n; null when the text is no amount with at
// most `exp` decimals (the API would refuse it too, and says why).
export function toMinor(text, exp) {
  const m = /^\s*(-?)(\d+)(?:\.(\d*))?\s*$/.exec(String(text));
  if (!m) return null;
  const frac = m[3] || '';
  if (frac.length > exp) return null;
  const digits = m[2] + frac.padEnd(exp, '0');
  const value = BigInt(digits);
  return m[1] === '-' ? -value : value;
}

// 11950n at 2 decimals -> "119.50".
export function fromMinor(minor, exp) {
  const negative = minor < 0n;
  let digits = (negative ? -minor : minor).toString();
  if (exp > 0) {
    digits = digits.padStart(exp + 1, '0');
    digits = digits.slice(0, digits.length - exp) + '.' + digits.slice(digits.length - exp);
  }
  return (negative ? '-' : '') + digits;
}

// Customer names by id, asked once per page view.
export function customerNames() {
  const known = new Map();
  return async (id) => {
    if (!known.has(id)) {
      known.set(id, api('GET', '/customers/' + encodeURIComponent(id)).then((c) => c.name, () => 'customer ' + id));
    }
    return known.get(id);
  };
}

export function customerLink(id, name) {
  return link('customers/' + encodeURIComponent(id), name || 'customer ' + id);
}

export function invoiceLink(id, number) {
  return link('invoices/' + encodeURIComponent(id), number || 'invoice ' + id);
}

// A file the API serves (PDF, UBL): opened with the session cookie, saved
// under `name`.
export function fileLink(path, text, name) {
  return h('a', { href: '/api/v1' + path, download: name || null, class: 'file' }, text);
}

// "unmatched" -> "Unmatched"; "partially_paid" -> "partially paid".
export function words(code) {
  return String(code).replace(/_/g, ' ');
}

export function statusBadge(status) {
  const good = ['paid', 'matched', 'resolved', 'upheld'];
  const bad = ['open', 'unmatched', 'overdue'];
  const cls = good.includes(status) ? 'badge good' : bad.includes(status) ? 'badge bad' : 'badge';
  return h('span', { class: cls }, words(status));
}

// A list endpoint shown a page at a time: render(items) fills `into` with the
// page; "Next page" follows next_cursor, "First page" goes back.
export async function pagedList(into, path, pageSize, render) {
  const sep = path.includes('?') ? '&' : '?';
  const show = async (cursor) => {
    const url = path + sep + 'limit=' + pageSize + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
    const data = await api('GET', url);
    clear(into);
    into.append(await render(data.data));
    const nav = h('div', { class: 'actions pager' });
    if (cursor) {
      const first = h('button', { type: 'button', class: 'secondary' }, 'First page');
      first.addEventListener('click', () => show(null));
      nav.append(first);
    }
    if (data.next_cursor) {
      const next = h('button', { type: 'button', class: 'secondary' }, 'Next page');
      next.addEventListener('click', () => show(data.next_cursor));
      nav.append(next);
    }
    if (nav.firstChild) into.append(nav);
    return data;
  };
  return show(null);
}

// Facts as a definition list: [[term, value], ...]; a null value is left out.
export function facts(pairs, cls) {
  const dl = h('dl', { class: cls || 'figures' });
  for (const [term, value] of pairs) {
    if (value === null || value === undefined) continue;
    dl.append(h('dt', {}, term), h('dd', {}, value));
  }
  return dl;
}

// Free text in a table cell (a description, a reason): it wraps, where
// numbers, dates and document numbers stay on one line.
export function text(value) {
  return h('span', { class: 'text' }, value);
}

// A table inside a horizontally scrolling box, so that a phone scrolls the
// table and not the page.
export function wrap(tableEl) {
  return h('div', { class: 'table-wrap fin' }, tableEl);
}
