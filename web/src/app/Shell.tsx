import { Fragment, Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import { Button, Drawer, Dropdown, Layout, Menu, Typography } from 'antd';
import { DownOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { useLocation, useNavigate } from 'react-router-dom';
import { useI18n } from './i18n';
import { useSession } from './session';
import { unitName } from '../shared/units';
import { useScreen } from '../shared/screen';
import LanguageSwitch from './LanguageSwitch';
import { FEATURES } from './registry';
import type { UserMenuEntry } from './feature';
import { useCounts } from './useCounts';
import MenuLabel from './MenuLabel';
import { PartBoundary } from '../shared/ErrorBoundary';
import './shell.css';

const { Header, Sider, Content } = Layout;

// The side menu, from the features' routes: the entries a person sees
// depend on their roles.
const ITEMS = FEATURES.flatMap((f) => f.routes.flatMap((r) => (r.menu ? [{ path: r.path, ...r.menu }] : [])))
  .sort((a, b) => a.order - b.order);
const USER_MENU = FEATURES.flatMap((f): UserMenuEntry[] => ('userMenu' in f ? f.userMenu : []));
const HEADER_ITEMS = FEATURES.flatMap((f): ReactNode[] => ('header' in f ? [f.header] : []));

// The header's height (antd's): the menu drawer opens below it, so that the
// button that opened it stays in view and closes it again.
const HEADER_HEIGHT = 64;

// Every page inside: a skip link (the first Tab stop, to the page's one
// <main>), the header (banner) with what features put there (the search
// box), the person, the language and sign-out, the side menu (<nav>) and
// the page. On a desktop the menu is beside the
// page; below 992 px it is a drawer opened by the header's menu button,
// closed by a choice, Escape or the button; on a phone the header keeps
// icons only (the name is in the account menu). Printing shows the page
// alone (shell.css).
export default function Shell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { user, units, has, logout } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const screen = useScreen();
  const narrow = screen !== 'desktop';
  const phone = screen === 'phone';
  const [dialog, setDialog] = useState<string | null>(null);
  const countOf = useCounts();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const items = ITEMS.filter((i) => has(...i.roles));
  const selected = items
    .filter((i) => location.pathname === i.path || location.pathname.startsWith(i.path + '/'))
    .sort((a, b) => b.path.length - a.path.length)[0]?.path;

  // A new page closes the drawer (a link inside a page as well as the menu).
  useEffect(() => setMenuOpen(false), [location.pathname]);
  useEffect(() => {
    if (!narrow) setMenuOpen(false);
  }, [narrow]);

  const who = [user?.full_name, user?.position, unitName(units, user?.unit_id)].filter(Boolean).join(' · ');
  const menu = (
    <nav aria-label={t('shell.menu')}>
      <Menu
        mode="inline"
        selectedKeys={selected ? [selected] : []}
        items={items.map((i) => ({ key: i.path, label: <MenuLabel label={t(i.label)} count={countOf(i.path)} /> }))}
        onClick={(e) => {
          setMenuOpen(false);
          navigate(e.key);
        }}
        style={{ borderInlineEnd: 0 }}
      />
    </nav>
  );
  const accountItems = USER_MENU.map((m) => ({ key: m.key, label: t(m.label) }));
  return (
    <Layout className="shell" style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        main.current?.focus();
      }}>
        {t('shell.skip')}
      </a>
      <Header className="shell-header" style={{ height: HEADER_HEIGHT, paddingInline: phone ? 8 : 16 }}>
        {narrow && (
          <Button type="text" className="shell-header-button" icon={<MenuOutlined />} aria-label={t('shell.menu')}
            aria-expanded={menuOpen} aria-controls="shell-menu" onClick={() => setMenuOpen((o) => !o)} />
        )}
        <Typography.Text strong className="shell-title">
          {narrow ? 'Chancery' : `Chancery · ${t('app.name')}`}
        </Typography.Text>
        {/* What features put in the header (the search box); it takes the
            room left, and gives it up first. */}
        <div className="shell-header-items">
          {HEADER_ITEMS.map((item, i) => <PartBoundary key={i}><Suspense fallback={null}>{item}</Suspense></PartBoundary>)}
        </div>
        <Dropdown trigger={['click']} menu={{
          // Where the name does not fit, the menu starts with it.
          items: phone ? [{ type: 'group', key: 'who', label: who, children: accountItems }] : accountItems,
          onClick: (e) => setDialog(e.key),
        }}>
          {phone ? (
            <Button type="text" className="shell-header-button" icon={<UserOutlined />} data-testid="whoami"
              aria-label={`${t('user.menu')}: ${user?.full_name ?? ''}`} />
          ) : (
            <Button type="text" className="shell-header-button shell-whoami" data-testid="whoami" title={who}>
              <span className="shell-whoami-text">
                <strong>{user?.full_name}</strong>
                {narrow ? '' : who.slice((user?.full_name ?? '').length)}
              </span>
              <DownOutlined />
            </Button>
          )}
        </Dropdown>
        <LanguageSwitch compact={phone} />
        {phone ? (
          <Button type="text" className="shell-header-button" icon={<LogoutOutlined />} aria-label={t('login.logout')}
            title={t('login.logout')} onClick={() => void logout().then(() => navigate('/'))} />
        ) : (
          <Button size="small" onClick={() => void logout().then(() => navigate('/'))}>{t('login.logout')}</Button>
        )}
      </Header>
      <Layout>
        {!narrow && <Sider width={220} theme="light" className="shell-sider">{menu}</Sider>}
        {/* The page's one <main>: the skip link's target. */}
        <Content id="main" ref={main} tabIndex={-1} className="shell-main" style={{ padding: phone ? 12 : 16 }}>
          {children}
        </Content>
      </Layout>
      {narrow && (
        <Drawer open={menuOpen} onClose={() => setMenuOpen(false)} placement="left" size={280} title={t('shell.menu')}
          id="shell-menu" rootClassName="shell-drawer" rootStyle={{ top: HEADER_HEIGHT }}
          styles={{ body: { padding: 0 } }}>
          {menu}
        </Drawer>
      )}
      <Suspense fallback={null}>
        {USER_MENU.filter((m) => m.key === dialog).map((m) => <Fragment key={m.key}>{m.dialog(() => setDialog(null))}</Fragment>)}
      </Suspense>
    </Layout>
  );
}
