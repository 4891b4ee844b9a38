// Exchange between agencies in the web office (docs/exchange.md), on the one
// demo node: the administrator enters a peer agency, a specialist names it
// in a draft, the security officer looks at the quarantine, the clerk at the
// outbox. No second node: the peer's endpoint answers nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, docIdOf, login, pickOption, shot, useNodeAndBrowser } from './harness.mjs';

const PEER = { code: '000.00.99.Z01', name: 'Sở Thử nghiệm Liên thông' };

// A throwaway self-signed certificate for the peer (its key is not needed).
function selfSigned() {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-peer-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=peer', '-days', '1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return readFileSync(join(dir, 'cert.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let node;
let browser;
// This node takes part in the exchange: it has an agency code, and its
// sender tries (and fails) to reach the peer, retrying quickly.
useNodeAndBrowser({ node: { config: '[exchange]\nagency_code = "000.00.01.H08"\nport = 0\nretry_base_ms = 200\nretry_cap_seconds = 1' } }, (n, b) => {
  node = n;
  browser = b;
});

test('the administrator adds a peer agency; a specialist names it in a draft', async () => {
  const pem = selfSigned();
  const admin = await browser.newPage();
  await login(admin, node.url, 'admin', '/exchange');
  await admin.getByRole('menuitem', { name: 'Liên thông', exact: true }).waitFor();
  await admin.getByRole('button', { name: 'Thêm cơ quan' }).click();
  const drawer = admin.getByRole('dialog');
  await drawer.getByLabel('Mã định danh', { exact: true }).fill(PEER.code);
  await drawer.getByLabel('Tên cơ quan', { exact: true }).fill(PEER.name);
  await drawer.getByLabel('Địa chỉ liên thông', { exact: true }).fill('http://127.0.0.1:9');
  await drawer.getByLabel('Chứng thư TLS (PEM)', { exact: true }).fill('không phải PEM');
  await drawer.getByRole('button', { name: 'Lưu' }).click();
  await drawer.getByText('Không phải chứng thư dạng PEM').waitFor(); // checked before sending
  await drawer.getByText('Địa chỉ dạng https://máy-chủ:cổng').waitFor();
  await drawer.getByLabel('Địa chỉ liên thông', { exact: true }).fill('https://127.0.0.1:9');
  await drawer.getByLabel('Chứng thư TLS (PEM)', { exact: true }).fill(pem);
  await drawer.getByLabel('Chứng thư CA (PEM)', { exact: true }).fill(pem);
  await shot(admin, 'x1-admin-peer-drawer');
  await drawer.getByRole('button', { name: 'Lưu' }).click();
  await drawer.waitFor({ state: 'hidden' });
  const row = admin.locator('tr.ant-table-row', { hasText: PEER.code });
  await row.getByText(PEER.name).waitFor();
  await row.getByText('Đang liên thông').waitFor();
  await row.getByText('https://127.0.0.1:9').waitFor();
  await admin.getByTestId('identity').waitFor(); // the node's identity, or why there is none
  await shot(admin, 'x2-admin-peers');
  const peers = await api(admin, node.url, 'GET', '/exchange/peers');
  const saved = peers.items.find((p) => p.agency_code === PEER.code);
  assert.ok(saved, 'the peer is in the directory');
  assert.equal(saved.name, PEER.name);
  assert.equal(saved.endpoint, 'https://127.0.0.1:9');
  assert.equal(saved.max_classification, 'normal');
  assert.match(saved.certificate_sha256, /^[0-9a-f]{64}$/);

  // The specialist's draft: the peer is offered; a classification above
  // the link's greys it out.
  const subject = 'Đề nghị phối hợp thử nghiệm trục liên thông văn bản';
  const spec = await browser.newPage();
  await login(spec, node.url, 'chuyenvien', '/documents/new');
  await spec.getByLabel('Trích yếu').fill(subject);
  await pickOption(spec, 'Độ mật', null, 'Mật');
  await spec.getByLabel('Nơi nhận ngoài cơ quan', { exact: true }).click();
  const limited = spec.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: PEER.name });
  await limited.getByText(/Tối đa: Thường/).waitFor();
  assert.match(await limited.getAttribute('class'), /ant-select-item-option-disabled/);
  await spec.keyboard.press('Escape');
  await limited.waitFor({ state: 'hidden' });
  await pickOption(spec, 'Độ mật', null, 'Thường');
  await pickOption(spec, 'Nơi nhận ngoài cơ quan', 'Thử nghiệm', PEER.name);
  await spec.keyboard.press('Escape');
  await shot(spec, 'x3-specialist-draft');
  await spec.getByRole('button', { name: 'Lưu dự thảo' }).click();
  await spec.waitForURL(/\/documents\/\d+$/);
  const id = docIdOf(spec);
  await spec.locator('.ant-descriptions-row', { hasText: 'Nơi nhận ngoài cơ quan' })
    .getByText(`${PEER.name} (${PEER.code})`).waitFor(); // among the details
  const card = spec.getByTestId('exchange');
  await card.locator('tr.ant-table-row', { hasText: PEER.code }).getByText('Gửi khi phát hành').waitFor();
  await shot(spec, 'x4-specialist-draft-detail');
  const doc = await api(spec, node.url, 'GET', `/documents/${id}`);
  assert.deepEqual(doc.recipient_agency_codes, [PEER.code]);
  const exchange = await api(spec, node.url, 'GET', `/documents/${id}/exchange`);
  assert.equal(exchange.items.length, 1);
  assert.equal(exchange.items[0].agency_code, PEER.code);
  assert.equal(exchange.items[0].name, PEER.name);
});

test('the security officer opens the quarantine; the clerk the outbox and the edXML import', async () => {
  const sec = await browser.newPage();
  await login(sec, node.url, 'baomat', '/security/quarantine');
  await sec.getByRole('menuitem', { name: 'Cách ly' }).waitFor();
  await sec.getByTestId('quarantine').getByText('Không có gói tin bị cách ly').waitFor();
  const quarantine = await api(sec, node.url, 'GET', '/exchange/quarantine');
  assert.deepEqual(quarantine.items, []);
  await shot(sec, 'x5-security-quarantine');

  const clerk = await browser.newPage();
  await login(clerk, node.url, 'vanthu', '/exchange/outbox');
  await clerk.getByRole('menuitem', { name: 'Gửi nhận liên thông' }).waitFor();
  const outbox = clerk.getByTestId('outbox');
  await outbox.waitFor();
  const failed = clerk.waitForResponse((r) => r.url().includes('/api/v1/exchange/outbox?state=failed'));
  await outbox.getByText('Gửi không thành công', { exact: true }).click();
  assert.equal((await failed).status(), 200);
  await outbox.getByText('Không có gói tin').waitFor();
  // A file that is not edXML: refused, said on the page, nothing created.
  await clerk.locator('input[type=file]').setInputFiles({ name: 'not-edxml.edxml', mimeType: 'application/octet-stream',
    buffer: Buffer.from('Đây không phải là gói edXML') });
  await clerk.getByRole('alert').filter({ hasText: 'Sai định dạng edXML' }).waitFor();
  assert.match(clerk.url(), /\/exchange\/outbox$/);
  await shot(clerk, 'x6-clerk-outbox');
});

test('a document issued to the peer is queued for it: the card, the package, the outbox', async () => {
  const subject = 'Thông báo kết quả thử nghiệm trục liên thông';
  const spec = await browser.newPage();
  await login(spec, node.url, 'chuyenvien');
  const draft = await api(spec, node.url, 'POST', '/documents', { subject, recipient_agency_codes: [PEER.code] });
  await api(spec, node.url, 'POST', `/documents/${draft.id}/actions/submit`, {});
  const leader = await browser.newPage();
  await login(leader, node.url, 'thutruong');
  await api(leader, node.url, 'POST', `/documents/${draft.id}/actions/approve`, {});
  await api(leader, node.url, 'POST', `/documents/${draft.id}/actions/sign`, {}); // paper: no PIN
  const clerk = await browser.newPage();
  await login(clerk, node.url, 'vanthu');
  for (const step of ['number', 'seal', 'issue']) await api(clerk, node.url, 'POST', `/documents/${draft.id}/actions/${step}`, {});

  await clerk.goto(`${node.url}/documents/${draft.id}`);
  const row = clerk.getByTestId('exchange').locator('tr.ant-table-row', { hasText: PEER.code });
  await row.getByText(/^(Đang gửi|Gửi không thành công)$/).waitFor(); // nobody answers at 127.0.0.1:9
  const href = await row.getByRole('link', { name: /Tải gói edXML/ }).getAttribute('href');
  assert.equal(href, `/api/v1/documents/${draft.id}/edxml?agency=${PEER.code}`);
  const file = await clerk.request.get(node.url + href);
  assert.equal(file.status(), 200);
  assert.match(file.headers()['content-type'], /^multipart\/related/);
  await row.locator('.ant-table-row-expand-icon').click();
  await shot(clerk, 'x7-clerk-issued-card');

  await clerk.goto(`${node.url}/exchange/outbox`);
  const queued = clerk.getByTestId('outbox').locator('tr.ant-table-row', { hasText: PEER.name });
  await queued.getByRole('link').first().waitFor();
  assert.equal(await queued.getByRole('link').first().getAttribute('href'), `/documents/${draft.id}`);
  const items = (await api(clerk, node.url, 'GET', '/exchange/outbox')).items;
  assert.ok(items.some((o) => o.document_id === draft.id && o.to === PEER.code && o.kind === 'package'));
  await shot(clerk, 'x8-clerk-outbox-queued');
});
