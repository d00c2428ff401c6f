import { useState } from 'react';
import { api } from '../api/client';
import { ErrorNotice, formatDate, Notice, PageTitle, useAction, useLoad } from '../ui/kit';

interface SecurityAlert {
  id: string;
  userId: string;
  kind: string;
  observed: number;
  threshold: number;
  windowSeconds: number;
  createdAt: string;
  resolvedAt: string | null;
}

interface UserSummary {
  id: string;
  username: string;
  frozenAt: string | null;
}

/** Accounts frozen by the anomaly rules, their alerts, and unfreezing (with re-authentication). */
export function AdminSecurity() {
  const [all, setAll] = useState(false);
  const alerts = useLoad(() => api<SecurityAlert[]>('crm', 'GET', '/admin/security/alerts', { query: { all: all ? 'true' : undefined } }), [all]);
  const users = useLoad(() => api<UserSummary[]>('crm', 'GET', '/admin/users'), []);
  const [done, setDone] = useState<string | null>(null);
  const unfreeze = useAction(async (user: UserSummary) => {
    setDone(null);
    await api('crm', 'POST', `/admin/security/users/${user.id}/unfreeze`);
    setDone(`${user.username} unfrozen.`);
    users.reload();
    alerts.reload();
  });
  const frozen = (users.data ?? []).filter((u) => u.frozenAt);
  const nameOf = (id: string) => users.data?.find((u) => u.id === id)?.username ?? id.slice(0, 8);
  return (
    <>
      <PageTitle>Frozen accounts and alerts</PageTitle>
      <ErrorNotice error={alerts.error ?? users.error ?? unfreeze.error} />
      {done && <Notice kind="success">{done}</Notice>}
      <h2>Frozen accounts</h2>
      {frozen.length === 0 ? (
        <p>No account is frozen.</p>
      ) : (
        <ul>
          {frozen.map((u) => (
            <li key={u.id}>
              <strong>{u.username}</strong> frozen {formatDate(u.frozenAt)}{' '}
              <button type="button" disabled={unfreeze.busy} onClick={() => void unfreeze.run(u)}>
                Unfreeze {u.username}
              </button>
            </li>
          ))}
        </ul>
      )}
      <h2>Alerts</h2>
      <label className="inline">
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Include resolved alerts
      </label>
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">User</th>
            <th scope="col">What</th>
            <th scope="col">Observed / threshold</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {(alerts.data ?? []).map((a) => (
            <tr key={a.id}>
              <td>{formatDate(a.createdAt)}</td>
              <td>{nameOf(a.userId)}</td>
              <td>{a.kind}</td>
              <td>
                {a.observed} / {a.threshold} in {a.windowSeconds} s
              </td>
              <td>{a.resolvedAt ? `resolved ${formatDate(a.resolvedAt)}` : 'open'}</td>
            </tr>
          ))}
          {alerts.data?.length === 0 && (
            <tr>
              <td colSpan={5}>No alerts.</td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}
