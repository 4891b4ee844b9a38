import { describe, expect, it } from 'vitest';
import { ApiError } from '../app/api';
import { explain, explainProblem } from './errors';
import { translator } from '../app/i18n';

const tOf = translator;

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

  it('tells how long sign-in is refused after too many failures (429 with Retry-After)', () => {
    const locked = { status: 429, code: 'account_locked', detail: 'Too many failed logins; try again in 30 seconds.' };
    expect(explainProblem({ ...locked, retry_after: 30 }, tOf('vi')).message).toBe('Đăng nhập sai quá nhiều lần; vui lòng thử lại sau 30 giây.');
    expect(explainProblem(locked, tOf('en')).message).toBe('Too many failed sign-ins; try again in 30 seconds.');
    expect(explainProblem({ ...locked, retry_after: 900 }, tOf('fr')).message).toContain('15 minutes');
    expect(explainProblem({ status: 429, code: 'account_locked' }, tOf('vi')).message).toBe('Tài khoản tạm khóa do đăng nhập sai nhiều lần.');
  });

  it('says nobody changes their own roles, and names the fields', () => {
    const e = explainProblem({
      status: 403, code: 'forbidden',
      errors: [{ field: 'roles', code: 'self_change', message: '' }, { field: 'clearance', code: 'self_change', message: '' }],
    }, tOf('vi'));
    expect(e.message).toMatch(/^Không ai tự thay đổi vai trò/);
    expect(e.fields).toEqual([
      { field: 'roles', message: 'Bạn không thể tự thay đổi mục này cho chính mình' },
      { field: 'clearance', message: 'Bạn không thể tự thay đổi mục này cho chính mình' },
    ]);
  });

  it('explains under the fields a wrong current password and a classification lowered by editing', () => {
    const p = (field: string, code: string) => ({ status: 400, code: 'invalid_argument', errors: [{ field, code, message: '' }] });
    expect(explainProblem(p('current_password', 'wrong'), tOf('vi')).fields[0].message).toBe('Mật khẩu hiện tại không đúng');
    expect(explainProblem(p('current_password', 'required'), tOf('en')).fields[0].message).toBe('Enter your current password');
    expect(explainProblem(p('classification', 'declassification_required'), tOf('vi')).fields[0].message).toMatch(/Đề nghị giải mật/);
  });
});

