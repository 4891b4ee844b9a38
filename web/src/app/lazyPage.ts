import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

// A page loaded on first use, like React's lazy, that can also be asked to
// load before it renders: App starts the current route's page together with
// /me when the browser was signed in last time, instead of after it
// (docs/performance.md, "First load"). Features declare their pages with it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as React.lazy declares it
export type LazyPage<T extends ComponentType<any>> = LazyExoticComponent<T> & {
  preload: () => Promise<unknown>;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as React.lazy declares it
export function lazyPage<T extends ComponentType<any>>(load: () => Promise<{ default: T }>): LazyPage<T> {
  let started: Promise<{ default: T }> | null = null;
  const once = () => (started ??= load());
  return Object.assign(lazy(once), { preload: once });
}

// The element's page, if it is a LazyPage, starts loading.
export function preloadElement(element: unknown) {
  const type = (element as { type?: { preload?: () => Promise<unknown> } } | null)?.type;
  void type?.preload?.().catch(() => undefined);
}
