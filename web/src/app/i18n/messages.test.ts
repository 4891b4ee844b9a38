import { describe, expect, it } from 'vitest';
import { catalogue, format, isMessageKey, keysByFeature, LANGUAGES } from './catalogue';

describe('the three catalogues', () => {
  it('have every key in every language, none empty', () => {
    const vi = Object.keys(catalogue('vi')).sort();
    for (const lang of LANGUAGES) {
      const m = catalogue(lang);
      expect(Object.keys(m).sort()).toEqual(vi);
      for (const [k, v] of Object.entries(m)) expect(v.trim(), `${lang} ${k}`).not.toBe('');
    }
  });

  it('use the same parameters in every language', () => {
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const vi = catalogue('vi');
    for (const lang of LANGUAGES) {
      const m = catalogue(lang);
      for (const k of Object.keys(vi).filter(isMessageKey)) expect(params(m[k]), `${lang} ${k}`).toEqual(params(vi[k]));
    }
  });

  it('fills parameters and leaves unknown ones visible', () => {
    expect(format('Hạn: {date}', { date: '27/11/2026' })).toBe('Hạn: 27/11/2026');
    expect(format('{a} {b}', { a: 1 })).toBe('1 {b}');
  });

  // Merging would let one feature's row silently replace another's.
  it('gets each key from one feature only', () => {
    const seen = new Map<string, number>();
    keysByFeature().forEach((keys, i) => keys.forEach((k) => {
      expect(seen.get(k), `${k} in features ${seen.get(k)} and ${i}`).toBeUndefined();
      seen.set(k, i);
    }));
    expect(seen.size).toBe(Object.keys(catalogue('vi')).length);
  });

  it('knows its keys from the ones the server makes up', () => {
    expect(isMessageKey('state.draft')).toBe(true);
    expect(isMessageKey('state.some_new_state')).toBe(false);
  });
});
