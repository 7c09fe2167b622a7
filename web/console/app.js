// The console's entry point: resumes a session or shows the sign-in forms,
// then the top bar and the dashboard.
import { api, setCsrfToken, ApiError } from './api.js';
import { byId } from './dom.js';
import { openDashboard, closeDashboard } from './dashboard.js';

function status(text) {
  byId('status').textContent = text;
}

function showSignIn(message) {
  setCsrfToken(null);
  closeDashboard();
  byId('who').hidden = true;
  byId('dashboard').hidden = true;
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

async function showConsole(session) {
  authLost = false;
  setCsrfToken(session.csrf_token);
  byId('who-name').textContent = session.user;
  byId('who-role').textContent = session.role;
  byId('who-date').textContent = session.business_date;
  byId('who').hidden = false;
  byId('sign-in').hidden = true;
  byId('dashboard').hidden = false;
  byId('main').focus();
  status('Loading the dashboard…');
  await openDashboard(session, onAuthLost);
  if (!authLost) status('');
}

async function signIn(form, body) {
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  byId('sign-in-error').textContent = '';
  try {
    const session = await api('POST', '/session', body);
    form.reset();
    await showConsole(session);
  } catch (e) {
    byId('sign-in-error').textContent = e.message;
    const password = form.querySelector('input[type="password"]');
    if (password) {
      password.value = '';
      password.focus();
    }
  } finally {
    button.disabled = false;
  }
}

byId('password-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn(event.currentTarget, { name: byId('name').value, password: byId('password').value });
});

byId('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn(event.currentTarget, { token: byId('token').value.trim() });
});

byId('sign-out').addEventListener('click', async () => {
  try {
    await api('DELETE', '/session');
    showSignIn('You are signed out.');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) showSignIn('You are signed out.');
    else status('Could not sign out: ' + e.message);
  }
});

async function start() {
  try {
    await showConsole(await api('GET', '/session'));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) showSignIn('');
    else showSignIn('The server could not be asked who is signed in: ' + e.message);
  }
}

start();
