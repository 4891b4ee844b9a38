import { useMemo, useState } from 'react';
import {
  Alert, App, Button, Card, Checkbox, Col, Descriptions, Form, Input, Modal, Radio, Row, Space, Switch, Table,
  Tree, TreeSelect, Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { get, post } from '../../app/api';
import type { Schema, Unit, UnitPeriod } from '../../app/api-types';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { useQuery } from '../../app/useQuery';
import { useSubmit } from '../../shared/formErrors';
import { formatDate } from '../../shared/format';
import { unitName, unitTree } from '../../shared/units';
import { rules } from '../documents/DocumentFields';
import { DatePicker } from '../../shared/DatePicker';
import { dayOf } from '../../shared/today';

// The organisation: the unit tree, a unit's history, new units, and
// reorganisations (merge, split, dissolve) with an effective date.
export default function Units() {
  const { t } = useI18n();
  const { units, reloadUnits } = useSession();
  const [showRetired, setShowRetired] = useState(false);
  const [selected, setSelected] = useState<number | null>(units[0]?.id ?? null);
  const [dialog, setDialog] = useState<'add' | 'reorganize' | null>(null);
  const tree = useMemo(() => unitTree(units, showRetired), [units, showRetired]);
  const unit = units.find((u) => u.id === selected);

  // Asked again after a change to the units (a reorganisation writes history).
  const versions = useQuery(selected ? `units/${selected}/history:${units.map((u) => `${u.id}.${u.version}`).join()}` : null, (signal) =>
    get<{ items: UnitPeriod[] }>(`/units/${selected}/history`, undefined, signal), { keep: true });
  const history = versions.error ? [] : versions.data?.items ?? [];

  const titleOf = (u: Unit) => (u.active ? u.name : <Typography.Text type="secondary" delete>{u.name}</Typography.Text>);
  return (
    <Row gutter={16}>
      <Col xs={24} lg={10}>
        <Card size="small" title={t('units.title')}
          extra={<Space>
            <Switch size="small" checked={showRetired} onChange={setShowRetired} aria-label={t('units.inactive')} />
            <Typography.Text type="secondary">{t('units.inactive')}</Typography.Text>
          </Space>}>
          <Tree blockNode defaultExpandAll key={`${showRetired}-${units.length}`} treeData={tree}
            titleRender={(n) => titleOf((n as unknown as { unit: Unit }).unit)}
            selectedKeys={selected ? [selected] : []} onSelect={(keys) => keys[0] && setSelected(Number(keys[0]))} />
          <Space style={{ marginTop: 12 }}>
            <Button onClick={() => setDialog('add')} disabled={!unit?.active}>{t('units.add')}</Button>
            <Button type="primary" onClick={() => setDialog('reorganize')}>{t('units.reorganize')}</Button>
          </Space>
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        {unit && (
          <Card size="small" title={unit.name}>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('units.abbreviation')}>{unit.abbreviation}</Descriptions.Item>
              <Descriptions.Item label={t('units.agencyCode')}>{unit.agency_code}</Descriptions.Item>
              <Descriptions.Item label={t('units.parent')}>{unitName(units, unit.parent_id)}</Descriptions.Item>
              <Descriptions.Item label={t('units.issues')}>{unit.issues_documents ? t('common.yes') : t('common.no')}</Descriptions.Item>
              {!unit.active && (
                <Descriptions.Item label={t('units.inactive')}>
                  {formatDate(unit.retired_on)} {unit.successor_id ? `→ ${unitName(units, unit.successor_id)}` : ''}
                </Descriptions.Item>
              )}
            </Descriptions>
            <Typography.Title level={5} style={{ marginTop: 16 }}>{t('units.history')}</Typography.Title>
            <Table<UnitPeriod> size="small" pagination={false} rowKey="valid_from" dataSource={history}
              columns={[
                { title: t('books.from'), key: 'f', width: 110, render: (_, v) => formatDate(v.valid_from) },
                { title: t('books.to'), key: 't', width: 110, render: (_, v) => formatDate(v.valid_to) },
                { title: t('units.name'), dataIndex: 'name' },
                { title: t('units.abbreviation'), dataIndex: 'abbreviation', width: 100 },
                { title: t('units.parent'), key: 'p', render: (_, v) => unitName(units, v.parent_id) },
              ]} />
          </Card>
        )}
      </Col>
      {dialog === 'add' && unit && (
        <AddUnit parent={unit} onClose={async (changed) => { setDialog(null); if (changed) await reloadUnits(); }} />
      )}
      {dialog === 'reorganize' && (
        <Reorganize initial={selected} onClose={async (changed) => { setDialog(null); if (changed) await reloadUnits(); }} />
      )}
    </Row>
  );
}

