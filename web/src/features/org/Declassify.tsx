import { useEffect } from 'react';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { Link } from 'react-router-dom';
import { post } from '../../app/api';
import { useItems } from '../../app/useQuery';
import type { Classification } from '../../app/api-types';
import type { Doc } from '../documents/types';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { useSubmit } from '../../shared/formErrors';
import { formatDateTime } from '../../shared/format';
import { describeDeclassify, isDeclassify, lowerClassifications, type Approval } from './approvals';
import { FormAlert } from '../../shared/FormAlert';

// Giải mật on the document page: a leader of the issuing unit proposes a
// lower classification with a reason; nothing changes until a security
// officer approves it on the approvals page.

// The declassification of `doc` waiting for a decision, if any (leaders and
// security officers may list requests).
export function usePendingDeclassification(doc: Doc | null, enabled: boolean) {
  const id = doc?.id;
  const classified = !!doc && doc.classification !== 'normal';
  const { items, error, reload } = useItems<Approval>(enabled && classified ? '/approvals' : null, { state: 'pending' });
  const pending = error ? undefined : items.find((a) => isDeclassify(a) && a.object_id === id);
  return { pending, reload };
}

export function DeclassifyCard({ approval }: { approval: Approval }) {
  const { t } = useI18n();
  const { personName, loadPeople, has } = useSession();
  useEffect(() => loadPeople([approval.proposed_by]), [approval.proposed_by, loadPeople]);
  if (!isDeclassify(approval)) return null;
  return (
    <Alert type="info" showIcon role="status" data-testid="declassification-pending"
      title={t('declassify.pending', { change: describeDeclassify(approval.change, t) })}
      description={
        <>
          <div>{t('approvals.proposedBy')}: {personName(approval.proposed_by)} · {formatDateTime(approval.proposed_at)}</div>
          <div>{t('declassify.reason')}: {approval.change.reason}</div>
          {has('security_officer') && <Link to="/approvals">{t('approvals.open')}</Link>}
        </>
      } />
  );
}

interface Values {
  classification: Classification;
  reason: string;
}

export function DeclassifyDialog({ doc, onClose }: { doc: Doc; onClose: (proposed: boolean) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const labels = { classification: t('declassify.to'), reason: t('declassify.reason') };
  const { busy, error, submit } = useSubmit(form, { labels });
  const choices = lowerClassifications(doc.classification);
  const save = (v: Values) => submit(async () => {
    await post<Approval>(`/documents/${doc.id}/declassification`, { classification: v.classification, reason: v.reason.trim() });
    message.info(t('declassify.proposed'));
    onClose(true);
  });
  return (
    <Modal open title={t('declassify.propose')} okText={t('declassify.send')} cancelText={t('common.cancel')}
      onCancel={() => onClose(false)} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" name="declassify" onFinish={save}
        initialValues={{ classification: choices[0] }}>
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('declassify.needsSecurityOfficer')} />
        <FormAlert error={error} />
        <Form.Item label={t('declassify.current')}>
          <Input value={t(`classification.${doc.classification}`)} disabled />
        </Form.Item>
        <Form.Item name="classification" label={labels.classification} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={choices.map((c) => ({ value: c, label: t(`classification.${c}`) }))} />
        </Form.Item>
        <Form.Item name="reason" label={labels.reason}
          rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 1000, message: t('common.tooLong', { max: 1000 }) }]}>
          <Input.TextArea rows={4} showCount maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
