import { ApiError, type FieldProblem, type Problem } from '../app/api';
import { tKey, type MessageKey, type T } from '../app/i18n';

// What to tell a person about a failed request, in their language: a message
// for the whole problem, and one per field the server named.
export interface Explained {
  message: string;
  fields: { field: string; message: string }[];
}

const FIELD_CODES = ['required', 'too_long', 'not_allowed_value', 'out_of_scope', 'bad_characters', 'unknown', 'clearance', 'out_of_range',
  'none', 'not_pdf', 'missing', 'bad_pin', 'no_key', 'classification', 'self_change'];

// Problems whose field says more than the code: nobody changes their own
// roles, clearance, unit or state (403 with `self_change` on the field).
const BY_FIELD_CODE: Record<string, MessageKey> = { self_change: 'error.self_change' };

export function explainProblem(p: Problem, t: T): Explained {
  let message: string;
  const byField = (p.errors || []).map((e) => BY_FIELD_CODE[e.code]).find(Boolean);
  if (p.code === 'internal') {
    message = t('error.internal', { detail: p.detail || String(p.status) });
  } else if (p.code === 'account_locked' && lockedFor(p) !== null) {
    const seconds = lockedFor(p)!;
    message = seconds < 120 ? t('error.account_locked_seconds', { seconds })
      : t('error.account_locked_minutes', { minutes: Math.ceil(seconds / 60) });
  } else if (byField) {
    message = t(byField);
  } else {
    message = tKey(t, `error.${p.code}`, t('error.unknown', { code: p.code }));
  }
  const fields = (p.errors || []).map((e) => ({ field: e.field, message: fieldMessage(e, t) }));
  return { message, fields };
}

// A field's problem: a message for this field and code if there is one
// (`field.certificate.none`), else for the code, else "invalid". A wrong PIN
// keeps the number of tries the server says are left.
function fieldMessage(e: FieldProblem, t: T): string {
  if (e.code === 'wrong_pin') {
    const left = triesLeft(e.message);
    return left === null ? t('field.wrong_pin') : t('field.wrong_pin_left', { left });
  }
  const general = FIELD_CODES.includes(e.code) ? tKey(t, `field.${e.code}`, t('field.invalid')) : t('field.invalid');
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

export function explain(error: unknown, t: T): Explained {
  if (error instanceof ApiError) return explainProblem(error.problem, t);
  return { message: t('error.unknown', { code: String((error as Error)?.message || error) }), fields: [] };
}
