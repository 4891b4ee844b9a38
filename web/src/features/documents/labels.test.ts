import { describe, expect, it } from 'vitest';
import { translator } from '../../app/i18n';
import { docReference, docRowName, docTypeName } from './labels';
import type { TypeCode } from './types';

const TYPES: Exclude<TypeCode, ''>[] = ['NQ', 'QĐ', 'CT', 'QC', 'QyĐ', 'TC', 'TB', 'HD', 'CTr', 'KH', 'PA', 'ĐA', 'DA', 'BC', 'BB',
  'TTr', 'HĐ', 'CĐ', 'BGN', 'BTT', 'GUQ', 'GM', 'GGT', 'GNP', 'PG', 'PC', 'PB', 'SY', 'TrS', 'SL'];

describe('documents by what is written on them', () => {
  // A clerk's report: the type showed as "BC".
  it('names every Decree 30 type in each language', () => {
    expect(docTypeName(translator('vi'), 'BC')).toBe('Báo cáo');
    expect(docTypeName(translator('en'), 'QĐ')).toBe('Decision');
    expect(docTypeName(translator('fr'), 'BB')).toBe('Procès-verbal');
    for (const lang of ['vi', 'en', 'fr'] as const) {
      for (const code of TYPES) expect(docTypeName(translator(lang), code), `${lang} ${code}`).not.toBe(code);
    }
  });

  it('calls a document without a type a công văn', () => {
    expect(docTypeName(translator('vi'), '')).toBe('Công văn');
    expect(docTypeName(translator('en'), null)).toBe('Official letter');
  });

  it('refers to a document by its number and symbol, else its subject', () => {
    const out = { direction: 'outgoing' as const, number_symbol: '15/QĐ-BQP', original_number_symbol: '', subject: 'Về việc A' };
    expect(docReference(out)).toBe('15/QĐ-BQP');
    expect(docReference({ ...out, number_symbol: '' })).toBe('Về việc A');
    expect(docReference({ ...out, direction: 'incoming', original_number_symbol: '2045/UBND-NC' })).toBe('2045/UBND-NC');
  });

  it('names a list row by its numbers, subject, state, Vietnam day and deadline', () => {
    const base = {
      direction: 'outgoing' as const, number_symbol: '15/QĐ-BQP', original_number_symbol: '', arrival_number: null,
      subject: 'Về việc A', state: 'issued', issued_date: '2026-12-01', arrival_date: null, original_date: null,
      created_at: '2026-11-30T17:30:00Z', deadline: null,
    };
    expect(docRowName(base, translator('vi'))).toBe('15/QĐ-BQP, Về việc A, Đã phát hành, 01/12/2026');
    expect(docRowName({ ...base, number_symbol: '', state: 'draft', issued_date: null }, translator('vi')))
      .toBe('Về việc A, Dự thảo, 01/12/2026'); // made at 00:30 in Hà Nội
    expect(docRowName({
      ...base, direction: 'incoming', number_symbol: '', original_number_symbol: '2045/UBND-NC', arrival_number: 7,
      state: 'assigned', issued_date: null, arrival_date: '2026-12-02', deadline: '2026-12-09',
    }, translator('en'))).toBe('Arrival no. 7, 2045/UBND-NC, Về việc A, Assigned, 02/12/2026, Due: 09/12/2026');
  });
});
