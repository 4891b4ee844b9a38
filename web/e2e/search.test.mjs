// Search and the legal-documents database (issue #15), end to end: the
// header's box on every page (`/`, Ctrl+K, results as one types, grouped by
// kind, the matched words marked), the results page, a legal text imported
// by a clerk and read by its articles, citations that lead to the article
// they cite, and the rule that nobody finds what they may not read.
//
// One node for the three scenarios; the second imports its own small legal
// corpus (our JSON format) through the page's Import dialog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, attachFile, axe, isConsoleError, login, openDialog, pickOption, settled, shot, useNodeAndBrowser } from './harness.mjs';

let node;
let browser;
useNodeAndBrowser({}, (n, b) => {
  node = n;
  browser = b;
});

async function as(username, path) {
  const page = await browser.newPage();
  await login(page, node.url, username, path);
  return page;
}

const BOX = 'Tìm nhanh';
const box = (page) => page.getByRole('banner').getByRole('combobox', { name: BOX });
const dropdown = (page) => page.getByRole('banner').getByRole('listbox', { name: BOX });
// A hit of the box's open list, by text it holds; the list's groups, by name.
const option = (page, text) => dropdown(page).getByRole('option').filter({ hasText: text });
const groups = (page) => dropdown(page).getByRole('group').evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label')));
const focusedName = (page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName);
// Types into the box as a person does, key by key, and waits for the answer
// to the whole text (the box asks once typing pauses).
async function typeInBox(page, text) {
  const answered = page.waitForResponse((r) => {
    const u = new URL(r.url());
    return u.pathname === '/api/v1/search' && u.searchParams.get('q') === text.trim();
  });
  await page.keyboard.type(text);
  const r = await answered;
  assert.equal(r.status(), 200, `search for ${text}`);
  return r.json();
}
const DAY = /\d{2}\/\d{2}\/\d{4}/;

