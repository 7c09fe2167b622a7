// Customers: a search over the list, and a customer's page with their
// credit position (the credit desk may set or lift a block there), their
// open invoices and their statement of account for a period.
import { api } from '../api.js';
import { h, clear, money, may, link, table, messageLine, runAction, listAll, field, emptyNote } from '../ui.js';
import { customerLink, invoiceLink, fileLink, facts, wrap, words, statusBadge } from '../finance.js';

const SHOWN = 100;

function blockText(c) {
  const parts = [];
  if (c.blocked) parts.push('blocked: no orders');
  if (c.manual_credit_block) parts.push('credit block');
  if (c.dunning_block) parts.push('credit block by dunning');
  return parts.join(', ');
}

export const customerList = {
  path: 'customers',
  title: 'Customers',
  nav: 'Customers',
  needs: 'GET /customers',
  async render(root, ctx) {
    const { items, more } = await listAll('/customers');
    const search = h('input', { type: 'search', name: 'q', autocomplete: 'off', value: ctx.query.q || '' });
    const count = h('p', { class: 'note', id: 'customers-count', 'aria-live': 'polite' });
    const out = h('div', { id: 'customers-table' });
    const show = () => {
      const q = search.value.trim().toLowerCase();
      const found = items.filter((c) => !q || c.name.toLowerCase().includes(q) || c.id === q ||
                                        (c.email || '').toLowerCase().includes(q));
      count.textContent = found.length + ' of ' + items.length + (more ? '+' : '') + ' customers' +
        (found.length > SHOWN ? ', the first ' + SHOWN + ' shown' : '') + '.';
      clear(out);
      if (found.length === 0) {
        out.append(emptyNote('No customer matches.'));
        return;
      }
      out.append(wrap(table(
        [{ label: 'Customer' }, { label: 'Country' }, { label: 'Terms' }, { label: 'Balance', num: true },
         { label: 'Overdue', num: true }, { label: 'Credit available', num: true }, { label: 'Blocks' }],
        found.slice(0, SHOWN).map((c) => [customerLink(c.id, c.name), c.country, c.payment_terms,
          money(c.balance, c.currency), money(c.overdue_amount, c.currency), money(c.credit_available, c.currency),
          blockText(c) || '—']))));
    };
    search.addEventListener('input', show);
    // The list filters as one types; Enter keeps the page (and the query in the address).
    const form = h('form', { class: 'search', role: 'search' }, ...field('Search by name, e-mail or id', search));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      history.replaceState(null, '', '#/customers' + (search.value.trim() ? '?q=' + encodeURIComponent(search.value.trim()) : ''));
    });
    root.append(form, count, out);
    show();
  },
};

function creditSection(c, ctx, reload) {
  const section = h('section', { class: 'card', 'aria-labelledby': 'credit-title' });
  section.append(h('h2', { id: 'credit-title' }, 'Credit status'));
  section.append(facts([
    ['Credit limit', money(c.credit_limit, c.currency)],
    ['Open balance', money(c.balance, c.currency)],
    ['Overdue', money(c.overdue_amount, c.currency)],
    ['Credit available', money(c.credit_available, c.currency)],
    ['Unapplied credit', money(c.credit_balance, c.currency)],
    ['Payment terms', c.payment_terms],
    ['Blocks', blockText(c) || 'none'],
  ], 'figures credit-facts'));
  if (!may(ctx.session, 'POST /customers/{id}/credit-status')) return section;
  const reason = h('textarea', { rows: 2, name: 'reason', required: true });
  const message = messageLine();
  // The reason is the API's to require: a change without one is refused there.
  const change = (body, button, done) => runAction(button, message,
    () => api('POST', '/customers/' + c.id + '/credit-status', { ...body, reason: reason.value.trim() }),
    () => reload(done));
  const actions = h('div', { class: 'actions' });
  const creditBlock = h('button', { type: 'button', name: 'credit-block', class: c.manual_credit_block ? 'secondary' : 'danger' },
    c.manual_credit_block ? 'Lift the credit block' : 'Set a credit block');
  creditBlock.addEventListener('click', () => change({ credit_block: !c.manual_credit_block }, creditBlock,
    c.manual_credit_block ? 'Credit block lifted: held orders are checked again.' : 'Credit block set: new orders wait for the credit desk.'));
  const block = h('button', { type: 'button', name: 'block', class: c.blocked ? 'secondary' : 'danger' },
    c.blocked ? 'Unblock the customer' : 'Block the customer');
  block.addEventListener('click', () => change({ blocked: !c.blocked }, block,
    c.blocked ? 'Customer unblocked.' : 'Customer blocked: no new orders.'));
  actions.append(creditBlock, block);
  section.append(h('form', { class: 'decide' }, ...field('Reason for the change', reason), actions, message));
  return section;
}

