import type { Schema } from '../../app/api-types';

// The audit log as the API answers it (docs/openapi.json, generated types).

export type AuditRecord = Schema<'AuditRecord'>;
export type AuditHead = Schema<'AuditHead'>;
export type Verification = Schema<'AuditVerification'>;