test('a clerk types a query without diacritics in the header box and finds a demo document by its subject', async () => {
  const subject = 'Về việc hướng dẫn lập hồ sơ điện tử'; // the demo's letter from Bộ Nội vụ, 4312/BNV-VTLTNN
  const clerk = await as('vanthu', '/books');

  // `/` on a page puts the focus in the header's box (once the box is
  // there: it loads after the frame).
  await box(clerk).waitFor();
  await clerk.keyboard.press('/');
  assert.equal(await focusedName(clerk), BOX);
  const answer = await typeInBox(clerk, 'huong dan lap ho so dien tu');
  assert.ok(answer.items.some((h) => h.kind === 'document' && h.title === subject), JSON.stringify(answer.items.map((h) => h.title)));

  // Grouped: the document under "Văn bản", its words marked, its number,
  // date, unit and state in words.
  const hit = option(clerk, subject);
  await hit.waitFor();
  const group = await groups(clerk);
  assert.equal(group[0], 'Văn bản', group.join());
  const marked = (await hit.locator('mark').allInnerTexts()).join(' ').toLowerCase();
  for (const word of ['hướng', 'dẫn', 'lập', 'hồ', 'sơ', 'điện', 'tử']) assert.ok(marked.includes(word), `${word} marked: ${marked}`);
  const text = await hit.innerText();
  assert.ok(text.includes('4312/BNV-VTLTNN'), text);
  assert.match(text, DAY);
  assert.ok(text.includes('Bộ Quốc phòng'), text);
  assert.ok(text.includes('Đã giao'), text); // assigned, as a word
  assert.doesNotMatch(text, /assigned|registered|document:/);
  await shot(clerk, 's1-header-box');
  // The open list passes axe: its roles, names and colours.
  assert.deepEqual(await axe(clerk), []);
  // A screen reader hears how many there are (the list's last line).
  const said = await clerk.getByRole('banner').getByRole('status').innerText();
  assert.match(said, /^Xem tất cả \d+ kết quả$/);
  assert.equal(said, await dropdown(clerk).getByRole('option').last().innerText());

  // Enter (no hit chosen) opens the results page with the query in its URL.
  await clerk.keyboard.press('Enter');
  await clerk.waitForURL(/\/search\?q=huong\+dan\+lap\+ho\+so\+dien\+tu$/);
  const results = clerk.getByRole('main').getByRole('list', { name: 'Tìm kiếm' });
  await results.getByRole('link', { name: new RegExp(subject) }).waitFor();
  await clerk.getByRole('group', { name: 'Loại kết quả' }).getByRole('checkbox', { name: /^Văn bản \(\d+\)$/ }).click();
  await clerk.waitForURL(/kind=document/);
  await clerk.getByRole('main').getByText('Mới nhất').click();
  await clerk.waitForURL(/sort=date/);
  await results.getByRole('link', { name: new RegExp(subject) }).waitFor();
  await shot(clerk, 's2-results-page');
  // A reload keeps it all.
  await clerk.reload();
  await results.getByRole('link', { name: new RegExp(subject) }).waitFor();
  assert.ok(await clerk.getByRole('group', { name: 'Loại kết quả' }).getByRole('checkbox', { name: /^Văn bản/ }).isChecked());

  // Ctrl+K from anywhere, a hit chosen with the arrow keys (the box names
  // the one it is on) and Enter: the document's page.
  await clerk.getByRole('main').click({ position: { x: 5, y: 5 } });
  await clerk.keyboard.press('Control+k');
  assert.equal(await focusedName(clerk), BOX);
  await box(clerk).fill('');
  await typeInBox(clerk, 'lap ho so dien tu');
  const wanted = option(clerk, subject);
  await wanted.waitFor();
  const count = await dropdown(clerk).getByRole('option').count();
  for (let i = 0; i < count && (await wanted.getAttribute('aria-selected')) !== 'true'; i++) await clerk.keyboard.press('ArrowDown');
  assert.equal(await wanted.getAttribute('aria-selected'), 'true');
  assert.equal(await box(clerk).getAttribute('aria-activedescendant'), await wanted.getAttribute('id'));
  await clerk.keyboard.press('Enter');
  await clerk.waitForURL(/\/documents\/\d+$/);
  await clerk.getByText(subject).first().waitFor();
});

// A small corpus in our JSON format: the law, and a decree that guides it
// and cites its article 5 in a text full of letters UTF-8 writes in two or
// three bytes (a citation's offsets are UTF-16 code units).
const CORPUS = {
  documents: [
    {
      number_symbol: '24/2018/QH14', title: 'Luật An ninh mạng', type: 'Luật', issuer: 'Quốc hội', signer: 'Nguyễn Thị Kim Ngân',
      field: 'An ninh, trật tự', signed_date: '2018-06-12', effective_date: '2019-01-01',
      articles: [
        { number: '1', title: 'Phạm vi điều chỉnh', text: 'Luật này quy định về hoạt động bảo vệ an ninh quốc gia và bảo đảm trật tự, an toàn xã hội trên không gian mạng.' },
        { number: '4', title: 'Nguyên tắc bảo vệ an ninh mạng', text: 'Tuân thủ Hiến pháp và pháp luật; bảo đảm lợi ích của Nhà nước, quyền và lợi ích hợp pháp của cơ quan, tổ chức, cá nhân.' },
        { number: '5', title: 'Biện pháp bảo vệ an ninh mạng', text: '1. Biện pháp bảo vệ an ninh mạng bao gồm:\na) Thẩm định an ninh mạng;\nb) Đánh giá điều kiện an ninh mạng;\nc) Kiểm tra an ninh mạng;\nd) Giám sát an ninh mạng;\nđ) Ứng phó, khắc phục sự cố an ninh mạng.' },
      ],
    },
    {
      number_symbol: '53/2022/NĐ-CP', title: 'Nghị định quy định chi tiết một số điều của Luật An ninh mạng', type: 'Nghị định',
      issuer: 'Chính phủ', signer: 'Lê Văn Thành', field: 'An ninh, trật tự', signed_date: '2022-08-15', effective_date: '2022-10-01',
      articles: [
        { number: '1', title: 'Phạm vi điều chỉnh', text: 'Nghị định này quy định chi tiết việc thực hiện các biện pháp bảo vệ an ninh mạng theo Điều 5 Luật An ninh mạng, được áp dụng thống nhất.' },
      ],
      relations: [{ kind: 'guides', number_symbol: '24/2018/QH14', title: 'Luật An ninh mạng' }],
    },
  ],
};

