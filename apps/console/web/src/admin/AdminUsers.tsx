import { FormEvent, useState } from 'react';
import type { Me } from '../App';
import { api } from '../api/client';
import { ErrorNotice, Field, formatDate, Notice, PageTitle, Select, useAction, useLoad } from '../ui/kit';

interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  role: string;
  status: 'active' | 'disabled';
  frozenAt: string | null;
  mfaEnabledAt: string | null;
}

interface SessionInfo {
  id: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  revokedAt: string | null;
  sourceIp: string | null;
}

/** Users and roles, MFA resets and sessions. A new user's first password is shown here once. */
export function AdminUsers(props: { me: Me }) {
  const users = useLoad(() => api<UserSummary[]>('crm', 'GET', '/admin/users'), []);
  const [sessionsOf, setSessionsOf] = useState<string>('');
  const sessions = useLoad(() => api<SessionInfo[]>('crm', 'GET', '/admin/sessions', { query: { userId: sessionsOf || undefined } }), [sessionsOf]);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState('agent');
  const [created, setCreated] = useState<{ username: string; initialPassword: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const create = useAction(async () => {
    const answer = await api<{ user: UserSummary; initialPassword: string }>('crm', 'POST', '/admin/users', { json: { username: username.trim(), displayName: displayName.trim(), role } });
    setCreated({ username: answer.user.username, initialPassword: answer.initialPassword });
    setUsername('');
    setDisplayName('');
    users.reload();
  });
  const act = useAction(async (path: string, message: string, method: 'POST' | 'DELETE') => {
    setDone(null);
    await api('crm', method, path);
    setDone(message);
    users.reload();
    sessions.reload();
  });
  const nameOf = (id: string) => users.data?.find((u) => u.id === id)?.username ?? id.slice(0, 8);

  return (
    <>
      <PageTitle>Users and sessions</PageTitle>
      <ErrorNotice error={users.error ?? act.error} />
      {done && <Notice kind="success">{done}</Notice>}
      <table>
        <caption>Users</caption>
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Two-factor</th>
            <th scope="col">User id</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td>
              <td>{u.displayName}</td>
              <td>{u.role}</td>
              <td>
                {u.status}
                {u.frozenAt && <strong className="badge badge-frozen"> frozen</strong>}
              </td>
              <td>{u.mfaEnabledAt ? 'set up' : 'not set up'}</td>
              <td>
                <code>{u.id}</code>
              </td>
              <td className="actions">
                {u.id !== props.me.id && (
                  <>
                    <button
                      type="button"
                      disabled={act.busy}
                      onClick={() => void act.run(`/admin/users/${u.id}/${u.status === 'active' ? 'disable' : 'enable'}`, `${u.username} ${u.status === 'active' ? 'disabled' : 'enabled'}.`, 'POST')}
                    >
                      {u.status === 'active' ? 'Disable' : 'Enable'}
                    </button>
                    <button type="button" disabled={act.busy || !u.mfaEnabledAt} onClick={() => void act.run(`/admin/users/${u.id}/mfa-reset`, `Two-factor reset for ${u.username}.`, 'POST')}>
                      Reset two-factor
                    </button>
                  </>
                )}
                <button type="button" className="secondary" onClick={() => setSessionsOf(u.id)}>
                  Sessions
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <form
        aria-label="New user"
        className="row-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setCreated(null);
          void create.run();
        }}
      >
        <h2>New user</h2>
        <ErrorNotice error={create.error} />
        <Field label="Username" value={username} onChange={setUsername} required hint="3–64: lower-case letters, digits, . - _" />
        <Field label="Display name" value={displayName} onChange={setDisplayName} required />
        <Select
          label="Role"
          value={role}
          onChange={setRole}
          options={['agent', 'manager', 'qa', 'admin'].map((r) => ({ value: r, label: r }))}
        />
        <button type="submit" disabled={create.busy}>
          Create user
        </button>
      </form>
      {created && (
        <Notice kind="success">
          {created.username} created. First password (shown once; give it to the user securely): <code>{created.initialPassword}</code>
        </Notice>
      )}

      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions{sessionsOf ? ` of ${nameOf(sessionsOf)}` : ''}</h2>
        {sessionsOf && (
          <button type="button" className="secondary" onClick={() => setSessionsOf('')}>
            Show everyone’s
          </button>
        )}
        <ErrorNotice error={sessions.error} />
        <table>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Started</th>
              <th scope="col">Last seen</th>
              <th scope="col">From</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(sessions.data ?? []).map((s) => (
              <tr key={s.id}>
                <td>{nameOf(s.userId)}</td>
                <td>{formatDate(s.createdAt)}</td>
                <td>{formatDate(s.lastSeenAt)}</td>
                <td>{s.sourceIp ?? '—'}</td>
                <td>{s.revokedAt ? 'revoked' : 'active'}</td>
                <td>
                  {!s.revokedAt && (
                    <button type="button" disabled={act.busy} onClick={() => void act.run(`/admin/sessions/${s.id}`, 'Session revoked.', 'DELETE')}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
