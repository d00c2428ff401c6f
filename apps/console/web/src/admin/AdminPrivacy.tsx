import { FormEvent, useState } from 'react';
import { api } from '../api/client';
import { ErrorNotice, Field, formatDate, Notice, PageTitle, Select, useAction } from '../ui/kit';

interface SubjectMatch {
  subjectId: string;
  matchedBy: Array<'phone' | 'email'>;
  leads: Array<{ id: string; campaignId: string; status: string }>;
}

interface PrivacyRequest {
  id: string;
  kind: string;
  status: string;
  reason: string | null;
  subjectId: string | null;
  reference: string | null;
  createdAt: string;
  completedAt: string | null;
}

/**
 * Data-subject requests: find a person by phone or e-mail (typed in, sent in a request body, never
 * in the address bar), then export or erase. Every step needs a recent re-authentication; results
 * stay in this page's memory only.
 */
export function AdminPrivacy() {
  const [phone, setPhone] = useState('');
  const [region, setRegion] = useState('GB');
  const [email, setEmail] = useState('');
  const [matches, setMatches] = useState<SubjectMatch[] | null>(null);
  const [kind, setKind] = useState('export');
  const [reference, setReference] = useState('');
  const [outcome, setOutcome] = useState<unknown>(null);
  const [requests, setRequests] = useState<PrivacyRequest[] | null>(null);

  const search = useAction(async () => {
    setMatches(null);
    setMatches(
      await api<SubjectMatch[]>('crm', 'POST', '/privacy/search', {
        json: { phone: phone.trim() || undefined, region: phone.trim() ? region.trim() || undefined : undefined, email: email.trim() || undefined },
      }),
    );
  });
  const request = useAction(async (subjectId: string) => {
    setOutcome(null);
    setOutcome(await api<unknown>('crm', 'POST', '/privacy/requests', { json: { kind, subjectId, reference: reference.trim() || null } }));
  });
  const loadRequests = useAction(async () => {
    setRequests(await api<PrivacyRequest[]>('crm', 'GET', '/privacy/requests', { query: { limit: 50 } }));
  });

  return (
    <>
      <PageTitle>Data-subject requests</PageTitle>
      <form
        aria-label="Find a person"
        className="row-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void search.run();
        }}
      >
        <Field label="Phone number" type="tel" value={phone} onChange={setPhone} inputMode="tel" />
        <Field label="Country (for national numbers)" value={region} onChange={setRegion} />
        <Field label="E-mail" type="email" value={email} onChange={setEmail} inputMode="email" />
        <button type="submit" disabled={search.busy || (!phone.trim() && !email.trim())}>
          Find
        </button>
      </form>
      <ErrorNotice error={search.error} />
      {matches && matches.length === 0 && <Notice kind="info">Nobody found.</Notice>}
      {matches && matches.length > 0 && (
        <>
          <Select
            label="Request"
            value={kind}
            onChange={setKind}
            options={[
              { value: 'export', label: 'Export (access request)' },
              { value: 'erase', label: 'Erase' },
            ]}
          />
          <Field label="Your ticket reference (optional)" value={reference} onChange={setReference} />
          <ul>
            {matches.map((m) => (
              <li key={m.subjectId}>
                Person <code>{m.subjectId}</code> (matched by {m.matchedBy.join(' and ')}), {m.leads.length} lead(s){' '}
                <button type="button" disabled={request.busy} onClick={() => void request.run(m.subjectId)}>
                  {kind === 'erase' ? 'Erase this person' : 'Export this person’s data'}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <ErrorNotice error={request.error} />
      {outcome !== null && (
        <section aria-labelledby="outcome-title">
          <h2 id="outcome-title">Result</h2>
          <pre className="export">{JSON.stringify(outcome, null, 2)}</pre>
        </section>
      )}
      <h2>Requests</h2>
      <button type="button" className="secondary" onClick={() => void loadRequests.run()}>
        Show recent requests
      </button>
      <ErrorNotice error={loadRequests.error} />
      {requests && (
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Reference</th>
              <th scope="col">Completed</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.id}>
                <td>{formatDate(r.createdAt)}</td>
                <td>{r.kind}</td>
                <td>
                  {r.status}
                  {r.reason ? ` (${r.reason})` : ''}
                </td>
                <td>{r.reference ?? '—'}</td>
                <td>{formatDate(r.completedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
