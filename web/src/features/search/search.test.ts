import { describe, expect, it } from 'vitest';
import { ApiError, type Problem } from '../../app/api';
import { translator } from '../../app/i18n';
import {
  citationHref, citationPieces, facetValueLabel, facetValues, groupHits, hitHref, importFailure, legalFiltersFrom, outlineTree,
  relationLabel, searchFailure, searchFiltersFrom, searchHref, searchOfFilters, searchOfLegalFilters, searchQuery, stateLabel,
  statusLabel, toggleFacet,
} from './search';
import { RELATION_KINDS, STATUSES, type SearchHit } from './types';

const hit = (kind: SearchHit['kind'], id: number, document_id: number | null = null): SearchHit => ({
  kind, id, document_id, number_symbol: '', title: '', title_marks: [], snippet_marks: [], date: null, unit_name: null, state: null,
  classification: 'normal', type_name: '', issuer: '', status: null, article_label: null,
});

describe('where a hit leads', () => {
  it('opens a document, a legal document, an article at its anchor', () => {
    expect(hitHref(hit('document', 7))).toBe('/documents/7');
    expect(hitHref(hit('legal', 3))).toBe('/legal/3');
    expect(hitHref(hit('article', 12, 3))).toBe('/legal/3#article-12');
    expect(hitHref(hit('article', 12))).toBe('/legal/articles/12');
  });

  it('groups hits by kind in the box’s order, keeping the server’s order inside', () => {
    const groups = groupHits([hit('article', 1, 9), hit('document', 2), hit('article', 3, 9), hit('document', 4)]);
    expect(groups.map((g) => g.kind)).toEqual(['document', 'article']);
    expect(groups[0].items.map((h) => h.id)).toEqual([2, 4]);
    expect(groups[1].items.map((h) => h.id)).toEqual([1, 3]);
  });

  it('puts the query of the results page in its URL', () => {
    expect(searchHref('Điều 5 Luật An ninh mạng')).toBe('/search?q=%C4%90i%E1%BB%81u+5+Lu%E1%BA%ADt+An+ninh+m%E1%BA%A1ng');
    expect(new URLSearchParams(searchHref('a&b=c').split('?')[1]).get('q')).toBe('a&b=c');
  });
});

describe('citations', () => {
  it('cuts the text at UTF-16 offsets, as JavaScript indexes strings', () => {
    // "Điều" is 4 code units (Đ and the precomposed ề are one each); an emoji two.
    const text = 'Theo Điều 5 Luật này 👍 và Điều 7.';
    const start = text.indexOf('Điều 5');
    const end = start + 'Điều 5 Luật này'.length;
    const second = text.indexOf('Điều 7');
    const pieces = citationPieces(text, [
      { start: second, end: second + 'Điều 7'.length, article_id: 70, document_id: 1 },
      { start, end, article_id: 50, document_id: 1 },
    ]);
    expect(pieces.map((p) => [p.text, p.citation?.article_id ?? null])).toEqual([
      ['Theo ', null], ['Điều 5 Luật này', 50], [' 👍 và ', null], ['Điều 7', 70], ['.', null],
    ]);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
  });

  it('keeps the text whole when a citation is out of it, empty or overlapping', () => {
    const text = 'Khoản 1 Điều 2';
    const pieces = citationPieces(text, [
      { start: 0, end: 14, article_id: 1, document_id: 1 },
      { start: 8, end: 14, article_id: 2, document_id: 1 }, // inside the first
      { start: 3, end: 3, article_id: 3, document_id: 1 },
      { start: 10, end: 99, article_id: 4, document_id: 1 },
    ]);
    expect(pieces).toEqual([{ text, citation: { start: 0, end: 14, article_id: 1, document_id: 1 } }]);
    expect(citationPieces('', [])).toEqual([{ text: '', citation: null }]);
    expect(citationPieces('abc', [])).toEqual([{ text: 'abc', citation: null }]);
  });

  it('links to the article, else the document, else a search for the words', () => {
    const text = 'theo Luật Đất đai';
    expect(citationHref({ start: 0, end: 4, article_id: 5, document_id: 2 }, text)).toBe('/legal/2#article-5');
    expect(citationHref({ start: 0, end: 4, article_id: 5, document_id: null }, text)).toBe('/legal/articles/5');
    expect(citationHref({ start: 0, end: 4, article_id: null, document_id: 2 }, text)).toBe('/legal/2');
    expect(citationHref({ start: 5, end: 17, article_id: null, document_id: null }, text)).toBe(searchHref('Luật Đất đai'));
  });
});

