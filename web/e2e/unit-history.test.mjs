// A unit's history after it is dissolved (a clerk's report: "Đến ngày"
// stayed empty). GET /units/{id}/history ends the period the dissolution
// closed (`valid_to`, the first day it no longer held) and opens a retired
// period with no end: the page shows the last day the unit held, and says
// that the open period is the unit retired, with its successor.
//
// The demo's units are made two days before the node serves, so that the
// dissolved unit has a period that ended (a period begun and ended on the
// same day has no length, and the node keeps none).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, openDialog, pickOption, shot, useNodeAndBrowser } from './harness.mjs';

const MADE_AT = '2026-11-28T03:00:00Z'; // Saturday 28 November 2026, 10:00 in Hà Nội
const CLOCK_START = '2026-11-30T03:00:00Z'; // Monday 30 November 2026, 10:00

let node;
let browser;
useNodeAndBrowser({ node: { madeAt: MADE_AT, clockStart: CLOCK_START } }, (n, b) => {
  node = n;
  browser = b;
});

test('a dissolved unit\'s history shows when its last period ended and that it is retired', async () => {
  const admin = await browser.newPage();
  await login(admin, node.url, 'admin', '/admin/units');
  await admin.getByRole('treeitem', { name: 'Phòng Hạ tầng' }).click();
  await admin.getByRole('button', { name: 'Sắp xếp lại' }).click();
  const reorg = await openDialog(admin);
  await reorg.getByText('Giải thể', { exact: true }).click();
  await pickOption(admin, 'Đơn vị kế thừa', 'Kỹ thuật', 'Phòng Kỹ thuật');
  await reorg.getByTitle('Phòng Kỹ thuật', { exact: true }).waitFor();
  await admin.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
  assert.equal(await reorg.getByLabel('Ngày hiệu lực').inputValue(), '30/11/2026');
  await reorg.getByRole('button', { name: 'Sắp xếp lại' }).click();
  await admin.getByText(/^Đã sắp xếp lại; \d+ việc đang xử lý được chuyển$/).waitFor();

  // What the API says: the period the dissolution closed ends on 30/11.
  const unit = (await api(admin, node.url, 'GET', '/units')).items.find((u) => u.name === 'Phòng Hạ tầng');
  const history = (await api(admin, node.url, 'GET', `/units/${unit.id}/history`)).items;
  assert.deepEqual(history.map((p) => [p.valid_from, p.valid_to, p.active]),
    [['2026-11-28', '2026-11-30', true], ['2026-11-30', null, false]]);

  // What the page says.
  const rows = admin.locator('table').filter({ has: admin.getByRole('columnheader', { name: 'Đến ngày' }) })
    .locator('tbody tr.ant-table-row');
  await rows.nth(1).waitFor();
  const cells = async (i) => (await rows.nth(i).locator('td').allInnerTexts()).map((s) => s.trim());
  const retired = await cells(1);
  assert.equal(retired[0], '30/11/2026');
  assert.notEqual(retired[1], '', 'no blank end: the retired period says it has none');
  assert.match(retired.join(' '), /Ngừng hoạt động/);
  assert.match(retired.join(' '), /Phòng Kỹ thuật/, 'and where its work went');
  const held = await cells(0);
  assert.deepEqual(held.slice(0, 2), ['28/11/2026', '29/11/2026'], 'the period that ended: its first and last day');
  await shot(admin, 'history1-dissolved-unit');
});
