import type { paths } from './api-schema';

// Shapes of the API shared by the app and several features. Where
// docs/openapi.json describes a shape — today the request bodies and their
// enums — it is taken from the generated api-schema.d.ts (`npm run gen-api`).
// The spec does not describe response bodies yet (every response is only
// "OK"), so the answers below are written by hand from the C++ handlers;
// each feature keeps its own answers' shapes beside its code.

type Method = 'post' | 'put' | 'patch';
type JsonOf<B> = B extends { content: { 'application/json': infer J } } ? J : never;

// The JSON body `method path` takes, as the spec says: e.g.
// RequestBody<'/api/v1/documents', 'post'>.
export type RequestBody<P extends keyof paths, M extends Method> =
  paths[P][M] extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;

export type Role = NonNullable<RequestBody<'/api/v1/users', 'post'>['roles']>[number];
export type Classification = NonNullable<RequestBody<'/api/v1/documents', 'post'>['classification']>;
export type Urgency = NonNullable<RequestBody<'/api/v1/documents', 'post'>['urgency']>;
export type Language = RequestBody<'/api/v1/me/language', 'put'>['language'];

// Not in the spec: the answers.

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
