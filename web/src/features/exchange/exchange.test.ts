import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api';
import { explain } from '../../shared/errors';
import { visibleActions, CONFIRMATIONS, RECALL_ANSWERS } from '../documents/actions';
import { translator } from '../../app/i18n';
import {
  agencyName, deliveryColor, deliveryLabel, edxmlUrl, formatSize, looksLikeAgencyCode, looksLikeEndpoint, looksLikePem,
  needsAttention, newestFirst, peerBody, peerCarries, peerChoices, reasonLabel, REFUSAL_REASONS, shortFingerprint, showsTrouble,
  statusColor, statusLabel, STATUS_CODES, type Peer,
} from './exchange';

const tOf = translator;
const vi = tOf('vi');

const peer = (code: string, name: string, extra: Partial<Peer> = {}): Peer => ({
  agency_code: code, name, endpoint: 'https://10.0.0.8:8443', certificate_sha256: '', certificate_pem: '', ca_pem: '',
  via: '', zone: '', max_classification: 'normal', source: 'manual', active: true, updated_at: '2026-11-23T01:00:00Z', ...extra,
});

describe('status codes of QCVN 102', () => {
  it('names each code the node sends or receives, in each language', () => {
    const label = (c: string) => vi(statusLabel(c)!);
    expect(label('01')).toBe('Đã đến');
    expect(label('02')).toBe('Từ chối');
    expect(label('03')).toBe('Đã tiếp nhận');
    expect(label('04')).toBe('Đã phân công');
    expect(label('05')).toBe('Đang xử lý');
    expect(label('06')).toBe('Hoàn thành');
    expect(label('13')).toBe('Đề nghị thu hồi');
    expect(label('15')).toBe('Đồng ý thu hồi');
    expect(label('16')).toBe('Từ chối thu hồi');
    expect(tOf('en')(statusLabel('13')!)).toBe('Withdrawal requested');
    expect(tOf('fr')(statusLabel('06')!)).toBe('Terminé');
    for (const lang of ['vi', 'en', 'fr'] as const) {
      for (const c of STATUS_CODES) expect(tOf(lang)(statusLabel(c)!), `${lang} ${c}`).not.toMatch(/^exchange\./);
    }
  });

  it('has no label for a code it does not know, nor for none', () => {
    expect(statusLabel('07')).toBeNull();
    expect(statusLabel('')).toBeNull();
    expect(statusLabel(null)).toBeNull();
  });

  it('colours refusals red, the recall orange, completion green', () => {
    expect(statusColor('02')).toBe('red');
    expect(statusColor('16')).toBe('red');
    expect(statusColor('13')).toBe('orange');
    expect(statusColor('06')).toBe('green');
    expect(statusColor('03')).toBe('blue');
    expect(statusColor('99')).toBe('default');
  });
});

describe('refusals', () => {
  it('names every reason a package is refused for, in each language', () => {
    expect(vi(reasonLabel('FORMAT')!)).toBe('Sai định dạng edXML');
    expect(tOf('en')(reasonLabel('IMPERSONATION')!)).toBe('Impersonation');
    expect(tOf('fr')(reasonLabel('UNKNOWN_CA')!)).toBe('AC inconnue');
    for (const lang of ['vi', 'en', 'fr'] as const) {
      for (const r of REFUSAL_REASONS) expect(tOf(lang)(reasonLabel(r)!), `${lang} ${r}`).not.toMatch(/^exchange\./);
    }
    expect(reasonLabel('SOMETHING_NEW')).toBeNull();
    expect(reasonLabel('')).toBeNull();
  });
});

describe('delivery states', () => {
  it('maps each state to a tag colour and label', () => {
    expect(deliveryColor('pending')).toBe('processing');
    expect(deliveryColor('delivered')).toBe('green');
    expect(deliveryColor('refused')).toBe('red');
    expect(deliveryColor('failed')).toBe('volcano');
    expect(deliveryColor('')).toBe('default');
    expect(vi(deliveryLabel('delivered')!)).toBe('Đã gửi');
    expect(vi(deliveryLabel('failed')!)).toBe('Gửi không thành công');
    expect(tOf('en')(deliveryLabel('refused')!)).toBe('Refused');
    expect(deliveryLabel('')).toBeNull(); // a copy we received: no delivery of ours
    expect(deliveryLabel('lost')).toBeNull();
  });

  it('highlights what will not go by itself', () => {
    expect(needsAttention('failed')).toBe(true);
    expect(needsAttention('refused')).toBe(true);
    expect(needsAttention('pending')).toBe(false);
    expect(needsAttention('delivered')).toBe(false);
  });

  it('shows attempts and the last error only while not delivered', () => {
    expect(showsTrouble({ delivery: 'pending', attempts: 3, last_error: 'connection refused' })).toBe(true);
    expect(showsTrouble({ delivery: 'failed', attempts: 0, last_error: 'gave up' })).toBe(true);
    expect(showsTrouble({ delivery: 'pending', attempts: 0, last_error: '' })).toBe(false); // queued, not tried yet
    expect(showsTrouble({ delivery: 'delivered', attempts: 2, last_error: 'timeout' })).toBe(false);
    expect(showsTrouble({ delivery: '', attempts: 0, last_error: '' })).toBe(false);
  });
});

