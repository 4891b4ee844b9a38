import type { Classification, RequestBody, Urgency } from '../../app/api-types';
import type { DocumentSignature } from '../signatures/signatures';

// Documents as the API answers them (not described by docs/openapi.json
// yet: written by hand), and the bodies the forms send (from the spec).

export type DraftBody = RequestBody<'/api/v1/documents', 'post'>;
export type IncomingBody = RequestBody<'/api/v1/documents/incoming', 'post'>;
// The Decree 30 type codes the spec enumerates ('' is a công văn).
export type TypeCode = NonNullable<DraftBody['type_code']>;
export type ActionBody = RequestBody<'/api/v1/documents/{id}/actions/{action}', 'post'>;

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

export interface DocType {
  code: string;
  name_vi: string;
  name_en: string;
}
