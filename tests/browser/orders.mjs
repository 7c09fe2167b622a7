// The order desk and the warehouse in a real browser (Debian's Chromium via
// playwright-core) against `o2c serve --demo`: sales enters an order by
// searching a customer and products and sees the server's quote as live
// totals, then the placed order's; an order over the credit limit goes to
// credit hold and its page says why; the warehouse reads the pick list,
// ships an order partially then fully with carrier and tracking, marks a
// shipment delivered; a stock receipt fills a backorder; a refused action
// shows the API's message; phone layouts; no script error, no foreign
// request. Every figure is checked against the API. Screenshots go to
// $O2C_BROWSER_ARTIFACTS.
//
// Environment: see harness.mjs. Exit code 0 when every check holds.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, api, steps, launchBrowser, watch, signInWithToken, shot, grouped, artifacts, fitsWidth }
  from './harness.mjs';

const { step, failures, finish } = steps();
const tag = String(Date.now() % 1000000);
const money = (text, currency) => grouped(text) + ' ' + currency;

// The screen has loaded: the status line is empty again and the title is there.
async function settled(page) {
  await page.locator('#screen-title').waitFor({ timeout: 15000 });
  await page.waitForFunction(() => document.getElementById('status').textContent === '', null, { timeout: 15000 });
}

async function open(page, base, token, path) {
  await signInWithToken(page, base, token, '/#/' + path);
  await settled(page);
}

