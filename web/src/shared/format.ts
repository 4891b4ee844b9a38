// Dates as Vietnamese offices write them: dd/MM/yyyy, times HH:mm, always in
// Vietnam's time (UTC+07:00, no daylight saving) whatever the browser's zone.
const VN_OFFSET_MS = 7 * 60 * 60 * 1000;

const pad = (n: number) => String(n).padStart(2, '0');

// "2026-11-23" (a calendar date, no zone) → "23/11/2026".
export function formatDate(date: string | null | undefined): string {
  if (!date) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date;
}

// An instant ("2026-11-22T17:30:00.000000Z") → "23/11/2026 00:30" (+07:00).
export function formatDateTime(instant: string | null | undefined): string {
  if (!instant) return '';
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  const d = new Date(ms + VN_OFFSET_MS);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
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
