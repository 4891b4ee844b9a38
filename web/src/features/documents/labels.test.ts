import { describe, expect, it } from 'vitest';
import { translator } from '../../app/i18n';
import { docReference, docTypeName } from './labels';
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
});
