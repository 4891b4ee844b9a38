import { tKey, type MessageKey, type T } from '../../app/i18n';
import { ApiError, type Query } from '../../app/api';
import { describe, explain } from '../../shared/errors';
import {
  FACETS, KINDS, LEGAL_FACETS, STATUSES,
  type Citation, type FacetName, type FacetValue, type Kind, type LegalFacetName, type LegalStatus, type Match,
  type Relation, type SearchHit, type Sort,
} from './types';

// What the search pages and the legal database know without React: where a
// hit leads, the filters to and from the URL, labels in the person's
// language, and an article's text cut at its citations.

// ---- Where things lead ------------------------------------------------------

// The page of a legal document, at one of its articles (`#article-12`, the
// anchor each article carries on that page).
export const legalHref = (documentId: number, articleId?: number | null) =>
  articleId ? `/legal/${documentId}#article-${articleId}` : `/legal/${documentId}`;

// An article known by its id alone: a route that finds its document and goes there.
export const articleHref = (articleId: number) => `/legal/articles/${articleId}`;

export function hitHref(h: Pick<SearchHit, 'kind' | 'id' | 'document_id'>): string {
  switch (h.kind) {
    case 'document': return `/documents/${h.id}`;
    case 'legal': return legalHref(h.id);
    case 'article': return h.document_id ? legalHref(h.document_id, h.id) : articleHref(h.id);
    default: return searchHref(''); // a kind this page does not know yet
  }
}

export function searchHref(q: string): string {
  return `/search?${new URLSearchParams({ q }).toString()}`;
}

// Where a citation inside an article leads: the article cited, else the
// document cited, else (neither is in the database) a search for the words.
export function citationHref(c: Citation, text: string): string {
  if (c.article_id && c.document_id) return legalHref(c.document_id, c.article_id);
  if (c.article_id) return articleHref(c.article_id);
  if (c.document_id) return legalHref(c.document_id);
  return searchHref(text.slice(c.start, c.end));
}

// The hits of a search by kind, in the order the box shows them (Văn bản,
// Văn bản pháp luật, Điều), each keeping the server's order; empty kinds
// are left out.
export function groupHits(items: SearchHit[]): { kind: Kind; items: SearchHit[] }[] {
  return KINDS.map((kind) => ({ kind, items: items.filter((h) => h.kind === kind) })).filter((g) => g.items.length > 0);
}

export const hitKey = (h: Pick<SearchHit, 'kind' | 'id'>) => `${h.kind}:${h.id}`;

// ---- The results page's filters, in its URL ------------------------------------

export interface SearchFilters {
  q: string;
  sort: Sort;
  match: Match;
  // The values ticked in each facet.
  facets: Partial<Record<FacetName, string[]>>;
}

// The API's parameter of each facet (the URL uses the same names).
export const FACET_PARAM: Record<FacetName, string> = {
  kind: 'kind', type: 'type', issuer: 'issuer', year: 'year', state: 'state', unit: 'unit_id',
  classification: 'classification', status: 'status',
};

// A facet's values travel as one parameter, separated by '|' (the API's
// `kind=document|legal`), so names holding commas ("An ninh, trật tự") stay whole.
const split = (v: string | null) => (v ? v.split('|').map((s) => s.trim()).filter(Boolean) : []);

export function searchFiltersFrom(params: URLSearchParams): SearchFilters {
  const facets: SearchFilters['facets'] = {};
  for (const f of FACETS) {
    let values = [...new Set(split(params.get(FACET_PARAM[f])))];
    if (f === 'kind') values = values.filter((v) => (KINDS as readonly string[]).includes(v));
    if (f === 'status') values = values.filter((v) => (STATUSES as readonly string[]).includes(v));
    if (f === 'unit' || f === 'year') values = values.filter((v) => /^\d+$/.test(v));
    if (values.length) facets[f] = values;
  }
  return {
    q: (params.get('q') ?? '').trim(),
    sort: params.get('sort') === 'date' ? 'date' : 'relevance',
    match: params.get('match') === 'any' ? 'any' : 'all',
    facets,
  };
}

export function searchOfFilters(f: SearchFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  for (const name of FACETS) {
    const values = f.facets[name];
    if (values?.length) p.set(FACET_PARAM[name], values.join('|'));
  }
  if (f.sort !== 'relevance') p.set('sort', f.sort);
  if (f.match !== 'all') p.set('match', f.match);
  return p;
}