function AddUnit({ parent, onClose }: { parent: Unit; onClose: (changed: boolean) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const { busy, error, submit } = useSubmit(form);
  const { required, max } = rules(t);
  const save = (v: { name: string; abbreviation: string; agency_code?: string; issues_documents?: boolean }) =>
    submit(async () => {
      await post('/units', { ...v, agency_code: v.agency_code || undefined, parent_id: parent.id });
      onClose(true);
    });
  return (
    <Modal open title={`${t('units.add')} · ${parent.name}`} onCancel={() => onClose(false)} okText={t('common.create')}
      cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} destroyOnHidden>
      {error && <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }} message={error} />}
      <Form form={form} layout="vertical" onFinish={save} name="unit">
        <Form.Item name="name" label={t('units.name')} rules={[required, max(300)]}><Input /></Form.Item>
        <Form.Item name="abbreviation" label={t('units.abbreviation')} rules={[required, max(30)]}><Input /></Form.Item>
        <Form.Item name="agency_code" label={t('units.agencyCode')} rules={[max(30)]}><Input /></Form.Item>
        <Form.Item name="issues_documents" valuePropName="checked"><Checkbox>{t('units.issues')}</Checkbox></Form.Item>
      </Form>
    </Modal>
  );
}

interface ReorgValues {
  kind: 'merge' | 'split' | 'dissolve';
  effective_date: Dayjs;
  sources: number[];
  targets?: number[];
  new_units?: string;
  successor_id?: number;
  note?: string;
}

function Reorganize({ initial, onClose }: { initial: number | null; onClose: (changed: boolean) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { units, today } = useSession();
  const [form] = Form.useForm<ReorgValues>();
  const { busy, error, submit } = useSubmit(form);
  const tree = useMemo(() => unitTree(units), [units]);
  const kind = Form.useWatch('kind', form);
  const { max } = rules(t);

  const save = (v: ReorgValues) => submit(async () => {
    // New units, one per line: "name|abbreviation", under the first source's parent.
    const parent = units.find((u) => u.id === v.sources[0])?.parent_id ?? undefined;
    const newUnits = (v.new_units || '').split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
      const [name, abbreviation] = l.split('|').map((x) => x.trim());
      return { name, abbreviation: abbreviation || '', parent_id: parent };
    });
    const r = await post<Schema<'Reorganization'>>('/reorganizations', {
      kind: v.kind,
      effective_date: v.effective_date.format('YYYY-MM-DD'),
      sources: v.sources,
      // A dissolved unit's work goes to its successor, the one target.
      targets: v.kind === 'dissolve' ? [v.successor_id] : v.targets?.length ? v.targets : undefined,
      new_units: newUnits.length ? newUnits : undefined,
      successor_id: v.successor_id,
      note: v.note?.trim() || undefined,
    });
    message.success(t('units.done', { count: r.transferred }));
    onClose(true);
  });

  return (
    <Modal open title={t('units.reorganize')} onCancel={() => onClose(false)} okText={t('units.reorganize')} width={640}
      cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} destroyOnHidden>
      {error && <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }} message={error} />}
      <Form form={form} layout="vertical" onFinish={save} name="reorganization"
        initialValues={{ kind: 'merge', effective_date: dayOf(today), sources: initial ? [initial] : [] }}>
        <Form.Item name="kind" label={t('units.kind')}>
          <Radio.Group optionType="button" options={(['merge', 'split', 'dissolve'] as const).map((k) => ({ value: k, label: t(`units.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="sources" label={t('units.sources')} rules={[{ required: true, message: t('common.required') }]}>
          <TreeSelect multiple treeData={tree} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
        </Form.Item>
        {kind !== 'dissolve' && (
          <>
            <Form.Item name="targets" label={t('units.targets')}>
              <TreeSelect multiple allowClear treeData={tree} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
            </Form.Item>
            <Form.Item name="new_units" label={t('units.newUnits')} dependencies={['targets']}
              rules={[({ getFieldValue }) => ({
                validator: (_, v) => ((getFieldValue('targets')?.length || (v || '').trim())
                  ? Promise.resolve() : Promise.reject(new Error(t('common.required')))),
              })]}>
              <Input.TextArea rows={3} placeholder="Phòng Tổng hợp|PTH" />
            </Form.Item>
          </>
        )}
        {kind === 'dissolve' && (
          <Form.Item name="successor_id" label={t('units.successor')} rules={[{ required: true, message: t('common.required') }]}>
            <TreeSelect treeData={tree} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
          </Form.Item>
        )}
        <Form.Item name="effective_date" label={t('units.effectiveDate')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker format="DD/MM/YYYY" />
        </Form.Item>
        <Form.Item name="note" label={t('units.note')} rules={[max(2000)]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
