// The orders, filtered by status: number, customer, status, total; a page
// at a time (the API's order: oldest first), with the next page on demand.
import { api } from '../api.js';
import { h, clear, money, link, table, emptyNote, field } from '../ui.js';
import { ORDER_STATUSES, statusBadge, statusWord, customerCache } from '../orders_ui.js';

const PAGE = 50;

export default {
  path: 'orders',
  title: 'Orders',
  nav: 'Orders',
  needs: 'GET /orders',
  async render(root, ctx) {
    const status = ctx.query.status && ORDER_STATUSES.includes(ctx.query.status) ? ctx.query.status : '';
    const select = h('select', { name: 'status' }, h('option', { value: '' }, 'every status'),
                     ...ORDER_STATUSES.map((s) => h('option', { value: s, selected: s === status }, statusWord(s))));
    select.addEventListener('change', () => ctx.go('orders' + (select.value ? '?status=' + select.value : '')));
    const filter = h('form', { class: 'filters' }, ...field('Status', select));
    filter.addEventListener('submit', (e) => e.preventDefault());
    root.append(filter);

    const customers = customerCache();
    const holder = h('div', { class: 'table-wrap' });
    const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show more');
    root.append(holder, h('div', { class: 'actions' }, more));
    const rows = [];
    let cursor = null;

    async function loadPage() {
      const url = '/orders?limit=' + PAGE + (status ? '&status=' + status : '') +
                  (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
      const page = await api('GET', url);
      const names = await Promise.all(page.data.map((o) => customers.get(o.customer_id)));
      page.data.forEach((o, i) => {
        rows.push([link('orders/' + o.id, o.number), o.created_at.slice(0, 10),
                   names[i] ? link('customers/' + o.customer_id, names[i].name) : 'customer ' + o.customer_id,
                   statusBadge(o.status), money(o.total, o.currency)]);
      });
      cursor = page.next_cursor;
      clear(holder);
      if (rows.length === 0) holder.append(emptyNote(status ? 'No order is ' + statusWord(status) + '.' : 'No order yet.'));
      else {
        holder.append(table([{ label: 'Order' }, { label: 'Placed' }, { label: 'Customer' }, { label: 'Status' },
                             { label: 'Total', num: true }], rows, rows.length + ' orders shown' + (cursor ? ', more to come' : '')));
      }
      more.hidden = !cursor;
    }
    more.addEventListener('click', async () => {
      more.disabled = true;
      try {
        await loadPage();
      } catch (e) {
        ctx.status('Could not load more orders: ' + e.message);
      } finally {
        more.disabled = false;
      }
    });
    await loadPage();
  },
};
