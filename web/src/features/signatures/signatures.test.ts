import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api';
import { explainProblem } from '../../shared/errors';
import { translator } from '../../app/i18n';
import {
  checksOf, explainPinError, formatPercent, indicationTag, kindLabel, needsPin, triesLeft, yearToDate,
} from './signatures';

const tOf = translator;
const vi = tOf('vi');

describe('verdicts and kinds of signatures', () => {
  it('maps each ETSI indication to a coloured tag', () => {
    expect(indicationTag('TOTAL_PASSED')).toEqual({ color: 'green', label: 'sig.passed' });
    expect(indicationTag('TOTAL_FAILED')).toEqual({ color: 'red', label: 'sig.failed' });
    expect(indicationTag('INDETERMINATE')).toEqual({ color: 'orange', label: 'sig.indeterminate' });
    expect(indicationTag('')).toBeNull(); // a signing row: no check
    expect(indicationTag(null)).toBeNull(); // a register entry without files
    expect(vi('sig.passed')).toBe('Hợp lệ');
    expect(vi('sig.failed')).toBe('Không hợp lệ');
    expect(vi('sig.indeterminate')).toBe('Chưa xác định');
  });

  it('names the four kinds of rows', () => {
    const label = (k: string) => { const key = kindLabel(k); return key ? vi(key) : null; };
    expect(label('personal')).toBe('Chữ ký cá nhân');
    expect(label('organization')).toBe('Chữ ký cơ quan');
    expect(label('verification')).toBe('Kiểm tra khi nhận');
    expect(label('issued')).toBe('Kiểm tra khi phát hành');
    expect(label('something_new')).toBeNull();
    expect(tOf('en')(kindLabel('verification')!)).toBe('Checked on arrival');
  });

  it('reads a PDF report and a detached CMS report alike', () => {
    const sig = {
      signer: 'A', signer_subject: 'CN=A', signer_serial: '01', chain: [], trusted: true, revocation: 'good', level: 'B-T',
      claimed_signing_time: null, timestamp: null, indication: 'TOTAL_PASSED', sub_indication: '', reason: '',
    };
    const field = {
      ...sig, field: 'Signature1', sub_filter: 'ETSI.CAdES.detached', revision: 1, byte_range: [0, 10, 20, 30],
      covers_whole_document: true, later_changes: [],
    };
    expect(checksOf({ indication: 'TOTAL_PASSED', sub_indication: '', reason: '', signatures: [field, field] })).toHaveLength(2);
    expect(checksOf({ ...sig })).toEqual([sig]);
  });

  it('asks for a PIN only when a run signs a document that has a file', () => {
    expect(needsPin(['approve', 'sign'], 1)).toBe(true);
    expect(needsPin(['sign'], 2)).toBe(true);
    expect(needsPin(['approve', 'sign'], 0)).toBe(false); // paper
    expect(needsPin(['number', 'seal', 'issue'], 1)).toBe(false); // the seal is the node's key
  });
});

describe('PIN errors', () => {
  const wrong = (message: string) => new ApiError({
    status: 400, code: 'invalid_argument', errors: [{ field: 'pin', code: 'wrong_pin', message }],
  });

  it('keeps the tries left from the server’s message', () => {
    expect(triesLeft('The PIN was refused (3 tries left).')).toBe(3);
    expect(triesLeft('The PIN was refused (1 try left).')).toBe(1);
    expect(triesLeft('The PIN was refused.')).toBeNull();
    const o = explainPinError(wrong('The PIN was refused (4 tries left).'), vi);
    expect(o).toMatchObject({ locked: false, pinError: 'Mã PIN không đúng (còn 4 lần thử)' });
    expect(explainPinError(wrong('The PIN was refused (4 tries left).'), tOf('en')).pinError).toBe('Wrong PIN (4 tries left)');
    expect(explainPinError(wrong('nope'), vi).pinError).toBe('Mã PIN không đúng');
  });

  it('says a missing PIN under the field', () => {
    const e = new ApiError({ status: 400, code: 'invalid_argument', errors: [{ field: 'pin', code: 'required', message: 'Enter your signing PIN.' }] });
    expect(explainPinError(e, vi).pinError).toBe('Bắt buộc nhập');
  });

  it('tells a locked signing key whatever the status', () => {
    for (const status of [423, 429]) {
      const o = explainPinError(new ApiError({ status, code: 'account_locked' }), vi);
      expect(o.locked).toBe(true);
      expect(o.pinError).toBeUndefined();
      expect(o.message).toContain('tạm khóa');
    }
  });

  it('asks for one’s own PIN when the first one was set by the certificate’s issuer', () => {
    const e = new ApiError({ status: 400, code: 'invalid_argument', errors: [{ field: 'pin', code: 'pin_change_required', message: '' }] });
    const o = explainPinError(e, vi);
    expect(o).toMatchObject({ locked: false, pinChangeRequired: true });
    expect(o.pinError).toBeUndefined();
    expect(o.message).toMatch(/đổi sang mã PIN của riêng mình/);
  });

  it('explains the other refusals of signing and issuing for the whole page', () => {
    const p = (field: string, code: string) => ({ status: 400, code: 'invalid_argument', errors: [{ field, code, message: '' }] });
    expect(explainProblem(p('certificate', 'none'), vi).fields[0].message).toMatch(/chứng thư số/);
    expect(explainProblem(p('file', 'not_pdf'), vi).fields[0].message).toMatch(/PDF/);
    expect(explainProblem(p('signatures', 'missing'), vi).fields[0].message).toMatch(/đủ chữ ký/);
    const o = explainPinError(new ApiError(p('signatures', 'missing')), vi);
    expect(o.pinError).toBeUndefined();
    expect(o.message).toContain('đủ chữ ký');
  });
});

describe('share of documents with both signatures', () => {
  it('formats the ratio as a percentage in each language', () => {
    expect(formatPercent(0.8, 'vi')).toBe('80 %');
    expect(formatPercent(2 / 3, 'vi')).toBe('66,7 %');
    expect(formatPercent(2 / 3, 'fr')).toBe('66,7 %');
    expect(formatPercent(2 / 3, 'en')).toBe('66.7 %');
    expect(formatPercent(1, 'en')).toBe('100 %');
    expect(formatPercent(0, 'vi')).toBe('0 %');
    expect(formatPercent(Number.NaN, 'vi')).toBe('0 %');
  });

  it('counts from the first of January to today', () => {
    expect(yearToDate('2026-11-23')).toEqual({ from: '2026-01-01', to: '2026-11-23' });
  });
});
