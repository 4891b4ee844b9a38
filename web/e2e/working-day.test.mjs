// A working day in the web office, end to end: real `chancery serve`, real
// chromium, clicks and keys as a person would use them. Every scenario ends
// with a screenshot in the test output folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, attachFile, docIdOf, login, openDialog, pdf, pickOption, shot, useNodeAndBrowser } from './harness.mjs';


let node;
let browser;
useNodeAndBrowser({}, (n, b) => {
  node = n;
  browser = b;
});

test('clerk registers from a scan, leader assigns, specialist completes', async () => {
  const subject = 'Về việc tổ chức diễn tập phòng thủ dân sự năm 2027';
  // Clerk: the incoming register form, with the scan.
  const clerk = await browser.newPage();
  await login(clerk, node.url, 'vanthu', '/register');
  await clerk.getByLabel('Cơ quan ban hành').fill('UBND tỉnh Lào Cai');
  await clerk.getByLabel('Số, ký hiệu').fill('2045/UBND-NC');
  await clerk.getByLabel('Người ký').fill('Trịnh Xuân Trường');
  await clerk.getByLabel('Trích yếu').fill(subject);
  await pickOption(clerk, 'Độ khẩn', null, 'Khẩn');
  await attachFile(clerk, { name: 'scan-2045.pdf', mimeType: 'application/pdf', buffer: pdf('2045/UBND-NC') });
  await clerk.getByRole('button', { name: 'Vào sổ' }).click();
  await clerk.waitForURL(/\/documents\/\d+$/);
  const id = docIdOf(clerk);
  await clerk.getByText('Đã vào sổ', { exact: true }).first().waitFor();
  assert.ok(await clerk.locator('iframe[title="Xem văn bản"]').count(), 'the scan is previewed in the page');
  await shot(clerk, 'a1-clerk-registered');

  // The same number from the same issuer again: warned before saving.
  await clerk.goto(`${node.url}/register`);
  await clerk.getByLabel('Cơ quan ban hành').fill('UBND tỉnh Lào Cai');
  await clerk.getByLabel('Số, ký hiệu').fill('2045/UBND-NC');
  await clerk.getByText('Cảnh báo trùng văn bản').waitFor();
  await shot(clerk, 'a2-clerk-duplicate-warning');

  // Leader: assigns it to the specialist with a deadline in working days.
  const leader = await browser.newPage();
  await login(leader, node.url, 'thutruong', '/awaiting-assignment');
  await leader.getByRole('link', { name: subject }).click();
  await leader.getByRole('button', { name: 'Phân công xử lý' }).click();
  const dialog = await openDialog(leader);
  await pickOption(leader, 'Người chủ trì', 'Chuyên', 'Lê Văn Chuyên');
  await dialog.getByLabel('Thời hạn (ngày làm việc)').fill('5');
  await dialog.getByText(/^Hạn: \d\d\/\d\d\/\d{4}$/).waitFor();
  await dialog.getByLabel('Ý kiến chỉ đạo').fill('Chủ trì tham mưu, báo cáo trước hạn.');
  await shot(leader, 'a3-leader-assigns');
  await dialog.getByRole('button', { name: 'Phân công xử lý' }).click();
  await leader.getByText('Đã giao', { exact: true }).first().waitFor();

  // Specialist: the inbox, the document, a processing note, done.
  const spec = await browser.newPage();
  await login(spec, node.url, 'chuyenvien', '/inbox');
  await spec.getByRole('link', { name: subject }).waitFor();
  await shot(spec, 'inbox');
  await spec.getByRole('link', { name: subject }).click();
  await spec.getByRole('button', { name: 'Ghi ý kiến xử lý' }).click();
  const note = await openDialog(spec);
  await note.getByLabel('Ý kiến').fill('Đã dự thảo kế hoạch, xin ý kiến Thủ trưởng.');
  await note.getByRole('button', { name: 'Ghi ý kiến xử lý' }).click();
  await spec.getByText('Đang xử lý', { exact: true }).first().waitFor();
  await spec.getByRole('button', { name: 'Hoàn thành' }).click();
  // Completing cannot be undone: the dialog says so before anything happens.
  const complete = await openDialog(spec);
  await complete.getByText(/Không thể hoàn tác/).waitFor();
  await complete.getByRole('button', { name: 'Hoàn thành' }).click();
  await spec.getByText('Đã hoàn thành', { exact: true }).first().waitFor();
  await spec.getByRole('tab', { name: /Quá trình xử lý/ }).click();
  await spec.getByText('Phạm Quốc Trưởng').first().waitFor(); // who assigned it, by name
  await shot(spec, 'a4-specialist-completed');
  const done = await api(spec, node.url, 'GET', `/documents/${id}`);
  assert.equal(done.state, 'completed');
  assert.equal(done.processing_notes.length, 1);
});

