// One order: its status (and, on credit hold, why), its lines with what is
// reserved, backordered, shipped and invoiced, its shipments and invoices,
// and cancelling it for sales (the API says whether it still may be).
import { api } from '../api.js';
import { h, money, may, link, table, messageLine, runAction, listAll, emptyNote, field } from '../ui.js';
import { statusBadge, statusWord, facts } from '../orders_ui.js';

const CANCELLABLE_LOOKING = ['credit_hold', 'open', 'partially_shipped'];

export default {
  path: 'orders/:id',
  title: 'Order',
  nav: null,
  needs: 'GET /orders/{id}',
  async render(root, ctx) {
    const order = await api('GET', '/orders/' + encodeURIComponent(ctx.params.id));
    const [customer, shipments, invoices] = await Promise.all([
      api('GET', '/customers/' + encodeURIComponent(order.customer_id)).catch(() => null),
      may(ctx.session, 'GET /shipments') ? listAll('/shipments?order_id=' + order.id) : Promise.resolve(null),
      may(ctx.session, 'GET /invoices') ? listAll('/invoices?order_id=' + order.id) : Promise.resolve(null),
    ]);
    document.title = 'Order ' + order.number + ' · o2c';
    const title = document.getElementById('screen-title');
    if (title) title.textContent = 'Order ' + order.number;

    const head = h('section', { class: 'card order-head', 'aria-label': 'Order ' + order.number });
    head.append(h('p', { class: 'order-status' }, 'Status ', statusBadge(order.status), ' · customer ',
                  link('customers/' + order.customer_id, customer ? customer.name : 'customer ' + order.customer_id),
                  ' · placed ' + order.created_at.slice(0, 10)));
    if (order.status === 'credit_hold') {
      const reasons = h('ul', { class: 'reasons' });
      for (const r of order.hold_reasons) reasons.append(h('li', {}, r.message));
      head.append(h('div', { class: 'hold-warning', role: 'alert', id: 'hold-notice' },
                    h('strong', {}, 'On credit hold: the credit team must approve this order before stock is reserved.'),
                    h('p', {}, 'Held because:'), reasons));
    }
    if (order.ship_to) head.append(h('p', {}, 'Ship to: ' + order.ship_to));
    if (order.external_ref) head.append(h('p', {}, 'Reference: ' + order.external_ref));
    const pairs = [['Net', money(order.net_total, order.currency)]];
    if (!/^0(\.0+)?$/.test(order.allowance_total)) pairs.push(['Allowances', money(order.allowance_total, order.currency)]);
    if (!/^0(\.0+)?$/.test(order.charge_total)) pairs.push(['Charges', money(order.charge_total, order.currency)]);
    pairs.push(['Tax', money(order.tax_total, order.currency)], ['Total', money(order.total, order.currency)]);
    head.append(facts(pairs, 'totals'));
    root.append(head);

    const lines = h('section', { class: 'card', 'aria-labelledby': 'lines-title' }, h('h2', { id: 'lines-title' }, 'Lines'));
    lines.append(h('div', { class: 'table-wrap' }, table(
      [{ label: '#' }, { label: 'SKU' }, { label: 'Quantity', num: true }, { label: 'Reserved', num: true },
       { label: 'Backordered', num: true }, { label: 'Shipped', num: true }, { label: 'Invoiced', num: true },
       { label: 'Unit price', num: true }, { label: 'Net', num: true }],
      order.lines.map((l) => [String(l.line_no), l.sku, l.quantity, l.reserved,
                              order.status === 'credit_hold' || order.status === 'cancelled' || order.status === 'rejected' ? '–' : l.backordered,
                              l.shipped, l.invoiced, money(l.unit_price, order.currency), money(l.line_net, order.currency)]))));
    root.append(lines);

    if (shipments) {
      const s = h('section', { class: 'card', 'aria-labelledby': 'ship-title' }, h('h2', { id: 'ship-title' }, 'Shipments'));
      if (shipments.items.length === 0) s.append(emptyNote('Nothing shipped yet.'));
      else {
        s.append(h('div', { class: 'table-wrap' }, table(
          [{ label: 'Shipment' }, { label: 'Status' }, { label: 'Shipped on' }, { label: 'Carrier' }, { label: 'Tracking' },
           { label: 'Lines' }, { label: 'Invoice' }],
          shipments.items.map((x) => [x.number, statusWord(x.status) + (x.delivered_on ? ' ' + x.delivered_on : ''),
                                      x.shipped_on, x.carrier || '–', x.tracking_number || '–',
                                      x.lines.map((l) => l.sku + ' × ' + l.quantity).join(', '),
                                      x.invoice_id ? link('invoices/' + x.invoice_id, x.invoice_number || 'invoice') : '–']))));
      }
      root.append(s);
    }
    if (invoices) {
      const s = h('section', { class: 'card', 'aria-labelledby': 'inv-title' }, h('h2', { id: 'inv-title' }, 'Invoices'));
      if (invoices.items.length === 0) s.append(emptyNote('No invoice yet.'));
      else {
        s.append(h('div', { class: 'table-wrap' }, table(
          [{ label: 'Invoice' }, { label: 'Status' }, { label: 'Issued' }, { label: 'Due' }, { label: 'Total', num: true },
           { label: 'Open', num: true }],
          invoices.items.map((v) => [link('invoices/' + v.id, v.number), statusWord(v.status), v.issue_date, v.due_date,
                                     money(v.total, v.currency), money(v.open_amount, v.currency)]))));
      }
      root.append(s);
    }

    if (may(ctx.session, 'POST /orders/{id}/cancel') && CANCELLABLE_LOOKING.includes(order.status)) {
      const box = h('section', { class: 'card', 'aria-labelledby': 'cancel-title' },
                    h('h2', { id: 'cancel-title' }, 'Cancel this order'));
      const reason = h('input', { type: 'text', name: 'cancel-reason' });
      const message = messageLine();
      const button = h('button', { type: 'submit', class: 'danger' }, 'Cancel order ' + order.number);
      const form = h('form', {}, ...field('Reason (optional)', reason), h('div', { class: 'actions' }, button), message);
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        runAction(button, message, () => api('POST', '/orders/' + order.id + '/cancel',
                                             reason.value.trim() ? { reason: reason.value.trim() } : {}),
                  () => ctx.reload());
      });
      box.append(form);
      root.append(box);
    }
  },
};
