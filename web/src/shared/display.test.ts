import { describe, expect, it } from 'vitest';

// What people see is said one way (docs/web.md, "Patterns"): dates and
// times through shared/format.ts only, and never an internal id. These
// checks read the sources, so that a new page cannot slip back into
// `created_at.slice(0, 10)` (a UTC date) or "Văn bản đi #19".
const SOURCES = import.meta.glob<string>(['/src/**/*.ts', '/src/**/*.tsx', '!/src/**/*.test.ts', '!/src/app/api-schema.d.ts'],
  { query: '?raw', import: 'default', eager: true });

// [file, line number, line] for each line of the sources matching `pattern`,
// outside the files in `allowed`.
function offending(pattern: RegExp, allowed: string[] = []): string[] {
  const out: string[] = [];
  for (const [file, text] of Object.entries(SOURCES)) {
    if (allowed.some((a) => file.endsWith(a))) continue;
    text.split('\n').forEach((line, i) => {
      if (pattern.test(line) && !/^\s*\/\//.test(line)) out.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return out;
}

describe('dates are shown through shared/format.ts only', () => {
  const DATE_MODULES = ['/src/shared/format.ts', '/src/shared/today.ts'];

  it('has the sources to check', () => {
    expect(Object.keys(SOURCES).length).toBeGreaterThan(50);
  });

  it('formats no date with the browser’s zone or locale', () => {
    expect(offending(/toLocale(Date|Time)?String|toISOString|toUTCString|Intl\.DateTimeFormat/)).toEqual([]);
  });

  it('cuts no timestamp into a date', () => {
    expect(offending(/(_at|\bat|instant)\??\.(slice|substring|substr)\(/)).toEqual([]);
  });

  it('makes and reads dates in the date modules only', () => {
    expect(offending(/new Date\(|Date\.parse\(|\.get(UTC)?(FullYear|Month|Date|Hours|Minutes)\(|\bdayjs\(/, DATE_MODULES)).toEqual([]);
    expect(offending(/\.format\(\s*['"`][^'"`]*(YYYY|DD|HH|mm)/, DATE_MODULES)).toEqual([]);
  });
});

describe('no internal id is shown', () => {
  it('writes no "#<id>" into text or messages', () => {
    expect(offending(/#\{|`#\$\{|'#' ?\+/)).toEqual([]);
  });
});