describe('peers in a draft', () => {
  it('offers a link only up to its highest classification', () => {
    const mat = peer('A', 'A', { max_classification: 'mat' });
    expect(peerCarries(mat, 'normal')).toBe(true);
    expect(peerCarries(mat, 'mat')).toBe(true);
    expect(peerCarries(mat, 'toi_mat')).toBe(false);
    expect(peerCarries(peer('B', 'B'), 'mat')).toBe(false);
    expect(peerCarries(peer('B', 'B'), undefined)).toBe(true);
  });

  it('lists active peers by Vietnamese name, keeping inactive ones already chosen', () => {
    const peers = [peer('3', 'Ủy ban nhân dân tỉnh'), peer('1', 'Bộ Tài chính'), peer('2', 'Bộ Công an', { active: false }),
      peer('4', 'Đài Truyền hình')];
    expect(peerChoices(peers).map((p) => p.agency_code)).toEqual(['1', '4', '3']);
    expect(peerChoices(peers, ['2']).map((p) => p.agency_code)).toEqual(['2', '1', '4', '3']);
  });

  it('names an agency with its code, or the code alone', () => {
    const peers = [peer('000.00.01.H08', 'Bộ Tài chính')];
    expect(agencyName(peers, '000.00.01.H08')).toBe('Bộ Tài chính (000.00.01.H08)');
    expect(agencyName(peers, '000.00.02.H09')).toBe('000.00.02.H09');
  });
});

describe('the document exchange card', () => {
  it('lists the history newest first without changing it', () => {
    const h = [
      { direction: 'in' as const, code: '01', description: '', at: '2026-11-23T01:00:00Z' },
      { direction: 'in' as const, code: '03', description: '', at: '2026-11-23T03:00:00Z' },
      { direction: 'in' as const, code: '02', description: 'sai nơi nhận', at: '2026-11-23T02:00:00Z' },
    ];
    expect(newestFirst(h).map((x) => x.code)).toEqual(['03', '02', '01']);
    expect(h[0].code).toBe('01');
  });

  it('downloads the package as sent to an agency, or as it arrived', () => {
    expect(edxmlUrl(42, '000.00.01.H08')).toBe('/api/v1/documents/42/edxml?agency=000.00.01.H08');
    expect(edxmlUrl(42)).toBe('/api/v1/documents/42/edxml');
    expect(edxmlUrl(7, 'A&B')).toBe('/api/v1/documents/7/edxml?agency=A%26B');
  });

  it('puts the answers to a recall on the card, the refusal asking for a reason', () => {
    expect(visibleActions(['agree_recall', 'refuse_recall'], ['clerk'])).toEqual(RECALL_ANSWERS);
    expect(visibleActions(['agree_recall', 'refuse_recall'], ['specialist'])).toEqual([]);
    expect(CONFIRMATIONS.refuse_recall.text).toMatchObject({ name: 'reason', required: true });
    expect(CONFIRMATIONS.agree_recall.text).toBeUndefined();
    expect(CONFIRMATIONS.agree_recall.consequences).toBe('confirm.agree_recall');
    expect(vi('state.recall_requested')).toBe('Đề nghị thu hồi');
    expect(tOf('en')('state.recall_requested')).toBe('Recall requested');
    expect(tOf('fr')('state.recall_requested')).toBe('Rappel demandé');
  });
});

describe('the peer form', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

  it('recognises a PEM certificate, an agency code, an endpoint', () => {
    expect(looksLikePem(pem)).toBe(true);
    expect(looksLikePem(pem + pem)).toBe(true);
    expect(looksLikePem('-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----')).toBe(false);
    expect(looksLikePem('')).toBe(false);
    expect(looksLikeAgencyCode('000.00.01.H08')).toBe(true);
    expect(looksLikeAgencyCode('a/b')).toBe(false);
    expect(looksLikeAgencyCode('')).toBe(false);
    expect(looksLikeEndpoint('https://127.0.0.1:9')).toBe(true);
    expect(looksLikeEndpoint('https://vpcp.gov.vn')).toBe(true);
    expect(looksLikeEndpoint('https://[::1]:8443/')).toBe(true);
    expect(looksLikeEndpoint('http://10.0.0.8:8443')).toBe(false);
    expect(looksLikeEndpoint('https://host:port')).toBe(false);
  });

  it('trims the values and takes the certificate as its own CA when none is given', () => {
    expect(peerBody({ name: ' Bộ Tài chính ', endpoint: 'https://10.0.0.8:8443 ', certificate_pem: ` ${pem}` })).toEqual({
      name: 'Bộ Tài chính', endpoint: 'https://10.0.0.8:8443', certificate_pem: pem.trim(), ca_pem: pem.trim(),
      via: '', zone: '', max_classification: 'normal', active: true,
    });
    const ca = pem.replace('MIIB', 'MIIC');
    expect(peerBody({ name: 'X', certificate_pem: pem, ca_pem: ca, max_classification: 'mat', active: false, via: 'GW' }))
      .toMatchObject({ ca_pem: ca.trim(), max_classification: 'mat', active: false, via: 'GW' });
  });

  it('writes sizes and fingerprints for people', () => {
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(2048)).toBe('2 KB');
    expect(formatSize(3 * 1024 * 1024)).toBe('3.0 MB');
    expect(shortFingerprint('ab'.repeat(32))).toBe('AB:AB:AB:AB…AB:AB:AB:AB');
    expect(shortFingerprint('')).toBe('');
  });

  it('says why a draft may not name an agency', () => {
    const e = new ApiError({
      status: 422, code: 'invalid_argument',
      errors: [{ field: 'recipient_agency_codes', code: 'classification', message: 'Agency X may not receive documents classified mat.' }],
    });
    expect(explain(e, vi).fields).toEqual([{
      field: 'recipient_agency_codes',
      code: 'classification',
      message: 'Đường liên thông đến cơ quan này không được gửi văn bản có độ mật này',
    }]);
    const unknown = new ApiError({ status: 422, code: 'invalid_argument', errors: [{ field: 'recipient_agency_codes', code: 'unknown', message: '' }] });
    expect(explain(unknown, tOf('en')).fields[0].message).toBe('An agency not in the directory');
  });
});
