// The warehouse's queue: orders with stock reserved and not yet shipped,
// each with its pick list (what to take from which warehouse and bin,
// printable) and a ship form (quantity per line, all reserved by default,
// less for a partial shipment; carrier; tracking number). Below, shipments
// on their way, to be marked delivered.
import { api } from '../api.js';
import { h, clear, may, link, table, messageLine, runAction, emptyNote, field } from '../ui.js';
import { customerCache, isZero, newKey, statusBadge } from '../orders_ui.js';

const QUEUE_PAGE = 50;

// Leaving print mode once the print dialog closes, so the screen looks as before.
window.addEventListener('afterprint', () => {
  document.body.classList.remove('print-one');
  for (const el of document.querySelectorAll('.printing')) el.classList.remove('printing');
});

function pickTable(pick) {
  if (pick.lines.length === 0) return emptyNote('Nothing reserved to pick.');
  return h('div', { class: 'table-wrap' }, table(
    [{ label: 'Warehouse' }, { label: 'Bin' }, { label: 'SKU' }, { label: 'Product' }, { label: 'Quantity', num: true },
     { label: 'Picked' }],
    pick.lines.map((l) => [l.warehouse, l.bin || '–', l.sku, l.name, l.quantity, h('span', { class: 'tick', 'aria-hidden': 'true' }, '☐')]),
    'Pick list ' + pick.number));
}

function orderCard(order, customer, pick, ctx, onShipped) {
  const card = h('article', { class: 'card ship-order', 'aria-labelledby': 'ship-' + order.id, 'data-order': order.id });
  card.append(h('h2', { id: 'ship-' + order.id }, link('orders/' + order.id, 'Order ' + order.number), ' · ',
                customer ? customer.name : 'customer ' + order.customer_id, ' ', statusBadge(order.status)));
  if (order.ship_to) card.append(h('p', { class: 'ship-to' }, 'Ship to: ' + order.ship_to));
  const pickBox = h('div', { class: 'pick-list' }, pickTable(pick));
  const print = h('button', { type: 'button', class: 'secondary no-print' }, 'Print pick list');
  print.addEventListener('click', () => {
    // Only this card prints: the print style sheet hides everything else.
    for (const el of document.querySelectorAll('.printing')) el.classList.remove('printing');
    document.body.classList.add('print-one');
    card.classList.add('printing');
    window.print();
  });
  card.append(pickBox, h('div', { class: 'actions no-print' }, print));

  if (!may(ctx.session, 'POST /shipments')) return card;
  const reservedLines = order.lines.filter((l) => !isZero(l.reserved));
  const inputs = reservedLines.map((l) => {
    const input = h('input', { type: 'text', inputmode: 'decimal', value: l.reserved, class: 'qty',
                               name: 'ship-' + order.id + '-' + l.line_no });
    return { line: l, input };
  });
  const carrier = h('input', { type: 'text', name: 'carrier', autocomplete: 'off' });
  const tracking = h('input', { type: 'text', name: 'tracking_number', autocomplete: 'off' });
  const message = messageLine();
  const button = h('button', { type: 'submit' }, 'Ship order ' + order.number);
  const form = h('form', { class: 'ship-form no-print' });
  form.append(h('h3', {}, 'Ship'), h('div', { class: 'table-wrap' }, table(
    [{ label: 'SKU' }, { label: 'Reserved', num: true }, { label: 'Ship now' }],
    inputs.map(({ line, input }) => {
      input.setAttribute('aria-label', 'Quantity of ' + line.sku + ' to ship');
      return [line.sku, line.reserved, input];
    }))));
  form.append(h('div', { class: 'two' }, h('div', {}, ...field('Carrier', carrier)),
                h('div', {}, ...field('Tracking number', tracking))),
              h('div', { class: 'actions' }, button), message);
  let submitted = null;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { order_id: order.id, lines: [] };
    for (const { line, input } of inputs) {
      const q = input.value.trim();
      if (q !== '' && !isZero(q)) body.lines.push({ sku: line.sku, quantity: q });
    }
    if (carrier.value.trim()) body.carrier = carrier.value.trim();
    if (tracking.value.trim()) body.tracking_number = tracking.value.trim();
    const text = JSON.stringify(body);
    if (!submitted || submitted.text !== text) submitted = { text, key: newKey() };
    runAction(button, message, () => {
      if (body.lines.length === 0) throw new Error('Enter a quantity to ship on at least one line.');
      return api('POST', '/shipments', body, { 'Idempotency-Key': submitted.key });
    }, (shipment) => onShipped(shipment));
  });
  card.append(form);
  return card;
}

