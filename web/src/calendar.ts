import { useEffect, useState } from 'react';
import { get } from './api';
import { useSession } from './session';

// Today in Vietnam (the node's) and the last day that counts as "due soon"
// (3 working days ahead on the server's calendar, holidays included).
export function useDueSoonWindow() {
  const { today } = useSession();
  const [window, setWindow] = useState({ today, until: today });
  useEffect(() => {
    get<{ from: string; deadline: string }>('/calendar/deadline', { working_days: 3 })
      .then((r) => setWindow({ today: r.from, until: r.deadline }))
      .catch(() => undefined);
  }, [today]);
  return window;
}
