import { useState } from 'react';
import type { FormInstance } from 'antd';
import { explain } from './errors';
import { useI18n, type T } from '../app/i18n';

// Shows a failed request on the form: each field the server named gets its
// message under the field; the form keeps every value the person typed.
export function showOnForm(form: FormInstance, error: unknown, t: T): string {
  const { message, fields } = explain(error, t);
  const known = new Set(Object.keys(form.getFieldsValue(true) || {}));
  form.setFields(fields.filter((f) => known.has(f.field)).map((f) => ({ name: f.field, errors: [f.message] })));
  return message;
}

// A form's submit: busy while it runs, and on failure the message for the
// whole form (per-field messages go under the fields). `onError` runs after a
// failure, e.g. to open what was already created.
export function useSubmit(form: FormInstance) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const submit = async (work: () => Promise<void>, onError?: () => void) => {
    setBusy(true);
    setError('');
    try {
      await work();
    } catch (e) {
      setError(showOnForm(form, e, t));
      onError?.();
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}
