import { describe, expect, it } from 'vitest';
import { withQuery } from '../../app/api';
import { CONG_VAN, filtered, filtersFromSearch, listQuery, searchOfFilters, statesOf, type ListFilters } from './listFilters';

const parse = (query: string, box: Parameters<typeof filtersFromSearch>[1] = 'all') =>
  filtersFromSearch(new URLSearchParams(query), box);

describe('document list filters in the URL', () => {
  const every: ListFilters = {
    q: 'quyết định', from: '2026-11-01', to: '2026-11-30', type: 'QĐ', state: 'issued', urgency: 'khan', unit: 6,
  };

  it('come back from the URL they were written to', () => {
    expect(parse(searchOfFilters(every).toString())).toEqual(every);
    expect(parse(searchOfFilters({ type: CONG_VAN }).toString())).toEqual({ type: CONG_VAN });
    expect(parse('')).toEqual({});
  });

  it('write the same URL for the same filters, and nothing for none', () => {
    expect(searchOfFilters(every).toString())
      .toBe('q=quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh&from=2026-11-01&to=2026-11-30&type=Q%C4%90&state=issued&urgency=khan&unit=6');
    expect(searchOfFilters({ q: '  ' }).toString()).toBe('');
    expect(filtered({})).toBe(false);
    expect(filtered({ urgency: 'normal' })).toBe(true);
  });

  it('leave out what a hand-typed or old link gets wrong instead of sending it', () => {
    expect(parse('from=2026-02-30&to=26/11/2026')).toEqual({});
    expect(parse('from=2026-11-30&to=2026-11-01')).toEqual({ from: '2026-11-30' }); // the end before the start
    expect(parse('urgency=rat_khan&unit=abc&type=<b>')).toEqual({});
    expect(parse('unit=-3')).toEqual({});
    expect(parse('unit=1.5')).toEqual({});
  });

  it('offer and keep only the states the box holds', () => {
    expect(statesOf('to_issue')).toEqual(['signed', 'numbered', 'sealed']);
    expect(statesOf('drafts')).toEqual([]); // one state: no filter
    expect(statesOf('received')).toEqual([]);
    expect(statesOf('all')).toContain('draft');
    expect(statesOf('all')).toContain('registered');
    expect(new Set(statesOf('all')).size).toBe(statesOf('all').length);
    expect(parse('state=draft', 'to_issue')).toEqual({});
    expect(parse('state=numbered', 'to_issue')).toEqual({ state: 'numbered' });
    expect(parse('state=registered', 'outgoing')).toEqual({});
  });

  it('narrow no box by unit that is not kept by unit', () => {
    expect(parse('unit=6', 'inbox')).toEqual({});
    expect(parse('unit=6', 'received')).toEqual({ unit: 6 });
  });

  it('ask the API for them, the inbox by deadline', () => {
    expect(withQuery('/documents', listQuery('to_issue', every, 'c1')))
      .toBe('/documents?box=to_issue&q=quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh&from=2026-11-01&to=2026-11-30&type=Q%C4%90'
        + '&state=issued&urgency=khan&unit_id=6&cursor=c1&limit=50');
    expect(withQuery('/documents', listQuery('inbox', {}))).toBe('/documents?box=inbox&sort=deadline&limit=50');
  });
});
