import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { get, withQuery, type Query } from './api';

// The one way a page reads from the node: `useQuery(key, fetcher)` loads
// now and whenever `key` changes (null: nothing to load), and again on
// `reload`. Only the latest request counts: starting one aborts the one
// before, and an answer (or failure) of a superseded request is dropped, so
// a slow answer to old filters never overwrites the answer to new ones.

export type Fetcher<T> = (signal: AbortSignal) => Promise<T>;

export interface QueryState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
}

const IDLE = { data: undefined, error: null, loading: false };

// The guard, outside React so that it can be tested on its own. `fresh`
// forgets the previous answer (other filters); a reload keeps it on screen
// until the new one arrives.
export function createQuery<T>(onChange: (state: QueryState<T>) => void) {
  let generation = 0;
  let controller: AbortController | null = null;
  let state: QueryState<T> = IDLE;
  // A change that changes nothing is not told: a load started while one is
  // on its way (a key typed in a box that searches as one types) sets no
  // state, so that keys arriving in a burst do not each add an update
  // (docs/web.md, "Keys queued behind a busy page").
  const set = (next: Partial<QueryState<T>>) => {
    const merged = { ...state, ...next };
    if (merged.data === state.data && merged.error === state.error && merged.loading === state.loading) return;
    state = merged;
    onChange(state);
  };
  const stop = () => {
    controller?.abort();
    controller = null;
    generation++;
  };
  return {
    async run(fetcher: Fetcher<T>, fresh = false): Promise<void> {
      stop();
      const mine = generation;
      const own = new AbortController();
      controller = own;
      set(fresh ? { ...IDLE, loading: true } : { loading: true });
      try {
        const data = await fetcher(own.signal);
        if (mine === generation) set({ data, error: null, loading: false });
      } catch (error) {
        if (mine === generation) set({ error, loading: false });
      }
    },
    // Nothing to load (key null) or the page is gone: answers still on the
    // way are dropped.
    reset() {
      stop();
      set(IDLE);
    },
    stop,
  };
}

export function useQuery<T>(key: string | null, fetcher: Fetcher<T>, options: { keep?: boolean } = {}) {
  const [state, setState] = useState<QueryState<T>>(IDLE);
  const query = useMemo(() => createQuery<T>(setState), []);
  const latest = useRef(fetcher);
  latest.current = fetcher;
  const keep = !!options.keep;

  useEffect(() => {
    if (key === null) query.reset();
    else void query.run((signal) => latest.current(signal), !keep);
  }, [key, keep, query]);
  useEffect(() => () => query.stop(), [query]);

  const reload = useCallback(
    () => (key === null ? Promise.resolve() : query.run((signal) => latest.current(signal))),
    [key, query],
  );
  // Another request whose answer replaces the data, under the same guard
  // (e.g. the next page appended to the ones shown).
  const load = useCallback((other: Fetcher<T>) => query.run(other), [query]);
  return { ...state, reload, load };
}

// A list the server sends whole (`{items}`), keyed by its path and query
// (null: nothing to load).
export function useItems<T>(path: string | null, query?: Query) {
  const q = useQuery(path === null ? null : withQuery(path, query), (signal) =>
    get<{ items: T[] }>(path ?? '', query, signal));
  const items = useMemo(() => q.data?.items ?? [], [q.data]);
  return { ...q, items };
}

// A pause inside a fetcher, to wait until typing stops (a debounce): a
// request superseded meanwhile ends here, before anything is sent.
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
