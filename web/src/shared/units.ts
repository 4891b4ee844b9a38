import type { Unit } from '../app/api-types';

// The flat unit list of GET /units as a tree for Ant Design's Tree and
// TreeSelect: children in name order, retired units only when asked for.
export interface UnitNode {
  key: number;
  value: number;
  title: string;
  unit: Unit;
  children: UnitNode[];
}

export function unitTree(units: Unit[], includeRetired = false): UnitNode[] {
  const kept = units.filter((u) => includeRetired || u.active);
  const nodes = new Map<number, UnitNode>();
  for (const u of kept) nodes.set(u.id, { key: u.id, value: u.id, title: u.name, unit: u, children: [] });
  const roots: UnitNode[] = [];
  for (const u of kept) {
    const node = nodes.get(u.id)!;
    const parent = u.parent_id != null ? nodes.get(u.parent_id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: UnitNode[]) => {
    list.sort((a, b) => a.title.localeCompare(b.title, 'vi'));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

// A unit by its name; "—" for one not in the list (never its id).
export function unitName(units: Unit[] | undefined, id: number | null | undefined): string {
  if (id == null) return '';
  return units?.find((u) => u.id === id)?.name ?? '—';
}

// The units a person reaches: `root` (their unit) and every unit below it,
// as the node counts them for lists and filters (retired ones too).
export function unitsWithin(units: Unit[], root: number | null | undefined): Unit[] {
  if (root == null) return [];
  const children = new Map<number, Unit[]>();
  for (const u of units) {
    if (u.parent_id != null) children.set(u.parent_id, [...(children.get(u.parent_id) ?? []), u]);
  }
  const out: Unit[] = [];
  const seen = new Set<number>();
  const walk = (u: Unit | undefined) => {
    if (!u || seen.has(u.id)) return;
    seen.add(u.id);
    out.push(u);
    for (const c of children.get(u.id) ?? []) walk(c);
  };
  walk(units.find((u) => u.id === root));
  return out;
}