test('someone types a citation, "Điều 5 Luật An ninh mạng", and opens the article', async () => {
  // A clerk imports the corpus through the page's Import dialog.
  const clerk = await as('vanthu', '/legal');
  await clerk.getByRole('button', { name: 'Nhập văn bản' }).click();
  const dialog = await openDialog(clerk);
  await attachFile(clerk, { name: 'an-ninh-mang.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(CORPUS)) });
  const imported = clerk.waitForResponse((r) => r.url().includes('/api/v1/legal/import'));
  await dialog.getByRole('button', { name: 'Nhập', exact: true }).click();
  assert.equal((await imported).status(), 201);
  await dialog.getByText('Đã nhập 2 văn bản, 4 điều.').waitFor();
  await shot(clerk, 's3-imported');
  await dialog.getByRole('button', { name: 'Quay lại' }).click();
  await clerk.getByRole('main').getByRole('link', { name: '24/2018/QH14' }).waitFor();

  // The specialist reads the database (its menu entry) but imports nothing;
  // on a list page `/` is the list's, Ctrl+K the header's.
  const spec = await as('chuyenvien', '/inbox');
  await spec.getByRole('menuitem', { name: 'Văn bản pháp luật' }).waitFor();
  await box(spec).waitFor();
  await spec.keyboard.press('Control+k');
  assert.equal(await focusedName(spec), BOX);
  const answer = await typeInBox(spec, 'Điều 5 Luật An ninh mạng');
  const article = answer.items.find((h) => h.kind === 'article' && h.article_label === 'Điều 5');
  assert.ok(article, JSON.stringify(answer.items.map((h) => [h.kind, h.article_label, h.title])));
  const hit = option(spec, 'Biện pháp bảo vệ an ninh mạng');
  await hit.waitFor();
  assert.ok((await groups(spec)).includes('Điều'));
  const text = await hit.innerText();
  assert.ok(text.startsWith('Điều 5'), text);
  assert.ok(text.includes('24/2018/QH14') && text.includes('Quốc hội') && text.includes('Còn hiệu lực'), text);
  await shot(spec, 's4-citation-typed');
  await hit.click();

  // The law's page, at the article: in view, focused, marked.
  await spec.waitForURL(new RegExp(`/legal/${article.document_id}#article-${article.id}$`));
  const section = spec.locator(`#article-${article.id}`);
  await section.getByRole('heading', { name: 'Điều 5. Biện pháp bảo vệ an ninh mạng' }).waitFor();
  await spec.waitForFunction((id) => document.activeElement?.id === id, `article-${article.id}`);
  assert.ok(await section.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.top < window.innerHeight;
  }), 'the article is in view');
  const main = spec.getByRole('main');
  await main.getByRole('heading', { name: '24/2018/QH14 · Luật An ninh mạng' }).waitFor();
  await main.getByText('Còn hiệu lực', { exact: true }).waitFor();
  for (const v of ['Quốc hội', 'Nguyễn Thị Kim Ngân', '12/06/2018', '01/01/2019', 'An ninh, trật tự']) await main.getByText(v, { exact: true }).first().waitFor();
  await main.getByRole('navigation', { name: 'Mục lục' }).getByText('Điều 5. Biện pháp bảo vệ an ninh mạng').waitFor();
  assert.equal(await section.getByRole('button', { name: 'Sao chép liên kết đến điều này' }).count(), 1);
  await shot(spec, 's5-article');

  // In force on a day before 01/01/2019: not yet, asked with ?on=.
  const before = spec.waitForResponse((r) => r.url().includes(`/api/v1/legal/documents/${article.document_id}?on=2018-12-01`));
  const picker = main.getByLabel('Hiệu lực tại ngày');
  await picker.click();
  await picker.fill('01/12/2018');
  await picker.press('Enter');
  assert.equal((await before).status(), 200);
  await main.getByText('Chưa có hiệu lực', { exact: true }).waitFor();
  assert.ok(spec.url().includes('on=2018-12-01'));

  // The decree that guides it, named in words both ways; its citation of
  // "Điều 5 Luật An ninh mạng" is a link to the article.
  await main.getByText('Được hướng dẫn bởi').waitFor();
  await main.getByRole('link', { name: /53\/2022\/NĐ-CP/ }).click();
  await spec.waitForURL(/\/legal\/\d+$/);
  await main.getByText('Hướng dẫn', { exact: true }).waitFor();
  await main.getByRole('link', { name: /24\/2018\/QH14/ }).waitFor();
  const citation = main.locator('.legal-citation', { hasText: 'Điều 5' });
  await citation.waitFor();
  const cited = await citation.innerText();
  assert.match(cited, /^(theo )?Điều 5 Luật An ninh mạng$/, `the citation's words, cut at UTF-16 offsets: ${cited}`);
  await shot(spec, 's6-citation-link');
  await citation.click();
  await spec.waitForURL(new RegExp(`/legal/${article.document_id}#article-${article.id}$`));
  await spec.waitForFunction((id) => document.activeElement?.id === id, `article-${article.id}`);
  await settled(spec);

  // The database's list, filtered by type (in the URL); no Import button
  // for a specialist.
  await spec.getByRole('menuitem', { name: 'Văn bản pháp luật' }).click();
  await main.getByRole('link', { name: '24/2018/QH14' }).waitFor();
  assert.equal(await spec.getByRole('button', { name: 'Nhập văn bản' }).count(), 0);
  await pickOption(spec, 'Loại văn bản', null, 'Nghị định');
  await spec.waitForURL(/\/legal\?type=Ngh/);
  await main.getByRole('link', { name: '24/2018/QH14' }).waitFor({ state: 'detached' });
  await main.getByRole('link', { name: '53/2022/NĐ-CP' }).waitFor();
});