const server = startServer();
let browser;
try {
  const { url: base, tokens } = await server.ready;
  console.log('server ' + base);
  browser = await launchBrowser();
  const get = (token, path) => api(base, token, 'GET', path);
  const post = (token, path, body, status) => api(base, token, 'POST', path, body, status);

  // Products and customers of this run only, so that the figures are known.
  const kettle = { sku: 'KTL-' + tag, name: 'Gooseneck kettle ' + tag, unit_price: '24.9950' };
  const filter = { sku: 'FLP-' + tag, name: 'Paper filters ' + tag, unit_price: '3.3333' };
  for (const p of [kettle, filter]) {
    await post(tokens.admin, '/products', { ...p, currency: 'EUR', tax_rate: '19', tax_category: 'S', unit_cost: '9.00' });
  }
  await post(tokens.warehouse, '/stock/receipts', { warehouse: 'HAM', sku: kettle.sku, quantity: '10', unit_cost: '9.00', bin: 'K-07' });
  await post(tokens.warehouse, '/stock/receipts', { warehouse: 'MUC', sku: filter.sku, quantity: '50', unit_cost: '1.00', bin: 'F-02' });
  const bistro = await post(tokens.admin, '/customers', {
    name: 'Bistro Lindenhof ' + tag, email: 'ap@lindenhof.example', currency: 'EUR', credit_limit: '20000.00',
    payment_terms: 'NET30', country: 'DE' });
  const kiosk = await post(tokens.admin, '/customers', {
    name: 'Kiosk am Eck ' + tag, email: 'kiosk@eck.example', currency: 'EUR', credit_limit: '50.00',
    payment_terms: 'NET30', country: 'DE' });

  const sales = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const salesPage = await sales.newPage();
  const salesWatch = watch(salesPage, base);
  const warehouse = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const whPage = await warehouse.newPage();
  const whWatch = watch(whPage, base);
  let first = null;  // the order sales enters in the browser

  await step('sales finds the customer and products by searching and sees the server\'s quote as live totals', async () => {
    const p = salesPage;
    await signInWithToken(p, base, tokens.sales);
    await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'New order' }).click();
    await p.locator('#screen-title').filter({ hasText: 'New order' }).waitFor();
    await p.getByLabel('Find the customer by name').fill('lindenhof ' + tag);
    const hit = p.locator('.search-results button', { hasText: bistro.name });
    await hit.waitFor();
    const c = await get(tokens.sales, '/customers/' + bistro.id);
    assert.ok((await hit.textContent()).includes('credit available ' + money(c.credit_available, 'EUR')), await hit.textContent());
    await hit.click();
    await p.locator('#customer-chosen').filter({ hasText: bistro.name }).waitFor();

    await p.getByLabel('Add a product (SKU or name)').fill('gooseneck KETTLE ' + tag);
    const product = p.locator('.search-results button', { hasText: kettle.sku });
    await product.waitFor();
    const shown = await product.textContent();
    const listed = (await get(tokens.sales, '/products?q=' + kettle.sku)).data[0];
    assert.ok(shown.includes(kettle.name) && shown.includes(money(listed.unit_price, 'EUR')), shown);
    assert.ok(shown.includes('HAM 10 ·') && shown.includes('available'), shown);
    await product.click();
    await p.getByLabel('Quantity of ' + kettle.sku).fill('8');
    await p.getByLabel('Add a product (SKU or name)').fill(filter.sku);
    await p.locator('.search-results button', { hasText: filter.sku }).click();
    await p.getByLabel('Quantity of ' + filter.sku).fill('7');

    const body = { customer_id: bistro.id, lines: [{ sku: kettle.sku, quantity: '8' }, { sku: filter.sku, quantity: '7' }] };
    const quote = await post(tokens.sales, '/orders/quote', body, 200);
    await p.locator('#total-total', { hasText: money(quote.total, 'EUR') }).waitFor({ timeout: 10000 });
    assert.equal((await p.locator('#total-net').textContent()).trim(), money(quote.net_total, 'EUR'));
    assert.equal((await p.locator('#total-tax').textContent()).trim(), money(quote.tax_total, 'EUR'));
    const nets = await p.locator('.line-net').allTextContents();
    assert.deepEqual(nets, quote.lines.map((l) => money(l.line_net, 'EUR')));
    assert.equal(await p.locator('.hold-warning').isVisible(), false);
    await shot(p, 'orders-01-entry-live-totals');

    // A change re-prices: the totals follow the server again.
    await p.getByLabel('Quantity of ' + filter.sku).fill('3');
    body.lines[1].quantity = '3';
    const again = await post(tokens.sales, '/orders/quote', body, 200);
    assert.notEqual(again.total, quote.total);
    await p.locator('#total-total', { hasText: money(again.total, 'EUR') }).waitFor({ timeout: 10000 });

    // Placing (a double click places one order) opens the order's page with the quoted totals.
    const before = (await get(tokens.sales, '/orders?customer_id=' + bistro.id)).data.length;
    await p.locator('#place-order').dblclick();
    await p.waitForURL(/#\/orders\/\d+$/, { timeout: 15000 });
    const id = p.url().match(/#\/orders\/(\d+)$/)[1];
    await p.locator('#screen-title').filter({ hasText: /^Order SO-/ }).waitFor();
    first = await get(tokens.sales, '/orders/' + id);
    assert.equal((await get(tokens.sales, '/orders?customer_id=' + bistro.id)).data.length, before + 1, 'one order placed');
    for (const k of ['net_total', 'tax_total', 'total']) assert.equal(first[k], again[k], k);
    const text = await p.locator('#screen').textContent();
    assert.ok(text.includes(money(first.total, 'EUR')), 'order page shows the total');
    assert.ok(text.includes('open'), 'status open');
    assert.equal(first.status, 'open');
    assert.equal(first.lines[0].reserved, '8');
    await shot(p, 'orders-02-order-page');
  });

  await step('an order over the credit limit is flagged while entered and its page says it is on credit hold and why', async () => {
    const p = salesPage;
    await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Orders', exact: true }).click();
    await settled(p);
    await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'New order' }).click();
    await settled(p);
    await p.getByLabel('Find the customer by name').fill('Kiosk am Eck ' + tag);
    await p.locator('.search-results button', { hasText: kiosk.name }).click();
    await p.getByLabel('Add a product (SKU or name)').fill(filter.sku);
    await p.locator('.search-results button', { hasText: filter.sku }).click();
    await p.getByLabel('Quantity of ' + filter.sku).fill('30');
    const quote = await post(tokens.sales, '/orders/quote', { customer_id: kiosk.id, lines: [{ sku: filter.sku, quantity: '30' }] }, 200);
    assert.equal(quote.credit_hold, true);
    await p.locator('.hold-warning').filter({ hasText: quote.hold_reasons[0].message }).waitFor({ timeout: 10000 });
    await shot(p, 'orders-03-entry-credit-hold-warning');
    await p.locator('#place-order').click();
    await p.waitForURL(/#\/orders\/\d+$/, { timeout: 15000 });
    const id = p.url().match(/#\/orders\/(\d+)$/)[1];
    const held = await get(tokens.sales, '/orders/' + id);
    assert.equal(held.status, 'credit_hold');
    const notice = p.locator('#hold-notice');
    await notice.waitFor();
    const text = await notice.textContent();
    assert.ok(text.includes('On credit hold'), text);
    for (const r of held.hold_reasons) assert.ok(text.includes(r.message), `reason shown: ${r.message}`);
    await shot(p, 'orders-04-order-on-credit-hold');
  });

  await step('the orders list filters by status and shows the customer and total', async () => {
    const p = salesPage;
    await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Orders', exact: true }).click();
    await p.locator('#screen-title').filter({ hasText: 'Orders' }).waitFor();
    await p.getByLabel('Status').selectOption('credit_hold');
    await p.waitForURL(/status=credit_hold/);
    await settled(p);
    const held = (await get(tokens.sales, '/orders?status=credit_hold&limit=50')).data;
    assert.equal(await p.locator('#screen tbody tr').count(), held.length);
    const text = await p.locator('#screen tbody').textContent();
    assert.ok(text.includes(kiosk.name), 'customer name shown');
    await shot(p, 'orders-05-orders-list');
  });

  let firstShipment = null;
  await step('the warehouse sees the pick list (warehouse, bin) and ships part of the order with carrier and tracking', async () => {
    const p = whPage;
    await signInWithToken(p, base, tokens.warehouse);
    await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'To ship' }).click();
    await p.locator('#screen-title').filter({ hasText: 'Orders to ship' }).waitFor();
    const card = p.locator(`article.ship-order[data-order="${first.id}"]`);
    await card.waitFor({ timeout: 15000 });
    const pick = await get(tokens.warehouse, `/orders/${first.id}/pick-list`);
    const rows = await card.locator('.pick-list tbody tr').allTextContents();
    assert.equal(rows.length, pick.lines.length);
    assert.ok(rows.some((r) => r.includes('HAM') && r.includes('K-07') && r.includes(kettle.sku) && r.includes('8')), rows.join(' | '));
    assert.ok(rows.some((r) => r.includes('MUC') && r.includes('F-02') && r.includes(filter.sku) && r.includes('3')), rows.join(' | '));
    // The printable view: only this card, without the navigation.
    await p.evaluate(() => { window.print = () => { window.printed = true; }; });
    await card.getByRole('button', { name: 'Print pick list' }).click();
    assert.equal(await p.evaluate(() => window.printed === true), true);
    await p.emulateMedia({ media: 'print' });
    assert.equal(await p.locator('#nav').isVisible(), false);
    assert.equal(await card.locator('.pick-list').isVisible(), true);
    assert.equal(await card.locator('form.ship-form').isVisible(), false);
    await shot(p, 'orders-06-pick-list-print');
    await p.emulateMedia({ media: 'screen' });
    await p.evaluate(() => window.dispatchEvent(new Event('afterprint')));

    await card.getByLabel('Quantity of ' + kettle.sku + ' to ship').fill('5');
    await card.getByLabel('Quantity of ' + filter.sku + ' to ship').fill('0');
    await card.getByLabel('Carrier').fill('DHL');
    await card.getByLabel('Tracking number').fill('JD0146' + tag);
    await card.getByRole('button', { name: 'Ship order ' + first.number }).click();
    await p.locator('#shipping-result').filter({ hasText: 'Shipment SH-' }).waitFor({ timeout: 15000 });
    const o = await get(tokens.warehouse, '/orders/' + first.id);
    assert.equal(o.status, 'partially_shipped');
    assert.equal(o.lines[0].shipped, '5');
    assert.equal(o.lines[0].reserved, '3');
    assert.equal(o.lines[1].shipped, '0');
    const ships = (await get(tokens.warehouse, '/shipments?order_id=' + first.id)).data;
    assert.equal(ships.length, 1);
    firstShipment = ships[0];
    assert.equal(firstShipment.carrier, 'DHL');
    assert.equal(firstShipment.tracking_number, 'JD0146' + tag);
    // Still in the queue with the rest.
    const again = p.locator(`article.ship-order[data-order="${first.id}"]`);
    await again.waitFor();
    assert.equal(await again.getByLabel('Quantity of ' + kettle.sku + ' to ship').inputValue(), '3');
    await again.screenshot({ path: join(artifacts, 'orders-07-partially-shipped.png') });
  });

  await step('a refused action shows the API\'s message: sales cannot cancel a partially shipped order', async () => {
    const p = salesPage;
    await p.goto(base + '/#/orders/' + first.id);
    const button = p.getByRole('button', { name: 'Cancel order ' + first.number });
    await button.waitFor();
    const refusal = await api(base, tokens.sales, 'POST', `/orders/${first.id}/cancel`, {}, 409);
    await button.click();
    const message = p.locator('.message.error');
    await message.filter({ hasText: refusal.error.message }).waitFor({ timeout: 10000 });
    assert.equal((await get(tokens.sales, '/orders/' + first.id)).status, 'partially_shipped');
    await shot(p, 'orders-08-cancel-refused');
  });

  await step('the warehouse ships the rest (all reserved by default) and marks the first shipment delivered', async () => {
    const p = whPage;
    const card = p.locator(`article.ship-order[data-order="${first.id}"]`);
    await card.getByLabel('Carrier').fill('UPS');
    await card.getByLabel('Tracking number').fill('1Z' + tag);
    await card.getByRole('button', { name: 'Ship order ' + first.number }).click();
    await p.locator('#shipping-result').filter({ hasText: 'Shipment SH-' }).waitFor();
    await card.waitFor({ state: 'detached', timeout: 15000 });
    const o = await get(tokens.warehouse, '/orders/' + first.id);
    assert.ok(['shipped', 'invoiced'].includes(o.status), o.status);
    assert.deepEqual(o.lines.map((l) => l.shipped), ['8', '3']);
    assert.deepEqual(o.lines.map((l) => l.reserved), ['0', '0']);
    const ships = (await get(tokens.warehouse, '/shipments?order_id=' + first.id)).data;
    assert.equal(ships.length, 2);
    assert.equal(ships[1].carrier, 'UPS');
    assert.equal(ships[1].tracking_number, '1Z' + tag);
    const transit = p.getByRole('button', { name: 'Mark ' + firstShipment.number + ' delivered' });
    await transit.click();
    await p.locator('#shipping-result').filter({ hasText: firstShipment.number + ' delivered' }).waitFor();
    assert.equal((await get(tokens.warehouse, '/shipments/' + firstShipment.id)).status, 'delivered');
    await shot(p, 'orders-09-shipped-and-delivered');
  });

  await step('the order page lists its shipments and invoices with links', async () => {
    const p = salesPage;
    await p.goto(base + '/#/orders/' + first.id);
    await p.reload();  // the same address: the page must be read again
    await settled(p);
    await p.locator('#ship-title').waitFor();
    const invoices = (await get(tokens.sales, '/invoices?order_id=' + first.id)).data;
    assert.ok(invoices.length >= 1);
    for (const v of invoices) {
      assert.equal(await p.locator(`#screen a[href="#/invoices/${v.id}"]`).count() >= 1, true, 'link to ' + v.number);
    }
    assert.equal(await p.getByRole('button', { name: /^Cancel order/ }).count(), 0, 'no cancel on a shipped order');
    await shot(p, 'orders-10-order-shipped');
  });

  await step('a stock receipt fills a backorder, and the page shows which', async () => {
    const o = await post(tokens.sales, '/orders', { customer_id: bistro.id, lines: [{ sku: kettle.sku, quantity: '6' }] });
    assert.equal(o.lines[0].reserved, '2');
    assert.equal(o.lines[0].backordered, '4');
    const p = whPage;
    await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Backorders' }).click();
    await p.locator('#screen-title').filter({ hasText: 'Backorders' }).waitFor();
    await settled(p);
    const list = (await get(tokens.warehouse, '/backorders?limit=200')).data;
    const mine = list.find((b) => b.order_id === o.id);
    if (mine) {
      const row = p.locator('#backorder-list tbody tr', { hasText: o.number });
      const cells = await row.locator('td').allTextContents();
      assert.deepEqual(cells.slice(5), [mine.quantity, mine.reserved, mine.backordered, mine.on_hand, mine.available]);
    }
    await p.getByLabel('SKU').fill(kettle.sku);
    await p.getByLabel('Warehouse').selectOption('HAM');
    await p.getByLabel('Quantity', { exact: true }).fill('4');
    await p.getByLabel('Unit cost').fill('9.10');
    await p.getByRole('button', { name: 'Receive' }).click();
    const filled = p.locator('#receipt-filled tbody tr', { hasText: o.number });
    await filled.waitFor({ timeout: 15000 });
    assert.ok((await filled.textContent()).includes('4'));
    const after = await get(tokens.warehouse, '/orders/' + o.id);
    assert.equal(after.lines[0].reserved, '6');
    assert.equal(after.lines[0].backordered, '0');
    assert.equal(await p.locator('#backorder-list tbody tr', { hasText: o.number }).count(), 0);
    await shot(p, 'orders-11-receipt-filled-backorder');
  });

  await step('a refused receipt shows the API\'s message and changes nothing', async () => {
    const p = whPage;
    const refusal = await api(base, tokens.warehouse, 'POST', '/stock/receipts',
                              { sku: kettle.sku, warehouse: 'HAM', quantity: '-1', unit_cost: '9.10' }, [400, 422]);
    await p.getByLabel('Quantity', { exact: true }).fill('-1');
    await p.getByRole('button', { name: 'Receive' }).click();
    await p.locator('.message.error').filter({ hasText: refusal.error.message }).waitFor({ timeout: 10000 });
  });

  await step('on a phone the order entry, the order page and the shipping queue fit the screen', async () => {
    for (const [role, path, name] of [['sales', 'orders/new', 'entry'], ['sales', 'orders/' + first.id, 'order'],
                                      ['warehouse', 'shipping', 'shipping'], ['warehouse', 'backorders', 'backorders']]) {
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
      const p = await phone.newPage();
      const w = watch(p, base);
      await open(p, base, tokens[role], path);
      if (path === 'orders/new') {
        await p.getByLabel('Find the customer by name').fill('lindenhof ' + tag);
        await p.locator('.search-results button', { hasText: bistro.name }).click();
        await p.getByLabel('Add a product (SKU or name)').fill(kettle.sku);
        await p.locator('.search-results button', { hasText: kettle.sku }).click();
        await p.locator('#total-total').waitFor({ timeout: 10000 });
      }
      await p.waitForLoadState('networkidle');
      assert.ok(await fitsWidth(p), `no horizontal scrolling on a phone: ${path}`);
      await p.screenshot({ path: join(artifacts, `orders-12-phone-${name}.png`), fullPage: true });
      assert.deepEqual(w.errors, []);
      assert.deepEqual(w.foreign, []);
      await phone.close();
    }
  });

  await step('no page made a request elsewhere or raised an error (CSP included)', async () => {
    assert.deepEqual(salesWatch.foreign, []);
    assert.deepEqual(whWatch.foreign, []);
    assert.deepEqual(salesWatch.errors, []);
    assert.deepEqual(whWatch.errors, []);
  });
} catch (e) {
  failures.push('setup');
  console.log('FAIL setup\n     ' + String(e && e.stack ? e.stack : e));
} finally {
  if (browser) await browser.close();
  server.stop();
}
finish('orders');
