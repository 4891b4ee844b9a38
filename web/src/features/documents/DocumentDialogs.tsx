import { useMemo } from 'react';
import { Form, Input, InputNumber, Modal, Select, TreeSelect } from 'antd';
import { get } from '../../app/api';
import { tKey, useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { useQuery } from '../../app/useQuery';
import { formatDate } from '../../shared/format';
import { unitTree } from '../../shared/units';
import { usePeopleSearch } from '../org/people';
import { ConfirmDialog } from '../../shared/ConfirmDialog';
import { FormAlert } from '../../shared/FormAlert';
import { useSubmit } from '../../shared/formErrors';
import { CONFIRMATIONS } from './actions';
import type { ActionBody, Deadline } from './types';

// An action asked before it goes (actions.ts CONFIRMATIONS): what it does,
// and the reason or comment it needs, in the one confirmation dialog.
export function ActionDialog({ action, onConfirm, onCancel }: {
  action: string; onConfirm: (body: ActionBody) => Promise<void>; onCancel: () => void;
}) {
  const { t } = useI18n();
  const c = CONFIRMATIONS[action] ?? {};
  const label = tKey(t, `action.${action}`);
  const confirm = (values: Record<string, string>) => {
    const body: ActionBody = {};
    if (values.reason) body.reason = values.reason;
    if (values.comment) body.comment = values.comment;
    return onConfirm(body);
  };
  return (
    <ConfirmDialog title={label} confirmLabel={label} danger={c.danger}
      consequences={c.consequences ? t(c.consequences) : undefined}
      text={c.text ? { ...c.text, label: t(c.text.label) } : undefined}
      onConfirm={confirm} onCancel={onCancel} />
  );
}

interface AssignValues {
  lead_unit_id?: number;
  lead_user_id?: number;
  supporting_unit_ids?: number[];
  deadline_working_days?: number;
  directive?: string;
}

// Phân công xử lý: a lead person or unit, supporting units, a deadline in
// working days (shown as the date it leads to) and a directive.
export function AssignDialog({ onCancel, onSubmit }: {
  onCancel: () => void; onSubmit: (body: ActionBody) => Promise<void>;
}) {
  const { t } = useI18n();
  const { units } = useSession();
  const [form] = Form.useForm<AssignValues>();
  const labels = {
    lead_user_id: t('assign.leadUser'), lead_unit_id: t('assign.leadUnit'), supporting_unit_ids: t('assign.supporting'),
    deadline_working_days: t('assign.workingDays'), directive: t('assign.directive'),
  };
  const { busy, error, submit } = useSubmit(form, { labels });
  const people = usePeopleSearch();
  const tree = useMemo(() => unitTree(units), [units]);
  const days = Form.useWatch('deadline_working_days', form);
  const deadline = useQuery(days ? `deadline:${days}` : null, (signal) =>
    get<Deadline>('/calendar/deadline', { working_days: days }, signal));
  const due = deadline.error ? '' : deadline.data?.deadline ?? '';
  // Fields left empty are not sent (JSON drops undefined).
  const finish = (v: AssignValues) => submit(() => onSubmit({ ...v, directive: v.directive || undefined }));
  return (
    <Modal open title={t('action.assign')} onCancel={onCancel} okText={t('action.assign')} cancelText={t('common.cancel')}
      confirmLoading={busy} onOk={() => form.submit()} width={640} destroyOnHidden>
      <FormAlert error={error} />
      <Form form={form} layout="vertical" onFinish={finish} initialValues={{ deadline_working_days: 10 }}>
        <Form.Item name="lead_user_id" label={labels.lead_user_id}
          rules={[({ getFieldValue }) => ({
            validator: (_, v) => (v || getFieldValue('lead_unit_id') ? Promise.resolve() : Promise.reject(new Error(t('assign.needLead')))),
          })]}>
          <Select showSearch allowClear filterOption={false} onSearch={people.search} options={people.options} />
        </Form.Item>
        <Form.Item name="lead_unit_id" label={labels.lead_unit_id} dependencies={['lead_user_id']}>
          <TreeSelect allowClear treeData={tree} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
        </Form.Item>
        <Form.Item name="supporting_unit_ids" label={labels.supporting_unit_ids}>
          <TreeSelect multiple allowClear treeData={tree} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
        </Form.Item>
        <Form.Item name="deadline_working_days" label={labels.deadline_working_days} extra={due ? t('assign.dueOn', { date: formatDate(due) }) : undefined}>
          <InputNumber min={1} max={365} />
        </Form.Item>
        <Form.Item name="directive" label={labels.directive} rules={[{ max: 4000, message: t('common.tooLong', { max: 4000 }) }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
