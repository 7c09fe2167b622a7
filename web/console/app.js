// The console's entry point: resumes a session or shows the sign-in forms,
// then the top bar, the navigation of the screens the role may open, and the
// screen the address names (#/ is the dashboard, #/credit-holds a queue,
// #/customers/12 a customer).
import { setCsrfToken, ApiError } from './api.js';
import { h, clear, byId } from './dom.js';
import { wireSession, resumeSession } from './signin.js';
import { matchHash } from './route.js';
import { may } from './ui.js';
import { openDashboard, closeDashboard } from './dashboard.js';
import screens from './screens.js';

let session = null;

function status(text) {
  byId('status').textContent = text;
}

function showSignIn(message) {
  session = null;
  setCsrfToken(null);
  closeDashboard();
  clear(byId('screen'));
  clear(byId('nav'));
  byId('nav').hidden = true;
  byId('who').hidden = true;
  byId('dashboard').hidden = true;
  byId('screen').hidden = true;
  byId('sign-in').hidden = false;
  byId('sign-in-error').textContent = message || '';
  status('');
  byId('name').focus();
}

let authLost = false;
function onAuthLost() {
  if (authLost) return;
  authLost = true;
  showSignIn('Your session has ended. Sign in again.');
}

function allowed(screen) {
  return !screen.needs || may(session, screen.needs);
}

// The dashboard (null) for '#/', the screen the address names, or
// undefined when it names none.
function resolve(hash) {
  const { entry, params, query, empty } = matchHash(hash, screens);
  if (empty) return { screen: null, params, query };
  return { screen: entry || undefined, params, query };
}

function buildNav() {
  const nav = byId('nav');
  clear(nav);
  const list = h('ul');
  list.append(h('li', {}, h('a', { href: '#/' }, 'Dashboard')));
  for (const screen of screens) {
    if (screen.nav && allowed(screen)) list.append(h('li', {}, h('a', { href: '#/' + screen.path }, screen.nav)));
  }
  nav.append(list);
  nav.hidden = false;
}

function markCurrent() {
  const here = location.hash.split('?')[0] || '#/';
  const links = [...byId('nav').querySelectorAll('a')];
  const matches = (target) => here === target || (target !== '#/' && here.startsWith(target + '/'));
  // The closest entry only: #/orders/new is "New order", not also "Orders".
  const best = links.map((a) => a.getAttribute('href')).filter(matches).sort((a, b) => b.length - a.length)[0];
  for (const a of links) {
    if (a.getAttribute('href') === best) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

let renderCount = 0;
async function show() {
  if (!session) return;
  const mine = ++renderCount;
  markCurrent();
  const { screen, params, query } = resolve(location.hash);
  const root = byId('screen');
  closeDashboard();
  clear(root);
  status('');
  if (screen === null) {
    root.hidden = true;
    byId('dashboard').hidden = false;
    status('Loading the dashboard…');
    await openDashboard(session, onAuthLost);
    if (!authLost && mine === renderCount) status('');
    return;
  }
  byId('dashboard').hidden = true;
  root.hidden = false;
  if (screen === undefined) {
    root.append(h('h1', {}, 'Not found'), h('p', {}, 'There is no such page. '), h('a', { href: '#/' }, 'Back to the dashboard'));
    return;
  }
  document.title = screen.title + ' · o2c';
  root.append(h('h1', { id: 'screen-title' }, screen.title));
  if (!allowed(screen)) {
    root.append(h('p', { class: 'error', role: 'alert' }, 'Your role (' + session.role + ') may not open this page.'));
    return;
  }
  const body = h('div', { class: 'screen-body' });
  root.append(body);
  const ctx = {
    session,
    params,
    query,
    status,
    onAuthLost,
    go: (path) => { location.hash = '#/' + path; },
    reload: () => show(),
  };
  status('Loading…');
  try {
    await screen.render(body, ctx);
    if (mine === renderCount) status('');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      onAuthLost();
      return;
    }
    if (mine !== renderCount) return;
    status('');
    body.append(h('p', { class: 'error', role: 'alert' }, 'Could not load this page: ' + e.message));
  }
}

async function showConsole(s) {
  // A customer's user belongs in the portal.
  if (s.role === 'portal') {
    location.replace('/portal');
    return;
  }
  authLost = false;
  session = s;
  setCsrfToken(s.csrf_token);
  byId('who-name').textContent = s.user;
  byId('who-role').textContent = s.role;
  byId('who-date').textContent = s.business_date;
  byId('who').hidden = false;
  byId('sign-in').hidden = true;
  buildNav();
  byId('main').focus();
  await show();
}

wireSession({ open: showConsole, signedOut: showSignIn, status });

window.addEventListener('hashchange', () => {
  show();
  byId('main').focus();
});

resumeSession({ open: showConsole, signedOut: showSignIn });
