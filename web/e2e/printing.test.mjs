// Print views (issue #13): a register book in the layout of Decree 30/2020
// (appendix IV) on landscape A4, as the book page's filter shows it; the
// processing slip of an incoming document on one upright A4 sheet; the
// document page on paper. Each opens from its "In" button, which prints
// (window.print, counted here instead of opening the browser's dialog); the
// sheet is then printed to PDF by Chromium (page.pdf, print media) and read
// back with poppler's pdfinfo (pages, paper) and pdftotext (what is on it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, login, outDir, useNodeAndBrowser } from './harness.mjs';

let node;
let browser;
useNodeAndBrowser({}, (n, b) => {
  node = n;
  browser = b;
});

// A page whose window.print() is counted rather than shown.
async function printingPage(user, path) {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    window.__printed = 0;
    window.print = () => {
      window.__printed += 1;
    };
  });
  await login(page, node.url, user, path);
  return page;
}

// The page printed to PDF in the test output folder: its page count, paper
// size and text (whitespace folded, as a cell may wrap its words).
async function printed(page, name) {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${name}.pdf`);
  writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const text = (first, last) => execFileSync('pdftotext', ['-f', String(first), '-l', String(last), file, '-'], { encoding: 'utf8' })
    .replace(/\s+/g, ' ');
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)[1]);
  const [width, height] = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info).slice(1).map(Number);
  return { pages, width, height, text: text(1, pages), page: (n) => text(n, n) };
}

// A4 in points, either way round.
const isA4 = (w, h) => Math.abs(w - 595.3) < 2 && Math.abs(h - 841.9) < 2;
// "2026-12-06" → "06/12/2026", as the UI writes a day.
const dmy = (iso) => iso.split('-').reverse().join('/');

const INCOMING_HEADINGS = ['Ngày đến', 'Số đến', 'Tác giả', 'Số, ký hiệu', 'Ngày tháng', 'Tên loại và trích yếu nội dung',
  'Đơn vị hoặc người nhận', 'Ký nhận', 'Ghi chú'];

test('a register book prints what its filter shows, in the Decree 30 layout, on landscape A4', async () => {
  // 24 letters whose subjects share a word the demo's do not, and one without it.
  const clerk = await printingPage('vanthu', '/');
  const registered = [];
  for (let i = 1; i <= 24; i++) {
    const d = await api(clerk, node.url, 'POST', '/documents/incoming', {
      issuer_name: `UBND huyện Ba Vì ${i}`, original_number_symbol: `${300 + i}/UBND-VP`, type_code: 'BC',
      subject: `Báo cáo phòng chống lụt bão đợt ${i} năm 2027`,
    });
    registered.push(await api(clerk, node.url, 'POST', `/documents/${d.id}/actions/register`, {}));
  }
  const other = await api(clerk, node.url, 'POST', '/documents/incoming', {
    issuer_name: 'Sở Tài chính', original_number_symbol: '77/STC', subject: 'Về việc quyết toán kinh phí',
  });
  await api(clerk, node.url, 'POST', `/documents/${other.id}/actions/register`, {});

  await clerk.goto(`${node.url}/books`);
  await clerk.locator('tbody tr.ant-table-row').first().waitFor();
  await clerk.getByLabel('Tìm kiếm').fill('lụt bão');
  await clerk.getByRole('button', { name: 'Lọc' }).click();
  await clerk.locator('tbody tr.ant-table-row', { hasText: 'đợt 24' }).waitFor();
  await clerk.getByRole('button', { name: 'In', exact: true }).click();
  await clerk.waitForURL(/\/books\/\d+\/print\?q=l%E1%BB%A5t(\+|%20)b%C3%A3o$/);
  await clerk.getByTestId('print-sheet').getByText('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN').waitFor();
  await clerk.waitForFunction(() => window.__printed === 1); // the button printed once the sheet was there

  const pdf = await printed(clerk, 'print-book-incoming');
  assert.ok(isA4(pdf.height, pdf.width), `landscape A4 (${pdf.width}×${pdf.height})`);
  assert.ok(pdf.pages >= 2, `24 entries take more than one sheet (${pdf.pages})`);
  const year = registered[0].arrival_date.slice(0, 4);
  for (const words of ['SỔ ĐĂNG KÝ VĂN BẢN ĐẾN', `Năm ${year}`, 'BỘ QUỐC PHÒNG', 'Tìm: “lụt bão”', '24 văn bản']) {
    assert.ok(pdf.page(1).includes(words), `the heading says ${words}`);
  }
  for (let n = 1; n <= pdf.pages; n++) {
    for (const heading of INCOMING_HEADINGS) assert.ok(pdf.page(n).includes(heading), `page ${n} has the column ${heading}`);
  }
  for (const d of registered) {
    assert.ok(pdf.text.includes(`${dmy(d.arrival_date)} ${d.arrival_number} ${d.issuer_name}`), `entry ${d.arrival_number} is on paper`);
  }
  assert.ok(pdf.text.includes('Báo cáo phòng chống lụt bão đợt 24 năm 2027'), 'the type is not said twice');
  assert.ok(!pdf.text.includes('quyết toán kinh phí'), 'what the filter leaves out is not printed');
  assert.ok(!pdf.text.includes('Đăng xuất') && !pdf.text.includes('Tất cả văn bản'), 'no header or menu on paper');

  // The same view with days: the heading says which.
  const today = registered[0].arrival_date;
  await clerk.goto(`${clerk.url().split('?')[0]}?from=${today}&to=${today}&q=${encodeURIComponent('đợt 7 ')}`);
  await clerk.getByText(`Từ ngày ${dmy(today)} đến ngày ${dmy(today)}`).waitFor();
  await clerk.getByText('1 văn bản').waitFor();
  assert.equal(await clerk.evaluate(() => window.__printed), 0, 'opened by its address, it does not print by itself');
});

test('the processing slip of an incoming document: one upright A4 sheet with the assignment, notes and signatures', async () => {
  const clerk = await printingPage('vanthu', '/');
  const letter = await api(clerk, node.url, 'POST', '/documents/incoming', {
    issuer_name: 'Bộ Tư lệnh Thủ đô Hà Nội', original_number_symbol: '1203/BTL-TM', original_date: '2026-11-30',
    subject: 'Về việc phối hợp bảo đảm an ninh dịp Tết Dương lịch',
  });
  const arrived = await api(clerk, node.url, 'POST', `/documents/${letter.id}/actions/register`, {});
  const leader = await printingPage('thutruong', '/');
  const spec = (await api(leader, node.url, 'GET', `/people?q=${encodeURIComponent('Lê Văn Chuyên')}`)).items[0];
  const units = (await api(leader, node.url, 'GET', '/units')).items;
  const supporting = units.find((u) => u.name === 'Phòng Kỹ thuật');
  await api(leader, node.url, 'POST', `/documents/${letter.id}/actions/assign`, {
    lead_user_id: spec.id, supporting_unit_ids: [supporting.id], deadline_working_days: 5,
    directive: 'Giao đồng chí Chuyên chủ trì, phối hợp Phòng Kỹ thuật.',
  });
  const specialist = await printingPage('chuyenvien', '/');
  await api(specialist, node.url, 'POST', `/documents/${letter.id}/actions/note`, { comment: 'Đã liên hệ Bộ Tư lệnh, dự thảo phương án.' });
  const doc = await api(leader, node.url, 'GET', `/documents/${letter.id}`);

  await leader.goto(`${node.url}/documents/${letter.id}`);
  await leader.getByRole('button', { name: 'In phiếu giải quyết' }).click();
  await leader.waitForURL(/\/documents\/\d+\/slip$/);
  await leader.getByText('PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN').waitFor();
  await leader.waitForFunction(() => window.__printed === 1);

  const pdf = await printed(leader, 'print-slip');
  assert.equal(pdf.pages, 1, 'one sheet');
  assert.ok(isA4(pdf.width, pdf.height), `upright A4 (${pdf.width}×${pdf.height})`);
  for (const words of [
    'PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN', `Số đến: ${arrived.arrival_number}`, `Ngày đến: ${dmy(arrived.arrival_date)}`,
    'Cơ quan ban hành: Bộ Tư lệnh Thủ đô Hà Nội', 'Số, ký hiệu: 1203/BTL-TM', 'Ngày văn bản: 30/11/2026',
    'Về việc phối hợp bảo đảm an ninh dịp Tết Dương lịch', 'Ý kiến chỉ đạo của lãnh đạo',
    'Giao đồng chí Chuyên chủ trì, phối hợp Phòng Kỹ thuật.', 'Đơn vị, người chủ trì: Lê Văn Chuyên',
    'Đơn vị phối hợp: Phòng Kỹ thuật', `Hạn giải quyết: ${dmy(doc.assignments[0].deadline)}`,
    'Người phân công: Phạm Quốc Trưởng', 'Đã liên hệ Bộ Tư lệnh, dự thảo phương án.',
    'LÃNH ĐẠO', 'NGƯỜI GIẢI QUYẾT', '(Ký, ghi rõ họ tên)',
  ]) {
    assert.ok(pdf.text.includes(words), `the slip says ${words}`);
  }
  assert.ok(!pdf.text.includes('Đăng xuất') && !pdf.text.includes('Quay lại'), 'no header or buttons on paper');
});

test('the document page prints without the menu, the header or its buttons', async () => {
  const leader = await printingPage('thutruong', '/');
  const found = await api(leader, node.url, 'GET', `/documents?box=outgoing&q=${encodeURIComponent('Quy chế công tác văn thư')}`);
  const id = found.items[0].id;
  await leader.goto(`${node.url}/documents/${id}`);
  await leader.getByRole('button', { name: 'In', exact: true }).click();
  await leader.waitForURL(/\/documents\/\d+\/print$/);
  await leader.getByTestId('print-sheet').getByText('Quá trình xử lý').waitFor();
  await leader.waitForFunction(() => window.__printed === 1);
  const pdf = await printed(leader, 'print-document');
  assert.ok(isA4(pdf.width, pdf.height), 'upright A4');
  for (const words of ['Quyết định ban hành Quy chế công tác văn thư', 'Thông tin văn bản', 'Chữ ký số', 'Chữ ký cá nhân',
    'Phân công', 'Quá trình xử lý', 'Phát hành']) {
    assert.ok(pdf.text.includes(words), `on paper: ${words}`);
  }
  for (const chrome of ['Đăng xuất', 'Tất cả văn bản', 'Quay lại', 'Bỏ qua menu']) {
    assert.ok(!pdf.text.includes(chrome), `not on paper: ${chrome}`);
  }

  // The page itself, printed from the browser's menu: the page alone too.
  await leader.goto(`${node.url}/documents/${id}`);
  await leader.getByRole('button', { name: 'Thu hồi' }).waitFor();
  const page = await printed(leader, 'print-document-page');
  assert.ok(page.text.includes('Quyết định ban hành Quy chế công tác văn thư'));
  for (const chrome of ['Đăng xuất', 'Tất cả văn bản', 'Thu hồi', 'Bỏ qua menu']) {
    assert.ok(!page.text.includes(chrome), `not on paper: ${chrome}`);
  }
});
