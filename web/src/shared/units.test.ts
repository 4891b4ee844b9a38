import { describe, expect, it } from 'vitest';
import { unitName, unitTree, unitsWithin } from './units';
import type { Unit } from '../app/api-types';

const u = (id: number, name: string, parent_id: number | null, active = true): Unit =>
  ({
    id, name, abbreviation: '', agency_code: '', parent_id, issues_documents: false, active, retired_on: null,
    successor_id: null, version: 1,
  });

describe('the unit tree', () => {
  const units = [
    u(1, 'Bộ Quốc phòng', null),
    u(6, 'Cục Công nghệ thông tin', 1),
    u(2, 'Văn phòng Bộ Quốc phòng', 1),
    u(7, 'Phòng Kỹ thuật', 6),
    u(9, 'Phòng đã giải thể', 6, false),
  ];

  it('nests units under their parents, names in Vietnamese order', () => {
    const tree = unitTree(units);
    expect(tree).toHaveLength(1);
    expect(tree[0].title).toBe('Bộ Quốc phòng');
    expect(tree[0].children.map((n) => n.title)).toEqual(['Cục Công nghệ thông tin', 'Văn phòng Bộ Quốc phòng']);
    expect(tree[0].children[0].children.map((n) => n.key)).toEqual([7]);
  });

  it('leaves retired units out unless asked', () => {
    expect(unitTree(units, true)[0].children[0].children.map((n) => n.key)).toEqual([9, 7]); // đ before K
  });

  it('keeps a unit whose parent is not listed as a root', () => {
    expect(unitTree([u(7, 'Phòng Kỹ thuật', 6)]).map((n) => n.key)).toEqual([7]);
  });

  it('names units, never by id', () => {
    expect(unitName(units, 2)).toBe('Văn phòng Bộ Quốc phòng');
    expect(unitName(units, 42)).toBe('—');
    expect(unitName(units, null)).toBe('');
  });

  it('gives the units a person reaches: their own and every one below, retired too', () => {
    expect(unitsWithin(units, 6).map((x) => x.id)).toEqual([6, 7, 9]);
    expect(unitsWithin(units, 1).map((x) => x.id).sort()).toEqual([1, 2, 6, 7, 9]);
    expect(unitsWithin(units, 2).map((x) => x.id)).toEqual([2]);
    expect(unitsWithin(units, 42)).toEqual([]);
    expect(unitsWithin(units, null)).toEqual([]);
  });
});
