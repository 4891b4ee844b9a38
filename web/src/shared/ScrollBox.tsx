import type { ReactNode } from 'react';

// What may be wider than a phone — a table with its columns, a printed
// register — scrolls sideways in this box, never the page. The box is a
// named region and takes the focus, so that the keyboard scrolls it too
// (a scrolling area must be reachable without a mouse: axe's
// scrollable-region-focusable). The table inside does not scroll by itself
// (app/shell.css), whether or not its rows hold a link or a button.
export function ScrollBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="scroll-box" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
