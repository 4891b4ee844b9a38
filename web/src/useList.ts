import { useCallback, useEffect, useState } from 'react';
import { get, type Query } from './api';

// A list the server sends whole (`{items}`): loaded now and whenever the
// path or query changes, and again on `reload`.
export function useList<T>(path: string, query?: Query) {
  const [items, setItems] = useState<T[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const key = JSON.stringify(query ?? {});
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setItems((await get<{ items: T[] }>(path, JSON.parse(key) as Query)).items);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [path, key]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { items, loading, error, reload };
}
