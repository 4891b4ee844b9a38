import { App, Form, Input, Modal } from 'antd';
import { put } from '../../app/api';
import { FormAlert } from '../../shared/FormAlert';
import { useSubmit } from '../../shared/formErrors';
import { useI18n } from '../../app/i18n';

interface PinValues {
  old_pin: string;
  new_pin: string;
  repeat: string;
}

// Đổi mã PIN ký số: the key is re-encrypted on the server under the new PIN.
// The server names the old PIN `pin` (wrong_pin, no_key). Opened from the
// account menu, and from the signing dialog when the first PIN (set by the
// certificate's issuer) must be replaced before the key signs.
export function ChangePinDialog({ onClose, onChanged }: { onClose: () => void; onChanged?: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<PinValues>();
  const labels = { old_pin: t('pin.old'), new_pin: t('pin.new') };
  const { busy, error, submit } = useSubmit(form, {
    labels, fieldFor: (f) => (f === 'pin' ? 'old_pin' : f), codes: { account_locked: 'sig.locked' },
  });
  const finish = (v: PinValues) => submit(async () => {
    await put('/me/signing-pin', { old_pin: v.old_pin, new_pin: v.new_pin });
    message.success(t('pin.changed'));
    onChanged?.();
    onClose();
  });
  const rules = [{ required: true, message: t('common.required') }];
  return (
    <Modal open title={t('pin.change')} okText={t('common.save')} cancelText={t('common.cancel')}
      onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void finish(v)}>
        <FormAlert error={error} />
        <Form.Item name="old_pin" label={labels.old_pin} rules={rules}>
          <Input.Password autoFocus autoComplete="current-password" maxLength={64} />
        </Form.Item>
        <Form.Item name="new_pin" label={labels.new_pin} rules={[...rules, { min: 6, max: 64, message: t('field.bad_pin') }]}>
          <Input.Password autoComplete="new-password" maxLength={64} />
        </Form.Item>
        <Form.Item name="repeat" label={t('pin.repeat')} dependencies={['new_pin']}
          rules={[...rules, ({ getFieldValue }) => ({
            validator: (_, v) => (!v || v === getFieldValue('new_pin') ? Promise.resolve() : Promise.reject(new Error(t('pin.mismatch')))),
          })]}>
          <Input.Password autoComplete="new-password" maxLength={64} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
