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
import { dayBefore, formatDate } from '../../shared/format';
import { unitName, unitTree } from '../../shared/units';
import { rules } from '../documents/DocumentFields';
import { DatePicker } from '../../shared/DatePicker';
import { dayOf, isoDateOf } from '../../shared/today';
import { FormAlert } from '../../shared/FormAlert';
import { NOT_ON_PHONE } from '../../shared/screen';
import { ScrollBox } from '../../shared/ScrollBox';

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
            <UnitHistory unit={unit} history={history} />
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

// A unit's periods (GET /units/{id}/history): each from its first day to
// its last — the API's `valid_to` is the first day it no longer held, so
// the last day is the one before —, an open period "to now". A retired
// period (dissolved, merged, split) says so and where the work went; it
// has no end.
function UnitHistory({ unit, history }: { unit: Unit; history: UnitPeriod[] }) {
  const { t } = useI18n();
  const { units } = useSession();
  const last = history[history.length - 1];
  const state = (v: UnitPeriod) => {
    if (v.active) return t('units.period.active');
    const successor = v === last && unit.successor_id ? unitName(units, unit.successor_id) : '';
    return successor ? t('units.period.retiredTo', { successor }) : t('units.period.retired');
  };
  const until = (v: UnitPeriod) => {
    if (v.valid_to) return formatDate(dayBefore(v.valid_to));
    return v.active ? t('units.period.now') : t('common.none');
  };
  return (
    <ScrollBox label={t('units.history')}>
      <Table<UnitPeriod> size="small" pagination={false} rowKey="valid_from" dataSource={history}
        columns={[
          { title: t('books.from'), key: 'f', width: 110, render: (_, v) => formatDate(v.valid_from) },
          { title: t('books.to'), key: 't', width: 110, render: (_, v) => until(v) },
          { title: t('units.name'), dataIndex: 'name' },
          { title: t('units.abbreviation'), dataIndex: 'abbreviation', width: 100, responsive: NOT_ON_PHONE },
          { title: t('units.parent'), key: 'p', responsive: NOT_ON_PHONE, render: (_, v) => unitName(units, v.parent_id) },
          { title: t('units.period.state'), key: 's', render: (_, v) => state(v) },
        ]} />
    </ScrollBox>
  );
}

function AddUnit({ parent, onClose }: { parent: Unit; onClose: (changed: boolean) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const labels = { name: t('units.name'), abbreviation: t('units.abbreviation'), agency_code: t('units.agencyCode'), parent_id: t('units.parent') };
  const { busy, error, submit } = useSubmit(form, { labels });
  const { required, max } = rules(t);
  const save = (v: { name: string; abbreviation: string; agency_code?: string; issues_documents?: boolean }) =>
    submit(async () => {
      await post('/units', { ...v, agency_code: v.agency_code || undefined, parent_id: parent.id });
      onClose(true);
    });
  return (
    <Modal open title={`${t('units.add')} · ${parent.name}`} onCancel={() => onClose(false)} okText={t('common.create')}
      cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} destroyOnHidden>
      <FormAlert error={error} />
      <Form form={form} layout="vertical" onFinish={save} name="unit">
        <Form.Item name="name" label={labels.name} rules={[required, max(300)]}><Input /></Form.Item>
        <Form.Item name="abbreviation" label={labels.abbreviation} rules={[required, max(30)]}><Input /></Form.Item>
        <Form.Item name="agency_code" label={labels.agency_code} rules={[max(30)]}><Input /></Form.Item>
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
  const kind = Form.useWatch('kind', form);
  const labels = {
    kind: t('units.kind'), sources: t('units.sources'), targets: t('units.targets'), new_units: t('units.newUnits'),
    successor_id: t('units.successor'), effective_date: t('units.effectiveDate'), note: t('units.note'),
  };
  // A dissolution names its successor only: the server's `targets` is that field.
  const { busy, error, submit } = useSubmit(form, {
    labels, fieldFor: (f) => (f === 'targets' && form.getFieldValue('kind') === 'dissolve' ? 'successor_id' : f),
  });
  const tree = useMemo(() => unitTree(units), [units]);
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
      effective_date: isoDateOf(v.effective_date),
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
      <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('units.reorganizeWarning')} />
      <FormAlert error={error} />
      <Form form={form} layout="vertical" onFinish={save} name="reorganization"
        initialValues={{ kind: 'merge', effective_date: dayOf(today), sources: initial ? [initial] : [] }}>
        <Form.Item name="kind" label={labels.kind}>
          <Radio.Group optionType="button" options={(['merge', 'split', 'dissolve'] as const).map((k) => ({ value: k, label: t(`units.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="sources" label={labels.sources} rules={[{ required: true, message: t('common.required') }]}>
          <TreeSelect multiple treeData={tree} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
        </Form.Item>
        {kind !== 'dissolve' && (
          <>
            <Form.Item name="targets" label={labels.targets}>
              <TreeSelect multiple allowClear treeData={tree} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
            </Form.Item>
            <Form.Item name="new_units" label={labels.new_units} dependencies={['targets']}
              rules={[({ getFieldValue }) => ({
                validator: (_, v) => ((getFieldValue('targets')?.length || (v || '').trim())
                  ? Promise.resolve() : Promise.reject(new Error(t('common.required')))),
              })]}>
              <Input.TextArea rows={3} placeholder="Phòng Tổng hợp|PTH" />
            </Form.Item>
          </>
        )}
        {kind === 'dissolve' && (
          <Form.Item name="successor_id" label={labels.successor_id} rules={[{ required: true, message: t('common.required') }]}>
            <TreeSelect treeData={tree} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
          </Form.Item>
        )}
        <Form.Item name="effective_date" label={labels.effective_date} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="note" label={labels.note} rules={[max(2000)]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
