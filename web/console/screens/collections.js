// Collections: the invoices past due on the business date (days overdue,
// customer, open amount, the customer's last reminder level), the dunning
// run for that date, and the notices sent with their letters.
import { api } from '../api.js';
import { h, clear, money, may, table, messageLine, runAction, listAll, emptyNote } from '../ui.js';
import { customerLink, invoiceLink, fileLink, wrap, facts, words } from '../finance.js';

// Every notice sent (oldest first, so the last one read per customer is
// their latest level), as far as listAll reads.
async function allNotices() {
  const { items, more } = await listAll('/dunning/notices');
  const levels = new Map();
  for (const n of items) levels.set(n.customer_id, { level: n.level, date: n.notice_date });
  return { items, more, levels };
}

const SENT_SHOWN = 100;

function noticesTable(notices, names) {
  return wrap(table(
    [{ label: 'Date' }, { label: 'Customer' }, { label: 'Level', num: true }, { label: 'Action' },
     { label: 'Overdue', num: true }, { label: 'Fee', num: true }, { label: 'Letter' }],
    notices.map((n) => [n.notice_date, customerLink(n.customer_id, names.get(n.customer_id)), String(n.level),
                        words(n.action), money(n.overdue_amount, n.currency), money(n.fee, n.currency),
                        fileLink('/dunning/notices/' + n.id + '.pdf', 'PDF', 'notice-' + n.id + '.pdf')])));
}

export default {
  path: 'collections',
  title: 'Collections',
  nav: 'Collections',
  needs: 'GET /reports/open-items',
  async render(root, ctx) {
    const asOf = ctx.session.business_date;
    const readNotices = may(ctx.session, 'GET /dunning/notices');
    const [report, notices] = await Promise.all([
      api('GET', '/reports/open-items?as_of=' + encodeURIComponent(asOf)),
      readNotices ? allNotices() : Promise.resolve({ items: [], more: false, levels: new Map() }),
    ]);
    const levels = notices.levels;
    const overdue = report.items.filter((i) => i.days_overdue > 0).sort((a, b) => b.days_overdue - a.days_overdue);
    const names = new Map(report.items.map((i) => [i.customer_id, i.name]));

    const overdueSection = h('section', { class: 'card', 'aria-labelledby': 'overdue-title' });
    overdueSection.append(h('h2', { id: 'overdue-title' }, 'Overdue on ' + asOf + ' (' + overdue.length + ')'));
    if (overdue.length === 0) {
      overdueSection.append(emptyNote('No invoice is past due.'));
    } else {
      overdueSection.append(wrap(table(
        [{ label: 'Invoice' }, { label: 'Customer' }, { label: 'Due' }, { label: 'Days overdue', num: true },
         { label: 'Open', num: true }, { label: 'Last reminder' }],
        overdue.map((i) => {
          const l = levels.get(i.customer_id);
          return [invoiceLink(i.invoice_id, i.number), customerLink(i.customer_id, i.name), i.due_date,
                  String(i.days_overdue), money(i.open_amount, i.currency),
                  l ? 'level ' + l.level + ' (' + l.date + ')' : 'none'];
        }), 'Oldest first; the last reminder is the customer\'s latest notice')));
    }

    const runSection = h('section', { class: 'card', 'aria-labelledby': 'dunning-run-title' });
    runSection.append(h('h2', { id: 'dunning-run-title' }, 'Dunning run'));
    const runOutcome = h('div', { id: 'dunning-outcome' });
    if (may(ctx.session, 'POST /dunning/run')) {
      const message = messageLine();
      const run = h('button', { type: 'button', id: 'run-dunning' }, 'Run dunning for ' + asOf);
      run.addEventListener('click', () => runAction(run, message, () => api('POST', '/dunning/run', { as_of: asOf }), (r) => {
        clear(runOutcome);
        const levelsText = Object.entries(r.by_level).map(([level, n]) => ['Level ' + level, String(n)]);
        runOutcome.append(facts([['Notices created', String(r.notices_created)], ...levelsText]));
        if (r.notices && r.notices.length) runOutcome.append(noticesTable(r.notices, names));
        message.showDone(r.notices_created === 0
          ? 'No reminder was due on ' + r.as_of + ' (a run on the same day adds nothing).'
          : r.notices_created + ' notices created for ' + r.as_of + '.');
        refreshSent();
      }));
      runSection.append(h('p', {}, 'One notice per customer and level; disputed invoices and promises to pay are left alone.'),
                        h('div', { class: 'actions' }, run), message, runOutcome);
    } else {
      runSection.append(h('p', { class: 'note' }, 'Your role may not run dunning.'));
    }

    const sentSection = h('section', { class: 'card', 'aria-labelledby': 'notices-title' });
    sentSection.append(h('h2', { id: 'notices-title' }, 'Notices sent'));
    const sent = h('div', { id: 'notices-sent' });
    sentSection.append(sent);
    const showSent = (all) => {
      clear(sent);
      if (all.items.length === 0) {
        sent.append(emptyNote('No notice sent yet.'));
        return;
      }
      const newest = all.items.slice().reverse().slice(0, SENT_SHOWN);
      sent.append(h('p', { class: 'note' }, 'Newest first' + (all.items.length > SENT_SHOWN || all.more
        ? ', the latest ' + newest.length + '.' : ', all ' + newest.length + '.')), noticesTable(newest, names));
    };
    const refreshSent = () => allNotices().then(showSent)
      .catch((e) => { clear(sent); sent.append(h('p', { class: 'error', role: 'alert' }, e.message)); });

    root.append(overdueSection, runSection);
    if (may(ctx.session, 'GET /dunning/notices')) {
      root.append(sentSection);
      showSent(notices);
    }
  },
};
