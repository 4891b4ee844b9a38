import { describe, expect, it } from 'vitest';
import { dayBefore, formatDate, formatDateTime, parseDate, vietnamToday } from './format';

describe('dates in Vietnamese office style, Vietnam time', () => {
  it('writes calendar dates as dd/MM/yyyy', () => {
    expect(formatDate('2026-11-23')).toBe('23/11/2026');
    expect(formatDate('2026-01-05')).toBe('05/01/2026');
    expect(formatDate(null)).toBe('');
  });

  // A clerk's report: a draft made at 00:30 in Hà Nội (17:30 UTC the day
  // before) showed the UTC date in the lists.
  it('writes the Vietnam day of an instant, never its UTC day', () => {
    expect(formatDate('2026-11-30T17:30:00.123456Z')).toBe('01/12/2026');
    expect(formatDate('2026-11-30T16:59:59Z')).toBe('30/11/2026');
    expect(formatDate('2026-12-31T17:00:00Z')).toBe('01/01/2027');
    expect(formatDate('2026-12-01T00:30:00+07:00')).toBe('01/12/2026');
    expect(formatDate('not a date')).toBe('not a date');
  });

  it('knows the day before a date, across months and leap years', () => {
    expect(dayBefore('2026-12-01')).toBe('2026-11-30');
    expect(dayBefore('2027-01-01')).toBe('2026-12-31');
    expect(dayBefore('2028-03-01')).toBe('2028-02-29');
  });

  it('shows instants in +07:00 whatever the zone of the browser', () => {
    // 17:30 UTC on the 22nd is 00:30 on the 23rd in Hà Nội.
    expect(formatDateTime('2026-11-22T17:30:00.000000Z')).toBe('23/11/2026 00:30');
    expect(formatDateTime('2026-11-22T16:59:59Z')).toBe('22/11/2026 23:59');
    expect(formatDateTime('2026-12-31T17:00:00Z')).toBe('01/01/2027 00:00');
    expect(formatDateTime('not a date')).toBe('not a date');
  });

  it("knows Vietnam's today across UTC midnight", () => {
    expect(vietnamToday(Date.parse('2026-11-22T16:59:59Z'))).toBe('2026-11-22');
    expect(vietnamToday(Date.parse('2026-11-22T17:00:00Z'))).toBe('2026-11-23');
  });

  it('reads dd/MM/yyyy back and refuses impossible dates', () => {
    expect(parseDate('23/11/2026')).toBe('2026-11-23');
    expect(parseDate(' 5/1/2026 ')).toBe('2026-01-05');
    expect(parseDate('29/02/2028')).toBe('2028-02-29');
    expect(parseDate('29/02/2027')).toBeNull();
    expect(parseDate('2026-11-23')).toBeNull();
  });
});
