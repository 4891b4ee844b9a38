// Lists people can work in (issue #13, "the web office a clerk would
// choose"): the clerk's queues (Mới đến, Chờ cấp số, phát hành), counts on
// the menu that follow what happens without a reload, filters kept in the
// URL, the Đến/Đi column, columns chosen per user, the keyboard (j/k,
// Enter, /, one Tab stop) and cards on a phone.
//
// The demo is made a week before the node serves (Tuesday 3 and Tuesday 10
// November 2026, 09:00 in Hà Nội), so that a date filter can tell the
// demo's documents from those made here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, openDialog, pickOption, shot, useNodeAndBrowser } from './harness.mjs';

const MADE_AT = '2026-11-03T02:00:00Z';
const CLOCK_START = '2026-11-10T02:00:00Z';
const TODAY = '10/11/2026';

let node;
let browser;
useNodeAndBrowser({ node: { madeAt: MADE_AT, clockStart: CLOCK_START } }, (n, b) => {
  node = n;
  browser = b;
});

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// A row (or a card) of the list, by its accessible name.
// On a phone a card is a link named the same way.
const row = (page, subject) => page.getByRole('main')
  .getByRole(page.viewportSize().width < 768 ? 'link' : 'row', { name: new RegExp(escape(subject)) });
// What has the focus: a row's name, else the element.
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el?.getAttribute('aria-label') || `${el?.tagName} ${el?.getAttribute('placeholder') || el?.textContent?.slice(0, 40)}`;
});
// A menu entry with its count ("Chờ duyệt 2"; no count when none waits).
const menuEntry = (page, label, count) => page.getByRole('menuitem', { name: count ? `${label} ${count}` : label, exact: true });

async function as(username, path) {
  const page = await browser.newPage();
  await login(page, node.url, username, path);
  return page;
}

// A draft of the specialist's (Văn phòng Bộ Quốc phòng), made today.
async function draft(page, subject, extra = {}) {
  return api(page, node.url, 'POST', '/documents', { subject, type_code: 'TB', recipient_unit_ids: [6], ...extra });
}

// A paper document drafted by the specialist, approved and signed by the
// leader: one for the clerk to number, seal and issue.
async function signed(spec, leader, subject) {
  const d = await draft(spec, subject);
  await api(spec, node.url, 'POST', `/documents/${d.id}/actions/submit`, {});
  for (const step of ['approve', 'sign']) await api(leader, node.url, 'POST', `/documents/${d.id}/actions/${step}`, {});
  return d;
}

test('filters narrow the list, are kept in the URL and survive Back and a reload', async () => {
  const spec = await as('chuyenvien');
  const clerk = await as('vanthu');
  const mark = 'Lọc danh sách';
  const wanted = `${mark}: báo cáo khẩn của Văn phòng`;
  const normal = `${mark}: báo cáo thường`;
  const notice = `${mark}: thông báo khẩn`;
  const submitted = `${mark}: báo cáo khẩn đã trình`;
  const ministry = `${mark}: báo cáo khẩn của Bộ`;
  await draft(spec, wanted, { type_code: 'BC', urgency: 'khan' });
  await draft(spec, normal, { type_code: 'BC' });
  await draft(spec, notice, { type_code: 'TB', urgency: 'khan' });
  const s = await draft(spec, submitted, { type_code: 'BC', urgency: 'khan' });
  await api(spec, node.url, 'POST', `/documents/${s.id}/actions/submit`, {});
  await draft(clerk, ministry, { type_code: 'BC', urgency: 'khan' }); // the clerk's unit: Bộ Quốc phòng
  const demo = 'Kế hoạch chuyển đổi số năm 2027'; // a draft the demo made a week ago

  await clerk.goto(`${node.url}/documents`);
  await row(clerk, demo).waitFor();
  // The day it entered the books (a draft's: made): today's only.
  await clerk.getByLabel('Từ ngày').fill(TODAY);
  await clerk.getByLabel('Từ ngày').press('Enter');
  await clerk.waitForURL(/from=2026-11-10/);
  await row(clerk, wanted).waitFor();
  await row(clerk, demo).waitFor({ state: 'detached' });
  await pickOption(clerk, 'Loại văn bản', 'Báo cáo', 'Báo cáo');
  await clerk.waitForURL(/type=BC/);
  await row(clerk, notice).waitFor({ state: 'detached' });
  await pickOption(clerk, 'Độ khẩn', null, /^Khẩn$/);
  await clerk.waitForURL(/urgency=khan/);
  await row(clerk, normal).waitFor({ state: 'detached' });
  await pickOption(clerk, 'Trạng thái', null, /^Dự thảo$/);
  await clerk.waitForURL(/state=draft/);
  await row(clerk, submitted).waitFor({ state: 'detached' });
  await pickOption(clerk, 'Đơn vị', 'Văn phòng', 'Văn phòng Bộ Quốc phòng');
  await clerk.waitForURL(/unit=2/);
  await row(clerk, ministry).waitFor({ state: 'detached' });
  await row(clerk, wanted).waitFor();
  const filteredUrl = clerk.url();
  for (const p of ['from=2026-11-10', 'type=BC', 'urgency=khan', 'state=draft', 'unit=2']) assert.ok(filteredUrl.includes(p), p);
  const onlyWanted = async (page) => {
    await row(page, wanted).waitFor();
    assert.equal(await page.locator('main [data-row-index]').count(), 1, 'one document left');
    assert.equal(await page.getByLabel('Từ ngày').inputValue(), TODAY);
  };
  await onlyWanted(clerk);
  await shot(clerk, 'lists1-filtered');

  // Open it, come Back: the same filters, the same list.
  await clerk.getByRole('link', { name: wanted }).click();
  await clerk.waitForURL(/\/documents\/\d+$/);
  await clerk.goBack();
  assert.equal(clerk.url(), filteredUrl, 'Back returns to the filtered list');
  await onlyWanted(clerk);
  // A reload, or the link sent to someone: the same.
  await clerk.reload();
  await onlyWanted(clerk);
  const shared = await as('thutruong', new URL(filteredUrl).pathname + new URL(filteredUrl).search);
  await onlyWanted(shared);

  await clerk.getByRole('button', { name: 'Xóa bộ lọc' }).click();
  await row(clerk, demo).waitFor();
  assert.equal(new URL(clerk.url()).search, '');
});

