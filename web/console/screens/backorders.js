// Order lines waiting for stock, oldest order first, with the product's
// stock on hand and available; the warehouse receives stock here (POST
// /stock/receipts) and sees which backorders the receipt reserved.
import { api } from '../api.js';
import { h, clear, may, link, table, messageLine, runAction, emptyNote, field } from '../ui.js';
import { newKey } from '../orders_ui.js';

const PAGE = 200;

export default {
  path: 'backorders',
  title: 'Backorders',
  nav: 'Backorders',
  needs: 'GET /backorders',
  async render(root, ctx) {
    const listBox = h('section', { class: 'card', 'aria-labelledby': 'bo-title' }, h('h2', { id: 'bo-title' }, 'Waiting for stock'));
    const listBody = h('div', { id: 'backorder-list' });
    listBox.append(listBody);

    async function drawList() {
      const page = await api('GET', '/backorders?limit=' + PAGE);
      clear(listBody);
      if (page.data.length === 0) {
        listBody.append(emptyNote('No order line is waiting for stock.'));
        return;
      }
      listBody.append(h('div', { class: 'table-wrap' }, table(
        [{ label: 'Order' }, { label: 'Placed' }, { label: 'Customer' }, { label: 'SKU' }, { label: 'Product' },
         { label: 'Ordered', num: true }, { label: 'Reserved', num: true }, { label: 'Backordered', num: true },
         { label: 'On hand', num: true }, { label: 'Available', num: true }],
        page.data.map((b) => [link('orders/' + b.order_id, b.order_number), b.placed_on,
                              link('customers/' + b.customer_id, b.customer_name), b.sku, b.name, b.quantity, b.reserved,
                              h('strong', {}, b.backordered), b.on_hand, b.available]))));
      if (page.next_cursor) listBody.append(emptyNote('The oldest ' + page.data.length + ' lines are shown.'));
    }

    if (may(ctx.session, 'POST /stock/receipts')) {
      const warehouses = (await api('GET', '/warehouses?limit=200')).data;
      const box = h('section', { class: 'card', 'aria-labelledby': 'rcv-title' }, h('h2', { id: 'rcv-title' }, 'Receive stock'));
      const sku = h('input', { type: 'text', name: 'sku', autocomplete: 'off', required: true });
      const wh = h('select', { name: 'warehouse' }, ...warehouses.map((w) => h('option', { value: w.code }, w.code + ' · ' + w.name)));
      const qty = h('input', { type: 'text', inputmode: 'decimal', name: 'quantity', required: true });
      const cost = h('input', { type: 'text', inputmode: 'decimal', name: 'unit_cost', required: true });
      const bin = h('input', { type: 'text', name: 'bin', autocomplete: 'off' });
      const button = h('button', { type: 'submit' }, 'Receive');
      const message = messageLine();
      const filled = h('div', { id: 'receipt-filled', 'aria-live': 'polite' });
      const form = h('form', { class: 'receipt-form' },
                     h('div', { class: 'two' }, h('div', {}, ...field('SKU', sku)), h('div', {}, ...field('Warehouse', wh))),
                     h('div', { class: 'two' }, h('div', {}, ...field('Quantity', qty)), h('div', {}, ...field('Unit cost', cost))),
                     ...field('Bin (optional)', bin),
                     h('div', { class: 'actions' }, button), message, filled);
      let submitted = null;
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const body = { sku: sku.value.trim(), warehouse: wh.value, quantity: qty.value.trim(), unit_cost: cost.value.trim() };
        if (bin.value.trim()) body.bin = bin.value.trim();
        const text = JSON.stringify(body);
        if (!submitted || submitted.text !== text) submitted = { text, key: newKey() };
        clear(filled);
        runAction(button, message, () => api('POST', '/stock/receipts', body, { 'Idempotency-Key': submitted.key }),
                  async (r) => {
                    // The list is read again first, so what the message says and the list agree.
                    await drawList();
                    message.showDone('Received ' + body.quantity + ' ' + r.stock.sku + ' into ' + r.stock.warehouse +
                                     ': on hand ' + r.stock.on_hand + ', available ' + r.stock.available + '.');
                    if (r.allocated_to_backorders.length === 0) {
                      filled.append(emptyNote('No backorder was waiting for it.'));
                    } else {
                      filled.append(table([{ label: 'Order' }, { label: 'SKU' }, { label: 'Now reserved', num: true }],
                                          r.allocated_to_backorders.map((f) => [link('orders/' + f.order_id, f.order_number),
                                                                                f.sku, f.quantity]),
                                          'Backorders this receipt reserved'));
                    }
                    submitted = null;
                  });
      });
      box.append(form);
      root.append(box);
    }
    root.append(listBox);
    await drawList();
  },
};
