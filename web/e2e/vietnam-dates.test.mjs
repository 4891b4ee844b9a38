// Dates in lists are Vietnam's dates (a clerk's report): a draft made at
// 00:30 in Hà Nội — 17:30 UTC the day before — showed the UTC date in
// "Chờ duyệt" and "Văn bản đi" while its timeline said the Vietnam one. The
// node's clock is pinned there and the browser runs in UTC, so a date cut
// from the UTC timestamp or read in the browser's zone is a day early.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { docIdOf, login, shot, useNodeAndBrowser } from './harness.mjs';

// Tuesday 1 December 2026, 00:30 in Hà Nội; UTC is still on 30 November.
const CLOCK_START = '2026-11-30T17:30:00Z';
const VIETNAM_DAY = '01/12/2026';
const UTC_DAY = '30/11/2026';

let node;
let browser;
useNodeAndBrowser({ node: { clockStart: CLOCK_START }, browser: { timezoneId: 'UTC' } }, (n, b) => {
  node = n;
  browser = b;
});

// The row of `subject` in the list the page shows, once loaded.
async function rowOf(page, subject) {
  const row = page.locator('tr.ant-table-row', { hasText: subject });
  await row.waitFor();
  return row;
}

test('a draft made just after midnight in Hà Nội carries the Vietnam date in every list, browser in UTC', async () => {
  const subject = 'Báo cáo trực ban đêm ngày 01 tháng 12';
  const spec = await browser.newPage();
  await login(spec, node.url, 'chuyenvien', '/documents/new');
  await spec.getByLabel('Trích yếu').fill(subject);
  await spec.getByRole('button', { name: 'Lưu và trình duyệt' }).click();
  await spec.waitForURL(/\/documents\/\d+$/);
  const id = docIdOf(spec);
  assert.ok(id > 0);
  // The timeline: the time of creation in Vietnam.
  await spec.getByRole('tab', { name: /Quá trình xử lý/ }).click();
  await spec.locator('.ant-timeline').getByText(new RegExp(`${VIETNAM_DAY} 00:3\\d`)).first().waitFor();

  // Văn bản đi: the same day as the timeline.
  await spec.goto(`${node.url}/outgoing`);
  const outgoing = await rowOf(spec, subject);
  const outgoingText = await outgoing.innerText();
  assert.match(outgoingText, new RegExp(VIETNAM_DAY), 'Văn bản đi shows the Vietnam date');
  assert.doesNotMatch(outgoingText, new RegExp(UTC_DAY), 'Văn bản đi does not show the UTC date');
  await shot(spec, 'dates1-outgoing-utc-browser');

  // Chờ duyệt, for the leader.
  const leader = await browser.newPage();
  await login(leader, node.url, 'thutruong', '/awaiting-approval');
  const waiting = await rowOf(leader, subject);
  const waitingText = await waiting.innerText();
  assert.match(waitingText, new RegExp(VIETNAM_DAY), 'Chờ duyệt shows the Vietnam date');
  assert.doesNotMatch(waitingText, new RegExp(UTC_DAY), 'Chờ duyệt does not show the UTC date');
  await shot(leader, 'dates2-awaiting-approval-utc-browser');
});
