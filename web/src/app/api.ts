// The one way the UI talks to the node: JSON over fetch, same origin, the
// session in an HttpOnly cookie and the CSRF token in a header on every
// unsafe request. Errors come back as problem+json and are thrown as
// ApiError so that forms can show them per field.

import type { components } from './api-schema';

// The spec's Problem (docs/openapi.json), except that `type` and `title`
// may be missing: a failure that is not problem+json (a proxy's HTML page, a
// dropped connection) is turned into a Problem here without them.
type SpecProblem = components['schemas']['Problem'];
export type FieldProblem = NonNullable<SpecProblem['errors']>[number];
export type Problem = Omit<SpecProblem, 'type' | 'title'> & Partial<Pick<SpecProblem, 'type' | 'title'>> & {
  retry_after?: number; // seconds, from Retry-After (account_locked); a header, not in the body
};

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title || problem.code);
    this.problem = problem;
  }
}

let csrfToken = '';

// Who wants to know that the person changed something on the node (the
// menu's counts, app/useCounts.ts): told after each write that succeeded,
// whichever page made it. Signing in and out is not such a change.
const writeListeners = new Set<() => void>();
export function onWrite(listener: () => void): () => void {
  writeListeners.add(listener);
  return () => {
    writeListeners.delete(listener);
  };
}

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
  signal?: AbortSignal; // a superseded read (useQuery) is aborted
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
      signal: options.signal,
    });
  } catch (e) {
    if (options.signal?.aborted) throw e;
    throw new ApiError({ status: 0, code: 'unavailable' });
  }
  if (!res.ok) throw new ApiError(await problemOf(res));
  if (method !== 'GET' && method !== 'HEAD' && !path.startsWith('/auth/')) writeListeners.forEach((l) => l());
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => call<T>('GET', path, { query, signal });
export const post = <T>(path: string, body?: unknown, ifMatch?: number) =>
  call<T>('POST', path, { body: body ?? {}, ifMatch });
export const put = <T>(path: string, body: unknown) => call<T>('PUT', path, { body });
export const patch = <T>(path: string, body: unknown, ifMatch: number) =>
  call<T>('PATCH', path, { body, ifMatch });
export const upload = <T>(path: string, file: Blob, query?: Query) =>
  call<T>('POST', path, { raw: file, query });
