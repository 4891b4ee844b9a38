import { useCallback, useId, type KeyboardEvent, type ReactNode } from 'react';
import { Form, Input, Modal } from 'antd';
import { useI18n } from '../app/i18n';
import { FormAlert } from './FormAlert';
import type { ExplainOptions } from './errors';
import { useSubmit } from './formErrors';

// The words an action asks for before it goes: the server's field (`reason`,
// `comment`), its label, and whether the domain requires it.
export interface ConfirmText {
  name: string;
  label: string;
  required: boolean;
  max: number;
}

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

// Tab from the last control goes to the first, Shift+Tab from the first to
// the last: antd's own lock only brings the focus back once it has left
// (to the page, or the browser's bar), which a keyboard user notices.
function keepTabInside(e: KeyboardEvent<HTMLElement>) {
  if (e.key !== 'Tab') return;
  const controls = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)]
    .filter((el) => !el.hasAttribute('disabled') && el.getClientRects().length > 0);
  if (controls.length === 0) return;
  const [first, last] = [controls[0], controls[controls.length - 1]];
  const target = e.shiftKey ? (document.activeElement === first ? last : null) : (document.activeElement === last ? first : null);
  if (target) {
    e.preventDefault();
    target.focus();
  }
}

// The one confirmation for what cannot be undone or leaves the office
// (docs/web.md, "Confirmation"): a dialog labelled by its title and
// described by the consequences, in the person's language; the focus stays
// inside it (Tab cycles) and starts on the words asked for, else on Hủy —
// Enter never confirms by accident —; Escape and Hủy do nothing. A refusal
// is told inside, the reason under its field, and the dialog stays open.
export function ConfirmDialog({
  title, consequences, confirmLabel, danger = false, text, onConfirm, onCancel, explain, onRefused, confirmDisabled = false,
}: {
  title: string;
  consequences?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  text?: ConfirmText;
  onConfirm: (values: Record<string, string>) => Promise<void>;
  onCancel: () => void;
  explain?: ExplainOptions; // what the refusals mean here
  onRefused?: (error: unknown) => void;
  confirmDisabled?: boolean; // e.g. decided meanwhile: nothing left to confirm
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<Record<string, string>>();
  const { busy, error, submit } = useSubmit(form, { ...explain, labels: text ? { [text.name]: text.label } : {} });
  const describedBy = useId();
  // antd's Modal takes no aria-describedby: set it on the dialog it renders.
  const describe = useCallback((el: HTMLElement | null) => {
    el?.closest('[role="dialog"]')?.setAttribute('aria-describedby', describedBy);
  }, [describedBy]);
  const finish = (values: Record<string, string>) => submit(async () => {
    const trimmed = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, (v ?? '').trim()]).filter(([, v]) => v));
    try {
      await onConfirm(trimmed);
    } catch (e) {
      onRefused?.(e);
      throw e;
    }
  });
  return (
    <Modal open title={title} onCancel={busy ? undefined : onCancel} okText={confirmLabel} cancelText={t('common.cancel')}
      okButtonProps={{ danger, disabled: confirmDisabled }} cancelButtonProps={{ autoFocus: !text }} confirmLoading={busy}
      onOk={() => form.submit()} destroyOnHidden maskClosable={false}
      modalRender={(node) => <div onKeyDown={keepTabInside}>{node}</div>}>
      {consequences && <div id={describedBy} ref={describe} style={{ marginBottom: 16 }}>{consequences}</div>}
      <FormAlert error={error} />
      <Form form={form} layout="vertical" name="confirm" onFinish={(v) => void finish(v)}>
        {text && (
          <Form.Item name={text.name} label={text.label}
            rules={[
              ...(text.required ? [{ required: true, whitespace: true, message: t('common.required') }] : []),
              { max: text.max, message: t('common.tooLong', { max: text.max }) },
            ]}>
            <Input.TextArea rows={4} showCount maxLength={text.max} autoFocus />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
