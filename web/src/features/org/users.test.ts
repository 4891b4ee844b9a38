import { describe, expect, it } from 'vitest';
import type { User } from '../../app/api-types';
import { userPatch, type UserValues } from './users';

const lan: User = {
  id: 6, username: 'vanthu.cntt', full_name: 'Đỗ Thị Lan', unit_id: 6, position: 'Văn thư Cục', roles: ['clerk'],
  clearance: 'mat', active: true, language: 'vi', version: 3,
};
const values = (over: Partial<UserValues> = {}): UserValues => ({
  full_name: lan.full_name, unit_id: lan.unit_id, position: lan.position, roles: [...lan.roles], clearance: lan.clearance,
  active: lan.active, ...over,
});
const adminOnly = { admin: true, security: false, self: false };

describe('what the user dialog sends', () => {
  it('only what changed, so that a request for approval speaks of nothing else', () => {
    expect(userPatch(lan, values({ roles: ['clerk', 'security_officer'] }), adminOnly)).toEqual({ roles: ['clerk', 'security_officer'] });
    expect(userPatch(lan, values(), adminOnly)).toEqual({});
    expect(userPatch(lan, values({ roles: ['clerk'] }), adminOnly)).toEqual({});
  });

  it('the clearance from a security officer only, the account from an administrator only', () => {
    expect(userPatch(lan, values({ clearance: 'toi_mat', full_name: 'X' }), adminOnly)).toEqual({ full_name: 'X' });
    expect(userPatch(lan, values({ clearance: 'toi_mat', full_name: 'X' }), { admin: false, security: true, self: false }))
      .toEqual({ clearance: 'toi_mat' });
  });

  it('a new password, with the current one when it is one’s own', () => {
    expect(userPatch(lan, values({ password: 'Mới@2026x' }), adminOnly)).toEqual({ password: 'Mới@2026x' });
    expect(userPatch(lan, values({ password: 'Mới@2026x', current_password: 'Cũ' }), { ...adminOnly, self: true }))
      .toEqual({ password: 'Mới@2026x', current_password: 'Cũ' });
  });
});
