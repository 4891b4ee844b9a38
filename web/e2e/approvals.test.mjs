// Four eyes (issue #11), end to end: a privileged change is proposed by one
// person and takes effect only when a second approves it — a role granted by
// the administrator, a declassification proposed by the leader — each
// approved by the security officer on the approvals page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, openDialog, pdf, pickOption, shot, useNodeAndBrowser } from './harness.mjs';


let node;
let browser;
useNodeAndBrowser({}, (n, b) => {
  node = n;
  browser = b;
});

test('the administrator grants the security-officer role; it waits until the security officer approves', async () => {
  const admin = await browser.newPage();
  await login(admin, node.url, 'admin', '/admin/users');
  const row = admin.locator('tr', { hasText: 'Đỗ Thị Lan' });
  await row.getByRole('button', { name: 'Sửa' }).click();
  const dialog = await openDialog(admin);
  await pickOption(admin, 'Vai trò', null, 'Bảo mật');
  await dialog.getByText('Sửa · vanthu.cntt').click(); // closes the dropdown
  await dialog.getByRole('button', { name: 'Lưu' }).click();
  const notice = admin.getByTestId('awaiting-approval');
  await notice.getByText('Thay đổi đối với Đỗ Thị Lan chưa có hiệu lực: đang chờ người thứ hai phê duyệt.').waitFor();
  await notice.getByText('Cấp thêm vai trò: Bảo mật').waitFor();
  await row.getByText('Chờ phê duyệt', { exact: true }).waitFor();
  const users = await api(admin, node.url, 'GET', '/users?limit=100');
  const lan = users.items.find((u) => u.username === 'vanthu.cntt');
  assert.deepEqual(lan.roles, ['clerk'], 'nothing changed before the approval');
  await shot(admin, 'k1-admin-role-awaits-approval');

  const officer = await browser.newPage();
  await login(officer, node.url, 'baomat');
  await officer.getByRole('menuitem', { name: 'Chờ phê duyệt' }).click();
  const request = officer.locator('tr', { hasText: 'Đỗ Thị Lan' });
  await request.getByText('Cấp thêm vai trò: Bảo mật').waitFor();
  await request.getByText('Nguyễn Văn Quản').waitFor(); // who proposed it, by name
  await request.getByRole('button', { name: 'Phê duyệt', exact: true }).click();
  const confirm = await openDialog(officer);
  await confirm.getByText('Thay đổi dưới đây có hiệu lực ngay khi bạn phê duyệt.').waitFor();
  await shot(officer, 'k2-officer-confirms-role');
  await confirm.getByRole('button', { name: 'Phê duyệt', exact: true }).click();
  await officer.getByText('Không có đề nghị nào chờ phê duyệt').waitFor();
  await officer.getByText('Đã phê duyệt', { exact: true }).click();
  await officer.locator('tr', { hasText: 'Đỗ Thị Lan' }).getByText('Hoàng Minh Mật').waitFor();

  await admin.reload();
  await admin.locator('tr', { hasText: 'Đỗ Thị Lan' }).getByText('Bảo mật', { exact: true }).waitFor();
  assert.equal(await admin.locator('tr', { hasText: 'Đỗ Thị Lan' }).getByText('Chờ phê duyệt', { exact: true }).count(), 0);
  await shot(admin, 'k3-admin-role-granted');
});

test('the leader proposes to declassify a Mật document; the security officer approves', async () => {
  const clerk = await browser.newPage();
  await login(clerk, node.url, 'vanthu');
  const subject = 'Báo cáo tình hình bảo vệ bí mật nhà nước năm 2026';
  const doc = await api(clerk, node.url, 'POST', '/documents/incoming', {
    issuer_name: 'Cục Bảo vệ an ninh', original_number_symbol: '77/BC-BVAN', subject, classification: 'mat',
  });
  const me = await api(clerk, node.url, 'GET', '/me');
  const uploaded = await clerk.request.post(`${node.url}/api/v1/documents/${doc.id}/attachments?file_name=bao-cao.pdf`, {
    headers: { 'X-CSRF-Token': me.csrf_token, 'Content-Type': 'application/pdf' }, data: pdf('77/BC-BVAN'),
  });
  assert.equal(uploaded.status(), 201);

  const leader = await browser.newPage();
  // The preview: the file served as a sandboxed inline PDF still opens in Chromium's viewer.
  const viewer = leader.waitForEvent('framenavigated', { predicate: (f) => f.url().startsWith('chrome-extension://') });
  await login(leader, node.url, 'thutruong', `/documents/${doc.id}`);
  await leader.getByRole('heading', { name: subject }).waitFor();
  await viewer;
  await leader.getByRole('button', { name: 'Đề nghị giải mật' }).click();
  const dialog = await openDialog(leader);
  await dialog.getByText('Độ mật của văn bản chỉ được hạ sau khi cán bộ bảo mật phê duyệt đề nghị này.').waitFor();
  await dialog.getByLabel('Lý do giải mật').fill('Hết thời hạn bảo vệ bí mật theo Luật Bảo vệ bí mật nhà nước.');
  await shot(leader, 'l1-leader-proposes-declassification');
  await dialog.getByRole('button', { name: 'Gửi đề nghị' }).click();
  await leader.getByTestId('declassification-pending')
    .getByText('Đề nghị giải mật (Độ mật: Mật → Thường) đang chờ cán bộ bảo mật phê duyệt.').waitFor();
  assert.equal((await api(leader, node.url, 'GET', `/documents/${doc.id}`)).classification, 'mat');

  const officer = await browser.newPage();
  await login(officer, node.url, 'baomat', '/approvals');
  const request = officer.locator('tr', { hasText: subject });
  await request.getByText('77/BC-BVAN').waitFor();
  await request.getByText('Độ mật: Mật → Thường').waitFor();
  await request.getByText('Phạm Quốc Trưởng').waitFor();
  await request.getByRole('button', { name: 'Phê duyệt', exact: true }).click();
  const confirm = await openDialog(officer);
  await confirm.getByText(/^Văn bản được hạ độ mật ngay khi bạn phê duyệt/).waitFor();
  await confirm.getByRole('button', { name: 'Phê duyệt', exact: true }).click();
  await officer.getByText('Không có đề nghị nào chờ phê duyệt').waitFor();
  await shot(officer, 'l2-officer-approved-declassification');
  assert.equal((await api(officer, node.url, 'GET', `/documents/${doc.id}`)).classification, 'normal');

  await leader.reload();
  await leader.getByRole('heading', { name: subject }).waitFor();
  await leader.getByText('Giải mật', { exact: true }).first().waitFor(); // in the document's history
  assert.equal(await leader.getByRole('button', { name: 'Đề nghị giải mật' }).count(), 0);
  assert.equal(await leader.getByTestId('declassification-pending').count(), 0);
});
