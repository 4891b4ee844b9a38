// The web office on a phone (390×844) and a tablet (768×1024), issue #13:
// the side menu is a drawer opened from the header, the header keeps the
// account, the language and sign-out on screen, and a leader does the day's
// work on a phone — reads a draft, approves and signs it with the PIN,
// assigns an incoming document. The phone screenshots of docs/web.md
// (docs/img/phone-*.png) are taken here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, TABLET, api, login, openDialog, pdf, pickOption, shot, useNodeAndBrowser } from './harness.mjs';

let node;
let browser;
useNodeAndBrowser({}, (n, b) => {
  node = n;
  browser = b;
});

// How far the page scrolls sideways (0 when it fits).
const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

// Whether the element is wholly inside the viewport.
async function onScreen(locator, viewport) {
  const box = await locator.boundingBox();
  return !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height;
}

for (const [viewport, name] of [[PHONE, 'phone'], [TABLET, 'tablet']]) {
  test(`on a ${name} the menu is a drawer: the header's button opens and closes it, a choice navigates`, async () => {
    const page = await browser.newPage({ viewport });
    await login(page, node.url, 'chuyenvien', '/inbox');
    const menuButton = page.getByRole('button', { name: 'Menu chính' });
    const signOut = page.getByRole('button', { name: 'Đăng xuất' });
    for (const control of [menuButton, page.getByTestId('whoami'), page.getByLabel('Ngôn ngữ'), signOut]) {
      assert.ok(await onScreen(control, viewport), 'the header fits the screen');
    }
    assert.equal(await sideways(page), 0, 'the page does not scroll sideways');
    assert.equal(await page.getByRole('navigation').count(), 0, 'no side menu beside the page');
    if (name === 'phone') await shot(page, 'phone-inbox', { fullPage: false });

    const drawer = page.getByRole('dialog', { name: 'Menu chính' });
    await menuButton.click();
    await drawer.getByRole('menuitem', { name: 'Văn bản đi', exact: true }).waitFor();
    assert.equal(await menuButton.getAttribute('aria-expanded'), 'true');
    assert.ok(await drawer.getByRole('navigation', { name: 'Menu chính' }).isVisible());
    if (name === 'phone') await shot(page, 'phone-menu', { fullPage: false });
    // The button stays in view above the drawer and closes it again.
    await menuButton.click();
    await drawer.waitFor({ state: 'hidden' });
    assert.equal(await menuButton.getAttribute('aria-expanded'), 'false');

    // A choice navigates and closes the drawer.
    await menuButton.click();
    await drawer.getByRole('menuitem', { name: 'Văn bản đi', exact: true }).click();
    await page.waitForURL(/\/outgoing$/);
    await drawer.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: 'Văn bản đi' }).waitFor();

    // Escape closes it too.
    await menuButton.click();
    await drawer.getByRole('menuitem', { name: 'Dự thảo' }).waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    assert.match(page.url(), /\/outgoing$/);
  });
}

test('on a phone the account menu names the person; sign-out and the language are one tap away', async () => {
  const page = await browser.newPage({ viewport: PHONE });
  await login(page, node.url, 'chuyenvien', '/inbox');
  await page.getByRole('button', { name: 'Tài khoản: Lê Văn Chuyên' }).click();
  await page.getByText(/^Lê Văn Chuyên · /).waitFor();
  await page.getByRole('menuitem', { name: 'Đổi mã PIN ký số' }).waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
});

