// The customer portal's pages. Each route: path ('' is the start page,
// 'invoices/:id' takes a parameter), title, section (the navigation entry it
// belongs to), thing (what a 404 means, "invoice"), render(root, ctx) with
// ctx = {session, customer, params, query, status(text), go(path), isCurrent()}.
// Amounts are the API's decimal strings, shown as they are (money()); the
// page decides no rule: what may be paid or disputed is what the API takes.
import { api } from '/assets/console/api.js';
import { h, clear, money, may, link, table, messageLine, runAction, listAll, field, emptyNote } from '/assets/console/ui.js';

const PAYABLE = new Set(['open', 'partially_paid']);
const STATUS_TEXT = {
  open: 'Open', partially_paid: 'Partly paid', paid: 'Paid', credit_noted: 'Credited', issued: 'Issued',
};

function statusBadge(s) {
  const cls = s === 'paid' ? 'badge good' : (PAYABLE.has(s) ? 'badge open' : 'badge');
  return h('span', { class: cls }, STATUS_TEXT[s] || s);
}

function wrap(t) {
  return h('div', { class: 'table-wrap' }, t);
}

function invoiceTable(invoices, caption) {
  return wrap(table([
    { label: 'Invoice' }, { label: 'Issued' }, { label: 'Due' },
    { label: 'Total', num: true }, { label: 'Open', num: true }, { label: 'Status' },
  ], invoices.map((v) => [
    link('invoices/' + v.id, v.number), v.issue_date, v.due_date,
    money(v.total, v.currency), money(v.open_amount, v.currency), statusBadge(v.status),
  ]), caption));
}

function figures(pairs) {
  const dl = h('dl', { class: 'figures' });
  for (const [term, value, id] of pairs) dl.append(h('dt', {}, term), h('dd', { id }, value));
  return dl;
}

// Starts a card checkout for the invoice and opens its page.
function payButton(invoice, ctx, message) {
  const b = h('button', { type: 'button', class: 'pay', name: 'pay' },
              'Pay ' + money(invoice.open_amount, invoice.currency) + ' by card');
  b.addEventListener('click', () => runAction(b, message,
    () => api('POST', '/invoices/' + encodeURIComponent(invoice.id) + '/checkout', {}),
    (checkout) => ctx.go('checkout/' + checkout.id)));
  return b;
}

const invoices = {
  path: '',
  section: '',
  title: 'Your invoices',
  thing: 'page',
  async render(root, ctx) {
    const own = encodeURIComponent(ctx.session.customer_id);
    const [c, open, paid] = await Promise.all([
      api('GET', '/customers/' + own),
      listAll('/invoices?status=unpaid'),
      listAll('/invoices?status=paid'),
    ]);
    root.append(h('section', { class: 'card summary', 'aria-label': 'Your account' }, figures([
      ['Open balance', money(c.balance, c.currency), 'balance'],
      ['Overdue', money(c.overdue_amount, c.currency), 'overdue'],
      ['Credit on account', money(c.credit_balance, c.currency), 'credit'],
    ])));
    const openSection = h('section', { 'aria-labelledby': 'open-title' }, h('h2', { id: 'open-title' }, 'Open invoices'));
    if (open.items.length === 0) openSection.append(emptyNote('Nothing is open: every invoice is paid.'));
    else openSection.append(invoiceTable(open.items, open.items.length + ' open'));
    const paidSection = h('section', { 'aria-labelledby': 'paid-title' }, h('h2', { id: 'paid-title' }, 'Paid invoices'));
    // Newest first: the API lists oldest first.
    const paidItems = paid.items.slice().reverse();
    if (paidItems.length === 0) paidSection.append(emptyNote('No invoice is paid yet.'));
    else paidSection.append(invoiceTable(paidItems, paidItems.length + ' paid' + (paid.more ? ' (the newest are not all shown)' : '')));
    root.append(openSection, paidSection);
  },
};

async function disputesOf(invoiceId) {
  const { items } = await listAll('/disputes');
  return items.filter((d) => d.invoice_id === invoiceId);
}

