import { login, openBrowser, pickOption, startNode } from './harness.mjs';
const node = await startNode({ clockStart: '2026-11-30T17:30:00Z' });
const browser = await openBrowser();
let fails = 0;
for (let i = 0; i < 16; i++) {
  const admin = await browser.newPage({ timezoneId: i % 2 ? 'UTC' : 'Asia/Ho_Chi_Minh' });
  await login(admin, node.url, 'admin', '/admin/units');
  const name = `Phòng Thử ${i}`;
  await admin.getByRole('treeitem', { name: 'Cục Công nghệ thông tin' }).click();
  await admin.getByRole('button', { name: 'Thêm đơn vị' }).click();
  const add = admin.getByRole('dialog');
  await add.getByLabel('Tên đơn vị').fill(name);
  await add.getByLabel('Viết tắt').fill(`T${i}`);
  await add.getByRole('button', { name: 'Tạo' }).click();
  await admin.getByRole('treeitem', { name }).click();
  await admin.getByRole('button', { name: 'Sắp xếp lại' }).click();
  const reorg = admin.getByRole('dialog');
  const effective = reorg.getByLabel('Ngày hiệu lực');
  await effective.click();
  const today = admin.locator('.ant-picker-dropdown:visible .ant-picker-cell-today');
  const title = await today.getAttribute('title');
  await today.click();
  await admin.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
  const v = await effective.inputValue();
  await reorg.getByText('Giải thể', { exact: true }).click();
  await pickOption(admin, 'Đơn vị kế thừa', 'Kỹ thuật', 'Phòng Kỹ thuật');
  const t1 = await reorg.locator('.ant-select-content').nth(1).getAttribute('title');
  const dd = await admin.locator('.ant-select-dropdown:visible').count();
  await admin.keyboard.press('Escape');
  const t2 = await reorg.locator('.ant-select-content').nth(1).getAttribute('title');
  const open = await reorg.count();
  console.log(i, JSON.stringify({ title, v, t1, dd, t2, open }));
  if (!t2) { fails++; await admin.screenshot({ path: `/tmp/dbg/fail-${i}.png` }); }
  await admin.context().close();
}
console.log('fails', fails);
await browser.close();
await node.stop();
