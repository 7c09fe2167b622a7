// The web console in a real browser: Debian's Chromium, headless, driven by
// playwright-core. Starts `o2c serve --demo` on a fresh SQLite file, signs in
// through the form as each role the dashboard serves, and checks what a
// person would see: the figures the API gives, the tiles the role may read,
// no error in the page (a Content-Security-Policy violation is one), and
// sign-out. Screenshots of each step go to $O2C_BROWSER_ARTIFACTS.
//
// Environment: see harness.mjs. Exit code 0 when every check holds.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, api as apiCall, steps, launchBrowser, watch, signInWithToken as signIn, shot, grouped,
         artifacts, fitsWidth } from './harness.mjs';

const api = (base, token, path) => apiCall(base, token, 'GET', path);
const signInWithToken = async (page, base, token) => {
  await signIn(page, base, token);
  await page.locator('#dashboard').waitFor({ state: 'visible', timeout: 15000 });
};
const { step, failures, finish } = steps();

const server = startServer();
let browser;
try {
  const { url: base, tokens } = await server.ready;
  console.log('server ' + base);
  browser = await launchBrowser();

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const { errors, foreign } = watch(page, base);

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
    const wide = await fitsWidth(p);
    assert.ok(wide, 'no horizontal scrolling on a phone');
    await p.screenshot({ path: join(artifacts, '05-sales-phone.png'), fullPage: true });
    await phone.close();
  });

  await step('the navigation lists the pages the role may open, and a page it may not is refused', async () => {
    const k = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await k.newPage();
    const watched = watch(p, base);
    await signInWithToken(p, base, tokens.credit);
    await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Credit holds' }).click();
    await p.locator('#screen-title').filter({ hasText: 'Credit holds' }).waitFor();
    await p.waitForLoadState('networkidle');
    await shot(p, '06-credit-holds');
    const held = await api(base, tokens.credit, '/orders?status=credit_hold&limit=200');
    assert.equal(await p.locator('article.hold').count(), held.data.length);
    await p.getByRole('button', { name: 'Sign out' }).click();
    await signInWithToken(p, base, tokens.warehouse);
    assert.equal(await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Credit holds' }).count(), 1,
                 'warehouse staff may list orders, so the page opens read-only');
    await p.goto(base + '/#/credit-holds');
    await p.locator('#screen-title').filter({ hasText: 'Credit holds' }).waitFor();
    await p.waitForLoadState('networkidle');
    assert.equal(await p.getByRole('button', { name: /^Approve/ }).count(), 0, 'no approve button for warehouse');
    await p.goto(base + '/#/no-such-page');
    await p.locator('#screen h1').filter({ hasText: 'Not found' }).waitFor();
    assert.deepEqual(watched.errors, []);
    assert.deepEqual(watched.foreign, []);
    await k.close();
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

finish('console');
