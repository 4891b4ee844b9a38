import { describe, expect, it } from 'vitest';
import { translator } from '../../app/i18n';
import { LANGUAGES } from '../../app/i18n/format';
import { actionLabel, AUDIT_ACTIONS, documentNames, OBJECT_TYPES, objectTypeLabel, ownName } from './audit';
import type { AuditRecord } from './types';

const entry = (seq: number, action: string, object_type: string, object_id: number | null, details?: object): AuditRecord => ({
  seq, at: '2026-12-06T02:12:00Z', actor_id: 2, action, object_type, object_id, redacted: !details, leaf_hash: '', root_after: '',
  record: details ? { action, object_type, object_id, details } : { action, object_type, object_id },
});

describe('the audit log in words', () => {
  // A clerk's report: actions showed as `document.issue`.
  it('names every action the node records, in each language', () => {
    for (const lang of LANGUAGES) {
      const t = translator(lang);
      for (const action of AUDIT_ACTIONS) {
        const label = actionLabel(t, action);
        expect(label, `${lang} ${action}`).not.toBe(t('audit.otherAction'));
        expect(label, `${lang} ${action}`).not.toMatch(/^[a-z_]+\.[a-z_]+$/);
      }
    }
    expect(actionLabel(translator('vi'), 'document.issue')).toBe('Phát hành');
    expect(actionLabel(translator('en'), 'user.login')).toBe('Signed in');
    expect(actionLabel(translator('vi'), 'something.new')).toBe('Thao tác khác');
  });

  it('tells a package refused on arrival from one the other agency refused', () => {
    const vi = translator('vi');
    expect(actionLabel(vi, 'exchange.refused', 'quarantine')).toMatch(/cách ly/);
    expect(actionLabel(vi, 'exchange.refused', 'document')).toBe('Cơ quan nhận từ chối');
  });

  it('names every kind of object', () => {
    for (const lang of LANGUAGES) {
      const t = translator(lang);
      for (const type of OBJECT_TYPES) expect(objectTypeLabel(t, type), `${lang} ${type}`).not.toBe(t('audit.object.other'));
    }
  });

  it('names documents by their latest number, else their subject, from the records themselves', () => {
    const names = documentNames([
      entry(51, 'document.register', 'document', 11, { effects: { arrival_number: 1 } }),
      entry(50, 'document.issue', 'document', 8, { from: 'sealed', to: 'issued', effects: { copies: [{ unit_id: 4, copy_id: 11 }] } }),
      entry(48, 'document.number', 'document', 8, { effects: { number: 1, number_symbol: '01/CT-BQP' } }),
      entry(44, 'document.create', 'document', 8, { subject: 'Chỉ thị về bảo vệ bí mật', number_symbol: '' }),
      entry(45, 'document.create', 'document', 9, { subject: 'Về việc rà soát thủ tục', number_symbol: '' }),
      entry(46, 'document.read', 'document', 10),
    ]);
    expect(names.get(8)).toBe('01/CT-BQP');
    expect(names.get(9)).toBe('Về việc rà soát thủ tục');
    expect(names.has(10)).toBe(false); // redacted: nothing to say
    expect(names.get(11)).toBe('01/CT-BQP'); // the copy sent to another unit
  });

  it('takes the name a record gives a certificate, a record or a peer', () => {
    expect(ownName(entry(1, 'pki.certificate_issued', 'certificate', 4, { subject: 'Phạm Quốc Trưởng' }))).toBe('Phạm Quốc Trưởng');
    expect(ownName(entry(2, 'record.create', 'record', 1, { code: '01.VP', title: 'Hồ sơ an ninh mạng' }))).toBe('Hồ sơ an ninh mạng');
    expect(ownName(entry(3, 'user.logout', 'user', 1))).toBeNull();
  });
});
