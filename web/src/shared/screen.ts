import { useSyncExternalStore } from 'react';
import type { Breakpoint } from 'antd';

// The widths the web office lays out for, on Ant Design's breakpoints (the
// same numbers as app/shell.css and the `responsive` of table columns):
//   phone    below 576 px (antd `sm`): one column, icons in the header
//   tablet   576–991 px: the side menu is a drawer, as on a phone
//   desktop  992 px and up (antd `lg`): the side menu beside the page
// Read from matchMedia when asked, so that the first render already has
// the right layout (Grid.useBreakpoint starts empty and corrects itself).
export type Screen = 'phone' | 'tablet' | 'desktop';

const PHONE = '(max-width: 575.98px)';
const NARROW = '(max-width: 991.98px)';

function current(): Screen {
  if (typeof window === 'undefined' || !window.matchMedia) return 'desktop';
  if (window.matchMedia(PHONE).matches) return 'phone';
  return window.matchMedia(NARROW).matches ? 'tablet' : 'desktop';
}

function subscribe(onChange: () => void) {
  const queries = [PHONE, NARROW].map((q) => window.matchMedia(q));
  queries.forEach((q) => q.addEventListener('change', onChange));
  return () => queries.forEach((q) => q.removeEventListener('change', onChange));
}

export function useScreen(): Screen {
  return useSyncExternalStore(subscribe, current, () => 'desktop');
}

// A table column a phone leaves out (antd's `responsive`: shown from `sm`
// on). A phone's table keeps what names a row and what it says; what stays
// wider than the screen scrolls in the table's own box (app/shell.css).
export const NOT_ON_PHONE: Breakpoint[] = ['sm'];
