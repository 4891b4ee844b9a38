import { describe, expect, it } from 'vitest';
import { translator } from '../../app/i18n';
import { bookColumns, bookFilterOf, bookPrintPath, fold, typeAndSubject, type CellNames } from './print';
import type { RegisterEntry } from './types';

const vi = translator('vi');
const en = translator('en');

const entry = (over: Partial<RegisterEntry>): RegisterEntry => ({
  id: 7, direction: 'incoming', state: 'registered', unit_id: 2, created_by: 1, type_code: 'BC', subject: 'Tình hình mưa lũ',
  urgency: 'normal', classification: 'normal', classification_label: '', legal_normative: false, number: null,
  number_year: null, series: '', number_symbol: '', issued_date: null, book_id: 1, issuer_name: 'UBND tỉnh Yên Bái',
  original_number_symbol: '45/BC-UBND', original_date: '2026-11-30', arrival_number: 12, arrival_date: '2026-12-01',
  source_document_id: null, signer_name: '', signer_position: '', page_count: null, copies: null, deadline: null,
  reply_to_id: null, replaces_id: null, corrects_id: null, record_id: null, return_reason: '', notes: '',
  created_at: '2026-11-30T17:30:00Z', updated_at: '2026-11-30T17:30:00Z', version: 1, recipient_unit_ids: [],
  recipient_agency_codes: [], signature: null, ...over,
});

const names = (t = vi): CellNames => ({
  t,
  unitName: (id) => ({ 2: 'Văn phòng Bộ', 6: 'Cục Công nghệ thông tin' } as Record<number, string>)[id ?? 0] ?? '—',
  agencyName: (code) => `Cơ quan ${code}`,
});

const row = (d: RegisterEntry, t = vi) => {
  const cols = bookColumns(d.direction);
  return Object.fromEntries(cols.map((c) => [c.key, c.cell(d, names(t))]));
};

describe('the register books on paper (Decree 30, appendix IV)', () => {
  it('has the incoming form’s columns, named as the CSV export names them', () => {
    expect(bookColumns('incoming').map((c) => vi(c.title))).toEqual([
      'Ngày đến', 'Số đến', 'Tác giả', 'Số, ký hiệu', 'Ngày tháng', 'Tên loại và trích yếu nội dung',
      'Đơn vị hoặc người nhận', 'Ký nhận', 'Ghi chú',
    ]);
  });

  it('has the outgoing form’s columns, with the two the node leaves to the hand', () => {
    expect(bookColumns('outgoing').map((c) => vi(c.title))).toEqual([
      'Số, ký hiệu', 'Ngày tháng', 'Tên loại và trích yếu nội dung', 'Người ký', 'Nơi nhận',
      'Đơn vị, người nhận bản lưu', 'Số lượng bản', 'Ngày chuyển', 'Ký nhận', 'Ghi chú',
    ]);
  });

  it('fits its columns on the sheet, the subject taking what is left', () => {
    for (const kind of ['incoming', 'outgoing'] as const) {
      const widths = bookColumns(kind).map((c) => c.width ?? 0);
      expect(widths.filter((w) => w === 0)).toHaveLength(1);
      expect(widths.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(80);
    }
  });

  it('writes an incoming entry as the form has it: Vietnam days, names, the deadline among the notes', () => {
    expect(row(entry({ deadline: '2026-12-15', notes: 'Bản gốc lưu văn thư' }))).toEqual({
      arrival_date: '01/12/2026', arrival_number: '12', author: 'UBND tỉnh Yên Bái', number_symbol: '45/BC-UBND',
      date: '30/11/2026', type_subject: 'Báo cáo Tình hình mưa lũ', receiver: 'Văn phòng Bộ', signature: '',
      notes: 'Hạn giải quyết: 15/12/2026; Bản gốc lưu văn thư',
    });
    expect(row(entry({ arrival_number: null, original_date: null }))).toMatchObject({ arrival_number: '', date: '', notes: '' });
  });

  it('writes an outgoing entry with its recipients, units and agencies, by name', () => {
    const d = entry({
      direction: 'outgoing', type_code: 'QĐ', subject: 'Quyết định ban hành quy chế', number_symbol: '01/QĐ-BQP',
      issued_date: '2026-12-02', signer_name: 'Phạm Quốc Trưởng', recipient_unit_ids: [6], recipient_agency_codes: ['000.00.01.H01'],
      copies: 5,
    });
    expect(row(d)).toEqual({
      number_symbol: '01/QĐ-BQP', date: '02/12/2026', type_subject: 'Quyết định ban hành quy chế', signer: 'Phạm Quốc Trưởng',
      recipients: 'Cục Công nghệ thông tin; Cơ quan 000.00.01.H01', file_copy: 'Văn phòng Bộ', copies: '5', sent_on: '',
      signature: '', notes: '',
    });
  });
});

describe('typeAndSubject', () => {
  it('names the type once, whatever the marks and case', () => {
    expect(typeAndSubject(vi, { type_code: 'QĐ', subject: 'quyet dinh về việc khen thưởng' })).toBe('quyet dinh về việc khen thưởng');
    expect(typeAndSubject(vi, { type_code: 'BC', subject: 'Tình hình quý IV' })).toBe('Báo cáo Tình hình quý IV');
    expect(typeAndSubject(en, { type_code: 'BC', subject: 'Tình hình quý IV' })).toBe('Report Tình hình quý IV');
  });

  it('leaves a công văn, or a type it does not know, as its subject', () => {
    expect(typeAndSubject(vi, { type_code: '', subject: 'Về việc cử cán bộ' })).toBe('Về việc cử cán bộ');
    expect(typeAndSubject(vi, { type_code: 'XYZ', subject: 'Về việc cử cán bộ' })).toBe('Về việc cử cán bộ');
  });

  it('folds Vietnamese for the comparison', () => {
    expect(fold('  Đề Án Quốc gia ')).toBe('de an quoc gia');
  });
});

describe('the print view’s address', () => {
  it('carries the book page’s filter, and only that', () => {
    expect(bookPrintPath(3, { q: 'lụt bão', from: '2026-12-01', to: undefined })).toBe('/books/3/print?q=l%E1%BB%A5t+b%C3%A3o&from=2026-12-01');
    expect(bookPrintPath(3, {})).toBe('/books/3/print');
  });

  it('reads the filter back, leaving out a day that is not one', () => {
    expect(bookFilterOf(new URLSearchParams('q=+l%E1%BB%A5t+&from=2026-12-01&to=31/12/2026'))).toEqual({
      q: 'lụt', from: '2026-12-01', to: undefined,
    });
    expect(bookFilterOf(new URLSearchParams(''))).toEqual({ q: undefined, from: undefined, to: undefined });
  });
});
