import { ApiError } from '../../app/api';
import type { Schema } from '../../app/api-types';
import { explain, triesLeft } from '../../shared/errors';
export { triesLeft };
import type { T } from '../../app/i18n';
import type { Lang, MessageKey } from '../../app/i18n';

// Digital signatures as the API shows them (docs/signatures.md): the rows a
// document carries, validation reports, certificates, the share of documents
// issued with both signatures. Only what the pages need to decide and label;
// the components live in Signatures.tsx.

export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE' | '';
export type SignatureKind = 'personal' | 'organization' | 'verification' | 'issued';

// One signature checked: a detached CMS, or one of a PDF's (which also says
// what it covers and what changed after it).
export type SignatureCheck = Schema<'SignatureCheck'> | Schema<'PdfSignatureCheck'>;
// A PDF's report (`signatures`), or a detached CMS's (the one signature itself).
export type ValidationReport = Schema<'ValidationReport'>;
export type DocumentSignature = Schema<'DocumentSignature'>;
export type Certificate = Schema<'Certificate'>;
export type Share = Schema<'SignatureShare'>;

// The values the certificate filters offer.
export type CertificateProfile = 'root_ca' | 'node' | 'timestamping' | 'person' | 'organization' | 'trusted_root';
export type CertificateStatus = Certificate['status'];

export const PROFILES: CertificateProfile[] = ['root_ca', 'node', 'timestamping', 'person', 'organization', 'trusted_root'];
export const STATUSES: CertificateStatus[] = ['active', 'revoked', 'replaced'];

// The verdict as a tag: green valid, red invalid, orange undetermined; none
// for signing rows (they record a signature made, not a check).
export function indicationTag(indication: string | null | undefined): { color: string; label: MessageKey } | null {
  switch (indication) {
    case 'TOTAL_PASSED': return { color: 'green', label: 'sig.passed' };
    case 'TOTAL_FAILED': return { color: 'red', label: 'sig.failed' };
    case 'INDETERMINATE': return { color: 'orange', label: 'sig.indeterminate' };
    default: return null;
  }
}

const KINDS: Record<string, MessageKey> = {
  personal: 'sig.kind.personal',
  organization: 'sig.kind.organization',
  verification: 'sig.kind.verification',
  issued: 'sig.kind.issued',
};

export function kindLabel(kind: string): MessageKey | null {
  return KINDS[kind] ?? null;
}

// Every signature a report speaks of: a PDF's list, or the CMS itself.
export function checksOf(report: ValidationReport): SignatureCheck[] {
  return 'signatures' in report ? report.signatures : [report];
}

// Whether a run of actions has to ask for the signing PIN: it signs, and the
// document has a file to sign (a paper document is signed by hand).
export function needsPin(steps: string[], versionCount: number): boolean {
  return steps.includes('sign') && versionCount > 0;
}

// What the PIN dialog says about a failed signature: a message under the
// PIN field (wrong, missing), the key locked after too many wrong PINs, the
// first PIN (set by the certificate's issuer) to be replaced by one's own
// before the key signs, or anything else for the whole page.
export interface PinOutcome {
  pinError?: string;
  locked: boolean;
  pinChangeRequired?: boolean;
  message: string;
}

export function explainPinError(error: unknown, t: T): PinOutcome {
  if (error instanceof ApiError && error.problem.code === 'account_locked') {
    return { locked: true, message: t('sig.locked') };
  }
  if (error instanceof ApiError && (error.problem.errors || []).some((f) => f.code === 'pin_change_required')) {
    return { locked: false, pinChangeRequired: true, message: t('sig.pinChangeRequired') };
  }
  const e = explain(error, t);
  const pin = e.fields.find((f) => f.field === 'pin');
  if (pin) return { pinError: pin.message, locked: false, message: e.message };
  const others = e.fields.map((f) => f.message);
  return { locked: false, message: [e.message, ...others].join(' ') };
}

// 0.8 → "80 %", 0.6667 → "66,7 %" (vi, fr) / "66.7 %" (en).
export function formatPercent(ratio: number, lang: Lang): string {
  const tenths = Math.round((Number.isFinite(ratio) ? ratio : 0) * 1000);
  const whole = tenths % 10 === 0;
  const text = whole ? String(tenths / 10) : (tenths / 10).toFixed(1);
  return `${lang === 'en' ? text : text.replace('.', ',')} %`;
}

// Jan 1 of this year to today, in Vietnam.
export function yearToDate(today: string): { from: string; to: string } {
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}
