// What every end-to-end scenario needs: a real node, a real browser.
//
//   startNode()   a fresh data folder with the demo loaded, `chancery serve`
//                 on a free loopback port serving the API and web/dist;
//                 `config` is TOML added to its chancery.toml; `clockStart`
//                 (an RFC 3339 instant) starts the node's clock there for
//                 init, demo and serve (CHANCERY_CLOCK_START), and it runs on;
//                 `madeAt` (an instant) runs init and demo there instead, so
//                 that the demo's data dates from an earlier day than serve;
//                 `bin` and `uiDir` another node and build than the
//                 environment's (a benchmark compares two)
//   openBrowser() Debian's chromium, headless, through playwright-core (no
//                 browser download); pages run in UTC so that the UI must show
//                 Vietnamese time (+07:00) by itself, or in `timezoneId`
//                 (of openBrowser, or of one newPage); a newPage has a
//                 desktop's viewport unless given one (PHONE, TABLET);
//                 closePages() after each scenario, as the node caps the
//                 connections it keeps open per client address and every
//                 page holds some
//   login()       a session for a demo user (password Chancery@2026), then the
//                 app at `path`
//   shot()        a full-page screenshot into the test output folder (or of
//                 the viewport only: { fullPage: false })
//   axe()         the serious and critical accessibility violations axe-core
//                 finds on the page as it is
//   pickOption()  an option of an Ant Design select or tree select, by label
//   pdf()         a small valid one-page PDF, as a scanner would deliver it
//   popup(), openDialog()  Ant Design's popups and dialogs once their opening
//                 animation is over (a click while one moves is lost or lands
//                 on the wrong row when the machine is busy); settled() the
//                 same for the whole page; attachFile() picks a file in an
//                 upload field and waits until the form lists it
//
// Environment: CHANCERY_BIN (the chancery binary), CHANCERY_UI_DIR (the
// build, default web/dist), CHANCERY_TEST_OUT (screenshots, default
// web/test-results), CHROMIUM (default /usr/bin/chromium).
import { spawn, execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after, afterEach } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const defaultBin = process.env.CHANCERY_BIN || resolve(here, '../../build/src/app/chancery');
const defaultUiDir = process.env.CHANCERY_UI_DIR || resolve(here, '../dist');
export const outDir = process.env.CHANCERY_TEST_OUT || resolve(here, '../test-results');
export const PASSWORD = 'Chancery@2026';

