import { useState } from 'react';
import { api } from '../api/client';
import { ErrorNotice, formatDate, Notice, PageTitle, useAction, useLoad } from '../ui/kit';

interface KeyStatus {
  keyId: string;
  activeVersion: number | null;
  versions: Array<{ version: number; state: string; createdAt: string; retiredAt: string | null; inUse: number }>;
  rewrap: { state: string; targetVersion: number; rewrapped: number; skipped: number; failed?: number; startedAt: string; finishedAt: string | null } | null;
}

const KEYS: Array<{ id: 'leads' | 'dnc'; label: string }> = [
  { id: 'leads', label: 'Leads key (wraps each person’s data key)' },
  { id: 'dnc', label: 'Do-not-call key' },
];

/** Key rotation: a new version, rewrapping onto it, retiring versions nothing uses. All need re-authentication. */
export function AdminKeys() {
  return (
    <>
      <PageTitle>Keys</PageTitle>
      <p>Recording keys are rotated on the recording service (see its documentation); these are the CRM’s keys.</p>
      {KEYS.map((k) => (
        <KeyPanel key={k.id} keyId={k.id} label={k.label} />
      ))}
    </>
  );
}

function KeyPanel(props: { keyId: 'leads' | 'dnc'; label: string }) {
  const status = useLoad(() => api<KeyStatus>('crm', 'GET', `/admin/keys/${props.keyId}`), [props.keyId]);
  const [done, setDone] = useState<string | null>(null);
  const act = useAction(async (path: string, message: string, json?: unknown) => {
    setDone(null);
    await api('crm', 'POST', path, { json });
    setDone(message);
    status.reload();
  });
  return (
    <section aria-labelledby={`key-${props.keyId}`}>
      <h2 id={`key-${props.keyId}`}>{props.label}</h2>
      <ErrorNotice error={status.error ?? act.error} />
      {done && <Notice kind="success">{done}</Notice>}
      {status.data && (
        <>
          <p>Active version: {status.data.activeVersion ?? 'none'}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
                <th scope="col">Records using it</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {status.data.versions.map((v) => (
                <tr key={v.version}>
                  <td>{v.version}</td>
                  <td>{v.state}</td>
                  <td>{formatDate(v.createdAt)}</td>
                  <td>{v.inUse}</td>
                  <td>
                    {v.version !== status.data!.activeVersion && v.state === 'enabled' && (
                      <button type="button" disabled={act.busy} onClick={() => void act.run(`/admin/keys/${props.keyId}/versions/${v.version}/retire`, `Version ${v.version} retired.`)}>
                        Retire version {v.version}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {status.data.rewrap && (
            <p>
              Rewrap to version {status.data.rewrap.targetVersion}: {status.data.rewrap.state}, {status.data.rewrap.rewrapped} moved
              {status.data.rewrap.finishedAt ? `, finished ${formatDate(status.data.rewrap.finishedAt)}` : ''}.
            </p>
          )}
          <div className="actions">
            <button type="button" disabled={act.busy} onClick={() => void act.run(`/admin/keys/${props.keyId}/versions`, 'New version created and made active.')}>
              Create a new version
            </button>
            <button type="button" disabled={act.busy} onClick={() => void act.run(`/admin/keys/${props.keyId}/rewrap`, 'Rewrap started.', {})}>
              Rewrap onto the active version
            </button>
            <button type="button" className="secondary" onClick={status.reload}>
              Refresh
            </button>
          </div>
        </>
      )}
    </section>
  );
}