// GET /search's query for these filters.
export function searchQuery(f: SearchFilters, cursor?: string, limit = 20): Query {
  const q: Query = { q: f.q, sort: f.sort, match: f.match, cursor, limit };
  for (const name of FACETS) {
    const values = f.facets[name];
    if (values?.length) q[FACET_PARAM[name]] = values.join('|');
  }
  return q;
}

// Ticks or unticks one value; a new filter starts the list again.
export function toggleFacet(f: SearchFilters, name: FacetName, value: string, on: boolean): SearchFilters {
  const current = f.facets[name] ?? [];
  const next = on ? [...new Set([...current, value])] : current.filter((v) => v !== value);
  const facets = { ...f.facets };
  if (next.length) facets[name] = next;
  else delete facets[name];
  return { ...f, facets };
}

// The values a facet lists: the server's (with their counts), and those
// ticked that its answer no longer names (count 0), so they can be unticked.
export function facetValues(answer: FacetValue[] | undefined, ticked: string[] = []): FacetValue[] {
  const values = [...(answer ?? [])];
  for (const v of ticked) if (!values.some((a) => a.value === v)) values.push({ value: v, label: '', count: 0 });
  return values;
}

// ---- The legal database's filters, in its URL ------------------------------------

export interface LegalFilters {
  q?: string;
  type?: string;
  issuer?: string;
  field?: string;
  status?: LegalStatus;
  year?: string;
  on?: string; // YYYY-MM-DD
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function legalFiltersFrom(params: URLSearchParams): LegalFilters {
  const text = (k: string) => params.get(k)?.trim() || undefined;
  const status = STATUSES.find((s) => s === params.get('status'));
  const year = text('year');
  const on = text('on');
  return {
    q: text('q'), type: text('type'), issuer: text('issuer'), field: text('field'), status,
    year: year && /^\d{4}$/.test(year) ? year : undefined,
    on: on && DAY.test(on) ? on : undefined,
  };
}

export function searchOfLegalFilters(f: LegalFilters): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of ['q', 'type', 'issuer', 'field', 'status', 'year', 'on'] as const) {
    const v = f[k];
    if (v) p.set(k, v);
  }
  return p;
}

export const legalFiltered = (f: LegalFilters) => (['type', 'issuer', 'field', 'status', 'year', 'on'] as const).some((k) => !!f[k]);

// ---- Refusals ---------------------------------------------------------------------

// What to say when a search is refused: a refused query (query_empty,
// query_too_long, …: the problem's code, or the code of its `q` field as
// the node sends it) by its own message alone — the server's English words
// add nothing —, anything else as every page says it.
export function searchFailure(error: unknown, t: T): string {
  const p = error instanceof ApiError ? error.problem : null;
  const code = [p?.code, ...(p?.errors ?? []).map((e) => e.code)].find((c) => c?.startsWith('query_'));
  return code ? tKey(t, `error.${code}`, explain(error, t).message) : describe(error, t);
}

// The refusal of an imported file: the message, and what the node says is
// wrong (its field message naming the file, the article or line), or its
// detail when no field says it.
export function importFailure(error: unknown, t: T): string {
  const e = explain(error, t);
  const said = describe(error, t);
  const detail = error instanceof ApiError ? error.problem.detail : undefined;
  return e.fields.length === 0 && detail && !said.includes(detail) ? `${said} ${detail}` : said;
}

// ---- Labels ---------------------------------------------------------------------

const FACET_TITLES: Record<FacetName, MessageKey> = {
  kind: 'search.facet.kind', type: 'search.facet.type', issuer: 'search.facet.issuer', year: 'search.facet.year',
  state: 'search.facet.state', unit: 'search.facet.unit', classification: 'search.facet.classification',
  status: 'search.facet.status',
};
export const facetTitle = (t: T, f: FacetName) => t(FACET_TITLES[f]);

const LEGAL_FACET_TITLES: Record<LegalFacetName, MessageKey> = {
  type: 'doc.type', issuer: 'doc.issuer', field: 'legal.field', year: 'legal.year', status: 'legal.status',
};
export const legalFacetTitle = (t: T, f: LegalFacetName) => t(LEGAL_FACET_TITLES[f]);
export { LEGAL_FACETS };

