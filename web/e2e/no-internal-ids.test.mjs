// People see numbers and symbols, names and labels — never the node's
// internal ids or codes (a clerk's report: "Văn bản đi #19", the type as
// "BC" instead of "Báo cáo", audit actions as `document.issue` and
// `user #5`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, shot, useNodeAndBrowser } from './harness.mjs';

let node;
let browser;
useNodeAndBrowser({}, (n, b) => {
  node = n;
  browser = b;
});

const INTERNAL_ID = /#\d+/;
const ACTION_CODE = /\b(?:document|user|unit|pki|exchange|approval|audit|security|gateway|record)\.[a-z_]+/;

// The text of the page's main area, once `ready` shows.
async function mainText(page, ready) {
  await ready.waitFor();
  await page.waitForLoadState('networkidle');
  return page.locator('main').innerText();
}

test('a report issued to another unit is shown by its number and type name on both sides, and in the audit log', async () => {
  const subject = 'Báo cáo sơ kết công tác văn thư sáu tháng đầu năm';
  const spec = await browser.newPage();
  await login(spec, node.url, 'chuyenvien');
  const draft = await api(spec, node.url, 'POST', '/documents', { subject, type_code: 'BC', recipient_unit_ids: [6] });
  await api(spec, node.url, 'POST', `/documents/${draft.id}/actions/submit`, {});
  const leader = await browser.newPage();
  await login(leader, node.url, 'thutruong');
  for (const step of ['approve', 'sign']) await api(leader, node.url, 'POST', `/documents/${draft.id}/actions/${step}`, {});
  const clerk = await browser.newPage();
  await login(clerk, node.url, 'vanthu');
  for (const step of ['number', 'seal', 'issue']) await api(clerk, node.url, 'POST', `/documents/${draft.id}/actions/${step}`, {});
  const issued = await api(clerk, node.url, 'GET', `/documents/${draft.id}`);

  // The issuing side: the type by its name.
  await clerk.goto(`${node.url}/documents/${draft.id}`);
  const details = clerk.locator('.ant-descriptions-row', { hasText: 'Loại văn bản' });
  const issuedText = await mainText(clerk, details.getByText('Báo cáo', { exact: true }));
  assert.doesNotMatch(issuedText, INTERNAL_ID, 'no internal id on the issued document');
  await shot(clerk, 'ids1-issued-report');

  // The receiving side: the copy names the document it came from by its
  // number and symbol, and its type by name.
  const other = await browser.newPage();
  await login(other, node.url, 'vanthu.cntt');
  const found = await api(other, node.url, 'GET', `/documents?box=incoming&q=${encodeURIComponent(subject)}`);
  const copy = found.items[0];
  await other.goto(`${node.url}/documents/${copy.id}`);
  const source = other.locator('.ant-descriptions-row', { hasText: 'Văn bản đi' });
  const copyText = await mainText(other, source.getByText(issued.number_symbol));
  assert.doesNotMatch(copyText, INTERNAL_ID, 'no internal id on the received copy');
  await other.locator('.ant-descriptions-row', { hasText: 'Loại văn bản' }).getByText('Báo cáo', { exact: true }).waitFor();
  await shot(other, 'ids2-received-copy');

  // Its register book, once registered: the type by name.
  await api(other, node.url, 'POST', `/documents/${copy.id}/actions/register`, {});
  await other.goto(`${node.url}/books`);
  const entry = other.locator('tr.ant-table-row', { hasText: subject });
  const bookText = await mainText(other, entry);
  const entryText = await entry.innerText();
  assert.match(entryText, new RegExp(`Báo cáo · ${subject}`), 'the type by name before the subject');
  assert.doesNotMatch(entryText, /BC · /, 'not the type code');
  assert.doesNotMatch(bookText, INTERNAL_ID);
  await shot(other, 'ids3-register-book');

  // The audit log: actions in words, people and documents by name.
  const sec = await browser.newPage();
  await login(sec, node.url, 'baomat', '/security/audit');
  const rows = sec.locator('tbody tr.ant-table-row');
  await rows.first().waitFor();
  await sec.locator('tr.ant-table-row', { hasText: 'Phát hành' }).first().waitFor();
  const auditText = await mainText(sec, rows.first());
  assert.doesNotMatch(auditText, ACTION_CODE, 'no action codes');
  assert.doesNotMatch(auditText, INTERNAL_ID, 'no internal ids');
  await sec.locator('tr.ant-table-row', { hasText: 'Phát hành' }).first().getByText(issued.number_symbol).waitFor();
  await shot(sec, 'ids4-audit');
});