describe('the results page’s URL', () => {
  it('reads and writes the query, the ticked facets, the sort and the match', () => {
    const f = searchFiltersFrom(new URLSearchParams('q=+an+ninh+&kind=legal|article|bogus&unit_id=2|x&year=2018&status=in_force|old&sort=date&match=any'));
    expect(f).toEqual({
      q: 'an ninh', sort: 'date', match: 'any',
      facets: { kind: ['legal', 'article'], unit: ['2'], year: ['2018'], status: ['in_force'] },
    });
    expect(searchOfFilters(f).toString()).toBe('q=an+ninh&kind=legal%7Carticle&year=2018&unit_id=2&status=in_force&sort=date&match=any');
    expect(searchFiltersFrom(searchOfFilters(f))).toEqual(f);
    expect(searchOfFilters(searchFiltersFrom(new URLSearchParams('q=x&sort=relevance'))).toString()).toBe('q=x');
  });

  it('asks the API with its parameter names, values separated by |', () => {
    const f = toggleFacet(toggleFacet(searchFiltersFrom(new URLSearchParams('q=a')), 'unit', '4', true), 'kind', 'document', true);
    expect(searchQuery(f, 'c1', 20)).toEqual({ q: 'a', sort: 'relevance', match: 'all', cursor: 'c1', limit: 20, unit_id: '4', kind: 'document' });
    const off = toggleFacet(f, 'unit', '4', false);
    expect(off.facets.unit).toBeUndefined();
  });

  it('lists a ticked value the answer no longer names, so it can be unticked', () => {
    expect(facetValues([{ value: 'a', label: 'A', count: 2 }], ['a', 'b'])).toEqual([
      { value: 'a', label: 'A', count: 2 }, { value: 'b', label: '', count: 0 },
    ]);
  });
});

describe('the legal database’s URL', () => {
  it('keeps real values only', () => {
    const f = legalFiltersFrom(new URLSearchParams('q=an+ninh&status=expired&year=20x&on=2024-02-30x&type=Lu%E1%BA%ADt'));
    expect(f).toEqual({ q: 'an ninh', type: 'Luật', issuer: undefined, field: undefined, status: 'expired', year: undefined, on: undefined });
    expect(searchOfLegalFilters({ ...f, on: '2024-03-01' }).toString()).toBe('q=an+ninh&type=Lu%E1%BA%ADt&status=expired&on=2024-03-01');
  });
});

describe('refusals', () => {
  const vi = translator('vi');
  const problem = (p: Partial<Problem>) => new ApiError({ status: 400, code: 'invalid_argument', ...p });

  it('says a refused query in words, whether the code is the problem’s or its field’s', () => {
    expect(searchFailure(problem({ errors: [{ field: 'q', code: 'query_too_long', message: 'At most 500 characters.' }] }), vi))
      .toBe('Từ khóa tìm kiếm quá dài (tối đa 500 ký tự).');
    expect(searchFailure(problem({ code: 'query_empty', detail: 'Type a word.' }), vi)).toBe('Hãy nhập từ khóa để tìm.');
    expect(searchFailure(problem({ status: 0, code: 'unavailable' }), vi)).toBe('Không kết nối được máy chủ, vui lòng thử lại.');
  });

  it('says which file, article or line an import stumbled on', () => {
    const said = importFailure(problem({
      detail: 'The request is not valid.',
      errors: [{ field: 'file', code: 'bad_legal_file', message: 'y.json, document 1: "title" is missing' }],
    }), vi);
    expect(said).toContain('y.json, document 1: "title" is missing');
    expect(said).not.toContain('The request is not valid.');
    expect(importFailure(problem({ code: 'bad_file', detail: 'x.csv, line 3: no title' }), vi)).toContain('x.csv, line 3: no title');
  });
});