export const kindLabel = (t: T, kind: Kind) => t(`search.kind.${kind}`);

export function statusLabel(t: T, status: string | null | undefined, fallback = ''): string {
  return status ? tKey(t, `legal.status.${status}`, fallback || status) : fallback;
}

// A document's state as a word: the catalogue's, else the server's label.
export function stateLabel(t: T, state: string | null | undefined, label?: string | null): string {
  return state ? tKey(t, `state.${state}`, label || '') : label || '';
}

// A facet value as the person reads it: kinds, states, classifications and
// validity in their language; a document type by its name; the rest
// (issuers, units, years) as the server names them. `unitName` names a
// ticked unit the answer left out.
export function facetValueLabel(t: T, facet: FacetName | LegalFacetName, v: FacetValue, unitName?: (id: number) => string): string {
  switch (facet) {
    case 'kind': return tKey(t, `search.kind.${v.value}`, v.label || v.value);
    case 'state': return stateLabel(t, v.value, v.label) || v.value;
    case 'classification': return tKey(t, `classification.${v.value}`, v.label || v.value);
    case 'status': return statusLabel(t, v.value, v.label);
    case 'type': return tKey(t, `doctype.${v.value}`, v.label || v.value);
    case 'unit': return v.label || (unitName ? unitName(Number(v.value)) : '');
    default: return v.label || v.value;
  }
}

export const STATUS_COLORS: Record<LegalStatus, string> = {
  not_yet_in_force: 'blue', in_force: 'green', partly_expired: 'gold', expired: 'red',
};

// A relation in words, seen from this document: "Sửa đổi, bổ sung" what it
// amends, "Được sửa đổi, bổ sung bởi" what amends it; a kind the catalogue
// does not know keeps the server's label.
export function relationLabel(t: T, r: Pick<Relation, 'kind' | 'direction' | 'label'>): string {
  return tKey(t, `legal.rel.${r.kind}.${r.direction}`, r.label);
}

// ---- Citations ------------------------------------------------------------------

export interface Piece {
  text: string;
  citation: Citation | null;
}

// An article's text cut into plain pieces and cited ones. Offsets are
// UTF-16 code units (JavaScript string indices), [start, end). A citation
// out of the text, empty, or overlapping one before it is left as text.
export function citationPieces(text: string, citations: Citation[]): Piece[] {
  const sorted = [...citations]
    .filter((c) => Number.isInteger(c.start) && Number.isInteger(c.end) && c.start >= 0 && c.end <= text.length && c.start < c.end)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const pieces: Piece[] = [];
  let at = 0;
  for (const c of sorted) {
    if (c.start < at) continue; // overlaps the one before
    if (c.start > at) pieces.push({ text: text.slice(at, c.start), citation: null });
    pieces.push({ text: text.slice(c.start, c.end), citation: c });
    at = c.end;
  }
  if (at < text.length || pieces.length === 0) pieces.push({ text: text.slice(at), citation: null });
  return pieces;
}

// ---- The outline ----------------------------------------------------------------

export interface OutlineNode {
  key: string;
  title: string;
  articleId: number | null;
  children: OutlineNode[];
}

// The flat outline (each entry with its depth) as a tree: an entry goes
// under the nearest one before it that is less deep.
export function outlineTree(entries: { label: string; title: string | null; article_id: number | null; depth: number }[]): OutlineNode[] {
  const roots: OutlineNode[] = [];
  const stack: { depth: number; node: OutlineNode }[] = [];
  entries.forEach((e, i) => {
    const node: OutlineNode = {
      key: e.article_id ? `article-${e.article_id}` : `outline-${i}`,
      title: e.title ? `${e.label}. ${e.title}` : e.label,
      articleId: e.article_id,
      children: [],
    };
    while (stack.length && stack[stack.length - 1].depth >= e.depth) stack.pop();
    (stack.length ? stack[stack.length - 1].node.children : roots).push(node);
    stack.push({ depth: e.depth, node });
  });
  return roots;
}

// An article's heading: "Điều 5. Nguyên tắc bảo vệ an ninh mạng".
export const articleHeading = (a: { label: string; title: string | null }) => (a.title ? `${a.label}. ${a.title}` : a.label);
