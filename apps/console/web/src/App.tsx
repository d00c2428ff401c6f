import { ReactElement, useEffect, useRef, useState } from 'react';
import { api, clearSession, logout, SessionEnd, setClientHooks, startSession, TokenPair } from './api/client';
import { ReauthDialog } from './auth/ReauthDialog';
import { SignIn } from './auth/SignIn';
import { AdminAudit } from './admin/AdminAudit';
import { AdminKeys } from './admin/AdminKeys';
import { AdminPrivacy } from './admin/AdminPrivacy';
import { AdminSecurity } from './admin/AdminSecurity';
import { AdminUsers } from './admin/AdminUsers';
import { AgentDesk } from './agent/AgentDesk';
import { ManagerCampaigns } from './manager/ManagerCampaigns';
import { ManagerDnc } from './manager/ManagerDnc';
import { QaRecordings } from './qa/QaRecordings';
import { QaScorecards } from './qa/QaScorecards';
import { Notice } from './ui/kit';

export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: 'admin' | 'manager' | 'agent' | 'qa';
}

interface Section {
  key: string;
  label: string;
  render: (me: Me) => ReactElement;
}

const SECTIONS: Record<Me['role'], Section[]> = {
  manager: [
    { key: 'campaigns', label: 'Campaigns', render: () => <ManagerCampaigns /> },
    { key: 'dnc', label: 'Do-not-call', render: () => <ManagerDnc /> },
  ],
  agent: [{ key: 'desk', label: 'Agent desk', render: () => <AgentDesk /> }],
  qa: [
    { key: 'recordings', label: 'Recordings', render: () => <QaRecordings /> },
    { key: 'scorecards', label: 'Scorecards', render: () => <QaScorecards /> },
  ],
  admin: [
    { key: 'users', label: 'Users and sessions', render: (me) => <AdminUsers me={me} /> },
    { key: 'security', label: 'Frozen accounts and alerts', render: () => <AdminSecurity /> },
    { key: 'audit', label: 'Audit log', render: () => <AdminAudit /> },
    { key: 'keys', label: 'Keys', render: () => <AdminKeys /> },
    { key: 'privacy', label: 'Data-subject requests', render: () => <AdminPrivacy /> },
  ],
};

const END_MESSAGES: Record<SessionEnd, string> = {
  expired: 'Your session has expired. Please sign in again.',
  frozen: 'This account is frozen: access is blocked until an administrator unfreezes it.',
  logout: 'You are signed out.',
};

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [section, setSection] = useState<string>('');
  const [message, setMessage] = useState<string | null>(null);
  const [reauthOpen, setReauthOpen] = useState(false);
  const reauthWaiters = useRef<Array<(ok: boolean) => void>>([]);

  useEffect(() => {
    setClientHooks({
      reauthenticate: () =>
        new Promise<boolean>((resolve) => {
          reauthWaiters.current.push(resolve);
          setReauthOpen(true);
        }),
      sessionEnded: (reason) => {
        setMe(null);
        setSection('');
        setMessage(END_MESSAGES[reason]);
        setReauthOpen(false);
        for (const w of reauthWaiters.current.splice(0)) w(false);
      },
    });
  }, []);

  const signedIn = async (tokens: TokenPair) => {
    startSession(tokens);
    try {
      const who = await api<Me>('crm', 'GET', '/auth/me');
      setMessage(null);
      setMe(who);
      setSection(SECTIONS[who.role][0].key);
    } catch {
      clearSession();
      setMessage('Signing in did not complete. Please try again.');
    }
  };

  if (!me) {
    return (
      <SignIn message={message} onSignedIn={(t) => void signedIn(t)} />
    );
  }

  const sections = SECTIONS[me.role];
  const current = sections.find((s) => s.key === section) ?? sections[0];
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span className="brand">Call center console</span>
        <nav aria-label="Sections">
          <ul>
            {sections.map((s) => (
              <li key={s.key}>
                <button type="button" aria-current={s.key === current.key ? 'page' : undefined} onClick={() => setSection(s.key)}>
                  {s.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">
          {me.displayName} ({me.role})
        </span>
        <button type="button" className="secondary" onClick={() => void logout()}>
          Sign out
        </button>
      </header>
      {message && <Notice kind="info">{message}</Notice>}
      <main id="main" key={current.key}>
        {current.render(me)}
      </main>
      <ReauthDialog
        open={reauthOpen}
        onDone={(ok) => {
          setReauthOpen(false);
          for (const w of reauthWaiters.current.splice(0)) w(ok);
        }}
      />
    </div>
  );
}
