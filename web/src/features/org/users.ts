import type { Classification, ListedUser, RequestBody, Role } from '../../app/api-types';

// What the user dialog (Users.tsx) sends: only what the person
// changed, so that a request waiting for a second person's approval speaks
// of the change and nothing else. An administrator changes the account, a
// security officer the clearance; a password goes with the current one when
// it is one's own.
export interface UserValues {
  username?: string;
  full_name: string;
  unit_id: number;
  position?: string;
  roles: Role[];
  clearance: Classification;
  active?: boolean;
  password?: string;
  current_password?: string;
}

export type UserPatch = RequestBody<'/api/v1/users/{id}', 'patch'>;

export function userPatch(before: ListedUser, v: UserValues, may: { admin: boolean; security: boolean; self: boolean }): UserPatch {
  const body: UserPatch = {};
  if (may.admin) {
    if (v.full_name !== before.full_name) body.full_name = v.full_name;
    if (v.unit_id !== before.unit_id) body.unit_id = v.unit_id;
    if ((v.position ?? '') !== (before.position ?? '')) body.position = v.position ?? '';
    const same = v.roles.length === before.roles.length && v.roles.every((r) => before.roles.includes(r));
    if (!same) body.roles = v.roles;
    if (v.active !== undefined && v.active !== before.active) body.active = v.active;
  }
  if (may.security && v.clearance !== undefined && v.clearance !== before.clearance) body.clearance = v.clearance;
  if (v.password) {
    body.password = v.password;
    if (may.self) body.current_password = v.current_password ?? '';
  }
  return body;
}