const invoiceDetail = {
  path: 'invoices/:id',
  section: '',
  title: 'Invoice',
  thing: 'invoice',
  async render(root, ctx) {
    const id = encodeURIComponent(ctx.params.id);
    const v = await api('GET', '/invoices/' + id);
    const disputes = await disputesOf(v.id);
    if (!ctx.isCurrent()) return;
    const title = document.getElementById('screen-title');
    if (title) title.textContent = 'Invoice ' + v.number;
    root.append(h('p', {}, statusBadge(v.status)));
    root.append(figures([
      ['Issued', v.issue_date, 'issue-date'],
      ['Due', v.due_date, 'due-date'],
      ['Total', money(v.total, v.currency), 'total'],
      ['Open', money(v.open_amount, v.currency), 'open-amount'],
      ['Payment terms', v.payment_terms, null],
    ]));
    root.append(h('p', { class: 'downloads' },
      h('a', { href: '/api/v1/invoices/' + id + '.pdf', download: v.number + '.pdf', id: 'download-pdf' }, 'Download PDF'),
      ' ',
      h('a', { href: '/api/v1/invoices/' + id + '.xml', download: v.number + '.xml', id: 'download-ubl' }, 'Download e-invoice (UBL XML)')));
    root.append(h('h2', {}, 'Lines'), wrap(table(
      [{ label: 'Item' }, { label: 'Quantity', num: true }, { label: 'Unit price', num: true }, { label: 'Net', num: true }],
      v.lines.map((l) => [l.name || l.sku, l.quantity, money(l.unit_price, v.currency), money(l.line_net, v.currency)]))));
    root.append(figures([
      ['Net', money(v.net_total, v.currency), null],
      ['Tax', money(v.tax_total, v.currency), null],
      ['Total', money(v.total, v.currency), null],
    ]));

    const message = messageLine();
    if (PAYABLE.has(v.status) && may(ctx.session, 'POST /invoices/{id}/checkout')) {
      root.append(h('div', { class: 'actions' }, payButton(v, ctx, message)));
    }
    root.append(message);

    const disputeSection = h('section', { 'aria-labelledby': 'dispute-title' }, h('h2', { id: 'dispute-title' }, 'Disputes'));
    const list = h('ul', { class: 'disputes' });
    const showDispute = (d) => list.append(h('li', {}, (d.status === 'open' ? 'Open since ' : 'Resolved, opened ') +
      d.opened_on + ': ' + d.reason + (d.resolution ? ' — ' + d.resolution : '')));
    disputes.forEach(showDispute);
    if (disputes.length) disputeSection.append(list);
    const hasOpen = disputes.some((d) => d.status === 'open');
    if (!hasOpen && may(ctx.session, 'POST /invoices/{id}/disputes')) {
      const reason = h('textarea', { rows: 3, required: true, name: 'reason', maxlength: 1000 });
      const said = messageLine();
      const button = h('button', { type: 'submit' }, 'Open a dispute');
      const form = h('form', { class: 'card dispute' },
        h('p', { class: 'note' }, 'Something wrong with this invoice? Tell us what; we will not send reminders about it while we look into it.'),
        ...field('What is wrong', reason), h('div', { class: 'actions' }, button), said);
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        runAction(button, said, () => {
          if (!reason.value.trim()) throw new Error('Say what is wrong with the invoice.');
          return api('POST', '/invoices/' + id + '/disputes', { reason: reason.value.trim() });
        }, (d) => {
          showDispute(d);
          if (!list.parentNode) disputeSection.insertBefore(list, form);
          form.replaceWith(h('p', { class: 'message done', role: 'status' }, 'Your dispute is open. We will be in touch.'));
        });
      });
      disputeSection.append(form);
    } else if (!disputes.length) {
      disputeSection.append(emptyNote('No dispute on this invoice.'));
    }
    root.append(disputeSection);
  },
};

const statement = {
  path: 'statement',
  section: 'statement',
  title: 'Statement of account',
  thing: 'statement',
  async render(root, ctx) {
    const own = encodeURIComponent(ctx.session.customer_id);
    const q = new URLSearchParams();
    if (ctx.query.from) q.set('from', ctx.query.from);
    if (ctx.query.to) q.set('to', ctx.query.to);
    const s = await api('GET', '/customers/' + own + '/statement' + (q.toString() ? '?' + q : ''));
    const from = h('input', { type: 'date', name: 'from', value: s.from, required: true });
    const to = h('input', { type: 'date', name: 'to', value: s.to, required: true });
    const form = h('form', { class: 'period' }, ...field('From', from), ...field('To', to),
                   h('button', { type: 'submit' }, 'Show'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      ctx.go('statement?from=' + encodeURIComponent(from.value) + '&to=' + encodeURIComponent(to.value));
    });
    root.append(form);
    root.append(figures([
      ['Period', s.from + ' to ' + s.to, 'period'],
      ['Opening balance', money(s.opening_balance, s.currency), 'opening'],
      ['Closing balance', money(s.closing_balance, s.currency), 'closing'],
    ]));
    if (s.movements.length === 0) root.append(emptyNote('No movement in this period.'));
    else {
      root.append(wrap(table(
        [{ label: 'Date' }, { label: 'What' }, { label: 'Document' }, { label: 'Amount', num: true }, { label: 'Balance', num: true }],
        s.movements.map((m) => [m.date, m.kind.replace(/_/g, ' '), m.document, money(m.amount), money(m.balance)]),
        s.movements.length + ' movements in ' + s.currency)));
    }
    const pdf = '/api/v1/customers/' + own + '/statement?format=pdf&from=' + encodeURIComponent(s.from) + '&to=' + encodeURIComponent(s.to);
    root.append(h('p', { class: 'downloads' }, h('a', { href: pdf, download: 'statement.pdf' }, 'Download as PDF')));
  },
};

