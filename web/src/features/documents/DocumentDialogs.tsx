import { useMemo } from 'react';
import { Form, Input, InputNumber, Modal, Select, TreeSelect } from 'antd';
import { get } from '../../app/api';
import { tKey, useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { useQuery } from '../../app/useQuery';
import { formatDate } from '../../shared/format';
import { unitTree } from '../../shared/units';
import { usePeopleSearch } from '../org/people';
import { NEEDS_TEXT } from './actions';
import type { ActionBody, Deadline } from './types';

// An action that needs words (a comment, a reason) before it goes.
export function TextDialog({ action, busy, onCancel, onSubmit }: {
  action: string; busy: boolean; onCancel: () => void; onSubmit: (text: string) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ text: string }>();
  const label = action === 'refuse_recall' ? t('exchange.refuseReason')
    : NEEDS_TEXT[action] === 'reason' ? t('doc.returnReason') : t('doc.comment');
  const max = NEEDS_TEXT[action] === 'reason' ? 1000 : 4000;
  return (
    <Modal open title={tKey(t, `action.${action}`)} onCancel={onCancel} okText={tKey(t, `action.${action}`)}
      cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void onSubmit(v.text)}>
        <Form.Item name="text" label={label}
          rules={[{ required: true, whitespace: true, message: t('common.required') }, { max, message: t('common.tooLong', { max }) }]}>
          <Input.TextArea rows={4} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
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
export function AssignDialog({ busy, onCancel, onSubmit }: {
  busy: boolean; onCancel: () => void; onSubmit: (body: ActionBody) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const { units } = useSession();
  const [form] = Form.useForm<AssignValues>();
  const people = usePeopleSearch();
  const tree = useMemo(() => unitTree(units), [units]);
  const days = Form.useWatch('deadline_working_days', form);
  const deadline = useQuery(days ? `deadline:${days}` : null, (signal) =>
    get<Deadline>('/calendar/deadline', { working_days: days }, signal));
  const due = deadline.error ? '' : deadline.data?.deadline ?? '';
  // Fields left empty are not sent (JSON drops undefined).
  const submit = (v: AssignValues) => void onSubmit({ ...v, directive: v.directive || undefined });
  return (
    <Modal open title={t('action.assign')} onCancel={onCancel} okText={t('action.assign')} cancelText={t('common.cancel')}
      confirmLoading={busy} onOk={() => form.submit()} width={640} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ deadline_working_days: 10 }}>
        <Form.Item name="lead_user_id" label={t('assign.leadUser')}
          rules={[({ getFieldValue }) => ({
            validator: (_, v) => (v || getFieldValue('lead_unit_id') ? Promise.resolve() : Promise.reject(new Error(t('assign.needLead')))),
          })]}>
          <Select showSearch allowClear filterOption={false} onSearch={people.search} options={people.options} />
        </Form.Item>
        <Form.Item name="lead_unit_id" label={t('assign.leadUnit')} dependencies={['lead_user_id']}>
          <TreeSelect allowClear treeData={tree} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
        </Form.Item>
        <Form.Item name="supporting_unit_ids" label={t('assign.supporting')}>
          <TreeSelect multiple allowClear treeData={tree} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
        </Form.Item>
        <Form.Item name="deadline_working_days" label={t('assign.workingDays')} extra={due ? t('assign.dueOn', { date: formatDate(due) }) : undefined}>
          <InputNumber min={1} max={365} />
        </Form.Item>
        <Form.Item name="directive" label={t('assign.directive')} rules={[{ max: 4000, message: t('common.tooLong', { max: 4000 }) }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