async function openInvoicesSection(c) {
  const section = h('section', { class: 'card', 'aria-labelledby': 'open-invoices-title' });
  section.append(h('h2', { id: 'open-invoices-title' }, 'Open invoices'));
  const { items, more } = await listAll('/invoices?status=unpaid&customer_id=' + encodeURIComponent(c.id), 5);
  if (items.length === 0) {
    section.append(emptyNote('Nothing open.'));
    return section;
  }
  section.append(wrap(table(
    [{ label: 'Invoice' }, { label: 'Issued' }, { label: 'Due' }, { label: 'Status' }, { label: 'Total', num: true },
     { label: 'Open', num: true }],
    items.map((i) => [invoiceLink(i.id, i.number), i.issue_date, i.due_date, statusBadge(i.status),
                      money(i.total, i.currency), money(i.open_amount, i.currency)]))));
  section.append(h('p', {}, link('invoices?customer_id=' + encodeURIComponent(c.id), 'All invoices of ' + c.name) ,
                     more ? ' (only the first ' + items.length + ' open ones are listed here)' : ''));
  return section;
}

function monthStart(date) {
  return date.slice(0, 8) + '01';
}

function statementSection(c, ctx) {
  const section = h('section', { class: 'card', 'aria-labelledby': 'statement-title' });
  section.append(h('h2', { id: 'statement-title' }, 'Statement of account'));
  if (!may(ctx.session, 'GET /customers/{id}/statement')) {
    section.append(h('p', { class: 'note' }, 'Your role may not read statements.'));
    return section;
  }
  const from = h('input', { type: 'date', name: 'from', value: ctx.query.from || monthStart(ctx.session.business_date) });
  const to = h('input', { type: 'date', name: 'to', value: ctx.query.to || ctx.session.business_date });
  const show = h('button', { type: 'submit', name: 'show-statement' }, 'Show statement');
  const message = messageLine();
  const out = h('div', { id: 'statement' });
  const period = () => new URLSearchParams({ from: from.value, to: to.value });
  const form = h('form', { class: 'period' }, h('div', { class: 'pair' }, h('div', {}, ...field('From', from)),
    h('div', {}, ...field('To', to))), h('div', { class: 'actions' }, show), message);
  const load = () => runAction(show, message, () => api('GET', '/customers/' + c.id + '/statement?' + period()), (s) => {
    clear(out);
    out.append(facts([['Period', s.from + ' to ' + s.to], ['Opening balance', money(s.opening_balance, s.currency)],
                      ['Closing balance', money(s.closing_balance, s.currency)]], 'figures statement-facts'));
    if (s.movements.length === 0) out.append(emptyNote('No movement in the period.'));
    else {
      out.append(wrap(table(
        [{ label: 'Date' }, { label: 'Movement' }, { label: 'Document' }, { label: 'Amount', num: true },
         { label: 'Balance', num: true }],
        s.movements.map((m) => [m.date, words(m.kind), m.document, money(m.amount, s.currency), money(m.balance, s.currency)]))));
    }
    const files = h('p', { class: 'actions' },
      fileLink('/customers/' + c.id + '/statement?format=pdf&' + period(), 'Statement PDF', 'statement-' + c.id + '.pdf'),
      fileLink('/customers/' + c.id + '/statement?format=csv&' + period(), 'Statement CSV', 'statement-' + c.id + '.csv'));
    out.append(files);
    if (may(ctx.session, 'POST /customers/{id}/statement/send')) {
      const sendMessage = messageLine();
      const send = h('button', { type: 'button', class: 'secondary', name: 'send-statement' }, 'Send statement to ' + c.email);
      send.addEventListener('click', () => runAction(send, sendMessage,
        () => api('POST', '/customers/' + c.id + '/statement/send', { from: s.from, to: s.to }),
        (r) => sendMessage.showDone('Statement ' + r.from + ' to ' + r.to + ' sent to ' + r.sent_to + '.')));
      out.append(h('div', { class: 'actions' }, send), sendMessage);
    }
  });
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  section.append(form, out);
  load();
  return section;
}

export const customerPage = {
  path: 'customers/:id',
  title: 'Customer',
  nav: null,
  needs: 'GET /customers/{id}',
  async render(root, ctx) {
    const c = await api('GET', '/customers/' + encodeURIComponent(ctx.params.id));
    const heading = document.getElementById('screen-title');
    if (heading) heading.textContent = c.name;
    document.title = c.name + ' · o2c';
    const result = messageLine();
    root.append(h('p', { class: 'note' }, 'Customer ' + c.id + ' · ' + c.email + ' · ' + c.country +
                     (c.vat_id ? ' · VAT ' + c.vat_id : '')), result);
    const reload = async (text) => {
      const fresh = await api('GET', '/customers/' + c.id);
      const old = root.querySelector('section[aria-labelledby="credit-title"]');
      const replacement = creditSection(fresh, ctx, reload);
      if (old) old.replaceWith(replacement);
      Object.assign(c, fresh);
      result.showDone(text);
    };
    root.append(creditSection(c, ctx, reload));
    if (may(ctx.session, 'GET /invoices')) root.append(await openInvoicesSection(c));
    root.append(statementSection(c, ctx));
  },
};
