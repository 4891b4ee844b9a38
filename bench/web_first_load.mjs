// First load of the web office on a slow link: bytes transferred and the
// time until the page is usable, for the sign-in page, the inbox and a
// document page, each from a cold cache (a fresh browser context), over
// Chromium's network emulation of a 4 Mbit/s link with 100 ms latency.
//
//   node bench/web_first_load.mjs
//
// Environment: CHANCERY_BIN and CHANCERY_UI_DIR (the node and the build to
// measure; default build/src/app/chancery and web/dist), REFERENCE_BIN and
// REFERENCE_UI_DIR (a second node and build measured in the same run, e.g.
// an older commit's, for comparison), RUNS (default 5; medians reported),
// MBIT (4), LATENCY_MS (100), NGINX=1 to measure each node also behind
// nginx with TLS and HTTP/2, as docs/security.md's production set-up puts
// it (Debian's nginx-light, a throwaway self-signed certificate), TRACE=1 to
// print every visit's requests with their start and end times. Usable means: sign-in — the sign-in button is
// on screen; inbox — the first document's link in the list; document page
// — its subject as the page's heading.
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, tmpdir } from 'node:os';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { PASSWORD, openBrowser, startNode } from '../web/e2e/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const RUNS = Number(process.env.RUNS || 5);
const MBIT = Number(process.env.MBIT || 4);
const LATENCY = Number(process.env.LATENCY_MS || 100);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// One cold visit of `path`: a new context (empty cache), the link slowed
// down before the first request, bytes counted as they came over the wire.
async function visit(browser, url, path, { user, ready }) {
  const context = await browser.browser.newContext({
    ignoreHTTPSErrors: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  if (user) await signIn(page, url, user);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: LATENCY,
    downloadThroughput: (MBIT * 1e6) / 8,
    uploadThroughput: (MBIT * 1e6) / 8,
  });
  let bytes = 0;
  const requests = new Map(); // requestId → { url, sent, done, bytes }
  cdp.on('Network.requestWillBeSent', (e) => { requests.set(e.requestId, { url: e.request.url, sent: e.timestamp }); });
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    Object.assign(requests.get(e.requestId) ?? {}, { done: e.timestamp, bytes: e.encodedDataLength });
  });
  const start = Date.now();
  await page.goto(url + path, { waitUntil: 'commit' });
  await ready(page);
  const usable = Date.now() - start;
  await page.waitForLoadState('networkidle');
  if (process.env.TRACE === '1') trace(path, usable, [...requests.values()]);
  await cdp.detach();
  await context.close();
  return { bytes, usable };
}

// TRACE=1: each visit's requests, from the first one's start, in ms.
function trace(path, usable, requests) {
  const t0 = Math.min(...requests.map((r) => r.sent));
  console.log(`# ${path}: usable after ${usable} ms`);
  for (const r of requests.sort((a, b) => a.sent - b.sent)) {
    const at = (t) => (t === undefined ? '?' : String(Math.round((t - t0) * 1000)).padStart(5));
    console.log(`${at(r.sent)} → ${at(r.done)}  ${String(Math.round((r.bytes ?? 0) / 1024)).padStart(4)} KiB  ${new URL(r.url).pathname}${new URL(r.url).search}`);
  }
}

// A session cookie in the page's context, through the API (not counted),
// and the app's note that this browser was signed in: a person coming back
// with an empty cache (the cookie and local storage kept).
async function signIn(page, url, username) {
  const r = await page.request.post(`${url}/api/v1/auth/login`, { data: { username, password: PASSWORD } });
  if (!r.ok()) throw new Error(`login ${username}: ${r.status()}`);
  await page.addInitScript(() => localStorage.setItem('chancery.signedIn', '1'));
}

const freePort = () => new Promise((done) => {
  const srv = createServer().listen(0, '127.0.0.1', () => {
    const { port } = srv.address();
    srv.close(() => done(port));
  });
});

