import type { Role } from '../../app/api-types';
import type { MessageKey } from '../../app/i18n';

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

// What an action asks before it goes (docs/web.md, "Confirmation"): every
// action that cannot be undone or leaves the office is confirmed in a
// dialog saying its consequences (`confirm.<action>`), with the words the
// domain requires — a reason to recall, return or refuse a recall (the
// server refuses these without one), a comment to send back; an action that
// only needs words (a processing note) asks for them the same way. Approve
// and submit can be undone (send back) and go on one click; signing asks
// for the PIN (its own dialog); assigning has its form.
export interface Confirmation {
  consequences?: MessageKey;
  text?: { name: 'reason' | 'comment'; label: MessageKey; required: boolean; max: number };
  danger?: boolean;
}

const REASON = 1000; // characters, as the server allows
const COMMENT = 4000;

export const CONFIRMATIONS: Record<string, Confirmation> = {
  send_back: { consequences: 'confirm.send_back', text: { name: 'comment', label: 'doc.comment', required: true, max: COMMENT } },
  note: { text: { name: 'comment', label: 'doc.comment', required: true, max: COMMENT } },
  // Paper documents only (signed by hand): a file is signed after the PIN.
  sign: { consequences: 'confirm.sign' },
  approve_sign: { consequences: 'confirm.approve_sign' },
  number: { consequences: 'confirm.number' },
  seal: { consequences: 'confirm.seal' },
  issue: { consequences: 'confirm.issue' },
  number_issue: { consequences: 'confirm.number_issue' },
  recall: { consequences: 'confirm.recall', danger: true, text: { name: 'reason', label: 'doc.recallReason', required: true, max: REASON } },
  file: { consequences: 'confirm.file' },
  archive: { consequences: 'confirm.archive' },
  register: { consequences: 'confirm.register' },
  return: { consequences: 'confirm.return', danger: true, text: { name: 'reason', label: 'doc.returnReason', required: true, max: REASON } },
  complete: { consequences: 'confirm.complete' },
  withdraw: { consequences: 'confirm.withdraw', danger: true, text: { name: 'reason', label: 'doc.withdrawReason', required: false, max: REASON } },
  agree_recall: { consequences: 'confirm.agree_recall', danger: true },
  refuse_recall: { consequences: 'confirm.refuse_recall', text: { name: 'reason', label: 'exchange.refuseReason', required: true, max: REASON } },
};

// Answers to another agency's recall (status 13): offered on the exchange
// card, beside the sender's request, rather than among the page's buttons.
export const RECALL_ANSWERS = ['agree_recall', 'refuse_recall'];
