import { describe, expect, it } from 'vitest';
import { visibleActions } from './actions';

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
