// Around midnight in Hà Nội (issue 11): the dates the UI proposes are the
// node's date in Vietnam, whatever the browser's zone and clock. The node's
// clock is set to 23:30 and to 00:30 Vietnam time (16:30 and 17:30 UTC, when
// a browser in UTC is still on the day before at 00:30); the browser keeps its
// real clock, so a date taken from it is wrong at both settings. Each setting
// shares one node between a browser in UTC and one in Asia/Ho_Chi_Minh.
import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, openBrowser, openDialog, pickOption, popup, shot, startNode } from './harness.mjs';

const CLOCKS = [
  // Monday 30 November 2026, 23:30 in Hà Nội.
  { at: '2330', clockStart: '2026-11-30T16:30:00Z', today: '2026-11-30' },
  // Tuesday 1 December 2026, 00:30 in Hà Nội: UTC is still on 30 November.
  { at: '0030', clockStart: '2026-11-30T17:30:00Z', today: '2026-12-01' },
];
const ZONES = [
  { zone: 'UTC', tag: 'utc' },
  { zone: 'Asia/Ho_Chi_Minh', tag: 'ict' },
];

// "2026-12-01" → "01/12/2026", as the UI writes dates.
const shown = (date) => date.split('-').reverse().join('/');

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
});
afterEach(async () => {
  await browser?.closePages();
});

for (const { at, clockStart, today } of CLOCKS) {
  describe(`the node at ${at.slice(0, 2)}:${at.slice(2)} in Hà Nội`, () => {
    let node;
    before(async () => {
      node = await startNode({ clockStart });
    });
    after(async () => {
      await node?.stop();
    });

    for (const { zone, tag } of ZONES) {
      test(`the administrator dissolves a new unit on the proposed date, browser in ${zone}`, async () => {
        const admin = await browser.newPage({ timezoneId: zone });
        await login(admin, node.url, 'admin', '/admin/units');
        assert.equal((await api(admin, node.url, 'GET', '/me')).today, today);
        const name = `Phòng Trực đêm ${tag.toUpperCase()}`;
        await admin.getByRole('treeitem', { name: 'Cục Công nghệ thông tin' }).click();
        await admin.getByRole('button', { name: 'Thêm đơn vị' }).click();
        const add = await openDialog(admin);
        await add.getByLabel('Tên đơn vị').fill(name);
        await add.getByLabel('Viết tắt').fill(`TD${tag.toUpperCase()}`);
        await add.getByRole('button', { name: 'Tạo' }).click();
        await admin.getByRole('treeitem', { name }).click();
        await admin.getByRole('button', { name: 'Sắp xếp lại' }).click();
        const reorg = await openDialog(admin);
        const effective = reorg.getByLabel('Ngày hiệu lực');
        assert.equal(await effective.inputValue(), shown(today), 'the proposed effective date is the node\'s today');
        // The picker's own "today" (the highlighted day) is the node's too;
        // clicking it keeps the date. (No Escape to close it: should the
        // popup be closed already, Escape closes the dialog.)
        await effective.click();
        const todayCell = popup(admin, '.ant-picker-dropdown').locator('.ant-picker-cell-today');
        assert.equal(await todayCell.getAttribute('title'), today);
        await todayCell.click();
        await admin.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
        assert.equal(await effective.inputValue(), shown(today));
        await reorg.getByText('Giải thể', { exact: true }).click();
        await pickOption(admin, 'Đơn vị kế thừa', null, 'Phòng Kỹ thuật');
        await reorg.getByTitle('Phòng Kỹ thuật', { exact: true }).waitFor(); // the successor is chosen
        await admin.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
        await shot(admin, `m-${at}-${tag}-dissolve`);
        await reorg.getByRole('button', { name: 'Sắp xếp lại' }).click();
        await admin.getByText(/^Đã sắp xếp lại; \d+ việc đang xử lý được chuyển$/).waitFor();
        const { items } = await api(admin, node.url, 'GET', '/units');
        const gone = items.find((u) => u.name === name);
        assert.equal(gone.active, false);
        assert.equal(gone.retired_on, today);
      });

      test(`the incoming register's date picker offers the node's today, browser in ${zone}`, async () => {
        const clerk = await browser.newPage({ timezoneId: zone });
        await login(clerk, node.url, 'vanthu', '/register');
        const date = clerk.getByLabel('Ngày văn bản');
        await date.click();
        const panel = popup(clerk, '.ant-picker-dropdown');
        assert.equal(await panel.locator('.ant-picker-cell-today').getAttribute('title'), today);
        await panel.getByText('Hôm nay', { exact: true }).click();
        assert.equal(await date.inputValue(), shown(today));
      });

      test(`the leader's signature share runs to the node's today, browser in ${zone}`, async () => {
        const leader = await browser.newPage({ timezoneId: zone });
        await login(leader, node.url, 'thutruong', '/dashboard');
        await leader.getByTestId('signature-share')
          .getByText(`Từ 01/01/${today.slice(0, 4)} đến ${shown(today)}`, { exact: true }).waitFor();
      });
    }
  });
}
