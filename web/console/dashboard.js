// The dashboard: today's work counts, receivables aging, DSO/CEI and the
// cash forecast. Each part asks the API on its own; a part the role may not
// read (403) is left out, any other refusal is shown where the part would be.
import { api, countList, ApiError } from './api.js';
import { h, clear, byId } from './dom.js';
import { groupDigits, money } from './ui.js';


const charts = [];

// A chart's bar heights only: the figures shown in text come from the API's
// decimal strings, never from these numbers.
function height(text) {
  return Number(text);
}

const TILES = [
  { what: 'orders on credit hold', path: '/orders?status=credit_hold' },
  { what: 'unmatched bank lines', path: '/bank-lines?status=unmatched' },
  { what: 'overdue invoices', path: '/invoices?status=unpaid', overdue: true },
  { what: 'open disputes', path: '/disputes?status=open' },
];

function tileText(result) {
  return result.more ? result.count + '+' : String(result.count);
}

async function loadTiles(session, onAuthLost) {
  const list = byId('tiles');
  clear(list);
  await Promise.all(TILES.map(async (tile) => {
    const count = h('span', { class: 'count' }, '…');
    const item = h('li', { class: 'tile' }, count, h('span', { class: 'what' }, tile.what));
    list.append(item);
    try {
      const where = tile.overdue ? (inv) => inv.due_date < session.business_date : null;
      count.textContent = tileText(await countList(tile.path, where));
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) {
        item.remove();
        return;
      }
      if (e instanceof ApiError && e.status === 401) onAuthLost();
      item.classList.add('failed');
      count.textContent = e.message;
    }
  }));
  if (!list.firstChild) list.append(h('li', { class: 'note' }, 'Nothing on this dashboard is open to your role.'));
}

function chart(canvas, config) {
  if (typeof globalThis.Chart !== 'function') return;  // the figures table still shows the data
  charts.push(new globalThis.Chart(canvas, config));
}

function barOptions(stacked) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    scales: { x: { stacked }, y: { stacked, beginAtZero: true } },
    plugins: { legend: { display: stacked } },
  };
}

// Runs load(); hides the section on 403, shows the message on other refusals.
async function part(sectionId, noteId, load, onAuthLost) {
  const section = byId(sectionId);
  try {
    await load();
    section.hidden = false;
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) {
      section.hidden = true;
      return;
    }
    if (e instanceof ApiError && e.status === 401) onAuthLost();
    section.hidden = false;
    byId(noteId).textContent = 'Could not load: ' + e.message;
  }
}

const AGING_BUCKETS = [
  ['current', 'Not yet due'],
  ['1_30', '1–30 days'],
  ['31_60', '31–60 days'],
  ['61_90', '61–90 days'],
  ['over_90', 'Over 90 days'],
];

async function loadAging() {
  const r = await api('GET', '/reports/aging');
  byId('aging-note').textContent = 'Open receivables by days past due, as of ' + r.as_of + ', in ' + r.currency +
    '; total ' + money(r.total.total, r.currency) + '.';
  const table = byId('aging-table');
  clear(table);
  table.append(h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Bucket'),
                                     h('th', { scope: 'col', class: 'num' }, 'Amount'))));
  const body = h('tbody');
  for (const [key, label] of AGING_BUCKETS) {
    body.append(h('tr', {}, h('th', { scope: 'row' }, label), h('td', { class: 'num' }, money(r.total[key], r.currency))));
  }
  table.append(body);
  const canvas = byId('aging-chart');
  canvas.setAttribute('aria-label', 'Bar chart of receivables aging: ' +
    AGING_BUCKETS.map(([key, label]) => label + ' ' + money(r.total[key], r.currency)).join(', '));
  chart(canvas, {
    type: 'bar',
    data: {
      labels: AGING_BUCKETS.map(([, label]) => label),
      datasets: [{ label: r.currency, data: AGING_BUCKETS.map(([key]) => height(r.total[key])),
                   backgroundColor: ['#2e7d32', '#f9a825', '#ef6c00', '#d84315', '#a4161a'] }],
    },
    options: barOptions(false),
  });
}

async function loadDso() {
  const r = await api('GET', '/reports/dso');
  byId('dso-note').textContent = 'Over the ' + r.days + ' days before ' + r.as_of + '.';
  const dl = byId('dso-figures');
  clear(dl);
  const days = (v) => (v === null || v === undefined ? 'n/a' : v.toFixed(2) + ' days');
  const percent = (v) => (v === null || v === undefined ? 'n/a' : v.toFixed(2) + ' %');
  const rows = [
    ['DSO', days(r.dso)],
    ['Count-back DSO', days(r.countback_dso)],
    ['Best possible DSO', days(r.best_possible_dso)],
    ['Average days delinquent', days(r.average_days_delinquent)],
    ['Collection effectiveness (CEI)', percent(r.cei)],
    ['Receivables', money(r.receivables, r.currency)],
  ];
  for (const [term, value] of rows) dl.append(h('dt', {}, term), h('dd', {}, value));
}

async function loadForecast() {
  const r = await api('GET', '/reports/cash-forecast');
  byId('forecast-note').textContent = 'Expected receipts per week from ' + r.as_of + ', in ' + r.currency +
    ': from open invoices (due date plus each customer\u2019s usual delay) and from orders not yet invoiced.';
  const table = byId('forecast-table');
  clear(table);
  table.append(h('thead', {}, h('tr', {},
    h('th', { scope: 'col' }, 'Week of'), h('th', { scope: 'col', class: 'num' }, 'From invoices'),
    h('th', { scope: 'col', class: 'num' }, 'From orders'), h('th', { scope: 'col', class: 'num' }, 'Total'))));
  const body = h('tbody');
  for (const w of r.weeks) {
    body.append(h('tr', {}, h('th', { scope: 'row' }, w.week_start),
      h('td', { class: 'num' }, groupDigits(w.expected.from_invoices)),
      h('td', { class: 'num' }, groupDigits(w.expected.from_orders)),
      h('td', { class: 'num' }, groupDigits(w.expected.total))));
  }
  table.append(body);
  const canvas = byId('forecast-chart');
  canvas.setAttribute('aria-label', 'Bar chart of expected receipts for ' + r.weeks.length +
    ' weeks; the figures table below lists them');
  chart(canvas, {
    type: 'bar',
    data: {
      labels: r.weeks.map((w) => w.week_start),
      datasets: [
        { label: 'From invoices', data: r.weeks.map((w) => height(w.expected.from_invoices)), backgroundColor: '#1f5fbf' },
        { label: 'From orders', data: r.weeks.map((w) => height(w.expected.from_orders)), backgroundColor: '#8fb3e8' },
      ],
    },
    options: barOptions(true),
  });
}

export function closeDashboard() {
  while (charts.length) charts.pop().destroy();
  clear(byId('tiles'));
  for (const id of ['aging', 'dso', 'forecast']) byId(id).hidden = true;
  for (const id of ['aging-note', 'dso-note', 'forecast-note']) byId(id).textContent = '';
}

export async function openDashboard(session, onAuthLost) {
  closeDashboard();
  await Promise.all([
    loadTiles(session, onAuthLost),
    part('aging', 'aging-note', loadAging, onAuthLost),
    part('dso', 'dso-note', loadDso, onAuthLost),
    part('forecast', 'forecast-note', loadForecast, onAuthLost),
  ]);
}
