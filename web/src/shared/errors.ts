import { ApiError, type FieldProblem, type Problem } from '../app/api';
import { tKey, type MessageKey, type T } from '../app/i18n';

// What to tell a person about a failed request, in their language: a message
// for the whole problem, one per field the server named, and the server's
// own words (`detail`) when they say more than the message and no field
// does. Forms show these with useSubmit and FormAlert (formErrors.ts); a
// page without a form says `describe()`.
export interface FieldExplained {
  field: string;
  code: string;
  message: string;
}

export interface Explained {
  message: string;
  fields: FieldExplained[];
  detail?: string;
}

export interface ExplainOptions {
  // What a problem code means where it happens: on the sign-in form a 401
  // is a wrong name or password, not an ended session.
  codes?: Partial<Record<string, MessageKey>>;
}

const FIELD_CODES = ['required', 'too_long', 'not_allowed_value', 'out_of_scope', 'bad_characters', 'unknown', 'clearance', 'out_of_range',
  'none', 'not_pdf', 'missing', 'bad_pin', 'no_key', 'classification', 'self_change'];

// Problems whose field says more than the code: nobody changes their own
// roles, clearance, unit or state (403 with `self_change` on the field).
const BY_FIELD_CODE: Record<string, MessageKey> = { self_change: 'error.self_change' };

// Codes whose message says all there is, or whose detail is the code again.
const NO_DETAIL = ['internal', 'unauthenticated', 'account_locked', 'unavailable', 'malformed_request', 'invalid_argument'];

export function explainProblem(p: Problem, t: T, options: ExplainOptions = {}): Explained {
  let message: string;
  const own = options.codes?.[p.code];
  const byField = (p.errors || []).map((e) => BY_FIELD_CODE[e.code]).find(Boolean);
  if (own) {
    message = t(own);
  } else if (p.code === 'internal') {
    message = t('error.internal', { detail: p.detail || String(p.status) });
  } else if (p.code === 'account_locked' && lockedFor(p) !== null) {
    const seconds = lockedFor(p)!;
    message = seconds < 120 ? t('error.account_locked_seconds', { seconds })
      : t('error.account_locked_minutes', { minutes: Math.ceil(seconds / 60) });
  } else if (byField) {
    message = t(byField);
  } else {
    message = tKey(t, `error.${p.code}`, t('error.unknown', { code: p.detail || p.code }));
  }
  const fields = (p.errors || []).map((e) => ({ field: e.field, code: e.code, message: fieldMessage(e, t) }));
  const said = !own && fields.length === 0 && p.detail && !NO_DETAIL.includes(p.code) && !message.includes(p.detail);
  return said ? { message, fields, detail: p.detail } : { message, fields };
}

// A field's problem: a message for this field and code if there is one
// (`field.targets.cycle`), else for the code, else the server's own words
// for it, else "invalid". A wrong PIN keeps the number of tries the server
// says are left.
function fieldMessage(e: FieldProblem, t: T): string {
  if (e.code === 'wrong_pin') {
    const left = triesLeft(e.message);
    return left === null ? t('field.wrong_pin') : t('field.wrong_pin_left', { left });
  }
  const server = e.message?.trim() || t('field.invalid');
  const general = FIELD_CODES.includes(e.code) ? tKey(t, `field.${e.code}`, server) : server;
  return tKey(t, `field.${e.field}.${e.code}`, general);
}

// How long a sign-in is refused: the Retry-After header, else the number in
// "Too many failed logins; try again in 30 seconds."; null when neither says.
export function lockedFor(p: Problem): number | null {
  if (p.retry_after && p.retry_after > 0) return p.retry_after;
  const m = /(\d+)\s*seconds?/i.exec(p.detail || '');
  return m ? Number(m[1]) : null;
}

// "The PIN was refused (3 tries left)." → 3; null when the message gives no number.
export function triesLeft(message: string | undefined): number | null {
  const m = /(\d+)\s*(?:tries|try|attempts?|lần)/i.exec(message || '') || /\((\d+)\b/.exec(message || '');
  return m ? Number(m[1]) : null;
}

export function explain(error: unknown, t: T, options?: ExplainOptions): Explained {
  if (error instanceof ApiError) return explainProblem(error.problem, t, options);
  return { message: t('error.unknown', { code: String((error as Error)?.message || error) }), fields: [] };
}

// The lines that follow the message: each field by its label (`labels`)
// when known — "Độ mật được tiếp cận: …" —, else its message alone unless
// `shown` says it is already under its field; then the server's detail.
export function detailsOf(e: Explained, labels: Record<string, string> = {}, shown: (field: string) => boolean = () => false): string[] {
  const lines: string[] = [];
  for (const f of e.fields) {
    const label = labels[f.field];
    if (label) lines.push(`${label}: ${f.message}`);
    else if (!shown(f.field)) lines.push(f.message);
  }
  if (e.detail) lines.push(e.detail);
  return [...new Set(lines)];
}

// One sentence for a notice (a toast, a page's alert): the message, then
// each field's by its label, then the server's detail.
export function describe(error: unknown, t: T, labels?: Record<string, string>, options?: ExplainOptions): string {
  const e = explain(error, t, options);
  return [e.message, ...detailsOf(e, labels)].join(' ');
}
