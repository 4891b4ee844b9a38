import { describe, expect, it } from 'vitest';
import { columnsKey, isShown, isTyping, nextIndex, readChoice } from './workList';

// A DOM element as isTyping sees it: what `closest` finds around it.
const element = (inside: string[], editable = false) => ({
  isContentEditable: editable,
  closest: (selector: string) => (selector.split(', ').some((s) => inside.includes(s)) ? {} : null),
});

describe('the list shortcuts', () => {
  it('stay out of fields, editable areas, selects and dialogs', () => {
    expect(isTyping(element(['input']) as unknown as EventTarget)).toBe(true);
    expect(isTyping(element(['textarea']) as unknown as EventTarget)).toBe(true);
    expect(isTyping(element(['[role="combobox"]']) as unknown as EventTarget)).toBe(true);
    expect(isTyping(element(['[role="dialog"]']) as unknown as EventTarget)).toBe(true);
    expect(isTyping(element([], true) as unknown as EventTarget)).toBe(true);
  });

  it('work anywhere else: a row, a button, the page itself', () => {
    expect(isTyping(element([]) as unknown as EventTarget)).toBe(false);
    expect(isTyping(null)).toBe(false);
    expect(isTyping({} as EventTarget)).toBe(false); // the window
  });

  it('move one row at a time, start at the first row and stop at either end', () => {
    expect(nextIndex(null, 1, 5)).toBe(0);
    expect(nextIndex(null, -1, 5)).toBe(0);
    expect(nextIndex(0, 1, 5)).toBe(1);
    expect(nextIndex(4, 1, 5)).toBe(4);
    expect(nextIndex(0, -1, 5)).toBe(0);
    expect(nextIndex(7, -1, 5)).toBe(4); // the list got shorter
    expect(nextIndex(2, 1, 0)).toBe(null);
  });
});

describe('the columns a person chose', () => {
  const optional = { key: 'deadline', optional: true };
  const hidden = { key: 'type', optional: true, hiddenByDefault: true };
  const fixed = { key: 'subject' };

  it('are kept per list and per user', () => {
    expect(columnsKey('documents', 3)).toBe('chancery.columns.documents.3');
    expect(columnsKey('documents', 4)).not.toBe(columnsKey('documents', 3));
  });

  it('show a column as chosen, else as it shows by default; a fixed one always', () => {
    expect(isShown(optional, {})).toBe(true);
    expect(isShown(optional, { deadline: false })).toBe(false);
    expect(isShown(hidden, {})).toBe(false);
    expect(isShown(hidden, { type: true })).toBe(true);
    expect(isShown(fixed, { subject: false })).toBe(true);
  });

  it('read what was stored, and nothing from what is not a choice', () => {
    expect(readChoice('{"deadline":false,"type":true}')).toEqual({ deadline: false, type: true });
    expect(readChoice('{"deadline":"no","type":true}')).toEqual({ type: true });
    expect(readChoice(null)).toEqual({});
    expect(readChoice('[1,2]')).toEqual({});
    expect(readChoice('not json')).toEqual({});
  });
});