test('"Tất cả văn bản" says Đến or Đi; the columns a person chooses stay theirs after a reload', async () => {
  const page = await as('vanthu', '/documents');
  const header = (name) => page.getByRole('columnheader', { name, exact: true });
  await header('Đến/Đi').waitFor();
  const incoming = row(page, 'Về việc hướng dẫn kết nối trục liên thông');
  const outgoing = row(page, 'Kế hoạch chuyển đổi số năm 2027');
  await incoming.getByRole('cell', { name: 'Đến', exact: true }).waitFor();
  await outgoing.getByRole('cell', { name: 'Đi', exact: true }).waitFor();

  await page.getByRole('button', { name: 'Cột hiển thị' }).click();
  await page.getByRole('checkbox', { name: 'Hạn xử lý' }).uncheck();
  await page.getByRole('checkbox', { name: 'Loại văn bản' }).check();
  await header('Hạn xử lý').waitFor({ state: 'detached' });
  await header('Loại văn bản').waitFor();
  await outgoing.getByRole('cell', { name: 'Kế hoạch', exact: true }).waitFor(); // the type by name
  await shot(page, 'lists2-columns');
  await page.reload();
  await header('Loại văn bản').waitFor();
  assert.equal(await header('Hạn xử lý').count(), 0, 'kept after a reload');
  // Other boxes have no Đến/Đi column, and the same choice.
  await page.getByRole('menuitem', { name: 'Văn bản đi', exact: true }).click();
  await page.getByRole('heading', { name: 'Văn bản đi' }).waitFor();
  await header('Đến/Đi').waitFor({ state: 'detached' });
  await header('Loại văn bản').waitFor();
  assert.equal(await header('Hạn xử lý').count(), 0);

  // Someone else signing in on this browser has their own columns.
  await login(page, node.url, 'thutruong', '/documents');
  await header('Hạn xử lý').waitFor();
  assert.equal(await header('Loại văn bản').count(), 0, 'not the clerk’s choice');
  await login(page, node.url, 'vanthu', '/documents');
  await header('Loại văn bản').waitFor();
  assert.equal(await header('Hạn xử lý').count(), 0, 'the clerk’s choice again');
});