// The sizes the web office is checked at besides the desktop's 1440×900.
export const PHONE = { width: 390, height: 844 };
export const TABLET = { width: 768, height: 1024 };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function startNode({ config = '', clockStart, madeAt = clockStart, bin = defaultBin, uiDir = defaultUiDir } = {}) {
  const data = mkdtempSync(join(tmpdir(), 'chancery-e2e-'));
  const at = (start) => (start ? { ...process.env, CHANCERY_CLOCK_START: start } : process.env);
  const env = at(clockStart);
  execFileSync(bin, ['init', data], { stdio: 'ignore', env: at(madeAt) });
  if (config) appendFileSync(join(data, 'chancery.toml'), `\n${config}\n`);
  execFileSync(bin, ['demo', data], { stdio: 'ignore', env: at(madeAt) });
  const portFile = join(data, 'port');
  const proc = spawn(bin, ['serve', data, '--port', '0', '--port-file', portFile, '--ui', uiDir],
                     { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  for (let i = 0; i < 200 && !existsSync(portFile); i++) {
    if (proc.exitCode !== null) break;
    await sleep(50);
  }
  if (!existsSync(portFile)) {
    proc.kill('SIGKILL');
    throw new Error(`chancery serve did not start: ${stderr}`);
  }
  const port = readFileSync(portFile, 'utf8').trim();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    dataDir: data,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

// What a scenario's pages went through that its assertions do not show:
// script errors, failed requests, API answers that are errors, and where
// the page went. Printed (TAP comments) after each scenario, so that a
// failure on a busy machine (CI keeps only the output) can be explained.
let events = [];
// An error the page wrote to its console, other than the browser's line for
// a response of 400 and over (which a scenario may expect).
export const isConsoleError = (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource');

function watch(page, name) {
  const note = (what) => events.push(`${name} +${Math.round(performance.now() - started)} ms: ${what}`);
  const started = performance.now();
  page.on('pageerror', (e) => note(`script error: ${e.message}`));
  // What the page wrote as an error: a part that failed to draw writes
  // its component stack there (shared/ErrorBoundary.tsx; docs/web.md, "A
  // page that fails to draw says so").
  // (A response of 400 and over is noted below, not again as the browser's
  // "Failed to load resource".)
  page.on('console', (m) => {
    if (isConsoleError(m)) note(`console error: ${m.text().slice(0, 1500)}`);
  });
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    // Leaving a page cancels what it was still fetching: only the API's count.
    if (why !== 'net::ERR_ABORTED' || r.url().includes('/api/')) note(`request failed: ${r.method()} ${new URL(r.url()).pathname} ${why}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.url().includes('/api/')) note(`${r.status()} for ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) note(`at ${new URL(f.url()).pathname}`); });
}
function printEvents() {
  for (const line of events.slice(-60)) console.log(line);
  events = [];
}

export async function openBrowser({ timezoneId: defaultZone = 'UTC' } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  const contexts = [];
  return {
    browser,
    // A fresh context (own cookies) per user.
    async newPage({ timezoneId = defaultZone, viewport = { width: 1440, height: 900 } } = {}) {
      const context = await browser.newContext({ timezoneId, locale: 'vi-VN', viewport });
      contexts.push(context);
      const page = await context.newPage();
      watch(page, `page ${contexts.length}`);
      return page;
    },
    // Closes the pages opened so far (their connections with them), after
    // printing what they went through.
    async closePages() {
      printEvents();
      await Promise.all(contexts.splice(0).map((c) => c.close()));
    },
    async close() {
      await browser.close();
    },
  };
}

// Logs `username` in through the API (the login form has its own scenario),
// then opens the app at `path` and waits until it has asked who we are.
export async function login(page, url, username, path = '/') {
  const r = await page.request.post(`${url}/api/v1/auth/login`, {
    data: { username, password: PASSWORD },
  });
  if (!r.ok()) throw new Error(`login ${username}: ${r.status()} ${await r.text()}`);
  const me = page.waitForResponse((res) => res.url().endsWith('/api/v1/me') && res.ok());
  await page.goto(url + path);
  await me;
  await page.waitForLoadState('networkidle');
  // The frame is drawn (its header), not only fetched: on a busy machine
  // the network can be idle before React has rendered what came.
  await page.getByRole('banner').waitFor();
}

// An API call in the page's session (cookie + CSRF token from /me).
export async function api(page, url, method, path, body) {
  const me = await (await page.request.get(`${url}/api/v1/me`)).json();
  const r = await page.request.fetch(`${url}/api/v1${path}`, {
    method,
    headers: { 'X-CSRF-Token': me.csrf_token || '', 'Content-Type': 'application/json' },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok()) throw new Error(`${method} ${path}: ${r.status()} ${text}`);
  return text ? JSON.parse(text) : null;
}

// Opens the select labelled `label`, types `typed` (if any) and clicks the
// first option of the open dropdown that contains `option`.
export async function pickOption(page, label, typed, option) {
  await page.getByLabel(label, { exact: true }).click();
  if (typed) await page.getByLabel(label, { exact: true }).fill(typed);
  await popup(page, '.ant-select-dropdown')
    .locator('.ant-select-item-option, .ant-select-tree-node-content-wrapper', { hasText: option }).first().click();
}

// The open popup of class `cls` (.ant-select-dropdown, .ant-picker-dropdown),
// not while it slides in or out.
export function popup(page, cls) {
  return page.locator(`${cls}:visible:not([class*="-appear"]):not([class*="-enter"]):not([class*="-leave"])`);
}

// The open dialog, once it has zoomed in (and any other has zoomed out).
export async function openDialog(page) {
  // At least one dialog, and none still moving: one that is closing (the
  // dialog before) counts as moving, so the new one is waited for too.
  await page.waitForFunction(() => {
    const modals = [...document.querySelectorAll('.ant-modal')];
    return modals.length > 0 && modals.every((m) => !/-(appear|enter|leave)/.test(m.className));
  });
  return page.getByRole('dialog');
}

// Until nothing on the page is in an Ant Design motion (a file added to an
// upload list grows in, an error line slides in): a click meant for a
// button below a growing element can land where the button was.
export async function settled(page) {
  await page.waitForFunction(() => ![...document.querySelectorAll('[class]')].some((e) =>
    /(^|\s)\S+-(appear|enter|leave)(-\S+)?(\s|$)/.test(e.getAttribute('class'))));
}

// Picks `file` ({ name, mimeType, buffer }) in the page's file field and
// waits, as a person would, until it is listed under the field and nothing
// moves: the form takes the file a moment after the browser's change event,
// and a "save" clicked before that finds no file and sends nothing.
export async function attachFile(page, file) {
  await page.locator('input[type=file]').setInputFiles(file);
  await page.locator('.ant-upload-list').getByText(file.name).waitFor();
  await settled(page);
}

// The id of the document the page shows (/documents/42 → 42).
export const docIdOf = (page) => Number(/\/documents\/(\d+)/.exec(page.url())?.[1]);

export async function shot(page, name, { fullPage = true } = {}) {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

// axe-core's checks (WCAG 2 A and AA, and its best practices) on the page
// as it is now: the violations of impact serious or critical, each with the
// elements concerned. The node's Content-Security-Policy refuses inline
// scripts (page.addScriptTag({content}) is blocked), so the source goes in
// through page.evaluate, which the policy does not govern (as it does not
// page.addInitScript({ content: axeSource }), for a page checked many times).
export const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export async function axe(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  // Colours are checked once nothing is in a transition (a primary button
  // caught fading in reads as too little contrast); spinners run forever
  // and are not waited for.
  await page.evaluate(() => Promise.race([
    Promise.all(document.getAnimations()
      .filter((a) => a.effect?.getTiming().iterations !== Infinity)
      .map((a) => a.finished.catch(() => {}))),
    new Promise((resolve) => setTimeout(resolve, 2000)),
  ]));
  return page.evaluate(async () => {
    const { violations } = await window.axe.run(document, { resultTypes: ['violations'] });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({
      rule: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  });
}

// A small but valid PDF, as a scanner would deliver it.
export function pdf(text) {
  const body = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${body.length} >>\nstream\n${body}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// The node and the browser of a test file: started before its tests (with
// startNode's and openBrowser's options), the pages closed after each test,
// both stopped at the end. `use(node, browser)` receives them once started.
export function useNodeAndBrowser({ node: nodeOptions, browser: browserOptions } = {}, use) {
  let node;
  let browser;
  before(async () => {
    node = await startNode(nodeOptions);
    browser = await openBrowser(browserOptions);
    use(node, browser);
  });
  after(async () => {
    await browser?.close();
    await node?.stop();
  });
  afterEach(async () => {
    await browser?.closePages();
  });
}
