// Pieces every screen of the console shares: amounts as the API's exact
// decimal text, tables, links between screens, and buttons that run an API
// call and show the server's refusal beside them.
import { api, ApiError } from './api.js';
import { h, clear } from './dom.js';

// "1234567.89" -> "1,234,567.89": amounts stay the API's exact decimal text.
export function groupDigits(text) {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(String(text));
  if (!m) return String(text);
  return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (m[3] || '');
}

export function money(text, currency) {
  return groupDigits(text) + (currency ? ' ' + currency : '');
}

// Whether the signed-in role may call a route, "POST /orders/{id}/approve",
// by the list GET /session returns (the router's own table).
export function may(session, route) {
  return Array.isArray(session.may) && session.may.includes(route);
}

// A link to another screen of the console: link('orders/12', 'SO-12').
export function link(path, text) {
  return h('a', { href: '#/' + path }, text);
}

// A table: columns [{label, num?}], rows of cells (text or nodes).
export function table(columns, rows, caption) {
  const t = h('table');
  if (caption) t.append(h('caption', {}, caption));
  t.append(h('thead', {}, h('tr', {}, ...columns.map((c) =>
    h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))));
  const body = h('tbody');
  for (const row of rows) {
    body.append(h('tr', {}, ...row.map((cell, i) =>
      h('td', { class: columns[i] && columns[i].num ? 'num' : null }, cell))));
  }
  t.append(body);
  return t;
}

// A paragraph that shows an action's outcome: the server's error message
// (role="alert") or what was done (role="status").
export function messageLine() {
  const el = h('p', { class: 'message', 'aria-live': 'polite' });
  el.showError = (e) => {
    el.className = 'message error';
    el.setAttribute('role', 'alert');
    el.textContent = e instanceof ApiError || e instanceof Error ? e.message : String(e);
  };
  el.showDone = (text) => {
    el.className = 'message done';
    el.setAttribute('role', 'status');
    el.textContent = text;
  };
  el.clear = () => {
    el.className = 'message';
    el.textContent = '';
  };
  return el;
}

// Runs fn() for a button: disabled while it runs; a refusal goes to the
// message line (and nothing else happens), success to onDone.
export async function runAction(button, message, fn, onDone) {
  button.disabled = true;
  if (message) message.clear();
  try {
    const result = await fn();
    if (onDone) await onDone(result);
    return result;
  } catch (e) {
    if (message) message.showError(e);
    else throw e;
    return undefined;
  } finally {
    button.disabled = false;
  }
}

// Every item of a list endpoint, following next_cursor (at most maxPages
// pages of 200): {items, more}, more when it stopped before the end.
export async function listAll(path, maxPages = 10) {
  const sep = path.includes('?') ? '&' : '?';
  let cursor = null;
  const items = [];
  for (let page = 0; page < maxPages; page++) {
    const url = path + sep + 'limit=200' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
    const data = await api('GET', url);
    items.push(...data.data);
    if (data.next_cursor === null || data.next_cursor === undefined) return { items, more: false };
    cursor = data.next_cursor;
  }
  return { items, more: true };
}

// A labelled form field: field('Reason', input) -> [label, input].
let fieldCount = 0;
export function field(label, input) {
  if (!input.id) input.id = 'f' + (++fieldCount);
  return [h('label', { for: input.id }, label), input];
}

export function emptyNote(text) {
  return h('p', { class: 'note empty' }, text);
}

export { h, clear };