const disputes = {
  path: 'disputes',
  section: 'disputes',
  title: 'Your disputes',
  thing: 'dispute',
  async render(root) {
    const { items } = await listAll('/disputes');
    if (items.length === 0) {
      root.append(emptyNote('You have no dispute. To open one, go to the invoice it is about.'));
      return;
    }
    root.append(wrap(table(
      [{ label: 'Invoice' }, { label: 'Opened' }, { label: 'Reason' }, { label: 'Status' }, { label: 'Outcome' }],
      items.slice().reverse().map((d) => [link('invoices/' + d.invoice_id, d.invoice_number), d.opened_on, d.reason,
        d.status, d.resolution || d.outcome || '']))));
  },
};

const POLL_MS = 300;
const POLL_TRIES = 40;

// Waits until the invoice reads paid: the webhook recorded the payment.
async function untilPaid(invoiceId, ctx) {
  for (let i = 0; i < POLL_TRIES; i++) {
    const v = await api('GET', '/invoices/' + encodeURIComponent(invoiceId));
    if (v.status === 'paid' || !ctx.isCurrent()) return v;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return api('GET', '/invoices/' + encodeURIComponent(invoiceId));
}

function paidNote(invoice) {
  return h('p', { class: 'message done paid', role: 'status', id: 'paid-note' },
           'Paid: invoice ' + invoice.number + ' is ' + (STATUS_TEXT[invoice.status] || invoice.status).toLowerCase() +
           ' (open ' + money(invoice.open_amount, invoice.currency) + ').');
}

const checkout = {
  path: 'checkout/:id',
  section: '',
  title: 'Pay by card',
  thing: 'checkout',
  async render(root, ctx) {
    const c = await api('GET', '/checkouts/' + encodeURIComponent(ctx.params.id));
    const card = h('section', { class: 'card checkout', 'aria-label': 'Payment' });
    card.append(figures([
      ['Pay to', c.merchant, 'merchant'],
      ['Invoice', link('invoices/' + c.invoice_id, c.invoice_number), 'checkout-invoice'],
      ['Amount', money(c.amount, c.currency), 'checkout-amount'],
    ]));
    root.append(card);
    if (c.status === 'completed') {
      card.append(paidNote(await api('GET', '/invoices/' + encodeURIComponent(c.invoice_id))));
      return;
    }
    const number = h('input', { name: 'card', inputmode: 'numeric', autocomplete: 'off', value: '4242 4242 4242 4242', required: true });
    const expiry = h('input', { name: 'expiry', autocomplete: 'off', value: '12/34', required: true, size: 6 });
    const cvc = h('input', { name: 'cvc', inputmode: 'numeric', autocomplete: 'off', value: '123', required: true, size: 4 });
    const holder = h('input', { name: 'holder', autocomplete: 'off', value: ctx.customer ? ctx.customer.name : '' });
    const said = messageLine();
    const button = h('button', { type: 'submit', class: 'pay' }, 'Pay ' + money(c.amount, c.currency));
    const form = h('form', { class: 'test-card' },
      h('p', { class: 'note' }, 'Test payment provider: no money moves and any card details are taken. ' +
        'Paying sends the provider\'s signed payment event to this server, which books the payment.'),
      ...field('Card number', number), ...field('Expiry (MM/YY)', expiry), ...field('CVC', cvc),
      ...field('Name on card', holder), h('div', { class: 'actions' }, button), said);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      runAction(button, said, () => api('POST', '/checkouts/' + encodeURIComponent(c.id) + '/complete'), async () => {
        form.replaceWith(h('p', { class: 'status', role: 'status' }, 'Payment sent. Waiting for the invoice to read paid…'));
        const v = await untilPaid(c.invoice_id, ctx);
        if (!ctx.isCurrent()) return;
        const waiting = card.querySelector('p.status');
        if (waiting) waiting.remove();
        card.append(paidNote(v), h('p', {}, link('invoices/' + v.id, 'Back to the invoice')));
      });
    });
    card.append(form);
  },
};

export const routes = [invoices, invoiceDetail, statement, disputes, checkout];
export { clear };
