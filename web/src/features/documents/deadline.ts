// How urgent an open document looks in a list: past its deadline (red),
// due within the next working days (orange), or neither.
export type DeadlineStatus = 'overdue' | 'due_soon' | 'normal';

// `today` and `dueSoonUntil` are Vietnam dates ("YYYY-MM-DD"); the server
// computes `dueSoonUntil` on its working-day calendar (GET /deadlines/summary
// or /calendar/deadline), so holidays count the way they do for the deadline.
export function deadlineStatus(
  deadline: string | null | undefined,
  state: string,
  today: string,
  dueSoonUntil: string,
): DeadlineStatus {
  if (!deadline) return 'normal';
  if (!['assigned', 'in_progress', 'registered', 'received'].includes(state)) return 'normal';
  if (deadline < today) return 'overdue';
  if (deadline <= dueSoonUntil) return 'due_soon';
  return 'normal';
}
