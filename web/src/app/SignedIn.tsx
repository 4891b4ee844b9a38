import type { ReactNode } from 'react';
import { App as AntApp } from 'antd';
import Shell from './Shell';

// What only a signed-in person needs, loaded after sign-in (App.tsx loads
// this lazily): the frame with its menus, and Ant Design's App, whose
// message, notification and modal hooks the pages use. The sign-in page
// downloads neither (docs/performance.md, "First load").
export default function SignedIn({ children }: { children: ReactNode }) {
  return (
    <AntApp>
      <Shell>{children}</Shell>
    </AntApp>
  );
}
