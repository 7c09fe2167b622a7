// Invoices: a list filtered by status and customer, and an invoice's page
// with its lines, taxes and totals, what is still open, the payments and
// credit notes against it, its PDF and e-invoice (UBL), and the actions on
// it: open a dispute, issue a credit note.
import { api } from '../api.js';
import { h, money, may, link, table, messageLine, runAction, listAll, field, emptyNote } from '../ui.js';
import { customerLink, invoiceLink, fileLink, facts, wrap, words, statusBadge, pagedList, text } from '../finance.js';

const STATUSES = [
  ['', 'Any status'], ['unpaid', 'Unpaid (open or partially paid)'], ['open', 'Open'],
  ['partially_paid', 'Partially paid'], ['paid', 'Paid'], ['credit_noted', 'Credit noted'],
];
const PAGE = 50;

export const invoiceList = {
  path: 'invoices',
  title: 'Invoices',
  nav: 'Invoices',
  needs: 'GET /invoices',
  async render(root, ctx) {
    const status = h('select', { name: 'status' }, ...STATUSES.map(([v, l]) => h('option', { value: v }, l)));
    status.value = STATUSES.some(([v]) => v === ctx.query.status) ? ctx.query.status || '' : '';
    const customer = h('select', { name: 'customer_id' }, h('option', { value: '' }, 'Every customer'));
    const { items: customers } = await listAll('/customers');
    const names = new Map(customers.map((c) => [c.id, c.name]));
    for (const c of customers.slice().sort((a, b) => a.name.localeCompare(b.name))) {
      customer.append(h('option', { value: c.id }, c.name));
    }
    if (ctx.query.customer_id) {
      if (!names.has(ctx.query.customer_id)) customer.append(h('option', { value: ctx.query.customer_id }, 'customer ' + ctx.query.customer_id));
      customer.value = ctx.query.customer_id;
    }
    const apply = h('button', { type: 'submit' }, 'Show');
    const form = h('form', { class: 'filters', role: 'search' },
      h('div', { class: 'pair' }, h('div', {}, ...field('Status', status)), h('div', {}, ...field('Customer', customer))),
      h('div', { class: 'actions' }, apply));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const q = new URLSearchParams();
      if (status.value) q.set('status', status.value);
      if (customer.value) q.set('customer_id', customer.value);
      const target = 'invoices' + (q.toString() ? '?' + q : '');
      if (location.hash === '#/' + target) ctx.reload();
      else ctx.go(target);
    });
    const out = h('div', { id: 'invoices-table' });
    root.append(form, out);
    const q = new URLSearchParams();
    if (status.value) q.set('status', status.value);
    if (customer.value) q.set('customer_id', customer.value);
    await pagedList(out, '/invoices' + (q.toString() ? '?' + q : ''), PAGE, async (items) => {
      if (items.length === 0) return emptyNote('No invoice matches.');
      return wrap(table(
        [{ label: 'Invoice' }, { label: 'Customer' }, { label: 'Issued' }, { label: 'Due' }, { label: 'Status' },
         { label: 'Total', num: true }, { label: 'Open', num: true }],
        items.map((i) => [invoiceLink(i.id, i.number), customerLink(i.customer_id, names.get(i.customer_id)), i.issue_date,
                          i.due_date, statusBadge(i.status), money(i.total, i.currency), money(i.open_amount, i.currency)])));
    });
  },
};

// The customer's payments that put money on this invoice (GET /payments
// lists a customer's payments with their allocations).
async function paymentsSection(inv) {
  const section = h('section', { class: 'card', 'aria-labelledby': 'payments-title' });
  section.append(h('h2', { id: 'payments-title' }, 'Payments'));
  const { items } = await listAll('/payments?customer_id=' + encodeURIComponent(inv.customer_id), 5);
  const rows = [];
  for (const p of items) {
    for (const a of p.allocations || []) {
      if (a.invoice_id !== inv.id) continue;
      rows.push([p.received_on || (p.created_at || '').slice(0, 10), words(p.method || ''), p.reference || '',
                 words(p.status), money(a.amount, p.currency),
                 a.discount && !/^0(\.0+)?$/.test(a.discount) ? money(a.discount, p.currency) : '—']);
    }
  }
  if (rows.length === 0) section.append(emptyNote('No payment is applied to this invoice.'));
  else {
    section.append(wrap(table([{ label: 'Received' }, { label: 'Method' }, { label: 'Reference' }, { label: 'Status' },
                               { label: 'Applied', num: true }, { label: 'Discount', num: true }], rows)));
  }
  return section;
}