describe('labels', () => {
  const vi = translator('vi');
  const en = translator('en');
  const fr = translator('fr');

  it('names every validity status and relation in each language', () => {
    for (const t of [vi, en, fr]) {
      for (const s of STATUSES) expect(statusLabel(t, s)).not.toMatch(/legal\.|_/);
      for (const kind of RELATION_KINDS) {
        for (const direction of ['out', 'in'] as const) {
          expect(relationLabel(t, { kind, direction, label: 'x' })).not.toBe('x');
        }
      }
    }
    expect(statusLabel(vi, 'partly_expired')).toBe('Hết hiệu lực một phần');
    expect(statusLabel(en, 'not_yet_in_force')).toBe('Not yet in force');
    expect(relationLabel(vi, { kind: 'amends', direction: 'in', label: '' })).toBe('Được sửa đổi, bổ sung bởi');
    expect(relationLabel(en, { kind: 'something_new' as never, direction: 'in', label: 'Liên quan' })).toBe('Liên quan');
  });

  it('translates kinds, states, classifications and statuses of facets; keeps the server’s other labels', () => {
    const v = (value: string, label = '') => ({ value, label, count: 1 });
    expect(facetValueLabel(en, 'kind', v('article', 'Điều'))).toBe('Articles');
    expect(facetValueLabel(fr, 'state', v('registered', 'Đã vào sổ'))).toBe('Enregistré');
    expect(facetValueLabel(en, 'state', v('new_state', 'Trạng thái mới'))).toBe('Trạng thái mới');
    expect(facetValueLabel(en, 'classification', v('mat', 'Mật'))).toBe('Confidential');
    expect(facetValueLabel(fr, 'status', v('expired', 'Hết hiệu lực toàn bộ'))).toBe('Abrogé');
    expect(facetValueLabel(en, 'issuer', v('Quốc hội', 'Quốc hội'))).toBe('Quốc hội');
    expect(facetValueLabel(en, 'type', v('BC', 'BC'))).toBe('Report');
    expect(facetValueLabel(en, 'type', v('Luật', 'Luật'))).toBe('Luật');
    expect(facetValueLabel(en, 'unit', v('2'), (id) => `unit ${id}`)).toBe('unit 2');
    expect(stateLabel(vi, null, null)).toBe('');
  });
});

describe('the outline', () => {
  it('nests entries under the nearest less deep one before them', () => {
    const tree = outlineTree([
      { label: 'Chương I', title: 'Những quy định chung', article_id: null, depth: 0 },
      { label: 'Điều 1', title: 'Phạm vi điều chỉnh', article_id: 11, depth: 1 },
      { label: 'Điều 2', title: null, article_id: 12, depth: 1 },
      { label: 'Chương II', title: null, article_id: null, depth: 0 },
      { label: 'Mục 1', title: 'Chung', article_id: null, depth: 1 },
      { label: 'Điều 3', title: null, article_id: 13, depth: 2 },
    ]);
    expect(tree.map((n) => n.title)).toEqual(['Chương I. Những quy định chung', 'Chương II']);
    expect(tree[0].children.map((n) => [n.key, n.title])).toEqual([['article-11', 'Điều 1. Phạm vi điều chỉnh'], ['article-12', 'Điều 2']]);
    expect(tree[1].children[0].children[0].articleId).toBe(13);
  });
});
