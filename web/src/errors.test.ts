import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { explain, explainProblem } from './errors';
import { catalogue, format, type MessageKey } from './i18n/messages';
import type { T } from './i18n';

const tOf = (lang: 'vi' | 'en' | 'fr'): T => {
  const m = catalogue(lang);
  return (key: MessageKey, params?: Record<string, string | number>) => format(m[key] ?? key, params);
};

describe('problem+json in the user’s language', () => {
  it('translates the problem by its code', () => {
    const p = { status: 409, code: 'invalid_transition', detail: "Action 'issue' is not allowed in state 'draft'." };
    expect(explainProblem(p, tOf('vi')).message).toBe('Không thể thực hiện thao tác này ở trạng thái hiện tại.');
    expect(explainProblem(p, tOf('en')).message).toBe('This action is not possible in the current state.');
    expect(explainProblem(p, tOf('fr')).message).toContain("n'est pas possible");
  });

  it('gives every named field its own message', () => {
    const p = {
      status: 400, code: 'invalid_argument',
      errors: [
        { field: 'subject', code: 'too_long', message: 'At most 500 characters.' },
        { field: 'issuer_name', code: 'required', message: 'Required.' },
        { field: 'urgency', code: 'some_new_code', message: '…' },
      ],
    };
    const e = explainProblem(p, tOf('vi'));
    expect(e.fields).toEqual([
      { field: 'subject', message: 'Quá dài' },
      { field: 'issuer_name', message: 'Bắt buộc nhập' },
      { field: 'urgency', message: 'Giá trị không hợp lệ' },
    ]);
  });

  it('shows the incident number of a server fault and survives unknown codes', () => {
    expect(explainProblem({ status: 500, code: 'internal', detail: 'incident 7f3a' }, tOf('en')).message)
      .toBe('Server error (incident 7f3a). Please tell the administrator.');
    expect(explainProblem({ status: 418, code: 'teapot' }, tOf('en')).message).toBe('Something went wrong (teapot).');
  });

  it('explains thrown ApiErrors and other errors', () => {
    expect(explain(new ApiError({ status: 0, code: 'unavailable' }), tOf('en')).message)
      .toBe('The server cannot be reached; try again.');
    expect(explain(new Error('boom'), tOf('en')).message).toBe('Something went wrong (boom).');
  });
});
