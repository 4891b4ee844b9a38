import { afterEach, describe, expect, it, vi } from 'vitest';
import { dayOf, pickerCalendarOn, todayOf } from './today';

// Issue 11: at 00:30 in Hà Nội (17:30 UTC the day before) a browser in UTC
// proposed yesterday. The node's day must come out whatever the zone.
const ZONES = ['UTC', 'Asia/Ho_Chi_Minh', 'America/Los_Angeles', 'Pacific/Kiritimati'];
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the node's today", () => {
  it('is the day GET /me names, whatever the browser clock says', () => {
    const utcEvening = Date.parse('2026-11-30T17:30:00Z'); // 00:30 on 1 December in Hà Nội
    expect(todayOf({ today: '2026-12-01' }, utcEvening)).toBe('2026-12-01');
    expect(todayOf({ today: '2027-03-15' }, utcEvening)).toBe('2027-03-15');
  });

  it("falls back to the browser's clock read in Vietnam when the node does not say", () => {
    const utcEvening = Date.parse('2026-11-30T17:30:00Z');
    expect(todayOf(null, utcEvening)).toBe('2026-12-01');
    expect(todayOf({}, utcEvening)).toBe('2026-12-01');
    expect(todayOf({ today: '01/12/2026' }, utcEvening)).toBe('2026-12-01');
  });

  it.each(ZONES)('is the same calendar day in a browser in %s', (zone) => {
    vi.stubEnv('TZ', zone); // Node reads the zone again when TZ changes
    const day = dayOf('2026-12-01');
    expect(day.format('YYYY-MM-DD')).toBe('2026-12-01');
    expect(day.format('DD/MM/YYYY')).toBe('01/12/2026');
    expect([day.year(), day.month(), day.date()]).toEqual([2026, 11, 1]);
  });

  it.each(ZONES)("is the date pickers' now in a browser in %s", (zone) => {
    vi.stubEnv('TZ', zone);
    const calendar = pickerCalendarOn('2026-12-01');
    const now = calendar.getNow();
    expect(now.format('YYYY-MM-DD')).toBe('2026-12-01');
    // The picker marks "today" by comparing its cells with now, field by field.
    expect([calendar.getYear(now), calendar.getMonth(now), calendar.getDate(now)]).toEqual([2026, 11, 1]);
    expect(calendar.getNow().isSame(dayOf('2026-11-30'), 'day')).toBe(false);
  });

  it('leaves the rest of the pickers\' calendar alone', () => {
    const calendar = pickerCalendarOn('2026-12-01');
    expect(calendar.addMonth(dayOf('2026-01-31'), 1).format('YYYY-MM-DD')).toBe('2026-02-28');
    expect(calendar.getEndDate(dayOf('2028-02-10')).date()).toBe(29);
  });
});
