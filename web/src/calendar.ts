import { useEffect, useState } from 'react';
import { get } from './api';
import { vietnamToday } from './format';

// Today in Vietnam and the last day that counts as "due soon" (3 working
// days ahead on the server's calendar, holidays included).
export function useDueSoonWindow() {
  const [window, setWindow] = useState({ today: vietnamToday(), until: vietnamToday() });
  useEffect(() => {
    get<{ from: string; deadline: string }>('/calendar/deadline', { working_days: 3 })
      .then((r) => setWindow({ today: r.from, until: r.deadline }))
      .catch(() => undefined);
  }, []);
  return window;
}
