import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api';
import type { User } from '../../app/api-types';
import { translator } from '../../app/i18n';
import {
  describeDeclassify, describeUserChange, explainDecision, lowerClassifications, pendingOf, whyNotDecide, type Approval,
} from './approvals';

const tOf = translator;
const vi = tOf('vi');

const request = (over: Partial<Approval>): Approval => ({
  id: 7, kind: 'user.change', object_id: 6, change: {}, proposed_by: 1, proposed_at: '2026-11-23T02:00:00Z',
  state: 'pending', decided_by: null, decided_at: null, reason: '', ...over,
});
const admin = { id: 1, roles: ['administrator'], clearance: 'normal' } as Pick<User, 'id' | 'roles' | 'clearance'>;
const officer = { id: 5, roles: ['security_officer'], clearance: 'tuyet_mat' } as Pick<User, 'id' | 'roles' | 'clearance'>;
const leader = { id: 4, roles: ['leader'], clearance: 'toi_mat' } as Pick<User, 'id' | 'roles' | 'clearance'>;

describe('a request for a user change in words', () => {
  it('names the roles granted and removed against the user as they are', () => {
    const before = { roles: ['clerk'] as User['roles'] };
    expect(describeUserChange({ roles: ['clerk', 'security_officer'] }, vi, before)).toEqual(['Cấp thêm vai trò: Bảo mật']);
    expect(describeUserChange({ roles: ['administrator'] }, tOf('en'), before))
      .toEqual(['Grant role: Administrator', 'Remove role: Clerk']);
  });

  it('lists the whole set of roles when the user before is not known (a decided request)', () => {
    expect(describeUserChange({ roles: ['clerk', 'security_officer'] }, vi)).toEqual(['Vai trò: Văn thư, Bảo mật']);
  });

  it('shows a clearance by its label, from → to, and a password reset without the password', () => {
    expect(describeUserChange({ clearance: 'mat' }, vi, { clearance: 'normal' }))
      .toEqual(['Độ mật được tiếp cận: Thường → Mật']);
    expect(describeUserChange({ clearance: 'toi_mat', password_reset: true }, tOf('fr')))
      .toEqual(['Habilitation: Secret', 'Réinitialiser le mot de passe']);
  });

  it('leaves out what does not change and names units, not ids', () => {
    const before = { full_name: 'Đỗ Thị Lan', unit_id: 6, position: 'Văn thư Cục', active: true, roles: ['clerk'] as User['roles'] };
    const lines = describeUserChange({ full_name: 'Đỗ Thị Lan', unit_id: 7, position: 'Văn thư Cục', active: false, roles: ['clerk'] },
      vi, before, (id) => (id === 7 ? 'Phòng Kỹ thuật' : 'Cục Công nghệ thông tin'));
    expect(lines).toEqual(['Đơn vị: Cục Công nghệ thông tin → Phòng Kỹ thuật', 'Ngừng hoạt động tài khoản']);
  });

  it('tells a declassification with the labels of both classifications', () => {
    expect(describeDeclassify({ from: 'mat', to: 'normal', reason: 'Hết thời hạn bảo vệ', version: 3 }, vi)).toBe('Độ mật: Mật → Thường');
    expect(describeDeclassify({ from: 'tuyet_mat', to: 'toi_mat', reason: '', version: 1 }, tOf('en'))).toBe('Classification: Top secret → Secret');
  });
});

describe('declassification', () => {
  it('offers only the classifications below the document’s, nearest first', () => {
    expect(lowerClassifications('tuyet_mat')).toEqual(['toi_mat', 'mat', 'normal']);
    expect(lowerClassifications('mat')).toEqual(['normal']);
    expect(lowerClassifications('normal')).toEqual([]);
  });
});

