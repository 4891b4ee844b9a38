import { describe, expect, it } from 'vitest';
import { ApiError } from '../app/api';
import { describe as say, detailsOf, explain, explainProblem } from './errors';
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
        { field: 'urgency', code: 'some_new_code', message: 'Must be one of: normal, khan.' },
        { field: 'deadline', code: 'another_code', message: '' },
      ],
    };
    const e = explainProblem(p, tOf('vi'));
    expect(e.fields).toEqual([
      { field: 'subject', code: 'too_long', message: 'Quá dài' },
      { field: 'issuer_name', code: 'required', message: 'Bắt buộc nhập' },
      // A code the UI has no words for: the server's own, rather than "invalid".
      { field: 'urgency', code: 'some_new_code', message: 'Must be one of: normal, khan.' },
      { field: 'deadline', code: 'another_code', message: 'Giá trị không hợp lệ' },
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
    expect(e.fields.map((f) => f.message)).toEqual([
      'Không ai tự thay đổi vai trò của chính mình; hãy đề nghị một quản trị viên khác',
      'Không ai tự thay đổi độ mật được tiếp cận của chính mình; hãy đề nghị một cán bộ bảo mật khác',
    ]);
  });

  it('explains under the fields a wrong current password and a classification lowered by editing', () => {
    const p = (field: string, code: string) => ({ status: 400, code: 'invalid_argument', errors: [{ field, code, message: '' }] });
    expect(explainProblem(p('current_password', 'wrong'), tOf('vi')).fields[0].message).toBe('Mật khẩu hiện tại không đúng');
    expect(explainProblem(p('current_password', 'required'), tOf('en')).fields[0].message).toBe('Enter your current password');
    expect(explainProblem(p('classification', 'declassification_required'), tOf('vi')).fields[0].message).toMatch(/Đề nghị giải mật/);
  });

  // A clerk's report: a wrong password read as an ended session.
  it('says a wrong name or password on the sign-in form, an ended session elsewhere', () => {
    const p = { status: 401, code: 'unauthenticated', detail: 'Wrong user name or password.' };
    expect(explainProblem(p, tOf('vi'), { codes: { unauthenticated: 'login.wrong' } }).message).toBe('Sai tên đăng nhập hoặc mật khẩu.');
    expect(explainProblem(p, tOf('en'), { codes: { unauthenticated: 'login.wrong' } })).toEqual({ message: 'Wrong username or password.', fields: [] });
    expect(explainProblem({ status: 401, code: 'unauthenticated' }, tOf('vi')).message).toMatch(/^Phiên làm việc đã hết hạn/);
  });

  // A clerk's report: a refused reorganisation said "Giá trị không hợp lệ".
  it('gives the reason of a refused reorganisation, by field and code', () => {
    const p = { status: 400, code: 'invalid_argument', detail: 'The request is not valid.',
      errors: [{ field: 'targets', code: 'cycle', message: 'Phòng Kỹ thuật lies inside a unit being reorganised; choose a successor outside it.' }] };
    expect(explainProblem(p, tOf('vi')).fields[0].message).toMatch(/nằm trong đơn vị đang được sắp xếp lại/);
    expect(explainProblem(p, tOf('fr')).fields[0].message).toMatch(/réorganisée/);
    expect(explainProblem(p, tOf('vi')).detail).toBeUndefined(); // the field says it
  });

  it('keeps the server\'s detail when no field says more', () => {
    const p = { status: 403, code: 'forbidden', detail: 'Only an administrator changes users.' };
    const e = explainProblem(p, tOf('vi'));
    expect(e.message).toBe('Bạn không có quyền thực hiện thao tác này.');
    expect(e.detail).toBe('Only an administrator changes users.');
    expect(say(new ApiError(p), tOf('vi'))).toBe('Bạn không có quyền thực hiện thao tác này. Only an administrator changes users.');
  });

  // A clerk's report: a refused field said only "Bạn không có quyền…".
  it('names each refused field by its label', () => {
    const e = explainProblem({ status: 400, code: 'invalid_argument', detail: 'The request is not valid.',
      errors: [{ field: 'clearance', code: 'security_officer_only', message: 'Only a security officer changes clearances.' }] }, tOf('vi'));
    expect(detailsOf(e, { clearance: 'Độ mật được tiếp cận' })).toEqual(['Độ mật được tiếp cận: Chỉ cán bộ bảo mật được thay đổi độ mật']);
    expect(detailsOf(e)).toEqual(['Chỉ cán bộ bảo mật được thay đổi độ mật']);
    expect(detailsOf(e, {}, (f) => f === 'clearance')).toEqual([]); // under its field already, and no label to name it
  });
});
