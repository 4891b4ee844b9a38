import { useState } from 'react';
import type { FormInstance } from 'antd';
import { detailsOf, explain, type ExplainOptions } from './errors';
import { useI18n, type T } from '../app/i18n';

// The one way a form tells a refusal (docs/web.md, "Errors under the
// fields"): each field the server named gets its reason under the field,
// the form keeps every value typed, and the form's own message (FormAlert)
// says what happened and names each refused field by its label — a field
// not on the form is said there too, so nothing the server said is lost.
export interface FormError {
  message: string;
  details: string[];
}

export interface FormErrorOptions extends ExplainOptions {
  // The form's labels by the server's field names, to name a refused field.
  labels?: Record<string, string>;
  // The form field that shows a server field the form calls otherwise
  // (a dissolution's `targets` is the form's `successor_id`).
  fieldFor?: (field: string) => string;
}

export function showOnForm(form: FormInstance, error: unknown, t: T, options: FormErrorOptions = {}): FormError {
  const e = explain(error, t, options);
  const known = new Set(Object.keys(form.getFieldsValue(true) || {}));
  const fieldFor = options.fieldFor ?? ((f: string) => f);
  const placed = e.fields.map((f) => ({ ...f, name: fieldFor(f.field) })).filter((f) => known.has(f.name));
  const byName = new Map<string, string[]>();
  for (const f of placed) byName.set(f.name, [...(byName.get(f.name) ?? []), f.message]);
  form.setFields([...byName].map(([name, errors]) => ({ name, errors })));
  const labels: Record<string, string> = {};
  for (const f of e.fields) {
    const label = options.labels?.[fieldFor(f.field)] ?? options.labels?.[f.field];
    if (label) labels[f.field] = label;
  }
  return { message: e.message, details: detailsOf(e, labels, (field) => known.has(fieldFor(field))) };
}

// A form's submit: busy while it runs, and on failure the form's message
// (FormAlert) with the reasons under the fields. `onError` runs after a
// failure, e.g. to open what was already created.
export function useSubmit(form: FormInstance, options: FormErrorOptions = {}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const submit = async (work: () => Promise<void>, onError?: () => void) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(showOnForm(form, e, t, options));
      onError?.();
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit, setError };
}