test('a leader on a phone reads a draft, approves and signs it with the PIN, and assigns an incoming document', async () => {
  // A draft with its PDF, submitted by the specialist; a letter registered by the clerk.
  const subject = 'Kế hoạch huấn luyện dự bị động viên năm 2027';
  const spec = await browser.newPage();
  await login(spec, node.url, 'chuyenvien');
  const draft = await api(spec, node.url, 'POST', '/documents', { subject, type_code: 'KH', recipient_unit_ids: [6] });
  await upload(spec, `/documents/${draft.id}/versions?file_name=ke-hoach.pdf`, pdf('Ke hoach 2027'));
  await api(spec, node.url, 'POST', `/documents/${draft.id}/actions/submit`, {});
  const letterSubject = 'Đề nghị phối hợp tổ chức diễn tập cứu hộ cứu nạn';
  const clerk = await browser.newPage();
  await login(clerk, node.url, 'vanthu');
  const letter = await api(clerk, node.url, 'POST', '/documents/incoming', {
    issuer_name: 'UBND tỉnh Quảng Ninh', original_number_symbol: '515/UBND-QS', subject: letterSubject,
  });
  await api(clerk, node.url, 'POST', `/documents/${letter.id}/actions/register`, {});

  const leader = await browser.newPage({ viewport: PHONE });
  await login(leader, node.url, 'thutruong', '/awaiting-approval');
  await leader.getByRole('link', { name: subject }).click();
  await leader.getByText('Chờ duyệt', { exact: true }).first().waitFor();
  // The draft itself, to read: the viewer's frame, once it has gone to the
  // file (the element comes first, on a busy machine well before its page).
  const viewer = await (await leader.locator('iframe[title="Xem văn bản"]').elementHandle()).contentFrame();
  await viewer.waitForURL((u) => u.pathname.includes(`/documents/${draft.id}/files/`));
  await viewer.waitForLoadState('load');
  await leader.waitForLoadState('networkidle');
  assert.ok(await onScreen(leader.getByRole('link', { name: 'Mở tệp' }), PHONE), 'the file opens on its own too');
  assert.equal(await sideways(leader), 0, 'the document page fits the phone');
  await shot(leader, 'phone-document', { fullPage: false });

  // Approve and sign: the PIN dialog fits the phone.
  await leader.getByRole('button', { name: 'Duyệt và ký' }).click();
  const pinDialog = await openDialog(leader);
  const pin = pinDialog.getByLabel('Mã PIN ký số');
  await pin.waitFor();
  assert.ok(await onScreen(leader.locator('.ant-modal'), PHONE), 'the PIN dialog is on screen');
  assert.ok(await onScreen(pinDialog.getByRole('button', { name: 'Duyệt và ký' }), PHONE));
  await pin.fill('123456');
  await shot(leader, 'phone-pin', { fullPage: false });
  await pin.press('Enter');
  await leader.getByText('Đã ký', { exact: true }).first().waitFor();
  await pinDialog.waitFor({ state: 'hidden' });
  await leader.getByTestId('signatures').getByText('Chữ ký cá nhân').waitFor();
  assert.equal((await api(leader, node.url, 'GET', `/documents/${draft.id}`)).state, 'signed');

  // Assign the letter, reached through the menu.
  await leader.getByRole('button', { name: 'Menu chính' }).click();
  await leader.getByRole('dialog', { name: 'Menu chính' }).getByRole('menuitem', { name: 'Chờ phân công' }).click();
  await leader.getByRole('link', { name: letterSubject }).click();
  await leader.getByRole('button', { name: 'Phân công xử lý' }).click();
  const assign = await openDialog(leader);
  assert.ok(await onScreen(leader.locator('.ant-modal'), PHONE), 'the assignment dialog fits the phone');
  await pickOption(leader, 'Người chủ trì', 'Chuyên', 'Lê Văn Chuyên');
  await assign.getByLabel('Ý kiến chỉ đạo').fill('Đồng chí Chuyên chủ trì, báo cáo trước hạn.');
  await assign.getByText(/^Hạn: \d\d\/\d\d\/\d{4}$/).waitFor();
  assert.equal(await sideways(leader), 0, 'the dialog does not widen the page');
  await assign.getByRole('button', { name: 'Phân công xử lý' }).click();
  await leader.getByText('Đã giao', { exact: true }).first().waitFor();
  const assigned = await api(leader, node.url, 'GET', `/documents/${letter.id}`);
  assert.equal(assigned.assignments.length, 1);
  assert.equal(assigned.assignments[0].directive, 'Đồng chí Chuyên chủ trì, báo cáo trước hạn.');
});

// A file uploaded in the page's session (the body as it is, not JSON).
async function upload(page, path, body) {
  const me = await (await page.request.get(`${node.url}/api/v1/me`)).json();
  const r = await page.request.post(`${node.url}/api/v1${path}`, {
    headers: { 'X-CSRF-Token': me.csrf_token, 'Content-Type': 'application/pdf' }, data: body,
  });
  assert.ok(r.ok(), `upload ${path}: ${r.status()} ${await r.text()}`);
}
