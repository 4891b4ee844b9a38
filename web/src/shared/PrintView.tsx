import { useEffect, useRef, type ReactNode } from 'react';
import { Button, Space } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { useLocation, useNavigate, type NavigateOptions } from 'react-router-dom';
import { useI18n } from '../app/i18n';
import './print.css';

// How an "In" button opens a print view: the view prints itself once its
// content is there (window.print(), the browser's dialog), and only then —
// not again on a reload or a direct visit to the address.
export const PRINT_NOW: NavigateOptions = { state: { print: true } };

// A print view (docs/web.md, "Print views"): a route that shows one sheet
// as it goes on paper — A4, `landscape` or upright — inside the shell, which
// printing leaves out (app/shell.css), as it does the buttons. `title` names
// the sheet for screen readers and the browser's tab (hence the name of a
// PDF saved from the dialog); `ready` once everything on it has loaded;
// `back` is where Quay lại goes. On a narrow screen the sheet scrolls
// sideways in its own box (focusable, so that keys scroll it too).
export function PrintView({ title, ready, landscape = false, back, children }: {
  title: string; ready: boolean; landscape?: boolean; back: string; children: ReactNode;
}) {
  const { t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const printNow = (location.state as { print?: boolean } | null)?.print === true;
  const printed = useRef(false);

  useEffect(() => {
    const before = document.title;
    document.title = title;
    return () => {
      document.title = before;
    };
  }, [title]);

  useEffect(() => {
    if (!ready || !printNow || printed.current) return;
    printed.current = true;
    navigate(location.pathname + location.search, { replace: true, state: null });
    window.print();
  }, [ready, printNow, navigate, location.pathname, location.search]);

  return (
    <div className="print-view">
      {/* The sheet's size, for this view only. */}
      <style>{`@page { size: A4 ${landscape ? 'landscape' : 'portrait'}; margin: 12mm 10mm; }`}</style>
      <Space className="no-print" wrap style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PrinterOutlined aria-hidden />} onClick={() => window.print()}>
          {t('common.print')}
        </Button>
        <Button icon={<ArrowLeftOutlined aria-hidden />} onClick={() => navigate(back)}>{t('common.back')}</Button>
      </Space>
      <section className={`print-sheet${landscape ? ' print-landscape' : ''}`} aria-label={title} data-testid="print-sheet"
        tabIndex={0}>
        {children}
      </section>
    </div>
  );
}
