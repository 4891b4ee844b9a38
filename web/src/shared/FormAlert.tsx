import { Alert } from 'antd';
import type { FormError } from './formErrors';

// A form's refusal, above its fields: the message, then one line per field
// named (by its label) and the server's own words.
export function FormAlert({ error }: { error: FormError | null }) {
  if (!error) return null;
  return (
    <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }} title={error.message}
      description={error.details.length > 0
        ? error.details.map((line) => <div key={line}>{line}</div>)
        : undefined} />
  );
}
