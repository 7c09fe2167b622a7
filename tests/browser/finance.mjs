// The finance screens of the console in a real browser: the accountant
// imports a camt.053 built here from the demo's open invoices (watching the
// upload's progress bar), runs matching, accepts a suggestion or sees the
// automatic match, matches a line by hand to two invoices (after the API
// refuses too much), runs dunning, resolves a dispute, downloads an invoice
// as PDF and UBL; the credit desk blocks and unblocks a customer. Every
// figure on screen is checked against the API's; the phone layout has no
// sideways scrolling; no script error, no request elsewhere.
//
// Environment: see harness.mjs. Exit code 0 when every check holds.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api as apiCall, steps, launchBrowser, watch, signInWithToken, shot, grouped, artifacts,
         listAll as listAllOf, minor, decimal, loaded, fitsWidth, camt053 } from './harness.mjs';

const { step, failures, finish } = steps();

const shown = (amount, currency) => grouped(amount) + ' ' + currency;
const server = startServer();
let browser;
try {
  const { url: base, tokens } = await server.ready;
  console.log('server ' + base);
  const A = tokens.accountant;
  const get = (path, token = A) => apiCall(base, token, 'GET', path);
  const listAll = (path, token = A) => listAllOf(base, token, path);

  // The demo's open invoices: one to be paid by reference (A), two of
  // another customer to be paid by one transfer matched by hand (B, C).
  const company = await get('/company');
  const session = await get('/session');
  const today = session.business_date;
  const disputed = new Set((await listAll('/disputes?status=open')).map((d) => d.invoice_id));
  const open = (await listAll('/invoices?status=open')).filter((i) => i.currency === 'EUR' && !disputed.has(i.id) &&
                                                                     i.kind === 'invoice' && !i.number.startsWith('FEE'));
  const byCustomer = new Map();
  for (const i of open) byCustomer.set(i.customer_id, [...(byCustomer.get(i.customer_id) || []), i]);
  const pair = [...byCustomer.values()].find((list) => list.length >= 2);
  assert.ok(pair, 'a demo customer has two open invoices');
  const [invB, invC] = pair;
  const invA = open.find((i) => i.customer_id !== invB.customer_id);
  const custA = await get('/customers/' + invA.customer_id);
  const custB = await get('/customers/' + invB.customer_id);
  console.log(`invoice A ${invA.number} ${invA.open_amount}; B ${invB.number} ${invB.open_amount}, C ${invC.number} ${invC.open_amount}`);

  const handAmount = decimal(minor(invB.open_amount) + minor(invC.open_amount));
  const statementId = 'UI-' + Date.now();
  const camt = camt053({
    id: statementId, iban: company.iban, date: today, opening: '10000.00',
    transfers: [
      { amount: invA.open_amount, payer: custA.name, iban: custA.iban, text: 'Rechnung ' + invA.number },
      { amount: handAmount, payer: 'Sammelzahler Unbekannt', text: 'Zahlung Oktober' },
    ],
    // A statement of some size, so that the browser reports the upload in parts.
    padding: 'x'.repeat(3 * 1024 * 1024),
  });

  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const { errors, foreign } = watch(page, base);
  await signInWithToken(page, base, A);
  await page.locator('#dashboard').waitFor({ state: 'visible', timeout: 15000 });
  const nav = page.getByRole('navigation', { name: 'Pages' });
  const open_ = async (path, title) => {
    await page.goto(base + '/#/' + path);
    await page.locator('#screen-title').filter({ hasText: title }).waitFor({ timeout: 15000 });
    await page.waitForLoadState('networkidle');
    await loaded(page);
  };

  let statement = null;
  await step('the accountant imports a camt.053: the progress bar runs to the end, the result is the API\'s', async () => {
    await nav.getByRole('link', { name: 'Import statement' }).click();
    await page.locator('#screen-title').filter({ hasText: 'Import a bank statement' }).waitFor();
    await page.getByLabel('Statement file').setInputFiles({ name: 'statement.xml', mimeType: 'application/xml',
                                                             buffer: Buffer.from(camt.xml) });
    assert.equal(await page.getByLabel('Format').inputValue(), 'camt');
    // Every value the bar takes, as the page sets it.
    await page.evaluate(() => {
      window.__progress = [];
      const bar = document.getElementById('upload-progress');
      new MutationObserver(() => window.__progress.push([Number(bar.value), Number(bar.max)]))
        .observe(bar, { attributes: true, attributeFilter: ['value', 'max'] });
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.locator('#import-result').waitFor({ timeout: 60000 });
    const size = Buffer.byteLength(camt.xml);
    const bar = page.locator('#upload-progress');
    assert.equal(Number(await bar.getAttribute('max')), size, 'the bar counts the file\'s bytes');
    assert.equal(Number(await bar.getAttribute('value')), size, 'the bar is full');
    assert.equal(await page.locator('#upload-percent').textContent(), '100%');
    const seen = await page.evaluate(() => window.__progress);
    const values = seen.map(([v]) => v).filter((v) => v > 0);
    assert.ok(values.length >= 1, 'progress reported: ' + JSON.stringify(seen));
    for (let i = 1; i < values.length; i++) assert.ok(values[i] >= values[i - 1], 'progress never goes back');
    const result = await page.locator('#import-result').textContent();
    assert.ok(result.includes('camt.053'), result);
    assert.match(result, /Lines imported\s*2/);
    assert.match(result, /Duplicates skipped\s*0/);
    assert.ok(result.includes(shown('10000.00', 'EUR')), result);
    assert.ok(result.includes(shown(camt.closing, 'EUR')), result);
    await shot(page, 'finance-01-import');
    const statements = await listAll('/bank-lines?status=unmatched');
    const mine = statements.filter((l) => l.bank_reference && l.bank_reference.startsWith(statementId));
    assert.equal(mine.length, 2, 'the API holds the two new lines');
    statement = mine[0].statement_id;
  });

  await step('sending the same file again adds nothing: the page says so', async () => {
    await page.getByLabel('Statement file').setInputFiles({ name: 'statement.xml', mimeType: 'application/xml',
                                                             buffer: Buffer.from(camt.xml) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.locator('#import-form .message.done').filter({ hasText: '0 lines new, 2 already known' }).waitFor({ timeout: 60000 });
    const result = await page.locator('#import-result').textContent();
    assert.match(result, /Lines imported\s*0/);
    assert.match(result, /Duplicates skipped\s*2/);
  });

  let lineA;
  let lineHand;
  await step('running matching shows the matcher\'s counts, and the line naming invoice A is matched or suggested', async () => {
    await page.getByRole('button', { name: 'Run matching' }).click();
    await page.locator('#match-outcome dl').waitFor({ timeout: 60000 });
    const text = await page.locator('#match-outcome').textContent();
    assert.match(text, /Matched and booked\s*\d+/);
    assert.match(text, /Suggested\s*\d+/);
    assert.match(text, /Unmatched\s*\d+/);
    const suggested = (await listAll('/bank-lines?status=suggested')).length;
    const unmatched = (await listAll('/bank-lines?status=unmatched')).length;
    assert.ok(new RegExp('Suggested\\s*' + suggested + '(\\D|$)').test(text), text + ' vs ' + suggested);
    assert.ok(new RegExp('Unmatched\\s*' + unmatched + '(\\D|$)').test(text), text + ' vs ' + unmatched);
    const lines = await listAll('/bank-lines?statement_id=' + statement);
    lineA = lines.find((l) => l.remittance && l.remittance.includes(invA.number));
    lineHand = lines.find((l) => l !== lineA);
    assert.ok(['matched', 'suggested'].includes(lineA.status), 'line A is ' + lineA.status);
    await shot(page, 'finance-02-matching');
  });

  await step('the line paying invoice A: its suggestion is accepted (or the automatic match is shown); the open amount drops', async () => {
    if (lineA.status === 'suggested') {
      await page.getByRole('link', { name: 'Suggested lines' }).click();
      const card = page.locator(`article[data-line-id="${lineA.id}"]`);
      await card.waitFor({ timeout: 15000 });
      const why = await card.locator('.suggestion').first().textContent();
      for (const reason of lineA.suggestions[0].reasons) assert.ok(why.includes(reason), `reason "${reason}" shown`);
      assert.ok(why.includes('Score ' + lineA.suggestions[0].score));
      await shot(page, 'finance-03-suggestion');
      await card.getByRole('button', { name: 'Accept suggestion 1' }).click();
      await card.locator('.message.done').filter({ hasText: 'matched' }).waitFor({ timeout: 15000 });
    } else {
      await open_('bank-lines?status=matched&statement_id=' + statement, 'Bank lines');
      const card = page.locator(`article[data-line-id="${lineA.id}"]`);
      await card.locator('.allocations').filter({ hasText: invA.number }).waitFor({ timeout: 15000 });
      await shot(page, 'finance-03-auto-matched');
    }
    const after = await get('/invoices/' + invA.id);
    assert.equal(after.open_amount, '0.00', 'the API agrees invoice A is paid');
    assert.equal(after.status, 'paid');
    await open_('invoices/' + invA.id, 'Invoice ' + invA.number);
    assert.equal((await page.locator('#invoice-open').textContent()).trim(), shown('0.00', 'EUR'));
    const payments = await page.locator('section[aria-labelledby="payments-title"]').textContent();
    assert.ok(payments.includes(shown(invA.open_amount, 'EUR')), payments);
  });

  await step('a suggested line of the demo: accepting its first suggestion books it, the invoices\' open amounts drop by it', async () => {
    const suggested = (await listAll('/bank-lines?status=suggested'))
      .filter((l) => l.suggestions.length && l.suggestions[0].allocations.length && l.statement_id !== statement);
    assert.ok(suggested.length > 0, 'the demo leaves suggested lines');
    const line = suggested[0];
    const allocations = line.suggestions[0].allocations;
    const before = await Promise.all(allocations.map((a) => get('/invoices/' + a.invoice_id)));
    await nav.getByRole('link', { name: 'Bank lines' }).click();
    await page.getByRole('tab', { name: 'Suggested' }).click();
    const card = page.locator(`article[data-line-id="${line.id}"]`);
    await card.waitFor({ timeout: 15000 });
    const first = await card.locator('.suggestion').first().textContent();
    assert.ok(first.includes('Score ' + line.suggestions[0].score), first);
    for (const reason of line.suggestions[0].reasons) assert.ok(first.includes(reason), `reason "${reason}" shown`);
    for (const a of allocations) assert.ok(first.includes(a.number) && first.includes(shown(a.amount, line.currency)), first);
    await shot(page, 'finance-03b-demo-suggestion');
    await card.getByRole('button', { name: 'Accept suggestion 1' }).click();
    await card.locator('.message.done').filter({ hasText: 'matched' }).waitFor({ timeout: 15000 });
    assert.equal((await get('/bank-lines/' + line.id)).status, 'matched');
    for (const [i, a] of allocations.entries()) {
      const after = await get('/invoices/' + a.invoice_id);
      assert.equal(minor(after.open_amount), minor(before[i].open_amount) - minor(a.amount), a.number + ' open amount');
    }
  });

  await step('matching by hand to two invoices: too much is refused with the API\'s message, the exact sum is booked', async () => {
    const status = (await get('/bank-lines/' + lineHand.id)).status;
    assert.notEqual(status, 'matched');
    await open_(`bank-lines?status=${status}&statement_id=${statement}`, 'Bank lines');
    const card = page.locator(`article[data-line-id="${lineHand.id}"]`);
    await card.locator('summary').filter({ hasText: 'Match by hand' }).click();
    await card.getByLabel('Find a customer').fill(custB.name);
    await card.getByLabel('Customer', { exact: true }).selectOption(custB.id);
    await card.getByLabel('Amount to apply to ' + invB.number).waitFor({ timeout: 15000 });
    await card.getByLabel('Pay ' + invB.number).check();
    await card.getByLabel('Pay ' + invC.number).check();
    await card.locator('.remainder.exact').waitFor();
    // One cent too much on C: the remainder turns, and the API refuses.
    const tooMuch = decimal(minor(invC.open_amount) + 1n);
    await card.getByLabel('Amount to apply to ' + invC.number).fill(tooMuch);
    await card.locator('.remainder.over').filter({ hasText: '0.01 EUR more than the line' }).waitFor();
    await card.getByRole('button', { name: 'Match to the chosen invoices' }).click();
    const refusal = card.locator('.message.error[role="alert"]');
    await refusal.waitFor({ timeout: 15000 });
    assert.ok((await refusal.textContent()).includes('add up to more than the line'), await refusal.textContent());
    assert.equal((await get('/bank-lines/' + lineHand.id)).status, status, 'the refusal changed nothing');
    await shot(page, 'finance-04-refused');
    await card.getByLabel('Amount to apply to ' + invC.number).fill(invC.open_amount);
    await card.locator('.remainder.exact').waitFor();
    await card.getByRole('button', { name: 'Match to the chosen invoices' }).click();
    await card.locator('.message.done').filter({ hasText: 'matched by hand' }).waitFor({ timeout: 15000 });
    await shot(page, 'finance-05-matched-by-hand');
    const line = await get('/bank-lines/' + lineHand.id);
    assert.equal(line.status, 'matched');
    const payment = await get('/payments/' + line.payment_id);
    assert.deepEqual(payment.allocations.map((a) => [a.invoice_id, a.amount]).sort(),
                     [[invB.id, invB.open_amount], [invC.id, invC.open_amount]].sort());
    assert.equal((await get('/invoices/' + invB.id)).open_amount, '0.00');
    assert.equal((await get('/invoices/' + invC.id)).open_amount, '0.00');
  });

  await step('the matched tab shows the hand match with its invoices, and it can be unmatched', async () => {
    await open_(`bank-lines?status=matched&statement_id=${statement}`, 'Bank lines');
    const card = page.locator(`article[data-line-id="${lineHand.id}"]`);
    await card.locator('.allocations').filter({ hasText: invB.number }).filter({ hasText: invC.number }).waitFor({ timeout: 15000 });
    await card.getByRole('button', { name: 'Unmatch' }).click();
    await card.locator('.message.done').filter({ hasText: 'unmatched' }).waitFor({ timeout: 15000 });
    assert.notEqual((await get('/bank-lines/' + lineHand.id)).status, 'matched');
    assert.equal((await get('/invoices/' + invB.id)).open_amount, invB.open_amount, 'invoice B reopens');
  });

  await step('collections: the overdue invoices are the API\'s, and a dunning run shows the notices it created', async () => {
    const before = (await listAll('/dunning/notices')).length;
    await nav.getByRole('link', { name: 'Collections' }).click();
    await page.locator('#screen-title').filter({ hasText: 'Collections' }).waitFor();
    await page.locator('#run-dunning').waitFor({ timeout: 30000 });
    const items = (await get('/reports/open-items?as_of=' + today)).items.filter((i) => i.days_overdue > 0);
    assert.ok((await page.locator('#overdue-title').textContent()).includes('(' + items.length + ')'));
    const firstRow = await page.locator('section[aria-labelledby="overdue-title"] tbody tr').first().textContent();
    const oldest = items.slice().sort((a, b) => b.days_overdue - a.days_overdue)[0];
    assert.ok(firstRow.includes(oldest.number) || firstRow.includes(String(oldest.days_overdue)), firstRow);
    await page.getByRole('button', { name: 'Run dunning for ' + today }).click();
    await page.locator('#dunning-outcome dl').waitFor({ timeout: 60000 });
    const after = (await listAll('/dunning/notices')).length;
    const created = await page.locator('#dunning-outcome dl dd').first().textContent();
    assert.equal(Number(created), after - before, 'notices created as the API counts them');
    await page.locator('#notices-sent table').waitFor({ timeout: 30000 });
    await shot(page, 'finance-06-dunning');
    const pdfLink = page.locator('#notices-sent a', { hasText: 'PDF' }).first();
    const r = await page.request.get(new URL(await pdfLink.getAttribute('href'), base).toString());
    assert.equal(r.status(), 200);
    assert.equal(r.headers()['content-type'], 'application/pdf');
    assert.equal((await r.body()).subarray(0, 4).toString(), '%PDF');
  });

  await step('disputes: the open ones are the API\'s; resolving one removes it and the API records the outcome', async () => {
    const openDisputes = await listAll('/disputes?status=open');
    await nav.getByRole('link', { name: 'Disputes' }).click();
    await page.locator('#screen-title').filter({ hasText: 'Disputes' }).waitFor();
    await page.locator('article.dispute').first().waitFor({ timeout: 15000 });
    assert.equal(await page.locator('article.dispute').count(), openDisputes.length);
    const d = openDisputes[0];
    const card = page.locator(`article[data-dispute-id="${d.id}"]`);
    assert.ok((await card.textContent()).includes(d.reason));
    await card.getByLabel('Outcome').selectOption('rejected');
    await card.getByLabel('Resolution').fill('Goods were delivered as ordered; proof of delivery sent.');
    await card.getByRole('button', { name: 'Resolve dispute on ' + d.invoice_number }).click();
    await page.locator('.message.done').filter({ hasText: 'Dispute on ' + d.invoice_number + ' resolved: rejected' }).waitFor({ timeout: 15000 });
    assert.equal(await page.locator(`article[data-dispute-id="${d.id}"]`).count(), 0);
    const x = await get('/disputes/' + d.id);
    assert.equal(x.status, 'resolved');
    assert.equal(x.outcome, 'rejected');
    await shot(page, 'finance-07-dispute-resolved');
  });

  await step('the invoice page downloads the PDF and the UBL e-invoice', async () => {
    await open_('invoices/' + invB.id, 'Invoice ' + invB.number);
    const inv = await get('/invoices/' + invB.id);
    const figures = await page.locator('.invoice-facts').textContent();
    assert.ok(figures.includes(shown(inv.total, 'EUR')) && figures.includes(shown(inv.open_amount, 'EUR')), figures);
    assert.equal(await page.locator('section[aria-labelledby="lines-title"] tbody tr').count(), inv.lines.length);
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download PDF' }).click()]);
    assert.equal(pdf.suggestedFilename(), inv.number + '.pdf');
    assert.equal(readFileSync(await pdf.path()).subarray(0, 4).toString(), '%PDF');
    const [ubl] = await Promise.all([page.waitForEvent('download'),
                                     page.getByRole('link', { name: 'Download e-invoice (UBL)' }).click()]);
    const xml = readFileSync(await ubl.path()).toString();
    assert.ok(xml.includes('<Invoice') && xml.includes(inv.number), 'UBL invoice ' + inv.number);
    const head = await page.request.get(base + '/api/v1/invoices/' + inv.id + '.pdf');
    assert.equal(head.headers()['content-type'], 'application/pdf');
    await shot(page, 'finance-08-invoice');
  });

  await step('an invoice dispute opened on the page is refused a second time with the API\'s message', async () => {
    await page.getByLabel('What the customer disputes').fill('Two cartons arrived damaged.');
    await page.getByRole('button', { name: 'Open a dispute on ' + invB.number }).click();
    await page.locator('.message.done').filter({ hasText: 'Dispute opened on ' + invB.number }).waitFor({ timeout: 15000 });
    const mine = (await listAll('/disputes?status=open&customer_id=' + invB.customer_id)).filter((d) => d.invoice_id === invB.id);
    assert.equal(mine.length, 1, 'the API holds the dispute');
    await page.getByLabel('What the customer disputes').fill('Again.');
    await page.getByRole('button', { name: 'Open a dispute on ' + invB.number }).click();
    const refusal = page.locator('section[aria-labelledby="dispute-title"] .message.error[role="alert"]');
    await refusal.waitFor({ timeout: 15000 });
    assert.ok((await refusal.textContent()).trim().length > 0);
    await shot(page, 'finance-09-dispute-refused');
  });

  await step('customers: search finds the customer; the page shows the API\'s credit figures, open invoices and statement', async () => {
    await nav.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.locator('#screen-title').filter({ hasText: 'Customers' }).waitFor();
    await page.getByLabel('Search by name, e-mail or id').fill(custB.name);
    await page.getByLabel('Search by name, e-mail or id').press('Enter');
    assert.ok(page.url().includes('#/customers?q='), 'Enter keeps the page: ' + page.url());
    assert.ok((await page.locator('#customers-count').textContent()).startsWith('1 of '), 'one customer found');
    await page.locator('#customers-table').getByRole('link', { name: custB.name }).click();
    await page.locator('#screen-title').filter({ hasText: custB.name }).waitFor();
    await page.locator('.statement-facts').waitFor({ timeout: 15000 });
    const c = await get('/customers/' + custB.id);
    const credit = await page.locator('.credit-facts').textContent();
    for (const f of ['credit_limit', 'balance', 'overdue_amount', 'credit_available']) {
      assert.ok(credit.includes(shown(c[f], c.currency)), `${f} ${c[f]} in ${credit}`);
    }
    const s = await get(`/customers/${custB.id}/statement?from=${today.slice(0, 8)}01&to=${today}`);
    const st = await page.locator('.statement-facts').textContent();
    assert.ok(st.includes(shown(s.opening_balance, c.currency)) && st.includes(shown(s.closing_balance, c.currency)), st);
    const openRows = await page.locator('section[aria-labelledby="open-invoices-title"] tbody tr').count();
    assert.equal(openRows, (await listAll('/invoices?status=unpaid&customer_id=' + custB.id)).length);
    await shot(page, 'finance-10-customer');
  });

  await step('the credit desk sets and lifts a credit block on the customer page; the accountant sees no such button', async () => {
    assert.equal(await page.getByRole('button', { name: 'Set a credit block' }).count(), 0);
    const k = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await k.newPage();
    const watched = watch(p, base);
    await signInWithToken(p, base, tokens.credit, '/#/customers/' + custB.id);
    await p.locator('#screen-title').filter({ hasText: custB.name }).waitFor({ timeout: 15000 });
    await p.getByLabel('Reason for the change').fill('Cheque bounced twice');
    await p.getByRole('button', { name: 'Set a credit block' }).click();
    await p.locator('.message.done').filter({ hasText: 'Credit block set' }).waitFor({ timeout: 15000 });
    assert.equal((await get('/customers/' + custB.id)).manual_credit_block, true);
    await p.getByLabel('Reason for the change').fill('Paid in full');
    await p.getByRole('button', { name: 'Lift the credit block' }).click();
    await p.locator('.message.done').filter({ hasText: 'Credit block lifted' }).waitFor({ timeout: 15000 });
    assert.equal((await get('/customers/' + custB.id)).manual_credit_block, false);
    // Without a reason the API refuses, and the page says what it said.
    await p.getByLabel('Reason for the change').fill('');
    await p.getByRole('button', { name: 'Set a credit block' }).click();
    const refusal = p.locator('.message.error[role="alert"]');
    await refusal.filter({ hasText: /reason/i }).waitFor({ timeout: 15000 });
    assert.equal((await get('/customers/' + custB.id)).manual_credit_block, false, 'the refusal changed nothing');
    assert.deepEqual(watched.errors, []);
    assert.deepEqual(watched.foreign, []);
    await k.close();
  });

  await step('the invoice list filters by status and customer as the API does', async () => {
    await open_(`invoices?status=unpaid&customer_id=${custB.id}`, 'Invoices');
    const rows = await page.locator('#invoices-table tbody tr').count();
    const api = await listAll(`/invoices?status=unpaid&customer_id=${custB.id}`);
    assert.equal(rows, Math.min(api.length, 50));
    await shot(page, 'finance-11-invoices');
  });

  await step('on a phone every finance screen fits the width: no sideways scrolling', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const p = await phone.newPage();
    const watched = watch(p, base);
    await signInWithToken(p, base, A);
    const screens = ['bank-statements/import', 'bank-lines?status=suggested', 'collections', 'disputes', 'customers',
                     'customers/' + custB.id, 'invoices', 'invoices/' + invB.id];
    for (const [n, path] of screens.entries()) {
      await p.goto(base + '/#/' + path);
      await p.locator('#screen-title').waitFor();
      await p.waitForLoadState('networkidle');
      await loaded(p);
      const fits = await fitsWidth(p);
      assert.ok(fits, `${path} fits a phone`);
      await p.screenshot({ path: join(artifacts, `finance-phone-${String(n + 1).padStart(2, '0')}-${path.replace(/[^a-z0-9]+/g, '-')}.png`),
                           fullPage: true });
    }
    assert.deepEqual(watched.errors, []);
    assert.deepEqual(watched.foreign, []);
    await phone.close();
  });

  await step('the page made no request elsewhere and raised no error (CSP included)', async () => {
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
  });
} catch (e) {
  failures.push('setup');
  console.log('FAIL setup\n     ' + String(e && e.stack ? e.stack : e));
} finally {
  if (browser) await browser.close();
  server.stop();
}

finish('finance');
