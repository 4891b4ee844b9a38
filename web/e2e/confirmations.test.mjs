// Irreversible actions ask first (a clerk's report: "Rút văn bản" made a
// document "Đã thu hồi" on one click, with no reason asked). Every such
// action opens one confirmation dialog that says what will happen, asks for
// the reason the domain requires, keeps focus inside, and does nothing when
// dismissed (Escape, Hủy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, openDialog, shot, useNodeAndBrowser } from './harness.mjs';

let node;
let browser;
useNodeAndBrowser({}, (n, b) => {
  node = n;
  browser = b;
});

// A paper document (no file: signed without a PIN) drafted by the
// specialist for Cục Công nghệ thông tin, approved, signed, numbered and
// issued through the API.
async function issuedDocument(subject) {
  const spec = await browser.newPage();
  await login(spec, node.url, 'chuyenvien');
  const draft = await api(spec, node.url, 'POST', '/documents', { subject, type_code: 'TB', recipient_unit_ids: [6] });
  await api(spec, node.url, 'POST', `/documents/${draft.id}/actions/submit`, {});
  const leader = await browser.newPage();
  await login(leader, node.url, 'thutruong');
  for (const step of ['approve', 'sign']) await api(leader, node.url, 'POST', `/documents/${draft.id}/actions/${step}`, {});
  const clerk = await browser.newPage();
  await login(clerk, node.url, 'vanthu');
  for (const step of ['number', 'seal', 'issue']) await api(clerk, node.url, 'POST', `/documents/${draft.id}/actions/${step}`, {});
  return draft.id;
}

// Whether the element with focus is inside the open dialog.
const focusInDialog = (page) => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'));

test('recalling an issued document asks for confirmation and a reason; dismissed, nothing happens', async () => {
  const id = await issuedDocument('Thông báo lịch trực Tết Nguyên đán 2027');
  const clerk = await browser.newPage();
  await login(clerk, node.url, 'vanthu', `/documents/${id}`);
  await clerk.getByText('Đã phát hành', { exact: true }).first().waitFor();

  // Escape: the dialog closes and the document stays issued.
  await clerk.getByRole('button', { name: 'Thu hồi', exact: true }).click();
  let dialog = await openDialog(clerk);
  await dialog.getByText(/các nơi nhận/).waitFor(); // the consequences, in words
  await dialog.getByText(/không thể hoàn tác/i).waitFor();
  assert.ok(await focusInDialog(clerk), 'the dialog takes the focus');
  for (let i = 0; i < 8; i++) {
    await clerk.keyboard.press('Tab');
    assert.ok(await focusInDialog(clerk), 'Tab keeps the focus inside the dialog');
  }
  await shot(clerk, 'confirm1-recall-dialog');
  await clerk.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal((await api(clerk, node.url, 'GET', `/documents/${id}`)).state, 'issued', 'Escape recalls nothing');

  // Confirming without a reason is refused before anything is sent.
  await clerk.getByRole('button', { name: 'Thu hồi', exact: true }).click();
  dialog = await openDialog(clerk);
  await dialog.getByRole('button', { name: 'Thu hồi', exact: true }).click();
  await dialog.getByText('Bắt buộc nhập').waitFor();
  assert.equal((await api(clerk, node.url, 'GET', `/documents/${id}`)).state, 'issued', 'no reason, no recall');

  // With a reason it recalls, and the reason goes with it.
  await dialog.getByLabel('Lý do thu hồi').fill('Phát hành nhầm lịch trực của năm trước.');
  await dialog.getByRole('button', { name: 'Thu hồi', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  await clerk.getByText('Đã thu hồi', { exact: true }).first().waitFor();
  const recalled = await api(clerk, node.url, 'GET', `/documents/${id}`);
  assert.equal(recalled.state, 'recalled');
  const timeline = await api(clerk, node.url, 'GET', `/documents/${id}/timeline`);
  const recall = timeline.items.find((e) => e.action === 'document.recall');
  assert.equal(findReason(recall.record), 'Phát hành nhầm lịch trực của năm trước.', 'the reason is on record');
  await shot(clerk, 'confirm2-recalled');
});

test('withdrawing an incoming document asks first; Hủy leaves it as it was', async () => {
  const clerk = await browser.newPage();
  await login(clerk, node.url, 'vanthu');
  const d = await api(clerk, node.url, 'POST', '/documents/incoming', {
    issuer_name: 'UBND tỉnh Hà Giang', original_number_symbol: '310/UBND-VP', subject: 'Đề nghị hỗ trợ phương tiện cứu hộ',
  });
  await api(clerk, node.url, 'POST', `/documents/${d.id}/actions/register`, {});
  await clerk.goto(`${node.url}/documents/${d.id}`);
  await clerk.getByText('Đã vào sổ', { exact: true }).first().waitFor();

  await clerk.getByRole('button', { name: 'Rút văn bản' }).click();
  const dialog = await openDialog(clerk);
  await dialog.getByText(/không thể hoàn tác/i).waitFor();
  await dialog.getByRole('button', { name: 'Hủy' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal((await api(clerk, node.url, 'GET', `/documents/${d.id}`)).state, 'registered', 'Hủy withdraws nothing');

  await clerk.getByRole('button', { name: 'Rút văn bản' }).click();
  await openDialog(clerk);
  await dialog.getByLabel(/Lý do/).fill('Cơ quan gửi đề nghị rút lại bằng văn bản giấy.');
  await dialog.getByRole('button', { name: 'Rút văn bản' }).click();
  await clerk.getByText('Đã thu hồi', { exact: true }).first().waitFor();
  assert.equal((await api(clerk, node.url, 'GET', `/documents/${d.id}`)).state, 'recalled');
  await shot(clerk, 'confirm3-withdrawn');
});

// The reason of an audit record, wherever the record keeps it.
function findReason(record) {
  if (!record || typeof record !== 'object') return undefined;
  if (typeof record.reason === 'string') return record.reason;
  for (const v of Object.values(record)) {
    const found = findReason(v);
    if (found !== undefined) return found;
  }
  return undefined;
}
