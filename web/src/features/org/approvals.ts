import type { Classification, Role, Schema, User } from '../../app/api-types';
import { describe } from '../../shared/errors';
import type { MessageKey, T } from '../../app/i18n';

// Four eyes (docs/security.md): a privileged change — granting the
// administrator or security-officer role, raising a clearance, resetting the
// password of an administrator or security officer, declassifying a
// document — waits as a request until a second person decides it. What the
// pages need to tell the request in words and to offer only the buttons the
// server would accept (it checks again).


// user.change: what the proposer asked for (the roles are the whole new set).
export type UserChange = Schema<'UserChange'>;

// document.declassify (giải mật): from → to, why, on which version.
export type DeclassifyChange = Schema<'DeclassifyChange'>;

export type Approval = Schema<'Approval'>;
export type ApprovalState = Approval['state'];
export const APPROVAL_STATES: ApprovalState[] = ['pending', 'approved', 'rejected'];

// PATCH /users/{id} answers 200 with the user, or 202 {user, pending_approval};
// POST /users answers the user, with pending_approval when part of it waits.
export type UserAnswer = Schema<'CreatedUser'> | Schema<'PendingUserChange'>;

export function pendingOf(answer: UserAnswer | null | undefined): Approval | null {
  return answer && 'pending_approval' in answer && answer.pending_approval ? answer.pending_approval : null;
}

// Lowest first, as the server orders them.
export const CLASSIFICATION_ORDER: Classification[] = ['normal', 'mat', 'toi_mat', 'tuyet_mat'];

// The classifications a document may be declassified to: every one below
// its own, nearest first. None for an unclassified document.
export function lowerClassifications(current: Classification): Classification[] {
  const i = CLASSIFICATION_ORDER.indexOf(current);
  return i <= 0 ? [] : CLASSIFICATION_ORDER.slice(0, i).reverse();
}

// What the user was before the change (a pending request: the user now), to
// say only what changes; omitted for decided requests.
export type UserBefore = Partial<Pick<User, 'roles' | 'clearance' | 'full_name' | 'unit_id' | 'position' | 'active'>>;

// A user.change in words, one line per part, e.g. "Thêm vai trò: Bảo mật",
// "Độ mật được tiếp cận: Thường → Mật", "Đặt lại mật khẩu". Parts equal to
// `before` are left out.
export function describeUserChange(change: UserChange, t: T, before?: UserBefore | null,
  unitName: (id: number) => string = () => t('common.unknown')): string[] {
  const lines: string[] = [];
  const roleList = (roles: Role[]) => roles.map((r) => t(`role.${r}`)).join(', ');
  if (change.roles) {
    if (before?.roles) {
      const added = change.roles.filter((r) => !before.roles!.includes(r));
      const removed = before.roles.filter((r) => !change.roles!.includes(r));
      if (added.length) lines.push(t('approvals.rolesAdded', { roles: roleList(added) }));
      if (removed.length) lines.push(t('approvals.rolesRemoved', { roles: roleList(removed) }));
    } else {
      lines.push(`${t('users.roles')}: ${change.roles.length ? roleList(change.roles) : t('common.none')}`);
    }
  }
  const scalar = (label: string, next: string | undefined, prev: string | undefined) => {
    if (next === undefined || next === prev) return;
    lines.push(prev === undefined ? `${label}: ${next}` : `${label}: ${prev} → ${next}`);
  };
  const level = (c: Classification | undefined) => (c ? t(`classification.${c}`) : undefined);
  scalar(t('users.clearance'), level(change.clearance), level(before?.clearance));
  if (change.password_reset) lines.push(t('approvals.passwordReset'));
  scalar(t('users.fullName'), change.full_name, before?.full_name);
  const unit = (id: number | undefined) => (id === undefined ? undefined : unitName(id));
  scalar(t('doc.unit'), unit(change.unit_id), unit(before?.unit_id));
  const position = (p: string | undefined) => (p === undefined ? undefined : p || t('common.none'));
  scalar(t('users.position'), position(change.position), position(before?.position));
  if (change.active !== undefined && change.active !== before?.active) {
    lines.push(t(change.active ? 'approvals.activate' : 'approvals.deactivate'));
  }
  return lines;
}

// A declassification in words: "Độ mật: Mật → Thường".
export function describeDeclassify(change: DeclassifyChange, t: T): string {
  return `${t('doc.classification')}: ${t(`classification.${change.from}`)} → ${t(`classification.${change.to}`)}`;
}

export function isDeclassify(a: Approval): a is Approval & { change: DeclassifyChange } {
  return a.kind === 'document.declassify';
}

export function isUserChange(a: Approval): a is Approval & { change: UserChange } {
  return a.kind === 'user.change';
}

// Who decides (docs/security.md): never the proposer, nor the person the
// change is about; a declassification, a security officer; roles and
// passwords, an administrator or security officer; a clearance, a security
// officer or a leader who holds it. Null when `me` may decide, else why not.
export function whyNotDecide(a: Approval, me: Pick<User, 'id' | 'roles' | 'clearance'>):
  'approvals.ownProposal' | 'approvals.ownAccount' | 'approvals.wrongRole' | null {
  if (a.proposed_by === me.id) return 'approvals.ownProposal';
  const has = (...roles: Role[]) => roles.some((r) => me.roles.includes(r));
  if (isDeclassify(a)) return has('security_officer') ? null : 'approvals.wrongRole';
  if (!isUserChange(a)) return 'approvals.wrongRole';
  if (a.object_id === me.id) return 'approvals.ownAccount';
  const c = a.change;
  if ((c.roles || c.password_reset) && !has('administrator', 'security_officer')) return 'approvals.wrongRole';
  if (c.clearance && c.clearance !== 'normal') {
    const cleared = !me.clearance ||
      CLASSIFICATION_ORDER.indexOf(me.clearance) >= CLASSIFICATION_ORDER.indexOf(c.clearance);
    if (!has('security_officer', 'leader') || !cleared) return 'approvals.wrongRole';
  }
  return null;
}

// What a refusal of a decision means (explain's `codes`): their own
// proposal or account, the wrong role, decided by someone else meanwhile,
// gone, a document changed since the proposal.
export function decisionCodes(a: Approval, me: Pick<User, 'id' | 'roles' | 'clearance'>): Partial<Record<string, MessageKey>> {
  return {
    forbidden: whyNotDecide(a, me) ?? 'approvals.wrongRole',
    conflict: 'approvals.alreadyDecided',
    not_found: 'approvals.gone',
    ...(isDeclassify(a) ? { precondition_failed: 'approvals.documentChanged' } : {}),
  };
}

// The same, as one sentence.
export function explainDecision(error: unknown, a: Approval, me: Pick<User, 'id' | 'roles' | 'clearance'>, t: T): string {
  return describe(error, t, undefined, { codes: decisionCodes(a, me) });
}
