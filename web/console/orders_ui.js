// Pieces the order, shipping and backorder screens share: status badges,
// customer names by id, a debounced search box with a list of results, and
// quantities compared as the API's decimal text (never as floats).
import { api } from './api.js';
import { h, clear } from './dom.js';

const STATUS_WORDS = {
  credit_hold: 'credit hold',
  open: 'open',
  partially_shipped: 'partially shipped',
  shipped: 'shipped',
  invoiced: 'invoiced',
  paid: 'paid',
  closed: 'closed',
  rejected: 'rejected',
  cancelled: 'cancelled',
  delivered: 'delivered',
};
export const ORDER_STATUSES = ['credit_hold', 'open', 'partially_shipped', 'shipped', 'invoiced', 'paid', 'closed',
                               'rejected', 'cancelled'];

export function statusWord(status) {
  return STATUS_WORDS[status] || String(status).replace(/_/g, ' ');
}

export function statusBadge(status) {
  const tone = status === 'credit_hold' || status === 'rejected' || status === 'cancelled' ? ' bad'
    : status === 'paid' || status === 'closed' || status === 'delivered' ? ' good' : '';
  return h('span', { class: 'badge status-' + status + tone }, statusWord(status));
}

// "0", "0.000" -> true. Quantities come from the API as decimal text.
export function isZero(quantity) {
  return /^0*(\.0*)?$/.test(String(quantity).trim()) && String(quantity).trim() !== '';
}

// Customers by id, each asked once per screen: {get(id) -> Promise<customer|null>}.
export function customerCache() {
  const seen = new Map();
  return {
    get(id) {
      if (!seen.has(id)) seen.set(id, api('GET', '/customers/' + encodeURIComponent(id)).catch(() => null));
      return seen.get(id);
    },
  };
}

// A search box: typing waits `delayMs` after the last key, then find(text)
// returns items, shown by render(item) as buttons; choosing one calls
// onPick(item). Only the newest answer is shown.
export function searchBox({ label, placeholder, find, render, onPick, delayMs = 250, minLength = 1, name }) {
  const input = h('input', { type: 'search', autocomplete: 'off', placeholder, name,
                             'aria-describedby': null });
  const results = h('ul', { class: 'search-results', 'aria-live': 'polite' });
  const note = h('p', { class: 'note search-note' });
  const id = 'search-' + Math.random().toString(36).slice(2, 8);
  input.id = id;
  results.id = id + '-results';
  input.setAttribute('aria-controls', results.id);
  let timer = null;
  let asked = 0;
  const run = async () => {
    const text = input.value.trim();
    const mine = ++asked;
    if (text.length < minLength) {
      clear(results);
      note.textContent = '';
      return;
    }
    note.textContent = 'Searching…';
    try {
      const items = await find(text);
      if (mine !== asked) return;
      clear(results);
      note.textContent = items.length === 0 ? 'Nothing matches “' + text + '”.' : '';
      for (const item of items) {
        const b = h('button', { type: 'button', class: 'result' }, ...[].concat(render(item)));
        b.addEventListener('click', () => onPick(item));
        results.append(h('li', {}, b));
      }
    } catch (e) {
      if (mine !== asked) return;
      clear(results);
      note.textContent = 'The search failed: ' + e.message;
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, delayMs);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      clearTimeout(timer);
      run();
    }
  });
  const root = h('div', { class: 'search' }, h('label', { for: id }, label), input, note, results);
  root.input = input;
  root.reset = () => {
    input.value = '';
    asked++;
    clear(results);
    note.textContent = '';
  };
  return root;
}

// A definition list of [term, value] pairs.
export function facts(pairs, cls) {
  const dl = h('dl', { class: 'figures' + (cls ? ' ' + cls : '') });
  for (const [term, value] of pairs) dl.append(h('dt', {}, term), h('dd', {}, value));
  return dl;
}

// A fresh Idempotency-Key for one intended action.
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