test('specialist drafts, leader approves and signs, clerk numbers and issues, the other unit receives', async () => {
  const subject = 'Kế hoạch chuyển đổi số năm 2027 của Văn phòng Bộ';
  const spec = await browser.newPage();
  await login(spec, node.url, 'chuyenvien', '/documents/new');
  await pickOption(spec, 'Loại văn bản', 'KH', 'KH —');
  await spec.getByLabel('Trích yếu').fill(subject);
  await pickOption(spec, 'Nơi nhận', 'Công nghệ', 'Cục Công nghệ thông tin');
  await spec.keyboard.press('Escape');
  await attachFile(spec, { name: 'du-thao-v1.pdf', mimeType: 'application/pdf', buffer: pdf('Du thao v1') });
  await spec.getByRole('button', { name: 'Lưu và trình duyệt' }).click();
  await spec.waitForURL(/\/documents\/\d+$/);
  const id = docIdOf(spec);
  await spec.getByText('Chờ duyệt', { exact: true }).first().waitFor();
  await shot(spec, 'b1-specialist-submitted');

  const leader = await browser.newPage();
  await login(leader, node.url, 'thutruong', '/awaiting-approval');
  await leader.getByRole('link', { name: subject }).click();
  await leader.getByRole('button', { name: 'Duyệt và ký' }).click();
  // The signing PIN: a wrong one first — refused under the field, the
  // dialog stays, the document is approved but not signed.
  const pinDialog = await openDialog(leader);
  const pin = pinDialog.getByLabel('Mã PIN ký số');
  await pin.fill('000000');
  await pin.press('Enter');
  await pinDialog.getByText(/^Mã PIN không đúng \(còn \d+ lần thử\)$/).waitFor();
  assert.equal(await pin.inputValue(), '', 'the wrong PIN is cleared');
  await leader.getByText('Đã duyệt', { exact: true }).first().waitFor();
  assert.equal((await api(leader, node.url, 'GET', `/documents/${id}`)).state, 'approved');
  await shot(leader, 'b2-leader-wrong-pin');
  await pin.fill('123456');
  await pin.press('Enter');
  await leader.getByText('Đã ký', { exact: true }).first().waitFor();
  await pinDialog.waitFor({ state: 'hidden' });
  await leader.getByTestId('signatures').getByText('Chữ ký cá nhân').waitFor();
  await shot(leader, 'b3-leader-signed');

  const clerk = await browser.newPage();
  await login(clerk, node.url, 'vanthu', `/documents/${id}`);
  await clerk.getByRole('button', { name: 'Cấp số và phát hành' }).click();
  const confirmIssue = await openDialog(clerk);
  await confirmIssue.getByText(/gửi ngay đến các nơi nhận/).waitFor(); // what issuing does, before it does it
  await shot(clerk, 'b4a-clerk-confirms-issue');
  await confirmIssue.getByRole('button', { name: 'Cấp số và phát hành' }).click();
  await clerk.getByText('Đã phát hành', { exact: true }).first().waitFor();
  const issued = await api(clerk, node.url, 'GET', `/documents/${id}`);
  assert.match(issued.number_symbol, /^\d+\/KH-/);
  await clerk.getByText(issued.number_symbol).first().waitFor();
  // Two signatures made (the leader's, the organisation's), one check at issue.
  const card = clerk.getByTestId('signatures');
  const rows = card.locator('tr.ant-table-row');
  const issuedRow = rows.filter({ hasText: 'Kiểm tra khi phát hành' });
  await issuedRow.getByText('Hợp lệ', { exact: true }).waitFor();
  assert.equal(await rows.filter({ hasText: 'Chữ ký cá nhân' }).count(), 1);
  assert.equal(await rows.filter({ hasText: 'Chữ ký cơ quan' }).count(), 1);
  // The page reloads its cards after the issue (signatures, exchange): expand
  // the row once they have settled, or again if a reload folded it.
  const report = card.getByTestId('validation-report');
  await clerk.waitForLoadState('networkidle');
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!(await report.first().isVisible())) await issuedRow.locator('.ant-table-row-expand-icon').click();
    try {
      await report.getByText('Phạm Quốc Trưởng').first().waitFor({ timeout: 10000 });
      break;
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
  await report.getByText('Bao trùm toàn bộ tệp').first().waitFor();
  await shot(clerk, 'b4-clerk-issued');

  const other = await browser.newPage();
  await login(other, node.url, 'vanthu.cntt', '/incoming');
  await other.getByRole('link', { name: subject }).click();
  await other.getByTestId('signatures').locator('tr.ant-table-row', { hasText: 'Kiểm tra khi nhận' })
    .getByText('Hợp lệ', { exact: true }).waitFor();
  await shot(other, 'b5-receiving-unit');
});

