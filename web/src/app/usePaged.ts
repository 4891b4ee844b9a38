import { useMemo, useRef } from 'react';
import type { Page } from './api-types';
import { useQuery } from './useQuery';

// A server-paginated list: the first page now, the next on "load more".
// A new `key` (other filters) starts again from the first page; answers to
// an older key are dropped (useQuery's guard).
export function usePaged<T>(fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>, key: string) {
  const latest = useRef(fetchPage);
  latest.current = fetchPage;
  const q = useQuery<Page<T>>(key, (signal) => latest.current(undefined, signal));
  const items = useMemo(() => q.data?.items ?? [], [q.data]);
  const cursor = q.data?.next_cursor ?? null;
  return {
    items,
    loading: q.loading,
    error: q.error,
    hasMore: cursor !== null,
    loadMore: () => cursor && q.load(async (signal) => {
      const page = await latest.current(cursor, signal);
      return { items: [...items, ...page.items], next_cursor: page.next_cursor };
    }),
    reload: q.reload,
  };
}
