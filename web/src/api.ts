// The one way the UI talks to the node: JSON over fetch, same origin, the
// session in an HttpOnly cookie and the CSRF token in a header on every
// unsafe request. Errors come back as problem+json and are thrown as
// ApiError so that forms can show them per field.

import type { DocumentSignature } from './signatures';

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

export interface Problem {
  status: number;
  code: string;
  title?: string;
  detail?: string;
  errors?: FieldProblem[];
  allowed?: string[];
  retry_after?: number; // seconds, from Retry-After (account_locked)
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title || problem.code);
    this.problem = problem;
  }
}

let csrfToken = '';
export function setCsrfToken(token: string | undefined) {
  csrfToken = token || '';
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

interface Options {
  query?: Query;
  body?: unknown;
  raw?: Blob;
  contentType?: string;
  ifMatch?: number; // document/user/unit version → If-Match: "v<version>"
}

// Turns any failed answer into a Problem, even one that is not problem+json
// (a proxy's HTML error page, a dropped connection).
async function problemOf(res: Response): Promise<Problem> {
  const wait = Number(res.headers.get('Retry-After'));
  const retry = Number.isFinite(wait) && wait > 0 ? { retry_after: wait } : {};
  try {
    const body = await res.json();
    if (body && typeof body.code === 'string') return { ...body, ...retry, status: res.status };
  } catch {
    /* not JSON */
  }
  return { status: res.status, code: res.status >= 500 ? 'internal' : 'malformed_request', ...retry };
}

export async function call<T>(method: string, path: string, options: Options = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.raw) {
    body = options.raw;
    headers['Content-Type'] = options.contentType || options.raw.type || 'application/octet-stream';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken;
  if (options.ifMatch !== undefined) headers['If-Match'] = `"v${options.ifMatch}"`;
  let res: Response;
  try {
    res = await fetch(withQuery(`/api/v1${path}`, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError({ status: 0, code: 'unavailable' });
  }
  if (!res.ok) throw new ApiError(await problemOf(res));
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T>(path: string, query?: Query) => call<T>('GET', path, { query });
export const post = <T>(path: string, body?: unknown, ifMatch?: number) =>
  call<T>('POST', path, { body: body ?? {}, ifMatch });
export const put = <T>(path: string, body: unknown) => call<T>('PUT', path, { body });
export const patch = <T>(path: string, body: unknown, ifMatch: number) =>
  call<T>('PATCH', path, { body, ifMatch });
export const upload = <T>(path: string, file: Blob, query?: Query) =>
  call<T>('POST', path, { raw: file, query });

// ---- shapes of the API's answers (docs/openapi.json)

export type Role = 'administrator' | 'clerk' | 'specialist' | 'leader' | 'security_officer';
export type Classification = 'normal' | 'mat' | 'toi_mat' | 'tuyet_mat';
export type Urgency = 'normal' | 'khan' | 'thuong_khan' | 'hoa_toc';
export type Language = 'vi' | 'en' | 'fr';

export interface User {
  id: number;
  username: string;
  full_name: string;
  unit_id: number;
  position: string;
  roles: Role[];
  clearance: Classification;
  active: boolean;
  language: Language;
  version: number;
  csrf_token?: string;
}

// GET /me: the user, the CSRF token, and the node's date in Vietnam.
export interface Me extends User {
  today?: string;
}

export interface Person {
  id: number;
  full_name: string;
  position: string;
  unit_id: number;
}

export interface Unit {
  id: number;
  name: string;
  abbreviation: string;
  parent_id: number | null;
  active: boolean;
  issues_documents?: boolean;
  agency_code?: string;
  version: number;
  [key: string]: unknown;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Doc {
  id: number;
  direction: 'outgoing' | 'incoming';
  state: string;
  unit_id: number;
  created_by: number | null;
  type_code: string;
  subject: string;
  urgency: Urgency;
  classification: Classification;
  number_symbol: string;
  issued_date: string | null;
  issuer_name: string;
  original_number_symbol: string;
  original_date: string | null;
  arrival_number: number | null;
  arrival_date: string | null;
  signer_name: string;
  signer_position: string;
  page_count: number | null;
  deadline: string | null;
  reply_to_id: number | null;
  replaces_id: number | null;
  corrects_id: number | null;
  source_document_id: number | null;
  book_id: number | null;
  return_reason: string;
  notes: string;
  created_at: string;
  updated_at: string;
  version: number;
  recipient_unit_ids: number[];
  recipient_agency_codes?: string[]; // other agencies, by agency code (docs/exchange.md)
  signature?: string | null; // register-book entries: latest indication of the entry's files
}

export interface FileInfo {
  id: number;
  sha256: string;
  file_name: string;
  content_type: string;
  size: number;
  version_no?: number;
  note?: string;
  created_by: number;
  created_at: string;
}

export interface Assignment {
  id: number;
  parent_id: number | null;
  lead_unit_id: number | null;
  lead_user_id: number | null;
  supporting_unit_ids: number[];
  deadline: string | null;
  directive: string;
  state: string;
  assigned_by: number;
  created_at: string;
}

export interface TextEntry {
  id: number;
  user_id: number;
  body: string;
  created_at: string;
}

export interface DocDetail extends Doc {
  allowed_actions: string[];
  assignments: Assignment[];
  attachments: FileInfo[];
  versions: FileInfo[];
  comments: TextEntry[];
  processing_notes: TextEntry[];
  recipients: { unit_id: number; copy_document_id: number | null }[];
  signatures?: DocumentSignature[];
}

export interface AuditRecord {
  seq: number;
  at: string;
  actor_id: number | null;
  action: string;
  object_type: string;
  object_id: number | null;
  record: unknown;
}

export interface DocType {
  code: string;
  name_vi: string;
  name_en: string;
}
