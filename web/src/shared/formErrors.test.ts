import { describe, expect, it } from 'vitest';
import type { FormInstance } from 'antd';
import { ApiError } from '../app/api';
import { translator } from '../app/i18n';
import { showOnForm } from './formErrors';

// Just what showOnForm uses of a form: its values and setFields.
function fakeForm(values: Record<string, unknown>) {
  const set: { name: string; errors: string[] }[] = [];
  const form = {
    getFieldsValue: () => values,
    setFields: (fields: { name: string; errors: string[] }[]) => set.push(...fields),
  };
  return { form: form as unknown as FormInstance, set };
}

describe('a refusal on a form', () => {
  const vi = translator('vi');

  it('puts each reason under its field and names the field in the form’s message', () => {
    const { form, set } = fakeForm({ full_name: 'A', clearance: 'mat' });
    const e = new ApiError({ status: 403, code: 'forbidden', detail: 'Nobody changes their own roles…',
      errors: [{ field: 'clearance', code: 'self_change', message: 'You cannot change this for yourself.' }] });
    const shown = showOnForm(form, e, vi, { labels: { clearance: 'Độ mật được tiếp cận' } });
    expect(set).toEqual([{ name: 'clearance', errors: [expect.stringMatching(/độ mật được tiếp cận của chính mình/)] }]);
    expect(shown.message).toMatch(/^Không ai tự thay đổi/);
    expect(shown.details).toEqual([expect.stringMatching(/^Độ mật được tiếp cận: Không ai tự thay đổi độ mật/)]);
  });

  it('shows a server field under the form field that stands for it, and says one the form lacks', () => {
    const { form, set } = fakeForm({ kind: 'dissolve', successor_id: 7, sources: [6] });
    const e = new ApiError({ status: 400, code: 'invalid_argument', errors: [
      { field: 'targets', code: 'cycle', message: 'Phòng Kỹ thuật lies inside a unit being reorganised.' },
      { field: 'reorganization', code: 'odd', message: 'Something the form has no field for.' },
    ] });
    const shown = showOnForm(form, e, vi, {
      labels: { successor_id: 'Đơn vị kế thừa' }, fieldFor: (f) => (f === 'targets' ? 'successor_id' : f),
    });
    expect(set.map((f) => f.name)).toEqual(['successor_id']);
    expect(shown.details).toEqual([
      expect.stringMatching(/^Đơn vị kế thừa: Đơn vị này nằm trong đơn vị đang được sắp xếp lại/),
      'Something the form has no field for.',
    ]);
  });
});
