import { useState } from 'react';
import { get } from '../../app/api';
import type { Person } from '../../app/api-types';
import { useSession } from '../../app/session';
import { useQuery } from '../../app/useQuery';
import { unitName } from '../../shared/units';

// The directory search behind a person picker (a Select with onSearch):
// "Full name — position (unit)", twenty at a time; while a search runs, the
// last answer stays, and a slower answer to older typing is dropped.
export function usePeopleSearch() {
  const { units } = useSession();
  const [q, setQ] = useState('');
  const { data } = useQuery(`people:${q}`, (signal) => get<{ items: Person[] }>('/people', { q, limit: 20 }, signal),
    { keep: true });
  const options = (data?.items ?? []).map((p) => ({
    value: p.id, label: `${p.full_name}${p.position ? ` — ${p.position}` : ''} (${unitName(units, p.unit_id)})`,
  }));
  return { options, search: setQ };
}
