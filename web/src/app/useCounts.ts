import { useCallback, useEffect, useMemo } from 'react';
import { onWrite } from './api';
import type { Role } from './api-types';
import { FEATURES } from './registry';
import { useSession } from './session';
import { useQuery } from './useQuery';

// The counts on the side menu ("Mới đến 3"): each feature that declares
// `counts` (app/feature.ts) is asked how many items wait behind its menu
// entries with a `count`, for the entries the person sees. They are polled,
// not pushed: the node caps the connections it keeps per client address and
// a stream held open by every tab would spend one, while a poll is one
// indexed COUNT per box. Asked again every 30 seconds while the tab is
// visible, at once when it comes back into view, and after every write the
// person makes in this tab (api.ts onWrite), so what they just did shows
// without waiting.

// localStorage key of another interval in milliseconds, read when the
// shell starts: lets a browser test see a change without waiting 30 s.
export const POLL_KEY = 'chancery.countsPollMs';
export const DEFAULT_POLL_MS = 30_000;
const MIN_POLL_MS = 100;
const MAX_POLL_MS = 60 * 60 * 1000;

// The interval for a stored override (a number of milliseconds; anything
// else, or nothing, is the default).
export function pollInterval(stored: string | null | undefined): number {
  const ms = Number(stored);
  if (!stored || !Number.isFinite(ms)) return DEFAULT_POLL_MS;
  return Math.min(Math.max(ms, MIN_POLL_MS), MAX_POLL_MS);
}

function storedInterval(): number {
  try {
    return pollInterval(localStorage.getItem(POLL_KEY));
  } catch {
    return DEFAULT_POLL_MS; // storage disabled
  }
}

export interface CountedEntry {
  path: string;
  roles: readonly Role[];
  source: number; // index of the feature whose `counts` answers
  count: string;
}

// The menu entries with a count, and each feature's counts (by index).
const SOURCES = FEATURES.map((f) => ('counts' in f ? f.counts : undefined));
const COUNTED: CountedEntry[] = FEATURES.flatMap((f, source) => f.routes.flatMap((r) => (
  r.menu?.count && SOURCES[source] ? [{ path: r.path, roles: r.menu.roles, source, count: r.menu.count }] : [])));

// The features to ask for the entries a person with `has` sees.
export function sourcesFor(entries: CountedEntry[], has: (...roles: Role[]) => boolean): number[] {
  return [...new Set(entries.filter((e) => has(...e.roles)).map((e) => e.source))].sort((a, b) => a - b);
}

type Answers = Record<number, Record<string, number>>;

// `countOf(path)`: the count to show beside that menu entry (0: none, or
// not known yet).
export function useCounts(): (path: string) => number {
  const { has } = useSession();
  const sources = sourcesFor(COUNTED, has);
  const key = sources.length ? `menu-counts:${sources.join(',')}` : null;
  const { data, reload } = useQuery<Answers>(key, async (signal) => {
    // One feature failing leaves the others' counts.
    const answers = await Promise.allSettled(sources.map((s) => SOURCES[s]!(signal)));
    const out: Answers = {};
    answers.forEach((a, i) => { out[sources[i]] = a.status === 'fulfilled' ? a.value : {}; });
    return out;
  }, { keep: true });

  useEffect(() => {
    if (key === null) return undefined;
    const visible = () => document.visibilityState === 'visible';
    const timer = window.setInterval(() => { if (visible()) void reload(); }, storedInterval());
    const onVisibility = () => { if (visible()) void reload(); };
    document.addEventListener('visibilitychange', onVisibility);
    const stopListening = onWrite(() => void reload());
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      stopListening();
    };
  }, [key, reload]);

  const byPath = useMemo(() => new Map(COUNTED.map((e) => [e.path, e])), []);
  return useCallback((path: string) => {
    const entry = byPath.get(path);
    return entry ? data?.[entry.source]?.[entry.count] ?? 0 : 0;
  }, [byPath, data]);
}
