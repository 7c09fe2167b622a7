// The reconciliation workbench: bank lines by status. An unmatched or
// suggested line shows what the matcher proposes and why (its rule, score
// and reasons); the accountant accepts a suggestion, matches the line by
// hand to one or several of a customer's open invoices, or books it to
// fees. A matched line shows what it paid and can be unmatched.
import { api } from '../api.js';
import { h, clear, money, may, messageLine, runAction, field, emptyNote, table } from '../ui.js';
import { decimalsOf, toMinor, fromMinor, customerNames, customerLink, invoiceLink, words, pagedList, wrap, facts }
  from '../finance.js';

const TABS = [
  { status: 'unmatched', label: 'Unmatched' },
  { status: 'suggested', label: 'Suggested' },
  { status: 'matched', label: 'Matched' },
];
const PAGE = 25;

function lineFacts(line) {
  return facts([
    ['Booked', line.booking_date + (line.value_date && line.value_date !== line.booking_date ? ' (value ' + line.value_date + ')' : '')],
    ['Amount', money(line.amount, line.currency)],
    ['Counterparty', line.counterparty_name || 'not given'],
    ['Their account', line.counterparty_iban || null],
    ['Reference', line.reference || null],
    ['Remittance', line.remittance || null],
  ], 'figures line-facts');
}

function suggestionCard(line, s, index, ctx, names, done) {
  const box = h('li', { class: 'suggestion' });
  const head = h('p', {}, h('strong', {}, 'Score ' + s.score), ' · ', words(s.rule || 'match'));
  if (s.customer_id) {
    const who = customerLink(s.customer_id, '');
    names(s.customer_id).then((n) => { who.textContent = n; });
    head.append(' · ', who);
  }
  box.append(head);
  const allocs = s.allocations && s.allocations.length ? s.allocations
    : (s.invoice_ids || []).map((id) => ({ invoice_id: id, number: '', amount: null }));
  box.append(h('ul', { class: 'allocations' }, ...allocs.map((a) =>
    h('li', {}, invoiceLink(a.invoice_id, a.number), a.amount === null ? '' : ': ' + money(a.amount, line.currency)))));
  if (s.reasons && s.reasons.length) {
    box.append(h('p', { class: 'why' }, 'Why'), h('ul', { class: 'reasons' }, ...s.reasons.map((r) => h('li', {}, r))));
  }
  if (s.why_not_applied) box.append(h('p', { class: 'why' }, 'Not booked automatically: ' + s.why_not_applied + '.'));
  if (may(ctx.session, 'POST /bank-lines/{id}/match') && s.allocations && s.allocations.length) {
    const message = messageLine();
    const accept = h('button', { type: 'button', name: 'accept' }, 'Accept suggestion ' + (index + 1));
    accept.addEventListener('click', () => runAction(accept, message, () =>
      api('POST', '/bank-lines/' + line.id + '/match',
          { allocations: s.allocations.map((a) => ({ invoice_id: a.invoice_id, amount: a.amount })) }),
    (l) => done(l, 'Line of ' + money(line.amount, line.currency) + ' matched: payment ' + l.payment_id + ' booked.')));
    box.append(h('div', { class: 'actions' }, accept), message);
  }
  return box;
}

