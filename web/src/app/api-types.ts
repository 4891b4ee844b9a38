import type { components, paths } from './api-schema';

// Shapes of the API shared by the app and several features, all taken from
// the generated api-schema.d.ts (`npm run gen-api`, from docs/openapi.json):
// request bodies by path and method, answers by the names the C++ modules
// give them (src/modules/<name>/schemas.cc). Each feature aliases its own
// answers beside its code (features/<name>/types.ts).

type Method = 'post' | 'put' | 'patch';
type JsonOf<B> = B extends { content: { 'application/json': infer J } } ? J : never;

// The JSON body `method path` takes, as the spec says: e.g.
// RequestBody<'/api/v1/documents', 'post'>.
export type RequestBody<P extends keyof paths, M extends Method> =
  paths[P][M] extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;

// A shape the API answers, by its name in #/components/schemas.
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];

export type Role = Schema<'Role'>;
export type Classification = Schema<'Classification'>;
export type Urgency = Schema<'Urgency'>;
export type Language = Schema<'Language'>;

export type User = Schema<'User'>;
// A user as GET /users and /users/{id} show it: `clearance` only for
// administrators, security officers and the user themselves.
export type ListedUser = Schema<'ListedUser'>;
// GET /me: the user, the node's date in Vietnam and, for a cookie session,
// its CSRF token.
export type Me = Schema<'Me'>;
// POST /auth/login: the user, and the cookie's CSRF token or a bearer token.
export type NewSession = Schema<'Session'>;
export type Person = Schema<'Person'>;
export type Unit = Schema<'Unit'>;
export type UnitPeriod = Schema<'UnitPeriod'>;

// One page of a list (every paged list answers this envelope).
export type Page<T> = Omit<Schema<'DocumentPage'>, 'items'> & { items: T[] };