describe('who may decide a request', () => {
  it('never the proposer, nor the person the change is about', () => {
    expect(whyNotDecide(request({ proposed_by: 1, change: { roles: ['security_officer'] } }), admin)).toBe('approvals.ownProposal');
    expect(whyNotDecide(request({ proposed_by: 2, object_id: 5, change: { roles: ['administrator', 'security_officer'] } }), officer))
      .toBe('approvals.ownAccount');
  });

  it('roles and password resets: an administrator or a security officer; a leader may not', () => {
    const grant = request({ proposed_by: 2, change: { roles: ['security_officer'] } });
    expect(whyNotDecide(grant, admin)).toBeNull();
    expect(whyNotDecide(grant, officer)).toBeNull();
    expect(whyNotDecide(grant, leader)).toBe('approvals.wrongRole');
    expect(whyNotDecide(request({ proposed_by: 2, change: { password_reset: true } }), leader)).toBe('approvals.wrongRole');
  });

  it('a clearance: a security officer, or a leader who holds it', () => {
    expect(whyNotDecide(request({ proposed_by: 5, change: { clearance: 'toi_mat' } }), leader)).toBeNull();
    expect(whyNotDecide(request({ proposed_by: 5, change: { clearance: 'tuyet_mat' } }), leader)).toBe('approvals.wrongRole');
    expect(whyNotDecide(request({ proposed_by: 5, change: { clearance: 'mat' } }), admin)).toBe('approvals.wrongRole');
  });

  it('a declassification: a security officer only', () => {
    const d = request({ kind: 'document.declassify', object_id: 42, proposed_by: 4, change: { from: 'mat', to: 'normal', reason: 'x', version: 2 } });
    expect(whyNotDecide(d, officer)).toBeNull();
    expect(whyNotDecide(d, admin)).toBe('approvals.wrongRole');
    expect(whyNotDecide(d, leader)).toBe('approvals.ownProposal');
  });
});

describe('refused decisions in the person’s language', () => {
  const forbidden = new ApiError({ status: 403, code: 'forbidden', detail: 'The person who proposed a change cannot approve it.' });
  it('says why a 403 was given', () => {
    expect(explainDecision(forbidden, request({ proposed_by: 1 }), admin, vi)).toBe('Bạn là người đề nghị thay đổi này; cần một người khác phê duyệt.');
    expect(explainDecision(forbidden, request({ proposed_by: 2, change: { roles: ['leader'] } }), leader, tOf('en')))
      .toMatch(/^This request needs a second person of the right role/);
  });

  it('says a 409 was decided by someone else, and a 412 declassification must be proposed again', () => {
    const conflict = new ApiError({ status: 409, code: 'conflict', detail: 'This request was already decided.' });
    expect(explainDecision(conflict, request({ proposed_by: 2 }), admin, vi)).toBe('Đề nghị này đã được người khác quyết định.');
    const changed = new ApiError({ status: 412, code: 'precondition_failed' });
    const d = request({ kind: 'document.declassify', proposed_by: 4, change: { from: 'mat', to: 'normal', reason: 'x', version: 2 } });
    expect(explainDecision(changed, d, officer, vi)).toMatch(/lãnh đạo cần đề nghị lại/);
  });

  it('adds the field messages of anything else (a rejection without a reason)', () => {
    const e = new ApiError({ status: 400, code: 'invalid_argument', errors: [{ field: 'reason', code: 'required', message: '' }] });
    expect(explainDecision(e, request({ proposed_by: 2 }), admin, vi)).toBe('Dữ liệu chưa hợp lệ, vui lòng kiểm tra lại. Bắt buộc nhập');
  });
});

describe('answers of PATCH and POST /users', () => {
  const user = { id: 6, full_name: 'Đỗ Thị Lan' } as User;
  it('find the request a privileged change became', () => {
    const a = request({});
    expect(pendingOf({ user, pending_approval: a })).toBe(a);
    expect(pendingOf({ ...user, pending_approval: a })).toBe(a);
    expect(pendingOf(user)).toBeNull();
  });
});
