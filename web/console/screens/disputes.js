// Open disputes, oldest first: the invoice, the customer, why they dispute
// it and for how long; the accountant resolves one, upheld (with a credit
// note for the whole invoice if chosen) or rejected, with a resolution.
import { api } from '../api.js';
import { h, may, messageLine, runAction, listAll, field, emptyNote } from '../ui.js';
import { customerNames, customerLink, invoiceLink, facts } from '../finance.js';

function disputeCard(d, ctx, names, onResolved) {
  const card = h('article', { class: 'card dispute', 'aria-labelledby': 'dispute-' + d.id, 'data-dispute-id': d.id });
  const who = customerLink(d.customer_id, '');
  names(d.customer_id).then((n) => { who.textContent = n; });
  card.append(h('h2', { id: 'dispute-' + d.id }, 'Invoice ', invoiceLink(d.invoice_id, d.invoice_number), ' · ', who));
  card.append(facts([
    ['Reason', d.reason],
    ['Opened', d.opened_on + ' (' + d.age_days + ' days)'],
  ]));
  if (!may(ctx.session, 'POST /disputes/{id}/resolve')) return card;
  const outcome = h('select', { name: 'outcome' },
    h('option', { value: 'upheld' }, 'Upheld: the customer is right'),
    h('option', { value: 'rejected' }, 'Rejected: the invoice stands, dunning resumes'));
  const resolution = h('textarea', { rows: 2, name: 'resolution', required: true });
  const credit = h('input', { type: 'checkbox', name: 'credit-note', id: 'credit-' + d.id });
  const creditBox = h('div', { class: 'check' }, credit,
    h('label', { for: credit.id, class: 'inline' }, 'Issue a credit note for the whole invoice'));
  outcome.addEventListener('change', () => { creditBox.hidden = outcome.value !== 'upheld'; });
  const message = messageLine();
  const resolve = h('button', { type: 'submit', name: 'resolve' }, 'Resolve dispute on ' + d.invoice_number);
  const form = h('form', { class: 'decide' }, ...field('Outcome', outcome), ...field('Resolution', resolution), creditBox,
                 h('div', { class: 'actions' }, resolve), message);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    runAction(resolve, message, () => {
      const body = { outcome: outcome.value, resolution: resolution.value.trim() };
      if (outcome.value === 'upheld' && credit.checked) body.credit_note = { reason: body.resolution || d.reason };
      return api('POST', '/disputes/' + d.id + '/resolve', body);
    }, (x) => onResolved(card, x));
  });
  card.append(form);
  return card;
}

export default {
  path: 'disputes',
  title: 'Disputes',
  nav: 'Disputes',
  needs: 'GET /disputes',
  async render(root, ctx) {
    const { items, more } = await listAll('/disputes?status=open');
    const result = messageLine();
    root.append(result);
    if (items.length === 0) {
      root.append(emptyNote('No open dispute.'));
      return;
    }
    const names = customerNames();
    const list = h('div', { class: 'cards', id: 'disputes-list' });
    for (const d of items) {
      list.append(disputeCard(d, ctx, names, (card, x) => {
        card.remove();
        result.showDone('Dispute on ' + x.invoice_number + ' resolved: ' + x.outcome +
                        (x.credit_note_id ? ', credit note ' + x.credit_note_id + ' issued.' : '.'));
        if (!list.firstChild) list.append(emptyNote('No open dispute.'));
      }));
    }
    root.append(h('p', { class: 'note' }, items.length + ' open, oldest first. A disputed invoice is not dunned.'), list);
    if (more) root.append(emptyNote('Only the first ' + items.length + ' open disputes are shown.'));
  },
};
