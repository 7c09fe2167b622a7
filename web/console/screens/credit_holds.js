// The credit team's queue: orders on credit hold, each with why it was held
// and the customer's credit position, approved or rejected with a reason.
import { api } from '../api.js';
import { h, clear, money, may, link, table, messageLine, runAction, listAll, field, emptyNote } from '../ui.js';

function creditFacts(c) {
  const facts = [
    ['Credit limit', money(c.credit_limit, c.currency)],
    ['Open balance', money(c.balance, c.currency)],
    ['Overdue', money(c.overdue_amount, c.currency)],
    ['Credit available', money(c.credit_available, c.currency)],
  ];
  const dl = h('dl', { class: 'figures' });
  for (const [term, value] of facts) dl.append(h('dt', {}, term), h('dd', {}, value));
  if (c.credit_block) dl.append(h('dt', {}, 'Blocked'), h('dd', {}, c.dunning_block ? 'by dunning' : 'by hand'));
  return dl;
}

function holdCard(order, customer, ctx, onDecided) {
  const card = h('article', { class: 'card hold', 'aria-labelledby': 'hold-' + order.id });
  card.append(h('h2', { id: 'hold-' + order.id }, 'Order ' + order.number + ' · ',
                link('customers/' + order.customer_id, customer ? customer.name : 'customer ' + order.customer_id)));
  card.append(h('p', {}, 'Total ' + money(order.total, order.currency) + ', placed ' + order.created_at.slice(0, 10) + '.'));
  const reasons = h('ul', { class: 'reasons' });
  for (const r of order.hold_reasons) reasons.append(h('li', {}, r.message));
  card.append(h('h3', {}, 'Held because'), reasons);
  if (customer) card.append(h('h3', {}, 'Credit position'), creditFacts(customer));
  card.append(table([{ label: 'SKU' }, { label: 'Quantity', num: true }, { label: 'Net', num: true }],
                    order.lines.map((l) => [l.sku, l.quantity, money(l.line_net, order.currency)])));

  const canApprove = may(ctx.session, 'POST /orders/{id}/approve');
  const canReject = may(ctx.session, 'POST /orders/{id}/reject');
  if (!canApprove && !canReject) return card;
  const reason = h('textarea', { rows: 2, required: true, name: 'reason' });
  const message = messageLine();
  const form = h('form', { class: 'decide' }, ...field('Reason for the decision', reason));
  const buttons = h('div', { class: 'actions' });
  const decide = (verb, button) => runAction(button, message, () => {
    if (!reason.value.trim()) throw new Error('Give a reason for the decision.');
    return api('POST', '/orders/' + order.id + '/' + verb, { reason: reason.value.trim() });
  }, (o) => onDecided(o, verb));
  if (canApprove) {
    const b = h('button', { type: 'submit', name: 'approve' }, 'Approve ' + order.number);
    buttons.append(b);
    form.addEventListener('submit', (e) => { e.preventDefault(); decide('approve', b); });
  }
  if (canReject) {
    const b = h('button', { type: 'button', class: 'danger', name: 'reject' }, 'Reject ' + order.number);
    b.addEventListener('click', () => decide('reject', b));
    buttons.append(b);
  }
  form.append(buttons, message);
  card.append(form);
  return card;
}

export default {
  path: 'credit-holds',
  title: 'Credit holds',
  nav: 'Credit holds',
  needs: 'GET /orders',
  async render(root, ctx) {
    const { items, more } = await listAll('/orders?status=credit_hold');
    const result = messageLine();
    root.append(result);
    if (items.length === 0) {
      root.append(emptyNote('No order is waiting for a credit decision.'));
      return;
    }
    const ids = [...new Set(items.map((o) => o.customer_id))];
    const customers = new Map();
    await Promise.all(ids.map(async (id) => customers.set(id, await api('GET', '/customers/' + id))));
    const list = h('div', { class: 'cards' });
    for (const order of items) {
      const card = holdCard(order, customers.get(order.customer_id), ctx, (o, verb) => {
        card.remove();
        result.showDone('Order ' + o.number + (verb === 'approve' ? ' approved: now ' + o.status.replace('_', ' ') + '.' : ' rejected.'));
        if (!list.firstChild) list.append(emptyNote('No order is waiting for a credit decision.'));
      });
      list.append(card);
    }
    root.append(list);
    if (more) root.append(emptyNote('Only the first ' + items.length + ' orders on hold are shown.'));
  },
};
