import { useCallback, useState, useSyncExternalStore } from 'react';

// What the lists people work in share (WorkList.tsx): the keys that move
// through them, the columns each person chose, and when to show cards.

// Whether a key pressed on `target` is typing (a field, an editable area, a
// select, or inside a dialog): then the list's shortcuts stay out of it.
export function isTyping(target: EventTarget | null): boolean {
  const el = target as { closest?: (s: string) => unknown; isContentEditable?: boolean } | null;
  if (!el || typeof el.closest !== 'function') return false;
  return !!el.isContentEditable || !!el.closest(
    'input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="combobox"], [role="textbox"], [role="dialog"]');
}

// The row a move of `delta` leads to from `current` (null: none chosen yet,
// the first row) among `count`, never past either end; null for no rows.
export function nextIndex(current: number | null, delta: number, count: number): number | null {
  if (count <= 0) return null;
  if (current === null) return 0;
  return Math.min(Math.max(current + delta, 0), count - 1);
}

// A column a person may hide or show; the others always show.
export interface ColumnSpec {
  key: string;
  optional?: boolean;
  hiddenByDefault?: boolean;
}

// Shown or hidden, by column key, as the person chose; a column they never
// chose about keeps its default (so a column added later shows as meant).
export type ColumnChoice = Record<string, boolean>;

// Where a person's choice for a list is kept in this browser: per user, so
// that someone else signing in on the same computer gets their own.
export const columnsKey = (list: string, userId: number) => `chancery.columns.${list}.${userId}`;

export function readChoice(stored: string | null): ColumnChoice {
  try {
    const v: unknown = JSON.parse(stored ?? '');
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v).filter(([, shown]) => typeof shown === 'boolean'));
  } catch {
    return {};
  }
}

export function isShown(column: ColumnSpec, choice: ColumnChoice): boolean {
  if (!column.optional) return true;
  return choice[column.key] ?? !column.hiddenByDefault;
}

function load(key: string | null): ColumnChoice {
  if (!key) return {};
  try {
    return readChoice(localStorage.getItem(key));
  } catch {
    return {}; // storage disabled
  }
}

// The person's choice of columns for `list`, kept in localStorage under
// their id; `choose(key, shown)` changes and keeps it.
export function useColumnChoice(list: string, userId: number | undefined) {
  const key = userId ? columnsKey(list, userId) : null;
  const [state, setState] = useState(() => ({ key, choice: load(key) }));
  // Another person signed in without the page being left: read theirs.
  const choice = state.key === key ? state.choice : load(key);
  if (state.key !== key) setState({ key, choice });
  const choose = useCallback((column: string, shown: boolean) => {
    setState((prev) => {
      const next = { ...prev.choice, [column]: shown };
      try {
        if (prev.key) localStorage.setItem(prev.key, JSON.stringify(next));
      } catch {
        /* storage disabled: kept for this page only */
      }
      return { key: prev.key, choice: next };
    });
  }, []);
  return { choice, choose };
}

// Narrow screens (phones: under 768 px) get cards instead of a table.
const NARROW = '(max-width: 767.98px)';

function subscribe(onChange: () => void) {
  const query = window.matchMedia(NARROW);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

export function useNarrowScreen(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(NARROW).matches, () => false);
}
