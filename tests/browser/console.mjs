// The web console in a real browser: Debian's Chromium, headless, driven by
// playwright-core. Starts `o2c serve --demo` on a fresh SQLite file, signs in
// through the form as each role the dashboard serves, and checks what a
// person would see: the figures the API gives, the tiles the role may read,
// no error in the page (a Content-Security-Policy violation is one), and
// sign-out. Screenshots of each step go to $O2C_BROWSER_ARTIFACTS.
//
// Environment: O2C_BIN (the o2c binary), O2C_BROWSER_ARTIFACTS (a folder),
// CHROMIUM (default /usr/bin/chromium). Exit code 0 when every check holds.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const bin = process.env.O2C_BIN;
const artifacts = process.env.O2C_BROWSER_ARTIFACTS || join(tmpdir(), 'o2c-browser-artifacts');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!bin) {
  console.error('console.mjs: set O2C_BIN to the o2c binary');
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });

// ---- The server ------------------------------------------------------------

// `o2c serve --demo` prints the URL and one token per role once it serves.
function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'o2c-browser-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(bin, ['serve', '--demo', '--db', join(dir, 'demo.db'), '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('o2c serve --demo did not start within 300 s:\n' + out)), 300000);
    const read = (chunk) => {
      out += chunk.toString();
      const url = out.match(/serving \S+ on (http:\/\/\S+)/);
      const tokens = {};
      for (const m of out.matchAll(/^ {4}(\w+)\s+(\w+)\s+(o2c_[0-9a-f]+)\s*$/gm)) tokens[m[1]] = m[3];
      if (url && tokens.admin && tokens.portal) {
        clearTimeout(timer);
        resolve({ url: url[1].replace(/\/$/, ''), tokens });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`o2c serve exited with ${code}:\n${out}`)));
  });
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  return { ready, stop };
}

async function api(base, token, path) {
  const r = await fetch(base + '/api/v1' + path, { headers: { Authorization: 'Bearer ' + token } });
  assert.equal(r.status, 200, `GET ${path}: ${r.status}`);
  return r.json();
}

// ---- The checks ------------------------------------------------------------

const failures = [];
async function step(name, fn) {
  try {
    await fn();
    console.log('ok   ' + name);
  } catch (e) {
    failures.push(name);
    console.log('FAIL ' + name + '\n     ' + String(e && e.stack ? e.stack : e).split('\n').join('\n     '));
  }
}

async function signInWithToken(page, base, token) {
  await page.goto(base + '/');
  await page.locator('#token').fill(token);
  await page.getByRole('button', { name: 'Sign in with token' }).click();
  await page.locator('#dashboard').waitFor({ state: 'visible', timeout: 15000 });
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, name + '.png'), fullPage: true });
}

