// A duplicate is not registered without asking (a clerk's report: with the
// warning showing, "Vào sổ" registered anyway, the warning named the
// original "#17", and a withdrawn entry stayed in the book unmarked). The
// warning names the original by its arrival number and day and links it;
// registering over it takes "Vẫn vào sổ" and a reason, which the book's
// "Ghi chú" keeps; a withdrawn entry is marked in the book with why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, attachFile, login, pdf, settled, shot, useNodeAndBrowser } from './harness.mjs';

let node;
let browser;
useNodeAndBrowser({}, (n, b) => {
  node = n;
  browser = b;
});

const ISSUER = 'Bộ Nội vụ';
const NUMBER = '310/BNV-TCBC';
const vietnamese = (iso) => iso.split('-').reverse().join('/');

test('registering a duplicate needs "register anyway" and a reason; a withdrawn entry is marked', async () => {
  const clerk = await browser.newPage();
  await login(clerk, node.url, 'vanthu');
  const first = await api(clerk, node.url, 'POST', '/documents/incoming',
    { issuer_name: ISSUER, original_number_symbol: NUMBER, subject: 'Về việc tuyển dụng công chức năm 2027' });
  const registered = await api(clerk, node.url, 'POST', `/documents/${first.id}/actions/register`, {});
  const count = async () => (await api(clerk, node.url, 'GET',
    `/documents/duplicates?issuer_name=${encodeURIComponent(ISSUER)}&number_symbol=${encodeURIComponent(NUMBER)}`)).duplicates.length;

  await clerk.goto(`${node.url}/register`);
  await clerk.getByLabel('Cơ quan ban hành').fill(ISSUER);
  await clerk.getByLabel('Số, ký hiệu').fill(NUMBER);
  const warning = clerk.getByTestId('duplicate-warning');
  const original = warning.getByRole('link', {
    name: `Số đến ${registered.arrival_number} ngày ${vietnamese(registered.arrival_date)}`,
  });
  await original.waitFor();
  assert.equal(await original.getAttribute('href'), `/documents/${first.id}`);
  assert.doesNotMatch(await warning.innerText(), /#\d/, 'no internal id in the warning');
  await clerk.getByLabel('Trích yếu').fill('Về việc tuyển dụng công chức năm 2027 (bản chính)');
  await attachFile(clerk, { name: 'scan-310.pdf', mimeType: 'application/pdf', buffer: pdf(NUMBER) });

  // "Vào sổ" with the warning showing registers nothing: it asks.
  await clerk.getByRole('button', { name: 'Vào sổ' }).click();
  await warning.getByText('Văn bản có thể trùng: hãy chọn “Vẫn vào sổ” và nêu lý do, hoặc không vào sổ.').waitFor();
  assert.match(clerk.url(), /\/register$/);
  assert.equal(await count(), 1, 'nothing registered');
  await shot(clerk, 'dup1-asks');

  // Register anyway: the reason is required, then kept in the remarks.
  await warning.getByLabel('Vẫn vào sổ (không phải bản trùng)').check();
  await settled(clerk);
  await clerk.getByRole('button', { name: 'Vào sổ' }).click();
  await warning.getByText('Bắt buộc nhập').waitFor();
  assert.equal(await count(), 1, 'still nothing registered');
  await warning.getByLabel('Lý do vào sổ').fill('Bản chính đến sau bản fax');
  await settled(clerk);
  await clerk.getByRole('button', { name: 'Vào sổ' }).click();
  await clerk.waitForURL(/\/documents\/\d+$/);
  const second = Number(/\/documents\/(\d+)$/.exec(clerk.url())[1]);
  const doc = await api(clerk, node.url, 'GET', `/documents/${second}`);
  assert.equal(doc.state, 'registered');
  assert.match(doc.notes, new RegExp(`Trùng với văn bản đến số ${registered.arrival_number} ngày ${vietnamese(registered.arrival_date)}\\. Lý do vào sổ: Bản chính đến sau bản fax`));

  // The original withdrawn: its book entry says so, and why.
  await api(clerk, node.url, 'POST', `/documents/${first.id}/actions/withdraw`, { reason: 'Đăng ký nhầm bản fax' });
  await clerk.goto(`${node.url}/books`);
  const row = clerk.locator('tbody tr.ant-table-row', { hasText: 'Về việc tuyển dụng công chức năm 2027' }).first();
  await row.getByTestId('withdrawn').getByText('Đã thu hồi').waitFor();
  assert.match(await row.getByTestId('withdrawn').innerText(), /Đăng ký nhầm bản fax/);
  const again = clerk.locator('tbody tr.ant-table-row', { hasText: 'Lý do vào sổ: Bản chính đến sau bản fax' });
  await again.waitFor();
  await shot(clerk, 'dup2-book-marks-withdrawn');
});
