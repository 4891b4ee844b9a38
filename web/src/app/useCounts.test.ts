import { describe, expect, it } from 'vitest';
import type { Role } from './api-types';
import { DEFAULT_POLL_MS, pollInterval, sourcesFor, type CountedEntry } from './useCounts';
import { FEATURES } from './registry';

describe('the menu counts', () => {
  it('are polled every 30 seconds unless a test stores another interval', () => {
    expect(DEFAULT_POLL_MS).toBe(30_000);
    expect(pollInterval(null)).toBe(30_000);
    expect(pollInterval('')).toBe(30_000);
    expect(pollInterval('soon')).toBe(30_000);
    expect(pollInterval('250')).toBe(250);
    expect(pollInterval('1')).toBe(100); // never a busy loop
    expect(pollInterval('1e12')).toBe(3_600_000);
  });

  it('ask each feature once, only for the entries the person sees', () => {
    const entries: CountedEntry[] = [
      { path: '/a', roles: ['clerk'], source: 1, count: 'a' },
      { path: '/b', roles: ['leader'], source: 1, count: 'b' },
      { path: '/c', roles: ['leader'], source: 3, count: 'c' },
    ];
    const as = (...mine: Role[]) => (...roles: Role[]) => roles.some((r) => mine.includes(r));
    expect(sourcesFor(entries, as('clerk'))).toEqual([1]);
    expect(sourcesFor(entries, as('leader', 'clerk'))).toEqual([1, 3]);
    expect(sourcesFor(entries, as('administrator'))).toEqual([]);
  });

  // A count names a key of its own feature's answer: a feature whose menu
  // names a count must say where counts come from.
  it('come from the feature whose menu entry names them', () => {
    for (const f of FEATURES) {
      const named = f.routes.some((r) => r.menu && 'count' in r.menu && r.menu.count);
      if (named) expect('counts' in f, 'a feature with counted entries has counts').toBe(true);
    }
    const documents = FEATURES.find((f) => f.routes.some((r) => r.path === '/to-issue'))!;
    const counted = documents.routes.flatMap((r) => (r.menu && 'count' in r.menu && r.menu.count ? [r.menu.count] : []));
    expect(counted.sort()).toEqual(['awaiting_approval', 'awaiting_assignment', 'inbox', 'received', 'to_issue']);
  });
});
