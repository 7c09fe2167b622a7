// The customer portal in a real browser (Debian's Chromium through
// playwright-core) against `o2c serve --demo`: the demo's portal user
// (customer 1) signs in at /portal, sees their open and paid invoices as the
// API lists them, downloads an invoice as PDF and as UBL, reads the
// statement, opens a dispute, and pays an open invoice through the test
// provider's checkout until the page (and the API) say paid. Then tries
// another customer's invoice through the address bar and through the API
// with its own cookie: refused, nothing of it shown. Also: staff at /portal
// are sent to the console and a portal user at / to the portal; a phone
// layout without sideways scrolling; no script error, no foreign request.
// Screenshots of each step go to $O2C_BROWSER_ARTIFACTS.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, api as apiCall, steps, launchBrowser, watch, signInWithToken, shot, grouped, listAll,
         fitsWidth } from './harness.mjs';

const { step, failures, finish } = steps();
const money = (text, currency) => grouped(text) + ' ' + currency;

// The numbers in the invoice table of one section (open-title, paid-title).
async function shownNumbers(page, section) {
  return page.locator(`section[aria-labelledby="${section}"] tbody tr td:first-child`).allTextContents();
}

const server = startServer();
let browser;
try {
  const { url: base, tokens } = await server.ready;
  console.log('server ' + base);
  const get = (token, path) => apiCall(base, token, 'GET', path);
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const { errors, foreign } = watch(page, base);

  const me = await get(tokens.portal, '/me');
  const own = me.customer_id;
  const customer = await get(tokens.admin, '/customers/' + own);
  const openInvoices = await listAll(base, tokens.portal, '/invoices?status=unpaid');
  const paidInvoices = await listAll(base, tokens.portal, '/invoices?status=paid');
  const others = (await get(tokens.accountant, '/invoices?limit=200')).data.filter((v) => v.customer_id !== own);
  assert.ok(others.length > 0, 'the demo has invoices of other customers');
  const foreignInvoice = others[0];

  await step('the portal\'s sign-in page', async () => {
    await page.goto(base + '/portal');
    await page.locator('#sign-in').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#who').isVisible(), false);
    await shot(page, 'portal-01-sign-in');
  });

  await step('the portal user signs in and sees their open and paid invoices as the API lists them', async () => {
    await signInWithToken(page, base, tokens.portal, '/portal');
    assert.equal((await page.locator('#who-customer').textContent()).trim(), customer.name);
    await page.locator('#balance').waitFor();
    assert.equal((await page.locator('#balance').textContent()).trim(), money(customer.balance, customer.currency));
    assert.equal((await page.locator('#overdue').textContent()).trim(), money(customer.overdue_amount, customer.currency));
    const open = await shownNumbers(page, 'open-title');
    assert.deepEqual(open.slice().sort(), openInvoices.map((v) => v.number).sort());
    const paid = await shownNumbers(page, 'paid-title');
    assert.deepEqual(paid.slice().sort(), paidInvoices.map((v) => v.number).sort());
    assert.ok(openInvoices.length >= 2, 'customer 1 has at least two open invoices: ' + openInvoices.length);
    // A row's figures are the API's.
    const v = openInvoices[0];
    const row = page.locator('section[aria-labelledby="open-title"] tbody tr', { hasText: v.number });
    const cells = await row.locator('td').allTextContents();
    assert.deepEqual(cells.slice(0, 5), [v.number, v.issue_date, v.due_date, money(v.total, v.currency), money(v.open_amount, v.currency)]);
    const cookie = (await context.cookies()).find((c) => c.name === 'o2c_session');
    assert.ok(cookie && cookie.httpOnly && cookie.sameSite === 'Strict');
    await shot(page, 'portal-02-invoices');
  });

  // Two open invoices that no open dispute holds yet: one to dispute, one to pay.
  const disputed = new Set((await listAll(base, tokens.portal, '/disputes?status=open')).map((d) => d.invoice_id));
  const free = openInvoices.filter((v) => !disputed.has(v.id));
  assert.ok(free.length >= 2, 'two open invoices without a dispute: ' + free.length);
  const toPay = free[0];
  const toDispute = free[1];

  await step('an invoice\'s page shows the API\'s figures and downloads as PDF and UBL', async () => {
    await page.locator('section[aria-labelledby="open-title"]').getByRole('link', { name: toPay.number }).click();
    await page.locator('#screen-title').filter({ hasText: toPay.number }).waitFor();
    assert.equal((await page.locator('#total').textContent()).trim(), money(toPay.total, toPay.currency));
    assert.equal((await page.locator('#open-amount').textContent()).trim(), money(toPay.open_amount, toPay.currency));
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator('#download-pdf').click()]);
    const pdfBytes = readFileSync(await pdf.path());
    assert.equal(pdfBytes.subarray(0, 4).toString('latin1'), '%PDF');
    const [ubl] = await Promise.all([page.waitForEvent('download'), page.locator('#download-ubl').click()]);
    const xml = readFileSync(await ubl.path(), 'utf8');
    assert.ok(xml.includes('<Invoice') && xml.includes(toPay.number), 'UBL invoice with its number');
    const types = await page.evaluate(async (id) => {
      const p = await fetch('/api/v1/invoices/' + id + '.pdf');
      const x = await fetch('/api/v1/invoices/' + id + '.xml');
      return [p.headers.get('content-type'), x.headers.get('content-type')];
    }, toPay.id);
    assert.ok(types[0].startsWith('application/pdf'), types[0]);
    assert.ok(types[1].startsWith('application/xml'), types[1]);
    await shot(page, 'portal-03-invoice');
  });

  await step('the statement shows the API\'s opening, movements and closing', async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Statement' }).click();
    await page.locator('#screen-title').filter({ hasText: 'Statement' }).waitFor();
    await page.locator('#closing').waitFor();
    const s = await get(tokens.portal, '/customers/' + own + '/statement');
    assert.equal((await page.locator('#opening').textContent()).trim(), money(s.opening_balance, s.currency));
    assert.equal((await page.locator('#closing').textContent()).trim(), money(s.closing_balance, s.currency));
    assert.equal(await page.locator('#screen tbody tr').count(), s.movements.length);
    // Another period, by the form.
    const from = '2000-01-01';
    await page.getByLabel('From').fill(from);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('#period').filter({ hasText: from }).waitFor();
    const all = await get(tokens.portal, '/customers/' + own + '/statement?from=' + from + '&to=' + s.to);
    assert.equal((await page.locator('#opening').textContent()).trim(), money(all.opening_balance, all.currency));
    assert.equal((await page.locator('#closing').textContent()).trim(), money(all.closing_balance, all.currency));
    assert.equal(await page.locator('#screen tbody tr').count(), all.movements.length);
    await shot(page, 'portal-04-statement');
  });

  await step('the customer opens a dispute on an invoice, and the API has it', async () => {
    await page.goto(base + '/portal#/invoices/' + toDispute.id);
    await page.locator('#screen-title').filter({ hasText: toDispute.number }).waitFor();
    await page.getByLabel('What is wrong').fill('Two mugs arrived broken');
    await page.getByRole('button', { name: 'Open a dispute' }).click();
    await page.getByText('Your dispute is open').waitFor();
    const disputes = await listAll(base, tokens.portal, '/disputes');
    const d = disputes.find((x) => x.invoice_id === toDispute.id && x.reason === 'Two mugs arrived broken');
    assert.ok(d, 'dispute recorded');
    assert.equal(d.status, 'open');
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Disputes' }).click();
    await page.locator('#screen tbody tr', { hasText: 'Two mugs arrived broken' }).waitFor();
    await shot(page, 'portal-05-dispute');
  });

  await step('the customer pays an open invoice through the test provider\'s checkout: shown paid, and the API agrees', async () => {
    const paymentsBefore = await listAll(base, tokens.accountant, '/payments?customer_id=' + own);
    await page.goto(base + '/portal#/invoices/' + toPay.id);
    await page.locator('#screen-title').filter({ hasText: toPay.number }).waitFor();
    await page.getByRole('button', { name: 'Pay ' + money(toPay.open_amount, toPay.currency) + ' by card' }).click();
    await page.locator('#screen-title').filter({ hasText: 'Pay by card' }).waitFor();
    assert.ok(page.url().includes('#/checkout/'), page.url());
    const company = await get(tokens.admin, '/company');
    assert.equal((await page.locator('#merchant').textContent()).trim(), company.name);
    assert.equal((await page.locator('#checkout-invoice').textContent()).trim(), toPay.number);
    assert.equal((await page.locator('#checkout-amount').textContent()).trim(), money(toPay.open_amount, toPay.currency));
    await page.getByLabel('Card number').waitFor();
    await shot(page, 'portal-06-checkout');
    await page.getByRole('button', { name: 'Pay ' + money(toPay.open_amount, toPay.currency), exact: true }).click();
    await page.locator('#paid-note').waitFor({ timeout: 20000 });
    assert.ok((await page.locator('#paid-note').textContent()).includes('is paid'));
    const v = await get(tokens.portal, '/invoices/' + toPay.id);
    assert.equal(v.status, 'paid');
    assert.equal(v.open_amount, '0.00');
    const paymentsAfter = await listAll(base, tokens.accountant, '/payments?customer_id=' + own);
    assert.equal(paymentsAfter.length, paymentsBefore.length + 1, 'one payment recorded');
    const p = paymentsAfter[paymentsAfter.length - 1];
    assert.equal(p.method, 'card');
    assert.equal(p.amount, toPay.open_amount);
    await shot(page, 'portal-07-paid');
    // Back on the list, it has moved to the paid invoices.
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Invoices' }).click();
    await page.locator('section[aria-labelledby="paid-title"] tbody tr', { hasText: toPay.number }).waitFor();
    assert.ok(!(await shownNumbers(page, 'open-title')).includes(toPay.number));
  });

  await step('another customer\'s invoice by address: refused, nothing of it shown', async () => {
    await page.goto(base + '/portal#/invoices/' + foreignInvoice.id);
    await page.locator('#screen [role="alert"]').filter({ hasText: 'Not found' }).waitFor();
    const text = await page.locator('body').textContent();
    assert.ok(!text.includes(foreignInvoice.number), 'the other invoice\'s number is not on the page');
    await page.goto(base + '/portal#/checkout/999999');
    await page.locator('#screen [role="alert"]').filter({ hasText: 'Not found' }).waitFor();
    await shot(page, 'portal-08-foreign-refused');
  });

  await step('another customer\'s documents through the API with the portal\'s cookie: all 404', async () => {
    const statuses = await page.evaluate(async ({ id, customerId }) => {
      const session = await (await fetch('/api/v1/session')).json();
      const post = (path, body) => fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token }, body: JSON.stringify(body) });
      const out = {};
      for (const path of ['/api/v1/invoices/' + id, '/api/v1/invoices/' + id + '.pdf', '/api/v1/invoices/' + id + '.xml',
                          '/api/v1/customers/' + customerId, '/api/v1/customers/' + customerId + '/statement',
                          '/api/v1/invoices?customer_id=' + customerId]) {
        out['GET ' + path] = (await fetch(path)).status;
      }
      out['POST dispute'] = (await post('/api/v1/invoices/' + id + '/disputes', { reason: 'not mine' })).status;
      out['POST checkout'] = (await post('/api/v1/invoices/' + id + '/checkout', {})).status;
      return out;
    }, { id: foreignInvoice.id, customerId: foreignInvoice.customer_id });
    for (const [what, status] of Object.entries(statuses)) assert.equal(status, 404, what);
    // And nothing changed on it.
    const v = await get(tokens.accountant, '/invoices/' + foreignInvoice.id);
    assert.equal(v.status, foreignInvoice.status);
    assert.equal(v.open_amount, foreignInvoice.open_amount);
  });

  await step('the portal page made no request elsewhere and raised no error (CSP included)', async () => {
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
  });

  await step('on a phone: the invoices, an invoice and the statement fit the width', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const p = await phone.newPage();
    const watched = watch(p, base);
    await signInWithToken(p, base, tokens.portal, '/portal');
    await p.locator('section[aria-labelledby="open-title"]').waitFor();
    await p.waitForLoadState('networkidle');
    assert.ok(await fitsWidth(p), 'invoices: no sideways scroll');
    await shot(p, 'portal-09-phone-invoices');
    await p.goto(base + '/portal#/invoices/' + toDispute.id);
    await p.locator('#screen-title').filter({ hasText: toDispute.number }).waitFor();
    await p.waitForLoadState('networkidle');
    assert.ok(await fitsWidth(p), 'invoice: no sideways scroll');
    await shot(p, 'portal-10-phone-invoice');
    await p.goto(base + '/portal#/statement');
    await p.locator('#closing').waitFor();
    assert.ok(await fitsWidth(p), 'statement: no sideways scroll');
    await shot(p, 'portal-11-phone-statement');
    assert.deepEqual(watched.errors, []);
    assert.deepEqual(watched.foreign, []);
    await phone.close();
  });

  await step('staff signing in at /portal are told to use the console; a portal user at / is sent to /portal', async () => {
    const k = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await k.newPage();
    const watched = watch(p, base);
    await p.goto(base + '/portal');
    await p.locator('#token').fill(tokens.accountant);
    await p.getByRole('button', { name: 'Sign in with token' }).click();
    await p.locator('#staff-note').waitFor({ state: 'visible' });
    assert.equal(await p.locator('#who').isVisible(), false);
    assert.equal(await p.locator('#screen').isVisible(), false);
    await shot(p, 'portal-12-staff-told');
    await p.locator('#staff-note').getByRole('link', { name: 'console' }).click();
    await p.locator('#dashboard').waitFor({ state: 'visible', timeout: 15000 });
    await k.close();
    const c = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const q = await c.newPage();
    const watchedQ = watch(q, base);
    await q.goto(base + '/');
    await q.locator('#token').fill(tokens.portal);
    await q.getByRole('button', { name: 'Sign in with token' }).click();
    await q.waitForURL(base + '/portal', { timeout: 15000 });
    await q.locator('#who-customer').filter({ hasText: customer.name }).waitFor({ timeout: 15000 });
    assert.deepEqual([...watched.errors, ...watchedQ.errors], []);
    assert.deepEqual([...watched.foreign, ...watchedQ.foreign], []);
    await c.close();
  });
} catch (e) {
  failures.push('setup');
  console.log('FAIL setup\n     ' + String(e && e.stack ? e.stack : e));
} finally {
  if (browser) await browser.close();
  server.stop();
}

finish('portal');
