import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, Tag, TreeSelect } from 'antd';
import { get, patch, post, type Classification, type Page, type Role, type User } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { usePaged } from '../usePaged';
import { explain } from '../errors';
import { useSubmit } from '../formErrors';
import { unitName, unitTree } from '../units';
import { CLASSIFICATIONS, rules } from '../components/DocumentFields';

const ROLES: Role[] = ['administrator', 'clerk', 'specialist', 'leader', 'security_officer'];

interface Values {
  username?: string;
  full_name: string;
  unit_id: number;
  position?: string;
  roles: Role[];
  clearance: Classification;
  active?: boolean;
  password?: string;
}

// Users and their roles (administrator) and clearances (security officer).
export default function Users() {
  const { t } = useI18n();
  const { units } = useSession();
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [generation, setGeneration] = useState(0);
  const list = usePaged<User>((cursor) => get<Page<User>>('/users', { cursor, limit: 100 }), String(generation));
  return (
    <Card size="small" title={t('users.title')}
      extra={<Button type="primary" onClick={() => setEditing('new')}>{t('users.add')}</Button>}>
      {list.error ? <Alert type="error" showIcon message={explain(list.error, t).message} /> : null}
      <Table<User> size="small" rowKey="id" pagination={false} loading={list.loading} dataSource={list.items}
        onRow={(u) => ({ tabIndex: 0, onKeyDown: (e) => { if (e.key === 'Enter') setEditing(u); } })}
        columns={[
          { title: t('users.username'), dataIndex: 'username', width: 140 },
          { title: t('users.fullName'), dataIndex: 'full_name' },
          { title: t('doc.unit'), key: 'unit', render: (_, u) => unitName(units, u.unit_id) },
          { title: t('users.position'), dataIndex: 'position' },
          { title: t('users.roles'), key: 'roles', render: (_, u) => u.roles.map((r) => <Tag key={r}>{t(`role.${r}`)}</Tag>) },
          { title: t('users.clearance'), key: 'clearance', width: 110, render: (_, u) => t(`classification.${u.clearance}`) },
          { title: t('users.active'), key: 'active', width: 90, render: (_, u) => (u.active ? t('common.yes') : t('common.no')) },
          { title: t('common.actions'), key: 'edit', width: 80, render: (_, u) => <Button size="small" onClick={() => setEditing(u)}>{t('users.edit')}</Button> },
        ]} />
      {list.hasMore && <Button style={{ marginTop: 8 }} onClick={() => void list.loadMore()}>{t('common.loadMore')}</Button>}
      {editing && (
        <UserDialog user={editing === 'new' ? null : editing} onClose={(changed) => {
          setEditing(null);
          if (changed) setGeneration((g) => g + 1);
        }} />
      )}
    </Card>
  );
}

function UserDialog({ user, onClose }: { user: User | null; onClose: (changed: boolean) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { units, has } = useSession();
  const [form] = Form.useForm<Values>();
  const { busy, error, submit } = useSubmit(form);
  const tree = useMemo(() => unitTree(units), [units]);
  const { required, max } = rules(t);
  const admin = has('administrator');
  const security = has('security_officer');

  const save = (v: Values) => submit(async () => {
    if (user) {
      const body: Partial<Values> = {};
      if (admin) Object.assign(body, { full_name: v.full_name, unit_id: v.unit_id, position: v.position ?? '', roles: v.roles, active: v.active });
      if (security && v.clearance !== user.clearance) body.clearance = v.clearance;
      if (v.password) body.password = v.password;
      await patch(`/users/${user.id}`, body, user.version);
    } else {
      await post('/users', { ...v, position: v.position ?? '' });
    }
    message.success(t('common.saved'));
    onClose(true);
  });

  return (
    <Modal open title={user ? `${t('users.edit')} · ${user.username}` : t('users.add')} onCancel={() => onClose(false)}
      okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} destroyOnHidden>
      {error && <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }} message={error} />}
      <Form form={form} layout="vertical" onFinish={save} name="user"
        initialValues={user ? { ...user } : { roles: ['specialist'], clearance: 'normal', unit_id: units[0]?.id }}>
        {!user && (
          <Form.Item name="username" label={t('users.username')} rules={[required, max(64)]}>
            <Input autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item name="full_name" label={t('users.fullName')} rules={[required, max(200)]}>
          <Input disabled={!admin} />
        </Form.Item>
        <Form.Item name="unit_id" label={t('doc.unit')} rules={[{ required: true, message: t('common.required') }]}>
          <TreeSelect treeData={tree} treeDefaultExpandAll showSearch treeNodeFilterProp="title" disabled={!admin} />
        </Form.Item>
        <Form.Item name="position" label={t('users.position')} rules={[max(200)]}>
          <Input disabled={!admin} />
        </Form.Item>
        <Form.Item name="roles" label={t('users.roles')} rules={[{ required: true, message: t('common.required') }]}>
          <Select mode="multiple" disabled={!admin} options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        </Form.Item>
        <Form.Item name="clearance" label={t('users.clearance')}>
          <Select disabled={!!user && !security} options={CLASSIFICATIONS.map((c) => ({ value: c, label: t(`classification.${c}`) }))} />
        </Form.Item>
        {user && (
          <Form.Item name="active" label={t('users.active')} valuePropName="checked">
            <Switch disabled={!admin} />
          </Form.Item>
        )}
        <Form.Item name="password" label={t('users.password')} rules={user ? [max(200)] : [required, max(200)]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
      <Space />
    </Modal>
  );
}