test('a classified document stays hidden from a user without clearance, even by URL', async () => {
  const clerk = await browser.newPage();
  await login(clerk, node.url, 'vanthu');
  const secret = await api(clerk, node.url, 'POST', '/documents/incoming', {
    issuer_name: 'Bộ Tổng Tham mưu', original_number_symbol: '88/TM-TC',
    subject: 'Phương án tác chiến bí mật số 7', classification: 'toi_mat',
  });
  const spec = await browser.newPage(); // clearance: Mật only
  await login(spec, node.url, 'chuyenvien', `/documents/${secret.id}`);
  await spec.getByText('Không tìm thấy văn bản, hoặc bạn không có quyền xem văn bản này.').waitFor();
  assert.equal(await spec.getByText('Phương án tác chiến bí mật số 7').count(), 0);
  await spec.goto(`${node.url}/documents?q=ph%C6%B0%C6%A1ng`);
  await shot(spec, 'c1-no-clearance');
});

test('the language switch changes the UI and is remembered for the user', async () => {
  const page = await browser.newPage();
  await page.goto(node.url);
  await page.getByLabel('Ngôn ngữ').selectOption({ label: 'English' });
  await page.getByLabel('Username').fill('chuyenvien');
  await page.getByLabel('Password').fill('Chancery@2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.getByRole('menuitem', { name: 'My inbox' }).waitFor();
  await page.getByLabel('Language').selectOption({ label: 'Français' });
  await page.getByRole('menuitem', { name: 'À traiter' }).waitFor();
  await shot(page, 'd1-french');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByRole('button', { name: 'Se connecter' }).waitFor();

  // Another browser, nothing stored locally: the user's language comes back.
  const fresh = await browser.newPage();
  await login(fresh, node.url, 'chuyenvien', '/inbox');
  await fresh.getByRole('button', { name: 'Se déconnecter' }).waitFor();
  const me = await api(fresh, node.url, 'GET', '/me');
  assert.equal(me.language, 'fr');
  await api(fresh, node.url, 'PUT', '/me/language', { language: 'vi' });
});

test('clerk returns a document to its sender with a reason', async () => {
  const clerk = await browser.newPage();
  await login(clerk, node.url, 'vanthu');
  const d = await api(clerk, node.url, 'POST', '/documents/incoming', {
    issuer_name: 'Công ty TNHH Minh Phát', original_number_symbol: '12/CV-MP', subject: 'Đề nghị gặp mặt trao đổi',
  });
  await clerk.goto(`${node.url}/documents/${d.id}`);
  await clerk.getByRole('button', { name: 'Trả lại nơi gửi' }).click();
  const back = await openDialog(clerk);
  await back.getByRole('button', { name: 'Trả lại nơi gửi' }).click();
  await back.getByText('Bắt buộc nhập').waitFor(); // validated before sending
  await back.getByLabel('Lý do trả lại').fill('Không thuộc thẩm quyền giải quyết của Bộ.');
  await back.getByRole('button', { name: 'Trả lại nơi gửi' }).click();
  await clerk.getByText('Đã trả lại', { exact: true }).first().waitFor();
  await clerk.getByText(/Không thuộc thẩm quyền/).first().waitFor();
  await shot(clerk, 'e1-returned');
});

test('register books filter and export; the leader sees the workload chart', async () => {
  const clerk = await browser.newPage();
  await login(clerk, node.url, 'vanthu', '/books');
  await clerk.locator('tbody tr.ant-table-row').first().waitFor();
  await clerk.getByRole('columnheader', { name: 'Chữ ký số' }).waitFor();
  const csv = await clerk.getByRole('link', { name: 'Xuất CSV' }).getAttribute('href');
  assert.match(csv, /\/export\?format=csv/);
  const r = await clerk.request.get(node.url + csv);
  assert.equal(r.status(), 200);
  await shot(clerk, 'f1-register-book');

  const leader = await browser.newPage();
  await login(leader, node.url, 'thutruong', '/dashboard');
  await leader.locator('[aria-label="Tình hình xử lý văn bản"] canvas').waitFor();
  const share = leader.getByTestId('signature-share');
  await share.getByText('Tỷ lệ văn bản ký số đủ hai chữ ký').waitFor();
  await share.getByText('Mục tiêu 80 %').waitFor();
  await shot(leader, 'f2-dashboard');
});

test('the security officer verifies the audit chain', async () => {
  const sec = await browser.newPage();
  await login(sec, node.url, 'baomat', '/security/audit');
  await sec.getByRole('button', { name: 'Xác minh chuỗi' }).click();
  await sec.getByRole('status').filter({ hasText: 'toàn vẹn' }).waitFor();
  await shot(sec, 'g1-audit-verified');
});

test('the administrator adds a unit and dissolves it into a successor', async () => {
  const admin = await browser.newPage();
  await login(admin, node.url, 'admin', '/admin/units');
  await admin.getByRole('treeitem', { name: 'Cục Công nghệ thông tin' }).click();
  await admin.getByRole('button', { name: 'Thêm đơn vị' }).click();
  const add = await openDialog(admin);
  await add.getByLabel('Tên đơn vị').fill('Phòng An toàn thông tin');
  await add.getByLabel('Viết tắt').fill('ATTT');
  await add.getByRole('button', { name: 'Tạo' }).click();
  await admin.getByRole('treeitem', { name: 'Phòng An toàn thông tin' }).click();
  await admin.getByRole('button', { name: 'Sắp xếp lại' }).click();
  const reorg = await openDialog(admin);
  await reorg.getByText('Giải thể', { exact: true }).click();
  await pickOption(admin, 'Đơn vị kế thừa', 'Kỹ thuật', 'Phòng Kỹ thuật');
  await admin.keyboard.press('Escape');
  await reorg.getByLabel('Căn cứ, ghi chú').fill('Quyết định số 15/QĐ-BQP');
  await shot(admin, 'h1-admin-dissolve');
  await reorg.getByRole('button', { name: 'Sắp xếp lại' }).click();
  await admin.getByText(/^Đã sắp xếp lại; \d+ việc đang xử lý được chuyển$/).waitFor();
  const units = await api(admin, node.url, 'GET', '/units');
  const gone = units.items.find((u) => u.abbreviation === 'ATTT');
  assert.equal(gone.active, false);
  await shot(admin, 'h2-admin-units');
});

test('the security officer issues a certificate to a specialist, then revokes it', async () => {
  const sec = await browser.newPage();
  await login(sec, node.url, 'baomat', '/certificates');
  const row = (text) => sec.locator('tr.ant-table-row', { hasText: text });
  await row('Phạm Quốc Trưởng').filter({ hasText: 'Đang hiệu lực' }).waitFor();
  assert.equal(await sec.getByText('BEGIN').count(), 0, 'no key or PEM on the page');
  await sec.getByRole('button', { name: 'Cấp chứng thư số' }).click();
  const issue = await openDialog(sec);
  await pickOption(sec, 'Người được cấp', 'Chuyên', 'Lê Văn Chuyên');
  await issue.getByLabel('Mã PIN ký số').fill('654321');
  await issue.getByLabel('Nhập lại mã PIN').fill('654320');
  await issue.getByRole('button', { name: 'Cấp chứng thư số' }).click();
  await issue.getByText('Hai mã PIN không khớp').waitFor(); // checked before sending
  await issue.getByLabel('Nhập lại mã PIN').fill('654321');
  await shot(sec, 'i1-issue-certificate');
  await issue.getByRole('button', { name: 'Cấp chứng thư số' }).click();
  await row('Lê Văn Chuyên').filter({ hasText: 'Đang hiệu lực' }).waitFor();

  await row('Lê Văn Chuyên').getByRole('button', { name: 'Thu hồi' }).click();
  const revoke = await openDialog(sec);
  await revoke.getByRole('button', { name: 'Thu hồi' }).click();
  await revoke.getByText('Bắt buộc nhập').waitFor(); // the reason is required
  await revoke.getByLabel('Lý do thu hồi').fill('Cấp nhầm, chuyên viên không ký văn bản.');
  await revoke.getByRole('button', { name: 'Thu hồi' }).click();
  await row('Lê Văn Chuyên').filter({ hasText: 'Đã thu hồi' }).waitFor();
  await row('Lê Văn Chuyên').getByText(/Cấp nhầm/).waitFor();
  const certs = await api(sec, node.url, 'GET', '/pki/certificates?profile=person&status=revoked');
  assert.equal(certs.items.length, 1);
  await shot(sec, 'i2-certificate-revoked');
});

test('a specialist verifies the signed PDF of an issued decision', async () => {
  const spec = await browser.newPage();
  await login(spec, node.url, 'chuyenvien', '/verify');
  const found = await api(spec, node.url, 'GET', `/documents?box=all&q=${encodeURIComponent('Quy chế công tác văn thư')}`);
  const decision = await api(spec, node.url, 'GET', `/documents/${found.items[0].id}`);
  const latest = decision.versions[decision.versions.length - 1];
  const file = await spec.request.get(`${node.url}/api/v1/documents/${decision.id}/files/${latest.sha256}`);
  assert.equal(file.status(), 200);
  await spec.locator('input[type=file]').setInputFiles({ name: 'quyet-dinh-da-ky.pdf', mimeType: 'application/pdf', buffer: await file.body() });
  const report = spec.getByTestId('validation-report');
  await report.getByText('Hợp lệ', { exact: true }).first().waitFor();
  await report.getByText('Phạm Quốc Trưởng').first().waitFor();
  await report.getByText('Bộ Quốc phòng').first().waitFor();
  assert.equal(await report.getByText('Không hợp lệ', { exact: true }).count(), 0);
  await shot(spec, 'j1-verified');
});
