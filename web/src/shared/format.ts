// The one way the UI shows a date or a time: as Vietnamese offices write
// them, dd/MM/yyyy and HH:mm, always in Vietnam's time (UTC+07:00, no
// daylight saving) whatever the browser's zone. Nothing else in web/src
// turns a date into text (no toLocaleDateString, no toISOString().slice, no
// dayjs().format for display; `display.test.ts` checks the sources): an
// instant cut to its UTC date is a day early from 17:00 to 24:00 UTC.
const VN_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

// How the date pickers write a day (dayjs tokens): the same as formatDate.
export const DATE_FORMAT = 'DD/MM/YYYY';

const pad = (n: number) => String(n).padStart(2, '0');
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// The wall clock in Vietnam at an instant, as UTC fields of a Date.
function vietnamClock(instant: string): Date | null {
  const ms = Date.parse(instant);
  return Number.isNaN(ms) ? null : new Date(ms + VN_OFFSET_MS);
}

const dayOf = (d: Date) => `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;

// A day as dd/MM/yyyy. A calendar date ("2026-11-23": deadlines, issue and
// arrival dates, the node's today) is written as it is; an instant
// ("2026-11-22T17:30:00Z": created_at and the like) is first read in
// Vietnam, so it gives the day of the timeline ("23/11/2026").
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const m = CALENDAR_DATE.exec(value);
  if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  const d = vietnamClock(value);
  return d ? dayOf(d) : value;
}

// An instant ("2026-11-22T17:30:00.000000Z") → "23/11/2026 00:30" (+07:00).
export function formatDateTime(instant: string | null | undefined): string {
  if (!instant) return '';
  const d = vietnamClock(instant);
  return d ? `${dayOf(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` : instant;
}

// The calendar day before `date` ("2026-12-01" → "2026-11-30"): the last
// day of a period whose API end is the first day it no longer held.
export function dayBefore(date: string): string {
  const m = CALENDAR_DATE.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - DAY_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

// Today's date in Vietnam as "YYYY-MM-DD" by the browser's clock, which may
// be wrong: forms take the node's today from the session (useSession().today).
export function vietnamToday(now: number = Date.now()): string {
  const d = new Date(now + VN_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

// "23/11/2026" → "2026-11-23"; null when it is not a real date.
export function parseDate(text: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) {
    return null;
  }
  return `${y}-${pad(mo)}-${pad(d)}`;
}
