// The customer portal's entry point: resumes a session or shows the sign-in
// forms, then the customer's pages by the address (#/ invoices,
// #/invoices/12, #/statement, #/disputes, #/checkout/5). Every figure is the
// API's, and the API alone decides what this customer may see: another
// customer's invoice answers 404 and the page shows nothing of it.
import { api, setCsrfToken, ApiError } from '/assets/console/api.js';
import { h, clear, byId } from '/assets/console/dom.js';
import { wireSession, resumeSession } from '/assets/console/signin.js';
import { matchHash } from '/assets/console/route.js';
import { routes } from './screens.js';

let session = null;
let customer = null;

function status(text) {
  byId('status').textContent = text;
}

function hidePortal() {
  clear(byId('screen'));
  byId('screen').hidden = true;
  byId('nav').hidden = true;
  byId('who').hidden = true;
}

function showSignIn(message) {
  session = null;
  customer = null;
  setCsrfToken(null);
  hidePortal();
  byId('staff-note').hidden = true;
  byId('sign-in').hidden = false;
  byId('sign-in-error').textContent = message || '';
  status('');
  byId('token').focus();
}

// A staff user is told where their work is; their session stays open, so
// the console's link takes them in without signing in again.
function showStaffNote(s) {
  session = null;
  hidePortal();
  byId('sign-in').hidden = false;
  byId('staff-name').textContent = s.user;
  byId('staff-role').textContent = s.role;
  byId('staff-note').hidden = false;
  byId('sign-in-error').textContent = '';
  status('');
}

let authLost = false;
function onAuthLost() {
  if (authLost) return;
  authLost = true;
  showSignIn('Your session has ended. Sign in again.');
}

// '#/invoices/12' -> {route, params: {id: '12'}, query}; route null when none matches.
function resolve(hash) {
  const { entry, params, query } = matchHash(hash, routes);
  return { route: entry, params, query };
}

function markCurrent(route) {
  for (const a of byId('nav').querySelectorAll('a')) {
    const target = a.getAttribute('href').replace(/^#\//, '');
    if (route && route.section === target) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

let renderCount = 0;
async function show() {
  if (!session) return;
  const mine = ++renderCount;
  const { route, params, query } = resolve(location.hash);
  markCurrent(route);
  const root = byId('screen');
  clear(root);
  root.hidden = false;
  status('');
  if (!route) {
    root.append(h('h1', { id: 'screen-title' }, 'Not found'), h('p', {}, 'There is no such page. '),
                h('a', { href: '#/' }, 'Back to your invoices'));
    return;
  }
  document.title = route.title + ' · Customer portal';
  root.append(h('h1', { id: 'screen-title' }, route.title));
  const body = h('div', { class: 'screen-body' });
  root.append(body);
  const ctx = {
    session,
    customer,
    params,
    query,
    status,
    go: (path) => { location.hash = '#/' + path; },
    isCurrent: () => mine === renderCount,
  };
  status('Loading…');
  try {
    await route.render(body, ctx);
    if (mine === renderCount) status('');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      onAuthLost();
      return;
    }
    if (mine !== renderCount) return;
    status('');
    clear(body);
    // A 404 is all a customer learns of a document that is not theirs.
    const text = e instanceof ApiError && e.status === 404
      ? 'Not found: there is no such ' + route.thing + ' in your account.'
      : 'Could not load this page: ' + e.message;
    body.append(h('p', { class: 'error', role: 'alert' }, text), h('a', { href: '#/' }, 'Back to your invoices'));
  }
}

async function showPortal(s) {
  if (s.role !== 'portal') {
    showStaffNote(s);
    return;
  }
  authLost = false;
  session = s;
  setCsrfToken(s.csrf_token);
  customer = await api('GET', '/customers/' + encodeURIComponent(s.customer_id));
  byId('who-customer').textContent = customer.name;
  byId('who-name').textContent = s.user;
  byId('who').hidden = false;
  byId('sign-in').hidden = true;
  byId('staff-note').hidden = true;
  byId('nav').hidden = false;
  byId('main').focus();
  await show();
}

wireSession({ open: showPortal, signedOut: showSignIn, status });

window.addEventListener('hashchange', () => {
  show();
  byId('main').focus();
});

resumeSession({ open: showPortal, signedOut: showSignIn });