test('a user without clearance searches a word of a classified document and finds nothing of it', async () => {
  // The clerk (cleared to Tối mật) registers two letters that share words;
  // one is Tối mật. The administrator, in the same unit, is cleared to
  // Thường only.
  const clerk = await as('vanthu');
  const shared = 'kho tài liệu Hoa Sen';
  const secret = await api(clerk, node.url, 'POST', '/documents/incoming', {
    issuer_name: 'Bộ Tổng Tham mưu', original_number_symbol: '77/TM-TC', subject: `Phương án phòng thủ ${shared}`, classification: 'toi_mat',
  });
  const open = await api(clerk, node.url, 'POST', '/documents/incoming', {
    issuer_name: 'Bộ Tổng Tham mưu', original_number_symbol: '78/TM-TC', subject: `Kế hoạch kiểm kê ${shared}`,
  });

  // The cleared clerk finds both, the secret one with its classification.
  await box(clerk).click();
  await typeInBox(clerk, 'kho tai lieu hoa sen');
  await option(clerk, `Kế hoạch kiểm kê ${shared}`).waitFor();
  const secretHit = option(clerk, `Phương án phòng thủ ${shared}`);
  await secretHit.waitFor();
  await secretHit.getByText('Tối mật', { exact: true }).waitFor();

  const admin = await as('admin');
  await box(admin).click();
  const answer = await typeInBox(admin, 'kho tai lieu hoa sen');
  assert.deepEqual(answer.items.filter((h) => h.kind === 'document').map((h) => h.id), [open.id]);
  await option(admin, `Kế hoạch kiểm kê ${shared}`).waitFor();
  assert.equal(await option(admin, 'Phương án phòng thủ').count(), 0);
  // Its own words alone: nothing at all.
  await box(admin).fill('');
  const none = await typeInBox(admin, 'phuong an phong thu');
  assert.ok(!none.items.some((h) => h.id === secret.id && h.kind === 'document'));
  if (none.items.length === 0) await dropdown(admin).getByText('Không tìm thấy kết quả nào.').waitFor();
  await shot(admin, 's7-no-clearance-box');

  // The results page: one hit, no classification facet value above Thường.
  await box(admin).fill('');
  await typeInBox(admin, 'kho tai lieu hoa sen');
  await admin.keyboard.press('Enter');
  await admin.waitForURL(/\/search\?q=/);
  const main = admin.getByRole('main');
  await main.getByRole('link', { name: new RegExp(`Kế hoạch kiểm kê ${shared}`) }).waitFor();
  await main.getByText('1 kết quả', { exact: true }).waitFor();
  assert.equal(await main.getByText('Phương án phòng thủ').count(), 0);
  assert.equal(await main.getByText('Tối mật').count(), 0);
  const direct = await api(admin, node.url, 'GET', `/search?q=${encodeURIComponent('phương án phòng thủ kho tài liệu')}&kind=document`);
  assert.equal(direct.items.length, 0, JSON.stringify(direct.items));
  assert.ok(!(direct.facets.classification ?? []).some((f) => f.value !== 'normal'));
  await shot(admin, 's8-no-clearance-results');
});

