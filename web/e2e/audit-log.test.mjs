// A readable audit log (issue #13): the security officer narrows it to a
// span of Vietnam days and to one document found by its number or subject;
// the hashed record itself opens only on demand. The demo is made at 23:30
// on 03/11 in Hanoi and the node serves from 00:30 on 04/11 — both the 3rd
// in UTC — so a day that were cut in UTC would mix the two.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, pickOption, shot, useNodeAndBrowser } from './harness.mjs';

let node;
let browser;
useNodeAndBrowser({ node: { madeAt: '2026-11-03T16:30:00Z', clockStart: '2026-11-03T17:30:00Z' } }, (n, b) => {
  node = n;
  browser = b;
});

const rows = (page) => page.locator('tbody tr.ant-table-row');

// Filters by days (dd/mm/yyyy), and waits for that answer and its table.
// Enter in a date field already submits the form, so the answer is awaited
// from before the first key.
async function filterByDays(page, from, to) {
  const form = page.locator('form[id="audit-filter"]');
  const iso = (day) => day.split('/').reverse().join('-');
  return applyFilter(page, (url) => url.includes(`from=${iso(from)}`) && url.includes(`to=${iso(to)}`), async () => {
    for (const [label, day] of [['Từ ngày', from], ['Đến ngày', to]]) {
      const input = form.getByLabel(label);
      await input.click();
      await input.fill(day);
      await input.press('Enter');
    }
  });
}

// Clicks "Lọc" (after `act`, what else the filter takes) and waits for the
// answer it asks for (`wanted`, by its address), then for the table drawn
// from it: on a busy machine the network is idle well before React has
// replaced the rows shown before. The answer's items.
async function applyFilter(page, wanted, act = async () => {}) {
  const answer = page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && wanted(r.url()));
  await act();
  await page.locator('form[id="audit-filter"]').getByRole('button', { name: 'Lọc' }).click();
  const { items } = await (await answer).json();
  await page.waitForFunction((n) => document.querySelectorAll('tbody tr.ant-table-row').length === n, items.length);
  return items;
}

test('the audit log filters by Vietnam days and by one document; the record opens on demand', async () => {
  const sec = await browser.newPage();
  await login(sec, node.url, 'baomat', '/security/audit');
  await rows(sec).first().waitFor();

  // 04/11: this morning's sign-ins, none of the demo's making.
  await filterByDays(sec, '04/11/2026', '04/11/2026');
  await rows(sec).first().waitFor();
  const today = await rows(sec).allInnerTexts();
  assert.ok(today.some((r) => r.includes('Đăng nhập')), 'the sign-ins of 04/11 are listed');
  assert.ok(!today.some((r) => r.includes('Tạo người dùng')), 'nothing made on 03/11 is');
  assert.ok(today.every((r) => r.includes('04/11/2026')), today.join('\n'));
  // 03/11: the demo's users, made at 23:30 in Hanoi.
  await filterByDays(sec, '03/11/2026', '03/11/2026');
  await rows(sec).filter({ hasText: 'Tạo người dùng' }).first().waitFor();
  const before = await rows(sec).allInnerTexts();
  assert.ok(before.every((r) => r.includes('03/11/2026')), before.join('\n'));

  // One document, found by words of its subject: only its records.
  const doc = (await api(sec, node.url, 'GET', '/documents?limit=1')).items[0];
  const form = sec.locator('form[id="audit-filter"]');
  await form.getByLabel('Từ ngày').clear();
  await form.getByLabel('Đến ngày').clear();
  await pickOption(sec, 'Văn bản', doc.subject.slice(0, 12), doc.subject);
  const items = await applyFilter(sec, (url) => url.includes(`object_id=${doc.id}`));
  assert.ok(items.length > 0);
  const links = await rows(sec).locator('a[href^="/documents/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.length > 0);
  assert.ok(links.every((h) => h === `/documents/${doc.id}`), links.join(', '));
  // The JSON record is not on the page until its row is opened.
  assert.equal(await sec.locator('pre code').count(), 0);
  await rows(sec).first().getByRole('button', { name: /mở rộng|expand/i }).click();
  await sec.locator('pre code').first().waitFor();
  await shot(sec, 'audit-filtered-by-document');
});
