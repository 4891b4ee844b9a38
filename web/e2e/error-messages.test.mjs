// Error messages say what the server said (a clerk's report): a wrong
// password read as an expired session; a refused field did not name the
// field; a refused reorganisation said "Giá trị không hợp lệ" instead of
// why. The server's reason (problem+json `detail`, `errors[]` with field,
// code and message) is told in the user's language, under the field it
// concerns, and the form's own message names the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, openDialog, pickOption, shot, useNodeAndBrowser } from './harness.mjs';

let node;
let browser;
useNodeAndBrowser({}, (n, b) => {
  node = n;
  browser = b;
});

// The error shown under the form field labelled `label`.
const fieldError = (scope, label) =>
  scope.locator(`.ant-form-item:has(label[title="${label}"]) .ant-form-item-explain-error`);

test('a wrong password says the name or password is wrong, not that a session expired', async () => {
  const page = await browser.newPage();
  await page.goto(node.url);
  await page.getByLabel('Tên đăng nhập').fill('vanthu');
  await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /Sai tên đăng nhập hoặc mật khẩu/);
  assert.doesNotMatch(text, /Phiên làm việc|hết hạn/);
  await shot(page, 'err1-wrong-password');
});

test('a field the server refuses is named, and its reason is said under it', async () => {
  // The security officer lowers their own clearance: nobody changes their
  // own, and the server refuses the field `clearance`.
  const sec = await browser.newPage();
  await login(sec, node.url, 'baomat', '/admin/users');
  await sec.locator('tr.ant-table-row', { hasText: 'baomat' }).getByRole('button', { name: 'Sửa' }).click();
  const dialog = await openDialog(sec);
  await pickOption(sec, 'Độ mật được tiếp cận', null, 'Mật');
  await dialog.getByRole('button', { name: 'Lưu' }).click();
  const alert = dialog.getByRole('alert');
  await alert.getByText(/Độ mật được tiếp cận:/).waitFor(); // the form's message names the field
  const under = fieldError(dialog, 'Độ mật được tiếp cận');
  await under.waitFor();
  assert.match(await under.innerText(), /độ mật/i, 'the reason under the field says what was refused');
  await shot(sec, 'err2-refused-field');
});

test('a refused reorganisation gives the server\'s reason under the field it concerns', async () => {
  // Dissolving Cục Công nghệ thông tin into its own Phòng Kỹ thuật: the
  // successor lies inside the unit being dissolved.
  const admin = await browser.newPage();
  await login(admin, node.url, 'admin', '/admin/units');
  await admin.getByRole('treeitem', { name: 'Cục Công nghệ thông tin' }).click();
  await admin.getByRole('button', { name: 'Sắp xếp lại' }).click();
  const reorg = await openDialog(admin);
  await reorg.getByText('Giải thể', { exact: true }).click();
  await pickOption(admin, 'Đơn vị kế thừa', 'Kỹ thuật', 'Phòng Kỹ thuật');
  await reorg.getByTitle('Phòng Kỹ thuật', { exact: true }).waitFor();
  await admin.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
  await reorg.getByRole('button', { name: 'Sắp xếp lại' }).click();
  const under = fieldError(reorg, 'Đơn vị kế thừa');
  await under.waitFor();
  const reason = await under.innerText();
  assert.doesNotMatch(reason, /Giá trị không hợp lệ/);
  assert.match(reason, /nằm trong/, 'the successor lies inside the unit being reorganised');
  await reorg.getByRole('alert').getByText(/Đơn vị kế thừa:/).waitFor();
  await shot(admin, 'err3-refused-reorganisation');
});