// Matching by hand: a customer (the suggested one, or found by name), their
// open invoices with the amount to put on each (the open amount unless
// changed), and what is left of the line as the amounts are typed. The rest
// of the line, if any, becomes the customer's credit; more than the line is
// refused by the API.
function manualMatch(line, ctx, done) {
  const exp = decimalsOf(line.amount);
  const lineMinor = toMinor(line.amount, exp);
  const box = h('details', { class: 'manual' });
  box.append(h('summary', {}, 'Match by hand'));
  const message = messageLine();
  const search = h('input', { type: 'search', name: 'customer-search', autocomplete: 'off' });
  const pick = h('select', { name: 'customer' });
  const invoicesBox = h('div', { class: 'manual-invoices' });
  const remainder = h('p', { class: 'remainder', 'aria-live': 'polite' });
  const book = h('button', { type: 'button', name: 'match-invoices' }, 'Match to the chosen invoices');
  const fees = h('button', { type: 'button', class: 'secondary', name: 'book-fees' }, 'Book to fees');
  let customers = null;
  let rows = [];

  const updateRemainder = () => {
    let sum = 0n;
    let bad = false;
    for (const r of rows) {
      if (!r.check.checked) continue;
      const v = toMinor(r.amount.value, exp);
      r.amount.setAttribute('aria-invalid', v === null ? 'true' : 'false');
      if (v === null) bad = true;
      else sum += v;
    }
    const left = lineMinor - sum;
    remainder.className = 'remainder' + (left < 0n || bad ? ' over' : left === 0n ? ' exact' : '');
    if (bad) remainder.textContent = 'An amount is not a number with at most ' + exp + ' decimals.';
    else if (left === 0n) remainder.textContent = 'Allocated ' + money(fromMinor(sum, exp), line.currency) + ': the line is used exactly.';
    else if (left > 0n) remainder.textContent = 'Allocated ' + money(fromMinor(sum, exp), line.currency) + ', left ' +
      money(fromMinor(left, exp), line.currency) + ' (becomes the customer\'s credit).';
    else remainder.textContent = 'Allocated ' + money(fromMinor(sum, exp), line.currency) + ': ' +
      money(fromMinor(-left, exp), line.currency) + ' more than the line.';
  };

  const loadInvoices = async (customerId) => {
    clear(invoicesBox);
    rows = [];
    if (!customerId) return;
    const data = await api('GET', '/invoices?status=unpaid&limit=200&customer_id=' + encodeURIComponent(customerId));
    const open = data.data.filter((i) => i.currency === line.currency);
    if (open.length === 0) {
      invoicesBox.append(emptyNote('This customer has no open invoice in ' + line.currency + '.'));
      updateRemainder();
      return;
    }
    const t = table([{ label: 'Pay' }, { label: 'Invoice' }, { label: 'Due' }, { label: 'Open', num: true },
                     { label: 'Amount to apply', num: true }], []);
    const body = t.querySelector('tbody');
    for (const inv of open) {
      const check = h('input', { type: 'checkbox', name: 'pay-' + inv.number, id: 'pay-' + line.id + '-' + inv.id });
      const amount = h('input', { type: 'text', inputmode: 'decimal', name: 'amount-' + inv.number, value: inv.open_amount,
                                  'aria-label': 'Amount to apply to ' + inv.number, class: 'amount' });
      check.addEventListener('change', updateRemainder);
      amount.addEventListener('input', () => { check.checked = true; updateRemainder(); });
      rows.push({ inv, check, amount });
      body.append(h('tr', {},
        h('td', {}, check, h('label', { for: check.id, class: 'inline' }, 'Pay ' + inv.number)),
        h('td', {}, invoiceLink(inv.id, inv.number)),
        h('td', {}, inv.due_date),
        h('td', { class: 'num' }, money(inv.open_amount, inv.currency)),
        h('td', { class: 'num' }, amount)));
    }
    invoicesBox.append(wrap(t));
    updateRemainder();
  };

  const fillCustomers = () => {
    const q = search.value.trim().toLowerCase();
    const keep = pick.value;
    clear(pick);
    pick.append(h('option', { value: '' }, 'Choose a customer'));
    const found = customers.filter((c) => !q || c.name.toLowerCase().includes(q) || c.id === q).slice(0, 50);
    for (const c of found) pick.append(h('option', { value: c.id }, c.name + ' (' + c.id + ')'));
    if (found.some((c) => c.id === keep)) pick.value = keep;
  };

  let opened = false;
  box.addEventListener('toggle', () => {
    if (!box.open || opened) return;
    opened = true;
    (async () => {
      const all = [];
      let cursor = null;
      for (let page = 0; page < 10; page++) {
        const data = await api('GET', '/customers?limit=200' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
        all.push(...data.data);
        cursor = data.next_cursor;
        if (!cursor) break;
      }
      customers = all;
      fillCustomers();
      const suggested = line.suggestions && line.suggestions[0] && line.suggestions[0].customer_id;
      if (suggested) {
        pick.value = suggested;
        await loadInvoices(suggested);
      }
    })().catch((e) => message.showError(e));
  });
  search.addEventListener('input', () => { if (customers) fillCustomers(); });
  pick.addEventListener('change', () => loadInvoices(pick.value).catch((e) => message.showError(e)));

  book.addEventListener('click', () => runAction(book, message, () => {
    const chosen = rows.filter((r) => r.check.checked);
    if (chosen.length === 0) throw new Error('Tick at least one invoice to pay.');
    return api('POST', '/bank-lines/' + line.id + '/match',
               { allocations: chosen.map((r) => ({ invoice_id: r.inv.id, amount: r.amount.value.trim() })) });
  }, (l) => done(l, 'Line of ' + money(line.amount, line.currency) + ' matched by hand: payment ' + l.payment_id + ' booked.')));
  fees.addEventListener('click', () => runAction(fees, message, () =>
    api('POST', '/bank-lines/' + line.id + '/match', { account: 'fees' }),
  (l) => done(l, 'Line of ' + money(line.amount, line.currency) + ' booked to ' + (l.account_posted || 'fees') + '.')));

  box.append(h('div', { class: 'manual-body' },
    h('div', { class: 'pair' }, h('div', {}, ...field('Find a customer', search)), h('div', {}, ...field('Customer', pick))),
    invoicesBox, remainder, h('div', { class: 'actions' }, book, fees), message));
  return box;
}

async function matchedFacts(line) {
  if (line.payment_id) {
    try {
      const p = await api('GET', '/payments/' + line.payment_id);
      return h('div', {}, h('p', {}, 'Payment ' + p.id + ' (' + words(line.matched_rule || '') + ')'),
        h('ul', { class: 'allocations' }, ...p.allocations.map((a) =>
          h('li', {}, invoiceLink(a.invoice_id, a.invoice_number), ': ' + money(a.amount, p.currency)))));
    } catch (e) {
      return h('p', {}, 'Payment ' + line.payment_id);
    }
  }
  if (line.account_posted) return h('p', {}, 'Posted to account ' + line.account_posted + ' (' + words(line.matched_rule || '') + ')');
  return null;
}

function lineCard(line, ctx, names) {
  const card = h('article', { class: 'card bank-line', 'aria-labelledby': 'line-' + line.id, 'data-line-id': line.id });
  card.append(h('h2', { id: 'line-' + line.id },
    money(line.amount, line.currency) + ' · ' + (line.counterparty_name || 'no counterparty') + ' · ' + line.booking_date));
  card.append(lineFacts(line));
  const result = messageLine();
  const done = (l, text) => {
    clear(card);
    card.append(h('h2', { id: 'line-' + line.id }, money(line.amount, line.currency) + ' · ' + (line.counterparty_name || '')));
    card.classList.add('settled');
    result.showDone(text);
    card.append(result);
  };
  if (line.status === 'matched') {
    const paid = h('div', {});
    matchedFacts(line).then((n) => { if (n) paid.append(n); });
    card.append(paid);
    if (may(ctx.session, 'POST /bank-lines/{id}/unmatch')) {
      const message = messageLine();
      const undo = h('button', { type: 'button', class: 'danger', name: 'unmatch' }, 'Unmatch');
      undo.addEventListener('click', () => runAction(undo, message, () => api('POST', '/bank-lines/' + line.id + '/unmatch', {}),
        () => done(line, 'Line of ' + money(line.amount, line.currency) + ' unmatched: its payment is reversed.')));
      card.append(h('div', { class: 'actions' }, undo), message);
    }
    return card;
  }
  if (line.suggestions && line.suggestions.length) {
    card.append(h('h3', {}, 'Suggestions'));
    card.append(h('ol', { class: 'suggestions' }, ...line.suggestions.map((s, i) => suggestionCard(line, s, i, ctx, names, done))));
  } else {
    card.append(h('p', { class: 'nothing' }, 'The matcher found no invoice this line could pay.'));
  }
  if (may(ctx.session, 'POST /bank-lines/{id}/match')) card.append(manualMatch(line, ctx, done));
  return card;
}

export default {
  path: 'bank-lines',
  title: 'Bank lines',
  nav: 'Bank lines',
  needs: 'GET /bank-lines',
  async render(root, ctx) {
    const current = TABS.some((t) => t.status === ctx.query.status) ? ctx.query.status : 'unmatched';
    // ?statement_id= narrows the lists to one imported statement's lines.
    const statementId = ctx.query.statement_id || '';
    const only = statementId ? '&statement_id=' + encodeURIComponent(statementId) : '';
    const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Bank lines by status' });
    for (const t of TABS) {
      const a = h('a', { href: '#/bank-lines?status=' + t.status + only, role: 'tab', id: 'tab-' + t.status,
                         'aria-selected': t.status === current ? 'true' : 'false',
                         'aria-controls': 'bank-lines-list' }, t.label);
      tabs.append(a);
    }
    const list = h('div', { class: 'cards', id: 'bank-lines-list', role: 'tabpanel', 'aria-labelledby': 'tab-' + current });
    const summary = h('p', { class: 'note', id: 'bank-lines-note' });
    root.append(tabs);
    if (statementId) {
      root.append(h('p', { class: 'note' }, 'Lines of statement ' + statementId + ' only. ',
                    h('a', { href: '#/bank-lines?status=' + current }, 'Every statement\'s lines')));
    }
    root.append(summary, list);
    const names = customerNames();
    await pagedList(list, '/bank-lines?status=' + current + only, PAGE, async (items) => {
      const frag = h('div', { class: 'cards' });
      if (items.length === 0) {
        frag.append(emptyNote('No ' + current + ' bank line.'));
        return frag;
      }
      for (const line of items) frag.append(lineCard(line, ctx, names));
      summary.textContent = 'Oldest first, ' + PAGE + ' to a page. ' +
        (current === 'matched' ? 'Unmatching reverses the payment a line booked.' : 'Accept a suggestion or match by hand.');
      return frag;
    });
  },
};
