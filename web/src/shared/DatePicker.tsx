import { useMemo } from 'react';
import { DatePicker as AntDatePicker, type DatePickerProps, type GetProps } from 'antd';
import type { Dayjs } from 'dayjs';
import { useSession } from '../app/session';
import { DATE_FORMAT } from './format';
import { pickerCalendarOn } from './today';

// Ant Design's date pickers on the node's calendar: their Today button, the
// day they highlight and the month a blank one opens on follow the session's
// `today` (the node's date in Vietnam), not the browser's clock and zone.
// Days are written dd/MM/yyyy (format.ts) unless a page says otherwise.
// Use these instead of antd's DatePicker.
function usePickers() {
  const { today } = useSession();
  // A new picker type when the day changes (rarely: the tab came back after
  // midnight); an open picker then closes, which is harmless.
  return useMemo(() => AntDatePicker.generatePicker<Dayjs>(pickerCalendarOn(today)), [today]);
}

export function DatePicker(props: DatePickerProps) {
  const Picker = usePickers();
  return <Picker format={DATE_FORMAT} {...props} />;
}

export function RangePicker(props: GetProps<typeof AntDatePicker.RangePicker>) {
  const { RangePicker: Picker } = usePickers();
  return <Picker format={DATE_FORMAT} {...props} />;
}
