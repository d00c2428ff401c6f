import { FormEvent, useState } from 'react';
import { api } from '../api/client';
import { ErrorNotice, Field, formatDate, Notice, PageTitle, useAction, useLoad } from '../ui/kit';

interface AuditEntry {
  id: string;
  seq: string;
  occurredAt: string;
  actor: { type: string; id: string | null; role: string | null };
  action: string;
  outcome: string;
  targetType: string | null;
  targetId: string | null;
  sourceIp: string | null;
}

interface VerifyResult {
  ok: boolean;
  checked: number;
  lastSeq: string;
  problem?: { kind: string; seq: string | null; id: string | null; message: string };
}

/** The audit log (newest first, by pages) and verification of its hash chain. */
export function AdminAudit() {
  const [action, setAction] = useState('');
  const [applied, setApplied] = useState('');
  const [beforeSeq, setBeforeSeq] = useState<string | undefined>(undefined);
  const entries = useLoad(() => api<AuditEntry[]>('crm', 'GET', '/admin/audit', { query: { limit: 50, action: applied || undefined, beforeSeq } }), [applied, beforeSeq]);
  const [result, setResult] = useState<VerifyResult | null>(null);
  const verify = useAction(async () => {
    setResult(null);
    setResult(await api<VerifyResult>('crm', 'GET', '/admin/audit/verify'));
  });
  const last = entries.data?.[entries.data.length - 1];
  return (
    <>
      <PageTitle>Audit log</PageTitle>
      <section aria-labelledby="verify-title">
        <h2 id="verify-title">Chain verification</h2>
        <p>Walks the whole hash chain and names the first altered, inserted or deleted entry.</p>
        <button type="button" onClick={() => void verify.run()} disabled={verify.busy}>
          {verify.busy ? 'Verifying…' : 'Verify the audit chain'}
        </button>
        <ErrorNotice error={verify.error} />
        {result &&
          (result.ok ? (
            <Notice kind="success">
              <span data-testid="audit-verify-result">Chain intact: {result.checked} entries verified (up to #{result.lastSeq}).</span>
            </Notice>
          ) : (
            <Notice kind="error">
              <span data-testid="audit-verify-result">
                Chain broken ({result.problem?.kind}) at entry #{result.problem?.seq ?? '?'}: {result.problem?.message}. {result.checked} entries verified before it.
              </span>
            </Notice>
          ))}
      </section>
      <form
        aria-label="Filter the audit log"
        className="row-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setBeforeSeq(undefined);
          setApplied(action.trim());
        }}
      >
        <Field label="Action (e.g. auth.login)" value={action} onChange={setAction} />
        <button type="submit">Filter</button>
      </form>
      <ErrorNotice error={entries.error} />
      <table>
        <caption>Entries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Outcome</th>
            <th scope="col">Target</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {(entries.data ?? []).map((e) => (
            <tr key={e.id}>
              <td>{e.seq}</td>
              <td>{formatDate(e.occurredAt)}</td>
              <td>
                {e.actor.type}
                {e.actor.role ? ` (${e.actor.role})` : ''} {e.actor.id ? e.actor.id.slice(0, 8) : ''}
              </td>
              <td>{e.action}</td>
              <td>{e.outcome}</td>
              <td>{e.targetType ? `${e.targetType} ${(e.targetId ?? '').slice(0, 36)}` : '—'}</td>
              <td>{e.sourceIp ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" className="secondary" disabled={!beforeSeq} onClick={() => setBeforeSeq(undefined)}>
          Newest
        </button>
        <button type="button" className="secondary" disabled={!last || (entries.data?.length ?? 0) < 50} onClick={() => setBeforeSeq(last?.seq)}>
          Older entries
        </button>
      </div>
    </>
  );
}
