import type { Role } from '../../app/api-types';

// Which buttons a person sees for the actions the server allows in a
// document's state (the server checks roles again; this only keeps the
// page uncluttered). Mirrors the transition table of src/core/document_flow.cc.
const ACTION_ROLES: Record<string, Role[]> = {
  submit: ['specialist', 'leader', 'clerk'],
  send_back: ['leader'],
  approve: ['leader'],
  sign: ['leader'],
  number: ['clerk'],
  seal: ['clerk'],
  issue: ['clerk'],
  recall: ['clerk', 'leader'],
  file: ['clerk', 'specialist'],
  archive: ['clerk'],
  register: ['clerk'],
  return: ['clerk'],
  assign: ['leader'],
  note: ['specialist', 'leader', 'clerk'],
  complete: ['specialist', 'leader'],
  withdraw: ['clerk'],
  agree_recall: ['clerk', 'leader'],
  refuse_recall: ['clerk', 'leader'],
};

// Composite buttons: one click, several actions in order.
export const SEQUENCES: Record<string, string[]> = {
  approve_sign: ['approve', 'sign'],
  number_issue: ['number', 'seal', 'issue'],
};

export function visibleActions(allowed: string[], roles: Role[]): string[] {
  const mine = allowed.filter((a) => (ACTION_ROLES[a] || []).some((r) => roles.includes(r)));
  const out: string[] = [];
  for (const a of mine) {
    if (a === 'approve' && roles.includes('leader')) out.push('approve_sign');
    if (a === 'number' && roles.includes('clerk')) out.push('number_issue');
    out.push(a);
  }
  return out;
}

// Actions that need words from the person before they go.
export const NEEDS_TEXT: Record<string, 'comment' | 'reason'> = {
  send_back: 'comment',
  note: 'comment',
  return: 'reason',
  refuse_recall: 'reason',
};

// Answers to another agency's recall (status 13): offered on the exchange
// card, beside the sender's request, rather than among the page's buttons.
export const RECALL_ANSWERS = ['agree_recall', 'refuse_recall'];
