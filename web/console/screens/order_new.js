// Order entry for sales: a customer found by name, lines added by product
// search, quantities changed or lines removed, and the totals as the server
// computes them (POST /orders/quote, asked a moment after each change; the
// page computes no amount). Placing sends an Idempotency-Key, so a double
// click places one order, then opens the order's page.
import { api } from '../api.js';
import { h, clear, money, messageLine, runAction, table, field } from '../ui.js';
import { searchBox, facts, newKey } from '../orders_ui.js';

const QUOTE_DELAY_MS = 300;
const RESULTS_MAX = 8;

// "COF-1KG" -> "MAIN 12 · EAST 3 available" from GET /stock?sku= rows.
function availability(rows) {
  if (rows.length === 0) return 'no stock';
  return rows.map((s) => s.warehouse + ' ' + s.available).join(' · ') + ' available';
}

export default {
  path: 'orders/new',
  title: 'New order',
  nav: 'New order',
  needs: 'POST /orders',
  async render(root, ctx) {
    const state = { customer: null, lines: [], quote: null, quotedFor: '', submitted: null };
    const stockOf = new Map();  // sku -> text

    // --- customer --------------------------------------------------------
    const customerBox = h('section', { class: 'card order-customer', 'aria-labelledby': 'oc-title' },
                          h('h2', { id: 'oc-title' }, 'Customer'));
    const chosen = h('div', { class: 'chosen', hidden: true });
    const customerSearch = searchBox({
      label: 'Find the customer by name',
      placeholder: 'e.g. Trattoria',
      name: 'customer-search',
      find: async (text) => (await api('GET', '/customers?limit=' + RESULTS_MAX + '&q=' + encodeURIComponent(text))).data,
      render: (c) => [h('strong', {}, c.name), ' · ' + c.currency + ' · credit available ',
                      money(c.credit_available, c.currency)],
      onPick: (c) => chooseCustomer(c),
    });
    customerBox.append(customerSearch, chosen);

    function chooseCustomer(c) {
      state.customer = c;
      clear(chosen);
      const pairs = [['Currency', c.currency], ['Credit limit', money(c.credit_limit, c.currency)],
                     ['Open balance', money(c.balance, c.currency)], ['Credit available', money(c.credit_available, c.currency)]];
      if (c.credit_block) pairs.push(['Credit block', 'new orders wait for the credit team']);
      const change = h('button', { type: 'button', class: 'secondary' }, 'Change customer');
      change.addEventListener('click', () => {
        state.customer = null;
        chosen.hidden = true;
        customerSearch.hidden = false;
        customerSearch.reset();
        customerSearch.input.focus();
        changed();
      });
      chosen.append(h('p', { class: 'chosen-name' }, h('strong', { id: 'customer-chosen' }, c.name), ' (customer ' + c.id + ')'),
                    facts(pairs), h('div', { class: 'actions' }, change));
      chosen.hidden = false;
      customerSearch.hidden = true;
      productSearch.input.focus();
      changed();
    }

    // --- lines -------------------------------------------------------------
    const linesBox = h('section', { class: 'card order-lines', 'aria-labelledby': 'ol-title' },
                       h('h2', { id: 'ol-title' }, 'Lines'));
    const productSearch = searchBox({
      label: 'Add a product (SKU or name)',
      placeholder: 'e.g. COF-1KG or coffee',
      name: 'product-search',
      find: async (text) => {
        let items = (await api('GET', '/products?limit=' + RESULTS_MAX + '&q=' + encodeURIComponent(text))).data;
        if (state.customer) items = items.filter((p) => p.currency === state.customer.currency);
        await Promise.all(items.map(async (p) => {
          if (!stockOf.has(p.sku)) {
            try {
              stockOf.set(p.sku, availability((await api('GET', '/stock?sku=' + encodeURIComponent(p.sku) + '&limit=50')).data));
            } catch (e) {
              stockOf.set(p.sku, 'stock unknown');
            }
          }
        }));
        return items;
      },
      render: (p) => [h('strong', {}, p.sku), ' ' + p.name + ' · ', money(p.unit_price, p.currency),
                      h('span', { class: 'stock-note' }, ' · ' + stockOf.get(p.sku))],
      onPick: (p) => addLine(p),
    });
    const linesTable = h('div', { class: 'table-wrap' });
    linesBox.append(productSearch, linesTable);

    function addLine(p) {
      const existing = state.lines.find((l) => l.sku === p.sku);
      if (existing) {
        existing.input.focus();
        existing.input.select();
        return;
      }
      const input = h('input', { type: 'text', inputmode: 'decimal', value: '1', class: 'qty',
                                 'aria-label': 'Quantity of ' + p.sku, name: 'qty-' + p.sku });
      input.addEventListener('input', changed);
      state.lines.push({ sku: p.sku, name: p.name, stock: stockOf.get(p.sku) || '', input,
                         price: h('span', { class: 'unit-price' }, '…'), net: h('span', { class: 'line-net' }, '…') });
      productSearch.reset();
      drawLines();
      changed();
      input.focus();
      input.select();
    }

    function drawLines() {
      clear(linesTable);
      if (state.lines.length === 0) {
        linesTable.append(h('p', { class: 'note empty' }, 'No line yet: find a product above.'));
        return;
      }
      const rows = state.lines.map((l, i) => {
        const remove = h('button', { type: 'button', class: 'secondary small', 'aria-label': 'Remove ' + l.sku }, 'Remove');
        remove.addEventListener('click', () => {
          state.lines.splice(i, 1);
          drawLines();
          changed();
        });
        // The remove button sits under the product, so that a phone shows it without scrolling the table.
        return [h('span', {}, h('strong', {}, l.sku), h('br'), l.name, h('br'), h('span', { class: 'stock-note' }, l.stock),
                  h('br'), remove),
                l.input, l.price, l.net];
      });
      linesTable.append(table([{ label: 'Product' }, { label: 'Quantity' }, { label: 'Unit price', num: true },
                               { label: 'Net', num: true }], rows));
      drawPrices();
    }

    // The quote's prices beside the lines it priced; '…' while one is asked.
    function drawPrices() {
      const q = state.quote;
      state.lines.forEach((l, i) => {
        const priced = q && q.lines[i] && q.lines[i].sku === l.sku ? q.lines[i] : null;
        l.price.textContent = priced ? money(priced.unit_price, q.currency) : '…';
        l.net.textContent = priced ? money(priced.line_net, q.currency) : '…';
      });
    }

    // --- totals and placing --------------------------------------------------
    const totalsBox = h('section', { class: 'card order-totals', 'aria-labelledby': 'ot-title', 'aria-live': 'polite' },
                        h('h2', { id: 'ot-title' }, 'Totals'));
    const totals = h('div', { id: 'order-totals' });
    const holdNote = h('div', { class: 'hold-warning', role: 'status', hidden: true });
    const quoteMessage = messageLine();
    const place = h('button', { type: 'button', id: 'place-order' }, 'Place order');
    const placeMessage = messageLine();
    totalsBox.append(totals, holdNote, quoteMessage, h('div', { class: 'actions' }, place), placeMessage);

    function draft() {
      return {
        customer_id: state.customer ? state.customer.id : '',
        lines: state.lines.map((l) => ({ sku: l.sku, quantity: l.input.value.trim() })),
      };
    }

    function drawTotals() {
      clear(totals);
      const q = state.quote;
      if (!q) {
        totals.append(h('p', { class: 'note empty' },
                        state.customer && state.lines.length ? 'Pricing…' : 'Choose a customer and add lines.'));
        holdNote.hidden = true;
        return;
      }
      const pairs = [['Net', money(q.net_total, q.currency)]];
      if (q.allowance_total && !/^0(\.0+)?$/.test(q.allowance_total)) {
        pairs.push(['Allowances', money(q.allowance_total, q.currency)]);
      }
      if (q.charge_total && !/^0(\.0+)?$/.test(q.charge_total)) pairs.push(['Charges', money(q.charge_total, q.currency)]);
      pairs.push(['Tax', money(q.tax_total, q.currency)], ['Total', money(q.total, q.currency)]);
      const dl = facts(pairs, 'totals');
      dl.querySelectorAll('dd')[0].id = 'total-net';
      const dds = dl.querySelectorAll('dd');
      dds[dds.length - 2].id = 'total-tax';
      dds[dds.length - 1].id = 'total-total';
      totals.append(dl);
      clear(holdNote);
      if (q.credit_hold) {
        holdNote.append(h('strong', {}, 'This order would go to credit hold:'));
        const ul = h('ul', { class: 'reasons' });
        for (const r of q.hold_reasons) ul.append(h('li', {}, r.message));
        holdNote.append(ul, h('p', {}, 'You can still place it; the credit team decides.'));
        holdNote.hidden = false;
      } else {
        holdNote.hidden = true;
      }
    }

    let timer = null;
    let asked = 0;
    function changed() {
      placeMessage.clear();
      clearTimeout(timer);
      const d = draft();
      const key = JSON.stringify(d);
      if (!state.customer || state.lines.length === 0) {
        state.quote = null;
        state.quotedFor = '';
        quoteMessage.clear();
        drawPrices();
        drawTotals();
        return;
      }
      if (key === state.quotedFor) return;
      totals.classList.add('stale');
      timer = setTimeout(() => requote(d, key), QUOTE_DELAY_MS);
    }

    async function requote(d, key) {
      const mine = ++asked;
      try {
        const q = await api('POST', '/orders/quote', d);
        if (mine !== asked) return;
        state.quote = q;
        state.quotedFor = key;
        quoteMessage.clear();
      } catch (e) {
        if (mine !== asked) return;
        state.quote = null;
        state.quotedFor = '';
        quoteMessage.showError(e);
      }
      totals.classList.remove('stale');
      drawPrices();
      drawTotals();
    }

    place.addEventListener('click', () => {
      const d = draft();
      const body = JSON.stringify(d);
      // The same draft placed again (a double click, a retry after a lost
      // answer) carries the same key: the server answers with the first order.
      if (!state.submitted || state.submitted.body !== body) state.submitted = { body, key: newKey() };
      const { key } = state.submitted;
      runAction(place, placeMessage, () => {
        if (!state.customer) throw new Error('Choose a customer first.');
        if (state.lines.length === 0) throw new Error('Add at least one line.');
        return api('POST', '/orders', d, { 'Idempotency-Key': key });
      }, (order) => ctx.go('orders/' + order.id));
    });

    root.append(h('div', { class: 'order-entry' }, customerBox, linesBox, totalsBox));
    drawLines();
    drawTotals();
    customerSearch.input.focus();
  },
};