export default {
  path: 'shipping',
  title: 'Orders to ship',
  nav: 'To ship',
  needs: 'POST /shipments',
  async render(root, ctx) {
    const result = messageLine();
    result.id = 'shipping-result';
    const queue = h('div', { class: 'cards', id: 'ship-queue' });
    const transit = h('section', { class: 'card no-print', 'aria-labelledby': 'transit-title' },
                      h('h2', { id: 'transit-title' }, 'Shipped, not yet delivered'));
    const transitBody = h('div', {});
    transit.append(transitBody);
    root.append(result, queue, transit);
    const customers = customerCache();

    async function drawQueue() {
      const page = await api('GET', '/orders?to_ship=true&limit=' + QUEUE_PAGE);
      const items = page.data;
      const more = page.next_cursor !== null;
      const [names, picks] = await Promise.all([
        Promise.all(items.map((o) => customers.get(o.customer_id))),
        Promise.all(items.map((o) => api('GET', '/orders/' + o.id + '/pick-list'))),
      ]);
      clear(queue);
      if (items.length === 0) queue.append(emptyNote('No order has stock reserved and waiting to ship.'));
      items.forEach((o, i) => queue.append(orderCard(o, names[i], picks[i], ctx, async (s) => {
        // The queue is read again first, so the message speaks of the list as it now is.
        await Promise.all([drawQueue(), drawTransit()]);
        result.showDone('Shipment ' + s.number + ' of order ' + s.order_number + ' shipped' +
                        (s.invoice_number ? '; invoice ' + s.invoice_number + ' issued.' : '.'));
      })));
      if (more) queue.append(emptyNote('The oldest ' + items.length + ' orders are shown; ship them and more follow.'));
    }

    async function drawTransit() {
      const page = await api('GET', '/shipments?status=shipped&limit=' + QUEUE_PAGE);
      const items = page.data;
      const more = page.next_cursor !== null;
      clear(transitBody);
      if (items.length === 0) {
        transitBody.append(emptyNote('Every shipment is delivered.'));
        return;
      }
      const canDeliver = may(ctx.session, 'POST /shipments/{id}/deliver');
      const message = messageLine();
      const rows = items.map((s) => {
        const cells = [s.number, link('orders/' + s.order_id, s.order_number), s.shipped_on, s.carrier || '–',
                       s.tracking_number || '–'];
        if (canDeliver) {
          const b = h('button', { type: 'button', class: 'secondary small' }, 'Delivered');
          b.setAttribute('aria-label', 'Mark ' + s.number + ' delivered');
          b.addEventListener('click', () => runAction(b, message, () => api('POST', '/shipments/' + s.id + '/deliver', {}),
                                                       async (d) => {
                                                         await drawTransit();
                                                         result.showDone('Shipment ' + d.number + ' delivered on ' + d.delivered_on + '.');
                                                       }));
          cells.push(b);
        }
        return cells;
      });
      const cols = [{ label: 'Shipment' }, { label: 'Order' }, { label: 'Shipped on' }, { label: 'Carrier' },
                    { label: 'Tracking' }];
      if (canDeliver) cols.push({ label: '' });
      transitBody.append(message, h('div', { class: 'table-wrap' }, table(cols, rows)));
      if (more) transitBody.append(emptyNote('Only the oldest ' + items.length + ' are shown.'));
    }

    await Promise.all([drawQueue(), drawTransit()]);
  },
};