// nginx in front of `upstream`: TLS (a self-signed certificate made here)
// and HTTP/2 to the browser, keep-alive HTTP/1.1 to the node.
async function startNginx(upstream) {
  const dir = mkdtempSync(`${tmpdir()}/chancery-nginx-`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  const port = await freePort();
  writeFileSync(`${dir}/nginx.conf`, `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir};
  uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  upstream node { server ${new URL(upstream).host}; keepalive 16; }
  server {
    listen 127.0.0.1:${port} ssl http2;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    location / {
      proxy_pass http://node;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto https;
      proxy_buffering off;
    }
  }
}
`);
  const proc = spawn('nginx', ['-p', dir, '-c', `${dir}/nginx.conf`, '-g', 'daemon off;'], { stdio: 'ignore' });
  const listening = () => new Promise((done) => {
    const socket = connect(port, '127.0.0.1', () => { socket.end(); done(true); });
    socket.on('error', () => done(false));
  });
  let up = false;
  for (let i = 0; i < 100 && !(up = await listening()) && proc.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!up) throw new Error(`nginx did not start (see ${dir}/error.log)`);
  return {
    url: `https://127.0.0.1:${port}`,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function measure(label, bin, ui, { nginx = false } = {}) {
  const direct = await startNode({ bin, uiDir: ui });
  const front = nginx ? await startNginx(direct.url) : null;
  const node = { url: front ? front.url : direct.url };
  const browser = await openBrowser({ timezoneId: 'Asia/Ho_Chi_Minh' });
  try {
    // The specialist's first inbox document, for the document page.
    const probeContext = await browser.browser.newContext({ ignoreHTTPSErrors: true });
    const probe = await probeContext.newPage();
    await signIn(probe, node.url, 'chuyenvien');
    const inbox = await (await probe.request.get(`${node.url}/api/v1/documents?box=inbox&sort=deadline&limit=1`)).json();
    const doc = inbox.items[0];
    await probeContext.close();
    const pages = {
      'sign-in': { path: '/', ready: (p) => p.getByRole('button', { name: 'Đăng nhập' }).waitFor() },
      inbox: {
        path: '/inbox', user: 'chuyenvien',
        ready: (p) => p.locator('main a[href^="/documents/"]').first().waitFor(),
      },
      document: {
        path: `/documents/${doc.id}`, user: 'chuyenvien',
        ready: (p) => p.getByRole('heading', { name: doc.subject }).first().waitFor(),
      },
    };
    const out = {};
    for (const [name, how] of Object.entries(pages)) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        runs.push(await visit(browser, node.url, how.path, how));
      }
      out[name] = { kb: median(runs.map((r) => r.bytes)) / 1024, ms: median(runs.map((r) => r.usable)) };
    }
    return { label, out };
  } finally {
    await browser.close();
    await front?.stop();
    await direct.stop();
  }
}

const builds = [];
if (process.env.REFERENCE_BIN && process.env.REFERENCE_UI_DIR) {
  builds.push(['reference', process.env.REFERENCE_BIN, process.env.REFERENCE_UI_DIR]);
}
builds.push(['this build', process.env.CHANCERY_BIN || resolve(here, '../build/src/app/chancery'),
  process.env.CHANCERY_UI_DIR || resolve(here, '../web/dist')]);
const measured = [];
for (const [label, bin, ui] of builds) {
  measured.push(await measure(label, bin, ui));
  if (process.env.NGINX === '1') measured.push(await measure(`${label}, behind nginx (TLS, HTTP/2)`, bin, ui, { nginx: true }));
}

console.log(`# first load over ${MBIT} Mbit/s, ${LATENCY} ms latency; cold cache; median of ${RUNS}; ${cpus().length} × ${cpus()[0].model}`);
console.log('| build | page | transferred (KiB) | usable after (ms) |');
console.log('| --- | --- | ---: | ---: |');
for (const { label, out } of measured) {
  for (const [page, r] of Object.entries(out)) {
    console.log(`| ${label} | ${page} | ${r.kb.toFixed(0)} | ${r.ms.toFixed(0)} |`);
  }
}
