import type { Schema } from '../../app/api-types';

// Search and the legal-documents database as the API answers them
// (GET /search, /legal/…; issue #15), from docs/openapi.json (generated
// types, app/api-schema.d.ts), under the names the pages use.

export type SearchAnswer = Schema<'SearchResults'>;
export type SearchHit = SearchAnswer['items'][number];
// A piece of a title or snippet: `hit` marks the words the query matched.
export type Mark = SearchHit['title_marks'][number];
// What a hit is.
export type Kind = SearchHit['kind'];
// Where a legal document stands on a given day.
export type LegalStatus = NonNullable<SearchHit['status']>;
export type FacetName = keyof SearchAnswer['facets'];
// One value of a facet with how many hits carry it; `label` is the
// server's (in Vietnamese).
export type FacetValue = NonNullable<SearchAnswer['facets']['kind']>[number];
export type Sort = 'relevance' | 'date';
export type Match = 'all' | 'any';

// GET /legal/documents: a row of the legal database.
export type LegalDocument = Schema<'LegalDocument'>;
export type LegalPage = Schema<'LegalDocumentPage'>;
export type LegalFacets = Schema<'LegalFacets'>;
export type LegalFacetName = keyof LegalFacets;
export type LegalDocumentDetail = Schema<'LegalDocumentDetail'>;
// A link between two legal documents, seen from this one: `out` is what
// this document does to the other (it amends it), `in` what the other does
// to this one (it is amended by it).
export type Relation = LegalDocumentDetail['relations'][number];
export type RelationKind = Relation['kind'];
export type OutlineEntry = LegalDocumentDetail['outline'][number];
export type Article = LegalDocumentDetail['articles'][number];
// A reference inside an article's text, [start, end) in UTF-16 code units
// (JavaScript string indices), to an article or a document of the database
// (both null: one the database does not hold).
export type Citation = Article['citations'][number];
// GET /legal/articles/{id}: an article and its document.
export type ArticleWithDocument = Schema<'LegalArticle'>;
// POST /legal/import: 201
export type ImportResult = Schema<'LegalImport'>;

// Every value of a union, in the order pages list them; the compiler checks
// that none is missing.
const everyOf = <T>() => <const A extends readonly T[]>(list: A & ([Exclude<T, A[number]>] extends [never] ? unknown : never)) => list;

export const KINDS = everyOf<Kind>()(['document', 'legal', 'article']);
export const STATUSES = everyOf<LegalStatus>()(['not_yet_in_force', 'in_force', 'partly_expired', 'expired']);
export const FACETS = everyOf<FacetName>()(['kind', 'type', 'issuer', 'year', 'state', 'unit', 'classification', 'status']);
export const LEGAL_FACETS = everyOf<LegalFacetName>()(['type', 'issuer', 'field', 'year', 'status']);
export const RELATION_KINDS = everyOf<RelationKind>()(['based_on', 'guides', 'amends', 'replaces', 'repeals', 'repeals_part', 'consolidates']);
