import { useEffect } from 'react';
import { get } from '../../app/api';
import { useSession } from '../../app/session';
import { useQuery } from '../../app/useQuery';
import type { AuditRecord } from '../audit/types';
import type { DocDetail } from './types';

// A document with its timeline, as the document page and its print views
// show it, and the names of everyone they mention asked for at once.
export function useDocumentPage(docId: number) {
  const { loadPeople } = useSession();
  const page = useQuery(Number.isNaN(docId) ? null : `document:${docId}`, async (signal) => {
    const doc = await get<DocDetail>(`/documents/${docId}`, undefined, signal);
    const timeline = await get<{ items: AuditRecord[] }>(`/documents/${docId}/timeline`, undefined, signal)
      .catch(() => ({ items: [] }));
    return { doc, timeline: timeline.items };
  });

  useEffect(() => {
    if (!page.data) return;
    const { doc: d, timeline: events } = page.data;
    loadPeople([
      d.created_by, ...events.map((e) => e.actor_id), ...d.comments.map((c) => c.user_id),
      ...d.processing_notes.map((c) => c.user_id), ...d.assignments.flatMap((a) => [a.lead_user_id, a.assigned_by]),
      ...d.attachments.map((f) => f.created_by), ...d.versions.map((f) => f.created_by),
    ]);
  }, [page.data, loadPeople]);

  return {
    doc: page.data?.doc ?? null,
    timeline: page.data?.timeline ?? [],
    error: page.error,
    reload: page.reload,
  };
}