async function creditNotesSection(inv) {
  const { items } = await listAll('/credit-notes?invoice_id=' + encodeURIComponent(inv.id), 2);
  if (items.length === 0) return null;
  const section = h('section', { class: 'card', 'aria-labelledby': 'credit-notes-title' });
  section.append(h('h2', { id: 'credit-notes-title' }, 'Credit notes'));
  section.append(wrap(table([{ label: 'Number' }, { label: 'Issued' }, { label: 'Reason' }, { label: 'Total', num: true },
                             { label: 'Files' }],
    items.map((cn) => [cn.number, cn.issue_date, text(cn.reason || ''), money(cn.total, cn.currency),
      h('span', { class: 'actions' }, fileLink('/credit-notes/' + cn.id + '.pdf', 'PDF', cn.number + '.pdf'),
        fileLink('/credit-notes/' + cn.id + '.xml', 'UBL', cn.number + '.xml'))]))));
  return section;
}

function disputeForm(inv, ctx, after) {
  const section = h('section', { class: 'card', 'aria-labelledby': 'dispute-title' });
  section.append(h('h2', { id: 'dispute-title' }, 'Open a dispute'));
  const reason = h('textarea', { rows: 2, name: 'dispute-reason', required: true });
  const message = messageLine();
  const send = h('button', { type: 'submit', name: 'open-dispute' }, 'Open a dispute on ' + inv.number);
  const form = h('form', {}, h('p', { class: 'note' }, 'A disputed invoice is not dunned, and payments to the oldest invoice first pass it by.'),
                 ...field('What the customer disputes', reason), h('div', { class: 'actions' }, send), message);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    runAction(send, message, () => api('POST', '/invoices/' + inv.id + '/disputes', { reason: reason.value.trim() }),
      (d) => after('Dispute opened on ' + d.invoice_number + '.'));
  });
  section.append(form);
  return section;
}

// A credit note for the whole invoice, or for some lines and quantities.
function creditNoteForm(inv, after) {
  const section = h('section', { class: 'card', 'aria-labelledby': 'credit-note-title' });
  section.append(h('h2', { id: 'credit-note-title' }, 'Credit note'));
  const reason = h('textarea', { rows: 2, name: 'credit-reason', required: true });
  const rows = inv.lines.map((l) => ({ line: l, qty: h('input', { type: 'text', inputmode: 'decimal', value: '',
    name: 'credit-qty-' + l.line_no, 'aria-label': 'Quantity of ' + l.sku + ' to credit', class: 'amount' }) }));
  const message = messageLine();
  const send = h('button', { type: 'submit', class: 'danger', name: 'credit-note' }, 'Issue credit note');
  const form = h('form', {},
    h('p', { class: 'note' }, 'Leave every quantity empty to credit the whole invoice.'),
    wrap(table([{ label: 'SKU' }, { label: 'Invoiced', num: true }, { label: 'Quantity to credit', num: true }],
      rows.map((r) => [r.line.sku, r.line.quantity, r.qty]))),
    ...field('Reason', reason), h('div', { class: 'actions' }, send), message);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    runAction(send, message, () => {
      const lines = rows.filter((r) => r.qty.value.trim() !== '').map((r) => ({ sku: r.line.sku, quantity: r.qty.value.trim() }));
      const body = { reason: reason.value.trim() };
      if (lines.length) body.lines = lines;
      return api('POST', '/invoices/' + inv.id + '/credit-notes', body);
    }, (cn) => after('Credit note ' + cn.number + ' issued for ' + money(cn.total, cn.currency) + '.'));
  });
  section.append(form);
  return section;
}

