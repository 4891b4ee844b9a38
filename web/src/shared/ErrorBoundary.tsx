import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button, Result } from 'antd';
import { useLocation } from 'react-router-dom';
import { useI18n } from '../app/i18n';

// What a part of the page shows when it failed to draw: without a boundary
// React unmounts the whole page and leaves it blank. The component stack is
// written to the console (the browser tests print it), also from a
// production build, where React's own message is only a number.
interface Props {
  fallback: ReactNode;
  children: ReactNode;
  // Another value draws the children again (the page's address and query).
  resetKey?: string;
}

interface State {
  failed: boolean;
  key?: string;
}

class Boundary extends Component<Props, State> {
  state: State = { failed: false, key: this.props.resetKey };

  static getDerivedStateFromError(): Partial<State> {
    return { failed: true };
  }

  // Another address draws the children again; a child that fails on its
  // first drawing there fails once, not twice.
  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.key ? { failed: false, key: props.resetKey } : null;
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`drawing failed: ${error.message}${info.componentStack ?? ''}`);
  }

  render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

// A page that failed: a message and a way to draw it again. Another address
// (the menu, a link) draws its page afresh.
export function PageBoundary({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <Boundary resetKey={useAddress()} fallback={
      <Result status="error" title={t('common.pageFailed')}
        extra={<Button type="primary" onClick={() => window.location.reload()}>{t('common.reload')}</Button>} />
    }>
      {children}
    </Boundary>
  );
}

// A part of the header (the search box): if it fails, it is left out until
// the next page, and the page under it stays.
export function PartBoundary({ children }: { children: ReactNode }) {
  return <Boundary fallback={null} resetKey={useAddress()}>{children}</Boundary>;
}

// The page's address and query: another one draws a failed part again.
function useAddress() {
  const { pathname, search } = useLocation();
  return pathname + search;
}
