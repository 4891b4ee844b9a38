import type { RequestBody, Schema } from '../../app/api-types';
import type { paths } from '../../app/api-schema';

// Documents as the API answers them and the bodies the forms send, both as
// docs/openapi.json describes them (generated: app/api-schema.d.ts).

export type DraftBody = RequestBody<'/api/v1/documents', 'post'>;
export type IncomingBody = RequestBody<'/api/v1/documents/incoming', 'post'>;
// The Decree 30 type codes the spec enumerates ('' is a công văn).
export type TypeCode = NonNullable<DraftBody['type_code']>;
export type ActionBody = RequestBody<'/api/v1/documents/{id}/actions/{action}', 'post'>;

export type Doc = Schema<'Document'>;
// What an action answers: the document moved on, and what may happen next.
export type DocAfterAction = Schema<'DocumentWithActions'>;
// POST /documents/incoming: the new arrival, and earlier ones it may repeat.
export type RegisteredDoc = Schema<'RegisteredDocument'>;
export type Duplicate = Schema<'Duplicate'>;
// A register book's entry: the document and the verdict on its signed files.
export type RegisterEntry = Schema<'RegisterEntry'>;
export type RegisterBookPage = Schema<'RegisterBookPage'>;
export type RegisterBook = Schema<'RegisterBook'>;
export type FileInfo = Schema<'File'>;
export type Assignment = Schema<'Assignment'>;
export type TextEntry = Schema<'TextEntry'>;
export type DocDetail = Schema<'DocumentDetail'>;
export type DocType = Schema<'DocumentType'>;
export type Workload = Schema<'Workload'>;
export type Deadline = Schema<'Deadline'>;
export type UploadedBlob = Schema<'UploadedBlob'>;
// GET /documents/counts: how many wait in each box of mine (the menu's counts).
export type BoxCounts = paths['/api/v1/documents/counts']['get']['responses'][200]['content']['application/json'];