const server = startServer();
let browser;
try {
  const { url: base, tokens } = await server.ready;
  console.log('server ' + base);
  browser = await chromium.launch({
    executablePath,
    headless: true,
    // Without the background-networking flags Chromium tries Google's hosts,
    // which this machine's closed network refuses (and the page makes none).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  // A refused request is logged by Chromium as an error too (the session
  // probe before sign-in answers 401, the wrong token's sign-in 401): those
  // are the API speaking, not the page failing. Script errors and CSP
  // violations ("Refused to ...") are.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push('console: ' + m.text());
  });
  page.on('pageerror', (e) => errors.push('page: ' + e.message));
  // Every request the page makes stays on the server that served it.
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url()); });

  await step('the sign-in page shows both ways in and nothing else', async () => {
    await page.goto(base + '/');
    await page.locator('#sign-in').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#dashboard').isVisible(), false);
    await shot(page, '01-sign-in');
  });

  await step('a wrong token is refused with the API\'s message, and no session starts', async () => {
    await page.locator('#token').fill('o2c_' + '0'.repeat(64));
    await page.getByRole('button', { name: 'Sign in with token' }).click();
    await page.locator('#sign-in-error').filter({ hasText: /\S/ }).waitFor({ timeout: 10000 });
    assert.equal(await page.locator('#dashboard').isVisible(), false);
    const cookies = await context.cookies();
    assert.equal(cookies.filter((c) => c.name === 'o2c_session').length, 0);
    await shot(page, '02-wrong-token');
  });

  await step('the accountant signs in with a token and sees the dashboard with the API\'s figures', async () => {
    await signInWithToken(page, base, tokens.accountant);
    assert.equal((await page.locator('#who-role').textContent()).trim(), 'accountant');
    const cookie = (await context.cookies()).find((c) => c.name === 'o2c_session');
    assert.ok(cookie, 'session cookie set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    // The charts are drawn and their figures are the API's.
    await page.locator('#aging').waitFor({ state: 'visible' });
    await page.locator('#forecast').waitFor({ state: 'visible' });
    await page.locator('#dso').waitFor({ state: 'visible' });
    const dso = await api(base, tokens.accountant, '/reports/dso');
    await page.locator('#dso-figures').filter({ hasText: dso.dso.toFixed(2) + ' days' }).waitFor({ timeout: 10000 });
    const aging = await api(base, tokens.accountant, '/reports/aging');
    const grouped = (t) => t.replace(/^(-?)(\d+)/, (m, sign, int) =>
      sign + int.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
    const table = await page.locator('#aging-table').textContent();
    for (const bucket of ['current', '1_30', '31_60', '61_90', 'over_90']) {
      const shown = grouped(aging.total[bucket]) + ' ' + aging.currency;
      assert.ok(table.includes(shown), `aging table shows ${bucket} ${shown}: ${table}`);
    }
    const note = await page.locator('#aging-note').textContent();
    assert.ok(note.includes('total ' + grouped(aging.total.total) + ' ' + aging.currency), note);
    const drawn = await page.locator('#aging-chart').evaluate((c) => c.width > 0 && c.height > 0);
    assert.ok(drawn, 'aging chart has a size');
    // Four work tiles for the accountant (credit holds, bank lines, overdue, disputes).
    await page.locator('#tiles li').nth(3).waitFor({ timeout: 10000 });
    await page.waitForLoadState('networkidle');
    await shot(page, '03-accountant-dashboard');
  });

  await step('the page made no request elsewhere and raised no error (CSP included)', async () => {
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
  });

  await step('sign-out ends the session: the cookie no longer works and the sign-in page is back', async () => {
    const before = (await context.cookies()).find((c) => c.name === 'o2c_session');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#sign-in').waitFor({ state: 'visible' });
    const r = await fetch(base + '/api/v1/session', { headers: { Cookie: 'o2c_session=' + before.value } });
    assert.equal(r.status, 401);
    await shot(page, '04-signed-out');
  });

  await step('on a phone, sales sees only the tiles its role may read', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const p = await phone.newPage();
    await signInWithToken(p, base, tokens.sales);
    assert.equal((await p.locator('#who-role').textContent()).trim(), 'sales');
    await p.waitForLoadState('networkidle');
    const tiles = await p.locator('#tiles li').count();
    assert.ok(tiles < 4, `sales sees ${tiles} tiles, fewer than the accountant's 4`);
    const wide = await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
    assert.ok(wide, 'no horizontal scrolling on a phone');
    await p.screenshot({ path: join(artifacts, '05-sales-phone.png'), fullPage: true });
    await phone.close();
  });

  await step('the keyboard alone signs in: tab to the token, type, Enter', async () => {
    const k = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await k.newPage();
    await p.goto(base + '/');
    await p.locator('#sign-in').waitFor({ state: 'visible' });
    await p.locator('#token').focus();
    await p.keyboard.type(tokens.viewer);
    await p.keyboard.press('Enter');
    await p.locator('#dashboard').waitFor({ state: 'visible', timeout: 15000 });
    assert.equal((await p.locator('#who-role').textContent()).trim(), 'viewer');
    await k.close();
  });
} catch (e) {
  failures.push('setup');
  console.log('FAIL setup\n     ' + String(e && e.stack ? e.stack : e));
} finally {
  if (browser) await browser.close();
  server.stop();
}

console.log(`browser: ${failures.length === 0 ? 'every check held' : failures.length + ' failed'} ` +
            `(screenshots in ${artifacts})`);
process.exit(failures.length === 0 ? 0 : 1);
