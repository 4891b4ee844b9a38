import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Switch, Table, Tag, TreeSelect } from 'antd';
import { Link } from 'react-router-dom';
import { get, patch, post } from '../../app/api';
import type { ListedUser, Page, Role } from '../../app/api-types';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { usePaged } from '../../app/usePaged';
import { useItems } from '../../app/useQuery';
import { describe } from '../../shared/errors';
import { useSubmit } from '../../shared/formErrors';
import { unitName, unitTree } from '../../shared/units';
import { userPatch, type UserValues } from './users';
import { describeUserChange, isUserChange, pendingOf, type Approval, type UserAnswer } from './approvals';
import { CLASSIFICATIONS, rules } from '../documents/DocumentFields';
import { FormAlert } from '../../shared/FormAlert';
import { NOT_ON_PHONE } from '../../shared/screen';
import { ScrollBox } from '../../shared/ScrollBox';

const ROLES: Role[] = ['administrator', 'clerk', 'specialist', 'leader', 'security_officer'];

// A change that did not happen yet: it waits for a second person (four eyes).
interface Waiting {
  name: string;
  created: boolean;
  lines: string[];
}

// Users and their roles (administrator) and clearances (security officer).
// A privileged change (granting administrator or security officer, raising
// a clearance, resetting such a person's password) is not saved but
// proposed: the page says so, and marks the users with requests waiting.
export default function Users() {
  const { t } = useI18n();
  const { units, has } = useSession();
  const [editing, setEditing] = useState<ListedUser | 'new' | null>(null);
  const [generation, setGeneration] = useState(0);
  const [waiting, setWaiting] = useState<Waiting | null>(null);
  const list = usePaged<ListedUser>((cursor, signal) => get<Page<ListedUser>>('/users', { cursor, limit: 100 }, signal), String(generation));
  const approvals = useItems<Approval>('/approvals', { state: 'pending' });
  const pendingFor = useMemo(() => new Set(approvals.items.filter(isUserChange).map((a) => a.object_id)), [approvals.items]);
  return (
    <Card size="small" title={t('users.title')}
      extra={has('administrator') && <Button type="primary" onClick={() => setEditing('new')}>{t('users.add')}</Button>}>
      {waiting && (
        <Alert type="warning" showIcon closable role="status" style={{ marginBottom: 12 }} data-testid="awaiting-approval"
          onClose={() => setWaiting(null)}
          title={t(waiting.created ? 'users.createdAwaiting' : 'users.awaiting', { name: waiting.name })}
          description={
            <>
              {waiting.lines.map((l) => <div key={l}>{l}</div>)}
              <Link to="/approvals">{t('approvals.open')}</Link>
            </>
          } />
      )}
      {list.error ? <Alert type="error" showIcon title={describe(list.error, t)} /> : null}
      <ScrollBox label={t('users.title')}>
        <Table<ListedUser> size="small" rowKey="id" pagination={false} loading={list.loading} dataSource={list.items}
          onRow={(u) => ({ tabIndex: 0, onKeyDown: (e) => { if (e.key === 'Enter') setEditing(u); } })}
          columns={[
            { title: t('users.username'), dataIndex: 'username', width: 140, responsive: NOT_ON_PHONE },
            { title: t('users.fullName'), dataIndex: 'full_name' },
            { title: t('doc.unit'), key: 'unit', responsive: NOT_ON_PHONE, render: (_, u) => unitName(units, u.unit_id) },
            { title: t('users.position'), dataIndex: 'position', responsive: NOT_ON_PHONE },
            {
              title: t('users.roles'), key: 'roles',
              render: (_, u) => (
                <>
                  {u.roles.map((r) => <Tag key={r}>{t(`role.${r}`)}</Tag>)}
                  {pendingFor.has(u.id) && <Tag color="gold">{t('users.pendingTag')}</Tag>}
                </>
              ),
            },
            { title: t('users.clearance'), key: 'clearance', width: 110, responsive: NOT_ON_PHONE, render: (_, u) => (u.clearance ? t(`classification.${u.clearance}`) : '') },
            { title: t('users.active'), key: 'active', width: 90, responsive: NOT_ON_PHONE, render: (_, u) => (u.active ? t('common.yes') : t('common.no')) },
            { title: t('common.actions'), key: 'edit', width: 80, render: (_, u) => <Button size="small" onClick={() => setEditing(u)}>{t('users.edit')}</Button> },
          ]} />
      </ScrollBox>
      {list.hasMore && <Button style={{ marginTop: 8 }} onClick={() => void list.loadMore()}>{t('common.loadMore')}</Button>}
      {editing && (
        <UserDialog user={editing === 'new' ? null : editing} onClose={(changed, wait) => {
          setEditing(null);
          setWaiting(wait ?? null);
          if (changed) {
            setGeneration((g) => g + 1);
            void approvals.reload();
          }
        }} />
      )}
    </Card>
  );
}

