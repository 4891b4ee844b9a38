// "Today" as the office counts it: the node's date in Vietnam, from GET /me
// (`today`). The browser's clock may be wrong and its zone is often not
// Vietnam's: between 17:00 and 24:00 UTC a browser in UTC is still on
// yesterday. Forms propose and compare dates against this day, never
// against dayjs() or new Date().
import dayjs, { type Dayjs } from 'dayjs';
import dayjsGenerateConfig from '@rc-component/picker/generate/dayjs';
import type { GenerateConfig } from '@rc-component/picker/generate';
import { vietnamToday } from './format';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

// The day GET /me names, or (a node that does not send it yet) the browser's
// clock read in Vietnam's zone: right whenever that clock is.
export function todayOf(me: { today?: string } | null | undefined, now: number = Date.now()): string {
  return me?.today && DATE.test(me.today) ? me.today : vietnamToday(now);
}

// "2026-12-01" → that calendar day at the browser's local midnight (dayjs
// reads a date without a zone as local), so that the date pickers show and
// give back the same day whatever the browser's zone.
export function dayOf(date: string): Dayjs {
  return dayjs(date);
}

// A day the pickers give back, as the API takes it ("2026-12-01").
export function isoDateOf(day: Dayjs): string {
  return day.format('YYYY-MM-DD');
}

// The date pickers' calendar with "now" on `today`: their Today button, the
// day they highlight and the month a blank picker opens on. Midnight of that
// day: our pickers choose days, not times.
export function pickerCalendarOn(today: string): GenerateConfig<Dayjs> {
  return { ...dayjsGenerateConfig, getNow: () => dayOf(today) };
}
