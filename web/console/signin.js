// The sign-in forms (#password-form, #token-form, #sign-in-error), the
// sign-out button (#sign-out) and resuming a session after a reload, shared
// by the console and the portal: each page says what opening a session and
// losing one look like.
import { api, ApiError } from './api.js';
import { byId } from './dom.js';

// open(session) shows the signed-in page; signedOut(message) the forms;
// status(text) reports a sign-out that failed.
export function wireSession({ open, signedOut, status }) {
  async function signIn(form, body) {
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    byId('sign-in-error').textContent = '';
    try {
      const s = await api('POST', '/session', body);
      form.reset();
      await open(s);
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
      signedOut('You are signed out.');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) signedOut('You are signed out.');
      else status('Could not sign out: ' + e.message);
    }
  });
}

// After a (re)load: the session the cookie holds, or the sign-in forms.
export async function resumeSession({ open, signedOut }) {
  try {
    await open(await api('GET', '/session'));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) signedOut('');
    else signedOut('The server could not be asked who is signed in: ' + e.message);
  }
}
