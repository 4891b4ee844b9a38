// The audit log as the API answers it (not in docs/openapi.json yet).

export interface AuditRecord {
  seq: number;
  at: string;
  actor_id: number | null;
  action: string;
  object_type: string;
  object_id: number | null;
  record: unknown;
}

export interface Verification {
  ok: boolean;
  tree_size: number;
  root: string;
  first_bad_seq?: number | null;
  problem?: string;
}