export const invoicePage = {
  path: 'invoices/:id',
  title: 'Invoice',
  nav: null,
  needs: 'GET /invoices/{id}',
  async render(root, ctx) {
    const inv = await api('GET', '/invoices/' + encodeURIComponent(ctx.params.id));
    const heading = document.getElementById('screen-title');
    if (heading) heading.textContent = 'Invoice ' + inv.number;
    document.title = inv.number + ' · o2c';
    const who = customerLink(inv.customer_id, inv.buyer && inv.buyer.name);
    const result = messageLine();
    const after = (note) => {
      ctx.reload().then(() => {
        const line = document.querySelector('#screen .message');
        if (line && line.showDone) line.showDone(note);
      });
    };

    const head = h('section', { class: 'card', 'aria-labelledby': 'invoice-facts-title' });
    head.append(h('h2', { id: 'invoice-facts-title' }, 'To ', who, ' ', statusBadge(inv.status)));
    head.append(facts([
      ['Issued', inv.issue_date],
      ['Due', inv.due_date],
      ['Delivered', inv.delivery_date],
      ['Terms', inv.payment_terms],
      ['Early payment', inv.discount_amount ? money(inv.discount_amount, inv.currency) + ' off until ' + inv.discount_date : null],
      ['Order', inv.order_id ? link('orders/' + inv.order_id, 'order ' + inv.order_id) : null],
      ['Creditor reference', inv.creditor_reference],
      ['Total', money(inv.total, inv.currency)],
      ['Open', h('strong', { id: 'invoice-open' }, money(inv.open_amount, inv.currency))],
    ], 'figures invoice-facts'));
    head.append(h('p', { class: 'actions files' },
      fileLink('/invoices/' + inv.id + '.pdf', 'Download PDF', inv.number + '.pdf'),
      fileLink('/invoices/' + inv.id + '.xml', 'Download e-invoice (UBL)', inv.number + '.xml')));

    const lines = h('section', { class: 'card', 'aria-labelledby': 'lines-title' });
    lines.append(h('h2', { id: 'lines-title' }, 'Lines'));
    lines.append(wrap(table(
      [{ label: '#' , num: true }, { label: 'SKU' }, { label: 'Description' }, { label: 'Quantity', num: true },
       { label: 'Unit price', num: true }, { label: 'Tax', num: true }, { label: 'Net', num: true }],
      inv.lines.map((l) => [String(l.line_no), l.sku, text(l.name), l.quantity, money(l.unit_price, inv.currency),
                            l.tax_rate + '%', money(l.line_net, inv.currency)]))));
    const totals = [['Net', money(inv.net_total, inv.currency)]];
    if (inv.allowance_total && !/^0(\.0+)?$/.test(inv.allowance_total)) totals.push(['Allowances', '−' + money(inv.allowance_total, inv.currency)]);
    if (inv.charge_total && !/^0(\.0+)?$/.test(inv.charge_total)) totals.push(['Charges', money(inv.charge_total, inv.currency)]);
    for (const t of inv.tax_breakdown || []) {
      totals.push(['Tax ' + t.tax_category + ' ' + t.tax_rate + '% on ' + money(t.taxable, inv.currency), money(t.tax, inv.currency)]);
    }
    totals.push(['Total', money(inv.total, inv.currency)]);
    if (inv.functional_currency && inv.functional_currency !== inv.currency) {
      totals.push(['Total in ' + inv.functional_currency + ' (rate ' + inv.fx_rate + ')', money(inv.total_functional, inv.functional_currency)]);
    }
    lines.append(facts(totals, 'figures totals'));

    root.append(result, head, lines);
    if (may(ctx.session, 'GET /payments')) root.append(await paymentsSection(inv));
    if (may(ctx.session, 'GET /credit-notes')) {
      const cns = await creditNotesSection(inv);
      if (cns) root.append(cns);
    }
    if (may(ctx.session, 'GET /disputes')) {
      const { items } = await listAll('/disputes?customer_id=' + encodeURIComponent(inv.customer_id), 2);
      const mine = items.filter((d) => d.invoice_id === inv.id);
      if (mine.length) {
        const section = h('section', { class: 'card', 'aria-labelledby': 'disputes-title' });
        section.append(h('h2', { id: 'disputes-title' }, 'Disputes'));
        section.append(wrap(table([{ label: 'Opened' }, { label: 'Reason' }, { label: 'Status' }, { label: 'Resolution' }],
          mine.map((d) => [d.opened_on, text(d.reason), d.outcome ? words(d.status) + ': ' + d.outcome : words(d.status),
                           d.resolution ? text(d.resolution) : (d.status === 'open' ? link('disputes', 'Resolve') : '')]))));
        root.append(section);
      }
    }
    // Whether the invoice can still be disputed or credited is the API's to
    // say: the forms are offered to the roles that may, a refusal is shown.
    if (may(ctx.session, 'POST /invoices/{id}/disputes')) root.append(disputeForm(inv, ctx, after));
    if (may(ctx.session, 'POST /invoices/{id}/credit-notes')) root.append(creditNoteForm(inv, after));
  },
};