test('a clerk types on while the browser is busy, and the box keeps every key', async () => {
  // Keys pressed while the page is busy (a page still arriving, a slow
  // machine) wait in the browser's queue, then come one right after
  // another. Each key then starts work that React finishes only after the
  // next key: a box whose every key schedules more updates from its effects
  // ran into React's limit of 50 nested updates and crashed (React error
  // #185), as a CI run once saw. Here the first key keeps the page busy for
  // a second, and the others are sent meanwhile.
  const clerk = await as('vanthu', '/books');
  // A crash: an error thrown out of an event, or one the header's error
  // boundary caught and wrote to the console.
  const errors = [];
  const crashed = new Promise((resolve) => {
    const crash = (message) => {
      errors.push(message);
      resolve(message);
    };
    clerk.on('pageerror', (e) => crash(e.message));
    clerk.on('console', (m) => {
      if (isConsoleError(m)) crash(m.text());
    });
  });
  await box(clerk).waitFor();
  await box(clerk).focus();
  await clerk.evaluate(() => {
    // How long each key waited in the queue (ms), to show that they did.
    window.keyWaits = [];
    window.addEventListener('keydown', (e) => window.keyWaits.push(performance.now() - e.timeStamp), { capture: true });
    window.addEventListener('keydown', () => {
      const start = performance.now();
      while (performance.now() - start < 1000);
    }, { capture: true, once: true });
  });
  const text = 'huong dan lap ho so dien tu va luu tru ho so cua bo noi vu ve cong tac van thu trong co quan nha nuoc';
  const answered = clerk.waitForResponse((r) => r.url().includes('/api/v1/search') && new URL(r.url()).searchParams.get('q') === text);
  const cdp = await clerk.context().newCDPSession(clerk);
  await Promise.all([...text].flatMap((key) => [
    cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key, text: key }),
    cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key }),
  ]));
  // The answer to the whole text, or the crash, whichever comes first.
  const first = await Promise.race([answered, crashed]);
  assert.deepEqual(errors, []);
  assert.equal(first.status(), 200);
  assert.equal(await box(clerk).inputValue(), text);
  const waits = await clerk.evaluate(() => window.keyWaits);
  assert.equal(waits.length, text.length);
  assert.ok(waits.filter((ms) => ms > 300).length >= 50, `keys that waited: ${waits.map(Math.round).join(' ')}`);
  await dropdown(clerk).getByText(/Không tìm thấy kết quả nào|Xem/).first().waitFor();
});