test('the keyboard: one Tab stop, j/k move, Enter opens, / searches but not while typing', async () => {
  const spec = await as('chuyenvien');
  const mark = 'Phím tắt';
  const subjects = [1, 2, 3].map((i) => `${mark}: văn bản số ${i}`);
  const ids = [];
  for (const s of subjects) ids.push((await draft(spec, s)).id);
  const [third, second, first] = subjects; // newest first
  const page = await as('vanthu', `/documents?q=${encodeURIComponent(mark)}`);
  await row(page, first).waitFor();
  await row(page, third).waitFor();

  // One Tab stop: the selected row (the first until one is chosen).
  const tabIndexes = await page.locator('main tr[data-row-index]').evaluateAll((rows) => rows.map((r) => r.tabIndex));
  assert.deepEqual(tabIndexes, [0, -1, -1]);
  assert.equal(await page.locator('main table a:not([tabindex="-1"])').count(), 0, 'links inside rows are not Tab stops');
  await page.getByRole('button', { name: 'Cột hiển thị' }).focus();
  await page.keyboard.press('Tab');
  assert.match(await focused(page), new RegExp(`^${escape(first)}, Dự thảo, ${TODAY}`), 'Tab enters the list on its row');
  await page.keyboard.press('Tab');
  assert.doesNotMatch(await focused(page), new RegExp(mark), 'the next Tab leaves the list');

  await page.keyboard.press('j');
  assert.match(await focused(page), new RegExp(`^${escape(second)}`), 'j moves the selection (and the focus) down');
  await page.keyboard.press('k');
  assert.match(await focused(page), new RegExp(`^${escape(first)}`), 'k moves it up');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('j'); // no further than the last row
  assert.match(await focused(page), new RegExp(`^${escape(third)}`));
  assert.deepEqual(await page.locator('main tr[data-row-index]').evaluateAll((rows) => rows.map((r) => r.tabIndex)), [-1, -1, 0]);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${node.url}/documents/${ids[0]}`);

  await page.goBack();
  await row(page, first).waitFor();
  await page.keyboard.press('/');
  assert.equal(await focused(page), 'Tìm theo trích yếu, số ký hiệu', '/ goes to the search box');
  await page.keyboard.type('jk');
  assert.equal(await page.getByLabel('Tìm theo trích yếu, số ký hiệu').inputValue(), `${mark}jk`, 'j and k while typing are typed');
  assert.equal(await focused(page), 'Tìm theo trích yếu, số ký hiệu');
  await page.getByLabel('Tìm theo trích yếu, số ký hiệu').fill(`${mark}: văn bản số 2`);
  await page.keyboard.press('Enter');
  await page.waitForURL(/q=Ph%C3%ADm/);
  await row(page, first).waitFor({ state: 'detached' });
  await row(page, second).waitFor();
  await shot(page, 'lists3-keyboard');
});

test('"Chờ cấp số, phát hành" holds what is signed, not drafts; "Mới đến" the copies to register', async () => {
  const spec = await as('chuyenvien');
  const leader = await as('thutruong');
  const ready = 'Hàng đợi: thông báo đã ký chờ phát hành';
  const unsigned = 'Hàng đợi: thông báo còn là dự thảo';
  await signed(spec, leader, ready);
  await draft(spec, unsigned);

  const clerk = await as('vanthu');
  await clerk.getByRole('menuitem', { name: /^Chờ cấp số, phát hành/ }).click();
  await clerk.waitForURL(/\/to-issue$/);
  await clerk.getByRole('heading', { name: 'Chờ cấp số, phát hành' }).waitFor();
  await row(clerk, ready).waitFor();
  await row(clerk, 'Về việc triển khai chữ ký số trong cơ quan').waitFor(); // the demo's signed one
  assert.equal(await row(clerk, unsigned).count(), 0, 'a draft is not waiting to be issued');
  assert.equal(await clerk.locator('main tr[data-row-index]', { hasText: 'Dự thảo' }).count(), 0);
  await shot(clerk, 'lists4-to-issue');

  await clerk.getByRole('menuitem', { name: /^Mới đến/ }).click();
  await clerk.waitForURL(/\/received$/);
  await row(clerk, 'Về việc hướng dẫn kết nối trục liên thông').waitFor();
  assert.equal(await row(clerk, 'Về việc đôn đốc thực hiện Nghị quyết 02').count(), 0, 'a registered one is not new');
  const states = await clerk.locator('main tr[data-row-index] .ant-tag').allInnerTexts();
  assert.ok(states.includes('Mới đến') && states.every((s) => ['Mới đến', 'Khẩn', 'Mật', 'Thượng khẩn', 'Hỏa tốc', 'Tối mật'].includes(s)), states.join());
});

test('the counts on the menu follow what happens, without a reload', async () => {
  const spec = await as('chuyenvien');
  const counts = async (page) => api(page, node.url, 'GET', '/documents/counts');

  // The leader: every 30 s by default; at once when the tab is seen again.
  const leader = await as('thutruong');
  let waiting = (await counts(leader)).awaiting_approval;
  await menuEntry(leader, 'Chờ duyệt', waiting).waitFor();
  const first = await draft(spec, 'Đếm: tờ trình chờ duyệt thứ nhất');
  await api(spec, node.url, 'POST', `/documents/${first.id}/actions/submit`, {});
  await leader.evaluate(() => {
    window.notReloaded = true;
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await menuEntry(leader, 'Chờ duyệt', ++waiting).waitFor({ timeout: 10_000 });

  // With a short interval (a test's), a change made elsewhere shows by itself.
  await leader.evaluate(() => localStorage.setItem('chancery.countsPollMs', '300'));
  await leader.reload();
  await menuEntry(leader, 'Chờ duyệt', waiting).waitFor();
  await leader.evaluate(() => { window.notReloaded = true; });
  const second = await draft(spec, 'Đếm: tờ trình chờ duyệt thứ hai');
  await api(spec, node.url, 'POST', `/documents/${second.id}/actions/submit`, {});
  await menuEntry(leader, 'Chờ duyệt', ++waiting).waitFor({ timeout: 10_000 });
  assert.equal(await leader.evaluate(() => window.notReloaded), true, 'the page was not reloaded');
  await shot(leader, 'lists5-counts-leader');

  // The clerk, on the default 30 s: issuing one takes it off the count at once.
  const d = await signed(spec, leader, 'Đếm: thông báo đã ký');
  const clerk = await as('vanthu', `/documents/${d.id}`);
  const toIssue = (await counts(clerk)).to_issue;
  assert.ok(toIssue >= 1);
  await menuEntry(clerk, 'Chờ cấp số, phát hành', toIssue).waitFor();
  await menuEntry(clerk, 'Mới đến', (await counts(clerk)).received).waitFor();
  await clerk.getByRole('button', { name: 'Cấp số và phát hành' }).click();
  const dialog = await openDialog(clerk);
  await dialog.getByRole('button', { name: 'Cấp số và phát hành' }).click();
  await clerk.getByText('Đã phát hành', { exact: true }).first().waitFor();
  await menuEntry(clerk, 'Chờ cấp số, phát hành', toIssue - 1).waitFor({ timeout: 10_000 });
  await shot(clerk, 'lists6-counts-clerk');
});

test('on a phone the list is cards, moved through with the same keys, and nothing overflows', async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await login(page, node.url, 'vanthu', '/documents?q=' + encodeURIComponent('Về việc'));
  const cards = page.locator('main a[data-row-index]');
  await cards.first().waitFor();
  assert.equal(await page.locator('main table').count(), 0, 'no table');
  // A card: number (or arrival number), subject, date, state, deadline.
  const card = row(page, 'Về việc lập dự toán ngân sách 2027');
  const text = await card.innerText();
  for (const part of ['77/BTC-KHTC', 'Về việc lập dự toán ngân sách 2027', 'Đến · 03/11/2026', 'Đang xử lý', 'Hạn xử lý']) {
    assert.ok(text.includes(part), `${part} in ${text}`);
  }
  assert.match(text, /^3 · /, 'the arrival number first');

  // Nothing in the page's content is wider than the phone.
  const overflow = await page.evaluate(() => {
    const main = document.querySelector('main');
    const wide = [...main.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5);
    return { scroll: main.scrollWidth - main.clientWidth, wide: wide.map((e) => e.outerHTML.slice(0, 80)) };
  });
  assert.deepEqual(overflow, { scroll: 0, wide: [] });
  // Nor is the page as a whole (the header fits too).
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page scrolls sideways');
  await shot(page, 'lists7-cards-390');

  assert.deepEqual((await cards.evaluateAll((cs) => cs.map((c) => c.tabIndex))).filter((i) => i === 0), [0], 'one Tab stop');
  await page.locator('main h4').click(); // nothing focused
  await page.keyboard.press('j');
  // A card is a link named by its visible text: the focus is told by its href.
  const focusedHref = () => page.evaluate(() => document.activeElement?.getAttribute('href'));
  assert.equal(await focusedHref(), await cards.nth(0).getAttribute('href'));
  await page.keyboard.press('j');
  assert.equal(await focusedHref(), await cards.nth(1).getAttribute('href'));
  const href = await cards.nth(1).getAttribute('href');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${node.url}${href}`);
});
