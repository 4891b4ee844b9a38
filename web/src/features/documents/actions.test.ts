import { describe, expect, it } from 'vitest';
import { CONFIRMATIONS, visibleActions } from './actions';

describe('action buttons by role', () => {
  it('offers the leader approve-and-sign next to approve, and hides clerk actions', () => {
    expect(visibleActions(['send_back', 'approve'], ['leader'])).toEqual(['send_back', 'approve_sign', 'approve']);
    expect(visibleActions(['number'], ['leader'])).toEqual([]);
  });

  it('offers the clerk number-and-issue for a signed document', () => {
    expect(visibleActions(['number'], ['clerk'])).toEqual(['number_issue', 'number']);
  });

  it('lets a specialist only work on what is theirs to do', () => {
    expect(visibleActions(['assign', 'note', 'complete', 'withdraw'], ['specialist'])).toEqual(['note', 'complete']);
  });
});

// A clerk's report: "Rút văn bản", "Hoàn thành", "Cấp số và phát hành"
// went on one click.
describe('what an action asks before it goes', () => {
  const ASKED = ['sign', 'approve_sign', 'number', 'seal', 'issue', 'number_issue', 'recall', 'file', 'archive', 'register',
    'return', 'complete', 'withdraw', 'agree_recall', 'refuse_recall', 'send_back'];

  it('says the consequences of every action that cannot be undone or leaves the office', () => {
    for (const a of ASKED) expect(CONFIRMATIONS[a]?.consequences, a).toBe(`confirm.${a}`);
    for (const a of ['submit', 'approve']) expect(CONFIRMATIONS[a], a).toBeUndefined(); // send back undoes them
  });

  it('asks for the reason the domain requires, as the server names it', () => {
    for (const a of ['recall', 'return', 'refuse_recall']) {
      expect(CONFIRMATIONS[a].text, a).toMatchObject({ name: 'reason', required: true, max: 1000 });
    }
    expect(CONFIRMATIONS.withdraw.text).toMatchObject({ name: 'reason', required: false });
    expect(CONFIRMATIONS.send_back.text).toMatchObject({ name: 'comment', required: true });
    expect(CONFIRMATIONS.note.text).toMatchObject({ name: 'comment', required: true });
  });
});
