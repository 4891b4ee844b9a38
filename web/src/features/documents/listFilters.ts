import type { Query } from '../../app/api';
import type { Urgency } from '../../app/api-types';
import { formatDate, parseDate } from '../../shared/format';

// The filters of a document box, kept in the page's URL (?q=&from=&to=&type=
// &state=&urgency=&unit=) so that Back, a reload and a shared link give the
// same list. The URL is the one source: the page reads the filters from it
// and writes a change into it. A value that is not one the box can use (a
// link typed by hand, an old bookmark) is left out rather than sent.

export type Box = 'all' | 'drafts' | 'awaiting_approval' | 'awaiting_assignment' | 'inbox' | 'outgoing' | 'incoming'
  | 'received' | 'to_issue';

export interface ListFilters {
  q?: string;
  from?: string; // YYYY-MM-DD: the day the document entered the books (a draft's: made)
  to?: string;
  type?: string; // a Decree 30 type code, or CONG_VAN
  state?: string;
  urgency?: Urgency;
  unit?: number;
}

// A công văn has no type code: the API asks for it by this word.
export const CONG_VAN = 'cong_van';

export const URGENCIES: Urgency[] = ['normal', 'khan', 'thuong_khan', 'hoa_toc'];

// The states of each direction, in the order a document goes through them
// (core/document_flow.cc).
const OUTGOING_STATES = ['draft', 'in_review', 'approved', 'signed', 'numbered', 'sealed', 'issued', 'recalled',
  'replaced', 'filed', 'archived'];
const INCOMING_STATES = ['received', 'registered', 'assigned', 'in_progress', 'completed', 'returned',
  'recall_requested', 'recalled', 'filed', 'archived'];

// The states a box can hold: what its state filter offers (none for a box
// of one state).
export function statesOf(box: Box): string[] {
  switch (box) {
    case 'all': return [...OUTGOING_STATES, ...INCOMING_STATES.filter((s) => !OUTGOING_STATES.includes(s))];
    case 'outgoing': return OUTGOING_STATES;
    case 'incoming': return INCOMING_STATES;
    case 'inbox': return ['assigned', 'in_progress'];
    case 'to_issue': return ['signed', 'numbered', 'sealed'];
    default: return [];
  }
}

// Whether a box may be narrowed to a unit (the inbox is by person).
export const filtersByUnit = (box: Box) => box !== 'inbox';

const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && parseDate(formatDate(v)) === v;
const isTypeCode = (v: string) => v === CONG_VAN || /^\p{L}{1,8}$/u.test(v);

// The filters a URL's query string asks of `box`.
export function filtersFromSearch(params: URLSearchParams, box: Box): ListFilters {
  const f: ListFilters = {};
  const q = params.get('q')?.trim().slice(0, 200);
  if (q) f.q = q;
  const from = params.get('from');
  if (from && isDay(from)) f.from = from;
  const to = params.get('to');
  if (to && isDay(to) && !(f.from && to < f.from)) f.to = to;
  const type = params.get('type');
  if (type && isTypeCode(type)) f.type = type;
  const state = params.get('state');
  if (state && statesOf(box).includes(state)) f.state = state;
  const urgency = URGENCIES.find((u) => u === params.get('urgency'));
  if (urgency) f.urgency = urgency;
  const unit = Number(params.get('unit'));
  if (filtersByUnit(box) && Number.isSafeInteger(unit) && unit > 0) f.unit = unit;
  return f;
}

// The query string of `f`, in a fixed order (the same filters, the same URL).
export function searchOfFilters(f: ListFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.q?.trim()) params.set('q', f.q.trim());
  if (f.from) params.set('from', f.from);
  if (f.to) params.set('to', f.to);
  if (f.type) params.set('type', f.type);
  if (f.state) params.set('state', f.state);
  if (f.urgency) params.set('urgency', f.urgency);
  if (f.unit) params.set('unit', String(f.unit));
  return params;
}

// Whether anything narrows the list beyond its box.
export const filtered = (f: ListFilters) => searchOfFilters(f).toString() !== '';

// GET /documents's query for one page of `box` under `f`. The inbox is
// sorted by deadline (earliest first); every other box newest first.
export function listQuery(box: Box, f: ListFilters, cursor?: string, limit = 50): Query {
  return {
    box, q: f.q, from: f.from, to: f.to, type: f.type, state: f.state, urgency: f.urgency, unit_id: f.unit,
    sort: box === 'inbox' ? 'deadline' : undefined, cursor, limit,
  };
}
