import { get } from '../app/api';
import type { Schema } from '../app/api-types';
import { useSession } from '../app/session';
import { useQuery } from '../app/useQuery';

// Today in Vietnam (the node's) and the last day that counts as "due soon"
// (3 working days ahead on the server's calendar, holidays included); until
// the server answers, today alone.
export function useDueSoonWindow() {
  const { today } = useSession();
  const { data } = useQuery(`deadline:${today}`, (signal) =>
    get<Schema<'Deadline'>>('/calendar/deadline', { working_days: 3 }, signal), { keep: true });
  return data ? { today: data.from, until: data.deadline } : { today, until: today };
}
