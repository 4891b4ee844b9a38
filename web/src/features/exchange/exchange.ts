import type { Classification, Schema } from '../../app/api-types';
import type { MessageKey } from '../../app/i18n';

// Exchange between agencies as the API shows it (docs/exchange.md): the
// directory of peers, this node's identity, the outbox, the quarantine and
// each document's deliveries and statuses. Only what the pages need to
// decide and label; the components live beside it (ExchangeCard.tsx,
// Directory.tsx, Outbox.tsx, Quarantine.tsx).

export type Delivery = Schema<'OutboxItem'>['state'];
export const DELIVERIES: Delivery[] = ['pending', 'delivered', 'refused', 'failed'];

export type Peer = Schema<'Peer'>;

// What PUT /exchange/peers/{code} takes.
export type PeerInput = Pick<Peer, 'name' | 'endpoint' | 'certificate_pem' | 'ca_pem' | 'via' | 'zone' | 'max_classification' | 'active'>;

export type Identity = Schema<'NodeIdentity'>;
export type OutboxItem = Schema<'OutboxItem'>;
export type QuarantineItem = Schema<'QuarantineItem'>;
export type StatusEntry = Schema<'ExchangeStatus'>;
// One other agency of a document: the delivery of our package to it (empty
// on a copy we received) and its latest status.
export type ExchangeRecipient = Schema<'ExchangeRecipient'>;

// The status codes of QCVN 102:2016 the node sends and receives.
export const STATUS_CODES = ['01', '02', '03', '04', '05', '06', '13', '15', '16'] as const;

// "03" → its label's key; null for a code we have no name for (the page
// then shows the code itself).
export function statusLabel(code: string | null | undefined): MessageKey | null {
  const known = STATUS_CODES.find((c) => c === code);
  return known ? `exchange.status.${known}` : null;
}

// Refusals red, the recall under way orange, done green, the rest blue.
export function statusColor(code: string | null | undefined): string {
  switch (code) {
    case '02': case '16': return 'red';
    case '13': return 'orange';
    case '15': return 'volcano';
    case '06': return 'green';
    case '01': case '03': case '04': case '05': return 'blue';
    default: return 'default';
  }
}

// Why a package was refused (the peer listener's reasons, the edXML
// verifier's, docs/exchange.md): its label's key, null for another code.
export const REFUSAL_REASONS = [
  'UNKNOWN_PEER', 'TOO_LARGE', 'FORMAT', 'IMPERSONATION', 'HOP_SIGNATURE_INVALID', 'SIGNATURE_MISSING',
  'SIGNATURE_INVALID', 'DIGEST_MISMATCH', 'UNKNOWN_CA', 'CERTIFICATE_REVOKED', 'CERTIFICATE_EXPIRED',
  'REVOCATION_UNKNOWN', 'CERTIFICATE_INVALID', 'NOT_ADDRESSED', 'CLASSIFICATION',
] as const;

export function reasonLabel(code: string | null | undefined): MessageKey | null {
  const known = REFUSAL_REASONS.find((r) => r === code);
  return known ? `exchange.reason.${known}` : null;
}

// Delivery of a package or notice: tag colour and label.
export function deliveryColor(state: string | null | undefined): string {
  switch (state) {
    case 'pending': return 'processing';
    case 'delivered': return 'green';
    case 'refused': return 'red';
    case 'failed': return 'volcano';
    default: return 'default';
  }
}

export function deliveryLabel(state: string | null | undefined): MessageKey | null {
  const known = DELIVERIES.find((d) => d === state);
  return known ? `exchange.delivery.${known}` : null;
}

// What the clerk must look at: a delivery that will not happen by itself.
export function needsAttention(state: string | null | undefined): boolean {
  return state === 'refused' || state === 'failed';
}

// Attempts and the last error are worth showing only while not delivered.
export function showsTrouble(r: Pick<ExchangeRecipient, 'delivery' | 'attempts' | 'last_error'>): boolean {
  return r.delivery !== '' && r.delivery !== 'delivered' && (r.attempts > 0 || r.last_error !== '');
}

const RANK: Record<Classification, number> = { normal: 0, mat: 1, toi_mat: 2, tuyet_mat: 3 };

// Whether the link to `peer` may carry a document of `classification`
// (the server checks it again when the draft is saved and at issue).
export function peerCarries(peer: Pick<Peer, 'max_classification'>, classification: Classification | undefined): boolean {
  return RANK[peer.max_classification ?? 'normal'] >= RANK[classification ?? 'normal'];
}

// The peers a draft may name: active ones, by name; the codes already chosen
// stay listed even when a peer became inactive, so that the form shows them.
export function peerChoices(peers: Peer[], chosen: string[] = []): Peer[] {
  return peers
    .filter((p) => p.active || chosen.includes(p.agency_code))
    .sort((a, b) => a.name.localeCompare(b.name, 'vi') || a.agency_code.localeCompare(b.agency_code));
}

// "000.00.01.H08" → "Bộ Quốc phòng (000.00.01.H08)"; the code alone when the
// directory does not know it.
export function agencyName(peers: Pick<Peer, 'agency_code' | 'name'>[], code: string): string {
  const p = peers.find((x) => x.agency_code === code);
  return p?.name ? `${p.name} (${code})` : code;
}

// A status history, newest first (the API keeps it oldest first).
export function newestFirst(history: StatusEntry[]): StatusEntry[] {
  return [...history].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

// The edXML package of a document: as sent to `agency`, or as it arrived.
export function edxmlUrl(documentId: number, agency?: string): string {
  return `/api/v1/documents/${documentId}/edxml${agency ? `?agency=${encodeURIComponent(agency)}` : ''}`;
}

// A PEM that at least looks like one certificate (or several, for a CA
// chain); the server parses it for real.
export function looksLikePem(text: string | undefined): boolean {
  return /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text || '');
}

// An agency code of the national scheme is letters, digits and dots
// (000.00.01.H08); the server decides, this only catches typing slips.
export function looksLikeAgencyCode(code: string | undefined): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9.\-_]{0,49}$/.test((code || '').trim());
}

// The peer listener's address: https, a host, an optional port.
export function looksLikeEndpoint(url: string | undefined): boolean {
  return /^https:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?\/?$/.test((url || '').trim());
}

// The form's values → the PUT body: trimmed, empty optional texts dropped
// to "", the CA defaulting to the certificate (a self-signed peer).
export function peerBody(v: Partial<PeerInput>): PeerInput {
  const s = (x: string | undefined) => (x || '').trim();
  const certificate = s(v.certificate_pem);
  return {
    name: s(v.name),
    endpoint: s(v.endpoint),
    certificate_pem: certificate,
    ca_pem: s(v.ca_pem) || certificate,
    via: s(v.via),
    zone: s(v.zone),
    max_classification: v.max_classification || 'normal',
    active: v.active ?? true,
  };
}

// Sizes of packages: bytes, KB, MB.
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

// The fingerprint as people compare it over the phone: pairs, colons, first and last 8.
export function shortFingerprint(sha256: string): string {
  const pairs = (sha256 || '').toUpperCase().match(/../g) || [];
  if (pairs.length <= 8) return pairs.join(':');
  return `${pairs.slice(0, 4).join(':')}…${pairs.slice(-4).join(':')}`;
}
