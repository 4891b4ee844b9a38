import { ApiError, type Problem } from './api';
import type { MessageKey } from './i18n/messages';
import type { T } from './i18n';

// What to tell a person about a failed request, in their language: a message
// for the whole problem, and one per field the server named.
export interface Explained {
  message: string;
  fields: { field: string; message: string }[];
}

const FIELD_CODES = ['required', 'too_long', 'not_allowed_value', 'out_of_scope', 'bad_characters', 'unknown', 'clearance', 'out_of_range'];

export function explainProblem(p: Problem, t: T): Explained {
  const key = `error.${p.code}` as MessageKey;
  let message: string;
  if (p.code === 'internal') {
    message = t('error.internal', { detail: p.detail || String(p.status) });
  } else {
    const known = t(key);
    message = known === key ? t('error.unknown', { code: p.code }) : known;
  }
  const fields = (p.errors || []).map((e) => ({
    field: e.field,
    message: t(FIELD_CODES.includes(e.code) ? (`field.${e.code}` as MessageKey) : 'field.invalid'),
  }));
  return { message, fields };
}

export function explain(error: unknown, t: T): Explained {
  if (error instanceof ApiError) return explainProblem(error.problem, t);
  return { message: t('error.unknown', { code: String((error as Error)?.message || error) }), fields: [] };
}
