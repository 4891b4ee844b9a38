import { useEffect, useState, type ReactNode } from 'react';
import { Alert, App, Button, Card, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { ApiError, get, post } from '../../app/api';
import type { DocDetail } from '../documents/types';
import type { ListedUser } from '../../app/api-types';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { ConfirmDialog } from '../../shared/ConfirmDialog';
import { describe } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { unitName } from '../../shared/units';
import { useItems, useQuery } from '../../app/useQuery';
import {
  APPROVAL_STATES, decisionCodes, describeDeclassify, describeUserChange, isDeclassify, isUserChange, whyNotDecide,
  type Approval, type ApprovalState,
} from './approvals';
import { NOT_ON_PHONE } from '../../shared/screen';
import { ScrollBox } from '../../shared/ScrollBox';

const STATE_COLORS: Record<string, string> = { pending: 'gold', approved: 'green', rejected: 'red' };

// What a request is about: the user as they are now (a pending change is
// told against it), or the document's number and subject.
type Subjects = { users: Record<number, ListedUser | null>; docs: Record<number, DocDetail | null> };

// Chờ phê duyệt (administrator, security officer, leader): privileged
// changes proposed by one person, waiting for a second (four eyes); the
// decided ones on demand.
export default function Approvals() {
  const { t } = useI18n();
  const { user, units, personName, loadPeople } = useSession();
  const [state, setState] = useState<ApprovalState>('pending');
  const { items, loading, error, reload } = useItems<Approval>('/approvals', { state });
  const [deciding, setDeciding] = useState<{ approval: Approval; approve: boolean } | null>(null);
  // Each decision changes a user or a document: their subjects are asked again.
  const [decisions, setDecisions] = useState(0);

  useEffect(() => {
    loadPeople(items.flatMap((a) => [a.proposed_by, a.decided_by, isUserChange(a) ? a.object_id : null]));
  }, [items, loadPeople]);
  const userIds = [...new Set(items.filter(isUserChange).map((a) => a.object_id))];
  const docIds = [...new Set(items.filter(isDeclassify).map((a) => a.object_id))];
  const subjects: Subjects = useQuery(`subjects:${userIds}|${docIds}|${decisions}`, async (signal) => {
    const [users, docs] = await Promise.all([
      Promise.all(userIds.map((id) => get<ListedUser>(`/users/${id}`, undefined, signal).catch(() => null).then((u) => [id, u] as const))),
      Promise.all(docIds.map((id) => get<DocDetail>(`/documents/${id}`, undefined, signal).catch(() => null).then((d) => [id, d] as const))),
    ]);
    return { users: Object.fromEntries(users), docs: Object.fromEntries(docs) };
  }, { keep: true }).data ?? { users: {}, docs: {} };

  const about = (a: Approval) => {
    if (isUserChange(a)) {
      const u = subjects.users[a.object_id];
      const lines = describeUserChange(a.change, t, a.state === 'pending' ? u : null, (id) => unitName(units, id));
      return (
        <Space orientation="vertical" size={0}>
          <span><Tag>{t('approvals.kind.user')}</Tag><strong>{u?.full_name || personName(a.object_id)}</strong>
            {u?.username ? <Typography.Text type="secondary"> ({u.username})</Typography.Text> : null}</span>
          {lines.map((l) => <span key={l}>{l}</span>)}
        </Space>
      );
    }
    if (isDeclassify(a)) {
      const d = subjects.docs[a.object_id];
      const number = d ? (d.direction === 'outgoing' ? d.number_symbol : d.original_number_symbol) : '';
      return (
        <Space orientation="vertical" size={0}>
          <span><Tag color="red">{t('approvals.kind.declassify')}</Tag>
            <Link to={`/documents/${a.object_id}`}>
              {d ? [number, d.subject].filter(Boolean).join(' — ') : t('approvals.document')}
            </Link></span>
          <span>{describeDeclassify(a.change, t)}</span>
          <span>{t('declassify.reason')}: {a.change.reason}</span>
        </Space>
      );
    }
    return <Tag>{t('approvals.kind.other')}</Tag>;
  };

  const decisionButtons = (a: Approval) => {
    const why = user ? whyNotDecide(a, user) : 'approvals.wrongRole';
    const buttons = (
      <Space>
        <Button size="small" type="primary" disabled={!!why} onClick={() => setDeciding({ approval: a, approve: true })}>
          {t('approvals.approve')}
        </Button>
        <Button size="small" danger disabled={!!why} onClick={() => setDeciding({ approval: a, approve: false })}>
          {t('approvals.reject')}
        </Button>
      </Space>
    );
    return why ? <Tooltip title={t(why)}><span>{buttons}</span></Tooltip> : buttons;
  };

  return (
    <Card size="small" title={t('approvals.title')} data-testid="approvals"
      extra={<Button onClick={() => void reload()}>{t('common.reload')}</Button>}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('approvals.hint')}</Typography.Text>
        <Segmented<ApprovalState> value={state} onChange={setState} aria-label={t('doc.state')}
          options={APPROVAL_STATES.map((s) => ({ value: s, label: t(`approvals.state.${s}`) }))} />
        {error ? <Alert type="error" showIcon title={describe(error, t)} /> : null}
        <ScrollBox label={t('approvals.title')}>
          <Table<Approval> size="small" rowKey="id" loading={loading} dataSource={items}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            locale={{ emptyText: t(state === 'pending' ? 'approvals.emptyPending' : 'approvals.empty') }}
            columns={[
              { title: t('approvals.proposedAt'), key: 'at', width: 140, responsive: NOT_ON_PHONE, render: (_, a) => formatDateTime(a.proposed_at) },
              { title: t('approvals.proposedBy'), key: 'by', width: 180, responsive: NOT_ON_PHONE, render: (_, a) => personName(a.proposed_by) },
              { title: t('approvals.change'), key: 'what', render: (_, a) => about(a) },
              state === 'pending'
                ? { title: t('common.actions'), key: 'decide', width: 200, render: (_, a) => decisionButtons(a) }
                : {
                  title: t('approvals.decision'), key: 'decision', width: 300,
                  render: (_, a) => (
                    <Space orientation="vertical" size={0}>
                      <span><Tag color={STATE_COLORS[a.state]}>{t(`approvals.state.${a.state}`)}</Tag>
                        {personName(a.decided_by)}</span>
                      <Typography.Text type="secondary">{formatDateTime(a.decided_at)}</Typography.Text>
                      {a.reason && <span>{t('approvals.decisionReason')}: {a.reason}</span>}
                    </Space>
                  ),
                },
            ]} />
        </ScrollBox>
      </Space>
      {deciding && (
        <DecisionDialog approval={deciding.approval} approve={deciding.approve} about={about(deciding.approval)}
          onClose={(decided) => {
            setDeciding(null);
            if (decided) {
              setDecisions((n) => n + 1);
              void reload();
            }
          }} />
      )}
    </Card>
  );
}

