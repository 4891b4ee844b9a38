import type { ReactNode } from 'react';
import type { Role } from './api-types';
import type { Rows } from './i18n/format';
import type { MessageKey } from './i18n/catalogue';

// What a feature (src/features/<name>/index.tsx) brings to the app: its
// messages, its routes with their menu entries, and entries of the user menu.

export interface FeatureRoute {
  path: string;
  element: ReactNode;
  // In the side menu, for people with one of `roles`, in `order` (the menu
  // interleaves features: the order is the menu's, not the registry's). A
  // route is open to everyone signed in whatever its menu entry says: the
  // node refuses what a person may not see, and pages say so. `count`
  // names what the feature's `counts` answer says waits behind the entry;
  // the shell shows it beside the label ("Chờ duyệt 2"), none when 0.
  menu?: { label: MessageKey; roles: Role[]; order: number; count?: string };
}

// How many items wait in a feature's queues for the person signed in, by
// the `count` names of its menu entries: one cheap request for all of them.
// The shell asks it only when the person sees an entry with a count, every
// 30 seconds while the tab is visible, when the tab comes back into view
// and after every write the person makes (app/useCounts.ts).
export type CountsSource = (signal: AbortSignal) => Promise<Record<string, number>>;

// An entry of the menu under the person's name, opening a dialog.
export interface UserMenuEntry {
  key: string;
  label: MessageKey;
  dialog: (close: () => void) => ReactNode;
}

export interface Feature {
  messages: Rows;
  routes: FeatureRoute[];
  userMenu?: UserMenuEntry[];
  counts?: CountsSource;
  // Put in the header of every page, after the app's name (the search
  // box): a lazyPage element, so that the shell stays cheap to load.
  header?: ReactNode;
}