function UserDialog({ user, onClose }: { user: ListedUser | null; onClose: (changed: boolean, waiting?: Waiting) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { units, has, user: me } = useSession();
  const [form] = Form.useForm<UserValues>();
  const password = Form.useWatch('password', form);
  const labels = {
    username: t('users.username'), full_name: t('users.fullName'), unit_id: t('doc.unit'), position: t('users.position'),
    roles: t('users.roles'), clearance: t('users.clearance'), active: t('users.active'),
    password: t(user ? 'users.newPassword' : 'users.password'), current_password: t('users.currentPassword'),
  };
  const { busy, error, submit } = useSubmit(form, { labels });
  const tree = useMemo(() => unitTree(units), [units]);
  const { required, max } = rules(t);
  const admin = has('administrator');
  const security = has('security_officer');
  const self = !!user && user.id === me?.id;

  const save = (v: UserValues) => submit(async () => {
    let answer: UserAnswer;
    if (user) {
      const body = userPatch(user, v, { admin, security, self });
      if (Object.keys(body).length === 0) {
        message.info(t('users.noChange'));
        onClose(false);
        return;
      }
      answer = await patch<UserAnswer>(`/users/${user.id}`, body, user.version);
    } else {
      answer = await post<UserAnswer>('/users', { ...v, position: v.position ?? '' });
    }
    const pending = pendingOf(answer);
    if (pending && isUserChange(pending)) {
      // Nothing (or only the plain account) was saved: say what waits, and for whom.
      const lines = describeUserChange(pending.change, t, user, (id) => unitName(units, id));
      onClose(true, { name: user?.full_name || v.full_name, created: !user, lines });
      return;
    }
    message.success(t('common.saved'));
    onClose(true);
  });

  return (
    <Modal open title={user ? `${t('users.edit')} · ${user.username}` : t('users.add')} onCancel={() => onClose(false)}
      okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} destroyOnHidden>
      <FormAlert error={error} />
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('users.fourEyesHint')} />
      <Form form={form} layout="vertical" onFinish={save} name="user"
        initialValues={user ? { ...user } : { roles: ['specialist'], clearance: 'normal', unit_id: units[0]?.id }}>
        {!user && (
          <Form.Item name="username" label={labels.username} rules={[required, max(64)]}>
            <Input autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item name="full_name" label={labels.full_name} rules={[required, max(200)]}>
          <Input disabled={!admin} />
        </Form.Item>
        <Form.Item name="unit_id" label={labels.unit_id} rules={[{ required: true, message: t('common.required') }]}>
          <TreeSelect treeData={tree} treeDefaultExpandAll showSearch treeNodeFilterProp="title" disabled={!admin} />
        </Form.Item>
        <Form.Item name="position" label={labels.position} rules={[max(200)]}>
          <Input disabled={!admin} />
        </Form.Item>
        <Form.Item name="roles" label={labels.roles} rules={[{ required: true, message: t('common.required') }]}>
          <Select mode="multiple" disabled={!admin} options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        </Form.Item>
        <Form.Item name="clearance" label={labels.clearance}>
          <Select disabled={!!user && !security} options={CLASSIFICATIONS.map((c) => ({ value: c, label: t(`classification.${c}`) }))} />
        </Form.Item>
        {user && (
          <Form.Item name="active" label={labels.active} valuePropName="checked">
            <Switch disabled={!admin} />
          </Form.Item>
        )}
        <Form.Item name="password" label={labels.password} rules={user ? [max(200)] : [required, max(200)]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {self && (
          <Form.Item name="current_password" label={labels.current_password}
            rules={password ? [required, max(200)] : [max(200)]} extra={t('users.currentPasswordHint')}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