// Approve (an optional note) or reject (a reason, required), after seeing
// again what the request changes, in the one confirmation dialog. A refusal
// (own proposal, wrong role, decided meanwhile) is told in the dialog; a
// request decided meanwhile leaves the list when the dialog closes.
function DecisionDialog({ approval, approve, about, onClose }: {
  approval: Approval; approve: boolean; about: ReactNode; onClose: (decided: boolean) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { user } = useSession();
  const [stale, setStale] = useState(false);
  const decide = async ({ reason }: Record<string, string>) => {
    await post(`/approvals/${approval.id}/${approve ? 'approve' : 'reject'}`, reason ? { reason } : {});
    message.success(t(approve ? 'approvals.approved' : 'approvals.rejected'));
    onClose(true);
  };
  const warning = approve ? (isDeclassify(approval) ? 'approvals.approveDeclassifyWarning' : 'approvals.approveWarning') : 'approvals.rejectWarning';
  return (
    <ConfirmDialog title={t(approve ? 'approvals.approveTitle' : 'approvals.rejectTitle')}
      confirmLabel={t(approve ? 'approvals.approve' : 'approvals.reject')} danger={!approve}
      consequences={<Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph style={{ marginBottom: 0 }}>{t(warning)}</Typography.Paragraph>
        <Card size="small">{about}</Card>
      </Space>}
      text={{ name: 'reason', label: t(approve ? 'approvals.note' : 'approvals.rejectReason'), required: !approve, max: 1000 }}
      explain={user ? { codes: decisionCodes(approval, user) } : undefined}
      onRefused={(e) => setStale(e instanceof ApiError && ['conflict', 'not_found'].includes(e.problem.code))}
      confirmDisabled={stale} onConfirm={decide} onCancel={() => onClose(stale)} />
  );
}
