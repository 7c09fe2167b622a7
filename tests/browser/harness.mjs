// What every browser suite shares: `o2c serve --demo` on a fresh SQLite file
// and a random port, Debian's Chromium through playwright-core, pages watched
// for script errors and foreign requests, named steps, screenshots.
//
// Environment: O2C_BIN (the o2c binary), O2C_BROWSER_ARTIFACTS (a folder for
// screenshots), CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

export const bin = process.env.O2C_BIN;
export const artifacts = process.env.O2C_BROWSER_ARTIFACTS || join(tmpdir(), 'o2c-browser-artifacts');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

// `o2c serve --demo` on a free port prints the URL and one token per role once it serves:
// {ready: Promise<{url, tokens, output}>, stop()}.
export function startServer(extraArgs = []) {
  if (!bin) {
    console.error('set O2C_BIN to the o2c binary');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'o2c-browser-'));
  // Port 0: the server takes a free port and prints it; a port picked here
  // could be taken by the time the server binds (suites run side by side).
  const child = spawn(bin, ['serve', '--demo', '--db', join(dir, 'demo.db'), '--port', '0', ...extraArgs], {
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
        resolve({ url: url[1].replace(/\/$/, ''), tokens, output: out });
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

// The JSON API with a bearer token, as a script outside the browser calls it.
export async function api(base, token, method, path, body, expectStatus) {
  const headers = { Authorization: 'Bearer ' + token };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(base + '/api/v1' + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  const want = expectStatus || (method === 'POST' ? [200, 201] : [200]);
  assert.ok([].concat(want).includes(r.status), `${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// Named checks: a failing step is reported and the suite goes on.
export function steps() {
  const failures = [];
  return {
    failures,
    async step(name, fn) {
      try {
        await fn();
        console.log('ok   ' + name);
      } catch (e) {
        failures.push(name);
        console.log('FAIL ' + name + '\n     ' + String(e && e.stack ? e.stack : e).split('\n').join('\n     '));
      }
    },
    // Prints the outcome and exits 0 only when every step held.
    finish(suite) {
      console.log(`${suite}: ${failures.length === 0 ? 'every check held' : failures.length + ' failed'} ` +
                  `(screenshots in ${artifacts})`);
      process.exit(failures.length === 0 ? 0 : 1);
    },
  };
}

export async function launchBrowser() {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath,
    headless: true,
    // Without the background-networking flags Chromium tries Google's hosts,
    // which this machine's closed network refuses (and the page makes none).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
}

// Collects what must never happen on a page: script errors, CSP violations
// ("Refused to ...") and requests to any other origin. A refused API call is
// logged by Chromium as "Failed to load resource": the API speaking, not the
// page failing.
export function watch(page, base) {
  const errors = [];
  const foreign = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push('console: ' + m.text());
  });
  page.on('pageerror', (e) => errors.push('page: ' + e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url());
  });
  return { errors, foreign };
}

export async function signInWithToken(page, base, token, path = '/') {
  await page.goto(base + path);
  await page.locator('#token').fill(token);
  await page.getByRole('button', { name: 'Sign in with token' }).click();
  await page.locator('#who').waitFor({ state: 'visible', timeout: 15000 });
}

export async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, name + '.png'), fullPage: true });
}

// "1234567.89" -> "1,234,567.89", as the pages show amounts.
export function grouped(text) {
  return String(text).replace(/^(-?)(\d+)/, (m, sign, int) => sign + int.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
}

// Every item of a list endpoint, following next_cursor.
export async function listAll(base, token, path) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api(base, token, 'GET', path + sep + 'limit=200' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    items.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

// "1234.5" <-> 123450n: exact amounts at 2 decimals (the demo's EUR), for sums the tests check.
export function minor(text) {
  const [i, f = ''] = String(text).split('.');
  return BigInt(i + f.padEnd(2, '0').slice(0, 2));
}
export function decimal(m) {
  const neg = m < 0n;
  const s = (neg ? -m : m).toString().padStart(3, '0');
  return (neg ? '-' : '') + s.slice(0, -2) + '.' + s.slice(-2);
}

// The console's or portal's screen has finished loading: its status line
// ("Loading…") is empty again.
export function loaded(page, timeout = 30000) {
  return page.waitForFunction(() => document.getElementById('status').textContent === '', null, { timeout });
}

// Whether the page fits the window's width (no sideways scrolling).
export function fitsWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

const xmlText = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// A camt.053.001.02 statement of the company's account, one credit entry per
// transfer ({amount, payer, iban?, text}), in the shape a German bank sends
// (see tests/e2e/bank_test.cpp); padding, if given, makes the file bigger.
// -> {xml, closing}
export function camt053({ id, iban, date, opening, transfers, padding }) {
  let closing = minor(opening);
  let entries = '';
  transfers.forEach((t, n) => {
    closing += minor(t.amount);
    entries += `<Ntry><NtryRef>${id}-${n + 1}</NtryRef><Amt Ccy="EUR">${t.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>` +
      `<Sts>BOOK</Sts><BookgDt><Dt>${date}</Dt></BookgDt><ValDt><Dt>${date}</Dt></ValDt>` +
      `<AcctSvcrRef>${id}-REF-${n + 1}</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd>` +
      `<SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId>` +
      `</Refs><RltdPties><Dbtr><Nm>${xmlText(t.payer)}</Nm></Dbtr>` +
      (t.iban ? `<DbtrAcct><Id><IBAN>${t.iban}</IBAN></Id></DbtrAcct>` : '') +
      `</RltdPties><RmtInf><Ustrd>${xmlText(t.text)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n`;
  });
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>MSG-${id}</MsgId><CreDtTm>${date}T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>${id}</Id><CreDtTm>${date}T18:00:00</CreDtTm>
<Acct><Id><IBAN>${iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${opening}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${decimal(closing)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>
${entries}</Stmt></BkToCstmrStmt></Document>
` + (padding ? `<!-- ${padding} -->\n` : '');
  return { xml, closing: decimal(closing) };
}
